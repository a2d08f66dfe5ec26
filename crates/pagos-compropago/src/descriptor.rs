//! ComproPago as an entry of the provider registry: its `PAGOS_COMPROPAGO_*`
//! variables, its unified capabilities and its constructor from configuration.

use std::sync::Arc;

use pagos_core::{
    Capabilities, EnvVar, Operation, PaymentProvider, ProviderConfig, ProviderDescriptor, Result,
};

use crate::CompropagoClient;

const PRIVATE_KEY: &str = "PAGOS_COMPROPAGO_PRIVATE_KEY";
const PUBLIC_KEY: &str = "PAGOS_COMPROPAGO_PUBLIC_KEY";
const BASE_URL: &str = "PAGOS_COMPROPAGO_BASE_URL";

/// ComproPago in the provider registry (`pagos::registry()`,
/// `pagos::from_env("compropago")`).
///
/// | variable | |
/// |---|---|
/// | `PAGOS_COMPROPAGO_PRIVATE_KEY` | required, secret: the private key (`sk_…`), the Basic user |
/// | `PAGOS_COMPROPAGO_PUBLIC_KEY` | required, secret: the public key (`pk_…`), the Basic password |
/// | `PAGOS_COMPROPAGO_BASE_URL` | optional: another base URL (default `https://api.compropago.com`) |
pub static DESCRIPTOR: ProviderDescriptor = ProviderDescriptor::new(
    "compropago",
    "ComproPago (Mexico)",
    &[
        EnvVar::secret(
            PRIVATE_KEY,
            "the private key (sk_...), sent as the HTTP Basic user",
        ),
        EnvVar::secret(
            PUBLIC_KEY,
            "the public key (pk_...), sent as the HTTP Basic password",
        ),
        EnvVar::optional(
            BASE_URL,
            "another base URL (default https://api.compropago.com)",
        ),
    ],
    Capabilities::of(&[Operation::CreatePayment, Operation::GetPayment]),
    connect,
);

fn connect(config: &ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>> {
    Ok(Arc::new(client_from_config(config)?))
}

/// A [`CompropagoClient`] from the `PAGOS_COMPROPAGO_*` variables in `config` (see
/// [`DESCRIPTOR`]), sharing the config's transport when it has one.
///
/// ```
/// use pagos_core::ProviderConfig;
/// let config = ProviderConfig::from_pairs([
///     ("PAGOS_COMPROPAGO_PRIVATE_KEY", "sk_test_x"),
///     ("PAGOS_COMPROPAGO_PUBLIC_KEY", "pk_test_x"),
/// ]);
/// let client = pagos_compropago::client_from_config(&config)?;
/// # let _ = client;
/// # Ok::<(), pagos_core::Error>(())
/// ```
///
/// # Errors
/// [`pagos_core::Error::Config`] naming the variable that is missing or malformed
/// (never its value).
pub fn client_from_config(config: &ProviderConfig<'_>) -> Result<CompropagoClient> {
    let mut b = CompropagoClient::builder()
        .private_key(config.required(PRIVATE_KEY)?)
        .public_key(config.required(PUBLIC_KEY)?);
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

    const VALID: [(&str, &str); 2] = [
        (PRIVATE_KEY, "sk_test_very_secret"),
        (PUBLIC_KEY, "pk_test_also_secret"),
    ];

    fn without(missing: &str) -> ProviderConfig<'static> {
        ProviderConfig::from_pairs(VALID.into_iter().filter(|(k, _)| *k != missing))
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
    fn each_missing_required_variable_is_named() {
        let required: Vec<&str> = DESCRIPTOR.required_vars().collect();
        assert_eq!(required, [PRIVATE_KEY, PUBLIC_KEY]);
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
                .all(|v| v.secret == (v.name != BASE_URL))
        );
    }
}
