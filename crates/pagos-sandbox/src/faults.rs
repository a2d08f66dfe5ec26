//! Fault injection and the request log.
//!
//! Every provider request passes through [`observe`]: it takes the first armed fault that
//! matches the request (provider, route prefix, method), applies it, and records the request
//! (method, path, provider, status, fault) in the log. Control-API requests are neither
//! faulted nor logged. Headers and bodies are never logged, so credentials never are.
//!
//! A request is logged when its answer is ready, or, when the client gives up first (a
//! client timeout shorter than a [`FaultKind::Latency`]), when the server drops it: then
//! with no status. `SandboxHandle::requests_settled` waits until every request that
//! arrived is in the log.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use tokio::sync::watch;

use crate::config::Provider;
use crate::simulated::simulator;
use crate::state::{Sandbox, lock};
use crate::wire::rfc3339;

/// What an injected fault does to a request.
///
/// Over the control API a kind is a JSON object tagged by `type`:
///
/// | kind | JSON |
/// |---|---|
/// | [`FaultKind::Status`] | `{"type":"status","status":503}` |
/// | [`FaultKind::RetryAfter`] | `{"type":"retry_after","status":429,"seconds":1}` |
/// | [`FaultKind::ErrorUnder200`] | `{"type":"error_under_200","status":500}` |
/// | [`FaultKind::Html`] | `{"type":"html","status":502}` |
/// | [`FaultKind::Body`] | `{"type":"body","status":502,"content_type":"text/plain","body":""}` (`content_type` optional) |
/// | [`FaultKind::Latency`] | `{"type":"latency","millis":500}` |
/// | [`FaultKind::DropConnection`] | `{"type":"drop_connection"}` |
/// | [`FaultKind::DropAfterProcessing`] | `{"type":"drop_after_processing"}` |
/// | [`FaultKind::TruncatedJson`] | `{"type":"truncated_json"}` |
/// | [`FaultKind::NonJson`] | `{"type":"non_json"}` |
/// | [`FaultKind::Rewrite`] | `{"type":"rewrite","patch":{"status":"on_hold","extra":1,"payment_url":null}}` |
/// | [`FaultKind::NotifyBadSignature`] | `{"type":"notify_bad_signature"}` |
/// | [`FaultKind::NotifyDuplicate`] | `{"type":"notify_duplicate"}` |
/// | [`FaultKind::NotifyDelay`] | `{"type":"notify_delay","millis":500}` |
///
/// The `notify_*` kinds apply to the notifications the sandbox sends, not to requests:
/// the next matching notification (by provider, and by `route` as a prefix of the
/// notification URL's path) is affected when it is dispatched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FaultKind {
    /// Answer with this HTTP status and the provider's own error body; not processed.
    Status {
        /// The HTTP status, e.g. 503.
        status: u16,
    },
    /// Answer with this HTTP status, the provider's own error body and a
    /// `Retry-After: <seconds>` header, as a rate limiter would; not processed.
    RetryAfter {
        /// The HTTP status, usually 429 (or 503).
        status: u16,
        /// The `Retry-After` value, in seconds.
        seconds: u64,
    },
    /// Answer HTTP `200 OK` with the provider's own error body for `status`, as
    /// ComproPago does (its v2 envelope with `code` 500 under HTTP 200; Kashpay's and
    /// TelePagos' error bodies come under 200 the same way); not processed.
    #[serde(rename = "error_under_200")]
    ErrorUnder200 {
        /// The status the error body states (ComproPago's envelope `code`), e.g. 500.
        status: u16,
    },
    /// Answer with an HTML error page, as a proxy or load balancer in front of the API
    /// would; not processed.
    Html {
        /// The HTTP status, e.g. 502.
        status: u16,
    },
    /// Answer with exactly this status, content type and body (an empty body for a bare
    /// `502` from a proxy, a hand-written provider answer...); not processed.
    Body {
        /// The HTTP status.
        status: u16,
        /// The `Content-Type`; no header when absent.
        #[serde(default)]
        content_type: Option<String>,
        /// The body, as is (may be empty).
        #[serde(default)]
        body: String,
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
    /// Process the request, then change its JSON answer with `patch`, a JSON Merge Patch
    /// (RFC 7396): object members are merged recursively, a `null` member removes the
    /// field, anything else replaces it. Fields the patch does not touch keep their exact
    /// text (amounts included). Use it for status values the provider may add, extra
    /// fields, or optional fields left out. An answer that is not JSON passes unchanged.
    Rewrite {
        /// The merge patch, e.g. `{"status":"on_hold","new_field":1,"payment_url":null}`.
        patch: Value,
    },
    /// A signed notification (Khipu 3.0 webhook) is signed with a wrong key: the header
    /// is well-formed but does not verify. Unsigned notifications are not matched.
    NotifyBadSignature,
    /// The notification is delivered twice (two records, the same body and headers), as
    /// Khipu's duplicate notifications arrive.
    NotifyDuplicate,
    /// The notification's first attempt waits this long.
    NotifyDelay {
        /// The delay in milliseconds.
        millis: u64,
    },
}

