//! Wire tests for pagos-khipu against httpmock on 127.0.0.1.
//!
//! Khipu's REST API 2.0 reference has no example responses, only its "Modelo"; the
//! fixtures follow the examples of Khipu's published API 2.0 documentation.

use std::time::Duration;

use hmac::{Hmac, Mac};
use httpmock::Method::{DELETE, GET, POST};
use httpmock::MockServer;
use pagos_core::{
    CreatePayment, Currency, Decimal, Error, ExposeSecret, Money, PaymentInstructions,
    PaymentProvider, PaymentStatus, RefundRequest, RetryPolicy, Transport, UnknownCause,
};
use pagos_khipu::notification::{Check, ExpectedPayment, NotificationError};
use pagos_khipu::{
    CreatePaymentRequest, CreateReceiverRequest, KhipuClient, KhipuStatus, PaymentMethod,
    StatusDetail, signature,
};
use sha2::Sha256;
use time::macros::datetime;

const RECEIVER: &str = "985101";
const SECRET: &str = "abc123";
const PREFIX: &str = "/khipu/api/2.0";
const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

const PAYMENT_CREATE: &str = include_str!("fixtures/payment_create.json");
const PAYMENT_DONE: &str = include_str!("fixtures/payment_done.json");
const PAYMENT_PENDING: &str = include_str!("fixtures/payment_pending.json");
const BANKS: &str = include_str!("fixtures/banks.json");
const RECEIVER_CREATE: &str = include_str!("fixtures/receiver_create.json");
const SUCCESS: &str = include_str!("fixtures/success.json");
const PAYMENT_METHODS: &str = include_str!("fixtures/payment_methods.json");
const ERROR_400: &str = include_str!("fixtures/error_400.json");
const ERROR_403: &str = include_str!("fixtures/error_403.json");
const ERROR_503: &str = include_str!("fixtures/error_503.json");

// ---------------------------------------------------------------------------------
// An independent implementation of Khipu's signing algorithm (as in its official
// clients), written from the description and not sharing code with the crate.

