//! The unified [`PaymentProvider`] values, through the in-memory sender.

use std::sync::Arc;

use pagos_core::{
    BankAccount, CreatePayment, PaymentInstructions, PaymentProvider, PaymentStatus, PayoutRequest,
    PayoutStatus,
};
use pagos_telepagos::Client;

use crate::{
    BEARER, CASHIN, CASHOUT, CUIT, CVU, JSON, LINK_GENERATE, PASSWORD, Script, USERNAME, ars,
    assert_json, body_text, provider_error, validation_field,
};

#[tokio::test]
async fn create_payout_sends_a_cashout() {
    let script = Script::new();
    script.answer("POST", "payment/cashout", 200, CASHOUT);
    let req = PayoutRequest::builder(ars("10.5"), BankAccount::Cbu(CVU.into()), "payout-7")
        .beneficiary_tax_id("20-26756539-3")
        .build()
        .unwrap();
    let payout = script.client.create_payout(&req).await.unwrap();
    assert_eq!(payout.id, "98765");
    assert_eq!(payout.status, PayoutStatus::Processing);
    assert_eq!(payout.reference.as_deref(), Some("payout-7"));
    assert_eq!(payout.amount, Some(ars("10.5")));
    assert_eq!(payout.raw.get(), CASHOUT.trim());
    let sent = script.sent_to("POST", "payment/cashout");
    assert_eq!(sent.len(), 1);
    assert_json(
        &sent[0],
        "POST",
        "payment/cashout",
        r#"{"cvu":"2850590940090418135201","cuit":"20267565393","amount":10.50,"reference_id":"payout-7","concept":"VAR"}"#,
    );
    assert_eq!(
        sent[0].idempotency(),
        pagos_core::transport::Idempotency::Keyed
    );
}

