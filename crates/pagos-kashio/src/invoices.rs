//! Invoices ("Órdenes de Pago"): the request and answer types, the endpoints of KashIO's
//! API document ("Órdenes de Pago": crear, consultar, actualizar, anular, consultar
//! lista) as values, and the [`Invoices`] handle.
//!
//! | endpoint | request | idempotency |
//! |---|---|---|
//! | [`CreateInvoice`] | `POST /invoices` | non-idempotent |
//! | [`GetInvoice`] | `GET /invoices/{id}` | read |
//! | [`UpdateInvoice`] | `PATCH /invoices/{id}` | non-idempotent |
//! | [`VoidInvoice`] | `DELETE /invoices/{id}` | non-idempotent |
//! | [`ListInvoices`] | `GET /invoices` | read |
//!
//! KashIO documents no idempotency key, so nothing that changes an invoice is sent
//! twice once it may have reached KashIO.

use futures_util::stream::BoxStream;
use pagos_core::endpoint::{Endpoint, PageRequest};
use pagos_core::transport::{Idempotency, Method, Request, Response};
use pagos_core::{
    BaseUrl, Currency, Error, Money, Page, Phone, Raw, Result, ValidationError, validate,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::client::{KashioClient, request};
use crate::pagination::{self, ListParams, Listed};
use crate::status::InvoiceStatus;
use crate::wire::{amount, datetime};

/// The wall-clock form KashIO uses for an instant: UTC, to the second, without a zone.
///
/// **Why UTC.** KashIO's timestamps (`request_datetime`, `due_datetime`,
/// `expiration_datetime`, `created`) carry no zone, and KashIO's API document
/// (1.0.1.a) does not name one. Its own create example is the evidence: it asks for
/// `request_datetime` `2020-01-01T05:00:00` and `due_datetime` `2020-01-02T04:59:59`,
/// and `expiration_datetime` `2020-02-01T05:00:00`. Read as UTC instants these are
/// exactly midnight of 1 January in Lima (UTC-5, no daylight saving time) and the last
/// second of that Peruvian day, a one-day debt, and a month later at Lima midnight;
/// read as Lima wall clock they would be a debt starting at 5 in the morning and
/// falling due a second before 5 the next morning, which no merchant would choose.
/// So pagos writes and reads every KashIO timestamp as UTC, and this function turns any
/// instant (in any offset) into that form; an answer's timestamp is read back the same
/// way (an explicit offset, should KashIO ever send one, is converted to UTC).
///
/// ```
/// use time::macros::datetime;
/// // The create example of KashIO's API document: a debt of the 1st of January, Lima.
/// let lima_midnight = datetime!(2020-01-01 00:00:00 -5);
/// assert_eq!(pagos_kashio::kashio_datetime(lima_midnight), datetime!(2020-01-01 05:00:00));
/// let last_second = datetime!(2020-01-01 23:59:59 -5);
/// assert_eq!(pagos_kashio::kashio_datetime(last_second), datetime!(2020-01-02 04:59:59));
/// ```
pub fn kashio_datetime(at: OffsetDateTime) -> PrimitiveDateTime {
    datetime::from_offset(at)
}

/// The payer of an invoice (`customer`).
///
/// In requests every field is optional, but at least one must be set (see
/// [`NewInvoice::validate`]). In answers KashIO may send `{}`.
///
/// ```
/// use pagos_kashio::Customer;
/// let customer = Customer::new()
///     .name("JUAN PEREZ")
///     .email("juan.perez.xxx@gmail.com")
///     .phone("+13055606666")
///     .document("DNI", "10203040")
///     .external_id("CUS-10203040-001");
/// assert_eq!(customer.document_type.as_deref(), Some("DNI"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Customer {
    /// Full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number. KashIO wants E.164 (`+13055606666`); a request may carry any
    /// common form (`+51 987 654 321`, `987654321`, `0051 987-654-321`), which is sent
    /// normalized to E.164, a number without a country code being read as Peruvian
    /// ([`crate::DEFAULT_COUNTRY_CODE`]). In answers: as KashIO sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Identity document number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Identity document type (`DNI`, `RUC`, `CE`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    /// The merchant's own customer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

impl Customer {
    /// An empty customer; set at least one field before sending.
    pub fn new() -> Self {
        Customer::default()
    }
    /// Sets the name.
    #[must_use]
    pub fn name(mut self, v: impl Into<String>) -> Self {
        self.name = Some(v.into());
        self
    }
    /// Sets the e-mail address.
    #[must_use]
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.email = Some(v.into());
        self
    }
    /// Sets the phone number, in any common form (normalized to E.164 when sent; see
    /// [`Customer::phone`](Customer#structfield.phone)).
    #[must_use]
    pub fn phone(mut self, v: impl Into<String>) -> Self {
        self.phone = Some(v.into());
        self
    }
    /// Sets the identity document: type (`DNI`) and number.
    #[must_use]
    pub fn document(mut self, kind: impl Into<String>, number: impl Into<String>) -> Self {
        self.document_type = Some(kind.into());
        self.document_id = Some(number.into());
        self
    }
    /// Sets the merchant's customer id.
    #[must_use]
    pub fn external_id(mut self, v: impl Into<String>) -> Self {
        self.external_id = Some(v.into());
        self
    }

    /// Checks the customer before sending.
    ///
    /// The API document requires the `customer` object but does not say which of its
    /// fields are required. An empty object identifies nobody, so at least one field must
    /// be set; set fields may not be blank; `email` must look like an address, `phone`
    /// must be a phone number that normalizes to E.164 (the object table's "Telefono
    /// en formato E.164"; a national number is read as Peruvian); a document needs both
    /// its type and its number.
    ///
    /// # Errors
    /// A [`ValidationError`] on `customer` or `customer.<field>`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let fields = [
            ("customer.name", &self.name),
            ("customer.email", &self.email),
            ("customer.phone", &self.phone),
            ("customer.document_id", &self.document_id),
            ("customer.document_type", &self.document_type),
            ("customer.external_id", &self.external_id),
        ];
        if fields.iter().all(|(_, v)| v.is_none()) {
            return Err(ValidationError::new(
                "customer",
                "set at least one of name, email, phone, document or external_id",
            ));
        }
        for (field, value) in fields {
            if let Some(value) = value {
                validate::non_empty(field, value)?;
            }
        }
        if let Some(email) = &self.email {
            validate::email("customer.email", email)?;
        }
        if let Some(phone) = &self.phone {
            phone_e164("customer.phone", phone)?;
        }
        match (&self.document_type, &self.document_id) {
            (Some(_), None) => Err(ValidationError::new(
                "customer.document_id",
                "a document type needs its number",
            )),
            (None, Some(_)) => Err(ValidationError::new(
                "customer.document_type",
                "a document number needs its type",
            )),
            _ => Ok(()),
        }
    }
}

