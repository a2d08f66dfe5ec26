//! Wire tests: every TelePagos endpoint against a local httpmock server.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse, Mock};
use pagos_core::{
    BankAccount, CreatePayment, Currency, Error, Money, PaymentInstructions, PaymentProvider,
    PaymentStatus, PayoutRequest, PayoutStatus, RetryPolicy, Transport, UnknownCause,
};
use pagos_telepagos::{
    CashoutRequest, Client, Concept, PaymentLinkRequest, QrAmountType, QrRequest,
    StaticQrOrderRequest, TransactionsQuery, TransferRequest,
};
use serde_json::json;
use time::macros::date;

const USERNAME: &str = "api-user";
const PASSWORD: &str = "api-pass-s3cr3t";
const TOKEN: &str = "tok-123";
const BEARER: &str = "Bearer tok-123";
const CVU: &str = "2850590940090418135201";
const CUIT: &str = "20267565393";
const JSON: &str = "application/json";

const AUTH_TOKEN: &str = include_str!("fixtures/auth_token.json");
const ERROR: &str = include_str!("fixtures/error.json");
const CONCEPTS: &str = include_str!("fixtures/concepts.json");
const BALANCE: &str = include_str!("fixtures/balance.json");
const CASHOUT: &str = include_str!("fixtures/cashout.json");
const CASHOUT_VOUCHER: &str = include_str!("fixtures/cashout_voucher.json");
const CASHIN: &str = include_str!("fixtures/cashin.json");
const CASHIN_BUYER_OBJECT: &str = include_str!("fixtures/cashin_buyer_object.json");
const QR_GENERATE: &str = include_str!("fixtures/qr_generate.json");
const TRANSFER_GENERATE: &str = include_str!("fixtures/transfer_generate.json");
const STATISTICS: &str = include_str!("fixtures/statistics.json");
const LINK_GENERATE: &str = include_str!("fixtures/link_generate.json");
const SALE_POINTS: &str = include_str!("fixtures/sale_points.json");
const SALE_POINT_STATIC: &str = include_str!("fixtures/sale_point_static.json");
const SALE_POINT_CREATE: &str = include_str!("fixtures/sale_point_create.json");
const SALE_POINT_DELETE: &str = include_str!("fixtures/sale_point_delete.json");
const STATIC_ORDER: &str = include_str!("fixtures/static_order.json");
const TRANSACTIONS_PAGE1: &str = include_str!("fixtures/transactions_page1.json");
const TRANSACTIONS_PAGE2: &str = include_str!("fixtures/transactions_page2.json");
const TRANSACTIONS_FILTERS: &str = include_str!("fixtures/transactions_filters.json");

fn transport() -> Transport {
    Transport::builder()
        .retry(
            RetryPolicy::attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .username(USERNAME)
        .password(PASSWORD)
        .base_url(&server.url("/telepagos"))
        .unwrap()
        .transport(transport())
        .build()
        .unwrap()
}

fn path(p: &str) -> String {
    format!("/telepagos/v2/{p}")
}

fn ars(s: &str) -> Money {
    Money::parse(s, Currency::Ars).unwrap()
}

/// `POST v2/auth/token` answering the fixture token.
async fn auth(server: &MockServer) -> Mock<'_> {
    auth_answering(server, 200, AUTH_TOKEN).await
}

async fn auth_answering<'a>(server: &'a MockServer, status: u16, body: &str) -> Mock<'a> {
    let body = body.to_string();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(path("auth/token"))
                .header("content-type", JSON)
                .header_missing("authorization")
                .body(format!(
                    r#"{{"username":"{USERNAME}","password":"{PASSWORD}"}}"#
                ));
            then.status(status).header("content-type", JSON).body(body);
        })
        .await
}

/// A `GET` with the bearer token and no body.
async fn get<'a>(server: &'a MockServer, p: &str, status: u16, body: &str) -> Mock<'a> {
    let (p, body) = (path(p), body.to_string());
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p)
                .header("authorization", BEARER)
                .header_missing("content-type")
                .is_true(|req: &HttpMockRequest| req.body_ref().is_empty());
            then.status(status).header("content-type", JSON).body(body);
        })
        .await
}

/// A JSON request with the bearer token and exactly this body.
async fn with_body<'a>(
    server: &'a MockServer,
    method: Method,
    p: &str,
    request: &str,
    status: u16,
    answer: &str,
) -> Mock<'a> {
    let (p, request, answer) = (path(p), request.to_string(), answer.to_string());
    server
        .mock_async(|when, then| {
            when.method(method)
                .path(p)
                .header("authorization", BEARER)
                .header("content-type", JSON)
                .body(request);
            then.status(status)
                .header("content-type", JSON)
                .body(answer);
        })
        .await
}

fn provider_error(e: Error) -> pagos_core::ProviderError {
    match e {
        Error::Provider(p) => *p,
        other => panic!("expected a provider error, got {other:?}"),
    }
}

/// A 5xx to a state-changing call: TelePagos may have acted, so the outcome is unknown.
fn server_failure(e: Error) -> pagos_core::OutcomeUnknown {
    match e {
        Error::OutcomeUnknown(u) if u.cause == UnknownCause::ServerError => *u,
        other => panic!("expected an unknown outcome after a 5xx, got {other:?}"),
    }
}

