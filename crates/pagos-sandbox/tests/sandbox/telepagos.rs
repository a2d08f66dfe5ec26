//! TelePagos: tokens, cash-outs, cash-ins by QR and link, sale points, expiry.

use super::*;

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
    // The clock is at 12:00 UTC, 09:00 in Argentina: `expiration_date` is Argentina
    // time, so 10:00 is an hour away.
    let (_, link) = send_json(
        telepagos_req(&sb, &token, Method::POST, "/v2/payment/cashin/link/generate").json(&json!({
            "expiration_date": "2030-01-15 10:00:00", "amount": 10, "multiple_use": true, "concept": "VAR" })),
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

#[tokio::test]
async fn telepagos_expiration_date_is_argentina_time() {
    let sb = sandbox().await;
    let token = telepagos_token(&sb).await;
    let link = |at: &str| {
        send_json(
            telepagos_req(&sb, &token, Method::POST, "/v2/payment/cashin/link/generate").json(
                &json!({ "expiration_date": at, "amount": 10, "multiple_use": false, "concept": "x" }),
            ),
        )
    };
    // 12:00 UTC is 09:00 in Argentina: 08:59 is past, 09:30 is future (it would be past
    // if read as UTC).
    let (status, body) = link("2030-01-15 08:59:00").await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = link("2030-01-15 09:30:00").await;
    assert_eq!(status, 200, "{body}");
    let id = body["link_id"].as_i64().unwrap().to_string();
    sb.advance_clock(Duration::from_secs(29 * 60));
    sb.pay(Provider::TelePagos, &id).unwrap();

    // The transactions show the time in Argentina too, and a day is an Argentine day:
    // 21:30 UTC on the 15th is still the 15th there, not the 16th.
    let (_, list) = send_json(telepagos_req(
        &sb,
        &token,
        Method::GET,
        "/v2/account/transactions?date_from=2030-01-15&date_to=2030-01-15",
    ))
    .await;
    assert_eq!(list["transactions"][0]["date"], "2030-01-15 09:29:00");
    sb.advance_clock(Duration::from_secs(12 * 3600));
    let token = telepagos_token(&sb).await;
    let (_, q) = send_json(
        telepagos_req(&sb, &token, Method::POST, "/v2/payment/cashin/qr/generate")
            .json(&json!({ "amount": 5, "concept": "late", "description": "late" })),
    )
    .await;
    sb.pay(
        Provider::TelePagos,
        &q["qr_order_id"].as_i64().unwrap().to_string(),
    )
    .unwrap();
    let (_, list) = send_json(telepagos_req(
        &sb,
        &token,
        Method::GET,
        "/v2/account/transactions?date_from=2030-01-15&date_to=2030-01-15",
    ))
    .await;
    assert_eq!(list["transactions"][0]["date"], "2030-01-15 21:29:00");
    assert_eq!(list["transactions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn telepagos_documented_get_bodies_and_queries_are_both_accepted() {
    let sb = sandbox().await;
    let token = telepagos_token(&sb).await;
    let req = |method: Method, path: &str| telepagos_req(&sb, &token, method, path);
    let path = "/v2/payment/cashin/qr/sale-point";
    let (_, created) = send_json(req(Method::POST, path).json(&json!({ "name": "Caja 9" }))).await;
    let sale_point = created["sale_point_id"].as_i64().unwrap();

    // Static QR: the documented JSON body on the GET, or the query; same answer.
    let (status, by_body) = send_json(
        req(Method::GET, &format!("{path}/static"))
            .json(&json!({ "type_amount": "closed", "sale_point_id": sale_point })),
    )
    .await;
    assert_eq!(status, 200, "{by_body}");
    let (_, by_query) = send_json(req(
        Method::GET,
        &format!("{path}/static?type_amount=closed&sale_point_id={sale_point}"),
    ))
    .await;
    assert_eq!(by_body, by_query);
    let (status, body) = send_json(
        req(Method::GET, &format!("{path}/static"))
            .json(&json!({ "type_amount": "other", "sale_point_id": sale_point })),
    )
    .await;
    assert_eq!(status, 400, "{body}");

    // Transactions: the same, `paginate` and `page` as numbers in the body.
    let (_, qr) = send_json(
        req(Method::POST, "/v2/payment/cashin/qr/generate")
            .json(&json!({ "amount": 7, "concept": "c", "description": "d" })),
    )
    .await;
    sb.pay(
        Provider::TelePagos,
        &qr["qr_order_id"].as_i64().unwrap().to_string(),
    )
    .unwrap();
    let (status, by_body) = send_json(req(Method::GET, "/v2/account/transactions").json(&json!({
        "date_from": "2030-01-15", "date_to": "2030-01-15", "operation": "cashin_qr",
        "paginate": 1, "page": 1 })))
    .await;
    assert_eq!(status, 200, "{by_body}");
    assert_eq!(by_body["number_of_results"], 1);
    let (_, by_query) = send_json(req(
        Method::GET,
        "/v2/account/transactions?date_from=2030-01-15&date_to=2030-01-15&operation=cashin_qr&paginate=1&page=1",
    ))
    .await;
    assert_eq!(by_body, by_query);
    let (status, body) = send_json(
        req(Method::GET, "/v2/account/transactions")
            .json(&json!({ "date_from": "2030-01-16", "date_to": "2030-01-15" })),
    )
    .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn telepagos_sale_point_names_have_no_invented_limit() {
    let sb = sandbox().await;
    let token = telepagos_token(&sb).await;
    let long = "Sucursal ".repeat(20);
    let (status, body) = send_json(
        telepagos_req(
            &sb,
            &token,
            Method::POST,
            "/v2/payment/cashin/qr/sale-point",
        )
        .json(&json!({ "name": long })),
    )
    .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("ok")),
        "{body}"
    );
}

#[tokio::test]
async fn telepagos_a_cash_in_is_read_by_its_transaction_id() {
    let sb = sandbox().await;
    let token = telepagos_token(&sb).await;
    let req = |method: Method, path: &str| telepagos_req(&sb, &token, method, path);
    let (_, link) = send_json(req(Method::POST, "/v2/payment/cashin/link/generate").json(&json!({
        "expiration_date": "2030-01-20 00:00:00", "amount": 250, "multiple_use": false, "concept": "Cuota" })))
    .await;
    let link_id = link["link_id"].as_i64().unwrap();
    let paid = sb.pay(Provider::TelePagos, &link_id.to_string()).unwrap();
    let (_, list) = send_json(req(
        Method::GET,
        "/v2/account/transactions?date_from=2030-01-15&date_to=2030-01-15",
    ))
    .await;
    let row_id = list["transactions"][0]["id"].as_i64().unwrap();
    assert_eq!(paid.created_id, Some(row_id.to_string()));
    let (status, cash_in) =
        send_json(req(Method::GET, &format!("/v2/payment/cashin/{row_id}"))).await;
    assert_eq!(status, 200, "{cash_in}");
    assert_eq!(cash_in["link_id"], link_id);
    assert_eq!(cash_in["transaction_id"], row_id);
    assert_eq!(cash_in["amount"], json!(250.0));
}

#[tokio::test]
async fn telepagos_statistics_cover_their_period() {
    let sb = sandbox().await;
    let token = telepagos_token(&sb).await;
    let req = |method: Method, path: &str| telepagos_req(&sb, &token, method, path);
    // 2030-01-15: a cash-out of 1 and a credit of 7; 2030-02-20: a credit of 3.
    send_json(req(Method::POST, "/v2/payment/cashout").json(&cashout_body("s-1", "1"))).await;
    let sb = &sb;
    let pay_qr = |token: String, amount: u32| async move {
        let (_, qr) = send_json(
            telepagos_req(sb, &token, Method::POST, "/v2/payment/cashin/qr/generate")
                .json(&json!({ "amount": amount, "concept": "c", "description": "d" })),
        )
        .await;
        sb.pay(
            Provider::TelePagos,
            &qr["qr_order_id"].as_i64().unwrap().to_string(),
        )
        .unwrap();
    };
    pay_qr(token.clone(), 7).await;
    sb.advance_clock(Duration::from_secs(36 * 24 * 3600));
    // The token has expired in the meantime.
    let token = telepagos_token(sb).await;
    pay_qr(token.clone(), 3).await;
    let token = &token;
    let totals = |period: &'static str| async move {
        let (status, stats) = send_json(telepagos_req(
            sb,
            token,
            Method::GET,
            &format!("/v2/whitelabel/statics/{period}"),
        ))
        .await;
        (
            status,
            stats["data"][1][0]["total_cashin"].clone(),
            stats["data"][1][0]["total_cashout"].clone(),
        )
    };
    assert_eq!(totals("2030-01").await, (200, json!(7.0), json!(1.0)));
    assert_eq!(totals("2030-01-15").await, (200, json!(7.0), json!(1.0)));
    assert_eq!(totals("2030-01-16").await, (200, Value::Null, Value::Null));
    assert_eq!(totals("month").await, (200, json!(3.0), Value::Null));
    assert_eq!(totals("day").await, (200, json!(3.0), Value::Null));
    assert_eq!(totals("2030").await, (200, json!(10.0), json!(1.0)));
    assert_eq!(totals("year").await, (200, json!(10.0), json!(1.0)));
    assert_eq!(totals("2029").await, (200, Value::Null, Value::Null));
    assert_eq!(totals("forever").await.0, 400);
}

#[test]
fn telepagos_currency_table_is_ars_with_cents() {
    assert_eq!(pagos_sandbox::telepagos::CURRENCIES, &[("ARS", 2)]);
}
