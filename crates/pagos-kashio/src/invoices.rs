//! Invoices ("Órdenes de Pago"): create, get, void, update, list.

use futures_core::stream::BoxStream;
use pagos_core::transport::Method;
use pagos_core::{Currency, Error, Money, OutcomeUnknown, ValidationError, validate};
use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::client::KashioClient;
use crate::pagination::{self, HasId, ListParams, Page};
use crate::status::InvoiceStatus;
use crate::wire::{amount, datetime};

/// The wall-clock form KashIO uses for an instant: UTC, to the second, without a zone.
///
/// ```
/// use time::macros::datetime;
/// let lima_midnight = datetime!(2020-01-01 00:00:00 -5);
/// assert_eq!(pagos_kashio::kashio_datetime(lima_midnight), datetime!(2020-01-01 05:00:00));
/// ```
pub fn kashio_datetime(at: OffsetDateTime) -> PrimitiveDateTime {
    datetime::from_offset(at)
}

/// The payer of an invoice (`customer`).
///
/// In requests every field is optional, but at least one must be set (see
/// [`CreateInvoice::validate`]). In answers KashIO may send `{}`.
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
    /// Phone number in E.164 (`+13055606666`).
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
    /// Sets the phone number (E.164).
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
    /// must be E.164 (as the object table says); a document needs both its type and
    /// its number.
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
            validate::phone_e164("customer.phone", phone)?;
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

/// A new invoice (`POST /invoices`).
///
/// Required by KashIO: `customer`, `request_datetime`, `currency`, `amount`,
/// `invoice_id`. Build it with [`CreateInvoice::builder`], which validates.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_kashio::{CreateInvoice, Customer};
/// use time::macros::datetime;
///
/// let invoice = CreateInvoice::builder(
///     "INV-000001-001",
///     Money::parse("15.00", Currency::Pen)?,
///     Customer::new().name("JUAN PEREZ").email("juan.perez.xxx@gmail.com"),
/// )
/// .request_datetime(datetime!(2020-01-01 05:00:00))
/// .expiration_datetime(datetime!(2020-02-01 05:00:00))
/// .metadata("order_id", "000001-001")
/// .build()?;
/// assert_eq!(invoice.invoice_id, "INV-000001-001");
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CreateInvoice {
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
    /// Free-form details (a JSON object).
    pub metadata: Map<String, Value>,
}

impl CreateInvoice {
    /// Starts a builder with the required fields; `request_datetime` defaults to now.
    pub fn builder(
        invoice_id: impl Into<String>,
        amount: Money,
        customer: Customer,
    ) -> CreateInvoiceBuilder {
        CreateInvoiceBuilder {
            inner: CreateInvoice {
                invoice_id: invoice_id.into(),
                amount,
                customer,
                request_datetime: datetime::now(),
                due_datetime: None,
                expiration_datetime: None,
                url_success: None,
                url_error: None,
                metadata: Map::new(),
            },
        }
    }

    /// Checks everything before sending: `invoice_id` not blank; amount in PEN or USD,
    /// positive, at most 2 decimals; the customer (see [`Customer::validate`]); the
    /// URLs `http(s)`; `due_datetime` and `expiration_datetime` after
    /// `request_datetime`.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::non_empty("invoice_id", &self.invoice_id)?;
        amount::check("amount", &self.amount)?;
        self.customer.validate()?;
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

    fn wire(&self) -> CreateInvoiceWire<'_> {
        CreateInvoiceWire {
            customer: &self.customer,
            metadata: (!self.metadata.is_empty()).then_some(&self.metadata),
            invoice_id: &self.invoice_id,
            request_datetime: datetime::format(&self.request_datetime),
            due_datetime: self.due_datetime.as_ref().map(datetime::format),
            expiration_datetime: self.expiration_datetime.as_ref().map(datetime::format),
            url_success: self.url_success.as_deref(),
            url_error: self.url_error.as_deref(),
            amount: self.amount.amount(),
            currency: self.amount.currency(),
        }
    }
}

