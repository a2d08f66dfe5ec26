//! Khipu's Instant Payments API 3.0: host `https://payment-api.khipu.com`, an
//! `x-api-key` header on every call, JSON bodies, no request signing, and webhooks
//! signed with `x-khipu-signature` ([`webhook`]).
//!
//! API 2.0 ([`crate::KhipuClient`]) stays for merchants with only a receiver id and
//! secret. PAC (automatic payments, [`crate::pac`]) uses this client too.
//!
//! | endpoint | call | idempotency |
//! |---|---|---|
//! | [`banks::ListBanks`] | `GET /v3/banks` | read |
//! | [`payments::CreatePayment`] | `POST /v3/payments` | once |
//! | [`payments::GetPayment`] | `GET /v3/payments/{id}` | read |
//! | [`payments::DeletePayment`] | `DELETE /v3/payments/{id}` | once |
//! | [`payments::ConfirmPayment`] | `POST /v3/payments/{id}/confirm` | once |
//! | [`payments::RefundPayment`] | `POST /v3/payments/{id}/refunds` (obsolete in Khipu's newest spec) | once |
//! | [`payments::VoidPayment`] | `POST /v3/payments/{id}/void` | once |
//! | [`refunds::CreateRefund`] | `POST /v3/refunds` (full or partial) | once |
//! | [`refunds::GetRefundWalletBalance`] | `GET /v3/refund-wallet/balance` | read |
//! | [`predict::Predict`] | `GET /v3/predict` | read |
//! | [`predict::PredictAll`] | `GET /v3/predict/all` | read |
//! | [`merchants::ListPaymentMethods`] | `GET /v3/merchants/{id}/paymentMethods` | read |
//! | [`receivers::CreateReceiver`] | `POST /v3/receivers` | once |
//! | [`receivers::ListChildren`] | `GET /v3/receivers/children` | read |
//!
//! Khipu has no idempotency key and does not deduplicate payments or refunds (it has
//! answered 500 after processing a refund), so every call marked "once" is sent once:
//! a 5xx, timeout or unreadable answer to it is
//! [`Error::OutcomeUnknown`](pagos_core::Error::OutcomeUnknown), whose hint says how
//! to find out what happened.

use std::fmt;

use pagos_core::endpoint::SecretHeader;
use pagos_core::transport::Method;
use pagos_core::{
    BaseUrl, ConfigError, Endpoint, Executor, ExposeSecret, Raw, Request, Response, Result,
    SecretString, Transport,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

pub mod banks;
pub mod error;
pub mod merchants;
pub mod payments;
pub mod predict;
pub(crate) mod provider;
pub mod receivers;
pub mod refunds;
pub mod webhook;

/// API 3.0's (and PAC's) only host, "Producción"; developer-mode accounts use it too.
pub const DEFAULT_BASE_URL: &str = "https://payment-api.khipu.com";

/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "x-api-key";

/// The JSON content type of every API 3.0 body.
pub const JSON: &str = "application/json";

/// Describes an API 3.0 request: `Accept: application/json` always, and a JSON body
/// with `Content-Type: application/json` when there is one. Calls without a documented
/// body (`GET`, `DELETE`, `confirm`, `void`) carry none.
pub(crate) fn json_request<T: Serialize + ?Sized>(
    method: Method,
    url: Url,
    operation: &'static str,
    body: Option<&T>,
) -> Result<Request> {
    let mut request = Request::new(method, url, operation);
    if let Some(body) = body {
        request = request.json(body)?;
    }
    Ok(request.header("accept", JSON)?)
}

/// A request without a body.
pub(crate) fn bare_request(method: Method, url: Url, operation: &'static str) -> Result<Request> {
    json_request::<()>(method, url, operation, None)
}

/// Reads a JSON answer and the raw text it came from.
pub(crate) fn parse_json<T: DeserializeOwned>(response: &Response) -> Result<(T, Raw)> {
    response.json_with_raw()
}

/// A Khipu API 3.0 (and PAC v1) client: cheap to clone (one `Arc` inside),
/// `Send + Sync`, authenticated with an API key in `x-api-key`.
///
/// ```no_run
/// # async fn run() -> pagos_core::Result<()> {
/// use pagos_core::{Currency, Money};
/// use pagos_khipu::v3::KhipuV3Client;
/// use pagos_khipu::v3::payments::CreatePaymentRequest;
///
/// let client = KhipuV3Client::builder().api_key("my-api-key").build()?;
/// let request = CreatePaymentRequest::builder("Orden 42", Money::parse("1000", Currency::Clp)?)
///     .transaction_id("orden-42")
///     .notify_url("https://shop.example/khipu/webhook")
///     .build()?;
/// let created = client.payments().create(&request).await?;
/// let now = client.payments().get(&created.payment_id).await?;
/// println!("{:?}", now.unified_status());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct KhipuV3Client {
    executor: Executor<SecretHeader>,
    receiver_id: Option<String>,
    webhook_secret: Option<SecretString>,
}

