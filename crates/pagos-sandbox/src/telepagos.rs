//! TelePagos ("API Telepagos Empresas"), served under `/telepagos` (paths `/v2/...`).
//!
//! `POST v2/auth/token` returns a bearer token with `expires_at` in epoch seconds; every
//! other call needs `Authorization: Bearer <token>` (401 when missing or expired).
//! Answers carry `status` (`"ok"`, or `"error"` with `message`). Errors use 400
//! (validation), 401, 404 and 409 (a `reference_id` reused with different data); a refused
//! cash-out for insufficient balance answers HTTP 200 with `status:"error"`, since
//! TelePagos's public documentation warns errors may come with a 2xx status and clients
//! must check the body.
//!
//! Cash-outs debit the balance and are idempotent on `reference_id`. Cash-in by QR,
//! payment link or transfer link is credited when the payer pays (control API), creating a
//! cash-in record and a transaction. Dynamic QR orders can be paid for one hour, links
//! until their `expiration_date`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use base64::Engine;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;

use crate::Error;
use crate::config::Provider;
use crate::config::SandboxConfig;
use crate::control::RecordCounts;
use crate::control::{ActionOutcome, PayerAction};
use crate::notify::Outgoing;
use crate::simulated::{Acted, Balance, Checkout, SimulatedProvider};
use crate::state::Records;
use crate::state::{Sandbox, Store};
use crate::wire::{
    FieldError, JsonNumber, JsonObject, LOCAL_SPACE, bearer_token, fixed, format_time,
    has_at_most_decimals, json_response, parse_date, parse_local, route, secrets_match,
};

/// Transfer concepts (BCRA motives), `VAR` being the default.
const CONCEPTS: [(&str, &str); 9] = [
    ("ALQ", "Alquiler"),
    ("CUO", "Cuota"),
    ("EXP", "Expensas"),
    ("FAC", "Factura"),
    ("PRE", "Préstamo"),
    ("SEG", "Seguro"),
    ("HON", "Honorarios"),
    ("HAB", "Haberes"),
    ("VAR", "Varios"),
];

/// Transaction operations: `(id, name, type)`.
const OPERATIONS: [(&str, &str, &str); 4] = [
    ("cashout", "Transferencia enviada", "egress"),
    ("cashin_qr", "Cobro con QR", "income"),
    ("cashin_link", "Cobro con link de pago", "income"),
    ("cashin_transfer", "Transferencia recibida", "income"),
];

/// How long a dynamic QR order can be paid.
const QR_LIFETIME: Duration = Duration::from_secs(3600);
/// Transactions per page when `paginate=1`.
const PAGE_SIZE: usize = 10;
/// The payer every simulated cash-in comes from.
const PAYER_CUIT: &str = "20267565393";
const PAYER_CVU: &str = "2850590940090418135201";
const PAYER_NAME: &str = "Pagador Sandbox";

/// TelePagos' records.
#[derive(Debug)]
pub(crate) struct TelePagosState {
    balance: Decimal,
    /// Token → expiry.
    tokens: BTreeMap<String, OffsetDateTime>,
    cashouts: Vec<Cashout>,
    /// `reference_id` → (fingerprint of the request, cash-out id).
    references: BTreeMap<String, (String, u64)>,
    payables: Vec<Payable>,
    cashins: Vec<Cashin>,
    sale_points: Vec<SalePoint>,
    transactions: Vec<Transaction>,
    next_payable: u64,
    next_cashout: u64,
    next_cashin: u64,
    next_sale_point: u64,
    next_transaction: u64,
}

impl TelePagosState {
    pub(crate) fn new(balance: Decimal) -> Self {
        TelePagosState {
            balance,
            tokens: BTreeMap::new(),
            cashouts: Vec::new(),
            references: BTreeMap::new(),
            payables: Vec::new(),
            cashins: Vec::new(),
            sale_points: Vec::new(),
            transactions: Vec::new(),
            next_payable: 5_001,
            next_cashout: 90_001,
            next_cashin: 70_001,
            next_sale_point: 1,
            next_transaction: 1,
        }
    }
}

/// How many cash-outs, payables (QR orders and links) and cash-ins exist.
pub(crate) fn record_counts(store: &Store) -> (usize, usize, usize) {
    let t = &store.records.get::<TelePagosState>();
    (t.cashouts.len(), t.payables.len(), t.cashins.len())
}

/// The account balance.
pub(crate) fn balance(store: &Store) -> Decimal {
    store.records.get::<TelePagosState>().balance
}

#[derive(Debug, Clone)]
struct Cashout {
    id: u64,
    cvu: String,
    cuit: String,
    amount: Decimal,
    concept: String,
    description: Option<String>,
    created: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq)]
