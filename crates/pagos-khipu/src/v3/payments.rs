//! Payments of API 3.0: `POST /v3/payments`, `GET`/`DELETE /v3/payments/{id}`,
//! `POST /v3/payments/{id}/confirm`, `/refunds` (obsolete) and `/void`.

use std::fmt;

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{
    BaseUrl, Currency, Decimal, Error, Money, PaymentStatus, Raw, Request, Response, Result,
    ValidationError, validate,
};
use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;

use super::{KhipuV3Client, bare_request, json_request, parse_json};
use crate::amount::JsonNumber;
use crate::de;
use crate::payments::{KhipuStatus, PaymentMethod, StatusDetail, SuccessResponse, wire_enum};

/// The notification API version the builder asks for when `notify_url` is set: the
/// signed JSON webhook ([`super::webhook`]).
pub const NOTIFY_API_VERSION: &str = "3.0";

wire_enum! {
    /// Where the payer's money came from (`funds_source`).
    FundsSource {
        /// `debit`.
        Debit = "debit",
        /// `prepaid`.
        Prepaid = "prepaid",
        /// `credit`.
        Credit = "credit",
        /// `not-available`.
        NotAvailable = "not-available",
        /// `""`: not reported.
        Blank = "",
    }
}

wire_enum! {
    /// The status of one refund in a payment's `refunds[]`.
    RefundStatus {
        /// `pending`.
        Pending = "pending",
        /// `authorized`.
        Authorized = "authorized",
        /// `paid`: the money reached the payer.
        Paid = "paid",
        /// `expired`: not confirmed within 15 business days.
        Expired = "expired",
    }
}

/// The answer to `POST /v3/payments`: the id and the URLs to send the payer to. It
/// carries no status, amount or currency (fetch the payment for those).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreatedPayment {
    /// Khipu's id (12 alphanumeric characters).
    #[serde(deserialize_with = "de::text")]
    pub payment_id: String,
    /// The payment page.
    #[serde(default)]
    pub payment_url: Option<String>,
    /// The simplified-transfer page.
    #[serde(default)]
    pub simplified_transfer_url: Option<String>,
    /// The manual-transfer page.
    #[serde(default)]
    pub transfer_url: Option<String>,
    /// The Khipu app URL.
    #[serde(default)]
    pub app_url: Option<String>,
    /// Whether the payment can be paid at a terminal.
    #[serde(default)]
    pub ready_for_terminal: Option<bool>,
    /// Khipu's answer exactly as received.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// One refund of a payment (`refunds[]` of `GET /v3/payments/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentRefund {
    /// The refund's id.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub id: Option<String>,
    /// Its status.
    #[serde(default)]
    pub status: Option<RefundStatus>,
    /// The amount refunded, exact.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub amount: Option<Decimal>,
    /// The currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// When it was requested.
    #[serde(default)]
    pub request_date: Option<String>,
    /// When it was authorized.
    #[serde(default)]
    pub authorization_date: Option<String>,
    /// When the money reached the payer.
    #[serde(default)]
    pub payout_date: Option<String>,
    /// When it expires.
    #[serde(default)]
    pub expiration_date: Option<String>,
}

