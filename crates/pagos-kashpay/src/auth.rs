//! `POST {auth_base}/AuthenticationService/authenticate`: the session token, and how
//! every `createOrder` carries it.
//!
//! Request `{"entity","password","user"}`; answer
//! `{"success":true,"authenticationResponse":{"token":"<JWT>","expires":"5975999"}}`.
//! `expires` is the token's lifetime in **milliseconds** (Kashpay's public
//! documentation: the Kashpay API's `"5975999"` is ≈ 99.6 minutes, and the JWT's own
//! `exp` agrees); it arrives as a string or a number.
//!
//! - [`Authenticate`] is the endpoint, run by [`KashpayAuthenticator`] through its own
//!   executor on the authentication host (no credentials but the body's);
//! - the client's [`TokenSession`] caches the token and shares one renewal among all
//!   waiting callers;
//! - [`KashpayAuth`] is the client's strategy: `Authorization: Bearer <token>` through
//!   [`Bearer`] (one re-authentication after a 401/403, in the core executor) plus the
//!   `Entity-i` header Kashpay wants next to the token.

use std::fmt;
use std::time::Duration;

use pagos_core::endpoint::{Authorize, Authorized, Bearer, Endpoint, Executor, NoAuth};
use pagos_core::token::{AccessToken, Authenticator, TokenSession};
use pagos_core::transport::{Idempotency, Method, Request, Response};
use pagos_core::{BaseUrl, Error, ExposeSecret, Result, SecretString, async_trait, validate};
use serde::{Deserialize, Serialize};
use url::Url;

/// What `authenticate` sends: the entity registered with Kashpay, the user (its
/// e-mail) and the password. `Debug` never shows the password.
///
/// ```
/// use pagos_kashpay::auth::Credentials;
/// let credentials = Credentials::new("com.cascade", "jim@cascadefintech.com", "cascTest4333");
/// assert_eq!(credentials.entity(), "com.cascade");
/// assert!(!format!("{credentials:?}").contains("cascTest4333"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    entity: String,
    user: String,
    password: SecretString,
}

impl Credentials {
    /// The entity (e.g. `com.cascade`), the user and the password.
    pub fn new(
        entity: impl Into<String>,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Credentials {
            entity: entity.into(),
            user: user.into(),
            password: SecretString::from(password.into()),
        }
    }

    pub(crate) fn from_secret(entity: String, user: String, password: SecretString) -> Self {
        Credentials {
            entity,
            user,
            password,
        }
    }

    /// The entity, also sent as the `Entity-i` header of every order.
    pub fn entity(&self) -> &str {
        &self.entity
    }

    /// The user.
    pub fn user(&self) -> &str {
        &self.user
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("entity", &self.entity)
            .field("user", &self.user)
            .field("password", &"[REDACTED]")
            .finish()
    }
}

/// `POST /AuthenticationService/authenticate` (the Kashpay API, "authenticate"): a
/// session token for the credentials.
///
/// Obtaining a token changes nothing at Kashpay that a second copy could double: it is
/// a read for the transport's retry rules ([`Idempotency::Read`]), and a 5xx is a
/// refusal, not an unknown outcome. Its answer is the [`AccessToken`]; it is never
/// kept as a raw answer (it holds the token).
///
/// It is run on the authentication host, without other credentials, by
/// [`KashpayAuthenticator`] (the client's session calls it); a
/// [`KashpayClient`](crate::KashpayClient)'s own executor points at the orders host.
///
/// ```
/// use pagos_core::BaseUrl;
/// use pagos_kashpay::auth::{Authenticate, Credentials};
///
/// let credentials = Credentials::new("com.cascade", "jim@cascadefintech.com", "cascTest4333");
/// let base = BaseUrl::parse("https://polaris.kashplataforma.com")?;
/// let request = pagos_core::endpoint::describe(&Authenticate::new(&credentials), &base)?;
/// assert_eq!(
///     request.url().as_str(),
///     "https://polaris.kashplataforma.com/AuthenticationService/authenticate"
/// );
/// assert_eq!(
///     request.body_bytes(),
///     br#"{"entity":"com.cascade","password":"cascTest4333","user":"jim@cascadefintech.com"}"#
/// );
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Authenticate<'a> {
    credentials: &'a Credentials,
}

impl<'a> Authenticate<'a> {
    /// Authenticates with `credentials`.
    pub fn new(credentials: &'a Credentials) -> Self {
        Authenticate { credentials }
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

impl Endpoint for Authenticate<'_> {
    type Output = AccessToken;
    const OPERATION: &'static str = "authenticate";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let c = self.credentials;
        validate::non_empty("entity", &c.entity)?;
        validate::non_empty("user", &c.user)?;
        validate::non_empty("password", c.password.expose_secret())?;
        let body = AuthenticateRequest {
            entity: &c.entity,
            password: c.password.expose_secret(),
            user: &c.user,
        };
        Ok(Request::new(
            Method::POST,
            base.join(&["AuthenticationService", "authenticate"])?,
            Self::OPERATION,
        )
        .json(&body)?)
    }

