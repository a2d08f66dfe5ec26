//! Class 1, processed-then-5xx: the provider (or the gateway in front of it) received
//! the create, may have acted on it, and answered 5xx. A caller told "failed" would
//! create the payment again; a caller told "safe to retry" likewise. So the error must be
//! `OutcomeUnknown` (`ServerError`, `Resend::AfterLookup`) with what the answer said
//! kept, and the create must have arrived exactly once (the transport retries reads,
//! and would retry a create it wrongly trusted).
//!
//! The one create that carries an idempotency reference, the TelePagos cash-out, is
//! the opposite case: it must be resent, with identical bytes, and a final 5xx or a
//! refusal after an unknown attempt is still an unknown outcome, safe to resend.

use pagos::{Resend, UnknownCause};
use pagos_tests::hostile::{HostileServer, Reply, routes};

use super::{Create, authenticates, provider, telepagos_payout, token_route, transport, unknown};

/// A gateway's HTML page, as nginx sends it.
const GATEWAY_TIMEOUT: &str = "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center></body></html>";

/// Each provider's own JSON error body, sent with a 502.
fn json_5xx(kind: &'static str) -> (&'static str, &'static str) {
    match kind {
        "khipu" => (
            r#"{"status":502,"message":"Servicio no disponible"}"#,
            "Servicio no disponible",
        ),
        "kashio" => (r#"{"message":"upstream failure"}"#, "upstream failure"),
        "compropago" => (
            r#"{"code":502,"status":"error","message":"Upstream error"}"#,
            "Upstream error",
        ),
        "kashpay" => (
            r#"{"success":false,"error":{"name":"GatewayException","message":"Tiempo de espera agotado","code":502}}"#,
            "Tiempo de espera agotado",
        ),
        "telepagos" => (
            r#"{"status":"error","message":"Bad gateway"}"#,
            "Bad gateway",
        ),
        other => panic!("no JSON error for {other}"),
    }
}

/// The three answers of class 1: (status, body, reply, a message the error keeps).
fn processed_then_failed(
    kind: &'static str,
) -> Vec<(u16, &'static str, Reply, Option<&'static str>)> {
    let (json, message) = json_5xx(kind);
    vec![
        (
            504,
            GATEWAY_TIMEOUT,
            Reply::html(504, GATEWAY_TIMEOUT),
            None,
        ),
        (500, "", Reply::status(500, ""), None),
        (502, json, Reply::json(502, json), Some(message)),
    ]
}

#[tokio::test]
async fn processed_then_5xx_create_is_an_unknown_outcome_sent_once() {
    for kind in super::providers() {
        for (status, body, reply, message) in processed_then_failed(kind) {
            let case = format!("{kind} create answered {status}");
            let server = HostileServer::start().await;
            authenticates(&server, kind);
            let (create, route) = Create::for_provider(kind);
            server.route("POST", route, [reply]);
            // Three attempts allowed: a create the transport wrongly trusted would be
            // sent three times.
            let client = provider(&server, kind, transport(3));

            let u = unknown(&case, create.send(&*client).await);

            assert_eq!(u.cause, UnknownCause::ServerError, "{case}: {u:?}");
            assert_eq!(u.resend(), Resend::AfterLookup, "{case}");
            assert_eq!(
                pagos::Error::OutcomeUnknown(u.clone()).resend(),
                Resend::AfterLookup,
                "{case}"
            );
            assert_eq!(u.http_status, Some(status), "{case}");
            assert_eq!(
                u.raw_body.as_deref(),
                Some(body),
                "{case}: the raw body is kept"
            );
            if let Some(message) = message {
                let kept = u.message.as_deref().unwrap_or_default();
                assert!(kept.contains(message), "{case}: message {kept:?}");
            }
            assert_eq!(u.attempts, 1, "{case}");
            assert!(u.hint.is_some(), "{case}: the error says how to look it up");
            assert_eq!(server.count("POST", route), 1, "{case}: sent exactly once");
            if let Some(token) = token_route(kind) {
                assert_eq!(server.count("POST", token), 1, "{case}: one authentication");
            }
        }
    }
}

/// ComproPago also reports failures inside HTTP 200 (its envelope's `code`); a 5xx
/// `code` there is the same processed-then-failed answer.
#[tokio::test]
async fn compropago_5xx_envelope_under_http_200_is_an_unknown_outcome_sent_once() {
    let server = HostileServer::start().await;
    let body = r#"{"code":503,"status":"error","message":"Servicio no disponible"}"#;
    server.route("POST", routes::COMPROPAGO_ORDERS, [Reply::json(200, body)]);
    let (create, _) = Create::for_provider("compropago");
    let client = provider(&server, "compropago", transport(3));

    let u = unknown("compropago", create.send(&*client).await);

    assert_eq!(u.cause, UnknownCause::ServerError, "{u:?}");
    assert_eq!(u.resend(), Resend::AfterLookup);
    assert_eq!(u.http_status, Some(200));
    assert_eq!(u.code.as_deref(), Some("503"));
    assert_eq!(u.raw_body.as_deref(), Some(body));
    assert_eq!(server.count("POST", routes::COMPROPAGO_ORDERS), 1);
}

/// The keyed cash-out is resent after each 5xx with the same bytes; when every attempt
/// fails the outcome is unknown (an earlier attempt may have paid), and resending it
/// is safe because TelePagos deduplicates by `reference_id`.
#[tokio::test]
async fn telepagos_cashout_is_resent_identically_and_ends_unknown_but_safe() {
    let (json, _) = json_5xx("telepagos");
    let scripts: [(&str, Vec<Reply>, u16, usize); 2] = [
        (
            "504, 500, 502",
            vec![
                Reply::html(504, GATEWAY_TIMEOUT),
                Reply::status(500, ""),
                Reply::json(502, json),
            ],
            502,
            3,
        ),
        (
            // The retry is refused as a duplicate: the first attempt did pay, and a
            // caller told "refused" would pay again under a new reference.
            "504, then 409 duplicate",
            vec![
                Reply::html(504, GATEWAY_TIMEOUT),
                Reply::json(
                    409,
                    r#"{"status":"error","message":"reference_id duplicado"}"#,
                ),
            ],
            409,
            2,
        ),
    ];
    for (case, replies, last_status, arrived) in scripts {
        let server = HostileServer::start().await;
        authenticates(&server, "telepagos");
        server.route("POST", routes::TELEPAGOS_CASHOUT, replies);
        let client = provider(&server, "telepagos", transport(3));

        let u = unknown(
            case,
            client.create_payout(&telepagos_payout("payout-0001")).await,
        );

        assert_eq!(
            u.cause,
            UnknownCause::EarlierAttemptUnknown,
            "{case}: {u:?}"
        );
        assert_eq!(u.resend(), Resend::Safe, "{case}");
        assert_eq!(u.http_status, Some(last_status), "{case}");
        assert_eq!(u.attempts as usize, arrived, "{case}");
        let sent = server.requests("POST", routes::TELEPAGOS_CASHOUT);
        assert_eq!(sent.len(), arrived, "{case}");
        for again in &sent[1..] {
            assert_eq!(again.body, sent[0].body, "{case}: identical bytes");
            assert_eq!(
                again.header("content-type"),
                sent[0].header("content-type"),
                "{case}"
            );
        }
        let body = String::from_utf8_lossy(&sent[0].body).into_owned();
        assert!(
            body.contains(r#""reference_id":"payout-0001""#),
            "{case}: {body}"
        );
    }
}
