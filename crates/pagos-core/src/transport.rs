//! The one HTTP transport every provider sends through.
//!
//! Provider crates are sans-IO: they describe a call as a [`Request`] and turn a
//! [`Response`] into typed values. The [`Transport`] owns everything in between:
//! timeouts, the retry policy, the `User-Agent`, tracing and redaction.
//!
//! # Retries
//! Every request says what a second copy would do ([`Idempotency`]):
//! - [`Idempotency::Read`] (`GET`, `HEAD`, `OPTIONS`, or a `POST` the provider crate
//!   marked [`Request::read_only`]): retried after 408, 429, 5xx, a timeout or a lost
//!   connection (not after an answer past the size limit: it would be as long again);
//! - [`Idempotency::Keyed`] (a request that changes state but carries the provider's
//!   idempotency reference, marked [`Request::idempotent`]): retried like a read, with
//!   identical bytes;
//! - [`Idempotency::NonIdempotent`] (every other `POST`, `PUT`, `PATCH`, `DELETE`):
//!   retried only when it never left (connection refused, DNS failure). Once it may
//!   have reached the provider it is sent exactly once, whatever happens.
//!
//! Delays grow exponentially with jitter; a `Retry-After` header (any RFC 9110 form)
//! is honoured when it is within [`RetryPolicy::max_retry_after`], and otherwise the
//! retries end and the refusal is returned with the advised wait.
//!
//! # Outcomes
//! [`Response::refusal`] is the one place a non-2xx answer becomes an [`Error`]: a 5xx
//! to a non-idempotent request is [`Error::OutcomeUnknown`] (the provider may have
//! acted before failing, and gateways answer 502/504 after it did), and so is any
//! refusal of a retry after an attempt whose outcome was unknown.
//!
//! # Limits
//! Every attempt has a total timeout; answers longer than
//! [`TransportBuilder::max_response_bytes`] are not read past the limit; proxies
//! are used only when configured with [`TransportBuilder::proxy`] (the
//! `HTTP_PROXY`-style variables of the environment are ignored, so a stray variable
//! cannot route credentials through a listener).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header;
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use secrecy::{ExposeSecret, SecretString};

use crate::error::{
    ConfigError, Error, OutcomeUnknown, ProviderError, TransportError, UnknownCause,
};

pub use reqwest::Method;

/// The `User-Agent` every request carries, before any application suffix.
pub const USER_AGENT: &str = concat!("pagos/", env!("CARGO_PKG_VERSION"));

/// The default limit on an answer's size: 16 MiB, well above the largest legitimate
/// answer (a TelePagos voucher PDF is a few hundred KiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Whether a request may be sent again after it may have reached the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Idempotency {
    /// Changes nothing: may be sent any number of times.
    Read,
    /// Changes state, but carries the provider's idempotency reference (TelePagos
    /// `reference_id`): the provider does it once however often it is sent.
    Keyed,
    /// Changes state and repeating it could do the thing twice (create a second
    /// payment, refund twice): never resent once it may have reached the provider.
    NonIdempotent,
}

impl Idempotency {
    /// `true` unless the request only reads.
    pub fn changes_state(self) -> bool {
        self != Idempotency::Read
    }

    /// `true` when a second copy cannot do harm (a read or a keyed request).
    pub fn is_safe_to_repeat(self) -> bool {
        self != Idempotency::NonIdempotent
    }
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
    /// A request with no body; `GET`, `HEAD` and `OPTIONS` are reads, every other
    /// method changes state and is [`Idempotency::NonIdempotent`] until marked
    /// otherwise. `PUT` and `DELETE` are not trusted to be idempotent: a cancel whose
    /// answer was lost and that is sent again is refused ("already canceled") although
    /// it did what was asked.
    pub fn new(method: Method, url: Url, operation: &'static str) -> Self {
        let idempotency = if matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
            Idempotency::Read
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
        self.idempotency = Idempotency::Keyed;
        self
    }

    /// Marks a request whose method is not a read's (a `POST` that obtains a token,
    /// a search sent as `POST`) as changing nothing at the provider.
    #[must_use]
    pub fn read_only(mut self) -> Self {
        self.idempotency = Idempotency::Read;
        self
    }

    /// The same request marked with another idempotency (the executor applies an
    /// endpoint's [`crate::endpoint::Endpoint::IDEMPOTENCY`] this way).
    #[must_use]
    pub fn with_idempotency(mut self, idempotency: Idempotency) -> Self {
        self.idempotency = idempotency;
        self
    }

    /// The same request under another operation name.
    #[must_use]
    pub fn with_operation(mut self, operation: &'static str) -> Self {
        self.operation = operation;
        self
    }

    /// The query string, if any.
    pub fn query_str(&self) -> Option<&str> {
        self.url.query()
    }

