//! The `pagos` binary against an in-process sandbox: output, exit codes, the demo and
//! the Khipu signature calculator. Only 127.0.0.1 is touched; nothing sleeps.

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

/// Every `PAGOS_*` variable pointing at `sandbox`, as the CLI reads them.
fn sandbox_env(sandbox: &SandboxHandle) -> Vec<(&'static str, String)> {
    let c = sandbox.credentials().clone();
    let urls = sandbox.base_urls();
    vec![
        ("PAGOS_KHIPU_RECEIVER_ID", c.khipu_receiver_id),
        ("PAGOS_KHIPU_SECRET", c.khipu_secret),
        ("PAGOS_KHIPU_BASE_URL", urls.khipu),
        ("PAGOS_KASHIO_SECRET_KEY", c.kashio_secret_key),
        ("PAGOS_KASHIO_BASE_URL", urls.kashio),
        ("PAGOS_COMPROPAGO_PRIVATE_KEY", c.compropago_private_key),
        ("PAGOS_COMPROPAGO_PUBLIC_KEY", c.compropago_public_key),
        ("PAGOS_COMPROPAGO_BASE_URL", urls.compropago),
        ("PAGOS_KASHPAY_ENTITY", c.kashpay_entity),
        ("PAGOS_KASHPAY_USER", c.kashpay_user),
        ("PAGOS_KASHPAY_PASSWORD", c.kashpay_password),
        ("PAGOS_KASHPAY_AUTH_URL", urls.kashpay.clone()),
        ("PAGOS_KASHPAY_ORDERS_URL", urls.kashpay),
        ("PAGOS_TELEPAGOS_USERNAME", c.telepagos_username),
        ("PAGOS_TELEPAGOS_PASSWORD", c.telepagos_password),
        ("PAGOS_TELEPAGOS_BASE_URL", urls.telepagos),
    ]
}

/// Runs the binary with exactly `env` (nothing inherited) and waits for it.
async fn pagos(args: &[&str], env: &[(&str, String)]) -> Output {
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
    let env = sandbox_env(&sandbox);
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
    let out = pagos(&["--json", "kashio", "invoices", "list", "--all"], &env).await;
    let list: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(list["data"][0]["id"], id.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn validation_error_exits_2_and_sends_nothing() {
    let sandbox = sandbox().await;
    let env = sandbox_env(&sandbox);
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
    let env = sandbox_env(&sandbox);
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
    let env = sandbox_env(&sandbox);
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
    for provider in ["khipu", "kashio", "compropago", "kashpay", "telepagos"] {
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
    assert!(report["steps"].as_array().unwrap().len() >= 8);
}

#[tokio::test(flavor = "multi_thread")]
async fn khipu_sign_prints_the_reference_vector() {
    let env = [
        ("PAGOS_KHIPU_RECEIVER_ID", "1234".to_string()),
        ("PAGOS_KHIPU_SECRET", "abc123".to_string()),
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
    child.kill().await.expect("the child is stopped");
}