fn validation_field(e: Error) -> String {
    match e {
        Error::Validation(v) => v.field().to_string(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

// ---------------------------------------------------------------- 1. auth/token

#[tokio::test]
async fn auth_token_is_requested_once_and_reused() {
    let server = MockServer::start_async().await;
    let auth = auth(&server).await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let c = client(&server);
    c.account_balance().await.unwrap();
    c.account_balance().await.unwrap();
    c.clone().account_balance().await.unwrap();
    auth.assert_calls_async(1).await;
    balance.assert_calls_async(3).await;
}

#[tokio::test]
async fn auth_expires_at_as_text_is_read_and_reused() {
    let server = MockServer::start_async().await;
    let auth = auth_answering(
        &server,
        200,
        r#"{"status":"ok","token":"tok-123","expires_at":"2100-01-01 00:00:00"}"#,
    )
    .await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let c = client(&server);
    c.account_balance().await.unwrap();
    c.account_balance().await.unwrap();
    auth.assert_calls_async(1).await;
    balance.assert_calls_async(2).await;
}

#[tokio::test]
async fn auth_expiry_in_the_past_does_not_authenticate_every_call() {
    // A clock or zone mismatch: the token is used until TelePagos refuses it.
    let server = MockServer::start_async().await;
    let auth = auth_answering(
        &server,
        200,
        r#"{"status":"ok","token":"tok-123","expires_at":1000000000}"#,
    )
    .await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let c = client(&server);
    c.account_balance().await.unwrap();
    c.account_balance().await.unwrap();
    auth.assert_calls_async(1).await;
    balance.assert_calls_async(2).await;
}

#[tokio::test]
async fn auth_error_envelope_with_200_is_a_provider_error_and_nothing_else_is_sent() {
    let server = MockServer::start_async().await;
    let auth = auth_answering(
        &server,
        200,
        r#"{"status":"error","message":"Credenciales inválidas"}"#,
    )
    .await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let err = client(&server).account_balance().await.unwrap_err();
    let p = provider_error(err);
    assert_eq!(p.http_status, 200);
    assert_eq!(p.operation, "authenticate");
    assert_eq!(p.message, "Credenciales inválidas");
    auth.assert_calls_async(1).await;
    assert_eq!(balance.calls_async().await, 0);
}

#[tokio::test]
async fn auth_answer_without_token_means_the_call_was_not_sent() {
    let server = MockServer::start_async().await;
    auth_answering(&server, 200, r#"{"status":"ok"}"#).await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let err = client(&server).account_balance().await.unwrap_err();
    // No token, so the balance request never left: safe to send again.
    assert!(matches!(err, Error::NotSent(_)), "{err:?}");
    assert_eq!(err.resend(), pagos_core::Resend::Safe);
    assert_eq!(balance.calls_async().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_calls_share_one_authentication() {
    let server = MockServer::start_async().await;
    let auth = auth(&server).await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let c = client(&server);
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.account_balance().await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().amount.to_string(), "150000");
    }
    auth.assert_calls_async(1).await;
    balance.assert_calls_async(200).await;
}

/// An auth endpoint answering `tok-1`, `tok-2`, ... in turn.
async fn counting_auth(server: &MockServer) -> Mock<'_> {
    let n = Arc::new(AtomicUsize::new(0));
    server
        .mock_async(move |when, then| {
            when.method(POST).path(path("auth/token"));
            then.respond_with(move |_req: &HttpMockRequest| {
                let i = n.fetch_add(1, Ordering::SeqCst) + 1;
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", JSON)
                    .body(format!(
                        r#"{{"status":"ok","token":"tok-{i}","expires_at":4102444800}}"#
                    ))
                    .build()
            });
        })
        .await
}

#[tokio::test]
async fn refused_token_is_renewed_once_and_the_call_repeated() {
    let server = MockServer::start_async().await;
    let auth = counting_auth(&server).await;
    let refused = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("account/balance"))
                .header("authorization", "Bearer tok-1");
            then.status(401)
                .header("content-type", JSON)
                .body(r#"{"status":"error","message":"Unauthenticated."}"#);
        })
        .await;
    let accepted = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("account/balance"))
                .header("authorization", "Bearer tok-2");
            then.status(200).header("content-type", JSON).body(BALANCE);
        })
        .await;
    let c = client(&server);
    assert_eq!(
        c.account_balance().await.unwrap().amount.to_string(),
        "150000"
    );
    auth.assert_calls_async(2).await;
    refused.assert_calls_async(1).await;
    accepted.assert_calls_async(1).await;
    // The renewed token is kept.
    c.account_balance().await.unwrap();
    auth.assert_calls_async(2).await;
    accepted.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_second_refusal_is_returned_after_one_renewal() {
    let server = MockServer::start_async().await;
    let auth = counting_auth(&server).await;
    let refused = server
        .mock_async(|when, then| {
            when.method(GET).path(path("account/balance"));
            then.status(403)
                .header("content-type", JSON)
                .body(r#"{"status":"error","message":"Forbidden"}"#);
        })
        .await;
    let err = client(&server).account_balance().await.unwrap_err();
    let p = provider_error(err);
    assert_eq!(p.http_status, 403);
    assert_eq!(p.message, "Forbidden");
    auth.assert_calls_async(2).await;
    refused.assert_calls_async(2).await;
}

// ---------------------------------------------------------------- 2. payment/concepts

#[tokio::test]
async fn concepts_are_listed() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = get(&server, "payment/concepts", 200, CONCEPTS).await;
    let concepts = client(&server).concepts().await.unwrap();
    assert_eq!(concepts.len(), 9);
    assert_eq!(concepts[8], json!("VAR"));
    m.assert_async().await;
}

// ---------------------------------------------------------------- 3. account/balance

#[tokio::test]
async fn balance_is_read() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = get(&server, "account/balance", 200, BALANCE).await;
    let c = client(&server);
    let b = c.account_balance().await.unwrap();
    assert_eq!(b.status.as_deref(), Some("ok"));
    assert_eq!(b.amount.to_string(), "150000");
    let unified = c.balance().await.unwrap();
    assert_eq!(unified.provider, "telepagos");
    assert_eq!(unified.available, ars("150000"));
    assert_eq!(unified.raw.to_value().unwrap()["amount"], json!(150000));
    m.assert_calls_async(2).await;
}

#[tokio::test]
async fn balance_with_decimals_or_as_string_is_read() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    get(
        &server,
        "account/balance",
        200,
        r#"{"status":"ok","amount":"1234.5"}"#,
    )
    .await;
    let b = client(&server).balance().await.unwrap();
    assert_eq!(b.available.to_plain_string(), "1234.50");
}

// ---------------------------------------------------------------- 4. payment/cashout

const CASHOUT_BODY: &str = r#"{"cvu":"2850590940090418135201","cuit":"20267565393","amount":1500.50,"reference_id":"payout-0001","concept":"HON","description":"Honorarios marzo"}"#;

fn cashout_request() -> CashoutRequest {
    CashoutRequest::builder(ars("1500.5"), "20-26756539-3", "payout-0001")
        .cvu(CVU)
        .concept(Concept::Hon)
        .description("Honorarios marzo")
        .build()
        .unwrap()
}

#[tokio::test]
async fn cashout_sends_the_exact_body() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = with_body(&server, POST, "payment/cashout", CASHOUT_BODY, 200, CASHOUT).await;
    let receipt = client(&server).cashout(&cashout_request()).await.unwrap();
    assert_eq!(receipt.id, "98765");
    assert_eq!(receipt.status.as_deref(), Some("ok"));
    m.assert_async().await;
}

#[tokio::test]
async fn cashout_to_an_alias() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = with_body(
        &server,
        POST,
        "payment/cashout",
        r#"{"alias":"mi.alias.mp","cuit":"20267565393","amount":10.00,"reference_id":"r-2","concept":"VAR","description":"r-2"}"#,
        200,
        CASHOUT,
    )
    .await;
    let req = CashoutRequest::builder(ars("10"), CUIT, "r-2")
        .alias("mi.alias.mp")
        .build()
        .unwrap();
    client(&server).cashout(&req).await.unwrap();
    m.assert_async().await;
}

