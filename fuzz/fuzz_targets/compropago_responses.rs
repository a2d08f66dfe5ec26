//! ComproPago: orders, CLABE accounts, account summaries and transactions, statuses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_compropago as compropago;
use pagos_core::{Payment, PaymentStatus};
use pagos_fuzz::{decode, response_helpers};

fuzz_target!(|body: &[u8]| {
    const P: &str = compropago::PROVIDER;
    if let Some(o) = decode::<compropago::Order>(P, body) {
        let _ = (
            o.price(),
            o.payment_instructions(),
            PaymentStatus::from(&o.status),
        );
        let _ = Payment::from(&o);
    }
    decode::<compropago::ProductInfo>(P, body);
    decode::<compropago::CustomerInfo>(P, body);
    decode::<compropago::OrderPayment>(P, body);
    decode::<compropago::Exchange>(P, body);
    decode::<compropago::Instruction>(P, body);
    decode::<compropago::OrderStatus>(P, body).map(|s| s.to_string());
    decode::<compropago::Account>(P, body).map(|a| a.payment_instructions());
    decode::<compropago::ClabeAccount>(P, body).map(|a| a.payment_instructions());
    decode::<compropago::ClabeDetails>(P, body).map(|d| d.payment_instructions());
    if let Some(s) = decode::<compropago::AccountSummary>(P, body) {
        let _ = s.key();
    }
    decode::<compropago::SubAccount>(P, body);
    decode::<compropago::AccountTransaction>(P, body);
    decode::<Vec<compropago::AccountSummary>>(P, body);
    decode::<Vec<compropago::AccountTransaction>>(P, body);
    decode::<compropago::AccountStatus>(P, body).map(|s| s.to_string());
    decode::<compropago::Frequency>(P, body).map(|f| f.to_string());
    response_helpers(P, body);
});
