//! `pagos telepagos …`: every endpoint of [`pagos::telepagos::TelepagosClient`].
//!
//! | command | endpoint |
//! |---|---|
//! | `auth` | `POST v2/auth/token` (prints that it worked and how long the token lives, never the token) |
//! | `account balance` | `GET v2/account/balance` |
//! | `account transactions` | `GET v2/account/transactions` (one page, or every page with `--all`) |
//! | `account filters` | `GET v2/account/transactions_filters` |
//! | `cashin qr` | `POST v2/payment/cashin/qr/generate` |
//! | `cashin transfer-link` | `POST v2/payment/cashin/transfer/generate` |
//! | `cashin payment-link` | `POST v2/payment/cashin/link/generate` |
//! | `cashin get ID` | `GET v2/payment/cashin/{id}` |
//! | `cashout create` | `POST v2/payment/cashout` |
//! | `cashout voucher ID` | `GET v2/payment/cashout/{id}` |
//! | `cashout concepts` | `GET v2/payment/concepts` |
//! | `sale-points list` | `GET v2/payment/cashin/qr/sale-point` |
//! | `sale-points create` | `POST v2/payment/cashin/qr/sale-point` |
//! | `sale-points delete ID` | `DELETE v2/payment/cashin/qr/sale-point` |
//! | `sale-points static-qr ID` | `GET v2/payment/cashin/qr/sale-point/static` |
//! | `sale-points order` | `POST v2/payment/cashin/qr/static/order` |
//! | `statistics PERIOD` | `GET v2/whitelabel/statics/{period}` |
//!
//! `POST v2/auth/token` is called by every command (the session token is never
//! printed).
//!
//! `--time-zone` (`PAGOS_TELEPAGOS_TIME_ZONE`) sets the zone of TelePagos' zoneless
//! `Y-m-d H:i:s` timestamps (default Argentina, `-03:00`); `--get-params`
//! (`PAGOS_TELEPAGOS_GET_PARAMS`) where `static-qr` and `account transactions` put
//! their parameters (default: the documented JSON body).
//!
//! `--json` prints the SDK's typed answer with serde: its fields, and under `raw` the
//! answer exactly as TelePagos sent it (listings: the page's `items`, `has_more` and
//! `raw`).

use clap::{Args, Subcommand, ValueEnum};
use futures_util::TryStreamExt as _;
use pagos::telepagos::{
    CashoutRequest, Concept, PaymentLinkRequest, QrAmountType, QrRequest, StaticQrOrderRequest,
    TelepagosClient, Transaction, TransactionsQuery, TransferRequest,
};
use serde::Serialize;

use crate::config::{Overrides, Settings};
use crate::error::{CliError, CliResult};
use crate::output::{Human, Output, table_of};
use crate::parse;

/// `pagos telepagos`.
#[derive(Debug, Args)]
#[command(
    after_help = "Environment: PAGOS_TELEPAGOS_USERNAME and PAGOS_TELEPAGOS_PASSWORD \
(required); PAGOS_TELEPAGOS_ENV (homologation/production), PAGOS_TELEPAGOS_BASE_URL, \
PAGOS_TELEPAGOS_TIME_ZONE (default -03:00, Argentina time), PAGOS_TELEPAGOS_GET_PARAMS \
(body, the default, or query).

Time zone: TelePagos writes timestamps as Y-m-d H:i:s without a zone (a payment link's \
expiration_date, a token's expires_at). pagos formats and reads them in Argentina time \
(UTC-3) unless --time-zone says otherwise (e.g. --time-zone UTC)."
)]
pub struct TelepagosArgs {
    /// Base URL (overrides PAGOS_TELEPAGOS_BASE_URL), e.g. https://api.homo.telepagos.com.ar.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Which documented host: homologation or production (overrides PAGOS_TELEPAGOS_ENV).
    #[arg(long = "env", global = true, value_name = "ENV")]
    pub environment: Option<String>,
    /// Zone of TelePagos' zoneless Y-m-d H:i:s timestamps: -03:00 (Argentina, the
    /// default), UTC, or any ±HH:MM (overrides PAGOS_TELEPAGOS_TIME_ZONE).
    #[arg(long, global = true, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Where `sale-points static-qr` and `account transactions` put their parameters:
    /// body (the documented JSON body of the GET, the default) or query (overrides
    /// PAGOS_TELEPAGOS_GET_PARAMS).
    #[arg(long, global = true, value_name = "body|query")]
    pub get_params: Option<String>,