/// A payment as `GET /v3/payments/{id}` reports it. Every field but `payment_id` may
/// be missing; unknown enum values are kept as `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentInfo {
    /// Khipu's id.
    #[serde(deserialize_with = "de::text")]
    pub payment_id: String,
    /// The payment page.
    #[serde(default)]
    pub payment_url: Option<String>,
    /// The simplified-transfer page.
    #[serde(default)]
    pub simplified_transfer_url: Option<String>,
    /// The manual-transfer page.
    #[serde(default)]
    pub transfer_url: Option<String>,
    /// The Khipu app URL.
    #[serde(default)]
    pub app_url: Option<String>,
    /// Whether it can be paid at a terminal.
    #[serde(default)]
    pub ready_for_terminal: Option<bool>,
    /// The 1.3 notification token (still present in 3.0).
    #[serde(default)]
    pub notification_token: Option<String>,
    /// The collection account, as text.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub receiver_id: Option<String>,
    /// When it was reconciled.
    #[serde(default)]
    pub conciliation_date: Option<String>,
    /// The subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// The amount, exact (a JSON number or a decimal string).
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub amount: Option<Decimal>,
    /// The currency code.
    #[serde(default)]
    pub currency: Option<String>,
    /// `pending`, `verifying`, `done`, or unknown.
    #[serde(default)]
    pub status: Option<KhipuStatus>,
    /// The detail of the status.
    #[serde(default)]
    pub status_detail: Option<StatusDetail>,
    /// The description.
    #[serde(default)]
    pub body: Option<String>,
    /// The product picture.
    #[serde(default)]
    pub picture_url: Option<String>,
    /// The receipt.
    #[serde(default)]
    pub receipt_url: Option<String>,
    /// The return URL.
    #[serde(default)]
    pub return_url: Option<String>,
    /// The cancel URL.
    #[serde(default)]
    pub cancel_url: Option<String>,
    /// The notify URL.
    #[serde(default)]
    pub notify_url: Option<String>,
    /// The notification API version.
    #[serde(default)]
    pub notify_api_version: Option<String>,
    /// When it expires.
    #[serde(default)]
    pub expires_date: Option<String>,
    /// Attachments.
    #[serde(default, deserialize_with = "de::null_as_default")]
    pub attachment_urls: Vec<String>,
    /// The payer's bank.
    #[serde(default)]
    pub bank: Option<String>,
    /// The payer's bank id.
    #[serde(default)]
    pub bank_id: Option<String>,
    /// The payer's name.
    #[serde(default)]
    pub payer_name: Option<String>,
    /// The payer's e-mail.
    #[serde(default)]
    pub payer_email: Option<String>,
    /// The payer's personal identifier (RUT in Chile).
    #[serde(default)]
    pub personal_identifier: Option<String>,
    /// The payer's bank account.
    #[serde(default)]
    pub bank_account_number: Option<String>,
    /// Whether it was reconciled late.
    #[serde(default)]
    pub out_of_date_conciliation: Option<bool>,
    /// The merchant's own id.
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// Free-form merchant data.
    #[serde(default)]
    pub custom: Option<String>,
    /// The responsible Khipu user.
    #[serde(default)]
    pub responsible_user_email: Option<String>,
    /// Whether reminders are sent.
    #[serde(default)]
    pub send_reminders: Option<bool>,
    /// Whether the charge was e-mailed.
    #[serde(default)]
    pub send_email: Option<bool>,
    /// How it was paid (`direct_debit` for PAC charges).
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// Where the money came from.
    #[serde(default)]
    pub funds_source: Option<FundsSource>,
    /// The authorizer's operation code.
    #[serde(default)]
    pub authorizer_operation_code: Option<String>,
    /// A discount, exact.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub discount: Option<Decimal>,
    /// "Ignore this field" (Khipu).
    #[serde(default)]
    pub third_party_authorization_details: Option<String>,
    /// The payment's refunds (present only when it has some).
    #[serde(default, deserialize_with = "de::null_as_default")]
    pub refunds: Vec<PaymentRefund>,
    /// The total refunded (expired refunds not counted), exact.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub total_refunded: Option<Decimal>,
    /// When a voided payment's funds reached the payer.
    #[serde(default)]
    pub void_payout_date: Option<String>,
    /// Khipu's answer exactly as received.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl PaymentInfo {
    /// The amount as [`Money`], when the amount and a known currency are present and
    /// fit together (`"1000.0000"` CLP is 1000 CLP).
    pub fn money(&self) -> Option<Money> {
        let currency: Currency = self.currency.as_deref()?.parse().ok()?;
        Money::new(self.amount?.normalize(), currency).ok()
    }

    /// The unified status ([`crate::status`]).
    pub fn unified_status(&self) -> PaymentStatus {
        crate::status::payment_status(self.status.as_ref(), self.status_detail.as_ref())
    }
}

/// `"amount":<number>,"currency":"<code>"`, for the flattened `amount` field.
fn amount_and_currency<S: Serializer>(m: &Money, s: S) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap as _;
    let number = JsonNumber::money("amount", m).map_err(serde::ser::Error::custom)?;
    let mut map = s.serialize_map(Some(2))?;
    map.serialize_entry("amount", &number)?;
    map.serialize_entry("currency", m.currency().code())?;
    map.end()
}

fn iso<S: Serializer>(at: &Option<OffsetDateTime>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match at {
        Some(at) => crate::payments::iso8601("date", *at)
            .map_err(serde::ser::Error::custom)?
            .serialize(s),
        None => s.serialize_none(),
    }
}

