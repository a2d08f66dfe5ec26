//! Kashpay's response envelope: `success` plus, on failure, `error{name,message,code}`.
//!
//! Every Onsigna response carries `success`, and a refusal is
//! `{"success":false,"error":{"name":"EntityException","message":"No se pudo procesar el pago","code":1022}}`
//! *whatever the HTTP status* (Kashpay's public documentation): the Kashpay API's failure
//! example arrives with HTTP 200. This module is the ONE place that reads the envelope;
//! every endpoint goes through [`decode`].

use pagos_core::transport::Response;
use pagos_core::{Error, ProviderError, Result};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes a Kashpay answer into `T`, checking the envelope first.
///
/// - `success:false` (any HTTP status) → [`Error::Provider`] with `error.code`,
///   `error.name: error.message` and the HTTP status as received (a 401/403 with the
///   envelope is still a refusal of the token, so the session re-authenticates);
/// - any other non-2xx answer (JSON without the envelope, HTML, empty) → [`Error::Provider`];
/// - 2xx with `success:true` → `T` decoded from the bytes (amounts stay exact), or
///   [`Error::OutcomeUnknown`] when the body does not have `T`'s shape;
/// - 2xx without a `success` flag or not JSON → [`Error::OutcomeUnknown`].
///
/// `hint`, when given, is attached to every [`Error::OutcomeUnknown`]: it tells the
/// caller how to find out whether a non-idempotent call took effect.
pub(crate) fn decode<T: DeserializeOwned>(resp: &Response, hint: Option<&str>) -> Result<T> {
    // The head is read into a `Value` only to find `success`/`error`; the payload itself
    // is decoded from the bytes below, so no amount passes through `f64`.
    let head: Option<Value> = serde_json::from_slice(&resp.body).ok();
    let success = head
        .as_ref()
        .and_then(|v| v.get("success"))
        .and_then(Value::as_bool);
    match success {
        // `refusal` turns a 5xx to a state-changing call into an unknown outcome.
        Some(false) => Err(with_hint(
            resp.refusal(envelope_error(resp, head.as_ref())),
            hint,
        )),
        _ if !resp.is_success() => Err(with_hint(
            resp.refusal(http_error(resp, head.as_ref())),
            hint,
        )),
        Some(true) => resp.json::<T>().map_err(|e| with_hint(e, hint)),
        None => {
            let detail = if head.is_some() {
                "the JSON answer has no boolean `success` flag"
            } else {
                "the answer is not JSON"
            };
            Err(with_hint(resp.undecodable(detail).into(), hint))
        }
    }
}

/// Adds `hint` to an [`Error::OutcomeUnknown`]; other errors pass unchanged.
pub(crate) fn with_hint(error: Error, hint: Option<&str>) -> Error {
    match (error, hint) {
        (Error::OutcomeUnknown(u), Some(h)) if u.hint.is_none() => {
            Error::OutcomeUnknown(Box::new((*u).with_hint(h)))
        }
        (other, _) => other,
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

    #[derive(Debug, serde::Deserialize)]
    struct Ok {
        #[allow(dead_code)]
        success: bool,
    }

    fn resp(status: u16, body: &str) -> Response {
        Response::new("kashpay", "create_order", status, body.to_string())
    }

    #[test]
    fn success_false_is_a_provider_error_whatever_the_status() {
        for status in [200, 400, 500] {
            let body = r#"{"success":false,"error":{"name":"EntityException","message":"No se pudo procesar el pago","code":1022}}"#;
            let err = decode::<Ok>(&resp(status, body), None).unwrap_err();
            let p = err.as_provider_error().expect("provider error");
            assert_eq!(p.http_status, status);
            assert_eq!(p.code.as_deref(), Some("1022"));
            assert_eq!(p.message, "EntityException: No se pudo procesar el pago");
            assert_eq!(p.raw_body, body);
        }
    }

    #[test]
    fn envelope_without_details() {
        let err = decode::<Ok>(&resp(200, r#"{"success":false}"#), None).unwrap_err();
        let p = err.as_provider_error().unwrap();
        assert_eq!(p.code, None);
        assert!(p.message.contains("without error details"));
    }

    #[test]
    fn non_envelope_errors() {
        let err = decode::<Ok>(&resp(502, "<html>Bad gateway</html>"), None).unwrap_err();
        let p = err.as_provider_error().unwrap();
        assert_eq!(p.message, "HTTP 502 with a non-JSON body");
        let err = decode::<Ok>(
            &resp(
                401,
                r#"{"status":401,"error":"Unauthorized","path":"/OKPay/createOrder"}"#,
            ),
            None,
        )
        .unwrap_err();
        let p = err.as_provider_error().unwrap();
        assert!(p.is_unauthorized());
        assert!(p.message.ends_with("Unauthorized"), "{}", p.message);
        let err = decode::<Ok>(&resp(403, ""), None).unwrap_err();
        assert!(
            err.as_provider_error()
                .unwrap()
                .message
                .contains("empty body")
        );
    }

    #[test]
    fn undecodable_success_is_outcome_unknown_with_hint() {
        for body in ["<html>ok</html>", r#"{"orderEntityResponse":{}}"#] {
            let err = decode::<Ok>(&resp(200, body), Some("look it up")).unwrap_err();
            match err {
                Error::OutcomeUnknown(u) => {
                    assert_eq!(u.hint.as_deref(), Some("look it up"));
                    assert_eq!(u.raw_body.as_deref(), Some(body));
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }
}
