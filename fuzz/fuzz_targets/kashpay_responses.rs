//! Kashpay: its public decoder (`OrderStatus`, a number or numeric string) and the
//! payout reference reading. The order and token answers are read by the endpoints'
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
    // A numericReference is taken as given or refused, never derived.
    let reference = String::from_utf8_lossy(body);
    if let Ok(n) = kashpay::WireAssumptions::default().parse_numeric_reference("r", &reference) {
        assert_eq!(n.to_string(), reference);
    }
    response_helpers(P, body);
});
