//! `POST v2/auth/token`: the session token every other call carries as
//! `Authorization: Bearer <token>`.
//!
//! # `expires_at`
//! The TelePagos API ("API Telepagos Empresas") documents `expires_at` as a number: Unix
//! seconds. TelePagos's public documentation adds that some clients meet `"YYYY-MM-DD
//! HH:MM:SS"` instead. That text has no zone; this crate reads it as **UTC**. TelePagos
//! does not document its zone (Argentina is UTC−03:00), and UTC is the reading whose
//! mistake is harmless: if the text is really Argentine time, the token is believed valid
//! up to 3 h longer than it is, the provider answers 401, and the session authenticates
//! again once and repeats the call. (Reading it as Argentine time when it is UTC would
//! instead renew the token on every call.)
//!
//! An expiry that is missing, unreadable, or already within the session's refresh
//! margin (clock skew, or a zone mismatch) is treated as "valid until refused": the
//! token is used until the provider answers 401/403, so a wrong clock can never turn
//! every call into an authentication.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pagos_core::token::{AccessToken, Authenticator};
use pagos_core::transport::{Method, Request};
use pagos_core::{BaseUrl, Error, ExposeSecret, Result, SecretString, Transport, async_trait};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::PROVIDER;
use crate::error;

/// How long before `expires_at` the token is renewed.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Obtains tokens with the API username and password.
pub(crate) struct TelepagosAuthenticator {
    pub(crate) transport: Transport,
    pub(crate) base_url: BaseUrl,
    pub(crate) username: String,
    pub(crate) password: SecretString,
}

impl fmt::Debug for TelepagosAuthenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TelepagosAuthenticator")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &"[REDACTED]")
            .finish()
    }
}

#[derive(Serialize)]
struct TokenRequest<'a> {
    username: &'a str,
    password: &'a str,
}

#[derive(Deserialize)]
struct TokenResponse {
    #[serde(default)]
    token: Option<String>,
    #[serde(default, deserialize_with = "expires_at")]
    expires_at: Option<Expiry>,
}

/// `expires_at` as sent: Unix seconds, or a text date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expiry {
    /// Unix seconds.
    Unix(i64),
    /// A date and time read as UTC (see the module docs).
    At(OffsetDateTime),
}

impl Expiry {
    fn unix(self) -> i64 {
        match self {
            Expiry::Unix(s) => s,
            Expiry::At(t) => t.unix_timestamp(),
        }
    }
}

/// Parses `expires_at`; anything unreadable is `None` (valid until refused).
pub(crate) fn parse_expiry(text: &str) -> Option<Expiry> {
    let text = text.trim();
    if let Some(d) = pagos_core::wire::parse_decimal(text)
        && !text.contains(['-', ':'])
    {
        return i64::try_from(d.trunc()).ok().map(Expiry::Unix);
    }
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    if let Ok(t) = PrimitiveDateTime::parse(text, format) {
        return Some(Expiry::At(t.assume_utc()));
    }
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(Expiry::At)
}

fn expires_at<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Expiry>, D::Error> {
    let raw = <&RawValue>::deserialize(d)?;
    let text = raw.get().trim();
    let text = if text.starts_with('"') {
        serde_json::from_str::<String>(text).unwrap_or_default()
    } else {
        text.to_string()
    };
    let expiry = parse_expiry(&text);
    if expiry.is_none() && text != "null" && !text.is_empty() {
        tracing::warn!(
            provider = PROVIDER,
            "unreadable expires_at; the token is used until it is refused"
        );
    }
    Ok(expiry)
}

/// The token's lifetime from now, or `None` ("valid until refused") when the expiry is
/// unknown or already within the refresh margin.
pub(crate) fn lifetime(expiry: Option<Expiry>, now_unix: i64) -> Option<Duration> {
    let remaining = expiry?.unix().saturating_sub(now_unix);
    let remaining = Duration::from_secs(u64::try_from(remaining).unwrap_or(0));
    if remaining <= REFRESH_MARGIN {
        tracing::debug!(
            provider = PROVIDER,
            "expires_at is already within the refresh margin; the token is used until it is refused"
        );
        return None;
    }
    Some(remaining)
}

#[async_trait]
impl Authenticator for TelepagosAuthenticator {
    async fn authenticate(&self) -> Result<AccessToken> {
        let request = Request::new(
            Method::POST,
            self.base_url.join(&["v2", "auth", "token"])?,
            "authenticate",
        )
        // Obtaining a token changes nothing a second copy could double: a read for
        // the transport's retry rules, and a 5xx is a refusal, not an unknown outcome.
        .read_only()
        .json(&TokenRequest {
            username: &self.username,
            password: self.password.expose_secret(),
        })?;
        let resp = self.transport.send(PROVIDER, request).await?;
        let body: TokenResponse = error::decode(&resp)?;
        let token = body
            .token
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| Error::from(resp.undecodable("the answer has no token")))?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Ok(AccessToken::new(token, lifetime(body.expires_at, now)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_at_forms() {
        assert_eq!(
            parse_expiry("1700000000"),
            Some(Expiry::Unix(1_700_000_000))
        );
        assert_eq!(
            parse_expiry("1700000000.0"),
            Some(Expiry::Unix(1_700_000_000))
        );
        assert_eq!(
            parse_expiry("2023-11-14 22:13:20"),
            Some(Expiry::At(
                OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap()
            ))
        );
        assert_eq!(
            parse_expiry("2023-11-14T19:13:20-03:00").map(Expiry::unix),
            Some(1_700_000_000)
        );
        assert_eq!(parse_expiry("tomorrow"), None);
        assert_eq!(parse_expiry(""), None);
    }

    #[test]
    fn lifetime_falls_back_to_valid_until_refused() {
        let now = 1_700_000_000;
        assert_eq!(
            lifetime(Some(Expiry::Unix(now + 3600)), now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(lifetime(Some(Expiry::Unix(now + 30)), now), None);
        assert_eq!(lifetime(Some(Expiry::Unix(now - 3600)), now), None);
        assert_eq!(lifetime(None, now), None);
    }

    #[test]
    fn token_response_shapes() {
        let r: TokenResponse = serde_json::from_str(
            r#"{"status":"ok","token":"abc","expires_at":"2023-11-14 22:13:20"}"#,
        )
        .unwrap();
        assert_eq!(r.expires_at.map(Expiry::unix), Some(1_700_000_000));
        let r: TokenResponse =
            serde_json::from_str(r#"{"status":"ok","token":"abc","expires_at":null}"#).unwrap();
        assert_eq!(r.expires_at, None);
        let r: TokenResponse = serde_json::from_str(r#"{"status":"ok","token":"abc"}"#).unwrap();
        assert_eq!(r.expires_at, None);
    }
}
