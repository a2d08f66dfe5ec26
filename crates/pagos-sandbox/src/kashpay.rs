//! Kashpay (Onsigna), served under `/kashpay`: `POST /AuthenticationService/authenticate`
//! and `POST /OKPay/createOrder` (the real service splits them over two hosts; here one
//! base URL serves both).
//!
//! Authentication issues an HS512 JWT (`exp` claim) with `expires` in milliseconds as a
//! string. `createOrder` requires `Authorization: Bearer <token>` and `Entity-i: <entity>`.
//! Every answer carries `success`; failures are
//! `{"success":false,"error":{"name","message","code"}}` — 401 for authentication, 400 for
//! validation, and HTTP 200 for a business refusal (insufficient funds), because Kashpay
//! reports failures in the body whatever the HTTP status. Orders are applied at once
//! (status 25) and move the entity's balance.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use sha2::Sha512;
use time::OffsetDateTime;

use crate::Error;
use crate::config::Provider;
use crate::config::SandboxConfig;
use crate::control::RecordCounts;
use crate::control::{ActionOutcome, PayerAction};
use crate::notify::Outgoing;
use crate::simulated::{Acted, Balance, SimulatedProvider};
use crate::state::Records;
use crate::state::{Sandbox, Store};
use crate::wire::{
    FieldError, JsonNumber, JsonObject, KASHPAY_TIME, bearer_token, format_time,
    has_at_most_decimals, is_email, is_valid_clabe, json_response, route, secrets_match,
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
/// The MXN numeric code, the only currency.
const MXN: i64 = 484;

/// Kashpay's records: the entity's balance and the next order id (orders have no read
/// endpoint, so only their effect on the balance is kept).
#[derive(Debug)]
pub(crate) struct KashpayState {
    balance: Decimal,
    next_order: u64,
}

impl KashpayState {
    pub(crate) fn new(balance: Decimal) -> Self {
        KashpayState {
            balance,
            next_order: FIRST_ORDER_ID,
        }
    }
}

/// The id of the first order; ids then count up.
const FIRST_ORDER_ID: u64 = 13_700;

/// How many orders were applied.
pub(crate) fn order_count(store: &Store) -> usize {
    usize::try_from(store.records.get::<KashpayState>().next_order - FIRST_ORDER_ID)
        .unwrap_or(usize::MAX)
}

/// The entity's balance.
pub(crate) fn balance(store: &Store) -> Decimal {
    store.records.get::<KashpayState>().balance
}

/// Kashpay's failure envelope.
pub(crate) fn error_response(status: StatusCode, name: &str, message: &str, code: i64) -> Response {
    json_response(
        status,
        &json!({
            "success": false,
            "error": { "name": name, "message": message, "code": code },
            "totalItems": 0,
            "totalPages": 0,
            "currentPage": 0,
        }),
    )
}

fn unauthorized(message: &str) -> Response {
    error_response(
        StatusCode::UNAUTHORIZED,
        "AuthenticationException",
        message,
        401,
    )
}

pub(crate) fn router() -> Router<Arc<Sandbox>> {
    let r = Router::new();
    let r = route(r, "/AuthenticationService/authenticate", post(authenticate));
    let r = route(r, "/OKPay/createOrder", post(create_order));
    r.fallback(|| async {
        error_response(
            StatusCode::NOT_FOUND,
            "NotFoundException",
            "Recurso no encontrado",
            404,
        )
    })
}

// ---------------------------------------------------------------------------------------
// Tokens

/// The key sandbox tokens are signed with: fixed per seed, so tokens are reproducible.
fn signing_key(sandbox: &Sandbox) -> Vec<u8> {
    format!("pagos-sandbox-kashpay-{}", sandbox.config.seed).into_bytes()
}

fn sign(key: &[u8], message: &str) -> Hmac<Sha512> {
    let mut mac = Hmac::<Sha512>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(message.as_bytes());
    mac
}

fn issue_token(key: &[u8], user: &str, entity: &str, issued_at: i64, expires_at: i64) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS512"}"#);
    let claims = json!({ "sub": user, "entity": entity, "iat": issued_at, "exp": expires_at });
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(sign(key, &signing_input).finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// Checks the signature and expiry of a token; returns its `entity` claim.
fn check_token(key: &[u8], token: &str, now: i64) -> Result<String, &'static str> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("Token mal formado");
    };
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| "Token mal formado")?;
    sign(key, &format!("{header}.{payload}"))
        .verify_slice(&signature)
        .map_err(|_| "Token inválido")?;
    let claims: serde_json::Value = URL_SAFE_NO_PAD
        .decode(payload)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or("Token mal formado")?;
    let expires = claims["exp"].as_i64().ok_or("Token sin exp")?;
    if now >= expires {
        return Err("Token expirado");
    }
    Ok(claims["entity"].as_str().unwrap_or_default().to_string())
}

