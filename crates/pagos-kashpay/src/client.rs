//! [`KashpayClient`] and its builder.

use std::fmt;
use std::time::Duration;

use pagos_core::endpoint::{Endpoint, Executor, NoAuth};
use pagos_core::token::TokenSession;
use pagos_core::{BaseUrl, ConfigError, Error, Response, Result, SecretString, Transport};

use crate::PROVIDER;
use crate::assumptions::WireAssumptions;
use crate::auth::{Credentials, KashpayAuth, KashpayAuthenticator};
use crate::orders::{OrderDefaults, Orders};

/// Kashpay's sandbox authentication host (plain `http`, as documented).
pub const SANDBOX_AUTH_BASE_URL: &str = "http://sdbx-polaris.kashplataforma.com";
/// Kashpay's sandbox orders (OKPay) host (plain `http`, as documented).
///
/// The Kashpay API's code samples under `createOrder` are copies of the authentication
/// sample (polaris); its "HTTP Request" line and Kashpay's public documentation give
/// centauri, which we follow.
pub const SANDBOX_ORDERS_BASE_URL: &str = "http://sdbx-centauri.kashplataforma.com";
/// Kashpay's production authentication host (Kashpay's public documentation).
pub const PRODUCTION_AUTH_BASE_URL: &str = "https://polaris.kashplataforma.com";

/// Which Kashpay hosts a client talks to when no base URL is set explicitly.
///
/// ```
/// use pagos_kashpay::Environment;
/// assert_eq!(Environment::Sandbox.auth_base_url(), "http://sdbx-polaris.kashplataforma.com");
/// assert_eq!(Environment::Production.orders_base_url(), None); // not published: set it yourself
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Environment {
    /// Production: authentication at [`PRODUCTION_AUTH_BASE_URL`]. The production
    /// orders host is not published, so
    /// [`orders_base_url`](KashpayClientBuilder::orders_base_url) must be set.
    #[default]
    Production,
    /// Sandbox: [`SANDBOX_AUTH_BASE_URL`] and [`SANDBOX_ORDERS_BASE_URL`] (plain http).
    Sandbox,
}

impl Environment {
    /// The authentication base URL.
    pub const fn auth_base_url(self) -> &'static str {
        match self {
            Environment::Production => PRODUCTION_AUTH_BASE_URL,
            Environment::Sandbox => SANDBOX_AUTH_BASE_URL,
        }
    }

    /// The orders base URL, when Kashpay publishes one.
    pub const fn orders_base_url(self) -> Option<&'static str> {
        match self {
            Environment::Production => None,
            Environment::Sandbox => Some(SANDBOX_ORDERS_BASE_URL),
        }
    }

    /// Parses one of this environment's documented hosts. Plain `http` is accepted
    /// here, and only here, because Kashpay's sandbox has no TLS.
    fn parse(url: &'static str, setting: &'static str) -> Result<BaseUrl, ConfigError> {
        BaseUrl::parse_allowing_http(url).map_err(|e| ConfigError::new(setting, e.message()))
    }
}

/// A Kashpay / Onsigna client: session tokens and `createOrder`.
///
/// Cheap to clone (clones share the token session and the connection pool);
/// `Send + Sync`. Also available as [`crate::Client`].
///
/// - [`orders`](KashpayClient::orders): `createOrder`;
/// - [`session`](KashpayClient::session): the token session (authenticate ahead of
///   the first call, see how long the token lives);
/// - [`run`](KashpayClient::run) / [`send`](KashpayClient::send): any endpoint value,
///   e.g. [`CreateOrder`](crate::CreateOrder), through the client's executor.
///
/// ```no_run
/// use pagos_core::{Currency, Money};
/// use pagos_kashpay::{AccountType, Environment, KashpayClient, OrderRequest, TransactionType};
///
/// # async fn run() -> pagos_core::Result<()> {
/// let client = KashpayClient::builder()
///     .entity("com.cascade")
///     .user("jim@cascadefintech.com")
///     .password(std::env::var("KASHPAY_PASSWORD").unwrap_or_default())
///     .environment(Environment::Sandbox)
///     .build()?;
/// let order = OrderRequest::builder(TransactionType::SpeiOut, Money::parse("250", Currency::Mxn)?)
///     .beneficiary(AccountType::Clabe, "032180000118359719", "Florentino Eter")
///     .concept("Deposito Maria")
///     .numeric_reference(43223123)
///     .alphanumeric_reference("PROVV0011712091")
///     .build()?;
/// let created = client.orders().create(&order).await?;
/// println!("order {} is {:?}", created.id, created.status);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct KashpayClient {
    executor: Executor<KashpayAuth>,
    defaults: OrderDefaults,
    assumptions: WireAssumptions,
}

impl fmt::Debug for KashpayClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The session's Debug shows the authenticator (password redacted) and whether a
        // token is cached, never the token.
        f.debug_struct("KashpayClient")
            .field("orders_base_url", self.executor.base_url())
            .field("entity", &self.entity())
            .field("entity_id", &self.defaults.id_entity)
            .field("bank_id", &self.defaults.id_bank)
            .field("wire_assumptions", &self.assumptions)
            .field("session", self.session())
            .field("transport", self.executor.transport())
            .finish()
    }
}

