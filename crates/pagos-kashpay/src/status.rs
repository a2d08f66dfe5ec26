//! The ONE table from Kashpay order statuses to the unified [`PayoutStatus`].
//!
//! | code | Kashpay meaning | [`PayoutStatus`] | why |
//! |---|---|---|---|
//! | 25 | applied / successful | `Succeeded` | Kashpay's public documentation: the applied state |
//! | 14 | paid | `Succeeded` | the money moved (for a SPEI transfer, the transfer was paid) |
//! | 13 | pending | `Pending` | accepted, not yet applied |
//! | 16 | reference issued | `Pending` | a reference exists, nothing has been paid yet |
//! | other | — | `Unknown(code)` | not documented; the code is kept as text |
//!
//! Kashpay documents no failure status for an order: a refused order comes back as
//! `success:false` (an [`pagos_core::Error::Provider`]), so `Failed` never comes from
//! this table.

use pagos_core::PayoutStatus;

use crate::orders::OrderStatus;

impl OrderStatus {
    /// The unified payout status (see the [module table](crate::status)).
    ///
    /// ```
    /// use pagos_core::PayoutStatus;
    /// use pagos_kashpay::OrderStatus;
    /// assert_eq!(OrderStatus::Applied.payout_status(), PayoutStatus::Succeeded);
    /// assert_eq!(OrderStatus::Other(99).payout_status(), PayoutStatus::Unknown("99".into()));
    /// ```
    pub fn payout_status(self) -> PayoutStatus {
        match self {
            OrderStatus::Applied | OrderStatus::Paid => PayoutStatus::Succeeded,
            OrderStatus::Pending | OrderStatus::ReferenceIssued => PayoutStatus::Pending,
            OrderStatus::Other(code) => PayoutStatus::Unknown(code.to_string()),
        }
    }
}

impl From<OrderStatus> for PayoutStatus {
    fn from(status: OrderStatus) -> Self {
        status.payout_status()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let table = [
            (25, PayoutStatus::Succeeded),
            (14, PayoutStatus::Succeeded),
            (13, PayoutStatus::Pending),
            (16, PayoutStatus::Pending),
            (0, PayoutStatus::Unknown("0".into())),
            (99, PayoutStatus::Unknown("99".into())),
            (-1, PayoutStatus::Unknown("-1".into())),
        ];
        for (code, expected) in table {
            assert_eq!(
                OrderStatus::from_code(code).payout_status(),
                expected,
                "{code}"
            );
            assert_eq!(PayoutStatus::from(OrderStatus::from_code(code)), expected);
        }
    }
}
