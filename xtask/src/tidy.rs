//! `cargo xtask tidy`: the architecture invariants and the one public shape, checked
//! over the source text (rust-analyzer's `tidy` tests in spirit: cheap, no build).
//!
//! Each check names the invariant of ARCHITECTURE.md it guards. A check reads files
//! as text on purpose: it must run in a second, without compiling anything, and say
//! exactly which file and line broke the rule.

use std::fs;
use std::path::{Path, PathBuf};

use crate::{Result, workspace_root};

/// The SDK's library crates whose code handles money.
const CORE: &str = "crates/pagos-core";

/// Every provider crate has these files: the canonical module set.
const PROVIDER_FILES: &[&str] = &[
    "src/lib.rs",
    "src/client.rs",
    "src/error.rs",
    "src/status.rs",
    "src/provider.rs",
    "src/descriptor.rs",
    "tests/wire/main.rs",
];

/// Dependencies no provider crate may have: sending is the core transport's job.
const HTTP_CRATES: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "http",
    "http-body",
    "ureq",
];

/// Names the old shapes used; none may come back.
const RETIRED_NAMES: &[(&str, &str)] = &[
    (
        "fn prepare_",
        "describe a call as an `Endpoint` value instead",
    ),
    ("_with_raw(", "answers carry their `raw: Raw`"),
    (
        "PROVIDER_NAME",
        "the provider constant is `PROVIDER` in every crate",
    ),
    ("ProviderKind", "providers are found through the registry"),
];

/// Runs every check and reports every violation, not just the first.
pub fn tidy() -> Result {
    let root = workspace_root();
    let mut problems = Vec::new();
    let providers = provider_names(&root)?;
    if providers.is_empty() {
        problems.push("no provider features found in facade/Cargo.toml".to_string());
    }
    for name in &providers {
        check_provider(&root, name, &providers, &mut problems);
    }
    check_core(&root, &providers, &mut problems);
    check_sandbox(&root, &mut problems);
    check_citations(&root, &mut problems);
    check_architecture_map(&root, &mut problems);
    if problems.is_empty() {
        eprintln!(
            "xtask tidy: {} providers, every invariant holds",
            providers.len()
        );
        Ok(())
    } else {
        for p in &problems {
            eprintln!("tidy: {p}");
        }
        Err(format!("{} tidy problem(s)", problems.len()))
    }
}