fn ref_pct(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn ref_authorization(method: &str, url: &str, params: &[(&str, &str)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut to_sign = format!("{}&{}", method.to_uppercase(), ref_pct(url));
    for (k, v) in sorted {
        to_sign.push_str(&format!("&{}={}", ref_pct(k), ref_pct(v)));
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(to_sign.as_bytes());
    format!("{RECEIVER}:{}", hex::encode(mac.finalize().into_bytes()))
}

// ---------------------------------------------------------------------------------

fn transport() -> Transport {
    Transport::builder()
        .retry(
            RetryPolicy::attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

fn client_for(server: &MockServer) -> KhipuClient {
    KhipuClient::builder()
        .receiver_id(RECEIVER)
        .secret(SECRET)
        .base_url(&server.url(PREFIX))
        .unwrap()
        .transport(transport())
        .build()
        .unwrap()
}

fn url(server: &MockServer, path: &str) -> String {
    server.url(format!("{PREFIX}{path}"))
}

fn clp(s: &str) -> Money {
    Money::parse(s, Currency::Clp).unwrap()
}

fn provider_error(e: Error) -> pagos_core::ProviderError {
    match e {
        Error::Provider(p) => *p,
        other => panic!("expected a provider error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------
// Fixed reference vectors through the client's request description (no I/O).

#[test]
fn reference_vectors_through_the_client() {
    let client = KhipuClient::builder()
        .receiver_id(1234u64)
        .secret("abc123")
        .build()
        .unwrap();
    let auth =
        |r: &pagos_khipu::Request| r.headers()["authorization"].to_str().unwrap().to_string();

    let req = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    let prepared = client.payments().prepare_create(&req).unwrap();
    assert_eq!(
        prepared.url().as_str(),
        "https://khipu.com/api/2.0/payments"
    );
    assert_eq!(
        prepared.body_bytes(),
        b"subject=Test&currency=CLP&amount=1000"
    );
    assert_eq!(
        auth(&prepared),
        "1234:59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659"
    );

    let req = CreatePaymentRequest::builder("ejemplo de compra", clp("1000"))
        .build()
        .unwrap();
    let prepared = client.payments().prepare_create(&req).unwrap();
    assert_eq!(
        prepared.body_bytes(),
        b"subject=ejemplo+de+compra&currency=CLP&amount=1000"
    );
    assert_eq!(
        auth(&prepared),
        "1234:7a1c8e431b41b4546140f03d7e818633519d699f6bd095afeae3a9a352091377"
    );

    let prepared = client.payments().prepare_get("abc123xyz").unwrap();
    assert_eq!(
        auth(&prepared),
        "1234:1b01c7a5841ff0ce39e1ee0563aeeca0531793df1d4ab5ca22bf28c054b7d4dc"
    );

    let prepared = client
        .payments()
        .prepare_get_by_notification_token("XYZ")
        .unwrap();
    assert_eq!(
        prepared.url().as_str(),
        "https://khipu.com/api/2.0/payments?notification_token=XYZ"
    );
    assert_eq!(
        auth(&prepared),
        "1234:1b8a311b0ae3de5db79964400a7b4936a4f7007ae82c440fa16027c389ef095d"
    );
    // The secret never shows in a request's Debug output.
    assert!(!format!("{prepared:?}").contains("1b8a311b"));
}

// ---------------------------------------------------------------------------------
// POST /payments

#[tokio::test]
async fn create_payment_wire() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let expected_auth = ref_authorization(
        "POST",
        &url(&server, "/payments"),
        &[("subject", "Test"), ("currency", "CLP"), ("amount", "1000")],
    );
    // The crate's public signature function agrees with the independent one.
    assert_eq!(
        expected_auth,
        signature::authorization(
            RECEIVER,
            SECRET,
            "POST",
            &url(&server, "/payments"),
            &[
                ("amount", Some("1000")),
                ("currency", Some("CLP")),
                ("subject", Some("Test"))
            ]
        )
    );
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{PREFIX}/payments"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str())
                .body("subject=Test&currency=CLP&amount=1000");
            then.status(200)
                .header("content-type", JSON)
                .body(PAYMENT_CREATE);
        })
        .await;

    let req = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    let created = client.payments().create(&req).await.unwrap();
    mock.assert_async().await;
    assert_eq!(created.payment_id, "gqzdy6chjne9");
    assert_eq!(
        created.payment_url.as_deref(),
        Some("https://khipu.com/payment/info/gqzdy6chjne9")
    );
    assert_eq!(
        created.simplified_transfer_url.as_deref(),
        Some("https://app.khipu.com/payment/simplified/gqzdy6chjne9")
    );
    assert_eq!(
        created.transfer_url.as_deref(),
        Some("https://khipu.com/payment/manual/gqzdy6chjne9")
    );
    assert_eq!(
        created.app_url.as_deref(),
        Some("khipu:///pos/gqzdy6chjne9")
    );
    assert_eq!(created.ready_for_terminal, Some(false));
    assert_eq!(created.webpay_url, None);
    assert_eq!(created.hites_url, None);
    assert_eq!(created.payme_url, None);
}

#[tokio::test]
async fn create_payment_every_field_wire() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let params: &[(&str, &str)] = &[
        ("subject", "Café & té: 2×1 ñandú"),
        ("currency", "CLF"),
        ("amount", "1.2345"),
        ("transaction_id", "T/1?x=1"),
        ("custom", "{\"cart\":[\"a+b\",\"50%\"]}"),
        ("body", "línea 1\nlínea 2 (€)"),
        ("bank_id", "SDdGj"),
        ("return_url", "https://tienda.cl/ok?o=1&p=2"),
        ("cancel_url", "https://tienda.cl/cancel"),
        ("picture_url", "https://tienda.cl/p.png"),
        ("notify_url", "https://tienda.cl/notify"),
        ("contract_url", "https://tienda.cl/contrato.pdf"),
        ("notify_api_version", "1.3"),
        ("expires_date", "2030-03-01T13:00:00Z"),
        ("send_email", "true"),
        ("payer_name", "Ana Pérez"),
        ("payer_email", "ana@example.cl"),
        ("send_reminders", "false"),
        ("responsible_user_email", "jefe@tienda.cl"),
        ("fixed_payer_personal_identifier", "76.086.428-5"),
        ("integrator_fee", "0.0100"),
        (
            "collect_account_uuid",
            "0f8fad5b-d9cb-469f-a165-70867728950e",
        ),
        ("confirm_timeout_date", "2030-03-05T00:00:00Z"),
    ];
    let expected_auth = ref_authorization("POST", &url(&server, "/payments"), params);
    let expected_body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter())
        .finish();
    let mock = server
        .mock_async(|when, then| {
            let mut when = when
                .method(POST)
                .path(format!("{PREFIX}/payments"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str())
                .body(expected_body.as_str());
            for (k, v) in params {
                when = when.form_urlencoded_tuple(*k, *v);
            }
            then.status(200).body(PAYMENT_CREATE);
        })
        .await;

    let req = CreatePaymentRequest::builder(
        "Café & té: 2×1 ñandú",
        Money::parse("1.2345", Currency::Clf).unwrap(),
    )
    .transaction_id("T/1?x=1")
    .custom("{\"cart\":[\"a+b\",\"50%\"]}")
    .body("línea 1\nlínea 2 (€)")
    .bank_id("SDdGj")
    .return_url("https://tienda.cl/ok?o=1&p=2")
    .cancel_url("https://tienda.cl/cancel")
    .picture_url("https://tienda.cl/p.png")
    .notify_url("https://tienda.cl/notify")
    .contract_url("https://tienda.cl/contrato.pdf")
    .expires_date(datetime!(2030-03-01 10:00:00 -3))
    .send_email(true)
    .payer_name("Ana Pérez")
    .payer_email("ana@example.cl")
    .send_reminders(false)
    .responsible_user_email("jefe@tienda.cl")
    .fixed_payer_personal_identifier("76.086.428-5")
    .integrator_fee(Decimal::new(1, 2))
    .collect_account_uuid("0f8fad5b-d9cb-469f-a165-70867728950e")
    .confirm_timeout_date(datetime!(2030-03-05 00:00:00 UTC))
    .build()
    .unwrap();
    let created = client.payments().create(&req).await.unwrap();
    mock.assert_async().await;
    assert_eq!(created.payment_id, "gqzdy6chjne9");
}

// ---------------------------------------------------------------------------------
// GET /payments/{id}, GET /payments?notification_token=

#[tokio::test]
async fn get_payment_wire() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let expected_auth = ref_authorization("GET", &url(&server, "/payments/gqzdy6chjne9"), &[]);
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{PREFIX}/payments/gqzdy6chjne9"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str());
            then.status(200).body(PAYMENT_DONE);
        })
        .await;

    // httpmock cannot match a GET body; the request description shows there is none.
    let prepared = client.payments().prepare_get("gqzdy6chjne9").unwrap();
    assert!(prepared.body_bytes().is_empty());
    assert_eq!(prepared.url().query(), None);
    let p = client.payments().get("gqzdy6chjne9").await.unwrap();
    mock.assert_async().await;
    assert_eq!(p.payment_id, "gqzdy6chjne9");
    assert_eq!(
        p.notification_token.as_deref(),
        Some("9dec8aa176c5223026919b3b5579a4776923e646ff3be686b9e6b62ec042e91f")
    );
    assert_eq!(p.receiver_id.as_deref(), Some("985101"));
    assert_eq!(
        p.conciliation_date.as_deref(),
        Some("2017-03-01T13:00:00.000Z")
    );
    assert_eq!(
        p.conciliation_time(),
        Some(datetime!(2017-03-01 13:00:00 UTC))
    );
    assert_eq!(p.subject.as_deref(), Some("Test"));
    assert_eq!(p.amount, Some(Decimal::new(1000, 0)));
    assert_eq!(p.currency.as_deref(), Some("CLP"));
    assert_eq!(p.money(), Some(clp("1000")));
    assert_eq!(p.status, Some(KhipuStatus::Done));
    assert_eq!(p.status_detail, Some(StatusDetail::Normal));
    assert_eq!(p.unified_status(), PaymentStatus::Succeeded);
    assert_eq!(p.body.as_deref(), Some("Test"));
    assert_eq!(
        p.receipt_url.as_deref(),
        Some("https://micomercio.com/order/receipt_url")
    );
    assert_eq!(p.notify_api_version.as_deref(), Some("1.3"));
    assert_eq!(p.expires_time(), Some(datetime!(2023-12-31 15:45:00 -4)));
    assert_eq!(
        p.attachment_urls,
        ["https://micomercio.com/attachment1.pdf"]
    );
    assert_eq!(p.bank.as_deref(), Some("Banco de Chile (Edwards Citi)"));
    assert_eq!(p.bank_id.as_deref(), Some("dfFbF"));
    assert_eq!(p.payer_name.as_deref(), Some("Nombre Pagador"));
    assert_eq!(p.payer_email.as_deref(), Some("pagador@email.com"));
    assert_eq!(p.personal_identifier.as_deref(), Some("11.000.111-9"));
    assert_eq!(p.bank_account_number.as_deref(), Some("001120490689"));
    assert_eq!(p.out_of_date_conciliation, Some(true));
    assert_eq!(p.transaction_id.as_deref(), Some("zwo3wqz6uulcvajt"));
    assert_eq!(p.custom.as_deref(), Some("<xml>...</xml>"));
    assert_eq!(
        p.responsible_user_email.as_deref(),
        Some("responsible@email.com")
    );
    assert_eq!(p.send_reminders, Some(true));
    assert_eq!(p.send_email, Some(true));
    assert_eq!(p.payment_method, Some(PaymentMethod::SimplifiedTransfer));
    assert_eq!(p.funds_source.as_deref(), Some("debit"));
    assert_eq!(p.discount, Some(Decimal::ZERO));
}

#[tokio::test]
async fn get_payment_with_string_amount_nulls_and_unknown_fields() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{PREFIX}/payments/7vnqtalz0ikb"));
            then.status(200).body(PAYMENT_PENDING);
        })
        .await;
    let p = client.payments().get("7vnqtalz0ikb").await.unwrap();
    assert_eq!(p.amount.unwrap().to_string(), "200.0000");
    assert_eq!(p.money().unwrap().to_plain_string(), "200");
    assert_eq!(p.receiver_id.as_deref(), Some("985101"));
    assert_eq!(p.status, Some(KhipuStatus::Pending));
    assert_eq!(p.status_detail, Some(StatusDetail::Pending));
    assert_eq!(p.unified_status(), PaymentStatus::Pending);
    assert!(p.attachment_urls.is_empty());
    assert_eq!(p.payment_method, None);
    assert_eq!(p.notification_token, None);
    assert_eq!(p.discount, Some(Decimal::ZERO));
}