    /// The resource.
    #[command(subcommand)]
    pub command: TelepagosCommand,
}

/// TelePagos resources.
#[derive(Debug, Subcommand)]
pub enum TelepagosCommand {
    /// Check the credentials: obtain a session token (POST v2/auth/token) and say how
    /// long it lives. The token itself is a secret and is never printed.
    Auth,
    /// The account: balance, transactions, transaction filters.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Collecting money: QR, transfer and payment links, cash-ins.
    #[command(subcommand)]
    Cashin(CashinCommand),
    /// Sending money to a CVU/CBU or alias, vouchers, transfer concepts.
    #[command(subcommand)]
    Cashout(CashoutCommand),
    /// Sale points and their static QRs.
    #[command(subcommand, name = "sale-points")]
    SalePoints(SalePointCommand),
    /// The collecting account's statistics (GET v2/whitelabel/statics/{period}).
    Statistics {
        /// The period, as TelePagos names it (e.g. a month, 2024-03).
        period: String,
    },
}

/// Account actions.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// The available balance in ARS (GET v2/account/balance).
    Balance,
    /// Transactions of a date range (GET v2/account/transactions).
    Transactions {
        /// First day (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        to: String,
        /// Only this operation (an id from `account filters`).
        #[arg(long)]
        operation: Option<String>,
        /// This page (from 1; turns pagination on).
        #[arg(long, conflicts_with = "all")]
        page: Option<u32>,
        /// Walk every page.
        #[arg(long)]
        all: bool,
    },
    /// The operations transactions can be filtered by (GET v2/account/transactions_filters).
    Filters,
}

/// Cash-in actions.
#[derive(Debug, Subcommand)]
pub enum CashinCommand {
    /// Generate a QR to collect an amount (POST v2/payment/cashin/qr/generate).
    Qr(AmountConcept),
    /// Generate a transfer link to a CVU (POST v2/payment/cashin/transfer/generate).
    TransferLink {
        /// The CVU to transfer to.
        #[arg(long)]
        cvu: String,
        /// The CUIT of its holder.
        #[arg(long)]
        cuit: String,
        #[command(flatten)]
        amount: AmountConcept,
    },
    /// Generate a payment link (POST v2/payment/cashin/link/generate). A payment link
    /// has no description field: --description is refused.
    PaymentLink {
        #[command(flatten)]
        amount: AmountConcept,
        /// When the link expires (RFC 3339, UTC YYYY-MM-DDTHH:MM:SS, or epoch seconds).
        #[arg(long, value_name = "DATETIME")]
        expires: String,
        /// The link can be paid more than once.
        #[arg(long)]
        multiple_use: bool,
        /// Split the payment: CVU=AMOUNT (repeatable).
        #[arg(long = "distribute", value_name = "CVU=AMOUNT")]
        distribute: Vec<String>,
    },
    /// Fetch a cash-in (acreditación) by id (GET v2/payment/cashin/{id}).
    Get {
        /// The cash-in id.
        id: String,
    },
}

/// Amount, concept and description of a cash-in.
#[derive(Debug, Args)]
pub struct AmountConcept {
    /// Amount, exact decimal text (at most 2 decimals).
    #[arg(long)]
    pub amount: String,
    /// Currency (TelePagos works in ARS).
    #[arg(long, default_value = "ARS")]
    pub currency: String,
    /// Concept (the text the payer sees).
    #[arg(long)]
    pub concept: String,
    /// Description (default: the concept).
    #[arg(long)]
    pub description: Option<String>,
}

/// Cash-out actions.
#[derive(Debug, Subcommand)]
pub enum CashoutCommand {
    /// Send money to a CVU/CBU or alias (POST v2/payment/cashout). Safe to repeat with
    /// the same --reference-id and data: TelePagos treats it as the same transfer.
    Create(CashoutArgs),
    /// Fetch a cash-out's PDF voucher (GET v2/payment/cashout/{id}).
    Voucher {
        /// The cash-out id.
        id: String,
        /// Write the PDF to this file.
        #[arg(long, short = 'o', value_name = "PATH")]
        output: Option<std::path::PathBuf>,
    },
    /// The transfer concepts TelePagos accepts (GET v2/payment/concepts).
    Concepts,
}

