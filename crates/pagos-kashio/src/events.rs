//! Events: the endpoints of KashIO's API document ("Eventos": consultar un evento,
//! consultar lista de eventos) as values, the [`Events`] handle, and the confirmation of
//! a notified event ([`Events::confirm`]).
//!
//! | endpoint | request | idempotency |
//! |---|---|---|
//! | [`GetEvent`] | `GET /events/{id}` | read |
//! | [`ListEvents`] | `GET /events` | read |

use std::fmt;

use futures_util::stream::BoxStream;
use pagos_core::endpoint::{Endpoint, PageRequest};
use pagos_core::notification::{
    Check, Expected, Notification, NotificationError, OrderRef, VerifiedBy, VerifiedEvent, Vouched,
};
use pagos_core::transport::{Idempotency, Method, Request, Response};
use pagos_core::{BaseUrl, Currency, Error, Money, Page, Raw, Result, ValidationError, validate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use time::PrimitiveDateTime;

use crate::client::{KashioClient, request};
use crate::invoices::{GetInvoice, Invoice};
use crate::pagination::{self, ListParams, Listed};
use crate::wire::{datetime, eq_ci};

/// What happened (`type`), parsed ignoring case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventType {
    /// `invoice.paid`.
    InvoicePaid,
    /// `invoice.expired`.
    InvoiceExpired,
    /// Another type, as KashIO sent it.
    Unknown(String),
}

impl EventType {
    /// Parses a type; never fails.
    pub fn parse(raw: &str) -> EventType {
        if eq_ci(raw, "invoice.paid") {
            EventType::InvoicePaid
        } else if eq_ci(raw, "invoice.expired") {
            EventType::InvoiceExpired
        } else {
            EventType::Unknown(raw.to_string())
        }
    }

    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            EventType::InvoicePaid => "invoice.paid",
            EventType::InvoiceExpired => "invoice.expired",
            EventType::Unknown(raw) => raw,
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(EventType::parse(&String::deserialize(d)?))
    }
}

/// The delivery status of an event (`status`), parsed ignoring case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventStatus {
    /// `new`: not delivered yet.
    New,
    /// `failed`: delivery to the merchant failed.
    Failed,
    /// `notified`: delivered.
    Notified,
    /// Another status, as KashIO sent it.
    Unknown(String),
}

impl EventStatus {
    /// Parses a status; never fails.
    pub fn parse(raw: &str) -> EventStatus {
        if eq_ci(raw, "new") {
            EventStatus::New
        } else if eq_ci(raw, "failed") {
            EventStatus::Failed
        } else if eq_ci(raw, "notified") {
            EventStatus::Notified
        } else {
            EventStatus::Unknown(raw.to_string())
        }
    }

    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            EventStatus::New => "new",
            EventStatus::Failed => "failed",
            EventStatus::Notified => "notified",
            EventStatus::Unknown(raw) => raw,
        }
    }
}

impl fmt::Display for EventStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventStatus {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(EventStatus::parse(&String::deserialize(d)?))
    }
}

