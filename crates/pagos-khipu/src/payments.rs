//! Payments (Khipu's REST API 2.0 reference, methods `paymentsPost`, `paymentsGet`,
//! `paymentsIdGet`, `paymentsIdDelete`, `paymentsIdConfirmPost`,
//! `paymentsIdRefundsPost`):
//!
//! | endpoint | call | idempotency |
//! |---|---|---|
//! | [`CreatePayment`] | `POST /payments` | once |
//! | [`GetPayment`] | `GET /payments/{id}` | read |
//! | [`GetPaymentByNotificationToken`] | `GET /payments?notification_token=…` | read |
//! | [`DeletePayment`] | `DELETE /payments/{id}` | once |
//! | [`ConfirmPayment`] | `POST /payments/{id}/confirm` | once |
//! | [`RefundPayment`] | `POST /payments/{id}/refunds` | once |
//!
//! "Once": Khipu documents no idempotency key, so a call that changes state is never
//! sent again once it may have reached Khipu (see [`pagos_core::transport`]).

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{
    BaseUrl, Currency, Decimal, Error, Money, PaymentStatus, Raw, Request, Response, Result,
    ValidationError, validate,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::amount;
use crate::client::KhipuClient;
use crate::de;
use crate::request::form_request;

/// The notification API version this crate asks for and understands.
pub const NOTIFY_API_VERSION: &str = "1.3";

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, ::serde::Deserialize)]
        #[serde(from = "String")]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this SDK does not know, exactly as Khipu sent it.
            Unknown(String),
        }

        impl $name {
            /// The text Khipu uses for this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )*
                    Self::Unknown(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $text => Self::$variant, )*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match Self::from(s.as_str()) {
                    Self::Unknown(_) => Self::Unknown(s),
                    known => known,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            /// The text Khipu uses, unknown values as they were sent.
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use wire_enum;

wire_enum! {
    /// A payment's `status`.
    KhipuStatus {
        /// `pending`: the payer has not started paying.
        Pending = "pending",
        /// `verifying`: the payment is being verified.
        Verifying = "verifying",
        /// `done`: the payment is confirmed (see [`StatusDetail`] for how).
        Done = "done",
    }
}

wire_enum! {
    /// A payment's `status_detail`.
    StatusDetail {
        /// `pending`: the payer has not started paying.
        Pending = "pending",
        /// `normal`: verified and paid by a standard payment method.
        Normal = "normal",
        /// `marked-paid-by-receiver`: the merchant marked it paid by other means.
        MarkedPaidByReceiver = "marked-paid-by-receiver",
        /// `rejected-by-payer`: the payer declared they will not pay.
        RejectedByPayer = "rejected-by-payer",
        /// `marked-as-abuse`: the payer will not pay and reported the charge as unsolicited.
        MarkedAsAbuse = "marked-as-abuse",
        /// `reversed`: the merchant annulled it and the money went back to the payer.
        Reversed = "reversed",
        /// `partially-refunded` (API 3.0): paid, then refunded in part.
        PartiallyRefunded = "partially-refunded",
        /// `fully-refunded` (API 3.0): paid, then refunded in full.
        FullyRefunded = "fully-refunded",
    }
}

wire_enum! {
    /// How the payer paid (`payment_method`).
    PaymentMethod {
        /// `regular_transfer`: a normal bank transfer.
        RegularTransfer = "regular_transfer",
        /// `simplified_transfer`: Khipu's simplified transfer.
        SimplifiedTransfer = "simplified_transfer",
        /// `not_available`: marked paid by the merchant by other means.
        NotAvailable = "not_available",
        /// `direct_debit`: a PAC (automatic payment) charge; Khipu returns it live
        /// although its API 3.0 specification does not declare it.
        DirectDebit = "direct_debit",
    }
}

/// A payment as Khipu reports it (`PaymentsResponse` in Khipu's REST API 2.0
/// reference, plus `funds_source` and `discount`). Every field but `payment_id` may be
/// missing.
///
/// Serializing it writes the typed fields and, under `raw`, Khipu's answer as received.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentsResponse {
    /// Khipu's id of the payment (12 alphanumeric characters).
    pub payment_id: String,
    /// The main payment URL.
    #[serde(default)]
    pub payment_url: Option<String>,
    /// The simplified-transfer URL.
    #[serde(default)]
    pub simplified_transfer_url: Option<String>,
    /// The normal-transfer URL.
    #[serde(default)]
    pub transfer_url: Option<String>,
    /// The URL that opens the payment in Khipu's mobile app.
    #[serde(default)]
    pub app_url: Option<String>,
    /// Whether the payment can open Khipu's payment app directly.
    #[serde(default)]
    pub ready_for_terminal: Option<bool>,
    /// The token Khipu sends to `notify_url` when the payment is reconciled.
    #[serde(default)]
    pub notification_token: Option<String>,
    /// The receiver (collection account) id, as text.
    // The API reference types it `Long` here but `String` in ReceiversCreateResponse:
    // both are read.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub receiver_id: Option<String>,
    /// When the payment was reconciled, ISO-8601 text as sent (see
    /// [`conciliation_time`](Self::conciliation_time)).
    #[serde(default)]
    pub conciliation_date: Option<String>,
    /// The subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// The amount (read exactly from a JSON number or a numeric string like `"200.0000"`).
    // The API reference types it `Double`; Khipu's public documentation and official
    // clients (which win) show it sometimes arrives as a numeric string, so both are
    // read, and never through f64.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub amount: Option<Decimal>,
    /// The ISO-4217 currency code, as sent.
    #[serde(default)]
    pub currency: Option<String>,
    /// The status.
    #[serde(default)]
    pub status: Option<KhipuStatus>,
    /// The status detail.
    #[serde(default)]
    pub status_detail: Option<StatusDetail>,
    /// The description.
    #[serde(default)]
    pub body: Option<String>,
    /// The product picture URL.
    #[serde(default)]
    pub picture_url: Option<String>,
    /// The receipt URL.
    #[serde(default)]
    pub receipt_url: Option<String>,
    /// Where the payer goes after paying.
    #[serde(default)]
    pub return_url: Option<String>,
    /// Where the payer goes after giving up.
    #[serde(default)]
    pub cancel_url: Option<String>,
    /// The notification web service.
    #[serde(default)]
    pub notify_url: Option<String>,
    /// The notification API version.
    #[serde(default)]
    pub notify_api_version: Option<String>,
    /// The expiry, ISO-8601 text as sent (see [`expires_time`](Self::expires_time)).
    #[serde(default)]
    pub expires_date: Option<String>,
    /// Attached files.
    #[serde(default, deserialize_with = "de::null_as_default")]
    pub attachment_urls: Vec<String>,
    /// The bank the payer chose.
    #[serde(default)]
    pub bank: Option<String>,
    /// The id of the bank the payer chose.
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
    /// The payer's bank account number.
    #[serde(default)]
    pub bank_account_number: Option<String>,
    /// Whether it was reconciled after its expiry.
    #[serde(default)]
    pub out_of_date_conciliation: Option<bool>,
    /// The merchant's own transaction id.
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// The merchant's custom data.
    #[serde(default)]
    pub custom: Option<String>,
    /// The e-mail of the Khipu user responsible for the charge.
    #[serde(default)]
    pub responsible_user_email: Option<String>,
    /// Whether Khipu sends reminders.
    #[serde(default)]
    pub send_reminders: Option<bool>,
    /// Whether Khipu sends the charge by e-mail.
    #[serde(default)]
    pub send_email: Option<bool>,
    /// How the payer paid.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// The source of the funds (`debit`, `prepaid`, `credit`, or empty).
    #[serde(default)]
    pub funds_source: Option<String>,
    /// An amount deducted from the value paid.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub discount: Option<Decimal>,
    /// Khipu's answer exactly as received (set by the endpoint that read it; `null`
    /// for a value decoded by hand).
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl PaymentsResponse {
    /// The amount as [`Money`], when both amount and a known currency are present and
    /// the amount fits the currency's precision (`"200.0000"` CLP is 200 CLP).
    pub fn money(&self) -> Option<Money> {
        let currency: Currency = self.currency.as_deref()?.parse().ok()?;
        Money::new(self.amount?, currency).ok()
    }

    /// The unified status (see [`crate::status`]).
    pub fn unified_status(&self) -> PaymentStatus {
        crate::status::payment_status(self.status.as_ref(), self.status_detail.as_ref())
    }

    /// [`conciliation_date`](Self::conciliation_date) parsed as RFC 3339, when it is.
    pub fn conciliation_time(&self) -> Option<OffsetDateTime> {
        parse_time(self.conciliation_date.as_deref()?)
    }

    /// [`expires_date`](Self::expires_date) parsed as RFC 3339, when it is.
    pub fn expires_time(&self) -> Option<OffsetDateTime> {
        parse_time(self.expires_date.as_deref()?)
    }
}

fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &Rfc3339).ok()
}

