//! `cargo xtask fuzz [TARGET] [-- LIBFUZZER_ARGS]` and `cargo xtask fuzz-smoke`: the
//! cargo-fuzz targets in `fuzz/`.
//!
//! `fuzz/` is its own cargo workspace (not a member of the main one, so that the
//! fuzzing flags never reach its builds): one target per provider's response decoders,
//! per webhook/notification parser, for the validators and for `Money`, listed by its
//! `[[bin]]` sections. cargo-fuzz passes the compiler flags that are nightly-only
//! (`-Zsanitizer=address`, the coverage instrumentation); the stable toolchain accepts
//! them under `RUSTC_BOOTSTRAP=1`, which this sets for cargo-fuzz alone, so no nightly
//! is needed. The toolchain is the one `cargo xtask` runs with.
//!
//! `fuzz` runs `cargo fuzz run -s address TARGET --fuzz-dir fuzz fuzz/target/corpus/TARGET
//! fuzz/corpus/TARGET [SEEDS] -- -dict=fuzz/fuzz.dict ARGS` from the workspace root:
//! libFuzzer writes what it finds to the first directory only (the working corpus,
//! under the ignored `target/`), and reads the committed minimized corpus
//! `fuzz/corpus/TARGET`, the provider's `tests/fixtures` and the hand-written
//! `fuzz/seeds/TARGET`. Without a TARGET every target runs for [`ALL_SECONDS`] seconds
//! in turn.
//!
//! `fuzz-smoke` (part of `cargo xtask ci`) runs every target for [`SMOKE_SECONDS`]
//! seconds, [`SMOKE_JOBS`] at a time, from the committed corpus and the seeds only, into
//! a scratch corpus it empties first, so that CI neither depends on nor changes what a
//! developer's runs left behind.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

use crate::{Result, env_cargo, providers, run, workspace_root};

/// The cargo-fuzz crate, relative to the workspace root.
const FUZZ_DIR: &str = "fuzz";

/// How long each target runs when no TARGET is given.
const ALL_SECONDS: u32 = 60;

/// How long each target runs in `fuzz-smoke`, that is in CI.
const SMOKE_SECONDS: u32 = 20;

/// How many smoke runs at once: a libFuzzer run uses one core, and CI has two.
const SMOKE_JOBS: usize = 2;

/// AddressSanitizer: safe Rust rarely needs it, but the fuzzed crates' dependencies
/// have `unsafe` code, and on these small targets it costs little (FUZZING.md).
const SANITIZER: &str = "address";

const USAGE: &str = "usage: cargo xtask fuzz [TARGET] [-- LIBFUZZER_ARGS]";

/// Runs one fuzz target until stopped (or as ARGS say), or every target for a minute.
pub(crate) fn fuzz(args: &[String]) -> Result {
    let (target, extra) = parse_args(args)?;
    let root = workspace_root();
    let targets = targets(&root.join(FUZZ_DIR))?;
    if let Some(target) = target
        && !targets.iter().any(|t| t == target)
    {
        return Err(format!(
            "no fuzz target {target:?}; the targets are: {}",
            targets.join(", ")
        ));
    }
    check_tools()?;
    let Some(target) = target else {
        return run_all(&root, &targets, extra);
    };
    run_target(&root, target, &working_corpus(target), extra)
}

/// Every target for [`SMOKE_SECONDS`] seconds from the committed corpus; fails on the
/// first crash (CI).
pub(crate) fn smoke() -> Result {
    let root = workspace_root();
    let targets = targets(&root.join(FUZZ_DIR))?;
    check_tools()?;
    // One build of every target first, so that each run below only runs.
    let mut build = fuzz_cargo();
    build
        .args(["fuzz", "build", "--fuzz-dir", FUZZ_DIR, "-s", SANITIZER])
        .current_dir(&root);
    run(
        &mut build,
        &format!("RUSTC_BOOTSTRAP=1 cargo fuzz build --fuzz-dir {FUZZ_DIR} -s {SANITIZER}"),
    )?;
    let started = std::time::Instant::now();
    for chunk in targets.chunks(SMOKE_JOBS) {
        let mut running = Vec::new();
        let mut failed = Vec::new();
        for target in chunk {
            match start_smoke(&root, target) {
                Ok(child) => running.push(child),
                Err(e) => failed.push(e),
            }
        }
        // Wait for every run started, even after a failure: none is left behind.
        for (target, mut child, log_path) in running {
            let status = child.wait();
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            match status {
                Ok(status) if status.success() => {
                    // `#319009\tDONE   cov: 401 ft: 1838 corp: 340/218Kb ...`
                    let done = log
                        .lines()
                        .rev()
                        .find(|l| l.starts_with('#') && l.contains("DONE"));
                    eprintln!("<== {target}: {}", done.unwrap_or("(no DONE line)"));
                }
                status => {
                    // The end of libFuzzer's output holds the panic and the artifact.
                    let lines: Vec<&str> = log.lines().collect();
                    let tail = &lines[lines.len().saturating_sub(80)..];
                    eprintln!("{}", tail.join("\n"));
                    failed.push(format!(
                        "fuzz target {target} failed ({status:?}); its whole output is in {}",
                        log_path.display()
                    ));
                }
            }
        }
        if !failed.is_empty() {
            return Err(format!("{}; {}", failed.join("; "), replay_hint()));
        }
    }
    eprintln!(
        "\nxtask fuzz-smoke: {} targets ran {SMOKE_SECONDS} s each without a crash ({:.1?})",
        targets.len(),
        started.elapsed()
    );
    Ok(())
}

