//! The fault matrix: every provider × every kind of fault the sandbox injects, through the
//! facade (`Arc<dyn PaymentProvider>`).
//!
//! Each row names the call under test, the fault (and how many consecutive requests it
//! hits), and what must come of it:
//! - the outcome: success, the provider's refusal (`ErrorKind::Provider` with its HTTP
//!   status), or an unknown outcome (`ErrorKind::OutcomeUnknown` with its cause);
//! - the number of HTTP attempts, read both from the error's `attempts()` and from the
//!   sandbox's request log (which must agree, fault by fault);
//! - how many operations the sandbox applied: payments, invoices, orders, links or
//!   cash-outs created and balances debited. Never more than one: nothing is duplicated.
//!
//! The retry rules under test are pagos-core's transport's: a `POST` without an
//! idempotency reference is sent once whatever comes back; a `GET` is retried after
//! 408/429/5xx, a lost connection or a timeout, within 3 attempts; TelePagos' cash-out
//! carries `reference_id` and is retried with the identical body; `Retry-After` is waited
//! for when within `RetryPolicy::max_retry_after` and otherwise ends the retries. An answer
//! that arrived (even an unreadable `200`) is never retried.
//!
//! | call | fault × requests hit | outcome | attempts | applied |
//! |---|---|---|---|---|
//! | create (POST, no idempotency reference) | HTML 500 / empty 502 / 503 provider body | unknown: server error, status and body kept (+ hint); resend after lookup | 1 | 0 |
//! | | 429 `Retry-After: 0` | provider error 429 | 1 | 0 |
//! | | connection dropped before processing | unknown: connection lost (+ hint) | 1 | 0 |
//! | | connection dropped after processing | unknown: connection lost (+ hint) | 1 | 1 |
//! | | latency 1.5 s, client timeout 300 ms | unknown: timeout (+ hint) | 1 | 0 |
//! | | truncated JSON (processed) | unknown: undecodable, raw body kept (+ hint) | 1 | 1 |
//! | | non-JSON 200 (not processed) | unknown: undecodable, raw body kept (+ hint) | 1 | 0 |
//! | | unknown status + extra fields / optional fields missing | success, `Unknown(raw)` kept | 1 | 1 |
//! | get (GET) | HTML 500 × 1 | success | 2 | 0 |
//! | | HTML 500 / empty 502 / 503 × 3 | provider error | 3 | 0 |
//! | | 429 `Retry-After: 0` (or 1) × 1 | success, after the wait | 2 | 0 |
//! | | 429 `Retry-After: 5` > `max_retry_after` 1 s | provider error 429 | 1 | 0 |
//! | | dropped before × 1 / after × 3 | success / unknown: connection lost | 2 / 3 | 0 |
//! | | latency × 3, timeout 300 ms | unknown: timeout | 3 | 0 |
//! | | truncated JSON / non-JSON 200 | unknown: undecodable | 1 | 0 |
//! | | unknown status + extra fields / optional fields missing | success, `Unknown(raw)` kept | 1 | 0 |
//! | TelePagos cash-out (POST with `reference_id`) | HTML 500 / empty 502 / 429 / dropped before / dropped after / latency × 1 | success | 2 | 1 |
//! | | 503 × 3 | unknown: an earlier attempt's outcome is unknown; safe to resend (keyed) | 3 | 0 |
//! | | dropped after processing × 3 | unknown: connection lost (+ hint) | 3 | 1 |
//! | | latency × 3 | unknown: timeout (+ hint) | 3 | 0 |
//! | | truncated JSON / non-JSON 200 | unknown: undecodable (+ hint) | 1 | 1 / 0 |
//!
//! Kashpay has no read endpoint (its only call is `createOrder`), so it has create rows
//! only. A timed-out request is dropped by the sandbox when its client goes away, so the
//! latency rows apply nothing.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pagos::{
    BankAccount, CreatePayment, Currency, Decimal, Error, ErrorKind, PaymentProvider,
    PaymentStatus, PayoutRequest, PayoutStatus, RetryPolicy, Transport, UnknownCause,
};
use pagos_sandbox::{Fault, FaultKind, Provider, SandboxHandle};
use serde_json::{Value, json};

use crate::support::{self, CLABE, CUIT, CVU, decimal, money, requests, within};

// ---------------------------------------------------------------------------------------
// The table's vocabulary

/// The call a row makes through `dyn PaymentProvider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// `create_payment`: a POST without an idempotency reference.
    CreatePayment,
    /// `create_payout`: Kashpay's `createOrder` (sent once) or TelePagos' cash-out
    /// (carries `reference_id`, retried).
    CreatePayout,
    /// `get_payment` / `get_payout` of a record created beforehand: a GET.
    Get,
}

/// The client a row uses: the same provider over three transports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// 3 attempts 1–5 ms apart, 10 s timeout, `Retry-After` waited for up to 30 s.
    Fast,
    /// The same with a 300 ms timeout.
    ShortTimeout,
    /// The same, waiting for a `Retry-After` of 1 s at most.
    CappedRetryAfter,
}

/// The client timeout of [`Via::ShortTimeout`].
const SHORT_TIMEOUT: Duration = Duration::from_millis(300);
/// The injected latency: longer than [`SHORT_TIMEOUT`], with a margin wide enough that a
/// busy machine cannot let the answer beat the timeout. It is never waited out: the
/// sandbox drops a request (unprocessed) as soon as its client gives up.
const LATENCY_MS: u64 = 1_500;
/// The `max_retry_after` of [`Via::CappedRetryAfter`].
const RETRY_AFTER_CAP: Duration = Duration::from_secs(1);
/// The extra field every "unknown status" rewrite adds (see [`extra`] for its value).
const EXTRA: &str = "pagos_matrix_extra";
/// Where [`EXTRA`] is found in `raw`, as a JSON pointer.
const EXTRA_AT: &str = "/pagos_matrix_extra";

