//! API 3.0 banks, predictions, payment methods and receivers.

use pagos_core::{Currency, Error};
use pagos_khipu::CreateReceiverRequest;
use pagos_khipu::v3::banks::ListBanks;
use pagos_khipu::v3::merchants::ListPaymentMethods;
use pagos_khipu::v3::predict::{Predict, PredictAll, PredictResult};
use pagos_khipu::v3::receivers::{ChildSort, ChildrenQuery, CreateReceiver, ListChildren};
use pagos_test_support::wire::money;

use crate::v3_support::*;

#[tokio::test]
async fn banks() {
    let r = authorized(&ListBanks::new()).await;
    assert_request(&r, "GET", &format!("{HOST}/v3/banks"), None);
    let body = r#"{"banks":[{"bank_id":"SDdGj","name":"Banco Estado","message":"Tarifa de $300 de transferencia a otros bancos, usando CuentaRUT.","min_amount":1000,"type":"Persona","parent":"","logo_url":"https://s3.amazonaws.com/static.khipu.com/logos/bancos/chile/estado-icon.png"}]}"#;
    let page = parse(&ListBanks::new(), body);
    assert_eq!(page.items[0].bank_id, "SDdGj");
    assert_eq!(page.items[0].min_amount.unwrap().to_string(), "1000");
    assert_eq!(page.items[0].bank_type.as_deref(), Some("Persona"));
}

#[tokio::test]
async fn predict_queries_and_results() {
    let m = money("15000", Currency::Clp);
    let r = authorized(&Predict::new("a@b.cl", "SDdGj", &m)).await;
    assert_request(
        &r,
        "GET",
        &format!("{HOST}/v3/predict?payer_email=a%40b.cl&bank_id=SDdGj&amount=15000&currency=CLP"),
        None,
    );
    let r = authorized(&PredictAll::new("a@b.cl", &m)).await;
    assert_request(
        &r,
        "GET",
        &format!("{HOST}/v3/predict/all?payer_email=a%40b.cl&amount=15000&currency=CLP"),
        None,
    );
    for (text, expected) in [
        ("ok", PredictResult::Ok),
        ("OK", PredictResult::Ok),
        ("max_amount_exceeded", PredictResult::MaxAmountExceeded),
        (
            "NEW_DESTINATARY_COOL_DOWN",
            PredictResult::NewDestinataryCoolDown,
        ),
        ("Not_Available_Account", PredictResult::NotAvailableAccount),
        (
            "SOMETHING_NEW",
            PredictResult::Unknown("SOMETHING_NEW".into()),
        ),
    ] {
        let body = format!(
            r#"{{"result":"{text}","max_amount":5000000,"cool_down_date":"2026-09-01T00:00:00Z","new_destinatary_max_amount":"100000.5"}}"#
        );
        let p = parse(&Predict::new("a@b.cl", "x", &m), &body);
        assert_eq!(p.result, Some(expected), "{text}");
        assert_eq!(
            p.new_destinatary_max_amount.unwrap().to_string(),
            "100000.5"
        );
    }
    let all = parse(
        &PredictAll::new("a@b.cl", &m),
        r#"{"banks":[{"bank_id":"SDdGj","name":"Banco Estado","result":"OK","max_amount":1000},{"bank_id":"x","result":"not_available_account"}]}"#,
    );
    assert_eq!(all.banks.len(), 2);
    assert_eq!(
        all.banks[1].result,
        Some(PredictResult::NotAvailableAccount)
    );
    let c = client();
    let e = c
        .executor()
        .authorized(&Predict::new("not-an-email", "x", &m))
        .await
        .unwrap_err();
    assert_eq!(e.validation_field(), Some("payer_email"));
}

