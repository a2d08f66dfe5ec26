//! The client: its builder, its defaults, and secrets that never show.

use pagos_core::Error;
use pagos_kashio::{CERT_BASE_URL, DEFAULT_BASE_URL, GetInvoice, KashioClient};

use crate::support::*;

#[tokio::test]
async fn secrets_never_show() {
    let (c, log) = fake_client(|_| (401, "Unauthorized".to_string()));
    let secret_fragments = [
        KEY,
        AUTH,
        "c2tfdGVzdF9mNXlqNmpBeHh4SGVwMzZqQXh4eGVwM3h4eEpVeDo",
    ];
    let debug = format!("{c:?}");
    assert!(debug.contains("[REDACTED]"));
    let builder = format!("{:?}", KashioClient::builder().secret_key(KEY));
    assert!(builder.contains("[REDACTED]"));
    let err = c.invoices().get("inv_1").await.unwrap_err();
    // The request as sent carries the key, and hides it.
    let sent = format!("{:?}", log.last());
    let authorized = format!(
        "{:?}",
        c.executor()
            .authorized(&GetInvoice::new("inv_1"))
            .await
            .unwrap()
    );
    let texts = [
        debug,
        builder,
        format!("{err:?}"),
        err.to_string(),
        sent,
        authorized,
        format!("{:?}", c.executor()),
    ];
    for text in &texts {
        for secret in secret_fragments {
            assert!(!text.contains(secret), "{text}");
        }
    }
}

#[test]
fn builder_defaults_and_errors() {
    let c = KashioClient::builder().secret_key(KEY).build().unwrap();
    assert_eq!(c.base_url().as_str(), DEFAULT_BASE_URL);
    assert_eq!(DEFAULT_BASE_URL, "https://api.kashio.net/v1/payments");
    assert_eq!(CERT_BASE_URL, "https://cert-api.kashio.net/v1/payments");
    assert_eq!(pagos_kashio::PROVIDER, "kashio");
    assert_eq!(c.executor().provider(), "kashio");
    let c = KashioClient::builder()
        .secret_key(KEY)
        .base_url(CERT_BASE_URL)
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(c.base_url().as_str(), CERT_BASE_URL);
    // Any `AsRef<str>`: the facade passes a `&String`.
    let url = String::from(CERT_BASE_URL);
    assert!(KashioClient::builder().base_url(&url).is_ok());
    let err = KashioClient::builder().build().unwrap_err();
    assert!(matches!(&err, Error::Config(c) if c.setting() == "secret_key"));
    assert!(
        KashioClient::builder()
            .base_url("http://api.kashio.net/v1/payments")
            .is_err()
    );
}

#[test]
fn handles_are_small_copies_of_a_clone_send_sync_client() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    fn copy<T: Copy>(_: T) {}
    check::<KashioClient>();
    let c = client();
    copy(c.invoices());
    copy(c.events());
}
