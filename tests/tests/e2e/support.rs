//! Shared set-up: a sandbox with fast notification delivery, providers built through the
//! facade from the sandbox's environment lines, a local notification receiver, and small
//! helpers to read the sandbox's request log.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use pagos::{
    Currency, Decimal, Error, Money, PaymentProvider, ProviderConfig, ProviderDescriptor,
    ProviderError, RetryPolicy, Transport,
};
use pagos_sandbox::{
    DeliveryPolicy, Provider, RequestLogEntry, SandboxConfig, SandboxConfigBuilder, SandboxHandle,
};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// `amount` in `currency`.
pub fn money(amount: &str, currency: Currency) -> Money {
    Money::parse(amount, currency).expect("a valid amount")
}

/// A decimal, to compare with the sandbox's balances.
pub fn decimal(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

/// A valid CLABE (Banxico's check digit).
pub const CLABE: &str = "032180000118359719";
/// A valid CVU (the BCRA's check digits).
pub const CVU: &str = "2850590940090418135201";
/// A valid CUIT (AFIP's mod 11).
pub const CUIT: &str = "20267565393";

/// How long any single await in these tests may take before the test fails. Generous: it
/// only bounds a hang, it is never waited out on success.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Awaits `future`, failing the test if it takes longer than [`PATIENCE`].
pub async fn within<F: Future>(what: &str, future: F) -> F::Output {
    match tokio::time::timeout(PATIENCE, future).await {
        Ok(output) => output,
        Err(_) => panic!("timed out after {PATIENCE:?} waiting for {what}"),
    }
}

/// Notification delivery fast enough for tests: short backoffs, a few attempts.
pub fn fast_delivery() -> DeliveryPolicy {
    DeliveryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        timeout: Duration::from_secs(5),
    }
}

/// The sandbox configuration every test starts from: fast notification delivery.
pub fn sandbox_config() -> SandboxConfigBuilder {
    SandboxConfig::builder().delivery(fast_delivery())
}

/// Starts a sandbox with [`sandbox_config`].
pub async fn start_sandbox() -> SandboxHandle {
    start_sandbox_with(sandbox_config()).await
}

/// Starts a sandbox with the given configuration.
pub async fn start_sandbox_with(config: SandboxConfigBuilder) -> SandboxHandle {
    within("the sandbox to start", pagos_sandbox::start(config.build()))
        .await
        .expect("the sandbox starts")
}

/// A transport with fast retries (3 attempts, 1–5 ms apart).
pub fn fast_transport() -> Transport {
    Transport::builder()
        .timeout(Duration::from_secs(10))
        .retry(
            RetryPolicy::attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .expect("the transport builds")
}

/// The sandbox's environment lines (`NAME=value`) as a map.
pub fn env_map(sandbox: &SandboxHandle) -> HashMap<String, String> {
    sandbox
        .env_lines()
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// The providers of the registry that the sandbox simulates (in the registry's order):
/// what the tests that run "every provider" against the sandbox run.
pub fn sandboxed() -> Vec<&'static ProviderDescriptor> {
    pagos::registry()
        .iter()
        .copied()
        .filter(|d| Provider::ALL.iter().any(|p| p.as_str() == d.name))
        .collect()
}

/// Fails unless `covered` names exactly the providers of [`sandboxed`]: a test that
/// holds a table per provider says so, and a provider added to the registry and the
/// sandbox without a row in it fails here instead of going untested.
pub fn assert_covers(what: &str, covered: &[&str]) {
    let mut expected: Vec<&str> = sandboxed().iter().map(|d| d.name).collect();
    let mut covered = covered.to_vec();
    expected.sort_unstable();
    covered.sort_unstable();
    assert_eq!(
        covered, expected,
        "{what} covers these providers; the registry and the sandbox share those"
    );
}

/// The configuration the sandbox's environment lines make, sharing `transport`.
pub fn sandbox_env(sandbox: &SandboxHandle, transport: Transport) -> ProviderConfig<'static> {
    ProviderConfig::from_pairs(env_map(sandbox)).with_transport(transport)
}

