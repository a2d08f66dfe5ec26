//! The providers this build has, and building one from `PAGOS_*` environment variables.
//!
//! Every provider crate exports one [`ProviderDescriptor`] (`pagos_khipu::DESCRIPTOR`...);
//! [`registry`] lists those whose cargo feature is on, and everything here goes through
//! that list: [`from_env`] finds the descriptor by name and calls its constructor.

use std::sync::Arc;

use pagos_core::registry::find;
use pagos_core::{ConfigError, Error, PaymentProvider, ProviderConfig, ProviderDescriptor, Result};
use pagos_core::{Transport, TransportBuilder};

/// The variable that names the provider to build ([`provider_from_env`]).
pub const PROVIDER_VAR: &str = "PAGOS_PROVIDER";

/// The variable that names the proxy to send through ([`transport_from_env`]).
pub const PROXY_VAR: &str = "PAGOS_PROXY";

/// The providers this build has: one per enabled cargo feature, in a stable order.
///
/// ```
/// for provider in pagos::registry() {
///     println!("{}: {}", provider.name, provider.title);
///     for var in provider.env {
///         println!("  {}{}", var.name, if var.required { " (required)" } else { "" });
///     }
/// }
/// # #[cfg(feature = "khipu")]
/// assert!(pagos::registry().iter().any(|p| p.name == "khipu"));
/// ```
pub fn registry() -> &'static [&'static ProviderDescriptor] {
    // One line per provider: `cargo xtask new-provider` adds the next one here.
    static REGISTRY: &[&ProviderDescriptor] = &[
        #[cfg(feature = "khipu")]
        &pagos_khipu::DESCRIPTOR,
        #[cfg(feature = "kashio")]
        &pagos_kashio::DESCRIPTOR,
        #[cfg(feature = "compropago")]
        &pagos_compropago::DESCRIPTOR,
        #[cfg(feature = "kashpay")]
        &pagos_kashpay::DESCRIPTOR,
        #[cfg(feature = "telepagos")]
        &pagos_telepagos::DESCRIPTOR,
    ];
    REGISTRY
}

/// The descriptor of the provider named `name` (any ASCII case) in [`registry`].
///
/// ```
/// let err = pagos::descriptor("stripe").unwrap_err();
/// assert!(err.to_string().contains("cargo feature"));
/// # #[cfg(feature = "kashio")]
/// assert_eq!(pagos::descriptor("KashIO")?.name, "kashio");
/// # Ok::<(), pagos::Error>(())
/// ```
///
/// # Errors
/// [`Error::Config`] on `provider` listing the providers this build has, when none is
/// called `name` (its feature may be off).
pub fn descriptor(name: &str) -> Result<&'static ProviderDescriptor> {
    find(registry(), name).map_err(|e| match e {
        Error::Config(c) => ConfigError::new(
            c.setting().to_string(),
            format!(
                "{}; each provider is compiled in by the cargo feature of its name",
                c.message()
            ),
        )
        .into(),
        other => other,
    })
}