#[derive(Serialize)]
struct CreateInvoiceWire<'a> {
    customer: &'a Customer,
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
    #[serde(serialize_with = "amount::serialize")]
    amount: Decimal,
    currency: Currency,
}

/// Builder for [`CreateInvoice`].
#[derive(Debug, Clone)]
#[must_use]
pub struct CreateInvoiceBuilder {
    inner: CreateInvoice,
}

impl CreateInvoiceBuilder {
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
    /// [`Error::Validation`] naming the first bad field (see [`CreateInvoice::validate`]).
    pub fn build(self) -> Result<CreateInvoice, Error> {
        self.inner.validate()?;
        Ok(self.inner)
    }
}

/// The changes of `PATCH /invoices/{id}`.
///
/// Only the fields KashIO's API document marks updatable can be set: the amount with its
/// currency, and the expiration. Everything else (customer, invoice_id, URLs,
/// metadata...) is not updatable, and this type cannot carry it.
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
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct InvoiceUpdate {
    amount: Option<Money>,
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

    /// The new expiration (UTC wall clock; see [`crate::kashio_datetime`]).
    pub fn expiration_datetime(mut self, at: PrimitiveDateTime) -> Self {
        self.expiration_datetime = Some(at);
        self
    }

    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.amount.is_none() && self.expiration_datetime.is_none()
    }

    /// Checks the update before sending.
    ///
    /// # Errors
    /// A [`ValidationError`] on `update` when nothing is set, or on `amount` /
    /// `currency` like [`CreateInvoice::validate`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.is_empty() {
            return Err(ValidationError::new(
                "update",
                "nothing to update: set amount or expiration_datetime",
            ));
        }
        if let Some(money) = &self.amount {
            amount::check("amount", money)?;
        }
        Ok(())
    }

    fn wire(&self) -> UpdateInvoiceWire {
        UpdateInvoiceWire {
            amount: self.amount.map(|m| m.amount()),
            currency: self.amount.map(|m| m.currency()),
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

/// An invoice as KashIO reports it.
///
/// Optional members may be absent (a list item has no `due_datetime`; a voided invoice
/// echoes only part of the customer). The exact JSON received is kept in
/// [`Invoice::raw`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Invoice {
    /// KashIO's id (`inv_…`).
    pub id: String,
    /// `"invoice"`.
    pub object: Option<String>,
    /// `true` in production, `false` in test mode.
    pub livemode: Option<bool>,
    /// The payer.
    pub customer: Option<Customer>,
    /// When KashIO created it (UTC).
    pub created: PrimitiveDateTime,
    /// The merchant's `request_datetime`.
    pub request_datetime: Option<PrimitiveDateTime>,
    /// When the debt falls due.
    pub due_datetime: Option<PrimitiveDateTime>,
    /// When it stops being payable.
    pub expiration_datetime: Option<PrimitiveDateTime>,
    /// The ISO-4217 code as sent (`PEN`).
    pub currency: String,
    /// The amount.
    pub amount: Decimal,
    /// Fees.
    pub fees: Option<Decimal>,
    /// Late fee.
    pub late_fee: Option<Decimal>,
    /// Subtotal.
    pub sub_total: Option<Decimal>,
    /// The merchant's invoice number.
    pub invoice_id: Option<String>,
    /// Sub-merchant details, as sent.
    pub sub_merchant: Option<Value>,
    /// Redirect after a successful payment.
    pub url_success: Option<String>,
    /// Redirect when the payer does not pay.
    pub url_error: Option<String>,
    /// Token for KashIO's payment gateway ("pasarela").
    pub token: Option<String>,
    /// The number a payer quotes to pay manually (at a bank, agent or app).
    pub ktin: Option<String>,
    /// The QR code value.
    pub qr_code: Option<String>,
    /// Free-form details.
    pub metadata: Option<Map<String, Value>>,
    /// The status.
    pub status: InvoiceStatus,
    raw: Box<RawValue>,
}

impl Invoice {
    /// The invoice's JSON exactly as KashIO sent it.
    pub fn raw(&self) -> &RawValue {
        &self.raw
    }

    /// The amount as [`Money`], when the currency is one pagos knows and the amount
    /// fits its precision.
    pub fn money(&self) -> Option<Money> {
        let currency: Currency = self.currency.parse().ok()?;
        Money::new(self.amount, currency).ok()
    }
}

impl HasId for Invoice {
    fn id(&self) -> &str {
        &self.id
    }
}

#[derive(Deserialize)]
struct InvoiceWire {
    id: String,
    #[serde(default)]
    object: Option<String>,
    #[serde(default)]
    livemode: Option<bool>,
    #[serde(default)]
    customer: Option<Customer>,
    #[serde(deserialize_with = "datetime::deserialize")]
    created: PrimitiveDateTime,
    #[serde(default, deserialize_with = "datetime::option::deserialize")]
    request_datetime: Option<PrimitiveDateTime>,
    #[serde(default, deserialize_with = "datetime::option::deserialize")]
    due_datetime: Option<PrimitiveDateTime>,
    #[serde(default, deserialize_with = "datetime::option::deserialize")]
    expiration_datetime: Option<PrimitiveDateTime>,
    currency: String,
    #[serde(deserialize_with = "amount::deserialize")]
    amount: Decimal,
    #[serde(default, deserialize_with = "amount::option::deserialize")]
    fees: Option<Decimal>,
    #[serde(default, deserialize_with = "amount::option::deserialize")]
    late_fee: Option<Decimal>,
    #[serde(default, deserialize_with = "amount::option::deserialize")]
    sub_total: Option<Decimal>,
    #[serde(default)]
    invoice_id: Option<String>,
    #[serde(default)]
    sub_merchant: Option<Value>,
    #[serde(default)]
    url_success: Option<String>,
    #[serde(default)]
    url_error: Option<String>,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    ktin: Option<String>,
    #[serde(default)]
    qr_code: Option<String>,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
    status: InvoiceStatus,
}

impl<'de> Deserialize<'de> for Invoice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Keep the exact text, then decode the typed view from it (amounts never pass
        // through f64 this way).
        let raw = Box::<RawValue>::deserialize(d)?;
        let w: InvoiceWire = serde_json::from_str(raw.get()).map_err(D::Error::custom)?;
        Ok(Invoice {
            id: w.id,
            object: w.object,
            livemode: w.livemode,
            customer: w.customer,
            created: w.created,
            request_datetime: w.request_datetime,
            due_datetime: w.due_datetime,
            expiration_datetime: w.expiration_datetime,
            currency: w.currency,
            amount: w.amount,
            fees: w.fees,
            late_fee: w.late_fee,
            sub_total: w.sub_total,
            invoice_id: w.invoice_id,
            sub_merchant: w.sub_merchant,
            url_success: w.url_success,
            url_error: w.url_error,
            token: w.token,
            ktin: w.ktin,
            qr_code: w.qr_code,
            metadata: w.metadata,
            status: w.status,
            raw,
        })
    }
}

