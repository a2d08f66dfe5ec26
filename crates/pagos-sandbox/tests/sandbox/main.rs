//! The sandbox over HTTP, as a client sees it: authentication, life cycles, validation
//! envelopes, the control API, faults, notifications. Everything runs on 127.0.0.1 and
//! nothing sleeps to wait for something it can await.
//!
//! One module per simulated provider, then the control API and faults; the helpers that
//! start a sandbox and sign or send requests are here.

mod compropago;
mod control;
mod faults;
mod kashio;
mod kashpay;
mod khipu;
mod khipu_pac;
mod khipu_v3;
mod telepagos;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::routing::post;
use pagos_sandbox::{
    ClockStart, DeliveryPolicy, DeliveryState, Fault, FaultKind, Provider, SandboxConfig,
    SandboxHandle, khipu_signature,
};
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tokio::sync::mpsc;

// ---------------------------------------------------------------------------------------
// Helpers

fn start_time() -> time::OffsetDateTime {
    time::macros::datetime!(2030-01-15 12:00:00 UTC)
}

fn config() -> pagos_sandbox::SandboxConfigBuilder {
    SandboxConfig::builder()
        .seed(42)
        .clock(ClockStart::Fixed(start_time()))
        .delivery(DeliveryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            timeout: Duration::from_secs(5),
        })
}

async fn sandbox() -> SandboxHandle {
    pagos_sandbox::start(config().build())
        .await
        .expect("sandbox starts")
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// Sends and reads the whole answer as (status, body text).
async fn send(req: reqwest::RequestBuilder) -> Result<(u16, String), reqwest::Error> {
    let resp = req.send().await?;
    let status = resp.status().as_u16();
    Ok((status, resp.text().await?))
}

async fn send_json(req: reqwest::RequestBuilder) -> (u16, Value) {
    let (status, text) = send(req).await.expect("an answer");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, body)
}

