//! Verified notifications: turn a provider's incoming webhook into an event the
//! application can trust, or a clear refusal.
//!
//! A webhook is where integrations go wrong: a forged POST marks an order paid, a
//! redelivered notification ships it twice, a re-serialized body fails a signature.
//! [`PaymentProvider::verify_notification`](crate::PaymentProvider::verify_notification)
//! takes what the merchant's server received ([`Notification`]: headers and the raw
//! body bytes) and what the merchant expects from its own order ([`Expected`]), and
//! returns a [`VerifiedEvent`] only when the notification is authentic and about that
//! order:
//!
//! - by **signature** where the provider signs its webhooks (Khipu API 3.0), checked
//!   over the raw bytes before anything is parsed;
//! - by **fetching** where it does not: the body only says *which* record changed, and
//!   the record is read back from the provider over an authenticated call (Khipu's
//!   notification API 1.3, KashIO events, ComproPago orders, the charge callbacks of
//!   Khipu Automatic Payments; its subscription callbacks are not about a payment and
//!   are confirmed with the Khipu client's own call). Nothing in an unsigned body is
//!   believed.
//!
//! Either way the event is then bound to the order: the provider's record must carry
//! the merchant's reference (or payment id), currency and amount, so a genuine
//! notification for another order, or for the same order at another amount, is
//! refused with [`Error::Notification`](crate::Error::Notification).
//!
//! Redeliveries are harmless: verification is a pure check plus, at most, a read, and
//! [`VerifiedEvent::event_key`] is the same for every delivery of one event, so the
//! application can store it and skip what it has already handled.
//!
//! ```
//! use pagos_core::notification::{Expected, Notification};
//! use pagos_core::{Currency, Money};
//!
//! let received = Notification::new(br#"{"payment_id":"p1"}"#)
//!     .with_header("X-Khipu-Signature", "t=1,s=abc");
//! assert_eq!(received.header("x-khipu-signature"), Some("t=1,s=abc"));
//! let expected = Expected::by_merchant_reference(Money::parse("1000", Currency::Clp)?, "order-42");
//! assert!(expected.validate().is_ok());
//! # Ok::<(), pagos_core::ValidationError>(())
//! ```

use std::fmt;

use crate::error::ValidationError;
use crate::money::Money;
use crate::payment::PaymentStatus;
use crate::raw::Raw;

/// An incoming notification as the merchant's HTTP server received it: the header
/// fields and the body bytes, untouched.
///
/// Framework-neutral on purpose: axum, actix-web and hyper each have their own header
/// types (and `http` versions), so a receiver copies the headers it has into this.
#[derive(Clone)]
pub struct Notification<'a> {
    body: &'a [u8],
    headers: Vec<(String, String)>,
}

impl<'a> Notification<'a> {
    /// A notification with `body`, the raw bytes of the POST body.
    pub fn new(body: &'a [u8]) -> Self {
        Notification {
            body,
            headers: Vec::new(),
        }
    }

    /// Adds a header field. Names compare without regard to ASCII case; a value that is
    /// not UTF-8 is kept with the bad bytes replaced, so it can only fail a check.
    #[must_use]
    pub fn with_header(mut self, name: impl AsRef<str>, value: impl AsRef<[u8]>) -> Self {
        self.headers.push((
            name.as_ref().to_ascii_lowercase(),
            String::from_utf8_lossy(value.as_ref()).into_owned(),
        ));
        self
    }

    /// The first value of header `name` (any ASCII case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// How many values header `name` has; a signature sent twice is suspicious.
    pub fn header_count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }

    /// The raw body bytes.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }
}

impl fmt::Debug for Notification<'_> {
    /// Header names and the body length only: a body may hold personal data and a
    /// header a token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Notification")
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Which of the merchant's orders a notification must be about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderRef {
    /// The merchant's own reference, given when the payment was created
    /// ([`CreatePayment::merchant_reference`](crate::CreatePayment::merchant_reference)).
    MerchantReference(String),
    /// The provider's payment id, returned when the payment was created
    /// ([`Payment::id`](crate::Payment::id)).
    PaymentId(String),
}

impl OrderRef {
    /// The expected value.
    pub fn value(&self) -> &str {
        match self {
            OrderRef::MerchantReference(v) | OrderRef::PaymentId(v) => v,
        }
    }

    /// The check that compares this reference.
    pub const fn check(&self) -> Check {
        match self {
            OrderRef::MerchantReference(_) => Check::MerchantReference,
            OrderRef::PaymentId(_) => Check::PaymentId,
        }
    }
}