impl fmt::Debug for KhipuV3Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KhipuV3Client")
            .field("api_key", &"[REDACTED]")
            .field("receiver_id", &self.receiver_id)
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "[REDACTED]"),
            )
            .field("base_url", self.base_url())
            .field("transport", self.executor.transport())
            .finish()
    }
}

impl KhipuV3Client {
    /// Starts a builder.
    pub fn builder() -> KhipuV3ClientBuilder {
        KhipuV3ClientBuilder::default()
    }

    /// The base URL the client sends to.
    pub fn base_url(&self) -> &BaseUrl {
        self.executor.base_url()
    }

    /// The receiver (collection account) id, when configured: the default merchant of
    /// [`merchants`](Self::merchants) and the `receiver_id` a webhook must carry.
    pub fn receiver_id(&self) -> Option<&str> {
        self.receiver_id.as_deref()
    }

    /// The merchant secret that signs this account's webhooks, if configured.
    pub(crate) fn webhook_secret(&self) -> Option<&SecretString> {
        self.webhook_secret.as_ref()
    }

    /// The executor that describes, authorizes and sends every endpoint.
    pub fn executor(&self) -> &Executor<SecretHeader> {
        &self.executor
    }

    /// Runs any endpoint and returns its typed answer.
    ///
    /// # Errors
    /// [`Error::Validation`](pagos_core::Error::Validation) before anything is sent;
    /// [`Error::Provider`](pagos_core::Error::Provider) for Khipu's refusal ([`error`]);
    /// [`Error::NotSent`](pagos_core::Error::NotSent) /
    /// [`Error::OutcomeUnknown`](pagos_core::Error::OutcomeUnknown) from the transport,
    /// a 5xx to a call sent once, or an unreadable answer.
    pub async fn run<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output> {
        self.executor.run(endpoint).await
    }

    /// Runs any endpoint and returns the accepted answer unparsed.
    ///
    /// # Errors
    /// As [`run`](Self::run), except that the answer is not read.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<Response> {
        self.executor.send(endpoint).await
    }

    /// Payments: create, get, delete, confirm, refund (obsolete), void.
    pub fn payments(&self) -> payments::Payments<'_> {
        payments::Payments::new(self)
    }

    /// Refunds from the refund wallet, and its balance.
    pub fn refunds(&self) -> refunds::Refunds<'_> {
        refunds::Refunds::new(self)
    }

    /// The banks that can pay this collection account.
    pub fn banks(&self) -> banks::Banks<'_> {
        banks::Banks::new(self)
    }

    /// Payment predictions.
    pub fn predict(&self) -> predict::Predictions<'_> {
        predict::Predictions::new(self)
    }

    /// A merchant's payment methods.
    pub fn merchants(&self) -> merchants::Merchants<'_> {
        merchants::Merchants::new(self)
    }

    /// Child collection accounts (integrators).
    pub fn receivers(&self) -> receivers::Receivers<'_> {
        receivers::Receivers::new(self)
    }

    /// PAC subscriptions (bank mandates).
    pub fn subscriptions(&self) -> crate::pac::subscriptions::Subscriptions<'_> {
        crate::pac::subscriptions::Subscriptions::new(self)
    }

    /// PAC charge intents.
    pub fn charges(&self) -> crate::pac::charges::Charges<'_> {
        crate::pac::charges::Charges::new(self)
    }
}

/// Builder for [`KhipuV3Client`].
#[derive(Default)]
#[must_use]
pub struct KhipuV3ClientBuilder {
    api_key: Option<SecretString>,
    receiver_id: Option<String>,
    webhook_secret: Option<SecretString>,
    base_url: Option<BaseUrl>,
    transport: Option<Transport>,
}

impl fmt::Debug for KhipuV3ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KhipuV3ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[REDACTED]"))
            .field("receiver_id", &self.receiver_id)
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "[REDACTED]"),
            )
            .field("base_url", &self.base_url)
            .field("transport", &self.transport)
            .finish()
    }
}