/// The JSON body of `POST /v3/payments`, every field of Khipu's API 3.0 reference.
/// Built with [`CreatePaymentRequest::builder`], which validates; the endpoint
/// validates again before sending. Serializing it (with serde_json) writes the body
/// exactly as sent, `amount` and `currency` first.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_khipu::v3::payments::CreatePaymentRequest;
/// let r = CreatePaymentRequest::builder("Cobro", Money::parse("15000", Currency::Clp)?)
///     .send_reminders(false)
///     .build()?;
/// assert_eq!(r.to_json()?, r#"{"amount":15000,"currency":"CLP","subject":"Cobro","send_reminders":false}"#);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreatePaymentRequest {
    /// `amount` and `currency` (required): the amount goes out as an exact JSON number.
    #[serde(flatten, serialize_with = "amount_and_currency")]
    pub amount: Money,
    /// `subject` (required, ≤ 255).
    pub subject: String,
    /// `transaction_id` (≤ 255): the merchant's own id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// `custom`: free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom: Option<String>,
    /// `body` (≤ 5120): the description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// `bank_id` (≤ 5): preselect a bank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_id: Option<String>,
    /// `return_url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    /// `cancel_url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_url: Option<String>,
    /// `picture_url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub picture_url: Option<String>,
    /// `notify_url`: the webhook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify_url: Option<String>,
    /// `contract_url` (needs `fixed_payer_personal_identifier`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract_url: Option<String>,
    /// `notify_api_version` (the builder sets `3.0` with `notify_url`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify_api_version: Option<String>,
    /// `expires_date` (ISO-8601 UTC).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "iso")]
    pub expires_date: Option<OffsetDateTime>,
    /// `send_email` (true needs `payer_name` and `payer_email`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_email: Option<bool>,
    /// `payer_name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payer_name: Option<String>,
    /// `payer_email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payer_email: Option<String>,
    /// `send_reminders`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_reminders: Option<bool>,
    /// `responsible_user_email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responsible_user_email: Option<String>,
    /// `fixed_payer_personal_identifier`: only this payer may pay (a RUT for CLP/CLF).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_payer_personal_identifier: Option<String>,
    /// `integrator_fee` (a string of ≤ 16 characters, in the payment's currency).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrator_fee: Option<String>,
    /// `collect_account_uuid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collect_account_uuid: Option<String>,
    /// `confirm_timeout_date` (ISO-8601 UTC).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "iso")]
    pub confirm_timeout_date: Option<OffsetDateTime>,
    /// `mandatory_payment_method`, e.g. `SIMPLIFIED_TRANSFER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mandatory_payment_method: Option<String>,
    /// `psp_client_merchant_name` (3..255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub psp_client_merchant_name: Option<String>,
    /// `psp_client_merchant_logo_url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub psp_client_merchant_logo_url: Option<String>,
}

impl CreatePaymentRequest {
    /// Starts a builder with the required fields.
    pub fn builder(subject: impl Into<String>, amount: Money) -> CreatePaymentRequestBuilder {
        CreatePaymentRequestBuilder {
            inner: CreatePaymentRequest {
                amount,
                subject: subject.into(),
                transaction_id: None,
                custom: None,
                body: None,
                bank_id: None,
                return_url: None,
                cancel_url: None,
                picture_url: None,
                notify_url: None,
                contract_url: None,
                notify_api_version: None,
                expires_date: None,
                send_email: None,
                payer_name: None,
                payer_email: None,
                send_reminders: None,
                responsible_user_email: None,
                fixed_payer_personal_identifier: None,
                integrator_fee: None,
                collect_account_uuid: None,
                confirm_timeout_date: None,
                mandatory_payment_method: None,
                psp_client_merchant_name: None,
                psp_client_merchant_logo_url: None,
            },
        }
    }

