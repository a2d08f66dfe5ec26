//! Notifications (API 1.3): the unsigned POST is parsed, the payment fetched by its
//! token through `GetPaymentByNotificationToken` (a socket-free sender stands in for
//! Khipu and counts what reaches it) and checked against the merchant's order.

use pagos_khipu::notification::{Check, ExpectedPayment, NotificationError};
use pagos_khipu::{KhipuClient, PaymentsResponse};

use crate::support::*;

const TOKEN: &str = "9dec8aa176c5223026919b3b5579a4776923e646ff3be686b9e6b62ec042e91f";

fn notification_body() -> String {
    format!("api_version=1.3&notification_token={TOKEN}")
}

fn expected_order() -> ExpectedPayment {
    ExpectedPayment::by_transaction_id(clp("1000"), "zwo3wqz6uulcvajt")
}

/// A client whose `GET /payments` answers `body`.
fn notified(body: &str) -> (KhipuClient, Recorder) {
    let (client, fake) = fake_client();
    fake.route("GET", "/payments", 200, body);
    (client, fake)
}

/// Every fetch was the signed `GET /payments?notification_token=TOKEN`.
fn assert_fetches(fake: &Recorder, count: usize) {
    let sent = fake.requests();
    assert_eq!(sent.len(), count);
    for r in sent {
        assert_eq!(r.method().as_str(), "GET");
        assert_eq!(r.url().path(), format!("{PREFIX}/payments"));
        let query: Vec<(String, String)> = r.url().query_pairs().into_owned().collect();
        assert_eq!(
            query,
            [("notification_token".to_string(), TOKEN.to_string())]
        );
        assert_khipu_headers(
            &r,
            &ref_authorization("GET", &url("/payments"), &[("notification_token", TOKEN)]),
        );
    }
}

async fn verify(payment_json: String) -> (Result<PaymentsResponse, NotificationError>, usize) {
    let (client, fake) = notified(&payment_json);
    let result = client
        .verify_notification(notification_body().as_bytes(), &expected_order())
        .await;
    (result, fake.calls())
}

#[tokio::test]
async fn notification_verified_and_repeat_is_harmless() {
    let (client, fake) = notified(PAYMENT_DONE);
    let first = client
        .verify_notification(notification_body().as_bytes(), &expected_order())
        .await
        .unwrap();
    // Khipu retries the same notification: verifying again is a pure read.
    let second = client
        .verify_notification(notification_body().as_bytes(), &expected_order())
        .await
        .unwrap();
    assert_eq!(first, second);
    assert_eq!(first.payment_id, "gqzdy6chjne9");
    assert_eq!(first.raw.get(), PAYMENT_DONE.trim_end());
    assert_fetches(&fake, 2);
}

