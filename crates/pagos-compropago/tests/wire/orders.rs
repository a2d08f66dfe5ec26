//! Orders: `POST /v2/orders` ([`CreateOrder`]) and `GET /v2/orders/{id}` ([`GetOrder`]).

use pagos_compropago::{CreateOrder, Customer, GetOrder, OrderStatus, PaymentType, Product};
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{Endpoint, PaymentInstructions};

use crate::*;

#[tokio::test]
async fn create_order_sends_the_seed_shape() {
    let order = seed_order();
    let request = client().executor().authorized(&order).await.unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.url().path(), "/compropago/v2/orders");
    assert_eq!(request.query_str(), None);
    assert_eq!(request.header_str("authorization"), Some(BASIC));
    assert_eq!(request.header_str("content-type"), Some("application/json"));
    assert_eq!(request.header_str("accept"), Some("application/json"));
    assert_eq!(
        body_text(&request),
        r#"{"product":{"id":"SMGCURL1","price":150.00,"name":"SAMSUNG GOLD CURL","currency":"MXN","url":"http://dummyurl.com/smgcul1.jpg"},"customer":{"id":"cust-1","name":"Waldix","email":"waldix@compropago.com","phone":"5513899832"},"payment":{"type":"SPEI"},"expiresAt":1560139200}"#
    );
    assert_eq!(request.idempotency(), Idempotency::NonIdempotent);
    assert_eq!(CreateOrder::IDEMPOTENCY, Idempotency::NonIdempotent);
    assert_eq!(request.operation(), "create_order");
}

#[test]
fn create_order_decodes_the_seed_example() {
    let order = parse(&seed_order(), CREATE_ORDER).unwrap();

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
    let raw = order.raw.to_value().unwrap();
    assert_eq!(raw["client"]["name"], "ms-api");
    assert!(raw.get("map").is_none());
    // `raw` is the envelope's `data` byte for byte.
    let data_at = CREATE_ORDER.find(r#""data": "#).unwrap() + r#""data": "#.len();
    assert!(CREATE_ORDER[data_at..].starts_with(order.raw.get()));

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
    let order = CreateOrder::new(
        Product::new("P-1", "Curso", mxn("1499.9")),
        Customer::new("12345", "Nombre del Cliente", "cliente@dominio.com"),
    )
    .payment_type(PaymentType::Spei);
    let request = client().executor().authorized(&order).await.unwrap();
    assert_eq!(request.url().path(), "/compropago/v2/orders");
    assert_eq!(
        body_text(&request),
        r#"{"product":{"id":"P-1","price":1499.90,"name":"Curso","currency":"MXN"},"customer":{"id":"12345","name":"Nombre del Cliente","email":"cliente@dominio.com"},"payment":{"type":"SPEI"}}"#
    );
    parse(&order, CREATE_ORDER).unwrap();
}

#[tokio::test]
async fn get_order_describes_the_path_and_decodes_the_bare_seed_example() {
    let get = GetOrder::new(ORDER_ID);
    let request = client().executor().authorized(&get).await.unwrap();
    assert_eq!(request.method(), Method::GET);
    assert_eq!(
        request.url().path(),
        format!("/compropago/v2/orders/{ORDER_ID}")
    );
    assert_eq!(request.header_str("authorization"), Some(BASIC));
    assert_eq!(request.header_str("accept"), Some("application/json"));
    assert!(request.body_bytes().is_empty());
    assert_eq!(request.idempotency(), Idempotency::Read);

    let order = parse(&get, GET_ORDER).unwrap();
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
    assert_eq!(order.raw.to_value().unwrap()["api"]["version"], "2.0.0");
    // A bare order's raw is the whole body.
    assert_eq!(order.raw.get(), GET_ORDER.trim_end());
    assert!(matches!(
        order.payment_instructions(),
        Some(PaymentInstructions::BankTransfer { ref account, .. }) if account == "000000000000000000"
    ));
}

#[test]
fn get_order_accepts_the_same_order_wrapped_in_the_envelope() {
    let from_envelope = parse(&GetOrder::new("wrapped"), wrapped("orders.get", GET_ORDER)).unwrap();
    let bare = parse(&GetOrder::new("bare"), GET_ORDER).unwrap();
    assert_eq!(from_envelope.id, bare.id);
    assert_eq!(from_envelope.product, bare.product);
    assert_eq!(from_envelope.payment, bare.payment);
    assert_eq!(from_envelope.created_at, bare.created_at);
    // The same order text, with and without the envelope.
    assert_eq!(from_envelope.raw.get(), bare.raw.get());
    assert_eq!(from_envelope, bare);
}

#[tokio::test]
async fn get_order_encodes_the_id_as_one_path_segment() {
    let request = client()
        .executor()
        .authorized(&GetOrder::new("a/../b"))
        .await
        .unwrap();
    assert_eq!(request.url().path(), "/compropago/v2/orders/a%2F..%2Fb");
}

#[test]
fn timestamps_in_seconds_and_milliseconds_are_the_same_instant() {
    let s = parse(
        &GetOrder::new("s"),
        r#"{"id":"s","status":"PENDING","createdAt":1522082069,"updatedAt":"1522082069","expiresAt":null}"#,
    )
    .unwrap();
    let ms = parse(
        &GetOrder::new("ms"),
        wrapped(
            "orders.get",
            r#"{"id":"ms","status":"PENDING","createdAt":1522082069000,"updatedAt":1522082069000,"expiresAt":null}"#,
        ),
    )
    .unwrap();
    assert_eq!(s.created_at, Some(at(1_522_082_069)));
    assert_eq!(s.created_at, ms.created_at);
    assert_eq!(s.updated_at, ms.updated_at);
    assert_eq!(s.expires_at, None);
    assert_eq!(ms.expires_at, None);
}

#[test]
fn an_order_serializes_its_typed_fields_and_its_raw_text() {
    let order = parse(&GetOrder::new(ORDER_ID), GET_ORDER).unwrap();
    let json: serde_json::Value = serde_json::to_value(&order).unwrap();
    assert_eq!(json["id"], ORDER_ID);
    assert_eq!(json["status"], "PENDING");
    assert_eq!(json["product"]["price"], "12.56");
    assert_eq!(json["createdAt"], "2018-03-26T16:34:29.321Z");
    assert_eq!(json["raw"]["api"]["version"], "2.0.0");
}
