//! The ComproPago client and its builder.

use std::fmt;

use pagos_core::endpoint::{Endpoint, Executor, SecretHeader};
use pagos_core::{BaseUrl, ConfigError, Error, Response, Result, Transport};

use crate::accounts::Accounts;
use crate::clabe::Clabes;
use crate::orders::Orders;

/// The provider name used in errors, tracing and [`pagos_core::Payment::provider`].
pub const PROVIDER: &str = "compropago";

/// ComproPago's production host. API v2 paths (`/v2/orders`...) are appended to the
/// base URL, so a simulator mounted at `http://127.0.0.1:PORT/compropago` works too.
pub const DEFAULT_BASE_URL: &str = "https://api.compropago.com";

/// A ComproPago API v2 client: SPEI orders, accounts and CLABEs.
///
/// Each resource of the API has a handle: [`orders`](CompropagoClient::orders),
/// [`accounts`](CompropagoClient::accounts), [`clabes`](CompropagoClient::clabes).
/// Any endpoint value can also be run with [`CompropagoClient::run`].
///
/// Cheap to clone (the state is shared behind an `Arc`); `Send + Sync`.
///
/// ```no_run
/// use pagos_compropago::CompropagoClient;
///
/// # async fn run() -> pagos_core::Result<()> {
/// let client = CompropagoClient::builder()
///     .private_key("sk_test_xxxxxxxxxxxxxx")
///     .public_key("pk_test_xxxxxxxxxxxxxx")
///     .build()?;
/// let order = client.orders().get("ch_ca001318-7f70-47a9-90a2-df3e755d9be3").await?;
/// println!("{} is {}", order.id, order.status);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CompropagoClient {
    executor: Executor<SecretHeader>,
}

impl CompropagoClient {
    /// Starts a builder.
    pub fn builder() -> CompropagoClientBuilder {
        CompropagoClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        self.executor.base_url()
    }

    /// The executor that runs every endpoint: HTTP Basic with the keys, ComproPago's
    /// refusal hook ([`crate::error::refusal`]). Its
    /// [`authorized`](Executor::authorized) shows a request exactly as it would be sent.
    pub fn executor(&self) -> &Executor<SecretHeader> {
        &self.executor
    }

    /// Orders: `POST /v2/orders`, `GET /v2/orders/{id}`.
    pub fn orders(&self) -> Orders<'_> {
        Orders::new(self)
    }

    /// Accounts: `POST /v2/createAccount`, `GET /v2/accounts`, `GET /v2/accounts/{id}`,
    /// `GET /v2/accounts/{id}/transactions`.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts::new(self)
    }

    /// Reusable CLABEs: `POST /v2/createClabe`.
    pub fn clabes(&self) -> Clabes<'_> {
        Clabes::new(self)
    }

    /// Runs any endpoint and returns its typed output.
    ///
    /// ```no_run
    /// # async fn run(client: pagos_compropago::CompropagoClient) -> pagos_core::Result<()> {
    /// use pagos_compropago::GetOrder;
    /// let order = client.run(&GetOrder::new("ch_ca001318-7f70-47a9-90a2-df3e755d9be3")).await?;
    /// # let _ = order; Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] before sending; [`Error::Provider`] for a refusal (an HTTP
    /// error or an error envelope under HTTP 200); [`Error::NotSent`] /
    /// [`Error::OutcomeUnknown`] from the transport or an unreadable answer, and for
    /// an error envelope with a 5xx `code` to a create (see [`crate::error`]).
    pub async fn run<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output> {
        self.executor.run(endpoint).await
    }

    /// Runs any endpoint and returns the accepted answer as received, unparsed (the
    /// v2 envelope included).
    ///
    /// # Errors
    /// As [`CompropagoClient::run`], except that the answer is not read.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<Response> {
        self.executor.send(endpoint).await
    }
}

impl fmt::Debug for CompropagoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompropagoClient")
            .field("base_url", self.executor.base_url())
            .field("private_key", &"[REDACTED]")
            .field("public_key", &"[REDACTED]")
            .field("transport", self.executor.transport())
            .finish()
    }
}

/// Builder for [`CompropagoClient`].
///
/// Both keys are required. Authentication is HTTP Basic with the **private** key as
/// the user and the **public** key as the password. (The API reference's prose says "one
/// key as the user, no password", but its own curl examples use `-u sk:pk` and every
/// official SDK sends `sk:pk`; ComproPago's public documentation and official SDKs
/// settle it in favour of `sk:pk`.)
#[derive(Default)]
#[must_use]
pub struct CompropagoClientBuilder {
    private_key: Option<pagos_core::SecretString>,
    public_key: Option<pagos_core::SecretString>,
    base_url: Option<BaseUrl>,
    transport: Option<Transport>,
}

impl CompropagoClientBuilder {
    /// Sets the private key (`sk_test_…` / `sk_live_…`), sent as the Basic-auth user.
    pub fn private_key(mut self, key: impl Into<String>) -> Self {
        self.private_key = Some(key.into().into());
        self
    }

