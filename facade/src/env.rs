//! Building a provider from `PAGOS_*` environment variables.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

#[allow(unused_imports)] // some imports serve only some provider features
use pagos_core::{ConfigError, Error, PaymentProvider, Result, Transport};

/// The providers pagos knows, whether or not their feature is enabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProviderKind {
    /// Khipu (Chile), feature `khipu`.
    Khipu,
    /// KashIO (Peru), feature `kashio`.
    Kashio,
    /// ComproPago (Mexico), feature `compropago`.
    Compropago,
    /// Kashpay (Mexico), feature `kashpay`.
    Kashpay,
    /// TelePagos (Argentina), feature `telepagos`.
    Telepagos,
}

impl ProviderKind {
    /// Every provider.
    pub const ALL: [ProviderKind; 5] = [
        ProviderKind::Khipu,
        ProviderKind::Kashio,
        ProviderKind::Compropago,
        ProviderKind::Kashpay,
        ProviderKind::Telepagos,
    ];

    /// The provider's name and feature, e.g. `"khipu"`.
    pub const fn name(self) -> &'static str {
        match self {
            ProviderKind::Khipu => "khipu",
            ProviderKind::Kashio => "kashio",
            ProviderKind::Compropago => "compropago",
            ProviderKind::Kashpay => "kashpay",
            ProviderKind::Telepagos => "telepagos",
        }
    }

    /// Whether this build includes the provider (its cargo feature is on).
    pub const fn is_enabled(self) -> bool {
        match self {
            ProviderKind::Khipu => cfg!(feature = "khipu"),
            ProviderKind::Kashio => cfg!(feature = "kashio"),
            ProviderKind::Compropago => cfg!(feature = "compropago"),
            ProviderKind::Kashpay => cfg!(feature = "kashpay"),
            ProviderKind::Telepagos => cfg!(feature = "telepagos"),
        }
    }

    /// Reads `PAGOS_PROVIDER`.
    ///
    /// # Errors
    /// [`Error::Config`] naming `PAGOS_PROVIDER` when it is unset or names no provider.
    pub fn from_env() -> Result<ProviderKind> {
        let value = std::env::var("PAGOS_PROVIDER")
            .map_err(|_| ConfigError::new("PAGOS_PROVIDER", "is not set"))?;
        value.parse().map_err(|_: ConfigError| {
            ConfigError::new("PAGOS_PROVIDER", "names no known provider").into()
        })
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ProviderKind {
    type Err = ConfigError;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        ProviderKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                ConfigError::new(
                    "provider",
                    "expected one of khipu, kashio, compropago, kashpay, telepagos",
                )
            })
    }
}

/// Where configuration values come from: the process environment, or a lookup
/// function (tests, a secrets manager, CLI flags layered over the environment).
///
/// Error messages name the variable and never repeat its value.
pub struct EnvConfig<'a> {
    lookup: Box<Lookup<'a>>,
}

/// Reads one variable by name.
type Lookup<'a> = dyn Fn(&str) -> Option<String> + 'a;

impl fmt::Debug for EnvConfig<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnvConfig { .. }")
    }
}

impl<'a> EnvConfig<'a> {
    /// Reads the process environment.
    pub fn process() -> EnvConfig<'static> {
        EnvConfig {
            lookup: Box::new(|name| std::env::var(name).ok()),
        }
    }

    /// Reads through `lookup`.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let vars = HashMap::from([("PAGOS_KASHIO_SECRET_KEY", "sk_test_x")]);
    /// let config = pagos::EnvConfig::from_fn(|k| vars.get(k).map(|v| v.to_string()));
    /// # let _ = config;
    /// ```
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + 'a) -> EnvConfig<'a> {
        EnvConfig {
            lookup: Box::new(lookup),
        }
    }

    /// An optional variable; an empty value counts as unset.
    pub fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|v| !v.trim().is_empty())
    }

    /// A required variable.
    ///
    /// # Errors
    /// [`ConfigError`] naming the variable when it is unset or empty.
    pub fn required(&self, name: &'static str) -> std::result::Result<String, ConfigError> {
        self.optional(name)
            .ok_or_else(|| ConfigError::new(name, "is not set"))
    }
}

