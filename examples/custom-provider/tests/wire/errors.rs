//! The error envelope, read by the refusal hook, and what each refusal becomes.

use pagos_acmepay::{PROVIDER, refusal};
use pagos_core::transport::Idempotency;
use pagos_core::{Error, Response, UnknownCause};

fn refused(status: u16, body: &str, idempotency: Idempotency) -> Error {
    let response = Response::new(PROVIDER, "create_charge", status, body.to_string())
        .with_idempotency(idempotency);
    let refusal = refusal(&response).expect("a non-2xx answer is a refusal");
    response.refusal(refusal)
}

#[test]
fn provider_errors_keep_code_message_and_body() {
    let body = r#"{"error":{"code":"amount_too_low","message":"Amount too low"}}"#;
    let err = refused(422, body, Idempotency::NonIdempotent);
    let p = err.as_provider_error().expect("provider error");
    assert_eq!(
        (p.http_status, p.code.as_deref()),
        (422, Some("amount_too_low"))
    );
    assert_eq!(p.message, "Amount too low");
    assert_eq!(p.raw_body, body);
}

#[test]
fn any_other_body_is_kept_as_it_is() {
    let err = refused(404, "Not Found", Idempotency::Read);
    let p = err.as_provider_error().expect("provider error");
    assert_eq!((p.http_status, p.code.as_deref()), (404, None));
    assert_eq!(p.raw_body, "Not Found");
}

#[test]
fn a_5xx_to_a_create_is_an_unknown_outcome() {
    match refused(502, "<html>Bad Gateway</html>", Idempotency::NonIdempotent) {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::ServerError);
            assert_eq!(u.http_status, Some(502));
        }
        other => panic!("{other:?}"),
    }
    // The same answer to a read is a definite refusal.
    assert!(matches!(
        refused(502, "<html>Bad Gateway</html>", Idempotency::Read),
        Error::Provider(_)
    ));
}

#[test]
fn successes_are_not_refusals() {
    for status in [200, 201, 204] {
        let response = Response::new(PROVIDER, "get_charge", status, "{}");
        assert!(refusal(&response).is_none(), "{status}");
    }
}
