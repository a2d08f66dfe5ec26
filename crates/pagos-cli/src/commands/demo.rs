//! `pagos demo`: every provider's life cycle through `Arc<dyn PaymentProvider>`
//! against an in-process sandbox.
//!
//! The sandbox is started with `pagos_sandbox::start`; the providers are those of the
//! facade's registry (`pagos::registry()`, or the `--only` ones), each built with
//! `pagos::from_env_with(name, &ProviderConfig::from_fn(..the sandbox's URLs and
//! credentials..).with_transport(transport))`; a provider of the registry the demo has
//! no life cycle for is only built and checked against its descriptor. The payer is
//! played through the in-process sandbox's `SandboxHandle` (`pay`, `sign`, `kashpay_balance`,
//! `register_webhook`), and confirmations go through each provider crate's own
//! notification path:
//!
//! | provider | life cycle |
//! |---|---|
//! | Khipu (API 2.0: built without `PAGOS_KHIPU_API_KEY`) | create → fetch → pay → the 1.3 notification POSTed to a local `notify_url` → `verify_notification` → fetch → full refund → fetch |
//! | Khipu 3.0 (built with the API key) | create (`notify_api_version` 3.0) → pay → the signed webhook POSTed to a local `notify_url` → the unified `verify_notification` (by signature) → partial refund (unified `refund_payment`) → fetch (partially refunded) |
//! | Khipu PAC (`KhipuV3Client`) | create subscription → fetch (`PENDING`) → the payer signs (sandbox) → the unsigned callback POSTed to a local `notify_url` → fetch (`ENABLED`) → create charge → fetch the charge's payment (`direct_debit`) |
//! | KashIO | create → fetch → pay → the recorded `invoice.paid` event → `confirm_event` → fetch; a second invoice → cancel (void) → fetch |
//! | ComproPago | webhook registered → create → fetch → pay → the webhook POSTed to a local receiver → `confirm_webhook` → fetch |
//! | Kashpay | balance → payout (SPEI) → payout lookup (unsupported by Kashpay) → balance |
//! | TelePagos | balance → create (payment link) → pay → the payment fetched by its unified id → cash-out → cash-out status and voucher → balance |

use std::error::Error as StdError;
use std::fmt::Display;
use std::future::Future;
use std::io::IsTerminal as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use futures_util::TryStreamExt as _;
use pagos::notification::{Expected, Notification, VerifiedBy};
use pagos::{
    BankAccount, CreatePayment, Currency, Decimal, Money, Payment, PaymentProvider, PayoutRequest,
    ProviderConfig, ProviderDescriptor, RefundRequest, Transport,
};
use pagos_sandbox::{Provider, SandboxConfig, SandboxHandle};
use serde::Serialize;
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, mpsc};

use crate::config::Settings;
use crate::error::{CliError, CliResult};
use crate::output::{Human, Output};

/// How long the demo waits for a notification or webhook to arrive.
const NOTIFICATION_WAIT: Duration = Duration::from_secs(15);

/// `pagos demo`.
#[derive(Debug, Args)]
#[command(
    after_help = "Prints a table of steps (provider, step, expected, got, ms) on \
stdout; progress goes to stderr only when it is a terminal. Exits 0 only when every step \
matched, 1 otherwise."
)]
pub struct DemoArgs {
    /// Port for the in-process sandbox on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Run only this provider (repeatable; default: every provider of the build).
    #[arg(long = "only", value_name = "PROVIDER", value_parser = parse_provider)]
    pub only: Vec<&'static str>,
}

/// A provider of the registry, by name (any case).
fn parse_provider(s: &str) -> Result<&'static str, String> {
    match pagos::descriptor(s) {
        Ok(d) => Ok(d.name),
        Err(pagos::Error::Config(c)) => Err(c.message().to_string()),
        Err(e) => Err(e.to_string()),
    }
}

type StepError = Box<dyn StdError + Send + Sync>;
type StepResult<T> = Result<T, StepError>;

/// One row of the table.
#[derive(Debug, Serialize)]
struct Step {
    provider: &'static str,
    step: String,
    expected: String,
    got: String,
    ms: u64,
    ok: bool,
}

/// A step failed with an error: the provider's flow stops there.
#[derive(Debug)]
struct Stop;

/// Collects the steps and shows progress.
struct Recorder {
    steps: Vec<Step>,
    progress: bool,
}

