//! The control API under `/_sandbox`: act as the payer, move the clock, inject faults,
//! read the request and notification logs, register webhooks, reset.
//!
//! The same operations are methods of [`SandboxHandle`](crate::SandboxHandle); both call
//! the functions here. Answers are JSON; errors are `{"error": "..."}` with 400 (bad
//! request), 404 (unknown provider or record) or 409 (the record's state forbids it).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post, put};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;

use crate::Error;
use crate::config::Provider;
use crate::faults::Fault;
use crate::simulated::{Checkout, simulator, simulators};
use crate::state::{Sandbox, lock};
use crate::wire::{JsonObject, json_response, rfc3339};

/// What the payer (or time) does to a payable record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PayerAction {
    /// Pays it in full (or, for a ComproPago account, deposits the given amount).
    Pay,
    /// Khipu only: the payer started paying (`pending` → `verifying`).
    Verify,
    /// The payer declines (Khipu `rejected-by-payer`).
    Reject,
    /// It expires now.
    Expire,
    /// Khipu PAC only: the payer signs the subscription's bank mandate (→ `ENABLED`).
    Sign,
}

impl PayerAction {
    /// The name used in control-API paths (`pay`, `verify`, `reject`, `expire`).
    pub fn as_str(self) -> &'static str {
        match self {
            PayerAction::Pay => "pay",
            PayerAction::Verify => "verify",
            PayerAction::Reject => "reject",
            PayerAction::Expire => "expire",
            PayerAction::Sign => "sign",
        }
    }

    fn parse(s: &str) -> Option<PayerAction> {
        [
            PayerAction::Pay,
            PayerAction::Verify,
            PayerAction::Reject,
            PayerAction::Expire,
            PayerAction::Sign,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// The record's state after a payer action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ActionOutcome {
    /// The provider.
    pub provider: Provider,
    /// The record's id.
    pub id: String,
    /// Its new status in the provider's words (Khipu: `status/status_detail`).
    pub status: String,
    /// The id of a record the action created: the TelePagos cash-in (for
    /// `GET v2/payment/cashin/{id}`) or the ComproPago account deposit.
    pub created_id: Option<String>,
}

impl ActionOutcome {
    pub(crate) fn new(provider: Provider, id: &str, status: impl Into<String>) -> Self {
        ActionOutcome {
            provider,
            id: id.to_string(),
            status: status.into(),
            created_id: None,
        }
    }
}

/// The sandbox clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClockState {
    /// Sandbox time (RFC 3339, UTC).
    pub now: String,
    /// How far it has been advanced, in seconds.
    pub offset_seconds: u64,
}

/// How many records each provider holds, to check that a retried or faulted call did not
/// create (or debit) something twice. `GET /_sandbox/records` answers it as JSON. Each
/// provider fills in its own fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RecordCounts {
    /// Khipu payments (`POST /payments`).
    pub khipu_payments: usize,
    /// KashIO invoices (`POST /invoices`).
    pub kashio_invoices: usize,
    /// ComproPago orders (`POST /v2/orders`).
    pub compropago_orders: usize,
    /// ComproPago accounts (`POST /v2/createAccount`).
    pub compropago_accounts: usize,
    /// Kashpay orders applied to the balance (`POST /OKPay/createOrder`).
    pub kashpay_orders: usize,
    /// TelePagos cash-outs (`POST v2/payment/cashout`; a repeated `reference_id` is not a
    /// new one).
    pub telepagos_cashouts: usize,
    /// TelePagos QR orders, transfer links and payment links (`.../generate`).
    pub telepagos_payables: usize,
    /// TelePagos cash-ins (credited payments).
    pub telepagos_cashins: usize,
    /// Khipu API 3.0 payments (`POST /v3/payments` and PAC charges).
    pub khipu_v3_payments: usize,
    /// Khipu API 3.0 refunds (`POST /v3/refunds` and `POST /v3/payments/{id}/refunds`).
    pub khipu_v3_refunds: usize,
    /// Khipu PAC subscriptions (`POST /v1/automatic-payment/subscription`).
    pub khipu_pac_subscriptions: usize,
}

