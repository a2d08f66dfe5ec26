//! # pagos-compropago
//!
//! [ComproPago](https://compropago.com) API v2 (Mexico) for
//! [pagos](https://docs.rs/pagos): SPEI payment orders and reusable CLABE accounts.
//!
//! - [`CompropagoClient`] (also exported as [`Client`]) with one handle per resource
//!   of the API:
//!
//!   | handle | method | endpoint | request |
//!   |---|---|---|---|
//!   | [`orders()`](CompropagoClient::orders) | [`create`](Orders::create) | [`CreateOrder`] | `POST /v2/orders` |
//!   | | [`get`](Orders::get) | [`GetOrder`] | `GET /v2/orders/{id}` |
//!   | [`accounts()`](CompropagoClient::accounts) | [`create`](Accounts::create) | [`CreateAccount`] | `POST /v2/createAccount` |
//!   | | [`list`](Accounts::list) | [`ListAccounts`] | `GET /v2/accounts` |
//!   | | [`subaccounts`](Accounts::subaccounts) | [`ListSubaccounts`] | `GET /v2/accounts/{id}` |
//!   | | [`transactions`](Accounts::transactions) | [`ListAccountTransactions`] | `GET /v2/accounts/{id}/transactions` |
//!   | [`clabes()`](CompropagoClient::clabes) | [`create`](Clabes::create) | [`CreateClabe`] | `POST /v2/createClabe` |
//!
//!   Every endpoint is a value implementing [`pagos_core::Endpoint`]: it describes
//!   its request without I/O and reads the answer, so
//!   [`CompropagoClient::run`] runs any of them and
//!   `client.executor().authorized(&endpoint)` shows the request exactly as it
//!   would be sent.
//! - Webhooks: [`CompropagoClient::confirm_webhook`] (ComproPago does not sign them;
//!   see [`webhook`]).
//! - [`pagos_core::PaymentProvider`] for the unified API: `create_payment` creates a
//!   SPEI order and returns its CLABE as
//!   [`PaymentInstructions::BankTransfer`](pagos_core::PaymentInstructions); see
//!   [`provider`] for the field mapping and [`status`] for the status table.
//!
//! Every answer keeps the provider's JSON exactly as received in its `raw` field
//! ([`pagos_core::Raw`]): the v2 envelope's `data`, byte for byte. Refusals, including
//! ComproPago's error envelope under HTTP 200, are read by [`error::refusal`].
//!
//! Authentication is HTTP Basic with the private key (`sk_…`) as the user and the
//! public key (`pk_…`) as the password. Every input is validated before anything is
//! sent; amounts are exact decimals checked against [`CURRENCIES`] (MXN, two decimals),
//! never floating point.
//!
//! ```no_run
//! use pagos_compropago::{Client, CreateOrder, Customer, Product};
//! use pagos_core::{Currency, Money, PaymentInstructions};
//!
//! # async fn run() -> pagos_core::Result<()> {
//! let client = Client::builder()
//!     .private_key("sk_test_xxxxxxxxxxxxxx")
//!     .public_key("pk_test_xxxxxxxxxxxxxx")
//!     .build()?;
//!
//! let order = client
//!     .orders()
//!     .create(&CreateOrder::new(
//!         Product::new("SMGCURL1", "SAMSUNG GOLD CURL", Money::parse("150.00", Currency::Mxn)?),
//!         Customer::new("customer-1", "Waldix", "waldix@compropago.com").phone("5513899832"),
//!     ))
//!     .await?;
//! if let Some(PaymentInstructions::BankTransfer { account, bank, .. }) = order.payment_instructions() {
//!     println!("transfer {} to CLABE {account} ({bank:?})", order.product.price.unwrap_or_default());
//! }
//!
//! let again = client.orders().get(&order.id).await?;
//! println!("{} is {}", again.id, again.status);
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

mod accounts;
mod checks;
mod clabe;
mod client;
mod descriptor;
mod envelope;
pub mod error;
pub mod instructions;
mod orders;
pub mod provider;
pub mod status;
pub mod webhook;
mod wire;

pub use accounts::{
    Account, AccountCustomer, AccountSummary, AccountTransaction, Accounts, CreateAccount,
    ListAccountTransactions, ListAccounts, ListSubaccounts, SubAccount,
};
pub use checks::CURRENCIES;
pub use clabe::{ClabeAccount, ClabeCustomer, ClabeDetails, Clabes, CreateClabe, Frequency};
pub use client::{CompropagoClient, CompropagoClientBuilder, DEFAULT_BASE_URL, PROVIDER};
pub use descriptor::{DESCRIPTOR, client_from_config};
pub use instructions::Instruction;
pub use orders::{
    CreateOrder, Customer, CustomerInfo, Exchange, GetOrder, Order, OrderPayment, Orders,
    PaymentType, Product, ProductInfo,
};
pub use status::{AccountStatus, OrderStatus};
pub use webhook::{ExpectedOrder, OrderRef, WebhookError, WebhookEvent};

/// Short alias for [`CompropagoClient`].
pub type Client = CompropagoClient;

/// Short alias for [`CompropagoClientBuilder`].
pub type ClientBuilder = CompropagoClientBuilder;
