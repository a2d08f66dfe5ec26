//! `POST v2/auth/token`: the session token every other call carries as
//! `Authorization: Bearer <token>`.
//!
//! [`Authenticate`] is the endpoint; [`TelepagosAuthenticator`] runs it for the
//! client's [`TokenSession`](pagos_core::token::TokenSession), and the client's
//! executor sends every other call through
//! [`Bearer`](pagos_core::endpoint::Bearer) over that session: one authentication
//! shared by concurrent calls, the token reused until shortly before it expires, and
//! one re-authentication when TelePagos refuses it with 401/403.
//!
//! # `expires_at`
//! The TelePagos API ("API Telepagos Empresas", `POST v2/auth/token`) documents
//! `expires_at` as a number: Unix seconds. TelePagos's public documentation adds that
//! some clients meet `"YYYY-MM-DD HH:MM:SS"` instead. That text has no zone; this crate
//! reads it in the client's [time zone](crate::TelepagosClientBuilder::time_zone),
//! Argentina time (UTC−3) by default. The reading is also the one whose mistake is
//! harmless: if the text is really UTC, the token is believed valid up to 3 h longer
//! than it is, the provider answers 401, and the session authenticates again once and
//! repeats the call.
//!
//! An expiry that is missing, unreadable, or already within the session's refresh
//! margin (clock skew, or a zone mismatch) is treated as "valid until refused": the
//! token is used until the provider answers 401/403, so a wrong clock can never turn
//! every call into an authentication.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pagos_core::endpoint::{Endpoint, Executor, NoAuth, unreadable};
use pagos_core::token::{AccessToken, Authenticator};
use pagos_core::transport::{Idempotency, Method, Request};
use pagos_core::{BaseUrl, ExposeSecret, Response, Result, SecretString, async_trait};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::PROVIDER;

/// How long before `expires_at` the token is renewed.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// `POST v2/auth/token`: obtains a session token with the API username and password.
///
/// A read for the transport's retry rules: obtaining a token changes nothing a second
/// copy could double, and a 5xx is a refusal, not an unknown outcome. The output is
/// the token with its lifetime (see the [module docs](self) for `expires_at`); an
/// answer without a token is [`Error::OutcomeUnknown`](pagos_core::Error::OutcomeUnknown),
/// which the session reports as "not sent" for the call that needed it.
///
/// The client runs it on its own; it is public so that the request can be inspected:
///
/// ```
/// use pagos_core::BaseUrl;
/// use pagos_telepagos::auth::Authenticate;
///
/// let base = BaseUrl::parse("https://api.homo.telepagos.com.ar")?;
/// let request = pagos_core::endpoint::describe(&Authenticate::new("api-user", "s3cr3t"), &base)?;
/// assert_eq!(request.url().as_str(), "https://api.homo.telepagos.com.ar/v2/auth/token");
/// assert_eq!(request.body_bytes(), br#"{"username":"api-user","password":"s3cr3t"}"#);
/// assert!(!format!("{:?}", Authenticate::new("api-user", "s3cr3t")).contains("s3cr3t"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Authenticate {
    username: String,
    password: SecretString,
    time_zone: UtcOffset,
}

impl Authenticate {
    /// The token request for these API credentials (the API's, not the web
    /// platform's).
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Authenticate::with_secret(username, SecretString::from(password.into()))
    }

    /// The same, with the password already in a [`SecretString`].
    pub fn with_secret(username: impl Into<String>, password: SecretString) -> Self {
        Authenticate {
            username: username.into(),
            password,
            time_zone: crate::ARGENTINA,
        }
    }

    /// Reads a text `expires_at` (`Y-m-d H:i:s`, no zone) in `zone` (default
    /// [`ARGENTINA`](crate::ARGENTINA)).
    #[must_use]
    pub fn time_zone(mut self, zone: UtcOffset) -> Self {
        self.time_zone = zone;
        self
    }

    /// The API username.
    pub fn username(&self) -> &str {
        &self.username
    }
}

impl fmt::Debug for Authenticate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticate")
            .field("username", &self.username)
            .field("password", &"[REDACTED]")
            .field("time_zone", &self.time_zone)
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
    expires_at: Option<ExpiryText>,
}

impl Endpoint for Authenticate {
    type Output = AccessToken;
    const OPERATION: &'static str = "authenticate";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        Ok(Request::new(
            Method::POST,
            base.join(&["v2", "auth", "token"])?,
            Self::OPERATION,
        )
        .json(&TokenRequest {
            username: &self.username,
            password: self.password.expose_secret(),
        })?)
    }

    fn parse(&self, response: &Response) -> Result<AccessToken> {
        let body: TokenResponse = response.json()?;
        let given = body.expires_at_given();
        let token = body
            .token
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| unreadable(response, "the answer has no token"))?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let expiry = body
            .expires_at
            .as_ref()
            .and_then(|text| parse_expiry(&text.0, self.time_zone));
        if expiry.is_none() && given {
            tracing::warn!(
                provider = PROVIDER,
                "unreadable expires_at; the token is used until it is refused"
            );
        }
        Ok(AccessToken::new(token, lifetime(expiry, now)))
    }
}

/// Obtains tokens for the client's session by running [`Authenticate`] (without
/// credentials of its own, through the same transport and error envelope as every
/// other call).
pub struct TelepagosAuthenticator {
    executor: Executor<NoAuth>,
    endpoint: Authenticate,
}