#[tokio::test]
async fn get_payment_by_notification_token_wire() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let token = "9dec8aa176c5223026919b3b5579a4776923e646ff3be686b9e6b62ec042e91f";
    let expected_auth = ref_authorization(
        "GET",
        &url(&server, "/payments"),
        &[("notification_token", token)],
    );
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{PREFIX}/payments"))
                .query_param("notification_token", token)
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str());
            then.status(200).body(PAYMENT_DONE);
        })
        .await;
    let p = client
        .payments()
        .get_by_notification_token(token)
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(p.payment_id, "gqzdy6chjne9");
}

// ---------------------------------------------------------------------------------
// DELETE /payments/{id}, POST /payments/{id}/confirm, POST /payments/{id}/refunds

#[tokio::test]
async fn delete_payment_wire() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let expected_auth = ref_authorization("DELETE", &url(&server, "/payments/gqzdy6chjne9"), &[]);
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("{PREFIX}/payments/gqzdy6chjne9"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str())
                .body("");
            then.status(200).body(SUCCESS);
        })
        .await;
    let r = client.payments().delete("gqzdy6chjne9").await.unwrap();
    mock.assert_async().await;
    assert_eq!(r.message.as_deref(), Some("Mensaje a desplegar al usuario"));
}

#[tokio::test]
async fn confirm_payment_wire() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let expected_auth =
        ref_authorization("POST", &url(&server, "/payments/gqzdy6chjne9/confirm"), &[]);
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{PREFIX}/payments/gqzdy6chjne9/confirm"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str())
                .body("");
            then.status(200).body(SUCCESS);
        })
        .await;
    let r = client.payments().confirm("gqzdy6chjne9").await.unwrap();
    mock.assert_async().await;
    assert_eq!(r.message.as_deref(), Some("Mensaje a desplegar al usuario"));
}

#[tokio::test]
async fn refund_full_wire() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let expected_auth =
        ref_authorization("POST", &url(&server, "/payments/gqzdy6chjne9/refunds"), &[]);
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{PREFIX}/payments/gqzdy6chjne9/refunds"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str())
                .body("");
            then.status(200).body(SUCCESS);
        })
        .await;
    let r = client
        .payments()
        .refund("gqzdy6chjne9", None)
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(r.message.as_deref(), Some("Mensaje a desplegar al usuario"));
}

#[tokio::test]
async fn refund_partial_wire() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let expected_auth = ref_authorization(
        "POST",
        &url(&server, "/payments/gqzdy6chjne9/refunds"),
        &[("amount", "500")],
    );
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{PREFIX}/payments/gqzdy6chjne9/refunds"))
                .header("content-type", FORM)
                .header("authorization", expected_auth.as_str())
                .body("amount=500");
            then.status(200).body(SUCCESS);
        })
        .await;
    client
        .payments()
        .refund("gqzdy6chjne9", Some(&clp("500")))
        .await
        .unwrap();
    mock.assert_async().await;
}

