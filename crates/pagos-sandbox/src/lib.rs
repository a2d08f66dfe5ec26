//! A stateful, offline simulator of five payment APIs — Khipu, KashIO, ComproPago,
//! Kashpay and TelePagos — for tests and for `pagos demo`.
//!
//! It is an independent implementation of each provider's wire protocol (paths, bodies,
//! authentication, error envelopes, life cycles), written from the provider documents and
//! not from the SDK, so a misunderstanding cannot hide in both.
//!
//! # Base URLs
//!
//! One server on `127.0.0.1` serves every provider under its own prefix; pointing a
//! client's base URL at the prefix is all it takes:
//!
//! | provider | base URL | auth |
//! |---|---|---|
//! | Khipu 2.0 | `http://127.0.0.1:PORT/khipu/api/2.0` | `Authorization: <receiver_id>:<HMAC-SHA256 hex>` |
//! | KashIO | `http://127.0.0.1:PORT/kashio/v1/payments` | Basic `sk:` |
//! | ComproPago | `http://127.0.0.1:PORT/compropago` (paths `/v2/...`) | Basic `sk:pk` |
//! | Kashpay | `http://127.0.0.1:PORT/kashpay` (authentication and orders) | Bearer JWT + `Entity-i` |
//! | TelePagos | `http://127.0.0.1:PORT/telepagos` (paths `/v2/...`) | Bearer token |
//! | Khipu 3.0 and PAC | `http://127.0.0.1:PORT/khipu_v3` (paths `/v3/...`, `/v1/automatic-payment/...`, as on `payment-api.khipu.com`) | `x-api-key` |
//!
//! Accepted credentials are [`Credentials`] (environment variables or sandbox defaults).
//!
//! # Control API
//!
//! Under `/_sandbox` (JSON; errors are `{"error":"..."}` with 400, 404 or 409), mirrored by
//! [`SandboxHandle`] methods. Control requests are neither faulted nor logged.
//!
//! | request | body | answer |
//! |---|---|---|
//! | `POST /_sandbox/{provider}/{id}/{action}` | none, or `{"amount":"250.50"}` | [`ActionOutcome`]: `{"provider","id","status","created_id"}` |
//! | `GET /_sandbox/clock` | | [`ClockState`]: `{"now":"2030-01-15T12:00:00Z","offset_seconds":0}` |
//! | `POST /_sandbox/clock/advance` | `{"seconds":N}` and/or `{"millis":N}` | [`ClockState`] |
//! | `POST /_sandbox/faults` | [`Fault`]: `{"kind":{"type":"status","status":503},"provider":"khipu","route":"/payments","method":"POST","times":1}` (every kind's shape: [`FaultKind`]) | 201 `{"id":N}` |
//! | `GET /_sandbox/faults` / `DELETE` | | a list of [`ArmedFault`] / 204 |
//! | `GET /_sandbox/requests` / `DELETE` | | a list of [`RequestLogEntry`] `{"seq","at","provider","method","path","status","fault"}` / 204 |
//! | `GET /_sandbox/notifications` | | a list of [`NotificationRecord`] `{"id","provider","url","content_type","body","state","attempts":[{"number","at","status","error"}]}` |
//! | `GET /_sandbox/webhooks` | | `{"compropago":"http://..."}` |
//! | `PUT /_sandbox/webhooks/{provider}` / `DELETE` | `{"url":"http://..."}` | `{"provider","url"}` / 204 |
//! | `GET /_sandbox/balances` | | `{"kashpay":{"balance":"10000.00","currency":"MXN"},"telepagos":{...}}` |
//! | `GET /_sandbox/records` | | [`RecordCounts`]: `{"khipu_payments":0,"kashio_invoices":0,...}` |
//! | `POST /_sandbox/reset` | | `{"status":"reset"}` |
//! | `GET /_sandbox/health` | | `{"status":"ok"}` |
//! | `GET`/`POST /_sandbox/checkout/{provider}/{id}` | | an HTML payer page (the `payment_url` of Khipu payments and TelePagos links); `POST` pays |
//!
//! Payer actions (`pay`, `verify`, `reject`, `expire`) by provider:
//!
//! | provider | id | actions |
//! |---|---|---|
//! | `khipu` | `payment_id` | `verify` (→ verifying), `pay` (→ done, sends the `notify_url` notification), `reject` (`rejected-by-payer`), `expire` |
//! | `kashio` | invoice `id` | `pay` (→ `PAID`, event `invoice.paid`), `expire` (→ `EXPIRED`, event `invoice.expired`) |
//! | `compropago` | order `id` / account `id` | order: `pay` (→ `ACCEPTED`), `expire` (→ `EXPIRED`), both POST the webhook; account: `pay` with an amount (a deposit) |
//! | `telepagos` | `qr_order_id`, `link_id`, or the last segment of a transfer `payment_link` | `pay` (credits the balance, creates a cash-in whose id is `created_id`), `expire` |
//! | `kashpay` | | none: orders are applied when created |
//! | `khipu_v3` | `payment_id` (3.0 payments and PAC charges) / `subscription_id` | payment: as `khipu`, and `reject` also POSTs a charge's `error_response_url`; subscription: `sign` (or `pay`, the checkout page's button) → `ENABLED`, `reject` → `DISCARDED`, both POST its `notify_url` |
//!
//! Notifications: Khipu POSTs `api_version=1.3&notification_token=...` (form) to the
//! payment's `notify_url`; ComproPago POSTs the order JSON and KashIO the event JSON to the
//! webhook registered for them ([`SandboxConfigBuilder::webhook`] or
//! `PUT /_sandbox/webhooks/{provider}`). Khipu 3.0 POSTs the payment JSON to its
//! `notify_url` (`/` escaped as `\/`, as Khipu does) with
//! `x-khipu-signature: t=<unix ms>,s=<base64 HMAC-SHA256(merchant secret, t + "." + body)>`
//! ([`khipu_v3_signature`]); PAC callbacks are unsigned JSON. Failed deliveries are
//! retried per [`DeliveryPolicy`] (Khipu 3.0: until an HTTP 200). The `notify_*`
//! [`FaultKind`]s sign a webhook with a wrong key, deliver it twice or delay it.
//!
//! # Example
//!
//! ```no_run
//! use pagos_sandbox::{Fault, FaultKind, Provider, SandboxConfig};
//!
//! # async fn example() -> Result<(), pagos_sandbox::Error> {
//! let sandbox = pagos_sandbox::start(SandboxConfig::builder().seed(7).build()).await?;
//! let base = sandbox.khipu_base_url(); // http://127.0.0.1:PORT/khipu/api/2.0
//! // ... create a payment with the SDK pointed at `base`, then pay it as the payer:
//! # let payment_id = String::new();
//! sandbox.pay(Provider::Khipu, &payment_id)?;
//! // The next ComproPago request gets a 503 with ComproPago's error envelope.
//! sandbox.inject_fault(Fault::new(FaultKind::Status { status: 503 }).provider(Provider::ComproPago));
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]

