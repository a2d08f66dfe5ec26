//! [`Raw`]: a provider's answer exactly as it was sent.
//!
//! Every typed answer, and the unified [`crate::Payment`], [`crate::Payout`] and
//! [`crate::Balance`], keep the provider's JSON as a [`Raw`]: the bytes of the body,
//! checked to be JSON once and never rebuilt. Amounts keep their text (`1500.50`
//! stays `1500.50`, a 30-digit number keeps all 30 digits), which a
//! `serde_json::Value` without `arbitrary_precision` cannot promise.
//!
//! Serializing a [`Raw`] with `serde_json` writes the text as it is, so an answer type
//! that derives `Serialize` prints what the provider said.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A provider's JSON answer, byte for byte.
///
/// ```
/// use pagos_core::Raw;
///
/// let raw = Raw::from_json(r#"{"amount": 1500.50, "big": 123456789012345678901234567890}"#)?;
/// assert!(raw.get().contains("1500.50"));
/// #[derive(serde::Serialize)]
/// struct Answer { raw: Raw }
/// let printed = serde_json::to_string_pretty(&Answer { raw })?;
/// assert!(printed.contains("123456789012345678901234567890"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct Raw(Box<RawValue>);

impl Raw {
    /// Checks that `text` is one JSON value and keeps it as it is (white space
    /// included).
    ///
    /// # Errors
    /// The JSON parser's error when `text` is not a JSON value.
    pub fn from_json(text: impl Into<String>) -> Result<Raw, serde_json::Error> {
        RawValue::from_string(text.into()).map(Raw)
    }

    /// Like [`Raw::from_json`], from bytes.
    ///
    /// # Errors
    /// The JSON parser's error when `bytes` are not one UTF-8 JSON value.
    pub fn from_slice(bytes: &[u8]) -> Result<Raw, serde_json::Error> {
        serde_json::from_slice::<Box<RawValue>>(bytes).map(Raw)
    }

    /// JSON `null`: the raw answer of a value built by hand.
    pub fn null() -> Raw {
        // "null" is valid JSON; the fallback only satisfies the type checker.
        Raw::from_json("null").unwrap_or_else(|_| Raw(Box::<RawValue>::default()))
    }

    /// The JSON text as received.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The text as a [`RawValue`].
    pub fn as_raw_value(&self) -> &RawValue {
        &self.0
    }

    /// `true` for the `null` of a value built by hand.
    pub fn is_null(&self) -> bool {
        self.get() == "null"
    }

    /// Decodes the text into `T`.
    ///
    /// # Errors
    /// The JSON decoder's error.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.get())
    }

    /// The answer as a `serde_json::Value`, for browsing. Numbers go through `f64`
    /// there unless `serde_json`'s `arbitrary_precision` is on: read amounts from
    /// [`Raw::get`] or from the typed answer instead.
    ///
    /// # Errors
    /// Never for a `Raw` (it holds valid JSON); the decoder's error otherwise.
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        self.decode()
    }
}

impl Default for Raw {
    fn default() -> Self {
        Raw::null()
    }
}

impl PartialEq for Raw {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for Raw {}

impl fmt::Debug for Raw {
    /// The text with credential-like fields redacted: a raw answer can carry a secret
    /// (Khipu's receiver creation returns the new receiver's).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Raw")
            .field(&crate::redact::body(self.get()))
            .finish()
    }
}

impl fmt::Display for Raw {
    /// The same redacted text as `Debug`; use [`Raw::get`] for the exact answer.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::redact::body(self.get()))
    }
}

impl Serialize for Raw {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(Raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_text_byte_for_byte_through_serde() {
        let text = r#"{ "a": 1500.50, "b": 0.10, "c": 123456789012345678901234567890 }"#;
        let raw = Raw::from_json(text).unwrap();
        assert_eq!(raw.get(), text);
        #[derive(Serialize)]
        struct Answer<'a> {
            raw: &'a Raw,
        }
        let out = serde_json::to_string_pretty(&Answer { raw: &raw }).unwrap();
        for exact in ["1500.50", "0.10", "123456789012345678901234567890"] {
            assert!(out.contains(exact), "{out}");
        }
        let back: Raw = serde_json::from_str(text).unwrap();
        assert_eq!(back, raw);
    }

    #[test]
    fn refuses_what_is_not_json_and_redacts_debug() {
        assert!(Raw::from_json("{").is_err());
        assert!(Raw::from_slice(b"\xff").is_err());
        assert!(Raw::null().is_null());
        let secret = Raw::from_json(r#"{"secret":"s3cr3t","id":1}"#).unwrap();
        assert!(!format!("{secret:?}").contains("s3cr3t"));
        assert!(!secret.to_string().contains("s3cr3t"));
    }
}