impl Sandbox {
    /// Counts every provider's records.
    pub(crate) fn record_counts(&self) -> RecordCounts {
        let store = self.store();
        let mut counts = RecordCounts::default();
        for provider in simulators() {
            provider.count(&store, &mut counts);
        }
        counts
    }

    /// Applies a payer action to a provider's record.
    pub(crate) fn payer_action(
        self: &Arc<Self>,
        provider: Provider,
        id: &str,
        action: PayerAction,
        amount: Option<Decimal>,
    ) -> Result<ActionOutcome, Error> {
        self.update(
            |store| match simulator(provider).act(store, id, action, amount) {
                Ok((outcome, outgoing)) => (Ok(outcome), outgoing),
                Err(e) => (Err(e), Vec::new()),
            },
        )
    }

    /// Moves the clock forward, then applies the expiries that became due.
    pub(crate) fn advance_clock(self: &Arc<Self>, by: Duration) -> ClockState {
        self.update(|store| {
            store.clock.advance(by);
            ((), Vec::new())
        });
        self.clock_state()
    }

    pub(crate) fn clock_state(&self) -> ClockState {
        let store = self.store();
        ClockState {
            now: rfc3339(store.now()),
            offset_seconds: store.clock.offset().as_secs(),
        }
    }

    pub(crate) fn now(&self) -> OffsetDateTime {
        self.store().now()
    }
}

/// Why a control request was refused: `{"error": "..."}` with 400, 404 or 409, or the
/// checkout page's own 404.
#[derive(Debug)]
pub(crate) enum Rejection {
    /// `{"error": "..."}` with this status.
    Json {
        /// 400 (bad request), 404 (unknown provider, record or route) or 409 (the
        /// record's state forbids it).
        status: StatusCode,
        /// What went wrong.
        message: String,
    },
    /// The checkout page of a record that does not exist (HTML).
    NoSuchPage,
}

impl Rejection {
    fn new(status: StatusCode, message: impl std::fmt::Display) -> Self {
        Rejection::Json {
            status,
            message: message.to_string(),
        }
    }

    fn bad_request(message: impl std::fmt::Display) -> Self {
        Rejection::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(message: impl std::fmt::Display) -> Self {
        Rejection::new(StatusCode::NOT_FOUND, message)
    }
}

impl From<Error> for Rejection {
    fn from(error: Error) -> Self {
        let status = match &error {
            Error::NotFound { .. } => StatusCode::NOT_FOUND,
            Error::NotAllowed { .. } => StatusCode::CONFLICT,
            _ => StatusCode::BAD_REQUEST,
        };
        Rejection::new(status, error)
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Rejection::Json { status, message } => {
                json_response(status, &json!({ "error": message }))
            }
            Rejection::NoSuchPage => (
                StatusCode::NOT_FOUND,
                Html("<!DOCTYPE html><title>No encontrado</title><p>No encontrado</p>"),
            )
                .into_response(),
        }
    }
}

impl IntoResponse for Error {
    /// The control API's answer to this error: `{"error": "..."}` with 404
    /// ([`Error::NotFound`]), 409 ([`Error::NotAllowed`]) or 400.
    fn into_response(self) -> Response {
        Rejection::from(self).into_response()
    }
}

/// The provider named in a control path; 404 for an unknown one.
fn provider(name: &str) -> Result<Provider, Rejection> {
    name.parse::<Provider>().map_err(Rejection::not_found)
}

pub(crate) fn router() -> Router<Arc<Sandbox>> {
    Router::new()
        .route(
            "/health",
            get(|| async { json_response(StatusCode::OK, &json!({ "status": "ok" })) }),
        )
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance))
        .route(
            "/faults",
            get(list_faults).post(inject_fault).delete(clear_faults),
        )
        .route("/requests", get(requests).delete(clear_requests))
        .route("/notifications", get(notifications))
        .route("/webhooks", get(webhooks))
        .route(
            "/webhooks/{provider}",
            put(set_webhook).delete(remove_webhook),
        )
        .route("/balances", get(balances))
        .route("/records", get(records))
        .route("/reset", post(reset))
        .route(
            "/checkout/{provider}/{id}",
            get(checkout_page).post(checkout_pay),
        )
        .route("/static/{name}", get(logo))
        .route("/{provider}/{id}/{action}", post(act))
        .fallback(|| async { Rejection::not_found("no such control route") })
}

