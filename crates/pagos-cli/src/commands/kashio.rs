//! `pagos kashio …`: every endpoint of [`pagos::kashio::KashioClient`].
//!
//! `--json` prints the SDK's typed answer with serde (an invoice, an event, a page of
//! them or every item of every page); each keeps KashIO's own text in its `raw`
//! member, so amounts keep their digits.
//!
//! | command | endpoint |
//! |---|---|
//! | `invoices create` | `POST /invoices` |
//! | `invoices get ID` | `GET /invoices/{id}` |
//! | `invoices void ID` | `DELETE /invoices/{id}` |
//! | `invoices update ID` | `PATCH /invoices/{id}` |
//! | `invoices list [--all]` | `GET /invoices` (one page, or every page) |
//! | `events get ID` | `GET /events/{id}` |
//! | `events list [--all]` | `GET /events` |
//! | `events confirm ID --amount A (--invoice-id N \| --kashio-id inv_…)` | `GET /events/{id}` then `GET /invoices/{invoice}`, checked against the expected invoice |

use clap::{Args, Subcommand};
use futures_util::TryStreamExt;
use pagos::kashio::{
    ConfirmError, Customer, Event, ExpectedInvoice, Invoice, InvoiceRef, InvoiceUpdate,
    KashioClient, ListParams, NewInvoice, SubMerchant, kashio_datetime,
};
use pagos::{Currency, ValidationError};
use serde::Serialize;
use serde_json::Value;

use crate::config::{Overrides, Settings};
use crate::error::{CliError, CliResult};
use crate::output::{Human, Output, table_of};
use crate::parse;

/// `pagos kashio`.
#[derive(Debug, Args)]
#[command(after_help = "Environment: PAGOS_KASHIO_SECRET_KEY (required), PAGOS_KASHIO_BASE_URL.")]
pub struct KashioArgs {
    /// Base URL (overrides PAGOS_KASHIO_BASE_URL), e.g. https://cert-api.kashio.net/v1/payments.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// The resource.
    #[command(subcommand)]
    pub command: KashioCommand,
}

/// KashIO resources.
#[derive(Debug, Subcommand)]
pub enum KashioCommand {
    /// Invoices ("Órdenes de Pago").
    #[command(subcommand)]
    Invoices(InvoiceCommand),
    /// Events (an invoice was paid or expired).
    #[command(subcommand)]
    Events(EventCommand),
}

/// Invoice actions.
#[derive(Debug, Subcommand)]
pub enum InvoiceCommand {
    /// Create an invoice (POST /invoices).
    Create(Box<CreateInvoiceArgs>),
    /// Fetch an invoice by KashIO id (GET /invoices/{id}).
    Get {
        /// KashIO's invoice id (inv_…).
        id: String,
    },
    /// Void an invoice so it can no longer be paid (DELETE /invoices/{id}).
    #[command(alias = "cancel")]
    Void {
        /// KashIO's invoice id (inv_…).
        id: String,
    },
    /// Change an invoice's amount, currency and/or expiration (PATCH /invoices/{id}).
    Update(UpdateInvoiceArgs),
    /// List invoices (GET /invoices): one page, or every page with --all.
    List(ListArgs),
}

/// Event actions.
#[derive(Debug, Subcommand)]
pub enum EventCommand {
    /// Fetch an event (GET /events/{id}).
    Get {
        /// KashIO's event id (eve_…).
        id: String,
    },
    /// List events (GET /events): one page, or every page with --all.
    List(ListArgs),
    /// Confirm a notified event: fetch it, then the invoice it points to, check that
    /// it is the invoice you expect for its amount, and print the invoice's current
    /// status (KashIO does not sign notifications). Exit 1 when a check fails.
    Confirm {
        /// The event id taken from the notification.
        id: String,
        /// The expected invoice's amount (exact decimal text).
        #[arg(long)]
        amount: String,
        /// The expected invoice's currency.
        #[arg(long, default_value = "PEN")]
        currency: String,
        /// Your invoice number (invoice_id) of the expected invoice. This or
        /// --kashio-id is required: without it, a paid event of another invoice of the
        /// same amount would pass.
        #[arg(long, required_unless_present = "kashio_id")]
        invoice_id: Option<String>,
        /// KashIO's id (inv_…) of the expected invoice, instead of --invoice-id.
        #[arg(long, conflicts_with = "invoice_id")]
        kashio_id: Option<String>,
    },
}

