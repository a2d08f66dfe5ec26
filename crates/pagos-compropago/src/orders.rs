//! SPEI payment orders: [`CreateOrder`] (`POST /v2/orders`) and [`GetOrder`]
//! (`GET /v2/orders/{id}`), run through [`Orders`] (`client.orders()`).

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{
    BaseUrl, Decimal, Money, PaymentInstructions, Raw, Request, Response, Result, ValidationError,
    validate,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::client::CompropagoClient;
use crate::envelope::{self, Shape, WithRaw};
use crate::instructions::{self, Instruction};
use crate::status::OrderStatus;
use crate::{checks, wire};

// ---------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------

/// What the order charges for (`product`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Product {
    /// The merchant's id of the product or service (`product.id`).
    pub id: String,
    /// Its name (`product.name`).
    pub name: String,
    /// The price (`product.price` and `product.currency`); MXN only.
    pub price: Money,
    /// An image of the product (`product.url`), `http(s)`.
    pub url: Option<String>,
}

impl Product {
    /// A product with its id, name and price.
    pub fn new(id: impl Into<String>, name: impl Into<String>, price: Money) -> Self {
        Product {
            id: id.into(),
            name: name.into(),
            price,
            url: None,
        }
    }

    /// Sets the image URL.
    #[must_use]
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }
}

/// Who pays (`customer`).
///
/// ComproPago returns the same CLABE every time an order carries the same
/// `customer.id`, so the payer registers the account in their bank only once: use a
/// stable id per payer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Customer {
    /// The merchant's id for the customer (`customer.id`).
    pub id: String,
    /// Name (`customer.name`).
    pub name: String,
    /// E-mail (`customer.email`).
    pub email: String,
    /// Phone (`customer.phone`), optional: plain digits (4 to 10, as the ComproPago
    /// API v2 reference shows them, `"5513899832"` or `"6666"`) are sent as written;
    /// any other form (`+52 55 1234 5678`, `(55) 1234-5678`, `+52 1 55…`) is sent as
    /// the 10-digit national number; another country's number is refused.
    pub phone: Option<String>,
}

impl Customer {
    /// A customer with the required fields.
    pub fn new(id: impl Into<String>, name: impl Into<String>, email: impl Into<String>) -> Self {
        Customer {
            id: id.into(),
            name: name.into(),
            email: email.into(),
            phone: None,
        }
    }

    /// Sets the phone number (`5512345678`, `+52 55 1234 5678`, `"6666"`...); see the
    /// `phone` field for what is sent and what is refused.
    #[must_use]
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }
}

/// The payment method (`payment.type`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PaymentType {
    /// `SPEI`: bank transfer to a CLABE (the default and the only documented v2 type).
    #[default]
    Spei,
    /// Another type, sent as given.
    Other(String),
}

impl PaymentType {
    /// The wire text.
    pub fn as_str(&self) -> &str {
        match self {
            PaymentType::Spei => "SPEI",
            PaymentType::Other(s) => s,
        }
    }
}

/// `POST /v2/orders`: creates a SPEI order (ComproPago API v2 reference, "Crear
/// orden"). The endpoint value is the request; run it with
/// [`Orders::create`] or [`CompropagoClient::run`].
///
/// Sent once ([`Idempotency::NonIdempotent`]): ComproPago takes no idempotency key.
///
/// ```
/// use pagos_compropago::{CreateOrder, Customer, Product};
/// use pagos_core::{BaseUrl, Currency, Money};
///
/// let order = CreateOrder::new(
///     Product::new("SMGCURL1", "SAMSUNG GOLD CURL", Money::parse("150", Currency::Mxn)?),
///     Customer::new("cust-1", "Waldix", "waldix@compropago.com").phone("5513899832"),
/// );
/// assert!(order.validate().is_ok());
/// let request = pagos_core::endpoint::describe(&order, &BaseUrl::parse("https://api.compropago.com")?)?;
/// assert_eq!(request.url().path(), "/v2/orders");
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateOrder {
    /// What is charged.
    pub product: Product,
    /// Who pays.
    pub customer: Customer,
    /// The payment method, [`PaymentType::Spei`] by default.
    pub payment_type: PaymentType,
    /// When the order expires (`expiresAt`, sent as epoch seconds). Whether it is in
    /// the future is the caller's business: the SDK does not read the clock.
    pub expires_at: Option<OffsetDateTime>,
}

