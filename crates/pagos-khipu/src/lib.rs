//! # pagos-khipu
//!
//! A client for [Khipu](https://khipu.com)'s REST API 2.0 (Chile): bank-transfer
//! payments, refunds, banks, receivers, with every request HMAC-signed.
//!
//! - [`KhipuClient`] (also exported as [`Client`]): built with
//!   `KhipuClient::builder().receiver_id(..).secret(..).build()?`; endpoints grouped by
//!   resource: [`payments`](KhipuClient::payments), [`banks`](KhipuClient::banks),
//!   [`receivers`](KhipuClient::receivers), [`merchants`](KhipuClient::merchants).
//!   Each call has a `prepare_*` twin that only describes the signed [`Request`]
//!   (to inspect the `Authorization` header or send it later with
//!   [`KhipuClient::execute`]).
//! - The unified [`PaymentProvider`](pagos_core::PaymentProvider) API: create, get,
//!   cancel (delete a pending payment) and refund.
//! - [`signature`]: the signing algorithm, public to debug mismatches.
//! - [`notification`]: verifying the notifications Khipu posts to `notify_url`.
//! - [`amount`]: the one place that writes amounts for Khipu.
//! - [`status`]: the one table from Khipu's statuses to [`PaymentStatus`](pagos_core::PaymentStatus).
//!
//! ```no_run
//! # async fn run() -> pagos_core::Result<()> {
//! use pagos_core::{CreatePayment, Currency, Money, PaymentInstructions, PaymentProvider};
//! use pagos_khipu::{CreatePaymentRequest, KhipuClient};
//!
//! let client = KhipuClient::builder()
//!     .receiver_id(1234u64)
//!     .secret(std::env::var("KHIPU_SECRET").unwrap_or_default())
//!     .build()?;
//!
//! // Unified API.
//! let request = CreatePayment::builder(Money::parse("1000", Currency::Clp)?, "Orden 42")
//!     .merchant_reference("orden-42")
//!     .notify_url("https://shop.example/khipu/notify")
//!     .build()?;
//! let payment = client.create_payment(&request).await?;
//! if let Some(PaymentInstructions::Redirect { url, .. }) = payment.instructions.first() {
//!     println!("send the payer to {url}");
//! }
//!
//! // Khipu's own API, every form field available.
//! let khipu = CreatePaymentRequest::builder("Orden 43", Money::parse("2500", Currency::Clp)?)
//!     .transaction_id("orden-43")
//!     .send_email(true)
//!     .payer_name("Ana Pérez")
//!     .payer_email("ana@example.cl")
//!     .build()?;
//! let created = client.payments().create(&khipu).await?;
//! let now = client.payments().get(&created.payment_id).await?;
//! println!("{:?}", now.unified_status());
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

pub mod amount;
pub mod banks;
pub mod client;
mod de;
pub mod error;
pub mod merchants;
pub mod notification;
pub mod payments;
mod provider;
pub mod receivers;
pub mod signature;
pub mod status;

pub use banks::{BankItem, Banks, BanksResponse};
pub use client::{DEFAULT_BASE_URL, KhipuClient, KhipuClientBuilder, PROVIDER};
pub use merchants::{MerchantPaymentMethod, Merchants, PaymentMethodsResponse};
pub use notification::{Check, ExpectedOrder, ExpectedPayment, Notification, NotificationError};
pub use pagos_core::Request;
pub use payments::{
    CreatePaymentRequest, CreatePaymentRequestBuilder, KhipuStatus, PaymentMethod, Payments,
    PaymentsCreateResponse, PaymentsResponse, StatusDetail, SuccessResponse,
};
pub use receivers::{
    CreateReceiverRequest, CreateReceiverRequestBuilder, Receivers, ReceiversCreateResponse,
};

/// The Khipu client, under the name every pagos provider crate uses.
pub use client::KhipuClient as Client;
