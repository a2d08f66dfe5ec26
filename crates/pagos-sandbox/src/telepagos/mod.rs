//! TelePagos ("API Telepagos Empresas"), served under `/telepagos` (paths `/v2/...`).
//!
//! `POST v2/auth/token` returns a bearer token with `expires_at` in epoch seconds; every
//! other call needs `Authorization: Bearer <token>` (401 when missing or expired)
//! (`auth`). Answers carry `status` (`"ok"`, or `"error"` with `message`) (`error`).
//! Errors use 400 (validation), 401, 404 and 409 (a `reference_id` reused with different
//! data); a refused cash-out for insufficient balance answers HTTP 200 with
//! `status:"error"`, since TelePagos's public documentation warns errors may come with a
//! 2xx status and clients must check the body.
//!
//! Cash-outs debit the balance and are idempotent on `reference_id` (`handlers`).
//!
//! Zoneless times (`expiration_date` `Y-m-d H:i:s`, the transactions' `date`, the
//! `date_from`/`date_to` days and the statistics periods) are Argentina time, UTC−3:
//! the TelePagos API does not say, and a local PHP-style format suggests local time.
//! The `GET`s the TelePagos API documents with a JSON body (`sale-point/static`,
//! `account/transactions`) take their parameters from that body or from the query.
//! A cash-in's id is its transaction's id (the `id` of its transactions row, not a
//! field the TelePagos API lists). Statistics cover their `period`: a date, a month
//! (`Y-m`), a year, or `day`, `week`, `month`, `year`; anything else is a 400.
//! Cash-in by QR, payment link or transfer link is credited when the payer pays (control
//! API), creating a cash-in record and a transaction (`payer`). Dynamic QR orders can be
//! paid for one hour, links until their `expiration_date`.

/// The currencies the simulated TelePagos accepts, `(ISO code, decimals)`: amounts are
/// ARS with 2 decimals. (The sandbox's own table; a test in `tests/` checks it against
/// the SDK's.)
pub const CURRENCIES: &[(&str, u32)] = &[("ARS", 2)];

mod auth;
mod error;
mod handlers;
mod payer;
mod render;
mod state;
mod validate;

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
use crate::simulated::{Acted, Balance, Checkout, SimulatedProvider};
use crate::state::{Records, Sandbox, Store};
use error::Rejection;
use state::TelePagosState;

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
        handlers::router()
    }

    fn act(
        &self,
        store: &mut Store,
        id: &str,
        action: PayerAction,
        _amount: Option<Decimal>,
    ) -> Result<Acted, Error> {
        payer::act(store, id, action)
    }

    fn sweep(&self, store: &mut Store) -> Vec<Outgoing> {
        payer::expire_due(store);
        Vec::new()
    }

    fn count(&self, store: &Store, counts: &mut RecordCounts) {
        let telepagos: &TelePagosState = store.records.get();
        counts.telepagos_cashouts = telepagos.cashouts.len();
        counts.telepagos_payables = telepagos.payables.len();
        counts.telepagos_cashins = telepagos.cashins.len();
    }

    fn balance(&self, store: &Store) -> Option<Balance> {
        Some(Balance {
            amount: store.records.get::<TelePagosState>().balance,
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
        Rejection::new(status, message).into_response()
    }

    fn checkout(&self, store: &Store, id: &str) -> Option<Checkout> {
        render::checkout(store.records.get(), id)
    }
}