/// A provider as an application builds it: `pagos::from_env_with` over the sandbox's
/// environment, sharing a fast-retry transport.
pub fn provider(sandbox: &SandboxHandle, name: &str) -> Arc<dyn PaymentProvider> {
    pagos::from_env_with(name, &sandbox_env(sandbox, fast_transport()))
        .unwrap_or_else(|e| panic!("{name} builds from the sandbox environment: {e}"))
}

/// The concrete Khipu client, built the same way.
pub fn khipu(sandbox: &SandboxHandle) -> pagos::khipu::KhipuClient {
    pagos::khipu::client_from_config(&sandbox_env(sandbox, fast_transport())).expect("khipu client")
}

/// The concrete KashIO client, built the same way.
pub fn kashio(sandbox: &SandboxHandle) -> pagos::kashio::KashioClient {
    pagos::kashio::client_from_config(&sandbox_env(sandbox, fast_transport()))
        .expect("kashio client")
}

/// The concrete ComproPago client, built the same way.
pub fn compropago(sandbox: &SandboxHandle) -> pagos::compropago::CompropagoClient {
    pagos::compropago::client_from_config(&sandbox_env(sandbox, fast_transport()))
        .expect("compropago client")
}

/// The concrete Kashpay client, built the same way.
pub fn kashpay(sandbox: &SandboxHandle) -> pagos::kashpay::KashpayClient {
    pagos::kashpay::client_from_config(&sandbox_env(sandbox, fast_transport()))
        .expect("kashpay client")
}

/// The concrete TelePagos client, built the same way.
pub fn telepagos(sandbox: &SandboxHandle) -> pagos::telepagos::TelepagosClient {
    pagos::telepagos::client_from_config(&sandbox_env(sandbox, fast_transport()))
        .expect("telepagos client")
}

/// The provider error inside `err`, or a panic naming what came instead.
pub fn provider_error(err: &Error) -> &ProviderError {
    err.as_provider_error()
        .unwrap_or_else(|| panic!("expected a provider error, got {err:?}"))
}

/// The logged requests to `provider` with this method whose path, below the provider's
/// base path, is `route` (exactly, without the query string).
pub fn requests(
    sandbox: &SandboxHandle,
    provider: Provider,
    method: &str,
    route: &str,
) -> Vec<RequestLogEntry> {
    let path = format!("{}{route}", provider.base_path());
    sandbox
        .request_log()
        .into_iter()
        .filter(|e| e.provider == provider && e.method == method && e.path == path)
        .collect()
}

/// The statuses of [`requests`], oldest first (`None` for a dropped connection).
pub fn statuses(
    sandbox: &SandboxHandle,
    provider: Provider,
    method: &str,
    route: &str,
) -> Vec<Option<u16>> {
    requests(sandbox, provider, method, route)
        .into_iter()
        .map(|e| e.status)
        .collect()
}

/// One request the [`Receiver`] got.
#[derive(Debug, Clone)]
pub struct Received {
    /// The request path.
    pub path: String,
    /// Its `Content-Type`.
    pub content_type: String,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Received {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the notification body is JSON")
    }
}

/// A merchant endpoint on 127.0.0.1 that answers 200 to every POST and hands each
/// request to the test through a channel.
#[derive(Debug)]
pub struct Receiver {
    base: String,
    rx: mpsc::UnboundedReceiver<Received>,
    server: JoinHandle<()>,
}

impl Receiver {
    /// Starts it on a free port.
    pub async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind the receiver");
        let addr = listener.local_addr().expect("the receiver's address");
        let (tx, rx) = mpsc::unbounded_channel();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let tx = tx.clone();
                async move {
                    if method != Method::POST {
                        return StatusCode::METHOD_NOT_ALLOWED;
                    }
                    let content_type = headers
                        .get(axum::http::header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    let _ = tx.send(Received {
                        path: uri.path().to_string(),
                        content_type,
                        body: body.to_vec(),
                    });
                    StatusCode::OK
                }
            },
        );
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            base: format!("http://{addr}"),
            rx,
            server,
        }
    }

    /// The URL of `path` on this receiver.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The next request, awaited (bounded by [`PATIENCE`]).
    pub async fn next(&mut self) -> Received {
        within("a notification", self.rx.recv())
            .await
            .expect("the receiver is running")
    }

    /// Whether a request is waiting already (does not wait).
    pub fn try_next(&mut self) -> Option<Received> {
        self.rx.try_recv().ok()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}
