//! Secrets never leak: every provider's flows run with tracing captured at TRACE, every
//! error is formatted with `{}` and `{:?}`, clients are formatted with `{:?}`, and no
//! configured secret, password, token or `Authorization` value appears in any of it.
//! The same holds for answers that carry a credential and do not decode (a token
//! endpoint's, a new Khipu receiver's), for malformed base URLs with user info, and for
//! transport errors, which never show the URL.
//!
//! This is the one test with a binary of its own: tracing caches per-callsite interest
//! process-wide, so other tests running first on other threads (with no subscriber) can
//! leave the SDK's callsites disabled for this test's scoped subscriber.

#[path = "../shared/khipu_receiver.rs"]
mod khipu_receiver;
#[allow(dead_code)] // shared with the e2e binary, which uses all of it
#[path = "../e2e/support.rs"]
mod support;

use std::error::Error as _;
use std::fmt::Debug;
use std::io::Write;
use std::sync::{Arc, Mutex};

use httpmock::MockServer;
use pagos::{
    BankAccount, CreatePayment, Currency, Error, Operation, PayoutRequest, ProviderConfig,
    ProviderDescriptor, RefundRequest,
};
use pagos_sandbox::{Credentials, Provider, SandboxHandle};

use khipu_receiver::receiver;
use support::{CLABE, CUIT, CVU, env_map, fast_transport, money, sandbox_config};

/// Everything the tracing subscriber writes, kept for inspection.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("capture lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

/// Distinctive credentials, so a leak cannot hide behind a coincidence.
const KHIPU_SECRET: &str = "khipu-secret-Zq81xW";
const KASHIO_KEY: &str = "sk_test_kashio_Vv93Lp";
const CP_PRIVATE: &str = "sk_test_compropago_Hh27Qa";
const CP_PUBLIC: &str = "pk_test_compropago_Mm64Rt";
const KASHPAY_PASSWORD: &str = "kashpay-password-Nn52Ks";
const TELEPAGOS_PASSWORD: &str = "telepagos-password-Bb17Yd";
/// Wrong credentials used for the refused calls: they must not leak either.
const WRONG: &str = "wrong-credential-Pp40Uc";
/// The session tokens of authentication answers that do not decode, and the signing
/// secret of a new Khipu receiver whose answer does not decode: all in the bodies the
/// errors are about, none may reach what the errors show.
const TELEPAGOS_TOKEN: &str = "telepagos-token-in-a-broken-answer-Jj45";
const KASHPAY_TOKEN: &str = "kashpay-token-in-a-broken-answer-Rr63";
const NEW_RECEIVER_SECRET: &str = "new-receiver-secret-Kk11";
/// The password of the user info in malformed base URLs.
const URL_PASSWORD: &str = "hunter2-Ux88";

/// A configuration for `descriptor` that builds: `url` in its URL variables (all of
/// them, or only `only_url`), a wrong credential in its secrets, a plausible value in
/// its other required variables, nothing elsewhere.
fn configuration<'a>(
    descriptor: &'static ProviderDescriptor,
    url: &'a str,
    only_url: Option<&'a str>,
) -> ProviderConfig<'a> {
    ProviderConfig::from_fn(move |name| {
        let var = descriptor.env.iter().find(|v| v.name == name)?;
        if name.ends_with("_URL") {
            return only_url
                .is_none_or(|only| only == name)
                .then(|| url.to_string());
        }
        if !var.required {
            return None;
        }
        Some(match name {
            _ if var.secret => WRONG.into(),
            "PAGOS_KHIPU_RECEIVER_ID" => "985101".into(),
            "PAGOS_KASHPAY_ENTITY" => "com.cascade".into(),
            _ => "u".into(),
        })
    })
}

fn credentials() -> Credentials {
    Credentials::from_lookup(|name| {
        Some(
            match name {
                "PAGOS_KHIPU_SECRET" => KHIPU_SECRET,
                "PAGOS_KASHIO_SECRET_KEY" => KASHIO_KEY,
                "PAGOS_COMPROPAGO_PRIVATE_KEY" => CP_PRIVATE,
                "PAGOS_COMPROPAGO_PUBLIC_KEY" => CP_PUBLIC,
                "PAGOS_KASHPAY_PASSWORD" => KASHPAY_PASSWORD,
                "PAGOS_TELEPAGOS_PASSWORD" => TELEPAGOS_PASSWORD,
                _ => return None,
            }
            .to_string(),
        )
    })
}

