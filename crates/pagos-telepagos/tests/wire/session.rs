//! The token session, through a real socket: `POST v2/auth/token` once, the token
//! reused, one authentication for concurrent calls, one renewal after 401/403.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse, Mock};
use pagos_core::Error;

use crate::mock::{auth, auth_answering, client, get, path};
use crate::{BALANCE, JSON, PASSWORD, Script, TOKEN, USERNAME, provider_error};

#[tokio::test]
async fn auth_token_is_requested_once_and_reused() {
    let server = MockServer::start_async().await;
    let auth = auth(&server).await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let c = client(&server);
    c.account().balance().await.unwrap();
    c.account().balance().await.unwrap();
    c.clone().account().balance().await.unwrap();
    auth.assert_calls_async(1).await;
    balance.assert_calls_async(3).await;
    assert_eq!(c.session().authentications(), 1);
}

#[tokio::test]
async fn auth_expires_at_as_text_is_read_and_reused() {
    let server = MockServer::start_async().await;
    let auth = auth_answering(
        &server,
        200,
        r#"{"status":"ok","token":"tok-123","expires_at":"2100-01-01 00:00:00"}"#,
    )
    .await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let c = client(&server);
    c.account().balance().await.unwrap();
    c.account().balance().await.unwrap();
    auth.assert_calls_async(1).await;
    balance.assert_calls_async(2).await;
}

#[tokio::test]
async fn auth_expiry_in_the_past_does_not_authenticate_every_call() {
    // A clock or zone mismatch: the token is used until TelePagos refuses it.
    let server = MockServer::start_async().await;
    let auth = auth_answering(
        &server,
        200,
        r#"{"status":"ok","token":"tok-123","expires_at":1000000000}"#,
    )
    .await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let c = client(&server);
    c.account().balance().await.unwrap();
    c.account().balance().await.unwrap();
    auth.assert_calls_async(1).await;
    balance.assert_calls_async(2).await;
}

#[tokio::test]
async fn auth_error_envelope_with_200_is_a_provider_error_and_nothing_else_is_sent() {
    let server = MockServer::start_async().await;
    let auth = auth_answering(
        &server,
        200,
        r#"{"status":"error","message":"Credenciales inválidas"}"#,
    )
    .await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let err = client(&server).account().balance().await.unwrap_err();
    let p = provider_error(err);
    assert_eq!(p.http_status, 200);
    assert_eq!(p.operation, "authenticate");
    assert_eq!(p.message, "Credenciales inválidas");
    auth.assert_calls_async(1).await;
    balance.assert_calls_async(0).await;
}

#[tokio::test]
async fn auth_answer_without_token_means_the_call_was_not_sent() {
    let server = MockServer::start_async().await;
    auth_answering(&server, 200, r#"{"status":"ok"}"#).await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let err = client(&server).account().balance().await.unwrap_err();
    // No token, so the balance request never left: safe to send again.
    assert!(matches!(err, Error::NotSent(_)), "{err:?}");
    assert_eq!(err.resend(), pagos_core::Resend::Safe);
    balance.assert_calls_async(0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_calls_share_one_authentication() {
    let server = MockServer::start_async().await;
    let auth = auth(&server).await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let c = client(&server);
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.account().balance().await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().amount.to_string(), "150000");
    }
    auth.assert_calls_async(1).await;
    balance.assert_calls_async(200).await;
}

/// An auth endpoint answering `tok-1`, `tok-2`, ... in turn.
async fn counting_auth(server: &MockServer) -> Mock<'_> {
    let n = Arc::new(AtomicUsize::new(0));
    server
        .mock_async(move |when, then| {
            when.method(POST).path(path("auth/token"));
            then.respond_with(move |_req: &HttpMockRequest| {
                let i = n.fetch_add(1, Ordering::SeqCst) + 1;
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", JSON)
                    .body(format!(
                        r#"{{"status":"ok","token":"tok-{i}","expires_at":4102444800}}"#
                    ))
                    .build()
            });
        })
        .await
}

#[tokio::test]
async fn refused_token_is_renewed_once_and_the_call_repeated() {
    let server = MockServer::start_async().await;
    let auth = counting_auth(&server).await;
    let refused = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("account/balance"))
                .header("authorization", "Bearer tok-1");
            then.status(401)
                .header("content-type", JSON)
                .body(r#"{"status":"error","message":"Unauthenticated."}"#);
        })
        .await;
    let accepted = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("account/balance"))
                .header("authorization", "Bearer tok-2");
            then.status(200).header("content-type", JSON).body(BALANCE);
        })
        .await;
    let c = client(&server);
    assert_eq!(
        c.account().balance().await.unwrap().amount.to_string(),
        "150000"
    );
    auth.assert_calls_async(2).await;
    refused.assert_calls_async(1).await;
    accepted.assert_calls_async(1).await;
    // The renewed token is kept.
    c.account().balance().await.unwrap();
    auth.assert_calls_async(2).await;
    accepted.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_second_refusal_is_returned_after_one_renewal() {
    let server = MockServer::start_async().await;
    let auth = counting_auth(&server).await;
    let refused = server
        .mock_async(|when, then| {
            when.method(GET).path(path("account/balance"));
            then.status(403)
                .header("content-type", JSON)
                .body(r#"{"status":"error","message":"Forbidden"}"#);
        })
        .await;
    let err = client(&server).account().balance().await.unwrap_err();
    let p = provider_error(err);
    assert_eq!(p.http_status, 403);
    assert_eq!(p.message, "Forbidden");
    auth.assert_calls_async(2).await;
    refused.assert_calls_async(2).await;
}

/// No socket needed: the client's and the errors' texts, before and after a token.
#[tokio::test]
async fn debug_and_errors_never_show_the_password_or_token() {
    let script = Script::new();
    script
        .answer("GET", "account/balance", 200, BALANCE)
        .answer(
            "GET",
            "payment/concepts",
            401,
            r#"{"status":"error","message":"Unauthenticated."}"#,
        );
    let c = &script.client;
    let before = format!("{c:?}");
    c.account().balance().await.unwrap();
    let after = format!("{c:?}");
    let err = c.cashouts().concepts().await.unwrap_err();
    // The refused token was renewed once, and the second refusal returned.
    assert_eq!(script.sent_to("POST", "auth/token").len(), 2);
    assert_eq!(script.sent_to("GET", "payment/concepts").len(), 2);
    let executor = format!("{:?}", c.executor());
    for text in [before, after, executor, format!("{err:?}"), err.to_string()] {
        assert!(!text.contains(PASSWORD), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
    }
    assert!(format!("{c:?}").contains("[REDACTED]"));
    let builder = pagos_telepagos::Client::builder()
        .username(USERNAME)
        .password(PASSWORD);
    assert!(!format!("{builder:?}").contains(PASSWORD));
}
