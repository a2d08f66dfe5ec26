//! A shared session token: cached, renewed once when it expires, refreshed once when
//! the provider refuses it.
//!
//! Kashpay and TelePagos authenticate with short-lived bearer tokens. A
//! [`TokenSession`] holds the current token and guarantees:
//! - **reuse**: the token is used until [`TokenSession::refresh_margin`] before it
//!   expires. A token that lives no longer than the margin is used for half its
//!   lifetime; a token whose lifetime is zero, negative (already past, e.g. clock
//!   skew), unparseable or under a second is used until the provider refuses it. So
//!   renewals are bounded under any load, never one per call;
//! - **one renewal at a time**: when many tasks find the token missing or stale at
//!   once, exactly one authentication runs and every waiter shares its result, the
//!   error included. A failed renewal ends its round; the next caller starts a new one;
//! - **bounded waits**: the whole wait for a token (queueing behind a renewal
//!   included) is bounded by [`TokenSession::with_wait_timeout`] (the clients set it to
//!   their transport's timeout). A caller that gives up gets [`Error::NotSent`]: its
//!   own request never left;
//! - **one re-authentication on refusal**: [`TokenSession::call`] retries a call once
//!   with a fresh token after a 401/403, and returns the second refusal as it came.
//!
//! A renewal that cannot finish (the authentication answer was lost, undecodable or
//! too large) means the caller's own request was never sent: it is reported as
//! [`Error::NotSent`], never as an unknown outcome of the caller's operation.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result, TransportError};

/// Lifetimes this short are treated as unknown: the token is used until refused.
const SHORTEST_PLANNABLE_LIFETIME: Duration = Duration::from_secs(1);

/// The default bound on a wait for a token (the default transport timeout).
const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// A bearer token and when it stops being valid.
#[derive(Clone)]
pub struct AccessToken {
    value: SecretString,
    obtained_at: Instant,
    lifetime: Option<Duration>,
}

impl AccessToken {
    /// A token valid for `lifetime` from now (`None`: until the provider refuses it).
    /// A lifetime under a second (zero included) is treated as `None`: it cannot be
    /// planned around, and renewing before every call would flood the provider.
    pub fn new(value: impl Into<String>, lifetime: Option<Duration>) -> Self {
        AccessToken {
            value: SecretString::from(value.into()),
            obtained_at: Instant::now(),
            lifetime: lifetime.filter(|l| *l >= SHORTEST_PLANNABLE_LIFETIME),
        }
    }

    /// A token that expires at a Unix time in seconds (TelePagos `expires_at`). An
    /// expiry already past (clock skew) is treated as unknown: used until refused.
    pub fn expiring_at_unix(value: impl Into<String>, unix_seconds: i64) -> Self {
        let now_unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let remaining = u64::try_from(unix_seconds.saturating_sub(now_unix)).unwrap_or(0);
        AccessToken::new(value, Some(Duration::from_secs(remaining)))
    }

    /// The token text, for building an `Authorization` header.
    pub fn expose(&self) -> &str {
        self.value.expose_secret()
    }

    /// How long until it expires, `None` when no expiry is known.
    pub fn remaining(&self) -> Option<Duration> {
        self.lifetime
            .map(|l| l.saturating_sub(self.obtained_at.elapsed()))
    }

    /// The lifetime it was issued with, `None` when unknown.
    pub fn lifetime(&self) -> Option<Duration> {
        self.lifetime
    }

    /// Whether it is still worth using: more than the margin left, where the margin
    /// is at most half the lifetime (so a short-lived token is still reused).
    fn fresh(&self, margin: Duration) -> bool {
        match self.lifetime {
            None => true,
            Some(lifetime) => {
                let margin = margin.min(lifetime / 2);
                self.remaining().is_some_and(|r| r > margin)
            }
        }
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &"[REDACTED]")
            .field("remaining", &self.remaining())
            .finish()
    }
}

