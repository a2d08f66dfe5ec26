//! The unified `PaymentProvider` API, through the resource handles and endpoints (a
//! socket-free sender stands in for Khipu and records what it was sent).

use pagos_core::{
    CreatePayment, Currency, Error, Money, Operation, PaymentInstructions, PaymentProvider,
    PaymentStatus, RefundRequest,
};
use time::macros::datetime;

use crate::support::*;

#[tokio::test]
async fn provider_create_payment() {
    let (client, fake) = fake_client();
    fake.route("POST", "/payments", 200, PAYMENT_CREATE);
    let params: &[(&str, &str)] = &[
        ("subject", "Orden 42"),
        ("currency", "CLP"),
        ("amount", "15990"),
        ("transaction_id", "orden-42"),
        ("custom", r#"{"cart":"3 items","channel":"web"}"#),
        ("body", "Tres productos"),
        ("return_url", "https://tienda.cl/ok"),
        ("cancel_url", "https://tienda.cl/cancel"),
        ("notify_url", "https://tienda.cl/notify"),
        ("notify_api_version", "1.3"),
        ("expires_date", "2030-01-01T03:00:00Z"),
        ("payer_name", "Ana"),
        ("payer_email", "ana@example.cl"),
    ];
    let expected_body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter())
        .finish();
    let request = CreatePayment::builder(clp("15990"), "Orden 42")
        .merchant_reference("orden-42")
        .description("Tres productos")
        .return_url("https://tienda.cl/ok")
        .cancel_url("https://tienda.cl/cancel")
        .notify_url("https://tienda.cl/notify")
        .expires_at(datetime!(2030-01-01 00:00:00 -3))
        .payer_name("Ana")
        .payer_email("ana@example.cl")
        .metadata("channel", "web")
        .metadata("cart", "3 items")
        .build()
        .unwrap();
    let provider: &dyn PaymentProvider = &client;
    assert_eq!(provider.name(), "khipu");
    let payment = provider.create_payment(&request).await.unwrap();

    let sent = fake.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method().as_str(), "POST");
    assert_eq!(sent[0].url().path(), format!("{PREFIX}/payments"));
    assert_khipu_headers(
        &sent[0],
        &ref_authorization("POST", &url("/payments"), params),
    );
    assert_eq!(sent[0].body_bytes(), expected_body.as_bytes());

    assert_eq!(payment.provider, "khipu");
    assert_eq!(payment.id, "gqzdy6chjne9");
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(payment.merchant_reference.as_deref(), Some("orden-42"));
    assert_eq!(payment.amount, Some(clp("15990")));
    assert_eq!(
        payment.instructions,
        vec![PaymentInstructions::Redirect {
            url: "https://khipu.com/payment/info/gqzdy6chjne9".into(),
            app_url: Some("khipu:///pos/gqzdy6chjne9".into()),
        }]
    );
    assert!(
        payment
            .raw
            .get()
            .contains(r#""payment_id": "gqzdy6chjne9""#)
    );
    assert_eq!(payment.raw.get(), PAYMENT_CREATE.trim_end());
}

