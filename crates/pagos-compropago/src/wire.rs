//! ComproPago's wire formats for amounts, timestamps and loosely typed ids.
//!
//! Every amount and every timestamp crosses the wire through this module, so the
//! format is decided in one place:
//! - amounts are sent as JSON numbers with exactly the currency's decimals (`150.00`)
//!   and read from a JSON number or a numeric string, never through `f64`;
//! - timestamps are sent as epoch seconds and read from epoch seconds *or*
//!   milliseconds (see [`epoch`]).
//!
//! Structs using these helpers must be decoded from bytes or text, not from a parsed
//! `serde_json::Value` (see [`pagos_core::wire`]).

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};
use serde_json::value::RawValue;

/// Amounts: the one place that decides how money is written and read.
pub(crate) mod amount {
    use pagos_core::{Decimal, Money};

    use super::*;

    /// The amount as it goes on the wire: exactly the currency's minor units, so
    /// `150` MXN is written `150.00`.
    pub(crate) fn to_wire(money: &Money) -> Decimal {
        let mut amount = money.amount();
        amount.rescale(money.currency().minor_units());
        amount
    }

    /// Serializes money as a JSON number with the currency's decimals.
    pub(crate) fn serialize<S: Serializer>(money: &Money, s: S) -> Result<S::Ok, S::Error> {
        pagos_core::wire::json_number::serialize(&to_wire(money), s)
    }

    /// Serializes optional money; `None` is written as `null` (the ComproPago API
    /// v2 reference's `createClabe` example sends `"amount": null`).
    pub(crate) fn serialize_option<S: Serializer>(
        money: &Option<Money>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match money {
            Some(m) => serialize(m, s),
            None => s.serialize_none(),
        }
    }

    /// Reads an optional amount from a JSON number, a numeric string, `null` or `""`.
    pub(crate) fn deserialize_option<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Decimal>, D::Error> {
        pagos_core::wire::lenient_decimal::option::deserialize(d)
    }
}

/// Timestamps.
///
/// ComproPago sends epoch **seconds** in some responses (`createdAt: 1559853010`) and
/// epoch **milliseconds** in others (`createdAt: 1522082069321`), sometimes as a string
/// (`"date": "1564003560"`), and `null` for "never" (`expiresAt: null`). The unit is
/// told apart by size: a value of 10^11 or more is milliseconds. 10^11 seconds is in
/// the year 5138 and 10^11 milliseconds is March 1973, so every timestamp ComproPago
/// can mean (the service started in 2013) falls on the right side of the line.
pub(crate) mod epoch {
    use pagos_core::Decimal;
    use rust_decimal::prelude::ToPrimitive;
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    use super::*;

    /// Values at or above this are milliseconds; below it, seconds.
    const MILLIS_THRESHOLD: i64 = 100_000_000_000;

    /// Epoch seconds, as ComproPago takes them in requests (`expiresAt`, `exp_date`).
    pub(crate) fn to_seconds(t: &OffsetDateTime) -> i64 {
        t.unix_timestamp()
    }

    /// Converts an epoch value in seconds or milliseconds (by the rule above).
    pub(crate) fn from_epoch(value: Decimal) -> Option<OffsetDateTime> {
        let per_unit: i64 = if value.abs() >= Decimal::from(MILLIS_THRESHOLD) {
            1_000_000 // milliseconds to nanoseconds
        } else {
            1_000_000_000 // seconds to nanoseconds
        };
        let nanos = value
            .checked_mul(Decimal::from(per_unit))?
            .trunc()
            .to_i128()?;
        OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
    }

    fn parse(text: &str) -> Result<Option<OffsetDateTime>, String> {
        let text = text.trim();
        if text == "null" {
            return Ok(None);
        }
        let quoted = text.starts_with('"');
        let inner = if quoted {
            serde_json::from_str::<String>(text).map_err(|e| e.to_string())?
        } else {
            text.to_string()
        };
        let inner = inner.trim();
        if inner.is_empty() {
            return Ok(None);
        }
        if let Some(value) = pagos_core::wire::parse_decimal(inner) {
            return from_epoch(value)
                .map(Some)
                .ok_or_else(|| format!("{inner} is not a representable epoch timestamp"));
        }
        if quoted {
            // Not documented, but harmless to accept: an RFC 3339 date-time string.
            if let Ok(t) = OffsetDateTime::parse(inner, &Rfc3339) {
                return Ok(Some(t));
            }
        }
        Err(format!("{inner:?} is not an epoch timestamp"))
    }

    /// Reads `null`, a missing field, epoch seconds or milliseconds (number or string).
    /// Use with `#[serde(default, deserialize_with = "...")]`.
    pub(crate) fn deserialize_option<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        let raw = <&RawValue>::deserialize(d)?;
        parse(raw.get()).map_err(D::Error::custom)
    }

    /// Writes an optional instant of a decoded answer as RFC 3339 text (`None` as
    /// `null`), or as epoch seconds for an instant RFC 3339 cannot write (a year before
    /// 0, read from a negative epoch value), so serializing an answer never fails.
    pub(crate) fn serialize_option_rfc3339<S: Serializer>(
        t: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => match t.format(&Rfc3339) {
                Ok(text) => s.serialize_str(&text),
                Err(_) => s.serialize_i64(to_seconds(t)),
            },
            None => s.serialize_none(),
        }
    }

    /// Writes an optional instant as epoch seconds, `None` as `null`.
    pub(crate) fn serialize_option_seconds<S: Serializer>(
        t: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_i64(to_seconds(t)),
            None => s.serialize_none(),
        }
    }
}

