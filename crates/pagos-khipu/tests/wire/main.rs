//! Wire tests for pagos-khipu, by resource. Requests are described and signed without
//! a socket (`client.executor().authorized(&endpoint)`) and compared with Khipu's
//! REST API 2.0 reference and an independent implementation of its signature; the
//! answers are the examples of Khipu's published API 2.0 documentation (the fixtures),
//! decoded with each endpoint's `parse`. Only `smoke` and `sending` open a socket.
//! `v3_*` and `pac` do the same for API 3.0 and PAC v1 against the examples of Khipu's
//! API 3.0 documentation and specification.

mod banks;
mod errors;
mod merchants;
mod notification;
mod pac;
mod payments;
mod provider;
mod raw;
mod receivers;
mod redaction;
mod sending;
mod signature;
mod smoke;
mod support;
mod v3_payments;
mod v3_provider;
mod v3_refunds;
mod v3_resources;
mod v3_sending;
mod v3_support;
mod v3_webhook;
mod verify_notification;
