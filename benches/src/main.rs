//! pagos benchmarks. Run with `cargo xtask bench` (or `cargo xtask bench --quick`).
//!
//! Every figure is measured against a baseline in the same run, on the same machine,
//! so the ratios mean something even on a noisy 2-core box:
//!
//! - `roundtrip_ratio_c1`, `roundtrip_ratio_c64`: p50 latency of an SDK `get` (KashIO
//!   `invoices().get`: request description, Basic auth, transport, typed decoding) over a
//!   raw reqwest GET of the same URL that reads and parses the same JSON body, against
//!   the same loopback server, at concurrency 1 and 64. SDK and raw run in alternating
//!   blocks so drift hits both.
//! - `sign_ratio`: Khipu's signing of a typical create-payment form (percent-encoding,
//!   sorting, HMAC) over a bare HMAC-SHA256 of the already-built string.
//! - `allocs_per_call`: heap allocations per SDK `get`, next to the raw baseline's.
//! - `singleflight_auth_calls`: authentication requests made when 1000 tasks call a
//!   token-based provider (Kashpay) at once with an expired token. The goal is 1.
//! - `sandbox_rps`: requests per second the sandbox serves on loopback.
//! - full mode only: compile cost of the facade with each provider alone vs `full`.
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
use axum::routing::{get, post};
use hmac::{Hmac, Mac};
use pagos::{RetryPolicy, Transport};
use sha2::Sha256;

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

const INVOICE: &str = r#"{"amount":15.0,"created":"2020-01-01T23:33:36","currency":"PEN","customer":{"document_id":"10203040","document_type":"DNI","email":"juan.perez.xxx@gmail.com","external_id":"CUS-10203040-001","name":"JUAN PEREZ","phone":"+13055606666"},"due_datetime":"2020-01-02T04:59:59","expiration_datetime":"2020-02-01T05:00:00","fees":0.0,"id":"inv_live_oFPMsJmgmxBhPiWAoWFZ3n","invoice_id":"INV-000001-001","ktin":"201590965569","late_fee":0.0,"livemode":false,"metadata":{"order_description":"Deuda Enero 2019","order_id":"000001-001","order_name":"Deuda Enero 2019"},"object":"invoice","status":"NEW","sub_total":15.0,"token":"E9e866w3BZRpmMEu5bgLCi"}"#;
const KASHIO_KEY: &str = "sk_test_bench";

struct Settings {
    quick: bool,
    c1_requests: usize,
    c64_requests_per_task: usize,
    blocks: usize,
    sign_iterations: usize,
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
    let quick = std::env::args().any(|a| a == "--quick");
    let settings = if quick {
        Settings {
            quick,
            c1_requests: 300,
            c64_requests_per_task: 10,
            blocks: 4,
            sign_iterations: 20_000,
        }
    } else {
        Settings {
            quick,
            c1_requests: 2_000,
            c64_requests_per_task: 40,
            blocks: 8,
            sign_iterations: 200_000,
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
        roundtrip(&settings, &mut report).await;
        singleflight(&mut report).await;
        sandbox_rps(&settings, &mut report).await;
    });
    sign(&settings, &mut report);
    decode(&settings, &mut report);
    if !settings.quick {
        compile_cost(&mut report);
    }
    eprintln!("\nbenchmarks took {:.1?}", started.elapsed());
    println!();
    for (k, v) in &report.summary {
        println!("{k}: {v}");
    }
    write_markdown(&settings, &report);
}

