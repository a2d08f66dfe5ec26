//! Transport behaviour against a scripted loopback HTTP server: which failures are
//! retried, how many attempts are made, and which error family comes back.

use std::time::Duration;

use pagos_core::transport::{Method, Request};
use pagos_core::{Error, ErrorKind, Resend, RetryPolicy, Transport, UnknownCause};
use pagos_test_support::server::{HostileServer, Recorded, Reply};

/// The shared test server, answering every request from one script in order (the
/// last reply repeats), whatever its path.
struct Script {
    server: HostileServer,
}

impl Script {
    async fn start(replies: Vec<Reply>) -> Script {
        let server = HostileServer::start().await;
        server.fallback(replies);
        Script { server }
    }

    fn url(&self, path: &str) -> url::Url {
        url::Url::parse(&self.server.url(path)).unwrap()
    }

    /// How many requests arrived.
    fn hits(&self) -> usize {
        self.server.total()
    }

    /// The requests, oldest first.
    fn requests(&self) -> Vec<Recorded> {
        self.server.log()
    }
}

/// An answer with these headers and body.
fn status(code: u16, headers: Vec<(&str, String)>, body: &str) -> Reply {
    headers
        .into_iter()
        .fold(Reply::status(code, body), |r, (k, v)| r.header(k, &v))
}

/// Announces a longer body than is sent, then closes.
fn truncated() -> Reply {
    Reply::Truncated {
        declared: 100,
        body: br#"{"id":"#.to_vec(),
    }
}

fn transport(attempts: u32) -> Transport {
    Transport::builder()
        .timeout(Duration::from_millis(500))
        .retry(
            RetryPolicy::attempts(attempts)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
                .with_max_retry_after(Duration::from_secs(2)),
        )
        .build()
        .unwrap()
}

fn ok() -> Reply {
    status(200, vec![], r#"{"ok":true}"#)
}

#[tokio::test]
async fn get_is_retried_after_503_and_succeeds() {
    let s = Script::start(vec![status(503, vec![], "busy"), ok()]).await;
    let resp = transport(3)
        .send("test", Request::new(Method::GET, s.url("/x"), "get"))
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.attempts, 2);
    assert_eq!(s.hits(), 2);
}

#[tokio::test]
async fn retries_are_bounded_and_the_last_answer_is_returned() {
    let s = Script::start(vec![status(502, vec![], "")]).await;
    let resp = transport(3)
        .send("test", Request::new(Method::GET, s.url("/x"), "get"))
        .await
        .unwrap();
    assert_eq!((resp.status, resp.attempts), (502, 3));
    assert_eq!(s.hits(), 3);
}

#[tokio::test]
async fn post_without_idempotency_reference_is_sent_once() {
    for reply in [status(503, vec![], "busy"), Reply::Drop, truncated()] {
        let s = Script::start(vec![reply, ok()]).await;
        let result = transport(3)
            .send(
                "test",
                Request::new(Method::POST, s.url("/pay"), "create_payment").form(&[("a", "1")]),
            )
            .await;
        assert_eq!(s.hits(), 1, "{result:?}");
    }
}

#[tokio::test]
async fn idempotent_post_is_retried_with_identical_bytes() {
    let s = Script::start(vec![status(503, vec![], "busy"), ok()]).await;
    let req = Request::new(Method::POST, s.url("/cashout"), "create_payout")
        .json(&serde_json::json!({"reference_id": "r-1", "amount": "10.50"}))
        .unwrap()
        .idempotent();
    let resp = transport(3).send("test", req).await.unwrap();
    assert_eq!(resp.status, 200);
    let reqs = s.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].body, reqs[1].body);
    assert_eq!(reqs[0].headers, reqs[1].headers);
    assert_eq!(reqs[0].target, reqs[1].target);
}

#[tokio::test]
async fn retry_after_is_honoured_and_long_waits_end_the_retries() {
    let s = Script::start(vec![
        status(429, vec![("retry-after", "0".into())], ""),
        ok(),
    ])
    .await;
    let resp = transport(3)
        .send("test", Request::new(Method::GET, s.url("/x"), "get"))
        .await
        .unwrap();
    assert_eq!((resp.status, resp.attempts), (200, 2));

    let s = Script::start(vec![status(429, vec![("retry-after", "3600".into())], "")]).await;
    let resp = transport(3)
        .send("test", Request::new(Method::GET, s.url("/x"), "get"))
        .await
        .unwrap();
    assert_eq!((resp.status, resp.attempts), (429, 1));
}

