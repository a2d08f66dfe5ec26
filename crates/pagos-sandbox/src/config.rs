//! Sandbox configuration: which credentials it accepts, where it listens, how ids and the
//! clock behave, token lifetimes and notification delivery.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use url::Url;

/// One of the simulated payment APIs (Khipu's two APIs count as two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Khipu REST API 2.0 (Chile), under `/khipu/api/2.0`.
    Khipu,
    /// KashIO Payments (Peru), under `/kashio/v1/payments`.
    Kashio,
    /// ComproPago API v2 (Mexico), under `/compropago` (paths `/v2/...`).
    #[serde(rename = "compropago")]
    ComproPago,
    /// Kashpay / Onsigna (Mexico), under `/kashpay`.
    Kashpay,
    /// TelePagos (Argentina), under `/telepagos` (paths `/v2/...`).
    #[serde(rename = "telepagos")]
    TelePagos,
    /// Khipu API 3.0 and Automatic Payments (PAC) v1 (Chile), under `/khipu_v3`, laid out
    /// as Khipu's `payment-api.khipu.com` host (paths `/v3/...` and
    /// `/v1/automatic-payment/...`).
    #[serde(rename = "khipu_v3")]
    KhipuV3,
}

impl Provider {
    /// Every provider, in a stable order.
    pub const ALL: [Provider; 6] = [
        Provider::Khipu,
        Provider::Kashio,
        Provider::ComproPago,
        Provider::Kashpay,
        Provider::TelePagos,
        Provider::KhipuV3,
    ];

    /// The lowercase name used in control-API paths and JSON (`khipu`, `kashio`, ...).
    pub fn as_str(self) -> &'static str {
        crate::simulated::simulator(self).name()
    }

    /// The path under which the provider is served; a client's base URL is the sandbox
    /// address followed by this path.
    pub fn base_path(self) -> &'static str {
        crate::simulated::simulator(self).base_path()
    }

    /// The provider whose base path the request path is under.
    pub(crate) fn of_path(path: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| {
            let base = p.base_path();
            path == base
                || path
                    .strip_prefix(base)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown provider name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProvider(pub String);

impl fmt::Display for UnknownProvider {
    /// `unknown provider "x" (expected khipu, kashio, compropago, kashpay, telepagos or khipu_v3)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Provider::ALL.iter().map(|p| p.as_str()).collect();
        let (last, others) = names.split_last().unwrap_or((&"", &[]));
        write!(
            f,
            "unknown provider {:?} (expected {} or {last})",
            self.0,
            others.join(", ")
        )
    }
}

impl std::error::Error for UnknownProvider {}

impl FromStr for Provider {
    type Err = UnknownProvider;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownProvider(s.to_string()))
    }
}

/// The credentials the sandbox accepts, one set per provider.
///
/// They are read from the same environment variables the SDK reads
/// ([`Credentials::from_env`]), falling back to the sandbox defaults
/// ([`Credentials::default`]):
///
/// | variable | default |
/// |---|---|
/// | `PAGOS_KHIPU_RECEIVER_ID` | `1234` |
/// | `PAGOS_KHIPU_SECRET` | `abc123` |
/// | `PAGOS_KHIPU_API_KEY` | `8f3c2a1e-5b7d-4c9a-9e61-2d4f8b0a7c35` |
/// | `PAGOS_KASHIO_SECRET_KEY` | `sk_test_sandbox` |
/// | `PAGOS_COMPROPAGO_PRIVATE_KEY` | `sk_test_sandbox` |
/// | `PAGOS_COMPROPAGO_PUBLIC_KEY` | `pk_test_sandbox` |
/// | `PAGOS_KASHPAY_ENTITY` | `com.cascade` |
/// | `PAGOS_KASHPAY_USER` | `sandbox@pagos.test` |
/// | `PAGOS_KASHPAY_PASSWORD` | `sandbox-password` |
/// | `PAGOS_TELEPAGOS_USERNAME` | `sandbox` |
/// | `PAGOS_TELEPAGOS_PASSWORD` | `sandbox-password` |
///
/// `Debug` hides every secret; [`Credentials::to_env_lines`] prints them on purpose.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Khipu receiver id (`Authorization: <receiver_id>:<signature>`).
    pub khipu_receiver_id: String,
    /// Khipu secret, the HMAC-SHA256 key of request signatures (API 2.0) and of the
    /// `x-khipu-signature` of 3.0 webhooks (the merchant secret).
    pub khipu_secret: String,
    /// Khipu API 3.0 / PAC API key (`x-api-key`), of the same receiver.
    pub khipu_api_key: String,
    /// KashIO secret key, the Basic user name (empty password).
    pub kashio_secret_key: String,
    /// ComproPago private key, the Basic user name.
    pub compropago_private_key: String,
    /// ComproPago public key, the Basic password.
    pub compropago_public_key: String,
    /// Kashpay entity (`entity` at authentication, then the `Entity-i` header).
    pub kashpay_entity: String,
    /// Kashpay user (an e-mail address).
    pub kashpay_user: String,
    /// Kashpay password.
    pub kashpay_password: String,
    /// TelePagos API user name.
    pub telepagos_username: String,
    /// TelePagos API password.
    pub telepagos_password: String,
}