/// `cashout create`.
#[derive(Debug, Args)]
pub struct CashoutArgs {
    /// Destination CVU/CBU (22 digits); or use --alias.
    #[arg(long, required_unless_present = "alias", conflicts_with = "alias")]
    pub cvu: Option<String>,
    /// Destination alias; or use --cvu.
    #[arg(long)]
    pub alias: Option<String>,
    /// The beneficiary's CUIT/CUIL (hyphens allowed).
    #[arg(long)]
    pub cuit: String,
    /// Amount, exact decimal text (at most 2 decimals).
    #[arg(long)]
    pub amount: String,
    /// Currency (ARS).
    #[arg(long, default_value = "ARS")]
    pub currency: String,
    /// Your unique id for this transfer (makes a repeat safe).
    #[arg(long)]
    pub reference_id: String,
    /// BCRA motive: ALQ, CUO, EXP, FAC, PRE, SEG, HON, HAB, VAR, or another code from
    /// `cashout concepts`.
    #[arg(long, default_value = "VAR")]
    pub concept: String,
    /// Description the beneficiary sees (none is sent when absent).
    #[arg(long)]
    pub description: Option<String>,
}

/// Sale point actions.
#[derive(Debug, Subcommand)]
pub enum SalePointCommand {
    /// List sale points (GET v2/payment/cashin/qr/sale-point).
    List,
    /// Create a sale point (POST v2/payment/cashin/qr/sale-point).
    Create {
        /// Its name (not blank).
        #[arg(long)]
        name: String,
    },
    /// Delete a sale point (DELETE v2/payment/cashin/qr/sale-point).
    Delete {
        /// The sale point id.
        id: u64,
    },
    /// A sale point's static QR (GET v2/payment/cashin/qr/sale-point/static).
    StaticQr {
        /// The sale point id.
        id: u64,
        /// closed: the payer pays the amount of an order; open: the payer types it.
        #[arg(long = "type", value_enum, default_value_t = AmountType::Closed)]
        type_amount: AmountType,
    },
    /// Create an order for a sale point's closed static QR
    /// (POST v2/payment/cashin/qr/static/order).
    Order {
        /// The sale point id.
        #[arg(long)]
        sale_point_id: u64,
        #[command(flatten)]
        amount: AmountConcept,
    },
}

/// `--type` of `sale-points static-qr`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AmountType {
    /// The QR charges the amount of the current order.
    Closed,
    /// The payer enters the amount.
    Open,
}

/// Runs `pagos telepagos …`.
pub async fn run(args: TelepagosArgs, settings: Settings) -> CliResult<Output> {
    let mut overrides = Overrides::new();
    overrides
        .set("PAGOS_TELEPAGOS_BASE_URL", args.base_url.as_deref())
        .set("PAGOS_TELEPAGOS_ENV", args.environment.as_deref())
        .set("PAGOS_TELEPAGOS_TIME_ZONE", args.time_zone.as_deref())
        .set("PAGOS_TELEPAGOS_GET_PARAMS", args.get_params.as_deref());
    let client = || -> CliResult<TelepagosClient> {
        Ok(pagos::telepagos::client_from_config(
            &overrides.shared(settings)?,
        )?)
    };
    match args.command {
        TelepagosCommand::Auth => {
            let client = client()?;
            let token = client.session().token().await?;
            let seconds = token.token().remaining().map(|d| d.as_secs());
            let username = client.session().authenticator().endpoint().username();
            let fields = vec![
                ("authenticated".to_string(), "yes".to_string()),
                ("username".to_string(), username.to_string()),
                (
                    "expires_in".to_string(),
                    seconds.map_or_else(|| "unknown".to_string(), |s| format!("{s} s")),
                ),
            ];
            Ok(Output::value(
                &serde_json::json!({
                    "authenticated": true,
                    "username": username,
                    "expires_in_seconds": seconds,
                }),
                Human::Fields(fields),
            ))
        }
        TelepagosCommand::Account(cmd) => account(cmd, client).await,
        TelepagosCommand::Cashin(cmd) => cashin(cmd, client).await,
        TelepagosCommand::Cashout(cmd) => cashout(cmd, client).await,
        TelepagosCommand::SalePoints(cmd) => sale_points(cmd, client).await,
        TelepagosCommand::Statistics { period } => {
            let stats = client()?.statistics().get(&period).await?;
            Ok(Output::answer(&stats, &stats.raw))
        }
    }
}