/// `invoices create`.
#[derive(Debug, Args)]
pub struct CreateInvoiceArgs {
    /// Your invoice number (invoice_id), e.g. INV-000001-001.
    #[arg(long)]
    pub invoice_id: String,
    /// Amount, exact decimal text (at most 2 decimals), e.g. 15.00.
    #[arg(long)]
    pub amount: String,
    /// Currency: PEN or USD.
    #[arg(long, default_value = "PEN")]
    pub currency: String,
    /// Customer name.
    #[arg(long)]
    pub customer_name: Option<String>,
    /// Customer e-mail.
    #[arg(long)]
    pub customer_email: Option<String>,
    /// Customer phone in any common form (+51 987 654 321, 987654321); sent as E.164,
    /// a number without a country code read as Peruvian (+51).
    #[arg(long)]
    pub customer_phone: Option<String>,
    /// Customer document type (DNI, RUC, CE…); needs --document-id.
    #[arg(long, requires = "document_id")]
    pub document_type: Option<String>,
    /// Customer document number; needs --document-type.
    #[arg(long, requires = "document_type")]
    pub document_id: Option<String>,
    /// Your customer id (customer.external_id).
    #[arg(long)]
    pub external_id: Option<String>,
    /// The merchant system's clock, request_datetime (same forms as --due; default:
    /// now).
    #[arg(long, value_name = "DATETIME")]
    pub request_datetime: Option<String>,
    /// Due date-time (RFC 3339, UTC wall clock YYYY-MM-DDTHH:MM:SS, or epoch seconds);
    /// sent as UTC without a zone, so midnight in Lima, 2020-01-01T00:00:00-05:00, is
    /// 2020-01-01T05:00:00.
    #[arg(long, value_name = "DATETIME")]
    pub due: Option<String>,
    /// Expiration date-time (same forms as --due).
    #[arg(long, value_name = "DATETIME")]
    pub expires: Option<String>,
    /// Where the payer goes after paying.
    #[arg(long)]
    pub url_success: Option<String>,
    /// Where the payer goes when not paying.
    #[arg(long)]
    pub url_error: Option<String>,
    /// Sub-merchant name (sub_merchant.name).
    #[arg(long)]
    pub sub_merchant_name: Option<String>,
    /// Sub-merchant e-mail (sub_merchant.email).
    #[arg(long)]
    pub sub_merchant_email: Option<String>,
    /// Sub-merchant logo URL (sub_merchant.logo).
    #[arg(long)]
    pub sub_merchant_logo: Option<String>,
    /// QR code size (size_qr), sent as given.
    #[arg(long)]
    pub size_qr: Option<String>,
    /// Metadata entry, KEY=VALUE (repeatable).
    #[arg(long = "metadata", value_name = "KEY=VALUE")]
    pub metadata: Vec<String>,
}

/// `invoices update`.
#[derive(Debug, Args)]
pub struct UpdateInvoiceArgs {
    /// KashIO's invoice id (inv_…).
    pub id: String,
    /// New amount (exact decimal text); needs --currency, the amount's currency.
    #[arg(long, requires = "currency")]
    pub amount: Option<String>,
    /// Currency (PEN or USD): of the new --amount, or, alone, the new currency of the
    /// invoice's amount.
    #[arg(long)]
    pub currency: Option<String>,
    /// New expiration date-time (RFC 3339, UTC YYYY-MM-DDTHH:MM:SS, or epoch seconds).
    #[arg(long, value_name = "DATETIME")]
    pub expires: Option<String>,
}

/// Filters and cursors of the list commands.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this day (YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<String>,
    /// Only this status (invoices: pending, paid, expired, voided; events: new, failed,
    /// notified).
    #[arg(long)]
    pub status: Option<String>,
    /// Items per page (at least 1; KashIO decides the maximum).
    #[arg(long)]
    pub limit: Option<u32>,
    /// The page after this id.
    #[arg(long, conflicts_with = "ending_before")]
    pub starting_after: Option<String>,
    /// The page before this id.
    #[arg(long)]
    pub ending_before: Option<String>,
    /// Walk every page forward and print all items.
    #[arg(long, conflicts_with = "ending_before")]
    pub all: bool,
}

impl ListArgs {
    fn params(&self) -> CliResult<ListParams> {
        let mut p = ListParams::new();
        if let Some(d) = &self.date {
            p = p.date(parse::date("date", d)?);
        }
        if let Some(s) = &self.status {
            p = p.status(s.clone());
        }
        if let Some(l) = self.limit {
            p = p.limit(l);
        }
        if let Some(c) = &self.starting_after {
            p = p.starting_after(c.clone());
        }
        if let Some(c) = &self.ending_before {
            p = p.ending_before(c.clone());
        }
        Ok(p)
    }
}

