//! How Kashpay answers an applied order: `orderEntityResponse` in the success envelope.

use serde::Serialize;

use crate::wire::JsonNumber;

/// An applied order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OrderView {
    pub(super) created_at: String,
    /// The wire name keeps Kashpay's typo.
    pub(super) uptaded_at: String,
    pub(super) id: String,
    pub(super) numeric_reference: String,
    pub(super) alphanumeric_reference: String,
    pub(super) reference_created_payment: String,
    pub(super) status: i64,
    pub(super) initial_balance: JsonNumber,
    pub(super) final_balance: JsonNumber,
}

/// The success envelope of `createOrder`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OrderEnvelope {
    pub(super) success: bool,
    pub(super) order_entity_response: OrderView,
    pub(super) total_items: u32,
    pub(super) total_pages: u32,
    pub(super) current_page: u32,
}
