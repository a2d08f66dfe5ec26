//! Invoice statuses and the one table mapping them to [`PaymentStatus`].

use std::fmt;

use pagos_core::PaymentStatus;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::wire::eq_ci;

/// The status of a KashIO invoice (payment order).
///
/// KashIO's casing varies (`NEW`, `new`, `VOIDED`), so parsing ignores ASCII case and
/// surrounding white space. `new` (what the examples show) and `pending` (what the
/// object table lists) mean the same thing. Anything else is kept verbatim in
/// [`InvoiceStatus::Unknown`].
///
/// ```
/// use pagos_kashio::InvoiceStatus;
/// use pagos_core::PaymentStatus;
///
/// assert_eq!(InvoiceStatus::parse("NEW"), InvoiceStatus::Pending);
/// assert_eq!(InvoiceStatus::parse("Paid").payment_status(), PaymentStatus::Succeeded);
/// assert_eq!(InvoiceStatus::parse("refused"), InvoiceStatus::Unknown("refused".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InvoiceStatus {
    /// `new` or `pending`: created, not paid yet.
    Pending,
    /// `paid`.
    Paid,
    /// `expired`: not paid before `expiration_datetime`.
    Expired,
    /// `voided`: canceled by the merchant (`DELETE /invoices/{id}`).
    Voided,
    /// A status this SDK does not know, as KashIO sent it.
    Unknown(String),
}

impl InvoiceStatus {
    /// Parses a KashIO status, ignoring case. Never fails: unknown values are kept.
    pub fn parse(raw: &str) -> InvoiceStatus {
        if eq_ci(raw, "new") || eq_ci(raw, "pending") {
            InvoiceStatus::Pending
        } else if eq_ci(raw, "paid") {
            InvoiceStatus::Paid
        } else if eq_ci(raw, "expired") {
            InvoiceStatus::Expired
        } else if eq_ci(raw, "voided") {
            InvoiceStatus::Voided
        } else {
            InvoiceStatus::Unknown(raw.to_string())
        }
    }

    /// The lower-case name (`pending`, `paid`, `expired`, `voided`), or the raw value
    /// of an unknown status.
    pub fn as_str(&self) -> &str {
        match self {
            InvoiceStatus::Pending => "pending",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Expired => "expired",
            InvoiceStatus::Voided => "voided",
            InvoiceStatus::Unknown(raw) => raw,
        }
    }

    /// The unified status. This is the one mapping table of the crate:
    ///
    /// | KashIO | [`PaymentStatus`] |
    /// |---|---|
    /// | `new`, `pending` (any case) | `Pending` |
    /// | `paid` | `Succeeded` |
    /// | `expired` | `Expired` |
    /// | `voided` | `Canceled` |
    /// | anything else | `Unknown(raw)` |
    pub fn payment_status(&self) -> PaymentStatus {
        match self {
            InvoiceStatus::Pending => PaymentStatus::Pending,
            InvoiceStatus::Paid => PaymentStatus::Succeeded,
            InvoiceStatus::Expired => PaymentStatus::Expired,
            InvoiceStatus::Voided => PaymentStatus::Canceled,
            InvoiceStatus::Unknown(raw) => PaymentStatus::Unknown(raw.clone()),
        }
    }
}

impl From<&InvoiceStatus> for PaymentStatus {
    fn from(status: &InvoiceStatus) -> Self {
        status.payment_status()
    }
}

impl fmt::Display for InvoiceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for InvoiceStatus {
    /// The lower-case name ([`InvoiceStatus::as_str`]); KashIO's own spelling stays in
    /// the answer's raw text.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for InvoiceStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(InvoiceStatus::parse(&raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_table() {
        let table: &[(&str, InvoiceStatus, PaymentStatus)] = &[
            ("new", InvoiceStatus::Pending, PaymentStatus::Pending),
            ("NEW", InvoiceStatus::Pending, PaymentStatus::Pending),
            ("pending", InvoiceStatus::Pending, PaymentStatus::Pending),
            ("PENDING", InvoiceStatus::Pending, PaymentStatus::Pending),
            ("paid", InvoiceStatus::Paid, PaymentStatus::Succeeded),
            ("PAID", InvoiceStatus::Paid, PaymentStatus::Succeeded),
            ("expired", InvoiceStatus::Expired, PaymentStatus::Expired),
            ("Expired", InvoiceStatus::Expired, PaymentStatus::Expired),
            ("voided", InvoiceStatus::Voided, PaymentStatus::Canceled),
            ("VOIDED", InvoiceStatus::Voided, PaymentStatus::Canceled),
            (
                "refunded",
                InvoiceStatus::Unknown("refunded".into()),
                PaymentStatus::Unknown("refunded".into()),
            ),
            (
                "",
                InvoiceStatus::Unknown(String::new()),
                PaymentStatus::Unknown(String::new()),
            ),
        ];
        for (raw, status, payment) in table {
            let parsed = InvoiceStatus::parse(raw);
            assert_eq!(&parsed, status, "{raw}");
            assert_eq!(&parsed.payment_status(), payment, "{raw}");
            assert_eq!(&PaymentStatus::from(&parsed), payment, "{raw}");
            let json = format!("{raw:?}");
            assert_eq!(
                &serde_json::from_str::<InvoiceStatus>(&json).unwrap(),
                status
            );
        }
    }

    #[test]
    fn names() {
        assert_eq!(InvoiceStatus::Pending.to_string(), "pending");
        assert_eq!(InvoiceStatus::Unknown("X".into()).as_str(), "X");
    }
}
