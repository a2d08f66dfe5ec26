//! Endpoints as values, and the one executor that runs them.
//!
//! A provider crate describes each call of its API as a type that implements
//! [`Endpoint`]: a plain value (the payment id, the request body) that can say which
//! [`Request`] it is and read its [`Response`]. Describing and reading do no I/O, so
//! every endpoint's wire format is tested without a socket.
//!
//! An [`Executor`] runs any endpoint: it joins the endpoint to the provider's base
//! URL, adds the credentials through the provider's [`Authorize`] strategy (HTTP
//! Basic, a static header, a session token, Khipu's signature), sends it through the
//! [`Transport`] (retries decided by [`crate::transport::retry_decision`]), turns a
//! refusal into an [`Error`] with the provider's envelope hook ([`Refusal`]), and
//! hands a success to [`Endpoint::parse`].
//!
//! ```
//! use pagos_core::endpoint::{Endpoint, Executor, NoAuth};
//! use pagos_core::transport::{Idempotency, Method, Request};
//! use pagos_core::{BaseUrl, Raw, Response, Result};
//!
//! /// `GET /things/{id}` of a fictional API.
//! #[derive(Debug)]
//! struct GetThing<'a> {
//!     id: &'a str,
//! }
//!
//! impl Endpoint for GetThing<'_> {
//!     type Output = Raw;
//!     const OPERATION: &'static str = "get_thing";
//!     const IDEMPOTENCY: Idempotency = Idempotency::Read;
//!
//!     fn request(&self, base: &BaseUrl) -> Result<Request> {
//!         pagos_core::validate::path_id("id", self.id)?;
//!         Ok(Request::new(Method::GET, base.join(&["things", self.id])?, Self::OPERATION))
//!     }
//!
//!     fn parse(&self, response: &Response) -> Result<Raw> {
//!         response.raw()
//!     }
//! }
//!
//! let base = BaseUrl::parse("https://api.example.com/v1")?;
//! let request = pagos_core::endpoint::describe(&GetThing { id: "t_1" }, &base)?;
//! assert_eq!(request.url().as_str(), "https://api.example.com/v1/things/t_1");
//! assert!(pagos_core::endpoint::describe(&GetThing { id: ".." }, &base).is_err());
//!
//! // Running it needs a transport and the provider's strategies:
//! let executor = Executor::new("example", base, pagos_core::Transport::new()?, NoAuth);
//! # let _ = executor;
//! # Ok::<(), pagos_core::Error>(())
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

use futures_util::stream::{self, BoxStream, StreamExt};
use serde::Serialize;

use crate::error::{Error, OutcomeUnknown, ProviderError, Result};
use crate::raw::Raw;
use crate::token::{Authenticator, SessionToken, TokenSession};
use crate::transport::{Idempotency, Request, Response, Transport};
use crate::{BaseUrl, ExposeSecret, SecretString};

/// One call of a provider's API, as a value.
///
/// Implementations validate in [`Endpoint::request`] (an invalid value describes no
/// request, so nothing is sent) and read only 2xx answers in [`Endpoint::parse`]
/// (refusals are the executor's [`Refusal`] hook's business).
pub trait Endpoint: Send + Sync {
    /// What a successful answer becomes.
    type Output;

    /// The operation's name in errors and tracing (`create_invoice`).
    const OPERATION: &'static str;

    /// Whether the call changes state and whether a second copy could do it twice.
    /// The executor marks the request with it, and the transport retries by it.
    const IDEMPOTENCY: Idempotency;

    /// Describes the request against the provider's base URL, credentials left out.
    ///
    /// # Errors
    /// [`Error::Validation`] for a value that must not be sent.
    fn request(&self, base: &BaseUrl) -> Result<Request>;

    /// Reads a successful answer.
    ///
    /// # Errors
    /// [`Error::OutcomeUnknown`] when the answer cannot be read (see
    /// [`Response::json`]).
    fn parse(&self, response: &Response) -> Result<Self::Output>;

    /// Advice added to an [`Error::OutcomeUnknown`] of this call: how to find out
    /// whether it took effect (look the payment up by its `transaction_id`…).
    fn outcome_hint(&self) -> Option<String> {
        None
    }
}