    /// A header's value as text, if present and printable (tests and signers).
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
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
    idempotency: Idempotency,
    earlier_attempt_unknown: bool,
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
            idempotency: Idempotency::Read,
            earlier_attempt_unknown: false,
        }
    }

    /// The same response as the answer to a request of this idempotency (a response
    /// built by hand is an answer to a read until told otherwise).
    #[must_use]
    pub fn with_idempotency(mut self, idempotency: Idempotency) -> Self {
        self.idempotency = idempotency;
        self
    }

    /// The same response, marked as coming after an attempt whose outcome is unknown.
    #[must_use]
    pub fn after_unknown_attempt(mut self) -> Self {
        self.earlier_attempt_unknown = true;
        self
    }

    /// Whether the request this answers was safe to repeat.
    pub fn idempotency(&self) -> Idempotency {
        self.idempotency
    }

    /// Whether an earlier attempt of the same request had an unknown outcome (it timed
    /// out, lost its connection or got a 5xx, and this answer is to a retry).
    pub fn earlier_attempt_unknown(&self) -> bool {
        self.earlier_attempt_unknown
    }

    /// The `Retry-After` wait the answer asked for, in any RFC 9110 form.
    pub fn retry_after(&self) -> Option<Duration> {
        self.headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after)
    }

    /// `true` for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as text, invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as text with every credential-like field redacted
    /// ([`crate::redact::body`]): what errors keep as the raw body.
    pub fn redacted_text(&self) -> String {
        crate::redact::body(&String::from_utf8_lossy(&self.body))
    }

    /// Decodes the body as JSON into `T`.
    ///
    /// # Errors
    /// [`Error::OutcomeUnknown`] with [`UnknownCause::UndecodableResponse`] and the raw
    /// body kept: a success the SDK cannot read means it cannot tell what happened.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| self.undecodable(e.to_string()).into())
    }

    /// The body as a [`Raw`](crate::Raw) answer.
    ///
    /// # Errors
    /// [`Error::OutcomeUnknown`] when the body is not JSON.
    pub fn raw(&self) -> Result<crate::Raw, Error> {
        crate::Raw::from_slice(&self.body).map_err(|e| self.undecodable(e.to_string()).into())
    }

    /// Decodes the body into `T` and keeps it as a [`Raw`](crate::Raw): the body is
    /// checked once as JSON and decoded once into `T`, never rebuilt.
    ///
    /// # Errors
    /// [`Error::OutcomeUnknown`] with [`UnknownCause::UndecodableResponse`] and the raw
    /// body kept.
    pub fn json_with_raw<T: DeserializeOwned>(&self) -> Result<(T, crate::Raw), Error> {
        let raw = self.raw()?;
        let typed = raw
            .decode()
            .map_err(|e| Error::from(self.undecodable(e.to_string())))?;
        Ok((typed, raw))
    }

    /// An [`OutcomeUnknown`] for this response's body (redacted), with the decoder's
    /// message.
    pub fn undecodable(&self, detail: impl Into<String>) -> OutcomeUnknown {
        let text = self.text();
        let redacted = crate::redact::body(&text);
        let mut detail = detail.into();
        if redacted != text {
            // The body holds a credential, and a decoder's message quotes the values it
            // rejects: keep the message's shape, not its quotes.
            detail = crate::redact::quoted(&detail);
        }
        let mut e = OutcomeUnknown::undecodable(
            self.provider,
            self.operation,
            self.status,
            redacted,
            detail,
        );
        e.attempts = self.attempts;
        e.idempotency = self.idempotency;
        e
    }

    /// A [`ProviderError`] for this response with a generic message, the redacted body
    /// and the `Retry-After` wait; the provider crate refines it with the code,
    /// message and field errors of its error envelope, then hands it to
    /// [`Response::refusal`].
    pub fn provider_error(&self) -> ProviderError {
        let mut e = ProviderError::new(
            self.provider,
            self.operation,
            self.status,
            self.redacted_text(),
        )
        .with_attempts(self.attempts);
        e.retry_after = self.retry_after();
        e
    }

    /// The error this answer means, given the provider's reading of it: the one place
    /// a refusal becomes an [`Error`].
    ///
    /// - a 5xx to a non-idempotent request is [`Error::OutcomeUnknown`]
    ///   ([`UnknownCause::ServerError`]): the provider, or a gateway in front of it,
    ///   may have failed after acting; so is a refusal the provider's reading marked
    ///   [`ProviderError::as_server_failure`] (a 5xx code inside a 200 envelope);
    /// - any refusal that answers a retry after an attempt whose outcome is unknown is
    ///   [`Error::OutcomeUnknown`] ([`UnknownCause::EarlierAttemptUnknown`]): the
    ///   first attempt may have done what was asked;
    /// - anything else is the definite refusal [`Error::Provider`].
    ///
    /// ```
    /// use pagos_core::{Error, Response, Resend};
    /// use pagos_core::transport::Idempotency;
    ///
    /// let gateway = Response::new("khipu", "create_payment", 504, "<html>Gateway Timeout</html>")
    ///     .with_idempotency(Idempotency::NonIdempotent);
    /// let err = gateway.refusal(gateway.provider_error());
    /// assert!(matches!(err, Error::OutcomeUnknown(_)));
    /// assert_eq!(err.resend(), Resend::AfterLookup);
    ///
    /// let bad_input = Response::new("khipu", "create_payment", 400, r#"{"message":"bad"}"#)
    ///     .with_idempotency(Idempotency::NonIdempotent);
    /// assert!(matches!(bad_input.refusal(bad_input.provider_error()), Error::Provider(_)));
    /// ```
    pub fn refusal(&self, refusal: ProviderError) -> Error {
        let failed = self.status >= 500 || refusal.server_failure;
        if failed && self.idempotency == Idempotency::NonIdempotent {
            // No hint here: the provider crate adds one that names how to look this
            // operation up (its id, the merchant's reference).
            return OutcomeUnknown::from_refusal(
                refusal,
                UnknownCause::ServerError,
                self.idempotency,
            )
            .into();
        }
        if self.earlier_attempt_unknown {
            return OutcomeUnknown::from_refusal(
                refusal,
                UnknownCause::EarlierAttemptUnknown,
                self.idempotency,
            )
            .into();
        }
        Error::Provider(Box::new(refusal))
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
            .field("idempotency", &self.idempotency)
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
    sender: Arc<dyn HttpSend>,
    retry: RetryPolicy,
    timeout: Duration,
    user_agent: String,
    max_response_bytes: usize,
    proxied: bool,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("user_agent", &self.inner.user_agent)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            // The proxy URL may carry credentials: only whether one is set.
            .field("proxied", &self.inner.proxied)
            .field("sender", &self.inner.sender)
            .finish()
    }
}

