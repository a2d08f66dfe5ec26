//! `pagos compropago …`: every endpoint of [`pagos::compropago::CompropagoClient`].
//!
//! | command | endpoint |
//! |---|---|
//! | `orders create` | `POST /v2/orders` |
//! | `orders get ID` | `GET /v2/orders/{id}` |
//! | `clabes create` | `POST /v2/createClabe` |
//! | `accounts create` | `POST /v2/createAccount` |
//! | `accounts list` | `GET /v2/accounts` |
//! | `accounts subaccounts ID` | `GET /v2/accounts/{id}` |
//! | `accounts transactions ID [--clabe]` | `GET /v2/accounts/{id}/transactions` |
//! | `webhook confirm --amount A (--product-id P \| --order-id ch_…)` | reads a posted body, then `GET /v2/orders/{id}`, checked against the expected order |

use std::io::Read as _;

use clap::{Args, Subcommand};
use pagos::compropago::webhook::{ExpectedOrder, OrderRef, WebhookError, WebhookEvent};
use pagos::compropago::{
    AccountCustomer, ClabeCustomer, CompropagoClient, CreateAccount, CreateClabe, CreateOrder,
    Customer, Frequency, PaymentType, Product,
};
use serde_json::json;

use crate::config::{Overrides, Settings};
use crate::error::{CliError, CliResult};
use crate::output::{Human, Output, table_of};
use crate::parse;

/// `pagos compropago`.
#[derive(Debug, Args)]
#[command(
    after_help = "Environment: PAGOS_COMPROPAGO_PRIVATE_KEY and PAGOS_COMPROPAGO_PUBLIC_KEY (required), PAGOS_COMPROPAGO_BASE_URL."
)]
pub struct CompropagoArgs {
    /// Base URL (overrides PAGOS_COMPROPAGO_BASE_URL), e.g. https://api.compropago.com.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// The resource.
    #[command(subcommand)]
    pub command: CompropagoCommand,
}

/// ComproPago resources.
#[derive(Debug, Subcommand)]
pub enum CompropagoCommand {
    /// SPEI payment orders.
    #[command(subcommand)]
    Orders(OrderCommand),
    /// Reusable CLABEs tied to a customer.
    #[command(subcommand)]
    Clabes(ClabeCommand),
    /// Accounts with CLABE sub-accounts.
    #[command(subcommand)]
    Accounts(AccountCommand),
    /// Webhooks (ComproPago does not sign them).
    #[command(subcommand)]
    Webhook(WebhookCommand),
}

/// Order actions.
#[derive(Debug, Subcommand)]
pub enum OrderCommand {
    /// Create a SPEI order (POST /v2/orders); prints the CLABE to transfer to.
    Create(Box<CreateOrderArgs>),
    /// Fetch an order (GET /v2/orders/{id}).
    Get {
        /// ComproPago's order id (ch_…).
        id: String,
    },
}

/// CLABE actions.
#[derive(Debug, Subcommand)]
pub enum ClabeCommand {
    /// Create a CLABE for a customer (POST /v2/createClabe).
    Create(CreateClabeArgs),
}

/// Account actions.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account with a CLABE (POST /v2/createAccount).
    Create(CreateAccountArgs),
    /// List your accounts (GET /v2/accounts).
    List,
    /// List an account's sub-accounts and their CLABEs (GET /v2/accounts/{id}).
    Subaccounts {
        /// The account id.
        account_id: String,
    },
    /// List an account's movements (GET /v2/accounts/{id}/transactions).
    Transactions {
        /// The account id.
        account_id: String,
        /// Only the movements of this CLABE.
        #[arg(long)]
        clabe: Option<String>,
    },
}

/// Webhook actions.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Confirm a posted webhook body: recognise the test ping, or fetch the order it
    /// names with your keys, check that it is the order you expect for its price, and
    /// print the fetched order (never the posted status). Exit 1 when a check fails.
    Confirm {
        /// The posted body, as JSON text.
        #[arg(long, conflicts_with = "file")]
        body: Option<String>,
        /// A file holding the posted body; `-` reads standard input.
        #[arg(long, value_name = "PATH")]
        file: Option<String>,
        /// The expected order's price (exact decimal text).
        #[arg(long)]
        amount: String,
        /// The expected order's currency.
        #[arg(long, default_value = "MXN")]
        currency: String,
        /// Your product.id of the expected order. This or --order-id is required:
        /// without it, a paid order of the same price would pass.
        #[arg(long, required_unless_present = "order_id")]
        product_id: Option<String>,
        /// ComproPago's id (ch_…) of the expected order, instead of --product-id.
        #[arg(long, conflicts_with = "product_id")]
        order_id: Option<String>,
    },
}

