//! KashIO's API routes: invoices (create, get, update, void, list) and events (get,
//! list).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use axum::routing::get;
use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::auth::KashioAuth;
use super::error::Rejection;
use super::render::{event_view, list_response, view};
use super::state::{Event, Invoice, InvoiceStatus, KashioState};
use super::{CURRENCIES, currency_decimals};
use crate::state::Sandbox;
use crate::wire::{
    FieldError, JsonObject, has_at_most_decimals, is_e164, is_email, is_http_url, json_response,
    parse_date, parse_local, route,
};

const DEFAULT_LIMIT: usize = 10;

pub(super) fn router() -> Router<Arc<Sandbox>> {
    let r = Router::new();
    let r = route(r, "/invoices", get(list_invoices).post(create_invoice));
    let r = route(
        r,
        "/invoices/{id}",
        get(get_invoice).patch(update_invoice).delete(void_invoice),
    );
    let r = route(r, "/events", get(list_events));
    let r = route(r, "/events/{id}", get(get_event));
    r.fallback(|| async {
        Rejection::new(
            StatusCode::NOT_FOUND,
            "resource_missing",
            "Ruta desconocida",
        )
    })
}

fn check_datetime(
    object: &JsonObject,
    key: &str,
    errors: &mut Vec<FieldError>,
) -> Option<(String, OffsetDateTime)> {
    match object.string(key) {
        Ok(None) => None,
        Ok(Some(text)) => match parse_local(&text) {
            Some(t) => Some((text, t)),
            None => {
                errors.push(FieldError::new(key, "formato esperado yyyy-MM-ddThh:mm:ss"));
                None
            }
        },
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// Reads `amount`: positive, with at most the decimals of its currency
/// ([`CURRENCIES`]; 2 while the currency is unknown or refused).
fn check_amount(
    object: &JsonObject,
    currency: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<Decimal> {
    let decimals = currency.and_then(currency_decimals).unwrap_or(2);
    match object.decimal("amount") {
        Ok(Some(amount)) if amount <= Decimal::ZERO => {
            errors.push(FieldError::new("amount", "debe ser mayor que cero"));
            None
        }
        Ok(Some(amount)) if !has_at_most_decimals(amount, decimals) => {
            errors.push(FieldError::new(
                "amount",
                format!("usar {decimals} decimales como máximo"),
            ));
            None
        }
        Ok(amount) => amount,
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn check_currency(object: &JsonObject, errors: &mut Vec<FieldError>) -> Option<String> {
    match object.string("currency") {
        Ok(Some(c)) if currency_decimals(&c).is_some() => Some(c),
        Ok(Some(c)) => {
            let accepted: Vec<&str> = CURRENCIES.iter().map(|(code, _)| *code).collect();
            errors.push(FieldError::new(
                "currency",
                format!("moneda no soportada: {c} ({})", accepted.join(", ")),
            ));
            None
        }
        Ok(None) => None,
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

async fn create_invoice(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = JsonObject::parse(&body).map_err(Rejection::invalid_json)?;
    let now = sandbox.now();
    let mut errors = Vec::new();
    for key in [
        "customer",
        "request_datetime",
        "currency",
        "amount",
        "invoice_id",
    ] {
        if object.raw(key).is_none() {
            errors.push(FieldError::new(key, "es obligatorio"));
        }
    }
    match object.object("customer") {
        Ok(Some(customer)) => {
            match customer.string("email") {
                Ok(Some(email)) if !is_email(&email) => {
                    errors.push(FieldError::new(
                        "customer.email",
                        "correo electrónico inválido",
                    ));
                }
                Err(e) => errors.push(e),
                _ => {}
            }
            match customer.string("phone") {
                Ok(Some(phone)) if !is_e164(&phone) => {
                    errors.push(FieldError::new(
                        "customer.phone",
                        "el teléfono debe estar en formato E.164",
                    ));
                }
                Err(e) => errors.push(e),
                _ => {}
            }
        }
        Ok(None) => {}
        Err(e) => errors.push(e),
    }
    let request_datetime = check_datetime(&object, "request_datetime", &mut errors);
    let due = check_datetime(&object, "due_datetime", &mut errors);
    let expiration = check_datetime(&object, "expiration_datetime", &mut errors);
    if expiration.as_ref().is_some_and(|(_, t)| *t <= now) {
        errors.push(FieldError::new(
            "expiration_datetime",
            "debe ser una fecha futura",
        ));
    }
    let currency = check_currency(&object, &mut errors);
    let amount = check_amount(&object, currency.as_deref(), &mut errors);
    let invoice_id = object.string("invoice_id").unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    if invoice_id.as_ref().is_some_and(|s| s.trim().is_empty()) {
        errors.push(FieldError::new("invoice_id", "no puede estar vacío"));
    }
    let mut url = |key: &str| match object.string(key) {
        Ok(Some(u)) if !is_http_url(&u) => {
            errors.push(FieldError::new(key, "debe ser una URL http o https"));
            None
        }
        Ok(u) => u,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let url_success = url("url_success");
    let url_error = url("url_error");
    if let Err(e) = object.object("metadata") {
        errors.push(e);
    }
    check_sub_merchant(&object, &mut errors);
    // `size_qr` (a String, set at creation): checked, and not echoed, since the
    // invoice object of KashIO's API document has no such member.
    match object.string("size_qr") {
        Ok(Some(size)) if size.trim().is_empty() => {
            errors.push(FieldError::new("size_qr", "no puede estar vacío"));
        }
        Ok(_) => {}
        Err(e) => errors.push(e),
    }
    let (
        Some(customer),
        Some((request_datetime, _)),
        Some(currency),
        Some(amount),
        Some(invoice_id),
        true,
    ) = (
        object.raw_owned("customer"),
        request_datetime,
        currency,
        amount,
        invoice_id,
        errors.is_empty(),
    )
    else {
        return Err(Rejection::Invalid(errors));
    };

    Ok(sandbox.with_store(|store| {
        let invoice = Invoice {
            id: format!("inv_test_{}", store.ids.base58(22)),
            token: store.ids.base58(22),
            ktin: store.ids.digits(12),
            created: store.now(),
            request_datetime,
            due_datetime: due.map(|(text, _)| text),
            expiration: expiration.map(|(_, t)| t),
            amount,
            currency,
            customer,
            metadata: object.raw_owned("metadata"),
            sub_merchant: object.raw_owned("sub_merchant"),
            invoice_id,
            url_success,
            url_error,
            status: InvoiceStatus::New,
        };
        let response = json_response(StatusCode::OK, &view(&invoice));
        store
            .records
            .get_mut::<KashioState>()
            .invoices
            .push(invoice);
        response
    }))
}

/// `sub_merchant`: an object ("nombre, correo electrónico, logotipo, etc."), echoed as
/// sent; its `name` and `logo` strings when present, its `email` an address, its `logo`
/// an http(s) URL.
fn check_sub_merchant(object: &JsonObject, errors: &mut Vec<FieldError>) {
    let sub = match object.object("sub_merchant") {
        Ok(Some(sub)) => sub,
        Ok(None) => return,
        Err(e) => {
            errors.push(e);
            return;
        }
    };
    match sub.string("name") {
        Ok(Some(name)) if name.trim().is_empty() => {
            errors.push(FieldError::new("sub_merchant.name", "no puede estar vacío"));
        }
        Err(e) => errors.push(e),
        _ => {}
    }
    match sub.string("email") {
        Ok(Some(email)) if !is_email(&email) => {
            errors.push(FieldError::new(
                "sub_merchant.email",
                "correo electrónico inválido",
            ));
        }
        Err(e) => errors.push(e),
        _ => {}
    }
    match sub.string("logo") {
        Ok(Some(logo)) if !is_http_url(&logo) => {
            errors.push(FieldError::new(
                "sub_merchant.logo",
                "debe ser una URL http o https",
            ));
        }
        Err(e) => errors.push(e),
        _ => {}
    }
}

/// 404 for an unknown invoice.
fn invoice_not_found(id: &str) -> Rejection {
    Rejection::not_found("la orden de pago", id)
}

async fn get_invoice(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.with_store(|store| {
        let kashio: &KashioState = store.records.get();
        let invoice = kashio
            .invoices
            .iter()
            .find(|i| i.id == id)
            .ok_or_else(|| invoice_not_found(&id))?;
        Ok(json_response(StatusCode::OK, &view(invoice)))
    })
}

/// The fields `PATCH` may change (the API document's "Actualizable" column).
const UPDATABLE: [&str; 3] = ["amount", "currency", "expiration_datetime"];

async fn update_invoice(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let object = JsonObject::parse(&body).map_err(Rejection::invalid_json)?;
    if let Some(key) = object.keys().find(|k| !UPDATABLE.contains(k)) {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            "parameter_not_updatable",
            format!("{key} no se puede actualizar (solo amount, currency, expiration_datetime)"),
        )
        .param(key));
    }
    let now = sandbox.now();
    let mut errors = Vec::new();
    let currency = check_currency(&object, &mut errors);
    // Without a currency in the body, the amount's decimals are checked against the
    // invoice's currency once it is found.
    let amount = check_amount(&object, currency.as_deref(), &mut errors);
    let expiration = check_datetime(&object, "expiration_datetime", &mut errors);
    if expiration.as_ref().is_some_and(|(_, t)| *t <= now) {
        errors.push(FieldError::new(
            "expiration_datetime",
            "debe ser una fecha futura",
        ));
    }
    if !errors.is_empty() {
        return Err(Rejection::Invalid(errors));
    }
    sandbox.with_store(|store| {
        let kashio: &mut KashioState = store.records.get_mut();
        let invoice = kashio
            .invoices
            .iter_mut()
            .find(|i| i.id == id)
            .ok_or_else(|| invoice_not_found(&id))?;
        if invoice.status != InvoiceStatus::New {
            return Err(Rejection::new(
                StatusCode::BAD_REQUEST,
                "invoice_not_updatable",
                format!(
                    "La orden de pago está {} y no se puede actualizar",
                    invoice.status.as_str()
                ),
            ));
        }
        let decimals = currency_decimals(currency.as_deref().unwrap_or(&invoice.currency));
        if let Some(amount) = amount
            && !has_at_most_decimals(amount, decimals.unwrap_or(2))
        {
            return Err(Rejection::Invalid(vec![FieldError::new(
                "amount",
                format!("usar {} decimales como máximo", decimals.unwrap_or(2)),
            )]));
        }
        if let Some(amount) = amount {
            invoice.amount = amount;
        }
        if let Some(currency) = currency {
            invoice.currency = currency;
        }
        if let Some((_, t)) = expiration {
            invoice.expiration = Some(t);
        }
        Ok(json_response(StatusCode::OK, &view(invoice)))
    })
}

async fn void_invoice(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.with_store(|store| {
        let kashio: &mut KashioState = store.records.get_mut();
        let invoice = kashio
            .invoices
            .iter_mut()
            .find(|i| i.id == id)
            .ok_or_else(|| invoice_not_found(&id))?;
        if invoice.status != InvoiceStatus::New {
            return Err(Rejection::new(
                StatusCode::BAD_REQUEST,
                "invoice_not_voidable",
                format!(
                    "La orden de pago está {} y no se puede anular",
                    invoice.status.as_str()
                ),
            ));
        }
        invoice.status = InvoiceStatus::Voided;
        Ok(json_response(StatusCode::OK, &view(invoice)))
    })
}

/// List parameters shared by invoices and events.
struct ListQuery {
    date: Option<time::Date>,
    status: Option<String>,
    limit: usize,
    /// `starting_after` (or `start`): older than this id.
    after: Option<String>,
    /// `ending_before` (or `end`): newer than this id.
    before: Option<String>,
}

fn list_query(uri: &Uri) -> Result<ListQuery, Rejection> {
    let mut query = ListQuery {
        date: None,
        status: None,
        limit: DEFAULT_LIMIT,
        after: None,
        before: None,
    };
    for (key, value) in url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()) {
        if value.is_empty() {
            continue;
        }
        match key.as_ref() {
            "date" => {
                query.date = Some(parse_date(&value).ok_or_else(|| {
                    Rejection::bad_parameter("date", "formato esperado yyyy-MM-dd")
                })?);
            }
            "status" => query.status = Some(value.into_owned()),
            "limit" => {
                // KashIO's API document gives no maximum, so none is made up here.
                query.limit = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| {
                        Rejection::bad_parameter("limit", "limit debe ser un entero positivo")
                    })?;
            }
            // The endpoint tables name the cursors start/end, the prose
            // starting_after/ending_before (the API document): both are accepted.
            "start" | "starting_after" => query.after = Some(value.into_owned()),
            "end" | "ending_before" => query.before = Some(value.into_owned()),
            _ => {}
        }
    }
    if query.after.is_some() && query.before.is_some() {
        return Err(Rejection::bad_parameter(
            "starting_after",
            "use starting_after o ending_before, no ambos",
        ));
    }
    Ok(query)
}

/// One page of `items` (oldest first in storage, listed newest first).
fn paginate<'a, T>(
    items: &'a [T],
    id: impl Fn(&T) -> &str,
    keep: impl Fn(&T) -> bool,
    query: &ListQuery,
) -> Result<(Vec<&'a T>, bool), Rejection> {
    let newest_first: Vec<&T> = items.iter().rev().collect();
    let position = |cursor: &str, param: &str| {
        newest_first
            .iter()
            .position(|item| id(item) == cursor)
            .ok_or_else(|| Rejection::bad_parameter(param, format!("cursor desconocido: {cursor}")))
    };
    if let Some(before) = &query.before {
        let end = position(before, "ending_before")?;
        let candidates: Vec<&T> = newest_first[..end]
            .iter()
            .copied()
            .filter(|i| keep(i))
            .collect();
        let start = candidates.len().saturating_sub(query.limit);
        return Ok((candidates[start..].to_vec(), start > 0));
    }
    let start = match &query.after {
        Some(after) => position(after, "starting_after")? + 1,
        None => 0,
    };
    let mut candidates = newest_first[start..].iter().copied().filter(|i| keep(i));
    let page: Vec<&T> = candidates.by_ref().take(query.limit).collect();
    let has_more = candidates.next().is_some();
    Ok((page, has_more))
}

async fn list_invoices(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    uri: Uri,
) -> Result<impl IntoResponse, Rejection> {
    let query = list_query(&uri)?;
    let status = query
        .status
        .as_deref()
        .map(|s| {
            InvoiceStatus::parse(s).ok_or_else(|| {
                Rejection::bad_parameter(
                    "status",
                    format!("status desconocido: {s} (new, paid, expired, voided)"),
                )
            })
        })
        .transpose()?;
    sandbox.with_store(|store| {
        let keep = |i: &Invoice| {
            status.is_none_or(|s| s == i.status) && query.date.is_none_or(|d| i.created.date() == d)
        };
        let kashio: &KashioState = store.records.get();
        let (page, has_more) = paginate(&kashio.invoices, |i| &i.id, keep, &query)?;
        Ok(list_response(
            page.into_iter().map(view).collect(),
            has_more,
        ))
    })
}

async fn list_events(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    uri: Uri,
) -> Result<impl IntoResponse, Rejection> {
    let query = list_query(&uri)?;
    sandbox.with_store(|store| {
        let keep = |e: &Event| {
            query
                .status
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case(e.status))
                && query.date.is_none_or(|d| e.created.date() == d)
        };
        let kashio: &KashioState = store.records.get();
        let (page, has_more) = paginate(&kashio.events, |e| &e.id, keep, &query)?;
        Ok(list_response(
            page.into_iter().map(event_view).collect(),
            has_more,
        ))
    })
}

async fn get_event(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.with_store(|store| {
        let kashio: &KashioState = store.records.get();
        let event = kashio
            .events
            .iter()
            .find(|e| e.id == id)
            .ok_or_else(|| Rejection::not_found("el evento", &id))?;
        Ok(json_response(StatusCode::OK, &event_view(event)))
    })
}
