//! Wire tests for pagos-kashpay against httpmock on 127.0.0.1.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, Method::POST, Mock, MockServer};
use pagos_core::{
    BankAccount, Currency, Error, Money, Operation, PaymentProvider, PayoutRequest, PayoutStatus,
    RetryPolicy, Transport, UnknownCause,
};
use pagos_kashpay::{
    AccountType, Client, CreateOrder, Environment, KashpayClient, OrderStatus, TransactionType,
    numeric_reference_for,
};
use time::{Date, Month, OffsetDateTime};

const AUTH_OK: &str = include_str!("fixtures/authenticate.json");
const ORDER_OK: &str = include_str!("fixtures/create_order_success.json");
const ORDER_FAILED: &str = include_str!("fixtures/create_order_failure.json");

/// The Kashpay API's example token.
const JWT: &str = "eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJqaW1AY2FzY2FkZWZpbnRlY2guY29tIiwiZXhwIjoxNjY5Nzk5MjA4LCJpYXQiOjE2Njk3OTMyMzJ9.Xhk_B_iOaXPQzkiEdMnvpuUVI8nz6_6uZB9HF4rEJI2zpi0G3K7UqfeBTsbWHP-hFtkHgLDnNHXKnMWc8ixFzA";
const ENTITY: &str = "com.cascade";
const USER: &str = "jim@cascadefintech.com";
const PASSWORD: &str = "cascTest4333";
const AUTH_BODY: &str =
    r#"{"entity":"com.cascade","password":"cascTest4333","user":"jim@cascadefintech.com"}"#;
const AUTH_PATH: &str = "/kashpay/AuthenticationService/authenticate";
const ORDER_PATH: &str = "/kashpay/OKPay/createOrder";

/// Every field of the Kashpay API's `createOrder` table, with typos, in its order.
const FULL_ORDER_BODY: &str = r#"{"alphanumericReference":"PROVV0011712091","amount":250.00,"beneficiaryAcount":"032180000118359719","beneficiaryAddress1":"Vicente G 132 Mz5 Lt14","beneficiaryCity":"CDMX","beneficiaryName":"Florentino Eter","beneficiaryTypeAcount":"40","codeInstituteBank":"032","concept":"Deposito Maria","currency":484,"dataAccreditationBeneficiary":99,"dateTransaction":"030421","description":"prueba","email":"testrest@gmail.com","idBank":4177,"idEntity":4177,"numericReference":43223123,"postalCode":"57800","referenceCreatedPayment":"811111112","typeTransaction":1}"#;

fn transport() -> Transport {
    Transport::builder()
        .retry(
            RetryPolicy::attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

fn client(server: &MockServer) -> KashpayClient {
    KashpayClient::builder()
        .entity(ENTITY)
        .user(USER)
        .password(PASSWORD)
        .base_url(&server.url("/kashpay"))
        .unwrap()
        .transport(transport())
        .build()
        .unwrap()
}

fn mxn(s: &str) -> Money {
    Money::parse(s, Currency::Mxn).unwrap()
}

fn full_order() -> CreateOrder {
    CreateOrder::builder(TransactionType::SpeiOut, mxn("250"))
        .beneficiary(AccountType::Clabe, "032180000118359719", "Florentino Eter")
        .beneficiary_address1("Vicente G 132 Mz5 Lt14")
        .beneficiary_city("CDMX")
        .postal_code("57800")
        .email("testrest@gmail.com")
        .code_institute_bank("032")
        .id_bank(4177)
        .id_entity(4177)
        .concept("Deposito Maria")
        .description("prueba")
        .numeric_reference(43223123)
        .alphanumeric_reference("PROVV0011712091")
        .reference_created_payment("811111112")
        .date_transaction(Date::from_calendar_date(2021, Month::April, 3).unwrap())
        .build()
        .unwrap()
}

/// The authentication mock: method, path, content type and exact JSON body.
async fn auth_mock<'a>(server: &'a MockServer, answer: &str) -> Mock<'a> {
    let answer = answer.to_string();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(AUTH_PATH)
                .header("content-type", "application/json")
                .body(AUTH_BODY);
            then.status(200)
                .header("content-type", "application/json")
                .body(answer);
        })
        .await
}