impl FaultKind {
    /// The snake_case name used in the request log (`status`, `drop_connection`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Status { .. } => "status",
            FaultKind::RetryAfter { .. } => "retry_after",
            FaultKind::ErrorUnder200 { .. } => "error_under_200",
            FaultKind::Html { .. } => "html",
            FaultKind::Body { .. } => "body",
            FaultKind::Latency { .. } => "latency",
            FaultKind::DropConnection => "drop_connection",
            FaultKind::DropAfterProcessing => "drop_after_processing",
            FaultKind::TruncatedJson => "truncated_json",
            FaultKind::NonJson => "non_json",
            FaultKind::Rewrite { .. } => "rewrite",
            FaultKind::NotifyBadSignature => "notify_bad_signature",
            FaultKind::NotifyDuplicate => "notify_duplicate",
            FaultKind::NotifyDelay { .. } => "notify_delay",
        }
    }

    /// Whether it applies to the notifications the sandbox sends rather than to requests.
    pub fn is_notification(&self) -> bool {
        matches!(
            self,
            FaultKind::NotifyBadSignature
                | FaultKind::NotifyDuplicate
                | FaultKind::NotifyDelay { .. }
        )
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

    /// Uses up one application of the first matching request fault.
    fn take(&mut self, provider: Provider, method: &str, route: &str) -> Option<FaultKind> {
        let index = self.armed.iter().position(|a| {
            !a.fault.kind.is_notification() && a.fault.matches(provider, method, route)
        })?;
        self.use_up(index)
    }

    /// Uses up one application of the first notification fault matching a notification
    /// of `provider` to a URL with this path (a bad signature only for a signed one).
    pub(crate) fn take_notification(
        &mut self,
        provider: Provider,
        url_path: &str,
        signed: bool,
    ) -> Option<FaultKind> {
        let index = self.armed.iter().position(|a| {
            let f = &a.fault;
            f.kind.is_notification()
                && (signed || f.kind != FaultKind::NotifyBadSignature)
                && f.provider.is_none_or(|p| p == provider)
                && f.route.as_deref().is_none_or(|r| url_path.starts_with(r))
        })?;
        self.use_up(index)
    }

    fn use_up(&mut self, index: usize) -> Option<FaultKind> {
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
    /// The status answered; `None` when the connection was dropped, by a fault or by the
    /// client giving up before the answer was ready.
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

/// The requests the middleware is handling, so a test can wait until all are logged.
#[derive(Debug)]
pub(crate) struct InFlight(watch::Sender<usize>);

impl Default for InFlight {
    fn default() -> Self {
        InFlight(watch::Sender::new(0))
    }
}

impl InFlight {
    /// Waits until no provider request is being handled.
    pub(crate) async fn settled(&self) {
        let mut rx = self.0.subscribe();
        // The sender lives as long as `self`, so this cannot fail while we borrow it.
        let _ = rx.wait_for(|n| *n == 0).await;
    }
}

/// Logs one request exactly once: when [`Pending::finish`] is called with the answer's
/// status, or when dropped unfinished (the client went away and hyper dropped the
/// handler), with no status.
struct Pending {
    sandbox: Arc<Sandbox>,
    entry: Option<RequestLogEntry>,
}

impl Pending {
    fn new(sandbox: Arc<Sandbox>, entry: RequestLogEntry) -> Self {
        sandbox.in_flight.0.send_modify(|n| *n += 1);
        Pending {
            sandbox,
            entry: Some(entry),
        }
    }

    fn finish(mut self, status: Option<u16>) {
        if let Some(mut entry) = self.entry.take() {
            entry.status = status;
            self.log(entry);
        }
    }

    fn log(&self, entry: RequestLogEntry) {
        lock(&self.sandbox.log).push(entry);
        self.sandbox
            .in_flight
            .0
            .send_modify(|n| *n = n.saturating_sub(1));
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(entry) = self.entry.take() {
            self.log(entry);
        }
    }
}

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
    let pending = Pending::new(
        Arc::clone(&sandbox),
        RequestLogEntry {
            seq: 0,
            at,
            provider,
            method,
            path: path.clone(),
            status: None,
            fault: fault.as_ref().map(|k| k.name().to_string()),
        },
    );

    let response = match &fault {
        None => next.run(req).await,
        Some(kind) => apply(&sandbox, kind, provider, route, req, next).await,
    };
    let dropped = matches!(
        fault,
        Some(FaultKind::DropConnection | FaultKind::DropAfterProcessing)
    );
    pending.finish((!dropped).then(|| response.status().as_u16()));
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
        FaultKind::RetryAfter { status, seconds } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::TOO_MANY_REQUESTS);
            let now = sandbox.store().now();
            let mut response = provider_error(provider, status, route, now);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*seconds));
            response
        }
        FaultKind::ErrorUnder200 { status } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let now = sandbox.store().now();
            let mut response = provider_error(provider, status, route, now);
            *response.status_mut() = StatusCode::OK;
            response
        }
        FaultKind::Body {
            status,
            content_type,
            body,
        } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_GATEWAY);
            let mut response = (status, body.clone()).into_response();
            // axum labels a `String` body text/plain; this fault sends only what it was given.
            response.headers_mut().remove(header::CONTENT_TYPE);
            if let Some(value) = content_type
                .as_deref()
                .and_then(|c| HeaderValue::from_str(c).ok())
            {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
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
        // Notification faults are never taken for a request.
        FaultKind::NotifyBadSignature | FaultKind::NotifyDuplicate | FaultKind::NotifyDelay { .. } => {
            next.run(req).await
        }
        FaultKind::Rewrite { patch } => {
            let processed = next.run(req).await;
            let (mut parts, body) = processed.into_parts();
            let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
            let rewritten = match std::str::from_utf8(&bytes) {
                Ok(text) if serde_json::from_str::<&RawValue>(text).is_ok() => {
                    Bytes::from(merge_patch(Some(text), patch))
                }
                _ => bytes,
            };
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(rewritten))
        }
    }
}

