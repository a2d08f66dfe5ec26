//! Ids cannot change a path: every id and path parameter, including the token read
//! from an unauthenticated notification body, is checked under its own field name
//! before anything is signed or sent.
//!
//! A catch-all sender stands in for Khipu (no socket): whatever the call, it must
//! have been handed nothing.

use pagos_core::{Currency, Error, Money, PaymentProvider, RefundRequest};
use pagos_khipu::KhipuClient;
use pagos_khipu::notification::{ExpectedPayment, NotificationError};
use pagos_khipu::payments::{ConfirmPayment, DeletePayment, GetPayment, RefundPayment};
use pagos_test_support::wire::{Recorder, money, transport_with};

/// Ids the URL standard would resolve (`.`, `..`, their encoded forms), blank ids and
/// ids with control characters.
const BAD_IDS: [&str; 6] = ["", ".", "..", ".\n.", "%2e%2e", "a\u{0}b"];

/// A client whose sender answers every attempt with 200 and counts them.
fn setup() -> (Recorder, KhipuClient) {
    let any = Recorder::answering(200, r#"{"message":"ok"}"#);
    let client = KhipuClient::builder()
        .receiver_id("985101")
        .secret("abc123")
        .base_url("http://127.0.0.1:9/khipu/api/2.0")
        .unwrap()
        .transport(transport_with(any.clone()))
        .build()
        .unwrap();
    (any, client)
}

fn clp(s: &str) -> Money {
    money(s, Currency::Clp)
}

/// The field a validation error names, or a description of what came instead.
fn field<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Validation(v)) => v.field().to_string(),
        other => format!("not a validation error: {other:?}"),
    }
}

#[tokio::test]
async fn payment_ids_are_checked_before_signing_or_sending() {
    let (any, client) = setup();
    let payments = client.payments();
    for id in BAD_IDS {
        assert_eq!(field(payments.get(id).await), "payment_id", "get {id:?}");
        assert_eq!(
            field(payments.delete(id).await),
            "payment_id",
            "delete {id:?}"
        );
        assert_eq!(
            field(payments.confirm(id).await),
            "payment_id",
            "confirm {id:?}"
        );
        assert_eq!(
            field(payments.refund(id, None).await),
            "payment_id",
            "refund {id:?}"
        );
        assert_eq!(
            field(payments.refund(id, Some(&clp("10"))).await),
            "payment_id",
            "partial refund {id:?}"
        );
        // The endpoints refuse to describe it: nothing is signed for a bad id.
        let executor = client.executor();
        assert_eq!(field(executor.describe(&GetPayment::new(id))), "payment_id");
        assert_eq!(
            field(executor.describe(&DeletePayment::new(id))),
            "payment_id"
        );
        assert_eq!(
            field(executor.describe(&ConfirmPayment::new(id))),
            "payment_id"
        );
        assert_eq!(
            field(executor.describe(&RefundPayment::new(id, None))),
            "payment_id"
        );
        assert_eq!(
            field(executor.authorized(&GetPayment::new(id)).await),
            "payment_id"
        );
    }
    assert_eq!(any.calls(), 0);
    // The stand-in does count: a valid id reaches it.
    payments.confirm("gqzdy6chjne9").await.unwrap();
    assert_eq!(any.calls(), 1);
}

#[tokio::test]
async fn merchant_ids_and_tokens_are_checked_before_sending() {
    let (any, client) = setup();
    for id in BAD_IDS {
        assert_eq!(
            field(client.merchants().payment_methods(id).await),
            "merchant_id",
            "{id:?}"
        );
        assert_eq!(
            field(client.payments().get_by_notification_token(id).await),
            "notification_token",
            "{id:?}"
        );
    }
    assert_eq!(any.calls(), 0);
}

#[tokio::test]
async fn unified_calls_check_the_payment_id() {
    let (any, client) = setup();
    for id in BAD_IDS {
        assert_eq!(field(client.get_payment(id).await), "payment_id", "{id:?}");
        assert_eq!(
            field(client.cancel_payment(id).await),
            "payment_id",
            "{id:?}"
        );
        assert_eq!(
            field(client.refund_payment(&RefundRequest::full(id)).await),
            "payment_id",
            "{id:?}"
        );
    }
    assert_eq!(any.calls(), 0);
}

#[tokio::test]
async fn a_forged_notification_token_fetches_nothing() {
    let (any, client) = setup();
    let expected = ExpectedPayment::by_transaction_id(clp("1000"), "orden-42");
    for token in BAD_IDS {
        // Form-encoded exactly as a forger would post it, so the token Khipu's parser
        // sees is the bad id itself.
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("api_version", "1.3")
            .append_pair("notification_token", token)
            .finish();
        let e = client
            .verify_notification(body.as_bytes(), &expected)
            .await
            .unwrap_err();
        match &e {
            // A blank token is a missing one.
            NotificationError::MissingField(f) => assert_eq!(*f, "notification_token"),
            NotificationError::Invalid(v) => assert_eq!(v.field(), "notification_token"),
            other => panic!("{token:?}: expected the token to be refused, got {other:?}"),
        }
        assert!(!e.should_retry(), "{token:?}");
    }
    assert_eq!(any.calls(), 0);
}
