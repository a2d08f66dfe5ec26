//! Payment notifications (notification API 1.3).
//!
//! When a payment is reconciled Khipu POSTs, form-encoded and unsigned,
//! `api_version=1.3&notification_token=<token>` to the payment's `notify_url`. Because
//! the POST is not signed, its content proves nothing: the merchant fetches the payment
//! by the token with a signed `GET /payments?notification_token=…` and checks it
//! against its own order before shipping anything. [`KhipuClient::verify_notification`]
//! does all of that:
//!
//! 1. parse the body ([`Notification::parse`]): `api_version` must be `1.3` and the
//!    token present;
//! 2. fetch the payment by the token;
//! 3. check it ([`ExpectedPayment::check`]): the receiver id is the client's, the
//!    payment is the merchant's order (its `transaction_id`, or its `payment_id`), it is
//!    `done` and paid (not reversed or rejected), and currency and amount are the
//!    order's.
//!
//! The order is required, not optional: a paid notification for *another* order of
//! the same amount is a real, signed, paid Khipu payment, and only the order binding
//! tells it apart. So an [`ExpectedPayment`] is built with the order it expects
//! ([`ExpectedPayment::by_transaction_id`] or [`ExpectedPayment::by_payment_id`]); a
//! merchant usually knows it from its own `notify_url`
//! (`https://shop.example/khipu/notify?order=42`).
//!
//! Khipu retries a notification until it gets HTTP 200, for up to two days, so the same
//! token may arrive many times. Verification is a pure read with no state: repeating it
//! is harmless, and the merchant's own "mark the order paid" step must be idempotent
//! (key it on `payment_id`). Answer 200 once the payment is verified (or verified and
//! already processed), and a 5xx when [`NotificationError::should_retry`] says so.
//!
//! A visit to `return_url` is not proof of payment; only a verified notification (or a
//! verified `GET /payments/{id}`) is.
//!
//! ```no_run
//! # async fn handle(client: &pagos_khipu::KhipuClient, body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! use pagos_core::{Currency, Money};
//! use pagos_khipu::notification::ExpectedPayment;
//!
//! // The order the merchant looked up by its own reference (e.g. from its notify_url).
//! let expected = ExpectedPayment::by_transaction_id(Money::parse("1000", Currency::Clp)?, "orden-42");
//! match client.verify_notification(body, &expected).await {
//!     Ok(payment) => println!("paid: {}", payment.payment_id), // mark the order paid, answer 200
//!     Err(e) if e.should_retry() => return Err(e.into()),       // answer 503: Khipu retries
//!     Err(e) => eprintln!("rejected notification: {e}"),         // log, answer 400
//! }
//! # Ok(()) }
//! ```

use std::fmt;

use pagos_core::notification::{
    Check as CoreCheck, NotificationError as CoreNotificationError, VerifiedBy, VerifiedEvent,
    Vouched,
};
use pagos_core::{Currency, Error, Money, PaymentStatus, ValidationError, validate};

use crate::PROVIDER;

use crate::client::KhipuClient;
use crate::payments::{GetPaymentByNotificationToken, NOTIFY_API_VERSION, PaymentsResponse};

/// A parsed notification body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Notification {
    /// The notification API version (always `1.3` once parsed).
    pub api_version: String,
    /// The token to fetch the payment with.
    pub notification_token: String,
}

impl Notification {
    /// Parses the raw, form-encoded body of a notification POST.
    ///
    /// ```
    /// use pagos_khipu::notification::Notification;
    /// let n = Notification::parse(b"api_version=1.3&notification_token=j8kPBHaPNy3PkCh")?;
    /// assert_eq!(n.notification_token, "j8kPBHaPNy3PkCh");
    /// assert!(Notification::parse(b"api_version=1.2&notification_token=x").is_err());
    /// # Ok::<(), pagos_khipu::notification::NotificationError>(())
    /// ```
    ///
    /// # Errors
    /// [`NotificationError::MissingField`] when `api_version` or `notification_token` is
    /// missing or blank; [`NotificationError::UnsupportedApiVersion`] for any version
    /// but `1.3`; [`NotificationError::Invalid`] on `notification_token` for a token
    /// made only of dots or holding a control character (see
    /// [`pagos_core::validate::path_id`]): the body is unauthenticated, and no token
    /// Khipu issues looks like that.
    pub fn parse(body: &[u8]) -> Result<Notification, NotificationError> {
        let mut api_version = None;
        let mut token = None;
        for (key, value) in url::form_urlencoded::parse(body) {
            match key.as_ref() {
                "api_version" if api_version.is_none() => api_version = Some(value.into_owned()),
                "notification_token" if token.is_none() => token = Some(value.into_owned()),
                _ => {}
            }
        }
        let api_version = api_version
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .ok_or(NotificationError::MissingField("api_version"))?;
        if api_version != NOTIFY_API_VERSION {
            return Err(NotificationError::UnsupportedApiVersion(api_version));
        }
        let notification_token = token
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .ok_or(NotificationError::MissingField("notification_token"))?;
        validate::path_id("notification_token", &notification_token)
            .map_err(NotificationError::Invalid)?;
        Ok(Notification {
            api_version,
            notification_token,
        })
    }
}