impl Recorder {
    /// Runs one step. An error is recorded (its Display as "got") and stops the flow;
    /// a value is judged by `judge`, which returns what was got and whether it matched.
    async fn run<T, E: Display>(
        &mut self,
        provider: &'static str,
        step: &str,
        expected: impl Into<String>,
        fut: impl Future<Output = Result<T, E>>,
        judge: impl FnOnce(&T, &str) -> (String, bool),
    ) -> Result<T, Stop> {
        let expected = expected.into();
        let started = Instant::now();
        let outcome = fut.await;
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (got, ok, value) = match outcome {
            Ok(value) => {
                let (got, ok) = judge(&value, &expected);
                (got, ok, Some(value))
            }
            Err(e) => (format!("error: {e}"), false, None),
        };
        if self.progress {
            let mark = if ok { "ok  " } else { "FAIL" };
            eprintln!("[{mark}] {provider:<10} {step}: {got} ({ms} ms)");
        }
        self.steps.push(Step {
            provider,
            step: step.to_string(),
            expected,
            got,
            ms,
            ok,
        });
        value.ok_or(Stop)
    }
}

impl Recorder {
    /// A value a flow needs before its next step; an error is recorded as a failed
    /// step (so a flow never stops without a failed row).
    fn need<T, E: Display>(
        &mut self,
        provider: &'static str,
        what: &str,
        result: Result<T, E>,
    ) -> Result<T, Stop> {
        result.map_err(|e| {
            self.steps.push(Step {
                provider,
                step: what.to_string(),
                expected: "ok".to_string(),
                got: format!("error: {e}"),
                ms: 0,
                ok: false,
            });
            Stop
        })
    }
}

/// `got` equals `expected`.
fn same(got: impl Into<String>, expected: &str) -> (String, bool) {
    let got = got.into();
    let ok = got == expected;
    (got, ok)
}

fn status_is(p: &Payment, expected: &str) -> (String, bool) {
    same(p.status.to_string(), expected)
}

/// Everything a provider flow needs.
struct Ctx {
    vars: Vec<(String, String)>,
    transport: Transport,
    /// The in-process sandbox, which also plays the payer.
    sandbox: SandboxHandle,
    receiver: Receiver,
}

impl Ctx {
    /// The configuration the providers are built from: the sandbox's URLs and
    /// credentials only (the process environment is not read).
    /// They share the demo's transport.
    fn config(&self) -> ProviderConfig<'_> {
        ProviderConfig::from_fn(|name| {
            self.vars
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
        .with_transport(self.transport.clone())
    }

    /// As [`Ctx::config`] without the variables named in `without` (the Khipu API 2.0
    /// life cycle leaves out `PAGOS_KHIPU_API_KEY`, which would select API 3.0).
    fn config_without<'a>(&'a self, without: &'a [&'a str]) -> ProviderConfig<'a> {
        ProviderConfig::from_fn(move |name| {
            if without.contains(&name) {
                return None;
            }
            self.vars
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
        .with_transport(self.transport.clone())
    }

    /// The provider of the registry named `name`, as an application builds it.
    fn provider(&self, name: &str) -> pagos::Result<Arc<dyn PaymentProvider>> {
        pagos::from_env_with(name, &self.config())
    }
}

/// Runs the demo.
pub async fn run(args: DemoArgs, settings: Settings) -> CliResult<Output> {
    let progress = std::io::stderr().is_terminal();
    let handle = pagos_sandbox::start(SandboxConfig::builder().port(args.port).build())
        .await
        .map_err(|e| CliError::Failed(format!("cannot start the sandbox: {e}")))?;
    if progress {
        eprintln!("pagos sandbox running on {}", handle.url());
    }
    let transport = settings.local_transport()?;
    let receiver = Receiver::start()
        .await
        .map_err(|e| CliError::Failed(format!("cannot start the notification receiver: {e}")))?;
    let ctx = Ctx {
        vars: handle.khipu_v3_env_vars(),
        transport,
        sandbox: handle,
        receiver,
    };
    let mut rec = Recorder {
        steps: Vec::new(),
        progress,
    };
    let selected = |d: &ProviderDescriptor| args.only.is_empty() || args.only.contains(&d.name);
    // A flow stops at its first error (already recorded); the others still run.
    for descriptor in pagos::registry().iter().copied().filter(|d| selected(d)) {
        let _ = life_cycle(descriptor, &ctx, &mut rec).await;
    }
    let sandbox_url = ctx.sandbox.url().to_string();
    let Ctx {
        vars,
        transport,
        sandbox: handle,
        receiver,
    } = ctx;
    drop((vars, transport, receiver));
    let _ = tokio::time::timeout(Duration::from_secs(5), handle.shutdown()).await;
    Ok(report(&rec.steps, &sandbox_url))
}