/// A phone number in any common form as KashIO's E.164, national numbers read as
/// Peruvian ([`crate::DEFAULT_COUNTRY_CODE`]).
pub(crate) fn phone_e164(field: &'static str, phone: &str) -> Result<String, ValidationError> {
    Phone::parse(field, phone)?.e164(field, crate::DEFAULT_COUNTRY_CODE)
}

impl Customer {
    /// The customer as sent: the phone normalized to E.164. Call after
    /// [`Customer::validate`].
    fn to_wire(&self) -> Result<Customer, ValidationError> {
        let mut wire = self.clone();
        if let Some(phone) = &self.phone {
            wire.phone = Some(phone_e164("customer.phone", phone)?);
        }
        Ok(wire)
    }
}

/// The sub-merchant an invoice is collected for (`sub_merchant`), set at creation.
///
/// KashIO's API document lists `sub_merchant` among the invoice's fields ("Información
/// de SubMerchant (nombre, correo electrónico, logotipo, etc.)") and marks it not
/// updatable, without naming its members. pagos sends the three it describes under
/// the English names KashIO uses everywhere else (`customer.name`, `customer.email`):
/// `name`, `email` and `logo` (the logo's URL). That naming is an assumption; answers
/// keep the object exactly as KashIO sent it ([`Invoice::sub_merchant`]).
///
/// ```
/// use pagos_kashio::SubMerchant;
/// let shop = SubMerchant::new()
///     .name("Cafetería Lima")
///     .email("pagos@cafeteria.pe")
///     .logo("https://cafeteria.pe/logo.png");
/// assert!(shop.validate().is_ok());
/// assert_eq!(SubMerchant::new().email("nope").validate().unwrap_err().field(), "sub_merchant.email");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubMerchant {
    /// The sub-merchant's name ("nombre").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its e-mail address ("correo electrónico").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The URL of its logo ("logotipo"), `http(s)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

