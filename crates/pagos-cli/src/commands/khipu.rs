//! `pagos khipu …`: every endpoint of [`pagos::khipu::KhipuClient`], the notification
//! check, and a signature calculator.
//!
//! | command | endpoint |
//! |---|---|
//! | `payments create` | `POST /payments` |
//! | `payments get ID` | `GET /payments/{id}` |
//! | `payments get-by-token TOKEN` | `GET /payments?notification_token=…` |
//! | `payments delete ID` | `DELETE /payments/{id}` |
//! | `payments confirm ID` | `POST /payments/{id}/confirm` |
//! | `payments refund ID [--amount]` | `POST /payments/{id}/refunds` |
//! | `banks list` | `GET /banks` |
//! | `receivers create` | `POST /receivers` |
//! | `merchants payment-methods ID` | `GET /merchants/{id}/paymentMethods` |
//! | `notification verify` | parses a 1.3 notification, then `GET /payments?notification_token=…` |
//! | `sign` | no request: prints the string to sign and the `Authorization` value |
//!
//! With `PAGOS_KHIPU_API_KEY` set (or `--api 3.0`) the same resources speak API 3.0,
//! plus what only 3.0 and PAC have:
//!
//! | command | endpoint |
//! |---|---|
//! | `payments create` | `POST /v3/payments` |
//! | `payments get ID` | `GET /v3/payments/{id}` |
//! | `payments delete ID` | `DELETE /v3/payments/{id}` |
//! | `payments confirm ID` | `POST /v3/payments/{id}/confirm` |
//! | `payments refund ID [--amount]` | `POST /v3/payments/{id}/refunds` (obsolete at Khipu) |
//! | `payments void ID` | `POST /v3/payments/{id}/void` |
//! | `refunds create --payment-id ID [--amount]` | `POST /v3/refunds` (full, or partial with --amount) |
//! | `refunds wallet-balance` | `GET /v3/refund-wallet/balance` |
//! | `banks list` | `GET /v3/banks` |
//! | `predict one` / `predict all` | `GET /v3/predict` / `GET /v3/predict/all` |
//! | `merchants payment-methods [ID]` | `GET /v3/merchants/{id}/paymentMethods` |
//! | `receivers create` | `POST /v3/receivers` |
//! | `receivers children` | `GET /v3/receivers/children` |
//! | `subscriptions create` / `get ID` / `delete ID` | PAC `…/automatic-payment/subscription` |
//! | `charges create` | PAC `POST /v1/automatic-payment/charge-intent` |
//! | `webhook verify` | no request: verifies a 3.0 webhook's `x-khipu-signature` (exit 0 valid, 1 not, 2 usage) |
//!
//! A command of only one API given to the other is refused (exit 2) before anything
//! is sent, and so is a flag the chosen API has no field for.

use std::io::Read as _;

use clap::{Args, Subcommand, ValueEnum};
use pagos::khipu::notification::{ExpectedOrder, ExpectedPayment, NotificationError};
use pagos::khipu::pac::charges::ChargeRequest;
use pagos::khipu::pac::subscriptions::SubscriptionRequest;
use pagos::khipu::v3::payments::CreatePaymentRequest as V3PaymentRequest;
use pagos::khipu::v3::receivers::{ChildSort, ChildrenQuery};
use pagos::khipu::v3::webhook::{Webhook, WebhookVerifier};
use pagos::khipu::{
    CreatePaymentRequest, CreateReceiverRequest, KhipuClient, KhipuSignature, KhipuV3Client,
    PaymentsResponse, SuccessResponse, signature,
};
use pagos::{Request, ValidationError};
use serde::Serialize;

use crate::config::{Overrides, Settings};
use crate::error::{CliError, CliResult};
use crate::output::{Human, Output, flatten, table_of};
use crate::parse;

/// `pagos khipu`.
#[derive(Debug, Args)]
#[command(
    after_help = "Environment: PAGOS_KHIPU_RECEIVER_ID and PAGOS_KHIPU_SECRET \
(required; the secret also verifies 3.0 webhooks), PAGOS_KHIPU_API_KEY (selects API 3.0 \
and PAC), PAGOS_KHIPU_BASE_URL (2.0), PAGOS_KHIPU_V3_BASE_URL (3.0)."
)]
pub struct KhipuArgs {
    /// Base URL of the chosen API (overrides PAGOS_KHIPU_BASE_URL for 2.0,
    /// PAGOS_KHIPU_V3_BASE_URL for 3.0).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// The API: 3.0 when PAGOS_KHIPU_API_KEY is set, else 2.0.
    #[arg(long, global = true, value_enum)]
    pub api: Option<Api>,

    /// The resource.
    #[command(subcommand)]
    pub command: KhipuCommand,
}

/// Which Khipu API a command speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Api {
    /// REST API 2.0: receiver id + secret, signed form requests.
    #[value(name = "2.0")]
    V2,
    /// API 3.0 and PAC: the API key, JSON.
    #[value(name = "3.0")]
    V3,
}

/// Khipu resources.
#[derive(Debug, Subcommand)]
pub enum KhipuCommand {
    /// Payments: create, fetch, delete, confirm, refund.
    #[command(subcommand)]
    Payments(PaymentCommand),
    /// Banks that can pay this receiver.
    #[command(subcommand)]
    Banks(BankCommand),
    /// Receivers (collection accounts created by an integrator).
    #[command(subcommand)]
    Receivers(ReceiverCommand),
    /// Merchants' payment methods.
    #[command(subcommand)]
    Merchants(MerchantCommand),
    /// Notifications (API 1.3) posted to a notify_url.
    #[command(subcommand)]
    Notification(NotificationCommand),
    /// Refunds from the refund wallet (API 3.0).
    #[command(subcommand)]
    Refunds(RefundCommand),
    /// Payment predictions (API 3.0).
    #[command(subcommand)]
    Predict(PredictCommand),
    /// PAC subscriptions (API 3.0 host).
    #[command(subcommand)]
    Subscriptions(SubscriptionCommand),
    /// PAC charge intents (API 3.0 host).
    #[command(subcommand)]
    Charges(ChargeCommand),
    /// Signed 3.0 webhooks (no request is sent).
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Print the string Khipu signs for a request and its `Authorization` value
    /// (receiver id and secret from PAGOS_KHIPU_RECEIVER_ID / PAGOS_KHIPU_SECRET; the
    /// secret itself is never printed). Nothing is sent.
    Sign(SignArgs),
}

