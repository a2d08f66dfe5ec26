//! Payments: `POST /payments`, `GET /payments/{id}`,
//! `GET /payments?notification_token=…`, `DELETE /payments/{id}`,
//! `POST /payments/{id}/confirm`, `POST /payments/{id}/refunds`, described and signed
//! without a socket, and the API document's examples decoded.

use pagos_core::transport::Idempotency;
use pagos_core::{Currency, Decimal, Endpoint, Error, Money, PaymentStatus, UnknownCause};
use pagos_khipu::payments::{
    ConfirmPayment, CreatePayment, DeletePayment, GetPayment, GetPaymentByNotificationToken,
    RefundPayment,
};
use pagos_khipu::{CreatePaymentRequest, KhipuStatus, PaymentMethod, StatusDetail};
use time::macros::datetime;

use crate::support::*;

/// The pairs of a form body, decoded.
fn pairs(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

// ---------------------------------------------------------------------------------
// POST /payments

#[tokio::test]
async fn create_payment_wire() {
    let client = client();
    let req = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    let endpoint = CreatePayment::new(&req);
    let r = signed(&client, &endpoint).await;
    assert_eq!(r.method().as_str(), "POST");
    assert_eq!(r.url().as_str(), url("/payments"));
    assert_eq!(r.url().query(), None);
    assert_khipu_headers(
        &r,
        &ref_authorization(
            "POST",
            &url("/payments"),
            &[("subject", "Test"), ("currency", "CLP"), ("amount", "1000")],
        ),
    );
    assert_eq!(r.body_bytes(), b"subject=Test&currency=CLP&amount=1000");
    assert_eq!(r.operation(), "create_payment");
    assert_eq!(r.idempotency(), Idempotency::NonIdempotent);

    let created = parse(&endpoint, PAYMENT_CREATE);
    assert_eq!(created.payment_id, "gqzdy6chjne9");
    assert_eq!(
        created.payment_url.as_deref(),
        Some("https://khipu.com/payment/info/gqzdy6chjne9")
    );
    assert_eq!(
        created.simplified_transfer_url.as_deref(),
        Some("https://app.khipu.com/payment/simplified/gqzdy6chjne9")
    );
    assert_eq!(
        created.transfer_url.as_deref(),
        Some("https://khipu.com/payment/manual/gqzdy6chjne9")
    );
    assert_eq!(
        created.app_url.as_deref(),
        Some("khipu:///pos/gqzdy6chjne9")
    );
    assert_eq!(created.ready_for_terminal, Some(false));
    assert_eq!(created.webpay_url, None);
    assert_eq!(created.hites_url, None);
    assert_eq!(created.payme_url, None);
    assert_eq!(created.raw.get(), PAYMENT_CREATE.trim_end());
}

#[tokio::test]
async fn create_payment_every_field_wire() {
    let params: &[(&str, &str)] = &[
        ("subject", "Café & té: 2×1 ñandú"),
        ("currency", "CLF"),
        ("amount", "1.2345"),
        ("transaction_id", "T/1?x=1"),
        ("custom", "{\"cart\":[\"a+b\",\"50%\"]}"),
        ("body", "línea 1\nlínea 2 (€)"),
        ("bank_id", "SDdGj"),
        ("return_url", "https://tienda.cl/ok?o=1&p=2"),
        ("cancel_url", "https://tienda.cl/cancel"),
        ("picture_url", "https://tienda.cl/p.png"),
        ("notify_url", "https://tienda.cl/notify"),
        ("contract_url", "https://tienda.cl/contrato.pdf"),
        ("notify_api_version", "1.3"),
        ("expires_date", "2030-03-01T13:00:00Z"),
        ("send_email", "true"),
        ("payer_name", "Ana Pérez"),
        ("payer_email", "ana@example.cl"),
        ("send_reminders", "false"),
        ("responsible_user_email", "jefe@tienda.cl"),
        ("fixed_payer_personal_identifier", "76.086.428-5"),
        ("integrator_fee", "0.0100"),
        (
            "collect_account_uuid",
            "0f8fad5b-d9cb-469f-a165-70867728950e",
        ),
        ("confirm_timeout_date", "2030-03-05T00:00:00Z"),
    ];
    let expected_body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter())
        .finish();

    let req = CreatePaymentRequest::builder(
        "Café & té: 2×1 ñandú",
        Money::parse("1.2345", Currency::Clf).unwrap(),
    )
    .transaction_id("T/1?x=1")
    .custom("{\"cart\":[\"a+b\",\"50%\"]}")
    .body("línea 1\nlínea 2 (€)")
    .bank_id("SDdGj")
    .return_url("https://tienda.cl/ok?o=1&p=2")
    .cancel_url("https://tienda.cl/cancel")
    .picture_url("https://tienda.cl/p.png")
    .notify_url("https://tienda.cl/notify")
    .contract_url("https://tienda.cl/contrato.pdf")
    .expires_date(datetime!(2030-03-01 10:00:00 -3))
    .send_email(true)
    .payer_name("Ana Pérez")
    .payer_email("ana@example.cl")
    .send_reminders(false)
    .responsible_user_email("jefe@tienda.cl")
    .fixed_payer_personal_identifier("76.086.428-5")
    .integrator_fee(Decimal::new(1, 2))
    .collect_account_uuid("0f8fad5b-d9cb-469f-a165-70867728950e")
    .confirm_timeout_date(datetime!(2030-03-05 00:00:00 UTC))
    .build()
    .unwrap();
    let endpoint = CreatePayment::new(&req);
    let r = signed(&client(), &endpoint).await;
    assert_eq!(r.method().as_str(), "POST");
    assert_eq!(r.url().path(), format!("{PREFIX}/payments"));
    assert_khipu_headers(&r, &ref_authorization("POST", &url("/payments"), params));
    assert_eq!(r.body_bytes(), expected_body.as_bytes());
    let expected: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(pairs(r.body_bytes()), expected);
    assert_eq!(parse(&endpoint, PAYMENT_CREATE).payment_id, "gqzdy6chjne9");
}

