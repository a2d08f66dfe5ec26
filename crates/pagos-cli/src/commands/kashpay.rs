//! `pagos kashpay …`: every endpoint of [`pagos::kashpay::KashpayClient`]. `--json`
//! prints the typed answer (Kashpay's own text in its `raw`).
//!
//! | command | endpoint |
//! |---|---|
//! | `auth check` | `POST /AuthenticationService/authenticate` (the token is never printed) |
//! | `orders create` | `POST /OKPay/createOrder` |
//!
//! `orders create --help` lists the SDK's assumptions about what the Kashpay API leaves
//! undocumented ([`WireAssumptions`]) with their defaults, each with an `--assume-…`
//! flag to override it.

use clap::{Args, Subcommand};
use pagos::ValidationError;
use pagos::kashpay::{
    AccountType, AccountTypeCodes, DateFormat, KashpayClient, OrderRequest, ReferenceChars,
    TransactionType, WireAssumptions,
};
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
    /// Concept (at most --assume-concept-max-chars characters, 40 by default).
    #[arg(long)]
    pub concept: String,
    /// numericReference, sent as given: digits without a leading zero, at most
    /// --assume-numeric-reference-max-digits (10 by default; the API's example is
    /// 43223123). Never hashed: anything else is refused.
    #[arg(long, value_name = "DIGITS")]
    pub numeric_reference: String,
    /// alphanumericReference: the characters --assume-alphanumeric-reference allows
    /// (letters and digits by default, so no '-').
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

    /// The rules the Kashpay API leaves undocumented (the SDK's WireAssumptions).
    #[command(flatten)]
    pub assume: AssumeArgs,
}

/// The heading of the assumption flags in `--help`.
const ASSUMPTIONS: &str = "Wire assumptions (undocumented by the Kashpay API; the defaults are \
the SDK's WireAssumptions, override them when Kashpay tells you otherwise)";

/// `orders create`'s assumption flags: one per field of [`WireAssumptions`], each
/// defaulting to the SDK's choice.
#[derive(Debug, Args)]
pub struct AssumeArgs {
    /// Characters alphanumericReference may hold: letters-digits (the API's example
    /// PROVV0011712091) or printable (any printable ASCII).
    #[arg(long, value_name = "CHARS", default_value = "letters-digits", help_heading = ASSUMPTIONS)]
    pub assume_alphanumeric_reference: String,
    /// Most characters in concept (SPEI's payment concept holds 40).
    #[arg(long, value_name = "N", default_value_t = WireAssumptions::DEFAULT.concept_max_chars, help_heading = ASSUMPTIONS)]
    pub assume_concept_max_chars: usize,
    /// dateTransaction format: ddMMyy (the API's example 030421 as 3 April 2021),
    /// MMddyy or yyMMdd.
    #[arg(long, value_name = "FORMAT", default_value_t = WireAssumptions::DEFAULT.date_transaction.pattern().to_string(), help_heading = ASSUMPTIONS)]
    pub assume_date_format: String,
    /// beneficiaryTypeAcount code sent for --account-type clabe (SPEI catalogue: 40).
    #[arg(long, value_name = "CODE", default_value_t = AccountTypeCodes::DEFAULT.clabe.to_string(), help_heading = ASSUMPTIONS)]
    pub assume_clabe_code: String,
    /// beneficiaryTypeAcount code sent for --account-type debit-card (SPEI catalogue: 3).
    #[arg(long, value_name = "CODE", default_value_t = AccountTypeCodes::DEFAULT.debit_card.to_string(), help_heading = ASSUMPTIONS)]
    pub assume_debit_card_code: String,
    /// beneficiaryTypeAcount code sent for --account-type mobile-phone (SPEI catalogue: 10).
    #[arg(long, value_name = "CODE", default_value_t = AccountTypeCodes::DEFAULT.mobile_phone.to_string(), help_heading = ASSUMPTIONS)]
    pub assume_mobile_phone_code: String,
    /// Most digits in numericReference (the API's example has 8).
    #[arg(long, value_name = "N", default_value_t = WireAssumptions::DEFAULT.numeric_reference_max_digits, help_heading = ASSUMPTIONS)]
    pub assume_numeric_reference_max_digits: u32,
}

impl AssumeArgs {
    /// The [`WireAssumptions`] the flags say.
    fn assumptions(&self) -> CliResult<WireAssumptions> {
        let chars = match self
            .assume_alphanumeric_reference
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "letters-digits" | "alphanumeric" => ReferenceChars::LettersAndDigits,
            "printable" => ReferenceChars::Printable,
            other => {
                return Err(ValidationError::new(
                    "assume_alphanumeric_reference",
                    format!("{other:?}: expected letters-digits or printable"),
                )
                .into());
            }
        };
        let date = match self.assume_date_format.trim().to_ascii_lowercase().as_str() {
            "ddmmyy" => DateFormat::DayMonthYear,
            "mmddyy" => DateFormat::MonthDayYear,
            "yymmdd" => DateFormat::YearMonthDay,
            other => {
                return Err(ValidationError::new(
                    "assume_date_format",
                    format!("{other:?}: expected ddMMyy, MMddyy or yyMMdd"),
                )
                .into());
            }
        };
        let code = |field: &'static str, value: &str| -> CliResult<String> {
            let value = value.trim();
            if value.is_empty() {
                return Err(
                    ValidationError::new(field, "an account-type code cannot be blank").into(),
                );
            }
            Ok(value.to_string())
        };
        let codes = AccountTypeCodes::default()
            .clabe(code("assume_clabe_code", &self.assume_clabe_code)?)
            .debit_card(code(
                "assume_debit_card_code",
                &self.assume_debit_card_code,
            )?)
            .mobile_phone(code(
                "assume_mobile_phone_code",
                &self.assume_mobile_phone_code,
            )?);
        if self.assume_concept_max_chars == 0 {
            return Err(
                ValidationError::new("assume_concept_max_chars", "must be at least 1").into(),
            );
        }
        if !(1..=19).contains(&self.assume_numeric_reference_max_digits) {
            return Err(ValidationError::new(
                "assume_numeric_reference_max_digits",
                "must be 1 to 19 (a numericReference is sent as a JSON integer)",
            )
            .into());
        }
        Ok(WireAssumptions::default()
            .alphanumeric_reference(chars)
            .concept_max_chars(self.assume_concept_max_chars)
            .date_transaction(date)
            .account_type_codes(codes)
            .numeric_reference_max_digits(self.assume_numeric_reference_max_digits))
    }
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
            let assumptions = a.assume.assumptions()?;
            let order = order_request(&a, &assumptions)?;
            let created = client()?
                .with_wire_assumptions(assumptions)
                .orders()
                .create(&order)
                .await?;
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

fn order_request(a: &CreateOrderArgs, assumptions: &WireAssumptions) -> CliResult<OrderRequest> {
    let amount = parse::money(&a.amount, &a.currency)?;
    let mut b = OrderRequest::builder(TransactionType::from_code(a.type_transaction), amount)
        .beneficiary(
            account_type(&a.account_type),
            a.account.clone(),
            a.name.clone(),
        )
        .concept(a.concept.clone())
        .numeric_reference(
            assumptions.parse_numeric_reference("numeric_reference", &a.numeric_reference)?,
        )
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
    Ok(b.build_with(assumptions)?)
}