/// The provider `PAGOS_PROVIDER` names in `config`.
///
/// ```
/// use pagos::ProviderConfig;
/// let err = pagos::selected_provider(&ProviderConfig::from_pairs([("PAGOS_PROVIDER", "stripe")]))
///     .unwrap_err();
/// assert!(err.to_string().contains("PAGOS_PROVIDER"));
/// # #[cfg(feature = "khipu")]
/// assert_eq!(
///     pagos::selected_provider(&ProviderConfig::from_pairs([("PAGOS_PROVIDER", "khipu")]))?.name,
///     "khipu"
/// );
/// # Ok::<(), pagos::Error>(())
/// ```
///
/// # Errors
/// [`Error::Config`] naming `PAGOS_PROVIDER` when it is unset or names no provider of
/// this build (the message lists those it has).
pub fn selected_provider(config: &ProviderConfig<'_>) -> Result<&'static ProviderDescriptor> {
    let name = config.required(PROVIDER_VAR)?;
    descriptor(&name).map_err(|e| match e {
        Error::Config(c) => ConfigError::new(PROVIDER_VAR, c.message().to_string()).into(),
        other => other,
    })
}

/// The provider `PAGOS_PROVIDER` names, built from the process environment: the one
/// line an application needs to pick its provider by configuration.
///
/// # Errors
/// As [`selected_provider`] and [`from_env`].
pub fn provider_from_env() -> Result<Arc<dyn PaymentProvider>> {
    let config = ProviderConfig::process();
    from_env_with(selected_provider(&config)?.name, &config)
}

/// Builds the provider named `name` from the process environment, with the transport
/// [`transport_from_env`] asks for. Each provider's variables are listed by its
/// descriptor ([`ProviderDescriptor::env`], e.g. `pagos::khipu::DESCRIPTOR`):
///
/// | provider | required | optional |
/// |---|---|---|
/// | khipu | `PAGOS_KHIPU_RECEIVER_ID`, `PAGOS_KHIPU_SECRET` | `PAGOS_KHIPU_API_KEY` (selects API 3.0), `PAGOS_KHIPU_BASE_URL`, `PAGOS_KHIPU_V3_BASE_URL` |
/// | kashio | `PAGOS_KASHIO_SECRET_KEY` | `PAGOS_KASHIO_BASE_URL` |
/// | compropago | `PAGOS_COMPROPAGO_PRIVATE_KEY`, `PAGOS_COMPROPAGO_PUBLIC_KEY` | `PAGOS_COMPROPAGO_BASE_URL` |
/// | kashpay | `PAGOS_KASHPAY_ENTITY`, `PAGOS_KASHPAY_USER`, `PAGOS_KASHPAY_PASSWORD` | `PAGOS_KASHPAY_ENV` (`sandbox`/`production`), `PAGOS_KASHPAY_AUTH_URL`, `PAGOS_KASHPAY_ORDERS_URL` |
/// | telepagos | `PAGOS_TELEPAGOS_USERNAME`, `PAGOS_TELEPAGOS_PASSWORD` | `PAGOS_TELEPAGOS_ENV` (`homologation`/`production`), `PAGOS_TELEPAGOS_BASE_URL` |
///
/// # Errors
/// [`Error::Config`] naming the variable that is missing or malformed (never its
/// value), or on `provider` when this build has no provider called `name`.
pub fn from_env(name: &str) -> Result<Arc<dyn PaymentProvider>> {
    from_env_with(name, &ProviderConfig::process())
}

/// Like [`from_env`], reading through `config` and sharing its transport
/// ([`ProviderConfig::with_transport`]); without one, `PAGOS_PROXY` in `config` decides
/// ([`transport_from_env`]).
///
/// ```
/// use pagos::ProviderConfig;
/// let empty = ProviderConfig::from_pairs::<[(&str, &str); 0], _, _>([]);
/// let err = pagos::from_env_with("kashio", &empty).unwrap_err();
/// # #[cfg(feature = "kashio")]
/// assert!(err.to_string().contains("PAGOS_KASHIO_SECRET_KEY"));
/// # #[cfg(not(feature = "kashio"))]
/// # assert!(err.to_string().contains("cargo feature"));
/// ```
///
/// # Errors
/// As [`from_env`].
pub fn from_env_with(name: &str, config: &ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>> {
    let descriptor = descriptor(name)?;
    if config.transport().is_some() {
        return descriptor.connect(config);
    }
    match transport_from_env(config)? {
        // The same lookup, with the proxied transport to share.
        Some(transport) => descriptor.connect(
            &ProviderConfig::from_fn(|var| config.optional(var)).with_transport(transport),
        ),
        None => descriptor.connect(config),
    }
}

/// The transport `PAGOS_PROXY` asks for, or `None` for the default one.
///
/// No proxy is ever taken from `HTTP_PROXY`, `HTTPS_PROXY` or `ALL_PROXY`: a stray
/// variable must not route payment credentials through a listener. `PAGOS_PROXY`
/// (`http://`, `https://` or `socks5://`, credentials allowed) is the one way to ask
/// for a proxy here, [`pagos_core::TransportBuilder::proxy`] the one in code.
///
/// ```
/// use pagos::ProviderConfig;
/// let config = ProviderConfig::from_pairs([("PAGOS_PROXY", "not a url")]);
/// let err = pagos::transport_from_env(&config).unwrap_err();
/// assert!(err.to_string().contains("PAGOS_PROXY"));
/// assert!(!err.to_string().contains("not a url"));
/// let none = ProviderConfig::from_pairs::<[(&str, &str); 0], _, _>([]);
/// assert!(pagos::transport_from_env(&none).unwrap().is_none());
/// ```
///
/// # Errors
/// [`Error::Config`] naming `PAGOS_PROXY` (never its value) when it is not a proxy URL.
pub fn transport_from_env(config: &ProviderConfig<'_>) -> Result<Option<Transport>> {
    transport_with_proxy(config, Transport::builder())
}

/// Like [`transport_from_env`], starting from `builder` (a timeout, a retry policy):
/// the proxy `PAGOS_PROXY` names is added to it, and it is built either way.
///
/// # Errors
/// As [`transport_from_env`], and the builder's own errors.
pub fn transport_from_env_with(
    config: &ProviderConfig<'_>,
    builder: TransportBuilder,
) -> Result<Transport> {
    match transport_with_proxy(config, builder.clone())? {
        Some(transport) => Ok(transport),
        None => builder.build(),
    }
}

fn transport_with_proxy(
    config: &ProviderConfig<'_>,
    builder: TransportBuilder,
) -> Result<Option<Transport>> {
    let Some(proxy) = config.optional(PROXY_VAR) else {
        return Ok(None);
    };
    builder.proxy(proxy).build().map(Some).map_err(|e| match e {
        // The proxy URL may hold credentials: name the variable, keep the reason.
        Error::Config(c) if c.setting() == "proxy" => {
            ConfigError::new(PROXY_VAR, c.message().to_string()).into()
        }
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&'static str, &'static str)]) -> ProviderConfig<'static> {
        ProviderConfig::from_pairs(vars.iter().copied())
    }

    #[test]
    fn names_are_found_in_any_case_and_unknown_ones_list_the_build() {
        for d in registry() {
            assert_eq!(
                descriptor(&d.name.to_ascii_uppercase()).unwrap().name,
                d.name
            );
            assert_eq!(descriptor(&format!(" {} ", d.name)).unwrap().name, d.name);
        }
        #[cfg(feature = "khipu")]
        assert_eq!(descriptor("KHIPU").unwrap().name, "khipu");
        let err = descriptor("stripe").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("cargo feature"), "{text}");
        for d in registry() {
            assert!(text.contains(d.name), "{text}");
        }
        assert!(!text.contains("stripe"), "{text}");
    }

    #[test]
    fn every_descriptor_is_well_formed() {
        let mut names: Vec<&str> = registry().iter().map(|d| d.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), registry().len(), "duplicate provider names");
        for d in registry() {
            assert!(
                d.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{}",
                d.name
            );
            assert!(!d.title.is_empty(), "{}", d.name);
            assert!(
                d.required_vars().next().is_some(),
                "{}: no credentials",
                d.name
            );
            let prefix = format!("PAGOS_{}_", d.name.to_ascii_uppercase());
            for var in d.env {
                assert!(var.name.starts_with(&prefix), "{}: {}", d.name, var.name);
                assert!(!var.help.is_empty(), "{}", var.name);
            }
        }
    }

    #[test]
    fn missing_and_malformed_variables_are_named_never_echoed() {
        for d in registry() {
            // Nothing set: the first thing missing is a required variable, by name.
            let err = from_env_with(d.name, &config(&[])).unwrap_err();
            let text = err.to_string();
            assert!(matches!(err, Error::Config(_)), "{}: {err:?}", d.name);
            assert!(
                d.required_vars().any(|v| text.contains(v)),
                "{}: {text}",
                d.name
            );
            // Every variable set to a value that looks like a credential: whatever
            // the provider makes of it, no error repeats it.
            let secret = "pagos_test_very_secret";
            let url = format!("http://evil.example/{secret}");
            let values: Vec<(&str, String)> = d
                .env
                .iter()
                .map(|v| {
                    let value = if v.name.ends_with("_URL") {
                        url.clone()
                    } else {
                        secret.into()
                    };
                    (v.name, value)
                })
                .collect();
            let lookup = ProviderConfig::from_pairs(values);
            if let Err(err) = from_env_with(d.name, &lookup) {
                let text = format!("{err} {err:?}");
                assert!(!text.contains(secret), "{}: {text}", d.name);
            }
        }
        // A provider this build does not have is named by its feature.
        #[cfg(not(feature = "khipu"))]
        {
            let err = from_env_with("khipu", &config(&[])).unwrap_err();
            assert!(err.to_string().contains("cargo feature"), "{err}");
        }
        #[cfg(feature = "kashio")]
        {
            let err = from_env_with(
                "kashio",
                &config(&[
                    ("PAGOS_KASHIO_SECRET_KEY", "sk_test_very_secret"),
                    (
                        "PAGOS_KASHIO_BASE_URL",
                        "http://evil.example/sk_test_very_secret",
                    ),
                ]),
            )
            .unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(text.contains("PAGOS_KASHIO_BASE_URL"), "{text}");
            assert!(!text.contains("sk_test_very_secret"), "{text}");
        }
    }

    #[test]
    fn pagos_provider_goes_through_the_registry() {
        let err = selected_provider(&config(&[])).unwrap_err();
        assert!(err.to_string().contains(PROVIDER_VAR), "{err}");
        let err = selected_provider(&config(&[(PROVIDER_VAR, "stripe")])).unwrap_err();
        assert!(err.to_string().contains(PROVIDER_VAR), "{err}");
        for d in registry() {
            let upper = d.name.to_ascii_uppercase();
            let found = selected_provider(&ProviderConfig::from_pairs([(PROVIDER_VAR, upper)]));
            assert_eq!(found.unwrap().name, d.name);
        }
    }

    #[test]
    fn pagos_proxy_is_read_only_without_a_shared_transport() {
        let bad = [(PROXY_VAR, "not a url")];
        let err = transport_from_env(&config(&bad)).unwrap_err();
        assert!(err.to_string().contains(PROXY_VAR), "{err}");
        assert!(transport_from_env(&config(&[])).unwrap().is_none());
        let proxied = transport_from_env(&config(&[(PROXY_VAR, "socks5://127.0.0.1:9")]));
        assert!(proxied.unwrap().is_some());
        let with_timeout = transport_from_env_with(
            &config(&[]),
            Transport::builder().timeout(std::time::Duration::from_secs(7)),
        );
        assert_eq!(with_timeout.unwrap().timeout().as_secs(), 7);
        for d in registry() {
            // Without a shared transport, a bad PAGOS_PROXY is reported by name...
            let err = from_env_with(d.name, &config(&bad)).unwrap_err();
            assert!(err.to_string().contains(PROXY_VAR), "{}: {err}", d.name);
            // ...and with one, it is not read: the missing credentials come first.
            let shared = config(&bad).with_transport(Transport::new().unwrap());
            let err = from_env_with(d.name, &shared).unwrap_err();
            assert!(!err.to_string().contains(PROXY_VAR), "{}: {err}", d.name);
        }
    }
}
