//! The one error type every pagos call returns.
//!
//! Errors fall into four families, and [`Error::resend`] tells the caller what is
//! safe to do with the identical request:
//!
//! | family | variants | was anything sent? | [`Resend`] |
//! |---|---|---|---|
//! | rejected before sending | [`Error::Validation`], [`Error::Config`], [`Error::Unsupported`] | no | `Never`: fix the input |
//! | the provider said no | [`Error::Provider`] | yes, and it answered with a definite refusal | `Safe` for 408 and 429 (after [`Error::retry_after`]) and for a 5xx to a read; `Never` otherwise |
//! | the request never left | [`Error::NotSent`] | no | `Safe` |
//! | the outcome is unknown | [`Error::OutcomeUnknown`] | maybe, and it may have taken effect | `Safe` for reads and calls carrying the provider's idempotency reference; `AfterLookup` for every other call that changes state |
//! | an incoming notification is not to be believed | [`Error::Notification`] | at most a read | `Never`: it will be refused again |
//!
//! A 5xx answer to a request that changes state and carries no idempotency reference
//! is never a refusal: gateways answer 502/504 after the provider processed the
//! request, so it is [`Error::OutcomeUnknown`] with [`UnknownCause::ServerError`],
//! keeping the status, the provider's code and message and the raw body.
//!
//! No variant ever carries a credential: request headers are never copied into an
//! error, answer bodies are redacted ([`crate::redact`]) before an error keeps them,
//! and URLs are stripped from transport errors.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::provider::Operation;
use crate::transport::Idempotency;

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a pagos call. See the [module docs](self).
///
/// ```
/// use pagos_core::{Error, ErrorKind, ValidationError};
/// let err: Error = ValidationError::new("amount", "must be positive").into();
/// assert_eq!(err.kind(), ErrorKind::Rejected);
/// assert_eq!(err.resend(), pagos_core::Resend::Never);
/// assert_eq!(err.to_string(), "invalid amount: must be positive");
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input failed validation; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The client is misconfigured (missing credential, bad base URL); nothing was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The provider has no such operation; nothing was sent.
    #[error("{provider} does not support {operation}")]
    Unsupported {
        /// The provider's name, e.g. `"khipu"`.
        provider: &'static str,
        /// The operation asked for.
        operation: Operation,
    },
    /// The provider answered and refused the request.
    #[error(transparent)]
    Provider(Box<ProviderError>),
    /// The request never reached the provider (connection refused, DNS failure).
    #[error(transparent)]
    NotSent(Box<TransportError>),
    /// The request may have been processed, but no usable answer came back.
    #[error(transparent)]
    OutcomeUnknown(Box<OutcomeUnknown>),
    /// An incoming notification failed verification: forged, replayed, malformed, or
    /// about another order. See [`crate::notification`].
    #[error(transparent)]
    Notification(Box<crate::notification::NotificationError>),
}

/// The family an [`Error`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Validation, configuration or an unsupported operation: nothing was sent.
    Rejected,
    /// The provider answered with an error.
    Provider,
    /// The request never left this process.
    NotSent,
    /// The request may have been processed; the answer was lost or unusable.
    OutcomeUnknown,
    /// An incoming notification was refused by verification.
    Unverified,
}

/// What sending the identical request again would do: the answer to "may I retry?".
///
/// The SDK already retried whatever it could retry safely; this tells the caller what
/// is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resend {
    /// Sending the identical request again is safe: it never took effect, it only
    /// reads, it carries the provider's idempotency reference, or the provider refused
    /// it without acting (408, 429: wait [`Error::retry_after`] first).
    Safe,
    /// The request changes state and may have taken effect: look the operation up
    /// (by its id or your own reference) and send it again only if it did not happen.
    /// Sending it blindly could charge, pay out or refund twice.
    AfterLookup,
    /// The identical request cannot succeed: the input, the configuration or the
    /// credentials must change first (or the provider refused it for good).
    Never,
}

impl fmt::Display for Resend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Resend::Safe => "safe to resend",
            Resend::AfterLookup => "look the operation up before resending",
            Resend::Never => "do not resend unchanged",
        })
    }
}

