//! API 3.0 through a real loopback socket: the key header arrives, a refund answered
//! 500 is sent once and its outcome is unknown, a read answered 503 is retried.

use httpmock::Method::{GET, POST};
use httpmock::MockServer;
use pagos_core::{Error, UnknownCause};
use pagos_khipu::v3::KhipuV3Client;

use crate::support::transport;
use crate::v3_support::API_KEY;

fn client_for(server: &MockServer) -> KhipuV3Client {
    KhipuV3Client::builder()
        .api_key(API_KEY)
        .base_url(server.url("/k3"))
        .unwrap()
        .transport(transport())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_refund_answered_500_is_sent_once() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/k3/v3/refunds")
                .header("x-api-key", API_KEY)
                .header("content-type", "application/json")
                .body(r#"{"type":"full","payment_id":"zfxnocsow6mz"}"#);
            then.status(500)
                .body(r#"{"status":500,"message":"Internal server error"}"#);
        })
        .await;
    let err = client_for(&server)
        .refunds()
        .full("zfxnocsow6mz")
        .await
        .unwrap_err();
    let Error::OutcomeUnknown(u) = err else {
        panic!("{err:?}")
    };
    assert_eq!(u.cause, UnknownCause::ServerError);
    assert_eq!(u.attempts, 1);
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_read_answered_503_is_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/k3/v3/payments/abc")
                .header("x-api-key", API_KEY);
            then.status(503).body("");
        })
        .await;
    let err = client_for(&server).payments().get("abc").await.unwrap_err();
    assert!(err.as_provider_error().unwrap().is_transient(), "{err:?}");
    assert!(err.attempts().unwrap() > 1, "{err:?}");
    mock.assert_calls_async(usize::try_from(err.attempts().unwrap()).unwrap())
        .await;
}
