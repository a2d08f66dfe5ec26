//! Khipu API 3.0's routes: banks, payments (create, get, delete, confirm, void, refunds),
//! the refund wallet, predictions, payment methods and receivers.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;

use super::auth::ApiKey;
use super::error::Rejection;
use super::render::{amount4, urls, view};
use super::state::{BANKS, KhipuV3State, Payment, Receiver, Refund, Status};
use super::validate::{
    currency, known_currency, number_amount, required_text, string_amount, text, url,
};
use crate::state::Sandbox;
use crate::wire::{
    FieldError, JsonNumber, JsonObject, is_email, json_response, parse_rfc3339, route,
};

/// A payment without `expires_date` can be paid for this long.
pub(super) const DEFAULT_EXPIRY: Duration = Duration::from_secs(24 * 3600);
/// `/v3/refunds` only takes payments reconciled at most this long ago.
const REFUND_WINDOW: Duration = Duration::from_secs(180 * 24 * 3600);
/// The payment methods of every collection account: `(id, name)`.
const PAYMENT_METHODS: [(&str, &str); 2] = [
    ("SIMPLIFIED_TRANSFER", "Transferencia simplificada"),
    ("REGULAR_TRANSFER", "Transferencia normal"),
];
/// Predictions: up to this amount (CLP) any payer can pay; above it, a new destinatary
/// cannot; above [`PREDICT_MAX`] nobody can.
const PREDICT_NEW_DESTINATARY_MAX: i64 = 500_000;
const PREDICT_MAX: i64 = 5_000_000;

pub(super) fn router() -> Router<Arc<Sandbox>> {
    let r = Router::new();
    let r = route(r, "/v3/banks", get(banks));
    let r = route(r, "/v3/payments", post(create_payment));
    let r = route(
        r,
        "/v3/payments/{id}",
        get(get_payment).delete(delete_payment),
    );
    let r = route(r, "/v3/payments/{id}/confirm", post(confirm_payment));
    let r = route(r, "/v3/payments/{id}/void", post(void_payment));
    let r = route(r, "/v3/payments/{id}/refunds", post(refund_payment));
    let r = route(r, "/v3/refunds", post(wallet_refund));
    let r = route(r, "/v3/refund-wallet/balance", get(wallet_balance));
    let r = route(r, "/v3/predict", get(predict));
    let r = route(r, "/v3/predict/all", get(predict_all));
    let r = route(r, "/v3/merchants/{id}/paymentMethods", get(payment_methods));
    let r = route(r, "/v3/receivers", post(create_receiver));
    let r = route(r, "/v3/receivers/children", get(children));
    let r = super::pac::routes(r);
    r.fallback(not_found)
}

async fn not_found() -> Rejection {
    Rejection::not_found("Not found - Recurso no disponible")
}

/// A request body that must be a JSON object; 400 otherwise.
pub(super) fn json_body(body: &[u8]) -> Result<JsonObject, Rejection> {
    JsonObject::parse(body).map_err(|e| {
        Rejection::new(
            StatusCode::BAD_REQUEST,
            format!("Bad request - Solicitud mal formada: {e}"),
        )
    })
}

fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn query_param<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

fn message(text: &str) -> Response {
    json_response(StatusCode::OK, &json!({ "message": text }))
}

async fn banks(_key: ApiKey) -> impl IntoResponse {
    #[derive(Serialize)]
    struct Bank {
        bank_id: &'static str,
        name: &'static str,
        message: &'static str,
        min_amount: JsonNumber,
        r#type: &'static str,
        parent: &'static str,
    }
    let banks: Vec<Bank> = BANKS
        .iter()
        .map(|(bank_id, name, message, min, kind, parent)| Bank {
            bank_id,
            name,
            message,
            min_amount: JsonNumber::int(*min),
            r#type: kind,
            parent,
        })
        .collect();
    json_response(StatusCode::OK, &json!({ "banks": banks }))
}

fn boolean(object: &JsonObject, key: &str, errors: &mut Vec<FieldError>) -> bool {
    match object.raw(key).map(|r| r.get().trim()) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            errors.push(FieldError::new(key, "Debe ser true o false"));
            false
        }
    }
}