/// Something that happened in KashIO, e.g. an invoice was paid: the answer of
/// [`GetEvent`], and an item of [`ListEvents`]' pages.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// KashIO's id (`eve_…`).
    pub id: String,
    /// `"event"`.
    #[serde(default)]
    pub object: Option<String>,
    /// `true` in production, `false` in test mode.
    #[serde(default)]
    pub livemode: Option<bool>,
    /// When it happened (UTC).
    #[serde(with = "datetime")]
    pub created: PrimitiveDateTime,
    /// What happened (`type`).
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// Delivery status.
    #[serde(default)]
    pub status: Option<EventStatus>,
    /// The related object, exactly as sent: `{"url": "//invoices/inv_…", "invoice":
    /// {…}}`. The embedded invoice may be partial; use [`Event::invoice_id`] and fetch
    /// it (or call [`Events::confirm`]).
    #[serde(default)]
    pub data: Option<Raw>,
    /// The event's JSON exactly as KashIO sent it (for a list item: its part of the
    /// page). Filled by the endpoints; `null` for an event decoded with plain serde.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl Event {
    /// The id of the invoice this event is about: `data.invoice.id`, or else the id in
    /// `data.url` (`//invoices/inv_…`).
    ///
    /// ```
    /// let event: pagos_kashio::Event = serde_json::from_str(r#"{
    ///     "id": "eve_1", "created": "2017-01-31T14:24:59", "type": "invoice.paid",
    ///     "data": {"url": "//invoices/inv_QokikJOvBiI2HlWgH4olfQ2"}
    /// }"#).unwrap();
    /// assert_eq!(event.invoice_id().as_deref(), Some("inv_QokikJOvBiI2HlWgH4olfQ2"));
    /// ```
    pub fn invoice_id(&self) -> Option<String> {
        let data: Value = serde_json::from_str(self.data.as_ref()?.get()).ok()?;
        if let Some(id) = data
            .pointer("/invoice/id")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|id| !id.is_empty())
        {
            return Some(id.to_string());
        }
        invoice_id_from_url(data.get("url")?.as_str()?)
    }
}

/// `//invoices/inv_x`, `/v1/payments/invoices/inv_x?y`, `https://…/invoices/inv_x` → `inv_x`.
fn invoice_id_from_url(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // `windows(2)` yields two-element slices; the pattern says so without indexing.
    segments.windows(2).rev().find_map(|w| match w {
        [name, id] if name.eq_ignore_ascii_case("invoices") => Some((*id).to_string()),
        _ => None,
    })
}

impl Listed for Event {
    fn id(&self) -> &str {
        &self.id
    }
    fn set_raw(&mut self, raw: Raw) {
        self.raw = raw;
    }
}

/// An event fetched from KashIO, with the invoice it points to fetched too, checked
/// against the invoice the merchant expected: what [`Events::confirm`] returns. Each
/// part keeps its own raw answer.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ConfirmedEvent {
    /// The event, as KashIO reports it.
    pub event: Event,
    /// The invoice the event points to, fetched fresh: the expected one, for the
    /// expected amount. Act on its [`status`](Invoice::status).
    pub invoice: Invoice,
}

/// How the merchant names the invoice a notified event must be about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvoiceRef {
    /// KashIO's id of the invoice (`inv_…`, [`Invoice::id`](Invoice#structfield.id)),
    /// returned when it was created.
    Id(String),
    /// The merchant's own invoice number (`invoice_id`, [`Invoice::invoice_id`]), the
    /// unified `merchant_reference`.
    InvoiceId(String),
}

impl InvoiceRef {
    /// The check that compares this reference.
    pub const fn check(&self) -> ConfirmCheck {
        match self {
            InvoiceRef::Id(_) => ConfirmCheck::Id,
            InvoiceRef::InvoiceId(_) => ConfirmCheck::InvoiceId,
        }
    }

    /// The expected value.
    pub fn value(&self) -> &str {
        match self {
            InvoiceRef::Id(v) | InvoiceRef::InvoiceId(v) => v,
        }
    }
}

/// The invoice a notified event must be about: which one, and its amount and currency.
///
/// KashIO's notifications are not signed, and a real `invoice.paid` event of *another*
/// invoice with the same amount is as real as the right one: only the reference tells
/// them apart, so it cannot be left out.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_kashio::{ConfirmCheck, ExpectedInvoice, InvoiceRef};
///
/// let amount = Money::parse("15.00", Currency::Pen)?;
/// let by_number = ExpectedInvoice::by_invoice_id(amount, "INV-000001-001");
/// assert_eq!(by_number.invoice, InvoiceRef::InvoiceId("INV-000001-001".into()));
/// let by_id = ExpectedInvoice::by_id(amount, "inv_QokikJOvBiI2HlWgH4olfQ2");
/// assert_eq!(by_id.invoice.check(), ConfirmCheck::Id);
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExpectedInvoice {
    /// The invoice's amount and currency.
    pub amount: Money,
    /// Which invoice.
    pub invoice: InvoiceRef,
}

