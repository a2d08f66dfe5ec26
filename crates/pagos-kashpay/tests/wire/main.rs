//! Wire tests for pagos-kashpay, by resource.
//!
//! The requests are asserted as described (`executor().authorized(..)`) and the
//! answers read through each endpoint's `parse`, without a socket; runs that need the
//! executor's rules (the outcome hint, how many attempts left) go through [`Fake`], a
//! client on the shared in-memory sender (`pagos_test_support::wire::Recorder`). httpmock serves the tests that are about sending:
//! the token session (`session.rs`), the exact raw answer through the
//! `PaymentProvider` trait (`raw.rs`) and one end-to-end smoke test (`smoke.rs`).

mod auth;
mod config;
mod orders;
mod provider;
mod raw;
mod session;
mod smoke;

use httpmock::{Method::POST, Mock, MockServer};
use pagos_core::transport::Request;
use pagos_core::{Currency, Error, Money};
use pagos_kashpay::{
    AccountType, KashpayClient, KashpayClientBuilder, OrderRequest, TransactionType,
};
use pagos_test_support::wire::{Recorder, money, transport_with};
pub use pagos_test_support::wire::{body_text, transport};
use time::{Date, Month};

pub const AUTH_OK: &str = include_str!("../fixtures/authenticate.json");
pub const ORDER_OK: &str = include_str!("../fixtures/create_order_success.json");
pub const ORDER_FAILED: &str = include_str!("../fixtures/create_order_failure.json");

/// The Kashpay API's example token.
pub const JWT: &str = "eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJqaW1AY2FzY2FkZWZpbnRlY2guY29tIiwiZXhwIjoxNjY5Nzk5MjA4LCJpYXQiOjE2Njk3OTMyMzJ9.Xhk_B_iOaXPQzkiEdMnvpuUVI8nz6_6uZB9HF4rEJI2zpi0G3K7UqfeBTsbWHP-hFtkHgLDnNHXKnMWc8ixFzA";
pub const ENTITY: &str = "com.cascade";
pub const USER: &str = "jim@cascadefintech.com";
pub const PASSWORD: &str = "cascTest4333";
pub const AUTH_BODY: &str =
    r#"{"entity":"com.cascade","password":"cascTest4333","user":"jim@cascadefintech.com"}"#;
pub const AUTH_PATH: &str = "/kashpay/AuthenticationService/authenticate";
pub const ORDER_PATH: &str = "/kashpay/OKPay/createOrder";

/// Every field of the Kashpay API's `createOrder` table, with typos, in its order.
pub const FULL_ORDER_BODY: &str = r#"{"alphanumericReference":"PROVV0011712091","amount":250.00,"beneficiaryAcount":"032180000118359719","beneficiaryAddress1":"Vicente G 132 Mz5 Lt14","beneficiaryCity":"CDMX","beneficiaryName":"Florentino Eter","beneficiaryTypeAcount":"40","codeInstituteBank":"032","concept":"Deposito Maria","currency":484,"dataAccreditationBeneficiary":99,"dateTransaction":"030421","description":"prueba","email":"testrest@gmail.com","idBank":4177,"idEntity":4177,"numericReference":43223123,"postalCode":"57800","referenceCreatedPayment":"811111112","typeTransaction":1}"#;

/// The builder with the Kashpay API's example credentials.
pub fn builder() -> KashpayClientBuilder {
    KashpayClient::builder()
        .entity(ENTITY)
        .user(USER)
        .password(PASSWORD)
}

/// A client on an httpmock server (both hosts under `/kashpay`).
pub fn client(server: &MockServer) -> KashpayClient {
    builder()
        .base_url(server.url("/kashpay"))
        .unwrap()
        .transport(transport())
        .build()
        .unwrap()
}

pub fn mxn(s: &str) -> Money {
    money(s, Currency::Mxn)
}

pub fn full_order() -> OrderRequest {
    OrderRequest::builder(TransactionType::SpeiOut, mxn("250"))
        .beneficiary(AccountType::Clabe, "032180000118359719", "Florentino Eter")
        .beneficiary_address1("Vicente G 132 Mz5 Lt14")
        .beneficiary_city("CDMX")
        .postal_code("57800")
        .email("testrest@gmail.com")
        .code_institute_bank("032")
        .id_bank(4177)
        .id_entity(4177)
        .concept("Deposito Maria")
        .description("prueba")
        .numeric_reference(43223123)
        .alphanumeric_reference("PROVV0011712091")
        .reference_created_payment("811111112")
        .date_transaction(Date::from_calendar_date(2021, Month::April, 3).unwrap())
        .build()
        .unwrap()
}

/// A change that makes a valid request invalid.
pub type Mutation<T> = Box<dyn Fn(&mut T)>;

pub fn provider_error(e: &Error) -> &pagos_core::ProviderError {
    e.as_provider_error()
        .unwrap_or_else(|| panic!("expected a provider error, got {e:?}"))
}

// ---------------------------------------------------------------- in-memory sender

/// Kashpay in memory: the shared [`Recorder`], answering by path (any method; 404 for
/// any other path) and recording every attempt. Both hosts are [`FAKE_BASE`].
#[derive(Debug, Clone)]
pub struct Fake(Recorder);

pub const FAKE_BASE: &str = "https://kashpay.test/kashpay";

impl Default for Fake {
    fn default() -> Self {
        Fake::new()
    }
}

impl Fake {
    /// Authentication answers the Kashpay API's example.
    pub fn new() -> Fake {
        Fake(Recorder::new()).answer(AUTH_PATH, 200, AUTH_OK)
    }

    pub fn answer(self, path: &str, status: u16, body: &str) -> Fake {
        self.0.route("*", path, status, body);
        self
    }

    /// A client whose transport sends through this fake.
    pub fn client(&self) -> KashpayClient {
        self.client_with(builder())
    }

    pub fn client_with(&self, builder: KashpayClientBuilder) -> KashpayClient {
        builder
            .base_url(FAKE_BASE)
            .unwrap()
            .transport(transport_with(self.0.clone()))
            .build()
            .unwrap()
    }

    /// Every attempt, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.0.requests()
    }

    /// The first attempt that reached `path`.
    pub fn first_to(&self, path: &str) -> Request {
        self.requests()
            .into_iter()
            .find(|r| r.url().path() == path)
            .unwrap_or_else(|| panic!("nothing was sent to {path}"))
    }

    /// How many attempts reached `path`.
    pub fn calls(&self, path: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.url().path() == path)
            .count()
    }
}

// ---------------------------------------------------------------- httpmock

/// The authentication mock: method, path, content type and exact JSON body.
pub async fn auth_mock<'a>(server: &'a MockServer, answer: &str) -> Mock<'a> {
    let answer = answer.to_string();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(AUTH_PATH)
                .header("content-type", "application/json")
                .body(AUTH_BODY);
            then.status(200)
                .header("content-type", "application/json")
                .body(answer);
        })
        .await
}

/// A createOrder mock requiring the session headers for `token`.
pub async fn order_mock<'a>(
    server: &'a MockServer,
    token: &str,
    status: u16,
    answer: &str,
) -> Mock<'a> {
    let (token, answer) = (token.to_string(), answer.to_string());
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(ORDER_PATH)
                .header("authorization", format!("Bearer {token}"))
                .header("entity-i", ENTITY)
                .header("content-type", "application/json");
            then.status(status)
                .header("content-type", "application/json")
                .body(answer);
        })
        .await
}
