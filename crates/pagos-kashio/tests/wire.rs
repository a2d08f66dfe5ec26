//! Wire tests: every KashIO endpoint against a local mock server.

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use pagos_core::{
    CreatePayment, Currency, Error, Money, Operation, PaymentInstructions, PaymentProvider,
    PaymentStatus, RetryPolicy, Transport, UnknownCause,
};
use pagos_kashio::{
    CERT_BASE_URL, Client, ConfirmCheck, ConfirmError, CreateInvoice, Customer, DEFAULT_BASE_URL,
    EventStatus, EventType, ExpectedInvoice, InvoiceStatus, InvoiceUpdate, KashioClient,
    ListParams,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use time::macros::{date, datetime};

const KEY: &str = "sk_test_f5yj6jAxxxHep36jAxxxep3xxxJUx";
/// `Basic base64("sk_test_f5yj6jAxxxHep36jAxxxep3xxxJUx:")`.
const AUTH: &str = "Basic c2tfdGVzdF9mNXlqNmpBeHh4SGVwMzZqQXh4eGVwM3h4eEpVeDo=";
const BASE: &str = "/v1/payments";

const CREATE_REQUEST: &str = include_str!("fixtures/invoice_create_request.json");
const CREATE_RESPONSE: &str = include_str!("fixtures/invoice_create_response.json");
const GET_RESPONSE: &str = include_str!("fixtures/invoice_get_response.json");
const VOID_RESPONSE: &str = include_str!("fixtures/invoice_void_response.json");
const UPDATE_RESPONSE: &str = include_str!("fixtures/invoice_update_response.json");
const LIST_RESPONSE: &str = include_str!("fixtures/invoice_list_response.json");
const EVENT_RESPONSE: &str = include_str!("fixtures/event_get_response.json");
const EVENT_RESPONSE_SEED: &str = include_str!("fixtures/event_get_response_seed.txt");
const EVENT_LIST_RESPONSE: &str = include_str!("fixtures/event_list_response.json");
const EVENT_LIST_RESPONSE_SEED: &str = include_str!("fixtures/event_list_response_seed.txt");

fn transport() -> Transport {
    Transport::builder()
        .retry(
            RetryPolicy::attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

fn client(server: &MockServer) -> KashioClient {
    Client::builder()
        .secret_key(KEY)
        .base_url(&server.url(BASE))
        .unwrap()
        .transport(transport())
        .build()
        .unwrap()
}

fn path(rest: &str) -> String {
    format!("{BASE}{rest}")
}

fn pen(amount: &str) -> Money {
    Money::parse(amount, Currency::Pen).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The create request of KashIO's API document, built with the SDK.
fn seed_invoice() -> CreateInvoice {
    CreateInvoice::builder(
        "INV-000001-001",
        pen("15.00"),
        Customer::new()
            .name("JUAN PEREZ")
            .email("juan.perez.xxx@gmail.com")
            .phone("+13055606666")
            .document("DNI", "10203040")
            .external_id("CUS-10203040-001"),
    )
    .metadata("order_id", "000001-001")
    .metadata("order_name", "Deuda Enero 2019")
    .metadata("order_description", "Deuda Enero 2019")
    .request_datetime(datetime!(2020-01-01 05:00:00))
    .due_datetime(datetime!(2020-01-02 04:59:59))
    .expiration_datetime(datetime!(2020-02-01 05:00:00))
    .build()
    .unwrap()
}

fn invoice_json(id: &str) -> Value {
    json!({
        "id": id, "object": "invoice", "created": "2020-06-07 23:46:11",
        "currency": "PEN", "amount": 10.0, "status": "paid"
    })
}

fn page_json(ids: &[&str], has_more: bool) -> Value {
    json!({
        "object": "list",
        "has_more": has_more,
        "data": ids.iter().map(|id| invoice_json(id)).collect::<Vec<_>>(),
    })
}

fn provider_err(e: Error) -> pagos_core::ProviderError {
    match e {
        Error::Provider(p) => *p,
        other => panic!("expected a provider error, got {other:?}"),
    }
}

fn unknown_err(e: Error) -> pagos_core::OutcomeUnknown {
    match e {
        Error::OutcomeUnknown(u) => *u,
        other => panic!("expected an outcome-unknown error, got {other:?}"),
    }
}

// ---------------------------------------------------------------- invoices

#[tokio::test]
async fn create_invoice_sends_the_seed_body_and_decodes_the_seed_answer() {
    let server = MockServer::start_async().await;
    let expected_body: Value = serde_json::from_str(CREATE_REQUEST).unwrap();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(path("/invoices"))
                .header("authorization", AUTH)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .query_param_count(".*", ".*", 0)
                .json_body(expected_body)
                // Exactly two decimals, as a JSON number.
                .body_includes(r#""amount":15.00,"#)
                .body_includes(r#""request_datetime":"2020-01-01T05:00:00""#);
            then.status(200)
                .header("content-type", "application/json")
                .body(CREATE_RESPONSE);
        })
        .await;

    let invoice = client(&server)
        .create_invoice(&seed_invoice())
        .await
        .unwrap();
    mock.assert_async().await;

    assert_eq!(invoice.id, "inv_live_oFPMsJmgmxBhPiWAoWFZ3n");
    assert_eq!(invoice.object.as_deref(), Some("invoice"));
    assert_eq!(invoice.livemode, Some(false));
    assert_eq!(invoice.amount, dec("15.0"));
    assert_eq!(invoice.money(), Some(pen("15.00")));
    assert_eq!(invoice.currency, "PEN");
    assert_eq!(invoice.created, datetime!(2020-01-01 23:33:36));
    assert_eq!(invoice.due_datetime, Some(datetime!(2020-01-02 04:59:59)));
    assert_eq!(
        invoice.expiration_datetime,
        Some(datetime!(2020-02-01 05:00:00))
    );
    assert_eq!(invoice.request_datetime, None);
    assert_eq!(invoice.fees, Some(dec("0.0")));
    assert_eq!(invoice.late_fee, Some(Decimal::ZERO));
    assert_eq!(invoice.sub_total, Some(dec("15.0")));
    assert_eq!(invoice.invoice_id.as_deref(), Some("INV-000001-001"));
    assert_eq!(invoice.ktin.as_deref(), Some("201590965569"));
    assert_eq!(invoice.token.as_deref(), Some("E9e866w3BZRpmMEu5bgLCi"));
    assert_eq!(invoice.status, InvoiceStatus::Pending); // "NEW"
    let customer = invoice.customer.as_ref().unwrap();
    assert_eq!(customer.name.as_deref(), Some("JUAN PEREZ"));
    assert_eq!(customer.email.as_deref(), Some("juan.perez.xxx@gmail.com"));
    assert_eq!(customer.phone.as_deref(), Some("+13055606666"));
    assert_eq!(customer.document_id.as_deref(), Some("10203040"));
    assert_eq!(customer.document_type.as_deref(), Some("DNI"));
    assert_eq!(customer.external_id.as_deref(), Some("CUS-10203040-001"));
    let metadata = invoice.metadata.as_ref().unwrap();
    assert_eq!(metadata["order_id"], "000001-001");
    assert_eq!(metadata["order_name"], "Deuda Enero 2019");
    // The exact JSON is kept.
    assert_eq!(invoice.raw().get(), CREATE_RESPONSE.trim());
}

#[tokio::test]
async fn create_invoice_minimal_body_omits_optional_members() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(path("/invoices")).json_body(json!({
                "customer": {"email": "ana@example.pe"},
                "invoice_id": "INV-2",
                "request_datetime": "2024-05-01T12:00:00",
                "amount": 7.50,
                "currency": "USD"
            }));
            then.status(200).body(CREATE_RESPONSE);
        })
        .await;
    let invoice = CreateInvoice::builder(
        "INV-2",
        Money::parse("7.5", Currency::Usd).unwrap(),
        Customer::new().email("ana@example.pe"),
    )
    .request_datetime(datetime!(2024-05-01 12:00:00))
    .build()
    .unwrap();
    client(&server).create_invoice(&invoice).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn get_invoice() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/invoices/inv_live_ngMCEhfsgVUUsePqZXpcpB"))
                .header("authorization", AUTH)
                .header("accept", "application/json")
                .header_missing("content-type")
                .query_param_count(".*", ".*", 0);
            then.status(200).body(GET_RESPONSE);
        })
        .await;
    let invoice = client(&server)
        .get_invoice("inv_live_ngMCEhfsgVUUsePqZXpcpB")
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(invoice.id, "inv_live_oFPMsJmgmxBhPiWAoWFZ3n");
    assert_eq!(invoice.status, InvoiceStatus::Pending);
    assert_eq!(invoice.amount, dec("15.0"));
}

