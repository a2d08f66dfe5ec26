//! Khipu's fixed reference vectors (receiver `1234`, secret `abc123`) through the
//! client's request descriptions: every endpoint is signed by the client's
//! [`KhipuSignature`] strategy from the request it describes.

use pagos_khipu::payments::{CreatePayment, GetPayment, GetPaymentByNotificationToken};
use pagos_khipu::{CreatePaymentRequest, KhipuClient, KhipuSignature, signature};

use crate::support::{clp, header, ref_authorization, signed, url};

fn reference_client() -> KhipuClient {
    KhipuClient::builder()
        .receiver_id("1234")
        .secret("abc123")
        .build()
        .unwrap()
}

#[tokio::test]
async fn reference_vectors_through_the_client() {
    let client = reference_client();
    let auth = |r: &pagos_khipu::Request| header(r, "authorization").to_string();

    let req = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    let prepared = signed(&client, &CreatePayment::new(&req)).await;
    assert_eq!(
        prepared.url().as_str(),
        "https://khipu.com/api/2.0/payments"
    );
    assert_eq!(
        prepared.body_bytes(),
        b"subject=Test&currency=CLP&amount=1000"
    );
    assert_eq!(
        auth(&prepared),
        "1234:59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659"
    );

    let req = CreatePaymentRequest::builder("ejemplo de compra", clp("1000"))
        .build()
        .unwrap();
    let prepared = signed(&client, &CreatePayment::new(&req)).await;
    assert_eq!(
        prepared.body_bytes(),
        b"subject=ejemplo+de+compra&currency=CLP&amount=1000"
    );
    assert_eq!(
        auth(&prepared),
        "1234:7a1c8e431b41b4546140f03d7e818633519d699f6bd095afeae3a9a352091377"
    );

    let prepared = signed(&client, &GetPayment::new("abc123xyz")).await;
    assert_eq!(
        auth(&prepared),
        "1234:1b01c7a5841ff0ce39e1ee0563aeeca0531793df1d4ab5ca22bf28c054b7d4dc"
    );

    let prepared = signed(&client, &GetPaymentByNotificationToken::new("XYZ")).await;
    assert_eq!(
        prepared.url().as_str(),
        "https://khipu.com/api/2.0/payments?notification_token=XYZ"
    );
    assert_eq!(
        auth(&prepared),
        "1234:1b8a311b0ae3de5db79964400a7b4936a4f7007ae82c440fa16027c389ef095d"
    );
    // The signature never shows in a request's Debug output.
    assert!(!format!("{prepared:?}").contains("1b8a311b"));
}

#[tokio::test]
async fn the_unsigned_description_signs_to_the_same_header() {
    // `describe` leaves the credentials out; the strategy signs that very request.
    let client = reference_client();
    let req = CreatePaymentRequest::builder("Test", clp("1000"))
        .build()
        .unwrap();
    let endpoint = CreatePayment::new(&req);
    let described = client.executor().describe(&endpoint).unwrap();
    assert!(described.header_str("authorization").is_none());
    assert_eq!(
        signature::request_string_to_sign(&described),
        "POST&https%3A%2F%2Fkhipu.com%2Fapi%2F2.0%2Fpayments&amount=1000&currency=CLP&subject=Test"
    );
    let signer = KhipuSignature::new("1234", "abc123");
    assert_eq!(
        signer.authorization(&described),
        header(&signed(&client, &endpoint).await, "authorization")
    );
    assert_eq!(client.executor().auth().receiver_id(), "1234");
}

#[test]
fn the_public_signature_function_agrees_with_an_independent_one() {
    let url = url("/payments");
    assert_eq!(
        ref_authorization(
            "POST",
            &url,
            &[("subject", "Test"), ("currency", "CLP"), ("amount", "1000")],
        ),
        signature::authorization(
            crate::support::RECEIVER,
            crate::support::SECRET,
            "POST",
            &url,
            &[
                ("amount", Some("1000")),
                ("currency", Some("CLP")),
                ("subject", Some("Test"))
            ]
        )
    );
}
