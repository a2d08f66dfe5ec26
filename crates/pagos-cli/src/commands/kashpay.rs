//! `pagos kashpay …`: every endpoint of [`pagos::kashpay::KashpayClient`]. `--json`
//! prints the typed answer (Kashpay's own text in its `raw`).
//!
//! | command | endpoint |
//! |---|---|
//! | `auth check` | `POST /AuthenticationService/authenticate` (the token is never printed) |
//! | `orders create` | `POST /OKPay/createOrder` |

use clap::{Args, Subcommand};
use pagos::kashpay::{AccountType, KashpayClient, OrderRequest, TransactionType};
use serde_json::json;

use crate::config::{Overrides, Settings};
use crate::error::CliResult;
use crate::output::{Human, Output};
use crate::parse;

/// `pagos kashpay`.
#[derive(Debug, Args)]
#[command(
    after_help = "Environment: PAGOS_KASHPAY_ENTITY, PAGOS_KASHPAY_USER and \
PAGOS_KASHPAY_PASSWORD (required); PAGOS_KASHPAY_ENV (sandbox/production), \
PAGOS_KASHPAY_AUTH_URL, PAGOS_KASHPAY_ORDERS_URL."
)]
pub struct KashpayArgs {
    /// One base URL for both services, authentication and orders (overrides
    /// PAGOS_KASHPAY_AUTH_URL and PAGOS_KASHPAY_ORDERS_URL), e.g. the pagos sandbox's
    /// http://127.0.0.1:PORT/kashpay.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Authentication base URL (overrides PAGOS_KASHPAY_AUTH_URL).
    #[arg(long, global = true, value_name = "URL", conflicts_with = "base_url")]
    pub auth_url: Option<String>,
    /// Orders (OKPay) base URL (overrides PAGOS_KASHPAY_ORDERS_URL).
    #[arg(long, global = true, value_name = "URL", conflicts_with = "base_url")]
    pub orders_url: Option<String>,
    /// Which documented hosts to use: sandbox or production (overrides PAGOS_KASHPAY_ENV).
    #[arg(long = "env", global = true, value_name = "ENV")]
    pub environment: Option<String>,

    /// The resource.
    #[command(subcommand)]
    pub command: KashpayCommand,
}

/// Kashpay resources.
#[derive(Debug, Subcommand)]
pub enum KashpayCommand {
    /// The session token.
    #[command(subcommand)]
    Auth(AuthCommand),
    /// Orders (OKPay createOrder).
    #[command(subcommand)]
    Orders(OrderCommand),
}

/// Authentication actions.
#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Authenticate (POST /AuthenticationService/authenticate) and print how long the
    /// session token lives. The token itself is a secret and is never printed.
    Check,
}

/// Order actions.
#[derive(Debug, Subcommand)]
pub enum OrderCommand {
    /// Create an order (POST /OKPay/createOrder), e.g. a SPEI transfer.
    Create(Box<CreateOrderArgs>),
}

/// `orders create`.
#[derive(Debug, Args)]
pub struct CreateOrderArgs {
    /// typeTransaction code: 1 SPEI out, 2 SPEI return, 3 SPEI in, 4 between accounts,
    /// 10 top-up, 11 bill payment, 19 payment order, 20/21 withdrawal with reference,
    /// 22-27 acquiring.
    #[arg(long = "type", default_value_t = 1, value_name = "CODE")]
    pub type_transaction: u32,
    /// Amount, exact decimal text (at most 2 decimals).
    #[arg(long)]
    pub amount: String,
    /// Currency (Kashpay takes MXN, sent as 484).
    #[arg(long, default_value = "MXN")]
    pub currency: String,
    /// The account credited (beneficiaryAcount), e.g. an 18-digit CLABE.
    #[arg(long)]
    pub account: String,
    /// Account type: clabe (40), debit-card (3), mobile-phone (10), or another code.
    #[arg(long, default_value = "clabe")]
    pub account_type: String,
    /// Beneficiary name.
    #[arg(long)]
    pub name: String,
    /// Concept (at most 40 characters, SPEI's limit).
    #[arg(long)]
    pub concept: String,
    /// numericReference (digits).
    #[arg(long)]
    pub numeric_reference: u64,
    /// alphanumericReference: ASCII letters and digits only (no '-').
    #[arg(long)]
    pub alphanumeric_reference: String,
    /// Beneficiary e-mail.
    #[arg(long)]
    pub email: Option<String>,
    /// Beneficiary address (beneficiaryAddress1).
    #[arg(long)]
    pub address: Option<String>,
    /// Beneficiary city.
    #[arg(long)]
    pub city: Option<String>,
    /// Postal code (5 digits).
    #[arg(long)]
    pub postal_code: Option<String>,
    /// Beneficiary institution code (codeInstituteBank), e.g. 002; default: a CLABE's
    /// first three digits.
    #[arg(long)]
    pub bank_code: Option<String>,
    /// idBank.
    #[arg(long)]
    pub id_bank: Option<u64>,
    /// idEntity.
    #[arg(long)]
    pub id_entity: Option<u64>,
    /// Description.
    #[arg(long)]
    pub description: Option<String>,
    /// referenceCreatedPayment.
    #[arg(long)]
    pub reference_created_payment: Option<String>,
    /// dateTransaction (YYYY-MM-DD; default: today in Mexico City).
    #[arg(long)]
    pub date: Option<String>,
    /// dataAccreditationBeneficiary.
    #[arg(long, default_value_t = 99)]
    pub accreditation: u32,
}

