//! Lenient serde helpers for Khipu's JSON (ids that arrive as numbers or strings,
//! lists that arrive as `null`).

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an integer")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

/// An id that arrives as a JSON string or integer, kept as text; `null` is `None`.
/// Use with `#[serde(default, deserialize_with = "...")]`.
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(TextVisitor)
}

/// Like [`opt_text`] for a required field.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    opt_text(d)?.ok_or_else(|| de::Error::custom("expected a string or an integer, got null"))
}

/// A value whose `null` means "empty". Use with `#[serde(default, deserialize_with = "...")]`.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct W {
        #[serde(default, deserialize_with = "opt_text")]
        id: Option<String>,
        #[serde(deserialize_with = "text")]
        req: String,
        #[serde(default, deserialize_with = "null_as_default")]
        list: Vec<String>,
    }

    #[test]
    fn ids_as_numbers_or_strings() {
        let w: W = serde_json::from_str(r#"{"id": 985101, "req": "12", "list": null}"#).unwrap();
        assert_eq!(w.id.as_deref(), Some("985101"));
        assert_eq!(w.req, "12");
        assert!(w.list.is_empty());
        let w: W = serde_json::from_str(r#"{"id": "abc", "req": 7, "list": ["a"]}"#).unwrap();
        assert_eq!(w.id.as_deref(), Some("abc"));
        assert_eq!(w.req, "7");
        assert_eq!(w.list, ["a"]);
        let w: W = serde_json::from_str(r#"{"id": null, "req": 7}"#).unwrap();
        assert_eq!(w.id, None);
        assert!(serde_json::from_str::<W>(r#"{"req": null}"#).is_err());
        assert!(serde_json::from_str::<W>(r#"{"req": 1.5}"#).is_err());
    }
}
