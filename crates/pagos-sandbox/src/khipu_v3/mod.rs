//! Khipu API 3.0 and Automatic Payments (PAC) v1, served under `/khipu_v3` laid out as
//! Khipu's host `payment-api.khipu.com`: `/v3/...` for instant payments and
//! `/v1/automatic-payment/...` for PAC, so a 3.0 client needs only its base URL changed.
//!
//! Every request carries `x-api-key` ([`auth`]); bodies are JSON both ways, amounts never
//! pass through `f64` ([`validate`], [`render`]); errors are Khipu's
//! `{"status","message","errors":[{"field","message"}]}` and PAC's 422 `ChargeError`
//! ([`error`]). Payments go `pending` → `verifying` → `done` when the payer pays
//! ([`payer`]), then may be confirmed, voided or refunded ([`handlers`]); a paid
//! payment with a `notify_url` gets the 3.0 webhook signed with the merchant secret
//! (`x-khipu-signature: t=<ms>,s=<base64 HMAC-SHA256>`). PAC subscriptions and charges
//! are in [`pac`].

mod auth;
mod error;
mod handlers;
mod pac;
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

pub use render::khipu_v3_signature;

use crate::Error;
use crate::config::SandboxConfig;
use crate::control::{PayerAction, RecordCounts};
use crate::simulated::{Acted, Checkout, SimulatedProvider};
use crate::state::{Clock, Records, Sandbox, Store};
use error::Rejection;
use state::KhipuV3State;

/// Khipu API 3.0 and PAC v1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KhipuV3;

impl SimulatedProvider for KhipuV3 {
    fn name(&self) -> &'static str {
        "khipu_v3"
    }

    fn base_path(&self) -> &'static str {
        "/khipu_v3"
    }

    fn records(&self, config: &SandboxConfig) -> Box<dyn Records> {
        let now = Clock::new(config.clock).now();
        Box::new(KhipuV3State::new(&config.credentials, now))
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
        let state = store.records.get::<KhipuV3State>();
        counts.khipu_v3_payments = state.payments.len();
        counts.khipu_v3_refunds = state.refund_count();
        counts.khipu_pac_subscriptions = state.subscriptions.len();
    }

    fn fault_response(
        &self,
        status: StatusCode,
        message: &str,
        route: &str,
        _now: OffsetDateTime,
    ) -> Response {
        if status == StatusCode::UNPROCESSABLE_ENTITY && route.starts_with("/v1/automatic-payment")
        {
            return Rejection::charge("INVALID_PAYLOAD", message).into_response();
        }
        Rejection::new(status, message).into_response()
    }

    fn checkout(&self, store: &Store, id: &str) -> Option<Checkout> {
        render::checkout(store.records.get(), id)
    }
}