/// Ids that arrive as a string in some responses and as a number in others
/// (`"id": "1"` in `createClabe`, `"id": 169` in `GET /v2/accounts`).
pub(crate) mod lenient_string {
    use super::*;

    /// Reads a string, or a number as the exact text it was sent as (an 18-digit
    /// tracking reference sent as a number keeps every digit); `null` or a missing
    /// field is `None`.
    pub(crate) fn deserialize_option<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<String>, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        let text = raw.get().trim();
        match text.as_bytes().first() {
            _ if text == "null" => Ok(None),
            Some(b'"') => serde_json::from_str(text)
                .map(Some)
                .map_err(D::Error::custom),
            Some(b'-' | b'0'..=b'9') => Ok(Some(text.to_string())),
            _ => Err(D::Error::custom(format!(
                "expected a string or a number, got {text}"
            ))),
        }
    }
}

/// Small counters (instruction `step`) that may arrive as a number or a string.
pub(crate) mod lenient_u32 {
    use serde_json::Value;

    use super::*;

    /// Reads a non-negative integer or its text; anything else is `None`, because a
    /// step number only orders the instructions and is not worth failing over.
    pub(crate) fn deserialize_option<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<u32>, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            Some(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use pagos_core::{Currency, Decimal, Money};
    use serde::{Deserialize, Serialize};
    use time::OffsetDateTime;

    use super::*;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "epoch::deserialize_option")]
        at: Option<OffsetDateTime>,
    }

    fn at(json: &str) -> Option<OffsetDateTime> {
        serde_json::from_str::<T>(json).unwrap().at
    }

    #[test]
    fn seconds_and_milliseconds_are_the_same_instant() {
        let s = at(r#"{"at": 1522082069}"#).unwrap();
        let ms = at(r#"{"at": 1522082069000}"#).unwrap();
        assert_eq!(s, ms);
        assert_eq!(s.unix_timestamp(), 1_522_082_069);
        let ms_frac = at(r#"{"at": 1522082069321}"#).unwrap();
        assert_eq!(ms_frac.unix_timestamp_nanos(), 1_522_082_069_321_000_000);
        assert_eq!(
            at(r#"{"at": "1564003560"}"#).unwrap().unix_timestamp(),
            1_564_003_560
        );
        // Just below and at the threshold.
        assert_eq!(
            at(r#"{"at": 99999999999}"#).unwrap().unix_timestamp(),
            99_999_999_999
        );
        assert_eq!(
            at(r#"{"at": 100000000000}"#).unwrap().unix_timestamp(),
            100_000_000
        );
    }

    #[derive(Serialize)]
    struct Out {
        #[serde(serialize_with = "epoch::serialize_option_rfc3339")]
        at: Option<OffsetDateTime>,
    }

    #[test]
    fn decoded_instants_serialize_as_rfc3339() {
        let out = |at| serde_json::to_string(&Out { at }).unwrap();
        assert_eq!(
            out(at(r#"{"at": 1522082069321}"#)),
            r#"{"at":"2018-03-26T16:34:29.321Z"}"#
        );
        assert_eq!(out(None), r#"{"at":null}"#);
        // Before year 0: no RFC 3339 text, so epoch seconds.
        let ancient = OffsetDateTime::from_unix_timestamp(-63_000_000_000).unwrap();
        assert_eq!(out(Some(ancient)), r#"{"at":-63000000000}"#);
    }

    #[derive(Deserialize)]
    struct Id {
        #[serde(default, deserialize_with = "lenient_string::deserialize_option")]
        id: Option<String>,
    }

    #[test]
    fn ids_keep_the_digits_of_a_number() {
        let id = |json: &str| serde_json::from_str::<Id>(json).map(|i| i.id);
        assert_eq!(id(r#"{"id": 169}"#).unwrap().as_deref(), Some("169"));
        assert_eq!(
            id(r#"{"id": 123456789012345678901234567890}"#)
                .unwrap()
                .as_deref(),
            Some("123456789012345678901234567890")
        );
        assert_eq!(id(r#"{"id": "a\"b"}"#).unwrap().as_deref(), Some("a\"b"));
        assert_eq!(id(r#"{"id": null}"#).unwrap(), None);
        assert_eq!(id(r#"{}"#).unwrap(), None);
        assert!(id(r#"{"id": [1]}"#).is_err());
        assert!(id(r#"{"id": true}"#).is_err());
    }

    #[test]
    fn null_missing_and_empty_are_none() {
        assert_eq!(at(r#"{"at": null}"#), None);
        assert_eq!(at(r#"{}"#), None);
        assert_eq!(at(r#"{"at": ""}"#), None);
        assert!(serde_json::from_str::<T>(r#"{"at": "soon"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"at": true}"#).is_err());
    }

    #[derive(Serialize)]
    struct A {
        #[serde(serialize_with = "amount::serialize")]
        price: Money,
    }

    #[test]
    fn amounts_carry_exactly_two_decimals() {
        let json = |s: &str| {
            serde_json::to_string(&A {
                price: Money::parse(s, Currency::Mxn).unwrap(),
            })
            .unwrap()
        };
        assert_eq!(json("150"), r#"{"price":150.00}"#);
        assert_eq!(json("1499.9"), r#"{"price":1499.90}"#);
        assert_eq!(json("0.01"), r#"{"price":0.01}"#);
        assert_eq!(
            amount::to_wire(&Money::new(Decimal::new(1256, 2), Currency::Mxn).unwrap()),
            Decimal::new(1256, 2)
        );
    }
}