    /// Checks every field without I/O: `subject` not blank; the amount positive, in
    /// [`crate::CURRENCIES`] and within its decimals; text fields within Khipu's
    /// lengths and not blank; URLs absolute `http(s)`; e-mails well formed;
    /// `send_email = true` needs `payer_name` and `payer_email`; `contract_url` needs
    /// `fixed_payer_personal_identifier`, which must be a RUT when the payment is in
    /// CLP or CLF (a Chilean payment comes from a Chilean bank account, whose owner
    /// Khipu identifies by RUT; elsewhere only non-blank is checked); dates
    /// representable as ISO-8601.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::non_empty("subject", &self.subject)?;
        validate::max_chars("subject", &self.subject, 255)?;
        JsonNumber::money("amount", &self.amount)?;
        for (field, value, max) in [
            ("transaction_id", &self.transaction_id, 255),
            ("body", &self.body, 5120),
            ("bank_id", &self.bank_id, 5),
            ("notify_api_version", &self.notify_api_version, 255),
            ("payer_name", &self.payer_name, 255),
            (
                "fixed_payer_personal_identifier",
                &self.fixed_payer_personal_identifier,
                255,
            ),
            ("collect_account_uuid", &self.collect_account_uuid, 255),
            (
                "mandatory_payment_method",
                &self.mandatory_payment_method,
                255,
            ),
            (
                "psp_client_merchant_name",
                &self.psp_client_merchant_name,
                255,
            ),
            ("custom", &self.custom, 1_073_741_824),
        ] {
            if let Some(v) = value {
                if field != "custom" {
                    validate::non_empty(field, v)?;
                }
                validate::max_chars(field, v, max)?;
            }
        }
        if let Some(name) = &self.psp_client_merchant_name
            && name.trim().chars().count() < 3
        {
            return Err(ValidationError::new(
                "psp_client_merchant_name",
                "must have at least 3 characters",
            ));
        }
        for (field, value) in [
            ("return_url", &self.return_url),
            ("cancel_url", &self.cancel_url),
            ("picture_url", &self.picture_url),
            ("notify_url", &self.notify_url),
            ("contract_url", &self.contract_url),
            (
                "psp_client_merchant_logo_url",
                &self.psp_client_merchant_logo_url,
            ),
        ] {
            if let Some(v) = value {
                validate::http_url(field, v)?;
                validate::max_chars(field, v, 1024)?;
            }
        }
        for (field, value) in [
            ("payer_email", &self.payer_email),
            ("responsible_user_email", &self.responsible_user_email),
        ] {
            if let Some(v) = value {
                validate::email(field, v)?;
                validate::max_chars(field, v, 255)?;
            }
        }
        if self.send_email == Some(true) {
            if self.payer_name.is_none() {
                return Err(ValidationError::new(
                    "payer_name",
                    "required when send_email is true",
                ));
            }
            if self.payer_email.is_none() {
                return Err(ValidationError::new(
                    "payer_email",
                    "required when send_email is true",
                ));
            }
        }
        if self.contract_url.is_some() && self.fixed_payer_personal_identifier.is_none() {
            return Err(ValidationError::new(
                "fixed_payer_personal_identifier",
                "required with contract_url",
            ));
        }
        if let Some(id) = &self.fixed_payer_personal_identifier
            && matches!(self.amount.currency(), Currency::Clp | Currency::Clf)
        {
            validate::rut("fixed_payer_personal_identifier", id)?;
        }
        if let Some(fee) = &self.integrator_fee {
            validate::max_chars("integrator_fee", fee, 16)?;
            let value = pagos_core::wire::parse_decimal(fee)
                .ok_or_else(|| ValidationError::new("integrator_fee", "is not a decimal amount"))?;
            let money = Money::new(value, self.amount.currency())
                .map_err(|e| e.for_field("integrator_fee"))?;
            crate::amount::checked_text("integrator_fee", &money)?;
        }
        for (field, at) in [
            ("expires_date", self.expires_date),
            ("confirm_timeout_date", self.confirm_timeout_date),
        ] {
            if let Some(at) = at {
                crate::payments::iso8601(field, at)?;
            }
        }
        Ok(())
    }

    /// Validates and returns the JSON body exactly as sent.
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn to_json(&self) -> Result<String> {
        self.validate()?;
        serde_json::to_string(self).map_err(|e| {
            Error::from(ValidationError::new(
                "request",
                format!("cannot be written as JSON: {e}"),
            ))
        })
    }
}

/// Builder for [`CreatePaymentRequest`].
#[derive(Debug, Clone)]
#[must_use]
pub struct CreatePaymentRequestBuilder {
    inner: CreatePaymentRequest,
}

macro_rules! text_setters {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("Sets `", stringify!($name), "`.")]
            pub fn $name(mut self, value: impl Into<String>) -> Self {
                self.inner.$name = Some(value.into());
                self
            }
        )*
    };
}

impl CreatePaymentRequestBuilder {
    text_setters!(
        transaction_id,
        custom,
        body,
        bank_id,
        return_url,
        cancel_url,
        picture_url,
        notify_url,
        contract_url,
        notify_api_version,
        payer_name,
        payer_email,
        responsible_user_email,
        fixed_payer_personal_identifier,
        collect_account_uuid,
        mandatory_payment_method,
        psp_client_merchant_name,
        psp_client_merchant_logo_url,
    );