/// The request `endpoint` describes, marked with its operation and idempotency, as the
/// executor would send it before adding credentials.
///
/// # Errors
/// The endpoint's validation error.
pub fn describe<E: Endpoint + ?Sized>(endpoint: &E, base: &BaseUrl) -> Result<Request> {
    Ok(endpoint
        .request(base)?
        .with_operation(E::OPERATION)
        .with_idempotency(E::IDEMPOTENCY))
}

/// A described request with the provider's credentials added.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Authorized {
    /// The request, ready to send.
    pub request: Request,
    /// The session token it carries, when the strategy uses one (so a refusal can
    /// retire exactly that token).
    pub token: Option<SessionToken>,
}

impl Authorized {
    /// A request authorized without a session token.
    pub fn new(request: Request) -> Self {
        Authorized {
            request,
            token: None,
        }
    }
}

/// How a provider authenticates a request: a per-provider strategy.
#[crate::async_trait]
pub trait Authorize: Send + Sync + fmt::Debug {
    /// Adds the credentials to `request` (it may first obtain a session token).
    ///
    /// # Errors
    /// [`Error::NotSent`] or [`Error::Provider`] when no credentials could be
    /// obtained; the request was not sent.
    async fn authorize(&self, request: Request) -> Result<Authorized>;

    /// Called once when the provider answered 401 or 403 to a request authorized with
    /// `token` (the [`Authorized::token`] it carried): retire the credentials and
    /// return `true` to have the executor authorize and send the request once more (a
    /// refused token means the request did nothing). The default keeps the refusal.
    fn credentials_refused(&self, token: Option<&SessionToken>) -> bool {
        let _ = token;
        false
    }
}

/// No credentials (public endpoints, tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAuth;

#[crate::async_trait]
impl Authorize for NoAuth {
    async fn authorize(&self, request: Request) -> Result<Authorized> {
        Ok(Authorized::new(request))
    }
}

/// A secret header on every request: HTTP Basic (`Authorization: Basic …`), an API
/// key header, a static bearer token. The value is marked sensitive and never printed.
///
/// ```
/// use pagos_core::endpoint::SecretHeader;
/// let basic = SecretHeader::basic("sk_test_abc", "");
/// assert!(!format!("{basic:?}").contains("sk_test"));
/// ```
#[derive(Clone)]
pub struct SecretHeader {
    name: &'static str,
    value: SecretString,
}

impl SecretHeader {
    /// `name: value`.
    pub fn new(name: &'static str, value: impl Into<String>) -> Self {
        SecretHeader {
            name,
            value: SecretString::from(value.into()),
        }
    }

    /// `Authorization: Basic base64(user:password)`.
    pub fn basic(user: &str, password: &str) -> Self {
        use base64::Engine as _;
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        SecretHeader::new("authorization", format!("Basic {encoded}"))
    }

    /// The header's value, for tests that check it.
    pub fn value(&self) -> &SecretString {
        &self.value
    }
}

impl fmt::Debug for SecretHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretHeader")
            .field("name", &self.name)
            .field("value", &"[REDACTED]")
            .finish()
    }
}

#[crate::async_trait]
impl Authorize for SecretHeader {
    async fn authorize(&self, request: Request) -> Result<Authorized> {
        Ok(Authorized::new(
            request.sensitive_header(self.name, self.value.expose_secret())?,
        ))
    }
}

/// `Authorization: Bearer <token>` from a [`TokenSession`]: one shared renewal, and
/// one re-authentication after the provider refuses a token.
pub struct Bearer<A> {
    session: TokenSession<A>,
}

impl<A> Bearer<A> {
    /// Sends the session's tokens.
    pub fn new(session: TokenSession<A>) -> Self {
        Bearer { session }
    }

    /// The session (its counters, its authenticator).
    pub fn session(&self) -> &TokenSession<A> {
        &self.session
    }
}

impl<A: Authenticator> fmt::Debug for Bearer<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bearer")
            .field("session", &self.session)
            .finish()
    }
}