/// Each item serialized, for a table of their fields.
fn json_items<T: Serialize>(items: &[T]) -> Vec<String> {
    items
        .iter()
        .map(|item| serde_json::to_string(item).unwrap_or_default())
        .collect()
}

const TRANSACTION_COLUMNS: &[(&str, &str)] = &[
    ("DATE", "date"),
    ("INCOME", "income"),
    ("AMOUNT", "amount"),
    ("OPERATION", "operation"),
    ("STATUS", "status"),
    ("HOLDER", "holder"),
    ("CVU_CBU", "cvu_cbu"),
];

/// Every transaction of `account transactions --all`.
#[derive(Serialize)]
struct AllTransactions {
    transactions: Vec<Transaction>,
}

async fn account(
    cmd: AccountCommand,
    client: impl Fn() -> CliResult<TelepagosClient>,
) -> CliResult<Output> {
    match cmd {
        AccountCommand::Balance => {
            let balance = client()?.account().balance().await?;
            Ok(Output::answer(&balance, &balance.raw))
        }
        AccountCommand::Transactions {
            from,
            to,
            operation,
            page,
            all,
        } => {
            let mut query =
                TransactionsQuery::new(parse::date("from", &from)?, parse::date("to", &to)?);
            if let Some(op) = operation {
                query = query.operation(op);
            }
            if let Some(p) = page {
                query = query.page(p);
            }
            let client = client()?;
            if all {
                let transactions: Vec<Transaction> =
                    client.transactions().stream(query).try_collect().await?;
                let table = table_of(&json_items(&transactions), TRANSACTION_COLUMNS);
                Ok(Output::value(&AllTransactions { transactions }, table))
            } else {
                let page = client.transactions().list(&query).await?;
                let table = table_of(&json_items(&page.items), TRANSACTION_COLUMNS);
                Ok(Output::value(&page, table))
            }
        }
        AccountCommand::Filters => {
            let filters = client()?.transactions().filters().await?;
            let table = table_of(
                &json_items(&filters.items),
                &[("ID", "id"), ("NAME", "name"), ("TYPE", "type")],
            );
            Ok(Output::value(&filters, table))
        }
    }
}

async fn cashin(
    cmd: CashinCommand,
    client: impl Fn() -> CliResult<TelepagosClient>,
) -> CliResult<Output> {
    match cmd {
        CashinCommand::Qr(a) => {
            let mut req = QrRequest::new(parse::money(&a.amount, &a.currency)?, a.concept);
            if let Some(d) = a.description {
                req = req.description(d);
            }
            let qr = client()?.cashins().qr(&req).await?;
            Ok(Output::answer(&qr, &qr.raw))
        }
        CashinCommand::TransferLink { cvu, cuit, amount } => {
            let money = parse::money(&amount.amount, &amount.currency)?;
            let mut req = TransferRequest::new(cvu, cuit, money, amount.concept);
            if let Some(d) = amount.description {
                req = req.description(d);
            }
            let link = client()?.cashins().transfer_link(&req).await?;
            Ok(Output::answer(&link, &link.raw))
        }
        CashinCommand::PaymentLink {
            amount,
            expires,
            multiple_use,
            distribute,
        } => {
            if amount.description.is_some() {
                // POST v2/payment/cashin/link/generate has no description field.
                return Err(pagos::ValidationError::new(
                    "description",
                    "a TelePagos payment link has no description field (use --concept)",
                )
                .into());
            }
            let money = parse::money(&amount.amount, &amount.currency)?;
            let expires = parse::datetime("expires", &expires)?;
            let mut req =
                PaymentLinkRequest::new(money, amount.concept, expires).multiple_use(multiple_use);
            for share in &distribute {
                let (cvu, value) = parse::key_value("distribute", share)?;
                let share_amount = parse::money(&value, &amount.currency)
                    .map_err(|e| e.for_field("distribute"))?;
                req = req.distribute(cvu, share_amount);
            }
            let link = client()?.cashins().payment_link(&req).await?;
            Ok(Output::answer(&link, &link.raw))
        }
        CashinCommand::Get { id } => {
            let cash_in = client()?.cashins().get(&id).await?;
            Ok(Output::answer(&cash_in, &cash_in.raw))
        }
    }
}

