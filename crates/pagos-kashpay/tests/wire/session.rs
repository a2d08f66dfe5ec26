//! The token session, through a real socket: one authentication shared by every
//! caller, reused between calls, renewed once after Kashpay refuses it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use httpmock::{HttpMockRequest, HttpMockResponse, Method::POST, MockServer};
use pagos_core::Error;

use super::*;

#[tokio::test]
async fn the_session_authenticates_through_the_auth_host() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let client = client(&server);
    let token = client.session().token().await.unwrap();
    auth.assert_async().await;
    assert_eq!(token.expose(), JWT);
    assert_eq!(client.session().authentications(), 1);
}

#[tokio::test]
async fn a_refused_authentication_sends_no_order() {
    let server = MockServer::start_async().await;
    let answer = r#"{"success":false,"error":{"name":"AuthenticationException","message":"Credenciales invalidas","code":401}}"#;
    let auth = auth_mock(&server, answer).await;
    let orders = order_mock(&server, JWT, 200, ORDER_OK).await;
    let err = client(&server)
        .orders()
        .create(&full_order())
        .await
        .unwrap_err();
    let p = provider_error(&err);
    assert_eq!(p.operation, "authenticate");
    assert_eq!(p.http_status, 200);
    assert_eq!(p.code.as_deref(), Some("401"));
    assert_eq!(p.message, "AuthenticationException: Credenciales invalidas");
    auth.assert_calls_async(1).await;
    orders.assert_calls_async(0).await;
}

#[tokio::test]
async fn an_undecodable_authentication_means_the_call_was_not_sent() {
    let server = MockServer::start_async().await;
    // A token, but the envelope has the wrong shape: the body must not reach the error.
    let answer = r#"{"success":true,"authenticationResponse":"secret-token-value"}"#;
    auth_mock(&server, answer).await;
    let err = client(&server).session().token().await.unwrap_err();
    // Without a token the caller's own request never left.
    assert!(matches!(&err, Error::NotSent(_)), "unexpected {err:?}");
    assert!(!format!("{err:?} {err}").contains("secret-token-value"));
}

#[tokio::test]
async fn token_is_reused_between_calls() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 200, ORDER_OK).await;
    let client = client(&server);
    client.orders().create(&full_order()).await.unwrap();
    client.orders().create(&full_order()).await.unwrap();
    auth.assert_calls_async(1).await;
    orders.assert_calls_async(2).await;
}

