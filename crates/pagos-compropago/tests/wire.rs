//! Wire tests: exact requests and the decoding of ComproPago's documented answers.
//!
//! Fixtures `create_order.json`, `get_order.json`, `create_clabe.json` and
//! `create_account.json` are the ComproPago API v2 reference's examples, verbatim. The
//! three account listings are not in that reference: `list_accounts.json`,
//! `list_subaccounts.json` and `account_transactions.json` are verbatim examples of
//! ComproPago's published API reference (github.com/compropago/slate,
//! `source/index.html.md`).

use std::time::Duration;

use httpmock::Method::{GET, POST};
use httpmock::MockServer;
use pagos_compropago::webhook::{Check, ExpectedOrder, WebhookError, WebhookEvent};
use pagos_compropago::{
    AccountCustomer, AccountStatus, ClabeCustomer, Client, CreateAccount, CreateClabe, CreateOrder,
    Customer, Frequency, OrderStatus, PaymentType, Product,
};
use pagos_core::{
    CreatePayment, Currency, Decimal, Error, Money, Operation, PaymentInstructions,
    PaymentProvider, PaymentStatus, RetryPolicy, Transport, UnknownCause,
};
use time::OffsetDateTime;

const CREATE_ORDER: &str = include_str!("fixtures/create_order.json");
const GET_ORDER: &str = include_str!("fixtures/get_order.json");
const CREATE_CLABE: &str = include_str!("fixtures/create_clabe.json");
const CREATE_ACCOUNT: &str = include_str!("fixtures/create_account.json");
const LIST_ACCOUNTS: &str = include_str!("fixtures/list_accounts.json");
const LIST_SUBACCOUNTS: &str = include_str!("fixtures/list_subaccounts.json");
const ACCOUNT_TRANSACTIONS: &str = include_str!("fixtures/account_transactions.json");

const SK: &str = "sk_test_4f9c2e7a1b3d";
const PK: &str = "pk_test_8e1d5c0b9a7f";
/// `"Basic " + base64("sk_test_4f9c2e7a1b3d:pk_test_8e1d5c0b9a7f")`, computed outside Rust.
const BASIC: &str = "Basic c2tfdGVzdF80ZjljMmU3YTFiM2Q6cGtfdGVzdF84ZTFkNWMwYjlhN2Y=";
const BASIC_B64: &str = "c2tfdGVzdF80ZjljMmU3YTFiM2Q6cGtfdGVzdF84ZTFkNWMwYjlhN2Y=";

const ORDER_ID: &str = "ch_c1c0983d-6318-4f65-838c-8ff60afacf18";

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
        .private_key(SK)
        .public_key(PK)
        .base_url(&server.url("/compropago"))
        .unwrap()
        .transport(transport())
        .build()
        .unwrap()
}

fn mxn(s: &str) -> Money {
    Money::parse(s, Currency::Mxn).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap()
}

fn wrapped(object: &str, data: &str) -> String {
    format!(
        r#"{{"object":"{object}","code":200,"status":"success","message":"success.get","request":1559853010380,"url":"/v2/orders","map":"76ab15b2-f7c3-4a95-a662-b5cc4a2a9938","data":{data}}}"#
    )
}

fn seed_order() -> CreateOrder {
    CreateOrder::new(
        Product::new("SMGCURL1", "SAMSUNG GOLD CURL", mxn("150"))
            .url("http://dummyurl.com/smgcul1.jpg"),
        Customer::new("cust-1", "Waldix", "waldix@compropago.com").phone("5513899832"),
    )
    .expires_at(at(1_560_139_200))
}

/// A mock that matches every request: used to prove nothing was sent.
async fn catch_all(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|_when, then| {
            then.status(500).body("should not be called");
        })
        .await
}

// ---------------------------------------------------------------------------
// POST /v2/orders
// ---------------------------------------------------------------------------