async fn cashout(
    cmd: CashoutCommand,
    client: impl Fn() -> CliResult<TelepagosClient>,
) -> CliResult<Output> {
    match cmd {
        CashoutCommand::Create(a) => {
            let money = parse::money(&a.amount, &a.currency)?;
            let concept = a
                .concept
                .parse::<Concept>()
                .unwrap_or_else(|_| Concept::Other(a.concept.trim().to_string()));
            let mut b = CashoutRequest::builder(money, a.cuit.clone(), a.reference_id.clone())
                .concept(concept);
            if let Some(cvu) = &a.cvu {
                b = b.cvu(cvu.clone());
            }
            if let Some(alias) = &a.alias {
                b = b.alias(alias.clone());
            }
            if let Some(d) = &a.description {
                b = b.description(d.clone());
            }
            let request = b.build()?;
            let receipt = client()?.cashouts().create(&request).await?;
            Ok(Output::answer(&receipt, &receipt.raw))
        }
        CashoutCommand::Voucher { id, output } => {
            let voucher = client()?.cashouts().voucher(&id).await?;
            let saved = match &output {
                Some(path) => {
                    std::fs::write(path, &voucher.pdf).map_err(|e| {
                        CliError::Failed(format!("cannot write {}: {e}", path.display()))
                    })?;
                    Some(path.display().to_string())
                }
                None => None,
            };
            // The document itself is base64 in the answer: a summary reads better.
            let mut fields = vec![
                ("id".to_string(), id),
                (
                    "status".to_string(),
                    voucher.status.clone().unwrap_or_default(),
                ),
                ("pdf_bytes".to_string(), voucher.pdf.len().to_string()),
                (
                    "is_pdf".to_string(),
                    voucher.pdf.starts_with(b"%PDF").to_string(),
                ),
            ];
            if let Some(saved) = saved {
                fields.push(("saved_to".to_string(), saved));
            }
            Ok(Output::value(&voucher, Human::Fields(fields)))
        }
        CashoutCommand::Concepts => {
            let concepts = client()?.cashouts().concepts().await?;
            let items: Vec<String> = concepts.items.iter().map(|c| c.get().to_string()).collect();
            let human = if items.iter().all(|c| c.trim_start().starts_with('{')) {
                table_of(&items, &[("ID", "id"), ("NAME", "name")])
            } else {
                let lines: Vec<String> = concepts
                    .items
                    .iter()
                    .map(|c| c.decode::<String>().unwrap_or_else(|_| c.get().to_string()))
                    .collect();
                Human::Text(lines.join("\n"))
            };
            Ok(Output::value(&concepts, human))
        }
    }
}

async fn sale_points(
    cmd: SalePointCommand,
    client: impl Fn() -> CliResult<TelepagosClient>,
) -> CliResult<Output> {
    match cmd {
        SalePointCommand::List => {
            let points = client()?.sale_points().list().await?;
            let table = table_of(
                &json_items(&points.items),
                &[("ID", "id"), ("NAME", "name"), ("STATUS", "status")],
            );
            Ok(Output::value(&points, table))
        }
        SalePointCommand::Create { name } => {
            let created = client()?.sale_points().create(&name).await?;
            Ok(Output::answer(&created, &created.raw))
        }
        SalePointCommand::Delete { id } => {
            let deleted = client()?.sale_points().delete(id).await?;
            Ok(Output::answer(&deleted, &deleted.raw))
        }
        SalePointCommand::StaticQr { id, type_amount } => {
            let kind = match type_amount {
                AmountType::Closed => QrAmountType::Closed,
                AmountType::Open => QrAmountType::Open,
            };
            let qr = client()?.sale_points().static_qr(id, kind).await?;
            Ok(Output::answer(&qr, &qr.raw))
        }
        SalePointCommand::Order {
            sale_point_id,
            amount,
        } => {
            let money = parse::money(&amount.amount, &amount.currency)?;
            let mut req = StaticQrOrderRequest::new(money, amount.concept, sale_point_id);
            if let Some(d) = amount.description {
                req = req.description(d);
            }
            let order = client()?.sale_points().static_qr_order(&req).await?;
            Ok(Output::answer(&order, &order.raw))
        }
    }
}
