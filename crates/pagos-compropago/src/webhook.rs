//! Webhooks: what ComproPago POSTs to the merchant, and how to confirm it.
//!
//! ComproPago's webhooks are **not signed** (ComproPago's public documentation): anyone
//! can POST an order JSON to the merchant's endpoint. So the posted body is only used for
//! two things: recognising the dashboard's test ping (`short_id` `"000000"`), and finding
//! the order id. The order itself — its status above all — is always fetched again with
//! `GET /v2/orders/{id}` and the merchant's own keys, as ComproPago's official plugins
//! do.
//!
//! Fetching is not enough on its own: a forger can post the id of a *real, paid*
//! order of the same amount (their own). So the merchant says which order it expects
//! ([`ExpectedOrder`]: ComproPago's order id, or its own `product.id`, and the
//! amount) and [`CompropagoClient::confirm_webhook`] refuses any other.
//!
//! ```no_run
//! use pagos_compropago::webhook::{ExpectedOrder, WebhookEvent};
//! use pagos_compropago::{CompropagoClient, OrderStatus};
//! use pagos_core::{Currency, Money};
//!
//! # async fn handle(client: CompropagoClient, body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! // The merchant's order 42, for 150.00 MXN, created with product.id "orden-42".
//! let expected = ExpectedOrder::by_product_id(Money::parse("150.00", Currency::Mxn)?, "orden-42");
//! match client.confirm_webhook(body, &expected).await {
//!     Ok(WebhookEvent::TestPing) => { /* answer 200, nothing to do */ }
//!     Ok(WebhookEvent::Order(order)) if order.status == OrderStatus::Accepted => {
//!         // mark order 42 paid
//!     }
//!     Ok(_) => {}                                       // still pending, or expired
//!     Err(e) if e.should_retry() => return Err(e.into()), // answer 5xx: ask again later
//!     Err(e) => eprintln!("rejected webhook: {e}"),     // forged, or another order
//! }
//! # Ok(()) }
//! ```

use std::fmt;

use pagos_core::notification::{
    Check as CoreCheck, NotificationError as CoreNotificationError, VerifiedBy, VerifiedEvent,
    Vouched,
};
use pagos_core::{Currency, Error, Money, PaymentStatus, ValidationError, validate};
use serde_json::Value;

use crate::PROVIDER;
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
/// on `webhook.id` when it names no order or an id that would change the request path
/// (see [`pagos_core::validate::path_id`]).
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
        Some(id) => {
            // The body is unauthenticated: an id such as `..` would fetch another path
            // with the merchant's keys.
            validate::path_id("webhook.id", &id)?;
            Ok(Notification::Order { id, short_id })
        }
        None => Err(ValidationError::new(
            "webhook.id",
            "the webhook body names no order id",
        )),
    }
}

/// How the merchant names the order a webhook must be about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OrderRef {
    /// ComproPago's order id (`ch_…`, [`Order::id`]), returned when it was created.
    OrderId(String),
    /// The merchant's own `product.id` (the unified `merchant_reference`).
    ProductId(String),
}

impl OrderRef {
    /// The check that compares this reference.
    pub const fn check(&self) -> Check {
        match self {
            OrderRef::OrderId(_) => Check::OrderId,
            OrderRef::ProductId(_) => Check::ProductId,
        }
    }

    /// The expected value.
    pub fn value(&self) -> &str {
        match self {
            OrderRef::OrderId(v) | OrderRef::ProductId(v) => v,
        }
    }
}

/// The order a webhook must be about: which one, and its amount and currency. There is
/// no way to build one without the order.
///
/// ```
/// use pagos_compropago::webhook::{Check, ExpectedOrder, OrderRef};
/// use pagos_core::{Currency, Money};
///
/// let price = Money::parse("150.00", Currency::Mxn)?;
/// let by_reference = ExpectedOrder::by_product_id(price, "orden-42");
/// assert_eq!(by_reference.order, OrderRef::ProductId("orden-42".into()));
/// let by_id = ExpectedOrder::by_order_id(price, "ch_ca001318-7f70-47a9-90a2-df3e755d9be3");
/// assert_eq!(by_id.order.check(), Check::OrderId);
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExpectedOrder {
    /// The order's price and currency.
    pub amount: Money,
    /// Which order.
    pub order: OrderRef,
}

impl ExpectedOrder {
    /// Expects the order `order` for `amount` (amount and currency both checked).
    pub fn new(amount: Money, order: OrderRef) -> Self {
        ExpectedOrder { amount, order }
    }

    /// Expects ComproPago's order `order_id` (`ch_…`) for `amount`.
    pub fn by_order_id(amount: Money, order_id: impl Into<String>) -> Self {
        Self::new(amount, OrderRef::OrderId(order_id.into()))
    }

