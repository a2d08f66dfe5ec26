//! KashIO's refusals: how a non-2xx answer becomes a [`ProviderError`].
//!
//! KashIO's API document (1.0.1.a, "Errores") lists the HTTP statuses (400, 401, 404,
//! 500) and an `error: Error[]` member of the invoice object, but no error body shape.
//! The raw body is always kept ([`ProviderError::raw_body`]); when the body is JSON with
//! a recognizable message it is lifted into [`ProviderError::message`], looking in this
//! order at:
//!
//! - `message` (string);
//! - `error` as a string, as an object (`error.message`, `error.description`,
//!   `error.code`, `error.field`/`error.param`) or as an array of such objects or
//!   strings (the invoice object's `error: Error[]`);
//! - `errors` as an array (same elements) or as an object of `field: message(s)`;
//! - `detail`, `error_description`, `description`.
//!
//! A top-level JSON array is read like `errors`. Anything else gets a generic message
//! for the status.
//!
//! [`refusal`] is the client's [`pagos_core::endpoint::Refusal`] hook; the executor hands
//! what it returns to [`Response::refusal`], which decides between a definite refusal
//! and an unknown outcome (a 5xx to a create).
//!
//! ```
//! use pagos_core::{Error, Response};
//!
//! let answer = Response::new(pagos_kashio::PROVIDER, "get_invoice", 404,
//!     r#"{"error":{"code":"resource_missing","message":"No such invoice"}}"#);
//! let refusal = pagos_kashio::error::refusal(&answer).expect("a 404 is a refusal");
//! assert_eq!(refusal.message, "No such invoice");
//! assert!(matches!(answer.refusal(refusal), Error::Provider(_)));
//! let ok = Response::new(pagos_kashio::PROVIDER, "get_invoice", 200, "{}");
//! assert!(pagos_kashio::error::refusal(&ok).is_none());
//! ```

use pagos_core::transport::Response;
use pagos_core::{FieldError, ProviderError};
use serde_json::{Map, Value};

/// KashIO's reading of an answer: `None` for a 2xx (an answer to parse), otherwise the
/// refusal with the message, code and field errors lifted from the body (see the
/// [module docs](self)), the redacted body and the `Retry-After` wait.
pub fn refusal(response: &Response) -> Option<ProviderError> {
    if response.is_success() {
        return None;
    }
    let mut err = response.provider_error();
    let lifted = serde_json::from_slice::<Value>(&response.body)
        .map(|v| lift(&v))
        .unwrap_or_default();
    let message = lifted
        .message
        .or_else(|| {
            lifted
                .field_errors
                .first()
                .map(|f| format!("{}: {}", f.field, f.message))
        })
        .unwrap_or_else(|| generic_message(response.status).to_string());
    err = err
        .with_message(message)
        .with_field_errors(lifted.field_errors);
    if let Some(code) = lifted.code {
        err = err.with_code(code);
    }
    Some(err)
}

fn generic_message(status: u16) -> &'static str {
    match status {
        400 => "bad request (KashIO sent no readable error message)",
        401 => "unauthorized: KashIO refused the secret key",
        403 => "forbidden: the secret key may not do this",
        404 => "not found",
        409 => "conflict",
        429 => "too many requests",
        500..=599 => "KashIO server error",
        _ => "KashIO answered with an error (no readable error message)",
    }
}

