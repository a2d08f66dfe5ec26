//! The payer's side of Khipu 3.0: payments (`verify`, `pay`, `reject`, `expire`) and PAC
//! subscriptions (`sign`, or `pay` from the checkout page, and `reject`).
//!
//! A paid payment with a `notify_url` gets the signed 3.0 webhook; a rejected one too
//! (Khipu notifies failed payments), plus, for a PAC charge, the unsigned
//! `error_response_url` callback. Signing a subscription POSTs the unsigned
//! `{"subscription_id","status":"enabled"}` to its `notify_url`.

use super::render::{signature_header, webhook_body};
use super::state::{KhipuV3State, Payment, Status, SubscriptionStatus};
use crate::Error;
use crate::config::Provider;
use crate::control::{ActionOutcome, PayerAction};
use crate::notify::{Outgoing, Signer};
use crate::simulated::Acted;
use crate::state::Store;

/// An unsigned JSON callback (PAC), or `None` when the URL does not parse.
pub(super) fn callback(url: &str, body: &serde_json::Value) -> Option<Outgoing> {
    let url = url::Url::parse(url).ok()?;
    Some(Outgoing {
        provider: Provider::KhipuV3,
        url,
        content_type: "application/json",
        body: super::render::php_json(&body.to_string()).into_bytes(),
        receipt: None,
        signer: None,
        exact_200: true,
    })
}

/// The signed 3.0 webhook of a payment, when it has a `notify_url`.
fn webhook(p: &Payment, secret: &str) -> Option<Outgoing> {
    let url = url::Url::parse(p.notify_url.as_deref()?).ok()?;
    Some(Outgoing {
        provider: Provider::KhipuV3,
        url,
        content_type: "application/json",
        body: webhook_body(p),
        receipt: None,
        signer: Some(Signer {
            header: "x-khipu-signature",
            secret: secret.to_string(),
            sign: signature_header,
        }),
        exact_200: true,
    })
}

/// Applies a payer action to a payment or a subscription.
pub(super) fn act(store: &mut Store, id: &str, action: PayerAction) -> Result<Acted, Error> {
    let state: &KhipuV3State = store.records.get();
    if state.subscriptions.contains_key(id) {
        return act_subscription(store, id, action);
    }
    act_payment(store, id, action)
}

fn not_allowed(id: &str, message: &str) -> Error {
    Error::NotAllowed {
        provider: Provider::KhipuV3,
        id: id.to_string(),
        message: message.to_string(),
    }
}

fn act_payment(store: &mut Store, id: &str, action: PayerAction) -> Result<Acted, Error> {
    let now = store.now();
    let state: &mut KhipuV3State = store.records.get_mut();
    let secrets: std::collections::BTreeMap<String, String> = state
        .receivers
        .values()
        .map(|r| (r.id.clone(), r.secret.clone()))
        .collect();
    let payment = state.payments.get_mut(id).ok_or_else(|| Error::NotFound {
        provider: Provider::KhipuV3,
        id: id.to_string(),
    })?;
    if action == PayerAction::Sign {
        return Err(Error::Unsupported {
            provider: Provider::KhipuV3,
            action: "sign (only PAC subscriptions are signed)".into(),
        });
    }
    match payment.status {
        Status::Done => return Err(not_allowed(id, "the payment is already done")),
        Status::Deleted => return Err(not_allowed(id, "the payment was deleted")),
        Status::Pending | Status::Verifying => {}
    }
    if payment.status_detail != "pending" {
        return Err(not_allowed(
            id,
            &format!("the payment is {}", payment.status_detail),
        ));
    }
    if payment.expires_date <= now {
        return Err(not_allowed(id, "the payment has expired"));
    }
    let secret = secrets
        .get(&payment.receiver_id)
        .cloned()
        .unwrap_or_default();
    let mut outgoing = Vec::new();
    match action {
        PayerAction::Verify => payment.status = Status::Verifying,
        PayerAction::Pay => {
            payment.status = Status::Done;
            payment.status_detail = "normal";
            payment.conciliation_date = Some(now);
            payment
                .bank_id
                .get_or_insert_with(|| super::state::BANKS[0].0.to_string());
            payment
                .payer_name
                .get_or_insert_with(|| "Pagador Sandbox".to_string());
            payment
                .payer_email
                .get_or_insert_with(|| "pagador@sandbox.test".to_string());
            payment.personal_identifier = Some(
                payment
                    .fixed_payer_personal_identifier
                    .clone()
                    .unwrap_or_else(|| "11.111.111-1".to_string()),
            );
            payment.bank_account_number = Some("000012345678".to_string());
            outgoing.extend(webhook(payment, &secret));
        }
        PayerAction::Reject => {
            payment.status_detail = "rejected-by-payer";
            outgoing.extend(webhook(payment, &secret));
            if let Some(charge) = &payment.charge {
                outgoing.extend(callback(
                    &charge.error_response_url,
                    &serde_json::json!({
                        "subscription_id": charge.subscription_id,
                        "transaction_id": payment.transaction_id,
                        "payment_id": payment.id,
                        "error_message": "El banco rechazó el cargo automático",
                    }),
                ));
            }
        }
        PayerAction::Expire => payment.expires_date = now,
        PayerAction::Sign => {}
    }
    let outcome = ActionOutcome::new(
        Provider::KhipuV3,
        id,
        format!("{}/{}", payment.status.as_str(), payment.status_detail),
    );
    Ok((outcome, outgoing))
}

fn act_subscription(store: &mut Store, id: &str, action: PayerAction) -> Result<Acted, Error> {
    let reference = store.ids.digits(10);
    let state: &mut KhipuV3State = store.records.get_mut();
    let Some(s) = state.subscriptions.get_mut(id) else {
        return Err(Error::NotFound {
            provider: Provider::KhipuV3,
            id: id.to_string(),
        });
    };
    if s.status != SubscriptionStatus::Pending {
        return Err(not_allowed(
            id,
            &format!("the subscription is {}", s.status.as_str()),
        ));
    }
    let event = match action {
        PayerAction::Sign | PayerAction::Pay => {
            s.status = SubscriptionStatus::Enabled;
            s.service_reference.get_or_insert(reference);
            "enabled"
        }
        PayerAction::Reject => {
            s.status = SubscriptionStatus::Discarded;
            "discarded"
        }
        other => {
            return Err(Error::Unsupported {
                provider: Provider::KhipuV3,
                action: format!("{} (a subscription is signed or rejected)", other.as_str()),
            });
        }
    };
    let out = callback(
        &s.notify_url,
        &serde_json::json!({ "subscription_id": s.id, "status": event }),
    );
    Ok((
        ActionOutcome::new(Provider::KhipuV3, id, s.status.as_str()),
        out.into_iter().collect(),
    ))
}
