//! Input checks specific to ComproPago, run before anything is sent.

use std::borrow::Cow;

use pagos_core::{Currency, CurrencyTable, Money, Phone, ValidationError};

type Result<T = ()> = std::result::Result<T, ValidationError>;

/// The currencies ComproPago takes, with the decimals of each: MXN with two. The
/// ComproPago API v2 reference charges SPEI orders in MXN only (every example's
/// `product.currency` and `exchange` is `MXN`) and writes no amount with more than two
/// decimals (`12.56`, `10.25`). Every amount is checked against it before sending.
///
/// ```
/// use pagos_core::{Currency, Money};
/// assert_eq!(pagos_compropago::CURRENCIES.decimals(Currency::Mxn), Some(2));
/// assert!(pagos_compropago::CURRENCIES.check(&Money::parse("10", Currency::Usd)?).is_err());
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
pub const CURRENCIES: CurrencyTable = CurrencyTable::new("ComproPago", &[(Currency::Mxn, 2)]);

/// The shortest and longest phone, in plain digits, the ComproPago API v2 reference
/// shows: `"6666"` (its `createAccount` example) and ten digits (`5513899832` in its
/// order example, `5555555555` in `createClabe`).
const PLAIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=10;

/// Mexico's country calling code.
const MX: &str = "52";

/// The phone as ComproPago receives it (`customer.phone`), from what the caller wrote.
///
/// The ComproPago API v2 reference types the field as a plain string and shows it as
/// digits only: ten national digits in its order and `createClabe` examples, and
/// `"6666"` in its `createAccount` example. So:
/// - plain digits (no `+`, no separators), 4 to 10 of them, are sent **as written**:
///   what the API itself shows, its `"6666"` included;
/// - any other form is read with [`Phone`] and sent as the 10-digit national number:
///   `+52 55 1234 5678`, `0052 55 1234 5678`, `(55) 1234-5678` and the old mobile form
///   `+52 1 55 1234 5678` (the `1` Mexico dropped from mobile numbers in 2019) all
///   become `5512345678`;
/// - anything else (another country's number, a number that is not 10 national digits
///   once written with separators or `+52`, letters) is refused.
pub(crate) fn phone_mx<'a>(field: &'static str, value: &'a str) -> Result<Cow<'a, str>> {
    if PLAIN_DIGITS.contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Cow::Borrowed(value));
    }
    let refine = |e: ValidationError| {
        ValidationError::new(
            field,
            format!(
                "{}; ComproPago takes a Mexican number: 10 digits (5512345678, \
                 +52 55 1234 5678) or plain digits as its API shows them (\"6666\")",
                e.message()
            ),
        )
    };
    let phone = Phone::parse(field, value).map_err(refine)?;
    if phone.is_international()
        && phone.digits().len() == 13
        && let Some(national) = phone.digits().strip_prefix("521")
    {
        return Ok(Cow::Owned(national.to_string()));
    }
    phone
        .national(field, MX, 10)
        .map(|n| Cow::Owned(n.to_string()))
        .map_err(refine)
}

/// The phone written on the wire: [`phone_mx`]'s form. Request bodies are written only
/// after `validate` accepted the phone, so the fallback (the text as given) is never
/// taken; it keeps body writing infallible.
pub(crate) fn phone_wire(value: &str) -> Cow<'_, str> {
    phone_mx("customer.phone", value).unwrap_or(Cow::Borrowed(value))
}

/// An amount ComproPago can charge: a currency and decimals [`CURRENCIES`] accepts,
/// greater than zero. Errors name `field`.
pub(crate) fn mxn_amount(field: &'static str, money: &Money) -> Result {
    CURRENCIES.check(money).map_err(|e| e.for_field(field))?;
    money.ensure_positive().map_err(|e| e.for_field(field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        for (given, sent) in [
            ("5513899832", "5513899832"),
            ("5512345678", "5512345678"),
            ("6666", "6666"),
            ("+52 55 1234 5678", "5512345678"),
            ("+525513899832", "5513899832"),
            ("0052 55 1234 5678", "5512345678"),
            ("(55) 1234-5678", "5512345678"),
            ("+52 1 55 1234 5678", "5512345678"),
        ] {
            assert_eq!(phone_mx("p", given).unwrap(), sent, "{given}");
            assert_eq!(phone_wire(given), sent, "{given}");
        }
        for bad in [
            "+51 987 654 321",
            "55222999888",
            "55 1389 983",
            "666",
            "",
            "+52 55 CALL",
            "525513899832",
            "+1 555 123 4567",
        ] {
            let e = phone_mx("customer.phone", bad).unwrap_err();
            assert_eq!(e.field(), "customer.phone", "{bad}");
            assert!(e.message().contains("ComproPago"), "{bad}: {e}");
        }
        // Any input, no panic.
        assert!(phone_mx("p", &"ñ".repeat(10_000)).is_err());
    }

    #[test]
    fn amounts() {
        let mxn = |s| Money::parse(s, Currency::Mxn).unwrap();
        assert!(mxn_amount("a", &mxn("0.01")).is_ok());
        assert_eq!(mxn_amount("a", &mxn("0")).unwrap_err().field(), "a");
        assert!(mxn_amount("a", &mxn("-1")).is_err());
        let usd = Money::parse("10", Currency::Usd).unwrap();
        let e = mxn_amount("a", &usd).unwrap_err();
        assert_eq!(e.field(), "a");
        assert!(e.message().contains("MXN"));
    }

    #[test]
    fn the_table() {
        assert_eq!(CURRENCIES.entries(), &[(Currency::Mxn, 2)]);
    }
}
