//! The 3.0 webhook verifier against test vector A of Khipu's docs example, and
//! every way it must fail.

use std::time::Duration;

use pagos_khipu::payments::PaymentMethod;
use pagos_khipu::v3::webhook::{
    DEFAULT_TOLERANCE, SignatureHeader, WebhookError, WebhookVerifier, sign, verify,
};
use proptest::prelude::*;
use time::OffsetDateTime;

const SECRET: &str = "1a4cbbbeb8bdb7e1d73572b9cc43ce4ce18f79d9";
const T: i64 = 1_711_965_600_393;
const HEADER: &str = "t=1711965600393,s=GYzpjnXlTKQ+BJY7pZJmrM6DZgWMSJdtOr/dleBKTdg=";
const BODY: &str = r#"{"payment_id":"zfxnocsow6mz","receiver_id":990939,"subject":"TEST_COBRO","amount":"1000.0000","discount":"0.0000","currency":"CLP","receipt_url":"https:\/\/s3.amazonaws.com\/staging.notifications.khipu.com\/CPKH-1804240956-zfxnocsow6mz.pdf","bank":"DemoBank","bank_id":"Bawdf","payer_name":"Cobrador de desarrollo #990.939","payer_email":"test@khipu.com","personal_identifier":"44.444.444-4","bank_account_number":"000000000000444444444","out_of_date_conciliation":false,"transaction_id":"15f836bd-e8a7-4d12-b2f1-56403012b555","responsible_user_email":"test@khipu.com","payment_method":"simplified_transfer","conciliation_date":"2024-04-18T13:56:54.859Z"}"#;

/// The vector's own time, plus `ms`.
fn at(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(T + ms) * 1_000_000).unwrap()
}

fn check(header: &str, body: &[u8]) -> Result<pagos_khipu::v3::webhook::Webhook, WebhookError> {
    verify(SECRET, header, body, at(0))
}

#[test]
fn vector_a_verifies_and_decodes() {
    assert_eq!(BODY.len(), 655);
    let w = check(HEADER, BODY.as_bytes()).unwrap();
    assert_eq!(w.payment_id, "zfxnocsow6mz");
    assert_eq!(w.receiver_id.as_deref(), Some("990939"));
    assert_eq!(w.amount.unwrap().to_string(), "1000.0000");
    assert_eq!(w.money().unwrap().to_plain_string(), "1000");
    assert_eq!(w.discount.unwrap().to_string(), "0.0000");
    assert_eq!(w.currency.as_deref(), Some("CLP"));
    assert_eq!(
        w.transaction_id.as_deref(),
        Some("15f836bd-e8a7-4d12-b2f1-56403012b555")
    );
    assert_eq!(w.payment_method, Some(PaymentMethod::SimplifiedTransfer));
    assert_eq!(
        w.receipt_url.as_deref(),
        Some(
            "https://s3.amazonaws.com/staging.notifications.khipu.com/CPKH-1804240956-zfxnocsow6mz.pdf"
        )
    );
    assert!(w.is_reconciled());
    assert_eq!(w.raw.get(), BODY);
    // Our signer writes the same header.
    assert_eq!(sign(SECRET, T, BODY.as_bytes()).unwrap(), HEADER);
    // Tolerance edges (300 s default), both directions.
    let v = WebhookVerifier::new(SECRET);
    assert_eq!(DEFAULT_TOLERANCE, Duration::from_secs(300));
    assert!(v.verify_at(HEADER, BODY.as_bytes(), at(300_000)).is_ok());
    assert!(v.verify_at(HEADER, BODY.as_bytes(), at(-300_000)).is_ok());
    // Receiver check.
    let v = WebhookVerifier::new(SECRET).expect_receiver_id("990939");
    assert!(v.verify_at(HEADER, BODY.as_bytes(), at(0)).is_ok());
}

#[test]
fn altered_bodies_and_wrong_secrets_fail() {
    let unescaped = BODY.replace("\\/", "/");
    assert_eq!(
        check(HEADER, unescaped.as_bytes()).unwrap_err(),
        WebhookError::SignatureMismatch
    );
    let trailing = format!("{BODY} ");
    assert_eq!(
        check(HEADER, trailing.as_bytes()).unwrap_err(),
        WebhookError::SignatureMismatch
    );
    let changed = BODY.replace("1000.0000", "9000.0000");
    assert_eq!(
        check(HEADER, changed.as_bytes()).unwrap_err(),
        WebhookError::SignatureMismatch
    );
    let e = verify(
        "1a4cbbbeb8bdb7e1d73572b9cc43ce4ce18f79d8",
        HEADER,
        BODY.as_bytes(),
        at(0),
    );
    assert_eq!(e.unwrap_err(), WebhookError::SignatureMismatch);
    // The API key is not the key.
    let e = verify(
        "2f1c7a9e-5b8d-4c1a-9e3f-0a1b2c3d4e5f",
        HEADER,
        BODY.as_bytes(),
        at(0),
    );
    assert_eq!(e.unwrap_err(), WebhookError::SignatureMismatch);
    assert_eq!(
        verify("", HEADER, BODY.as_bytes(), at(0)).unwrap_err(),
        WebhookError::NoSecret
    );
    // Another timestamp with the same signature.
    let e = check(
        "t=1711965600394,s=GYzpjnXlTKQ+BJY7pZJmrM6DZgWMSJdtOr/dleBKTdg=",
        BODY.as_bytes(),
    );
    assert_eq!(e.unwrap_err(), WebhookError::SignatureMismatch);
    // The wrong receiver.
    let v = WebhookVerifier::new(SECRET).expect_receiver_id("985101");
    assert!(matches!(
        v.verify_at(HEADER, BODY.as_bytes(), at(0)).unwrap_err(),
        WebhookError::ReceiverMismatch { .. }
    ));
}

