//! The keys never print: not in the builder, the client, a described request or an
//! error.

use pagos_compropago::{Client, GetOrder};

use crate::*;

#[tokio::test]
async fn keys_never_appear_in_debug_output_or_errors() {
    let builder = Client::builder().private_key(SK).public_key(PK);
    let refused = Recorder::answering(401, r#"{"code":401,"message":"Invalid API keys"}"#);
    let garbage = Recorder::answering(200, "garbage");
    let e1 = scripted(&refused).accounts().list().await.unwrap_err();
    let e2 = scripted(&garbage)
        .orders()
        .create(&seed_order())
        .await
        .unwrap_err();
    let c = client();
    let request = c
        .executor()
        .authorized(&GetOrder::new(ORDER_ID))
        .await
        .unwrap();
    // The request carries the credentials, marked sensitive.
    assert_eq!(request.header_str("authorization"), Some(BASIC));
    assert!(request.headers()["authorization"].is_sensitive());
    for text in [
        format!("{builder:?}"),
        format!("{c:?}"),
        format!("{:?}", c.executor()),
        format!("{request:?}"),
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