impl Transport {
    /// A transport with the defaults: 30 s total timeout, 10 s connect timeout,
    /// [`RetryPolicy::DEFAULT`], answers up to [`DEFAULT_MAX_RESPONSE_BYTES`], no proxy.
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

    /// The largest answer body read, in bytes.
    pub fn max_response_bytes(&self) -> usize {
        self.inner.max_response_bytes
    }

    /// Sends a request, retrying as the [module docs](self) describe, and returns the
    /// final answer whatever its status. Provider crates turn non-2xx answers into
    /// errors with [`Response::refusal`].
    ///
    /// # Errors
    /// [`Error::NotSent`] when no attempt reached the provider; [`Error::OutcomeUnknown`]
    /// when the last attempt timed out, lost its connection or sent an answer larger
    /// than the limit, or when an earlier attempt of a request that changes state did.
    pub async fn send(&self, provider: &'static str, request: Request) -> Result<Response, Error> {
        let policy = self.inner.retry;
        let idempotency = request.idempotency;
        let mut attempt = 0u32;
        // Set once an attempt of a state-changing request may have reached the provider
        // without a definite answer: from then on no failure can be reported as "not
        // sent" or as a plain refusal.
        let mut earlier_unknown = false;
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
            let end = match &outcome {
                Ok(answer) => {
                    span.record("status", answer.status);
                    AttemptEnd::Answer {
                        status: answer.status,
                        retry_after: answer
                            .headers
                            .get(header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(parse_retry_after),
                    }
                }
                Err(failure) => AttemptEnd::Failed(failure.kind),
            };
            match retry_decision(&policy, idempotency, attempt, &end) {
                RetryDecision::Retry {
                    wait,
                    may_have_acted,
                } => {
                    let delay = match wait {
                        Wait::Backoff => policy.backoff(attempt),
                        Wait::Exactly(d) => d,
                    };
                    match &outcome {
                        Ok(a) => {
                            tracing::debug!(parent: &span, status = a.status, ?delay, "retrying after a transient answer");
                        }
                        Err(f) => {
                            tracing::debug!(parent: &span, error = %f.message, ?delay, "retrying after a transport failure");
                        }
                    }
                    earlier_unknown |= may_have_acted;
                    tokio::time::sleep(delay).await;
                }
                RetryDecision::Stop => {
                    return match outcome {
                        Ok(answer) => {
                            tracing::debug!(parent: &span, status = answer.status, latency_ms, "answer");
                            Ok(Response {
                                provider,
                                operation: request.operation,
                                status: answer.status,
                                headers: answer.headers,
                                body: answer.body,
                                attempts: attempt,
                                idempotency,
                                earlier_attempt_unknown: earlier_unknown,
                            })
                        }
                        Err(failure) => {
                            tracing::debug!(parent: &span, error = %failure.message, "transport failure");
                            Err(failure.into_error(
                                provider,
                                request.operation,
                                attempt,
                                idempotency,
                                earlier_unknown,
                            ))
                        }
                    };
                }
            }
        }
    }

    /// One attempt through the sender, bounded by the total timeout whatever the
    /// sender does.
    async fn attempt(&self, request: &Request) -> Result<HttpAnswer, SendError> {
        let limit = self.inner.max_response_bytes;
        match tokio::time::timeout(self.inner.timeout, self.inner.sender.send(request, limit)).await
        {
            Ok(Ok(answer)) if answer.body.len() > limit => {
                Err(SendError::too_large(answer.status, limit))
            }
            Ok(result) => result,
            Err(_) => Err(SendError::timeout(format!(
                "no complete answer within {:?}",
                self.inner.timeout
            ))),
        }
    }
}