async fn create_payment(
    State(sandbox): State<Arc<Sandbox>>,
    key: ApiKey,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = json_body(&body)?;
    let mut errors = Vec::new();
    let subject = required_text(&object, "subject", 255, &mut errors);
    let currency = currency(&object, &mut errors);
    let amount = match number_amount(&object, "amount", currency.as_deref()) {
        Ok(Some(amount)) => Some(amount),
        Ok(None) => {
            errors.push(FieldError::new("amount", "Es obligatorio"));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let mut t = |field: &str, max: usize| text(&object, field, max, &mut errors);
    let transaction_id = t("transaction_id", 255);
    let custom = t("custom", 1_073_741_824);
    let description = t("body", 5120);
    let bank_id = t("bank_id", 5);
    let notify_api_version = t("notify_api_version", 255);
    let payer_name = t("payer_name", 255);
    let payer_email = t("payer_email", 255);
    let responsible_user_email = t("responsible_user_email", 255);
    let fixed_payer = t("fixed_payer_personal_identifier", 255);
    let integrator_fee = t("integrator_fee", 16);
    let mandatory_method = t("mandatory_payment_method", 255);
    let psp_name = t("psp_client_merchant_name", 255);
    let _ = t("collect_account_uuid", 255);
    let mut u = |field: &str| url(&object, field, &mut errors);
    let return_url = u("return_url");
    let cancel_url = u("cancel_url");
    let picture_url = u("picture_url");
    let notify_url = u("notify_url");
    let contract_url = u("contract_url");
    let _ = u("psp_client_merchant_logo_url");
    if notify_api_version.as_deref().is_some_and(|v| v != "3.0") {
        errors.push(FieldError::new(
            "notify_api_version",
            "El sandbox de la API 3.0 solo envía notificaciones 3.0",
        ));
    }
    let now = sandbox.store().now();
    let mut date = |key: &str| match object.string(key) {
        Ok(None) => None,
        Ok(Some(d)) => parse_rfc3339(&d).or_else(|| {
            errors.push(FieldError::new(
                key,
                "Fecha inválida; use ISO-8601, ej: 2017-03-01T13:00:00Z",
            ));
            None
        }),
        Err(_) => {
            errors.push(FieldError::new(key, "Debe ser un texto"));
            None
        }
    };
    let expires_date = date("expires_date");
    let confirm_timeout_date = date("confirm_timeout_date");
    if expires_date.is_some_and(|d| d <= now) {
        errors.push(FieldError::new(
            "expires_date",
            "La fecha de expiración debe ser futura",
        ));
    }
    let send_email = boolean(&object, "send_email", &mut errors);
    let send_reminders = boolean(&object, "send_reminders", &mut errors);
    for (field, value) in [
        ("payer_email", &payer_email),
        ("responsible_user_email", &responsible_user_email),
    ] {
        if value.as_deref().is_some_and(|e| !is_email(e)) {
            errors.push(FieldError::new(field, "Correo electrónico inválido"));
        }
    }
    if send_email {
        for (field, value) in [("payer_name", &payer_name), ("payer_email", &payer_email)] {
            if value.is_none() && !errors.iter().any(|e| e.field == field) {
                errors.push(FieldError::new(
                    field,
                    "Es obligatorio cuando send_email es true",
                ));
            }
        }
    }
    if contract_url.is_some() && fixed_payer.is_none() {
        errors.push(FieldError::new(
            "fixed_payer_personal_identifier",
            "Es obligatorio cuando se envía contract_url",
        ));
    }
    if let Some(fee) = &integrator_fee
        && let Err(e) = string_amount("integrator_fee", fee, currency.as_deref())
    {
        errors.push(e);
    }
    if let Some(bank) = &bank_id
        && !BANKS.iter().any(|b| b.0 == bank)
    {
        errors.push(FieldError::new("bank_id", "Banco desconocido"));
    }
    let mandatory_method = mandatory_method.map(|m| m.to_ascii_uppercase());
    if let Some(method) = &mandatory_method
        && !PAYMENT_METHODS.iter().any(|(id, _)| id == method)
    {
        errors.push(FieldError::new(
            "mandatory_payment_method",
            "Medio de pago desconocido; vea /v3/merchants/{id}/paymentMethods",
        ));
    }
    if psp_name.as_deref().is_some_and(|n| n.chars().count() < 3) {
        errors.push(FieldError::new(
            "psp_client_merchant_name",
            "Debe tener entre 3 y 255 caracteres",
        ));
    }
    let (Some(subject), Some(currency), Some(amount), true) =
        (subject, currency, amount, errors.is_empty())
    else {
        return Err(Rejection::Validation(errors));
    };
    let payment_method = match mandatory_method.as_deref() {
        Some("REGULAR_TRANSFER") => "regular_transfer",
        _ => "simplified_transfer",
    };
    let origin = sandbox.origin.clone();
    Ok(sandbox.with_store(|store| {
        let payment = Payment {
            id: new_payment_id(store),
            receiver_id: key.receiver_id.clone(),
            notification_token: store.ids.hex(64),
            subject,
            amount,
            currency,
            status: Status::Pending,
            status_detail: "pending",
            body: description,
            picture_url,
            return_url,
            cancel_url,
            notify_api_version: notify_api_version
                .or_else(|| notify_url.as_ref().map(|_| "3.0".to_string())),
            notify_url,
            expires_date: expires_date.unwrap_or(now + DEFAULT_EXPIRY),
            transaction_id,
            custom,
            bank_id,
            payer_name,
            payer_email,
            send_email,
            send_reminders,
            responsible_user_email,
            fixed_payer_personal_identifier: fixed_payer,
            confirm_timeout_date,
            conciliation_date: None,
            payment_method,
            personal_identifier: None,
            bank_account_number: None,
            confirmed: false,
            refunds: Vec::new(),
            charge: None,
            created: now,
            origin: origin.clone(),
        };
        let id = payment.id.clone();
        store
            .records
            .get_mut::<KhipuV3State>()
            .payments
            .insert(id.clone(), payment);
        let urls = urls(&origin, &id);
        json_response(
            StatusCode::OK,
            &json!({
                "payment_id": id,
                "payment_url": urls.payment,
                "simplified_transfer_url": urls.simplified,
                "transfer_url": urls.transfer,
                "app_url": urls.app,
                "ready_for_terminal": false,
            }),
        )
    }))
}

/// A fresh 12-character payment id.
pub(super) fn new_payment_id(store: &mut crate::state::Store) -> String {
    loop {
        let id = store.ids.lower_alnum(12);
        if !store
            .records
            .get::<KhipuV3State>()
            .payments
            .contains_key(&id)
        {
            break id;
        }
    }
}

async fn get_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    key: ApiKey,
) -> Result<impl IntoResponse, Rejection> {
    let origin = sandbox.origin.clone();
    sandbox.with_store(|store| {
        let state: &mut KhipuV3State = store.records.get_mut();
        let payment = state
            .payment_mut(&key.receiver_id, &id)
            .ok_or_else(Rejection::payment_not_found)?;
        Ok(json_response(StatusCode::OK, &view(payment, &origin)))
    })
}

fn bad_request(message: &str) -> Rejection {
    Rejection::new(StatusCode::BAD_REQUEST, message)
}

async fn delete_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    key: ApiKey,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.with_store(|store| {
        let state: &mut KhipuV3State = store.records.get_mut();
        let payment = state
            .payment_mut(&key.receiver_id, &id)
            .ok_or_else(Rejection::payment_not_found)?;
        if payment.status != Status::Pending || payment.status_detail != "pending" {
            return Err(bad_request(
                "Solo se pueden eliminar pagos pendientes de pago",
            ));
        }
        // Deleted payments stay queryable, with status `deleted`.
        payment.status = Status::Deleted;
        Ok(message("Pago eliminado"))
    })
}

