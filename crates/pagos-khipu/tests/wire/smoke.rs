//! One end-to-end run through a real socket (httpmock on 127.0.0.1): create a payment,
//! then fetch it, each request signed over the loopback base URL.

use httpmock::Method::{GET, POST};
use httpmock::MockServer;
use pagos_core::PaymentStatus;
use pagos_khipu::{CreatePaymentRequest, KhipuClient};

use crate::support::*;

#[tokio::test]
async fn create_then_get_through_a_socket() {
    let server = MockServer::start_async().await;
    let client = KhipuClient::builder()
        .receiver_id(RECEIVER)
        .secret(SECRET)
        .base_url(server.url(PREFIX))
        .unwrap()
        .transport(transport())
        .build()
        .unwrap();
    let payments_url = server.url(format!("{PREFIX}/payments"));
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{PREFIX}/payments"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header(
                    "authorization",
                    ref_authorization(
                        "POST",
                        &payments_url,
                        &[("subject", "Test"), ("currency", "CLP"), ("amount", "1000")],
                    ),
                )
                .body("subject=Test&currency=CLP&amount=1000");
            then.status(200)
                .header("content-type", JSON)
                .body(PAYMENT_CREATE);
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{PREFIX}/payments/gqzdy6chjne9"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header(
                    "authorization",
                    ref_authorization("GET", &format!("{payments_url}/gqzdy6chjne9"), &[]),
                );
            then.status(200).body(PAYMENT_DONE);
        })
        .await;

    let request = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    let created = client.payments().create(&request).await.unwrap();
    create.assert_async().await;
    assert_eq!(created.payment_id, "gqzdy6chjne9");
    assert_eq!(created.raw.get(), PAYMENT_CREATE.trim_end());
    let payment = client.payments().get(&created.payment_id).await.unwrap();
    get.assert_async().await;
    assert_eq!(payment.unified_status(), PaymentStatus::Succeeded);
    assert_eq!(payment.raw.get(), PAYMENT_DONE.trim_end());
}