/// Khipu's answer to `POST /payments` (`PaymentsCreateResponse` in the API reference,
/// plus `webpay_url`, `hites_url` and `payme_url`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentsCreateResponse {
    /// Khipu's id of the new payment.
    pub payment_id: String,
    /// The main payment URL: send the payer here.
    #[serde(default)]
    pub payment_url: Option<String>,
    /// The simplified-transfer URL.
    #[serde(default)]
    pub simplified_transfer_url: Option<String>,
    /// The normal-transfer URL.
    #[serde(default)]
    pub transfer_url: Option<String>,
    /// The URL that opens the payment in Khipu's mobile app.
    #[serde(default)]
    pub app_url: Option<String>,
    /// Whether the payment can open Khipu's payment app directly.
    #[serde(default)]
    pub ready_for_terminal: Option<bool>,
    /// A Webpay URL, when enabled for the account.
    #[serde(default)]
    pub webpay_url: Option<String>,
    /// A Hites URL, when enabled for the account.
    #[serde(default)]
    pub hites_url: Option<String>,
    /// A PayMe URL, when enabled for the account.
    #[serde(default)]
    pub payme_url: Option<String>,
    /// Khipu's answer exactly as received.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// Khipu's plain success answer (`SuccessResponse` in the API reference), to
/// `DELETE /payments/{id}`, `POST /payments/{id}/confirm` and
/// `POST /payments/{id}/refunds`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SuccessResponse {
    /// A message to show the user.
    #[serde(default)]
    pub message: Option<String>,
    /// Khipu's answer exactly as received; `null` when the body was empty (a success
    /// without a message).
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl SuccessResponse {
    /// Reads a success answer: an empty (or blank) body is a success without a message.
    ///
    /// # Errors
    /// [`Error::OutcomeUnknown`] for a body that is neither blank nor the JSON object.
    pub fn parse(response: &Response) -> Result<SuccessResponse> {
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(SuccessResponse::default());
        }
        let (mut answer, raw): (SuccessResponse, Raw) = response.json_with_raw()?;
        answer.raw = raw;
        Ok(answer)
    }
}

