//! Khipu's API routes: banks, payments (create, get by id or notification token, delete,
//! confirm, refund), receivers and payment methods.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;

use super::auth::Signed;
use super::error::Rejection;
use super::render::{urls, view};
use super::state::{BANKS, KhipuState, Payment, Status};
use crate::state::Sandbox;
use crate::wire::{
    FieldError, JsonNumber, fixed, is_email, is_http_url, json_response, parse_plain_decimal,
    parse_rfc3339, route,
};

/// A payment without `expires_date` can be paid for this long.
const DEFAULT_EXPIRY: Duration = Duration::from_secs(24 * 3600);

pub(super) fn router() -> Router<Arc<Sandbox>> {
    let r = Router::new();
    let r = route(r, "/banks", get(banks));
    let r = route(r, "/payments", get(payment_by_token).post(create_payment));
    let r = route(r, "/payments/{id}", get(get_payment).delete(delete_payment));
    let r = route(r, "/payments/{id}/confirm", post(confirm_payment));
    let r = route(r, "/payments/{id}/refunds", post(refund_payment));
    let r = route(r, "/receivers", post(create_receiver));
    let r = route(r, "/merchants/{id}/paymentMethods", get(payment_methods));
    r.fallback(not_found)
}

async fn not_found() -> Rejection {
    Rejection::not_found("Recurso no encontrado")
}

async fn banks(_signed: Signed) -> impl IntoResponse {
    #[derive(Serialize)]
    struct Bank {
        bank_id: &'static str,
        name: &'static str,
        message: &'static str,
        min_amount: JsonNumber,
        r#type: &'static str,
        parent: &'static str,
        logo_url: Option<&'static str>,
    }
    let banks: Vec<Bank> = BANKS
        .iter()
        .map(|(bank_id, name, message, min, kind, parent)| Bank {
            bank_id,
            name,
            message,
            min_amount: JsonNumber::fixed(parse_plain_decimal(min).unwrap_or_default(), 4),
            r#type: kind,
            parent,
            logo_url: None,
        })
        .collect();
    json_response(StatusCode::OK, &json!({ "banks": banks }))
}

/// Parses a Khipu amount: `.` as separator, no thousands separator, at most 4 decimals,
/// at most 16 characters, positive.
fn parse_amount(field: &str, text: &str) -> Result<Decimal, FieldError> {
    let err = |m: &str| FieldError::new(field, m);
    if text.len() > 16 {
        return Err(err("El monto tiene más de 16 caracteres"));
    }
    let amount = parse_plain_decimal(text)
        .filter(|_| !text.starts_with('-'))
        .ok_or_else(|| err("El monto debe ser un número sin separador de miles y con '.' como separador decimal"))?;
    if text.split_once('.').is_some_and(|(_, frac)| frac.len() > 4) {
        return Err(err("El monto tiene más de 4 decimales"));
    }
    if amount <= Decimal::ZERO {
        return Err(err("El monto debe ser mayor que cero"));
    }
    Ok(amount)
}

fn parse_bool(signed: &Signed, key: &str, errors: &mut Vec<FieldError>) -> bool {
    match signed.param(key) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            errors.push(FieldError::new(key, "Debe ser 'true' o 'false'"));
            false
        }
    }
}

