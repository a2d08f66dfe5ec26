//! Project automation, in the rust-analyzer style: `cargo xtask <task>`.
//!
//! Dependency-free on purpose: it builds in a second and runs anywhere cargo does.
//!
//! Tasks:
//! - `ci`: everything `.ci/run` checks — fmt, clippy, tests, the facade's feature
//!   matrix (with a dependency-tree check that a feature compiles no other provider),
//!   rustdoc with warnings denied, and `fuzz-smoke`.
//! - `tidy`: the architecture invariants and the one public shape, checked over the
//!   source text (no build): the canonical module set of a provider crate, the
//!   `PROVIDER`/`DESCRIPTOR` names, no HTTP crate or float type in provider crates, no
//!   provider depending on another, base-URL setters taking `impl AsRef<str>`, exact
//!   `Raw` answers, no citation of files outside the repository. First step of `ci`.
//! - `test`: the README's test command.
//! - `features`: the feature matrix alone.
//! - `bench [--quick]`: the benchmarks in `benches/` (release build); writes `BENCHMARKS.md`.
//!   The instruction counts run under valgrind (skipped, with a note, where it is not
//!   installed); the full mode also times four clean builds of a generated application,
//!   which needs crates.io once to download their dependencies.
//! - `new-provider NAME`: scaffolds `crates/pagos-NAME` from `xtask/templates/provider`
//!   and adds it to the workspace.
//! - `check-example`: checks that `examples/custom-provider` is exactly the template
//!   rendered for `acmepay`, so the scaffold is proven to compile and pass its tests
//!   whenever the example does.
//! - `fuzz [TARGET] [-- ARGS]`: the cargo-fuzz targets in `fuzz/` (every provider's
//!   response decoders, the webhook/notification parsers, the validators, `Money`),
//!   seeded with the committed corpus and the providers' test fixtures: one TARGET
//!   until stopped, or each for 60 seconds; ARGS go to libFuzzer. Needs cargo-fuzz
//!   (`cargo install cargo-fuzz --locked`) and runs it on the stable toolchain with
//!   `RUSTC_BOOTSTRAP=1`; see FUZZING.md.
//! - `fuzz-smoke`: every fuzz target for 20 seconds, two at a time, from the committed
//!   corpus (in `ci`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod fuzz;
mod tidy;

const PROVIDERS: [&str; 5] = ["khipu", "kashio", "compropago", "kashpay", "telepagos"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let result = match task {
        "ci" => ci(),
        "tidy" => tidy::tidy(),
        "test" => test(),
        "features" => features(),
        "new-provider" => match args.get(1) {
            Some(name) => new_provider(name),
            None => Err("usage: cargo xtask new-provider NAME".to_string()),
        },
        "check-example" => check_example(),
        "bench" => bench(&args[1..]),
        "render-example" => render_example(),
        "fuzz" => fuzz::fuzz(&args[1..]),
        "fuzz-smoke" => fuzz::smoke(),
        _ => {
            eprintln!(
                "usage: cargo xtask <ci | tidy | test | features | bench [--quick] | new-provider NAME | check-example | render-example | fuzz [TARGET] [-- ARGS] | fuzz-smoke>"
            );
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
    run(
        Command::new(env_cargo()).args(args),
        &format!("cargo {}", args.join(" ")),
    )
}

fn env_cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn run(cmd: &mut Command, label: &str) -> Result {
    eprintln!("\n==> {label}");
    let started = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {label}: {e}"))?;
    eprintln!("<== {label} ({:.1?})", started.elapsed());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{label} failed ({status})"))
    }
}

fn ci() -> Result {
    tidy::tidy()?;
    check_example()?;
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
    let counts = test_counted()?;
    features()?;
    run(
        Command::new(env_cargo())
            .args(["doc", "--workspace", "--no-deps", "--all-features"])
            .env("RUSTDOCFLAGS", "-D warnings"),
        "cargo doc --workspace --no-deps --all-features (RUSTDOCFLAGS=-D warnings)",
    )?;
    // Last: the slowest step, and the one that needs a tool beyond the toolchain
    // (`.ci/run` installs cargo-fuzz).
    fuzz::smoke()?;
    eprintln!("\nxtask ci: all checks passed");
    // The closing line CI reads: the test total of the whole run.
    println!(
        "tests: {} passed, {} failed, {} skipped",
        counts.passed, counts.failed, counts.ignored
    );
    Ok(())
}

/// The README's test command.
fn test() -> Result {
    test_counted().map(|_| ())
}

/// Test counts summed over every test binary of a `cargo test` run.
#[derive(Default, Clone, Copy)]
struct Counts {
    passed: u64,
    failed: u64,
    ignored: u64,
}

/// Runs the README's test command, forwarding its output, and sums the `test result:`
/// lines so the run can end on one total (cargo prints one line per test binary, and the
/// last one is often a binary with no tests).
fn test_counted() -> Result<Counts> {
    use std::io::{BufRead, BufReader, Write};
    let label = "cargo test --workspace --all-features";
    eprintln!("\n==> {label}");
    let started = Instant::now();
    let mut child = Command::new(env_cargo())
        .args(["test", "--workspace", "--all-features"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {label}: {e}"))?;
    let mut counts = Counts::default();
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut out = std::io::stdout().lock();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("reading {label}: {e}"))?;
        if let Some(rest) = line.strip_prefix("test result: ") {
            let number = |word: &str| {
                rest.split(';')
                    .find_map(|part| part.trim().strip_suffix(word))
                    .and_then(|n| n.trim().rsplit(' ').next())
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            counts.passed += number(" passed");
            counts.failed += number(" failed");
            counts.ignored += number(" ignored");
        }
        let _ = writeln!(out, "{line}");
    }
    let status = child.wait().map_err(|e| format!("{label}: {e}"))?;
    eprintln!("<== {label} ({:.1?})", started.elapsed());
    let summary = format!(
        "{} passed, {} failed, {} skipped",
        counts.passed, counts.failed, counts.ignored
    );
    if status.success() {
        eprintln!("    tests: {summary}");
        Ok(counts)
    } else {
        Err(format!("{label} failed ({status}): {summary}"))
    }
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

/// The provider template, file by file: (path inside the crate, template text).
const TEMPLATE: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../templates/provider/Cargo.toml.tmpl"),
    ),
    (
        "src/lib.rs",
        include_str!("../templates/provider/src/lib.rs.tmpl"),
    ),
    (
        "src/client.rs",
        include_str!("../templates/provider/src/client.rs.tmpl"),
    ),
    (
        "src/charges.rs",
        include_str!("../templates/provider/src/charges.rs.tmpl"),
    ),
    (
        "src/error.rs",
        include_str!("../templates/provider/src/error.rs.tmpl"),
    ),
    (
        "src/status.rs",
        include_str!("../templates/provider/src/status.rs.tmpl"),
    ),
    (
        "src/provider.rs",
        include_str!("../templates/provider/src/provider.rs.tmpl"),
    ),
    (
        "tests/wire.rs",
        include_str!("../templates/provider/tests/wire.rs.tmpl"),
    ),
];

const EXAMPLE_NAME: &str = "acmepay";
const EXAMPLE_DIR: &str = "examples/custom-provider";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Renders the template for a provider name such as `acmepay` or `pago_facil`.
fn render(name: &str) -> Result<Vec<(&'static str, String)>> {
    let valid = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(format!(
            "{name:?}: a provider name is lowercase ASCII letters, digits and '_', starting with a letter"
        ));
    }
    let camel: String = name
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    let crate_ident = format!("pagos_{name}");
    Ok(TEMPLATE
        .iter()
        .map(|(path, text)| {
            let out = text
                .replace("{{crate}}", &crate_ident)
                .replace("{{Name}}", &camel)
                .replace("{{name}}", name);
            (*path, out)
        })
        .collect())
}