#[tokio::test]
async fn get_invoice_percent_encodes_the_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(path("/invoices/a%2F..%2Fb%3Fc"));
            then.status(200).body(GET_RESPONSE);
        })
        .await;
    client(&server).get_invoice("a/../b?c").await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn void_invoice() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(path("/invoices/inv_6hxCf5yj6jAHep3JUJZrmm"))
                .header("authorization", AUTH)
                .header("accept", "application/json")
                .header_missing("content-type")
                .query_param_count(".*", ".*", 0)
                .body("");
            then.status(200).body(VOID_RESPONSE);
        })
        .await;
    let invoice = client(&server)
        .void_invoice("inv_6hxCf5yj6jAHep3JUJZrmm")
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(invoice.status, InvoiceStatus::Voided); // "VOIDED"
    assert_eq!(invoice.amount, dec("25.00")); // sent as a string
    assert_eq!(invoice.money(), Some(pen("25")));
    assert_eq!(invoice.created, datetime!(2017-01-31 14:24:59));
    assert_eq!(
        invoice.request_datetime,
        Some(datetime!(2017-01-31 14:24:59))
    );
    assert_eq!(
        invoice.expiration_datetime,
        Some(datetime!(2017-02-01 14:24:59))
    );
    assert_eq!(invoice.qr_code.as_deref(), Some("6hxCf5yj6jAHep3JUJZrmm"));
    assert_eq!(invoice.ktin.as_deref(), Some("1234567890"));
    assert_eq!(invoice.invoice_id.as_deref(), Some("ABCD1234567890"));
    assert_eq!(invoice.fees, None);
    let customer = invoice.customer.unwrap();
    assert_eq!(customer.phone.as_deref(), Some("+519996666"));
    assert_eq!(customer.email.as_deref(), Some("maria.viera22@gmail.com"));
    assert_eq!(customer.name, None);
}

#[tokio::test]
async fn update_invoice_amount_sends_only_updatable_fields() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(path("/invoices/inv_6hxCf5yj6jAHep3"))
                .header("authorization", AUTH)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .query_param_count(".*", ".*", 0)
                .body(r#"{"amount":25.00,"currency":"PEN"}"#);
            then.status(200).body(UPDATE_RESPONSE);
        })
        .await;
    let invoice = client(&server)
        .update_invoice(
            "inv_6hxCf5yj6jAHep3",
            &InvoiceUpdate::new().amount(pen("25")),
        )
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(invoice.id, "inv_cert_5TUVNBFGQHtQrPvXvZPaA9");
    assert_eq!(invoice.amount, dec("23.32"));
    assert_eq!(invoice.sub_total, Some(dec("23.32")));
    assert_eq!(invoice.ktin.as_deref(), Some("201590965587"));
    assert_eq!(invoice.created, datetime!(2020-06-07 23:46:11));
    assert_eq!(invoice.status, InvoiceStatus::Pending);
    assert_eq!(invoice.customer.unwrap().external_id, None);
}