/// A createOrder mock requiring the session headers for `token`.
async fn order_mock<'a>(
    server: &'a MockServer,
    token: &str,
    status: u16,
    answer: &str,
) -> Mock<'a> {
    let (token, answer) = (token.to_string(), answer.to_string());
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(ORDER_PATH)
                .header("authorization", format!("Bearer {token}"))
                .header("entity-i", ENTITY)
                .header("content-type", "application/json");
            then.status(status)
                .header("content-type", "application/json")
                .body(answer);
        })
        .await
}

/// A change that makes a valid request invalid.
type Mutation<T> = Box<dyn Fn(&mut T)>;

fn provider_error(e: &Error) -> &pagos_core::ProviderError {
    e.as_provider_error()
        .unwrap_or_else(|| panic!("expected a provider error, got {e:?}"))
}

// ---------------------------------------------------------------- authenticate

#[tokio::test]
async fn authenticate_posts_credentials_and_decodes_string_expires() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let client = client(&server);

    let token = client.session().token().await.unwrap();
    auth.assert_async().await;
    assert_eq!(token.expose(), JWT);
    // "5975999" milliseconds ≈ 99.6 minutes.
    let remaining = token.token().remaining().unwrap();
    assert!(
        remaining <= Duration::from_millis(5_975_999),
        "{remaining:?}"
    );
    assert!(remaining > Duration::from_secs(5_900), "{remaining:?}");
}

#[tokio::test]
async fn authenticate_decodes_number_expires() {
    let server = MockServer::start_async().await;
    let answer =
        r#"{"success":true,"authenticationResponse":{"token":"tok-number","expires":5975999}}"#;
    let auth = auth_mock(&server, answer).await;
    let token = client(&server).session().token().await.unwrap();
    auth.assert_async().await;
    assert_eq!(token.expose(), "tok-number");
    let remaining = token.token().remaining().unwrap();
    assert!(
        remaining > Duration::from_secs(5_900) && remaining <= Duration::from_millis(5_975_999)
    );
}

#[tokio::test]
async fn authenticate_without_expires_keeps_the_token_until_refused() {
    let server = MockServer::start_async().await;
    let answer = r#"{"success":true,"authenticationResponse":{"token":"tok","expires":"soon"}}"#;
    auth_mock(&server, answer).await;
    let token = client(&server).session().token().await.unwrap();
    assert_eq!(token.token().remaining(), None);
}

#[tokio::test]
async fn authenticate_refusal_is_a_provider_error_even_with_http_200() {
    let server = MockServer::start_async().await;
    let answer = r#"{"success":false,"error":{"name":"AuthenticationException","message":"Credenciales invalidas","code":401}}"#;
    let auth = auth_mock(&server, answer).await;
    let orders = order_mock(&server, JWT, 200, ORDER_OK).await;
    let err = client(&server)
        .create_order(&full_order())
        .await
        .unwrap_err();
    let p = provider_error(&err);
    assert_eq!(p.operation, "authenticate");
    assert_eq!(p.http_status, 200);
    assert_eq!(p.code.as_deref(), Some("401"));
    assert_eq!(p.message, "AuthenticationException: Credenciales invalidas");
    assert_eq!(auth.calls_async().await, 1);
    assert_eq!(orders.calls_async().await, 0);
}

#[tokio::test]
async fn authenticate_undecodable_answer_never_carries_the_body() {
    let server = MockServer::start_async().await;
    // A token, but the envelope has the wrong shape: the body must not reach the error.
    let answer = r#"{"success":true,"authenticationResponse":"secret-token-value"}"#;
    auth_mock(&server, answer).await;
    let err = client(&server).session().token().await.unwrap_err();
    // Without a token the caller's own request never left.
    assert!(matches!(&err, Error::NotSent(_)), "unexpected {err:?}");
    assert!(!format!("{err:?} {err}").contains("secret-token-value"));
}

// ---------------------------------------------------------------- createOrder