/// One attempt's answer, as an [`HttpSend`] returns it: any status, the body read in
/// full (up to the limit the transport passes).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HttpAnswer {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl HttpAnswer {
    /// An answer with no headers.
    ///
    /// ```
    /// let answer = pagos_core::transport::HttpAnswer::new(200, "{}");
    /// assert_eq!(answer.status, 200);
    /// ```
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        HttpAnswer {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    /// The same answer with these headers.
    #[must_use]
    pub fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }
}

/// How one attempt failed before a complete answer arrived. The kind decides what
/// the transport may do next; see [`retry_decision`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SendErrorKind {
    /// The request never left (connection refused, DNS failure): sending it again
    /// cannot do anything twice.
    NotSent,
    /// The request cannot be sent as it is (a URL the client cannot write): it never
    /// left, and would fail again.
    Unsendable,
    /// No complete answer within the timeout: the provider may have acted.
    Timeout,
    /// The connection broke after the request may have left.
    ConnectionLost,
    /// The answer is longer than the limit: reading it again would be as long.
    TooLarge,
}

/// Why one attempt of an [`HttpSend`] failed. Its message must name no URL, header
/// or body (the transport strips a trailing `for url (...)` as a second guard).
#[derive(Debug, Clone)]
pub struct SendError {
    kind: SendErrorKind,
    status: Option<u16>,
    message: String,
}

impl SendError {
    /// A failure of this kind with a message.
    ///
    /// ```
    /// use pagos_core::transport::{SendError, SendErrorKind};
    /// let e = SendError::new(SendErrorKind::NotSent, "connection refused");
    /// assert_eq!(e.kind(), SendErrorKind::NotSent);
    /// ```
    pub fn new(kind: SendErrorKind, message: impl Into<String>) -> Self {
        SendError {
            kind,
            status: None,
            message: strip_url(&message.into()),
        }
    }

    /// The request never left.
    pub fn not_sent(message: impl Into<String>) -> Self {
        SendError::new(SendErrorKind::NotSent, message)
    }

    /// No complete answer in time.
    pub fn timeout(message: impl Into<String>) -> Self {
        SendError::new(SendErrorKind::Timeout, message)
    }

    /// The connection broke after the request may have left.
    pub fn connection_lost(message: impl Into<String>) -> Self {
        SendError::new(SendErrorKind::ConnectionLost, message)
    }

    /// The answer (with this status) is longer than `limit` bytes.
    pub fn too_large(status: u16, limit: usize) -> Self {
        SendError::new(
            SendErrorKind::TooLarge,
            format!("the answer is longer than the limit of {limit} bytes"),
        )
        .with_status(status)
    }

    /// The same failure, after the answer's status line arrived.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// What kind of failure it is.
    pub fn kind(&self) -> SendErrorKind {
        self.kind
    }

    /// The status of the answer that was being read, if one arrived.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn into_error(
        self,
        provider: &'static str,
        operation: &'static str,
        attempts: u32,
        idempotency: Idempotency,
        earlier_unknown: bool,
    ) -> Error {
        let cause = match self.kind {
            SendErrorKind::NotSent | SendErrorKind::Unsendable => {
                if !earlier_unknown {
                    let mut t = TransportError::new(provider, operation, self.message);
                    t.attempts = attempts;
                    return t.into();
                }
                // This attempt never left, but an earlier one may have acted.
                UnknownCause::EarlierAttemptUnknown
            }
            SendErrorKind::Timeout => UnknownCause::Timeout,
            SendErrorKind::ConnectionLost => UnknownCause::ConnectionLost,
            SendErrorKind::TooLarge => UnknownCause::ResponseTooLarge,
        };
        let mut u = OutcomeUnknown::new(provider, operation, cause, self.message)
            .with_idempotency(idempotency);
        u.http_status = self.status;
        u.attempts = attempts;
        u.into()
    }
}

/// Sends one attempt of a [`Request`]: what any HTTP client can do. The
/// [`Transport`] owns everything around it (timeout, retries, the size limit's
/// enforcement, tracing), so an implementation stays small: write the method, URL,
/// headers and body, read the status, headers and at most `max_response_bytes` of
/// body, and say how it failed. [`ReqwestSender`] is the default; see
/// `examples/custom-sender` for one over a plain TCP stream.
///
/// ```
/// use pagos_core::async_trait;
/// use pagos_core::transport::{HttpAnswer, HttpSend, Request, SendError};
///
/// /// Answers every request with the same body: a test double.
/// #[derive(Debug)]
/// struct Canned(&'static str);
///
/// #[async_trait]
/// impl HttpSend for Canned {
///     async fn send(&self, _request: &Request, _max: usize) -> Result<HttpAnswer, SendError> {
///         Ok(HttpAnswer::new(200, self.0))
///     }
/// }
/// let transport = pagos_core::Transport::builder().sender(Canned("{}")).build()?;
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[async_trait::async_trait]
pub trait HttpSend: Send + Sync + fmt::Debug {
    /// Sends `request` once, with no retry of its own.
    ///
    /// # Errors
    /// A [`SendError`] whose kind says whether the request may have left.
    async fn send(
        &self,
        request: &Request,
        max_response_bytes: usize,
    ) -> Result<HttpAnswer, SendError>;
}