impl ExpectedInvoice {
    /// Expects the invoice `invoice` for `amount` (amount and currency both checked).
    pub fn new(amount: Money, invoice: InvoiceRef) -> Self {
        ExpectedInvoice { amount, invoice }
    }

    /// Expects KashIO's invoice `id` (`inv_…`) for `amount`.
    pub fn by_id(amount: Money, id: impl Into<String>) -> Self {
        Self::new(amount, InvoiceRef::Id(id.into()))
    }

    /// Expects the invoice with the merchant's number `invoice_id` for `amount`.
    pub fn by_invoice_id(amount: Money, invoice_id: impl Into<String>) -> Self {
        Self::new(amount, InvoiceRef::InvoiceId(invoice_id.into()))
    }

    /// Checks the expectation itself: a blank reference matches nothing.
    ///
    /// # Errors
    /// A [`ValidationError`] on `expected.id` or `expected.invoice_id` when blank.
    pub fn validate(&self) -> std::result::Result<(), ValidationError> {
        let field = match self.invoice {
            InvoiceRef::Id(_) => "expected.id",
            InvoiceRef::InvoiceId(_) => "expected.invoice_id",
        };
        validate::non_empty(field, self.invoice.value())
    }

    /// Checks a fetched invoice, in this order: reference, currency, amount. Pure: no
    /// I/O. The status is not checked: an `invoice.expired` event is confirmed as
    /// well as an `invoice.paid` one, and the caller acts on the status.
    ///
    /// ```
    /// use pagos_core::{Currency, Money};
    /// use pagos_kashio::{ConfirmCheck, ExpectedInvoice, Invoice};
    ///
    /// let paid: Invoice = serde_json::from_str(
    ///     r#"{"id":"inv_2","created":"2017-01-31T14:20:00","currency":"PEN","amount":15.0,
    ///         "invoice_id":"INV-2","status":"PAID"}"#,
    /// ).unwrap();
    /// // Paid, same amount, but another invoice: refused.
    /// let expected = ExpectedInvoice::by_invoice_id(Money::parse("15", Currency::Pen)?, "INV-1");
    /// assert_eq!(expected.check(&paid).unwrap_err().check(), Some(ConfirmCheck::InvoiceId));
    /// # Ok::<(), pagos_core::ValidationError>(())
    /// ```
    ///
    /// # Errors
    /// [`ConfirmError::Mismatch`] naming the first check that failed.
    pub fn check(&self, invoice: &Invoice) -> std::result::Result<(), ConfirmError> {
        let absent = || "(absent)".to_string();
        let expected = self.invoice.value();
        let actual = match &self.invoice {
            InvoiceRef::Id(_) => Some(invoice.id.as_str()),
            InvoiceRef::InvoiceId(_) => invoice.invoice_id.as_deref(),
        };
        // Exact comparison; a blank expectation matches nothing.
        if expected.trim().is_empty() || actual != Some(expected) {
            return Err(ConfirmError::Mismatch {
                check: self.invoice.check(),
                expected: expected.to_string(),
                actual: actual.map_or_else(absent, str::to_string),
            });
        }
        let currency = self.amount.currency();
        if invoice.currency.trim().parse::<Currency>().ok() != Some(currency) {
            return Err(ConfirmError::Mismatch {
                check: ConfirmCheck::Currency,
                expected: currency.code().to_string(),
                actual: invoice.currency.clone(),
            });
        }
        // Decimal equality is numeric: 15.0 equals 15.00.
        if invoice.amount != self.amount.amount() {
            return Err(ConfirmError::Mismatch {
                check: ConfirmCheck::Amount,
                expected: self.amount.to_plain_string(),
                actual: invoice.amount.to_string(),
            });
        }
        Ok(())
    }
}

/// The check of [`Events::confirm`] that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfirmCheck {
    /// The event points to no invoice.
    Invoice,
    /// KashIO's invoice id differs from the expected one.
    Id,
    /// The merchant's invoice number differs from the expected one.
    InvoiceId,
    /// The currency differs.
    Currency,
    /// The amount differs.
    Amount,
}