/// What the merchant expects the notified payment to be, from its own order: which
/// order, and its amount and currency. There is no way to build one without the order,
/// so a notification can never confirm "any payment of this amount".
///
/// ```
/// use pagos_core::notification::{Check, Expected, OrderRef};
/// use pagos_core::{Currency, Money};
///
/// let amount = Money::parse("150.00", Currency::Mxn)?;
/// let by_id = Expected::by_payment_id(amount, "ord_1");
/// assert_eq!(by_id.order, OrderRef::PaymentId("ord_1".into()));
/// assert_eq!(by_id.order.check(), Check::PaymentId);
/// assert!(Expected::by_merchant_reference(amount, " ").validate().is_err());
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Expected {
    /// The order the payment must be for.
    pub order: OrderRef,
    /// The order's amount and currency.
    pub amount: Money,
}

impl Expected {
    /// Expects a payment of `amount` for `order`.
    pub fn new(amount: Money, order: OrderRef) -> Self {
        Expected { order, amount }
    }

    /// Expects a payment of `amount` carrying the merchant's `reference`.
    pub fn by_merchant_reference(amount: Money, reference: impl Into<String>) -> Self {
        Self::new(amount, OrderRef::MerchantReference(reference.into()))
    }

    /// Expects a payment of `amount` whose provider id is `payment_id`.
    pub fn by_payment_id(amount: Money, payment_id: impl Into<String>) -> Self {
        Self::new(amount, OrderRef::PaymentId(payment_id.into()))
    }

    /// Checks the expectation itself: a blank reference matches nothing, so it is a
    /// mistake to report before anything is fetched.
    ///
    /// # Errors
    /// A [`ValidationError`] on `expected.merchant_reference` or
    /// `expected.payment_id` when the reference is blank.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let field = match self.order {
            OrderRef::MerchantReference(_) => "expected.merchant_reference",
            OrderRef::PaymentId(_) => "expected.payment_id",
        };
        crate::validate::non_empty(field, self.order.value())
    }

    /// Binds a record the provider vouches for (fetched, or signed) to this order:
    /// the reference first, then currency, then amount. Pure: no I/O. Comparisons are
    /// exact (no trimming, no case folding) and amounts compare as numbers
    /// (`"1000.0000"` equals `1000`).
    ///
    /// ```
    /// use pagos_core::notification::{Check, Expected, Vouched};
    /// use pagos_core::{Currency, Money};
    ///
    /// let amount = Money::parse("1000", Currency::Clp)?;
    /// let record = Vouched { payment_id: "p1", merchant_reference: Some("order-43"), amount: Some(amount) };
    /// let err = Expected::by_merchant_reference(amount, "order-42")
    ///     .bind("khipu", &record)
    ///     .unwrap_err();
    /// assert_eq!(err.check(), Check::MerchantReference);
    /// # Ok::<(), pagos_core::ValidationError>(())
    /// ```
    ///
    /// # Errors
    /// A [`NotificationError`] naming the first check that failed, with the expected
    /// and the actual value.
    pub fn bind(
        &self,
        provider: &'static str,
        record: &Vouched<'_>,
    ) -> Result<(), NotificationError> {
        let actual_order = match self.order {
            OrderRef::MerchantReference(_) => record.merchant_reference,
            OrderRef::PaymentId(_) => Some(record.payment_id),
        };
        let expected_order = self.order.value();
        if expected_order.trim().is_empty() || actual_order != Some(expected_order) {
            return Err(NotificationError::mismatch(
                provider,
                self.order.check(),
                expected_order,
                actual_order.unwrap_or(ABSENT),
            ));
        }
        let Some(actual) = record.amount else {
            return Err(NotificationError::mismatch(
                provider,
                Check::Amount,
                &self.amount.to_plain_string(),
                ABSENT,
            ));
        };
        if actual.currency() != self.amount.currency() {
            return Err(NotificationError::mismatch(
                provider,
                Check::Currency,
                self.amount.currency().code(),
                actual.currency().code(),
            ));
        }
        if actual.amount() != self.amount.amount() {
            return Err(NotificationError::mismatch(
                provider,
                Check::Amount,
                &self.amount.to_plain_string(),
                &actual.to_plain_string(),
            ));
        }
        Ok(())
    }
}

const ABSENT: &str = "(absent)";

/// The fields of a provider record that [`Expected::bind`] compares.
#[derive(Debug, Clone, Copy)]
pub struct Vouched<'a> {
    /// The provider's payment id.
    pub payment_id: &'a str,
    /// The merchant's reference the record carries, if any.
    pub merchant_reference: Option<&'a str>,
    /// The record's amount, when it has one the SDK could read exactly.
    pub amount: Option<Money>,
}

