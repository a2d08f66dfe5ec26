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
    Capabilities::of(&[
        Operation::CreatePayment,
        Operation::GetPayment,
        Operation::VerifyNotification,
    ]),
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
    fn passes_the_registry_checks() {
        // Connects; name and capabilities match; each required variable is named when
        // missing; the variables read are the ones declared; malformed base URLs are
        // named, never echoed.
        pagos_test_support::descriptor::check(
            &DESCRIPTOR,
            &VALID,
            &[PRIVATE_KEY, PUBLIC_KEY],
            &[PRIVATE_KEY, PUBLIC_KEY],
            &[BASE_URL],
        );
    }
}