#[tokio::test]
async fn create_order_sends_every_field_with_the_session_headers() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(ORDER_PATH)
                .header("authorization", format!("Bearer {JWT}"))
                .header("entity-i", ENTITY)
                .header("content-type", "application/json")
                .body(FULL_ORDER_BODY);
            then.status(200).body(ORDER_OK);
        })
        .await;

    let order = client(&server).create_order(&full_order()).await.unwrap();
    auth.assert_async().await;
    orders.assert_async().await;

    // The Kashpay API's success example, decoded.
    assert_eq!(order.id, "13699");
    assert_eq!(order.numeric_reference.as_deref(), Some("43223123"));
    assert_eq!(
        order.alphanumeric_reference.as_deref(),
        Some("PROVV0011712091")
    );
    assert_eq!(
        order.reference_created_payment.as_deref(),
        Some("on000000011598")
    );
    assert_eq!(order.status, OrderStatus::Applied);
    assert_eq!(order.status.payout_status(), PayoutStatus::Succeeded);
    assert_eq!(order.initial_balance.unwrap().to_string(), "10000");
    assert_eq!(order.final_balance.unwrap().to_string(), "10250");
    let created = order.created_at.unwrap();
    assert_eq!(
        created,
        time::macros::datetime!(2022-12-20 17:11:46.794 UTC)
    );
    assert_eq!(order.updated_at, Some(created));
    assert_eq!(order.total_items, Some(0));
    assert_eq!(order.total_pages, Some(0));
    assert_eq!(order.current_page, Some(0));
    assert_eq!(
        order.raw["orderEntityResponse"]["uptadedAt"],
        "2022-12-20T17:11:46.794+0000"
    );
}

#[tokio::test]
async fn create_order_uses_the_client_entity_and_bank_ids_as_defaults() {
    let server = MockServer::start_async().await;
    auth_mock(&server, AUTH_OK).await;
    let orders = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(ORDER_PATH)
                .body_includes(r#""idBank":12,"idEntity":4177,"#)
                .body_includes(r#""codeInstituteBank":"032","#);
            then.status(200).body(ORDER_OK);
        })
        .await;
    let client = KashpayClient::builder()
        .entity(ENTITY)
        .user(USER)
        .password(PASSWORD)
        .base_url(&server.url("/kashpay"))
        .unwrap()
        .transport(transport())
        .entity_id(4177)
        .bank_id(12)
        .build()
        .unwrap();
    let order = CreateOrder::builder(TransactionType::SpeiOut, mxn("10.5"))
        .beneficiary(AccountType::Clabe, "032180000118359719", "Ana")
        .concept("Pago")
        .numeric_reference(1)
        .alphanumeric_reference("A1")
        .build()
        .unwrap();
    client.create_order(&order).await.unwrap();
    orders.assert_async().await;
}

#[tokio::test]
async fn create_order_failure_envelope_with_http_200() {
    let server = MockServer::start_async().await;
    auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 200, ORDER_FAILED).await;
    let err = client(&server)
        .create_order(&full_order())
        .await
        .unwrap_err();
    let p = provider_error(&err);
    assert_eq!(p.provider, "kashpay");
    assert_eq!(p.operation, "create_order");
    assert_eq!(p.http_status, 200);
    assert_eq!(p.code.as_deref(), Some("1022"));
    assert_eq!(p.message, "EntityException: No se pudo procesar el pago");
    assert_eq!(p.raw_body, ORDER_FAILED);
    assert_eq!(err.resend(), pagos_core::Resend::Never);
    assert_eq!(orders.calls_async().await, 1);
}

#[tokio::test]
async fn create_order_failure_envelope_with_http_400() {
    let server = MockServer::start_async().await;
    auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 400, ORDER_FAILED).await;
    let err = client(&server)
        .create_order(&full_order())
        .await
        .unwrap_err();
    let p = provider_error(&err);
    assert_eq!(p.http_status, 400);
    assert_eq!(p.code.as_deref(), Some("1022"));
    assert_eq!(p.message, "EntityException: No se pudo procesar el pago");
    assert_eq!(orders.calls_async().await, 1);
}