#[tokio::test]
async fn update_invoice_expiration_and_amount() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(path("/invoices/inv_1"))
                .header("content-type", "application/json")
                .json_body(json!({
                    "amount": 9.90,
                    "currency": "USD",
                    "expiration_datetime": "2020-03-01T05:00:00"
                }))
                .body_includes(r#""amount":9.90"#);
            then.status(200).body(UPDATE_RESPONSE);
        })
        .await;
    let only_expiration = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(path("/invoices/inv_2"))
                .body(r#"{"expiration_datetime":"2020-03-01T05:00:00"}"#);
            then.status(200).body(UPDATE_RESPONSE);
        })
        .await;
    let c = client(&server);
    c.update_invoice(
        "inv_1",
        &InvoiceUpdate::new()
            .amount(Money::parse("9.9", Currency::Usd).unwrap())
            .expiration_datetime(datetime!(2020-03-01 05:00:00)),
    )
    .await
    .unwrap();
    c.update_invoice(
        "inv_2",
        &InvoiceUpdate::new().expiration_datetime(datetime!(2020-03-01 05:00:00)),
    )
    .await
    .unwrap();
    mock.assert_async().await;
    only_expiration.assert_async().await;
}

#[tokio::test]
async fn list_invoices_with_the_seed_query() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/invoices"))
                .header("authorization", AUTH)
                .header("accept", "application/json")
                .header_missing("content-type")
                .query_param("date", "2017-05-30")
                .query_param_count(".*", ".*", 1);
            then.status(200).body(LIST_RESPONSE);
        })
        .await;
    let page = client(&server)
        .list_invoices(&ListParams::new().date(date!(2017 - 05 - 30)))
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(!page.has_more);
    assert_eq!(page.object.as_deref(), Some("list"));
    assert_eq!(page.data.len(), 1);
    let invoice = &page.data[0];
    assert_eq!(invoice.id, "inv_cert_5TUVNBFGQHtQrPvXvZPaA9");
    // A space instead of the T.
    assert_eq!(invoice.created, datetime!(2020-06-07 23:46:11));
    assert_eq!(
        invoice.request_datetime,
        Some(datetime!(2020-06-07 23:46:11))
    );
    assert_eq!(invoice.status, InvoiceStatus::Pending); // "new"
    assert_eq!(invoice.customer, Some(Customer::default())); // {}
    assert_eq!(invoice.fees, None);
    assert_eq!(invoice.late_fee, Some(Decimal::ZERO));
    assert_eq!(invoice.ktin.as_deref(), Some("59965587"));
    assert_eq!(page.last_id(), Some("inv_cert_5TUVNBFGQHtQrPvXvZPaA9"));
}

#[tokio::test]
async fn list_invoices_with_every_filter_and_a_forward_cursor() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/invoices"))
                .query_param("date", "2020-06-07")
                .query_param("status", "paid")
                .query_param("limit", "100")
                .query_param("start", "inv_a")
                .query_param("starting_after", "inv_a")
                .query_param_missing("end")
                .query_param_missing("ending_before")
                .query_param_count(".*", ".*", 5);
            then.status(200).body(LIST_RESPONSE);
        })
        .await;
    client(&server)
        .list_invoices(
            &ListParams::new()
                .date(date!(2020 - 06 - 07))
                .status(InvoiceStatus::Paid.as_str())
                .limit(100)
                .starting_after("inv_a"),
        )
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn list_invoices_with_a_backward_cursor() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/invoices"))
                .query_param("end", "inv_z")
                .query_param("ending_before", "inv_z")
                .query_param_missing("start")
                .query_param_missing("starting_after")
                .query_param_count(".*", ".*", 2);
            then.status(200).body(LIST_RESPONSE);
        })
        .await;
    let page = client(&server)
        .list_invoices(&ListParams::new().ending_before("inv_z"))
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(page.first_id(), Some("inv_cert_5TUVNBFGQHtQrPvXvZPaA9"));
}

#[tokio::test]
async fn invoices_stream_walks_three_pages_one_at_a_time() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/invoices"))
                .header("authorization", AUTH)
                .query_param("status", "paid")
                .query_param("limit", "2")
                .query_param_missing("start")
                .query_param_missing("starting_after");
            then.status(200)
                .json_body(page_json(&["inv_1", "inv_2"], true));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/invoices"))
                .header("authorization", AUTH)
                .query_param("status", "paid")
                .query_param("limit", "2")
                .query_param("start", "inv_2")
                .query_param("starting_after", "inv_2");
            then.status(200)
                .json_body(page_json(&["inv_3", "inv_4"], true));
        })
        .await;
    let third = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/invoices"))
                .header("authorization", AUTH)
                .query_param("status", "paid")
                .query_param("limit", "2")
                .query_param("start", "inv_4")
                .query_param("starting_after", "inv_4");
            then.status(200).json_body(page_json(&["inv_5"], false));
        })
        .await;

    let mut stream = client(&server).invoices_stream(ListParams::new().status("paid").limit(2));
    // Pages are fetched lazily, one at a time.
    assert_eq!(stream.next().await.unwrap().unwrap().id, "inv_1");
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 0);
    assert_eq!(stream.next().await.unwrap().unwrap().id, "inv_2");
    assert_eq!(second.calls_async().await, 0);
    assert_eq!(stream.next().await.unwrap().unwrap().id, "inv_3");
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(third.calls_async().await, 0);
    let rest: Vec<String> = stream.map_ok(|i| i.id).try_collect().await.unwrap();
    assert_eq!(rest, ["inv_4", "inv_5"]);
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    third.assert_calls_async(1).await;

    // And collected in one go: every item, in order.
    let server = MockServer::start_async().await;
    for (cursor, ids, more) in [
        (None, &["inv_1", "inv_2"][..], true),
        (Some("inv_2"), &["inv_3", "inv_4"][..], true),
        (Some("inv_4"), &["inv_5"][..], false),
    ] {
        server
            .mock_async(|when, then| {
                let when = when.method(GET).path(path("/invoices"));
                match cursor {
                    Some(c) => when
                        .query_param("starting_after", c)
                        .query_param("start", c),
                    None => when.query_param_missing("starting_after"),
                };
                then.status(200).json_body(page_json(ids, more));
            })
            .await;
    }
    let all: Vec<String> = client(&server)
        .invoices_stream(ListParams::new())
        .map_ok(|i| i.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, ["inv_1", "inv_2", "inv_3", "inv_4", "inv_5"]);
}