async fn confirm_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    key: ApiKey,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.with_store(|store| {
        let state: &mut KhipuV3State = store.records.get_mut();
        let payment = state
            .payment_mut(&key.receiver_id, &id)
            .ok_or_else(Rejection::payment_not_found)?;
        if payment.status != Status::Done || payment.status_detail == "reversed" {
            return Err(bad_request("Solo se pueden confirmar pagos realizados"));
        }
        if payment.confirmed {
            return Err(bad_request("El pago ya fue confirmado"));
        }
        payment.confirmed = true;
        Ok(message(
            "Pago confirmado; será rendido el siguiente día hábil",
        ))
    })
}

async fn void_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    key: ApiKey,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.with_store(|store| {
        let now = store.now();
        let state: &mut KhipuV3State = store.records.get_mut();
        let p = state
            .payment_mut(&key.receiver_id, &id)
            .ok_or_else(Rejection::payment_not_found)?;
        if p.status != Status::Done || p.status_detail == "reversed" {
            return Err(bad_request("Solo se pueden anular pagos realizados"));
        }
        if !p.refunds.is_empty() {
            return Err(bad_request(
                "El pago tiene reembolsos; no se puede anular por el total",
            ));
        }
        if p.confirmed || p.confirm_timeout_date.is_some_and(|d| d <= now) {
            return Err(bad_request("El pago ya fue rendido; no se puede anular"));
        }
        p.status_detail = "reversed";
        Ok(message("Pago anulado; el monto será devuelto al pagador"))
    })
}