async fn clock(State(sandbox): State<Arc<Sandbox>>) -> impl IntoResponse {
    json_response(StatusCode::OK, &sandbox.clock_state())
}

async fn advance(
    State(sandbox): State<Arc<Sandbox>>,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = JsonObject::parse(&body).map_err(Rejection::bad_request)?;
    let seconds = object.integer("seconds").ok().flatten().unwrap_or(0);
    let millis = object.integer("millis").ok().flatten().unwrap_or(0);
    if seconds < 0 || millis < 0 || seconds == 0 && millis == 0 {
        return Err(Rejection::bad_request(
            "send {\"seconds\": N} or {\"millis\": N} with N > 0",
        ));
    }
    let by =
        Duration::from_secs(seconds.unsigned_abs()) + Duration::from_millis(millis.unsigned_abs());
    Ok(json_response(StatusCode::OK, &sandbox.advance_clock(by)))
}

async fn list_faults(State(sandbox): State<Arc<Sandbox>>) -> impl IntoResponse {
    json_response(StatusCode::OK, &lock(&sandbox.faults).list())
}

async fn inject_fault(
    State(sandbox): State<Arc<Sandbox>>,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let fault = serde_json::from_slice::<Fault>(&body)
        .map_err(|e| Rejection::bad_request(format!("invalid fault: {e}")))?;
    let id = lock(&sandbox.faults).arm(fault);
    Ok(json_response(StatusCode::CREATED, &json!({ "id": id })))
}

async fn clear_faults(State(sandbox): State<Arc<Sandbox>>) -> impl IntoResponse {
    lock(&sandbox.faults).clear();
    StatusCode::NO_CONTENT
}

async fn requests(State(sandbox): State<Arc<Sandbox>>) -> impl IntoResponse {
    json_response(StatusCode::OK, &lock(&sandbox.log).entries())
}

async fn clear_requests(State(sandbox): State<Arc<Sandbox>>) -> impl IntoResponse {
    lock(&sandbox.log).clear();
    StatusCode::NO_CONTENT
}

async fn notifications(State(sandbox): State<Arc<Sandbox>>) -> impl IntoResponse {
    json_response(StatusCode::OK, &sandbox.deliveries.records())
}

async fn webhooks(State(sandbox): State<Arc<Sandbox>>) -> impl IntoResponse {
    let hooks: serde_json::Map<String, serde_json::Value> = sandbox
        .store()
        .webhooks
        .iter()
        .map(|(p, u)| (p.to_string(), json!(u.as_str())))
        .collect();
    json_response(StatusCode::OK, &hooks)
}