pub mod compropago;
mod config;
mod control;
mod faults;
pub mod kashio;
pub mod kashpay;
pub mod khipu;
mod khipu_v3;
mod notify;
mod simulated;
mod state;
pub mod telepagos;
mod wire;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use rust_decimal::Decimal;
use serde::Serialize;
use time::OffsetDateTime;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use url::Url;

pub use config::{
    ClockStart, Credentials, DeliveryPolicy, Provider, SandboxConfig, SandboxConfigBuilder,
    UnknownProvider,
};
pub use control::{ActionOutcome, ClockState, PayerAction, RecordCounts};
pub use faults::{ArmedFault, Fault, FaultKind, RequestLogEntry};
pub use khipu::khipu_signature;
pub use khipu_v3::khipu_v3_signature;
pub use notify::{DeliveryAttempt, DeliveryState, NotificationRecord};
pub use simulated::Balance;

use simulated::{simulator, simulators};
use state::{Sandbox, lock};

/// The variable that selects Khipu API 3.0 in the SDK.
const KHIPU_API_KEY_VAR: &str = "PAGOS_KHIPU_API_KEY";
/// Its line in [`Credentials::to_env_lines`].
const KHIPU_API_KEY_PREFIX: &str = "PAGOS_KHIPU_API_KEY=";