/// Payment actions.
#[derive(Debug, Subcommand)]
pub enum PaymentCommand {
    /// Create a payment (POST /payments); send the payer to payment_url.
    Create(Box<CreatePaymentArgs>),
    /// Fetch a payment by Khipu's id (GET /payments/{id}).
    Get {
        /// Khipu's payment id.
        id: String,
    },
    /// Fetch a payment by the token posted to notify_url
    /// (GET /payments?notification_token=…).
    GetByToken {
        /// The notification_token.
        token: String,
    },
    /// Delete a pending payment (DELETE /payments/{id}).
    Delete {
        /// Khipu's payment id.
        id: String,
    },
    /// Confirm a payment so it is settled (POST /payments/{id}/confirm).
    Confirm {
        /// Khipu's payment id.
        id: String,
    },
    /// Void a payment's whole amount before settlement (API 3.0: POST /v3/payments/{id}/void).
    Void {
        /// Khipu's payment id.
        id: String,
    },
    /// Refund a payment in full, or in part with --amount (POST /payments/{id}/refunds).
    Refund {
        /// Khipu's payment id.
        id: String,
        /// Amount to refund (exact decimal text); needs --currency. Omit to refund all.
        #[arg(long, requires = "currency")]
        amount: Option<String>,
        /// Currency of --amount (CLP, USD, ARS...).
        #[arg(long, requires = "amount")]
        currency: Option<String>,
    },
}

/// Bank actions.
#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// List the banks (GET /banks).
    List,
}

/// Receiver actions.
#[derive(Debug, Subcommand)]
pub enum ReceiverCommand {
    /// Create a receiver (POST /receivers). The answer holds the new receiver's id and
    /// secret: printing them is the point of this command, so keep its output safe.
    Create(Box<CreateReceiverArgs>),
    /// List child collection accounts (API 3.0: GET /v3/receivers/children).
    Children {
        /// offset.
        #[arg(long)]
        offset: Option<u64>,
        /// max (1 or more).
        #[arg(long)]
        max: Option<u64>,
        /// sort: id, name or date_created.
        #[arg(long, value_parser = ["id", "name", "date_created"])]
        sort: Option<String>,
        /// order: asc or desc.
        #[arg(long, value_parser = ["asc", "desc"])]
        order: Option<String>,
    },
}

/// Merchant actions.
#[derive(Debug, Subcommand)]
pub enum MerchantCommand {
    /// List a merchant's payment methods (GET /merchants/{id}/paymentMethods).
    PaymentMethods {
        /// The merchant id (default PAGOS_KHIPU_RECEIVER_ID).
        merchant_id: Option<String>,
    },
}

/// Notification actions.
#[derive(Debug, Subcommand)]
pub enum NotificationCommand {
    /// Verify a posted notification: parse the form body, fetch the payment by its
    /// token, and check receiver, order (transaction id or payment id), status,
    /// currency and amount. Exit 1 when a check fails.
    Verify {
        /// The posted form body, e.g. api_version=1.3&notification_token=…
        #[arg(long, conflicts_with = "file")]
        body: Option<String>,
        /// A file holding the body; `-` reads standard input.
        #[arg(long, value_name = "PATH")]
        file: Option<String>,
        /// The order's amount (exact decimal text).
        #[arg(long)]
        amount: String,
        /// The order's currency.
        #[arg(long, default_value = "CLP")]
        currency: String,
        /// The order's transaction_id (your reference). This or --payment-id is
        /// required: without the order, a paid notification for another order of the
        /// same amount would pass.
        #[arg(long, required_unless_present = "payment_id")]
        transaction_id: Option<String>,
        /// Khipu's payment_id of the order, instead of --transaction-id.
        #[arg(long, conflicts_with = "transaction_id")]
        payment_id: Option<String>,
    },
}

