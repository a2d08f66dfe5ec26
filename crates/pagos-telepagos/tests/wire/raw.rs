//! Answers keep TelePagos' JSON byte for byte: `1500.50`, `0.10` and a 30-digit number
//! survive in `raw`, in the serialized answer and in the unified values.

use httpmock::prelude::*;
use pagos_core::{BankAccount, PaymentProvider, PayoutRequest};
use pagos_telepagos::account::{GetBalance, ListTransactions};
use pagos_telepagos::cashin::GetCashIn;
use pagos_telepagos::cashout::CreateCashout;
use pagos_telepagos::statistics::GetStatistics;
use pagos_telepagos::{TransactionsPage, TransactionsQuery};
use serde::Serialize;

use crate::cashouts::cashout_request;
use crate::mock::{auth, client, get, with_body};
use crate::{CUIT, CVU, ars, parse};

const EXACT: [&str; 3] = ["1500.50", "0.10", "123456789012345678901234567890"];

/// A credit whose amount is `1500.50`, with a fee and a trace number the typed
/// decoding does not read.
const CASHIN: &str = r#"{"status":"ok","amount":1500.50,"fee":0.10,"trace":123456789012345678901234567890,"concept":"Pedido 42","transaction_id":555001}"#;
/// A cash-out receipt with the same figures beside its id.
const CASHOUT: &str = r#"{"status":"ok","id":98765,"amount":1500.50,"fee":0.10,"trace":123456789012345678901234567890}"#;
/// A balance with the same figures beside its amount.
const BALANCE: &str =
    r#"{"status":"ok","amount":1500.50,"fee":0.10,"trace":123456789012345678901234567890}"#;

fn assert_exact(what: &str, text: &str) {
    for exact in EXACT {
        assert!(text.contains(exact), "{what} lost {exact}: {text}");
    }
}

fn assert_answer<T: Serialize>(what: &str, answer: &T, raw: &pagos_core::Raw, body: &str) {
    assert_eq!(raw.get(), body, "{what}");
    assert_exact(what, raw.get());
    assert_exact(what, &serde_json::to_string(answer).unwrap());
    assert_exact(what, &serde_json::to_string_pretty(answer).unwrap());
}

#[test]
fn typed_answers_keep_the_exact_text() {
    let cash_in = parse(&GetCashIn::new("555001"), CASHIN).unwrap();
    assert_eq!(cash_in.amount.unwrap().to_string(), "1500.50");
    assert_answer("cash-in", &cash_in, &cash_in.raw, CASHIN);

    let receipt = parse(&CreateCashout::new(cashout_request()), CASHOUT).unwrap();
    assert_answer("cash-out", &receipt, &receipt.raw, CASHOUT);

    let balance = parse(&GetBalance::new(), BALANCE).unwrap();
    assert_eq!(balance.amount.to_string(), "1500.50");
    assert_answer("balance", &balance, &balance.raw, BALANCE);

    let stats = r#"{"status":"ok","data":[[{"total_cashin":1500.50,"total_cashout":0.10}],[{"count_sent_sms":1,"x":123456789012345678901234567890}]]}"#;
    let statistics = parse(&GetStatistics::new("2024-03"), stats).unwrap();
    assert_answer("statistics", &statistics, &statistics.raw, stats);

    let list = ListTransactions::new(TransactionsQuery::new(
        time::macros::date!(2024 - 03 - 01),
        time::macros::date!(2024 - 03 - 31),
    ));
    let page_body = r#"{"status":"ok","transactions":[{"amount":"1500.50","fee":0.10,"trace":123456789012345678901234567890}]}"#;
    let page = parse(&list, page_body).unwrap();
    assert_answer("transactions", &page, &page.raw, page_body);
    let whole = TransactionsPage::from_page(&page).unwrap();
    assert_answer("transactions page", &whole, &whole.raw, page_body);
}

/// The unified values from the `PaymentProvider` trait, through one real socket.
#[tokio::test]
async fn unified_values_keep_the_exact_text() {
    let server = MockServer::start_async().await;
    auth(&server).await;
    let cash_in = get(&server, "payment/cashin/555001", 200, CASHIN).await;
    let balance = get(&server, "account/balance", 200, BALANCE).await;
    let cashout = with_body(
        &server,
        POST,
        "payment/cashout",
        r#"{"cvu":"2850590940090418135201","cuit":"20267565393","amount":1500.50,"reference_id":"payout-0001","concept":"VAR"}"#,
        200,
        CASHOUT,
    )
    .await;
    let c = client(&server);

    let payment = c.get_payment("555001").await.unwrap();
    assert_eq!(payment.amount, Some(ars("1500.50")));
    assert_eq!(payment.raw.get(), CASHIN);
    assert_exact("payment", &serde_json::to_string(&payment).unwrap());

    let request =
        PayoutRequest::builder(ars("1500.50"), BankAccount::Cbu(CVU.into()), "payout-0001")
            .beneficiary_tax_id(CUIT)
            .build()
            .unwrap();
    let payout = c.create_payout(&request).await.unwrap();
    assert_eq!(payout.raw.get(), CASHOUT);
    assert_exact("payout", &serde_json::to_string(&payout).unwrap());

    let unified = c.balance().await.unwrap();
    assert_eq!(unified.available.to_plain_string(), "1500.50");
    assert_eq!(unified.raw.get(), BALANCE);

    cash_in.assert_async().await;
    cashout.assert_async().await;
    balance.assert_async().await;
}
