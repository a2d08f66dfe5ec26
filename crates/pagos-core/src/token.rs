//! A shared session token: cached, renewed once when it expires, refreshed once when
//! the provider refuses it.
//!
//! Kashpay and TelePagos authenticate with short-lived bearer tokens. A
//! [`TokenSession`] holds the current token and guarantees:
//! - **reuse**: the token is used until [`TokenSession::refresh_margin`] before it expires;
//! - **single flight**: when many tasks find the token missing or stale at once, exactly
//!   one authentication request is made and the others wait for its result;
//! - **one re-authentication on refusal**: [`TokenSession::call`] retries a call once
//!   with a fresh token after a 401/403, and returns the second refusal as it came.

use std::fmt;
use std::future::Future;
use std::sync::RwLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};

/// A bearer token and when it stops being valid.
#[derive(Clone)]
pub struct AccessToken {
    value: SecretString,
    expires_at: Option<Instant>,
}

impl AccessToken {
    /// A token valid for `lifetime` from now (`None`: until the provider refuses it).
    pub fn new(value: impl Into<String>, lifetime: Option<Duration>) -> Self {
        let now = Instant::now();
        AccessToken {
            value: SecretString::from(value.into()),
            expires_at: lifetime.map(|l| now.checked_add(l).unwrap_or(now)),
        }
    }

    /// A token that expires at a Unix time in seconds (TelePagos `expires_at`).
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
        self.expires_at
            .map(|t| t.saturating_duration_since(Instant::now()))
    }

    fn fresh(&self, margin: Duration) -> bool {
        self.remaining().is_none_or(|r| r > margin)
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
/// let session = TokenSession::new(Fixed);
/// let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// let text = rt.block_on(session.call(|token| {
///     let t = token.expose().to_string();
///     async move { Ok(t) }
/// }))?;
/// assert_eq!(text, "t0k3n");
/// # Ok::<(), pagos_core::Error>(())
/// ```
pub struct TokenSession<A> {
    authenticator: A,
    cached: RwLock<Option<Cached>>,
    refresh: tokio::sync::Mutex<u64>,
    refresh_margin: Duration,
}

impl<A: fmt::Debug> fmt::Debug for TokenSession<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let remaining = self
            .cached
            .read()
            .ok()
            .and_then(|c| c.as_ref().map(|c| c.token.remaining()));
        f.debug_struct("TokenSession")
            .field("authenticator", &self.authenticator)
            .field("has_token", &remaining.is_some())
            .field("remaining", &remaining.flatten())
            .field("refresh_margin", &self.refresh_margin)
            .finish()
    }
}

impl<A: Authenticator> TokenSession<A> {
    /// A session with no token yet and a 60 s refresh margin.
    pub fn new(authenticator: A) -> Self {
        TokenSession {
            authenticator,
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(0),
            refresh_margin: Duration::from_secs(60),
        }
    }

    /// Renews the token this long before it expires (default 60 s).
    #[must_use]
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// The refresh margin.
    pub fn refresh_margin(&self) -> Duration {
        self.refresh_margin
    }

    /// The authenticator.
    pub fn authenticator(&self) -> &A {
        &self.authenticator
    }

    fn current(&self) -> Option<SessionToken> {
        let guard = self.cached.read().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .filter(|c| c.token.fresh(self.refresh_margin))
            .map(|c| SessionToken {
                token: c.token.clone(),
                generation: c.generation,
            })
    }

    /// A fresh token: the cached one, or a new one from a single authentication.
    ///
    /// # Errors
    /// The authenticator's error.
    pub async fn token(&self) -> Result<SessionToken> {
        if let Some(t) = self.current() {
            return Ok(t);
        }
        // Single flight: whoever holds the lock authenticates; the rest find the new
        // token when they get the lock.
        let mut generation = self.refresh.lock().await;
        if let Some(t) = self.current() {
            return Ok(t);
        }
        let token = self.authenticator.authenticate().await?;
        *generation += 1;
        let cached = Cached {
            token: token.clone(),
            generation: *generation,
        };
        *self.cached.write().unwrap_or_else(|p| p.into_inner()) = Some(cached);
        Ok(SessionToken {
            token,
            generation: *generation,
        })
    }

    /// Forgets `token` if it is still the current one, so the next call authenticates.
    /// A newer token obtained meanwhile by another task is kept.
    pub fn invalidate(&self, token: &SessionToken) {
        let mut guard = self.cached.write().unwrap_or_else(|p| p.into_inner());
        if guard
            .as_ref()
            .is_some_and(|c| c.generation == token.generation)
        {
            *guard = None;
        }
    }

    /// Runs `call` with a fresh token; after a 401/403 ([`crate::ProviderError::is_unauthorized`])
    /// authenticates again once and runs it once more.
    ///
    /// # Errors
    /// The call's error, or the authenticator's; a second refusal is returned as is.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProviderError;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(Debug)]
    struct Counting {
        calls: AtomicU32,
        lifetime: Duration,
    }

    #[async_trait]
    impl Authenticator for Counting {
        async fn authenticate(&self) -> Result<AccessToken> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::task::yield_now().await;
            Ok(AccessToken::new(format!("token-{n}"), Some(self.lifetime)))
        }
    }

    fn session(lifetime: Duration) -> Arc<TokenSession<Counting>> {
        Arc::new(
            TokenSession::new(Counting {
                calls: AtomicU32::new(0),
                lifetime,
            })
            .with_refresh_margin(Duration::from_secs(1)),
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_authentication() {
        let s = session(Duration::from_secs(3600));
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                let s = s.clone();
                tokio::spawn(async move { s.token().await.map(|t| t.expose().to_string()) })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), "token-1");
        }
        assert_eq!(s.authenticator().calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_token_inside_the_margin_is_renewed() {
        // Lifetime shorter than the margin: every call sees it stale.
        let s = session(Duration::from_millis(500));
        assert_eq!(s.token().await.unwrap().expose(), "token-1");
        assert_eq!(s.token().await.unwrap().expose(), "token-2");
    }

    #[tokio::test]
    async fn refusal_reauthenticates_once() {
        let s = session(Duration::from_secs(3600));
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
        assert_eq!(s.authenticator().calls.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn debug_never_shows_the_token() {
        let t = AccessToken::new("super-secret-token", None);
        assert!(!format!("{t:?}").contains("super-secret"));
    }
}
