//! How ComproPago records are rendered: the `{object, code, status, message, request,
//! url, map, data}` envelope around orders, accounts, sub-accounts, deposits and CLABEs,
//! and the checkout page's summary.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::json;
use serde_json::value::RawValue;
use time::OffsetDateTime;

use super::state::{Account, ComproPagoState, Order};
use crate::simulated::Checkout;
use crate::state::Store;
use crate::wire::{JsonNumber, fixed, json_response};

/// An instant as epoch milliseconds (the envelope's `request`).
pub(super) fn epoch_ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// A success answer in ComproPago's envelope.
pub(super) fn success<T: Serialize>(
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

/// ComproPago's envelope, around successes and errors alike.
#[derive(Serialize)]
pub(super) struct Envelope<'a, T> {
    pub(super) object: &'a str,
    pub(super) code: u16,
    pub(super) status: &'a str,
    pub(super) message: &'a str,
    pub(super) request: i64,
    pub(super) url: &'a str,
    pub(super) map: Option<String>,
    pub(super) data: Option<T>,
}

pub(super) fn instructions(kind: &str) -> serde_json::Value {
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
pub(super) struct OrderView<'a> {
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

pub(super) fn order_view(order: &Order) -> OrderView<'_> {
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
pub(super) struct AccountView<'a> {
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

pub(super) fn account_view(account: &Account) -> AccountView<'_> {
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
pub(super) struct SubAccountView<'a> {
    id: &'a str,
    name: String,
    clabe: &'a str,
}

pub(super) fn sub_accounts(account: &Account) -> Vec<SubAccountView<'_>> {
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
pub(super) struct DepositView<'a> {
    pub(super) id: &'a str,
    pub(super) date: String,
    pub(super) amount: JsonNumber,
    pub(super) status: &'static str,
    pub(super) description: &'static str,
    pub(super) reference: &'a str,
    pub(super) clabe: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ClabeView<'a> {
    pub(super) customer: &'a RawValue,
    pub(super) payment: ClabePaymentView<'a>,
    pub(super) status: &'static str,
    pub(super) test_mode: bool,
    pub(super) created_at: i64,
    pub(super) updated_at: i64,
    pub(super) expires_at: Option<i64>,
}

#[derive(Serialize)]
pub(super) struct ClabePaymentView<'a> {
    pub(super) clabe: &'a str,
    /// The wire name keeps ComproPago's typo.
    pub(super) frecuency: &'static str,
    pub(super) amount: Option<JsonNumber>,
    pub(super) instructions: serde_json::Value,
}

/// The checkout page's summary: the product, price with the CLABE to pay to, status.
pub(super) fn checkout(compropago: &ComproPagoState, id: &str) -> Option<Checkout> {
    compropago
        .orders
        .iter()
        .find(|o| o.id == id)
        .map(|o| Checkout {
            title: o.product_name.clone(),
            amount: format!("{} {} (CLABE {})", fixed(o.price, 2), o.currency, o.clabe),
            status: o.status.into(),
        })
}
