//! What the wire tests share: the API document's fixtures, the seed invoice, and a
//! client whose transport answers from a closure and records every attempt (the
//! shared in-memory [`Recorder`](pagos_test_support::wire::Recorder)), so that tests
//! about sending (retries, laziness, nothing sent) need no socket.

#![allow(dead_code)] // each test binary uses a part

use pagos_core::transport::Request;
use pagos_core::{Currency, Error, Money};
use pagos_kashio::{Customer, KashioClient, NewInvoice};
use pagos_test_support::wire::{Log, money, scripted, transport_with};
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
    money(amount, Currency::Pen)
}

/// A client at the default base URL that never sends: for described requests.
pub fn client() -> KashioClient {
    KashioClient::builder().secret_key(KEY).build().unwrap()
}

/// A client whose every attempt is answered by `answer` and recorded in the [`Log`].
pub fn fake_client(
    answer: impl Fn(&Request) -> (u16, String) + Send + Sync + 'static,
) -> (KashioClient, Log) {
    let sender = scripted(move |request, _| answer(request));
    let log = sender.log().clone();
    let client = KashioClient::builder()
        .secret_key(KEY)
        .transport(transport_with(sender))
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
    pagos_test_support::wire::ok(pagos_kashio::PROVIDER, E::OPERATION, body)
}
