//! The transport around any `HttpSend`: its timeout, size limit and retry rule hold
//! whatever the sender does.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use pagos_core::transport::{HttpAnswer, HttpSend, Method, Request, SendError};
use pagos_core::{Error, RetryPolicy, Transport, UnknownCause, async_trait};
use url::Url;

/// A sender that does what its script says and counts the attempts.
#[derive(Debug, Clone)]
struct Scripted {
    script: fn(u32) -> Option<Result<HttpAnswer, SendError>>,
    attempts: Arc<AtomicU32>,
}

#[async_trait]
impl HttpSend for Scripted {
    async fn send(&self, _request: &Request, _limit: usize) -> Result<HttpAnswer, SendError> {
        let n = self.attempts.fetch_add(1, Ordering::SeqCst) + 1;
        match (self.script)(n) {
            Some(outcome) => outcome,
            // Never answers: only the transport's timeout ends this attempt.
            None => std::future::pending().await,
        }
    }
}

fn transport(
    script: fn(u32) -> Option<Result<HttpAnswer, SendError>>,
) -> (Transport, Arc<AtomicU32>) {
    let attempts = Arc::new(AtomicU32::new(0));
    let t = Transport::builder()
        .sender(Scripted {
            script,
            attempts: attempts.clone(),
        })
        .timeout(Duration::from_secs(5))
        .retry(
            RetryPolicy::attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
        )
        .max_response_bytes(1024)
        .build()
        .unwrap();
    (t, attempts)
}

fn get() -> Request {
    Request::new(
        Method::GET,
        Url::parse("https://x.example/v1/things").unwrap(),
        "get_thing",
    )
}

fn create() -> Request {
    Request::new(
        Method::POST,
        Url::parse("https://x.example/v1/things").unwrap(),
        "create_thing",
    )
}

#[tokio::test(start_paused = true)]
async fn a_sender_that_never_answers_is_cut_off_by_the_transport_timeout() {
    let (t, attempts) = transport(|_| None);
    let err = t.send("x", create()).await.unwrap_err();
    let Error::OutcomeUnknown(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.cause, UnknownCause::Timeout);
    // A create that may have reached the provider is not sent again.
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn a_read_is_retried_after_a_hanging_attempt() {
    let (t, attempts) = transport(|n| (n > 1).then(|| Ok(HttpAnswer::new(200, "{}"))));
    let response = t.send("x", get()).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.attempts, 2);
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_answer_past_the_limit_is_refused_even_if_the_sender_ignored_it() {
    let (t, attempts) = transport(|_| Some(Ok(HttpAnswer::new(200, vec![b' '; 4096]))));
    let err = t.send("x", get()).await.unwrap_err();
    let Error::OutcomeUnknown(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.cause, UnknownCause::ResponseTooLarge);
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        1,
        "an oversized answer is not fetched again"
    );
}

#[tokio::test]
async fn not_sent_is_retried_and_reported_as_not_sent() {
    let (t, attempts) = transport(|_| Some(Err(SendError::not_sent("connection refused"))));
    let err = t.send("x", create()).await.unwrap_err();
    assert!(matches!(err, Error::NotSent(_)), "{err:?}");
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_lost_create_is_unknown_and_sent_once() {
    let (t, attempts) = transport(|_| Some(Err(SendError::connection_lost("reset by peer"))));
    let err = t.send("x", create()).await.unwrap_err();
    let Error::OutcomeUnknown(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.cause, UnknownCause::ConnectionLost);
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_sender_message_never_carries_the_url() {
    let (t, _) = transport(|_| {
        Some(Err(SendError::connection_lost(
            "error sending request for url (https://x.example/v1/things?token=s3cr3t)",
        )))
    });
    let err = t.send("x", create()).await.unwrap_err();
    assert!(!format!("{err} {err:?}").contains("s3cr3t"), "{err:?}");
}