#[tokio::test]
async fn create_order_sends_the_seed_shape_and_decodes_the_seed_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/compropago/v2/orders")
                .header("authorization", BASIC)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .body(
                    r#"{"product":{"id":"SMGCURL1","price":150.00,"name":"SAMSUNG GOLD CURL","currency":"MXN","url":"http://dummyurl.com/smgcul1.jpg"},"customer":{"id":"cust-1","name":"Waldix","email":"waldix@compropago.com","phone":"5513899832"},"payment":{"type":"SPEI"},"expiresAt":1560139200}"#,
                );
            then.status(200)
                .header("content-type", "application/json")
                .body(CREATE_ORDER);
        })
        .await;

    let order = client(&server).create_order(&seed_order()).await.unwrap();
    mock.assert_async().await;

    assert_eq!(order.id, "ch_ca001318-7f70-47a9-90a2-df3e755d9be3");
    assert_eq!(order.short_id.as_deref(), Some("481AD8F9"));
    assert_eq!(order.product.id.as_deref(), Some("SMGCURL1"));
    assert_eq!(order.product.price, Some(dec("150")));
    assert_eq!(order.product.currency.as_deref(), Some("MXN"));
    assert_eq!(order.price(), Some(mxn("150.00")));
    assert_eq!(order.customer.name.as_deref(), Some("Waldix"));
    assert_eq!(order.customer.phone.as_deref(), Some("5513899832"));
    assert_eq!(order.payment.payment_type.as_deref(), Some("SPEI"));
    assert_eq!(order.payment.fee.unwrap().to_string(), "10.25");
    assert_eq!(order.payment.iva.unwrap().to_string(), "1.64");
    assert_eq!(order.payment.clabe.as_deref(), Some("646180146400219781"));
    assert_eq!(order.payment.instructions.len(), 3);
    assert_eq!(order.payment.instructions[0].step, Some(1));
    assert_eq!(order.status, OrderStatus::Pending);
    assert_eq!(order.test_mode, Some(false));
    let exchange = order.exchange.as_ref().unwrap();
    assert_eq!(exchange.final_amount, Some(dec("150")));
    assert_eq!(exchange.origin_currency.as_deref(), Some("MXN"));
    assert_eq!(order.created_at, Some(at(1_559_853_010)));
    assert_eq!(order.updated_at, Some(at(1_559_853_010)));
    assert_eq!(order.expires_at, Some(at(1_560_139_200)));
    // Unmodelled fields stay in `raw` (the order, without the envelope).
    assert_eq!(order.raw["client"]["name"], "ms-api");
    assert!(order.raw.get("map").is_none());

    match order.payment_instructions().unwrap() {
        PaymentInstructions::BankTransfer {
            account,
            bank,
            reference,
            steps,
        } => {
            assert_eq!(account, "646180146400219781");
            assert_eq!(bank.as_deref(), Some("STP"));
            assert_eq!(reference, None);
            assert_eq!(steps.len(), 3);
            assert!(steps[1].starts_with("Una vez dada de alta"));
        }
        other => panic!("expected a bank transfer, got {other:?}"),
    }
}

#[tokio::test]
async fn create_order_without_optional_fields_omits_them() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/compropago/v2/orders").body(
                r#"{"product":{"id":"P-1","price":1499.90,"name":"Curso","currency":"MXN"},"customer":{"id":"12345","name":"Nombre del Cliente","email":"cliente@dominio.com"},"payment":{"type":"SPEI"}}"#,
            );
            then.status(200).body(CREATE_ORDER);
        })
        .await;
    let order = CreateOrder::new(
        Product::new("P-1", "Curso", mxn("1499.9")),
        Customer::new("12345", "Nombre del Cliente", "cliente@dominio.com"),
    )
    .payment_type(PaymentType::Spei);
    client(&server).create_order(&order).await.unwrap();
    mock.assert_async().await;
}

// ---------------------------------------------------------------------------
// GET /v2/orders/{id}
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_order_decodes_the_bare_seed_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/compropago/v2/orders/{ORDER_ID}"))
                .header("authorization", BASIC)
                .header("accept", "application/json");
            then.status(200).body(GET_ORDER);
        })
        .await;

    let order = client(&server).get_order(ORDER_ID).await.unwrap();
    mock.assert_async().await;

    assert_eq!(order.id, ORDER_ID);
    assert_eq!(order.short_id.as_deref(), Some("3B92A8FC"));
    assert_eq!(order.product.price.unwrap().to_string(), "12.56");
    assert_eq!(order.product.url, None);
    assert_eq!(order.customer.phone, None);
    // The API reference's placeholder CLABE is decoded, never validated.
    assert_eq!(order.payment.clabe.as_deref(), Some("000000000000000000"));
    assert_eq!(order.payment.fee, Some(dec("8.19")));
    assert_eq!(order.status, OrderStatus::Pending);
    // Milliseconds here, seconds in the create example.
    assert_eq!(
        order.created_at.unwrap().unix_timestamp_nanos(),
        1_522_082_069_321_000_000
    );
    assert_eq!(
        order.expires_at.unwrap().unix_timestamp_nanos(),
        1_522_254_869_321_000_000
    );
    assert_eq!(order.raw["api"]["version"], "2.0.0");
    assert!(matches!(
        order.payment_instructions(),
        Some(PaymentInstructions::BankTransfer { ref account, .. }) if account == "000000000000000000"
    ));
}

#[tokio::test]
async fn get_order_accepts_the_same_order_wrapped_in_the_envelope() {
    let server = MockServer::start_async().await;
    let body = wrapped("orders.get", GET_ORDER);
    server
        .mock_async(|when, then| {
            when.method(GET).path("/compropago/v2/orders/wrapped");
            then.status(200).body(&body);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/compropago/v2/orders/bare");
            then.status(200).body(GET_ORDER);
        })
        .await;
    let c = client(&server);
    let from_envelope = c.get_order("wrapped").await.unwrap();
    let bare = c.get_order("bare").await.unwrap();
    assert_eq!(from_envelope, bare);
}

