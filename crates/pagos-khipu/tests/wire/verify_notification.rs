//! The unified `PaymentProvider::verify_notification` for Khipu's notification API
//! 1.3: the unsigned form body only names a token, the payment is fetched by it (a
//! socket-free recorder stands in for Khipu and counts what reaches it), its receiver
//! checked and bound to the order by the core `Expected::bind`.

use pagos_core::notification::{Check, Expected, Notification, VerifiedBy};
use pagos_core::{Error, PaymentProvider, PaymentStatus, Resend};
use pagos_khipu::KhipuClient;

use crate::support::*;

const TOKEN: &str = "9dec8aa176c5223026919b3b5579a4776923e646ff3be686b9e6b62ec042e91f";
const REFERENCE: &str = "zwo3wqz6uulcvajt";
const PAYMENT_ID: &str = "gqzdy6chjne9";

fn body() -> String {
    format!("api_version=1.3&notification_token={TOKEN}")
}

fn expected() -> Expected {
    Expected::by_merchant_reference(clp("1000"), REFERENCE)
}

/// A client whose `GET /payments?notification_token=TOKEN` answers `payment`; any other
/// token is unknown to it (404).
fn khipu_with(payment: &str) -> (KhipuClient, Recorder) {
    let (client, fake) = fake_client();
    fake.route(
        "GET",
        &format!("/payments?notification_token={TOKEN}"),
        200,
        payment,
    );
    (client, fake)
}

async fn verify(
    client: &KhipuClient,
    body: &str,
    expected: &Expected,
) -> pagos_core::Result<pagos_core::notification::VerifiedEvent> {
    let notification = Notification::new(body.as_bytes())
        .with_header("Content-Type", "application/x-www-form-urlencoded");
    PaymentProvider::verify_notification(client, &notification, expected).await
}

fn refusal(e: Error) -> pagos_core::notification::NotificationError {
    match e {
        Error::Notification(n) => *n,
        other => panic!("expected a refused notification, got {other:?}"),
    }
}

#[tokio::test]
async fn genuine_notification_becomes_an_event_and_a_redelivery_the_same_one() {
    let (client, fake) = khipu_with(PAYMENT_DONE);
    assert!(
        client
            .capabilities()
            .supports(pagos_core::Operation::VerifyNotification)
    );
    let first = verify(&client, &body(), &expected()).await.unwrap();
    let second = verify(&client, &body(), &expected()).await.unwrap();
    assert_eq!(first.provider, "khipu");
    assert_eq!(first.payment_id, PAYMENT_ID);
    assert_eq!(first.merchant_reference.as_deref(), Some(REFERENCE));
    assert_eq!(first.status, PaymentStatus::Succeeded);
    assert!(first.is_paid());
    assert_eq!(first.amount, clp("1000"));
    assert_eq!(first.amount.to_plain_string(), "1000");
    assert_eq!(first.verified_by, VerifiedBy::Fetch);
    assert_eq!(first.raw.get(), PAYMENT_DONE.trim_end());
    assert_eq!(first.event_key, format!("khipu:{PAYMENT_ID}:succeeded"));
    assert_eq!(first.event_key, second.event_key);
    assert_eq!(first, second);
    // Each verification was one signed read by the token, nothing else.
    let sent = fake.requests();
    assert_eq!(sent.len(), 2);
    for r in sent {
        assert_eq!(r.method().as_str(), "GET");
        assert_eq!(r.url().path(), format!("{PREFIX}/payments"));
        assert_khipu_headers(
            &r,
            &ref_authorization("GET", &url("/payments"), &[("notification_token", TOKEN)]),
        );
    }

    // Bound by Khipu's payment id instead of the merchant's reference.
    let by_id = Expected::by_payment_id(clp("1000"), PAYMENT_ID);
    assert_eq!(
        verify(&client, &body(), &by_id).await.unwrap().event_key,
        first.event_key
    );
}

#[tokio::test]
async fn a_pending_payment_is_an_event_with_another_key_not_a_paid_one() {
    let pending = PAYMENT_DONE.replace("\"status\": \"done\"", "\"status\": \"verifying\"");
    let (client, _fake) = khipu_with(&pending);
    let event = verify(&client, &body(), &expected()).await.unwrap();
    assert!(!event.is_paid());
    assert_ne!(event.event_key, format!("khipu:{PAYMENT_ID}:succeeded"));
}

