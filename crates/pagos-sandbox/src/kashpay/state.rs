//! Kashpay's records: the entity's balance and the next order id (orders have no read
//! endpoint, so only their effect on the balance is kept).

use rust_decimal::Decimal;

/// The id of the first order; ids then count up.
const FIRST_ORDER_ID: u64 = 13_700;

/// Kashpay's records.
#[derive(Debug)]
pub(crate) struct KashpayState {
    pub(super) balance: Decimal,
    pub(super) next_order: u64,
}

impl KashpayState {
    pub(super) fn new(balance: Decimal) -> Self {
        KashpayState {
            balance,
            next_order: FIRST_ORDER_ID,
        }
    }

    /// How many orders were applied.
    pub(super) fn order_count(&self) -> usize {
        usize::try_from(self.next_order - FIRST_ORDER_ID).unwrap_or(usize::MAX)
    }
}
