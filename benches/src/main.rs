//! pagos benchmarks. Run with `cargo xtask bench` (or `cargo xtask bench --quick`).
//!
//! Every figure is measured against a baseline in the same run, on the same machine,
//! so the ratios mean something even on a noisy 2-core box:
//!
//! - `roundtrip_ratio_c1`, `roundtrip_ratio_c64`: p50 latency of an SDK call (KashIO
//!   through `PaymentProvider::get_payment`: request description, Basic auth,
//!   transport, typed decoding, mapping to `Payment`) over a raw reqwest GET of the same
//!   URL that reads and parses the same JSON body, against the same loopback server, at
//!   concurrency 1 and 64. SDK and raw run in interleaved blocks of a fixed number of
//!   calls (SDK, raw, SDK, …); each pair of blocks gives one ratio of p50s, and the
//!   figure is the median of at least 20 such ratios, with their IQR and range, so a
//!   burst of load from another process moves one pair, not the figure.
//! - `sign_ratio`: Khipu's signing of a typical create-payment form (percent-encoding,
//!   sorting, HMAC) over a bare HMAC-SHA256 of the already-built string.
//! - `allocs_per_call`: heap allocations per SDK call, next to the raw baseline's.
//! - `singleflight_auth_calls`: authentication requests made when 1000 tasks call a
//!   token-based provider (Kashpay) at once with an expired token. The goal is 1.
//! - `decode_ratio`: decoding the typed KashIO `Invoice` over parsing the same bytes into
//!   a `serde_json::Value`; `payment_mapping_ratio`: mapping that invoice to the unified
//!   `Payment` (the step `get_payment` adds), over the same `Value` parse.
//! - `sandbox_rps`: requests per second the sandbox serves on loopback.
//! - `instr_ratio`: client-side instructions of one SDK call over one raw reqwest call,
//!   counted by valgrind with the server in another process (see `instructions.rs`). A
//!   count of work, not of time: the figure a busy machine cannot move. Skipped, never
//!   failed, where valgrind is missing.
//! - full mode only, `compile_ratio_one_provider`, `compile_ratio_full`: the clean
//!   debug-build seconds an application using reqwest, tokio and serde_json adds with
//!   pagos (feature `khipu`, or `full`), over the seconds it adds with async-stripe and
//!   one resource instead (see `compile.rs`). `--compile-only` runs just this.
//!
//! The summary is printed as `key: value` lines and the full table is written to
//! `BENCHMARKS.md`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use hmac::{Hmac, Mac};
use sha2::Sha256;

mod calls;
mod compile;
mod instructions;
mod roundtrip;

/// Counts heap allocations so the benchmark can report them per call.
struct CountingAllocator;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every method forwards to the system allocator unchanged; the only addition
// is a relaxed counter increment, which cannot affect memory safety.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

struct Settings {
    quick: bool,
    /// Interleaved (SDK block, raw block) pairs at each concurrency level; at least 20.
    block_pairs: usize,
    c1_calls_per_block: usize,
    /// Calls each of the 64 tasks makes in one block.
    c64_calls_per_task: usize,
    sign_iterations: usize,
    /// Calls before the counted ones in every valgrind run.
    instr_warmup: usize,
    /// Calls counted: the runs with N = 0 and N = `instr_calls` are subtracted.
    instr_calls: usize,
}

