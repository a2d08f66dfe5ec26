//! The one table from Acmepay's charge statuses to pagos' [`PaymentStatus`].

use pagos_core::PaymentStatus;
use serde::{Deserialize, Deserializer};

/// A charge status as Acmepay sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChargeStatus {
    /// Waiting for the payer.
    Pending,
    /// Paid.
    Paid,
    /// Canceled by the merchant.
    Cancelled,
    /// Expired unpaid.
    Expired,
    /// A status this crate does not know yet, as sent.
    Unknown(String),
}

impl ChargeStatus {
    /// Parses a wire value, ignoring ASCII case; unknown values are kept.
    pub fn parse(value: &str) -> ChargeStatus {
        match value.to_ascii_lowercase().as_str() {
            "pending" => ChargeStatus::Pending,
            "paid" => ChargeStatus::Paid,
            "cancelled" | "canceled" => ChargeStatus::Cancelled,
            "expired" => ChargeStatus::Expired,
            _ => ChargeStatus::Unknown(value.to_string()),
        }
    }

    /// The normalized status.
    pub fn to_payment_status(&self) -> PaymentStatus {
        match self {
            ChargeStatus::Pending => PaymentStatus::Pending,
            ChargeStatus::Paid => PaymentStatus::Succeeded,
            ChargeStatus::Cancelled => PaymentStatus::Canceled,
            ChargeStatus::Expired => PaymentStatus::Expired,
            ChargeStatus::Unknown(s) => PaymentStatus::Unknown(s.clone()),
        }
    }
}

impl<'de> Deserialize<'de> for ChargeStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(ChargeStatus::parse(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_table() {
        let table = [
            ("pending", PaymentStatus::Pending),
            ("PAID", PaymentStatus::Succeeded),
            ("cancelled", PaymentStatus::Canceled),
            ("expired", PaymentStatus::Expired),
            ("on_hold", PaymentStatus::Unknown("on_hold".into())),
        ];
        for (wire, expected) in table {
            assert_eq!(
                ChargeStatus::parse(wire).to_payment_status(),
                expected,
                "{wire}"
            );
        }
    }
}