/// Records a refund of `amount` (already checked against the refundable balance).
fn add_refund(store: &mut crate::state::Store, id: &str, amount: Decimal, funded: bool) -> Refund {
    let now = store.now();
    let refund = Refund {
        id: store.ids.uuid(),
        status: if funded { "authorized" } else { "pending" },
        amount,
        request_date: now,
        authorization_date: funded.then_some(now),
    };
    let state: &mut KhipuV3State = store.records.get_mut();
    if let Some(p) = state.payments.get_mut(id) {
        p.refunds.push(refund.clone());
        p.status_detail = if p.total_refunded() == p.amount {
            "fully-refunded"
        } else {
            "partially-refunded"
        };
    }
    refund
}

fn over_refund(amount: Decimal) -> Rejection {
    Rejection::field(
        "amount",
        format!(
            "El monto {} excede el saldo reembolsable del pago",
            amount.normalize()
        ),
    )
}

/// The old spec's refund before settlement: optional `{"amount": number}`.
async fn refund_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    key: ApiKey,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = if body.iter().all(u8::is_ascii_whitespace) {
        JsonObject::default()
    } else {
        json_body(&body)?
    };
    sandbox.with_store(|store| {
        let now = store.now();
        let state: &mut KhipuV3State = store.records.get_mut();
        let p = state
            .payment_mut(&key.receiver_id, &id)
            .ok_or_else(Rejection::payment_not_found)?;
        let requested = number_amount(&object, "amount", Some(&p.currency))?;
        let refundable = p.refundable();
        if p.status != Status::Done || refundable.is_zero() {
            return Err(Rejection::field(
                "payment_id",
                format!("El pago con ID {id} no es reembolsable"),
            ));
        }
        if p.confirmed || p.confirm_timeout_date.is_some_and(|d| d <= now) {
            return Err(bad_request(
                "El pago ya fue rendido; use /v3/refunds (billetera de reembolsos)",
            ));
        }
        let amount = requested.unwrap_or(refundable);
        if amount > refundable {
            return Err(over_refund(amount));
        }
        let full = amount == refundable;
        add_refund(store, &id, amount, true);
        Ok(message(if full {
            "Reembolso total realizado"
        } else {
            "Reembolso parcial realizado"
        }))
    })
}