// ---------------------------------------------------------------------------------
// GET /banks, POST /receivers, GET /merchants/{id}/paymentMethods

#[tokio::test]
async fn list_banks_wire() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let expected_auth = ref_authorization("GET", &url(&server, "/banks"), &[]);
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{PREFIX}/banks"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str());
            then.status(200).body(BANKS);
        })
        .await;
    let banks = client.banks().list().await.unwrap().banks;
    mock.assert_async().await;
    assert_eq!(banks.len(), 2);
    assert_eq!(banks[0].bank_id, "SDdGj");
    assert_eq!(banks[0].name.as_deref(), Some("Banco Estado"));
    assert_eq!(
        banks[0].message.as_deref(),
        Some("Tarifa de $300 de transferencia a otros bancos, usando CuentaRUT.")
    );
    assert_eq!(banks[0].min_amount, Some(Decimal::new(1000, 0)));
    assert_eq!(banks[0].bank_type.as_deref(), Some("Persona"));
    assert_eq!(banks[0].parent.as_deref(), Some(""));
    assert!(banks[0].logo_url.is_some());
    assert_eq!(banks[1].min_amount.unwrap().to_string(), "200.0000");
    assert_eq!(banks[1].parent.as_deref(), Some("SDdGj"));
    assert_eq!(banks[1].logo_url, None);
}

fn receiver_request() -> CreateReceiverRequest {
    CreateReceiverRequest::builder()
        .admin_first_name("Ana")
        .admin_last_name("Pérez")
        .admin_email("ana@comercio.cl")
        .country_code("CL")
        .business_identifier("76.086.428-5")
        .business_category("Comercio al por menor")
        .business_name("Comercio & Cía SpA")
        .business_phone("+56 2 2345 6789")
        .business_address_line_1("Av. Siempre Viva 742")
        .business_address_line_2("Oficina 1")
        .business_address_line_3("Ñuñoa, Santiago")
        .contact_full_name("Juan Soto")
        .contact_job_title("Gerente")
        .contact_email("juan@comercio.cl")
        .contact_phone("+56912345678")
        .bank_account_bank_id("SDdGj")
        .bank_account_identifier("11.111.111-1")
        .bank_account_name("Cuenta corriente")
        .bank_account_number("001120490689")
        .notify_url("https://comercio.cl/notify")
        .rendition_url("https://comercio.cl/rendition")
        .build()
        .unwrap()
}

#[tokio::test]
async fn create_receiver_wire() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let params: &[(&str, &str)] = &[
        ("admin_first_name", "Ana"),
        ("admin_last_name", "Pérez"),
        ("admin_email", "ana@comercio.cl"),
        ("country_code", "CL"),
        ("business_identifier", "76.086.428-5"),
        ("business_category", "Comercio al por menor"),
        ("business_name", "Comercio & Cía SpA"),
        ("business_phone", "+56 2 2345 6789"),
        ("business_address_line_1", "Av. Siempre Viva 742"),
        ("business_address_line_2", "Oficina 1"),
        ("business_address_line_3", "Ñuñoa, Santiago"),
        ("contact_full_name", "Juan Soto"),
        ("contact_job_title", "Gerente"),
        ("contact_email", "juan@comercio.cl"),
        ("contact_phone", "+56912345678"),
        ("bank_account_bank_id", "SDdGj"),
        ("bank_account_identifier", "11.111.111-1"),
        ("bank_account_name", "Cuenta corriente"),
        ("bank_account_number", "001120490689"),
        ("notify_url", "https://comercio.cl/notify"),
        ("rendition_url", "https://comercio.cl/rendition"),
    ];
    let expected_auth = ref_authorization("POST", &url(&server, "/receivers"), params);
    let expected_body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter())
        .finish();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{PREFIX}/receivers"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str())
                .body(expected_body.as_str());
            then.status(200).body(RECEIVER_CREATE);
        })
        .await;
    let created = client
        .receivers()
        .create(&receiver_request())
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(created.receiver_id, "123456");
    assert_eq!(
        created.secret.expose_secret(),
        "4f8c2a1e9b7d6c5a3f2e1d0c9b8a7f6e5d4c3b2a"
    );
    let dbg = format!("{created:?}");
    assert!(!dbg.contains("4f8c2a1e9b7d"), "{dbg}");
    assert!(dbg.contains("[REDACTED]"));
}

#[tokio::test]
async fn list_payment_methods_wire() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let expected_auth = ref_authorization(
        "GET",
        &url(&server, &format!("/merchants/{RECEIVER}/paymentMethods")),
        &[],
    );
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{PREFIX}/merchants/{RECEIVER}/paymentMethods"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str());
            then.status(200).body(PAYMENT_METHODS);
        })
        .await;
    let methods = client
        .merchants()
        .payment_methods(client.receiver_id())
        .await
        .unwrap()
        .payment_methods;
    mock.assert_async().await;
    assert_eq!(methods.len(), 2);
    assert_eq!(methods[0].id, "simplified_transfer");
    assert_eq!(
        methods[0].name.as_deref(),
        Some("Transferencia simplificada")
    );
    assert!(
        methods[0]
            .logo_url
            .as_deref()
            .unwrap()
            .starts_with("https://")
    );
    assert_eq!(methods[1].id, "42");
    assert_eq!(methods[1].logo_url, None);
}

// ---------------------------------------------------------------------------------
// Error paths

