//! `POST /OKPay/createOrder`: the described request, the answers read by `parse`, the
//! refusals read by `error::refusal`, and runs through the in-memory [`Fake`].

use pagos_core::transport::{Idempotency, Method};
use pagos_core::{Endpoint, Error, PayoutStatus, Resend, Response, UnknownCause};
use pagos_kashpay::{CreateOrder, OrderDefaults, OrderStatus, PROVIDER};

use super::*;

fn answer(status: u16, body: &str) -> Response {
    Response::new(PROVIDER, CreateOrder::OPERATION, status, body.to_string())
        .with_idempotency(CreateOrder::IDEMPOTENCY)
}

#[tokio::test]
async fn create_order_sends_every_field_with_the_session_headers() {
    let fake = Fake::new();
    let client = fake.client();
    let order = full_order();
    let request = client
        .executor()
        .authorized(&CreateOrder::new(&order))
        .await
        .unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(
        request.url().as_str(),
        "https://kashpay.test/kashpay/OKPay/createOrder"
    );
    assert_eq!(request.query_str(), None);
    assert_eq!(
        request.header_str("authorization"),
        Some(format!("Bearer {JWT}").as_str())
    );
    assert_eq!(request.header_str("entity-i"), Some(ENTITY));
    assert_eq!(request.header_str("content-type"), Some("application/json"));
    assert_eq!(request.body_bytes(), FULL_ORDER_BODY.as_bytes());
    assert_eq!(request.idempotency(), Idempotency::NonIdempotent);
    assert_eq!(request.operation(), "create_order");
    // Obtaining the token was the only call.
    assert_eq!(fake.calls(AUTH_PATH), 1);
    assert_eq!(fake.calls(ORDER_PATH), 0);
    // Without credentials, the described request carries neither header.
    let described = client
        .executor()
        .describe(&CreateOrder::new(&order))
        .unwrap();
    assert_eq!(described.header_str("authorization"), None);
    assert_eq!(described.header_str("entity-i"), None);
    assert_eq!(described.body_bytes(), FULL_ORDER_BODY.as_bytes());
}

#[test]
fn create_order_decodes_the_documented_answer() {
    let order = full_order();
    let created = CreateOrder::new(&order)
        .parse(&answer(200, ORDER_OK))
        .unwrap();
    // The Kashpay API's success example, decoded.
    assert_eq!(created.id, "13699");
    assert_eq!(created.numeric_reference.as_deref(), Some("43223123"));
    assert_eq!(
        created.alphanumeric_reference.as_deref(),
        Some("PROVV0011712091")
    );
    assert_eq!(
        created.reference_created_payment.as_deref(),
        Some("on000000011598")
    );
    assert_eq!(created.status, OrderStatus::Applied);
    assert_eq!(created.status.payout_status(), PayoutStatus::Succeeded);
    assert_eq!(created.initial_balance.unwrap().to_string(), "10000");
    assert_eq!(created.final_balance.unwrap().to_string(), "10250");
    let created_at = created.created_at.unwrap();
    assert_eq!(
        created_at,
        time::macros::datetime!(2022-12-20 17:11:46.794 UTC)
    );
    assert_eq!(created.updated_at, Some(created_at));
    assert_eq!(created.total_items, Some(0));
    assert_eq!(created.total_pages, Some(0));
    assert_eq!(created.current_page, Some(0));
    // The answer as Kashpay sent it.
    // (The fixture's final newline is not part of the JSON value.)
    assert_eq!(created.raw.get(), ORDER_OK.trim_end());
    assert!(
        created
            .raw
            .get()
            .contains(r#""uptadedAt": "2022-12-20T17:11:46.794+0000""#)
    );
}

#[test]
fn an_order_serializes_flat_with_kashpays_text_kept() {
    let order = full_order();
    let created = CreateOrder::new(&order)
        .parse(&answer(200, ORDER_OK))
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&created).unwrap()).unwrap();
    assert_eq!(json["id"], "13699");
    assert_eq!(json["status"], 25);
    assert_eq!(json["initial_balance"], 10000);
    assert_eq!(json["created_at"], "2022-12-20T17:11:46.794Z");
    assert_eq!(
        json["raw"]["orderEntityResponse"]["uptadedAt"],
        "2022-12-20T17:11:46.794+0000"
    );
    // Deserialize reads Kashpay's answer (the raw is the endpoint's to fill).
    let decoded: pagos_kashpay::Order = serde_json::from_str(ORDER_OK).unwrap();
    assert_eq!(decoded.id, created.id);
    assert!(decoded.raw.is_null());
}

