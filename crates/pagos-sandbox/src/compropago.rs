//! ComproPago API v2, served under `/compropago` (paths `/v2/...`).
//!
//! HTTP Basic with user = private key and password = public key (every official SDK
//! sends `sk:pk`, although the ComproPago API v2 reference's prose says "key as user, no
//! password"). Every answer, errors included, is wrapped in
//! `{object, code, status, message, request, url, map, data}`; the HTTP status equals
//! `code`. Orders go `PENDING` → `ACCEPTED` (the payer pays) / `EXPIRED` (`expiresAt`
//! passes, or the control API). Both transitions POST the order JSON to the ComproPago
//! webhook registered with `PUT /_sandbox/webhooks/compropago` (or the config), if any.
//! The same `customer.id` always gets the same CLABE.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
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
    FieldError, JsonNumber, JsonObject, basic_credentials, clabe_check_digit, fixed,
    has_at_most_decimals, is_email, is_http_url, json_response, route, secrets_match,
};

/// Orders without `expiresAt` can be paid for 72 hours.
const DEFAULT_EXPIRY_SECONDS: i64 = 72 * 3600;

/// ComproPago's records.
#[derive(Debug, Default)]
pub(crate) struct ComproPagoState {
    orders: Vec<Order>,
    /// `customer.id` → its CLABE, shared by orders and `createClabe`.
    customer_clabes: BTreeMap<String, String>,
    accounts: Vec<Account>,
}

/// How many orders exist.
pub(crate) fn order_count(store: &Store) -> usize {
    store.records.get::<ComproPagoState>().orders.len()
}

/// How many accounts exist.
pub(crate) fn account_count(store: &Store) -> usize {
    store.records.get::<ComproPagoState>().accounts.len()
}

#[derive(Debug, Clone)]
struct Order {
    id: String,
    short_id: String,
    product_id: String,
    product_name: String,
    product_url: Option<String>,
    currency: String,
    price: Decimal,
    customer: Box<RawValue>,
    clabe: String,
    fee: Decimal,
    iva: Decimal,
    status: &'static str,
    created_at: i64,
    updated_at: i64,
    expires_at: i64,
}

#[derive(Debug, Clone)]
struct Account {
    id: String,
    name: String,
    reference: String,
    customer: Box<RawValue>,
    clabe: String,
    balance: Decimal,
    created_at: i64,
    updated_at: i64,
    transactions: Vec<Deposit>,
}

#[derive(Debug, Clone)]
struct Deposit {
    id: String,
    amount: Decimal,
    created_at: i64,
    /// The SPEI tracking reference of the incoming transfer.
    reference: String,
}

// ---------------------------------------------------------------------------------------
// Envelope

fn epoch_ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// A success answer in ComproPago's envelope.
fn success<T: Serialize>(
    store: &mut Store,
    object: &str,
    message: &str,
    url: &str,
    data: T,
) -> Response {
    json_response(
        StatusCode::OK,
        &Envelope {
            object,
            code: 200,
            status: "success",
            message,
            request: epoch_ms(store.now()),
            url,
            map: Some(store.ids.uuid()),
            data: Some(data),
        },
    )
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    object: &'a str,
    code: u16,
    status: &'a str,
    message: &'a str,
    request: i64,
    url: &'a str,
    map: Option<String>,
    data: Option<T>,
}

/// An error in ComproPago's envelope: `code` and the HTTP status agree.
pub(crate) fn error_response(
    status: StatusCode,
    message: &str,
    url: &str,
    now: OffsetDateTime,
) -> Response {
    error_with_data(status, message, url, now, None::<()>)
}

fn error_with_data<T: Serialize>(
    status: StatusCode,
    message: &str,
    url: &str,
    now: OffsetDateTime,
    data: Option<T>,
) -> Response {
    json_response(
        status,
        &Envelope {
            object: "error",
            code: status.as_u16(),
            status: "error",
            message,
            request: epoch_ms(now),
            url,
            map: None,
            data,
        },
    )
}