#[tokio::test]
async fn error_400_keeps_field_errors() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    server
        .mock_async(|when, then| {
            when.method(POST).path(format!("{PREFIX}/payments"));
            then.status(400).body(ERROR_400);
        })
        .await;
    let req = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    let e = provider_error(client.payments().create(&req).await.unwrap_err());
    assert_eq!(e.provider, "khipu");
    assert_eq!(e.operation, "create_payment");
    assert_eq!(e.http_status, 400);
    assert_eq!(e.code.as_deref(), Some("400"));
    assert_eq!(e.message, "Error de validación");
    assert_eq!(e.field_errors.len(), 2);
    assert_eq!(e.field_errors[0].field, "amount");
    assert_eq!(
        e.field_errors[0].message,
        "El monto debe ser mayor que cero"
    );
    assert_eq!(e.field_errors[1].field, "payer_email");
    assert_eq!(e.raw_body, ERROR_400);
}

#[tokio::test]
async fn error_403_bad_signature() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{PREFIX}/banks"));
            then.status(403).body(ERROR_403);
        })
        .await;
    let err = client.banks().list().await.unwrap_err();
    assert!(!format!("{err:?}{err}").contains(SECRET));
    let e = provider_error(err);
    assert!(e.is_unauthorized());
    assert_eq!(e.message, "Firma inválida");
    assert_eq!(e.code.as_deref(), Some("403"));
    assert!(e.field_errors.is_empty());
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
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn error_503_on_get_is_retried() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{PREFIX}/payments/abc"));
            then.status(503).body(ERROR_503);
        })
        .await;
    let e = provider_error(client.payments().get("abc").await.unwrap_err());
    assert_eq!(e.http_status, 503);
    assert_eq!(e.attempts, 3);
    assert_eq!(mock.calls_async().await, 3);
}

#[tokio::test]
async fn error_non_json_body() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    server
        .mock_async(|when, then| {
            when.method(DELETE).path(format!("{PREFIX}/payments/abc"));
            then.status(400)
                .header("content-type", "text/html")
                .body("<html><body>Bad Request</body></html>");
        })
        .await;
    let e = provider_error(client.payments().delete("abc").await.unwrap_err());
    assert_eq!(e.http_status, 400);
    assert_eq!(e.code, None);
    assert_eq!(e.message, "HTTP 400 (body is not a Khipu error envelope)");
    assert_eq!(e.raw_body, "<html><body>Bad Request</body></html>");
}

#[tokio::test]
async fn error_other_status_is_generic() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{PREFIX}/payments/abc/confirm"));
            then.status(409).body("conflict");
        })
        .await;
    let e = provider_error(client.payments().confirm("abc").await.unwrap_err());
    assert_eq!(e.http_status, 409);
    assert_eq!(e.raw_body, "conflict");
    assert!(e.field_errors.is_empty());
}

#[tokio::test]
async fn undecodable_200_on_create_is_outcome_unknown_with_hint() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    server
        .mock_async(|when, then| {
            when.method(POST).path(format!("{PREFIX}/payments"));
            then.status(200).body("<html>maintenance</html>");
        })
        .await;
    let req = CreatePaymentRequest::builder("Test", clp("1000"))
        .transaction_id("orden-42")
        .build()
        .unwrap();
    match client.payments().create(&req).await.unwrap_err() {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::UndecodableResponse);
            assert_eq!(u.http_status, Some(200));
            assert_eq!(u.raw_body.as_deref(), Some("<html>maintenance</html>"));
            let hint = u.hint.unwrap();
            assert!(hint.contains("transaction_id \"orden-42\""), "{hint}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}

#[tokio::test]
async fn undecodable_200_on_get_is_outcome_unknown() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{PREFIX}/payments/abc"));
            then.status(200).body(r#"{"status":"done"}"#);
        })
        .await;
    let err = client.payments().get("abc").await.unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown(_)), "{err:?}");
}

#[tokio::test]
async fn empty_success_body_on_delete_is_fine() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    server
        .mock_async(|when, then| {
            when.method(DELETE).path(format!("{PREFIX}/payments/abc"));
            then.status(204);
        })
        .await;
    let r = client.payments().delete("abc").await.unwrap();
    assert_eq!(r.message, None);
}

// ---------------------------------------------------------------------------------
// Validation happens before any I/O

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let any = server
        .mock_async(|_when, then| {
            then.status(200).body(SUCCESS);
        })
        .await;

    let field = |e: Error| e.validation_field().map(str::to_string);

    // A request changed after build() is validated again before sending.
    let mut req = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    req.payer_email = Some("not-an-email".into());
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("payer_email")
    );
    req.payer_email = None;
    req.amount = clp("0");
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("amount")
    );
    req.amount = clp("99999999999999999");
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("amount")
    );
    req.amount = clp("1000");
    req.send_email = Some(true);
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("payer_name")
    );
    req.send_email = None;
    req.notify_url = Some("javascript:alert(1)".into());
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("notify_url")
    );
    req.notify_url = None;
    req.fixed_payer_personal_identifier = Some("12.345.678-0".into());
    assert_eq!(
        field(client.payments().create(&req).await.unwrap_err()).as_deref(),
        Some("fixed_payer_personal_identifier")
    );

    assert_eq!(
        field(client.payments().get(" ").await.unwrap_err()).as_deref(),
        Some("payment_id")
    );
    assert_eq!(
        field(client.payments().delete("").await.unwrap_err()).as_deref(),
        Some("payment_id")
    );
    assert_eq!(
        field(client.payments().confirm("").await.unwrap_err()).as_deref(),
        Some("payment_id")
    );
    assert_eq!(
        field(
            client
                .payments()
                .refund("abc", Some(&clp("0")))
                .await
                .unwrap_err()
        )
        .as_deref(),
        Some("amount")
    );
    assert_eq!(
        field(
            client
                .payments()
                .get_by_notification_token("")
                .await
                .unwrap_err()
        )
        .as_deref(),
        Some("notification_token")
    );
    assert_eq!(
        field(client.merchants().payment_methods("").await.unwrap_err()).as_deref(),
        Some("merchant_id")
    );
    let mut receiver = receiver_request();
    receiver.contact_email = "juan@".into();
    assert_eq!(
        field(client.receivers().create(&receiver).await.unwrap_err()).as_deref(),
        Some("contact_email")
    );
    receiver.contact_email = "juan@comercio.cl".into();
    receiver.business_name = "  ".into();
    assert_eq!(
        field(client.receivers().create(&receiver).await.unwrap_err()).as_deref(),
        Some("business_name")
    );

    // The unified API validates too.
    let bad = CreatePayment::builder(clp("1000"), "x")
        .payer_document("RUT", "1-2")
        .build()
        .unwrap();
    assert_eq!(
        field(client.create_payment(&bad).await.unwrap_err()).as_deref(),
        Some("payer.document")
    );
    assert_eq!(
        field(
            client
                .refund_payment(&RefundRequest::partial("abc", clp("0")))
                .await
                .unwrap_err()
        )
        .as_deref(),
        Some("amount")
    );

    assert_eq!(any.calls_async().await, 0);
}

