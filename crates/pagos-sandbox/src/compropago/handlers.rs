//! ComproPago's API routes: SPEI orders, CLABEs, accounts, sub-accounts and the
//! transactions received on them.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::CURRENCIES;
use super::auth::ComproPagoAuth;
use super::error::Rejection;
use super::render::{
    ClabePaymentView, ClabeView, DepositView, account_view, instructions, order_view, sub_accounts,
    success,
};
use super::state::{Account, ComproPagoState, Order, clabe_for_customer, new_clabe};
use crate::state::{Sandbox, Store};
use crate::wire::{
    FieldError, JsonNumber, JsonObject, has_at_most_decimals, is_email, is_http_url, route,
};

/// Orders without `expiresAt` can be paid for 72 hours.
const DEFAULT_EXPIRY_SECONDS: i64 = 72 * 3600;

pub(super) fn router() -> Router<Arc<Sandbox>> {
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
        Rejection::new(
            StatusCode::NOT_FOUND,
            "Recurso no encontrado",
            uri.path(),
            sandbox.now(),
        )
    })
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

/// `customer.phone`, when sent: plain digits, 4 to 10 of them, as the ComproPago API v2
/// reference shows it (`5513899832`, and `6666` in its `createAccount` example). A
/// `+52`, spaces or dashes are refused: the SMS instructions go to digits only.
fn check_phone(errors: &mut Vec<FieldError>, customer: &JsonObject) {
    if let Some(phone) = push(errors, customer.string("phone"))
        && !((4..=10).contains(&phone.len()) && phone.bytes().all(|b| b.is_ascii_digit()))
    {
        errors.push(FieldError::new(
            customer.field_name("phone"),
            "teléfono inválido: solo dígitos, 10 como máximo",
        ));
    }
}