#[tokio::test]
async fn stream_stops_when_the_server_ignores_the_cursor() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(path("/invoices"));
            then.status(200)
                .json_body(page_json(&["inv_1", "inv_2"], true));
        })
        .await;
    let items: Vec<Result<String, Error>> = client(&server)
        .invoices_stream(ListParams::new())
        .map_ok(|i| i.id)
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap(), "inv_1");
    assert_eq!(items[1].as_ref().unwrap(), "inv_2");
    let err = unknown_err(items.into_iter().nth(2).unwrap().unwrap_err());
    assert_eq!(err.cause, UnknownCause::UndecodableResponse);
    assert!(err.detail.contains("ignored the cursor"), "{}", err.detail);
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn stream_ends_on_an_empty_page_even_with_has_more() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(path("/invoices"));
            then.status(200).json_body(page_json(&[], true));
        })
        .await;
    let all: Vec<_> = client(&server)
        .invoices_stream(ListParams::new())
        .try_collect()
        .await
        .unwrap();
    assert!(all.is_empty());
    mock.assert_calls_async(1).await;
}

// ---------------------------------------------------------------- events

#[tokio::test]
async fn get_event_uses_the_events_path() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/events/eve_6hxCf5yj6jAHep3"))
                .header("authorization", AUTH)
                .header("accept", "application/json")
                .header_missing("content-type")
                .query_param_count(".*", ".*", 0);
            then.status(200).body(EVENT_RESPONSE);
        })
        .await;
    let event = client(&server)
        .get_event("eve_6hxCf5yj6jAHep3")
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(event.id, "eve_6hxCf5yj6jAHep3JUJZrmm");
    assert_eq!(event.object.as_deref(), Some("event"));
    assert_eq!(event.livemode, Some(false));
    assert_eq!(event.created, datetime!(2017-01-31 14:24:59));
    assert_eq!(event.event_type, EventType::InvoicePaid);
    assert_eq!(event.status, Some(EventStatus::New));
    assert_eq!(
        event.invoice_id().as_deref(),
        Some("inv_QokikJOvBiI2HlWgH4olfQ2")
    );
    let data: Value = serde_json::from_str(event.data.as_ref().unwrap().get()).unwrap();
    assert_eq!(data["url"], "//invoices/inv_QokikJOvBiI2HlWgH4olfQ2");
}

#[tokio::test]
async fn the_seed_event_example_verbatim_is_not_json() {
    // The API document elides members with "…": a body like that is undecodable, and the
    // raw text is kept.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(path("/events/eve_1"));
            then.status(200).body(EVENT_RESPONSE_SEED);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(path("/events"));
            then.status(200).body(EVENT_LIST_RESPONSE_SEED);
        })
        .await;
    let c = client(&server);
    let err = unknown_err(c.get_event("eve_1").await.unwrap_err());
    assert_eq!(err.cause, UnknownCause::UndecodableResponse);
    assert_eq!(err.raw_body.as_deref(), Some(EVENT_RESPONSE_SEED));
    let err = unknown_err(c.list_events(&ListParams::new()).await.unwrap_err());
    assert_eq!(err.raw_body.as_deref(), Some(EVENT_LIST_RESPONSE_SEED));
}

#[tokio::test]
async fn list_events() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/events"))
                .header("authorization", AUTH)
                .header("accept", "application/json")
                .query_param("date", "2017-05-30")
                .query_param("status", "notified")
                .query_param("limit", "10")
                .query_param_count(".*", ".*", 3);
            then.status(200).body(EVENT_LIST_RESPONSE);
        })
        .await;
    let page = client(&server)
        .list_events(
            &ListParams::new()
                .date(date!(2017 - 05 - 30))
                .status("notified")
                .limit(10),
        )
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(!page.has_more);
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].event_type, EventType::InvoicePaid);
    assert_eq!(
        page.data[0].invoice_id().as_deref(),
        Some("inv_QokikJOvBiI2HlWgH4olfQ2")
    );
}

#[tokio::test]
async fn events_stream_walks_pages() {
    let server = MockServer::start_async().await;
    let event = |id: &str| {
        json!({"id": id, "object": "event", "created": "2017-01-31T14:24:59",
               "type": "invoice.expired", "status": "FAILED",
               "data": {"url": "//invoices/inv_x"}})
    };
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/events"))
                .query_param_missing("starting_after");
            then.status(200).json_body(
                json!({"object": "list", "has_more": true, "data": [event("eve_1"), event("eve_2")]}),
            );
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/events"))
                .query_param("starting_after", "eve_2")
                .query_param("start", "eve_2");
            then.status(200)
                .json_body(json!({"object": "list", "has_more": false, "data": [event("eve_3")]}));
        })
        .await;
    let events: Vec<_> = client(&server)
        .events_stream(ListParams::new())
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["eve_1", "eve_2", "eve_3"]);
    assert_eq!(events[0].event_type, EventType::InvoiceExpired);
    assert_eq!(events[0].status, Some(EventStatus::Failed));
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
}

/// The invoice KashIO's documented event example points to, as a paid 15.00 PEN invoice numbered
/// `invoice_id`.
async fn paid_invoice_mock<'a>(server: &'a MockServer, invoice_id: &str) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/invoices/inv_QokikJOvBiI2HlWgH4olfQ2"))
                .header("authorization", AUTH);
            then.status(200).json_body(json!({
                "id": "inv_QokikJOvBiI2HlWgH4olfQ2", "object": "invoice",
                "created": "2017-01-31T14:20:00", "currency": "PEN", "amount": 15.0,
                "invoice_id": invoice_id, "status": "PAID"
            }));
        })
        .await
}