/// A JSON object's members in order, each value kept as its exact text.
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// Applies an RFC 7396 merge patch to `target` (JSON text, `None` when absent) and
/// returns the result as JSON text. Members the patch does not touch keep their exact
/// text, so amounts are not rewritten through `f64`.
fn merge_patch(target: Option<&str>, patch: &Value) -> String {
    let Value::Object(patch) = patch else {
        return patch.to_string();
    };
    let mut members = target
        .and_then(|t| serde_json::from_str::<Members>(t).ok())
        .map(|m| m.0)
        .unwrap_or_default();
    for (key, value) in patch {
        let index = members.iter().position(|(k, _)| k == key);
        match (value, index) {
            (Value::Null, Some(i)) => {
                members.remove(i);
            }
            (Value::Null, None) => {}
            (value, Some(i)) => {
                let merged = merge_patch(Some(members[i].1.get()), value);
                members[i].1 = raw(merged);
            }
            (value, None) => members.push((key.clone(), raw(merge_patch(None, value)))),
        }
    }
    let body: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), v.get()))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// JSON text [`merge_patch`] wrote (always valid JSON), as a `RawValue`.
fn raw(text: String) -> Box<RawValue> {
    RawValue::from_string(text).unwrap_or_else(|_| RawValue::NULL.to_owned())
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
    simulator(provider).fault_response(status, &message, route, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7396_and_keeps_untouched_text() {
        let target = r#"{"a":1.50,"b":{"c":"x","d":2},"e":[1,2],"f":"keep"}"#;
        let patch = json!({
            "a": "new",
            "b": { "c": null, "z": { "deep": null, "k": 1 } },
            "e": { "x": 1 },
            "g": null,
            "h": [3],
        });
        let merged = merge_patch(Some(target), &patch);
        assert_eq!(
            merged,
            r#"{"a":"new","b":{"d":2,"z":{"k":1}},"e":{"x":1},"f":"keep","h":[3]}"#
        );
        // Untouched amounts keep their digits.
        assert_eq!(
            merge_patch(Some(r#"{"amount":99.90,"s":"A"}"#), &json!({ "s": "B" })),
            r#"{"amount":99.90,"s":"B"}"#
        );
        // A patch that is not an object replaces the target.
        assert_eq!(merge_patch(Some("{}"), &json!([1])), "[1]");
        assert_eq!(merge_patch(Some("[1]"), &json!({ "a": 1 })), r#"{"a":1}"#);
    }

    #[test]
    fn fault_kinds_have_a_json_shape() {
        let kinds = [
            (
                json!({ "type": "retry_after", "status": 429, "seconds": 1 }),
                FaultKind::RetryAfter {
                    status: 429,
                    seconds: 1,
                },
            ),
            (
                json!({ "type": "error_under_200", "status": 500 }),
                FaultKind::ErrorUnder200 { status: 500 },
            ),
            (
                json!({ "type": "body", "status": 502 }),
                FaultKind::Body {
                    status: 502,
                    content_type: None,
                    body: String::new(),
                },
            ),
            (
                json!({ "type": "notify_delay", "millis": 5 }),
                FaultKind::NotifyDelay { millis: 5 },
            ),
            (
                json!({ "type": "notify_duplicate" }),
                FaultKind::NotifyDuplicate,
            ),
            (
                json!({ "type": "rewrite", "patch": { "status": "X" } }),
                FaultKind::Rewrite {
                    patch: json!({ "status": "X" }),
                },
            ),
        ];
        for (value, kind) in kinds {
            assert_eq!(kind.is_notification(), kind.name().starts_with("notify_"));
            assert_eq!(serde_json::from_value::<FaultKind>(value).unwrap(), kind);
        }
    }
}
