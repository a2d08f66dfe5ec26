//! Round trip: the SDK call against the raw reqwest call on one loopback server, in
//! interleaved blocks, and allocations per call.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use pagos::kashio::KashioClient;

use crate::calls::{raw_call, raw_client, raw_url, sdk_call, sdk_client};
use crate::{ALLOCATIONS, Report, Settings};

/// The goal for the p50 ratio, at both concurrency levels.
const GOAL: f64 = 1.05;

/// Quantile `p` of sorted values, interpolating between neighbours.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn p50(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// The p50s of every block pair and the ratio of each pair.
#[derive(Default)]
struct Blocks {
    sdk: Vec<Duration>,
    raw: Vec<Duration>,
    ratios: Vec<f64>,
}

impl Blocks {
    fn push(&mut self, mut sdk: Vec<Duration>, mut raw: Vec<Duration>) {
        let (s, r) = (p50(&mut sdk), p50(&mut raw));
        self.sdk.push(s);
        self.raw.push(r);
        self.ratios.push(s.as_secs_f64() / r.as_secs_f64());
    }

    fn report(mut self, report: &mut Report, level: &str, per_block: usize) {
        self.sdk.sort_unstable();
        self.raw.sort_unstable();
        self.ratios.sort_unstable_by(f64::total_cmp);
        let r = &self.ratios;
        let median = quantile(r, 0.5);
        let (q1, q3) = (quantile(r, 0.25), quantile(r, 0.75));
        let (min, max) = (r[0], r[r.len() - 1]);
        let pairs = r.len();
        report.row(
            format!("round trip c={level}, SDK p50"),
            format!("{:.1?}", self.sdk[pairs / 2]),
            "(median of the blocks' p50s)",
        );
        report.row(
            format!("round trip c={level}, raw reqwest p50"),
            format!("{:.1?}", self.raw[pairs / 2]),
            "(median of the blocks' p50s)",
        );
        let verdict = if median <= GOAL { "met" } else { "missed" };
        report.row(
            format!("roundtrip_ratio_c{level}"),
            format!("{median:.3}"),
            format!(
                "(goal ≤ {GOAL:.2}: {verdict}; median of {pairs} block pairs of {per_block} \
                 calls each; IQR {q1:.3}–{q3:.3}, min–max {min:.3}–{max:.3})"
            ),
        );
        let key = |suffix: &str| -> &'static str {
            match (level, suffix) {
                ("1", "") => "roundtrip_ratio_c1",
                ("1", "iqr") => "roundtrip_ratio_c1_iqr",
                ("1", _) => "roundtrip_ratio_c1_range",
                (_, "") => "roundtrip_ratio_c64",
                (_, "iqr") => "roundtrip_ratio_c64_iqr",
                _ => "roundtrip_ratio_c64_range",
            }
        };
        report.summary.push((key(""), format!("{median:.3}")));
        report
            .summary
            .push((key("iqr"), format!("{q1:.3}-{q3:.3}")));
        report
            .summary
            .push((key("range"), format!("{min:.3}-{max:.3}")));
    }
}

async fn timed_sdk(sdk: &KashioClient) -> Duration {
    let t = Instant::now();
    sdk_call(sdk).await;
    t.elapsed()
}

async fn timed_raw(raw: &reqwest::Client, url: &str) -> Duration {
    let t = Instant::now();
    raw_call(raw, url).await;
    t.elapsed()
}

/// One block at concurrency 64: 64 tasks, each making `per_task` calls in a row.
async fn block_c64_sdk(sdk: &KashioClient, per_task: usize) -> Vec<Duration> {
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let sdk = sdk.clone();
            tokio::spawn(async move {
                let mut v = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    v.push(timed_sdk(&sdk).await);
                }
                v
            })
        })
        .collect();
    let mut samples = Vec::with_capacity(64 * per_task);
    for t in tasks {
        samples.extend(t.await.expect("task"));
    }
    samples
}

async fn block_c64_raw(raw: &reqwest::Client, url: &str, per_task: usize) -> Vec<Duration> {
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let (raw, url) = (raw.clone(), url.to_string());
            tokio::spawn(async move {
                let mut v = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    v.push(timed_raw(&raw, &url).await);
                }
                v
            })
        })
        .collect();
    let mut samples = Vec::with_capacity(64 * per_task);
    for t in tasks {
        samples.extend(t.await.expect("task"));
    }
    samples
}

pub async fn roundtrip(settings: &Settings, report: &mut Report) {
    eprintln!(
        "round trip: SDK get_payment vs raw reqwest GET, same loopback server and body, \
         {} interleaved block pairs",
        settings.block_pairs
    );
    let base = crate::calls::invoice_server().await;
    let sdk = sdk_client(&base);
    let raw = raw_client();
    let url = raw_url(&base);

    // Warm both connection pools and both code paths.
    for _ in 0..50 {
        sdk_call(&sdk).await;
        raw_call(&raw, &url).await;
    }

    // Concurrency 1: SDK block, raw block, SDK block, …; one ratio per pair.
    let per_block = settings.c1_calls_per_block;
    let mut blocks = Blocks::default();
    for _ in 0..settings.block_pairs {
        let mut s = Vec::with_capacity(per_block);
        for _ in 0..per_block {
            s.push(timed_sdk(&sdk).await);
        }
        let mut r = Vec::with_capacity(per_block);
        for _ in 0..per_block {
            r.push(timed_raw(&raw, &url).await);
        }
        blocks.push(s, r);
    }
    blocks.report(report, "1", per_block);

    // Concurrency 64, the same way. One discarded pair first grows both pools to 64
    // connections.
    let per_task = settings.c64_calls_per_task;
    block_c64_sdk(&sdk, per_task).await;
    block_c64_raw(&raw, &url, per_task).await;
    let mut blocks = Blocks::default();
    for _ in 0..settings.block_pairs {
        let s = block_c64_sdk(&sdk, per_task).await;
        let r = block_c64_raw(&raw, &url, per_task).await;
        blocks.push(s, r);
    }
    blocks.report(report, "64", 64 * per_task);

    // Allocations per call, measured on a quiet runtime with one call at a time.
    let n = 500u64;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..n {
        sdk_call(&sdk).await;
    }
    let sdk_allocs = (ALLOCATIONS.load(Ordering::Relaxed) - before) / n;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..n {
        raw_call(&raw, &url).await;
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
