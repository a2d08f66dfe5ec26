//! KashIO's records: invoices and the events of their life cycle, oldest first.

use rust_decimal::Decimal;
use serde_json::value::RawValue;
use time::OffsetDateTime;

/// KashIO's records, oldest first.
#[derive(Debug, Default)]
pub(crate) struct KashioState {
    pub(super) invoices: Vec<Invoice>,
    pub(super) events: Vec<Event>,
}

/// An invoice's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum InvoiceStatus {
    New,
    Paid,
    Expired,
    Voided,
}

impl InvoiceStatus {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::New => "NEW",
            InvoiceStatus::Paid => "PAID",
            InvoiceStatus::Expired => "EXPIRED",
            InvoiceStatus::Voided => "VOIDED",
        }
    }

    /// Status filters are case-insensitive and `pending` means `new` (KashIO's public
    /// documentation).
    pub(super) fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "new" | "pending" => Some(InvoiceStatus::New),
            "paid" => Some(InvoiceStatus::Paid),
            "expired" => Some(InvoiceStatus::Expired),
            "voided" => Some(InvoiceStatus::Voided),
            _ => None,
        }
    }
}

/// An invoice (an "orden de pago").
#[derive(Debug, Clone)]
pub(super) struct Invoice {
    pub(super) id: String,
    pub(super) token: String,
    pub(super) ktin: String,
    pub(super) created: OffsetDateTime,
    pub(super) request_datetime: String,
    pub(super) due_datetime: Option<String>,
    pub(super) expiration: Option<OffsetDateTime>,
    pub(super) amount: Decimal,
    pub(super) currency: String,
    pub(super) customer: Box<RawValue>,
    pub(super) metadata: Option<Box<RawValue>>,
    pub(super) sub_merchant: Option<Box<RawValue>>,
    pub(super) invoice_id: String,
    pub(super) url_success: Option<String>,
    pub(super) url_error: Option<String>,
    pub(super) status: InvoiceStatus,
}

/// An event (`invoice.paid`, `invoice.expired`).
#[derive(Debug, Clone)]
pub(super) struct Event {
    pub(super) id: String,
    pub(super) created: OffsetDateTime,
    pub(super) kind: &'static str,
    /// `new`, then `notified` or `failed` once a webhook delivery ends.
    pub(super) status: &'static str,
    pub(super) invoice_id: String,
    /// The invoice as it was when the event happened.
    pub(super) snapshot: Box<RawValue>,
}
