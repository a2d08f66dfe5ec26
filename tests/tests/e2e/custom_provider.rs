//! A sixth provider built only on pagos-core (the `pagos-acmepay` example) joins a
//! registry next to built-in providers through its `DESCRIPTOR`, is built from the same
//! configuration, lives in the same `Vec<Arc<dyn PaymentProvider>>` and is driven the
//! same way.

use std::sync::Arc;

use httpmock::prelude::*;
use pagos::{
    BankAccount, CreatePayment, Currency, Error, Money, Operation, PaymentProvider, PaymentStatus,
    PayoutRequest, ProviderConfig, ProviderDescriptor,
};

use crate::support::{self, CVU, within};

const ACME_KEY: &str = "sk_test_acmepay_e2e";

const CHARGE: &str = r#"{"id":"ch_e2e_1","status":"pending","amount":"10.50","currency":"MXN","reference":"acmepay-1","checkout_url":"https://pay.acmepay.example/ch_e2e_1"}"#;

/// A request each provider accepts: its own currency and what it requires.
fn request_for(provider: &str) -> CreatePayment {
    let (amount, currency) = match provider {
        "acmepay" => ("10.50", Currency::Mxn),
        "khipu" => ("2500", Currency::Clp),
        "kashio" => ("35.00", Currency::Pen),
        other => panic!("no request for {other}"),
    };
    CreatePayment::builder(Money::parse(amount, currency).unwrap(), "Pedido mixto")
        .merchant_reference(format!("{provider}-1"))
        .payer_email("ana@example.com")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_custom_provider_sits_beside_built_in_ones() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/charges")
                .header("authorization", format!("Bearer {ACME_KEY}"))
                .json_body(serde_json::json!({
                    "amount": "10.50", "currency": "MXN", "description": "Pedido mixto", "reference": "acmepay-1"
                }));
            then.status(201)
                .header("content-type", "application/json")
                .body(CHARGE);
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/charges/ch_e2e_1")
                .header("authorization", format!("Bearer {ACME_KEY}"));
            then.status(200)
                .header("content-type", "application/json")
                .body(CHARGE);
        })
        .await;

    let sandbox = support::start_sandbox().await;
    // The application's registry: the facade's, and its own provider.
    let registry: Vec<&ProviderDescriptor> = [&pagos_acmepay::DESCRIPTOR]
        .into_iter()
        .chain(pagos::registry().iter().copied())
        .collect();
    let mut vars = support::env_map(&sandbox);
    vars.insert("PAGOS_ACMEPAY_API_KEY".into(), ACME_KEY.into());
    vars.insert("PAGOS_ACMEPAY_BASE_URL".into(), server.base_url());
    let config = ProviderConfig::from_pairs(vars).with_transport(support::fast_transport());
    let providers: Vec<Arc<dyn PaymentProvider>> = ["acmepay", "khipu", "kashio"]
        .into_iter()
        .map(|name| {
            pagos::registry::find(&registry, name)
                .and_then(|d| d.connect(&config))
                .unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .collect();
    // Its descriptor describes it as the built-in ones' describe them.
    for (provider, name) in providers.iter().zip(["acmepay", "khipu", "kashio"]) {
        let descriptor = pagos::registry::find(&registry, name).unwrap();
        assert_eq!(provider.capabilities(), descriptor.capabilities, "{name}");
    }
    let missing = pagos_acmepay::DESCRIPTOR
        .connect(&ProviderConfig::from_pairs::<[(&str, &str); 0], _, _>([]))
        .unwrap_err();
    assert!(
        missing.to_string().contains("PAGOS_ACMEPAY_API_KEY"),
        "{missing}"
    );

    let names: Vec<&str> = providers.iter().map(|p| p.name()).collect();
    assert_eq!(names, ["acmepay", "khipu", "kashio"]);

    for provider in &providers {
        let name = provider.name();
        let caps = provider.capabilities();
        assert!(caps.supports(Operation::CreatePayment), "{name}: {caps:?}");
        assert!(caps.supports(Operation::GetPayment), "{name}: {caps:?}");
        assert!(!caps.supports(Operation::CreatePayout), "{name}: {caps:?}");

        let created = within(name, provider.create_payment(&request_for(name)))
            .await
            .unwrap_or_else(|e| panic!("{name} create: {e}"));
        assert_eq!(created.provider, name);
        assert_eq!(created.status, PaymentStatus::Pending, "{name}");

        let fetched = within(name, provider.get_payment(&created.id))
            .await
            .unwrap_or_else(|e| panic!("{name} get: {e}"));
        assert_eq!(fetched.id, created.id, "{name}");
        assert_eq!(fetched.status, PaymentStatus::Pending, "{name}");
        assert_eq!(
            fetched.merchant_reference.as_deref(),
            Some(format!("{name}-1").as_str()),
            "{name}"
        );

        // What a provider does not offer is refused before anything is sent.
        let payout = PayoutRequest::builder(
            Money::parse("1.00", Currency::Ars).unwrap(),
            BankAccount::Cbu(CVU.into()),
            "nope",
        )
        .build()
        .unwrap();
        let err = provider.create_payout(&payout).await.unwrap_err();
        assert!(
            matches!(err, Error::Unsupported { provider, operation: Operation::CreatePayout } if provider == name),
            "{name}: {err:?}"
        );
    }

    create.assert_async().await;
    get.assert_async().await;
    assert_eq!(
        support::requests(
            &sandbox,
            pagos_sandbox::Provider::Khipu,
            "POST",
            "/payments"
        )
        .len(),
        1
    );
    assert_eq!(
        support::requests(
            &sandbox,
            pagos_sandbox::Provider::Kashio,
            "POST",
            "/invoices"
        )
        .len(),
        1
    );
}
