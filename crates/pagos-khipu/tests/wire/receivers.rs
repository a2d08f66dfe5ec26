//! Receivers: `POST /receivers`, whose answer holds the new receiver's secret.

use pagos_core::ExposeSecret;
use pagos_core::transport::Idempotency;
use pagos_khipu::{CreateReceiver, CreateReceiverRequest};

use crate::support::*;

pub fn receiver_request() -> CreateReceiverRequest {
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

const NEW_SECRET: &str = "4f8c2a1e9b7d6c5a3f2e1d0c9b8a7f6e5d4c3b2a";

#[tokio::test]
async fn create_receiver_wire() {
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
    let expected_body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter())
        .finish();
    let request = receiver_request();
    let endpoint = CreateReceiver::new(&request);
    let r = signed(&client(), &endpoint).await;
    assert_eq!(r.method().as_str(), "POST");
    assert_eq!(r.url().path(), format!("{PREFIX}/receivers"));
    assert_khipu_headers(&r, &ref_authorization("POST", &url("/receivers"), params));
    assert_eq!(r.body_bytes(), expected_body.as_bytes());
    assert_eq!(r.idempotency(), Idempotency::NonIdempotent);

    let created = parse(&endpoint, RECEIVER_CREATE);
    assert_eq!(created.receiver_id, "123456");
    assert_eq!(created.secret.expose_secret(), NEW_SECRET);
    assert_eq!(created.raw.get(), RECEIVER_CREATE.trim_end());
    let dbg = format!("{created:?}");
    assert!(!dbg.contains("4f8c2a1e9b7d"), "{dbg}");
    assert!(dbg.contains("[REDACTED]"));
}

/// The raw answer holds the secret as received (it is the answer), but neither its
/// `Debug` nor its `Display` shows it: the core `Raw` redacts a `secret` member.
#[test]
fn the_raw_answer_does_not_leak_the_secret_through_debug() {
    let created = parse(&CreateReceiver::new(&receiver_request()), RECEIVER_CREATE);
    assert!(created.raw.get().contains(NEW_SECRET));
    for shown in [
        format!("{:?}", created.raw),
        created.raw.to_string(),
        format!("{created:?}"),
        format!("{created:#?}"),
    ] {
        assert!(!shown.contains(NEW_SECRET), "{shown}");
        assert!(shown.contains("123456"), "{shown}");
    }
    // Serializing is exporting the answer: the secret is written, typed and raw.
    let json = serde_json::to_string(&created).unwrap();
    assert_eq!(json.matches(NEW_SECRET).count(), 2, "{json}");
}

#[tokio::test]
async fn the_handle_runs_the_endpoint() {
    let (client, fake) = fake_client();
    fake.route("POST", "/receivers", 200, RECEIVER_CREATE);
    let created = client
        .receivers()
        .create(&receiver_request())
        .await
        .unwrap();
    assert_eq!(created.receiver_id, "123456");
    assert_eq!(fake.calls(), 1);
}
