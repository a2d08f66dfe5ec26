//! `POST {auth_base}/AuthenticationService/authenticate`: the session token.
//!
//! Request `{"entity","password","user"}`; answer
//! `{"success":true,"authenticationResponse":{"token":"<JWT>","expires":"5975999"}}`.
//! `expires` is the token's lifetime in **milliseconds** (Kashpay's public
//! documentation: the Kashpay API's `"5975999"` is ≈ 99.6 minutes, and the JWT's own
//! `exp` agrees); it arrives as a string or a number.

use std::fmt;
use std::time::Duration;

use pagos_core::token::{AccessToken, Authenticator};
use pagos_core::transport::{Method, Request};
use pagos_core::{Error, ExposeSecret, Result, SecretString, Transport, async_trait};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::PROVIDER_NAME;

/// Obtains session tokens from Kashpay's `AuthenticationService`.
///
/// The client holds one inside its [`TokenSession`](pagos_core::token::TokenSession)
/// (see [`KashpayClient::session`](crate::KashpayClient::session)), which caches the
/// token and makes sure concurrent callers share one authentication. Its `Debug` never
/// shows the password.
#[derive(Clone)]
pub struct KashpayAuthenticator {
    transport: Transport,
    url: Url,
    entity: String,
    user: String,
    password: SecretString,
}

impl KashpayAuthenticator {
    pub(crate) fn new(
        transport: Transport,
        url: Url,
        entity: String,
        user: String,
        password: SecretString,
    ) -> Self {
        KashpayAuthenticator {
            transport,
            url,
            entity,
            user,
            password,
        }
    }

    /// The authentication URL.
    pub fn url(&self) -> &Url {
        &self.url
    }
}

impl fmt::Debug for KashpayAuthenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KashpayAuthenticator")
            .field("url", &self.url.as_str())
            .field("entity", &self.entity)
            .field("user", &self.user)
            .field("password", &"[REDACTED]")
            .finish()
    }
}

/// The request body, in the order of the Kashpay API's `authenticate`.
#[derive(Serialize)]
struct AuthenticateRequest<'a> {
    entity: &'a str,
    password: &'a str,
    user: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthenticateEnvelope {
    authentication_response: AuthenticationResponse,
}

#[derive(Deserialize)]
struct AuthenticationResponse {
    token: String,
    /// Milliseconds, as a string or a number.
    #[serde(default, deserialize_with = "lenient_expires")]
    expires: Option<u64>,
}

/// `expires` as a number or numeric string. Anything else is treated as unknown rather
/// than failing the decoding: the token is usable, and the session re-authenticates
/// when Kashpay refuses it.
fn lenient_expires<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(crate::wire::opt_u64::deserialize(d).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "kashpay authenticate: unreadable `expires`, ignored");
        None
    }))
}

/// An authentication answer that could not be decoded may still hold a valid token:
/// drop the body, and the decoder's message (serde quotes the values it rejects), from
/// the error so that the token never reaches logs.
fn drop_auth_body(error: Error) -> Error {
    match error {
        Error::OutcomeUnknown(mut u) => {
            u.raw_body = None;
            u.detail = "the authentication answer has an unexpected shape \
                        (body withheld: it may hold a token)"
                .to_string();
            Error::OutcomeUnknown(u)
        }
        other => other,
    }
}

#[async_trait]
impl Authenticator for KashpayAuthenticator {
    /// Authenticates with the entity, user and password.
    ///
    /// # Errors
    /// [`pagos_core::Error::Provider`] when Kashpay refuses (its envelope, any HTTP
    /// status); [`pagos_core::Error::OutcomeUnknown`] for an answer without a token.
    async fn authenticate(&self) -> Result<AccessToken> {
        let body = AuthenticateRequest {
            entity: &self.entity,
            password: self.password.expose_secret(),
            user: &self.user,
        };
        // Obtaining a token changes nothing at Kashpay that a second copy could double:
        // a read for the transport's retry rules (and a 5xx is a refusal, not an
        // unknown outcome). The session shares one renewal among all waiting callers.
        let request = Request::new(Method::POST, self.url.clone(), "authenticate")
            .read_only()
            .json(&body)?;
        let resp = self.transport.send(PROVIDER_NAME, request).await?;
        let envelope: AuthenticateEnvelope =
            crate::error::decode(&resp, None).map_err(drop_auth_body)?;
        let auth = envelope.authentication_response;
        if auth.token.trim().is_empty() {
            return Err(resp
                .undecodable("authenticationResponse.token is empty")
                .into());
        }
        // Without `expires` the token is used until Kashpay refuses it; the session then
        // authenticates again.
        let lifetime = auth.expires.map(Duration::from_millis);
        tracing::debug!(lifetime_ms = auth.expires, "kashpay session token obtained");
        Ok(AccessToken::new(auth.token, lifetime))
    }
}