/// `payments create`.
#[derive(Debug, Args)]
pub struct CreatePaymentArgs {
    /// The reason for the charge.
    #[arg(long)]
    pub subject: String,
    /// Amount, exact decimal text (CLP has no decimals).
    #[arg(long)]
    pub amount: String,
    /// Currency: CLP, CLF, USD, ARS...
    #[arg(long, default_value = "CLP")]
    pub currency: String,
    /// Your own id for the payment (order number).
    #[arg(long)]
    pub transaction_id: Option<String>,
    /// Free-form data.
    #[arg(long)]
    pub custom: Option<String>,
    /// Description (Khipu's `body`).
    #[arg(long)]
    pub body: Option<String>,
    /// The bank to pay with (see `banks list`).
    #[arg(long)]
    pub bank_id: Option<String>,
    /// Where the payer goes while the payment is verified.
    #[arg(long)]
    pub return_url: Option<String>,
    /// Where the payer goes after giving up.
    #[arg(long)]
    pub cancel_url: Option<String>,
    /// A picture of the product.
    #[arg(long)]
    pub picture_url: Option<String>,
    /// Where Khipu posts the notification (API 1.3).
    #[arg(long)]
    pub notify_url: Option<String>,
    /// A PDF contract to sign with the payment.
    #[arg(long)]
    pub contract_url: Option<String>,
    /// notify_api_version (default 1.3 with --notify-url).
    #[arg(long)]
    pub notify_api_version: Option<String>,
    /// Expiry (RFC 3339, UTC YYYY-MM-DDTHH:MM:SS, or epoch seconds).
    #[arg(long, value_name = "DATETIME")]
    pub expires_date: Option<String>,
    /// Settlement date, the last day to refund (same forms as --expires-date).
    #[arg(long, value_name = "DATETIME")]
    pub confirm_timeout_date: Option<String>,
    /// send_email: true e-mails the charge to --payer-email (needs --payer-name); false
    /// is sent as false. A bare --send-email means true.
    #[arg(long, value_name = "true|false", num_args = 0..=1, default_missing_value = "true")]
    pub send_email: Option<bool>,
    /// send_reminders: true or false (both sent). A bare --send-reminders means true.
    #[arg(long, value_name = "true|false", num_args = 0..=1, default_missing_value = "true")]
    pub send_reminders: Option<bool>,
    /// Payer's name.
    #[arg(long)]
    pub payer_name: Option<String>,
    /// Payer's e-mail.
    #[arg(long)]
    pub payer_email: Option<String>,
    /// A Khipu user allowed to collect with this account.
    #[arg(long)]
    pub responsible_user_email: Option<String>,
    /// Only this payer (RUT) may pay.
    #[arg(long)]
    pub fixed_payer_personal_identifier: Option<String>,
    /// The integrator's commission, in the payment's currency (exact decimal text).
    #[arg(long)]
    pub integrator_fee: Option<String>,
    /// Which of your accounts receives the transfer.
    #[arg(long)]
    pub collect_account_uuid: Option<String>,
    /// API 3.0 only: a payment method id from `merchants payment-methods`.
    #[arg(long)]
    pub mandatory_payment_method: Option<String>,
    /// API 3.0 only: the PSP client merchant's name.
    #[arg(long)]
    pub psp_client_merchant_name: Option<String>,
    /// API 3.0 only: the PSP client merchant's logo URL.
    #[arg(long)]
    pub psp_client_merchant_logo_url: Option<String>,
}

/// Refund-wallet actions (API 3.0).
#[derive(Debug, Subcommand)]
pub enum RefundCommand {
    /// Refund a reconciled payment (POST /v3/refunds): in full, or in part with --amount.
    Create {
        /// Khipu's payment id.
        #[arg(long)]
        payment_id: String,
        /// Amount to refund (exact decimal text); needs --currency. Omit for a full refund.
        #[arg(long, requires = "currency")]
        amount: Option<String>,
        /// Currency of --amount.
        #[arg(long, requires = "amount")]
        currency: Option<String>,
    },
    /// The refund wallet's balance (GET /v3/refund-wallet/balance).
    WalletBalance,
}

/// Prediction actions (API 3.0).
#[derive(Debug, Subcommand)]
pub enum PredictCommand {
    /// Predict a payment from one bank (GET /v3/predict).
    One {
        /// The payer's e-mail.
        #[arg(long)]
        payer_email: String,
        /// The bank.
        #[arg(long)]
        bank_id: String,
        /// Amount (exact decimal text).
        #[arg(long)]
        amount: String,
        /// Currency.
        #[arg(long, default_value = "CLP")]
        currency: String,
    },
    /// Predict a payment from every bank (GET /v3/predict/all).
    All {
        /// The payer's e-mail.
        #[arg(long)]
        payer_email: String,
        /// Amount (exact decimal text).
        #[arg(long)]
        amount: String,
        /// Currency.
        #[arg(long, default_value = "CLP")]
        currency: String,
    },
}

/// PAC subscription actions.
#[derive(Debug, Subcommand)]
pub enum SubscriptionCommand {
    /// Create a subscription (POST /v1/automatic-payment/subscription); send the
    /// customer to redirect_url to sign the mandate.
    Create(Box<CreateSubscriptionArgs>),
    /// Fetch a subscription's status.
    Get {
        /// The subscription id.
        id: String,
    },
    /// Unsubscribe, irreversibly.
    Delete {
        /// The subscription id.
        id: String,
    },
}

/// `subscriptions create`.
#[derive(Debug, Args)]
pub struct CreateSubscriptionArgs {
    /// The customer's name.
    #[arg(long)]
    pub name: String,
    /// The customer's e-mail.
    #[arg(long)]
    pub email: String,
    /// The monthly maximum (exact decimal text).
    #[arg(long)]
    pub max_amount: String,
    /// The maximum per charge (exact decimal text, ≤ --max-amount).
    #[arg(long)]
    pub max_amount_per_charge: Option<String>,
    /// Currency.
    #[arg(long, default_value = "CLP")]
    pub currency: String,
    /// Where Khipu posts the (unsigned) subscription callback.
    #[arg(long)]
    pub notify_url: String,
    /// Where the customer returns after signing.
    #[arg(long)]
    pub return_url: String,
    /// Where the customer goes after giving up.
    #[arg(long)]
    pub cancel_url: String,
    /// service_reference.
    #[arg(long)]
    pub service_reference: Option<String>,
    /// image_url.
    #[arg(long)]
    pub image_url: Option<String>,
    /// description.
    #[arg(long)]
    pub description: Option<String>,
}

/// PAC charge actions.
#[derive(Debug, Subcommand)]
pub enum ChargeCommand {
    /// Charge an ENABLED subscription (POST /v1/automatic-payment/charge-intent).
    /// A 422 prints Khipu's error_code.
    Create(Box<CreateChargeArgs>),
}

/// `charges create`.
#[derive(Debug, Args)]
pub struct CreateChargeArgs {
    /// The subscription id.
    #[arg(long)]
    pub subscription_id: String,
    /// Amount (exact decimal text, at most 4 decimals; the subscription's currency).
    #[arg(long)]
    pub amount: String,
    /// The subject.
    #[arg(long)]
    pub subject: String,
    /// Where Khipu posts a failed charge.
    #[arg(long)]
    pub error_response_url: String,
    /// Where Khipu posts the payment notification.
    #[arg(long)]
    pub notify_url: String,
    /// body.
    #[arg(long)]
    pub body: Option<String>,
    /// custom.
    #[arg(long)]
    pub custom: Option<String>,
    /// transaction_id.
    #[arg(long)]
    pub transaction_id: Option<String>,
    /// notify_api_version (default 3.0: the signed webhook).
    #[arg(long)]
    pub notify_api_version: Option<String>,
}