/// Over-precise amounts are refused, never rounded: an amount read from JSON goes
/// through `Money`'s precision check, and the one request amount that is a bare
/// `Decimal` (`integrator_fee`) is checked against the payment's currency.
#[tokio::test]
async fn over_precise_amounts_are_refused_never_rounded() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let any = server
        .mock_async(|_when, then| {
            then.status(200).body(PAYMENT_CREATE);
        })
        .await;

    // What an application does with an order it received as JSON.
    async fn create_from_json(client: &KhipuClient, order: &str) -> Result<(), String> {
        let amount: Money = serde_json::from_str(order).map_err(|e| e.to_string())?;
        let request = CreatePaymentRequest::builder("Orden", amount)
            .build()
            .map_err(|e| e.to_string())?;
        client
            .payments()
            .create(&request)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
    for (order, message) in [
        (
            r#"{"amount":"1000.5","currency":"CLP"}"#,
            "invalid amount: 1000.5 has more than 0 decimal place(s), the most CLP allows",
        ),
        (
            r#"{"amount":"1.23456","currency":"CLF"}"#,
            "invalid amount: 1.23456 has more than 4 decimal place(s), the most CLF allows",
        ),
        (
            r#"{"amount":"10.555","currency":"USD"}"#,
            "invalid amount: 10.555 has more than 2 decimal place(s), the most USD allows",
        ),
    ] {
        let e = create_from_json(&client, order).await.unwrap_err();
        assert!(e.contains(message), "{order}: {e}");
    }

    let mut request = CreatePaymentRequest::builder("Orden", clp("1000"))
        .build()
        .unwrap();
    request.integrator_fee = Some(Decimal::new(105, 1)); // 10.5 CLP
    let e = client.payments().create(&request).await.unwrap_err();
    assert_eq!(e.validation_field(), Some("integrator_fee"), "{e}");
    assert_eq!(any.calls_async().await, 0);
}

// ---------------------------------------------------------------------------------
// The unified PaymentProvider API

#[tokio::test]
async fn provider_create_payment() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let params: &[(&str, &str)] = &[
        ("subject", "Orden 42"),
        ("currency", "CLP"),
        ("amount", "15990"),
        ("transaction_id", "orden-42"),
        ("custom", r#"{"cart":"3 items","channel":"web"}"#),
        ("body", "Tres productos"),
        ("return_url", "https://tienda.cl/ok"),
        ("cancel_url", "https://tienda.cl/cancel"),
        ("notify_url", "https://tienda.cl/notify"),
        ("notify_api_version", "1.3"),
        ("expires_date", "2030-01-01T03:00:00Z"),
        ("payer_name", "Ana"),
        ("payer_email", "ana@example.cl"),
    ];
    let expected_auth = ref_authorization("POST", &url(&server, "/payments"), params);
    let expected_body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter())
        .finish();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{PREFIX}/payments"))
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str())
                .body(expected_body.as_str());
            then.status(200).body(PAYMENT_CREATE);
        })
        .await;
    let request = CreatePayment::builder(clp("15990"), "Orden 42")
        .merchant_reference("orden-42")
        .description("Tres productos")
        .return_url("https://tienda.cl/ok")
        .cancel_url("https://tienda.cl/cancel")
        .notify_url("https://tienda.cl/notify")
        .expires_at(datetime!(2030-01-01 00:00:00 -3))
        .payer_name("Ana")
        .payer_email("ana@example.cl")
        .metadata("channel", "web")
        .metadata("cart", "3 items")
        .build()
        .unwrap();
    let provider: &dyn PaymentProvider = &client;
    assert_eq!(provider.name(), "khipu");
    let payment = provider.create_payment(&request).await.unwrap();
    mock.assert_async().await;
    assert_eq!(payment.provider, "khipu");
    assert_eq!(payment.id, "gqzdy6chjne9");
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(payment.merchant_reference.as_deref(), Some("orden-42"));
    assert_eq!(payment.amount, Some(clp("15990")));
    assert_eq!(
        payment.instructions,
        vec![PaymentInstructions::Redirect {
            url: "https://khipu.com/payment/info/gqzdy6chjne9".into(),
            app_url: Some("khipu:///pos/gqzdy6chjne9".into()),
        }]
    );
    assert_eq!(
        payment.raw.to_value().unwrap()["payment_id"],
        "gqzdy6chjne9"
    );
}

