//! Kashpay's wire formats that more than one field shares: the amount, the
//! transaction date's default (today in Mexico City; its format is an assumption,
//! [`crate::DateFormat`]), identifiers that arrive as strings or numbers, timestamps.

use pagos_core::{Decimal, Money};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};
use serde_json::Value;
use time::format_description::BorrowedFormatItem;
use time::macros::{format_description, offset};
use time::{Date, OffsetDateTime, UtcOffset};

/// THE amount wire format: a JSON number in pesos with exactly two decimals
/// (`250.00`). The Kashpay API's example sends `"amount": 250` and echoes it in the
/// balances (`initialBalance` 10000 → `finalBalance` 10250), so the unit is pesos, not
/// centavos. The number is written from the decimal's text, never through `f64`.
pub(crate) fn serialize_amount<S: Serializer>(amount: &Money, s: S) -> Result<S::Ok, S::Error> {
    let plain: Decimal = amount
        .to_plain_string()
        .parse()
        .map_err(serde::ser::Error::custom)?;
    pagos_core::wire::json_number::serialize(&plain, s)
}

/// Today in Mexico City (UTC−6 all year since Mexico dropped daylight saving in 2022).
pub(crate) fn today_in_mexico_city() -> Date {
    const MEXICO_CITY: UtcOffset = offset!(-6);
    OffsetDateTime::now_utc().to_offset(MEXICO_CITY).date()
}

/// `2022-12-20T17:11:46.794+0000` (offset without a colon) or RFC 3339.
const ONSIGNA_TIMESTAMP: &[BorrowedFormatItem<'static>] = format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]][offset_hour sign:mandatory][offset_minute]"
);

/// Parses an Onsigna timestamp; `None` when it has another shape (the raw response
/// keeps the original text, and a created order is never turned into an error just
/// because a timestamp is odd).
pub(crate) fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    OffsetDateTime::parse(text, ONSIGNA_TIMESTAMP)
        .or_else(|_| OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339))
        .ok()
}

/// An identifier that arrives as a string (`"13699"`) or a number (`13699`); `null` and
/// a missing field are `None`.
pub(crate) mod opt_text {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => Err(D::Error::custom(format!(
                "expected a string or a number, got {other}"
            ))),
        }
    }
}

/// An identifier that must be present, as a string or a number.
pub(crate) mod text {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        opt_text::deserialize(d)?.ok_or_else(|| D::Error::custom("value is missing"))
    }
}

/// A non-negative integer that arrives as a number or a numeric string (`expires`,
/// `totalItems`); `null`, `""` and a missing field are `None`.
pub(crate) mod opt_u64 {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("{n} is not a non-negative integer"))),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .trim()
                .parse::<u64>()
                .map(Some)
                .map_err(|_| D::Error::custom(format!("{s:?} is not a non-negative integer"))),
            Some(other) => Err(D::Error::custom(format!(
                "expected an integer, got {other}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::Currency;
    use time::Month;

    #[test]
    fn amount_has_two_decimals_and_no_float() {
        #[derive(serde::Serialize)]
        struct W {
            #[serde(serialize_with = "serialize_amount")]
            amount: Money,
        }
        let json = |s: &str| {
            serde_json::to_string(&W {
                amount: Money::parse(s, Currency::Mxn).unwrap(),
            })
            .unwrap()
        };
        assert_eq!(json("250"), r#"{"amount":250.00}"#);
        assert_eq!(json("0.1"), r#"{"amount":0.10}"#);
        assert_eq!(json("1234567.89"), r#"{"amount":1234567.89}"#);
    }

    #[test]
    fn date_transaction_is_ddmmyy_by_default() {
        let format = crate::WireAssumptions::default().date_transaction;
        let d = Date::from_calendar_date(2021, Month::April, 3).unwrap();
        assert_eq!(format.format(d), "030421");
        let d = Date::from_calendar_date(2025, Month::December, 31).unwrap();
        assert_eq!(format.format(d), "311225");
    }

    #[test]
    fn timestamps() {
        let t = parse_timestamp("2022-12-20T17:11:46.794+0000").unwrap();
        assert_eq!(t.unix_timestamp(), 1_671_556_306);
        assert_eq!(t.millisecond(), 794);
        assert!(parse_timestamp("2022-12-20T17:11:46-06:00").is_some());
        assert!(parse_timestamp("2022-12-20T11:11:46-0600").is_some());
        assert!(parse_timestamp("20/12/2022").is_none());
    }
}
