//! Money: a [`Decimal`] amount and a [`Currency`] that knows its minor units.
//!
//! Amounts are never floating point. A [`Money`] is checked on construction: its
//! amount may not carry more decimals than the currency allows (CLP has none).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// An ISO-4217 currency used by at least one of the supported providers.
///
/// ```
/// use pagos_core::Currency;
/// assert_eq!(Currency::Clp.minor_units(), 0);
/// assert_eq!("mxn".parse::<Currency>().unwrap(), Currency::Mxn);
/// assert_eq!(Currency::Mxn.numeric_code(), 484);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Currency {
    /// Argentine peso.
    Ars,
    /// Bolivian boliviano.
    Bob,
    /// Chilean peso (no minor unit).
    Clp,
    /// Chilean Unidad de Fomento (4 decimals).
    Clf,
    /// Colombian peso.
    Cop,
    /// Euro.
    Eur,
    /// Mexican peso.
    Mxn,
    /// Peruvian sol.
    Pen,
    /// US dollar.
    Usd,
}

impl Currency {
    /// Every supported currency, in alphabetical order of its code.
    ///
    /// Which of them a provider accepts, and with how many decimals, is that
    /// provider's [`CurrencyTable`]. The enum is `#[non_exhaustive]`: codes are added
    /// as providers accept them, without a breaking release.
    pub const ALL: [Currency; 9] = [
        Currency::Ars,
        Currency::Bob,
        Currency::Clf,
        Currency::Clp,
        Currency::Cop,
        Currency::Eur,
        Currency::Mxn,
        Currency::Pen,
        Currency::Usd,
    ];

    /// The alphabetic ISO-4217 code, e.g. `"CLP"`.
    pub const fn code(self) -> &'static str {
        match self {
            Currency::Ars => "ARS",
            Currency::Bob => "BOB",
            Currency::Clp => "CLP",
            Currency::Clf => "CLF",
            Currency::Cop => "COP",
            Currency::Eur => "EUR",
            Currency::Mxn => "MXN",
            Currency::Pen => "PEN",
            Currency::Usd => "USD",
        }
    }

    /// The numeric ISO-4217 code, e.g. `484` for MXN.
    pub const fn numeric_code(self) -> u16 {
        match self {
            Currency::Ars => 32,
            Currency::Bob => 68,
            Currency::Clp => 152,
            Currency::Clf => 990,
            Currency::Cop => 170,
            Currency::Eur => 978,
            Currency::Mxn => 484,
            Currency::Pen => 604,
            Currency::Usd => 840,
        }
    }

    /// How many decimal places ISO 4217 gives an amount (CLP 0, CLF 4, the others 2).
    ///
    /// A provider may accept fewer; its [`CurrencyTable`] says.
    pub const fn minor_units(self) -> u32 {
        match self {
            Currency::Clp => 0,
            Currency::Clf => 4,
            Currency::Ars
            | Currency::Bob
            | Currency::Cop
            | Currency::Eur
            | Currency::Mxn
            | Currency::Pen
            | Currency::Usd => 2,
        }
    }

    /// Looks a currency up by its numeric ISO-4217 code.
    ///
    /// ```
    /// use pagos_core::Currency;
    /// assert_eq!(Currency::from_numeric_code(484), Some(Currency::Mxn));
    /// assert_eq!(Currency::from_numeric_code(1), None);
    /// ```
    pub fn from_numeric_code(code: u16) -> Option<Currency> {
        Currency::ALL.into_iter().find(|c| c.numeric_code() == code)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = ValidationError;

    /// Parses an alphabetic code, ignoring ASCII case and surrounding white space.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim();
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
            .ok_or_else(|| {
                ValidationError::new("currency", format!("unsupported currency code {code:?}"))
            })
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The currencies one provider accepts, and how many decimals each may carry there.
///
/// Each provider crate exports its table as `CURRENCIES`, and its requests check
/// amounts against it before anything is sent. The sandbox keeps its own copy of each
/// table (it is an independent simulator and depends on no SDK crate); a test in
/// `tests/` checks that the two agree in both directions.
///
/// ```
/// use pagos_core::{Currency, CurrencyTable, Money};
/// const TABLE: CurrencyTable = CurrencyTable::new("acme", &[(Currency::Clp, 0), (Currency::Usd, 2)]);
/// assert_eq!(TABLE.decimals(Currency::Usd), Some(2));
/// assert_eq!(TABLE.decimals(Currency::Mxn), None);
/// assert!(TABLE.check(&Money::parse("10.50", Currency::Usd)?).is_ok());
/// let err = TABLE.check(&Money::parse("10", Currency::Mxn)?).unwrap_err();
/// assert_eq!(err.to_string(), "invalid currency: acme does not accept MXN (it accepts CLP, USD)");
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrencyTable {
    provider: &'static str,
    entries: &'static [(Currency, u32)],
}

impl CurrencyTable {
    /// A table for `provider` of `(currency, decimals)` pairs.
    pub const fn new(provider: &'static str, entries: &'static [(Currency, u32)]) -> Self {
        CurrencyTable { provider, entries }
    }

    /// The `(currency, decimals)` pairs, in the order given.
    pub const fn entries(&self) -> &'static [(Currency, u32)] {
        self.entries
    }

    /// How many decimals the provider accepts for `currency`, or `None` when it does
    /// not accept it.
    pub fn decimals(&self, currency: Currency) -> Option<u32> {
        self.entries
            .iter()
            .find(|(c, _)| *c == currency)
            .map(|(_, d)| *d)
    }

    /// Whether the provider accepts `currency`.
    pub fn accepts(&self, currency: Currency) -> bool {
        self.decimals(currency).is_some()
    }

    /// Checks that the provider accepts the currency of `money` and the decimals of its
    /// amount (trailing zeros do not count).
    ///
    /// # Errors
    /// A [`ValidationError`] on `currency` when the provider does not accept it (the
    /// message lists what it accepts), or on `amount` when the amount has more decimals
    /// than the provider takes for that currency.
    pub fn check(&self, money: &Money) -> Result<(), ValidationError> {
        let currency = money.currency();
        let Some(decimals) = self.decimals(currency) else {
            let accepted: Vec<&str> = self.entries.iter().map(|(c, _)| c.code()).collect();
            return Err(ValidationError::new(
                "currency",
                format!(
                    "{} does not accept {currency} (it accepts {})",
                    self.provider,
                    accepted.join(", ")
                ),
            ));
        };
        if money.amount().normalize().scale() > decimals {
            return Err(ValidationError::new(
                "amount",
                format!(
                    "{} has more than {decimals} decimal place(s), the most {} takes in {currency}",
                    money.amount(),
                    self.provider
                ),
            ));
        }
        Ok(())
    }
}

