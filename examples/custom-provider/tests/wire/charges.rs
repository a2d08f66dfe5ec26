//! The charges resource: `POST /v1/charges` and `GET /v1/charges/{id}`, described and
//! parsed without a socket.

use pagos_acmepay::{ChargeStatus, CreateCharge, GetCharge, PROVIDER};
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{
    CreatePayment, Currency, Endpoint, Error, Money, PaymentInstructions, PaymentStatus, Response,
};

use super::{CHARGE, KEY, client, order};

fn answer(operation: &'static str, status: u16, body: &str) -> Response {
    Response::new(PROVIDER, operation, status, body.to_string())
}

#[tokio::test]
async fn create_describes_the_documented_request() {
    let order = order();
    let request = client()
        .executor()
        .authorized(&CreateCharge::new(&order))
        .await
        .unwrap();
    assert_eq!(request.method(), &Method::POST);
    assert_eq!(
        request.url().as_str(),
        "https://api.acmepay.example/v1/charges"
    );
    assert_eq!(
        request.header_str("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(request.header_str("content-type"), Some("application/json"));
    assert_eq!(request.header_str("accept"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(request.body_bytes()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "amount": "10.50", "currency": "MXN", "description": "Order 42", "reference": "order-42"
        })
    );
    // No idempotency key: a create is sent once.
    assert_eq!(request.idempotency(), Idempotency::NonIdempotent);
    assert_eq!(request.operation(), "create_charge");
}

#[tokio::test]
async fn get_describes_the_documented_request() {
    let request = client()
        .executor()
        .authorized(&GetCharge::new("ch_1"))
        .await
        .unwrap();
    assert_eq!(request.method(), &Method::GET);
    assert_eq!(
        request.url().as_str(),
        "https://api.acmepay.example/v1/charges/ch_1"
    );
    assert_eq!(
        request.header_str("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert!(request.body_bytes().is_empty());
    assert_eq!(request.idempotency(), Idempotency::Read);
}

#[test]
fn a_charge_is_read_with_its_raw_answer() {
    let order = order();
    let create = CreateCharge::new(&order);
    let charge = create
        .parse(&answer(CreateCharge::OPERATION, 201, CHARGE))
        .unwrap();
    assert_eq!(charge.id, "ch_1");
    assert_eq!(charge.status, ChargeStatus::Pending);
    assert_eq!(charge.raw.get(), CHARGE);
    let payment = charge.to_payment();
    assert_eq!(payment.provider, "acmepay");
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(payment.amount.unwrap().to_plain_string(), "10.50");
    assert_eq!(payment.merchant_reference.as_deref(), Some("order-42"));
    assert!(matches!(
        payment.instructions.first(),
        Some(PaymentInstructions::Redirect { url, .. }) if url == "https://pay.example/ch_1"
    ));
    assert_eq!(payment.raw.get(), CHARGE);

    let paid = CHARGE.replace("pending", "paid");
    let charge = GetCharge::new("ch_1")
        .parse(&answer(GetCharge::OPERATION, 200, &paid))
        .unwrap();
    assert_eq!(charge.to_payment().status, PaymentStatus::Succeeded);
}

#[test]
fn raw_answers_keep_every_digit() {
    let body = r#"{"id":"ch_2","status":"paid","amount":1500.50,"currency":"MXN","fee":0.10,"big":123456789012345678901234567890}"#;
    let charge = GetCharge::new("ch_2")
        .parse(&answer(GetCharge::OPERATION, 200, body))
        .unwrap();
    let printed = serde_json::to_string(&charge).unwrap();
    let payment = charge.to_payment();
    for digits in ["1500.50", "0.10", "123456789012345678901234567890"] {
        assert!(charge.raw.get().contains(digits), "{digits}");
        assert!(printed.contains(digits), "{digits}: {printed}");
        assert!(payment.raw.get().contains(digits), "{digits}");
    }
    assert_eq!(charge.amount.to_string(), "1500.50");
}

#[test]
fn an_unreadable_answer_is_an_unknown_outcome_keeping_the_body() {
    let order = order();
    let create = CreateCharge::new(&order);
    match create
        .parse(&answer(
            CreateCharge::OPERATION,
            200,
            "<html>maintenance</html>",
        ))
        .unwrap_err()
    {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.raw_body.as_deref(), Some("<html>maintenance</html>"));
        }
        other => panic!("{other:?}"),
    }
    // What the executor adds to it: how to look the charge up.
    assert!(create.outcome_hint().unwrap().contains("order-42"));
}

#[test]
fn bad_input_describes_no_request() {
    let c = client();
    let no_reference = CreatePayment::builder(Money::parse("10", Currency::Mxn).unwrap(), "x")
        .build()
        .unwrap();
    let err = c
        .executor()
        .describe(&CreateCharge::new(&no_reference))
        .unwrap_err();
    assert_eq!(err.validation_field(), Some("merchant_reference"));
    let clp = CreatePayment::builder(Money::parse("10", Currency::Clp).unwrap(), "x")
        .merchant_reference("r")
        .build()
        .unwrap();
    let err = c.executor().describe(&CreateCharge::new(&clp)).unwrap_err();
    assert_eq!(err.validation_field(), Some("currency"));
    let long = CreatePayment::builder(Money::parse("10", Currency::Mxn).unwrap(), "x".repeat(121))
        .merchant_reference("r")
        .build()
        .unwrap();
    let err = c
        .executor()
        .describe(&CreateCharge::new(&long))
        .unwrap_err();
    assert_eq!(err.validation_field(), Some("subject"));
    // An id that would change the request path is never described.
    for id in ["", ".", "..", ".\n."] {
        let err = c.executor().describe(&GetCharge::new(id)).unwrap_err();
        assert_eq!(err.validation_field(), Some("charge_id"), "{id:?}");
    }
}
