//! Helpers for wire tests: describe a request, compare it with the provider's
//! documentation, decode a documented answer — no socket.

use std::time::Duration;

use pagos_core::transport::Request;
use pagos_core::{Currency, Decimal, Money, Response, RetryPolicy, Transport};

/// A transport for tests: three attempts, millisecond backoff (retries never make a
/// test wait), a five-second timeout.
///
/// # Panics
/// If the transport cannot be built (never with these settings).
pub fn transport() -> Transport {
    Transport::builder()
        .retry(
            RetryPolicy::attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
        )
        .timeout(Duration::from_secs(5))
        .build()
        .expect("a test transport")
}

/// `Money` from its text, e.g. `money("10.50", Currency::Mxn)`.
///
/// # Panics
/// If the text is not an amount the currency can hold.
pub fn money(amount: &str, currency: Currency) -> Money {
    Money::parse(amount, currency).expect("a valid amount")
}

/// A `Decimal` from its text.
///
/// # Panics
/// If the text is not a decimal.
pub fn dec(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

/// A 200 answer of `provider` to `operation` with `body` (a fixture).
pub fn ok(provider: &'static str, operation: &'static str, body: &str) -> Response {
    Response::new(provider, operation, 200, body.as_bytes().to_vec())
}

/// An answer with any status.
pub fn answer(
    provider: &'static str,
    operation: &'static str,
    status: u16,
    body: &str,
) -> Response {
    Response::new(provider, operation, status, body.as_bytes().to_vec())
}

/// The request's body as text.
///
/// # Panics
/// If the body is not UTF-8.
pub fn body_text(request: &Request) -> &str {
    std::str::from_utf8(request.body_bytes()).expect("a UTF-8 body")
}

/// The request's JSON body.
///
/// # Panics
/// If the body is not JSON.
pub fn json_body(request: &Request) -> serde_json::Value {
    serde_json::from_slice(request.body_bytes()).expect("a JSON body")
}

/// The request's query pairs, decoded, in order.
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request
        .url()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The request's form body pairs, decoded, in order.
pub fn form_pairs(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(request.body_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}