impl CreateOrder {
    /// An order for `product` paid by `customer`.
    pub fn new(product: Product, customer: Customer) -> Self {
        CreateOrder {
            product,
            customer,
            payment_type: PaymentType::Spei,
            expires_at: None,
        }
    }

    /// Sets the payment method.
    #[must_use]
    pub fn payment_type(mut self, payment_type: PaymentType) -> Self {
        self.payment_type = payment_type;
        self
    }

    /// Sets the expiry.
    #[must_use]
    pub fn expires_at(mut self, at: OffsetDateTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// Checks the order as ComproPago requires it; the endpoint's `request` calls it, so
    /// nothing invalid is sent.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field: `product.id`, `product.name`,
    /// `product.price` (MXN, positive, at most 2 decimals), `product.url` (`http(s)`),
    /// `customer.id`, `customer.name`, `customer.email`, `customer.phone` (not a Mexican number)
    /// or `payment.type`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::non_empty("product.id", &self.product.id)?;
        validate::non_empty("product.name", &self.product.name)?;
        checks::mxn_amount("product.price", &self.product.price)?;
        if let Some(url) = &self.product.url {
            validate::http_url("product.url", url)?;
        }
        validate::non_empty("customer.id", &self.customer.id)?;
        validate::non_empty("customer.name", &self.customer.name)?;
        validate::email("customer.email", &self.customer.email)?;
        if let Some(phone) = &self.customer.phone {
            checks::phone_mx("customer.phone", phone)?;
        }
        validate::non_empty("payment.type", self.payment_type.as_str())?;
        Ok(())
    }
}

/// The wire body of `POST /v2/orders`, in the API v2 reference's field order.
#[derive(Serialize)]
pub(crate) struct OrderBody<'a> {
    product: ProductBody<'a>,
    customer: CustomerBody<'a>,
    payment: PaymentBody<'a>,
    #[serde(
        rename = "expiresAt",
        skip_serializing_if = "Option::is_none",
        serialize_with = "wire::epoch::serialize_option_seconds"
    )]
    expires_at: Option<OffsetDateTime>,
}

#[derive(Serialize)]
struct ProductBody<'a> {
    id: &'a str,
    #[serde(serialize_with = "wire::amount::serialize")]
    price: &'a Money,
    name: &'a str,
    currency: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct CustomerBody<'a> {
    id: &'a str,
    name: &'a str,
    email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<std::borrow::Cow<'a, str>>,
}

#[derive(Serialize)]
struct PaymentBody<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
}

impl<'a> From<&'a CreateOrder> for OrderBody<'a> {
    fn from(o: &'a CreateOrder) -> Self {
        OrderBody {
            product: ProductBody {
                id: &o.product.id,
                price: &o.product.price,
                name: &o.product.name,
                currency: o.product.price.currency().code(),
                url: o.product.url.as_deref(),
            },
            customer: CustomerBody {
                id: &o.customer.id,
                name: &o.customer.name,
                email: &o.customer.email,
                phone: o.customer.phone.as_deref().map(checks::phone_wire),
            },
            payment: PaymentBody {
                kind: o.payment_type.as_str(),
            },
            expires_at: o.expires_at,
        }
    }
}

// ---------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------