/// Obtains a new token from the provider. Implemented by each token-based provider.
#[async_trait]
pub trait Authenticator: Send + Sync + fmt::Debug {
    /// Authenticates with the provider's credentials.
    ///
    /// # Errors
    /// Whatever the authentication call returns; a refusal should be an
    /// [`Error::Provider`] with status 401 or 403.
    async fn authenticate(&self) -> Result<AccessToken>;
}

#[derive(Clone)]
struct Cached {
    token: AccessToken,
    generation: u64,
}

/// A token in use, with the generation it belongs to.
#[derive(Debug, Clone)]
pub struct SessionToken {
    token: AccessToken,
    generation: u64,
}

impl SessionToken {
    /// The token text.
    pub fn expose(&self) -> &str {
        self.token.expose()
    }

    /// The token.
    pub fn token(&self) -> &AccessToken {
        &self.token
    }
}

type Renewal = Shared<BoxFuture<'static, Result<AccessToken>>>;

/// One authentication in flight, shared by everyone waiting for it.
struct Round {
    generation: u64,
    started: Instant,
    renewal: Renewal,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    round: Option<Round>,
    generations: u64,
    authentications: u64,
    /// Callers that asked for a renewal (started or joined one); for tests.
    waits: u64,
}

/// A cached, single-flight token session. See the [module docs](self).
///
/// ```
/// use pagos_core::token::{AccessToken, Authenticator, TokenSession};
/// use pagos_core::{async_trait, Result};
/// use std::time::Duration;
///
/// #[derive(Debug)]
/// struct Fixed;
/// #[async_trait]
/// impl Authenticator for Fixed {
///     async fn authenticate(&self) -> Result<AccessToken> {
///         Ok(AccessToken::new("t0k3n", Some(Duration::from_secs(3600))))
///     }
/// }
///
/// let session = TokenSession::new(Fixed).with_wait_timeout(Duration::from_secs(5));
/// let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
/// let text = rt.block_on(session.call(|token| {
///     let t = token.expose().to_string();
///     async move { Ok(t) }
/// }))?;
/// assert_eq!(text, "t0k3n");
/// assert_eq!(session.authentications(), 1);
/// # Ok::<(), pagos_core::Error>(())
/// ```
pub struct TokenSession<A> {
    authenticator: Arc<A>,
    state: Mutex<State>,
    refresh_margin: Duration,
    wait_timeout: Duration,
    provider: &'static str,
}

impl<A: fmt::Debug> fmt::Debug for TokenSession<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (remaining, renewing) = self.state.lock().map_or((None, false), |s| {
            (
                s.cached.as_ref().map(|c| c.token.remaining()),
                s.round.is_some(),
            )
        });
        f.debug_struct("TokenSession")
            .field("authenticator", &self.authenticator)
            .field("has_token", &remaining.is_some())
            .field("remaining", &remaining.flatten())
            .field("renewing", &renewing)
            .field("refresh_margin", &self.refresh_margin)
            .field("wait_timeout", &self.wait_timeout)
            .finish()
    }
}