#[tokio::test]
async fn get_order_encodes_the_id_as_one_path_segment() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/compropago/v2/orders/a%2F..%2Fb");
            then.status(200).body(GET_ORDER);
        })
        .await;
    client(&server).get_order("a/../b").await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn timestamps_in_seconds_and_milliseconds_are_the_same_instant() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/compropago/v2/orders/s");
            then.status(200).body(
                r#"{"id":"s","status":"PENDING","createdAt":1522082069,"updatedAt":"1522082069","expiresAt":null}"#,
            );
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/compropago/v2/orders/ms");
            then.status(200).body(wrapped(
                "orders.get",
                r#"{"id":"ms","status":"PENDING","createdAt":1522082069000,"updatedAt":1522082069000,"expiresAt":null}"#,
            ));
        })
        .await;
    let c = client(&server);
    let s = c.get_order("s").await.unwrap();
    let ms = c.get_order("ms").await.unwrap();
    assert_eq!(s.created_at, Some(at(1_522_082_069)));
    assert_eq!(s.created_at, ms.created_at);
    assert_eq!(s.updated_at, ms.updated_at);
    assert_eq!(s.expires_at, None);
    assert_eq!(ms.expires_at, None);
}

// ---------------------------------------------------------------------------
// POST /v2/createClabe
// ---------------------------------------------------------------------------

#[tokio::test]
async fn create_clabe_sends_frecuency_and_decodes_the_seed_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/compropago/v2/createClabe")
                .header("authorization", BASIC)
                .header("content-type", "application/json")
                // The API reference's request body, compacted.
                .body(
                    r#"{"customer":{"id":"1","email":"customer@email.com","phone":"5555555555"},"payment":{"frecuency":"unlimited","exp_date":null,"amount":null}}"#,
                );
            then.status(200).body(CREATE_CLABE);
        })
        .await;
    let request = CreateClabe::new(
        ClabeCustomer::new("1", "customer@email.com").phone("5555555555"),
        Frequency::Unlimited,
    );
    let clabe = client(&server).create_clabe(&request).await.unwrap();
    mock.assert_async().await;

    assert_eq!(clabe.customer.id.as_deref(), Some("1"));
    assert_eq!(clabe.customer.email.as_deref(), Some("customer@email.com"));
    assert_eq!(clabe.payment.clabe.as_deref(), Some("000000000000000000"));
    assert_eq!(clabe.payment.frequency, Some(Frequency::Unlimited));
    assert_eq!(clabe.payment.amount, None);
    assert_eq!(clabe.status, Some(AccountStatus::Active));
    assert_eq!(clabe.test_mode, Some(false));
    assert_eq!(clabe.created_at, Some(at(1_559_855_232)));
    assert_eq!(clabe.expires_at, None);
    assert_eq!(clabe.raw["payment"]["frecuency"], "unlimited");
    let Some(PaymentInstructions::BankTransfer { bank, steps, .. }) = clabe.payment_instructions()
    else {
        panic!("expected a bank transfer")
    };
    assert_eq!(bank.as_deref(), Some("STP"));
    assert_eq!(steps.len(), 3);
}

#[tokio::test]
async fn create_clabe_sends_amount_and_expiry() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/compropago/v2/createClabe").body(
                r#"{"customer":{"id":"7","email":"a@b.mx"},"payment":{"frecuency":"unlimited","exp_date":1900000000,"amount":250.50}}"#,
            );
            then.status(200).body(CREATE_CLABE);
        })
        .await;
    let request = CreateClabe::new(ClabeCustomer::new("7", "a@b.mx"), Frequency::Unlimited)
        .amount(mxn("250.5"))
        .expires_at(at(1_900_000_000));
    client(&server).create_clabe(&request).await.unwrap();
    mock.assert_async().await;
}

// ---------------------------------------------------------------------------
// POST /v2/createAccount
// ---------------------------------------------------------------------------

