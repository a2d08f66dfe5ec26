//! What the API 3.0 and PAC wire tests share: clients (one sending to a socket-free
//! [`Recorder`]), the reference's examples, and the refusal path.

use pagos_core::{Endpoint, Error, Request, Response};
use pagos_khipu::PROVIDER;
use pagos_khipu::v3::KhipuV3Client;
pub use pagos_test_support::wire::{Recorder, transport_with};

pub const API_KEY: &str = "2f1c7a9e-5b8d-4c1a-9e3f-0a1b2c3d4e5f";
pub const HOST: &str = "https://payment-api.khipu.com";

/// `POST /v3/payments` answer (Khipu's spec example).
pub const CREATED: &str = r#"{"payment_id":"gqzdy6chjne9","payment_url":"https://khipu.com/payment/info/gqzdy6chjne9","simplified_transfer_url":"https://app.khipu.com/payment/simplified/gqzdy6chjne9","transfer_url":"https://khipu.com/payment/manual/gqzdy6chjne9","app_url":"khipu:///pos/gqzdy6chjne9","ready_for_terminal":false}"#;

/// `GET /v3/payments/{id}` answer (Khipu's older doc example, amount as a number).
pub const PAYMENT_OLD: &str = r#"{"payment_id":"gqzdy6chjne9","app_url":"khipu:///pos/gqzdy6chjne9","ready_for_terminal":false,"notification_token":"9dec8aa176c5223026919b3b5579a4776923e646ff3be686b9e6b62ec042e91f","receiver_id":985101,"conciliation_date":"2017-03-01T13:00:00.000Z","subject":"Test","amount":1000,"currency":"CLP","status":"done","status_detail":"normal","body":"Test","notify_api_version":"3.0","expires_date":"2023-12-31T15:45:00-04:00","bank":"Banco de Chile (Edwards Citi)","bank_id":"dfFbF","payer_name":"Nombre Pagador","payer_email":"pagador@email.com","personal_identifier":"11.000.111-9","bank_account_number":"001120490689","out_of_date_conciliation":true,"transaction_id":"zwo3wqz6uulcvajt","custom":"<xml>...</xml>","responsible_user_email":"responsible@email.com","send_reminders":true,"send_email":true,"payment_method":"simplified_transfer","funds_source":"debit","discount":0,"third_party_authorization_details":""}"#;

pub const SUCCESS: &str = r#"{"message":"Message."}"#;

pub fn client() -> KhipuV3Client {
    KhipuV3Client::builder()
        .api_key(API_KEY)
        .receiver_id("985101")
        .build()
        .unwrap()
}

/// A client whose attempts go to a [`Recorder`] (routes are paths on the host).
pub fn fake_client() -> (KhipuV3Client, Recorder) {
    let fake = Recorder::new();
    let client = KhipuV3Client::builder()
        .api_key(API_KEY)
        .receiver_id("985101")
        .transport(transport_with(fake.clone()))
        .build()
        .unwrap();
    (client, fake)
}

/// The request `endpoint` describes, with the key, exactly as it would be sent.
pub async fn authorized<E: Endpoint>(endpoint: &E) -> Request {
    client().executor().authorized(endpoint).await.unwrap()
}

/// Asserts method, URL, the key header and the content type (`None`: no body).
pub fn assert_request(r: &Request, method: &str, url: &str, json_body: Option<&str>) {
    assert_eq!(r.method().as_str(), method);
    assert_eq!(r.url().as_str(), url);
    assert_eq!(r.header_str("x-api-key"), Some(API_KEY));
    assert!(r.headers()["x-api-key"].is_sensitive());
    assert_eq!(r.header_str("accept"), Some("application/json"));
    assert!(r.header_str("authorization").is_none());
    match json_body {
        Some(body) => {
            assert_eq!(r.header_str("content-type"), Some("application/json"));
            assert_eq!(std::str::from_utf8(r.body_bytes()).unwrap(), body);
        }
        None => {
            assert!(r.body_bytes().is_empty(), "{:?}", r.body_bytes());
            assert!(r.header_str("content-type").is_none());
        }
    }
}

pub fn answer<E: Endpoint>(status: u16, body: &str) -> Response {
    pagos_test_support::wire::answer(PROVIDER, E::OPERATION, status, body)
}

pub fn parse<E: Endpoint>(endpoint: &E, body: &str) -> E::Output {
    endpoint.parse(&answer::<E>(200, body)).unwrap()
}

/// The error a non-2xx answer to `E` becomes through the v3 refusal hook.
pub fn refused<E: Endpoint>(status: u16, body: &str) -> Error {
    let response = answer::<E>(status, body).with_idempotency(E::IDEMPOTENCY);
    let refusal = pagos_khipu::v3::error::refusal(&response).expect("a refusal");
    response.refusal(refusal)
}