async fn seed_event_mock(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/events/eve_6hxCf5yj6jAHep3JUJZrmm"))
                .header("authorization", AUTH);
            then.status(200).body(EVENT_RESPONSE);
        })
        .await
}

#[tokio::test]
async fn confirm_event_fetches_the_event_then_its_invoice() {
    let server = MockServer::start_async().await;
    let event = seed_event_mock(&server).await;
    let invoice = paid_invoice_mock(&server, "INV-9").await;
    let c = client(&server);
    for expected in [
        ExpectedInvoice::by_invoice_id(pen("15"), "INV-9"),
        ExpectedInvoice::by_id(pen("15.00"), "inv_QokikJOvBiI2HlWgH4olfQ2"),
    ] {
        let confirmed = c
            .confirm_event("eve_6hxCf5yj6jAHep3JUJZrmm", &expected)
            .await
            .unwrap();
        assert_eq!(confirmed.event.event_type, EventType::InvoicePaid);
        assert_eq!(confirmed.invoice.id, "inv_QokikJOvBiI2HlWgH4olfQ2");
        assert_eq!(confirmed.invoice.status, InvoiceStatus::Paid);
    }
    event.assert_calls_async(2).await;
    invoice.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_paid_event_for_another_invoice_of_the_same_amount_is_refused() {
    let server = MockServer::start_async().await;
    let event = seed_event_mock(&server).await;
    // A real, paid 15.00 PEN invoice: but the merchant's INV-9, not INV-1.
    let invoice = paid_invoice_mock(&server, "INV-9").await;
    let c = client(&server);
    let e = c
        .confirm_event(
            "eve_6hxCf5yj6jAHep3JUJZrmm",
            &ExpectedInvoice::by_invoice_id(pen("15"), "INV-1"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(ConfirmCheck::InvoiceId), "{e:?}");
    assert_eq!(
        e.to_string(),
        "KashIO event: invoice_id check failed: expected INV-1, got INV-9"
    );
    assert!(!e.should_retry());
    // Expecting KashIO's id, the event itself names another invoice: not even fetched.
    let e = c
        .confirm_event(
            "eve_6hxCf5yj6jAHep3JUJZrmm",
            &ExpectedInvoice::by_id(pen("15"), "inv_another"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(ConfirmCheck::Id), "{e:?}");
    // The right invoice for another amount is refused too.
    let e = c
        .confirm_event(
            "eve_6hxCf5yj6jAHep3JUJZrmm",
            &ExpectedInvoice::by_invoice_id(pen("150"), "INV-9"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(ConfirmCheck::Amount), "{e:?}");
    event.assert_calls_async(3).await;
    invoice.assert_calls_async(2).await;
}

#[tokio::test]
async fn confirm_event_without_an_invoice_fetches_nothing_else() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(path("/events/eve_2"));
            then.status(200).json_body(json!({
                "id": "eve_2", "created": "2017-01-31T14:24:59",
                "type": "transfer.sent", "data": {"url": "//transfers/tr_1"}
            }));
        })
        .await;
    let invoices = server
        .mock_async(|when, then| {
            when.path_includes("/invoices");
            then.status(200).body(GET_RESPONSE);
        })
        .await;
    let e = client(&server)
        .confirm_event("eve_2", &ExpectedInvoice::by_invoice_id(pen("15"), "INV-9"))
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(ConfirmCheck::Invoice), "{e:?}");
    assert_eq!(invoices.calls_async().await, 0);
}

// ---------------------------------------------------------------- errors

#[tokio::test]
async fn unauthorized_json_error() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(path("/invoices/inv_1"));
            then.status(401)
                .header("content-type", "application/json")
                .body(r#"{"message":"Invalid API Key provided"}"#);
        })
        .await;
    let err = client(&server).get_invoice("inv_1").await.unwrap_err();
    let text = err.to_string();
    let p = provider_err(err);
    assert_eq!(p.http_status, 401);
    assert!(p.is_unauthorized());
    assert_eq!(p.message, "Invalid API Key provided");
    assert_eq!(p.raw_body, r#"{"message":"Invalid API Key provided"}"#);
    assert_eq!(p.operation, "get_invoice");
    assert!(!text.contains(KEY) && !text.contains(AUTH));
    mock.assert_calls_async(1).await; // 401 is not retried
}

#[tokio::test]
async fn not_found_json_error_object() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path(path("/invoices/inv_404"));
            then.status(404)
                .body(r#"{"error":{"code":"resource_missing","message":"No such invoice"}}"#);
        })
        .await;
    let p = provider_err(client(&server).void_invoice("inv_404").await.unwrap_err());
    assert_eq!(p.http_status, 404);
    assert_eq!(p.code.as_deref(), Some("resource_missing"));
    assert_eq!(p.message, "No such invoice");
}

#[tokio::test]
async fn bad_request_error_list_becomes_field_errors() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(path("/invoices"));
            then.status(400).body(
                r#"{"error":[{"field":"currency","message":"not supported"},{"field":"amount","message":"too small"}]}"#,
            );
        })
        .await;
    let p = provider_err(
        client(&server)
            .create_invoice(&seed_invoice())
            .await
            .unwrap_err(),
    );
    assert_eq!(p.http_status, 400);
    assert_eq!(p.message, "not supported");
    assert_eq!(p.field_errors.len(), 2);
    assert_eq!(p.field_errors[1].field, "amount");
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn server_error_non_json_is_retried_for_get_and_keeps_the_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(path("/invoices/inv_1"));
            then.status(500).body("<html>Internal Server Error</html>");
        })
        .await;
    let p = provider_err(client(&server).get_invoice("inv_1").await.unwrap_err());
    assert_eq!(p.http_status, 500);
    assert_eq!(p.message, "KashIO server error");
    assert_eq!(p.raw_body, "<html>Internal Server Error</html>");
    assert_eq!(p.attempts, 3);
    mock.assert_calls_async(3).await;
}

