//! KashIO's notifications: events (`invoice.paid`, `invoice.expired`), one or a page,
//! the invoice id a confirmation fetches, and the type and status parsers themselves.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_core::{Endpoint, Response};
use pagos_fuzz::decode;
use pagos_kashio::{self as kashio, EventStatus, EventType};

fuzz_target!(|body: &[u8]| {
    const P: &str = kashio::PROVIDER;
    if let Some(e) = decode::<kashio::Event>(P, body) {
        check_event(&e);
    }
    decode::<EventType>(P, body).map(|t| t.to_string());
    decode::<EventStatus>(P, body).map(|s| s.to_string());
    let get = kashio::GetEvent::new("eve_1");
    if let Ok(e) = get.parse(&Response::new(P, "get_event", 200, body.to_vec())) {
        check_event(&e);
    }
    let list = kashio::ListEvents::new(kashio::ListParams::new());
    if let Ok(page) = list.parse(&Response::new(P, "list_events", 200, body.to_vec())) {
        let _ = (
            page.items.first().map(|e| &e.id),
            page.items.last().map(|e| &e.id),
        );
        for e in &page.items {
            check_event(e);
        }
    }

    // The parsers never fail: a known name (any case, surrounding white space) maps to
    // its variant, anything else is kept verbatim; parsing the wire name gives the
    // same value back.
    let text = String::from_utf8_lossy(body);
    let t = EventType::parse(&text);
    match &t {
        EventType::Unknown(raw) => {
            assert_eq!(raw, &text);
            assert!(
                !["invoice.paid", "invoice.expired"]
                    .iter()
                    .any(|known| text.trim().eq_ignore_ascii_case(known))
            );
        }
        known => assert!(text.trim().eq_ignore_ascii_case(known.as_str()), "{text:?}"),
    }
    assert_eq!(EventType::parse(t.as_str()), t);
    let s = EventStatus::parse(&text);
    match &s {
        EventStatus::Unknown(raw) => {
            assert_eq!(raw, &text);
            assert!(
                !["new", "failed", "notified"]
                    .iter()
                    .any(|known| text.trim().eq_ignore_ascii_case(known))
            );
        }
        known => assert!(text.trim().eq_ignore_ascii_case(known.as_str()), "{text:?}"),
    }
    assert_eq!(EventStatus::parse(s.as_str()), s);
});

/// The invoice a confirmation would fetch is a non-empty id, and the event's own
/// fields format.
fn check_event(e: &kashio::Event) {
    if let Some(id) = e.invoice_id() {
        assert!(!id.is_empty(), "{e:?}");
    }
    let _ = (
        e.event_type.to_string(),
        e.status.as_ref().map(|s| s.to_string()),
    );
}
