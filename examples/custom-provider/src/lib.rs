//! Acmepay client for [pagos](https://docs.rs/pagos).
//!
//! Built only on `pagos-core`'s public API, in the shape every pagos provider crate has:
//! - each call of the API is an [`Endpoint`](pagos_core::Endpoint) value
//!   ([`CreateCharge`], [`GetCharge`]) that describes its request and reads its answer
//!   without any I/O;
//! - the [`AcmepayClient`] runs any endpoint through its
//!   [`Executor`](pagos_core::Executor) (base URL, the API key as a
//!   [`SecretHeader`](pagos_core::endpoint::SecretHeader), the shared
//!   [`Transport`](pagos_core::Transport), the error envelope's [`refusal`] hook);
//! - [`Charges`] is the resource handle (`client.charges().create(..)`), and the
//!   unified [`PaymentProvider`](pagos_core::PaymentProvider) API sits on top of it;
//! - every answer keeps the provider's JSON as received ([`Charge::raw`]);
//! - [`DESCRIPTOR`] puts Acmepay in the provider registry: `pagos::from_env("acmepay")`
//!   reads `PAGOS_ACMEPAY_API_KEY` and `PAGOS_ACMEPAY_BASE_URL`.
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
//! // The unified API...
//! let payment = client.create_payment(&request).await?;
//! println!("{} is {}", payment.id, payment.status);
//! // ...and Acmepay's own: the resource handle, or any endpoint value.
//! let charge = client.charges().get(&payment.id).await?;
//! let again = client.run(&pagos_acmepay::GetCharge::new(&charge.id)).await?;
//! println!("{}", again.raw.get());
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![deny(missing_debug_implementations)]

mod charges;
mod client;
mod descriptor;
mod error;
mod provider;
mod status;

pub use charges::{Charge, Charges, CreateCharge, GetCharge, MAX_DESCRIPTION_CHARS};
pub use client::AcmepayClient;
pub use client::AcmepayClientBuilder;
pub use client::DEFAULT_BASE_URL;
pub use descriptor::{DESCRIPTOR, client_from_config};
pub use error::refusal;
pub use status::ChargeStatus;

/// The provider name used in errors, tracing and [`pagos_core::Payment::provider`].
pub const PROVIDER: &str = "acmepay";