fn check_provider(root: &Path, name: &str, providers: &[String], problems: &mut Vec<String>) {
    let dir = root.join("crates").join(format!("pagos-{name}"));
    for file in PROVIDER_FILES {
        if !dir.join(file).is_file() {
            problems.push(format!(
                "crates/pagos-{name}: missing {file} (the canonical module set of a provider crate)"
            ));
        }
    }
    // No HTTP in provider crates; no provider depends on another.
    let manifest = read(&dir.join("Cargo.toml"));
    for dep in dependency_names(&manifest) {
        if HTTP_CRATES.contains(&dep.as_str()) {
            problems.push(format!(
                "crates/pagos-{name}/Cargo.toml: depends on `{dep}`; only pagos-core's transport performs HTTP"
            ));
        }
        if let Some(other) = dep.strip_prefix("pagos-")
            && other != name
            && providers.iter().any(|p| p == other)
        {
            problems.push(format!(
                "crates/pagos-{name}/Cargo.toml: depends on provider crate `{dep}`; provider crates do not depend on each other"
            ));
        }
    }
    let lib = read(&dir.join("src/lib.rs"));
    if !lib.contains("pub const PROVIDER: &str")
        && !lib.contains("pub use client::PROVIDER")
        && !lib.contains("PROVIDER}")
        && !lib.contains("PROVIDER,")
    {
        problems.push(format!(
            "crates/pagos-{name}/src/lib.rs: no `PROVIDER` constant at the crate root"
        ));
    }
    if !lib.contains("DESCRIPTOR") {
        problems.push(format!(
            "crates/pagos-{name}/src/lib.rs: the registry's `DESCRIPTOR` is not exported"
        ));
    }
    if !lib.contains("#![deny(missing_docs)]") {
        problems.push(format!(
            "crates/pagos-{name}/src/lib.rs: `#![deny(missing_docs)]` is missing"
        ));
    }
    for (path, text) in rust_files(&dir.join("src")) {
        let rel = relative(root, &path);
        for (no, line) in code_lines(&text) {
            if mentions_word(line, "reqwest") {
                problems.push(format!(
                    "{rel}:{no}: names reqwest; provider crates are sans-IO"
                ));
            }
            if mentions_float(line) {
                problems.push(format!(
                    "{rel}:{no}: a float type; amounts are `Decimal` and JSON numbers are read from their text"
                ));
            }
            for (retired, instead) in RETIRED_NAMES {
                // `Response::json_with_raw` is the core's way to decode once and keep
                // the raw answer: the retired name is a provider's own `*_with_raw`.
                if line.contains(retired) && !line.contains("json_with_raw(") {
                    problems.push(format!("{rel}:{no}: `{retired}`: {instead}"));
                }
            }
            if line.contains("pub raw:") && !line.contains("Raw") {
                problems.push(format!(
                    "{rel}:{no}: a raw answer that is not `pagos_core::Raw` (exact text, parsed once)"
                ));
            }
            if (line.contains("fn base_url(") || line.contains("_base_url(mut self"))
                && line.contains("mut self")
                && !line.contains("impl AsRef<str>")
            {
                problems.push(format!(
                    "{rel}:{no}: base-URL setters take `impl AsRef<str>` in every builder"
                ));
            }
        }
    }
}

fn check_core(root: &Path, providers: &[String], problems: &mut Vec<String>) {
    let dir = root.join(CORE);
    let manifest = read(&dir.join("Cargo.toml"));
    for dep in dependency_names(&manifest) {
        if let Some(other) = dep.strip_prefix("pagos-")
            && providers.iter().any(|p| p == other)
        {
            problems.push(format!(
                "{CORE}/Cargo.toml: depends on provider crate `{dep}`; pagos-core depends on no provider"
            ));
        }
    }
    for (path, text) in rust_files(&dir.join("src")) {
        let rel = relative(root, &path);
        let is_transport = path.ends_with("transport.rs");
        for (no, line) in code_lines(&text) {
            if !is_transport && mentions_word(line, "reqwest") {
                problems.push(format!(
                    "{rel}:{no}: names reqwest outside transport.rs; only the transport performs HTTP"
                ));
            }
            if mentions_float(line) {
                problems.push(format!(
                    "{rel}:{no}: a float type; amounts are `Decimal` and JSON numbers are read from their text"
                ));
            }
        }
    }
}

fn check_sandbox(root: &Path, problems: &mut Vec<String>) {
    let dir = root.join("crates/pagos-sandbox");
    let manifest = read(&dir.join("Cargo.toml"));
    for dep in dependency_names(&manifest) {
        if dep.starts_with("pagos") {
            problems.push(format!(
                "crates/pagos-sandbox/Cargo.toml: depends on `{dep}`; the sandbox shares no code with the SDK"
            ));
        }
    }
    for (path, text) in rust_files(&dir.join("src")) {
        if text.contains("result_large_err") {
            problems.push(format!(
                "{}: allows `result_large_err`; handlers return a small rejection type",
                relative(root, &path)
            ));
        }
    }
}

/// Docs and comments cite the providers' own documentation, never files outside the
/// repository.
fn check_citations(root: &Path, problems: &mut Vec<String>) {
    const OUTSIDE: &[&str] = &[
        "shared/seeds",
        "shared/reference",
        "providers.md",
        "khipu-v3.md",
    ];
    for file in tracked_files(root) {
        if file.starts_with("xtask/src/tidy.rs") {
            continue;
        }
        let path = root.join(&file);
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if let Some(hit) = OUTSIDE.iter().find(|o| line.contains(*o)) {
                problems.push(format!(
                    "{file}:{}: cites `{hit}`, a file outside the repository; cite the provider's documentation",
                    i + 1
                ));
            }
        }
    }
}