/// A SPEI order as ComproPago reports it: the output of [`CreateOrder`] and
/// [`GetOrder`].
///
/// Every field but `id` and `status` is optional, so a sparse answer still decodes;
/// fields this SDK does not model are in [`Order::raw`]. Decode it from bytes or text
/// (amounts are read from their exact digits), not from a `serde_json::Value`.
/// Serializing it writes the typed fields (amounts as exact decimal text, times as
/// RFC 3339) and `raw` as received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Order {
    /// ComproPago's order id (`ch_…`), used with [`Orders::get`].
    pub id: String,
    /// ComproPago's short reference (`481AD8F9`).
    #[serde(default)]
    pub short_id: Option<String>,
    /// What is charged.
    #[serde(default)]
    pub product: ProductInfo,
    /// Who pays.
    #[serde(default)]
    pub customer: CustomerInfo,
    /// How to pay: CLABE, fees and instructions.
    #[serde(default)]
    pub payment: OrderPayment,
    /// The order's status.
    pub status: OrderStatus,
    /// Whether the order was created with test keys.
    #[serde(default)]
    pub test_mode: Option<bool>,
    /// The currency conversion applied, when reported.
    #[serde(default)]
    pub exchange: Option<Exchange>,
    /// Creation time.
    #[serde(
        default,
        deserialize_with = "wire::epoch::deserialize_option",
        serialize_with = "wire::epoch::serialize_option_rfc3339"
    )]
    pub created_at: Option<OffsetDateTime>,
    /// Last update.
    #[serde(
        default,
        deserialize_with = "wire::epoch::deserialize_option",
        serialize_with = "wire::epoch::serialize_option_rfc3339"
    )]
    pub updated_at: Option<OffsetDateTime>,
    /// Expiry; `None` when the order does not expire or ComproPago did not say.
    #[serde(
        default,
        deserialize_with = "wire::epoch::deserialize_option",
        serialize_with = "wire::epoch::serialize_option_rfc3339"
    )]
    pub expires_at: Option<OffsetDateTime>,
    /// The order's JSON exactly as received: the envelope's `data`, byte for byte
    /// (or the whole body of a bare `GET /v2/orders/{id}` answer). `null` for an
    /// order decoded by hand.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl WithRaw for Order {
    fn set_raw(&mut self, raw: Raw) {
        self.raw = raw;
    }
}

impl Order {
    /// The unified bank-transfer instructions (CLABE, bank, steps); `None` when the
    /// order carries no CLABE. See [the rules](crate::instructions).
    pub fn payment_instructions(&self) -> Option<PaymentInstructions> {
        instructions::bank_transfer(self.payment.clabe.as_deref(), &self.payment.instructions)
    }

    /// The price as [`Money`], when the price and a known currency are present.
    pub fn price(&self) -> Option<Money> {
        let currency = self.product.currency.as_deref()?.parse().ok()?;
        Money::new(self.product.price?, currency).ok()
    }
}

/// The product of an [`Order`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProductInfo {
    /// The merchant's product id (the unified `merchant_reference`).
    #[serde(default, deserialize_with = "wire::lenient_string::deserialize_option")]
    pub id: Option<String>,
    /// The price, exact.
    #[serde(default, deserialize_with = "wire::amount::deserialize_option")]
    pub price: Option<Decimal>,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// The currency code as sent (`MXN`).
    #[serde(default)]
    pub currency: Option<String>,
    /// The image URL.
    #[serde(default)]
    pub url: Option<String>,
}

/// A customer as ComproPago reports it (orders, CLABEs and accounts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomerInfo {
    /// The merchant's customer id.
    #[serde(default, deserialize_with = "wire::lenient_string::deserialize_option")]
    pub id: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone, as sent (not validated).
    #[serde(default, deserialize_with = "wire::lenient_string::deserialize_option")]
    pub phone: Option<String>,
}

