//! The two calls every client-side comparison is made of: one SDK call and the raw
//! reqwest call that does the same work, against the same loopback invoice server.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use pagos::kashio::KashioClient;
use pagos::{PaymentProvider, RetryPolicy, Transport};

/// The invoice of KashIO's API document, served for both the SDK and the raw calls.
pub const INVOICE: &str = r#"{"amount":15.0,"created":"2020-01-01T23:33:36","currency":"PEN","customer":{"document_id":"10203040","document_type":"DNI","email":"juan.perez.xxx@gmail.com","external_id":"CUS-10203040-001","name":"JUAN PEREZ","phone":"+13055606666"},"due_datetime":"2020-01-02T04:59:59","expiration_datetime":"2020-02-01T05:00:00","fees":0.0,"id":"inv_live_oFPMsJmgmxBhPiWAoWFZ3n","invoice_id":"INV-000001-001","ktin":"201590965569","late_fee":0.0,"livemode":false,"metadata":{"order_description":"Deuda Enero 2019","order_id":"000001-001","order_name":"Deuda Enero 2019"},"object":"invoice","status":"NEW","sub_total":15.0,"token":"E9e866w3BZRpmMEu5bgLCi"}"#;
pub const INVOICE_ID: &str = "inv_live_oFPMsJmgmxBhPiWAoWFZ3n";
pub const KASHIO_KEY: &str = "sk_test_bench";

/// Binds a loopback port and returns the listener with the base URL the clients use.
pub async fn bind() -> (tokio::net::TcpListener, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    (listener, format!("http://{addr}/v1/payments"))
}

/// Serves the invoice on `listener` until the runtime stops.
pub async fn serve(listener: tokio::net::TcpListener) {
    let app = Router::new().route(
        "/v1/payments/invoices/{id}",
        get(|| async { ([("content-type", "application/json")], INVOICE) }),
    );
    let _ = axum::serve(listener, app).await;
}

/// Starts the invoice server as a task of the current runtime.
pub async fn invoice_server() -> String {
    let (listener, base) = bind().await;
    tokio::spawn(serve(listener));
    base
}

/// The SDK side: a KashIO client with retries off (the raw side does not retry either).
pub fn sdk_client(base: &str) -> KashioClient {
    KashioClient::builder()
        .secret_key(KASHIO_KEY)
        .base_url(base)
        .expect("base url")
        .transport(
            Transport::builder()
                .retry(RetryPolicy::NONE)
                .build()
                .expect("transport"),
        )
        .build()
        .expect("client")
}

/// The raw side: a plain reqwest client.
pub fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("reqwest")
}

/// The URL the SDK's `get_payment` requests, for the raw side.
pub fn raw_url(base: &str) -> String {
    format!("{base}/invoices/{INVOICE_ID}")
}

/// One SDK call through the unified trait, `PaymentProvider::get_payment`: id check,
/// request description, Basic auth, the transport, typed decoding of the invoice and
/// its mapping to the unified `Payment`.
pub async fn sdk_call(sdk: &KashioClient) {
    let payment = PaymentProvider::get_payment(sdk, INVOICE_ID)
        .await
        .expect("sdk get_payment");
    std::hint::black_box(payment);
}

/// The same work by hand: the same GET with the same Basic auth, the whole body read,
/// the status checked and the JSON parsed into a `serde_json::Value`.
pub async fn raw_call(raw: &reqwest::Client, url: &str) {
    let response = raw
        .get(url)
        .basic_auth(KASHIO_KEY, Some(""))
        .send()
        .await
        .expect("raw get");
    assert!(
        response.status().is_success(),
        "raw get: {}",
        response.status()
    );
    let body = response.bytes().await.expect("raw body");
    let value: serde_json::Value = serde_json::from_slice(&body).expect("raw json");
    std::hint::black_box(value);
}