impl SubMerchant {
    /// An empty sub-merchant; set at least one field before sending.
    pub fn new() -> Self {
        SubMerchant::default()
    }
    /// Sets the name.
    #[must_use]
    pub fn name(mut self, v: impl Into<String>) -> Self {
        self.name = Some(v.into());
        self
    }
    /// Sets the e-mail address.
    #[must_use]
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.email = Some(v.into());
        self
    }
    /// Sets the logo's URL.
    #[must_use]
    pub fn logo(mut self, url: impl Into<String>) -> Self {
        self.logo = Some(url.into());
        self
    }

    /// Checks the sub-merchant before sending: at least one field set, none blank, the
    /// e-mail an address, the logo an `http(s)` URL.
    ///
    /// # Errors
    /// A [`ValidationError`] on `sub_merchant` or `sub_merchant.<field>`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let fields = [
            ("sub_merchant.name", &self.name),
            ("sub_merchant.email", &self.email),
            ("sub_merchant.logo", &self.logo),
        ];
        if fields.iter().all(|(_, v)| v.is_none()) {
            return Err(ValidationError::new(
                "sub_merchant",
                "set at least one of name, email or logo",
            ));
        }
        for (field, value) in fields {
            if let Some(value) = value {
                validate::non_empty(field, value)?;
            }
        }
        if let Some(email) = &self.email {
            validate::email("sub_merchant.email", email)?;
        }
        if let Some(logo) = &self.logo {
            validate::http_url("sub_merchant.logo", logo)?;
        }
        Ok(())
    }
}

