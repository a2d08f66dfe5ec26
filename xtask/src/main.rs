//! Project automation, in the rust-analyzer style: `cargo xtask <task>`.
//!
//! Dependency-free on purpose: it builds in a second and runs anywhere cargo does.
//!
//! Tasks:
//! - `ci`: everything `.ci/run` checks — fmt, clippy, tests, the facade's feature
//!   matrix (with a dependency-tree check that a feature compiles no other provider),
//!   and rustdoc with warnings denied.
//! - `test`: the README's test command.
//! - `features`: the feature matrix alone.

use std::process::{Command, ExitCode};
use std::time::Instant;

const PROVIDERS: [&str; 5] = ["khipu", "kashio", "compropago", "kashpay", "telepagos"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let result = match task {
        "ci" => ci(),
        "test" => test(),
        "features" => features(),
        _ => {
            eprintln!("usage: cargo xtask <ci | test | features>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

fn cargo(args: &[&str]) -> Result {
    run(Command::new(env_cargo()).args(args), &format!("cargo {}", args.join(" ")))
}

fn env_cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn run(cmd: &mut Command, label: &str) -> Result {
    eprintln!("\n==> {label}");
    let started = Instant::now();
    let status = cmd.status().map_err(|e| format!("cannot start {label}: {e}"))?;
    eprintln!("<== {label} ({:.1?})", started.elapsed());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{label} failed ({status})"))
    }
}

fn ci() -> Result {
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ])?;
    test()?;
    features()?;
    run(
        Command::new(env_cargo())
            .args(["doc", "--workspace", "--no-deps", "--all-features"])
            .env("RUSTDOCFLAGS", "-D warnings"),
        "cargo doc --workspace --no-deps --all-features (RUSTDOCFLAGS=-D warnings)",
    )?;
    eprintln!("\nxtask ci: all checks passed");
    Ok(())
}

/// The README's test command.
fn test() -> Result {
    cargo(&["test", "--workspace", "--all-features"])
}

/// Builds the facade with no provider, each provider alone and all of them, and checks
/// from `cargo tree` that a provider feature pulls in no other provider crate.
fn features() -> Result {
    cargo(&["check", "-p", "pagos", "--no-default-features"])?;
    check_tree(&["--no-default-features"], &[])?;
    for p in PROVIDERS {
        cargo(&["check", "-p", "pagos", "--features", p])?;
        check_tree(&["--no-default-features", "--features", p], &[p])?;
    }
    cargo(&["check", "-p", "pagos", "--features", "full"])?;
    check_tree(&["--no-default-features", "--features", "full"], &PROVIDERS)?;
    Ok(())
}

fn check_tree(feature_args: &[&str], expected: &[&str]) -> Result {
    let mut args = vec!["tree", "-p", "pagos", "-e", "normal", "--prefix", "none"];
    args.extend_from_slice(feature_args);
    let out = Command::new(env_cargo())
        .args(&args)
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let tree = String::from_utf8_lossy(&out.stdout);
    for p in PROVIDERS {
        let crate_name = format!("pagos-{p} ");
        let present = tree.lines().any(|l| l.starts_with(&crate_name));
        let wanted = expected.contains(&p);
        if present != wanted {
            return Err(format!(
                "cargo {}: pagos-{p} is {} but should {}be",
                args.join(" "),
                if present { "in the tree" } else { "missing" },
                if wanted { "" } else { "not " }
            ));
        }
    }
    eprintln!("    tree {:?}: providers {:?} only", feature_args, expected);
    Ok(())
}
