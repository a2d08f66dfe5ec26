//! Reusable CLABEs: `POST /v2/createClabe` ([`CreateClabe`]).

use pagos_compropago::{AccountStatus, ClabeCustomer, CreateClabe, Frequency};
use pagos_core::PaymentInstructions;
use pagos_core::transport::{Idempotency, Method};

use crate::*;

#[tokio::test]
async fn create_clabe_sends_frecuency_and_decodes_the_seed_example() {
    let request = CreateClabe::new(
        ClabeCustomer::new("1", "customer@email.com").phone("5555555555"),
        Frequency::Unlimited,
    );
    let described = client().executor().authorized(&request).await.unwrap();
    assert_eq!(described.method(), Method::POST);
    assert_eq!(described.url().path(), "/compropago/v2/createClabe");
    assert_eq!(described.header_str("authorization"), Some(BASIC));
    assert_eq!(
        described.header_str("content-type"),
        Some("application/json")
    );
    assert_eq!(described.header_str("accept"), Some("application/json"));
    // The API reference's request body, compacted.
    assert_eq!(
        body_text(&described),
        r#"{"customer":{"id":"1","email":"customer@email.com","phone":"5555555555"},"payment":{"frecuency":"unlimited","exp_date":null,"amount":null}}"#
    );
    assert_eq!(described.idempotency(), Idempotency::NonIdempotent);

    let clabe = parse(&request, CREATE_CLABE).unwrap();
    assert_eq!(clabe.customer.id.as_deref(), Some("1"));
    assert_eq!(clabe.customer.email.as_deref(), Some("customer@email.com"));
    assert_eq!(clabe.payment.clabe.as_deref(), Some("000000000000000000"));
    assert_eq!(clabe.payment.frequency, Some(Frequency::Unlimited));
    assert_eq!(clabe.payment.amount, None);
    assert_eq!(clabe.status, Some(AccountStatus::Active));
    assert_eq!(clabe.test_mode, Some(false));
    assert_eq!(clabe.created_at, Some(at(1_559_855_232)));
    assert_eq!(clabe.expires_at, None);
    assert_eq!(
        clabe.raw.to_value().unwrap()["payment"]["frecuency"],
        "unlimited"
    );
    let Some(PaymentInstructions::BankTransfer { bank, steps, .. }) = clabe.payment_instructions()
    else {
        panic!("expected a bank transfer")
    };
    assert_eq!(bank.as_deref(), Some("STP"));
    assert_eq!(steps.len(), 3);
}

#[tokio::test]
async fn create_clabe_sends_amount_and_expiry() {
    let request = CreateClabe::new(ClabeCustomer::new("7", "a@b.mx"), Frequency::Unlimited)
        .amount(mxn("250.5"))
        .expires_at(at(1_900_000_000));
    let described = client().executor().authorized(&request).await.unwrap();
    assert_eq!(described.url().path(), "/compropago/v2/createClabe");
    assert_eq!(
        body_text(&described),
        r#"{"customer":{"id":"7","email":"a@b.mx"},"payment":{"frecuency":"unlimited","exp_date":1900000000,"amount":250.50}}"#
    );
    parse(&request, CREATE_CLABE).unwrap();
}