#[tokio::test]
async fn connection_refused_is_not_sent_and_retried() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = url::Url::parse(&format!("http://{addr}/x")).unwrap();
    let err = transport(2)
        .send("test", Request::new(Method::POST, url, "create_payment"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotSent);
    assert_eq!(err.attempts(), Some(2));
}

#[tokio::test]
async fn lost_connection_and_timeout_are_outcome_unknown() {
    let s = Script::start(vec![Reply::Drop]).await;
    let err = transport(1)
        .send(
            "test",
            Request::new(Method::POST, s.url("/x"), "create_payment"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown(u) if u.cause == UnknownCause::ConnectionLost),
        "{err:?}"
    );

    let s = Script::start(vec![Reply::Hang]).await;
    let err = transport(2)
        .send("test", Request::new(Method::GET, s.url("/x"), "get"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown(u) if u.cause == UnknownCause::Timeout && u.attempts == 2),
        "{err:?}"
    );

    let s = Script::start(vec![truncated()]).await;
    let err = transport(1)
        .send("test", Request::new(Method::GET, s.url("/x"), "get"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown(u) if u.http_status == Some(200)),
        "{err:?}"
    );
}

#[tokio::test]
async fn user_agent_and_headers_are_sent() {
    let s = Script::start(vec![ok()]).await;
    let t = Transport::builder()
        .user_agent_suffix("shop/1.0")
        .build()
        .unwrap();
    let req = Request::new(Method::GET, s.url("/x"), "get")
        .sensitive_header("authorization", "Basic c2VjcmV0Og==")
        .unwrap();
    t.send("test", req).await.unwrap();
    let raw: String = s.requests()[0]
        .headers
        .iter()
        .map(|(k, v)| format!("{k}: {}\n", v.to_ascii_lowercase()))
        .collect();
    assert!(raw.contains(&format!(
        "user-agent: pagos/{} shop/1.0",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(raw.contains("authorization: basic c2vjcmv0og=="));
}

#[tokio::test]
async fn undecodable_success_keeps_the_raw_body() {
    let s = Script::start(vec![status(200, vec![], "<html>oops</html>")]).await;
    let resp = transport(1)
        .send("test", Request::new(Method::GET, s.url("/x"), "get"))
        .await
        .unwrap();
    let err = resp.json::<serde_json::Value>().unwrap_err();
    match err {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::UndecodableResponse);
            assert_eq!(u.raw_body.as_deref(), Some("<html>oops</html>"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn delete_and_put_are_sent_once_after_they_may_have_arrived() {
    for method in [Method::DELETE, Method::PUT, Method::PATCH] {
        for reply in [status(503, vec![], "busy"), Reply::Drop] {
            let s = Script::start(vec![reply, ok()]).await;
            let result = transport(3)
                .send(
                    "test",
                    Request::new(method.clone(), s.url("/invoices/1"), "void"),
                )
                .await;
            assert_eq!(s.hits(), 1, "{method} {result:?}");
        }
    }
}

#[tokio::test]
async fn a_5xx_to_a_create_is_an_unknown_outcome_with_what_the_provider_said() {
    let s = Script::start(vec![status(
        504,
        vec![],
        "<html><body>504 Gateway Time-out</body></html>",
    )])
    .await;
    let response = transport(3)
        .send(
            "test",
            Request::new(Method::POST, s.url("/payments"), "create_payment"),
        )
        .await
        .unwrap();
    assert_eq!(s.hits(), 1);
    let err = response.refusal(response.provider_error());
    assert_eq!(err.resend(), Resend::AfterLookup);
    match &err {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::ServerError);
            assert_eq!(u.http_status, Some(504));
            assert!(u.raw_body.as_deref().unwrap().contains("Gateway"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_keyed_retry_refused_after_an_unknown_attempt_is_not_a_plain_refusal() {
    // The first attempt timed out (it may have paid); the retry is refused.
    for first in [Reply::Hang, Reply::Drop, status(502, vec![], "")] {
        let s = Script::start(vec![
            first,
            status(409, vec![], r#"{"status":"error","message":"duplicado"}"#),
        ])
        .await;
        let req = Request::new(Method::POST, s.url("/cashout"), "create_payout")
            .json(&serde_json::json!({"reference_id": "r-1"}))
            .unwrap()
            .idempotent();
        let response = transport(2).send("test", req).await.unwrap();
        assert_eq!(response.status, 409);
        assert!(response.earlier_attempt_unknown());
        let err = response.refusal(response.provider_error());
        match &err {
            Error::OutcomeUnknown(u) => {
                assert_eq!(u.cause, UnknownCause::EarlierAttemptUnknown);
                assert_eq!(u.http_status, Some(409));
                assert_eq!(u.attempts, 2);
            }
            other => panic!("{other:?}"),
        }
        // Keyed: sending the identical request again stays safe.
        assert_eq!(err.resend(), Resend::Safe);
    }
    // A 429 first is a definite refusal: the retry's answer is read as it is.
    let s = Script::start(vec![
        status(429, vec![("retry-after", "0".into())], ""),
        status(409, vec![], "{}"),
    ])
    .await;
    let req = Request::new(Method::POST, s.url("/cashout"), "create_payout").idempotent();
    let response = transport(2).send("test", req).await.unwrap();
    assert!(!response.earlier_attempt_unknown());
    assert!(matches!(
        response.refusal(response.provider_error()),
        Error::Provider(_)
    ));
}

#[tokio::test]
async fn a_keyed_request_that_could_not_connect_after_an_unknown_attempt_is_unknown() {
    // First attempt: answered 503 (may have acted). The listener then goes away, so the
    // second attempt cannot connect: "not sent" would be a lie about the first one.
    let s = Script::start(vec![status(503, vec![], "busy").then_stop_listening()]).await;
    let req = Request::new(Method::POST, s.url("/cashout"), "create_payout").idempotent();
    let err = transport(2).send("test", req).await.unwrap_err();
    // Refused outright (EarlierAttemptUnknown) or, if the retry raced the listener's
    // close, answered 503 again (EarlierAttemptUnknown) or reset (ConnectionLost): either way never "not sent".
    match &err {
        Error::OutcomeUnknown(u) => assert!(
            matches!(
                u.cause,
                UnknownCause::EarlierAttemptUnknown | UnknownCause::ConnectionLost
            ),
            "{u:?}"
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn answers_past_the_size_limit_are_not_read() {
    let big: &'static str = Box::leak("x".repeat(64 * 1024).into_boxed_str());
    let s = Script::start(vec![status(200, vec![], big)]).await;
    let t = Transport::builder()
        .max_response_bytes(1024)
        .retry(RetryPolicy::attempts(3))
        .build()
        .unwrap();
    let err = t
        .send("test", Request::new(Method::GET, s.url("/x"), "get"))
        .await
        .unwrap_err();
    match &err {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::ResponseTooLarge);
            assert_eq!(u.http_status, Some(200));
        }
        other => panic!("{other:?}"),
    }
    // A read: asking again is safe, but the transport does not (it would be as long
    // again). Exactly at the limit is accepted.
    assert_eq!(err.resend(), Resend::Safe);
    assert_eq!(s.hits(), 1);
    let s = Script::start(vec![status(200, vec![], &big[..1024])]).await;
    let t = Transport::builder()
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let resp = t
        .send("test", Request::new(Method::GET, s.url("/x"), "get"))
        .await
        .unwrap();
    assert_eq!(resp.body.len(), 1024);
}

#[tokio::test]
async fn a_refusal_beyond_the_retry_after_ceiling_carries_the_advised_wait() {
    let s = Script::start(vec![status(503, vec![("retry-after", "3600".into())], "")]).await;
    let resp = transport(3)
        .send("test", Request::new(Method::GET, s.url("/x"), "get"))
        .await
        .unwrap();
    assert_eq!(s.hits(), 1);
    let err = resp.refusal(resp.provider_error());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(err.resend(), Resend::Safe);

    // To a create, the same answer is an unknown outcome that still carries the wait.
    let s = Script::start(vec![status(503, vec![("retry-after", "120".into())], "")]).await;
    let resp = transport(3)
        .send("test", Request::new(Method::POST, s.url("/x"), "create"))
        .await
        .unwrap();
    let err = resp.refusal(resp.provider_error());
    assert!(matches!(err, Error::OutcomeUnknown(_)), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
}

#[test]
fn proxy_urls_are_checked_and_never_echoed() {
    for bad in ["not a url", "ftp://user:hunter2@proxy:21", "user:hunter2"] {
        let err = Transport::builder().proxy(bad).build().unwrap_err();
        assert!(
            matches!(&err, Error::Config(c) if c.setting() == "proxy"),
            "{err}"
        );
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
    let t = Transport::builder()
        .proxy("http://user:hunter2@127.0.0.1:3128")
        .build()
        .unwrap();
    assert!(!format!("{t:?}").contains("hunter2"));
}

#[tokio::test]
async fn a_url_the_client_cannot_send_is_not_sent() {
    // A 100 KiB path: hyper refuses to write it, so nothing left this process.
    let s = Script::start(vec![ok()]).await;
    let long = "a".repeat(100 * 1024);
    let err = transport(1)
        .send(
            "test",
            Request::new(Method::POST, s.url(&format!("/x/{long}")), "create_payment"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotSent, "{err:?}");
    assert_eq!(s.hits(), 0);
}
