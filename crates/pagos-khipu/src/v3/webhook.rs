//! The signed webhook of notification API 3.0, verified without I/O.
//!
//! A payment created with `notify_url` and `"notify_api_version": "3.0"` is notified
//! by a `POST` of the payment's data as JSON, with the header
//! `x-khipu-signature: t=<unix ms>,s=<base64>` where
//! `s = base64(HMAC-SHA256(key = merchant secret, message = t + "." + raw body))`
//! (Khipu's payment-webhook documentation; the algorithm of Khipu's own plugins).
//!
//! - The key is the collection account's **merchant secret** (the 40-hex "llave
//!   secreta", the same secret API 2.0 signs with), **not** the API key.
//! - The message is the body's **exact bytes**: Khipu escapes `/` as `\/`, and JSON
//!   re-serialized by a framework no longer verifies.
//! - The header is split on `,`, each part trimmed and split at its **first** `=`
//!   (base64 ends in `=`); unknown keys are ignored; `t` and `s` are both required and
//!   may each appear once.
//! - The comparison is constant-time (HMAC's own `verify_slice` on the 32 decoded
//!   bytes).
//! - Khipu documents no tolerance window and its plugins check none; replayed old
//!   notifications are refused by default when `t` is more than [`DEFAULT_TOLERANCE`]
//!   away from now, as careful community verifiers do. The clock is a parameter
//!   ([`WebhookVerifier::verify_at`]), so tests and replays choose it.
//!
//! A verified body is then read leniently into a [`Webhook`]. The webhook has no
//! `status` field (a `conciliation_date` means reconciled); re-fetch
//! `GET /v3/payments/{payment_id}` before fulfilling, and handle duplicates (they may
//! arrive concurrently) idempotently by `payment_id`.
//!
//! ```
//! use pagos_khipu::v3::webhook::{WebhookVerifier, sign};
//! use time::OffsetDateTime;
//!
//! let secret = "1a4cbbbeb8bdb7e1d73572b9cc43ce4ce18f79d9";
//! let body = br#"{"payment_id":"zfxnocsow6mz","receiver_id":990939,"amount":"1000.0000","currency":"CLP"}"#;
//! let now = OffsetDateTime::from_unix_timestamp(1_711_965_600)?;
//! let header = sign(secret, 1_711_965_600_393, body)?;
//! let webhook = WebhookVerifier::new(secret).verify_at(&header, body, now)?;
//! assert_eq!(webhook.payment_id, "zfxnocsow6mz");
//! assert_eq!(webhook.amount.unwrap().to_string(), "1000.0000");
//! assert!(WebhookVerifier::new("another-secret").verify_at(&header, body, now).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use pagos_core::{Currency, Decimal, ExposeSecret, Money, Raw, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use time::OffsetDateTime;

use crate::de;
use crate::payments::PaymentMethod;

/// The header that carries the signature (compare case-insensitively).
pub const SIGNATURE_HEADER: &str = "x-khipu-signature";

/// How far `t` may be from now by default: 300 s.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// The longest header this verifier reads; longer is refused unread.
const MAX_HEADER_CHARS: usize = 4096;

/// Why a webhook was refused. The messages never quote the secret, the header or the
/// body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is empty: nothing can be verified.
    #[error("no webhook secret configured (the merchant secret, not the API key)")]
    NoSecret,
    /// The header is empty or longer than 4096 characters.
    #[error("the x-khipu-signature header is empty or too long")]
    BadHeader,
    /// A part of the header has no `=`.
    #[error("the x-khipu-signature header has a part without '=' (expected t=…,s=…)")]
    MalformedPart,
    /// `t` or `s` appears more than once.
    #[error("the x-khipu-signature header has `{0}` more than once")]
    DuplicateKey(&'static str),
    /// No `t`.
    #[error("the x-khipu-signature header has no timestamp `t`")]
    MissingTimestamp,
    /// No `s`.
    #[error("the x-khipu-signature header has no signature `s`")]
    MissingSignature,
    /// `t` is not a Unix time in milliseconds.
    #[error("the timestamp `t` is not a Unix time in milliseconds")]
    MalformedTimestamp,
    /// `s` is not the standard base64 of 32 bytes.
    #[error("the signature `s` is not the base64 of an HMAC-SHA256")]
    MalformedSignature,
    /// The signature does not match the body and timestamp under this secret.
    #[error("the signature does not match the body (wrong secret, altered or re-serialized body)")]
    SignatureMismatch,
    /// `t` is further from now than the tolerance.
    #[error("the timestamp is {age_ms} ms away from now, more than the {tolerance_s} s tolerated")]
    OutsideTolerance {
        /// `|now - t|` in milliseconds.
        age_ms: u128,
        /// The tolerance in seconds.
        tolerance_s: u64,
    },
    /// The signature is valid but the body is not a webhook payload.
    #[error("the signed body is not a Khipu webhook payload: {0}")]
    Payload(String),
    /// The payload's `receiver_id` is not the expected collection account.
    #[error("the webhook is for receiver {got:?}, not {expected}")]
    ReceiverMismatch {
        /// The configured receiver id.
        expected: String,
        /// What the payload carried.
        got: Option<String>,
    },
}