#[tokio::test]
async fn create_order_gateway_error_is_an_unknown_outcome_and_not_retried() {
    let server = MockServer::start_async().await;
    auth_mock(&server, AUTH_OK).await;
    let html = "<html><body>502 Bad Gateway</body></html>";
    let orders = order_mock(&server, JWT, 502, html).await;
    let err = client(&server)
        .create_order(&full_order())
        .await
        .unwrap_err();
    // The gateway may have forwarded the order before failing: unknown, not refused.
    assert_eq!(err.resend(), pagos_core::Resend::AfterLookup);
    let Error::OutcomeUnknown(u) = &err else {
        panic!("expected an unknown outcome, got {err:?}")
    };
    assert_eq!(u.cause, UnknownCause::ServerError);
    assert_eq!(u.http_status, Some(502));
    assert_eq!(u.code, None);
    assert_eq!(u.message.as_deref(), Some("HTTP 502 with a non-JSON body"));
    assert_eq!(u.raw_body.as_deref(), Some(html));
    assert!(u.hint.is_some());
    // A POST without an idempotency reference is sent once, even after a 5xx.
    assert_eq!(orders.calls_async().await, 1);
}

#[tokio::test]
async fn create_order_undecodable_200_is_outcome_unknown_with_a_lookup_hint() {
    for body in [
        "<html>OK</html>",
        r#"{"success":true,"orderEntityResponse":{"status":25}}"#,
    ] {
        let server = MockServer::start_async().await;
        auth_mock(&server, AUTH_OK).await;
        let orders = order_mock(&server, JWT, 200, body).await;
        let err = client(&server)
            .create_order(&full_order())
            .await
            .unwrap_err();
        match &err {
            Error::OutcomeUnknown(u) => {
                assert_eq!(u.cause, UnknownCause::UndecodableResponse);
                assert_eq!(u.http_status, Some(200));
                assert_eq!(u.raw_body.as_deref(), Some(body));
                let hint = u.hint.as_deref().unwrap();
                assert!(hint.contains("numericReference 43223123"), "{hint}");
                assert!(
                    hint.contains("alphanumericReference PROVV0011712091"),
                    "{hint}"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(orders.calls_async().await, 1);
    }
}

#[tokio::test]
async fn create_order_json_without_success_flag_is_outcome_unknown() {
    let server = MockServer::start_async().await;
    auth_mock(&server, AUTH_OK).await;
    order_mock(
        &server,
        JWT,
        200,
        r#"{"orderEntityResponse":{"id":"1","status":25}}"#,
    )
    .await;
    let err = client(&server)
        .create_order(&full_order())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::OutcomeUnknown(ref u) if u.hint.is_some()),
        "{err:?}"
    );
}

// ---------------------------------------------------------------- token session

#[tokio::test]
async fn token_is_reused_between_calls() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 200, ORDER_OK).await;
    let client = client(&server);
    client.create_order(&full_order()).await.unwrap();
    client.create_order(&full_order()).await.unwrap();
    assert_eq!(auth.calls_async().await, 1);
    assert_eq!(orders.calls_async().await, 2);
}

