//! Wire tests: the exact requests each endpoint describes and the decoding of
//! ComproPago's documented answers, without a socket; one httpmock smoke test.
//!
//! Fixtures `create_order.json`, `get_order.json`, `create_clabe.json` and
//! `create_account.json` are the ComproPago API v2 reference's examples, verbatim. The
//! three account listings are not in that reference: `list_accounts.json`,
//! `list_subaccounts.json` and `account_transactions.json` are verbatim examples of
//! ComproPago's published API reference (github.com/compropago/slate,
//! `source/index.html.md`).
//!
//! Tests about sending (retries, what is sent once, that nothing is sent) run through
//! [`Script`], an [`HttpSend`] that answers from a script and records every attempt.

mod accounts;
mod clabes;
mod errors;
mod orders;
mod provider;
mod raw;
mod secrets;
mod smoke;
mod validation;
mod webhooks;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pagos_compropago::{Client, CreateOrder, Customer, PROVIDER, Product};
use pagos_core::transport::{HttpAnswer, HttpSend, Request, SendError};
use pagos_core::{Currency, Decimal, Endpoint, Money, Response, RetryPolicy, Transport};
use time::OffsetDateTime;

pub const CREATE_ORDER: &str = include_str!("../fixtures/create_order.json");
pub const GET_ORDER: &str = include_str!("../fixtures/get_order.json");
pub const CREATE_CLABE: &str = include_str!("../fixtures/create_clabe.json");
pub const CREATE_ACCOUNT: &str = include_str!("../fixtures/create_account.json");
pub const LIST_ACCOUNTS: &str = include_str!("../fixtures/list_accounts.json");
pub const LIST_SUBACCOUNTS: &str = include_str!("../fixtures/list_subaccounts.json");
pub const ACCOUNT_TRANSACTIONS: &str = include_str!("../fixtures/account_transactions.json");

pub const SK: &str = "sk_test_4f9c2e7a1b3d";
pub const PK: &str = "pk_test_8e1d5c0b9a7f";
/// `"Basic " + base64("sk_test_4f9c2e7a1b3d:pk_test_8e1d5c0b9a7f")`, computed outside Rust.
pub const BASIC: &str = "Basic c2tfdGVzdF80ZjljMmU3YTFiM2Q6cGtfdGVzdF84ZTFkNWMwYjlhN2Y=";
pub const BASIC_B64: &str = "c2tfdGVzdF80ZjljMmU3YTFiM2Q6cGtfdGVzdF84ZTFkNWMwYjlhN2Y=";

pub const ORDER_ID: &str = "ch_c1c0983d-6318-4f65-838c-8ff60afacf18";

/// The base URL of the clients that never send: a simulator's mount point.
pub const BASE: &str = "http://127.0.0.1:9/compropago";

pub fn transport() -> pagos_core::TransportBuilder {
    Transport::builder().retry(
        RetryPolicy::attempts(3).with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
    )
}

fn builder(base: &str) -> pagos_compropago::ClientBuilder {
    Client::builder()
        .private_key(SK)
        .public_key(PK)
        .base_url(base)
        .unwrap()
}

/// A client for describing requests (its transport would send, but is never used).
pub fn client() -> Client {
    builder(BASE)
        .transport(transport().build().unwrap())
        .build()
        .unwrap()
}

/// A client whose every attempt goes to `script`.
pub fn scripted(script: &Script) -> Client {
    builder(BASE)
        .transport(transport().sender(script.clone()).build().unwrap())
        .build()
        .unwrap()
}

/// An [`HttpSend`] that answers from a script (the last answer repeats) and records
/// every attempt it was given.
#[derive(Debug, Clone)]
pub struct Script {
    answers: Arc<Mutex<VecDeque<(u16, String)>>>,
    sent: Arc<Mutex<Vec<Request>>>,
}

impl Script {
    /// Answers every attempt with `status` and `body`.
    pub fn always(status: u16, body: impl Into<String>) -> Script {
        Script::of(&[(status, &body.into())])
    }

    /// Answers the attempts in order; the last answer repeats.
    pub fn of(answers: &[(u16, &str)]) -> Script {
        Script {
            answers: Arc::new(Mutex::new(
                answers.iter().map(|(s, b)| (*s, b.to_string())).collect(),
            )),
            sent: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Every attempt made so far.
    pub fn sent(&self) -> Vec<Request> {
        self.sent.lock().unwrap().clone()
    }

    /// How many attempts were made.
    pub fn calls(&self) -> usize {
        self.sent.lock().unwrap().len()
    }
}

#[pagos_core::async_trait]
impl HttpSend for Script {
    async fn send(&self, request: &Request, _max: usize) -> Result<HttpAnswer, SendError> {
        self.sent.lock().unwrap().push(request.clone());
        let mut answers = self.answers.lock().unwrap();
        let (status, body) = if answers.len() > 1 {
            answers.pop_front().unwrap()
        } else {
            answers
                .front()
                .cloned()
                .unwrap_or((500, "no answer scripted".into()))
        };
        Ok(HttpAnswer::new(status, body))
    }
}

/// `endpoint`'s reading of an HTTP 200 answer with `body`.
pub fn parse<E: Endpoint>(endpoint: &E, body: impl Into<String>) -> pagos_core::Result<E::Output> {
    endpoint.parse(&Response::new(PROVIDER, E::OPERATION, 200, body.into()))
}

/// The described request's body as text.
pub fn body(request: &Request) -> &str {
    std::str::from_utf8(request.body_bytes()).unwrap()
}

pub fn mxn(s: &str) -> Money {
    Money::parse(s, Currency::Mxn).unwrap()
}

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap()
}

pub fn wrapped(object: &str, data: &str) -> String {
    format!(
        r#"{{"object":"{object}","code":200,"status":"success","message":"success.get","request":1559853010380,"url":"/v2/orders","map":"76ab15b2-f7c3-4a95-a662-b5cc4a2a9938","data":{data}}}"#
    )
}

pub fn seed_order() -> CreateOrder {
    CreateOrder::new(
        Product::new("SMGCURL1", "SAMSUNG GOLD CURL", mxn("150"))
            .url("http://dummyurl.com/smgcul1.jpg"),
        Customer::new("cust-1", "Waldix", "waldix@compropago.com").phone("5513899832"),
    )
    .expires_at(at(1_560_139_200))
}