fn new_provider(name: &str) -> Result {
    let root = workspace_root();
    let files = render(name)?;
    let dir = root.join("crates").join(format!("pagos-{name}"));
    if dir.exists() {
        return Err(format!("{} already exists", dir.display()));
    }
    for (path, text) in &files {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().expect("template paths have a parent"))
            .map_err(|e| format!("cannot create {}: {e}", target.display()))?;
        std::fs::write(&target, text)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    let manifest_path = root.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| e.to_string())?;
    let anchor = "members = [\n";
    let member = format!("    \"crates/pagos-{name}\",\n");
    let updated = manifest.replacen(anchor, &format!("{anchor}{member}"), 1);
    if updated == manifest {
        return Err(
            "cannot find `members = [` in the root Cargo.toml; add the crate by hand".into(),
        );
    }
    std::fs::write(&manifest_path, updated).map_err(|e| e.to_string())?;
    eprintln!(
        "created crates/pagos-{name} and added it to the workspace.\n\
         next: cargo test -p pagos-{name}, then follow docs/adding-a-provider.md"
    );
    Ok(())
}

/// Fails when `examples/custom-provider` differs from the rendered template.
fn check_example() -> Result {
    let dir = workspace_root().join(EXAMPLE_DIR);
    let mut stale = Vec::new();
    for (path, expected) in render(EXAMPLE_NAME)? {
        let actual = std::fs::read_to_string(dir.join(path)).unwrap_or_default();
        if actual != expected {
            stale.push(path);
        }
    }
    if stale.is_empty() {
        eprintln!("==> {EXAMPLE_DIR} matches the provider template");
        Ok(())
    } else {
        Err(format!(
            "{EXAMPLE_DIR} differs from xtask/templates/provider in {stale:?}; \
             edit the template and regenerate the example with \
             `cargo xtask render-example`"
        ))
    }
}

/// Writes the template rendered for `acmepay` into `examples/custom-provider`.
fn render_example() -> Result {
    let dir = workspace_root().join(EXAMPLE_DIR);
    for (path, text) in render(EXAMPLE_NAME)? {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().expect("template paths have a parent"))
            .map_err(|e| e.to_string())?;
        std::fs::write(&target, text).map_err(|e| e.to_string())?;
    }
    eprintln!("rendered the provider template into {EXAMPLE_DIR}");
    Ok(())
}

/// Runs the benchmark harness in release mode; `--quick` keeps it under 3 minutes (no
/// compile cost, fewer calls under valgrind).
fn bench(args: &[String]) -> Result {
    let mut cmd_args = vec!["run", "--release", "-q", "-p", "pagos-bench", "--"];
    if args.iter().any(|a| a == "--quick") {
        cmd_args.push("--quick");
    }
    cargo(&cmd_args)
}