/// The form parameters of `POST /payments`, every field in the API reference.
///
/// Built with [`CreatePaymentRequest::builder`], which validates; the client validates
/// again before sending, so a request changed after `build()` is still checked.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_khipu::CreatePaymentRequest;
///
/// let req = CreatePaymentRequest::builder("Orden 42", Money::parse("1000", Currency::Clp)?)
///     .transaction_id("orden-42")
///     .notify_url("https://shop.example/khipu/notify")
///     .build()?;
/// assert_eq!(req.notify_api_version.as_deref(), Some("1.3"));
/// let form = req.to_form()?;
/// assert_eq!(form[0], ("subject", "Orden 42".to_string()));
/// assert_eq!(form[2], ("amount", "1000".to_string()));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreatePaymentRequest {
    /// `subject` (required): the reason for the charge.
    pub subject: String,
    /// `amount` and `currency` (required).
    pub amount: Money,
    /// `transaction_id`: the merchant's own id (order or invoice number).
    pub transaction_id: Option<String>,
    /// `custom`: free-form data (e.g. an XML shopping cart).
    pub custom: Option<String>,
    /// `body`: the description.
    pub body: Option<String>,
    /// `bank_id`: the bank to pay with.
    pub bank_id: Option<String>,
    /// `return_url`: where the payer goes while the payment is verified.
    pub return_url: Option<String>,
    /// `cancel_url`: where the payer goes after giving up.
    pub cancel_url: Option<String>,
    /// `picture_url`: a picture of the product.
    pub picture_url: Option<String>,
    /// `notify_url`: the web service Khipu notifies when the payment is reconciled.
    pub notify_url: Option<String>,
    /// `contract_url`: a PDF contract to sign with the payment (requires
    /// `fixed_payer_personal_identifier`).
    pub contract_url: Option<String>,
    /// `notify_api_version` (the builder sets `1.3` when `notify_url` is set).
    pub notify_api_version: Option<String>,
    /// `expires_date`: after it the charge is void (sent as ISO-8601 UTC).
    pub expires_date: Option<OffsetDateTime>,
    /// `send_email`: e-mail the charge to `payer_email` (requires `payer_name` and
    /// `payer_email`).
    pub send_email: Option<bool>,
    /// `payer_name`.
    pub payer_name: Option<String>,
    /// `payer_email`.
    pub payer_email: Option<String>,
    /// `send_reminders`: send payment reminders.
    pub send_reminders: Option<bool>,
    /// `responsible_user_email`: a Khipu user allowed to collect with this account.
    pub responsible_user_email: Option<String>,
    /// `fixed_payer_personal_identifier`: only this payer (RUT in Chile) may pay.
    pub fixed_payer_personal_identifier: Option<String>,
    /// `integrator_fee`: the integrator's commission, in the payment's currency.
    pub integrator_fee: Option<Decimal>,
    /// `collect_account_uuid`: which of the merchant's accounts receives the transfer.
    pub collect_account_uuid: Option<String>,
    /// `confirm_timeout_date`: the settlement date, also the last day to refund
    /// (sent as ISO-8601 UTC).
    pub confirm_timeout_date: Option<OffsetDateTime>,
}

impl CreatePaymentRequest {
    /// Starts a builder with the required fields.
    pub fn builder(subject: impl Into<String>, amount: Money) -> CreatePaymentRequestBuilder {
        CreatePaymentRequestBuilder {
            inner: CreatePaymentRequest {
                subject: subject.into(),
                amount,
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
            },
        }
    }

    /// Whether the payment is in Chilean money, so its payer is identified by a RUT.
    fn is_chilean(&self) -> bool {
        matches!(self.amount.currency(), Currency::Clp | Currency::Clf)
    }

