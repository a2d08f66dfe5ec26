//! Khipu: signatures, the payment life cycle, validation, receivers, notifications.

use super::*;

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