#[tokio::test]
async fn server_error_json_on_create_is_sent_once_and_its_outcome_is_unknown() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(path("/invoices"));
            then.status(500).body(r#"{"message":"Internal error"}"#);
        })
        .await;
    let err = client(&server)
        .create_invoice(&seed_invoice())
        .await
        .unwrap_err();
    assert_eq!(err.resend(), pagos_core::Resend::AfterLookup);
    let pagos_core::Error::OutcomeUnknown(u) = err else {
        panic!("a 5xx to a create is an unknown outcome: {err:?}")
    };
    assert_eq!(u.cause, pagos_core::UnknownCause::ServerError);
    assert_eq!(u.http_status, Some(500));
    assert_eq!(u.message.as_deref(), Some("Internal error"));
    assert_eq!(u.attempts, 1);
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn undecodable_success_is_outcome_unknown_with_the_body() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(path("/invoices/inv_1"));
            then.status(200).body(r#"{"unexpected": true}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(path("/invoices"));
            then.status(200).body("OK");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(path("/invoices/inv_bad_date"));
            then.status(200).json_body(json!({
                "id": "inv_bad_date", "created": "31/01/2017", "currency": "PEN",
                "amount": 1.0, "status": "new"
            }));
        })
        .await;
    let c = client(&server);
    let u = unknown_err(c.get_invoice("inv_1").await.unwrap_err());
    assert_eq!(u.cause, UnknownCause::UndecodableResponse);
    assert_eq!(u.http_status, Some(200));
    assert_eq!(u.raw_body.as_deref(), Some(r#"{"unexpected": true}"#));

    let u = unknown_err(c.create_invoice(&seed_invoice()).await.unwrap_err());
    assert_eq!(u.raw_body.as_deref(), Some("OK"));
    let hint = u.hint.unwrap();
    assert!(
        hint.contains("INV-000001-001") && hint.contains("2020-01-01"),
        "{hint}"
    );

    let u = unknown_err(c.get_invoice("inv_bad_date").await.unwrap_err());
    assert!(u.detail.contains("31/01/2017"), "{}", u.detail);
}

#[tokio::test]
async fn unknown_statuses_are_kept() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(path("/invoices/inv_1"));
            then.status(200).json_body(json!({
                "id": "inv_1", "created": "2020-01-01T00:00:00", "currency": "PEN",
                "amount": "1.50", "status": "Refunded", "extra_field": [1, 2]
            }));
        })
        .await;
    let c = client(&server);
    let invoice = c.get_invoice("inv_1").await.unwrap();
    assert_eq!(invoice.status, InvoiceStatus::Unknown("Refunded".into()));
    let payment = c.get_payment("inv_1").await.unwrap();
    assert_eq!(payment.status, PaymentStatus::Unknown("Refunded".into()));
    assert_eq!(payment.amount, Some(pen("1.50")));
}

// ---------------------------------------------------------------- validation

/// A server that answers anything, to prove nothing reached it.
async fn catch_all(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body(GET_RESPONSE);
        })
        .await
}

