//! The secret and the signature it produces never show in `Debug` output or errors.

use pagos_khipu::payments::CreatePayment;
use pagos_khipu::{CreatePaymentRequest, KhipuClient};

use crate::support::*;

#[tokio::test]
async fn secret_never_appears_in_debug_or_errors() {
    let fake = Recorder::new();
    fake.always(403, ERROR_403);
    let secret = "super-secret-value-123";
    let client = KhipuClient::builder()
        .receiver_id(RECEIVER)
        .secret(secret)
        .base_url(BASE)
        .unwrap()
        .transport(transport_with(fake.clone()))
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains(secret));
    assert!(!format!("{:?}", client.executor()).contains(secret));
    let req = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    let prepared = signed(&client, &CreatePayment::new(&req)).await;
    let auth = header(&prepared, "authorization").to_string();
    assert!(!format!("{prepared:?}").contains(&auth[7..]));
    let err = client.payments().create(&req).await.unwrap_err();
    let text = format!("{err:?} {err}");
    assert!(!text.contains(secret), "{text}");
    assert!(!text.contains(&auth[7..]), "{text}");
    let builder = KhipuClient::builder().secret(secret);
    assert!(!format!("{builder:?}").contains(secret));
    // The refused request was sent once, signed with the secret.
    assert_eq!(fake.calls(), 1);
    assert_eq!(header(&fake.requests()[0], "authorization"), auth);
}