#[crate::async_trait]
impl<A: Authenticator + 'static> Authorize for Bearer<A> {
    async fn authorize(&self, request: Request) -> Result<Authorized> {
        let token = self.session.token().await?;
        let request =
            request.sensitive_header("authorization", &format!("Bearer {}", token.expose()))?;
        Ok(Authorized {
            request,
            token: Some(token),
        })
    }

    fn credentials_refused(&self, token: Option<&SessionToken>) -> bool {
        match token {
            Some(token) => {
                tracing::debug!("token refused; authenticating again");
                self.session.invalidate(token);
                true
            }
            None => false,
        }
    }
}

/// The provider's reading of an answer: `Some` refusal when the answer says no (any
/// non-2xx, and for some providers an error envelope under 200), `None` for an answer
/// to parse. The executor hands a refusal to [`Response::refusal`], the one place it
/// becomes an [`Error`].
pub type Refusal = fn(&Response) -> Option<ProviderError>;

/// The default [`Refusal`]: every non-2xx answer, with a generic message.
pub fn non_success(response: &Response) -> Option<ProviderError> {
    (!response.is_success()).then(|| response.provider_error())
}

/// Runs any [`Endpoint`] of one provider. Cheap to clone (one `Arc` inside).
pub struct Executor<A> {
    inner: Arc<ExecutorInner<A>>,
    refusal: Refusal,
}

struct ExecutorInner<A> {
    provider: &'static str,
    base_url: BaseUrl,
    transport: Transport,
    auth: A,
}

impl<A> Clone for Executor<A> {
    fn clone(&self) -> Self {
        Executor {
            inner: Arc::clone(&self.inner),
            refusal: self.refusal,
        }
    }
}

impl<A: fmt::Debug> fmt::Debug for Executor<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Executor")
            .field("provider", &self.inner.provider)
            .field("base_url", &self.inner.base_url)
            .field("transport", &self.inner.transport)
            .field("auth", &self.inner.auth)
            .finish()
    }
}

impl<A: Authorize> Executor<A> {
    /// An executor for `provider` at `base_url`, reading every non-2xx answer as a
    /// refusal ([`non_success`]) until [`Executor::with_refusal`] says otherwise.
    pub fn new(provider: &'static str, base_url: BaseUrl, transport: Transport, auth: A) -> Self {
        Executor {
            inner: Arc::new(ExecutorInner {
                provider,
                base_url,
                transport,
                auth,
            }),
            refusal: non_success,
        }
    }

    /// The same executor with the provider's refusal hook (its error envelope).
    #[must_use]
    pub fn with_refusal(mut self, refusal: Refusal) -> Self {
        self.refusal = refusal;
        self
    }

    /// The provider's name.
    pub fn provider(&self) -> &'static str {
        self.inner.provider
    }

    /// The base URL endpoints are joined to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base_url
    }

    /// The transport requests go through.
    pub fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// The authentication strategy.
    pub fn auth(&self) -> &A {
        &self.inner.auth
    }

    /// The request `endpoint` describes against this executor's base URL, without
    /// credentials (see [`describe`]).
    ///
    /// # Errors
    /// The endpoint's validation error.
    pub fn describe<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<Request> {
        describe(endpoint, &self.inner.base_url)
    }

    /// The request exactly as it would be sent, credentials included: what wire tests
    /// compare against the provider's documentation.
    ///
    /// # Errors
    /// The endpoint's validation error, or the strategy's (a session token that
    /// cannot be obtained).
    pub async fn authorized<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<Request> {
        let request = self.describe(endpoint)?;
        Ok(self.inner.auth.authorize(request).await?.request)
    }

    /// Runs `endpoint` and returns its typed output.
    ///
    /// # Errors
    /// [`Error::Validation`] before sending; [`Error::Provider`] for a definite
    /// refusal; [`Error::NotSent`] / [`Error::OutcomeUnknown`] from the transport or
    /// an unreadable answer, with the endpoint's [`Endpoint::outcome_hint`].
    pub async fn run<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<E::Output> {
        let result = match self.send_inner(endpoint).await {
            Ok(response) => endpoint.parse(&response),
            Err(e) => Err(e),
        };
        result.map_err(|e| with_outcome_hint(e, endpoint))
    }

    /// Runs `endpoint` and returns its typed output together with the answer it was
    /// read from (for a caller that needs the answer to build its own error).
    ///
    /// # Errors
    /// As [`Executor::run`].
    pub async fn run_with_response<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
    ) -> Result<(E::Output, Response)> {
        let result = match self.send_inner(endpoint).await {
            Ok(response) => endpoint.parse(&response).map(|output| (output, response)),
            Err(e) => Err(e),
        };
        result.map_err(|e| with_outcome_hint(e, endpoint))
    }

    /// Runs `endpoint` and returns the accepted answer as received, unparsed.
    ///
    /// # Errors
    /// As [`Executor::run`], except that the answer is not read.
    pub async fn send<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<Response> {
        self.send_inner(endpoint)
            .await
            .map_err(|e| with_outcome_hint(e, endpoint))
    }

    async fn send_inner<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<Response> {
        let inner = &*self.inner;
        let described = self.describe(endpoint)?;
        // The first attempt keeps a copy of the described request for the one
        // re-authentication; the second sends the described request itself.
        let mut retry = Some(described.clone());
        let mut request = described;
        loop {
            let Authorized {
                request: signed,
                token,
            } = inner.auth.authorize(request).await?;
            let response = inner.transport.send(inner.provider, signed).await?;
            let Some(refusal) = (self.refusal)(&response) else {
                return Ok(response);
            };
            if refusal.is_unauthorized()
                && let Some(again) = retry.take()
                && inner.auth.credentials_refused(token.as_ref())
            {
                request = again;
                continue;
            }
            return Err(response.refusal(refusal));
        }
    }
}

