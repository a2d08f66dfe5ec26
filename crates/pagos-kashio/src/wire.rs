//! The two KashIO wire formats that need care: amounts and timestamps.
//!
//! Every amount and every timestamp KashIO sends or receives goes through this module,
//! so the formats are decided in exactly one place.

/// KashIO amounts: "Decimal ... Usar 2 decimales".
///
/// - Sent as a JSON **number** with exactly two decimals (`15.00`), as in the create
///   example of KashIO's API document (1.0.1.a). Its update example sends `"25.00"` as a
///   string; the object table types the field as Decimal and the create example uses a
///   number, so the number form is used everywhere.
/// - Read leniently: KashIO answers with numbers (`15.0`, `23.32`) and sometimes with
///   strings (`"25.00"` in the void example), through
///   [`pagos_core::wire::lenient_decimal`], never through `f64`; an answer's amount is
///   written back with the digits it was read with.
pub(crate) mod amount {
    use pagos_core::wire::json_number;
    use pagos_core::{Money, ValidationError};
    use rust_decimal::Decimal;
    use serde::Serializer;

    /// Decimal places of every KashIO amount ("Usar 2 decimales").
    pub(crate) const DECIMALS: u32 = 2;

    /// Checks an amount before sending: a currency of [`crate::CURRENCIES`], at most
    /// its decimals, greater than zero.
    pub(crate) fn check(field: &'static str, money: &Money) -> Result<(), ValidationError> {
        crate::CURRENCIES.check(money).map_err(|e| {
            if e.field() == "amount" {
                e.for_field(field)
            } else {
                e
            }
        })?;
        money.ensure_positive().map_err(|e| e.for_field(field))?;
        Ok(())
    }

    /// The amount with exactly two decimals (`15` becomes `15.00`). Only called on
    /// amounts that passed [`check`], so no rounding happens.
    pub(crate) fn to_wire(amount: Decimal) -> Decimal {
        let mut amount = amount;
        amount.rescale(DECIMALS);
        amount
    }

    /// Serializes as a JSON number with exactly two decimals.
    pub(crate) fn serialize<S: Serializer>(amount: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        json_number::serialize(&to_wire(*amount), s)
    }
}

/// KashIO timestamps: `yyyy-MM-ddThh:mm:ss`, without a zone, read as UTC (the reason is
/// written once, on [`crate::kashio_datetime`]).
///
/// The list example uses a space instead of the `T` (`2020-06-07 23:46:11`); both are
/// read. Fractional seconds and an explicit offset (`Z`, `-05:00`) are also read, the
/// latter converted to UTC, so a server change in that direction does not break
/// decoding. Timestamps are written without fractional seconds.
pub(crate) mod datetime {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use time::format_description::BorrowedFormatItem;
    use time::format_description::well_known::Rfc3339;
    use time::macros::{format_description, time};
    use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

    const WIRE: &[BorrowedFormatItem<'static>] =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    const WIRE_FRACTION: &[BorrowedFormatItem<'static>] =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]");

    /// Formats as `yyyy-MM-ddThh:mm:ss`.
    pub(crate) fn format(at: &PrimitiveDateTime) -> String {
        // Formatting a PrimitiveDateTime with only date and time components cannot fail;
        // the fallback keeps the function total anyway.
        at.format(WIRE).unwrap_or_else(|_| at.to_string())
    }

    /// Parses any of the accepted forms.
    pub(crate) fn parse(text: &str) -> Option<PrimitiveDateTime> {
        let text = text.trim();
        // `yyyy-MM-dd hh:mm:ss` is read as `yyyy-MM-ddThh:mm:ss`. `get` keeps this total:
        // a multibyte character around byte 10 is simply not that form.
        let spaced = text
            .get(..10)
            .zip(text.get(10..).and_then(|rest| rest.strip_prefix(' ')));
        let normalized: String = match spaced {
            Some((date, time)) => format!("{date}T{time}"),
            None => text.to_string(),
        };
        PrimitiveDateTime::parse(&normalized, WIRE)
            .or_else(|_| PrimitiveDateTime::parse(&normalized, WIRE_FRACTION))
            .ok()
            .or_else(|| {
                // `checked_to_offset`: an instant whose UTC wall clock is outside
                // `time`'s range (`9999-12-31T23:59:59-01:00`) is not a timestamp this
                // crate can represent; `to_offset` would panic on it.
                OffsetDateTime::parse(&normalized, &Rfc3339)
                    .ok()
                    .and_then(|at| at.checked_to_offset(UtcOffset::UTC))
                    .map(from_offset)
            })
    }

    /// The UTC wall-clock time of an instant, to the second.
    ///
    /// Total: an instant whose UTC wall clock falls outside `time`'s range (say
    /// `9999-12-31T23:00-05:00`, where `to_offset` would panic) saturates to the last
    /// (or first) representable second.
    pub(crate) fn from_offset(at: OffsetDateTime) -> PrimitiveDateTime {
        let Some(utc) = at.checked_to_offset(UtcOffset::UTC) else {
            return if at.offset().is_negative() {
                PrimitiveDateTime::new(Date::MAX, time!(23:59:59))
            } else {
                PrimitiveDateTime::new(Date::MIN, Time::MIDNIGHT)
            };
        };
        let time = utc.time().replace_nanosecond(0).unwrap_or(utc.time());
        PrimitiveDateTime::new(utc.date(), time)
    }

    /// Now, as KashIO wants it: UTC, to the second, without a zone.
    pub(crate) fn now() -> PrimitiveDateTime {
        from_offset(OffsetDateTime::now_utc())
    }

    /// Writes a timestamp as `yyyy-MM-ddThh:mm:ss` (answer types derive `Serialize`).
    pub(crate) fn serialize<S: Serializer>(
        at: &PrimitiveDateTime,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(at))
    }

    /// Reads a required timestamp.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<PrimitiveDateTime, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).ok_or_else(|| D::Error::custom(format!("{text:?} is not a KashIO timestamp")))
    }

    /// Optional timestamps: absent, `null` and `""` are `None`; anything else must parse.
    pub(crate) mod option {
        use super::*;

        /// Writes `None` as `null`, a timestamp as `yyyy-MM-ddThh:mm:ss`.
        pub(crate) fn serialize<S: Serializer>(
            at: &Option<PrimitiveDateTime>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match at {
                Some(at) => super::serialize(at, s),
                None => s.serialize_none(),
            }
        }

        /// Reads an optional timestamp. Use with `#[serde(default, with = ...)]`.
        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<PrimitiveDateTime>, D::Error> {
            match Option::<String>::deserialize(d)? {
                None => Ok(None),
                Some(text) if text.trim().is_empty() => Ok(None),
                Some(text) => parse(&text)
                    .map(Some)
                    .ok_or_else(|| D::Error::custom(format!("{text:?} is not a KashIO timestamp"))),
            }
        }
    }
}