impl KashpayClient {
    /// Starts a builder.
    pub fn builder() -> KashpayClientBuilder {
        KashpayClientBuilder::default()
    }

    /// The orders resource (`createOrder`).
    pub fn orders(&self) -> Orders<'_> {
        Orders::new(self)
    }

    /// The executor every order goes through: the orders host, the session token and
    /// `Entity-i` ([`KashpayAuth`]), Kashpay's envelope as the refusal hook.
    pub fn executor(&self) -> &Executor<KashpayAuth> {
        &self.executor
    }

    /// Runs any endpoint on the orders host with the session headers and returns its
    /// typed output.
    ///
    /// # Errors
    /// As [`Executor::run`]: [`Error::Validation`] before sending, [`Error::Provider`]
    /// for Kashpay's refusal, [`Error::NotSent`] / [`Error::OutcomeUnknown`] otherwise.
    pub async fn run<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output> {
        self.executor.run(endpoint).await
    }

    /// Runs any endpoint and returns the accepted answer unparsed.
    ///
    /// # Errors
    /// As [`KashpayClient::run`], except that the answer is not read.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<Response> {
        self.executor.send(endpoint).await
    }

    /// The orders (OKPay) base URL, which the client's executor joins endpoints to.
    pub fn base_url(&self) -> &BaseUrl {
        self.executor.base_url()
    }

    /// The orders (OKPay) base URL (the same as [`KashpayClient::base_url`]).
    pub fn orders_base_url(&self) -> &BaseUrl {
        self.executor.base_url()
    }

    /// The authentication base URL.
    pub fn auth_base_url(&self) -> &BaseUrl {
        self.session().authenticator().executor().base_url()
    }

    /// The entity sent as `Entity-i` (e.g. `com.cascade`).
    pub fn entity(&self) -> &str {
        self.executor.auth().entity()
    }

    /// The `idEntity` / `idBank` sent on orders that do not set them.
    pub fn order_defaults(&self) -> OrderDefaults {
        self.defaults
    }

    /// The assumed `createOrder` rules this client checks and writes orders with
    /// ([`WireAssumptions`]; the SDK's defaults unless the builder set others).
    pub fn wire_assumptions(&self) -> &WireAssumptions {
        &self.assumptions
    }

    /// The same client (same session and transport) checking and writing orders with
    /// `assumptions` instead; for code that receives a built client, such as one from
    /// [`client_from_config`](crate::client_from_config).
    ///
    /// ```
    /// use pagos_kashpay::{Client, Environment, WireAssumptions};
    /// let client = Client::builder()
    ///     .environment(Environment::Sandbox)
    ///     .entity("com.cascade")
    ///     .user("jim@cascadefintech.com")
    ///     .password("secret")
    ///     .build()?
    ///     .with_wire_assumptions(WireAssumptions::default().concept_max_chars(60));
    /// assert_eq!(client.wire_assumptions().concept_max_chars, 60);
    /// # Ok::<(), pagos_core::Error>(())
    /// ```
    #[must_use]
    pub fn with_wire_assumptions(mut self, assumptions: WireAssumptions) -> Self {
        self.assumptions = assumptions;
        self
    }

    /// The token session: cached, single-flight, renewed before it expires; the
    /// executor re-authenticates once after a 401/403.
    /// [`TokenSession::token`] authenticates ahead of the first call, if you want to.
    pub fn session(&self) -> &TokenSession<KashpayAuthenticator> {
        self.executor.auth().session()
    }
}

/// Builder for [`KashpayClient`].
#[derive(Clone, Default)]
#[must_use]
pub struct KashpayClientBuilder {
    entity: Option<String>,
    user: Option<String>,
    password: Option<SecretString>,
    environment: Environment,
    auth_base: Option<BaseUrl>,
    orders_base: Option<BaseUrl>,
    transport: Option<Transport>,
    refresh_margin: Option<Duration>,
    defaults: OrderDefaults,
    assumptions: WireAssumptions,
}

impl fmt::Debug for KashpayClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KashpayClientBuilder")
            .field("entity", &self.entity)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "[REDACTED]"))
            .field("environment", &self.environment)
            .field("auth_base_url", &self.auth_base)
            .field("orders_base_url", &self.orders_base)
            .field("transport", &self.transport)
            .field("refresh_margin", &self.refresh_margin)
            .field("entity_id", &self.defaults.id_entity)
            .field("bank_id", &self.defaults.id_bank)
            .field("wire_assumptions", &self.assumptions)
            .finish()
    }
}

impl KashpayClientBuilder {
    /// The entity registered with Kashpay (e.g. `com.cascade`): sent when
    /// authenticating and as the `Entity-i` header. Required.
    pub fn entity(mut self, entity: impl Into<String>) -> Self {
        self.entity = Some(entity.into());
        self
    }