async fn authenticate(State(sandbox): State<Arc<Sandbox>>, body: Bytes) -> Response {
    let object = match JsonObject::parse(&body) {
        Ok(o) => o,
        Err(e) => return error_response(StatusCode::BAD_REQUEST, "ValidationException", &e, 1001),
    };
    let mut missing = ["entity", "password", "user"]
        .into_iter()
        .filter(|k| object.required_string(k).is_err());
    if let Some(field) = missing.next() {
        return error_response(
            StatusCode::BAD_REQUEST,
            "ValidationException",
            &format!("{field} es obligatorio"),
            1001,
        );
    }
    let field = |k: &str| object.string(k).ok().flatten().unwrap_or_default();
    let (entity, user, password) = (field("entity"), field("user"), field("password"));
    let creds = &sandbox.config.credentials;
    if !(secrets_match(&entity, &creds.kashpay_entity)
        && secrets_match(&user, &creds.kashpay_user)
        && secrets_match(&password, &creds.kashpay_password))
    {
        return unauthorized("Credenciales inválidas");
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
    json_response(
        StatusCode::OK,
        &json!({
            "success": true,
            // `expires` is in milliseconds and a string, as in the Kashpay API
            // ("5975999").
            "authenticationResponse": { "token": token, "expires": lifetime.as_millis().to_string() },
        }),
    )
}

fn authorize(sandbox: &Sandbox, headers: &HeaderMap) -> Result<(), Response> {
    let token = bearer_token(headers)
        .ok_or_else(|| unauthorized("Falta el encabezado Authorization: Bearer"))?;
    let entity = headers
        .get("entity-i")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| unauthorized("Falta el encabezado Entity-i"))?;
    let token_entity = check_token(
        &signing_key(sandbox),
        &token,
        sandbox.now().unix_timestamp(),
    )
    .map_err(unauthorized)?;
    if entity != token_entity || entity != sandbox.config.credentials.kashpay_entity {
        return Err(unauthorized("Entity-i no corresponde al token"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Orders

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderView {
    created_at: String,
    /// The wire name keeps Kashpay's typo.
    uptaded_at: String,
    id: String,
    numeric_reference: String,
    alphanumeric_reference: String,
    reference_created_payment: String,
    status: i64,
    initial_balance: JsonNumber,
    final_balance: JsonNumber,
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
    let amount = match object.decimal("amount") {
        Ok(Some(a)) if a > Decimal::ZERO && has_at_most_decimals(a, 2) => Some(a),
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
    match object.integer("currency") {
        Ok(None | Some(MXN)) => {}
        Ok(Some(other)) => errors.push(FieldError::new(
            "currency",
            format!("moneda no soportada: {other} (484)"),
        )),
        Err(e) => errors.push(e),
    }
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
) -> Response {
    if let Err(response) = authorize(&sandbox, &headers) {
        return response;
    }
    let object = match JsonObject::parse(&body) {
        Ok(o) => o,
        Err(e) => return error_response(StatusCode::BAD_REQUEST, "ValidationException", &e, 1001),
    };
    let (kind, amount) = match validate_order(&object) {
        Ok(valid) => valid,
        Err(errors) => {
            let message = errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ");
            return error_response(
                StatusCode::BAD_REQUEST,
                "ValidationException",
                &message,
                1001,
            );
        }
    };
    let credit = TRANSACTION_TYPES
        .iter()
        .any(|(k, credit)| *k == kind && *credit);
    sandbox.update(|store| {
        let initial = store.records.get_mut::<KashpayState>().balance;
        let final_balance = if credit {
            initial + amount
        } else {
            initial - amount
        };
        if final_balance < Decimal::ZERO {
            // A business refusal: HTTP 200 with success:false, as Kashpay does.
            let response = error_response(
                StatusCode::OK,
                "EntityException",
                "No se pudo procesar el pago: saldo insuficiente",
                1022,
            );
            return (response, Vec::<Outgoing>::new());
        }
        store.records.get_mut::<KashpayState>().balance = final_balance;
        let id = store
            .records
            .get_mut::<KashpayState>()
            .next_order
            .to_string();
        store.records.get_mut::<KashpayState>().next_order += 1;
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
        (json_response(StatusCode::OK, &body), Vec::new())
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderEnvelope {
    success: bool,
    order_entity_response: OrderView,
    total_items: u32,
    total_pages: u32,
    current_page: u32,
}

/// Kashpay orders are applied when created: there is nothing for a payer to do.
pub(crate) fn payer_action(
    _store: &mut Store,
    _id: &str,
    action: PayerAction,
    _amount: Option<Decimal>,
) -> Result<(ActionOutcome, Vec<Outgoing>), Error> {
    Err(Error::Unsupported {
        provider: Provider::Kashpay,
        action: action.as_str().into(),
    })
}

// ---------------------------------------------------------------------------------------
// The simulated provider

/// Kashpay (Onsigna).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kashpay;

impl SimulatedProvider for Kashpay {
    fn name(&self) -> &'static str {
        "kashpay"
    }

    fn base_path(&self) -> &'static str {
        "/kashpay"
    }

    fn records(&self, config: &SandboxConfig) -> Box<dyn Records> {
        Box::new(KashpayState::new(config.kashpay_initial_balance))
    }

    fn router(&self) -> Router<Arc<Sandbox>> {
        router()
    }

    fn act(
        &self,
        store: &mut Store,
        id: &str,
        action: PayerAction,
        amount: Option<Decimal>,
    ) -> Result<Acted, Error> {
        payer_action(store, id, action, amount)
    }

    fn count(&self, store: &Store, counts: &mut RecordCounts) {
        counts.kashpay_orders = order_count(store);
    }

    fn balance(&self, store: &Store) -> Option<Balance> {
        Some(Balance {
            amount: balance(store),
            currency: "MXN",
        })
    }

    fn fault_response(
        &self,
        status: StatusCode,
        message: &str,
        _route: &str,
        _now: OffsetDateTime,
    ) -> Response {
        error_response(
            status,
            "SandboxFaultException",
            message,
            i64::from(status.as_u16()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_and_expire() {
        let key = b"k";
        let token = issue_token(key, "u@x.test", "com.cascade", 1_000, 2_000);
        assert!(token.starts_with("eyJhbGciOiJIUzUxMiJ9."), "{token}");
        assert_eq!(check_token(key, &token, 1_999).unwrap(), "com.cascade");
        assert_eq!(check_token(key, &token, 2_000), Err("Token expirado"));
        assert_eq!(check_token(b"other", &token, 1_500), Err("Token inválido"));
        assert_eq!(check_token(key, "a.b", 1_500), Err("Token mal formado"));
    }
}
