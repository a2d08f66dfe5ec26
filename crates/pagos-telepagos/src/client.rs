//! The TelePagos client, its builder and the authenticated request plumbing.

use std::fmt;
use std::sync::Arc;

use pagos_core::token::TokenSession;
use pagos_core::transport::Request;
use pagos_core::{BaseUrl, ConfigError, Error, Response, Result, SecretString, Transport};
use serde::de::DeserializeOwned;

use crate::PROVIDER;
use crate::auth::{REFRESH_MARGIN, TelepagosAuthenticator};
use crate::error;

/// A TelePagos environment: which host the client talks to.
///
/// ```
/// use pagos_telepagos::Environment;
/// assert_eq!(Environment::Production.base_url(), "https://api.telepagos.com.ar");
/// assert_eq!(Environment::Homologation.base_url(), "https://api.homo.telepagos.com.ar");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Environment {
    /// Live money: `https://api.telepagos.com.ar` (the default).
    #[default]
    Production,
    /// The homologation (sandbox) host: `https://api.homo.telepagos.com.ar`.
    Homologation,
}

impl Environment {
    /// The environment's base URL. Paths (`v2/...`) are joined to it.
    pub const fn base_url(self) -> &'static str {
        match self {
            Environment::Production => "https://api.telepagos.com.ar",
            Environment::Homologation => "https://api.homo.telepagos.com.ar",
        }
    }
}

/// A TelePagos ("API Telepagos Empresas") client.
///
/// Cheap to clone: clones share the connection pool and the session token. The token
/// is obtained on first use with `POST v2/auth/token`, reused until shortly before it
/// expires, shared by concurrent calls (one authentication for all of them), and
/// renewed once when the provider refuses it with 401/403.
///
/// ```no_run
/// use pagos_telepagos::{Client, Environment};
///
/// # async fn run() -> pagos_core::Result<()> {
/// let client = Client::builder()
///     .username("api-user")
///     .password("api-password")
///     .environment(Environment::Homologation)
///     .build()?;
/// let balance = client.account_balance().await?;
/// println!("{}", balance.amount);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TelepagosClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) transport: Transport,
    pub(crate) base_url: BaseUrl,
    pub(crate) session: TokenSession<TelepagosAuthenticator>,
}

impl fmt::Debug for TelepagosClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The session's Debug shows whether a token is held, never the token; the
        // authenticator's shows the username and `[REDACTED]` for the password.
        f.debug_struct("TelepagosClient")
            .field("base_url", &self.inner.base_url)
            .field("session", &self.inner.session)
            .finish_non_exhaustive()
    }
}

impl TelepagosClient {
    /// Starts a builder.
    pub fn builder() -> TelepagosClientBuilder {
        TelepagosClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base_url
    }

    /// The URL of a path under the base URL; each segment is percent-encoded.
    pub(crate) fn url(&self, segments: &[&str]) -> Result<url::Url> {
        Ok(self.inner.base_url.join(segments)?)
    }

    /// Sends `request` with the session token and decodes the answer as `T` after the
    /// envelope check of [`crate::error`]. Returns the answer too, for its raw body.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<(T, Response)> {
        let resp = self.send_raw(request).await?;
        let value = resp.json::<T>()?;
        Ok((value, resp))
    }

    /// Sends `request` with the session token; the answer has passed the envelope check.
    pub(crate) async fn send_raw(&self, request: Request) -> Result<Response> {
        let inner = &self.inner;
        inner
            .session
            .call(|token| {
                let request = request
                    .clone()
                    .sensitive_header("authorization", &format!("Bearer {}", token.expose()));
                async move {
                    let resp = inner.transport.send(PROVIDER, request?).await?;
                    error::check(&resp)?;
                    Ok(resp)
                }
            })
            .await
    }
}

/// Builder for [`TelepagosClient`].
///
/// ```
/// use pagos_telepagos::Client;
///
/// let client = Client::builder()
///     .username("api-user")
///     .password("api-password")
///     .base_url("http://127.0.0.1:8080/telepagos")?
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "http://127.0.0.1:8080/telepagos");
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Default)]
#[must_use]
pub struct TelepagosClientBuilder {
    username: Option<String>,
    password: Option<SecretString>,
    environment: Environment,
    base_url: Option<BaseUrl>,
    transport: Option<Transport>,
}