/// Case-insensitive matching of KashIO's enumerated strings (`NEW`, `new`...).
pub(crate) fn eq_ci(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::{Currency, Money};
    use rust_decimal::Decimal;
    use time::macros::datetime;

    #[test]
    fn timestamps_in_every_accepted_form() {
        let expected = datetime!(2020-06-07 23:46:11);
        for text in [
            "2020-06-07T23:46:11",
            "2020-06-07 23:46:11",
            " 2020-06-07T23:46:11 ",
            "2020-06-07T23:46:11.000",
            "2020-06-07T23:46:11Z",
            "2020-06-07T18:46:11-05:00",
        ] {
            assert_eq!(datetime::parse(text), Some(expected), "{text}");
        }
        for bad in ["", "2020-06-07", "07/06/2020 23:46", "2020-13-07T23:46:11"] {
            assert_eq!(datetime::parse(bad), None, "{bad}");
        }
        assert_eq!(datetime::format(&expected), "2020-06-07T23:46:11");
    }

    #[test]
    fn offsets_become_utc_seconds() {
        let at = time::macros::datetime!(2020-01-01 00:00:00.75 -5);
        assert_eq!(
            datetime::from_offset(at),
            time::macros::datetime!(2020-01-01 05:00:00)
        );
    }

    #[test]
    fn instants_beyond_the_utc_range_do_not_panic() {
        // Found by the decoder property tests: `to_offset` panicked on these.
        assert_eq!(datetime::parse("9999-12-31T23:59:59-01:00"), None);
        assert_eq!(
            datetime::parse("0000-01-01T00:00:00+01:00").map(|d| d.year()),
            Some(-1)
        );
        assert_eq!(
            datetime::from_offset(time::macros::datetime!(9999-12-31 23:00:00.5 -5)),
            time::macros::datetime!(9999-12-31 23:59:59)
        );
        assert_eq!(
            datetime::from_offset(time::macros::datetime!(-9999-01-01 00:00:00 +1)),
            time::macros::datetime!(-9999-01-01 00:00:00)
        );
        assert!(
            serde_json::from_str::<crate::Invoice>(
                r#"{"id":"x","created":"9999-12-31T23:59:59-01:00","currency":"PEN","amount":1,"status":"new"}"#
            )
            .is_err()
        );
    }

    #[test]
    fn amounts_have_two_decimals_and_supported_currencies() {
        assert_eq!(amount::to_wire(Decimal::new(15, 0)).to_string(), "15.00");
        assert_eq!(amount::to_wire(Decimal::new(155, 1)).to_string(), "15.50");
        let pen = |s: &str| Money::parse(s, Currency::Pen).unwrap();
        assert!(amount::check("amount", &pen("0.01")).is_ok());
        assert_eq!(
            amount::check("amount", &pen("0")).unwrap_err().field(),
            "amount"
        );
        let mxn = Money::parse("10", Currency::Mxn).unwrap();
        assert_eq!(
            amount::check("amount", &mxn).unwrap_err().field(),
            "currency"
        );
        assert!(amount::check("amount", &Money::parse("10", Currency::Usd).unwrap()).is_ok());
    }
}
