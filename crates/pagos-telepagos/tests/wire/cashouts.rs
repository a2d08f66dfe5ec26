//! Cash-out: `POST v2/payment/cashout`, `GET v2/payment/cashout/{id}`,
//! `GET v2/payment/concepts`.

use pagos_core::endpoint::{Endpoint, describe};
use pagos_core::transport::Idempotency;
use pagos_core::{
    BankAccount, BaseUrl, Error, Money, PaymentProvider, PayoutRequest, UnknownCause,
};
use pagos_telepagos::cashout::{CreateCashout, GetCashoutVoucher, ListConcepts};
use pagos_telepagos::{CashoutRequest, Client, Concept, PaymentLinkRequest};

use crate::{
    CASHOUT, CASHOUT_VOUCHER, CONCEPTS, CUIT, CVU, OFFLINE_BASE, Script, ars, assert_get,
    assert_json, authorized, parse, validation_field,
};

pub const CASHOUT_BODY: &str = r#"{"cvu":"2850590940090418135201","cuit":"20267565393","amount":1500.50,"reference_id":"payout-0001","concept":"HON","description":"Honorarios marzo"}"#;

pub fn cashout_request() -> CashoutRequest {
    CashoutRequest::builder(ars("1500.5"), "20-26756539-3", "payout-0001")
        .cvu(CVU)
        .concept(Concept::Hon)
        .description("Honorarios marzo")
        .build()
        .unwrap()
}

// ---------------------------------------------------------------- payment/concepts

#[tokio::test]
async fn concepts_are_listed() {
    let request = authorized(&ListConcepts::new()).await;
    assert_get(&request, "payment/concepts");
    let concepts = parse(&ListConcepts::new(), CONCEPTS).unwrap();
    assert_eq!(concepts.items.len(), 9);
    assert_eq!(concepts.items[8].get(), r#""VAR""#);
    assert!(!concepts.has_more);
    assert_eq!(concepts.raw.get(), CONCEPTS.trim());
}

// ---------------------------------------------------------------- payment/cashout

#[tokio::test]
async fn cashout_sends_the_exact_body() {
    let cashout = CreateCashout::new(cashout_request());
    let request = authorized(&cashout).await;
    assert_json(&request, "POST", "payment/cashout", CASHOUT_BODY);
    // The one keyed POST: reference_id makes a repeat the same transfer.
    assert_eq!(request.idempotency(), Idempotency::Keyed);
    assert_eq!(CreateCashout::IDEMPOTENCY, Idempotency::Keyed);

    let receipt = parse(&cashout, CASHOUT).unwrap();
    assert_eq!(receipt.id, "98765");
    assert_eq!(receipt.status.as_deref(), Some("ok"));
    assert_eq!(receipt.raw.get(), CASHOUT.trim());
}

#[tokio::test]
async fn cashout_to_an_alias() {
    let req = CashoutRequest::builder(ars("10"), CUIT, "r-2")
        .alias("mi.alias.mp")
        .build()
        .unwrap();
    let request = authorized(&CreateCashout::new(req)).await;
    assert_json(
        &request,
        "POST",
        "payment/cashout",
        r#"{"alias":"mi.alias.mp","cuit":"20267565393","amount":10.00,"reference_id":"r-2","concept":"VAR"}"#,
    );
}

#[tokio::test]
async fn cashout_outcome_unknown_hints_at_the_reference() {
    let cashout = CreateCashout::new(cashout_request());
    assert!(cashout.outcome_hint().unwrap().contains("payout-0001"));

    let script = Script::new();
    script.answer("POST", "payment/cashout", 200, "<html>ok</html>");
    let err = script
        .client
        .cashouts()
        .create(&cashout_request())
        .await
        .unwrap_err();
    match err {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::UndecodableResponse);
            assert_eq!(u.raw_body.as_deref(), Some("<html>ok</html>"));
            assert!(u.hint.unwrap().contains("payout-0001"));
        }
        other => panic!("{other:?}"),
    }
}

