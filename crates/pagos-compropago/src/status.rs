//! ComproPago's statuses and the one table mapping them to [`PaymentStatus`].
//!
//! | ComproPago order `status` | [`OrderStatus`] | [`PaymentStatus`] |
//! |---|---|---|
//! | `PENDING` | [`OrderStatus::Pending`] | [`PaymentStatus::Pending`] |
//! | `ACCEPTED` (paid) | [`OrderStatus::Accepted`] | [`PaymentStatus::Succeeded`] |
//! | `EXPIRED` | [`OrderStatus::Expired`] | [`PaymentStatus::Expired`] |
//! | anything else | [`OrderStatus::Unknown`] | [`PaymentStatus::Unknown`] (same text) |
//!
//! CLABE accounts (`createClabe`, `createAccount`) report `ACTIVE`
//! ([`AccountStatus::Active`]); they are not payments and have no unified mapping.
//! Matching ignores ASCII case; an unknown status keeps the text exactly as sent.

use std::fmt;

use pagos_core::PaymentStatus;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The status of a SPEI order (`POST /v2/orders`, `GET /v2/orders/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderStatus {
    /// `PENDING`: created, not paid yet.
    Pending,
    /// `ACCEPTED`: the transfer arrived; the order is paid.
    Accepted,
    /// `EXPIRED`: the order expired unpaid.
    Expired,
    /// A status this SDK does not know, exactly as ComproPago sent it.
    Unknown(String),
}

impl OrderStatus {
    /// Reads ComproPago's status text (ASCII case ignored).
    pub fn from_wire(s: &str) -> OrderStatus {
        let t = s.trim();
        if t.eq_ignore_ascii_case("PENDING") {
            OrderStatus::Pending
        } else if t.eq_ignore_ascii_case("ACCEPTED") {
            OrderStatus::Accepted
        } else if t.eq_ignore_ascii_case("EXPIRED") {
            OrderStatus::Expired
        } else {
            OrderStatus::Unknown(s.to_string())
        }
    }

    /// The status as ComproPago writes it.
    pub fn as_str(&self) -> &str {
        match self {
            OrderStatus::Pending => "PENDING",
            OrderStatus::Accepted => "ACCEPTED",
            OrderStatus::Expired => "EXPIRED",
            OrderStatus::Unknown(s) => s,
        }
    }
}

impl From<&OrderStatus> for PaymentStatus {
    fn from(status: &OrderStatus) -> Self {
        match status {
            OrderStatus::Pending => PaymentStatus::Pending,
            OrderStatus::Accepted => PaymentStatus::Succeeded,
            OrderStatus::Expired => PaymentStatus::Expired,
            OrderStatus::Unknown(s) => PaymentStatus::Unknown(s.clone()),
        }
    }
}

impl From<OrderStatus> for PaymentStatus {
    fn from(status: OrderStatus) -> Self {
        PaymentStatus::from(&status)
    }
}

/// The status of a CLABE account (`createClabe`, `createAccount`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AccountStatus {
    /// `ACTIVE`: the CLABE receives transfers.
    Active,
    /// A status this SDK does not know, exactly as ComproPago sent it.
    Unknown(String),
}

impl AccountStatus {
    /// Reads ComproPago's status text (ASCII case ignored).
    pub fn from_wire(s: &str) -> AccountStatus {
        if s.trim().eq_ignore_ascii_case("ACTIVE") {
            AccountStatus::Active
        } else {
            AccountStatus::Unknown(s.to_string())
        }
    }

    /// The status as ComproPago writes it.
    pub fn as_str(&self) -> &str {
        match self {
            AccountStatus::Active => "ACTIVE",
            AccountStatus::Unknown(s) => s,
        }
    }
}

macro_rules! wire_string {
    ($ty:ty) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(<$ty>::from_wire(&s))
            }
        }
    };
}

wire_string!(OrderStatus);
wire_string!(AccountStatus);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_status_table() {
        let table = [
            ("PENDING", OrderStatus::Pending, PaymentStatus::Pending),
            ("ACCEPTED", OrderStatus::Accepted, PaymentStatus::Succeeded),
            ("EXPIRED", OrderStatus::Expired, PaymentStatus::Expired),
            ("accepted", OrderStatus::Accepted, PaymentStatus::Succeeded),
            (
                "REFUNDED",
                OrderStatus::Unknown("REFUNDED".into()),
                PaymentStatus::Unknown("REFUNDED".into()),
            ),
            (
                "",
                OrderStatus::Unknown(String::new()),
                PaymentStatus::Unknown(String::new()),
            ),
        ];
        for (wire, order, payment) in table {
            let parsed: OrderStatus = serde_json::from_str(&format!("{wire:?}")).unwrap();
            assert_eq!(parsed, order, "{wire}");
            assert_eq!(PaymentStatus::from(&parsed), payment, "{wire}");
        }
        for s in [
            OrderStatus::Pending,
            OrderStatus::Accepted,
            OrderStatus::Expired,
        ] {
            assert_eq!(OrderStatus::from_wire(s.as_str()), s);
        }
    }

    #[test]
    fn account_status_table() {
        assert_eq!(AccountStatus::from_wire("ACTIVE"), AccountStatus::Active);
        assert_eq!(
            AccountStatus::from_wire("BLOCKED"),
            AccountStatus::Unknown("BLOCKED".into())
        );
        assert_eq!(
            serde_json::to_string(&AccountStatus::Active).unwrap(),
            "\"ACTIVE\""
        );
    }
}