/// Which of the merchant's orders a notification must be about.
///
/// Khipu echoes the merchant's own reference as `transaction_id` (the unified
/// `merchant_reference`), and identifies the payment by its `payment_id`: either binds
/// the notification to one order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpectedOrder {
    /// The merchant's reference, sent as `transaction_id` when the payment was created.
    TransactionId(String),
    /// Khipu's `payment_id`, returned when the payment was created.
    PaymentId(String),
}

impl ExpectedOrder {
    /// The check that compares this reference.
    pub const fn check(&self) -> Check {
        match self {
            ExpectedOrder::TransactionId(_) => Check::TransactionId,
            ExpectedOrder::PaymentId(_) => Check::PaymentId,
        }
    }

    /// The expected value.
    pub fn value(&self) -> &str {
        match self {
            ExpectedOrder::TransactionId(v) | ExpectedOrder::PaymentId(v) => v,
        }
    }
}

/// What the merchant expects the notified payment to be (from its own order): which
/// order, and its amount and currency. There is no way to build one without the order,
/// so a notification can never confirm "any payment of this amount".
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_khipu::notification::{Check, ExpectedOrder, ExpectedPayment};
///
/// let amount = Money::parse("1000", Currency::Clp)?;
/// let by_reference = ExpectedPayment::by_transaction_id(amount, "orden-42");
/// assert_eq!(by_reference.order, ExpectedOrder::TransactionId("orden-42".into()));
/// let by_id = ExpectedPayment::by_payment_id(amount, "gqzdy6chjne9");
/// assert_eq!(by_id.order.check(), Check::PaymentId);
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExpectedPayment {
    /// The order's amount and currency.
    pub amount: Money,
    /// The order the payment must be for.
    pub order: ExpectedOrder,
}

impl ExpectedPayment {
    /// Expects a payment of `amount` (amount and currency are both checked) for `order`.
    pub fn new(amount: Money, order: ExpectedOrder) -> Self {
        ExpectedPayment { amount, order }
    }

    /// Expects a payment of `amount` whose `transaction_id` is the merchant's reference
    /// `transaction_id`.
    pub fn by_transaction_id(amount: Money, transaction_id: impl Into<String>) -> Self {
        Self::new(amount, ExpectedOrder::TransactionId(transaction_id.into()))
    }

    /// Expects a payment of `amount` whose Khipu `payment_id` is `payment_id`.
    pub fn by_payment_id(amount: Money, payment_id: impl Into<String>) -> Self {
        Self::new(amount, ExpectedOrder::PaymentId(payment_id.into()))
    }

