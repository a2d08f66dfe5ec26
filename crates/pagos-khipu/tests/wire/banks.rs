//! Banks: `GET /banks`.

use futures_util::StreamExt;
use pagos_core::Decimal;
use pagos_core::transport::Idempotency;
use pagos_khipu::ListBanks;

use crate::support::*;

#[tokio::test]
async fn list_banks_wire() {
    let endpoint = ListBanks::new();
    let r = signed(&client(), &endpoint).await;
    assert_eq!(r.method().as_str(), "GET");
    assert_eq!(r.url().path(), format!("{PREFIX}/banks"));
    assert_eq!(r.url().query(), None);
    assert_khipu_headers(&r, &ref_authorization("GET", &url("/banks"), &[]));
    assert!(r.body_bytes().is_empty());
    assert_eq!(r.idempotency(), Idempotency::Read);

    let page = parse(&endpoint, BANKS);
    assert!(!page.has_more);
    assert_eq!(page.raw.get(), BANKS.trim_end());
    let banks = page.items;
    assert_eq!(banks.len(), 2);
    assert_eq!(banks[0].bank_id, "SDdGj");
    assert_eq!(banks[0].name.as_deref(), Some("Banco Estado"));
    assert_eq!(
        banks[0].message.as_deref(),
        Some("Tarifa de $300 de transferencia a otros bancos, usando CuentaRUT.")
    );
    assert_eq!(banks[0].min_amount, Some(Decimal::new(1000, 0)));
    assert_eq!(banks[0].bank_type.as_deref(), Some("Persona"));
    assert_eq!(banks[0].parent.as_deref(), Some(""));
    assert!(banks[0].logo_url.is_some());
    assert_eq!(banks[1].min_amount.unwrap().to_string(), "200.0000");
    assert_eq!(banks[1].parent.as_deref(), Some("SDdGj"));
    assert_eq!(banks[1].logo_url, None);
}

#[test]
fn a_null_list_is_an_empty_page() {
    let page = parse(&ListBanks::new(), r#"{"banks":null}"#);
    assert!(page.items.is_empty());
    assert!(!page.has_more);
}

#[tokio::test]
async fn the_handle_and_the_stream_read_the_one_page() {
    let (client, fake) = fake_client();
    fake.route("GET", "/banks", 200, BANKS);
    let page = client.banks().list().await.unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.raw.get(), BANKS.trim_end());
    let ids: Vec<String> = client
        .banks()
        .stream()
        .map(|bank| bank.unwrap().bank_id)
        .collect()
        .await;
    assert_eq!(ids, ["SDdGj", "Bawdf"]);
    // One request for the list, one for the stream: the list has no next page.
    assert_eq!(fake.calls(), 2);
    // A refusal ends the stream with the error.
    let (client, fake) = fake_client();
    fake.route("GET", "/banks", 403, ERROR_403);
    let all: Vec<_> = client.banks().stream().collect().await;
    assert_eq!(all.len(), 1);
    assert!(provider_error(all.into_iter().next().unwrap().unwrap_err()).is_unauthorized());
}
