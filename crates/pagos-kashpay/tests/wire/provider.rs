//! [`PaymentProvider`] for the Kashpay client: payouts as SPEI orders.

use std::sync::Arc;

use pagos_core::{BankAccount, Error, Operation, PaymentProvider, PayoutRequest, PayoutStatus};
use pagos_kashpay::{
    AccountTypeCodes, Client, CreateOrder, DateFormat, OrderStatus, ReferenceChars, WireAssumptions,
};
use time::OffsetDateTime;

use super::*;

fn payout() -> PayoutRequest {
    PayoutRequest::builder(
        mxn("250.00"),
        BankAccount::Clabe("646180146400219781".into()),
        // The Kashpay API's own numericReference example, 8 digits, sent as is.
        "43223123",
    )
    .beneficiary_name("Florentino Eter")
    .beneficiary_email("testrest@gmail.com")
    .concept("Deposito Maria")
    .description("prueba")
    .build()
    .unwrap()
}

/// The body a payout's order carries, with today's date (Mexico City) checked apart.
fn check_payout_body(body: &str) {
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    let date = json["dateTransaction"].as_str().unwrap().to_string();
    let today = OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(-6))
        .date();
    // ddMMyy
    let part = |r: std::ops::Range<usize>| date[r].parse::<u8>().unwrap();
    let parsed = Date::from_calendar_date(
        2000 + i32::from(part(4..6)),
        Month::try_from(part(2..4)).unwrap(),
        part(0..2),
    )
    .unwrap();
    assert!((parsed - today).whole_days().abs() <= 1, "{date}");
    let expected = format!(
        r#"{{"alphanumericReference":"43223123","amount":250.00,"beneficiaryAcount":"646180146400219781","beneficiaryName":"Florentino Eter","beneficiaryTypeAcount":"40","codeInstituteBank":"646","concept":"Deposito Maria","currency":484,"dataAccreditationBeneficiary":99,"dateTransaction":"{date}","description":"prueba","email":"testrest@gmail.com","numericReference":43223123,"typeTransaction":1}}"#
    );
    assert_eq!(body, expected);
}

#[tokio::test]
async fn a_payout_is_a_spei_order() {
    let client = Fake::new().client();
    let order = OrderRequest::try_from(&payout()).unwrap();
    let request = client
        .executor()
        .authorized(&CreateOrder::new(&order).with_defaults(client.order_defaults()))
        .await
        .unwrap();
    assert_eq!(request.url().path(), ORDER_PATH);
    assert_eq!(
        request.header_str("authorization"),
        Some(format!("Bearer {JWT}").as_str())
    );
    assert_eq!(request.header_str("entity-i"), Some(ENTITY));
    check_payout_body(std::str::from_utf8(request.body_bytes()).unwrap());
}

#[tokio::test]
async fn create_payout_sends_a_spei_order() {
    let fake = Fake::new().answer(ORDER_PATH, 200, ORDER_OK);
    let client: Arc<dyn PaymentProvider> = Arc::new(fake.client());

    let payout = client.create_payout(&payout()).await.unwrap();
    assert_eq!(fake.calls(AUTH_PATH), 1);
    assert_eq!(fake.calls(ORDER_PATH), 1);
    assert_eq!(payout.provider, "kashpay");
    assert_eq!(payout.id, "13699");
    assert_eq!(payout.status, PayoutStatus::Succeeded);
    assert_eq!(payout.reference.as_deref(), Some("43223123"));
    assert_eq!(payout.amount, Some(mxn("250")));
    // Kashpay's answer, byte for byte.
    assert_eq!(payout.raw.get(), ORDER_OK.trim_end());

    let sent = fake.first_to(ORDER_PATH);
    assert_eq!(
        sent.header_str("authorization"),
        Some(format!("Bearer {JWT}").as_str())
    );
    assert_eq!(sent.header_str("entity-i"), Some(ENTITY));
    check_payout_body(body_text(&sent));
}

#[tokio::test]
async fn invalid_payouts_send_nothing() {
    let fake = Fake::new().answer(ORDER_PATH, 200, ORDER_OK);
    let client = fake.client();

    let cases: Vec<(&str, Mutation<PayoutRequest>)> = vec![
        (
            "beneficiary.account",
            Box::new(|p| p.beneficiary.account = BankAccount::Clabe("646180585000000001".into())),
        ),
        (
            "beneficiary.account",
            Box::new(|p| p.beneficiary.account = BankAccount::Cbu("2850590940090418135201".into())),
        ),
        ("beneficiary.name", Box::new(|p| p.beneficiary.name = None)),
        (
            "beneficiary.email",
            Box::new(|p| p.beneficiary.email = Some("x@".into())),
        ),
        ("amount", Box::new(|p| p.amount = mxn("0"))),
        (
            "amount",
            Box::new(|p| p.amount = Money::parse("1", Currency::Ars).unwrap()),
        ),
        (
            "reference",
            Box::new(|p| p.reference = "payout-0001".into()),
        ),
        ("reference", Box::new(|p| p.reference = String::new())),
    ];
    for (field, mutate) in cases {
        let mut request = payout();
        mutate(&mut request);
        let mapped = OrderRequest::try_from(&request).unwrap_err();
        assert_eq!(mapped.validation_field(), Some(field), "{mapped:?}");
        let err = client.create_payout(&request).await.unwrap_err();
        assert_eq!(err.validation_field(), Some(field), "{err:?}");
    }
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[tokio::test]
async fn only_create_payout_is_supported() {
    let client: Client = Fake::new().client();
    assert_eq!(client.name(), "kashpay");
    assert_eq!(client.name(), pagos_kashpay::PROVIDER);
    let caps = client.capabilities();
    assert_eq!(
        caps.iter().collect::<Vec<_>>(),
        vec![Operation::CreatePayout]
    );
    let err = client.get_payout("13699").await.unwrap_err();
    assert!(matches!(
        err,
        Error::Unsupported {
            provider: "kashpay",
            operation: Operation::GetPayout
        }
    ));
    let err = client.balance().await.unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }));
}

