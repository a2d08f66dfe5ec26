//! PAC charge intents: `POST /v1/automatic-payment/charge-intent`.
//!
//! Khipu answers **201** `{"payment_id":…}` (its newest contract) or **200** (the
//! contract published until 2026-09, still served to older accounts): both are a
//! created charge. A refusal of the charge itself is **422**
//! `{"error_code":…,"error_message":…}`, read with [`ChargeError::from_error`].

use std::fmt;

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{
    BaseUrl, Decimal, Error, Raw, Request, Response, Result, ValidationError, validate,
};
use serde::{Deserialize, Serialize};

use crate::amount::JsonNumber;
use crate::de;
use crate::payments::wire_enum;
use crate::v3::{KhipuV3Client, json_request, parse_json};

/// The notification version a charge asks for by default: the signed webhook.
pub const NOTIFY_API_VERSION: &str = "3.0";

wire_enum! {
    /// `ChargeError.error_code`.
    ChargeErrorCode {
        /// The amount exceeds the subscription's per-charge maximum.
        MaxAmountPerChargeExceeded = "MAX_AMOUNT_PER_CHARGE_EXCEEDED",
        /// The month's charges would exceed the monthly maximum.
        MaxMonthlyAmountExceeded = "MAX_MONTHLY_AMOUNT_EXCEEDED",
        /// The subscription is not `ENABLED`.
        SubscriptionNotChargeable = "SUBSCRIPTION_NOT_CHARGEABLE",
        /// The currency is not the subscription's.
        CurrencyMismatch = "CURRENCY_MISMATCH",
        /// The amount is invalid.
        InvalidAmount = "INVALID_AMOUNT",
        /// An idempotency key was reused (Khipu lists it; the request defines no key).
        IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED",
        /// The payload is invalid.
        InvalidPayload = "INVALID_PAYLOAD",
        /// The merchant could not be resolved.
        MerchantIdNotResolved = "MERCHANT_ID_NOT_RESOLVED",
    }
}

/// A charge Khipu refused with 422 (`ChargeError`). Members may be missing (an
/// incomplete 422 is kept as it came, its body in `raw_body`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChargeError {
    /// The code, typed; unknown codes kept.
    pub error_code: Option<ChargeErrorCode>,
    /// Khipu's message.
    pub error_message: Option<String>,
    /// The body as received (credentials redacted).
    pub raw_body: String,
}

#[derive(Deserialize)]
struct ChargeErrorWire {
    #[serde(default, deserialize_with = "de::opt_text")]
    error_code: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    error_message: Option<String>,
}

impl ChargeError {
    /// The charge error inside `error`, when it is Khipu's 422 refusal of a charge.
    ///
    /// ```
    /// use pagos_core::Response;
    /// use pagos_khipu::pac::charges::{ChargeError, ChargeErrorCode};
    /// let answer = Response::new("khipu", "create_charge", 422,
    ///     r#"{"error_code":"MAX_AMOUNT_PER_CHARGE_EXCEEDED","error_message":"too much"}"#);
    /// let refusal = pagos_khipu::v3::error::refusal(&answer).unwrap();
    /// let e = ChargeError::from_error(&answer.refusal(refusal)).unwrap();
    /// assert_eq!(e.error_code, Some(ChargeErrorCode::MaxAmountPerChargeExceeded));
    /// ```
    pub fn from_error(error: &Error) -> Option<ChargeError> {
        let p = error.as_provider_error()?;
        if p.http_status != 422 {
            return None;
        }
        let wire: Option<ChargeErrorWire> = serde_json::from_str(&p.raw_body).ok();
        let (code, message) = wire.map_or((None, None), |w| (w.error_code, w.error_message));
        Some(ChargeError {
            error_code: code.map(ChargeErrorCode::from),
            error_message: message,
            raw_body: p.raw_body.clone(),
        })
    }
}

/// The created charge: the Khipu payment it became.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ChargeResult {
    /// The payment (fetch it with `GET /v3/payments/{id}`).
    #[serde(deserialize_with = "de::text")]
    pub payment_id: String,
    /// Khipu's answer exactly as received.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// The body of a charge intent. There is no currency: the subscription's applies.
///
/// ```
/// use pagos_khipu::pac::charges::ChargeRequest;
/// let r = ChargeRequest::builder("sub-1", "15000".parse().unwrap(), "Cuota marzo")
///     .urls("https://x.cl/err", "https://x.cl/notify")
///     .transaction_id("c-3")
///     .build()?;
/// assert_eq!(r.to_json()?, r#"{"subscription_id":"sub-1","amount":15000,"subject":"Cuota marzo","error_response_url":"https://x.cl/err","notify_url":"https://x.cl/notify","transaction_id":"c-3","notify_api_version":"3.0"}"#);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChargeRequest {
    /// `subscription_id`.
    pub subscription_id: String,
    /// `amount`: positive, at most 4 decimals, sent as an exact JSON number.
    pub amount: Decimal,
    /// `subject` (≤ 255).
    pub subject: String,
    /// `error_response_url` (required).
    pub error_response_url: String,
    /// `notify_url` (required).
    pub notify_url: String,
    /// `body`.
    pub body: Option<String>,
    /// `custom`.
    pub custom: Option<String>,
    /// `transaction_id`.
    pub transaction_id: Option<String>,
    /// `notify_api_version` (the builder sets `3.0`).
    pub notify_api_version: Option<String>,
}

#[derive(Serialize)]
struct ChargeBody<'a> {
    subscription_id: &'a str,
    amount: JsonNumber,
    subject: &'a str,
    error_response_url: &'a str,
    notify_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transaction_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notify_api_version: Option<&'a str>,
}