enum PayableKind {
    Qr,
    StaticQr {
        sale_point_id: u64,
    },
    Link {
        multiple_use: bool,
        distributed: Decimal,
    },
    Transfer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PayableStatus {
    Open,
    Paid,
    Expired,
}

#[derive(Debug, Clone)]
struct Payable {
    id: u64,
    kind: PayableKind,
    amount: Decimal,
    concept: String,
    description: Option<String>,
    expires: Option<OffsetDateTime>,
    status: PayableStatus,
}

#[derive(Debug, Clone)]
struct Cashin {
    id: u64,
    payable_id: u64,
    kind: PayableKind,
    amount: Decimal,
    concept: String,
    description: Option<String>,
    transaction_id: u64,
}

#[derive(Debug, Clone)]
struct SalePoint {
    id: u64,
    name: String,
    active: bool,
}

#[derive(Debug, Clone)]
struct Transaction {
    id: u64,
    income: bool,
    date: OffsetDateTime,
    amount: Decimal,
    operation: &'static str,
    holder: String,
    cuit: String,
    cvu_cbu: String,
    sale_point_name: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Answers and auth

/// TelePagos' error body.
pub(crate) fn error_response(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({ "status": "error", "message": message }))
}

fn invalid(errors: &[FieldError]) -> Response {
    let message = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ");
    error_response(StatusCode::BAD_REQUEST, &message)
}

fn ok(body: serde_json::Value) -> Response {
    json_response(StatusCode::OK, &body)
}

/// Requests with a valid, unexpired bearer token.
pub(crate) struct TelePagosAuth;

impl FromRequestParts<Arc<Sandbox>> for TelePagosAuth {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        sandbox: &Arc<Sandbox>,
    ) -> Result<Self, Response> {
        let Some(token) = bearer_token(&parts.headers) else {
            return Err(error_response(
                StatusCode::UNAUTHORIZED,
                "No autenticado: falta el token",
            ));
        };
        let store = sandbox.store();
        match store.records.get::<TelePagosState>().tokens.get(&token) {
            Some(expires) if *expires > store.now() => Ok(TelePagosAuth),
            Some(_) => Err(error_response(StatusCode::UNAUTHORIZED, "Token expirado")),
            None => Err(error_response(StatusCode::UNAUTHORIZED, "Token inválido")),
        }
    }
}

pub(crate) fn router() -> Router<Arc<Sandbox>> {
    let r = Router::new();
    let r = route(r, "/v2/auth/token", post(token));
    let r = route(r, "/v2/payment/concepts", get(concepts));
    let r = route(r, "/v2/account/balance", get(account_balance));
    let r = route(r, "/v2/payment/cashout", post(cashout));
    let r = route(r, "/v2/payment/cashout/{id}", get(voucher));
    let r = route(r, "/v2/payment/cashin/{id}", get(cashin));
    let r = route(r, "/v2/payment/cashin/qr/generate", post(qr_generate));
    let r = route(
        r,
        "/v2/payment/cashin/transfer/generate",
        post(transfer_generate),
    );
    let r = route(r, "/v2/whitelabel/statics/{period}", get(statics));
    let r = route(r, "/v2/payment/cashin/link/generate", post(link_generate));
    let r = route(
        r,
        "/v2/payment/cashin/qr/sale-point",
        get(list_sale_points)
            .post(create_sale_point)
            .delete(delete_sale_point),
    );
    let r = route(r, "/v2/payment/cashin/qr/sale-point/static", get(static_qr));
    let r = route(r, "/v2/payment/cashin/qr/static/order", post(static_order));
    let r = route(r, "/v2/account/transactions", get(transactions));
    let r = route(
        r,
        "/v2/account/transactions_filters",
        get(transaction_filters),
    );
    r.fallback(|| async { error_response(StatusCode::NOT_FOUND, "Recurso no encontrado") })
}

// ---------------------------------------------------------------------------------------
// Identifiers

/// CBU/CVU: 22 digits, two blocks each with its check digit.
fn is_valid_cvu(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if s.len() != 22 || digits.len() != 22 {
        return false;
    }
    let check = |block: &[u32], weights: &[u32]| {
        let sum: u32 = block.iter().zip(weights).map(|(d, w)| d * w).sum();
        (10 - sum % 10) % 10
    };
    check(&digits[..7], &[7, 1, 3, 9, 7, 1, 3]) == digits[7]
        && check(&digits[8..21], &[3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3]) == digits[21]
}

