//! The TelePagos client, its builder and its resource handles.

use std::fmt;

use pagos_core::endpoint::{Bearer, Endpoint, Executor, NoAuth};
use pagos_core::token::TokenSession;
use pagos_core::{BaseUrl, ConfigError, Response, Result, SecretString, Transport};
use time::UtcOffset;

use crate::PROVIDER;
use crate::account::{AccountHandle, TransactionsHandle};
use crate::auth::{Authenticate, REFRESH_MARGIN, TelepagosAuthenticator};
use crate::cashin::CashinsHandle;
use crate::cashout::CashoutsHandle;
use crate::error;
use crate::sale_points::SalePointsHandle;
use crate::statistics::StatisticsHandle;

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

/// Argentina time, UTC−3 (Argentina keeps no daylight saving time since 2009): the
/// default zone of the client's `Y-m-d H:i:s` timestamps.
pub const ARGENTINA: UtcOffset = time::macros::offset!(-3);

/// Where the parameters of a `GET` go that the TelePagos API documents with a JSON
/// body (`GET v2/payment/cashin/qr/sale-point/static` and `GET v2/account/transactions`).
///
/// The documents show a body, so [`Body`](GetParams::Body) is the default
/// ([`GetParamsPolicy::DOCUMENTED`]). A body on a `GET` has no defined meaning in HTTP
/// (RFC 9110 §9.3.1) and some proxies and servers drop it; if yours does, switch the
/// endpoint to [`Query`](GetParams::Query) with
/// [`TelepagosClientBuilder::get_params`].
///
/// ```
/// use pagos_telepagos::{GetParams, GetParamsPolicy};
/// assert_eq!(GetParamsPolicy::default().static_qr, GetParams::Body);
/// let policy = GetParamsPolicy::DOCUMENTED.with_transactions(GetParams::Query);
/// assert_eq!(policy.transactions, GetParams::Query);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum GetParams {
    /// A JSON object in the body, with `Content-Type: application/json` (as documented).
    #[default]
    Body,
    /// Query parameters (`?type_amount=closed&sale_point_id=7`), no body.
    Query,
}

/// The ONE place where each parameterized `GET` chooses [`GetParams`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetParamsPolicy {
    /// `GET v2/payment/cashin/qr/sale-point/static` (`type_amount`, `sale_point_id`).
    pub static_qr: GetParams,
    /// `GET v2/account/transactions` (`date_from`, `date_to`, `operation`, `paginate`,
    /// `page`).
    pub transactions: GetParams,
}

impl GetParamsPolicy {
    /// The shapes the TelePagos API documents: a JSON body for both.
    pub const DOCUMENTED: GetParamsPolicy = GetParamsPolicy {
        static_qr: GetParams::Body,
        transactions: GetParams::Body,
    };

    /// Every parameterized `GET` with `how`.
    pub const fn all(how: GetParams) -> GetParamsPolicy {
        GetParamsPolicy {
            static_qr: how,
            transactions: how,
        }
    }

    /// The same policy with `how` for the static QR.
    #[must_use]
    pub const fn with_static_qr(mut self, how: GetParams) -> Self {
        self.static_qr = how;
        self
    }

    /// The same policy with `how` for the transactions.
    #[must_use]
    pub const fn with_transactions(mut self, how: GetParams) -> Self {
        self.transactions = how;
        self
    }
}

impl Default for GetParamsPolicy {
    fn default() -> Self {
        GetParamsPolicy::DOCUMENTED
    }
}

/// How the client authenticates: `Authorization: Bearer <token>` from the session
/// [`TelepagosAuthenticator`] keeps.
pub type TelepagosAuth = Bearer<TelepagosAuthenticator>;