impl ConfirmCheck {
    /// The name of the checked field.
    pub const fn as_str(self) -> &'static str {
        match self {
            ConfirmCheck::Invoice => "invoice",
            ConfirmCheck::Id => "id",
            ConfirmCheck::InvoiceId => "invoice_id",
            ConfirmCheck::Currency => "currency",
            ConfirmCheck::Amount => "amount",
        }
    }
}

impl fmt::Display for ConfirmCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a notified event was not confirmed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ConfirmError {
    /// The event id or the expectation is unusable; nothing was sent.
    Invalid(ValidationError),
    /// Fetching the event or its invoice failed.
    Fetch(Error),
    /// The event is not about the expected invoice, or the invoice is not for the
    /// expected amount.
    Mismatch {
        /// Which check failed.
        check: ConfirmCheck,
        /// The expected value.
        expected: String,
        /// KashIO's value.
        actual: String,
    },
}

impl fmt::Display for ConfirmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfirmError::Invalid(e) => write!(f, "KashIO event: {e}"),
            ConfirmError::Fetch(e) => {
                write!(
                    f,
                    "KashIO event: could not fetch the event or its invoice: {e}"
                )
            }
            ConfirmError::Mismatch {
                check,
                expected,
                actual,
            } => write!(
                f,
                "KashIO event: {check} check failed: expected {expected}, got {actual}"
            ),
        }
    }
}

impl std::error::Error for ConfirmError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfirmError::Invalid(e) => Some(e),
            ConfirmError::Fetch(e) => Some(e),
            ConfirmError::Mismatch { .. } => None,
        }
    }
}

impl ConfirmError {
    /// Whether asking again may succeed: only when fetching failed for a reason that
    /// may pass (network, KashIO unavailable). An unusable id or a mismatch will not
    /// change.
    pub fn should_retry(&self) -> bool {
        matches!(self, ConfirmError::Fetch(e) if e.resend() == pagos_core::Resend::Safe)
    }

    /// The failed check, for a mismatch.
    pub fn check(&self) -> Option<ConfirmCheck> {
        match self {
            ConfirmError::Mismatch { check, .. } => Some(*check),
            _ => None,
        }
    }
}

/// Fetches an event: `GET /events/{id}` ("Consultar un Evento").
///
/// The path is `/events/{id}`, as the endpoint table of KashIO's API document
/// (1.0.1.a) and KashIO's public documentation say; the document's curl example shows
/// `/event/{id}`, which is a typo.
///
/// ```
/// use pagos_core::endpoint::Endpoint;
/// use pagos_core::BaseUrl;
/// use pagos_kashio::GetEvent;
///
/// let base = BaseUrl::parse(pagos_kashio::DEFAULT_BASE_URL)?;
/// let request = GetEvent::new("eve_6hxCf5yj6jAHep3").request(&base)?;
/// assert_eq!(request.url().path(), "/v1/payments/events/eve_6hxCf5yj6jAHep3");
/// assert_eq!(GetEvent::new("").request(&base).unwrap_err().validation_field(), Some("event_id"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct GetEvent {
    id: String,
}

impl GetEvent {
    /// The endpoint for KashIO's event `id` (`eve_…`).
    pub fn new(id: impl Into<String>) -> Self {
        GetEvent { id: id.into() }
    }
}

impl Endpoint for GetEvent {
    type Output = Event;
    const OPERATION: &'static str = "get_event";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        validate::path_id("event_id", &self.id)?;
        request(Method::GET, base, &["events", &self.id], Self::OPERATION)
    }

    fn parse(&self, response: &Response) -> Result<Event> {
        let (mut event, raw): (Event, Raw) = response.json_with_raw()?;
        event.raw = raw;
        Ok(event)
    }
}

/// One page of events: `GET /events` ("Consultar Lista de Eventos"), with the same
/// filters and cursors as invoices ([`ListParams`]).
#[derive(Debug, Clone)]
pub struct ListEvents {
    params: ListParams,
}

impl ListEvents {
    /// The endpoint for the page `params` select.
    pub fn new(params: ListParams) -> Self {
        ListEvents { params }
    }

