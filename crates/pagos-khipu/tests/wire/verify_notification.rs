//! The unified `PaymentProvider::verify_notification` for Khipu's notification API
//! 1.3: the unsigned form body only names a token, the payment is fetched by it (a
//! socket-free recorder stands in for Khipu and counts what reaches it), its receiver
//! checked and bound to the order by the core `Expected::bind`.

use pagos_core::notification::{Check, Expected, Notification, VerifiedBy};
use pagos_core::{Error, PaymentProvider, PaymentStatus, Resend};
use pagos_khipu::KhipuClient;

use crate::support::*;

const TOKEN: &str = "9dec8aa176c5223026919b3b5579a4776923e646ff3be686b9e6b62ec042e91f";
const REFERENCE: &str = "zwo3wqz6uulcvajt";
const PAYMENT_ID: &str = "gqzdy6chjne9";

fn body() -> String {
    format!("api_version=1.3&notification_token={TOKEN}")
}

fn expected() -> Expected {
    Expected::by_merchant_reference(clp("1000"), REFERENCE)
}

/// A client whose `GET /payments?notification_token=TOKEN` answers `payment`; any other
/// token is unknown to it (404).
fn khipu_with(payment: &str) -> (KhipuClient, Recorder) {
    let (client, fake) = fake_client();
    fake.route(
        "GET",
        &format!("/payments?notification_token={TOKEN}"),
        200,
        payment,
    );
    (client, fake)
}

async fn verify(
    client: &KhipuClient,
    body: &str,
    expected: &Expected,
) -> pagos_core::Result<pagos_core::notification::VerifiedEvent> {
    let notification = Notification::new(body.as_bytes())
        .with_header("Content-Type", "application/x-www-form-urlencoded");
    PaymentProvider::verify_notification(client, &notification, expected).await
}

fn refusal(e: Error) -> pagos_core::notification::NotificationError {
    match e {
        Error::Notification(n) => *n,
        other => panic!("expected a refused notification, got {other:?}"),
    }
}

#[tokio::test]
async fn genuine_notification_becomes_an_event_and_a_redelivery_the_same_one() {
    let (client, fake) = khipu_with(PAYMENT_DONE);
    assert!(
        client
            .capabilities()
            .supports(pagos_core::Operation::VerifyNotification)
    );
    let first = verify(&client, &body(), &expected()).await.unwrap();
    let second = verify(&client, &body(), &expected()).await.unwrap();
    assert_eq!(first.provider, "khipu");
    assert_eq!(first.payment_id, PAYMENT_ID);
    assert_eq!(first.merchant_reference.as_deref(), Some(REFERENCE));
    assert_eq!(first.status, PaymentStatus::Succeeded);
    assert!(first.is_paid());
    assert_eq!(first.amount, clp("1000"));
    assert_eq!(first.amount.to_plain_string(), "1000");
    assert_eq!(first.verified_by, VerifiedBy::Fetch);
    assert_eq!(first.raw.get(), PAYMENT_DONE.trim_end());
    assert_eq!(first.event_key, format!("khipu:{PAYMENT_ID}:succeeded"));
    assert_eq!(first.event_key, second.event_key);
    assert_eq!(first, second);
    // Each verification was one signed read by the token, nothing else.
    let sent = fake.requests();
    assert_eq!(sent.len(), 2);
    for r in sent {
        assert_eq!(r.method().as_str(), "GET");
        assert_eq!(r.url().path(), format!("{PREFIX}/payments"));
        assert_khipu_headers(
            &r,
            &ref_authorization("GET", &url("/payments"), &[("notification_token", TOKEN)]),
        );
    }

    // Bound by Khipu's payment id instead of the merchant's reference.
    let by_id = Expected::by_payment_id(clp("1000"), PAYMENT_ID);
    assert_eq!(
        verify(&client, &body(), &by_id).await.unwrap().event_key,
        first.event_key
    );
}