#[derive(Debug, Default)]
struct Lifted {
    message: Option<String>,
    code: Option<String>,
    field_errors: Vec<FieldError>,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn lift(body: &Value) -> Lifted {
    let mut out = Lifted::default();
    match body {
        Value::Object(map) => lift_object(map, &mut out),
        Value::Array(items) => lift_list(items, &mut out),
        _ => {}
    }
    out
}

impl Lifted {
    /// Keeps the first message found.
    fn offer(&mut self, message: Option<String>) {
        if self.message.is_none() {
            self.message = message;
        }
    }
}

fn lift_object(map: &Map<String, Value>, out: &mut Lifted) {
    out.message = text(map.get("message"));
    out.code = text(map.get("code"));
    match map.get("error") {
        Some(Value::Object(inner)) => lift_error_object(inner, out),
        Some(Value::Array(items)) => lift_list(items, out),
        other => out.offer(text(other)),
    }
    match map.get("errors") {
        Some(Value::Array(items)) => lift_list(items, out),
        Some(Value::Object(fields)) => {
            for (field, messages) in fields {
                let list = match messages {
                    Value::Array(list) => list.as_slice(),
                    other => std::slice::from_ref(other),
                };
                for m in list {
                    if let Some(m) = text(Some(m)) {
                        out.field_errors.push(FieldError::new(field, m));
                    }
                }
            }
        }
        other => out.offer(text(other)),
    }
    for key in ["detail", "error_description", "description"] {
        out.offer(text(map.get(key)));
    }
}

/// `{"message": .., "code": .., "field": ..}`: also a field error when it names a field.
fn lift_error_object(inner: &Map<String, Value>, out: &mut Lifted) {
    let message = text(inner.get("message"))
        .or_else(|| text(inner.get("description")))
        .or_else(|| text(inner.get("detail")));
    if out.code.is_none() {
        out.code = text(inner.get("code"));
    }
    let field = text(inner.get("field")).or_else(|| text(inner.get("param")));
    if let (Some(field), Some(message)) = (field, &message) {
        out.field_errors
            .push(FieldError::new(field, message.clone()));
    }
    out.offer(message);
}

fn lift_list(items: &[Value], out: &mut Lifted) {
    for item in items {
        match item {
            Value::Object(inner) => lift_error_object(inner, out),
            other => out.offer(text(Some(other))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> pagos_core::ProviderError {
        let resp = Response::new("kashio", "get_invoice", status, body.to_string());
        match resp.refusal(refusal(&resp).expect("a refusal")) {
            pagos_core::Error::Provider(p) => *p,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn recognizable_shapes() {
        assert_eq!(
            err(400, r#"{"message":"Invalid amount"}"#).message,
            "Invalid amount"
        );
        assert_eq!(
            err(400, r#"{"error":"invalid_key"}"#).message,
            "invalid_key"
        );
        let e = err(
            400,
            r#"{"error":{"code":"E01","message":"bad","field":"amount"}}"#,
        );
        assert_eq!(e.message, "bad");
        assert_eq!(e.code.as_deref(), Some("E01"));
        assert_eq!(e.field_errors, vec![FieldError::new("amount", "bad")]);
        let e = err(
            400,
            r#"{"error":[{"code":400,"message":"currency not supported"}]}"#,
        );
        assert_eq!(e.message, "currency not supported");
        assert_eq!(e.code.as_deref(), Some("400"));
        let e = err(
            400,
            r#"{"errors":[{"field":"customer.email","message":"invalid"},{"field":"amount","message":"required"}]}"#,
        );
        assert_eq!(e.message, "invalid");
        assert_eq!(e.field_errors.len(), 2);
        let e = err(
            400,
            r#"{"errors":{"amount":["required","must be a number"]}}"#,
        );
        assert_eq!(e.message, "amount: required");
        assert_eq!(e.field_errors.len(), 2);
        assert_eq!(err(404, r#"{"detail":"Not found."}"#).message, "Not found.");
        assert_eq!(err(400, r#"["bad date"]"#).message, "bad date");
    }

    #[test]
    fn generic_messages_keep_the_raw_body() {
        let e = err(500, "<html>oops</html>");
        assert_eq!(e.message, "KashIO server error");
        assert_eq!(e.raw_body, "<html>oops</html>");
        let e = err(401, r#"{"unexpected": true}"#);
        assert_eq!(e.message, "unauthorized: KashIO refused the secret key");
        assert_eq!(err(404, "").message, "not found");
    }
}