#[tokio::test]
async fn provider_create_payment_outcome_unknown_hint() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    server
        .mock_async(|when, then| {
            when.method(POST).path(format!("{PREFIX}/payments"));
            then.status(200).body("{\"payment_id\":");
        })
        .await;
    let request = CreatePayment::builder(clp("1000"), "Orden 7")
        .merchant_reference("orden-7")
        .build()
        .unwrap();
    match client.create_payment(&request).await.unwrap_err() {
        Error::OutcomeUnknown(u) => {
            assert!(u.hint.unwrap().contains("orden-7"));
            assert_eq!(u.raw_body.as_deref(), Some("{\"payment_id\":"));
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}

#[tokio::test]
async fn provider_get_payment_maps_status() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let cases = [
        ("p1", PAYMENT_DONE.to_string(), PaymentStatus::Succeeded),
        ("p2", PAYMENT_PENDING.to_string(), PaymentStatus::Pending),
        (
            "p3",
            PAYMENT_DONE.replace("\"normal\"", "\"reversed\""),
            PaymentStatus::Refunded,
        ),
        (
            "p4",
            PAYMENT_PENDING.replace(
                "\"status_detail\": \"pending\"",
                "\"status_detail\": \"rejected-by-payer\"",
            ),
            PaymentStatus::Failed,
        ),
        (
            "p5",
            PAYMENT_PENDING.replace("\"status\": \"pending\"", "\"status\": \"verifying\""),
            PaymentStatus::Processing,
        ),
        (
            "p6",
            PAYMENT_DONE.replace("\"status\": \"done\"", "\"status\": \"archived\""),
            PaymentStatus::Unknown("archived".into()),
        ),
    ];
    for (id, body, _) in &cases {
        server
            .mock_async(|when, then| {
                when.method(GET).path(format!("{PREFIX}/payments/{id}"));
                then.status(200).body(body.as_str());
            })
            .await;
    }
    for (id, _, expected) in &cases {
        let p = client.get_payment(id).await.unwrap();
        assert_eq!(&p.status, expected, "{id}");
    }

    let done = client.get_payment("p1").await.unwrap();
    assert_eq!(done.id, "gqzdy6chjne9");
    assert_eq!(done.merchant_reference.as_deref(), Some("zwo3wqz6uulcvajt"));
    assert_eq!(done.amount, Some(clp("1000")));
    assert!(done.instructions.is_empty());
    assert_eq!(done.raw.to_value().unwrap()["bank_id"], "dfFbF");
    let pending = client.get_payment("p2").await.unwrap();
    assert_eq!(pending.amount, Some(clp("200")));
    assert!(matches!(
        pending.instructions.as_slice(),
        [PaymentInstructions::Redirect { url, .. }] if url.ends_with("7vnqtalz0ikb")
    ));
}

#[tokio::test]
async fn provider_cancel_and_refund() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("{PREFIX}/payments/abc"))
                .header(
                    "authorization",
                    ref_authorization("DELETE", &url(&server, "/payments/abc"), &[]),
                );
            then.status(200).body(SUCCESS);
        })
        .await;
    let refund = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{PREFIX}/payments/abc/refunds"))
                .header(
                    "authorization",
                    ref_authorization(
                        "POST",
                        &url(&server, "/payments/abc/refunds"),
                        &[("amount", "1.5000")],
                    ),
                )
                .body("amount=1.5000");
            then.status(200).body(SUCCESS);
        })
        .await;
    client.cancel_payment("abc").await.unwrap();
    delete.assert_async().await;
    let r = client
        .refund_payment(&RefundRequest::partial(
            "abc",
            Money::parse("1.5", Currency::Clf).unwrap(),
        ))
        .await
        .unwrap();
    refund.assert_async().await;
    assert_eq!(r.provider, "khipu");
    assert_eq!(r.payment_id, "abc");
    assert_eq!(r.amount.unwrap().to_plain_string(), "1.5000");
    assert_eq!(r.message.as_deref(), Some("Mensaje a desplegar al usuario"));
    assert_eq!(
        r.raw.to_value().unwrap()["message"],
        "Mensaje a desplegar al usuario"
    );

    use pagos_core::Operation;
    let caps = client.capabilities();
    assert!(caps.supports(Operation::RefundPayment));
    assert!(!caps.supports(Operation::CreatePayout));
    let e = client.balance().await.unwrap_err();
    assert!(matches!(e, Error::Unsupported { .. }));
}

// ---------------------------------------------------------------------------------
// Notifications

const TOKEN: &str = "9dec8aa176c5223026919b3b5579a4776923e646ff3be686b9e6b62ec042e91f";

fn notification_body() -> String {
    format!("api_version=1.3&notification_token={TOKEN}")
}

fn expected_order() -> ExpectedPayment {
    ExpectedPayment::by_transaction_id(clp("1000"), "zwo3wqz6uulcvajt")
}

async fn notification_mock(server: &MockServer, body: String) -> httpmock::Mock<'_> {
    let expected_auth = ref_authorization(
        "GET",
        &url(server, "/payments"),
        &[("notification_token", TOKEN)],
    );
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{PREFIX}/payments"))
                .query_param("notification_token", TOKEN)
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("authorization", expected_auth.as_str());
            then.status(200).body(body);
        })
        .await
}

async fn verify(
    payment_json: String,
) -> (
    Result<pagos_khipu::PaymentsResponse, NotificationError>,
    usize,
) {
    let server = MockServer::start_async().await;
    let mock = notification_mock(&server, payment_json).await;
    let client = client_for(&server);
    let result = client
        .verify_notification(notification_body().as_bytes(), &expected_order())
        .await;
    (result, mock.calls_async().await)
}

