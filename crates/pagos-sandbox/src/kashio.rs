//! KashIO Payments, served under `/kashio/v1/payments`.
//!
//! HTTP Basic with the secret key as user name (password ignored, normally empty).
//! Invoices go `NEW` → `PAID` (the payer pays) / `EXPIRED` (clock passes
//! `expiration_datetime`, or the control API) / `VOIDED` (`DELETE`); paying and expiring
//! record the events `invoice.paid` and `invoice.expired`, which are also POSTed to a
//! KashIO webhook when one is registered (the event's `status` then becomes `notified` or
//! `failed`).
//!
//! KashIO documents no error body, so the sandbox answers errors (400, 401, 404) with
//! `{"error":{"code":"...","message":"...","param":"..."}}`; `param` names the offending
//! field when there is one.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::get;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use serde_json::value::RawValue;
use time::OffsetDateTime;

use crate::Error;
use crate::config::Provider;
use crate::config::SandboxConfig;
use crate::control::RecordCounts;
use crate::control::{ActionOutcome, PayerAction};
use crate::notify::Outgoing;
use crate::simulated::{Acted, Checkout, SimulatedProvider};
use crate::state::Records;
use crate::state::{Sandbox, Store};
use crate::wire::{
    FieldError, JsonNumber, JsonObject, LOCAL_T, basic_credentials, fixed, format_time,
    has_at_most_decimals, is_e164, is_email, is_http_url, json_response, parse_date, parse_local,
    route, secrets_match,
};

const CURRENCIES: [&str; 2] = ["PEN", "USD"];
const DEFAULT_LIMIT: usize = 10;
const MAX_LIMIT: usize = 100;

/// KashIO's records, oldest first.
#[derive(Debug, Default)]
pub(crate) struct KashioState {
    invoices: Vec<Invoice>,
    events: Vec<Event>,
}

/// How many invoices exist.
pub(crate) fn invoice_count(store: &Store) -> usize {
    store.records.get::<KashioState>().invoices.len()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InvoiceStatus {
    New,
    Paid,
    Expired,
    Voided,
}

impl InvoiceStatus {
    fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::New => "NEW",
            InvoiceStatus::Paid => "PAID",
            InvoiceStatus::Expired => "EXPIRED",
            InvoiceStatus::Voided => "VOIDED",
        }
    }

    /// Status filters are case-insensitive and `pending` means `new` (KashIO's public
    /// documentation).
    fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "new" | "pending" => Some(InvoiceStatus::New),
            "paid" => Some(InvoiceStatus::Paid),
            "expired" => Some(InvoiceStatus::Expired),
            "voided" => Some(InvoiceStatus::Voided),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
struct Invoice {
    id: String,
    token: String,
    ktin: String,
    created: OffsetDateTime,
    request_datetime: String,
    due_datetime: Option<String>,
    expiration: Option<OffsetDateTime>,
    amount: Decimal,
    currency: String,
    customer: Box<RawValue>,
    metadata: Option<Box<RawValue>>,
    sub_merchant: Option<Box<RawValue>>,
    invoice_id: String,
    url_success: Option<String>,
    url_error: Option<String>,
    status: InvoiceStatus,
}

#[derive(Debug, Clone)]
struct Event {
    id: String,
    created: OffsetDateTime,
    kind: &'static str,
    status: &'static str,
    invoice_id: String,
    /// The invoice as it was when the event happened.
    snapshot: Box<RawValue>,
}

#[derive(Serialize)]
struct InvoiceView<'a> {
    id: &'a str,
    object: &'static str,
    livemode: bool,
    created: String,
    customer: &'a RawValue,
    currency: &'a str,
    amount: JsonNumber,
    sub_total: JsonNumber,
    fees: JsonNumber,
    late_fee: JsonNumber,
    invoice_id: &'a str,
    request_datetime: &'a str,
    due_datetime: Option<&'a str>,
    expiration_datetime: Option<String>,
    url_success: Option<&'a str>,
    url_error: Option<&'a str>,
    token: &'a str,
    ktin: &'a str,
    metadata: Option<&'a RawValue>,
    sub_merchant: Option<&'a RawValue>,
    status: &'static str,
}

