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
//!   (the workspace takes every crate under `crates/`) and registers it with the
//!   facade: the feature `NAME`, `NAME` in `full`, the optional dependency and the
//!   descriptor in `registry()` (five lines, in `facade/Cargo.toml` and
//!   `facade/src/env.rs`). `from_env("NAME")`, the CLI's shared commands and the
//!   registry-wide tests pick it up from there.
//! - `check-example`: checks that `examples/custom-provider` is exactly the template
//!   rendered for `acmepay` (no file more, none less), so the scaffold is proven to
//!   compile and pass its tests whenever the example does.
//! - `render-example`: writes the template rendered for `acmepay` into
//!   `examples/custom-provider`, removing files the template no longer has.
//! - `scaffold-check` (in `ci`): copies the repository's tracked files into a scratch
//!   directory, runs `cargo xtask new-provider zzpay` there, checks that it changed at
//!   most five lines outside the new crate (all in the facade's manifest and registry),
//!   builds the facade with `--features zzpay` and runs the new crate's tests and the
//!   facade's registry tests with it (sharing this workspace's target directory).
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

/// The facade's manifest: its `full` feature lists the providers, one a line.
const FACADE_MANIFEST: &str = "facade/Cargo.toml";
/// The facade's registry: `registry()` lists each provider's descriptor.
const FACADE_REGISTRY: &str = "facade/src/env.rs";
/// The most lines `new-provider` may change outside the new crate.
const MAX_SCAFFOLD_LINES: u64 = 5;

/// The providers: the facade's features that enable a `pagos-NAME` dependency (the
/// same reading `tidy` makes).
fn providers() -> Result<Vec<String>> {
    let list = tidy::provider_names(&workspace_root())?;
    if list.is_empty() {
        return Err(format!("{FACADE_MANIFEST} has no provider feature"));
    }
    Ok(list)
}

