//! How Khipu 3.0 answers and notifies: the `payment-get-payment` JSON, the 3.0 webhook
//! body (PHP `json_encode` style: `/` escaped as `\/`, non-ASCII as `\uXXXX`), its
//! `x-khipu-signature`, and the checkout page's summaries.
//!
//! Amounts follow the new spec: decimal strings with four decimals (`"1000.0000"`) in
//! payments, refunds and webhooks; numbers where the spec has numbers (banks' `min_amount`,
//! predictions). None passes through `f64`.

use base64::Engine;
use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use serde::Serialize;
use sha2::Sha256;
use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

use super::state::{BANKS, KhipuV3State, Payment, Status, SubscriptionStatus};
use crate::simulated::Checkout;
use crate::wire::{fixed, format_time, rfc3339};

/// `2024-04-18T13:56:54.859Z`, the form of Khipu's `conciliation_date`.
const MILLIS_Z: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// An instant as Khipu writes `conciliation_date`.
pub(super) fn millis_z(t: OffsetDateTime) -> String {
    format_time(t.to_offset(time::UtcOffset::UTC), MILLIS_Z)
}

/// An amount as the new spec writes it: a string with four decimals.
pub(super) fn amount4(amount: Decimal) -> String {
    fixed(amount, 4)
}

/// The decimals a currency admits: CLP 0, CLF 4, the rest 2.
pub(super) fn currency_decimals(currency: &str) -> u32 {
    // Only currencies of the table are ever stored; 2 is the table's common case.
    crate::khipu::currency_decimals(currency).unwrap_or(2)
}

/// `receiver_id` is an int64 in the spec: a JSON number when it is all digits.
fn receiver_id_json(id: &str) -> serde_json::Value {
    id.parse::<u64>()
        .map_or_else(|_| serde_json::json!(id), |n| serde_json::json!(n))
}

/// The payer URLs of a payment or subscription, all on the sandbox's checkout page.
pub(super) struct Urls {
    pub(super) payment: String,
    pub(super) simplified: String,
    pub(super) transfer: String,
    pub(super) app: String,
}

pub(super) fn urls(origin: &str, id: &str) -> Urls {
    let payment = format!("{origin}/_sandbox/checkout/khipu_v3/{id}");
    Urls {
        simplified: format!("{payment}?method=simplified_transfer"),
        transfer: format!("{payment}?method=regular_transfer"),
        app: format!("khipu:///pos/{id}"),
        payment,
    }
}

#[derive(Serialize)]
struct RefundView {
    id: String,
    status: &'static str,
    amount: String,
    currency: String,
    request_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization_date: Option<String>,
}

/// `GET /v3/payments/{id}`.
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
    amount: String,
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
    payment_method: &'static str,
    funds_source: &'static str,
    discount: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    refunds: Vec<RefundView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_refunded: Option<String>,
}

fn bank_name(bank_id: Option<&str>) -> Option<String> {
    bank_id
        .and_then(|id| BANKS.iter().find(|b| b.0 == id))
        .map(|b| b.1.to_string())
}

fn receipt_url(p: &Payment, origin: &str) -> Option<String> {
    (p.status == Status::Done).then(|| format!("{}/receipt", urls(origin, &p.id).payment))
}

/// A payment as `GET /v3/payments/{id}` answers it.
pub(super) fn view(p: &Payment, origin: &str) -> PaymentView {
    let urls = urls(origin, &p.id);
    let refunds: Vec<RefundView> = p
        .refunds
        .iter()
        .map(|r| RefundView {
            id: r.id.clone(),
            status: r.status,
            amount: amount4(r.amount),
            currency: p.currency.clone(),
            request_date: rfc3339(r.request_date),
            authorization_date: r.authorization_date.map(rfc3339),
        })
        .collect();
    PaymentView {
        payment_id: p.id.clone(),
        receipt_url: receipt_url(p, origin),
        payment_url: urls.payment,
        simplified_transfer_url: urls.simplified,
        transfer_url: urls.transfer,
        app_url: urls.app,
        ready_for_terminal: false,
        notification_token: p.notification_token.clone(),
        receiver_id: receiver_id_json(&p.receiver_id),
        conciliation_date: p.conciliation_date.map(millis_z),
        subject: p.subject.clone(),
        amount: amount4(p.amount),
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
        bank: bank_name(p.bank_id.as_deref()),
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
        funds_source: if p.status == Status::Done {
            "debit"
        } else {
            ""
        },
        discount: amount4(Decimal::ZERO),
        total_refunded: (!refunds.is_empty()).then(|| amount4(p.total_refunded())),
        refunds,
    }
}

/// The 3.0 webhook body, in the field order of Khipu's docs example (fields the payment
/// lacks are left out).
#[derive(Serialize)]
struct WebhookBody {
    payment_id: String,
    receiver_id: serde_json::Value,
    subject: String,
    amount: String,
    discount: String,
    currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    receipt_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bank: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bank_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payer_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    personal_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bank_account_number: Option<String>,
    out_of_date_conciliation: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    transaction_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    responsible_user_email: Option<String>,
    payment_method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    conciliation_date: Option<String>,
}

