//! Cash-in: `GET v2/payment/cashin/{id}`, `POST v2/payment/cashin/qr/generate`,
//! `POST v2/payment/cashin/transfer/generate`, `POST v2/payment/cashin/link/generate`.

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::Idempotency;
use pagos_core::{
    CreatePayment, Currency, Money, PaymentInstructions, PaymentProvider, PaymentStatus,
};
use pagos_telepagos::cashin::{GeneratePaymentLink, GenerateQr, GenerateTransferLink, GetCashIn};
use pagos_telepagos::{PaymentLinkRequest, QrRequest, StaticQrOrderRequest, TransferRequest};

use crate::{
    CASHIN, CASHIN_BUYER_MEMBERS, CASHIN_BUYER_OBJECT, CUIT, CVU, LINK_GENERATE, QR_GENERATE,
    Script, TRANSFER_GENERATE, ars, assert_get, assert_json, authorized, body_text, parse,
    validation_field,
};

// ---------------------------------------------------------------- payment/cashin/{id}

#[tokio::test]
async fn cashin_is_read_with_buyer_as_array() {
    let endpoint = GetCashIn::new("555001");
    let request = authorized(&endpoint).await;
    assert_get(&request, "payment/cashin/555001");
    assert_eq!(request.idempotency(), Idempotency::Read);

    let cash_in = parse(&endpoint, CASHIN).unwrap();
    let buyer = cash_in.buyer.clone().unwrap();
    assert_eq!(buyer.cuit.as_deref(), Some(CUIT));
    assert_eq!(buyer.cvu.as_deref(), Some(CVU));
    assert_eq!(cash_in.amount.unwrap().to_string(), "1500.50");
    assert_eq!(cash_in.concept.as_deref(), Some("Pedido 42"));
    assert_eq!(cash_in.description.as_deref(), Some("2 cafés"));
    assert_eq!(cash_in.transaction_id.as_deref(), Some("555001"));
    assert_eq!(cash_in.qr_order_id.as_deref(), Some("777"));
    assert_eq!(cash_in.link_id, None);
    assert_eq!(cash_in.raw.get(), CASHIN.trim());

    let script = Script::new();
    script.answer("GET", "payment/cashin/555001", 200, CASHIN);
    let c = &script.client;
    assert_eq!(c.cashins().get("555001").await.unwrap(), cash_in);
    let payment = c.get_payment("555001").await.unwrap();
    assert_eq!(payment.id, "555001");
    // TelePagos' documented record of a credit ("acreditación") says "ok": it was credited.
    assert_eq!(payment.status, PaymentStatus::Succeeded);
    assert_eq!(payment.amount, Some(ars("1500.50")));
    assert_eq!(payment.raw.get(), CASHIN.trim());
    assert_eq!(script.sent_to("GET", "payment/cashin/555001").len(), 2);
}

#[test]
fn cashin_is_read_with_buyer_as_one_element_per_member() {
    // The document's `"buyer": [ "cuit": string, "cvu": string ]` read literally as an
    // array of one-member objects: the members are merged, the decode does not fail.
    let cash_in = parse(&GetCashIn::new("555003"), CASHIN_BUYER_MEMBERS).unwrap();
    let buyer = cash_in.buyer.clone().unwrap();
    assert_eq!(buyer.cuit.as_deref(), Some(CUIT));
    assert_eq!(buyer.cvu.as_deref(), Some(CVU));
    assert_eq!(cash_in.amount.unwrap().to_string(), "1500.50");
    assert_eq!(cash_in.transaction_id.as_deref(), Some("555003"));
    assert_eq!(cash_in.raw.get(), CASHIN_BUYER_MEMBERS.trim());
}

#[test]
fn cashin_is_read_with_buyer_as_object() {
    let cash_in = parse(&GetCashIn::new("555002"), CASHIN_BUYER_OBJECT).unwrap();
    assert_eq!(cash_in.buyer.unwrap().cuit.as_deref(), Some(CUIT));
    assert_eq!(cash_in.amount.unwrap().to_string(), "250.00");
    assert_eq!(cash_in.link_id.as_deref(), Some("4321"));
    assert_eq!(cash_in.qr_order_id, None);
}

// ---------------------------------------------------------------- payment/cashin/qr/generate

