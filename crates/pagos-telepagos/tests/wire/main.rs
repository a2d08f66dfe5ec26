//! Wire tests of the TelePagos client, by resource.
//!
//! Most tests need no socket: a request is checked as the executor would send it
//! ([`Executor::authorized`](pagos_core::Executor::authorized): method, path, query,
//! headers with the bearer token, body bytes), an answer of the API document is read
//! with the endpoint's `parse`, and a refusal with [`error::refusal`] +
//! [`Response::refusal`]. Where the client itself is under test (the unified
//! [`PaymentProvider`](pagos_core::PaymentProvider) values, streams, "nothing is
//! sent"), it sends through [`Script`]: a client on the shared in-memory sender
//! (`pagos_test_support::wire::Recorder`), which answers from a script and keeps every
//! request.
//!
//! httpmock serves only what is about real sending: the token session
//! ([`session`]), retries ([`retries`]) and one end-to-end smoke test ([`smoke`]).

mod account;
mod auth;
mod cashins;
mod cashouts;
mod errors;
mod provider;
mod raw;
mod retries;
mod sale_points;
mod session;
mod smoke;
mod statistics;

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::Request;
use pagos_core::{Currency, Error, Money, Response, UnknownCause};
use pagos_telepagos::{
    Client, GetParams, GetParamsPolicy, PROVIDER, TelepagosClientBuilder as ClientBuilder, error,
};
use pagos_test_support::wire::{Recorder, money, ok, transport_with};
pub use pagos_test_support::wire::{body_text, transport};

pub const USERNAME: &str = "api-user";
pub const PASSWORD: &str = "api-pass-s3cr3t";
pub const TOKEN: &str = "tok-123";
pub const BEARER: &str = "Bearer tok-123";
pub const CVU: &str = "2850590940090418135201";
pub const CUIT: &str = "20267565393";
pub const JSON: &str = "application/json";

// The fixtures are the API document's examples. A `Raw` holds the JSON value exactly
// as sent; the files' final newline surrounds the value and is not part of it, hence
// the `trim()` where a raw answer is compared with a whole file.
pub const AUTH_TOKEN: &str = include_str!("../fixtures/auth_token.json");
pub const ERROR: &str = include_str!("../fixtures/error.json");
pub const CONCEPTS: &str = include_str!("../fixtures/concepts.json");
pub const BALANCE: &str = include_str!("../fixtures/balance.json");
pub const CASHOUT: &str = include_str!("../fixtures/cashout.json");
pub const CASHOUT_VOUCHER: &str = include_str!("../fixtures/cashout_voucher.json");
pub const CASHIN: &str = include_str!("../fixtures/cashin.json");
pub const CASHIN_BUYER_OBJECT: &str = include_str!("../fixtures/cashin_buyer_object.json");
pub const CASHIN_BUYER_MEMBERS: &str = include_str!("../fixtures/cashin_buyer_members.json");
pub const QR_GENERATE: &str = include_str!("../fixtures/qr_generate.json");
pub const TRANSFER_GENERATE: &str = include_str!("../fixtures/transfer_generate.json");
pub const STATISTICS: &str = include_str!("../fixtures/statistics.json");
pub const LINK_GENERATE: &str = include_str!("../fixtures/link_generate.json");
pub const SALE_POINTS: &str = include_str!("../fixtures/sale_points.json");
pub const SALE_POINT_STATIC: &str = include_str!("../fixtures/sale_point_static.json");
pub const SALE_POINT_CREATE: &str = include_str!("../fixtures/sale_point_create.json");
pub const SALE_POINT_DELETE: &str = include_str!("../fixtures/sale_point_delete.json");
pub const STATIC_ORDER: &str = include_str!("../fixtures/static_order.json");
pub const TRANSACTIONS_PAGE1: &str = include_str!("../fixtures/transactions_page1.json");
pub const TRANSACTIONS_PAGE2: &str = include_str!("../fixtures/transactions_page2.json");
pub const TRANSACTIONS_FILTERS: &str = include_str!("../fixtures/transactions_filters.json");

/// The homologation host of the offline client: nothing is ever sent there.
pub const OFFLINE_BASE: &str = "https://api.homo.telepagos.com.ar";

pub fn ars(s: &str) -> Money {
    money(s, Currency::Ars)
}

// ---------------------------------------------------------------- the in-memory sender

/// A client that sends through an in-memory script instead of a socket, and the
/// requests it sent. The token endpoint answers [`AUTH_TOKEN`].
#[derive(Debug)]
pub struct Script {
    pub client: Client,
    sender: Recorder,
}

impl Default for Script {
    fn default() -> Self {
        Script::new()
    }
}

impl Script {
    pub fn new() -> Script {
        Script::with(|b| b)
    }

    /// A script whose client sends every parameterized `GET` as query parameters
    /// (so that the script can route pages by query).
    pub fn query_params() -> Script {
        Script::with(|b| b.get_params(GetParamsPolicy::all(GetParams::Query)))
    }