/// The environment variable of each credential, in [`Credentials`] field order.
const ENV_VARS: [&str; 11] = [
    "PAGOS_KHIPU_RECEIVER_ID",
    "PAGOS_KHIPU_SECRET",
    "PAGOS_KHIPU_API_KEY",
    "PAGOS_KASHIO_SECRET_KEY",
    "PAGOS_COMPROPAGO_PRIVATE_KEY",
    "PAGOS_COMPROPAGO_PUBLIC_KEY",
    "PAGOS_KASHPAY_ENTITY",
    "PAGOS_KASHPAY_USER",
    "PAGOS_KASHPAY_PASSWORD",
    "PAGOS_TELEPAGOS_USERNAME",
    "PAGOS_TELEPAGOS_PASSWORD",
];

impl Default for Credentials {
    /// The sandbox defaults (see the table on [`Credentials`]).
    fn default() -> Self {
        Credentials {
            khipu_receiver_id: "1234".into(),
            khipu_secret: "abc123".into(),
            khipu_api_key: "8f3c2a1e-5b7d-4c9a-9e61-2d4f8b0a7c35".into(),
            kashio_secret_key: "sk_test_sandbox".into(),
            compropago_private_key: "sk_test_sandbox".into(),
            compropago_public_key: "pk_test_sandbox".into(),
            kashpay_entity: "com.cascade".into(),
            kashpay_user: "sandbox@pagos.test".into(),
            kashpay_password: "sandbox-password".into(),
            telepagos_username: "sandbox".into(),
            telepagos_password: "sandbox-password".into(),
        }
    }
}

impl Credentials {
    /// The credentials named by the `PAGOS_*` environment variables; each variable that is
    /// unset or empty falls back to its sandbox default.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Credentials::from_env`], with a custom variable lookup (for tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let mut creds = Credentials::default();
        for (name, field) in ENV_VARS.iter().zip(creds.fields_mut()) {
            if let Some(value) = lookup(name).filter(|v| !v.trim().is_empty()) {
                *field = value;
            }
        }
        creds
    }

    fn fields(&self) -> [&String; 11] {
        [
            &self.khipu_receiver_id,
            &self.khipu_secret,
            &self.khipu_api_key,
            &self.kashio_secret_key,
            &self.compropago_private_key,
            &self.compropago_public_key,
            &self.kashpay_entity,
            &self.kashpay_user,
            &self.kashpay_password,
            &self.telepagos_username,
            &self.telepagos_password,
        ]
    }

    fn fields_mut(&mut self) -> [&mut String; 11] {
        [
            &mut self.khipu_receiver_id,
            &mut self.khipu_secret,
            &mut self.khipu_api_key,
            &mut self.kashio_secret_key,
            &mut self.compropago_private_key,
            &mut self.compropago_public_key,
            &mut self.kashpay_entity,
            &mut self.kashpay_user,
            &mut self.kashpay_password,
            &mut self.telepagos_username,
            &mut self.telepagos_password,
        ]
    }

    /// Every credential as `NAME=value` lines, secrets included, ready for `export`.
    ///
    /// Deliberately reveals the secrets: the CLI prints them so a developer can point an
    /// SDK at the sandbox. Never log this for real credentials.
    pub fn to_env_lines(&self) -> String {
        ENV_VARS
            .iter()
            .zip(self.fields())
            .map(|(name, value)| format!("{name}={value}\n"))
            .collect()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HIDDEN: &str = "[REDACTED]";
        f.debug_struct("Credentials")
            .field("khipu_receiver_id", &self.khipu_receiver_id)
            .field("khipu_secret", &HIDDEN)
            .field("khipu_api_key", &HIDDEN)
            .field("kashio_secret_key", &HIDDEN)
            .field("compropago_private_key", &HIDDEN)
            .field("compropago_public_key", &HIDDEN)
            .field("kashpay_entity", &self.kashpay_entity)
            .field("kashpay_user", &self.kashpay_user)
            .field("kashpay_password", &HIDDEN)
            .field("telepagos_username", &self.telepagos_username)
            .field("telepagos_password", &HIDDEN)
            .finish()
    }
}

