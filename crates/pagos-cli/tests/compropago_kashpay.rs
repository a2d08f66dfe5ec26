//! `pagos compropago` and `pagos kashpay` flags that reach the wire: ComproPago phones
//! normalized or refused, Kashpay references sent as given (never hashed) and the
//! Kashpay wire assumptions listed in `--help` and overridable. Against an in-process
//! sandbox on 127.0.0.1; nothing sleeps.

use std::process::{Output, Stdio};

use pagos_sandbox::{SandboxConfig, SandboxHandle};
use serde_json::Value;
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pagos");
const CLABE: &str = "032180000118359719";

async fn sandbox() -> SandboxHandle {
    pagos_sandbox::start(SandboxConfig::builder().build())
        .await
        .expect("the sandbox starts")
}

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

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

const ORDER: &[&str] = &[
    "--json",
    "compropago",
    "orders",
    "create",
    "--product-id=SMGCURL1",
    "--product-name=SAMSUNG GOLD CURL",
    "--amount=150.00",
    "--customer-id=cust-1",
    "--customer-name=Waldix",
    "--customer-email=waldix@compropago.com",
];

#[tokio::test(flavor = "multi_thread")]
async fn compropago_phones_are_normalized_sent_as_shown_or_refused() {
    let sandbox = sandbox().await;
    let env = sandbox.env_vars();
    for (given, sent) in [
        ("+52 55 1234 5678", "5512345678"),
        ("5512345678", "5512345678"),
        ("6666", "6666"),
    ] {
        let phone = format!("--customer-phone={given}");
        let mut args = ORDER.to_vec();
        args.push(&phone);
        let out = pagos(&args, &env).await;
        assert_eq!(code(&out), 0, "{given}: {}", stderr(&out));
        assert_eq!(json(&out)["raw"]["customer"]["phone"], sent, "{given}");
    }
    // The API's own createAccount example, "6666" as is.
    let out = pagos(
        &[
            "--json",
            "compropago",
            "accounts",
            "create",
            "--name=Alamedas de Espana",
            "--reference=153",
            "--customer-name=CONDOVIVE_1234",
            "--customer-email=waldix86@gmail.com",
            "--customer-phone=6666",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["raw"]["customer"]["phone"], "6666");

    sandbox.clear_request_log();
    let mut args = ORDER.to_vec();
    args.push("--customer-phone=+51 987 654 321");
    let out = pagos(&args, &env).await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("invalid customer.phone:"),
        "{}",
        stderr(&out)
    );
    assert!(sandbox.request_log().is_empty());
}

fn kashpay_order<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "--json",
        "kashpay",
        "orders",
        "create",
        "--amount=250.00",
        "--account",
        CLABE,
        "--name=Florentino Eter",
        "--concept=Pago de factura",
        "--numeric-reference=43223123",
        "--alphanumeric-reference=PROVV0011712091",
    ];
    for flag in extra {
        let name = flag.split('=').next().unwrap_or(flag);
        args.retain(|a| !a.starts_with(&format!("{name}=")));
        args.push(flag);
    }
    args
}

#[tokio::test(flavor = "multi_thread")]
async fn kashpay_references_are_sent_as_given_or_refused() {
    let sandbox = sandbox().await;
    let env = sandbox.env_vars();
    // The Kashpay API's own 8-digit example.
    let out = pagos(&kashpay_order(&[]), &env).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let order = json(&out);
    assert_eq!(order["numeric_reference"], "43223123");
    assert_eq!(order["alphanumeric_reference"], "PROVV0011712091");

    sandbox.clear_request_log();
    for bad in ["PAYOUT01", "0043223123", "12345678901"] {
        let flag = format!("--numeric-reference={bad}");
        let out = pagos(&kashpay_order(&[&flag]), &env).await;
        assert_eq!(code(&out), 2, "{bad}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("invalid numeric_reference:"), "{bad}: {err}");
        assert!(err.contains("1 to 10 digits"), "{bad}: {err}");
    }
    assert!(
        sandbox.request_log().is_empty(),
        "{:?}",
        sandbox.request_log()
    );
    // Told 11 digits, the CLI sends it as given; the sandbox (10 at most) refuses it.
    let out = pagos(
        &kashpay_order(&[
            "--numeric-reference=12345678901",
            "--assume-numeric-reference-max-digits=11",
        ]),
        &env,
    )
    .await;
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("numericReference"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kashpay_help_lists_the_wire_assumptions_and_their_defaults() {
    let out = pagos(&["kashpay", "orders", "create", "--help"], &[]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let help = stdout(&out);
    assert!(help.contains("Wire assumptions"), "{help}");
    for (flag, default) in [
        ("--assume-alphanumeric-reference", "letters-digits"),
        ("--assume-concept-max-chars", "40"),
        ("--assume-date-format", "ddMMyy"),
        ("--assume-clabe-code", "40"),
        ("--assume-debit-card-code", "3"),
        ("--assume-mobile-phone-code", "10"),
        ("--assume-numeric-reference-max-digits", "10"),
    ] {
        let heading = format!("      {flag} <");
        let at = help
            .find(&heading)
            .unwrap_or_else(|| panic!("{flag} missing:\n{help}"));
        let rest = &help[at + heading.len()..];
        let entry = &rest[..rest.find("\n      --").unwrap_or(rest.len())];
        assert!(
            entry.contains(&format!("[default: {default}]")),
            "{flag}: {entry}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn kashpay_assumption_flags_reach_the_wire() {
    let sandbox = sandbox().await;
    let env = sandbox.env_vars();
    let concept_41 = format!("--concept={}", "x".repeat(41));
    // The default refuses a 41-character concept before sending...
    sandbox.clear_request_log();
    let out = pagos(&kashpay_order(&[&concept_41]), &env).await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("invalid concept:"),
        "{}",
        stderr(&out)
    );
    assert!(sandbox.request_log().is_empty());
    // ...told 41, the CLI sends it, and the sandbox (SPEI's 40) refuses it.
    let out = pagos(
        &kashpay_order(&[&concept_41, "--assume-concept-max-chars=41"]),
        &env,
    )
    .await;
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("concept"), "{}", stderr(&out));
    // The CLABE code: the sandbox knows 40, 3 and 10 only.
    let out = pagos(&kashpay_order(&["--assume-clabe-code=41"]), &env).await;
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("beneficiaryTypeAcount"),
        "{}",
        stderr(&out)
    );
    // Printable alphanumeric references and another date format are sent.
    let out = pagos(
        &kashpay_order(&[
            "--alphanumeric-reference=PROV-001",
            "--assume-alphanumeric-reference=printable",
            "--assume-date-format=yyMMdd",
            "--date=2030-01-15",
        ]),
        &env,
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["alphanumeric_reference"], "PROV-001");
    // A format the SDK does not know is refused by name.
    let out = pagos(&kashpay_order(&["--assume-date-format=ddyymm"]), &env).await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("invalid assume_date_format:"),
        "{}",
        stderr(&out)
    );
}
