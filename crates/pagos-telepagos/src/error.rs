//! The TelePagos error envelope: the refusal hook every answer goes through.
//!
//! TelePagos answers errors as `{"status":"error","message":"…"}` (TelePagos API, "API
//! Telepagos Empresas": the error answer of every endpoint), and its public
//! documentation warns that the envelope may come with a 2xx HTTP status. [`refusal`]
//! therefore looks at the body's `status` on every answer, whatever the HTTP status,
//! before an endpoint reads the success shape. The client's executor installs it with
//! [`Executor::with_refusal`](pagos_core::Executor::with_refusal), and
//! [`Response::refusal`] turns what it finds into the [`Error`](pagos_core::Error):
//!
//! | answer | result |
//! |---|---|
//! | 5xx to a request that changes state without `reference_id`, any body | [`Error::OutcomeUnknown`](pagos_core::Error::OutcomeUnknown) (TelePagos may have acted) |
//! | any other HTTP status, body `status` = `"error"` | [`Error::Provider`](pagos_core::Error::Provider) with the HTTP status and the `message` |
//! | other non-2xx, any other body (JSON or not) | [`Error::Provider`](pagos_core::Error::Provider) with the HTTP status |
//! | 2xx that does not decode into the expected shape | [`Error::OutcomeUnknown`](pagos_core::Error::OutcomeUnknown) with the raw body (the endpoint's `parse`) |
//! | 2xx that decodes | the value |
//!
//! A refusal of the token (401/403) keeps its HTTP status, which is what makes the
//! executor authenticate again once.
//!
//! ```
//! use pagos_core::{Error, Response};
//!
//! let answer = Response::new(
//!     pagos_telepagos::PROVIDER,
//!     "cashout",
//!     200,
//!     r#"{"status":"error","message":"Saldo insuficiente"}"#,
//! );
//! let refused = pagos_telepagos::error::refusal(&answer).expect("an error envelope");
//! assert_eq!(refused.message, "Saldo insuficiente");
//! assert!(matches!(answer.refusal(refused), Error::Provider(p) if p.http_status == 200));
//!
//! let ok = Response::new(pagos_telepagos::PROVIDER, "cashout", 200, r#"{"status":"ok","id":1}"#);
//! assert!(pagos_telepagos::error::refusal(&ok).is_none());
//! ```

use pagos_core::{FieldError, ProviderError, Response};
use serde::Deserialize;

/// The fields of the error envelope; everything else is ignored.
#[derive(Debug, Deserialize)]
struct Envelope {
    #[serde(default)]
    status: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<serde_json::Value>,
}