/// Serves the invoice of KashIO's API document on loopback, with the same body for SDK
/// and raw calls.
async fn invoice_server() -> String {
    let app = Router::new().route(
        "/v1/payments/invoices/{id}",
        get(|| async { ([("content-type", "application/json")], INVOICE) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/v1/payments")
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx]
}

async fn roundtrip(settings: &Settings, report: &mut Report) {
    eprintln!("round trip: SDK get vs raw reqwest GET, same loopback server and body");
    let base = invoice_server().await;
    let sdk = pagos::kashio::KashioClient::builder()
        .secret_key(KASHIO_KEY)
        .base_url(&base)
        .expect("base url")
        .transport(
            Transport::builder()
                .retry(RetryPolicy::NONE)
                .build()
                .expect("transport"),
        )
        .build()
        .expect("client");
    let raw = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("reqwest");
    let url = format!("{base}/invoices/inv_live_oFPMsJmgmxBhPiWAoWFZ3n");

    let sdk_call = |sdk: pagos::kashio::KashioClient| async move {
        let t = Instant::now();
        let invoice = sdk
            .invoices()
            .get("inv_live_oFPMsJmgmxBhPiWAoWFZ3n")
            .await
            .expect("sdk get");
        std::hint::black_box(invoice);
        t.elapsed()
    };
    let raw_call = |raw: reqwest::Client, url: String| async move {
        let t = Instant::now();
        let body = raw
            .get(&url)
            .basic_auth(KASHIO_KEY, Some(""))
            .send()
            .await
            .expect("raw get")
            .bytes()
            .await
            .expect("raw body");
        let value: serde_json::Value = serde_json::from_slice(&body).expect("raw json");
        std::hint::black_box(value);
        t.elapsed()
    };

    // Warm both connection pools.
    for _ in 0..50 {
        sdk_call(sdk.clone()).await;
        raw_call(raw.clone(), url.clone()).await;
    }

    // Concurrency 1, alternating blocks.
    let per_block = settings.c1_requests / settings.blocks;
    let (mut sdk_samples, mut raw_samples) = (Vec::new(), Vec::new());
    for _ in 0..settings.blocks {
        for _ in 0..per_block {
            sdk_samples.push(sdk_call(sdk.clone()).await);
        }
        for _ in 0..per_block {
            raw_samples.push(raw_call(raw.clone(), url.clone()).await);
        }
    }
    let sdk_p50 = percentile(&mut sdk_samples, 0.5);
    let raw_p50 = percentile(&mut raw_samples, 0.5);
    let ratio_c1 = sdk_p50.as_secs_f64() / raw_p50.as_secs_f64();
    report.row("round trip c=1, SDK p50", format!("{sdk_p50:.1?}"), "");
    report.row(
        "round trip c=1, raw reqwest p50",
        format!("{raw_p50:.1?}"),
        "",
    );
    report.row(
        "roundtrip_ratio_c1",
        format!("{ratio_c1:.3}"),
        "(goal ≤ 1.10)",
    );
    report
        .summary
        .push(("roundtrip_ratio_c1", format!("{ratio_c1:.3}")));

    // Concurrency 64, alternating phases.
    let (mut sdk_samples, mut raw_samples) = (Vec::new(), Vec::new());
    for _ in 0..settings.blocks {
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let sdk = sdk.clone();
                let n = settings.c64_requests_per_task;
                tokio::spawn(async move {
                    let mut v = Vec::with_capacity(n);
                    for _ in 0..n {
                        v.push(sdk_call(sdk.clone()).await);
                    }
                    v
                })
            })
            .collect();
        for t in tasks {
            sdk_samples.extend(t.await.expect("task"));
        }
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let (raw, url) = (raw.clone(), url.clone());
                let n = settings.c64_requests_per_task;
                tokio::spawn(async move {
                    let mut v = Vec::with_capacity(n);
                    for _ in 0..n {
                        v.push(raw_call(raw.clone(), url.clone()).await);
                    }
                    v
                })
            })
            .collect();
        for t in tasks {
            raw_samples.extend(t.await.expect("task"));
        }
    }
    let sdk_p50 = percentile(&mut sdk_samples, 0.5);
    let raw_p50 = percentile(&mut raw_samples, 0.5);
    let ratio_c64 = sdk_p50.as_secs_f64() / raw_p50.as_secs_f64();
    report.row("round trip c=64, SDK p50", format!("{sdk_p50:.1?}"), "");
    report.row(
        "round trip c=64, raw reqwest p50",
        format!("{raw_p50:.1?}"),
        "",
    );
    report.row(
        "roundtrip_ratio_c64",
        format!("{ratio_c64:.3}"),
        "(goal ≤ 1.10)",
    );
    report
        .summary
        .push(("roundtrip_ratio_c64", format!("{ratio_c64:.3}")));

    // Allocations per call, measured on a quiet runtime with one call at a time.
    let n = 500u64;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..n {
        sdk_call(sdk.clone()).await;
    }
    let sdk_allocs = (ALLOCATIONS.load(Ordering::Relaxed) - before) / n;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..n {
        raw_call(raw.clone(), url.clone()).await;
    }
    let raw_allocs = (ALLOCATIONS.load(Ordering::Relaxed) - before) / n;
    report.row(
        "allocs_per_call",
        sdk_allocs.to_string(),
        format!("(raw reqwest baseline: {raw_allocs})"),
    );
    report
        .summary
        .push(("allocs_per_call", sdk_allocs.to_string()));
    report
        .summary
        .push(("allocs_per_call_raw", raw_allocs.to_string()));
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
    let n = settings.sign_iterations;

    let t = Instant::now();
    for _ in 0..n {
        let auth = pagos::khipu::signature::authorization("1234", secret, "POST", url, &params);
        std::hint::black_box(auth);
    }
    let sdk = t.elapsed() / n as u32;
    let t = Instant::now();
    for _ in 0..n {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
        mac.update(std::hint::black_box(string.as_bytes()));
        std::hint::black_box(hex::encode(mac.finalize().into_bytes()));
    }
    let bare = t.elapsed() / n as u32;
    let ratio = sdk.as_secs_f64() / bare.as_secs_f64();
    report.row("Khipu signing per request", format!("{sdk:.2?}"), "");
    report.row("bare HMAC-SHA256 + hex", format!("{bare:.2?}"), "");
    report.row(
        "sign_ratio",
        format!("{ratio:.2}"),
        "(string building + HMAC over HMAC alone)",
    );
    report.summary.push(("sign_ratio", format!("{ratio:.2}")));
}