async fn create_payment(
    State(sandbox): State<Arc<Sandbox>>,
    signed: Signed,
) -> Result<impl IntoResponse, Rejection> {
    let mut errors = Vec::new();
    let text = |key: &str| signed.param(key).map(str::to_string);

    let subject = text("subject").filter(|s| !s.trim().is_empty());
    if subject.is_none() {
        errors.push(FieldError::new("subject", "El motivo es obligatorio"));
    }
    let currency = text("currency");
    match currency.as_deref() {
        None => errors.push(FieldError::new("currency", "La moneda es obligatoria")),
        Some(c) if super::currency_decimals(c).is_none() => {
            errors.push(FieldError::new(
                "currency",
                format!("Moneda no soportada: {c}"),
            ));
        }
        Some(_) => {}
    }
    let amount = match signed.param("amount") {
        None => {
            errors.push(FieldError::new("amount", "El monto es obligatorio"));
            None
        }
        Some(a) => match parse_amount("amount", a) {
            Ok(amount) => {
                let decimals = currency.as_deref().and_then(super::currency_decimals);
                if let Some(max) = decimals
                    && amount.normalize().scale() > max
                {
                    let message = if max == 0 {
                        "El peso chileno no admite decimales".to_string()
                    } else {
                        format!("Monto inválido: admite {max} decimales")
                    };
                    errors.push(FieldError::new("amount", message));
                }
                Some(amount)
            }
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    for key in [
        "return_url",
        "cancel_url",
        "picture_url",
        "notify_url",
        "contract_url",
    ] {
        if signed.param(key).is_some_and(|u| !is_http_url(u)) {
            errors.push(FieldError::new(key, "Debe ser una URL http o https"));
        }
    }
    if let Some(version) = signed.param("notify_api_version")
        && version != "1.3"
    {
        errors.push(FieldError::new(
            "notify_api_version",
            "Solo se admite la versión 1.3",
        ));
    }
    let now = sandbox.store().now();
    let mut date = |key: &str| match signed.param(key) {
        None => None,
        Some(d) => match parse_rfc3339(d) {
            Some(date) => Some(date),
            None => {
                errors.push(FieldError::new(
                    key,
                    "Fecha inválida; use ISO-8601, ej: 2017-03-01T13:00:00Z",
                ));
                None
            }
        },
    };
    let expires_date = date("expires_date");
    let confirm_timeout_date = date("confirm_timeout_date");
    if expires_date.is_some_and(|d| d <= now) {
        errors.push(FieldError::new(
            "expires_date",
            "La fecha de expiración debe ser futura",
        ));
    }
    let send_email = parse_bool(&signed, "send_email", &mut errors);
    let send_reminders = parse_bool(&signed, "send_reminders", &mut errors);
    for key in ["payer_email", "responsible_user_email"] {
        if signed.param(key).is_some_and(|e| !is_email(e)) {
            errors.push(FieldError::new(key, "Correo electrónico inválido"));
        }
    }
    if send_email {
        for key in ["payer_name", "payer_email"] {
            if signed.param(key).is_none() {
                errors.push(FieldError::new(
                    key,
                    "Es obligatorio cuando send_email es 'true'",
                ));
            }
        }
    }
    if signed.param("contract_url").is_some()
        && signed.param("fixed_payer_personal_identifier").is_none()
    {
        errors.push(FieldError::new(
            "fixed_payer_personal_identifier",
            "Es obligatorio cuando se envía contract_url",
        ));
    }
    if let Some(fee) = signed.param("integrator_fee")
        && let Err(e) = parse_amount("integrator_fee", fee)
    {
        errors.push(e);
    }
    if let Some(bank) = signed.param("bank_id")
        && !BANKS.iter().any(|b| b.0 == bank)
    {
        errors.push(FieldError::new("bank_id", "Banco desconocido"));
    }
    let (Some(subject), Some(currency), Some(amount), true) =
        (subject, currency, amount, errors.is_empty())
    else {
        return Err(Rejection::Validation(errors));
    };

    let origin = sandbox.origin.clone();
    Ok(sandbox.with_store(|store| {
        let id = loop {
            let id = store.ids.lower_alnum(12);
            if !store.records.get::<KhipuState>().payments.contains_key(&id) {
                break id;
            }
        };
        let payment = Payment {
            id: id.clone(),
            receiver_id: signed.receiver_id.clone(),
            notification_token: store.ids.alnum(40),
            subject,
            amount,
            currency,
            status: Status::Pending,
            status_detail: "pending",
            body: text("body"),
            picture_url: text("picture_url"),
            return_url: text("return_url"),
            cancel_url: text("cancel_url"),
            notify_api_version: text("notify_api_version")
                .or_else(|| signed.param("notify_url").map(|_| "1.3".to_string())),
            notify_url: text("notify_url"),
            expires_date: expires_date.unwrap_or(now + DEFAULT_EXPIRY),
            transaction_id: text("transaction_id"),
            custom: text("custom"),
            bank_id: text("bank_id"),
            payer_name: text("payer_name"),
            payer_email: text("payer_email"),
            send_email,
            send_reminders,
            responsible_user_email: text("responsible_user_email"),
            fixed_payer_personal_identifier: text("fixed_payer_personal_identifier"),
            confirm_timeout_date,
            conciliation_date: None,
            payment_method: None,
            personal_identifier: None,
            bank_account_number: None,
            refunded: Decimal::ZERO,
            confirmed: false,
        };
        store
            .records
            .get_mut::<KhipuState>()
            .payments
            .insert(id.clone(), payment);
        let urls = urls(&origin, &id);
        let body = json!({
            "payment_id": id,
            "payment_url": urls.payment,
            "simplified_transfer_url": urls.simplified,
            "transfer_url": urls.transfer,
            "app_url": urls.app,
            "ready_for_terminal": false,
            "webpay_url": null,
            "hites_url": null,
            "payme_url": null,
        });
        json_response(StatusCode::OK, &body)
    }))
}

async fn get_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    signed: Signed,
) -> Result<impl IntoResponse, Rejection> {
    let origin = sandbox.origin.clone();
    sandbox.with_store(|store| {
        let khipu: &mut KhipuState = store.records.get_mut();
        let payment = khipu
            .find_mut(&signed.receiver_id, &id)
            .ok_or_else(Rejection::payment_not_found)?;
        Ok(json_response(StatusCode::OK, &view(payment, &origin)))
    })
}

async fn payment_by_token(
    State(sandbox): State<Arc<Sandbox>>,
    signed: Signed,
) -> Result<impl IntoResponse, Rejection> {
    let token = signed.param("notification_token").ok_or_else(|| {
        FieldError::new(
            "notification_token",
            "El token de notificación es obligatorio",
        )
    })?;
    let origin = sandbox.origin.clone();
    sandbox.with_store(|store| {
        let payment = store
            .records
            .get::<KhipuState>()
            .payments
            .values()
            .find(|p| p.notification_token == token && p.receiver_id == signed.receiver_id)
            .ok_or_else(|| {
                FieldError::new("notification_token", "Token de notificación inválido")
            })?;
        Ok(json_response(StatusCode::OK, &view(payment, &origin)))
    })
}

async fn delete_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    signed: Signed,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.with_store(|store| {
        let khipu: &mut KhipuState = store.records.get_mut();
        let payment = khipu
            .find_mut(&signed.receiver_id, &id)
            .ok_or_else(Rejection::payment_not_found)?;
        if payment.status != Status::Pending || payment.status_detail != "pending" {
            return Err(Rejection::bad_request(
                "Solo se pueden borrar pagos que estén pendientes de pagar",
            ));
        }
        khipu.payments.remove(&id);
        Ok(json_response(
            StatusCode::OK,
            &json!({ "message": "Pago borrado" }),
        ))
    })
}