/// Checks `size_qr`: KashIO's API document types it as a String, set at creation and
/// not updatable, and gives no values; so it is sent as given, refused only when blank
/// or holding control characters.
fn check_size_qr(size: &str) -> Result<(), ValidationError> {
    validate::non_empty("size_qr", size)?;
    if size.chars().any(char::is_control) {
        return Err(ValidationError::new(
            "size_qr",
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// A new invoice: the body of [`CreateInvoice`] (`POST /invoices`).
///
/// Required by KashIO: `customer`, `request_datetime`, `currency`, `amount`,
/// `invoice_id`. Build it with [`NewInvoice::builder`], which validates.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_kashio::{Customer, NewInvoice, SubMerchant};
/// use time::macros::datetime;
///
/// let invoice = NewInvoice::builder(
///     "INV-000001-001",
///     Money::parse("15.00", Currency::Pen)?,
///     Customer::new().name("JUAN PEREZ").email("juan.perez.xxx@gmail.com"),
/// )
/// .request_datetime(datetime!(2020-01-01 05:00:00))
/// .expiration_datetime(datetime!(2020-02-01 05:00:00))
/// .sub_merchant(SubMerchant::new().name("Cafetería Lima"))
/// .size_qr("300")
/// .metadata("order_id", "000001-001")
/// .build()?;
/// assert_eq!(invoice.invoice_id, "INV-000001-001");
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct NewInvoice {
    /// The merchant's invoice number (`invoice_id`).
    pub invoice_id: String,
    /// Amount and currency (PEN or USD, at most 2 decimals).
    pub amount: Money,
    /// The payer.
    pub customer: Customer,
    /// The merchant system's clock (UTC, no zone); KashIO uses it against replays.
    pub request_datetime: PrimitiveDateTime,
    /// When the debt falls due (UTC). In the API document's example, not in its
    /// parameter table.
    pub due_datetime: Option<PrimitiveDateTime>,
    /// When the invoice stops being payable (UTC).
    pub expiration_datetime: Option<PrimitiveDateTime>,
    /// Where the payer goes after paying.
    pub url_success: Option<String>,
    /// Where the payer goes when not paying.
    pub url_error: Option<String>,
    /// The sub-merchant the invoice is collected for (create only).
    pub sub_merchant: Option<SubMerchant>,
    /// The size of the invoice's QR code (`size_qr`, a String; create only; KashIO's
    /// API document gives no values, so it is sent as given).
    pub size_qr: Option<String>,
    /// Free-form details (a JSON object).
    pub metadata: Map<String, Value>,
}

impl NewInvoice {
    /// Starts a builder with the required fields; `request_datetime` defaults to now.
    pub fn builder(
        invoice_id: impl Into<String>,
        amount: Money,
        customer: Customer,
    ) -> NewInvoiceBuilder {
        NewInvoiceBuilder {
            inner: NewInvoice {
                invoice_id: invoice_id.into(),
                amount,
                customer,
                request_datetime: datetime::now(),
                due_datetime: None,
                expiration_datetime: None,
                url_success: None,
                url_error: None,
                sub_merchant: None,
                size_qr: None,
                metadata: Map::new(),
            },
        }
    }

    /// Checks everything before sending: `invoice_id` not blank; the amount in a
    /// currency of [`crate::CURRENCIES`], positive, within its decimals; the customer
    /// (see [`Customer::validate`]); the sub-merchant (see [`SubMerchant::validate`]);
    /// `size_qr` not blank; the URLs `http(s)`; `due_datetime` and
    /// `expiration_datetime` after `request_datetime`.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::non_empty("invoice_id", &self.invoice_id)?;
        amount::check("amount", &self.amount)?;
        self.customer.validate()?;
        if let Some(sub_merchant) = &self.sub_merchant {
            sub_merchant.validate()?;
        }
        if let Some(size) = &self.size_qr {
            check_size_qr(size)?;
        }
        if let Some(url) = &self.url_success {
            validate::http_url("url_success", url)?;
        }
        if let Some(url) = &self.url_error {
            validate::http_url("url_error", url)?;
        }
        for (field, at) in [
            ("due_datetime", self.due_datetime),
            ("expiration_datetime", self.expiration_datetime),
        ] {
            if let Some(at) = at
                && at <= self.request_datetime
            {
                return Err(ValidationError::new(
                    field,
                    format!(
                        "{} is not after request_datetime {}",
                        datetime::format(&at),
                        datetime::format(&self.request_datetime)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The body as sent. Call after [`NewInvoice::validate`].
    fn wire(&self) -> Result<NewInvoiceWire<'_>, ValidationError> {
        Ok(NewInvoiceWire {
            customer: self.customer.to_wire()?,
            metadata: (!self.metadata.is_empty()).then_some(&self.metadata),
            invoice_id: &self.invoice_id,
            request_datetime: datetime::format(&self.request_datetime),
            due_datetime: self.due_datetime.as_ref().map(datetime::format),
            expiration_datetime: self.expiration_datetime.as_ref().map(datetime::format),
            url_success: self.url_success.as_deref(),
            url_error: self.url_error.as_deref(),
            sub_merchant: self.sub_merchant.as_ref(),
            size_qr: self.size_qr.as_deref(),
            amount: self.amount.amount(),
            currency: self.amount.currency(),
        })
    }
}

#[derive(Serialize)]
struct NewInvoiceWire<'a> {
    customer: Customer,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Map<String, Value>>,
    invoice_id: &'a str,
    request_datetime: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_datetime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_datetime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url_success: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url_error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_merchant: Option<&'a SubMerchant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_qr: Option<&'a str>,
    #[serde(serialize_with = "amount::serialize")]
    amount: Decimal,
    currency: Currency,
}

/// Builder for [`NewInvoice`].
#[derive(Debug, Clone)]
#[must_use]
pub struct NewInvoiceBuilder {
    inner: NewInvoice,
}

impl NewInvoiceBuilder {
    /// Sets `request_datetime` (UTC wall clock; default: now).
    pub fn request_datetime(mut self, at: PrimitiveDateTime) -> Self {
        self.inner.request_datetime = at;
        self
    }
    /// Sets `due_datetime` (UTC wall clock; see [`crate::kashio_datetime`]).
    pub fn due_datetime(mut self, at: PrimitiveDateTime) -> Self {
        self.inner.due_datetime = Some(at);
        self
    }
    /// Sets `expiration_datetime` (UTC wall clock; see [`crate::kashio_datetime`]).
    pub fn expiration_datetime(mut self, at: PrimitiveDateTime) -> Self {
        self.inner.expiration_datetime = Some(at);
        self
    }
    /// Sets `url_success`.
    pub fn url_success(mut self, url: impl Into<String>) -> Self {
        self.inner.url_success = Some(url.into());
        self
    }
    /// Sets `url_error`.
    pub fn url_error(mut self, url: impl Into<String>) -> Self {
        self.inner.url_error = Some(url.into());
        self
    }
    /// Sets `sub_merchant`.
    pub fn sub_merchant(mut self, sub_merchant: SubMerchant) -> Self {
        self.inner.sub_merchant = Some(sub_merchant);
        self
    }
    /// Sets `size_qr` (sent as given).
    pub fn size_qr(mut self, size: impl Into<String>) -> Self {
        self.inner.size_qr = Some(size.into());
        self
    }
    /// Adds a metadata entry.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.inner.metadata.insert(key.into(), value.into());
        self
    }
    /// Replaces the whole metadata object.
    pub fn metadata_map(mut self, metadata: Map<String, Value>) -> Self {
        self.inner.metadata = metadata;
        self
    }

    /// Validates and returns the invoice.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the first bad field (see [`NewInvoice::validate`]).
    pub fn build(self) -> Result<NewInvoice, Error> {
        self.inner.validate()?;
        Ok(self.inner)
    }
}

/// The changes of `PATCH /invoices/{id}`.
///
/// Only the fields KashIO's API document marks updatable ("Actualizable: si") can be
/// set: `amount`, `currency` and `expiration_datetime`, each on its own or together;
/// the document requires none of them in particular, and pagos requires at least one
/// (an empty PATCH changes nothing). Everything else (customer, invoice_id, URLs,
/// sub_merchant, size_qr, metadata...) is not updatable, and this type cannot carry it.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_kashio::InvoiceUpdate;
/// use time::macros::datetime;
///
/// let update = InvoiceUpdate::new()
///     .amount(Money::parse("25.00", Currency::Pen)?)
///     .expiration_datetime(datetime!(2020-03-01 05:00:00));
/// assert!(!update.is_empty());
/// // The currency alone: the amount stays, now in US dollars.
/// assert!(InvoiceUpdate::new().currency(Currency::Usd).validate().is_ok());
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct InvoiceUpdate {
    amount: Option<Money>,
    currency: Option<Currency>,
    expiration_datetime: Option<PrimitiveDateTime>,
}

impl InvoiceUpdate {
    /// No changes yet.
    pub fn new() -> Self {
        InvoiceUpdate::default()
    }

    /// The new amount. Sends both `amount` and `currency` (both updatable): an amount
    /// means nothing without its currency, and [`Money`] always carries one.
    pub fn amount(mut self, amount: Money) -> Self {
        self.amount = Some(amount);
        self
    }

    /// The new currency, alone (`{"currency":"USD"}`): the invoice keeps its amount.
    /// With [`InvoiceUpdate::amount`] too, both must name the same currency.
    pub fn currency(mut self, currency: Currency) -> Self {
        self.currency = Some(currency);
        self
    }

    /// The new expiration (UTC wall clock; see [`crate::kashio_datetime`]).
    pub fn expiration_datetime(mut self, at: PrimitiveDateTime) -> Self {
        self.expiration_datetime = Some(at);
        self
    }

    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.amount.is_none() && self.currency.is_none() && self.expiration_datetime.is_none()
    }

    /// Checks the update before sending.
    ///
    /// # Errors
    /// A [`ValidationError`] on `update` when nothing is set; on `amount` / `currency`
    /// like [`NewInvoice::validate`]; on `currency` for a currency KashIO does not
    /// collect in ([`crate::CURRENCIES`]) or one that differs from the amount's.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.is_empty() {
            return Err(ValidationError::new(
                "update",
                "nothing to update: set amount, currency or expiration_datetime",
            ));
        }
        if let Some(money) = &self.amount {
            amount::check("amount", money)?;
        }
        if let Some(currency) = self.currency {
            if !crate::CURRENCIES.accepts(currency) {
                let accepted: Vec<&str> = crate::CURRENCIES
                    .entries()
                    .iter()
                    .map(|(c, _)| c.code())
                    .collect();
                return Err(ValidationError::new(
                    "currency",
                    format!(
                        "KashIO does not accept {currency} (it accepts {})",
                        accepted.join(", ")
                    ),
                ));
            }
            if let Some(money) = &self.amount
                && money.currency() != currency
            {
                return Err(ValidationError::new(
                    "currency",
                    format!(
                        "the new amount is in {}, not {currency}: give one currency",
                        money.currency()
                    ),
                ));
            }
        }
        Ok(())
    }

    fn wire(&self) -> UpdateInvoiceWire {
        UpdateInvoiceWire {
            amount: self.amount.map(|m| m.amount()),
            currency: self.currency.or(self.amount.map(|m| m.currency())),
            expiration_datetime: self.expiration_datetime.as_ref().map(datetime::format),
        }
    }
}

#[derive(Serialize)]
struct UpdateInvoiceWire {
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_optional_amount"
    )]
    amount: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<Currency>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_datetime: Option<String>,
}

fn serialize_optional_amount<S: serde::Serializer>(
    value: &Option<Decimal>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => amount::serialize(v, s),
        None => s.serialize_none(),
    }
}