impl Error {
    /// Which family this error belongs to.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation(_) | Error::Config(_) | Error::Unsupported { .. } => {
                ErrorKind::Rejected
            }
            Error::Provider(_) => ErrorKind::Provider,
            Error::NotSent(_) => ErrorKind::NotSent,
            Error::OutcomeUnknown(_) => ErrorKind::OutcomeUnknown,
            Error::Notification(_) => ErrorKind::Unverified,
        }
    }

    /// What sending the identical request again would do. See [`Resend`].
    ///
    /// ```
    /// use pagos_core::{Error, OutcomeUnknown, ProviderError, Resend, UnknownCause};
    /// use pagos_core::transport::Idempotency;
    ///
    /// // A create whose answer was lost may have created the payment.
    /// let lost: Error = OutcomeUnknown::new("khipu", "create_payment", UnknownCause::Timeout, "")
    ///     .with_idempotency(Idempotency::NonIdempotent)
    ///     .into();
    /// assert_eq!(lost.resend(), Resend::AfterLookup);
    /// // A read whose answer was lost can simply be asked again.
    /// let read: Error = OutcomeUnknown::new("khipu", "get_payment", UnknownCause::Timeout, "")
    ///     .with_idempotency(Idempotency::Read)
    ///     .into();
    /// assert_eq!(read.resend(), Resend::Safe);
    /// // A definite refusal of the input will be refused again.
    /// let refused: Error = ProviderError::new("khipu", "create_payment", 400, "").into();
    /// assert_eq!(refused.resend(), Resend::Never);
    /// ```
    pub fn resend(&self) -> Resend {
        match self {
            Error::Validation(_) | Error::Config(_) | Error::Unsupported { .. } => Resend::Never,
            Error::Provider(p) => p.resend(),
            Error::NotSent(_) => Resend::Safe,
            Error::OutcomeUnknown(u) => u.resend(),
            Error::Notification(_) => Resend::Never,
        }
    }

    /// The wait the provider asked for (`Retry-After`) before the request may be sent
    /// again, when it asked for one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Provider(p) => p.retry_after,
            Error::OutcomeUnknown(u) => u.retry_after,
            _ => None,
        }
    }

    /// The answer to the request may have been lost after the provider acted on it.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown(_))
    }

    /// The provider's answer, when this is [`Error::Provider`].
    pub fn as_provider_error(&self) -> Option<&ProviderError> {
        match self {
            Error::Provider(p) => Some(p),
            _ => None,
        }
    }

    /// The field a validation error names.
    pub fn validation_field(&self) -> Option<&str> {
        match self {
            Error::Validation(v) => Some(v.field()),
            _ => None,
        }
    }

    /// How many HTTP attempts were made before this error, when any were.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Provider(p) => Some(p.attempts),
            Error::NotSent(t) => Some(t.attempts),
            Error::OutcomeUnknown(u) => Some(u.attempts),
            _ => None,
        }
    }

    /// Shorthand for an [`Error::Unsupported`].
    pub fn unsupported(provider: &'static str, operation: Operation) -> Error {
        Error::Unsupported {
            provider,
            operation,
        }
    }
}

impl From<ProviderError> for Error {
    fn from(e: ProviderError) -> Self {
        Error::Provider(Box::new(e))
    }
}

impl From<OutcomeUnknown> for Error {
    fn from(e: OutcomeUnknown) -> Self {
        Error::OutcomeUnknown(Box::new(e))
    }
}

impl From<crate::notification::NotificationError> for Error {
    fn from(e: crate::notification::NotificationError) -> Self {
        Error::Notification(Box::new(e))
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::NotSent(Box::new(e))
    }
}

/// An input value that failed validation, naming the field.
///
/// ```
/// use pagos_core::ValidationError;
/// let e = ValidationError::new("clabe", "wrong check digit");
/// assert_eq!(e.field(), "clabe");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field}: {message}")]
pub struct ValidationError {
    field: Cow<'static, str>,
    message: String,
}

impl ValidationError {
    /// Creates a validation error for `field`.
    pub fn new(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        ValidationError {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The field that failed, using the SDK's (not the wire's) name.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Why it failed.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error reported against another field name, e.g. `payer.email`.
    pub fn for_field(mut self, field: impl Into<Cow<'static, str>>) -> Self {
        self.field = field.into();
        self
    }
}

/// A configuration problem: a missing credential, a malformed base URL, a bad variable.
///
/// The message names the setting and never contains its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration error in {setting}: {message}")]
pub struct ConfigError {
    setting: Cow<'static, str>,
    message: String,
}

impl ConfigError {
    /// Creates a configuration error for `setting`.
    pub fn new(setting: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        ConfigError {
            setting: setting.into(),
            message: message.into(),
        }
    }

