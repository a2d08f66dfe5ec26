//! Kashpay's response envelope: `success` plus, on failure, `error{name,message,code}`.
//!
//! Every Onsigna response carries `success`, and a refusal is
//! `{"success":false,"error":{"name":"EntityException","message":"No se pudo procesar el pago","code":1022}}`
//! *whatever the HTTP status* (Kashpay's public documentation): the Kashpay API's failure
//! example arrives with HTTP 200. This module is the ONE place that reads the envelope:
//! [`refusal`] is the executors' refusal hook, and every endpoint's `parse` decodes
//! through the same reading.

use pagos_core::transport::Response;
use pagos_core::{ProviderError, Raw, Result};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Kashpay's reading of an answer: the refusal hook both clients' executors are built
/// with ([`pagos_core::Executor::with_refusal`]).
///
/// - `success:false` (any HTTP status) → a refusal with `error.code`,
///   `error.name: error.message` and the HTTP status as received (a 401/403 with the
///   envelope is still a refusal of the token, so the session re-authenticates);
/// - any other non-2xx answer (JSON without the envelope, HTML, empty) → a refusal
///   whose message says what came (`HTTP 502 with a non-JSON body`; a 401/403 says
///   the token or credentials were refused);
/// - anything else (2xx without `success:false`) → `None`: the endpoint reads it.
///
/// [`Response::refusal`] turns the refusal into an error (a 5xx to `createOrder` is an
/// unknown outcome there).
///
/// ```
/// use pagos_core::{Error, Response};
/// let body = r#"{"success":false,"error":{"name":"EntityException","message":"No se pudo procesar el pago","code":1022}}"#;
/// let answer = Response::new(pagos_kashpay::PROVIDER, "create_order", 200, body);
/// let refusal = pagos_kashpay::error::refusal(&answer).expect("a refusal under HTTP 200");
/// assert_eq!(refusal.code.as_deref(), Some("1022"));
/// assert!(matches!(answer.refusal(refusal), Error::Provider(_)));
///
/// let ok = Response::new(pagos_kashpay::PROVIDER, "create_order", 200, r#"{"success":true}"#);
/// assert!(pagos_kashpay::error::refusal(&ok).is_none());
/// ```
pub fn refusal(response: &Response) -> Option<ProviderError> {
    match read(response) {
        Reading::Refused(refusal) => Some(refusal),
        Reading::Success | Reading::NoFlag { .. } => None,
    }
}

/// What the envelope says.
enum Reading {
    Refused(ProviderError),
    /// 2xx with `success:true`.
    Success,
    /// 2xx without a boolean `success` flag; `json` says whether the body is JSON.
    NoFlag {
        json: bool,
    },
}

fn read(resp: &Response) -> Reading {
    // The head is read into a `Value` only to find `success`/`error`; the payload itself
    // is decoded from the bytes, so no amount passes through `f64`.
    let head: Option<Value> = serde_json::from_slice(&resp.body).ok();
    let success = head
        .as_ref()
        .and_then(|v| v.get("success"))
        .and_then(Value::as_bool);
    match success {
        Some(false) => Reading::Refused(envelope_error(resp, head.as_ref())),
        _ if !resp.is_success() => Reading::Refused(http_error(resp, head.as_ref())),
        Some(true) => Reading::Success,
        None => Reading::NoFlag {
            json: head.is_some(),
        },
    }
}

/// Decodes an accepted Kashpay answer into `T` and keeps it as a [`Raw`], checking the
/// envelope first:
///
/// - a refusal ([`refusal`]) → the error [`Response::refusal`] makes of it (so an
///   endpoint's `parse` given a refused answer by hand says what the executor would);
/// - 2xx with `success:true` → `T` decoded once from the bytes (amounts stay exact), or
///   [`pagos_core::Error::OutcomeUnknown`] when the body does not have `T`'s shape;
/// - 2xx without a `success` flag or not JSON → [`pagos_core::Error::OutcomeUnknown`].
pub(crate) fn decode<T: DeserializeOwned>(resp: &Response) -> Result<(T, Raw)> {
    match read(resp) {
        Reading::Refused(refusal) => Err(resp.refusal(refusal)),
        Reading::Success => resp.json_with_raw::<T>(),
        Reading::NoFlag { json } => {
            let detail = if json {
                "the JSON answer has no boolean `success` flag"
            } else {
                "the answer is not JSON"
            };
            Err(resp.undecodable(detail).into())
        }
    }
}