/// `POST /v3/refunds`: a full or partial refund from the refund wallet.
async fn wallet_refund(
    State(sandbox): State<Arc<Sandbox>>,
    key: ApiKey,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = json_body(&body)?;
    let mut errors = Vec::new();
    let kind = required_text(&object, "type", 16, &mut errors);
    let payment_id = required_text(&object, "payment_id", 255, &mut errors);
    let amount_text = text(&object, "amount", 64, &mut errors);
    match (kind.as_deref(), &amount_text) {
        (Some("full"), Some(_)) => {
            errors.push(FieldError::new("amount", "No se admite con type full"))
        }
        (Some("partial"), None) if !errors.iter().any(|e| e.field == "amount") => {
            errors.push(FieldError::new("amount", "Es obligatorio con type partial"));
        }
        (Some("full" | "partial"), _) | (None, _) => {}
        (Some(_), _) => errors.push(FieldError::new("type", "Debe ser full o partial")),
    }
    let (Some(payment_id), true) = (payment_id, errors.is_empty()) else {
        return Err(Rejection::Validation(errors));
    };
    sandbox.with_store(|store| {
        let now = store.now();
        let state: &mut KhipuV3State = store.records.get_mut();
        let p = state
            .payment_mut(&key.receiver_id, &payment_id)
            .ok_or_else(Rejection::payment_not_found)?;
        let currency = p.currency.clone();
        let refundable = p.refundable();
        let reconciled = p.conciliation_date.filter(|_| p.status == Status::Done);
        if reconciled.is_none_or(|d| d + REFUND_WINDOW < now) || refundable.is_zero() {
            return Err(Rejection::field(
                "payment_id",
                format!("El pago con ID {payment_id} no es reembolsable"),
            ));
        }
        let amount = match &amount_text {
            Some(text) => string_amount("amount", text, Some(&currency))?,
            None => refundable,
        };
        if amount > refundable {
            return Err(over_refund(amount));
        }
        let balance = state.wallet.entry(currency.clone()).or_default();
        let funded = *balance >= amount;
        if funded {
            *balance -= amount;
        }
        let refund = add_refund(store, &payment_id, amount, funded);
        let state: &KhipuV3State = store.records.get();
        let total = state.payments[&payment_id].total_refunded();
        let mut answer = json!({
            "id": refund.id,
            "payment_id": payment_id,
            "refunded_amount": amount4(amount),
            "total_refunded": amount4(total),
            "remaining": amount4(refundable - amount),
            "currency": currency,
        });
        if !funded {
            answer["message"] = json!("Saldo de la billetera insuficiente");
        }
        Ok(json_response(StatusCode::OK, &answer))
    })
}

async fn wallet_balance(State(sandbox): State<Arc<Sandbox>>, _key: ApiKey) -> impl IntoResponse {
    let balance = sandbox
        .store()
        .records
        .get::<KhipuV3State>()
        .wallet
        .get("CLP")
        .copied()
        .unwrap_or_default();
    json_response(
        StatusCode::OK,
        &json!({
            "balance": amount4(balance),
            "currency": "CLP",
            "add_funds_url": format!("{}/_sandbox/checkout/khipu_v3/refund-wallet", sandbox.origin),
        }),
    )
}

#[derive(Serialize)]
struct Prediction {
    result: &'static str,
    max_amount: JsonNumber,
    cool_down_date: String,
    new_destinatary_max_amount: JsonNumber,
}

fn prediction(amount: Decimal, now: time::OffsetDateTime) -> Prediction {
    let result = if amount > Decimal::from(PREDICT_MAX) {
        "MAX_AMOUNT_EXCEEDED"
    } else if amount > Decimal::from(PREDICT_NEW_DESTINATARY_MAX) {
        "NEW_DESTINATARY_AMOUNT_EXCEEDED"
    } else {
        "OK"
    };
    Prediction {
        result,
        max_amount: JsonNumber::int(PREDICT_MAX),
        cool_down_date: crate::wire::rfc3339(now + Duration::from_secs(24 * 3600)),
        new_destinatary_max_amount: JsonNumber::int(PREDICT_NEW_DESTINATARY_MAX),
    }
}

