//! Khipu Automatic Payments (PAC) v1: subscriptions (bank mandates) and charge intents,
//! under `/v1/automatic-payment`, with the same API key as API 3.0.
//!
//! A subscription starts `PENDING`; the payer signs it on its `redirect_url` (the
//! sandbox's checkout page, or the control API's `sign` action), which makes it
//! `ENABLED` and POSTs `{"subscription_id","status":"enabled"}` (unsigned) to its
//! `notify_url`. Charges are checked against `max_amount_per_charge` and the monthly
//! `max_amount` (422 `ChargeError`), and each becomes a payment with
//! `payment_method: "direct_debit"`, paid (or rejected) by the control API like any
//! other 3.0 payment.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::post;
use rust_decimal::Decimal;
use serde_json::json;

use super::auth::ApiKey;
use super::error::Rejection;
use super::handlers::{DEFAULT_EXPIRY, json_body, new_payment_id};
use super::payer::callback;
use super::render::currency_decimals;
use super::state::{Charge, KhipuV3State, Payment, Status, Subscription, SubscriptionStatus};
use super::validate::{check_amount, currency, number_amount, required_text, text, url};
use crate::state::{Sandbox, Store};
use crate::wire::{FieldError, JsonObject, is_email, json_response, route};

pub(super) fn routes(r: Router<Arc<Sandbox>>) -> Router<Arc<Sandbox>> {
    let r = route(
        r,
        "/v1/automatic-payment/subscription",
        post(create_subscription),
    );
    let r = route(
        r,
        "/v1/automatic-payment/subscription/{id}",
        axum::routing::get(get_subscription).delete(delete_subscription),
    );
    route(
        r,
        "/v1/automatic-payment/charge-intent",
        post(create_charge),
    )
}

/// A required URL.
fn required_url(object: &JsonObject, field: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = url(object, field, errors);
    if value.is_none() && !errors.iter().any(|e| e.field == field) {
        errors.push(FieldError::new(field, "Es obligatorio"));
    }
    value
}

