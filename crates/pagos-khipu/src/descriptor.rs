//! Khipu as an entry of the provider registry: its `PAGOS_KHIPU_*` variables, its
//! unified capabilities and its constructor from configuration.

use std::sync::Arc;

use pagos_core::{
    Capabilities, EnvVar, Operation, PaymentProvider, ProviderConfig, ProviderDescriptor, Result,
};

use crate::KhipuClient;

const RECEIVER_ID: &str = "PAGOS_KHIPU_RECEIVER_ID";
const SECRET: &str = "PAGOS_KHIPU_SECRET";
const BASE_URL: &str = "PAGOS_KHIPU_BASE_URL";

/// Khipu in the provider registry (`pagos::registry()`, `pagos::from_env("khipu")`).
///
/// | variable | |
/// |---|---|
/// | `PAGOS_KHIPU_RECEIVER_ID` | required: the receiver (collection account) id |
/// | `PAGOS_KHIPU_SECRET` | required, secret: the receiver's secret, which signs every request |
/// | `PAGOS_KHIPU_BASE_URL` | optional: another base URL (default `https://khipu.com/api/2.0`) |
pub static DESCRIPTOR: ProviderDescriptor = ProviderDescriptor::new(
    "khipu",
    "Khipu (Chile)",
    &[
        EnvVar::required(RECEIVER_ID, "the receiver (collection account) id"),
        EnvVar::secret(SECRET, "the receiver's secret, which signs every request"),
        EnvVar::optional(
            BASE_URL,
            "another base URL (default https://khipu.com/api/2.0), e.g. a sandbox",
        ),
    ],
    Capabilities::of(&[
        Operation::CreatePayment,
        Operation::GetPayment,
        Operation::CancelPayment,
        Operation::RefundPayment,
        Operation::VerifyNotification,
    ]),
    connect,
);

fn connect(config: &ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>> {
    Ok(Arc::new(client_from_config(config)?))
}

/// A [`KhipuClient`] from the `PAGOS_KHIPU_*` variables in `config` (see
/// [`DESCRIPTOR`]), sharing the config's transport when it has one.
///
/// ```
/// use pagos_core::ProviderConfig;
/// let config = ProviderConfig::from_pairs([
///     ("PAGOS_KHIPU_RECEIVER_ID", "1234"),
///     ("PAGOS_KHIPU_SECRET", "s3cr3t"),
/// ]);
/// let client = pagos_khipu::client_from_config(&config)?;
/// assert_eq!(client.receiver_id(), "1234");
/// # Ok::<(), pagos_core::Error>(())
/// ```
///
/// # Errors
/// [`pagos_core::Error::Config`] naming the variable that is missing or malformed
/// (never its value).
pub fn client_from_config(config: &ProviderConfig<'_>) -> Result<KhipuClient> {
    let mut b = KhipuClient::builder()
        .receiver_id(config.required(RECEIVER_ID)?)
        .secret(config.required(SECRET)?);
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

    const VALID: [(&str, &str); 2] = [(RECEIVER_ID, "1234"), (SECRET, "s3cr3t_khipu")];

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
            &[RECEIVER_ID, SECRET],
            &[SECRET],
            &[BASE_URL],
        );
    }
}