fn extra() -> Value {
    json!({ "nested": [1, "two"], "flag": true })
}

/// A unified status, payment or payout.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Payment(PaymentStatus),
    Payout(PayoutStatus),
}

/// What a successful call returned, as far as the matrix looks.
#[derive(Debug)]
struct Seen {
    status: Status,
    raw: Value,
}

/// Something a successful row checks on what came back.
#[derive(Debug, Clone)]
enum Check {
    /// The unified status.
    Status(Status),
    /// `raw` holds this value at this JSON pointer (the provider's value is kept).
    Raw(&'static str, Value),
    /// `raw` has nothing at this JSON pointer (the optional field was left out).
    Absent(&'static str),
}

/// What a row must produce.
#[derive(Debug, Clone)]
enum Expect {
    /// Success, with these checks.
    Ok(Vec<Check>),
    /// `ErrorKind::Provider` with this HTTP status.
    Refused(u16),
    /// `ErrorKind::OutcomeUnknown` for this cause.
    Unknown(UnknownCause),
}

use Expect::{Refused, Unknown};
use UnknownCause::{
    ConnectionLost, EarlierAttemptUnknown, ServerError, Timeout, UndecodableResponse as Undecodable,
};

/// Success with nothing more to check.
fn ok() -> Expect {
    Expect::Ok(Vec::new())
}

/// One row of the matrix.
#[derive(Debug, Clone)]
struct Row {
    op: Op,
    fault: FaultKind,
    /// How many consecutive matching requests the fault hits.
    times: u32,
    via: Via,
    expect: Expect,
    /// HTTP attempts: the error's `attempts()` and the request log's length.
    attempts: u32,
    /// Operations the sandbox applied (records created, debits).
    applied: usize,
}

fn row(op: Op, fault: FaultKind, times: u32, expect: Expect, attempts: u32, applied: usize) -> Row {
    Row {
        op,
        fault,
        times,
        via: Via::Fast,
        expect,
        attempts,
        applied,
    }
}

impl Row {
    fn via(mut self, via: Via) -> Row {
        self.via = via;
        self
    }
}

impl fmt::Display for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fault = match &self.fault {
            FaultKind::Html { status } => format!("html {status}"),
            FaultKind::Body { status, body, .. } if body.is_empty() => {
                format!("empty {status}")
            }
            FaultKind::Status { status } => format!("status {status} (provider body)"),
            FaultKind::RetryAfter { status, seconds } => {
                format!("{status} Retry-After: {seconds}")
            }
            FaultKind::Latency { millis } => format!("latency {millis} ms"),
            FaultKind::Rewrite { patch } => format!("rewrite {patch}"),
            other => other.name().to_string(),
        };
        write!(
            f,
            "{:?} × {fault} ×{} via {:?} → {:?}, {} attempt(s), {} applied",
            self.op, self.times, self.via, self.expect, self.attempts, self.applied
        )
    }
}

// Fault kinds, named as in the table.

fn html(status: u16) -> FaultKind {
    FaultKind::Html { status }
}

/// A bare status with no body, as a proxy sends it.
fn empty(status: u16) -> FaultKind {
    FaultKind::Body {
        status,
        content_type: None,
        body: String::new(),
    }
}

/// The status with the provider's own error body.
fn status(status: u16) -> FaultKind {
    FaultKind::Status { status }
}

fn retry_after(status: u16, seconds: u64) -> FaultKind {
    FaultKind::RetryAfter { status, seconds }
}

fn dropped_before() -> FaultKind {
    FaultKind::DropConnection
}

fn dropped_after() -> FaultKind {
    FaultKind::DropAfterProcessing
}

fn latency() -> FaultKind {
    FaultKind::Latency { millis: LATENCY_MS }
}

fn truncated() -> FaultKind {
    FaultKind::TruncatedJson
}

fn non_json() -> FaultKind {
    FaultKind::NonJson
}

fn rewrite(patch: Value) -> FaultKind {
    FaultKind::Rewrite { patch }
}

/// A rewrite that leaves these optional fields out of the answer's object at `path`
/// (`&[]` for the top level).
fn without(path: &[&str], fields: &[&str]) -> FaultKind {
    let mut patch: Value = fields
        .iter()
        .map(|f| (f.to_string(), Value::Null))
        .collect::<serde_json::Map<_, _>>()
        .into();
    for key in path.iter().rev() {
        patch = json!({ *key: patch });
    }
    rewrite(patch)
}

/// The rows every create without an idempotency reference shares: sent once, whatever
/// comes back; applied only when the fault let the sandbox process it. A 5xx is an
/// unknown outcome (a gateway answers 502/504 after the provider acted), never a
/// refusal; a 429 is a definite refusal.
fn sent_once(op: Op) -> Vec<Row> {
    vec![
        row(op, html(500), 1, Unknown(ServerError), 1, 0),
        row(op, empty(502), 1, Unknown(ServerError), 1, 0),
        row(op, status(503), 1, Unknown(ServerError), 1, 0),
        row(op, retry_after(429, 0), 1, Refused(429), 1, 0),
        row(op, dropped_before(), 1, Unknown(ConnectionLost), 1, 0),
        row(op, dropped_after(), 1, Unknown(ConnectionLost), 1, 1),
        row(op, latency(), 1, Unknown(Timeout), 1, 0).via(Via::ShortTimeout),
        row(op, truncated(), 1, Unknown(Undecodable), 1, 1),
        row(op, non_json(), 1, Unknown(Undecodable), 1, 0),
    ]
}