#[tokio::test]
async fn create_account_sends_the_seed_shape_and_decodes_the_seed_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/compropago/v2/createAccount")
                .header("authorization", BASIC)
                .header("content-type", "application/json")
                // The API reference's request with a real 10-digit phone instead of
                // "6666".
                .body(
                    r#"{"name":"Alamedas de Espana","reference":"153","customer":{"name":"CONDOVIVE_1234","email":"waldix86@gmail.com","phone":"5512345678"}}"#,
                );
            then.status(200).body(CREATE_ACCOUNT);
        })
        .await;
    let request = CreateAccount::new(
        "Alamedas de Espana",
        "153",
        AccountCustomer::new("CONDOVIVE_1234", "waldix86@gmail.com").phone("5512345678"),
    );
    let account = client(&server).create_account(&request).await.unwrap();
    mock.assert_async().await;

    assert_eq!(account.name.as_deref(), Some("Alamedas de Espana"));
    assert_eq!(account.reference.as_deref(), Some("153"));
    // Responses are not validated: the API reference's "6666" decodes.
    assert_eq!(account.customer.phone.as_deref(), Some("6666"));
    assert_eq!(account.payment.clabe, None);
    assert_eq!(account.payment.instructions.len(), 3);
    assert_eq!(account.payment_instructions(), None);
    assert_eq!(account.status, Some(AccountStatus::Active));
    assert_eq!(account.created_at, Some(at(1_561_416_434)));
}

#[tokio::test]
async fn create_account_sends_the_customer_id_when_set() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/compropago/v2/createAccount").body(
                r#"{"name":"Condominio Polanco","reference":"001","customer":{"id":"101","name":"Departamento_101","email":"email@gmail.com"}}"#,
            );
            then.status(200).body(CREATE_ACCOUNT);
        })
        .await;
    let request = CreateAccount::new(
        "Condominio Polanco",
        "001",
        AccountCustomer::new("Departamento_101", "email@gmail.com").id("101"),
    );
    client(&server).create_account(&request).await.unwrap();
    mock.assert_async().await;
}

// ---------------------------------------------------------------------------
// GET /v2/accounts, /v2/accounts/{id}, /v2/accounts/{id}/transactions
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_accounts_decodes_the_documented_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/compropago/v2/accounts")
                .header("authorization", BASIC);
            then.status(200).body(LIST_ACCOUNTS);
        })
        .await;
    let accounts = client(&server).list_accounts().await.unwrap();
    mock.assert_async().await;
    assert_eq!(accounts.len(), 3);
    assert_eq!(accounts[0].id.as_deref(), Some("169"));
    assert_eq!(accounts[0].key(), Some("169"));
    assert_eq!(accounts[0].reference.as_deref(), Some("1-005"));
    assert_eq!(accounts[0].name.as_deref(), Some("Condominio Candelaria"));
    assert_eq!(accounts[0].balance, Some(Decimal::ZERO));
    assert_eq!(accounts[2].raw["id"], 170);
}

#[tokio::test]
async fn list_accounts_accepts_the_later_account_id_shape() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/compropago/v2/accounts");
            then.status(200).body(wrapped(
                "orders.get_accounts",
                r#"[{"accountId":"ae3d2531-ac31-406b-86dc-fjzwe8212h","name":"Condominio Zacatepec","balance":"1520.50"}]"#,
            ));
        })
        .await;
    let accounts = client(&server).list_accounts().await.unwrap();
    assert_eq!(accounts[0].id, None);
    assert_eq!(
        accounts[0].key(),
        Some("ae3d2531-ac31-406b-86dc-fjzwe8212h")
    );
    assert_eq!(accounts[0].balance.unwrap().to_string(), "1520.50");
}

#[tokio::test]
async fn list_subaccounts_decodes_the_documented_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/compropago/v2/accounts/170")
                .header("authorization", BASIC);
            then.status(200).body(LIST_SUBACCOUNTS);
        })
        .await;
    let subs = client(&server).list_subaccounts("170").await.unwrap();
    mock.assert_async().await;
    assert_eq!(subs.len(), 2);
    assert_eq!(subs[0].id.as_deref(), Some("170"));
    assert_eq!(subs[1].name.as_deref(), Some("Departamento_102"));
    assert_eq!(subs[1].clabe.as_deref(), Some("646180146400237145"));
}

#[tokio::test]
async fn account_transactions_filters_by_clabe_and_keeps_raw() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/compropago/v2/accounts/186/transactions")
                .query_param("clabe", "646180146400237132")
                .header("authorization", BASIC);
            then.status(200).body(ACCOUNT_TRANSACTIONS);
        })
        .await;
    let txs = client(&server)
        .account_transactions("186", Some("646180146400237132"))
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(txs.len(), 4);
    let amounts: Vec<String> = txs.iter().map(|t| t.amount.unwrap().to_string()).collect();
    assert_eq!(amounts, ["10", "-0.1", "-8", "-0.15"]);
    assert_eq!(
        txs[0].id.as_deref(),
        Some("b079d0fe-7719-4ffd-a899-46044410d940")
    );
    assert_eq!(txs[0].date, Some(at(1_564_003_560)));
    assert_eq!(txs[0].status.as_deref(), Some("paid"));
    assert_eq!(txs[0].description.as_deref(), Some("Abono"));
    assert_eq!(txs[0].reference.as_deref(), Some("085903161360320595"));
    assert_eq!(txs[2].raw["description"], "Comisión fija por operación");
}

