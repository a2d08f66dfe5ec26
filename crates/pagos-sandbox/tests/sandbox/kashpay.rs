//! Kashpay: authentication, orders and the balance, validation and token expiry.

use super::*;

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

/// The Kashpay API's own 8-digit `numericReference` (`43223123`) is taken and echoed as
/// sent, as a number or a string; one of more than 10 digits, or with letters, is
/// refused.
#[tokio::test]
async fn kashpay_numeric_reference_of_the_api_example() {
    let sb = sandbox().await;
    let token = kashpay_token(&sb).await;
    for reference in [json!(43223123), json!("43223123")] {
        let mut order = spei_out("1.00");
        order["numericReference"] = reference.clone();
        let (status, body) = send_json(kashpay_order(&sb, &token, &order)).await;
        assert_eq!(status, 200, "{reference}: {body}");
        assert_eq!(body["orderEntityResponse"]["numericReference"], "43223123");
    }
    for reference in [json!(12345678901_u64), json!("PAYOUT01")] {
        let mut order = spei_out("1.00");
        order["numericReference"] = reference.clone();
        let (status, body) = send_json(kashpay_order(&sb, &token, &order)).await;
        assert_eq!(
            (status, body["success"].as_bool()),
            (400, Some(false)),
            "{reference}"
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("numericReference"),
            "{body}"
        );
    }
}

/// The currencies of `pagos_sandbox::kashpay::CURRENCIES` (by ISO numeric code), and
/// nothing else.
#[tokio::test]
async fn kashpay_currency_table() {
    assert_eq!(pagos_sandbox::kashpay::CURRENCIES, &[("MXN", 2)]);
    let sb = sandbox().await;
    let token = kashpay_token(&sb).await;
    let mut order = spei_out("1.00");
    order["currency"] = json!(840);
    let (status, body) = send_json(kashpay_order(&sb, &token, &order)).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("currency")
    );
    let (status, body) = send_json(kashpay_order(&sb, &token, &spei_out("1.005"))).await;
    assert_eq!(status, 400, "{body}");
    let mut order = spei_out("1.05");
    order.as_object_mut().unwrap().remove("currency");
    let (status, body) = send_json(kashpay_order(&sb, &token, &order)).await;
    assert_eq!(status, 200, "{body}");
}
