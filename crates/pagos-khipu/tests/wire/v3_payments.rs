//! API 3.0 payments: `POST /v3/payments`, `GET`/`DELETE /v3/payments/{id}`,
//! `confirm`, `refunds` (obsolete) and `void`.

use pagos_core::{Currency, Decimal, Endpoint, Error, Money, PaymentStatus, Resend, UnknownCause};
use pagos_khipu::payments::{KhipuStatus, PaymentMethod, StatusDetail};
use pagos_khipu::v3::payments::{
    ConfirmPayment, CreatePayment, CreatePaymentRequest, DeletePayment, FundsSource, GetPayment,
    RefundPayment, RefundStatus, VoidPayment,
};
use pagos_test_support::wire::money;
use time::macros::datetime;

use crate::v3_support::*;

#[tokio::test]
async fn create_sends_the_reference_body() {
    let req = CreatePaymentRequest::builder("Cobro", money("15000", Currency::Clp))
        .transaction_id("ORD-KHIPU-1")
        .return_url("https://shop.example/pago/ORD-KHIPU-1")
        .cancel_url("https://shop.example/cancel")
        .notify_url("https://shop.example/webhooks/khipu")
        .expires_date(datetime!(2030-01-02 03:04:05 -3))
        .payer_name("Ana Pérez")
        .payer_email("a@b.cl")
        .custom(r#"{"carro":"c1"}"#)
        .send_reminders(false)
        .send_email(false)
        .bank_id("Bawdf")
        .build()
        .unwrap();
    let r = authorized(&CreatePayment::new(&req)).await;
    assert_request(
        &r,
        "POST",
        "https://payment-api.khipu.com/v3/payments",
        Some(concat!(
            r#"{"amount":15000,"currency":"CLP","subject":"Cobro","transaction_id":"ORD-KHIPU-1","#,
            r#""custom":"{\"carro\":\"c1\"}","bank_id":"Bawdf","return_url":"https://shop.example/pago/ORD-KHIPU-1","#,
            r#""cancel_url":"https://shop.example/cancel","notify_url":"https://shop.example/webhooks/khipu","#,
            r#""notify_api_version":"3.0","expires_date":"2030-01-02T06:04:05Z","send_email":false,"#,
            r#""payer_name":"Ana Pérez","payer_email":"a@b.cl","send_reminders":false}"#
        )),
    );
    let created = parse(&CreatePayment::new(&req), CREATED);
    assert_eq!(created.payment_id, "gqzdy6chjne9");
    assert_eq!(created.ready_for_terminal, Some(false));
    assert_eq!(created.raw.get(), CREATED);
}

#[test]
fn amounts_are_exact_json_numbers_per_currency() {
    for (text, cur, wire) in [
        ("10.5", Currency::Usd, "10.50"),
        ("1.2345", Currency::Clf, "1.2345"),
        (
            "99999999999999999999",
            Currency::Clp,
            "99999999999999999999",
        ),
        ("0.01", Currency::Cop, "0.01"),
        ("7", Currency::Bob, "7.00"),
        ("3.1", Currency::Eur, "3.10"),
    ] {
        let req = CreatePaymentRequest::builder("x", money(text, cur))
            .build()
            .unwrap();
        let json = req.to_json().unwrap();
        assert!(
            json.starts_with(&format!(r#"{{"amount":{wire},"currency":"{}""#, cur.code())),
            "{json}"
        );
    }
}

#[tokio::test]
async fn over_precise_or_bad_requests_are_refused_before_sending() {
    // Money itself refuses more decimals than the currency has...
    assert!(Money::parse("10.555", Currency::Usd).is_err());
    assert!(Money::new(Decimal::new(15, 1), Currency::Clp).is_err());
    // ...and every request is checked again before it is described.
    let (client, fake) = fake_client();
    let mut req = CreatePaymentRequest::builder("x", money("1000", Currency::Clp))
        .build()
        .unwrap();
    req.amount = money("-5", Currency::Clp);
    let e = client.payments().create(&req).await.unwrap_err();
    assert_eq!(e.validation_field(), Some("amount"));
    for (b, field) in [
        (
            CreatePaymentRequest::builder(" ", money("1", Currency::Clp)),
            "subject",
        ),
        (
            CreatePaymentRequest::builder("x", money("1", Currency::Clp)).send_email(true),
            "payer_name",
        ),
        (
            CreatePaymentRequest::builder("x", money("1", Currency::Clp)).bank_id("toolong"),
            "bank_id",
        ),
        (
            CreatePaymentRequest::builder("x", money("1", Currency::Clp))
                .fixed_payer_personal_identifier("11.111.111-2"),
            "fixed_payer_personal_identifier",
        ),
        (
            CreatePaymentRequest::builder("x", money("1", Currency::Clp)).notify_url("ftp://x"),
            "notify_url",
        ),
        (
            CreatePaymentRequest::builder("x", money("1", Currency::Clp))
                .contract_url("https://x.cl/c.pdf"),
            "fixed_payer_personal_identifier",
        ),
        (
            CreatePaymentRequest::builder("x", money("1", Currency::Clp))
                .psp_client_merchant_name("ab"),
            "psp_client_merchant_name",
        ),
    ] {
        assert_eq!(b.build().unwrap_err().validation_field(), Some(field));
    }
    // Outside Chile the identifier's format is not checked.
    assert!(
        CreatePaymentRequest::builder("x", money("1", Currency::Pen))
            .fixed_payer_personal_identifier("DNI 12345678")
            .build()
            .is_ok()
    );
    assert_eq!(fake.calls(), 0);
}

#[tokio::test]
async fn get_decodes_both_spec_revisions() {
    let r = authorized(&GetPayment::new("gqzdy6chjne9")).await;
    assert_request(
        &r,
        "GET",
        "https://payment-api.khipu.com/v3/payments/gqzdy6chjne9",
        None,
    );
    let p = parse(&GetPayment::new("gqzdy6chjne9"), PAYMENT_OLD);
    assert_eq!(p.amount, Some(Decimal::new(1000, 0)));
    assert_eq!(p.money(), Some(money("1000", Currency::Clp)));
    assert_eq!(p.receiver_id.as_deref(), Some("985101"));
    assert_eq!(p.status, Some(KhipuStatus::Done));
    assert_eq!(p.status_detail, Some(StatusDetail::Normal));
    assert_eq!(p.payment_method, Some(PaymentMethod::SimplifiedTransfer));
    assert_eq!(p.funds_source, Some(FundsSource::Debit));
    assert_eq!(p.unified_status(), PaymentStatus::Succeeded);
    assert_eq!(p.raw.get(), PAYMENT_OLD);
    // New spec: strings with 4 decimals, refunds, PAC's undeclared direct_debit.
    let body = r#"{"payment_id":"p1","amount":"15000.0000","currency":"CLP","status":"done","status_detail":"partially-refunded","payment_method":"direct_debit","funds_source":"","discount":"0.0000","total_refunded":"5000.0000","refunds":[{"id":"r1","status":"paid","amount":"5000.0000","currency":"CLP","request_date":"2026-09-01T10:00:00Z"},{"id":"r2","status":"reviewing","amount":"1.5"}]}"#;
    let p = parse(&GetPayment::new("p1"), body);
    assert_eq!(p.amount.unwrap().to_string(), "15000.0000");
    assert_eq!(p.money(), Some(money("15000", Currency::Clp)));
    assert_eq!(p.payment_method, Some(PaymentMethod::DirectDebit));
    assert_eq!(p.funds_source, Some(FundsSource::Blank));
    assert_eq!(p.unified_status(), PaymentStatus::PartiallyRefunded);
    assert_eq!(p.refunds[0].status, Some(RefundStatus::Paid));
    assert_eq!(
        p.refunds[1].status,
        Some(RefundStatus::Unknown("reviewing".into()))
    );
    assert_eq!(p.total_refunded.unwrap().to_string(), "5000.0000");
}

#[test]
fn hostile_answers_are_kept_exact_or_refused() {
    // Unknown values are kept, never guessed.
    let p = parse(
        &GetPayment::new("p"),
        r#"{"payment_id":"p","status":"deleted","status_detail":"archived","payment_method":"crypto","funds_source":"gift"}"#,
    );
    assert_eq!(p.status, Some(KhipuStatus::Unknown("deleted".into())));
    assert_eq!(p.unified_status(), PaymentStatus::Unknown("deleted".into()));
    assert_eq!(
        p.payment_method,
        Some(PaymentMethod::Unknown("crypto".into()))
    );
    assert_eq!(p.funds_source, Some(FundsSource::Unknown("gift".into())));
    // 28 significant digits: exact, as a number or a string.
    for amount in [
        "1234567890123456789012345.678",
        "\"1234567890123456789012345.678\"",
    ] {
        let body = format!(r#"{{"payment_id":"p","amount":{amount}}}"#);
        let p = parse(&GetPayment::new("p"), &body);
        assert_eq!(
            p.amount.unwrap().to_string(),
            "1234567890123456789012345.678"
        );
    }
    // 30 digits is more than a Decimal holds exactly: the answer is unreadable (an
    // unknown outcome carrying the body), never a rounded amount.
    let body = r#"{"payment_id":"p","amount":123456789012345678901234567890}"#;
    let e = GetPayment::new("p")
        .parse(&answer::<GetPayment<'_>>(200, body))
        .unwrap_err();
    let Error::OutcomeUnknown(u) = e else {
        panic!("{e:?}")
    };
    assert_eq!(u.raw_body.as_deref(), Some(body));
    let body = r#"{"payment_id":"p","amount":0.123456789012345678901234567890}"#;
    assert!(
        GetPayment::new("p")
            .parse(&answer::<GetPayment<'_>>(200, body))
            .is_err()
    );
}

#[tokio::test]
async fn actions_have_their_paths_and_no_body() {
    for (r, method, path) in [
        (
            authorized(&DeletePayment::new("abc")).await,
            "DELETE",
            "/v3/payments/abc",
        ),
        (
            authorized(&ConfirmPayment::new("abc")).await,
            "POST",
            "/v3/payments/abc/confirm",
        ),
        (
            authorized(&VoidPayment::new("abc")).await,
            "POST",
            "/v3/payments/abc/void",
        ),
        (
            authorized(&RefundPayment::new("abc", None)).await,
            "POST",
            "/v3/payments/abc/refunds",
        ),
    ] {
        assert_request(&r, method, &format!("{HOST}{path}"), None);
    }
    let part = money("500", Currency::Clp);
    let r = authorized(&RefundPayment::new("abc", Some(&part))).await;
    assert_request(
        &r,
        "POST",
        &format!("{HOST}/v3/payments/abc/refunds"),
        Some(r#"{"amount":500}"#),
    );
    let answer = parse(&VoidPayment::new("abc"), SUCCESS);
    assert_eq!(answer.message.as_deref(), Some("Message."));
    assert!(parse(&DeletePayment::new("abc"), "").message.is_none());
    // A hostile id never becomes another path.
    let r = authorized(&DeletePayment::new("a/b")).await;
    assert_eq!(r.url().path(), "/v3/payments/a%2Fb");
    for bad in ["..", "", "a\nb"] {
        let c = client();
        assert!(
            c.executor()
                .authorized(&DeletePayment::new(bad))
                .await
                .is_err(),
            "{bad:?}"
        );
    }
}

#[tokio::test]
async fn a_5xx_on_a_mutation_is_sent_once_and_unknown() {
    let (client, fake) = fake_client();
    fake.route(
        "POST",
        "/v3/payments",
        500,
        r#"{"message":"boom","payment_id":"abc123def456"}"#,
    );
    fake.route(
        "POST",
        "/v3/payments/abc/void",
        502,
        "<html>Bad Gateway</html>",
    );
    fake.route("POST", "/v3/payments/abc/confirm", 503, "");
    let req = CreatePaymentRequest::builder("x", money("1000", Currency::Clp))
        .transaction_id("t-1")
        .build()
        .unwrap();
    let e = client.payments().create(&req).await.unwrap_err();
    assert_eq!(e.resend(), Resend::AfterLookup);
    let Error::OutcomeUnknown(u) = e else {
        panic!("{e:?}")
    };
    assert_eq!(u.cause, UnknownCause::ServerError);
    assert!(
        u.message
            .as_deref()
            .unwrap()
            .contains("payment_id abc123def456"),
        "{u:?}"
    );
    assert!(u.hint.as_deref().unwrap().contains("t-1"));
    for e in [
        client.payments().void("abc").await.unwrap_err(),
        client.payments().confirm("abc").await.unwrap_err(),
    ] {
        assert!(matches!(e, Error::OutcomeUnknown(_)), "{e:?}");
    }
    assert_eq!(fake.calls(), 3, "each sent once");
    // A read is retried.
    fake.route("GET", "/v3/payments/abc", 503, "");
    fake.route("GET", "/v3/payments/abc", 200, PAYMENT_OLD);
    assert!(client.payments().get("abc").await.is_ok());
    assert_eq!(fake.calls(), 5);
}

#[test]
fn error_envelopes_become_provider_errors() {
    let e = refused::<CreatePayment<'_>>(
        400,
        r#"{"status":400,"errors":[{"field":"amount","message":"Monto inválido"}]}"#,
    );
    let p = e.as_provider_error().unwrap();
    assert_eq!(p.code.as_deref(), Some("400"));
    assert_eq!(p.field_errors[0].field, "amount");
    assert_eq!(p.field_errors[0].message, "Monto inválido");
    let e = refused::<GetPayment<'_>>(401, r#"{"message":"unauthorized"}"#);
    assert!(e.as_provider_error().unwrap().is_unauthorized());
    let e = refused::<GetPayment<'_>>(404, "not json");
    assert_eq!(e.as_provider_error().unwrap().raw_body, "not json");
}