    /// Checks every field without any I/O.
    ///
    /// - `subject` not blank; `amount` positive, in a currency Khipu takes, within its
    ///   precision and 16 characters ([`crate::amount`]);
    /// - optional text fields, when set, not blank;
    /// - every URL field an absolute `http(s)` URL; e-mails well formed;
    /// - `send_email = true` needs `payer_name` and `payer_email`;
    /// - `contract_url` needs `fixed_payer_personal_identifier`;
    /// - `fixed_payer_personal_identifier` must be a valid RUT when the payment is in
    ///   CLP or CLF: a Chilean payment is paid from a Chilean bank account, whose owner
    ///   Khipu identifies by RUT. In other currencies only non-blank is checked, since
    ///   the identifier's format depends on the country;
    /// - `integrator_fee` positive and within the currency's precision;
    /// - dates representable as ISO-8601.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field (wire names).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_form().map(|_| ())
    }

    /// Validates and returns the form parameters exactly as sent (and signed), in the
    /// API reference's order, absent fields left out.
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn to_form(&self) -> Result<Vec<(&'static str, String)>, ValidationError> {
        validate::non_empty("subject", &self.subject)?;
        let amount = amount::to_wire("amount", &self.amount)?;
        for (field, value) in [
            ("transaction_id", &self.transaction_id),
            ("bank_id", &self.bank_id),
            ("notify_api_version", &self.notify_api_version),
            ("payer_name", &self.payer_name),
            (
                "fixed_payer_personal_identifier",
                &self.fixed_payer_personal_identifier,
            ),
            ("collect_account_uuid", &self.collect_account_uuid),
        ] {
            if let Some(v) = value {
                validate::non_empty(field, v)?;
            }
        }
        for (field, value) in [
            ("return_url", &self.return_url),
            ("cancel_url", &self.cancel_url),
            ("picture_url", &self.picture_url),
            ("notify_url", &self.notify_url),
            ("contract_url", &self.contract_url),
        ] {
            if let Some(v) = value {
                validate::http_url(field, v)?;
            }
        }
        for (field, value) in [
            ("payer_email", &self.payer_email),
            ("responsible_user_email", &self.responsible_user_email),
        ] {
            if let Some(v) = value {
                validate::email(field, v)?;
            }
        }
        if self.send_email == Some(true) {
            if self.payer_name.is_none() {
                return Err(ValidationError::new(
                    "payer_name",
                    "is required when send_email is true",
                ));
            }
            if self.payer_email.is_none() {
                return Err(ValidationError::new(
                    "payer_email",
                    "is required when send_email is true",
                ));
            }
        }
        if self.contract_url.is_some() && self.fixed_payer_personal_identifier.is_none() {
            return Err(ValidationError::new(
                "fixed_payer_personal_identifier",
                "is required when contract_url is set",
            ));
        }
        if let Some(id) = &self.fixed_payer_personal_identifier
            && self.is_chilean()
        {
            validate::rut("fixed_payer_personal_identifier", id)?;
        }
        let integrator_fee = match self.integrator_fee {
            Some(fee) => {
                let money = Money::new(fee, self.amount.currency())
                    .map_err(|e| e.for_field("integrator_fee"))?;
                Some(amount::to_wire("integrator_fee", &money)?)
            }
            None => None,
        };
        let expires_date = self
            .expires_date
            .map(|d| iso8601("expires_date", d))
            .transpose()?;
        let confirm_timeout_date = self
            .confirm_timeout_date
            .map(|d| iso8601("confirm_timeout_date", d))
            .transpose()?;

        let flag = |b: bool| if b { "true" } else { "false" }.to_string();
        let fields: [(&'static str, Option<String>); 23] = [
            ("subject", Some(self.subject.clone())),
            ("currency", Some(self.amount.currency().code().to_string())),
            ("amount", Some(amount)),
            ("transaction_id", self.transaction_id.clone()),
            ("custom", self.custom.clone()),
            ("body", self.body.clone()),
            ("bank_id", self.bank_id.clone()),
            ("return_url", self.return_url.clone()),
            ("cancel_url", self.cancel_url.clone()),
            ("picture_url", self.picture_url.clone()),
            ("notify_url", self.notify_url.clone()),
            ("contract_url", self.contract_url.clone()),
            ("notify_api_version", self.notify_api_version.clone()),
            ("expires_date", expires_date),
            ("send_email", self.send_email.map(flag)),
            ("payer_name", self.payer_name.clone()),
            ("payer_email", self.payer_email.clone()),
            ("send_reminders", self.send_reminders.map(flag)),
            (
                "responsible_user_email",
                self.responsible_user_email.clone(),
            ),
            (
                "fixed_payer_personal_identifier",
                self.fixed_payer_personal_identifier.clone(),
            ),
            ("integrator_fee", integrator_fee),
            ("collect_account_uuid", self.collect_account_uuid.clone()),
            ("confirm_timeout_date", confirm_timeout_date),
        ];
        Ok(fields
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect())
    }
}

/// Formats a date the way Khipu documents it: ISO-8601 in UTC, whole seconds
/// (`2017-03-01T13:00:00Z`).
pub(crate) fn iso8601(field: &'static str, at: OffsetDateTime) -> Result<String, ValidationError> {
    // `checked_to_offset`: `to_offset` panics when the UTC date is past year 9999.
    at.checked_to_offset(time::UtcOffset::UTC)
        .and_then(|d| d.replace_nanosecond(0).ok())
        .and_then(|d| d.format(&Rfc3339).ok())
        .ok_or_else(|| ValidationError::new(field, format!("{at} cannot be written as ISO-8601")))
}

/// Builder for [`CreatePaymentRequest`].
#[derive(Debug, Clone)]
#[must_use]
pub struct CreatePaymentRequestBuilder {
    inner: CreatePaymentRequest,
}

