//! ComproPago API v2, served under `/compropago` (paths `/v2/...`).
//!
//! HTTP Basic with user = private key and password = public key (every official SDK
//! sends `sk:pk`, although the ComproPago API v2 reference's prose says "key as user, no
//! password") (`auth`). Every answer, errors included, is wrapped in
//! `{object, code, status, message, request, url, map, data}`; the HTTP status equals
//! `code` (`render`, `error`). Orders go `PENDING` → `ACCEPTED` (the payer pays) /
//! `EXPIRED` (`expiresAt` passes, or the control API) (`payer`). Both transitions POST
//! the order JSON to the ComproPago webhook registered with
//! `PUT /_sandbox/webhooks/compropago` (or the config), if any. The same `customer.id`
//! always gets the same CLABE.
//!
//! Public here: [`CURRENCIES`], the currencies and decimals the simulated API accepts
//! (compared with the SDK's table by a test in `tests/`).

mod auth;
mod error;
mod handlers;
mod payer;
mod render;
mod state;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use time::OffsetDateTime;

use crate::Error;
use crate::config::SandboxConfig;
use crate::control::{PayerAction, RecordCounts};
use crate::notify::Outgoing;
use crate::simulated::{Acted, Checkout, SimulatedProvider};
use crate::state::{Records, Sandbox, Store};
use error::Rejection;
use state::ComproPagoState;

/// The currencies the simulated ComproPago accepts, with the decimals of each: MXN with
/// two (the ComproPago API v2 reference charges SPEI orders in MXN only).
pub const CURRENCIES: &[(&str, u32)] = &[("MXN", 2)];

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

    fn records(&self, _config: &SandboxConfig) -> Box<dyn Records> {
        Box::new(ComproPagoState::default())
    }

    fn router(&self) -> Router<Arc<Sandbox>> {
        handlers::router()
    }

    fn act(
        &self,
        store: &mut Store,
        id: &str,
        action: PayerAction,
        amount: Option<Decimal>,
    ) -> Result<Acted, Error> {
        payer::act(store, id, action, amount)
    }

    fn sweep(&self, store: &mut Store) -> Vec<Outgoing> {
        payer::expire_due(store)
    }

    fn count(&self, store: &Store, counts: &mut RecordCounts) {
        let compropago: &ComproPagoState = store.records.get();
        counts.compropago_orders = compropago.orders.len();
        counts.compropago_accounts = compropago.accounts.len();
    }

    fn fault_response(
        &self,
        status: StatusCode,
        message: &str,
        route: &str,
        now: OffsetDateTime,
    ) -> Response {
        Rejection::new(status, message, route, now).into_response()
    }

    fn checkout(&self, store: &Store, id: &str) -> Option<Checkout> {
        render::checkout(store.records.get(), id)
    }
}