#[tokio::test]
async fn qr_is_generated() {
    let endpoint = GenerateQr::new(QrRequest::new(ars("250"), "Pedido 42").description("2 cafés"));
    let request = authorized(&endpoint).await;
    assert_json(
        &request,
        "POST",
        "payment/cashin/qr/generate",
        r#"{"amount":250.00,"concept":"Pedido 42","description":"2 cafés"}"#,
    );
    assert_eq!(request.idempotency(), Idempotency::NonIdempotent);
    let qr = parse(&endpoint, QR_GENERATE).unwrap();
    assert!(qr.qr_code.starts_with("000201"));
    assert_eq!(qr.qr_order_id.as_deref(), Some("777"));
    assert_eq!(qr.raw.get(), QR_GENERATE.trim());

    let script = Script::new();
    script.answer("POST", "payment/cashin/qr/generate", 200, QR_GENERATE);
    let c = &script.client;
    assert_eq!(
        c.cashins()
            .qr(&QrRequest::new(ars("250"), "Pedido 42").description("2 cafés"))
            .await
            .unwrap(),
        qr
    );
    let req = CreatePayment::builder(ars("250"), "Pedido 42")
        .description("2 cafés")
        .build()
        .unwrap();
    let payment = c.cashins().qr_payment(&req).await.unwrap();
    assert_eq!(payment.id, "777");
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(
        payment.instructions,
        vec![PaymentInstructions::Qr {
            payload: qr.qr_code.clone()
        }]
    );
    assert_eq!(payment.raw.get(), QR_GENERATE.trim());
    // Both calls sent the same body.
    let sent = script.sent_to("POST", "payment/cashin/qr/generate");
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body_bytes(), sent[1].body_bytes());
    assert_eq!(sent[1].body_bytes(), request.body_bytes());
}

#[tokio::test]
async fn a_qr_payment_without_qr_order_id_is_an_unknown_outcome() {
    let script = Script::new();
    script.answer(
        "POST",
        "payment/cashin/qr/generate",
        200,
        r#"{"status":"ok","qr_code":"000201"}"#,
    );
    let req = CreatePayment::builder(ars("1"), "x").build().unwrap();
    let err = script.client.cashins().qr_payment(&req).await.unwrap_err();
    assert!(
        matches!(&err, pagos_core::Error::OutcomeUnknown(u) if u.detail.contains("qr_order_id")),
        "{err:?}"
    );
    assert_eq!(err.resend(), pagos_core::Resend::AfterLookup);
}

// ---------------------------------------------------------------- payment/cashin/transfer/generate

#[tokio::test]
async fn transfer_link_is_generated() {
    let endpoint = GenerateTransferLink::new(TransferRequest::new(
        CVU,
        "20-26756539-3",
        ars("99.9"),
        "Factura 12",
    ));
    let request = authorized(&endpoint).await;
    assert_json(
        &request,
        "POST",
        "payment/cashin/transfer/generate",
        r#"{"cvu":"2850590940090418135201","cuit":"20267565393","amount":99.90,"concept":"Factura 12","description":"Factura 12"}"#,
    );
    assert_eq!(
        GenerateTransferLink::IDEMPOTENCY,
        Idempotency::NonIdempotent
    );
    let link = parse(&endpoint, TRANSFER_GENERATE).unwrap();
    assert_eq!(link.payment_link, "https://pagar.telepagos.com.ar/t/8f2c1a");
    assert_eq!(link.status.as_deref(), Some("ok"));
    assert_eq!(link.raw.get(), TRANSFER_GENERATE.trim());
}

// ---------------------------------------------------------------- payment/cashin/link/generate

