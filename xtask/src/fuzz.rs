//! `cargo xtask fuzz [TARGET] [-- LIBFUZZER_ARGS]`: the cargo-fuzz targets in `fuzz/`.
//!
//! `fuzz/` is its own cargo workspace (nightly only, not a member of the main one):
//! one target per provider's response decoders and one per webhook/notification
//! parser, listed by its `[[bin]]` sections. This runs
//! `cargo +nightly fuzz run TARGET --fuzz-dir fuzz fuzz/corpus/TARGET [SEEDS] -- ARGS`
//! from the workspace root, SEEDS being the provider's `tests/fixtures` and
//! `fuzz/seeds/TARGET` where they exist, and ARGS following the shared dictionary
//! `fuzz/fuzz.dict`. Without a TARGET every target runs for [`ALL_SECONDS`] seconds in
//! turn.

use std::path::Path;
use std::process::{Command, Output};

use crate::{PROVIDERS, Result, run, workspace_root};

/// The cargo-fuzz crate, relative to the workspace root.
const FUZZ_DIR: &str = "fuzz";

/// How long each target runs when no TARGET is given.
const ALL_SECONDS: u32 = 60;

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
    run_target(&root, target, extra)
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

/// `cargo +nightly ...` through rustup's proxy, without the variables that pin the
/// toolchain `cargo xtask` itself runs with.
fn nightly_cargo() -> Command {
    let mut cmd = Command::new("cargo");
    cmd.arg("+nightly")
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN");
    cmd
}

/// Fails with what to install when nightly or cargo-fuzz is missing.
fn check_tools() -> Result {
    fn first_line(out: &Output) -> String {
        let text = String::from_utf8_lossy(&out.stderr);
        text.lines().next().unwrap_or_default().trim().to_string()
    }
    match nightly_cargo().arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            return Err(format!(
                "the fuzz targets need the nightly toolchain, and `cargo +nightly` failed \
                 ({}).\nInstall it with `rustup toolchain install nightly` (rustup's `cargo` \
                 must come first on PATH for `+nightly` to work).",
                first_line(&out)
            ));
        }
        Err(e) => return Err(format!("cannot run `cargo +nightly --version`: {e}")),
    }
    match nightly_cargo().args(["fuzz", "--version"]).output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!(
            "cargo-fuzz is missing (`cargo +nightly fuzz` failed: {}).\n\
             Install it with `cargo install cargo-fuzz`.",
            first_line(&out)
        )),
        Err(e) => Err(format!("cannot run `cargo +nightly fuzz --version`: {e}")),
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
        if let Err(e) = run_target(root, target, &args) {
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
        Err(format!(
            "{failed:?} failed; the crashing inputs are in {FUZZ_DIR}/artifacts/TARGET/ \
             (replay one with `cargo +nightly fuzz run --fuzz-dir {FUZZ_DIR} TARGET FILE`)"
        ))
    }
}

/// `cargo +nightly fuzz run TARGET --fuzz-dir fuzz fuzz/corpus/TARGET [SEEDS] --
/// -dict=fuzz/fuzz.dict ARGS`. libFuzzer writes new inputs to the first corpus
/// directory only, so the seeds (the provider's fixtures, `fuzz/seeds/TARGET`) are read
/// and never changed.
fn run_target(root: &Path, target: &str, extra: &[String]) -> Result {
    let corpus = Path::new(FUZZ_DIR).join("corpus").join(target);
    std::fs::create_dir_all(root.join(&corpus))
        .map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
    let mut args: Vec<String> = vec![
        "fuzz".into(),
        "run".into(),
        target.into(),
        "--fuzz-dir".into(),
        FUZZ_DIR.into(),
        corpus.display().to_string(),
    ];
    let provider = target.split('_').next().unwrap_or_default();
    if PROVIDERS.contains(&provider) {
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
    run(
        nightly_cargo().args(&args).current_dir(root),
        &format!("cargo +nightly {}", args.join(" ")),
    )
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