impl KhipuV3ClientBuilder {
    /// The API key (Merchant Account Options → API Keys), sent as `x-api-key`.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(api_key.into()));
        self
    }

    /// The receiver (collection account) id, digits (`"985101"`); optional.
    pub fn receiver_id(mut self, receiver_id: impl Into<String>) -> Self {
        self.receiver_id = Some(receiver_id.into().trim().to_string());
        self
    }

    /// The merchant secret (the 40-hex "llave secreta", not the API key) that signs the
    /// account's webhooks: needed by
    /// [`verify_notification`](pagos_core::PaymentProvider::verify_notification).
    pub fn webhook_secret(mut self, secret: impl Into<String>) -> Self {
        self.webhook_secret = Some(SecretString::from(secret.into()));
        self
    }

    /// Overrides the base URL (default [`DEFAULT_BASE_URL`]), e.g. a simulator at
    /// `http://127.0.0.1:PORT/khipu3`.
    ///
    /// # Errors
    /// A [`ConfigError`] on `base_url` unless it is `https`, or `http` on a loopback host.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Result<Self, ConfigError> {
        self.base_url = Some(BaseUrl::parse(url.as_ref())?);
        Ok(self)
    }

    /// Shares a transport with other clients.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`](pagos_core::Error::Config) naming `api_key` when missing,
    /// blank or not a valid header value, or `receiver_id` when it is not digits; or
    /// from [`Transport::new`].
    pub fn build(self) -> Result<KhipuV3Client> {
        let api_key = self
            .api_key
            .ok_or_else(|| ConfigError::new("api_key", "missing: set the Khipu API key"))?;
        let key = api_key.expose_secret();
        if key.trim().is_empty() {
            return Err(ConfigError::new("api_key", "must not be empty").into());
        }
        if key.bytes().any(|b| b.is_ascii_control() || !b.is_ascii()) {
            return Err(ConfigError::new(
                "api_key",
                "must be printable ASCII (it is sent as a header)",
            )
            .into());
        }
        if let Some(r) = &self.receiver_id
            && (r.is_empty() || !r.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(ConfigError::new(
                "receiver_id",
                "a Khipu receiver id is a number (digits only)",
            )
            .into());
        }
        let base_url = match self.base_url {
            Some(b) => b,
            None => BaseUrl::parse(DEFAULT_BASE_URL)?,
        };
        let transport = match self.transport {
            Some(t) => t,
            None => Transport::new()?,
        };
        let auth = SecretHeader::new(API_KEY_HEADER, key.trim());
        let executor =
            Executor::new(crate::PROVIDER, base_url, transport, auth).with_refusal(error::refusal);
        Ok(KhipuV3Client {
            executor,
            receiver_id: self.receiver_id,
            webhook_secret: self.webhook_secret,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::Error;

    #[test]
    fn builder_checks_and_debug_redacts() {
        let e = KhipuV3Client::builder().build().unwrap_err();
        assert!(
            matches!(&e, Error::Config(c) if c.setting() == "api_key"),
            "{e}"
        );
        let e = KhipuV3Client::builder().api_key(" ").build().unwrap_err();
        assert!(
            matches!(&e, Error::Config(c) if c.setting() == "api_key"),
            "{e}"
        );
        let e = KhipuV3Client::builder()
            .api_key("k\ny")
            .build()
            .unwrap_err();
        assert!(
            matches!(&e, Error::Config(c) if c.setting() == "api_key"),
            "{e}"
        );
        let e = KhipuV3Client::builder()
            .api_key("k")
            .receiver_id("12a")
            .build()
            .unwrap_err();
        assert!(
            matches!(&e, Error::Config(c) if c.setting() == "receiver_id"),
            "{e}"
        );
        assert!(
            KhipuV3Client::builder()
                .base_url("http://khipu.com")
                .is_err()
        );
        let c = KhipuV3Client::builder()
            .api_key("uuid-secret-key")
            .receiver_id("985101")
            .build()
            .unwrap();
        assert_eq!(c.base_url().as_str(), DEFAULT_BASE_URL);
        let dbg = format!("{c:?} {:?}", c.executor());
        assert!(!dbg.contains("uuid-secret-key"), "{dbg}");
        let b = KhipuV3Client::builder().api_key("uuid-secret-key");
        assert!(!format!("{b:?}").contains("uuid-secret-key"));
        fn traits<T: Clone + Send + Sync + fmt::Debug + 'static>() {}
        traits::<KhipuV3Client>();
        let _p: std::sync::Arc<dyn pagos_core::PaymentProvider> = std::sync::Arc::new(c);
    }
}