#[tokio::test]
async fn cashout_is_retried_after_a_503_with_the_identical_body() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let bodies = Arc::new(Mutex::new(Vec::<Vec<u8>>::new()));
    let seen = bodies.clone();
    let m = server
        .mock_async(move |when, then| {
            when.method(POST)
                .path(path("payment/cashout"))
                .header("authorization", BEARER)
                .header("content-type", JSON);
            then.respond_with(move |req: &HttpMockRequest| {
                let mut seen = seen.lock().unwrap();
                seen.push(req.body_vec());
                let (status, body) = if seen.len() == 1 {
                    (
                        503,
                        r#"{"status":"error","message":"Servicio no disponible"}"#,
                    )
                } else {
                    (200, CASHOUT)
                };
                HttpMockResponse::builder()
                    .status(status)
                    .header("content-type", JSON)
                    .body(body)
                    .build()
            });
        })
        .await;
    let receipt = client(&server).cashout(&cashout_request()).await.unwrap();
    assert_eq!(receipt.id, "98765");
    m.assert_calls_async(2).await;
    let bodies = bodies.lock().unwrap();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1], "the retry must resend the same bytes");
    assert_eq!(bodies[0], CASHOUT_BODY.as_bytes());
}

#[tokio::test]
async fn cashout_outcome_unknown_hints_at_the_reference() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    with_body(
        &server,
        POST,
        "payment/cashout",
        CASHOUT_BODY,
        200,
        "<html>ok</html>",
    )
    .await;
    let err = client(&server)
        .cashout(&cashout_request())
        .await
        .unwrap_err();
    match err {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::UndecodableResponse);
            assert_eq!(u.raw_body.as_deref(), Some("<html>ok</html>"));
            assert!(u.hint.unwrap().contains("payout-0001"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn create_payout_sends_a_cashout() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = with_body(
        &server,
        POST,
        "payment/cashout",
        r#"{"cvu":"2850590940090418135201","cuit":"20267565393","amount":10.50,"reference_id":"payout-7","concept":"VAR","description":"payout-7"}"#,
        200,
        CASHOUT,
    )
    .await;
    let req = PayoutRequest::builder(ars("10.5"), BankAccount::Cbu(CVU.into()), "payout-7")
        .beneficiary_tax_id("20-26756539-3")
        .build()
        .unwrap();
    let payout = client(&server).create_payout(&req).await.unwrap();
    assert_eq!(payout.id, "98765");
    assert_eq!(payout.status, PayoutStatus::Processing);
    assert_eq!(payout.reference.as_deref(), Some("payout-7"));
    assert_eq!(payout.amount, Some(ars("10.5")));
    assert_eq!(payout.raw.to_value().unwrap()["id"], json!(98765));
    m.assert_async().await;
}

/// An amount read from JSON goes through `Money`'s precision check: `10.555` ARS
/// never becomes a cash-out of `10.56` (or `10.55`), and nothing is sent, not even the
/// authentication.
#[tokio::test]
async fn over_precise_amounts_are_refused_never_rounded() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_when, then| {
            then.status(200).body(CASHOUT);
        })
        .await;
    let c = client(&server);
    // What an application does with a payout it received as JSON.
    async fn cashout_from_json(c: &Client, payout: &str) -> Result<(), String> {
        let amount: Money = serde_json::from_str(payout).map_err(|e| e.to_string())?;
        let request = CashoutRequest::builder(amount, CUIT, "payout-json-1")
            .cvu(CVU)
            .build()
            .map_err(|e| e.to_string())?;
        c.cashout(&request)
            .await
            .map(drop)
            .map_err(|e| e.to_string())?;
        let link = PaymentLinkRequest::new(
            amount,
            "Cuota",
            time::OffsetDateTime::now_utc() + time::Duration::hours(1),
        );
        c.generate_payment_link(&link)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
    for (payout, message) in [
        (
            r#"{"amount":"10.555","currency":"ARS"}"#,
            "invalid amount: 10.555 has more than 2 decimal place(s), the most ARS allows",
        ),
        (
            r#"{"amount":"0.001","currency":"ARS"}"#,
            "invalid amount: 0.001 has more than 2 decimal place(s), the most ARS allows",
        ),
        (
            r#"{"amount":10.5,"currency":"ARS"}"#,
            "an amount with a fraction must be a string",
        ),
    ] {
        let e = cashout_from_json(&c, payout).await.unwrap_err();
        assert!(e.contains(message), "{payout}: {e}");
    }
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn invalid_cashouts_send_nothing() {
    let server = MockServer::start_async().await;
    let auth = auth(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.path_includes("cashout");
            then.status(200).body(CASHOUT);
        })
        .await;
    let c = client(&server);

    let mut both = cashout_request();
    both.alias = Some("mi.alias.mp".into());
    assert_eq!(
        validation_field(c.cashout(&both).await.unwrap_err()),
        "alias"
    );
    let mut neither = cashout_request();
    neither.cvu = None;
    assert_eq!(
        validation_field(c.cashout(&neither).await.unwrap_err()),
        "cvu"
    );
    let mut bad_cvu = cashout_request();
    bad_cvu.cvu = Some("2850590940090418135202".into());
    assert_eq!(
        validation_field(c.cashout(&bad_cvu).await.unwrap_err()),
        "cvu"
    );
    let mut bad_cuit = cashout_request();
    bad_cuit.cuit = "20-26756539-4".into();
    assert_eq!(
        validation_field(c.cashout(&bad_cuit).await.unwrap_err()),
        "cuit"
    );
    let mut zero = cashout_request();
    zero.amount = ars("0");
    assert_eq!(
        validation_field(c.cashout(&zero).await.unwrap_err()),
        "amount"
    );
    let mut no_reference = cashout_request();
    no_reference.reference_id = String::new();
    assert_eq!(
        validation_field(c.cashout(&no_reference).await.unwrap_err()),
        "reference_id"
    );
    let mut no_concept = cashout_request();
    no_concept.concept = Concept::Other(" ".into());
    assert_eq!(
        validation_field(c.cashout(&no_concept).await.unwrap_err()),
        "concept"
    );

    let no_cuit = PayoutRequest::builder(ars("1"), BankAccount::Cbu(CVU.into()), "r")
        .build()
        .unwrap();
    assert_eq!(
        validation_field(c.create_payout(&no_cuit).await.unwrap_err()),
        "beneficiary.tax_id"
    );
    let clabe = PayoutRequest::builder(
        ars("1"),
        BankAccount::Clabe("032180000118359719".into()),
        "r",
    )
    .beneficiary_tax_id(CUIT)
    .build()
    .unwrap();
    assert_eq!(
        validation_field(c.create_payout(&clabe).await.unwrap_err()),
        "beneficiary.account"
    );
    let unknown_concept = PayoutRequest::builder(ars("1"), BankAccount::Cbu(CVU.into()), "r")
        .beneficiary_tax_id(CUIT)
        .concept("rent")
        .build()
        .unwrap();
    assert_eq!(
        validation_field(c.create_payout(&unknown_concept).await.unwrap_err()),
        "concept"
    );
    assert_eq!(
        validation_field(c.cashout_voucher(" ").await.unwrap_err()),
        "cashout_id"
    );

    assert_eq!(m.calls_async().await, 0);
    assert_eq!(auth.calls_async().await, 0);
}

