//! `pagos kashio`: the flags of the KashIO fidelity fixes reach the wire, checked on
//! the bytes a scripted loopback server received (phone normalization, sub-merchant,
//! `--size-qr`, `--request-datetime` and the Lima-midnight example, a currency-only
//! update, a list limit above 100). Only 127.0.0.1 is touched; nothing sleeps.

use std::process::{Output, Stdio};

use pagos_tests::hostile::{HostileServer, Reply, fixtures, routes};
use serde_json::{Value, json};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pagos");

async fn pagos(server: &HostileServer, args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env_clear().stdin(Stdio::null());
    for (k, v) in pagos_tests::hostile::provider_env(server) {
        command.env(k, v);
    }
    command.output().await.expect("the binary runs")
}

fn ok(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A server answering every KashIO route with the API document's invoice.
async fn server() -> HostileServer {
    let server = HostileServer::start().await;
    server.fallback([Reply::json(200, fixtures::KASHIO_INVOICE)]);
    server
}

/// The body of the only request the server received at `method path`.
fn body(server: &HostileServer, method: &str, path: &str) -> Value {
    let requests = server.requests(method, path);
    assert_eq!(requests.len(), 1, "{method} {path}: {:?}", server.log());
    serde_json::from_slice(&requests[0].body).expect("a JSON body")
}

const CREATE: [&str; 9] = [
    "kashio",
    "invoices",
    "create",
    "--invoice-id=INV-000001-001",
    "--amount=15.00",
    "--currency=PEN",
    "--customer-name=JUAN PEREZ",
    "--request-datetime=2020-01-01T00:00:00-05:00",
    "--json",
];

#[tokio::test(flavor = "multi_thread")]
async fn create_sends_sub_merchant_size_qr_request_datetime_and_an_e164_phone() {
    let server = server().await;
    let mut args = CREATE.to_vec();
    args.extend([
        "--customer-phone=987 654 321",
        "--due=2020-01-01T23:59:59-05:00",
        "--expires=2020-02-01T00:00:00-05:00",
        "--sub-merchant-name=Cafetería Lima",
        "--sub-merchant-email=pagos@cafeteria.pe",
        "--sub-merchant-logo=https://cafeteria.pe/logo.png",
        "--size-qr=300",
    ]);
    ok(&pagos(&server, &args).await);
    let body = body(&server, "POST", routes::KASHIO_INVOICES);
    assert_eq!(
        body,
        json!({
            "customer": {"name": "JUAN PEREZ", "phone": "+51987654321"},
            "invoice_id": "INV-000001-001",
            // The API document's example: a debt of the 1st of January in Lima.
            "request_datetime": "2020-01-01T05:00:00",
            "due_datetime": "2020-01-02T04:59:59",
            "expiration_datetime": "2020-02-01T05:00:00",
            "sub_merchant": {
                "name": "Cafetería Lima",
                "email": "pagos@cafeteria.pe",
                "logo": "https://cafeteria.pe/logo.png"
            },
            "size_qr": "300",
            "amount": 15.00,
            "currency": "PEN"
        })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn create_normalizes_every_common_phone_form() {
    for (given, sent) in [
        ("+51 987 654 321", "+51987654321"),
        ("987654321", "+51987654321"),
        ("+52 55 1234 5678", "+525512345678"),
    ] {
        let server = server().await;
        let phone = format!("--customer-phone={given}");
        let mut args = CREATE.to_vec();
        args.push(&phone);
        ok(&pagos(&server, &args).await);
        let body = body(&server, "POST", routes::KASHIO_INVOICES);
        assert_eq!(body["customer"]["phone"], sent, "{given}");
        assert!(body.get("sub_merchant").is_none());
        assert!(body.get("size_qr").is_none());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_new_flags_exit_2_naming_the_field_and_send_nothing() {
    let server = server().await;
    for (flag, field) in [
        ("--customer-phone=call me", "customer.phone"),
        ("--customer-phone=+51 987 654 321 ext 2", "customer.phone"),
        ("--sub-merchant-email=pagos@", "sub_merchant.email"),
        (
            "--sub-merchant-logo=ftp://cafeteria.pe/logo.png",
            "sub_merchant.logo",
        ),
        ("--sub-merchant-name= ", "sub_merchant.name"),
        ("--size-qr= ", "size_qr"),
        ("--request-datetime=yesterday", "request_datetime"),
    ] {
        // The flag replaces the one of the same name in CREATE.
        let name = flag.split('=').next().unwrap();
        let mut args: Vec<&str> = CREATE
            .iter()
            .copied()
            .filter(|a| a.split('=').next() != Some(name))
            .collect();
        args.push(flag);
        let out = pagos(&server, &args).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag}: {stderr}");
        assert!(
            stderr.contains(&format!("invalid {field}:")),
            "{flag}: {stderr}"
        );
    }
    for extra in [
        &["--currency=MXN"][..],
        &["--currency=USD", "--amount=1.001"],
    ] {
        let mut args = vec!["kashio", "invoices", "update", "inv_1"];
        args.extend(extra);
        let out = pagos(&server, &args).await;
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
    }
    assert!(server.log().is_empty(), "{:?}", server.log());
}

#[tokio::test(flavor = "multi_thread")]
async fn update_changes_the_currency_alone() {
    let server = server().await;
    let out = pagos(
        &server,
        &[
            "kashio",
            "invoices",
            "update",
            "inv_6hxCf5yj6jAHep3",
            "--currency=USD",
        ],
    )
    .await;
    ok(&out);
    let requests = server.requests("PATCH", &routes::kashio_invoice("inv_6hxCf5yj6jAHep3"));
    assert_eq!(requests.len(), 1, "{:?}", server.log());
    assert_eq!(requests[0].body, br#"{"currency":"USD"}"#);
}

#[tokio::test(flavor = "multi_thread")]
async fn list_sends_a_limit_above_100_and_both_cursor_names() {
    let server = server().await;
    server.route(
        "GET",
        routes::KASHIO_INVOICES,
        [Reply::json(
            200,
            r#"{"object":"list","has_more":false,"data":[]}"#,
        )],
    );
    let out = pagos(
        &server,
        &[
            "kashio",
            "invoices",
            "list",
            "--limit=500",
            "--starting-after=inv_1",
        ],
    )
    .await;
    ok(&out);
    let requests = server.requests("GET", routes::KASHIO_INVOICES);
    assert_eq!(requests.len(), 1, "{:?}", server.log());
    assert!(
        requests[0]
            .target
            .ends_with("?limit=500&start=inv_1&starting_after=inv_1"),
        "{}",
        requests[0].target
    );
}
