//! The client and its builder: credentials, base URL, transport.

use std::fmt;
use std::sync::Arc;

use pagos_core::transport::{Method, Request};
use pagos_core::{BaseUrl, ConfigError, ExposeSecret, Result, SecretString, Transport};

use crate::PROVIDER;

/// The production base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.acmepay.example";

/// A Acmepay client. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct AcmepayClient {
    inner: Arc<Inner>,
}

struct Inner {
    api_key: SecretString,
    base_url: BaseUrl,
    transport: Transport,
}

impl fmt::Debug for AcmepayClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcmepayClient")
            .field("api_key", &"[REDACTED]")
            .field("base_url", &self.inner.base_url)
            .finish()
    }
}

impl AcmepayClient {
    /// Starts a builder.
    pub fn builder() -> AcmepayClientBuilder {
        AcmepayClientBuilder::default()
    }

    /// A request to `segments` under the base URL, with the auth header set.
    pub(crate) fn request(
        &self,
        method: Method,
        segments: &[&str],
        operation: &'static str,
    ) -> Result<Request> {
        let url = self.inner.base_url.join(segments)?;
        let bearer = format!("Bearer {}", self.inner.api_key.expose_secret());
        Ok(Request::new(method, url, operation)
            .header("accept", "application/json")?
            .sensitive_header("authorization", &bearer)?)
    }

    /// Sends through the shared transport.
    pub(crate) async fn send(&self, request: Request) -> Result<pagos_core::Response> {
        self.inner.transport.send(PROVIDER, request).await
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
    /// [`pagos_core::Error::Config`] for a URL that is not https (or http to loopback).
    pub fn base_url(mut self, url: &str) -> Result<Self> {
        self.base_url = Some(BaseUrl::parse(url)?);
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
    /// [`pagos_core::Error::Config`] naming `api_key` when it is missing.
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
        Ok(AcmepayClient {
            inner: Arc::new(Inner {
                api_key,
                base_url,
                transport,
            }),
        })
    }
}