async fn concurrent_orders(client: &KashpayClient, n: usize) {
    let order = Arc::new(full_order());
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (client, order) = (client.clone(), order.clone());
            tokio::spawn(async move { client.orders().create(&order).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_without_a_token_authenticate_once() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 200, ORDER_OK).await;
    let client = client(&server);
    concurrent_orders(&client, 200).await;
    auth.assert_calls_async(1).await;
    orders.assert_calls_async(200).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_with_a_refused_token_authenticate_once() {
    let server = MockServer::start_async().await;
    // `expires` 0: no usable lifetime, so the token is used until Kashpay refuses it.
    let short = r#"{"success":true,"authenticationResponse":{"token":"old-token","expires":"0"}}"#;
    let first_auth = auth_mock(&server, short).await;
    let mut old_orders = order_mock(&server, "old-token", 200, ORDER_OK).await;
    let client = client(&server);
    for _ in 0..20 {
        client.orders().create(&full_order()).await.unwrap();
    }
    // `expires` 0 must not renew per call.
    first_auth.assert_calls_async(1).await;
    old_orders.assert_calls_async(20).await;
    first_auth.delete_async().await;
    old_orders.delete_async().await;

    // Now Kashpay refuses the old token: 200 callers share one re-authentication.
    old_orders = order_mock(
        &server,
        "old-token",
        401,
        r#"{"success":false,"error":{"name":"Unauthorized","message":"token expirado","code":401}}"#,
    )
    .await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 200, ORDER_OK).await;
    concurrent_orders(&client, 200).await;
    auth.assert_calls_async(1).await;
    orders.assert_calls_async(200).await;
    // At least one caller sent the old token (how many depends on the interleaving).
    assert!(old_orders.calls_async().await >= 1);
}

#[tokio::test]
async fn a_refused_token_is_renewed_once_and_the_order_retried_once() {
    let server = MockServer::start_async().await;
    let issued = Arc::new(AtomicU32::new(0));
    let counter = issued.clone();
    let auth = server
        .mock_async(move |when, then| {
            when.method(POST).path(AUTH_PATH).body(AUTH_BODY);
            then.respond_with(move |_req: &HttpMockRequest| {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                HttpMockResponse::builder()
                    .status(200)
                    .body(format!(
                        r#"{{"success":true,"authenticationResponse":{{"token":"token-{n}","expires":"5975999"}}}}"#
                    ))
                    .build()
            });
        })
        .await;
    let refused = order_mock(
        &server,
        "token-1",
        401,
        r#"{"status":401,"error":"Unauthorized","path":"/OKPay/createOrder"}"#,
    )
    .await;
    let accepted = order_mock(&server, "token-2", 200, ORDER_OK).await;

    let order = client(&server)
        .orders()
        .create(&full_order())
        .await
        .unwrap();
    assert_eq!(order.id, "13699");
    auth.assert_calls_async(2).await;
    refused.assert_calls_async(1).await;
    accepted.assert_calls_async(1).await;
    assert_eq!(issued.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_retry_after_a_refused_token_sends_the_same_body() {
    let server = MockServer::start_async().await;
    let issued = Arc::new(AtomicU32::new(0));
    let counter = issued.clone();
    server
        .mock_async(move |when, then| {
            when.method(POST).path(AUTH_PATH);
            then.respond_with(move |_req: &HttpMockRequest| {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                HttpMockResponse::builder()
                    .status(200)
                    .body(format!(
                        r#"{{"success":true,"authenticationResponse":{{"token":"token-{n}"}}}}"#
                    ))
                    .build()
            });
        })
        .await;
    let bodies = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = bodies.clone();
    let orders = server
        .mock_async(move |when, then| {
            when.method(POST).path(ORDER_PATH);
            then.respond_with(move |req: &HttpMockRequest| {
                let mut seen = sink.lock().unwrap();
                seen.push(req.body_string());
                let status = if seen.len() == 1 { 401 } else { 200 };
                HttpMockResponse::builder()
                    .status(status)
                    .body(ORDER_OK)
                    .build()
            });
        })
        .await;
    // No dateTransaction: today's date is written once, when the request is described.
    let order = OrderRequest::builder(TransactionType::SpeiOut, mxn("250"))
        .beneficiary(AccountType::Clabe, "032180000118359719", "Florentino Eter")
        .concept("Deposito Maria")
        .numeric_reference(43223123)
        .alphanumeric_reference("PROVV0011712091")
        .build()
        .unwrap();
    client(&server).orders().create(&order).await.unwrap();
    orders.assert_calls_async(2).await;
    let bodies = bodies.lock().unwrap();
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn a_second_refusal_is_returned_without_a_third_attempt() {
    for status in [401, 403] {
        let server = MockServer::start_async().await;
        let auth = auth_mock(&server, AUTH_OK).await;
        let orders = order_mock(&server, JWT, status, "").await;
        let err = client(&server)
            .orders()
            .create(&full_order())
            .await
            .unwrap_err();
        let p = provider_error(&err);
        assert!(p.is_unauthorized());
        assert_eq!(p.http_status, status);
        assert_eq!(p.operation, "create_order");
        assert!(p.message.contains("refused"), "{}", p.message);
        auth.assert_calls_async(2).await;
        orders.assert_calls_async(2).await;
    }
}

#[tokio::test]
async fn debug_and_errors_never_show_the_password_or_token() {
    let server = MockServer::start_async().await;
    auth_mock(&server, AUTH_OK).await;
    let refused = order_mock(&server, JWT, 401, r#"{"success":false,"error":{"name":"Unauthorized","message":"token invalido","code":401}}"#).await;
    let builder = builder();
    assert!(!format!("{builder:?}").contains(PASSWORD));
    let client = client(&server);

    // A token is cached after this call (it failed with the order refusal, not the token's).
    let err = client.orders().create(&full_order()).await.unwrap_err();
    refused.assert_calls_async(2).await;
    let _ = client.session().token().await.unwrap();

    let texts = [
        format!("{client:?}"),
        format!("{:?}", client.session()),
        format!("{:?}", client.session().authenticator()),
        format!("{:?}", client.session().authenticator().credentials()),
        format!("{:?}", client.executor()),
        format!("{:?}", client.session().token().await.unwrap()),
        format!("{err:?}"),
        err.to_string(),
    ];
    for text in texts {
        assert!(!text.contains(PASSWORD), "{text}");
        assert!(!text.contains(JWT), "{text}");
        assert!(!text.contains(&JWT[..40]), "{text}");
    }
    assert!(format!("{client:?}").contains("[REDACTED]"));
    assert!(format!("{:?}", client.session()).contains("has_token: true"));
}
