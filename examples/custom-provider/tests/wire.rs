//! Wire tests: what goes out on each call and how each answer is read.

use std::sync::Arc;
use std::time::Duration;

use httpmock::prelude::*;
use pagos_acmepay::AcmepayClient;
use pagos_core::{
    CreatePayment, Currency, Error, Money, PaymentProvider, PaymentStatus, RetryPolicy, Transport,
};

const KEY: &str = "sk_test_acmepay_secret";

fn client(server: &MockServer) -> AcmepayClient {
    let transport = Transport::builder()
        .retry(
            RetryPolicy::attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    AcmepayClient::builder()
        .api_key(KEY)
        .base_url(&server.base_url())
        .unwrap()
        .transport(transport)
        .build()
        .unwrap()
}

fn order() -> CreatePayment {
    CreatePayment::builder(Money::parse("10.5", Currency::Mxn).unwrap(), "Order 42")
        .merchant_reference("order-42")
        .build()
        .unwrap()
}

const CHARGE: &str = r#"{"id":"ch_1","status":"pending","amount":"10.50","currency":"MXN","reference":"order-42","checkout_url":"https://pay.example/ch_1"}"#;

#[tokio::test]
async fn create_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/charges")
                .header("authorization", format!("Bearer {KEY}"))
                .header("content-type", "application/json")
                .json_body(serde_json::json!({
                    "amount": "10.50", "currency": "MXN", "description": "Order 42", "reference": "order-42"
                }));
            then.status(201).body(CHARGE);
        })
        .await;
    let provider: Arc<dyn PaymentProvider> = Arc::new(client(&server));
    let payment = provider.create_payment(&order()).await.unwrap();
    mock.assert_async().await;
    assert_eq!(payment.id, "ch_1");
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(payment.amount.unwrap().to_plain_string(), "10.50");
}

#[tokio::test]
async fn get_reads_the_charge() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/charges/ch_1");
            then.status(200).body(CHARGE.replace("pending", "paid"));
        })
        .await;
    let payment = client(&server).get_payment("ch_1").await.unwrap();
    mock.assert_async().await;
    assert_eq!(payment.status, PaymentStatus::Succeeded);
}

#[tokio::test]
async fn provider_errors_keep_code_message_and_body() {
    let server = MockServer::start_async().await;
    let body = r#"{"error":{"code":"amount_too_low","message":"Amount too low"}}"#;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/charges");
            then.status(422).body(body);
        })
        .await;
    let err = client(&server).create_payment(&order()).await.unwrap_err();
    let p = err.as_provider_error().expect("provider error");
    assert_eq!(
        (p.http_status, p.code.as_deref()),
        (422, Some("amount_too_low"))
    );
    assert_eq!(p.message, "Amount too low");
    assert_eq!(p.raw_body, body);
}

#[tokio::test]
async fn an_unreadable_create_answer_is_outcome_unknown_with_a_hint() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/charges");
            then.status(200).body("<html>maintenance</html>");
        })
        .await;
    match client(&server).create_payment(&order()).await.unwrap_err() {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.raw_body.as_deref(), Some("<html>maintenance</html>"));
            assert!(u.hint.unwrap().contains("order-42"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let c = client(&server);
    let no_reference = CreatePayment::builder(Money::parse("10", Currency::Mxn).unwrap(), "x")
        .build()
        .unwrap();
    let err = c.create_payment(&no_reference).await.unwrap_err();
    assert_eq!(err.validation_field(), Some("merchant_reference"));
    let clp = CreatePayment::builder(Money::parse("10", Currency::Clp).unwrap(), "x")
        .merchant_reference("r")
        .build()
        .unwrap();
    assert_eq!(
        c.create_payment(&clp).await.unwrap_err().validation_field(),
        Some("currency")
    );
    // An id that would change the request path never leaves.
    for id in ["", ".", "..", ".\n."] {
        let err = c.get_charge(id).await.unwrap_err();
        assert_eq!(err.validation_field(), Some("charge_id"), "{id:?}");
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[test]
fn secrets_are_redacted() {
    let c = AcmepayClient::builder().api_key(KEY).build().unwrap();
    assert!(!format!("{c:?}").contains(KEY));
    let b = AcmepayClient::builder().api_key(KEY);
    assert!(!format!("{b:?}").contains(KEY));
}
