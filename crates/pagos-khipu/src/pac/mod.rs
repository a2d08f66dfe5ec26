//! Khipu Automatic Payments (PAC) v1: bank-mandate subscriptions and charge intents,
//! on the API 3.0 host with the same API key ([`crate::v3::KhipuV3Client`]'s
//! [`subscriptions`](crate::v3::KhipuV3Client::subscriptions) and
//! [`charges`](crate::v3::KhipuV3Client::charges)).
//!
//! | endpoint | call | idempotency |
//! |---|---|---|
//! | [`subscriptions::CreateSubscription`] | `POST /v1/automatic-payment/subscription` | once |
//! | [`subscriptions::GetSubscription`] | `GET /v1/automatic-payment/subscription/{id}` | read |
//! | [`subscriptions::DeleteSubscription`] | `DELETE /v1/automatic-payment/subscription/{id}` | once |
//! | [`charges::CreateCharge`] | `POST /v1/automatic-payment/charge-intent` | once |
//!
//! Flow: create a subscription, send the customer to its `redirect_url` to sign the
//! mandate, wait for the (unsigned) callback to `notify_url` and confirm it with
//! [`Subscriptions::confirm_callback`](subscriptions::Subscriptions::confirm_callback),
//! which fetches it with [`subscriptions::GetSubscription`] (`ENABLED`), then create
//! charges. A charge's (unsigned) `error_response_url` callback goes to the unified
//! `verify_notification`, which fetches the payment it names (see [`callbacks`]). A charge is a
//! Khipu payment (`payment_method` `direct_debit`), notified like any payment; ask for
//! `notify_api_version` `3.0` (the default here) to get the signed webhook.

pub mod callbacks;
pub mod charges;
pub mod subscriptions;