#[tokio::test]
async fn account_transactions_without_clabe_sends_no_query() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/compropago/v2/accounts/186/transactions")
                .query_param_missing("clabe");
            then.status(200).body(ACCOUNT_TRANSACTIONS);
        })
        .await;
    let txs = client(&server)
        .account_transactions("186", None)
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(txs.len(), 4);
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[tokio::test]
async fn envelope_code_other_than_200_with_http_200_is_a_provider_error() {
    let server = MockServer::start_async().await;
    let body = r#"{"object":"error","code":400,"status":"error","message":"El campo product.price es requerido","request":1559853010380,"url":"/v2/orders","map":"76ab15b2-f7c3-4a95-a662-b5cc4a2a9938","data":null}"#;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/compropago/v2/orders");
            then.status(200).body(body);
        })
        .await;
    let err = client(&server)
        .create_order(&seed_order())
        .await
        .unwrap_err();
    mock.assert_async().await;
    let p = err.as_provider_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(p.http_status, 200);
    assert_eq!(p.code.as_deref(), Some("400"));
    assert_eq!(p.message, "El campo product.price es requerido");
    assert_eq!(p.raw_body, body);
    assert_eq!(err.resend(), pagos_core::Resend::Never);
}

#[tokio::test]
async fn http_401_json_error_keeps_code_and_message() {
    let server = MockServer::start_async().await;
    let body = r#"{"object":"error","code":401,"status":"error","message":"Invalid API keys"}"#;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/compropago/v2/orders/{ORDER_ID}"));
            then.status(401).body(body);
        })
        .await;
    let err = client(&server).get_order(ORDER_ID).await.unwrap_err();
    let p = err.as_provider_error().unwrap();
    assert_eq!(p.http_status, 401);
    assert!(p.is_unauthorized());
    assert_eq!(p.code.as_deref(), Some("401"));
    assert_eq!(p.message, "Invalid API keys");
    assert_eq!(p.raw_body, body);
}

#[tokio::test]
async fn non_json_error_body_is_kept_raw_and_gets_retried_on_get() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/compropago/v2/accounts");
            then.status(502)
                .body("<html><body>Bad Gateway</body></html>");
        })
        .await;
    let err = client(&server).list_accounts().await.unwrap_err();
    assert_eq!(mock.calls_async().await, 3);
    let p = err.as_provider_error().unwrap();
    assert_eq!(p.http_status, 502);
    assert_eq!(p.code, None);
    assert_eq!(p.attempts, 3);
    assert_eq!(p.raw_body, "<html><body>Bad Gateway</body></html>");
    assert_eq!(err.resend(), pagos_core::Resend::Safe);
}

#[tokio::test]
async fn create_order_is_sent_once_even_on_503() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/compropago/v2/orders");
            then.status(503).body("Service Unavailable");
        })
        .await;
    let err = client(&server)
        .create_order(&seed_order())
        .await
        .unwrap_err();
    assert_eq!(mock.calls_async().await, 1);
    // ComproPago may have created the order before failing.
    assert_eq!(err.resend(), pagos_core::Resend::AfterLookup);
    match &err {
        pagos_core::Error::OutcomeUnknown(u) => {
            assert_eq!(u.cause, pagos_core::UnknownCause::ServerError);
            assert_eq!(u.http_status, Some(503));
            assert_eq!(u.raw_body.as_deref(), Some("Service Unavailable"));
        }
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
}

#[tokio::test]
async fn undecodable_200_is_outcome_unknown_with_the_raw_body_and_a_hint() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/compropago/v2/orders");
            then.status(200).body("<html>OK</html>");
        })
        .await;
    let err = client(&server)
        .create_order(&seed_order())
        .await
        .unwrap_err();
    let Error::OutcomeUnknown(u) = &err else {
        panic!("expected outcome unknown, got {err:?}")
    };
    assert_eq!(u.cause, UnknownCause::UndecodableResponse);
    assert_eq!(u.http_status, Some(200));
    assert_eq!(u.raw_body.as_deref(), Some("<html>OK</html>"));
    assert!(u.hint.as_deref().unwrap().contains("SMGCURL1"), "{u:?}");
}