impl fmt::Debug for TelepagosClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TelepagosClientBuilder")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[REDACTED]"))
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("transport", &self.transport)
            .finish()
    }
}

impl TelepagosClientBuilder {
    /// The API username (the API credentials, not the web platform's).
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The API password.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(SecretString::from(password.into()));
        self
    }

    /// The API password, already in a [`SecretString`].
    pub fn password_secret(mut self, password: SecretString) -> Self {
        self.password = Some(password);
        self
    }

    /// The environment (default [`Environment::Production`]); ignored when
    /// [`base_url`](Self::base_url) is set.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Any base URL, e.g. a simulator at `http://127.0.0.1:PORT/telepagos`; paths
    /// (`v2/...`) are joined to it. Overrides [`environment`](Self::environment).
    ///
    /// # Errors
    /// [`Error::Config`] on `base_url` for a malformed URL or plain `http` to a
    /// non-loopback host.
    pub fn base_url(mut self, base_url: &str) -> Result<Self> {
        self.base_url = Some(BaseUrl::parse(base_url)?);
        Ok(self)
    }

    /// The transport to send through, to share a connection pool and retry policy
    /// (default: `Transport::new()`).
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] naming `username` or `password` when missing or blank, or the
    /// transport's configuration error.
    pub fn build(self) -> Result<TelepagosClient> {
        let username = self
            .username
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| ConfigError::new("username", "the API username is required"))?;
        let password = self
            .password
            .filter(|p| !pagos_core::ExposeSecret::expose_secret(p).is_empty())
            .ok_or_else(|| ConfigError::new("password", "the API password is required"))?;
        let base_url = match self.base_url {
            Some(url) => url,
            None => BaseUrl::parse(self.environment.base_url()).map_err(Error::from)?,
        };
        let transport = match self.transport {
            Some(t) => t,
            None => Transport::new()?,
        };
        let wait_timeout = transport.timeout();
        let authenticator = TelepagosAuthenticator {
            transport: transport.clone(),
            base_url: base_url.clone(),
            username,
            password,
        };
        Ok(TelepagosClient {
            inner: Arc::new(Inner {
                transport,
                base_url,
                // Waiting for a token is bounded like any attempt: the transport's timeout.
                session: TokenSession::new(authenticator)
                    .with_refresh_margin(REFRESH_MARGIN)
                    .with_provider(PROVIDER)
                    .with_wait_timeout(wait_timeout),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_clone_send_sync() {
        fn assert_traits<T: Clone + Send + Sync + fmt::Debug + 'static>() {}
        assert_traits::<TelepagosClient>();
    }

    #[test]
    fn missing_credentials_name_the_setting() {
        let err = TelepagosClient::builder()
            .password("p")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(c) if c.setting() == "username"));
        let err = TelepagosClient::builder()
            .username("u")
            .password("")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(c) if c.setting() == "password"));
    }

    #[test]
    fn environments_and_base_url() {
        let c = TelepagosClient::builder()
            .username("u")
            .password("p")
            .build()
            .unwrap();
        assert_eq!(c.base_url().as_str(), "https://api.telepagos.com.ar");
        assert_eq!(
            c.url(&["v2", "auth", "token"]).unwrap().as_str(),
            "https://api.telepagos.com.ar/v2/auth/token"
        );
        let c = TelepagosClient::builder()
            .username("u")
            .password("p")
            .environment(Environment::Homologation)
            .build()
            .unwrap();
        assert_eq!(c.base_url().as_str(), "https://api.homo.telepagos.com.ar");
        let err = TelepagosClient::builder()
            .base_url("http://api.telepagos.com.ar")
            .unwrap_err();
        assert!(matches!(err, Error::Config(c) if c.setting() == "base_url"));
    }

    #[test]
    fn debug_redacts_the_password() {
        let b = TelepagosClient::builder()
            .username("u")
            .password("hunter2-secret");
        assert!(!format!("{b:?}").contains("hunter2"));
        let c = b.build().unwrap();
        let text = format!("{c:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("[REDACTED]"), "{text}");
    }
}
