//! The `pagos` binary against the hostile provider (`pagos_tests::hostile`): exit codes
//! when the answer lies about the outcome (class 9 of the hostile-provider suite), and
//! which proxy the CLI uses (class 5). The proxy variables are set only in the child
//! process's environment: the test process never changes its own.
//!
//! Exit codes: 0 ok, 2 rejected before sending, 3 the provider said no, 4 network
//! failure or unknown outcome. Only 127.0.0.1 is touched; nothing sleeps.

use std::process::{Output, Stdio};

use pagos_tests::hostile::{HostileServer, Reply, fixtures, routes};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pagos");

/// Runs the binary with exactly the server's `PAGOS_*` variables plus `extra`
/// (nothing inherited, so no proxy variable of the machine running the tests leaks in).
async fn pagos(server: &HostileServer, args: &[&str], extra: &[(&str, String)]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env_clear().stdin(Stdio::null());
    for (k, v) in pagos_tests::hostile::provider_env(server) {
        command.env(k, v);
    }
    for (k, v) in extra {
        command.env(k, v);
    }
    command.output().await.expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

const GATEWAY_TIMEOUT: &str = "<html><body><h1>504 Gateway Time-out</h1></body></html>";

const KHIPU_CREATE: [&str; 9] = [
    "khipu",
    "payments",
    "create",
    "--subject",
    "Orden 42",
    "--amount",
    "1000",
    "--currency",
    "CLP",
];

const KASHIO_CREATE: [&str; 11] = [
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
];

/// The provider processed the create and the gateway answered 504: the outcome is
/// unknown (4, with the advice to look it up first), not a refusal (3) a script would
/// take as "safe to create again".
#[tokio::test(flavor = "multi_thread")]
async fn processed_then_504_create_exits_4_not_3() {
    for (args, route) in [
        (&KHIPU_CREATE[..], routes::KHIPU_PAYMENTS),
        (&KASHIO_CREATE[..], routes::KASHIO_INVOICES),
    ] {
        let server = HostileServer::start().await;
        server.route("POST", route, [Reply::html(504, GATEWAY_TIMEOUT)]);

        let out = pagos(&server, args, &[]).await;

        let err = stderr(&out);
        assert_eq!(code(&out), 4, "{args:?}: {err}");
        assert!(err.contains("outcome unknown"), "{args:?}: {err}");
        assert!(
            err.contains("resend: the provider may have acted; look the operation up"),
            "{args:?}: {err}"
        );
        assert_eq!(server.count("POST", route), 1, "{args:?}: sent once");
    }
}

/// The keyed TelePagos cash-out is resent after the 504, and the copy is refused as a
/// duplicate: still unknown (4), and safe to run again with the same reference.
#[tokio::test(flavor = "multi_thread")]
async fn keyed_cashout_refused_after_an_unknown_attempt_exits_4_safe_to_rerun() {
    let server = HostileServer::start().await;
    server.route(
        "POST",
        routes::TELEPAGOS_TOKEN,
        [Reply::json(200, fixtures::TELEPAGOS_TOKEN)],
    );
    server.route(
        "POST",
        routes::TELEPAGOS_CASHOUT,
        [
            Reply::html(504, GATEWAY_TIMEOUT),
            Reply::json(
                409,
                r#"{"status":"error","message":"reference_id duplicado"}"#,
            ),
        ],
    );
    let args = [
        "telepagos",
        "cashout",
        "create",
        "--cvu",
        "2850590940090418135201",
        "--cuit",
        "20267565393",
        "--amount",
        "10.50",
        "--reference-id",
        "payout-0001",
        "--concept",
        "VAR",
    ];

    let out = pagos(&server, &args, &[]).await;

    let err = stderr(&out);
    assert_eq!(code(&out), 4, "{err}");
    assert!(
        err.contains("resend: safe to run the same command again"),
        "{err}"
    );
    let sent = server.requests("POST", routes::TELEPAGOS_CASHOUT);
    assert_eq!(sent.len(), 2, "{err}");
    assert_eq!(sent[0].body, sent[1].body, "resent with identical bytes");
}

/// A definite refusal of the input is the provider saying no: 3.
#[tokio::test(flavor = "multi_thread")]
async fn definite_400_refusal_exits_3() {
    let server = HostileServer::start().await;
    server.route(
        "POST",
        routes::KHIPU_PAYMENTS,
        [Reply::json(400, fixtures::KHIPU_ERROR_400)],
    );

    let out = pagos(&server, &KHIPU_CREATE, &[]).await;

    let err = stderr(&out);
    assert_eq!(code(&out), 3, "{err}");
    assert!(err.contains("HTTP 400"), "{err}");
    assert_eq!(server.count("POST", routes::KHIPU_PAYMENTS), 1);
}

/// Input that must never leave: 2, and the server saw nothing.
#[tokio::test(flavor = "multi_thread")]
async fn dot_segment_ids_and_foreign_digits_exit_2_with_nothing_sent() {
    let server = HostileServer::start().await;
    let mut cases: Vec<Vec<&str>> = vec![
        vec!["khipu", "payments", "get", ".."],
        vec!["khipu", "payments", "delete", "."],
        vec!["khipu", "payments", "refund", "%2e%2e"],
        vec!["kashio", "invoices", "void", ".."],
        vec!["kashio", "invoices", "get", ".\n."],
        vec!["compropago", "orders", "get", ".."],
        vec!["telepagos", "cashin", "get", ".."],
    ];
    let mut foreign_amount = KHIPU_CREATE.to_vec();
    foreign_amount[6] = "１０００";
    cases.push(foreign_amount);

    for args in cases {
        let out = pagos(&server, &args, &[]).await;
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert_eq!(server.total(), 0, "{args:?}: {:?}", server.log());
    }
}

/// A valid `kashio invoices get` against `server`.
const KASHIO_GET: [&str; 4] = [
    "kashio",
    "invoices",
    "get",
    "inv_live_oFPMsJmgmxBhPiWAoWFZ3n",
];

fn kashio_invoice_route() -> String {
    routes::kashio_invoice("inv_live_oFPMsJmgmxBhPiWAoWFZ3n")
}

/// `HTTP_PROXY` and its kin pointing at a listener: the request goes straight to the
/// provider and the listener sees nothing. (`PAGOS_PROXY`, below, shows the same
/// listener does receive a request when the CLI is asked to use it.)
#[tokio::test(flavor = "multi_thread")]
async fn ambient_proxy_variables_are_ignored() {
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        let server = HostileServer::start().await;
        server.route(
            "GET",
            &kashio_invoice_route(),
            [Reply::json(200, fixtures::KASHIO_INVOICE)],
        );
        let listener = HostileServer::start().await;

        let out = pagos(&server, &KASHIO_GET, &[(var, listener.url(""))]).await;

        assert_eq!(code(&out), 0, "{var}: {}", stderr(&out));
        assert_eq!(
            listener.total(),
            0,
            "{var}: the listener got {:?}",
            listener.log()
        );
        assert_eq!(server.count("GET", &kashio_invoice_route()), 1, "{var}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pagos_proxy_is_honoured() {
    let server = HostileServer::start().await;
    let proxy = HostileServer::start().await;
    // A proxy answers for the origin: the request target is the provider's full URL.
    proxy.route(
        "GET",
        &kashio_invoice_route(),
        [Reply::json(200, fixtures::KASHIO_INVOICE)],
    );

    let out = pagos(&server, &KASHIO_GET, &[("PAGOS_PROXY", proxy.url(""))]).await;

    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let through = proxy.requests("GET", &kashio_invoice_route());
    assert_eq!(through.len(), 1, "{:?}", proxy.log());
    assert_eq!(
        through[0].target,
        server.url(&kashio_invoice_route()),
        "sent to the proxy in absolute form"
    );
    assert_eq!(server.total(), 0, "nothing went around the proxy");

    // A malformed PAGOS_PROXY is a configuration error naming the variable, not its value.
    let bad = "not a proxy url with hunter2";
    let out = pagos(&server, &KASHIO_GET, &[("PAGOS_PROXY", bad.to_string())]).await;
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(err.contains("PAGOS_PROXY"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
    assert_eq!(server.total() + proxy.total(), 1, "nothing more was sent");
}
