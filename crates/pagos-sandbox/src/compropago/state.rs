//! ComproPago's records: SPEI orders, the CLABE of each customer, and accounts with
//! their deposits.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::value::RawValue;

use crate::state::Store;
use crate::wire::clabe_check_digit;

/// ComproPago's records.
#[derive(Debug, Default)]
pub(crate) struct ComproPagoState {
    pub(super) orders: Vec<Order>,
    /// `customer.id` → its CLABE, shared by orders and `createClabe`.
    pub(super) customer_clabes: BTreeMap<String, String>,
    pub(super) accounts: Vec<Account>,
}

/// A SPEI order (`POST /v2/orders`).
#[derive(Debug, Clone)]
pub(super) struct Order {
    pub(super) id: String,
    pub(super) short_id: String,
    pub(super) product_id: String,
    pub(super) product_name: String,
    pub(super) product_url: Option<String>,
    pub(super) currency: String,
    pub(super) price: Decimal,
    pub(super) customer: Box<RawValue>,
    pub(super) clabe: String,
    pub(super) fee: Decimal,
    pub(super) iva: Decimal,
    /// `PENDING`, `ACCEPTED` or `EXPIRED`.
    pub(super) status: &'static str,
    pub(super) created_at: i64,
    pub(super) updated_at: i64,
    pub(super) expires_at: i64,
}

/// An account with its own CLABE (`POST /v2/createAccount`).
#[derive(Debug, Clone)]
pub(super) struct Account {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) reference: String,
    pub(super) customer: Box<RawValue>,
    pub(super) clabe: String,
    pub(super) balance: Decimal,
    pub(super) created_at: i64,
    pub(super) updated_at: i64,
    pub(super) transactions: Vec<Deposit>,
}

/// A transfer received on an account's CLABE.
#[derive(Debug, Clone)]
pub(super) struct Deposit {
    pub(super) id: String,
    pub(super) amount: Decimal,
    pub(super) created_at: i64,
    /// The SPEI tracking reference of the incoming transfer.
    pub(super) reference: String,
}

/// A new STP CLABE (bank 646, plaza 180) with a correct check digit, unused so far.
pub(super) fn new_clabe(store: &mut Store) -> String {
    loop {
        let mut digits = vec![6, 4, 6, 1, 8, 0];
        digits.extend(store.ids.digit_values(11));
        digits.push(clabe_check_digit(&digits));
        let clabe: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        let cp: &ComproPagoState = store.records.get();
        if !cp.customer_clabes.values().any(|c| *c == clabe)
            && !cp.accounts.iter().any(|a| a.clabe == clabe)
        {
            return clabe;
        }
    }
}

/// The customer's CLABE, created on first use.
pub(super) fn clabe_for_customer(store: &mut Store, customer_id: &str) -> String {
    if let Some(clabe) = store
        .records
        .get::<ComproPagoState>()
        .customer_clabes
        .get(customer_id)
    {
        return clabe.clone();
    }
    let clabe = new_clabe(store);
    store
        .records
        .get_mut::<ComproPagoState>()
        .customer_clabes
        .insert(customer_id.to_string(), clabe.clone());
    clabe
}
