//! The one HTTP transport every provider sends through.
//!
//! Provider crates are sans-IO: they describe a call as a [`Request`] and turn a
//! [`Response`] into typed values. The [`Transport`] owns everything in between:
//! timeouts, the retry policy, the `User-Agent`, tracing and redaction.
//!
//! # Retries
//! A request is retried only when a second copy cannot do harm:
//! - it never left (connection refused, DNS failure): always;
//! - it is idempotent — `GET`, `HEAD`, `PUT`, `DELETE`, or a request the provider crate
//!   marked with [`Request::idempotent`] because it carries the provider's idempotency
//!   reference — and the answer was 408, 429 or 5xx, a timeout or a lost connection.
//!
//! A `POST` without an idempotency reference is sent exactly once, whatever happens.
//! Delays grow exponentially with jitter; a `Retry-After` header is honoured when it
//! is within [`RetryPolicy::max_retry_after`], and otherwise the answer is returned.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::error::{
    ConfigError, Error, OutcomeUnknown, ProviderError, TransportError, UnknownCause,
};

pub use reqwest::Method;

/// The `User-Agent` every request carries, before any application suffix.
pub const USER_AGENT: &str = concat!("pagos/", env!("CARGO_PKG_VERSION"));

/// Whether a request may be sent again after it may have reached the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Idempotency {
    /// Safe to repeat: an idempotent method or a call carrying an idempotency reference.
    Idempotent,
    /// Repeating could do the thing twice (create a second payment).
    NonIdempotent,
}

/// A provider call described without doing any I/O.
///
/// ```
/// use pagos_core::transport::{Method, Request};
/// use url::Url;
///
/// let req = Request::new(Method::POST, Url::parse("https://x.cl/payments").unwrap(), "create_payment")
///     .form(&[("amount", "1000"), ("subject", "Test")])
///     .sensitive_header("authorization", "1234:abcd").unwrap();
/// assert_eq!(req.body_bytes(), b"amount=1000&subject=Test");
/// assert!(!format!("{req:?}").contains("abcd"));
/// ```
#[derive(Clone)]
pub struct Request {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
    operation: &'static str,
    idempotency: Idempotency,
}

impl Request {
    /// A request with no body; idempotency follows the method.
    pub fn new(method: Method, url: Url, operation: &'static str) -> Self {
        let idempotency = if matches!(
            method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
        ) {
            Idempotency::Idempotent
        } else {
            Idempotency::NonIdempotent
        };
        Request {
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
            operation,
            idempotency,
        }
    }

    /// Marks the request safe to repeat because it carries the provider's idempotency
    /// reference (e.g. TelePagos `reference_id`). Every attempt sends the same bytes.
    #[must_use]
    pub fn idempotent(mut self) -> Self {
        self.idempotency = Idempotency::Idempotent;
        self
    }

    /// Adds a header that is not secret.
    ///
    /// # Errors
    /// A [`ConfigError`] when the name or value is not a valid header.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, ConfigError> {
        let (n, v) = header_pair(name, value)?;
        self.headers.append(n, v);
        Ok(self)
    }

    /// Adds a secret header (`Authorization`...): marked sensitive so neither this
    /// crate's nor reqwest's `Debug` output shows it.
    ///
    /// # Errors
    /// A [`ConfigError`] when the name or value is not a valid header; the message
    /// never contains the value.
    pub fn sensitive_header(mut self, name: &str, value: &str) -> Result<Self, ConfigError> {
        let (n, mut v) = header_pair(name, value)?;
        v.set_sensitive(true);
        self.headers.insert(n, v);
        Ok(self)
    }

    /// Appends query parameters to the URL (form-encoded).
    #[must_use]
    pub fn query<K: AsRef<str>, V: AsRef<str>>(mut self, params: &[(K, V)]) -> Self {
        if !params.is_empty() {
            let mut pairs = self.url.query_pairs_mut();
            for (k, v) in params {
                pairs.append_pair(k.as_ref(), v.as_ref());
            }
        }
        self
    }

    /// Sets a form-encoded body and its content type.
    #[must_use]
    pub fn form<K: AsRef<str>, V: AsRef<str>>(mut self, params: &[(K, V)]) -> Self {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in params {
            ser.append_pair(k.as_ref(), v.as_ref());
        }
        self.body = Some(Bytes::from(ser.finish()));
        self.set_content_type("application/x-www-form-urlencoded");
        self
    }

    /// Sets a JSON body and its content type.
    ///
    /// # Errors
    /// A [`ConfigError`] when `body` cannot be serialized (a bug in the caller's type).
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, ConfigError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ConfigError::new("request body", format!("cannot serialize: {e}")))?;
        self.body = Some(Bytes::from(bytes));
        self.set_content_type("application/json");
        Ok(self)
    }

    /// Sets the `Content-Type` header (the transport never guesses it).
    pub fn set_content_type(&mut self, value: &'static str) {
        self.headers
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }
    /// The full URL, query included.
    pub fn url(&self) -> &Url {
        &self.url
    }
    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The body, empty when there is none.
    pub fn body_bytes(&self) -> &[u8] {
        self.body.as_deref().unwrap_or_default()
    }
    /// The SDK operation name used in errors and tracing.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
    /// Whether the request may be repeated.
    pub fn idempotency(&self) -> Idempotency {
        self.idempotency
    }
}

fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), ConfigError> {
    let n = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| ConfigError::new("header", format!("{name:?} is not a header name")))?;
    let v = HeaderValue::from_str(value).map_err(|_| {
        ConfigError::new(
            "header",
            format!("the value of {name} has characters a header cannot carry"),
        )
    })?;
    Ok((n, v))
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values and bodies can hold credentials: show names and sizes only.
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("operation", &self.operation)
            .field("headers", &names)
            .field("body_len", &self.body_bytes().len())
            .field("idempotency", &self.idempotency)
            .finish()
    }
}

/// The final HTTP answer to a [`Request`], any status.
#[derive(Clone)]
#[non_exhaustive]
pub struct Response {
    /// The provider the request went to.
    pub provider: &'static str,
    /// The SDK operation.
    pub operation: &'static str,
    /// The HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as received.
    pub body: Bytes,
    /// How many attempts it took.
    pub attempts: u32,
}

impl Response {
    /// Builds a response by hand (tests, or a provider decoding a recorded answer).
    pub fn new(
        provider: &'static str,
        operation: &'static str,
        status: u16,
        body: impl Into<Bytes>,
    ) -> Self {
        Response {
            provider,
            operation,
            status,
            headers: HeaderMap::new(),
            body: body.into(),
            attempts: 1,
        }
    }

    /// `true` for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as text, invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Decodes the body as JSON into `T`.
    ///
    /// # Errors
    /// [`Error::OutcomeUnknown`] with [`UnknownCause::UndecodableResponse`] and the raw
    /// body kept: a success the SDK cannot read means it cannot tell what happened.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| self.undecodable(e.to_string()).into())
    }

    /// An [`OutcomeUnknown`] for this response's body, with the decoder's message.
    pub fn undecodable(&self, detail: impl Into<String>) -> OutcomeUnknown {
        let mut e = OutcomeUnknown::undecodable(
            self.provider,
            self.operation,
            self.status,
            self.text(),
            detail,
        );
        e.attempts = self.attempts;
        e
    }

    /// A [`ProviderError`] for this response with a generic message; the provider crate
    /// refines it with the code, message and field errors of its error envelope.
    pub fn provider_error(&self) -> ProviderError {
        ProviderError::new(self.provider, self.operation, self.status, self.text())
            .with_attempts(self.attempts)
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("provider", &self.provider)
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// How the transport retries. See the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// The delay before the first retry, doubled for each further one.
    pub initial_backoff: Duration,
    /// The longest delay between attempts.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the transport waits for; longer ones end the retries.
    pub max_retry_after: Duration,
}

impl RetryPolicy {
    /// Three attempts, 200 ms doubling up to 5 s, `Retry-After` up to 30 s.
    pub const DEFAULT: RetryPolicy = RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(200),
        max_backoff: Duration::from_secs(5),
        max_retry_after: Duration::from_secs(30),
    };

    /// Never retry.
    pub const NONE: RetryPolicy = RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::DEFAULT
    };

    /// A policy with `max_attempts` attempts and the default delays.
    pub fn attempts(max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts: max_attempts.max(1),
            ..RetryPolicy::DEFAULT
        }
    }

    /// The same policy with other backoff bounds.
    #[must_use]
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> RetryPolicy {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The same policy with another `Retry-After` ceiling.
    #[must_use]
    pub fn with_max_retry_after(mut self, max: Duration) -> RetryPolicy {
        self.max_retry_after = max;
        self
    }

    /// The delay before retry number `retry` (1-based): exponential, with the upper
    /// half jittered so that many clients do not retry in step.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let capped = exp.min(self.max_backoff);
        let half = capped / 2;
        let half_nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(fastrand::u64(0..=half_nanos))
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::DEFAULT
    }
}

