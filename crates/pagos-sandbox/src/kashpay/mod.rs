//! Kashpay (Onsigna), served under `/kashpay`: `POST /AuthenticationService/authenticate`
//! and `POST /OKPay/createOrder` (the real service splits them over two hosts; here one
//! base URL serves both).
//!
//! Authentication issues an HS512 JWT (`exp` claim) with `expires` in milliseconds as a
//! string (`auth`). `createOrder` requires `Authorization: Bearer <token>` and
//! `Entity-i: <entity>`. Every answer carries `success`; failures are
//! `{"success":false,"error":{"name","message","code"}}` (`error`) — 401 for
//! authentication, 400 for validation, and HTTP 200 for a business refusal (insufficient
//! funds), because Kashpay reports failures in the body whatever the HTTP status. Orders
//! are applied at once (status 25) and move the entity's balance (`handlers`), so there
//! is no payer action.
//!
//! Public here: [`CURRENCIES`], the currencies and decimals the simulated API accepts
//! (sent as the ISO numeric code, `484` for MXN).

/// The currencies the simulated Kashpay accepts, with the decimals of each: MXN with two
/// (`currency` is the ISO-4217 numeric code, `484` by default in the Kashpay API).
pub const CURRENCIES: &[(&str, u32)] = &[("MXN", 2)];

mod auth;
mod error;
mod handlers;
mod render;
mod state;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use time::OffsetDateTime;

use crate::Error;
use crate::config::{Provider, SandboxConfig};
use crate::control::{PayerAction, RecordCounts};
use crate::simulated::{Acted, Balance, SimulatedProvider};
use crate::state::{Records, Sandbox, Store};
use error::Rejection;
use state::KashpayState;

/// Kashpay (Onsigna).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kashpay;

impl SimulatedProvider for Kashpay {
    fn name(&self) -> &'static str {
        "kashpay"
    }

    fn base_path(&self) -> &'static str {
        "/kashpay"
    }

    fn records(&self, config: &SandboxConfig) -> Box<dyn Records> {
        Box::new(KashpayState::new(config.kashpay_initial_balance))
    }

    fn router(&self) -> Router<Arc<Sandbox>> {
        handlers::router()
    }

    /// Kashpay orders are applied when created: there is nothing for a payer to do.
    fn act(
        &self,
        _store: &mut Store,
        _id: &str,
        action: PayerAction,
        _amount: Option<Decimal>,
    ) -> Result<Acted, Error> {
        Err(Error::Unsupported {
            provider: Provider::Kashpay,
            action: action.as_str().into(),
        })
    }

    fn count(&self, store: &Store, counts: &mut RecordCounts) {
        counts.kashpay_orders = store.records.get::<KashpayState>().order_count();
    }

    fn balance(&self, store: &Store) -> Option<Balance> {
        Some(Balance {
            amount: store.records.get::<KashpayState>().balance,
            currency: "MXN",
        })
    }

    fn fault_response(
        &self,
        status: StatusCode,
        message: &str,
        _route: &str,
        _now: OffsetDateTime,
    ) -> Response {
        Rejection::new(
            status,
            "SandboxFaultException",
            message,
            i64::from(status.as_u16()),
        )
        .into_response()
    }
}
