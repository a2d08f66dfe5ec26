//! Wire tests of KashIO Payments, by resource. Requests are checked as described
//! (`executor().authorized`), answers through each endpoint's `parse`, and sending
//! (retries, laziness, nothing sent) through a recording in-memory sender; one smoke
//! test goes through a real socket.

mod support;

mod client;
mod errors;
mod events;
mod invoices;
mod provider;
mod raw;
mod smoke;
mod verify_notification;