/// `orders create`.
#[derive(Debug, Args)]
pub struct CreateOrderArgs {
    /// Your product or order id (product.id).
    #[arg(long)]
    pub product_id: String,
    /// What is charged (product.name).
    #[arg(long)]
    pub product_name: String,
    /// Price, exact decimal text (at most 2 decimals).
    #[arg(long)]
    pub amount: String,
    /// Currency (ComproPago takes MXN).
    #[arg(long, default_value = "MXN")]
    pub currency: String,
    /// Product image URL.
    #[arg(long)]
    pub product_url: Option<String>,
    /// Your customer id (the same id gets the same CLABE).
    #[arg(long)]
    pub customer_id: String,
    /// Customer name.
    #[arg(long)]
    pub customer_name: String,
    /// Customer e-mail.
    #[arg(long)]
    pub customer_email: String,
    /// Customer phone: 10 digits in any common form (+52 55 1234 5678, (55) 1234-5678),
    /// sent as the 10 national digits, or plain digits sent as written (the API shows
    /// "6666"); another country's number is refused.
    #[arg(long)]
    pub customer_phone: Option<String>,
    /// Payment type.
    #[arg(long, default_value = "SPEI")]
    pub payment_type: String,
    /// Expiry (RFC 3339, UTC YYYY-MM-DDTHH:MM:SS, or epoch seconds).
    #[arg(long, value_name = "DATETIME")]
    pub expires_at: Option<String>,
}

/// `clabes create`.
#[derive(Debug, Args)]
pub struct CreateClabeArgs {
    /// Your customer id.
    #[arg(long)]
    pub customer_id: String,
    /// Customer e-mail (receives the CLABE).
    #[arg(long)]
    pub customer_email: String,
    /// Customer phone: 10 digits in any common form (+52 55 1234 5678, (55) 1234-5678),
    /// sent as the 10 national digits, or plain digits sent as written (the API shows
    /// "6666"); another country's number is refused.
    #[arg(long)]
    pub customer_phone: Option<String>,
    /// Which payments are accepted (wire field `frecuency`).
    #[arg(long, default_value = "unlimited")]
    pub frequency: String,
    /// When the CLABE stops accepting payments.
    #[arg(long, value_name = "DATETIME")]
    pub expires_at: Option<String>,
    /// Accept only payments of this amount (exact decimal text); needs --currency.
    #[arg(long)]
    pub amount: Option<String>,
    /// Currency of --amount (MXN).
    #[arg(long, default_value = "MXN")]
    pub currency: String,
}

/// `accounts create`.
#[derive(Debug, Args)]
pub struct CreateAccountArgs {
    /// The account's name.
    #[arg(long)]
    pub name: String,
    /// Your identifier for the account.
    #[arg(long)]
    pub reference: String,
    /// CLABE holder's name.
    #[arg(long)]
    pub customer_name: String,
    /// CLABE holder's e-mail.
    #[arg(long)]
    pub customer_email: String,
    /// Your sub-account id (customer.id).
    #[arg(long)]
    pub customer_id: Option<String>,
    /// CLABE holder's phone: 10 digits in any common form (+52 55 1234 5678), sent as
    /// the 10 national digits, or plain digits sent as written; another country's number
    /// is refused.
    #[arg(long)]
    pub customer_phone: Option<String>,
}