/// Checks KashIO's invoice id before it becomes a path segment: blank ids, dot
/// segments (`DELETE /invoices/..` would be `DELETE /`) and control characters are
/// refused under the caller's name for it, before anything is sent.
pub(crate) fn check_id(id: &str) -> Result<(), ValidationError> {
    validate::path_id("invoice_id", id)
}

impl KashioClient {
    /// Creates an invoice (`POST /invoices`).
    ///
    /// KashIO documents no idempotency key, so the request is sent exactly once.
    ///
    /// # Errors
    /// [`Error::Validation`] before sending (see [`CreateInvoice::validate`]);
    /// [`Error::Provider`] when KashIO refuses; [`Error::OutcomeUnknown`] (with a
    /// hint) when the invoice may or may not exist; see [`Error`].
    pub async fn create_invoice(&self, invoice: &CreateInvoice) -> Result<Invoice, Error> {
        invoice.validate()?;
        let request = self
            .request(Method::POST, &["invoices"], "create_invoice")?
            .json(&invoice.wire())?;
        let hint = || {
            format!(
                "KashIO has no idempotency key: before creating invoice_id {:?} again, \
                 list the invoices of {} (list_invoices with date) and look for it",
                invoice.invoice_id,
                invoice.request_datetime.date()
            )
        };
        let with_hint = |e: Error| match e {
            Error::OutcomeUnknown(u) => {
                Error::OutcomeUnknown(Box::new(OutcomeUnknown::with_hint(*u, hint())))
            }
            other => other,
        };
        let response = self.send(request).await.map_err(with_hint)?;
        response.json().map_err(with_hint)
    }