fn view(invoice: &Invoice) -> InvoiceView<'_> {
    // Amounts with 2 decimals, as numbers (the examples of KashIO's API document; its
    // DELETE example uses a string, which clients must accept anyway).
    let two = |d: Decimal| JsonNumber::fixed(d, 2);
    InvoiceView {
        id: &invoice.id,
        object: "invoice",
        livemode: false,
        created: format_time(invoice.created, LOCAL_T),
        customer: &invoice.customer,
        currency: &invoice.currency,
        amount: two(invoice.amount),
        sub_total: two(invoice.amount),
        fees: two(Decimal::ZERO),
        late_fee: two(Decimal::ZERO),
        invoice_id: &invoice.invoice_id,
        request_datetime: &invoice.request_datetime,
        due_datetime: invoice.due_datetime.as_deref(),
        expiration_datetime: invoice.expiration.map(|t| format_time(t, LOCAL_T)),
        url_success: invoice.url_success.as_deref(),
        url_error: invoice.url_error.as_deref(),
        token: &invoice.token,
        ktin: &invoice.ktin,
        metadata: invoice.metadata.as_deref(),
        sub_merchant: invoice.sub_merchant.as_deref(),
        status: invoice.status.as_str(),
    }
}

#[derive(Serialize)]
struct EventView<'a> {
    id: &'a str,
    object: &'static str,
    livemode: bool,
    created: String,
    r#type: &'static str,
    data: EventData<'a>,
    status: &'static str,
}

#[derive(Serialize)]
struct EventData<'a> {
    url: String,
    invoice: &'a RawValue,
}

fn event_view(event: &Event) -> EventView<'_> {
    EventView {
        id: &event.id,
        object: "event",
        livemode: false,
        created: format_time(event.created, LOCAL_T),
        r#type: event.kind,
        data: EventData {
            url: format!("//invoices/{}", event.invoice_id),
            invoice: &event.snapshot,
        },
        status: event.status,
    }
}

/// The sandbox's KashIO error body (KashIO documents none).
pub(crate) fn error_response(
    status: StatusCode,
    code: &str,
    message: &str,
    param: Option<&str>,
) -> Response {
    let mut error = json!({ "code": code, "message": message });
    if let Some(param) = param {
        error["param"] = json!(param);
    }
    json_response(status, &json!({ "error": error }))
}

fn invalid(errors: &[FieldError]) -> Response {
    let first = errors
        .first()
        .cloned()
        .unwrap_or_else(|| FieldError::new("", "petición inválida"));
    let details: Vec<_> = errors
        .iter()
        .map(|e| json!({ "param": e.field, "message": e.message }))
        .collect();
    json_response(
        StatusCode::BAD_REQUEST,
        &json!({ "error": {
            "code": "parameter_invalid",
            "message": format!("{}: {}", first.field, first.message),
            "param": first.field,
            "details": details,
        }}),
    )
}

fn not_found(what: &str, id: &str) -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        "resource_missing",
        &format!("No existe {what} {id}"),
        Some("id"),
    )
}

/// Requests authenticated with the secret key.
pub(crate) struct KashioAuth;

impl FromRequestParts<Arc<Sandbox>> for KashioAuth {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        sandbox: &Arc<Sandbox>,
    ) -> Result<Self, Response> {
        let expected = &sandbox.config.credentials.kashio_secret_key;
        match basic_credentials(&parts.headers) {
            Some((user, _password)) if secrets_match(&user, expected) => Ok(KashioAuth),
            found => {
                let message = if found.is_some() {
                    "Clave secreta API inválida"
                } else {
                    "Se requiere autenticación básica con la clave secreta API"
                };
                let mut response =
                    error_response(StatusCode::UNAUTHORIZED, "unauthorized", message, None);
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    header::HeaderValue::from_static("Basic realm=\"KashIO\""),
                );
                Err(response)
            }
        }
    }
}

