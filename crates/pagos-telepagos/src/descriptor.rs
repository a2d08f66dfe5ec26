//! TelePagos as an entry of the provider registry: its `PAGOS_TELEPAGOS_*` variables,
//! its unified capabilities and its constructor from configuration.

use std::sync::Arc;

use pagos_core::{
    Capabilities, ConfigError, EnvVar, Operation, PaymentProvider, ProviderConfig,
    ProviderDescriptor, Result,
};

use crate::{Environment, TelepagosClient};

const USERNAME: &str = "PAGOS_TELEPAGOS_USERNAME";
const PASSWORD: &str = "PAGOS_TELEPAGOS_PASSWORD";
const ENV: &str = "PAGOS_TELEPAGOS_ENV";
const BASE_URL: &str = "PAGOS_TELEPAGOS_BASE_URL";
const TIME_ZONE: &str = "PAGOS_TELEPAGOS_TIME_ZONE";
const GET_PARAMS: &str = "PAGOS_TELEPAGOS_GET_PARAMS";

/// TelePagos in the provider registry (`pagos::registry()`,
/// `pagos::from_env("telepagos")`).
///
/// | variable | |
/// |---|---|
/// | `PAGOS_TELEPAGOS_USERNAME` | required: the API username |
/// | `PAGOS_TELEPAGOS_PASSWORD` | required, secret: the API password |
/// | `PAGOS_TELEPAGOS_ENV` | optional: `homologation` (or `sandbox`) or `production` (the default) |
/// | `PAGOS_TELEPAGOS_BASE_URL` | optional: another base URL (overrides the environment) |
/// | `PAGOS_TELEPAGOS_TIME_ZONE` | optional: the zone of the zoneless `Y-m-d H:i:s` timestamps, `-03:00` (Argentina, the default), `UTC` or any `±HH:MM` |
/// | `PAGOS_TELEPAGOS_GET_PARAMS` | optional: `body` (the documented JSON body, the default) or `query`, for both parameterized `GET`s |
pub static DESCRIPTOR: ProviderDescriptor = ProviderDescriptor::new(
    "telepagos",
    "TelePagos (Argentina)",
    &[
        EnvVar::required(USERNAME, "the API username"),
        EnvVar::secret(PASSWORD, "the API password"),
        EnvVar::optional(ENV, "homologation (or sandbox) or production (the default)"),
        EnvVar::optional(
            BASE_URL,
            "another base URL, e.g. a sandbox (overrides PAGOS_TELEPAGOS_ENV)",
        ),
        EnvVar::optional(
            TIME_ZONE,
            "zone of the zoneless Y-m-d H:i:s timestamps: -03:00 (Argentina, the default), UTC or ±HH:MM",
        ),
        EnvVar::optional(
            GET_PARAMS,
            "body (the documented JSON body, the default) or query: where the static QR and transactions GETs put their parameters",
        ),
    ],
    Capabilities::of(&[
        Operation::CreatePayment,
        Operation::GetPayment,
        Operation::CreatePayout,
        Operation::GetPayout,
        Operation::GetBalance,
    ]),
    connect,
);

fn connect(config: &ProviderConfig<'_>) -> Result<Arc<dyn PaymentProvider>> {
    Ok(Arc::new(client_from_config(config)?))
}

/// A [`TelepagosClient`] from the `PAGOS_TELEPAGOS_*` variables in `config` (see
/// [`DESCRIPTOR`]), sharing the config's transport when it has one.
///
/// ```
/// use pagos_core::ProviderConfig;
/// let config = ProviderConfig::from_pairs([
///     ("PAGOS_TELEPAGOS_USERNAME", "api-user"),
///     ("PAGOS_TELEPAGOS_PASSWORD", "s3cr3t"),
///     ("PAGOS_TELEPAGOS_ENV", "homologation"),
/// ]);
/// let client = pagos_telepagos::client_from_config(&config)?;
/// assert!(client.base_url().as_str().contains("api.homo.telepagos.com.ar"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
///
/// # Errors
/// [`pagos_core::Error::Config`] naming the variable that is missing or malformed
/// (never its value).
pub fn client_from_config(config: &ProviderConfig<'_>) -> Result<TelepagosClient> {
    let mut b = TelepagosClient::builder()
        .username(config.required(USERNAME)?)
        .password(config.required(PASSWORD)?);
    if let Some(env) = config.optional(ENV) {
        b = b.environment(match env.trim().to_ascii_lowercase().as_str() {
            "homologation" | "sandbox" => Environment::Homologation,
            "production" => Environment::Production,
            _ => {
                return Err(ConfigError::new(
                    ENV,
                    "expected homologation (or sandbox) or production",
                )
                .into());
            }
        });
    }
    if let Some(url) = config.optional(BASE_URL) {
        b = b
            .base_url(&url)
            .map_err(ProviderConfig::base_url_error(BASE_URL))?;
    }
    if let Some(zone) = config.optional(TIME_ZONE) {
        b = b.time_zone(parse_time_zone(&zone).ok_or_else(|| {
            ConfigError::new(TIME_ZONE, "expected UTC or an offset such as -03:00")
        })?);
    }
    if let Some(how) = config.optional(GET_PARAMS) {
        b = b.get_params(crate::GetParamsPolicy::all(
            parse_get_params(&how)
                .ok_or_else(|| ConfigError::new(GET_PARAMS, "expected body or query"))?,
        ));
    }
    if let Some(t) = config.transport() {
        b = b.transport(t);
    }
    b.build()
}

