//! KashIO as an entry of the provider registry: its `PAGOS_KASHIO_*` variables, its
//! unified capabilities and its constructor from configuration.

use std::sync::Arc;

use pagos_core::{
    Capabilities, EnvVar, Operation, PaymentProvider, ProviderConfig, ProviderDescriptor, Result,
};

use crate::KashioClient;

const SECRET_KEY: &str = "PAGOS_KASHIO_SECRET_KEY";
const BASE_URL: &str = "PAGOS_KASHIO_BASE_URL";

/// KashIO in the provider registry (`pagos::registry()`, `pagos::from_env("kashio")`).
///
/// | variable | |
/// |---|---|
/// | `PAGOS_KASHIO_SECRET_KEY` | required, secret: the API secret key (`sk_…`) |
/// | `PAGOS_KASHIO_BASE_URL` | optional: another base URL (default `https://api.kashio.net/v1/payments`; certification `https://cert-api.kashio.net/v1/payments`) |
pub static DESCRIPTOR: ProviderDescriptor = ProviderDescriptor::new(
    "kashio",
    "KashIO (Peru)",
    &[
        EnvVar::secret(SECRET_KEY, "the API secret key (sk_...)"),
        EnvVar::optional(
            BASE_URL,
            "another base URL (default https://api.kashio.net/v1/payments; \
             certification https://cert-api.kashio.net/v1/payments)",
        ),
    ],
    Capabilities::of(&[
        Operation::CreatePayment,
        Operation::GetPayment,
        Operation::CancelPayment,
        Operation::VerifyNotification,
    ]),
    connect,
);

fn connect(config: &ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>> {
    Ok(Arc::new(client_from_config(config)?))
}

/// A [`KashioClient`] from the `PAGOS_KASHIO_*` variables in `config` (see
/// [`DESCRIPTOR`]), sharing the config's transport when it has one.
///
/// ```
/// use pagos_core::ProviderConfig;
/// let config = ProviderConfig::from_pairs([("PAGOS_KASHIO_SECRET_KEY", "sk_test_x")]);
/// let client = pagos_kashio::client_from_config(&config)?;
/// # let _ = client;
/// # Ok::<(), pagos_core::Error>(())
/// ```
///
/// # Errors
/// [`pagos_core::Error::Config`] naming the variable that is missing or malformed
/// (never its value).
pub fn client_from_config(config: &ProviderConfig<'_>) -> Result<KashioClient> {
    let mut b = KashioClient::builder().secret_key(config.required(SECRET_KEY)?);
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

    const VALID: [(&str, &str); 1] = [(SECRET_KEY, "sk_test_very_secret")];

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
            &[SECRET_KEY],
            &[SECRET_KEY],
            &[BASE_URL],
        );
    }
}