/// The default [`HttpSend`]: reqwest with rustls, no redirects, no ambient proxy.
#[derive(Debug, Clone)]
pub struct ReqwestSender {
    client: reqwest::Client,
}

#[async_trait::async_trait]
impl HttpSend for ReqwestSender {
    async fn send(&self, request: &Request, limit: usize) -> Result<HttpAnswer, SendError> {
        let mut builder = self
            .client
            .request(request.method.clone(), request.url.clone())
            .headers(request.headers.clone());
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let mut response = builder.send().await.map_err(|e| {
            let e = e.without_url();
            // A connect error means the request bytes never left; hyper retries a
            // pooled connection that closed before writing on its own, so what reaches
            // us as "connect" is genuinely unsent. A builder error (a URL the client
            // cannot write, e.g. a path of many kilobytes) never left either.
            let kind = if e.is_builder() {
                SendErrorKind::Unsendable
            } else if e.is_connect() {
                SendErrorKind::NotSent
            } else if e.is_timeout() {
                SendErrorKind::Timeout
            } else {
                SendErrorKind::ConnectionLost
            };
            SendError::new(kind, error_chain(&e))
        })?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        // Refuse a declared length past the limit before reading a byte of it; within
        // it, the declared length sizes the buffer once.
        let declared = response
            .content_length()
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        if declared.is_some_and(|n| n > limit) {
            return Err(SendError::too_large(status, limit));
        }
        let mut body = Vec::with_capacity(declared.unwrap_or(0));
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len().saturating_add(chunk.len()) > limit {
                        return Err(SendError::too_large(status, limit));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => {
                    return Ok(HttpAnswer {
                        status,
                        headers,
                        body: Bytes::from(body),
                    });
                }
                Err(e) => {
                    let e = e.without_url();
                    let kind = if e.is_timeout() {
                        SendErrorKind::Timeout
                    } else {
                        SendErrorKind::ConnectionLost
                    };
                    return Err(SendError::new(kind, error_chain(&e)).with_status(status));
                }
            }
        }
    }
}

/// An error and its sources on one line, URLs dropped (`without_url` removed the
/// request's; `strip_url` is a second guard for the source chain).
fn error_chain(e: &reqwest::Error) -> String {
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

/// How an attempt ended, as [`retry_decision`] sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptEnd {
    /// A complete answer with this status and `Retry-After` wait.
    Answer {
        /// The HTTP status.
        status: u16,
        /// The parsed `Retry-After`, if any.
        retry_after: Option<Duration>,
    },
    /// No complete answer.
    Failed(SendErrorKind),
}

/// How long to wait before the next attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// The policy's exponential backoff with jitter ([`RetryPolicy::backoff`]).
    Backoff,
    /// Exactly this long (the provider's `Retry-After`).
    Exactly(Duration),
}

/// What the transport does after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Return this attempt's answer or error.
    Stop,
    /// Send the identical request again after `wait`.
    Retry {
        /// How long to wait first.
        wait: Wait,
        /// Whether the attempt just made may have done what was asked (a
        /// state-changing request that reached the provider without a definite
        /// answer): a later refusal or "not sent" must then be reported as unknown.
        may_have_acted: bool,
    },
}

/// The retry rule, as a pure function: after attempt number `attempt` (1-based) of a
/// request with this idempotency ended in `end`, stop or retry?
///
/// - transient answers (408, 429, 5xx) are retried for reads and keyed requests,
///   after `Retry-After` when it is within [`RetryPolicy::max_retry_after`] (beyond
///   it the retries stop and the refusal carries the wait), the backoff otherwise;
/// - failures before a complete answer are retried when the request never left, or
///   when it is safe to repeat; an unsendable request or an oversized answer is never
///   retried (it would fail the same way);
/// - nothing is retried past [`RetryPolicy::max_attempts`].
///
/// ```
/// use pagos_core::transport::{retry_decision, AttemptEnd, Idempotency, RetryDecision, SendErrorKind};
/// use pagos_core::RetryPolicy;
///
/// let p = RetryPolicy::attempts(3);
/// let lost = AttemptEnd::Failed(SendErrorKind::ConnectionLost);
/// assert_eq!(retry_decision(&p, Idempotency::NonIdempotent, 1, &lost), RetryDecision::Stop);
/// assert!(matches!(retry_decision(&p, Idempotency::Read, 1, &lost), RetryDecision::Retry { .. }));
/// ```
pub fn retry_decision(
    policy: &RetryPolicy,
    idempotency: Idempotency,
    attempt: u32,
    end: &AttemptEnd,
) -> RetryDecision {
    if attempt >= policy.max_attempts {
        return RetryDecision::Stop;
    }
    match *end {
        AttemptEnd::Answer {
            status,
            retry_after,
        } => {
            let transient = matches!(status, 408 | 429 | 500..=599);
            if !transient || !idempotency.is_safe_to_repeat() {
                return RetryDecision::Stop;
            }
            let wait = match retry_after {
                Some(w) if w > policy.max_retry_after => return RetryDecision::Stop,
                Some(w) => Wait::Exactly(w),
                None => Wait::Backoff,
            };
            RetryDecision::Retry {
                wait,
                may_have_acted: idempotency.changes_state() && status >= 500,
            }
        }
        AttemptEnd::Failed(kind) => {
            let never_left = matches!(kind, SendErrorKind::NotSent | SendErrorKind::Unsendable);
            let permanent = matches!(kind, SendErrorKind::Unsendable | SendErrorKind::TooLarge);
            if permanent || !(never_left || idempotency.is_safe_to_repeat()) {
                return RetryDecision::Stop;
            }
            RetryDecision::Retry {
                wait: Wait::Backoff,
                may_have_acted: idempotency.changes_state() && !never_left,
            }
        }
    }
}

