//! Providers as a registry: each provider crate exports one [`ProviderDescriptor`]
//! (its name, its environment variables, its capabilities and a constructor from
//! configuration), and everything that handles "any provider" — the facade's
//! `from_env`, the CLI's shared commands, the demo, the end-to-end tests — iterates
//! over a list of them instead of naming each provider.
//!
//! ```
//! use std::sync::Arc;
//! use pagos_core::{Capabilities, EnvVar, PaymentProvider, ProviderConfig, ProviderDescriptor, Result};
//!
//! #[derive(Debug)]
//! struct Acme;
//! #[pagos_core::async_trait]
//! impl PaymentProvider for Acme {
//!     fn name(&self) -> &'static str { "acme" }
//!     fn capabilities(&self) -> Capabilities { Capabilities::default() }
//! }
//!
//! fn connect(config: &ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>> {
//!     let _key = config.required("PAGOS_ACME_KEY")?;
//!     Ok(Arc::new(Acme))
//! }
//!
//! static ACME: ProviderDescriptor = ProviderDescriptor::new(
//!     "acme",
//!     "AcmePay (nowhere)",
//!     &[EnvVar::secret("PAGOS_ACME_KEY", "the API key")],
//!     Capabilities::of(&[]),
//!     connect,
//! );
//!
//! let config = ProviderConfig::from_pairs([("PAGOS_ACME_KEY", "k")]);
//! assert_eq!((ACME.connect)(&config)?.name(), "acme");
//! let missing = (ACME.connect)(&ProviderConfig::from_pairs::<[(&str, &str); 0], _, _>([])).unwrap_err();
//! assert!(missing.to_string().contains("PAGOS_ACME_KEY"));
//! # Ok::<(), pagos_core::Error>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::error::{ConfigError, Error, Result};
use crate::provider::{Capabilities, PaymentProvider};
use crate::transport::Transport;

/// One environment variable a provider reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct EnvVar {
    /// The variable's name (`PAGOS_KASHIO_SECRET_KEY`).
    pub name: &'static str,
    /// Whether the provider cannot be built without it.
    pub required: bool,
    /// Whether the value is a credential (never printed).
    pub secret: bool,
    /// What it holds, for `--help` and error messages.
    pub help: &'static str,
}

impl EnvVar {
    /// A required credential.
    pub const fn secret(name: &'static str, help: &'static str) -> EnvVar {
        EnvVar {
            name,
            required: true,
            secret: true,
            help,
        }
    }

    /// An optional credential (a second way to authenticate, used when set).
    pub const fn optional_secret(name: &'static str, help: &'static str) -> EnvVar {
        EnvVar {
            name,
            required: false,
            secret: true,
            help,
        }
    }

    /// A required value that is not secret (an account id).
    pub const fn required(name: &'static str, help: &'static str) -> EnvVar {
        EnvVar {
            name,
            required: true,
            secret: false,
            help,
        }
    }

    /// An optional setting (a base URL override, an environment).
    pub const fn optional(name: &'static str, help: &'static str) -> EnvVar {
        EnvVar {
            name,
            required: false,
            secret: false,
            help,
        }
    }
}

/// Everything that describes one provider to code that handles any provider.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct ProviderDescriptor {
    /// The provider's name, as in [`PaymentProvider::name`] and `PAGOS_PROVIDER`.
    pub name: &'static str,
    /// A human title: `Khipu (Chile)`.
    pub title: &'static str,
    /// The environment variables [`ProviderDescriptor::connect`] reads.
    pub env: &'static [EnvVar],
    /// The unified operations the provider supports.
    pub capabilities: Capabilities,
    /// Builds the provider from configuration.
    pub connect: fn(&ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>>,
}

impl ProviderDescriptor {
    /// A descriptor (for providers outside this workspace; the fields are public to
    /// read, and `#[non_exhaustive]` keeps room for more).
    pub const fn new(
        name: &'static str,
        title: &'static str,
        env: &'static [EnvVar],
        capabilities: Capabilities,
        connect: fn(&ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>>,
    ) -> Self {
        ProviderDescriptor {
            name,
            title,
            env,
            capabilities,
            connect,
        }
    }

    /// Builds the provider from `config`.
    ///
    /// # Errors
    /// [`Error::Config`] naming the variable that is missing or malformed.
    pub fn connect(&self, config: &ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>> {
        (self.connect)(config)
    }

    /// The names of the required variables.
    pub fn required_vars(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.env.iter().filter(|v| v.required).map(|v| v.name)
    }
}

impl fmt::Debug for ProviderDescriptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderDescriptor")
            .field("name", &self.name)
            .field("title", &self.title)
            .field("env", &self.env)
            .field("capabilities", &self.capabilities)
            .finish_non_exhaustive()
    }
}

/// Where a provider's settings come from: the process environment, a map, or any
/// lookup function; and the transport to share, if any.
pub struct ProviderConfig<'a> {
    lookup: Box<Lookup<'a>>,
    transport: Option<Transport>,
}

type Lookup<'a> = dyn Fn(&str) -> Option<String> + Send + Sync + 'a;

impl fmt::Debug for ProviderConfig<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be credentials: never printed.
        f.debug_struct("ProviderConfig")
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl<'a> ProviderConfig<'a> {
    /// Reads the process environment.
    pub fn process() -> ProviderConfig<'static> {
        ProviderConfig {
            lookup: Box::new(|name| std::env::var(name).ok()),
            transport: None,
        }
    }

    /// Reads through `lookup` (a map, a secrets manager).
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'a) -> Self {
        ProviderConfig {
            lookup: Box::new(lookup),
            transport: None,
        }
    }

    /// Reads from name/value pairs (the sandbox's variables, a test).
    pub fn from_pairs<I, K, V>(pairs: I) -> ProviderConfig<'static>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map: HashMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        ProviderConfig {
            lookup: Box::new(move |name| map.get(name).cloned()),
            transport: None,
        }
    }

    /// The same configuration, sharing `transport` (connection pool, timeouts,
    /// retries) with the provider it builds.
    #[must_use]
    pub fn with_transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The transport to share, if one was given.
    pub fn transport(&self) -> Option<Transport> {
        self.transport.clone()
    }

    /// A variable's value; blank counts as unset.
    pub fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|v| !v.trim().is_empty())
    }

    /// A variable that must be set.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the variable.
    pub fn required(&self, name: &'static str) -> std::result::Result<String, ConfigError> {
        self.optional(name)
            .ok_or_else(|| ConfigError::new(name, "is not set"))
    }

    /// Relabels a base-URL error with the variable it came from (the message never
    /// echoes the URL, which may hold credentials).
    pub fn base_url_error(name: &'static str) -> impl Fn(ConfigError) -> Error {
        move |_| {
            ConfigError::new(
                name,
                "is not a usable base URL: it must be https (or http to a loopback host) \
                 with no query, fragment or credentials",
            )
            .into()
        }
    }
}

/// The descriptor named `name` (case-insensitive) in `registry`.
///
/// # Errors
/// [`Error::Config`] on `provider` listing the names the registry has.
pub fn find<'r>(
    registry: &'r [&'r ProviderDescriptor],
    name: &str,
) -> Result<&'r ProviderDescriptor> {
    registry
        .iter()
        .copied()
        .find(|d| d.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            let names: Vec<&str> = registry.iter().map(|d| d.name).collect();
            ConfigError::new(
                "provider",
                format!(
                    "names no provider this build has; expected one of: {}",
                    names.join(", ")
                ),
            )
            .into()
        })
}
