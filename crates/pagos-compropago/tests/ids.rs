//! Ids cannot change a path: every order and account id, including the order id a
//! forged (unsigned) webhook body names, is checked under its own field name before
//! anything is sent with the merchant's keys.

use httpmock::MockServer;
use pagos_compropago::Client;
use pagos_compropago::webhook::{ExpectedOrder, WebhookError};
use pagos_core::{Currency, Error, Money, PaymentProvider};

/// Ids the URL standard would resolve (`.`, `..`, their encoded forms), blank ids and
/// ids with control characters.
const BAD_IDS: [&str; 6] = ["", ".", "..", ".\n.", "%2e%2e", "a\u{0}b"];

fn client(server: &MockServer) -> Client {
    Client::builder()
        .private_key("sk_test_4f9c2e7a1b3d")
        .public_key("pk_test_8e1d5c0b9a7f")
        .base_url(server.url("/compropago"))
        .unwrap()
        .build()
        .unwrap()
}

async fn catch_all(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|_when, then| {
            then.status(200)
                .body(r#"{"code":200,"status":"success","data":[]}"#);
        })
        .await
}

fn field<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Validation(v)) => v.field().to_string(),
        other => format!("not a validation error: {other:?}"),
    }
}

#[tokio::test]
async fn order_and_account_ids_are_checked_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let c = client(&server);
    for id in BAD_IDS {
        assert_eq!(field(c.orders().get(id).await), "order_id", "{id:?}");
        assert_eq!(
            field(c.accounts().subaccounts(id).await),
            "account_id",
            "{id:?}"
        );
        assert_eq!(
            field(c.accounts().transactions(id, None).await),
            "account_id",
            "{id:?}"
        );
        assert_eq!(field(c.get_payment(id).await), "payment_id", "{id:?}");
    }
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn a_forged_webhook_order_id_fetches_nothing() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let c = client(&server);
    let expected =
        ExpectedOrder::by_product_id(Money::parse("150.00", Currency::Mxn).unwrap(), "orden-42");
    for id in BAD_IDS {
        // Serialized by serde_json, so the id the parser reads is the bad id itself.
        let body = serde_json::json!({ "id": id, "status": "ACCEPTED" }).to_string();
        match c.confirm_webhook(body.as_bytes(), &expected).await {
            Err(WebhookError::Invalid(v)) => assert_eq!(v.field(), "webhook.id", "{id:?}"),
            other => panic!("{id:?}: expected the posted id to be refused, got {other:?}"),
        }
        // An id padded with white space is trimmed by the parser and so refused too.
        let padded = serde_json::json!({ "id": format!(" {id} ") }).to_string();
        assert!(
            matches!(
                c.confirm_webhook(padded.as_bytes(), &expected).await,
                Err(WebhookError::Invalid(_))
            ),
            "{id:?}"
        );
    }
    assert_eq!(any.calls_async().await, 0);
}