/// Builds a provider from the process environment with a default [`Transport`].
///
/// | provider | required | optional |
/// |---|---|---|
/// | khipu | `PAGOS_KHIPU_RECEIVER_ID`, `PAGOS_KHIPU_SECRET` | `PAGOS_KHIPU_BASE_URL` |
/// | kashio | `PAGOS_KASHIO_SECRET_KEY` | `PAGOS_KASHIO_BASE_URL` |
/// | compropago | `PAGOS_COMPROPAGO_PRIVATE_KEY`, `PAGOS_COMPROPAGO_PUBLIC_KEY` | `PAGOS_COMPROPAGO_BASE_URL` |
/// | kashpay | `PAGOS_KASHPAY_ENTITY`, `PAGOS_KASHPAY_USER`, `PAGOS_KASHPAY_PASSWORD` | `PAGOS_KASHPAY_ENV` (`sandbox`/`production`), `PAGOS_KASHPAY_AUTH_URL`, `PAGOS_KASHPAY_ORDERS_URL` |
/// | telepagos | `PAGOS_TELEPAGOS_USERNAME`, `PAGOS_TELEPAGOS_PASSWORD` | `PAGOS_TELEPAGOS_ENV` (`homologation`/`production`), `PAGOS_TELEPAGOS_BASE_URL` |
///
/// # Errors
/// [`Error::Config`] naming the variable that is missing or malformed (never its
/// value), or naming the cargo feature when the provider is not compiled in.
pub fn from_env(kind: ProviderKind) -> Result<Arc<dyn PaymentProvider>> {
    from_env_with(kind, &EnvConfig::process(), None)
}

/// Like [`from_env`], reading through `config` and sharing `transport` when given.
///
/// ```
/// use pagos::{EnvConfig, ProviderKind};
/// let empty = EnvConfig::from_fn(|_| None);
/// let err = pagos::from_env_with(ProviderKind::Kashio, &empty, None).unwrap_err();
/// # #[cfg(feature = "kashio")]
/// assert!(err.to_string().contains("PAGOS_KASHIO_SECRET_KEY"));
/// ```
///
/// # Errors
/// As [`from_env`].
#[allow(unused_variables)] // `config` and `transport` go unused when no provider feature is on
pub fn from_env_with(
    kind: ProviderKind,
    config: &EnvConfig<'_>,
    transport: Option<Transport>,
) -> Result<Arc<dyn PaymentProvider>> {
    let transport = match transport {
        Some(t) => Some(t),
        None => transport_from_env(config)?,
    };
    match kind {
        #[cfg(feature = "khipu")]
        ProviderKind::Khipu => Ok(Arc::new(khipu_client(config, transport)?)),
        #[cfg(feature = "kashio")]
        ProviderKind::Kashio => Ok(Arc::new(kashio_client(config, transport)?)),
        #[cfg(feature = "compropago")]
        ProviderKind::Compropago => Ok(Arc::new(compropago_client(config, transport)?)),
        #[cfg(feature = "kashpay")]
        ProviderKind::Kashpay => Ok(Arc::new(kashpay_client(config, transport)?)),
        #[cfg(feature = "telepagos")]
        ProviderKind::Telepagos => Ok(Arc::new(telepagos_client(config, transport)?)),
        #[allow(unreachable_patterns)] // reachable only when some feature is off
        other => Err(ConfigError::new(
            "features",
            format!(
                "pagos was built without the `{}` feature; enable it in Cargo.toml",
                other.name()
            ),
        )
        .into()),
    }
}

/// The transport `PAGOS_PROXY` asks for, or `None` for the default one.
///
/// No proxy is ever taken from `HTTP_PROXY`, `HTTPS_PROXY` or `ALL_PROXY`: a stray
/// variable must not route payment credentials through a listener. `PAGOS_PROXY`
/// (`http://`, `https://` or `socks5://`, credentials allowed) is the one way to ask
/// for a proxy here, [`pagos_core::TransportBuilder::proxy`] the one in code.
///
/// ```
/// use pagos::EnvConfig;
/// let vars = |name: &str| (name == "PAGOS_PROXY").then(|| "not a url".to_string());
/// let err = pagos::transport_from_env(&EnvConfig::from_fn(vars)).unwrap_err();
/// assert!(err.to_string().contains("PAGOS_PROXY"));
/// assert!(!err.to_string().contains("not a url"));
/// assert!(pagos::transport_from_env(&EnvConfig::from_fn(|_| None)).unwrap().is_none());
/// ```
///
/// # Errors
/// [`Error::Config`] naming `PAGOS_PROXY` (never its value) when it is not a proxy URL.
pub fn transport_from_env(config: &EnvConfig<'_>) -> Result<Option<Transport>> {
    let Some(proxy) = config.optional("PAGOS_PROXY") else {
        return Ok(None);
    };
    Transport::builder()
        .proxy(proxy)
        .build()
        .map(Some)
        .map_err(|e| match e {
            Error::Config(c) => ConfigError::new("PAGOS_PROXY", c.message().to_string()).into(),
            other => other,
        })
}