    /// The user (the registered e-mail). Required.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// The password. Required; kept in a [`SecretString`] and never shown by `Debug`.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(SecretString::from(password.into()));
        self
    }

    /// Which documented hosts to use when no base URL is set (default: production).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Overrides the authentication base URL (`https`, or `http` on loopback).
    ///
    /// # Errors
    /// A [`ConfigError`] on `auth_base_url` for a malformed or non-https URL.
    pub fn auth_base_url(mut self, url: impl AsRef<str>) -> Result<Self, ConfigError> {
        self.auth_base = Some(parse_user_url(url.as_ref(), "auth_base_url")?);
        Ok(self)
    }

    /// Overrides the orders (OKPay) base URL (`https`, or `http` on loopback). Required
    /// in production, whose orders host Kashpay does not publish.
    ///
    /// # Errors
    /// A [`ConfigError`] on `orders_base_url` for a malformed or non-https URL.
    pub fn orders_base_url(mut self, url: impl AsRef<str>) -> Result<Self, ConfigError> {
        self.orders_base = Some(parse_user_url(url.as_ref(), "orders_base_url")?);
        Ok(self)
    }

    /// Sets both base URLs to one host, e.g. the pagos simulator
    /// (`http://127.0.0.1:PORT/kashpay`), which serves both services.
    ///
    /// # Errors
    /// A [`ConfigError`] on `base_url` for a malformed or non-https URL.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Result<Self, ConfigError> {
        let base = parse_user_url(url.as_ref(), "base_url")?;
        self.auth_base = Some(base.clone());
        self.orders_base = Some(base);
        Ok(self)
    }

    /// Shares a [`Transport`] (connection pool, timeouts, retries) with other clients.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Renews the token this long before it expires (default 60 s).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = Some(margin);
        self
    }

    /// Kashpay's numeric id of your entity, sent as `idEntity` on orders that do not
    /// set it (payouts never do).
    pub fn entity_id(mut self, id: u64) -> Self {
        self.defaults.id_entity = Some(id);
        self
    }

    /// The `idBank` sent on orders that do not set it (payouts never do).
    pub fn bank_id(mut self, id: u64) -> Self {
        self.defaults.id_bank = Some(id);
        self
    }

    /// The assumed `createOrder` rules (see [`WireAssumptions`]: every rule the Kashpay
    /// API leaves undocumented, with the SDK's default reading). Override them when
    /// Kashpay tells you otherwise; the client's orders and payouts are checked and
    /// written with them.
    pub fn wire_assumptions(mut self, assumptions: WireAssumptions) -> Self {
        self.assumptions = assumptions;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] naming the setting: `entity`, `user` or `password` missing or
    /// blank (or an entity a header cannot carry); `orders_base_url` missing in
    /// production; a transport that cannot be built.
    pub fn build(self) -> Result<KashpayClient> {
        let entity = required(self.entity, "entity")?;
        if !entity.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ConfigError::new(
                "entity",
                "the entity is sent as the Entity-i header: visible ASCII characters only",
            )
            .into());
        }
        let user = required(self.user, "user")?;
        let password = match self.password {
            Some(p)
                if !pagos_core::ExposeSecret::expose_secret(&p)
                    .trim()
                    .is_empty() =>
            {
                p
            }
            _ => return Err(ConfigError::new("password", "is required").into()),
        };
        let auth_base = match self.auth_base {
            Some(b) => b,
            None => Environment::parse(self.environment.auth_base_url(), "auth_base_url")?,
        };
        let orders_base = match (self.orders_base, self.environment.orders_base_url()) {
            (Some(b), _) => b,
            (None, Some(url)) => Environment::parse(url, "orders_base_url")?,
            (None, None) => {
                return Err(ConfigError::new(
                    "orders_base_url",
                    "Kashpay does not publish its production orders (OKPay) host: set \
                     orders_base_url to the host Kashpay gave you, or use Environment::Sandbox",
                )
                .into());
            }
        };
        let transport = match self.transport {
            Some(t) => t,
            None => Transport::new()?,
        };
        let auth_executor = Executor::new(PROVIDER, auth_base, transport.clone(), NoAuth)
            .with_refusal(crate::error::refusal);
        let authenticator = KashpayAuthenticator::new(
            auth_executor,
            Credentials::from_secret(entity, user, password),
        )?;
        // Waiting for a token is bounded like any attempt: the transport's timeout.
        let mut session = TokenSession::new(authenticator)
            .with_provider(PROVIDER)
            .with_wait_timeout(transport.timeout());
        if let Some(margin) = self.refresh_margin {
            session = session.with_refresh_margin(margin);
        }
        let executor = Executor::new(PROVIDER, orders_base, transport, KashpayAuth::new(session))
            .with_refusal(crate::error::refusal);
        Ok(KashpayClient {
            executor,
            defaults: self.defaults,
            assumptions: self.assumptions,
        })
    }
}

fn parse_user_url(url: &str, setting: &'static str) -> Result<BaseUrl, ConfigError> {
    BaseUrl::parse(url).map_err(|e| ConfigError::new(setting, e.message()))
}

fn required(value: Option<String>, setting: &'static str) -> Result<String, Error> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
        _ => Err(ConfigError::new(setting, "is required").into()),
    }
}
