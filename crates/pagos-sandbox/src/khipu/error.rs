//! Khipu's error answers: `{"status":N,"message":"..."}` (the API's AuthorizationError
//! and ServiceError models) and 400 with `errors[{field,message}]` (ValidationError).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::wire::{FieldError, json_response};

/// Why a Khipu request was refused; answered in Khipu's error shape.
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
}

impl Rejection {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Rejection::Error {
            status,
            message: message.into(),
        }
    }

    /// 400 with a message (a request the payment's state forbids).
    pub(super) fn bad_request(message: impl Into<String>) -> Self {
        Rejection::new(StatusCode::BAD_REQUEST, message)
    }

    /// 403: the signature or the receiver is wrong.
    pub(super) fn forbidden(message: impl Into<String>) -> Self {
        Rejection::new(StatusCode::FORBIDDEN, message)
    }

    /// 404.
    pub(super) fn not_found(message: impl Into<String>) -> Self {
        Rejection::new(StatusCode::NOT_FOUND, message)
    }

    /// 404 for a payment of another receiver or none.
    pub(super) fn payment_not_found() -> Self {
        Rejection::not_found("Pago no encontrado")
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
        }
    }
}