/// The provider's life cycle, by name; a provider the demo has none for is built and
/// checked against its descriptor.
async fn life_cycle(
    descriptor: &'static ProviderDescriptor,
    ctx: &Ctx,
    rec: &mut Recorder,
) -> Result<(), Stop> {
    match descriptor.name {
        "khipu" => khipu(ctx, rec).await,
        "kashio" => kashio(ctx, rec).await,
        "compropago" => compropago(ctx, rec).await,
        "kashpay" => kashpay(ctx, rec).await,
        "telepagos" => telepagos(ctx, rec).await,
        _ => built_only(descriptor, ctx, rec).await,
    }
}

/// Builds a provider the demo has no life cycle for (and the sandbox does not
/// simulate) and checks it is the one its descriptor describes. Its required variables
/// hold placeholders: nothing is sent, and the process environment is not read.
async fn built_only(
    descriptor: &'static ProviderDescriptor,
    ctx: &Ctx,
    rec: &mut Recorder,
) -> Result<(), Stop> {
    let config = ProviderConfig::from_fn(|name| {
        ctx.vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| {
                descriptor
                    .required_vars()
                    .any(|v| v == name)
                    .then(|| "pagos-demo-placeholder".to_string())
            })
    })
    .with_transport(ctx.transport.clone());
    let provider = rec
        .run(
            descriptor.name,
            "build provider",
            descriptor.name,
            async { pagos::from_env_with(descriptor.name, &config) },
            |p, e| same(p.name(), e),
        )
        .await?;
    let operations = |c: pagos::Capabilities| {
        c.iter()
            .map(|op| op.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    rec.run(
        descriptor.name,
        "capabilities (no life cycle in the demo: nothing sent)",
        operations(descriptor.capabilities),
        async { Ok::<_, pagos::Error>(provider.capabilities()) },
        |c, e| same(operations(*c), e),
    )
    .await?;
    Ok(())
}

fn report(steps: &[Step], sandbox_url: &str) -> Output {
    let failed = steps.iter().filter(|s| !s.ok).count();
    let headers = ["PROVIDER", "STEP", "EXPECTED", "GOT", "MS", "RESULT"]
        .map(String::from)
        .to_vec();
    let rows = steps
        .iter()
        .map(|s| {
            vec![
                s.provider.to_string(),
                s.step.clone(),
                s.expected.clone(),
                s.got.clone(),
                s.ms.to_string(),
                if s.ok { "ok" } else { "FAILED" }.to_string(),
            ]
        })
        .collect();
    let summary = if failed == 0 {
        format!("{} steps, all matched.", steps.len())
    } else {
        format!("{failed} of {} steps did not match.", steps.len())
    };
    let human = Human::Sections(vec![Human::Table { headers, rows }, Human::Text(summary)]);
    let output = Output::value(
        &json!({ "ok": failed == 0, "sandbox": sandbox_url, "steps": steps }),
        human,
    );
    if failed == 0 {
        output
    } else {
        output.failed(format!(
            "{failed} demo step(s) did not match what was expected"
        ))
    }
}

fn money(amount: &str, currency: Currency) -> StepResult<Money> {
    Ok(Money::parse(amount, currency)?)
}

// -----------------------------------------------------------------------------------
// Khipu

/// The variable that selects Khipu API 3.0; the API 2.0 life cycle runs without it.
const KHIPU_API_KEY: &str = "PAGOS_KHIPU_API_KEY";

/// Khipu: API 2.0 (no API key configured), then API 3.0 (with it), then PAC. Each
/// runs on its own: one stopping does not stop the others.
async fn khipu(ctx: &Ctx, rec: &mut Recorder) -> Result<(), Stop> {
    let v2 = khipu_v2(ctx, rec).await;
    let v3 = khipu_v3(ctx, rec).await;
    let pac = khipu_pac(ctx, rec).await;
    v2.and(v3).and(pac)
}

async fn khipu_v2(ctx: &Ctx, rec: &mut Recorder) -> Result<(), Stop> {
    const P: &str = "khipu";
    const REFERENCE: &str = "demo-khipu-1";
    // Without the API key, the registry's Khipu is API 2.0 (notification API 1.3).
    let config = ctx.config_without(&[KHIPU_API_KEY]);
    let provider = rec
        .run(
            P,
            "build provider (no API key: API 2.0)",
            "khipu",
            async { pagos::from_env_with(P, &config) },
            |p, e| same(p.name(), e),
        )
        .await?;
    let khipu = rec.need(
        P,
        "build khipu client",
        pagos::khipu::client_from_config(&config),
    )?;
    let notify_url = format!("{}/khipu/notify", ctx.receiver.base);
    let amount = rec.need(P, "amount", Money::parse("1000", Currency::Clp))?;
    let created = rec
        .run(
            P,
            "create payment (1000 CLP)",
            "pending",
            async {
                let request = CreatePayment::builder(amount, "pagos demo: Khipu")
                    .merchant_reference(REFERENCE)
                    .return_url("https://shop.example/return")
                    .notify_url(notify_url.clone())
                    .build()?;
                StepResult::Ok(provider.create_payment(&request).await?)
            },
            status_is,
        )
        .await?;
    let id = created.id.clone();
    rec.run(
        P,
        "fetch payment",
        "pending",
        provider.get_payment(&id),
        status_is,
    )
    .await?;
    rec.run(
        P,
        "payer pays (sandbox)",
        "done/normal",
        async { ctx.sandbox.pay(Provider::Khipu, &id) },
        |o, e| same(o.status.clone(), e),
    )
    .await?;
    let note = rec
        .run(
            P,
            "notification POSTed to notify_url",
            "api_version=1.3",
            ctx.receiver.next("/khipu/notify"),
            |r, e| match pagos::khipu::Notification::parse(&r.body) {
                Ok(n) => same(format!("api_version={}", n.api_version), e),
                Err(err) => (err.to_string(), false),
            },
        )
        .await?;
    let expected = pagos::khipu::ExpectedPayment::by_transaction_id(amount, REFERENCE);
    rec.run(
        P,
        "verify notification (pagos-khipu)",
        "done/normal",
        khipu.verify_notification(&note.body, &expected),
        |p, e| {
            let status = p.status.as_ref().map_or("?", |s| s.as_str());
            let detail = p.status_detail.as_ref().map_or("?", |s| s.as_str());
            same(format!("{status}/{detail}"), e)
        },
    )
    .await?;
    rec.run(
        P,
        "fetch payment",
        "succeeded",
        provider.get_payment(&id),
        status_is,
    )
    .await?;
    rec.run(
        P,
        "refund in full",
        "accepted",
        provider.refund_payment(&RefundRequest::full(id.clone())),
        |r, _| {
            let message = r.message.as_deref().unwrap_or("no message");
            (format!("accepted ({message})"), true)
        },
    )
    .await?;
    rec.run(
        P,
        "fetch payment",
        "refunded",
        provider.get_payment(&id),
        status_is,
    )
    .await?;
    Ok(())
}

async fn khipu_v3(ctx: &Ctx, rec: &mut Recorder) -> Result<(), Stop> {
    const P: &str = "khipu 3.0";
    const REFERENCE: &str = "demo-khipu3-1";
    let provider = rec
        .run(
            P,
            "build provider (API key set: API 3.0)",
            "khipu",
            async { ctx.provider("khipu") },
            |p, e| same(p.name(), e),
        )
        .await?;
    let notify_url = format!("{}/khipu3/notify", ctx.receiver.base);
    let amount = rec.need(P, "amount", Money::parse("1000", Currency::Clp))?;
    let created = rec
        .run(
            P,
            "create payment (1000 CLP, notify_api_version 3.0)",
            "pending",
            async {
                let request = CreatePayment::builder(amount, "pagos demo: Khipu 3.0")
                    .merchant_reference(REFERENCE)
                    .return_url("https://shop.example/return")
                    .notify_url(notify_url.clone())
                    .build()?;
                StepResult::Ok(provider.create_payment(&request).await?)
            },
            status_is,
        )
        .await?;
    let id = created.id.clone();
    rec.run(
        P,
        "payer pays (sandbox)",
        "done/normal",
        async { ctx.sandbox.pay(Provider::KhipuV3, &id) },
        |o, e| same(o.status.clone(), e),
    )
    .await?;
    let hook = rec
        .run(
            P,
            "webhook POSTed to notify_url",
            "signed (x-khipu-signature)",
            ctx.receiver.next("/khipu3/notify"),
            |r, e| match r.header("x-khipu-signature") {
                Some(_) => same("signed (x-khipu-signature)", e),
                None => ("no x-khipu-signature header".to_string(), false),
            },
        )
        .await?;
    let expected = Expected::by_merchant_reference(amount, REFERENCE);
    rec.run(
        P,
        "verify_notification (unified)",
        "succeeded, by signature",
        provider.verify_notification(&hook.notification(), &expected),
        |event, e| {
            let by = match event.verified_by {
                VerifiedBy::Signature => "by signature",
                VerifiedBy::Fetch => "by fetch",
                _ => "by ?",
            };
            same(format!("{}, {by}", event.status), e)
        },
    )
    .await?;
    let part = rec.need(P, "amount", Money::parse("400", Currency::Clp))?;
    rec.run(
        P,
        "refund 400 CLP (partial)",
        "accepted",
        provider.refund_payment(&RefundRequest::partial(id.clone(), part)),
        |r, _| {
            let message = r.message.as_deref().unwrap_or("no message");
            (format!("accepted ({message})"), true)
        },
    )
    .await?;
    rec.run(
        P,
        "fetch payment",
        "partially_refunded",
        provider.get_payment(&id),
        status_is,
    )
    .await?;
    Ok(())
}

/// Khipu Automatic Payments (PAC): a subscription signed in the sandbox, confirmed by
/// fetching it, and one charge, which Khipu turns into a `direct_debit` payment.
async fn khipu_pac(ctx: &Ctx, rec: &mut Recorder) -> Result<(), Stop> {
    use pagos::khipu::pac::charges::ChargeRequest;
    use pagos::khipu::pac::subscriptions::SubscriptionRequest;

    const P: &str = "khipu PAC";
    let khipu = rec.need(
        P,
        "build khipu 3.0 client",
        pagos::khipu::v3_client_from_config(&ctx.config()),
    )?;
    let base = &ctx.receiver.base;
    let max = rec.need(P, "amount", Money::parse("50000", Currency::Clp))?;
    let created = rec
        .run(
            P,
            "create subscription (max 50000 CLP)",
            "a subscription id",
            async {
                let request =
                    SubscriptionRequest::builder("Ana Pérez", "ana.perez@example.cl", max)
                        .urls(
                            format!("{base}/khipu3/subscription"),
                            "https://shop.example/pac/ok",
                            "https://shop.example/pac/cancel",
                        )
                        .max_amount_per_charge(Decimal::from(20_000))
                        .service_reference("demo-pac-1")
                        .build()?;
                StepResult::Ok(khipu.subscriptions().create(&request).await?)
            },
            |s, _| (s.subscription_id.clone(), !s.subscription_id.is_empty()),
        )
        .await?;
    let sub = created.subscription_id.clone();
    let state = |s: &pagos::khipu::pac::subscriptions::SubscriptionStatus, e: &str| {
        same(s.status.as_ref().map_or("(none)", |s| s.as_str()), e)
    };
    rec.run(
        P,
        "fetch subscription",
        "PENDING",
        khipu.subscriptions().get(&sub),
        state,
    )
    .await?;
    rec.run(
        P,
        "payer signs the mandate (sandbox)",
        "ENABLED",
        async { ctx.sandbox.sign(Provider::KhipuV3, &sub) },
        |o, e| same(o.status.clone(), e),
    )
    .await?;
    rec.run(
        P,
        "callback POSTed to notify_url (unsigned)",
        format!("subscription {sub}"),
        ctx.receiver.next("/khipu3/subscription"),
        |r, e| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
            match body["subscription_id"].as_str() {
                Some(id) => same(format!("subscription {id}"), e),
                None => (String::from_utf8_lossy(&r.body).into_owned(), false),
            }
        },
    )
    .await?;
    rec.run(
        P,
        "fetch subscription",
        "ENABLED",
        khipu.subscriptions().get(&sub),
        state,
    )
    .await?;
    let charge = rec
        .run(
            P,
            "create charge (15000 CLP)",
            "a payment id",
            async {
                let request =
                    ChargeRequest::builder(&sub, Decimal::from(15_000), "pagos demo: cuota")
                        .urls(
                            format!("{base}/khipu3/charge-error"),
                            format!("{base}/khipu3/charge"),
                        )
                        .transaction_id("demo-pac-charge-1")
                        .build()?;
                StepResult::Ok(khipu.charges().create(&request).await?)
            },
            |c, _| (c.payment_id.clone(), !c.payment_id.is_empty()),
        )
        .await?;
    rec.run(
        P,
        "fetch the charge's payment",
        "direct_debit, 15000 CLP, pending",
        khipu.payments().get(&charge.payment_id),
        |p, e| {
            let method = p.payment_method.as_ref().map_or("(none)", |m| m.as_str());
            let money = p
                .money()
                .map_or("(no amount)".to_string(), |m| m.to_string());
            let status = p.status.as_ref().map_or("(none)", |s| s.as_str());
            same(format!("{method}, {money}, {status}"), e)
        },
    )
    .await?;
    Ok(())
}