impl<A: Authenticator + 'static> TokenSession<A> {
    /// A session with no token yet, a 60 s refresh margin and a 30 s wait bound.
    pub fn new(authenticator: A) -> Self {
        TokenSession {
            authenticator: Arc::new(authenticator),
            state: Mutex::new(State::default()),
            refresh_margin: Duration::from_secs(60),
            wait_timeout: DEFAULT_WAIT_TIMEOUT,
            provider: "token session",
        }
    }

    /// Renews the token this long before it expires (default 60 s).
    #[must_use]
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Bounds the whole wait for a token, queueing behind another caller's renewal
    /// included (default 30 s; clients set their transport's timeout).
    #[must_use]
    pub fn with_wait_timeout(mut self, timeout: Duration) -> Self {
        self.wait_timeout = timeout;
        self
    }

    /// The provider name errors carry.
    #[must_use]
    pub fn with_provider(mut self, provider: &'static str) -> Self {
        self.provider = provider;
        self
    }

    /// The refresh margin.
    pub fn refresh_margin(&self) -> Duration {
        self.refresh_margin
    }

    /// The bound on a wait for a token.
    pub fn wait_timeout(&self) -> Duration {
        self.wait_timeout
    }

    /// The authenticator.
    pub fn authenticator(&self) -> &A {
        &self.authenticator
    }

    /// How many authentications this session has started (renewal rounds).
    pub fn authentications(&self) -> u64 {
        self.lock().authentications
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the state half-written (every
        // write is one assignment), so a poisoned lock is still good to use.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A fresh token: the cached one, or the result of the one renewal in flight
    /// (started by this call when there is none).
    ///
    /// # Errors
    /// The renewal's error, shared by every caller that waited for it: a definite
    /// refusal stays [`Error::Provider`]; anything else means the caller's request was
    /// not sent ([`Error::NotSent`]), and so does a wait longer than
    /// [`TokenSession::wait_timeout`].
    pub async fn token(&self) -> Result<SessionToken> {
        match tokio::time::timeout(self.wait_timeout, self.token_unbounded()).await {
            Ok(result) => result,
            Err(_) => Err(TransportError::new(
                self.provider,
                "authenticate",
                format!(
                    "no session token within {:?}: the authentication did not finish in time",
                    self.wait_timeout
                ),
            )
            .into()),
        }
    }

    async fn token_unbounded(&self) -> Result<SessionToken> {
        let (generation, renewal) = {
            let mut state = self.lock();
            if let Some(c) = state
                .cached
                .as_ref()
                .filter(|c| c.token.fresh(self.refresh_margin))
            {
                return Ok(SessionToken {
                    token: c.token.clone(),
                    generation: c.generation,
                });
            }
            match &state.round {
                // Join the renewal in flight, unless it is older than any caller waits
                // (every caller of that round has given up; its answer is stale).
                Some(round) if round.started.elapsed() < self.wait_timeout => {
                    (round.generation, round.renewal.clone())
                }
                _ => {
                    state.generations += 1;
                    state.authentications += 1;
                    let generation = state.generations;
                    let authenticator = Arc::clone(&self.authenticator);
                    let provider = self.provider;
                    let renewal = async move {
                        authenticator
                            .authenticate()
                            .await
                            .map_err(|e| renewal_error(provider, e))
                    }
                    .boxed()
                    .shared();
                    state.round = Some(Round {
                        generation,
                        started: Instant::now(),
                        renewal: renewal.clone(),
                    });
                    (generation, renewal)
                }
            }
        };
        self.lock().waits += 1;
        // Every waiter polls the same shared future: whoever is first drives it, and
        // if that caller gives up the others go on driving it.
        let result = renewal.await;
        let mut state = self.lock();
        if state
            .round
            .as_ref()
            .is_some_and(|r| r.generation == generation)
        {
            // The first waiter to see the result ends the round, successful or not.
            state.round = None;
            if let Ok(token) = &result {
                state.cached = Some(Cached {
                    token: token.clone(),
                    generation,
                });
            }
        }
        result.map(|token| SessionToken { token, generation })
    }

    /// Forgets `token` if it is still the current one, so the next call authenticates.
    /// A newer token obtained meanwhile by another task is kept.
    pub fn invalidate(&self, token: &SessionToken) {
        let mut state = self.lock();
        if state
            .cached
            .as_ref()
            .is_some_and(|c| c.generation == token.generation)
        {
            state.cached = None;
        }
    }

    /// Runs `call` with a fresh token; after a 401/403 ([`crate::ProviderError::is_unauthorized`])
    /// authenticates again once and runs it once more.
    ///
    /// # Errors
    /// The call's error, or the session's (see [`TokenSession::token`]); a second
    /// refusal is returned as is.
    pub async fn call<T, F, Fut>(&self, call: F) -> Result<T>
    where
        F: Fn(SessionToken) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let token = self.token().await?;
        match call(token.clone()).await {
            Err(Error::Provider(p)) if p.is_unauthorized() => {
                tracing::debug!(
                    status = p.http_status,
                    "token refused; authenticating again"
                );
                self.invalidate(&token);
                let token = self.token().await?;
                call(token).await
            }
            other => other,
        }
    }
}