/// How a [`VerifiedEvent`] was authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum VerifiedBy {
    /// The provider's signature over the raw body checked out, within the tolerance.
    Signature,
    /// The record was fetched from the provider over an authenticated call.
    Fetch,
}

/// A notification that is authentic and about the expected order.
///
/// `status` is the provider's current word on the payment, normalized; an application
/// fulfils the order only when it is [`PaymentStatus::Succeeded`], and stores
/// `event_key` to recognise a redelivery.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct VerifiedEvent {
    /// The provider's name.
    pub provider: &'static str,
    /// The provider's payment id.
    pub payment_id: String,
    /// The merchant's reference the provider holds for the payment.
    pub merchant_reference: Option<String>,
    /// The payment's status, normalized.
    pub status: PaymentStatus,
    /// The payment's amount.
    pub amount: Money,
    /// A key that is the same for every delivery of this event and different for
    /// another event (another payment, or the same payment in another state).
    pub event_key: String,
    /// Signature or fetch.
    pub verified_by: VerifiedBy,
    /// The provider's record the event was read from: the signed body or the fetched
    /// answer, exactly as received.
    pub raw: Raw,
}

impl VerifiedEvent {
    /// An event for `payment_id` in `status`, of `amount`.
    ///
    /// The event key defaults to `provider:payment_id:status`; providers with an
    /// event id of their own set it with [`VerifiedEvent::with_event_key`].
    pub fn new(
        provider: &'static str,
        payment_id: impl Into<String>,
        status: PaymentStatus,
        amount: Money,
        verified_by: VerifiedBy,
        raw: Raw,
    ) -> Self {
        let payment_id = payment_id.into();
        let event_key = format!("{provider}:{payment_id}:{}", status_key(&status));
        VerifiedEvent {
            provider,
            payment_id,
            merchant_reference: None,
            status,
            amount,
            event_key,
            verified_by,
            raw,
        }
    }

    /// Sets the merchant's reference.
    #[must_use]
    pub fn with_merchant_reference(mut self, reference: Option<String>) -> Self {
        self.merchant_reference = reference;
        self
    }

    /// Replaces the event key.
    #[must_use]
    pub fn with_event_key(mut self, key: impl Into<String>) -> Self {
        self.event_key = key.into();
        self
    }

    /// Whether the payment is paid, the one state in which to fulfil the order.
    pub fn is_paid(&self) -> bool {
        self.status == PaymentStatus::Succeeded
    }
}

fn status_key(status: &PaymentStatus) -> String {
    let name = match status {
        PaymentStatus::Pending => "pending",
        PaymentStatus::Processing => "processing",
        PaymentStatus::Succeeded => "succeeded",
        PaymentStatus::Canceled => "canceled",
        PaymentStatus::Expired => "expired",
        PaymentStatus::Refunded => "refunded",
        PaymentStatus::PartiallyRefunded => "partially_refunded",
        PaymentStatus::Failed => "failed",
        PaymentStatus::Unknown(s) => return format!("unknown({s})"),
    };
    name.to_string()
}

/// The check a refused notification failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// The body is not a notification of this provider (malformed, a field missing).
    Body,
    /// The signature is missing, malformed or wrong.
    Signature,
    /// The signature's timestamp is outside the tolerance (a replay, or a clock off).
    Timestamp,
    /// The record belongs to another merchant account (receiver id, account id).
    Account,
    /// The record carries another merchant reference.
    MerchantReference,
    /// The record is another payment.
    PaymentId,
    /// The currency differs from the order's.
    Currency,
    /// The amount differs from the order's.
    Amount,
}

impl Check {
    /// A short name, e.g. `"signature"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Check::Body => "body",
            Check::Signature => "signature",
            Check::Timestamp => "timestamp",
            Check::Account => "account",
            Check::MerchantReference => "merchant_reference",
            Check::PaymentId => "payment_id",
            Check::Currency => "currency",
            Check::Amount => "amount",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a notification was refused. It will be refused again: answer the provider with
/// a 4xx (or a 200 to stop its retries) and never fulfil the order on it.
///
/// ```
/// use pagos_core::notification::{Check, NotificationError};
/// let e = NotificationError::mismatch("kashio", Check::Amount, "10.00", "1.00");
/// assert_eq!(e.to_string(), "kashio notification refused: amount: expected 10.00, got 1.00");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotificationError {
    /// The provider's name.
    pub provider: &'static str,
    /// The check that failed.
    pub check: Check,
    /// What was wrong, e.g. `expected 10.00, got 1.00`. Never contains a secret or a
    /// full signature.
    pub message: String,
}