/// ARCHITECTURE.md's code map names every crate of the workspace.
fn check_architecture_map(root: &Path, problems: &mut Vec<String>) {
    let map = read(&root.join("ARCHITECTURE.md"));
    let Ok(entries) = fs::read_dir(root.join("crates")) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !map.contains(&name.to_string()) {
            problems.push(format!(
                "ARCHITECTURE.md: the code map does not mention crates/{name}"
            ));
        }
    }
}

/// The providers, read from the facade's features (`NAME = ["dep:pagos-NAME"]`): the
/// one list a new provider is added to.
pub fn provider_names(root: &Path) -> Result<Vec<String>> {
    let manifest = fs::read_to_string(root.join("facade/Cargo.toml"))
        .map_err(|e| format!("cannot read facade/Cargo.toml: {e}"))?;
    let mut names = Vec::new();
    let mut in_features = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        if !in_features {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if value.contains(&format!("\"dep:pagos-{name}\"")) {
            names.push(name.to_string());
        }
    }
    Ok(names)
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_default()
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn tracked_files(root: &Path) -> Vec<String> {
    std::process::Command::new("git")
        .args(["ls-files"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn rust_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.clone(), read(&path)));
            }
        }
    }
    out.sort();
    out
}

/// The lines of `text` with `//` comments cut off (1-based numbers), skipping
/// `#[cfg(test)]` modules at the end of a file: tests may use floats and any name.
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = match line.find("//") {
            // `://` is a URL inside a string, not a comment.
            Some(at) if !line[..at].ends_with(':') => &line[..at],
            _ => line,
        };
        out.push((i + 1, code));
    }
    out
}

/// A float type on a line, except in a serde visitor's `visit_f32`/`visit_f64`, which
/// is where a float JSON number is met (and refused).
fn mentions_float(line: &str) -> bool {
    let visitor = line.contains("fn visit_f64") || line.contains("fn visit_f32");
    !visitor && (mentions_word(line, "f64") || mentions_word(line, "f32"))
}

/// Whether `word` appears in `line` as a whole identifier.
fn mentions_word(line: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rest = line;
    let mut offset = 0;
    while let Some(at) = rest.find(word) {
        let start = offset + at;
        let end = start + word.len();
        let before = line[..start].chars().next_back();
        let after = line[end..].chars().next();
        if !before.is_some_and(is_ident) && !after.is_some_and(is_ident) {
            return true;
        }
        offset = end;
        rest = &line[end..];
    }
    false
}

/// The dependency names a manifest lists (`name = ...` or `name.workspace = true`
/// under any `[*dependencies]` table).
fn dependency_names(manifest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line.ends_with("dependencies]");
            continue;
        }
        if !in_deps || line.starts_with('#') || line.is_empty() {
            continue;
        }
        let key = line
            .split(['=', '.'])
            .next()
            .unwrap_or_default()
            .trim()
            .trim_matches('"');
        if !key.is_empty() {
            out.push(key.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_comments() {
        assert!(mentions_word("let x: f64 = 1.0;", "f64"));
        assert!(!mentions_word("fn visit_f64(self)", "f64"));
        assert!(!mentions_word("let f64s = 1;", "f64"));
        let lines = code_lines("let a = 1; // f64 here\nlet u = \"https://x\";\n#[cfg(test)]\nf64");
        assert_eq!(
            lines,
            vec![(1, "let a = 1; "), (2, "let u = \"https://x\";")]
        );
        let deps = dependency_names(
            "[dependencies]\nreqwest.workspace = true\nserde = { version = \"1\" }\n[features]\nx = []\n",
        );
        assert_eq!(deps, vec!["reqwest", "serde"]);
    }
}
