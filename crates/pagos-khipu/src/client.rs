//! [`KhipuClient`] and its builder.

use std::fmt;

use pagos_core::{
    BaseUrl, ConfigError, Endpoint, Executor, ExposeSecret, Response, Result, SecretString,
    Transport,
};

use crate::PROVIDER;
use crate::banks::Banks;
use crate::merchants::Merchants;
use crate::payments::Payments;
use crate::receivers::Receivers;
use crate::signature::KhipuSignature;

/// Khipu's documented production base URL (Khipu's REST API 2.0 reference). Development
/// accounts use the same host.
pub const DEFAULT_BASE_URL: &str = "https://khipu.com/api/2.0";

/// A Khipu REST API 2.0 client: cheap to clone (one `Arc` inside), `Send + Sync`.
///
/// Every call is signed with the receiver's secret ([`KhipuSignature`]). Endpoints are
/// values ([`crate::payments::GetPayment`], [`crate::banks::ListBanks`]...) that
/// [`run`](Self::run) sends; the resource handles [`payments`](Self::payments),
/// [`banks`](Self::banks), [`receivers`](Self::receivers) and
/// [`merchants`](Self::merchants) run them in one call. The unified API is the
/// [`PaymentProvider`](pagos_core::PaymentProvider) implementation.
///
/// ```no_run
/// # async fn run() -> pagos_core::Result<()> {
/// use pagos_khipu::KhipuClient;
/// use pagos_khipu::payments::GetPayment;
///
/// let client = KhipuClient::builder()
///     .receiver_id("1234")
///     .secret("my-secret")
///     .build()?;
/// let banks = client.banks().list().await?;
/// println!("{} banks", banks.items.len());
/// // The same call as a value, e.g. to inspect the signed request first:
/// let endpoint = GetPayment::new("gqzdy6chjne9");
/// let signed = client.executor().authorized(&endpoint).await?;
/// println!("{:?}", signed.header_str("authorization").is_some());
/// let payment = client.run(&endpoint).await?;
/// # let _ = payment;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct KhipuClient {
    executor: Executor<KhipuSignature>,
}

impl fmt::Debug for KhipuClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KhipuClient")
            .field("receiver_id", &self.receiver_id())
            .field("secret", &"[REDACTED]")
            .field("base_url", self.base_url())
            .field("transport", self.executor.transport())
            .finish()
    }
}

impl KhipuClient {
    /// Starts a builder.
    pub fn builder() -> KhipuClientBuilder {
        KhipuClientBuilder::default()
    }

    /// The receiver (collection account) id the client signs as.
    pub fn receiver_id(&self) -> &str {
        self.executor.auth().receiver_id()
    }

    /// The base URL the client sends to (and signs over).
    pub fn base_url(&self) -> &BaseUrl {
        self.executor.base_url()
    }

    /// The executor that describes, signs and sends every endpoint: use
    /// [`Executor::describe`] or [`Executor::authorized`] to see a request exactly as
    /// it would be sent.
    pub fn executor(&self) -> &Executor<KhipuSignature> {
        &self.executor
    }

    /// Runs any endpoint and returns its typed answer.
    ///
    /// # Errors
    /// [`Error::Validation`](pagos_core::Error::Validation) before anything is signed or
    /// sent; [`Error::Provider`](pagos_core::Error::Provider) for Khipu's refusal (its
    /// error envelope decoded, see [`crate::error`]);
    /// [`Error::NotSent`](pagos_core::Error::NotSent) /
    /// [`Error::OutcomeUnknown`](pagos_core::Error::OutcomeUnknown) from the transport or
    /// an unreadable answer, with the endpoint's hint.
    pub async fn run<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output> {
        self.executor.run(endpoint).await
    }

    /// Runs any endpoint and returns the accepted answer as received, unparsed.
    ///
    /// # Errors
    /// As [`run`](Self::run), except that the answer is not read.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<Response> {
        self.executor.send(endpoint).await
    }

    /// Payments: create, get (by id or notification token), delete, confirm, refund.
    pub fn payments(&self) -> Payments<'_> {
        Payments::new(self)
    }

    /// The banks that can pay this receiver.
    pub fn banks(&self) -> Banks<'_> {
        Banks::new(self)
    }

    /// Creating receivers (collection accounts) under an integrator account.
    pub fn receivers(&self) -> Receivers<'_> {
        Receivers::new(self)
    }

    /// A merchant's payment methods.
    pub fn merchants(&self) -> Merchants<'_> {
        Merchants::new(self)
    }
}

/// Builder for [`KhipuClient`].
#[derive(Default)]
#[must_use]
pub struct KhipuClientBuilder {
    receiver_id: Option<String>,
    secret: Option<SecretString>,
    base_url: Option<BaseUrl>,
    transport: Option<Transport>,
}

impl fmt::Debug for KhipuClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KhipuClientBuilder")
            .field("receiver_id", &self.receiver_id)
            .field("secret", &self.secret.as_ref().map(|_| "[REDACTED]"))
            .field("base_url", &self.base_url)
            .field("transport", &self.transport)
            .finish()
    }
}

