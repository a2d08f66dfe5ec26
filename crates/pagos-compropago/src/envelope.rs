//! The v2 response envelope, unwrapped here and nowhere else.
//!
//! Every v2 answer is wrapped (ComproPago's public documentation and official SDKs):
//!
//! ```json
//! {"object":"orders.create","code":200,"status":"success","message":"success.create",
//!  "request":1559853010380,"url":"/v2/orders","map":"76ab…","data":{…}}
//! ```
//!
//! - a non-2xx status, and HTTP 2xx with `code` other than 200 (or, without a `code`,
//!   `status: "error"`), are refusals: [`crate::error::refusal`], the client's hook;
//! - otherwise the endpoint's `parse` decodes `data` here; a 2xx body that cannot be
//!   decoded is [`pagos_core::Error::OutcomeUnknown`] with the body kept.
//!
//! A resource keeps the exact text of `data` as its `raw` (a slice of the body, byte
//! for byte); each item of a listing keeps its own, and the [`Page`] keeps the whole
//! body.
//!
//! The ComproPago API v2 reference's example for `GET /v2/orders/{id}` is a **bare**
//! order, not wrapped. Whether that is the real answer or a documentation shortcut
//! cannot be told, so that one endpoint ([`Shape::WrappedOrBare`]) accepts both: a
//! body with neither `code` nor `data` is taken as the order itself.

use pagos_core::{Page, Raw, Response, Result};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Which body shapes an endpoint accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Only the v2 envelope.
    Wrapped,
    /// The v2 envelope, or the bare resource (`GET /v2/orders/{id}`).
    WrappedOrBare,
}

/// A decoded answer that keeps the JSON it came from.
pub(crate) trait WithRaw {
    /// Stores the exact JSON text the value was decoded from.
    fn set_raw(&mut self, raw: Raw);
}

/// The envelope's fields; `data` is kept as text so amounts inside it are decoded
/// from their exact digits, and so it can be kept byte for byte.
#[derive(Deserialize)]
pub(crate) struct Head {
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    data: Option<Raw>,
}

impl Head {
    /// The envelope of a body that is a JSON object; `None` for anything else.
    pub(crate) fn read(body: &[u8]) -> Option<Head> {
        if !starts_with_object(body) {
            return None;
        }
        serde_json::from_slice(body).ok()
    }

    /// Whether the body is the v2 envelope rather than a bare resource.
    pub(crate) fn is_envelope(&self) -> bool {
        self.code.is_some() || self.data.is_some()
    }

    /// Whether the envelope says the call failed.
    pub(crate) fn is_error(&self) -> bool {
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

/// The envelope and every resource are JSON objects; anything else (an array, a
/// string, HTML) is not an answer this SDK can read.
fn starts_with_object(body: &[u8]) -> bool {
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// Checks the envelope and returns the exact text of the payload (`data`, or the
/// whole body for an accepted bare resource).
fn payload(resp: &Response, shape: Shape) -> Result<Raw> {
    // The executor's hook has already refused these; an answer parsed by hand (a
    // recorded body) gets the same verdict.
    if let Some(refusal) = crate::error::refusal(resp) {
        return Err(resp.refusal(refusal));
    }
    if !starts_with_object(&resp.body) {
        return Err(resp.undecodable("expected a JSON object").into());
    }
    let head: Head = resp.json()?;
    if !head.is_envelope() {
        return match shape {
            Shape::WrappedOrBare => resp.raw(),
            Shape::Wrapped => Err(resp
                .undecodable("expected ComproPago's v2 envelope with `code` and `data`")
                .into()),
        };
    }
    match head.data {
        Some(data) => Ok(data),
        None => Err(resp
            .undecodable("the envelope says success but has no `data`")
            .into()),
    }
}

fn decode<T: DeserializeOwned + WithRaw>(resp: &Response, raw: Raw) -> Result<T> {
    let mut value: T = raw
        .decode()
        .map_err(|e| pagos_core::Error::from(resp.undecodable(e.to_string())))?;
    value.set_raw(raw);
    Ok(value)
}

/// Unwraps one resource.
pub(crate) fn one<T: DeserializeOwned + WithRaw>(resp: &Response, shape: Shape) -> Result<T> {
    let raw = payload(resp, shape)?;
    decode(resp, raw)
}

/// Unwraps a listing: one [`Page`] (ComproPago's listings are not paged) whose items
/// each keep their own JSON, and which keeps the whole body.
pub(crate) fn list<T: DeserializeOwned + WithRaw>(resp: &Response) -> Result<Page<T>> {
    let data = payload(resp, Shape::Wrapped)?;
    let items: Vec<Raw> = data
        .decode()
        .map_err(|e| pagos_core::Error::from(resp.undecodable(e.to_string())))?;
    let items = items
        .into_iter()
        .map(|item| decode(resp, item))
        .collect::<Result<Vec<T>>>()?;
    Ok(Page::new(items, false, resp.raw()?))
}

#[cfg(test)]
mod tests {
    use pagos_core::Error;

    use super::*;

    #[derive(Deserialize, Debug)]
    struct Thing {
        id: String,
        #[serde(skip)]
        raw: Raw,
    }

    impl WithRaw for Thing {
        fn set_raw(&mut self, raw: Raw) {
            self.raw = raw;
        }
    }

    fn resp(status: u16, body: &'static str) -> Response {
        Response::new("compropago", "test", status, body)
    }

    #[test]
    fn wrapped_and_bare() {
        let t: Thing = one(
            &resp(
                200,
                r#"{"code":200,"status":"success","data": {"id":"a"} }"#,
            ),
            Shape::Wrapped,
        )
        .unwrap();
        assert_eq!(t.id, "a");
        assert_eq!(t.raw.get(), r#"{"id":"a"}"#);
        let t: Thing = one(&resp(200, r#" {"id":"b"}"#), Shape::WrappedOrBare).unwrap();
        assert_eq!(t.id, "b");
        assert_eq!(t.raw.get(), r#"{"id":"b"}"#);
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

    #[test]
    fn lists_keep_each_item_and_the_whole_body() {
        let body = r#"{"code":200,"data":[{"id":"a", "n": 1.50},{"id":"b"}]}"#;
        let page: Page<Thing> = list(&resp(200, body)).unwrap();
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.items[0].raw.get(), r#"{"id":"a", "n": 1.50}"#);
        assert!(!page.has_more);
        assert_eq!(page.raw.get(), body);
        let e = list::<Thing>(&resp(200, r#"{"code":200,"data":{"id":"a"}}"#)).unwrap_err();
        assert!(matches!(e, Error::OutcomeUnknown(_)), "{e:?}");
    }
}
