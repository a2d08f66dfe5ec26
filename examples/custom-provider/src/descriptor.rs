//! Acmepay as an entry of the provider registry: its `PAGOS_ACMEPAY_*` variables, its
//! unified capabilities and its constructor from configuration.
//!
//! `cargo xtask new-provider` lists [`DESCRIPTOR`] in the facade's `registry()`, behind
//! the cargo feature `acmepay`: that is all `pagos::from_env("acmepay")`, the CLI's
//! shared commands and the registry-wide tests need.

use std::sync::Arc;

use pagos_core::{EnvVar, PaymentProvider, ProviderConfig, ProviderDescriptor, Result};

use crate::AcmepayClient;

const API_KEY: &str = "PAGOS_ACMEPAY_API_KEY";
const BASE_URL: &str = "PAGOS_ACMEPAY_BASE_URL";

/// Acmepay in the provider registry (`pagos::registry()`, `pagos::from_env("acmepay")`).
///
/// | variable | |
/// |---|---|
/// | `PAGOS_ACMEPAY_API_KEY` | required, secret: the API key |
/// | `PAGOS_ACMEPAY_BASE_URL` | optional: another base URL (default [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL)) |
pub static DESCRIPTOR: ProviderDescriptor = ProviderDescriptor::new(
    "acmepay",
    // A human title: the provider and its country, e.g. "Khipu (Chile)".
    "Acmepay",
    &[
        EnvVar::secret(API_KEY, "the API key, sent as a bearer token"),
        EnvVar::optional(BASE_URL, "another base URL, e.g. a sandbox"),
    ],
    crate::provider::CAPABILITIES,
    connect,
);

fn connect(config: &ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>> {
    Ok(Arc::new(client_from_config(config)?))
}

/// A [`AcmepayClient`] from the `PAGOS_ACMEPAY_*` variables in `config` (see
/// [`DESCRIPTOR`]), sharing the config's transport when it has one.
///
/// ```
/// use pagos_core::ProviderConfig;
/// let config = ProviderConfig::from_pairs([("PAGOS_ACMEPAY_API_KEY", "sk_test_x")]);
/// let client = pagos_acmepay::client_from_config(&config)?;
/// assert_eq!(client.base_url().as_str(), "https://api.acmepay.example");
/// # Ok::<(), pagos_core::Error>(())
/// ```
///
/// # Errors
/// [`pagos_core::Error::Config`] naming the variable that is missing or malformed
/// (never its value).
pub fn client_from_config(config: &ProviderConfig<'_>) -> Result<AcmepayClient> {
    let mut b = AcmepayClient::builder().api_key(config.required(API_KEY)?);
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
    use std::sync::Mutex;

    use super::*;

    const VALID: [(&str, &str); 1] = [(API_KEY, "sk_test_very_secret")];

    fn without(missing: &str) -> ProviderConfig<'static> {
        ProviderConfig::from_pairs(VALID.into_iter().filter(|(k, _)| *k != missing))
    }

    #[test]
    fn the_descriptor_describes_the_client_it_builds() {
        let provider = DESCRIPTOR.connect(&without("")).unwrap();
        assert_eq!(provider.name(), DESCRIPTOR.name);
        assert_eq!(provider.name(), crate::PROVIDER);
        assert_eq!(provider.capabilities(), DESCRIPTOR.capabilities);
        let client = client_from_config(&without("")).unwrap();
        assert_eq!(client.capabilities(), DESCRIPTOR.capabilities);
    }

    #[test]
    fn each_missing_required_variable_is_named() {
        let required: Vec<&str> = DESCRIPTOR.required_vars().collect();
        assert_eq!(required, [API_KEY]);
        for name in required {
            let err = DESCRIPTOR.connect(&without(name)).unwrap_err();
            assert!(err.to_string().contains(name), "{name}: {err}");
        }
    }

    #[test]
    fn a_bad_base_url_is_named_never_echoed() {
        let config = ProviderConfig::from_pairs(
            VALID
                .into_iter()
                .chain([(BASE_URL, "http://evil.example/sk_test_very_secret")]),
        );
        let err = DESCRIPTOR.connect(&config).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(text.contains(BASE_URL), "{text}");
        assert!(!text.contains("sk_test_very_secret"), "{text}");
    }

    #[test]
    fn the_variables_read_are_the_variables_declared() {
        let asked = Mutex::new(Vec::new());
        let config = ProviderConfig::from_fn(|name| {
            asked.lock().unwrap().push(name.to_string());
            VALID
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        });
        DESCRIPTOR.connect(&config).unwrap();
        drop(config);
        let mut asked = asked.into_inner().unwrap();
        asked.sort();
        asked.dedup();
        let mut declared: Vec<&str> = DESCRIPTOR.env.iter().map(|v| v.name).collect();
        declared.sort();
        assert_eq!(asked, declared);
        assert!(
            DESCRIPTOR
                .env
                .iter()
                .all(|v| v.secret == (v.name == API_KEY))
        );
    }
}
