//! The unified `PaymentProvider::verify_notification` for KashIO: the posted event
//! body only names an event id; the event is fetched, then the invoice it points to,
//! and the invoice is bound to the order by the core `Expected::bind`. A closure
//! stands in for KashIO and every attempt is recorded.

use pagos_core::notification::{Check, Expected, Notification, NotificationError, VerifiedBy};
use pagos_core::transport::Request;
use pagos_core::{Error, PaymentProvider, PaymentStatus, Resend};
use pagos_kashio::KashioClient;
use serde_json::json;

use crate::support::*;

const INVOICE_ID: &str = "inv_QokikJOvBiI2HlWgH4olfQ2";
const EVENT_PATH: &str = "/events/eve_6hxCf5yj6jAHep3JUJZrmm";
const INVOICE_PATH: &str = "/invoices/inv_QokikJOvBiI2HlWgH4olfQ2";

/// KashIO knowing one event (the API document's example) and its invoice, paid, with
/// the merchant's number `INV-9` for 15.00 PEN; anything else is a 404.
fn kashio(r: &Request) -> (u16, String) {
    assert_eq!(r.header_str("authorization"), Some(AUTH));
    assert_eq!(r.method().as_str(), "GET");
    match r.url().path() {
        p if p == path(EVENT_PATH) => (200, EVENT_RESPONSE.to_string()),
        p if p == path(INVOICE_PATH) => (
            200,
            json!({
                "id": INVOICE_ID, "object": "invoice", "created": "2017-01-31T14:20:00",
                "currency": "PEN", "amount": 15.0, "invoice_id": "INV-9", "status": "PAID"
            })
            .to_string(),
        ),
        other => (404, format!(r#"{{"message":"no such object: {other}"}}"#)),
    }
}

/// What KashIO posts: the event object.
const POSTED: &str = r#"{"id":"eve_6hxCf5yj6jAHep3JUJZrmm","object":"event","type":"invoice.paid","status":"new","data":{"url":"//invoices/inv_QokikJOvBiI2HlWgH4olfQ2"}}"#;

async fn verify(
    client: &KashioClient,
    body: &str,
    expected: &Expected,
) -> pagos_core::Result<pagos_core::notification::VerifiedEvent> {
    let n = Notification::new(body.as_bytes()).with_header("content-type", "application/json");
    client.verify_notification(&n, expected).await
}

fn refusal(e: Error) -> NotificationError {
    match e {
        Error::Notification(n) => *n,
        other => panic!("expected a refused notification, got {other:?}"),
    }
}

#[tokio::test]
async fn genuine_event_becomes_an_event_and_a_redelivery_the_same_one() {
    let (c, log) = fake_client(kashio);
    assert!(
        c.capabilities()
            .supports(pagos_core::Operation::VerifyNotification)
    );
    let first = verify(
        &c,
        POSTED,
        &Expected::by_merchant_reference(pen("15"), "INV-9"),
    )
    .await
    .unwrap();
    let second = verify(
        &c,
        POSTED,
        &Expected::by_payment_id(pen("15.00"), INVOICE_ID),
    )
    .await
    .unwrap();
    assert_eq!(first.provider, "kashio");
    assert_eq!(first.payment_id, INVOICE_ID);
    assert_eq!(first.merchant_reference.as_deref(), Some("INV-9"));
    assert_eq!(first.status, PaymentStatus::Succeeded);
    assert_eq!(first.amount, pen("15.00"));
    assert_eq!(first.amount.to_plain_string(), "15.00");
    assert_eq!(first.verified_by, VerifiedBy::Fetch);
    assert!(first.raw.get().contains(r#""status":"PAID""#));
    assert_eq!(first.event_key, format!("kashio:{INVOICE_ID}:succeeded"));
    assert_eq!(first.event_key, second.event_key);
    assert_eq!(first, second);
    assert_eq!(log.count_of("GET", &path(EVENT_PATH)), 2);
    assert_eq!(log.count_of("GET", &path(INVOICE_PATH)), 2);
    assert_eq!(log.count(), 4);
}

#[tokio::test]
async fn the_posted_claims_are_not_believed() {
    // The body says the event is about another invoice and expired: only its id is used.
    let (c, _) = fake_client(kashio);
    let lying = r#"{"id":"eve_6hxCf5yj6jAHep3JUJZrmm","type":"invoice.expired","data":{"url":"//invoices/inv_other"}}"#;
    let event = verify(
        &c,
        lying,
        &Expected::by_merchant_reference(pen("15"), "INV-9"),
    )
    .await
    .unwrap();
    assert_eq!(event.payment_id, INVOICE_ID);
    assert!(event.is_paid());
}

#[tokio::test]
async fn another_order_of_the_same_amount_is_refused() {
    let (c, log) = fake_client(kashio);
    let e = refusal(
        verify(
            &c,
            POSTED,
            &Expected::by_merchant_reference(pen("15"), "INV-1"),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::MerchantReference);
    assert_eq!(e.message, "expected INV-1, got INV-9");
    // By KashIO's id, the event itself names another invoice: it is not even fetched.
    let e = refusal(
        verify(
            &c,
            POSTED,
            &Expected::by_payment_id(pen("15"), "inv_another"),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::PaymentId);
    assert_eq!(log.count_of("GET", &path(EVENT_PATH)), 2);
    assert_eq!(log.count_of("GET", &path(INVOICE_PATH)), 1);
}

#[tokio::test]
async fn another_amount_or_currency_is_refused() {
    let (c, _) = fake_client(kashio);
    let e = refusal(
        verify(
            &c,
            POSTED,
            &Expected::by_merchant_reference(pen("150"), "INV-9"),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::Amount);
    assert_eq!(e.message, "expected 150.00, got 15.00");
    let usd = pagos_test_support::wire::money("15", pagos_core::Currency::Usd);
    let e = refusal(
        verify(&c, POSTED, &Expected::by_merchant_reference(usd, "INV-9"))
            .await
            .unwrap_err(),
    );
    assert_eq!(e.check(), Check::Currency);
}

#[tokio::test]
async fn an_event_about_no_invoice_is_refused() {
    let (c, log) = fake_client(|r| {
        assert_eq!(r.url().path(), path("/events/eve_2"));
        (
            200,
            json!({
                "id": "eve_2", "created": "2017-01-31T14:24:59",
                "type": "transfer.sent", "data": {"url": "//transfers/tr_1"}
            })
            .to_string(),
        )
    });
    let e = refusal(
        verify(
            &c,
            r#"{"id":"eve_2"}"#,
            &Expected::by_merchant_reference(pen("15"), "INV-9"),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::MerchantReference);
    assert_eq!(log.count(), 1);
}

#[tokio::test]
async fn a_forged_event_gets_kashios_404_and_never_an_event() {
    let (c, log) = fake_client(kashio);
    let e = verify(
        &c,
        r#"{"id":"eve_forjado","type":"invoice.paid"}"#,
        &Expected::by_merchant_reference(pen("15"), "INV-9"),
    )
    .await
    .unwrap_err();
    assert_eq!(provider_err(e.clone()).http_status, 404);
    assert_eq!(e.resend(), Resend::Never);
    assert_eq!(log.count(), 1);
    assert_eq!(log.count_of("GET", &path("/events/eve_forjado")), 1);
}

#[tokio::test]
async fn a_malformed_body_is_refused_with_nothing_sent() {
    let (c, log) = catch_all();
    let expected = Expected::by_merchant_reference(pen("15"), "INV-9");
    for body in [
        "",
        "not json",
        "[]",
        "{}",
        r#"{"id":""}"#,
        r#"{"id":12}"#,
        r#"{"id":".."}"#,
        r#"{"id":"a\u0000b"}"#,
    ] {
        let e = refusal(verify(&c, body, &expected).await.unwrap_err());
        assert_eq!(e.check(), Check::Body, "{body:?}");
    }
    let e = verify(&c, POSTED, &Expected::by_payment_id(pen("15"), ""))
        .await
        .unwrap_err();
    assert_eq!(e.validation_field(), Some("expected.payment_id"));
    assert_eq!(log.count(), 0);
}

#[tokio::test]
async fn kashio_unavailable_asks_for_a_redelivery() {
    let (c, log) = fake_client(|_| (503, r#"{"message":"unavailable"}"#.to_string()));
    let e = verify(
        &c,
        POSTED,
        &Expected::by_merchant_reference(pen("15"), "INV-9"),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Provider(_)), "{e:?}");
    assert_eq!(e.resend(), Resend::Safe);
    assert!(log.count() > 1, "a read is retried by the transport");
}