    /// Expects the order created with the merchant's `product.id` for `amount`.
    pub fn by_product_id(amount: Money, product_id: impl Into<String>) -> Self {
        Self::new(amount, OrderRef::ProductId(product_id.into()))
    }

    /// Checks the expectation itself: a blank reference matches nothing.
    ///
    /// # Errors
    /// A [`ValidationError`] on `expected.order_id` or `expected.product_id` when blank.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let field = match self.order {
            OrderRef::OrderId(_) => "expected.order_id",
            OrderRef::ProductId(_) => "expected.product_id",
        };
        validate::non_empty(field, self.order.value())
    }

    /// Checks a fetched order, in this order: reference, currency, amount. Pure: no
    /// I/O. The status is not checked: the caller acts on it (a webhook also arrives
    /// for an order that expired).
    ///
    /// ```
    /// use pagos_compropago::webhook::{Check, ExpectedOrder};
    /// use pagos_compropago::Order;
    /// use pagos_core::{Currency, Money};
    ///
    /// let paid: Order = serde_json::from_str(
    ///     r#"{"id":"ch_2","status":"ACCEPTED","product":{"id":"orden-43","price":150,"currency":"MXN"}}"#,
    /// ).unwrap();
    /// // Paid, same amount, but another order: refused.
    /// let expected = ExpectedOrder::by_product_id(Money::parse("150", Currency::Mxn)?, "orden-42");
    /// assert_eq!(expected.check(&paid).unwrap_err().check(), Some(Check::ProductId));
    /// # Ok::<(), pagos_core::ValidationError>(())
    /// ```
    ///
    /// # Errors
    /// [`WebhookError::Mismatch`] naming the first check that failed.
    pub fn check(&self, order: &Order) -> Result<(), WebhookError> {
        let absent = || "(absent)".to_string();
        let expected = self.order.value();
        let actual = match &self.order {
            OrderRef::OrderId(_) => Some(order.id.as_str()),
            OrderRef::ProductId(_) => order.product.id.as_deref(),
        };
        // Exact comparison; a blank expectation matches nothing.
        if expected.trim().is_empty() || actual != Some(expected) {
            return Err(WebhookError::Mismatch {
                check: self.order.check(),
                expected: expected.to_string(),
                actual: actual.map_or_else(absent, str::to_string),
            });
        }
        let currency = self.amount.currency();
        let actual_currency = order.product.currency.as_deref().map(str::trim);
        if actual_currency.and_then(|c| c.parse::<Currency>().ok()) != Some(currency) {
            return Err(WebhookError::Mismatch {
                check: Check::Currency,
                expected: currency.code().to_string(),
                actual: actual_currency.map_or_else(absent, str::to_string),
            });
        }
        // Decimal equality is numeric: 150 equals 150.00.
        if order.product.price != Some(self.amount.amount()) {
            return Err(WebhookError::Mismatch {
                check: Check::Amount,
                expected: self.amount.to_plain_string(),
                actual: order.product.price.map_or_else(absent, |p| p.to_string()),
            });
        }
        Ok(())
    }
}

/// The check of [`CompropagoClient::confirm_webhook`] that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// ComproPago's order id differs from the expected one.
    OrderId,
    /// The order's `product.id` differs from the merchant's reference.
    ProductId,
    /// The currency differs.
    Currency,
    /// The price differs.
    Amount,
}

impl Check {
    /// The name of the checked field.
    pub const fn as_str(self) -> &'static str {
        match self {
            Check::OrderId => "order_id",
            Check::ProductId => "product.id",
            Check::Currency => "product.currency",
            Check::Amount => "product.price",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a webhook was not confirmed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body or the expectation is unusable (see [`parse`]); nothing was sent.
    Invalid(ValidationError),
    /// Fetching the order failed.
    Fetch(Error),
    /// The fetched order is not the expected one, or not for the expected amount.
    Mismatch {
        /// Which check failed.
        check: Check,
        /// The expected value.
        expected: String,
        /// ComproPago's value.
        actual: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::Invalid(e) => write!(f, "ComproPago webhook: {e}"),
            WebhookError::Fetch(e) => {
                write!(f, "ComproPago webhook: could not fetch the order: {e}")
            }
            WebhookError::Mismatch {
                check,
                expected,
                actual,
            } => write!(
                f,
                "ComproPago webhook: {check} check failed: expected {expected}, got {actual}"
            ),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Invalid(e) => Some(e),
            WebhookError::Fetch(e) => Some(e),
            WebhookError::Mismatch { .. } => None,
        }
    }
}

impl WebhookError {
    /// Whether the merchant should answer with a 5xx so ComproPago sends the webhook
    /// again: only when fetching failed for a reason that may pass (network,
    /// ComproPago unavailable). An unusable body or a mismatch will not change.
    pub fn should_retry(&self) -> bool {
        matches!(self, WebhookError::Fetch(e) if e.resend() == pagos_core::Resend::Safe)
    }

