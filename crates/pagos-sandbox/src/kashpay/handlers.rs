//! Kashpay's API routes: `AuthenticationService/authenticate` and `OKPay/createOrder`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use rust_decimal::Decimal;
use serde_json::json;

use super::CURRENCIES;
use super::auth::{authorize, issue_token, signing_key};
use super::error::Rejection;
use super::render::{OrderEnvelope, OrderView};
use super::state::KashpayState;
use crate::state::Sandbox;
use crate::wire::{
    FieldError, JsonNumber, JsonObject, KASHPAY_TIME, format_time, has_at_most_decimals, is_email,
    is_valid_clabe, json_response, route, secrets_match,
};

/// The `typeTransaction` catalogue (Kashpay's public documentation) and whether each
/// credits the balance.
const TRANSACTION_TYPES: [(i64, bool); 15] = [
    (1, false),  // SPEI out
    (2, false),  // SPEI return
    (3, true),   // SPEI in
    (4, false),  // transfer between accounts
    (10, false), // top-ups
    (11, false), // bill payment
    (19, false), // payment order (branch withdrawal reference)
    (20, false), // withdrawal with reference
    (21, false), // withdrawal with reference
    (22, true),  // Visa sale
    (23, true),  // Amex sale
    (24, true),  // referenced SPEI sale
    (25, false), // acquiring refund
    (26, false), // acquiring cancellation
    (27, true),  // Mastercard sale
];

/// The applied/successful order status.
const STATUS_APPLIED: i64 = 25;
/// The ISO-4217 numeric code (`currency` on the wire) of each currency in
/// [`CURRENCIES`].
const NUMERIC_CODES: &[(i64, &str)] = &[(484, "MXN")];

/// The decimals [`CURRENCIES`] gives the currency of ISO numeric code `code`.
fn decimals_of(code: i64) -> Option<u32> {
    let (_, alpha) = NUMERIC_CODES.iter().find(|(c, _)| *c == code)?;
    CURRENCIES.iter().find(|(a, _)| a == alpha).map(|(_, d)| *d)
}

pub(super) fn router() -> Router<Arc<Sandbox>> {
    let r = Router::new();
    let r = route(r, "/AuthenticationService/authenticate", post(authenticate));
    let r = route(r, "/OKPay/createOrder", post(create_order));
    r.fallback(|| async {
        Rejection::new(
            StatusCode::NOT_FOUND,
            "NotFoundException",
            "Recurso no encontrado",
            404,
        )
    })
}

async fn authenticate(
    State(sandbox): State<Arc<Sandbox>>,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = JsonObject::parse(&body).map_err(Rejection::validation)?;
    let mut missing = ["entity", "password", "user"]
        .into_iter()
        .filter(|k| object.required_string(k).is_err());
    if let Some(field) = missing.next() {
        return Err(Rejection::validation(format!("{field} es obligatorio")));
    }
    let field = |k: &str| object.string(k).ok().flatten().unwrap_or_default();
    let (entity, user, password) = (field("entity"), field("user"), field("password"));
    let creds = &sandbox.config.credentials;
    if !(secrets_match(&entity, &creds.kashpay_entity)
        && secrets_match(&user, &creds.kashpay_user)
        && secrets_match(&password, &creds.kashpay_password))
    {
        return Err(Rejection::unauthorized("Credenciales inválidas"));
    }
    let lifetime = sandbox.config.kashpay_token_lifetime;
    let now = sandbox.now().unix_timestamp();
    let lifetime_secs = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX / 2);
    let token = issue_token(
        &signing_key(&sandbox),
        &user,
        &entity,
        now,
        now.saturating_add(lifetime_secs),
    );
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "success": true,
            // `expires` is in milliseconds and a string, as in the Kashpay API
            // ("5975999").
            "authenticationResponse": { "token": token, "expires": lifetime.as_millis().to_string() },
        }),
    ))
}