/// Runs the sandbox on its own thread and runtime: its own logs are not the SDK's, so
/// they stay out of the capture. Dropping the returned sender stops it.
fn sandbox_on_its_own_thread() -> (Arc<SandboxHandle>, std::sync::mpsc::Sender<()>) {
    let (handle_tx, handle_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("sandbox runtime");
        let sandbox = runtime.block_on(async {
            pagos_sandbox::start(sandbox_config().credentials(credentials()).build())
                .await
                .expect("the sandbox starts")
        });
        let sandbox = Arc::new(sandbox);
        handle_tx.send(sandbox.clone()).expect("handle sent");
        // Keep the runtime (and so the server) alive until the test is done.
        let _ = stop_rx.recv();
        drop(sandbox);
        runtime.shutdown_background();
    });
    (handle_rx.recv().expect("sandbox handle"), stop_tx)
}

/// Collects `{}` and `{:?}` of errors and `{:?}` of everything else the flows touch.
#[derive(Default)]
struct Printed(String);

impl Printed {
    fn debug(&mut self, value: &impl Debug) {
        self.0.push_str(&format!("{value:?}\n"));
    }
    fn result<T: Debug>(&mut self, result: pagos::Result<T>) -> Option<T> {
        match result {
            Ok(v) => {
                self.debug(&v);
                Some(v)
            }
            Err(e) => {
                self.0.push_str(&format!("{e}\n{e:?}\n"));
                None
            }
        }
    }
}

/// Everything an error shows: `{}`, `{:?}`, the raw body it keeps, and its sources.
fn shown(e: &Error) -> String {
    let raw = match e {
        Error::Provider(p) => Some(p.raw_body.as_str()),
        Error::OutcomeUnknown(u) => u.raw_body.as_deref(),
        _ => None,
    };
    let mut text = format!("{e}\n{e:?}\nraw_body: {raw:?}\n");
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(&format!("caused by: {cause}\n"));
        source = cause.source();
    }
    text
}

/// A loopback URL nothing listens on: connecting to it is refused.
fn refusing_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    drop(listener);
    port
}

/// Mocks `path` on `server` to answer HTTP 200 with the JSON text `body`.
async fn answering<'a>(server: &'a MockServer, path: &str, body: &str) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            when.path(path);
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await
}

