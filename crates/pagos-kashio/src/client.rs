//! The KashIO client, its builder, and how a request is described and authorized.

use std::fmt;

use pagos_core::endpoint::{Endpoint, Executor, SecretHeader};
use pagos_core::transport::{Method, Request, Response};
use pagos_core::{BaseUrl, ConfigError, Error, ExposeSecret, Result, SecretString, Transport};

use crate::PROVIDER;
use crate::events::Events;
use crate::invoices::Invoices;

/// KashIO's production host. One host serves test and live mode: the secret key
/// (`sk_test_…` or `sk_live_…`) chooses.
pub const DEFAULT_BASE_URL: &str = "https://api.kashio.net/v1/payments";

/// KashIO's certification host, used with `sk_cert_…` keys.
pub const CERT_BASE_URL: &str = "https://cert-api.kashio.net/v1/payments";

/// A KashIO Payments client: invoices (payment orders) and events.
///
/// Each resource of KashIO's API document has a handle: [`KashioClient::invoices`] and
/// [`KashioClient::events`]. Every endpoint is also a value (see [`crate::invoices`],
/// [`crate::events`]) that [`KashioClient::run`] runs.
///
/// Cheap to clone (an `Arc` inside); `Send + Sync`.
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
    executor: Executor<SecretHeader>,
}

impl fmt::Debug for KashioClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KashioClient")
            .field("base_url", self.executor.base_url())
            .field("secret_key", &"[REDACTED]")
            .field("transport", self.executor.transport())
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
        self.executor.base_url()
    }

    /// The executor every endpoint runs through: HTTP Basic with the secret key, the
    /// transport, and KashIO's refusal reading ([`crate::error::refusal`]). Wire tests
    /// use [`Executor::authorized`] to see a request exactly as it would be sent.
    pub fn executor(&self) -> &Executor<SecretHeader> {
        &self.executor
    }

    /// Runs any endpoint value and returns its typed answer.
    ///
    /// ```no_run
    /// # async fn run(client: pagos_kashio::KashioClient) -> Result<(), pagos_core::Error> {
    /// use pagos_kashio::invoices::GetInvoice;
    ///
    /// let invoice = client.run(&GetInvoice::new("inv_live_oFPMsJmgmxBhPiWAoWFZ3n")).await?;
    /// println!("{} {}", invoice.id, invoice.status);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] before sending; [`Error::Provider`] when KashIO refuses;
    /// [`Error::NotSent`] / [`Error::OutcomeUnknown`] from the transport or an
    /// unreadable answer (with the endpoint's hint); see [`Error`].
    pub async fn run<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output> {
        self.executor.run(endpoint).await
    }

    /// Runs any endpoint value and returns KashIO's accepted answer unparsed.
    ///
    /// # Errors
    /// As [`KashioClient::run`], except that the answer is not read.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<Response> {
        self.executor.send(endpoint).await
    }

    /// Invoices ("Órdenes de Pago"): create, get, update, void, list, stream.
    pub fn invoices(&self) -> Invoices<'_> {
        Invoices::new(self)
    }

    /// Events (an invoice was paid or expired): get, list, stream, and the
    /// confirmation of a notified event.
    pub fn events(&self) -> Events<'_> {
        Events::new(self)
    }
}

/// The request every endpoint describes: `base/segments…` with `Accept:
/// application/json`, credentials left to the executor.
///
/// Authentication is HTTP Basic with the secret key as user name and an empty password
/// (`curl -u sk_…:`), added by [`SecretHeader::basic`]. The prose of KashIO's API
/// document ("Autenticación") also shows `Authorization: basic your_private_api_key`
/// (the bare key, not base64); that is shorthand for the same Basic scheme, which is
/// what its curl examples really send, so the standard `Basic base64("sk_…:")` form is
/// used.
pub(crate) fn request(
    method: Method,
    base: &BaseUrl,
    segments: &[&str],
    operation: &'static str,
) -> Result<Request> {
    Ok(Request::new(method, base.join(segments)?, operation)
        .header("accept", "application/json")?)
}

/// Builder for [`KashioClient`].
///
/// ```
/// use pagos_kashio::KashioClient;
/// let err = KashioClient::builder().build().unwrap_err();
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
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(SecretString::from(key.into()));
        self
    }

    /// Overrides the base URL (default [`DEFAULT_BASE_URL`]; see also
    /// [`CERT_BASE_URL`]). Must be `https`, or `http` on a loopback host.
    ///
    /// # Errors
    /// A [`ConfigError`] on `base_url` for a malformed or plain-http non-loopback URL.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Result<Self, ConfigError> {
        self.base_url = Some(BaseUrl::parse(url.as_ref())?);
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
        let auth = SecretHeader::basic(key_text, "");
        let base_url = match self.base_url {
            Some(url) => url,
            None => BaseUrl::parse(DEFAULT_BASE_URL)?,
        };
        let transport = match self.transport {
            Some(t) => t,
            None => Transport::new()?,
        };
        let executor =
            Executor::new(PROVIDER, base_url, transport, auth).with_refusal(crate::error::refusal);
        Ok(KashioClient { executor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoices::GetInvoice;

    #[tokio::test]
    async fn basic_header_is_key_and_empty_password() {
        let client = KashioClient::builder()
            .secret_key("sk_test_abc")
            .build()
            .unwrap();
        let req = client
            .executor()
            .authorized(&GetInvoice::new("inv_1"))
            .await
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
        // Described without credentials.
        let described = client
            .executor()
            .describe(&GetInvoice::new("inv_1"))
            .unwrap();
        assert!(described.header_str("authorization").is_none());
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
