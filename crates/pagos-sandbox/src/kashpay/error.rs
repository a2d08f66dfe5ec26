//! Kashpay's failure envelope:
//! `{"success":false,"error":{"name","message","code"},"totalItems":0,...}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::wire::json_response;

/// Why a Kashpay request failed.
#[derive(Debug)]
pub(crate) struct Rejection {
    /// The HTTP status (200 for a business refusal: Kashpay reports it in the body).
    status: StatusCode,
    /// `error.name`, an exception class name.
    name: &'static str,
    message: String,
    /// `error.code`.
    code: i64,
}

impl Rejection {
    pub(crate) fn new(
        status: StatusCode,
        name: &'static str,
        message: impl Into<String>,
        code: i64,
    ) -> Self {
        Rejection {
            status,
            name,
            message: message.into(),
            code,
        }
    }

    /// 401 `AuthenticationException`.
    pub(super) fn unauthorized(message: impl Into<String>) -> Self {
        Rejection::new(
            StatusCode::UNAUTHORIZED,
            "AuthenticationException",
            message,
            401,
        )
    }

    /// 400 `ValidationException`, code 1001.
    pub(super) fn validation(message: impl Into<String>) -> Self {
        Rejection::new(
            StatusCode::BAD_REQUEST,
            "ValidationException",
            message,
            1001,
        )
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        json_response(
            self.status,
            &json!({
                "success": false,
                "error": { "name": self.name, "message": self.message, "code": self.code },
                "totalItems": 0,
                "totalPages": 0,
                "currentPage": 0,
            }),
        )
    }
}