/// The names in the `full = [...]` feature of a manifest's text (one or several lines).
#[cfg(test)]
fn full_feature(manifest: &str) -> Option<Vec<String>> {
    let start = manifest.find("\nfull = [")? + "\nfull = [".len();
    let rest = manifest.get(start..)?;
    let body = rest.get(..rest.find(']')?)?;
    Some(
        body.split(',')
            .map(|item| item.trim().trim_matches('"').to_string())
            .filter(|item| !item.is_empty())
            .collect(),
    )
}

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
        "scaffold-check" => scaffold_check(),
        "bench" => bench(&args[1..]),
        "render-example" => render_example(),
        "fuzz" => fuzz::fuzz(&args[1..]),
        "fuzz-smoke" => fuzz::smoke(),
        _ => {
            eprintln!(
                "usage: cargo xtask <ci | tidy | test | features | bench [--quick] | new-provider NAME | check-example | render-example | scaffold-check | fuzz [TARGET] [-- ARGS] | fuzz-smoke>"
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
    scaffold_check()?;
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
    let providers = providers()?;
    let all: Vec<&str> = providers.iter().map(String::as_str).collect();
    cargo(&["check", "-p", "pagos", "--no-default-features"])?;
    check_tree(&["--no-default-features"], &[], &all)?;
    for p in &all {
        cargo(&["check", "-p", "pagos", "--features", p])?;
        check_tree(&["--no-default-features", "--features", p], &[p], &all)?;
    }
    cargo(&["check", "-p", "pagos", "--features", "full"])?;
    check_tree(&["--no-default-features", "--features", "full"], &all, &all)?;
    Ok(())
}

fn check_tree(feature_args: &[&str], expected: &[&str], providers: &[&str]) -> Result {
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
    for &p in providers {
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
        "src/descriptor.rs",
        include_str!("../templates/provider/src/descriptor.rs.tmpl"),
    ),
    (
        "tests/wire/main.rs",
        include_str!("../templates/provider/tests/wire/main.rs.tmpl"),
    ),
    (
        "tests/wire/charges.rs",
        include_str!("../templates/provider/tests/wire/charges.rs.tmpl"),
    ),
    (
        "tests/wire/client.rs",
        include_str!("../templates/provider/tests/wire/client.rs.tmpl"),
    ),
    (
        "tests/wire/errors.rs",
        include_str!("../templates/provider/tests/wire/errors.rs.tmpl"),
    ),
    (
        "tests/wire/smoke.rs",
        include_str!("../templates/provider/tests/wire/smoke.rs.tmpl"),
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
                .replace("{{NAME}}", &name.to_ascii_uppercase())
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
    // Both facade files are edited in memory first: nothing is written unless both can be.
    let manifest_path = root.join(FACADE_MANIFEST);
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("cannot read {FACADE_MANIFEST}: {e}"))?;
    let manifest = register_feature(&manifest, name)?;
    let registry_path = root.join(FACADE_REGISTRY);
    let registry = std::fs::read_to_string(&registry_path)
        .map_err(|e| format!("cannot read {FACADE_REGISTRY}: {e}"))?;
    let registry = register_descriptor(&registry, name)?;
    for (path, text) in &files {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().expect("template paths have a parent"))
            .map_err(|e| format!("cannot create {}: {e}", target.display()))?;
        std::fs::write(&target, text)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    std::fs::write(&manifest_path, manifest)
        .map_err(|e| format!("cannot write {FACADE_MANIFEST}: {e}"))?;
    std::fs::write(&registry_path, registry)
        .map_err(|e| format!("cannot write {FACADE_REGISTRY}: {e}"))?;
    // The template is formatted for `acmepay`; another name may wrap lines otherwise.
    let package = format!("pagos-{name}");
    let formatted = Command::new(env_cargo())
        .args(["fmt", "-p", &package])
        .current_dir(&root)
        .status();
    if !formatted.is_ok_and(|s| s.success()) {
        eprintln!("warning: `cargo fmt -p {package}` failed; format the new crate by hand");
    }
    eprintln!(
        "created crates/pagos-{name} (a workspace member: crates/* are) and registered it \
         with the facade: feature `{name}` (in `full`) and registry() in {FACADE_REGISTRY}.\n\
         next: cargo test -p pagos-{name}; cargo test -p pagos --features {name}; \
         then follow docs/adding-a-provider.md"
    );
    Ok(())
}

/// `manifest` (the facade's) with the provider's feature before `full`, its name at the
/// end of `full` (one a line) and its optional dependency after the last provider's:
/// three inserted lines.
fn register_feature(manifest: &str, name: &str) -> Result<String> {
    let lines: Vec<&str> = manifest.lines().collect();
    let feature_exists = lines
        .iter()
        .any(|l| l.split('=').next().is_some_and(|k| k.trim() == name));
    if feature_exists {
        return Err(format!("{FACADE_MANIFEST} already has a `{name}` feature"));
    }
    let full = lines
        .iter()
        .position(|l| *l == "full = [")
        .ok_or_else(|| format!("no `full = [` line (one provider a line) in {FACADE_MANIFEST}"))?;
    let full_end = lines
        .iter()
        .skip(full)
        .position(|l| *l == "]")
        .map(|i| i + full)
        .ok_or_else(|| format!("the `full` list of {FACADE_MANIFEST} has no closing `]` line"))?;
    let deps = lines
        .iter()
        .position(|l| *l == "[dependencies]")
        .ok_or_else(|| format!("no [dependencies] in {FACADE_MANIFEST}"))?;
    let last_provider_dep = lines
        .iter()
        .enumerate()
        .skip(deps + 1)
        .take_while(|(_, l)| !l.starts_with('['))
        .filter(|(_, l)| l.starts_with("pagos-"))
        .map(|(i, _)| i)
        .last()
        .unwrap_or(deps);
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + 3);
    for (i, line) in lines.iter().enumerate() {
        if i == full {
            out.push(format!("{name} = [\"dep:pagos-{name}\"]"));
        }
        if i == full_end {
            out.push(format!("    \"{name}\","));
        }
        out.push((*line).to_string());
        if i == last_provider_dep {
            out.push(format!(
                "pagos-{name} = {{ path = \"../crates/pagos-{name}\", optional = true }}"
            ));
        }
    }
    Ok(out.join("\n") + "\n")
}