/// The decimals [`CURRENCIES`] gives `currency`, or `None` when it is not accepted.
fn decimals_of(currency: &str) -> Option<u32> {
    CURRENCIES
        .iter()
        .find(|(c, _)| *c == currency)
        .map(|(_, d)| *d)
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

fn parse_body(body: &[u8], url: &str, now: OffsetDateTime) -> Result<JsonObject, Rejection> {
    JsonObject::parse(body).map_err(|e| Rejection::new(StatusCode::BAD_REQUEST, e, url, now))
}

async fn create_order(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let (url, now) = (uri.path(), sandbox.now());
    let object = parse_body(&body, url, now)?;
    let mut errors = Vec::new();
    let (mut product_fields, mut customer_id) = (None, None);
    if let Some(product) = required_object(&mut errors, &object, "product") {
        let id = required(&mut errors, &product, "id");
        let name = required(&mut errors, &product, "name");
        let currency =
            push(&mut errors, product.string("currency")).unwrap_or_else(|| "MXN".into());
        let decimals = decimals_of(&currency);
        if decimals.is_none() {
            errors.push(FieldError::new("product.currency", "solo se admite MXN"));
        }
        let price = match product.decimal("price") {
            Ok(Some(p)) if p <= Decimal::ZERO => {
                errors.push(FieldError::new("product.price", "debe ser mayor que cero"));
                None
            }
            Ok(Some(p)) if !has_at_most_decimals(p, decimals.unwrap_or(2)) => {
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
        check_phone(&mut errors, &customer);
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
        return Err(Rejection::validation(errors, url, now));
    };
    let Some(customer) = object.raw_owned("customer") else {
        return Err(Rejection::validation(
            vec![FieldError::new("customer", "es requerido")],
            url,
            now,
        ));
    };

    Ok(sandbox.with_store(|store| {
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
        success(
            store,
            "orders.create",
            "success.create",
            url,
            order_view(&order),
        )
    }))
}

async fn get_order(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.with_store(|store| {
        let url = uri.path();
        let order = store
            .records
            .get::<ComproPagoState>()
            .orders
            .iter()
            .find(|o| o.id == id)
            .cloned()
            .ok_or_else(|| {
                Rejection::new(
                    StatusCode::NOT_FOUND,
                    format!("Orden {id} no encontrada"),
                    url,
                    store.now(),
                )
            })?;
        // The API v2 reference shows this answer unwrapped; ComproPago's public
        // documentation and official SDKs say every v2 answer is wrapped, which wins.
        Ok(success(
            store,
            "orders.get",
            "success.get",
            url,
            order_view(&order),
        ))
    })
}

async fn create_clabe(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let (url, now) = (uri.path(), sandbox.now());
    let object = parse_body(&body, url, now)?;
    let mut errors = Vec::new();
    let mut customer_id = None;
    if let Some(customer) = required_object(&mut errors, &object, "customer") {
        customer_id = required(&mut errors, &customer, "id");
        check_email(&mut errors, &customer);
        check_phone(&mut errors, &customer);
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
        // createClabe takes no currency: its amounts are MXN.
        let decimals = decimals_of("MXN").unwrap_or(2);
        if amount.is_some_and(|a| a <= Decimal::ZERO || !has_at_most_decimals(a, decimals)) {
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
        return Err(Rejection::validation(errors, url, now));
    };
    Ok(sandbox.with_store(|store| {
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
        success(store, "orders.createClabe", "success.create", url, data)
    }))
}

async fn create_account(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    body: Bytes,
) -> Result<impl IntoResponse, Rejection> {
    let (url, now) = (uri.path(), sandbox.now());
    let object = parse_body(&body, url, now)?;
    let mut errors = Vec::new();
    let name = required(&mut errors, &object, "name");
    let reference = required(&mut errors, &object, "reference");
    if let Some(customer) = required_object(&mut errors, &object, "customer") {
        required(&mut errors, &customer, "name");
        check_email(&mut errors, &customer);
        check_phone(&mut errors, &customer);
    }
    let (Some(name), Some(reference), Some(customer), true) = (
        name,
        reference,
        object.raw_owned("customer"),
        errors.is_empty(),
    ) else {
        return Err(Rejection::validation(errors, url, now));
    };
    sandbox.with_store(|store| {
        if store
            .records
            .get::<ComproPagoState>()
            .accounts
            .iter()
            .any(|a| a.reference == reference)
        {
            let message = format!("Ya existe una cuenta con la referencia {reference}");
            return Err(Rejection::validation(
                vec![FieldError::new("reference", message)],
                url,
                store.now(),
            ));
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
        Ok(success(
            store,
            "orders.createAccount",
            "success.create",
            url,
            account_view(&account),
        ))
    })
}

async fn list_accounts(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
) -> impl IntoResponse {
    sandbox.with_store(|store| {
        let accounts = store.records.get::<ComproPagoState>().accounts.clone();
        let data: Vec<_> = accounts.iter().map(account_view).collect();
        success(store, "accounts.list", "success.list", uri.path(), data)
    })
}

/// 404 for an unknown account.
fn account_not_found(id: &str, url: &str, store: &Store) -> Rejection {
    Rejection::new(
        StatusCode::NOT_FOUND,
        format!("Cuenta {id} no encontrada"),
        url,
        store.now(),
    )
}

async fn get_account(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, Rejection> {
    sandbox.with_store(|store| {
        let url = uri.path();
        let account = store
            .records
            .get::<ComproPagoState>()
            .accounts
            .iter()
            .find(|a| a.id == id)
            .cloned()
            .ok_or_else(|| account_not_found(&id, url, store))?;
        // The account's sub-accounts, not the account (that is `GET /v2/accounts`).
        Ok(success(
            store,
            "accounts.get",
            "success.get",
            url,
            sub_accounts(&account),
        ))
    })
}

async fn account_transactions(
    State(sandbox): State<Arc<Sandbox>>,
    _auth: ComproPagoAuth,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, Rejection> {
    let clabe = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "clabe")
        .map(|(_, v)| v.into_owned());
    sandbox.with_store(|store| {
        let url = uri.path();
        let account = store
            .records
            .get::<ComproPagoState>()
            .accounts
            .iter()
            .find(|a| a.id == id)
            .cloned()
            .ok_or_else(|| account_not_found(&id, url, store))?;
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
        Ok(success(
            store,
            "accounts.transactions",
            "success.list",
            url,
            data,
        ))
    })
}
