//! PAC subscriptions (bank mandates).

use std::fmt;

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{
    BaseUrl, Decimal, Money, Raw, Request, Response, Result, ValidationError, validate,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::amount::JsonNumber;
use crate::de;
use crate::v3::{KhipuV3Client, bare_request, json_request, parse_json};

/// A subscription's `status`, read case-insensitively (the callback sends
/// `"enabled"`, the API `ENABLED`); unknown values are kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubscriptionState {
    /// `PENDING`: not signed yet.
    Pending,
    /// `SIGNED`: signed, not yet enabled.
    Signed,
    /// `ENABLED`: charges may be made.
    Enabled,
    /// `DISABLED`.
    Disabled,
    /// `DISCARDED`: unsubscribed.
    Discarded,
    /// A value this SDK does not know, as sent.
    Unknown(String),
}

impl SubscriptionState {
    /// The upper-case name.
    pub fn as_str(&self) -> &str {
        match self {
            SubscriptionState::Pending => "PENDING",
            SubscriptionState::Signed => "SIGNED",
            SubscriptionState::Enabled => "ENABLED",
            SubscriptionState::Disabled => "DISABLED",
            SubscriptionState::Discarded => "DISCARDED",
            SubscriptionState::Unknown(s) => s,
        }
    }

    /// Whether a charge may be attempted (`ENABLED` only).
    pub fn is_chargeable(&self) -> bool {
        *self == SubscriptionState::Enabled
    }
}

impl From<&str> for SubscriptionState {
    fn from(s: &str) -> Self {
        match s.trim().to_ascii_uppercase().as_str() {
            "PENDING" => SubscriptionState::Pending,
            "SIGNED" => SubscriptionState::Signed,
            "ENABLED" => SubscriptionState::Enabled,
            "DISABLED" => SubscriptionState::Disabled,
            "DISCARDED" => SubscriptionState::Discarded,
            _ => SubscriptionState::Unknown(s.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for SubscriptionState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(|s| SubscriptionState::from(s.as_str()))
    }
}

impl Serialize for SubscriptionState {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The answer to creating a subscription.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreatedSubscription {
    /// The subscription's id (opaque).
    #[serde(deserialize_with = "de::text")]
    pub subscription_id: String,
    /// Where the customer signs the mandate.
    #[serde(default)]
    pub redirect_url: Option<String>,
    /// Khipu's answer exactly as received.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// A subscription's state (`SubscriptionStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SubscriptionStatus {
    /// The subscription's id.
    #[serde(deserialize_with = "de::text")]
    pub subscription_id: String,
    /// Its status.
    #[serde(default)]
    pub status: Option<SubscriptionState>,
    /// Whether it was created in developer mode.
    #[serde(default)]
    pub developer: Option<bool>,
    /// The service reference (`""` until signed).
    #[serde(default)]
    pub service_reference: Option<String>,
    /// Khipu's answer exactly as received.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// The body of `POST /v1/automatic-payment/subscription`.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_khipu::pac::subscriptions::SubscriptionRequest;
/// let r = SubscriptionRequest::builder("Ana", "ana@example.cl", Money::parse("50000", Currency::Clp)?)
///     .urls("https://x.cl/notify", "https://x.cl/ok", "https://x.cl/cancel")
///     .max_amount_per_charge("20000".parse().unwrap())
///     .build()?;
/// assert!(r.to_json()?.starts_with(r#"{"name":"Ana","email":"ana@example.cl","max_amount":50000,"max_amount_per_charge":20000,"currency":"CLP""#));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubscriptionRequest {
    /// `name` (≤ 255).
    pub name: String,
    /// `email` (≤ 255).
    pub email: String,
    /// `max_amount` and `currency`: the monthly maximum.
    pub max_amount: Money,
    /// `max_amount_per_charge`, in the same currency, ≤ `max_amount` (required by
    /// Khipu's newest specification; accounts on the older contract may omit it).
    pub max_amount_per_charge: Option<Decimal>,
    /// `notify_url` (required).
    pub notify_url: String,
    /// `return_url` (required).
    pub return_url: String,
    /// `cancel_url` (required).
    pub cancel_url: String,
    /// `service_reference`.
    pub service_reference: Option<String>,
    /// `image_url`.
    pub image_url: Option<String>,
    /// `description`.
    pub description: Option<String>,
}

#[derive(Serialize)]
struct SubscriptionBody<'a> {
    name: &'a str,
    email: &'a str,
    max_amount: JsonNumber,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_amount_per_charge: Option<JsonNumber>,
    currency: &'static str,
    notify_url: &'a str,
    return_url: &'a str,
    cancel_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_reference: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

impl SubscriptionRequest {
    /// Starts a builder; set the three URLs with
    /// [`urls`](SubscriptionRequestBuilder::urls).
    pub fn builder(
        name: impl Into<String>,
        email: impl Into<String>,
        max_amount: Money,
    ) -> SubscriptionRequestBuilder {
        SubscriptionRequestBuilder {
            inner: SubscriptionRequest {
                name: name.into(),
                email: email.into(),
                max_amount,
                max_amount_per_charge: None,
                notify_url: String::new(),
                return_url: String::new(),
                cancel_url: String::new(),
                service_reference: None,
                image_url: None,
                description: None,
            },
        }
    }

    fn body(&self) -> Result<SubscriptionBody<'_>, ValidationError> {
        validate::non_empty("name", &self.name)?;
        validate::max_chars("name", &self.name, 255)?;
        validate::email("email", &self.email)?;
        validate::max_chars("email", &self.email, 255)?;
        let max_amount = JsonNumber::money("max_amount", &self.max_amount)?;
        let per_charge = match self.max_amount_per_charge {
            Some(v) => {
                let m = Money::new(v, self.max_amount.currency())
                    .map_err(|e| e.for_field("max_amount_per_charge"))?;
                if v > self.max_amount.amount() {
                    return Err(ValidationError::new(
                        "max_amount_per_charge",
                        "must not exceed max_amount",
                    ));
                }
                Some(JsonNumber::money("max_amount_per_charge", &m)?)
            }
            None => None,
        };
        for (field, v) in [
            ("notify_url", &self.notify_url),
            ("return_url", &self.return_url),
            ("cancel_url", &self.cancel_url),
        ] {
            validate::http_url(field, v)?;
            validate::max_chars(field, v, 1024)?;
        }
        if let Some(u) = &self.image_url {
            validate::http_url("image_url", u)?;
        }
        for (field, v) in [
            ("service_reference", &self.service_reference),
            ("description", &self.description),
        ] {
            if let Some(v) = v {
                validate::non_empty(field, v)?;
            }
        }
        Ok(SubscriptionBody {
            name: &self.name,
            email: &self.email,
            max_amount,
            max_amount_per_charge: per_charge,
            currency: self.max_amount.currency().code(),
            notify_url: &self.notify_url,
            return_url: &self.return_url,
            cancel_url: &self.cancel_url,
            service_reference: self.service_reference.as_deref(),
            image_url: self.image_url.as_deref(),
            description: self.description.as_deref(),
        })
    }

    /// Checks every field: `name` not blank, `email` well formed, amounts positive in
    /// [`crate::CURRENCIES`] (per charge ≤ monthly), URLs absolute `http(s)`.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.body().map(|_| ())
    }

    /// The JSON body exactly as sent.
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn to_json(&self) -> Result<String> {
        let body = self.body()?;
        serde_json::to_string(&body)
            .map_err(|e| ValidationError::new("request", e.to_string()).into())
    }
}

/// Builder for [`SubscriptionRequest`].
#[derive(Debug, Clone)]
#[must_use]
pub struct SubscriptionRequestBuilder {
    inner: SubscriptionRequest,
}

impl SubscriptionRequestBuilder {
    /// Sets `notify_url`, `return_url` and `cancel_url` (all required).
    pub fn urls(
        mut self,
        notify_url: impl Into<String>,
        return_url: impl Into<String>,
        cancel_url: impl Into<String>,
    ) -> Self {
        self.inner.notify_url = notify_url.into();
        self.inner.return_url = return_url.into();
        self.inner.cancel_url = cancel_url.into();
        self
    }

