//! Khipu 3.0's error answers: `{"status":N,"message":"..."}`, the validation envelope
//! `{"status":400,"message":"Error de validación","errors":[{"field","message"}]}` (the
//! format Khipu's plugins call verified against the live API), and PAC's 422
//! `ChargeError {error_code, error_message}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::wire::{FieldError, json_response};

/// Why a Khipu 3.0 or PAC request was refused; answered in Khipu's error shape.
#[derive(Debug)]
pub(crate) enum Rejection {
    /// `{"status":N,"message":"..."}`.
    Error {
        /// The HTTP status, repeated in the body.
        status: StatusCode,
        /// What went wrong.
        message: String,
    },
    /// 400 `{"status":400,"message":"Error de validación","errors":[...]}`.
    Validation(Vec<FieldError>),
    /// PAC: 422 `{"error_code":"...","error_message":"..."}`.
    Charge {
        /// One of the spec's `ChargeError.error_code` values.
        code: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl Rejection {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Rejection::Error {
            status,
            message: message.into(),
        }
    }

    /// 401: no `x-api-key`, or one the sandbox does not know.
    pub(super) fn unauthorized() -> Self {
        Rejection::new(
            StatusCode::UNAUTHORIZED,
            "Unauthorized - Credenciales no válidas o faltantes",
        )
    }

    /// 404.
    pub(super) fn not_found(message: impl Into<String>) -> Self {
        Rejection::new(StatusCode::NOT_FOUND, message)
    }

    /// 404 for a payment of another receiver or none.
    pub(super) fn payment_not_found() -> Self {
        Rejection::not_found("Not found - Pago no encontrado")
    }

    /// 400 with one field error.
    pub(super) fn field(field: &str, message: impl Into<String>) -> Self {
        Rejection::Validation(vec![FieldError::new(field, message)])
    }

    /// 422 `ChargeError`.
    pub(super) fn charge(code: &'static str, message: impl Into<String>) -> Self {
        Rejection::Charge {
            code,
            message: message.into(),
        }
    }
}

impl From<FieldError> for Rejection {
    fn from(error: FieldError) -> Self {
        Rejection::Validation(vec![error])
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Rejection::Error { status, message } => json_response(
                status,
                &json!({ "status": status.as_u16(), "message": message }),
            ),
            Rejection::Validation(errors) => {
                let items: Vec<_> = errors
                    .iter()
                    .map(|e| json!({ "field": e.field, "message": e.message }))
                    .collect();
                json_response(
                    StatusCode::BAD_REQUEST,
                    &json!({ "status": 400, "message": "Error de validación", "errors": items }),
                )
            }
            Rejection::Charge { code, message } => json_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                &json!({ "error_code": code, "error_message": message }),
            ),
        }
    }
}