/// `source` (the facade's registry) with the provider's descriptor as the last entry of
/// `registry()`: two inserted lines.
fn register_descriptor(source: &str, name: &str) -> Result<String> {
    let lines: Vec<&str> = source.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.contains("static REGISTRY"))
        .ok_or_else(|| format!("no `static REGISTRY` in {FACADE_REGISTRY}"))?;
    let end = lines
        .iter()
        .skip(start)
        .position(|l| l.trim() == "];")
        .map(|i| i + start)
        .ok_or_else(|| format!("the REGISTRY list of {FACADE_REGISTRY} has no `];` line"))?;
    let indent = " ".repeat(lines[end].len() - lines[end].trim_start().len() + 4);
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + 2);
    for (i, line) in lines.iter().enumerate() {
        if i == end {
            out.push(format!("{indent}#[cfg(feature = \"{name}\")]"));
            out.push(format!("{indent}&pagos_{name}::DESCRIPTOR,"));
        }
        out.push((*line).to_string());
    }
    Ok(out.join("\n") + "\n")
}

/// Fails when `examples/custom-provider` differs from the rendered template, or holds a
/// file the template does not.
fn check_example() -> Result {
    let dir = workspace_root().join(EXAMPLE_DIR);
    let rendered = render(EXAMPLE_NAME)?;
    let mut stale = Vec::new();
    for (path, expected) in &rendered {
        let actual = std::fs::read_to_string(dir.join(path)).unwrap_or_default();
        if actual != *expected {
            stale.push(path.to_string());
        }
    }
    let extra = extra_example_files(&dir, &rendered)?;
    if stale.is_empty() && extra.is_empty() {
        eprintln!("==> {EXAMPLE_DIR} matches the provider template");
        Ok(())
    } else {
        Err(format!(
            "{EXAMPLE_DIR} differs from xtask/templates/provider in {stale:?}{}; \
             edit the template and regenerate the example with \
             `cargo xtask render-example`",
            if extra.is_empty() {
                String::new()
            } else {
                format!(" and has files the template lacks: {extra:?}")
            }
        ))
    }
}

/// The files under the example (build output aside) that the template does not render.
fn extra_example_files(dir: &Path, rendered: &[(&str, String)]) -> Result<Vec<String>> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) -> Result {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            if path.is_dir() {
                walk(&path, base, out)?;
            } else if let Ok(relative) = path.strip_prefix(base) {
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.retain(|f| !rendered.iter().any(|(path, _)| path == f));
    files.sort();
    Ok(files)
}

/// Writes the template rendered for `acmepay` into `examples/custom-provider` and
/// removes the files it no longer has.
fn render_example() -> Result {
    let dir = workspace_root().join(EXAMPLE_DIR);
    let rendered = render(EXAMPLE_NAME)?;
    for path in extra_example_files(&dir, &rendered)? {
        std::fs::remove_file(dir.join(&path)).map_err(|e| format!("cannot remove {path}: {e}"))?;
        eprintln!("removed {EXAMPLE_DIR}/{path}");
    }
    for (path, text) in rendered {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().expect("template paths have a parent"))
            .map_err(|e| e.to_string())?;
        std::fs::write(&target, text).map_err(|e| e.to_string())?;
    }
    eprintln!("rendered the provider template into {EXAMPLE_DIR}");
    Ok(())
}

/// The name `scaffold-check` scaffolds.
const SCAFFOLD_NAME: &str = "zzpay";

