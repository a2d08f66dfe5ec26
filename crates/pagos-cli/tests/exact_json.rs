//! `--json` is plain serde of the typed answer, and the answer's `raw` keeps the
//! provider's text: amounts such as `1500.50`, `0.10` and a 30-digit number come out of
//! the CLI byte for byte, for every provider (never re-formatted through `f64`).

use std::process::{Output, Stdio};

use pagos_tests::hostile::{HostileServer, Reply, fixtures, routes};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pagos");

/// The texts that must survive; the first two lose their trailing zero through `f64`,
/// the third its digits.
const EXACT: [&str; 3] = ["1500.50", "0.10", "123456789012345678901234567890"];

/// `fixture` with one more member holding the exact numbers (the typed decoding
/// ignores it; the raw answer must keep it).
fn with_exact_numbers(fixture: &str) -> String {
    let fixture = fixture.trim();
    let rest = fixture.strip_prefix('{').expect("a JSON object fixture");
    format!("{{\"pagos_exact\":[{}],{rest}", EXACT.join(","))
}

async fn pagos(server: &HostileServer, args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env_clear().stdin(Stdio::null());
    for (k, v) in pagos_tests::hostile::provider_env(server) {
        command.env(k, v);
    }
    command.output().await.expect("the binary runs")
}

fn assert_exact(provider: &str, out: &Output) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{provider}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `--json` prints one JSON document.
    serde_json::from_str::<serde_json::Value>(&stdout)
        .unwrap_or_else(|e| panic!("{provider}: not JSON ({e}): {stdout}"));
    for exact in EXACT {
        assert!(
            stdout.contains(exact),
            "{provider}: {exact} did not survive to --json: {stdout}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn exact_amounts_survive_to_json_for_every_provider() {
    let server = HostileServer::start().await;
    let id = "gqzdy6chjne9";
    server.route(
        "GET",
        &routes::khipu_payment(id),
        [Reply::json(
            200,
            with_exact_numbers(fixtures::KHIPU_PAYMENT),
        )],
    );
    let out = pagos(&server, &["--json", "khipu", "payments", "get", id]).await;
    assert_exact("khipu", &out);

    let invoice = "inv_live_oFPMsJmgmxBhPiWAoWFZ3n";
    server.route(
        "GET",
        &routes::kashio_invoice(invoice),
        [Reply::json(
            200,
            with_exact_numbers(fixtures::KASHIO_INVOICE),
        )],
    );
    let out = pagos(&server, &["--json", "kashio", "invoices", "get", invoice]).await;
    assert_exact("kashio", &out);

    let order = "ch_ca001318-7f70-47a9-90a2-df3e755d9be3";
    server.route(
        "GET",
        &routes::compropago_order(order),
        [Reply::json(
            200,
            with_exact_numbers(fixtures::COMPROPAGO_ORDER),
        )],
    );
    let out = pagos(&server, &["--json", "compropago", "orders", "get", order]).await;
    assert_exact("compropago", &out);

    server.route(
        "POST",
        routes::KASHPAY_AUTH,
        [Reply::json(200, fixtures::KASHPAY_AUTH)],
    );
    server.route(
        "POST",
        routes::KASHPAY_ORDERS,
        [Reply::json(
            200,
            with_exact_numbers(fixtures::KASHPAY_ORDER),
        )],
    );
    let out = pagos(
        &server,
        &[
            "--json",
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
            "PAY1",
        ],
    )
    .await;
    assert_exact("kashpay", &out);

    server.route(
        "POST",
        routes::TELEPAGOS_TOKEN,
        [Reply::json(200, fixtures::TELEPAGOS_TOKEN)],
    );
    let cash_in = "12345";
    server.route(
        "GET",
        &routes::telepagos_cashin(cash_in),
        [Reply::json(
            200,
            with_exact_numbers(fixtures::TELEPAGOS_CASHIN),
        )],
    );
    let out = pagos(&server, &["--json", "telepagos", "cashin", "get", cash_in]).await;
    assert_exact("telepagos", &out);
}
