//! API 3.0's (and PAC's) error answers, read leniently.
//!
//! Khipu's API 3.0 specification gives no schema for 4xx/5xx answers. Khipu's own
//! plugins read `{"status":400,"message":"Error de validación","errors":[{"field":"…",
//! "message":"…"}]}`, and also see it without `message`, or as a bare
//! `{"message":"unauthorized"}`. PAC's charge answers 422 with
//! `{"error_code":"…","error_message":"…"}` ([`crate::pac::charges::ChargeError`]).
//! Any member may be missing or of another type; whatever is there is kept:
//!
//! - code: `error_code`, else `status` (a number or text);
//! - message: `error_message`, else `message`; when neither, `HTTP <status> (…)`;
//! - field errors: each `errors[]` item's `field` and `message`;
//! - a `payment_id` in the body (the one key to reconcile a create that failed after
//!   Khipu acted) is named in the message;
//! - the body itself, redacted of credentials, in `raw_body`.
//!
//! A 5xx to a call sent once is then an unknown outcome, not a refusal
//! ([`Response::refusal`]).

use pagos_core::{FieldError, ProviderError, Response};
use serde_json::Value;

/// The refusal hook of [`KhipuV3Client`](super::KhipuV3Client): `None` for a 2xx
/// answer (to be parsed), the decoded [`ProviderError`] otherwise.
///
/// ```
/// use pagos_core::Response;
/// let answer = Response::new("khipu", "create_refund", 400,
///     r#"{"status":400,"message":"Error de validación","errors":[{"field":"receiver_id","message":"no habilitada"}]}"#);
/// let e = pagos_khipu::v3::error::refusal(&answer).expect("a 400 is a refusal");
/// assert_eq!(e.code.as_deref(), Some("400"));
/// assert_eq!(e.field_errors[0].field, "receiver_id");
/// ```
pub fn refusal(response: &Response) -> Option<ProviderError> {
    (!response.is_success()).then(|| provider_error(response))
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn provider_error(resp: &Response) -> ProviderError {
    let mut e = resp.provider_error();
    let body: Option<serde_json::Map<String, Value>> = serde_json::from_slice(&resp.body).ok();
    let Some(body) = body else {
        let what = if resp.body.is_empty() {
            "empty body"
        } else {
            "body is not a Khipu error envelope"
        };
        return e.with_message(format!("HTTP {} ({what})", resp.status));
    };
    if let Some(code) = text(body.get("error_code")).or_else(|| text(body.get("status"))) {
        e = e.with_code(code);
    }
    let mut message = text(body.get("error_message"))
        .or_else(|| text(body.get("message")))
        .unwrap_or_else(|| format!("HTTP {}", resp.status));
    if let Some(id) = text(body.get("payment_id")) {
        message.push_str(&format!(" (payment_id {id})"));
    }
    let fields = match body.get("errors") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| {
                let field = text(i.get("field")).unwrap_or_default();
                let msg = text(i.get("message")).unwrap_or_default();
                (!field.is_empty() || !msg.is_empty()).then(|| FieldError::new(field, msg))
            })
            .collect(),
        _ => Vec::new(),
    };
    e.with_message(message).with_field_errors(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> ProviderError {
        provider_error(&Response::new("khipu", "op", status, body.to_string()))
    }

    #[test]
    fn envelopes_of_every_shape() {
        let e = err(
            400,
            r#"{"status":400,"errors":[{"field":"amount","message":"Monto inválido"}]}"#,
        );
        assert_eq!(e.code.as_deref(), Some("400"));
        assert_eq!(e.message, "HTTP 400");
        assert_eq!(
            e.field_errors,
            vec![FieldError::new("amount", "Monto inválido")]
        );
        let e = err(401, r#"{"message":"unauthorized"}"#);
        assert!(e.is_unauthorized());
        assert_eq!(e.message, "unauthorized");
        assert_eq!(e.code, None);
        let e = err(
            422,
            r#"{"error_code":"INVALID_AMOUNT","error_message":"bad"}"#,
        );
        assert_eq!(e.code.as_deref(), Some("INVALID_AMOUNT"));
        assert_eq!(e.message, "bad");
        let e = err(
            500,
            r#"{"status":"500","message":"x","payment_id":"abc123def456"}"#,
        );
        assert_eq!(e.message, "x (payment_id abc123def456)");
        let e = err(400, r#"{"status":null,"message":7,"errors":"nope"}"#);
        assert_eq!(e.message, "7");
        assert!(e.field_errors.is_empty());
        let e = err(502, "<html>");
        assert_eq!(e.message, "HTTP 502 (body is not a Khipu error envelope)");
        assert_eq!(e.raw_body, "<html>");
        assert_eq!(err(404, "").message, "HTTP 404 (empty body)");
        assert_eq!(
            err(400, "[1]").message,
            "HTTP 400 (body is not a Khipu error envelope)"
        );
    }
}
