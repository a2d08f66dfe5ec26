//! Khipu Automatic Payments (PAC) v1 under the 3.0 base URL: subscriptions signed by the
//! payer (control API and checkout page), unsigned callbacks, charges within the
//! per-charge and monthly limits (422 `ChargeError` past them), charges that become
//! `direct_debit` payments with the signed 3.0 webhook.

use super::khipu_v3::{hook, v3, verify_khipu_signature};
use super::*;

fn subscription_body(notify_url: &str) -> String {
    json!({
        "name": "Ana Pérez", "email": "ana@example.cl", "max_amount": 100000,
        "max_amount_per_charge": 30000, "currency": "CLP", "notify_url": notify_url,
        "return_url": "https://shop.example/ok", "cancel_url": "https://shop.example/cancel",
        "service_reference": "CLIENTE-42", "description": "Plan mensual",
    })
    .to_string()
}

async fn create_subscription(sb: &SandboxHandle, notify_url: &str) -> (String, String) {
    let (status, body) = v3(
        sb,
        Method::POST,
        "/v1/automatic-payment/subscription",
        Some(&subscription_body(notify_url)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    (
        body["subscription_id"].as_str().unwrap().to_string(),
        body["redirect_url"].as_str().unwrap().to_string(),
    )
}

fn charge_body(subscription_id: &str, amount: &str, notify_url: &str) -> String {
    format!(
        r#"{{"subscription_id":"{subscription_id}","amount":{amount},"subject":"Cuota","error_response_url":"{notify_url}","notify_url":"{notify_url}","notify_api_version":"3.0","transaction_id":"T-{amount}"}}"#
    )
}

async fn charge(sb: &SandboxHandle, body: &str) -> (u16, Value) {
    v3(
        sb,
        Method::POST,
        "/v1/automatic-payment/charge-intent",
        Some(body),
    )
    .await
}

async fn subscription(sb: &SandboxHandle, id: &str) -> Value {
    let (status, body) = v3(
        sb,
        Method::GET,
        &format!("/v1/automatic-payment/subscription/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn pac_needs_the_api_key_and_validates_subscriptions() {
    let sb = sandbox().await;
    let (status, body) = send_json(
        http()
            .post(format!(
                "{}/v1/automatic-payment/subscription",
                sb.khipu_v3_base_url()
            ))
            .body(subscription_body("https://shop.example/hook")),
    )
    .await;
    assert_eq!((status, body["status"].clone()), (401, json!(401)));
    let (status, body) = send_json(
        http()
            .post(format!(
                "{}/v1/automatic-payment/charge-intent",
                sb.khipu_v3_base_url()
            ))
            .header("x-api-key", "wrong"),
    )
    .await;
    assert_eq!((status, body["status"].clone()), (401, json!(401)));

    let (status, body) = v3(
        &sb,
        Method::POST,
        "/v1/automatic-payment/subscription",
        Some("{}"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["message"], "Error de validación");
    let mut fields: Vec<String> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "cancel_url",
            "currency",
            "email",
            "max_amount",
            "max_amount_per_charge",
            "name",
            "notify_url",
            "return_url"
        ]
    );
    let mut over: Value = serde_json::from_str(&subscription_body("https://x.cl/h")).unwrap();
    over["max_amount_per_charge"] = json!(200000);
    let (status, body) = v3(
        &sb,
        Method::POST,
        "/v1/automatic-payment/subscription",
        Some(&over.to_string()),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["field"], "max_amount_per_charge");
    let (status, _) = v3(
        &sb,
        Method::GET,
        "/v1/automatic-payment/subscription/nope",
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(sb.record_counts().khipu_pac_subscriptions, 0);
}

#[tokio::test]
async fn a_subscription_is_signed_through_the_control_api_and_enabled() {
    let sb = sandbox().await;
    let (url, mut hits) = hook(&[]).await;
    let (id, redirect) = create_subscription(&sb, &url).await;
    assert!(redirect.contains(&id));
    let s = subscription(&sb, &id).await;
    assert_eq!(s["status"], "PENDING");
    assert_eq!(s["service_reference"], "", "empty until signed");
    assert_eq!(s["developer"], true);

    // Not chargeable before it is signed.
    let (status, body) = charge(&sb, &charge_body(&id, "1000", &url)).await;
    assert_eq!(status, 422);
    assert_eq!(body["error_code"], "SUBSCRIPTION_NOT_CHARGEABLE");
    assert!(body["error_message"].is_string());

    // The payer signs: POST /_sandbox/khipu_v3/{subscription_id}/sign.
    let (status, outcome) =
        send_json(http().post(format!("{}/khipu_v3/{id}/sign", sb.control_url()))).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["status"], "ENABLED");
    let s = subscription(&sb, &id).await;
    assert_eq!(s["status"], "ENABLED");
    assert_eq!(s["service_reference"], "CLIENTE-42");

    let hit = hits.recv().await.unwrap();
    let body: Value = serde_json::from_slice(&hit.body).unwrap();
    assert_eq!(body, json!({ "subscription_id": id, "status": "enabled" }));
    assert!(
        hit.headers.get("x-khipu-signature").is_none(),
        "PAC callbacks are unsigned"
    );
    // Signing twice is refused.
    let (status, _) =
        send_json(http().post(format!("{}/khipu_v3/{id}/sign", sb.control_url()))).await;
    assert_eq!(status, 409);
    assert_eq!(sb.record_counts().khipu_pac_subscriptions, 1);
    // Only Khipu PAC subscriptions are signed.
    let id = create_khipu_payment(&sb, &[]).await;
    assert!(matches!(
        sb.sign(Provider::Khipu, &id),
        Err(pagos_sandbox::Error::Unsupported { .. })
    ));
    let (status, _) = send_json(http().post(format!("{}/kashio/any/sign", sb.control_url()))).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_checkout_page_signs_a_subscription() {
    let sb = sandbox().await;
    let (url, mut hits) = hook(&[]).await;
    let (id, redirect) = create_subscription(&sb, &url).await;
    let page = http().get(&redirect).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Mandato PAC"), "{html}");
    assert!(html.contains("30000 CLP"), "{html}");
    let signed = http().post(&redirect).send().await.unwrap();
    assert_eq!(signed.status(), 200);
    assert_eq!(subscription(&sb, &id).await["status"], "ENABLED");
    hits.recv().await.unwrap();

    // Rejecting the mandate discards it.
    let (other, _) = create_subscription(&sb, &url).await;
    assert_eq!(
        sb.reject(Provider::KhipuV3, &other).unwrap().status,
        "DISCARDED"
    );
    let hit = hits.recv().await.unwrap();
    let body: Value = serde_json::from_slice(&hit.body).unwrap();
    assert_eq!(body["status"], "discarded");
    assert!(sb.sign(Provider::KhipuV3, &other).is_err());
}

#[tokio::test]
async fn charges_become_direct_debit_payments_with_the_signed_webhook() {
    let sb = sandbox().await;
    let (url, mut hits) = hook(&[]).await;
    let (id, _) = create_subscription(&sb, &url).await;
    sb.sign(Provider::KhipuV3, &id).unwrap();
    hits.recv().await.unwrap();

    let (status, body) = charge(&sb, &charge_body(&id, "25000", &url)).await;
    assert_eq!(status, 201, "{body}");
    let payment_id = body["payment_id"].as_str().unwrap().to_string();
    let (status, p) = v3(
        &sb,
        Method::GET,
        &format!("/v3/payments/{payment_id}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(p["payment_method"], "direct_debit");
    assert_eq!(p["status"], "pending");
    assert_eq!(p["amount"], "25000.0000");
    assert_eq!(p["currency"], "CLP");
    assert_eq!(p["notify_api_version"], "3.0");

    assert_eq!(
        sb.pay(Provider::KhipuV3, &payment_id).unwrap().status,
        "done/normal"
    );
    let hit = hits.recv().await.unwrap();
    let header = hit.headers["x-khipu-signature"].to_str().unwrap();
    assert!(verify_khipu_signature(&sb.credentials().khipu_secret, header, &hit.body).is_some());
    let body: Value = serde_json::from_slice(&hit.body).unwrap();
    assert_eq!(body["payment_id"], payment_id.as_str());
    assert_eq!(body["payment_method"], "direct_debit");
    assert_eq!(body["transaction_id"], "T-25000");
}

#[tokio::test]
async fn charges_past_the_limits_get_422_charge_errors() {
    let sb = sandbox().await;
    let (url, _hits) = hook(&[]).await;
    let (id, _) = create_subscription(&sb, &url).await;
    sb.sign(Provider::KhipuV3, &id).unwrap();

    let (status, body) = charge(&sb, &charge_body(&id, "30001", &url)).await;
    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({ "error_code": "MAX_AMOUNT_PER_CHARGE_EXCEEDED",
                "error_message": "amount exceeds the maximum allowed per charge for this subscription" })
    );
    // Exactly the per-charge limit is fine; three of them reach 90 000 of 100 000.
    for _ in 0..3 {
        let (status, body) = charge(&sb, &charge_body(&id, "30000", &url)).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = charge(&sb, &charge_body(&id, "10001", &url)).await;
    assert_eq!(status, 422);
    assert_eq!(body["error_code"], "MAX_MONTHLY_AMOUNT_EXCEEDED");
    let (status, _) = charge(&sb, &charge_body(&id, "10000", &url)).await;
    assert_eq!(status, 201, "exactly the monthly maximum");
    let (status, body) = charge(&sb, &charge_body(&id, "1", &url)).await;
    assert_eq!(
        (status, body["error_code"].clone()),
        (422, json!("MAX_MONTHLY_AMOUNT_EXCEEDED"))
    );
    // Next month the limit is fresh (the clock starts on January 15th).
    sb.advance_clock(Duration::from_secs(20 * 24 * 3600));
    let (status, body) = charge(&sb, &charge_body(&id, "30000", &url)).await;
    assert_eq!(status, 201, "{body}");

    for (amount, code) in [
        ("100.5", "INVALID_AMOUNT"),
        ("0", "INVALID_AMOUNT"),
        ("-1", "INVALID_AMOUNT"),
        ("1e2", "INVALID_AMOUNT"),
    ] {
        let (status, body) = charge(&sb, &charge_body(&id, amount, &url)).await;
        assert_eq!(
            (status, body["error_code"].clone()),
            (422, json!(code)),
            "{amount}"
        );
    }
    // A string is not a JSON number.
    let mut as_string: Value = serde_json::from_str(&charge_body(&id, "100", &url)).unwrap();
    as_string["amount"] = json!("100");
    let (status, body) = charge(&sb, &as_string.to_string()).await;
    assert_eq!(
        (status, body["error_code"].clone()),
        (422, json!("INVALID_AMOUNT"))
    );
    let mut with_currency: Value = serde_json::from_str(&charge_body(&id, "100", &url)).unwrap();
    with_currency["currency"] = json!("USD");
    let (status, body) = charge(&sb, &with_currency.to_string()).await;
    assert_eq!(
        (status, body["error_code"].clone()),
        (422, json!("CURRENCY_MISMATCH"))
    );
    let (status, body) = charge(&sb, &format!(r#"{{"subscription_id":"{id}"}}"#)).await;
    assert_eq!(
        (status, body["error_code"].clone()),
        (422, json!("INVALID_PAYLOAD"))
    );
    let message = body["error_message"].as_str().unwrap();
    for field in ["amount", "subject", "error_response_url", "notify_url"] {
        assert!(message.contains(field), "{message}");
    }
    let (status, body) = charge(&sb, "{not json").await;
    assert_eq!(
        (status, body["error_code"].clone()),
        (422, json!("INVALID_PAYLOAD"))
    );
    let (status, _) = charge(&sb, &charge_body("no-such-subscription", "100", &url)).await;
    assert_eq!(status, 404);
    assert_eq!(sb.record_counts().khipu_v3_payments, 5);
}

#[tokio::test]
async fn a_rejected_charge_posts_its_error_response_url_and_frees_the_limit() {
    let sb = sandbox().await;
    let (url, mut hits) = hook(&[]).await;
    let (id, _) = create_subscription(&sb, &url).await;
    sb.sign(Provider::KhipuV3, &id).unwrap();
    hits.recv().await.unwrap();
    let mut payments = Vec::new();
    for _ in 0..3 {
        let (_, body) = charge(&sb, &charge_body(&id, "30000", &url)).await;
        payments.push(body["payment_id"].as_str().unwrap().to_string());
    }
    let (status, _) = charge(&sb, &charge_body(&id, "20000", &url)).await;
    assert_eq!(status, 422);
    sb.reject(Provider::KhipuV3, &payments[0]).unwrap();
    // The signed webhook of the failed payment, and the unsigned error callback.
    let mut signed = 0;
    let mut callback = None;
    for _ in 0..2 {
        let hit = hits.recv().await.unwrap();
        if hit.headers.contains_key("x-khipu-signature") {
            signed += 1;
        } else {
            callback = Some(serde_json::from_slice::<Value>(&hit.body).unwrap());
        }
    }
    assert_eq!(signed, 1);
    let callback = callback.expect("the error_response_url callback");
    assert_eq!(callback["subscription_id"], id.as_str());
    assert_eq!(callback["payment_id"], payments[0].as_str());
    assert_eq!(callback["transaction_id"], "T-30000");
    assert!(callback["error_message"].is_string());
    let (status, body) = charge(&sb, &charge_body(&id, "20000", &url)).await;
    assert_eq!(status, 201, "the rejected charge no longer counts: {body}");
}

#[tokio::test]
async fn deleting_a_subscription_discards_it() {
    let sb = sandbox().await;
    let (url, mut hits) = hook(&[]).await;
    let (id, _) = create_subscription(&sb, &url).await;
    sb.sign(Provider::KhipuV3, &id).unwrap();
    hits.recv().await.unwrap();
    let path = format!("/v1/automatic-payment/subscription/{id}");
    let (status, body) = v3(&sb, Method::DELETE, &path, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["subscription_id"], id.as_str());
    assert_eq!(body["status"], "DISCARDED");
    let hit = hits.recv().await.unwrap();
    let callback: Value = serde_json::from_slice(&hit.body).unwrap();
    assert_eq!(
        callback,
        json!({ "subscription_id": id, "status": "discarded" })
    );
    assert_eq!(subscription(&sb, &id).await["status"], "DISCARDED");
    let (status, body) = charge(&sb, &charge_body(&id, "100", &url)).await;
    assert_eq!(
        (status, body["error_code"].clone()),
        (422, json!("SUBSCRIPTION_NOT_CHARGEABLE"))
    );
    let (status, body) = v3(&sb, Method::DELETE, &path, None).await;
    assert_eq!(
        (status, body["status"].clone()),
        (400, json!(400)),
        "irreversible"
    );
}

#[tokio::test]
async fn huge_amounts_are_refused_without_panicking() {
    let sb = sandbox().await;
    let (url, _hits) = hook(&[]).await;
    let max = "79228162514264337593543950335";
    // As text: serde_json's Value would turn the number into an f64.
    let body = subscription_body(&url)
        .replace(r#""max_amount":100000"#, &format!(r#""max_amount":{max}"#))
        .replace(
            r#""max_amount_per_charge":30000"#,
            &format!(r#""max_amount_per_charge":{max}"#),
        );
    assert!(body.contains(max));
    let (status, created) = v3(
        &sb,
        Method::POST,
        "/v1/automatic-payment/subscription",
        Some(&body),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let id = created["subscription_id"].as_str().unwrap().to_string();
    sb.sign(Provider::KhipuV3, &id).unwrap();
    let (status, _) = charge(&sb, &charge_body(&id, max, &url)).await;
    assert_eq!(status, 201);
    let (status, body) = charge(&sb, &charge_body(&id, max, &url)).await;
    assert_eq!(
        (status, body["error_code"].clone()),
        (422, json!("MAX_MONTHLY_AMOUNT_EXCEEDED"))
    );
    let (status, body) = charge(
        &sb,
        &charge_body(&id, "792281625142643375935439503350", &url),
    )
    .await;
    assert_eq!(
        (status, body["error_code"].clone()),
        (422, json!("INVALID_AMOUNT"))
    );
}