/// A webhook URL as the control API accepts it: absolute, `http` or `https`.
pub(crate) fn webhook_url(text: &str) -> Option<url::Url> {
    url::Url::parse(text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

async fn set_webhook(
    State(sandbox): State<Arc<Sandbox>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let provider = provider(&name)?;
    let url = JsonObject::parse(&body)
        .ok()
        .and_then(|o| o.string("url").ok().flatten())
        .and_then(|u| webhook_url(&u))
        .ok_or_else(|| Rejection::bad_request("send {\"url\": \"http://...\"}"))?;
    sandbox.store().webhooks.insert(provider, url.clone());
    Ok(json_response(
        StatusCode::OK,
        &json!({ "provider": provider, "url": url.as_str() }),
    ))
}

async fn remove_webhook(
    State(sandbox): State<Arc<Sandbox>>,
    Path(name): Path<String>,
) -> Result<impl IntoResponse, Rejection> {
    let provider = provider(&name)?;
    sandbox.store().webhooks.remove(&provider);
    Ok(StatusCode::NO_CONTENT)
}

async fn balances(State(sandbox): State<Arc<Sandbox>>) -> impl IntoResponse {
    let store = sandbox.store();
    let balances: serde_json::Map<String, serde_json::Value> = simulators()
        .filter_map(|p| {
            let balance = p.balance(&store)?;
            let value =
                json!({ "balance": balance.amount.to_string(), "currency": balance.currency });
            Some((p.name().to_string(), value))
        })
        .collect();
    json_response(StatusCode::OK, &balances)
}

async fn records(State(sandbox): State<Arc<Sandbox>>) -> impl IntoResponse {
    json_response(StatusCode::OK, &sandbox.record_counts())
}

async fn reset(State(sandbox): State<Arc<Sandbox>>) -> impl IntoResponse {
    sandbox.reset();
    json_response(StatusCode::OK, &json!({ "status": "reset" }))
}

async fn act(
    State(sandbox): State<Arc<Sandbox>>,
    Path((name, id, action)): Path<(String, String, String)>,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let provider = provider(&name)?;
    let action = PayerAction::parse(&action).ok_or_else(|| {
        Rejection::not_found(format!(
            "unknown action {action:?} (pay, verify, reject, expire, sign)"
        ))
    })?;
    let amount = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        JsonObject::parse(&body)
            .map_err(|e| e.to_string())
            .and_then(|o| o.decimal("amount").map_err(|e| e.message))
            .map_err(Rejection::bad_request)?
    };
    let outcome = sandbox.payer_action(provider, &id, action, amount)?;
    Ok(json_response(StatusCode::OK, &outcome))
}

// ---------------------------------------------------------------------------------------
// A minimal payer page, so `payment_url`-style links open something in a browser.

/// A placeholder logo, so the `logo_url`s in answers point at something real.
async fn logo(Path(name): Path<String>) -> impl IntoResponse {
    let label = escape(name.trim_end_matches(".svg"));
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"40\">\
         <rect width=\"160\" height=\"40\" fill=\"#eee\"/>\
         <text x=\"8\" y=\"25\" font-size=\"12\">{label}</text></svg>"
    );
    ([(header::CONTENT_TYPE, "image/svg+xml")], svg)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The payer page of a record, from its provider's
/// [`SimulatedProvider::checkout`](crate::simulated::SimulatedProvider::checkout).
fn page(
    sandbox: &Sandbox,
    provider: Provider,
    id: &str,
    note: &str,
) -> Result<Response, Rejection> {
    let checkout = simulator(provider).checkout(&sandbox.store(), id);
    let Checkout {
        title,
        amount,
        status,
    } = checkout.ok_or(Rejection::NoSuchPage)?;
    let (title, amount, status, id, note) = (
        escape(&title),
        escape(&amount),
        escape(&status),
        escape(id),
        escape(note),
    );
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>pagos sandbox: {provider} {id}</title></head>\
         <body><h1>{title}</h1><p>{provider} <code>{id}</code>: <strong>{amount}</strong></p>\
         <p>Estado: <code>{status}</code></p><p>{note}</p>\
         <form method=\"post\"><button type=\"submit\">Pagar</button></form></body></html>"
    );
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

async fn checkout_page(
    State(sandbox): State<Arc<Sandbox>>,
    Path((name, id)): Path<(String, String)>,
    Query(_query): Query<std::collections::BTreeMap<String, String>>,
) -> Result<impl IntoResponse, Rejection> {
    page(&sandbox, provider(&name)?, &id, "")
}

async fn checkout_pay(
    State(sandbox): State<Arc<Sandbox>>,
    Path((name, id)): Path<(String, String)>,
) -> Result<impl IntoResponse, Rejection> {
    let provider = provider(&name)?;
    let note = match sandbox.payer_action(provider, &id, PayerAction::Pay, None) {
        Ok(_) => "Pago realizado.".to_string(),
        Err(e) => e.to_string(),
    };
    page(&sandbox, provider, &id, &note)
}
