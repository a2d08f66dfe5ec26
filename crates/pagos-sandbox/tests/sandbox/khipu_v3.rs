//! Khipu API 3.0 under `/khipu_v3`: `x-api-key` auth, the v3 error envelope, the payment
//! life cycle (create, get, delete, confirm, void, refunds), the refund wallet,
//! predictions, banks, payment methods, receivers, and the signed 3.0 webhook, checked
//! with an HMAC-SHA256 written here from FIPS 180-4 and RFC 2104 (not the sandbox's).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::*;

// ---------------------------------------------------------------------------------------
// An independent SHA-256 (FIPS 180-4) and HMAC (RFC 2104), and base64 (RFC 4648).

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

fn sha256(message: &[u8]) -> [u8; 32] {
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut data = message.to_vec();
    let bit_len = (message.len() as u64) * 8;
    data.push(0x80);
    while data.len() % 64 != 56 {
        data.push(0);
    }
    data.extend_from_slice(&bit_len.to_be_bytes());
    for block in data.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&sha256(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let inner: Vec<u8> = block
        .iter()
        .map(|b| b ^ 0x36)
        .chain(message.iter().copied())
        .collect();
    let inner_hash = sha256(&inner);
    let outer: Vec<u8> = block
        .iter()
        .map(|b| b ^ 0x5c)
        .chain(inner_hash.iter().copied())
        .collect();
    sha256(&outer)
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Verifies `x-khipu-signature` the way Khipu's plugins do: split on `,`, each part at
/// its first `=`, then base64(HMAC-SHA256(secret, t + "." + raw body)) == s.
pub(crate) fn verify_khipu_signature(secret: &str, header: &str, body: &[u8]) -> Option<i64> {
    let (mut t, mut s) = (None, None);
    for part in header.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "t" => t = Some(v.to_string()),
            "s" => s = Some(v.to_string()),
            _ => {}
        }
    }
    let (t, s) = (t?, s?);
    let mut message = t.as_bytes().to_vec();
    message.push(b'.');
    message.extend_from_slice(body);
    (base64(&hmac_sha256(secret.as_bytes(), &message)) == s).then(|| t.parse().ok())?
}

/// Test vector A: Khipu's docs example.
const VECTOR_SECRET: &str = "1a4cbbbeb8bdb7e1d73572b9cc43ce4ce18f79d9";
const VECTOR_T: i64 = 1_711_965_600_393;
const VECTOR_BODY: &str = r#"{"payment_id":"zfxnocsow6mz","receiver_id":990939,"subject":"TEST_COBRO","amount":"1000.0000","discount":"0.0000","currency":"CLP","receipt_url":"https:\/\/s3.amazonaws.com\/staging.notifications.khipu.com\/CPKH-1804240956-zfxnocsow6mz.pdf","bank":"DemoBank","bank_id":"Bawdf","payer_name":"Cobrador de desarrollo #990.939","payer_email":"test@khipu.com","personal_identifier":"44.444.444-4","bank_account_number":"000000000000444444444","out_of_date_conciliation":false,"transaction_id":"15f836bd-e8a7-4d12-b2f1-56403012b555","responsible_user_email":"test@khipu.com","payment_method":"simplified_transfer","conciliation_date":"2024-04-18T13:56:54.859Z"}"#;
const VECTOR_S: &str = "GYzpjnXlTKQ+BJY7pZJmrM6DZgWMSJdtOr/dleBKTdg=";