    /// Checks the expectation itself: a blank order reference matches nothing, so it is
    /// a mistake to report before anything is fetched.
    ///
    /// # Errors
    /// A [`ValidationError`] on `expected.transaction_id` or `expected.payment_id`
    /// when the reference is blank.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let field = match self.order {
            ExpectedOrder::TransactionId(_) => "expected.transaction_id",
            ExpectedOrder::PaymentId(_) => "expected.payment_id",
        };
        validate::non_empty(field, self.order.value())
    }

    /// Checks a fetched payment, in this order: receiver id, order (transaction id or
    /// payment id), status, currency, amount. Pure: no I/O.
    ///
    /// ```
    /// use pagos_core::{Currency, Money};
    /// use pagos_khipu::notification::{Check, ExpectedPayment};
    ///
    /// let paid: pagos_khipu::PaymentsResponse = serde_json::from_str(
    ///     r#"{"payment_id":"p2","receiver_id":985101,"status":"done","status_detail":"normal",
    ///         "amount":1000,"currency":"CLP","transaction_id":"orden-43"}"#,
    /// ).unwrap();
    /// // Paid, same amount, but another order: refused.
    /// let expected = ExpectedPayment::by_transaction_id(Money::parse("1000", Currency::Clp)?, "orden-42");
    /// let err = expected.check("985101", &paid).unwrap_err();
    /// assert_eq!(err.check(), Some(Check::TransactionId));
    /// # Ok::<(), pagos_core::ValidationError>(())
    /// ```
    ///
    /// # Errors
    /// [`NotificationError::Mismatch`] naming the first check that failed, with the
    /// expected and the actual value.
    pub fn check(
        &self,
        receiver_id: &str,
        payment: &PaymentsResponse,
    ) -> Result<(), NotificationError> {
        let mismatch = |check, expected: String, actual: String| NotificationError::Mismatch {
            check,
            expected,
            actual,
        };
        let absent = || "(absent)".to_string();

        let actual_receiver = payment.receiver_id.as_deref().map(str::trim);
        if actual_receiver != Some(receiver_id) {
            return Err(mismatch(
                Check::ReceiverId,
                receiver_id.to_string(),
                actual_receiver.map_or_else(absent, str::to_string),
            ));
        }

        // The binding to the order comes right after the receiver: a paid payment of
        // the same amount for another order would pass every other check.
        let expected_order = self.order.value();
        let actual_order = match &self.order {
            ExpectedOrder::TransactionId(_) => payment.transaction_id.as_deref(),
            ExpectedOrder::PaymentId(_) => Some(payment.payment_id.as_str()),
        };
        // Exact comparison, and a blank expectation matches nothing (not even a blank
        // `transaction_id`).
        if expected_order.trim().is_empty() || actual_order != Some(expected_order) {
            return Err(mismatch(
                self.order.check(),
                expected_order.to_string(),
                actual_order.map_or_else(absent, str::to_string),
            ));
        }

        if payment.unified_status() != PaymentStatus::Succeeded {
            let status = payment.status.as_ref().map_or("(absent)", |s| s.as_str());
            let actual = match &payment.status_detail {
                Some(d) => format!("{status}/{d}"),
                None => status.to_string(),
            };
            return Err(mismatch(
                Check::Status,
                "done/normal or done/marked-paid-by-receiver".to_string(),
                actual,
            ));
        }

        let currency = self.amount.currency();
        let actual_currency = payment.currency.as_deref().map(str::trim);
        let same_currency = actual_currency
            .and_then(|c| c.parse::<Currency>().ok())
            .is_some_and(|c| c == currency);
        if !same_currency {
            return Err(mismatch(
                Check::Currency,
                currency.code().to_string(),
                actual_currency.map_or_else(absent, str::to_string),
            ));
        }

        // Decimal equality is numeric: "200.0000" equals 200.
        if payment.amount != Some(self.amount.amount()) {
            return Err(mismatch(
                Check::Amount,
                self.amount.to_plain_string(),
                payment.amount.map_or_else(absent, |a| a.to_string()),
            ));
        }
        Ok(())
    }
}

/// The check of [`ExpectedPayment::check`] that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// The payment belongs to another receiver.
    ReceiverId,
    /// The payment is not done and paid (pending, verifying, reversed, rejected...).
    Status,
    /// The currency differs from the order's.
    Currency,
    /// The amount differs from the order's.
    Amount,
    /// The `transaction_id` differs from the order's reference.
    TransactionId,
    /// The `payment_id` differs from the order's payment.
    PaymentId,
}