/// The rows every read shares: retried within the bound after a transient failure; an
/// answer that arrived is not retried.
fn retried_get() -> Vec<Row> {
    let op = Op::Get;
    vec![
        row(op, html(500), 1, ok(), 2, 0),
        row(op, html(500), 3, Refused(500), 3, 0),
        row(op, empty(502), 3, Refused(502), 3, 0),
        row(op, status(503), 3, Refused(503), 3, 0),
        row(op, retry_after(429, 0), 1, ok(), 2, 0),
        row(op, retry_after(429, 5), 1, Refused(429), 1, 0).via(Via::CappedRetryAfter),
        row(op, dropped_before(), 1, ok(), 2, 0),
        row(op, dropped_after(), 3, Unknown(ConnectionLost), 3, 0),
        row(op, latency(), 3, Unknown(Timeout), 3, 0).via(Via::ShortTimeout),
        row(op, truncated(), 1, Unknown(Undecodable), 1, 0),
        row(op, non_json(), 1, Unknown(Undecodable), 1, 0),
    ]
}

// ---------------------------------------------------------------------------------------
// The runner

/// What the matrix compares before and after a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct State {
    /// The records the call creates (payments, invoices, orders, links, cash-outs).
    records: usize,
    /// The balance a payout debits (zero for providers without one).
    balance: Decimal,
}

/// One provider under test: the operation under test and the state it changes.
trait Subject {
    /// The sandbox's provider; the registry's of the same name is the one under test.
    const PROVIDER: Provider;

    /// The method and route (below the provider's base path) of `op`'s request.
    fn route(&self, op: Op) -> (&'static str, String);

    /// Performs `op`; `n` (the row number) keeps references unique.
    async fn call(&self, client: &dyn PaymentProvider, op: Op, n: usize) -> Result<Seen, Error>;

    /// The sandbox state `op` changes.
    fn state(sandbox: &SandboxHandle, op: Op) -> State;

    /// What one applied `op` debits.
    fn debit(_op: Op) -> Decimal {
        Decimal::ZERO
    }

    /// What the hint of an outcome-unknown create must mention (one of them): the
    /// caller's reference or how to look the operation up.
    fn hint_mentions(&self, op: Op, n: usize) -> Vec<String>;

    /// Whether `create_payout` carries the provider's idempotency reference (and is
    /// therefore safe to resend even when its outcome is unknown).
    fn keyed_payout(&self) -> bool {
        false
    }
}

/// The provider behind each [`Via`].
struct Clients {
    fast: Arc<dyn PaymentProvider>,
    short_timeout: Arc<dyn PaymentProvider>,
    capped_retry_after: Arc<dyn PaymentProvider>,
}

fn transport(timeout: Duration, max_retry_after: Duration) -> Transport {
    Transport::builder()
        .timeout(timeout)
        .retry(
            RetryPolicy::attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
                .with_max_retry_after(max_retry_after),
        )
        .build()
        .expect("the transport builds")
}

impl Clients {
    fn new(sandbox: &SandboxHandle, name: &str) -> Clients {
        let build = |transport: Transport| {
            pagos::from_env_with(name, &support::sandbox_env(sandbox, transport))
                .unwrap_or_else(|e| panic!("{name} builds from the sandbox environment: {e}"))
        };
        let default_cap = RetryPolicy::DEFAULT.max_retry_after;
        Clients {
            fast: support::provider(sandbox, name),
            short_timeout: build(transport(SHORT_TIMEOUT, default_cap)),
            capped_retry_after: build(transport(Duration::from_secs(10), RETRY_AFTER_CAP)),
        }
    }