/// A renewal that did not end in a token or a definite refusal: the caller's own
/// request was never sent, whatever happened to the authentication request.
fn renewal_error(provider: &'static str, error: Error) -> Error {
    match error {
        Error::OutcomeUnknown(u) => {
            let mut t = TransportError::new(
                provider,
                u.operation,
                format!("could not obtain a session token: {}", u.cause),
            );
            t.attempts = u.attempts;
            t.into()
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProviderError;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// What the fake authentication endpoint does.
    #[derive(Debug, Clone, Copy)]
    enum Behaviour {
        Token(Option<Duration>),
        Refuse(u16),
        Hang,
        Lost,
    }

    #[derive(Debug)]
    struct Fake {
        calls: AtomicU32,
        behaviour: Behaviour,
        /// The answer waits for a permit: tests hold it until every caller waits.
        gate: tokio::sync::Semaphore,
    }

    #[async_trait]
    impl Authenticator for Fake {
        async fn authenticate(&self) -> Result<AccessToken> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let _permit = self.gate.acquire().await;
            match self.behaviour {
                Behaviour::Token(lifetime) => Ok(AccessToken::new(format!("token-{n}"), lifetime)),
                Behaviour::Refuse(status) => {
                    Err(ProviderError::new("p", "authenticate", status, "").into())
                }
                Behaviour::Hang => std::future::pending().await,
                Behaviour::Lost => Err(crate::OutcomeUnknown::new(
                    "p",
                    "authenticate",
                    crate::UnknownCause::ConnectionLost,
                    "reset",
                )
                .into()),
            }
        }
    }

    fn session(behaviour: Behaviour) -> Arc<TokenSession<Fake>> {
        gated_session(behaviour, tokio::sync::Semaphore::MAX_PERMITS)
    }

    fn gated_session(behaviour: Behaviour, permits: usize) -> Arc<TokenSession<Fake>> {
        Arc::new(
            TokenSession::new(Fake {
                calls: AtomicU32::new(0),
                behaviour,
                gate: tokio::sync::Semaphore::new(permits),
            })
            .with_refresh_margin(Duration::from_secs(60))
            .with_wait_timeout(Duration::from_millis(200)),
        )
    }

    fn calls(s: &TokenSession<Fake>) -> u32 {
        s.authenticator().calls.load(Ordering::SeqCst)
    }

    async fn thousand_callers(s: &Arc<TokenSession<Fake>>) -> Vec<Result<String>> {
        let tasks: Vec<_> = (0..1000)
            .map(|_| {
                let s = Arc::clone(s);
                tokio::spawn(async move { s.token().await.map(|t| t.expose().to_string()) })
            })
            .collect();
        // Hold the authentication's answer until every caller waits for it, then
        // let it through: the round is shared by all of them or the test fails.
        loop {
            let (waits, renewing) = {
                let state = s.lock();
                (state.waits, state.round.is_some())
            };
            if waits >= 1000 || (waits > 0 && !renewing) {
                break;
            }
            tokio::task::yield_now().await;
        }
        if s.authenticator().gate.available_permits() < 1000 {
            s.authenticator().gate.add_permits(1000);
        }
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("task"));
        }
        out
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_thousand_callers_share_one_authentication() {
        let s = session(Behaviour::Token(Some(Duration::from_secs(3600))));
        for r in thousand_callers(&s).await {
            assert_eq!(r.unwrap(), "token-1");
        }
        assert_eq!(calls(&s), 1);
        assert_eq!(s.authentications(), 1);
    }

    // One thread: all 1000 callers are waiting before the authentication's answer
    // comes, so the count is exact (on many threads a caller may arrive after a round
    // ended and rightly start the next one).
    #[tokio::test]
    async fn a_failed_renewal_is_shared_by_everyone_waiting_for_it() {
        let s = gated_session(Behaviour::Refuse(500), 0);
        let results = thousand_callers(&s).await;
        for r in &results {
            let e = r.as_ref().unwrap_err();
            assert_eq!(e.as_provider_error().map(|p| p.http_status), Some(500));
        }
        assert_eq!(calls(&s), 1, "one authentication for the round");
        // The next caller starts a new round (a failure is not cached).
        s.authenticator().gate.add_permits(1);
        let before = calls(&s);
        assert!(s.token().await.is_err());
        assert_eq!(calls(&s), before + 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_hanging_authentication_bounds_every_waiter() {
        let s = session(Behaviour::Hang);
        let started = Instant::now();
        let results = thousand_callers(&s).await;
        for r in results {
            let e = r.unwrap_err();
            assert!(matches!(e, Error::NotSent(_)), "{e}");
            assert_eq!(e.resend(), crate::Resend::Safe);
        }
        // Every caller waited about one wait bound, not one per caller before it.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(calls(&s), 1);
    }

    #[tokio::test]
    async fn a_lost_authentication_answer_means_the_call_was_not_sent() {
        let s = session(Behaviour::Lost);
        let e = s.token().await.unwrap_err();
        assert!(matches!(e, Error::NotSent(_)), "{e}");
    }

    #[tokio::test]
    async fn zero_and_short_lifetimes_bound_the_renewals() {
        for lifetime in [
            Some(Duration::ZERO),
            Some(Duration::from_millis(1)),
            Some(Duration::from_secs(30)),
            Some(Duration::from_secs(60)),
            None,
        ] {
            let s = gated_session(Behaviour::Token(lifetime), 0);
            // One concurrent burst and then sequential calls: the token of the round is
            // used for the call at hand and reused afterwards.
            for r in thousand_callers(&s).await {
                assert_eq!(r.unwrap(), "token-1", "{lifetime:?}");
            }
            for _ in 0..100 {
                assert_eq!(s.token().await.unwrap().expose(), "token-1", "{lifetime:?}");
            }
            assert_eq!(calls(&s), 1, "{lifetime:?}");
        }
    }

    #[test]
    fn freshness_follows_the_lifetime() {
        let margin = Duration::from_secs(60);
        assert!(AccessToken::new("t", None).fresh(margin));
        assert!(AccessToken::new("t", Some(Duration::ZERO)).fresh(margin));
        assert_eq!(AccessToken::new("t", Some(Duration::ZERO)).lifetime(), None);
        assert!(AccessToken::new("t", Some(Duration::from_secs(3600))).fresh(margin));
        assert!(AccessToken::new("t", Some(Duration::from_secs(30))).fresh(margin));
        // Past expiry (clock skew): used until refused.
        assert!(AccessToken::expiring_at_unix("t", 0).fresh(margin));
        let nearly_spent = AccessToken {
            value: SecretString::from("t".to_string()),
            obtained_at: Instant::now().checked_sub(Duration::from_secs(20)).unwrap(),
            lifetime: Some(Duration::from_secs(30)),
        };
        assert!(!nearly_spent.fresh(margin));
    }

    #[tokio::test]
    async fn refusal_reauthenticates_once() {
        let s = session(Behaviour::Token(Some(Duration::from_secs(3600))));
        let attempts = AtomicU32::new(0);
        let result = s
            .call(|t| {
                attempts.fetch_add(1, Ordering::SeqCst);
                let text = t.expose().to_string();
                async move {
                    if text == "token-1" {
                        Err(ProviderError::new("p", "op", 401, "").into())
                    } else {
                        Ok(text)
                    }
                }
            })
            .await;
        assert_eq!(result.unwrap(), "token-2");
        assert_eq!(attempts.load(Ordering::SeqCst), 2);

        // A second refusal is returned, after exactly one more authentication.
        let result: Result<()> = s
            .call(|_| async { Err(ProviderError::new("p", "op", 403, "").into()) })
            .await;
        assert!(matches!(result, Err(Error::Provider(p)) if p.http_status == 403));
        assert_eq!(calls(&s), 3);
    }

    #[test]
    fn debug_never_shows_the_token() {
        let t = AccessToken::new("super-secret-token", None);
        assert!(!format!("{t:?}").contains("super-secret"));
    }
}