/// An amount read from JSON goes through `Money`'s precision check: an over-precise
/// amount never reaches an invoice, so nothing can round it.
#[tokio::test]
async fn over_precise_amounts_are_refused_never_rounded() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server).await;
    let c = client(&server);
    // What an application does with an order it received as JSON.
    async fn invoice_from_json(c: &KashioClient, order: &str) -> Result<(), String> {
        let amount: Money = serde_json::from_str(order).map_err(|e| e.to_string())?;
        let invoice = CreateInvoice::builder("INV-1", amount, Customer::new().name("ANA"))
            .build()
            .map_err(|e| e.to_string())?;
        c.create_invoice(&invoice)
            .await
            .map(drop)
            .map_err(|e| e.to_string())?;
        c.update_invoice("inv_1", &InvoiceUpdate::new().amount(amount))
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
    for (order, message) in [
        (
            r#"{"amount":"15.005","currency":"PEN"}"#,
            "invalid amount: 15.005 has more than 2 decimal place(s), the most PEN allows",
        ),
        (
            r#"{"amount":"0.001","currency":"USD"}"#,
            "invalid amount: 0.001 has more than 2 decimal place(s), the most USD allows",
        ),
        (
            r#"{"amount":15.5,"currency":"PEN"}"#,
            "an amount with a fraction must be a string",
        ),
    ] {
        let e = invoice_from_json(&c, order).await.unwrap_err();
        assert!(e.contains(message), "{order}: {e}");
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn invalid_invoices_are_not_sent() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server).await;
    let c = client(&server);
    let field = |r: Result<pagos_kashio::Invoice, Error>| match r {
        Err(Error::Validation(v)) => v.field().to_string(),
        other => panic!("expected a validation error, got {other:?}"),
    };

    let mut bad = seed_invoice();
    bad.customer.phone = Some("13055606666".into());
    assert_eq!(field(c.create_invoice(&bad).await), "customer.phone");

    let mut bad = seed_invoice();
    bad.customer.email = Some("juan.perez@".into());
    assert_eq!(field(c.create_invoice(&bad).await), "customer.email");

    let mut bad = seed_invoice();
    bad.customer = Customer::new();
    assert_eq!(field(c.create_invoice(&bad).await), "customer");

    let mut bad = seed_invoice();
    bad.customer.document_id = None;
    assert_eq!(field(c.create_invoice(&bad).await), "customer.document_id");

    let mut bad = seed_invoice();
    bad.customer.name = Some("  ".into());
    assert_eq!(field(c.create_invoice(&bad).await), "customer.name");

    let mut bad = seed_invoice();
    bad.invoice_id = " ".into();
    assert_eq!(field(c.create_invoice(&bad).await), "invoice_id");

    let mut bad = seed_invoice();
    bad.amount = pen("0");
    assert_eq!(field(c.create_invoice(&bad).await), "amount");

    let mut bad = seed_invoice();
    bad.amount = pen("-5");
    assert_eq!(field(c.create_invoice(&bad).await), "amount");

    let mut bad = seed_invoice();
    bad.amount = Money::parse("100", Currency::Mxn).unwrap();
    assert_eq!(field(c.create_invoice(&bad).await), "currency");

    let mut bad = seed_invoice();
    bad.url_success = Some("javascript:alert(1)".into());
    assert_eq!(field(c.create_invoice(&bad).await), "url_success");

    let mut bad = seed_invoice();
    bad.url_error = Some("/relative".into());
    assert_eq!(field(c.create_invoice(&bad).await), "url_error");

    let mut bad = seed_invoice();
    bad.expiration_datetime = Some(datetime!(2019-12-31 00:00:00));
    assert_eq!(field(c.create_invoice(&bad).await), "expiration_datetime");

    let mut bad = seed_invoice();
    bad.due_datetime = Some(bad.request_datetime);
    assert_eq!(field(c.create_invoice(&bad).await), "due_datetime");

    // The builder checks too.
    let err = CreateInvoice::builder("INV-1", pen("1"), Customer::new().phone("+1"))
        .build()
        .unwrap_err();
    assert_eq!(err.validation_field(), Some("customer.phone"));

    // Updates and ids.
    assert_eq!(
        field(c.update_invoice("inv_1", &InvoiceUpdate::new()).await),
        "update"
    );
    assert_eq!(
        field(
            c.update_invoice(
                "inv_1",
                &InvoiceUpdate::new().amount(Money::parse("1", Currency::Clp).unwrap())
            )
            .await
        ),
        "currency"
    );
    assert_eq!(
        field(
            c.update_invoice("inv_1", &InvoiceUpdate::new().amount(pen("0")))
                .await
        ),
        "amount"
    );
    assert_eq!(
        field(
            c.update_invoice("", &InvoiceUpdate::new().amount(pen("1")))
                .await
        ),
        "invoice_id"
    );
    assert_eq!(field(c.get_invoice("").await), "invoice_id");
    assert_eq!(field(c.void_invoice(" ").await), "invoice_id");

    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn invalid_lists_and_event_ids_are_not_sent() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server).await;
    let c = client(&server);
    for (params, field) in [
        (ListParams::new().limit(0), "limit"),
        (ListParams::new().limit(101), "limit"),
        (
            ListParams::new().starting_after("a").ending_before("b"),
            "ending_before",
        ),
        (ListParams::new().starting_after(""), "starting_after"),
        (ListParams::new().status(" "), "status"),
    ] {
        let err = c.list_invoices(&params).await.unwrap_err();
        assert_eq!(err.validation_field(), Some(field));
        let err = c.list_events(&params).await.unwrap_err();
        assert_eq!(err.validation_field(), Some(field));
    }
    let err = c.get_event("").await.unwrap_err();
    assert_eq!(err.validation_field(), Some("event_id"));
    let expected = ExpectedInvoice::by_invoice_id(pen("15"), "INV-9");
    match c.confirm_event("  ", &expected).await {
        Err(ConfirmError::Invalid(v)) => assert_eq!(v.field(), "event_id"),
        other => panic!("expected the event id to be refused, got {other:?}"),
    }
    let blank = ExpectedInvoice::by_id(pen("15"), "");
    match c.confirm_event("eve_1", &blank).await {
        Err(ConfirmError::Invalid(v)) => assert_eq!(v.field(), "expected.id"),
        other => panic!("expected the expectation to be refused, got {other:?}"),
    }
    // The stream walks forward only.
    let items: Vec<_> = c
        .invoices_stream(ListParams::new().ending_before("inv_9"))
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().validation_field(),
        Some("ending_before")
    );
    let items: Vec<_> = c.events_stream(ListParams::new().limit(0)).collect().await;
    assert_eq!(
        items[0].as_ref().unwrap_err().validation_field(),
        Some("limit")
    );
    assert_eq!(mock.calls_async().await, 0);
}

// ---------------------------------------------------------------- PaymentProvider

fn unified(reference: Option<&str>) -> pagos_core::CreatePaymentBuilder {
    let mut b = CreatePayment::builder(pen("15"), "Deuda Enero 2019")
        .description("Deuda de enero")
        .payer_id("CUS-10203040-001")
        .payer_name("JUAN PEREZ")
        .payer_email("juan.perez.xxx@gmail.com")
        .payer_phone("+13055606666")
        .payer_document("DNI", "10203040")
        .return_url("https://shop.example/ok")
        .cancel_url("https://shop.example/error")
        .expires_at(datetime!(2099-02-01 00:00:00 -5))
        .metadata("order_id", "000001-001");
    if let Some(r) = reference {
        b = b.merchant_reference(r);
    }
    b
}

#[tokio::test]
async fn create_payment_maps_to_an_invoice() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(path("/invoices"))
                .header("authorization", AUTH)
                .header("content-type", "application/json")
                .json_body_includes(
                    r#"{
                        "customer": {
                            "name": "JUAN PEREZ",
                            "email": "juan.perez.xxx@gmail.com",
                            "phone": "+13055606666",
                            "document_id": "10203040",
                            "document_type": "DNI",
                            "external_id": "CUS-10203040-001"
                        },
                        "metadata": {
                            "order_id": "000001-001",
                            "order_name": "Deuda Enero 2019",
                            "order_description": "Deuda de enero"
                        },
                        "invoice_id": "INV-000001-001",
                        "expiration_datetime": "2099-02-01T05:00:00",
                        "url_success": "https://shop.example/ok",
                        "url_error": "https://shop.example/error",
                        "currency": "PEN"
                    }"#,
                )
                .body_includes(r#""amount":15.00"#)
                .body_matches(r#""request_datetime":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}""#)
                .body_excludes("due_datetime");
            then.status(200).body(CREATE_RESPONSE);
        })
        .await;
    let c = client(&server);
    let payment = c
        .create_payment(&unified(Some("INV-000001-001")).build().unwrap())
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(payment.provider, "kashio");
    assert_eq!(payment.id, "inv_live_oFPMsJmgmxBhPiWAoWFZ3n");
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(
        payment.merchant_reference.as_deref(),
        Some("INV-000001-001")
    );
    assert_eq!(payment.amount, Some(pen("15.00")));
    assert_eq!(
        payment.instructions,
        vec![PaymentInstructions::PaymentCode {
            code: "201590965569".into()
        }]
    );
    assert_eq!(
        payment.raw.to_value().unwrap()["token"],
        "E9e866w3BZRpmMEu5bgLCi"
    );
}