/// A TelePagos ("API Telepagos Empresas") client.
///
/// Cheap to clone: clones share the connection pool and the session token. The token
/// is obtained on first use with `POST v2/auth/token`, reused until shortly before it
/// expires, shared by concurrent calls (one authentication for all of them), and
/// renewed once when the provider refuses it with 401/403 (the executor's
/// [`Bearer`] strategy).
///
/// Every endpoint is a value ([`account::GetBalance`](crate::account::GetBalance),
/// [`cashout::CreateCashout`](crate::cashout::CreateCashout)…) that the resource
/// handles run for you:
///
/// | handle | methods |
/// |---|---|
/// | [`account()`](Self::account) | `balance` |
/// | [`transactions()`](Self::transactions) | `list`, `stream`, `filters` |
/// | [`cashins()`](Self::cashins) | `qr`, `qr_payment`, `transfer_link`, `payment_link`, `get` |
/// | [`cashouts()`](Self::cashouts) | `create`, `voucher`, `concepts` |
/// | [`sale_points()`](Self::sale_points) | `list`, `create`, `delete`, `static_qr`, `static_qr_order` |
/// | [`statistics()`](Self::statistics) | `get` |
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
/// let balance = client.account().balance().await?;
/// println!("{}", balance.amount);
/// // The same call as a value:
/// let balance = client.run(&pagos_telepagos::account::GetBalance::new()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TelepagosClient {
    executor: Executor<TelepagosAuth>,
    time_zone: UtcOffset,
    get_params: GetParamsPolicy,
}

impl fmt::Debug for TelepagosClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The session's Debug shows whether a token is held, never the token; the
        // authenticator's shows the username and `[REDACTED]` for the password.
        f.debug_struct("TelepagosClient")
            .field("base_url", self.executor.base_url())
            .field("session", self.executor.auth().session())
            .field("time_zone", &self.time_zone)
            .field("get_params", &self.get_params)
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
        self.executor.base_url()
    }

    /// The executor every call goes through: its [`describe`](Executor::describe) and
    /// [`authorized`](Executor::authorized) show a request exactly as it would be sent.
    pub fn executor(&self) -> &Executor<TelepagosAuth> {
        &self.executor
    }

    /// The zone of the `Y-m-d H:i:s` timestamps TelePagos reads and writes without one
    /// (default [`ARGENTINA`]; see [`TelepagosClientBuilder::time_zone`]).
    pub fn time_zone(&self) -> UtcOffset {
        self.time_zone
    }

    /// Where the parameters of each parameterized `GET` go.
    pub fn get_params(&self) -> GetParamsPolicy {
        self.get_params
    }

    /// The session token's state (how many authentications it took, its authenticator).
    pub fn session(&self) -> &TokenSession<TelepagosAuthenticator> {
        self.executor.auth().session()
    }

    /// Runs any TelePagos endpoint and returns its typed answer.
    ///
    /// ```no_run
    /// # async fn run(client: pagos_telepagos::Client) -> pagos_core::Result<()> {
    /// use pagos_telepagos::cashin::GetCashIn;
    /// let cash_in = client.run(&GetCashIn::new("555001")).await?;
    /// println!("{:?} {}", cash_in.amount, cash_in.raw.get());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`](pagos_core::Error::Validation) before sending; [`Error::Provider`](pagos_core::Error::Provider) when TelePagos refuses
    /// (the error envelope, whatever the HTTP status); [`Error::NotSent`](pagos_core::Error::NotSent) when no
    /// token could be obtained or the request never left; [`Error::OutcomeUnknown`](pagos_core::Error::OutcomeUnknown)
    /// for a lost or unreadable answer, with the endpoint's hint.
    pub async fn run<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output> {
        self.executor.run(endpoint).await
    }

    /// Runs any TelePagos endpoint and returns the accepted answer unparsed (it has
    /// passed the error-envelope check).
    ///
    /// # Errors
    /// As [`run`](Self::run), except that the answer is not read.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<Response> {
        self.executor.send(endpoint).await
    }

    /// Runs `endpoint` and keeps the answer beside its typed output, for the unified
    /// values whose own checks need it (an `OutcomeUnknown` built from the answer).
    pub(crate) async fn run_with_response<E: Endpoint>(
        &self,
        endpoint: &E,
    ) -> Result<(E::Output, Response)> {
        self.executor.run_with_response(endpoint).await
    }

    /// The account: its balance.
    pub fn account(&self) -> AccountHandle<'_> {
        AccountHandle::new(self)
    }

    /// The account's transactions and the operations they can be filtered by.
    pub fn transactions(&self) -> TransactionsHandle<'_> {
        TransactionsHandle::new(self)
    }

    /// Cash-in: collecting money by QR, transfer link and payment link, and the
    /// credited payments.
    pub fn cashins(&self) -> CashinsHandle<'_> {
        CashinsHandle::new(self)
    }

    /// Cash-out: transfers to a CVU/CBU or alias, their vouchers, the transfer
    /// concepts.
    pub fn cashouts(&self) -> CashoutsHandle<'_> {
        CashoutsHandle::new(self)
    }

    /// Sale points and their static QR codes.
    pub fn sale_points(&self) -> SalePointsHandle<'_> {
        SalePointsHandle::new(self)
    }

    /// The collecting account's statistics.
    pub fn statistics(&self) -> StatisticsHandle<'_> {
        StatisticsHandle::new(self)
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
#[must_use]
pub struct TelepagosClientBuilder {
    username: Option<String>,
    password: Option<SecretString>,
    environment: Environment,
    base_url: Option<BaseUrl>,
    transport: Option<Transport>,
    time_zone: UtcOffset,
    get_params: GetParamsPolicy,
}

