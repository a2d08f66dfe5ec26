//! KashIO: the secret key, invoices and events, lists, validation, expiry, webhooks.

use super::*;

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

#[tokio::test]
async fn kashio_currency_table_is_public_and_enforced() {
    assert_eq!(pagos_sandbox::kashio::CURRENCIES, &[("PEN", 2), ("USD", 2)]);
    let sb = sandbox().await;
    for (code, decimals) in pagos_sandbox::kashio::CURRENCIES {
        let mut body = invoice_body();
        body["currency"] = json!(code);
        let (status, answer) =
            send_json(kashio_req(&sb, Method::POST, "/invoices").json(&body)).await;
        assert_eq!(status, 200, "{code}: {answer}");
        assert_eq!(answer["currency"], *code);
        // One decimal more than the table gives is refused on amount.
        let too_precise = format!("1.{}1", "0".repeat(*decimals as usize));
        body["amount"] = json!(too_precise);
        let (status, answer) =
            send_json(kashio_req(&sb, Method::POST, "/invoices").json(&body)).await;
        assert_eq!(status, 400, "{code}");
        assert_eq!(answer["error"]["param"], "amount");
    }
    for code in ["MXN", "EUR", "pen", ""] {
        let mut body = invoice_body();
        body["currency"] = json!(code);
        let (status, answer) =
            send_json(kashio_req(&sb, Method::POST, "/invoices").json(&body)).await;
        assert_eq!(status, 400, "{code}");
        assert_eq!(answer["error"]["param"], "currency", "{code}");
    }
}

