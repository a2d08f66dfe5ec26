//! The v2 response envelope, unwrapped here and nowhere else.
//!
//! Every v2 answer is wrapped (ComproPago's public documentation and official SDKs):
//!
//! ```json
//! {"object":"orders.create","code":200,"status":"success","message":"success.create",
//!  "request":1559853010380,"url":"/v2/orders","map":"76ab…","data":{…}}
//! ```
//!
//! - a non-2xx status is a [`ProviderError`](pagos_core::ProviderError) ([`crate::error`]);
//! - HTTP 2xx with `code` other than 200 (or, without a `code`, `status: "error"`) is a
//!   provider error too, even though HTTP said 200;
//! - otherwise `data` is decoded; a 2xx body that cannot be decoded is
//!   [`Error::OutcomeUnknown`] with the raw body kept.
//!
//! The ComproPago API v2 reference's example for `GET /v2/orders/{id}` is a **bare**
//! order, not wrapped.
//! Whether that is the real answer or a documentation shortcut cannot be told, so
//! that one endpoint ([`Shape::WrappedOrBare`]) accepts both: a body with neither
//! `code` nor `data` is taken as the order itself.

use pagos_core::{Error, Response, Result};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

/// Which body shapes an endpoint accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Only the v2 envelope.
    Wrapped,
    /// The v2 envelope, or the bare resource (`GET /v2/orders/{id}`).
    WrappedOrBare,
}

/// A decoded value that keeps the JSON it came from.
pub(crate) trait WithRaw {
    /// Stores the JSON object the value was decoded from.
    fn set_raw(&mut self, raw: Value);
}

/// The envelope's fields; `data` is kept as text so amounts inside it are decoded
/// from their exact digits.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    data: Option<Box<RawValue>>,
}

impl Head {
    fn is_envelope(&self) -> bool {
        self.code.is_some() || self.data.is_some()
    }

    fn is_error(&self) -> bool {
        match &self.code {
            Some(Value::Number(n)) => n.as_u64() != Some(200),
            Some(Value::String(s)) => s.trim() != "200",
            Some(Value::Null) | None => self
                .status
                .as_ref()
                .and_then(Value::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case("error")),
            Some(_) => true,
        }
    }
}

/// Checks the status and the envelope and returns the text of the payload
/// (`data`, or the whole body for an accepted bare resource).
fn payload<'r>(resp: &'r Response, shape: Shape) -> Result<std::borrow::Cow<'r, str>> {
    if !resp.is_success() {
        return Err(resp.refusal(crate::error::from_response(resp)));
    }
    // The envelope and every resource are JSON objects; anything else (an array, a
    // string, HTML) is not an answer this SDK can read.
    if resp.body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(resp.undecodable("expected a JSON object").into());
    }
    let head: Head = resp.json()?;
    if !head.is_envelope() {
        return match shape {
            Shape::WrappedOrBare => std::str::from_utf8(&resp.body)
                .map(std::borrow::Cow::Borrowed)
                .map_err(|e| resp.undecodable(e.to_string()).into()),
            Shape::Wrapped => Err(resp
                .undecodable("expected ComproPago's v2 envelope with `code` and `data`")
                .into()),
        };
    }
    if head.is_error() {
        let envelope: Value = resp.json()?;
        return Err(crate::error::envelope_refusal(resp, &envelope));
    }
    match head.data {
        Some(data) => Ok(std::borrow::Cow::Owned(data.get().to_string())),
        None => Err(resp
            .undecodable("the envelope says success but has no `data`")
            .into()),
    }
}

fn decode<T: DeserializeOwned>(resp: &Response, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::from(resp.undecodable(e.to_string())))
}

/// Unwraps one resource.
pub(crate) fn one<T: DeserializeOwned + WithRaw>(resp: &Response, shape: Shape) -> Result<T> {
    let text = payload(resp, shape)?;
    let mut value: T = decode(resp, &text)?;
    value.set_raw(decode(resp, &text)?);
    Ok(value)
}

/// Unwraps a list of resources, each keeping its own JSON.
pub(crate) fn list<T: DeserializeOwned + WithRaw>(resp: &Response) -> Result<Vec<T>> {
    let text = payload(resp, Shape::Wrapped)?;
    let items: Vec<Box<RawValue>> = decode(resp, &text)?;
    items
        .iter()
        .map(|item| {
            let mut value: T = decode(resp, item.get())?;
            value.set_raw(decode(resp, item.get())?);
            Ok(value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Thing {
        id: String,
        #[serde(skip)]
        raw: Value,
    }

    impl WithRaw for Thing {
        fn set_raw(&mut self, raw: Value) {
            self.raw = raw;
        }
    }

    fn resp(status: u16, body: &'static str) -> Response {
        Response::new("compropago", "test", status, body)
    }

    #[test]
    fn wrapped_and_bare() {
        let t: Thing = one(
            &resp(200, r#"{"code":200,"status":"success","data":{"id":"a"}}"#),
            Shape::Wrapped,
        )
        .unwrap();
        assert_eq!(t.id, "a");
        assert_eq!(t.raw["id"], "a");
        let t: Thing = one(&resp(200, r#"{"id":"b"}"#), Shape::WrappedOrBare).unwrap();
        assert_eq!(t.id, "b");
        let e = one::<Thing>(&resp(200, r#"{"id":"b"}"#), Shape::Wrapped).unwrap_err();
        assert!(matches!(e, Error::OutcomeUnknown(_)), "{e:?}");
    }

    #[test]
    fn envelope_error_codes() {
        for body in [
            r#"{"code":400,"status":"error","message":"bad","data":null}"#,
            r#"{"code":"404","message":"nope"}"#,
            r#"{"status":"error","message":"nope","data":{}}"#,
        ] {
            let e = one::<Thing>(&resp(200, body), Shape::WrappedOrBare).unwrap_err();
            let p = e
                .as_provider_error()
                .unwrap_or_else(|| panic!("{body}: {e:?}"));
            assert_eq!(p.http_status, 200);
            assert_eq!(p.raw_body, body);
        }
        let t: Thing = one(
            &resp(200, r#"{"code":"200","data":{"id":"c"}}"#),
            Shape::Wrapped,
        )
        .unwrap();
        assert_eq!(t.id, "c");
    }

    #[test]
    fn success_without_data_or_json_is_outcome_unknown() {
        for body in [r#"{"code":200,"status":"success"}"#, "<html>", "[1,2]"] {
            let e = one::<Thing>(&resp(200, body), Shape::WrappedOrBare).unwrap_err();
            assert!(matches!(e, Error::OutcomeUnknown(_)), "{body}: {e:?}");
        }
    }
}