#[tokio::test]
async fn another_order_of_the_same_amount_is_refused() {
    let (client, fake) = khipu_with(PAYMENT_DONE);
    let e = refusal(
        verify(
            &client,
            &body(),
            &Expected::by_merchant_reference(clp("1000"), "orden-de-otro"),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::MerchantReference);
    assert_eq!(
        e.to_string(),
        format!(
            "khipu notification refused: merchant_reference: expected orden-de-otro, got {REFERENCE}"
        )
    );
    let e = refusal(
        verify(
            &client,
            &body(),
            &Expected::by_payment_id(clp("1000"), "otropago0001"),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::PaymentId);
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn another_amount_currency_or_receiver_is_refused() {
    let (client, _) = khipu_with(PAYMENT_DONE);
    let e = refusal(
        verify(
            &client,
            &body(),
            &Expected::by_merchant_reference(clp("999"), REFERENCE),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.check(), Check::Amount);
    assert_eq!(e.message, "expected 999, got 1000");

    let usd = PAYMENT_DONE.replace("\"CLP\"", "\"USD\"");
    let (client, _) = khipu_with(&usd);
    let e = refusal(verify(&client, &body(), &expected()).await.unwrap_err());
    assert_eq!(e.check(), Check::Currency);

    let other_receiver = PAYMENT_DONE.replace("985101", "111111");
    let (client, _) = khipu_with(&other_receiver);
    let e = refusal(verify(&client, &body(), &expected()).await.unwrap_err());
    assert_eq!(e.check(), Check::Account);
    assert_eq!(e.message, "expected 985101, got 111111");
}

#[tokio::test]
async fn a_forged_token_gets_khipus_404_and_never_an_event() {
    let (client, fake) = khipu_with(PAYMENT_DONE);
    let forged = "api_version=1.3&notification_token=forjado123";
    let e = verify(&client, forged, &expected()).await.unwrap_err();
    match &e {
        Error::Provider(p) => assert_eq!(p.http_status, 404),
        other => panic!("expected Khipu's refusal, got {other:?}"),
    }
    assert_eq!(e.resend(), Resend::Never);
    assert_eq!(fake.calls(), 1);
}

#[tokio::test]
async fn a_malformed_body_is_refused_with_nothing_sent() {
    let (client, fake) = khipu_with(PAYMENT_DONE);
    for body in [
        "",
        "garbage",
        "api_version=1.2&notification_token=abc",
        "api_version=1.3",
        "api_version=1.3&notification_token=..",
        "api_version=1.3&notification_token=a%00b",
        "{\"notification_token\":\"abc\"}",
    ] {
        let e = refusal(verify(&client, body, &expected()).await.unwrap_err());
        assert_eq!(e.check(), Check::Body, "{body:?}");
        assert_eq!(e.provider, "khipu");
    }
    // A blank expectation is the caller's mistake, also before anything is sent.
    let e = verify(
        &client,
        &body(),
        &Expected::by_merchant_reference(clp("1000"), " "),
    )
    .await
    .unwrap_err();
    assert_eq!(e.validation_field(), Some("expected.merchant_reference"));
    assert_eq!(fake.calls(), 0);
}

#[tokio::test]
async fn khipu_unavailable_asks_for_a_redelivery() {
    let (client, fake) = fake_client();
    fake.always(503, ERROR_503);
    let e = verify(&client, &body(), &expected()).await.unwrap_err();
    assert!(matches!(e, Error::Provider(_)), "{e:?}");
    assert_eq!(e.resend(), Resend::Safe);
    // A read: the transport retried it as its policy allows, and then gave up.
    assert_eq!(fake.calls(), 3);
}

// ---------------------------------------------------------------------------------
// API 3.0: the webhook is signed (`x-khipu-signature`) with the merchant secret;
// verification is a pure check of the raw bytes, nothing is fetched.

mod v3 {
    use pagos_core::notification::{Check, Expected, Notification, VerifiedBy, VerifiedEvent};
    use pagos_core::{Error, PaymentProvider, PaymentStatus, ProviderConfig};
    use pagos_khipu::v3::KhipuV3Client;
    use pagos_khipu::v3::webhook::sign;
    use pagos_test_support::wire::{Recorder, transport_with};

    use super::{clp, refusal};

    const SECRET: &str = "1a4cbbbeb8bdb7e1d73572b9cc43ce4ce18f79d9";
    const BODY: &str = r#"{"payment_id":"zfxnocsow6mz","receiver_id":985101,"subject":"Orden 42","amount":"1000.0000","currency":"CLP","transaction_id":"orden-42","conciliation_date":"2024-04-01T10:00:00.393Z","payment_method":"simplified_transfer","receipt_url":"https:\/\/s3.amazonaws.com\/r.pdf"}"#;

    fn client(secret: Option<&str>) -> (KhipuV3Client, Recorder) {
        let fake = Recorder::new();
        let mut b = KhipuV3Client::builder()
            .api_key("2f1c7a9e-5b8d-4c1a-9e3f-0a1b2c3d4e5f")
            .receiver_id("985101")
            .transport(transport_with(fake.clone()));
        if let Some(s) = secret {
            b = b.webhook_secret(s);
        }
        (b.build().unwrap(), fake)
    }

    fn now_ms() -> i64 {
        i64::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap()
    }

    /// `body` signed now (or `age_ms` ago) with `secret`.
    fn signed(secret: &str, body: &str, age_ms: i64) -> String {
        sign(secret, now_ms() - age_ms, body.as_bytes()).unwrap()
    }

    fn expected() -> Expected {
        Expected::by_merchant_reference(clp("1000"), "orden-42")
    }

    async fn verify(
        client: &KhipuV3Client,
        header: Option<&str>,
        body: &str,
        expected: &Expected,
    ) -> pagos_core::Result<VerifiedEvent> {
        let mut n =
            Notification::new(body.as_bytes()).with_header("content-type", "application/json");
        if let Some(h) = header {
            n = n.with_header("X-Khipu-Signature", h);
        }
        client.verify_notification(&n, expected).await
    }

    #[tokio::test]
    async fn genuine_signed_webhook_becomes_an_event_without_a_fetch() {
        let (c, fake) = client(Some(SECRET));
        assert!(
            c.capabilities()
                .supports(pagos_core::Operation::VerifyNotification)
        );
        let first = verify(&c, Some(&signed(SECRET, BODY, 0)), BODY, &expected())
            .await
            .unwrap();
        // Khipu redelivers: a new timestamp, the same event.
        let second = verify(&c, Some(&signed(SECRET, BODY, 1_000)), BODY, &expected())
            .await
            .unwrap();
        assert_eq!(first.payment_id, "zfxnocsow6mz");
        assert_eq!(first.merchant_reference.as_deref(), Some("orden-42"));
        assert_eq!(first.status, PaymentStatus::Succeeded);
        assert_eq!(first.amount, clp("1000"));
        assert_eq!(first.verified_by, VerifiedBy::Signature);
        assert_eq!(first.raw.get(), BODY);
        assert_eq!(first.event_key, "khipu:zfxnocsow6mz:succeeded");
        assert_eq!(first.event_key, second.event_key);
        let by_id = Expected::by_payment_id(clp("1000"), "zfxnocsow6mz");
        assert!(
            verify(&c, Some(&signed(SECRET, BODY, 0)), BODY, &by_id)
                .await
                .is_ok()
        );
        assert_eq!(fake.calls(), 0);
    }

    #[tokio::test]
    async fn another_order_or_amount_is_refused() {
        let (c, _) = client(Some(SECRET));
        let h = signed(SECRET, BODY, 0);
        let check = |r: pagos_core::Result<VerifiedEvent>| refusal(r.unwrap_err()).check();
        let other = Expected::by_merchant_reference(clp("1000"), "orden-43");
        assert_eq!(
            check(verify(&c, Some(&h), BODY, &other).await),
            Check::MerchantReference
        );
        let other = Expected::by_payment_id(clp("1000"), "otropago");
        assert_eq!(
            check(verify(&c, Some(&h), BODY, &other).await),
            Check::PaymentId
        );
        let more = Expected::by_merchant_reference(clp("1001"), "orden-42");
        assert_eq!(
            check(verify(&c, Some(&h), BODY, &more).await),
            Check::Amount
        );
    }

    #[tokio::test]
    async fn forged_altered_replayed_or_foreign_webhooks_are_refused() {
        let (c, fake) = client(Some(SECRET));
        let check = |r: pagos_core::Result<VerifiedEvent>| refusal(r.unwrap_err()).check();
        // Signed with another secret (e.g. the API key).
        let forged = signed("2f1c7a9e-5b8d-4c1a-9e3f-0a1b2c3d4e5f", BODY, 0);
        assert_eq!(
            check(verify(&c, Some(&forged), BODY, &expected()).await),
            Check::Signature
        );
        // The genuine header over a body changed by one byte, or re-serialized.
        let h = signed(SECRET, BODY, 0);
        let altered = BODY.replace("1000.0000", "1000.0001");
        assert_eq!(
            check(verify(&c, Some(&h), &altered, &expected()).await),
            Check::Signature
        );
        let reserialized = BODY.replace(r"\/", "/");
        assert_eq!(
            check(verify(&c, Some(&h), &reserialized, &expected()).await),
            Check::Signature
        );
        // No header, an empty or malformed one, or two of them.
        assert_eq!(
            check(verify(&c, None, BODY, &expected()).await),
            Check::Signature
        );
        assert_eq!(
            check(verify(&c, Some(""), BODY, &expected()).await),
            Check::Signature
        );
        assert_eq!(
            check(verify(&c, Some("t=1,s=é"), BODY, &expected()).await),
            Check::Signature
        );
        let twice = Notification::new(BODY.as_bytes())
            .with_header("x-khipu-signature", &h)
            .with_header("X-Khipu-Signature", &h);
        assert_eq!(
            refusal(
                c.verify_notification(&twice, &expected())
                    .await
                    .unwrap_err()
            )
            .check(),
            Check::Signature
        );
        // A genuine notification replayed an hour later.
        let old = signed(SECRET, BODY, 3_600_000);
        assert_eq!(
            check(verify(&c, Some(&old), BODY, &expected()).await),
            Check::Timestamp
        );
        // Genuinely signed, but for another receiver (or no payment at all).
        let foreign = BODY.replace("985101", "111111");
        let h = signed(SECRET, &foreign, 0);
        assert_eq!(
            check(verify(&c, Some(&h), &foreign, &expected()).await),
            Check::Account
        );
        let no_payment = r#"{"subject":"no payment_id"}"#;
        let h = signed(SECRET, no_payment, 0);
        assert_eq!(
            check(verify(&c, Some(&h), no_payment, &expected()).await),
            Check::Body
        );
        assert_eq!(fake.calls(), 0);
    }

    #[tokio::test]
    async fn without_the_merchant_secret_nothing_verifies() {
        let (c, _) = client(None);
        let e = verify(&c, Some(&signed(SECRET, BODY, 0)), BODY, &expected())
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::Config(c) if c.setting() == "webhook_secret"),
            "{e:?}"
        );
        assert!(!format!("{c:?}").contains(SECRET));
        let (c, _) = client(Some(SECRET));
        assert!(!format!("{c:?}").contains(SECRET), "{c:?}");
    }

    #[tokio::test]
    async fn the_registry_client_verifies_with_pagos_khipu_secret() {
        let config = ProviderConfig::from_pairs([
            ("PAGOS_KHIPU_RECEIVER_ID", "985101"),
            ("PAGOS_KHIPU_SECRET", SECRET),
            (
                "PAGOS_KHIPU_API_KEY",
                "2f1c7a9e-5b8d-4c1a-9e3f-0a1b2c3d4e5f",
            ),
        ]);
        let provider = pagos_khipu::DESCRIPTOR.connect(&config).unwrap();
        assert!(
            provider
                .capabilities()
                .supports(pagos_core::Operation::VerifyNotification)
        );
        let h = signed(SECRET, BODY, 0);
        let n = Notification::new(BODY.as_bytes()).with_header("x-khipu-signature", &h);
        let event = provider.verify_notification(&n, &expected()).await.unwrap();
        assert_eq!(event.verified_by, VerifiedBy::Signature);
    }

    // -----------------------------------------------------------------------------
    // PAC callbacks are unsigned: a charge's error_response_url callback is a hint
    // (the payment it names is fetched and bound), a subscription callback is not
    // about a payment (subscriptions().confirm_callback), anything else is refused.

    const CHARGE_ID: &str = "chg7Kp2R9xTm";
    const CHARGE_CALLBACK: &str = r#"{"subscription_id":"7Kp2R9xTmQ4b","transaction_id":"cuota-3","payment_id":"chg7Kp2R9xTm","error_message":"Fondos insuficientes"}"#;

    fn charge_payment(status: &str, receiver: &str) -> String {
        format!(
            r#"{{"payment_id":"{CHARGE_ID}","receiver_id":{receiver},"subject":"Cuota 3","amount":"15000.0000","currency":"CLP","status":"{status}","status_detail":"normal","transaction_id":"cuota-3","payment_method":"direct_debit"}}"#
        )
    }

    fn charge_expected() -> Expected {
        Expected::by_merchant_reference(clp("15000"), "cuota-3")
    }

    #[tokio::test]
    async fn an_unsigned_charge_callback_is_confirmed_by_fetching_its_payment() {
        // No merchant secret needed: nothing is signed, the payment is read back.
        let (c, fake) = client(None);
        fake.route(
            "GET",
            &format!("/v3/payments/{CHARGE_ID}"),
            200,
            charge_payment("pending", "985101"),
        );
        let event = verify(&c, None, CHARGE_CALLBACK, &charge_expected())
            .await
            .unwrap();
        assert_eq!(event.verified_by, VerifiedBy::Fetch);
        assert_eq!(event.payment_id, CHARGE_ID);
        assert_eq!(event.merchant_reference.as_deref(), Some("cuota-3"));
        assert_eq!(event.amount, clp("15000"));
        // Khipu's word, not the callback's: a pending charge is not paid.
        assert_eq!(event.status, PaymentStatus::Pending);
        assert!(!event.is_paid());
        let sent = fake.requests();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].method().as_str(), "GET");
        assert_eq!(
            sent[0].url().as_str(),
            format!("https://payment-api.khipu.com/v3/payments/{CHARGE_ID}")
        );
        assert_eq!(
            sent[0].header_str("x-api-key"),
            Some("2f1c7a9e-5b8d-4c1a-9e3f-0a1b2c3d4e5f")
        );
        assert!(sent[0].body_bytes().is_empty());
    }

    #[tokio::test]
    async fn a_charge_callback_for_another_order_amount_or_receiver_is_refused() {
        let (c, fake) = client(None);
        let path = format!("/v3/payments/{CHARGE_ID}");
        fake.route("GET", &path, 200, charge_payment("done", "985101"));
        let check = |r: pagos_core::Result<VerifiedEvent>| refusal(r.unwrap_err()).check();
        let other = Expected::by_merchant_reference(clp("15000"), "cuota-4");
        assert_eq!(
            check(verify(&c, None, CHARGE_CALLBACK, &other).await),
            Check::MerchantReference
        );
        let more = Expected::by_merchant_reference(clp("15001"), "cuota-3");
        assert_eq!(
            check(verify(&c, None, CHARGE_CALLBACK, &more).await),
            Check::Amount
        );
        let (c, fake) = client(None);
        fake.route("GET", &path, 200, charge_payment("done", "111111"));
        assert_eq!(
            check(verify(&c, None, CHARGE_CALLBACK, &charge_expected()).await),
            Check::Account
        );
        // Khipu answering with another payment than the one asked for.
        let (c, fake) = client(None);
        fake.route(
            "GET",
            &path,
            200,
            charge_payment("done", "985101").replace(CHARGE_ID, "otropago1234"),
        );
        assert_eq!(
            check(verify(&c, None, CHARGE_CALLBACK, &charge_expected()).await),
            Check::PaymentId
        );
    }

    #[tokio::test]
    async fn a_forged_charge_callback_gets_khipus_404_and_never_an_event() {
        let (c, fake) = client(None);
        fake.route(
            "GET",
            &format!("/v3/payments/{CHARGE_ID}"),
            200,
            charge_payment("done", "985101"),
        );
        let forged = CHARGE_CALLBACK.replace(CHARGE_ID, "forjado12345");
        let e = verify(&c, None, &forged, &charge_expected())
            .await
            .unwrap_err();
        match &e {
            Error::Provider(p) => assert_eq!(p.http_status, 404),
            other => panic!("expected Khipu's refusal, got {other:?}"),
        }
        assert_eq!(fake.calls(), 1);
        // A payment_id that would change the request path, or none at all: refused,
        // nothing sent. (Anything else travels percent-encoded as one segment.)
        let (c, fake) = client(None);
        for body in [
            CHARGE_CALLBACK.replace(CHARGE_ID, ".."),
            CHARGE_CALLBACK.replace(CHARGE_ID, r"a\u0000b"),
            CHARGE_CALLBACK.replace(&format!(r#""{CHARGE_ID}""#), "null"),
            CHARGE_CALLBACK.replace(CHARGE_ID, " "),
        ] {
            let e = refusal(
                verify(&c, None, &body, &charge_expected())
                    .await
                    .unwrap_err(),
            );
            assert_eq!(e.check(), Check::Body, "{body}");
        }
        // A blank expectation is the caller's mistake, also before anything is sent.
        let e = verify(
            &c,
            None,
            CHARGE_CALLBACK,
            &Expected::by_merchant_reference(clp("15000"), " "),
        )
        .await
        .unwrap_err();
        assert_eq!(e.validation_field(), Some("expected.merchant_reference"));
        assert_eq!(fake.calls(), 0);
    }

    #[tokio::test]
    async fn a_signed_body_is_never_downgraded_to_a_fetch() {
        let (c, fake) = client(Some(SECRET));
        fake.route(
            "GET",
            &format!("/v3/payments/{CHARGE_ID}"),
            200,
            charge_payment("done", "985101"),
        );
        let check = |r: pagos_core::Result<VerifiedEvent>| refusal(r.unwrap_err()).check();
        // A charge callback's shape under a bad (or malformed) signature stays refused.
        let forged = signed("not-the-secret", CHARGE_CALLBACK, 0);
        assert_eq!(
            check(verify(&c, Some(&forged), CHARGE_CALLBACK, &charge_expected()).await),
            Check::Signature
        );
        assert_eq!(
            check(verify(&c, Some("garbage"), CHARGE_CALLBACK, &charge_expected()).await),
            Check::Signature
        );
        assert_eq!(fake.calls(), 0);
    }

    #[tokio::test]
    async fn a_subscription_callback_is_refused_and_points_at_confirm_callback() {
        let (c, fake) = client(Some(SECRET));
        let body = r#"{"subscription_id":"7Kp2R9xTmQ4b","status":"enabled"}"#;
        let e = refusal(verify(&c, None, body, &expected()).await.unwrap_err());
        assert_eq!(e.check(), Check::Body);
        assert!(e.message.contains("confirm_callback"), "{}", e.message);
        // Any other unsigned body is still refused as unsigned, with nothing fetched.
        for other in [
            BODY,
            "[1,2]",
            "",
            r#"{"subscription_id":"7Kp2R9xTmQ4b","payment_id":"chg7Kp2R9xTm"}"#,
        ] {
            let e = refusal(verify(&c, None, other, &expected()).await.unwrap_err());
            assert_eq!(e.check(), Check::Signature, "{other}");
        }
        assert_eq!(fake.calls(), 0);
    }

    #[tokio::test]
    async fn confirm_callback_fetches_the_subscription_and_ignores_the_claimed_status() {
        let (c, fake) = client(None);
        fake.route(
            "GET",
            "/v1/automatic-payment/subscription/7Kp2R9xTmQ4b",
            200,
            r#"{"subscription_id":"7Kp2R9xTmQ4b","status":"PENDING","developer":true,"service_reference":""}"#,
        );
        // The body claims "enabled"; Khipu says PENDING, and Khipu's word is returned.
        let body = br#"{"subscription_id":"7Kp2R9xTmQ4b","status":"enabled"}"#;
        let status = c.subscriptions().confirm_callback(body).await.unwrap();
        assert_eq!(
            status.status,
            Some(pagos_khipu::pac::subscriptions::SubscriptionState::Pending)
        );
        assert!(!status.status.unwrap().is_chargeable());
        let sent = fake.requests();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].method().as_str(), "GET");
        assert_eq!(
            sent[0].url().as_str(),
            "https://payment-api.khipu.com/v1/automatic-payment/subscription/7Kp2R9xTmQ4b"
        );
        // A forged id: Khipu's 404, an error, never a status.
        let forged = br#"{"subscription_id":"forjado","status":"enabled"}"#;
        let e = c
            .subscriptions()
            .confirm_callback(forged)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::Provider(p) if p.http_status == 404),
            "{e:?}"
        );
        // Malformed bodies: refused with nothing sent.
        let before = fake.calls();
        for bad in [
            &b""[..],
            b"[1]",
            br#"{"status":"enabled"}"#,
            br#"{"subscription_id":"..","status":"enabled"}"#,
            br#"{"subscription_id":"a\nb","status":"enabled"}"#,
        ] {
            let e = refusal(c.subscriptions().confirm_callback(bad).await.unwrap_err());
            assert_eq!(e.check(), Check::Body);
        }
        assert_eq!(fake.calls(), before);
        // Khipu answering for another subscription.
        let (c, fake) = client(None);
        fake.route(
            "GET",
            "/v1/automatic-payment/subscription/7Kp2R9xTmQ4b",
            200,
            r#"{"subscription_id":"otra","status":"ENABLED"}"#,
        );
        let e = refusal(c.subscriptions().confirm_callback(body).await.unwrap_err());
        assert_eq!(e.check(), Check::Body);
    }
}
