//! Secrets never leak: every provider's flows run with tracing captured at TRACE, every
//! error is formatted with `{}` and `{:?}`, clients are formatted with `{:?}`, and no
//! configured secret, password, token or `Authorization` value appears in any of it.
//!
//! This is the one test with a binary of its own: tracing caches per-callsite interest
//! process-wide, so other tests running first on other threads (with no subscriber) can
//! leave the SDK's callsites disabled for this test's scoped subscriber.

#[allow(dead_code)] // shared with the e2e binary, which uses all of it
#[path = "../e2e/support.rs"]
mod support;

use std::fmt::Debug;
use std::io::Write;
use std::sync::{Arc, Mutex};

use pagos::{
    BankAccount, CreatePayment, Currency, EnvConfig, PayoutRequest, ProviderKind, RefundRequest,
};
use pagos_sandbox::{Credentials, Provider, SandboxHandle};

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

/// Runs every provider's flows, refused calls included; returns the live Kashpay token.
async fn flows(sandbox: &SandboxHandle, printed: &mut Printed) -> String {
    let vars = env_map(sandbox);
    let good = EnvConfig::from_fn(|name| vars.get(name).cloned());
    let wrong = EnvConfig::from_fn(|name| {
        if name.contains("SECRET") || name.contains("KEY") || name.contains("PASSWORD") {
            Some(WRONG.to_string())
        } else {
            vars.get(name).cloned()
        }
    });
    let build = |config: &EnvConfig<'_>, kind| {
        pagos::from_env_with(kind, config, Some(fast_transport())).expect("provider builds")
    };

    for kind in ProviderKind::ALL {
        let provider = build(&good, kind);
        let refused = build(&wrong, kind);
        printed.debug(&provider);
        printed.debug(&refused);
        let request = match kind {
            ProviderKind::Khipu => {
                CreatePayment::builder(money("1000", Currency::Clp), "Secret test")
            }
            ProviderKind::Kashio => {
                CreatePayment::builder(money("15.00", Currency::Pen), "Secret test")
                    .payer_name("Juan Perez")
                    .payer_email("juan@example.com")
            }
            ProviderKind::Compropago => {
                CreatePayment::builder(money("150.00", Currency::Mxn), "Secret test")
                    .payer_name("Waldix")
                    .payer_email("waldix@example.com")
            }
            _ => CreatePayment::builder(money("1500.00", Currency::Ars), "Secret test"),
        }
        .merchant_reference("SECRET1")
        .build()
        .expect("valid request");
        // The refused call first, then the real flow.
        printed.result(refused.create_payment(&request).await);
        if let Some(payment) = printed.result(provider.create_payment(&request).await) {
            printed.result(provider.get_payment(&payment.id).await);
            if kind == ProviderKind::Khipu {
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

    let kashpay = build(&good, ProviderKind::Kashpay);
    let payout = PayoutRequest::builder(
        money("10.00", Currency::Mxn),
        BankAccount::Clabe(CLABE.into()),
        "SECRETPAYOUT1",
    )
    .beneficiary_name("Ana Perez")
    .build()
    .expect("valid payout");
    printed.result(kashpay.create_payout(&payout).await);
    printed.result(
        build(&wrong, ProviderKind::Kashpay)
            .create_payout(&payout)
            .await,
    );

    let telepagos = build(&good, ProviderKind::Telepagos);
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
    printed.result(build(&wrong, ProviderKind::Telepagos).balance().await);

    // The concrete clients' own Debug, and a Kashpay session that authenticates here
    // (under the capture) and whose live token must not show anywhere.
    let kashpay_client = pagos::kashpay_client(&good, None).expect("kashpay client");
    printed.debug(&kashpay_client);
    printed.debug(kashpay_client.session());
    printed.debug(&pagos::khipu_client(&good, None).expect("khipu client"));
    printed.debug(&pagos::telepagos_client(&good, None).expect("telepagos client"));
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
        runtime.block_on(flows(&sandbox, &mut printed))
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