fn validation_error(errors: &[FieldError], url: &str, now: OffsetDateTime) -> Response {
    let first = errors
        .first()
        .map(|e| format!("{}: {}", e.field, e.message))
        .unwrap_or_default();
    let details: Vec<_> = errors
        .iter()
        .map(|e| json!({ "field": e.field, "message": e.message }))
        .collect();
    error_with_data(
        StatusCode::BAD_REQUEST,
        &first,
        url,
        now,
        Some(json!({ "errors": details })),
    )
}

/// Requests authenticated with `sk:pk`.
pub(crate) struct ComproPagoAuth;

impl FromRequestParts<Arc<Sandbox>> for ComproPagoAuth {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        sandbox: &Arc<Sandbox>,
    ) -> Result<Self, Response> {
        let creds = &sandbox.config.credentials;
        match basic_credentials(&parts.headers) {
            Some((sk, pk))
                if secrets_match(&sk, &creds.compropago_private_key)
                    && secrets_match(&pk, &creds.compropago_public_key) =>
            {
                Ok(ComproPagoAuth)
            }
            found => {
                let message = if found.is_some() {
                    "Llaves de API inválidas"
                } else {
                    "Se requiere autenticación básica sk:pk"
                };
                Err(error_response(
                    StatusCode::UNAUTHORIZED,
                    message,
                    parts.uri.path(),
                    sandbox.now(),
                ))
            }
        }
    }
}

pub(crate) fn router() -> Router<Arc<Sandbox>> {
    let r = Router::new();
    let r = route(r, "/v2/orders", post(create_order));
    let r = route(r, "/v2/orders/{id}", get(get_order));
    let r = route(r, "/v2/createClabe", post(create_clabe));
    let r = route(r, "/v2/createAccount", post(create_account));
    let r = route(r, "/v2/accounts", get(list_accounts));
    let r = route(r, "/v2/accounts/{id}", get(get_account));
    let r = route(
        r,
        "/v2/accounts/{id}/transactions",
        get(account_transactions),
    );
    r.fallback(|State(sandbox): State<Arc<Sandbox>>, uri: Uri| async move {
        error_response(
            StatusCode::NOT_FOUND,
            "Recurso no encontrado",
            uri.path(),
            sandbox.now(),
        )
    })
}

// ---------------------------------------------------------------------------------------
// Views

fn instructions(kind: &str) -> serde_json::Value {
    let steps: [&str; 3] = if kind == "order" {
        [
            "Agrega la cuenta CLABE en tu banca en linea para banco STP.",
            "Una vez dada de alta la cuenta CLABE, realiza el deposito por la cantidad exacta.",
            "Ya que realizaste el pago, recibiras un comprobante de transacción exitosa y nuestro sistema confirmara automáticamente el pago.",
        ]
    } else {
        [
            "Agrégala en tu banca en línea seleccionando como banco: STP.",
            "Realiza transferencias a cualquier hora por los montos que desees.",
            "Por cada operación exitosa recibirás un comprobante de la transacción.",
        ]
    };
    json!(
        steps
            .iter()
            .enumerate()
            .map(|(i, d)| json!({ "step": i + 1, "description": d }))
            .collect::<Vec<_>>()
    )
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderView<'a> {
    id: &'a str,
    short_id: &'a str,
    product: ProductView<'a>,
    customer: &'a RawValue,
    payment: OrderPaymentView<'a>,
    status: &'a str,
    test_mode: bool,
    exchange: ExchangeView<'a>,
    extras: serde_json::Value,
    client: serde_json::Value,
    created_at: i64,
    updated_at: i64,
    expires_at: i64,
}

#[derive(Serialize)]
struct ProductView<'a> {
    id: &'a str,
    price: JsonNumber,
    name: &'a str,
    currency: &'a str,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct OrderPaymentView<'a> {
    r#type: &'static str,
    fee: JsonNumber,
    iva: JsonNumber,
    clabe: &'a str,
    instructions: serde_json::Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExchangeView<'a> {
    rate: JsonNumber,
    final_amount: JsonNumber,
    origin_amount: JsonNumber,
    final_currency: &'a str,
    origin_currency: &'a str,
}

