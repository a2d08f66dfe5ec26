//! The error envelope, read by `error::refusal` and turned into an error by
//! `Response::refusal`, as the executor does for every answer.

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::Idempotency;
use pagos_core::{Error, Response, UnknownCause};
use pagos_telepagos::PROVIDER;
use pagos_telepagos::account::GetBalance;
use pagos_telepagos::cashout::CreateCashout;
use pagos_telepagos::sale_points::ListSalePoints;

use crate::{ERROR, parse, provider_error, refused};

fn cashout_answer(status: u16, body: &'static str) -> Response {
    Response::new(PROVIDER, CreateCashout::OPERATION, status, body)
        .with_idempotency(CreateCashout::IDEMPOTENCY)
}

#[test]
fn error_envelope_with_200_is_a_provider_error() {
    let p = provider_error(refused(&cashout_answer(200, ERROR)).unwrap());
    assert_eq!(p.provider, "telepagos");
    assert_eq!(p.operation, "cashout");
    assert_eq!(p.http_status, 200);
    assert_eq!(p.message, "Saldo insuficiente");
    assert_eq!(p.raw_body, ERROR);
    assert_eq!(p.attempts, 1);
}

#[test]
fn error_envelope_with_4xx_is_a_provider_error() {
    let err = refused(&cashout_answer(422, ERROR)).unwrap();
    assert_eq!(err.resend(), pagos_core::Resend::Never);
    let p = provider_error(err);
    assert_eq!(p.http_status, 422);
    assert_eq!(p.message, "Saldo insuficiente");
}

#[test]
fn non_json_error_body_is_a_provider_error() {
    let answer = Response::new(
        PROVIDER,
        GetBalance::OPERATION,
        502,
        "<html><body>502 Bad Gateway</body></html>",
    );
    let p = provider_error(refused(&answer).unwrap());
    assert_eq!(p.http_status, 502);
    assert_eq!(p.message, "HTTP 502 error with a non-JSON body");
    assert_eq!(p.raw_body, "<html><body>502 Bad Gateway</body></html>");
}

#[test]
fn a_5xx_to_a_keyed_cashout_is_a_refusal_and_to_a_generate_call_unknown() {
    // The keyed cash-out can be repeated, so a 5xx is a definite (retryable) refusal.
    let p = provider_error(refused(&cashout_answer(503, ERROR)).unwrap());
    assert_eq!(p.http_status, 503);
    let generate = Response::new(PROVIDER, "generate_qr", 503, ERROR)
        .with_idempotency(Idempotency::NonIdempotent);
    match refused(&generate).unwrap() {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::ServerError);
            assert_eq!(u.message.as_deref(), Some("Saldo insuficiente"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn undecodable_200_is_outcome_unknown() {
    match parse(&GetBalance::new(), r#"{"status":"ok","amount":"mucho"}"#).unwrap_err() {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::UndecodableResponse);
            assert_eq!(u.http_status, Some(200));
            assert_eq!(
                u.raw_body.as_deref(),
                Some(r#"{"status":"ok","amount":"mucho"}"#)
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse(&ListSalePoints::new(), "not json").unwrap_err(),
        Error::OutcomeUnknown(u) if u.raw_body.as_deref() == Some("not json")
    ));
    // A readable success is no refusal.
    let ok = Response::new(
        PROVIDER,
        GetBalance::OPERATION,
        200,
        r#"{"status":"ok","amount":1}"#,
    );
    assert!(refused(&ok).is_none());
}
