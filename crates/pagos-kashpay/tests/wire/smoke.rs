//! End to end through a real socket: authenticate, then create an order.

use httpmock::{Method::POST, MockServer};
use pagos_kashpay::OrderStatus;

use super::*;

#[tokio::test]
async fn authenticate_then_create_an_order() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(ORDER_PATH)
                .header("authorization", format!("Bearer {JWT}"))
                .header("entity-i", ENTITY)
                .header("content-type", "application/json")
                .body(FULL_ORDER_BODY);
            then.status(200).body(ORDER_OK);
        })
        .await;

    let created = client(&server)
        .orders()
        .create(&full_order())
        .await
        .unwrap();
    auth.assert_async().await;
    orders.assert_async().await;
    assert_eq!(created.id, "13699");
    assert_eq!(created.status, OrderStatus::Applied);
    // (The fixture's final newline is not part of the JSON value.)
    assert_eq!(created.raw.get(), ORDER_OK.trim_end());
}
