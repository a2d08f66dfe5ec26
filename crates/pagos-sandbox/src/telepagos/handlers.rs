//! TelePagos' API routes: token, concepts, balance, cash-out (idempotent on
//! `reference_id`) and its voucher, cash-in by QR, transfer link and payment link, sale
//! points and static QR, statistics and the transactions table.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;

use super::auth::TelePagosAuth;
use super::error::Rejection;
use super::render::{emv_qr, emv_static_qr, voucher};
use super::state::{
    CONCEPTS, Cashout, OPERATIONS, PAYER_CUIT, PAYER_CVU, PayableKind, SalePoint, TelePagosState,
    Transaction, from_local, local, parse_id,
};
use super::validate::{
    amount, cashin_concept, concept, cuit, cvu, cvu_for_alias, get_params, is_valid_alias,
    is_valid_cvu, parse_body, query_pairs, take,
};
use crate::state::Sandbox;
use crate::wire::{
    FieldError, JsonNumber, LOCAL_SPACE, fixed, format_time, json_response, parse_date,
    parse_local, route, secrets_match,
};

/// How long a dynamic QR order can be paid.
const QR_LIFETIME: std::time::Duration = std::time::Duration::from_secs(3600);
/// Transactions per page when `paginate=1`.
const PAGE_SIZE: usize = 10;

pub(super) fn router() -> Router<Arc<Sandbox>> {
    let r = Router::new();
    let r = route(r, "/v2/auth/token", post(token));
    let r = route(r, "/v2/payment/concepts", get(concepts));
    let r = route(r, "/v2/account/balance", get(account_balance));
    let r = route(r, "/v2/payment/cashout", post(cashout));
    let r = route(r, "/v2/payment/cashout/{id}", get(cashout_voucher));
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
    r.fallback(|| async { Rejection::not_found("Recurso no encontrado") })
}

/// A 200 answer with this JSON body.
fn ok(body: serde_json::Value) -> Response {
    json_response(StatusCode::OK, &body)
}

async fn token(
    State(sandbox): State<Arc<Sandbox>>,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = parse_body(&body)?;
    let (Ok(username), Ok(password)) = (
        object.required_string("username"),
        object.required_string("password"),
    ) else {
        return Err(Rejection::bad_request(
            "username y password son obligatorios",
        ));
    };
    let creds = &sandbox.config.credentials;
    if !(secrets_match(&username, &creds.telepagos_username)
        && secrets_match(&password, &creds.telepagos_password))
    {
        return Err(Rejection::unauthorized("Credenciales inválidas"));
    }
    let lifetime = sandbox.config.telepagos_token_lifetime;
    Ok(sandbox.with_store(|store| {
        let now = store.now();
        let token = store.ids.alnum(48);
        let tp: &mut TelePagosState = store.records.get_mut();
        tp.tokens.retain(|_, expires| *expires > now);
        let expires = now + lifetime;
        tp.tokens.insert(token.clone(), expires);
        ok(json!({ "status": "ok", "token": token, "expires_at": expires.unix_timestamp() }))
    }))
}

async fn concepts(_auth: TelePagosAuth) -> impl IntoResponse {
    let list: Vec<_> = CONCEPTS
        .iter()
        .map(|(id, name)| json!({ "id": id, "name": name }))
        .collect();
    ok(json!({ "status": "ok", "concepts": list }))
}

async fn account_balance(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
) -> impl IntoResponse {
    #[derive(Serialize)]
    struct Balance {
        status: &'static str,
        amount: JsonNumber,
    }
    let balance = sandbox.store().records.get::<TelePagosState>().balance;
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
) -> Result<impl IntoResponse, Rejection> {
    let object = parse_body(&body)?;
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
        return Err(Rejection::invalid(&errors));
    };
    // Everything that identifies the transfer: a retry must resend exactly this.
    let fingerprint = format!(
        "{}|{}|{cuit}|{}|{concept}|{}",
        given_cvu.as_deref().unwrap_or_default(),
        alias.as_deref().unwrap_or_default().to_ascii_lowercase(),
        amount.normalize(),
        description.as_deref().unwrap_or_default()
    );
    sandbox.with_store(|store| {
        let now = store.now();
        let tp: &mut TelePagosState = store.records.get_mut();
        if let Some((previous, id)) = tp.references.get(&reference_id) {
            if *previous != fingerprint {
                return Err(Rejection::new(
                    StatusCode::CONFLICT,
                    "El reference_id ya fue utilizado en otra transferencia con datos distintos",
                ));
            }
            return Ok(ok(json!({ "status": "ok", "id": id })));
        }
        if tp.balance < amount {
            // Not recorded against the reference: a retry after a top-up may succeed.
            return Err(Rejection::new(StatusCode::OK, "Saldo insuficiente"));
        }
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
        tp.push_transaction(
            false,
            now,
            amount,
            "cashout",
            holder,
            cuit,
            destination,
            None,
        );
        Ok(ok(json!({ "status": "ok", "id": id })))
    })
}

