//! Kashpay's answer is kept byte for byte: in `Order.raw`, in the serialized order and
//! in the unified `Payout` of the `PaymentProvider` trait.

use httpmock::MockServer;
use pagos_core::{BankAccount, Endpoint, PaymentProvider, PayoutRequest, Response};
use pagos_kashpay::{CreateOrder, PROVIDER};

use super::*;

/// Balances of `1500.50` and `0.10`, and a 30-digit number in a field the typed
/// decoding does not read.
const EXACT: &str = r#"{"success":true,"orderEntityResponse":{"id":"13699","status":25,"initialBalance":1500.50,"finalBalance":0.10,"trace":123456789012345678901234567890},"totalItems":0}"#;
const NUMBERS: [&str; 3] = ["1500.50", "0.10", "123456789012345678901234567890"];

#[test]
fn an_order_keeps_every_number_exact() {
    let order = full_order();
    let created = CreateOrder::new(&order)
        .parse(&Response::new(PROVIDER, CreateOrder::OPERATION, 200, EXACT))
        .unwrap();
    assert_eq!(created.raw.get(), EXACT);
    assert_eq!(created.initial_balance.unwrap().to_string(), "1500.50");
    assert_eq!(created.final_balance.unwrap().to_string(), "0.10");
    let printed = serde_json::to_string(&created).unwrap();
    for exact in NUMBERS {
        assert!(created.raw.get().contains(exact), "{exact}");
        assert!(printed.contains(exact), "{exact}: {printed}");
    }
    // The typed balances are written with their digits too.
    assert!(
        printed.contains(r#""initial_balance":1500.50"#),
        "{printed}"
    );
    assert!(printed.contains(r#""final_balance":0.10"#), "{printed}");
}

#[tokio::test]
async fn a_payout_keeps_kashpays_answer_exact() {
    let server = MockServer::start_async().await;
    let auth = auth_mock(&server, AUTH_OK).await;
    let orders = order_mock(&server, JWT, 200, EXACT).await;
    let payout = PayoutRequest::builder(
        mxn("250.00"),
        BankAccount::Clabe("032180000118359719".into()),
        "43223123",
    )
    .beneficiary_name("Florentino Eter")
    .build()
    .unwrap();
    let sent = client(&server).create_payout(&payout).await.unwrap();
    auth.assert_async().await;
    orders.assert_async().await;
    assert_eq!(sent.raw.get(), EXACT);
    let printed = serde_json::to_string(&sent).unwrap();
    for exact in NUMBERS {
        assert!(sent.raw.get().contains(exact), "{exact}");
        assert!(printed.contains(exact), "{exact}: {printed}");
    }
}
