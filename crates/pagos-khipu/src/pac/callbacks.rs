//! PAC callbacks: what Khipu POSTs to a subscription's `notify_url` and to a charge's
//! `error_response_url`.
//!
//! Neither is signed (Khipu Automatic Payments API, "SubscriptionCallback" and
//! "ChargeErrorCallback": no signature, no token), so nothing in the body is believed:
//! a callback only says *which* record to read back over the authenticated API.
//!
//! | callback | body | confirm with |
//! |---|---|---|
//! | subscription `notify_url` | `{"subscription_id","status"}` | [`Subscriptions::confirm_callback`](super::subscriptions::Subscriptions::confirm_callback) (`GET /v1/automatic-payment/subscription/{id}`) |
//! | charge `error_response_url` | `{"subscription_id","transaction_id","payment_id","error_message"}` | the unified `verify_notification` of a [`KhipuV3Client`](crate::v3::KhipuV3Client) (`GET /v3/payments/{payment_id}`) |
//!
//! A charge's `notify_url` receives the ordinary (signed, with `notify_api_version`
//! `3.0`) payment webhook.

use pagos_core::validate;
use serde::Deserialize;

use crate::de;

/// A subscription callback, parsed. Its `status` is what the unsigned body claims:
/// never act on it, fetch the subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubscriptionCallback {
    /// The subscription the callback names.
    pub subscription_id: String,
    /// The status the body claims (`"enabled"`, `"discarded"`, …), unverified.
    pub claimed_status: Option<String>,
}

/// A charge `error_response_url` callback, parsed. Everything in it is unverified;
/// only `payment_id` is used, to fetch the payment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChargeErrorCallback {
    /// The subscription the charge was made on.
    pub subscription_id: String,
    /// The payment the charge became.
    pub payment_id: String,
    /// The merchant's `transaction_id` of the charge, when sent.
    pub transaction_id: Option<String>,
    /// Khipu's message, when sent.
    pub error_message: Option<String>,
}

#[derive(Deserialize)]
struct Wire {
    #[serde(default, deserialize_with = "de::opt_text")]
    subscription_id: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    payment_id: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    transaction_id: Option<String>,
    #[serde(default)]
    error_message: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

/// What an unsigned body is, as far as its shape tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unsigned {
    /// A charge `error_response_url` callback.
    ChargeError(ChargeErrorCallback),
    /// A subscription `notify_url` callback.
    Subscription(SubscriptionCallback),
    /// A callback-shaped body with a bad id: the message says which.
    Malformed(String),
    /// Anything else (not a JSON object, or no callback's fields).
    Other,
}

/// The JSON object of `body`, or `None` when it is not one.
fn object(body: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// Classifies an unsigned body: a charge error callback has `subscription_id`,
/// `payment_id` and `error_message`; a subscription callback has `subscription_id` and
/// `status` and no `payment_id`.
pub(crate) fn classify(body: &[u8]) -> Unsigned {
    let Some(map) = object(body) else {
        return Unsigned::Other;
    };
    let has = |k: &str| map.contains_key(k);
    let is_charge = has("subscription_id") && has("payment_id") && has("error_message");
    let is_subscription = has("subscription_id") && has("status") && !has("payment_id");
    if !is_charge && !is_subscription {
        return Unsigned::Other;
    }
    let parsed = if is_charge {
        ChargeErrorCallback::parse(body).map(Unsigned::ChargeError)
    } else {
        SubscriptionCallback::parse(body).map(Unsigned::Subscription)
    };
    parsed.unwrap_or_else(|e| Unsigned::Malformed(e.to_string()))
}

fn wire(body: &[u8]) -> Result<Wire, pagos_core::ValidationError> {
    if object(body).is_none() {
        return Err(pagos_core::ValidationError::new(
            "body",
            "is not a JSON object",
        ));
    }
    serde_json::from_slice(body)
        .map_err(|e| pagos_core::ValidationError::new("body", format!("unreadable: {e}")))
}

fn id(field: &'static str, value: Option<String>) -> Result<String, pagos_core::ValidationError> {
    let value = value.unwrap_or_default();
    validate::path_id(field, &value)?;
    Ok(value)
}

impl SubscriptionCallback {
    /// Parses a subscription callback body: a JSON object with a usable
    /// `subscription_id`.
    ///
    /// ```
    /// use pagos_khipu::pac::callbacks::SubscriptionCallback;
    /// let c = SubscriptionCallback::parse(br#"{"subscription_id":"7Kp2R9xTmQ4b","status":"enabled"}"#)?;
    /// assert_eq!(c.subscription_id, "7Kp2R9xTmQ4b");
    /// assert!(SubscriptionCallback::parse(br#"{"subscription_id":".."}"#).is_err());
    /// # Ok::<(), pagos_core::ValidationError>(())
    /// ```
    ///
    /// # Errors
    /// A [`pagos_core::ValidationError`] on `body` (not a JSON object) or
    /// `subscription_id` (missing, blank, or not usable as a path segment).
    pub fn parse(body: &[u8]) -> Result<SubscriptionCallback, pagos_core::ValidationError> {
        let w = wire(body)?;
        Ok(SubscriptionCallback {
            subscription_id: id("subscription_id", w.subscription_id)?,
            claimed_status: w.status,
        })
    }
}

impl ChargeErrorCallback {
    /// Parses a charge error callback body: a JSON object with a usable `payment_id`
    /// and `subscription_id`.
    ///
    /// ```
    /// use pagos_khipu::pac::callbacks::ChargeErrorCallback;
    /// let c = ChargeErrorCallback::parse(
    ///     br#"{"subscription_id":"s1","transaction_id":"c-3","payment_id":"p1","error_message":"Fondos insuficientes"}"#,
    /// )?;
    /// assert_eq!(c.payment_id, "p1");
    /// # Ok::<(), pagos_core::ValidationError>(())
    /// ```
    ///
    /// # Errors
    /// A [`pagos_core::ValidationError`] on `body` (not a JSON object),
    /// `payment_id` or `subscription_id` (missing, blank, or not usable as a path
    /// segment).
    pub fn parse(body: &[u8]) -> Result<ChargeErrorCallback, pagos_core::ValidationError> {
        let w = wire(body)?;
        Ok(ChargeErrorCallback {
            subscription_id: id("subscription_id", w.subscription_id)?,
            payment_id: id("payment_id", w.payment_id)?,
            transaction_id: w.transaction_id,
            error_message: w.error_message,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_shape() {
        let charge = br#"{"subscription_id":"s1","transaction_id":"c","payment_id":"p1","error_message":"x"}"#;
        assert!(matches!(classify(charge), Unsigned::ChargeError(c) if c.payment_id == "p1"));
        let sub = br#"{"subscription_id":"s1","status":"enabled"}"#;
        assert!(matches!(classify(sub), Unsigned::Subscription(s) if s.subscription_id == "s1"));
        for other in [
            &b""[..],
            b"[1,2]",
            b"\"s\"",
            br#"{"payment_id":"p1","amount":"1000"}"#,
            br#"{"subscription_id":"s1"}"#,
            br#"{"subscription_id":"s1","payment_id":"p1"}"#,
        ] {
            assert_eq!(classify(other), Unsigned::Other, "{other:?}");
        }
        let bad = br#"{"subscription_id":"s1","payment_id":"..","error_message":"x"}"#;
        assert!(matches!(classify(bad), Unsigned::Malformed(m) if m.contains("payment_id")));
        let bad = br#"{"subscription_id":null,"status":"enabled"}"#;
        assert!(matches!(classify(bad), Unsigned::Malformed(m) if m.contains("subscription_id")));
    }
}