    fn get(&self, via: Via) -> &dyn PaymentProvider {
        match via {
            Via::Fast => &*self.fast,
            Via::ShortTimeout => &*self.short_timeout,
            Via::CappedRetryAfter => &*self.capped_retry_after,
        }
    }
}

/// Runs every row against a fresh fault book and request log, checking the outcome, the
/// attempts (error and log) and the state.
async fn run<S: Subject>(sandbox: &SandboxHandle, subject: &S, rows: &[Row]) {
    let clients = Clients::new(sandbox, S::PROVIDER.as_str());
    for (n, row) in rows.iter().enumerate() {
        let label = format!("{} row {n}: {row}", S::PROVIDER);
        sandbox.clear_faults();
        sandbox.clear_request_log();
        let before = S::state(sandbox, row.op);
        let (method, route) = subject.route(row.op);
        sandbox.inject_fault(
            Fault::new(row.fault.clone())
                .provider(S::PROVIDER)
                .route(route.clone())
                .method(method)
                .times(row.times),
        );

        let started = Instant::now();
        let result = within(&label, subject.call(clients.get(row.via), row.op, n)).await;
        let elapsed = started.elapsed();
        // A timed-out request is logged once the sandbox has dropped it.
        within(&label, sandbox.requests_settled()).await;

        check_outcome(subject, row, n, &result, &label);
        check_log(
            sandbox,
            row,
            &requests(sandbox, S::PROVIDER, method, &route),
            &label,
        );
        if let FaultKind::RetryAfter { seconds, .. } = row.fault
            && row.attempts > 1
        {
            let waited = Duration::from_secs(seconds) * (row.attempts - 1);
            assert!(elapsed >= waited, "{label}: waited only {elapsed:?}");
        }
        let after = S::state(sandbox, row.op);
        assert_eq!(
            after.records,
            before.records + row.applied,
            "{label}: records created"
        );
        let applied = Decimal::from(u64::try_from(row.applied).unwrap_or(u64::MAX));
        assert_eq!(
            after.balance,
            before.balance - S::debit(row.op) * applied,
            "{label}: balance"
        );
        assert!(
            sandbox.faults().is_empty() || row.attempts < row.times,
            "{label}"
        );
        println!("ok  {label}");
    }
    sandbox.clear_faults();
}

fn check_outcome<S: Subject>(
    subject: &S,
    row: &Row,
    n: usize,
    result: &Result<Seen, Error>,
    label: &str,
) {
    match (&row.expect, result) {
        (Expect::Ok(checks), Ok(seen)) => {
            for check in checks {
                match check {
                    Check::Status(status) => assert_eq!(&seen.status, status, "{label}"),
                    Check::Raw(pointer, value) => assert_eq!(
                        seen.raw.pointer(pointer),
                        Some(value),
                        "{label}: raw {}",
                        seen.raw
                    ),
                    Check::Absent(pointer) => assert!(
                        seen.raw.pointer(pointer).is_none(),
                        "{label}: raw {}",
                        seen.raw
                    ),
                }
            }
        }
        (Expect::Refused(code), Err(err)) => {
            assert_eq!(err.kind(), ErrorKind::Provider, "{label}: {err:?}");
            assert_eq!(err.attempts(), Some(row.attempts), "{label}: {err:?}");
            let refused = support::provider_error(err);
            assert_eq!(refused.http_status, *code, "{label}: {err:?}");
            assert_eq!(refused.attempts, row.attempts, "{label}");
            match &row.fault {
                FaultKind::Html { .. } => {
                    assert!(refused.raw_body.contains("nginx"), "{label}: {err:?}");
                }
                FaultKind::Body { body, .. } => assert_eq!(&refused.raw_body, body, "{label}"),
                FaultKind::Status { .. } | FaultKind::RetryAfter { .. } => assert!(
                    refused.message.contains("Error simulado por el sandbox"),
                    "{label}: the provider's error body is read: {err:?}"
                ),
                _ => {}
            }
        }
        (Expect::Unknown(cause), Err(Error::OutcomeUnknown(unknown))) => {
            assert_eq!(unknown.cause, *cause, "{label}: {unknown:?}");
            assert_eq!(unknown.attempts, row.attempts, "{label}: {unknown:?}");
            // What resending would do follows the call: a create must be looked up, a
            // keyed cash-out or a read may simply be sent again.
            let expected_resend = match (row.op, subject.keyed_payout()) {
                (Op::Get, _) | (Op::CreatePayout, true) => pagos::Resend::Safe,
                _ => pagos::Resend::AfterLookup,
            };
            assert_eq!(unknown.resend(), expected_resend, "{label}: {unknown:?}");
            if matches!(cause, ServerError | EarlierAttemptUnknown) {
                // What the provider said is kept: status, message and raw body.
                assert!(
                    unknown.http_status.is_some_and(|s| s >= 500),
                    "{label}: {unknown:?}"
                );
                let body = unknown.raw_body.as_deref().unwrap_or_default();
                match &row.fault {
                    FaultKind::Html { .. } => assert!(body.contains("nginx"), "{label}: {body}"),
                    FaultKind::Status { .. } => assert!(
                        unknown
                            .message
                            .as_deref()
                            .is_some_and(|m| m.contains("Error simulado por el sandbox")),
                        "{label}: the provider's error body is read: {unknown:?}"
                    ),
                    _ => {}
                }
            }
            if *cause == Undecodable {
                let body = unknown.raw_body.as_deref().unwrap_or_default();
                match row.fault {
                    FaultKind::NonJson => {
                        assert!(body.contains("Sitio en mantenimiento"), "{label}: {body}");
                    }
                    FaultKind::TruncatedJson => assert!(
                        body.starts_with('{') && serde_json::from_str::<Value>(body).is_err(),
                        "{label}: the truncated body is kept: {body:?}"
                    ),
                    _ => assert!(!body.is_empty(), "{label}"),
                }
            }
            if row.op != Op::Get {
                let hint = unknown.hint.as_deref().unwrap_or_default();
                let mentions = subject.hint_mentions(row.op, n);
                assert!(
                    !hint.is_empty() && mentions.iter().any(|m| hint.contains(m.as_str())),
                    "{label}: the hint {hint:?} says how to find out (one of {mentions:?})"
                );
            }
        }
        (_, result) => panic!("{label}: got {result:?}"),
    }
}

fn check_log(
    sandbox: &SandboxHandle,
    row: &Row,
    log: &[pagos_sandbox::RequestLogEntry],
    label: &str,
) {
    assert_eq!(
        log.len(),
        usize::try_from(row.attempts).unwrap_or(usize::MAX),
        "{label}: the sandbox saw {log:?} (whole log {:?})",
        sandbox.request_log()
    );
    let faulted = row.times.min(row.attempts) as usize;
    for (i, entry) in log.iter().enumerate() {
        if i < faulted {
            assert_eq!(
                entry.fault.as_deref(),
                Some(row.fault.name()),
                "{label}: attempt {i}: {log:?}"
            );
            let answered = !matches!(
                row.fault,
                FaultKind::DropConnection
                    | FaultKind::DropAfterProcessing
                    | FaultKind::Latency { .. }
            );
            assert_eq!(entry.status.is_some(), answered, "{label}: {log:?}");
        } else {
            assert_eq!(entry.fault, None, "{label}: attempt {i}: {log:?}");
            assert!(
                entry.status.is_some_and(|s| (200..300).contains(&s)),
                "{label}: {log:?}"
            );
        }
    }
}

fn payment(seen: pagos::Payment) -> Seen {
    Seen {
        status: Status::Payment(seen.status),
        raw: seen.raw.to_value().unwrap_or_default(),
    }
}

fn payout(seen: pagos::Payout) -> Seen {
    Seen {
        status: Status::Payout(seen.status),
        raw: seen.raw.to_value().unwrap_or_default(),
    }
}

/// An "unknown status and extra fields" row: the rewrite sets an unknown status and adds
/// [`EXTRA`]; the call succeeds with the provider's status kept in `Unknown(..)` and the
/// extra field in `raw`.
fn kept(status: Status) -> Expect {
    Expect::Ok(vec![Check::Status(status), Check::Raw(EXTRA_AT, extra())])
}

// ---------------------------------------------------------------------------------------
// Khipu

struct Khipu {
    payment_id: String,
}

impl Subject for Khipu {
    const PROVIDER: Provider = Provider::Khipu;

