//! KashIO Payments, served under `/kashio/v1/payments`.
//!
//! HTTP Basic with the secret key as user name, password ignored and normally empty.
//! Invoices go `NEW` → `PAID` (the payer pays) / `EXPIRED` (the clock passes
//! `expiration_datetime`, or the control API) / `VOIDED` (`DELETE`); paying and
//! expiring record the events `invoice.paid` and `invoice.expired`, which are also
//! POSTed to a KashIO webhook when one is registered (the event's `status` then becomes
//! `notified` or `failed`). Zone-less timestamps are UTC instants.
//!
//! KashIO documents no error body, so the sandbox answers errors (400, 401, 404) with
//! `{"error":{"code":"...","message":"...","param":"..."}}`; `param` names the offending
//! field when there is one.
//!
//! The accepted currencies and their decimals are [`CURRENCIES`]; the only item of this
//! module that is public, so that tests can check it against the SDK's table.

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
use state::KashioState;

/// The currencies the simulated KashIO accepts, with the decimals of their amounts:
/// `PEN` (the only one KashIO's API document shows) and `USD` (the other currency of
/// Peru's banking system), both with 2 ("Usar 2 decimales"). Anything else is
/// refused on `currency`; an amount with more decimals on `amount`.
pub const CURRENCIES: &[(&str, u32)] = &[("PEN", 2), ("USD", 2)];

/// The decimals [`CURRENCIES`] gives `code`, or `None` when it is not accepted.
pub(crate) fn currency_decimals(code: &str) -> Option<u32> {
    CURRENCIES.iter().find(|(c, _)| *c == code).map(|(_, d)| *d)
}

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

    fn records(&self, _config: &SandboxConfig) -> Box<dyn Records> {
        Box::new(KashioState::default())
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
        payer::expire_due(store)
    }

    fn count(&self, store: &Store, counts: &mut RecordCounts) {
        counts.kashio_invoices = store.records.get::<KashioState>().invoices.len();
    }

    fn fault_response(
        &self,
        status: StatusCode,
        message: &str,
        _route: &str,
        _now: OffsetDateTime,
    ) -> Response {
        Rejection::new(status, "sandbox_fault", message).into_response()
    }

    fn checkout(&self, store: &Store, id: &str) -> Option<Checkout> {
        render::checkout(store.records.get(), id)
    }

    fn delivery_ended(&self, store: &mut Store, receipt: &str, delivered: bool) {
        payer::event_delivered(store.records.get_mut(), receipt, delivered);
    }
}