#[tokio::test]
async fn success_envelopes_that_cannot_be_read_are_outcome_unknown() {
    let server = MockServer::start_async().await;
    let no_data =
        r#"{"object":"orders.create","code":200,"status":"success","message":"success.create"}"#;
    let wrong_shape = wrapped("orders.create", r#"{"shortId":"X","status":"PENDING"}"#);
    let bad_amount = wrapped(
        "orders.create",
        r#"{"id":"ch_1","status":"PENDING","product":{"price":"ciento cincuenta"}}"#,
    );
    for (i, body) in [no_data.to_string(), wrong_shape, bad_amount]
        .into_iter()
        .enumerate()
    {
        let path = format!("/compropago/v2/orders/case{i}");
        server
            .mock_async(|when, then| {
                when.method(GET).path(path.as_str());
                then.status(200).body(&body);
            })
            .await;
        let err = client(&server)
            .get_order(&format!("case{i}"))
            .await
            .unwrap_err();
        match err {
            Error::OutcomeUnknown(u) => assert_eq!(u.raw_body.as_deref(), Some(body.as_str())),
            other => panic!("case {i}: expected outcome unknown, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Validation: nothing is sent
// ---------------------------------------------------------------------------

#[tokio::test]
async fn invalid_inputs_are_rejected_before_sending() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server).await;
    let c = client(&server);
    let field = |r: pagos_core::Result<_>| -> String {
        match r {
            Err(Error::Validation(v)) => v.field().to_string(),
            Err(other) => panic!("expected a validation error, got {other:?}"),
            Ok(_) => panic!("expected a validation error, got success"),
        }
    };

    let mut o = seed_order();
    o.product.price = mxn("0");
    assert_eq!(field(c.create_order(&o).await.map(drop)), "product.price");
    let mut o = seed_order();
    o.product.price = Money::parse("150", Currency::Usd).unwrap();
    assert_eq!(field(c.create_order(&o).await.map(drop)), "product.price");
    let mut o = seed_order();
    o.product.name = "  ".into();
    assert_eq!(field(c.create_order(&o).await.map(drop)), "product.name");
    let mut o = seed_order();
    o.product.url = Some("ftp://dummyurl.com/x.jpg".into());
    assert_eq!(field(c.create_order(&o).await.map(drop)), "product.url");
    let mut o = seed_order();
    o.customer.name = String::new();
    assert_eq!(field(c.create_order(&o).await.map(drop)), "customer.name");
    let mut o = seed_order();
    o.customer.email = "waldix.compropago.com".into();
    assert_eq!(field(c.create_order(&o).await.map(drop)), "customer.email");
    let mut o = seed_order();
    o.customer.phone = Some("55222999888".into());
    assert_eq!(field(c.create_order(&o).await.map(drop)), "customer.phone");

    let clabe = CreateClabe::new(
        ClabeCustomer::new("1", "customer@email.com"),
        Frequency::Other(String::new()),
    );
    assert_eq!(field(c.create_clabe(&clabe).await.map(drop)), "frequency");
    let clabe = CreateClabe::new(
        ClabeCustomer::new("1", "customer@email.com"),
        Frequency::Unlimited,
    )
    .amount(mxn("-5"));
    assert_eq!(field(c.create_clabe(&clabe).await.map(drop)), "amount");

    // The API reference's own createAccount example phone is not a Mexican number.
    let account = CreateAccount::new(
        "Alamedas de Espana",
        "153",
        AccountCustomer::new("CONDOVIVE_1234", "waldix86@gmail.com").phone("6666"),
    );
    assert_eq!(
        field(c.create_account(&account).await.map(drop)),
        "customer.phone"
    );

    assert_eq!(field(c.get_order(" ").await.map(drop)), "order_id");
    assert_eq!(field(c.list_subaccounts("").await.map(drop)), "account_id");
    assert_eq!(
        field(
            c.account_transactions("186", Some("002180123123123123"))
                .await
                .map(drop)
        ),
        "clabe"
    );

    let payment = |b: pagos_core::CreatePaymentBuilder| b.build().unwrap();
    let base = || {
        CreatePayment::builder(mxn("150"), "SAMSUNG GOLD CURL")
            .merchant_reference("SMGCURL1")
            .payer_name("Waldix")
            .payer_email("waldix@compropago.com")
    };
    let no_reference = payment(
        CreatePayment::builder(mxn("150"), "x")
            .payer_name("Waldix")
            .payer_email("waldix@compropago.com"),
    );
    assert_eq!(
        field(c.create_payment(&no_reference).await.map(drop)),
        "merchant_reference"
    );
    let usd = payment(
        CreatePayment::builder(Money::parse("150", Currency::Usd).unwrap(), "x")
            .merchant_reference("r")
            .payer_name("Waldix")
            .payer_email("waldix@compropago.com"),
    );
    assert_eq!(field(c.create_payment(&usd).await.map(drop)), "amount");
    let no_email = payment(
        CreatePayment::builder(mxn("150"), "x")
            .merchant_reference("r")
            .payer_name("Waldix"),
    );
    assert_eq!(
        field(c.create_payment(&no_email).await.map(drop)),
        "payer.email"
    );
    let bad_phone = payment(base().payer_phone("+52 55 1389 9832"));
    assert_eq!(
        field(c.create_payment(&bad_phone).await.map(drop)),
        "payer.phone"
    );

    let expected = ExpectedOrder::by_product_id(mxn("12.56"), "SMGCURL1");
    let webhook_field = |r: Result<WebhookEvent, WebhookError>| match r {
        Err(WebhookError::Invalid(v)) => v.field().to_string(),
        other => panic!("expected an unusable body, got {other:?}"),
    };
    assert_eq!(
        webhook_field(c.confirm_webhook(b"not json", &expected).await),
        "webhook.body"
    );
    assert_eq!(
        webhook_field(
            c.confirm_webhook(br#"{"status":"ACCEPTED"}"#, &expected)
                .await
        ),
        "webhook.id"
    );
    assert_eq!(
        webhook_field(
            c.confirm_webhook(
                br#"{"id":"ch_1"}"#,
                &ExpectedOrder::by_product_id(mxn("12.56"), " ")
            )
            .await
        ),
        "expected.product_id"
    );

    assert_eq!(mock.calls_async().await, 0);
}

// ---------------------------------------------------------------------------
// PaymentProvider
// ---------------------------------------------------------------------------

#[tokio::test]
async fn create_payment_creates_a_spei_order_and_returns_bank_transfer_instructions() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/compropago/v2/orders")
                .header("authorization", BASIC)
                .header("content-type", "application/json")
                // customer.id falls back to the payer's e-mail.
                .body(
                    r#"{"product":{"id":"SMGCURL1","price":150.00,"name":"SAMSUNG GOLD CURL","currency":"MXN"},"customer":{"id":"waldix@compropago.com","name":"Waldix","email":"waldix@compropago.com","phone":"5513899832"},"payment":{"type":"SPEI"},"expiresAt":1560139200}"#,
                );
            then.status(200).body(CREATE_ORDER);
        })
        .await;
    let request = CreatePayment::builder(mxn("150"), "SAMSUNG GOLD CURL")
        .merchant_reference("SMGCURL1")
        .payer_name("Waldix")
        .payer_email("waldix@compropago.com")
        .payer_phone("5513899832")
        .notify_url("https://shop.example/hooks/compropago")
        .expires_at(at(1_560_139_200))
        .build()
        .unwrap();
    let c = client(&server);
    let provider: &dyn PaymentProvider = &c;
    assert_eq!(provider.name(), "compropago");
    assert!(provider.capabilities().supports(Operation::CreatePayment));
    assert!(provider.capabilities().supports(Operation::GetPayment));
    assert!(!provider.capabilities().supports(Operation::RefundPayment));

    let payment = provider.create_payment(&request).await.unwrap();
    mock.assert_async().await;
    assert_eq!(payment.provider, "compropago");
    assert_eq!(payment.id, "ch_ca001318-7f70-47a9-90a2-df3e755d9be3");
    assert_eq!(payment.merchant_reference.as_deref(), Some("SMGCURL1"));
    assert_eq!(payment.amount, Some(mxn("150")));
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(payment.raw.to_value().unwrap()["shortId"], "481AD8F9");
    assert_eq!(
        payment.instructions,
        vec![PaymentInstructions::BankTransfer {
            account: "646180146400219781".into(),
            bank: Some("STP".into()),
            reference: None,
            steps: vec![
                "Agrega la cuenta CLABE en tu banca en linea para banco STP.".into(),
                "Una vez dada de alta la cuenta CLABE, realiza el deposito por la cantidad exacta.".into(),
                "Ya que realizaste el pago, recibiras un comprobante de transacción exitosa y nuestro sistema confirmara automáticamente el pago.".into(),
            ],
        }]
    );
}

#[tokio::test]
async fn get_payment_maps_every_order_status() {
    let server = MockServer::start_async().await;
    let table = [
        ("PENDING", PaymentStatus::Pending),
        ("ACCEPTED", PaymentStatus::Succeeded),
        ("EXPIRED", PaymentStatus::Expired),
        ("CANCELLED", PaymentStatus::Unknown("CANCELLED".into())),
    ];
    let c = client(&server);
    for (wire, expected) in table {
        let body = GET_ORDER.replace(r#""status": "PENDING""#, &format!(r#""status": "{wire}""#));
        let path = format!("/compropago/v2/orders/{wire}");
        let mock = server
            .mock_async(|when, then| {
                when.method(GET)
                    .path(path.as_str())
                    .header("authorization", BASIC);
                then.status(200).body(&body);
            })
            .await;
        let payment = c.get_payment(wire).await.unwrap();
        mock.assert_async().await;
        assert_eq!(payment.status, expected, "{wire}");
        assert_eq!(payment.amount, Some(mxn("12.56")));
    }
}

// ---------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------

#[tokio::test]
async fn webhook_test_ping_is_recognised_without_fetching() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server).await;
    let c = client(&server);
    let expected = ExpectedOrder::by_order_id(mxn("12.56"), ORDER_ID);
    for body in [
        r#"{"id":"ch_00000000-0000-0000-0000-000000000000","short_id":"000000","status":"ACCEPTED"}"#,
        r#"{"id":"ch_x","shortId":"000000"}"#,
    ] {
        assert_eq!(
            c.confirm_webhook(body.as_bytes(), &expected).await.unwrap(),
            WebhookEvent::TestPing
        );
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn webhook_trusts_the_fetched_order_not_the_posted_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/compropago/v2/orders/{ORDER_ID}"))
                .header("authorization", BASIC);
            then.status(200).body(GET_ORDER); // says PENDING
        })
        .await;
    // The posted body claims the order was paid.
    let posted = GET_ORDER.replace(r#""status": "PENDING""#, r#""status": "ACCEPTED""#);
    assert!(posted.contains("ACCEPTED"));
    let expected = ExpectedOrder::by_product_id(mxn("12.56"), "SMGCURL1");
    let event = client(&server)
        .confirm_webhook(posted.as_bytes(), &expected)
        .await
        .unwrap();
    mock.assert_async().await;
    let WebhookEvent::Order(order) = event else {
        panic!("expected an order, got {event:?}")
    };
    assert_eq!(order.id, ORDER_ID);
    assert_eq!(order.status, OrderStatus::Pending);
}

