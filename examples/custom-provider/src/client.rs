//! The client and its builder: credentials, base URL, transport, and the executor that
//! runs every endpoint.

use std::fmt;

use pagos_core::endpoint::SecretHeader;
use pagos_core::{
    BaseUrl, ConfigError, Endpoint, Executor, ExposeSecret, Response, Result, SecretString,
    Transport,
};

use crate::PROVIDER;
use crate::charges::Charges;

/// The production base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.acmepay.example";

/// A Acmepay client. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct AcmepayClient {
    executor: Executor<SecretHeader>,
}

impl fmt::Debug for AcmepayClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcmepayClient")
            .field("api_key", &"[REDACTED]")
            .field("base_url", self.executor.base_url())
            .finish()
    }
}

impl AcmepayClient {
    /// Starts a builder.
    pub fn builder() -> AcmepayClientBuilder {
        AcmepayClientBuilder::default()
    }

    /// The charges resource: create and get.
    pub fn charges(&self) -> Charges<'_> {
        Charges::new(self)
    }

    /// The executor that runs this client's endpoints: to see a request exactly as it
    /// would be sent ([`Executor::authorized`]), or to run an endpoint by hand.
    pub fn executor(&self) -> &Executor<SecretHeader> {
        &self.executor
    }

    /// The base URL the endpoints are joined to.
    pub fn base_url(&self) -> &BaseUrl {
        self.executor.base_url()
    }

    /// Runs any endpoint and reads its answer.
    ///
    /// # Errors
    /// The endpoint's validation error before sending; otherwise the transport's and
    /// Acmepay's (see [`Executor::run`]).
    pub async fn run<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<E::Output> {
        self.executor.run(endpoint).await
    }

    /// Runs any endpoint and returns the accepted answer unread.
    ///
    /// # Errors
    /// As [`AcmepayClient::run`], except that the answer is not read.
    pub async fn send<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<Response> {
        self.executor.send(endpoint).await
    }
}

/// Builder for [`AcmepayClient`].
#[derive(Default)]
#[must_use]
pub struct AcmepayClientBuilder {
    api_key: Option<SecretString>,
    base_url: Option<BaseUrl>,
    transport: Option<Transport>,
}

impl fmt::Debug for AcmepayClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcmepayClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[REDACTED]"))
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl AcmepayClientBuilder {
    /// The secret API key.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }

    /// Another base URL (a simulator, a test server).
    ///
    /// # Errors
    /// A [`ConfigError`] on `base_url` for a URL that is not https (or http to
    /// loopback).
    pub fn base_url(mut self, url: impl AsRef<str>) -> Result<Self, ConfigError> {
        self.base_url = Some(BaseUrl::parse(url.as_ref())?);
        Ok(self)
    }

    /// Shares a transport (timeouts, retries, connection pool) with other clients.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`pagos_core::Error::Config`] naming `api_key` when it is missing or blank, or
    /// the transport's configuration error.
    pub fn build(self) -> Result<AcmepayClient> {
        let api_key = self
            .api_key
            .filter(|k| !k.expose_secret().trim().is_empty())
            .ok_or_else(|| ConfigError::new("api_key", "is required"))?;
        let base_url = match self.base_url {
            Some(url) => url,
            None => BaseUrl::parse(DEFAULT_BASE_URL)?,
        };
        let transport = match self.transport {
            Some(t) => t,
            None => Transport::new()?,
        };
        let auth = SecretHeader::new(
            "authorization",
            format!("Bearer {}", api_key.expose_secret()),
        );
        let executor =
            Executor::new(PROVIDER, base_url, transport, auth).with_refusal(crate::error::refusal);
        Ok(AcmepayClient { executor })
    }
}
