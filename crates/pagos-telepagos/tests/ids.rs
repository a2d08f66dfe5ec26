//! Ids cannot change a path: every cash-in and cash-out id and the statistics period
//! are checked under their own field name before anything is sent, not even the
//! authentication that would precede the call. (Sale point ids are numbers and travel
//! in bodies and queries, never in a path.)

use httpmock::MockServer;
use pagos_core::{Error, PaymentProvider};
use pagos_telepagos::{Client, TelepagosClient};

/// Ids the URL standard would resolve (`.`, `..`, their encoded forms), blank ids and
/// ids with control characters.
const BAD_IDS: [&str; 6] = ["", ".", "..", ".\n.", "%2e%2e", "a\u{0}b"];

fn client(server: &MockServer) -> TelepagosClient {
    Client::builder()
        .username("api-user")
        .password("api-pass-s3cr3t")
        .base_url(server.url("/telepagos"))
        .unwrap()
        .build()
        .unwrap()
}

fn field<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Validation(v)) => v.field().to_string(),
        other => format!("not a validation error: {other:?}"),
    }
}

#[tokio::test]
async fn ids_and_periods_are_checked_before_authenticating() {
    let server = MockServer::start_async().await;
    // Any request at all, the token request included, would be counted here.
    let any = server
        .mock_async(|_when, then| {
            then.status(200)
                .body(r#"{"status":"ok","token":"tok","expires_at":4102444800}"#);
        })
        .await;
    let c = client(&server);
    for id in BAD_IDS {
        assert_eq!(
            field(c.cashouts().voucher(id).await),
            "cashout_id",
            "{id:?}"
        );
        assert_eq!(field(c.cashins().get(id).await), "cashin_id", "{id:?}");
        assert_eq!(field(c.statistics().get(id).await), "period", "{id:?}");
        assert_eq!(field(c.get_payment(id).await), "payment_id", "{id:?}");
        assert_eq!(field(c.get_payout(id).await), "payout_id", "{id:?}");
    }
    any.assert_calls_async(0).await;
}