/// `{"success":false,"error":{...}}` → a provider error.
fn envelope_error(resp: &Response, head: Option<&Value>) -> ProviderError {
    let error = head.and_then(|v| v.get("error"));
    let text = |key: &str| {
        error
            .and_then(|e| e.get(key))
            .and_then(scalar_text)
            .filter(|s| !s.trim().is_empty())
    };
    let name = text("name");
    let message = text("message");
    let code = text("code");
    let message = match (name, message) {
        // The exception name is kept in the message: "EntityException: No se pudo procesar el pago".
        (Some(n), Some(m)) => format!("{n}: {m}"),
        (None, Some(m)) => m,
        (Some(n), None) => n,
        (None, None) => "the provider answered success=false without error details".to_string(),
    };
    let mut e = resp.provider_error().with_message(message);
    if let Some(code) = code {
        e = e.with_code(code);
    }
    e
}

/// A non-2xx answer without Kashpay's envelope (gateway pages, Spring's default
/// `{"status":401,"error":"Unauthorized","message":...}`, empty bodies).
fn http_error(resp: &Response, head: Option<&Value>) -> ProviderError {
    let status = resp.status;
    let from_json = head.and_then(|v| {
        ["message", "error"]
            .iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str))
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
    });
    let base = match from_json {
        Some(m) => m,
        None if head.is_some() => format!("HTTP {status}"),
        None if resp.body.is_empty() => format!("HTTP {status} with an empty body"),
        None => format!("HTTP {status} with a non-JSON body"),
    };
    let message = if matches!(status, 401 | 403) {
        format!("the session token or credentials were refused: {base}")
    } else {
        base
    };
    resp.provider_error().with_message(message)
}

/// A JSON string or number as text (`code` arrives as `1022`).
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::Error;

    #[derive(Debug, serde::Deserialize)]
    struct Ok {
        #[allow(dead_code)]
        success: bool,
    }

    fn resp(status: u16, body: &str) -> Response {
        Response::new("kashpay", "create_order", status, body.to_string())
    }

    fn decode_error(status: u16, body: &str) -> Error {
        let refused = refusal(&resp(status, body)).is_some();
        let err = decode::<Ok>(&resp(status, body)).unwrap_err();
        // The hook and the decoder read the envelope alike.
        assert_eq!(refused, !matches!(err, Error::OutcomeUnknown(_)), "{err:?}");
        err
    }

    #[test]
    fn success_false_is_a_provider_error_whatever_the_status() {
        for status in [200, 400, 500] {
            let body = r#"{"success":false,"error":{"name":"EntityException","message":"No se pudo procesar el pago","code":1022}}"#;
            let p = refusal(&resp(status, body)).expect("refusal");
            assert_eq!(p.http_status, status);
            assert_eq!(p.code.as_deref(), Some("1022"));
            assert_eq!(p.message, "EntityException: No se pudo procesar el pago");
            assert_eq!(p.raw_body, body);
            let err = decode_error(status, body);
            assert_eq!(err.as_provider_error(), Some(&p));
        }
    }

    #[test]
    fn envelope_without_details() {
        let err = decode_error(200, r#"{"success":false}"#);
        let p = err.as_provider_error().unwrap();
        assert_eq!(p.code, None);
        assert!(p.message.contains("without error details"));
    }

    #[test]
    fn non_envelope_errors() {
        let err = decode_error(502, "<html>Bad gateway</html>");
        let p = err.as_provider_error().unwrap();
        assert_eq!(p.message, "HTTP 502 with a non-JSON body");
        let err = decode_error(
            401,
            r#"{"status":401,"error":"Unauthorized","path":"/OKPay/createOrder"}"#,
        );
        let p = err.as_provider_error().unwrap();
        assert!(p.is_unauthorized());
        assert!(p.message.ends_with("Unauthorized"), "{}", p.message);
        let err = decode_error(403, "");
        assert!(
            err.as_provider_error()
                .unwrap()
                .message
                .contains("empty body")
        );
    }

    #[test]
    fn undecodable_success_is_outcome_unknown() {
        for body in ["<html>ok</html>", r#"{"orderEntityResponse":{}}"#] {
            assert!(refusal(&resp(200, body)).is_none(), "{body}");
            match decode_error(200, body) {
                Error::OutcomeUnknown(u) => {
                    assert_eq!(u.raw_body.as_deref(), Some(body));
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn success_keeps_the_answer_exact() {
        let body = r#"{"success": true, "amount": 1500.50}"#;
        let (_, raw) = decode::<Ok>(&resp(200, body)).unwrap();
        assert_eq!(raw.get(), body);
    }
}