    /// Sets `max_amount_per_charge`.
    pub fn max_amount_per_charge(mut self, amount: Decimal) -> Self {
        self.inner.max_amount_per_charge = Some(amount);
        self
    }

    /// Sets `service_reference`.
    pub fn service_reference(mut self, v: impl Into<String>) -> Self {
        self.inner.service_reference = Some(v.into());
        self
    }

    /// Sets `image_url`.
    pub fn image_url(mut self, v: impl Into<String>) -> Self {
        self.inner.image_url = Some(v.into());
        self
    }

    /// Sets `description`.
    pub fn description(mut self, v: impl Into<String>) -> Self {
        self.inner.description = Some(v.into());
        self
    }

    /// Validates and returns the request.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] naming the first bad field.
    pub fn build(self) -> Result<SubscriptionRequest> {
        self.inner.validate()?;
        Ok(self.inner)
    }
}

fn subscription_id(id: &str) -> Result<&str, ValidationError> {
    validate::path_id("subscription_id", id)?;
    Ok(id)
}

/// `POST /v1/automatic-payment/subscription`. Sent once.
#[derive(Debug, Clone, Copy)]
pub struct CreateSubscription<'a> {
    request: &'a SubscriptionRequest,
}

impl<'a> CreateSubscription<'a> {
    /// Creates `request`.
    pub fn new(request: &'a SubscriptionRequest) -> Self {
        CreateSubscription { request }
    }
}

impl Endpoint for CreateSubscription<'_> {
    type Output = CreatedSubscription;
    const OPERATION: &'static str = "create_subscription";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let body = self.request.body()?;
        let url = base.join(&["v1", "automatic-payment", "subscription"])?;
        json_request(Method::POST, url, Self::OPERATION, Some(&body))
    }

    fn parse(&self, response: &Response) -> Result<CreatedSubscription> {
        let (mut c, raw): (CreatedSubscription, Raw) = parse_json(response)?;
        c.raw = raw;
        Ok(c)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some("Khipu may have created the subscription and has no idempotency key: check the answer's subscription_id or your notify_url before creating it again".into())
    }
}