/// Webhook actions.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Verify a 3.0 webhook: the x-khipu-signature header over the body's exact bytes,
    /// with the merchant secret PAGOS_KHIPU_SECRET (and the receiver id
    /// PAGOS_KHIPU_RECEIVER_ID, when set). Exit 0 valid, 1 not (the reason is printed),
    /// 2 usage.
    Verify(WebhookVerifyArgs),
}

/// `webhook verify`.
#[derive(Debug, Args)]
pub struct WebhookVerifyArgs {
    /// The x-khipu-signature header's value (t=…,s=…).
    #[arg(long)]
    pub signature: String,
    /// A file holding the raw body, byte for byte; `-` reads standard input.
    #[arg(long, value_name = "PATH")]
    pub body_file: String,
    /// The time to verify at, Unix milliseconds (default: now).
    #[arg(long, value_name = "UNIX_MS", allow_hyphen_values = true)]
    pub at: Option<i64>,
    /// How far t may be from that time, in seconds (default 300).
    #[arg(long, value_name = "SECONDS")]
    pub tolerance: Option<u64>,
}

/// `receivers create`: every field of POST /receivers.
#[derive(Debug, Args)]
pub struct CreateReceiverArgs {
    /// Administrator's first name.
    #[arg(long)]
    pub admin_first_name: String,
    /// Administrator's last name.
    #[arg(long)]
    pub admin_last_name: String,
    /// Administrator's e-mail.
    #[arg(long)]
    pub admin_email: String,
    /// ISO 3166-1 alpha-2 country (CL).
    #[arg(long, default_value = "CL")]
    pub country_code: String,
    /// Tax id (a RUT in Chile).
    #[arg(long)]
    pub business_identifier: String,
    /// Tax category or line of business.
    #[arg(long)]
    pub business_category: String,
    /// Legal name.
    #[arg(long)]
    pub business_name: String,
    /// Business phone.
    #[arg(long)]
    pub business_phone: String,
    /// Address line 1.
    #[arg(long)]
    pub business_address_line_1: String,
    /// Address line 2.
    #[arg(long)]
    pub business_address_line_2: String,
    /// Address line 3.
    #[arg(long)]
    pub business_address_line_3: String,
    /// Contact's full name.
    #[arg(long)]
    pub contact_full_name: String,
    /// Contact's job title.
    #[arg(long)]
    pub contact_job_title: String,
    /// Contact's e-mail.
    #[arg(long)]
    pub contact_email: String,
    /// Contact's phone.
    #[arg(long)]
    pub contact_phone: String,
    /// Bank of the account that receives the funds.
    #[arg(long)]
    pub bank_account_bank_id: Option<String>,
    /// Personal id of that account's owner (RUT).
    #[arg(long)]
    pub bank_account_identifier: Option<String>,
    /// The account's name.
    #[arg(long)]
    pub bank_account_name: Option<String>,
    /// The account number.
    #[arg(long)]
    pub bank_account_number: Option<String>,
    /// Default payment-notification URL.
    #[arg(long)]
    pub notify_url: Option<String>,
    /// Settlement-notification URL.
    #[arg(long)]
    pub rendition_url: Option<String>,
}

/// `sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// HTTP method (any case).
    #[arg(long, default_value = "GET")]
    pub method: String,
    /// The request URL, e.g. https://khipu.com/api/2.0/payments, as pagos-khipu would
    /// send it (a query string is not part of the signed URL: its parameters are
    /// signed as parameters). A path starting with `/` is appended to the base URL.
    #[arg(long)]
    pub url: String,
    /// A query or form parameter, KEY=VALUE (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
}

/// Runs `pagos khipu …`.
pub async fn run(args: KhipuArgs, settings: Settings) -> CliResult<Output> {
    if let KhipuCommand::Webhook(WebhookCommand::Verify(a)) = &args.command {
        return webhook_verify(a);
    }
    let env = Overrides::new();
    let has_key = env
        .config()
        .optional("PAGOS_KHIPU_API_KEY")
        .is_some_and(|k| !k.trim().is_empty());
    let api = args.api.unwrap_or(if has_key { Api::V3 } else { Api::V2 });
    match api {
        Api::V2 => run_v2(args, settings).await,
        Api::V3 => run_v3(args, settings).await,
    }
}

/// The usage error for a command of the other API.
fn other_api(what: &str, api: Api) -> CliError {
    match api {
        Api::V2 => CliError::usage(format!(
            "`{what}` is API 3.0 only: set PAGOS_KHIPU_API_KEY or pass --api 3.0"
        )),
        Api::V3 => CliError::usage(format!(
            "`{what}` is API 2.0 only: pass --api 2.0 (receiver id and secret)"
        )),
    }
}