    /// Sets `expires_date`.
    pub fn expires_date(mut self, at: OffsetDateTime) -> Self {
        self.inner.expires_date = Some(at);
        self
    }

    /// Sets `confirm_timeout_date`.
    pub fn confirm_timeout_date(mut self, at: OffsetDateTime) -> Self {
        self.inner.confirm_timeout_date = Some(at);
        self
    }

    /// Sets `send_email` (true or false: both are sent).
    pub fn send_email(mut self, send: bool) -> Self {
        self.inner.send_email = Some(send);
        self
    }

    /// Sets `send_reminders` (true or false: both are sent).
    pub fn send_reminders(mut self, send: bool) -> Self {
        self.inner.send_reminders = Some(send);
        self
    }

    /// Sets `integrator_fee`, in the payment's currency (sent as text).
    pub fn integrator_fee(mut self, fee: Decimal) -> Self {
        self.inner.integrator_fee = Some(fee.to_string());
        self
    }

    /// Validates and returns the request; with `notify_url` and no
    /// `notify_api_version`, asks for the signed webhook ([`NOTIFY_API_VERSION`]).
    ///
    /// # Errors
    /// [`Error::Validation`] naming the first bad field.
    pub fn build(mut self) -> Result<CreatePaymentRequest> {
        if self.inner.notify_url.is_some() && self.inner.notify_api_version.is_none() {
            self.inner.notify_api_version = Some(NOTIFY_API_VERSION.to_string());
        }
        self.inner.validate()?;
        Ok(self.inner)
    }
}

fn payment_id(id: &str) -> Result<&str, ValidationError> {
    validate::path_id("payment_id", id)?;
    Ok(id)
}

fn lookup_hint(id: &str) -> String {
    format!(
        "Khipu does not deduplicate this call: fetch GET /v3/payments/{id} to see whether it took effect before sending it again"
    )
}

/// `POST /v3/payments`: creates a payment. Sent once (Khipu has no idempotency key
/// and does not deduplicate `transaction_id`); an unknown outcome's hint says so.
#[derive(Debug, Clone, Copy)]
pub struct CreatePayment<'a> {
    request: &'a CreatePaymentRequest,
}

impl<'a> CreatePayment<'a> {
    /// Creates `request` (validated again when described).
    pub fn new(request: &'a CreatePaymentRequest) -> Self {
        CreatePayment { request }
    }
}

impl Endpoint for CreatePayment<'_> {
    type Output = CreatedPayment;
    const OPERATION: &'static str = "create_payment";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let body = serde_json::value::RawValue::from_string(self.request.to_json()?)
            .map_err(|e| ValidationError::new("request", format!("not JSON: {e}")))?;
        json_request(
            Method::POST,
            base.join(&["v3", "payments"])?,
            Self::OPERATION,
            Some(body.as_ref()),
        )
    }

    fn parse(&self, response: &Response) -> Result<CreatedPayment> {
        let (mut created, raw): (CreatedPayment, Raw) = parse_json(response)?;
        created.raw = raw;
        Ok(created)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(match &self.request.transaction_id {
            Some(t) => format!(
                "Khipu may have created the payment (transaction_id {t:?}) and has no idempotency key nor a lookup by transaction_id: check the answer's payment_id, your notify_url or Khipu's dashboard before creating it again"
            ),
            None => "Khipu may have created the payment and has no idempotency key: check the answer's payment_id, your notify_url or Khipu's dashboard before creating it again (set transaction_id to tell attempts apart)".to_string(),
        })
    }
}

/// `GET /v3/payments/{id}`: a payment with its status and refunds.
#[derive(Debug, Clone, Copy)]
pub struct GetPayment<'a> {
    id: &'a str,
}

impl<'a> GetPayment<'a> {
    /// Fetches the payment `id`.
    pub fn new(id: &'a str) -> Self {
        GetPayment { id }
    }
}

impl Endpoint for GetPayment<'_> {
    type Output = PaymentInfo;
    const OPERATION: &'static str = "get_payment";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let url = base.join(&["v3", "payments", payment_id(self.id)?])?;
        bare_request(Method::GET, url, Self::OPERATION)
    }

    fn parse(&self, response: &Response) -> Result<PaymentInfo> {
        let (mut p, raw): (PaymentInfo, Raw) = parse_json(response)?;
        p.raw = raw;
        Ok(p)
    }
}