async fn singleflight(report: &mut Report) {
    eprintln!("single flight: 1000 concurrent Kashpay payouts with an expired token");
    let auth_calls = Arc::new(AtomicU64::new(0));
    let counter = auth_calls.clone();
    let app = Router::new()
        .route(
            "/AuthenticationService/authenticate",
            post(move || {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                // The first token is already inside the refresh margin: every caller
                // finds it stale at once.
                let expires = if n == 0 { "1000" } else { "3600000" };
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

fn compile_cost(report: &mut Report) {
    eprintln!("compile cost: clean release-less build of the facade per feature");
    let dir = std::env::temp_dir().join("pagos-bench-compile");
    let mut full_secs = 0.0;
    let mut lines = Vec::new();
    for feature in [
        "khipu",
        "kashio",
        "compropago",
        "kashpay",
        "telepagos",
        "full",
    ] {
        let _ = std::fs::remove_dir_all(&dir);
        let t = Instant::now();
        let ok = Command::new(env!("CARGO"))
            .args([
                "build",
                "-q",
                "-p",
                "pagos",
                "--features",
                feature,
                "--target-dir",
            ])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        let secs = t.elapsed().as_secs_f64();
        let deps = Command::new(env!("CARGO"))
            .args([
                "tree",
                "-q",
                "-p",
                "pagos",
                "-e",
                "normal",
                "--prefix",
                "none",
                "--features",
                feature,
            ])
            .output()
            .map(|o| {
                let mut names: Vec<String> = String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
                    .collect();
                names.sort();
                names.dedup();
                names.len()
            })
            .unwrap_or(0);
        if feature == "full" {
            full_secs = secs;
        }
        lines.push((feature, secs, deps, ok));
    }
    let _ = std::fs::remove_dir_all(&dir);
    for (feature, secs, deps, ok) in lines {
        let ratio = secs / full_secs;
        report.row(
            format!("clean build, feature {feature}"),
            format!("{secs:.1} s"),
            format!(
                "({deps} crates, {ratio:.2} of full{})",
                if ok { "" } else { ", FAILED" }
            ),
        );
        if feature != "full" {
            report.summary.push((
                match feature {
                    "khipu" => "compile_ratio_khipu",
                    "kashio" => "compile_ratio_kashio",
                    "compropago" => "compile_ratio_compropago",
                    "kashpay" => "compile_ratio_kashpay",
                    _ => "compile_ratio_telepagos",
                },
                format!("{ratio:.2}"),
            ));
        }
    }
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
    let n = settings.sign_iterations / 2;
    let response = pagos::Response::new("kashio", "get_invoice", 200, INVOICE);
    let t = Instant::now();
    for _ in 0..n {
        let invoice: pagos::kashio::Invoice = response.json().expect("typed");
        std::hint::black_box(invoice);
    }
    let typed = t.elapsed() / n as u32;
    let t = Instant::now();
    for _ in 0..n {
        let value: serde_json::Value =
            serde_json::from_slice(std::hint::black_box(INVOICE.as_bytes())).expect("value");
        std::hint::black_box(value);
    }
    let untyped = t.elapsed() / n as u32;
    let ratio = typed.as_secs_f64() / untyped.as_secs_f64();
    report.row("decode typed Invoice", format!("{typed:.2?}"), "");
    report.row("decode serde_json::Value", format!("{untyped:.2?}"), "");
    report.row(
        "decode_ratio",
        format!("{ratio:.2}"),
        "(typed over untyped)",
    );
    report.summary.push(("decode_ratio", format!("{ratio:.2}")));
}
