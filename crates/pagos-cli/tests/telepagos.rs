//! `pagos telepagos …` flags that must reach the wire (or be refused): `auth`, the time
//! zone of zoneless timestamps, where parameterized `GET`s put their parameters, the
//! payment link's refused `--description`, a cash-out without description. Against a
//! recording server on 127.0.0.1 (what was sent, byte for byte) and the sandbox.

use std::process::{Output, Stdio};

use pagos_sandbox::SandboxConfig;
use pagos_tests::hostile::{HostileServer, Reply, fixtures, routes};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pagos");
const STATIC_QR: &str = "/telepagos/v2/payment/cashin/qr/sale-point/static";
const LINK: &str = r#"{"status":"ok","link":"https://pagar.telepagos.com.ar/l/1","link_id":1}"#;
/// 2100-01-01 00:00:00 UTC, as epoch seconds.
const EXPIRES: &str = "4102444800";

async fn run(env: &[(String, String)], args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env_clear().stdin(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().await.expect("the binary runs")
}

fn server_env(server: &HostileServer) -> Vec<(String, String)> {
    pagos_tests::hostile::provider_env(server)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

async fn server() -> HostileServer {
    let server = HostileServer::start().await;
    server.route(
        "POST",
        routes::TELEPAGOS_TOKEN,
        [Reply::json(200, fixtures::TELEPAGOS_TOKEN)],
    );
    server
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_checks_the_credentials_without_printing_the_token() {
    let server = server().await;
    let env = server_env(&server);
    let out = run(&env, &["telepagos", "auth"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("authenticated"), "{stdout}");
    assert!(stdout.contains("yes"), "{stdout}");
    assert!(!stdout.contains("tok-123"), "the token leaked: {stdout}");
    let out = run(&env, &["--json", "telepagos", "auth"]).await;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["authenticated"], true);
    assert!(!text(&out.stdout).contains("tok-123"));
    assert!(!text(&out.stderr).contains("tok-123"));
    assert_eq!(server.count("POST", routes::TELEPAGOS_TOKEN), 2);

    // Refused credentials: a provider error (exit 3), no token, no password printed.
    let refusing = HostileServer::start().await;
    refusing.route(
        "POST",
        routes::TELEPAGOS_TOKEN,
        [Reply::json(
            401,
            r#"{"status":"error","message":"Credenciales inválidas"}"#,
        )],
    );
    let out = run(&server_env(&refusing), &["telepagos", "auth"]).await;
    assert_ne!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Credenciales inválidas"), "{stderr}");
    assert!(
        !stderr.contains(pagos_tests::hostile::credentials::TELEPAGOS_PASSWORD),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_time_zone_reaches_the_payment_links_expiration_date() {
    let link = |zone: Option<&'static str>, env_zone: Option<&'static str>| async move {
        let server = server().await;
        server.route("POST", routes::TELEPAGOS_LINK, [Reply::json(200, LINK)]);
        let mut env = server_env(&server);
        if let Some(z) = env_zone {
            env.push(("PAGOS_TELEPAGOS_TIME_ZONE".into(), z.into()));
        }
        let mut args = vec![
            "telepagos",
            "cashin",
            "payment-link",
            "--amount=10.00",
            "--concept=Cuota",
        ];
        let expires = format!("--expires={EXPIRES}");
        args.push(&expires);
        let flag;
        if let Some(z) = zone {
            flag = format!("--time-zone={z}");
            args.push(&flag);
        }
        let out = run(&env, &args).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let sent = server.requests("POST", routes::TELEPAGOS_LINK);
        assert_eq!(sent.len(), 1);
        text(&sent[0].body)
    };
    // Default: Argentina time, three hours behind UTC.
    let body = link(None, None).await;
    assert!(
        body.contains(r#""expiration_date":"2099-12-31 21:00:00""#),
        "{body}"
    );
    // The flag, or the variable: UTC.
    let body = link(Some("UTC"), None).await;
    assert!(
        body.contains(r#""expiration_date":"2100-01-01 00:00:00""#),
        "{body}"
    );
    let body = link(None, Some("+00:00")).await;
    assert!(
        body.contains(r#""expiration_date":"2100-01-01 00:00:00""#),
        "{body}"
    );
    // The flag wins over the variable.
    let body = link(Some("-03:00"), Some("UTC")).await;
    assert!(
        body.contains(r#""expiration_date":"2099-12-31 21:00:00""#),
        "{body}"
    );

    // A zone that is no zone: exit 2 naming the variable, nothing sent.
    let server = server().await;
    let out = run(
        &server_env(&server),
        &[
            "telepagos",
            "--time-zone=Buenos Aires",
            "account",
            "balance",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("PAGOS_TELEPAGOS_TIME_ZONE"));
    assert_eq!(server.total(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn help_shows_the_time_zone_and_the_get_params() {
    let out = run(&[], &["telepagos", "--help"]).await;
    let help = text(&out.stdout);
    assert!(help.contains("--time-zone"), "{help}");
    assert!(help.contains("Argentina"), "{help}");
    assert!(help.contains("PAGOS_TELEPAGOS_TIME_ZONE"), "{help}");
    assert!(help.contains("--get-params"), "{help}");
    assert!(help.contains("auth"), "{help}");
}

#[tokio::test(flavor = "multi_thread")]
async fn get_params_go_in_the_documented_body_or_the_query() {
    let server = server().await;
    server.route(
        "GET",
        STATIC_QR,
        [Reply::json(200, r#"{"status":"ok","qr_code":"000201"}"#)],
    );
    let env = server_env(&server);
    let out = run(&env, &["telepagos", "sale-points", "static-qr", "7"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(
        &env,
        &[
            "telepagos",
            "--get-params=query",
            "sale-points",
            "static-qr",
            "7",
            "--type=open",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let sent = server.requests("GET", STATIC_QR);
    assert_eq!(sent.len(), 2);
    assert_eq!(
        text(&sent[0].body),
        r#"{"type_amount":"closed","sale_point_id":7}"#
    );
    assert_eq!(sent[0].target, STATIC_QR);
    assert!(sent[1].body.is_empty());
    assert_eq!(
        sent[1].target,
        format!("{STATIC_QR}?type_amount=open&sale_point_id=7")
    );

    let out = run(
        &env,
        &[
            "telepagos",
            "--get-params=form",
            "sale-points",
            "static-qr",
            "7",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("PAGOS_TELEPAGOS_GET_PARAMS"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_link_description_is_refused_and_a_cash_out_sends_none_by_default() {
    let server = server().await;
    server.route("POST", routes::TELEPAGOS_LINK, [Reply::json(200, LINK)]);
    server.route(
        "POST",
        routes::TELEPAGOS_CASHOUT,
        [Reply::json(200, r#"{"status":"ok","id":90001}"#)],
    );
    let env = server_env(&server);
    let out = run(
        &env,
        &[
            "telepagos",
            "cashin",
            "payment-link",
            "--amount=10.00",
            "--concept=Cuota",
            &format!("--expires={EXPIRES}"),
            "--description=Cuota de marzo",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("invalid description:"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        server.total(),
        0,
        "nothing was sent, not even the token request"
    );

    let cashout = |description: Option<&'static str>| {
        let env = env.clone();
        async move {
            let mut args = vec![
                "telepagos".to_string(),
                "cashout".into(),
                "create".into(),
                "--cvu=2850590940090418135201".into(),
                "--cuit=20267565393".into(),
                "--amount=10.50".into(),
                "--reference-id=ref-cli-1".into(),
            ];
            if let Some(d) = description {
                args.push(format!("--description={d}"));
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run(&env, &args).await;
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        }
    };
    cashout(None).await;
    cashout(Some("Honorarios")).await;
    let sent = server.requests("POST", routes::TELEPAGOS_CASHOUT);
    assert_eq!(
        text(&sent[0].body),
        r#"{"cvu":"2850590940090418135201","cuit":"20267565393","amount":10.50,"reference_id":"ref-cli-1","concept":"VAR"}"#
    );
    assert!(
        text(&sent[1].body).ends_with(r#""concept":"VAR","description":"Honorarios"}"#),
        "{}",
        text(&sent[1].body)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn against_the_sandbox_long_names_and_both_get_shapes_work() {
    let sandbox = pagos_sandbox::start(SandboxConfig::builder().build())
        .await
        .expect("the sandbox starts");
    let env = sandbox.env_vars();
    let name = "Sucursal Avenida Corrientes ".repeat(4);
    let out = run(
        &env,
        &[
            "--json",
            "telepagos",
            "sale-points",
            "create",
            &format!("--name={name}"),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = created["sale_point_id"].to_string();
    for shape in ["body", "query"] {
        let out = run(
            &env,
            &[
                "--json",
                "telepagos",
                &format!("--get-params={shape}"),
                "sale-points",
                "static-qr",
                &id,
            ],
        )
        .await;
        assert_eq!(out.status.code(), Some(0), "{shape}: {}", text(&out.stderr));
        let out = run(
            &env,
            &[
                "--json",
                "telepagos",
                &format!("--get-params={shape}"),
                "account",
                "transactions",
                "--from=2020-01-01",
                "--to=2100-01-01",
                "--all",
            ],
        )
        .await;
        assert_eq!(out.status.code(), Some(0), "{shape}: {}", text(&out.stderr));
    }
    let out = run(&env, &["telepagos", "auth"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