    fn route(&self, op: Op) -> (&'static str, String) {
        match op {
            Op::Get => ("GET", format!("/payments/{}", self.payment_id)),
            _ => ("POST", "/payments".into()),
        }
    }

    async fn call(&self, client: &dyn PaymentProvider, op: Op, n: usize) -> Result<Seen, Error> {
        match op {
            Op::Get => client.get_payment(&self.payment_id).await.map(payment),
            _ => client
                .create_payment(&khipu_payment(&format!("fm-khipu-{n}")))
                .await
                .map(payment),
        }
    }

    fn state(sandbox: &SandboxHandle, _op: Op) -> State {
        State {
            records: sandbox.record_counts().khipu_payments,
            balance: Decimal::ZERO,
        }
    }

    fn hint_mentions(&self, _op: Op, n: usize) -> Vec<String> {
        vec![format!("fm-khipu-{n}")]
    }
}

fn khipu_payment(reference: &str) -> CreatePayment {
    CreatePayment::builder(money("1000", Currency::Clp), "Pedido")
        .merchant_reference(reference)
        .build()
        .unwrap()
}

#[tokio::test]
async fn khipu_fault_matrix() {
    let sandbox = support::start_sandbox().await;
    let existing = within(
        "create",
        support::provider(&sandbox, "khipu").create_payment(&khipu_payment("setup")),
    )
    .await
    .unwrap();
    let khipu = Khipu {
        payment_id: existing.id,
    };
    let (create, get) = (Op::CreatePayment, Op::Get);
    let mut rows = sent_once(create);
    rows.extend([
        // Khipu's create answer has no status: an extra field is ignored and kept.
        row(
            create,
            rewrite(json!({ EXTRA: extra() })),
            1,
            Expect::Ok(vec![
                Check::Status(Status::Payment(PaymentStatus::Pending)),
                Check::Raw(EXTRA_AT, extra()),
            ]),
            1,
            1,
        ),
        row(
            create,
            without(
                &[],
                &[
                    "simplified_transfer_url",
                    "transfer_url",
                    "app_url",
                    "ready_for_terminal",
                ],
            ),
            1,
            Expect::Ok(vec![Check::Absent("/app_url")]),
            1,
            1,
        ),
    ]);
    rows.extend(retried_get());
    rows.extend([
        row(
            get,
            rewrite(json!({
                "status": "en_revision",
                "status_detail": "revision-manual",
                EXTRA: extra(),
            })),
            1,
            kept(Status::Payment(PaymentStatus::Unknown(
                "en_revision".into(),
            ))),
            1,
            0,
        ),
        row(
            get,
            without(
                &[],
                &[
                    "transaction_id",
                    "payment_url",
                    "receipt_url",
                    "expires_date",
                    "bank",
                    "payer_name",
                    "custom",
                ],
            ),
            1,
            Expect::Ok(vec![
                Check::Status(Status::Payment(PaymentStatus::Pending)),
                Check::Absent("/transaction_id"),
            ]),
            1,
            0,
        ),
    ]);
    run(&sandbox, &khipu, &rows).await;
}

// ---------------------------------------------------------------------------------------
// KashIO

struct Kashio {
    invoice_id: String,
}

impl Subject for Kashio {
    const PROVIDER: Provider = Provider::Kashio;

    fn route(&self, op: Op) -> (&'static str, String) {
        match op {
            Op::Get => ("GET", format!("/invoices/{}", self.invoice_id)),
            _ => ("POST", "/invoices".into()),
        }
    }

    async fn call(&self, client: &dyn PaymentProvider, op: Op, n: usize) -> Result<Seen, Error> {
        match op {
            Op::Get => client.get_payment(&self.invoice_id).await.map(payment),
            _ => client
                .create_payment(&kashio_invoice(&format!("FM-KASHIO-{n}")))
                .await
                .map(payment),
        }
    }

    fn state(sandbox: &SandboxHandle, _op: Op) -> State {
        State {
            records: sandbox.record_counts().kashio_invoices,
            balance: Decimal::ZERO,
        }
    }

