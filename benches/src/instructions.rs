//! Client-side instructions per call, counted by valgrind: immune to a busy machine,
//! because what is counted is work, not time.
//!
//! The loopback invoice server runs in a child process (`pagos-bench --serve-invoice`),
//! so none of its instructions are counted. The measured process (`pagos-bench --calls
//! sdk|raw WARMUP N BASE_URL`, under `valgrind --tool=cachegrind`) makes WARMUP calls
//! and then N more, one at a time on a current-thread runtime. Each mode runs twice, with
//! N = 0 and with N = `instr_calls`: the difference, divided by N, is the steady-state
//! cost of one call, without startup, client construction, connecting and warm-up.

use std::io::{BufRead, BufReader, Read as _, Write as _};
use std::process::{Child, Command, Stdio};

use crate::calls::{bind, raw_call, raw_client, raw_url, sdk_call, sdk_client, serve};
use crate::{Report, Settings};

/// The goal for SDK instructions over raw instructions per call.
const GOAL: f64 = 1.2;

/// `--serve-invoice`: serves the invoice on loopback, prints the base URL on stdout and
/// exits when stdin closes (so it never outlives the harness).
pub fn serve_invoice() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let (listener, base) = bind().await;
        println!("{base}");
        std::io::stdout().flush().expect("stdout");
        std::thread::spawn(|| {
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
            std::process::exit(0);
        });
        serve(listener).await;
    });
}

/// `--calls MODE WARMUP N BASE_URL`: the measured process.
pub fn calls(args: &[String]) {
    let [mode, warmup, n, base] = args else {
        panic!("usage: pagos-bench --calls sdk|raw WARMUP N BASE_URL");
    };
    let total: usize = warmup.parse::<usize>().expect("WARMUP") + n.parse::<usize>().expect("N");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        match mode.as_str() {
            "sdk" => {
                let sdk = sdk_client(base);
                for _ in 0..total {
                    sdk_call(&sdk).await;
                }
            }
            "raw" => {
                let (raw, url) = (raw_client(), raw_url(base));
                for _ in 0..total {
                    raw_call(&raw, &url).await;
                }
            }
            other => panic!("unknown mode {other:?}"),
        }
    });
}

fn valgrind_version() -> Option<String> {
    let out = Command::new("valgrind").arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The server child, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Instructions the measured process executes, from cachegrind's `I refs` line.
fn count(
    exe: &std::path::Path,
    mode: &str,
    warmup: usize,
    n: usize,
    base: &str,
) -> Result<u64, String> {
    let out_file = std::env::temp_dir().join(format!("pagos-bench-cg-{}.out", std::process::id()));
    let out = Command::new("valgrind")
        .args(["--tool=cachegrind", "--cache-sim=no", "--branch-sim=no"])
        .arg(format!("--cachegrind-out-file={}", out_file.display()))
        .arg(exe)
        .args(["--calls", mode, &warmup.to_string(), &n.to_string(), base])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start valgrind: {e}"))?;
    let _ = std::fs::remove_file(&out_file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(format!(
            "valgrind {mode} N={n} failed: {}",
            tail.join(" / ")
        ));
    }
    stderr
        .lines()
        .find_map(|l| {
            l.split_once("I   refs:")
                .map(|(_, v)| v.trim().replace(',', ""))
        })
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no `I refs` line in valgrind's output for {mode} N={n}"))
}

pub fn instructions(settings: &Settings, report: &mut Report) {
    let n = settings.instr_calls;
    let warmup = settings.instr_warmup;
    eprintln!(
        "instructions: client side of one SDK call vs one raw reqwest call, under valgrind \
         ({warmup} warm-up calls, then N = 0 and N = {n})"
    );
    let Some(version) = valgrind_version() else {
        report.row(
            "instructions per call",
            "skipped",
            "(valgrind not found; `apt-get install valgrind`)",
        );
        report.summary.push(("instr_ratio", "skipped".into()));
        return;
    };
    match measure(warmup, n) {
        Ok((sdk, raw)) => {
            let ratio = sdk / raw;
            let verdict = if ratio <= GOAL { "met" } else { "missed" };
            report.row(
                "instructions per SDK call (client side)",
                format!("{sdk:.0}"),
                format!("({version}, cachegrind; (I(N={n}) − I(N=0)) / {n})"),
            );
            report.row(
                "instructions per raw reqwest call (client side)",
                format!("{raw:.0}"),
                "(same method)",
            );
            report.row(
                "instr_ratio",
                format!("{ratio:.3}"),
                format!("(goal ≤ {GOAL:.1}: {verdict})"),
            );
            report
                .summary
                .push(("instr_per_call_sdk", format!("{sdk:.0}")));
            report
                .summary
                .push(("instr_per_call_raw", format!("{raw:.0}")));
            report.summary.push(("instr_ratio", format!("{ratio:.3}")));
        }
        Err(e) => {
            eprintln!("  {e}");
            report.row("instructions per call", "failed", format!("({e})"));
            report.summary.push(("instr_ratio", "failed".into()));
        }
    }
}

/// Instructions per call for the SDK and for the raw baseline.
fn measure(warmup: usize, n: usize) -> Result<(f64, f64), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the bench binary: {e}"))?;
    let mut child = Command::new(&exe)
        .arg("--serve-invoice")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the server process: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let server = Server(child);
    let mut base = String::new();
    BufReader::new(stdout)
        .read_line(&mut base)
        .map_err(|e| format!("no address from the server process: {e}"))?;
    let base = base.trim().to_string();
    let mut per_call = Vec::new();
    for mode in ["sdk", "raw"] {
        let start = count(&exe, mode, warmup, 0, &base)?;
        let end = count(&exe, mode, warmup, n, &base)?;
        let calls = end.saturating_sub(start) as f64 / n as f64;
        eprintln!("  {mode}: I(N=0) = {start}, I(N={n}) = {end}, {calls:.0} per call");
        per_call.push(calls);
    }
    drop(server);
    Ok((per_call[0], per_call[1]))
}