/// Drops a URL from an error message: reqwest formats "error sending request for url
/// (URL)", and the URL always ends the message, whatever characters it holds.
fn strip_url(text: &str) -> String {
    match text.find(" for url (") {
        Some(i) => text.get(..i).unwrap_or_default().to_string(),
        None => text.to_string(),
    }
}

/// Parses `Retry-After` in every form RFC 9110 allows: delta-seconds, or an HTTP-date
/// as IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) or asctime (`Sun Nov  6 08:49:37 1994`). A date
/// in the past is a zero wait.
///
/// ```
/// use std::time::Duration;
/// use pagos_core::transport::parse_retry_after;
/// assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::ZERO));
/// assert_eq!(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT"), Some(Duration::ZERO));
/// assert_eq!(parse_retry_after("Sun Nov  6 08:49:37 1994"), Some(Duration::ZERO));
/// assert_eq!(parse_retry_after("soon"), None);
/// ```
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    parse_retry_after_at(value, time::OffsetDateTime::now_utc())
}

/// [`parse_retry_after`] relative to `now`.
pub fn parse_retry_after_at(value: &str, now: time::OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Delta-seconds; an absurdly long one saturates rather than failing to parse.
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let when = parse_http_date(value)?;
    Some(Duration::try_from(when - now).unwrap_or(Duration::ZERO))
}

/// An HTTP-date in any of its three forms, always GMT.
fn parse_http_date(value: &str) -> Option<time::OffsetDateTime> {
    let words: Vec<&str> = value
        .split([' ', ',', '-'])
        .filter(|w| !w.is_empty())
        .collect();
    // IMF-fixdate: Sun 06 Nov 1994 08:49:37 GMT; RFC 850: Sunday 06 Nov 94 08:49:37 GMT;
    // asctime: Sun Nov 6 08:49:37 1994.
    let (day, month, year, clock) = match words.as_slice() {
        [_, day, month, year, clock, "GMT"] => (*day, *month, *year, *clock),
        [_, month, day, clock, year] => (*day, *month, *year, *clock),
        _ => return None,
    };
    let day: u8 = day.parse().ok()?;
    let month = month_from_abbrev(month)?;
    let mut year: i32 = year.parse().ok()?;
    if year < 100 {
        // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is in the past century.
        let current = time::OffsetDateTime::now_utc().year();
        year += 2000;
        if year > current + 50 {
            year -= 100;
        }
    }
    let mut parts = clock.split(':');
    let hour: u8 = parts.next()?.parse().ok()?;
    let minute: u8 = parts.next()?.parse().ok()?;
    let second: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let clock = time::Time::from_hms(hour, minute, second).ok()?;
    Some(time::PrimitiveDateTime::new(date, clock).assume_utc())
}

fn month_from_abbrev(s: &str) -> Option<time::Month> {
    use time::Month::*;
    Some(match s {
        "Jan" => January,
        "Feb" => February,
        "Mar" => March,
        "Apr" => April,
        "May" => May,
        "Jun" => June,
        "Jul" => July,
        "Aug" => August,
        "Sep" => September,
        "Oct" => October,
        "Nov" => November,
        "Dec" => December,
        _ => return None,
    })
}

/// Builder for [`Transport`].
#[derive(Clone)]
#[must_use]
pub struct TransportBuilder {
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent_suffix: Option<String>,
    max_response_bytes: usize,
    proxy: Option<SecretString>,
    sender: Option<Arc<dyn HttpSend>>,
}

impl fmt::Debug for TransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportBuilder")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("proxy", &self.proxy.as_ref().map(|_| "[REDACTED]"))
            .field("sender", &self.sender)
            .finish()
    }
}

