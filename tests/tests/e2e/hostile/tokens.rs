//! Class 3, token sessions under load: Kashpay and TelePagos authenticate before their
//! calls, and a thousand callers that find no token at once must share one
//! authentication, whatever it ends in: a failure (one request, every caller gets its
//! error), no answer at all (one request, every caller gives up within the transport
//! timeout with `NotSent`), or a token whose lifetime cannot be planned around (zero,
//! shorter than the refresh margin, already past: still one authentication, not one
//! per call).
//!
//! Determinism: the server holds the authentication's answer behind a [`Gate`] until
//! every caller has been polled once, which is when it has joined the session's
//! renewal (nothing awaits before that in these calls). So "exactly one request" holds
//! on any machine, however slowly the callers start.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pagos::{Error, PaymentProvider, Resend, RetryPolicy};
use pagos_tests::hostile::{Gate, HostileServer, Reply, fixtures, routes};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{kashpay_payout, provider, transport, transport_with};

/// How many callers ask for a token at once.
const CALLERS: usize = 1000;

/// Each provider's call that needs the session token, its token route and the route
/// the call itself goes to, with an answer that lets it succeed.
struct Session {
    kind: &'static str,
    token_route: &'static str,
    call_method: &'static str,
    call_route: &'static str,
    call_ok: &'static str,
}

const SESSIONS: [Session; 2] = [
    Session {
        kind: "kashpay",
        token_route: routes::KASHPAY_AUTH,
        call_method: "POST",
        call_route: routes::KASHPAY_ORDERS,
        call_ok: fixtures::KASHPAY_ORDER,
    },
    Session {
        kind: "telepagos",
        token_route: routes::TELEPAGOS_TOKEN,
        call_method: "GET",
        call_route: routes::TELEPAGOS_BALANCE,
        call_ok: fixtures::TELEPAGOS_BALANCE,
    },
];

/// One call through the facade: Kashpay's only call (`create_payout`), TelePagos'
/// cheapest (`balance`).
async fn call(kind: &'static str, provider: &dyn PaymentProvider) -> Result<(), Error> {
    match kind {
        "kashpay" => provider
            .create_payout(&kashpay_payout("5000091"))
            .await
            .map(drop),
        "telepagos" => provider.balance().await.map(drop),
        other => panic!("{other} has no token session"),
    }
}

/// Starts [`CALLERS`] concurrent calls, each in its own task, and returns once every
/// one of them has been polled once (and so is waiting for the session's token). Each
/// task returns its result and how long it took.
async fn callers(
    kind: &'static str,
    provider: &Arc<dyn PaymentProvider>,
) -> Vec<JoinHandle<(Result<(), Error>, Duration)>> {
    let (polled, mut each_polled) = mpsc::unbounded_channel();
    let handles: Vec<_> = (0..CALLERS)
        .map(|_| {
            let provider = Arc::clone(provider);
            let polled = polled.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let result = after_first_poll(call(kind, &*provider), move || {
                    let _ = polled.send(());
                })
                .await;
                (result, started.elapsed())
            })
        })
        .collect();
    for _ in 0..CALLERS {
        crate::support::within("every caller to start", each_polled.recv())
            .await
            .expect("a caller reports its first poll");
    }
    handles
}

/// Runs `future`, calling `first` once right after its first poll returned.
async fn after_first_poll<F: Future>(future: F, first: impl FnOnce()) -> F::Output {
    let mut future = pin!(future);
    let mut first = Some(first);
    poll_fn(|cx| {
        let poll = future.as_mut().poll(cx);
        if let Some(first) = first.take() {
            first();
        }
        poll
    })
    .await
}