/// The HTTP transport. Cheap to clone: clones share one connection pool.
///
/// ```
/// use std::time::Duration;
/// use pagos_core::{RetryPolicy, Transport};
///
/// let transport = Transport::builder()
///     .timeout(Duration::from_secs(20))
///     .retry(RetryPolicy::attempts(2))
///     .user_agent_suffix("my-shop/1.4")
///     .build()?;
/// assert_eq!(transport.timeout(), Duration::from_secs(20));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    retry: RetryPolicy,
    timeout: Duration,
    user_agent: String,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("user_agent", &self.inner.user_agent)
            .finish()
    }
}

impl Transport {
    /// A transport with the defaults: 30 s total timeout, 10 s connect timeout,
    /// [`RetryPolicy::DEFAULT`].
    ///
    /// # Errors
    /// [`Error::Config`] when the TLS backend cannot be initialised.
    pub fn new() -> Result<Transport, Error> {
        Transport::builder().build()
    }

    /// Starts a builder.
    pub fn builder() -> TransportBuilder {
        TransportBuilder::default()
    }

    /// The total timeout of one attempt.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// The `User-Agent` sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// Sends a request, retrying as the [module docs](self) describe, and returns the
    /// final answer whatever its status. Provider crates map non-2xx answers to errors.
    ///
    /// # Errors
    /// [`Error::NotSent`] when no attempt reached the provider; [`Error::OutcomeUnknown`]
    /// when the last attempt timed out or lost its connection.
    pub async fn send(&self, provider: &'static str, request: Request) -> Result<Response, Error> {
        let policy = self.inner.retry;
        let safe = request.idempotency == Idempotency::Idempotent;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let span = tracing::info_span!(
                "pagos.http",
                provider,
                operation = request.operation,
                method = %request.method,
                path = request.url.path(),
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let outcome = self.attempt(&request).instrument(span.clone()).await;
            let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            span.record("latency_ms", latency_ms);
            let can_retry = attempt < policy.max_attempts;
            match outcome {
                Ok((status, headers, body)) => {
                    span.record("status", status);
                    let transient = matches!(status, 408 | 429 | 500..=599);
                    if transient
                        && safe
                        && can_retry
                        && let Some(delay) = retry_delay(&policy, attempt, status, &headers)
                    {
                        tracing::debug!(parent: &span, status, ?delay, "retrying after a transient answer");
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    tracing::debug!(parent: &span, status, latency_ms, "answer");
                    return Ok(Response {
                        provider,
                        operation: request.operation,
                        status,
                        headers,
                        body,
                        attempts: attempt,
                    });
                }
                Err(failure) => {
                    let retry = can_retry && (failure.not_sent() || safe);
                    tracing::debug!(parent: &span, error = %failure.message(), retry, "transport failure");
                    if retry {
                        tokio::time::sleep(policy.backoff(attempt)).await;
                        continue;
                    }
                    return Err(failure.into_error(provider, request.operation, attempt));
                }
            }
        }
    }

    async fn attempt(&self, request: &Request) -> Result<(u16, HeaderMap, Bytes), Failure> {
        let mut builder = self
            .inner
            .client
            .request(request.method.clone(), request.url.clone())
            .headers(request.headers.clone());
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let response = builder.send().await.map_err(Failure::Send)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        match response.bytes().await {
            Ok(body) => Ok((status, headers, body)),
            Err(e) => Err(Failure::Body(status, e)),
        }
    }
}

/// Why one attempt failed before a complete answer arrived.
enum Failure {
    Send(reqwest::Error),
    Body(u16, reqwest::Error),
}

impl Failure {
    fn not_sent(&self) -> bool {
        // A connect error means the request bytes never left; hyper retries a pooled
        // connection that closed before writing on its own, so what reaches us as
        // "connect" is genuinely unsent.
        matches!(self, Failure::Send(e) if e.is_connect())
    }

    fn message(&self) -> String {
        let e = match self {
            Failure::Send(e) | Failure::Body(_, e) => e,
        };
        // The URL is dropped: it adds nothing the span lacks and may carry a query.
        let mut text = String::new();
        let mut source: Option<&dyn std::error::Error> = Some(e);
        while let Some(s) = source {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&strip_url(&s.to_string()));
            source = s.source();
        }
        text
    }