async fn confirm_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    signed: Signed,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.with_store(|store| {
        let khipu: &mut KhipuState = store.records.get_mut();
        let payment = khipu
            .find_mut(&signed.receiver_id, &id)
            .ok_or_else(Rejection::payment_not_found)?;
        if payment.status != Status::Done {
            return Err(Rejection::bad_request(
                "Solo se pueden confirmar pagos realizados",
            ));
        }
        payment.confirmed = true;
        Ok(json_response(
            StatusCode::OK,
            &json!({ "message": "Pago confirmado; será rendido al día siguiente" }),
        ))
    })
}

async fn refund_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    signed: Signed,
) -> Result<impl IntoResponse, Rejection> {
    let requested = signed
        .param("amount")
        .map(|a| parse_amount("amount", a))
        .transpose()?;
    sandbox.with_store(|store| {
        let now = store.now();
        let khipu: &mut KhipuState = store.records.get_mut();
        let p = khipu
            .find_mut(&signed.receiver_id, &id)
            .ok_or_else(Rejection::payment_not_found)?;
        let refundable = p.amount - p.refunded;
        if p.status != Status::Done || (p.status_detail == "reversed" && refundable.is_zero()) {
            return Err(Rejection::bad_request(
                "Solo se pueden reembolsar pagos realizados",
            ));
        }
        if p.confirmed || p.confirm_timeout_date.is_some_and(|d| d <= now) {
            return Err(Rejection::bad_request(
                "El pago ya fue rendido; no se puede reembolsar",
            ));
        }
        let amount = requested.unwrap_or(refundable);
        if amount > refundable {
            return Err(FieldError::new(
                "amount",
                format!(
                    "El monto a reembolsar excede el saldo reembolsable ({})",
                    fixed(refundable, 4)
                ),
            )
            .into());
        }
        if p.currency == "CLP" && !amount.fract().is_zero() {
            return Err(FieldError::new("amount", "El peso chileno no admite decimales").into());
        }
        p.refunded += amount;
        let full = p.refunded == p.amount;
        if full {
            p.status_detail = "reversed";
        }
        let message = if full {
            "Reembolso total realizado"
        } else {
            "Reembolso parcial realizado"
        };
        Ok(json_response(
            StatusCode::OK,
            &json!({ "message": message }),
        ))
    })
}