/// Starts one smoke run in the background, its output going to
/// `fuzz/target/smoke-logs/TARGET.log` so that two runs do not interleave.
fn start_smoke(root: &Path, target: &str) -> Result<(String, Child, PathBuf)> {
    let scratch = Path::new(FUZZ_DIR)
        .join("target")
        .join("smoke-corpus")
        .join(target);
    match std::fs::remove_dir_all(root.join(&scratch)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot empty {}: {e}", scratch.display())),
    }
    let args = target_args(
        root,
        target,
        &scratch,
        &[format!("-max_total_time={SMOKE_SECONDS}")],
    )?;
    let logs = root.join(FUZZ_DIR).join("target").join("smoke-logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let log_path = logs.join(format!("{target}.log"));
    let log = File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let log_err = log
        .try_clone()
        .map_err(|e| format!("cannot reopen {}: {e}", log_path.display()))?;
    let label = format!("RUSTC_BOOTSTRAP=1 cargo {}", args.join(" "));
    eprintln!("\n==> {label}");
    let child = fuzz_cargo()
        .args(&args)
        .current_dir(root)
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| format!("cannot start {label}: {e}"))?;
    Ok((target.to_string(), child, log_path))
}

/// Where `cargo xtask fuzz` keeps what a target finds: ignored, under `fuzz/target/`.
fn working_corpus(target: &str) -> PathBuf {
    Path::new(FUZZ_DIR)
        .join("target")
        .join("corpus")
        .join(target)
}

fn replay_hint() -> String {
    format!(
        "the crashing input is in {FUZZ_DIR}/artifacts/TARGET/ (replay it with \
         `RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir {FUZZ_DIR} -s {SANITIZER} TARGET FILE`)"
    )
}

/// `[TARGET] [-- ARGS]` into the target and the arguments for libFuzzer.
fn parse_args(args: &[String]) -> Result<(Option<&str>, &[String])> {
    match args.split_first() {
        None => Ok((None, &[])),
        Some((first, rest)) if first == "--" => Ok((None, rest)),
        Some((first, _)) if first.starts_with('-') => Err(format!("unexpected {first:?}; {USAGE}")),
        Some((first, rest)) => match rest.split_first() {
            None => Ok((Some(first), &[])),
            Some((dashes, extra)) if dashes == "--" => Ok((Some(first), extra)),
            Some((other, _)) => Err(format!("unexpected {other:?}; {USAGE}")),
        },
    }
}

/// The `[[bin]]` names in the fuzz crate's manifest, in order.
fn targets(fuzz_dir: &Path) -> Result<Vec<String>> {
    let manifest_path = fuzz_dir.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    let mut targets = Vec::new();
    let mut in_bin = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "name"
        {
            targets.push(value.trim().trim_matches('"').to_string());
        }
    }
    if targets.is_empty() {
        return Err(format!(
            "{} declares no [[bin]] target",
            manifest_path.display()
        ));
    }
    Ok(targets)
}

/// The cargo `cargo xtask` runs with, with `RUSTC_BOOTSTRAP=1` so that the stable
/// compiler accepts the `-Z` flags cargo-fuzz passes it. Set on this command only: the
/// main workspace's builds stay on plain stable.
fn fuzz_cargo() -> Command {
    let mut cmd = Command::new(env_cargo());
    cmd.env("RUSTC_BOOTSTRAP", "1");
    cmd
}

/// Fails with what to install when cargo-fuzz is missing.
fn check_tools() -> Result {
    fn first_line(out: &Output) -> String {
        let text = String::from_utf8_lossy(&out.stderr);
        text.lines().next().unwrap_or_default().trim().to_string()
    }
    match fuzz_cargo().args(["fuzz", "--version"]).output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!(
            "cargo-fuzz is missing (`cargo fuzz --version` failed: {}).\n\
             Install it with `cargo install cargo-fuzz --locked`.",
            first_line(&out)
        )),
        Err(e) => Err(format!("cannot run `cargo fuzz --version`: {e}")),
    }
}