/// Builds a [`pagos_khipu::KhipuClient`] from `PAGOS_KHIPU_*` (see [`from_env`]).
///
/// # Errors
/// [`Error::Config`] naming the variable that is missing or malformed.
#[cfg(feature = "khipu")]
pub fn khipu_client(
    config: &EnvConfig<'_>,
    transport: Option<Transport>,
) -> Result<pagos_khipu::KhipuClient> {
    let mut b = pagos_khipu::KhipuClient::builder()
        .receiver_id(config.required("PAGOS_KHIPU_RECEIVER_ID")?)
        .secret(config.required("PAGOS_KHIPU_SECRET")?);
    if let Some(url) = config.optional("PAGOS_KHIPU_BASE_URL") {
        b = b.base_url(&url).map_err(relabel("PAGOS_KHIPU_BASE_URL"))?;
    }
    if let Some(t) = transport {
        b = b.transport(t);
    }
    b.build()
}

/// Builds a [`pagos_kashio::KashioClient`] from `PAGOS_KASHIO_*` (see [`from_env`]).
///
/// # Errors
/// [`Error::Config`] naming the variable that is missing or malformed.
#[cfg(feature = "kashio")]
pub fn kashio_client(
    config: &EnvConfig<'_>,
    transport: Option<Transport>,
) -> Result<pagos_kashio::KashioClient> {
    let mut b = pagos_kashio::KashioClient::builder()
        .secret_key(config.required("PAGOS_KASHIO_SECRET_KEY")?);
    if let Some(url) = config.optional("PAGOS_KASHIO_BASE_URL") {
        b = b.base_url(&url).map_err(relabel("PAGOS_KASHIO_BASE_URL"))?;
    }
    if let Some(t) = transport {
        b = b.transport(t);
    }
    b.build()
}

/// Builds a [`pagos_compropago::CompropagoClient`] from `PAGOS_COMPROPAGO_*` (see [`from_env`]).
///
/// # Errors
/// [`Error::Config`] naming the variable that is missing or malformed.
#[cfg(feature = "compropago")]
pub fn compropago_client(
    config: &EnvConfig<'_>,
    transport: Option<Transport>,
) -> Result<pagos_compropago::CompropagoClient> {
    let mut b = pagos_compropago::CompropagoClient::builder()
        .private_key(config.required("PAGOS_COMPROPAGO_PRIVATE_KEY")?)
        .public_key(config.required("PAGOS_COMPROPAGO_PUBLIC_KEY")?);
    if let Some(url) = config.optional("PAGOS_COMPROPAGO_BASE_URL") {
        b = b
            .base_url(&url)
            .map_err(relabel("PAGOS_COMPROPAGO_BASE_URL"))?;
    }
    if let Some(t) = transport {
        b = b.transport(t);
    }
    b.build()
}

/// Builds a [`pagos_kashpay::KashpayClient`] from `PAGOS_KASHPAY_*` (see [`from_env`]).
///
/// # Errors
/// [`Error::Config`] naming the variable that is missing or malformed.
#[cfg(feature = "kashpay")]
pub fn kashpay_client(
    config: &EnvConfig<'_>,
    transport: Option<Transport>,
) -> Result<pagos_kashpay::KashpayClient> {
    use pagos_kashpay::Environment;
    let mut b = pagos_kashpay::KashpayClient::builder()
        .entity(config.required("PAGOS_KASHPAY_ENTITY")?)
        .user(config.required("PAGOS_KASHPAY_USER")?)
        .password(config.required("PAGOS_KASHPAY_PASSWORD")?);
    if let Some(env) = config.optional("PAGOS_KASHPAY_ENV") {
        b = b.environment(match env.trim().to_ascii_lowercase().as_str() {
            "sandbox" => Environment::Sandbox,
            "production" => Environment::Production,
            _ => {
                return Err(ConfigError::new(
                    "PAGOS_KASHPAY_ENV",
                    "expected sandbox or production",
                )
                .into());
            }
        });
    }
    if let Some(url) = config.optional("PAGOS_KASHPAY_AUTH_URL") {
        b = b
            .auth_base_url(&url)
            .map_err(relabel("PAGOS_KASHPAY_AUTH_URL"))?;
    }
    if let Some(url) = config.optional("PAGOS_KASHPAY_ORDERS_URL") {
        b = b
            .orders_base_url(&url)
            .map_err(relabel("PAGOS_KASHPAY_ORDERS_URL"))?;
    }
    if let Some(t) = transport {
        b = b.transport(t);
    }
    b.build()
}