    /// The failed check, for a mismatch.
    pub fn check(&self) -> Option<Check> {
        match self {
            WebhookError::Mismatch { check, .. } => Some(*check),
            _ => None,
        }
    }
}

impl CompropagoClient {
    /// Confirms a posted webhook body for the order the merchant expects: recognises
    /// the test ping, and otherwise fetches the order it names with
    /// `GET /v2/orders/{id}` and checks it against `expected` (reference, currency,
    /// price; see [`ExpectedOrder::check`]). The posted status is never used: act on
    /// the fetched order's.
    ///
    /// # Errors
    /// [`WebhookError::Invalid`] when the body or the expectation is unusable (see
    /// [`parse`], [`ExpectedOrder::validate`]), with nothing sent;
    /// [`WebhookError::Fetch`] with the errors of [`Orders::get`](crate::Orders::get);
    /// [`WebhookError::Mismatch`] when the fetched order is another order or for
    /// another amount.
    pub async fn confirm_webhook(
        &self,
        body: &[u8],
        expected: &ExpectedOrder,
    ) -> Result<WebhookEvent, WebhookError> {
        expected.validate().map_err(WebhookError::Invalid)?;
        match parse(body).map_err(WebhookError::Invalid)? {
            Notification::TestPing => Ok(WebhookEvent::TestPing),
            Notification::Order { id, .. } => {
                // Expecting ComproPago's id, a body naming another order is refused
                // before anything is fetched.
                if let OrderRef::OrderId(expected_id) = &expected.order
                    && *expected_id != id
                {
                    return Err(WebhookError::Mismatch {
                        check: Check::OrderId,
                        expected: expected_id.clone(),
                        actual: id,
                    });
                }
                let order = self.orders().get(&id).await.map_err(WebhookError::Fetch)?;
                expected.check(&order)?;
                Ok(WebhookEvent::Order(Box::new(order)))
            }
        }
    }
}

/// The unified verification of a posted webhook, as
/// [`PaymentProvider::verify_notification`](pagos_core::PaymentProvider::verify_notification)
/// runs it for a [`CompropagoClient`]: take the order id from the body ([`parse`]),
/// fetch the order (`GET /v2/orders/{id}`, with the merchant's keys) and bind it to the
/// order with the core [`Expected::bind`](pagos_core::notification::Expected::bind)
/// ([`verified_event`]). The posted status is never used.
///
/// Expecting ComproPago's order id, a body naming another order is refused before
/// anything is fetched. The dashboard's test ping is no order: it is refused as
/// [`Check::Body`](pagos_core::notification::Check::Body) (use
/// [`CompropagoClient::confirm_webhook`] to tell it apart and answer it 200).
///
/// # Errors
/// [`Error::Validation`] for a blank expectation and [`Error::Notification`] with
/// [`Check::Body`](pagos_core::notification::Check::Body) for a malformed body or the
/// test ping, with nothing sent; the fetch's errors (a [`pagos_core::Resend::Safe`]
/// one: answer ComproPago with a 5xx so it delivers again); [`Error::Notification`]
/// with the check of [`Expected::bind`](pagos_core::notification::Expected::bind) that
/// failed.
pub(crate) async fn verify(
    client: &CompropagoClient,
    notification: &pagos_core::notification::Notification<'_>,
    expected: &pagos_core::notification::Expected,
) -> pagos_core::Result<VerifiedEvent> {
    expected.validate()?;
    let body = |why: String| CoreNotificationError::new(PROVIDER, CoreCheck::Body, why);
    let id = match parse(notification.body()).map_err(|e| body(e.to_string()))? {
        Notification::TestPing => {
            return Err(body(format!(
                "the dashboard's test ping (short_id {TEST_PING_SHORT_ID}) names no order"
            ))
            .into());
        }
        Notification::Order { id, .. } => id,
    };
    if let pagos_core::notification::OrderRef::PaymentId(expected_id) = &expected.order
        && *expected_id != id
    {
        return Err(CoreNotificationError::mismatch(
            PROVIDER,
            CoreCheck::PaymentId,
            expected_id,
            &id,
        )
        .into());
    }
    let order = client.orders().get(&id).await?;
    Ok(verified_event(&order, expected)?)
}

