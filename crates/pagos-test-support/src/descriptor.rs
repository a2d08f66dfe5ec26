//! The checks every provider's registry entry must pass, written once.

use std::sync::Mutex;

use pagos_core::{ProviderConfig, ProviderDescriptor};

/// Checks `descriptor` against a configuration that builds it (`valid`):
/// - it connects, and the provider it builds has its name and capabilities;
/// - the required variables are exactly `required`, and leaving out any one of them
///   is an error that names it;
/// - the variables `connect` reads are exactly the declared ones, and the declared
///   secrets are exactly `secrets`;
/// - a malformed value of each of `base_urls` is an error that names the variable
///   and never echoes the value.
///
/// # Panics
/// On the first check that fails, saying which.
pub fn check(
    descriptor: &ProviderDescriptor,
    valid: &[(&'static str, &'static str)],
    required: &[&str],
    secrets: &[&str],
    base_urls: &[&'static str],
) {
    let name = descriptor.name;
    let without = |missing: &str| {
        ProviderConfig::from_pairs(valid.iter().copied().filter(|(k, _)| *k != missing))
    };
    let provider = descriptor
        .connect(&without(""))
        .unwrap_or_else(|e| panic!("{name}: the valid configuration does not connect: {e}"));
    assert_eq!(provider.name(), name, "{name}: the provider's name");
    assert_eq!(
        provider.capabilities(),
        descriptor.capabilities,
        "{name}: the descriptor's capabilities are not the provider's"
    );

    let declared_required: Vec<&str> = descriptor.required_vars().collect();
    assert_eq!(declared_required, required, "{name}: required variables");
    for var in required {
        let err = descriptor
            .connect(&without(var))
            .err()
            .unwrap_or_else(|| panic!("{name}: connects without {var}"));
        assert!(err.to_string().contains(var), "{name}: {var}: {err}");
    }

    let asked = Mutex::new(Vec::new());
    let config = ProviderConfig::from_fn(|var| {
        asked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(var.to_string());
        valid
            .iter()
            .find(|(k, _)| *k == var)
            .map(|(_, v)| v.to_string())
    });
    descriptor
        .connect(&config)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    drop(config);
    let mut asked = asked.into_inner().unwrap_or_else(|p| p.into_inner());
    asked.sort();
    asked.dedup();
    let mut declared: Vec<&str> = descriptor.env.iter().map(|v| v.name).collect();
    declared.sort();
    assert_eq!(asked, declared, "{name}: variables read vs declared");
    let declared_secrets: Vec<&str> = descriptor
        .env
        .iter()
        .filter(|v| v.secret)
        .map(|v| v.name)
        .collect();
    assert_eq!(declared_secrets, secrets, "{name}: secret variables");

    const SECRETISH: &str = "http://evil.example/never-echo-this-value";
    for var in base_urls {
        let config = ProviderConfig::from_pairs(
            valid
                .iter()
                .copied()
                .filter(|(k, _)| k != var)
                .chain([(*var, SECRETISH)]),
        );
        let err = descriptor
            .connect(&config)
            .err()
            .unwrap_or_else(|| panic!("{name}: accepts {var}={SECRETISH}"));
        let text = format!("{err} {err:?}");
        assert!(text.contains(var), "{name}: {text}");
        assert!(!text.contains("never-echo-this-value"), "{name}: {text}");
    }
}
