//! KashIO: invoices (one, a page of them), customers and invoice statuses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_core::{Payment, PaymentStatus};
use pagos_fuzz::{decode, response_helpers};
use pagos_kashio as kashio;

fuzz_target!(|body: &[u8]| {
    const P: &str = kashio::PROVIDER_NAME;
    if let Some(i) = decode::<kashio::Invoice>(P, body) {
        let _ = (i.money(), i.raw().get().len(), i.status.payment_status());
        let _ = Payment::from(&i);
    }
    decode::<kashio::Customer>(P, body);
    if let Some(s) = decode::<kashio::InvoiceStatus>(P, body) {
        let _ = (PaymentStatus::from(&s), s.to_string());
    }
    if let Some(page) = decode::<kashio::Page<kashio::Invoice>>(P, body) {
        let _ = (page.first_id(), page.last_id());
    }
    response_helpers(P, body);
});
