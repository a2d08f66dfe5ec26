//! Kashpay: its public decoder (`OrderStatus`, a number or numeric string) and the
//! payout reference mapping. The order and token answers are read by the endpoints'
//! `parse` (`CreateOrder`, `auth::Authenticate`); the property test reaches them
//! through the client.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_fuzz::{decode, response_helpers};
use pagos_kashpay as kashpay;

fuzz_target!(|body: &[u8]| {
    const P: &str = kashpay::PROVIDER;
    if let Some(s) = decode::<kashpay::OrderStatus>(P, body) {
        let _ = (s.payout_status(), s.to_string(), s.code());
    }
    let reference = String::from_utf8_lossy(body);
    assert!(kashpay::numeric_reference_for(&reference) <= 9_999_999);
    response_helpers(P, body);
});
