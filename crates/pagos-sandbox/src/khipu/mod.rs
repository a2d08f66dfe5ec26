//! Khipu REST API 2.0, served under `/khipu/api/2.0`.
//!
//! Every request must carry `Authorization: <receiver_id>:<hex>` where `hex` is the
//! HMAC-SHA256 signature of Khipu's official clients, recomputed here over the URL as
//! received (`http://` + `Host` + path, no query) and the query and form parameters
//! (`auth`). Bodies are form-encoded; answers are JSON (`render`), errors Khipu's
//! `{"status","message"}` and validation bodies (`error`). Payments go `pending` →
//! `verifying` → `done` when the payer pays (`payer`); a done payment with a
//! `notify_url` triggers the 1.3 notification (`api_version=1.3&notification_token=...`).

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

pub use auth::khipu_signature;

/// The currencies a Khipu payment may be in, under both APIs, with the decimals each
/// may carry: Khipu's API documents list the codes, and amounts take "up to 4 decimal
/// places, depending on the currency" (CLP none, CLF 4, the others 2).
pub const CURRENCIES: &[(&str, u32)] = &[
    ("CLP", 0),
    ("CLF", 4),
    ("ARS", 2),
    ("PEN", 2),
    ("MXN", 2),
    ("USD", 2),
    ("EUR", 2),
    ("BOB", 2),
    ("COP", 2),
];

/// The decimals of `currency` in [`CURRENCIES`], or `None` when Khipu does not take it.
pub(crate) fn currency_decimals(currency: &str) -> Option<u32> {
    CURRENCIES
        .iter()
        .find(|(code, _)| *code == currency)
        .map(|(_, decimals)| *decimals)
}

use crate::Error;
use crate::config::SandboxConfig;
use crate::control::{PayerAction, RecordCounts};
use crate::simulated::{Acted, Checkout, SimulatedProvider};
use crate::state::{Records, Sandbox, Store};
use error::Rejection;
use state::KhipuState;

/// Khipu REST API 2.0.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Khipu;

impl SimulatedProvider for Khipu {
    fn name(&self) -> &'static str {
        "khipu"
    }

    fn base_path(&self) -> &'static str {
        "/khipu/api/2.0"
    }

    fn records(&self, config: &SandboxConfig) -> Box<dyn Records> {
        Box::new(KhipuState::new(&config.credentials))
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

    fn count(&self, store: &Store, counts: &mut RecordCounts) {
        counts.khipu_payments = store.records.get::<KhipuState>().payments.len();
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