    /// Sets the public key (`pk_test_…` / `pk_live_…`), sent as the Basic-auth password.
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.public_key = Some(key.into().into());
        self
    }

    /// Overrides the base URL (default [`DEFAULT_BASE_URL`]); `/v2/...` is appended.
    ///
    /// # Errors
    /// A [`ConfigError`] on `base_url` when the URL is malformed or plain `http` to a
    /// host that is not loopback.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Result<Self, ConfigError> {
        self.base_url = Some(BaseUrl::parse(url.as_ref())?);
        Ok(self)
    }

    /// Uses a shared [`Transport`] (connection pool, timeouts, retries); otherwise
    /// [`Transport::new`] is used.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] naming `private_key` or `public_key` when one is missing,
    /// blank, padded with white space or looks swapped (`pk_…` as the private key),
    /// or when the default transport cannot be created.
    pub fn build(self) -> Result<CompropagoClient> {
        use pagos_core::ExposeSecret as _;
        let private_key = self.private_key.ok_or_else(|| {
            ConfigError::new(
                "private_key",
                "missing; set the sk_… key of the ComproPago panel",
            )
        })?;
        let public_key = self.public_key.ok_or_else(|| {
            ConfigError::new(
                "public_key",
                "missing; set the pk_… key of the ComproPago panel",
            )
        })?;
        let sk = private_key.expose_secret();
        let pk = public_key.expose_secret();
        check_key("private_key", sk, "pk_")?;
        check_key("public_key", pk, "sk_")?;
        if sk.contains(':') {
            // The Basic-auth user ends at the first ':'.
            return Err(ConfigError::new("private_key", "must not contain ':'").into());
        }
        let transport = match self.transport {
            Some(t) => t,
            None => Transport::new()?,
        };
        let base_url = match self.base_url {
            Some(b) => b,
            None => BaseUrl::parse(DEFAULT_BASE_URL)?,
        };
        let executor = Executor::new(PROVIDER, base_url, transport, SecretHeader::basic(sk, pk))
            .with_refusal(crate::error::refusal);
        Ok(CompropagoClient { executor })
    }
}

/// Rejects blank keys, keys with surrounding white space and the other kind of key.
fn check_key(setting: &'static str, key: &str, wrong_prefix: &str) -> Result<(), Error> {
    if key.trim().is_empty() {
        return Err(ConfigError::new(setting, "must not be blank").into());
    }
    if key.trim() != key {
        return Err(ConfigError::new(setting, "has leading or trailing white space").into());
    }
    if key.starts_with(wrong_prefix) {
        return Err(ConfigError::new(
            setting,
            format!(
                "looks like a {wrong_prefix}… key; the private key (sk_…) is the user and the public key (pk_…) the password"
            ),
        )
        .into());
    }
    Ok(())
}

impl fmt::Debug for CompropagoClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |k: &Option<pagos_core::SecretString>| {
            if k.is_some() { "[REDACTED]" } else { "None" }
        };
        f.debug_struct("CompropagoClientBuilder")
            .field("private_key", &set(&self.private_key))
            .field("public_key", &set(&self.public_key))
            .field("base_url", &self.base_url)
            .field("transport", &self.transport)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use pagos_core::ExposeSecret as _;

    use super::*;
    use crate::GetOrder;

    fn builder() -> CompropagoClientBuilder {
        CompropagoClient::builder()
            .private_key("sk_test_secret123")
            .public_key("pk_test_public456")
    }

    #[test]
    fn missing_or_bad_keys_name_the_setting() {
        let setting = |r: Result<CompropagoClient>| match r {
            Err(Error::Config(c)) => c.setting().to_string(),
            other => panic!("expected a config error, got {other:?}"),
        };
        assert_eq!(
            setting(CompropagoClient::builder().public_key("pk_x").build()),
            "private_key"
        );
        assert_eq!(
            setting(CompropagoClient::builder().private_key("sk_x").build()),
            "public_key"
        );
        assert_eq!(
            setting(builder().private_key("pk_test_swapped").build()),
            "private_key"
        );
        assert_eq!(setting(builder().public_key(" pk_x").build()), "public_key");
        assert_eq!(
            setting(builder().private_key("sk:x").build()),
            "private_key"
        );
        assert_eq!(
            builder()
                .base_url("http://api.compropago.com")
                .unwrap_err()
                .setting(),
            "base_url"
        );
    }

    #[test]
    fn paths_are_appended_to_the_base() {
        let client = builder()
            .base_url("http://127.0.0.1:9/compropago/")
            .unwrap()
            .build()
            .unwrap();
        let req = client
            .executor()
            .describe(&GetOrder::new("ch_1/x"))
            .unwrap();
        assert_eq!(
            req.url().as_str(),
            "http://127.0.0.1:9/compropago/v2/orders/ch_1%2Fx"
        );
        let default = builder().build().unwrap();
        assert_eq!(default.base_url().as_str(), DEFAULT_BASE_URL);
    }

    #[test]
    fn basic_auth_is_private_key_then_public_key() {
        let client = builder().build().unwrap();
        let expected = format!(
            "Basic {}",
            STANDARD.encode("sk_test_secret123:pk_test_public456")
        );
        assert_eq!(
            client.executor().auth().value().expose_secret(),
            expected.as_str()
        );
    }

    #[test]
    fn client_is_clone_send_sync() {
        fn check<T: Clone + Send + Sync + 'static>() {}
        check::<CompropagoClient>();
    }

    #[test]
    fn debug_is_redacted() {
        let b = builder();
        let text = format!("{b:?}");
        assert!(
            !text.contains("secret123") && !text.contains("public456"),
            "{text}"
        );
        let client = b.build().unwrap();
        let text = format!("{client:?}");
        assert!(text.contains("[REDACTED]"));
        assert!(
            !text.contains("secret123") && !text.contains("public456"),
            "{text}"
        );
        assert!(!text.contains(&STANDARD.encode("sk_test_secret123:pk_test_public456")));
    }
}