/// The `payment` object of an [`Order`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderPayment {
    /// The payment method (`SPEI`).
    #[serde(default, rename = "type")]
    pub payment_type: Option<String>,
    /// ComproPago's fee.
    #[serde(default, deserialize_with = "wire::amount::deserialize_option")]
    pub fee: Option<Decimal>,
    /// VAT on the fee.
    #[serde(default, deserialize_with = "wire::amount::deserialize_option")]
    pub iva: Option<Decimal>,
    /// The CLABE to transfer to, as sent (not validated: the API v2 reference's examples
    /// return the placeholder `000000000000000000`).
    #[serde(default)]
    pub clabe: Option<String>,
    /// The steps the payer follows.
    #[serde(default)]
    pub instructions: Vec<Instruction>,
}

/// The `exchange` object of an [`Order`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Exchange {
    /// The rate applied.
    #[serde(default, deserialize_with = "wire::amount::deserialize_option")]
    pub rate: Option<Decimal>,
    /// The amount charged, in `final_currency`.
    #[serde(default, deserialize_with = "wire::amount::deserialize_option")]
    pub final_amount: Option<Decimal>,
    /// The amount ordered, in `origin_currency`.
    #[serde(default, deserialize_with = "wire::amount::deserialize_option")]
    pub origin_amount: Option<Decimal>,
    /// The currency charged.
    #[serde(default)]
    pub final_currency: Option<String>,
    /// The currency ordered.
    #[serde(default)]
    pub origin_currency: Option<String>,
}

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

impl Endpoint for CreateOrder {
    type Output = Order;
    const OPERATION: &'static str = "create_order";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// `POST {base}/v2/orders` with the JSON body of the API v2 reference.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] (see [`CreateOrder::validate`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        self.validate()?;
        Ok(
            Request::new(Method::POST, base.join(&["v2", "orders"])?, Self::OPERATION)
                .header("accept", "application/json")?
                .json(&OrderBody::from(self))?,
        )
    }

    /// The order in the envelope's `data`.
    ///
    /// # Errors
    /// [`pagos_core::Error::OutcomeUnknown`] when the answer cannot be read; the
    /// refusal for an error envelope.
    fn parse(&self, response: &Response) -> Result<Order> {
        envelope::one(response, Shape::Wrapped)
    }

    /// ComproPago cannot look an order up by the merchant's reference.
    fn outcome_hint(&self) -> Option<String> {
        Some(format!(
            "ComproPago has no lookup by merchant reference: look for an order of product.id {:?} in the ComproPago panel before creating it again",
            self.product.id
        ))
    }
}

/// `GET /v2/orders/{id}`: fetches an order (ComproPago API v2 reference, "Consultar
/// orden"). Run it with [`Orders::get`].
///
/// Accepts the v2 envelope and, as in the API v2 reference's example, a bare order.
///
/// ```
/// use pagos_compropago::GetOrder;
/// use pagos_core::BaseUrl;
///
/// let base = BaseUrl::parse("https://api.compropago.com")?;
/// let request = pagos_core::endpoint::describe(&GetOrder::new("ch_1"), &base)?;
/// assert_eq!(request.url().as_str(), "https://api.compropago.com/v2/orders/ch_1");
/// // An id that would change the path is refused, and nothing is sent.
/// assert!(pagos_core::endpoint::describe(&GetOrder::new(".."), &base).is_err());
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetOrder {
    /// ComproPago's order id (`ch_…`).
    pub order_id: String,
}

impl GetOrder {
    /// The order `order_id`.
    pub fn new(order_id: impl Into<String>) -> Self {
        GetOrder {
            order_id: order_id.into(),
        }
    }
}

impl Endpoint for GetOrder {
    type Output = Order;
    const OPERATION: &'static str = "get_order";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    /// `GET {base}/v2/orders/{id}`.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `order_id` when the id is blank or would
    /// change the path (see [`validate::path_id`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        // `GET /v2/orders/..` would be `GET /v2`: refuse before anything is sent.
        validate::path_id("order_id", &self.order_id)?;
        Ok(Request::new(
            Method::GET,
            base.join(&["v2", "orders", &self.order_id])?,
            Self::OPERATION,
        )
        .header("accept", "application/json")?)
    }

    /// The order, wrapped or bare.
    ///
    /// # Errors
    /// [`pagos_core::Error::OutcomeUnknown`] when the answer cannot be read; the
    /// refusal for an error envelope.
    fn parse(&self, response: &Response) -> Result<Order> {
        envelope::one(response, Shape::WrappedOrBare)
    }
}

