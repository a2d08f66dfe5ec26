//! The unified [`PaymentProvider`]: SPEI orders behind `create_payment` and
//! `get_payment`, through a scripted sender.

use pagos_core::transport::Method;
use pagos_core::{CreatePayment, Operation, PaymentInstructions, PaymentProvider, PaymentStatus};

use crate::*;

#[tokio::test]
async fn create_payment_creates_a_spei_order_and_returns_bank_transfer_instructions() {
    let request = CreatePayment::builder(mxn("150"), "SAMSUNG GOLD CURL")
        .merchant_reference("SMGCURL1")
        .payer_name("Waldix")
        .payer_email("waldix@compropago.com")
        .payer_phone("+52 55 1389 9832")
        .expires_at(at(1_560_139_200))
        .build()
        .unwrap();
    let script = Recorder::answering(200, CREATE_ORDER);
    let c = scripted(&script);
    let provider: &dyn PaymentProvider = &c;
    assert_eq!(provider.name(), "compropago");
    assert!(provider.capabilities().supports(Operation::CreatePayment));
    assert!(provider.capabilities().supports(Operation::GetPayment));
    assert!(!provider.capabilities().supports(Operation::RefundPayment));

    let payment = provider.create_payment(&request).await.unwrap();
    let sent = script.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method(), Method::POST);
    assert_eq!(sent[0].url().path(), "/compropago/v2/orders");
    assert_eq!(sent[0].header_str("authorization"), Some(BASIC));
    assert_eq!(sent[0].header_str("content-type"), Some("application/json"));
    // customer.id falls back to the payer's e-mail; the phone goes as 10 digits.
    assert_eq!(
        body_text(&sent[0]),
        r#"{"product":{"id":"SMGCURL1","price":150.00,"name":"SAMSUNG GOLD CURL","currency":"MXN"},"customer":{"id":"waldix@compropago.com","name":"Waldix","email":"waldix@compropago.com","phone":"5513899832"},"payment":{"type":"SPEI"},"expiresAt":1560139200}"#
    );
    assert_eq!(payment.provider, "compropago");
    assert_eq!(payment.id, "ch_ca001318-7f70-47a9-90a2-df3e755d9be3");
    assert_eq!(payment.merchant_reference.as_deref(), Some("SMGCURL1"));
    assert_eq!(payment.amount, Some(mxn("150")));
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(payment.raw.to_value().unwrap()["shortId"], "481AD8F9");
    assert_eq!(
        payment.instructions,
        vec![PaymentInstructions::BankTransfer {
            account: "646180146400219781".into(),
            bank: Some("STP".into()),
            reference: None,
            steps: vec![
                "Agrega la cuenta CLABE en tu banca en linea para banco STP.".into(),
                "Una vez dada de alta la cuenta CLABE, realiza el deposito por la cantidad exacta.".into(),
                "Ya que realizaste el pago, recibiras un comprobante de transacción exitosa y nuestro sistema confirmara automáticamente el pago.".into(),
            ],
        }]
    );
}

#[tokio::test]
async fn get_payment_maps_every_order_status() {
    let table = [
        ("PENDING", PaymentStatus::Pending),
        ("ACCEPTED", PaymentStatus::Succeeded),
        ("EXPIRED", PaymentStatus::Expired),
        ("CANCELLED", PaymentStatus::Unknown("CANCELLED".into())),
    ];
    for (wire, expected) in table {
        let body = GET_ORDER.replace(r#""status": "PENDING""#, &format!(r#""status": "{wire}""#));
        let script = Recorder::answering(200, body);
        let payment = scripted(&script).get_payment(wire).await.unwrap();
        let sent = script.requests();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].method(), Method::GET);
        assert_eq!(
            sent[0].url().path(),
            format!("/compropago/v2/orders/{wire}")
        );
        assert_eq!(sent[0].header_str("authorization"), Some(BASIC));
        assert_eq!(payment.status, expected, "{wire}");
        assert_eq!(payment.amount, Some(mxn("12.56")));
    }
}
