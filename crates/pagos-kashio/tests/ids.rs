//! Ids cannot change a path: every invoice and event id, including the event id taken
//! from an unauthenticated notification and the invoice id read from a fetched event,
//! is checked under its own field name before it becomes a path segment.

#[path = "wire/support.rs"]
mod support;

use pagos_core::{Error, PaymentProvider};
use pagos_kashio::{ConfirmError, ExpectedInvoice, InvoiceUpdate};
use serde_json::json;

use support::{catch_all, fake_client, path, pen};

/// Ids the URL standard would resolve (`.`, `..`, their encoded forms), blank ids and
/// ids with control characters.
const BAD_IDS: [&str; 6] = ["", ".", "..", ".\n.", "%2e%2e", "a\u{0}b"];

fn field<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Validation(v)) => v.field().to_string(),
        other => format!("not a validation error: {other:?}"),
    }
}

#[tokio::test]
async fn invoice_and_event_ids_are_checked_before_sending() {
    let (c, log) = catch_all();
    let update = InvoiceUpdate::new().amount(pen("20"));
    for id in BAD_IDS {
        assert_eq!(field(c.invoices().get(id).await), "invoice_id", "{id:?}");
        assert_eq!(field(c.invoices().void(id).await), "invoice_id", "{id:?}");
        assert_eq!(
            field(c.invoices().update(id, update.clone()).await),
            "invoice_id",
            "{id:?}"
        );
        assert_eq!(field(c.events().get(id).await), "event_id", "{id:?}");
        assert_eq!(field(c.get_payment(id).await), "payment_id", "{id:?}");
        assert_eq!(field(c.cancel_payment(id).await), "payment_id", "{id:?}");
    }
    assert_eq!(log.count(), 0);
}

#[tokio::test]
async fn a_forged_notification_event_id_fetches_nothing() {
    let (c, log) = catch_all();
    let expected = ExpectedInvoice::by_invoice_id(pen("15"), "INV-9");
    for id in BAD_IDS {
        // The only thing a merchant takes from KashIO's unsigned notification: its id.
        let posted = json!({ "id": id, "type": "invoice.paid" });
        let posted_id = posted["id"].as_str().unwrap();
        match c.events().confirm(posted_id, &expected).await {
            Err(ConfirmError::Invalid(v)) => assert_eq!(v.field(), "event_id", "{id:?}"),
            other => panic!("{id:?}: expected the event id to be refused, got {other:?}"),
        }
    }
    assert_eq!(log.count(), 0);
}

#[tokio::test]
async fn an_event_naming_a_dot_segment_invoice_fetches_no_invoice() {
    for bad in [".", "..", ".\n.", "%2e%2e", "a\u{0}b"] {
        let (c, log) = fake_client(move |r| {
            if r.url().path() == path("/events/eve_1") {
                let event = json!({
                    "id": "eve_1", "created": "2017-01-31T14:24:59", "type": "invoice.paid",
                    "data": { "invoice": { "id": bad } }
                });
                (200, event.to_string())
            } else {
                (200, "{}".to_string())
            }
        });
        let e = c
            .events()
            .confirm("eve_1", &ExpectedInvoice::by_invoice_id(pen("15"), "INV-9"))
            .await
            .unwrap_err();
        match &e {
            ConfirmError::Fetch(Error::Validation(v)) => {
                assert_eq!(v.field(), "invoice_id", "{bad:?}")
            }
            other => panic!("{bad:?}: expected the invoice id to be refused, got {other:?}"),
        }
        assert!(!e.should_retry());
        assert_eq!(log.count_of("GET", &path("/events/eve_1")), 1, "{bad:?}");
        assert_eq!(log.count(), 1, "{bad:?}");
    }
}