// ---------------------------------------------------------------- 5. payment/cashout/{id}

#[tokio::test]
async fn cashout_voucher_is_decoded() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = get(&server, "payment/cashout/98765", 200, CASHOUT_VOUCHER).await;
    let c = client(&server);
    let voucher = c.cashout_voucher("98765").await.unwrap();
    assert!(voucher.pdf.starts_with(b"%PDF-1.4"));
    assert_eq!(voucher.status.as_deref(), Some("ok"));
    let payout = c.get_payout("98765").await.unwrap();
    assert_eq!(payout.id, "98765");
    // TelePagos' documented answer: "ok" with the transfer's receipt ("devuelve un comprobante").
    assert_eq!(payout.status, PayoutStatus::Succeeded);
    assert_eq!(payout.receipt.as_deref(), Some(voucher.pdf.as_slice()));
    m.assert_calls_async(2).await;
}

#[tokio::test]
async fn cashout_status_is_read_not_inferred_from_the_voucher() {
    // With and without a voucher: the answer's status decides, never the voucher.
    let voucher = r#""voucher":"JVBERi0xLjQKJcOkw7zDtsOfCg==""#;
    let rows = [
        (
            format!(r#"{{"status":"rechazada",{voucher}}}"#),
            PayoutStatus::Failed,
            true,
        ),
        (
            r#"{"status":"rechazada","voucher":""}"#.to_string(),
            PayoutStatus::Failed,
            false,
        ),
        (
            format!(r#"{{"status":"completada",{voucher}}}"#),
            PayoutStatus::Succeeded,
            true,
        ),
        (
            format!(r#"{{"status":"en proceso",{voucher}}}"#),
            PayoutStatus::Processing,
            true,
        ),
        (
            format!(r#"{{"status":"en_revision",{voucher}}}"#),
            PayoutStatus::Unknown("en_revision".into()),
            true,
        ),
        (
            r#"{"status":"ok","voucher":""}"#.to_string(),
            PayoutStatus::Processing,
            false,
        ),
        (
            format!(r#"{{"status":"ok",{voucher}}}"#),
            PayoutStatus::Succeeded,
            true,
        ),
        (
            format!("{{{voucher}}}"),
            PayoutStatus::Unknown(String::new()),
            true,
        ),
    ];
    for (body, expected, has_receipt) in rows {
        let server = MockServer::start_async().await;
        auth(&server).await;
        get(&server, "payment/cashout/5", 200, &body).await;
        let payout = client(&server).get_payout("5").await.unwrap();
        assert_eq!(payout.status, expected, "{body}");
        assert_eq!(payout.receipt.is_some(), has_receipt, "{body}");
    }
}

#[tokio::test]
async fn a_cashout_answer_naming_a_state_is_read() {
    let request = PayoutRequest::builder(ars("10.5"), BankAccount::Cbu(CVU.into()), "payout-8")
        .beneficiary_tax_id(CUIT)
        .build()
        .unwrap();
    for (answer, expected) in [
        (r#"{"status":"rechazada","id":1}"#, PayoutStatus::Failed),
        (r#"{"id":1}"#, PayoutStatus::Processing),
        (
            r#"{"status":"en_revision","id":1}"#,
            PayoutStatus::Unknown("en_revision".into()),
        ),
    ] {
        let server = MockServer::start_async().await;
        auth(&server).await;
        server
            .mock_async(|when, then| {
                when.method(POST).path(path("payment/cashout"));
                then.status(200).header("content-type", JSON).body(answer);
            })
            .await;
        let payout = client(&server).create_payout(&request).await.unwrap();
        assert_eq!(payout.status, expected, "{answer}");
    }
}

#[tokio::test]
async fn cashout_voucher_that_is_not_base64_is_outcome_unknown() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    get(
        &server,
        "payment/cashout/5",
        200,
        r#"{"status":"ok","voucher":"%%%"}"#,
    )
    .await;
    let err = client(&server).cashout_voucher("5").await.unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown(u) if u.detail.contains("base64")));
}

#[tokio::test]
async fn ids_are_percent_encoded_into_one_segment() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path(path("payment/cashout/a%2Fb%3Fc"));
            then.status(200).body(CASHOUT_VOUCHER);
        })
        .await;
    client(&server).cashout_voucher("a/b?c").await.unwrap();
    m.assert_async().await;
}

// ---------------------------------------------------------------- 6. payment/cashin/{id}

#[tokio::test]
async fn cashin_is_read_with_buyer_as_array() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = get(&server, "payment/cashin/555001", 200, CASHIN).await;
    let c = client(&server);
    let cash_in = c.cashin("555001").await.unwrap();
    let buyer = cash_in.buyer.clone().unwrap();
    assert_eq!(buyer.cuit.as_deref(), Some(CUIT));
    assert_eq!(buyer.cvu.as_deref(), Some(CVU));
    assert_eq!(cash_in.amount.unwrap().to_string(), "1500.50");
    assert_eq!(cash_in.concept.as_deref(), Some("Pedido 42"));
    assert_eq!(cash_in.description.as_deref(), Some("2 cafés"));
    assert_eq!(cash_in.transaction_id.as_deref(), Some("555001"));
    assert_eq!(cash_in.qr_order_id.as_deref(), Some("777"));
    assert_eq!(cash_in.link_id, None);

    let payment = c.get_payment("555001").await.unwrap();
    assert_eq!(payment.id, "555001");
    // TelePagos' documented record of a credit ("acreditación") says "ok": it was credited.
    assert_eq!(payment.status, PaymentStatus::Succeeded);
    assert_eq!(payment.amount, Some(ars("1500.50")));
    assert_eq!(
        payment.raw.to_value().unwrap()["concept"],
        json!("Pedido 42")
    );
    m.assert_calls_async(2).await;
}