#[tokio::test]
async fn a_pending_payment_is_an_event_with_another_key_not_a_paid_one() {
    let pending = PAYMENT_DONE.replace("\"status\": \"done\"", "\"status\": \"verifying\"");
    let (client, _fake) = khipu_with(&pending);
    let event = verify(&client, &body(), &expected()).await.unwrap();
    assert!(!event.is_paid());
    assert_ne!(event.event_key, format!("khipu:{PAYMENT_ID}:succeeded"));
}

#[tokio::test]
async fn another_order_of_the_same_amount_is_refused() {
    let (client, fake) = khipu_with(PAYMENT_DONE);
    let e = refusal(
        verify(
            &client,
            &body(),
            &Expected::by_merchant_reference(clp("1000"), "orden-de-otro"),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::MerchantReference);
    assert_eq!(
        e.to_string(),
        format!(
            "khipu notification refused: merchant_reference: expected orden-de-otro, got {REFERENCE}"
        )
    );
    let e = refusal(
        verify(
            &client,
            &body(),
            &Expected::by_payment_id(clp("1000"), "otropago0001"),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::PaymentId);
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn another_amount_currency_or_receiver_is_refused() {
    let (client, _) = khipu_with(PAYMENT_DONE);
    let e = refusal(
        verify(
            &client,
            &body(),
            &Expected::by_merchant_reference(clp("999"), REFERENCE),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::Amount);
    assert_eq!(e.message, "expected 999, got 1000");

    let usd = PAYMENT_DONE.replace("\"CLP\"", "\"USD\"");
    let (client, _) = khipu_with(&usd);
    let e = refusal(verify(&client, &body(), &expected()).await.unwrap_err());
    assert_eq!(e.check(), Check::Currency);

    let other_receiver = PAYMENT_DONE.replace("985101", "111111");
    let (client, _) = khipu_with(&other_receiver);
    let e = refusal(verify(&client, &body(), &expected()).await.unwrap_err());
    assert_eq!(e.check(), Check::Account);
    assert_eq!(e.message, "expected 985101, got 111111");
}

#[tokio::test]
async fn a_forged_token_gets_khipus_404_and_never_an_event() {
    let (client, fake) = khipu_with(PAYMENT_DONE);
    let forged = "api_version=1.3&notification_token=forjado123";
    let e = verify(&client, forged, &expected()).await.unwrap_err();
    match &e {
        Error::Provider(p) => assert_eq!(p.http_status, 404),
        other => panic!("expected Khipu's refusal, got {other:?}"),
    }
    assert_eq!(e.resend(), Resend::Never);
    assert_eq!(fake.calls(), 1);
}

#[tokio::test]
async fn a_malformed_body_is_refused_with_nothing_sent() {
    let (client, fake) = khipu_with(PAYMENT_DONE);
    for body in [
        "",
        "garbage",
        "api_version=1.2&notification_token=abc",
        "api_version=1.3",
        "api_version=1.3&notification_token=..",
        "api_version=1.3&notification_token=a%00b",
        "{\"notification_token\":\"abc\"}",
    ] {
        let e = refusal(verify(&client, body, &expected()).await.unwrap_err());
        assert_eq!(e.check(), Check::Body, "{body:?}");
        assert_eq!(e.provider, "khipu");
    }
    // A blank expectation is the caller's mistake, also before anything is sent.
    let e = verify(
        &client,
        &body(),
        &Expected::by_merchant_reference(clp("1000"), " "),
    )
    .await
    .unwrap_err();
    assert_eq!(e.validation_field(), Some("expected.merchant_reference"));
    assert_eq!(fake.calls(), 0);
}

#[tokio::test]
async fn khipu_unavailable_asks_for_a_redelivery() {
    let (client, fake) = fake_client();
    fake.always(503, ERROR_503);
    let e = verify(&client, &body(), &expected()).await.unwrap_err();
    assert!(matches!(e, Error::Provider(_)), "{e:?}");
    assert_eq!(e.resend(), Resend::Safe);
    // A read: the transport retried it as its policy allows, and then gave up.
    assert_eq!(fake.calls(), 3);
}