#[tokio::test]
async fn payment_methods() {
    let r = authorized(&ListPaymentMethods::new("985101")).await;
    assert_request(
        &r,
        "GET",
        &format!("{HOST}/v3/merchants/985101/paymentMethods"),
        None,
    );
    let m = parse(
        &ListPaymentMethods::new("985101"),
        r#"{"paymentMethods":[{"id":"SIMPLIFIED_TRANSFER","logo_url":"//x/logo.png"},{"id":"REGULAR_TRANSFER","name":"Transferencia"}]}"#,
    );
    assert_eq!(m.payment_methods[0].id, "SIMPLIFIED_TRANSFER");
    assert_eq!(m.payment_methods.len(), 2);
    let c = client();
    assert!(
        c.executor()
            .authorized(&ListPaymentMethods::new("12a"))
            .await
            .is_err()
    );
    let (client, fake) = fake_client();
    fake.route(
        "GET",
        "/v3/merchants/985101/paymentMethods",
        200,
        r#"{"paymentMethods":[]}"#,
    );
    assert!(client.merchants().own_payment_methods().await.is_ok());
    assert_eq!(fake.calls(), 1);
}

fn receiver_request() -> CreateReceiverRequest {
    CreateReceiverRequest::builder()
        .admin_first_name("Ana")
        .admin_last_name("Pérez")
        .admin_email("ana@x.cl")
        .country_code("CL")
        .business_identifier("76.086.428-5")
        .business_category("Comercio")
        .business_name("Tienda SpA")
        .business_phone("+56 2 2345 6789")
        .business_address_line_1("Av. 1")
        .business_address_line_2("Depto 2")
        .business_address_line_3("Santiago")
        .contact_full_name("Ana Pérez")
        .contact_job_title("Gerente")
        .contact_email("ana@x.cl")
        .contact_phone("+56 9 1234 5678")
        .build()
        .unwrap()
}

#[tokio::test]
async fn receivers_and_children() {
    let req = receiver_request();
    let r = authorized(&CreateReceiver::new(&req)).await;
    assert_eq!(r.url().as_str(), format!("{HOST}/v3/receivers"));
    assert_eq!(r.header_str("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(r.body_bytes()).unwrap();
    assert_eq!(body["admin_first_name"], "Ana");
    assert_eq!(body["business_identifier"], "76.086.428-5");
    assert_eq!(body.as_object().unwrap().len(), 15);
    let created = parse(
        &CreateReceiver::new(&req),
        r#"{"receiver_id":"4321","secret":"0123456789abcdef0123456789abcdef01234567","api_key":"2f1c7a9e-0000-4c1a-9e3f-0a1b2c3d4e5f"}"#,
    );
    assert_eq!(created.receiver_id, "4321");
    let dbg = format!("{created:?}");
    assert!(
        !dbg.contains("0123456789abcdef") && !dbg.contains("2f1c7a9e-0000"),
        "{dbg}"
    );
    let q = ChildrenQuery::new()
        .offset(10)
        .max(50)
        .sort(ChildSort::DateCreated)
        .ascending(false);
    let r = authorized(&ListChildren::new(q)).await;
    assert_request(
        &r,
        "GET",
        &format!("{HOST}/v3/receivers/children?offset=10&max=50&sort=date_created&order=desc"),
        None,
    );
    let r = authorized(&ListChildren::new(ChildrenQuery::new())).await;
    assert_request(&r, "GET", &format!("{HOST}/v3/receivers/children"), None);
    let c = parse(
        &ListChildren::new(ChildrenQuery::new()),
        r#"{"total":1,"receivers":[{"id":4321,"name":"Tienda","date_created":"2026-01-01","disabled":false,"can_collect":true}]}"#,
    );
    assert_eq!(c.total, Some(1));
    assert_eq!(c.receivers[0].id.as_deref(), Some("4321"));
    // A 5xx on a create is unknown and sent once.
    let (client, fake) = fake_client();
    fake.always(500, "");
    let e = client.receivers().create(&req).await.unwrap_err();
    assert!(matches!(e, Error::OutcomeUnknown(_)), "{e:?}");
    assert_eq!(fake.calls(), 1);
}
