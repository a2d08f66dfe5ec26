//! `POST /AuthenticationService/authenticate`, described and read without a socket.

use std::time::Duration;

use pagos_core::transport::{Idempotency, Method};
use pagos_core::{Endpoint, Error, Response};
use pagos_kashpay::PROVIDER;
use pagos_kashpay::auth::{Authenticate, Credentials};

use super::*;

fn credentials() -> Credentials {
    Credentials::new(ENTITY, USER, PASSWORD)
}

fn answer(status: u16, body: &str) -> Response {
    Response::new(PROVIDER, Authenticate::OPERATION, status, body.to_string())
}

#[tokio::test]
async fn authenticate_posts_credentials_without_other_credentials() {
    let client = Fake::new().client();
    let authenticator = client.session().authenticator();
    let request = authenticator
        .executor()
        .authorized(&authenticator.endpoint())
        .await
        .unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(
        request.url().as_str(),
        "https://kashpay.test/kashpay/AuthenticationService/authenticate"
    );
    assert_eq!(request.url().as_str(), authenticator.url().as_str());
    assert_eq!(request.query_str(), None);
    assert_eq!(request.header_str("content-type"), Some("application/json"));
    assert_eq!(request.header_str("authorization"), None);
    assert_eq!(request.header_str("entity-i"), None);
    assert_eq!(request.body_bytes(), AUTH_BODY.as_bytes());
    // A token POST changes nothing: retried like a read.
    assert_eq!(request.idempotency(), Idempotency::Read);
    assert_eq!(Authenticate::IDEMPOTENCY, Idempotency::Read);
    assert_eq!(request.operation(), "authenticate");
    // The password never shows in the request's Debug.
    assert!(!format!("{request:?}").contains(PASSWORD));
}

#[test]
fn authenticate_refuses_blank_credentials_before_sending() {
    let base = pagos_core::BaseUrl::parse("https://polaris.kashplataforma.com").unwrap();
    for (c, field) in [
        (Credentials::new(" ", USER, PASSWORD), "entity"),
        (Credentials::new(ENTITY, "", PASSWORD), "user"),
        (Credentials::new(ENTITY, USER, " "), "password"),
    ] {
        let err = pagos_core::endpoint::describe(&Authenticate::new(&c), &base).unwrap_err();
        assert_eq!(err.validation_field(), Some(field));
    }
}

#[test]
fn authenticate_decodes_string_expires() {
    let c = credentials();
    let token = Authenticate::new(&c).parse(&answer(200, AUTH_OK)).unwrap();
    assert_eq!(token.expose(), JWT);
    // "5975999" milliseconds ≈ 99.6 minutes.
    let remaining = token.remaining().unwrap();
    assert!(
        remaining <= Duration::from_millis(5_975_999),
        "{remaining:?}"
    );
    assert!(remaining > Duration::from_secs(5_900), "{remaining:?}");
}

#[test]
fn authenticate_decodes_number_expires() {
    let c = credentials();
    let body =
        r#"{"success":true,"authenticationResponse":{"token":"tok-number","expires":5975999}}"#;
    let token = Authenticate::new(&c).parse(&answer(200, body)).unwrap();
    assert_eq!(token.expose(), "tok-number");
    let remaining = token.remaining().unwrap();
    assert!(
        remaining > Duration::from_secs(5_900) && remaining <= Duration::from_millis(5_975_999)
    );
}

#[test]
fn authenticate_without_expires_keeps_the_token_until_refused() {
    let c = credentials();
    for body in [
        r#"{"success":true,"authenticationResponse":{"token":"tok","expires":"soon"}}"#,
        r#"{"success":true,"authenticationResponse":{"token":"tok"}}"#,
    ] {
        let token = Authenticate::new(&c).parse(&answer(200, body)).unwrap();
        assert_eq!(token.remaining(), None, "{body}");
    }
}

#[test]
fn authenticate_refusal_is_a_provider_error_even_with_http_200() {
    let body = r#"{"success":false,"error":{"name":"AuthenticationException","message":"Credenciales invalidas","code":401}}"#;
    let response = answer(200, body);
    let refusal = pagos_kashpay::error::refusal(&response).expect("a refusal");
    let err = response.refusal(refusal);
    let p = provider_error(&err);
    assert_eq!(p.operation, "authenticate");
    assert_eq!(p.http_status, 200);
    assert_eq!(p.code.as_deref(), Some("401"));
    assert_eq!(p.message, "AuthenticationException: Credenciales invalidas");
    // `parse` reads a refused answer the same way.
    let c = credentials();
    let parsed = Authenticate::new(&c).parse(&response).unwrap_err();
    assert_eq!(parsed.as_provider_error(), Some(p));
}

#[test]
fn authenticate_undecodable_answer_never_carries_the_body() {
    let c = credentials();
    for body in [
        // A token, but the envelope has the wrong shape: the body must not reach the error.
        r#"{"success":true,"authenticationResponse":"secret-token-value"}"#,
        r#"{"success":true,"authenticationResponse":{"token":["secret-token-value"]}}"#,
    ] {
        let err = Authenticate::new(&c).parse(&answer(200, body)).unwrap_err();
        let Error::OutcomeUnknown(u) = &err else {
            panic!("expected an unknown outcome, got {err:?}")
        };
        assert_eq!(u.raw_body, None);
        assert!(!format!("{err:?} {err}").contains("secret-token-value"));
    }
    let err = Authenticate::new(&c)
        .parse(&answer(
            200,
            r#"{"success":true,"authenticationResponse":{"token":" "}}"#,
        ))
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown(_)), "{err:?}");
}
