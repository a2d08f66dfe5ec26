//! SPEI payment orders: `POST /v2/orders` and `GET /v2/orders/{id}`.

use pagos_core::transport::Method;
use pagos_core::{Decimal, Money, PaymentInstructions, Result, ValidationError, validate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use crate::client::{CompropagoClient, with_hint};
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
    /// 10-digit Mexican phone number (`customer.phone`), optional.
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

    /// Sets the phone number (10 digits, no `+52`).
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

/// A request to create a SPEI order (`POST /v2/orders`).
///
/// ```
/// use pagos_compropago::{CreateOrder, Customer, Product};
/// use pagos_core::{Currency, Money};
///
/// let order = CreateOrder::new(
///     Product::new("SMGCURL1", "SAMSUNG GOLD CURL", Money::parse("150", Currency::Mxn)?),
///     Customer::new("cust-1", "Waldix", "waldix@compropago.com").phone("5513899832"),
/// );
/// assert!(order.validate().is_ok());
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

    /// Checks the order as ComproPago requires it; the client calls it before sending.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field: `product.id`, `product.name`,
    /// `product.price` (MXN, positive, at most 2 decimals), `product.url` (`http(s)`),
    /// `customer.id`, `customer.name`, `customer.email`, `customer.phone` (10 digits)
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
struct OrderBody<'a> {
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
    phone: Option<&'a str>,
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
                phone: o.customer.phone.as_deref(),
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

/// A SPEI order as ComproPago reports it.
///
/// Every field but `id` and `status` is optional, so a sparse answer still decodes;
/// fields this SDK does not model are in [`Order::raw`]. Decode it from bytes or text
/// (amounts are read from their exact digits), not from a `serde_json::Value`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Order {
    /// ComproPago's order id (`ch_…`), used with [`CompropagoClient::get_order`].
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
    #[serde(default, deserialize_with = "wire::epoch::deserialize_option")]
    pub created_at: Option<OffsetDateTime>,
    /// Last update.
    #[serde(default, deserialize_with = "wire::epoch::deserialize_option")]
    pub updated_at: Option<OffsetDateTime>,
    /// Expiry; `None` when the order does not expire or ComproPago did not say.
    #[serde(default, deserialize_with = "wire::epoch::deserialize_option")]
    pub expires_at: Option<OffsetDateTime>,
    /// The order's JSON as received (without the envelope).
    #[serde(skip)]
    pub raw: Value,
}

impl WithRaw for Order {
    fn set_raw(&mut self, raw: Value) {
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
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
// Calls
// ---------------------------------------------------------------------------

impl CompropagoClient {
    /// Creates a SPEI order (`POST /v2/orders`).
    ///
    /// The call is sent once (ComproPago takes no idempotency key). ComproPago cannot
    /// look an order up by the merchant's reference, so after an
    /// [`Error::OutcomeUnknown`](pagos_core::Error::OutcomeUnknown) check the panel
    /// before creating the order again.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] before sending (see [`CreateOrder::validate`]);
    /// otherwise see [`pagos_core::Error`].
    pub async fn create_order(&self, order: &CreateOrder) -> Result<Order> {
        order.validate()?;
        let request = self
            .request(Method::POST, &["orders"], "create_order")?
            .json(&OrderBody::from(order))?;
        let product_id = &order.product.id;
        let hint = || {
            format!(
                "ComproPago has no lookup by merchant reference: look for an order of product.id {product_id:?} in the ComproPago panel before creating it again"
            )
        };
        let response = self.send(request).await.map_err(|e| with_hint(e, hint))?;
        envelope::one(&response, Shape::Wrapped).map_err(|e| with_hint(e, hint))
    }

    /// Fetches an order (`GET /v2/orders/{id}`).
    ///
    /// Accepts the v2 envelope and, as in the API v2 reference's example, a bare order.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `order_id` when the id is blank or would
    /// change the path (see [`validate::path_id`]); otherwise see [`pagos_core::Error`]
    /// (an unknown id is a provider error, usually HTTP 404).
    pub async fn get_order(&self, id: &str) -> Result<Order> {
        // `GET /v2/orders/..` would be `GET /v2`: refuse before anything is sent.
        validate::path_id("order_id", id)?;
        let request = self.request(Method::GET, &["orders", id], "get_order")?;
        let response = self.send(request).await?;
        envelope::one(&response, Shape::WrappedOrBare)
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
        o.customer.phone = Some("6666".into());
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