#[test]
fn the_independent_sha256_matches_known_digests() {
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    assert_eq!(
        hex(&sha256(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        hex(&sha256(b"")),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    // RFC 4231 test case 2.
    assert_eq!(
        hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert_eq!(VECTOR_BODY.len(), 655);
    assert_eq!(
        hex(&sha256(VECTOR_BODY.as_bytes())),
        "0153a7d05dbdd9c9f1848ba2a767d3763122e3e5a2d97e55113d39334ae9267b"
    );
}

#[test]
fn the_reference_vector_checks_against_the_sandbox_signing_function() {
    assert_eq!(
        pagos_sandbox::khipu_v3_signature(VECTOR_SECRET, VECTOR_T, VECTOR_BODY.as_bytes()),
        VECTOR_S
    );
    let header = format!("t={VECTOR_T},s={VECTOR_S}");
    assert_eq!(
        verify_khipu_signature(VECTOR_SECRET, &header, VECTOR_BODY.as_bytes()),
        Some(VECTOR_T)
    );
    // What must not verify.
    let unescaped = VECTOR_BODY.replace("\\/", "/");
    let spaced = format!("{VECTOR_BODY} ");
    let changed = VECTOR_BODY.replace("1000.0000", "9000.0000");
    for body in [unescaped.as_str(), spaced.as_str(), changed.as_str()] {
        assert_eq!(
            verify_khipu_signature(VECTOR_SECRET, &header, body.as_bytes()),
            None
        );
        assert_ne!(
            pagos_sandbox::khipu_v3_signature(VECTOR_SECRET, VECTOR_T, body.as_bytes()),
            VECTOR_S
        );
    }
    assert_eq!(
        verify_khipu_signature(
            "0000000000000000000000000000000000000000",
            &header,
            VECTOR_BODY.as_bytes()
        ),
        None
    );
}

// ---------------------------------------------------------------------------------------
// Helpers

pub(crate) fn v3_req(sb: &SandboxHandle, method: Method, path: &str) -> reqwest::RequestBuilder {
    http()
        .request(method, format!("{}{path}", sb.khipu_v3_base_url()))
        .header("x-api-key", &sb.credentials().khipu_api_key)
}

pub(crate) async fn v3(
    sb: &SandboxHandle,
    method: Method,
    path: &str,
    body: Option<&str>,
) -> (u16, Value) {
    let mut req = v3_req(sb, method, path);
    if let Some(body) = body {
        req = req
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    send_json(req).await
}

pub(crate) async fn create_v3_payment(sb: &SandboxHandle, extra: &str) -> String {
    let body = format!(r#"{{"amount":1000,"currency":"CLP","subject":"Cobro"{extra}}}"#);
    let (status, body) = v3(sb, Method::POST, "/v3/payments", Some(&body)).await;
    assert_eq!(status, 200, "{body}");
    body["payment_id"].as_str().unwrap().to_string()
}

async fn get_payment(sb: &SandboxHandle, id: &str) -> Value {
    let (status, body) = v3(sb, Method::GET, &format!("/v3/payments/{id}"), None).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn state_of(p: &Value) -> (String, String) {
    (
        p["status"].as_str().unwrap().to_string(),
        p["status_detail"].as_str().unwrap().to_string(),
    )
}

fn fields_of(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors[] in {body}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

/// What a loopback webhook receiver saw: headers and the raw body bytes.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// A merchant endpoint on 127.0.0.1 recording every POST; it answers the given statuses
/// in turn, then 200.
pub(crate) async fn hook(answers: &[u16]) -> (String, mpsc::UnboundedReceiver<Hit>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let answers = Arc::new(Mutex::new(answers.to_vec()));
    let app = axum::Router::new().route(
        "/webhooks/khipu",
        post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let (tx, answers) = (tx.clone(), Arc::clone(&answers));
                async move {
                    let _ = tx.send(Hit {
                        headers,
                        body: body.to_vec(),
                    });
                    let mut answers = answers.lock().unwrap();
                    let status = if answers.is_empty() {
                        200
                    } else {
                        answers.remove(0)
                    };
                    StatusCode::from_u16(status).unwrap()
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks/khipu", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

fn signature(hit: &Hit) -> String {
    hit.headers["x-khipu-signature"]
        .to_str()
        .unwrap()
        .to_string()
}

fn start_millis() -> i64 {
    i64::try_from(start_time().unix_timestamp_nanos() / 1_000_000).unwrap()
}

// ---------------------------------------------------------------------------------------
// Auth and errors

#[tokio::test]
async fn a_missing_or_wrong_api_key_is_a_401_with_the_v3_envelope() {
    let sb = sandbox().await;
    let url = format!("{}/v3/banks", sb.khipu_v3_base_url());
    let (status, body) = send_json(http().get(&url)).await;
    assert_eq!(status, 401);
    assert_eq!(body["status"], 401);
    assert!(
        body["message"].as_str().unwrap().contains("Credenciales"),
        "{body}"
    );
    let (status, body) = send_json(http().get(&url).header("x-api-key", "not-the-key")).await;
    assert_eq!((status, body["status"].clone()), (401, json!(401)));
    // The 2.0 secret is not an API key.
    let (status, _) = send_json(
        http()
            .get(&url)
            .header("x-api-key", &sb.credentials().khipu_secret),
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = send_json(
        http()
            .post(format!("{}/v3/payments", sb.khipu_v3_base_url()))
            .body(r#"{"amount":1000,"currency":"CLP","subject":"x"}"#),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(sb.record_counts().khipu_v3_payments, 0);
    let (status, body) = v3(&sb, Method::GET, "/v3/banks", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["banks"][0]["bank_id"], "Bawdf");
    assert_eq!(body["banks"][0]["min_amount"], json!(200));
    let (status, body) = v3(&sb, Method::GET, "/v3/nothing-here", None).await;
    assert_eq!((status, body["status"].clone()), (404, json!(404)));
}

#[tokio::test]
async fn create_payment_validates_like_khipu() {
    let sb = sandbox().await;
    let (status, body) = v3(&sb, Method::POST, "/v3/payments", Some("{}")).await;
    assert_eq!(status, 400);
    assert_eq!(body["status"], 400);
    assert_eq!(body["message"], "Error de validación");
    let mut fields = fields_of(&body);
    fields.sort();
    assert_eq!(fields, ["amount", "currency", "subject"]);
    let (status, body) = v3(&sb, Method::POST, "/v3/payments", Some("not json")).await;
    assert_eq!((status, body["status"].clone()), (400, json!(400)));

    // Amount precision per currency: CLP 0, CLF 4, the rest 2; never rounded.
    let cases = [
        ("CLP", "1000", true),
        ("CLP", "1000.00", true),
        ("CLP", "1000.5", false),
        ("CLF", "1.2345", true),
        ("CLF", "1.23456", false),
        ("USD", "10.25", true),
        ("USD", "10.255", false),
        ("ARS", "10.5", true),
        ("PEN", "10.05", true),
        ("MXN", "10.001", false),
        ("BOB", "7", true),
        ("EUR", "0.01", true),
        ("COP", "1000.10", true),
        ("CLP", "0", false),
        ("CLP", "-5", false),
        ("CLP", "1e3", false),
        ("CLP", "\"1000\"", false),
    ];
    for (currency, amount, ok) in cases {
        let body = format!(r#"{{"amount":{amount},"currency":"{currency}","subject":"x"}}"#);
        let (status, answer) = v3(&sb, Method::POST, "/v3/payments", Some(&body)).await;
        if ok {
            assert_eq!(status, 200, "{currency} {amount}: {answer}");
        } else {
            assert_eq!(status, 400, "{currency} {amount}: {answer}");
            assert_eq!(fields_of(&answer), ["amount"], "{currency} {amount}");
        }
    }
    let bad = [
        (r#""currency":"GBP""#, "currency"),
        (r#""notify_url":"ftp://x""#, "notify_url"),
        (r#""notify_api_version":"1.3""#, "notify_api_version"),
        (r#""payer_email":"nope""#, "payer_email"),
        (r#""send_email":true"#, "payer_name"),
        (r#""bank_id":"XXXXX""#, "bank_id"),
        (r#""expires_date":"2020-01-01T00:00:00Z""#, "expires_date"),
        (
            r#""contract_url":"https://x.cl/c.pdf""#,
            "fixed_payer_personal_identifier",
        ),
        (
            r#""mandatory_payment_method":"CASH""#,
            "mandatory_payment_method",
        ),
        (r#""subject":"""#, "subject"),
    ];
    for (extra, field) in bad {
        let mut object: serde_json::Map<String, Value> =
            serde_json::from_str(r#"{"amount":1000,"currency":"CLP","subject":"x"}"#).unwrap();
        let patch: serde_json::Map<String, Value> =
            serde_json::from_str(&format!("{{{extra}}}")).unwrap();
        object.extend(patch);
        let body = Value::Object(object).to_string();
        let (status, answer) = v3(&sb, Method::POST, "/v3/payments", Some(&body)).await;
        assert_eq!(status, 400, "{extra}: {answer}");
        assert!(
            fields_of(&answer).contains(&field.to_string()),
            "{extra}: {answer}"
        );
    }
    let long = "x".repeat(256);
    let body = format!(r#"{{"amount":1000,"currency":"CLP","subject":"{long}"}}"#);
    let (status, answer) = v3(&sb, Method::POST, "/v3/payments", Some(&body)).await;
    assert_eq!(
        (status, fields_of(&answer)),
        (400, vec!["subject".to_string()])
    );
}

#[tokio::test]
async fn a_payment_goes_pending_verifying_done_confirmed() {
    let sb = sandbox().await;
    let (status, created) = v3(
        &sb,
        Method::POST,
        "/v3/payments",
        Some(r#"{"amount":15000,"currency":"CLP","subject":"Cobro","transaction_id":"ORD-1","custom":"{\"carro\":\"c1\"}","bank_id":"Bawdf"}"#),
    )
    .await;
    assert_eq!(status, 200);
    let id = created["payment_id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 12);
    for key in [
        "payment_url",
        "simplified_transfer_url",
        "transfer_url",
        "app_url",
    ] {
        assert!(created[key].is_string(), "{key}");
    }
    assert_eq!(created["ready_for_terminal"], false);
    assert!(created.get("status").is_none(), "create answers no status");

    let p = get_payment(&sb, &id).await;
    assert_eq!(state_of(&p), ("pending".into(), "pending".into()));
    assert_eq!(p["amount"], "15000.0000");
    assert_eq!(p["discount"], "0.0000");
    assert_eq!(p["receiver_id"], json!(1234));
    assert_eq!(p["transaction_id"], "ORD-1");
    assert_eq!(p["custom"], "{\"carro\":\"c1\"}");
    assert_eq!(p["notification_token"].as_str().unwrap().len(), 64);
    assert!(p.get("refunds").is_none());

    assert_eq!(
        sb.verify(Provider::KhipuV3, &id).unwrap().status,
        "verifying/pending"
    );
    assert_eq!(state_of(&get_payment(&sb, &id).await).0, "verifying");
    assert_eq!(
        sb.pay(Provider::KhipuV3, &id).unwrap().status,
        "done/normal"
    );
    let p = get_payment(&sb, &id).await;
    assert_eq!(state_of(&p), ("done".into(), "normal".into()));
    assert_eq!(p["conciliation_date"], "2030-01-15T12:00:00.000Z");
    assert_eq!(p["payment_method"], "simplified_transfer");
    assert_eq!(p["bank"], "DemoBank");
    // Paying twice is refused.
    assert!(matches!(
        sb.pay(Provider::KhipuV3, &id),
        Err(pagos_sandbox::Error::NotAllowed { .. })
    ));

    // It cannot be deleted once paid.
    let (status, body) = v3(&sb, Method::DELETE, &format!("/v3/payments/{id}"), None).await;
    assert_eq!((status, body["status"].clone()), (400, json!(400)));
    let (status, body) = v3(
        &sb,
        Method::POST,
        &format!("/v3/payments/{id}/confirm"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["message"].is_string());
    let (status, _) = v3(
        &sb,
        Method::POST,
        &format!("/v3/payments/{id}/confirm"),
        None,
    )
    .await;
    assert_eq!(status, 400, "confirming twice");
    // Confirmed (rendered): no void, no refund before settlement.
    let (status, _) = v3(&sb, Method::POST, &format!("/v3/payments/{id}/void"), None).await;
    assert_eq!(status, 400);
    let (status, _) = v3(
        &sb,
        Method::POST,
        &format!("/v3/payments/{id}/refunds"),
        None,
    )
    .await;
    assert_eq!(status, 400);

    // Another receiver's id, or none: 404.
    let (status, body) = v3(&sb, Method::GET, "/v3/payments/nosuchpayment", None).await;
    assert_eq!((status, body["status"].clone()), (404, json!(404)));
}

#[tokio::test]
async fn pending_payments_are_deleted_rejected_or_expire() {
    let sb = sandbox().await;
    let id = create_v3_payment(&sb, "").await;
    // Confirm, void and refunds need a paid payment.
    for action in ["confirm", "void", "refunds"] {
        let (status, _) = v3(
            &sb,
            Method::POST,
            &format!("/v3/payments/{id}/{action}"),
            None,
        )
        .await;
        assert_eq!(status, 400, "{action}");
    }
    let (status, body) = v3(&sb, Method::DELETE, &format!("/v3/payments/{id}"), None).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["message"].is_string());
    // Still queryable, with status `deleted`; cannot be paid or deleted again.
    assert_eq!(state_of(&get_payment(&sb, &id).await).0, "deleted");
    assert!(sb.pay(Provider::KhipuV3, &id).is_err());
    let (status, _) = v3(&sb, Method::DELETE, &format!("/v3/payments/{id}"), None).await;
    assert_eq!(status, 400);

    let id = create_v3_payment(&sb, "").await;
    assert_eq!(
        sb.reject(Provider::KhipuV3, &id).unwrap().status,
        "pending/rejected-by-payer"
    );
    assert!(sb.pay(Provider::KhipuV3, &id).is_err());

    let id = create_v3_payment(&sb, "").await;
    sb.expire(Provider::KhipuV3, &id).unwrap();
    let (status, body) =
        send_json(http().post(format!("{}/khipu_v3/{id}/pay", sb.control_url()))).await;
    assert_eq!(status, 409, "{body}");
    // `sign` is for subscriptions only.
    let id = create_v3_payment(&sb, "").await;
    assert!(matches!(
        sb.sign(Provider::KhipuV3, &id),
        Err(pagos_sandbox::Error::Unsupported { .. })
    ));
    assert_eq!(sb.record_counts().khipu_v3_payments, 4);
}

#[tokio::test]
async fn void_reverses_a_paid_payment_in_full() {
    let sb = sandbox().await;
    let id = create_v3_payment(&sb, "").await;
    sb.pay(Provider::KhipuV3, &id).unwrap();
    let (status, body) = v3(&sb, Method::POST, &format!("/v3/payments/{id}/void"), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        state_of(&get_payment(&sb, &id).await),
        ("done".into(), "reversed".into())
    );
    let (status, _) = v3(&sb, Method::POST, &format!("/v3/payments/{id}/void"), None).await;
    assert_eq!(status, 400, "voiding twice");
    let (status, body) = v3(
        &sb,
        Method::POST,
        "/v3/refunds",
        Some(&format!(r#"{{"type":"full","payment_id":"{id}"}}"#)),
    )
    .await;
    assert_eq!(
        (status, fields_of(&body)),
        (400, vec!["payment_id".to_string()])
    );
}

#[tokio::test]
async fn wallet_refunds_partial_full_and_over_refund() {
    let sb = sandbox().await;
    let (_, balance) = v3(&sb, Method::GET, "/v3/refund-wallet/balance", None).await;
    assert_eq!(balance["balance"], "1000000.0000");
    assert_eq!(balance["currency"], "CLP");

    let id = create_v3_payment(&sb, "").await;
    let refund = |body: String| {
        let sb = &sb;
        async move { v3(sb, Method::POST, "/v3/refunds", Some(&body)).await }
    };
    // Not paid yet: not refundable.
    let (status, body) = refund(format!(r#"{{"type":"full","payment_id":"{id}"}}"#)).await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["field"], "payment_id");
    assert_eq!(
        body["errors"][0]["message"],
        format!("El pago con ID {id} no es reembolsable")
    );
    sb.pay(Provider::KhipuV3, &id).unwrap();

    // Shape errors.
    for (body, field) in [
        (
            format!(r#"{{"type":"partial","payment_id":"{id}"}}"#),
            "amount",
        ),
        (
            format!(r#"{{"type":"full","payment_id":"{id}","amount":"5"}}"#),
            "amount",
        ),
        (format!(r#"{{"type":"some","payment_id":"{id}"}}"#), "type"),
        (r#"{"type":"full"}"#.to_string(), "payment_id"),
        (
            format!(r#"{{"type":"partial","payment_id":"{id}","amount":"1.5"}}"#),
            "amount",
        ),
        (
            format!(r#"{{"type":"partial","payment_id":"{id}","amount":300}}"#),
            "amount",
        ),
    ] {
        let (status, answer) = refund(body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(fields_of(&answer), [field], "{body}");
    }

    let (status, body) = refund(format!(
        r#"{{"type":"partial","payment_id":"{id}","amount":"300"}}"#
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["payment_id"], id.as_str());
    assert_eq!(body["refunded_amount"], "300.0000");
    assert_eq!(body["total_refunded"], "300.0000");
    assert_eq!(body["remaining"], "700.0000");
    assert_eq!(body["currency"], "CLP");
    assert!(body.get("message").is_none());
    let refund_id = body["id"].as_str().unwrap().to_string();

    let p = get_payment(&sb, &id).await;
    assert_eq!(state_of(&p), ("done".into(), "partially-refunded".into()));
    assert_eq!(p["total_refunded"], "300.0000");
    assert_eq!(p["refunds"][0]["id"], refund_id.as_str());
    assert_eq!(p["refunds"][0]["amount"], "300.0000");
    assert_eq!(p["refunds"][0]["status"], "authorized");
    assert_eq!(p["refunds"][0]["currency"], "CLP");
    let (_, balance) = v3(&sb, Method::GET, "/v3/refund-wallet/balance", None).await;
    assert_eq!(balance["balance"], "999700.0000");

    // Beyond what is left: refused, nothing changes.
    let (status, body) = refund(format!(
        r#"{{"type":"partial","payment_id":"{id}","amount":"701"}}"#
    ))
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["field"], "amount");
    assert_eq!(
        body["errors"][0]["message"],
        "El monto 701 excede el saldo reembolsable del pago"
    );
    assert_eq!(
        get_payment(&sb, &id).await["refunds"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The full refund takes the rest.
    let (status, body) = refund(format!(r#"{{"type":"full","payment_id":"{id}"}}"#)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["refunded_amount"], "700.0000");
    assert_eq!(body["total_refunded"], "1000.0000");
    assert_eq!(body["remaining"], "0.0000");
    let p = get_payment(&sb, &id).await;
    assert_eq!(state_of(&p), ("done".into(), "fully-refunded".into()));
    assert_eq!(p["refunds"].as_array().unwrap().len(), 2);
    let (_, balance) = v3(&sb, Method::GET, "/v3/refund-wallet/balance", None).await;
    assert_eq!(balance["balance"], "999000.0000");
    let (status, body) = refund(format!(
        r#"{{"type":"partial","payment_id":"{id}","amount":"1"}}"#
    ))
    .await;
    assert_eq!(
        (status, fields_of(&body)),
        (400, vec!["payment_id".to_string()])
    );
    assert_eq!(sb.record_counts().khipu_v3_refunds, 2);
}

#[tokio::test]
async fn a_refund_the_wallet_cannot_cover_stays_pending_with_a_warning() {
    let sb = sandbox().await;
    let id = create_v3_payment(&sb, "").await;
    // A second, large payment drains the wallet.
    let (_, big) = v3(
        &sb,
        Method::POST,
        "/v3/payments",
        Some(r#"{"amount":1000000,"currency":"CLP","subject":"grande"}"#),
    )
    .await;
    let big = big["payment_id"].as_str().unwrap().to_string();
    sb.pay(Provider::KhipuV3, &big).unwrap();
    sb.pay(Provider::KhipuV3, &id).unwrap();
    let (status, _) = v3(
        &sb,
        Method::POST,
        "/v3/refunds",
        Some(&format!(r#"{{"type":"full","payment_id":"{big}"}}"#)),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = v3(
        &sb,
        Method::POST,
        "/v3/refunds",
        Some(&format!(r#"{{"type":"full","payment_id":"{id}"}}"#)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["message"], "Saldo de la billetera insuficiente");
    assert_eq!(
        get_payment(&sb, &id).await["refunds"][0]["status"],
        "pending"
    );
    let (_, balance) = v3(&sb, Method::GET, "/v3/refund-wallet/balance", None).await;
    assert_eq!(balance["balance"], "0.0000");
}

#[tokio::test]
async fn refunds_before_settlement_take_an_optional_amount() {
    let sb = sandbox().await;
    let (_, created) = v3(
        &sb,
        Method::POST,
        "/v3/payments",
        Some(r#"{"amount":10.50,"currency":"USD","subject":"usd"}"#),
    )
    .await;
    let id = created["payment_id"].as_str().unwrap().to_string();
    sb.pay(Provider::KhipuV3, &id).unwrap();
    let path = format!("/v3/payments/{id}/refunds");
    let (status, body) = v3(&sb, Method::POST, &path, Some(r#"{"amount":10.501}"#)).await;
    assert_eq!(
        (status, fields_of(&body)),
        (400, vec!["amount".to_string()])
    );
    let (status, body) = v3(&sb, Method::POST, &path, Some(r#"{"amount":11}"#)).await;
    assert_eq!(
        (status, fields_of(&body)),
        (400, vec!["amount".to_string()])
    );
    let (status, body) = v3(&sb, Method::POST, &path, Some(r#"{"amount":0.25}"#)).await;
    assert_eq!(status, 200, "{body}");
    let p = get_payment(&sb, &id).await;
    assert_eq!(p["amount"], "10.5000");
    assert_eq!(p["status_detail"], "partially-refunded");
    assert_eq!(p["total_refunded"], "0.2500");
    // No amount: the rest. The wallet is not touched by these.
    let (status, _) = v3(&sb, Method::POST, &path, None).await;
    assert_eq!(status, 200);
    let p = get_payment(&sb, &id).await;
    assert_eq!(p["status_detail"], "fully-refunded");
    assert_eq!(p["total_refunded"], "10.5000");
    let (status, _) = v3(&sb, Method::POST, &path, None).await;
    assert_eq!(status, 400, "nothing left");
    let (_, balance) = v3(&sb, Method::GET, "/v3/refund-wallet/balance", None).await;
    assert_eq!(balance["balance"], "1000000.0000");
}

#[tokio::test]
async fn predictions_banks_and_payment_methods() {
    let sb = sandbox().await;
    let q = |amount: &str| {
        format!("/v3/predict?payer_email=a%40b.cl&bank_id=Bawdf&amount={amount}&currency=CLP")
    };
    let (status, body) = v3(&sb, Method::GET, &q("1000"), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"], "OK");
    assert_eq!(body["max_amount"], json!(5_000_000));
    assert_eq!(body["new_destinatary_max_amount"], json!(500_000));
    assert!(body["cool_down_date"].is_string());
    let (_, body) = v3(&sb, Method::GET, &q("600000"), None).await;
    assert_eq!(body["result"], "NEW_DESTINATARY_AMOUNT_EXCEEDED");
    let (_, body) = v3(&sb, Method::GET, &q("6000000"), None).await;
    assert_eq!(body["result"], "MAX_AMOUNT_EXCEEDED");
    let (status, body) = v3(&sb, Method::GET, &q("10.5"), None).await;
    assert_eq!(
        (status, fields_of(&body)),
        (400, vec!["amount".to_string()])
    );
    let (status, body) = v3(&sb, Method::GET, "/v3/predict?amount=1000", None).await;
    assert_eq!(status, 400);
    let mut fields = fields_of(&body);
    fields.sort();
    assert_eq!(fields, ["bank_id", "currency", "payer_email"]);

    let (status, body) = v3(
        &sb,
        Method::GET,
        "/v3/predict/all?payer_email=a%40b.cl&amount=1000&currency=CLP",
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, banks) = v3(&sb, Method::GET, "/v3/banks", None).await;
    let ids: Vec<&Value> = body["banks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["bank_id"])
        .collect();
    let bank_ids: Vec<&Value> = banks["banks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["bank_id"])
        .collect();
    assert_eq!(ids, bank_ids, "every bank, in the same order");
    assert_eq!(body["banks"][0]["result"], "OK");

    let (status, body) = v3(&sb, Method::GET, "/v3/merchants/1234/paymentMethods", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["paymentMethods"][0]["id"], "SIMPLIFIED_TRANSFER");
    assert_eq!(body["paymentMethods"][1]["id"], "REGULAR_TRANSFER");
    let (status, body) = v3(&sb, Method::GET, "/v3/merchants/999/paymentMethods", None).await;
    assert_eq!((status, body["status"].clone()), (404, json!(404)));

    // A mandatory method is taken.
    let id = create_v3_payment(&sb, r#","mandatory_payment_method":"REGULAR_TRANSFER""#).await;
    assert_eq!(
        get_payment(&sb, &id).await["payment_method"],
        "regular_transfer"
    );
}

fn receiver_body(name: &str) -> String {
    json!({
        "admin_first_name": "Ana", "admin_last_name": "Pérez", "admin_email": "ana@example.cl",
        "country_code": "CL", "business_identifier": "76.123.456-7", "business_category": "RETAIL",
        "business_name": name, "business_phone": "+56911111111",
        "business_address_line_1": "Av. Siempre Viva 123", "business_address_line_2": "Santiago",
        "business_address_line_3": "Región Metropolitana", "contact_full_name": "Ana Pérez",
        "contact_job_title": "Gerente", "contact_email": "ana@example.cl", "contact_phone": "+56911111111",
    })
    .to_string()
}

#[tokio::test]
async fn receivers_and_their_children() {
    let sb = sandbox().await;
    let (status, body) = v3(&sb, Method::POST, "/v3/receivers", Some("{}")).await;
    assert_eq!(status, 400);
    assert_eq!(fields_of(&body).len(), 15);
    let (status, b) = v3(
        &sb,
        Method::POST,
        "/v3/receivers",
        Some(&receiver_body("Zeta")),
    )
    .await;
    assert_eq!(status, 200, "{b}");
    let (_, a) = v3(
        &sb,
        Method::POST,
        "/v3/receivers",
        Some(&receiver_body("Alfa")),
    )
    .await;
    assert!(b["receiver_id"].is_string());
    assert_eq!(b["secret"].as_str().unwrap().len(), 40);
    let child_key = b["api_key"].as_str().unwrap().to_string();
    assert_eq!(child_key.len(), 36);

    let (status, list) = v3(&sb, Method::GET, "/v3/receivers/children", None).await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 2);
    assert_eq!(list["receivers"][0]["name"], "Zeta");
    let (_, list) = v3(
        &sb,
        Method::GET,
        "/v3/receivers/children?sort=name&order=asc&max=1",
        None,
    )
    .await;
    assert_eq!(list["total"], 2);
    assert_eq!(list["receivers"].as_array().unwrap().len(), 1);
    assert_eq!(list["receivers"][0]["name"], "Alfa");
    let (_, list) = v3(&sb, Method::GET, "/v3/receivers/children?offset=1", None).await;
    assert_eq!(list["receivers"][0]["name"], "Alfa");
    let (status, _) = v3(&sb, Method::GET, "/v3/receivers/children?sort=size", None).await;
    assert_eq!(status, 400);

    // The child's key works, on its own account: the parent does not see its payments.
    let child = |method: Method, path: &str| {
        http()
            .request(method, format!("{}{path}", sb.khipu_v3_base_url()))
            .header("x-api-key", &child_key)
    };
    let (status, created) = send_json(
        child(Method::POST, "/v3/payments")
            .body(r#"{"amount":500,"currency":"CLP","subject":"hijo"}"#),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let id = created["payment_id"].as_str().unwrap();
    let (status, p) = send_json(child(Method::GET, &format!("/v3/payments/{id}"))).await;
    assert_eq!(status, 200);
    assert_eq!(
        p["receiver_id"].to_string(),
        b["receiver_id"].as_str().unwrap()
    );
    let (status, _) = v3(&sb, Method::GET, &format!("/v3/payments/{id}"), None).await;
    assert_eq!(status, 404);
    // The parent may read its child's payment methods.
    let path = format!(
        "/v3/merchants/{}/paymentMethods",
        a["receiver_id"].as_str().unwrap()
    );
    assert_eq!(v3(&sb, Method::GET, &path, None).await.0, 200);
}

// ---------------------------------------------------------------------------------------
// Webhooks

#[tokio::test]
async fn the_paid_webhook_is_signed_byte_exact_and_retried_until_a_200() {
    let sb = sandbox().await;
    // 201 and 204 are not the 200 Khipu waits for.
    let (url, mut hits) = hook(&[500, 201]).await;
    let id = create_v3_payment(
        &sb,
        &format!(
            r#","notify_url":"{url}","notify_api_version":"3.0","transaction_id":"ORD/7","payer_name":"Ana Pérez""#
        ),
    )
    .await;
    // The test pays it through the control API, as a demo would.
    let (status, outcome) =
        send_json(http().post(format!("{}/khipu_v3/{id}/pay", sb.control_url()))).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["status"], "done/normal");

    let first = hits.recv().await.unwrap();
    let second = hits.recv().await.unwrap();
    let third = hits.recv().await.unwrap();
    sb.notifications_settled().await;
    assert_eq!(first.body, second.body);
    assert_eq!(first.body, third.body);
    assert_eq!(signature(&first), signature(&third));
    assert_eq!(first.headers["content-type"], "application/json");

    let header = signature(&first);
    let secret = &sb.credentials().khipu_secret;
    assert_eq!(
        verify_khipu_signature(secret, &header, &first.body),
        Some(start_millis()),
        "t is the sandbox time in milliseconds"
    );
    // Not with the API key.
    assert_eq!(
        verify_khipu_signature(&sb.credentials().khipu_api_key, &header, &first.body),
        None
    );
    let text = String::from_utf8(first.body.clone()).unwrap();
    assert!(text.contains(r#""transaction_id":"ORD\/7""#), "{text}");
    assert!(text.contains(r#"http:\/\/127.0.0.1"#), "{text}");
    assert!(text.contains(r#""payer_name":"Ana P\u00e9rez""#), "{text}");
    assert!(
        !text.replace("\\/", "").contains('/'),
        "every slash escaped: {text}"
    );
    assert!(text.starts_with(&format!(r#"{{"payment_id":"{id}","receiver_id":1234,"subject":"Cobro","amount":"1000.0000","discount":"0.0000","currency":"CLP","#)), "{text}");
    assert!(text.ends_with(r#""payment_method":"simplified_transfer","conciliation_date":"2030-01-15T12:00:00.000Z"}"#), "{text}");
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed["transaction_id"], "ORD/7");
    assert!(parsed.get("status").is_none(), "the webhook has no status");

    let notes = sb.notifications();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].provider, Provider::KhipuV3);
    assert_eq!(notes[0].state, DeliveryState::Delivered);
    let statuses: Vec<Option<u16>> = notes[0].attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(500), Some(201), Some(200)]);
    assert_eq!(notes[0].headers["x-khipu-signature"], header);
    assert_eq!(notes[0].body.as_bytes(), first.body.as_slice());
}

#[tokio::test]
async fn the_webhook_gives_up_after_the_bounded_attempts() {
    let sb = sandbox().await;
    let (url, mut hits) = hook(&[503, 503, 503, 503]).await;
    let id = create_v3_payment(&sb, &format!(r#","notify_url":"{url}""#)).await;
    sb.pay(Provider::KhipuV3, &id).unwrap();
    for _ in 0..3 {
        hits.recv().await.unwrap();
    }
    sb.notifications_settled().await;
    let notes = sb.notifications();
    assert_eq!(notes[0].state, DeliveryState::Failed);
    assert_eq!(notes[0].attempts.len(), 3, "the policy's max_attempts");
    // Without notify_url nothing is sent.
    let quiet = create_v3_payment(&sb, "").await;
    sb.pay(Provider::KhipuV3, &quiet).unwrap();
    sb.notifications_settled().await;
    assert_eq!(sb.notifications().len(), 1);
}

#[tokio::test]
async fn a_rejected_payment_is_notified_too() {
    let sb = sandbox().await;
    let (url, mut hits) = hook(&[]).await;
    let id = create_v3_payment(&sb, &format!(r#","notify_url":"{url}""#)).await;
    sb.reject(Provider::KhipuV3, &id).unwrap();
    let hit = hits.recv().await.unwrap();
    assert!(
        verify_khipu_signature(&sb.credentials().khipu_secret, &signature(&hit), &hit.body)
            .is_some()
    );
    let body: Value = serde_json::from_slice(&hit.body).unwrap();
    assert_eq!(body["payment_id"], id.as_str());
    assert!(body.get("conciliation_date").is_none(), "not reconciled");
}

#[tokio::test]
async fn webhook_faults_bad_signature_duplicate_and_delay() {
    let sb = sandbox().await;
    let secret = sb.credentials().khipu_secret.clone();
    let (url, mut hits) = hook(&[]).await;

    // Over the control API, like the request faults.
    let (status, _) = send_json(
        http()
            .post(format!("{}/faults", sb.control_url()))
            .json(&json!({ "kind": { "type": "notify_bad_signature" }, "provider": "khipu_v3" })),
    )
    .await;
    assert_eq!(status, 201);
    let id = create_v3_payment(&sb, &format!(r#","notify_url":"{url}""#)).await;
    // The fault is not used up by requests.
    assert_eq!(sb.faults().len(), 1);
    sb.pay(Provider::KhipuV3, &id).unwrap();
    let bad = hits.recv().await.unwrap();
    assert!(signature(&bad).starts_with(&format!("t={},s=", start_millis())));
    assert_eq!(
        verify_khipu_signature(&secret, &signature(&bad), &bad.body),
        None
    );
    assert!(sb.faults().is_empty());

    sb.inject_fault(Fault::new(FaultKind::NotifyDuplicate).provider(Provider::KhipuV3));
    let id = create_v3_payment(&sb, &format!(r#","notify_url":"{url}""#)).await;
    sb.pay(Provider::KhipuV3, &id).unwrap();
    let one = hits.recv().await.unwrap();
    let two = hits.recv().await.unwrap();
    assert_eq!(one.body, two.body);
    assert_eq!(signature(&one), signature(&two));
    assert!(verify_khipu_signature(&secret, &signature(&one), &one.body).is_some());

    sb.inject_fault(
        Fault::new(FaultKind::NotifyDelay { millis: 150 })
            .provider(Provider::KhipuV3)
            .route("/webhooks"),
    );
    let id = create_v3_payment(&sb, &format!(r#","notify_url":"{url}""#)).await;
    let started = Instant::now();
    sb.pay(Provider::KhipuV3, &id).unwrap();
    let late = hits.recv().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert!(verify_khipu_signature(&secret, &signature(&late), &late.body).is_some());
    sb.notifications_settled().await;
    let faults: Vec<Option<String>> = sb.notifications().iter().map(|n| n.fault.clone()).collect();
    assert_eq!(
        faults,
        [
            Some("notify_bad_signature".to_string()),
            Some("notify_duplicate".to_string()),
            Some("notify_duplicate".to_string()),
            Some("notify_delay".to_string()),
        ]
    );
}

#[tokio::test]
async fn request_faults_answer_the_v3_envelope() {
    let sb = sandbox().await;
    sb.inject_fault(
        Fault::new(FaultKind::Status { status: 503 })
            .provider(Provider::KhipuV3)
            .route("/v3/payments")
            .method("POST"),
    );
    let (status, body) = v3(
        &sb,
        Method::POST,
        "/v3/payments",
        Some(r#"{"amount":1000,"currency":"CLP","subject":"x"}"#),
    )
    .await;
    assert_eq!((status, body["status"].clone()), (503, json!(503)));
    assert_eq!(sb.record_counts().khipu_v3_payments, 0, "not processed");
    let log = sb.request_log();
    assert_eq!(log[0].provider, Provider::KhipuV3);
    assert_eq!(log[0].path, "/khipu_v3/v3/payments");
    assert_eq!(log[0].fault.as_deref(), Some("status"));
}

#[tokio::test]
async fn env_vars_carry_the_api_key_and_the_v3_base_url() {
    let sb = sandbox().await;
    let vars = sb.khipu_v3_env_vars();
    assert!(
        !sb.env_vars()
            .iter()
            .any(|(n, _)| n == "PAGOS_KHIPU_API_KEY"),
        "env_vars keeps Khipu on 2.0"
    );
    let lookup = |name: &str| {
        vars.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    let base = lookup("PAGOS_KHIPU_V3_BASE_URL");
    assert_eq!(base, sb.khipu_v3_base_url());
    assert!(base.ends_with("/khipu_v3"));
    assert_eq!(sb.base_urls().khipu_v3, base);
    let key = lookup("PAGOS_KHIPU_API_KEY");
    assert_eq!(lookup("PAGOS_KHIPU_SECRET"), sb.credentials().khipu_secret);
    assert!(
        sb.summary()
            .contains(&format!("export PAGOS_KHIPU_API_KEY={key}\n"))
    );
    assert!(
        !format!("{:?}", sb.credentials()).contains(&key),
        "Debug hides the key"
    );
    // A client needs only the base URL and the key: Khipu's paths beneath it.
    let (status, _) = send_json(
        http()
            .get(format!("{base}/v3/banks"))
            .header("x-api-key", &key),
    )
    .await;
    assert_eq!(status, 200);
    // Keys from the environment are honoured.
    let creds = pagos_sandbox::Credentials::from_lookup(|n| {
        (n == "PAGOS_KHIPU_API_KEY").then(|| "my-key".to_string())
    });
    let other = pagos_sandbox::start(config().credentials(creds).build())
        .await
        .unwrap();
    let (status, _) = send_json(
        http()
            .get(format!("{}/v3/banks", other.khipu_v3_base_url()))
            .header("x-api-key", "my-key"),
    )
    .await;
    assert_eq!(status, 200);
}