async fn cashout_voucher(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, Rejection> {
    let store = sandbox.store();
    let tp: &TelePagosState = store.records.get();
    let cashout = parse_id(&id)
        .and_then(|id| tp.cashouts.iter().find(|c| c.id == id))
        .ok_or_else(|| Rejection::not_found("Transferencia no encontrada"))?;
    let pdf = voucher(cashout);
    Ok(ok(
        json!({ "status": "ok", "voucher": base64::engine::general_purpose::STANDARD.encode(pdf) }),
    ))
}

async fn cashin(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, Rejection> {
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
    let tp: &TelePagosState = store.records.get();
    let c = parse_id(&id)
        .and_then(|id| tp.cashins.iter().find(|c| c.id == id))
        .ok_or_else(|| Rejection::not_found("Acreditación no encontrada"))?;
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
    Ok(json_response(StatusCode::OK, &view))
}

async fn qr_generate(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = parse_body(&body)?;
    let mut errors = Vec::new();
    let amount = amount(&mut errors, &object, "amount");
    let concept = cashin_concept(&mut errors, &object);
    let description = take(&mut errors, object.string("description"));
    let (Some(amount), true) = (amount, errors.is_empty()) else {
        return Err(Rejection::invalid(&errors));
    };
    Ok(sandbox.with_store(|store| {
        let expires = store.now() + QR_LIFETIME;
        let tp: &mut TelePagosState = store.records.get_mut();
        let id = tp.new_payable(PayableKind::Qr, amount, concept, description, Some(expires));
        let qr = emv_qr(&format!("QR{id}"), Some(amount), &id.to_string());
        ok(json!({ "status": "ok", "qr_code": qr, "qr_order_id": id }))
    }))
}

async fn transfer_generate(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = parse_body(&body)?;
    let mut errors = Vec::new();
    if cvu(&mut errors, &object, "cvu").is_none() && object.raw("cvu").is_none() {
        errors.push(FieldError::new("cvu", "es obligatorio"));
    }
    cuit(&mut errors, &object);
    let amount = amount(&mut errors, &object, "amount");
    let concept = cashin_concept(&mut errors, &object);
    let description = take(&mut errors, object.string("description"));
    let (Some(amount), true) = (amount, errors.is_empty()) else {
        return Err(Rejection::invalid(&errors));
    };
    let origin = sandbox.origin.clone();
    Ok(sandbox.with_store(|store| {
        let tp: &mut TelePagosState = store.records.get_mut();
        let id = tp.new_payable(PayableKind::Transfer, amount, concept, description, None);
        // The answer carries only the link; its last path segment is the id the control
        // API pays.
        let link = format!("{origin}/_sandbox/checkout/telepagos/{id}");
        ok(json!({ "status": "ok", "payment_link": link }))
    }))
}

async fn link_generate(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = parse_body(&body)?;
    let now = sandbox.now();
    let mut errors = Vec::new();
    let expires = match take(&mut errors, object.string("expiration_date")) {
        None => {
            errors.push(FieldError::new("expiration_date", "es obligatorio"));
            None
        }
        Some(text) => match parse_local(&text).map(from_local) {
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
                    "formato esperado Y-m-d H:i:s (hora de Argentina)",
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
        return Err(Rejection::invalid(&errors));
    };
    let origin = sandbox.origin.clone();
    Ok(sandbox.with_store(|store| {
        let kind = PayableKind::Link {
            multiple_use,
            distributed,
        };
        let tp: &mut TelePagosState = store.records.get_mut();
        let id = tp.new_payable(kind, amount, concept, None, Some(expires));
        let link = format!("{origin}/_sandbox/checkout/telepagos/{id}");
        ok(json!({ "status": "ok", "link": link, "link_id": id }))
    }))
}

/// The days a statistics `period` covers, both included, in [`ZONE`](super::state::ZONE)
/// relative to `today`. The TelePagos API does not say what a period looks like; this
/// sandbox takes a date (`2030-01-15`), a month (`2030-01`), a year (`2030`), or
/// `day`/`today`, `week` (the last 7 days), `month` and `year` (the current ones).
pub(super) fn period_days(period: &str, today: time::Date) -> Option<(time::Date, time::Date)> {
    use time::{Date, Month};
    let year_of = |y: i32| {
        Some((
            Date::from_calendar_date(y, Month::January, 1).ok()?,
            Date::from_calendar_date(y, Month::December, 31).ok()?,
        ))
    };
    let month_of = |y: i32, m: Month| {
        let first = Date::from_calendar_date(y, m, 1).ok()?;
        let last = Date::from_calendar_date(y, m, m.length(y)).ok()?;
        Some((first, last))
    };
    match period.trim() {
        "day" | "today" => Some((today, today)),
        "week" => Some((today.checked_sub(time::Duration::days(6))?, today)),
        "month" => month_of(today.year(), today.month()),
        "year" => year_of(today.year()),
        text => {
            if let Some(day) = parse_date(text) {
                return Some((day, day));
            }
            let parts: Vec<&str> = text.split('-').collect();
            let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
            match parts.as_slice() {
                [y] if y.len() == 4 && all_digits(y) => year_of(y.parse().ok()?),
                [y, m] if y.len() == 4 && m.len() == 2 && all_digits(y) && all_digits(m) => {
                    let m = Month::try_from(m.parse::<u8>().ok()?).ok()?;
                    month_of(y.parse().ok()?, m)
                }
                _ => None,
            }
        }
    }
}

async fn statics(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    Path(period): Path<String>,
) -> Result<impl IntoResponse, Rejection> {
    #[derive(Serialize)]
    struct Totals {
        total_cashout: Option<JsonNumber>,
        total_cashin: Option<JsonNumber>,
    }
    let store = sandbox.store();
    let today = local(store.now()).date();
    let (from, to) = period_days(&period, today).ok_or_else(|| {
        Rejection::bad_request(format!(
            "period desconocido: {period} (Y-m-d, Y-m, Y, day, week, month o year)"
        ))
    })?;
    let total = |income: bool| {
        let rows = store
            .records
            .get::<TelePagosState>()
            .transactions
            .iter()
            .filter(|t| t.income == income && (from..=to).contains(&local(t.date).date()));
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
    Ok(json_response(StatusCode::OK, &body))
}

async fn list_sale_points(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
) -> impl IntoResponse {
    let store = sandbox.store();
    let list: Vec<_> = store
        .records
        .get::<TelePagosState>()
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
) -> Result<impl IntoResponse, Rejection> {
    let object = parse_body(&body)?;
    // The TelePagos API documents `"name": string` and no limit: none is imposed.
    let name = object.required_string("name")?;
    sandbox.with_store(|store| {
        let tp: &mut TelePagosState = store.records.get_mut();
        if tp
            .sale_points
            .iter()
            .any(|s| s.active && s.name.eq_ignore_ascii_case(&name))
        {
            return Err(Rejection::bad_request(
                "Ya existe un punto de venta con ese nombre",
            ));
        }
        let id = tp.next_sale_point;
        tp.next_sale_point += 1;
        tp.sale_points.push(SalePoint {
            id,
            name,
            active: true,
        });
        Ok(ok(json!({ "status": "ok", "sale_point_id": id })))
    })
}

/// The sale point id of a DELETE: from the JSON body (as the TelePagos API shows) or the
/// query.
fn sale_point_id(body: &[u8], uri: &Uri) -> Result<u64, Rejection> {
    let from_body = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        parse_body(body)?.integer("sale_point_id")?
    };
    let from_query = query_pairs(uri)
        .get("sale_point_id")
        .and_then(|v| v.parse::<i64>().ok());
    from_body
        .or(from_query)
        .and_then(|id| u64::try_from(id).ok())
        .ok_or_else(|| Rejection::bad_request("sale_point_id es obligatorio"))
}

/// 404 for a sale point that does not exist or was deleted.
fn sale_point_not_found() -> Rejection {
    Rejection::not_found("Punto de venta no encontrado")
}

async fn delete_sale_point(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    uri: Uri,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let id = sale_point_id(&body, &uri)?;
    sandbox.with_store(|store| {
        let point = store
            .records
            .get_mut::<TelePagosState>()
            .sale_points
            .iter_mut()
            .find(|s| s.id == id && s.active)
            .ok_or_else(sale_point_not_found)?;
        point.active = false;
        Ok(ok(json!({ "status": "ok" })))
    })
}

async fn static_qr(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    uri: Uri,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    // The JSON body the TelePagos API documents on this GET, or the query.
    let query = get_params(&body, &uri)?;
    let type_amount = query.get("type_amount").map(String::as_str);
    if !matches!(type_amount, Some("closed" | "open")) {
        return Err(Rejection::bad_request("type_amount debe ser closed u open"));
    }
    let id = query
        .get("sale_point_id")
        .and_then(|v| v.parse::<u64>().ok())
        .ok_or_else(|| Rejection::bad_request("sale_point_id es obligatorio"))?;
    let store = sandbox.store();
    store
        .records
        .get::<TelePagosState>()
        .active_sale_point(id)
        .ok_or_else(sale_point_not_found)?;
    let kind = type_amount.unwrap_or("open");
    let qr = emv_static_qr(&format!("SP{id}{}", kind.to_ascii_uppercase()));
    Ok(ok(json!({ "status": "ok", "qr_code": qr })))
}

async fn static_order(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = parse_body(&body)?;
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
        return Err(Rejection::invalid(&errors));
    };
    sandbox.with_store(|store| {
        let expires = store.now() + QR_LIFETIME;
        let tp: &mut TelePagosState = store.records.get_mut();
        tp.active_sale_point(sale_point_id)
            .ok_or_else(sale_point_not_found)?;
        let kind = PayableKind::StaticQr { sale_point_id };
        let id = tp.new_payable(kind, amount, concept, description, Some(expires));
        Ok(ok(json!({ "status": "ok", "qr_order_id": id })))
    })
}

async fn transactions(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: TelePagosAuth,
    uri: Uri,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
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
    // The JSON body the TelePagos API documents on this GET, or the query.
    let query = get_params(&body, &uri)?;
    let date = |key: &str| match query.get(key) {
        None => Err(Rejection::bad_request(format!(
            "{key} es obligatorio (Y-m-d)"
        ))),
        Some(v) => {
            parse_date(v).ok_or_else(|| Rejection::bad_request(format!("{key}: formato Y-m-d")))
        }
    };
    let (from, to) = match (date("date_from"), date("date_to")) {
        (Ok(from), Ok(to)) if from <= to => (from, to),
        (Ok(_), Ok(_)) => {
            return Err(Rejection::bad_request(
                "date_from no puede ser posterior a date_to",
            ));
        }
        (Err(r), _) | (_, Err(r)) => return Err(r),
    };
    let operation = query.get("operation").filter(|o| !o.is_empty());
    if let Some(op) = operation
        && !OPERATIONS.iter().any(|(id, _, _)| id == op)
    {
        return Err(Rejection::bad_request(format!(
            "operation desconocida: {op}"
        )));
    }
    let paginate = match query.get("paginate").map(String::as_str) {
        None | Some("0") => false,
        Some("1") => true,
        Some(_) => return Err(Rejection::bad_request("paginate debe ser 0 o 1")),
    };
    let page = match query.get("page").map(|p| p.parse::<usize>()) {
        None => 1,
        Some(Ok(p)) if p >= 1 => p,
        Some(_) => {
            return Err(Rejection::bad_request(
                "page debe ser un entero mayor que 0",
            ));
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
            (from..=to).contains(&local(t.date).date())
                && operation.is_none_or(|op| t.operation == op)
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
            date: format_time(local(t.date), LOCAL_SPACE),
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
    Ok(ok(body))
}

async fn transaction_filters(_auth: TelePagosAuth) -> impl IntoResponse {
    let list: Vec<_> = OPERATIONS
        .iter()
        .map(|(id, name, kind)| json!({ "id": id, "name": name, "type": kind }))
        .collect();
    ok(json!({ "status": "ok", "operations": list }))
}