/// A time zone setting: `UTC`/`Z`, or an offset `±HH:MM`, `±HHMM` or `±HH`.
///
/// ```
/// use pagos_telepagos::parse_time_zone;
/// assert_eq!(parse_time_zone("-03:00"), Some(pagos_telepagos::ARGENTINA));
/// assert_eq!(parse_time_zone("utc"), Some(time::UtcOffset::UTC));
/// assert_eq!(parse_time_zone("+0530").map(|z| z.whole_minutes()), Some(330));
/// assert_eq!(parse_time_zone("Buenos Aires"), None);
/// ```
pub fn parse_time_zone(text: &str) -> Option<time::UtcOffset> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("utc") || text.eq_ignore_ascii_case("z") {
        return Some(time::UtcOffset::UTC);
    }
    let (sign, rest) = if let Some(rest) = text.strip_prefix('+') {
        (1i8, rest)
    } else {
        (-1i8, text.strip_prefix('-')?)
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit())
        || !(digits.len() == 2 || digits.len() == 4)
        || rest.matches(':').count() > 1
    {
        return None;
    }
    let hours: i8 = digits.get(..2)?.parse().ok()?;
    let minutes: i8 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Some(0), |m| m.parse().ok())?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    time::UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

/// `body` or `query` (any case) as a [`GetParams`](crate::GetParams).
fn parse_get_params(text: &str) -> Option<crate::GetParams> {
    match text.trim().to_ascii_lowercase().as_str() {
        "body" => Some(crate::GetParams::Body),
        "query" => Some(crate::GetParams::Query),
        _ => None,
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    const VALID: [(&str, &str); 2] = [(USERNAME, "api-user"), (PASSWORD, "telepagos_very_secret")];

    fn without(missing: &str) -> ProviderConfig<'static> {
        ProviderConfig::from_pairs(VALID.into_iter().filter(|(k, _)| *k != missing))
    }

    fn with(extra: (&'static str, &'static str)) -> ProviderConfig<'static> {
        ProviderConfig::from_pairs(VALID.into_iter().chain([extra]))
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
    fn environments_choose_the_documented_hosts() {
        let host = |env| {
            client_from_config(&with((ENV, env)))
                .unwrap()
                .base_url()
                .as_str()
                .to_string()
        };
        assert_eq!(host("homologation"), host("SANDBOX"));
        assert!(host("homologation").contains("homo"));
        assert!(!host(" production ").contains("homo"));
        let err = DESCRIPTOR
            .connect(&with((ENV, "telepagos_very_secret")))
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(text.contains(ENV), "{text}");
        assert!(!text.contains("telepagos_very_secret"), "{text}");
    }

    #[test]
    fn time_zone_and_get_params_are_read() {
        let client = client_from_config(&without("")).unwrap();
        assert_eq!(client.time_zone(), crate::ARGENTINA);
        assert_eq!(client.get_params(), crate::GetParamsPolicy::DOCUMENTED);
        let utc = client_from_config(&with((TIME_ZONE, "UTC"))).unwrap();
        assert_eq!(utc.time_zone(), time::UtcOffset::UTC);
        let query = client_from_config(&with((GET_PARAMS, "Query"))).unwrap();
        assert_eq!(
            query.get_params(),
            crate::GetParamsPolicy::all(crate::GetParams::Query)
        );
        for (var, bad) in [(TIME_ZONE, "America/Buenos_Aires"), (GET_PARAMS, "form")] {
            let err = client_from_config(&with((var, bad))).unwrap_err();
            assert!(format!("{err}").contains(var), "{err}");
        }
        for bad in ["", "-3", "+25:00", "-03:60", "03:00", "-03:00:00", "+ab"] {
            assert_eq!(parse_time_zone(bad), None, "{bad}");
        }
        assert_eq!(parse_time_zone(" -03 "), Some(crate::ARGENTINA));
    }

    #[test]
    fn passes_the_registry_checks() {
        // Connects; name and capabilities match; each required variable is named when
        // missing; the variables read are the ones declared; malformed base URLs are
        // named, never echoed.
        pagos_test_support::descriptor::check(
            &DESCRIPTOR,
            &VALID,
            &[USERNAME, PASSWORD],
            &[PASSWORD],
            &[BASE_URL],
        );
    }
}
