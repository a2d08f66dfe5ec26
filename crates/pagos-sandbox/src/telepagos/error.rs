//! TelePagos' error body: `{"status":"error","message":"..."}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::wire::{FieldError, json_response};

/// Why a TelePagos request was refused.
#[derive(Debug)]
pub(crate) struct Rejection {
    /// The HTTP status (200 for a refused cash-out: TelePagos reports it in the body).
    status: StatusCode,
    message: String,
}

impl Rejection {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Rejection {
            status,
            message: message.into(),
        }
    }

    /// 400.
    pub(super) fn bad_request(message: impl Into<String>) -> Self {
        Rejection::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401.
    pub(super) fn unauthorized(message: impl Into<String>) -> Self {
        Rejection::new(StatusCode::UNAUTHORIZED, message)
    }

    /// 404.
    pub(super) fn not_found(message: impl Into<String>) -> Self {
        Rejection::new(StatusCode::NOT_FOUND, message)
    }

    /// 400 naming every invalid field: `field: message; field: message`.
    pub(super) fn invalid(errors: &[FieldError]) -> Self {
        let message = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        Rejection::bad_request(message)
    }
}

impl From<FieldError> for Rejection {
    fn from(error: FieldError) -> Self {
        Rejection::invalid(&[error])
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        json_response(
            self.status,
            &json!({ "status": "error", "message": self.message }),
        )
    }
}