/// An invoice as KashIO reports it: the answer of every invoice endpoint, and an item
/// of [`ListInvoices`]' pages.
///
/// Optional members may be absent (a list item has no `due_datetime`; a voided invoice
/// echoes only part of the customer). The exact JSON received is kept in
/// [`Invoice::raw`]; serializing an invoice writes the typed fields (amounts with the
/// digits they were read with, timestamps as KashIO writes them) and that text.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Invoice {
    /// KashIO's id (`inv_…`).
    pub id: String,
    /// `"invoice"`.
    #[serde(default)]
    pub object: Option<String>,
    /// `true` in production, `false` in test mode.
    #[serde(default)]
    pub livemode: Option<bool>,
    /// The payer.
    #[serde(default)]
    pub customer: Option<Customer>,
    /// When KashIO created it (UTC).
    #[serde(with = "datetime")]
    pub created: PrimitiveDateTime,
    /// The merchant's `request_datetime`.
    #[serde(default, with = "datetime::option")]
    pub request_datetime: Option<PrimitiveDateTime>,
    /// When the debt falls due.
    #[serde(default, with = "datetime::option")]
    pub due_datetime: Option<PrimitiveDateTime>,
    /// When it stops being payable.
    #[serde(default, with = "datetime::option")]
    pub expiration_datetime: Option<PrimitiveDateTime>,
    /// The ISO-4217 code as sent (`PEN`).
    pub currency: String,
    /// The amount.
    #[serde(with = "pagos_core::wire::lenient_decimal")]
    pub amount: Decimal,
    /// Fees.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub fees: Option<Decimal>,
    /// Late fee.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub late_fee: Option<Decimal>,
    /// Subtotal.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub sub_total: Option<Decimal>,
    /// The merchant's invoice number.
    #[serde(default)]
    pub invoice_id: Option<String>,
    /// Sub-merchant details, exactly as KashIO sent them (see [`SubMerchant`] for what
    /// pagos sends).
    #[serde(default)]
    pub sub_merchant: Option<Raw>,
    /// Redirect after a successful payment.
    #[serde(default)]
    pub url_success: Option<String>,
    /// Redirect when the payer does not pay.
    #[serde(default)]
    pub url_error: Option<String>,
    /// Token for KashIO's payment gateway ("pasarela").
    #[serde(default)]
    pub token: Option<String>,
    /// The number a payer quotes to pay manually (at a bank, agent or app).
    #[serde(default)]
    pub ktin: Option<String>,
    /// The QR code value.
    #[serde(default)]
    pub qr_code: Option<String>,
    /// Free-form details.
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
    /// The status.
    pub status: InvoiceStatus,
    /// The invoice's JSON exactly as KashIO sent it (for a list item: its part of the
    /// page). Filled by the endpoints; `null` for an invoice decoded with plain serde.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl Invoice {
    /// The amount as [`Money`], when the currency is one pagos knows and the amount
    /// fits its precision.
    pub fn money(&self) -> Option<Money> {
        let currency: Currency = self.currency.parse().ok()?;
        Money::new(self.amount, currency).ok()
    }
}