    /// The setting (builder method or environment variable) that is wrong.
    pub fn setting(&self) -> &str {
        &self.setting
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// One field the provider rejected, as reported in its error body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldError {
    /// The wire name of the field.
    pub field: String,
    /// The provider's message.
    pub message: String,
}

impl FieldError {
    /// Creates a field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The provider answered and said no.
///
/// ```
/// use pagos_core::ProviderError;
/// let e = ProviderError::new("khipu", "create_payment", 400, r#"{"status":400}"#)
///     .with_message("Datos inválidos");
/// assert_eq!(e.to_string(), "khipu create_payment failed with HTTP 400: Datos inválidos");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProviderError {
    /// The provider's name.
    pub provider: &'static str,
    /// The SDK operation, e.g. `"create_payment"`.
    pub operation: &'static str,
    /// The HTTP status (a provider may refuse with HTTP 200 and an error envelope).
    pub http_status: u16,
    /// The provider's own error code, when it sends one.
    pub code: Option<String>,
    /// The provider's message, or a short description when it sent none.
    pub message: String,
    /// Per-field errors, when the provider lists them.
    pub field_errors: Vec<FieldError>,
    /// The response body exactly as received (lossy UTF-8).
    pub raw_body: String,
    /// How many HTTP attempts were made.
    pub attempts: u32,
    /// The wait the provider asked for in `Retry-After`, when it sent one.
    pub retry_after: Option<Duration>,
    /// The provider said it failed while handling the request, whatever the HTTP
    /// status (ComproPago's error envelope with a 5xx `code` under HTTP 200): treated
    /// like an HTTP 5xx by [`crate::Response::refusal`].
    pub server_failure: bool,
}

impl ProviderError {
    /// Creates a provider error with a generic message; refine it with the `with_` methods.
    pub fn new(
        provider: &'static str,
        operation: &'static str,
        http_status: u16,
        raw_body: impl Into<String>,
    ) -> Self {
        ProviderError {
            provider,
            operation,
            http_status,
            code: None,
            message: format!("HTTP {http_status}"),
            field_errors: Vec::new(),
            raw_body: raw_body.into(),
            attempts: 1,
            retry_after: None,
            server_failure: false,
        }
    }

    /// Marks the refusal as the provider failing while it handled the request (see
    /// [`ProviderError::server_failure`]).
    #[must_use]
    pub fn as_server_failure(mut self) -> Self {
        self.server_failure = true;
        self
    }

    /// Sets the provider's message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Sets the provider's error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the per-field errors.
    pub fn with_field_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.field_errors = errors;
        self
    }

    /// Sets how many attempts were made.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// `true` for 401 and 403: the credentials or token were refused.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self.http_status, 401 | 403)
    }

    /// `true` for 408, 429 and 5xx: the provider may accept the same request later.
    ///
    /// A 5xx reaches a caller as a `ProviderError` only for requests that are safe to
    /// repeat; for any other request that changes state it is
    /// [`Error::OutcomeUnknown`].
    pub fn is_transient(&self) -> bool {
        matches!(self.http_status, 408 | 429 | 500..=599)
    }

    /// What sending the identical request again would do: [`Resend::Safe`] for a
    /// transient answer ([`ProviderError::is_transient`]), [`Resend::Never`] for any
    /// other refusal.
    pub fn resend(&self) -> Resend {
        if self.is_transient() {
            Resend::Safe
        } else {
            Resend::Never
        }
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} failed with HTTP {}",
            self.provider, self.operation, self.http_status
        )?;
        if let Some(code) = &self.code {
            write!(f, " (code {code})")?;
        }
        write!(f, ": {}", self.message)?;
        for fe in &self.field_errors {
            write!(f, "; {}: {}", fe.field, fe.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}

/// The request never reached the provider: it is safe to send it again.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{provider} {operation}: request not sent: {message}")]
#[non_exhaustive]
pub struct TransportError {
    /// The provider's name.
    pub provider: &'static str,
    /// The SDK operation.
    pub operation: &'static str,
    /// What failed (connection refused, DNS, TLS handshake...).
    pub message: String,
    /// How many attempts were made.
    pub attempts: u32,
}

impl TransportError {
    /// Creates a not-sent error.
    pub fn new(
        provider: &'static str,
        operation: &'static str,
        message: impl Into<String>,
    ) -> Self {
        TransportError {
            provider,
            operation,
            message: message.into(),
            attempts: 1,
        }
    }
}

/// Why the outcome of a request is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownCause {
    /// No complete answer arrived before the timeout.
    Timeout,
    /// The connection broke after the request was (or may have been) sent.
    ConnectionLost,
    /// An answer arrived but could not be understood (not JSON, truncated, wrong shape).
    UndecodableResponse,
    /// The provider (or a gateway in front of it) answered 5xx to a request that
    /// changes state: it may have acted before failing.
    ServerError,
    /// The answer was longer than the transport's limit and was not read to the end.
    ResponseTooLarge,
    /// A retry of a request that is safe to repeat was refused, but an earlier
    /// attempt's outcome is unknown: that attempt may have done what was asked.
    EarlierAttemptUnknown,
}

