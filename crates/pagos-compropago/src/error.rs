//! ComproPago's error answers as [`ProviderError`]s.
//!
//! ComproPago refuses a request in two ways (its public documentation, and the official
//! SDKs' `validateResponse`, which checks both):
//! - a non-2xx HTTP status, usually with a JSON body carrying `code` and `message`;
//! - HTTP 200 with the v2 envelope's `code` other than 200 (`{"code":400,
//!   "status":"error","message":"…"}`).
//!
//! Both become a [`ProviderError`] with the HTTP status, the envelope's `code` (as
//! text) and `message`, and the body exactly as received. A non-JSON error body (an
//! HTML page from a proxy) keeps a generic message and its raw body.

use pagos_core::transport::Idempotency;
use pagos_core::{OutcomeUnknown, ProviderError, Response, UnknownCause};
use serde_json::Value;

/// The error of a non-2xx answer.
pub(crate) fn from_response(resp: &Response) -> ProviderError {
    let base = resp.provider_error();
    match serde_json::from_slice::<Value>(&resp.body) {
        Ok(body @ Value::Object(_)) => refine(base, &body),
        Ok(_) | Err(_) if resp.body.iter().all(u8::is_ascii_whitespace) => {
            base.with_message(format!("HTTP {} with an empty body", resp.status))
        }
        Ok(_) | Err(_) => base.with_message(format!(
            "HTTP {} with a body that is not ComproPago's JSON error",
            resp.status
        )),
    }
}

/// The error of an HTTP 2xx answer whose envelope says the call failed.
pub(crate) fn from_envelope(resp: &Response, envelope: &Value) -> ProviderError {
    let base = resp
        .provider_error()
        .with_message("ComproPago answered HTTP 200 with an error envelope");
    refine(base, envelope)
}

/// The error an error envelope under HTTP 2xx means. The envelope's `code` mirrors an
/// HTTP status; a 5xx there is ComproPago failing while it handled the request, so for
/// a request that changes state it is an unknown outcome, exactly like an HTTP 5xx.
pub(crate) fn envelope_refusal(resp: &Response, envelope: &Value) -> pagos_core::Error {
    let refusal = from_envelope(resp, envelope);
    let server_failure = refusal
        .code
        .as_deref()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .is_some_and(|c| (500..=599).contains(&c));
    if server_failure && resp.idempotency() == Idempotency::NonIdempotent {
        return OutcomeUnknown::from_refusal(
            refusal,
            UnknownCause::ServerError,
            resp.idempotency(),
        )
        .into();
    }
    resp.refusal(refusal)
}

/// Fills in `code` and `message` from a JSON error body.
fn refine(mut err: ProviderError, body: &Value) -> ProviderError {
    if let Some(code) = body.get("code").and_then(text) {
        err = err.with_code(code);
    }
    let message = body
        .get("message")
        .and_then(text)
        .or_else(|| body.get("error").and_then(text))
        .or_else(|| {
            body.get("error")
                .and_then(|e| e.get("message"))
                .and_then(text)
        })
        .filter(|m| !m.trim().is_empty());
    if let Some(message) = message {
        err = err.with_message(message);
    }
    err
}

/// A string or a number as text.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &'static str) -> Response {
        Response::new("compropago", "get_order", status, body)
    }

    #[test]
    fn json_error_body() {
        let e = from_response(&resp(
            401,
            r#"{"code":401,"status":"error","message":"Invalid keys"}"#,
        ));
        assert_eq!(e.http_status, 401);
        assert_eq!(e.code.as_deref(), Some("401"));
        assert_eq!(e.message, "Invalid keys");
    }

    #[test]
    fn non_json_and_empty_bodies() {
        let e = from_response(&resp(502, "<html>Bad gateway</html>"));
        assert_eq!(e.code, None);
        assert_eq!(e.raw_body, "<html>Bad gateway</html>");
        assert!(e.message.contains("HTTP 502"));
        let e = from_response(&resp(500, ""));
        assert!(e.message.contains("empty body"));
    }

    #[test]
    fn nested_error_message() {
        let e = from_response(&resp(400, r#"{"error":{"message":"bad price"}}"#));
        assert_eq!(e.message, "bad price");
    }
}