/// The event an order fetched from ComproPago makes for the order `expected`:
/// ComproPago's order id (`ch_…`) is the payment id, the merchant's `product.id` the
/// merchant reference; both, the currency and the price are bound with
/// [`Expected::bind`](pagos_core::notification::Expected::bind). Pure: no I/O.
///
/// The status is the fetched order's, normalized; the event key is
/// `compropago:<ch_…>:<status>`, the same for every delivery.
///
/// ```
/// use pagos_compropago::Order;
/// use pagos_core::notification::{Check, Expected};
/// use pagos_core::{Currency, Money, PaymentStatus};
///
/// let paid: Order = serde_json::from_str(
///     r#"{"id":"ch_2","status":"ACCEPTED","product":{"id":"orden-42","price":150,"currency":"MXN"}}"#,
/// ).unwrap();
/// let price = Money::parse("150.00", Currency::Mxn)?;
/// let event = pagos_compropago::webhook::verified_event(&paid, &Expected::by_merchant_reference(price, "orden-42"))?;
/// assert_eq!(event.status, PaymentStatus::Succeeded);
/// assert_eq!(event.event_key, "compropago:ch_2:succeeded");
/// let other = pagos_compropago::webhook::verified_event(&paid, &Expected::by_merchant_reference(price, "orden-43"));
/// assert_eq!(other.unwrap_err().check(), Check::MerchantReference);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// The [`pagos_core::notification::NotificationError`] of
/// [`Expected::bind`](pagos_core::notification::Expected::bind).
pub fn verified_event(
    order: &Order,
    expected: &pagos_core::notification::Expected,
) -> Result<VerifiedEvent, CoreNotificationError> {
    let amount = order.price();
    expected.bind(
        PROVIDER,
        &Vouched {
            payment_id: &order.id,
            merchant_reference: order.product.id.as_deref(),
            amount,
        },
    )?;
    // `bind` refuses an order without a price, so this is the order's amount.
    let amount = amount.unwrap_or(expected.amount);
    Ok(VerifiedEvent::new(
        PROVIDER,
        order.id.clone(),
        PaymentStatus::from(&order.status),
        amount,
        VerifiedBy::Fetch,
        order.raw.clone(),
    )
    .with_merchant_reference(order.product.id.clone()))
}

impl From<&ExpectedOrder> for pagos_core::notification::Expected {
    /// The same expectation in the unified API: ComproPago's order id is the payment id,
    /// the merchant's `product.id` the merchant reference.
    fn from(e: &ExpectedOrder) -> Self {
        match &e.order {
            OrderRef::OrderId(v) => Self::by_payment_id(e.amount, v.clone()),
            OrderRef::ProductId(v) => Self::by_merchant_reference(e.amount, v.clone()),
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
        // JSON escapes: the parsed ids hold a newline and a NUL.
        for id in ["..", ".", "%2e%2e", r".\n.", r"a\u0000b"] {
            let body = format!(r#"{{"id":"{id}"}}"#);
            assert_eq!(
                parse(body.as_bytes()).unwrap_err().field(),
                "webhook.id",
                "{id}"
            );
        }
    }

    fn order(id: &str, product_id: &str, price: &str, currency: &str) -> Order {
        serde_json::from_str(&format!(
            r#"{{"id":"{id}","status":"ACCEPTED","product":{{"id":"{product_id}","price":{price},"currency":"{currency}"}}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn expected_order_checks_reference_currency_amount() {
        let mxn = |s: &str| Money::parse(s, Currency::Mxn).unwrap();
        let paid = order("ch_1", "orden-42", "150.0", "MXN");
        assert!(
            ExpectedOrder::by_product_id(mxn("150"), "orden-42")
                .check(&paid)
                .is_ok()
        );
        assert!(
            ExpectedOrder::by_order_id(mxn("150.00"), "ch_1")
                .check(&paid)
                .is_ok()
        );
        let failed = |e: ExpectedOrder, o: &Order| e.check(o).unwrap_err().check().unwrap();
        // Another paid order of the same amount: refused by either reference.
        let other = order("ch_2", "orden-43", "150.0", "MXN");
        assert_eq!(
            failed(ExpectedOrder::by_product_id(mxn("150"), "orden-42"), &other),
            Check::ProductId
        );
        assert_eq!(
            failed(ExpectedOrder::by_order_id(mxn("150"), "ch_1"), &other),
            Check::OrderId
        );
        let usd = order("ch_1", "orden-42", "150.0", "USD");
        assert_eq!(
            failed(ExpectedOrder::by_order_id(mxn("150"), "ch_1"), &usd),
            Check::Currency
        );
        assert_eq!(
            failed(ExpectedOrder::by_order_id(mxn("150.01"), "ch_1"), &paid),
            Check::Amount
        );
        let blank = order("ch_1", "", "150.0", "MXN");
        assert_eq!(
            failed(ExpectedOrder::by_product_id(mxn("150"), ""), &blank),
            Check::ProductId
        );
        assert_eq!(
            ExpectedOrder::by_order_id(mxn("1"), " ")
                .validate()
                .unwrap_err()
                .field(),
            "expected.order_id"
        );
        let e = ExpectedOrder::by_product_id(mxn("150"), "orden-42")
            .check(&other)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "ComproPago webhook: product.id check failed: expected orden-42, got orden-43"
        );
        assert!(!e.should_retry());
    }
}
