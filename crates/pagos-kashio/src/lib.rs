//! # pagos-kashio
//!
//! A client for [KashIO Payments](https://www.kashio.net/) (Peru) 1.0.1, part of
//! [pagos](https://docs.rs/pagos): payment orders ("Órdenes de Pago", invoices) that a
//! payer pays with a `ktin` code or through KashIO's gateway, and the events KashIO
//! creates when they are paid or expire.
//!
//! - Invoices: [`KashioClient::create_invoice`], [`get_invoice`](KashioClient::get_invoice),
//!   [`void_invoice`](KashioClient::void_invoice), [`update_invoice`](KashioClient::update_invoice),
//!   [`list_invoices`](KashioClient::list_invoices) and [`invoices_stream`](KashioClient::invoices_stream).
//! - Events: [`get_event`](KashioClient::get_event), [`list_events`](KashioClient::list_events),
//!   [`events_stream`](KashioClient::events_stream), and
//!   [`confirm_event`](KashioClient::confirm_event) for notifications (KashIO does not
//!   sign them: only the event id is taken from a notification, everything else is
//!   fetched, and the invoice must be the one the merchant expects, for its amount:
//!   [`ExpectedInvoice`]).
//! - The unified [`pagos_core::PaymentProvider`]: create, get and cancel (void).
//!
//! Authentication is HTTP Basic with the secret key as user name and no password.
//! Amounts are sent as JSON numbers with two decimals; timestamps are UTC without a
//! zone (`2020-01-01T05:00:00`).
//!
//! ```no_run
//! use pagos_core::{Currency, Money};
//! use pagos_kashio::{Client, CreateInvoice, Customer};
//!
//! # async fn run() -> Result<(), pagos_core::Error> {
//! let client = Client::builder().secret_key("sk_test_f5yj6jAHep36jAep3JU").build()?;
//! let invoice = client
//!     .create_invoice(
//!         &CreateInvoice::builder(
//!             "INV-000001-001",
//!             Money::parse("15.00", Currency::Pen)?,
//!             Customer::new().name("JUAN PEREZ").email("juan.perez.xxx@gmail.com"),
//!         )
//!         .metadata("order_name", "Deuda Enero 2019")
//!         .build()?,
//!     )
//!     .await?;
//! println!("pay with code {:?} ({})", invoice.ktin, invoice.status);
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

mod client;
mod error;
mod events;
mod invoices;
mod pagination;
mod provider;
mod status;
mod wire;

pub use client::{
    CERT_BASE_URL, DEFAULT_BASE_URL, KashioClient, KashioClient as Client, KashioClientBuilder,
    KashioClientBuilder as ClientBuilder, PROVIDER_NAME,
};
pub use events::{
    ConfirmCheck, ConfirmError, ConfirmedEvent, Event, EventStatus, EventType, ExpectedInvoice,
    InvoiceRef,
};
pub use invoices::{
    CreateInvoice, CreateInvoiceBuilder, Customer, Invoice, InvoiceUpdate, kashio_datetime,
};
pub use pagination::{HasId, ListParams, MAX_LIMIT, Page};
pub use status::InvoiceStatus;