/// The fields `POST /receivers` requires.
const RECEIVER_REQUIRED: [&str; 15] = [
    "admin_first_name",
    "admin_last_name",
    "admin_email",
    "country_code",
    "business_identifier",
    "business_category",
    "business_name",
    "business_phone",
    "business_address_line_1",
    "business_address_line_2",
    "business_address_line_3",
    "contact_full_name",
    "contact_job_title",
    "contact_email",
    "contact_phone",
];

async fn create_receiver(
    State(sandbox): State<Arc<Sandbox>>,
    signed: Signed,
) -> Result<impl IntoResponse, Rejection> {
    let mut errors: Vec<FieldError> = RECEIVER_REQUIRED
        .iter()
        .filter(|key| signed.param(key).is_none())
        .map(|key| FieldError::new(*key, "Es obligatorio"))
        .collect();
    for key in ["admin_email", "contact_email"] {
        if signed.param(key).is_some_and(|e| !is_email(e)) {
            errors.push(FieldError::new(key, "Correo electrónico inválido"));
        }
    }
    if signed
        .param("country_code")
        .is_some_and(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        errors.push(FieldError::new(
            "country_code",
            "Debe ser un código ISO 3166-1 de dos letras",
        ));
    }
    for key in ["notify_url", "rendition_url"] {
        if signed.param(key).is_some_and(|u| !is_http_url(u)) {
            errors.push(FieldError::new(key, "Debe ser una URL http o https"));
        }
    }
    if !errors.is_empty() {
        return Err(Rejection::Validation(errors));
    }
    Ok(sandbox.with_store(|store| {
        let khipu: &mut KhipuState = store.records.get_mut();
        let receiver_id = khipu.next_receiver.to_string();
        khipu.next_receiver += 1;
        let secret = store.ids.hex(40);
        store
            .records
            .get_mut::<KhipuState>()
            .receivers
            .insert(receiver_id.clone(), secret.clone());
        json_response(
            StatusCode::OK,
            &json!({ "receiver_id": receiver_id, "secret": secret }),
        )
    }))
}

async fn payment_methods(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    _signed: Signed,
) -> Result<impl IntoResponse, Rejection> {
    let known = sandbox
        .store()
        .records
        .get::<KhipuState>()
        .receivers
        .contains_key(&id);
    if !known {
        return Err(Rejection::not_found("Cobrador no encontrado"));
    }
    let logo = |name: &str| format!("{}/_sandbox/static/{name}.svg", sandbox.origin);
    Ok(json_response(
        StatusCode::OK,
        &json!({ "paymentMethods": [
            { "id": "simplified_transfer", "name": "Transferencia simplificada", "logo_url": logo("simplified_transfer") },
            { "id": "regular_transfer", "name": "Transferencia normal", "logo_url": logo("regular_transfer") },
        ]}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_follow_khipu_rules() {
        assert!(parse_amount("amount", "1000").is_ok());
        assert!(parse_amount("amount", "10.1234").is_ok());
        assert!(parse_amount("amount", "10.12345").is_err());
        assert!(parse_amount("amount", "1,000").is_err());
        assert!(parse_amount("amount", "0").is_err());
        assert!(parse_amount("amount", "-5").is_err());
        assert!(parse_amount("amount", "12345678901234567").is_err());
    }
}