// ---------------------------------------------------------------------------------
// GET /payments/{id}, GET /payments?notification_token=

#[tokio::test]
async fn get_payment_wire() {
    let endpoint = GetPayment::new("gqzdy6chjne9");
    let r = signed(&client(), &endpoint).await;
    assert_eq!(r.method().as_str(), "GET");
    assert_eq!(r.url().path(), format!("{PREFIX}/payments/gqzdy6chjne9"));
    assert_khipu_headers(
        &r,
        &ref_authorization("GET", &url("/payments/gqzdy6chjne9"), &[]),
    );
    assert!(r.body_bytes().is_empty());
    assert_eq!(r.url().query(), None);
    assert_eq!(r.idempotency(), Idempotency::Read);

    let p = parse(&endpoint, PAYMENT_DONE);
    assert_eq!(p.payment_id, "gqzdy6chjne9");
    assert_eq!(
        p.notification_token.as_deref(),
        Some("9dec8aa176c5223026919b3b5579a4776923e646ff3be686b9e6b62ec042e91f")
    );
    assert_eq!(p.receiver_id.as_deref(), Some("985101"));
    assert_eq!(
        p.conciliation_date.as_deref(),
        Some("2017-03-01T13:00:00.000Z")
    );
    assert_eq!(
        p.conciliation_time(),
        Some(datetime!(2017-03-01 13:00:00 UTC))
    );
    assert_eq!(p.subject.as_deref(), Some("Test"));
    assert_eq!(p.amount, Some(Decimal::new(1000, 0)));
    assert_eq!(p.currency.as_deref(), Some("CLP"));
    assert_eq!(p.money(), Some(clp("1000")));
    assert_eq!(p.status, Some(KhipuStatus::Done));
    assert_eq!(p.status_detail, Some(StatusDetail::Normal));
    assert_eq!(p.unified_status(), PaymentStatus::Succeeded);
    assert_eq!(p.body.as_deref(), Some("Test"));
    assert_eq!(
        p.receipt_url.as_deref(),
        Some("https://micomercio.com/order/receipt_url")
    );
    assert_eq!(p.notify_api_version.as_deref(), Some("1.3"));
    assert_eq!(p.expires_time(), Some(datetime!(2023-12-31 15:45:00 -4)));
    assert_eq!(
        p.attachment_urls,
        ["https://micomercio.com/attachment1.pdf"]
    );
    assert_eq!(p.bank.as_deref(), Some("Banco de Chile (Edwards Citi)"));
    assert_eq!(p.bank_id.as_deref(), Some("dfFbF"));
    assert_eq!(p.payer_name.as_deref(), Some("Nombre Pagador"));
    assert_eq!(p.payer_email.as_deref(), Some("pagador@email.com"));
    assert_eq!(p.personal_identifier.as_deref(), Some("11.000.111-9"));
    assert_eq!(p.bank_account_number.as_deref(), Some("001120490689"));
    assert_eq!(p.out_of_date_conciliation, Some(true));
    assert_eq!(p.transaction_id.as_deref(), Some("zwo3wqz6uulcvajt"));
    assert_eq!(p.custom.as_deref(), Some("<xml>...</xml>"));
    assert_eq!(
        p.responsible_user_email.as_deref(),
        Some("responsible@email.com")
    );
    assert_eq!(p.send_reminders, Some(true));
    assert_eq!(p.send_email, Some(true));
    assert_eq!(p.payment_method, Some(PaymentMethod::SimplifiedTransfer));
    assert_eq!(p.funds_source.as_deref(), Some("debit"));
    assert_eq!(p.discount, Some(Decimal::ZERO));
    assert_eq!(p.raw.get(), PAYMENT_DONE.trim_end());
}