/// The parsed `x-khipu-signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignatureHeader {
    /// `t`: Unix time in milliseconds.
    pub timestamp_ms: i64,
    /// `s`: the text of the signature as sent (it is not a secret).
    pub signature: String,
    digest: [u8; 32],
}

impl SignatureHeader {
    /// Parses a header value (see the [module docs](self)).
    ///
    /// # Errors
    /// The [`WebhookError`] that says what is wrong with it.
    pub fn parse(header: &str) -> Result<SignatureHeader, WebhookError> {
        let header = header.trim();
        if header.is_empty() || header.chars().count() > MAX_HEADER_CHARS {
            return Err(WebhookError::BadHeader);
        }
        let mut t: Option<&str> = None;
        let mut s: Option<&str> = None;
        for part in header.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (key, value) = part.split_once('=').ok_or(WebhookError::MalformedPart)?;
            let (slot, name) = match key.trim() {
                "t" => (&mut t, "t"),
                "s" => (&mut s, "s"),
                _ => continue,
            };
            if slot.is_some() {
                return Err(WebhookError::DuplicateKey(name));
            }
            *slot = Some(value.trim());
        }
        let t = t.ok_or(WebhookError::MissingTimestamp)?;
        let s = s.ok_or(WebhookError::MissingSignature)?;
        if t.is_empty() || t.len() > 19 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(WebhookError::MalformedTimestamp);
        }
        let timestamp_ms: i64 = t.parse().map_err(|_| WebhookError::MalformedTimestamp)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(s)
            .map_err(|_| WebhookError::MalformedSignature)?;
        let digest: [u8; 32] = bytes
            .try_into()
            .map_err(|_| WebhookError::MalformedSignature)?;
        Ok(SignatureHeader {
            timestamp_ms,
            signature: s.to_string(),
            digest,
        })
    }
}

fn mac(secret: &str, timestamp: &str, body: &[u8]) -> Result<Hmac<Sha256>, WebhookError> {
    if secret.is_empty() {
        return Err(WebhookError::NoSecret);
    }
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|_| WebhookError::NoSecret)?;
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(mac)
}

/// The header value Khipu would send for `body` at `timestamp_ms`:
/// `t=<timestamp_ms>,s=<base64>` (for tests and simulators).
///
/// # Errors
/// [`WebhookError::NoSecret`] for an empty secret.
pub fn sign(secret: &str, timestamp_ms: i64, body: &[u8]) -> Result<String, WebhookError> {
    let t = timestamp_ms.to_string();
    let digest = mac(secret, &t, body)?.finalize().into_bytes();
    let s = base64::engine::general_purpose::STANDARD.encode(digest);
    Ok(format!("t={t},s={s}"))
}

/// A 3.0 webhook's payload: roughly the payment of `GET /v3/payments/{id}` without
/// its URLs and token. Every field but `payment_id` may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Webhook {
    /// Khipu's payment id: the key to deduplicate notifications by.
    #[serde(deserialize_with = "de::text")]
    pub payment_id: String,
    /// The collection account, as text (Khipu sends a number).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub receiver_id: Option<String>,
    /// The subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// The amount, exact (Khipu sends a string such as `"1000.0000"`).
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub amount: Option<Decimal>,
    /// A discount, exact.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub discount: Option<Decimal>,
    /// The currency code.
    #[serde(default)]
    pub currency: Option<String>,
    /// The receipt.
    #[serde(default)]
    pub receipt_url: Option<String>,
    /// The payer's bank.
    #[serde(default)]
    pub bank: Option<String>,
    /// The payer's bank id.
    #[serde(default)]
    pub bank_id: Option<String>,
    /// The payer's name.
    #[serde(default)]
    pub payer_name: Option<String>,
    /// The payer's e-mail.
    #[serde(default)]
    pub payer_email: Option<String>,
    /// The payer's personal identifier.
    #[serde(default)]
    pub personal_identifier: Option<String>,
    /// The payer's bank account.
    #[serde(default)]
    pub bank_account_number: Option<String>,
    /// Whether it was reconciled late.
    #[serde(default)]
    pub out_of_date_conciliation: Option<bool>,
    /// The merchant's own id.
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// The authorizer's operation code.
    #[serde(default)]
    pub authorizer_operation_code: Option<String>,
    /// The responsible user.
    #[serde(default)]
    pub responsible_user_email: Option<String>,
    /// How it was paid.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// When it was reconciled: present means the payment is reconciled.
    #[serde(default)]
    pub conciliation_date: Option<String>,
    /// The description.
    #[serde(default)]
    pub body: Option<String>,
    /// Free-form merchant data.
    #[serde(default)]
    pub custom: Option<String>,
    /// The body exactly as signed.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl Webhook {
    /// The amount as [`Money`], when the amount and a known currency fit together.
    pub fn money(&self) -> Option<Money> {
        let currency: Currency = self.currency.as_deref()?.parse().ok()?;
        Money::new(self.amount?.normalize(), currency).ok()
    }

    /// Whether the payload reports the payment reconciled (`conciliation_date` set).
    pub fn is_reconciled(&self) -> bool {
        self.conciliation_date
            .as_deref()
            .is_some_and(|d| !d.trim().is_empty())
    }

    /// Reads a body already verified (or from a trusted record).
    ///
    /// # Errors
    /// [`WebhookError::Payload`] when it is not a JSON object with a `payment_id`.
    pub fn parse(body: &[u8]) -> Result<Webhook, WebhookError> {
        let raw = Raw::from_slice(body).map_err(|e| WebhookError::Payload(e.to_string()))?;
        let mut webhook: Webhook = raw
            .decode()
            .map_err(|e| WebhookError::Payload(pagos_core::redact::quoted(&e.to_string())))?;
        webhook.raw = raw;
        Ok(webhook)
    }
}

