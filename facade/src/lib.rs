//! # pagos
//!
//! Latin American payment APIs behind one trait. Each provider lives in its own crate
//! and is compiled only when its cargo feature is on:
//!
//! | feature | module | provider | country |
//! |---|---|---|---|
//! | `khipu` | [`khipu`] | Khipu API 3.0 + PAC v1, REST API 2.0 | Chile |
//! | `kashio` | [`kashio`] | KashIO Payments | Peru |
//! | `compropago` | [`compropago`] | ComproPago API v2 (SPEI) | Mexico |
//! | `kashpay` | [`kashpay`] | Kashpay / Onsigna | Mexico |
//! | `telepagos` | [`telepagos`] | TelePagos | Argentina |
//! | `full` | all of the above | | |
//!
//! TLS is `rustls` by default; `native-tls` is opt-in.
//!
//! The core types ([`PaymentProvider`], [`Money`], [`Error`], ...) are re-exported at
//! the root. The providers are a registry: each provider crate exports one
//! [`ProviderDescriptor`] (its name, its `PAGOS_*` variables, its capabilities and a
//! constructor), and [`registry()`] lists the enabled ones. [`from_env`] builds any of
//! them by name as an `Arc<dyn PaymentProvider>` from `PAGOS_*` environment variables,
//! and [`provider_from_env`] the one `PAGOS_PROVIDER` names, so an application can
//! switch providers by configuration:
//!
//! ```no_run
//! # async fn run() -> pagos::Result<()> {
//! use pagos::{CreatePayment, Currency, Money};
//!
//! // PAGOS_PROVIDER=khipu PAGOS_KHIPU_RECEIVER_ID=... PAGOS_KHIPU_SECRET=...
//! let provider = pagos::provider_from_env()?;
//! let payment = provider
//!     .create_payment(&CreatePayment::builder(Money::parse("1000", Currency::Clp)?, "Order 42").build()?)
//!     .await?;
//! println!("{} {}", payment.id, payment.status);
//! # Ok(()) }
//! ```
//!
//! The typed client of one provider comes from its crate: its builder
//! (`pagos::khipu::KhipuClient::builder()`), or `client_from_config` for the same
//! variables `from_env` reads (`pagos::khipu::client_from_config(&ProviderConfig::process())`).
//! A provider of your own joins the registry with a descriptor of its own
//! ([`ProviderDescriptor::new`]); see `docs/adding-a-provider.md`.
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Library code must be total over any input: a panic in a validator or decoder takes
// down the caller's task. Tests may still index, unwrap and panic freely.
#![cfg_attr(
    not(test),
    deny(
        clippy::string_slice,
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod env;

pub use env::{
    PROVIDER_VAR, PROXY_VAR, descriptor, from_env, from_env_with, provider_from_env, registry,
    selected_provider, transport_from_env, transport_from_env_with,
};
pub use pagos_core::*;

/// Khipu (Chile): signed form requests, bank-transfer payments, refunds, notifications.
#[cfg(feature = "khipu")]
pub use pagos_khipu as khipu;

/// KashIO (Peru): invoices, events, cursor pagination.
#[cfg(feature = "kashio")]
pub use pagos_kashio as kashio;

/// ComproPago (Mexico): SPEI orders and reusable CLABE accounts.
#[cfg(feature = "compropago")]
pub use pagos_compropago as compropago;

/// Kashpay / Onsigna (Mexico): session tokens and SPEI orders.
#[cfg(feature = "kashpay")]
pub use pagos_kashpay as kashpay;

/// TelePagos (Argentina): CVU/CBU cash-out, QR, payment links, sale points.
#[cfg(feature = "telepagos")]
pub use pagos_telepagos as telepagos;

/// The README's examples, compiled as doctests so they stay true.
#[cfg(all(doctest, feature = "full"))]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
