//! Class 2, lost answer on cancel: a `DELETE` reached the provider and its answer was
//! lost (the connection dropped) or replaced by a gateway's 5xx. Had the SDK resent it,
//! the provider would refuse the copy ("already voided", "not found") although the first
//! one worked, and the caller would be told the cancel failed. The server is scripted
//! to answer exactly that refusal to a second copy, so a resend shows up both in the
//! request count and in the error.

use pagos::{Operation, Resend, UnknownCause};
use pagos_tests::hostile::{HostileServer, Reply, routes};

use super::{provider, transport, unknown};

/// (provider, the id to cancel, its `DELETE` route, what a resent copy is refused with).
fn cancels() -> [(&'static str, &'static str, String, Reply); 2] {
    [
        (
            "kashio",
            "inv_live_oFPMsJmgmxBhPiWAoWFZ3n",
            routes::kashio_invoice("inv_live_oFPMsJmgmxBhPiWAoWFZ3n"),
            Reply::json(409, r#"{"message":"invoice already VOIDED"}"#),
        ),
        (
            "khipu",
            "gqzdy6chjne9",
            routes::khipu_payment("gqzdy6chjne9"),
            Reply::json(404, r#"{"status":404,"message":"Pago no encontrado"}"#),
        ),
    ]
}

/// The table has a row for every provider whose descriptor offers a cancel.
#[test]
fn every_provider_that_cancels_has_a_row() {
    let mut cancelling: Vec<&str> = super::providers()
        .into_iter()
        .filter(|kind| {
            pagos::descriptor(kind)
                .unwrap()
                .capabilities
                .supports(Operation::CancelPayment)
        })
        .collect();
    let mut rows: Vec<&str> = cancels().iter().map(|(kind, ..)| *kind).collect();
    cancelling.sort_unstable();
    rows.sort_unstable();
    assert_eq!(rows, cancelling);
}

#[tokio::test]
async fn cancel_whose_answer_is_lost_is_unknown_and_never_resent() {
    let losses = [
        (
            "dropped connection",
            Reply::Drop,
            UnknownCause::ConnectionLost,
            None,
        ),
        (
            "504 HTML",
            Reply::html(504, "<html><body>504 Gateway Time-out</body></html>"),
            UnknownCause::ServerError,
            Some(504),
        ),
    ];
    for (kind, id, route, refusal_of_a_copy) in cancels() {
        for (loss, reply, cause, status) in losses.clone() {
            let case = format!("{kind} cancel, {loss}");
            let server = HostileServer::start().await;
            server.route("DELETE", &route, [reply, refusal_of_a_copy.clone()]);
            let client = provider(&server, kind, transport(3));

            let u = unknown(&case, client.cancel_payment(id).await);

            assert_eq!(u.cause, cause, "{case}: {u:?}");
            assert_eq!(u.http_status, status, "{case}");
            assert_eq!(u.resend(), Resend::AfterLookup, "{case}");
            assert_eq!(
                server.count("DELETE", &route),
                1,
                "{case}: sent exactly once"
            );
            assert_eq!(server.total(), 1, "{case}: nothing else was sent");
        }
    }
}