#[test]
fn expired_timestamps_fail_unless_the_window_is_off() {
    let v = WebhookVerifier::new(SECRET);
    let e = v
        .verify_at(HEADER, BODY.as_bytes(), at(300_001))
        .unwrap_err();
    assert_eq!(
        e,
        WebhookError::OutsideTolerance {
            age_ms: 300_001,
            tolerance_s: 300
        }
    );
    assert!(e.to_string().contains("300 s"), "{e}");
    assert!(v.verify_at(HEADER, BODY.as_bytes(), at(-300_001)).is_err());
    // The real clock: this t is in 2024.
    assert!(matches!(
        v.verify(HEADER, BODY.as_bytes()).unwrap_err(),
        WebhookError::OutsideTolerance { .. }
    ));
    let short = WebhookVerifier::new(SECRET).tolerance(Duration::from_secs(1));
    assert!(short.verify_at(HEADER, BODY.as_bytes(), at(1_001)).is_err());
    assert!(short.verify_at(HEADER, BODY.as_bytes(), at(1_000)).is_ok());
    let off = WebhookVerifier::new(SECRET).without_tolerance();
    assert!(off.verify(HEADER, BODY.as_bytes()).is_ok());
    // A timestamp in seconds (Khipu's own test script) is 54 years away.
    let secs = sign(SECRET, 1_711_965_600, BODY.as_bytes()).unwrap();
    assert!(matches!(
        v.verify_at(&secs, BODY.as_bytes(), at(0)).unwrap_err(),
        WebhookError::OutsideTolerance { .. }
    ));
}

#[test]
fn header_syntax() {
    let s = "s=GYzpjnXlTKQ+BJY7pZJmrM6DZgWMSJdtOr/dleBKTdg=";
    let body = BODY.as_bytes();
    // Order, spaces and unknown keys do not matter; the padding survives.
    for ok in [
        format!("{s},t={T}"),
        format!(" t={T} , {s} "),
        format!("v1=abc,t={T},x=,{s},"),
        format!("t={T},{s},t2=9"),
    ] {
        assert!(check(&ok, body).is_ok(), "{ok}");
    }
    let parsed = SignatureHeader::parse(HEADER).unwrap();
    assert_eq!(parsed.timestamp_ms, T);
    assert!(parsed.signature.ends_with('='));
    for (bad, why) in [
        (s.to_string(), WebhookError::MissingTimestamp),
        (format!("t={T}"), WebhookError::MissingSignature),
        (format!("t={T},t={T},{s}"), WebhookError::DuplicateKey("t")),
        (format!("t={T},{s},{s}"), WebhookError::DuplicateKey("s")),
        (format!("t={T},{s},garbage"), WebhookError::MalformedPart),
        (format!("t=-1,{s}"), WebhookError::MalformedTimestamp),
        (format!("t=1.5,{s}"), WebhookError::MalformedTimestamp),
        (format!("t=,{s}"), WebhookError::MalformedTimestamp),
        (
            format!("t=99999999999999999999,{s}"),
            WebhookError::MalformedTimestamp,
        ),
        (
            format!("t={T},s=GYzpjnXlTKQ+BJY7pZJmrM6DZgWMSJdtOr/dleBKTdg"),
            WebhookError::MalformedSignature,
        ),
        (format!("t={T},s=!!!"), WebhookError::MalformedSignature),
        (format!("t={T},s=AAAA"), WebhookError::MalformedSignature),
        (String::new(), WebhookError::BadHeader),
        ("x".repeat(5000), WebhookError::BadHeader),
        ("t=١٢٣,s=ß=é".to_string(), WebhookError::MalformedTimestamp),
    ] {
        assert_eq!(check(&bad, body).unwrap_err(), why, "{bad}");
    }
}

#[test]
fn a_signed_body_that_is_not_a_webhook_is_refused_after_verification() {
    let body = b"[1,2,3]";
    let header = sign(SECRET, T, body).unwrap();
    assert!(matches!(
        check(&header, body).unwrap_err(),
        WebhookError::Payload(_)
    ));
    let body = br#"{"receiver_id":1}"#;
    let header = sign(SECRET, T, body).unwrap();
    assert!(matches!(
        check(&header, body).unwrap_err(),
        WebhookError::Payload(_)
    ));
    // An exact amount of 28 digits survives; unknown enum values are kept.
    let body = br#"{"payment_id":"p","amount":"1234567890123456789012345.678","payment_method":"direct_debit"}"#;
    let header = sign(SECRET, T, body).unwrap();
    let w = check(&header, body).unwrap();
    assert_eq!(
        w.amount.unwrap().to_string(),
        "1234567890123456789012345.678"
    );
    assert_eq!(w.payment_method, Some(PaymentMethod::DirectDebit));
    let dbg = format!("{:?}", WebhookVerifier::new(SECRET));
    assert!(!dbg.contains(SECRET), "{dbg}");
}

proptest! {
    #[test]
    fn any_header_and_body_never_panic(header in "\\PC*", body in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = check(&header, &body);
        let _ = SignatureHeader::parse(&header);
    }

    #[test]
    fn errors_never_quote_the_header(header in "t=[0-9]{1,13},s=[A-Za-z0-9+/]{0,50}={0,2}") {
        if let Err(e) = check(&header, BODY.as_bytes()) {
            let text = e.to_string();
            if let Some((_, s)) = header.split_once(",s=")
                && s.len() > 3
            {
                prop_assert!(!text.contains(s));
            }
        }
    }
}