#[tokio::test]
async fn cashin_is_read_with_buyer_as_object() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    get(&server, "payment/cashin/555002", 200, CASHIN_BUYER_OBJECT).await;
    let cash_in = client(&server).cashin("555002").await.unwrap();
    assert_eq!(cash_in.buyer.unwrap().cuit.as_deref(), Some(CUIT));
    assert_eq!(cash_in.amount.unwrap().to_string(), "250.00");
    assert_eq!(cash_in.link_id.as_deref(), Some("4321"));
    assert_eq!(cash_in.qr_order_id, None);
}

#[tokio::test]
async fn cashin_status_is_read_not_inferred_from_the_record() {
    for (status, expected) in [
        ("acreditada", PaymentStatus::Succeeded),
        ("rechazada", PaymentStatus::Failed),
        ("devuelta", PaymentStatus::Refunded),
        ("pendiente", PaymentStatus::Pending),
        ("misterio", PaymentStatus::Unknown("misterio".into())),
    ] {
        let server = MockServer::start_async().await;
        auth(&server).await;
        let body = CASHIN.replace(r#""status": "ok""#, &format!(r#""status": "{status}""#));
        assert!(body.contains(status));
        get(&server, "payment/cashin/555001", 200, &body).await;
        let payment = client(&server).get_payment("555001").await.unwrap();
        assert_eq!(payment.status, expected, "{status}");
        // The amount is read whatever the status.
        assert_eq!(payment.amount, Some(ars("1500.50")));
    }
}

#[tokio::test]
async fn unknown_cashin_is_a_provider_error() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    get(
        &server,
        "payment/cashin/1",
        404,
        r#"{"status":"error","message":"Acreditación inexistente"}"#,
    )
    .await;
    let p = provider_error(client(&server).get_payment("1").await.unwrap_err());
    assert_eq!(p.http_status, 404);
    assert_eq!(p.message, "Acreditación inexistente");
}

// ---------------------------------------------------------------- 7. payment/cashin/qr/generate

#[tokio::test]
async fn qr_is_generated() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = with_body(
        &server,
        POST,
        "payment/cashin/qr/generate",
        r#"{"amount":250.00,"concept":"Pedido 42","description":"2 cafés"}"#,
        200,
        QR_GENERATE,
    )
    .await;
    let c = client(&server);
    let qr = c
        .generate_qr(&QrRequest::new(ars("250"), "Pedido 42").description("2 cafés"))
        .await
        .unwrap();
    assert!(qr.qr_code.starts_with("000201"));
    assert_eq!(qr.qr_order_id.as_deref(), Some("777"));

    let req = CreatePayment::builder(ars("250"), "Pedido 42")
        .description("2 cafés")
        .build()
        .unwrap();
    let payment = c.create_qr_payment(&req).await.unwrap();
    assert_eq!(payment.id, "777");
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(
        payment.instructions,
        vec![PaymentInstructions::Qr {
            payload: qr.qr_code.clone()
        }]
    );
    m.assert_calls_async(2).await;
}

#[tokio::test]
async fn non_idempotent_posts_are_sent_once_on_503() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let unavailable = |p: &'static str| {
        let server = &server;
        async move {
            server
                .mock_async(|when, then| {
                    when.method(POST).path(path(p));
                    then.status(503)
                        .header("content-type", JSON)
                        .body(r#"{"status":"error","message":"Servicio no disponible"}"#);
                })
                .await
        }
    };
    let qr = unavailable("payment/cashin/qr/generate").await;
    let link = unavailable("payment/cashin/link/generate").await;
    let transfer = unavailable("payment/cashin/transfer/generate").await;
    let order = unavailable("payment/cashin/qr/static/order").await;
    let sale_point = unavailable("payment/cashin/qr/sale-point").await;
    let c = client(&server);

    let u = server_failure(
        c.generate_qr(&QrRequest::new(ars("1"), "x"))
            .await
            .unwrap_err(),
    );
    assert_eq!((u.http_status, u.attempts), (Some(503), 1));
    assert_eq!(u.message.as_deref(), Some("Servicio no disponible"));
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let u = server_failure(
        c.generate_payment_link(&PaymentLinkRequest::new(ars("1"), "x", expires))
            .await
            .unwrap_err(),
    );
    assert_eq!((u.http_status, u.attempts), (Some(503), 1));
    c.generate_transfer_link(&TransferRequest::new(CVU, CUIT, ars("1"), "x"))
        .await
        .unwrap_err();
    c.create_static_qr_order(&StaticQrOrderRequest::new(ars("1"), "x", 12))
        .await
        .unwrap_err();
    c.create_sale_point("Caja 3").await.unwrap_err();

    for m in [qr, link, transfer, order, sale_point] {
        m.assert_calls_async(1).await;
    }
}

// ---------------------------------------------------------------- 8. payment/cashin/transfer/generate

#[tokio::test]
async fn transfer_link_is_generated() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = with_body(
        &server,
        POST,
        "payment/cashin/transfer/generate",
        r#"{"cvu":"2850590940090418135201","cuit":"20267565393","amount":99.90,"concept":"Factura 12","description":"Factura 12"}"#,
        200,
        TRANSFER_GENERATE,
    )
    .await;
    let link = client(&server)
        .generate_transfer_link(&TransferRequest::new(
            CVU,
            "20-26756539-3",
            ars("99.9"),
            "Factura 12",
        ))
        .await
        .unwrap();
    assert_eq!(link.payment_link, "https://pagar.telepagos.com.ar/t/8f2c1a");
    assert_eq!(link.status.as_deref(), Some("ok"));
    m.assert_async().await;
}

// ---------------------------------------------------------------- 9. whitelabel/statics/{period}

#[tokio::test]
async fn statistics_are_read() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = get(&server, "whitelabel/statics/2024-03", 200, STATISTICS).await;
    let s = client(&server).statistics("2024-03").await.unwrap();
    assert_eq!(s.status.as_deref(), Some("ok"));
    assert_eq!(s.count_open_cvu, Some(0));
    assert_eq!(s.total_cashout, None);
    assert_eq!(s.total_cashin, None);
    assert_eq!(s.count_payments_services, Some(0));
    assert_eq!(s.count_sent_sms, Some(0));
    assert_eq!(s.raw["data"][3][0]["count_sent_sms"], json!(0));
    m.assert_async().await;
}

#[tokio::test]
async fn statistics_amounts_are_exact() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    get(
        &server,
        "whitelabel/statics/month",
        200,
        r#"{"status":"ok","data":[[{"count_open_cvu":2}],[{"total_cashout":"0.10","total_cashin":12345.67}]]}"#,
    )
    .await;
    let s = client(&server).statistics("month").await.unwrap();
    assert_eq!(s.total_cashout.unwrap().to_string(), "0.10");
    assert_eq!(s.total_cashin.unwrap().to_string(), "12345.67");
    assert_eq!(s.count_sent_sms, None);
}

