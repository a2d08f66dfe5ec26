//! The one table from Acmepay's charge statuses to pagos' [`PaymentStatus`].

use pagos_core::PaymentStatus;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

    /// The wire value: `pending`, `paid`, `cancelled`, `expired`, or an unknown one as
    /// sent.
    pub fn as_str(&self) -> &str {
        match self {
            ChargeStatus::Pending => "pending",
            ChargeStatus::Paid => "paid",
            ChargeStatus::Cancelled => "cancelled",
            ChargeStatus::Expired => "expired",
            ChargeStatus::Unknown(s) => s,
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

impl Serialize for ChargeStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
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

    #[test]
    fn statuses_serialize_as_sent() {
        for wire in ["pending", "paid", "cancelled", "expired", "on_hold"] {
            let status = ChargeStatus::parse(wire);
            assert_eq!(status.as_str(), wire);
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("{wire:?}"));
        }
        assert_eq!(ChargeStatus::parse("canceled").as_str(), "cancelled");
    }
}
