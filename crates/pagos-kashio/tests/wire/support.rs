//! What the wire tests share: the API document's fixtures, the seed invoice, and a
//! client whose transport answers from a closure and records every attempt, so that
//! tests about sending (retries, laziness, nothing sent) need no socket.

#![allow(dead_code)] // each test binary uses a part

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pagos_core::transport::{HttpAnswer, HttpSend, Request, SendError};
use pagos_core::{Currency, Error, Money, RetryPolicy, Transport};
use pagos_kashio::{Customer, KashioClient, NewInvoice};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use time::macros::datetime;

pub const KEY: &str = "sk_test_f5yj6jAxxxHep36jAxxxep3xxxJUx";
/// `Basic base64("sk_test_f5yj6jAxxxHep36jAxxxep3xxxJUx:")`.
pub const AUTH: &str = "Basic c2tfdGVzdF9mNXlqNmpBeHh4SGVwMzZqQXh4eGVwM3h4eEpVeDo=";
/// The path of [`pagos_kashio::DEFAULT_BASE_URL`].
pub const BASE: &str = "/v1/payments";

pub const CREATE_REQUEST: &str = include_str!("../fixtures/invoice_create_request.json");
pub const CREATE_RESPONSE: &str = include_str!("../fixtures/invoice_create_response.json");
pub const GET_RESPONSE: &str = include_str!("../fixtures/invoice_get_response.json");
pub const VOID_RESPONSE: &str = include_str!("../fixtures/invoice_void_response.json");
pub const UPDATE_RESPONSE: &str = include_str!("../fixtures/invoice_update_response.json");
pub const LIST_RESPONSE: &str = include_str!("../fixtures/invoice_list_response.json");
pub const EVENT_RESPONSE: &str = include_str!("../fixtures/event_get_response.json");
pub const EVENT_RESPONSE_SEED: &str = include_str!("../fixtures/event_get_response_seed.txt");
pub const EVENT_LIST_RESPONSE: &str = include_str!("../fixtures/event_list_response.json");
pub const EVENT_LIST_RESPONSE_SEED: &str = include_str!("../fixtures/event_list_response_seed.txt");

pub fn path(rest: &str) -> String {
    format!("{BASE}{rest}")
}

pub fn pen(amount: &str) -> Money {
    Money::parse(amount, Currency::Pen).unwrap()
}

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Three attempts, 1 ms apart: retries are visible without waiting.
pub fn transport_with(sender: impl HttpSend + 'static) -> Transport {
    Transport::builder()
        .retry(
            RetryPolicy::attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .sender(sender)
        .build()
        .unwrap()
}

/// A client at the default base URL that never sends: for described requests.
pub fn client() -> KashioClient {
    KashioClient::builder().secret_key(KEY).build().unwrap()
}

/// Every attempt a [`Fake`] transport received, in order.
#[derive(Debug, Clone, Default)]
pub struct Log(Arc<Mutex<Vec<Request>>>);

impl Log {
    pub fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    /// How many attempts went to `method path` (query ignored).
    pub fn count_of(&self, method: &str, path: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method().as_str() == method && r.url().path() == path)
            .count()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.0.lock().unwrap().clone()
    }

    pub fn last(&self) -> Request {
        self.requests().pop().expect("a request was sent")
    }
}

type Answer = dyn Fn(&Request) -> (u16, String) + Send + Sync;

/// An [`HttpSend`] that answers from a closure and records every attempt.
pub struct Fake {
    log: Log,
    answer: Arc<Answer>,
}

impl std::fmt::Debug for Fake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fake").field("log", &self.log).finish()
    }
}

#[pagos_core::async_trait]
impl HttpSend for Fake {
    async fn send(&self, request: &Request, _max: usize) -> Result<HttpAnswer, SendError> {
        self.log.0.lock().unwrap().push(request.clone());
        let (status, body) = (self.answer)(request);
        Ok(HttpAnswer::new(status, body))
    }
}

/// A client whose every attempt is answered by `answer` and recorded in the [`Log`].
pub fn fake_client(
    answer: impl Fn(&Request) -> (u16, String) + Send + Sync + 'static,
) -> (KashioClient, Log) {
    let log = Log::default();
    let fake = Fake {
        log: log.clone(),
        answer: Arc::new(answer),
    };
    let client = KashioClient::builder()
        .secret_key(KEY)
        .transport(transport_with(fake))
        .build()
        .unwrap();
    (client, log)
}

/// A client that answers anything with `GET_RESPONSE`, to prove nothing reached it.
pub fn catch_all() -> (KashioClient, Log) {
    fake_client(|_| (200, GET_RESPONSE.to_string()))
}

/// `(method, path, query)` of a request, for matching in answers.
pub fn route(r: &Request) -> (String, String, Option<String>) {
    (
        r.method().as_str().to_string(),
        r.url().path().to_string(),
        r.query_str().map(str::to_string),
    )
}

/// A query parameter's values, in order.
pub fn query_values(r: &Request, name: &str) -> Vec<String> {
    r.url()
        .query_pairs()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// The query as `(name, value)` pairs, in order.
pub fn query_pairs(r: &Request) -> Vec<(String, String)> {
    r.url()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The body as JSON.
pub fn body_json(r: &Request) -> Value {
    serde_json::from_slice(r.body_bytes()).expect("a JSON body")
}

/// The body as text.
pub fn body_text(r: &Request) -> String {
    String::from_utf8(r.body_bytes().to_vec()).unwrap()
}

/// The create request of KashIO's API document, built with the SDK.
pub fn seed_invoice() -> NewInvoice {
    NewInvoice::builder(
        "INV-000001-001",
        pen("15.00"),
        Customer::new()
            .name("JUAN PEREZ")
            .email("juan.perez.xxx@gmail.com")
            .phone("+13055606666")
            .document("DNI", "10203040")
            .external_id("CUS-10203040-001"),
    )
    .metadata("order_id", "000001-001")
    .metadata("order_name", "Deuda Enero 2019")
    .metadata("order_description", "Deuda Enero 2019")
    .request_datetime(datetime!(2020-01-01 05:00:00))
    .due_datetime(datetime!(2020-01-02 04:59:59))
    .expiration_datetime(datetime!(2020-02-01 05:00:00))
    .build()
    .unwrap()
}

pub fn invoice_json(id: &str) -> Value {
    json!({
        "id": id, "object": "invoice", "created": "2020-06-07 23:46:11",
        "currency": "PEN", "amount": 10.0, "status": "paid"
    })
}

pub fn page_json(ids: &[&str], has_more: bool) -> String {
    json!({
        "object": "list",
        "has_more": has_more,
        "data": ids.iter().map(|id| invoice_json(id)).collect::<Vec<_>>(),
    })
    .to_string()
}

pub fn provider_err(e: Error) -> pagos_core::ProviderError {
    match e {
        Error::Provider(p) => *p,
        other => panic!("expected a provider error, got {other:?}"),
    }
}

pub fn unknown_err(e: Error) -> pagos_core::OutcomeUnknown {
    match e {
        Error::OutcomeUnknown(u) => *u,
        other => panic!("expected an outcome-unknown error, got {other:?}"),
    }
}

/// A 200 answer to `E`, as the executor would hand it to `parse`.
pub fn ok<E: pagos_core::Endpoint>(body: &str) -> pagos_core::Response {
    pagos_core::Response::new(pagos_kashio::PROVIDER, E::OPERATION, 200, body.to_string())
}