    /// Reads the token and its lifetime (without `expires`, or with an unreadable one,
    /// the token is used until Kashpay refuses it).
    ///
    /// # Errors
    /// The envelope's refusal; [`Error::OutcomeUnknown`] for an answer without a token,
    /// with the body withheld (it may hold one).
    fn parse(&self, response: &Response) -> Result<AccessToken> {
        let (envelope, _raw): (AuthenticateEnvelope, _) =
            crate::error::decode(response).map_err(drop_auth_body)?;
        let auth = envelope.authentication_response;
        if auth.token.trim().is_empty() {
            return Err(response
                .undecodable("authenticationResponse.token is empty")
                .into());
        }
        let lifetime = auth.expires.map(Duration::from_millis);
        tracing::debug!(lifetime_ms = auth.expires, "kashpay session token obtained");
        Ok(AccessToken::new(auth.token, lifetime))
    }
}

/// Obtains session tokens from Kashpay's `AuthenticationService`: runs
/// [`Authenticate`] through its own executor on the authentication host.
///
/// The client holds one inside its [`TokenSession`] (see
/// [`KashpayClient::session`](crate::KashpayClient::session)), which caches the token
/// and makes sure concurrent callers share one authentication. Its `Debug` never shows
/// the password.
#[derive(Clone)]
pub struct KashpayAuthenticator {
    executor: Executor<NoAuth>,
    credentials: Credentials,
    url: Url,
}

impl KashpayAuthenticator {
    pub(crate) fn new(executor: Executor<NoAuth>, credentials: Credentials) -> Result<Self> {
        let url = executor
            .describe(&Authenticate::new(&credentials))?
            .url()
            .clone();
        Ok(KashpayAuthenticator {
            executor,
            credentials,
            url,
        })
    }

    /// The authentication URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The executor [`Authenticate`] runs through: the authentication host, Kashpay's
    /// envelope as the refusal hook, no credentials but the body's.
    pub fn executor(&self) -> &Executor<NoAuth> {
        &self.executor
    }

    /// The credentials sent.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The endpoint [`Authenticator::authenticate`] runs.
    pub fn endpoint(&self) -> Authenticate<'_> {
        Authenticate::new(&self.credentials)
    }
}

impl fmt::Debug for KashpayAuthenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KashpayAuthenticator")
            .field("url", &self.url.as_str())
            .field("entity", &self.credentials.entity)
            .field("user", &self.credentials.user)
            .field("password", &"[REDACTED]")
            .finish()
    }
}

#[async_trait]
impl Authenticator for KashpayAuthenticator {
    /// Runs [`Authenticate`] with the entity, user and password.
    ///
    /// # Errors
    /// [`pagos_core::Error::Provider`] when Kashpay refuses (its envelope, any HTTP
    /// status); [`pagos_core::Error::OutcomeUnknown`] for an answer without a token (the
    /// session reports both to its callers as described in [`TokenSession::token`]).
    async fn authenticate(&self) -> Result<AccessToken> {
        self.executor.run(&self.endpoint()).await
    }
}

/// The client's authentication strategy: the session token as
/// `Authorization: Bearer <token>` ([`Bearer`]: one shared renewal, and one
/// re-authentication when Kashpay refuses a token with 401/403, run by the core
/// executor) and the entity as `Entity-i` (the Kashpay API, "createOrder": both
/// headers on every order).
pub struct KashpayAuth {
    bearer: Bearer<KashpayAuthenticator>,
    entity: String,
}

impl KashpayAuth {
    /// Sends `session`'s tokens and its authenticator's entity (the client's builder
    /// has checked that a header can carry it).
    pub(crate) fn new(session: TokenSession<KashpayAuthenticator>) -> Self {
        let entity = session.authenticator().credentials().entity().to_string();
        KashpayAuth {
            bearer: Bearer::new(session),
            entity,
        }
    }

    /// The token session.
    pub fn session(&self) -> &TokenSession<KashpayAuthenticator> {
        self.bearer.session()
    }

    /// The entity sent as `Entity-i`.
    pub fn entity(&self) -> &str {
        &self.entity
    }
}

impl fmt::Debug for KashpayAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KashpayAuth")
            .field("bearer", &self.bearer)
            .field("entity", &self.entity)
            .finish()
    }
}

#[async_trait]
impl Authorize for KashpayAuth {
    async fn authorize(&self, request: Request) -> Result<Authorized> {
        let mut authorized = self.bearer.authorize(request).await?;
        authorized.request = authorized.request.header("Entity-i", &self.entity)?;
        Ok(authorized)
    }

    fn credentials_refused(&self, token: Option<&pagos_core::token::SessionToken>) -> bool {
        self.bearer.credentials_refused(token)
    }
}
