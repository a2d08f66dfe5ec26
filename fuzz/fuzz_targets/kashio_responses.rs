//! KashIO: invoices (one, a page of them), customers and invoice statuses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_core::{Endpoint, Payment, PaymentStatus, Response};
use pagos_fuzz::{decode, response_helpers};
use pagos_kashio as kashio;

fuzz_target!(|body: &[u8]| {
    const P: &str = kashio::PROVIDER;
    if let Some(i) = decode::<kashio::Invoice>(P, body) {
        let _ = (i.money(), i.raw.get().len(), i.status.payment_status());
        let _ = Payment::from(&i);
    }
    decode::<kashio::Customer>(P, body);
    if let Some(s) = decode::<kashio::InvoiceStatus>(P, body) {
        let _ = (PaymentStatus::from(&s), s.to_string());
    }
    // Whole answers, as the endpoints read them: the raw is the body's own text.
    let get = kashio::GetInvoice::new("inv_1");
    if let Ok(i) = get.parse(&Response::new(P, "get_invoice", 200, body.to_vec())) {
        assert!(String::from_utf8_lossy(body).contains(i.raw.get()));
        let _ = Payment::from(&i);
    }
    let list = kashio::ListInvoices::new(kashio::ListParams::new());
    if let Ok(page) = list.parse(&Response::new(P, "list_invoices", 200, body.to_vec())) {
        for i in &page.items {
            assert!(page.raw.get().contains(i.raw.get()));
        }
        let _ = (
            page.items.first().map(|i| &i.id),
            page.items.last().map(|i| &i.id),
        );
    }
    response_helpers(P, body);
});