#[tokio::test]
async fn provider_create_payment_outcome_unknown_hint() {
    let (client, fake) = fake_client();
    fake.route("POST", "/payments", 200, "{\"payment_id\":");
    let request = CreatePayment::builder(clp("1000"), "Orden 7")
        .merchant_reference("orden-7")
        .build()
        .unwrap();
    match client.create_payment(&request).await.unwrap_err() {
        Error::OutcomeUnknown(u) => {
            assert!(u.hint.unwrap().contains("orden-7"));
            assert_eq!(u.raw_body.as_deref(), Some("{\"payment_id\":"));
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(fake.calls(), 1);
}

#[tokio::test]
async fn provider_get_payment_maps_status() {
    let (client, fake) = fake_client();
    let cases = [
        ("p1", PAYMENT_DONE.to_string(), PaymentStatus::Succeeded),
        ("p2", PAYMENT_PENDING.to_string(), PaymentStatus::Pending),
        (
            "p3",
            PAYMENT_DONE.replace("\"normal\"", "\"reversed\""),
            PaymentStatus::Refunded,
        ),
        (
            "p4",
            PAYMENT_PENDING.replace(
                "\"status_detail\": \"pending\"",
                "\"status_detail\": \"rejected-by-payer\"",
            ),
            PaymentStatus::Failed,
        ),
        (
            "p5",
            PAYMENT_PENDING.replace("\"status\": \"pending\"", "\"status\": \"verifying\""),
            PaymentStatus::Processing,
        ),
        (
            "p6",
            PAYMENT_DONE.replace("\"status\": \"done\"", "\"status\": \"archived\""),
            PaymentStatus::Unknown("archived".into()),
        ),
    ];
    for (id, body, _) in &cases {
        fake.route("GET", &format!("/payments/{id}"), 200, body.as_str());
    }
    for (id, body, expected) in &cases {
        let p = client.get_payment(id).await.unwrap();
        assert_eq!(&p.status, expected, "{id}");
        assert_eq!(p.raw.get(), body.trim_end(), "{id}");
    }

    let done = client.get_payment("p1").await.unwrap();
    assert_eq!(done.id, "gqzdy6chjne9");
    assert_eq!(done.merchant_reference.as_deref(), Some("zwo3wqz6uulcvajt"));
    assert_eq!(done.amount, Some(clp("1000")));
    assert!(done.instructions.is_empty());
    assert!(done.raw.get().contains(r#""bank_id": "dfFbF""#));
    assert_eq!(done.raw.get(), PAYMENT_DONE.trim_end());
    let pending = client.get_payment("p2").await.unwrap();
    assert_eq!(pending.amount, Some(clp("200")));
    assert!(matches!(
        pending.instructions.as_slice(),
        [PaymentInstructions::Redirect { url, .. }] if url.ends_with("7vnqtalz0ikb")
    ));
}

#[tokio::test]
async fn provider_cancel_and_refund() {
    let (client, fake) = fake_client();
    fake.route("DELETE", "/payments/abc", 200, SUCCESS);
    fake.route("POST", "/payments/abc/refunds", 200, SUCCESS);
    client.cancel_payment("abc").await.unwrap();
    let r = client
        .refund_payment(&RefundRequest::partial(
            "abc",
            Money::parse("1.5", Currency::Clf).unwrap(),
        ))
        .await
        .unwrap();
    let sent = fake.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].method().as_str(), "DELETE");
    assert_eq!(sent[0].url().path(), format!("{PREFIX}/payments/abc"));
    assert_khipu_headers(
        &sent[0],
        &ref_authorization("DELETE", &url("/payments/abc"), &[]),
    );
    assert_eq!(sent[1].method().as_str(), "POST");
    assert_eq!(
        sent[1].url().path(),
        format!("{PREFIX}/payments/abc/refunds")
    );
    assert_khipu_headers(
        &sent[1],
        &ref_authorization(
            "POST",
            &url("/payments/abc/refunds"),
            &[("amount", "1.5000")],
        ),
    );
    assert_eq!(sent[1].body_bytes(), b"amount=1.5000");

    assert_eq!(r.provider, "khipu");
    assert_eq!(r.payment_id, "abc");
    assert_eq!(r.amount.unwrap().to_plain_string(), "1.5000");
    assert_eq!(r.message.as_deref(), Some("Mensaje a desplegar al usuario"));
    assert!(
        r.raw
            .get()
            .contains(r#""message": "Mensaje a desplegar al usuario""#)
    );
    assert_eq!(r.raw.get(), SUCCESS.trim_end());

    let caps = client.capabilities();
    assert!(caps.supports(Operation::RefundPayment));
    assert!(!caps.supports(Operation::CreatePayout));
    let e = client.balance().await.unwrap_err();
    assert!(matches!(e, Error::Unsupported { .. }));
}

#[tokio::test]
async fn a_full_refund_answered_with_an_empty_body_has_a_null_raw() {
    let (client, fake) = fake_client();
    fake.route("POST", "/payments/abc/refunds", 200, "");
    let r = client
        .refund_payment(&RefundRequest::full("abc"))
        .await
        .unwrap();
    assert_eq!(r.message, None);
    assert!(r.raw.is_null());
    assert_eq!(fake.requests()[0].body_bytes(), b"");
}