impl Default for TransportBuilder {
    fn default() -> Self {
        TransportBuilder {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::DEFAULT,
            user_agent_suffix: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            proxy: None,
            sender: None,
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

    /// The largest answer body read (default [`DEFAULT_MAX_RESPONSE_BYTES`]). A longer
    /// answer ends the attempt with [`UnknownCause::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sends every request through this proxy (`http://`, `https://` or `socks5://`
    /// URL, credentials allowed). Without it no proxy is used: the `HTTP_PROXY`,
    /// `HTTPS_PROXY` and `ALL_PROXY` variables of the environment are ignored. The
    /// facade reads `PAGOS_PROXY` for this.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(SecretString::from(url.into()));
        self
    }

    /// Sends every attempt through this HTTP client instead of reqwest
    /// ([`ReqwestSender`]). The transport still applies its timeout, retries, size
    /// limit and tracing around it; `connect_timeout`, `proxy` and the `User-Agent`
    /// are the sender's own business then.
    pub fn sender(mut self, sender: impl HttpSend + 'static) -> Self {
        self.sender = Some(Arc::new(sender));
        self
    }

    /// Builds the transport.
    ///
    /// # Errors
    /// [`Error::Config`] for a zero timeout or response limit, a user agent that is not
    /// a valid header, a proxy URL that does not parse (the message never echoes it),
    /// or a TLS backend that cannot be initialised.
    pub fn build(self) -> Result<Transport, Error> {
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(ConfigError::new("timeout", "timeouts must be greater than zero").into());
        }
        if self.max_response_bytes == 0 {
            return Err(ConfigError::new(
                "max_response_bytes",
                "the response limit must be greater than zero",
            )
            .into());
        }
        let user_agent = match &self.user_agent_suffix {
            Some(s) => format!("{USER_AGENT} {s}"),
            None => USER_AGENT.to_string(),
        };
        HeaderValue::from_str(&user_agent)
            .map_err(|_| ConfigError::new("user_agent_suffix", "not a valid header value"))?;
        let proxied = self.proxy.is_some();
        let sender: Arc<dyn HttpSend> = match self.sender {
            Some(sender) => sender,
            None => Arc::new(reqwest_sender(
                &user_agent,
                self.timeout,
                self.connect_timeout,
                self.proxy.as_ref(),
            )?),
        };
        Ok(Transport {
            inner: Arc::new(Inner {
                sender,
                retry: self.retry,
                timeout: self.timeout,
                user_agent,
                max_response_bytes: self.max_response_bytes,
                proxied,
            }),
        })
    }
}