// ---------------------------------------------------------------- 10. payment/cashin/link/generate

#[tokio::test]
async fn payment_link_is_generated() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let expires = time::macros::datetime!(2099-12-31 20:30:00 -3);
    let m = with_body(
        &server,
        POST,
        "payment/cashin/link/generate",
        r#"{"expiration_date":"2099-12-31 23:30:00","amount":1000.00,"multiple_use":true,"concept":"Cuota marzo","distribution":[{"cvu":"2850590940090418135201","amount":100.00}]}"#,
        200,
        LINK_GENERATE,
    )
    .await;
    let link = client(&server)
        .generate_payment_link(
            &PaymentLinkRequest::new(ars("1000"), "Cuota marzo", expires)
                .multiple_use(true)
                .distribute(CVU, ars("100")),
        )
        .await
        .unwrap();
    assert_eq!(link.link, "https://pagar.telepagos.com.ar/l/4321");
    assert_eq!(link.link_id.as_deref(), Some("4321"));
    m.assert_async().await;
}

#[tokio::test]
async fn create_payment_generates_a_single_use_link() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(path("payment/cashin/link/generate"))
                .header("authorization", BEARER)
                .header("content-type", JSON)
                .body_includes(r#""amount":1500.50,"multiple_use":false,"concept":"Pedido 42"}"#)
                .is_true(|req: &HttpMockRequest| {
                    // expiration_date: now + 24 h, as UTC "Y-m-d H:i:s".
                    let body: serde_json::Value = serde_json::from_slice(req.body_ref()).unwrap();
                    let text = body["expiration_date"].as_str().unwrap().to_string();
                    let format = time::macros::format_description!(
                        "[year]-[month]-[day] [hour]:[minute]:[second]"
                    );
                    let at = time::PrimitiveDateTime::parse(&text, format)
                        .unwrap()
                        .assume_utc();
                    let lifetime = at - time::OffsetDateTime::now_utc();
                    lifetime > time::Duration::hours(23) && lifetime <= time::Duration::hours(24)
                });
            then.status(200)
                .header("content-type", JSON)
                .body(LINK_GENERATE);
        })
        .await;
    let req = CreatePayment::builder(ars("1500.5"), "Pedido 42")
        .merchant_reference("order-42")
        .build()
        .unwrap();
    let payment = client(&server).create_payment(&req).await.unwrap();
    assert_eq!(payment.provider, "telepagos");
    assert_eq!(payment.id, "4321");
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(payment.amount, Some(ars("1500.50")));
    assert_eq!(
        payment.instructions,
        vec![PaymentInstructions::Redirect {
            url: "https://pagar.telepagos.com.ar/l/4321".into(),
            app_url: None
        }]
    );
    assert_eq!(payment.raw.to_value().unwrap()["link_id"], json!(4321));
    m.assert_async().await;
}

#[tokio::test]
async fn invalid_cash_ins_send_nothing() {
    let server = MockServer::start_async().await;
    let auth = auth(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.path_includes("cashin");
            then.status(200).body(LINK_GENERATE);
        })
        .await;
    let c = client(&server);
    let past = time::OffsetDateTime::now_utc() - time::Duration::minutes(5);
    let future = time::OffsetDateTime::now_utc() + time::Duration::hours(5);

    let expired = CreatePayment::builder(ars("1"), "x")
        .expires_at(past)
        .build()
        .unwrap();
    assert_eq!(
        validation_field(c.create_payment(&expired).await.unwrap_err()),
        "expires_at"
    );
    let mxn = CreatePayment::builder(Money::parse("1", Currency::Mxn).unwrap(), "x")
        .build()
        .unwrap();
    assert_eq!(
        validation_field(c.create_payment(&mxn).await.unwrap_err()),
        "amount"
    );
    assert_eq!(
        validation_field(c.create_qr_payment(&mxn).await.unwrap_err()),
        "amount"
    );
    assert_eq!(
        validation_field(
            c.generate_payment_link(&PaymentLinkRequest::new(ars("1"), "x", past))
                .await
                .unwrap_err()
        ),
        "expiration_date"
    );
    assert_eq!(
        validation_field(
            c.generate_payment_link(
                &PaymentLinkRequest::new(ars("1"), "x", future).distribute("123", ars("1"))
            )
            .await
            .unwrap_err()
        ),
        "distribution.cvu"
    );
    assert_eq!(
        validation_field(
            c.generate_qr(&QrRequest::new(ars("0"), "x"))
                .await
                .unwrap_err()
        ),
        "amount"
    );
    assert_eq!(
        validation_field(
            c.generate_qr(&QrRequest::new(ars("1"), ""))
                .await
                .unwrap_err()
        ),
        "concept"
    );
    assert_eq!(
        validation_field(
            c.generate_transfer_link(&TransferRequest::new(CVU, "20267565390", ars("1"), "x"))
                .await
                .unwrap_err()
        ),
        "cuit"
    );
    assert_eq!(
        validation_field(
            c.generate_transfer_link(&TransferRequest::new("123", CUIT, ars("1"), "x"))
                .await
                .unwrap_err()
        ),
        "cvu"
    );
    assert_eq!(
        validation_field(
            c.create_static_qr_order(&StaticQrOrderRequest::new(ars("-1"), "x", 1))
                .await
                .unwrap_err()
        ),
        "amount"
    );
    assert_eq!(
        validation_field(c.cashin("").await.unwrap_err()),
        "cashin_id"
    );
    assert_eq!(
        validation_field(c.get_payment(" ").await.unwrap_err()),
        "payment_id"
    );

    assert_eq!(m.calls_async().await, 0);
    assert_eq!(auth.calls_async().await, 0);
}

// ---------------------------------------------------------------- 11. GET payment/cashin/qr/sale-point

#[tokio::test]
async fn sale_points_are_listed() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = get(&server, "payment/cashin/qr/sale-point", 200, SALE_POINTS).await;
    let points = client(&server).sale_points().await.unwrap();
    assert_eq!(points.len(), 2);
    assert_eq!(points[0].id, 12);
    assert_eq!(points[0].name.as_deref(), Some("Caja 1"));
    assert_eq!(points[0].status.as_deref(), Some("active"));
    assert_eq!(points[1].id, 13);
    m.assert_async().await;
}

// ---------------------------------------------------------------- 12. GET payment/cashin/qr/sale-point/static