#[test]
fn get_payment_with_string_amount_nulls_and_unknown_fields() {
    let p = parse(&GetPayment::new("7vnqtalz0ikb"), PAYMENT_PENDING);
    assert_eq!(p.amount.unwrap().to_string(), "200.0000");
    assert_eq!(p.money().unwrap().to_plain_string(), "200");
    assert_eq!(p.receiver_id.as_deref(), Some("985101"));
    assert_eq!(p.status, Some(KhipuStatus::Pending));
    assert_eq!(p.status_detail, Some(StatusDetail::Pending));
    assert_eq!(p.unified_status(), PaymentStatus::Pending);
    assert!(p.attachment_urls.is_empty());
    assert_eq!(p.payment_method, None);
    assert_eq!(p.notification_token, None);
    assert_eq!(p.discount, Some(Decimal::ZERO));
    // The field the typed answer does not know is kept in the raw answer.
    assert!(
        p.raw
            .get()
            .contains(r#""a_field_from_the_future": {"nested": [1, 2, 3]}"#)
    );
}

#[tokio::test]
async fn get_payment_by_notification_token_wire() {
    let token = "9dec8aa176c5223026919b3b5579a4776923e646ff3be686b9e6b62ec042e91f";
    let endpoint = GetPaymentByNotificationToken::new(token);
    let r = signed(&client(), &endpoint).await;
    assert_eq!(r.method().as_str(), "GET");
    assert_eq!(r.url().path(), format!("{PREFIX}/payments"));
    let query: Vec<(String, String)> = r.url().query_pairs().into_owned().collect();
    assert_eq!(
        query,
        [("notification_token".to_string(), token.to_string())]
    );
    assert_khipu_headers(
        &r,
        &ref_authorization("GET", &url("/payments"), &[("notification_token", token)]),
    );
    assert!(r.body_bytes().is_empty());
    assert_eq!(r.idempotency(), Idempotency::Read);
    assert_eq!(parse(&endpoint, PAYMENT_DONE).payment_id, "gqzdy6chjne9");
}

// ---------------------------------------------------------------------------------
// DELETE /payments/{id}, POST /payments/{id}/confirm, POST /payments/{id}/refunds

#[tokio::test]
async fn delete_payment_wire() {
    let endpoint = DeletePayment::new("gqzdy6chjne9");
    let r = signed(&client(), &endpoint).await;
    assert_eq!(r.method().as_str(), "DELETE");
    assert_eq!(r.url().path(), format!("{PREFIX}/payments/gqzdy6chjne9"));
    assert_khipu_headers(
        &r,
        &ref_authorization("DELETE", &url("/payments/gqzdy6chjne9"), &[]),
    );
    assert_eq!(r.body_bytes(), b"");
    assert_eq!(r.idempotency(), Idempotency::NonIdempotent);
    let answer = parse(&endpoint, SUCCESS);
    assert_eq!(
        answer.message.as_deref(),
        Some("Mensaje a desplegar al usuario")
    );
    assert_eq!(answer.raw.get(), SUCCESS.trim_end());
}

#[tokio::test]
async fn confirm_payment_wire() {
    let endpoint = ConfirmPayment::new("gqzdy6chjne9");
    let r = signed(&client(), &endpoint).await;
    assert_eq!(r.method().as_str(), "POST");
    assert_eq!(
        r.url().path(),
        format!("{PREFIX}/payments/gqzdy6chjne9/confirm")
    );
    assert_khipu_headers(
        &r,
        &ref_authorization("POST", &url("/payments/gqzdy6chjne9/confirm"), &[]),
    );
    assert_eq!(r.body_bytes(), b"");
    assert_eq!(r.idempotency(), Idempotency::NonIdempotent);
    assert_eq!(
        parse(&endpoint, SUCCESS).message.as_deref(),
        Some("Mensaje a desplegar al usuario")
    );
}

#[tokio::test]
async fn refund_full_wire() {
    let endpoint = RefundPayment::new("gqzdy6chjne9", None);
    let r = signed(&client(), &endpoint).await;
    assert_eq!(r.method().as_str(), "POST");
    assert_eq!(
        r.url().path(),
        format!("{PREFIX}/payments/gqzdy6chjne9/refunds")
    );
    assert_khipu_headers(
        &r,
        &ref_authorization("POST", &url("/payments/gqzdy6chjne9/refunds"), &[]),
    );
    assert_eq!(r.body_bytes(), b"");
    assert_eq!(r.idempotency(), Idempotency::NonIdempotent);
    assert_eq!(
        parse(&endpoint, SUCCESS).message.as_deref(),
        Some("Mensaje a desplegar al usuario")
    );
}

#[tokio::test]
async fn refund_partial_wire() {
    let amount = clp("500");
    let endpoint = RefundPayment::new("gqzdy6chjne9", Some(&amount));
    let r = signed(&client(), &endpoint).await;
    assert_eq!(
        r.url().path(),
        format!("{PREFIX}/payments/gqzdy6chjne9/refunds")
    );
    assert_khipu_headers(
        &r,
        &ref_authorization(
            "POST",
            &url("/payments/gqzdy6chjne9/refunds"),
            &[("amount", "500")],
        ),
    );
    assert_eq!(r.body_bytes(), b"amount=500");
}

/// The endpoint list of the API document: operation names and idempotency (reads are
/// `Read`, everything that changes state is sent once).
#[test]
fn operations_and_idempotency() {
    assert_eq!(CreatePayment::OPERATION, "create_payment");
    assert_eq!(CreatePayment::IDEMPOTENCY, Idempotency::NonIdempotent);
    assert_eq!(GetPayment::OPERATION, "get_payment");
    assert_eq!(GetPayment::IDEMPOTENCY, Idempotency::Read);
    assert_eq!(
        GetPaymentByNotificationToken::OPERATION,
        "get_payment_by_notification_token"
    );
    assert_eq!(
        GetPaymentByNotificationToken::IDEMPOTENCY,
        Idempotency::Read
    );
    assert_eq!(DeletePayment::OPERATION, "delete_payment");
    assert_eq!(DeletePayment::IDEMPOTENCY, Idempotency::NonIdempotent);
    assert_eq!(ConfirmPayment::OPERATION, "confirm_payment");
    assert_eq!(ConfirmPayment::IDEMPOTENCY, Idempotency::NonIdempotent);
    assert_eq!(RefundPayment::OPERATION, "refund_payment");
    assert_eq!(RefundPayment::IDEMPOTENCY, Idempotency::NonIdempotent);
    assert_eq!(pagos_khipu::ListBanks::OPERATION, "list_banks");
    assert_eq!(pagos_khipu::ListBanks::IDEMPOTENCY, Idempotency::Read);
    assert_eq!(pagos_khipu::CreateReceiver::OPERATION, "create_receiver");
    assert_eq!(
        pagos_khipu::CreateReceiver::IDEMPOTENCY,
        Idempotency::NonIdempotent
    );
    assert_eq!(
        pagos_khipu::ListPaymentMethods::OPERATION,
        "list_payment_methods"
    );
    assert_eq!(
        pagos_khipu::ListPaymentMethods::IDEMPOTENCY,
        Idempotency::Read
    );
}

// ---------------------------------------------------------------------------------
// Answers that cannot be read, and empty ones

#[tokio::test]
async fn undecodable_200_on_create_is_outcome_unknown_with_hint() {
    let (client, fake) = fake_client();
    fake.route("POST", "/payments", 200, "<html>maintenance</html>");
    let req = CreatePaymentRequest::builder("Test", clp("1000"))
        .transaction_id("orden-42")
        .build()
        .unwrap();
    match client.payments().create(&req).await.unwrap_err() {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::UndecodableResponse);
            assert_eq!(u.http_status, Some(200));
            assert_eq!(u.raw_body.as_deref(), Some("<html>maintenance</html>"));
            let hint = u.hint.unwrap();
            assert!(hint.contains("transaction_id \"orden-42\""), "{hint}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(fake.calls(), 1);
    // The hint is the endpoint's; without a transaction_id it says to set one.
    let bare = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    assert!(
        CreatePayment::new(&bare)
            .outcome_hint()
            .unwrap()
            .contains("set transaction_id")
    );
}

#[test]
fn undecodable_200_on_get_is_outcome_unknown() {
    let endpoint = GetPayment::new("abc");
    let err = endpoint
        .parse(&answer::<GetPayment<'_>>(200, r#"{"status":"done"}"#))
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown(_)), "{err:?}");
}

#[test]
fn empty_success_body_on_delete_is_fine() {
    let endpoint = DeletePayment::new("abc");
    let r = endpoint
        .parse(&answer::<DeletePayment<'_>>(204, ""))
        .unwrap();
    assert_eq!(r.message, None);
    assert!(r.raw.is_null());
}

// ---------------------------------------------------------------------------------
// Validation happens before any I/O

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let (client, fake) = fake_client();
    fake.always(200, SUCCESS);

    let field = |e: Error| e.validation_field().map(str::to_string);

    // A request changed after build() is validated again before sending.
    let mut req = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    req.payer_email = Some("not-an-email".into());
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("payer_email")
    );
    req.payer_email = None;
    req.amount = clp("0");
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("amount")
    );
    req.amount = clp("99999999999999999");
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("amount")
    );
    req.amount = clp("1000");
    req.send_email = Some(true);
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("payer_name")
    );
    req.send_email = None;
    req.notify_url = Some("javascript:alert(1)".into());
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("notify_url")
    );
    req.notify_url = None;
    req.fixed_payer_personal_identifier = Some("12.345.678-0".into());
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("fixed_payer_personal_identifier")
    );

    assert_eq!(
        field(client.payments().get(" ").await.unwrap_err()).as_deref(),
        Some("payment_id")
    );
    assert_eq!(
        field(client.payments().delete("").await.unwrap_err()).as_deref(),
        Some("payment_id")
    );
    assert_eq!(
        field(client.payments().confirm("").await.unwrap_err()).as_deref(),
        Some("payment_id")
    );
    assert_eq!(
        field(
            client
                .payments()
                .refund("abc", Some(&clp("0")))
                .await
                .unwrap_err()
        )
        .as_deref(),
        Some("amount")
    );
    assert_eq!(
        field(
            client
                .payments()
                .get_by_notification_token("")
                .await
                .unwrap_err()
        )
        .as_deref(),
        Some("notification_token")
    );
    assert_eq!(
        field(client.merchants().payment_methods("").await.unwrap_err()).as_deref(),
        Some("merchant_id")
    );
    let mut receiver = crate::receivers::receiver_request();
    receiver.contact_email = "juan@".into();
    assert_eq!(
        field(client.receivers().create(&receiver).await.unwrap_err()).as_deref(),
        Some("contact_email")
    );
    receiver.contact_email = "juan@comercio.cl".into();
    receiver.business_name = "  ".into();
    assert_eq!(
        field(client.receivers().create(&receiver).await.unwrap_err()).as_deref(),
        Some("business_name")
    );

    // The unified API validates too.
    use pagos_core::{CreatePayment as UnifiedCreate, PaymentProvider, RefundRequest};
    let bad = UnifiedCreate::builder(clp("1000"), "x")
        .payer_document("RUT", "1-2")
        .build()
        .unwrap();
    assert_eq!(
        field(client.create_payment(&bad).await.unwrap_err()).as_deref(),
        Some("payer.document")
    );
    assert_eq!(
        field(
            client
                .refund_payment(&RefundRequest::partial("abc", clp("0")))
                .await
                .unwrap_err()
        )
        .as_deref(),
        Some("amount")
    );

    assert_eq!(fake.calls(), 0);
}