// -----------------------------------------------------------------------------------
// KashIO

async fn kashio(ctx: &Ctx, rec: &mut Recorder) -> Result<(), Stop> {
    const P: &str = "kashio";
    let provider = rec
        .run(
            P,
            "build provider",
            "kashio",
            async { ctx.provider(P) },
            |p, e| same(p.name(), e),
        )
        .await?;
    let kashio = rec.need(
        P,
        "build kashio client",
        pagos::kashio::client_from_config(&ctx.config()),
    )?;
    let invoice = |reference: &'static str| {
        let provider = Arc::clone(&provider);
        async move {
            let request =
                CreatePayment::builder(money("15.00", Currency::Pen)?, "pagos demo: KashIO")
                    .merchant_reference(reference)
                    .payer_name("Juan Perez")
                    .payer_email("juan.perez@example.com")
                    .build()?;
            StepResult::Ok(provider.create_payment(&request).await?)
        }
    };
    let created = rec
        .run(
            P,
            "create invoice (15.00 PEN)",
            "pending",
            invoice("DEMO-KASHIO-1"),
            status_is,
        )
        .await?;
    let id = created.id.clone();
    let created_amount = rec.need(P, "amount", money("15.00", Currency::Pen))?;
    rec.run(
        P,
        "fetch invoice",
        "pending",
        provider.get_payment(&id),
        status_is,
    )
    .await?;
    rec.run(
        P,
        "payer pays (sandbox)",
        "paid",
        async { ctx.sandbox.pay(Provider::Kashio, &id) },
        // KashIO's status casing varies (`PAID`, `paid`): compare ignoring case.
        |o, e| {
            let got = o.status.clone();
            let ok = got.eq_ignore_ascii_case(e);
            (got, ok)
        },
    )
    .await?;
    let event = rec
        .run(
            P,
            "event recorded (GET /events)",
            "invoice.paid",
            async {
                let events: Vec<pagos::kashio::Event> = kashio
                    .events()
                    .stream(pagos::kashio::ListParams::new().limit(100))
                    .try_collect()
                    .await?;
                events
                    .into_iter()
                    .rev()
                    .find(|e| e.invoice_id().as_deref() == Some(id.as_str()))
                    .ok_or_else(|| StepError::from(format!("no event names invoice {id}")))
            },
            |e, exp| same(e.event_type.to_string(), exp),
        )
        .await?;
    // The demo's own order: KashIO's id from the create step, for 15.00 PEN.
    let expected = pagos::kashio::ExpectedInvoice::by_id(created_amount, id.clone());
    rec.run(
        P,
        "confirm event (pagos-kashio)",
        "paid",
        kashio.events().confirm(&event.id, &expected),
        |c, e| same(c.invoice.status.to_string(), e),
    )
    .await?;
    rec.run(
        P,
        "fetch invoice",
        "succeeded",
        provider.get_payment(&id),
        status_is,
    )
    .await?;
    let second = rec
        .run(
            P,
            "create second invoice",
            "pending",
            invoice("DEMO-KASHIO-2"),
            status_is,
        )
        .await?;
    rec.run(
        P,
        "cancel second invoice",
        "voided",
        provider.cancel_payment(&second.id),
        |(), e| same("voided", e),
    )
    .await?;
    rec.run(
        P,
        "fetch second invoice",
        "canceled",
        provider.get_payment(&second.id),
        status_is,
    )
    .await?;
    Ok(())
}