#[tokio::test]
async fn static_qr_is_read_with_query_parameters() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let closed = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("payment/cashin/qr/sale-point/static"))
                .query_param("type_amount", "closed")
                .query_param("sale_point_id", "12")
                .header("authorization", BEARER)
                .header_missing("content-type");
            then.status(200)
                .header("content-type", JSON)
                .body(SALE_POINT_STATIC);
        })
        .await;
    let open = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("payment/cashin/qr/sale-point/static"))
                .query_param("type_amount", "open")
                .query_param("sale_point_id", "13");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"status":"ok","qr_code":"open-qr"}"#);
        })
        .await;
    let c = client(&server);
    let qr = c.static_qr(12, QrAmountType::Closed).await.unwrap();
    assert!(qr.starts_with("000201"));
    assert_eq!(
        c.static_qr(13, QrAmountType::Open).await.unwrap(),
        "open-qr"
    );
    closed.assert_async().await;
    open.assert_async().await;
}

// ---------------------------------------------------------------- 13. POST payment/cashin/qr/sale-point

#[tokio::test]
async fn sale_point_is_created() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = with_body(
        &server,
        POST,
        "payment/cashin/qr/sale-point",
        r#"{"name":"Caja 3"}"#,
        200,
        SALE_POINT_CREATE,
    )
    .await;
    let c = client(&server);
    assert_eq!(c.create_sale_point("Caja 3").await.unwrap(), 14);
    assert_eq!(
        validation_field(c.create_sale_point(" ").await.unwrap_err()),
        "name"
    );
    m.assert_calls_async(1).await;
}

// ---------------------------------------------------------------- 14. DELETE payment/cashin/qr/sale-point

#[tokio::test]
async fn sale_point_is_deleted_with_a_json_body() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = with_body(
        &server,
        DELETE,
        "payment/cashin/qr/sale-point",
        r#"{"sale_point_id":14}"#,
        200,
        SALE_POINT_DELETE,
    )
    .await;
    client(&server).delete_sale_point(14).await.unwrap();
    m.assert_async().await;
}

#[tokio::test]
async fn sale_point_delete_refused_with_200() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    with_body(
        &server,
        DELETE,
        "payment/cashin/qr/sale-point",
        r#"{"sale_point_id":99}"#,
        200,
        r#"{"status":"error","message":"Punto de venta inexistente"}"#,
    )
    .await;
    let p = provider_error(client(&server).delete_sale_point(99).await.unwrap_err());
    assert_eq!(p.http_status, 200);
    assert_eq!(p.message, "Punto de venta inexistente");
}

// ---------------------------------------------------------------- 15. POST payment/cashin/qr/static/order

#[tokio::test]
async fn static_qr_order_is_created() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = with_body(
        &server,
        POST,
        "payment/cashin/qr/static/order",
        r#"{"amount":75.25,"concept":"Mesa 4","description":"Mesa 4","sale_point_id":12}"#,
        200,
        STATIC_ORDER,
    )
    .await;
    let id = client(&server)
        .create_static_qr_order(&StaticQrOrderRequest::new(ars("75.25"), "Mesa 4", 12))
        .await
        .unwrap();
    assert_eq!(id, "888");
    m.assert_async().await;
}

// ---------------------------------------------------------------- 16. GET account/transactions

async fn transactions_page<'a>(server: &'a MockServer, page: &str, body: &str) -> Mock<'a> {
    let (page, body) = (page.to_string(), body.to_string());
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("account/transactions"))
                .query_param("date_from", "2024-03-01")
                .query_param("date_to", "2024-03-31")
                .query_param("paginate", "1")
                .query_param("page", page)
                .query_param_missing("operation")
                .header("authorization", BEARER)
                .header_missing("content-type");
            then.status(200).header("content-type", JSON).body(body);
        })
        .await
}

#[tokio::test]
async fn transactions_page_is_read() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = transactions_page(&server, "1", TRANSACTIONS_PAGE1).await;
    let page = client(&server)
        .transactions(&TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 31)).page(1))
        .await
        .unwrap();
    assert_eq!(page.transactions.len(), 2);
    assert_eq!(
        (
            page.number_of_results,
            page.page,
            page.pages,
            page.pagination
        ),
        (Some(3), Some(1), Some(2), Some(2))
    );
    let t = &page.transactions[0];
    assert_eq!(t.is_income(), Some(true));
    assert_eq!(t.date.as_deref(), Some("2024-03-01 10:15:00"));
    assert_eq!(t.amount.unwrap().to_string(), "1500.50");
    assert_eq!(t.operation.as_deref(), Some("Cobro QR"));
    assert_eq!(t.holder.as_deref(), Some("Ana Pérez"));
    assert_eq!(t.cuit.as_deref(), Some(CUIT));
    assert_eq!(t.cvu_cbu.as_deref(), Some(CVU));
    assert_eq!(t.status.as_deref(), Some("Aprobada"));
    assert_eq!(t.payment_status(), PaymentStatus::Succeeded);
    assert_eq!(t.sale_point_name.as_deref(), Some("Caja 1"));
    let t = &page.transactions[1];
    assert_eq!(t.is_income(), Some(false));
    assert_eq!(t.payout_status(), PayoutStatus::Pending);
    m.assert_async().await;
}

#[tokio::test]
async fn transactions_unpaginated_with_operation() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("account/transactions"))
                .query_param("date_from", "2024-03-01")
                .query_param("date_to", "2024-03-02")
                .query_param("operation", "2")
                .query_param_missing("paginate")
                .query_param_missing("page")
                .header("authorization", BEARER);
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"status":"ok","transactions":[]}"#);
        })
        .await;
    let page = client(&server)
        .transactions(
            &TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 02)).operation("2"),
        )
        .await
        .unwrap();
    assert!(page.transactions.is_empty());
    assert_eq!(page.pages, None);
    m.assert_async().await;
}

#[tokio::test]
async fn transactions_stream_walks_every_page_one_at_a_time() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let page1 = transactions_page(&server, "1", TRANSACTIONS_PAGE1).await;
    let page2 = transactions_page(&server, "2", TRANSACTIONS_PAGE2).await;
    let c = client(&server);
    let query = TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 31));

    // Lazily: the first two items need only the first page.
    let mut stream = c.transactions_stream(query.clone()).unwrap();
    stream.next().await.unwrap().unwrap();
    stream.next().await.unwrap().unwrap();
    assert_eq!(page1.calls_async().await, 1);
    assert_eq!(page2.calls_async().await, 0);
    let third = stream.next().await.unwrap().unwrap();
    assert_eq!(third.amount.unwrap().to_string(), "99.99");
    assert_eq!(
        third.payment_status(),
        PaymentStatus::Unknown("en revisión".into())
    );
    assert!(stream.next().await.is_none());
    assert_eq!(page2.calls_async().await, 1);

    // All of it.
    let all: Vec<_> = c
        .transactions_stream(query)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    page1.assert_calls_async(2).await;
    page2.assert_calls_async(2).await;
}