/// Over-precise amounts are refused, never rounded: an amount read from JSON goes
/// through `Money`'s precision check, and the one request amount that is a bare
/// `Decimal` (`integrator_fee`) is checked against the payment's currency.
#[tokio::test]
async fn over_precise_amounts_are_refused_never_rounded() {
    let (client, fake) = fake_client();
    fake.always(200, PAYMENT_CREATE);

    // What an application does with an order it received as JSON.
    async fn create_from_json(
        client: &pagos_khipu::KhipuClient,
        order: &str,
    ) -> Result<(), String> {
        let amount: Money = serde_json::from_str(order).map_err(|e| e.to_string())?;
        let request = CreatePaymentRequest::builder("Orden", amount)
            .build()
            .map_err(|e| e.to_string())?;
        client
            .payments()
            .create(&request)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
    for (order, message) in [
        (
            r#"{"amount":"1000.5","currency":"CLP"}"#,
            "invalid amount: 1000.5 has more than 0 decimal place(s), the most CLP allows",
        ),
        (
            r#"{"amount":"1.23456","currency":"CLF"}"#,
            "invalid amount: 1.23456 has more than 4 decimal place(s), the most CLF allows",
        ),
        (
            r#"{"amount":"10.555","currency":"USD"}"#,
            "invalid amount: 10.555 has more than 2 decimal place(s), the most USD allows",
        ),
    ] {
        let e = create_from_json(&client, order).await.unwrap_err();
        assert!(e.contains(message), "{order}: {e}");
    }

    let mut request = CreatePaymentRequest::builder("Orden", clp("1000"))
        .build()
        .unwrap();
    request.integrator_fee = Some(Decimal::new(105, 1)); // 10.5 CLP
    let e = client.payments().create(&request).await.unwrap_err();
    assert_eq!(e.validation_field(), Some("integrator_fee"), "{e}");
    // Describing it refuses it the same way: nothing is ever signed for it.
    let e = client
        .executor()
        .describe(&CreatePayment::new(&request))
        .unwrap_err();
    assert_eq!(e.validation_field(), Some("integrator_fee"), "{e}");
    assert_eq!(fake.calls(), 0);
}

#[tokio::test]
async fn handles_run_the_endpoints() {
    let (client, fake) = fake_client();
    fake.route("GET", "/payments/gqzdy6chjne9", 200, PAYMENT_DONE);
    fake.route("GET", "/payments", 200, PAYMENT_DONE);
    fake.route("DELETE", "/payments/gqzdy6chjne9", 200, SUCCESS);
    fake.route("POST", "/payments/gqzdy6chjne9/confirm", 200, SUCCESS);
    fake.route("POST", "/payments/gqzdy6chjne9/refunds", 200, SUCCESS);
    let payments = client.payments();
    assert_eq!(
        payments.get("gqzdy6chjne9").await.unwrap().raw.get(),
        PAYMENT_DONE.trim_end()
    );
    assert_eq!(
        payments
            .get_by_notification_token("XYZ")
            .await
            .unwrap()
            .payment_id,
        "gqzdy6chjne9"
    );
    for answer in [
        payments.delete("gqzdy6chjne9").await.unwrap(),
        payments.confirm("gqzdy6chjne9").await.unwrap(),
        payments.refund("gqzdy6chjne9", None).await.unwrap(),
    ] {
        assert_eq!(answer.raw.get(), SUCCESS.trim_end());
    }
    // Each sent request is the endpoint's signed description, byte for byte.
    let sent = fake.requests();
    assert_eq!(sent.len(), 5);
    let described = signed(&client, &RefundPayment::new("gqzdy6chjne9", None)).await;
    assert_eq!(sent[4].url(), described.url());
    assert_eq!(sent[4].body_bytes(), described.body_bytes());
    assert_eq!(
        header(&sent[4], "authorization"),
        header(&described, "authorization")
    );
    // The unparsed answer, through `send`.
    let response = client.send(&GetPayment::new("gqzdy6chjne9")).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), PAYMENT_DONE);
}