    /// The filters and cursor.
    pub fn params(&self) -> &ListParams {
        &self.params
    }
}

impl Endpoint for ListEvents {
    type Output = Page<Event>;
    const OPERATION: &'static str = "list_events";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        self.params.validate()?;
        Ok(
            request(Method::GET, base, &["events"], Self::OPERATION)?
                .query(&self.params.to_query()),
        )
    }

    /// Reads the page; each event keeps its own part of the page as its `raw`.
    ///
    /// # Errors
    /// [`Error::OutcomeUnknown`] for an unreadable page, or one that contains the
    /// cursor object.
    fn parse(&self, response: &Response) -> Result<Page<Event>> {
        pagination::parse_page(response, &self.params)
    }
}

impl PageRequest for ListEvents {
    type Item = Event;

    fn next_page(&self, page: &Page<Event>) -> Option<Self> {
        pagination::next_params(&self.params, page).map(ListEvents::new)
    }
}

/// The event endpoints of a [`KashioClient`]: `client.events()`.
#[derive(Debug, Clone, Copy)]
pub struct Events<'a> {
    client: &'a KashioClient,
}

impl<'a> Events<'a> {
    pub(crate) fn new(client: &'a KashioClient) -> Self {
        Events { client }
    }

    /// Fetches an event ([`GetEvent`]).
    ///
    /// # Errors
    /// [`Error::Validation`] on `event_id` for an id that is blank or would change the
    /// path (see [`validate::path_id`]); otherwise see [`Error`].
    pub async fn get(&self, id: impl Into<String>) -> Result<Event> {
        self.client.run(&GetEvent::new(id)).await
    }

    /// One page of events ([`ListEvents`]).
    ///
    /// # Errors
    /// [`Error::Validation`] for bad parameters (see [`ListParams`]);
    /// [`Error::OutcomeUnknown`] when the page contains the cursor object; otherwise
    /// see [`Error`].
    pub async fn list(&self, params: ListParams) -> Result<Page<Event>> {
        self.client.run(&ListEvents::new(params)).await
    }

    /// Every event matching `params`, page by page (see
    /// [`Invoices::stream`](crate::invoices::Invoices::stream)).
    pub fn stream(&self, params: ListParams) -> BoxStream<'static, Result<Event>> {
        pagination::stream(
            self.client.executor(),
            ListEvents::new(params),
            ListEvents::params,
        )
    }

    /// Confirms an event the merchant was told about, for the invoice it expects.
    ///
    /// KashIO does not sign its notifications, so a posted body proves nothing: take
    /// only the event id from it, and let this method fetch the event from KashIO, then
    /// the invoice it points to, and check that invoice against `expected` (reference,
    /// currency, amount; see [`ExpectedInvoice::check`]). Act on the returned
    /// invoice's status.
    ///
    /// ```no_run
    /// # async fn run(client: pagos_kashio::KashioClient, posted_event_id: &str) -> Result<(), Box<dyn std::error::Error>> {
    /// use pagos_core::{Currency, Money};
    /// use pagos_kashio::{ExpectedInvoice, InvoiceStatus};
    ///
    /// // The order the merchant is waiting for.
    /// let expected = ExpectedInvoice::by_invoice_id(Money::parse("15.00", Currency::Pen)?, "INV-000001-001");
    /// match client.events().confirm(posted_event_id, &expected).await {
    ///     Ok(confirmed) if confirmed.invoice.status == InvoiceStatus::Paid => {
    ///         // fulfil order INV-000001-001
    ///     }
    ///     Ok(_) => {}                                       // expired or still pending
    ///     Err(e) if e.should_retry() => return Err(e.into()), // ask again later
    ///     Err(e) => eprintln!("not confirmed: {e}"),        // forged, or another invoice
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`ConfirmError::Invalid`] for an event id that is blank or would change the path
    /// (`event_id`) or a blank expectation, with nothing sent;
    /// [`ConfirmError::Fetch`] when fetching the event or its invoice failed;
    /// [`ConfirmError::Mismatch`] when the event points to no invoice
    /// ([`ConfirmCheck::Invoice`]) or to another invoice, or the invoice's currency or
    /// amount differs.
    pub async fn confirm(
        &self,
        event_id: &str,
        expected: &ExpectedInvoice,
    ) -> std::result::Result<ConfirmedEvent, ConfirmError> {
        expected.validate().map_err(ConfirmError::Invalid)?;
        validate::path_id("event_id", event_id).map_err(ConfirmError::Invalid)?;
        let event = self
            .client
            .run(&GetEvent::new(event_id))
            .await
            .map_err(ConfirmError::Fetch)?;
        let Some(invoice_id) = event.invoice_id() else {
            return Err(ConfirmError::Mismatch {
                check: ConfirmCheck::Invoice,
                expected: expected.invoice.value().to_string(),
                actual: "(no invoice)".to_string(),
            });
        };
        // Expecting KashIO's id, the event already says whether it is the right
        // invoice: another invoice is not even fetched.
        if let InvoiceRef::Id(id) = &expected.invoice
            && *id != invoice_id
        {
            return Err(ConfirmError::Mismatch {
                check: ConfirmCheck::Id,
                expected: id.clone(),
                actual: invoice_id,
            });
        }
        // The id comes from KashIO's answer, and GetInvoice checks it like any other
        // (an event naming `..` fetches nothing).
        let invoice = self
            .client
            .run(&GetInvoice::new(invoice_id))
            .await
            .map_err(ConfirmError::Fetch)?;
        expected.check(&invoice)?;
        Ok(ConfirmedEvent { event, invoice })
    }
}