/// `GET /v1/automatic-payment/subscription/{id}`.
#[derive(Debug, Clone, Copy)]
pub struct GetSubscription<'a> {
    id: &'a str,
}

impl<'a> GetSubscription<'a> {
    /// Fetches subscription `id`.
    pub fn new(id: &'a str) -> Self {
        GetSubscription { id }
    }
}

impl Endpoint for GetSubscription<'_> {
    type Output = SubscriptionStatus;
    const OPERATION: &'static str = "get_subscription";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let url = base.join(&[
            "v1",
            "automatic-payment",
            "subscription",
            subscription_id(self.id)?,
        ])?;
        bare_request(Method::GET, url, Self::OPERATION)
    }

    fn parse(&self, response: &Response) -> Result<SubscriptionStatus> {
        let (mut s, raw): (SubscriptionStatus, Raw) = parse_json(response)?;
        s.raw = raw;
        Ok(s)
    }
}

/// `DELETE /v1/automatic-payment/subscription/{id}`: unsubscribes, irreversibly.
/// Sent once.
#[derive(Debug, Clone, Copy)]
pub struct DeleteSubscription<'a> {
    id: &'a str,
}

impl<'a> DeleteSubscription<'a> {
    /// Deletes subscription `id`.
    pub fn new(id: &'a str) -> Self {
        DeleteSubscription { id }
    }
}

impl Endpoint for DeleteSubscription<'_> {
    type Output = SubscriptionStatus;
    const OPERATION: &'static str = "delete_subscription";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let url = base.join(&[
            "v1",
            "automatic-payment",
            "subscription",
            subscription_id(self.id)?,
        ])?;
        bare_request(Method::DELETE, url, Self::OPERATION)
    }

    fn parse(&self, response: &Response) -> Result<SubscriptionStatus> {
        let (mut s, raw): (SubscriptionStatus, Raw) = parse_json(response)?;
        s.raw = raw;
        Ok(s)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(format!(
            "fetch GET /v1/automatic-payment/subscription/{} to see whether it was discarded",
            self.id
        ))
    }
}

/// The subscriptions resource. Get one with [`KhipuV3Client::subscriptions`].
#[derive(Clone, Copy)]
pub struct Subscriptions<'a> {
    client: &'a KhipuV3Client,
}

impl fmt::Debug for Subscriptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Subscriptions")
    }
}

impl<'a> Subscriptions<'a> {
    pub(crate) fn new(client: &'a KhipuV3Client) -> Self {
        Subscriptions { client }
    }

    /// [`CreateSubscription`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn create(&self, request: &SubscriptionRequest) -> Result<CreatedSubscription> {
        self.client.run(&CreateSubscription::new(request)).await
    }

    /// [`GetSubscription`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn get(&self, id: &str) -> Result<SubscriptionStatus> {
        self.client.run(&GetSubscription::new(id)).await
    }

    /// Confirms a callback Khipu POSTed to a subscription's `notify_url`
    /// (`{"subscription_id","status"}`). The callback is unsigned, so only its
    /// `subscription_id` is used: the subscription is fetched with [`GetSubscription`]
    /// and the answer is Khipu's, never the body's `status`. Charge only when the
    /// answer's status [`is_chargeable`](SubscriptionState::is_chargeable).
    ///
    /// ```no_run
    /// # async fn handle(khipu: &pagos_khipu::KhipuV3Client, body: &[u8]) -> Result<(), pagos_core::Error> {
    /// let confirmed = khipu.subscriptions().confirm_callback(body).await?;
    /// if confirmed.status.as_ref().is_some_and(|s| s.is_chargeable()) {
    ///     // the mandate is signed: charges may be created
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`pagos_core::Error::Notification`] with
    /// [`Check::Body`](pagos_core::notification::Check::Body), nothing sent, for a
    /// body that is no subscription callback (not a JSON object, no usable
    /// `subscription_id`), or when Khipu answers for another subscription; otherwise
    /// the fetch's errors (see [`KhipuV3Client::run`]; a forged id gets Khipu's 404).
    pub async fn confirm_callback(&self, body: &[u8]) -> Result<SubscriptionStatus> {
        use pagos_core::notification::{Check, NotificationError};
        let callback = super::callbacks::SubscriptionCallback::parse(body).map_err(|e| {
            NotificationError::new(
                crate::PROVIDER,
                Check::Body,
                format!("not a subscription callback: {e}"),
            )
        })?;
        let status = self.get(&callback.subscription_id).await?;
        if status.subscription_id != callback.subscription_id {
            return Err(NotificationError::mismatch(
                crate::PROVIDER,
                Check::Body,
                &callback.subscription_id,
                &status.subscription_id,
            )
            .into());
        }
        Ok(status)
    }

    /// [`DeleteSubscription`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn delete(&self, id: &str) -> Result<SubscriptionStatus> {
        self.client.run(&DeleteSubscription::new(id)).await
    }
}