// ---------------------------------------------------------------------------
// Handle
// ---------------------------------------------------------------------------

/// ComproPago's orders: `client.orders()`.
#[derive(Debug, Clone, Copy)]
pub struct Orders<'a> {
    client: &'a CompropagoClient,
}

impl<'a> Orders<'a> {
    pub(crate) fn new(client: &'a CompropagoClient) -> Self {
        Orders { client }
    }

    /// Creates a SPEI order ([`CreateOrder`], `POST /v2/orders`).
    ///
    /// The call is sent once (ComproPago takes no idempotency key). ComproPago cannot
    /// look an order up by the merchant's reference, so after an
    /// [`Error::OutcomeUnknown`](pagos_core::Error::OutcomeUnknown) check the panel
    /// before creating the order again.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] before sending (see [`CreateOrder::validate`]);
    /// otherwise see [`CompropagoClient::run`].
    pub async fn create(&self, order: &CreateOrder) -> Result<Order> {
        self.client.run(order).await
    }

    /// Fetches an order ([`GetOrder`], `GET /v2/orders/{id}`).
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `order_id` when the id is blank or would
    /// change the path (see [`validate::path_id`]); otherwise see
    /// [`CompropagoClient::run`] (an unknown id is a provider error, usually HTTP 404).
    pub async fn get(&self, order_id: &str) -> Result<Order> {
        self.client.run(&GetOrder::new(order_id)).await
    }
}
#[cfg(test)]
mod tests {
    use pagos_core::Currency;

    use super::*;

    fn order() -> CreateOrder {
        CreateOrder::new(
            Product::new("P1", "Thing", Money::parse("150", Currency::Mxn).unwrap()),
            Customer::new("C1", "Ana", "ana@example.mx"),
        )
    }

    #[test]
    fn body_has_the_seed_shape() {
        let o = order().expires_at(OffsetDateTime::from_unix_timestamp(1_560_139_200).unwrap());
        assert_eq!(
            serde_json::to_string(&OrderBody::from(&o)).unwrap(),
            r#"{"product":{"id":"P1","price":150.00,"name":"Thing","currency":"MXN"},"customer":{"id":"C1","name":"Ana","email":"ana@example.mx"},"payment":{"type":"SPEI"},"expiresAt":1560139200}"#
        );
    }

    #[test]
    fn validation_names_fields() {
        let field = |o: CreateOrder| o.validate().unwrap_err().field().to_string();
        let mut o = order();
        o.product.id = " ".into();
        assert_eq!(field(o), "product.id");
        let mut o = order();
        o.product.name = String::new();
        assert_eq!(field(o), "product.name");
        let mut o = order();
        o.product.price = Money::parse("0", Currency::Mxn).unwrap();
        assert_eq!(field(o), "product.price");
        let mut o = order();
        o.product.price = Money::parse("10", Currency::Usd).unwrap();
        assert_eq!(field(o), "product.price");
        assert_eq!(
            field(order().tap_product_url("ftp://x.mx/a.jpg")),
            "product.url"
        );
        let mut o = order();
        o.customer.email = "nope".into();
        assert_eq!(field(o), "customer.email");
        let mut o = order();
        o.customer.phone = Some("55 1234 567".into());
        assert_eq!(field(o), "customer.phone");
        assert_eq!(
            field(order().payment_type(PaymentType::Other(String::new()))),
            "payment.type"
        );
    }

    impl CreateOrder {
        fn tap_product_url(mut self, url: &str) -> Self {
            self.product = self.product.url(url);
            self
        }
    }
}
