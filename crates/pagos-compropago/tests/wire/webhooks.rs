//! Webhooks: [`CompropagoClient::confirm_webhook`](pagos_compropago::CompropagoClient::confirm_webhook)
//! fetches the order through `GET /v2/orders/{id}` and checks it.

use pagos_compropago::OrderStatus;
use pagos_compropago::webhook::{Check, ExpectedOrder, WebhookEvent};
use pagos_core::transport::Method;

use crate::*;

#[tokio::test]
async fn webhook_test_ping_is_recognised_without_fetching() {
    let script = Recorder::answering(500, "should not be called");
    let c = scripted(&script);
    let expected = ExpectedOrder::by_order_id(mxn("12.56"), ORDER_ID);
    for body in [
        r#"{"id":"ch_00000000-0000-0000-0000-000000000000","short_id":"000000","status":"ACCEPTED"}"#,
        r#"{"id":"ch_x","shortId":"000000"}"#,
    ] {
        assert_eq!(
            c.confirm_webhook(body.as_bytes(), &expected).await.unwrap(),
            WebhookEvent::TestPing
        );
    }
    assert_eq!(script.calls(), 0);
}

#[tokio::test]
async fn webhook_trusts_the_fetched_order_not_the_posted_body() {
    let script = Recorder::answering(200, GET_ORDER); // says PENDING
    // The posted body claims the order was paid.
    let posted = GET_ORDER.replace(r#""status": "PENDING""#, r#""status": "ACCEPTED""#);
    assert!(posted.contains("ACCEPTED"));
    let expected = ExpectedOrder::by_product_id(mxn("12.56"), "SMGCURL1");
    let event = scripted(&script)
        .confirm_webhook(posted.as_bytes(), &expected)
        .await
        .unwrap();
    let sent = script.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method(), Method::GET);
    assert_eq!(
        sent[0].url().path(),
        format!("/compropago/v2/orders/{ORDER_ID}")
    );
    assert_eq!(sent[0].header_str("authorization"), Some(BASIC));
    let WebhookEvent::Order(order) = event else {
        panic!("expected an order, got {event:?}")
    };
    assert_eq!(order.id, ORDER_ID);
    assert_eq!(order.status, OrderStatus::Pending);
    // The fetched order's text, not the posted one.
    assert_eq!(order.raw.get(), GET_ORDER.trim_end());
}

#[tokio::test]
async fn webhook_for_another_paid_order_of_the_same_amount_is_refused() {
    // A real order of the same price, paid: the forger's own, product.id SMGCURL1.
    let paid = GET_ORDER.replace(r#""status": "PENDING""#, r#""status": "ACCEPTED""#);
    let script = Recorder::answering(200, paid.clone());
    let c = scripted(&script);
    // The merchant waits for its order "orden-42" of 12.56 MXN.
    let e = c
        .confirm_webhook(
            paid.as_bytes(),
            &ExpectedOrder::by_product_id(mxn("12.56"), "orden-42"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(Check::ProductId), "{e:?}");
    assert_eq!(
        e.to_string(),
        "ComproPago webhook: product.id check failed: expected orden-42, got SMGCURL1"
    );
    assert!(!e.should_retry());
    // The right order for another price is refused too.
    let e = c
        .confirm_webhook(
            paid.as_bytes(),
            &ExpectedOrder::by_product_id(mxn("125.60"), "SMGCURL1"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(Check::Amount), "{e:?}");
    assert_eq!(script.calls(), 2);
    assert!(
        script
            .requests()
            .iter()
            .all(|r| r.url().path() == format!("/compropago/v2/orders/{ORDER_ID}"))
    );

    // Expecting ComproPago's id of another order, the posted id alone refuses it:
    // nothing more is fetched.
    let e = c
        .confirm_webhook(
            paid.as_bytes(),
            &ExpectedOrder::by_order_id(mxn("12.56"), "ch_the-merchants-own-order"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(Check::OrderId), "{e:?}");
    assert_eq!(script.calls(), 2);
}

#[tokio::test]
async fn a_fetch_that_may_pass_asks_for_the_webhook_again() {
    let script = Recorder::answering(503, "Service Unavailable");
    let e = scripted(&script)
        .confirm_webhook(
            br#"{"id":"ch_1"}"#,
            &ExpectedOrder::by_order_id(mxn("12.56"), "ch_1"),
        )
        .await
        .unwrap_err();
    // A read: retried, then reported as a failure worth another webhook.
    assert_eq!(script.calls(), 3);
    assert!(e.should_retry(), "{e:?}");
}