impl<A: Authorize + 'static> Executor<A> {
    /// Every item of every page, fetched one page at a time as the stream is polled,
    /// starting with `first`. The stream ends after the last page or the first error
    /// (which it yields).
    pub fn stream<E>(&self, first: E) -> BoxStream<'static, Result<E::Item>>
    where
        E: PageRequest + 'static,
    {
        struct State<A, E: PageRequest> {
            executor: Executor<A>,
            next: Option<E>,
            items: VecDeque<E::Item>,
        }
        let state = State {
            executor: self.clone(),
            next: Some(first),
            items: VecDeque::new(),
        };
        stream::unfold(state, |mut state| async move {
            loop {
                if let Some(item) = state.items.pop_front() {
                    return Some((Ok(item), state));
                }
                let request = state.next.take()?;
                match state.executor.run(&request).await {
                    Ok(page) => {
                        state.next = request.next_page(&page);
                        state.items = page.items.into();
                    }
                    Err(e) => return Some((Err(e), state)),
                }
            }
        })
        .boxed()
    }
}

/// `error` with `endpoint`'s [`Endpoint::outcome_hint`] when it is an unknown outcome
/// without a hint of its own: what the executor does to every error it returns, for
/// errors a caller builds after running an endpoint.
pub fn with_outcome_hint<E: Endpoint + ?Sized>(error: Error, endpoint: &E) -> Error {
    match error {
        Error::OutcomeUnknown(u) => match endpoint.outcome_hint() {
            Some(hint) if u.hint.is_none() => Error::OutcomeUnknown(Box::new(u.with_hint(hint))),
            _ => Error::OutcomeUnknown(u),
        },
        other => other,
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's items, in the provider's order.
    pub items: Vec<T>,
    /// Whether the provider says more pages follow.
    pub has_more: bool,
    /// The page's answer as received.
    pub raw: Raw,
}

impl<T> Page<T> {
    /// A page.
    pub fn new(items: Vec<T>, has_more: bool, raw: Raw) -> Self {
        Page {
            items,
            has_more,
            raw,
        }
    }
}

/// An endpoint that returns a [`Page`] and knows the request for the next one.
pub trait PageRequest: Endpoint<Output = Page<<Self as PageRequest>::Item>> + Sized + Send {
    /// The items the pages hold.
    type Item: Send + 'static;

    /// The request for the page after `page`, or `None` when `page` is the last.
    fn next_page(&self, page: &Page<Self::Item>) -> Option<Self>;
}

/// The [`OutcomeUnknown`] an endpoint reports when an accepted answer lacks what it
/// needs: used by `parse` implementations.
pub fn unreadable(response: &Response, detail: impl Into<String>) -> Error {
    let e: OutcomeUnknown = response.undecodable(detail);
    e.into()
}
