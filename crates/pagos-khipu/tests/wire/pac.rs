//! PAC v1: subscriptions and charge intents.

use pagos_core::{Currency, Decimal, Error};
use pagos_khipu::pac::charges::{ChargeError, ChargeErrorCode, ChargeRequest, CreateCharge};
use pagos_khipu::pac::subscriptions::{
    CreateSubscription, DeleteSubscription, GetSubscription, SubscriptionRequest, SubscriptionState,
};
use pagos_test_support::wire::{dec, money};

use crate::v3_support::*;

fn subscription() -> SubscriptionRequest {
    SubscriptionRequest::builder("Ana", "ana@x.cl", money("50000", Currency::Clp))
        .max_amount_per_charge(dec("20000"))
        .urls(
            "https://x.cl/notify",
            "https://x.cl/ok",
            "https://x.cl/cancel",
        )
        .service_reference("contrato-7")
        .build()
        .unwrap()
}

#[tokio::test]
async fn subscriptions() {
    let req = subscription();
    let r = authorized(&CreateSubscription::new(&req)).await;
    assert_request(
        &r,
        "POST",
        &format!("{HOST}/v1/automatic-payment/subscription"),
        Some(
            r#"{"name":"Ana","email":"ana@x.cl","max_amount":50000,"max_amount_per_charge":20000,"currency":"CLP","notify_url":"https://x.cl/notify","return_url":"https://x.cl/ok","cancel_url":"https://x.cl/cancel","service_reference":"contrato-7"}"#,
        ),
    );
    let created = parse(
        &CreateSubscription::new(&req),
        r#"{"subscription_id":"13a0f1aa-5e47-4894-aa8b-282dd19593ec","redirect_url":"https://khipu.com/pac-manager/13a0f1aa"}"#,
    );
    assert_eq!(
        created.subscription_id,
        "13a0f1aa-5e47-4894-aa8b-282dd19593ec"
    );
    let r = authorized(&GetSubscription::new("7Kp2R9xTmQ4b")).await;
    assert_request(
        &r,
        "GET",
        &format!("{HOST}/v1/automatic-payment/subscription/7Kp2R9xTmQ4b"),
        None,
    );
    let r = authorized(&DeleteSubscription::new("7Kp2R9xTmQ4b")).await;
    assert_request(
        &r,
        "DELETE",
        &format!("{HOST}/v1/automatic-payment/subscription/7Kp2R9xTmQ4b"),
        None,
    );
    for (text, state) in [
        ("ENABLED", SubscriptionState::Enabled),
        ("enabled", SubscriptionState::Enabled),
        ("PENDING", SubscriptionState::Pending),
        ("SIGNED", SubscriptionState::Signed),
        ("DISABLED", SubscriptionState::Disabled),
        ("discarded", SubscriptionState::Discarded),
        ("PAUSED", SubscriptionState::Unknown("PAUSED".into())),
    ] {
        let body = format!(
            r#"{{"subscription_id":"s","status":"{text}","developer":true,"service_reference":""}}"#
        );
        let s = parse(&GetSubscription::new("s"), &body);
        assert_eq!(s.status.as_ref(), Some(&state));
        assert_eq!(
            s.status.unwrap().is_chargeable(),
            state == SubscriptionState::Enabled
        );
    }
    // Bad requests are refused before sending.
    let over = SubscriptionRequest::builder("Ana", "ana@x.cl", money("50000", Currency::Clp))
        .max_amount_per_charge(dec("60000"))
        .urls("https://x.cl/n", "https://x.cl/o", "https://x.cl/c")
        .build();
    assert_eq!(
        over.unwrap_err().validation_field(),
        Some("max_amount_per_charge")
    );
    let frac = SubscriptionRequest::builder("Ana", "ana@x.cl", money("50000", Currency::Clp))
        .max_amount_per_charge(dec("1.5"))
        .urls("https://x.cl/n", "https://x.cl/o", "https://x.cl/c")
        .build();
    assert_eq!(
        frac.unwrap_err().validation_field(),
        Some("max_amount_per_charge")
    );
    let no_urls =
        SubscriptionRequest::builder("Ana", "ana@x.cl", money("1", Currency::Clp)).build();
    assert_eq!(no_urls.unwrap_err().validation_field(), Some("notify_url"));
}

fn charge(amount: &str) -> ChargeRequest {
    ChargeRequest::builder("7Kp2R9xTmQ4b", dec(amount), "Cuota marzo")
        .urls("https://x.cl/err", "https://x.cl/notify")
        .transaction_id("cuota-3")
        .build()
        .unwrap()
}