async fn concurrent_orders(client: &KashpayClient, n: usize) {
    let order = Arc::new(full_order());
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (client, order) = (client.clone(), order.clone());
            tokio::spawn(async move { client.create_order(&order).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_without_a_token_authenticate_once() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 200, ORDER_OK).await;
    let client = client(&server);
    concurrent_orders(&client, 200).await;
    assert_eq!(auth.calls_async().await, 1);
    assert_eq!(orders.calls_async().await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_with_a_refused_token_authenticate_once() {
    let server = MockServer::start_async().await;
    // `expires` 0: no usable lifetime, so the token is used until Kashpay refuses it.
    let short = r#"{"success":true,"authenticationResponse":{"token":"old-token","expires":"0"}}"#;
    let first_auth = auth_mock(&server, short).await;
    let mut old_orders = order_mock(&server, "old-token", 200, ORDER_OK).await;
    let client = client(&server);
    for _ in 0..20 {
        client.create_order(&full_order()).await.unwrap();
    }
    assert_eq!(
        first_auth.calls_async().await,
        1,
        "expires 0 must not renew per call"
    );
    assert_eq!(old_orders.calls_async().await, 20);
    first_auth.delete_async().await;
    old_orders.delete_async().await;

    // Now Kashpay refuses the old token: 200 callers share one re-authentication.
    old_orders = order_mock(
        &server,
        "old-token",
        401,
        r#"{"success":false,"error":{"name":"Unauthorized","message":"token expirado","code":401}}"#,
    )
    .await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 200, ORDER_OK).await;
    concurrent_orders(&client, 200).await;
    assert_eq!(auth.calls_async().await, 1);
    assert_eq!(orders.calls_async().await, 200);
    assert!(old_orders.calls_async().await >= 1);
}

#[tokio::test]
async fn a_refused_token_is_renewed_once_and_the_order_retried_once() {
    let server = MockServer::start_async().await;
    let issued = Arc::new(AtomicU32::new(0));
    let counter = issued.clone();
    let auth = server
        .mock_async(move |when, then| {
            when.method(POST).path(AUTH_PATH).body(AUTH_BODY);
            then.respond_with(move |_req: &HttpMockRequest| {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                HttpMockResponse::builder()
                    .status(200)
                    .body(format!(
                        r#"{{"success":true,"authenticationResponse":{{"token":"token-{n}","expires":"5975999"}}}}"#
                    ))
                    .build()
            });
        })
        .await;
    let refused = order_mock(
        &server,
        "token-1",
        401,
        r#"{"status":401,"error":"Unauthorized","path":"/OKPay/createOrder"}"#,
    )
    .await;
    let accepted = order_mock(&server, "token-2", 200, ORDER_OK).await;

    let order = client(&server).create_order(&full_order()).await.unwrap();
    assert_eq!(order.id, "13699");
    assert_eq!(auth.calls_async().await, 2);
    assert_eq!(refused.calls_async().await, 1);
    assert_eq!(accepted.calls_async().await, 1);
    assert_eq!(issued.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_second_refusal_is_returned_without_a_third_attempt() {
    for status in [401, 403] {
        let server = MockServer::start_async().await;
        let auth = auth_mock(&server, AUTH_OK).await;
        let orders = order_mock(&server, JWT, status, "").await;
        let err = client(&server)
            .create_order(&full_order())
            .await
            .unwrap_err();
        let p = provider_error(&err);
        assert!(p.is_unauthorized());
        assert_eq!(p.http_status, status);
        assert_eq!(p.operation, "create_order");
        assert!(p.message.contains("refused"), "{}", p.message);
        assert_eq!(auth.calls_async().await, 2, "HTTP {status}");
        assert_eq!(orders.calls_async().await, 2, "HTTP {status}");
    }
}

// ---------------------------------------------------------------- validation

#[tokio::test]
async fn invalid_orders_send_nothing() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 200, ORDER_OK).await;
    let client = client(&server);

    let cases: Vec<(&str, Mutation<CreateOrder>)> = vec![
        // Banxico's check digit: the Kashpay API's example CLABE has a wrong one.
        (
            "beneficiary_account",
            Box::new(|o| o.beneficiary_account = "646180585000000001".into()),
        ),
        (
            "beneficiary_account",
            Box::new(|o| o.beneficiary_account = "03218000011835971".into()),
        ),
        ("amount", Box::new(|o| o.amount = mxn("0"))),
        ("amount", Box::new(|o| o.amount = mxn("-5"))),
        (
            "currency",
            Box::new(|o| o.amount = Money::parse("1", Currency::Usd).unwrap()),
        ),
        (
            "email",
            Box::new(|o| o.email = Some("testrest@gmail".into())),
        ),
        (
            "beneficiary_name",
            Box::new(|o| o.beneficiary_name = "  ".into()),
        ),
        ("concept", Box::new(|o| o.concept = String::new())),
        (
            "alphanumeric_reference",
            Box::new(|o| o.alphanumeric_reference = String::new()),
        ),
        (
            "postal_code",
            Box::new(|o| o.postal_code = Some("5780".into())),
        ),
    ];
    for (field, mutate) in cases {
        let mut order = full_order();
        mutate(&mut order);
        let err = client.create_order(&order).await.unwrap_err();
        assert_eq!(err.validation_field(), Some(field), "{err:?}");
    }
    // More than two decimals never becomes MXN money in the first place.
    assert!(Money::parse("10.555", Currency::Mxn).is_err());

    assert_eq!(auth.calls_async().await, 0);
    assert_eq!(orders.calls_async().await, 0);
}

/// An amount read from JSON goes through `Money`'s precision check: `250.005` MXN
/// never becomes an order (or a payout) of `250.01`, and nothing is sent, not even the
/// authentication.
#[tokio::test]
async fn over_precise_amounts_are_refused_never_rounded() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 200, ORDER_OK).await;
    let client = client(&server);
    // What an application does with a transfer it received as JSON.
    async fn order_from_json(client: &KashpayClient, transfer: &str) -> Result<(), String> {
        let amount: Money = serde_json::from_str(transfer).map_err(|e| e.to_string())?;
        let order = CreateOrder::builder(TransactionType::SpeiOut, amount)
            .beneficiary(AccountType::Clabe, "032180000118359719", "Florentino Eter")
            .concept("Deposito Maria")
            .numeric_reference(43223123)
            .alphanumeric_reference("PROVV0011712091")
            .build()
            .map_err(|e| e.to_string())?;
        client
            .create_order(&order)
            .await
            .map(drop)
            .map_err(|e| e.to_string())?;
        let payout = PayoutRequest::builder(
            amount,
            BankAccount::Clabe("032180000118359719".into()),
            "PAYOUT0001",
        )
        .beneficiary_name("Florentino Eter")
        .build()
        .map_err(|e| e.to_string())?;
        client
            .create_payout(&payout)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
    for (transfer, message) in [
        (
            r#"{"amount":"250.005","currency":"MXN"}"#,
            "invalid amount: 250.005 has more than 2 decimal place(s), the most MXN allows",
        ),
        (
            r#"{"amount":"0.001","currency":"MXN"}"#,
            "invalid amount: 0.001 has more than 2 decimal place(s), the most MXN allows",
        ),
        (
            r#"{"amount":250.5,"currency":"MXN"}"#,
            "an amount with a fraction must be a string",
        ),
    ] {
        let e = order_from_json(&client, transfer).await.unwrap_err();
        assert!(e.contains(message), "{transfer}: {e}");
    }
    assert_eq!(auth.calls_async().await, 0);
    assert_eq!(orders.calls_async().await, 0);
}

// ---------------------------------------------------------------- configuration

fn config_setting(result: pagos_core::Result<KashpayClient>) -> String {
    match result {
        Err(Error::Config(c)) => c.setting().to_string(),
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[test]
fn build_requires_entity_user_and_password() {
    let base = || {
        KashpayClient::builder()
            .environment(Environment::Sandbox)
            .transport(transport())
    };
    assert_eq!(
        config_setting(base().user(USER).password(PASSWORD).build()),
        "entity"
    );
    assert_eq!(
        config_setting(base().entity(" ").user(USER).password(PASSWORD).build()),
        "entity"
    );
    assert_eq!(
        config_setting(
            base()
                .entity("com cascade")
                .user(USER)
                .password(PASSWORD)
                .build()
        ),
        "entity"
    );
    assert_eq!(
        config_setting(base().entity(ENTITY).password(PASSWORD).build()),
        "user"
    );
    assert_eq!(
        config_setting(base().entity(ENTITY).user(USER).build()),
        "password"
    );
    assert_eq!(
        config_setting(base().entity(ENTITY).user(USER).password("").build()),
        "password"
    );
}

#[test]
fn environments_and_base_urls() {
    let creds = || {
        KashpayClient::builder()
            .entity(ENTITY)
            .user(USER)
            .password(PASSWORD)
            .transport(transport())
    };
    // Sandbox: the documented plain-http hosts.
    let sandbox = creds().environment(Environment::Sandbox).build().unwrap();
    assert_eq!(
        sandbox.session().authenticator().url().as_str(),
        "http://sdbx-polaris.kashplataforma.com/AuthenticationService/authenticate"
    );
    assert_eq!(
        sandbox.orders_base_url().as_str(),
        "http://sdbx-centauri.kashplataforma.com"
    );
    // Production (the default): the orders host must be given.
    assert_eq!(config_setting(creds().build()), "orders_base_url");
    let prod = creds()
        .orders_base_url("https://orders.example.mx/")
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        prod.session().authenticator().url().as_str(),
        "https://polaris.kashplataforma.com/AuthenticationService/authenticate"
    );
    assert_eq!(prod.orders_base_url().as_str(), "https://orders.example.mx");
    // User-supplied URLs: https or loopback only, even for the sandbox hosts.
    let err = creds()
        .auth_base_url("http://sdbx-polaris.kashplataforma.com")
        .unwrap_err();
    assert_eq!(err.setting(), "auth_base_url");
    let err = creds().orders_base_url("not a url").unwrap_err();
    assert_eq!(err.setting(), "orders_base_url");
    assert_eq!(
        creds().base_url("ftp://x.mx").unwrap_err().setting(),
        "base_url"
    );
    // Separately configurable hosts.
    let split = creds()
        .auth_base_url("https://auth.example.mx")
        .unwrap()
        .orders_base_url("http://127.0.0.1:9/orders")
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        split.session().authenticator().url().as_str(),
        "https://auth.example.mx/AuthenticationService/authenticate"
    );
    assert_eq!(
        split.orders_base_url().as_str(),
        "http://127.0.0.1:9/orders"
    );
}

// ---------------------------------------------------------------- redaction

#[tokio::test]
async fn debug_and_errors_never_show_the_password_or_token() {
    let server = MockServer::start_async().await;
    auth_mock(&server, AUTH_OK).await;
    let refused = order_mock(&server, JWT, 401, r#"{"success":false,"error":{"name":"Unauthorized","message":"token invalido","code":401}}"#).await;
    let builder = KashpayClient::builder()
        .entity(ENTITY)
        .user(USER)
        .password(PASSWORD);
    assert!(!format!("{builder:?}").contains(PASSWORD));
    let client = client(&server);

    // A token is cached after this call (it failed with the order refusal, not the token's).
    let err = client.create_order(&full_order()).await.unwrap_err();
    assert_eq!(refused.calls_async().await, 2);
    let _ = client.session().token().await.unwrap();

    let texts = [
        format!("{client:?}"),
        format!("{:?}", client.session()),
        format!("{:?}", client.session().authenticator()),
        format!("{:?}", client.session().token().await.unwrap()),
        format!("{err:?}"),
        err.to_string(),
    ];
    for text in texts {
        assert!(!text.contains(PASSWORD), "{text}");
        assert!(!text.contains(JWT), "{text}");
        assert!(!text.contains(&JWT[..40]), "{text}");
    }
    assert!(format!("{client:?}").contains("[REDACTED]"));
    assert!(format!("{:?}", client.session()).contains("has_token: true"));
}

// ---------------------------------------------------------------- PaymentProvider

fn payout() -> PayoutRequest {
    PayoutRequest::builder(
        mxn("250.00"),
        BankAccount::Clabe("646180146400219781".into()),
        "PAYOUT0001",
    )
    .beneficiary_name("Florentino Eter")
    .beneficiary_email("testrest@gmail.com")
    .concept("Deposito Maria")
    .description("prueba")
    .build()
    .unwrap()
}

#[tokio::test]
async fn create_payout_sends_a_spei_order() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let seen = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = seen.clone();
    let orders = server
        .mock_async(move |when, then| {
            when.method(POST)
                .path(ORDER_PATH)
                .header("authorization", format!("Bearer {JWT}"))
                .header("entity-i", ENTITY);
            then.respond_with(move |req: &HttpMockRequest| {
                sink.lock().unwrap().push(req.body_string());
                HttpMockResponse::builder()
                    .status(200)
                    .body(ORDER_OK)
                    .build()
            });
        })
        .await;
    let client: Arc<dyn PaymentProvider> = Arc::new(client(&server));

    let payout = client.create_payout(&payout()).await.unwrap();
    auth.assert_async().await;
    orders.assert_async().await;
    assert_eq!(payout.provider, "kashpay");
    assert_eq!(payout.id, "13699");
    assert_eq!(payout.status, PayoutStatus::Succeeded);
    assert_eq!(payout.reference.as_deref(), Some("PAYOUT0001"));
    assert_eq!(payout.amount, Some(mxn("250")));
    assert_eq!(
        payout.raw.to_value().unwrap()["orderEntityResponse"]["status"],
        25
    );

    // The body, with today's date (Mexico City) checked separately.
    let body = seen.lock().unwrap()[0].clone();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let date = json["dateTransaction"].as_str().unwrap().to_string();
    let today = OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(-6))
        .date();
    // ddMMyy
    let part = |r: std::ops::Range<usize>| date[r].parse::<u8>().unwrap();
    let parsed = Date::from_calendar_date(
        2000 + i32::from(part(4..6)),
        Month::try_from(part(2..4)).unwrap(),
        part(0..2),
    )
    .unwrap();
    assert!((parsed - today).whole_days().abs() <= 1, "{date}");
    let numeric = numeric_reference_for("PAYOUT0001");
    let expected = format!(
        r#"{{"alphanumericReference":"PAYOUT0001","amount":250.00,"beneficiaryAcount":"646180146400219781","beneficiaryName":"Florentino Eter","beneficiaryTypeAcount":"40","codeInstituteBank":"646","concept":"Deposito Maria","currency":484,"dataAccreditationBeneficiary":99,"dateTransaction":"{date}","description":"prueba","email":"testrest@gmail.com","numericReference":{numeric},"typeTransaction":1}}"#
    );
    assert_eq!(body, expected);
}

