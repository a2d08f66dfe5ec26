//! The ComproPago client and its builder.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use pagos_core::transport::Method;
use pagos_core::{
    BaseUrl, ConfigError, Error, ExposeSecret, Request, Response, Result, SecretString, Transport,
};

/// The provider name used in errors, tracing and [`pagos_core::Payment::provider`].
pub const PROVIDER_NAME: &str = "compropago";

/// ComproPago's production host. API v2 paths (`/v2/orders`...) are appended to the
/// base URL, so a simulator mounted at `http://127.0.0.1:PORT/compropago` works too.
pub const DEFAULT_BASE_URL: &str = "https://api.compropago.com";

/// A ComproPago API v2 client: SPEI orders and CLABE accounts.
///
/// Cheap to clone (the state is shared behind an `Arc`); `Send + Sync`.
///
/// ```no_run
/// use pagos_compropago::CompropagoClient;
///
/// let client = CompropagoClient::builder()
///     .private_key("sk_test_xxxxxxxxxxxxxx")
///     .public_key("pk_test_xxxxxxxxxxxxxx")
///     .build()?;
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Clone)]
pub struct CompropagoClient {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: BaseUrl,
    transport: Transport,
    /// The whole `Authorization` header value, `Basic base64(sk:pk)`.
    authorization: SecretString,
}

impl CompropagoClient {
    /// Starts a builder.
    pub fn builder() -> CompropagoClientBuilder {
        CompropagoClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base_url
    }

    /// A request to `{base}/v2/{segments…}` (each segment percent-encoded).
    pub(crate) fn request(
        &self,
        method: Method,
        segments: &[&str],
        operation: &'static str,
    ) -> Result<Request> {
        let mut path = Vec::with_capacity(segments.len() + 1);
        path.push("v2");
        path.extend_from_slice(segments);
        Ok(Request::new(
            method,
            self.inner.base_url.join(&path)?,
            operation,
        ))
    }

    /// Adds the credentials and sends; the answer is returned whatever its status.
    pub(crate) async fn send(&self, request: Request) -> Result<Response> {
        let request = request
            .header("accept", "application/json")?
            .sensitive_header("authorization", self.inner.authorization.expose_secret())?;
        self.inner.transport.send(PROVIDER_NAME, request).await
    }
}

impl fmt::Debug for CompropagoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompropagoClient")
            .field("base_url", &self.inner.base_url)
            .field("private_key", &"[REDACTED]")
            .field("public_key", &"[REDACTED]")
            .field("transport", &self.inner.transport)
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
    private_key: Option<SecretString>,
    public_key: Option<SecretString>,
    base_url: Option<BaseUrl>,
    transport: Option<Transport>,
}

impl CompropagoClientBuilder {
    /// Sets the private key (`sk_test_…` / `sk_live_…`), sent as the Basic-auth user.
    pub fn private_key(mut self, key: impl Into<SecretString>) -> Self {
        self.private_key = Some(key.into());
        self
    }

    /// Sets the public key (`pk_test_…` / `pk_live_…`), sent as the Basic-auth password.
    pub fn public_key(mut self, key: impl Into<SecretString>) -> Self {
        self.public_key = Some(key.into());
        self
    }

    /// Overrides the base URL (default [`DEFAULT_BASE_URL`]); `/v2/...` is appended.
    ///
    /// # Errors
    /// A [`ConfigError`] on `base_url` when the URL is malformed or plain `http` to a
    /// host that is not loopback.
    pub fn base_url(mut self, url: &str) -> Result<Self, ConfigError> {
        self.base_url = Some(BaseUrl::parse(url)?);
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
        let authorization =
            SecretString::from(format!("Basic {}", STANDARD.encode(format!("{sk}:{pk}"))));
        let transport = match self.transport {
            Some(t) => t,
            None => Transport::new()?,
        };
        Ok(CompropagoClient {
            inner: Arc::new(Inner {
                base_url: match self.base_url {
                    Some(b) => b,
                    None => BaseUrl::parse(DEFAULT_BASE_URL)?,
                },
                transport,
                authorization,
            }),
        })
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
        let set = |k: &Option<SecretString>| if k.is_some() { "[REDACTED]" } else { "None" };
        f.debug_struct("CompropagoClientBuilder")
            .field("private_key", &set(&self.private_key))
            .field("public_key", &set(&self.public_key))
            .field("base_url", &self.base_url)
            .field("transport", &self.transport)
            .finish()
    }
}

/// Adds `hint` to an [`Error::OutcomeUnknown`] that has none, so the caller knows how
/// to find out whether a create went through before repeating it.
pub(crate) fn with_hint(err: Error, hint: impl FnOnce() -> String) -> Error {
    match err {
        Error::OutcomeUnknown(mut u) if u.hint.is_none() => {
            u.hint = Some(hint());
            Error::OutcomeUnknown(u)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            .request(Method::GET, &["orders", "ch_1/x"], "get_order")
            .unwrap();
        assert_eq!(
            req.url().as_str(),
            "http://127.0.0.1:9/compropago/v2/orders/ch_1%2Fx"
        );
        let default = builder().build().unwrap();
        assert_eq!(default.base_url().as_str(), DEFAULT_BASE_URL);
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