#[tokio::test]
async fn notification_verified_and_repeat_is_harmless() {
    let server = MockServer::start_async().await;
    let mock = notification_mock(&server, PAYMENT_DONE.to_string()).await;
    let client = client_for(&server);
    let first = client
        .verify_notification(notification_body().as_bytes(), &expected_order())
        .await
        .unwrap();
    // Khipu retries the same notification: verifying again is a pure read.
    let second = client
        .verify_notification(notification_body().as_bytes(), &expected_order())
        .await
        .unwrap();
    assert_eq!(first, second);
    assert_eq!(first.payment_id, "gqzdy6chjne9");
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test]
async fn notification_each_failing_check() {
    let cases: [(String, Check, &str, &str); 6] = [
        (
            PAYMENT_DONE.replace("985101", "111111"),
            Check::ReceiverId,
            "985101",
            "111111",
        ),
        (
            PAYMENT_DONE.replace("\"status\": \"done\"", "\"status\": \"verifying\""),
            Check::Status,
            "done/normal or done/marked-paid-by-receiver",
            "verifying/normal",
        ),
        (
            PAYMENT_DONE.replace("\"normal\"", "\"reversed\""),
            Check::Status,
            "done/normal or done/marked-paid-by-receiver",
            "done/reversed",
        ),
        (
            PAYMENT_DONE.replace("\"CLP\"", "\"USD\""),
            Check::Currency,
            "CLP",
            "USD",
        ),
        (
            PAYMENT_DONE.replace("\"amount\": 1000", "\"amount\": \"999.0000\""),
            Check::Amount,
            "1000",
            "999.0000",
        ),
        (
            PAYMENT_DONE.replace("zwo3wqz6uulcvajt", "otra-orden"),
            Check::TransactionId,
            "zwo3wqz6uulcvajt",
            "otra-orden",
        ),
    ];
    for (json, check, exp, act) in cases {
        let (result, hits) = verify(json).await;
        assert_eq!(hits, 1);
        match result.unwrap_err() {
            NotificationError::Mismatch {
                check: c,
                expected,
                actual,
            } => {
                assert_eq!(c, check);
                assert_eq!(expected, exp, "{check}");
                assert_eq!(actual, act, "{check}");
            }
            other => panic!("expected a mismatch on {check}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn notification_of_another_paid_order_with_the_same_amount_is_refused() {
    // A real, paid, signed payment of this receiver for 1000 CLP: but for another
    // order. Before the order was required, this confirmed any 1000 CLP order.
    let other_order = PAYMENT_DONE.replace("zwo3wqz6uulcvajt", "orden-de-otro");
    let (result, hits) = verify(other_order.clone()).await;
    assert_eq!(hits, 1);
    let e = result.unwrap_err();
    assert_eq!(e.check(), Some(Check::TransactionId), "{e:?}");
    assert_eq!(
        e.to_string(),
        "Khipu notification: transaction_id check failed: expected zwo3wqz6uulcvajt, got orden-de-otro"
    );
    assert!(!e.should_retry());

    // Bound by Khipu's payment id instead: the same payment passes, another does not.
    let server = MockServer::start_async().await;
    let mock = notification_mock(&server, PAYMENT_DONE.to_string()).await;
    let client = client_for(&server);
    let by_id = ExpectedPayment::by_payment_id(clp("1000"), "gqzdy6chjne9");
    let ok = client
        .verify_notification(notification_body().as_bytes(), &by_id)
        .await
        .unwrap();
    assert_eq!(ok.payment_id, "gqzdy6chjne9");
    let other_payment = ExpectedPayment::by_payment_id(clp("1000"), "otropago0001");
    let e = client
        .verify_notification(notification_body().as_bytes(), &other_payment)
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(Check::PaymentId), "{e:?}");
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test]
async fn notification_with_a_blank_expected_order_fetches_nothing() {
    let server = MockServer::start_async().await;
    let mock = notification_mock(&server, PAYMENT_DONE.to_string()).await;
    let client = client_for(&server);
    for (expected, field) in [
        (
            ExpectedPayment::by_transaction_id(clp("1000"), " "),
            "expected.transaction_id",
        ),
        (
            ExpectedPayment::by_payment_id(clp("1000"), ""),
            "expected.payment_id",
        ),
    ] {
        match client
            .verify_notification(notification_body().as_bytes(), &expected)
            .await
        {
            Err(NotificationError::Invalid(v)) => assert_eq!(v.field(), field),
            other => panic!("expected {field} to be refused, got {other:?}"),
        }
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn notification_malformed_body_fetches_nothing() {
    let server = MockServer::start_async().await;
    let mock = notification_mock(&server, PAYMENT_DONE.to_string()).await;
    let client = client_for(&server);
    for body in [
        "api_version=1.2&notification_token=abc".to_string(),
        "notification_token=abc".to_string(),
        "api_version=1.3".to_string(),
        "api_version=1.3&notification_token=".to_string(),
        "garbage".to_string(),
    ] {
        let e = client
            .verify_notification(body.as_bytes(), &expected_order())
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                NotificationError::MissingField(_) | NotificationError::UnsupportedApiVersion(_)
            ),
            "{body}: {e:?}"
        );
        assert!(!e.should_retry());
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn notification_fetch_failure_asks_for_a_retry() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{PREFIX}/payments"));
            then.status(503).body(ERROR_503);
        })
        .await;
    let e = client
        .verify_notification(notification_body().as_bytes(), &expected_order())
        .await
        .unwrap_err();
    assert!(matches!(e, NotificationError::Fetch(_)), "{e:?}");
    assert!(e.should_retry());
    assert!(e.to_string().contains("could not fetch the payment"));
}

// ---------------------------------------------------------------------------------
// Redaction

#[tokio::test]
async fn secret_never_appears_in_debug_or_errors() {
    let server = MockServer::start_async().await;
    let secret = "super-secret-value-123";
    let client = KhipuClient::builder()
        .receiver_id(RECEIVER)
        .secret(secret)
        .base_url(&server.url(PREFIX))
        .unwrap()
        .transport(transport())
        .build()
        .unwrap();
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(403).body(ERROR_403);
        })
        .await;
    assert!(!format!("{client:?}").contains(secret));
    let req = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    let prepared = client.payments().prepare_create(&req).unwrap();
    let auth = prepared.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(!format!("{prepared:?}").contains(&auth[7..]));
    let err = client.payments().create(&req).await.unwrap_err();
    let text = format!("{err:?} {err}");
    assert!(!text.contains(secret), "{text}");
    assert!(!text.contains(&auth[7..]), "{text}");
    let builder = KhipuClient::builder().secret(secret);
    assert!(!format!("{builder:?}").contains(secret));
}