/// Runs `pagos kashio …`.
pub async fn run(args: KashioArgs, settings: Settings) -> CliResult<Output> {
    let mut overrides = Overrides::new();
    overrides.set("PAGOS_KASHIO_BASE_URL", args.base_url.as_deref());
    // Arguments are checked before the client is built, so a bad flag is reported even
    // without configuration; the client validates again before sending.
    let client = || -> CliResult<KashioClient> {
        Ok(pagos::kashio::client_from_config(
            &overrides.shared(settings)?,
        )?)
    };
    match args.command {
        KashioCommand::Invoices(cmd) => match cmd {
            InvoiceCommand::Create(a) => {
                let invoice = create_request(&a)?;
                Ok(answer(&client()?.invoices().create(invoice).await?))
            }
            InvoiceCommand::Get { id } => Ok(answer(&client()?.invoices().get(id).await?)),
            InvoiceCommand::Void { id } => Ok(answer(&client()?.invoices().void(id).await?)),
            InvoiceCommand::Update(a) => {
                let mut update = InvoiceUpdate::new();
                match (&a.amount, &a.currency) {
                    (Some(amount), Some(currency)) => {
                        update = update.amount(parse::money(amount, currency)?);
                    }
                    (None, Some(currency)) => {
                        let currency: Currency = currency.parse()?;
                        update = update.currency(currency);
                    }
                    // clap requires --currency with --amount.
                    (Some(_), None) => {
                        return Err(ValidationError::new(
                            "currency",
                            "--amount needs --currency, the amount's currency",
                        )
                        .into());
                    }
                    (None, None) => {}
                }
                if let Some(at) = &a.expires {
                    update = update
                        .expiration_datetime(kashio_datetime(parse::datetime("expires", at)?));
                }
                update.validate()?;
                Ok(answer(&client()?.invoices().update(a.id, update).await?))
            }
            InvoiceCommand::List(a) => {
                let params = a.params()?;
                let client = client()?;
                let columns = [
                    ("ID", "id"),
                    ("INVOICE_ID", "invoice_id"),
                    ("STATUS", "status"),
                    ("AMOUNT", "amount"),
                    ("CURRENCY", "currency"),
                    ("CREATED", "created"),
                ];
                if a.all {
                    let all: Vec<Invoice> = client.invoices().stream(params).try_collect().await?;
                    let raws = all.iter().map(|i| i.raw.get().to_string()).collect();
                    Ok(list_output(&all, raws, false, None, &columns))
                } else {
                    let page = client.invoices().list(params).await?;
                    let next = page.items.last().map(|i| i.id.clone());
                    let raws = page.items.iter().map(|i| i.raw.get().to_string()).collect();
                    Ok(list_output(&page, raws, page.has_more, next, &columns))
                }
            }
        },
        KashioCommand::Events(cmd) => match cmd {
            EventCommand::Get { id } => Ok(event_answer(&client()?.events().get(id).await?)),
            EventCommand::List(a) => {
                let params = a.params()?;
                let client = client()?;
                let columns = [
                    ("ID", "id"),
                    ("TYPE", "type"),
                    ("STATUS", "status"),
                    ("CREATED", "created"),
                    ("URL", "data.url"),
                ];
                if a.all {
                    let all: Vec<Event> = client.events().stream(params).try_collect().await?;
                    let raws = all.iter().map(|e| e.raw.get().to_string()).collect();
                    Ok(list_output(&all, raws, false, None, &columns))
                } else {
                    let page = client.events().list(params).await?;
                    let next = page.items.last().map(|e| e.id.clone());
                    let raws = page.items.iter().map(|e| e.raw.get().to_string()).collect();
                    Ok(list_output(&page, raws, page.has_more, next, &columns))
                }
            }
            EventCommand::Confirm {
                id,
                amount,
                currency,
                invoice_id,
                kashio_id,
            } => {
                let amount = parse::money(&amount, &currency)?;
                let invoice = match (invoice_id, kashio_id) {
                    (Some(n), _) => InvoiceRef::InvoiceId(n),
                    (None, Some(k)) => InvoiceRef::Id(k),
                    // clap requires one of the two.
                    (None, None) => {
                        return Err(CliError::usage(
                            "give --invoice-id or --kashio-id: the invoice the event must be about",
                        ));
                    }
                };
                let expected = ExpectedInvoice::new(amount, invoice);
                let confirmed = client()?
                    .events()
                    .confirm(&id, &expected)
                    .await
                    .map_err(confirm_error)?;
                let i = &confirmed.invoice;
                let fields = vec![
                    ("event.id".to_string(), confirmed.event.id.clone()),
                    (
                        "event.type".to_string(),
                        confirmed.event.event_type.to_string(),
                    ),
                    ("invoice.id".into(), i.id.clone()),
                    (
                        "invoice.invoice_id".into(),
                        i.invoice_id.clone().unwrap_or_default(),
                    ),
                    ("invoice.status".into(), i.status.to_string()),
                    (
                        "invoice.amount".into(),
                        format!("{} {}", i.amount, i.currency),
                    ),
                ];
                Ok(Output::value(&confirmed, Human::Fields(fields)))
            }
        },
    }
}

