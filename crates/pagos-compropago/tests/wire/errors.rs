//! Refusals and unreadable answers: [`error::refusal`] (the executor's hook) with
//! [`Response::refusal`], and what the client makes of them when it sends.

use pagos_compropago::{CreateOrder, GetOrder, PROVIDER, error};
use pagos_core::transport::Idempotency;
use pagos_core::{Endpoint, Error, Resend, Response, UnknownCause};

use crate::*;

/// An answer to `E` as the transport hands it over.
fn answer<E: Endpoint>(status: u16, body: &str) -> Response {
    Response::new(PROVIDER, E::OPERATION, status, body.to_string()).with_idempotency(E::IDEMPOTENCY)
}

/// What the executor makes of `response`: the hook's refusal through
/// [`Response::refusal`] (ComproPago's 5xx-`code` rule marks the refusal a server failure).
fn refused(response: &Response) -> Error {
    let refusal = error::refusal(response).expect("a refusal");
    response.refusal(refusal)
}

#[tokio::test]
async fn envelope_code_other_than_200_with_http_200_is_a_provider_error() {
    let body = r#"{"object":"error","code":400,"status":"error","message":"El campo product.price es requerido","request":1559853010380,"url":"/v2/orders","map":"76ab15b2-f7c3-4a95-a662-b5cc4a2a9938","data":null}"#;
    let response = answer::<CreateOrder>(200, body);
    let refusal = error::refusal(&response).unwrap();
    let err = response.refusal(refusal);
    let check = |err: &Error| {
        let p = err.as_provider_error().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(p.http_status, 200);
        assert_eq!(p.code.as_deref(), Some("400"));
        assert_eq!(p.message, "El campo product.price es requerido");
        assert_eq!(p.raw_body, body);
        assert_eq!(err.resend(), Resend::Never);
    };
    check(&err);
    check(&refused(&response));
    // The endpoint's own reading of such an answer is the same refusal.
    check(&seed_order().parse(&response).unwrap_err());

    // And the client's executor has the hook installed.
    let script = Recorder::answering(200, body);
    let err = scripted(&script)
        .orders()
        .create(&seed_order())
        .await
        .unwrap_err();
    assert_eq!(script.calls(), 1);
    check(&err);
}

#[tokio::test]
async fn an_envelope_with_a_5xx_code_under_http_200_is_an_unknown_outcome_for_a_create() {
    let body = r#"{"object":"error","code":503,"status":"error","message":"Servicio no disponible","data":null}"#;
    let Error::OutcomeUnknown(u) = refused(&answer::<CreateOrder>(200, body)) else {
        panic!("expected an unknown outcome")
    };
    assert_eq!(u.cause, UnknownCause::ServerError);
    assert_eq!(u.http_status, Some(200));
    assert_eq!(u.code.as_deref(), Some("503"));
    assert_eq!(u.raw_body.as_deref(), Some(body));
    assert_eq!(u.resend(), Resend::AfterLookup);
    // A read refused so is a definite refusal.
    let read = refused(&answer::<GetOrder>(200, body));
    assert_eq!(
        read.as_provider_error().unwrap().code.as_deref(),
        Some("503")
    );

    // Through the client: sent once, unknown, with the order's lookup hint.
    let script = Recorder::answering(200, body);
    let c = scripted(&script);
    let err = c.orders().create(&seed_order()).await.unwrap_err();
    assert_eq!(script.calls(), 1);
    assert_eq!(err.resend(), Resend::AfterLookup);
    let Error::OutcomeUnknown(u) = &err else {
        panic!("expected an unknown outcome, got {err:?}")
    };
    assert_eq!(u.cause, UnknownCause::ServerError);
    assert!(u.hint.as_deref().unwrap().contains("SMGCURL1"), "{u:?}");
    let err = c.send(&seed_order()).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    let err = c.orders().get(ORDER_ID).await.unwrap_err();
    assert!(matches!(err, Error::Provider(_)), "{err:?}");
}

