//! The client and its builder.

use pagos_acmepay::AcmepayClient;
use pagos_core::{Error, PaymentProvider};

use super::{KEY, client};

#[test]
fn secrets_are_redacted() {
    let c = client();
    assert!(!format!("{c:?}").contains(KEY));
    assert!(!format!("{:?}", c.executor()).contains(KEY));
    let b = AcmepayClient::builder().api_key(KEY);
    assert!(!format!("{b:?}").contains(KEY));
}

#[test]
fn the_builder_names_what_is_wrong() {
    let err = AcmepayClient::builder().build().unwrap_err();
    assert!(
        matches!(&err, Error::Config(c) if c.setting() == "api_key"),
        "{err:?}"
    );
    let err = AcmepayClient::builder().api_key("  ").build().unwrap_err();
    assert!(
        matches!(&err, Error::Config(c) if c.setting() == "api_key"),
        "{err:?}"
    );
    for url in [
        "http://api.example",
        "not a url",
        "https://user:pw@api.example",
    ] {
        let err = AcmepayClient::builder().base_url(url).unwrap_err();
        assert_eq!(err.setting(), "base_url", "{url}");
        assert!(!err.to_string().contains("pw@"), "{url}");
    }
    let c = AcmepayClient::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9/acmepay/")
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(c.base_url().as_str(), "http://127.0.0.1:9/acmepay");
}

#[test]
fn the_unified_api_is_what_the_descriptor_says() {
    let c = client();
    assert_eq!(c.name(), pagos_acmepay::PROVIDER);
    assert_eq!(c.capabilities(), pagos_acmepay::DESCRIPTOR.capabilities);
}
