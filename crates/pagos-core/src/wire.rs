//! Serde helpers for provider wire formats.
//!
//! Money never passes through `f64`. JSON numbers are read from their exact text
//! (serde_json's `RawValue`) and written back verbatim, so `15.00` stays `15.00`.
//! Because of that, wire structs using these helpers must be decoded from bytes or
//! text (`serde_json::from_slice`), not from an already parsed `serde_json::Value`.

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// Parses decimal text: plain (`"200.0000"`, `"-1"`) or scientific (`"1e3"`).
///
/// Plain text that a `Decimal` cannot hold exactly (more than 28 significant digits) is
/// refused rather than rounded: an amount is never silently changed.
///
/// ```
/// use pagos_core::wire::parse_decimal;
/// assert_eq!(parse_decimal("200.0000").unwrap().to_string(), "200.0000");
/// assert_eq!(parse_decimal("1.5e2").unwrap().to_string(), "150");
/// assert!(parse_decimal("abc").is_none());
/// ```
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.contains(['e', 'E']) {
        // `Decimal::from_scientific` rounds long mantissas: move the point in the text
        // instead, then parse exactly like plain text.
        Decimal::from_str_exact(&scientific_to_plain(text)?).ok()
    } else {
        Decimal::from_str_exact(text).ok()
    }
}

/// Rewrites `1.25e2` as `125` and `15e-1` as `1.5`; `None` for malformed text or an
/// exponent no `Decimal` could use.
fn scientific_to_plain(text: &str) -> Option<String> {
    let (mantissa, exponent) = text.split_once(['e', 'E'])?;
    // `unsigned_abs`: `abs` overflows on `i64::MIN`, which `parse` accepts.
    let exponent: i64 = exponent
        .parse()
        .ok()
        .filter(|e: &i64| e.unsigned_abs() <= 64)?;
    let (sign, mantissa) = match mantissa.as_bytes().first()? {
        b'-' => ("-", &mantissa[1..]),
        b'+' => ("", &mantissa[1..]),
        _ => ("", mantissa),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int_part}{frac_part}");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let point = i64::try_from(int_part.len()).ok()? + exponent;
    let len = i64::try_from(digits.len()).ok()?;
    let zeros = |n: i64| "0".repeat(usize::try_from(n).unwrap_or(0));
    Some(if point <= 0 {
        format!("{sign}0.{}{digits}", zeros(-point))
    } else if point >= len {
        format!("{sign}{digits}{}", zeros(point - len))
    } else {
        let (whole, fraction) = digits.split_at(usize::try_from(point).ok()?);
        format!("{sign}{whole}.{fraction}")
    })
}

fn decimal_from_raw(raw: &RawValue) -> Result<Option<Decimal>, String> {
    let text = raw.get().trim();
    if text == "null" {
        return Ok(None);
    }
    let inner = if text.starts_with('"') {
        serde_json::from_str::<String>(text).map_err(|e| e.to_string())?
    } else {
        text.to_string()
    };
    if inner.trim().is_empty() {
        return Ok(None);
    }
    parse_decimal(&inner)
        .map(Some)
        .ok_or_else(|| format!("{inner:?} is not a decimal amount"))
}

/// A decimal that arrives as a JSON number or a numeric string.
///
/// ```
/// use rust_decimal::Decimal;
/// #[derive(serde::Deserialize)]
/// struct Wire { #[serde(with = "pagos_core::wire::lenient_decimal")] amount: Decimal }
/// let a: Wire = serde_json::from_str(r#"{"amount": 23.32}"#).unwrap();
/// let b: Wire = serde_json::from_str(r#"{"amount": "23.32"}"#).unwrap();
/// assert_eq!(a.amount, b.amount);
/// assert_eq!(a.amount.to_string(), "23.32");
/// ```
pub mod lenient_decimal {
    use super::*;