/// Runs `pagos compropago …`.
pub async fn run(args: CompropagoArgs, settings: Settings) -> CliResult<Output> {
    let mut overrides = Overrides::new();
    overrides.set("PAGOS_COMPROPAGO_BASE_URL", args.base_url.as_deref());
    let client = || -> CliResult<CompropagoClient> {
        Ok(pagos::compropago::client_from_config(
            &overrides.shared(settings)?,
        )?)
    };
    match args.command {
        CompropagoCommand::Orders(OrderCommand::Create(a)) => {
            let order = client()?.orders().create(&order_request(&a)?).await?;
            Ok(Output::answer(&order, &order.raw))
        }
        CompropagoCommand::Orders(OrderCommand::Get { id }) => {
            let order = client()?.orders().get(&id).await?;
            Ok(Output::answer(&order, &order.raw))
        }
        CompropagoCommand::Clabes(ClabeCommand::Create(a)) => {
            let mut customer = ClabeCustomer::new(a.customer_id.clone(), a.customer_email.clone());
            if let Some(p) = &a.customer_phone {
                customer = customer.phone(p.clone());
            }
            let mut req = CreateClabe::new(customer, Frequency::from_wire(&a.frequency));
            if let Some(at) = &a.expires_at {
                req = req.expires_at(parse::datetime("expires_at", at)?);
            }
            if let Some(amount) = &a.amount {
                req = req.amount(parse::money(amount, &a.currency)?);
            }
            let clabe = client()?.clabes().create(&req).await?;
            Ok(Output::answer(&clabe, &clabe.raw))
        }
        CompropagoCommand::Accounts(cmd) => match cmd {
            AccountCommand::Create(a) => {
                let mut customer =
                    AccountCustomer::new(a.customer_name.clone(), a.customer_email.clone());
                if let Some(id) = &a.customer_id {
                    customer = customer.id(id.clone());
                }
                if let Some(p) = &a.customer_phone {
                    customer = customer.phone(p.clone());
                }
                let req = CreateAccount::new(a.name.clone(), a.reference.clone(), customer);
                let account = client()?.accounts().create(&req).await?;
                Ok(Output::answer(&account, &account.raw))
            }
            AccountCommand::List => {
                let page = client()?.accounts().list().await?;
                let items: Vec<String> = page.items.iter().map(|a| a.raw.get().into()).collect();
                Ok(list(
                    &page,
                    &items,
                    &[
                        ("ID", "id"),
                        ("ACCOUNT_ID", "accountId"),
                        ("REFERENCE", "reference"),
                        ("NAME", "name"),
                        ("BALANCE", "balance"),
                    ],
                ))
            }
            AccountCommand::Subaccounts { account_id } => {
                let page = client()?.accounts().subaccounts(&account_id).await?;
                let items: Vec<String> = page.items.iter().map(|a| a.raw.get().into()).collect();
                Ok(list(
                    &page,
                    &items,
                    &[("ID", "id"), ("NAME", "name"), ("CLABE", "clabe")],
                ))
            }
            AccountCommand::Transactions { account_id, clabe } => {
                let page = client()?
                    .accounts()
                    .transactions(&account_id, clabe.as_deref())
                    .await?;
                let items: Vec<String> = page.items.iter().map(|t| t.raw.get().into()).collect();
                Ok(list(
                    &page,
                    &items,
                    &[
                        ("ID", "id"),
                        ("DATE", "date"),
                        ("AMOUNT", "amount"),
                        ("STATUS", "status"),
                        ("DESCRIPTION", "description"),
                        ("REFERENCE", "reference"),
                    ],
                ))
            }
        },
        CompropagoCommand::Webhook(WebhookCommand::Confirm {
            body,
            file,
            amount,
            currency,
            product_id,
            order_id,
        }) => {
            let amount = parse::money(&amount, &currency)?;
            let order = match (product_id, order_id) {
                (Some(p), _) => OrderRef::ProductId(p),
                (None, Some(o)) => OrderRef::OrderId(o),
                // clap requires one of the two.
                (None, None) => {
                    return Err(CliError::usage(
                        "give --product-id or --order-id: the order the webhook must be about",
                    ));
                }
            };
            let expected = ExpectedOrder::new(amount, order);
            let body = read_body(body, file)?;
            // Recognise an unusable body before anything is sent.
            pagos::compropago::webhook::parse(body.as_bytes())?;
            let event = client()?
                .confirm_webhook(body.as_bytes(), &expected)
                .await
                .map_err(webhook_error)?;
            match event {
                WebhookEvent::TestPing => Ok(Output::value(
                    &json!({"event": "test_ping"}),
                    Human::Text("the dashboard's test ping: nothing to confirm".into()),
                )),
                WebhookEvent::Order(order) => Ok(Output::answer(&order, &order.raw)),
                other => Ok(Output::value(
                    &json!({"event": format!("{other:?}")}),
                    Human::Text(format!("{other:?}")),
                )),
            }
        }
    }
}

/// Exit codes as for every SDK error, and 1 when a check failed (like a Khipu
/// notification check).
fn webhook_error(e: WebhookError) -> CliError {
    match e {
        WebhookError::Invalid(v) => CliError::Pagos(v.into()),
        WebhookError::Fetch(inner) => CliError::Pagos(inner),
        other => CliError::Failed(other.to_string()),
    }
}

fn order_request(a: &CreateOrderArgs) -> CliResult<CreateOrder> {
    let price = parse::money(&a.amount, &a.currency)?;
    let mut product = Product::new(a.product_id.clone(), a.product_name.clone(), price);
    if let Some(u) = &a.product_url {
        product = product.url(u.clone());
    }
    let mut customer = Customer::new(
        a.customer_id.clone(),
        a.customer_name.clone(),
        a.customer_email.clone(),
    );
    if let Some(p) = &a.customer_phone {
        customer = customer.phone(p.clone());
    }
    let payment_type = if a.payment_type.trim().eq_ignore_ascii_case("SPEI") {
        PaymentType::Spei
    } else {
        PaymentType::Other(a.payment_type.clone())
    };
    let mut order = CreateOrder::new(product, customer).payment_type(payment_type);
    if let Some(at) = &a.expires_at {
        order = order.expires_at(parse::datetime("expires_at", at)?);
    }
    Ok(order)
}

fn read_body(body: Option<String>, file: Option<String>) -> CliResult<String> {
    match (body, file) {
        (Some(b), _) => Ok(b),
        (None, Some(path)) if path == "-" => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| CliError::usage(format!("cannot read standard input: {e}")))?;
            Ok(s)
        }
        (None, Some(path)) => std::fs::read_to_string(&path)
            .map_err(|e| CliError::usage(format!("cannot read {path}: {e}"))),
        (None, None) => Err(CliError::usage(
            "give the posted body with --body JSON or --file PATH (- for stdin)",
        )),
    }
}

/// A listing: `--json` prints the typed page (its items, and `raw`, the answer as
/// received); the human form is a table of the items' own JSON.
fn list<T: serde::Serialize>(
    page: &pagos::Page<T>,
    items: &[String],
    columns: &[(&str, &str)],
) -> Output {
    Output::value(page, table_of(items, columns))
}
