//! The sandbox over HTTP, as a client sees it: authentication, life cycles, validation
//! envelopes, the control API, faults, notifications. Everything runs on 127.0.0.1 and
//! nothing sleeps to wait for something it can await.

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

// ---------------------------------------------------------------------------------------
// Khipu

#[tokio::test]
async fn khipu_accepts_a_correct_signature_and_refuses_others() {
    let sb = sandbox().await;
    let (status, body) = khipu(&sb, Method::GET, "/banks", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["banks"][0]["bank_id"], "Bawdf");

    // A signature over other parameters than those sent.
    let url = format!("{}/payments", sb.khipu_base_url());
    let signature = khipu_signature("abc123", "POST", &url, &[("subject", "otra")]);
    let (status, body) = send_json(
        http()
            .post(&url)
            .header("authorization", format!("1234:{signature}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("subject", "Test"),
                ("currency", "CLP"),
                ("amount", "1000"),
            ])),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(body["status"], 403);
    assert!(body["message"].is_string());

    // An unknown receiver, and no header at all.
    let (status, _) = send_json(
        http()
            .get(format!("{}/banks", sb.khipu_base_url()))
            .header("authorization", "999:00"),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = send_json(http().get(format!("{}/banks", sb.khipu_base_url()))).await;
    assert_eq!((status, body["status"].as_i64()), (403, Some(403)));
}

#[tokio::test]
async fn khipu_signature_covers_query_and_percent_encoded_values() {
    let sb = sandbox().await;
    let id = create_khipu_payment(&sb, &[("body", "ñandú (azul) & más*")]).await;
    let (status, body) = khipu(&sb, Method::GET, &format!("/payments/{id}"), &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"], "ñandú (azul) & más*");
    // The trailing slash is accepted (and signed as sent).
    let (status, _) = khipu(&sb, Method::GET, &format!("/payments/{id}/"), &[]).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn khipu_payment_life_cycle() {
    let sb = sandbox().await;
    let id = create_khipu_payment(&sb, &[("transaction_id", "ORD-1")]).await;
    assert_eq!(id.len(), 12);

    let (_, body) = khipu(&sb, Method::GET, &format!("/payments/{id}"), &[]).await;
    assert_eq!(
        (body["status"].as_str(), body["status_detail"].as_str()),
        (Some("pending"), Some("pending"))
    );
    assert_eq!(body["receiver_id"], 1234);
    assert_eq!(body["expires_date"], "2030-01-16T12:00:00Z");

    // Refunds and confirmation need a paid payment.
    let (status, _) = khipu(&sb, Method::POST, &format!("/payments/{id}/refunds"), &[]).await;
    assert_eq!(status, 400);

    assert_eq!(
        sb.verify(Provider::Khipu, &id).unwrap().status,
        "verifying/pending"
    );
    let (status, body) = khipu(&sb, Method::DELETE, &format!("/payments/{id}"), &[]).await;
    assert_eq!(status, 400, "only pending payments can be deleted: {body}");
    assert_eq!(sb.pay(Provider::Khipu, &id).unwrap().status, "done/normal");
    let (_, text) = send(khipu_req(&sb, Method::GET, &format!("/payments/{id}"), &[]))
        .await
        .unwrap();
    assert!(
        text.contains(r#""amount":1000.0000"#),
        "amount as a JSON number with 4 decimals: {text}"
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (body["status"].as_str(), body["status_detail"].as_str()),
        (Some("done"), Some("normal"))
    );
    assert_eq!(body["conciliation_date"], "2030-01-15T12:00:00Z");

    // Partial refund, too much, then the rest: reversed.
    let path = format!("/payments/{id}/refunds");
    let (status, _) = khipu(&sb, Method::POST, &path, &[("amount", "400")]).await;
    assert_eq!(status, 200);
    let (status, body) = khipu(&sb, Method::POST, &path, &[("amount", "700")]).await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["field"], "amount");
    let (status, _) = khipu(&sb, Method::POST, &path, &[]).await;
    assert_eq!(status, 200);
    let (_, body) = khipu(&sb, Method::GET, &format!("/payments/{id}"), &[]).await;
    assert_eq!(body["status_detail"], "reversed");

    // A confirmed (rendered) payment can no longer be refunded.
    let other = create_khipu_payment(&sb, &[]).await;
    sb.pay(Provider::Khipu, &other).unwrap();
    let (status, _) = khipu(
        &sb,
        Method::POST,
        &format!("/payments/{other}/confirm"),
        &[],
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = khipu(
        &sb,
        Method::POST,
        &format!("/payments/{other}/refunds"),
        &[("amount", "1")],
    )
    .await;
    assert_eq!(status, 400, "{body}");

    // A pending payment can be deleted; then it is gone.
    let third = create_khipu_payment(&sb, &[]).await;
    let (status, _) = khipu(&sb, Method::DELETE, &format!("/payments/{third}"), &[]).await;
    assert_eq!(status, 200);
    let (status, _) = khipu(&sb, Method::GET, &format!("/payments/{third}"), &[]).await;
    assert_eq!(status, 404);

    // Paying twice is refused by the control API.
    assert!(matches!(
        sb.pay(Provider::Khipu, &id),
        Err(pagos_sandbox::Error::NotAllowed { .. })
    ));
    assert!(matches!(
        sb.pay(Provider::Khipu, "nope"),
        Err(pagos_sandbox::Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn khipu_validation_errors_name_the_fields() {
    let sb = sandbox().await;
    let (status, body) = khipu(
        &sb,
        Method::POST,
        "/payments",
        &[
            ("currency", "XYZ"),
            ("amount", "1,000"),
            ("notify_url", "nope"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["status"], 400);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["subject", "currency", "amount", "notify_url"],
        "{body}"
    );
    let (status, body) = khipu(
        &sb,
        Method::POST,
        "/payments",
        &[("subject", "x"), ("currency", "CLP"), ("amount", "10.5")],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["field"], "amount");
}

#[tokio::test]
async fn khipu_receivers_and_payment_methods() {
    let sb = sandbox().await;
    let params = [
        ("admin_first_name", "Ana"),
        ("admin_last_name", "Pérez"),
        ("admin_email", "ana@example.com"),
        ("country_code", "CL"),
        ("business_identifier", "76086428-5"),
        ("business_category", "Retail"),
        ("business_name", "Tienda"),
        ("business_phone", "+56911111111"),
        ("business_address_line_1", "Calle 1"),
        ("business_address_line_2", "Depto 2"),
        ("business_address_line_3", "Santiago"),
        ("contact_full_name", "Ana Pérez"),
        ("contact_job_title", "Gerente"),
        ("contact_email", "ana@example.com"),
        ("contact_phone", "+56911111111"),
    ];
    let (status, body) = khipu(&sb, Method::POST, "/receivers", &params).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["receiver_id"].is_string() && body["secret"].is_string());
    let (status, body) = khipu(&sb, Method::GET, "/merchants/1234/paymentMethods", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body["paymentMethods"][0]["id"], "simplified_transfer");
    let logo = body["paymentMethods"][0]["logo_url"].as_str().unwrap();
    let resp = http().get(logo).send().await.unwrap();
    assert_eq!(resp.headers()["content-type"], "image/svg+xml");
}

#[tokio::test]
async fn khipu_notification_is_posted_retried_and_confirmable() {
    let sb = sandbox().await;
    let (hook, mut received) = receiver(1).await;
    let id =
        create_khipu_payment(&sb, &[("notify_url", &hook), ("notify_api_version", "1.3")]).await;
    sb.pay(Provider::Khipu, &id).unwrap();

    let (first_type, first) = received.recv().await.unwrap();
    let (_, second) = received.recv().await.unwrap();
    assert_eq!(first_type, "application/x-www-form-urlencoded");
    assert_eq!(first, second, "the retry sends the same notification");
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(first.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(fields[0], ("api_version".to_string(), "1.3".to_string()));
    let token = fields[1].1.clone();

    sb.notifications_settled().await;
    let notes = sb.notifications();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].state, DeliveryState::Delivered);
    let statuses: Vec<Option<u16>> = notes[0].attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(500), Some(200)]);

    // The merchant confirms with the signed GET /payments?notification_token=...
    let (status, body) = khipu(
        &sb,
        Method::GET,
        "/payments",
        &[("notification_token", &token)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["payment_id"].as_str(), body["status"].as_str()),
        (Some(id.as_str()), Some("done"))
    );

    // The control API lists the same attempts.
    let (_, listed) = send_json(http().get(format!("{}/notifications", sb.control_url()))).await;
    assert_eq!(listed[0]["attempts"].as_array().unwrap().len(), 2);
    assert_eq!(listed[0]["state"], "delivered");
}

#[tokio::test]
async fn khipu_notification_gives_up_after_max_attempts() {
    let sb = sandbox().await;
    let (hook, mut received) = receiver(usize::MAX).await;
    let id = create_khipu_payment(&sb, &[("notify_url", &hook)]).await;
    sb.pay(Provider::Khipu, &id).unwrap();
    for _ in 0..3 {
        received.recv().await.unwrap();
    }
    sb.notifications_settled().await;
    let notes = sb.notifications();
    assert_eq!(notes[0].state, DeliveryState::Failed);
    assert_eq!(notes[0].attempts.len(), 3);
}

// ---------------------------------------------------------------------------------------
// KashIO

#[tokio::test]
async fn kashio_requires_the_secret_key() {
    let sb = sandbox().await;
    let url = format!("{}/invoices", sb.kashio_base_url());
    let (status, body) = send_json(http().get(&url)).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthorized");
    let (status, _) = send_json(http().get(&url).basic_auth("sk_test_wrong", Some(""))).await;
    assert_eq!(status, 401);
    let (status, body) = send_json(kashio_req(&sb, Method::GET, "/invoices")).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({ "object": "list", "has_more": false, "data": [] })
    );
}

#[tokio::test]
async fn kashio_invoice_life_cycle_and_events() {
    let sb = sandbox().await;
    let (status, text) = send(kashio_req(&sb, Method::POST, "/invoices").json(&invoice_body()))
        .await
        .unwrap();
    assert_eq!(status, 200, "{text}");
    assert!(text.contains(r#""amount":15.00"#), "{text}");
    let invoice: Value = serde_json::from_str(&text).unwrap();
    let id = invoice["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("inv_test_"));
    assert_eq!(invoice["status"], "NEW");
    assert_eq!(invoice["created"], "2030-01-15T12:00:00");

    // PATCH changes only amount, currency and expiration_datetime.
    let (status, text) = send(
        kashio_req(&sb, Method::PATCH, &format!("/invoices/{id}"))
            .json(&json!({ "amount": "23.32" })),
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert!(text.contains(r#""amount":23.32"#), "{text}");
    let (status, body) = send_json(
        kashio_req(&sb, Method::PATCH, &format!("/invoices/{id}"))
            .json(&json!({ "invoice_id": "X" })),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["param"], "invoice_id");

    // The payer pays through the control API over HTTP.
    let (status, body) =
        send_json(http().post(format!("{}/kashio/{id}/pay", sb.control_url()))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "PAID");
    let (_, body) = send_json(kashio_req(&sb, Method::GET, &format!("/invoices/{id}"))).await;
    assert_eq!(body["status"], "PAID");
    let (status, _) = send_json(kashio_req(&sb, Method::DELETE, &format!("/invoices/{id}"))).await;
    assert_eq!(status, 400, "a paid invoice cannot be voided");

    let (_, events) = send_json(kashio_req(&sb, Method::GET, "/events?date=2030-01-15")).await;
    let event = &events["data"][0];
    assert_eq!(event["type"], "invoice.paid");
    assert_eq!(event["data"]["url"], format!("//invoices/{id}"));
    assert_eq!(event["data"]["invoice"]["status"], "PAID");
    let event_id = event["id"].as_str().unwrap();
    let (status, body) =
        send_json(kashio_req(&sb, Method::GET, &format!("/events/{event_id}"))).await;
    assert_eq!((status, body["id"].as_str()), (200, Some(event_id)));

    // DELETE voids a NEW invoice.
    let second = create_invoice(&sb).await;
    let (status, body) = send_json(kashio_req(
        &sb,
        Method::DELETE,
        &format!("/invoices/{second}"),
    ))
    .await;
    assert_eq!((status, body["status"].as_str()), (200, Some("VOIDED")));
}

#[tokio::test]
async fn kashio_lists_filter_and_paginate_with_both_cursor_names() {
    let sb = sandbox().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(create_invoice(&sb).await);
    }
    sb.pay(Provider::Kashio, &ids[1]).unwrap();
    // Newest first.
    let (_, page) = send_json(kashio_req(&sb, Method::GET, "/invoices?limit=2")).await;
    let listed: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [ids[4].as_str(), ids[3].as_str()]);
    assert_eq!(page["has_more"], true);
    let (_, page) = send_json(kashio_req(
        &sb,
        Method::GET,
        &format!("/invoices?limit=2&starting_after={}", ids[3]),
    ))
    .await;
    assert_eq!(page["data"][0]["id"], ids[2].as_str());
    let (_, page) = send_json(kashio_req(
        &sb,
        Method::GET,
        &format!("/invoices?limit=2&start={}", ids[1]),
    ))
    .await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["has_more"], false);
    let (_, page) = send_json(kashio_req(
        &sb,
        Method::GET,
        &format!("/invoices?ending_before={}", ids[2]),
    ))
    .await;
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    let (_, page) = send_json(kashio_req(
        &sb,
        Method::GET,
        &format!("/invoices?end={}&limit=1", ids[2]),
    ))
    .await;
    assert_eq!(
        (page["data"][0]["id"].as_str(), &page["has_more"]),
        (Some(ids[3].as_str()), &json!(true))
    );
    let (_, page) = send_json(kashio_req(&sb, Method::GET, "/invoices?status=paid")).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    let (_, page) = send_json(kashio_req(
        &sb,
        Method::GET,
        "/invoices?status=pending&date=2030-01-15",
    ))
    .await;
    assert_eq!(page["data"].as_array().unwrap().len(), 4);
    let (_, page) = send_json(kashio_req(&sb, Method::GET, "/invoices?date=2030-01-16")).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 0);
    let (status, _) = send_json(kashio_req(&sb, Method::GET, "/invoices?limit=0")).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn kashio_validation_error_body() {
    let sb = sandbox().await;
    let mut body = invoice_body();
    body["currency"] = json!("EUR");
    body.as_object_mut().unwrap().remove("amount");
    let (status, body) = send_json(kashio_req(&sb, Method::POST, "/invoices").json(&body)).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "parameter_invalid");
    assert_eq!(body["error"]["param"], "amount");
    let params: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["param"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["amount", "currency"]);
    let (status, body) =
        send_json(kashio_req(&sb, Method::POST, "/invoices").body("{not json")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_json"))
    );
}

#[tokio::test]
async fn kashio_invoices_expire_when_the_clock_passes_expiration() {
    let sb = sandbox().await;
    let id = create_invoice(&sb).await;
    let clock = sb.advance_clock(Duration::from_secs(2 * 3600));
    assert_eq!(clock.now, "2030-01-15T14:00:00Z");
    let (_, body) = send_json(kashio_req(&sb, Method::GET, &format!("/invoices/{id}"))).await;
    assert_eq!(body["status"], "EXPIRED");
    let (_, events) = send_json(kashio_req(&sb, Method::GET, "/events")).await;
    assert_eq!(events["data"][0]["type"], "invoice.expired");
    assert!(sb.pay(Provider::Kashio, &id).is_err());
}

#[tokio::test]
async fn kashio_events_go_to_a_registered_webhook() {
    let sb = sandbox().await;
    let (hook, mut received) = receiver(0).await;
    let (status, _) = send_json(
        http()
            .put(format!("{}/webhooks/kashio", sb.control_url()))
            .json(&json!({ "url": hook })),
    )
    .await;
    assert_eq!(status, 200);
    let id = create_invoice(&sb).await;
    sb.pay(Provider::Kashio, &id).unwrap();
    let (content_type, body) = received.recv().await.unwrap();
    assert_eq!(content_type, "application/json");
    let event: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(event["type"], "invoice.paid");
    sb.notifications_settled().await;
    let (_, event) = send_json(kashio_req(
        &sb,
        Method::GET,
        &format!("/events/{}", event["id"].as_str().unwrap()),
    ))
    .await;
    assert_eq!(event["status"], "notified");
}

// ---------------------------------------------------------------------------------------
// ComproPago

#[tokio::test]
async fn compropago_requires_both_keys() {
    let sb = sandbox().await;
    let url = format!("{}/v2/orders", sb.compropago_base_url());
    let (status, body) = send_json(
        http()
            .post(&url)
            .basic_auth("sk_test_sandbox", None::<&str>)
            .json(&order_body("c1")),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        (body["code"].as_i64(), body["status"].as_str()),
        (Some(401), Some("error"))
    );
    assert!(body["message"].is_string());
    let (status, _) =
        send_json(compropago_req(&sb, Method::POST, "/v2/orders").json(&order_body("c1"))).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn compropago_order_life_cycle_with_webhook() {
    let sb = sandbox().await;
    let (hook, mut received) = receiver(0).await;
    sb.set_webhook(Provider::ComproPago, url::Url::parse(&hook).unwrap());

    let (status, text) =
        send(compropago_req(&sb, Method::POST, "/v2/orders").json(&order_body("cust-1")))
            .await
            .unwrap();
    assert_eq!(status, 200, "{text}");
    assert!(
        text.contains(r#""price":150"#)
            && text.contains(r#""fee":10.25"#)
            && text.contains(r#""iva":1.64"#),
        "{text}"
    );
    let created: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(created["object"], "orders.create");
    assert_eq!(
        (created["code"].as_i64(), created["status"].as_str()),
        (Some(200), Some("success"))
    );
    assert_eq!(created["url"], "/v2/orders");
    let order = &created["data"];
    assert_eq!(order["status"], "PENDING");
    let id = order["id"].as_str().unwrap().to_string();
    let clabe = order["payment"]["clabe"].as_str().unwrap().to_string();
    assert!(clabe.starts_with("646180") && clabe.len() == 18);
    let weights = [3, 7, 1];
    let digits: Vec<u32> = clabe.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let sum: u32 = (0..17).map(|i| digits[i] * weights[i % 3] % 10).sum();
    assert_eq!((10 - sum % 10) % 10, digits[17], "CLABE check digit");

    // The same customer gets the same CLABE, from orders and from createClabe.
    let (_, again) =
        send_json(compropago_req(&sb, Method::POST, "/v2/orders").json(&order_body("cust-1")))
            .await;
    assert_eq!(again["data"]["payment"]["clabe"], clabe.as_str());
    let (_, other) =
        send_json(compropago_req(&sb, Method::POST, "/v2/orders").json(&order_body("cust-2")))
            .await;
    assert_ne!(other["data"]["payment"]["clabe"], clabe.as_str());
    let clabe_body = json!({ "customer": { "id": "cust-1", "email": "c@example.com" },
                             "payment": { "frecuency": "unlimited", "exp_date": null, "amount": null } });
    let (status, body) =
        send_json(compropago_req(&sb, Method::POST, "/v2/createClabe").json(&clabe_body)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["payment"]["clabe"], clabe.as_str());
    assert_eq!(body["data"]["payment"]["frecuency"], "unlimited");

    sb.pay(Provider::ComproPago, &id).unwrap();
    let (_, webhook) = received.recv().await.unwrap();
    let webhook: Value = serde_json::from_str(&webhook).unwrap();
    assert_eq!(
        (webhook["id"].as_str(), webhook["status"].as_str()),
        (Some(id.as_str()), Some("ACCEPTED"))
    );
    let (status, body) = send_json(compropago_req(
        &sb,
        Method::GET,
        &format!("/v2/orders/{id}"),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["status"], "ACCEPTED");

    // Expiry: by the control API and by the clock.
    let other_id = other["data"]["id"].as_str().unwrap();
    sb.expire(Provider::ComproPago, other_id).unwrap();
    let (_, body) = send_json(compropago_req(
        &sb,
        Method::GET,
        &format!("/v2/orders/{other_id}"),
    ))
    .await;
    assert_eq!(body["data"]["status"], "EXPIRED");
    let again_id = again["data"]["id"].as_str().unwrap();
    sb.advance_clock(Duration::from_secs(73 * 3600));
    let (_, body) = send_json(compropago_req(
        &sb,
        Method::GET,
        &format!("/v2/orders/{again_id}"),
    ))
    .await;
    assert_eq!(body["data"]["status"], "EXPIRED");
    let (status, body) = send_json(compropago_req(&sb, Method::GET, "/v2/orders/ch_missing")).await;
    assert_eq!((status, body["code"].as_i64()), (404, Some(404)));
}

#[tokio::test]
async fn compropago_validation_envelope() {
    let sb = sandbox().await;
    let mut body = order_body("c1");
    body["product"].as_object_mut().unwrap().remove("price");
    body["customer"]["email"] = json!("not-an-email");
    let (status, body) =
        send_json(compropago_req(&sb, Method::POST, "/v2/orders").json(&body)).await;
    assert_eq!(status, 400);
    assert_eq!(
        (body["code"].as_i64(), body["status"].as_str()),
        (Some(400), Some("error"))
    );
    assert!(
        body["message"].as_str().unwrap().contains("product.price"),
        "{body}"
    );
    let fields: Vec<&str> = body["data"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["product.price", "customer.email"]);
}

#[tokio::test]
async fn compropago_accounts_and_deposits() {
    let sb = sandbox().await;
    let account = json!({ "name": "Alamedas de Espana", "reference": "153",
                          "customer": { "name": "CONDOVIVE_1234", "email": "w@example.com", "phone": "6666" } });
    let (status, body) =
        send_json(compropago_req(&sb, Method::POST, "/v2/createAccount").json(&account)).await;
    assert_eq!(status, 200, "{body}");
    let id = body["data"]["id"].as_str().unwrap().to_string();
    let clabe = body["data"]["payment"]["clabe"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) =
        send_json(compropago_req(&sb, Method::POST, "/v2/createAccount").json(&account)).await;
    assert_eq!(status, 400, "the reference is taken");

    let deposit = sb
        .pay_amount(Provider::ComproPago, &id, dec("250.50"))
        .unwrap();
    assert!(deposit.created_id.is_some());
    let (_, list) = send_json(compropago_req(&sb, Method::GET, "/v2/accounts")).await;
    assert_eq!(list["data"][0]["id"], id.as_str());
    let (_, text) = send(compropago_req(&sb, Method::GET, "/v2/accounts"))
        .await
        .unwrap();
    assert!(text.contains(r#""balance":250.50"#), "{text}");

    // GET /v2/accounts/{id} lists the account's sub-accounts (ComproPago's "Listar
    // subcuentas"), not the account itself.
    let (status, subs) = send_json(compropago_req(
        &sb,
        Method::GET,
        &format!("/v2/accounts/{id}"),
    ))
    .await;
    assert_eq!(status, 200, "{subs}");
    assert_eq!(subs["code"], 200);
    assert_eq!(
        subs["data"],
        json!([{ "id": id, "name": "CONDOVIVE_1234", "clabe": clabe }])
    );
    let (status, _) = send_json(compropago_req(&sb, Method::GET, "/v2/accounts/acc_nope")).await;
    assert_eq!(status, 404);

    // Movements carry the reference's fields: date (epoch seconds as text), amount,
    // status, description, reference.
    let (_, text) = send(compropago_req(
        &sb,
        Method::GET,
        &format!("/v2/accounts/{id}/transactions?clabe={clabe}"),
    ))
    .await
    .unwrap();
    assert!(text.contains(r#""amount":250.50"#), "{text}");
    let txs: Value = serde_json::from_str(&text).unwrap();
    let data = txs["data"].as_array().unwrap();
    assert_eq!(data.len(), 1);
    let tx = &data[0];
    assert_eq!(tx["id"], deposit.created_id.as_deref().unwrap());
    assert_eq!(
        tx["date"],
        start_time().unix_timestamp().to_string().as_str()
    );
    assert_eq!(tx["status"], "paid");
    assert_eq!(tx["description"], "Abono");
    let reference = tx["reference"].as_str().unwrap();
    assert!(
        reference.len() == 18 && reference.bytes().all(|b| b.is_ascii_digit()),
        "{reference}"
    );
    assert_eq!(tx["clabe"], clabe.as_str());
    let (_, other) = send_json(compropago_req(
        &sb,
        Method::GET,
        &format!("/v2/accounts/{id}/transactions?clabe=646180000000000000"),
    ))
    .await;
    assert_eq!(other["data"], json!([]));
    assert!(matches!(
        sb.pay(Provider::ComproPago, &id),
        Err(pagos_sandbox::Error::Invalid(_))
    ));
}

// ---------------------------------------------------------------------------------------
// Kashpay

#[tokio::test]
async fn kashpay_authentication() {
    let sb = sandbox().await;
    let url = format!(
        "{}/AuthenticationService/authenticate",
        sb.kashpay_base_url()
    );
    let (status, body) = send_json(
        http()
            .post(&url)
            .json(&json!({ "entity": "com.cascade", "user": "x@y.z", "password": "bad" })),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["success"], false);
    assert_eq!(body["error"]["name"], "AuthenticationException");

    let creds = sb.credentials();
    let (status, body) = send_json(http().post(&url).json(
        &json!({ "entity": creds.kashpay_entity, "user": creds.kashpay_user, "password": creds.kashpay_password }),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["success"], true);
    assert_eq!(body["authenticationResponse"]["expires"], "5975999");
    let token = body["authenticationResponse"]["token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3);
    assert!(token.starts_with("eyJhbGciOiJIUzUxMiJ9."));

    // createOrder needs both the bearer token and Entity-i.
    let order_url = format!("{}/OKPay/createOrder", sb.kashpay_base_url());
    let (status, body) = send_json(http().post(&order_url).json(&spei_out("10"))).await;
    assert_eq!((status, body["success"].as_bool()), (401, Some(false)));
    let (status, _) = send_json(
        http()
            .post(&order_url)
            .bearer_auth(token)
            .json(&spei_out("10")),
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = send_json(
        http()
            .post(&order_url)
            .bearer_auth("a.b.c")
            .header("Entity-i", "com.cascade")
            .json(&spei_out("10")),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn kashpay_orders_move_the_balance() {
    let sb = sandbox().await;
    let token = kashpay_token(&sb).await;
    let (status, text) = send(kashpay_order(&sb, &token, &spei_out("250.50")))
        .await
        .unwrap();
    assert_eq!(status, 200, "{text}");
    assert!(
        text.contains(r#""initialBalance":10000"#) && text.contains(r#""finalBalance":9749.5"#),
        "{text}"
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    let order = &body["orderEntityResponse"];
    assert_eq!(
        (body["success"].as_bool(), order["status"].as_i64()),
        (Some(true), Some(25))
    );
    assert!(order["uptadedAt"].as_str().unwrap().ends_with("+0000"));
    assert_eq!(order["numericReference"], "1234567");
    assert_eq!(sb.kashpay_balance(), dec("9749.50"));

    // A SPEI in (type 3) credits.
    let mut credit = spei_out("0.50");
    credit["typeTransaction"] = json!(3);
    let (_, body) = send_json(kashpay_order(&sb, &token, &credit)).await;
    assert_eq!(body["success"], true);
    assert_eq!(sb.kashpay_balance(), dec("9750.00"));

    // Insufficient funds: success:false, balance untouched.
    let (status, body) = send_json(kashpay_order(&sb, &token, &spei_out("100000"))).await;
    assert_eq!(status, 200);
    assert_eq!(body["success"], false);
    assert_eq!(
        (
            body["error"]["name"].as_str(),
            body["error"]["code"].as_i64()
        ),
        (Some("EntityException"), Some(1022))
    );
    assert_eq!(sb.kashpay_balance(), dec("9750.00"));
}

#[tokio::test]
async fn kashpay_validation_and_token_expiry() {
    let sb = pagos_sandbox::start(
        config()
            .kashpay_token_lifetime(Duration::from_secs(60))
            .build(),
    )
    .await
    .unwrap();
    let token = kashpay_token(&sb).await;
    let mut bad = spei_out("10");
    bad["beneficiaryAcount"] = json!("646180585000000001");
    let (status, body) = send_json(kashpay_order(&sb, &token, &bad)).await;
    assert_eq!(status, 400);
    assert_eq!(body["success"], false);
    assert_eq!(body["error"]["name"], "ValidationException");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("beneficiaryAcount")
    );

    sb.advance_clock(Duration::from_secs(61));
    let (status, body) = send_json(kashpay_order(&sb, &token, &spei_out("10"))).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["message"], "Token expirado");
    let fresh = kashpay_token(&sb).await;
    let (status, _) = send_json(kashpay_order(&sb, &fresh, &spei_out("10"))).await;
    assert_eq!(status, 200);
}

// ---------------------------------------------------------------------------------------
// TelePagos

#[tokio::test]
async fn telepagos_tokens() {
    let sb = pagos_sandbox::start(
        config()
            .telepagos_token_lifetime(Duration::from_secs(600))
            .build(),
    )
    .await
    .unwrap();
    let url = format!("{}/v2/auth/token", sb.telepagos_base_url());
    let (status, body) = send_json(
        http()
            .post(&url)
            .json(&json!({ "username": "sandbox", "password": "nope" })),
    )
    .await;
    assert_eq!((status, body["status"].as_str()), (401, Some("error")));
    let (status, body) =
        send_json(http().get(format!("{}/v2/account/balance", sb.telepagos_base_url()))).await;
    assert_eq!((status, body["status"].as_str()), (401, Some("error")));

    let creds = sb.credentials();
    let (_, body) = send_json(http().post(&url).json(
        &json!({ "username": creds.telepagos_username, "password": creds.telepagos_password }),
    ))
    .await;
    assert_eq!(
        body["expires_at"].as_i64(),
        Some(start_time().unix_timestamp() + 600)
    );
    let token = body["token"].as_str().unwrap();
    let (status, text) = send(telepagos_req(
        &sb,
        token,
        Method::GET,
        "/v2/account/balance",
    ))
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(text, r#"{"status":"ok","amount":100000.00}"#);

    sb.advance_clock(Duration::from_secs(600));
    let (status, body) = send_json(telepagos_req(
        &sb,
        token,
        Method::GET,
        "/v2/account/balance",
    ))
    .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (401, Some("Token expirado"))
    );
}

#[tokio::test]
async fn telepagos_cashout_is_idempotent_on_reference_id() {
    let sb = sandbox().await;
    let token = telepagos_token(&sb).await;
    let cashout = |body: Value| {
        send_json(telepagos_req(&sb, &token, Method::POST, "/v2/payment/cashout").json(&body))
    };

    let (status, first) = cashout(cashout_body("ref-1", "1500.25")).await;
    assert_eq!(
        (status, first["status"].as_str()),
        (200, Some("ok")),
        "{first}"
    );
    let (status, again) = cashout(cashout_body("ref-1", "1500.25")).await;
    assert_eq!(status, 200);
    assert_eq!(
        again["id"], first["id"],
        "same reference and data: same transfer"
    );
    assert_eq!(sb.telepagos_balance(), dec("98499.75"), "debited once");

    let (status, conflict) = cashout(cashout_body("ref-1", "99.00")).await;
    assert_eq!((status, conflict["status"].as_str()), (409, Some("error")));
    assert_eq!(sb.telepagos_balance(), dec("98499.75"));

    // The voucher is a base64 PDF.
    let id = first["id"].as_i64().unwrap();
    let (status, body) = send_json(telepagos_req(
        &sb,
        &token,
        Method::GET,
        &format!("/v2/payment/cashout/{id}"),
    ))
    .await;
    assert_eq!(status, 200);
    use base64::Engine;
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(body["voucher"].as_str().unwrap())
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4") && pdf.ends_with(b"%%EOF\n"));

    // An outcome lost on the way back: the retry with the same reference returns the same id.
    sb.inject_fault(
        Fault::new(FaultKind::DropAfterProcessing)
            .provider(Provider::TelePagos)
            .route("/v2/payment/cashout"),
    );
    let lost = send(
        telepagos_req(&sb, &token, Method::POST, "/v2/payment/cashout")
            .json(&cashout_body("ref-2", "10")),
    )
    .await;
    assert!(lost.is_err(), "the connection was dropped: {lost:?}");
    assert_eq!(
        sb.telepagos_balance(),
        dec("98489.75"),
        "but the transfer happened"
    );
    let (_, retried) = cashout(cashout_body("ref-2", "10")).await;
    assert_eq!(retried["id"].as_i64(), Some(id + 1));
    assert_eq!(sb.telepagos_balance(), dec("98489.75"));
}

#[tokio::test]
async fn telepagos_cashout_validation() {
    let sb = sandbox().await;
    let token = telepagos_token(&sb).await;
    let cashout = |body: Value| {
        send_json(telepagos_req(&sb, &token, Method::POST, "/v2/payment/cashout").json(&body))
    };
    let message = |body: &Value| body["message"].as_str().unwrap().to_string();

    let mut both = cashout_body("r", "1");
    both["alias"] = json!("mi.alias.pagos");
    let (status, body) = cashout(both).await;
    assert_eq!((status, body["status"].as_str()), (400, Some("error")));
    assert!(message(&body).contains("no ambos"), "{body}");

    let mut neither = cashout_body("r", "1");
    neither.as_object_mut().unwrap().remove("cvu");
    let (status, body) = cashout(neither).await;
    assert!(
        status == 400 && message(&body).contains("cvu o alias"),
        "{body}"
    );

    let mut bad_cvu = cashout_body("r", "1");
    bad_cvu["cvu"] = json!("2850590940090418135202");
    let (status, body) = cashout(bad_cvu).await;
    assert!(status == 400 && message(&body).starts_with("cvu"), "{body}");

    let mut bad_cuit = cashout_body("r", "1");
    bad_cuit["cuit"] = json!("20267565394");
    let (status, body) = cashout(bad_cuit).await;
    assert!(
        status == 400 && message(&body).starts_with("cuit"),
        "{body}"
    );

    let mut by_alias = cashout_body("alias-1", "1");
    by_alias.as_object_mut().unwrap().remove("cvu");
    by_alias["alias"] = json!("mi.alias.pagos");
    let (status, body) = cashout(by_alias).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));

    // Insufficient balance: HTTP 200 with status "error".
    let (status, body) = cashout(cashout_body("big", "1000000")).await;
    assert_eq!(
        (status, body["status"].as_str(), message(&body).as_str()),
        (200, Some("error"), "Saldo insuficiente")
    );
}

#[tokio::test]
async fn telepagos_cash_in_by_qr_and_link_and_transactions() {
    let sb = sandbox().await;
    let token = telepagos_token(&sb).await;
    let req = |method: Method, path: &str| telepagos_req(&sb, &token, method, path);

    let (_, qr) = send_json(
        req(Method::POST, "/v2/payment/cashin/qr/generate").json(&json!({
        "amount": 1200.50, "concept": "FAC", "description": "Factura 1" })),
    )
    .await;
    assert_eq!(qr["status"], "ok");
    assert!(qr["qr_code"].as_str().unwrap().starts_with("000201"));
    let qr_id = qr["qr_order_id"].as_i64().unwrap().to_string();
    let paid = sb.pay(Provider::TelePagos, &qr_id).unwrap();
    let cashin_id = paid.created_id.unwrap();
    let (status, text) = send(req(Method::GET, &format!("/v2/payment/cashin/{cashin_id}")))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(text.contains(r#""amount":1200.50"#), "{text}");
    let cashin: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(cashin["qr_order_id"].as_i64().unwrap().to_string(), qr_id);
    assert_eq!(cashin["buyer"]["cuit"], "20267565393");
    assert!(
        sb.pay(Provider::TelePagos, &qr_id).is_err(),
        "a QR order is paid once"
    );

    let (status, link) = send_json(req(Method::POST, "/v2/payment/cashin/link/generate").json(&json!({
        "expiration_date": "2030-01-20 00:00:00", "amount": 300, "multiple_use": false, "concept": "Cuota marzo",
        "distribution": [{ "cvu": "2850590940090418135201", "amount": 100 }] }))).await;
    // A cash-in concept is free text; only a cash-out's is a BCRA motive code.
    assert_eq!(status, 200, "{link}");
    let link_id = link["link_id"].as_i64().unwrap().to_string();
    assert!(link["link"].as_str().unwrap().ends_with(&link_id));
    sb.pay(Provider::TelePagos, &link_id).unwrap();
    assert_eq!(
        sb.telepagos_balance(),
        dec("101400.50"),
        "QR 1200.50 + link 300 - 100 distributed"
    );

    let (_, transfer) = send_json(req(Method::POST, "/v2/payment/cashin/transfer/generate").json(&json!({
        "cvu": "2850590940090418135201", "cuit": "20267565393", "amount": 5, "concept": "VAR", "description": "x" }))).await;
    let transfer_id = transfer["payment_link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    sb.pay(Provider::TelePagos, &transfer_id).unwrap();
    let mut unknown_concept = cashout_body("t-0", "1");
    unknown_concept["concept"] = json!("Cuota marzo");
    let (status, refused) =
        send_json(req(Method::POST, "/v2/payment/cashout").json(&unknown_concept)).await;
    assert_eq!(status, 400, "{refused}");
    send_json(req(Method::POST, "/v2/payment/cashout").json(&cashout_body("t-1", "1"))).await;

    let (status, list) = send_json(req(
        Method::GET,
        "/v2/account/transactions?date_from=2030-01-15&date_to=2030-01-15",
    ))
    .await;
    assert_eq!(status, 200, "{list}");
    let operations: Vec<&str> = list["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        operations,
        ["cashout", "cashin_transfer", "cashin_link", "cashin_qr"]
    );
    assert_eq!(list["transactions"][3]["amount"], "1200.50");
    assert!(list.get("pages").is_none());
    let (_, page) = send_json(req(
        Method::GET,
        "/v2/account/transactions?date_from=2030-01-01&date_to=2030-01-31&operation=cashin_qr&paginate=1&page=1",
    ))
    .await;
    assert_eq!(
        (page["number_of_results"].as_i64(), page["pages"].as_i64()),
        (Some(1), Some(1))
    );
    let (status, _) = send_json(req(
        Method::GET,
        "/v2/account/transactions?date_from=2030-01-16&date_to=2030-01-15",
    ))
    .await;
    assert_eq!(status, 400);
    let (_, filters) = send_json(req(Method::GET, "/v2/account/transactions_filters")).await;
    assert_eq!(filters["operations"].as_array().unwrap().len(), 4);
    let (_, stats) = send_json(req(Method::GET, "/v2/whitelabel/statics/month")).await;
    assert_eq!(stats["data"][1][0]["total_cashout"], json!(1.0));
    let (_, concepts) = send_json(req(Method::GET, "/v2/payment/concepts")).await;
    assert!(
        concepts["concepts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "VAR")
    );
}

#[tokio::test]
async fn telepagos_sale_points_and_static_qr() {
    let sb = sandbox().await;
    let token = telepagos_token(&sb).await;
    let req = |method: Method, path: &str| telepagos_req(&sb, &token, method, path);
    let path = "/v2/payment/cashin/qr/sale-point";

    let (_, created) = send_json(req(Method::POST, path).json(&json!({ "name": "Caja 1" }))).await;
    let sale_point = created["sale_point_id"].as_i64().unwrap();
    let (_, list) = send_json(req(Method::GET, path)).await;
    assert_eq!(
        list["sale_points"][0],
        json!({ "id": sale_point, "name": "Caja 1", "status": "active" })
    );

    let (status, qr) = send_json(req(
        Method::GET,
        &format!("{path}/static?type_amount=closed&sale_point_id={sale_point}"),
    ))
    .await;
    assert_eq!(status, 200, "{qr}");
    assert!(qr["qr_code"].is_string());
    let (status, _) = send_json(req(
        Method::GET,
        &format!("{path}/static?type_amount=other&sale_point_id={sale_point}"),
    ))
    .await;
    assert_eq!(status, 400);

    let (_, order) = send_json(
        req(Method::POST, "/v2/payment/cashin/qr/static/order").json(&json!({
        "amount": 99.99, "concept": "VAR", "description": "Café", "sale_point_id": sale_point })),
    )
    .await;
    let order_id = order["qr_order_id"].as_i64().unwrap().to_string();
    sb.pay(Provider::TelePagos, &order_id).unwrap();
    let (_, list) = send_json(req(
        Method::GET,
        "/v2/account/transactions?date_from=2030-01-15&date_to=2030-01-15",
    ))
    .await;
    assert_eq!(list["transactions"][0]["sale_point_name"], "Caja 1");

    let (status, body) =
        send_json(req(Method::DELETE, path).json(&json!({ "sale_point_id": sale_point }))).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    let (_, list) = send_json(req(Method::GET, &format!("{path}/"))).await;
    assert_eq!(list["sale_points"][0]["status"], "inactive");
    let (status, _) =
        send_json(req(Method::DELETE, path).json(&json!({ "sale_point_id": sale_point }))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn telepagos_links_expire_with_the_clock() {
    let sb = sandbox().await;
    let token = telepagos_token(&sb).await;
    let (_, link) = send_json(
        telepagos_req(&sb, &token, Method::POST, "/v2/payment/cashin/link/generate").json(&json!({
            "expiration_date": "2030-01-15 13:00:00", "amount": 10, "multiple_use": true, "concept": "VAR" })),
    )
    .await;
    let id = link["link_id"].as_i64().unwrap().to_string();
    assert_eq!(
        sb.pay(Provider::TelePagos, &id).unwrap().status,
        "open",
        "a multiple-use link stays open"
    );
    sb.pay(Provider::TelePagos, &id).unwrap();
    sb.advance_clock(Duration::from_secs(3600));
    assert!(matches!(
        sb.pay(Provider::TelePagos, &id),
        Err(pagos_sandbox::Error::NotAllowed { .. })
    ));
}

// ---------------------------------------------------------------------------------------
// Control API: clock, faults, request log, reset

#[tokio::test]
async fn control_clock_over_http() {
    let sb = sandbox().await;
    let (status, clock) = send_json(http().get(format!("{}/clock", sb.control_url()))).await;
    assert_eq!(status, 200);
    assert_eq!(
        clock,
        json!({ "now": "2030-01-15T12:00:00Z", "offset_seconds": 0 })
    );
    let (status, clock) = send_json(
        http()
            .post(format!("{}/clock/advance", sb.control_url()))
            .json(&json!({ "seconds": 90 })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        clock,
        json!({ "now": "2030-01-15T12:01:30Z", "offset_seconds": 90 })
    );
    assert_eq!(sb.now(), start_time() + Duration::from_secs(90));
    let (status, _) = send_json(
        http()
            .post(format!("{}/clock/advance", sb.control_url()))
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn control_pay_expire_and_errors_over_http() {
    let sb = sandbox().await;
    let id = create_khipu_payment(&sb, &[]).await;
    let control = sb.control_url();
    let (status, body) = send_json(http().post(format!("{control}/khipu/{id}/expire"))).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = send_json(http().post(format!("{control}/khipu/{id}/pay"))).await;
    assert_eq!(status, 409, "an expired payment cannot be paid: {body}");
    assert!(body["error"].is_string());
    let (status, _) = send_json(http().post(format!("{control}/khipu/missing/pay"))).await;
    assert_eq!(status, 404);
    let (status, _) = send_json(http().post(format!("{control}/stripe/x/pay"))).await;
    assert_eq!(status, 404);
    let (status, _) = send_json(http().post(format!("{control}/kashpay/1/pay"))).await;
    assert_eq!(status, 400);
    let (status, _) = send_json(http().post(format!("{control}/khipu/{id}/dance"))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn fault_status_answers_with_each_providers_error_body() {
    let sb = sandbox().await;
    sb.inject_fault(
        Fault::new(FaultKind::Status { status: 503 })
            .provider(Provider::Khipu)
            .times(2),
    );
    for _ in 0..2 {
        let (status, body) = khipu(&sb, Method::GET, "/banks", &[]).await;
        assert_eq!((status, body["status"].as_i64()), (503, Some(503)));
    }
    let (status, _) = khipu(&sb, Method::GET, "/banks", &[]).await;
    assert_eq!(status, 200, "the fault was used up");

    sb.inject_fault(Fault::new(FaultKind::Status { status: 500 }).provider(Provider::ComproPago));
    let (status, body) = send_json(compropago_req(&sb, Method::GET, "/v2/accounts")).await;
    assert_eq!(
        (status, body["code"].as_i64(), body["status"].as_str()),
        (500, Some(500), Some("error"))
    );

    sb.inject_fault(Fault::new(FaultKind::Status { status: 500 }).provider(Provider::Kashpay));
    let (status, body) = send_json(kashpay_order(&sb, "t", &spei_out("1"))).await;
    assert_eq!((status, body["success"].as_bool()), (500, Some(false)));

    sb.inject_fault(Fault::new(FaultKind::Status { status: 429 }).provider(Provider::TelePagos));
    let (status, body) = send_json(
        http()
            .post(format!("{}/v2/auth/token", sb.telepagos_base_url()))
            .json(&json!({})),
    )
    .await;
    assert_eq!((status, body["status"].as_str()), (429, Some("error")));

    // Injected over HTTP, restricted by route and method.
    let fault = json!({ "kind": { "type": "status", "status": 500 }, "provider": "kashio", "route": "/invoices", "method": "POST" });
    let (status, _) = send_json(
        http()
            .post(format!("{}/faults", sb.control_url()))
            .json(&fault),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = send_json(kashio_req(&sb, Method::GET, "/invoices")).await;
    assert_eq!(status, 200, "GET does not match the fault");
    let (status, body) =
        send_json(kashio_req(&sb, Method::POST, "/invoices").json(&invoice_body())).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (500, Some("sandbox_fault"))
    );
    assert!(sb.faults().is_empty());
}

#[tokio::test]
async fn fault_html_latency_truncated_and_non_json() {
    let sb = sandbox().await;
    sb.inject_fault(Fault::new(FaultKind::Html { status: 502 }).provider(Provider::Kashio));
    let resp = kashio_req(&sb, Method::GET, "/invoices")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 502);
    assert_eq!(resp.headers()["content-type"], "text/html");
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("<h1>502 Bad Gateway</h1>")
    );

    sb.inject_fault(Fault::new(FaultKind::Latency { millis: 150 }).provider(Provider::Kashio));
    let started = Instant::now();
    let (status, _) = send_json(kashio_req(&sb, Method::GET, "/invoices")).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));

    // A client timeout shorter than the latency sees a timeout.
    sb.inject_fault(Fault::new(FaultKind::Latency { millis: 2_000 }).provider(Provider::Kashio));
    let timed_out = kashio_req(&sb, Method::GET, "/invoices")
        .timeout(Duration::from_millis(50))
        .send()
        .await;
    assert!(timed_out.unwrap_err().is_timeout());

    sb.inject_fault(Fault::new(FaultKind::TruncatedJson).provider(Provider::Kashio));
    let (status, text) = send(kashio_req(&sb, Method::POST, "/invoices").json(&invoice_body()))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(
        text.starts_with('{') && serde_json::from_str::<Value>(&text).is_err(),
        "{text}"
    );
    let (_, list) = send_json(kashio_req(&sb, Method::GET, "/invoices")).await;
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        1,
        "the truncated request was processed"
    );

    sb.inject_fault(Fault::new(FaultKind::NonJson).provider(Provider::Kashio));
    let resp = kashio_req(&sb, Method::GET, "/invoices")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(serde_json::from_str::<Value>(&resp.text().await.unwrap()).is_err());
}

#[tokio::test]
async fn fault_drop_connection_answers_nothing_and_processes_nothing() {
    let sb = sandbox().await;
    sb.inject_fault(
        Fault::new(FaultKind::DropConnection)
            .provider(Provider::Kashio)
            .method("POST"),
    );
    let dropped = send(kashio_req(&sb, Method::POST, "/invoices").json(&invoice_body())).await;
    assert!(dropped.is_err(), "{dropped:?}");
    let (_, list) = send_json(kashio_req(&sb, Method::GET, "/invoices")).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
    let log = sb.request_log();
    assert_eq!(log[0].fault.as_deref(), Some("drop_connection"));
    assert_eq!(log[0].status, None);
}

#[tokio::test]
async fn fault_retry_after_answers_the_providers_error_with_the_header() {
    let sb = sandbox().await;
    sb.inject_fault(
        Fault::new(FaultKind::RetryAfter {
            status: 429,
            seconds: 7,
        })
        .provider(Provider::Kashio)
        .method("POST"),
    );
    let resp = kashio_req(&sb, Method::POST, "/invoices")
        .json(&invoice_body())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["retry-after"], "7");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "sandbox_fault");
    assert_eq!(sb.record_counts().kashio_invoices, 0, "not processed");
    let log = sb.request_log();
    assert_eq!(log[0].fault.as_deref(), Some("retry_after"));
    assert_eq!(log[0].status, Some(429));
}

#[tokio::test]
async fn fault_body_answers_exactly_what_it_was_given() {
    let sb = sandbox().await;
    // A bare 502: no body, no content type.
    sb.inject_fault(
        Fault::new(FaultKind::Body {
            status: 502,
            content_type: None,
            body: String::new(),
        })
        .provider(Provider::Kashio),
    );
    let resp = kashio_req(&sb, Method::GET, "/invoices")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 502);
    assert!(resp.headers().get("content-type").is_none());
    assert_eq!(resp.text().await.unwrap(), "");

    // A hand-written answer over the control API; the request is not processed.
    let fault = json!({ "kind": { "type": "body", "status": 200, "content_type": "application/json",
                                  "body": "{\"id\":\"fixed\"}" },
                        "provider": "kashio", "route": "/invoices", "method": "POST" });
    let (status, _) = send_json(
        http()
            .post(format!("{}/faults", sb.control_url()))
            .json(&fault),
    )
    .await;
    assert_eq!(status, 201);
    let resp = kashio_req(&sb, Method::POST, "/invoices")
        .json(&invoice_body())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "application/json");
    assert_eq!(resp.text().await.unwrap(), r#"{"id":"fixed"}"#);
    assert_eq!(sb.record_counts().kashio_invoices, 0);
    let faults: Vec<_> = sb.request_log().into_iter().map(|e| e.fault).collect();
    assert_eq!(faults, [Some("body".to_string()), Some("body".to_string())]);
}

#[tokio::test]
async fn fault_rewrite_merges_a_patch_into_the_processed_answer() {
    let sb = sandbox().await;
    let fault = json!({ "kind": { "type": "rewrite",
                                  "patch": { "status": "ON_HOLD", "brand_new": { "a": [1, 2] },
                                             "ktin": null, "customer": { "email": null } } },
                        "provider": "kashio", "route": "/invoices", "method": "POST" });
    let (status, _) = send_json(
        http()
            .post(format!("{}/faults", sb.control_url()))
            .json(&fault),
    )
    .await;
    assert_eq!(status, 201);
    let (status, text) = send(kashio_req(&sb, Method::POST, "/invoices").json(&invoice_body()))
        .await
        .unwrap();
    assert_eq!(status, 200, "{text}");
    let patched: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(patched["status"], "ON_HOLD");
    assert_eq!(patched["brand_new"], json!({ "a": [1, 2] }));
    assert!(patched.get("ktin").is_none(), "{text}");
    assert!(patched["customer"].get("email").is_none(), "{text}");
    assert_eq!(patched["customer"]["name"], "JUAN PEREZ");
    assert_eq!(sb.record_counts().kashio_invoices, 1, "processed");

    // The stored invoice is untouched, and untouched fields keep their exact text.
    let id = patched["id"].as_str().unwrap();
    let (_, original) = send(kashio_req(&sb, Method::GET, &format!("/invoices/{id}")))
        .await
        .unwrap();
    let stored: Value = serde_json::from_str(&original).unwrap();
    assert_ne!(stored["status"], "ON_HOLD");
    assert!(stored.get("ktin").is_some(), "{original}");
    let amount = |text: &str| {
        let start = text.find(r#""amount":"#).unwrap();
        let end = start + text[start..].find([',', '}']).unwrap();
        text[start..end].to_string()
    };
    assert_eq!(amount(&text), amount(&original));
    assert_eq!(
        sb.request_log()[0].fault.as_deref(),
        Some("rewrite"),
        "{:?}",
        sb.request_log()
    );

    assert!(sb.faults().is_empty());
}

#[tokio::test]
async fn a_request_whose_client_gave_up_is_logged_once_settled() {
    let sb = sandbox().await;
    sb.inject_fault(
        Fault::new(FaultKind::Latency { millis: 3_000 })
            .provider(Provider::Kashio)
            .method("POST"),
    );
    let started = Instant::now();
    let timed_out = kashio_req(&sb, Method::POST, "/invoices")
        .json(&invoice_body())
        .timeout(Duration::from_millis(100))
        .send()
        .await;
    assert!(timed_out.unwrap_err().is_timeout());
    sb.requests_settled().await;
    assert!(
        started.elapsed() < Duration::from_millis(2_500),
        "the server dropped the request when its client went away: {:?}",
        started.elapsed()
    );
    let log = sb.request_log();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].fault.as_deref(), Some("latency"));
    assert_eq!(log[0].status, None, "no answer was sent");
    assert_eq!(
        sb.record_counts().kashio_invoices,
        0,
        "dropped while waiting"
    );
}

#[tokio::test]
async fn record_counts_count_every_providers_records() {
    let sb = sandbox().await;
    create_khipu_payment(&sb, &[]).await;
    create_invoice(&sb).await;
    let (status, _) =
        send_json(compropago_req(&sb, Method::POST, "/v2/orders").json(&order_body("c-1"))).await;
    assert_eq!(status, 200);
    let token = kashpay_token(&sb).await;
    let (status, _) = send_json(kashpay_order(&sb, &token, &spei_out("10"))).await;
    assert_eq!(status, 200);
    let token = telepagos_token(&sb).await;
    for _ in 0..2 {
        let (status, body) = send_json(
            telepagos_req(&sb, &token, Method::POST, "/v2/payment/cashout")
                .json(&cashout_body("rc-1", "10")),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let counts = sb.record_counts();
    assert_eq!(counts.khipu_payments, 1);
    assert_eq!(counts.kashio_invoices, 1);
    assert_eq!(counts.compropago_orders, 1);
    assert_eq!(counts.compropago_accounts, 0);
    assert_eq!(counts.kashpay_orders, 1);
    assert_eq!(counts.telepagos_cashouts, 1, "the same reference_id twice");
    assert_eq!(counts.telepagos_payables, 0);
    assert_eq!(counts.telepagos_cashins, 0);
    let (status, body) = send_json(http().get(format!("{}/records", sb.control_url()))).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({ "khipu_payments": 1, "kashio_invoices": 1, "compropago_orders": 1,
                "compropago_accounts": 0, "kashpay_orders": 1, "telepagos_cashouts": 1,
                "telepagos_payables": 0, "telepagos_cashins": 0 })
    );
    sb.reset();
    assert_eq!(sb.record_counts(), pagos_sandbox::RecordCounts::default());
}

#[tokio::test]
async fn request_log_records_requests_without_credentials() {
    let sb = sandbox().await;
    khipu(&sb, Method::GET, "/banks", &[]).await;
    sb.inject_fault(Fault::new(FaultKind::Status { status: 503 }).provider(Provider::Kashio));
    send_json(kashio_req(&sb, Method::GET, "/invoices?limit=5")).await;
    telepagos_token(&sb).await;
    send_json(http().get(format!("{}/clock", sb.control_url()))).await;

    let log = sb.request_log();
    let summary: Vec<_> = log
        .iter()
        .map(|e| {
            (
                e.provider,
                e.method.as_str(),
                e.path.as_str(),
                e.status,
                e.fault.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                Provider::Khipu,
                "GET",
                "/khipu/api/2.0/banks",
                Some(200),
                None
            ),
            (
                Provider::Kashio,
                "GET",
                "/kashio/v1/payments/invoices",
                Some(503),
                Some("status")
            ),
            (
                Provider::TelePagos,
                "POST",
                "/telepagos/v2/auth/token",
                Some(200),
                None
            ),
        ],
        "control requests are not logged"
    );
    let (_, listed) = send_json(http().get(format!("{}/requests", sb.control_url()))).await;
    let text = listed.to_string();
    assert_eq!(listed.as_array().unwrap().len(), 3);
    let creds = sb.credentials();
    for secret in [
        &creds.khipu_secret,
        &creds.kashio_secret_key,
        &creds.telepagos_password,
    ] {
        assert!(!text.contains(secret.as_str()), "{secret} in {text}");
    }
    assert!(!text.contains("Authorization") && !text.contains("authorization"));
}

#[tokio::test]
async fn reset_restores_the_initial_state_and_ids() {
    let sb = sandbox().await;
    let first = create_khipu_payment(&sb, &[]).await;
    sb.advance_clock(Duration::from_secs(10));
    sb.inject_fault(Fault::new(FaultKind::NonJson).provider(Provider::Kashpay));
    let token = telepagos_token(&sb).await;

    let (status, _) = send_json(http().post(format!("{}/reset", sb.control_url()))).await;
    assert_eq!(status, 200);
    assert!(sb.request_log().is_empty() && sb.faults().is_empty() && sb.notifications().is_empty());
    assert_eq!(sb.now(), start_time());
    let (status, _) = khipu(&sb, Method::GET, &format!("/payments/{first}"), &[]).await;
    assert_eq!(status, 404);
    let (status, _) = send_json(telepagos_req(
        &sb,
        &token,
        Method::GET,
        "/v2/account/balance",
    ))
    .await;
    assert_eq!(status, 401, "tokens are forgotten");
    let again = create_khipu_payment(&sb, &[]).await;
    assert_eq!(again, first, "ids are deterministic from the seed");

    // Another sandbox with the same seed gives the same ids.
    let twin = sandbox().await;
    assert_eq!(create_khipu_payment(&twin, &[]).await, first);
    twin.reset();
    twin.shutdown().await;
}

#[tokio::test]
async fn base_urls_and_summary() {
    let sb = sandbox().await;
    let urls = sb.base_urls();
    let port = sb.addr().port();
    assert_eq!(urls.khipu, format!("http://127.0.0.1:{port}/khipu/api/2.0"));
    assert_eq!(
        urls.kashio,
        format!("http://127.0.0.1:{port}/kashio/v1/payments")
    );
    assert_eq!(
        urls.compropago,
        format!("http://127.0.0.1:{port}/compropago")
    );
    assert_eq!(urls.kashpay, format!("http://127.0.0.1:{port}/kashpay"));
    assert_eq!(urls.telepagos, format!("http://127.0.0.1:{port}/telepagos"));
    let summary = sb.summary();
    assert!(
        summary.contains("\nexport PAGOS_KHIPU_SECRET=abc123\n"),
        "{summary}"
    );
    assert!(summary.contains(&format!(
        "\nexport PAGOS_KASHPAY_ORDERS_URL=http://127.0.0.1:{port}/kashpay\n"
    )));
    assert!(
        sb.env_lines()
            .starts_with(&format!("PAGOS_KHIPU_BASE_URL={}\n", urls.khipu))
    );
    let (status, _) = send_json(http().get(format!("{}/nowhere", sb.url()))).await;
    assert_eq!(status, 404);
    let (status, body) = send_json(http().get(format!("{}/khipu/api/2.0/nowhere", sb.url()))).await;
    assert_eq!((status, body["status"].as_i64()), (404, Some(404)));
    let page = http()
        .get(format!("{}/_sandbox/checkout/khipu/none", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 404);
}

#[tokio::test]
async fn checkout_page_pays() {
    let sb = sandbox().await;
    let id = create_khipu_payment(&sb, &[]).await;
    let (_, created) = khipu(&sb, Method::GET, &format!("/payments/{id}"), &[]).await;
    let page_url = created["payment_url"].as_str().unwrap().to_string();
    let (status, html) = send(http().get(&page_url)).await.unwrap();
    assert_eq!(status, 200);
    assert!(html.contains("Compra de prueba") && html.contains("pending/pending"));
    let (status, html) = send(http().post(&page_url)).await.unwrap();
    assert_eq!(status, 200);
    assert!(html.contains("done/normal"), "{html}");
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let sb = sandbox().await;
    let url = format!("{}/_sandbox/health", sb.url());
    let (status, _) = send_json(http().get(&url)).await;
    assert_eq!(status, 200);
    sb.shutdown().await;
    assert!(reqwest::Client::new().get(&url).send().await.is_err());
}
