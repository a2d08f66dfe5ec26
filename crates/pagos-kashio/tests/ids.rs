//! Ids cannot change a path: every invoice and event id, including the event id taken
//! from an unauthenticated notification and the invoice id read from a fetched event,
//! is checked under its own field name before it becomes a path segment.

use httpmock::prelude::*;
use pagos_core::{Currency, Error, Money, PaymentProvider};
use pagos_kashio::{Client, ConfirmError, ExpectedInvoice, InvoiceUpdate, KashioClient};
use serde_json::json;

/// Ids the URL standard would resolve (`.`, `..`, their encoded forms), blank ids and
/// ids with control characters.
const BAD_IDS: [&str; 6] = ["", ".", "..", ".\n.", "%2e%2e", "a\u{0}b"];

fn client(server: &MockServer) -> KashioClient {
    Client::builder()
        .secret_key("sk_test_f5yj6jAxxxHep36jAxxxep3xxxJUx")
        .base_url(&server.url("/v1/payments"))
        .unwrap()
        .build()
        .unwrap()
}

async fn catch_all(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({
                "id": "inv_1", "created": "2017-01-31T14:20:00", "currency": "PEN",
                "amount": 15.0, "status": "PAID"
            }));
        })
        .await
}

fn pen(s: &str) -> Money {
    Money::parse(s, Currency::Pen).unwrap()
}

fn field<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Validation(v)) => v.field().to_string(),
        other => format!("not a validation error: {other:?}"),
    }
}

#[tokio::test]
async fn invoice_and_event_ids_are_checked_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let c = client(&server);
    let update = InvoiceUpdate::new().amount(pen("20"));
    for id in BAD_IDS {
        assert_eq!(field(c.get_invoice(id).await), "invoice_id", "{id:?}");
        assert_eq!(field(c.void_invoice(id).await), "invoice_id", "{id:?}");
        assert_eq!(
            field(c.update_invoice(id, &update).await),
            "invoice_id",
            "{id:?}"
        );
        assert_eq!(field(c.get_event(id).await), "event_id", "{id:?}");
        assert_eq!(field(c.get_payment(id).await), "payment_id", "{id:?}");
        assert_eq!(field(c.cancel_payment(id).await), "payment_id", "{id:?}");
    }
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn a_forged_notification_event_id_fetches_nothing() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let c = client(&server);
    let expected = ExpectedInvoice::by_invoice_id(pen("15"), "INV-9");
    for id in BAD_IDS {
        // The only thing a merchant takes from KashIO's unsigned notification: its id.
        let posted = json!({ "id": id, "type": "invoice.paid" });
        let posted_id = posted["id"].as_str().unwrap();
        match c.confirm_event(posted_id, &expected).await {
            Err(ConfirmError::Invalid(v)) => assert_eq!(v.field(), "event_id", "{id:?}"),
            other => panic!("{id:?}: expected the event id to be refused, got {other:?}"),
        }
    }
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn an_event_naming_a_dot_segment_invoice_fetches_no_invoice() {
    for bad in [".", "..", ".\n.", "%2e%2e", "a\u{0}b"] {
        let server = MockServer::start_async().await;
        let event = server
            .mock_async(|when, then| {
                when.method(GET).path("/v1/payments/events/eve_1");
                then.status(200).json_body(json!({
                    "id": "eve_1", "created": "2017-01-31T14:24:59", "type": "invoice.paid",
                    "data": { "invoice": { "id": bad } }
                }));
            })
            .await;
        let invoices = server
            .mock_async(|when, then| {
                when.path_includes("/invoices");
                then.status(200).body("{}");
            })
            .await;
        let e = client(&server)
            .confirm_event("eve_1", &ExpectedInvoice::by_invoice_id(pen("15"), "INV-9"))
            .await
            .unwrap_err();
        match &e {
            ConfirmError::Fetch(Error::Validation(v)) => {
                assert_eq!(v.field(), "invoice_id", "{bad:?}")
            }
            other => panic!("{bad:?}: expected the invoice id to be refused, got {other:?}"),
        }
        assert!(!e.should_retry());
        event.assert_async().await;
        assert_eq!(invoices.calls_async().await, 0, "{bad:?}");
    }
}