    /// Fetches an invoice by KashIO id (`GET /invoices/{id}`).
    ///
    /// # Errors
    /// [`Error::Validation`] on `invoice_id` for an id that is blank or would change the
    /// path (see [`validate::path_id`]); otherwise see [`Error`].
    pub async fn get_invoice(&self, id: &str) -> Result<Invoice, Error> {
        check_id(id)?;
        let request = self.request(Method::GET, &["invoices", id], "get_invoice")?;
        self.send(request).await?.json()
    }

    /// Voids an invoice (`DELETE /invoices/{id}`): it can no longer be paid.
    ///
    /// # Errors
    /// [`Error::Validation`] on `invoice_id` for an id that is blank or would change the
    /// path (see [`validate::path_id`]); otherwise see [`Error`].
    pub async fn void_invoice(&self, id: &str) -> Result<Invoice, Error> {
        check_id(id)?;
        let request = self.request(Method::DELETE, &["invoices", id], "void_invoice")?;
        self.send(request).await?.json()
    }

    /// Changes the amount and/or expiration of an invoice (`PATCH /invoices/{id}`).
    ///
    /// # Errors
    /// [`Error::Validation`] on `invoice_id` for an id that is blank or would change the
    /// path, or for a bad update (see [`InvoiceUpdate::validate`]); otherwise see
    /// [`Error`].
    pub async fn update_invoice(&self, id: &str, update: &InvoiceUpdate) -> Result<Invoice, Error> {
        check_id(id)?;
        update.validate()?;
        let request = self
            .request(Method::PATCH, &["invoices", id], "update_invoice")?
            .json(&update.wire())?;
        self.send(request).await?.json()
    }

    /// Lists one page of invoices (`GET /invoices`).
    ///
    /// # Errors
    /// [`Error::Validation`] for bad parameters (see [`ListParams`]);
    /// [`Error::OutcomeUnknown`] when the page contains the cursor object (KashIO
    /// ignored the cursor); otherwise see [`Error`].
    pub async fn list_invoices(&self, params: &ListParams) -> Result<Page<Invoice>, Error> {
        params.validate()?;
        let request = self.request(Method::GET, &["invoices"], "list_invoices")?;
        pagination::fetch_page(self, request, params).await
    }

    /// Every invoice matching `params`, walking forward page by page from
    /// `params.starting_after` (or the start). Only one page is held in memory; the
    /// next one is fetched when the current one has been consumed.
    ///
    /// The stream ends after the first error.
    ///
    /// ```no_run
    /// # async fn run(client: pagos_kashio::Client) -> Result<(), pagos_core::Error> {
    /// use futures_util::TryStreamExt;
    /// use pagos_kashio::ListParams;
    ///
    /// let mut invoices = client.invoices_stream(ListParams::new().status("paid").limit(100));
    /// while let Some(invoice) = invoices.try_next().await? {
    ///     println!("{} {}", invoice.id, invoice.amount);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn invoices_stream(
        &self,
        params: ListParams,
    ) -> BoxStream<'static, Result<Invoice, Error>> {
        let client = self.clone();
        pagination::walk(params, move |p| {
            let client = client.clone();
            async move { client.list_invoices(&p).await }
        })
    }
}