impl TelepagosAuthenticator {
    /// An authenticator that runs `endpoint` through `executor`.
    pub(crate) fn new(executor: Executor<NoAuth>, endpoint: Authenticate) -> Self {
        TelepagosAuthenticator { executor, endpoint }
    }

    /// Reads a text `expires_at` in `zone`.
    pub(crate) fn with_time_zone(mut self, zone: UtcOffset) -> Self {
        self.endpoint = self.endpoint.time_zone(zone);
        self
    }

    /// The token request it sends.
    pub fn endpoint(&self) -> &Authenticate {
        &self.endpoint
    }

    /// The executor it sends it through.
    pub fn executor(&self) -> &Executor<NoAuth> {
        &self.executor
    }
}

impl fmt::Debug for TelepagosAuthenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TelepagosAuthenticator")
            .field("base_url", self.executor.base_url())
            .field("username", &self.endpoint.username)
            .field("password", &"[REDACTED]")
            .finish()
    }
}

#[async_trait]
impl Authenticator for TelepagosAuthenticator {
    async fn authenticate(&self) -> Result<AccessToken> {
        self.executor.run(&self.endpoint).await
    }
}

/// `expires_at` as sent: Unix seconds, or a text date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expiry {
    /// Unix seconds.
    Unix(i64),
    /// A date and time (a text without zone is read in the client's zone).
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

/// Parses `expires_at` (a zoneless `Y-m-d H:i:s` in `zone`); anything unreadable is
/// `None` (valid until refused).
pub(crate) fn parse_expiry(text: &str, zone: UtcOffset) -> Option<Expiry> {
    let text = text.trim();
    if let Some(d) = pagos_core::wire::parse_decimal(text)
        && !text.contains(['-', ':'])
    {
        return i64::try_from(d.trunc()).ok().map(Expiry::Unix);
    }
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    if let Ok(t) = PrimitiveDateTime::parse(text, format) {
        return Some(Expiry::At(t.assume_offset(zone)));
    }
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(Expiry::At)
}

/// `expires_at` as its text (a string's content or a number's digits); read with
/// [`parse_expiry`] once the zone is known.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ExpiryText(String);

impl TokenResponse {
    fn expires_at_given(&self) -> bool {
        self.expires_at
            .as_ref()
            .is_some_and(|t| !t.0.is_empty() && t.0 != "null")
    }
}

fn expires_at<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<ExpiryText>, D::Error> {
    let raw = <&RawValue>::deserialize(d)?;
    let text = raw.get().trim();
    let text = if text.starts_with('"') {
        serde_json::from_str::<String>(text).unwrap_or_default()
    } else {
        text.to_string()
    };
    Ok((text != "null").then_some(ExpiryText(text)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_at_forms() {
        let ar = crate::ARGENTINA;
        let utc = UtcOffset::UTC;
        assert_eq!(
            parse_expiry("1700000000", ar),
            Some(Expiry::Unix(1_700_000_000))
        );
        assert_eq!(
            parse_expiry("1700000000.0", utc),
            Some(Expiry::Unix(1_700_000_000))
        );
        // The zoneless text in the client's zone: Argentina by default, or UTC.
        assert_eq!(
            parse_expiry("2023-11-14 19:13:20", ar).map(Expiry::unix),
            Some(1_700_000_000)
        );
        assert_eq!(
            parse_expiry("2023-11-14 22:13:20", utc),
            Some(Expiry::At(
                OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap()
            ))
        );
        // An explicit offset wins over the setting.
        assert_eq!(
            parse_expiry("2023-11-14T19:13:20-03:00", utc).map(Expiry::unix),
            Some(1_700_000_000)
        );
        assert_eq!(parse_expiry("tomorrow", ar), None);
        assert_eq!(parse_expiry("", ar), None);
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
        assert_eq!(
            r.expires_at
                .and_then(|t| parse_expiry(&t.0, UtcOffset::UTC))
                .map(Expiry::unix),
            Some(1_700_000_000)
        );
        let r: TokenResponse =
            serde_json::from_str(r#"{"status":"ok","token":"abc","expires_at":null}"#).unwrap();
        assert_eq!(r.expires_at, None);
        let r: TokenResponse = serde_json::from_str(r#"{"status":"ok","token":"abc"}"#).unwrap();
        assert_eq!(r.expires_at, None);
    }

    #[test]
    fn the_token_answer_is_read() {
        let ok = Response::new(
            PROVIDER,
            "authenticate",
            200,
            r#"{"status":"ok","token":"tok-1","expires_at":4102444800}"#,
        );
        let token = Authenticate::new("u", "p").parse(&ok).unwrap();
        assert_eq!(token.expose(), "tok-1");
        assert!(token.lifetime().is_some());
        for body in [
            r#"{"status":"ok"}"#,
            r#"{"status":"ok","token":" "}"#,
            "<html>",
        ] {
            let answer = Response::new(PROVIDER, "authenticate", 200, body);
            let err = Authenticate::new("u", "p").parse(&answer).unwrap_err();
            assert!(
                matches!(err, pagos_core::Error::OutcomeUnknown(_)),
                "{body}: {err:?}"
            );
        }
    }
}
