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
//! [`Recorder`], the shared in-memory [`HttpSend`](pagos_core::transport::HttpSend)
//! (`pagos_test_support::wire`) that answers from a script and records every attempt.

mod accounts;
mod clabes;
mod errors;
mod orders;
mod provider;
mod raw;
mod secrets;
mod smoke;
mod validation;
mod verify_notification;
mod webhooks;

use pagos_compropago::{Client, CreateOrder, Customer, PROVIDER, Product};
use pagos_core::{Currency, Endpoint, Money};
pub use pagos_test_support::wire::{Recorder, body_text, dec, transport};
use pagos_test_support::wire::{money, ok, transport_with};
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

fn builder(base: &str) -> pagos_compropago::ClientBuilder {
    Client::builder()
        .private_key(SK)
        .public_key(PK)
        .base_url(base)
        .unwrap()
}

/// A client for describing requests (its transport would send, but is never used).
pub fn client() -> Client {
    builder(BASE).transport(transport()).build().unwrap()
}

/// A client whose every attempt goes to `script`.
pub fn scripted(script: &Recorder) -> Client {
    builder(BASE)
        .transport(transport_with(script.clone()))
        .build()
        .unwrap()
}

/// `endpoint`'s reading of an HTTP 200 answer with `body`.
pub fn parse<E: Endpoint>(endpoint: &E, body: impl Into<String>) -> pagos_core::Result<E::Output> {
    endpoint.parse(&ok(PROVIDER, E::OPERATION, &body.into()))
}

pub fn mxn(s: &str) -> Money {
    money(s, Currency::Mxn)
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