#[tokio::test]
async fn invalid_payments_are_not_sent() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server).await;
    let c = client(&server);
    let field = |e: Error| e.validation_field().map(str::to_string);

    let err = c
        .create_payment(&unified(None).build().unwrap())
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("merchant_reference"));

    let err = c
        .create_payment(
            &unified(Some("INV-1"))
                .notify_url("https://shop.example/notify")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("notify_url"));

    let err = c
        .create_payment(
            &unified(Some("INV-1"))
                .payer_phone("999 666 666")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("payer.phone"));

    let err = c
        .create_payment(
            &CreatePayment::builder(Money::parse("1000", Currency::Clp).unwrap(), "x")
                .merchant_reference("INV-1")
                .payer_email("a@b.pe")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("currency"));

    let err = c
        .create_payment(
            &CreatePayment::builder(pen("10"), "x")
                .merchant_reference("INV-1")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("payer"));

    let err = c
        .create_payment(
            &unified(Some("INV-1"))
                .expires_at(time::OffsetDateTime::now_utc() - Duration::from_secs(3600))
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(field(err).as_deref(), Some("expires_at"));

    assert_eq!(
        field(c.get_payment("").await.unwrap_err()).as_deref(),
        Some("payment_id")
    );
    assert_eq!(
        field(c.cancel_payment("").await.unwrap_err()).as_deref(),
        Some("payment_id")
    );
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn get_payment_and_cancel_payment() {
    let server = MockServer::start_async().await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path("/invoices/inv_live_oFPMsJmgmxBhPiWAoWFZ3n"))
                .header("authorization", AUTH);
            then.status(200).body(GET_RESPONSE);
        })
        .await;
    let void = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(path("/invoices/inv_6hxCf5yj6jAHep3JUJZrmm"))
                .header("authorization", AUTH);
            then.status(200).body(VOID_RESPONSE);
        })
        .await;
    let c = client(&server);
    assert_eq!(c.name(), "kashio");
    let caps = c.capabilities();
    assert!(caps.supports(Operation::CreatePayment));
    assert!(caps.supports(Operation::GetPayment));
    assert!(caps.supports(Operation::CancelPayment));
    assert!(!caps.supports(Operation::RefundPayment));

    let payment = c
        .get_payment("inv_live_oFPMsJmgmxBhPiWAoWFZ3n")
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Pending);
    assert_eq!(
        payment.merchant_reference.as_deref(),
        Some("INV-000001-001")
    );
    c.cancel_payment("inv_6hxCf5yj6jAHep3JUJZrmm")
        .await
        .unwrap();
    get.assert_async().await;
    void.assert_async().await;

    let err = c
        .refund_payment(&pagos_core::RefundRequest::full("inv_1"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }));
}

#[tokio::test]
async fn cancel_payment_of_a_paid_invoice_is_an_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path(path("/invoices/inv_paid"));
            then.status(200).json_body(json!({
                "id": "inv_paid", "created": "2020-01-01T00:00:00", "currency": "PEN",
                "amount": 15.0, "status": "paid"
            }));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path(path("/invoices/inv_odd"));
            then.status(200).json_body(json!({
                "id": "inv_odd", "created": "2020-01-01T00:00:00", "currency": "PEN",
                "amount": 15.0, "status": "processing"
            }));
        })
        .await;
    let c = client(&server);
    let p = provider_err(c.cancel_payment("inv_paid").await.unwrap_err());
    assert_eq!(p.message, "invoice inv_paid is paid, not voided");
    let u = unknown_err(c.cancel_payment("inv_odd").await.unwrap_err());
    assert!(u.detail.contains("processing"));
}

// ---------------------------------------------------------------- client

#[tokio::test]
async fn secrets_never_show() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(401).body("Unauthorized");
        })
        .await;
    let c = client(&server);
    let secret_fragments = [
        KEY,
        AUTH,
        "c2tfdGVzdF9mNXlqNmpBeHh4SGVwMzZqQXh4eGVwM3h4eEpVeDo",
    ];
    let debug = format!("{c:?}");
    assert!(debug.contains("[REDACTED]"));
    let builder = format!("{:?}", Client::builder().secret_key(KEY));
    assert!(builder.contains("[REDACTED]"));
    let err = c.get_invoice("inv_1").await.unwrap_err();
    let texts = [debug, builder, format!("{err:?}"), err.to_string()];
    for text in &texts {
        for secret in secret_fragments {
            assert!(!text.contains(secret), "{text}");
        }
    }
}

#[test]
fn builder_defaults_and_errors() {
    let c = Client::builder().secret_key(KEY).build().unwrap();
    assert_eq!(c.base_url().as_str(), DEFAULT_BASE_URL);
    assert_eq!(DEFAULT_BASE_URL, "https://api.kashio.net/v1/payments");
    assert_eq!(CERT_BASE_URL, "https://cert-api.kashio.net/v1/payments");
    let c = Client::builder()
        .secret_key(KEY)
        .base_url(CERT_BASE_URL)
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(c.base_url().as_str(), CERT_BASE_URL);
    let err = Client::builder().build().unwrap_err();
    assert!(matches!(&err, Error::Config(c) if c.setting() == "secret_key"));
    assert!(
        Client::builder()
            .base_url("http://api.kashio.net/v1/payments")
            .is_err()
    );
}