#[tokio::test]
async fn invalid_payouts_send_nothing() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 200, ORDER_OK).await;
    let client = client(&server);

    let cases: Vec<(&str, Mutation<PayoutRequest>)> = vec![
        (
            "beneficiary.account",
            Box::new(|p| p.beneficiary.account = BankAccount::Clabe("646180585000000001".into())),
        ),
        (
            "beneficiary.account",
            Box::new(|p| p.beneficiary.account = BankAccount::Cbu("2850590940090418135201".into())),
        ),
        ("beneficiary.name", Box::new(|p| p.beneficiary.name = None)),
        (
            "beneficiary.email",
            Box::new(|p| p.beneficiary.email = Some("x@".into())),
        ),
        ("amount", Box::new(|p| p.amount = mxn("0"))),
        (
            "amount",
            Box::new(|p| p.amount = Money::parse("1", Currency::Ars).unwrap()),
        ),
        (
            "reference",
            Box::new(|p| p.reference = "payout-0001".into()),
        ),
        ("reference", Box::new(|p| p.reference = String::new())),
    ];
    for (field, mutate) in cases {
        let mut request = payout();
        mutate(&mut request);
        let err = client.create_payout(&request).await.unwrap_err();
        assert_eq!(err.validation_field(), Some(field), "{err:?}");
    }
    assert_eq!(auth.calls_async().await, 0);
    assert_eq!(orders.calls_async().await, 0);
}