/// Reads the event id out of a posted webhook body (the event object KashIO delivers,
/// `{"id":"eve_…","object":"event",…}`). Only the id is taken: the body is not signed,
/// so its type, status and invoice are not believed.
///
/// ```
/// let id = pagos_kashio::events::posted_event_id(br#"{"id":"eve_1","type":"invoice.paid"}"#)?;
/// assert_eq!(id, "eve_1");
/// assert!(pagos_kashio::events::posted_event_id(b"{}").is_err());
/// # Ok::<(), pagos_core::notification::NotificationError>(())
/// ```
///
/// # Errors
/// A [`NotificationError`] with [`Check::Body`] when the body is not a JSON object,
/// names no event id, or names one that would change the request path (see
/// [`validate::path_id`]).
pub fn posted_event_id(body: &[u8]) -> std::result::Result<String, NotificationError> {
    let refused = |why: String| NotificationError::new(crate::PROVIDER, Check::Body, why);
    let value: Value =
        serde_json::from_slice(body).map_err(|e| refused(format!("not JSON: {e}")))?;
    let Value::Object(object) = value else {
        return Err(refused("expected a JSON object (the event)".into()));
    };
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| refused("the body names no event id".into()))?;
    validate::path_id("id", id).map_err(|e| refused(e.to_string()))?;
    Ok(id.to_string())
}

/// The unified verification of a posted KashIO event, as
/// [`PaymentProvider::verify_notification`](pagos_core::PaymentProvider::verify_notification)
/// runs it for a [`KashioClient`]: take the event id from the body
/// ([`posted_event_id`]), fetch the event (`GET /events/{id}`), then the invoice it
/// points to (`GET /invoices/{id}`), and bind that invoice to the order with the core
/// [`Expected::bind`] ([`verified_event`]).
///
/// Expecting KashIO's invoice id, an event about another invoice is refused before the
/// invoice is fetched.
///
/// # Errors
/// [`Error::Validation`] for a blank expectation and [`Error::Notification`] with
/// [`Check::Body`] for a malformed body, with nothing sent; the fetches' errors (a
/// [`pagos_core::Resend::Safe`] one: answer KashIO with a 5xx so it delivers again);
/// [`Error::Notification`] when the event is about no invoice or another one, or the
/// invoice's currency or amount differs.
pub(crate) async fn verify(
    client: &KashioClient,
    notification: &Notification<'_>,
    expected: &Expected,
) -> Result<VerifiedEvent> {
    expected.validate()?;
    let event_id = posted_event_id(notification.body())?;
    let event = client.run(&GetEvent::new(event_id)).await?;
    let Some(invoice_id) = event.invoice_id() else {
        return Err(NotificationError::mismatch(
            crate::PROVIDER,
            expected.order.check(),
            expected.order.value(),
            "(an event about no invoice)",
        )
        .into());
    };
    if let OrderRef::PaymentId(id) = &expected.order
        && *id != invoice_id
    {
        return Err(NotificationError::mismatch(
            crate::PROVIDER,
            Check::PaymentId,
            id,
            &invoice_id,
        )
        .into());
    }
    let invoice = client.run(&GetInvoice::new(invoice_id)).await?;
    Ok(verified_event(&invoice, expected)?)
}

