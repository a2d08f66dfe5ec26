//! Refusals read by `error::refusal` and turned into errors by `Response::refusal`;
//! what the transport does with them (retries, sent once) through the recording
//! sender; answers that cannot be read.

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::Idempotency;
use pagos_core::{Error, PaymentProvider, PaymentStatus, Resend, Response, UnknownCause};
use pagos_kashio::error::refusal;
use pagos_kashio::{CreateInvoice, GetInvoice, InvoiceStatus, PROVIDER, VoidInvoice};
use serde_json::json;

use crate::support::*;

/// The error `E`'s executor makes of a `status` answer with `body`.
fn refused<E: Endpoint>(status: u16, body: &str) -> Error {
    let response = Response::new(PROVIDER, E::OPERATION, status, body.to_string())
        .with_idempotency(E::IDEMPOTENCY);
    let refusal = refusal(&response).expect("a non-2xx answer is a refusal");
    response.refusal(refusal)
}

#[test]
fn success_is_no_refusal() {
    for status in [200, 201, 204] {
        let response = Response::new(PROVIDER, GetInvoice::OPERATION, status, "{}");
        assert!(refusal(&response).is_none(), "{status}");
    }
}

#[tokio::test]
async fn unauthorized_json_error() {
    let body = r#"{"message":"Invalid API Key provided"}"#;
    let err = refused::<GetInvoice>(401, body);
    let text = err.to_string();
    let p = provider_err(err);
    assert_eq!(p.http_status, 401);
    assert!(p.is_unauthorized());
    assert_eq!(p.message, "Invalid API Key provided");
    assert_eq!(p.raw_body, body);
    assert_eq!(p.operation, "get_invoice");
    assert!(!text.contains(KEY) && !text.contains(AUTH));

    // 401 is not retried (and the Basic strategy does not re-authenticate).
    let (c, log) = fake_client(move |_| (401, body.to_string()));
    let p = provider_err(c.invoices().get("inv_1").await.unwrap_err());
    assert_eq!(p.message, "Invalid API Key provided");
    assert_eq!(p.attempts, 1);
    assert_eq!(log.count(), 1);
}

#[test]
fn not_found_json_error_object() {
    let p = provider_err(refused::<VoidInvoice>(
        404,
        r#"{"error":{"code":"resource_missing","message":"No such invoice"}}"#,
    ));
    assert_eq!(p.http_status, 404);
    assert_eq!(p.code.as_deref(), Some("resource_missing"));
    assert_eq!(p.message, "No such invoice");
    assert_eq!(p.operation, "void_invoice");
}

#[tokio::test]
async fn bad_request_error_list_becomes_field_errors() {
    let body = r#"{"error":[{"field":"currency","message":"not supported"},{"field":"amount","message":"too small"}]}"#;
    let p = provider_err(refused::<CreateInvoice>(400, body));
    assert_eq!(p.http_status, 400);
    assert_eq!(p.message, "not supported");
    assert_eq!(p.field_errors.len(), 2);
    assert_eq!(p.field_errors[1].field, "amount");

    // Sent once, refused once.
    let (c, log) = fake_client(move |_| (400, body.to_string()));
    let p = provider_err(c.invoices().create(seed_invoice()).await.unwrap_err());
    assert_eq!(p.field_errors.len(), 2);
    assert_eq!(log.count(), 1);
}

#[tokio::test]
async fn server_error_non_json_is_retried_for_get_and_keeps_the_body() {
    let p = provider_err(refused::<GetInvoice>(
        500,
        "<html>Internal Server Error</html>",
    ));
    assert_eq!(p.message, "KashIO server error");

    let (c, log) = fake_client(|r| {
        assert_eq!(r.url().path(), path("/invoices/inv_1"));
        (500, "<html>Internal Server Error</html>".to_string())
    });
    let p = provider_err(c.invoices().get("inv_1").await.unwrap_err());
    assert_eq!(p.http_status, 500);
    assert_eq!(p.message, "KashIO server error");
    assert_eq!(p.raw_body, "<html>Internal Server Error</html>");
    assert_eq!(p.attempts, 3);
    assert_eq!(log.count(), 3);
}