#[tokio::test]
async fn only_create_payout_is_supported() {
    let server = MockServer::start_async().await;
    let client: Client = client(&server);
    assert_eq!(client.name(), "kashpay");
    let caps = client.capabilities();
    assert_eq!(
        caps.iter().collect::<Vec<_>>(),
        vec![Operation::CreatePayout]
    );
    let err = client.get_payout("13699").await.unwrap_err();
    assert!(matches!(
        err,
        Error::Unsupported {
            provider: "kashpay",
            operation: Operation::GetPayout
        }
    ));
    let err = client.balance().await.unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }));
}

#[test]
fn order_status_table() {
    let table = [
        (25, OrderStatus::Applied, PayoutStatus::Succeeded),
        (14, OrderStatus::Paid, PayoutStatus::Succeeded),
        (13, OrderStatus::Pending, PayoutStatus::Pending),
        (16, OrderStatus::ReferenceIssued, PayoutStatus::Pending),
        (7, OrderStatus::Other(7), PayoutStatus::Unknown("7".into())),
    ];
    for (code, status, payout) in table {
        assert_eq!(OrderStatus::from_code(code), status);
        assert_eq!(status.code(), code);
        assert_eq!(status.payout_status(), payout, "{code}");
    }
}

#[test]
fn transaction_type_catalogue() {
    let table = [
        (1, TransactionType::SpeiOut),
        (2, TransactionType::SpeiReturn),
        (3, TransactionType::SpeiIn),
        (4, TransactionType::TransferBetweenAccounts),
        (10, TransactionType::TopUp),
        (11, TransactionType::BillPayment),
        (19, TransactionType::PaymentOrder),
        (20, TransactionType::WithdrawalWithReference),
        (21, TransactionType::WithdrawalWithReference21),
        (22, TransactionType::VisaSale),
        (23, TransactionType::AmexSale),
        (24, TransactionType::ReferencedSpeiSale),
        (25, TransactionType::AcquiringRefund),
        (26, TransactionType::AcquiringCancellation),
        (27, TransactionType::MastercardSale),
        (5, TransactionType::Other(5)),
    ];
    for (code, t) in table {
        assert_eq!(TransactionType::from_code(code), t);
        assert_eq!(t.code(), code);
    }
}
