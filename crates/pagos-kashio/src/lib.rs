//! # pagos-kashio
//!
//! A client for [KashIO Payments](https://www.kashio.net/) (Peru) 1.0.1, part of
//! [pagos](https://docs.rs/pagos): payment orders ("Órdenes de Pago", invoices) that a
//! payer pays with a `ktin` code or through KashIO's gateway, and the events KashIO
//! creates when they are paid or expire.
//!
//! - Invoices, [`KashioClient::invoices`]: `create`, `get`, `update`, `void`, `list`
//!   (one [`Page`](pagos_core::Page)) and `stream` (every page, fetched as consumed).
//! - Events, [`KashioClient::events`]: `get`, `list`, `stream`, and
//!   [`confirm`](Events::confirm) for notifications (KashIO does not sign them: only the
//!   event id is taken from a notification, everything else is fetched, and the invoice
//!   must be the one the merchant expects, for its amount: [`ExpectedInvoice`]).
//! - Every endpoint of KashIO's API document is also a value implementing
//!   [`pagos_core::Endpoint`] ([`CreateInvoice`], [`GetInvoice`], [`UpdateInvoice`],
//!   [`VoidInvoice`], [`ListInvoices`], [`GetEvent`], [`ListEvents`]), which
//!   [`KashioClient::run`] runs and which describe their request without any I/O.
//! - The unified [`pagos_core::PaymentProvider`]: create, get and cancel (void).
//!
//! Authentication is HTTP Basic with the secret key as user name and no password.
//! Amounts are sent as JSON numbers with two decimals; timestamps are UTC without a
//! zone (`2020-01-01T05:00:00`). Every answer keeps KashIO's JSON byte for byte in its
//! `raw` field ([`Invoice::raw`], [`Event::raw`]).
//!
//! ```no_run
//! use pagos_core::{Currency, Money};
//! use pagos_kashio::{Customer, KashioClient, NewInvoice};
//!
//! # async fn run() -> Result<(), pagos_core::Error> {
//! let client = KashioClient::builder().secret_key("sk_test_f5yj6jAHep36jAep3JU").build()?;
//! let invoice = client
//!     .invoices()
//!     .create(
//!         NewInvoice::builder(
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
mod descriptor;
pub mod error;
pub mod events;
pub mod invoices;
mod pagination;
mod provider;
mod status;
mod wire;

/// The provider name used in errors, tracing and [`pagos_core::Payment::provider`].
pub const PROVIDER: &str = "kashio";

/// The currencies KashIO collects in, with the decimals of their amounts.
///
/// KashIO's API document (1.0.1.a) says of `amount` "Usar 2 decimales" and shows only
/// `PEN`. `USD` is an assumption: KashIO is a Peruvian collection network, and the
/// banks and agents where a payer quotes the `ktin` take soles and US dollars, the two
/// currencies of the Peruvian banking system. Every amount is checked against this
/// table before anything is sent ([`NewInvoice::validate`], [`InvoiceUpdate::validate`],
/// the unified create).
///
/// ```
/// use pagos_core::{Currency, Money};
/// assert_eq!(pagos_kashio::CURRENCIES.decimals(Currency::Pen), Some(2));
/// assert_eq!(pagos_kashio::CURRENCIES.decimals(Currency::Usd), Some(2));
/// let mxn = Money::parse("10", Currency::Mxn)?;
/// assert_eq!(pagos_kashio::CURRENCIES.check(&mxn).unwrap_err().field(), "currency");
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
pub const CURRENCIES: pagos_core::CurrencyTable = pagos_core::CurrencyTable::new(
    "KashIO",
    &[
        (pagos_core::Currency::Pen, 2),
        (pagos_core::Currency::Usd, 2),
    ],
);

/// The country calling code a phone number written without one is read with: KashIO
/// is Peruvian, so `987654321` is `+51987654321` (an assumption; KashIO's API document
/// only says "Telefono en formato E.164").
pub const DEFAULT_COUNTRY_CODE: &str = "51";

pub use client::{CERT_BASE_URL, DEFAULT_BASE_URL, KashioClient, KashioClientBuilder};
pub use descriptor::{DESCRIPTOR, client_from_config};
pub use events::{
    ConfirmCheck, ConfirmError, ConfirmedEvent, Event, EventStatus, EventType, Events,
    ExpectedInvoice, GetEvent, InvoiceRef, ListEvents,
};
pub use invoices::{
    CreateInvoice, Customer, GetInvoice, Invoice, InvoiceUpdate, Invoices, ListInvoices,
    NewInvoice, NewInvoiceBuilder, SubMerchant, UpdateInvoice, VoidInvoice, kashio_datetime,
};
pub use pagination::ListParams;
pub use status::InvoiceStatus;
