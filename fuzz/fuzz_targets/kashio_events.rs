//! KashIO's notifications: events (`invoice.paid`, `invoice.expired`), one or a page,
//! and the invoice id a confirmation fetches.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_fuzz::decode;
use pagos_kashio as kashio;

fuzz_target!(|body: &[u8]| {
    const P: &str = kashio::PROVIDER_NAME;
    if let Some(e) = decode::<kashio::Event>(P, body) {
        let _ = (e.invoice_id(), e.event_type.to_string());
    }
    decode::<kashio::EventType>(P, body).map(|t| t.to_string());
    decode::<kashio::EventStatus>(P, body).map(|s| s.to_string());
    if let Some(page) = decode::<kashio::Page<kashio::Event>>(P, body) {
        let _ = (page.first_id(), page.last_id());
        for e in &page.data {
            let _ = e.invoice_id();
        }
    }
});
