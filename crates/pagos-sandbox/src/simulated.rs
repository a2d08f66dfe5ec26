//! What a simulated provider is: the [`SimulatedProvider`] trait, and the one list that
//! maps each [`Provider`] to its implementation.
//!
//! Everything the shared code does "for each provider" or "for this provider" goes through
//! the trait: nesting its routes, building its records at start and on reset, payer
//! actions, time-based expiries, record counts, balances, the error body of an injected
//! fault, the checkout page and the end of a notification's delivery. Adding a sixth
//! provider means a directory implementing the trait, its [`Provider`] variant, and one
//! line in [`simulator`].

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use rust_decimal::Decimal;
use time::OffsetDateTime;

use crate::Error;
use crate::config::{Provider, SandboxConfig};
use crate::control::{ActionOutcome, PayerAction, RecordCounts};
use crate::notify::Outgoing;
use crate::state::{Records, Sandbox, Store};
use crate::{compropago, kashio, kashpay, khipu, khipu_v3, telepagos};

/// What a payer action did: the record's new state, and the notifications it causes
/// (sent once the store is unlocked).
pub(crate) type Acted = (ActionOutcome, Vec<Outgoing>);

/// A provider's balance as the sandbox keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Balance {
    /// The amount.
    pub amount: Decimal,
    /// Its ISO 4217 code (`MXN`, `ARS`).
    pub currency: &'static str,
}

/// The checkout page's summary of a payable record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checkout {
    /// What is being paid (a subject, a product name).
    pub(crate) title: String,
    /// The amount as shown to the payer, currency included.
    pub(crate) amount: String,
    /// The record's status in the provider's words.
    pub(crate) status: String,
}

/// One simulated payment API.
///
/// Implemented by a unit struct in the provider's directory (`khipu::Khipu`, ...). Every
/// method that takes the [`Store`] runs with the store locked: it must not block or
/// await.
pub(crate) trait SimulatedProvider: Sync {
    /// The lowercase name used in control-API paths and JSON (`khipu`).
    fn name(&self) -> &'static str;

    /// The path the provider is served under (`/khipu/api/2.0`).
    fn base_path(&self) -> &'static str;

    /// The provider's records as they are at start and after every reset.
    fn records(&self, config: &SandboxConfig) -> Box<dyn Records>;

    /// The provider's API, nested under [`SimulatedProvider::base_path`].
    fn router(&self) -> Router<Arc<Sandbox>>;

    /// Applies a payer action to the record `id` (`amount` only for actions that take
    /// one, such as a deposit).
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::NotAllowed`] (the record's state forbids it),
    /// [`Error::Unsupported`] (no such action here), [`Error::Invalid`] (bad input).
    fn act(
        &self,
        store: &mut Store,
        id: &str,
        action: PayerAction,
        amount: Option<Decimal>,
    ) -> Result<Acted, Error>;

    /// Applies the time-based transitions that are due (expiries), returning the
    /// notifications they cause. Runs before every store update.
    fn sweep(&self, _store: &mut Store) -> Vec<Outgoing> {
        Vec::new()
    }

    /// Writes the provider's record counts into its fields of `counts`.
    fn count(&self, store: &Store, counts: &mut RecordCounts);

    /// The provider's balance, for those that keep one.
    fn balance(&self, _store: &Store) -> Option<Balance> {
        None
    }

    /// The provider's own error answer for an injected fault with this status; `route`
    /// is the path below the base path.
    fn fault_response(
        &self,
        status: StatusCode,
        message: &str,
        route: &str,
        now: OffsetDateTime,
    ) -> Response;

    /// The checkout page's summary of the record `id`, for providers whose answers link
    /// to a payer page.
    fn checkout(&self, _store: &Store, _id: &str) -> Option<Checkout> {
        None
    }

    /// A notification this provider sent with [`Outgoing::receipt`] set has been
    /// delivered (or given up on).
    fn delivery_ended(&self, _store: &mut Store, _receipt: &str, _delivered: bool) {}
}

/// The implementation of each provider: the one place that maps [`Provider`] to it.
pub(crate) fn simulator(provider: Provider) -> &'static dyn SimulatedProvider {
    match provider {
        Provider::Khipu => &khipu::Khipu,
        Provider::Kashio => &kashio::Kashio,
        Provider::ComproPago => &compropago::ComproPago,
        Provider::Kashpay => &kashpay::Kashpay,
        Provider::TelePagos => &telepagos::TelePagos,
        Provider::KhipuV3 => &khipu_v3::KhipuV3,
    }
}

/// Every simulated provider, in [`Provider::ALL`] order.
pub(crate) fn simulators() -> impl Iterator<Item = &'static dyn SimulatedProvider> {
    Provider::ALL.into_iter().map(simulator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_has_its_name_base_path_and_records() {
        let config = SandboxConfig::default();
        let store = Store::new(&config);
        for provider in Provider::ALL {
            let simulated = simulator(provider);
            // The name agrees with the enum's JSON spelling.
            assert_eq!(
                serde_json::to_value(provider).unwrap(),
                serde_json::json!(simulated.name())
            );
            assert!(
                simulated
                    .base_path()
                    .starts_with(&format!("/{}", simulated.name()))
            );
            let mut counts = RecordCounts::default();
            simulated.count(&store, &mut counts);
            assert_eq!(counts, RecordCounts::default(), "{provider}");
        }
    }
}