pub(crate) fn router() -> Router<Arc<Sandbox>> {
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
        error_response(
            StatusCode::NOT_FOUND,
            "resource_missing",
            "Ruta desconocida",
            None,
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

fn check_amount(object: &JsonObject, errors: &mut Vec<FieldError>) -> Option<Decimal> {
    match object.decimal("amount") {
        Ok(Some(amount)) if amount <= Decimal::ZERO => {
            errors.push(FieldError::new("amount", "debe ser mayor que cero"));
            None
        }
        Ok(Some(amount)) if !has_at_most_decimals(amount, 2) => {
            errors.push(FieldError::new("amount", "usar 2 decimales como máximo"));
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
        Ok(Some(c)) if CURRENCIES.contains(&c.as_str()) => Some(c),
        Ok(Some(c)) => {
            errors.push(FieldError::new(
                "currency",
                format!("moneda no soportada: {c} (PEN, USD)"),
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
) -> Response {
    let object = match JsonObject::parse(&body) {
        Ok(o) => o,
        Err(e) => return error_response(StatusCode::BAD_REQUEST, "invalid_json", &e, None),
    };
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
    let amount = check_amount(&object, &mut errors);
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
    for key in ["metadata", "sub_merchant"] {
        if let Err(e) = object.object(key) {
            errors.push(e);
        }
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
        return invalid(&errors);
    };

    sandbox.update(|store| {
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
        (response, Vec::new())
    })
}

async fn get_invoice(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    Path(id): Path<String>,
) -> Response {
    sandbox.update(|store| {
        let response = match store
            .records
            .get_mut::<KashioState>()
            .invoices
            .iter()
            .find(|i| i.id == id)
        {
            Some(invoice) => json_response(StatusCode::OK, &view(invoice)),
            None => not_found("la orden de pago", &id),
        };
        (response, Vec::new())
    })
}

/// The fields `PATCH` may change (the API document's "Actualizable" column).
const UPDATABLE: [&str; 3] = ["amount", "currency", "expiration_datetime"];

async fn update_invoice(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let object = match JsonObject::parse(&body) {
        Ok(o) => o,
        Err(e) => return error_response(StatusCode::BAD_REQUEST, "invalid_json", &e, None),
    };
    if let Some(key) = object.keys().find(|k| !UPDATABLE.contains(k)) {
        return error_response(
            StatusCode::BAD_REQUEST,
            "parameter_not_updatable",
            &format!("{key} no se puede actualizar (solo amount, currency, expiration_datetime)"),
            Some(key),
        );
    }
    let now = sandbox.now();
    let mut errors = Vec::new();
    let amount = check_amount(&object, &mut errors);
    let currency = check_currency(&object, &mut errors);
    let expiration = check_datetime(&object, "expiration_datetime", &mut errors);
    if expiration.as_ref().is_some_and(|(_, t)| *t <= now) {
        errors.push(FieldError::new(
            "expiration_datetime",
            "debe ser una fecha futura",
        ));
    }
    if !errors.is_empty() {
        return invalid(&errors);
    }
    sandbox.update(|store| {
        let response = match store
            .records
            .get_mut::<KashioState>()
            .invoices
            .iter_mut()
            .find(|i| i.id == id)
        {
            None => not_found("la orden de pago", &id),
            Some(invoice) if invoice.status != InvoiceStatus::New => error_response(
                StatusCode::BAD_REQUEST,
                "invoice_not_updatable",
                &format!(
                    "La orden de pago está {} y no se puede actualizar",
                    invoice.status.as_str()
                ),
                None,
            ),
            Some(invoice) => {
                if let Some(amount) = amount {
                    invoice.amount = amount;
                }
                if let Some(currency) = currency {
                    invoice.currency = currency;
                }
                if let Some((_, t)) = expiration {
                    invoice.expiration = Some(t);
                }
                json_response(StatusCode::OK, &view(invoice))
            }
        };
        (response, Vec::new())
    })
}

async fn void_invoice(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    Path(id): Path<String>,
) -> Response {
    sandbox.update(|store| {
        let response = match store
            .records
            .get_mut::<KashioState>()
            .invoices
            .iter_mut()
            .find(|i| i.id == id)
        {
            None => not_found("la orden de pago", &id),
            Some(invoice) if invoice.status != InvoiceStatus::New => error_response(
                StatusCode::BAD_REQUEST,
                "invoice_not_voidable",
                &format!(
                    "La orden de pago está {} y no se puede anular",
                    invoice.status.as_str()
                ),
                None,
            ),
            Some(invoice) => {
                invoice.status = InvoiceStatus::Voided;
                json_response(StatusCode::OK, &view(invoice))
            }
        };
        (response, Vec::new())
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

fn list_query(uri: &Uri) -> Result<ListQuery, Response> {
    let bad = |param: &str, message: &str| {
        error_response(
            StatusCode::BAD_REQUEST,
            "parameter_invalid",
            message,
            Some(param),
        )
    };
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
                query.date = Some(
                    parse_date(&value).ok_or_else(|| bad("date", "formato esperado yyyy-MM-dd"))?,
                );
            }
            "status" => query.status = Some(value.into_owned()),
            "limit" => {
                query.limit = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| bad("limit", "limit debe ser un entero entre 1 y 100"))?;
            }
            // The endpoint tables name the cursors start/end, the prose
            // starting_after/ending_before (the API document): both are accepted.
            "start" | "starting_after" => query.after = Some(value.into_owned()),
            "end" | "ending_before" => query.before = Some(value.into_owned()),
            _ => {}
        }
    }
    if query.after.is_some() && query.before.is_some() {
        return Err(bad(
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
) -> Result<(Vec<&'a T>, bool), Response> {
    let newest_first: Vec<&T> = items.iter().rev().collect();
    let position = |cursor: &str, param: &str| {
        newest_first
            .iter()
            .position(|item| id(item) == cursor)
            .ok_or_else(|| {
                error_response(
                    StatusCode::BAD_REQUEST,
                    "parameter_invalid",
                    &format!("cursor desconocido: {cursor}"),
                    Some(param),
                )
            })
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

fn list_response<T: Serialize>(data: Vec<T>, has_more: bool) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "object": "list", "has_more": has_more, "data": data }),
    )
}

async fn list_invoices(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    uri: Uri,
) -> Response {
    let query = match list_query(&uri) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let status = match query
        .status
        .as_deref()
        .map(|s| InvoiceStatus::parse(s).ok_or(s))
        .transpose()
    {
        Ok(s) => s,
        Err(s) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "parameter_invalid",
                &format!("status desconocido: {s} (new, paid, expired, voided)"),
                Some("status"),
            );
        }
    };
    sandbox.update(|store| {
        let keep = |i: &Invoice| {
            status.is_none_or(|s| s == i.status) && query.date.is_none_or(|d| i.created.date() == d)
        };
        let response = match paginate(
            &store.records.get_mut::<KashioState>().invoices,
            |i| &i.id,
            keep,
            &query,
        ) {
            Ok((page, has_more)) => list_response(page.into_iter().map(view).collect(), has_more),
            Err(r) => r,
        };
        (response, Vec::new())
    })
}

async fn list_events(State(sandbox): State<Arc<Sandbox>>, _auth: KashioAuth, uri: Uri) -> Response {
    let query = match list_query(&uri) {
        Ok(q) => q,
        Err(r) => return r,
    };
    sandbox.update(|store| {
        let keep = |e: &Event| {
            query
                .status
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case(e.status))
                && query.date.is_none_or(|d| e.created.date() == d)
        };
        let response = match paginate(
            &store.records.get_mut::<KashioState>().events,
            |e| &e.id,
            keep,
            &query,
        ) {
            Ok((page, has_more)) => {
                list_response(page.into_iter().map(event_view).collect(), has_more)
            }
            Err(r) => r,
        };
        (response, Vec::new())
    })
}

async fn get_event(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: KashioAuth,
    Path(id): Path<String>,
) -> Response {
    sandbox.update(|store| {
        let response = match store
            .records
            .get_mut::<KashioState>()
            .events
            .iter()
            .find(|e| e.id == id)
        {
            Some(event) => json_response(StatusCode::OK, &event_view(event)),
            None => not_found("el evento", &id),
        };
        (response, Vec::new())
    })
}

/// Records an event for the invoice at `index` and, with a webhook, queues its delivery.
fn record_event(store: &mut Store, index: usize, kind: &'static str) -> Vec<Outgoing> {
    let invoice = &store.records.get::<KashioState>().invoices[index];
    let snapshot = serde_json::to_string(&view(invoice))
        .ok()
        .and_then(|s| RawValue::from_string(s).ok())
        .unwrap_or_else(|| RawValue::from_string("{}".into()).expect("valid JSON"));
    let event = Event {
        id: format!("eve_{}", store.ids.base58(22)),
        created: store.now(),
        kind,
        status: "new",
        invoice_id: invoice.id.clone(),
        snapshot,
    };
    let outgoing = store
        .webhooks
        .get(&Provider::Kashio)
        .map(|url| Outgoing {
            provider: Provider::Kashio,
            url: url.clone(),
            content_type: "application/json",
            body: serde_json::to_vec(&event_view(&event)).unwrap_or_default(),
            receipt: Some(event.id.clone()),
        })
        .into_iter()
        .collect();
    store.records.get_mut::<KashioState>().events.push(event);
    outgoing
}

/// Marks an event `notified` or `failed` once its webhook delivery ends.
pub(crate) fn event_delivered(store: &mut Store, event_id: &str, delivered: bool) {
    if let Some(event) = store
        .records
        .get_mut::<KashioState>()
        .events
        .iter_mut()
        .find(|e| e.id == event_id)
    {
        event.status = if delivered { "notified" } else { "failed" };
    }
}

/// Expires every `NEW` invoice whose `expiration_datetime` has passed.
pub(crate) fn sweep(store: &mut Store) -> Vec<Outgoing> {
    let now = store.now();
    let due: Vec<usize> = (0..store.records.get_mut::<KashioState>().invoices.len())
        .filter(|&i| {
            let invoice = &store.records.get_mut::<KashioState>().invoices[i];
            invoice.status == InvoiceStatus::New && invoice.expiration.is_some_and(|t| t <= now)
        })
        .collect();
    let mut outgoing = Vec::new();
    for index in due {
        store.records.get_mut::<KashioState>().invoices[index].status = InvoiceStatus::Expired;
        outgoing.extend(record_event(store, index, "invoice.expired"));
    }
    outgoing
}

/// The payer pays a `NEW` invoice (→ `PAID`, event `invoice.paid`), or it expires now
/// (→ `EXPIRED`, event `invoice.expired`).
pub(crate) fn payer_action(
    store: &mut Store,
    id: &str,
    action: PayerAction,
    _amount: Option<Decimal>,
) -> Result<(ActionOutcome, Vec<Outgoing>), Error> {
    let (status, kind) = match action {
        PayerAction::Pay => (InvoiceStatus::Paid, "invoice.paid"),
        PayerAction::Expire => (InvoiceStatus::Expired, "invoice.expired"),
        other => {
            return Err(Error::Unsupported {
                provider: Provider::Kashio,
                action: other.as_str().into(),
            });
        }
    };
    let index = store
        .records
        .get_mut::<KashioState>()
        .invoices
        .iter()
        .position(|i| i.id == id)
        .ok_or_else(|| Error::NotFound {
            provider: Provider::Kashio,
            id: id.to_string(),
        })?;
    let invoice = &mut store.records.get_mut::<KashioState>().invoices[index];
    if invoice.status != InvoiceStatus::New {
        return Err(Error::NotAllowed {
            provider: Provider::Kashio,
            id: id.to_string(),
            message: format!("the invoice is {}", invoice.status.as_str()),
        });
    }
    invoice.status = status;
    if status == InvoiceStatus::Expired {
        invoice.expiration = Some(store.clock.now());
    }
    let outgoing = record_event(store, index, kind);
    Ok((
        ActionOutcome::new(Provider::Kashio, id, status.as_str()),
        outgoing,
    ))
}

/// The checkout page's summary: `(title, amount, status)`.
pub(crate) fn summary(store: &Store, id: &str) -> Option<(String, String, String)> {
    store
        .records
        .get::<KashioState>()
        .invoices
        .iter()
        .find(|i| i.id == id)
        .map(|i| {
            (
                format!("Orden de pago {}", i.invoice_id),
                format!("{} {}", fixed(i.amount, 2), i.currency),
                i.status.as_str().into(),
            )
        })
}

// ---------------------------------------------------------------------------------------
// The simulated provider

/// KashIO Payments.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kashio;

impl SimulatedProvider for Kashio {
    fn name(&self) -> &'static str {
        "kashio"
    }

    fn base_path(&self) -> &'static str {
        "/kashio/v1/payments"
    }

    fn records(&self, config: &SandboxConfig) -> Box<dyn Records> {
        let _ = config;
        Box::new(KashioState::default())
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
        sweep(store)
    }

    fn count(&self, store: &Store, counts: &mut RecordCounts) {
        counts.kashio_invoices = invoice_count(store);
    }

    fn fault_response(
        &self,
        status: StatusCode,
        message: &str,
        _route: &str,
        _now: OffsetDateTime,
    ) -> Response {
        error_response(status, "sandbox_fault", message, None)
    }

    fn checkout(&self, store: &Store, id: &str) -> Option<Checkout> {
        summary(store, id).map(|(title, amount, status)| Checkout {
            title,
            amount,
            status,
        })
    }

    fn delivery_ended(&self, store: &mut Store, receipt: &str, delivered: bool) {
        event_delivered(store, receipt, delivered);
    }
}
