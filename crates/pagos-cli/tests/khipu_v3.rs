//! `pagos khipu` on API 3.0 and PAC (chosen by PAGOS_KHIPU_API_KEY or `--api`), the
//! boolean flags of payment creation on both APIs, and `webhook verify`. Against the
//! shared loopback hostile server; nothing sleeps.

use std::process::{Output, Stdio};

use pagos_tests::hostile::{HostileServer, Reply};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pagos");
const API_KEY: &str = "2f1c7a9e-5b8d-4c1a-9e3f-0a1b2c3d4e5f";
const SECRET: &str = "1a4cbbbeb8bdb7e1d73572b9cc43ce4ce18f79d9";
const CREATED: &str = r#"{"payment_id":"gqzdy6chjne9","payment_url":"https://khipu.com/payment/info/gqzdy6chjne9","simplified_transfer_url":"s","transfer_url":"t","app_url":"a","ready_for_terminal":false}"#;
const HEADER: &str = "t=1711965600393,s=GYzpjnXlTKQ+BJY7pZJmrM6DZgWMSJdtOr/dleBKTdg=";
const BODY: &str = r#"{"payment_id":"zfxnocsow6mz","receiver_id":990939,"subject":"TEST_COBRO","amount":"1000.0000","discount":"0.0000","currency":"CLP","receipt_url":"https:\/\/s3.amazonaws.com\/staging.notifications.khipu.com\/CPKH-1804240956-zfxnocsow6mz.pdf","bank":"DemoBank","bank_id":"Bawdf","payer_name":"Cobrador de desarrollo #990.939","payer_email":"test@khipu.com","personal_identifier":"44.444.444-4","bank_account_number":"000000000000444444444","out_of_date_conciliation":false,"transaction_id":"15f836bd-e8a7-4d12-b2f1-56403012b555","responsible_user_email":"test@khipu.com","payment_method":"simplified_transfer","conciliation_date":"2024-04-18T13:56:54.859Z"}"#;

fn v3_env(server: &HostileServer) -> Vec<(&'static str, String)> {
    vec![
        ("PAGOS_KHIPU_RECEIVER_ID", "990939".into()),
        ("PAGOS_KHIPU_SECRET", SECRET.into()),
        ("PAGOS_KHIPU_API_KEY", API_KEY.into()),
        ("PAGOS_KHIPU_V3_BASE_URL", server.url("/k3")),
        ("PAGOS_KHIPU_BASE_URL", server.url("/khipu")),
    ]
}

