//! The unified `PaymentProvider::verify_notification` for ComproPago: the posted
//! (unsigned) order body only names the order id; the order is fetched with the
//! merchant's keys and bound to the order by the core `Expected::bind`.

use pagos_core::notification::{Check, Expected, Notification, NotificationError, VerifiedBy};
use pagos_core::{Error, PaymentProvider, PaymentStatus, Resend};

use crate::*;

const REFERENCE: &str = "SMGCURL1";

fn paid_order() -> String {
    GET_ORDER.replace(r#""status": "PENDING""#, r#""status": "ACCEPTED""#)
}

/// ComproPago knowing one order (the API reference's example, paid); any other id is
/// a 404.
fn compropago() -> Recorder {
    let script = Recorder::new();
    script.route(
        "GET",
        &format!("/compropago/v2/orders/{ORDER_ID}"),
        200,
        paid_order(),
    );
    script
}

/// What ComproPago posts: the order, as it was when the webhook left (here: claiming
/// a state it was never in).
fn posted() -> String {
    GET_ORDER.replace(r#""status": "PENDING""#, r#""status": "ACCEPTED""#)
}

async fn verify(
    client: &Client,
    body: &str,
    expected: &Expected,
) -> pagos_core::Result<pagos_core::notification::VerifiedEvent> {
    let n = Notification::new(body.as_bytes()).with_header("Content-Type", "application/json");
    client.verify_notification(&n, expected).await
}

fn refusal(e: Error) -> NotificationError {
    match e {
        Error::Notification(n) => *n,
        other => panic!("expected a refused notification, got {other:?}"),
    }
}

#[tokio::test]
async fn genuine_webhook_becomes_an_event_and_a_redelivery_the_same_one() {
    let script = compropago();
    let c = scripted(&script);
    assert!(
        c.capabilities()
            .supports(pagos_core::Operation::VerifyNotification)
    );
    let first = verify(
        &c,
        &posted(),
        &Expected::by_merchant_reference(mxn("12.56"), REFERENCE),
    )
    .await
    .unwrap();
    let second = verify(
        &c,
        &posted(),
        &Expected::by_payment_id(mxn("12.56"), ORDER_ID),
    )
    .await
    .unwrap();
    assert_eq!(first.provider, "compropago");
    assert_eq!(first.payment_id, ORDER_ID);
    assert_eq!(first.merchant_reference.as_deref(), Some(REFERENCE));
    assert_eq!(first.status, PaymentStatus::Succeeded);
    assert_eq!(first.amount, mxn("12.56"));
    assert_eq!(first.amount.to_plain_string(), "12.56");
    assert_eq!(first.verified_by, VerifiedBy::Fetch);
    assert_eq!(first.raw.get(), paid_order().trim_end());
    assert_eq!(first.event_key, format!("compropago:{ORDER_ID}:succeeded"));
    assert_eq!(first.event_key, second.event_key);
    assert_eq!(first, second);
    let sent = script.requests();
    assert_eq!(sent.len(), 2);
    for r in sent {
        assert_eq!(r.method().as_str(), "GET");
        assert_eq!(r.url().path(), format!("/compropago/v2/orders/{ORDER_ID}"));
        assert_eq!(r.header_str("authorization"), Some(BASIC));
    }
}

#[tokio::test]
async fn the_fetched_status_wins_over_the_posted_one() {
    let script = Recorder::answering(200, GET_ORDER); // PENDING
    let event = verify(
        &scripted(&script),
        &posted(), // claims ACCEPTED
        &Expected::by_merchant_reference(mxn("12.56"), REFERENCE),
    )
    .await
    .unwrap();
    assert_eq!(event.status, PaymentStatus::Pending);
    assert!(!event.is_paid());
    assert_eq!(event.event_key, format!("compropago:{ORDER_ID}:pending"));
}

#[tokio::test]
async fn another_order_of_the_same_amount_is_refused() {
    let script = compropago();
    let c = scripted(&script);
    let e = refusal(
        verify(
            &c,
            &posted(),
            &Expected::by_merchant_reference(mxn("12.56"), "orden-42"),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::MerchantReference);
    assert_eq!(e.message, "expected orden-42, got SMGCURL1");
    assert_eq!(script.calls(), 1);
    // By ComproPago's id of another order: the posted id alone refuses it, unfetched.
    let e = refusal(
        verify(
            &c,
            &posted(),
            &Expected::by_payment_id(mxn("12.56"), "ch_mine"),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::PaymentId);
    assert_eq!(script.calls(), 1);
}

#[tokio::test]
async fn another_amount_or_currency_is_refused() {
    let script = compropago();
    let c = scripted(&script);
    let e = refusal(
        verify(
            &c,
            &posted(),
            &Expected::by_merchant_reference(mxn("125.60"), REFERENCE),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::Amount);
    assert_eq!(e.message, "expected 125.60, got 12.56");
    let usd = pagos_test_support::wire::money("12.56", pagos_core::Currency::Usd);
    let e = refusal(
        verify(
            &c,
            &posted(),
            &Expected::by_merchant_reference(usd, REFERENCE),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::Currency);
}

#[tokio::test]
async fn a_forged_order_id_gets_compropagos_404_and_never_an_event() {
    let script = compropago();
    let e = verify(
        &scripted(&script),
        r#"{"id":"ch_forjado","short_id":"ABCDEF","status":"ACCEPTED"}"#,
        &Expected::by_merchant_reference(mxn("12.56"), REFERENCE),
    )
    .await
    .unwrap_err();
    match &e {
        Error::Provider(p) => assert_eq!(p.http_status, 404),
        other => panic!("expected ComproPago's refusal, got {other:?}"),
    }
    assert_eq!(e.resend(), Resend::Never);
    assert_eq!(script.calls(), 1);
}

#[tokio::test]
async fn a_malformed_body_or_the_test_ping_is_refused_with_nothing_sent() {
    let script = Recorder::answering(500, "should not be called");
    let c = scripted(&script);
    let expected = Expected::by_merchant_reference(mxn("12.56"), REFERENCE);
    for body in [
        "",
        "not json",
        "[1]",
        "{}",
        r#"{"id":""}"#,
        r#"{"id":".."}"#,
        r#"{"id":"ch_x","short_id":"000000"}"#,
    ] {
        let e = refusal(verify(&c, body, &expected).await.unwrap_err());
        assert_eq!(e.check(), Check::Body, "{body:?}");
    }
    let e = verify(
        &c,
        &posted(),
        &Expected::by_merchant_reference(mxn("12.56"), ""),
    )
    .await
    .unwrap_err();
    assert_eq!(e.validation_field(), Some("expected.merchant_reference"));
    assert_eq!(script.calls(), 0);
}

#[tokio::test]
async fn compropago_unavailable_asks_for_a_redelivery() {
    let script = Recorder::answering(503, "Service Unavailable");
    let e = verify(
        &scripted(&script),
        &posted(),
        &Expected::by_payment_id(mxn("12.56"), ORDER_ID),
    )
    .await
    .unwrap_err();
    assert_eq!(e.resend(), Resend::Safe, "{e:?}");
    assert_eq!(script.calls(), 3);
}