/// How the sandbox clock starts. The clock moves forward by
/// [`SandboxHandle::advance_clock`](crate::SandboxHandle::advance_clock) in either case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockStart {
    /// Real time (plus the offset added by advancing the clock).
    System,
    /// Frozen at this instant: time moves only when the clock is advanced, so timestamps in
    /// answers are reproducible.
    Fixed(OffsetDateTime),
}

/// How notifications (Khipu `notify_url`, webhooks) are delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryPolicy {
    /// Attempts in total, at least 1.
    pub max_attempts: u32,
    /// Wait before the second attempt; doubled after each further failure.
    pub initial_backoff: Duration,
    /// Upper bound of the wait between attempts.
    pub max_backoff: Duration,
    /// Time limit of one attempt.
    pub timeout: Duration,
}

impl Default for DeliveryPolicy {
    /// 5 attempts, 200 ms doubling up to 5 s, 10 s per attempt.
    fn default() -> Self {
        DeliveryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Everything [`start`](crate::start) needs. Build it with [`SandboxConfig::builder`].
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub(crate) port: u16,
    pub(crate) credentials: Credentials,
    pub(crate) seed: u64,
    pub(crate) clock: ClockStart,
    pub(crate) kashpay_token_lifetime: Duration,
    pub(crate) telepagos_token_lifetime: Duration,
    pub(crate) delivery: DeliveryPolicy,
    pub(crate) webhooks: BTreeMap<Provider, Url>,
    pub(crate) kashpay_initial_balance: Decimal,
    pub(crate) telepagos_initial_balance: Decimal,
}

impl Default for SandboxConfig {
    /// Any free port, the default credentials, seed 0, the system clock, Kashpay tokens of
    /// 5 976 s (the Kashpay API's `"expires": "5975999"` ms), TelePagos tokens of 1 h,
    /// balances of 10 000.00 MXN (Kashpay) and 100 000.00 ARS (TelePagos).
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            credentials: Credentials::default(),
            seed: 0,
            clock: ClockStart::System,
            kashpay_token_lifetime: Duration::from_millis(5_975_999),
            telepagos_token_lifetime: Duration::from_secs(3600),
            delivery: DeliveryPolicy::default(),
            webhooks: BTreeMap::new(),
            kashpay_initial_balance: Decimal::new(1_000_000, 2),
            telepagos_initial_balance: Decimal::new(10_000_000, 2),
        }
    }
}

impl SandboxConfig {
    /// A builder starting from [`SandboxConfig::default`].
    pub fn builder() -> SandboxConfigBuilder {
        SandboxConfigBuilder {
            config: SandboxConfig::default(),
        }
    }

    /// The defaults with credentials from the environment ([`Credentials::from_env`]).
    pub fn from_env() -> Self {
        SandboxConfig {
            credentials: Credentials::from_env(),
            ..SandboxConfig::default()
        }
    }