fn order_view(order: &Order) -> OrderView<'_> {
    OrderView {
        id: &order.id,
        short_id: &order.short_id,
        product: ProductView {
            id: &order.product_id,
            price: JsonNumber::plain(order.price),
            name: &order.product_name,
            currency: &order.currency,
            url: order.product_url.as_deref(),
        },
        customer: &order.customer,
        payment: OrderPaymentView {
            r#type: "SPEI",
            fee: JsonNumber::plain(order.fee),
            iva: JsonNumber::plain(order.iva),
            clabe: &order.clabe,
            instructions: instructions("order"),
        },
        status: order.status,
        test_mode: true,
        exchange: ExchangeView {
            rate: JsonNumber::int(1),
            final_amount: JsonNumber::plain(order.price),
            origin_amount: JsonNumber::plain(order.price),
            final_currency: &order.currency,
            origin_currency: &order.currency,
        },
        extras: json!({}),
        client: json!({ "name": "ms-api", "version": "2.0.0" }),
        created_at: order.created_at,
        updated_at: order.updated_at,
        expires_at: order.expires_at,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountView<'a> {
    id: &'a str,
    name: &'a str,
    reference: &'a str,
    customer: &'a RawValue,
    payment: serde_json::Value,
    balance: JsonNumber,
    status: &'static str,
    test_mode: bool,
    created_at: i64,
    updated_at: i64,
}

fn account_view(account: &Account) -> AccountView<'_> {
    AccountView {
        id: &account.id,
        name: &account.name,
        reference: &account.reference,
        customer: &account.customer,
        payment: json!({ "clabe": account.clabe, "instructions": instructions("account") }),
        balance: JsonNumber::fixed(account.balance, 2),
        status: "ACTIVE",
        test_mode: true,
        created_at: account.created_at,
        updated_at: account.updated_at,
    }
}

/// One sub-account of `GET /v2/accounts/{id}`, as in ComproPago's reference ("Listar
/// subcuentas"): `{"id": 170, "name": "Departamento_101", "clabe": "6461…"}`. A sandbox
/// account has one sub-account: its CLABE, named after the CLABE's holder.
#[derive(Serialize)]
struct SubAccountView<'a> {
    id: &'a str,
    name: String,
    clabe: &'a str,
}

fn sub_accounts(account: &Account) -> Vec<SubAccountView<'_>> {
    let holder = serde_json::from_str::<serde_json::Value>(account.customer.get())
        .ok()
        .and_then(|c| c.get("name").and_then(|n| n.as_str()).map(str::to_string));
    vec![SubAccountView {
        id: &account.id,
        name: holder.unwrap_or_else(|| account.name.clone()),
        clabe: &account.clabe,
    }]
}

/// One movement of `GET /v2/accounts/{id}/transactions`, with the reference's fields
/// ("Listar transacciones recibidas en la subcuenta"): `date` is epoch seconds as a
/// string, `status` `paid`, `description` `Abono` for a deposit. `clabe` is the sandbox's
/// own addition (the `?clabe=` filter matches it).
#[derive(Serialize)]
struct DepositView<'a> {
    id: &'a str,
    date: String,
    amount: JsonNumber,
    status: &'static str,
    description: &'static str,
    reference: &'a str,
    clabe: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClabeView<'a> {
    customer: &'a RawValue,
    payment: ClabePaymentView<'a>,
    status: &'static str,
    test_mode: bool,
    created_at: i64,
    updated_at: i64,
    expires_at: Option<i64>,
}

#[derive(Serialize)]
struct ClabePaymentView<'a> {
    clabe: &'a str,
    /// The wire name keeps ComproPago's typo.
    frecuency: &'static str,
    amount: Option<JsonNumber>,
    instructions: serde_json::Value,
}

// ---------------------------------------------------------------------------------------
// Handlers

/// A new STP CLABE (bank 646, plaza 180) with a correct check digit, unused so far.
fn new_clabe(store: &mut Store) -> String {
    loop {
        let mut digits = vec![6, 4, 6, 1, 8, 0];
        digits.extend(store.ids.digit_values(11));
        digits.push(clabe_check_digit(&digits));
        let clabe: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        let cp = &store.records.get_mut::<ComproPagoState>();
        if !cp.customer_clabes.values().any(|c| *c == clabe)
            && !cp.accounts.iter().any(|a| a.clabe == clabe)
        {
            return clabe;
        }
    }
}

