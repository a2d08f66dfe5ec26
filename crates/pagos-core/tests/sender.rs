//! The transport around any `HttpSend`: its timeout, size limit and retry rule hold
//! whatever the sender does.

use pagos_core::transport::{HttpAnswer, Method, Request, SendError};
use pagos_core::{Error, Transport, UnknownCause};
use pagos_test_support::wire::{Recorder, scripted, transport_builder};
use url::Url;

/// A transport whose sender does what `script` says for each attempt (counted from 1;
/// `None` never answers, so only the transport's timeout ends that attempt), and the
/// sender, which counts the attempts. Three attempts, a five-second timeout, 1 KiB
/// answers at most.
fn transport(script: fn(u32) -> Option<Result<HttpAnswer, SendError>>) -> (Transport, Recorder) {
    let sender = scripted(move |_, attempt| script(attempt));
    let t = transport_builder()
        .sender(sender.clone())
        .max_response_bytes(1024)
        .build()
        .unwrap();
    (t, sender)
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
    assert_eq!(attempts.calls(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_read_is_retried_after_a_hanging_attempt() {
    let (t, attempts) = transport(|n| (n > 1).then(|| Ok(HttpAnswer::new(200, "{}"))));
    let response = t.send("x", get()).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.attempts, 2);
    assert_eq!(attempts.calls(), 2);
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
        attempts.calls(),
        1,
        "an oversized answer is not fetched again"
    );
}

#[tokio::test]
async fn not_sent_is_retried_and_reported_as_not_sent() {
    let (t, attempts) = transport(|_| Some(Err(SendError::not_sent("connection refused"))));
    let err = t.send("x", create()).await.unwrap_err();
    assert!(matches!(err, Error::NotSent(_)), "{err:?}");
    assert_eq!(attempts.calls(), 3);
}

#[tokio::test]
async fn a_lost_create_is_unknown_and_sent_once() {
    let (t, attempts) = transport(|_| Some(Err(SendError::connection_lost("reset by peer"))));
    let err = t.send("x", create()).await.unwrap_err();
    let Error::OutcomeUnknown(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.cause, UnknownCause::ConnectionLost);
    assert_eq!(attempts.calls(), 1);
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