#[tokio::test]
async fn a_cashout_answer_naming_a_state_is_read() {
    let request = PayoutRequest::builder(ars("10.5"), BankAccount::Cbu(CVU.into()), "payout-8")
        .beneficiary_tax_id(CUIT)
        .build()
        .unwrap();
    for (answer, expected) in [
        (r#"{"status":"rechazada","id":1}"#, PayoutStatus::Failed),
        (r#"{"id":1}"#, PayoutStatus::Processing),
        (
            r#"{"status":"en_revision","id":1}"#,
            PayoutStatus::Unknown("en_revision".into()),
        ),
    ] {
        let script = Script::new();
        script.answer("POST", "payment/cashout", 200, answer);
        let payout = script.client.create_payout(&request).await.unwrap();
        assert_eq!(payout.status, expected, "{answer}");
        assert_eq!(payout.raw.get(), answer);
    }
}

#[tokio::test]
async fn cashout_status_is_read_not_inferred_from_the_voucher() {
    // With and without a voucher: the answer's status decides, never the voucher.
    let voucher = r#""voucher":"JVBERi0xLjQKJcOkw7zDtsOfCg==""#;
    let rows = [
        (
            format!(r#"{{"status":"rechazada",{voucher}}}"#),
            PayoutStatus::Failed,
            true,
        ),
        (
            r#"{"status":"rechazada","voucher":""}"#.to_string(),
            PayoutStatus::Failed,
            false,
        ),
        (
            format!(r#"{{"status":"completada",{voucher}}}"#),
            PayoutStatus::Succeeded,
            true,
        ),
        (
            format!(r#"{{"status":"en proceso",{voucher}}}"#),
            PayoutStatus::Processing,
            true,
        ),
        (
            format!(r#"{{"status":"en_revision",{voucher}}}"#),
            PayoutStatus::Unknown("en_revision".into()),
            true,
        ),
        (
            r#"{"status":"ok","voucher":""}"#.to_string(),
            PayoutStatus::Processing,
            false,
        ),
        (
            format!(r#"{{"status":"ok",{voucher}}}"#),
            PayoutStatus::Succeeded,
            true,
        ),
        (
            format!("{{{voucher}}}"),
            PayoutStatus::Unknown(String::new()),
            true,
        ),
    ];
    for (body, expected, has_receipt) in rows {
        let script = Script::new();
        script.answer("GET", "payment/cashout/5", 200, &body);
        let payout = script.client.get_payout("5").await.unwrap();
        assert_eq!(payout.status, expected, "{body}");
        assert_eq!(payout.receipt.is_some(), has_receipt, "{body}");
        assert_eq!(payout.raw.get(), body);
    }
}

#[tokio::test]
async fn cashin_status_is_read_not_inferred_from_the_record() {
    for (status, expected) in [
        ("acreditada", PaymentStatus::Succeeded),
        ("rechazada", PaymentStatus::Failed),
        ("devuelta", PaymentStatus::Refunded),
        ("pendiente", PaymentStatus::Pending),
        ("misterio", PaymentStatus::Unknown("misterio".into())),
    ] {
        let body = CASHIN.replace(r#""status": "ok""#, &format!(r#""status": "{status}""#));
        assert!(body.contains(status));
        let script = Script::new();
        script.answer("GET", "payment/cashin/555001", 200, &body);
        let payment = script.client.get_payment("555001").await.unwrap();
        assert_eq!(payment.status, expected, "{status}");
        // The amount is read whatever the status.
        assert_eq!(payment.amount, Some(ars("1500.50")));
    }
}

#[tokio::test]
async fn unknown_cashin_is_a_provider_error() {
    let script = Script::new();
    script.answer(
        "GET",
        "payment/cashin/1",
        404,
        r#"{"status":"error","message":"Acreditación inexistente"}"#,
    );
    let p = provider_error(script.client.get_payment("1").await.unwrap_err());
    assert_eq!(p.http_status, 404);
    assert_eq!(p.message, "Acreditación inexistente");
}

#[tokio::test]
async fn create_payment_generates_a_single_use_link() {
    let script = Script::new();
    script.answer("POST", "payment/cashin/link/generate", 200, LINK_GENERATE);
    let req = CreatePayment::builder(ars("1500.5"), "Pedido 42")
        .build()
        .unwrap();
    let payment = script.client.create_payment(&req).await.unwrap();
    assert_eq!(payment.provider, "telepagos");
    // The id says it is a link, with the amount it asks and the day it was created
    // (Argentina time): what get_payment needs to find the cash-in that pays it.
    assert_eq!(payment.id, format!("link:4321:1500.50:{}", today_ar()));
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(payment.amount, Some(ars("1500.50")));
    assert_eq!(
        payment.instructions,
        vec![PaymentInstructions::Redirect {
            url: "https://pagar.telepagos.com.ar/l/4321".into(),
            app_url: None
        }]
    );
    assert_eq!(payment.raw.get(), LINK_GENERATE.trim());

    let sent = script.sent_to("POST", "payment/cashin/link/generate");
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(request.header_str("authorization"), Some(BEARER));
    assert_eq!(request.header_str("content-type"), Some(JSON));
    let body = std::str::from_utf8(request.body_bytes()).unwrap();
    assert!(
        body.ends_with(r#""amount":1500.50,"multiple_use":false,"concept":"Pedido 42"}"#),
        "{body}"
    );
    // expiration_date: now + 24 h, as "Y-m-d H:i:s" in Argentina time (the default).
    let text = body
        .strip_prefix(r#"{"expiration_date":""#)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let at = time::PrimitiveDateTime::parse(text, format)
        .unwrap()
        .assume_offset(pagos_telepagos::ARGENTINA);
    let lifetime = at - time::OffsetDateTime::now_utc();
    assert!(
        lifetime > time::Duration::hours(23) && lifetime <= time::Duration::hours(24),
        "{text}"
    );
}

fn today_ar() -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::now_utc()
        .to_offset(pagos_telepagos::ARGENTINA)
        .date()
        .format(format)
        .unwrap()
}

#[tokio::test]
async fn fields_a_link_cannot_carry_are_refused_by_name() {
    let script = Script::new();
    script.answer("POST", "payment/cashin/link/generate", 200, LINK_GENERATE);
    let base = || CreatePayment::builder(ars("10"), "Pedido 1");
    let cases = [
        ("merchant_reference", base().merchant_reference("order-1")),
        (
            "notify_url",
            base().notify_url("https://shop.example/notify"),
        ),
        ("return_url", base().return_url("https://shop.example/ok")),
        ("cancel_url", base().cancel_url("https://shop.example/ko")),
    ];
    for (field, builder) in cases {
        let err = script
            .client
            .create_payment(&builder.build().unwrap())
            .await
            .unwrap_err();
        assert_eq!(validation_field(err), field);
    }
    assert!(script.sent().is_empty(), "{:?}", script.sent());
}

/// A transactions answer with one credit of `amount` whose row carries `id`.
fn credit(id: Option<&str>, amount: &str) -> String {
    let id = id.map(|i| format!(r#""id":{i},"#)).unwrap_or_default();
    format!(
        r#"{{"status":"ok","transactions":[{{{id}"income":1,"date":"2026-01-01 10:00:00","amount":"{amount}","operation":"cashin_link","holder":"Ana","cuit":"20267565393","cvu_cbu":"2850590940090418135201","status":"approved","sale_point_name":null}}],"number_of_results":1,"page":1,"pages":1,"pagination":10}}"#
    )
}

fn link_cash_in(amount: &str) -> String {
    format!(
        r#"{{"status":"ok","buyer":{{"cuit":"20267565393"}},"amount":{amount},"concept":"Pedido 42","description":null,"transaction_id":70,"qr_order_id":null,"link_id":4321}}"#
    )
}

#[tokio::test]
async fn a_created_link_is_looked_up_through_the_cash_in_that_pays_it() {
    let id = format!("link:4321:1500.50:{}", today_ar());

    // Not paid yet: no credit in the transactions → Pending, no cash-in read.
    let script = Script::new();
    script.answer(
        "GET",
        "account/transactions",
        200,
        r#"{"status":"ok","transactions":[],"page":1,"pages":0}"#,
    );
    let pending = script.client.get_payment(&id).await.unwrap();
    assert_eq!(pending.id, id);
    assert_eq!(pending.status, PaymentStatus::Pending);
    assert_eq!(pending.amount, Some(ars("1500.50")));
    let sent = script.sent_to("GET", "account/transactions");
    assert_eq!(sent.len(), 1);
    // From the link's day to today, with the documented body.
    assert_eq!(
        body_text(&sent[0]),
        format!(
            r#"{{"date_from":"{0}","date_to":"{0}","paginate":1,"page":1}}"#,
            today_ar()
        )
    );
    assert!(script.sent_to("GET", "payment/cashin/70").is_empty());

    // Paid: the credit's row leads to the cash-in naming the link with its amount.
    let script = Script::new();
    script
        .answer(
            "GET",
            "account/transactions",
            200,
            &credit(Some("70"), "1500.50"),
        )
        .answer("GET", "payment/cashin/70", 200, &link_cash_in("1500.50"));
    let paid = script.client.get_payment(&id).await.unwrap();
    assert_eq!(paid.id, id);
    assert_eq!(paid.status, PaymentStatus::Succeeded);
    assert_eq!(paid.amount, Some(ars("1500.50")));
    assert_eq!(paid.raw.get(), link_cash_in("1500.50"));

    // A cash-in naming another link: not this one, still Pending.
    let script = Script::new();
    script
        .answer(
            "GET",
            "account/transactions",
            200,
            &credit(Some("70"), "1500.50"),
        )
        .answer(
            "GET",
            "payment/cashin/70",
            200,
            &link_cash_in("1500.50").replace("4321", "9999"),
        );
    let other = script.client.get_payment(&id).await.unwrap();
    assert_eq!(other.status, PaymentStatus::Pending);

    // The cash-in names the link with another amount: never a success.
    let script = Script::new();
    script
        .answer(
            "GET",
            "account/transactions",
            200,
            &credit(Some("70"), "1500.50"),
        )
        .answer("GET", "payment/cashin/70", 200, &link_cash_in("15.00"));
    let odd = script.client.get_payment(&id).await.unwrap();
    assert!(
        matches!(&odd.status, PaymentStatus::Unknown(s) if s.contains("15")),
        "{:?}",
        odd.status
    );

    // A credit of another amount is not read at all.
    let script = Script::new();
    script.answer(
        "GET",
        "account/transactions",
        200,
        &credit(Some("70"), "99.00"),
    );
    let none = script.client.get_payment(&id).await.unwrap();
    assert_eq!(none.status, PaymentStatus::Pending);
    assert!(script.sent_to("GET", "payment/cashin/70").is_empty());

    // Credits of that amount without an id: the SDK cannot tell, and says so.
    let script = Script::new();
    script.answer("GET", "account/transactions", 200, &credit(None, "1500.50"));
    let unmatched = script.client.get_payment(&id).await.unwrap();
    assert_eq!(unmatched.status, PaymentStatus::Unknown("unmatched".into()));
}

#[tokio::test]
async fn a_misbehaving_provider_never_makes_a_link_pending_or_paid() {
    let id = format!("link:4321:1500.50:{}", today_ar());
    // The transactions answer is not JSON: an error, not "nobody paid".
    let script = Script::new();
    script.answer("GET", "account/transactions", 200, "<html>oops</html>");
    let err = script.client.get_payment(&id).await.unwrap_err();
    assert!(
        matches!(err, pagos_core::Error::OutcomeUnknown(_)),
        "{err:?}"
    );
    // The cash-in of a matching credit cannot be read: the error, not a guess.
    let script = Script::new();
    script
        .answer(
            "GET",
            "account/transactions",
            200,
            &credit(Some("70"), "1500.50"),
        )
        .answer(
            "GET",
            "payment/cashin/70",
            500,
            r#"{"status":"error","message":"Error interno"}"#,
        );
    let err = script.client.get_payment(&id).await.unwrap_err();
    assert!(matches!(err, pagos_core::Error::Provider(_)), "{err:?}");
    // An error envelope under 200 on the listing: a refusal.
    let script = Script::new();
    script.answer(
        "GET",
        "account/transactions",
        200,
        r#"{"status":"error","message":"No autorizado"}"#,
    );
    let p = provider_error(script.client.get_payment(&id).await.unwrap_err());
    assert_eq!(p.message, "No autorizado");
}

#[tokio::test]
async fn malformed_link_ids_send_nothing() {
    let script = Script::new();
    for bad in [
        "link:",
        "link:4321",
        "link:4321:abc:2026-01-01",
        "link:4321:10.00:2026-13-01",
        "link:4321:10.00:2026-01-01:x",
        "link:..:10.00:2026-01-01",
    ] {
        let err = script.client.get_payment(bad).await.unwrap_err();
        assert_eq!(validation_field(err), "payment_id", "{bad}");
    }
    assert!(script.sent().is_empty(), "{:?}", script.sent());
}

#[tokio::test]
async fn a_link_answer_without_link_id_is_an_unknown_outcome_naming_the_link() {
    let script = Script::new();
    script.answer(
        "POST",
        "payment/cashin/link/generate",
        200,
        r#"{"status":"ok","link":"https://pagar.telepagos.com.ar/l/1"}"#,
    );
    let req = CreatePayment::builder(ars("1"), "x").build().unwrap();
    match script.client.create_payment(&req).await.unwrap_err() {
        pagos_core::Error::OutcomeUnknown(u) => {
            assert!(u.detail.contains("link_id"), "{u:?}");
            assert!(
                u.hint
                    .unwrap()
                    .contains("https://pagar.telepagos.com.ar/l/1")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn provider_identity() {
    let c = Client::builder()
        .username(USERNAME)
        .password(PASSWORD)
        .build()
        .unwrap();
    assert_eq!(c.name(), "telepagos");
    assert_eq!(pagos_telepagos::PROVIDER, "telepagos");
    let caps: Vec<_> = c.capabilities().iter().map(|o| o.as_str()).collect();
    assert_eq!(
        caps,
        [
            "create_payment",
            "get_payment",
            "create_payout",
            "get_payout",
            "get_balance"
        ]
    );
    let shared: Arc<dyn PaymentProvider> = Arc::new(c);
    assert_eq!(shared.name(), "telepagos");
}
