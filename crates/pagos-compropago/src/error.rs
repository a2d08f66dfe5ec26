//! ComproPago's refusals: the [`refusal`] hook the client's executor is built with.
//!
//! ComproPago refuses a request in two ways (its public documentation, and the official
//! SDKs' `validateResponse`, which checks both):
//! - a non-2xx HTTP status, usually with a JSON body carrying `code` and `message`;
//! - HTTP 200 with the v2 envelope's `code` other than 200 (`{"code":400,
//!   "status":"error","message":"…"}`), or, without a `code`, `"status":"error"`.
//!
//! Both become a [`ProviderError`] with the HTTP status, the envelope's `code` (as
//! text) and `message`, and the body as received (credentials redacted). A non-JSON
//! error body (an HTML page from a proxy) keeps a generic message and its body.
//!
//! The envelope's `code` mirrors an HTTP status: a 5xx there is ComproPago failing
//! while it handled the request, so the refusal is marked
//! [`ProviderError::as_server_failure`] and [`Response::refusal`] makes it an unknown
//! outcome for a request that changes state, exactly like an HTTP 5xx.
//!
//! ```
//! use pagos_compropago::{PROVIDER, error};
//! use pagos_core::transport::Idempotency;
//! use pagos_core::{Error, Response};
//!
//! let body = r#"{"code":400,"status":"error","message":"El campo product.price es requerido"}"#;
//! let answer = Response::new(PROVIDER, "create_order", 200, body);
//! let refusal = error::refusal(&answer).expect("an error envelope under HTTP 200");
//! assert_eq!(refusal.code.as_deref(), Some("400"));
//! assert!(matches!(answer.refusal(refusal), Error::Provider(_)));
//!
//! let failed = r#"{"code":503,"status":"error","message":"Servicio no disponible"}"#;
//! let answer = Response::new(PROVIDER, "create_order", 200, failed)
//!     .with_idempotency(Idempotency::NonIdempotent);
//! let refusal = error::refusal(&answer).unwrap();
//! assert!(answer.refusal(refusal).is_outcome_unknown());
//! ```

use pagos_core::{ProviderError, Response};
use serde_json::Value;

use crate::envelope::Head;

/// The refusal `response` means, or `None` for an answer to parse: every non-2xx
/// status, and a 2xx whose v2 envelope says the call failed. Installed in the client's
/// executor with [`pagos_core::endpoint::Executor::with_refusal`].
pub fn refusal(response: &Response) -> Option<ProviderError> {
    if !response.is_success() {
        return Some(from_status(response));
    }
    let head = Head::read(&response.body)?;
    if !(head.is_envelope() && head.is_error()) {
        return None;
    }
    let base = response
        .provider_error()
        .with_message("ComproPago answered HTTP 200 with an error envelope");
    let refusal = match serde_json::from_slice::<Value>(&response.body) {
        Ok(envelope) => refine(base, &envelope),
        Err(_) => base,
    };
    Some(if is_server_failure_under_2xx(&refusal) {
        refusal.as_server_failure()
    } else {
        refusal
    })
}

/// An error envelope under HTTP 2xx whose `code` is 5xx.
fn is_server_failure_under_2xx(p: &ProviderError) -> bool {
    (200..300).contains(&p.http_status)
        && p.code
            .as_deref()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .is_some_and(|c| (500..=599).contains(&c))
}

/// The refusal of a non-2xx answer.
fn from_status(resp: &Response) -> ProviderError {
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
    use pagos_core::Error;
    use pagos_core::UnknownCause;
    use pagos_core::transport::Idempotency;

    fn resp(status: u16, body: &'static str) -> Response {
        Response::new("compropago", "get_order", status, body)
    }

    #[test]
    fn json_error_body() {
        let e = refusal(&resp(
            401,
            r#"{"code":401,"status":"error","message":"Invalid keys"}"#,
        ))
        .unwrap();
        assert_eq!(e.http_status, 401);
        assert_eq!(e.code.as_deref(), Some("401"));
        assert_eq!(e.message, "Invalid keys");
    }

    #[test]
    fn non_json_and_empty_bodies() {
        let e = refusal(&resp(502, "<html>Bad gateway</html>")).unwrap();
        assert_eq!(e.code, None);
        assert_eq!(e.raw_body, "<html>Bad gateway</html>");
        assert!(e.message.contains("HTTP 502"));
        let e = refusal(&resp(500, "")).unwrap();
        assert!(e.message.contains("empty body"));
    }

    #[test]
    fn nested_error_message() {
        let e = refusal(&resp(400, r#"{"error":{"message":"bad price"}}"#)).unwrap();
        assert_eq!(e.message, "bad price");
    }

    #[test]
    fn envelope_error_codes_under_200() {
        for body in [
            r#"{"code":400,"status":"error","message":"bad","data":null}"#,
            r#"{"code":"404","message":"nope"}"#,
            r#"{"status":"error","message":"nope","data":{}}"#,
        ] {
            let p = refusal(&resp(200, body)).unwrap_or_else(|| panic!("{body}"));
            assert_eq!(p.http_status, 200);
            assert_eq!(p.raw_body, body);
        }
        // Successes, bare resources and bodies that are not JSON are for `parse`.
        for body in [
            r#"{"code":200,"status":"success","data":{"id":"a"}}"#,
            r#"{"code":"200","data":{"id":"c"}}"#,
            r#"{"id":"b","status":"error"}"#,
            "<html>",
            "[1,2]",
        ] {
            assert!(refusal(&resp(200, body)).is_none(), "{body}");
        }
    }

    #[test]
    fn a_5xx_code_under_200_is_unknown_only_for_a_create() {
        let body = r#"{"code":503,"status":"error","message":"down"}"#;
        let create = resp(200, body).with_idempotency(Idempotency::NonIdempotent);
        let e = create.refusal(refusal(&create).unwrap());
        let Error::OutcomeUnknown(u) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(u.cause, UnknownCause::ServerError);
        assert_eq!(u.http_status, Some(200));
        assert_eq!(u.code.as_deref(), Some("503"));
        let read = resp(200, body);
        assert!(matches!(
            read.refusal(refusal(&read).unwrap()),
            Error::Provider(_)
        ));
        let bad = resp(200, r#"{"code":400,"status":"error","message":"bad"}"#)
            .with_idempotency(Idempotency::NonIdempotent);
        assert!(matches!(
            bad.refusal(refusal(&bad).unwrap()),
            Error::Provider(_)
        ));
    }
}
