//! Sale points: `GET`/`POST`/`DELETE v2/payment/cashin/qr/sale-point`,
//! `GET v2/payment/cashin/qr/sale-point/static`, `POST v2/payment/cashin/qr/static/order`.

use pagos_core::Response;
use pagos_core::endpoint::Endpoint;
use pagos_core::transport::Idempotency;
use pagos_telepagos::sale_points::{
    CreateSalePoint, CreateStaticQrOrder, DeleteSalePoint, GetStaticQr, ListSalePoints,
};
use pagos_telepagos::{GetParams, GetParamsPolicy, PROVIDER, QrAmountType, StaticQrOrderRequest};

use crate::{
    SALE_POINT_CREATE, SALE_POINT_DELETE, SALE_POINT_STATIC, SALE_POINTS, STATIC_ORDER, Script,
    ars, assert_get, assert_get_with_body, assert_json, authorized, parse, provider_error, refused,
    validation_field,
};

// ---------------------------------------------------------------- GET payment/cashin/qr/sale-point

#[tokio::test]
async fn sale_points_are_listed() {
    let request = authorized(&ListSalePoints::new()).await;
    assert_get(&request, "payment/cashin/qr/sale-point");
    let points = parse(&ListSalePoints::new(), SALE_POINTS).unwrap();
    assert_eq!(points.items.len(), 2);
    assert!(!points.has_more);
    assert_eq!(points.items[0].id, 12);
    assert_eq!(points.items[0].name.as_deref(), Some("Caja 1"));
    assert_eq!(points.items[0].status.as_deref(), Some("active"));
    assert_eq!(points.items[1].id, 13);
    assert_eq!(points.raw.get(), SALE_POINTS.trim());
}

// ---------------------------------------------------------------- GET payment/cashin/qr/sale-point/static

#[tokio::test]
async fn static_qr_is_read_with_the_documented_body_or_a_query() {
    // The documented shape (the default): `{"type_amount": …, "sale_point_id": int}` as
    // the GET's JSON body.
    let closed = GetStaticQr::new(12, QrAmountType::Closed);
    let request = authorized(&closed).await;
    assert_get_with_body(
        &request,
        "payment/cashin/qr/sale-point/static",
        r#"{"type_amount":"closed","sale_point_id":12}"#,
    );
    // Switched to a query, per endpoint.
    let request = authorized(&closed.params(GetParams::Query)).await;
    assert_get(&request, "payment/cashin/qr/sale-point/static");
    assert_eq!(
        request.url().query(),
        Some("type_amount=closed&sale_point_id=12")
    );
    let open = authorized(&GetStaticQr::new(13, QrAmountType::Open).params(GetParams::Query)).await;
    assert_get(&open, "payment/cashin/qr/sale-point/static");
    assert_eq!(
        open.url().query(),
        Some("type_amount=open&sale_point_id=13")
    );

    let qr = parse(&closed, SALE_POINT_STATIC).unwrap();
    assert!(qr.qr_code.starts_with("000201"));
    assert_eq!(qr.raw.get(), SALE_POINT_STATIC.trim());
    let qr = parse(
        &GetStaticQr::new(13, QrAmountType::Open),
        r#"{"status":"ok","qr_code":"open-qr"}"#,
    )
    .unwrap();
    assert_eq!(qr.qr_code, "open-qr");

    // The handle follows the client's policy, one endpoint at a time.
    let script = Script::with(|b| {
        b.get_params(GetParamsPolicy::DOCUMENTED.with_static_qr(GetParams::Query))
    });
    script.answer(
        "GET",
        "payment/cashin/qr/sale-point/static",
        200,
        SALE_POINT_STATIC,
    );
    script
        .client
        .sale_points()
        .static_qr(12, QrAmountType::Closed)
        .await
        .unwrap();
    let sent = script.sent_to("GET", "payment/cashin/qr/sale-point/static");
    assert_eq!(
        sent[0].url().query(),
        Some("type_amount=closed&sale_point_id=12")
    );
    assert!(sent[0].body_bytes().is_empty());
    assert_eq!(
        script.client.get_params().transactions,
        GetParams::Body,
        "the other endpoint keeps the documented body"
    );
}

