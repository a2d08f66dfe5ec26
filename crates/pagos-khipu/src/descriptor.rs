//! Khipu as an entry of the provider registry: its `PAGOS_KHIPU_*` variables, its
//! unified capabilities and its constructor from configuration.

use std::sync::Arc;

use pagos_core::{
    BaseUrl, Capabilities, EnvVar, Operation, PaymentProvider, ProviderConfig, ProviderDescriptor,
    Result,
};

use crate::{KhipuClient, KhipuV3Client};

const RECEIVER_ID: &str = "PAGOS_KHIPU_RECEIVER_ID";
const SECRET: &str = "PAGOS_KHIPU_SECRET";
const API_KEY: &str = "PAGOS_KHIPU_API_KEY";
const BASE_URL: &str = "PAGOS_KHIPU_BASE_URL";
const V3_BASE_URL: &str = "PAGOS_KHIPU_V3_BASE_URL";

/// Khipu in the provider registry (`pagos::registry()`, `pagos::from_env("khipu")`).
///
/// | variable | |
/// |---|---|
/// | `PAGOS_KHIPU_RECEIVER_ID` | required: the receiver (collection account) id; with API 3.0 the merchant of the payment methods and the `receiver_id` a webhook must carry |
/// | `PAGOS_KHIPU_SECRET` | required, secret: the merchant secret; it signs every API 2.0 request and every 3.0 webhook |
/// | `PAGOS_KHIPU_API_KEY` | optional, secret: when set, the provider uses API 3.0 (and PAC) with this key |
/// | `PAGOS_KHIPU_BASE_URL` | optional: another API 2.0 base URL (default `https://khipu.com/api/2.0`) |
/// | `PAGOS_KHIPU_V3_BASE_URL` | optional: another API 3.0 host (default `https://payment-api.khipu.com`) |
///
/// Every variable is read and checked whichever API is chosen, so a malformed one is
/// reported even when unused.
pub static DESCRIPTOR: ProviderDescriptor = ProviderDescriptor::new(
    "khipu",
    "Khipu (Chile)",
    &[
        EnvVar::required(RECEIVER_ID, "the receiver (collection account) id"),
        EnvVar::secret(
            SECRET,
            "the merchant secret: signs API 2.0 requests and API 3.0 webhooks",
        ),
        EnvVar::optional_secret(
            API_KEY,
            "an API 3.0 key: when set, API 3.0 (and PAC) is used instead of 2.0",
        ),
        EnvVar::optional(
            BASE_URL,
            "another API 2.0 base URL (default https://khipu.com/api/2.0), e.g. a sandbox",
        ),
        EnvVar::optional(
            V3_BASE_URL,
            "another API 3.0 host (default https://payment-api.khipu.com), e.g. a sandbox",
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

/// Which client a configuration selects.
enum Selected {
    V2(KhipuClient),
    V3(KhipuV3Client),
}

fn select(config: &ProviderConfig<'_>) -> Result<Selected> {
    let api_key = config.optional(API_KEY).filter(|k| !k.trim().is_empty());
    let receiver_id = config.required(RECEIVER_ID)?;
    let secret = config.required(SECRET)?;
    let base_url = config.optional(BASE_URL);
    let v3_base_url = config.optional(V3_BASE_URL);
    for (var, url) in [(BASE_URL, &base_url), (V3_BASE_URL, &v3_base_url)] {
        if let Some(url) = url {
            BaseUrl::parse(url).map_err(ProviderConfig::base_url_error(var))?;
        }
    }
    let transport = config.transport();
    match api_key {
        Some(key) => {
            let mut b = KhipuV3Client::builder()
                .api_key(key)
                .receiver_id(receiver_id)
                .webhook_secret(secret);
            if let Some(url) = &v3_base_url {
                b = b
                    .base_url(url)
                    .map_err(ProviderConfig::base_url_error(V3_BASE_URL))?;
            }
            if let Some(t) = transport {
                b = b.transport(t);
            }
            b.build()
                .map(Selected::V3)
                .map_err(|e| name_setting(e, API_KEY))
        }
        None => {
            let mut b = KhipuClient::builder()
                .receiver_id(receiver_id)
                .secret(secret);
            if let Some(url) = &base_url {
                b = b
                    .base_url(url)
                    .map_err(ProviderConfig::base_url_error(BASE_URL))?;
            }
            if let Some(t) = transport {
                b = b.transport(t);
            }
            b.build().map(Selected::V2)
        }
    }
}

/// A builder's config error on `api_key` / `receiver_id`, renamed to the variable.
fn name_setting(e: pagos_core::Error, api_key_var: &'static str) -> pagos_core::Error {
    match &e {
        pagos_core::Error::Config(c) if c.setting() == "api_key" => {
            pagos_core::ConfigError::new(api_key_var, c.message().to_string()).into()
        }
        pagos_core::Error::Config(c) if c.setting() == "receiver_id" => {
            pagos_core::ConfigError::new(RECEIVER_ID, c.message().to_string()).into()
        }
        _ => e,
    }
}

fn connect(config: &ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>> {
    Ok(match select(config)? {
        Selected::V2(c) => Arc::new(c),
        Selected::V3(c) => Arc::new(c),
    })
}

/// An API 2.0 [`KhipuClient`] from the `PAGOS_KHIPU_*` variables in `config` (see
/// [`DESCRIPTOR`]), sharing the config's transport when it has one. It fails when
/// `PAGOS_KHIPU_API_KEY` is set (that configuration selects API 3.0: use
/// [`v3_client_from_config`]).
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
    match select(config)? {
        Selected::V2(c) => Ok(c),
        Selected::V3(_) => Err(pagos_core::ConfigError::new(
            API_KEY,
            "is set, which selects API 3.0: use v3_client_from_config",
        )
        .into()),
    }
}

/// An API 3.0 [`KhipuV3Client`] from the `PAGOS_KHIPU_*` variables in `config`.
///
/// ```
/// use pagos_core::ProviderConfig;
/// let config = ProviderConfig::from_pairs([
///     ("PAGOS_KHIPU_RECEIVER_ID", "1234"),
///     ("PAGOS_KHIPU_SECRET", "s3cr3t"),
///     ("PAGOS_KHIPU_API_KEY", "b0c5e0f2-0000-4000-8000-000000000000"),
/// ]);
/// let client = pagos_khipu::v3_client_from_config(&config)?;
/// assert_eq!(client.receiver_id(), Some("1234"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
///
/// # Errors
/// [`pagos_core::Error::Config`] naming the variable that is missing or malformed,
/// `PAGOS_KHIPU_API_KEY` when it is not set.
pub fn v3_client_from_config(config: &ProviderConfig<'_>) -> Result<KhipuV3Client> {
    match select(config)? {
        Selected::V3(c) => Ok(c),
        Selected::V2(_) => {
            Err(pagos_core::ConfigError::new(API_KEY, "missing: API 3.0 needs an API key").into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V2: [(&str, &str); 2] = [(RECEIVER_ID, "1234"), (SECRET, "s3cr3t_khipu")];
    const V3: [(&str, &str); 3] = [
        (RECEIVER_ID, "1234"),
        (SECRET, "s3cr3t_khipu"),
        (API_KEY, "2f1c7a9e-5b8d-4c1a-9e3f-0a1b2c3d4e5f"),
    ];

    fn config(pairs: &[(&'static str, &'static str)]) -> ProviderConfig<'static> {
        ProviderConfig::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn the_descriptor_describes_the_client_it_builds() {
        for pairs in [&V2[..], &V3[..]] {
            let provider = DESCRIPTOR.connect(&config(pairs)).unwrap();
            assert_eq!(provider.name(), DESCRIPTOR.name);
            assert_eq!(provider.capabilities(), DESCRIPTOR.capabilities);
        }
        let client = client_from_config(&config(&V2)).unwrap();
        assert_eq!(client.capabilities(), DESCRIPTOR.capabilities);
    }

    #[test]
    fn the_api_key_selects_api_3() {
        let c = v3_client_from_config(&config(&V3)).unwrap();
        assert_eq!(c.base_url().as_str(), crate::v3::DEFAULT_BASE_URL);
        assert_eq!(c.receiver_id(), Some("1234"));
        assert!(client_from_config(&config(&V3)).is_err());
        assert!(v3_client_from_config(&config(&V2)).is_err());
        let mut pairs = V3.to_vec();
        pairs.push((V3_BASE_URL, "http://127.0.0.1:9/khipu3"));
        let c = v3_client_from_config(&config(&pairs)).unwrap();
        assert_eq!(c.base_url().as_str(), "http://127.0.0.1:9/khipu3");
        // A blank key is no key: API 2.0.
        let pairs = [(RECEIVER_ID, "1234"), (SECRET, "s"), (API_KEY, " ")];
        assert!(client_from_config(&config(&pairs)).is_ok());
        // A malformed key is named, never echoed.
        let pairs = [
            (RECEIVER_ID, "1234"),
            (SECRET, "s"),
            (API_KEY, "bad\u{7f}key"),
        ];
        let e = DESCRIPTOR.connect(&config(&pairs)).err().unwrap();
        assert!(
            e.to_string().contains(API_KEY) && !e.to_string().contains("bad"),
            "{e}"
        );
    }

    #[test]
    fn passes_the_registry_checks() {
        for pairs in [&V2[..], &V3[..]] {
            pagos_test_support::descriptor::check(
                &DESCRIPTOR,
                pairs,
                &[RECEIVER_ID, SECRET],
                &[SECRET, API_KEY],
                &[BASE_URL, V3_BASE_URL],
            );
        }
    }
}
