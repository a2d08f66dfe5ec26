//! ComproPago's error answers: the same envelope as successes, with `object` and
//! `status` `"error"`, `code` equal to the HTTP status, and for validation errors
//! `data.errors[{field,message}]`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use time::OffsetDateTime;

use super::render::{Envelope, epoch_ms};
use crate::wire::{FieldError, json_response};

/// Why a ComproPago request was refused.
#[derive(Debug)]
pub(crate) struct Rejection {
    status: StatusCode,
    message: String,
    /// The request's path, echoed as `url`.
    url: String,
    /// When it was refused (epoch milliseconds), echoed as `request`.
    request: i64,
    /// The invalid fields, listed in `data.errors`.
    errors: Option<Vec<FieldError>>,
}

impl Rejection {
    pub(crate) fn new(
        status: StatusCode,
        message: impl Into<String>,
        url: &str,
        now: OffsetDateTime,
    ) -> Self {
        Rejection {
            status,
            message: message.into(),
            url: url.to_string(),
            request: epoch_ms(now),
            errors: None,
        }
    }

    /// 400 naming the first invalid field in `message` and every one in `data.errors`.
    pub(super) fn validation(errors: Vec<FieldError>, url: &str, now: OffsetDateTime) -> Self {
        let message = errors
            .first()
            .map(|e| format!("{}: {}", e.field, e.message))
            .unwrap_or_default();
        Rejection {
            errors: Some(errors),
            ..Rejection::new(StatusCode::BAD_REQUEST, message, url, now)
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let data = self.errors.map(|errors| {
            let details: Vec<_> = errors
                .iter()
                .map(|e| json!({ "field": e.field, "message": e.message }))
                .collect();
            json!({ "errors": details })
        });
        json_response(
            self.status,
            &Envelope {
                object: "error",
                code: self.status.as_u16(),
                status: "error",
                message: &self.message,
                request: self.request,
                url: &self.url,
                map: None,
                data,
            },
        )
    }
}