#[test]
fn http_401_json_error_keeps_code_and_message() {
    let body = r#"{"object":"error","code":401,"status":"error","message":"Invalid API keys"}"#;
    let err = refused(&answer::<GetOrder>(401, body));
    let p = err.as_provider_error().unwrap();
    assert_eq!(p.http_status, 401);
    assert!(p.is_unauthorized());
    assert_eq!(p.code.as_deref(), Some("401"));
    assert_eq!(p.message, "Invalid API keys");
    assert_eq!(p.raw_body, body);
}

#[tokio::test]
async fn non_json_error_body_is_kept_raw_and_gets_retried_on_get() {
    let html = "<html><body>Bad Gateway</body></html>";
    let p = error::refusal(&answer::<GetOrder>(502, html)).unwrap();
    assert_eq!(p.code, None);
    assert_eq!(p.raw_body, html);

    let script = Recorder::answering(502, html);
    let err = scripted(&script).accounts().list().await.unwrap_err();
    assert_eq!(script.calls(), 3);
    let p = err.as_provider_error().unwrap();
    assert_eq!(p.http_status, 502);
    assert_eq!(p.code, None);
    assert_eq!(p.attempts, 3);
    assert_eq!(p.raw_body, html);
    assert_eq!(err.resend(), Resend::Safe);
}

#[tokio::test]
async fn create_order_is_sent_once_even_on_503() {
    let script = Recorder::answering(503, "Service Unavailable");
    let err = scripted(&script)
        .orders()
        .create(&seed_order())
        .await
        .unwrap_err();
    assert_eq!(script.calls(), 1);
    // ComproPago may have created the order before failing.
    assert_eq!(err.resend(), Resend::AfterLookup);
    match &err {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::ServerError);
            assert_eq!(u.http_status, Some(503));
            assert_eq!(u.raw_body.as_deref(), Some("Service Unavailable"));
            assert_eq!(u.idempotency, Idempotency::NonIdempotent);
        }
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
}

#[tokio::test]
async fn undecodable_200_is_outcome_unknown_with_the_raw_body_and_a_hint() {
    let Error::OutcomeUnknown(u) = parse(&seed_order(), "<html>OK</html>").unwrap_err() else {
        panic!("expected outcome unknown")
    };
    assert_eq!(u.cause, UnknownCause::UndecodableResponse);
    assert!(
        seed_order()
            .outcome_hint()
            .unwrap()
            .contains("product.id \"SMGCURL1\"")
    );

    let script = Recorder::answering(200, "<html>OK</html>");
    let err = scripted(&script)
        .orders()
        .create(&seed_order())
        .await
        .unwrap_err();
    assert_eq!(script.calls(), 1);
    let Error::OutcomeUnknown(u) = &err else {
        panic!("expected outcome unknown, got {err:?}")
    };
    assert_eq!(u.cause, UnknownCause::UndecodableResponse);
    assert_eq!(u.http_status, Some(200));
    assert_eq!(u.raw_body.as_deref(), Some("<html>OK</html>"));
    assert!(u.hint.as_deref().unwrap().contains("SMGCURL1"), "{u:?}");
}

#[test]
fn success_envelopes_that_cannot_be_read_are_outcome_unknown() {
    let no_data =
        r#"{"object":"orders.create","code":200,"status":"success","message":"success.create"}"#;
    let wrong_shape = wrapped("orders.create", r#"{"shortId":"X","status":"PENDING"}"#);
    let bad_amount = wrapped(
        "orders.create",
        r#"{"id":"ch_1","status":"PENDING","product":{"price":"ciento cincuenta"}}"#,
    );
    for (i, body) in [no_data.to_string(), wrong_shape, bad_amount]
        .into_iter()
        .enumerate()
    {
        let response = answer::<GetOrder>(200, &body);
        assert!(error::refusal(&response).is_none(), "case {i}");
        match GetOrder::new(format!("case{i}")).parse(&response) {
            Err(Error::OutcomeUnknown(u)) => {
                assert_eq!(u.raw_body.as_deref(), Some(body.as_str()))
            }
            other => panic!("case {i}: expected outcome unknown, got {other:?}"),
        }
    }
}