impl NotificationError {
    /// A refusal at `check` with `message`.
    pub fn new(provider: &'static str, check: Check, message: impl Into<String>) -> Self {
        NotificationError {
            provider,
            check,
            message: message.into(),
        }
    }

    /// A refusal because the record's value differs from the expected one. Values are
    /// cut to 64 characters.
    pub fn mismatch(provider: &'static str, check: Check, expected: &str, actual: &str) -> Self {
        Self::new(
            provider,
            check,
            format!("expected {}, got {}", cut(expected), cut(actual)),
        )
    }

    /// The check that failed.
    pub fn check(&self) -> Check {
        self.check
    }
}

fn cut(value: &str) -> String {
    let head: String = value.chars().take(64).collect();
    if head.len() < value.len() {
        format!("{head}…")
    } else {
        head
    }
}

impl fmt::Display for NotificationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} notification refused: {}: {}",
            self.provider, self.check, self.message
        )
    }
}

impl std::error::Error for NotificationError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn clp(s: &str) -> Money {
        Money::parse(s, Currency::Clp).unwrap()
    }

    #[test]
    fn bind_checks_one_by_one() {
        let expected = Expected::by_merchant_reference(clp("1000"), "T-1");
        let ok = Vouched {
            payment_id: "p1",
            merchant_reference: Some("T-1"),
            amount: Some(clp("1000")),
        };
        assert!(expected.bind("khipu", &ok).is_ok());
        let fail = |v: Vouched<'_>, e: &Expected| e.bind("khipu", &v).unwrap_err().check();
        assert_eq!(
            fail(
                Vouched {
                    merchant_reference: Some("T-2"),
                    ..ok
                },
                &expected
            ),
            Check::MerchantReference
        );
        assert_eq!(
            fail(
                Vouched {
                    merchant_reference: None,
                    ..ok
                },
                &expected
            ),
            Check::MerchantReference
        );
        // Exact: a reference with white space around it is another reference.
        assert_eq!(
            fail(
                Vouched {
                    merchant_reference: Some(" T-1"),
                    ..ok
                },
                &expected
            ),
            Check::MerchantReference
        );
        assert_eq!(
            fail(
                Vouched {
                    amount: Some(clp("999")),
                    ..ok
                },
                &expected
            ),
            Check::Amount
        );
        assert_eq!(
            fail(Vouched { amount: None, ..ok }, &expected),
            Check::Amount
        );
        let usd = Money::parse("1000", Currency::Usd).unwrap();
        assert_eq!(
            fail(
                Vouched {
                    amount: Some(usd),
                    ..ok
                },
                &expected
            ),
            Check::Currency
        );
        let by_id = Expected::by_payment_id(clp("1000"), "p1");
        assert!(by_id.bind("khipu", &ok).is_ok());
        assert_eq!(
            fail(
                Vouched {
                    payment_id: "p2",
                    ..ok
                },
                &by_id
            ),
            Check::PaymentId
        );
        // A blank expectation matches nothing, not even a blank reference.
        let blank = Expected::by_merchant_reference(clp("1000"), "");
        assert_eq!(
            fail(
                Vouched {
                    merchant_reference: Some(""),
                    ..ok
                },
                &blank
            ),
            Check::MerchantReference
        );
    }

    #[test]
    fn event_keys_tell_events_apart_and_redeliveries_not() {
        let raw = Raw::from_json("{}").unwrap();
        let e = |status| {
            VerifiedEvent::new("x", "p1", status, clp("1"), VerifiedBy::Fetch, raw.clone())
        };
        assert_eq!(
            e(PaymentStatus::Succeeded).event_key,
            e(PaymentStatus::Succeeded).event_key
        );
        assert_ne!(
            e(PaymentStatus::Succeeded).event_key,
            e(PaymentStatus::Pending).event_key
        );
        assert_eq!(e(PaymentStatus::Succeeded).event_key, "x:p1:succeeded");
        assert!(e(PaymentStatus::Succeeded).is_paid());
    }

    #[test]
    fn headers_and_debug() {
        let n = Notification::new(b"secret body")
            .with_header("X-Sig", "t=1")
            .with_header("x-sig", [0xff, b'a']);
        assert_eq!(n.header("X-SIG"), Some("t=1"));
        assert_eq!(n.header_count("x-sig"), 2);
        let debug = format!("{n:?}");
        assert!(
            !debug.contains("secret") && !debug.contains("t=1"),
            "{debug}"
        );
        let long = "é".repeat(500);
        let e = NotificationError::mismatch("x", Check::Amount, &long, "1");
        assert!(e.to_string().chars().count() < 200);
    }
}
