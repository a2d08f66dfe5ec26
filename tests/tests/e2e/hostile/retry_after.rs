//! Class 6, `Retry-After` in every form RFC 9110 allows (delta-seconds, IMF-fixdate,
//! RFC 850, asctime) on a 503 to a call that may be repeated: a wait within the
//! policy's ceiling is honoured and the second attempt succeeds; a longer one ends the
//! retries at once and hands the advised wait to the caller in `Error::retry_after`.
//! The waits within the ceiling are zero (`0`, or a date in the past), so nothing here
//! really waits.
//!
//! Kashpay has no read: its repeatable call is the token request (a `POST` that only
//! reads), so its 503 is the authentication's.

use std::time::Duration;

use pagos::{Error, PaymentProvider, Resend, RetryPolicy};
use pagos_tests::hostile::{HostileServer, Reply, fixtures, routes};
use time::OffsetDateTime;
use time::macros::format_description;

use super::{authenticates, kashpay_payout, provider, transport, transport_with};

/// A repeatable call per provider: its method and route, its success answer and the
/// provider's own 503 body.
struct Repeatable {
    kind: &'static str,
    method: &'static str,
    route: String,
    ok: &'static str,
    unavailable: &'static str,
}

/// The table has a row per provider the suite covers.
#[test]
fn every_provider_has_a_repeatable_call() {
    let kinds: Vec<&str> = repeatables().iter().map(|r| r.kind).collect();
    crate::support::assert_covers("the Retry-After table", &kinds);
}

fn repeatables() -> Vec<Repeatable> {
    vec![
        Repeatable {
            kind: "khipu",
            method: "GET",
            route: routes::khipu_payment("7vnqtalz0ikb"),
            ok: fixtures::KHIPU_PAYMENT,
            unavailable: r#"{"status":503,"message":"Servicio no disponible"}"#,
        },
        Repeatable {
            kind: "kashio",
            method: "GET",
            route: routes::kashio_invoice("inv_live_oFPMsJmgmxBhPiWAoWFZ3n"),
            ok: fixtures::KASHIO_INVOICE,
            unavailable: r#"{"message":"Service unavailable"}"#,
        },
        Repeatable {
            kind: "compropago",
            method: "GET",
            route: routes::compropago_order("ch_c1c0983d-6318-4f65-838c-8ff60afacf18"),
            ok: fixtures::COMPROPAGO_ORDER,
            unavailable: r#"{"code":503,"status":"error","message":"Servicio no disponible"}"#,
        },
        Repeatable {
            kind: "kashpay",
            method: "POST",
            route: routes::KASHPAY_AUTH.to_string(),
            ok: fixtures::KASHPAY_AUTH,
            unavailable: r#"{"success":false,"error":{"name":"ServiceUnavailable","message":"Servicio no disponible","code":503}}"#,
        },
        Repeatable {
            kind: "telepagos",
            method: "GET",
            route: routes::telepagos_cashin("555001"),
            ok: fixtures::TELEPAGOS_CASHIN,
            unavailable: r#"{"status":"error","message":"Servicio no disponible"}"#,
        },
    ]
}

async fn call(kind: &'static str, provider: &dyn PaymentProvider) -> Result<(), Error> {
    match kind {
        "khipu" => provider.get_payment("7vnqtalz0ikb").await.map(drop),
        "kashio" => provider
            .get_payment("inv_live_oFPMsJmgmxBhPiWAoWFZ3n")
            .await
            .map(drop),
        "compropago" => provider
            .get_payment("ch_c1c0983d-6318-4f65-838c-8ff60afacf18")
            .await
            .map(drop),
        "kashpay" => provider
            .create_payout(&kashpay_payout("5000081"))
            .await
            .map(drop),
        "telepagos" => provider.get_payment("555001").await.map(drop),
        other => panic!("no repeatable call for {other}"),
    }
}