async fn results(
    handles: Vec<JoinHandle<(Result<(), Error>, Duration)>>,
) -> Vec<(Result<(), Error>, Duration)> {
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(
            crate::support::within("a caller to finish", h)
                .await
                .expect("the caller's task completes"),
        );
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_authentication_is_one_request_for_a_thousand_callers() {
    for s in SESSIONS {
        let server = HostileServer::start().await;
        let gate = Gate::new();
        server.route(
            "POST",
            s.token_route,
            [Reply::html(500, "<html>Internal Server Error</html>").held(&gate)],
        );
        server.route(s.call_method, s.call_route, [Reply::json(200, s.call_ok)]);
        // No retries: one renewal round is one request.
        let client = provider(
            &server,
            s.kind,
            transport_with(RetryPolicy::NONE, Duration::from_secs(10)),
        );

        let handles = callers(s.kind, &client).await;
        gate.open();
        let results = results(handles).await;

        for (result, _) in &results {
            match result {
                // The authentication's own refusal, shared: a 5xx to a token request is
                // a refusal (the request only reads), and the payout was never sent.
                Err(Error::Provider(p)) => {
                    assert_eq!(p.http_status, 500, "{}: {p:?}", s.kind);
                    assert_eq!(p.operation, "authenticate", "{}", s.kind);
                    assert_eq!(result.as_ref().unwrap_err().resend(), Resend::Safe);
                }
                other => panic!("{}: expected the shared 500, got {other:?}", s.kind),
            }
        }
        assert_eq!(
            server.count("POST", s.token_route),
            1,
            "{}: one renewal",
            s.kind
        );
        assert_eq!(
            server.total(),
            1,
            "{}: no call went out without a token",
            s.kind
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hanging_authentication_gives_every_caller_not_sent_within_the_timeout() {
    let timeout = Duration::from_secs(1);
    for s in SESSIONS {
        let server = HostileServer::start().await;
        server.route("POST", s.token_route, [Reply::Hang]);
        let client = provider(&server, s.kind, transport_with(RetryPolicy::NONE, timeout));

        let started = Instant::now();
        let results = results(callers(s.kind, &client).await).await;
        let elapsed = started.elapsed();

        for (result, took) in &results {
            assert!(
                matches!(result, Err(Error::NotSent(_))),
                "{}: expected NotSent, got {result:?}",
                s.kind
            );
            // The session bounds the wait by the transport timeout; the slack is for a
            // loaded machine, not for the SDK.
            assert!(
                *took < timeout + Duration::from_secs(2),
                "{}: a caller waited {took:?}",
                s.kind
            );
        }
        assert!(
            elapsed < Duration::from_secs(5),
            "{}: {CALLERS} callers took {elapsed:?}",
            s.kind
        );
        // Every caller joined the one renewal before the timeout ended it.
        assert_eq!(server.count("POST", s.token_route), 1, "{}", s.kind);
        assert_eq!(server.total(), 1, "{}", s.kind);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unplannable_token_lifetimes_still_mean_one_authentication() {
    let in_30_s = time::OffsetDateTime::now_utc().unix_timestamp() + 30;
    let lifetimes = [
        (
            "kashpay",
            "expires \"0\"",
            r#"{"success":true,"authenticationResponse":{"token":"tok-zero","expires":"0"}}"#
                .to_string(),
        ),
        (
            "kashpay",
            "expires \"30000\" (30 s, inside the 60 s margin)",
            r#"{"success":true,"authenticationResponse":{"token":"tok-short","expires":"30000"}}"#
                .to_string(),
        ),
        (
            "telepagos",
            "expires_at in the past",
            r#"{"status":"ok","token":"tok-past","expires_at":0}"#.to_string(),
        ),
        (
            "telepagos",
            "expires_at 30 s ahead, inside the 60 s margin",
            format!(r#"{{"status":"ok","token":"tok-soon","expires_at":{in_30_s}}}"#),
        ),
    ];
    for (kind, case, answer) in lifetimes {
        let s = SESSIONS
            .iter()
            .find(|s| s.kind == kind)
            .expect("a session provider");
        let server = HostileServer::start().await;
        let gate = Gate::new();
        server.route(
            "POST",
            s.token_route,
            [Reply::json(200, answer).held(&gate)],
        );
        server.route(s.call_method, s.call_route, [Reply::json(200, s.call_ok)]);
        let client = provider(&server, kind, transport(3));

        let handles = callers(kind, &client).await;
        gate.open();
        for (result, _) in results(handles).await {
            assert!(result.is_ok(), "{kind}, {case}: {result:?}");
        }
        for _ in 0..50 {
            let result = call(kind, &*client).await;
            assert!(result.is_ok(), "{kind}, {case}, sequential: {result:?}");
        }

        assert_eq!(
            server.count("POST", s.token_route),
            1,
            "{kind}, {case}: one authentication for {} calls",
            CALLERS + 50
        );
        assert_eq!(
            server.count(s.call_method, s.call_route),
            CALLERS + 50,
            "{kind}, {case}"
        );
    }
}