/// The event an invoice fetched from KashIO makes for the order `expected`: KashIO's
/// invoice id (`inv_…`) is the payment id, the merchant's `invoice_id` the merchant
/// reference; both, the currency and the amount are bound with [`Expected::bind`].
/// Pure: no I/O.
///
/// The status is the invoice's, normalized (KashIO's event type is not used: the
/// invoice is the fresher word). The event key is `kashio:<inv_…>:<status>`, the same
/// for every delivery of the event, and the same for an `invoice.paid` event and a
/// late `invoice.expired` one that both find the invoice paid.
///
/// ```
/// use pagos_core::notification::Expected;
/// use pagos_core::{Currency, Money, PaymentStatus};
///
/// let paid: pagos_kashio::Invoice = serde_json::from_str(
///     r#"{"id":"inv_1","created":"2017-01-31T14:20:00","currency":"PEN","amount":15.0,
///         "invoice_id":"INV-1","status":"PAID"}"#,
/// ).unwrap();
/// let expected = Expected::by_merchant_reference(Money::parse("15.00", Currency::Pen)?, "INV-1");
/// let event = pagos_kashio::events::verified_event(&paid, &expected)?;
/// assert_eq!(event.status, PaymentStatus::Succeeded);
/// assert_eq!(event.event_key, "kashio:inv_1:succeeded");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// The [`NotificationError`] of [`Expected::bind`].
pub fn verified_event(
    invoice: &Invoice,
    expected: &Expected,
) -> std::result::Result<VerifiedEvent, NotificationError> {
    let amount = invoice.money();
    expected.bind(
        crate::PROVIDER,
        &Vouched {
            payment_id: &invoice.id,
            merchant_reference: invoice.invoice_id.as_deref(),
            amount,
        },
    )?;
    // `bind` refuses an invoice without an amount, so this is the order's amount.
    let amount = amount.unwrap_or(expected.amount);
    Ok(VerifiedEvent::new(
        crate::PROVIDER,
        invoice.id.clone(),
        invoice.status.payment_status(),
        amount,
        VerifiedBy::Fetch,
        invoice.raw.clone(),
    )
    .with_merchant_reference(invoice.invoice_id.clone()))
}

