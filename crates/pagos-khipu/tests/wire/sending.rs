//! What the transport does with each endpoint's idempotency: a create is sent once
//! (through a real socket), a read is retried (the socket-free sender counts the
//! attempts).

use httpmock::Method::POST;
use httpmock::MockServer;
use pagos_core::Error;
use pagos_khipu::{CreatePaymentRequest, KhipuClient};

use crate::support::*;

fn client_for(server: &MockServer) -> KhipuClient {
    KhipuClient::builder()
        .receiver_id(RECEIVER)
        .secret(SECRET)
        .base_url(server.url(PREFIX))
        .unwrap()
        .transport(transport())
        .build()
        .unwrap()
}

#[tokio::test]
async fn error_503_on_create_is_sent_once_and_its_outcome_is_unknown() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(format!("{PREFIX}/payments"));
            then.status(503).body(ERROR_503);
        })
        .await;
    let req = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    let err = client.payments().create(&req).await.unwrap_err();
    // Khipu (or a gateway) may have created the payment before failing.
    assert_eq!(err.resend(), pagos_core::Resend::AfterLookup);
    let Error::OutcomeUnknown(e) = err else {
        panic!("a 5xx to a create is an unknown outcome: {err:?}")
    };
    assert_eq!(e.cause, pagos_core::UnknownCause::ServerError);
    assert_eq!(e.http_status, Some(503));
    assert_eq!(
        e.message.as_deref(),
        Some("Servicio no disponible temporalmente")
    );
    assert_eq!(e.raw_body.as_deref(), Some(ERROR_503));
    assert_eq!(e.attempts, 1);
    // The hint says how to look the payment up.
    assert!(e.hint.as_deref().unwrap().contains("transaction_id"));
    mock.assert_async().await;
}

#[tokio::test]
async fn error_503_on_get_is_retried() {
    let (client, fake) = fake_client();
    fake.route("GET", "/payments/abc", 503, ERROR_503);
    let e = provider_error(client.payments().get("abc").await.unwrap_err());
    assert_eq!(e.http_status, 503);
    assert_eq!(e.attempts, 3);
    assert_eq!(fake.calls(), 3);
    // Every attempt carried the same signed bytes.
    let sent = fake.requests();
    assert!(sent.iter().all(|r| r.headers() == sent[0].headers()));
}