#[test]
fn odd_timestamps_and_numeric_ids_are_not_errors() {
    let order = full_order();
    let body = r#"{"success":true,"orderEntityResponse":{"id":13699,"numericReference":43223123,"status":"13","createdAt":"20/12/2022","initialBalance":"10000.50"}}"#;
    let created = CreateOrder::new(&order).parse(&answer(200, body)).unwrap();
    assert_eq!(created.id, "13699");
    assert_eq!(created.numeric_reference.as_deref(), Some("43223123"));
    assert_eq!(created.status, OrderStatus::Pending);
    assert_eq!(created.created_at, None);
    assert_eq!(created.initial_balance.unwrap().to_string(), "10000.50");
    assert_eq!(created.total_items, None);
}

#[tokio::test]
async fn create_order_uses_the_client_entity_and_bank_ids_as_defaults() {
    let fake = Fake::new().answer(ORDER_PATH, 200, ORDER_OK);
    let client = fake.client_with(builder().entity_id(4177).bank_id(12));
    assert_eq!(
        client.order_defaults(),
        OrderDefaults::default().entity_id(4177).bank_id(12)
    );
    let order = OrderRequest::builder(TransactionType::SpeiOut, mxn("10.5"))
        .beneficiary(AccountType::Clabe, "032180000118359719", "Ana")
        .concept("Pago")
        .numeric_reference(1)
        .alphanumeric_reference("A1")
        .build()
        .unwrap();
    let endpoint = CreateOrder::new(&order).with_defaults(client.order_defaults());
    let body = String::from_utf8(
        client
            .executor()
            .describe(&endpoint)
            .unwrap()
            .body_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(body.contains(r#""idBank":12,"idEntity":4177,"#), "{body}");
    assert!(body.contains(r#""codeInstituteBank":"032","#), "{body}");
    assert!(body.contains(r#""amount":10.50,"#), "{body}");
    // The endpoint alone sends no defaults; the handle sends the client's.
    let bare = client
        .executor()
        .describe(&CreateOrder::new(&order))
        .unwrap();
    assert!(!String::from_utf8_lossy(bare.body_bytes()).contains("idBank"));
    client.orders().create(&order).await.unwrap();
    let sent = fake.first_to(ORDER_PATH);
    assert_eq!(body_text(&sent), body);
}

#[tokio::test]
async fn create_order_failure_envelope_with_http_200_and_400() {
    for status in [200, 400] {
        let response = answer(status, ORDER_FAILED);
        let refusal = pagos_kashpay::error::refusal(&response).expect("a refusal");
        let err = response.refusal(refusal);
        let p = provider_error(&err);
        assert_eq!(p.provider, "kashpay");
        assert_eq!(p.operation, "create_order");
        assert_eq!(p.http_status, status);
        assert_eq!(p.code.as_deref(), Some("1022"));
        assert_eq!(p.message, "EntityException: No se pudo procesar el pago");
        assert_eq!(p.raw_body, ORDER_FAILED);
        assert_eq!(err.resend(), Resend::Never);

        // Through the client: the same error, and the order was sent once.
        let fake = Fake::new().answer(ORDER_PATH, status, ORDER_FAILED);
        let run = fake
            .client()
            .orders()
            .create(&full_order())
            .await
            .unwrap_err();
        assert_eq!(run.as_provider_error(), Some(p), "HTTP {status}");
        assert_eq!(fake.calls(ORDER_PATH), 1);
    }
}

#[tokio::test]
async fn create_order_gateway_error_is_an_unknown_outcome_and_not_retried() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let response = answer(502, html);
    let err = response.refusal(pagos_kashpay::error::refusal(&response).unwrap());
    // The gateway may have forwarded the order before failing: unknown, not refused.
    assert_eq!(err.resend(), Resend::AfterLookup);
    let Error::OutcomeUnknown(u) = &err else {
        panic!("expected an unknown outcome, got {err:?}")
    };
    assert_eq!(u.cause, UnknownCause::ServerError);
    assert_eq!(u.http_status, Some(502));
    assert_eq!(u.code, None);
    assert_eq!(u.message.as_deref(), Some("HTTP 502 with a non-JSON body"));
    assert_eq!(u.raw_body.as_deref(), Some(html));

    let fake = Fake::new().answer(ORDER_PATH, 502, html);
    let err = fake
        .client()
        .orders()
        .create(&full_order())
        .await
        .unwrap_err();
    assert_eq!(err.resend(), Resend::AfterLookup);
    let Error::OutcomeUnknown(u) = &err else {
        panic!("expected an unknown outcome, got {err:?}")
    };
    assert_eq!(u.cause, UnknownCause::ServerError);
    assert_eq!(u.raw_body.as_deref(), Some(html));
    assert!(u.hint.is_some());
    // A POST without an idempotency reference is sent once, even after a 5xx.
    assert_eq!(fake.calls(ORDER_PATH), 1);
}

#[tokio::test]
async fn create_order_undecodable_200_is_outcome_unknown_with_a_lookup_hint() {
    for body in [
        "<html>OK</html>",
        r#"{"success":true,"orderEntityResponse":{"status":25}}"#,
    ] {
        let order = full_order();
        let parsed = CreateOrder::new(&order)
            .parse(&answer(200, body))
            .unwrap_err();
        assert!(matches!(parsed, Error::OutcomeUnknown(_)), "{parsed:?}");

        let fake = Fake::new().answer(ORDER_PATH, 200, body);
        let err = fake.client().orders().create(&order).await.unwrap_err();
        match &err {
            Error::OutcomeUnknown(u) => {
                assert_eq!(u.cause, UnknownCause::UndecodableResponse);
                assert_eq!(u.http_status, Some(200));
                assert_eq!(u.raw_body.as_deref(), Some(body));
                let hint = u.hint.as_deref().unwrap();
                assert!(hint.contains("numericReference 43223123"), "{hint}");
                assert!(
                    hint.contains("alphanumericReference PROVV0011712091"),
                    "{hint}"
                );
                assert_eq!(
                    Some(hint.to_string()),
                    CreateOrder::new(&order).outcome_hint()
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(fake.calls(ORDER_PATH), 1);
    }
}

#[tokio::test]
async fn create_order_json_without_success_flag_is_outcome_unknown() {
    let body = r#"{"orderEntityResponse":{"id":"1","status":25}}"#;
    let order = full_order();
    assert!(pagos_kashpay::error::refusal(&answer(200, body)).is_none());
    let parsed = CreateOrder::new(&order)
        .parse(&answer(200, body))
        .unwrap_err();
    assert!(matches!(parsed, Error::OutcomeUnknown(_)), "{parsed:?}");
    let fake = Fake::new().answer(ORDER_PATH, 200, body);
    let err = fake.client().orders().create(&order).await.unwrap_err();
    assert!(
        matches!(err, Error::OutcomeUnknown(ref u) if u.hint.is_some()),
        "{err:?}"
    );
}

#[tokio::test]
async fn send_returns_the_accepted_answer_unparsed() {
    let fake = Fake::new().answer(ORDER_PATH, 200, ORDER_OK);
    let order = full_order();
    let response = fake.client().send(&CreateOrder::new(&order)).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.body.as_ref(), ORDER_OK.as_bytes());
    // A refusal is still an error.
    let fake = Fake::new().answer(ORDER_PATH, 200, ORDER_FAILED);
    let err = fake
        .client()
        .send(&CreateOrder::new(&order))
        .await
        .unwrap_err();
    assert_eq!(provider_error(&err).code.as_deref(), Some("1022"));
}

// ---------------------------------------------------------------- validation

#[tokio::test]
async fn invalid_orders_send_nothing() {
    let fake = Fake::new().answer(ORDER_PATH, 200, ORDER_OK);
    let client = fake.client();

    let cases: Vec<(&str, Mutation<OrderRequest>)> = vec![
        // Banxico's check digit: the Kashpay API's example CLABE has a wrong one.
        (
            "beneficiary_account",
            Box::new(|o| o.beneficiary_account = "646180585000000001".into()),
        ),
        (
            "beneficiary_account",
            Box::new(|o| o.beneficiary_account = "03218000011835971".into()),
        ),
        ("amount", Box::new(|o| o.amount = mxn("0"))),
        ("amount", Box::new(|o| o.amount = mxn("-5"))),
        (
            "currency",
            Box::new(|o| o.amount = Money::parse("1", Currency::Usd).unwrap()),
        ),
        (
            "email",
            Box::new(|o| o.email = Some("testrest@gmail".into())),
        ),
        (
            "beneficiary_name",
            Box::new(|o| o.beneficiary_name = "  ".into()),
        ),
        ("concept", Box::new(|o| o.concept = String::new())),
        (
            "alphanumeric_reference",
            Box::new(|o| o.alphanumeric_reference = String::new()),
        ),
        (
            "postal_code",
            Box::new(|o| o.postal_code = Some("5780".into())),
        ),
    ];
    for (field, mutate) in cases {
        let mut order = full_order();
        mutate(&mut order);
        let described = client.executor().describe(&CreateOrder::new(&order));
        assert_eq!(
            described.unwrap_err().validation_field(),
            Some(field),
            "{field}"
        );
        let err = client.orders().create(&order).await.unwrap_err();
        assert_eq!(err.validation_field(), Some(field), "{err:?}");
    }
    // More than two decimals never becomes MXN money in the first place.
    assert!(Money::parse("10.555", Currency::Mxn).is_err());

    // Nothing was sent, not even the authentication.
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

/// An amount read from JSON goes through `Money`'s precision check: `250.005` MXN
/// never becomes an order (or a payout) of `250.01`, and nothing is sent, not even the
/// authentication.
#[tokio::test]
async fn over_precise_amounts_are_refused_never_rounded() {
    use pagos_core::{BankAccount, PaymentProvider, PayoutRequest};

    let fake = Fake::new().answer(ORDER_PATH, 200, ORDER_OK);
    let client = fake.client();
    // What an application does with a transfer it received as JSON.
    async fn order_from_json(client: &KashpayClient, transfer: &str) -> Result<(), String> {
        let amount: Money = serde_json::from_str(transfer).map_err(|e| e.to_string())?;
        let order = OrderRequest::builder(TransactionType::SpeiOut, amount)
            .beneficiary(AccountType::Clabe, "032180000118359719", "Florentino Eter")
            .concept("Deposito Maria")
            .numeric_reference(43223123)
            .alphanumeric_reference("PROVV0011712091")
            .build()
            .map_err(|e| e.to_string())?;
        client
            .orders()
            .create(&order)
            .await
            .map(drop)
            .map_err(|e| e.to_string())?;
        let payout = PayoutRequest::builder(
            amount,
            BankAccount::Clabe("032180000118359719".into()),
            "43223123",
        )
        .beneficiary_name("Florentino Eter")
        .build()
        .map_err(|e| e.to_string())?;
        client
            .create_payout(&payout)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
    for (transfer, message) in [
        (
            r#"{"amount":"250.005","currency":"MXN"}"#,
            "invalid amount: 250.005 has more than 2 decimal place(s), the most MXN allows",
        ),
        (
            r#"{"amount":"0.001","currency":"MXN"}"#,
            "invalid amount: 0.001 has more than 2 decimal place(s), the most MXN allows",
        ),
        (
            r#"{"amount":250.5,"currency":"MXN"}"#,
            "an amount with a fraction must be a string",
        ),
    ] {
        let e = order_from_json(&client, transfer).await.unwrap_err();
        assert!(e.contains(message), "{transfer}: {e}");
    }
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}
