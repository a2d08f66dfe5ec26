//! Events: get, list, and confirmation of a notified event.

use std::fmt;

use futures_core::stream::BoxStream;
use pagos_core::transport::Method;
use pagos_core::{Error, validate};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;
use time::PrimitiveDateTime;

use crate::client::KashioClient;
use crate::invoices::Invoice;
use crate::pagination::{self, HasId, ListParams, Page};
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

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
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

impl<'de> Deserialize<'de> for EventStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(EventStatus::parse(&String::deserialize(d)?))
    }
}

/// Something that happened in KashIO, e.g. an invoice was paid.
#[derive(Debug, Clone, Deserialize)]
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
    #[serde(deserialize_with = "datetime::deserialize")]
    pub created: PrimitiveDateTime,
    /// What happened (`type`).
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// Delivery status.
    #[serde(default)]
    pub status: Option<EventStatus>,
    /// The related object, exactly as sent: `{"url": "//invoices/inv_…", "invoice":
    /// {…}}`. The embedded invoice may be partial; use [`Event::invoice_id`] and fetch
    /// it (or call [`KashioClient::confirm_event`]).
    #[serde(default)]
    pub data: Option<Box<RawValue>>,
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

impl HasId for Event {
    fn id(&self) -> &str {
        &self.id
    }
}

/// An event fetched from KashIO, with the invoice it points to fetched too.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConfirmedEvent {
    /// The event, as KashIO reports it.
    pub event: Event,
    /// The invoice the event points to, fetched fresh; `None` when the event points
    /// to no invoice.
    pub invoice: Option<Invoice>,
}

impl KashioClient {
    /// Fetches an event (`GET /events/{id}`).
    ///
    /// The path is `/events/{id}`, as the seed's endpoint table and providers.md say;
    /// the seed's curl example shows `/event/{id}`, which is a typo.
    ///
    /// # Errors
    /// [`Error::Validation`] for a blank id; otherwise see [`Error`].
    pub async fn get_event(&self, id: &str) -> Result<Event, Error> {
        validate::non_empty("id", id)?;
        let request = self.request(Method::GET, &["events", id], "get_event")?;
        self.send(request).await?.json()
    }

    /// Lists one page of events (`GET /events`).
    ///
    /// # Errors
    /// [`Error::Validation`] for bad parameters (see [`ListParams`]);
    /// [`Error::OutcomeUnknown`] when the page contains the cursor object; otherwise
    /// see [`Error`].
    pub async fn list_events(&self, params: &ListParams) -> Result<Page<Event>, Error> {
        params.validate()?;
        let request = self.request(Method::GET, &["events"], "list_events")?;
        pagination::fetch_page(self, request, params).await
    }

    /// Every event matching `params`, page by page (see
    /// [`KashioClient::invoices_stream`]).
    pub fn events_stream(&self, params: ListParams) -> BoxStream<'static, Result<Event, Error>> {
        let client = self.clone();
        pagination::walk(params, move |p| {
            let client = client.clone();
            async move { client.list_events(&p).await }
        })
    }

    /// Confirms an event the merchant was told about.
    ///
    /// KashIO does not sign its notifications, so a posted body proves nothing: take
    /// only the event id from it, and let this method fetch the event from KashIO and
    /// then the invoice it points to. Act on the returned invoice's status.
    ///
    /// ```no_run
    /// # async fn run(client: pagos_kashio::Client, posted_event_id: &str) -> Result<(), pagos_core::Error> {
    /// use pagos_kashio::InvoiceStatus;
    ///
    /// let confirmed = client.confirm_event(posted_event_id).await?;
    /// if let Some(invoice) = &confirmed.invoice
    ///     && invoice.status == InvoiceStatus::Paid
    /// {
    ///     // fulfil the order with invoice.invoice_id
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] for a blank id; otherwise see [`Error`].
    pub async fn confirm_event(&self, event_id: &str) -> Result<ConfirmedEvent, Error> {
        let event = self.get_event(event_id).await?;
        let invoice = match event.invoice_id() {
            Some(id) => Some(self.get_invoice(&id).await?),
            None => None,
        };
        Ok(ConfirmedEvent { event, invoice })
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
