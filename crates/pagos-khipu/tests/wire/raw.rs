//! Exact raw answers: amounts and long numbers keep their text, byte for byte, in the
//! answer's `raw`, in its serialization and in the unified `Payment`.

use pagos_core::{Payment, PaymentProvider};
use pagos_khipu::payments::{CreatePayment, GetPayment};
use pagos_khipu::{CreatePaymentRequest, PaymentsResponse};

use crate::support::*;

/// A payment answer holding `1500.50` (a USD amount), `0.10` (its discount) and a
/// 30-digit number in a field the typed answer does not read.
const EXACT: &str = r#"{"payment_id": "exact1234567", "receiver_id": 985101, "status": "done", "status_detail": "normal", "amount": 1500.50, "currency": "USD", "discount": 0.10, "transaction_id": "T-1", "a_big_number": 123456789012345678901234567890}"#;

const NUMBERS: [&str; 3] = ["1500.50", "0.10", "123456789012345678901234567890"];

fn assert_exact(text: &str) {
    for number in NUMBERS {
        assert!(text.contains(number), "{number} lost in {text}");
    }
}

#[test]
fn the_answer_keeps_its_numbers() {
    let payment: PaymentsResponse = parse(&GetPayment::new("exact1234567"), EXACT);
    assert_eq!(payment.raw.get(), EXACT);
    assert_exact(payment.raw.get());
    let serialized = serde_json::to_string(&payment).unwrap();
    assert_exact(&serialized);
    // The typed amount keeps its digits too.
    assert!(serialized.contains(r#""amount":1500.50"#), "{serialized}");
    assert!(serialized.contains(r#""discount":0.10"#), "{serialized}");
    let unified = Payment::from(&payment);
    assert_eq!(unified.raw.get(), EXACT);
    assert_exact(&serde_json::to_string(&unified).unwrap());
}

#[test]
fn a_created_payment_keeps_its_answer() {
    let answer = r#"{"payment_id": "exact1234567", "payment_url": "https://khipu.com/payment/info/exact1234567", "amount": 1500.50, "fee": 0.10, "big": 123456789012345678901234567890}"#;
    let request = CreatePaymentRequest::builder("x", clp("1000"))
        .build()
        .unwrap();
    let created = parse(&CreatePayment::new(&request), answer);
    assert_eq!(created.raw.get(), answer);
    assert_exact(&serde_json::to_string(&created).unwrap());
    assert_eq!(Payment::from(&created).raw.get(), answer);
}

#[tokio::test]
async fn the_unified_payment_keeps_the_answer_byte_for_byte() {
    let (client, fake) = fake_client();
    fake.route("GET", "/payments/exact1234567", 200, EXACT);
    let payment = client.get_payment("exact1234567").await.unwrap();
    assert_eq!(payment.raw.get(), EXACT);
    assert_exact(&serde_json::to_string(&payment).unwrap());
    assert_eq!(fake.calls(), 1);
}