// ---------------------------------------------------------------- POST payment/cashin/qr/sale-point

#[tokio::test]
async fn sale_point_is_created() {
    let endpoint = CreateSalePoint::new("Caja 3");
    let request = authorized(&endpoint).await;
    assert_json(
        &request,
        "POST",
        "payment/cashin/qr/sale-point",
        r#"{"name":"Caja 3"}"#,
    );
    assert_eq!(request.idempotency(), Idempotency::NonIdempotent);
    let created = parse(&endpoint, SALE_POINT_CREATE).unwrap();
    assert_eq!(created.sale_point_id, 14);
    assert_eq!(created.raw.get(), SALE_POINT_CREATE.trim());

    let script = Script::new();
    script.answer(
        "POST",
        "payment/cashin/qr/sale-point",
        200,
        SALE_POINT_CREATE,
    );
    let c = &script.client;
    assert_eq!(c.sale_points().create("Caja 3").await.unwrap(), created);
    assert_eq!(
        validation_field(c.sale_points().create(" ").await.unwrap_err()),
        "name"
    );
    assert_eq!(
        script.sent_to("POST", "payment/cashin/qr/sale-point").len(),
        1
    );
}

// ---------------------------------------------------------------- DELETE payment/cashin/qr/sale-point

#[tokio::test]
async fn sale_point_is_deleted_with_a_json_body() {
    let endpoint = DeleteSalePoint::new(14);
    let request = authorized(&endpoint).await;
    assert_json(
        &request,
        "DELETE",
        "payment/cashin/qr/sale-point",
        r#"{"sale_point_id":14}"#,
    );
    assert_eq!(request.idempotency(), Idempotency::NonIdempotent);
    let deleted = parse(&endpoint, SALE_POINT_DELETE).unwrap();
    assert_eq!(deleted.status.as_deref(), Some("ok"));
    assert_eq!(deleted.raw.get(), SALE_POINT_DELETE.trim());
}

#[tokio::test]
async fn sale_point_delete_refused_with_200() {
    let answer = Response::new(
        PROVIDER,
        DeleteSalePoint::OPERATION,
        200,
        r#"{"status":"error","message":"Punto de venta inexistente"}"#,
    )
    .with_idempotency(DeleteSalePoint::IDEMPOTENCY);
    let p = provider_error(refused(&answer).unwrap());
    assert_eq!(p.http_status, 200);
    assert_eq!(p.message, "Punto de venta inexistente");

    // Through the client: the same refusal.
    let script = Script::new();
    script.answer(
        "DELETE",
        "payment/cashin/qr/sale-point",
        200,
        r#"{"status":"error","message":"Punto de venta inexistente"}"#,
    );
    let p = provider_error(script.client.sale_points().delete(99).await.unwrap_err());
    assert_eq!(p.http_status, 200);
    assert_eq!(p.message, "Punto de venta inexistente");
    assert_eq!(
        script.sent_to("DELETE", "payment/cashin/qr/sale-point")[0].body_bytes(),
        br#"{"sale_point_id":99}"#
    );
}

// ---------------------------------------------------------------- POST payment/cashin/qr/static/order

#[tokio::test]
async fn static_qr_order_is_created() {
    let endpoint = CreateStaticQrOrder::new(StaticQrOrderRequest::new(ars("75.25"), "Mesa 4", 12));
    let request = authorized(&endpoint).await;
    assert_json(
        &request,
        "POST",
        "payment/cashin/qr/static/order",
        r#"{"amount":75.25,"concept":"Mesa 4","description":"Mesa 4","sale_point_id":12}"#,
    );
    assert_eq!(request.idempotency(), Idempotency::NonIdempotent);
    let order = parse(&endpoint, STATIC_ORDER).unwrap();
    assert_eq!(order.qr_order_id, "888");
    assert_eq!(order.raw.get(), STATIC_ORDER.trim());
}
