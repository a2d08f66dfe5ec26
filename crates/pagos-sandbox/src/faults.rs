//! Fault injection and the request log.
//!
//! Every provider request passes through [`observe`]: it takes the first armed fault that
//! matches the request (provider, route prefix, method), applies it, and records the request
//! (method, path, provider, status, fault) in the log. Control-API requests are neither
//! faulted nor logged. Headers and bodies are never logged, so credentials never are.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::config::Provider;
use crate::state::{Sandbox, lock};
use crate::wire::rfc3339;
use crate::{compropago, kashio, kashpay, khipu, telepagos};

/// What an injected fault does to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FaultKind {
    /// Answer with this HTTP status and the provider's own error body; not processed.
    Status {
        /// The HTTP status, e.g. 503.
        status: u16,
    },
    /// Answer with an HTML error page, as a proxy or load balancer in front of the API
    /// would; not processed.
    Html {
        /// The HTTP status, e.g. 502.
        status: u16,
    },
    /// Wait this long, then process and answer normally.
    Latency {
        /// The delay in milliseconds.
        millis: u64,
    },
    /// Close the connection without a complete answer; the request is not processed.
    DropConnection,
    /// Process the request, then close the connection without a complete answer: the
    /// client cannot know whether it took effect.
    DropAfterProcessing,
    /// Process the request and answer with the first half of its JSON body.
    TruncatedJson,
    /// Answer `200 OK` with an HTML page instead of JSON; not processed.
    NonJson,
}

impl FaultKind {
    /// The snake_case name used in the request log (`status`, `drop_connection`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Status { .. } => "status",
            FaultKind::Html { .. } => "html",
            FaultKind::Latency { .. } => "latency",
            FaultKind::DropConnection => "drop_connection",
            FaultKind::DropAfterProcessing => "drop_after_processing",
            FaultKind::TruncatedJson => "truncated_json",
            FaultKind::NonJson => "non_json",
        }
    }
}

fn one() -> u32 {
    1
}

/// A fault to inject into the next `times` matching requests.
///
/// ```
/// use pagos_sandbox::{Fault, FaultKind, Provider};
/// let fault = Fault::new(FaultKind::Status { status: 503 })
///     .provider(Provider::Khipu)
///     .route("/payments")
///     .method("POST")
///     .times(2);
/// assert_eq!(fault.times, 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Fault {
    /// What happens.
    pub kind: FaultKind,
    /// Only requests to this provider (any provider when absent).
    #[serde(default)]
    pub provider: Option<Provider>,
    /// Only requests whose path below the provider's base path starts with this
    /// (e.g. `/payments` for Khipu, `/v2/orders` for ComproPago).
    #[serde(default)]
    pub route: Option<String>,
    /// Only requests with this method (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// How many matching requests it affects (default 1).
    #[serde(default = "one")]
    pub times: u32,
}

impl Fault {
    /// A fault for the next request to any provider.
    pub fn new(kind: FaultKind) -> Self {
        Fault {
            kind,
            provider: None,
            route: None,
            method: None,
            times: 1,
        }
    }

    /// Restricts it to one provider.
    pub fn provider(mut self, provider: Provider) -> Self {
        self.provider = Some(provider);
        self
    }

    /// Restricts it to paths (below the provider's base path) starting with `route`.
    pub fn route(mut self, route: impl Into<String>) -> Self {
        self.route = Some(route.into());
        self
    }

    /// Restricts it to one HTTP method.
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Applies it to the next `times` matching requests.
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    fn matches(&self, provider: Provider, method: &str, route: &str) -> bool {
        self.provider.is_none_or(|p| p == provider)
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.route.as_deref().is_none_or(|r| route.starts_with(r))
    }
}

/// An armed fault and how many requests it still affects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ArmedFault {
    /// Id returned when it was injected.
    pub id: u64,
    /// The fault as injected.
    pub fault: Fault,
    /// Requests it will still affect.
    pub remaining: u32,
}

/// The armed faults, in injection order.
#[derive(Debug, Default)]
pub(crate) struct FaultBook {
    next_id: u64,
    armed: Vec<ArmedFault>,
}

impl FaultBook {
    pub(crate) fn arm(&mut self, fault: Fault) -> u64 {
        self.next_id += 1;
        if fault.times > 0 {
            self.armed.push(ArmedFault {
                id: self.next_id,
                remaining: fault.times,
                fault,
            });
        }
        self.next_id
    }

    pub(crate) fn list(&self) -> Vec<ArmedFault> {
        self.armed.clone()
    }

    pub(crate) fn clear(&mut self) {
        self.armed.clear();
    }

    /// Uses up one application of the first matching fault.
    fn take(&mut self, provider: Provider, method: &str, route: &str) -> Option<FaultKind> {
        let index = self
            .armed
            .iter()
            .position(|a| a.fault.matches(provider, method, route))?;
        let armed = &mut self.armed[index];
        armed.remaining -= 1;
        let kind = armed.fault.kind.clone();
        if armed.remaining == 0 {
            self.armed.remove(index);
        }
        Some(kind)
    }
}

