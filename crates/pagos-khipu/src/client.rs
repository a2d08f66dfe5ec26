//! [`KhipuClient`] and its builder.

use std::fmt;
use std::sync::Arc;

use pagos_core::transport::Method;
use pagos_core::{
    BaseUrl, ConfigError, Error, ExposeSecret, Request, Response, SecretString, Transport,
};
use serde::de::DeserializeOwned;

use crate::banks::Banks;
use crate::merchants::Merchants;
use crate::payments::Payments;
use crate::receivers::Receivers;
use crate::signature;

/// The provider name used in errors, tracing and [`pagos_core::Payment::provider`].
pub const PROVIDER: &str = "khipu";

/// Khipu's documented production base URL. Development accounts use the same host.
pub const DEFAULT_BASE_URL: &str = "https://khipu.com/api/2.0";

const FORM: &str = "application/x-www-form-urlencoded";

/// A Khipu REST API 2.0 client: cheap to clone (one `Arc` inside), `Send + Sync`.
///
/// Every call is signed with the receiver's secret (see [`crate::signature`]).
/// Endpoints are grouped by resource: [`payments`](Self::payments),
/// [`banks`](Self::banks), [`receivers`](Self::receivers),
/// [`merchants`](Self::merchants); the unified API is the
/// [`PaymentProvider`](pagos_core::PaymentProvider) implementation.
///
/// ```no_run
/// # async fn run() -> pagos_core::Result<()> {
/// use pagos_khipu::KhipuClient;
///
/// let client = KhipuClient::builder()
///     .receiver_id(1234u64)
///     .secret("my-secret")
///     .build()?;
/// let banks = client.banks().list().await?;
/// println!("{} banks", banks.banks.len());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct KhipuClient {
    inner: Arc<Inner>,
}

struct Inner {
    receiver_id: String,
    secret: SecretString,
    base_url: BaseUrl,
    transport: Transport,
}

impl fmt::Debug for KhipuClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KhipuClient")
            .field("receiver_id", &self.inner.receiver_id)
            .field("secret", &"[REDACTED]")
            .field("base_url", &self.inner.base_url)
            .field("transport", &self.inner.transport)
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
        &self.inner.receiver_id
    }

    /// The base URL the client sends to (and signs over).
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base_url
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

    /// Describes a signed call without sending it: the URL is the base URL plus the
    /// (percent-encoded) `segments`, `query` goes in the query string, `form` in a
    /// form-encoded body (POST only). Every request carries
    /// `Content-Type: application/x-www-form-urlencoded`, `Accept: application/json` and
    /// `Authorization: <receiver_id>:<signature>` over exactly the strings sent.
    pub(crate) fn signed_request(
        &self,
        method: Method,
        segments: &[&str],
        operation: &'static str,
        query: &[(&'static str, String)],
        form: &[(&'static str, String)],
    ) -> Result<Request, Error> {
        let url = self.inner.base_url.join(segments)?;
        let params: Vec<(&str, Option<&str>)> = query
            .iter()
            .chain(form)
            .map(|(k, v)| (*k, Some(v.as_str())))
            .collect();
        let authorization = signature::authorization(
            &self.inner.receiver_id,
            self.inner.secret.expose_secret(),
            method.as_str(),
            url.as_str(),
            &params,
        );
        let has_body = method == Method::POST || method == Method::PUT || !form.is_empty();
        let mut request = Request::new(method, url, operation).query(query);
        if has_body {
            request = request.form(form);
        } else {
            // Khipu documents the form content type for every call, GET and DELETE too.
            request.set_content_type(FORM);
        }
        Ok(request
            .header("accept", "application/json")?
            .sensitive_header("authorization", &authorization)?)
    }

    /// Sends a request described by one of the `prepare_*` methods and returns the
    /// 2xx answer.
    ///
    /// # Errors
    /// [`Error::Provider`] for a non-2xx answer (Khipu's error envelope decoded, raw body
    /// kept); [`Error::NotSent`] / [`Error::OutcomeUnknown`] from the transport.
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        let response = self.inner.transport.send(PROVIDER, request).await?;
        if response.is_success() {
            Ok(response)
        } else {
            Err(response.refusal(crate::error::provider_error(&response)))
        }
    }

    /// Sends a request and decodes the 2xx JSON answer, also returning it as a
    /// `serde_json::Value` for [`pagos_core::Payment::raw`].
    pub(crate) async fn execute_json<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<(T, pagos_core::Raw), Error> {
        let response = self.execute(request).await?;
        decode(&response)
    }
}

/// Decodes a success body into `T` (undecodable => `OutcomeUnknown` with the raw body)
/// and into a `Value`.
pub(crate) fn decode<T: DeserializeOwned>(
    response: &Response,
) -> Result<(T, pagos_core::Raw), Error> {
    response.json_with_raw()
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
    /// The receiver (collection account) id, a number: `1234u64` or `"1234"`.
    pub fn receiver_id(mut self, receiver_id: impl fmt::Display) -> Self {
        self.receiver_id = Some(receiver_id.to_string().trim().to_string());
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
    pub fn base_url(mut self, base_url: &str) -> Result<Self, ConfigError> {
        self.base_url = Some(BaseUrl::parse(base_url)?);
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
    /// [`Error::Config`] naming `receiver_id` or `secret` when missing or malformed (a
    /// receiver id is a number), or from [`Transport::new`] when no transport was given.
    pub fn build(self) -> Result<KhipuClient, Error> {
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
        Ok(KhipuClient {
            inner: Arc::new(Inner {
                receiver_id,
                secret,
                base_url,
                transport,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> KhipuClient {
        KhipuClient::builder()
            .receiver_id(1234u64)
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
        let e = KhipuClient::builder().receiver_id(1).build().unwrap_err();
        assert!(
            matches!(&e, Error::Config(c) if c.setting() == "secret"),
            "{e}"
        );
        let e = KhipuClient::builder()
            .receiver_id(1)
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
            .receiver_id("985101")
            .secret("s")
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
        let b = KhipuClient::builder().secret("abc123");
        assert!(!format!("{b:?}").contains("abc123"));
    }

    #[test]
    fn get_requests_carry_form_content_type_and_no_body() {
        let req = client()
            .signed_request(Method::GET, &["banks"], "list_banks", &[], &[])
            .unwrap();
        assert_eq!(req.url().as_str(), "https://khipu.com/api/2.0/banks");
        assert_eq!(req.headers()["content-type"], FORM);
        assert_eq!(req.headers()["accept"], "application/json");
        assert!(req.body_bytes().is_empty());
        assert!(req.headers()["authorization"].is_sensitive());
    }
}