/// An amount of money in one currency.
///
/// Construction checks the precision against the currency; the sign is checked by
/// the operations that need a positive amount (see [`Money::ensure_positive`]).
///
/// It serializes as `{"amount":"10.5","currency":"MXN"}` and deserializes from the
/// same, checked like [`Money::new`]; the amount may also be an integer, but not a
/// fraction written as a JSON number, which would already be a rounded `f64`.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use rust_decimal::Decimal;
///
/// let m = Money::new(Decimal::new(1050, 2), Currency::Mxn)?;
/// assert_eq!(m.to_plain_string(), "10.50");
/// assert!(Money::new(Decimal::new(15, 1), Currency::Clp).is_err()); // CLP has no decimals
///
/// let json = serde_json::to_string(&m).unwrap();
/// assert_eq!(json, r#"{"amount":"10.5","currency":"MXN"}"#);
/// assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
/// assert!(serde_json::from_str::<Money>(r#"{"amount":"1.5","currency":"CLP"}"#).is_err());
/// assert!(serde_json::from_str::<Money>(r#"{"amount":10.5,"currency":"MXN"}"#).is_err());
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
///
/// Deserializing applies the same checks as [`Money::parse`]: the amount must be a
/// decimal string (`"10.50"`, the form `Money` serializes to) or a JSON integer, and
/// must not have more decimals than the currency. A JSON number with a fraction is
/// refused, because serde hands it over as an `f64` and its exact digits are gone:
///
/// ```
/// use pagos_core::Money;
/// let ok: Money = serde_json::from_str(r#"{"amount":"10.50","currency":"ARS"}"#).unwrap();
/// assert_eq!(ok.to_plain_string(), "10.50");
/// assert!(serde_json::from_str::<Money>(r#"{"amount":"10.555","currency":"ARS"}"#).is_err());
/// assert!(serde_json::from_str::<Money>(r#"{"amount":10.5,"currency":"ARS"}"#).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// Creates money, rejecting an amount with more decimals than the currency has.
    ///
    /// Trailing zeros do not count: `10.500` MXN is accepted as `10.50`. An amount too
    /// large to be written with all of the currency's decimals (a `Decimal` has 28 or 29
    /// significant digits) is refused too, so that [`Money::to_plain_string`] always
    /// can.
    ///
    /// # Errors
    /// A [`ValidationError`] on field `amount` when the precision is too high or the
    /// amount too large.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Money, ValidationError> {
        let normalized = amount.normalize();
        if normalized.scale() > currency.minor_units() {
            return Err(ValidationError::new(
                "amount",
                format!(
                    "{amount} has more than {} decimal place(s), the most {currency} allows",
                    currency.minor_units()
                ),
            ));
        }
        // `rescale` stops short of the scale asked for when the digits would not fit.
        let mut plain = normalized;
        plain.rescale(currency.minor_units());
        if plain.scale() != currency.minor_units() {
            return Err(ValidationError::new(
                "amount",
                format!(
                    "{amount} is too large to be written with {} decimal place(s)",
                    currency.minor_units()
                ),
            ));
        }
        Ok(Money {
            amount: normalized,
            currency,
        })
    }

    /// Parses a decimal string such as `"10.50"` into money.
    ///
    /// ```
    /// use pagos_core::{Currency, Money};
    /// let m = Money::parse("1000", Currency::Clp)?;
    /// assert_eq!(m.to_plain_string(), "1000");
    /// # Ok::<(), pagos_core::ValidationError>(())
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`] on field `amount` when the text is not a plain decimal
    /// number or has too many decimals for the currency.
    pub fn parse(amount: &str, currency: Currency) -> Result<Money, ValidationError> {
        Money::new(parse_amount_text(amount)?, currency)
    }

    /// The amount.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Checks that the amount is greater than zero.
    ///
    /// # Errors
    /// A [`ValidationError`] on field `amount` for zero or negative amounts.
    pub fn ensure_positive(&self) -> Result<(), ValidationError> {
        if self.amount > Decimal::ZERO {
            Ok(())
        } else {
            Err(ValidationError::new(
                "amount",
                format!("must be greater than zero, got {}", self.amount),
            ))
        }
    }

    /// The amount with exactly the currency's minor units: `"10.50"`, `"1000"`, `"1.0000"`.
    pub fn to_plain_string(&self) -> String {
        let mut amount = self.amount;
        amount.rescale(self.currency.minor_units());
        amount.to_string()
    }

    /// The amount with no trailing zeros: `"10.5"`, `"1000"`.
    pub fn to_compact_string(&self) -> String {
        self.amount.normalize().to_string()
    }
}

/// A plain decimal (`-`, digits and one `.`), parsed exactly; no exponent, no
/// thousands separators. An amount with more digits than a `Decimal` holds is refused.
fn parse_amount_text(amount: &str) -> Result<Decimal, ValidationError> {
    let text = amount.trim();
    let valid_shape = !text.is_empty()
        && text
            .strip_prefix('-')
            .unwrap_or(text)
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.');
    valid_shape
        .then(|| Decimal::from_str_exact(text).ok())
        .flatten()
        .ok_or_else(|| {
            // Quote at most a short prefix of what was given: the input may be huge.
            let shown: String = text.chars().take(40).collect();
            ValidationError::new("amount", format!("{shown:?} is not a decimal number"))
        })
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            amount: ExactAmount,
            currency: Currency,
        }
        let wire = Wire::deserialize(deserializer)?;
        Money::new(wire.amount.0, wire.currency).map_err(serde::de::Error::custom)
    }
}

/// An amount read without ever passing through `f64`.
struct ExactAmount(Decimal);

impl<'de> Deserialize<'de> for ExactAmount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ExactAmount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal amount as a string, e.g. \"10.50\", or an integer")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ExactAmount, E> {
                parse_amount_text(v).map(ExactAmount).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ExactAmount, E> {
                Ok(ExactAmount(Decimal::from(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ExactAmount, E> {
                Ok(ExactAmount(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<ExactAmount, E> {
                Err(E::custom(
                    "an amount with a fraction must be a string (\"10.50\"): as a JSON \
                     number its exact digits are lost",
                ))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_plain_string(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializing_applies_the_construction_checks() {
        let ok: Money = serde_json::from_str(r#"{"amount":"250.00","currency":"MXN"}"#).unwrap();
        assert_eq!(ok.to_plain_string(), "250.00");
        let int: Money = serde_json::from_str(r#"{"amount":1000,"currency":"CLP"}"#).unwrap();
        assert_eq!(int.to_plain_string(), "1000");
        for bad in [
            r#"{"amount":"10.555","currency":"ARS"}"#,
            r#"{"amount":"250.005","currency":"MXN"}"#,
            r#"{"amount":"1.5","currency":"CLP"}"#,
            r#"{"amount":10.5,"currency":"ARS"}"#,
            r#"{"amount":"1e3","currency":"ARS"}"#,
            r#"{"amount":"","currency":"ARS"}"#,
            r#"{"amount":"12345678901234567890123456789012345","currency":"ARS"}"#,
            r#"{"amount":"10","currency":"XXX"}"#,
        ] {
            assert!(serde_json::from_str::<Money>(bad).is_err(), "{bad}");
        }
        // Round trip of what Money serializes to.
        let m = Money::parse("10.50", Currency::Ars).unwrap();
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Money>(&text).unwrap(), m);
    }

    #[test]
    fn minor_units_per_currency() {
        assert_eq!(Currency::Clp.minor_units(), 0);
        assert_eq!(Currency::Clf.minor_units(), 4);
        for c in [
            Currency::Mxn,
            Currency::Ars,
            Currency::Bob,
            Currency::Cop,
            Currency::Eur,
            Currency::Pen,
            Currency::Usd,
        ] {
            assert_eq!(c.minor_units(), 2, "{c}");
        }
    }

    #[test]
    fn numeric_codes_round_trip() {
        for c in Currency::ALL {
            assert_eq!(Currency::from_numeric_code(c.numeric_code()), Some(c));
            assert_eq!(c.code().parse::<Currency>().unwrap(), c);
        }
    }

    #[test]
    fn precision_is_checked_per_currency() {
        assert!(Money::parse("1000", Currency::Clp).is_ok());
        assert!(Money::parse("1000.0", Currency::Clp).is_ok());
        assert!(Money::parse("1000.5", Currency::Clp).is_err());
        assert!(Money::parse("10.55", Currency::Mxn).is_ok());
        assert!(Money::parse("10.555", Currency::Mxn).is_err());
        assert!(Money::parse("1.2345", Currency::Clf).is_ok());
        assert!(Money::parse("1.23456", Currency::Clf).is_err());
        assert!(Money::parse("1e3", Currency::Usd).is_err());
        assert!(Money::parse("", Currency::Usd).is_err());
        assert!(Money::parse("1,000", Currency::Usd).is_err());
        // More digits than a Decimal holds exactly: refused, not rounded.
        assert!(Money::parse("99999999999999999999999999999.9", Currency::Usd).is_err());
    }

    #[test]
    fn formatting() {
        assert_eq!(
            Money::parse("10.5", Currency::Mxn)
                .unwrap()
                .to_plain_string(),
            "10.50"
        );
        assert_eq!(
            Money::parse("1000.00", Currency::Clp)
                .unwrap()
                .to_plain_string(),
            "1000"
        );
        assert_eq!(
            Money::parse("10.50", Currency::Pen)
                .unwrap()
                .to_compact_string(),
            "10.5"
        );
        assert_eq!(
            Money::parse("2", Currency::Clf).unwrap().to_plain_string(),
            "2.0000"
        );
    }

    #[test]
    fn positivity() {
        assert!(
            Money::parse("0", Currency::Mxn)
                .unwrap()
                .ensure_positive()
                .is_err()
        );
        assert!(
            Money::parse("-1", Currency::Mxn)
                .unwrap()
                .ensure_positive()
                .is_err()
        );
        assert!(
            Money::parse("0.01", Currency::Mxn)
                .unwrap()
                .ensure_positive()
                .is_ok()
        );
    }
}