macro_rules! action {
    ($(#[$doc:meta])* $name:ident, $op:literal, $method:ident, $last:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            id: &'a str,
        }

        impl<'a> $name<'a> {
            /// Acts on the payment `id`.
            pub fn new(id: &'a str) -> Self {
                $name { id }
            }
        }

        impl Endpoint for $name<'_> {
            type Output = SuccessResponse;
            const OPERATION: &'static str = $op;
            const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

            fn request(&self, base: &BaseUrl) -> Result<Request> {
                let id = payment_id(self.id)?;
                let url = if $last.is_empty() {
                    base.join(&["v3", "payments", id])?
                } else {
                    base.join(&["v3", "payments", id, $last])?
                };
                bare_request(Method::$method, url, Self::OPERATION)
            }

            fn parse(&self, response: &Response) -> Result<SuccessResponse> {
                SuccessResponse::parse(response)
            }

            fn outcome_hint(&self) -> Option<String> {
                Some(lookup_hint(self.id))
            }
        }
    };
}

action!(
    /// `DELETE /v3/payments/{id}`: deletes a payment still pending; irreversible.
    DeletePayment, "delete_payment", DELETE, ""
);
action!(
    /// `POST /v3/payments/{id}/confirm`: confirms a payment so its funds are rendered
    /// the next business day (a feature contracted with Khipu).
    ConfirmPayment, "confirm_payment", POST, "confirm"
);
action!(
    /// `POST /v3/payments/{id}/void`: voids the whole amount before the funds are
    /// rendered (merchants collecting into a Khipu account).
    VoidPayment, "void_payment", POST, "void"
);

#[derive(Serialize)]
struct RefundBody {
    amount: JsonNumber,
}

/// `POST /v3/payments/{id}/refunds`: the older refund call, in full (no body) or in
/// part (`{"amount": number}`). Khipu's newest specification marks it obsolete in
/// favour of [`VoidPayment`] and [`super::refunds::CreateRefund`]. Sent once.
#[derive(Debug, Clone, Copy)]
pub struct RefundPayment<'a> {
    id: &'a str,
    amount: Option<&'a Money>,
}

impl<'a> RefundPayment<'a> {
    /// Refunds `amount` of payment `id`, or all of it with `None`.
    pub fn new(id: &'a str, amount: Option<&'a Money>) -> Self {
        RefundPayment { id, amount }
    }
}

impl Endpoint for RefundPayment<'_> {
    type Output = SuccessResponse;
    const OPERATION: &'static str = "refund_payment";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let url = base.join(&["v3", "payments", payment_id(self.id)?, "refunds"])?;
        match self.amount {
            Some(m) => {
                let body = RefundBody {
                    amount: JsonNumber::money("amount", m)?,
                };
                json_request(Method::POST, url, Self::OPERATION, Some(&body))
            }
            None => bare_request(Method::POST, url, Self::OPERATION),
        }
    }

    fn parse(&self, response: &Response) -> Result<SuccessResponse> {
        SuccessResponse::parse(response)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(lookup_hint(self.id))
    }
}

/// The payments resource of API 3.0. Get one with [`KhipuV3Client::payments`].
#[derive(Clone, Copy)]
pub struct Payments<'a> {
    client: &'a KhipuV3Client,
}

impl fmt::Debug for Payments<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Payments")
    }
}

impl<'a> Payments<'a> {
    pub(crate) fn new(client: &'a KhipuV3Client) -> Self {
        Payments { client }
    }

    /// [`CreatePayment`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn create(&self, request: &CreatePaymentRequest) -> Result<CreatedPayment> {
        self.client.run(&CreatePayment::new(request)).await
    }

    /// [`GetPayment`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn get(&self, id: &str) -> Result<PaymentInfo> {
        self.client.run(&GetPayment::new(id)).await
    }

    /// [`DeletePayment`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn delete(&self, id: &str) -> Result<SuccessResponse> {
        self.client.run(&DeletePayment::new(id)).await
    }

    /// [`ConfirmPayment`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn confirm(&self, id: &str) -> Result<SuccessResponse> {
        self.client.run(&ConfirmPayment::new(id)).await
    }

    /// [`RefundPayment`] (obsolete call).
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn refund(&self, id: &str, amount: Option<&Money>) -> Result<SuccessResponse> {
        self.client.run(&RefundPayment::new(id, amount)).await
    }

    /// [`VoidPayment`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn void(&self, id: &str) -> Result<SuccessResponse> {
        self.client.run(&VoidPayment::new(id)).await
    }
}