fn clabe_for_customer(store: &mut Store, customer_id: &str) -> String {
    if let Some(clabe) = store
        .records
        .get_mut::<ComproPagoState>()
        .customer_clabes
        .get(customer_id)
    {
        return clabe.clone();
    }
    let clabe = new_clabe(store);
    store
        .records
        .get_mut::<ComproPagoState>()
        .customer_clabes
        .insert(customer_id.to_string(), clabe.clone());
    clabe
}

fn push<T>(errors: &mut Vec<FieldError>, result: Result<Option<T>, FieldError>) -> Option<T> {
    result.unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

fn required(errors: &mut Vec<FieldError>, object: &JsonObject, key: &str) -> Option<String> {
    match object.required_string(key) {
        Ok(s) => Some(s),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn required_object(
    errors: &mut Vec<FieldError>,
    object: &JsonObject,
    key: &str,
) -> Option<JsonObject> {
    match object.object(key) {
        Ok(Some(o)) => Some(o),
        Ok(None) => {
            errors.push(FieldError::new(key, "es requerido"));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn check_email(errors: &mut Vec<FieldError>, customer: &JsonObject) {
    if let Some(email) = required(errors, customer, "email")
        && !is_email(&email)
    {
        errors.push(FieldError::new(
            customer.field_name("email"),
            "correo electrónico inválido",
        ));
    }
}

/// Epoch seconds; values in milliseconds (13 digits) are accepted too (ComproPago's
/// public documentation).
fn epoch_seconds(value: i64) -> i64 {
    if value > 100_000_000_000 {
        value / 1000
    } else {
        value
    }
}

fn parse_body(body: &[u8], url: &str, now: OffsetDateTime) -> Result<JsonObject, Response> {
    JsonObject::parse(body).map_err(|e| error_response(StatusCode::BAD_REQUEST, &e, url, now))
}

async fn create_order(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    body: Bytes,
) -> Response {
    let (url, now) = (uri.path(), sandbox.now());
    let object = match parse_body(&body, url, now) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mut errors = Vec::new();
    let (mut product_fields, mut customer_id) = (None, None);
    if let Some(product) = required_object(&mut errors, &object, "product") {
        let id = required(&mut errors, &product, "id");
        let name = required(&mut errors, &product, "name");
        let price = match product.decimal("price") {
            Ok(Some(p)) if p <= Decimal::ZERO => {
                errors.push(FieldError::new("product.price", "debe ser mayor que cero"));
                None
            }
            Ok(Some(p)) if !has_at_most_decimals(p, 2) => {
                errors.push(FieldError::new("product.price", "máximo 2 decimales"));
                None
            }
            Ok(Some(p)) => Some(p),
            Ok(None) => {
                errors.push(FieldError::new("product.price", "es requerido"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let currency =
            push(&mut errors, product.string("currency")).unwrap_or_else(|| "MXN".into());
        if currency != "MXN" {
            errors.push(FieldError::new("product.currency", "solo se admite MXN"));
        }
        let product_url = push(&mut errors, product.string("url"));
        if product_url.as_deref().is_some_and(|u| !is_http_url(u)) {
            errors.push(FieldError::new("product.url", "debe ser una URL"));
        }
        product_fields = Some((id, name, price, currency, product_url));
    }
    if let Some(customer) = required_object(&mut errors, &object, "customer") {
        customer_id = required(&mut errors, &customer, "id");
        required(&mut errors, &customer, "name");
        check_email(&mut errors, &customer);
    }
    if let Some(payment) = push(&mut errors, object.object("payment"))
        && let Some(kind) = push(&mut errors, payment.string("type"))
        && kind != "SPEI"
    {
        errors.push(FieldError::new("payment.type", "solo se admite SPEI"));
    }
    let expires_at = push(&mut errors, object.integer("expiresAt")).map(epoch_seconds);
    if expires_at.is_some_and(|t| t <= now.unix_timestamp()) {
        errors.push(FieldError::new("expiresAt", "debe ser una fecha futura"));
    }
    let (
        Some((Some(product_id), Some(product_name), Some(price), currency, product_url)),
        Some(customer_id),
        true,
    ) = (product_fields, customer_id, errors.is_empty())
    else {
        return validation_error(&errors, url, now);
    };
    let Some(customer) = object.raw_owned("customer") else {
        return validation_error(&[FieldError::new("customer", "es requerido")], url, now);
    };

    sandbox.update(|store| {
        let created = store.now().unix_timestamp();
        // Fee as in the API v2 reference's examples: 8 MXN + 1.5 %, IVA 16 % of the fee.
        let fee = (Decimal::new(8, 0) + price * Decimal::new(15, 3)).round_dp(2);
        let order = Order {
            id: format!("ch_{}", store.ids.uuid()),
            short_id: store.ids.hex(8).to_ascii_uppercase(),
            product_id,
            product_name,
            product_url,
            currency,
            price,
            customer,
            clabe: clabe_for_customer(store, &customer_id),
            fee,
            iva: (fee * Decimal::new(16, 2)).round_dp(2),
            status: "PENDING",
            created_at: created,
            updated_at: created,
            expires_at: expires_at.unwrap_or(created + DEFAULT_EXPIRY_SECONDS),
        };
        store
            .records
            .get_mut::<ComproPagoState>()
            .orders
            .push(order.clone());
        (
            success(
                store,
                "orders.create",
                "success.create",
                url,
                order_view(&order),
            ),
            Vec::new(),
        )
    })
}

async fn get_order(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    sandbox.update(|store| {
        let url = uri.path();
        let response = match store
            .records
            .get_mut::<ComproPagoState>()
            .orders
            .iter()
            .find(|o| o.id == id)
            .cloned()
        {
            // The API v2 reference shows this answer unwrapped; ComproPago's public
            // documentation and official SDKs say every v2 answer is wrapped, which wins.
            Some(order) => success(store, "orders.get", "success.get", url, order_view(&order)),
            None => error_response(
                StatusCode::NOT_FOUND,
                &format!("Orden {id} no encontrada"),
                url,
                store.now(),
            ),
        };
        (response, Vec::new())
    })
}

async fn create_clabe(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    body: Bytes,
) -> Response {
    let (url, now) = (uri.path(), sandbox.now());
    let object = match parse_body(&body, url, now) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mut errors = Vec::new();
    let mut customer_id = None;
    if let Some(customer) = required_object(&mut errors, &object, "customer") {
        customer_id = required(&mut errors, &customer, "id");
        check_email(&mut errors, &customer);
    }
    let (mut amount, mut exp_date) = (None, None);
    if let Some(payment) = required_object(&mut errors, &object, "payment") {
        // `frecuency` is the wire name, typo included.
        if let Some(frequency) = required(&mut errors, &payment, "frecuency")
            && frequency != "unlimited"
        {
            errors.push(FieldError::new("payment.frecuency", "opciones: unlimited"));
        }
        amount = push(&mut errors, payment.decimal("amount"));
        if amount.is_some_and(|a| a <= Decimal::ZERO || !has_at_most_decimals(a, 2)) {
            errors.push(FieldError::new(
                "payment.amount",
                "debe ser mayor que cero, con 2 decimales como máximo",
            ));
        }
        exp_date = push(&mut errors, payment.integer("exp_date")).map(epoch_seconds);
        if exp_date.is_some_and(|t| t <= now.unix_timestamp()) {
            errors.push(FieldError::new(
                "payment.exp_date",
                "debe ser una fecha futura",
            ));
        }
    }
    let (Some(customer_id), Some(customer), true) =
        (customer_id, object.raw_owned("customer"), errors.is_empty())
    else {
        return validation_error(&errors, url, now);
    };
    sandbox.update(|store| {
        let clabe = clabe_for_customer(store, &customer_id);
        let created = store.now().unix_timestamp();
        let data = ClabeView {
            customer: &customer,
            payment: ClabePaymentView {
                clabe: &clabe,
                frecuency: "unlimited",
                amount: amount.map(JsonNumber::plain),
                instructions: instructions("clabe"),
            },
            status: "ACTIVE",
            test_mode: true,
            created_at: created,
            updated_at: created,
            expires_at: exp_date,
        };
        (
            success(store, "orders.createClabe", "success.create", url, data),
            Vec::new(),
        )
    })
}

async fn create_account(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    body: Bytes,
) -> Response {
    let (url, now) = (uri.path(), sandbox.now());
    let object = match parse_body(&body, url, now) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mut errors = Vec::new();
    let name = required(&mut errors, &object, "name");
    let reference = required(&mut errors, &object, "reference");
    if let Some(customer) = required_object(&mut errors, &object, "customer") {
        required(&mut errors, &customer, "name");
        check_email(&mut errors, &customer);
    }
    let (Some(name), Some(reference), Some(customer), true) = (
        name,
        reference,
        object.raw_owned("customer"),
        errors.is_empty(),
    ) else {
        return validation_error(&errors, url, now);
    };
    sandbox.update(|store| {
        if store
            .records
            .get_mut::<ComproPagoState>()
            .accounts
            .iter()
            .any(|a| a.reference == reference)
        {
            let message = format!("Ya existe una cuenta con la referencia {reference}");
            return (
                validation_error(&[FieldError::new("reference", message)], url, store.now()),
                Vec::new(),
            );
        }
        let created = store.now().unix_timestamp();
        let account = Account {
            id: format!("acc_{}", store.ids.uuid()),
            name,
            reference,
            customer,
            clabe: new_clabe(store),
            balance: Decimal::ZERO,
            created_at: created,
            updated_at: created,
            transactions: Vec::new(),
        };
        store
            .records
            .get_mut::<ComproPagoState>()
            .accounts
            .push(account.clone());
        (
            success(
                store,
                "orders.createAccount",
                "success.create",
                url,
                account_view(&account),
            ),
            Vec::new(),
        )
    })
}

async fn list_accounts(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
) -> Response {
    sandbox.update(|store| {
        let accounts = store.records.get_mut::<ComproPagoState>().accounts.clone();
        let data: Vec<_> = accounts.iter().map(account_view).collect();
        (
            success(store, "accounts.list", "success.list", uri.path(), data),
            Vec::new(),
        )
    })
}

async fn get_account(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    sandbox.update(|store| {
        let url = uri.path();
        let response = match store
            .records
            .get_mut::<ComproPagoState>()
            .accounts
            .iter()
            .find(|a| a.id == id)
            .cloned()
        {
            // The account's sub-accounts, not the account (that is `GET /v2/accounts`).
            Some(account) => success(
                store,
                "accounts.get",
                "success.get",
                url,
                sub_accounts(&account),
            ),
            None => error_response(
                StatusCode::NOT_FOUND,
                &format!("Cuenta {id} no encontrada"),
                url,
                store.now(),
            ),
        };
        (response, Vec::new())
    })
}

async fn account_transactions(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let clabe = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "clabe")
        .map(|(_, v)| v.into_owned());
    sandbox.update(|store| {
        let url = uri.path();
        let Some(account) = store
            .records
            .get_mut::<ComproPagoState>()
            .accounts
            .iter()
            .find(|a| a.id == id)
            .cloned()
        else {
            return (
                error_response(
                    StatusCode::NOT_FOUND,
                    &format!("Cuenta {id} no encontrada"),
                    url,
                    store.now(),
                ),
                Vec::new(),
            );
        };
        let data: Vec<DepositView<'_>> = account
            .transactions
            .iter()
            .filter(|_| clabe.as_deref().is_none_or(|c| c == account.clabe))
            .map(|d| DepositView {
                id: &d.id,
                date: d.created_at.to_string(),
                amount: JsonNumber::fixed(d.amount, 2),
                status: "paid",
                description: "Abono",
                reference: &d.reference,
                clabe: &account.clabe,
            })
            .collect();
        (
            success(store, "accounts.transactions", "success.list", url, data),
            Vec::new(),
        )
    })
}

// ---------------------------------------------------------------------------------------
// Life cycle

fn webhook(store: &Store, order: &Order) -> Option<Outgoing> {
    let url = store.webhooks.get(&Provider::ComproPago)?;
    Some(Outgoing {
        provider: Provider::ComproPago,
        url: url.clone(),
        content_type: "application/json",
        body: serde_json::to_vec(&order_view(order)).unwrap_or_default(),
        receipt: None,
    })
}

/// Expires every `PENDING` order whose `expiresAt` has passed.
pub(crate) fn sweep(store: &mut Store) -> Vec<Outgoing> {
    let now = store.now().unix_timestamp();
    let mut expired = Vec::new();
    for order in &mut store.records.get_mut::<ComproPagoState>().orders {
        if order.status == "PENDING" && order.expires_at <= now {
            order.status = "EXPIRED";
            order.updated_at = now;
            expired.push(order.clone());
        }
    }
    expired.iter().filter_map(|o| webhook(store, o)).collect()
}

/// Pays (→ `ACCEPTED`) or expires (→ `EXPIRED`) a `PENDING` order, sending the webhook;
/// or deposits `amount` to an account's CLABE.
pub(crate) fn payer_action(
    store: &mut Store,
    id: &str,
    action: PayerAction,
    amount: Option<Decimal>,
) -> Result<(ActionOutcome, Vec<Outgoing>), Error> {
    let now = store.now().unix_timestamp();
    let outcome = |status: &str| ActionOutcome::new(Provider::ComproPago, id, status);
    if let Some(index) = store
        .records
        .get_mut::<ComproPagoState>()
        .accounts
        .iter()
        .position(|a| a.id == id)
    {
        if action != PayerAction::Pay {
            return Err(Error::Unsupported {
                provider: Provider::ComproPago,
                action: action.as_str().into(),
            });
        }
        let amount = amount.filter(|a| *a > Decimal::ZERO).ok_or_else(|| {
            Error::Invalid("a deposit to a ComproPago account needs a positive amount".into())
        })?;
        let deposit_id = format!("tr_{}", store.ids.uuid());
        let reference = store.ids.digits(18);
        let account = &mut store.records.get_mut::<ComproPagoState>().accounts[index];
        account.balance += amount;
        account.updated_at = now;
        account.transactions.push(Deposit {
            id: deposit_id.clone(),
            amount,
            created_at: now,
            reference,
        });
        let mut done = outcome("ACTIVE");
        done.created_id = Some(deposit_id);
        return Ok((done, Vec::new()));
    }
    let status = match action {
        PayerAction::Pay => "ACCEPTED",
        PayerAction::Expire => "EXPIRED",
        other => {
            return Err(Error::Unsupported {
                provider: Provider::ComproPago,
                action: other.as_str().into(),
            });
        }
    };
    let order = store
        .records
        .get_mut::<ComproPagoState>()
        .orders
        .iter_mut()
        .find(|o| o.id == id)
        .ok_or_else(|| Error::NotFound {
            provider: Provider::ComproPago,
            id: id.to_string(),
        })?;
    if order.status != "PENDING" {
        return Err(Error::NotAllowed {
            provider: Provider::ComproPago,
            id: id.to_string(),
            message: format!("the order is {}", order.status),
        });
    }
    order.status = status;
    order.updated_at = now;
    if status == "EXPIRED" {
        order.expires_at = now;
    }
    let order = order.clone();
    Ok((
        outcome(status),
        webhook(store, &order).into_iter().collect(),
    ))
}

/// The checkout page's summary: `(title, amount, status)`.
pub(crate) fn summary(store: &Store, id: &str) -> Option<(String, String, String)> {
    store
        .records
        .get::<ComproPagoState>()
        .orders
        .iter()
        .find(|o| o.id == id)
        .map(|o| {
            (
                o.product_name.clone(),
                format!("{} {} (CLABE {})", fixed(o.price, 2), o.currency, o.clabe),
                o.status.into(),
            )
        })
}

// ---------------------------------------------------------------------------------------
// The simulated provider

/// ComproPago API v2.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ComproPago;

impl SimulatedProvider for ComproPago {
    fn name(&self) -> &'static str {
        "compropago"
    }

    fn base_path(&self) -> &'static str {
        "/compropago"
    }

    fn records(&self, config: &SandboxConfig) -> Box<dyn Records> {
        let _ = config;
        Box::new(ComproPagoState::default())
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
        counts.compropago_orders = order_count(store);
        counts.compropago_accounts = account_count(store);
    }

    fn fault_response(
        &self,
        status: StatusCode,
        message: &str,
        route: &str,
        now: OffsetDateTime,
    ) -> Response {
        error_response(status, message, route, now)
    }

    fn checkout(&self, store: &Store, id: &str) -> Option<Checkout> {
        summary(store, id).map(|(title, amount, status)| Checkout {
            title,
            amount,
            status,
        })
    }
}