// -----------------------------------------------------------------------------------
// ComproPago

async fn compropago(ctx: &Ctx, rec: &mut Recorder) -> Result<(), Stop> {
    const P: &str = "compropago";
    let provider = rec
        .run(
            P,
            "build provider",
            "compropago",
            async { ctx.provider(P) },
            |p, e| same(p.name(), e),
        )
        .await?;
    let compropago = rec.need(
        P,
        "build compropago client",
        pagos::compropago::client_from_config(&ctx.config()),
    )?;
    let webhook_url = format!("{}/compropago/webhook", ctx.receiver.base);
    rec.run(
        P,
        "register webhook (sandbox)",
        webhook_url.clone(),
        async {
            ctx.sandbox
                .register_webhook(Provider::ComproPago, &webhook_url)
        },
        |url, e| same(url.as_str(), e),
    )
    .await?;
    let created = rec
        .run(
            P,
            "create SPEI order (150.00 MXN)",
            "pending",
            async {
                let request = CreatePayment::builder(
                    money("150.00", Currency::Mxn)?,
                    "pagos demo: ComproPago",
                )
                .merchant_reference("DEMO-CP-1")
                .payer_name("Ana Pérez")
                .payer_email("ana.perez@example.mx")
                .build()?;
                StepResult::Ok(provider.create_payment(&request).await?)
            },
            status_is,
        )
        .await?;
    let id = created.id.clone();
    rec.run(
        P,
        "fetch order",
        "pending",
        provider.get_payment(&id),
        status_is,
    )
    .await?;
    rec.run(
        P,
        "payer pays (sandbox)",
        "ACCEPTED",
        async { ctx.sandbox.pay(Provider::ComproPago, &id) },
        |o, e| same(o.status.clone(), e),
    )
    .await?;
    let hook = rec
        .run(
            P,
            "webhook POSTed",
            format!("order {id}"),
            ctx.receiver.next("/compropago/webhook"),
            |r, e| match pagos::compropago::webhook::parse(&r.body) {
                Ok(pagos::compropago::webhook::Notification::Order { id, .. }) => {
                    same(format!("order {id}"), e)
                }
                Ok(other) => (format!("{other:?}"), false),
                Err(err) => (err.to_string(), false),
            },
        )
        .await?;
    // The demo's own order: its reference and price.
    let price = rec.need(P, "amount", money("150.00", Currency::Mxn))?;
    let expected = pagos::compropago::ExpectedOrder::by_product_id(price, "DEMO-CP-1");
    rec.run(
        P,
        "confirm webhook (pagos-compropago)",
        "ACCEPTED",
        compropago.confirm_webhook(&hook.body, &expected),
        |event, e| match event {
            pagos::compropago::WebhookEvent::Order(order) => same(order.status.to_string(), e),
            other => (format!("{other:?}"), false),
        },
    )
    .await?;
    rec.run(
        P,
        "fetch order",
        "succeeded",
        provider.get_payment(&id),
        status_is,
    )
    .await?;
    Ok(())
}

