//! What every wire test shares: the fixtures, an independent implementation of
//! Khipu's signature, and clients, one of them sending to the shared socket-free
//! [`Recorder`] (`pagos_test_support::wire`), which answers by route and records what
//! it was sent.

use hmac::{Hmac, Mac};
use pagos_core::{Currency, Endpoint, Error, Money, ProviderError, Request, Response};
use pagos_khipu::{KhipuClient, PROVIDER};
pub use pagos_test_support::wire::{Recorder, transport, transport_with};
use sha2::Sha256;

pub const RECEIVER: &str = "985101";
pub const SECRET: &str = "abc123";
/// The base URL of the socket-free clients (nothing is sent there).
pub const BASE: &str = "https://khipu.com/api/2.0";
/// Its path, and the path of the httpmock tests' base URL.
pub const PREFIX: &str = "/api/2.0";
pub const FORM: &str = "application/x-www-form-urlencoded";
pub const JSON: &str = "application/json";

// The fixtures end with a newline; a `Raw` answer is the JSON value, without the
// white space around it.
pub const PAYMENT_CREATE: &str = include_str!("../fixtures/payment_create.json");
pub const PAYMENT_DONE: &str = include_str!("../fixtures/payment_done.json");
pub const PAYMENT_PENDING: &str = include_str!("../fixtures/payment_pending.json");
pub const BANKS: &str = include_str!("../fixtures/banks.json");
pub const RECEIVER_CREATE: &str = include_str!("../fixtures/receiver_create.json");
pub const SUCCESS: &str = include_str!("../fixtures/success.json");
pub const PAYMENT_METHODS: &str = include_str!("../fixtures/payment_methods.json");
pub const ERROR_400: &str = include_str!("../fixtures/error_400.json");
pub const ERROR_403: &str = include_str!("../fixtures/error_403.json");
pub const ERROR_503: &str = include_str!("../fixtures/error_503.json");

// ---------------------------------------------------------------------------------
// An independent implementation of Khipu's signing algorithm (as in its official
// clients), written from the description and not sharing code with the crate.

fn ref_pct(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `Authorization` for `method url` with `params`, signed as [`RECEIVER`] with
/// [`SECRET`].
pub fn ref_authorization(method: &str, url: &str, params: &[(&str, &str)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut to_sign = format!("{}&{}", method.to_uppercase(), ref_pct(url));
    for (k, v) in sorted {
        to_sign.push_str(&format!("&{}={}", ref_pct(k), ref_pct(v)));
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(to_sign.as_bytes());
    format!("{RECEIVER}:{}", hex::encode(mac.finalize().into_bytes()))
}

/// `BASE + path`.
pub fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

// ---------------------------------------------------------------------------------
// Clients.

/// A client for [`BASE`] with the default transport: for describing requests.
pub fn client() -> KhipuClient {
    KhipuClient::builder()
        .receiver_id(RECEIVER)
        .secret(SECRET)
        .base_url(BASE)
        .unwrap()
        .build()
        .unwrap()
}

/// A client whose every attempt goes to a [`Recorder`] instead of a socket; its routes
/// are paths under [`PREFIX`] (404 for any other).
pub fn fake_client() -> (KhipuClient, Recorder) {
    let fake = Recorder::new().under(PREFIX);
    let client = KhipuClient::builder()
        .receiver_id(RECEIVER)
        .secret(SECRET)
        .base_url(BASE)
        .unwrap()
        .transport(transport_with(fake.clone()))
        .build()
        .unwrap();
    (client, fake)
}

/// The request `endpoint` describes, signed, exactly as the client would send it.
pub async fn signed<E: Endpoint>(client: &KhipuClient, endpoint: &E) -> Request {
    client.executor().authorized(endpoint).await.unwrap()
}

/// A header's value.
pub fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    request
        .header_str(name)
        .unwrap_or_else(|| panic!("no {name} header in {request:?}"))
}

/// Asserts the headers every signed Khipu request carries.
pub fn assert_khipu_headers(request: &Request, authorization: &str) {
    assert_eq!(header(request, "content-type"), FORM);
    assert_eq!(header(request, "accept"), JSON);
    assert_eq!(header(request, "authorization"), authorization);
    assert!(request.headers()["authorization"].is_sensitive());
}

/// A 2xx answer to `E`, as the executor would hand it to [`Endpoint::parse`].
pub fn answer<E: Endpoint>(status: u16, body: &str) -> Response {
    pagos_test_support::wire::answer(PROVIDER, E::OPERATION, status, body)
}

/// `E`'s parse of a 200 answer with `body`.
pub fn parse<E: Endpoint>(endpoint: &E, body: &str) -> E::Output {
    endpoint.parse(&answer::<E>(200, body)).unwrap()
}

/// The error a refusal with `status` and `body` to `E` becomes, through the crate's
/// refusal hook and [`Response::refusal`].
pub fn refused<E: Endpoint>(status: u16, body: &str) -> Error {
    let response = answer::<E>(status, body).with_idempotency(E::IDEMPOTENCY);
    let refusal = pagos_khipu::error::refusal(&response).expect("a non-2xx is a refusal");
    response.refusal(refusal)
}

pub fn provider_error(e: Error) -> ProviderError {
    match e {
        Error::Provider(p) => *p,
        other => panic!("expected a provider error, got {other:?}"),
    }
}

pub fn clp(s: &str) -> Money {
    pagos_test_support::wire::money(s, Currency::Clp)
}
