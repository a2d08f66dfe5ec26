//! Configuration: `PAGOS_<PROVIDER>_…` environment variables, with a few flags
//! (base URLs, environments) layered over them, and the shared transport.
//!
//! Credentials come only from the environment: no flag can carry a secret, so none
//! ends up in a shell history or a process list.

use std::collections::BTreeMap;
use std::time::Duration;

use pagos::{EnvConfig, Transport};

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

    /// An [`EnvConfig`] reading the overrides first, then `std::env::var`.
    pub fn env_config(&self) -> EnvConfig<'_> {
        EnvConfig::from_fn(move |name| {
            self.vars
                .get(name)
                .cloned()
                .or_else(|| std::env::var(name).ok())
        })
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
    /// The transport every client of this run shares, with the `--timeout`.
    ///
    /// # Errors
    /// A configuration error when the TLS backend cannot be initialised.
    pub fn transport(&self) -> CliResult<Transport> {
        Ok(Transport::builder().timeout(self.timeout).build()?)
    }
}
