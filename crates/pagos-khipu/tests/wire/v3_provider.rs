//! The unified API on API 3.0.

use pagos_core::{
    CreatePayment, Currency, PaymentInstructions, PaymentProvider, PaymentStatus, RefundRequest,
};
use pagos_test_support::wire::money;

use crate::v3_support::*;

#[tokio::test]
async fn create_get_cancel_refund() {
    let (client, fake) = fake_client();
    fake.route("POST", "/v3/payments", 200, CREATED);
    fake.route("GET", "/v3/payments/gqzdy6chjne9", 200, PAYMENT_OLD);
    fake.route("DELETE", "/v3/payments/gqzdy6chjne9", 200, SUCCESS);
    fake.route(
        "POST",
        "/v3/refunds",
        200,
        r#"{"id":"r","payment_id":"gqzdy6chjne9","refunded_amount":"1000.0000","currency":"CLP"}"#,
    );
    fake.route(
        "POST",
        "/v3/refunds",
        200,
        r#"{"id":"r2","payment_id":"gqzdy6chjne9","refunded_amount":"300.0000","currency":"CLP"}"#,
    );
    let req = CreatePayment::builder(money("1000", Currency::Clp), "Orden 1")
        .merchant_reference("o-1")
        .notify_url("https://x.cl/hook")
        .build()
        .unwrap();
    let p = client.create_payment(&req).await.unwrap();
    assert_eq!(p.id, "gqzdy6chjne9");
    assert_eq!(p.status, PaymentStatus::Pending);
    assert!(
        matches!(&p.instructions[0], PaymentInstructions::Redirect { url, .. } if url.ends_with("/info/gqzdy6chjne9"))
    );
    let sent = pagos_test_support::wire::json_body(&fake.requests()[0]);
    assert_eq!(sent["notify_api_version"], "3.0");
    assert_eq!(sent["amount"], 1000);
    let p = client.get_payment("gqzdy6chjne9").await.unwrap();
    assert_eq!(p.status, PaymentStatus::Succeeded);
    assert_eq!(p.amount, Some(money("1000", Currency::Clp)));
    client.cancel_payment("gqzdy6chjne9").await.unwrap();
    let r = client
        .refund_payment(&RefundRequest::full("gqzdy6chjne9"))
        .await
        .unwrap();
    assert_eq!(r.amount, Some(money("1000", Currency::Clp)));
    let r = client
        .refund_payment(&RefundRequest::partial(
            "gqzdy6chjne9",
            money("300", Currency::Clp),
        ))
        .await
        .unwrap();
    assert_eq!(r.amount, Some(money("300", Currency::Clp)));
    let bodies: Vec<String> = fake
        .sent_to("POST", "/v3/refunds")
        .iter()
        .map(|r| pagos_test_support::wire::body_text(r).to_string())
        .collect();
    assert_eq!(
        bodies,
        [
            r#"{"type":"full","payment_id":"gqzdy6chjne9"}"#,
            r#"{"type":"partial","payment_id":"gqzdy6chjne9","amount":"300"}"#
        ]
    );
}

#[tokio::test]
async fn payer_documents_follow_the_currency() {
    let (client, fake) = fake_client();
    fake.always(200, CREATED);
    let dni = CreatePayment::builder(money("1000", Currency::Clp), "x")
        .payer_document("DNI", "12345678")
        .build()
        .unwrap();
    assert_eq!(
        client
            .create_payment(&dni)
            .await
            .unwrap_err()
            .validation_field(),
        Some("payer.document")
    );
    assert_eq!(fake.calls(), 0);
    let pen = CreatePayment::builder(money("10", Currency::Pen), "x")
        .payer_document("DNI", "12345678")
        .build()
        .unwrap();
    client.create_payment(&pen).await.unwrap();
    let last = fake.last();
    let sent = pagos_test_support::wire::body_text(&last);
    assert!(
        sent.starts_with(r#"{"amount":10.00,"currency":"PEN","#),
        "{sent}"
    );
    assert!(
        sent.contains(r#""fixed_payer_personal_identifier":"12345678""#),
        "{sent}"
    );
}