    /// The port to listen on (0 = any free port).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The accepted credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }
}

/// Builder of [`SandboxConfig`].
#[derive(Debug, Clone)]
pub struct SandboxConfigBuilder {
    config: SandboxConfig,
}

impl SandboxConfigBuilder {
    /// The port on 127.0.0.1 (0 = any free port, the default).
    pub fn port(mut self, port: u16) -> Self {
        self.config.port = port;
        self
    }

    /// The credentials the sandbox accepts.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = credentials;
        self
    }

    /// The seed of generated ids: the same seed and the same requests give the same ids.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// How the clock starts (system time, or frozen at an instant).
    pub fn clock(mut self, clock: ClockStart) -> Self {
        self.config.clock = clock;
        self
    }

    /// Lifetime of Kashpay session tokens (`expires` and the JWT's `exp`).
    pub fn kashpay_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.kashpay_token_lifetime = lifetime;
        self
    }

    /// Lifetime of TelePagos bearer tokens (`expires_at`).
    pub fn telepagos_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.telepagos_token_lifetime = lifetime;
        self
    }

    /// How notifications are retried (use short backoffs in tests).
    pub fn delivery(mut self, policy: DeliveryPolicy) -> Self {
        self.config.delivery = policy;
        self
    }

    /// The merchant webhook of a provider that sends webhooks (ComproPago orders, KashIO
    /// events); the same as `PUT /_sandbox/webhooks/{provider}` at run time.
    pub fn webhook(mut self, provider: Provider, url: Url) -> Self {
        self.config.webhooks.insert(provider, url);
        self
    }

    /// Kashpay's opening balance (MXN).
    pub fn kashpay_initial_balance(mut self, balance: Decimal) -> Self {
        self.config.kashpay_initial_balance = balance;
        self
    }

    /// TelePagos' opening balance (ARS).
    pub fn telepagos_initial_balance(mut self, balance: Decimal) -> Self {
        self.config.telepagos_initial_balance = balance;
        self
    }

    /// The finished configuration.
    pub fn build(self) -> SandboxConfig {
        self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_defaults_one_by_one() {
        let creds = Credentials::from_lookup(|name| match name {
            "PAGOS_KHIPU_SECRET" => Some("s3cr3t".into()),
            "PAGOS_KASHIO_SECRET_KEY" => Some("  ".into()),
            _ => None,
        });
        assert_eq!(creds.khipu_secret, "s3cr3t");
        assert_eq!(creds.kashio_secret_key, "sk_test_sandbox");
        assert_eq!(creds.khipu_receiver_id, "1234");
    }

    #[test]
    fn debug_hides_secrets() {
        let shown = format!("{:?}", Credentials::default());
        for secret in [
            "abc123",
            "8f3c2a1e-5b7d-4c9a-9e61-2d4f8b0a7c35",
            "sk_test_sandbox",
            "pk_test_sandbox",
            "sandbox-password",
        ] {
            assert!(!shown.contains(secret), "{secret} leaked in {shown}");
        }
        assert!(shown.contains("[REDACTED]"));
        assert!(
            Credentials::default()
                .to_env_lines()
                .contains("PAGOS_KHIPU_SECRET=abc123\n")
        );
    }

    #[test]
    fn providers_parse_and_match_paths() {
        assert_eq!(
            "ComproPago".parse::<Provider>().unwrap(),
            Provider::ComproPago
        );
        assert_eq!(
            "stripe".parse::<Provider>().unwrap_err().to_string(),
            "unknown provider \"stripe\" (expected khipu, kashio, compropago, kashpay, telepagos or khipu_v3)"
        );
        assert_eq!(
            Provider::of_path("/khipu/api/2.0/payments"),
            Some(Provider::Khipu)
        );
        assert_eq!(Provider::of_path("/kashpayx/foo"), None);
        assert_eq!(
            Provider::of_path("/khipu_v3/v3/payments"),
            Some(Provider::KhipuV3)
        );
        assert_eq!(Provider::of_path("/_sandbox/requests"), None);
    }
}