macro_rules! text_setters {
    ($( $(#[$doc:meta])* $name:ident ),* $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: impl Into<String>) -> Self {
                self.inner.$name = Some(value.into());
                self
            }
        )*
    };
}

impl CreatePaymentRequestBuilder {
    text_setters! {
        /// Sets `transaction_id`.
        transaction_id,
        /// Sets `custom`.
        custom,
        /// Sets `body`.
        body,
        /// Sets `bank_id`.
        bank_id,
        /// Sets `return_url`.
        return_url,
        /// Sets `cancel_url`.
        cancel_url,
        /// Sets `picture_url`.
        picture_url,
        /// Sets `notify_url` (and `notify_api_version` `1.3` unless set explicitly).
        notify_url,
        /// Sets `contract_url`.
        contract_url,
        /// Sets `notify_api_version` (default `1.3` when `notify_url` is set).
        notify_api_version,
        /// Sets `payer_name`.
        payer_name,
        /// Sets `payer_email`.
        payer_email,
        /// Sets `responsible_user_email`.
        responsible_user_email,
        /// Sets `fixed_payer_personal_identifier`.
        fixed_payer_personal_identifier,
        /// Sets `collect_account_uuid`.
        collect_account_uuid,
    }

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

    /// Sets `send_email`.
    pub fn send_email(mut self, send: bool) -> Self {
        self.inner.send_email = Some(send);
        self
    }

    /// Sets `send_reminders`.
    pub fn send_reminders(mut self, send: bool) -> Self {
        self.inner.send_reminders = Some(send);
        self
    }

    /// Sets `integrator_fee`, in the payment's currency.
    pub fn integrator_fee(mut self, fee: Decimal) -> Self {
        self.inner.integrator_fee = Some(fee);
        self
    }

    /// Validates and returns the request.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the first bad field (see
    /// [`CreatePaymentRequest::validate`]).
    pub fn build(mut self) -> Result<CreatePaymentRequest, Error> {
        if self.inner.notify_url.is_some() && self.inner.notify_api_version.is_none() {
            self.inner.notify_api_version = Some(NOTIFY_API_VERSION.to_string());
        }
        self.inner.validate()?;
        Ok(self.inner)
    }
}

/// Checks a payment id before it becomes a path segment: a blank id, a dot segment
/// (`..` would turn `DELETE /payments/{id}` into `DELETE /`) or a control character is
/// refused under the caller's name for it, before anything is signed or sent.
fn payment_id(id: &str) -> Result<&str, ValidationError> {
    validate::path_id("payment_id", id)?;
    Ok(id)
}

/// Reads a payment answer, keeping it as received.
fn parse_payment(response: &Response) -> Result<PaymentsResponse> {
    let (mut payment, raw): (PaymentsResponse, Raw) = response.json_with_raw()?;
    payment.raw = raw;
    Ok(payment)
}

/// No query or form parameters.
const NONE: &[(&str, &str)] = &[];

/// `POST /payments` ("Crear un pago", `paymentsPost`): creates a payment; send the
/// payer to its `payment_url`.
///
/// Sent once, never retried after it may have reached Khipu: Khipu documents no
/// idempotency key and does not deduplicate `transaction_id`. When the outcome is
/// unknown (timeout, lost connection, 5xx, undecodable answer) the error's hint says
/// how to find the payment by `transaction_id` before creating it again.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_khipu::payments::CreatePayment;
/// use pagos_khipu::{CreatePaymentRequest, KhipuClient};
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let client = KhipuClient::builder().receiver_id("1234").secret("abc123").build()?;
/// let request = CreatePaymentRequest::builder("Test", Money::parse("1000", Currency::Clp)?).build()?;
/// // The request exactly as it would be sent, signature included; nothing is sent.
/// let signed = client.executor().authorized(&CreatePayment::new(&request)).await?;
/// assert_eq!(signed.url().as_str(), "https://khipu.com/api/2.0/payments");
/// assert_eq!(signed.body_bytes(), b"subject=Test&currency=CLP&amount=1000");
/// assert_eq!(
///     signed.header_str("authorization"),
///     Some("1234:59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659")
/// );
/// // Sending it: `client.run(&CreatePayment::new(&request)).await?`,
/// // or `client.payments().create(&request).await?`.
/// # Ok::<(), pagos_core::Error>(()) }).unwrap();
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CreatePayment<'a> {
    request: &'a CreatePaymentRequest,
}

impl<'a> CreatePayment<'a> {
    /// Creates `request` (validated again when described, so a request changed after
    /// `build()` is still checked).
    pub fn new(request: &'a CreatePaymentRequest) -> Self {
        CreatePayment { request }
    }
}

impl Endpoint for CreatePayment<'_> {
    type Output = PaymentsCreateResponse;
    const OPERATION: &'static str = "create_payment";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let form = self.request.to_form()?;
        let url = base.join(&["payments"])?;
        Ok(form_request(
            Method::POST,
            url,
            Self::OPERATION,
            NONE,
            &form,
        )?)
    }

    fn parse(&self, response: &Response) -> Result<PaymentsCreateResponse> {
        let (mut created, raw): (PaymentsCreateResponse, Raw) = response.json_with_raw()?;
        created.raw = raw;
        Ok(created)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(outcome_hint(self.request.transaction_id.as_deref()))
    }
}