impl ChargeRequest {
    /// Starts a builder; set both URLs with [`urls`](ChargeRequestBuilder::urls).
    pub fn builder(
        subscription_id: impl Into<String>,
        amount: Decimal,
        subject: impl Into<String>,
    ) -> ChargeRequestBuilder {
        ChargeRequestBuilder {
            inner: ChargeRequest {
                subscription_id: subscription_id.into(),
                amount,
                subject: subject.into(),
                error_response_url: String::new(),
                notify_url: String::new(),
                body: None,
                custom: None,
                transaction_id: None,
                notify_api_version: Some(NOTIFY_API_VERSION.to_string()),
            },
        }
    }

    fn wire(&self) -> Result<ChargeBody<'_>, ValidationError> {
        validate::non_empty("subscription_id", &self.subscription_id)?;
        let amount = JsonNumber::decimal("amount", self.amount)?;
        validate::non_empty("subject", &self.subject)?;
        validate::max_chars("subject", &self.subject, 255)?;
        validate::http_url("error_response_url", &self.error_response_url)?;
        validate::http_url("notify_url", &self.notify_url)?;
        for (field, v) in [
            ("transaction_id", &self.transaction_id),
            ("notify_api_version", &self.notify_api_version),
        ] {
            if let Some(v) = v {
                validate::non_empty(field, v)?;
            }
        }
        Ok(ChargeBody {
            subscription_id: &self.subscription_id,
            amount,
            subject: &self.subject,
            error_response_url: &self.error_response_url,
            notify_url: &self.notify_url,
            body: self.body.as_deref(),
            custom: self.custom.as_deref(),
            transaction_id: self.transaction_id.as_deref(),
            notify_api_version: self.notify_api_version.as_deref(),
        })
    }

    /// Checks every field: ids and subject not blank, amount positive with at most 4
    /// decimals, URLs absolute `http(s)`.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.wire().map(|_| ())
    }

    /// The JSON body exactly as sent.
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn to_json(&self) -> Result<String> {
        let body = self.wire()?;
        serde_json::to_string(&body)
            .map_err(|e| ValidationError::new("request", e.to_string()).into())
    }
}

/// Builder for [`ChargeRequest`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ChargeRequestBuilder {
    inner: ChargeRequest,
}

impl ChargeRequestBuilder {
    /// Sets `error_response_url` and `notify_url` (both required).
    pub fn urls(
        mut self,
        error_response_url: impl Into<String>,
        notify_url: impl Into<String>,
    ) -> Self {
        self.inner.error_response_url = error_response_url.into();
        self.inner.notify_url = notify_url.into();
        self
    }

    /// Sets `body`.
    pub fn body(mut self, v: impl Into<String>) -> Self {
        self.inner.body = Some(v.into());
        self
    }

    /// Sets `custom`.
    pub fn custom(mut self, v: impl Into<String>) -> Self {
        self.inner.custom = Some(v.into());
        self
    }

    /// Sets `transaction_id`.
    pub fn transaction_id(mut self, v: impl Into<String>) -> Self {
        self.inner.transaction_id = Some(v.into());
        self
    }

    /// Sets `notify_api_version` (default `3.0`).
    pub fn notify_api_version(mut self, v: impl Into<String>) -> Self {
        self.inner.notify_api_version = Some(v.into());
        self
    }

    /// Validates and returns the request.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the first bad field.
    pub fn build(self) -> Result<ChargeRequest> {
        self.inner.validate()?;
        Ok(self.inner)
    }
}

/// `POST /v1/automatic-payment/charge-intent`: charges an `ENABLED` subscription.
/// Sent once: a 5xx, timeout or unreadable answer is an unknown outcome (a second
/// charge would debit the customer twice).
#[derive(Debug, Clone, Copy)]
pub struct CreateCharge<'a> {
    request: &'a ChargeRequest,
}

impl<'a> CreateCharge<'a> {
    /// Charges `request`.
    pub fn new(request: &'a ChargeRequest) -> Self {
        CreateCharge { request }
    }
}

impl Endpoint for CreateCharge<'_> {
    type Output = ChargeResult;
    const OPERATION: &'static str = "create_charge";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let body = self.request.wire()?;
        let url = base.join(&["v1", "automatic-payment", "charge-intent"])?;
        json_request(Method::POST, url, Self::OPERATION, Some(&body))
    }

    /// Reads the 201 (or 200) answer.
    fn parse(&self, response: &Response) -> Result<ChargeResult> {
        let (mut c, raw): (ChargeResult, Raw) = parse_json(response)?;
        c.raw = raw;
        Ok(c)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(format!(
            "Khipu may have created the charge on subscription {}: wait for its notification or error_response_url callback, or check Khipu's dashboard, before charging again",
            self.request.subscription_id
        ))
    }
}

/// The charges resource. Get one with [`KhipuV3Client::charges`].
#[derive(Clone, Copy)]
pub struct Charges<'a> {
    client: &'a KhipuV3Client,
}

impl fmt::Debug for Charges<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Charges")
    }
}

impl<'a> Charges<'a> {
    pub(crate) fn new(client: &'a KhipuV3Client) -> Self {
        Charges { client }
    }

    /// [`CreateCharge`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`]; a 422 is [`Error::Provider`], read it with
    /// [`ChargeError::from_error`].
    pub async fn create(&self, request: &ChargeRequest) -> Result<ChargeResult> {
        self.client.run(&CreateCharge::new(request)).await
    }
}