async fn run_v2(args: KhipuArgs, settings: Settings) -> CliResult<Output> {
    let mut overrides = Overrides::new();
    overrides.set("PAGOS_KHIPU_BASE_URL", args.base_url.as_deref());
    // `--api 2.0` with an API key in the environment: the key is not used.
    overrides.set("PAGOS_KHIPU_API_KEY", Some(""));
    let client = || -> CliResult<KhipuClient> {
        Ok(pagos::khipu::client_from_config(
            &overrides.shared(settings)?,
        )?)
    };
    match args.command {
        KhipuCommand::Payments(PaymentCommand::Void { .. }) => {
            Err(other_api("payments void", Api::V2))
        }
        KhipuCommand::Payments(cmd) => payments(cmd, client).await,
        KhipuCommand::Refunds(_) => Err(other_api("refunds", Api::V2)),
        KhipuCommand::Predict(_) => Err(other_api("predict", Api::V2)),
        KhipuCommand::Subscriptions(_) => Err(other_api("subscriptions", Api::V2)),
        KhipuCommand::Charges(_) => Err(other_api("charges", Api::V2)),
        KhipuCommand::Receivers(ReceiverCommand::Children { .. }) => {
            Err(other_api("receivers children", Api::V2))
        }
        KhipuCommand::Webhook(WebhookCommand::Verify(a)) => webhook_verify(&a),
        KhipuCommand::Banks(BankCommand::List) => {
            let page = client()?.banks().list().await?;
            let table = table_of(
                &rows(&page.items)?,
                &[
                    ("BANK_ID", "bank_id"),
                    ("NAME", "name"),
                    ("MIN_AMOUNT", "min_amount"),
                    ("TYPE", "type"),
                ],
            );
            Ok(Output::value(&page, table))
        }
        KhipuCommand::Receivers(ReceiverCommand::Create(a)) => {
            let request = receiver_request(&a)?;
            // The answer holds the new receiver's secret: printing it is the point.
            let created = client()?.receivers().create(&request).await?;
            Ok(Output::answer(&created, &created.raw))
        }
        KhipuCommand::Merchants(MerchantCommand::PaymentMethods { merchant_id }) => {
            let client = client()?;
            let id = merchant_id.unwrap_or_else(|| client.receiver_id().to_string());
            let methods = client.merchants().payment_methods(&id).await?;
            let table = table_of(
                &rows(&methods.payment_methods)?,
                &[("ID", "id"), ("NAME", "name"), ("LOGO", "logo_url")],
            );
            Ok(Output::value(&methods, table))
        }
        KhipuCommand::Notification(NotificationCommand::Verify {
            body,
            file,
            amount,
            currency,
            transaction_id,
            payment_id,
        }) => {
            let amount = parse::money(&amount, &currency)?;
            let order = match (transaction_id, payment_id) {
                (Some(t), _) => ExpectedOrder::TransactionId(t),
                (None, Some(p)) => ExpectedOrder::PaymentId(p),
                // clap requires one of the two.
                (None, None) => {
                    return Err(CliError::usage(
                        "give --transaction-id or --payment-id: the order the notification must be for",
                    ));
                }
            };
            let expected = ExpectedPayment::new(amount, order);
            let body = read_body(body, file)?;
            pagos::khipu::Notification::parse(body.as_bytes()).map_err(notification_error)?;
            let payment = client()?
                .verify_notification(body.as_bytes(), &expected)
                .await
                .map_err(notification_error)?;
            let verified = Verified {
                verified: true,
                unified_status: payment.unified_status().to_string(),
                payment: &payment,
            };
            let mut fields = vec![
                ("verified".to_string(), "true".to_string()),
                (
                    "unified_status".to_string(),
                    verified.unified_status.clone(),
                ),
            ];
            fields.extend(flatten(payment.raw.get()));
            Ok(Output::value(&verified, Human::Fields(fields)))
        }
        KhipuCommand::Sign(a) => sign(&a, &overrides),
    }
}

/// What `notification verify` prints: the verified payment, as Khipu sent it.
#[derive(Debug, Serialize)]
struct Verified<'a> {
    verified: bool,
    unified_status: String,
    payment: &'a PaymentsResponse,
}

/// Each item serialized, for [`table_of`].
fn rows<T: Serialize>(items: &[T]) -> CliResult<Vec<String>> {
    items
        .iter()
        .map(|item| {
            serde_json::to_string(item)
                .map_err(|e| CliError::Failed(format!("cannot print the answer: {e}")))
        })
        .collect()
}

async fn payments(
    cmd: PaymentCommand,
    client: impl Fn() -> CliResult<KhipuClient>,
) -> CliResult<Output> {
    let answer = match cmd {
        PaymentCommand::Create(a) => {
            let request = payment_request(&a)?;
            // The SDK's create adds a lookup hint to an outcome-unknown error.
            let created = client()?.payments().create(&request).await?;
            return Ok(Output::answer(&created, &created.raw));
        }
        PaymentCommand::Get { id } => {
            let payment = client()?.payments().get(&id).await?;
            return Ok(Output::answer(&payment, &payment.raw));
        }
        PaymentCommand::GetByToken { token } => {
            let payment = client()?
                .payments()
                .get_by_notification_token(&token)
                .await?;
            return Ok(Output::answer(&payment, &payment.raw));
        }
        PaymentCommand::Delete { id } => client()?.payments().delete(&id).await?,
        PaymentCommand::Confirm { id } => client()?.payments().confirm(&id).await?,
        PaymentCommand::Void { .. } => return Err(other_api("payments void", Api::V2)),
        PaymentCommand::Refund {
            id,
            amount,
            currency,
        } => {
            let amount = match (amount, currency) {
                (Some(a), Some(c)) => Some(parse::money(&a, &c)?),
                _ => None,
            };
            client()?.payments().refund(&id, amount.as_ref()).await?
        }
    };
    Ok(success(&answer))
}

/// Khipu's `SuccessResponse`; one read from an empty body (a success without a
/// message, `raw` null) is shown as `result ok`.
fn success(answer: &SuccessResponse) -> Output {
    if answer.raw.is_null() {
        let human = Human::Fields(vec![("result".into(), "ok".into())]);
        return Output::value(answer, human);
    }
    Output::answer(answer, &answer.raw)
}

