//! # pagos-khipu
//!
//! A client for [Khipu](https://khipu.com) (Chile), in two generations:
//!
//! - **API 3.0** ([`v3`], [`KhipuV3Client`]): `x-api-key`, JSON, every instant-payment
//!   operation, the signed 3.0 webhook ([`v3::webhook`]), and Automatic Payments
//!   (PAC) v1 ([`pac`]) on the same client. Choose it when you have an API key.
//! - **API 2.0** ([`KhipuClient`]): bank-transfer payments, refunds, banks, receivers,
//!   with every request HMAC-signed with the receiver's secret, and the notifications
//!   of Khipu's notification API 1.3. Below, everything is about API 2.0.
//!
//! Both check amounts against one table, [`CURRENCIES`], and both implement the
//! unified [`PaymentProvider`](pagos_core::PaymentProvider).
//!
//! - [`KhipuClient`] (also exported as [`Client`]): built with
//!   `KhipuClient::builder().receiver_id(..).secret(..).build()?`.
//! - **Endpoints as values**: every call of the API is a type implementing
//!   [`pagos_core::Endpoint`], in the module of its resource:
//!
//!   | endpoint | call | idempotency |
//!   |---|---|---|
//!   | [`payments::CreatePayment`] | `POST /payments` | once |
//!   | [`payments::GetPayment`] | `GET /payments/{id}` | read |
//!   | [`payments::GetPaymentByNotificationToken`] | `GET /payments?notification_token=…` | read |
//!   | [`payments::DeletePayment`] | `DELETE /payments/{id}` | once |
//!   | [`payments::ConfirmPayment`] | `POST /payments/{id}/confirm` | once |
//!   | [`payments::RefundPayment`] | `POST /payments/{id}/refunds` | once |
//!   | [`banks::ListBanks`] | `GET /banks` | read |
//!   | [`receivers::CreateReceiver`] | `POST /receivers` | once |
//!   | [`merchants::ListPaymentMethods`] | `GET /merchants/{id}/paymentMethods` | read |
//!
//!   [`KhipuClient::run`] sends any of them; [`KhipuClient::executor`] describes one
//!   exactly as it would be sent, signature included, without sending it.
//! - **Resource handles**: [`payments`](KhipuClient::payments) (`create`, `get`,
//!   `get_by_notification_token`, `delete`, `confirm`, `refund`),
//!   [`banks`](KhipuClient::banks) (`list`, `stream`), [`receivers`](KhipuClient::receivers)
//!   (`create`), [`merchants`](KhipuClient::merchants) (`payment_methods`).
//! - The unified [`PaymentProvider`](pagos_core::PaymentProvider) API: create, get,
//!   cancel (delete a pending payment) and refund.
//! - [`signature`]: the signing algorithm and [`KhipuSignature`], the client's
//!   authentication strategy; [`request`]: the shape of every Khipu request.
//! - [`notification`]: verifying the notifications Khipu posts to `notify_url`.
//! - [`error`]: Khipu's error envelopes; [`amount`]: the one place that writes amounts
//!   for Khipu; [`status`]: the one table from Khipu's statuses to
//!   [`PaymentStatus`](pagos_core::PaymentStatus).
//!
//! Every answer type keeps Khipu's JSON exactly as received in its `raw` field.
//!
//! ```no_run
//! # async fn run() -> pagos_core::Result<()> {
//! use pagos_core::{CreatePayment, Currency, Money, PaymentInstructions, PaymentProvider};
//! use pagos_khipu::{CreatePaymentRequest, KhipuClient};
//!
//! let client = KhipuClient::builder()
//!     .receiver_id("1234")
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
//! println!("{:?} {}", now.unified_status(), now.raw.get());
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
mod descriptor;
pub mod error;
pub mod merchants;
pub mod notification;
pub mod pac;
pub mod payments;
mod provider;
pub mod receivers;
pub mod request;
pub mod signature;
pub mod status;
pub mod v3;

/// The provider name used in errors, tracing and [`pagos_core::Payment::provider`].
pub const PROVIDER: &str = "khipu";

pub use amount::CURRENCIES;
pub use banks::{BankItem, Banks, BanksResponse, ListBanks};
pub use client::{DEFAULT_BASE_URL, KhipuClient, KhipuClientBuilder};
pub use descriptor::{DESCRIPTOR, client_from_config, v3_client_from_config};
pub use merchants::{ListPaymentMethods, MerchantPaymentMethod, Merchants, PaymentMethodsResponse};
pub use notification::{Check, ExpectedOrder, ExpectedPayment, Notification, NotificationError};
pub use pagos_core::Request;
pub use payments::{
    ConfirmPayment, CreatePayment, CreatePaymentRequest, CreatePaymentRequestBuilder,
    DeletePayment, GetPayment, GetPaymentByNotificationToken, KhipuStatus, PaymentMethod, Payments,
    PaymentsCreateResponse, PaymentsResponse, RefundPayment, StatusDetail, SuccessResponse,
};
pub use receivers::{
    CreateReceiver, CreateReceiverRequest, CreateReceiverRequestBuilder, Receivers,
    ReceiversCreateResponse,
};
pub use signature::KhipuSignature;
pub use v3::{KhipuV3Client, KhipuV3ClientBuilder};

/// The Khipu client, under the name every pagos provider crate uses.
pub use client::KhipuClient as Client;