async fn pagos(args: &[&str], env: &[(&'static str, String)]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env_clear().stdin(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().await.expect("the binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn create_on_api_3_sends_every_flag_booleans_included() {
    let server = HostileServer::start().await;
    server.route("POST", "/k3/v3/payments", [Reply::json(200, CREATED)]);
    let out = pagos(
        &[
            "--json",
            "khipu",
            "payments",
            "create",
            "--subject",
            "Cobro",
            "--amount",
            "15000",
            "--send-email",
            "false",
            "--send-reminders=false",
            "--mandatory-payment-method",
            "SIMPLIFIED_TRANSFER",
            "--notify-url",
            "https://shop.example/hook",
        ],
        &v3_env(&server),
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out));
    let sent = server.requests("POST", "/k3/v3/payments");
    assert_eq!(sent.len(), 1);
    let header = |n: &str| {
        sent[0]
            .headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("x-api-key").as_deref(), Some(API_KEY));
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    assert_eq!(
        String::from_utf8_lossy(&sent[0].body),
        r#"{"amount":15000,"currency":"CLP","subject":"Cobro","notify_url":"https://shop.example/hook","notify_api_version":"3.0","send_email":false,"send_reminders":false,"mandatory_payment_method":"SIMPLIFIED_TRANSFER"}"#
    );
    assert!(text(&out).contains("gqzdy6chjne9"));
}

#[tokio::test(flavor = "multi_thread")]
async fn api_2_sends_false_too_and_refuses_3_0_only_flags() {
    let server = HostileServer::start().await;
    server.route("POST", "/khipu/payments", [Reply::json(200, CREATED)]);
    let env = v3_env(&server);
    let out = pagos(
        &[
            "khipu",
            "--api",
            "2.0",
            "payments",
            "create",
            "--subject",
            "x",
            "--amount",
            "1000",
            "--send-email=false",
            "--send-reminders",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out));
    let sent = server.requests("POST", "/khipu/payments");
    let body = String::from_utf8_lossy(&sent[0].body).into_owned();
    assert!(body.contains("send_email=false"), "{body}");
    assert!(body.contains("send_reminders=true"), "{body}");
    let out = pagos(
        &[
            "khipu",
            "--api",
            "2.0",
            "payments",
            "create",
            "--subject",
            "x",
            "--amount",
            "1000",
            "--mandatory-payment-method",
            "X",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("--mandatory-payment-method"));
    let out = pagos(
        &[
            "khipu",
            "--api",
            "2.0",
            "payments",
            "create",
            "--subject",
            "x",
            "--amount",
            "1",
            "--send-email",
            "maybe",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 2, "{}", text(&out));
    // Commands of the other API are refused before sending.
    for args in [
        &["khipu", "--api", "2.0", "payments", "void", "abc"][..],
        &["khipu", "--api", "2.0", "refunds", "wallet-balance"][..],
        &["khipu", "payments", "get-by-token", "tok"][..],
        &["khipu", "sign", "--url", "https://khipu.com/api/2.0/banks"][..],
    ] {
        let out = pagos(args, &env).await;
        assert_eq!(code(&out), 2, "{args:?}: {}", text(&out));
    }
    assert_eq!(server.requests("POST", "/khipu/payments").len(), 1);
    // --api 3.0 without a key: a configuration error naming the variable.
    let no_key: Vec<_> = env
        .iter()
        .filter(|(k, _)| *k != "PAGOS_KHIPU_API_KEY")
        .cloned()
        .collect();
    let out = pagos(&["khipu", "--api", "3.0", "banks", "list"], &no_key).await;
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("PAGOS_KHIPU_API_KEY"), "{}", text(&out));
    assert!(!text(&out).contains(SECRET));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_500_on_a_refund_is_unknown_and_sent_once() {
    let server = HostileServer::start().await;
    server.route(
        "POST",
        "/k3/v3/refunds",
        [Reply::json(
            500,
            r#"{"status":500,"message":"Internal server error"}"#,
        )],
    );
    let out = pagos(
        &[
            "khipu",
            "refunds",
            "create",
            "--payment-id",
            "zfxnocsow6mz",
            "--amount",
            "5000",
            "--currency",
            "CLP",
        ],
        &v3_env(&server),
    )
    .await;
    assert_eq!(code(&out), 4, "{}", text(&out));
    let sent = server.requests("POST", "/k3/v3/refunds");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        String::from_utf8_lossy(&sent[0].body),
        r#"{"type":"partial","payment_id":"zfxnocsow6mz","amount":"5000"}"#
    );
    assert!(
        text(&out).contains("look the operation up"),
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn pac_and_resources() {
    let server = HostileServer::start().await;
    server.route(
        "POST",
        "/k3/v1/automatic-payment/charge-intent",
        [Reply::json(
            422,
            r#"{"error_code":"SUBSCRIPTION_NOT_CHARGEABLE","error_message":"not enabled"}"#,
        )],
    );
    server.route(
        "GET",
        "/k3/v1/automatic-payment/subscription/7Kp2R9xTmQ4b",
        [Reply::json(200, r#"{"subscription_id":"7Kp2R9xTmQ4b","status":"ENABLED","developer":true,"service_reference":""}"#)],
    );
    server.route(
        "GET",
        "/k3/v3/predict",
        [Reply::json(200, r#"{"result":"ok","max_amount":5000000}"#)],
    );
    server.route(
        "GET",
        "/k3/v3/merchants/990939/paymentMethods",
        [Reply::json(
            200,
            r#"{"paymentMethods":[{"id":"SIMPLIFIED_TRANSFER"}]}"#,
        )],
    );
    let env = v3_env(&server);
    let out = pagos(
        &[
            "khipu",
            "charges",
            "create",
            "--subscription-id",
            "7Kp2R9xTmQ4b",
            "--amount",
            "15000",
            "--subject",
            "Cuota",
            "--error-response-url",
            "https://x.cl/e",
            "--notify-url",
            "https://x.cl/n",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 3, "{}", text(&out));
    assert!(
        text(&out).contains("SUBSCRIPTION_NOT_CHARGEABLE"),
        "{}",
        text(&out)
    );
    let body = String::from_utf8_lossy(
        &server.requests("POST", "/k3/v1/automatic-payment/charge-intent")[0].body,
    )
    .into_owned();
    assert_eq!(
        body,
        r#"{"subscription_id":"7Kp2R9xTmQ4b","amount":15000,"subject":"Cuota","error_response_url":"https://x.cl/e","notify_url":"https://x.cl/n","notify_api_version":"3.0"}"#
    );
    let out = pagos(
        &["--json", "khipu", "subscriptions", "get", "7Kp2R9xTmQ4b"],
        &env,
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("ENABLED"));
    let out = pagos(
        &[
            "khipu",
            "predict",
            "one",
            "--payer-email",
            "a@b.cl",
            "--bank-id",
            "SDdGj",
            "--amount",
            "1000",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out));
    let sent = server.requests("GET", "/k3/v3/predict");
    assert_eq!(
        sent[0].target,
        "/k3/v3/predict?payer_email=a%40b.cl&bank_id=SDdGj&amount=1000&currency=CLP"
    );
    // The merchant defaults to the receiver id.
    let out = pagos(&["khipu", "merchants", "payment-methods"], &env).await;
    assert_eq!(code(&out), 0, "{}", text(&out));
    // An over-precise charge is refused before sending.
    let out = pagos(
        &[
            "khipu",
            "charges",
            "create",
            "--subscription-id",
            "s",
            "--amount",
            "1.23456",
            "--subject",
            "x",
            "--error-response-url",
            "https://x.cl/e",
            "--notify-url",
            "https://x.cl/n",
        ],
        &env,
    )
    .await;
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert_eq!(
        server
            .requests("POST", "/k3/v1/automatic-payment/charge-intent")
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn webhook_verify_exit_codes() {
    let dir = std::env::temp_dir().join(format!("pagos-khipu-webhook-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("body.json");
    std::fs::write(&good, BODY).unwrap();
    let unescaped = dir.join("unescaped.json");
    std::fs::write(&unescaped, BODY.replace("\\/", "/")).unwrap();
    let env = vec![
        ("PAGOS_KHIPU_SECRET", SECRET.to_string()),
        ("PAGOS_KHIPU_RECEIVER_ID", "990939".to_string()),
    ];
    let good = good.to_str().unwrap();
    let unescaped = unescaped.to_str().unwrap();
    let verify = |extra: &[&str], file: &str, header: &str| {
        let mut v = vec!["khipu", "webhook", "verify", "--signature"];
        v.push(header);
        v.push("--body-file");
        v.push(file);
        v.extend_from_slice(extra);
        v.into_iter().map(str::to_string).collect::<Vec<String>>()
    };
    let run = |args: Vec<String>, env: Vec<(&'static str, String)>| async move {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        pagos(&refs, &env).await
    };
    let out = run(
        verify(&["--at", "1711965600393"], good, HEADER),
        env.clone(),
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("zfxnocsow6mz"));
    let out = run(
        verify(&["--at", "1711965600393"], unescaped, HEADER),
        env.clone(),
    )
    .await;
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("does not match"), "{}", text(&out));
    // The real clock: the vector's t is from 2024.
    let out = run(verify(&[], good, HEADER), env.clone()).await;
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("tolerated"), "{}", text(&out));
    let out = run(
        verify(
            &["--at", "1711965900393", "--tolerance", "299"],
            good,
            HEADER,
        ),
        env.clone(),
    )
    .await;
    assert_eq!(code(&out), 1, "{}", text(&out));
    let out = run(
        verify(
            &["--at", "1711965900393", "--tolerance", "300"],
            good,
            HEADER,
        ),
        env.clone(),
    )
    .await;
    assert_eq!(code(&out), 0, "{}", text(&out));
    let out = run(
        verify(&["--at", "1711965600393"], good, "t=1711965600393"),
        env.clone(),
    )
    .await;
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("no signature"), "{}", text(&out));
    let out = run(
        verify(&["--at", "1711965600393"], good, "ß=∞,,=="),
        env.clone(),
    )
    .await;
    assert_eq!(code(&out), 1, "{}", text(&out));
    // The wrong receiver.
    let mut other = env.clone();
    other[1].1 = "985101".into();
    let out = run(verify(&["--at", "1711965600393"], good, HEADER), other).await;
    assert_eq!(code(&out), 1, "{}", text(&out));
    // Usage errors: a missing file, a missing secret, a missing flag, a bad --at.
    let out = run(verify(&[], "/nonexistent/body.json", HEADER), env.clone()).await;
    assert_eq!(code(&out), 2, "{}", text(&out));
    let out = run(verify(&["--at", "1711965600393"], good, HEADER), vec![]).await;
    assert_eq!(code(&out), 2, "{}", text(&out));
    let out = pagos(&["khipu", "webhook", "verify", "--body-file", good], &env).await;
    assert_eq!(code(&out), 2, "{}", text(&out));
    let out = run(verify(&["--at", "soon"], good, HEADER), env.clone()).await;
    assert_eq!(code(&out), 2, "{}", text(&out));
    let out = run(
        verify(&["--at", "-9223372036854775808"], good, HEADER),
        env.clone(),
    )
    .await;
    assert_eq!(code(&out), 2, "{}", text(&out));
    // The secret is never printed.
    assert!(!text(&out).contains(SECRET));
    std::fs::remove_dir_all(&dir).unwrap();
}
