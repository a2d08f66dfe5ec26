//! The unified `PaymentProvider`: create maps to an invoice, get and cancel (void), all
//! through the recording sender.

use std::time::Duration;

use pagos_core::{
    CreatePayment, Currency, Error, Money, Operation, PaymentInstructions, PaymentProvider,
    PaymentStatus,
};
use pagos_kashio::NewInvoice;
use pagos_test_support::wire::{body_text, json_body};
use serde_json::json;
use time::macros::datetime;

use crate::support::*;

fn unified(reference: Option<&str>) -> pagos_core::CreatePaymentBuilder {
    let mut b = CreatePayment::builder(pen("15"), "Deuda Enero 2019")
        .description("Deuda de enero")
        .payer_id("CUS-10203040-001")
        .payer_name("JUAN PEREZ")
        .payer_email("juan.perez.xxx@gmail.com")
        .payer_phone("+13055606666")
        .payer_document("DNI", "10203040")
        .return_url("https://shop.example/ok")
        .cancel_url("https://shop.example/error")
        .expires_at(datetime!(2099-02-01 00:00:00 -5))
        .metadata("order_id", "000001-001");
    if let Some(r) = reference {
        b = b.merchant_reference(r);
    }
    b
}

#[tokio::test]
async fn create_payment_maps_to_an_invoice() {
    let (c, log) = fake_client(|_| (200, CREATE_RESPONSE.to_string()));
    let payment = c
        .create_payment(&unified(Some("INV-000001-001")).build().unwrap())
        .await
        .unwrap();
    assert_eq!(log.count(), 1);
    let req = log.last();
    assert_eq!(req.method().as_str(), "POST");
    assert_eq!(req.url().path(), path("/invoices"));
    assert_eq!(req.header_str("authorization"), Some(AUTH));
    assert_eq!(req.header_str("content-type"), Some("application/json"));
    let body = json_body(&req);
    assert_eq!(
        body["customer"],
        json!({
            "name": "JUAN PEREZ",
            "email": "juan.perez.xxx@gmail.com",
            "phone": "+13055606666",
            "document_id": "10203040",
            "document_type": "DNI",
            "external_id": "CUS-10203040-001"
        })
    );
    assert_eq!(
        body["metadata"],
        json!({
            "order_id": "000001-001",
            "order_name": "Deuda Enero 2019",
            "order_description": "Deuda de enero"
        })
    );
    assert_eq!(body["invoice_id"], "INV-000001-001");
    assert_eq!(body["expiration_datetime"], "2099-02-01T05:00:00");
    assert_eq!(body["url_success"], "https://shop.example/ok");
    assert_eq!(body["url_error"], "https://shop.example/error");
    assert_eq!(body["currency"], "PEN");
    let text = body_text(&req);
    assert!(text.contains(r#""amount":15.00"#), "{text}");
    assert!(!text.contains("due_datetime"), "{text}");
    // `request_datetime` is now, as `yyyy-MM-ddThh:mm:ss`.
    let sent = body["request_datetime"].as_str().unwrap();
    assert!(
        time::PrimitiveDateTime::parse(
            sent,
            time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]")
        )
        .is_ok(),
        "{sent}"
    );

    assert_eq!(payment.provider, "kashio");
    assert_eq!(payment.id, "inv_live_oFPMsJmgmxBhPiWAoWFZ3n");
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(
        payment.merchant_reference.as_deref(),
        Some("INV-000001-001")
    );
    assert_eq!(payment.amount, Some(pen("15.00")));
    assert_eq!(
        payment.instructions,
        vec![PaymentInstructions::PaymentCode {
            code: "201590965569".into()
        }]
    );
    assert_eq!(
        payment.raw.to_value().unwrap()["token"],
        "E9e866w3BZRpmMEu5bgLCi"
    );
    // The answer itself, not a rebuilt copy.
    assert_eq!(payment.raw.get(), CREATE_RESPONSE.trim());
}

#[tokio::test]
async fn invalid_payments_are_not_sent() {
    let (c, log) = catch_all();
    let field = |e: Error| e.validation_field().map(str::to_string);

    let err = c
        .create_payment(&unified(None).build().unwrap())
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("merchant_reference"));

    let err = c
        .create_payment(
            &unified(Some("INV-1"))
                .notify_url("https://shop.example/notify")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("notify_url"));

    let err = c
        .create_payment(
            &unified(Some("INV-1"))
                .payer_phone("999 666 666 ext. 2")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("payer.phone"));

    let err = c
        .create_payment(
            &CreatePayment::builder(Money::parse("1000", Currency::Clp).unwrap(), "x")
                .merchant_reference("INV-1")
                .payer_email("a@b.pe")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("currency"));

    let err = c
        .create_payment(
            &CreatePayment::builder(pen("10"), "x")
                .merchant_reference("INV-1")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("payer"));

    let err = c
        .create_payment(
            &unified(Some("INV-1"))
                .expires_at(time::OffsetDateTime::now_utc() - Duration::from_secs(3600))
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("expires_at"));

    // The mapping alone, without a client.
    let err = NewInvoice::try_from(&unified(None).build().unwrap()).unwrap_err();
    assert_eq!(field(err).as_deref(), Some("merchant_reference"));

    assert_eq!(
        field(c.get_payment("").await.unwrap_err()).as_deref(),
        Some("payment_id")
    );
    assert_eq!(
        field(c.cancel_payment("").await.unwrap_err()).as_deref(),
        Some("payment_id")
    );
    assert_eq!(log.count(), 0);
}