    fn hint_mentions(&self, _op: Op, n: usize) -> Vec<String> {
        vec![format!("FM-KASHIO-{n}")]
    }
}

fn kashio_invoice(reference: &str) -> CreatePayment {
    CreatePayment::builder(money("20.00", Currency::Pen), "Orden")
        .merchant_reference(reference)
        .payer_email("juan@example.pe")
        .build()
        .unwrap()
}

#[tokio::test]
async fn kashio_fault_matrix() {
    let sandbox = support::start_sandbox().await;
    let existing = within(
        "create",
        support::provider(&sandbox, "kashio").create_payment(&kashio_invoice("SETUP")),
    )
    .await
    .unwrap();
    let kashio = Kashio {
        invoice_id: existing.id,
    };
    let (create, get) = (Op::CreatePayment, Op::Get);
    let mut rows = sent_once(create);
    rows.extend([
        row(
            create,
            rewrite(json!({ "status": "ON_HOLD", EXTRA: extra() })),
            1,
            kept(Status::Payment(PaymentStatus::Unknown("ON_HOLD".into()))),
            1,
            1,
        ),
        row(
            create,
            without(
                &[],
                &[
                    "ktin",
                    "qr_code",
                    "token",
                    "metadata",
                    "customer",
                    "fees",
                    "sub_total",
                    "livemode",
                ],
            ),
            1,
            Expect::Ok(vec![Check::Absent("/ktin")]),
            1,
            1,
        ),
    ]);
    rows.extend(retried_get());
    rows.extend([
        // A real wait: Retry-After: 1 is within the default ceiling.
        row(get, retry_after(429, 1), 1, ok(), 2, 0),
        row(
            get,
            rewrite(json!({ "status": "refunded", EXTRA: extra() })),
            1,
            kept(Status::Payment(PaymentStatus::Unknown("refunded".into()))),
            1,
            0,
        ),
        row(
            get,
            without(
                &[],
                &[
                    "invoice_id",
                    "expiration_datetime",
                    "url_success",
                    "url_error",
                    "ktin",
                    "customer",
                    "metadata",
                ],
            ),
            1,
            Expect::Ok(vec![Check::Absent("/invoice_id")]),
            1,
            0,
        ),
    ]);
    run(&sandbox, &kashio, &rows).await;
}

// ---------------------------------------------------------------------------------------
// ComproPago

struct Compropago {
    order_id: String,
}

impl Subject for Compropago {
    const PROVIDER: Provider = Provider::ComproPago;

    fn route(&self, op: Op) -> (&'static str, String) {
        match op {
            Op::Get => ("GET", format!("/v2/orders/{}", self.order_id)),
            _ => ("POST", "/v2/orders".into()),
        }
    }

    async fn call(&self, client: &dyn PaymentProvider, op: Op, n: usize) -> Result<Seen, Error> {
        match op {
            Op::Get => client.get_payment(&self.order_id).await.map(payment),
            _ => client
                .create_payment(&compropago_order(&format!("FM-CP-{n}")))
                .await
                .map(payment),
        }
    }

    fn state(sandbox: &SandboxHandle, _op: Op) -> State {
        State {
            records: sandbox.record_counts().compropago_orders,
            balance: Decimal::ZERO,
        }
    }

    fn hint_mentions(&self, _op: Op, n: usize) -> Vec<String> {
        vec![format!("FM-CP-{n}")]
    }
}

fn compropago_order(reference: &str) -> CreatePayment {
    CreatePayment::builder(money("99.90", Currency::Mxn), "Taza")
        .merchant_reference(reference)
        .payer_name("Ana Lopez")
        .payer_email("ana@example.mx")
        .build()
        .unwrap()
}

#[tokio::test]
async fn compropago_fault_matrix() {
    let sandbox = support::start_sandbox().await;
    let existing = within(
        "create",
        support::provider(&sandbox, "compropago").create_payment(&compropago_order("SETUP")),
    )
    .await
    .unwrap();
    let compropago = Compropago {
        order_id: existing.id,
    };
    let (create, get) = (Op::CreatePayment, Op::Get);
    // The order is under the envelope's `data`; `raw` is the order.
    let unknown_status = |status: &str| {
        rewrite(json!({ "data": { "status": status, EXTRA: extra() }, EXTRA: extra() }))
    };
    let optional_left_out = rewrite(json!({
        "map": null,
        "data": {
            "shortId": null,
            "exchange": null,
            "extras": null,
            "client": null,
            "testMode": null,
            "product": { "url": null },
            "customer": { "phone": null },
            "payment": { "instructions": null },
        },
    }));
    let mut rows = sent_once(create);
    rows.extend([
        row(
            create,
            unknown_status("IN_REVIEW"),
            1,
            kept(Status::Payment(PaymentStatus::Unknown("IN_REVIEW".into()))),
            1,
            1,
        ),
        row(
            create,
            optional_left_out.clone(),
            1,
            Expect::Ok(vec![
                Check::Status(Status::Payment(PaymentStatus::Pending)),
                Check::Absent("/exchange"),
            ]),
            1,
            1,
        ),
    ]);
    rows.extend(retried_get());
    rows.extend([
        row(
            get,
            unknown_status("REFUNDED"),
            1,
            kept(Status::Payment(PaymentStatus::Unknown("REFUNDED".into()))),
            1,
            0,
        ),
        row(
            get,
            optional_left_out,
            1,
            Expect::Ok(vec![Check::Absent("/shortId")]),
            1,
            0,
        ),
    ]);
    run(&sandbox, &compropago, &rows).await;
}

// ---------------------------------------------------------------------------------------
// Kashpay

struct Kashpay;

const KASHPAY_AMOUNT: &str = "300.00";

impl Subject for Kashpay {
    const PROVIDER: Provider = Provider::Kashpay;

    fn route(&self, _op: Op) -> (&'static str, String) {
        ("POST", "/OKPay/createOrder".into())
    }

    async fn call(&self, client: &dyn PaymentProvider, _op: Op, n: usize) -> Result<Seen, Error> {
        let request = PayoutRequest::builder(
            money(KASHPAY_AMOUNT, Currency::Mxn),
            BankAccount::Clabe(CLABE.into()),
            format!("77{n}"),
        )
        .beneficiary_name("Florentino Eter")
        .build()
        .unwrap();
        client.create_payout(&request).await.map(payout)
    }

