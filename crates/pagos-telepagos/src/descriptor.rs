//! TelePagos as an entry of the provider registry: its `PAGOS_TELEPAGOS_*` variables,
//! its unified capabilities and its constructor from configuration.

use std::sync::Arc;

use pagos_core::{
    Capabilities, ConfigError, EnvVar, Operation, PaymentProvider, ProviderConfig,
    ProviderDescriptor, Result,
};

use crate::{Environment, TelepagosClient};

const USERNAME: &str = "PAGOS_TELEPAGOS_USERNAME";
const PASSWORD: &str = "PAGOS_TELEPAGOS_PASSWORD";
const ENV: &str = "PAGOS_TELEPAGOS_ENV";
const BASE_URL: &str = "PAGOS_TELEPAGOS_BASE_URL";

/// TelePagos in the provider registry (`pagos::registry()`,
/// `pagos::from_env("telepagos")`).
///
/// | variable | |
/// |---|---|
/// | `PAGOS_TELEPAGOS_USERNAME` | required: the API username |
/// | `PAGOS_TELEPAGOS_PASSWORD` | required, secret: the API password |
/// | `PAGOS_TELEPAGOS_ENV` | optional: `homologation` (or `sandbox`) or `production` (the default) |
/// | `PAGOS_TELEPAGOS_BASE_URL` | optional: another base URL (overrides the environment) |
pub static DESCRIPTOR: ProviderDescriptor = ProviderDescriptor::new(
    "telepagos",
    "TelePagos (Argentina)",
    &[
        EnvVar::required(USERNAME, "the API username"),
        EnvVar::secret(PASSWORD, "the API password"),
        EnvVar::optional(ENV, "homologation (or sandbox) or production (the default)"),
        EnvVar::optional(
            BASE_URL,
            "another base URL, e.g. a sandbox (overrides PAGOS_TELEPAGOS_ENV)",
        ),
    ],
    Capabilities::of(&[
        Operation::CreatePayment,
        Operation::GetPayment,
        Operation::CreatePayout,
        Operation::GetPayout,
        Operation::GetBalance,
    ]),
    connect,
);

fn connect(config: &ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>> {
    Ok(Arc::new(client_from_config(config)?))
}

/// A [`TelepagosClient`] from the `PAGOS_TELEPAGOS_*` variables in `config` (see
/// [`DESCRIPTOR`]), sharing the config's transport when it has one.
///
/// ```
/// use pagos_core::ProviderConfig;
/// let config = ProviderConfig::from_pairs([
///     ("PAGOS_TELEPAGOS_USERNAME", "api-user"),
///     ("PAGOS_TELEPAGOS_PASSWORD", "s3cr3t"),
///     ("PAGOS_TELEPAGOS_ENV", "homologation"),
/// ]);
/// let client = pagos_telepagos::client_from_config(&config)?;
/// assert!(client.base_url().as_str().contains("api.homo.telepagos.com.ar"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
///
/// # Errors
/// [`pagos_core::Error::Config`] naming the variable that is missing or malformed
/// (never its value).
pub fn client_from_config(config: &ProviderConfig<'_>) -> Result<TelepagosClient> {
    let mut b = TelepagosClient::builder()
        .username(config.required(USERNAME)?)
        .password(config.required(PASSWORD)?);
    if let Some(env) = config.optional(ENV) {
        b = b.environment(match env.trim().to_ascii_lowercase().as_str() {
            "homologation" | "sandbox" => Environment::Homologation,
            "production" => Environment::Production,
            _ => {
                return Err(ConfigError::new(
                    ENV,
                    "expected homologation (or sandbox) or production",
                )
                .into());
            }
        });
    }
    if let Some(url) = config.optional(BASE_URL) {
        b = b
            .base_url(&url)
            .map_err(ProviderConfig::base_url_error(BASE_URL))?;
    }
    if let Some(t) = config.transport() {
        b = b.transport(t);
    }
    b.build()
}

#[cfg(test)]
mod tests {

    use super::*;

    const VALID: [(&str, &str); 2] = [(USERNAME, "api-user"), (PASSWORD, "telepagos_very_secret")];

    fn without(missing: &str) -> ProviderConfig<'static> {
        ProviderConfig::from_pairs(VALID.into_iter().filter(|(k, _)| *k != missing))
    }

    fn with(extra: (&'static str, &'static str)) -> ProviderConfig<'static> {
        ProviderConfig::from_pairs(VALID.into_iter().chain([extra]))
    }

    #[test]
    fn the_descriptor_describes_the_client_it_builds() {
        let provider = DESCRIPTOR.connect(&without("")).unwrap();
        assert_eq!(provider.name(), DESCRIPTOR.name);
        assert_eq!(provider.capabilities(), DESCRIPTOR.capabilities);
        let client = client_from_config(&without("")).unwrap();
        assert_eq!(client.capabilities(), DESCRIPTOR.capabilities);
    }

    #[test]
    fn environments_choose_the_documented_hosts() {
        let host = |env| {
            client_from_config(&with((ENV, env)))
                .unwrap()
                .base_url()
                .as_str()
                .to_string()
        };
        assert_eq!(host("homologation"), host("SANDBOX"));
        assert!(host("homologation").contains("homo"));
        assert!(!host(" production ").contains("homo"));
        let err = DESCRIPTOR
            .connect(&with((ENV, "telepagos_very_secret")))
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(text.contains(ENV), "{text}");
        assert!(!text.contains("telepagos_very_secret"), "{text}");
    }

    #[test]
    fn passes_the_registry_checks() {
        // Connects; name and capabilities match; each required variable is named when
        // missing; the variables read are the ones declared; malformed base URLs are
        // named, never echoed.
        pagos_test_support::descriptor::check(
            &DESCRIPTOR,
            &VALID,
            &[USERNAME, PASSWORD],
            &[PASSWORD],
            &[BASE_URL],
        );
    }
}