#[tokio::test]
async fn payment_link_is_generated() {
    let expires = time::macros::datetime!(2099-12-31 20:30:00 -3);
    let endpoint = GeneratePaymentLink::new(
        PaymentLinkRequest::new(ars("1000"), "Cuota marzo", expires)
            .multiple_use(true)
            .distribute(CVU, ars("100")),
    );
    let request = authorized(&endpoint).await;
    assert_json(
        &request,
        "POST",
        "payment/cashin/link/generate",
        // The document's `"Y-m-d H:m:s"` in Argentina time, the default zone.
        r#"{"expiration_date":"2099-12-31 20:30:00","amount":1000.00,"multiple_use":true,"concept":"Cuota marzo","distribution":[{"cvu":"2850590940090418135201","amount":100.00}]}"#,
    );
    assert_eq!(GeneratePaymentLink::IDEMPOTENCY, Idempotency::NonIdempotent);
    // The same instant for a client set to UTC.
    let utc = authorized(&endpoint.clone().time_zone(time::UtcOffset::UTC)).await;
    assert!(
        body_text(&utc).starts_with(r#"{"expiration_date":"2099-12-31 23:30:00","#),
        "{}",
        body_text(&utc)
    );
    // And through the handles: the client's zone reaches the wire.
    for (zone, text) in [
        (None, "2099-12-31 20:30:00"),
        (Some(time::UtcOffset::UTC), "2099-12-31 23:30:00"),
    ] {
        let script = Script::with(|b| match zone {
            Some(z) => b.time_zone(z),
            None => b,
        });
        script.answer("POST", "payment/cashin/link/generate", 200, LINK_GENERATE);
        script
            .client
            .cashins()
            .payment_link(endpoint.link())
            .await
            .unwrap();
        let sent = script.sent_to("POST", "payment/cashin/link/generate");
        assert!(
            body_text(&sent[0]).contains(&format!(r#""expiration_date":"{text}""#)),
            "{}",
            body_text(&sent[0])
        );
    }
    let link = parse(&endpoint, LINK_GENERATE).unwrap();
    assert_eq!(link.link, "https://pagar.telepagos.com.ar/l/4321");
    assert_eq!(link.link_id.as_deref(), Some("4321"));
    assert_eq!(link.raw.get(), LINK_GENERATE.trim());
}

#[tokio::test]
async fn invalid_cash_ins_send_nothing() {
    let script = Script::new();
    script.answer("POST", "payment/cashin/link/generate", 200, LINK_GENERATE);
    let c = &script.client;
    let past = time::OffsetDateTime::now_utc() - time::Duration::minutes(5);
    let future = time::OffsetDateTime::now_utc() + time::Duration::hours(5);

    let expired = CreatePayment::builder(ars("1"), "x")
        .expires_at(past)
        .build()
        .unwrap();
    assert_eq!(
        validation_field(c.create_payment(&expired).await.unwrap_err()),
        "expires_at"
    );
    let mxn = CreatePayment::builder(Money::parse("1", Currency::Mxn).unwrap(), "x")
        .build()
        .unwrap();
    assert_eq!(
        validation_field(c.create_payment(&mxn).await.unwrap_err()),
        "amount"
    );
    assert_eq!(
        validation_field(c.cashins().qr_payment(&mxn).await.unwrap_err()),
        "amount"
    );
    assert_eq!(
        validation_field(
            c.cashins()
                .payment_link(&PaymentLinkRequest::new(ars("1"), "x", past))
                .await
                .unwrap_err()
        ),
        "expiration_date"
    );
    assert_eq!(
        validation_field(
            c.cashins()
                .payment_link(
                    &PaymentLinkRequest::new(ars("1"), "x", future).distribute("123", ars("1"))
                )
                .await
                .unwrap_err()
        ),
        "distribution.cvu"
    );
    assert_eq!(
        validation_field(
            c.cashins()
                .qr(&QrRequest::new(ars("0"), "x"))
                .await
                .unwrap_err()
        ),
        "amount"
    );
    assert_eq!(
        validation_field(
            c.cashins()
                .qr(&QrRequest::new(ars("1"), ""))
                .await
                .unwrap_err()
        ),
        "concept"
    );
    assert_eq!(
        validation_field(
            c.cashins()
                .transfer_link(&TransferRequest::new(CVU, "20267565390", ars("1"), "x"))
                .await
                .unwrap_err()
        ),
        "cuit"
    );
    assert_eq!(
        validation_field(
            c.cashins()
                .transfer_link(&TransferRequest::new("123", CUIT, ars("1"), "x"))
                .await
                .unwrap_err()
        ),
        "cvu"
    );
    assert_eq!(
        validation_field(
            c.sale_points()
                .static_qr_order(&StaticQrOrderRequest::new(ars("-1"), "x", 1))
                .await
                .unwrap_err()
        ),
        "amount"
    );
    assert_eq!(
        validation_field(c.cashins().get("").await.unwrap_err()),
        "cashin_id"
    );
    assert_eq!(
        validation_field(c.get_payment(" ").await.unwrap_err()),
        "payment_id"
    );

    // Nothing at all was sent, not even the token request.
    assert!(script.sent().is_empty(), "{:?}", script.sent());
}
