//! # pagos-telepagos
//!
//! A client for TelePagos' "API Telepagos Empresas" (Argentina), part of
//! [pagos](https://docs.rs/pagos): CVU/CBU transfers (cash-out) with their PDF
//! vouchers, collecting by QR, transfer and payment links (cash-in), sale points and
//! their static QRs, the balance, the transactions and the collecting account's
//! statistics.
//!
//! - [`TelepagosClient`] (also [`Client`]): resource handles
//!   ([`account`](TelepagosClient::account), [`transactions`](TelepagosClient::transactions),
//!   [`cashins`](TelepagosClient::cashins), [`cashouts`](TelepagosClient::cashouts),
//!   [`sale_points`](TelepagosClient::sale_points),
//!   [`statistics`](TelepagosClient::statistics)), [`run`](TelepagosClient::run) for
//!   any endpoint value, and [`PaymentProvider`](pagos_core::PaymentProvider) (see
//!   [`provider`]).
//! - Endpoints are values implementing [`pagos_core::Endpoint`], one per call of the
//!   API document, in the module of their resource (the table below); describing one
//!   does no I/O, so its request can be checked without a network.
//! - Session: `POST v2/auth/token` once ([`auth::Authenticate`]), the token reused
//!   until shortly before `expires_at`, one authentication shared by concurrent calls,
//!   and one renewal when TelePagos answers 401/403 (the executor's
//!   [`Bearer`](pagos_core::endpoint::Bearer) strategy over a
//!   [`TokenSession`](pagos_core::token::TokenSession)).
//! - Errors: `{"status":"error","message":…}` is an [`Error::Provider`](pagos_core::Error::Provider)
//!   whatever the HTTP status ([`error::refusal`]; see [Errors](#errors)).
//! - Answers: every typed answer keeps TelePagos' JSON byte for byte in its `raw`
//!   ([`Raw`](pagos_core::Raw)), and serializes with it.
//! - Amounts: [`Money`](pagos_core::Money) in ARS, sent as JSON numbers with two
//!   decimals, never through floating point.
//! - Cash-outs are safe to retry: `reference_id` makes TelePagos treat a repeat as the
//!   same transfer, so the transport resends them after transient failures.
//!
//! | endpoint | call | idempotency |
//! |---|---|---|
//! | [`auth::Authenticate`] | `POST v2/auth/token` | read |
//! | [`account::GetBalance`] | `GET v2/account/balance` | read |
//! | [`account::ListTransactions`] | `GET v2/account/transactions` | read |
//! | [`account::ListTransactionFilters`] | `GET v2/account/transactions_filters` | read |
//! | [`cashin::GenerateQr`] | `POST v2/payment/cashin/qr/generate` | once |
//! | [`cashin::GenerateTransferLink`] | `POST v2/payment/cashin/transfer/generate` | once |
//! | [`cashin::GeneratePaymentLink`] | `POST v2/payment/cashin/link/generate` | once |
//! | [`cashin::GetCashIn`] | `GET v2/payment/cashin/{id}` | read |
//! | [`cashout::CreateCashout`] | `POST v2/payment/cashout` | keyed (`reference_id`) |
//! | [`cashout::GetCashoutVoucher`] | `GET v2/payment/cashout/{id}` | read |
//! | [`cashout::ListConcepts`] | `GET v2/payment/concepts` | read |
//! | [`sale_points::ListSalePoints`] | `GET v2/payment/cashin/qr/sale-point` | read |
//! | [`sale_points::CreateSalePoint`] | `POST v2/payment/cashin/qr/sale-point` | once |
//! | [`sale_points::DeleteSalePoint`] | `DELETE v2/payment/cashin/qr/sale-point` | once |
//! | [`sale_points::GetStaticQr`] | `GET v2/payment/cashin/qr/sale-point/static` | read |
//! | [`sale_points::CreateStaticQrOrder`] | `POST v2/payment/cashin/qr/static/order` | once |
//! | [`statistics::GetStatistics`] | `GET v2/whitelabel/statics/{period}` | read |
//!
//! ```no_run
//! use pagos_core::{Currency, Money};
//! use pagos_telepagos::{CashoutRequest, Client, Concept, Environment};
//!
//! # async fn run() -> pagos_core::Result<()> {
//! let client = Client::builder()
//!     .username(std::env::var("TELEPAGOS_USERNAME").unwrap_or_default())
//!     .password(std::env::var("TELEPAGOS_PASSWORD").unwrap_or_default())
//!     .environment(Environment::Homologation)
//!     .build()?;
//!
//! let transfer = CashoutRequest::builder(
//!     Money::parse("1500.50", Currency::Ars)?,
//!     "20-26756539-3",
//!     "payout-0001",
//! )
//! .cvu("2850590940090418135201")
//! .concept(Concept::Hon)
//! .build()?;
//! let receipt = client.cashouts().create(&transfer).await?;
//! let voucher = client.cashouts().voucher(&receipt.id).await?;
//! std::fs::write("voucher.pdf", &voucher.pdf).ok();
//! # Ok(()) }
//! ```
//!
//! # Session
//! The token from `POST v2/auth/token` is sent as `Authorization: Bearer <token>` on
//! every other call. `expires_at` is read as Unix seconds, or as a
//! `"YYYY-MM-DD HH:MM:SS"` text taken as **UTC**: TelePagos does not document its zone,
//! and UTC is the reading whose mistake is harmless (if the text is really Argentine
//! time, UTC−03:00, the token is believed valid up to 3 h too long, TelePagos answers
//! 401, and the session authenticates once more and repeats the call). An expiry that
//! is missing, unreadable or already within the 60 s refresh margin is treated as
//! "valid until refused", so a wrong clock never turns every call into an
//! authentication.
//!
//! # Errors
//! Every call returns [`pagos_core::Error`]. The body's `status` is checked on every
//! answer, in one place, whatever the HTTP status:
//!
//! | answer | error |
//! |---|---|
//! | (nothing sent) invalid input | `Validation`, naming the field |
//! | 5xx to a call that changes state and carries no `reference_id` (QR and link generation, sale points, static QR orders), any body | `OutcomeUnknown`: TelePagos may have acted |
//! | any other HTTP status with `{"status":"error","message":…}` | `Provider`, with the HTTP status (200 included), the `message` and the raw body |
//! | non-2xx with any other body, JSON or not | `Provider`, with the HTTP status and the raw body |
//! | no connection | `NotSent` |
//! | 2xx that does not decode into the documented shape, timeout, lost connection | `OutcomeUnknown`, with the raw body when there is one |
//!
//! A 401/403 (the token refused) makes the client authenticate again once and repeat
//! the call; a second refusal is returned. An unknown outcome of a call that changes
//! state carries a hint on how to find out whether it took effect (the cash-out's: send
//! it again with the same `reference_id`; a generated QR or link's: look for a cash-in
//! with its concept).
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

