//! The `pagos` binary against an in-process sandbox: output, exit codes (with a table
//! of invalid invocations across the providers), the demo and the Khipu signature
//! calculator. Only 127.0.0.1 is touched; nothing sleeps.

use std::process::{Output, Stdio};
use std::time::Duration;

use pagos_sandbox::{SandboxConfig, SandboxHandle};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pagos");

async fn sandbox() -> SandboxHandle {
    pagos_sandbox::start(SandboxConfig::builder().build())
        .await
        .expect("the sandbox starts")
}

/// Runs the binary with exactly `env` (nothing inherited) and waits for it. A sandbox's
/// variables are [`SandboxHandle::env_vars`].
async fn pagos(args: &[&str], env: &[(String, String)]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env_clear().stdin(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().await.expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

#[tokio::test(flavor = "multi_thread")]
async fn success_prints_one_json_document() {
    let sandbox = sandbox().await;
    let env = sandbox.env_vars();
    let out = pagos(
        &[
            "--json",
            "kashio",
            "invoices",
            "create",
            "--invoice-id",
            "INV-000001-001",
            "--amount",
            "15.00",
            "--currency",
            "PEN",
            "--customer-name",
            "JUAN PEREZ",
            "--metadata",
            "order_name=Deuda Enero",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let invoice: Value = serde_json::from_str(&text).expect("one JSON document");
    let id = invoice["id"].as_str().expect("an id").to_string();
    assert_eq!(invoice["invoice_id"], "INV-000001-001");
    // The provider's answer is printed as received: the amount keeps its digits.
    assert!(text.contains("15.00"), "{text}");

    let out = pagos(&["kashio", "invoices", "get", &id, "--json"], &env).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let fetched: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(fetched["id"], id.as_str());

    // Human output: aligned key/value lines.
    let out = pagos(&["kashio", "invoices", "get", &id], &env).await;
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.starts_with("id ") && l.ends_with(&id)),
        "{}",
        stdout(&out)
    );

    // A list as a table, and as JSON.
    let out = pagos(&["kashio", "invoices", "list", "--status", "pending"], &env).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("ID "), "{}", stdout(&out));
    assert!(stdout(&out).contains(&id));
    // Every item of every page: the typed invoices, each with KashIO's text as `raw`.
    let out = pagos(&["--json", "kashio", "invoices", "list", "--all"], &env).await;
    let list: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["raw"]["id"], id.as_str());
    // One page: the typed page, and KashIO's page as received.
    let out = pagos(&["--json", "kashio", "invoices", "list"], &env).await;
    let page: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(page["items"][0]["id"], id.as_str());
    assert_eq!(page["raw"]["data"][0]["id"], id.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn validation_error_exits_2_and_sends_nothing() {
    let sandbox = sandbox().await;
    let env = sandbox.env_vars();
    sandbox.clear_request_log();
    // A CVU with a wrong check digit.
    let out = pagos(
        &[
            "telepagos",
            "cashout",
            "create",
            "--cvu",
            "2850590940090418135202",
            "--cuit",
            "20267565393",
            "--amount",
            "10.50",
            "--reference-id",
            "ref-1",
            "--concept",
            "VAR",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("cvu"), "{}", stderr(&out));
    // Too many decimals for CLP, caught before anything is built.
    let out = pagos(
        &[
            "khipu",
            "payments",
            "create",
            "--subject",
            "Test",
            "--amount",
            "1000.5",
            "--currency",
            "CLP",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("amount"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    // A Kashpay reference with a '-'.
    let out = pagos(
        &[
            "kashpay",
            "orders",
            "create",
            "--amount",
            "250.00",
            "--account",
            "032180000118359719",
            "--name",
            "Florentino Eter",
            "--concept",
            "Pago",
            "--numeric-reference",
            "1234567",
            "--alphanumeric-reference",
            "PAY-1",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("alphanumeric_reference"),
        "{}",
        stderr(&out)
    );
    assert!(
        sandbox.request_log().is_empty(),
        "nothing may reach the sandbox: {:?}",
        sandbox.request_log()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_error_exits_3_with_the_message_and_no_secret() {
    let sandbox = sandbox().await;
    let env = sandbox.env_vars();
    let out = pagos(&["kashio", "invoices", "get", "inv_does_not_exist"], &env).await;
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("kashio get_invoice failed with HTTP 404"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
    let out = pagos(&["khipu", "payments", "get", "nonexistent12"], &env).await;
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    for (name, value) in &env {
        if name.contains("SECRET") || name.contains("PASSWORD") || name.contains("KEY") {
            assert!(!stderr(&out).contains(value.as_str()), "{name} leaked");
            assert!(!err.contains(value.as_str()), "{name} leaked");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unreachable_base_url_exits_4() {
    let sandbox = sandbox().await;
    let env = sandbox.env_vars();
    // A port that was just free: nothing listens on it.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{closed}/v1/payments");
    let out = pagos(
        &[
            "--timeout",
            "5",
            "kashio",
            "--base-url",
            &base,
            "invoices",
            "get",
            "inv_1",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(stderr(&out).contains("not sent"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("resend: safe to run the same command again"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_configuration_exits_2_naming_the_variable() {
    let out = pagos(&["kashio", "invoices", "get", "inv_1"], &[]).await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("PAGOS_KASHIO_SECRET_KEY"),
        "{}",
        stderr(&out)
    );
    let out = pagos(&["telepagos", "account", "balance"], &[]).await;
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("PAGOS_TELEPAGOS_USERNAME"),
        "{}",
        stderr(&out)
    );
    // clap's own usage errors exit 2 as well.
    let out = pagos(&["kashio", "invoices", "frobnicate"], &[]).await;
    assert_eq!(code(&out), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_runs_every_life_cycle_and_exits_0() {
    let out = pagos(&["demo"], &[]).await;
    let text = stdout(&out);
    assert_eq!(code(&out), 0, "{text}\n{}", stderr(&out));
    assert!(text.starts_with("PROVIDER"), "{text}");
    for provider in pagos::registry().iter().map(|d| d.name) {
        assert!(
            text.lines().any(|l| l.starts_with(provider)),
            "{provider}: {text}"
        );
    }
    assert!(!text.contains("FAILED"), "{text}");
    // Piped stderr: no progress lines.
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));

    let out = pagos(&["--json", "demo", "--only", "khipu"], &[]).await;
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["ok"], true);
    let steps = report["steps"].as_array().unwrap();
    // Khipu API 2.0 (9 steps), API 3.0 through the unified trait (7), PAC (7).
    let count = |provider: &str| steps.iter().filter(|s| s["provider"] == provider).count();
    assert_eq!(
        (count("khipu"), count("khipu 3.0"), count("khipu PAC")),
        (9, 7, 7),
        "{report}"
    );
    assert_eq!(steps.len(), 23, "{report}");
    assert!(steps.iter().all(|s| s["ok"] == true), "{report}");
    let got = |provider: &str, step: &str| {
        steps
            .iter()
            .find(|s| s["provider"] == provider && s["step"].as_str().unwrap().starts_with(step))
            .map(|s| s["got"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no step {provider} / {step}: {report}"))
    };
    // 2.0 really ran API 2.0 (the 1.3 notification), 3.0 verified by signature.
    assert_eq!(
        got("khipu", "notification POSTed to notify_url"),
        "api_version=1.3"
    );
    assert_eq!(
        got("khipu 3.0", "verify_notification"),
        "succeeded, by signature"
    );
    assert_eq!(got("khipu 3.0", "fetch payment"), "partially_refunded");
    assert_eq!(
        got("khipu PAC", "fetch the charge's payment"),
        "direct_debit, 15000 CLP, pending"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn providers_lists_the_registry_and_never_a_value() {
    let secret = "sk_test_never_printed";
    let env = [("PAGOS_KASHIO_SECRET_KEY".to_string(), secret.to_string())];
    let out = pagos(&["--json", "providers"], &env).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains(secret), "{text}");
    let listed: Value = serde_json::from_str(&text).unwrap();
    let listed = listed["providers"].as_array().unwrap();
    assert_eq!(listed.len(), pagos::registry().len());
    for (entry, descriptor) in listed.iter().zip(pagos::registry()) {
        assert_eq!(entry["name"], descriptor.name);
        assert_eq!(entry["title"], descriptor.title);
        let caps: Vec<&str> = descriptor
            .capabilities
            .iter()
            .map(|op| op.as_str())
            .collect();
        assert_eq!(entry["capabilities"], serde_json::json!(caps));
        let vars = entry["env"].as_array().unwrap();
        assert_eq!(vars.len(), descriptor.env.len(), "{}", descriptor.name);
        for (v, var) in vars.iter().zip(descriptor.env) {
            assert_eq!(v["name"], var.name);
            assert_eq!(v["required"], var.required);
            assert_eq!(v["secret"], var.secret);
            assert_eq!(v["set"], var.name == "PAGOS_KASHIO_SECRET_KEY");
        }
        // Only KashIO has what it needs; the others name what they miss.
        assert_eq!(entry["ready"], descriptor.name == "kashio", "{entry}");
        if descriptor.name != "kashio" {
            let problem = entry["problem"].as_str().unwrap();
            assert!(
                descriptor.required_vars().any(|v| problem.contains(v)),
                "{problem}"
            );
        }
    }

    // Text: one section per provider, no value either.
    let out = pagos(&["providers", "KASHIO"], &env).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("PAGOS_KASHIO_SECRET_KEY"), "{text}");
    assert!(text.contains("ready       yes"), "{text}");
    assert!(!text.contains(secret), "{text}");

    let out = pagos(&["providers", "stripe"], &[]).await;
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cargo feature"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn khipu_sign_prints_the_reference_vector() {
    let env = [
        ("PAGOS_KHIPU_RECEIVER_ID".to_string(), "1234".to_string()),
        ("PAGOS_KHIPU_SECRET".to_string(), "abc123".to_string()),
    ];
    let out = pagos(
        &[
            "khipu",
            "sign",
            "--method",
            "POST",
            "--url",
            "https://khipu.com/api/2.0/payments",
            "--param",
            "subject=Test",
            "--param",
            "currency=CLP",
            "--param",
            "amount=1000",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "POST&https%3A%2F%2Fkhipu.com%2Fapi%2F2.0%2Fpayments&amount=1000&currency=CLP&subject=Test"
        ),
        "{text}"
    );
    assert!(
        text.contains("1234:59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659"),
        "{text}"
    );
    assert!(
        !text.contains("abc123"),
        "the secret must not be printed: {text}"
    );

    let out = pagos(
        &[
            "--json",
            "khipu",
            "sign",
            "--url",
            "https://khipu.com/api/2.0/payments?notification_token=XYZ",
        ],
        &env,
    )
    .await;
    let signed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        signed["string_to_sign"],
        "GET&https%3A%2F%2Fkhipu.com%2Fapi%2F2.0%2Fpayments&notification_token=XYZ"
    );
    assert_eq!(
        signed["signature"],
        "1b8a311b0ae3de5db79964400a7b4936a4f7007ae82c440fa16027c389ef095d"
    );

    let out = pagos(
        &["khipu", "sign", "--url", "https://khipu.com/api/2.0/banks"],
        &[],
    )
    .await;
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("PAGOS_KHIPU_RECEIVER_ID"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_command_prints_urls_and_credentials() {
    let mut child = Command::new(BIN)
        .args(["sandbox", "--port", "0"])
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    let read = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            seen.push_str(&line);
            seen.push('\n');
            if line.contains("PAGOS_TELEPAGOS_PASSWORD=") {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .expect("the sandbox prints its summary");
    assert!(seen.contains("/khipu/api/2.0"), "{seen}");
    assert!(seen.contains("/kashio/v1/payments"), "{seen}");
    assert!(seen.contains("PAGOS_KHIPU_SECRET=abc123"), "{seen}");
    assert!(seen.contains("/khipu_v3\n"), "{seen}");
    assert!(
        seen.contains("export PAGOS_KHIPU_V3_BASE_URL=http://127.0.0.1:"),
        "{seen}"
    );
    assert!(seen.contains("export PAGOS_KHIPU_API_KEY="), "{seen}");
    child.kill().await.expect("the child is stopped");
}

/// A flag written without a value (`--send-email`) by [`invocation`].
const SWITCH: &str = "\u{0}switch";

/// `command` followed by `flags`, where each of `changes` replaces the flag of the same
/// name or is added. Flags are written `--flag=value`, so a value may start with `-`
/// (`--amount=-5`) or be empty; a value of [`SWITCH`] writes the bare flag.
fn invocation(command: &[&str], flags: &[(&str, &str)], changes: &[(&str, &str)]) -> Vec<String> {
    let mut all: Vec<(&str, &str)> = flags.to_vec();
    for (flag, value) in changes {
        match all.iter_mut().find(|(f, _)| f == flag) {
            Some(slot) => slot.1 = value,
            None => all.push((flag, value)),
        }
    }
    command
        .iter()
        .map(|s| s.to_string())
        .chain(all.into_iter().map(|(flag, value)| {
            if value == SWITCH {
                flag.to_string()
            } else {
                format!("{flag}={value}")
            }
        }))
        .collect()
}

const CLABE: &str = "032180000118359719";
const CVU: &str = "2850590940090418135201";
const CUIT: &str = "20267565393";

fn khipu_payment(changes: &[(&str, &str)]) -> Vec<String> {
    invocation(
        &["khipu", "payments", "create"],
        &[
            ("--subject", "Orden 42"),
            ("--amount", "1000"),
            ("--currency", "CLP"),
        ],
        changes,
    )
}

fn khipu_receiver(changes: &[(&str, &str)]) -> Vec<String> {
    invocation(
        &["khipu", "receivers", "create"],
        &[
            ("--admin-first-name", "Ana"),
            ("--admin-last-name", "Pérez"),
            ("--admin-email", "ana@example.cl"),
            ("--business-identifier", "76086428-5"),
            ("--business-category", "Comercio"),
            ("--business-name", "Tienda SpA"),
            ("--business-phone", "+56912345678"),
            ("--business-address-line-1", "Av. Siempre Viva 742"),
            ("--business-address-line-2", "Santiago"),
            ("--business-address-line-3", "Chile"),
            ("--contact-full-name", "Ana Pérez"),
            ("--contact-job-title", "Gerente"),
            ("--contact-email", "contacto@example.cl"),
            ("--contact-phone", "+56912345678"),
        ],
        changes,
    )
}

fn kashio_invoice(changes: &[(&str, &str)]) -> Vec<String> {
    invocation(
        &["kashio", "invoices", "create"],
        &[
            ("--invoice-id", "INV-000001-001"),
            ("--amount", "15.00"),
            ("--currency", "PEN"),
            ("--customer-name", "JUAN PEREZ"),
        ],
        changes,
    )
}

fn compropago_order(changes: &[(&str, &str)]) -> Vec<String> {
    invocation(
        &["compropago", "orders", "create"],
        &[
            ("--product-id", "SMGCURL1"),
            ("--product-name", "SAMSUNG GOLD CURL"),
            ("--amount", "150.00"),
            ("--customer-id", "cust-1"),
            ("--customer-name", "Waldix"),
            ("--customer-email", "waldix@compropago.com"),
        ],
        changes,
    )
}

fn compropago_clabe(changes: &[(&str, &str)]) -> Vec<String> {
    invocation(
        &["compropago", "clabes", "create"],
        &[
            ("--customer-id", "cust-1"),
            ("--customer-email", "customer@email.com"),
        ],
        changes,
    )
}

fn compropago_account(changes: &[(&str, &str)]) -> Vec<String> {
    invocation(
        &["compropago", "accounts", "create"],
        &[
            ("--name", "Alamedas de Espana"),
            ("--reference", "153"),
            ("--customer-name", "CONDOVIVE_1234"),
            ("--customer-email", "waldix86@gmail.com"),
        ],
        changes,
    )
}

fn kashpay_order(changes: &[(&str, &str)]) -> Vec<String> {
    invocation(
        &["kashpay", "orders", "create"],
        &[
            ("--amount", "250.00"),
            ("--account", CLABE),
            ("--name", "Florentino Eter"),
            ("--concept", "Pago de factura"),
            ("--numeric-reference", "1234567"),
            ("--alphanumeric-reference", "PAY0001"),
        ],
        changes,
    )
}

fn telepagos_cashout(changes: &[(&str, &str)]) -> Vec<String> {
    invocation(
        &["telepagos", "cashout", "create"],
        &[
            ("--cvu", CVU),
            ("--cuit", CUIT),
            ("--amount", "10.50"),
            ("--reference-id", "ref-0001"),
        ],
        changes,
    )
}

fn telepagos_cashout_to_alias(changes: &[(&str, &str)]) -> Vec<String> {
    invocation(
        &["telepagos", "cashout", "create"],
        &[
            ("--cuit", CUIT),
            ("--amount", "10.50"),
            ("--reference-id", "ref-0001"),
        ],
        changes,
    )
}

fn telepagos_link(changes: &[(&str, &str)]) -> Vec<String> {
    // A day from now, as epoch seconds.
    let tomorrow = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        + 86_400;
    invocation(
        &["telepagos", "cashin", "payment-link"],
        &[
            ("--amount", "100.00"),
            ("--concept", "Cuota marzo"),
            ("--expires", &tomorrow.to_string()),
        ],
        changes,
    )
}

fn telepagos_transfer_link(changes: &[(&str, &str)]) -> Vec<String> {
    invocation(
        &["telepagos", "cashin", "transfer-link"],
        &[
            ("--cvu", CVU),
            ("--cuit", CUIT),
            ("--amount", "100.00"),
            ("--concept", "Cuota marzo"),
        ],
        changes,
    )
}

fn telepagos_transactions(changes: &[(&str, &str)]) -> Vec<String> {
    invocation(
        &["telepagos", "account", "transactions"],
        &[("--from", "2024-03-01"), ("--to", "2024-03-31")],
        changes,
    )
}

/// What standard error must contain.
#[derive(Debug)]
enum Names {
    /// A validation error (SDK or CLI) on this field: `invalid FIELD: …`.
    Field(&'static str),
    /// A usage error from clap naming this flag: the command line cannot even express
    /// the input (e.g. both `--cvu` and `--alias`).
    Flag(&'static str),
}

/// One invalid invocation and the name its error must carry.
#[derive(Debug)]
struct Invalid {
    args: Vec<String>,
    names: Names,
}

fn field(args: Vec<String>, field: &'static str) -> Invalid {
    Invalid {
        args,
        names: Names::Field(field),
    }
}

fn flag(args: Vec<String>, flag: &'static str) -> Invalid {
    Invalid {
        args,
        names: Names::Flag(flag),
    }
}

fn args(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

fn invalid_invocations() -> Vec<Invalid> {
    let long_email = format!("{}@example.com", "a".repeat(65));
    let concept_41 = "x".repeat(41);
    vec![
        // Khipu
        field(khipu_payment(&[("--subject", " ")]), "subject"),
        field(khipu_payment(&[("--amount", "0")]), "amount"),
        field(khipu_payment(&[("--amount", "-1000")]), "amount"),
        field(khipu_payment(&[("--amount", "1000.5")]), "amount"),
        field(khipu_payment(&[("--amount", "1,000")]), "amount"),
        field(
            khipu_payment(&[("--amount", "12345678901234567")]),
            "amount",
        ),
        field(khipu_payment(&[("--currency", "XYZ")]), "currency"),
        field(
            khipu_payment(&[("--payer-email", "ana@example")]),
            "payer_email",
        ),
        field(khipu_payment(&[("--return-url", "/gracias")]), "return_url"),
        field(
            khipu_payment(&[("--notify-url", "ftp://tienda.cl/notify")]),
            "notify_url",
        ),
        field(
            khipu_payment(&[("--fixed-payer-personal-identifier", "76086428-4")]),
            "fixed_payer_personal_identifier",
        ),
        field(
            khipu_payment(&[("--expires-date", "tomorrow")]),
            "expires_date",
        ),
        field(
            khipu_payment(&[("--confirm-timeout-date", "2024-13-01T00:00:00")]),
            "confirm_timeout_date",
        ),
        field(
            khipu_payment(&[("--integrator-fee", "1.5")]),
            "integrator_fee",
        ),
        field(
            khipu_payment(&[("--send-email", SWITCH), ("--payer-name", "Ana")]),
            "payer_email",
        ),
        field(
            args(&[
                "khipu",
                "payments",
                "refund",
                "abc123xyz789",
                "--amount=0",
                "--currency=CLP",
            ]),
            "amount",
        ),
        field(
            khipu_receiver(&[("--business-identifier", "76086428-6")]),
            "business_identifier",
        ),
        field(khipu_receiver(&[("--country-code", "CHL")]), "country_code"),
        field(
            khipu_receiver(&[("--admin-email", "ana.example.cl")]),
            "admin_email",
        ),
        field(
            khipu_receiver(&[("--rendition-url", "not a url")]),
            "rendition_url",
        ),
        // KashIO
        field(kashio_invoice(&[("--currency", "MXN")]), "currency"),
        field(kashio_invoice(&[("--amount", "15.001")]), "amount"),
        field(kashio_invoice(&[("--amount", "0")]), "amount"),
        field(kashio_invoice(&[("--invoice-id", " ")]), "invoice_id"),
        field(
            kashio_invoice(&[("--customer-email", "juan@")]),
            "customer.email",
        ),
        field(
            kashio_invoice(&[("--customer-email", &long_email)]),
            "customer.email",
        ),
        field(
            kashio_invoice(&[("--customer-phone", "98765432x")]),
            "customer.phone",
        ),
        field(
            kashio_invoice(&[("--customer-phone", "+5198765432101234")]),
            "customer.phone",
        ),
        field(
            kashio_invoice(&[("--url-success", "notaurl")]),
            "url_success",
        ),
        field(
            kashio_invoice(&[("--due", "2000-01-01T00:00:00")]),
            "due_datetime",
        ),
        field(kashio_invoice(&[("--expires", "31/12/2030")]), "expires"),
        field(args(&["kashio", "invoices", "list", "--limit=0"]), "limit"),
        field(args(&["kashio", "events", "list", "--limit=0"]), "limit"),
        field(
            args(&["kashio", "invoices", "list", "--date=2024-02-30"]),
            "date",
        ),
        field(
            args(&[
                "kashio",
                "invoices",
                "update",
                "inv_1",
                "--amount=-1",
                "--currency=PEN",
            ]),
            "amount",
        ),
        // ComproPago
        field(compropago_order(&[("--currency", "USD")]), "product.price"),
        field(compropago_order(&[("--amount", "0")]), "product.price"),
        field(compropago_order(&[("--amount", "150.555")]), "amount"),
        field(
            compropago_order(&[("--customer-email", "waldix")]),
            "customer.email",
        ),
        field(
            compropago_order(&[("--customer-phone", "+51 987 654 321")]),
            "customer.phone",
        ),
        field(
            compropago_order(&[("--product-url", "ftp://x")]),
            "product.url",
        ),
        field(compropago_order(&[("--product-name", " ")]), "product.name"),
        field(compropago_order(&[("--expires-at", "never")]), "expires_at"),
        field(
            compropago_clabe(&[("--customer-email", "customer@")]),
            "customer.email",
        ),
        field(compropago_clabe(&[("--amount", "0")]), "amount"),
        field(
            compropago_clabe(&[("--customer-phone", "55138998321")]),
            "customer.phone",
        ),
        field(
            compropago_account(&[("--customer-email", "waldix86")]),
            "customer.email",
        ),
        field(compropago_account(&[("--name", " ")]), "name"),
        field(
            args(&[
                "compropago",
                "accounts",
                "transactions",
                "acc_1",
                "--clabe=032180000118359718",
            ]),
            "clabe",
        ),
        field(
            args(&[
                "compropago",
                "accounts",
                "transactions",
                "acc_1",
                "--clabe=0321800001183597190",
            ]),
            "clabe",
        ),
        // Kashpay
        field(
            kashpay_order(&[("--account", "646180585000000001")]),
            "beneficiary_account",
        ),
        field(
            kashpay_order(&[("--account", "03218000011835971")]),
            "beneficiary_account",
        ),
        field(
            kashpay_order(&[
                ("--account-type", "mobile-phone"),
                ("--account", "551234567"),
            ]),
            "beneficiary_account",
        ),
        field(kashpay_order(&[("--currency", "USD")]), "currency"),
        field(kashpay_order(&[("--amount", "0")]), "amount"),
        field(kashpay_order(&[("--amount", "250.001")]), "amount"),
        field(kashpay_order(&[("--name", " ")]), "beneficiary_name"),
        field(kashpay_order(&[("--email", "a@b")]), "email"),
        field(kashpay_order(&[("--postal-code", "1234")]), "postal_code"),
        field(kashpay_order(&[("--concept", &concept_41)]), "concept"),
        field(kashpay_order(&[("--concept", " ")]), "concept"),
        field(
            kashpay_order(&[("--alphanumeric-reference", "PAY-1")]),
            "alphanumeric_reference",
        ),
        field(
            kashpay_order(&[("--bank-code", "BBVA")]),
            "code_institute_bank",
        ),
        field(kashpay_order(&[("--date", "2024-02-30")]), "date"),
        // TelePagos
        field(
            telepagos_cashout(&[("--cvu", "2850590940090418135202")]),
            "cvu",
        ),
        field(
            telepagos_cashout(&[("--cvu", "28505909400904181352010")]),
            "cvu",
        ),
        field(telepagos_cashout(&[("--cuit", "20267565394")]), "cuit"),
        field(telepagos_cashout(&[("--cuit", "2026756539")]), "cuit"),
        field(telepagos_cashout(&[("--amount", "0")]), "amount"),
        field(telepagos_cashout(&[("--amount", "10.505")]), "amount"),
        field(telepagos_cashout(&[("--currency", "USD")]), "amount"),
        field(telepagos_cashout(&[("--concept", " ")]), "concept"),
        field(
            telepagos_cashout(&[("--reference-id", " ")]),
            "reference_id",
        ),
        // Both or neither of --cvu and --alias: clap refuses the command line itself.
        flag(telepagos_cashout(&[("--alias", "mi.alias.mp")]), "--alias"),
        flag(telepagos_cashout_to_alias(&[]), "--cvu"),
        field(telepagos_cashout_to_alias(&[("--alias", "ab")]), "alias"),
        field(
            telepagos_link(&[("--expires", "2000-01-01T00:00:00")]),
            "expiration_date",
        ),
        field(telepagos_link(&[("--expires", "soon")]), "expires"),
        field(
            telepagos_link(&[("--distribute", "2850590940090418135202=10.00")]),
            "distribution.cvu",
        ),
        field(
            telepagos_link(&[("--distribute", &format!("{CVU}=100.01"))]),
            "distribution.amount",
        ),
        field(
            telepagos_link(&[("--distribute", &format!("{CVU}=diez"))]),
            "distribute",
        ),
        field(
            telepagos_transfer_link(&[("--cuit", "202675653931")]),
            "cuit",
        ),
        field(
            telepagos_transfer_link(&[("--cvu", "285059094009041813520")]),
            "cvu",
        ),
        field(
            args(&[
                "telepagos",
                "cashin",
                "qr",
                "--amount=100.00",
                "--concept= ",
            ]),
            "concept",
        ),
        field(
            telepagos_transactions(&[("--from", "2024-03-31"), ("--to", "2024-03-01")]),
            "date_from",
        ),
        field(telepagos_transactions(&[("--from", "2024-3-1")]), "from"),
        field(telepagos_transactions(&[("--page", "0")]), "page"),
        field(
            telepagos_link(&[("--description", "Cuota de marzo")]),
            "description",
        ),
        field(
            args(&[
                "telepagos",
                "sale-points",
                "order",
                "--sale-point-id=1",
                "--amount=0",
                "--concept=Cuota marzo",
            ]),
            "amount",
        ),
        field(args(&["telepagos", "statistics", " "]), "period"),
        // Ids that would change the request path, each refused under its own name.
        field(args(&["khipu", "payments", "get", ".."]), "payment_id"),
        field(
            args(&["khipu", "payments", "delete", "%2e%2e"]),
            "payment_id",
        ),
        field(args(&["kashio", "invoices", "get", ".."]), "invoice_id"),
        field(args(&["kashio", "events", "get", "."]), "event_id"),
        field(args(&["compropago", "orders", "get", ".."]), "order_id"),
        field(
            args(&["compropago", "accounts", "subaccounts", ".."]),
            "account_id",
        ),
        field(args(&["telepagos", "cashin", "get", ".."]), "cashin_id"),
        field(
            args(&["telepagos", "cashout", "voucher", ".."]),
            "cashout_id",
        ),
        field(args(&["telepagos", "statistics", ".."]), "period"),
        // Notifications: the forged id is refused, and the order is required.
        field(
            args(&[
                "khipu",
                "notification",
                "verify",
                "--body=api_version=1.3&notification_token=..",
                "--amount=1000",
                "--transaction-id=orden-42",
            ]),
            "notification_token",
        ),
        flag(
            args(&[
                "khipu",
                "notification",
                "verify",
                "--body=api_version=1.3&notification_token=abc",
                "--amount=1000",
            ]),
            "--transaction-id",
        ),
        field(
            args(&[
                "kashio",
                "events",
                "confirm",
                "..",
                "--amount=15.00",
                "--invoice-id=INV-1",
            ]),
            "event_id",
        ),
        flag(
            args(&["kashio", "events", "confirm", "eve_1", "--amount=15.00"]),
            "--invoice-id",
        ),
        field(
            args(&[
                "compropago",
                "webhook",
                "confirm",
                r#"--body={"id":".."}"#,
                "--amount=150.00",
                "--product-id=orden-42",
            ]),
            "webhook.id",
        ),
        flag(
            args(&[
                "compropago",
                "webhook",
                "confirm",
                r#"--body={"id":"ch_1"}"#,
                "--amount=150.00",
            ]),
            "--product-id",
        ),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_inputs_exit_2_naming_the_field_and_send_nothing() {
    use futures_util::StreamExt as _;

    let sandbox = sandbox().await;
    let env = sandbox.env_vars();
    sandbox.clear_request_log();
    let cases = invalid_invocations();
    assert!(cases.len() >= 40, "only {} invocations", cases.len());
    for provider in ["khipu", "kashio", "compropago", "kashpay", "telepagos"] {
        let n = cases.iter().filter(|c| c.args[0] == provider).count();
        assert!(n >= 5, "{provider}: only {n} invocations");
    }

    // A few processes at a time: the machine may have only two cores.
    let started = std::time::Instant::now();
    let outputs: Vec<(Invalid, Output)> = futures_util::stream::iter(cases)
        .map(|case| {
            let env = &env;
            async move {
                let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
                let out = pagos(&args, env).await;
                (case, out)
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let elapsed = started.elapsed();

    let mut problems = Vec::new();
    for (case, out) in &outputs {
        let err = stderr(out);
        let needle = match case.names {
            Names::Field(f) => format!("invalid {f}:"),
            Names::Flag(f) => f.to_string(),
        };
        if code(out) != 2 || !err.contains(&needle) || !out.stdout.is_empty() {
            problems.push(format!(
                "pagos {}\n  exit {}, expected 2 and stderr containing {needle:?}\n  stderr: {}  stdout: {}",
                case.args.join(" "),
                code(out),
                err.trim_end(),
                stdout(out).trim_end()
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} invocations failed:\n{}",
        problems.len(),
        outputs.len(),
        problems.join("\n")
    );
    assert!(
        sandbox.request_log().is_empty(),
        "nothing may reach the sandbox, not even authentication: {:?}",
        sandbox.request_log()
    );
    assert!(
        elapsed < Duration::from_secs(20),
        "{} invocations took {elapsed:?}",
        outputs.len()
    );
}