impl fmt::Display for UnknownCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UnknownCause::Timeout => "timed out",
            UnknownCause::ConnectionLost => "connection lost",
            UnknownCause::UndecodableResponse => "undecodable response",
            UnknownCause::ServerError => "server error",
            UnknownCause::ResponseTooLarge => "response too large",
            UnknownCause::EarlierAttemptUnknown => "an earlier attempt's outcome is unknown",
        })
    }
}

/// The request may have been processed, but the SDK cannot tell.
///
/// Before repeating a non-idempotent call (creating a payment, sending money), look
/// the operation up by your own reference: [`OutcomeUnknown::hint`] says how.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OutcomeUnknown {
    /// The provider's name.
    pub provider: &'static str,
    /// The SDK operation.
    pub operation: &'static str,
    /// What went wrong.
    pub cause: UnknownCause,
    /// The HTTP status, when a response started to arrive.
    pub http_status: Option<u16>,
    /// The body as received (credentials redacted), when one arrived.
    pub raw_body: Option<String>,
    /// The provider's error code, when its answer carried one.
    pub code: Option<String>,
    /// The provider's message, when its answer carried one.
    pub message: Option<String>,
    /// Technical detail (decoder message, transport error without URL).
    pub detail: String,
    /// How to find out what happened, e.g. "fetch the payment by transaction_id".
    pub hint: Option<String>,
    /// How many attempts were made.
    pub attempts: u32,
    /// Whether the request is safe to repeat; decides [`OutcomeUnknown::resend`].
    pub idempotency: Idempotency,
    /// The wait the provider asked for in `Retry-After`, when its answer had one.
    pub retry_after: Option<Duration>,
}

impl OutcomeUnknown {
    /// Creates an outcome-unknown error.
    pub fn new(
        provider: &'static str,
        operation: &'static str,
        cause: UnknownCause,
        detail: impl Into<String>,
    ) -> Self {
        OutcomeUnknown {
            provider,
            operation,
            cause,
            http_status: None,
            raw_body: None,
            code: None,
            message: None,
            detail: detail.into(),
            hint: None,
            attempts: 1,
            // Until told otherwise, assume the worst: the request changed state.
            idempotency: Idempotency::NonIdempotent,
            retry_after: None,
        }
    }

    /// An answer that arrived but could not be decoded; keeps the body.
    pub fn undecodable(
        provider: &'static str,
        operation: &'static str,
        http_status: u16,
        raw_body: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        let mut e = OutcomeUnknown::new(
            provider,
            operation,
            UnknownCause::UndecodableResponse,
            detail,
        );
        e.http_status = Some(http_status);
        e.raw_body = Some(raw_body.into());
        e
    }

    /// Sets the hint telling the caller how to find out what happened.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets whether the request was safe to repeat.
    pub fn with_idempotency(mut self, idempotency: Idempotency) -> Self {
        self.idempotency = idempotency;
        self
    }

    /// What sending the identical request again would do: [`Resend::AfterLookup`]
    /// for a request that changes state without an idempotency reference,
    /// [`Resend::Safe`] for reads and idempotent calls.
    pub fn resend(&self) -> Resend {
        match self.idempotency {
            Idempotency::NonIdempotent => Resend::AfterLookup,
            _ => Resend::Safe,
        }
    }

