//! End to end through a real socket, once: create an invoice, then fetch it.

use httpmock::prelude::*;
use pagos_core::{PaymentProvider, PaymentStatus};
use pagos_kashio::KashioClient;
use serde_json::Value;

use crate::support::*;

#[tokio::test]
async fn create_then_get_over_http() {
    let server = MockServer::start_async().await;
    let expected_body: Value = serde_json::from_str(CREATE_REQUEST).unwrap();
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(path("/invoices"))
                .header("authorization", AUTH)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .json_body(expected_body);
            then.status(200)
                .header("content-type", "application/json")
                .body(CREATE_RESPONSE);
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/invoices/inv_live_oFPMsJmgmxBhPiWAoWFZ3n"))
                .header("authorization", AUTH)
                .header("accept", "application/json");
            then.status(200).body(GET_RESPONSE);
        })
        .await;
    let client = KashioClient::builder()
        .secret_key(KEY)
        .base_url(server.url(BASE))
        .unwrap()
        .build()
        .unwrap();

    let created = client.invoices().create(seed_invoice()).await.unwrap();
    create.assert_async().await;
    assert_eq!(created.id, "inv_live_oFPMsJmgmxBhPiWAoWFZ3n");
    assert_eq!(created.raw.get(), CREATE_RESPONSE.trim());

    let payment = client.get_payment(&created.id).await.unwrap();
    get.assert_async().await;
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(payment.raw.get(), GET_RESPONSE.trim());
}