// -----------------------------------------------------------------------------------
// Kashpay

async fn kashpay(ctx: &Ctx, rec: &mut Recorder) -> Result<(), Stop> {
    const P: &str = "kashpay";
    let provider = rec
        .run(
            P,
            "build provider",
            "kashpay",
            async { ctx.provider(P) },
            |p, e| same(p.name(), e),
        )
        .await?;
    let before = rec
        .run(
            P,
            "balance (sandbox)",
            "an MXN balance",
            async { StepResult::Ok(ctx.sandbox.kashpay_balance()) },
            |b, _| (format!("{b} MXN"), true),
        )
        .await?;
    let amount = rec.need(P, "amount", Money::parse("250.00", Currency::Mxn))?;
    let payout = rec
        .run(
            P,
            "SPEI payout (250.00 MXN)",
            "succeeded",
            async {
                // A Kashpay payout's reference is its numericReference (and its
                // alphanumericReference): digits, sent as given.
                let request = PayoutRequest::builder(
                    amount,
                    BankAccount::Clabe("032180000118359719".into()),
                    "43223123",
                )
                .beneficiary_name("Florentino Eter")
                .concept("Pago demo")
                .build()?;
                StepResult::Ok(provider.create_payout(&request).await?)
            },
            |p, e| same(p.status.to_string(), e),
        )
        .await?;
    rec.run(
        P,
        "payout status",
        "unsupported",
        async {
            match provider.get_payout(&payout.id).await {
                Ok(p) => StepResult::Ok(p.status.to_string()),
                Err(pagos::Error::Unsupported { .. }) => Ok("unsupported".to_string()),
                Err(e) => Err(e.into()),
            }
        },
        |got, e| same(got.clone(), e),
    )
    .await?;
    rec.run(
        P,
        "balance (sandbox)",
        format!("{} MXN", before - amount.amount()),
        async { StepResult::Ok(ctx.sandbox.kashpay_balance()) },
        |b, e| same(format!("{b} MXN"), e),
    )
    .await?;
    Ok(())
}

