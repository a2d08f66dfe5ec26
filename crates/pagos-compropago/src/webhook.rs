//! Webhooks: what ComproPago POSTs to the merchant, and how to confirm it.
//!
//! ComproPago's webhooks are **not signed** (providers.md): anyone can POST an order
//! JSON to the merchant's endpoint. So the posted body is only used for two things:
//! recognising the dashboard's test ping (`short_id` `"000000"`), and finding the
//! order id. The order itself — its status above all — is always fetched again with
//! `GET /v2/orders/{id}` and the merchant's own keys, as ComproPago's official plugins
//! do.
//!
//! ```no_run
//! use pagos_compropago::{CompropagoClient, webhook::WebhookEvent};
//!
//! # async fn handle(client: CompropagoClient, body: &[u8]) -> pagos_core::Result<()> {
//! match client.confirm_webhook(body).await? {
//!     WebhookEvent::TestPing => { /* answer 200, nothing to do */ }
//!     WebhookEvent::Order(order) => println!("{} is {}", order.id, order.status),
//!     _ => {}
//! }
//! # Ok(()) }
//! ```

use pagos_core::{Result, ValidationError};
use serde_json::Value;

use crate::client::CompropagoClient;
use crate::orders::Order;

/// The `short_id` of the dashboard's test ping.
pub const TEST_PING_SHORT_ID: &str = "000000";

/// What a posted webhook body claims, before it is confirmed. Nothing here is
/// trusted except as a key to look the order up.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Notification {
    /// The dashboard's test ping (`short_id` `"000000"`).
    TestPing,
    /// A notification about an order or charge.
    Order {
        /// The order id the body names (`id`), to be fetched.
        id: String,
        /// The short id the body names (`short_id` or `shortId`), unverified.
        short_id: Option<String>,
    },
}

/// A confirmed webhook.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// The dashboard's test ping: nothing was fetched.
    TestPing,
    /// The order as fetched from ComproPago with the merchant's keys (not the posted body).
    Order(Box<Order>),
}

/// Reads a posted webhook body: the test ping, or the id of the order to fetch.
///
/// Accepts the order/charge JSON (`{"id": "ch_…", "short_id": "…", …}`), the v2
/// spelling `shortId`, and the same object wrapped in a v2 envelope's `data`.
///
/// ```
/// use pagos_compropago::webhook::{parse, Notification};
///
/// assert_eq!(parse(br#"{"id":"ch_x","short_id":"000000"}"#)?, Notification::TestPing);
/// assert_eq!(
///     parse(br#"{"id":"ch_1","shortId":"481AD8F9","status":"ACCEPTED"}"#)?,
///     Notification::Order { id: "ch_1".into(), short_id: Some("481AD8F9".into()) },
/// );
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
///
/// # Errors
/// A [`ValidationError`] on `webhook.body` when the body is not a JSON object, or
/// on `webhook.id` when it names no order.
pub fn parse(body: &[u8]) -> Result<Notification, ValidationError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ValidationError::new("webhook.body", format!("not JSON: {e}")))?;
    let object = match &value {
        Value::Object(o) => match o.get("data") {
            Some(Value::Object(data)) => data,
            _ => o,
        },
        _ => {
            return Err(ValidationError::new(
                "webhook.body",
                "expected a JSON object (the order or charge)",
            ));
        }
    };
    let text = |key: &str| match object.get(key) {
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let short_id = text("short_id").or_else(|| text("shortId"));
    if short_id.as_deref() == Some(TEST_PING_SHORT_ID) {
        return Ok(Notification::TestPing);
    }
    match text("id").filter(|id| !id.is_empty()) {
        Some(id) => Ok(Notification::Order { id, short_id }),
        None => Err(ValidationError::new(
            "webhook.id",
            "the webhook body names no order id",
        )),
    }
}

impl CompropagoClient {
    /// Confirms a posted webhook body: recognises the test ping, and otherwise fetches
    /// the order it names with `GET /v2/orders/{id}` and returns the fetched order.
    /// The posted status is never used.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] when the body is unusable (see [`parse`]),
    /// with nothing sent; otherwise the errors of [`CompropagoClient::get_order`].
    pub async fn confirm_webhook(&self, body: &[u8]) -> Result<WebhookEvent> {
        match parse(body)? {
            Notification::TestPing => Ok(WebhookEvent::TestPing),
            Notification::Order { id, .. } => {
                let order = self.get_order(&id).await?;
                Ok(WebhookEvent::Order(Box::new(order)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_and_ids() {
        assert_eq!(
            parse(br#"{"short_id":"000000"}"#).unwrap(),
            Notification::TestPing
        );
        assert_eq!(
            parse(br#"{"shortId":"000000","id":"x"}"#).unwrap(),
            Notification::TestPing
        );
        assert_eq!(
            parse(br#"{"data":{"id":"ch_2","shortId":"AB"}}"#).unwrap(),
            Notification::Order {
                id: "ch_2".into(),
                short_id: Some("AB".into())
            }
        );
        assert_eq!(parse(b"[]").unwrap_err().field(), "webhook.body");
        assert_eq!(parse(b"<xml/>").unwrap_err().field(), "webhook.body");
        assert_eq!(parse(br#"{"id":""}"#).unwrap_err().field(), "webhook.id");
    }
}