struct Report {
    rows: Vec<(String, String, String)>,
    summary: Vec<(&'static str, String)>,
}

impl Report {
    fn row(&mut self, what: impl Into<String>, value: impl Into<String>, note: impl Into<String>) {
        let (what, value, note) = (what.into(), value.into(), note.into());
        eprintln!("  {what}: {value} {note}");
        self.rows.push((what, value, note));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // The child processes of the instruction count.
    match args.get(1).map(String::as_str) {
        Some("--serve-invoice") => return instructions::serve_invoice(),
        Some("--calls") => return instructions::calls(&args[2..]),
        Some("--compile-only") => {
            let mut report = Report {
                rows: Vec::new(),
                summary: Vec::new(),
            };
            compile::compile_cost(&mut report);
            for (k, v) in &report.summary {
                println!("{k}: {v}");
            }
            return;
        }
        _ => {}
    }
    let quick = args.iter().any(|a| a == "--quick");
    let settings = if quick {
        Settings {
            quick,
            block_pairs: 20,
            c1_calls_per_block: 200,
            c64_calls_per_task: 8,
            sign_iterations: 20_000,
            instr_warmup: 50,
            instr_calls: 200,
        }
    } else {
        Settings {
            quick,
            block_pairs: 40,
            c1_calls_per_block: 500,
            c64_calls_per_task: 32,
            sign_iterations: 200_000,
            instr_warmup: 200,
            instr_calls: 1_000,
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mut report = Report {
        rows: Vec::new(),
        summary: Vec::new(),
    };
    let started = Instant::now();
    runtime.block_on(async {
        roundtrip::roundtrip(&settings, &mut report).await;
        singleflight(&mut report).await;
        sandbox_rps(&settings, &mut report).await;
    });
    sign(&settings, &mut report);
    decode(&settings, &mut report);
    instructions::instructions(&settings, &mut report);
    if !settings.quick {
        compile::compile_cost(&mut report);
    }
    eprintln!("\nbenchmarks took {:.1?}", started.elapsed());
    println!();
    for (k, v) in &report.summary {
        println!("{k}: {v}");
    }
    write_markdown(&settings, &report);
}

fn sign(settings: &Settings, report: &mut Report) {
    eprintln!("signing: Khipu create-payment form vs bare HMAC-SHA256 of the same string");
    let url = "https://khipu.com/api/2.0/payments";
    let params: Vec<(&str, Option<&str>)> = vec![
        ("subject", Some("Compra en Tienda Ñandú: 2 artículos")),
        ("currency", Some("CLP")),
        ("amount", Some("15990")),
        ("transaction_id", Some("ORD-2026-000123")),
        (
            "return_url",
            Some("https://tienda.example/pago/ok?orden=123"),
        ),
        (
            "cancel_url",
            Some("https://tienda.example/pago/cancelado?orden=123"),
        ),
        (
            "notify_url",
            Some("https://tienda.example/api/khipu/notify"),
        ),
        ("notify_api_version", Some("1.3")),
        ("payer_email", Some("ana@example.cl")),
        ("body", Some("Detalle: polera talla M (x2)")),
    ];
    let secret = "abc123";
    let string = pagos::khipu::signature::string_to_sign("POST", url, &params);
    let pairs = settings.block_pairs;
    let per_block = settings.sign_iterations / pairs / 2;
    let m = interleaved(
        pairs,
        per_block,
        || {
            let auth = pagos::khipu::signature::authorization("1234", secret, "POST", url, &params);
            std::hint::black_box(auth);
        },
        || {
            let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
            mac.update(std::hint::black_box(string.as_bytes()));
            std::hint::black_box(hex::encode(mac.finalize().into_bytes()));
        },
    );
    let ratio = m.ratio;
    report.row("Khipu signing per request", format!("{:.2?}", m.a), "");
    report.row("bare HMAC-SHA256 + hex", format!("{:.2?}", m.b), "");
    report.row(
        "sign_ratio",
        format!("{ratio:.2}"),
        format!("(string building + HMAC over HMAC alone; {})", m.spread()),
    );
    report.summary.push(("sign_ratio", format!("{ratio:.2}")));
}

async fn singleflight(report: &mut Report) {
    eprintln!(
        "single flight: 1000 concurrent Kashpay payouts with a token inside its refresh margin"
    );
    let auth_calls = Arc::new(AtomicU64::new(0));
    let counter = auth_calls.clone();
    let app = Router::new()
        .route(
            "/AuthenticationService/authenticate",
            post(move || {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                // The first token lives 2 s, so its refresh margin is half of that
                // (the session never plans more than half a lifetime ahead): once the
                // warm-up call has slept past 1 s, every caller finds it stale at once.
                let expires = if n == 0 { "2000" } else { "3600000" };
                async move {
                    axum::Json(serde_json::json!({
                        "success": true,
                        "authenticationResponse": {"token": format!("token-{n}"), "expires": expires}
                    }))
                }
            }),
        )
        .route(
            "/OKPay/createOrder",
            post(|| async {
                axum::Json(serde_json::json!({
                    "success": true,
                    "orderEntityResponse": {"createdAt": "2022-12-20T17:11:46.794+0000", "uptadedAt": "2022-12-20T17:11:46.794+0000",
                        "id": "1", "numericReference": "1", "alphanumericReference": "A1", "referenceCreatedPayment": "r", "status": 25,
                        "initialBalance": 10000, "finalBalance": 10250},
                    "totalItems": 0, "totalPages": 0, "currentPage": 0
                }))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = pagos::kashpay::KashpayClient::builder()
        .entity("com.bench")
        .user("bench@example.com")
        .password("bench-password")
        .base_url(&base)
        .expect("base")
        .build()
        .expect("client");
    let payout = |i: usize| {
        pagos::PayoutRequest::builder(
            pagos::Money::parse("10.00", pagos::Currency::Mxn).expect("money"),
            pagos::BankAccount::Clabe("032180000118359719".into()),
            format!("BENCH{i}"),
        )
        .beneficiary_name("Ana Perez")
        .build()
        .expect("payout")
    };
    use pagos::PaymentProvider;
    client
        .create_payout(&payout(0))
        .await
        .expect("warm-up payout");
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let before = auth_calls.load(Ordering::SeqCst);
    let tasks: Vec<_> = (1..=1000)
        .map(|i| {
            let client = client.clone();
            let req = payout(i);
            tokio::spawn(async move { client.create_payout(&req).await.map(|_| ()) })
        })
        .collect();
    let mut failures = 0;
    for t in tasks {
        if t.await.expect("task").is_err() {
            failures += 1;
        }
    }
    let calls = auth_calls.load(Ordering::SeqCst) - before;
    report.row(
        "singleflight_auth_calls",
        calls.to_string(),
        format!("(1000 calls, {failures} failed; goal 1)"),
    );
    report
        .summary
        .push(("singleflight_auth_calls", calls.to_string()));
}

async fn sandbox_rps(settings: &Settings, report: &mut Report) {
    eprintln!("sandbox throughput: concurrent KashIO invoice reads on loopback");
    let handle = pagos_sandbox::start(pagos_sandbox::SandboxConfig::default())
        .await
        .expect("sandbox");
    let config = pagos::ProviderConfig::from_pairs(handle.env_vars());
    let client = pagos::kashio::client_from_config(&config).expect("client");
    let invoice = pagos::kashio::NewInvoice::builder(
        "BENCH-1",
        pagos::Money::parse("15.00", pagos::Currency::Pen).expect("money"),
        pagos::kashio::Customer::new()
            .name("Bench")
            .email("bench@example.com"),
    )
    .build()
    .expect("invoice");
    let created = client.invoices().create(invoice).await.expect("create");
    let per_task = if settings.quick { 50 } else { 300 };
    let t = Instant::now();
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let (client, id) = (client.clone(), created.id.clone());
            tokio::spawn(async move {
                for _ in 0..per_task {
                    client.invoices().get(&id).await.expect("get");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    let total = 32 * per_task;
    let rps = total as f64 / t.elapsed().as_secs_f64();
    report.row(
        "sandbox_rps",
        format!("{rps:.0}"),
        format!("({total} authenticated GETs, 32 clients)"),
    );
    report.summary.push(("sandbox_rps", format!("{rps:.0}")));
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores, {cpu}, {}", std::env::consts::ARCH)
}

fn write_markdown(settings: &Settings, report: &Report) {
    let date = Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d %H:%M UTC")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Measured {date} on {} with `cargo xtask bench{}`. Every ratio compares two \
         things measured in the same run; absolute times depend on the machine.\n",
        machine(),
        if settings.quick { " --quick" } else { "" }
    );
    let _ = writeln!(md, "| measure | value | note |\n|---|---|---|");
    for (what, value, note) in &report.rows {
        let _ = writeln!(md, "| {what} | {value} | {note} |");
    }
    let _ = writeln!(md, "\n## Summary\n\n```");
    for (k, v) in &report.summary {
        let _ = writeln!(md, "{k}: {v}");
    }
    let _ = writeln!(md, "```\n");
    let _ = writeln!(md, "{}", include_str!("../NOTES.md"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../BENCHMARKS.md");
    if let Err(e) = std::fs::write(path, md) {
        eprintln!("cannot write BENCHMARKS.md: {e}");
    }
}

/// Separates decoding from transport: how much of the SDK's round trip is turning the
/// body into a typed `Invoice` (exact decimals, timestamps, status, raw JSON kept) rather
/// than a `serde_json::Value`.
fn decode(settings: &Settings, report: &mut Report) {
    eprintln!("decoding: typed KashIO invoice vs serde_json::Value, same bytes");
    let pairs = settings.block_pairs;
    let per_block = settings.sign_iterations / 4 / pairs / 2;
    let response = pagos::Response::new("kashio", "get_invoice", 200, calls::INVOICE);
    let value = || {
        let value: serde_json::Value =
            serde_json::from_slice(std::hint::black_box(calls::INVOICE.as_bytes())).expect("value");
        std::hint::black_box(value);
    };
    let m = interleaved(
        pairs,
        per_block,
        || {
            let invoice: pagos::kashio::Invoice = response.json().expect("typed");
            std::hint::black_box(invoice);
        },
        value,
    );
    report.row("decode typed Invoice", format!("{:.2?}", m.a), "");
    report.row("decode serde_json::Value", format!("{:.2?}", m.b), "");
    report.row(
        "decode_ratio",
        format!("{:.2}", m.ratio),
        format!("(typed over untyped; {})", m.spread()),
    );
    report
        .summary
        .push(("decode_ratio", format!("{:.2}", m.ratio)));

    // What `get_payment` adds after decoding: the mapping to the unified `Payment`.
    let invoice: pagos::kashio::Invoice = response.json().expect("typed");
    let m = interleaved(
        pairs,
        per_block,
        || {
            let payment = pagos::Payment::from(std::hint::black_box(&invoice));
            std::hint::black_box(payment);
        },
        value,
    );
    report.row(
        "map Invoice to Payment",
        format!("{:.2?}", m.a),
        format!(
            "({:.2} of a serde_json::Value parse, the step get_payment adds after decoding; {})",
            m.ratio,
            m.spread()
        ),
    );
    report
        .summary
        .push(("payment_mapping_ratio", format!("{:.2}", m.ratio)));
}

/// The CPU time this thread has used: unlike wall-clock time, it does not grow while
/// other processes hold the cores, so a busy machine scatters CPU-bound blocks far less.
#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Elsewhere, wall-clock time since the first call.
#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// Two CPU-bound operations timed in interleaved blocks (a, b, a, b, …), on the
/// thread's CPU clock.
struct Interleaved {
    /// Median time per iteration of `a`, over the blocks.
    a: Duration,
    /// The same for `b`.
    b: Duration,
    /// Median of the per-pair ratios a / b.
    ratio: f64,
    q1: f64,
    q3: f64,
    pairs: usize,
}

impl Interleaved {
    fn spread(&self) -> String {
        format!(
            "median of {} block pairs, IQR {:.2}–{:.2}",
            self.pairs, self.q1, self.q3
        )
    }
}

fn interleaved(
    pairs: usize,
    per_block: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> Interleaved {
    let per_block = per_block.max(1);
    let block = |f: &mut dyn FnMut()| {
        let t = thread_cpu_time();
        for _ in 0..per_block {
            f();
        }
        thread_cpu_time().saturating_sub(t) / per_block as u32
    };
    // One discarded pair warms caches and the allocator.
    block(&mut a);
    block(&mut b);
    let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..pairs {
        let (x, y) = (block(&mut a), block(&mut b));
        ratios.push(x.as_secs_f64() / y.as_secs_f64());
        ta.push(x);
        tb.push(y);
    }
    ta.sort_unstable();
    tb.sort_unstable();
    ratios.sort_unstable_by(f64::total_cmp);
    Interleaved {
        a: ta[pairs / 2],
        b: tb[pairs / 2],
        ratio: roundtrip::quantile(&ratios, 0.5),
        q1: roundtrip::quantile(&ratios, 0.25),
        q3: roundtrip::quantile(&ratios, 0.75),
        pairs,
    }
}