/// Proves `new-provider` end to end on a copy of the repository: the new crate builds
/// behind the facade's feature and passes its tests, the facade's registry tests pass
/// with it, and it took at most [`MAX_SCAFFOLD_LINES`] changed lines outside the crate,
/// all in the facade's manifest and registry.
fn scaffold_check() -> Result {
    let root = workspace_root();
    let started = Instant::now();
    let scratch = std::env::temp_dir().join(format!("pagos-scaffold-{}", std::process::id()));
    let result = scaffold_in(&root, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    result?;
    eprintln!(
        "==> scaffold-check: new-provider {SCAFFOLD_NAME} passed ({:.1?})",
        started.elapsed()
    );
    Ok(())
}

fn scaffold_in(root: &Path, scratch: &Path) -> Result {
    let _ = std::fs::remove_dir_all(scratch);
    // The repository as committed would be: its tracked files, in their working copy.
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git ls-files: {e}"))?;
    if !listed.status.success() {
        return Err(format!(
            "git ls-files failed: {}",
            String::from_utf8_lossy(&listed.stderr)
        ));
    }
    let mut copied = 0;
    for path in listed.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8_lossy(path);
        let from = root.join(path.as_ref());
        if !from.is_file() {
            continue; // deleted in the working copy
        }
        let to = scratch.join(path.as_ref());
        std::fs::create_dir_all(to.parent().expect("a file has a parent"))
            .map_err(|e| format!("cannot create {}: {e}", to.display()))?;
        std::fs::copy(&from, &to).map_err(|e| format!("cannot copy {path}: {e}"))?;
        copied += 1;
    }
    eprintln!(
        "==> scaffold-check: {copied} files copied to {}",
        scratch.display()
    );
    let git = |args: &[&str]| {
        run(
            Command::new("git")
                .args(["-c", "user.name=xtask", "-c", "user.email=xtask@localhost"])
                .args(args)
                .current_dir(scratch),
            &format!("git {} (scratch)", args.join(" ")),
        )
    };
    git(&["init", "-q"])?;
    git(&["add", "-A"])?;
    git(&["commit", "-q", "--no-verify", "-m", "baseline"])?;

    // Everything builds into this workspace's target directory: only the copied crates
    // are compiled again.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let cargo_in = |args: &[&str]| {
        run(
            Command::new(env_cargo())
                .args(args)
                .current_dir(scratch)
                .env("CARGO_TARGET_DIR", &target),
            &format!("cargo {} (scratch)", args.join(" ")),
        )
    };
    cargo_in(&["xtask", "new-provider", SCAFFOLD_NAME])?;

    // What it changed outside the new crate, before anything else (a build rewrites
    // Cargo.lock).
    let crate_dir = format!("crates/pagos-{SCAFFOLD_NAME}/");
    let numstat = Command::new("git")
        .args(["diff", "--numstat"])
        .current_dir(scratch)
        .output()
        .map_err(|e| format!("cannot run git diff: {e}"))?;
    let numstat = String::from_utf8_lossy(&numstat.stdout).into_owned();
    let mut changed = 0u64;
    let mut problems = Vec::new();
    for line in numstat.lines() {
        let mut parts = line.split('\t');
        let (Some(added), Some(deleted), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if path.starts_with(&crate_dir) {
            continue;
        }
        let count = |n: &str| n.parse::<u64>().unwrap_or(u64::MAX / 4);
        changed += count(added) + count(deleted);
        if path != FACADE_MANIFEST && path != FACADE_REGISTRY {
            problems.push(format!("{path} changed"));
        }
        eprintln!("    {path}: +{added} -{deleted}");
    }
    let status = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(scratch)
        .output()
        .map_err(|e| format!("cannot run git status: {e}"))?;
    for line in String::from_utf8_lossy(&status.stdout).lines() {
        let path = line.get(3..).unwrap_or_default();
        if line.starts_with("??") && !path.starts_with(&crate_dir) {
            problems.push(format!("{path} created outside the crate"));
        }
    }
    if changed > MAX_SCAFFOLD_LINES {
        problems.push(format!(
            "{changed} lines changed outside {crate_dir}, at most {MAX_SCAFFOLD_LINES} allowed"
        ));
    }
    if changed == 0 {
        problems.push(format!(
            "nothing registered the provider in {FACADE_MANIFEST} / {FACADE_REGISTRY}"
        ));
    }
    if !problems.is_empty() {
        return Err(format!(
            "new-provider {SCAFFOLD_NAME}: {}",
            problems.join("; ")
        ));
    }
    eprintln!("    {changed} lines changed outside {crate_dir}");

    let feature = SCAFFOLD_NAME;
    let package = format!("pagos-{SCAFFOLD_NAME}");
    cargo_in(&["fmt", "-p", &package, "--check"])?;
    cargo_in(&["build", "-q", "-p", "pagos", "--features", feature])?;
    cargo_in(&["test", "-q", "-p", &package])?;
    // The facade's registry tests, with the new provider in the registry.
    cargo_in(&["test", "-q", "-p", "pagos", "--features", feature, "--lib"])?;
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

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "[features]\ndefault = [\"rustls\"]\nkhipu = [\"dep:pagos-khipu\"]\nfull = [\n    \"khipu\",\n]\n\n[dependencies]\npagos-core.workspace = true\npagos-khipu = { workspace = true, optional = true }\n\n[dev-dependencies]\ntokio = \"1\"\n";

    const REGISTRY: &str = "pub fn registry() -> &'static [&'static ProviderDescriptor] {\n    static REGISTRY: &[&ProviderDescriptor] = &[\n        #[cfg(feature = \"khipu\")]\n        &pagos_khipu::DESCRIPTOR,\n    ];\n    REGISTRY\n}\n";

    fn added_lines(before: &str, after: &str) -> Vec<String> {
        let mut old: Vec<&str> = before.lines().collect();
        after
            .lines()
            .filter(|l| match old.iter().position(|o| o == l) {
                Some(i) => {
                    old.remove(i);
                    false
                }
                None => true,
            })
            .map(String::from)
            .collect()
    }

    #[test]
    fn the_full_feature_lists_the_providers() {
        assert_eq!(full_feature(MANIFEST).unwrap(), ["khipu"]);
        let one_line = "[features]\nfull = [\"a\", \"b\"]\n";
        assert_eq!(full_feature(one_line).unwrap(), ["a", "b"]);
        assert!(full_feature("[features]\n").is_none());
        let real = std::fs::read_to_string(workspace_root().join(FACADE_MANIFEST)).unwrap();
        let providers = full_feature(&real).unwrap();
        assert!(providers.iter().any(|p| p == "khipu"), "{providers:?}");
    }

    #[test]
    fn a_provider_is_registered_in_five_inserted_lines() {
        let manifest = register_feature(MANIFEST, "zzpay").unwrap();
        assert_eq!(
            added_lines(MANIFEST, &manifest),
            [
                "zzpay = [\"dep:pagos-zzpay\"]",
                "    \"zzpay\",",
                "pagos-zzpay = { path = \"../crates/pagos-zzpay\", optional = true }",
            ]
        );
        assert_eq!(manifest.lines().count(), MANIFEST.lines().count() + 3);
        assert_eq!(full_feature(&manifest).unwrap(), ["khipu", "zzpay"]);
        assert!(
            register_feature(&manifest, "zzpay").is_err(),
            "registered twice"
        );
        assert!(
            register_feature(MANIFEST, "khipu").is_err(),
            "an existing feature"
        );

        let registry = register_descriptor(REGISTRY, "zzpay").unwrap();
        assert_eq!(
            added_lines(REGISTRY, &registry),
            [
                "        #[cfg(feature = \"zzpay\")]",
                "        &pagos_zzpay::DESCRIPTOR,",
            ]
        );
        assert!(
            registry.contains("&pagos_zzpay::DESCRIPTOR,\n    ];"),
            "{registry}"
        );
        assert!(register_descriptor("fn main() {}\n", "zzpay").is_err());
    }

    #[test]
    fn the_real_facade_files_take_a_provider() {
        let root = workspace_root();
        let manifest = std::fs::read_to_string(root.join(FACADE_MANIFEST)).unwrap();
        let registry = std::fs::read_to_string(root.join(FACADE_REGISTRY)).unwrap();
        let new_manifest = register_feature(&manifest, "zzpay").unwrap();
        let new_registry = register_descriptor(&registry, "zzpay").unwrap();
        assert_eq!(added_lines(&manifest, &new_manifest).len(), 3);
        assert_eq!(added_lines(&registry, &new_registry).len(), 2);
    }

    #[test]
    fn names_render_into_every_placeholder() {
        for (path, text) in render("pago_facil").unwrap() {
            assert!(!text.contains("{{"), "{path}: a placeholder is left");
            if path == "src/descriptor.rs" {
                assert!(text.contains("PAGOS_PAGO_FACIL_API_KEY"));
                assert!(text.contains("PagoFacilClient"));
            }
        }
        assert!(render("Bad-Name").is_err());
    }
}