#[tokio::test]
async fn notification_each_failing_check() {
    let cases: [(String, Check, &str, &str); 6] = [
        (
            PAYMENT_DONE.replace("985101", "111111"),
            Check::ReceiverId,
            "985101",
            "111111",
        ),
        (
            PAYMENT_DONE.replace("\"status\": \"done\"", "\"status\": \"verifying\""),
            Check::Status,
            "done/normal or done/marked-paid-by-receiver",
            "verifying/normal",
        ),
        (
            PAYMENT_DONE.replace("\"normal\"", "\"reversed\""),
            Check::Status,
            "done/normal or done/marked-paid-by-receiver",
            "done/reversed",
        ),
        (
            PAYMENT_DONE.replace("\"CLP\"", "\"USD\""),
            Check::Currency,
            "CLP",
            "USD",
        ),
        (
            PAYMENT_DONE.replace("\"amount\": 1000", "\"amount\": \"999.0000\""),
            Check::Amount,
            "1000",
            "999.0000",
        ),
        (
            PAYMENT_DONE.replace("zwo3wqz6uulcvajt", "otra-orden"),
            Check::TransactionId,
            "zwo3wqz6uulcvajt",
            "otra-orden",
        ),
    ];
    for (json, check, exp, act) in cases {
        let (result, hits) = verify(json).await;
        assert_eq!(hits, 1);
        match result.unwrap_err() {
            NotificationError::Mismatch {
                check: c,
                expected,
                actual,
            } => {
                assert_eq!(c, check);
                assert_eq!(expected, exp, "{check}");
                assert_eq!(actual, act, "{check}");
            }
            other => panic!("expected a mismatch on {check}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn notification_of_another_paid_order_with_the_same_amount_is_refused() {
    // A real, paid, signed payment of this receiver for 1000 CLP: but for another
    // order. Before the order was required, this confirmed any 1000 CLP order.
    let other_order = PAYMENT_DONE.replace("zwo3wqz6uulcvajt", "orden-de-otro");
    let (result, hits) = verify(other_order.clone()).await;
    assert_eq!(hits, 1);
    let e = result.unwrap_err();
    assert_eq!(e.check(), Some(Check::TransactionId), "{e:?}");
    assert_eq!(
        e.to_string(),
        "Khipu notification: transaction_id check failed: expected zwo3wqz6uulcvajt, got orden-de-otro"
    );
    assert!(!e.should_retry());

    // Bound by Khipu's payment id instead: the same payment passes, another does not.
    let (client, fake) = notified(PAYMENT_DONE);
    let by_id = ExpectedPayment::by_payment_id(clp("1000"), "gqzdy6chjne9");
    let ok = client
        .verify_notification(notification_body().as_bytes(), &by_id)
        .await
        .unwrap();
    assert_eq!(ok.payment_id, "gqzdy6chjne9");
    let other_payment = ExpectedPayment::by_payment_id(clp("1000"), "otropago0001");
    let e = client
        .verify_notification(notification_body().as_bytes(), &other_payment)
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(Check::PaymentId), "{e:?}");
    assert_fetches(&fake, 2);
}

#[tokio::test]
async fn notification_with_a_blank_expected_order_fetches_nothing() {
    let (client, fake) = notified(PAYMENT_DONE);
    for (expected, field) in [
        (
            ExpectedPayment::by_transaction_id(clp("1000"), " "),
            "expected.transaction_id",
        ),
        (
            ExpectedPayment::by_payment_id(clp("1000"), ""),
            "expected.payment_id",
        ),
    ] {
        match client
            .verify_notification(notification_body().as_bytes(), &expected)
            .await
        {
            Err(NotificationError::Invalid(v)) => assert_eq!(v.field(), field),
            other => panic!("expected {field} to be refused, got {other:?}"),
        }
    }
    assert_eq!(fake.calls(), 0);
}

#[tokio::test]
async fn notification_malformed_body_fetches_nothing() {
    let (client, fake) = notified(PAYMENT_DONE);
    for body in [
        "api_version=1.2&notification_token=abc".to_string(),
        "notification_token=abc".to_string(),
        "api_version=1.3".to_string(),
        "api_version=1.3&notification_token=".to_string(),
        "garbage".to_string(),
    ] {
        let e = client
            .verify_notification(body.as_bytes(), &expected_order())
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                NotificationError::MissingField(_) | NotificationError::UnsupportedApiVersion(_)
            ),
            "{body}: {e:?}"
        );
        assert!(!e.should_retry());
    }
    assert_eq!(fake.calls(), 0);
}

#[tokio::test]
async fn notification_fetch_failure_asks_for_a_retry() {
    let (client, fake) = fake_client();
    fake.route("GET", "/payments", 503, ERROR_503);
    let e = client
        .verify_notification(notification_body().as_bytes(), &expected_order())
        .await
        .unwrap_err();
    assert!(matches!(e, NotificationError::Fetch(_)), "{e:?}");
    assert!(e.should_retry());
    assert!(e.to_string().contains("could not fetch the payment"));
    // The fetch is a read: the transport tried it as often as its policy allows.
    assert_eq!(fake.calls(), 3);
}