fn required_amount(
    object: &JsonObject,
    field: &str,
    currency: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<Decimal> {
    match number_amount(object, field, currency) {
        Ok(Some(a)) => Some(a),
        Ok(None) => {
            errors.push(FieldError::new(field, "Es obligatorio"));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

async fn create_subscription(
    State(sandbox): State<Arc<Sandbox>>,
    key: ApiKey,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = json_body(&body)?;
    let mut errors = Vec::new();
    let name = required_text(&object, "name", 255, &mut errors);
    let email = required_text(&object, "email", 255, &mut errors);
    if email.as_deref().is_some_and(|e| !is_email(e)) {
        errors.push(FieldError::new("email", "Correo electrónico inválido"));
    }
    let currency = currency(&object, &mut errors);
    let max_amount = required_amount(&object, "max_amount", currency.as_deref(), &mut errors);
    let per_charge = required_amount(
        &object,
        "max_amount_per_charge",
        currency.as_deref(),
        &mut errors,
    );
    if let (Some(max), Some(per)) = (max_amount, per_charge)
        && per > max
    {
        errors.push(FieldError::new(
            "max_amount_per_charge",
            "No puede exceder max_amount",
        ));
    }
    let notify_url = required_url(&object, "notify_url", &mut errors);
    let _ = required_url(&object, "return_url", &mut errors);
    let _ = required_url(&object, "cancel_url", &mut errors);
    let service_reference = text(&object, "service_reference", 255, &mut errors);
    let _ = url(&object, "image_url", &mut errors);
    let _ = text(&object, "description", 5120, &mut errors);
    let (
        Some(name),
        Some(email),
        Some(currency),
        Some(max_amount),
        Some(per),
        Some(notify_url),
        true,
    ) = (
        name,
        email,
        currency,
        max_amount,
        per_charge,
        notify_url,
        errors.is_empty(),
    )
    else {
        return Err(Rejection::Validation(errors));
    };
    let origin = sandbox.origin.clone();
    Ok(sandbox.with_store(|store| {
        let id = store.ids.uuid();
        store
            .records
            .get_mut::<KhipuV3State>()
            .subscriptions
            .insert(
                id.clone(),
                Subscription {
                    id: id.clone(),
                    receiver_id: key.receiver_id.clone(),
                    name,
                    email,
                    max_amount,
                    max_amount_per_charge: per,
                    currency,
                    notify_url,
                    service_reference,
                    status: SubscriptionStatus::Pending,
                },
            );
        json_response(
            StatusCode::OK,
            &json!({
                "subscription_id": id,
                "redirect_url": format!("{origin}/_sandbox/checkout/khipu_v3/{id}"),
            }),
        )
    }))
}

/// `SubscriptionStatus`: `service_reference` is `""` until the mandate is signed.
fn status_view(s: &Subscription, signed: bool) -> serde_json::Value {
    json!({
        "subscription_id": s.id,
        "status": s.status.as_str(),
        "developer": true,
        "service_reference": if signed { s.service_reference.clone().unwrap_or_default() } else { String::new() },
    })
}

fn subscription_mut<'a>(
    store: &'a mut Store,
    receiver_id: &str,
    id: &str,
) -> Result<&'a mut Subscription, Rejection> {
    store
        .records
        .get_mut::<KhipuV3State>()
        .subscriptions
        .get_mut(id)
        .filter(|s| s.receiver_id == receiver_id)
        .ok_or_else(|| Rejection::not_found("Not found - Suscripción no encontrada"))
}

async fn get_subscription(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    key: ApiKey,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.with_store(|store| {
        let s = subscription_mut(store, &key.receiver_id, &id)?;
        let signed = s.status != SubscriptionStatus::Pending;
        Ok(json_response(StatusCode::OK, &status_view(s, signed)))
    })
}

async fn delete_subscription(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    key: ApiKey,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.update(|store| {
        let s = match subscription_mut(store, &key.receiver_id, &id) {
            Ok(s) => s,
            Err(e) => return (Err(e), Vec::new()),
        };
        if s.status == SubscriptionStatus::Discarded {
            return (
                Err(Rejection::new(
                    StatusCode::BAD_REQUEST,
                    "La suscripción ya fue dada de baja",
                )),
                Vec::new(),
            );
        }
        let signed = s.status != SubscriptionStatus::Pending;
        s.status = SubscriptionStatus::Discarded;
        let answer = status_view(s, signed);
        let out = callback(
            &s.notify_url,
            &json!({ "subscription_id": s.id, "status": "discarded" }),
        );
        (
            Ok(json_response(StatusCode::OK, &answer)),
            out.into_iter().collect(),
        )
    })
}

async fn create_charge(
    State(sandbox): State<Arc<Sandbox>>,
    key: ApiKey,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = JsonObject::parse(&body).map_err(|e| Rejection::charge("INVALID_PAYLOAD", e))?;
    let origin = sandbox.origin.clone();
    let mut errors = Vec::new();
    let subscription_id = required_text(&object, "subscription_id", 255, &mut errors);
    let subject = required_text(&object, "subject", 255, &mut errors);
    let error_response_url = required_url(&object, "error_response_url", &mut errors);
    let notify_url = required_url(&object, "notify_url", &mut errors);
    let description = text(&object, "body", 5120, &mut errors);
    let custom = text(&object, "custom", 1_073_741_824, &mut errors);
    let transaction_id = text(&object, "transaction_id", 255, &mut errors);
    let notify_api_version = text(&object, "notify_api_version", 255, &mut errors);
    let requested_currency = text(&object, "currency", 4, &mut errors);
    if notify_api_version.as_deref().is_some_and(|v| v != "3.0") {
        errors.push(FieldError::new(
            "notify_api_version",
            "El sandbox solo envía notificaciones 3.0",
        ));
    }
    if object.raw("amount").is_none() {
        errors.push(FieldError::new("amount", "Es obligatorio"));
    }
    let (Some(subscription_id), Some(subject), Some(error_response_url), Some(notify_url), true) = (
        subscription_id,
        subject,
        error_response_url,
        notify_url,
        errors.is_empty(),
    ) else {
        let fields: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        return Err(Rejection::charge("INVALID_PAYLOAD", fields.join("; ")));
    };
    sandbox.with_store(|store| {
        let now = store.now();
        let s = subscription_mut(store, &key.receiver_id, &subscription_id)?.clone();
        if s.status != SubscriptionStatus::Enabled {
            return Err(Rejection::charge(
                "SUBSCRIPTION_NOT_CHARGEABLE",
                format!("the subscription is {}, not ENABLED", s.status.as_str()),
            ));
        }
        if requested_currency
            .as_deref()
            .is_some_and(|c| c != s.currency)
        {
            return Err(Rejection::charge(
                "CURRENCY_MISMATCH",
                format!("the subscription's currency is {}", s.currency),
            ));
        }
        let amount = number_amount(&object, "amount", Some(&s.currency))
            .ok()
            .flatten()
            .and_then(|a| check_amount("amount", a, Some(&s.currency)).ok())
            .ok_or_else(|| {
                Rejection::charge(
                    "INVALID_AMOUNT",
                    format!(
                        "amount must be a positive number with at most {} decimals for {}",
                        currency_decimals(&s.currency),
                        s.currency
                    ),
                )
            })?;
        if amount > s.max_amount_per_charge {
            return Err(Rejection::charge(
                "MAX_AMOUNT_PER_CHARGE_EXCEEDED",
                "amount exceeds the maximum allowed per charge for this subscription",
            ));
        }
        let state: &KhipuV3State = store.records.get();
        let this_month: Decimal = state
            .payments
            .values()
            .filter(|p| {
                p.charge.as_ref().is_some_and(|c| c.subscription_id == s.id)
                    && p.created.year() == now.year()
                    && p.created.month() == now.month()
                    && p.status != Status::Deleted
                    && p.status_detail != "rejected-by-payer"
            })
            .map(|p| p.amount)
            .sum();
        // `checked_add`: a huge maximum must not overflow the sum (a panic).
        if this_month
            .checked_add(amount)
            .is_none_or(|total| total > s.max_amount)
        {
            return Err(Rejection::charge(
                "MAX_MONTHLY_AMOUNT_EXCEEDED",
                "amount exceeds the monthly maximum of this subscription",
            ));
        }
        let payment = Payment {
            id: new_payment_id(store),
            receiver_id: key.receiver_id.clone(),
            notification_token: store.ids.hex(64),
            subject,
            amount,
            currency: s.currency.clone(),
            status: Status::Pending,
            status_detail: "pending",
            body: description,
            picture_url: None,
            return_url: None,
            cancel_url: None,
            notify_url: Some(notify_url),
            notify_api_version: Some(notify_api_version.unwrap_or_else(|| "3.0".into())),
            expires_date: now + DEFAULT_EXPIRY,
            transaction_id,
            custom,
            bank_id: None,
            payer_name: Some(s.name.clone()),
            payer_email: Some(s.email.clone()),
            send_email: false,
            send_reminders: false,
            responsible_user_email: None,
            fixed_payer_personal_identifier: None,
            confirm_timeout_date: None,
            conciliation_date: None,
            payment_method: "direct_debit",
            personal_identifier: None,
            bank_account_number: None,
            confirmed: false,
            refunds: Vec::new(),
            charge: Some(Charge {
                subscription_id: s.id.clone(),
                error_response_url,
            }),
            created: now,
            origin: origin.clone(),
        };
        let id = payment.id.clone();
        store
            .records
            .get_mut::<KhipuV3State>()
            .payments
            .insert(id.clone(), payment);
        Ok(json_response(
            StatusCode::CREATED,
            &json!({ "payment_id": id }),
        ))
    })
}