impl Listed for Invoice {
    fn id(&self) -> &str {
        &self.id
    }
    fn set_raw(&mut self, raw: Raw) {
        self.raw = raw;
    }
}

/// Reads a single invoice with its raw answer.
fn parse_invoice(response: &Response) -> Result<Invoice> {
    let (mut invoice, raw): (Invoice, Raw) = response.json_with_raw()?;
    invoice.raw = raw;
    Ok(invoice)
}

/// Checks KashIO's invoice id before it becomes a path segment: blank ids, dot
/// segments (`DELETE /invoices/..` would be `DELETE /`) and control characters are
/// refused under the field name `invoice_id`, before anything is sent.
fn check_id(id: &str) -> Result<(), ValidationError> {
    validate::path_id("invoice_id", id)
}

/// Creates an invoice: `POST /invoices` ("Crear una Orden de Pago").
///
/// KashIO documents no idempotency key, so the request is sent exactly once
/// ([`Idempotency::NonIdempotent`]); when its outcome is unknown, the error's hint says
/// how to look for the invoice before creating it again.
///
/// ```
/// use pagos_core::endpoint::Endpoint;
/// use pagos_core::{BaseUrl, Currency, Money};
/// use pagos_kashio::{CreateInvoice, Customer, NewInvoice};
///
/// let invoice = NewInvoice::builder(
///     "INV-000001-001",
///     Money::parse("15.00", Currency::Pen)?,
///     Customer::new().email("juan.perez.xxx@gmail.com"),
/// )
/// .build()?;
/// let base = BaseUrl::parse(pagos_kashio::DEFAULT_BASE_URL)?;
/// let request = CreateInvoice::new(invoice).request(&base)?;
/// assert_eq!(request.url().path(), "/v1/payments/invoices");
/// assert!(std::str::from_utf8(request.body_bytes()).unwrap().contains(r#""amount":15.00"#));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CreateInvoice {
    invoice: NewInvoice,
}

impl CreateInvoice {
    /// The endpoint for `invoice`.
    pub fn new(invoice: NewInvoice) -> Self {
        CreateInvoice { invoice }
    }
}

impl Endpoint for CreateInvoice {
    type Output = Invoice;
    const OPERATION: &'static str = "create_invoice";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        self.invoice.validate()?;
        Ok(request(Method::POST, base, &["invoices"], Self::OPERATION)?
            .json(&self.invoice.wire()?)?)
    }

    fn parse(&self, response: &Response) -> Result<Invoice> {
        parse_invoice(response)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(format!(
            "KashIO has no idempotency key: before creating invoice_id {:?} again, \
             list the invoices of {} (invoices().list with ListParams::date) and look for it",
            self.invoice.invoice_id,
            self.invoice.request_datetime.date()
        ))
    }
}

