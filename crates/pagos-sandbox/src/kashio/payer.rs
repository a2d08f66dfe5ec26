//! What the payer, or time, does to a KashIO invoice: `pay` (→ `PAID`, event
//! `invoice.paid`), `expire` or the clock passing `expiration_datetime` (→ `EXPIRED`,
//! event `invoice.expired`). Each event is POSTed to the KashIO webhook, if one is
//! registered.

use serde_json::value::RawValue;

use super::render::{event_view, view};
use super::state::{Event, InvoiceStatus, KashioState};
use crate::Error;
use crate::config::Provider;
use crate::control::{ActionOutcome, PayerAction};
use crate::notify::Outgoing;
use crate::simulated::Acted;
use crate::state::Store;

/// Records an event for the invoice at `index` and, with a webhook, queues its delivery.
fn record_event(store: &mut Store, index: usize, kind: &'static str) -> Vec<Outgoing> {
    let invoice = &store.records.get::<KashioState>().invoices[index];
    let snapshot = serde_json::to_string(&view(invoice))
        .ok()
        .and_then(|s| RawValue::from_string(s).ok())
        .unwrap_or_else(|| RawValue::from_string("{}".into()).expect("valid JSON"));
    let invoice_id = invoice.id.clone();
    let event = Event {
        id: format!("eve_{}", store.ids.base58(22)),
        created: store.now(),
        kind,
        status: "new",
        invoice_id,
        snapshot,
    };
    let outgoing = store
        .webhooks
        .get(&Provider::Kashio)
        .map(|url| Outgoing {
            provider: Provider::Kashio,
            url: url.clone(),
            content_type: "application/json",
            body: serde_json::to_vec(&event_view(&event)).unwrap_or_default(),
            receipt: Some(event.id.clone()),
            signer: None,
            exact_200: false,
        })
        .into_iter()
        .collect();
    store.records.get_mut::<KashioState>().events.push(event);
    outgoing
}

/// Marks an event `notified` or `failed` once its webhook delivery ends.
pub(super) fn event_delivered(kashio: &mut KashioState, event_id: &str, delivered: bool) {
    if let Some(event) = kashio.events.iter_mut().find(|e| e.id == event_id) {
        event.status = if delivered { "notified" } else { "failed" };
    }
}

/// Expires every `NEW` invoice whose `expiration_datetime` has passed.
pub(super) fn expire_due(store: &mut Store) -> Vec<Outgoing> {
    let now = store.now();
    let kashio: &mut KashioState = store.records.get_mut();
    let due: Vec<usize> = (0..kashio.invoices.len())
        .filter(|&i| {
            let invoice = &kashio.invoices[i];
            invoice.status == InvoiceStatus::New && invoice.expiration.is_some_and(|t| t <= now)
        })
        .collect();
    let mut outgoing = Vec::new();
    for index in due {
        store.records.get_mut::<KashioState>().invoices[index].status = InvoiceStatus::Expired;
        outgoing.extend(record_event(store, index, "invoice.expired"));
    }
    outgoing
}

/// The payer pays a `NEW` invoice, or it expires now.
pub(super) fn act(store: &mut Store, id: &str, action: PayerAction) -> Result<Acted, Error> {
    let (status, kind) = match action {
        PayerAction::Pay => (InvoiceStatus::Paid, "invoice.paid"),
        PayerAction::Expire => (InvoiceStatus::Expired, "invoice.expired"),
        other => {
            return Err(Error::Unsupported {
                provider: Provider::Kashio,
                action: other.as_str().into(),
            });
        }
    };
    let kashio: &mut KashioState = store.records.get_mut();
    let index = kashio
        .invoices
        .iter()
        .position(|i| i.id == id)
        .ok_or_else(|| Error::NotFound {
            provider: Provider::Kashio,
            id: id.to_string(),
        })?;
    let invoice = &mut kashio.invoices[index];
    if invoice.status != InvoiceStatus::New {
        return Err(Error::NotAllowed {
            provider: Provider::Kashio,
            id: id.to_string(),
            message: format!("the invoice is {}", invoice.status.as_str()),
        });
    }
    invoice.status = status;
    if status == InvoiceStatus::Expired {
        invoice.expiration = Some(store.clock.now());
    }
    let outgoing = record_event(store, index, kind);
    Ok((
        ActionOutcome::new(Provider::Kashio, id, status.as_str()),
        outgoing,
    ))
}