impl Check {
    /// The wire name of the checked field.
    pub const fn as_str(self) -> &'static str {
        match self {
            Check::ReceiverId => "receiver_id",
            Check::Status => "status",
            Check::Currency => "currency",
            Check::Amount => "amount",
            Check::TransactionId => "transaction_id",
            Check::PaymentId => "payment_id",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a notification was not accepted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NotificationError {
    /// The body lacks a field (or it is blank).
    #[error("Khipu notification: {0} is missing")]
    MissingField(&'static str),
    /// The body is for another notification API version.
    #[error("Khipu notification: api_version {0:?} is not supported (only 1.3)")]
    UnsupportedApiVersion(String),
    /// A field of the body, or the expectation, is unusable (e.g. a token made only of
    /// dots, a blank expected reference); nothing was sent.
    #[error("Khipu notification: {0}")]
    Invalid(#[source] ValidationError),
    /// Fetching the payment by its token failed.
    #[error("Khipu notification: could not fetch the payment: {0}")]
    Fetch(#[source] Error),
    /// The payment is not what the merchant expects.
    #[error("Khipu notification: {check} check failed: expected {expected}, got {actual}")]
    Mismatch {
        /// Which check failed.
        check: Check,
        /// The expected value.
        expected: String,
        /// Khipu's value.
        actual: String,
    },
}

impl NotificationError {
    /// Whether the merchant should answer with a 5xx so Khipu sends the notification
    /// again: `true` only when fetching the payment failed for a reason that may pass
    /// (network, Khipu unavailable). A malformed body or a mismatch will not change.
    pub fn should_retry(&self) -> bool {
        matches!(self, NotificationError::Fetch(e) if e.resend() == pagos_core::Resend::Safe)
    }

    /// The failed check, for a mismatch.
    pub fn check(&self) -> Option<Check> {
        match self {
            NotificationError::Mismatch { check, .. } => Some(*check),
            _ => None,
        }
    }
}

impl KhipuClient {
    /// Verifies a notification: parses the raw POST body, fetches the payment by its
    /// token ([`GetPaymentByNotificationToken`], a signed
    /// `GET /payments?notification_token=…`) and checks it against
    /// `expected` and this client's receiver id. See the [module docs](crate::notification).
    ///
    /// Returns the confirmed payment. A pure read: repeating it for a repeated
    /// notification is harmless.
    ///
    /// # Errors
    /// A [`NotificationError`] saying which step or check failed. A malformed body or
    /// a blank expectation ([`NotificationError::MissingField`],
    /// [`NotificationError::UnsupportedApiVersion`], [`NotificationError::Invalid`])
    /// is reported before anything is sent.
    pub async fn verify_notification(
        &self,
        body: &[u8],
        expected: &ExpectedPayment,
    ) -> Result<PaymentsResponse, NotificationError> {
        expected.validate().map_err(NotificationError::Invalid)?;
        let notification = Notification::parse(body)?;
        let payment = self
            .run(&GetPaymentByNotificationToken::new(
                &notification.notification_token,
            ))
            .await
            .map_err(NotificationError::Fetch)?;
        expected.check(self.receiver_id(), &payment)?;
        Ok(payment)
    }
}

/// The unified verification of a notification (API 1.3), as
/// [`PaymentProvider::verify_notification`](pagos_core::PaymentProvider::verify_notification)
/// runs it for a [`KhipuClient`]: parse the body, fetch the payment by its token, check
/// the receiver id, then bind it to the order with the core
/// [`Expected::bind`](pagos_core::notification::Expected::bind) (`transaction_id` is the
/// merchant reference). Nothing in the unsigned body but the token is used.
///
/// The status is not checked: the event carries Khipu's current status, normalized, and
/// the application fulfils only a paid one ([`VerifiedEvent::is_paid`]). The event key
/// is `khipu:<payment_id>:<status>`: the same for every redelivery of one notification.
///
/// # Errors
/// [`Error::Validation`] for a blank expectation and [`Error::Notification`] with
/// [`Check::Body`](pagos_core::notification::Check::Body) for a malformed body, both
/// with nothing sent; the fetch's errors (a [`pagos_core::Resend::Safe`] one: answer
/// Khipu with a 5xx so it delivers again); [`Error::Notification`] with
/// [`Check::Account`](pagos_core::notification::Check::Account) for a payment of another
/// receiver, or the check of [`Expected::bind`](pagos_core::notification::Expected::bind)
/// that failed.
pub(crate) async fn verify(
    client: &KhipuClient,
    notification: &pagos_core::notification::Notification<'_>,
    expected: &pagos_core::notification::Expected,
) -> pagos_core::Result<VerifiedEvent> {
    expected.validate()?;
    let parsed = Notification::parse(notification.body()).map_err(|e| {
        let detail = match e {
            NotificationError::Invalid(v) => v.to_string(),
            other => other.to_string(),
        };
        CoreNotificationError::new(PROVIDER, CoreCheck::Body, detail)
    })?;
    let payment = client
        .run(&GetPaymentByNotificationToken::new(
            &parsed.notification_token,
        ))
        .await?;
    Ok(verified_event(client.receiver_id(), &payment, expected)?)
}

/// The event a payment fetched from Khipu (by a notification's token, or by its id)
/// makes for the order `expected`: the receiver id must be `receiver_id`, then the
/// order, currency and amount are bound with
/// [`Expected::bind`](pagos_core::notification::Expected::bind). Pure: no I/O.
///
/// ```
/// use pagos_core::notification::{Check, Expected};
/// use pagos_core::{Currency, Money, PaymentStatus};
///
/// let paid: pagos_khipu::PaymentsResponse = serde_json::from_str(
///     r#"{"payment_id":"p1","receiver_id":985101,"status":"done","status_detail":"normal",
///         "amount":1000,"currency":"CLP","transaction_id":"orden-42"}"#,
/// ).unwrap();
/// let expected = Expected::by_merchant_reference(Money::parse("1000", Currency::Clp)?, "orden-42");
/// let event = pagos_khipu::notification::verified_event("985101", &paid, &expected)?;
/// assert_eq!(event.status, PaymentStatus::Succeeded);
/// assert_eq!(event.event_key, "khipu:p1:succeeded");
/// let other_receiver = pagos_khipu::notification::verified_event("1", &paid, &expected);
/// assert_eq!(other_receiver.unwrap_err().check(), Check::Account);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// A [`pagos_core::notification::NotificationError`] with
/// [`Check::Account`](pagos_core::notification::Check::Account) for another receiver,
/// or the check of [`Expected::bind`](pagos_core::notification::Expected::bind) that
/// failed.
pub fn verified_event(
    receiver_id: &str,
    payment: &PaymentsResponse,
    expected: &pagos_core::notification::Expected,
) -> Result<VerifiedEvent, CoreNotificationError> {
    let actual_receiver = payment.receiver_id.as_deref().map(str::trim);
    if actual_receiver != Some(receiver_id) {
        return Err(CoreNotificationError::mismatch(
            PROVIDER,
            CoreCheck::Account,
            receiver_id,
            actual_receiver.unwrap_or("(absent)"),
        ));
    }
    let merchant_reference = payment.transaction_id.as_deref();
    let amount = payment.money();
    expected.bind(
        PROVIDER,
        &Vouched {
            payment_id: &payment.payment_id,
            merchant_reference,
            amount,
        },
    )?;
    // `bind` refuses a payment without an amount, so this is the order's amount.
    let amount = amount.unwrap_or(expected.amount);
    Ok(VerifiedEvent::new(
        PROVIDER,
        payment.payment_id.clone(),
        payment.unified_status(),
        amount,
        VerifiedBy::Fetch,
        payment.raw.clone(),
    )
    .with_merchant_reference(merchant_reference.map(str::to_string)))
}

/// The unified verification of a signed API 3.0 webhook, as
/// [`PaymentProvider::verify_notification`](pagos_core::PaymentProvider::verify_notification)
/// runs it for a [`KhipuV3Client`](crate::v3::KhipuV3Client) (with the system clock as
/// `now`): the `x-khipu-signature` header is checked over the raw body with the merchant
/// `secret` ([`WebhookVerifier`](crate::v3::webhook::WebhookVerifier), 300 s tolerance),
/// the payload's `receiver_id` must be `receiver_id` when one is configured, and the
/// payment is bound to the order ([`signed_event`]). Nothing is fetched.
///
/// # Errors
/// [`Error::Config`] on `webhook_secret` when no merchant secret is configured;
/// [`Error::Validation`] for a blank expectation; [`Error::Notification`] with
/// [`Check::Signature`](pagos_core::notification::Check::Signature) (no header, the
/// header twice, malformed, or a signature that does not match: another secret, an
/// altered or re-serialized body),
/// [`Check::Timestamp`](pagos_core::notification::Check::Timestamp) (outside the
/// tolerance: a replay or a clock off), [`Check::Body`](pagos_core::notification::Check::Body)
/// (a signed body that is no payment), [`Check::Account`](pagos_core::notification::Check::Account)
/// (another receiver), or the check of
/// [`Expected::bind`](pagos_core::notification::Expected::bind) that failed.
pub(crate) fn verify_signed(
    secret: Option<&pagos_core::SecretString>,
    receiver_id: Option<&str>,
    notification: &pagos_core::notification::Notification<'_>,
    expected: &pagos_core::notification::Expected,
    now: time::OffsetDateTime,
) -> pagos_core::Result<VerifiedEvent> {
    use crate::v3::webhook::{SIGNATURE_HEADER, WebhookError, WebhookVerifier};
    use pagos_core::ExposeSecret;

    let secret = secret
        .map(|s| s.expose_secret())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            pagos_core::ConfigError::new(
                "webhook_secret",
                "missing: set the merchant secret (not the API key) to verify webhooks",
            )
        })?;
    expected.validate()?;
    let refuse = |check, why: String| CoreNotificationError::new(PROVIDER, check, why);
    let header = match notification.header_count(SIGNATURE_HEADER) {
        1 => notification.header(SIGNATURE_HEADER).unwrap_or_default(),
        0 => {
            return Err(refuse(
                CoreCheck::Signature,
                format!("no {SIGNATURE_HEADER} header: not a signed notification"),
            )
            .into());
        }
        _ => {
            return Err(refuse(
                CoreCheck::Signature,
                format!("the {SIGNATURE_HEADER} header was sent more than once"),
            )
            .into());
        }
    };
    let mut verifier = WebhookVerifier::new(secret);
    if let Some(r) = receiver_id {
        verifier = verifier.expect_receiver_id(r);
    }
    let webhook = verifier
        .verify_at(header, notification.body(), now)
        .map_err(|e| {
            let check = match &e {
                WebhookError::OutsideTolerance { .. } => CoreCheck::Timestamp,
                WebhookError::Payload(_) => CoreCheck::Body,
                WebhookError::ReceiverMismatch { .. } => CoreCheck::Account,
                _ => CoreCheck::Signature,
            };
            refuse(check, e.to_string())
        })?;
    Ok(signed_event(&webhook, expected)?)
}

/// The unified verification on API 3.0, as
/// [`PaymentProvider::verify_notification`](pagos_core::PaymentProvider::verify_notification)
/// runs it for a [`KhipuV3Client`](crate::v3::KhipuV3Client):
///
/// - a body with `x-khipu-signature` is the signed webhook: [`verify_signed`], never a
///   fetch (a bad signature stays refused);
/// - an unsigned PAC charge `error_response_url` callback
///   (`{"subscription_id","transaction_id","payment_id","error_message"}`) is a hint:
///   the payment it names is fetched with `GET /v3/payments/{payment_id}`, its receiver
///   checked and bound to the order ([`fetched_event`], [`VerifiedBy::Fetch`]);
/// - an unsigned PAC subscription callback (`{"subscription_id","status"}`) is not about
///   a payment: refused with [`Check::Body`](pagos_core::notification::Check::Body),
///   pointing at
///   [`Subscriptions::confirm_callback`](crate::pac::subscriptions::Subscriptions::confirm_callback);
/// - any other unsigned body is refused as unsigned
///   ([`Check::Signature`](pagos_core::notification::Check::Signature)).
///
/// # Errors
/// As [`verify_signed`]; for a charge callback, [`Error::Validation`] for a blank
/// expectation, the fetch's errors (a forged `payment_id` gets Khipu's 404), or the
/// [`fetched_event`] refusal.
pub(crate) async fn verify_v3(
    client: &crate::v3::KhipuV3Client,
    notification: &pagos_core::notification::Notification<'_>,
    expected: &pagos_core::notification::Expected,
    now: time::OffsetDateTime,
) -> pagos_core::Result<VerifiedEvent> {
    use crate::pac::callbacks::{Unsigned, classify};
    use crate::v3::webhook::SIGNATURE_HEADER;

    if notification.header_count(SIGNATURE_HEADER) == 0 {
        let refuse = |why: String| CoreNotificationError::new(PROVIDER, CoreCheck::Body, why);
        match classify(notification.body()) {
            Unsigned::ChargeError(callback) => {
                expected.validate()?;
                let payment = client.payments().get(&callback.payment_id).await?;
                if payment.payment_id != callback.payment_id {
                    return Err(CoreNotificationError::mismatch(
                        PROVIDER,
                        CoreCheck::PaymentId,
                        &callback.payment_id,
                        &payment.payment_id,
                    )
                    .into());
                }
                return Ok(fetched_event(client.receiver_id(), &payment, expected)?);
            }
            Unsigned::Subscription(_) => {
                return Err(refuse(
                    "an unsigned PAC subscription callback is not about a payment: confirm it \
                     with KhipuV3Client::subscriptions().confirm_callback"
                        .to_string(),
                )
                .into());
            }
            Unsigned::Malformed(why) => {
                return Err(refuse(format!("an unsigned PAC callback with {why}")).into());
            }
            Unsigned::Other => {}
        }
    }
    verify_signed(
        client.webhook_secret(),
        client.receiver_id(),
        notification,
        expected,
        now,
    )
}

/// The event a payment fetched with `GET /v3/payments/{id}` makes for the order
/// `expected`: when `receiver_id` is configured the payment's must be it, then the
/// order, currency and amount are bound with
/// [`Expected::bind`](pagos_core::notification::Expected::bind). Pure: no I/O. The
/// status is Khipu's current one, normalized (a failed charge is not paid).
///
/// ```
/// use pagos_core::notification::{Check, Expected, VerifiedBy};
/// use pagos_core::{Currency, Money};
///
/// let charge: pagos_khipu::v3::payments::PaymentInfo = serde_json::from_str(
///     r#"{"payment_id":"p1","receiver_id":985101,"status":"done","status_detail":"normal",
///         "amount":"15000.0000","currency":"CLP","transaction_id":"c-3","payment_method":"direct_debit"}"#,
/// ).unwrap();
/// let expected = Expected::by_merchant_reference(Money::parse("15000", Currency::Clp)?, "c-3");
/// let event = pagos_khipu::notification::fetched_event(Some("985101"), &charge, &expected)?;
/// assert_eq!(event.verified_by, VerifiedBy::Fetch);
/// assert!(event.is_paid());
/// let other = pagos_khipu::notification::fetched_event(Some("1"), &charge, &expected);
/// assert_eq!(other.unwrap_err().check(), Check::Account);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// A [`pagos_core::notification::NotificationError`] with
/// [`Check::Account`](pagos_core::notification::Check::Account) for another receiver,
/// or the check of [`Expected::bind`](pagos_core::notification::Expected::bind) that
/// failed.
pub fn fetched_event(
    receiver_id: Option<&str>,
    payment: &crate::v3::payments::PaymentInfo,
    expected: &pagos_core::notification::Expected,
) -> Result<VerifiedEvent, CoreNotificationError> {
    if let Some(receiver_id) = receiver_id {
        let actual = payment.receiver_id.as_deref().map(str::trim);
        if actual != Some(receiver_id) {
            return Err(CoreNotificationError::mismatch(
                PROVIDER,
                CoreCheck::Account,
                receiver_id,
                actual.unwrap_or("(absent)"),
            ));
        }
    }
    let merchant_reference = payment.transaction_id.as_deref().filter(|t| !t.is_empty());
    let amount = payment.money();
    expected.bind(
        PROVIDER,
        &Vouched {
            payment_id: &payment.payment_id,
            merchant_reference,
            amount,
        },
    )?;
    // `bind` refuses a payment without an amount, so this is the order's amount.
    let amount = amount.unwrap_or(expected.amount);
    Ok(VerifiedEvent::new(
        PROVIDER,
        payment.payment_id.clone(),
        payment.unified_status(),
        amount,
        VerifiedBy::Fetch,
        payment.raw.clone(),
    )
    .with_merchant_reference(merchant_reference.map(str::to_string)))
}

/// The event a verified API 3.0 webhook makes for the order `expected`: the payment id,
/// `transaction_id` (the merchant reference), currency and amount are bound with
/// [`Expected::bind`](pagos_core::notification::Expected::bind). Pure: no I/O, and the
/// signature must already have been checked (see
/// [`WebhookVerifier`](crate::v3::webhook::WebhookVerifier)).
///
/// Khipu sends the 3.0 webhook when a payment is reconciled and the payload has no
/// status: a payload with a `conciliation_date` is
/// [`PaymentStatus::Succeeded`], one without is `Unknown("not reconciled")` (fetch the
/// payment to know more). The event key is `khipu:<payment_id>:<status>`.
///
/// ```
/// use pagos_core::notification::{Expected, VerifiedBy};
/// use pagos_core::{Currency, Money};
/// use pagos_khipu::v3::webhook::Webhook;
///
/// let webhook = Webhook::parse(
///     br#"{"payment_id":"p1","receiver_id":985101,"amount":"1000.0000","currency":"CLP",
///          "transaction_id":"orden-42","conciliation_date":"2024-04-01T10:00:00Z"}"#,
/// )?;
/// let expected = Expected::by_merchant_reference(Money::parse("1000", Currency::Clp)?, "orden-42");
/// let event = pagos_khipu::notification::signed_event(&webhook, &expected)?;
/// assert!(event.is_paid());
/// assert_eq!(event.verified_by, VerifiedBy::Signature);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// The [`pagos_core::notification::NotificationError`] of
/// [`Expected::bind`](pagos_core::notification::Expected::bind).
pub fn signed_event(
    webhook: &crate::v3::webhook::Webhook,
    expected: &pagos_core::notification::Expected,
) -> Result<VerifiedEvent, CoreNotificationError> {
    let amount = webhook.money();
    let merchant_reference = webhook.transaction_id.as_deref();
    expected.bind(
        PROVIDER,
        &Vouched {
            payment_id: &webhook.payment_id,
            merchant_reference,
            amount,
        },
    )?;
    let status = if webhook.is_reconciled() {
        PaymentStatus::Succeeded
    } else {
        PaymentStatus::Unknown("not reconciled".to_string())
    };
    // `bind` refuses a payload without an amount, so this is the order's amount.
    let amount = amount.unwrap_or(expected.amount);
    Ok(VerifiedEvent::new(
        PROVIDER,
        webhook.payment_id.clone(),
        status,
        amount,
        VerifiedBy::Signature,
        webhook.raw.clone(),
    )
    .with_merchant_reference(merchant_reference.map(str::to_string)))
}

impl From<&ExpectedPayment> for pagos_core::notification::Expected {
    /// The same expectation in the unified API: `transaction_id` is the merchant
    /// reference.
    fn from(e: &ExpectedPayment) -> Self {
        match &e.order {
            ExpectedOrder::TransactionId(v) => Self::by_merchant_reference(e.amount, v.clone()),
            ExpectedOrder::PaymentId(v) => Self::by_payment_id(e.amount, v.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(json: &str) -> PaymentsResponse {
        serde_json::from_str(json).unwrap()
    }

    const DONE: &str = r#"{"payment_id":"p1","receiver_id":985101,"status":"done","status_detail":"normal","amount":"1000.0000","currency":"CLP","transaction_id":"T-1"}"#;

    fn clp(s: &str) -> Money {
        Money::parse(s, Currency::Clp).unwrap()
    }

    fn expected() -> ExpectedPayment {
        ExpectedPayment::by_transaction_id(clp("1000"), "T-1")
    }

    #[test]
    fn parse_bodies() {
        let n = Notification::parse(b"api_version=1.3&notification_token=abc%2B1+2").unwrap();
        assert_eq!(n.notification_token, "abc+1 2");
        assert_eq!(n.api_version, "1.3");
        assert!(matches!(
            Notification::parse(b"notification_token=x"),
            Err(NotificationError::MissingField("api_version"))
        ));
        assert!(matches!(
            Notification::parse(b"api_version=1.3&notification_token="),
            Err(NotificationError::MissingField("notification_token"))
        ));
        assert!(matches!(
            Notification::parse(b"api_version=1.3"),
            Err(NotificationError::MissingField("notification_token"))
        ));
        assert!(matches!(
            Notification::parse(b"api_version=1.2&notification_token=x"),
            Err(NotificationError::UnsupportedApiVersion(v)) if v == "1.2"
        ));
        assert!(matches!(
            Notification::parse(b"\xff\xfe"),
            Err(NotificationError::MissingField(_))
        ));
        let e = Notification::parse(b"api_version=3.0&notification_token=x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Khipu notification: api_version \"3.0\" is not supported (only 1.3)"
        );
        assert!(!e.should_retry());
    }

    #[test]
    fn checks_pass_and_fail_one_by_one() {
        assert!(expected().check("985101", &payment(DONE)).is_ok());
        let fail = |receiver: &str, json: &str, exp: ExpectedPayment| {
            exp.check(receiver, &payment(json))
                .unwrap_err()
                .check()
                .unwrap()
        };
        assert_eq!(fail("1", DONE, expected()), Check::ReceiverId);
        let reversed = DONE.replace("\"normal\"", "\"reversed\"");
        assert_eq!(fail("985101", &reversed, expected()), Check::Status);
        let verifying = DONE.replace("\"done\"", "\"verifying\"");
        assert_eq!(fail("985101", &verifying, expected()), Check::Status);
        let usd = DONE.replace("CLP", "USD");
        assert_eq!(fail("985101", &usd, expected()), Check::Currency);
        let less = DONE.replace("1000.0000", "999");
        assert_eq!(fail("985101", &less, expected()), Check::Amount);
        let other = DONE.replace("T-1", "T-2");
        assert_eq!(fail("985101", &other, expected()), Check::TransactionId);
        let no_reference = DONE.replace(r#","transaction_id":"T-1""#, "");
        assert_eq!(
            fail("985101", &no_reference, expected()),
            Check::TransactionId
        );
        // By payment id: the same payment passes, another one does not.
        let by_id = ExpectedPayment::by_payment_id(clp("1000"), "p1");
        assert!(by_id.check("985101", &payment(DONE)).is_ok());
        let other_payment = DONE.replace(r#""p1""#, r#""p2""#);
        assert_eq!(fail("985101", &other_payment, by_id), Check::PaymentId);
        // A blank expectation matches nothing, not even a blank transaction_id.
        let blank = DONE.replace(r#""T-1""#, r#""""#);
        assert_eq!(
            fail(
                "985101",
                &blank,
                ExpectedPayment::by_transaction_id(clp("1000"), "")
            ),
            Check::TransactionId
        );
    }

    #[test]
    fn a_paid_notification_for_another_order_of_the_same_amount_is_refused() {
        // Paid, signed, this receiver, same currency and amount: only the order differs.
        let other_order = DONE.replace("T-1", "T-9");
        let e = expected()
            .check("985101", &payment(&other_order))
            .unwrap_err();
        assert_eq!(e.check(), Some(Check::TransactionId));
        assert_eq!(
            e.to_string(),
            "Khipu notification: transaction_id check failed: expected T-1, got T-9"
        );
        assert!(!e.should_retry());
    }

    #[test]
    fn blank_expectations_and_tokens_are_invalid() {
        let e = ExpectedPayment::by_payment_id(clp("1"), " ")
            .validate()
            .unwrap_err();
        assert_eq!(e.field(), "expected.payment_id");
        for token in ["..", ".", "%2e%2E", "%252e%252e", "a%00b", ".%0A."] {
            let body = format!("api_version=1.3&notification_token={token}");
            match Notification::parse(body.as_bytes()) {
                Err(NotificationError::Invalid(v)) => {
                    assert_eq!(v.field(), "notification_token", "{token}")
                }
                other => panic!("{token}: expected an invalid token, got {other:?}"),
            }
        }
    }

    #[test]
    fn mismatch_message_names_the_check() {
        let e = expected()
            .check("985101", &payment(&DONE.replace("1000.0000", "10")))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Khipu notification: amount check failed: expected 1000, got 10"
        );
    }
}