/// `GET /payments/{id}` ("Obtener información de un pago", `paymentsIdGet`): a payment
/// by Khipu's id.
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
    type Output = PaymentsResponse;
    const OPERATION: &'static str = "get_payment";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    /// # Errors
    /// [`Error::Validation`] on `payment_id` for an id that is blank or would change
    /// the path (see [`pagos_core::validate::path_id`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let url = base.join(&["payments", payment_id(self.id)?])?;
        Ok(form_request(Method::GET, url, Self::OPERATION, NONE, NONE)?)
    }

    fn parse(&self, response: &Response) -> Result<PaymentsResponse> {
        parse_payment(response)
    }
}

/// `GET /payments?notification_token=…` ("Obtener información de un pago",
/// `paymentsGet`): a payment by the token Khipu posted to `notify_url` (notification
/// API 1.3). See also [`KhipuClient::verify_notification`].
#[derive(Debug, Clone, Copy)]
pub struct GetPaymentByNotificationToken<'a> {
    token: &'a str,
}

impl<'a> GetPaymentByNotificationToken<'a> {
    /// Fetches the payment notified with `token`.
    pub fn new(token: &'a str) -> Self {
        GetPaymentByNotificationToken { token }
    }
}

impl Endpoint for GetPaymentByNotificationToken<'_> {
    type Output = PaymentsResponse;
    const OPERATION: &'static str = "get_payment_by_notification_token";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    /// # Errors
    /// [`Error::Validation`] on `notification_token` for a blank token, a dot segment
    /// or a control character.
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        // A query value cannot change the path, but the token usually comes from an
        // unauthenticated POST: a blank, dot-only or control-character token is no
        // token Khipu issues, so it is refused before anything is signed or sent.
        validate::path_id("notification_token", self.token)?;
        let url = base.join(&["payments"])?;
        let query = [("notification_token", self.token)];
        Ok(form_request(
            Method::GET,
            url,
            Self::OPERATION,
            &query,
            NONE,
        )?)
    }

    fn parse(&self, response: &Response) -> Result<PaymentsResponse> {
        parse_payment(response)
    }
}

/// `DELETE /payments/{id}` ("Borrar un pago", `paymentsIdDelete`): deletes a payment
/// that is still pending; Khipu refuses to delete any other. It cannot be undone.
///
/// Sent once: a resent delete after a lost answer is refused although the first one
/// worked.
#[derive(Debug, Clone, Copy)]
pub struct DeletePayment<'a> {
    id: &'a str,
}

impl<'a> DeletePayment<'a> {
    /// Deletes the payment `id`.
    pub fn new(id: &'a str) -> Self {
        DeletePayment { id }
    }
}

impl Endpoint for DeletePayment<'_> {
    type Output = SuccessResponse;
    const OPERATION: &'static str = "delete_payment";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// # Errors
    /// [`Error::Validation`] on `payment_id` (see [`pagos_core::validate::path_id`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let url = base.join(&["payments", payment_id(self.id)?])?;
        Ok(form_request(
            Method::DELETE,
            url,
            Self::OPERATION,
            NONE,
            NONE,
        )?)
    }

    fn parse(&self, response: &Response) -> Result<SuccessResponse> {
        SuccessResponse::parse(response)
    }
}

/// `POST /payments/{id}/confirm` ("Confirmar el pago", `paymentsIdConfirmPost`):
/// confirms a payment so it is settled the next day. Sent once.
#[derive(Debug, Clone, Copy)]
pub struct ConfirmPayment<'a> {
    id: &'a str,
}

impl<'a> ConfirmPayment<'a> {
    /// Confirms the payment `id`.
    pub fn new(id: &'a str) -> Self {
        ConfirmPayment { id }
    }
}

impl Endpoint for ConfirmPayment<'_> {
    type Output = SuccessResponse;
    const OPERATION: &'static str = "confirm_payment";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// # Errors
    /// [`Error::Validation`] on `payment_id` (see [`pagos_core::validate::path_id`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let url = base.join(&["payments", payment_id(self.id)?, "confirm"])?;
        Ok(form_request(
            Method::POST,
            url,
            Self::OPERATION,
            NONE,
            NONE,
        )?)
    }

    fn parse(&self, response: &Response) -> Result<SuccessResponse> {
        SuccessResponse::parse(response)
    }
}

/// `POST /payments/{id}/refunds` ("Reembolsar total o parcialmente un pago",
/// `paymentsIdRefundsPost`): refunds a payment in full (no amount) or in part. Only for
/// merchants collecting in a Khipu account, before the funds are settled.
///
/// Sent once: Khipu does not deduplicate refunds, so a resend could refund twice.
#[derive(Debug, Clone, Copy)]
pub struct RefundPayment<'a> {
    id: &'a str,
    amount: Option<&'a Money>,
}

impl<'a> RefundPayment<'a> {
    /// Refunds `amount` of the payment `id`, or all of it when `amount` is `None`.
    pub fn new(id: &'a str, amount: Option<&'a Money>) -> Self {
        RefundPayment { id, amount }
    }
}