#[tokio::test]
async fn get_payment_and_cancel_payment() {
    let (c, log) = fake_client(|r| {
        assert_eq!(r.header_str("authorization"), Some(AUTH));
        match (r.method().as_str(), r.url().path()) {
            ("GET", p) if p == path("/invoices/inv_live_oFPMsJmgmxBhPiWAoWFZ3n") => {
                (200, GET_RESPONSE.to_string())
            }
            ("DELETE", p) if p == path("/invoices/inv_6hxCf5yj6jAHep3JUJZrmm") => {
                (200, VOID_RESPONSE.to_string())
            }
            (m, p) => panic!("unexpected {m} {p}"),
        }
    });
    assert_eq!(c.name(), "kashio");
    let caps = c.capabilities();
    assert!(caps.supports(Operation::CreatePayment));
    assert!(caps.supports(Operation::GetPayment));
    assert!(caps.supports(Operation::CancelPayment));
    assert!(!caps.supports(Operation::RefundPayment));

    let payment = c
        .get_payment("inv_live_oFPMsJmgmxBhPiWAoWFZ3n")
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(
        payment.merchant_reference.as_deref(),
        Some("INV-000001-001")
    );
    assert_eq!(payment.raw.get(), GET_RESPONSE.trim());
    c.cancel_payment("inv_6hxCf5yj6jAHep3JUJZrmm")
        .await
        .unwrap();
    assert_eq!(
        log.count_of("GET", &path("/invoices/inv_live_oFPMsJmgmxBhPiWAoWFZ3n")),
        1
    );
    assert_eq!(
        log.count_of("DELETE", &path("/invoices/inv_6hxCf5yj6jAHep3JUJZrmm")),
        1
    );

    let err = c
        .refund_payment(&pagos_core::RefundRequest::full("inv_1"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }));
    assert_eq!(log.count(), 2);
}

#[tokio::test]
async fn cancel_payment_of_a_paid_invoice_is_an_error() {
    let (c, _log) = fake_client(|r| {
        assert_eq!(r.method().as_str(), "DELETE");
        let status = match r.url().path() {
            p if p == path("/invoices/inv_paid") => "paid",
            p if p == path("/invoices/inv_odd") => "processing",
            p => panic!("unexpected {p}"),
        };
        let id = r.url().path().rsplit('/').next().unwrap().to_string();
        (
            200,
            json!({
                "id": id, "created": "2020-01-01T00:00:00", "currency": "PEN",
                "amount": 15.0, "status": status
            })
            .to_string(),
        )
    });
    let p = provider_err(c.cancel_payment("inv_paid").await.unwrap_err());
    assert_eq!(p.message, "invoice inv_paid is paid, not voided");
    let u = unknown_err(c.cancel_payment("inv_odd").await.unwrap_err());
    assert!(u.detail.contains("processing"));
}