impl Default for TelepagosClientBuilder {
    fn default() -> Self {
        TelepagosClientBuilder {
            username: None,
            password: None,
            environment: Environment::default(),
            base_url: None,
            transport: None,
            time_zone: ARGENTINA,
            get_params: GetParamsPolicy::DOCUMENTED,
        }
    }
}

impl fmt::Debug for TelepagosClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TelepagosClientBuilder")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[REDACTED]"))
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("transport", &self.transport)
            .field("time_zone", &self.time_zone)
            .field("get_params", &self.get_params)
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
    /// A [`ConfigError`] on `base_url` for a malformed URL or plain `http` to a
    /// non-loopback host.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Result<Self, ConfigError> {
        self.base_url = Some(BaseUrl::parse(url.as_ref())?);
        Ok(self)
    }

    /// The transport to send through, to share a connection pool and retry policy
    /// (default: `Transport::new()`).
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The zone of the timestamps TelePagos writes as `Y-m-d H:i:s` without one (a
    /// payment link's `expiration_date`, a token's `expires_at` when it is such a text):
    /// applied when formatting them and when reading them. Default [`ARGENTINA`]
    /// (UTC−3), the reading a local PHP-style format suggests for an Argentine API; the
    /// TelePagos API does not say.
    ///
    /// ```
    /// use pagos_telepagos::{ARGENTINA, Client};
    /// let client = Client::builder().username("u").password("p").build()?;
    /// assert_eq!(client.time_zone(), ARGENTINA);
    /// let utc = Client::builder().username("u").password("p").time_zone(time::UtcOffset::UTC).build()?;
    /// assert_eq!(utc.time_zone(), time::UtcOffset::UTC);
    /// # Ok::<(), pagos_core::Error>(())
    /// ```
    pub fn time_zone(mut self, zone: UtcOffset) -> Self {
        self.time_zone = zone;
        self
    }

    /// Where each parameterized `GET` puts its parameters (default
    /// [`GetParamsPolicy::DOCUMENTED`]: a JSON body, as documented).
    pub fn get_params(mut self, policy: GetParamsPolicy) -> Self {
        self.get_params = policy;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`](pagos_core::Error::Config) naming `username` or `password` when missing or blank, or the
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
            None => BaseUrl::parse(self.environment.base_url())?,
        };
        let transport = match self.transport {
            Some(t) => t,
            None => Transport::new()?,
        };
        let wait_timeout = transport.timeout();
        // The token request goes through the same transport and error envelope,
        // without credentials of its own.
        let token_executor = Executor::new(PROVIDER, base_url.clone(), transport.clone(), NoAuth)
            .with_refusal(error::refusal);
        let authenticator = TelepagosAuthenticator::new(
            token_executor,
            Authenticate::with_secret(username, password),
        )
        .with_time_zone(self.time_zone);
        // Waiting for a token is bounded like any attempt: the transport's timeout.
        let session = TokenSession::new(authenticator)
            .with_refresh_margin(REFRESH_MARGIN)
            .with_provider(PROVIDER)
            .with_wait_timeout(wait_timeout);
        let executor = Executor::new(PROVIDER, base_url, transport, Bearer::new(session))
            .with_refusal(error::refusal);
        Ok(TelepagosClient {
            executor,
            time_zone: self.time_zone,
            get_params: self.get_params,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::Error;

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
            c.executor()
                .describe(&crate::account::GetBalance::new())
                .unwrap()
                .url()
                .as_str(),
            "https://api.telepagos.com.ar/v2/account/balance"
        );
        let token = c.session().authenticator();
        assert_eq!(
            token
                .executor()
                .describe(token.endpoint())
                .unwrap()
                .url()
                .as_str(),
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
        assert_eq!(err.setting(), "base_url");
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
        let text = format!("{:?}", c.executor());
        assert!(!text.contains("hunter2"), "{text}");
    }
}
