//! Input checks specific to ComproPago, run before anything is sent.

use pagos_core::{Currency, Money, ValidationError};

type Result = std::result::Result<(), ValidationError>;

/// A Mexican phone number as ComproPago takes it: the 10-digit national number
/// (Mexico's numbering plan has used 10-digit numbers since 2019; the examples of the
/// ComproPago API v2 reference are `5513899832` and `5555555555`). No `+52`, spaces or
/// dashes: ComproPago sends SMS instructions to this number and documents no other
/// format.
pub(crate) fn phone_mx(field: &'static str, value: &str) -> Result {
    if value.len() == 10 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!("{value:?} is not a 10-digit Mexican phone number (digits only, no +52)"),
        ))
    }
}

/// An amount ComproPago can charge: MXN, greater than zero, at most two decimals
/// (the last is guaranteed by [`Money`] for MXN).
pub(crate) fn mxn_amount(field: &'static str, money: &Money) -> Result {
    if money.currency() != Currency::Mxn {
        return Err(ValidationError::new(
            field,
            format!("ComproPago SPEI charges MXN only, got {}", money.currency()),
        ));
    }
    if money.amount().normalize().scale() > Currency::Mxn.minor_units() {
        return Err(ValidationError::new(field, "MXN has at most 2 decimals"));
    }
    money.ensure_positive().map_err(|e| e.for_field(field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert!(phone_mx("p", "5513899832").is_ok());
        for bad in ["6666", "55222999888", "+525513899832", "55 1389 9832", ""] {
            assert!(phone_mx("p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn amounts() {
        let mxn = |s| Money::parse(s, Currency::Mxn).unwrap();
        assert!(mxn_amount("a", &mxn("0.01")).is_ok());
        assert_eq!(mxn_amount("a", &mxn("0")).unwrap_err().field(), "a");
        assert!(mxn_amount("a", &mxn("-1")).is_err());
        let usd = Money::parse("10", Currency::Usd).unwrap();
        assert!(mxn_amount("a", &usd).unwrap_err().message().contains("MXN"));
    }
}