#[tokio::test]
async fn server_error_json_on_create_is_sent_once_and_its_outcome_is_unknown() {
    // Read socket-free: a 5xx to a non-idempotent call is an unknown outcome.
    assert_eq!(CreateInvoice::IDEMPOTENCY, Idempotency::NonIdempotent);
    let err = refused::<CreateInvoice>(500, r#"{"message":"Internal error"}"#);
    assert!(matches!(&err, Error::OutcomeUnknown(u) if u.cause == UnknownCause::ServerError));

    let (c, log) = fake_client(|_| (500, r#"{"message":"Internal error"}"#.to_string()));
    let err = c.invoices().create(seed_invoice()).await.unwrap_err();
    assert_eq!(err.resend(), Resend::AfterLookup);
    let Error::OutcomeUnknown(u) = err else {
        panic!("a 5xx to a create is an unknown outcome: {err:?}")
    };
    assert_eq!(u.cause, UnknownCause::ServerError);
    assert_eq!(u.http_status, Some(500));
    assert_eq!(u.message.as_deref(), Some("Internal error"));
    assert_eq!(u.attempts, 1);
    // The create's hint says how to look the invoice up.
    assert!(u.hint.unwrap().contains("INV-000001-001"));
    assert_eq!(log.count(), 1);
}

#[tokio::test]
async fn undecodable_success_is_outcome_unknown_with_the_body() {
    let get = GetInvoice::new("inv_1");
    let u = unknown_err(
        get.parse(&ok::<GetInvoice>(r#"{"unexpected": true}"#))
            .unwrap_err(),
    );
    assert_eq!(u.cause, UnknownCause::UndecodableResponse);
    assert_eq!(u.http_status, Some(200));
    assert_eq!(u.raw_body.as_deref(), Some(r#"{"unexpected": true}"#));

    // Through the executor, the create's hint is added: look the invoice up first.
    let (c, _log) = fake_client(|_| (200, "OK".to_string()));
    let u = unknown_err(c.invoices().create(seed_invoice()).await.unwrap_err());
    assert_eq!(u.raw_body.as_deref(), Some("OK"));
    let hint = u.hint.unwrap();
    assert!(
        hint.contains("INV-000001-001") && hint.contains("2020-01-01"),
        "{hint}"
    );
    assert_eq!(
        CreateInvoice::new(seed_invoice()).outcome_hint(),
        Some(hint)
    );

    let bad_date = json!({
        "id": "inv_bad_date", "created": "31/01/2017", "currency": "PEN",
        "amount": 1.0, "status": "new"
    })
    .to_string();
    let u = unknown_err(get.parse(&ok::<GetInvoice>(&bad_date)).unwrap_err());
    assert!(u.detail.contains("31/01/2017"), "{}", u.detail);
}

#[tokio::test]
async fn unknown_statuses_are_kept() {
    let body = json!({
        "id": "inv_1", "created": "2020-01-01T00:00:00", "currency": "PEN",
        "amount": "1.50", "status": "Refunded", "extra_field": [1, 2]
    })
    .to_string();
    let invoice = GetInvoice::new("inv_1")
        .parse(&ok::<GetInvoice>(&body))
        .unwrap();
    assert_eq!(invoice.status, InvoiceStatus::Unknown("Refunded".into()));
    let (c, log) = fake_client(move |_| (200, body.clone()));
    let payment = c.get_payment("inv_1").await.unwrap();
    assert_eq!(payment.status, PaymentStatus::Unknown("Refunded".into()));
    assert_eq!(payment.amount, Some(pen("1.50")));
    assert_eq!(log.count(), 1);
}
