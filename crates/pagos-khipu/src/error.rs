//! Khipu's error envelopes, mapped into [`ProviderError`].
//!
//! Khipu answers errors with three documented shapes (`ValidationError`,
//! `AuthorizationError` and `ServiceError` in Khipu's REST API 2.0 reference):
//!
//! | HTTP | body |
//! |---|---|
//! | 400 | `{"status":400,"message":"…","errors":[{"field":"amount","message":"…"}]}` |
//! | 403 | `{"status":403,"message":"…"}` (a bad signature gives this) |
//! | 503 | `{"status":503,"message":"…"}` |
//!
//! Any of them becomes a [`ProviderError`] with Khipu's `status` as the code, its
//! `message`, and the `errors[]` kept as field errors. Any other non-2xx answer, or a
//! body that is not that JSON, becomes a generic [`ProviderError`] ("HTTP 502") with
//! the raw body kept.

use pagos_core::{FieldError, ProviderError, Response};
use serde::{Deserialize, Serialize};

use crate::de;

/// One field Khipu rejected (`ErrorItem` in the API reference).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ErrorItem {
    /// The form field with the error.
    #[serde(default)]
    pub field: String,
    /// Why it was rejected.
    #[serde(default)]
    pub message: String,
}

/// Khipu's error body: the API reference's `ValidationError` (with `errors`),
/// `AuthorizationError` and `ServiceError` (without). The refusal keeps the body as
/// received in [`ProviderError::raw_body`] (redacted), so this type carries no `raw`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// Khipu's error code (the HTTP status, as text: it may arrive as a number or string).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub status: Option<String>,
    /// The error message.
    #[serde(default)]
    pub message: Option<String>,
    /// Per-field validation errors (400 only).
    #[serde(default, deserialize_with = "de::null_as_default")]
    pub errors: Vec<ErrorItem>,
}

/// Khipu's reading of an answer, installed as the client's refusal hook
/// ([`pagos_core::Executor::with_refusal`]): every non-2xx answer is a refusal, decoded
/// as in the [module docs](self); a 2xx answer is `None` (an answer to parse). The
/// executor hands the refusal to [`Response::refusal`], which decides between a definite
/// [`pagos_core::Error::Provider`] and an unknown outcome (a 5xx to a call that
/// changes state).
///
/// ```
/// use pagos_core::{Error, Response};
/// use pagos_core::transport::Idempotency;
///
/// let answer = Response::new("khipu", "create_payment", 400,
///     r#"{"status":400,"message":"Datos inválidos","errors":[{"field":"amount","message":"debe ser mayor que 0"}]}"#)
///     .with_idempotency(Idempotency::NonIdempotent);
/// let refusal = pagos_khipu::error::refusal(&answer).expect("a 400 is a refusal");
/// assert_eq!(refusal.field_errors[0].field, "amount");
/// assert!(matches!(answer.refusal(refusal), Error::Provider(_)));
/// assert!(pagos_khipu::error::refusal(&Response::new("khipu", "get_payment", 200, "{}")).is_none());
/// ```
pub fn refusal(response: &Response) -> Option<ProviderError> {
    (!response.is_success()).then(|| provider_error(response))
}

/// Maps a non-2xx Khipu answer to a [`ProviderError`], keeping the raw body.
fn provider_error(resp: &Response) -> ProviderError {
    let base = resp.provider_error();
    match serde_json::from_slice::<ErrorBody>(&resp.body) {
        Ok(body) if body.message.is_some() || body.status.is_some() || !body.errors.is_empty() => {
            let mut e = base;
            if let Some(code) = body.status {
                e = e.with_code(code);
            }
            if let Some(message) = body.message.filter(|m| !m.trim().is_empty()) {
                e = e.with_message(message);
            }
            e.with_field_errors(
                body.errors
                    .into_iter()
                    .map(|i| FieldError::new(i.field, i.message))
                    .collect(),
            )
        }
        _ => {
            let what = if resp.body.is_empty() {
                "empty body"
            } else {
                "body is not a Khipu error envelope"
            };
            let message = format!("HTTP {} ({what})", resp.status);
            base.with_message(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> ProviderError {
        provider_error(&Response::new("khipu", "op", status, body.to_string()))
    }

    #[test]
    fn validation_error_keeps_fields() {
        let e = err(
            400,
            r#"{"status":400,"message":"Datos inválidos","errors":[{"field":"amount","message":"debe ser mayor que 0"},{"field":"subject","message":"requerido"}]}"#,
        );
        assert_eq!(e.http_status, 400);
        assert_eq!(e.code.as_deref(), Some("400"));
        assert_eq!(e.message, "Datos inválidos");
        assert_eq!(
            e.field_errors,
            vec![
                FieldError::new("amount", "debe ser mayor que 0"),
                FieldError::new("subject", "requerido")
            ]
        );
    }

    #[test]
    fn authorization_and_service_errors() {
        let e = err(403, r#"{"status":403,"message":"Firma inválida"}"#);
        assert!(e.is_unauthorized());
        assert_eq!(e.message, "Firma inválida");
        assert!(e.field_errors.is_empty());
        let e = err(
            503,
            r#"{"status":"503","message":"Servicio no disponible"}"#,
        );
        assert!(e.is_transient());
        assert_eq!(e.code.as_deref(), Some("503"));
    }

    #[test]
    fn non_json_and_unexpected_bodies() {
        let e = err(502, "<html>Bad Gateway</html>");
        assert_eq!(e.message, "HTTP 502 (body is not a Khipu error envelope)");
        assert_eq!(e.raw_body, "<html>Bad Gateway</html>");
        assert_eq!(e.code, None);
        let e = err(404, "");
        assert_eq!(e.message, "HTTP 404 (empty body)");
        let e = err(500, r#"{"unexpected":true}"#);
        assert_eq!(e.message, "HTTP 500 (body is not a Khipu error envelope)");
        assert_eq!(e.raw_body, r#"{"unexpected":true}"#);
    }
}
