//! End to end through a real socket: create an order, then fetch it.

use httpmock::Method::{GET, POST};
use httpmock::MockServer;
use pagos_compropago::{Client, OrderStatus};

use crate::*;

#[tokio::test]
async fn create_then_get_an_order_over_http() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/compropago/v2/orders")
                .header("authorization", BASIC)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .body(
                    r#"{"product":{"id":"SMGCURL1","price":150.00,"name":"SAMSUNG GOLD CURL","currency":"MXN","url":"http://dummyurl.com/smgcul1.jpg"},"customer":{"id":"cust-1","name":"Waldix","email":"waldix@compropago.com","phone":"5513899832"},"payment":{"type":"SPEI"},"expiresAt":1560139200}"#,
                );
            then.status(200)
                .header("content-type", "application/json")
                .body(CREATE_ORDER);
        })
        .await;
    let id = "ch_ca001318-7f70-47a9-90a2-df3e755d9be3";
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/compropago/v2/orders/{id}"))
                .header("authorization", BASIC)
                .header("accept", "application/json");
            then.status(200).body(GET_ORDER);
        })
        .await;
    let client = Client::builder()
        .private_key(SK)
        .public_key(PK)
        .base_url(server.url("/compropago"))
        .unwrap()
        .transport(transport())
        .build()
        .unwrap();

    let created = client.orders().create(&seed_order()).await.unwrap();
    create.assert_async().await;
    assert_eq!(created.id, id);
    assert_eq!(created.status, OrderStatus::Pending);
    assert_eq!(created.payment.clabe.as_deref(), Some("646180146400219781"));

    let fetched = client.orders().get(&created.id).await.unwrap();
    get.assert_async().await;
    assert_eq!(fetched.status, OrderStatus::Pending);
    assert_eq!(fetched.raw.get(), GET_ORDER.trim_end());
}