/// Runs `pagos kashpay …`.
pub async fn run(args: KashpayArgs, settings: Settings) -> CliResult<Output> {
    let mut overrides = Overrides::new();
    overrides
        .set("PAGOS_KASHPAY_AUTH_URL", args.base_url.as_deref())
        .set("PAGOS_KASHPAY_ORDERS_URL", args.base_url.as_deref())
        .set("PAGOS_KASHPAY_AUTH_URL", args.auth_url.as_deref())
        .set("PAGOS_KASHPAY_ORDERS_URL", args.orders_url.as_deref())
        .set("PAGOS_KASHPAY_ENV", args.environment.as_deref());
    let client = || -> CliResult<KashpayClient> {
        Ok(pagos::kashpay::client_from_config(
            &overrides.shared(settings)?,
        )?)
    };
    match args.command {
        KashpayCommand::Auth(AuthCommand::Check) => {
            let token = client()?.session().token().await?;
            let seconds = token.token().remaining().map(|d| d.as_secs());
            let mut fields = vec![("authenticated".to_string(), "yes".to_string())];
            fields.push((
                "expires_in".to_string(),
                seconds.map_or_else(|| "unknown".to_string(), |s| format!("{s} s")),
            ));
            Ok(Output::value(
                &json!({"authenticated": true, "expires_in_seconds": seconds}),
                Human::Fields(fields),
            ))
        }
        KashpayCommand::Orders(OrderCommand::Create(a)) => {
            let order = order_request(&a)?;
            let created = client()?.orders().create(&order).await?;
            Ok(Output::answer(&created, &created.raw))
        }
    }
}

fn account_type(text: &str) -> AccountType {
    match text.trim().to_ascii_lowercase().as_str() {
        "clabe" | "40" => AccountType::Clabe,
        "debit-card" | "card" | "3" => AccountType::DebitCard,
        "mobile-phone" | "phone" | "10" => AccountType::MobilePhone,
        other => AccountType::Other(other.to_string()),
    }
}

fn order_request(a: &CreateOrderArgs) -> CliResult<OrderRequest> {
    let amount = parse::money(&a.amount, &a.currency)?;
    let mut b = OrderRequest::builder(TransactionType::from_code(a.type_transaction), amount)
        .beneficiary(
            account_type(&a.account_type),
            a.account.clone(),
            a.name.clone(),
        )
        .concept(a.concept.clone())
        .numeric_reference(a.numeric_reference)
        .alphanumeric_reference(a.alphanumeric_reference.clone())
        .data_accreditation_beneficiary(a.accreditation);
    if let Some(v) = &a.email {
        b = b.email(v.clone());
    }
    if let Some(v) = &a.address {
        b = b.beneficiary_address1(v.clone());
    }
    if let Some(v) = &a.city {
        b = b.beneficiary_city(v.clone());
    }
    if let Some(v) = &a.postal_code {
        b = b.postal_code(v.clone());
    }
    if let Some(v) = &a.bank_code {
        b = b.code_institute_bank(v.clone());
    }
    if let Some(v) = a.id_bank {
        b = b.id_bank(v);
    }
    if let Some(v) = a.id_entity {
        b = b.id_entity(v);
    }
    if let Some(v) = &a.description {
        b = b.description(v.clone());
    }
    if let Some(v) = &a.reference_created_payment {
        b = b.reference_created_payment(v.clone());
    }
    if let Some(d) = &a.date {
        b = b.date_transaction(parse::date("date", d)?);
    }
    Ok(b.build()?)
}