    fn state(sandbox: &SandboxHandle, _op: Op) -> State {
        State {
            records: sandbox.record_counts().kashpay_orders,
            balance: sandbox.kashpay_balance(),
        }
    }

    fn debit(_op: Op) -> Decimal {
        decimal(KASHPAY_AMOUNT)
    }

    fn hint_mentions(&self, _op: Op, n: usize) -> Vec<String> {
        vec![format!("77{n}")]
    }
}

#[tokio::test]
async fn kashpay_fault_matrix() {
    let sandbox = support::start_sandbox().await;
    let create = Op::CreatePayout;
    // createOrder carries no idempotency reference: sent once.
    let mut rows = sent_once(create);
    rows.extend([
        row(
            create,
            rewrite(json!({
                "orderEntityResponse": { "status": 99, EXTRA: extra() },
                EXTRA: extra(),
            })),
            1,
            kept(Status::Payout(PayoutStatus::Unknown("99".into()))),
            1,
            1,
        ),
        row(
            create,
            rewrite(json!({
                "totalItems": null,
                "totalPages": null,
                "currentPage": null,
                "orderEntityResponse": {
                    "createdAt": null,
                    "uptadedAt": null,
                    "initialBalance": null,
                    "finalBalance": null,
                    "referenceCreatedPayment": null,
                    "numericReference": null,
                },
            })),
            1,
            Expect::Ok(vec![
                Check::Status(Status::Payout(PayoutStatus::Succeeded)),
                Check::Absent("/orderEntityResponse/finalBalance"),
            ]),
            1,
            1,
        ),
    ]);
    run(&sandbox, &Kashpay, &rows).await;
}

// ---------------------------------------------------------------------------------------
// TelePagos

struct Telepagos {
    cashout_id: String,
}

const TELEPAGOS_AMOUNT: &str = "750.25";

impl Subject for Telepagos {
    fn keyed_payout(&self) -> bool {
        true
    }

    const PROVIDER: Provider = Provider::TelePagos;

    fn route(&self, op: Op) -> (&'static str, String) {
        match op {
            Op::CreatePayment => ("POST", "/v2/payment/cashin/link/generate".into()),
            Op::CreatePayout => ("POST", "/v2/payment/cashout".into()),
            Op::Get => ("GET", format!("/v2/payment/cashout/{}", self.cashout_id)),
        }
    }

    async fn call(&self, client: &dyn PaymentProvider, op: Op, n: usize) -> Result<Seen, Error> {
        match op {
            Op::CreatePayment => {
                let request = CreatePayment::builder(
                    money("1500.00", Currency::Ars),
                    format!("Cuota FM {n}"),
                )
                .build()
                .unwrap();
                client.create_payment(&request).await.map(payment)
            }
            Op::CreatePayout => client
                .create_payout(&telepagos_payout(&format!("fm-tp-{n}")))
                .await
                .map(payout),
            Op::Get => client.get_payout(&self.cashout_id).await.map(payout),
        }
    }

    fn state(sandbox: &SandboxHandle, op: Op) -> State {
        let counts = sandbox.record_counts();
        State {
            records: match op {
                Op::CreatePayment => counts.telepagos_payables,
                _ => counts.telepagos_cashouts,
            },
            balance: sandbox.telepagos_balance(),
        }
    }

    fn debit(op: Op) -> Decimal {
        match op {
            Op::CreatePayout => decimal(TELEPAGOS_AMOUNT),
            _ => Decimal::ZERO,
        }
    }