fn reqwest_sender(
    user_agent: &str,
    timeout: Duration,
    connect_timeout: Duration,
    proxy: Option<&SecretString>,
) -> Result<ReqwestSender, Error> {
    let mut client = reqwest::Client::builder()
        .user_agent(user_agent)
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        // A redirected POST could be replayed elsewhere; payment APIs do not redirect.
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true);
    client = match proxy {
        Some(url) => {
            // The URL may carry credentials: errors name the setting, never the value.
            let parsed = Url::parse(url.expose_secret())
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https" | "socks5" | "socks5h"))
                .ok_or_else(|| {
                    ConfigError::new("proxy", "not an http://, https:// or socks5:// URL")
                })?;
            let proxy = reqwest::Proxy::all(parsed.as_str())
                .map_err(|_| ConfigError::new("proxy", "the proxy URL was not accepted"))?;
            client.proxy(proxy)
        }
        // Ambient proxy variables are ignored on purpose (see the module docs).
        None => client.no_proxy(),
    };
    let client = client.build().map_err(|e| {
        ConfigError::new(
            "tls",
            format!(
                "cannot build the HTTP client: {}",
                strip_url(&e.to_string())
            ),
        )
    })?;
    Ok(ReqwestSender { client })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_decides_default_idempotency() {
        let u = Url::parse("https://x.cl/").unwrap();
        assert_eq!(
            Request::new(Method::GET, u.clone(), "o").idempotency(),
            Idempotency::Read
        );
        assert_eq!(
            Request::new(Method::DELETE, u.clone(), "o").idempotency(),
            Idempotency::NonIdempotent
        );
        assert_eq!(
            Request::new(Method::PUT, u.clone(), "o").idempotency(),
            Idempotency::NonIdempotent
        );
        assert_eq!(
            Request::new(Method::POST, u.clone(), "o")
                .read_only()
                .idempotency(),
            Idempotency::Read
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
            Idempotency::Keyed
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
    fn retry_after_every_rfc9110_form() {
        let now = time::macros::datetime!(1994-11-06 08:49:07 UTC);
        let thirty = Some(Duration::from_secs(30));
        let table = [
            ("30", thirty),
            (" 30 ", thirty),
            ("0", Some(Duration::ZERO)),
            ("Sun, 06 Nov 1994 08:49:37 GMT", thirty),
            ("Sunday, 06-Nov-94 08:49:37 GMT", thirty),
            ("Sun Nov  6 08:49:37 1994", thirty),
            ("Sun Nov 6 08:49:37 1994", thirty),
            // In the past: no wait.
            ("Sun, 06 Nov 1994 08:00:00 GMT", Some(Duration::ZERO)),
            (
                "99999999999999999999999",
                Some(Duration::from_secs(u64::MAX)),
            ),
            ("soon", None),
            ("", None),
            ("-5", None),
            ("1.5", None),
            ("Sun, 06 Nov 1994 08:49:37 PST", None),
            ("Sun, 32 Nov 1994 08:49:37 GMT", None),
            ("Sun, 06 Foo 1994 08:49:37 GMT", None),
            ("Sun, 06 Nov 1994 25:49:37 GMT", None),
            ("Sun Nov  6 08:49 1994", None),
            ("Sun, 06 Nov 1994 08:49:37:01 GMT", None),
            ("Sun, 06 Nov 99999999999 08:49:37 GMT", None),
            ("\u{202e}30", None),
        ];
        for (value, expected) in table {
            assert_eq!(parse_retry_after_at(value, now), expected, "{value:?}");
        }
    }

    #[test]
    fn strip_url_removes_the_url_whatever_it_holds() {
        for url in [
            "http://127.0.0.1:1/x?token=1",
            "http://user:pa)ss@127.0.0.1:1/x(y)?q=)",
            "http://127.0.0.1/é ü\u{0}",
        ] {
            let text = format!("error sending request for url ({url})");
            assert_eq!(strip_url(&text), "error sending request", "{url}");
        }
        assert_eq!(strip_url("connection refused"), "connection refused");
    }

    #[test]
    fn a_refusal_marked_as_a_server_failure_is_unknown_only_when_it_changes_state() {
        let body = r#"{"code":503,"status":"error"}"#;
        let create =
            Response::new("p", "create", 200, body).with_idempotency(Idempotency::NonIdempotent);
        let err = create.refusal(create.provider_error().as_server_failure());
        let Error::OutcomeUnknown(u) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(u.cause, UnknownCause::ServerError);
        let read = Response::new("p", "get", 200, body);
        assert!(matches!(
            read.refusal(read.provider_error().as_server_failure()),
            Error::Provider(_)
        ));
        let plain =
            Response::new("p", "create", 200, body).with_idempotency(Idempotency::NonIdempotent);
        assert!(matches!(
            plain.refusal(plain.provider_error()),
            Error::Provider(_)
        ));
    }

    #[test]
    fn retry_decision_table() {
        use AttemptEnd::{Answer, Failed};
        use Idempotency::{Keyed, NonIdempotent as Once, Read};
        use RetryDecision::{Retry, Stop};
        use SendErrorKind::*;
        let p = RetryPolicy::attempts(3).with_max_retry_after(Duration::from_secs(10));
        let status = |status| Answer {
            status,
            retry_after: None,
        };
        let after = |status, secs| Answer {
            status,
            retry_after: Some(Duration::from_secs(secs)),
        };
        let backoff = |may_have_acted| Retry {
            wait: Wait::Backoff,
            may_have_acted,
        };
        let exactly = |secs, may_have_acted| Retry {
            wait: Wait::Exactly(Duration::from_secs(secs)),
            may_have_acted,
        };
        #[rustfmt::skip]
        let table = [
            // (idempotency, attempt, end, decision)
            (Read, 1, status(200), Stop),
            (Read, 1, status(404), Stop),
            (Read, 1, status(400), Stop),
            (Read, 1, status(408), backoff(false)),
            (Read, 1, status(429), backoff(false)),
            (Read, 1, status(500), backoff(false)),
            (Read, 1, status(503), backoff(false)),
            (Read, 3, status(503), Stop),
            (Read, 1, after(429, 5), exactly(5, false)),
            (Read, 1, after(503, 10), exactly(10, false)),
            (Read, 1, after(503, 11), Stop),
            (Keyed, 1, status(500), backoff(true)),
            (Keyed, 1, status(429), backoff(false)),
            (Keyed, 1, after(502, 1), exactly(1, true)),
            (Once, 1, status(500), Stop),
            (Once, 1, status(429), Stop),
            (Once, 1, status(201), Stop),
            (Read, 1, Failed(NotSent), backoff(false)),
            (Keyed, 1, Failed(NotSent), backoff(false)),
            (Once, 1, Failed(NotSent), backoff(false)),
            (Once, 3, Failed(NotSent), Stop),
            (Once, 1, Failed(Unsendable), Stop),
            (Read, 1, Failed(Unsendable), Stop),
            (Read, 1, Failed(Timeout), backoff(false)),
            (Read, 1, Failed(ConnectionLost), backoff(false)),
            (Keyed, 1, Failed(Timeout), backoff(true)),
            (Keyed, 2, Failed(ConnectionLost), backoff(true)),
            (Once, 1, Failed(Timeout), Stop),
            (Once, 1, Failed(ConnectionLost), Stop),
            (Read, 1, Failed(TooLarge), Stop),
            (Keyed, 1, Failed(TooLarge), Stop),
        ];
        for (idempotency, attempt, end, expected) in table {
            assert_eq!(
                retry_decision(&p, idempotency, attempt, &end),
                expected,
                "{idempotency:?} attempt {attempt} {end:?}"
            );
        }
        assert_eq!(
            retry_decision(&RetryPolicy::NONE, Read, 1, &status(503)),
            Stop
        );
    }
}