// -----------------------------------------------------------------------------------
// TelePagos

async fn telepagos(ctx: &Ctx, rec: &mut Recorder) -> Result<(), Stop> {
    const P: &str = "telepagos";
    let provider = rec
        .run(
            P,
            "build provider",
            "telepagos",
            async { ctx.provider(P) },
            |p, e| same(p.name(), e),
        )
        .await?;
    let before = rec
        .run(
            P,
            "balance",
            "an ARS balance",
            provider.balance(),
            |b, _| {
                (
                    b.available.to_string(),
                    b.available.currency() == Currency::Ars,
                )
            },
        )
        .await?;
    let paid = rec.need(P, "amount", Money::parse("1500.00", Currency::Ars))?;
    let created = rec
        .run(
            P,
            "create payment link (1500.00 ARS, subject 'Cuota marzo')",
            "pending",
            async {
                // pagos-telepagos sends the subject as the link's `concept`, which is free
                // text for cash-in calls (only a cash-out's concept is a BCRA motive code).
                let request = CreatePayment::builder(paid, "Cuota marzo").build()?;
                StepResult::Ok(provider.create_payment(&request).await?)
            },
            status_is,
        )
        .await?;
    // The sandbox's control API pays TelePagos' own `link_id` (from the answer); the
    // unified id is for the trait.
    let link_id = serde_json::from_str::<serde_json::Value>(created.raw.get())
        .ok()
        .map(|raw| raw["link_id"].to_string())
        .unwrap_or_default();
    rec.run(
        P,
        "payer pays (sandbox)",
        "paid",
        async { ctx.sandbox.pay(Provider::TelePagos, &link_id) },
        |o, e| same(o.status.clone(), e),
    )
    .await?;
    // get_payment finds the cash-in that credits the link (a record of a credit,
    // "acreditación", with `"status":"ok"`: succeeded, see pagos_telepagos::status).
    rec.run(
        P,
        &format!("fetch payment {}", created.id),
        "succeeded",
        provider.get_payment(&created.id),
        status_is,
    )
    .await?;
    let sent = rec.need(P, "amount", Money::parse("10.50", Currency::Ars))?;
    let payout = rec
        .run(
            P,
            "cash-out to CVU (10.50 ARS)",
            "processing",
            async {
                let request = PayoutRequest::builder(
                    sent,
                    BankAccount::Cbu("2850590940090418135201".into()),
                    "demo-payout-1",
                )
                .beneficiary_tax_id("20267565393")
                .concept("VAR")
                .build()?;
                StepResult::Ok(provider.create_payout(&request).await?)
            },
            |p, e| same(p.status.to_string(), e),
        )
        .await?;
    let fetched = rec
        .run(
            P,
            "cash-out status",
            "succeeded",
            provider.get_payout(&payout.id),
            |p, e| same(p.status.to_string(), e),
        )
        .await?;
    rec.run(
        P,
        "cash-out voucher",
        "PDF",
        async { StepResult::Ok(fetched.receipt.clone().unwrap_or_default()) },
        |pdf, e| {
            if pdf.starts_with(b"%PDF") {
                (format!("PDF ({} bytes)", pdf.len()), e == "PDF")
            } else if pdf.is_empty() {
                ("no voucher".to_string(), false)
            } else {
                (format!("not a PDF ({} bytes)", pdf.len()), false)
            }
        },
    )
    .await?;
    let expected = Money::new(
        before.available.amount() + paid.amount() - sent.amount(),
        Currency::Ars,
    );
    let expected = rec.need(P, "expected balance", expected)?;
    rec.run(
        P,
        "balance",
        expected.to_string(),
        provider.balance(),
        |b, e| same(b.available.to_string(), e),
    )
    .await?;
    Ok(())
}

