//! What the payer, or time, does to ComproPago records: an order is paid (→ `ACCEPTED`)
//! or expires (→ `EXPIRED`, also when `expiresAt` passes), both POSTing the order to the
//! ComproPago webhook; a deposit (`pay` with an amount) credits an account's CLABE.

use rust_decimal::Decimal;

use super::render::order_view;
use super::state::{ComproPagoState, Deposit, Order};
use crate::Error;
use crate::config::Provider;
use crate::control::{ActionOutcome, PayerAction};
use crate::notify::Outgoing;
use crate::simulated::Acted;
use crate::state::Store;

/// The order JSON for the ComproPago webhook, if one is registered.
fn webhook(store: &Store, order: &Order) -> Option<Outgoing> {
    let url = store.webhooks.get(&Provider::ComproPago)?;
    Some(Outgoing {
        provider: Provider::ComproPago,
        url: url.clone(),
        content_type: "application/json",
        body: serde_json::to_vec(&order_view(order)).unwrap_or_default(),
        receipt: None,
        signer: None,
        exact_200: false,
    })
}

/// Expires every `PENDING` order whose `expiresAt` has passed.
pub(super) fn expire_due(store: &mut Store) -> Vec<Outgoing> {
    let now = store.now().unix_timestamp();
    let mut expired = Vec::new();
    for order in &mut store.records.get_mut::<ComproPagoState>().orders {
        if order.status == "PENDING" && order.expires_at <= now {
            order.status = "EXPIRED";
            order.updated_at = now;
            expired.push(order.clone());
        }
    }
    expired.iter().filter_map(|o| webhook(store, o)).collect()
}

/// Pays (→ `ACCEPTED`) or expires (→ `EXPIRED`) a `PENDING` order, sending the webhook;
/// or deposits `amount` to an account's CLABE.
pub(super) fn act(
    store: &mut Store,
    id: &str,
    action: PayerAction,
    amount: Option<Decimal>,
) -> Result<Acted, Error> {
    let now = store.now().unix_timestamp();
    let outcome = |status: &str| ActionOutcome::new(Provider::ComproPago, id, status);
    if let Some(index) = store
        .records
        .get::<ComproPagoState>()
        .accounts
        .iter()
        .position(|a| a.id == id)
    {
        if action != PayerAction::Pay {
            return Err(Error::Unsupported {
                provider: Provider::ComproPago,
                action: action.as_str().into(),
            });
        }
        let amount = amount.filter(|a| *a > Decimal::ZERO).ok_or_else(|| {
            Error::Invalid("a deposit to a ComproPago account needs a positive amount".into())
        })?;
        let deposit_id = format!("tr_{}", store.ids.uuid());
        let reference = store.ids.digits(18);
        let account = &mut store.records.get_mut::<ComproPagoState>().accounts[index];
        account.balance += amount;
        account.updated_at = now;
        account.transactions.push(Deposit {
            id: deposit_id.clone(),
            amount,
            created_at: now,
            reference,
        });
        let mut done = outcome("ACTIVE");
        done.created_id = Some(deposit_id);
        return Ok((done, Vec::new()));
    }
    let status = match action {
        PayerAction::Pay => "ACCEPTED",
        PayerAction::Expire => "EXPIRED",
        other => {
            return Err(Error::Unsupported {
                provider: Provider::ComproPago,
                action: other.as_str().into(),
            });
        }
    };
    let order = store
        .records
        .get_mut::<ComproPagoState>()
        .orders
        .iter_mut()
        .find(|o| o.id == id)
        .ok_or_else(|| Error::NotFound {
            provider: Provider::ComproPago,
            id: id.to_string(),
        })?;
    if order.status != "PENDING" {
        return Err(Error::NotAllowed {
            provider: Provider::ComproPago,
            id: id.to_string(),
            message: format!("the order is {}", order.status),
        });
    }
    order.status = status;
    order.updated_at = now;
    if status == "EXPIRED" {
        order.expires_at = now;
    }
    let order = order.clone();
    Ok((
        outcome(status),
        webhook(store, &order).into_iter().collect(),
    ))
}