    /// The outcome-unknown form of a provider's refusal, keeping its status, code,
    /// message and raw body: used for a 5xx to a request that changes state and for a
    /// refused retry after an attempt whose outcome is unknown.
    pub fn from_refusal(
        refusal: ProviderError,
        cause: UnknownCause,
        idempotency: Idempotency,
    ) -> Self {
        let detail = format!("HTTP {}: {}", refusal.http_status, refusal.message);
        let mut e = OutcomeUnknown::new(refusal.provider, refusal.operation, cause, detail);
        e.http_status = Some(refusal.http_status);
        e.code = refusal.code;
        e.message = Some(refusal.message);
        e.raw_body = Some(refusal.raw_body);
        e.attempts = refusal.attempts;
        e.idempotency = idempotency;
        e.retry_after = refusal.retry_after;
        e
    }
}

impl fmt::Display for OutcomeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: outcome unknown ({}",
            self.provider, self.operation, self.cause
        )?;
        if let Some(status) = self.http_status {
            write!(f, ", HTTP {status}")?;
        }
        write!(f, "): {}", self.detail)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OutcomeUnknown {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_resend_advice() {
        let v: Error = ValidationError::new("x", "y").into();
        assert_eq!(v.kind(), ErrorKind::Rejected);
        assert_eq!(v.resend(), Resend::Never);
        let c: Error = ConfigError::new("PAGOS_X", "missing").into();
        assert_eq!(c.kind(), ErrorKind::Rejected);
        assert_eq!(c.resend(), Resend::Never);
        let u = Error::unsupported("khipu", Operation::CreatePayout);
        assert_eq!(u.to_string(), "khipu does not support create_payout");
        assert_eq!(u.resend(), Resend::Never);
        for (status, advice) in [
            (503, Resend::Safe),
            (429, Resend::Safe),
            (408, Resend::Safe),
            (400, Resend::Never),
            (401, Resend::Never),
            (404, Resend::Never),
            (409, Resend::Never),
        ] {
            let p: Error = ProviderError::new("k", "op", status, "").into();
            assert_eq!(p.resend(), advice, "HTTP {status}");
        }
        let n: Error = TransportError::new("k", "op", "refused").into();
        assert_eq!(n.resend(), Resend::Safe);
        for (idempotency, advice) in [
            (Idempotency::Read, Resend::Safe),
            (Idempotency::Keyed, Resend::Safe),
            (Idempotency::NonIdempotent, Resend::AfterLookup),
        ] {
            let o: Error = OutcomeUnknown::new("k", "op", UnknownCause::Timeout, "slow")
                .with_idempotency(idempotency)
                .into();
            assert_eq!(o.kind(), ErrorKind::OutcomeUnknown);
            assert_eq!(o.resend(), advice, "{idempotency:?}");
        }
        // The conservative default: an outcome-unknown error says look it up first.
        let o = OutcomeUnknown::new("k", "op", UnknownCause::ConnectionLost, "");
        assert_eq!(o.resend(), Resend::AfterLookup);
    }

    #[test]
    fn refusal_turned_unknown_keeps_what_the_provider_said() {
        let p = ProviderError::new(
            "khipu",
            "create_payment",
            504,
            "<html>Gateway Timeout</html>",
        )
        .with_code("GW")
        .with_message("Gateway Timeout")
        .with_attempts(1);
        let u =
            OutcomeUnknown::from_refusal(p, UnknownCause::ServerError, Idempotency::NonIdempotent);
        assert_eq!(u.http_status, Some(504));
        assert_eq!(u.code.as_deref(), Some("GW"));
        assert_eq!(u.message.as_deref(), Some("Gateway Timeout"));
        assert_eq!(u.raw_body.as_deref(), Some("<html>Gateway Timeout</html>"));
        assert_eq!(u.resend(), Resend::AfterLookup);
        assert_eq!(
            u.to_string(),
            "khipu create_payment: outcome unknown (server error, HTTP 504): HTTP 504: Gateway Timeout"
        );
    }

    #[test]
    fn provider_error_display_lists_fields() {
        let e = ProviderError::new("khipu", "create_payment", 400, "{}")
            .with_code("400")
            .with_message("Invalid data")
            .with_field_errors(vec![FieldError::new("amount", "too low")]);
        assert_eq!(
            e.to_string(),
            "khipu create_payment failed with HTTP 400 (code 400): Invalid data; amount: too low"
        );
    }

    #[test]
    fn outcome_unknown_display_has_hint() {
        let e =
            OutcomeUnknown::undecodable("khipu", "create_payment", 200, "<html>", "expected value")
                .with_hint("fetch the payment by transaction_id before retrying");
        assert_eq!(
            e.to_string(),
            "khipu create_payment: outcome unknown (undecodable response, HTTP 200): expected value; fetch the payment by transaction_id before retrying"
        );
    }
}