/// What can go wrong starting the sandbox or driving it through the handle.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The requested port.
        port: u16,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Another I/O failure (reading the bound address, waiting for Ctrl-C).
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// No such record.
    #[error("{provider} has no record {id:?}")]
    NotFound {
        /// The provider.
        provider: Provider,
        /// The id asked for.
        id: String,
    },
    /// The record's state forbids the action (already paid, expired, ...).
    #[error("{provider} {id}: {message}")]
    NotAllowed {
        /// The provider.
        provider: Provider,
        /// The record's id.
        id: String,
        /// Why.
        message: String,
    },
    /// The provider has no such payer action.
    #[error("{provider} does not support the payer action {action:?}")]
    Unsupported {
        /// The provider.
        provider: Provider,
        /// The action asked for.
        action: String,
    },
    /// The action's input is invalid (e.g. a deposit without an amount).
    #[error("{0}")]
    Invalid(String),
}

/// Every provider's base URL on a running sandbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BaseUrls {
    /// `http://127.0.0.1:PORT/khipu/api/2.0`
    pub khipu: String,
    /// `http://127.0.0.1:PORT/kashio/v1/payments`
    pub kashio: String,
    /// `http://127.0.0.1:PORT/compropago`
    pub compropago: String,
    /// `http://127.0.0.1:PORT/kashpay` (both the authentication and the orders base)
    pub kashpay: String,
    /// `http://127.0.0.1:PORT/telepagos`
    pub telepagos: String,
    /// `http://127.0.0.1:PORT/khipu_v3` (Khipu API 3.0 and PAC, as Khipu's host)
    pub khipu_v3: String,
}

/// A running sandbox. Dropping it stops the server (gracefully, in the background);
/// [`SandboxHandle::shutdown`] stops it and waits.
#[derive(Debug)]
pub struct SandboxHandle {
    sandbox: Arc<Sandbox>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

/// Starts the sandbox on `127.0.0.1` in the current Tokio runtime.
///
/// # Errors
/// [`Error::Bind`] when the port cannot be bound.
pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, Error> {
    let port = config.port;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|source| Error::Bind { port, source })?;
    let addr = listener.local_addr()?;
    let sandbox = Sandbox::new(
        config,
        format!("http://{addr}"),
        tokio::runtime::Handle::current(),
    );
    let app = app(Arc::clone(&sandbox));
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        if let Err(e) = serve.await {
            tracing::error!(error = %e, "pagos sandbox server failed");
        }
    });
    tracing::info!(%addr, "pagos sandbox listening");
    Ok(SandboxHandle {
        sandbox,
        addr,
        stop: Some(stop),
        server: Some(server),
    })
}

/// Serves in the foreground until Ctrl-C (for `pagos sandbox --port N`), after printing
/// the base URLs and the accepted credentials to standard output.
///
/// # Errors
/// [`Error::Bind`] when the port cannot be bound; [`Error::Io`] when Ctrl-C cannot be
/// awaited.
pub async fn run(config: SandboxConfig) -> Result<(), Error> {
    let handle = start(config).await?;
    println!("{}", handle.summary());
    let waited = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
    waited.map_err(Error::Io)
}

fn app(sandbox: Arc<Sandbox>) -> Router {
    let providers = simulators().fold(Router::new(), |app, p| app.nest(p.base_path(), p.router()));
    let prefixes: Vec<&str> = simulators().map(|p| p.base_path()).collect();
    let not_found = serde_json::json!({
        "error": format!("not a sandbox path; providers live under {}", prefixes.join(", "))
    });
    providers
        // Only the provider routes above are faulted and logged, not the control API.
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&sandbox),
            faults::observe,
        ))
        .nest("/_sandbox", control::router())
        .fallback(move || {
            let body = not_found.clone();
            async move { wire::json_response(StatusCode::NOT_FOUND, &body) }
        })
        .with_state(sandbox)
}

