//! The one place that knows Khipu's amount wire format.
//!
//! Khipu takes amounts as form text: `.` as the decimal separator, no thousands
//! separator, at most 4 decimals "depending on the currency", at most 16 characters
//! (Khipu's public documentation). CLP has no minor unit and is sent as an integer.
//! Amounts are written with exactly the currency's decimals: `1000` CLP, `10.50` USD,
//! `1.2345` CLF.
//!
//! API 3.0 takes the same text as a JSON **number** in most bodies (`"amount":1000`,
//! written from the decimal's digits, never through `f64`) and as a JSON **string** in
//! `POST /v3/refunds` and `GET /v3/predict`; its answers carry either, read exactly
//! with [`pagos_core::wire::lenient_decimal`]. One private writer, `JsonNumber`, puts
//! every 3.0 amount on the wire.

use pagos_core::{Currency, CurrencyTable, Money, ValidationError};

/// The longest amount text Khipu accepts.
pub const MAX_AMOUNT_CHARS: usize = 16;

/// The most decimals Khipu accepts for any currency.
pub const MAX_DECIMALS: u32 = 4;

/// The currencies Khipu takes and the decimals of each, for API 2.0 and 3.0 alike.
///
/// Khipu's REST API 2.0 reference says only "ISO-4217" and "up to 4 decimal places,
/// depending on the currency"; Khipu's API 3.0 reference (`POST /v3/payments`,
/// `currency`) lists `CLP`, `CLF`, `ARS`, `PEN`, `MXN`, `USD`, `EUR`, `BOB` and `COP`,
/// and publishes no per-currency table. The decimals are ISO-4217's minor units (CLP 0,
/// CLF 4, the rest 2), as Khipu's own plugins and SDKs round and validate them. A
/// Chilean collection account collects `CLP` (and `CLF`) in practice; Khipu refuses a
/// currency the account is not enabled for with a 400.
///
/// ```
/// use pagos_core::Currency;
/// assert_eq!(pagos_khipu::CURRENCIES.decimals(Currency::Clf), Some(4));
/// assert_eq!(pagos_khipu::CURRENCIES.decimals(Currency::Clp), Some(0));
/// assert_eq!(pagos_khipu::CURRENCIES.decimals(Currency::Cop), Some(2));
/// ```
pub const CURRENCIES: CurrencyTable = CurrencyTable::new(
    crate::PROVIDER,
    &[
        (Currency::Clp, 0),
        (Currency::Clf, 4),
        (Currency::Usd, 2),
        (Currency::Ars, 2),
        (Currency::Pen, 2),
        (Currency::Mxn, 2),
        (Currency::Bob, 2),
        (Currency::Eur, 2),
        (Currency::Cop, 2),
    ],
);

/// Whether Khipu takes payments in `currency` (it is in [`CURRENCIES`]).
pub fn is_supported(currency: Currency) -> bool {
    CURRENCIES.accepts(currency)
}

/// Checks that Khipu takes `currency`.
///
/// # Errors
/// A [`ValidationError`] on `field` for a currency Khipu does not take.
pub fn ensure_supported(field: &'static str, currency: Currency) -> Result<(), ValidationError> {
    if is_supported(currency) {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!("Khipu does not take payments in {currency}"),
        ))
    }
}

/// Checks `money` against [`CURRENCIES`] and that it is positive, and writes it with
/// exactly the currency's decimals (`1000` CLP, `10.50` USD, `1.2345` CLF): the text
/// both APIs put on the wire (form text in 2.0, a JSON number or string in 3.0).
///
/// # Errors
/// A [`ValidationError`] on `field` for a currency Khipu does not take, an amount not
/// greater than zero, or more decimals than Khipu takes for the currency.
pub fn checked_text(field: &'static str, money: &Money) -> Result<String, ValidationError> {
    CURRENCIES.check(money).map_err(|e| {
        if e.field() == "amount" {
            e.for_field(field)
        } else {
            e
        }
    })?;
    money.ensure_positive().map_err(|e| e.for_field(field))?;
    Ok(money.to_plain_string())
}

/// Writes `money` the way Khipu reads it, after checking it.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_khipu::amount::to_wire;
/// assert_eq!(to_wire("amount", &Money::parse("1000", Currency::Clp)?)?, "1000");
/// assert_eq!(to_wire("amount", &Money::parse("1.5", Currency::Clf)?)?, "1.5000");
/// assert_eq!(to_wire("amount", &Money::parse("10.5", Currency::Usd)?)?, "10.50");
/// assert!(to_wire("amount", &Money::parse("0", Currency::Clp)?).is_err());
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
///
/// # Errors
/// A [`ValidationError`] on `field` when the currency is not one Khipu takes, the amount
/// is not greater than zero, has more decimals than the currency (or Khipu) allows, or
/// would be longer than [`MAX_AMOUNT_CHARS`].
pub fn to_wire(field: &'static str, money: &Money) -> Result<String, ValidationError> {
    let text = checked_text(field, money)?;
    if text.len() > MAX_AMOUNT_CHARS {
        return Err(ValidationError::new(
            field,
            format!("{text} is longer than the {MAX_AMOUNT_CHARS} characters Khipu accepts"),
        ));
    }
    Ok(text)
}