fn payment_request(a: &CreatePaymentArgs) -> CliResult<CreatePaymentRequest> {
    let amount = parse::money(&a.amount, &a.currency)?;
    let mut b = CreatePaymentRequest::builder(a.subject.clone(), amount);
    macro_rules! opt {
        ($($field:ident),*) => {$(
            if let Some(v) = &a.$field {
                b = b.$field(v.clone());
            }
        )*};
    }
    opt!(
        transaction_id,
        custom,
        body,
        bank_id,
        return_url,
        cancel_url,
        picture_url,
        notify_url,
        contract_url,
        notify_api_version,
        payer_name,
        payer_email,
        responsible_user_email,
        fixed_payer_personal_identifier,
        collect_account_uuid
    );
    if let Some(at) = &a.expires_date {
        b = b.expires_date(parse::datetime("expires_date", at)?);
    }
    if let Some(at) = &a.confirm_timeout_date {
        b = b.confirm_timeout_date(parse::datetime("confirm_timeout_date", at)?);
    }
    if let Some(send) = a.send_email {
        b = b.send_email(send);
    }
    if let Some(send) = a.send_reminders {
        b = b.send_reminders(send);
    }
    if let Some(fee) = &a.integrator_fee {
        let fee = parse::money(fee, &a.currency)
            .map_err(|e| e.for_field("integrator_fee"))?
            .amount();
        b = b.integrator_fee(fee);
    }
    for (flag, value) in [
        ("--mandatory-payment-method", &a.mandatory_payment_method),
        ("--psp-client-merchant-name", &a.psp_client_merchant_name),
        (
            "--psp-client-merchant-logo-url",
            &a.psp_client_merchant_logo_url,
        ),
    ] {
        if value.is_some() {
            return Err(CliError::usage(format!(
                "{flag} has no API 2.0 field: it needs API 3.0 (PAGOS_KHIPU_API_KEY or --api 3.0)"
            )));
        }
    }
    Ok(b.build()?)
}

fn payment_request_v3(a: &CreatePaymentArgs) -> CliResult<V3PaymentRequest> {
    let amount = parse::money(&a.amount, &a.currency)?;
    let mut b = V3PaymentRequest::builder(a.subject.clone(), amount);
    macro_rules! opt {
        ($($field:ident),*) => {$(
            if let Some(v) = &a.$field {
                b = b.$field(v.clone());
            }
        )*};
    }
    opt!(
        transaction_id,
        custom,
        body,
        bank_id,
        return_url,
        cancel_url,
        picture_url,
        notify_url,
        contract_url,
        notify_api_version,
        payer_name,
        payer_email,
        responsible_user_email,
        fixed_payer_personal_identifier,
        collect_account_uuid,
        mandatory_payment_method,
        psp_client_merchant_name,
        psp_client_merchant_logo_url
    );
    if let Some(at) = &a.expires_date {
        b = b.expires_date(parse::datetime("expires_date", at)?);
    }
    if let Some(at) = &a.confirm_timeout_date {
        b = b.confirm_timeout_date(parse::datetime("confirm_timeout_date", at)?);
    }
    if let Some(send) = a.send_email {
        b = b.send_email(send);
    }
    if let Some(send) = a.send_reminders {
        b = b.send_reminders(send);
    }
    if let Some(fee) = &a.integrator_fee {
        let fee = parse::money(fee, &a.currency)
            .map_err(|e| e.for_field("integrator_fee"))?
            .amount();
        b = b.integrator_fee(fee);
    }
    Ok(b.build()?)
}

/// An exact decimal from flag text.
fn decimal(field: &'static str, text: &str) -> CliResult<pagos::Decimal> {
    pagos::wire::parse_decimal(text)
        .filter(|_| !text.trim().is_empty())
        .ok_or_else(|| {
            CliError::Pagos(ValidationError::new(field, "is not a decimal amount").into())
        })
}

