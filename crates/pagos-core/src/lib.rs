//! # pagos-core
//!
//! The shared core of [pagos](https://docs.rs/pagos), a Rust SDK for Latin American
//! payment APIs. Provider crates (`pagos-khipu`, `pagos-kashio`, ...) build on it; an
//! application can also implement [`PaymentProvider`] for a provider of its own with
//! nothing but this crate.
//!
//! - [`PaymentProvider`]: the unified, object-safe trait.
//! - [`Money`] and [`Currency`]: `Decimal` amounts that know their minor units.
//! - [`Error`]: rejected before sending / the provider said no / the request never
//!   left / the outcome is unknown.
//! - [`Transport`]: the one HTTP client, with timeouts, safe retries and tracing.
//! - [`token::TokenSession`]: cached, single-flight bearer tokens.
//! - [`validate`]: CLABE, CBU/CVU, CUIT, RUT, e-mail, URL and phone checks.
//! - [`wire`]: serde helpers that keep amounts exact.
//!
//! ```
//! use pagos_core::{CreatePayment, Currency, Money};
//!
//! let request = CreatePayment::builder(Money::parse("15.00", Currency::Pen)?, "Deuda Enero")
//!     .merchant_reference("INV-000001-001")
//!     .build()?;
//! assert_eq!(request.amount.to_plain_string(), "15.00");
//! # Ok::<(), pagos_core::Error>(())
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

mod base_url;
pub mod endpoint;
pub mod error;
pub mod money;
pub mod notification;
pub mod payment;
pub mod payout;
pub mod phone;
pub mod provider;
mod raw;
pub mod redact;
pub mod registry;
pub mod token;
pub mod transport;
pub mod validate;
pub mod wire;

pub use async_trait::async_trait;
pub use base_url::BaseUrl;
pub use endpoint::{Endpoint, Executor, Page, PageRequest};
pub use error::{
    ConfigError, Error, ErrorKind, FieldError, OutcomeUnknown, ProviderError, Resend, Result,
    TransportError, UnknownCause, ValidationError,
};
pub use money::{Currency, CurrencyTable, Money};
pub use payment::{
    CreatePayment, CreatePaymentBuilder, Payer, PayerDocument, Payment, PaymentInstructions,
    PaymentStatus, Refund, RefundRequest,
};
pub use payout::{
    Balance, BankAccount, Beneficiary, Payout, PayoutRequest, PayoutRequestBuilder, PayoutStatus,
};
pub use phone::Phone;
pub use provider::{Capabilities, Operation, PaymentProvider};
pub use raw::Raw;
pub use registry::{EnvVar, ProviderConfig, ProviderDescriptor};
pub use rust_decimal::Decimal;
pub use secrecy::{ExposeSecret, SecretString};
pub use transport::{Idempotency, Request, Response, RetryPolicy, Transport, TransportBuilder};
