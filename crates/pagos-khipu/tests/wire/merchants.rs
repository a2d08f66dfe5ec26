//! Merchants: `GET /merchants/{id}/paymentMethods`.

use pagos_core::transport::Idempotency;
use pagos_khipu::ListPaymentMethods;

use crate::support::*;

#[tokio::test]
async fn list_payment_methods_wire() {
    let client = client();
    let endpoint = ListPaymentMethods::new(client.receiver_id());
    let r = signed(&client, &endpoint).await;
    assert_eq!(r.method().as_str(), "GET");
    assert_eq!(
        r.url().path(),
        format!("{PREFIX}/merchants/{RECEIVER}/paymentMethods")
    );
    assert_khipu_headers(
        &r,
        &ref_authorization(
            "GET",
            &url(&format!("/merchants/{RECEIVER}/paymentMethods")),
            &[],
        ),
    );
    assert!(r.body_bytes().is_empty());
    assert_eq!(r.idempotency(), Idempotency::Read);

    let answer = parse(&endpoint, PAYMENT_METHODS);
    assert_eq!(answer.raw.get(), PAYMENT_METHODS.trim_end());
    let methods = answer.payment_methods;
    assert_eq!(methods.len(), 2);
    assert_eq!(methods[0].id, "simplified_transfer");
    assert_eq!(
        methods[0].name.as_deref(),
        Some("Transferencia simplificada")
    );
    assert!(
        methods[0]
            .logo_url
            .as_deref()
            .unwrap()
            .starts_with("https://")
    );
    assert_eq!(methods[1].id, "42");
    assert_eq!(methods[1].logo_url, None);
}

#[tokio::test]
async fn the_handle_runs_the_endpoint() {
    let (client, fake) = fake_client();
    fake.route(
        "GET",
        &format!("/merchants/{RECEIVER}/paymentMethods"),
        200,
        PAYMENT_METHODS,
    );
    let answer = client
        .merchants()
        .payment_methods(client.receiver_id())
        .await
        .unwrap();
    assert_eq!(answer.payment_methods.len(), 2);
    assert_eq!(fake.calls(), 1);
}
