//! `POST /v3/refunds` (full and partial) and `GET /v3/refund-wallet/balance`.

use pagos_core::{Currency, Error, Money, PaymentProvider, RefundRequest, Resend};
use pagos_khipu::v3::refunds::{CreateRefund, GetRefundWalletBalance};
use pagos_test_support::wire::money;

use crate::v3_support::*;

const REFUNDED: &str = r#"{"id":"b31bd9aa","payment_id":"zfxnocsow6mz","refunded_amount":"15000.0000","total_refunded":"15000.0000","remaining":"0.0000","currency":"CLP","message":"Saldo de la billetera insuficiente"}"#;

#[tokio::test]
async fn full_and_partial_bodies() {
    let r = authorized(&CreateRefund::full("zfxnocsow6mz")).await;
    assert_request(
        &r,
        "POST",
        &format!("{HOST}/v3/refunds"),
        Some(r#"{"type":"full","payment_id":"zfxnocsow6mz"}"#),
    );
    let m = money("5000", Currency::Clp);
    let r = authorized(&CreateRefund::partial("zfxnocsow6mz", &m)).await;
    // The amount is a string in this call.
    assert_request(
        &r,
        "POST",
        &format!("{HOST}/v3/refunds"),
        Some(r#"{"type":"partial","payment_id":"zfxnocsow6mz","amount":"5000"}"#),
    );
    let usd = money("12.5", Currency::Usd);
    let r = authorized(&CreateRefund::partial("p", &usd)).await;
    assert!(
        std::str::from_utf8(r.body_bytes())
            .unwrap()
            .ends_with(r#""amount":"12.50"}"#)
    );
    let answer = parse(&CreateRefund::full("zfxnocsow6mz"), REFUNDED);
    assert_eq!(answer.refunded_amount.unwrap().to_string(), "15000.0000");
    assert_eq!(answer.remaining.unwrap().to_string(), "0.0000");
    assert_eq!(
        answer.message.as_deref(),
        Some("Saldo de la billetera insuficiente")
    );
    assert_eq!(answer.raw.get(), REFUNDED);
}

#[tokio::test]
async fn bad_refunds_are_not_sent() {
    let (client, fake) = fake_client();
    let zero = money("0", Currency::Clp);
    assert_eq!(
        client
            .refunds()
            .partial("p", &zero)
            .await
            .unwrap_err()
            .validation_field(),
        Some("amount")
    );
    assert_eq!(
        client
            .refunds()
            .full(" ")
            .await
            .unwrap_err()
            .validation_field(),
        Some("payment_id")
    );
    let negative = Money::parse("-1", Currency::Clp).unwrap();
    assert!(client.refunds().partial("p", &negative).await.is_err());
    assert_eq!(fake.calls(), 0);
}

#[tokio::test]
async fn a_500_on_a_refund_is_unknown_and_sent_once() {
    let (client, fake) = fake_client();
    fake.always(500, r#"{"status":500,"message":"Internal server error"}"#);
    let e = client.refunds().full("zfxnocsow6mz").await.unwrap_err();
    assert_eq!(e.resend(), Resend::AfterLookup);
    let Error::OutcomeUnknown(u) = &e else {
        panic!("{e:?}")
    };
    assert!(
        u.hint
            .as_deref()
            .unwrap()
            .contains("/v3/payments/zfxnocsow6mz"),
        "{u:?}"
    );
    assert_eq!(fake.calls(), 1, "a refund is never resent");
    // The unified refund goes through the same call.
    let e = client
        .refund_payment(&RefundRequest::full("zfxnocsow6mz"))
        .await
        .unwrap_err();
    assert!(e.is_outcome_unknown());
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn unreadable_200_on_a_refund_is_unknown() {
    let (client, fake) = fake_client();
    fake.always(200, "<html>ok</html>");
    let e = client.refunds().full("p").await.unwrap_err();
    assert!(e.is_outcome_unknown(), "{e:?}");
    assert_eq!(fake.calls(), 1);
}

#[test]
fn refusals_keep_the_field() {
    let e = refused::<CreateRefund<'_>>(
        400,
        r#"{"status":400,"message":"Error de validación","errors":[{"field":"receiver_id","message":"La cuenta de cobro con ID 1 no está habilitada para hacer reversas/devoluciones"}]}"#,
    );
    let p = e.as_provider_error().unwrap();
    assert_eq!(p.field_errors[0].field, "receiver_id");
    assert_eq!(p.message, "Error de validación");
}

#[tokio::test]
async fn wallet_balance() {
    let r = authorized(&GetRefundWalletBalance::new()).await;
    assert_request(&r, "GET", &format!("{HOST}/v3/refund-wallet/balance"), None);
    let b = parse(
        &GetRefundWalletBalance::new(),
        r#"{"balance":"5000.0000","currency":"CLP","add_funds_url":"https://khipu.com/dashboard/bills"}"#,
    );
    assert_eq!(b.balance.unwrap().to_string(), "5000.0000");
    assert_eq!(
        b.add_funds_url.as_deref(),
        Some("https://khipu.com/dashboard/bills")
    );
    // A 503 on a read is a definite, transient refusal.
    let e = refused::<GetRefundWalletBalance>(503, "");
    assert!(e.as_provider_error().unwrap().is_transient());
}