/// Exit codes as for every SDK error, and 1 when a check failed (like a Khipu
/// notification check).
fn confirm_error(e: ConfirmError) -> CliError {
    match e {
        ConfirmError::Invalid(v) => CliError::Pagos(v.into()),
        ConfirmError::Fetch(inner) => CliError::Pagos(inner),
        other => CliError::Failed(other.to_string()),
    }
}

fn create_request(a: &CreateInvoiceArgs) -> CliResult<NewInvoice> {
    let amount = parse::money(&a.amount, &a.currency)?;
    let mut customer = Customer::new();
    if let Some(v) = &a.customer_name {
        customer = customer.name(v.clone());
    }
    if let Some(v) = &a.customer_email {
        customer = customer.email(v.clone());
    }
    if let Some(v) = &a.customer_phone {
        customer = customer.phone(v.clone());
    }
    if let (Some(kind), Some(number)) = (&a.document_type, &a.document_id) {
        customer = customer.document(kind.clone(), number.clone());
    }
    if let Some(v) = &a.external_id {
        customer = customer.external_id(v.clone());
    }
    let mut b = NewInvoice::builder(a.invoice_id.clone(), amount, customer);
    if let Some(at) = &a.request_datetime {
        b = b.request_datetime(kashio_datetime(parse::datetime("request_datetime", at)?));
    }
    if let Some(at) = &a.due {
        b = b.due_datetime(kashio_datetime(parse::datetime("due", at)?));
    }
    if let Some(at) = &a.expires {
        b = b.expiration_datetime(kashio_datetime(parse::datetime("expires", at)?));
    }
    if let Some(u) = &a.url_success {
        b = b.url_success(u.clone());
    }
    if let Some(u) = &a.url_error {
        b = b.url_error(u.clone());
    }
    if a.sub_merchant_name.is_some()
        || a.sub_merchant_email.is_some()
        || a.sub_merchant_logo.is_some()
    {
        let mut sub = SubMerchant::new();
        if let Some(v) = &a.sub_merchant_name {
            sub = sub.name(v.clone());
        }
        if let Some(v) = &a.sub_merchant_email {
            sub = sub.email(v.clone());
        }
        if let Some(v) = &a.sub_merchant_logo {
            sub = sub.logo(v.clone());
        }
        b = b.sub_merchant(sub);
    }
    if let Some(size) = &a.size_qr {
        b = b.size_qr(size.clone());
    }
    for kv in &a.metadata {
        let (k, v) = parse::key_value("metadata", kv)?;
        b = b.metadata(k, Value::String(v));
    }
    Ok(b.build()?)
}

/// An invoice: `--json` is the typed answer, the human form KashIO's answer as fields.
fn answer(invoice: &Invoice) -> Output {
    Output::answer(invoice, &invoice.raw)
}

/// An event, likewise.
fn event_answer(event: &Event) -> Output {
    Output::answer(event, &event.raw)
}

/// A list: `--json` is `answer` (a page, or every item of every page) serialized; the
/// human form a table of the items' raw answers and, when more pages follow, the
/// cursor of the next one.
fn list_output<T: Serialize + ?Sized>(
    answer: &T,
    raws: Vec<String>,
    has_more: bool,
    next: Option<String>,
    columns: &[(&str, &str)],
) -> Output {
    let mut parts = vec![table_of(&raws, columns)];
    if has_more {
        let hint = match next {
            Some(id) => format!("more items follow: --starting-after {id}"),
            None => "more items follow".to_string(),
        };
        parts.push(Human::Text(hint));
    }
    Output::value(answer, Human::Sections(parts))
}