impl Endpoint for RefundPayment<'_> {
    type Output = SuccessResponse;
    const OPERATION: &'static str = "refund_payment";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// # Errors
    /// [`Error::Validation`] on `payment_id` (see [`pagos_core::validate::path_id`]) or
    /// on `amount` for an amount Khipu cannot take ([`crate::amount`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let url = base.join(&["payments", payment_id(self.id)?, "refunds"])?;
        let form = match self.amount {
            Some(m) => vec![("amount", amount::to_wire("amount", m)?)],
            None => Vec::new(),
        };
        Ok(form_request(
            Method::POST,
            url,
            Self::OPERATION,
            NONE,
            &form,
        )?)
    }

    fn parse(&self, response: &Response) -> Result<SuccessResponse> {
        SuccessResponse::parse(response)
    }
}

/// The payments resource. Get one with [`KhipuClient::payments`]; each method runs one
/// endpoint of this module.
#[derive(Debug, Clone, Copy)]
pub struct Payments<'a> {
    client: &'a KhipuClient,
}

impl<'a> Payments<'a> {
    pub(crate) fn new(client: &'a KhipuClient) -> Self {
        Payments { client }
    }

    /// Creates a payment ([`CreatePayment`]); send the payer to `payment_url`.
    ///
    /// # Errors
    /// [`Error::Validation`] before sending; [`Error::Provider`] when Khipu refuses;
    /// [`Error::OutcomeUnknown`] with a hint to look the payment up by
    /// `transaction_id`.
    pub async fn create(&self, request: &CreatePaymentRequest) -> Result<PaymentsCreateResponse> {
        self.client.run(&CreatePayment::new(request)).await
    }

    /// Fetches a payment by Khipu's id ([`GetPayment`]).
    ///
    /// # Errors
    /// [`Error::Validation`] on `payment_id` for an id that is blank or would change the
    /// path; otherwise see [`Error`].
    pub async fn get(&self, id: &str) -> Result<PaymentsResponse> {
        self.client.run(&GetPayment::new(id)).await
    }

    /// Fetches a payment by the token Khipu sent to `notify_url`
    /// ([`GetPaymentByNotificationToken`]). See also
    /// [`KhipuClient::verify_notification`].
    ///
    /// # Errors
    /// [`Error::Validation`] on `notification_token`; otherwise see [`Error`].
    pub async fn get_by_notification_token(&self, token: &str) -> Result<PaymentsResponse> {
        self.client
            .run(&GetPaymentByNotificationToken::new(token))
            .await
    }

    /// Deletes a pending payment ([`DeletePayment`]).
    ///
    /// # Errors
    /// [`Error::Validation`] on `payment_id`; otherwise see [`Error`].
    pub async fn delete(&self, id: &str) -> Result<SuccessResponse> {
        self.client.run(&DeletePayment::new(id)).await
    }

    /// Confirms a payment so it is settled ([`ConfirmPayment`]).
    ///
    /// # Errors
    /// [`Error::Validation`] on `payment_id`; otherwise see [`Error`].
    pub async fn confirm(&self, id: &str) -> Result<SuccessResponse> {
        self.client.run(&ConfirmPayment::new(id)).await
    }

    /// Refunds a payment in full (`amount` `None`) or in part ([`RefundPayment`]).
    ///
    /// # Errors
    /// [`Error::Validation`] on `payment_id` or `amount`; otherwise see [`Error`].
    pub async fn refund(&self, id: &str, amount: Option<&Money>) -> Result<SuccessResponse> {
        self.client.run(&RefundPayment::new(id, amount)).await
    }
}