/// The query of `/v3/predict` (`bank_id` only when `with_bank`): the amount.
fn predict_query(query: Option<&str>, with_bank: bool) -> Result<Decimal, Rejection> {
    let pairs = query_pairs(query);
    let mut errors = Vec::new();
    let mut keys = vec!["payer_email", "amount", "currency"];
    if with_bank {
        keys.push("bank_id");
    }
    for k in &keys {
        if query_param(&pairs, k).is_none() {
            errors.push(FieldError::new(*k, "Es obligatorio"));
        }
    }
    let currency = query_param(&pairs, "currency");
    if let Some(c) = currency
        && !known_currency(c)
    {
        errors.push(FieldError::new(
            "currency",
            format!("Moneda no soportada: {c}"),
        ));
    }
    if let Some(e) = query_param(&pairs, "payer_email")
        && !is_email(e)
    {
        errors.push(FieldError::new(
            "payer_email",
            "Correo electrónico inválido",
        ));
    }
    if with_bank
        && let Some(b) = query_param(&pairs, "bank_id")
        && !BANKS.iter().any(|bank| bank.0 == b)
    {
        errors.push(FieldError::new("bank_id", "Banco desconocido"));
    }
    let amount = query_param(&pairs, "amount").and_then(|a| {
        string_amount("amount", a, currency)
            .map_err(|e| errors.push(e))
            .ok()
    });
    match (amount, errors.is_empty()) {
        (Some(amount), true) => Ok(amount),
        _ => Err(Rejection::Validation(errors)),
    }
}

async fn predict(
    State(sandbox): State<Arc<Sandbox>>,
    _key: ApiKey,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse, Rejection> {
    let amount = predict_query(query.as_deref(), true)?;
    Ok(json_response(
        StatusCode::OK,
        &prediction(amount, sandbox.now()),
    ))
}

async fn predict_all(
    State(sandbox): State<Arc<Sandbox>>,
    _key: ApiKey,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse, Rejection> {
    let amount = predict_query(query.as_deref(), false)?;
    let now = sandbox.now();
    let banks: Vec<serde_json::Value> = BANKS
        .iter()
        .map(|b| {
            let mut p = serde_json::to_value(prediction(amount, now)).unwrap_or_default();
            p["bank_id"] = json!(b.0);
            p["name"] = json!(b.1);
            p
        })
        .collect();
    Ok(json_response(StatusCode::OK, &json!({ "banks": banks })))
}

async fn payment_methods(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    key: ApiKey,
) -> Result<impl IntoResponse, Rejection> {
    let visible = sandbox
        .store()
        .records
        .get::<KhipuV3State>()
        .receivers
        .get(&id)
        .is_some_and(|r| r.id == key.receiver_id || r.parent.as_deref() == Some(&key.receiver_id));
    if !visible {
        return Err(Rejection::not_found("Not found - Cobrador no encontrado"));
    }
    let logo = |name: &str| format!("{}/_sandbox/static/{name}.svg", sandbox.origin);
    let methods: Vec<serde_json::Value> = PAYMENT_METHODS
        .iter()
        .map(|(id, name)| json!({ "id": id, "name": name, "logo_url": logo(&id.to_ascii_lowercase()) }))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({ "paymentMethods": methods }),
    ))
}

/// `POST /v3/receivers` required fields and their length bounds.
const RECEIVER_REQUIRED: [(&str, usize, usize); 15] = [
    ("admin_first_name", 1, 255),
    ("admin_last_name", 1, 255),
    ("admin_email", 1, 255),
    ("country_code", 2, 2),
    ("business_identifier", 8, 255),
    ("business_category", 1, 255),
    ("business_name", 1, 255),
    ("business_phone", 5, 20),
    ("business_address_line_1", 1, 300),
    ("business_address_line_2", 1, 300),
    ("business_address_line_3", 4, 300),
    ("contact_full_name", 1, 255),
    ("contact_job_title", 1, 255),
    ("contact_email", 1, 255),
    ("contact_phone", 1, 255),
];

