//! What the payer, or time, does to a TelePagos payable (QR order, payment link, transfer
//! link): `pay` credits the balance and creates a cash-in and a transaction; `expire`, or
//! the clock passing its expiry, closes it.

use super::state::{
    Cashin, PAYER_CUIT, PAYER_CVU, PAYER_NAME, PayableKind, PayableStatus, TelePagosState, parse_id,
};
use crate::Error;
use crate::config::Provider;
use crate::control::{ActionOutcome, PayerAction};
use crate::simulated::Acted;
use crate::state::Store;

/// Expires open QR orders and links whose time has passed.
pub(super) fn expire_due(store: &mut Store) {
    let now = store.now();
    for payable in &mut store.records.get_mut::<TelePagosState>().payables {
        if payable.status == PayableStatus::Open && payable.expires.is_some_and(|t| t <= now) {
            payable.status = PayableStatus::Expired;
        }
    }
}

/// The payer pays an open payable, or it expires now.
pub(super) fn act(store: &mut Store, id: &str, action: PayerAction) -> Result<Acted, Error> {
    let now = store.now();
    let tp: &mut TelePagosState = store.records.get_mut();
    let index = parse_id(id)
        .and_then(|n| tp.payables.iter().position(|p| p.id == n))
        .ok_or_else(|| Error::NotFound {
            provider: Provider::TelePagos,
            id: id.to_string(),
        })?;
    let payable = tp.payables[index].clone();
    if payable.status != PayableStatus::Open {
        let state = if payable.status == PayableStatus::Paid {
            "already paid"
        } else {
            "expired"
        };
        return Err(Error::NotAllowed {
            provider: Provider::TelePagos,
            id: id.to_string(),
            message: format!("it is {state}"),
        });
    }
    match action {
        PayerAction::Expire => {
            tp.payables[index].status = PayableStatus::Expired;
            Ok((
                ActionOutcome::new(Provider::TelePagos, id, "expired"),
                Vec::new(),
            ))
        }
        PayerAction::Pay => {
            let (operation, kept) = match &payable.kind {
                PayableKind::Qr | PayableKind::StaticQr { .. } => ("cashin_qr", payable.amount),
                // The distributed parts go straight to their CVUs.
                PayableKind::Link { distributed, .. } => {
                    ("cashin_link", payable.amount - *distributed)
                }
                PayableKind::Transfer => ("cashin_transfer", payable.amount),
            };
            let sale_point_name = match payable.kind {
                PayableKind::StaticQr { sale_point_id } => {
                    tp.active_sale_point(sale_point_id).map(|s| s.name.clone())
                }
                _ => None,
            };
            tp.balance += kept;
            let transaction_id = tp.push_transaction(
                true,
                now,
                payable.amount,
                operation,
                PAYER_NAME.into(),
                PAYER_CUIT.into(),
                PAYER_CVU.into(),
                sale_point_name,
            );
            // A cash-in is known by its transaction's id: the `id` of its row in
            // `GET v2/account/transactions` is what `GET v2/payment/cashin/{id}` reads.
            let cashin_id = transaction_id;
            tp.cashins.push(Cashin {
                id: cashin_id,
                payable_id: payable.id,
                kind: payable.kind.clone(),
                amount: payable.amount,
                concept: payable.concept.clone(),
                description: payable.description.clone(),
                transaction_id,
            });
            let reusable = matches!(
                payable.kind,
                PayableKind::Link {
                    multiple_use: true,
                    ..
                }
            );
            if !reusable {
                tp.payables[index].status = PayableStatus::Paid;
            }
            let mut outcome = ActionOutcome::new(
                Provider::TelePagos,
                id,
                if reusable { "open" } else { "paid" },
            );
            outcome.created_id = Some(cashin_id.to_string());
            Ok((outcome, Vec::new()))
        }
        other => Err(Error::Unsupported {
            provider: Provider::TelePagos,
            action: other.as_str().into(),
        }),
    }
}
