//! # pagos-kashpay
//!
//! [Kashpay](https://kashplataforma.com) / Onsigna (Mexico) acquiring API for
//! [pagos](https://docs.rs/pagos): a session token from `AuthenticationService` and
//! `OKPay/createOrder` (SPEI transfers, cash in/out and the other operations of the
//! [`TransactionType`] catalogue).
//!
//! - [`KashpayClient`] (also [`Client`]): [`orders().create`](orders::Orders::create),
//!   with a cached, single-flight session token ([`KashpayClient::session`]) that is
//!   renewed before it expires and once more after a 401/403.
//! - Endpoints as values, run by the client's executor ([`KashpayClient::run`]):
//!   [`CreateOrder`] (`POST /OKPay/createOrder`), and [`auth::Authenticate`]
//!   (`POST /AuthenticationService/authenticate`, run by the session's
//!   [`KashpayAuthenticator`] on the authentication host). Describing and reading them
//!   does no I/O.
//! - [`OrderRequest`]: every field of `createOrder`, checked before sending (CLABE
//!   check digit, MXN amount with at most two decimals, e-mail, required texts).
//! - [`error::refusal`]: Kashpay's envelope (`success:false` under any HTTP status).
//! - [`pagos_core::PaymentProvider`]: `create_payout` as a SPEI transfer.
//!
//! Two hosts, separately configurable: authentication (`polaris`) and orders
//! (`centauri`). [`Environment::Sandbox`] uses Kashpay's documented plain-http sandbox
//! hosts; production authentication is `https://polaris.kashplataforma.com`, and the
//! production orders host must be set with
//! [`orders_base_url`](KashpayClientBuilder::orders_base_url).
//!
//! ```no_run
//! use pagos_core::{BankAccount, Currency, Money, PaymentProvider, PayoutRequest};
//! use pagos_kashpay::{Client, Environment};
//!
//! # async fn run() -> pagos_core::Result<()> {
//! let kashpay = Client::builder()
//!     .entity("com.cascade")
//!     .user("jim@cascadefintech.com")
//!     .password(std::env::var("KASHPAY_PASSWORD").unwrap_or_default())
//!     .environment(Environment::Sandbox)
//!     .build()?;
//!
//! let payout = PayoutRequest::builder(
//!     Money::parse("250.00", Currency::Mxn)?,
//!     BankAccount::Clabe("032180000118359719".into()),
//!     "PAYOUT0001",
//! )
//! .beneficiary_name("Florentino Eter")
//! .concept("Deposito Maria")
//! .build()?;
//! let sent = kashpay.create_payout(&payout).await?;
//! println!("order {} is {}", sent.id, sent.status);
//! # Ok(())
//! # }
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

pub mod assumptions;
pub mod auth;
mod client;
mod descriptor;
pub mod error;
pub mod orders;
pub mod provider;
pub mod status;
mod wire;

pub use assumptions::{AccountTypeCodes, DateFormat, ReferenceChars, WireAssumptions};
pub use auth::{KashpayAuth, KashpayAuthenticator};
pub use client::{
    Environment, KashpayClient, KashpayClientBuilder, PRODUCTION_AUTH_BASE_URL,
    SANDBOX_AUTH_BASE_URL, SANDBOX_ORDERS_BASE_URL,
};
pub use descriptor::{DESCRIPTOR, client_from_config};
pub use orders::{
    AccountType, CreateOrder, MAX_CONCEPT_CHARS, Order, OrderDefaults, OrderRequest,
    OrderRequestBuilder, OrderStatus, Orders, TransactionType,
};

/// [`KashpayClient`] under the name every pagos provider crate uses.
pub type Client = KashpayClient;

/// The currencies Kashpay takes, with the decimals of each: MXN with two. The Kashpay
/// API's `createOrder` sends `currency` as the ISO-4217 numeric code, "484 por default",
/// and documents no other; its amounts (`250`, balances `10250`) are pesos, written here
/// with two decimals. Every order and payout is checked against it before sending.
///
/// ```
/// use pagos_core::{Currency, Money};
/// assert_eq!(pagos_kashpay::CURRENCIES.decimals(Currency::Mxn), Some(2));
/// assert!(pagos_kashpay::CURRENCIES.check(&Money::parse("1", Currency::Usd)?).is_err());
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
pub const CURRENCIES: pagos_core::CurrencyTable =
    pagos_core::CurrencyTable::new("Kashpay", &[(pagos_core::Currency::Mxn, 2)]);

/// The provider name used in errors and tracing: `"kashpay"`.
pub const PROVIDER: &str = "kashpay";