async fn create_receiver(
    State(sandbox): State<Arc<Sandbox>>,
    key: ApiKey,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = json_body(&body)?;
    let mut errors = Vec::new();
    let mut values = std::collections::BTreeMap::new();
    for (field, min, max) in RECEIVER_REQUIRED {
        if let Some(v) = required_text(&object, field, max, &mut errors) {
            if v.chars().count() < min {
                errors.push(FieldError::new(
                    field,
                    format!("Debe tener entre {min} y {max} caracteres"),
                ));
            }
            values.insert(field, v);
        }
    }
    for field in ["admin_email", "contact_email"] {
        if values.get(field).is_some_and(|e| !is_email(e)) {
            errors.push(FieldError::new(field, "Correo electrónico inválido"));
        }
    }
    let _ = text(&object, "bank_account_bank_id", 5, &mut errors);
    let _ = text(&object, "bank_account_identifier", 50, &mut errors);
    for field in [
        "bank_account_type",
        "bank_account_name",
        "bank_account_number",
    ] {
        let _ = text(&object, field, 255, &mut errors);
    }
    let _ = url(&object, "notify_url", &mut errors);
    let _ = url(&object, "rendition_url", &mut errors);
    if !errors.is_empty() {
        return Err(Rejection::Validation(errors));
    }
    let name = values.remove("business_name").unwrap_or_default();
    Ok(sandbox.with_store(|store| {
        let now = store.now();
        let secret = store.ids.hex(40);
        let api_key = store.ids.uuid();
        let state: &mut KhipuV3State = store.records.get_mut();
        let receiver_id = state.next_receiver.to_string();
        state.next_receiver += 1;
        state.receivers.insert(
            receiver_id.clone(),
            Receiver {
                id: receiver_id.clone(),
                secret: secret.clone(),
                parent: Some(key.receiver_id.clone()),
                name,
                created: now,
            },
        );
        state.keys.insert(api_key.clone(), receiver_id.clone());
        json_response(
            StatusCode::OK,
            &json!({ "receiver_id": receiver_id, "secret": secret, "api_key": api_key }),
        )
    }))
}

async fn children(
    State(sandbox): State<Arc<Sandbox>>,
    key: ApiKey,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse, Rejection> {
    let pairs = query_pairs(query.as_deref());
    let mut errors = Vec::new();
    let mut number = |field: &str, default: usize| match query_param(&pairs, field) {
        None => default,
        Some(v) => v.parse::<usize>().unwrap_or_else(|_| {
            errors.push(FieldError::new(field, "Debe ser un entero no negativo"));
            default
        }),
    };
    let offset = number("offset", 0);
    let max = number("max", 100);
    let sort = query_param(&pairs, "sort").unwrap_or("id");
    let order = query_param(&pairs, "order").unwrap_or("asc");
    if !["id", "name", "date_created"].contains(&sort) {
        errors.push(FieldError::new("sort", "Debe ser id, name o date_created"));
    }
    if !["asc", "desc"].contains(&order) {
        errors.push(FieldError::new("order", "Debe ser asc o desc"));
    }
    if !errors.is_empty() {
        return Err(Rejection::Validation(errors));
    }
    let store = sandbox.store();
    let state: &KhipuV3State = store.records.get();
    let mut kids: Vec<&Receiver> = state
        .receivers
        .values()
        .filter(|r| r.parent.as_deref() == Some(&key.receiver_id))
        .collect();
    kids.sort_by(|a, b| match sort {
        "name" => a.name.cmp(&b.name),
        "date_created" => a.created.cmp(&b.created).then(a.id.cmp(&b.id)),
        _ => {
            a.id.parse::<u64>()
                .unwrap_or(u64::MAX)
                .cmp(&b.id.parse::<u64>().unwrap_or(u64::MAX))
        }
    });
    if order == "desc" {
        kids.reverse();
    }
    let total = kids.len();
    let receivers: Vec<serde_json::Value> = kids
        .into_iter()
        .skip(offset)
        .take(max)
        .map(|r| {
            json!({
                "id": r.id.parse::<u64>().map_or_else(|_| json!(r.id), |n| json!(n)),
                "name": r.name,
                "date_created": crate::wire::rfc3339(r.created),
                "disabled": false,
                "can_collect": true,
            })
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({ "total": total, "receivers": receivers }),
    ))
}
