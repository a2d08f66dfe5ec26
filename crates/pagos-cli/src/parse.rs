//! Turning flag text into SDK values. Every failure is a validation error naming the
//! flag (exit 2, nothing sent).

use pagos::{Currency, Money, ValidationError};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// `--amount` with `--currency` as [`Money`]: exact decimal text, never a float, with
/// the currency's precision checked (CLP has no decimals).
///
/// # Errors
/// A validation error on `currency` or `amount`.
pub fn money(amount: &str, currency: &str) -> Result<Money, ValidationError> {
    let currency: Currency = currency.parse()?;
    Money::parse(amount, currency)
}

/// An instant: RFC 3339 (`2024-05-01T12:00:00-04:00`), a wall-clock time taken as UTC
/// (`2024-05-01T16:00:00`, `2024-05-01 16:00:00`), or epoch seconds.
///
/// # Errors
/// A validation error on `field`.
pub fn datetime(field: &'static str, text: &str) -> Result<OffsetDateTime, ValidationError> {
    let t = text.trim();
    if let Ok(at) = OffsetDateTime::parse(t, &Rfc3339) {
        return Ok(at);
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t
            .parse::<i64>()
            .ok()
            .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
            .ok_or_else(|| ValidationError::new(field, "epoch seconds out of range"));
    }
    let wall = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let spaced = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    PrimitiveDateTime::parse(t, wall)
        .or_else(|_| PrimitiveDateTime::parse(t, spaced))
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|_| {
            ValidationError::new(
                field,
                format!(
                    "{t:?} is not a date-time: use RFC 3339 (2024-05-01T12:00:00-04:00), \
                     YYYY-MM-DDTHH:MM:SS (UTC) or epoch seconds"
                ),
            )
        })
}

/// A calendar day, `YYYY-MM-DD`.
///
/// # Errors
/// A validation error on `field`.
pub fn date(field: &'static str, text: &str) -> Result<Date, ValidationError> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| ValidationError::new(field, format!("{text:?} is not a YYYY-MM-DD date")))
}

/// `key=value` (for `--param`, `--metadata`).
///
/// # Errors
/// A validation error on `field` when there is no `=` or the key is empty.
pub fn key_value(field: &'static str, text: &str) -> Result<(String, String), ValidationError> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(ValidationError::new(
            field,
            format!("{text:?} is not key=value"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_exact_and_checked() {
        assert_eq!(money("10.50", "ars").unwrap().to_plain_string(), "10.50");
        assert_eq!(money("1000", "CLP").unwrap().to_plain_string(), "1000");
        assert_eq!(money("1000.5", "CLP").unwrap_err().field(), "amount");
        assert_eq!(money("1e3", "USD").unwrap_err().field(), "amount");
        assert_eq!(money("1", "GBP").unwrap_err().field(), "currency");
    }

    #[test]
    fn datetimes() {
        let utc = datetime("at", "2024-05-01T16:00:00").unwrap();
        assert_eq!(utc, datetime("at", "2024-05-01T12:00:00-04:00").unwrap());
        assert_eq!(utc, datetime("at", "2024-05-01 16:00:00").unwrap());
        assert_eq!(
            utc,
            datetime("at", &utc.unix_timestamp().to_string()).unwrap()
        );
        assert_eq!(datetime("at", "tomorrow").unwrap_err().field(), "at");
        assert!(date("date", "2017-05-30").is_ok());
        assert_eq!(
            key_value("param", "a=b=c").unwrap(),
            ("a".into(), "b=c".into())
        );
        assert!(key_value("param", "=x").is_err());
    }
}