/// One provider request as the sandbox saw it. Never holds headers or bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RequestLogEntry {
    /// Sequence number, from 1.
    pub seq: u64,
    /// Sandbox time when the request arrived (RFC 3339).
    pub at: String,
    /// The provider whose path it was under.
    pub provider: Provider,
    /// HTTP method.
    pub method: String,
    /// Full path, without the query string.
    pub path: String,
    /// The status answered; `None` when the connection was dropped.
    pub status: Option<u16>,
    /// The injected fault that answered or altered it, by [`FaultKind::name`].
    pub fault: Option<String>,
}

/// The request log, oldest first, bounded so a long-running sandbox does not grow forever.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    next_seq: u64,
    entries: std::collections::VecDeque<RequestLogEntry>,
}

const LOG_CAPACITY: usize = 10_000;

impl RequestLog {
    pub(crate) fn entries(&self) -> Vec<RequestLogEntry> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }

    fn push(&mut self, mut entry: RequestLogEntry) {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        if self.entries.len() == LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }
}

/// The request's URI before nesting stripped the provider's base path (Khipu signs it).
#[derive(Debug, Clone)]
pub(crate) struct FullUri(pub(crate) Uri);

/// The middleware in front of every provider route: faults, then the request log.
pub(crate) async fn observe(
    State(sandbox): State<Arc<Sandbox>>,
    mut req: Request,
    next: Next,
) -> Response {
    let uri = req.uri().clone();
    let path = uri.path().to_string();
    let Some(provider) = Provider::of_path(&path) else {
        return next.run(req).await;
    };
    req.extensions_mut().insert(FullUri(uri));
    let method = req.method().to_string();
    let route = &path[provider.base_path().len()..];
    let at = rfc3339(sandbox.store().now());
    let fault = lock(&sandbox.faults).take(provider, &method, route);

    let response = match &fault {
        None => next.run(req).await,
        Some(kind) => apply(&sandbox, kind, provider, route, req, next).await,
    };
    let dropped = matches!(
        fault,
        Some(FaultKind::DropConnection | FaultKind::DropAfterProcessing)
    );
    lock(&sandbox.log).push(RequestLogEntry {
        seq: 0,
        at,
        provider,
        method,
        path,
        status: (!dropped).then(|| response.status().as_u16()),
        fault: fault.as_ref().map(|k| k.name().to_string()),
    });
    response
}

async fn apply(
    sandbox: &Sandbox,
    kind: &FaultKind,
    provider: Provider,
    route: &str,
    req: Request,
    next: Next,
) -> Response {
    match kind {
        FaultKind::Status { status } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let now = sandbox.store().now();
            provider_error(provider, status, route, now)
        }
        FaultKind::Html { status } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_GATEWAY);
            let reason = status.canonical_reason().unwrap_or("Error");
            let code = status.as_u16();
            let page = format!(
                "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n\
                 <center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            );
            (status, [(header::CONTENT_TYPE, "text/html")], page).into_response()
        }
        FaultKind::Latency { millis } => {
            tokio::time::sleep(Duration::from_millis(*millis)).await;
            next.run(req).await
        }
        FaultKind::DropConnection => dropped_connection(),
        FaultKind::DropAfterProcessing => {
            let processed = next.run(req).await;
            // Read the whole answer so the handler's work is complete, then throw it away.
            let _ = to_bytes(processed.into_body(), usize::MAX).await;
            dropped_connection()
        }
        FaultKind::TruncatedJson => {
            let processed = next.run(req).await;
            let (mut parts, body) = processed.into_parts();
            let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
            let cut = bytes.slice(..bytes.len() / 2);
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            Response::from_parts(parts, Body::from(cut))
        }
        FaultKind::NonJson => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!DOCTYPE html><html><head><title>Mantenimiento</title></head>\
             <body><h1>Sitio en mantenimiento</h1><p>Vuelva a intentarlo en unos minutos.</p></body></html>",
        )
            .into_response(),
    }
}

/// An answer whose body fails before its first byte: hyper aborts the connection, so the
/// client sees the connection closed without a complete answer.
fn dropped_connection() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by an injected sandbox fault",
        ))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, "64")
        .body(Body::from_stream(failing))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// The provider's own error body for an injected status.
fn provider_error(
    provider: Provider,
    status: StatusCode,
    route: &str,
    now: time::OffsetDateTime,
) -> Response {
    let message = format!(
        "Error simulado por el sandbox ({})",
        status.canonical_reason().unwrap_or("fault")
    );
    match provider {
        Provider::Khipu => khipu::error_response(status, &message),
        Provider::Kashio => kashio::error_response(status, "sandbox_fault", &message, None),
        Provider::ComproPago => compropago::error_response(status, &message, route, now),
        Provider::Kashpay => kashpay::error_response(
            status,
            "SandboxFaultException",
            &message,
            i64::from(status.as_u16()),
        ),
        Provider::TelePagos => telepagos::error_response(status, &message),
    }
}