    fn into_error(self, provider: &'static str, operation: &'static str, attempts: u32) -> Error {
        let message = self.message();
        match self {
            Failure::Send(e) if e.is_connect() => {
                let mut t = TransportError::new(provider, operation, message);
                t.attempts = attempts;
                t.into()
            }
            Failure::Send(e) => {
                let cause = if e.is_timeout() {
                    UnknownCause::Timeout
                } else {
                    UnknownCause::ConnectionLost
                };
                let mut u = OutcomeUnknown::new(provider, operation, cause, message);
                u.attempts = attempts;
                u.into()
            }
            Failure::Body(status, e) => {
                let cause = if e.is_timeout() {
                    UnknownCause::Timeout
                } else {
                    UnknownCause::ConnectionLost
                };
                let mut u = OutcomeUnknown::new(provider, operation, cause, message);
                u.http_status = Some(status);
                u.attempts = attempts;
                u.into()
            }
        }
    }
}

fn strip_url(text: &str) -> String {
    // reqwest formats "error sending request for url (http://...)"; keep the words.
    match text.find(" for url (") {
        Some(i) => {
            let rest = &text[i..];
            let end = rest.find(')').map_or(text.len(), |j| i + j + 1);
            format!("{}{}", &text[..i], &text[end..])
        }
        None => text.to_string(),
    }
}

/// The delay before the next attempt after a transient status, or `None` when the
/// provider asked for a longer wait than the policy allows.
fn retry_delay(
    policy: &RetryPolicy,
    attempt: u32,
    status: u16,
    headers: &HeaderMap,
) -> Option<Duration> {
    if matches!(status, 429 | 503)
        && let Some(wait) = headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after)
    {
        return (wait <= policy.max_retry_after).then_some(wait);
    }
    Some(policy.backoff(attempt))
}

/// Parses `Retry-After` as delta-seconds or an HTTP-date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let now = time::OffsetDateTime::now_utc();
    let delta = when - now;
    Some(Duration::try_from(delta).unwrap_or(Duration::ZERO))
}

/// Builder for [`Transport`].
#[derive(Debug, Clone)]
#[must_use]
pub struct TransportBuilder {
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent_suffix: Option<String>,
}

impl Default for TransportBuilder {
    fn default() -> Self {
        TransportBuilder {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::DEFAULT,
            user_agent_suffix: None,
        }
    }
}

impl TransportBuilder {
    /// Total time one attempt may take, connection and body included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The retry policy (default [`RetryPolicy::DEFAULT`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Appended to the `User-Agent`: `pagos/0.1.0 my-shop/1.4`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Builds the transport.
    ///
    /// # Errors
    /// [`Error::Config`] for a zero timeout, a user agent that is not a valid header,
    /// or a TLS backend that cannot be initialised.
    pub fn build(self) -> Result<Transport, Error> {
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(ConfigError::new("timeout", "timeouts must be greater than zero").into());
        }
        let user_agent = match &self.user_agent_suffix {
            Some(s) => format!("{USER_AGENT} {s}"),
            None => USER_AGENT.to_string(),
        };
        HeaderValue::from_str(&user_agent)
            .map_err(|_| ConfigError::new("user_agent_suffix", "not a valid header value"))?;
        let client = reqwest::Client::builder()
            .user_agent(user_agent.clone())
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            // A redirected POST could be replayed elsewhere; payment APIs do not redirect.
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true)
            .build()
            .map_err(|e| ConfigError::new("tls", format!("cannot build the HTTP client: {e}")))?;
        Ok(Transport {
            inner: Arc::new(Inner {
                client,
                retry: self.retry,
                timeout: self.timeout,
                user_agent,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_decides_default_idempotency() {
        let u = Url::parse("https://x.cl/").unwrap();
        assert_eq!(
            Request::new(Method::GET, u.clone(), "o").idempotency(),
            Idempotency::Idempotent
        );
        assert_eq!(
            Request::new(Method::DELETE, u.clone(), "o").idempotency(),
            Idempotency::Idempotent
        );
        assert_eq!(
            Request::new(Method::POST, u.clone(), "o").idempotency(),
            Idempotency::NonIdempotent
        );
        assert_eq!(
            Request::new(Method::PATCH, u.clone(), "o").idempotency(),
            Idempotency::NonIdempotent
        );
        assert_eq!(
            Request::new(Method::POST, u, "o")
                .idempotent()
                .idempotency(),
            Idempotency::Idempotent
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::attempts(5)
            .with_backoff(Duration::from_millis(100), Duration::from_millis(300));
        for _ in 0..50 {
            let d1 = p.backoff(1);
            assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100));
            let d3 = p.backoff(3);
            assert!(d3 >= Duration::from_millis(150) && d3 <= Duration::from_millis(300));
        }
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn strip_url_removes_the_url() {
        assert_eq!(
            strip_url("error sending request for url (http://127.0.0.1:1/x?token=1)"),
            "error sending request"
        );
    }
}
