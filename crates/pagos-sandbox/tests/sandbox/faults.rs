//! Injected faults and the request log.

use super::*;

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

/// `error_under_200`: HTTP 200 carrying the provider's error body for the status given
/// (ComproPago's v2 envelope with that `code`); the request is not processed.
#[tokio::test]
async fn fault_error_under_200_answers_the_error_envelope_with_http_200() {
    let sb = sandbox().await;
    for code in [500, 400] {
        sb.inject_fault(
            Fault::new(FaultKind::ErrorUnder200 { status: code })
                .provider(Provider::ComproPago)
                .route("/v2/orders")
                .method("POST"),
        );
        let (status, body) =
            send_json(compropago_req(&sb, Method::POST, "/v2/orders").json(&order_body("c1")))
                .await;
        assert_eq!(
            (status, body["code"].as_u64(), body["status"].as_str()),
            (200, Some(u64::from(code)), Some("error")),
            "{body}"
        );
        assert_eq!(body["url"], "/v2/orders");
        assert!(body["message"].is_string());
    }
    assert_eq!(sb.record_counts().compropago_orders, 0, "not processed");
    sb.requests_settled().await;
    let log = sb.request_log();
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|e| e.status == Some(200) && e.fault.as_deref() == Some("error_under_200"))
    );
    // Over the control API, by its JSON name.
    let fault =
        json!({ "kind": { "type": "error_under_200", "status": 503 }, "provider": "compropago" });
    let (status, _) = send_json(
        http()
            .post(format!("{}/faults", sb.control_url()))
            .json(&fault),
    )
    .await;
    assert_eq!(status, 201);
    let (status, body) = send_json(compropago_req(&sb, Method::GET, "/v2/accounts")).await;
    assert_eq!((status, body["code"].as_u64()), (200, Some(503)));
}
