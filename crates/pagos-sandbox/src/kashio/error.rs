//! The sandbox's KashIO error body (KashIO documents none):
//! `{"error":{"code":"...","message":"...","param":"..."}}`, `param` naming the offending
//! field when there is one, and `details` listing every invalid field.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::wire::{FieldError, json_response};

/// Why a KashIO request was refused.
#[derive(Debug)]
pub(crate) enum Rejection {
    /// `{"error":{"code","message","param"?}}` with this status.
    Error {
        status: StatusCode,
        code: &'static str,
        message: String,
        param: Option<String>,
    },
    /// 400 `parameter_invalid`, naming the first field and listing all in `details`.
    Invalid(Vec<FieldError>),
    /// 401 with `WWW-Authenticate: Basic realm="KashIO"`.
    Unauthorized(&'static str),
}

impl Rejection {
    pub(super) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Rejection::Error {
            status,
            code,
            message: message.into(),
            param: None,
        }
    }

    /// The same error, naming the offending parameter.
    pub(super) fn param(self, name: impl Into<String>) -> Self {
        match self {
            Rejection::Error {
                status,
                code,
                message,
                ..
            } => Rejection::Error {
                status,
                code,
                message,
                param: Some(name.into()),
            },
            other => other,
        }
    }

    /// 400 `invalid_json`: the body is not a JSON object.
    pub(super) fn invalid_json(message: String) -> Self {
        Rejection::new(StatusCode::BAD_REQUEST, "invalid_json", message)
    }

    /// 400 `parameter_invalid` about one query parameter.
    pub(super) fn bad_parameter(param: &str, message: impl Into<String>) -> Self {
        Rejection::new(StatusCode::BAD_REQUEST, "parameter_invalid", message).param(param)
    }

    /// 404 `resource_missing` for the record `id`.
    pub(super) fn not_found(what: &str, id: &str) -> Self {
        Rejection::new(
            StatusCode::NOT_FOUND,
            "resource_missing",
            format!("No existe {what} {id}"),
        )
        .param("id")
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Rejection::Error {
                status,
                code,
                message,
                param,
            } => {
                let mut error = json!({ "code": code, "message": message });
                if let Some(param) = param {
                    error["param"] = json!(param);
                }
                json_response(status, &json!({ "error": error }))
            }
            Rejection::Invalid(errors) => {
                let first = errors
                    .first()
                    .cloned()
                    .unwrap_or_else(|| FieldError::new("", "petición inválida"));
                let details: Vec<_> = errors
                    .iter()
                    .map(|e| json!({ "param": e.field, "message": e.message }))
                    .collect();
                json_response(
                    StatusCode::BAD_REQUEST,
                    &json!({ "error": {
                        "code": "parameter_invalid",
                        "message": format!("{}: {}", first.field, first.message),
                        "param": first.field,
                        "details": details,
                    }}),
                )
            }
            Rejection::Unauthorized(message) => {
                let mut response =
                    Rejection::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
                        .into_response();
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"KashIO\""),
                );
                response
            }
        }
    }
}