/// Fetches an invoice by KashIO id: `GET /invoices/{id}` ("Consultar una Orden de
/// Pago").
///
/// ```
/// use pagos_core::endpoint::Endpoint;
/// use pagos_core::BaseUrl;
/// use pagos_kashio::GetInvoice;
///
/// let base = BaseUrl::parse(pagos_kashio::DEFAULT_BASE_URL)?;
/// let request = GetInvoice::new("inv_live_ngMCEhfsgVUUsePqZXpcpB").request(&base)?;
/// assert_eq!(request.url().path(), "/v1/payments/invoices/inv_live_ngMCEhfsgVUUsePqZXpcpB");
/// let refused = GetInvoice::new("..").request(&base).unwrap_err();
/// assert_eq!(refused.validation_field(), Some("invoice_id"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct GetInvoice {
    id: String,
}

impl GetInvoice {
    /// The endpoint for KashIO's invoice `id` (`inv_…`).
    pub fn new(id: impl Into<String>) -> Self {
        GetInvoice { id: id.into() }
    }
}

impl Endpoint for GetInvoice {
    type Output = Invoice;
    const OPERATION: &'static str = "get_invoice";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        check_id(&self.id)?;
        request(Method::GET, base, &["invoices", &self.id], Self::OPERATION)
    }

    fn parse(&self, response: &Response) -> Result<Invoice> {
        parse_invoice(response)
    }
}

/// Changes the amount, currency and/or expiration of an invoice: `PATCH /invoices/{id}`
/// ("Actualizar una Orden de Pago").
#[derive(Debug, Clone)]
pub struct UpdateInvoice {
    id: String,
    update: InvoiceUpdate,
}

impl UpdateInvoice {
    /// The endpoint applying `update` to KashIO's invoice `id`.
    pub fn new(id: impl Into<String>, update: InvoiceUpdate) -> Self {
        UpdateInvoice {
            id: id.into(),
            update,
        }
    }
}

impl Endpoint for UpdateInvoice {
    type Output = Invoice;
    const OPERATION: &'static str = "update_invoice";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        check_id(&self.id)?;
        self.update.validate()?;
        Ok(request(
            Method::PATCH,
            base,
            &["invoices", &self.id],
            Self::OPERATION,
        )?
        .json(&self.update.wire())?)
    }

    fn parse(&self, response: &Response) -> Result<Invoice> {
        parse_invoice(response)
    }
}

/// Voids an invoice so it can no longer be paid: `DELETE /invoices/{id}` ("Anular una
/// Orden de Pago").
///
/// Sent once: a void resent after a lost answer is refused ("already VOIDED") although
/// the first one worked.
#[derive(Debug, Clone)]
pub struct VoidInvoice {
    id: String,
}

impl VoidInvoice {
    /// The endpoint for KashIO's invoice `id`.
    pub fn new(id: impl Into<String>) -> Self {
        VoidInvoice { id: id.into() }
    }
}

impl Endpoint for VoidInvoice {
    type Output = Invoice;
    const OPERATION: &'static str = "void_invoice";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        check_id(&self.id)?;
        request(
            Method::DELETE,
            base,
            &["invoices", &self.id],
            Self::OPERATION,
        )
    }

    fn parse(&self, response: &Response) -> Result<Invoice> {
        parse_invoice(response)
    }
}

/// One page of invoices: `GET /invoices` ("Consultar Lista de Ordenes de Pago").
///
/// A [`PageRequest`]: the next page is the same filters with `starting_after` = the id
/// of the page's last invoice (sent under both documented cursor names, see
/// [`ListParams`]).
///
/// ```
/// use pagos_core::endpoint::Endpoint;
/// use pagos_core::BaseUrl;
/// use pagos_kashio::{ListInvoices, ListParams};
///
/// let base = BaseUrl::parse(pagos_kashio::DEFAULT_BASE_URL)?;
/// let request = ListInvoices::new(ListParams::new().limit(2).starting_after("inv_2")).request(&base)?;
/// assert_eq!(request.query_str(), Some("limit=2&start=inv_2&starting_after=inv_2"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ListInvoices {
    params: ListParams,
}

impl ListInvoices {
    /// The endpoint for the page `params` select.
    pub fn new(params: ListParams) -> Self {
        ListInvoices { params }
    }

    /// The filters and cursor.
    pub fn params(&self) -> &ListParams {
        &self.params
    }
}

impl Endpoint for ListInvoices {
    type Output = Page<Invoice>;
    const OPERATION: &'static str = "list_invoices";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        self.params.validate()?;
        Ok(request(Method::GET, base, &["invoices"], Self::OPERATION)?
            .query(&self.params.to_query()))
    }

    /// Reads the page; each invoice keeps its own part of the page as its `raw`.
    ///
    /// # Errors
    /// [`Error::OutcomeUnknown`] for an unreadable page, or one that contains the
    /// cursor object (KashIO ignored the cursor: walking on would loop).
    fn parse(&self, response: &Response) -> Result<Page<Invoice>> {
        pagination::parse_page(response, &self.params)
    }
}