#[tokio::test]
async fn kashio_sub_merchant_is_validated_and_echoed_and_size_qr_accepted() {
    let sb = sandbox().await;
    let mut body = invoice_body();
    body["sub_merchant"] = json!({
        "name": "Cafetería Lima",
        "email": "pagos@cafeteria.pe",
        "logo": "https://cafeteria.pe/logo.png"
    });
    body["size_qr"] = json!("300");
    let (status, text) = send(kashio_req(&sb, Method::POST, "/invoices").json(&body))
        .await
        .unwrap();
    assert_eq!(status, 200, "{text}");
    let invoice: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(invoice["sub_merchant"], body["sub_merchant"]);
    // The invoice object of KashIO's API document has no size_qr: not echoed.
    assert!(invoice.get("size_qr").is_none(), "{invoice}");
    let id = invoice["id"].as_str().unwrap();
    let (_, fetched) = send_json(kashio_req(&sb, Method::GET, &format!("/invoices/{id}"))).await;
    assert_eq!(fetched["sub_merchant"], body["sub_merchant"]);

    for (sub_merchant, size_qr, param) in [
        (json!("Cafetería"), json!("300"), "sub_merchant"),
        (
            json!({"email": "pagos@"}),
            json!("300"),
            "sub_merchant.email",
        ),
        (
            json!({"logo": "ftp://x.pe/l.png"}),
            json!("300"),
            "sub_merchant.logo",
        ),
        (json!({"name": " "}), json!("300"), "sub_merchant.name"),
        (json!({"name": "Tienda"}), json!(300), "size_qr"),
        (json!({"name": "Tienda"}), json!(""), "size_qr"),
    ] {
        let mut body = invoice_body();
        body["sub_merchant"] = sub_merchant;
        body["size_qr"] = size_qr;
        let (status, answer) =
            send_json(kashio_req(&sb, Method::POST, "/invoices").json(&body)).await;
        assert_eq!(status, 400, "{param}: {answer}");
        assert_eq!(answer["error"]["param"], param, "{answer}");
    }
    // Neither can be updated.
    for key in ["sub_merchant", "size_qr"] {
        let (status, answer) = send_json(
            kashio_req(&sb, Method::PATCH, &format!("/invoices/{id}")).json(&json!({ key: "x" })),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(answer["error"]["param"], key);
    }
}

#[tokio::test]
async fn kashio_phone_must_be_e164_on_the_wire() {
    let sb = sandbox().await;
    for phone in ["987654321", "+51 987 654 321", "phone"] {
        let mut body = invoice_body();
        body["customer"]["phone"] = json!(phone);
        let (status, answer) =
            send_json(kashio_req(&sb, Method::POST, "/invoices").json(&body)).await;
        assert_eq!(status, 400, "{phone}");
        assert_eq!(answer["error"]["param"], "customer.phone");
    }
    let mut body = invoice_body();
    body["customer"]["phone"] = json!("+525512345678");
    let (status, answer) = send_json(kashio_req(&sb, Method::POST, "/invoices").json(&body)).await;
    assert_eq!(status, 200);
    assert_eq!(answer["customer"]["phone"], "+525512345678");
}

#[tokio::test]
async fn kashio_update_changes_the_currency_alone() {
    let sb = sandbox().await;
    let id = create_invoice(&sb).await;
    let (status, text) = send(
        kashio_req(&sb, Method::PATCH, &format!("/invoices/{id}"))
            .json(&json!({ "currency": "USD" })),
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{text}");
    let invoice: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(invoice["currency"], "USD");
    // The amount stays.
    assert!(text.contains(r#""amount":15.00"#), "{text}");
    let (_, fetched) = send_json(kashio_req(&sb, Method::GET, &format!("/invoices/{id}"))).await;
    assert_eq!(fetched["currency"], "USD");
    // A currency the table does not have is refused, and nothing changes.
    let (status, answer) = send_json(
        kashio_req(&sb, Method::PATCH, &format!("/invoices/{id}"))
            .json(&json!({ "currency": "MXN" })),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"]["param"], "currency");
    // An amount alone is checked against the invoice's currency.
    let (status, answer) = send_json(
        kashio_req(&sb, Method::PATCH, &format!("/invoices/{id}"))
            .json(&json!({ "amount": "1.001" })),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"]["param"], "amount");
    let (_, fetched) = send_json(kashio_req(&sb, Method::GET, &format!("/invoices/{id}"))).await;
    assert_eq!(fetched["currency"], "USD");
    assert_eq!(fetched["amount"], json!(15.0));
}

#[tokio::test]
async fn kashio_limit_has_no_made_up_maximum() {
    let sb = sandbox().await;
    for _ in 0..3 {
        create_invoice(&sb).await;
    }
    for limit in ["101", "500"] {
        let (status, page) = send_json(kashio_req(
            &sb,
            Method::GET,
            &format!("/invoices?limit={limit}"),
        ))
        .await;
        assert_eq!(status, 200, "{limit}: {page}");
        assert_eq!(page["data"].as_array().unwrap().len(), 3);
        assert_eq!(page["has_more"], false);
    }
    for limit in ["0", "-1", "x"] {
        let (status, body) = send_json(kashio_req(
            &sb,
            Method::GET,
            &format!("/events?limit={limit}"),
        ))
        .await;
        assert_eq!(status, 400, "{limit}");
        assert_eq!(body["error"]["param"], "limit");
    }
}

#[tokio::test]
async fn kashio_timestamps_are_utc_instants() {
    // The API document's example shape: midnight in Lima is 05:00:00 UTC. The sandbox
    // starts at 2030-01-15T12:00:00Z; the invoice expires at Lima midnight of the 16th.
    let sb = sandbox().await;
    let mut body = invoice_body();
    body["due_datetime"] = json!("2030-01-16T04:59:59");
    body["expiration_datetime"] = json!("2030-01-16T05:00:00");
    let (status, invoice) = send_json(kashio_req(&sb, Method::POST, "/invoices").json(&body)).await;
    assert_eq!(status, 200, "{invoice}");
    assert_eq!(invoice["due_datetime"], "2030-01-16T04:59:59");
    assert_eq!(invoice["expiration_datetime"], "2030-01-16T05:00:00");
    let id = invoice["id"].as_str().unwrap().to_string();
    // 23:59:59 in Lima (04:59:59Z): still payable.
    let clock = sb.advance_clock(Duration::from_secs(16 * 3600 + 59 * 60 + 59));
    assert_eq!(clock.now, "2030-01-16T04:59:59Z");
    let (_, got) = send_json(kashio_req(&sb, Method::GET, &format!("/invoices/{id}"))).await;
    assert_eq!(got["status"], "NEW");
    // Lima midnight (05:00:00Z): expired.
    sb.advance_clock(Duration::from_secs(1));
    let (_, got) = send_json(kashio_req(&sb, Method::GET, &format!("/invoices/{id}"))).await;
    assert_eq!(got["status"], "EXPIRED");
}