/// TelePagos' reading of an answer: `Some` refusal for the error envelope (whatever
/// the HTTP status) and for any non-2xx answer, `None` for an answer to parse.
///
/// The refusal carries the HTTP status, the redacted body, the `Retry-After` wait and
/// the envelope's `message`: a text, or Laravel-style field messages
/// (`{"cvu": ["…"]}`) as [`FieldError`]s. Hand it to [`Response::refusal`] for the
/// [`Error`](pagos_core::Error) it means (the executor does).
pub fn refusal(response: &Response) -> Option<ProviderError> {
    // A body that is not a JSON object (HTML from a proxy, plain text) has no envelope.
    let envelope = serde_json::from_slice::<Envelope>(&response.body).ok();
    let said_error = envelope
        .as_ref()
        .and_then(|e| e.status.as_ref())
        .and_then(serde_json::Value::as_str)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("error"));
    if !said_error && response.is_success() {
        return None;
    }
    let mut err = response.provider_error();
    match envelope.and_then(|e| e.message) {
        Some(serde_json::Value::String(message)) if !message.trim().is_empty() => {
            err = err.with_message(message);
        }
        // Laravel-style validation messages: {"field": ["msg", ...], ...}.
        Some(serde_json::Value::Object(fields)) => {
            let field_errors: Vec<FieldError> = fields
                .iter()
                .flat_map(|(field, messages)| {
                    let messages = match messages {
                        serde_json::Value::Array(items) => items.iter().map(text).collect(),
                        other => vec![text(other)],
                    };
                    messages
                        .into_iter()
                        .map(move |m| FieldError::new(field.clone(), m))
                })
                .collect();
            err = err
                .with_message("the request was rejected")
                .with_field_errors(field_errors);
        }
        Some(serde_json::Value::Null) | None => {
            let what = if said_error {
                "error without a message"
            } else if serde_json::from_slice::<serde::de::IgnoredAny>(&response.body).is_ok() {
                "error"
            } else {
                "error with a non-JSON body"
            };
            err = err.with_message(format!("HTTP {} {what}", response.status));
        }
        Some(other) => err = err.with_message(text(&other)),
    }
    Some(err)
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::Error;
    use pagos_core::transport::Idempotency;

    fn resp(status: u16, body: &'static str) -> Response {
        Response::new("telepagos", "op", status, body)
    }

    /// The error the executor returns for this answer.
    fn error(r: &Response) -> Option<Error> {
        refusal(r).map(|p| r.refusal(p))
    }

    fn provider(r: &Response) -> pagos_core::ProviderError {
        match error(r) {
            Some(Error::Provider(p)) => *p,
            other => panic!("expected a provider error, got {other:?}"),
        }
    }

    #[test]
    fn error_envelope_with_200_is_an_error() {
        let p = provider(&resp(
            200,
            r#"{"status":"error","message":"Saldo insuficiente"}"#,
        ));
        assert_eq!(p.http_status, 200);
        assert_eq!(p.message, "Saldo insuficiente");
        assert_eq!(
            p.raw_body,
            r#"{"status":"error","message":"Saldo insuficiente"}"#
        );
    }

    #[test]
    fn error_envelope_keeps_the_http_status() {
        let p = provider(&resp(
            401,
            r#"{"status":"error","message":"Unauthenticated."}"#,
        ));
        assert!(p.is_unauthorized());
        assert_eq!(p.message, "Unauthenticated.");
    }

    #[test]
    fn field_messages_become_field_errors() {
        let p = provider(&resp(
            422,
            r#"{"status":"error","message":{"cvu":["El cvu es inválido"],"amount":"requerido"}}"#,
        ));
        assert_eq!(p.field_errors.len(), 2);
        assert!(
            p.field_errors
                .iter()
                .any(|f| f.field == "cvu" && f.message == "El cvu es inválido")
        );
    }

    #[test]
    fn non_json_error_bodies() {
        let p = provider(&resp(502, "<html>Bad gateway</html>"));
        assert_eq!(p.http_status, 502);
        assert_eq!(p.message, "HTTP 502 error with a non-JSON body");
        assert_eq!(p.raw_body, "<html>Bad gateway</html>");
        let p = provider(&resp(500, r#"{"status":"error"}"#));
        assert_eq!(p.message, "HTTP 500 error without a message");
        let p = provider(&resp(404, r#""no such page""#));
        assert_eq!(p.message, "HTTP 404 error");
    }

    #[test]
    fn a_5xx_to_a_state_changing_call_is_an_unknown_outcome() {
        let r = resp(
            503,
            r#"{"status":"error","message":"Servicio no disponible"}"#,
        )
        .with_idempotency(Idempotency::NonIdempotent);
        match error(&r) {
            Some(Error::OutcomeUnknown(u)) => {
                assert_eq!(u.message.as_deref(), Some("Servicio no disponible"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn success_answers_are_no_refusal() {
        // Whatever their shape: reading it is the endpoint's business.
        assert!(refusal(&resp(200, "<html>ok</html>")).is_none());
        assert!(refusal(&resp(200, r#"{"status":"ok"}"#)).is_none());
        assert!(refusal(&resp(200, r#"{"status":"OK ","x":1}"#)).is_none());
        assert!(refusal(&resp(204, "")).is_none());
    }
}
