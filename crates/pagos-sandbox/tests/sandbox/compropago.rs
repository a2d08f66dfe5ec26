//! ComproPago: both keys, orders and their webhook, the envelope, accounts and deposits.

use super::*;

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

/// `customer.phone` is accepted as the ComproPago API v2 reference shows it (plain
/// digits: ten, or its `createAccount` example's `6666`), which is also what the SDK
/// sends; other forms are refused under `customer.phone`.
#[tokio::test]
async fn compropago_phone_as_the_api_shows_it() {
    let sb = sandbox().await;
    for (i, phone) in ["5512345678", "6666"].into_iter().enumerate() {
        let mut body = order_body(&format!("c{i}"));
        body["customer"]["phone"] = json!(phone);
        let (status, answer) =
            send_json(compropago_req(&sb, Method::POST, "/v2/orders").json(&body)).await;
        assert_eq!(status, 200, "{phone}: {answer}");
        assert_eq!(answer["data"]["customer"]["phone"], phone);
    }
    let account = json!({
        "name": "Alamedas de Espana", "reference": "153",
        "customer": { "name": "CONDOVIVE_1234", "email": "waldix86@gmail.com", "phone": "6666" },
    });
    let (status, answer) =
        send_json(compropago_req(&sb, Method::POST, "/v2/createAccount").json(&account)).await;
    assert_eq!(status, 200, "{answer}");
    for phone in [
        "+52 55 1234 5678",
        "+525512345678",
        "55-1234-5678",
        "55123456789",
    ] {
        let mut body = order_body("c9");
        body["customer"]["phone"] = json!(phone);
        let (status, answer) =
            send_json(compropago_req(&sb, Method::POST, "/v2/orders").json(&body)).await;
        assert_eq!(status, 400, "{phone}: {answer}");
        assert_eq!(answer["data"]["errors"][0]["field"], "customer.phone");
        let clabe = json!({
            "customer": { "id": "1", "email": "customer@email.com", "phone": phone },
            "payment": { "frecuency": "unlimited" },
        });
        let (status, answer) =
            send_json(compropago_req(&sb, Method::POST, "/v2/createClabe").json(&clabe)).await;
        assert_eq!(status, 400, "{phone}: {answer}");
        assert_eq!(answer["data"]["errors"][0]["field"], "customer.phone");
    }
    assert_eq!(sb.record_counts().compropago_orders, 2);
}

/// The currencies of `pagos_sandbox::compropago::CURRENCIES`, and nothing else.
#[tokio::test]
async fn compropago_currency_table() {
    assert_eq!(pagos_sandbox::compropago::CURRENCIES, &[("MXN", 2)]);
    let sb = sandbox().await;
    let mut body = order_body("c1");
    body["product"]["currency"] = json!("USD");
    let (status, answer) =
        send_json(compropago_req(&sb, Method::POST, "/v2/orders").json(&body)).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["data"]["errors"][0]["field"], "product.currency");
    let mut body = order_body("c1");
    body["product"]["price"] = json!(150.125);
    let (status, answer) =
        send_json(compropago_req(&sb, Method::POST, "/v2/orders").json(&body)).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["data"]["errors"][0]["field"], "product.price");
    let mut body = order_body("c1");
    body["product"]["price"] = json!(150.12);
    let (status, _) = send_json(compropago_req(&sb, Method::POST, "/v2/orders").json(&body)).await;
    assert_eq!(status, 200);
}