impl PageRequest for ListInvoices {
    type Item = Invoice;

    fn next_page(&self, page: &Page<Invoice>) -> Option<Self> {
        pagination::next_params(&self.params, page).map(ListInvoices::new)
    }
}

/// The invoice endpoints of a [`KashioClient`]: `client.invoices()`.
#[derive(Debug, Clone, Copy)]
pub struct Invoices<'a> {
    client: &'a KashioClient,
}

impl<'a> Invoices<'a> {
    pub(crate) fn new(client: &'a KashioClient) -> Self {
        Invoices { client }
    }

    /// Creates an invoice ([`CreateInvoice`]).
    ///
    /// ```no_run
    /// # async fn run(client: pagos_kashio::KashioClient) -> Result<(), pagos_core::Error> {
    /// use pagos_core::{Currency, Money};
    /// use pagos_kashio::{Customer, NewInvoice};
    ///
    /// let invoice = client
    ///     .invoices()
    ///     .create(
    ///         NewInvoice::builder(
    ///             "INV-000001-001",
    ///             Money::parse("15.00", Currency::Pen)?,
    ///             Customer::new().name("JUAN PEREZ").email("juan.perez.xxx@gmail.com"),
    ///         )
    ///         .build()?,
    ///     )
    ///     .await?;
    /// println!("pay with code {:?}", invoice.ktin);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] before sending (see [`NewInvoice::validate`]);
    /// [`Error::Provider`] when KashIO refuses; [`Error::OutcomeUnknown`] (with a
    /// hint) when the invoice may or may not exist; see [`Error`].
    pub async fn create(&self, invoice: NewInvoice) -> Result<Invoice> {
        self.client.run(&CreateInvoice::new(invoice)).await
    }

    /// Fetches an invoice by KashIO id ([`GetInvoice`]).
    ///
    /// # Errors
    /// [`Error::Validation`] on `invoice_id` for an id that is blank or would change the
    /// path (see [`validate::path_id`]); otherwise see [`Error`].
    pub async fn get(&self, id: impl Into<String>) -> Result<Invoice> {
        self.client.run(&GetInvoice::new(id)).await
    }

    /// Changes the amount, currency and/or expiration of an invoice ([`UpdateInvoice`]).
    ///
    /// # Errors
    /// [`Error::Validation`] on `invoice_id` for an id that is blank or would change the
    /// path, or for a bad update (see [`InvoiceUpdate::validate`]); otherwise see
    /// [`Error`].
    pub async fn update(&self, id: impl Into<String>, update: InvoiceUpdate) -> Result<Invoice> {
        self.client.run(&UpdateInvoice::new(id, update)).await
    }

    /// Voids an invoice ([`VoidInvoice`]): it can no longer be paid.
    ///
    /// # Errors
    /// [`Error::Validation`] on `invoice_id` for an id that is blank or would change the
    /// path; otherwise see [`Error`].
    pub async fn void(&self, id: impl Into<String>) -> Result<Invoice> {
        self.client.run(&VoidInvoice::new(id)).await
    }

    /// One page of invoices ([`ListInvoices`]).
    ///
    /// # Errors
    /// [`Error::Validation`] for bad parameters (see [`ListParams`]);
    /// [`Error::OutcomeUnknown`] when the page contains the cursor object (KashIO
    /// ignored the cursor); otherwise see [`Error`].
    pub async fn list(&self, params: ListParams) -> Result<Page<Invoice>> {
        self.client.run(&ListInvoices::new(params)).await
    }

    /// Every invoice matching `params`, walking forward page by page from
    /// `params.starting_after` (or the start). Only one page is held in memory; the
    /// next one is fetched when the current one has been consumed. The stream ends
    /// after the last page, after an empty page, or after the first error (which it
    /// yields); params with `ending_before` yield one validation error and send
    /// nothing.
    ///
    /// ```no_run
    /// # async fn run(client: pagos_kashio::KashioClient) -> Result<(), pagos_core::Error> {
    /// use futures_util::TryStreamExt;
    /// use pagos_kashio::ListParams;
    ///
    /// let mut invoices = client.invoices().stream(ListParams::new().status("paid").limit(100));
    /// while let Some(invoice) = invoices.try_next().await? {
    ///     println!("{} {}", invoice.id, invoice.amount);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListParams) -> BoxStream<'static, Result<Invoice>> {
        pagination::stream(
            self.client.executor(),
            ListInvoices::new(params),
            ListInvoices::params,
        )
    }
}