    /// A script whose client is built with `configure` applied to the builder.
    pub fn with(configure: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Script {
        // Its `Debug` shows no answer: they hold the token the secrets test looks for.
        let sender = Recorder::new().under("/v2/");
        let builder = Client::builder()
            .username(USERNAME)
            .password(PASSWORD)
            .base_url(OFFLINE_BASE)
            .unwrap()
            .transport(transport_with(sender.clone()));
        let client = configure(builder).build().unwrap();
        let script = Script { client, sender };
        script.answer("POST", "auth/token", 200, AUTH_TOKEN);
        script
    }

    /// `method v2/{target}` answers `status` and `body` (after the answers scripted
    /// before for it; the last one repeats). `target` may end with `?query` to match
    /// only that query; a route for the very query wins over one for the path.
    pub fn answer(&self, method: &str, target: &str, status: u16, body: &str) -> &Script {
        self.sender.route(method, target, status, body);
        self
    }

    /// Every request sent, the token requests included.
    pub fn sent(&self) -> Vec<Request> {
        self.sender.requests()
    }

    /// The requests sent to `method v2/{path}` (any query).
    pub fn sent_to(&self, method: &str, path: &str) -> Vec<Request> {
        self.sender.sent_to(method, path)
    }
}

/// `endpoint`'s request exactly as the client would send it, bearer token included
/// (the token comes from the script, no socket).
pub async fn authorized<E: Endpoint>(endpoint: &E) -> Request {
    Script::new()
        .client
        .executor()
        .authorized(endpoint)
        .await
        .unwrap()
}

/// Asserts a `GET` with the bearer token and no body.
pub fn assert_get(request: &Request, path: &str) {
    assert_eq!(request.method().as_str(), "GET", "{request:?}");
    assert_eq!(request.url().path(), format!("/v2/{path}"));
    assert_eq!(request.header_str("authorization"), Some(BEARER));
    assert_eq!(request.header_str("content-type"), None);
    assert!(request.body_bytes().is_empty(), "{request:?}");
}

/// Asserts a `GET` with the bearer token, no query and exactly this JSON body (the
/// documented shape of a parameterized `GET`).
pub fn assert_get_with_body(request: &Request, path: &str, body: &str) {
    assert_json(request, "GET", path, body);
}

/// Asserts a JSON request with the bearer token and exactly this body.
pub fn assert_json(request: &Request, method: &str, path: &str, body: &str) {
    assert_eq!(request.method().as_str(), method, "{request:?}");
    assert_eq!(request.url().path(), format!("/v2/{path}"));
    assert_eq!(request.url().query(), None);
    assert_eq!(request.header_str("authorization"), Some(BEARER));
    assert_eq!(request.header_str("content-type"), Some(JSON));
    assert_eq!(body_text(request), body, "{request:?}");
}

/// `endpoint` reading a 200 answer with `body`.
pub fn parse<E: Endpoint>(endpoint: &E, body: &str) -> pagos_core::Result<E::Output> {
    endpoint.parse(&ok(PROVIDER, E::OPERATION, body))
}

/// The error the client returns for this answer to `operation`, through the refusal
/// hook (`None` when the answer is no refusal).
pub fn refused(response: &Response) -> Option<Error> {
    error::refusal(response).map(|p| response.refusal(p))
}

pub fn provider_error(e: Error) -> pagos_core::ProviderError {
    match e {
        Error::Provider(p) => *p,
        other => panic!("expected a provider error, got {other:?}"),
    }
}

/// A 5xx to a state-changing call: TelePagos may have acted, so the outcome is unknown.
pub fn server_failure(e: Error) -> pagos_core::OutcomeUnknown {
    match e {
        Error::OutcomeUnknown(u) if u.cause == UnknownCause::ServerError => *u,
        other => panic!("expected an unknown outcome after a 5xx, got {other:?}"),
    }
}

pub fn validation_field(e: Error) -> String {
    match e {
        Error::Validation(v) => v.field().to_string(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

// ---------------------------------------------------------------- httpmock

pub mod mock {
    //! httpmock helpers, for the tests about real sending.

    use httpmock::prelude::*;
    use httpmock::{HttpMockRequest, Mock};

    use super::*;

    pub fn client(server: &MockServer) -> Client {
        Client::builder()
            .username(USERNAME)
            .password(PASSWORD)
            .base_url(server.url("/telepagos"))
            .unwrap()
            .transport(transport())
            .build()
            .unwrap()
    }

    pub fn path(p: &str) -> String {
        format!("/telepagos/v2/{p}")
    }

    /// `POST v2/auth/token` answering the fixture token.
    pub async fn auth(server: &MockServer) -> Mock<'_> {
        auth_answering(server, 200, AUTH_TOKEN).await
    }

    pub async fn auth_answering<'a>(server: &'a MockServer, status: u16, body: &str) -> Mock<'a> {
        let body = body.to_string();
        server
            .mock_async(|when, then| {
                when.method(POST)
                    .path(path("auth/token"))
                    .header("content-type", JSON)
                    .header_missing("authorization")
                    .body(format!(
                        r#"{{"username":"{USERNAME}","password":"{PASSWORD}"}}"#
                    ));
                then.status(status).header("content-type", JSON).body(body);
            })
            .await
    }

    /// A `GET` with the bearer token and no body.
    pub async fn get<'a>(server: &'a MockServer, p: &str, status: u16, body: &str) -> Mock<'a> {
        let (p, body) = (path(p), body.to_string());
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path(p)
                    .header("authorization", BEARER)
                    .header_missing("content-type")
                    .is_true(|req: &HttpMockRequest| req.body_ref().is_empty());
                then.status(status).header("content-type", JSON).body(body);
            })
            .await
    }

    /// A JSON request with the bearer token and exactly this body.
    pub async fn with_body<'a>(
        server: &'a MockServer,
        method: Method,
        p: &str,
        request: &str,
        status: u16,
        answer: &str,
    ) -> Mock<'a> {
        let (p, request, answer) = (path(p), request.to_string(), answer.to_string());
        server
            .mock_async(|when, then| {
                when.method(method)
                    .path(p)
                    .header("authorization", BEARER)
                    .header("content-type", JSON)
                    .body(request);
                then.status(status)
                    .header("content-type", JSON)
                    .body(answer);
            })
            .await
    }
}