#[tokio::test]
async fn webhook_for_another_paid_order_of_the_same_amount_is_refused() {
    let server = MockServer::start_async().await;
    // A real order of the same price, paid: the forger's own, product.id SMGCURL1.
    let paid = GET_ORDER.replace(r#""status": "PENDING""#, r#""status": "ACCEPTED""#);
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/compropago/v2/orders/{ORDER_ID}"))
                .header("authorization", BASIC);
            then.status(200).body(&paid);
        })
        .await;
    let c = client(&server);
    // The merchant waits for its order "orden-42" of 12.56 MXN.
    let e = c
        .confirm_webhook(
            paid.as_bytes(),
            &ExpectedOrder::by_product_id(mxn("12.56"), "orden-42"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(Check::ProductId), "{e:?}");
    assert_eq!(
        e.to_string(),
        "ComproPago webhook: product.id check failed: expected orden-42, got SMGCURL1"
    );
    assert!(!e.should_retry());
    // The right order for another price is refused too.
    let e = c
        .confirm_webhook(
            paid.as_bytes(),
            &ExpectedOrder::by_product_id(mxn("125.60"), "SMGCURL1"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(Check::Amount), "{e:?}");
    assert_eq!(mock.calls_async().await, 2);

    // Expecting ComproPago's id of another order, the posted id alone refuses it:
    // nothing more is fetched.
    let e = c
        .confirm_webhook(
            paid.as_bytes(),
            &ExpectedOrder::by_order_id(mxn("12.56"), "ch_the-merchants-own-order"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(Check::OrderId), "{e:?}");
    assert_eq!(mock.calls_async().await, 2);
}

/// An amount read from JSON goes through `Money`'s precision check: an over-precise
/// price never reaches an order, so nothing can round it.
#[tokio::test]
async fn over_precise_amounts_are_refused_never_rounded() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server).await;
    let c = client(&server);
    // What an application does with an order it received as JSON.
    async fn order_from_json(c: &Client, order: &str) -> Result<(), String> {
        let price: Money = serde_json::from_str(order).map_err(|e| e.to_string())?;
        let order = CreateOrder::new(
            Product::new("SMGCURL1", "SAMSUNG GOLD CURL", price),
            Customer::new("cust-1", "Waldix", "waldix@compropago.com"),
        );
        c.create_order(&order)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
    for (order, message) in [
        (
            r#"{"amount":"150.005","currency":"MXN"}"#,
            "invalid amount: 150.005 has more than 2 decimal place(s), the most MXN allows",
        ),
        (
            r#"{"amount":150.5,"currency":"MXN"}"#,
            "an amount with a fraction must be a string",
        ),
    ] {
        let e = order_from_json(&c, order).await.unwrap_err();
        assert!(e.contains(message), "{order}: {e}");
    }
    assert_eq!(mock.calls_async().await, 0);
}

// ---------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------

#[tokio::test]
async fn keys_never_appear_in_debug_output_or_errors() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/compropago/v2/accounts");
            then.status(401)
                .body(r#"{"code":401,"message":"Invalid API keys"}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/compropago/v2/orders");
            then.status(200).body("garbage");
        })
        .await;
    let builder = Client::builder().private_key(SK).public_key(PK);
    let c = client(&server);
    let e1 = c.list_accounts().await.unwrap_err();
    let e2 = c.create_order(&seed_order()).await.unwrap_err();
    for text in [
        format!("{builder:?}"),
        format!("{c:?}"),
        format!("{e1:?}"),
        e1.to_string(),
        format!("{e2:?}"),
        e2.to_string(),
    ] {
        for secret in [SK, PK, BASIC_B64] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
    }
    assert!(format!("{c:?}").contains("[REDACTED]"));
}