/// The body the unified create sends for `request` (nothing is answered but the
/// API document's create example).
async fn unified_body(request: &CreatePayment) -> serde_json::Value {
    let (c, log) = fake_client(|_| (200, CREATE_RESPONSE.to_string()));
    c.create_payment(request).await.unwrap();
    assert_eq!(log.count(), 1);
    json_body(&log.last())
}

/// The smallest unified request KashIO takes: an amount, a subject, a reference, a
/// payer.
fn minimal() -> pagos_core::CreatePaymentBuilder {
    CreatePayment::builder(pen("15"), "Deuda Enero 2019")
        .merchant_reference("INV-1")
        .payer_email("juan.perez.xxx@gmail.com")
}

#[tokio::test]
async fn unified_phone_is_normalized_to_e164() {
    for (given, sent) in [
        ("+51 987 654 321", "+51987654321"),
        ("987654321", "+51987654321"),
        ("+52 55 1234 5678", "+525512345678"),
        ("+13055606666", "+13055606666"),
    ] {
        let body = unified_body(&minimal().payer_phone(given).build().unwrap()).await;
        assert_eq!(body["customer"]["phone"], sent, "{given}");
    }
    let (c, log) = catch_all();
    for garbage in [
        "not a phone",
        "+51 987 654 321 #2",
        "12",
        "+",
        "+5198765432101234",
    ] {
        let err = c
            .create_payment(&minimal().payer_phone(garbage).build().unwrap())
            .await
            .unwrap_err();
        assert_eq!(err.validation_field(), Some("payer.phone"), "{garbage:?}");
    }
    assert_eq!(log.count(), 0);
}

#[tokio::test]
async fn unified_fields_kashio_carries_are_sent_each_under_its_name() {
    // Without the optional fields, none of their KashIO members is sent.
    let body = unified_body(&minimal().build().unwrap()).await;
    for member in ["url_success", "url_error", "expiration_datetime"] {
        assert!(body.get(member).is_none(), "{member}: {body}");
    }
    assert_eq!(body["metadata"], json!({"order_name": "Deuda Enero 2019"}));

    // merchant_reference → invoice_id.
    assert_eq!(body["invoice_id"], "INV-1");
    // return_url → url_success.
    let body = unified_body(
        &minimal()
            .return_url("https://shop.example/ok")
            .build()
            .unwrap(),
    )
    .await;
    assert_eq!(body["url_success"], "https://shop.example/ok");
    assert!(body.get("url_error").is_none());
    // cancel_url → url_error.
    let body = unified_body(
        &minimal()
            .cancel_url("https://shop.example/error")
            .build()
            .unwrap(),
    )
    .await;
    assert_eq!(body["url_error"], "https://shop.example/error");
    assert!(body.get("url_success").is_none());
    // expires_at → expiration_datetime, as UTC without a zone.
    let body = unified_body(
        &minimal()
            .expires_at(datetime!(2099-02-01 00:00:00 -5))
            .build()
            .unwrap(),
    )
    .await;
    assert_eq!(body["expiration_datetime"], "2099-02-01T05:00:00");
    // metadata → metadata (string values), beside the subject.
    let body = unified_body(
        &minimal()
            .metadata("order_id", "000001-001")
            .metadata("cliente", "Pérez")
            .build()
            .unwrap(),
    )
    .await;
    assert_eq!(
        body["metadata"],
        json!({"order_id": "000001-001", "cliente": "Pérez", "order_name": "Deuda Enero 2019"})
    );
}

#[tokio::test]
async fn unified_fields_kashio_cannot_carry_are_refused_by_name() {
    let (c, log) = catch_all();
    // notify_url: KashIO's invoice has no notification URL.
    let err = c
        .create_payment(
            &minimal()
                .notify_url("https://shop.example/notify")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.validation_field(), Some("notify_url"));
    // merchant_reference is required: KashIO's invoice_id is.
    let err = c
        .create_payment(
            &CreatePayment::builder(pen("15"), "x")
                .payer_email("a@b.pe")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.validation_field(), Some("merchant_reference"));
    assert_eq!(log.count(), 0);
}