impl From<&ExpectedInvoice> for Expected {
    /// The same expectation in the unified API: KashIO's invoice id is the payment id,
    /// the merchant's `invoice_id` the merchant reference.
    fn from(e: &ExpectedInvoice) -> Self {
        match &e.invoice {
            InvoiceRef::Id(v) => Expected::by_payment_id(e.amount, v.clone()),
            InvoiceRef::InvoiceId(v) => Expected::by_merchant_reference(e.amount, v.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoice_ids_from_urls() {
        for (url, id) in [
            (
                "//invoices/inv_QokikJOvBiI2HlWgH4olfQ2",
                Some("inv_QokikJOvBiI2HlWgH4olfQ2"),
            ),
            ("/v1/payments/invoices/inv_x?expand=1", Some("inv_x")),
            (
                "https://api.kashio.net/v1/payments/invoices/inv_y/",
                Some("inv_y"),
            ),
            ("//transfers/tr_1", None),
            ("//invoices/", None),
            ("", None),
        ] {
            assert_eq!(invoice_id_from_url(url).as_deref(), id, "{url}");
        }
    }

    #[test]
    fn types_and_statuses_ignore_case() {
        assert_eq!(EventType::parse("INVOICE.PAID"), EventType::InvoicePaid);
        assert_eq!(
            EventType::parse("invoice.expired"),
            EventType::InvoiceExpired
        );
        assert_eq!(
            EventType::parse("invoice.voided"),
            EventType::Unknown("invoice.voided".into())
        );
        assert_eq!(EventStatus::parse("NOTIFIED"), EventStatus::Notified);
        assert_eq!(EventStatus::parse("new"), EventStatus::New);
        assert_eq!(EventStatus::parse("Failed"), EventStatus::Failed);
        assert_eq!(EventStatus::parse("x"), EventStatus::Unknown("x".into()));
    }

    fn invoice(id: &str, invoice_id: &str, currency: &str, amount: &str) -> Invoice {
        serde_json::from_str(&format!(
            r#"{{"id":"{id}","created":"2017-01-31T14:20:00","currency":"{currency}","amount":{amount},"invoice_id":"{invoice_id}","status":"PAID"}}"#
        ))
        .unwrap()
    }

    #[test]
    fn expected_invoice_checks_reference_currency_amount() {
        let pen = |s: &str| Money::parse(s, Currency::Pen).unwrap();
        let paid = invoice("inv_1", "INV-1", "PEN", "15.0");
        assert!(
            ExpectedInvoice::by_invoice_id(pen("15"), "INV-1")
                .check(&paid)
                .is_ok()
        );
        assert!(
            ExpectedInvoice::by_id(pen("15.00"), "inv_1")
                .check(&paid)
                .is_ok()
        );
        let failed = |e: ExpectedInvoice, i: &Invoice| e.check(i).unwrap_err().check().unwrap();
        // Another invoice of the same amount, paid: refused by either reference.
        let other = invoice("inv_2", "INV-2", "PEN", "15.0");
        assert_eq!(
            failed(ExpectedInvoice::by_invoice_id(pen("15"), "INV-1"), &other),
            ConfirmCheck::InvoiceId
        );
        assert_eq!(
            failed(ExpectedInvoice::by_id(pen("15"), "inv_1"), &other),
            ConfirmCheck::Id
        );
        let usd = invoice("inv_1", "INV-1", "USD", "15.0");
        assert_eq!(
            failed(ExpectedInvoice::by_id(pen("15"), "inv_1"), &usd),
            ConfirmCheck::Currency
        );
        assert_eq!(
            failed(ExpectedInvoice::by_id(pen("15.01"), "inv_1"), &paid),
            ConfirmCheck::Amount
        );
        // Blank expectations match nothing and are refused by validate.
        let blank = invoice("inv_1", "", "PEN", "15.0");
        assert_eq!(
            failed(ExpectedInvoice::by_invoice_id(pen("15"), ""), &blank),
            ConfirmCheck::InvoiceId
        );
        assert_eq!(
            ExpectedInvoice::by_id(pen("15"), " ")
                .validate()
                .unwrap_err()
                .field(),
            "expected.id"
        );
        let e = ExpectedInvoice::by_invoice_id(pen("15"), "INV-1")
            .check(&other)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "KashIO event: invoice_id check failed: expected INV-1, got INV-2"
        );
        assert!(!e.should_retry());
    }

    #[test]
    fn invoice_id_prefers_the_embedded_invoice() {
        let event: Event = serde_json::from_str(
            r#"{"id":"eve_1","created":"2017-01-31 14:24:59","type":"invoice.paid",
                "data":{"url":"//invoices/inv_url","invoice":{"id":"inv_embedded"}}}"#,
        )
        .unwrap();
        assert_eq!(event.invoice_id().as_deref(), Some("inv_embedded"));
        let event: Event = serde_json::from_str(
            r#"{"id":"eve_1","created":"2017-01-31T14:24:59","type":"x","data":null}"#,
        )
        .unwrap();
        assert_eq!(event.invoice_id(), None);
        assert_eq!(event.event_type, EventType::Unknown("x".into()));
    }
}
