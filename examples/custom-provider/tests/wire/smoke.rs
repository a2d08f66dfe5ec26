//! End to end through a real socket (httpmock): create then get through the unified
//! trait, an unreadable answer, and input that must never be sent.

use std::sync::Arc;
use std::time::Duration;

use httpmock::prelude::*;
use pagos_acmepay::AcmepayClient;
use pagos_core::{
    CreatePayment, Currency, Error, Money, PaymentProvider, PaymentStatus, RetryPolicy, Transport,
};

use super::{CHARGE, KEY, order};

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
        .base_url(server.base_url())
        .unwrap()
        .transport(transport)
        .build()
        .unwrap()
}

#[tokio::test]
async fn create_then_get_through_the_unified_trait() {
    let server = MockServer::start_async().await;
    let create = server
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
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/charges/ch_1")
                .header("authorization", format!("Bearer {KEY}"));
            then.status(200).body(CHARGE.replace("pending", "paid"));
        })
        .await;
    let provider: Arc<dyn PaymentProvider> = Arc::new(client(&server));
    let payment = provider.create_payment(&order()).await.unwrap();
    create.assert_async().await;
    assert_eq!(payment.id, "ch_1");
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(payment.amount.unwrap().to_plain_string(), "10.50");
    assert_eq!(payment.raw.get(), CHARGE);

    let fetched = provider.get_payment("ch_1").await.unwrap();
    get.assert_async().await;
    assert_eq!(fetched.status, PaymentStatus::Succeeded);
}

#[tokio::test]
async fn an_unreadable_create_answer_is_outcome_unknown_with_a_hint() {
    let server = MockServer::start_async().await;
    let create = server
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
    // Sent once: a create is never retried.
    create.assert_async().await;
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
    // An id that would change the request path never leaves: the resource names it
    // as the charge's, the unified API as the payment's.
    for id in ["", ".", "..", ".\n."] {
        let err = c.charges().get(id).await.unwrap_err();
        assert_eq!(err.validation_field(), Some("charge_id"), "{id:?}");
        let err = c.get_payment(id).await.unwrap_err();
        assert_eq!(err.validation_field(), Some("payment_id"), "{id:?}");
    }
    mock.assert_calls_async(0).await;
}