async fn run_v3(args: KhipuArgs, settings: Settings) -> CliResult<Output> {
    let mut overrides = Overrides::new();
    overrides.set("PAGOS_KHIPU_V3_BASE_URL", args.base_url.as_deref());
    let client = || -> CliResult<KhipuV3Client> {
        Ok(pagos::khipu::v3_client_from_config(
            &overrides.shared(settings)?,
        )?)
    };
    let ok = |answer: &SuccessResponse| success(answer);
    match args.command {
        KhipuCommand::Payments(cmd) => match cmd {
            PaymentCommand::Create(a) => {
                let request = payment_request_v3(&a)?;
                let created = client()?.payments().create(&request).await?;
                Ok(Output::answer(&created, &created.raw))
            }
            PaymentCommand::Get { id } => {
                let p = client()?.payments().get(&id).await?;
                Ok(Output::answer(&p, &p.raw))
            }
            PaymentCommand::GetByToken { .. } => Err(other_api("payments get-by-token", Api::V3)),
            PaymentCommand::Delete { id } => Ok(ok(&client()?.payments().delete(&id).await?)),
            PaymentCommand::Confirm { id } => Ok(ok(&client()?.payments().confirm(&id).await?)),
            PaymentCommand::Void { id } => Ok(ok(&client()?.payments().void(&id).await?)),
            PaymentCommand::Refund {
                id,
                amount,
                currency,
            } => {
                let amount = match (amount, currency) {
                    (Some(a), Some(c)) => Some(parse::money(&a, &c)?),
                    _ => None,
                };
                Ok(ok(&client()?
                    .payments()
                    .refund(&id, amount.as_ref())
                    .await?))
            }
        },
        KhipuCommand::Refunds(RefundCommand::Create {
            payment_id,
            amount,
            currency,
        }) => {
            let c = client()?;
            let answer = match (amount, currency) {
                (Some(a), Some(cur)) => {
                    let m = parse::money(&a, &cur)?;
                    c.refunds().partial(&payment_id, &m).await?
                }
                _ => c.refunds().full(&payment_id).await?,
            };
            Ok(Output::answer(&answer, &answer.raw))
        }
        KhipuCommand::Refunds(RefundCommand::WalletBalance) => {
            let b = client()?.refunds().wallet_balance().await?;
            Ok(Output::answer(&b, &b.raw))
        }
        KhipuCommand::Banks(BankCommand::List) => {
            let page = client()?.banks().list().await?;
            let table = table_of(
                &rows(&page.items)?,
                &[
                    ("BANK_ID", "bank_id"),
                    ("NAME", "name"),
                    ("MIN_AMOUNT", "min_amount"),
                    ("TYPE", "type"),
                ],
            );
            Ok(Output::value(&page, table))
        }
        KhipuCommand::Predict(PredictCommand::One {
            payer_email,
            bank_id,
            amount,
            currency,
        }) => {
            let m = parse::money(&amount, &currency)?;
            let p = client()?.predict().one(&payer_email, &bank_id, &m).await?;
            Ok(Output::answer(&p, &p.raw))
        }
        KhipuCommand::Predict(PredictCommand::All {
            payer_email,
            amount,
            currency,
        }) => {
            let m = parse::money(&amount, &currency)?;
            let p = client()?.predict().all(&payer_email, &m).await?;
            let table = table_of(
                &rows(&p.banks)?,
                &[
                    ("BANK_ID", "bank_id"),
                    ("NAME", "name"),
                    ("RESULT", "result"),
                    ("MAX_AMOUNT", "max_amount"),
                ],
            );
            Ok(Output::value(&p, table))
        }
        KhipuCommand::Merchants(MerchantCommand::PaymentMethods { merchant_id }) => {
            let c = client()?;
            let methods = match merchant_id {
                Some(id) => c.merchants().payment_methods(&id).await?,
                None => c.merchants().own_payment_methods().await?,
            };
            let table = table_of(
                &rows(&methods.payment_methods)?,
                &[("ID", "id"), ("NAME", "name"), ("LOGO", "logo_url")],
            );
            Ok(Output::value(&methods, table))
        }
        KhipuCommand::Receivers(ReceiverCommand::Create(a)) => {
            let request = receiver_request(&a)?;
            // The answer holds the new account's secret and API key: printing them is the point.
            let created = client()?.receivers().create(&request).await?;
            Ok(Output::answer(&created, &created.raw))
        }
        KhipuCommand::Receivers(ReceiverCommand::Children {
            offset,
            max,
            sort,
            order,
        }) => {
            let mut q = ChildrenQuery::new();
            if let Some(o) = offset {
                q = q.offset(o);
            }
            if let Some(m) = max {
                q = q.max(m);
            }
            q = match sort.as_deref() {
                Some("id") => q.sort(ChildSort::Id),
                Some("name") => q.sort(ChildSort::Name),
                Some("date_created") => q.sort(ChildSort::DateCreated),
                Some(other) => {
                    return Err(CliError::usage(format!(
                        "--sort {other:?}: id, name or date_created"
                    )));
                }
                None => q,
            };
            if let Some(o) = order.as_deref() {
                q = q.ascending(o == "asc");
            }
            let c = client()?.receivers().children(q).await?;
            Ok(Output::answer(&c, &c.raw))
        }
        KhipuCommand::Subscriptions(cmd) => match cmd {
            SubscriptionCommand::Create(a) => {
                let max = parse::money(&a.max_amount, &a.currency)?;
                let mut b = SubscriptionRequest::builder(a.name.clone(), a.email.clone(), max)
                    .urls(
                        a.notify_url.clone(),
                        a.return_url.clone(),
                        a.cancel_url.clone(),
                    );
                if let Some(v) = &a.max_amount_per_charge {
                    b = b.max_amount_per_charge(decimal("max_amount_per_charge", v)?);
                }
                if let Some(v) = &a.service_reference {
                    b = b.service_reference(v.clone());
                }
                if let Some(v) = &a.image_url {
                    b = b.image_url(v.clone());
                }
                if let Some(v) = &a.description {
                    b = b.description(v.clone());
                }
                let created = client()?.subscriptions().create(&b.build()?).await?;
                Ok(Output::answer(&created, &created.raw))
            }
            SubscriptionCommand::Get { id } => {
                let s = client()?.subscriptions().get(&id).await?;
                Ok(Output::answer(&s, &s.raw))
            }
            SubscriptionCommand::Delete { id } => {
                let s = client()?.subscriptions().delete(&id).await?;
                Ok(Output::answer(&s, &s.raw))
            }
        },
        KhipuCommand::Charges(ChargeCommand::Create(a)) => {
            let mut b = ChargeRequest::builder(
                a.subscription_id.clone(),
                decimal("amount", &a.amount)?,
                a.subject.clone(),
            )
            .urls(a.error_response_url.clone(), a.notify_url.clone());
            if let Some(v) = &a.body {
                b = b.body(v.clone());
            }
            if let Some(v) = &a.custom {
                b = b.custom(v.clone());
            }
            if let Some(v) = &a.transaction_id {
                b = b.transaction_id(v.clone());
            }
            if let Some(v) = &a.notify_api_version {
                b = b.notify_api_version(v.clone());
            }
            let created = client()?.charges().create(&b.build()?).await?;
            Ok(Output::answer(&created, &created.raw))
        }
        KhipuCommand::Notification(_) => Err(other_api("notification verify", Api::V3)),
        KhipuCommand::Sign(_) => Err(other_api("sign", Api::V3)),
        KhipuCommand::Webhook(WebhookCommand::Verify(a)) => webhook_verify(&a),
    }
}

/// What `webhook verify` prints.
#[derive(Serialize)]
struct WebhookVerdict<'a> {
    verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook: Option<&'a Webhook>,
}