/// An amount read from JSON goes through `Money`'s precision check: `10.555` ARS
/// never becomes a cash-out of `10.56` (or `10.55`), and nothing is sent, not even the
/// authentication.
#[tokio::test]
async fn over_precise_amounts_are_refused_never_rounded() {
    let script = Script::new();
    script
        .answer("POST", "payment/cashout", 200, CASHOUT)
        .answer(
            "POST",
            "payment/cashin/link/generate",
            200,
            crate::LINK_GENERATE,
        );
    let c = &script.client;
    // What an application does with a payout it received as JSON.
    async fn cashout_from_json(c: &Client, payout: &str) -> Result<(), String> {
        let amount: Money = serde_json::from_str(payout).map_err(|e| e.to_string())?;
        let request = CashoutRequest::builder(amount, CUIT, "payout-json-1")
            .cvu(CVU)
            .build()
            .map_err(|e| e.to_string())?;
        c.cashouts()
            .create(&request)
            .await
            .map(drop)
            .map_err(|e| e.to_string())?;
        let link = PaymentLinkRequest::new(
            amount,
            "Cuota",
            time::OffsetDateTime::now_utc() + time::Duration::hours(1),
        );
        c.cashins()
            .payment_link(&link)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
    for (payout, message) in [
        (
            r#"{"amount":"10.555","currency":"ARS"}"#,
            "invalid amount: 10.555 has more than 2 decimal place(s), the most ARS allows",
        ),
        (
            r#"{"amount":"0.001","currency":"ARS"}"#,
            "invalid amount: 0.001 has more than 2 decimal place(s), the most ARS allows",
        ),
        (
            r#"{"amount":10.5,"currency":"ARS"}"#,
            "an amount with a fraction must be a string",
        ),
    ] {
        let e = cashout_from_json(c, payout).await.unwrap_err();
        assert!(e.contains(message), "{payout}: {e}");
    }
    assert!(script.sent().is_empty(), "{:?}", script.sent());
}

#[tokio::test]
async fn invalid_cashouts_send_nothing() {
    let script = Script::new();
    script.answer("POST", "payment/cashout", 200, CASHOUT);
    let c = &script.client;
    let create = |r: CashoutRequest| async move { c.cashouts().create(&r).await.unwrap_err() };

    let mut both = cashout_request();
    both.alias = Some("mi.alias.mp".into());
    assert_eq!(validation_field(create(both).await), "alias");
    let mut neither = cashout_request();
    neither.cvu = None;
    assert_eq!(validation_field(create(neither).await), "cvu");
    let mut bad_cvu = cashout_request();
    bad_cvu.cvu = Some("2850590940090418135202".into());
    assert_eq!(validation_field(create(bad_cvu).await), "cvu");
    let mut bad_cuit = cashout_request();
    bad_cuit.cuit = "20-26756539-4".into();
    assert_eq!(validation_field(create(bad_cuit).await), "cuit");
    let mut zero = cashout_request();
    zero.amount = ars("0");
    assert_eq!(validation_field(create(zero).await), "amount");
    let mut no_reference = cashout_request();
    no_reference.reference_id = String::new();
    assert_eq!(validation_field(create(no_reference).await), "reference_id");
    let mut no_concept = cashout_request();
    no_concept.concept = Concept::Other(" ".into());
    assert_eq!(validation_field(create(no_concept).await), "concept");

    let no_cuit = PayoutRequest::builder(ars("1"), BankAccount::Cbu(CVU.into()), "r")
        .build()
        .unwrap();
    assert_eq!(
        validation_field(c.create_payout(&no_cuit).await.unwrap_err()),
        "beneficiary.tax_id"
    );
    let clabe = PayoutRequest::builder(
        ars("1"),
        BankAccount::Clabe("032180000118359719".into()),
        "r",
    )
    .beneficiary_tax_id(CUIT)
    .build()
    .unwrap();
    assert_eq!(
        validation_field(c.create_payout(&clabe).await.unwrap_err()),
        "beneficiary.account"
    );
    let unknown_concept = PayoutRequest::builder(ars("1"), BankAccount::Cbu(CVU.into()), "r")
        .beneficiary_tax_id(CUIT)
        .concept("rent")
        .build()
        .unwrap();
    assert_eq!(
        validation_field(c.create_payout(&unknown_concept).await.unwrap_err()),
        "concept"
    );
    assert_eq!(
        validation_field(c.cashouts().voucher(" ").await.unwrap_err()),
        "cashout_id"
    );

    // Nothing at all was sent, not even the token request.
    assert!(script.sent().is_empty(), "{:?}", script.sent());
}

// ---------------------------------------------------------------- payment/cashout/{id}

#[tokio::test]
async fn cashout_voucher_is_decoded() {
    let endpoint = GetCashoutVoucher::new("98765");
    let request = authorized(&endpoint).await;
    assert_get(&request, "payment/cashout/98765");
    let voucher = parse(&endpoint, CASHOUT_VOUCHER).unwrap();
    assert!(voucher.pdf.starts_with(b"%PDF-1.4"));
    assert_eq!(voucher.status.as_deref(), Some("ok"));
    assert_eq!(voucher.raw.get(), CASHOUT_VOUCHER.trim());

    let script = Script::new();
    script.answer("GET", "payment/cashout/98765", 200, CASHOUT_VOUCHER);
    let c = &script.client;
    assert_eq!(c.cashouts().voucher("98765").await.unwrap(), voucher);
    let payout = c.get_payout("98765").await.unwrap();
    assert_eq!(payout.id, "98765");
    // TelePagos' documented answer: "ok" with the transfer's receipt ("devuelve un comprobante").
    assert_eq!(payout.status, pagos_core::PayoutStatus::Succeeded);
    assert_eq!(payout.receipt.as_deref(), Some(voucher.pdf.as_slice()));
    assert_eq!(payout.raw.get(), CASHOUT_VOUCHER.trim());
    assert_eq!(script.sent_to("GET", "payment/cashout/98765").len(), 2);
}

#[test]
fn cashout_voucher_that_is_not_base64_is_outcome_unknown() {
    let err = parse(
        &GetCashoutVoucher::new("5"),
        r#"{"status":"ok","voucher":"%%%"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown(u) if u.detail.contains("base64")));
}

#[test]
fn ids_are_percent_encoded_into_one_segment() {
    let base = BaseUrl::parse(OFFLINE_BASE).unwrap();
    let request = describe(&GetCashoutVoucher::new("a/b?c"), &base).unwrap();
    assert_eq!(request.url().path(), "/v2/payment/cashout/a%2Fb%3Fc");
    assert_eq!(request.url().query(), None);
}
