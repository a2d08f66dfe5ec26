//! The control API and the handle: clock, payer actions, record counts, reset, base
//! URLs, the checkout page, shutdown.

use super::*;

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
                "telepagos_payables": 0, "telepagos_cashins": 0, "khipu_v3_payments": 0,
                "khipu_v3_refunds": 0, "khipu_pac_subscriptions": 0 })
    );
    sb.reset();
    assert_eq!(sb.record_counts(), pagos_sandbox::RecordCounts::default());
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

#[tokio::test]
async fn handle_registers_webhooks_and_reads_balances_as_the_control_api_does() {
    let sb = sandbox().await;
    let control = sb.control_url();
    // The rule of PUT /_sandbox/webhooks/{provider}: an absolute http or https URL.
    assert!(matches!(
        sb.register_webhook(Provider::ComproPago, "ftp://example.test/hook"),
        Err(pagos_sandbox::Error::Invalid(_))
    ));
    assert!(
        sb.register_webhook(Provider::ComproPago, "not a url")
            .is_err()
    );
    assert_eq!(sb.webhook(Provider::ComproPago), None);
    let url = sb
        .register_webhook(Provider::ComproPago, "http://127.0.0.1:9/hook")
        .unwrap();
    assert_eq!(url.as_str(), "http://127.0.0.1:9/hook");
    assert_eq!(sb.webhook(Provider::ComproPago), Some(url));
    let (status, body) = send_json(http().get(format!("{control}/webhooks"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "compropago": "http://127.0.0.1:9/hook" }));
    sb.remove_webhook(Provider::ComproPago);
    assert_eq!(sb.webhook(Provider::ComproPago), None);

    // Balances: only the providers that keep one.
    let kashpay = sb.balance(Provider::Kashpay).unwrap();
    assert_eq!((kashpay.amount, kashpay.currency), (dec("10000.00"), "MXN"));
    assert_eq!(sb.kashpay_balance(), kashpay.amount);
    let telepagos = sb.balance(Provider::TelePagos).unwrap();
    assert_eq!(
        (telepagos.amount, telepagos.currency),
        (dec("100000.00"), "ARS")
    );
    for provider in [Provider::Khipu, Provider::Kashio, Provider::ComproPago] {
        assert_eq!(sb.balance(provider), None, "{provider}");
    }
    let (status, text) = send(http().get(format!("{control}/balances")))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        text,
        r#"{"kashpay":{"balance":"10000.00","currency":"MXN"},"telepagos":{"balance":"100000.00","currency":"ARS"}}"#
    );
}