/// Verifies 3.0 webhooks for one collection account.
///
/// ```
/// use std::time::Duration;
/// use pagos_khipu::v3::webhook::WebhookVerifier;
/// let verifier = WebhookVerifier::new("merchant-secret")
///     .tolerance(Duration::from_secs(600))
///     .expect_receiver_id("990939");
/// assert!(!format!("{verifier:?}").contains("merchant-secret"));
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: SecretString,
    tolerance: Option<Duration>,
    receiver_id: Option<String>,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &"[REDACTED]")
            .field("tolerance", &self.tolerance)
            .field("receiver_id", &self.receiver_id)
            .finish()
    }
}

impl WebhookVerifier {
    /// A verifier with the merchant secret and the [`DEFAULT_TOLERANCE`].
    pub fn new(secret: impl Into<String>) -> Self {
        WebhookVerifier {
            secret: SecretString::from(secret.into()),
            tolerance: Some(DEFAULT_TOLERANCE),
            receiver_id: None,
        }
    }

    /// How far `t` may be from now.
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = Some(tolerance);
        self
    }

    /// No time window (Khipu's own plugins check none; replays then verify).
    #[must_use]
    pub fn without_tolerance(mut self) -> Self {
        self.tolerance = None;
        self
    }

    /// Also require the payload's `receiver_id` to be this one.
    #[must_use]
    pub fn expect_receiver_id(mut self, receiver_id: impl Into<String>) -> Self {
        self.receiver_id = Some(receiver_id.into().trim().to_string());
        self
    }

    /// [`verify_at`](Self::verify_at) with the system clock.
    ///
    /// # Errors
    /// As [`verify_at`](Self::verify_at).
    pub fn verify(&self, header: &str, body: &[u8]) -> Result<Webhook, WebhookError> {
        self.verify_at(header, body, OffsetDateTime::now_utc())
    }

    /// Verifies `header` (the `x-khipu-signature` value) over the raw `body` as of
    /// `now`, then reads the payload.
    ///
    /// # Errors
    /// The [`WebhookError`] that says why it is refused, checked in this order: the
    /// secret, the header's syntax, the signature, the time window, the payload, the
    /// receiver id.
    pub fn verify_at(
        &self,
        header: &str,
        body: &[u8],
        now: OffsetDateTime,
    ) -> Result<Webhook, WebhookError> {
        let secret = self.secret.expose_secret();
        if secret.is_empty() {
            return Err(WebhookError::NoSecret);
        }
        let parsed = SignatureHeader::parse(header)?;
        mac(secret, &parsed.timestamp_ms.to_string(), body)?
            .verify_slice(&parsed.digest)
            .map_err(|_| WebhookError::SignatureMismatch)?;
        if let Some(tolerance) = self.tolerance {
            let now_ms = now.unix_timestamp_nanos() / 1_000_000;
            let age_ms = (now_ms - i128::from(parsed.timestamp_ms)).unsigned_abs();
            if age_ms > tolerance.as_millis() {
                return Err(WebhookError::OutsideTolerance {
                    age_ms,
                    tolerance_s: tolerance.as_secs(),
                });
            }
        }
        let webhook = Webhook::parse(body)?;
        if let Some(expected) = &self.receiver_id
            && webhook.receiver_id.as_deref().map(str::trim) != Some(expected.as_str())
        {
            return Err(WebhookError::ReceiverMismatch {
                expected: expected.clone(),
                got: webhook.receiver_id.clone(),
            });
        }
        Ok(webhook)
    }
}

/// Verifies with `secret` and the [`DEFAULT_TOLERANCE`] as of `now`
/// ([`WebhookVerifier::verify_at`]).
///
/// # Errors
/// As [`WebhookVerifier::verify_at`].
pub fn verify(
    secret: &str,
    header: &str,
    body: &[u8],
    now: OffsetDateTime,
) -> Result<Webhook, WebhookError> {
    WebhookVerifier::new(secret).verify_at(header, body, now)
}