/// Answers that carry a credential but do not decode, malformed base URLs with user
/// info, and transport errors for URLs with unusual characters. Every error is added
/// to `printed` (so the common check covers it) and checked here for what is
/// specific to it.
async fn hostile(printed: &mut Printed) {
    // TelePagos: the token endpoint answers with the token, in a shape that does not
    // decode (a truncated body, the token as an object, a token with no status).
    for answer in [
        format!(r#"{{"status":"ok","token":"{TELEPAGOS_TOKEN}","expires_at":17"#),
        format!(r#"{{"status":"ok","token":{{"value":"{TELEPAGOS_TOKEN}"}}}}"#),
        format!(r#"{{"status":"ok","token":["{TELEPAGOS_TOKEN}"],"expires_at":1}}"#),
    ] {
        let server = MockServer::start_async().await;
        let auth = answering(&server, "/telepagos/v2/auth/token", &answer).await;
        let client = pagos::telepagos::TelepagosClient::builder()
            .username("api-user")
            .password(TELEPAGOS_PASSWORD)
            .base_url(server.url("/telepagos"))
            .expect("a loopback base URL")
            .transport(fast_transport())
            .build()
            .expect("telepagos client");
        let e = pagos::PaymentProvider::balance(&client)
            .await
            .expect_err("an undecodable token answer");
        auth.assert_async().await;
        let text = shown(&e);
        assert!(!text.contains(TELEPAGOS_TOKEN), "{answer}: {text}");
        printed.0.push_str(&text);
    }

    // Kashpay: the same for `authenticate` (the response object as a bare string, a
    // truncated body, the token as an array).
    for answer in [
        format!(r#"{{"success":true,"authenticationResponse":"{KASHPAY_TOKEN}"}}"#),
        format!(r#"{{"success":true,"authenticationResponse":{{"token":"{KASHPAY_TOKEN}","expi"#),
        format!(r#"{{"success":true,"authenticationResponse":{{"token":["{KASHPAY_TOKEN}"]}}}}"#),
    ] {
        let server = MockServer::start_async().await;
        let auth = answering(
            &server,
            "/kashpay/AuthenticationService/authenticate",
            &answer,
        )
        .await;
        let client = pagos::kashpay::KashpayClient::builder()
            .entity("com.cascade")
            .user("jim@cascadefintech.com")
            .password(KASHPAY_PASSWORD)
            .base_url(server.url("/kashpay"))
            .expect("a loopback base URL")
            .transport(fast_transport())
            .build()
            .expect("kashpay client");
        let e = client
            .session()
            .token()
            .await
            .expect_err("an undecodable authentication answer");
        auth.assert_async().await;
        let text = shown(&e);
        assert!(!text.contains(KASHPAY_TOKEN), "{answer}: {text}");
        printed.0.push_str(&text);
    }

    // Khipu: a receiver is created (its secret is in the answer), but `receiver_id`
    // has the wrong type, so the answer does not decode.
    for answer in [
        format!(r#"{{"receiver_id":{{"id":4321}},"secret":"{NEW_RECEIVER_SECRET}"}}"#),
        format!(r#"{{"secret":"{NEW_RECEIVER_SECRET}","receiver_id":true}}"#),
        format!(r#"{{"receiver_id":4321,"secret":"{NEW_RECEIVER_SECRET}""#),
    ] {
        let server = MockServer::start_async().await;
        let create = answering(&server, "/khipu/api/2.0/receivers", &answer).await;
        let client = pagos::khipu::KhipuClient::builder()
            .receiver_id("985101")
            .secret(KHIPU_SECRET)
            .base_url(server.url("/khipu/api/2.0"))
            .expect("a loopback base URL")
            .transport(fast_transport())
            .build()
            .expect("khipu client");
        let e = client
            .receivers()
            .create(&receiver())
            .await
            .expect_err("an undecodable receiver answer");
        create.assert_async().await;
        // The answer is kept for the caller, with the secret's value redacted.
        let Error::OutcomeUnknown(unknown) = &e else {
            panic!("an undecodable answer to a create is an unknown outcome: {e:?}");
        };
        let raw = unknown.raw_body.as_deref().unwrap_or_default();
        assert!(raw.contains(r#""secret":"[REDACTED]""#), "{raw}");
        let text = shown(&e);
        assert!(!text.contains(NEW_RECEIVER_SECRET), "{answer}: {text}");
        printed.0.push_str(&text);
    }

    // Malformed base URLs with user info: refused, never echoed, by every builder and
    // through the environment.
    let bad_urls = [
        format!("https://user:{URL_PASSWORD}@api.example.com/v2"),
        format!("ht tp://user:{URL_PASSWORD}@x"),
        format!("http://user:{URL_PASSWORD}@127.0.0.1:1/x"),
        format!("https://user:{URL_PASSWORD}@"),
    ];
    for url in &bad_urls {
        let mut errors: Vec<Error> = Vec::new();
        let config = |e: pagos::ConfigError| Error::from(e);
        errors.extend(
            pagos::khipu::KhipuClient::builder()
                .base_url(url)
                .err()
                .map(config),
        );
        errors.extend(
            pagos::kashio::KashioClient::builder()
                .base_url(url)
                .err()
                .map(config),
        );
        errors.extend(
            pagos::compropago::CompropagoClient::builder()
                .base_url(url)
                .err()
                .map(config),
        );
        let kashpay = || pagos::kashpay::KashpayClient::builder();
        errors.extend(kashpay().base_url(url).err().map(config));
        errors.extend(kashpay().auth_base_url(url).err().map(config));
        errors.extend(kashpay().orders_base_url(url).err().map(config));
        errors.extend(
            pagos::telepagos::TelepagosClient::builder()
                .base_url(url)
                .err()
                .map(config),
        );
        assert_eq!(errors.len(), 7, "every builder refuses {url:?}");
        // Every URL variable of every provider of the registry.
        let mut relabeled = 0;
        for descriptor in pagos::registry() {
            let kind = descriptor.name;
            for variable in descriptor.env.iter().filter(|v| v.name.ends_with("_URL")) {
                let variable = variable.name;
                let env = configuration(descriptor, url, Some(variable));
                let e = pagos::from_env_with(kind, &env)
                    .map(drop)
                    .expect_err("a malformed base URL is refused");
                assert!(
                    matches!(&e, Error::Config(c) if c.setting() == variable),
                    "{kind} {variable}: {e:?}"
                );
                errors.push(e);
                relabeled += 1;
            }
        }
        assert!(relabeled >= 6, "the five providers have six URL variables");
        for e in &errors {
            let text = shown(e);
            assert!(!text.contains(URL_PASSWORD), "{url:?}: {text}");
            printed.0.push_str(&text);
        }
    }

    // Transport errors for URLs with `)`, spaces and Unicode in the base path and in
    // the id: the error says what failed, never where.
    let port = refusing_port();
    let base = format!("http://localhost:{port}/Wq7)dir Yk3/ñandú");
    let id = "id)Zr7 ñu";
    let payout = PayoutRequest::builder(
        money("10.00", Currency::Mxn),
        BankAccount::Clabe(CLABE.into()),
        "5000012",
    )
    .beneficiary_name("Ana Perez")
    .build()
    .expect("valid payout");
    for descriptor in pagos::registry() {
        let kind = descriptor.name;
        let env = configuration(descriptor, &base, None).with_transport(fast_transport());
        let provider = pagos::from_env_with(kind, &env)
            .unwrap_or_else(|e| panic!("{kind} builds for {base:?}: {e}"));
        // A call that sends: a read where the provider has one (Kashpay has only its
        // payout).
        let caps = descriptor.capabilities;
        let result = if caps.supports(Operation::GetPayment) {
            provider.get_payment(id).await.map(drop)
        } else if caps.supports(Operation::CreatePayout) {
            provider.create_payout(&payout).await.map(drop)
        } else {
            provider.balance().await.map(drop)
        };
        let e = result.expect_err("nothing listens there");
        assert!(matches!(e, Error::NotSent(_)), "{kind}: {e:?}");
        let text = shown(&e);
        for piece in [
            format!("localhost:{port}"),
            format!(":{port}"),
            "Wq7".to_string(),
            "Yk3".to_string(),
            "ñandú".to_string(),
            "%C3%B1".to_string(),
            "Zr7".to_string(),
            "http://".to_string(),
        ] {
            assert!(!text.contains(&piece), "{kind}: {piece:?} in {text}");
        }
        printed.0.push_str(&text);
    }
}

/// Runs every provider's flows, refused calls included; returns the live Kashpay token.
async fn flows(sandbox: &SandboxHandle, printed: &mut Printed) -> String {
    let vars = env_map(sandbox);
    let good = || ProviderConfig::from_fn(|name| vars.get(name).cloned());
    let wrong = || {
        ProviderConfig::from_fn(|name| {
            if name.contains("SECRET") || name.contains("KEY") || name.contains("PASSWORD") {
                Some(WRONG.to_string())
            } else {
                vars.get(name).cloned()
            }
        })
    };
    let build = |config: ProviderConfig<'_>, kind: &str| {
        pagos::from_env_with(kind, &config.with_transport(fast_transport()))
            .expect("provider builds")
    };

    for kind in support::sandboxed().iter().map(|d| d.name) {
        let provider = build(good(), kind);
        let refused = build(wrong(), kind);
        printed.debug(&provider);
        printed.debug(&refused);
        let request = match kind {
            "khipu" => CreatePayment::builder(money("1000", Currency::Clp), "Secret test"),
            "kashio" => CreatePayment::builder(money("15.00", Currency::Pen), "Secret test")
                .payer_name("Juan Perez")
                .payer_email("juan@example.com"),
            "compropago" => CreatePayment::builder(money("150.00", Currency::Mxn), "Secret test")
                .payer_name("Waldix")
                .payer_email("waldix@example.com"),
            _ => CreatePayment::builder(money("1500.00", Currency::Ars), "Secret test"),
        }
        .merchant_reference("SECRET1")
        .build()
        .expect("valid request");
        let mut request = request;
        if kind == "telepagos" {
            // A TelePagos payment link cannot carry a merchant reference (refused).
            request.merchant_reference = None;
        }
        // The refused call first, then the real flow.
        printed.result(refused.create_payment(&request).await);
        if let Some(payment) = printed.result(provider.create_payment(&request).await) {
            printed.result(provider.get_payment(&payment.id).await);
            if kind == "khipu" {
                sandbox
                    .pay(Provider::Khipu, &payment.id)
                    .expect("payer pays");
                printed.result(
                    provider
                        .refund_payment(&RefundRequest::full(&payment.id))
                        .await,
                );
            }
            printed.result(provider.cancel_payment(&payment.id).await);
        }
        printed.result(provider.get_payment("does-not-exist").await);
    }

    let kashpay = build(good(), "kashpay");
    let payout = PayoutRequest::builder(
        money("10.00", Currency::Mxn),
        BankAccount::Clabe(CLABE.into()),
        "5000011",
    )
    .beneficiary_name("Ana Perez")
    .build()
    .expect("valid payout");
    printed.result(kashpay.create_payout(&payout).await);
    printed.result(build(wrong(), "kashpay").create_payout(&payout).await);

    let telepagos = build(good(), "telepagos");
    let cashout = PayoutRequest::builder(
        money("10.50", Currency::Ars),
        BankAccount::Cbu(CVU.into()),
        "secret-cashout-1",
    )
    .beneficiary_tax_id(CUIT)
    .concept("VAR")
    .build()
    .expect("valid cash-out");
    if let Some(p) = printed.result(telepagos.create_payout(&cashout).await) {
        printed.result(telepagos.get_payout(&p.id).await);
    }
    printed.result(telepagos.balance().await);
    printed.result(build(wrong(), "telepagos").balance().await);

    // The concrete clients' own Debug, and a Kashpay session that authenticates here
    // (under the capture) and whose live token must not show anywhere.
    let kashpay_client = pagos::kashpay::client_from_config(&good()).expect("kashpay client");
    printed.debug(&kashpay_client);
    printed.debug(kashpay_client.session());
    printed.debug(&pagos::khipu::client_from_config(&good()).expect("khipu client"));
    printed.debug(&pagos::telepagos::client_from_config(&good()).expect("telepagos client"));
    kashpay_client
        .session()
        .token()
        .await
        .expect("a cached token")
        .expose()
        .to_string()
}

#[test]
fn no_secret_reaches_traces_errors_or_debug_output() {
    let (sandbox, stop) = sandbox_on_its_own_thread();

    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(capture.clone())
        .finish();
    let mut printed = Printed::default();
    let token = {
        let _guard = tracing::subscriber::set_default(subscriber);
        // One thread: every SDK task and connection runs where the subscriber is set.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let token = flows(&sandbox, &mut printed).await;
            hostile(&mut printed).await;
            token
        })
    };
    drop(stop);

    let traces =
        String::from_utf8(capture.0.lock().expect("capture lock").clone()).expect("utf-8 traces");
    assert!(
        traces.contains("pagos.http"),
        "the capture must hold the transport's spans, or this test proves nothing:\n{traces}"
    );
    assert!(
        token.len() > 20,
        "the Kashpay session should hold a real token"
    );
    let basic = |user: &str, password: &str| {
        use base64_like::encode;
        encode(&format!("{user}:{password}"))
    };
    let forbidden = [
        KHIPU_SECRET.to_string(),
        KASHIO_KEY.to_string(),
        CP_PRIVATE.to_string(),
        CP_PUBLIC.to_string(),
        KASHPAY_PASSWORD.to_string(),
        TELEPAGOS_PASSWORD.to_string(),
        WRONG.to_string(),
        TELEPAGOS_TOKEN.to_string(),
        KASHPAY_TOKEN.to_string(),
        NEW_RECEIVER_SECRET.to_string(),
        URL_PASSWORD.to_string(),
        token,
        basic(KASHIO_KEY, ""),
        basic(CP_PRIVATE, CP_PUBLIC),
        "Bearer ".to_string(),
        "Basic ".to_string(),
    ];
    for (what, text) in [("traces", &traces), ("formatted output", &printed.0)] {
        for secret in &forbidden {
            assert!(
                !text.contains(secret.as_str()),
                "{what} contain {secret:?}:\n{text}"
            );
        }
    }
}

/// A small standard base64 encoder, so the test can look for Basic credentials without
/// depending on the SDK's own encoding.
mod base64_like {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn known_vector() {
        assert_eq!(encode("sk_test:"), "c2tfdGVzdDo=");
        assert_eq!(encode("ab"), "YWI=");
    }
}
