//! Wire tests for pagos-khipu, by resource. Requests are described and signed without
//! a socket (`client.executor().authorized(&endpoint)`) and compared with Khipu's
//! REST API 2.0 reference and an independent implementation of its signature; the
//! answers are the examples of Khipu's published API 2.0 documentation (the fixtures),
//! decoded with each endpoint's `parse`. Only `smoke` and `sending` open a socket.

mod banks;
mod errors;
mod merchants;
mod notification;
mod payments;
mod provider;
mod raw;
mod receivers;
mod redaction;
mod sending;
mod signature;
mod smoke;
mod support;
mod verify_notification;
