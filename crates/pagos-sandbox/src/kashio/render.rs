//! How KashIO records are rendered: invoices, events, lists, and the checkout page's
//! summary.

use axum::http::StatusCode;
use axum::response::Response;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use serde_json::value::RawValue;

use super::state::{Event, Invoice, KashioState};
use crate::simulated::Checkout;
use crate::wire::{JsonNumber, LOCAL_T, fixed, format_time, json_response};

#[derive(Serialize)]
pub(super) struct InvoiceView<'a> {
    id: &'a str,
    object: &'static str,
    livemode: bool,
    created: String,
    customer: &'a RawValue,
    currency: &'a str,
    amount: JsonNumber,
    sub_total: JsonNumber,
    fees: JsonNumber,
    late_fee: JsonNumber,
    invoice_id: &'a str,
    request_datetime: &'a str,
    due_datetime: Option<&'a str>,
    expiration_datetime: Option<String>,
    url_success: Option<&'a str>,
    url_error: Option<&'a str>,
    token: &'a str,
    ktin: &'a str,
    metadata: Option<&'a RawValue>,
    sub_merchant: Option<&'a RawValue>,
    status: &'static str,
}

/// An invoice as `GET /invoices/{id}` answers it.
pub(super) fn view(invoice: &Invoice) -> InvoiceView<'_> {
    // Amounts with 2 decimals, as numbers (the examples of KashIO's API document; its
    // DELETE example uses a string, which clients must accept anyway).
    let two = |d: Decimal| JsonNumber::fixed(d, 2);
    InvoiceView {
        id: &invoice.id,
        object: "invoice",
        livemode: false,
        created: format_time(invoice.created, LOCAL_T),
        customer: &invoice.customer,
        currency: &invoice.currency,
        amount: two(invoice.amount),
        sub_total: two(invoice.amount),
        fees: two(Decimal::ZERO),
        late_fee: two(Decimal::ZERO),
        invoice_id: &invoice.invoice_id,
        request_datetime: &invoice.request_datetime,
        due_datetime: invoice.due_datetime.as_deref(),
        expiration_datetime: invoice.expiration.map(|t| format_time(t, LOCAL_T)),
        url_success: invoice.url_success.as_deref(),
        url_error: invoice.url_error.as_deref(),
        token: &invoice.token,
        ktin: &invoice.ktin,
        metadata: invoice.metadata.as_deref(),
        sub_merchant: invoice.sub_merchant.as_deref(),
        status: invoice.status.as_str(),
    }
}

#[derive(Serialize)]
pub(super) struct EventView<'a> {
    id: &'a str,
    object: &'static str,
    livemode: bool,
    created: String,
    r#type: &'static str,
    data: EventData<'a>,
    status: &'static str,
}

#[derive(Serialize)]
struct EventData<'a> {
    url: String,
    invoice: &'a RawValue,
}

/// An event as `GET /events/{id}` answers it and the webhook receives it.
pub(super) fn event_view(event: &Event) -> EventView<'_> {
    EventView {
        id: &event.id,
        object: "event",
        livemode: false,
        created: format_time(event.created, LOCAL_T),
        r#type: event.kind,
        data: EventData {
            url: format!("//invoices/{}", event.invoice_id),
            invoice: &event.snapshot,
        },
        status: event.status,
    }
}

/// One page of a list: `{"object":"list","has_more":...,"data":[...]}`.
pub(super) fn list_response<T: Serialize>(data: Vec<T>, has_more: bool) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "object": "list", "has_more": has_more, "data": data }),
    )
}

/// The checkout page's summary: the merchant's invoice id, amount and status.
pub(super) fn checkout(kashio: &KashioState, id: &str) -> Option<Checkout> {
    kashio
        .invoices
        .iter()
        .find(|i| i.id == id)
        .map(|i| Checkout {
            title: format!("Orden de pago {}", i.invoice_id),
            amount: format!("{} {}", fixed(i.amount, 2), i.currency),
            status: i.status.as_str().into(),
        })
}