    /// Deserializes a number or numeric string.
    ///
    /// # Errors
    /// When the value is null, empty or not numeric.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let raw = <&RawValue>::deserialize(d)?;
        decimal_from_raw(raw)
            .map_err(D::Error::custom)?
            .ok_or_else(|| D::Error::custom("amount is missing"))
    }

    /// Serializes as a JSON number with the decimal's exact digits.
    ///
    /// # Errors
    /// Never with serde_json; other serializers are not supported.
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        super::json_number::serialize(value, s)
    }

    /// The same for `Option<Decimal>`: `null`, a missing field or `""` is `None`.
    /// Use with `#[serde(default, with = "...::option")]`.
    pub mod option {
        use super::*;

        /// Deserializes `null`, `""`, a number or a numeric string.
        ///
        /// # Errors
        /// When the value is not numeric.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
            let raw = <&RawValue>::deserialize(d)?;
            decimal_from_raw(raw).map_err(D::Error::custom)
        }

        /// Serializes `None` as `null` and a value as a JSON number.
        ///
        /// # Errors
        /// Never with serde_json.
        pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => super::super::json_number::serialize(v, s),
                None => s.serialize_none(),
            }
        }
    }
}

/// Writes a decimal as a JSON number with exactly its digits (`15.00`, not `15.0`).
///
/// ```
/// use rust_decimal::Decimal;
/// #[derive(serde::Serialize)]
/// struct Wire { #[serde(serialize_with = "pagos_core::wire::json_number::serialize")] amount: Decimal }
/// let json = serde_json::to_string(&Wire { amount: Decimal::new(1500, 2) }).unwrap();
/// assert_eq!(json, r#"{"amount":15.00}"#);
/// ```
pub mod json_number {
    use super::*;

    /// Serializes the decimal as a JSON number.
    ///
    /// # Errors
    /// Never with serde_json; other serializers are not supported.
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(value.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Serialize)]
    struct W {
        #[serde(with = "lenient_decimal")]
        a: Decimal,
        #[serde(default, with = "lenient_decimal::option")]
        b: Option<Decimal>,
    }

    #[test]
    fn reads_numbers_and_strings_exactly() {
        let w: W = serde_json::from_str(r#"{"a": 200.0000, "b": "0.1"}"#).unwrap();
        assert_eq!(w.a.to_string(), "200.0000");
        assert_eq!(w.b.unwrap().to_string(), "0.1");
        let w: W = serde_json::from_str(r#"{"a": "15", "b": null}"#).unwrap();
        assert_eq!(w.b, None);
        let w: W = serde_json::from_str(r#"{"a": 0.30000000000000004}"#).unwrap();
        assert_eq!(w.a.to_string(), "0.30000000000000004");
        assert!(serde_json::from_str::<W>(r#"{"a": "x"}"#).is_err());
        assert!(serde_json::from_str::<W>(r#"{"a": null}"#).is_err());
        assert!(serde_json::from_str::<W>(r#"{"a": true}"#).is_err());
        // More digits than a Decimal holds exactly: refused, never rounded.
        assert!(serde_json::from_str::<W>(r#"{"a": 0.00000000000000000000000000001}"#).is_err());
        assert!(serde_json::from_str::<W>(r#"{"a": "99999999999999999999999999999.9"}"#).is_err());
        assert!(serde_json::from_str::<W>(r#"{"a": 1.00000000000000000000000000001e0}"#).is_err());
    }

    #[test]
    fn scientific_notation_is_exact() {
        for (text, plain) in [
            ("1.5e2", "150"),
            ("15e-1", "1.5"),
            ("-2.50E+1", "-25.0"),
            ("1e0", "1"),
            ("123e-5", "0.00123"),
        ] {
            assert_eq!(parse_decimal(text).unwrap().to_string(), plain, "{text}");
        }
        for bad in ["e5", "1.2.3e1", "1e", "1e999", "xe1"] {
            assert!(parse_decimal(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn writes_exact_numbers() {
        let w = W {
            a: Decimal::new(2500, 2),
            b: None,
        };
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"a":25.00,"b":null}"#
        );
    }
}
