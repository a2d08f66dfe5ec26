//! Retries through a real socket: the keyed cash-out is resent with identical bytes,
//! the other state-changing calls are sent once, reads are retried.

use std::sync::{Arc, Mutex};

use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use pagos_telepagos::{PaymentLinkRequest, QrRequest, StaticQrOrderRequest, TransferRequest};

use crate::cashouts::{CASHOUT_BODY, cashout_request};
use crate::mock::{auth, client, path};
use crate::{BEARER, CASHOUT, CUIT, CVU, JSON, ars, provider_error, server_failure};

#[tokio::test]
async fn cashout_is_retried_after_a_503_with_the_identical_body() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let bodies = Arc::new(Mutex::new(Vec::<Vec<u8>>::new()));
    let seen = bodies.clone();
    let m = server
        .mock_async(move |when, then| {
            when.method(POST)
                .path(path("payment/cashout"))
                .header("authorization", BEARER)
                .header("content-type", JSON);
            then.respond_with(move |req: &HttpMockRequest| {
                let mut seen = seen.lock().unwrap();
                seen.push(req.body_vec());
                let (status, body) = if seen.len() == 1 {
                    (
                        503,
                        r#"{"status":"error","message":"Servicio no disponible"}"#,
                    )
                } else {
                    (200, CASHOUT)
                };
                HttpMockResponse::builder()
                    .status(status)
                    .header("content-type", JSON)
                    .body(body)
                    .build()
            });
        })
        .await;
    let receipt = client(&server)
        .cashouts()
        .create(&cashout_request())
        .await
        .unwrap();
    assert_eq!(receipt.id, "98765");
    m.assert_calls_async(2).await;
    let bodies = bodies.lock().unwrap();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1], "the retry must resend the same bytes");
    assert_eq!(bodies[0], CASHOUT_BODY.as_bytes());
}

#[tokio::test]
async fn non_idempotent_posts_are_sent_once_on_503() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let unavailable = |p: &'static str| {
        let server = &server;
        async move {
            server
                .mock_async(|when, then| {
                    when.method(POST).path(path(p));
                    then.status(503)
                        .header("content-type", JSON)
                        .body(r#"{"status":"error","message":"Servicio no disponible"}"#);
                })
                .await
        }
    };
    let qr = unavailable("payment/cashin/qr/generate").await;
    let link = unavailable("payment/cashin/link/generate").await;
    let transfer = unavailable("payment/cashin/transfer/generate").await;
    let order = unavailable("payment/cashin/qr/static/order").await;
    let sale_point = unavailable("payment/cashin/qr/sale-point").await;
    let c = client(&server);

    let u = server_failure(
        c.cashins()
            .qr(&QrRequest::new(ars("1"), "x"))
            .await
            .unwrap_err(),
    );
    assert_eq!((u.http_status, u.attempts), (Some(503), 1));
    assert_eq!(u.message.as_deref(), Some("Servicio no disponible"));
    // The generate calls say how to find out whether they took effect.
    assert!(u.hint.unwrap().contains(r#"QR code with concept "x""#));
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let u = server_failure(
        c.cashins()
            .payment_link(&PaymentLinkRequest::new(ars("1"), "x", expires))
            .await
            .unwrap_err(),
    );
    assert_eq!((u.http_status, u.attempts), (Some(503), 1));
    server_failure(
        c.cashins()
            .transfer_link(&TransferRequest::new(CVU, CUIT, ars("1"), "x"))
            .await
            .unwrap_err(),
    );
    server_failure(
        c.sale_points()
            .static_qr_order(&StaticQrOrderRequest::new(ars("1"), "x", 12))
            .await
            .unwrap_err(),
    );
    server_failure(c.sale_points().create("Caja 3").await.unwrap_err());

    for m in [qr, link, transfer, order, sale_point] {
        m.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn reads_are_retried_and_a_non_json_502_is_a_provider_error() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path(path("account/balance"));
            then.status(502)
                .header("content-type", "text/html")
                .body("<html><body>502 Bad Gateway</body></html>");
        })
        .await;
    let p = provider_error(client(&server).account().balance().await.unwrap_err());
    assert_eq!(p.http_status, 502);
    assert_eq!(p.message, "HTTP 502 error with a non-JSON body");
    assert_eq!(p.raw_body, "<html><body>502 Bad Gateway</body></html>");
    // A GET is idempotent: the transport tried three times.
    assert_eq!(p.attempts, 3);
    m.assert_calls_async(3).await;
}