/// `pagos khipu webhook verify`: pure, nothing is sent.
fn webhook_verify(a: &WebhookVerifyArgs) -> CliResult<Output> {
    let env = Overrides::new();
    let config = env.config();
    let secret = config.required("PAGOS_KHIPU_SECRET")?;
    let body = if a.body_file == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::usage(format!("cannot read standard input: {e}")))?;
        bytes
    } else {
        std::fs::read(&a.body_file)
            .map_err(|e| CliError::usage(format!("cannot read {}: {e}", a.body_file)))?
    };
    let mut verifier = WebhookVerifier::new(secret);
    if let Some(t) = a.tolerance {
        verifier = verifier.tolerance(std::time::Duration::from_secs(t));
    }
    if let Some(r) = config
        .optional("PAGOS_KHIPU_RECEIVER_ID")
        .filter(|r| !r.trim().is_empty())
    {
        verifier = verifier.expect_receiver_id(r);
    }
    let now = match a.at {
        Some(ms) => time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .map_err(|_| {
                CliError::usage(format!(
                    "--at {ms}: not a representable Unix time in milliseconds"
                ))
            })?,
        None => time::OffsetDateTime::now_utc(),
    };
    match verifier.verify_at(&a.signature, &body, now) {
        Ok(webhook) => {
            let mut fields = vec![("verified".to_string(), "true".to_string())];
            fields.extend(flatten(webhook.raw.get()));
            let verdict = WebhookVerdict {
                verified: true,
                reason: None,
                webhook: Some(&webhook),
            };
            Ok(Output::value(&verdict, Human::Fields(fields)))
        }
        Err(e) => {
            let reason = e.to_string();
            let fields = vec![
                ("verified".to_string(), "false".to_string()),
                ("reason".to_string(), reason.clone()),
            ];
            let verdict = WebhookVerdict {
                verified: false,
                reason: Some(reason.clone()),
                webhook: None,
            };
            Ok(Output::value(&verdict, Human::Fields(fields)).failed(reason))
        }
    }
}

fn receiver_request(a: &CreateReceiverArgs) -> CliResult<CreateReceiverRequest> {
    let mut b = CreateReceiverRequest::builder()
        .admin_first_name(a.admin_first_name.clone())
        .admin_last_name(a.admin_last_name.clone())
        .admin_email(a.admin_email.clone())
        .country_code(a.country_code.clone())
        .business_identifier(a.business_identifier.clone())
        .business_category(a.business_category.clone())
        .business_name(a.business_name.clone())
        .business_phone(a.business_phone.clone())
        .business_address_line_1(a.business_address_line_1.clone())
        .business_address_line_2(a.business_address_line_2.clone())
        .business_address_line_3(a.business_address_line_3.clone())
        .contact_full_name(a.contact_full_name.clone())
        .contact_job_title(a.contact_job_title.clone())
        .contact_email(a.contact_email.clone())
        .contact_phone(a.contact_phone.clone());
    macro_rules! opt {
        ($($field:ident),*) => {$(
            if let Some(v) = &a.$field {
                b = b.$field(v.clone());
            }
        )*};
    }
    opt!(
        bank_account_bank_id,
        bank_account_identifier,
        bank_account_name,
        bank_account_number,
        notify_url,
        rendition_url
    );
    Ok(b.build()?)
}

/// `pagos khipu sign`: the string to sign, the hex signature and the `Authorization`
/// value of the request pagos-khipu would send (described with
/// [`pagos::khipu::request::parse_request`], signed with [`KhipuSignature`]).
fn sign(a: &SignArgs, overrides: &Overrides) -> CliResult<Output> {
    let config = overrides.config();
    let receiver_id = config.required("PAGOS_KHIPU_RECEIVER_ID")?;
    let signer = KhipuSignature::new(receiver_id, config.required("PAGOS_KHIPU_SECRET")?);
    let url = if a.url.starts_with('/') {
        let base = config
            .optional("PAGOS_KHIPU_BASE_URL")
            .unwrap_or_else(|| pagos::khipu::DEFAULT_BASE_URL.to_string());
        format!("{}{}", base.trim_end_matches('/'), a.url)
    } else {
        a.url.clone()
    };
    let params = a
        .params
        .iter()
        .map(|p| parse::key_value("param", p))
        .collect::<Result<Vec<(String, String)>, _>>()?;
    let request = signed_request(&a.method, &url, &params)?;
    let signed = Signed {
        method: request.method().as_str().to_string(),
        url: unsigned_url(&request),
        string_to_sign: signature::request_string_to_sign(&request),
        signature: signer.signature(&request),
        authorization: signer.authorization(&request),
    };
    let fields = Human::Fields(vec![
        ("method".into(), signed.method.clone()),
        ("url".into(), signed.url.clone()),
        ("string_to_sign".into(), signed.string_to_sign.clone()),
        ("signature".into(), signed.signature.clone()),
        ("authorization".into(), signed.authorization.clone()),
    ]);
    Ok(Output::value(&signed, fields))
}

/// What `khipu sign` prints: the signed request's parts.
#[derive(Serialize)]
struct Signed {
    method: String,
    url: String,
    string_to_sign: String,
    signature: String,
    authorization: String,
}

/// The request `sign` signs: `url`'s query string as query parameters, `params` as
/// form parameters.
fn signed_request(method: &str, url: &str, params: &[(String, String)]) -> CliResult<Request> {
    Ok(pagos::khipu::request::parse_request(method, url, params)?)
}

/// The URL as signed: without its query string.
fn unsigned_url(request: &Request) -> String {
    let mut url = request.url().clone();
    url.set_query(None);
    url.to_string()
}

fn notification_error(e: NotificationError) -> CliError {
    match e {
        NotificationError::Fetch(inner) => CliError::Pagos(inner),
        NotificationError::Mismatch { .. } => CliError::Failed(e.to_string()),
        // Nothing was sent: the field is named (the token, or the expected order).
        NotificationError::Invalid(v) => CliError::Pagos(v.into()),
        other => CliError::Pagos(ValidationError::new("body", other.to_string()).into()),
    }
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
            "give the posted body with --body TEXT or --file PATH (- for stdin)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_components_are_decoded_before_signing() {
        let params = [("f".to_string(), "x y".to_string())];
        let request =
            signed_request("post", "https://x.cl/p?q=a%20b+c%2B&r=100%", &params).unwrap();
        let to_sign = signature::request_string_to_sign(&request);
        assert_eq!(
            to_sign,
            "POST&https%3A%2F%2Fx.cl%2Fp&f=x%20y&q=a%20b%20c%2B&r=100%25"
        );
        assert_eq!(unsigned_url(&request), "https://x.cl/p");
        assert!(signed_request("GET", "x.cl/p", &[]).is_err());
    }
}