fn outcome_hint(transaction_id: Option<&str>) -> String {
    match transaction_id {
        Some(id) => format!(
            "the payment may have been created: look it up by transaction_id {id:?} \
             (Khipu's merchant panel, or the notification to notify_url) before creating it again"
        ),
        None => "the payment may have been created: look it up in Khipu's merchant panel \
                 before creating it again (set transaction_id so it can be found)"
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn clp(s: &str) -> Money {
        Money::parse(s, Currency::Clp).unwrap()
    }

    fn field(r: Result<CreatePaymentRequest>) -> String {
        match r {
            Err(Error::Validation(v)) => v.field().to_string(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn enums_keep_unknown_values() {
        assert_eq!(KhipuStatus::from("done"), KhipuStatus::Done);
        assert_eq!(
            KhipuStatus::from("archived"),
            KhipuStatus::Unknown("archived".into())
        );
        assert_eq!(
            StatusDetail::from("marked-paid-by-receiver"),
            StatusDetail::MarkedPaidByReceiver
        );
        assert_eq!(StatusDetail::Reversed.to_string(), "reversed");
        assert_eq!(
            PaymentMethod::from("webpay"),
            PaymentMethod::Unknown("webpay".into())
        );
        assert_eq!(PaymentMethod::Unknown("webpay".into()).as_str(), "webpay");
    }

    #[test]
    fn every_field_reaches_the_form_in_order() {
        let req = CreatePaymentRequest::builder("Compra", clp("1000"))
            .transaction_id("T-1")
            .custom("<xml/>")
            .body("Detalle")
            .bank_id("SDdGj")
            .return_url("https://s.cl/ok")
            .cancel_url("https://s.cl/cancel")
            .picture_url("https://s.cl/p.png")
            .notify_url("https://s.cl/notify")
            .contract_url("https://s.cl/c.pdf")
            .expires_date(datetime!(2017-03-01 10:00:00.5 -3))
            .send_email(true)
            .payer_name("Ana")
            .payer_email("ana@s.cl")
            .send_reminders(false)
            .responsible_user_email("boss@s.cl")
            .fixed_payer_personal_identifier("76.086.428-5")
            .integrator_fee(Decimal::new(10, 0))
            .collect_account_uuid("uuid-1")
            .confirm_timeout_date(datetime!(2017-03-02 13:00:00 UTC))
            .build()
            .unwrap();
        let form = req.to_form().unwrap();
        let keys: Vec<&str> = form.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys.len(), 23);
        assert_eq!(
            keys,
            [
                "subject",
                "currency",
                "amount",
                "transaction_id",
                "custom",
                "body",
                "bank_id",
                "return_url",
                "cancel_url",
                "picture_url",
                "notify_url",
                "contract_url",
                "notify_api_version",
                "expires_date",
                "send_email",
                "payer_name",
                "payer_email",
                "send_reminders",
                "responsible_user_email",
                "fixed_payer_personal_identifier",
                "integrator_fee",
                "collect_account_uuid",
                "confirm_timeout_date"
            ]
        );
        let get = |k: &str| form.iter().find(|(key, _)| *key == k).unwrap().1.as_str();
        assert_eq!(get("notify_api_version"), "1.3");
        assert_eq!(get("expires_date"), "2017-03-01T13:00:00Z");
        assert_eq!(get("confirm_timeout_date"), "2017-03-02T13:00:00Z");
        assert_eq!(get("send_email"), "true");
        assert_eq!(get("send_reminders"), "false");
        assert_eq!(get("integrator_fee"), "10");
    }

    #[test]
    fn validation_names_the_field() {
        let b = || CreatePaymentRequest::builder("Compra", clp("1000"));
        assert_eq!(
            field(CreatePaymentRequest::builder(" ", clp("1")).build()),
            "subject"
        );
        assert_eq!(
            field(CreatePaymentRequest::builder("x", clp("0")).build()),
            "amount"
        );
        assert_eq!(field(b().return_url("ftp://x.cl").build()), "return_url");
        assert_eq!(field(b().cancel_url("/rel").build()), "cancel_url");
        assert_eq!(field(b().picture_url("x").build()), "picture_url");
        assert_eq!(field(b().notify_url("mailto:a@b.cl").build()), "notify_url");
        assert_eq!(
            field(b().contract_url("https://x.cl/c.pdf").build()),
            "fixed_payer_personal_identifier"
        );
        assert_eq!(field(b().payer_email("nope").build()), "payer_email");
        assert_eq!(
            field(b().responsible_user_email("a@b").build()),
            "responsible_user_email"
        );
        assert_eq!(
            field(b().send_email(true).payer_email("a@b.cl").build()),
            "payer_name"
        );
        assert_eq!(
            field(b().send_email(true).payer_name("Ana").build()),
            "payer_email"
        );
        assert!(b().send_email(false).build().is_ok());
        assert_eq!(
            field(b().fixed_payer_personal_identifier("76086428-4").build()),
            "fixed_payer_personal_identifier"
        );
        assert_eq!(field(b().transaction_id("").build()), "transaction_id");
        assert_eq!(
            field(b().integrator_fee(Decimal::new(5, 1)).build()),
            "integrator_fee"
        );
        assert_eq!(
            field(b().integrator_fee(Decimal::ZERO).build()),
            "integrator_fee"
        );
        // Outside Chile the identifier is only checked for blankness.
        let usd = Money::parse("10", Currency::Usd).unwrap();
        assert!(
            CreatePaymentRequest::builder("x", usd)
                .fixed_payer_personal_identifier("A-123")
                .build()
                .is_ok()
        );
    }

    #[test]
    fn dates_are_utc_whole_seconds() {
        assert_eq!(
            iso8601("d", datetime!(2024-12-31 21:30:59.999 -3)).unwrap(),
            "2025-01-01T00:30:59Z"
        );
        // Past year 9999 in UTC: a validation error, not a panic.
        assert_eq!(
            iso8601("d", datetime!(9999-12-31 23:00:00 -5))
                .unwrap_err()
                .field(),
            "d"
        );
    }

    #[test]
    fn money_and_times_of_a_response() {
        let p: PaymentsResponse = serde_json::from_str(
            r#"{"payment_id":"x","amount":"200.0000","currency":"CLP","conciliation_date":"2017-03-01T13:00:00.000Z","expires_date":"not a date"}"#,
        )
        .unwrap();
        assert_eq!(p.money().unwrap().to_plain_string(), "200");
        assert_eq!(
            p.conciliation_time().unwrap().unix_timestamp(),
            1_488_373_200
        );
        assert!(p.expires_time().is_none());
        assert_eq!(p.unified_status(), PaymentStatus::Unknown(String::new()));
    }
}
