//! Kashpay as an entry of the provider registry: its `PAGOS_KASHPAY_*` variables, its
//! unified capabilities and its constructor from configuration.

use std::sync::Arc;

use pagos_core::{
    Capabilities, ConfigError, EnvVar, Error, Operation, PaymentProvider, ProviderConfig,
    ProviderDescriptor, Result,
};

use crate::{Environment, KashpayClient};

const ENTITY: &str = "PAGOS_KASHPAY_ENTITY";
const USER: &str = "PAGOS_KASHPAY_USER";
const PASSWORD: &str = "PAGOS_KASHPAY_PASSWORD";
const ENV: &str = "PAGOS_KASHPAY_ENV";
const AUTH_URL: &str = "PAGOS_KASHPAY_AUTH_URL";
const ORDERS_URL: &str = "PAGOS_KASHPAY_ORDERS_URL";

/// Kashpay in the provider registry (`pagos::registry()`, `pagos::from_env("kashpay")`).
///
/// | variable | |
/// |---|---|
/// | `PAGOS_KASHPAY_ENTITY` | required: the entity (the `Entity-i` header) |
/// | `PAGOS_KASHPAY_USER` | required: the API user |
/// | `PAGOS_KASHPAY_PASSWORD` | required, secret: the API password |
/// | `PAGOS_KASHPAY_ENV` | optional: `sandbox` or `production` (the default) |
/// | `PAGOS_KASHPAY_AUTH_URL` | optional: another authentication base URL |
/// | `PAGOS_KASHPAY_ORDERS_URL` | optional, but needed in production: the orders (OKPay) base URL |
pub static DESCRIPTOR: ProviderDescriptor = ProviderDescriptor::new(
    "kashpay",
    "Kashpay / Onsigna (Mexico)",
    &[
        EnvVar::required(ENTITY, "the entity, sent as the Entity-i header"),
        EnvVar::required(USER, "the API user"),
        EnvVar::secret(PASSWORD, "the API password"),
        EnvVar::optional(ENV, "sandbox or production (the default)"),
        EnvVar::optional(
            AUTH_URL,
            "another authentication base URL (default: the environment's)",
        ),
        EnvVar::optional(
            ORDERS_URL,
            "the orders (OKPay) base URL; needed in production, whose host Kashpay \
             does not publish",
        ),
    ],
    Capabilities::of(&[Operation::CreatePayout]),
    connect,
);

fn connect(config: &ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>> {
    Ok(Arc::new(client_from_config(config)?))
}

/// A [`KashpayClient`] from the `PAGOS_KASHPAY_*` variables in `config` (see
/// [`DESCRIPTOR`]), sharing the config's transport when it has one.
///
/// ```
/// use pagos_core::ProviderConfig;
/// let config = ProviderConfig::from_pairs([
///     ("PAGOS_KASHPAY_ENTITY", "ENT-1"),
///     ("PAGOS_KASHPAY_USER", "api-user"),
///     ("PAGOS_KASHPAY_PASSWORD", "s3cr3t"),
///     ("PAGOS_KASHPAY_ENV", "sandbox"),
/// ]);
/// let client = pagos_kashpay::client_from_config(&config)?;
/// assert_eq!(client.entity(), "ENT-1");
/// # Ok::<(), pagos_core::Error>(())
/// ```
///
/// # Errors
/// [`pagos_core::Error::Config`] naming the variable that is missing or malformed
/// (never its value): `PAGOS_KASHPAY_ORDERS_URL` in production when it is unset.
pub fn client_from_config(config: &ProviderConfig<'_>) -> Result<KashpayClient> {
    let mut b = KashpayClient::builder()
        .entity(config.required(ENTITY)?)
        .user(config.required(USER)?)
        .password(config.required(PASSWORD)?);
    if let Some(env) = config.optional(ENV) {
        b = b.environment(match env.trim().to_ascii_lowercase().as_str() {
            "sandbox" => Environment::Sandbox,
            "production" => Environment::Production,
            _ => return Err(ConfigError::new(ENV, "expected sandbox or production").into()),
        });
    }
    if let Some(url) = config.optional(AUTH_URL) {
        b = b
            .auth_base_url(&url)
            .map_err(ProviderConfig::base_url_error(AUTH_URL))?;
    }
    if let Some(url) = config.optional(ORDERS_URL) {
        b = b
            .orders_base_url(&url)
            .map_err(ProviderConfig::base_url_error(ORDERS_URL))?;
    }
    if let Some(t) = config.transport() {
        b = b.transport(t);
    }
    b.build().map_err(|e| match e {
        // The builder names its own setting; from configuration, name the variable.
        Error::Config(c) if c.setting() == "orders_base_url" => ConfigError::new(
            ORDERS_URL,
            "is not set: Kashpay does not publish its production orders (OKPay) host; \
             set it to the host Kashpay gave you, or PAGOS_KASHPAY_ENV=sandbox",
        )
        .into(),
        other => other,
    })
}

#[cfg(test)]
mod tests {

    use super::*;

    const VALID: [(&str, &str); 4] = [
        (ENTITY, "ENT-1"),
        (USER, "api-user"),
        (PASSWORD, "kashpay_very_secret"),
        (ENV, "sandbox"),
    ];

    fn without(missing: &str) -> ProviderConfig<'static> {
        ProviderConfig::from_pairs(VALID.into_iter().filter(|(k, _)| *k != missing))
    }

    fn with(extra: (&'static str, &'static str)) -> ProviderConfig<'static> {
        ProviderConfig::from_pairs(
            VALID
                .into_iter()
                .filter(|(k, _)| *k != extra.0)
                .chain([extra]),
        )
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
    fn production_needs_the_orders_url_and_names_it() {
        let err = DESCRIPTOR.connect(&with((ENV, "production"))).unwrap_err();
        assert!(err.to_string().contains(ORDERS_URL), "{err}");
        // Without PAGOS_KASHPAY_ENV the environment is production too.
        let err = DESCRIPTOR.connect(&without(ENV)).unwrap_err();
        assert!(err.to_string().contains(ORDERS_URL), "{err}");
        DESCRIPTOR
            .connect(&ProviderConfig::from_pairs(
                VALID
                    .into_iter()
                    .filter(|(k, _)| *k != ENV)
                    .chain([(ORDERS_URL, "https://orders.example")]),
            ))
            .unwrap();
    }

    #[test]
    fn a_bad_environment_is_named_never_echoed() {
        let err = DESCRIPTOR
            .connect(&with((ENV, "kashpay_very_secret")))
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(text.contains(ENV), "{text}");
        assert!(!text.contains("kashpay_very_secret"), "{text}");
        // Case and surrounding blanks do not matter.
        DESCRIPTOR.connect(&with((ENV, " Sandbox "))).unwrap();
    }

    #[test]
    fn passes_the_registry_checks() {
        // Connects; name and capabilities match; each required variable is named when
        // missing; the variables read are the ones declared; malformed base URLs are
        // named, never echoed.
        pagos_test_support::descriptor::check(
            &DESCRIPTOR,
            &VALID,
            &[ENTITY, USER, PASSWORD],
            &[PASSWORD],
            &[AUTH_URL, ORDERS_URL],
        );
    }
}