/// Every target for [`ALL_SECONDS`] seconds (unless `extra` sets `-max_total_time`);
/// a crash in one does not stop the others.
fn run_all(root: &Path, targets: &[String], extra: &[String]) -> Result {
    let mut failed = Vec::new();
    for target in targets {
        // Before `extra`, so that a `-max_total_time` there overrides it.
        let mut args = vec![format!("-max_total_time={ALL_SECONDS}")];
        args.extend_from_slice(extra);
        if let Err(e) = run_target(root, target, &working_corpus(target), &args) {
            eprintln!("xtask fuzz: {e}");
            failed.push(target.as_str());
        }
    }
    if failed.is_empty() {
        eprintln!(
            "\nxtask fuzz: {} targets ran without a crash",
            targets.len()
        );
        Ok(())
    } else {
        Err(format!("{failed:?} failed; {}", replay_hint()))
    }
}

/// `RUSTC_BOOTSTRAP=1 cargo fuzz run -s address TARGET --fuzz-dir fuzz CORPUS
/// fuzz/corpus/TARGET [SEEDS] -- -dict=fuzz/fuzz.dict ARGS`. libFuzzer writes new inputs
/// to the first corpus directory only, so the committed corpus and the seeds (the
/// provider's fixtures, `fuzz/seeds/TARGET`) are read and never changed.
fn run_target(root: &Path, target: &str, corpus: &Path, extra: &[String]) -> Result {
    let args = target_args(root, target, corpus, extra)?;
    run(
        fuzz_cargo().args(&args).current_dir(root),
        &format!("RUSTC_BOOTSTRAP=1 cargo {}", args.join(" ")),
    )
}

/// The arguments of `cargo` for [`run_target`], creating the corpus directory.
fn target_args(root: &Path, target: &str, corpus: &Path, extra: &[String]) -> Result<Vec<String>> {
    std::fs::create_dir_all(root.join(corpus))
        .map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
    let mut args: Vec<String> = vec![
        "fuzz".into(),
        "run".into(),
        "-s".into(),
        SANITIZER.into(),
        target.into(),
        "--fuzz-dir".into(),
        FUZZ_DIR.into(),
        corpus.display().to_string(),
    ];
    let committed = Path::new(FUZZ_DIR).join("corpus").join(target);
    if root.join(&committed).is_dir() {
        args.push(committed.display().to_string());
    }
    let provider = target.split('_').next().unwrap_or_default();
    if providers()?.iter().any(|p| p == provider) {
        let seeds = Path::new("crates")
            .join(format!("pagos-{provider}"))
            .join("tests")
            .join("fixtures");
        if root.join(&seeds).is_dir() {
            args.push(seeds.display().to_string());
        }
    }
    let own_seeds = Path::new(FUZZ_DIR).join("seeds").join(target);
    if root.join(&own_seeds).is_dir() {
        args.push(own_seeds.display().to_string());
    }
    // libFuzzer arguments: the shared dictionary first, so that `extra` can override it.
    let mut fuzzer_args = Vec::new();
    let dict = Path::new(FUZZ_DIR).join("fuzz.dict");
    if root.join(&dict).is_file() {
        fuzzer_args.push(format!("-dict={}", dict.display()));
    }
    fuzzer_args.extend_from_slice(extra);
    if !fuzzer_args.is_empty() {
        args.push("--".into());
        args.extend(fuzzer_args);
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments() {
        let none: &[String] = &[];
        assert_eq!(parse_args(&[]).unwrap(), (None, none));
        let args = strings(&["khipu_responses"]);
        assert_eq!(parse_args(&args).unwrap(), (Some("khipu_responses"), none));
        let args = strings(&["amounts", "--", "-runs=10", "-max_len=64"]);
        let (target, extra) = parse_args(&args).unwrap();
        assert_eq!((target, extra), (Some("amounts"), &args[2..]));
        let args = strings(&["--", "-max_total_time=5"]);
        assert_eq!(parse_args(&args).unwrap(), (None, &args[1..]));
        assert!(parse_args(&strings(&["-runs=1"])).is_err());
        assert!(parse_args(&strings(&["amounts", "khipu_responses"])).is_err());
    }

    #[test]
    fn targets_are_the_fuzz_crates_bins() {
        let targets = targets(&workspace_root().join(FUZZ_DIR)).unwrap();
        for expected in [
            "khipu_responses",
            "khipu_notification",
            "kashio_responses",
            "kashio_events",
            "compropago_responses",
            "compropago_webhook",
            "kashpay_responses",
            "telepagos_responses",
            "validators_ids",
            "validators_text",
            "money",
        ] {
            assert!(
                targets.iter().any(|t| t == expected),
                "{expected}: {targets:?}"
            );
        }
        for target in &targets {
            let source = workspace_root()
                .join(FUZZ_DIR)
                .join("fuzz_targets")
                .join(format!("{target}.rs"));
            assert!(source.is_file(), "{}", source.display());
        }
    }
}
