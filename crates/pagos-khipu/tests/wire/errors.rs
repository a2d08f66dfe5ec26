//! Khipu's error envelopes through the refusal hook (`error::refusal`) and the one
//! place a refusal becomes an error (`Response::refusal`).

use pagos_core::Error;
use pagos_khipu::ListBanks;
use pagos_khipu::payments::{ConfirmPayment, CreatePayment, DeletePayment, GetPayment};

use crate::support::*;

#[test]
fn error_400_keeps_field_errors() {
    let e = provider_error(refused::<CreatePayment<'_>>(400, ERROR_400));
    assert_eq!(e.provider, "khipu");
    assert_eq!(e.operation, "create_payment");
    assert_eq!(e.http_status, 400);
    assert_eq!(e.code.as_deref(), Some("400"));
    assert_eq!(e.message, "Error de validación");
    assert_eq!(e.field_errors.len(), 2);
    assert_eq!(e.field_errors[0].field, "amount");
    assert_eq!(
        e.field_errors[0].message,
        "El monto debe ser mayor que cero"
    );
    assert_eq!(e.field_errors[1].field, "payer_email");
    assert_eq!(e.raw_body, ERROR_400);
}

#[test]
fn error_403_bad_signature() {
    let err = refused::<ListBanks>(403, ERROR_403);
    assert!(!format!("{err:?}{err}").contains(SECRET));
    let e = provider_error(err);
    assert!(e.is_unauthorized());
    assert_eq!(e.message, "Firma inválida");
    assert_eq!(e.code.as_deref(), Some("403"));
    assert!(e.field_errors.is_empty());
}

#[test]
fn error_503_to_a_create_is_an_unknown_outcome_and_to_a_read_a_refusal() {
    // Khipu (or a gateway) may have created the payment before failing.
    let err = refused::<CreatePayment<'_>>(503, ERROR_503);
    assert_eq!(err.resend(), pagos_core::Resend::AfterLookup);
    let Error::OutcomeUnknown(e) = err else {
        panic!("a 5xx to a create is an unknown outcome: {err:?}")
    };
    assert_eq!(e.cause, pagos_core::UnknownCause::ServerError);
    assert_eq!(e.http_status, Some(503));
    assert_eq!(
        e.message.as_deref(),
        Some("Servicio no disponible temporalmente")
    );
    assert_eq!(e.raw_body.as_deref(), Some(ERROR_503));
    let e = provider_error(refused::<GetPayment<'_>>(503, ERROR_503));
    assert_eq!(e.http_status, 503);
    assert!(e.is_transient());
    assert_eq!(e.code.as_deref(), Some("503"));
}

#[test]
fn error_non_json_body() {
    let e = provider_error(refused::<DeletePayment<'_>>(
        400,
        "<html><body>Bad Request</body></html>",
    ));
    assert_eq!(e.http_status, 400);
    assert_eq!(e.code, None);
    assert_eq!(e.message, "HTTP 400 (body is not a Khipu error envelope)");
    assert_eq!(e.raw_body, "<html><body>Bad Request</body></html>");
}

#[test]
fn error_other_status_is_generic() {
    let e = provider_error(refused::<ConfirmPayment<'_>>(409, "conflict"));
    assert_eq!(e.http_status, 409);
    assert_eq!(e.raw_body, "conflict");
    assert!(e.field_errors.is_empty());
}

#[test]
fn a_success_is_no_refusal() {
    for status in [200, 201, 204] {
        let response = answer::<GetPayment<'_>>(status, PAYMENT_DONE);
        assert!(pagos_khipu::error::refusal(&response).is_none(), "{status}");
    }
}

#[tokio::test]
async fn the_client_reads_refusals_with_the_hook() {
    let (client, fake) = fake_client();
    fake.route("POST", "/payments", 400, ERROR_400);
    let req = pagos_khipu::CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    let e = provider_error(client.payments().create(&req).await.unwrap_err());
    assert_eq!(e.message, "Error de validación");
    assert_eq!(e.field_errors.len(), 2);
    assert_eq!(e.attempts, 1);
    assert_eq!(fake.calls(), 1);
}