fn digits_only(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Reads a field that may be a JSON string or number, as text.
fn text_field(object: &JsonObject, key: &str) -> Option<String> {
    let raw = object.raw(key)?;
    serde_json::from_str::<String>(raw.get())
        .ok()
        .or_else(|| Some(raw.get().trim().to_string()))
}

fn validate_order(object: &JsonObject) -> Result<(i64, Decimal), Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = match object.integer("typeTransaction") {
        Ok(Some(kind)) if TRANSACTION_TYPES.iter().any(|(k, _)| *k == kind) => Some(kind),
        Ok(Some(kind)) => {
            errors.push(FieldError::new(
                "typeTransaction",
                format!("tipo de transacción desconocido: {kind}"),
            ));
            None
        }
        Ok(None) => {
            errors.push(FieldError::new("typeTransaction", "es obligatorio"));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    // Without `currency`, 484 (MXN), the Kashpay API's default.
    let decimals = match object.integer("currency") {
        Ok(None) => decimals_of(484),
        Ok(Some(code)) => {
            let decimals = decimals_of(code);
            if decimals.is_none() {
                errors.push(FieldError::new(
                    "currency",
                    format!("moneda no soportada: {code} (484)"),
                ));
            }
            decimals
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let amount = match object.decimal("amount") {
        Ok(Some(a)) if a > Decimal::ZERO && has_at_most_decimals(a, decimals.unwrap_or(2)) => {
            Some(a)
        }
        Ok(Some(_)) => {
            errors.push(FieldError::new(
                "amount",
                "debe ser mayor que cero, con 2 decimales como máximo",
            ));
            None
        }
        Ok(None) => {
            errors.push(FieldError::new("amount", "es obligatorio"));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if kind == Some(1) {
        // SPEI out needs a beneficiary: a CLABE (type 40, the default), a card (3) or a
        // phone (10).
        let account_type =
            text_field(object, "beneficiaryTypeAcount").unwrap_or_else(|| "40".into());
        match text_field(object, "beneficiaryAcount") {
            None => errors.push(FieldError::new(
                "beneficiaryAcount",
                "es obligatorio para SPEI",
            )),
            Some(account) => {
                let ok = match account_type.as_str() {
                    "40" => is_valid_clabe(&account),
                    "3" => account.len() == 16 && digits_only(&account),
                    "10" => account.len() == 10 && digits_only(&account),
                    _ => {
                        errors.push(FieldError::new(
                            "beneficiaryTypeAcount",
                            "tipos admitidos: 40, 3, 10",
                        ));
                        true
                    }
                };
                if !ok {
                    errors.push(FieldError::new(
                        "beneficiaryAcount",
                        "cuenta beneficiaria inválida",
                    ));
                }
            }
        }
        for key in ["beneficiaryName", "concept"] {
            if text_field(object, key).is_none_or(|v| v.trim().is_empty()) {
                errors.push(FieldError::new(key, "es obligatorio para SPEI"));
            }
        }
    }
    if let Some(concept) = text_field(object, "concept")
        && concept.chars().count() > 40
    {
        errors.push(FieldError::new("concept", "máximo 40 caracteres"));
    }
    if text_field(object, "numericReference").is_some_and(|r| !digits_only(&r) || r.len() > 10) {
        errors.push(FieldError::new("numericReference", "debe ser numérica"));
    }
    if text_field(object, "dateTransaction").is_some_and(|d| d.len() != 6 || !digits_only(&d)) {
        errors.push(FieldError::new("dateTransaction", "formato ddmmaa"));
    }
    if text_field(object, "email").is_some_and(|e| !is_email(&e)) {
        errors.push(FieldError::new("email", "correo electrónico inválido"));
    }
    match (kind, amount, errors.is_empty()) {
        (Some(kind), Some(amount), true) => Ok((kind, amount)),
        _ => Err(errors),
    }
}

async fn create_order(
    State(sandbox): State<Arc<Sandbox>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    authorize(&sandbox, &headers)?;
    let object = JsonObject::parse(&body).map_err(Rejection::validation)?;
    let (kind, amount) = validate_order(&object).map_err(|errors| {
        let message = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        Rejection::validation(message)
    })?;
    let credit = TRANSACTION_TYPES
        .iter()
        .any(|(k, credit)| *k == kind && *credit);
    sandbox.with_store(|store| {
        let kashpay: &mut KashpayState = store.records.get_mut();
        let initial = kashpay.balance;
        let final_balance = if credit {
            initial + amount
        } else {
            initial - amount
        };
        if final_balance < Decimal::ZERO {
            // A business refusal: HTTP 200 with success:false, as Kashpay does.
            return Err(Rejection::new(
                StatusCode::OK,
                "EntityException",
                "No se pudo procesar el pago: saldo insuficiente",
                1022,
            ));
        }
        kashpay.balance = final_balance;
        let id = kashpay.next_order.to_string();
        kashpay.next_order += 1;
        let now = format_time(store.now(), KASHPAY_TIME);
        let view = OrderView {
            created_at: now.clone(),
            uptaded_at: now,
            numeric_reference: text_field(&object, "numericReference")
                .unwrap_or_else(|| store.ids.digits(7)),
            alphanumeric_reference: text_field(&object, "alphanumericReference")
                .unwrap_or_else(|| format!("PROVV{}", store.ids.digits(10))),
            reference_created_payment: text_field(&object, "referenceCreatedPayment")
                .unwrap_or_else(|| format!("on{}", store.ids.digits(12))),
            id,
            status: STATUS_APPLIED,
            initial_balance: JsonNumber::plain(initial),
            final_balance: JsonNumber::plain(final_balance),
        };
        let body = OrderEnvelope {
            success: true,
            order_entity_response: view,
            total_items: 0,
            total_pages: 0,
            current_page: 0,
        };
        Ok(json_response(StatusCode::OK, &body))
    })
}