impl SandboxHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> &str {
        &self.sandbox.origin
    }

    /// `http://127.0.0.1:PORT/_sandbox`, the control API.
    pub fn control_url(&self) -> String {
        format!("{}/_sandbox", self.sandbox.origin)
    }

    /// A provider's base URL (what to configure as the client's base URL).
    pub fn base_url(&self, provider: Provider) -> String {
        format!("{}{}", self.sandbox.origin, provider.base_path())
    }

    /// Every provider's base URL.
    pub fn base_urls(&self) -> BaseUrls {
        BaseUrls {
            khipu: self.khipu_base_url(),
            kashio: self.kashio_base_url(),
            compropago: self.compropago_base_url(),
            kashpay: self.kashpay_base_url(),
            telepagos: self.telepagos_base_url(),
            khipu_v3: self.khipu_v3_base_url(),
        }
    }

    /// `http://127.0.0.1:PORT/khipu/api/2.0`
    pub fn khipu_base_url(&self) -> String {
        self.base_url(Provider::Khipu)
    }

    /// `http://127.0.0.1:PORT/kashio/v1/payments`
    pub fn kashio_base_url(&self) -> String {
        self.base_url(Provider::Kashio)
    }

    /// `http://127.0.0.1:PORT/compropago`
    pub fn compropago_base_url(&self) -> String {
        self.base_url(Provider::ComproPago)
    }

    /// `http://127.0.0.1:PORT/kashpay`: the base of both `AuthenticationService` and `OKPay`.
    pub fn kashpay_base_url(&self) -> String {
        self.base_url(Provider::Kashpay)
    }

    /// `http://127.0.0.1:PORT/telepagos`
    pub fn telepagos_base_url(&self) -> String {
        self.base_url(Provider::TelePagos)
    }

    /// `http://127.0.0.1:PORT/khipu_v3`: Khipu API 3.0 (`/v3/...`) and PAC
    /// (`/v1/automatic-payment/...`) beneath it, as on `https://payment-api.khipu.com`.
    pub fn khipu_v3_base_url(&self) -> String {
        self.base_url(Provider::KhipuV3)
    }

    /// The credentials the sandbox accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.sandbox.config.credentials
    }

    /// The environment the SDK and the CLI read, pointing at this sandbox, as
    /// `(name, value)` pairs: the base URLs (`PAGOS_KHIPU_BASE_URL`, `PAGOS_KHIPU_V3_BASE_URL`,
    /// `PAGOS_KASHIO_BASE_URL`, `PAGOS_COMPROPAGO_BASE_URL`, `PAGOS_KASHPAY_AUTH_URL`,
    /// `PAGOS_KASHPAY_ORDERS_URL`, `PAGOS_TELEPAGOS_BASE_URL`) and the credentials (secrets included, see
    /// [`Credentials::to_env_lines`]).
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), pagos_sandbox::Error> {
    /// let sandbox = pagos_sandbox::start(Default::default()).await?;
    /// let vars = sandbox.env_vars();
    /// let lookup = |name: &str| vars.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    /// assert!(lookup("PAGOS_KHIPU_BASE_URL").is_some());
    /// # Ok(()) }
    /// ```
    ///
    /// `PAGOS_KHIPU_API_KEY` is left out: with it, the SDK speaks Khipu API 3.0, and
    /// these pairs keep Khipu on API 2.0 (where [`SandboxHandle::pay`] with
    /// [`Provider::Khipu`] applies). [`SandboxHandle::khipu_v3_env_vars`] adds it, and
    /// `pagos sandbox` ([`SandboxHandle::summary`]) prints it.
    pub fn env_vars(&self) -> Vec<(String, String)> {
        self.env_lines()
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    /// [`SandboxHandle::env_vars`] with `PAGOS_KHIPU_API_KEY`: the environment in
    /// which the SDK's `khipu` provider speaks API 3.0 (and PAC) to this sandbox.
    pub fn khipu_v3_env_vars(&self) -> Vec<(String, String)> {
        let mut vars = self.env_vars();
        vars.push((
            KHIPU_API_KEY_VAR.to_string(),
            self.credentials().khipu_api_key.clone(),
        ));
        vars
    }

    /// The environment the SDK and the CLI read, pointing at this sandbox: one
    /// `NAME=value` line per base URL (`PAGOS_KHIPU_BASE_URL`, `PAGOS_KHIPU_V3_BASE_URL`,
    /// `PAGOS_KASHIO_BASE_URL`, `PAGOS_COMPROPAGO_BASE_URL`, `PAGOS_KASHPAY_AUTH_URL`, `PAGOS_KASHPAY_ORDERS_URL`,
    /// `PAGOS_TELEPAGOS_BASE_URL`) and per credential (secrets included, see
    /// [`Credentials::to_env_lines`]).
    pub fn env_lines(&self) -> String {
        self.lines(false)
    }

    /// The base URLs, then the credentials, with or without the Khipu API key.
    fn lines(&self, with_khipu_api_key: bool) -> String {
        let urls = [
            ("PAGOS_KHIPU_BASE_URL", self.khipu_base_url()),
            ("PAGOS_KHIPU_V3_BASE_URL", self.khipu_v3_base_url()),
            ("PAGOS_KASHIO_BASE_URL", self.kashio_base_url()),
            ("PAGOS_COMPROPAGO_BASE_URL", self.compropago_base_url()),
            ("PAGOS_KASHPAY_AUTH_URL", self.kashpay_base_url()),
            ("PAGOS_KASHPAY_ORDERS_URL", self.kashpay_base_url()),
            ("PAGOS_TELEPAGOS_BASE_URL", self.telepagos_base_url()),
        ];
        let mut text: String = urls
            .iter()
            .map(|(name, url)| format!("{name}={url}\n"))
            .collect();
        for line in self.credentials().to_env_lines().lines() {
            if with_khipu_api_key || !line.starts_with(KHIPU_API_KEY_PREFIX) {
                text.push_str(line);
                text.push('\n');
            }
        }
        text
    }

    /// What [`run`] prints (`pagos sandbox`): the address as `#` comments, then [`SandboxHandle::env_lines`]
    /// as `export` lines a shell can take as they are (secrets included, on purpose).
    pub fn summary(&self) -> String {
        let mut text = format!(
            "# pagos sandbox listening on {} (control API: {})\n\
             # Paste these lines into a shell to point the SDK or the CLI at it:\n",
            self.url(),
            self.control_url()
        );
        // Everything, the Khipu API key included: an application pointed at the
        // sandbox speaks Khipu's current API.
        for line in self.lines(true).lines() {
            let (name, value) = line.split_once('=').unwrap_or((line, ""));
            text.push_str(&format!("export {name}={}\n", shell_quote(value)));
        }
        text
    }

    /// Applies a payer action to a provider's record (see the control API).
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::NotAllowed`] (wrong state), [`Error::Unsupported`],
    /// [`Error::Invalid`].
    pub fn act(
        &self,
        provider: Provider,
        id: &str,
        action: PayerAction,
        amount: Option<Decimal>,
    ) -> Result<ActionOutcome, Error> {
        self.sandbox.payer_action(provider, id, action, amount)
    }

    /// The payer pays the payment/order/invoice/QR order/link `id` in full.
    ///
    /// # Errors
    /// As [`SandboxHandle::act`].
    pub fn pay(&self, provider: Provider, id: &str) -> Result<ActionOutcome, Error> {
        self.act(provider, id, PayerAction::Pay, None)
    }

    /// The payer pays `amount` (a deposit to a ComproPago account's CLABE).
    ///
    /// # Errors
    /// As [`SandboxHandle::act`].
    pub fn pay_amount(
        &self,
        provider: Provider,
        id: &str,
        amount: Decimal,
    ) -> Result<ActionOutcome, Error> {
        self.act(provider, id, PayerAction::Pay, Some(amount))
    }

    /// Khipu: the payer started paying (`pending` → `verifying`).
    ///
    /// # Errors
    /// As [`SandboxHandle::act`].
    pub fn verify(&self, provider: Provider, id: &str) -> Result<ActionOutcome, Error> {
        self.act(provider, id, PayerAction::Verify, None)
    }

    /// The payer declines.
    ///
    /// # Errors
    /// As [`SandboxHandle::act`].
    pub fn reject(&self, provider: Provider, id: &str) -> Result<ActionOutcome, Error> {
        self.act(provider, id, PayerAction::Reject, None)
    }

    /// Khipu PAC: the payer signs the subscription `id` (`PENDING` → `ENABLED`; its
    /// `notify_url` gets `{"subscription_id","status":"enabled"}`).
    ///
    /// # Errors
    /// As [`SandboxHandle::act`].
    pub fn sign(&self, provider: Provider, id: &str) -> Result<ActionOutcome, Error> {
        self.act(provider, id, PayerAction::Sign, None)
    }

    /// The record expires now.
    ///
    /// # Errors
    /// As [`SandboxHandle::act`].
    pub fn expire(&self, provider: Provider, id: &str) -> Result<ActionOutcome, Error> {
        self.act(provider, id, PayerAction::Expire, None)
    }

    /// Moves the sandbox clock forward (expiries and token lifetimes follow it).
    pub fn advance_clock(&self, by: Duration) -> ClockState {
        self.sandbox.advance_clock(by)
    }

    /// The sandbox time.
    pub fn now(&self) -> OffsetDateTime {
        self.sandbox.now()
    }

    /// Arms a fault; returns its id.
    pub fn inject_fault(&self, fault: Fault) -> u64 {
        lock(&self.sandbox.faults).arm(fault)
    }

    /// The faults still armed.
    pub fn faults(&self) -> Vec<ArmedFault> {
        lock(&self.sandbox.faults).list()
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        lock(&self.sandbox.faults).clear();
    }

    /// Every provider request so far (method, path, provider, status, fault), oldest first.
    pub fn request_log(&self) -> Vec<RequestLogEntry> {
        lock(&self.sandbox.log).entries()
    }

    /// Empties the request log.
    pub fn clear_request_log(&self) {
        lock(&self.sandbox.log).clear();
    }

    /// Waits until every provider request that has arrived is in the request log: its
    /// answer was sent, or its client gave up and the server dropped it (logged with no
    /// status). Call it after a client-side timeout before reading the log.
    pub async fn requests_settled(&self) {
        self.sandbox.in_flight.settled().await;
    }

    /// How many records each provider holds (payments, invoices, orders, cash-outs...).
    pub fn record_counts(&self) -> RecordCounts {
        self.sandbox.record_counts()
    }

    /// Every notification sent or being sent, with its delivery attempts.
    pub fn notifications(&self) -> Vec<NotificationRecord> {
        self.sandbox.deliveries.records()
    }

    /// Waits until no notification delivery is in progress (all delivered or given up).
    pub async fn notifications_settled(&self) {
        self.sandbox.deliveries.settled().await;
    }

    /// Registers the merchant webhook of ComproPago (orders) or KashIO (events).
    pub fn set_webhook(&self, provider: Provider, url: Url) {
        self.sandbox.store().webhooks.insert(provider, url);
    }

    /// Registers a provider's webhook given as text, with the rule of
    /// `PUT /_sandbox/webhooks/{provider}`: an absolute `http` or `https` URL. Returns the
    /// URL as registered.
    ///
    /// # Errors
    /// [`Error::Invalid`] when `url` is not an absolute `http` or `https` URL.
    pub fn register_webhook(&self, provider: Provider, url: &str) -> Result<Url, Error> {
        let url = control::webhook_url(url)
            .ok_or_else(|| Error::Invalid(format!("not an http or https URL: {url:?}")))?;
        self.set_webhook(provider, url.clone());
        Ok(url)
    }

    /// Removes a provider's webhook.
    pub fn remove_webhook(&self, provider: Provider) {
        self.sandbox.store().webhooks.remove(&provider);
    }

    /// The merchant webhook registered for a provider, if any.
    pub fn webhook(&self, provider: Provider) -> Option<Url> {
        self.sandbox.store().webhooks.get(&provider).cloned()
    }

    /// A provider's current balance, for those that keep one (Kashpay in MXN, TelePagos
    /// in ARS); `None` for the others.
    pub fn balance(&self, provider: Provider) -> Option<Balance> {
        simulator(provider).balance(&self.sandbox.store())
    }

    /// Kashpay's current balance (MXN).
    pub fn kashpay_balance(&self) -> Decimal {
        self.balance(Provider::Kashpay)
            .map_or(Decimal::ZERO, |b| b.amount)
    }

    /// TelePagos' current balance (ARS).
    pub fn telepagos_balance(&self) -> Decimal {
        self.balance(Provider::TelePagos)
            .map_or(Decimal::ZERO, |b| b.amount)
    }

    /// Back to the initial state: records, balances, tokens, clock, ids (re-seeded),
    /// webhooks (as configured), faults, request log and notification log.
    pub fn reset(&self) {
        self.sandbox.reset();
    }

    /// Stops accepting connections, lets open requests finish, stops notification
    /// retries, and waits for the server to end.
    pub async fn shutdown(mut self) {
        self.signal_stop();
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }

    fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.sandbox.deliveries.shut_down();
    }
}

/// Quotes a value for a POSIX shell when it holds anything but plain URL characters.
fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/@%+,".contains(&b));
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        self.signal_stop();
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn shell_quoting_only_when_needed() {
        assert_eq!(
            shell_quote("http://127.0.0.1:80/khipu/api/2.0"),
            "http://127.0.0.1:80/khipu/api/2.0"
        );
        assert_eq!(shell_quote("pa ss"), "'pa ss'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