impl KhipuClientBuilder {
    /// The receiver (collection account) id, a number written in digits (`"1234"`).
    pub fn receiver_id(mut self, receiver_id: impl Into<String>) -> Self {
        self.receiver_id = Some(receiver_id.into().trim().to_string());
        self
    }

    /// The receiver's secret, used to sign every request.
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(SecretString::from(secret.into()));
        self
    }

    /// Overrides the base URL (default [`DEFAULT_BASE_URL`]), e.g. a simulator at
    /// `http://127.0.0.1:PORT/khipu/api/2.0`. Signatures are computed over it.
    ///
    /// # Errors
    /// A [`ConfigError`] on `base_url` unless it is `https`, or `http` on a loopback host.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Result<Self, ConfigError> {
        self.base_url = Some(BaseUrl::parse(url.as_ref())?);
        Ok(self)
    }

    /// Shares a transport (connection pool, timeouts, retry policy) with other clients.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`](pagos_core::Error::Config) naming `receiver_id` or `secret` when
    /// missing or malformed (a receiver id is a number), or from [`Transport::new`] when
    /// no transport was given.
    pub fn build(self) -> Result<KhipuClient> {
        let receiver_id = self
            .receiver_id
            .ok_or_else(|| ConfigError::new("receiver_id", "missing: set the Khipu receiver id"))?;
        if receiver_id.is_empty() || !receiver_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ConfigError::new(
                "receiver_id",
                "a Khipu receiver id is a number (digits only)",
            )
            .into());
        }
        let secret = self
            .secret
            .ok_or_else(|| ConfigError::new("secret", "missing: set the receiver's secret"))?;
        if secret.expose_secret().is_empty() {
            return Err(ConfigError::new("secret", "must not be empty").into());
        }
        let base_url = match self.base_url {
            Some(b) => b,
            None => BaseUrl::parse(DEFAULT_BASE_URL)?,
        };
        let transport = match self.transport {
            Some(t) => t,
            None => Transport::new()?,
        };
        let signer = KhipuSignature::new(receiver_id, secret.expose_secret());
        let executor = Executor::new(PROVIDER, base_url, transport, signer)
            .with_refusal(crate::error::refusal);
        Ok(KhipuClient { executor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::banks::ListBanks;
    use pagos_core::Error;

    fn client() -> KhipuClient {
        KhipuClient::builder()
            .receiver_id("1234")
            .secret("abc123")
            .build()
            .unwrap()
    }

    #[test]
    fn builder_requires_settings() {
        let e = KhipuClient::builder().secret("x").build().unwrap_err();
        assert!(
            matches!(&e, Error::Config(c) if c.setting() == "receiver_id"),
            "{e}"
        );
        let e = KhipuClient::builder()
            .receiver_id("12a")
            .secret("x")
            .build()
            .unwrap_err();
        assert!(
            matches!(&e, Error::Config(c) if c.setting() == "receiver_id"),
            "{e}"
        );
        let e = KhipuClient::builder().receiver_id("1").build().unwrap_err();
        assert!(
            matches!(&e, Error::Config(c) if c.setting() == "secret"),
            "{e}"
        );
        let e = KhipuClient::builder()
            .receiver_id("1")
            .secret("")
            .build()
            .unwrap_err();
        assert!(
            matches!(&e, Error::Config(c) if c.setting() == "secret"),
            "{e}"
        );
        let e = KhipuClient::builder()
            .base_url("http://khipu.com/api/2.0")
            .unwrap_err();
        assert_eq!(e.setting(), "base_url");
        let c = KhipuClient::builder()
            .receiver_id(" 985101 ")
            .secret("s")
            .base_url(String::from("https://khipu.com/api/2.0/"))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(c.receiver_id(), "985101");
        assert_eq!(c.base_url().as_str(), DEFAULT_BASE_URL);
    }

    #[test]
    fn client_is_clone_send_sync() {
        fn assert_traits<T: Clone + Send + Sync + fmt::Debug + 'static>() {}
        assert_traits::<KhipuClient>();
        let _shared: std::sync::Arc<dyn pagos_core::PaymentProvider> =
            std::sync::Arc::new(client());
    }

    #[test]
    fn debug_redacts_the_secret() {
        let c = client();
        let dbg = format!("{c:?}");
        assert!(dbg.contains("[REDACTED]") && dbg.contains("1234"), "{dbg}");
        assert!(!dbg.contains("abc123"), "{dbg}");
        assert!(!format!("{:?}", c.executor()).contains("abc123"));
        let b = KhipuClient::builder().secret("abc123");
        assert!(!format!("{b:?}").contains("abc123"));
    }

    #[tokio::test]
    async fn get_requests_carry_form_content_type_and_no_body() {
        let req = client()
            .executor()
            .authorized(&ListBanks::new())
            .await
            .unwrap();
        assert_eq!(req.url().as_str(), "https://khipu.com/api/2.0/banks");
        assert_eq!(req.headers()["content-type"], crate::request::FORM);
        assert_eq!(req.headers()["accept"], "application/json");
        assert!(req.body_bytes().is_empty());
        assert!(req.headers()["authorization"].is_sensitive());
    }
}
