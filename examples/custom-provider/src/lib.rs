//! Acmepay client for [pagos](https://docs.rs/pagos).
//!
//! Built only on `pagos-core`'s public API: the [`Transport`](pagos_core::Transport),
//! [`Money`](pagos_core::Money), the validators and the error type.
//!
//! The Acmepay API this crate speaks (replace it with your provider's):
//! - `POST /v1/charges` with JSON `{"amount":"10.50","currency":"MXN","description":"…","reference":"…"}`
//!   answers `{"id","status","amount","currency","reference","checkout_url"}`;
//! - `GET /v1/charges/{id}` answers the same object;
//! - `Authorization: Bearer <api key>` on every call;
//! - errors are `{"error":{"code":"…","message":"…"}}` with a 4xx/5xx status.
//!
//! ```no_run
//! # async fn run() -> pagos_core::Result<()> {
//! use pagos_core::{CreatePayment, Currency, Money, PaymentProvider};
//!
//! let client = pagos_acmepay::AcmepayClient::builder().api_key("sk_test_123").build()?;
//! let request = CreatePayment::builder(Money::parse("10.50", Currency::Mxn)?, "Order 42")
//!     .merchant_reference("order-42")
//!     .build()?;
//! let payment = client.create_payment(&request).await?;
//! println!("{} is {}", payment.id, payment.status);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]

mod charges;
mod client;
mod error;
mod provider;
mod status;

pub use charges::Charge;
pub use client::AcmepayClient;
pub use status::ChargeStatus;

/// The provider name used in errors, tracing and [`pagos_core::Payment::provider`].
pub const PROVIDER: &str = "acmepay";