#[tokio::test]
async fn charges_201_and_200() {
    let req = charge("15000");
    let r = authorized(&CreateCharge::new(&req)).await;
    assert_request(
        &r,
        "POST",
        &format!("{HOST}/v1/automatic-payment/charge-intent"),
        Some(
            r#"{"subscription_id":"7Kp2R9xTmQ4b","amount":15000,"subject":"Cuota marzo","error_response_url":"https://x.cl/err","notify_url":"https://x.cl/notify","transaction_id":"cuota-3","notify_api_version":"3.0"}"#,
        ),
    );
    let (client, fake) = fake_client();
    fake.route(
        "POST",
        "/v1/automatic-payment/charge-intent",
        201,
        r#"{"payment_id":"pac123456789"}"#,
    );
    fake.route(
        "POST",
        "/v1/automatic-payment/charge-intent",
        200,
        r#"{"payment_id":"pac000000001"}"#,
    );
    assert_eq!(
        client.charges().create(&req).await.unwrap().payment_id,
        "pac123456789"
    );
    assert_eq!(
        client.charges().create(&req).await.unwrap().payment_id,
        "pac000000001"
    );
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn charge_amounts_are_exact_and_bounded() {
    let r = authorized(&CreateCharge::new(&charge("1.2345"))).await;
    assert!(
        std::str::from_utf8(r.body_bytes())
            .unwrap()
            .contains(r#""amount":1.2345,"#)
    );
    let r = authorized(&CreateCharge::new(&charge("15000.00"))).await;
    assert!(
        std::str::from_utf8(r.body_bytes())
            .unwrap()
            .contains(r#""amount":15000,"#)
    );
    for bad in ["1.23456", "0", "-1"] {
        let e = ChargeRequest::builder("s", dec(bad), "x")
            .urls("https://x.cl/e", "https://x.cl/n")
            .build()
            .unwrap_err();
        assert_eq!(e.validation_field(), Some("amount"), "{bad}");
    }
    let (client, fake) = fake_client();
    let mut req = charge("1");
    req.amount = Decimal::new(123456, 5);
    assert_eq!(
        client
            .charges()
            .create(&req)
            .await
            .unwrap_err()
            .validation_field(),
        Some("amount")
    );
    assert_eq!(fake.calls(), 0);
}

#[tokio::test]
async fn charge_errors_are_typed() {
    let (client, fake) = fake_client();
    fake.route(
        "POST",
        "/v1/automatic-payment/charge-intent",
        422,
        r#"{"error_code":"MAX_AMOUNT_PER_CHARGE_EXCEEDED","error_message":"amount exceeds the maximum allowed per charge for this subscription"}"#,
    );
    fake.route(
        "POST",
        "/v1/automatic-payment/charge-intent",
        422,
        r#"{"error_code":"BRAND_NEW"}"#,
    );
    fake.route(
        "POST",
        "/v1/automatic-payment/charge-intent",
        422,
        "not json",
    );
    let req = charge("15000");
    let e = client.charges().create(&req).await.unwrap_err();
    assert!(
        matches!(e, Error::Provider(_)),
        "a 422 is a definite refusal: {e:?}"
    );
    let c = ChargeError::from_error(&e).unwrap();
    assert_eq!(
        c.error_code,
        Some(ChargeErrorCode::MaxAmountPerChargeExceeded)
    );
    assert!(c.error_message.unwrap().contains("maximum"));
    assert_eq!(
        e.as_provider_error().unwrap().code.as_deref(),
        Some("MAX_AMOUNT_PER_CHARGE_EXCEEDED")
    );
    let e = client.charges().create(&req).await.unwrap_err();
    let c = ChargeError::from_error(&e).unwrap();
    assert_eq!(
        c.error_code,
        Some(ChargeErrorCode::Unknown("BRAND_NEW".into()))
    );
    assert_eq!(c.error_message, None);
    let e = client.charges().create(&req).await.unwrap_err();
    let c = ChargeError::from_error(&e).unwrap();
    assert_eq!(c.error_code, None);
    assert_eq!(c.raw_body, "not json");
    for code in [
        "MAX_MONTHLY_AMOUNT_EXCEEDED",
        "SUBSCRIPTION_NOT_CHARGEABLE",
        "CURRENCY_MISMATCH",
        "INVALID_AMOUNT",
        "IDEMPOTENCY_KEY_REUSED",
        "INVALID_PAYLOAD",
        "MERCHANT_ID_NOT_RESOLVED",
    ] {
        assert!(
            !matches!(ChargeErrorCode::from(code), ChargeErrorCode::Unknown(_)),
            "{code}"
        );
    }
    // Not a 422: no charge error.
    assert!(ChargeError::from_error(&refused::<CreateCharge<'_>>(400, "{}")).is_none());
}

#[tokio::test]
async fn a_5xx_on_a_charge_is_unknown_and_sent_once() {
    let (client, fake) = fake_client();
    fake.always(502, "");
    let e = client.charges().create(&charge("15000")).await.unwrap_err();
    let Error::OutcomeUnknown(u) = &e else {
        panic!("{e:?}")
    };
    assert!(u.hint.as_deref().unwrap().contains("7Kp2R9xTmQ4b"));
    let e = client
        .subscriptions()
        .create(&subscription())
        .await
        .unwrap_err();
    assert!(e.is_outcome_unknown());
    let e = client.subscriptions().delete("s1").await.unwrap_err();
    assert!(e.is_outcome_unknown());
    assert_eq!(fake.calls(), 3);
}