/// CUIT/CUIL: 11 digits (hyphens accepted); returns the digits when the check digit holds.
fn valid_cuit(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if values.len() != 11 || digits.len() != 11 {
        return None;
    }
    let sum: u32 = values
        .iter()
        .zip([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => 9,
        r => r,
    };
    (check == values[10]).then_some(digits)
}

/// An alias: 6 to 20 letters, digits, dots or hyphens.
fn is_valid_alias(s: &str) -> bool {
    (6..=20).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// The CVU an alias resolves to: deterministic, with correct check digits.
fn cvu_for_alias(alias: &str) -> String {
    // FNV-1a: a stable hash so the same alias always resolves to the same account.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in alias.to_ascii_lowercase().bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut digits = vec![0, 0, 0, 0, 0, 0, 7];
    let check = |block: &[u32], weights: &[u32]| {
        let sum: u32 = block.iter().zip(weights).map(|(d, w)| d * w).sum();
        (10 - sum % 10) % 10
    };
    digits.push(check(&digits, &[7, 1, 3, 9, 7, 1, 3]));
    let mut rest: Vec<u32> = format!("{:013}", hash % 10_000_000_000_000)
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    rest.push(check(&rest, &[3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3]));
    digits.extend(rest);
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Field helpers

fn take<T>(errors: &mut Vec<FieldError>, result: Result<Option<T>, FieldError>) -> Option<T> {
    result.unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

fn amount(errors: &mut Vec<FieldError>, object: &JsonObject, key: &str) -> Option<Decimal> {
    match object.decimal(key) {
        Ok(Some(a)) if a > Decimal::ZERO && has_at_most_decimals(a, 2) => Some(a),
        Ok(Some(_)) => {
            errors.push(FieldError::new(
                object.field_name(key),
                "debe ser mayor que cero, con 2 decimales como máximo",
            ));
            None
        }
        Ok(None) => {
            errors.push(FieldError::new(object.field_name(key), "es obligatorio"));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn concept(errors: &mut Vec<FieldError>, object: &JsonObject) -> String {
    match take(errors, object.string("concept")) {
        None => "VAR".into(),
        Some(c) if CONCEPTS.iter().any(|(code, _)| *code == c) => c,
        Some(c) => {
            errors.push(FieldError::new(
                "concept",
                format!("concepto desconocido: {c} (ver v2/payment/concepts)"),
            ));
            "VAR".into()
        }
    }
}

/// The `concept` of a cash-in (QR, transfer link, payment link, static QR order): free
/// text. The TelePagos API ("API Telepagos Empresas") types it `string`, and the BCRA
/// motive codes TelePagos's public documentation lists are only for
/// transfers sent (cash-out); the payment link has no other text field for what is being
/// paid. Absent, it is `VAR`, as before; blank, it is refused.
fn cashin_concept(errors: &mut Vec<FieldError>, object: &JsonObject) -> String {
    match take(errors, object.string("concept")) {
        None => "VAR".into(),
        Some(c) if c.trim().is_empty() => {
            errors.push(FieldError::new("concept", "no puede estar vacío"));
            "VAR".into()
        }
        Some(c) => c,
    }
}

fn cuit(errors: &mut Vec<FieldError>, object: &JsonObject) -> Option<String> {
    match take(errors, object.string("cuit")) {
        None => {
            errors.push(FieldError::new("cuit", "es obligatorio"));
            None
        }
        Some(c) => valid_cuit(&c).or_else(|| {
            errors.push(FieldError::new(
                "cuit",
                "CUIT inválido (dígito verificador)",
            ));
            None
        }),
    }
}

fn cvu(errors: &mut Vec<FieldError>, object: &JsonObject, key: &str) -> Option<String> {
    match take(errors, object.string(key)) {
        Some(c) if is_valid_cvu(&c) => Some(c),
        Some(_) => {
            errors.push(FieldError::new(
                object.field_name(key),
                "CVU/CBU inválido (dígito verificador)",
            ));
            None
        }
        None => None,
    }
}

fn parse_body(body: &[u8]) -> Result<JsonObject, Response> {
    JsonObject::parse(body).map_err(|e| error_response(StatusCode::BAD_REQUEST, &e))
}

fn query_pairs(uri: &Uri) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

// ---------------------------------------------------------------------------------------
// Handlers

async fn token(State(sandbox): State<Arc<Sandbox>>, body: Bytes) -> Response {
    let object = match parse_body(&body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let (Ok(username), Ok(password)) = (
        object.required_string("username"),
        object.required_string("password"),
    ) else {
        return error_response(
            StatusCode::BAD_REQUEST,
            "username y password son obligatorios",
        );
    };
    let creds = &sandbox.config.credentials;
    if !(secrets_match(&username, &creds.telepagos_username)
        && secrets_match(&password, &creds.telepagos_password))
    {
        return error_response(StatusCode::UNAUTHORIZED, "Credenciales inválidas");
    }
    let lifetime = sandbox.config.telepagos_token_lifetime;
    sandbox.update(|store| {
        let now = store.now();
        store
            .records
            .get_mut::<TelePagosState>()
            .tokens
            .retain(|_, expires| *expires > now);
        let token = store.ids.alnum(48);
        let expires = now + lifetime;
        store
            .records
            .get_mut::<TelePagosState>()
            .tokens
            .insert(token.clone(), expires);
        (
            ok(json!({ "status": "ok", "token": token, "expires_at": expires.unix_timestamp() })),
            Vec::new(),
        )
    })
}

async fn concepts(_auth: TelePagosAuth) -> Response {
    let list: Vec<_> = CONCEPTS
        .iter()
        .map(|(id, name)| json!({ "id": id, "name": name }))
        .collect();
    ok(json!({ "status": "ok", "concepts": list }))
}

async fn account_balance(State(sandbox): State<Arc<Sandbox>>, _auth: TelePagosAuth) -> Response {
    #[derive(Serialize)]
    struct Balance {
        status: &'static str,
        amount: JsonNumber,
    }
    let balance = sandbox.store().records.get_mut::<TelePagosState>().balance;
    json_response(
        StatusCode::OK,
        &Balance {
            status: "ok",
            amount: JsonNumber::fixed(balance, 2),
        },
    )
}

async fn cashout(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    body: Bytes,
) -> Response {
    let object = match parse_body(&body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mut errors = Vec::new();
    let given_cvu = take(&mut errors, object.string("cvu")).filter(|s| !s.is_empty());
    let alias = take(&mut errors, object.string("alias")).filter(|s| !s.is_empty());
    let destination = match (&given_cvu, &alias) {
        (Some(_), Some(_)) => {
            errors.push(FieldError::new(
                "cvu",
                "Debe informarse cvu o alias, no ambos",
            ));
            None
        }
        (None, None) => {
            errors.push(FieldError::new("cvu", "Debe informarse cvu o alias"));
            None
        }
        (Some(c), None) if !is_valid_cvu(c) => {
            errors.push(FieldError::new(
                "cvu",
                "CVU/CBU inválido (dígito verificador)",
            ));
            None
        }
        (Some(c), None) => Some(c.clone()),
        (None, Some(a)) if !is_valid_alias(a) => {
            errors.push(FieldError::new(
                "alias",
                "alias inválido (6 a 20 letras, números, '.' o '-')",
            ));
            None
        }
        (None, Some(a)) => Some(cvu_for_alias(a)),
    };
    let cuit = cuit(&mut errors, &object);
    let amount = amount(&mut errors, &object, "amount");
    let reference_id = match object
        .raw("reference_id")
        .map(|r| r.get().trim().trim_matches('"').to_string())
    {
        Some(r) if !r.is_empty() => Some(r),
        _ => {
            errors.push(FieldError::new("reference_id", "es obligatorio"));
            None
        }
    };
    let concept = concept(&mut errors, &object);
    let description = take(&mut errors, object.string("description"));
    let (Some(destination), Some(cuit), Some(amount), Some(reference_id), true) =
        (destination, cuit, amount, reference_id, errors.is_empty())
    else {
        return invalid(&errors);
    };
    // Everything that identifies the transfer: a retry must resend exactly this.
    let fingerprint = format!(
        "{}|{}|{cuit}|{}|{concept}|{}",
        given_cvu.as_deref().unwrap_or_default(),
        alias.as_deref().unwrap_or_default().to_ascii_lowercase(),
        amount.normalize(),
        description.as_deref().unwrap_or_default()
    );
    sandbox.update(|store| {
        let tp = &mut store.records.get_mut::<TelePagosState>();
        if let Some((previous, id)) = tp.references.get(&reference_id) {
            let response = if *previous == fingerprint {
                ok(json!({ "status": "ok", "id": id }))
            } else {
                error_response(
                    StatusCode::CONFLICT,
                    "El reference_id ya fue utilizado en otra transferencia con datos distintos",
                )
            };
            return (response, Vec::new());
        }
        if tp.balance < amount {
            // Not recorded against the reference: a retry after a top-up may succeed.
            return (
                error_response(StatusCode::OK, "Saldo insuficiente"),
                Vec::new(),
            );
        }
        let now = store.now();
        let tp = &mut store.records.get_mut::<TelePagosState>();
        tp.balance -= amount;
        let id = tp.next_cashout;
        tp.next_cashout += 1;
        tp.references.insert(reference_id, (fingerprint, id));
        let holder = format!("Titular CVU {}", &destination[destination.len() - 4..]);
        tp.cashouts.push(Cashout {
            id,
            cvu: destination.clone(),
            cuit: cuit.clone(),
            amount,
            concept,
            description,
            created: now,
        });
        push_transaction(
            tp,
            false,
            now,
            amount,
            "cashout",
            holder,
            cuit,
            destination,
            None,
        );
        (ok(json!({ "status": "ok", "id": id })), Vec::new())
    })
}

#[allow(clippy::too_many_arguments)] // one row of the transactions table, field by field
fn push_transaction(
    tp: &mut TelePagosState,
    income: bool,
    date: OffsetDateTime,
    amount: Decimal,
    operation: &'static str,
    holder: String,
    cuit: String,
    cvu_cbu: String,
    sale_point_name: Option<String>,
) -> u64 {
    let id = tp.next_transaction;
    tp.next_transaction += 1;
    tp.transactions.push(Transaction {
        id,
        income,
        date,
        amount,
        operation,
        holder,
        cuit,
        cvu_cbu,
        sale_point_name,
    });
    id
}

fn parse_id(id: &str) -> Option<u64> {
    id.parse().ok()
}

async fn voucher(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    Path(id): Path<String>,
) -> Response {
    let store = sandbox.store();
    let Some(c) = parse_id(&id).and_then(|id| {
        store
            .records
            .get::<TelePagosState>()
            .cashouts
            .iter()
            .find(|c| c.id == id)
    }) else {
        return error_response(StatusCode::NOT_FOUND, "Transferencia no encontrada");
    };
    let concept_name = CONCEPTS
        .iter()
        .find(|(code, _)| *code == c.concept)
        .map_or("Varios", |(_, n)| n);
    let lines = [
        "TelePagos - Comprobante de transferencia".to_string(),
        format!("Operacion N. {}", c.id),
        format!("Fecha: {} UTC", format_time(c.created, LOCAL_SPACE)),
        format!("Importe: $ {}", fixed(c.amount, 2)),
        format!("CVU/CBU destino: {}", c.cvu),
        format!("CUIT destino: {}", c.cuit),
        format!("Concepto: {} ({concept_name})", c.concept),
        format!("Descripcion: {}", c.description.as_deref().unwrap_or("-")),
        "Documento emitido por pagos-sandbox: sin validez".to_string(),
    ];
    let pdf = voucher_pdf(&lines);
    ok(json!({ "status": "ok", "voucher": base64::engine::general_purpose::STANDARD.encode(pdf) }))
}

async fn cashin(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    Path(id): Path<String>,
) -> Response {
    #[derive(Serialize)]
    struct CashinView<'a> {
        status: &'static str,
        id: u64,
        // The TelePagos API writes `"buyer": [ "cuit": string, "cvu": string ]`, which is
        // not JSON; an object is the reading that keeps both fields.
        buyer: serde_json::Value,
        amount: JsonNumber,
        concept: &'a str,
        description: Option<&'a str>,
        transaction_id: u64,
        qr_order_id: Option<u64>,
        link_id: Option<u64>,
    }
    let store = sandbox.store();
    let Some(c) = parse_id(&id).and_then(|id| {
        store
            .records
            .get::<TelePagosState>()
            .cashins
            .iter()
            .find(|c| c.id == id)
    }) else {
        return error_response(StatusCode::NOT_FOUND, "Acreditación no encontrada");
    };
    let is_qr = matches!(c.kind, PayableKind::Qr | PayableKind::StaticQr { .. });
    let view = CashinView {
        status: "ok",
        id: c.id,
        buyer: json!({ "cuit": PAYER_CUIT, "cvu": PAYER_CVU }),
        amount: JsonNumber::fixed(c.amount, 2),
        concept: &c.concept,
        description: c.description.as_deref(),
        transaction_id: c.transaction_id,
        qr_order_id: is_qr.then_some(c.payable_id),
        link_id: matches!(c.kind, PayableKind::Link { .. }).then_some(c.payable_id),
    };
    json_response(StatusCode::OK, &view)
}

/// Registers a payable and returns its id.
fn new_payable(
    store: &mut Store,
    kind: PayableKind,
    amount: Decimal,
    concept: String,
    description: Option<String>,
    expires: Option<OffsetDateTime>,
) -> u64 {
    let tp = &mut store.records.get_mut::<TelePagosState>();
    let id = tp.next_payable;
    tp.next_payable += 1;
    tp.payables.push(Payable {
        id,
        kind,
        amount,
        concept,
        description,
        expires,
        status: PayableStatus::Open,
    });
    id
}

async fn qr_generate(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    body: Bytes,
) -> Response {
    let object = match parse_body(&body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mut errors = Vec::new();
    let amount = amount(&mut errors, &object, "amount");
    let concept = cashin_concept(&mut errors, &object);
    let description = take(&mut errors, object.string("description"));
    let (Some(amount), true) = (amount, errors.is_empty()) else {
        return invalid(&errors);
    };
    sandbox.update(|store| {
        let expires = store.now() + QR_LIFETIME;
        let id = new_payable(
            store,
            PayableKind::Qr,
            amount,
            concept,
            description,
            Some(expires),
        );
        let qr = emv_qr(&format!("QR{id}"), Some(amount), &id.to_string());
        (
            ok(json!({ "status": "ok", "qr_code": qr, "qr_order_id": id })),
            Vec::new(),
        )
    })
}

async fn transfer_generate(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    body: Bytes,
) -> Response {
    let object = match parse_body(&body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mut errors = Vec::new();
    if cvu(&mut errors, &object, "cvu").is_none() && object.raw("cvu").is_none() {
        errors.push(FieldError::new("cvu", "es obligatorio"));
    }
    cuit(&mut errors, &object);
    let amount = amount(&mut errors, &object, "amount");
    let concept = cashin_concept(&mut errors, &object);
    let description = take(&mut errors, object.string("description"));
    let (Some(amount), true) = (amount, errors.is_empty()) else {
        return invalid(&errors);
    };
    let origin = sandbox.origin.clone();
    sandbox.update(|store| {
        let id = new_payable(
            store,
            PayableKind::Transfer,
            amount,
            concept,
            description,
            None,
        );
        // The answer carries only the link; its last path segment is the id the control
        // API pays.
        let link = format!("{origin}/_sandbox/checkout/telepagos/{id}");
        (
            ok(json!({ "status": "ok", "payment_link": link })),
            Vec::new(),
        )
    })
}

async fn link_generate(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    body: Bytes,
) -> Response {
    let object = match parse_body(&body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let now = sandbox.now();
    let mut errors = Vec::new();
    let expires = match take(&mut errors, object.string("expiration_date")) {
        None => {
            errors.push(FieldError::new("expiration_date", "es obligatorio"));
            None
        }
        Some(text) => match parse_local(&text) {
            Some(t) if t > now => Some(t),
            Some(_) => {
                errors.push(FieldError::new(
                    "expiration_date",
                    "debe ser una fecha futura",
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    "expiration_date",
                    "formato esperado Y-m-d H:i:s",
                ));
                None
            }
        },
    };
    let amount = amount(&mut errors, &object, "amount");
    let multiple_use = match take(&mut errors, object.boolean("multiple_use")) {
        Some(b) => b,
        None => {
            if object.raw("multiple_use").is_none() {
                errors.push(FieldError::new("multiple_use", "es obligatorio"));
            }
            false
        }
    };
    if object.raw("concept").is_none() {
        errors.push(FieldError::new("concept", "es obligatorio"));
    }
    let concept = cashin_concept(&mut errors, &object);
    let mut distributed = Decimal::ZERO;
    for part in take(&mut errors, object.objects("distribution")).unwrap_or_default() {
        if cvu(&mut errors, &part, "cvu").is_none() && part.raw("cvu").is_none() {
            errors.push(FieldError::new(part.field_name("cvu"), "es obligatorio"));
        }
        distributed += self::amount(&mut errors, &part, "amount").unwrap_or_default();
    }
    if amount.is_some_and(|a| distributed > a) {
        errors.push(FieldError::new(
            "distribution",
            "la distribución supera el monto",
        ));
    }
    let (Some(amount), Some(expires), true) = (amount, expires, errors.is_empty()) else {
        return invalid(&errors);
    };
    let origin = sandbox.origin.clone();
    sandbox.update(|store| {
        let kind = PayableKind::Link {
            multiple_use,
            distributed,
        };
        let id = new_payable(store, kind, amount, concept, None, Some(expires));
        let link = format!("{origin}/_sandbox/checkout/telepagos/{id}");
        (
            ok(json!({ "status": "ok", "link": link, "link_id": id })),
            Vec::new(),
        )
    })
}

async fn statics(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    Path(_period): Path<String>,
) -> Response {
    #[derive(Serialize)]
    struct Totals {
        total_cashout: Option<JsonNumber>,
        total_cashin: Option<JsonNumber>,
    }
    let store = sandbox.store();
    let total = |income: bool| {
        let rows = store
            .records
            .get::<TelePagosState>()
            .transactions
            .iter()
            .filter(|t| t.income == income);
        let sum: Option<Decimal> = rows.map(|t| t.amount).reduce(|a, b| a + b);
        sum.map(|s| JsonNumber::fixed(s, 2))
    };
    #[derive(Serialize)]
    struct Statics {
        status: &'static str,
        data: (
            Vec<serde_json::Value>,
            Vec<Totals>,
            Vec<serde_json::Value>,
            Vec<serde_json::Value>,
        ),
    }
    // The TelePagos API's shape: an array of one-element arrays; totals are null when
    // there is none.
    let body = Statics {
        status: "ok",
        data: (
            vec![json!({ "count_open_cvu": 0 })],
            vec![Totals {
                total_cashout: total(false),
                total_cashin: total(true),
            }],
            vec![json!({ "count_payments_services": 0 })],
            vec![json!({ "count_sent_sms": 0 })],
        ),
    };
    json_response(StatusCode::OK, &body)
}

async fn list_sale_points(State(sandbox): State<Arc<Sandbox>>, _auth: TelePagosAuth) -> Response {
    let store = sandbox.store();
    let list: Vec<_> = store
        .records.get::<TelePagosState>()
        .sale_points
        .iter()
        .map(|s| json!({ "id": s.id, "name": s.name, "status": if s.active { "active" } else { "inactive" } }))
        .collect();
    ok(json!({ "status": "ok", "sale_points": list }))
}

async fn create_sale_point(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    body: Bytes,
) -> Response {
    let object = match parse_body(&body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let name = match object.required_string("name") {
        Ok(n) if n.chars().count() <= 50 => n,
        Ok(_) => return error_response(StatusCode::BAD_REQUEST, "name: máximo 50 caracteres"),
        Err(e) => return invalid(&[e]),
    };
    sandbox.update(|store| {
        let tp = &mut store.records.get_mut::<TelePagosState>();
        if tp
            .sale_points
            .iter()
            .any(|s| s.active && s.name.eq_ignore_ascii_case(&name))
        {
            return (
                error_response(
                    StatusCode::BAD_REQUEST,
                    "Ya existe un punto de venta con ese nombre",
                ),
                Vec::new(),
            );
        }
        let id = tp.next_sale_point;
        tp.next_sale_point += 1;
        tp.sale_points.push(SalePoint {
            id,
            name,
            active: true,
        });
        (
            ok(json!({ "status": "ok", "sale_point_id": id })),
            Vec::new(),
        )
    })
}

/// The sale point id of a DELETE: from the JSON body (as the TelePagos API shows) or the
/// query.
fn sale_point_id(body: &[u8], uri: &Uri) -> Result<u64, Response> {
    let from_body = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        parse_body(body)?
            .integer("sale_point_id")
            .map_err(|e| invalid(&[e]))?
    };
    let from_query = query_pairs(uri)
        .get("sale_point_id")
        .and_then(|v| v.parse::<i64>().ok());
    from_body
        .or(from_query)
        .and_then(|id| u64::try_from(id).ok())
        .ok_or_else(|| error_response(StatusCode::BAD_REQUEST, "sale_point_id es obligatorio"))
}

async fn delete_sale_point(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    uri: Uri,
    body: Bytes,
) -> Response {
    let id = match sale_point_id(&body, &uri) {
        Ok(id) => id,
        Err(r) => return r,
    };
    sandbox.update(|store| {
        let response = match store
            .records
            .get_mut::<TelePagosState>()
            .sale_points
            .iter_mut()
            .find(|s| s.id == id && s.active)
        {
            Some(point) => {
                point.active = false;
                ok(json!({ "status": "ok" }))
            }
            None => error_response(StatusCode::NOT_FOUND, "Punto de venta no encontrado"),
        };
        (response, Vec::new())
    })
}

fn active_sale_point(store: &Store, id: u64) -> Option<&SalePoint> {
    store
        .records
        .get::<TelePagosState>()
        .sale_points
        .iter()
        .find(|s| s.id == id && s.active)
}

async fn static_qr(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    uri: Uri,
) -> Response {
    let query = query_pairs(&uri);
    let type_amount = query.get("type_amount").map(String::as_str);
    if !matches!(type_amount, Some("closed" | "open")) {
        return error_response(
            StatusCode::BAD_REQUEST,
            "type_amount debe ser closed u open",
        );
    }
    let Some(id) = query
        .get("sale_point_id")
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return error_response(StatusCode::BAD_REQUEST, "sale_point_id es obligatorio");
    };
    let store = sandbox.store();
    if active_sale_point(&store, id).is_none() {
        return error_response(StatusCode::NOT_FOUND, "Punto de venta no encontrado");
    }
    let kind = type_amount.unwrap_or("open");
    let qr = emv_static_qr(&format!("SP{id}{}", kind.to_ascii_uppercase()));
    ok(json!({ "status": "ok", "qr_code": qr }))
}

async fn static_order(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    body: Bytes,
) -> Response {
    let object = match parse_body(&body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mut errors = Vec::new();
    let amount = amount(&mut errors, &object, "amount");
    let concept = cashin_concept(&mut errors, &object);
    let description = take(&mut errors, object.string("description"));
    let sale_point = match take(&mut errors, object.integer("sale_point_id")) {
        Some(id) => u64::try_from(id).ok(),
        None => {
            errors.push(FieldError::new("sale_point_id", "es obligatorio"));
            None
        }
    };
    let (Some(amount), Some(sale_point_id), true) = (amount, sale_point, errors.is_empty()) else {
        return invalid(&errors);
    };
    sandbox.update(|store| {
        if active_sale_point(store, sale_point_id).is_none() {
            return (
                error_response(StatusCode::NOT_FOUND, "Punto de venta no encontrado"),
                Vec::new(),
            );
        }
        let expires = store.now() + QR_LIFETIME;
        let kind = PayableKind::StaticQr { sale_point_id };
        let id = new_payable(store, kind, amount, concept, description, Some(expires));
        (ok(json!({ "status": "ok", "qr_order_id": id })), Vec::new())
    })
}

async fn transactions(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    uri: Uri,
) -> Response {
    #[derive(Serialize)]
    struct Row<'a> {
        id: u64,
        income: u8,
        date: String,
        amount: String,
        operation: &'a str,
        holder: &'a str,
        cuit: &'a str,
        cvu_cbu: &'a str,
        status: &'static str,
        sale_point_name: Option<&'a str>,
    }
    let query = query_pairs(&uri);
    let date = |key: &str| match query.get(key) {
        None => Err(error_response(
            StatusCode::BAD_REQUEST,
            &format!("{key} es obligatorio (Y-m-d)"),
        )),
        Some(v) => parse_date(v).ok_or_else(|| {
            error_response(StatusCode::BAD_REQUEST, &format!("{key}: formato Y-m-d"))
        }),
    };
    let (from, to) = match (date("date_from"), date("date_to")) {
        (Ok(from), Ok(to)) if from <= to => (from, to),
        (Ok(_), Ok(_)) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "date_from no puede ser posterior a date_to",
            );
        }
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let operation = query.get("operation").filter(|o| !o.is_empty());
    if let Some(op) = operation
        && !OPERATIONS.iter().any(|(id, _, _)| id == op)
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            &format!("operation desconocida: {op}"),
        );
    }
    let paginate = match query.get("paginate").map(String::as_str) {
        None | Some("0") => false,
        Some("1") => true,
        Some(_) => return error_response(StatusCode::BAD_REQUEST, "paginate debe ser 0 o 1"),
    };
    let page = match query.get("page").map(|p| p.parse::<usize>()) {
        None => 1,
        Some(Ok(p)) if p >= 1 => p,
        Some(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "page debe ser un entero mayor que 0",
            );
        }
    };
    let store = sandbox.store();
    let matching: Vec<&Transaction> = store
        .records
        .get::<TelePagosState>()
        .transactions
        .iter()
        .rev()
        .filter(|t| {
            (from..=to).contains(&t.date.date()) && operation.is_none_or(|op| t.operation == op)
        })
        .collect();
    let total = matching.len();
    let shown: Vec<&Transaction> = if paginate {
        matching
            .into_iter()
            .skip((page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect()
    } else {
        matching
    };
    let rows: Vec<Row<'_>> = shown
        .into_iter()
        .map(|t| Row {
            id: t.id,
            income: u8::from(t.income),
            date: format_time(t.date, LOCAL_SPACE),
            // The TelePagos API types this amount as a string.
            amount: fixed(t.amount, 2),
            operation: t.operation,
            holder: &t.holder,
            cuit: &t.cuit,
            cvu_cbu: &t.cvu_cbu,
            status: "approved",
            sale_point_name: t.sale_point_name.as_deref(),
        })
        .collect();
    let mut body = json!({ "status": "ok", "transactions": rows });
    if paginate {
        body["number_of_results"] = json!(total);
        body["page"] = json!(page);
        body["pages"] = json!(total.div_ceil(PAGE_SIZE));
        body["pagination"] = json!(PAGE_SIZE);
    }
    ok(body)
}

async fn transaction_filters(_auth: TelePagosAuth) -> Response {
    let list: Vec<_> = OPERATIONS
        .iter()
        .map(|(id, name, kind)| json!({ "id": id, "name": name, "type": kind }))
        .collect();
    ok(json!({ "status": "ok", "operations": list }))
}

// ---------------------------------------------------------------------------------------
// Life cycle

/// Expires open QR orders and links whose time has passed.
pub(crate) fn sweep(store: &mut Store) {
    let now = store.now();
    for payable in &mut store.records.get_mut::<TelePagosState>().payables {
        if payable.status == PayableStatus::Open && payable.expires.is_some_and(|t| t <= now) {
            payable.status = PayableStatus::Expired;
        }
    }
}

/// The payer pays a QR order, payment link or transfer link (credited to the balance,
/// creating a cash-in and a transaction), or it expires now.
pub(crate) fn payer_action(
    store: &mut Store,
    id: &str,
    action: PayerAction,
    _amount: Option<Decimal>,
) -> Result<(ActionOutcome, Vec<Outgoing>), Error> {
    let now = store.now();
    let not_found = || Error::NotFound {
        provider: Provider::TelePagos,
        id: id.to_string(),
    };
    let index = parse_id(id)
        .and_then(|n| {
            store
                .records
                .get_mut::<TelePagosState>()
                .payables
                .iter()
                .position(|p| p.id == n)
        })
        .ok_or_else(not_found)?;
    let payable = store.records.get_mut::<TelePagosState>().payables[index].clone();
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
            store.records.get_mut::<TelePagosState>().payables[index].status =
                PayableStatus::Expired;
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
                    active_sale_point(store, sale_point_id).map(|s| s.name.clone())
                }
                _ => None,
            };
            let tp = &mut store.records.get_mut::<TelePagosState>();
            tp.balance += kept;
            let transaction_id = push_transaction(
                tp,
                true,
                now,
                payable.amount,
                operation,
                PAYER_NAME.into(),
                PAYER_CUIT.into(),
                PAYER_CVU.into(),
                sale_point_name,
            );
            let cashin_id = tp.next_cashin;
            tp.next_cashin += 1;
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

/// The checkout page's summary: `(title, amount, status)`.
pub(crate) fn summary(store: &Store, id: &str) -> Option<(String, String, String)> {
    let n = parse_id(id)?;
    store
        .records
        .get::<TelePagosState>()
        .payables
        .iter()
        .find(|p| p.id == n)
        .map(|p| {
            let title = match p.kind {
                PayableKind::Qr | PayableKind::StaticQr { .. } => "Cobro con QR",
                PayableKind::Link { .. } => "Link de pago",
                PayableKind::Transfer => "Transferencia",
            };
            let status = match p.status {
                PayableStatus::Open => "open",
                PayableStatus::Paid => "paid",
                PayableStatus::Expired => "expired",
            };
            (
                title.to_string(),
                format!("$ {} ARS", fixed(p.amount, 2)),
                status.to_string(),
            )
        })
}

// ---------------------------------------------------------------------------------------
// QR strings and vouchers

/// CRC-16/CCITT-FALSE, the checksum of EMVCo QR payloads.
fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for byte in data {
        crc ^= u16::from(*byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

fn tlv(tag: &str, value: &str) -> String {
    format!("{tag}{:02}{value}", value.len())
}

/// An EMVCo merchant-presented QR payload (dynamic when it carries an amount).
fn emv_qr(merchant: &str, amount: Option<Decimal>, reference: &str) -> String {
    let mut payload = tlv("00", "01");
    payload.push_str(&tlv("01", if amount.is_some() { "12" } else { "11" }));
    payload.push_str(&tlv(
        "43",
        &(tlv("00", "ar.com.telepagos") + &tlv("01", merchant)),
    ));
    payload.push_str(&tlv("52", "0000"));
    payload.push_str(&tlv("53", "032"));
    if let Some(amount) = amount {
        payload.push_str(&tlv("54", &fixed(amount, 2)));
    }
    payload.push_str(&tlv("58", "AR"));
    payload.push_str(&tlv("59", "PAGOS SANDBOX"));
    payload.push_str(&tlv("60", "CABA"));
    payload.push_str(&tlv("62", &tlv("05", reference)));
    payload.push_str("6304");
    let crc = crc16(payload.as_bytes());
    format!("{payload}{crc:04X}")
}

fn emv_static_qr(merchant: &str) -> String {
    emv_qr(merchant, None, merchant)
}

/// A one-page PDF with the given lines (ASCII), with a correct cross-reference table.
fn voucher_pdf(lines: &[String]) -> Vec<u8> {
    let escape = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii() && !c.is_ascii_control() {
                    c
                } else {
                    '?'
                }
            })
            .collect::<String>()
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)")
    };
    let mut content = String::from("BT /F1 11 Tf 40 360 Td 16 TL\n");
    for line in lines {
        content.push_str(&format!("({}) Tj T*\n", escape(line)));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 400] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}

// ---------------------------------------------------------------------------------------
// The simulated provider

/// TelePagos (API Telepagos Empresas).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TelePagos;

impl SimulatedProvider for TelePagos {
    fn name(&self) -> &'static str {
        "telepagos"
    }

    fn base_path(&self) -> &'static str {
        "/telepagos"
    }

    fn records(&self, config: &SandboxConfig) -> Box<dyn Records> {
        Box::new(TelePagosState::new(config.telepagos_initial_balance))
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

    fn sweep(&self, store: &mut Store) -> Vec<Outgoing> {
        sweep(store);
        Vec::new()
    }

    fn count(&self, store: &Store, counts: &mut RecordCounts) {
        let (cashouts, payables, cashins) = record_counts(store);
        counts.telepagos_cashouts = cashouts;
        counts.telepagos_payables = payables;
        counts.telepagos_cashins = cashins;
    }

    fn balance(&self, store: &Store) -> Option<Balance> {
        Some(Balance {
            amount: balance(store),
            currency: "ARS",
        })
    }

    fn fault_response(
        &self,
        status: StatusCode,
        message: &str,
        _route: &str,
        _now: OffsetDateTime,
    ) -> Response {
        error_response(status, message)
    }

    fn checkout(&self, store: &Store, id: &str) -> Option<Checkout> {
        summary(store, id).map(|(title, amount, status)| Checkout {
            title,
            amount,
            status,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_check_digits() {
        assert!(is_valid_cvu("2850590940090418135201"));
        assert!(!is_valid_cvu("2850590940090418135202"));
        assert!(!is_valid_cvu("285059094009041813520"));
        assert_eq!(valid_cuit("20-26756539-3").as_deref(), Some("20267565393"));
        assert_eq!(valid_cuit("20267565394"), None);
        assert!(is_valid_cvu(&cvu_for_alias("mi.alias.sandbox")));
        assert_eq!(cvu_for_alias("Mi.Alias"), cvu_for_alias("mi.alias"));
    }

    #[test]
    fn qr_payload_has_a_valid_crc() {
        let qr = emv_qr("QR1", Some(Decimal::new(1050, 2)), "1");
        let (payload, crc) = qr.split_at(qr.len() - 4);
        assert!(payload.ends_with("6304"));
        assert_eq!(crc, format!("{:04X}", crc16(payload.as_bytes())));
        assert!(qr.contains("540510.50"));
        assert_eq!(crc16(b"123456789"), 0x29B1);
    }

    #[test]
    fn voucher_is_a_pdf_with_a_consistent_xref() {
        let pdf = String::from_utf8(voucher_pdf(&["Comprobante (1)".into()])).unwrap();
        assert!(pdf.starts_with("%PDF-1.4\n") && pdf.ends_with("%%EOF\n"));
        assert!(pdf.contains("(Comprobante \\(1\\)) Tj"));
        let startxref: usize = pdf
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[startxref..].starts_with("xref\n"));
        let first_offset: usize = pdf[startxref..].lines().nth(3).unwrap()[..10]
            .parse()
            .unwrap();
        assert!(pdf[first_offset..].starts_with("1 0 obj"));
    }
}