#[tokio::test]
async fn transactions_stream_ends_at_the_first_error() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    transactions_page(&server, "1", TRANSACTIONS_PAGE1).await;
    transactions_page(
        &server,
        "2",
        r#"{"status":"error","message":"Demasiadas consultas"}"#,
    )
    .await;
    let results: Vec<_> = client(&server)
        .transactions_stream(TransactionsQuery::new(
            date!(2024 - 03 - 01),
            date!(2024 - 03 - 31),
        ))
        .unwrap()
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    let p = provider_error(results.into_iter().nth(2).unwrap().unwrap_err());
    assert_eq!(p.message, "Demasiadas consultas");
}

#[tokio::test]
async fn invalid_transaction_queries_send_nothing() {
    let server = MockServer::start_async().await;
    let auth = auth(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.path_includes("account");
            then.status(200).body(TRANSACTIONS_PAGE1);
        })
        .await;
    let c = client(&server);
    let backwards = TransactionsQuery::new(date!(2024 - 03 - 31), date!(2024 - 03 - 01));
    assert_eq!(
        validation_field(c.transactions(&backwards).await.unwrap_err()),
        "date_from"
    );
    assert!(matches!(
        c.transactions_stream(backwards),
        Err(Error::Validation(v)) if v.field() == "date_from"
    ));
    let page_zero = TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 31)).page(0);
    assert_eq!(
        validation_field(c.transactions(&page_zero).await.unwrap_err()),
        "page"
    );
    assert_eq!(
        validation_field(c.statistics("").await.unwrap_err()),
        "period"
    );
    assert_eq!(m.calls_async().await, 0);
    assert_eq!(auth.calls_async().await, 0);
}

// ---------------------------------------------------------------- 17. GET account/transactions_filters

#[tokio::test]
async fn transaction_filters_are_listed() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = get(
        &server,
        "account/transactions_filters",
        200,
        TRANSACTIONS_FILTERS,
    )
    .await;
    let filters = client(&server).transaction_filters().await.unwrap();
    assert_eq!(filters.len(), 2);
    assert_eq!(filters[0].id, "1");
    assert_eq!(filters[0].name.as_deref(), Some("Transferencia enviada"));
    assert_eq!(filters[0].kind.as_deref(), Some("cashout"));
    m.assert_async().await;
}

// ---------------------------------------------------------------- error paths

#[tokio::test]
async fn error_envelope_with_200_is_a_provider_error() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    with_body(&server, POST, "payment/cashout", CASHOUT_BODY, 200, ERROR).await;
    let p = provider_error(
        client(&server)
            .cashout(&cashout_request())
            .await
            .unwrap_err(),
    );
    assert_eq!(p.provider, "telepagos");
    assert_eq!(p.operation, "cashout");
    assert_eq!(p.http_status, 200);
    assert_eq!(p.message, "Saldo insuficiente");
    assert_eq!(p.raw_body, ERROR);
    assert_eq!(p.attempts, 1);
}

#[tokio::test]
async fn error_envelope_with_4xx_is_a_provider_error() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    with_body(&server, POST, "payment/cashout", CASHOUT_BODY, 422, ERROR).await;
    let err = client(&server)
        .cashout(&cashout_request())
        .await
        .unwrap_err();
    assert_eq!(err.resend(), pagos_core::Resend::Never);
    let p = provider_error(err);
    assert_eq!(p.http_status, 422);
    assert_eq!(p.message, "Saldo insuficiente");
}

#[tokio::test]
async fn non_json_error_body_is_a_provider_error() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path(path("account/balance"));
            then.status(502)
                .header("content-type", "text/html")
                .body("<html><body>502 Bad Gateway</body></html>");
        })
        .await;
    let p = provider_error(client(&server).account_balance().await.unwrap_err());
    assert_eq!(p.http_status, 502);
    assert_eq!(p.message, "HTTP 502 error with a non-JSON body");
    assert_eq!(p.raw_body, "<html><body>502 Bad Gateway</body></html>");
    // A GET is idempotent: the transport tried three times.
    assert_eq!(p.attempts, 3);
    m.assert_calls_async(3).await;
}

#[tokio::test]
async fn undecodable_200_is_outcome_unknown() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    get(
        &server,
        "account/balance",
        200,
        r#"{"status":"ok","amount":"mucho"}"#,
    )
    .await;
    get(&server, "payment/cashin/qr/sale-point", 200, "not json").await;
    let c = client(&server);
    match c.account_balance().await.unwrap_err() {
        Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, UnknownCause::UndecodableResponse);
            assert_eq!(u.http_status, Some(200));
            assert_eq!(
                u.raw_body.as_deref(),
                Some(r#"{"status":"ok","amount":"mucho"}"#)
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        c.sale_points().await.unwrap_err(),
        Error::OutcomeUnknown(u) if u.raw_body.as_deref() == Some("not json")
    ));
}

// ---------------------------------------------------------------- secrets

#[tokio::test]
async fn debug_and_errors_never_show_the_password_or_token() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    get(&server, "account/balance", 200, BALANCE).await;
    get(
        &server,
        "payment/concepts",
        401,
        r#"{"status":"error","message":"Unauthenticated."}"#,
    )
    .await;
    let c = client(&server);
    let before = format!("{c:?}");
    c.account_balance().await.unwrap();
    let after = format!("{c:?}");
    let err = c.concepts().await.unwrap_err();
    for text in [before, after, format!("{err:?}"), err.to_string()] {
        assert!(!text.contains(PASSWORD), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
    }
    assert!(format!("{c:?}").contains("[REDACTED]"));
    let builder = Client::builder().username(USERNAME).password(PASSWORD);
    assert!(!format!("{builder:?}").contains(PASSWORD));
}

#[test]
fn provider_identity() {
    let c = Client::builder()
        .username(USERNAME)
        .password(PASSWORD)
        .build()
        .unwrap();
    assert_eq!(c.name(), "telepagos");
    let caps: Vec<_> = c.capabilities().iter().map(|o| o.as_str()).collect();
    assert_eq!(
        caps,
        [
            "create_payment",
            "get_payment",
            "create_payout",
            "get_payout",
            "get_balance"
        ]
    );
    let shared: Arc<dyn PaymentProvider> = Arc::new(c);
    assert_eq!(shared.name(), "telepagos");
}
