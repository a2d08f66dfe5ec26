//! The payer's side of a Khipu payment: `verify` (pending → verifying), `pay` (→ done,
//! which sends the `notify_url` notification), `reject` (status_detail
//! `rejected-by-payer`) and `expire` (moves `expires_date` to now, so it can no longer
//! be paid).

use super::state::{BANKS, KhipuState, Status};
use crate::Error;
use crate::config::Provider;
use crate::control::{ActionOutcome, PayerAction};
use crate::notify::Outgoing;
use crate::simulated::Acted;
use crate::state::Store;

/// Applies a payer action to a pending payment.
pub(super) fn act(store: &mut Store, id: &str, action: PayerAction) -> Result<Acted, Error> {
    if action == PayerAction::Sign {
        return Err(Error::Unsupported {
            provider: Provider::Khipu,
            action: action.as_str().into(),
        });
    }
    let now = store.now();
    let not_allowed = |message: &str| Error::NotAllowed {
        provider: Provider::Khipu,
        id: id.to_string(),
        message: message.to_string(),
    };
    let payment = store
        .records
        .get_mut::<KhipuState>()
        .payments
        .get_mut(id)
        .ok_or_else(|| Error::NotFound {
            provider: Provider::Khipu,
            id: id.to_string(),
        })?;
    if payment.status == Status::Done {
        return Err(not_allowed("the payment is already done"));
    }
    if payment.status_detail != "pending" {
        return Err(not_allowed(&format!(
            "the payment is {}",
            payment.status_detail
        )));
    }
    if payment.expires_date <= now {
        return Err(not_allowed("the payment has expired"));
    }
    let mut outgoing = Vec::new();
    match action {
        PayerAction::Verify => {
            payment.status = Status::Verifying;
            payment.payment_method = Some("simplified_transfer");
        }
        PayerAction::Pay => {
            payment.status = Status::Done;
            payment.status_detail = "normal";
            payment.conciliation_date = Some(now);
            payment.payment_method.get_or_insert("simplified_transfer");
            payment
                .bank_id
                .get_or_insert_with(|| BANKS[0].0.to_string());
            payment
                .payer_name
                .get_or_insert_with(|| "Pagador Sandbox".to_string());
            payment
                .payer_email
                .get_or_insert_with(|| "pagador@sandbox.test".to_string());
            // A payment with a fixed payer can only be paid by that person.
            payment.personal_identifier = Some(
                payment
                    .fixed_payer_personal_identifier
                    .clone()
                    .unwrap_or_else(|| "11.111.111-1".to_string()),
            );
            payment.bank_account_number = Some("000012345678".to_string());
            if let Some(url) = payment
                .notify_url
                .as_deref()
                .and_then(|u| url::Url::parse(u).ok())
            {
                let body = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair(
                        "api_version",
                        payment.notify_api_version.as_deref().unwrap_or("1.3"),
                    )
                    .append_pair("notification_token", &payment.notification_token)
                    .finish();
                outgoing.push(Outgoing {
                    provider: Provider::Khipu,
                    url,
                    content_type: "application/x-www-form-urlencoded",
                    body: body.into_bytes(),
                    receipt: None,
                    signer: None,
                    exact_200: false,
                });
            }
        }
        PayerAction::Reject => payment.status_detail = "rejected-by-payer",
        PayerAction::Expire => payment.expires_date = now,
        // Refused before any state check, above.
        PayerAction::Sign => {}
    }
    let outcome = ActionOutcome::new(
        Provider::Khipu,
        id,
        format!("{}/{}", payment.status.as_str(), payment.status_detail),
    );
    Ok((outcome, outgoing))
}