/// `at` in the three HTTP-date forms: (form, text).
fn http_dates(at: OffsetDateTime) -> [(&'static str, String); 3] {
    let format = |f: &[time::format_description::BorrowedFormatItem<'_>]| {
        at.format(f).expect("an HTTP-date formats")
    };
    [
        (
            "IMF-fixdate",
            format(format_description!(
                "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
            )),
        ),
        (
            "RFC 850",
            format(format_description!(
                "[weekday], [day]-[month repr:short]-[year repr:last_two] [hour]:[minute]:[second] GMT"
            )),
        ),
        (
            "asctime",
            format(format_description!(
                "[weekday repr:short] [month repr:short] [day padding:space] [hour]:[minute]:[second] [year]"
            )),
        ),
    ]
}

/// A server whose first answer to `r` is a 503 asking to wait `retry_after`, and whose
/// second is the success; it authenticates token providers and takes Kashpay orders.
async fn unavailable_then_ok(r: &Repeatable, retry_after: &str) -> HostileServer {
    let server = HostileServer::start().await;
    authenticates(&server, r.kind);
    server.route(
        r.method,
        &r.route,
        [
            Reply::json(503, r.unavailable).header("retry-after", retry_after),
            Reply::json(200, r.ok),
        ],
    );
    server.route(
        "POST",
        routes::KASHPAY_ORDERS,
        [Reply::json(200, fixtures::KASHPAY_ORDER)],
    );
    server
}

#[tokio::test]
async fn retry_after_within_the_ceiling_is_honoured_in_every_form() {
    let past = OffsetDateTime::now_utc() - time::Duration::days(1);
    let mut waits = vec![("delta-seconds", "0".to_string())];
    waits.extend(http_dates(past));
    for r in repeatables() {
        for (form, value) in &waits {
            let case = format!("{} {form} {value:?}", r.kind);
            let server = unavailable_then_ok(&r, value).await;
            // A backoff of 10–20 s: had the zero `Retry-After` not been read, the retry
            // would wait that long, and the bound below fails the case instead.
            let slow_backoff = RetryPolicy::attempts(3)
                .with_backoff(Duration::from_secs(20), Duration::from_secs(20));
            let client = provider(
                &server,
                r.kind,
                transport_with(slow_backoff, Duration::from_secs(10)),
            );

            let result = tokio::time::timeout(Duration::from_secs(5), call(r.kind, &*client))
                .await
                .unwrap_or_else(|_| panic!("{case}: the Retry-After wait was not honoured"));

            assert!(result.is_ok(), "{case}: {result:?}");
            assert_eq!(
                server.count(r.method, &r.route),
                2,
                "{case}: the second attempt"
            );
        }
    }
}

#[tokio::test]
async fn retry_after_beyond_the_ceiling_ends_the_retries_with_the_advised_wait() {
    let hour = Duration::from_secs(3600);
    let ahead = OffsetDateTime::now_utc() + time::Duration::hours(1);
    let mut waits = vec![("delta-seconds", "3600".to_string())];
    waits.extend(http_dates(ahead));
    for r in repeatables() {
        for (form, value) in &waits {
            let case = format!("{} {form} {value:?}", r.kind);
            let server = unavailable_then_ok(&r, value).await;
            // The default ceiling (30 s) is far below the hour asked for.
            let client = provider(&server, r.kind, transport(3));

            let err = call(r.kind, &*client).await.expect_err(&case);

            let Error::Provider(p) = &err else {
                panic!("{case}: expected the 503 refusal, got {err:?}");
            };
            assert_eq!(p.http_status, 503, "{case}");
            assert_eq!(p.attempts, 1, "{case}");
            let advised = err
                .retry_after()
                .unwrap_or_else(|| panic!("{case}: no retry_after"));
            assert_eq!(p.retry_after, Some(advised), "{case}");
            // A date has whole seconds and was formatted shortly before (a minute of slack
            // for a machine busy with other builds).
            assert!(
                advised <= hour && advised >= hour - Duration::from_secs(60),
                "{case}: advised {advised:?}"
            );
            assert_eq!(err.resend(), Resend::Safe, "{case}: after the wait");
            assert_eq!(
                server.count(r.method, &r.route),
                1,
                "{case}: no second attempt"
            );
            assert_eq!(server.count("POST", routes::KASHPAY_ORDERS), 0, "{case}");
        }
    }
}