#[test]
fn order_status_table() {
    let table = [
        (25, OrderStatus::Applied, PayoutStatus::Succeeded),
        (14, OrderStatus::Paid, PayoutStatus::Succeeded),
        (13, OrderStatus::Pending, PayoutStatus::Pending),
        (16, OrderStatus::ReferenceIssued, PayoutStatus::Pending),
        (7, OrderStatus::Other(7), PayoutStatus::Unknown("7".into())),
    ];
    for (code, status, payout) in table {
        assert_eq!(OrderStatus::from_code(code), status);
        assert_eq!(status.code(), code);
        assert_eq!(status.payout_status(), payout, "{code}");
    }
}

#[test]
fn transaction_type_catalogue() {
    let table = [
        (1, TransactionType::SpeiOut),
        (2, TransactionType::SpeiReturn),
        (3, TransactionType::SpeiIn),
        (4, TransactionType::TransferBetweenAccounts),
        (10, TransactionType::TopUp),
        (11, TransactionType::BillPayment),
        (19, TransactionType::PaymentOrder),
        (20, TransactionType::WithdrawalWithReference),
        (21, TransactionType::WithdrawalWithReference21),
        (22, TransactionType::VisaSale),
        (23, TransactionType::AmexSale),
        (24, TransactionType::ReferencedSpeiSale),
        (25, TransactionType::AcquiringRefund),
        (26, TransactionType::AcquiringCancellation),
        (27, TransactionType::MastercardSale),
        (5, TransactionType::Other(5)),
    ];
    for (code, t) in table {
        assert_eq!(TransactionType::from_code(code), t);
        assert_eq!(t.code(), code);
    }
}

/// A payout reference Kashpay's numericReference cannot take as given is refused on
/// `reference`, saying what is allowed, and nothing is sent (not even the
/// authentication): it is never hashed into a number.
#[tokio::test]
async fn a_reference_that_is_not_a_numeric_reference_is_refused_not_hashed() {
    let fake = Fake::new().answer(ORDER_PATH, 200, ORDER_OK);
    let client: Arc<dyn PaymentProvider> = Arc::new(fake.client());
    for reference in ["PAYOUT0001", "0043223123", "12345678901"] {
        let mut request = payout();
        request.reference = reference.into();
        match client.create_payout(&request).await {
            Err(Error::Validation(v)) => {
                assert_eq!(v.field(), "reference", "{reference}");
                assert!(v.message().contains("1 to 10 digits"), "{v}");
            }
            other => panic!("{reference}: expected a validation error, got {other:?}"),
        }
    }
    assert!(fake.requests().is_empty());
}

/// The assumed rules are the client's: overridden on the builder, they change what is
/// accepted and what is written (`beneficiaryTypeAcount`, `dateTransaction`).
#[tokio::test]
async fn overridden_wire_assumptions_reach_the_wire() {
    let codes = AccountTypeCodes::default().clabe("001");
    let assumptions = WireAssumptions::default()
        .concept_max_chars(60)
        .date_transaction(DateFormat::YearMonthDay)
        .alphanumeric_reference(ReferenceChars::Printable)
        .numeric_reference_max_digits(12)
        .account_type_codes(codes);
    let fake = Fake::new().answer(ORDER_PATH, 200, ORDER_OK);
    let client = fake.client_with(builder().wire_assumptions(assumptions.clone()));
    assert_eq!(client.wire_assumptions(), &assumptions);
    let concept = "c".repeat(50);
    let order = OrderRequest::builder(TransactionType::SpeiOut, mxn("250"))
        .beneficiary(AccountType::Clabe, "032180000118359719", "Florentino Eter")
        .concept(concept.as_str())
        .numeric_reference(123_456_789_012)
        .alphanumeric_reference("PROV-001")
        .date_transaction(Date::from_calendar_date(2021, Month::April, 3).unwrap())
        .build_with(&assumptions)
        .unwrap();
    client.orders().create(&order).await.unwrap();
    let body = String::from_utf8(fake.first_to(ORDER_PATH).body_bytes().to_vec()).unwrap();
    assert_eq!(
        body,
        format!(
            r#"{{"alphanumericReference":"PROV-001","amount":250.00,"beneficiaryAcount":"032180000118359719","beneficiaryName":"Florentino Eter","beneficiaryTypeAcount":"001","codeInstituteBank":"032","concept":"{concept}","currency":484,"dataAccreditationBeneficiary":99,"dateTransaction":"210403","numericReference":123456789012,"typeTransaction":1}}"#
        )
    );
    // The same order through a client with the defaults is refused before sending.
    let plain = Fake::new().answer(ORDER_PATH, 200, ORDER_OK);
    match plain.client().orders().create(&order).await {
        Err(Error::Validation(v)) => {
            assert_eq!(v.field(), "concept");
            assert!(
                v.message().contains("WireAssumptions::concept_max_chars"),
                "{v}"
            );
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(plain.requests().is_empty());
}