/// An amount written into an API 3.0 JSON body as a number with exactly its digits
/// (serde_json's `arbitrary_precision` is not needed: the text goes out verbatim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonNumber(String);

impl JsonNumber {
    /// `money`, checked like [`checked_text`].
    pub(crate) fn money(field: &'static str, money: &Money) -> Result<Self, ValidationError> {
        checked_text(field, money).map(JsonNumber)
    }

    /// A bare decimal (PAC's charge has no currency of its own): positive, at most
    /// [`MAX_DECIMALS`] decimals, written with its own digits (trailing zeros dropped).
    pub(crate) fn decimal(
        field: &'static str,
        value: pagos_core::Decimal,
    ) -> Result<Self, ValidationError> {
        if value <= pagos_core::Decimal::ZERO {
            return Err(ValidationError::new(field, "must be greater than zero"));
        }
        let value = value.normalize();
        if value.scale() > MAX_DECIMALS {
            return Err(ValidationError::new(
                field,
                format!("{value} has more than the {MAX_DECIMALS} decimals Khipu accepts"),
            ));
        }
        Ok(JsonNumber(value.to_string()))
    }

    /// The text.
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl serde::Serialize for JsonNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = serde_json::value::RawValue::from_string(self.0.clone())
            .map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::Decimal;

    fn m(s: &str, c: Currency) -> Money {
        Money::parse(s, c).unwrap()
    }

    #[test]
    fn wire_format_per_currency() {
        assert_eq!(
            to_wire("amount", &m("1000", Currency::Clp)).unwrap(),
            "1000"
        );
        assert_eq!(
            to_wire("amount", &m("1000.00", Currency::Clp)).unwrap(),
            "1000"
        );
        assert_eq!(
            to_wire("amount", &m("1234567", Currency::Clp)).unwrap(),
            "1234567"
        );
        assert_eq!(
            to_wire("amount", &m("1.2345", Currency::Clf)).unwrap(),
            "1.2345"
        );
        assert_eq!(to_wire("amount", &m("2", Currency::Clf)).unwrap(), "2.0000");
        assert_eq!(
            to_wire("amount", &m("10.5", Currency::Usd)).unwrap(),
            "10.50"
        );
        assert_eq!(
            to_wire("amount", &m("0.01", Currency::Ars)).unwrap(),
            "0.01"
        );
    }

    #[test]
    fn rejects_zero_negative_and_too_long() {
        assert_eq!(
            to_wire("amount", &m("0", Currency::Clp))
                .unwrap_err()
                .field(),
            "amount"
        );
        assert_eq!(
            to_wire("integrator_fee", &m("-5", Currency::Clp))
                .unwrap_err()
                .field(),
            "integrator_fee"
        );
        // 16 characters is the limit.
        assert!(to_wire("amount", &m("9999999999999999", Currency::Clp)).is_ok());
        let e = to_wire("amount", &m("99999999999999999", Currency::Clp)).unwrap_err();
        assert!(e.message().contains("16"), "{e}");
        assert!(to_wire("amount", &m("99999999999.9999", Currency::Clf)).is_ok());
        assert!(to_wire("amount", &m("999999999999.9999", Currency::Clf)).is_err());
    }

    #[test]
    fn precision_is_bounded_by_money_and_khipu() {
        // Money refuses CLP decimals before the wire format ever sees them.
        assert!(Money::new(Decimal::new(15, 1), Currency::Clp).is_err());
        assert!(Money::new(Decimal::new(123456, 5), Currency::Clf).is_err());
    }

    #[test]
    fn json_numbers_keep_their_digits() {
        let n = JsonNumber::money("amount", &m("10.5", Currency::Usd)).unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "10.50");
        let n = JsonNumber::money("amount", &m("15000", Currency::Clp)).unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "15000");
        let big = "12345678901234567890.1234";
        let n = JsonNumber::money("amount", &m(big, Currency::Clf)).unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), big);
        let d = |t: &str| t.parse::<Decimal>().unwrap();
        assert_eq!(
            JsonNumber::decimal("amount", d("1.5000")).unwrap().as_str(),
            "1.5"
        );
        assert!(JsonNumber::decimal("amount", d("1.23456")).is_err());
        assert!(JsonNumber::decimal("amount", d("0")).is_err());
        assert!(JsonNumber::money("amount", &m("0", Currency::Clp)).is_err());
    }

    #[test]
    fn every_known_currency_is_checked() {
        for c in Currency::ALL {
            assert!(is_supported(c), "{c}");
            assert_eq!(
                CURRENCIES.decimals(c),
                Some(c.minor_units().min(MAX_DECIMALS)),
                "{c}"
            );
        }
        assert_eq!(CURRENCIES.entries().len(), 9);
        assert!(ensure_supported("currency", Currency::Clp).is_ok());
    }
}
