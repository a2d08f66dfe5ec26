//! How Khipu payments are rendered: the `PaymentsResponse` JSON and the checkout page's
//! summary.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;

use super::state::{BANKS, KhipuState, Payment, Status};
use crate::simulated::Checkout;
use crate::wire::{JsonNumber, fixed, rfc3339};

/// `receiver_id` is a Long in the model: a JSON number when it is all digits.
fn receiver_id_json(id: &str) -> serde_json::Value {
    id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n))
}

#[derive(Serialize)]
pub(super) struct PaymentView {
    payment_id: String,
    payment_url: String,
    simplified_transfer_url: String,
    transfer_url: String,
    app_url: String,
    ready_for_terminal: bool,
    notification_token: String,
    receiver_id: serde_json::Value,
    conciliation_date: Option<String>,
    subject: String,
    amount: JsonNumber,
    currency: String,
    status: &'static str,
    status_detail: &'static str,
    body: Option<String>,
    picture_url: Option<String>,
    receipt_url: Option<String>,
    return_url: Option<String>,
    cancel_url: Option<String>,
    notify_url: Option<String>,
    notify_api_version: Option<String>,
    expires_date: String,
    attachment_urls: Vec<String>,
    bank: Option<String>,
    bank_id: Option<String>,
    payer_name: Option<String>,
    payer_email: Option<String>,
    personal_identifier: Option<String>,
    bank_account_number: Option<String>,
    out_of_date_conciliation: bool,
    transaction_id: Option<String>,
    custom: Option<String>,
    responsible_user_email: Option<String>,
    send_reminders: bool,
    send_email: bool,
    payment_method: Option<&'static str>,
    funds_source: Option<&'static str>,
    discount: JsonNumber,
}

/// The payer URLs of a payment, all on the sandbox's checkout page.
pub(super) struct Urls {
    pub(super) payment: String,
    pub(super) simplified: String,
    pub(super) transfer: String,
    pub(super) app: String,
}

pub(super) fn urls(origin: &str, id: &str) -> Urls {
    let payment = format!("{origin}/_sandbox/checkout/khipu/{id}");
    Urls {
        simplified: format!("{payment}?method=simplified_transfer"),
        transfer: format!("{payment}?method=regular_transfer"),
        app: format!("khipu:///pos/{id}"),
        payment,
    }
}

/// A payment as `GET /payments/{id}` answers it.
pub(super) fn view(p: &Payment, origin: &str) -> PaymentView {
    let urls = urls(origin, &p.id);
    let bank = p
        .bank_id
        .as_deref()
        .and_then(|id| BANKS.iter().find(|b| b.0 == id))
        .map(|b| b.1.to_string());
    PaymentView {
        payment_id: p.id.clone(),
        receipt_url: (p.status == Status::Done).then(|| format!("{}/receipt", urls.payment)),
        payment_url: urls.payment,
        simplified_transfer_url: urls.simplified,
        transfer_url: urls.transfer,
        app_url: urls.app,
        ready_for_terminal: false,
        notification_token: p.notification_token.clone(),
        receiver_id: receiver_id_json(&p.receiver_id),
        conciliation_date: p.conciliation_date.map(rfc3339),
        subject: p.subject.clone(),
        // Khipu answers amounts with four decimals (`1000.0000`); its public
        // documentation says they also come as strings, but a number is what the model
        // documents.
        amount: JsonNumber::fixed(p.amount, 4),
        currency: p.currency.clone(),
        status: p.status.as_str(),
        status_detail: p.status_detail,
        body: p.body.clone(),
        picture_url: p.picture_url.clone(),
        return_url: p.return_url.clone(),
        cancel_url: p.cancel_url.clone(),
        notify_url: p.notify_url.clone(),
        notify_api_version: p.notify_api_version.clone(),
        expires_date: rfc3339(p.expires_date),
        attachment_urls: Vec::new(),
        bank,
        bank_id: p.bank_id.clone(),
        payer_name: p.payer_name.clone(),
        payer_email: p.payer_email.clone(),
        personal_identifier: p.personal_identifier.clone(),
        bank_account_number: p.bank_account_number.clone(),
        out_of_date_conciliation: p.conciliation_date.is_some_and(|d| d > p.expires_date),
        transaction_id: p.transaction_id.clone(),
        custom: p.custom.clone(),
        responsible_user_email: p.responsible_user_email.clone(),
        send_reminders: p.send_reminders,
        send_email: p.send_email,
        payment_method: p.payment_method,
        funds_source: (p.status == Status::Done).then_some("debit"),
        discount: JsonNumber::fixed(Decimal::ZERO, 4),
    }
}

/// The checkout page's summary: subject, amount, `status/status_detail`.
pub(super) fn checkout(khipu: &KhipuState, id: &str) -> Option<Checkout> {
    khipu.payments.get(id).map(|p| Checkout {
        title: p.subject.clone(),
        amount: format!(
            "{} {}",
            fixed(p.amount, if p.currency == "CLP" { 0 } else { 2 }),
            p.currency
        ),
        status: format!("{}/{}", p.status.as_str(), p.status_detail),
    })
}