// -----------------------------------------------------------------------------------
// A tiny HTTP receiver on 127.0.0.1 for notify_url and webhooks.

/// One request the receiver got.
#[derive(Debug)]
struct Received {
    path: String,
    /// The header fields, names in lower case, in the order received.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    /// What the merchant's server hands to `verify_notification`: every header field
    /// and the raw body.
    fn notification(&self) -> Notification<'_> {
        self.headers
            .iter()
            .fold(Notification::new(&self.body), |n, (name, value)| {
                n.with_header(name, value)
            })
    }

    /// The first value of header `name` (lower case).
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Receiver {
    /// `http://127.0.0.1:PORT`
    base: String,
    rx: Mutex<mpsc::UnboundedReceiver<Received>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    async fn start() -> std::io::Result<Receiver> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let tx = tx.clone();
                tokio::spawn(async move {
                    if let Some(received) = serve(stream).await {
                        let _ = tx.send(received);
                    }
                });
            }
        });
        Ok(Receiver {
            base,
            rx: Mutex::new(rx),
            task,
        })
    }

    /// The next request to `path` (others are dropped), waiting at most
    /// [`NOTIFICATION_WAIT`].
    async fn next(&self, path: &str) -> StepResult<Received> {
        let mut rx = self.rx.lock().await;
        let wait = async {
            while let Some(r) = rx.recv().await {
                if r.path == path {
                    return Some(r);
                }
            }
            None
        };
        match tokio::time::timeout(NOTIFICATION_WAIT, wait).await {
            Ok(Some(r)) => Ok(r),
            Ok(None) => Err("the receiver stopped".into()),
            Err(_) => Err(format!(
                "nothing was POSTed to {path} within {} s",
                NOTIFICATION_WAIT.as_secs()
            )
            .into()),
        }
    }
}

/// Reads one HTTP/1.1 request (Content-Length bodies), answers `200 ok`.
async fn serve(mut stream: TcpStream) -> Option<Received> {
    const LIMIT: usize = 1 << 20;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > LIMIT {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(LIMIT);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    let answer = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
    let _ = stream.write_all(answer).await;
    let _ = stream.shutdown().await;
    Some(Received {
        path,
        headers,
        body,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
