//! The KashIO client and its builder.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use pagos_core::transport::{Method, Request, Response};
use pagos_core::{BaseUrl, ConfigError, Error, ExposeSecret, SecretString, Transport};

use crate::error::provider_error;

/// The provider name used in errors, tracing and [`pagos_core::Payment::provider`].
pub const PROVIDER_NAME: &str = "kashio";

/// KashIO's production host. One host serves test and live mode: the secret key
/// (`sk_test_…` or `sk_live_…`) chooses.
pub const DEFAULT_BASE_URL: &str = "https://api.kashio.net/v1/payments";

/// KashIO's certification host, used with `sk_cert_…` keys.
pub const CERT_BASE_URL: &str = "https://cert-api.kashio.net/v1/payments";

/// A KashIO Payments client: invoices (payment orders) and events.
///
/// Cheap to clone (an `Arc` inside); `Send + Sync`. Also exported as [`crate::Client`].
///
/// ```
/// use pagos_kashio::{KashioClient, CERT_BASE_URL};
///
/// let client = KashioClient::builder()
///     .secret_key("sk_test_xxx")
///     .base_url(CERT_BASE_URL)?
///     .build()?;
/// assert_eq!(client.base_url().as_str(), CERT_BASE_URL);
/// assert!(!format!("{client:?}").contains("sk_test_xxx"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Clone)]
pub struct KashioClient {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: BaseUrl,
    /// `Basic base64("sk_…:")`, computed once.
    authorization: SecretString,
    transport: Transport,
}

impl fmt::Debug for KashioClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KashioClient")
            .field("base_url", &self.inner.base_url)
            .field("secret_key", &"[REDACTED]")
            .field("transport", &self.inner.transport)
            .finish()
    }
}

impl KashioClient {
    /// Starts a builder.
    pub fn builder() -> KashioClientBuilder {
        KashioClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base_url
    }

    /// A request to `base_url/segments…` carrying the credentials.
    ///
    /// Authentication is HTTP Basic with the secret key as user name and an empty
    /// password (`curl -u sk_…:`). The API document's prose also shows
    /// `Authorization: basic your_private_api_key` (the bare key, not base64); that is
    /// shorthand for the same Basic scheme, which is what the curl example really
    /// sends, so the standard `Basic base64("sk_…:")` form is used.
    pub(crate) fn request(
        &self,
        method: Method,
        segments: &[&str],
        operation: &'static str,
    ) -> Result<Request, Error> {
        let url = self.inner.base_url.join(segments)?;
        Ok(Request::new(method, url, operation)
            .sensitive_header("authorization", self.inner.authorization.expose_secret())?
            .header("accept", "application/json")?)
    }

    /// Sends a request; any non-2xx answer becomes an [`Error::Provider`].
    pub(crate) async fn send(&self, request: Request) -> Result<Response, Error> {
        let response = self.inner.transport.send(PROVIDER_NAME, request).await?;
        if response.is_success() {
            Ok(response)
        } else {
            Err(provider_error(&response))
        }
    }
}

/// Builder for [`KashioClient`].
///
/// ```
/// use pagos_kashio::Client;
/// let err = Client::builder().build().unwrap_err();
/// assert_eq!(err.to_string(), "configuration error in secret_key: missing: set the KashIO secret API key (sk_…)");
/// ```
#[derive(Default)]
#[must_use]
pub struct KashioClientBuilder {
    secret_key: Option<SecretString>,
    base_url: Option<BaseUrl>,
    transport: Option<Transport>,
}

impl fmt::Debug for KashioClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KashioClientBuilder")
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "[REDACTED]"),
            )
            .field("base_url", &self.base_url)
            .field("transport", &self.transport)
            .finish()
    }
}

impl KashioClientBuilder {
    /// The secret API key (`sk_test_…`, `sk_live_…` or `sk_cert_…`). Required.
    pub fn secret_key(mut self, key: impl Into<SecretString>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// Overrides the base URL (default [`DEFAULT_BASE_URL`]; see also
    /// [`CERT_BASE_URL`]). Must be `https`, or `http` on a loopback host.
    ///
    /// # Errors
    /// A [`ConfigError`] on `base_url` for a malformed or plain-http non-loopback URL.
    pub fn base_url(mut self, url: &str) -> Result<Self, ConfigError> {
        self.base_url = Some(BaseUrl::parse(url)?);
        Ok(self)
    }

    /// Shares a [`Transport`] (connection pool, timeouts, retries) with other clients.
    /// Default: [`Transport::new`].
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] naming `secret_key` when it is missing, empty, or has a `:`,
    /// white space or control characters (it could not be a Basic user name); or when
    /// the default transport cannot be built.
    pub fn build(self) -> Result<KashioClient, Error> {
        let key = self.secret_key.ok_or_else(|| {
            ConfigError::new(
                "secret_key",
                "missing: set the KashIO secret API key (sk_…)",
            )
        })?;
        let key_text = key.expose_secret();
        if key_text.is_empty() {
            return Err(ConfigError::new("secret_key", "is empty").into());
        }
        if key_text
            .chars()
            .any(|c| c == ':' || c.is_whitespace() || c.is_control())
        {
            return Err(ConfigError::new(
                "secret_key",
                "must not contain ':', white space or control characters",
            )
            .into());
        }
        let authorization =
            SecretString::from(format!("Basic {}", STANDARD.encode(format!("{key_text}:"))));
        let base_url = match self.base_url {
            Some(url) => url,
            None => BaseUrl::parse(DEFAULT_BASE_URL)?,
        };
        let transport = match self.transport {
            Some(t) => t,
            None => Transport::new()?,
        };
        Ok(KashioClient {
            inner: Arc::new(Inner {
                base_url,
                authorization,
                transport,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_is_key_and_empty_password() {
        let client = KashioClient::builder()
            .secret_key("sk_test_abc")
            .build()
            .unwrap();
        let req = client
            .request(Method::GET, &["invoices", "inv_1"], "get_invoice")
            .unwrap();
        assert_eq!(
            req.headers()["authorization"],
            // base64("sk_test_abc:")
            "Basic c2tfdGVzdF9hYmM6"
        );
        assert!(req.headers()["authorization"].is_sensitive());
        assert_eq!(
            req.url().as_str(),
            "https://api.kashio.net/v1/payments/invoices/inv_1"
        );
    }

    #[test]
    fn bad_keys_are_config_errors_without_the_value() {
        for key in ["", "sk_test:x", "sk test", "sk_\n"] {
            let err = KashioClient::builder().secret_key(key).build().unwrap_err();
            assert!(matches!(&err, Error::Config(c) if c.setting() == "secret_key"));
            if !key.is_empty() {
                assert!(!err.to_string().contains(key));
            }
        }
        let err = KashioClient::builder()
            .secret_key("sk_x")
            .base_url("http://api.kashio.net/v1/payments")
            .unwrap_err();
        assert_eq!(err.setting(), "base_url");
    }

    #[test]
    fn client_is_send_sync_clone() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<KashioClient>();
    }
}
