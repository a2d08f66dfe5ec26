//! `POST v2/auth/token` ([`Authenticate`]), described and read without a socket.

use pagos_core::endpoint::{Endpoint, describe};
use pagos_core::transport::Idempotency;
use pagos_core::{BaseUrl, Error, Response};
use pagos_telepagos::PROVIDER;
use pagos_telepagos::auth::Authenticate;

use crate::{
    AUTH_TOKEN, BALANCE, JSON, OFFLINE_BASE, PASSWORD, Script, TOKEN, USERNAME, parse,
    provider_error, refused,
};

#[test]
fn the_token_request_carries_the_credentials_and_no_authorization() {
    let endpoint = Authenticate::new(USERNAME, PASSWORD);
    let request = describe(&endpoint, &BaseUrl::parse(OFFLINE_BASE).unwrap()).unwrap();
    assert_eq!(request.method().as_str(), "POST");
    assert_eq!(request.url().path(), "/v2/auth/token");
    assert_eq!(request.url().query(), None);
    assert_eq!(request.header_str("content-type"), Some(JSON));
    assert_eq!(request.header_str("authorization"), None);
    assert_eq!(
        request.body_bytes(),
        format!(r#"{{"username":"{USERNAME}","password":"{PASSWORD}"}}"#).as_bytes()
    );
    // Obtaining a token doubles nothing: a read for the transport's retries.
    assert_eq!(Authenticate::IDEMPOTENCY, Idempotency::Read);
    assert_eq!(request.idempotency(), Idempotency::Read);
    assert_eq!(Authenticate::OPERATION, "authenticate");
    assert!(!format!("{endpoint:?}").contains(PASSWORD));
    assert!(!format!("{request:?}").contains(PASSWORD));
}

#[test]
fn the_documented_token_answer_is_read() {
    let token = parse(&Authenticate::new(USERNAME, PASSWORD), AUTH_TOKEN).unwrap();
    assert_eq!(token.expose(), TOKEN);
    // expires_at 4102444800 is 2100-01-01: a long, known lifetime.
    assert!(token.lifetime().unwrap() > std::time::Duration::from_secs(3600));
    assert!(!format!("{token:?}").contains(TOKEN));
}

#[test]
fn an_error_envelope_under_200_is_a_refusal() {
    let answer = Response::new(
        PROVIDER,
        Authenticate::OPERATION,
        200,
        r#"{"status":"error","message":"Credenciales inválidas"}"#,
    );
    let p = provider_error(refused(&answer).unwrap());
    assert_eq!(p.http_status, 200);
    assert_eq!(p.operation, "authenticate");
    assert_eq!(p.message, "Credenciales inválidas");
}

#[test]
fn an_answer_without_a_token_cannot_be_read() {
    for body in [r#"{"status":"ok"}"#, r#"{"status":"ok","token":""}"#] {
        let err = parse(&Authenticate::new(USERNAME, PASSWORD), body).unwrap_err();
        assert!(matches!(err, Error::OutcomeUnknown(_)), "{body}: {err:?}");
    }
}

/// The client authenticates through the same endpoint, then sends the token.
#[tokio::test]
async fn the_client_sends_the_token_request_first() {
    let script = Script::new();
    script.answer("GET", "account/balance", 200, BALANCE);
    script.client.account().balance().await.unwrap();
    let sent = script.sent();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].url().path(), "/v2/auth/token");
    assert_eq!(sent[0].header_str("authorization"), None);
    assert_eq!(
        sent[0].body_bytes(),
        format!(r#"{{"username":"{USERNAME}","password":"{PASSWORD}"}}"#).as_bytes()
    );
    assert_eq!(sent[1].header_str("authorization"), Some(crate::BEARER));
}
