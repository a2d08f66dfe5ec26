//! Configuration: `PAGOS_<PROVIDER>_…` environment variables, with a few flags
//! (base URLs, environments) layered over them, and the shared transport. Which
//! variables a provider reads is its descriptor's business (`pagos::registry()`): this
//! module only layers the flags and hands a `ProviderConfig` to the provider crate.
//!
//! Credentials come only from the environment: no flag can carry a secret, so none
//! ends up in a shell history or a process list.

use std::collections::BTreeMap;
use std::time::Duration;

use pagos::{ProviderConfig, Transport};

use crate::error::CliResult;

/// Flag values that override environment variables, by variable name.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    vars: BTreeMap<&'static str, String>,
}

impl Overrides {
    /// No overrides: the environment alone.
    pub fn new() -> Overrides {
        Overrides::default()
    }

    /// Overrides `var` with `value` when the flag was given.
    pub fn set(&mut self, var: &'static str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.vars.insert(var, v.to_string());
        }
        self
    }

    /// A [`ProviderConfig`] reading the overrides first, then `std::env::var`.
    pub fn config(&self) -> ProviderConfig<'_> {
        ProviderConfig::from_fn(move |name| {
            self.vars
                .get(name)
                .cloned()
                .or_else(|| std::env::var(name).ok())
        })
    }

    /// [`Overrides::config`] sharing the run's transport ([`Settings::transport`]): what
    /// a provider command builds its client from
    /// (`pagos::khipu::client_from_config(&overrides.shared(settings)?)`).
    ///
    /// # Errors
    /// As [`Settings::transport`].
    pub fn shared(&self, settings: Settings) -> CliResult<ProviderConfig<'_>> {
        Ok(self.config().with_transport(settings.transport()?))
    }
}

/// Options every command shares.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Print JSON instead of text.
    pub json: bool,
    /// The timeout of one HTTP attempt.
    pub timeout: Duration,
}

impl Settings {
    /// The transport every provider command of this run shares: the `--timeout`, and
    /// the proxy `PAGOS_PROXY` names, if any. That variable is the only way to give the
    /// CLI a proxy: `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY` are ignored by the
    /// transport, so a stray variable cannot route credentials through a listener.
    ///
    /// # Errors
    /// A configuration error naming `PAGOS_PROXY` (never its value) when it is not a
    /// proxy URL, or when the TLS backend cannot be initialised.
    pub fn transport(&self) -> CliResult<Transport> {
        Ok(pagos::transport_from_env_with(
            &ProviderConfig::process(),
            Transport::builder().timeout(self.timeout),
        )?)
    }

    /// A transport with the `--timeout` and no proxy, for the demo: it talks only to
    /// the sandbox it starts on 127.0.0.1, which no proxy could reach.
    ///
    /// # Errors
    /// A configuration error when the TLS backend cannot be initialised.
    pub fn local_transport(&self) -> CliResult<Transport> {
        Ok(Transport::builder().timeout(self.timeout).build()?)
    }
}