    fn hint_mentions(&self, op: Op, n: usize) -> Vec<String> {
        match op {
            // The concept, or the link itself when the answer had it.
            Op::CreatePayment => vec![format!("Cuota FM {n}"), "/checkout/telepagos/".into()],
            _ => vec![format!("fm-tp-{n}")],
        }
    }
}

fn telepagos_payout(reference: &str) -> PayoutRequest {
    PayoutRequest::builder(
        money(TELEPAGOS_AMOUNT, Currency::Ars),
        BankAccount::Cbu(CVU.into()),
        reference,
    )
    .beneficiary_tax_id(CUIT)
    .build()
    .unwrap()
}

#[tokio::test]
async fn telepagos_fault_matrix() {
    let sandbox = support::start_sandbox().await;
    let existing = within(
        "payout",
        support::provider(&sandbox, "telepagos").create_payout(&telepagos_payout("fm-tp-setup")),
    )
    .await
    .unwrap();
    let telepagos = Telepagos {
        cashout_id: existing.id,
    };
    let (link, cashout, get) = (Op::CreatePayment, Op::CreatePayout, Op::Get);
    // A payment link carries no idempotency reference: sent once.
    let mut rows = sent_once(link);
    rows.extend([
        row(
            link,
            rewrite(json!({ EXTRA: extra() })),
            1,
            Expect::Ok(vec![
                Check::Status(Status::Payment(PaymentStatus::Pending)),
                Check::Raw(EXTRA_AT, extra()),
            ]),
            1,
            1,
        ),
        // Without its link_id the answer cannot be used: the link exists, the SDK says so.
        row(
            link,
            rewrite(json!({ "link_id": null })),
            1,
            Unknown(Undecodable),
            1,
            1,
        ),
    ]);
    // The cash-out carries reference_id: retried with the same body, debited once.
    rows.extend([
        row(cashout, html(500), 1, ok(), 2, 1),
        row(cashout, empty(502), 1, ok(), 2, 1),
        // Every attempt may have debited: after three 5xx the outcome is unknown (and,
        // thanks to reference_id, the same cash-out is still safe to send again).
        row(
            cashout,
            status(503),
            3,
            Unknown(EarlierAttemptUnknown),
            3,
            0,
        ),
        row(cashout, retry_after(429, 0), 1, ok(), 2, 1),
        row(cashout, retry_after(429, 5), 1, Refused(429), 1, 0).via(Via::CappedRetryAfter),
        row(cashout, dropped_before(), 1, ok(), 2, 1),
        row(cashout, dropped_after(), 1, ok(), 2, 1),
        row(cashout, dropped_after(), 3, Unknown(ConnectionLost), 3, 1),
        row(cashout, latency(), 1, ok(), 2, 1).via(Via::ShortTimeout),
        row(cashout, latency(), 3, Unknown(Timeout), 3, 0).via(Via::ShortTimeout),
        row(cashout, truncated(), 1, Unknown(Undecodable), 1, 1),
        row(cashout, non_json(), 1, Unknown(Undecodable), 1, 0),
        // A status the table does not know is kept as unknown, not read as accepted.
        row(
            cashout,
            rewrite(json!({ "status": "en_revision", EXTRA: extra() })),
            1,
            Expect::Ok(vec![
                Check::Status(Status::Payout(PayoutStatus::Unknown("en_revision".into()))),
                Check::Raw("/status", json!("en_revision")),
                Check::Raw(EXTRA_AT, extra()),
            ]),
            1,
            1,
        ),
        // No status: accepted, nothing more.
        row(
            cashout,
            rewrite(json!({ "status": null })),
            1,
            Expect::Ok(vec![
                Check::Status(Status::Payout(PayoutStatus::Processing)),
                Check::Absent("/status"),
            ]),
            1,
            1,
        ),
        // A state the answer names wins over "accepted".
        row(
            cashout,
            rewrite(json!({ "status": "rechazada" })),
            1,
            Expect::Ok(vec![Check::Status(Status::Payout(PayoutStatus::Failed))]),
            1,
            1,
        ),
    ]);
    rows.extend(retried_get());
    rows.extend([
        // The status is read, whatever the voucher: an unknown one stays unknown
        // (before, any answer with a voucher was read as succeeded).
        row(
            get,
            rewrite(json!({ "status": "en_revision", EXTRA: extra() })),
            1,
            Expect::Ok(vec![
                Check::Status(Status::Payout(PayoutStatus::Unknown("en_revision".into()))),
                Check::Raw("/status", json!("en_revision")),
                Check::Raw(EXTRA_AT, extra()),
            ]),
            1,
            0,
        ),
        // A refused transfer with a voucher is failed.
        row(
            get,
            rewrite(json!({ "status": "rechazada" })),
            1,
            Expect::Ok(vec![Check::Status(Status::Payout(PayoutStatus::Failed))]),
            1,
            0,
        ),
        // "ok" without the receipt: found, still in process.
        row(
            get,
            rewrite(json!({ "voucher": null })),
            1,
            Expect::Ok(vec![Check::Status(Status::Payout(
                PayoutStatus::Processing,
            ))]),
            1,
            0,
        ),
    ]);
    run(&sandbox, &telepagos, &rows).await;
}

/// Every provider the registry and the sandbox share has a matrix above.
#[test]
fn the_matrix_covers_every_simulated_provider() {
    support::assert_covers(
        "the fault matrix",
        &[
            Khipu::PROVIDER.as_str(),
            Kashio::PROVIDER.as_str(),
            Compropago::PROVIDER.as_str(),
            Kashpay::PROVIDER.as_str(),
            Telepagos::PROVIDER.as_str(),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// The sandbox speaks what the SDK decodes

/// ComproPago's account reads (`GET /v2/accounts/{id}` lists sub-accounts, movements
/// carry `date`) decode with pagos-compropago against the sandbox.
#[tokio::test]
async fn compropago_accounts_decode_against_the_sandbox() {
    let sandbox = support::start_sandbox().await;
    let client = support::compropago(&sandbox);
    let account = within(
        "create account",
        client
            .accounts()
            .create(&pagos::compropago::CreateAccount::new(
                "Condominio Obrera",
                "1-006",
                pagos::compropago::AccountCustomer::new("Departamento_101", "depa101@example.mx"),
            )),
    )
    .await
    .unwrap();
    let id = account.raw.to_value().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let clabe = account.payment.clabe.clone().expect("the account's CLABE");
    let deposit = sandbox
        .pay_amount(Provider::ComproPago, &id, decimal("250.50"))
        .unwrap();

    let subs = within("sub-accounts", client.accounts().subaccounts(&id))
        .await
        .unwrap()
        .items;
    assert_eq!(subs.len(), 1, "{subs:?}");
    assert_eq!(subs[0].id.as_deref(), Some(id.as_str()));
    assert_eq!(subs[0].name.as_deref(), Some("Departamento_101"));
    assert_eq!(subs[0].clabe.as_deref(), Some(clabe.as_str()));

    let movements = within(
        "transactions",
        client.accounts().transactions(&id, Some(&clabe)),
    )
    .await
    .unwrap()
    .items;
    assert_eq!(movements.len(), 1, "{movements:?}");
    let movement = &movements[0];
    assert_eq!(movement.id, deposit.created_id);
    assert_eq!(movement.amount, Some(decimal("250.50")));
    assert_eq!(
        movement.date.map(|d| d.unix_timestamp()),
        Some(sandbox.now().unix_timestamp())
    );
    assert_eq!(movement.status.as_deref(), Some("paid"));
    assert_eq!(movement.description.as_deref(), Some("Abono"));
    assert!(movement.reference.is_some());

    let accounts = within("accounts", client.accounts().list())
        .await
        .unwrap()
        .items;
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].key(), Some(id.as_str()));
    assert_eq!(accounts[0].balance, Some(decimal("250.50")));
}
