//! # pagos
//!
//! Latin American payment APIs behind one trait. Each provider lives in its own crate
//! and is compiled only when its cargo feature is on:
//!
//! | feature | module | provider | country |
//! |---|---|---|---|
//! | `khipu` | [`khipu`] | Khipu REST API 2.0 | Chile |
//! | `kashio` | [`kashio`] | KashIO Payments | Peru |
//! | `compropago` | [`compropago`] | ComproPago API v2 (SPEI) | Mexico |
//! | `kashpay` | [`kashpay`] | Kashpay / Onsigna | Mexico |
//! | `telepagos` | [`telepagos`] | TelePagos | Argentina |
//! | `full` | all of the above | | |
//!
//! TLS is `rustls` by default; `native-tls` is opt-in.
//!
//! The core types ([`PaymentProvider`], [`Money`], [`Error`], ...) are re-exported at
//! the root. [`from_env`] builds any enabled provider as an `Arc<dyn PaymentProvider>`
//! from `PAGOS_*` environment variables, so an application can switch providers by
//! configuration:
//!
//! ```no_run
//! # async fn run() -> pagos::Result<()> {
//! use pagos::{CreatePayment, Currency, Money, ProviderKind};
//!
//! // PAGOS_PROVIDER=khipu PAGOS_KHIPU_RECEIVER_ID=... PAGOS_KHIPU_SECRET=...
//! let provider = pagos::from_env(ProviderKind::from_env()?)?;
//! let payment = provider
//!     .create_payment(&CreatePayment::builder(Money::parse("1000", Currency::Clp)?, "Order 42").build()?)
//!     .await?;
//! println!("{} {}", payment.id, payment.status);
//! # Ok(()) }
//! ```
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

#[cfg(feature = "compropago")]
pub use env::compropago_client;
#[cfg(feature = "kashio")]
pub use env::kashio_client;
#[cfg(feature = "kashpay")]
pub use env::kashpay_client;
#[cfg(feature = "khipu")]
pub use env::khipu_client;
#[cfg(feature = "telepagos")]
pub use env::telepagos_client;
pub use env::{EnvConfig, ProviderKind, from_env, from_env_with, transport_from_env};
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
