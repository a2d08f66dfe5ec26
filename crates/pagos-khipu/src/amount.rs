//! The one place that knows Khipu's amount wire format.
//!
//! Khipu takes amounts as form text: `.` as the decimal separator, no thousands
//! separator, at most 4 decimals "depending on the currency", at most 16 characters
//! (Khipu's public documentation). CLP has no minor unit and is sent as an integer.
//! Amounts are written with exactly the currency's decimals: `1000` CLP, `10.50` USD,
//! `1.2345` CLF.

use pagos_core::{Currency, Money, ValidationError};

/// The longest amount text Khipu accepts.
pub const MAX_AMOUNT_CHARS: usize = 16;

/// The most decimals Khipu accepts for any currency.
pub const MAX_DECIMALS: u32 = 4;

/// Whether Khipu takes payments in `currency`.
///
/// Khipu's REST API 2.0 reference only says "ISO-4217"; Khipu's published API
/// documentation lists `CLP`, `CLF`, `ARS`, `PEN`, `MXN`, `USD`, `EUR`, `BOB` and `COP`.
/// Every [`Currency`] pagos knows today (`ARS`, `CLF`, `CLP`, `MXN`, `PEN`, `USD`) is in
/// that list, so all are accepted. Each is listed by name, so a currency added to
/// pagos-core later is rejected until someone checks that Khipu takes it. In practice a
/// Chilean collection account collects `CLP` (and `CLF`, unidades de fomento with 4
/// decimals); Khipu itself rejects a currency the account is not enabled for with a 400.
pub fn is_supported(currency: Currency) -> bool {
    matches!(
        currency,
        Currency::Clp
            | Currency::Clf
            | Currency::Ars
            | Currency::Pen
            | Currency::Mxn
            | Currency::Usd
    )
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
    let currency = money.currency();
    ensure_supported("currency", currency)?;
    money.ensure_positive().map_err(|e| e.for_field(field))?;
    // `Money` already refuses more decimals than the currency has; Khipu's own ceiling
    // is 4 whatever the currency.
    if money.amount().normalize().scale() > MAX_DECIMALS.min(currency.minor_units()) {
        return Err(ValidationError::new(
            field,
            format!(
                "{} has more decimals than Khipu accepts for {currency}",
                money.amount()
            ),
        ));
    }
    let text = money.to_plain_string();
    if text.len() > MAX_AMOUNT_CHARS {
        return Err(ValidationError::new(
            field,
            format!("{text} is longer than the {MAX_AMOUNT_CHARS} characters Khipu accepts"),
        ));
    }
    Ok(text)
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
    fn every_known_currency_is_checked() {
        for c in Currency::ALL {
            assert!(is_supported(c), "{c}");
        }
        assert!(ensure_supported("currency", Currency::Clp).is_ok());
    }
}