/// Builds a [`pagos_telepagos::TelepagosClient`] from `PAGOS_TELEPAGOS_*` (see [`from_env`]).
///
/// # Errors
/// [`Error::Config`] naming the variable that is missing or malformed.
#[cfg(feature = "telepagos")]
pub fn telepagos_client(
    config: &EnvConfig<'_>,
    transport: Option<Transport>,
) -> Result<pagos_telepagos::TelepagosClient> {
    use pagos_telepagos::Environment;
    let mut b = pagos_telepagos::TelepagosClient::builder()
        .username(config.required("PAGOS_TELEPAGOS_USERNAME")?)
        .password(config.required("PAGOS_TELEPAGOS_PASSWORD")?);
    if let Some(env) = config.optional("PAGOS_TELEPAGOS_ENV") {
        b = b.environment(match env.trim().to_ascii_lowercase().as_str() {
            "homologation" | "sandbox" => Environment::Homologation,
            "production" => Environment::Production,
            _ => {
                return Err(ConfigError::new(
                    "PAGOS_TELEPAGOS_ENV",
                    "expected homologation (or sandbox) or production",
                )
                .into());
            }
        });
    }
    if let Some(url) = config.optional("PAGOS_TELEPAGOS_BASE_URL") {
        b = b
            .base_url(&url)
            .map_err(relabel("PAGOS_TELEPAGOS_BASE_URL"))?;
    }
    if let Some(t) = transport {
        b = b.transport(t);
    }
    b.build()
}

/// Re-labels a base-URL error with the variable it came from. The builder's own
/// message may quote the URL, so it is replaced rather than repeated.
#[allow(dead_code)] // unused when no provider feature is enabled
fn relabel<E: Into<Error>>(name: &'static str) -> impl Fn(E) -> Error {
    move |e| match e.into() {
        Error::Config(_) => ConfigError::new(
            name,
            "is not a usable base URL: it must be https (or http to a loopback host) \
             with no query, fragment or credentials",
        )
        .into(),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&'static str, &'static str)]) -> EnvConfig<'static> {
        let map: HashMap<&str, &str> = vars.iter().copied().collect();
        EnvConfig::from_fn(move |k| map.get(k).map(|v| v.to_string()))
    }

    #[test]
    fn provider_names_parse() {
        assert_eq!(
            "KHIPU".parse::<ProviderKind>().unwrap(),
            ProviderKind::Khipu
        );
        assert!("stripe".parse::<ProviderKind>().is_err());
    }

    #[test]
    fn missing_and_malformed_variables_are_named_never_echoed() {
        for kind in ProviderKind::ALL {
            let err = from_env_with(kind, &config(&[]), None).unwrap_err();
            let text = err.to_string();
            if kind.is_enabled() {
                assert!(text.contains("PAGOS_"), "{kind}: {text}");
            } else {
                assert!(text.contains(kind.name()), "{kind}: {text}");
            }
        }
        #[cfg(feature = "kashio")]
        {
            let err = from_env_with(
                ProviderKind::Kashio,
                &config(&[
                    ("PAGOS_KASHIO_SECRET_KEY", "sk_test_very_secret"),
                    (
                        "PAGOS_KASHIO_BASE_URL",
                        "http://evil.example/sk_test_very_secret",
                    ),
                ]),
                None,
            )
            .unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(text.contains("PAGOS_KASHIO_BASE_URL"), "{text}");
            assert!(!text.contains("sk_test_very_secret"), "{text}");
        }
    }
}