pub mod account;
pub mod auth;
pub mod cashin;
pub mod cashout;
mod client;
mod descriptor;
pub mod error;
pub mod provider;
pub mod sale_points;
pub mod statistics;
pub mod status;
mod wire;

/// The provider's name, as [`PaymentProvider::name`](pagos_core::PaymentProvider::name)
/// returns it and errors carry it.
pub const PROVIDER: &str = "telepagos";

/// The currencies TelePagos accepts: ARS, with 2 decimals (the API's amounts are
/// `decimal`; every documented amount is in pesos, with cents).
///
/// ```
/// use pagos_core::Currency;
/// assert_eq!(pagos_telepagos::CURRENCIES.decimals(Currency::Ars), Some(2));
/// assert!(!pagos_telepagos::CURRENCIES.accepts(Currency::Usd));
/// ```
pub const CURRENCIES: pagos_core::CurrencyTable =
    pagos_core::CurrencyTable::new(PROVIDER, &[(pagos_core::Currency::Ars, 2)]);

pub use account::{
    AccountBalance, AccountHandle, OperationFilter, Transaction, TransactionsHandle,
    TransactionsPage, TransactionsQuery,
};
pub use auth::TelepagosAuthenticator;
pub use cashin::{
    Buyer, CashIn, CashinsHandle, Distribution, PaymentLink, PaymentLinkRequest, QrCode, QrRequest,
    TransferLink, TransferRequest,
};
pub use cashout::{
    CashoutReceipt, CashoutRequest, CashoutRequestBuilder, CashoutsHandle, Concept, Voucher,
};
pub use client::{
    ARGENTINA, Environment, GetParams, GetParamsPolicy, TelepagosAuth, TelepagosClient,
    TelepagosClientBuilder,
};
pub use descriptor::{DESCRIPTOR, client_from_config, parse_time_zone};
pub use sale_points::{
    CreatedSalePoint, DeletedSalePoint, QrAmountType, SalePoint, SalePointsHandle, StaticQr,
    StaticQrOrder, StaticQrOrderRequest,
};
pub use statistics::{Statistics, StatisticsHandle};

/// [`TelepagosClient`] under the name every pagos provider crate uses.
pub type Client = TelepagosClient;
/// [`TelepagosClientBuilder`] under the name every pagos provider crate uses.
pub type ClientBuilder = TelepagosClientBuilder;
