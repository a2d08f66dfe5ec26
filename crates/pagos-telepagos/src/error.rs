//! The TelePagos error envelope and the ONE place every answer is checked.
//!
//! TelePagos answers errors as `{"status":"error","message":"…"}`, and (its public
//! documentation) possibly with a 2xx HTTP status. [`decode`] therefore looks at the
//! body's `status` on every answer, whatever the HTTP status, before decoding the success
//! shape:
//!
//! | answer | result |
//! |---|---|
//! | 5xx to a request that changes state without `reference_id`, any body | [`Error::OutcomeUnknown`] (TelePagos may have acted) |
//! | any other HTTP status, body `status` = `"error"` | [`Error::Provider`] with the HTTP status and the `message` |
//! | other non-2xx, any other body (JSON or not) | [`Error::Provider`] with the HTTP status |
//! | 2xx that does not decode into the expected shape | [`Error::OutcomeUnknown`] with the raw body |
//! | 2xx that decodes | the value |
//!
//! A refusal of the token (401/403) keeps its HTTP status, which is what makes
//! `TokenSession::call` authenticate again.

use pagos_core::{Error, FieldError, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The fields of the error envelope; everything else is ignored.
#[derive(Debug, Deserialize)]
struct Envelope {
    #[serde(default)]
    status: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<serde_json::Value>,
}

/// Checks an answer for the error envelope and a non-2xx status, then decodes the
/// success shape `T`.
///
/// # Errors
/// See the [module docs](self).
pub(crate) fn decode<T: DeserializeOwned>(resp: &Response) -> Result<T, Error> {
    check(resp)?;
    resp.json::<T>()
}

/// The error check of [`decode`], for answers whose success shape is read separately.
///
/// # Errors
/// [`Error::Provider`] for the error envelope or a non-2xx status.
pub(crate) fn check(resp: &Response) -> Result<(), Error> {
    // A body that is not a JSON object (HTML from a proxy, plain text) has no envelope.
    let envelope = serde_json::from_slice::<Envelope>(&resp.body).ok();
    let said_error = envelope
        .as_ref()
        .and_then(|e| e.status.as_ref())
        .and_then(serde_json::Value::as_str)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("error"));
    if !said_error && resp.is_success() {
        return Ok(());
    }
    let mut err = resp.provider_error();
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
            } else if serde_json::from_slice::<serde_json::Value>(&resp.body).is_ok() {
                "error"
            } else {
                "error with a non-JSON body"
            };
            err = err.with_message(format!("HTTP {} {what}", resp.status));
        }
        Some(other) => err = err.with_message(text(&other)),
    }
    // `refusal` turns a 5xx to a state-changing call into an unknown outcome.
    Err(resp.refusal(err))
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

    #[derive(Debug, Deserialize)]
    struct Ok {
        #[allow(dead_code)]
        status: String,
    }

    fn resp(status: u16, body: &'static str) -> Response {
        Response::new("telepagos", "op", status, body)
    }

    fn provider(r: Result<Ok, Error>) -> pagos_core::ProviderError {
        match r {
            Err(Error::Provider(p)) => *p,
            other => panic!("expected a provider error, got {other:?}"),
        }
    }

    #[test]
    fn error_envelope_with_200_is_an_error() {
        let p = provider(decode(&resp(
            200,
            r#"{"status":"error","message":"Saldo insuficiente"}"#,
        )));
        assert_eq!(p.http_status, 200);
        assert_eq!(p.message, "Saldo insuficiente");
        assert_eq!(
            p.raw_body,
            r#"{"status":"error","message":"Saldo insuficiente"}"#
        );
    }

    #[test]
    fn error_envelope_keeps_the_http_status() {
        let p = provider(decode(&resp(
            401,
            r#"{"status":"error","message":"Unauthenticated."}"#,
        )));
        assert!(p.is_unauthorized());
        assert_eq!(p.message, "Unauthenticated.");
    }

    #[test]
    fn field_messages_become_field_errors() {
        let p = provider(decode(&resp(
            422,
            r#"{"status":"error","message":{"cvu":["El cvu es inválido"],"amount":"requerido"}}"#,
        )));
        assert_eq!(p.field_errors.len(), 2);
        assert!(
            p.field_errors
                .iter()
                .any(|f| f.field == "cvu" && f.message == "El cvu es inválido")
        );
    }

    #[test]
    fn non_json_error_bodies() {
        let p = provider(decode(&resp(502, "<html>Bad gateway</html>")));
        assert_eq!(p.http_status, 502);
        assert_eq!(p.message, "HTTP 502 error with a non-JSON body");
        assert_eq!(p.raw_body, "<html>Bad gateway</html>");
        let p = provider(decode(&resp(500, r#"{"status":"error"}"#)));
        assert_eq!(p.message, "HTTP 500 error without a message");
    }

    #[test]
    fn undecodable_success_is_outcome_unknown() {
        match decode::<Ok>(&resp(200, "<html>ok</html>")) {
            Err(Error::OutcomeUnknown(u)) => {
                assert_eq!(u.raw_body.as_deref(), Some("<html>ok</html>"));
                assert_eq!(u.http_status, Some(200));
            }
            other => panic!("{other:?}"),
        }
        assert!(decode::<Ok>(&resp(200, r#"{"status":"ok"}"#)).is_ok());
        assert!(decode::<Ok>(&resp(200, r#"{"status":"OK ","x":1}"#)).is_ok());
    }
}