/// The exact bytes of the 3.0 webhook of a payment.
pub(super) fn webhook_body(p: &Payment) -> Vec<u8> {
    let origin = p.origin.as_str();
    let body = WebhookBody {
        payment_id: p.id.clone(),
        receiver_id: receiver_id_json(&p.receiver_id),
        subject: p.subject.clone(),
        amount: amount4(p.amount),
        discount: amount4(Decimal::ZERO),
        currency: p.currency.clone(),
        receipt_url: receipt_url(p, origin),
        bank: bank_name(p.bank_id.as_deref()),
        bank_id: p.bank_id.clone(),
        payer_name: p.payer_name.clone(),
        payer_email: p.payer_email.clone(),
        personal_identifier: p.personal_identifier.clone(),
        bank_account_number: p.bank_account_number.clone(),
        out_of_date_conciliation: p.conciliation_date.is_some_and(|d| d > p.expires_date),
        transaction_id: p.transaction_id.clone(),
        body: p.body.clone(),
        custom: p.custom.clone(),
        responsible_user_email: p.responsible_user_email.clone(),
        payment_method: p.payment_method,
        conciliation_date: p.conciliation_date.map(millis_z),
    };
    php_json(&serde_json::to_string(&body).unwrap_or_default()).into_bytes()
}

/// serde_json's output re-escaped as PHP's `json_encode` writes it by default: `/` as
/// `\/` and every non-ASCII character as `\uXXXX` (UTF-16). Both occur only inside JSON
/// strings, so the rewrite is exact.
pub(super) fn php_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c == '/' {
            out.push_str("\\/");
        } else if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// The `s` of Khipu 3.0's `x-khipu-signature: t=<t>,s=<s>`: standard base64 (padded) of
/// HMAC-SHA256 keyed with the merchant secret's UTF-8 bytes over `t + "." + body`.
///
/// ```
/// // Khipu's docs example (test vector A).
/// let body = br#"{"payment_id":"zfxnocsow6mz","receiver_id":990939,"subject":"TEST_COBRO","amount":"1000.0000","discount":"0.0000","currency":"CLP","receipt_url":"https:\/\/s3.amazonaws.com\/staging.notifications.khipu.com\/CPKH-1804240956-zfxnocsow6mz.pdf","bank":"DemoBank","bank_id":"Bawdf","payer_name":"Cobrador de desarrollo #990.939","payer_email":"test@khipu.com","personal_identifier":"44.444.444-4","bank_account_number":"000000000000444444444","out_of_date_conciliation":false,"transaction_id":"15f836bd-e8a7-4d12-b2f1-56403012b555","responsible_user_email":"test@khipu.com","payment_method":"simplified_transfer","conciliation_date":"2024-04-18T13:56:54.859Z"}"#;
/// let s = pagos_sandbox::khipu_v3_signature(
///     "1a4cbbbeb8bdb7e1d73572b9cc43ce4ce18f79d9",
///     1711965600393,
///     body,
/// );
/// assert_eq!(s, "GYzpjnXlTKQ+BJY7pZJmrM6DZgWMSJdtOr/dleBKTdg=");
/// ```
pub fn khipu_v3_signature(secret: &str, t_millis: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(t_millis.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The whole `x-khipu-signature` value, `t=<t>,s=<s>`.
pub(super) fn signature_header(secret: &str, t_millis: i64, body: &[u8]) -> String {
    format!(
        "t={t_millis},s={}",
        khipu_v3_signature(secret, t_millis, body)
    )
}

/// The checkout page's summary of a payment or a subscription.
pub(super) fn checkout(state: &KhipuV3State, id: &str) -> Option<Checkout> {
    if let Some(p) = state.payments.get(id) {
        return Some(Checkout {
            title: p.subject.clone(),
            amount: format!(
                "{} {}",
                fixed(p.amount, currency_decimals(&p.currency)),
                p.currency
            ),
            status: format!("{}/{}", p.status.as_str(), p.status_detail),
        });
    }
    state.subscriptions.get(id).map(|s| Checkout {
        title: format!("Mandato PAC de {}", s.name),
        amount: format!(
            "hasta {} {} por cobro, {} {} al mes",
            fixed(s.max_amount_per_charge, currency_decimals(&s.currency)),
            s.currency,
            fixed(s.max_amount, currency_decimals(&s.currency)),
            s.currency
        ),
        status: match s.status {
            SubscriptionStatus::Pending => "PENDING (pagar = firmar el mandato)".into(),
            other => other.as_str().into(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_escaping_of_slashes_and_unicode() {
        assert_eq!(
            php_json(r#"{"u":"https://a/b","n":"Pérez 😀"}"#),
            r#"{"u":"https:\/\/a\/b","n":"P\u00e9rez \ud83d\ude00"}"#
        );
    }

    #[test]
    fn conciliation_dates_have_milliseconds() {
        let t = time::macros::datetime!(2024-04-18 13:56:54.859 UTC);
        assert_eq!(millis_z(t), "2024-04-18T13:56:54.859Z");
    }
}