fn form(params: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

/// A signed Khipu request: query parameters for GET/DELETE, a form body for POST.
fn khipu_req(
    sb: &SandboxHandle,
    method: Method,
    path: &str,
    params: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    let creds = sb.credentials();
    let url = format!("{}{path}", sb.khipu_base_url());
    let signature = khipu_signature(&creds.khipu_secret, method.as_str(), &url, params);
    let authorization = format!("{}:{signature}", creds.khipu_receiver_id);
    let with_body = method == Method::POST;
    let target = if with_body || params.is_empty() {
        url
    } else {
        format!("{url}?{}", form(params))
    };
    let req = http()
        .request(method, target)
        .header("authorization", authorization)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json");
    if with_body {
        req.body(form(params))
    } else {
        req
    }
}

async fn khipu(
    sb: &SandboxHandle,
    method: Method,
    path: &str,
    params: &[(&str, &str)],
) -> (u16, Value) {
    send_json(khipu_req(sb, method, path, params)).await
}

async fn create_khipu_payment(sb: &SandboxHandle, extra: &[(&str, &str)]) -> String {
    let mut params = vec![
        ("subject", "Compra de prueba"),
        ("currency", "CLP"),
        ("amount", "1000"),
    ];
    params.extend_from_slice(extra);
    let (status, body) = khipu(sb, Method::POST, "/payments", &params).await;
    assert_eq!(status, 200, "{body}");
    body["payment_id"].as_str().unwrap().to_string()
}

fn kashio_req(sb: &SandboxHandle, method: Method, path: &str) -> reqwest::RequestBuilder {
    http()
        .request(method, format!("{}{path}", sb.kashio_base_url()))
        .basic_auth(&sb.credentials().kashio_secret_key, Some(""))
}

fn invoice_body() -> Value {
    json!({
        "customer": { "name": "JUAN PEREZ", "email": "juan@example.com", "phone": "+51987654321",
                      "document_type": "DNI", "document_id": "10203040" },
        "metadata": { "order_id": "000001-001" },
        "invoice_id": "INV-000001-001",
        "request_datetime": "2030-01-15T12:00:00",
        "expiration_datetime": "2030-01-15T13:00:00",
        "amount": 15.00,
        "currency": "PEN",
    })
}

async fn create_invoice(sb: &SandboxHandle) -> String {
    let (status, body) =
        send_json(kashio_req(sb, Method::POST, "/invoices").json(&invoice_body())).await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_str().unwrap().to_string()
}

fn compropago_req(sb: &SandboxHandle, method: Method, path: &str) -> reqwest::RequestBuilder {
    let creds = sb.credentials();
    http()
        .request(method, format!("{}{path}", sb.compropago_base_url()))
        .basic_auth(
            &creds.compropago_private_key,
            Some(&creds.compropago_public_key),
        )
}

fn order_body(customer_id: &str) -> Value {
    json!({
        "product": { "id": "SMGCURL1", "price": 150, "name": "SAMSUNG GOLD CURL", "currency": "MXN" },
        "customer": { "id": customer_id, "name": "Waldix", "email": "waldix@example.com", "phone": "5513899832" },
        "payment": { "type": "SPEI" },
    })
}

async fn kashpay_token(sb: &SandboxHandle) -> String {
    let creds = sb.credentials();
    let body = json!({ "entity": creds.kashpay_entity, "user": creds.kashpay_user, "password": creds.kashpay_password });
    let (status, body) = send_json(
        http()
            .post(format!(
                "{}/AuthenticationService/authenticate",
                sb.kashpay_base_url()
            ))
            .json(&body),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["authenticationResponse"]["token"]
        .as_str()
        .unwrap()
        .to_string()
}

fn kashpay_order(sb: &SandboxHandle, token: &str, body: &Value) -> reqwest::RequestBuilder {
    http()
        .post(format!("{}/OKPay/createOrder", sb.kashpay_base_url()))
        .bearer_auth(token)
        .header("Entity-i", &sb.credentials().kashpay_entity)
        .json(body)
}

fn spei_out(amount: &str) -> Value {
    serde_json::from_str(&format!(
        r#"{{"typeTransaction": 1, "amount": {amount}, "currency": 484,
            "beneficiaryAcount": "032180000118359719", "beneficiaryTypeAcount": 40,
            "beneficiaryName": "Juan Perez", "concept": "Pago de servicios",
            "numericReference": "1234567", "dateTransaction": "150130"}}"#
    ))
    .unwrap()
}

async fn telepagos_token(sb: &SandboxHandle) -> String {
    let creds = sb.credentials();
    let (status, body) = send_json(
        http()
            .post(format!("{}/v2/auth/token", sb.telepagos_base_url()))
            .json(&json!({ "username": creds.telepagos_username, "password": creds.telepagos_password })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ok");
    body["token"].as_str().unwrap().to_string()
}

fn telepagos_req(
    sb: &SandboxHandle,
    token: &str,
    method: Method,
    path: &str,
) -> reqwest::RequestBuilder {
    http()
        .request(method, format!("{}{path}", sb.telepagos_base_url()))
        .bearer_auth(token)
}

fn cashout_body(reference: &str, amount: &str) -> Value {
    serde_json::from_str(&format!(
        r#"{{"cvu": "2850590940090418135201", "cuit": "20-26756539-3", "amount": {amount},
            "reference_id": "{reference}", "concept": "VAR", "description": "Pago a proveedor"}}"#
    ))
    .unwrap()
}

/// A tiny merchant endpoint on 127.0.0.1 that records every POST (content type and body)
/// and fails the first `failures` of them with a 500.
async fn receiver(failures: usize) -> (String, mpsc::UnboundedReceiver<(String, String)>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let seen = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let (tx, seen) = (tx.clone(), Arc::clone(&seen));
            async move {
                let content_type = headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let _ = tx.send((content_type, body));
                if seen.fetch_add(1, Ordering::SeqCst) < failures {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}
