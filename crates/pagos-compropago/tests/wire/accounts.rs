//! Accounts: `POST /v2/createAccount` ([`CreateAccount`]), `GET /v2/accounts`
//! ([`ListAccounts`]), `GET /v2/accounts/{id}` ([`ListSubaccounts`]) and
//! `GET /v2/accounts/{id}/transactions` ([`ListAccountTransactions`]).

use futures_util::StreamExt as _;
use pagos_compropago::{
    AccountCustomer, AccountStatus, CreateAccount, ListAccountTransactions, ListAccounts,
    ListSubaccounts,
};
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{Decimal, PageRequest};

use crate::*;

#[tokio::test]
async fn create_account_sends_the_seed_shape_and_decodes_the_seed_example() {
    let request = CreateAccount::new(
        "Alamedas de Espana",
        "153",
        AccountCustomer::new("CONDOVIVE_1234", "waldix86@gmail.com").phone("6666"),
    );
    let described = client().executor().authorized(&request).await.unwrap();
    assert_eq!(described.method(), Method::POST);
    assert_eq!(described.url().path(), "/compropago/v2/createAccount");
    assert_eq!(described.header_str("authorization"), Some(BASIC));
    assert_eq!(
        described.header_str("content-type"),
        Some("application/json")
    );
    // The API reference's request, its phone "6666" sent as is.
    assert_eq!(
        body_text(&described),
        r#"{"name":"Alamedas de Espana","reference":"153","customer":{"name":"CONDOVIVE_1234","email":"waldix86@gmail.com","phone":"6666"}}"#
    );
    assert_eq!(described.idempotency(), Idempotency::NonIdempotent);

    let account = parse(&request, CREATE_ACCOUNT).unwrap();
    assert_eq!(account.name.as_deref(), Some("Alamedas de Espana"));
    assert_eq!(account.reference.as_deref(), Some("153"));
    // Responses are not validated: the API reference's "6666" decodes.
    assert_eq!(account.customer.phone.as_deref(), Some("6666"));
    assert_eq!(account.payment.clabe, None);
    assert_eq!(account.payment.instructions.len(), 3);
    assert_eq!(account.payment_instructions(), None);
    assert_eq!(account.status, Some(AccountStatus::Active));
    assert_eq!(account.created_at, Some(at(1_561_416_434)));
}

/// Phones in other forms are sent as the 10-digit national number; another country's
/// number is refused under `customer.phone` and nothing is sent.
#[tokio::test]
async fn create_account_normalizes_the_phone_or_refuses_it() {
    for (given, sent) in [
        ("+52 55 1234 5678", "5512345678"),
        ("5512345678", "5512345678"),
        ("+52 1 55 1234 5678", "5512345678"),
        ("(55) 1234-5678", "5512345678"),
    ] {
        let request = CreateAccount::new(
            "Alamedas de Espana",
            "153",
            AccountCustomer::new("CONDOVIVE_1234", "waldix86@gmail.com").phone(given),
        );
        let described = client().executor().authorized(&request).await.unwrap();
        assert_eq!(
            body_text(&described),
            format!(
                r#"{{"name":"Alamedas de Espana","reference":"153","customer":{{"name":"CONDOVIVE_1234","email":"waldix86@gmail.com","phone":"{sent}"}}}}"#
            ),
            "{given}"
        );
    }
    let script = Recorder::answering(200, CREATE_ACCOUNT);
    let c = scripted(&script);
    let peru = CreateAccount::new(
        "Alamedas de Espana",
        "153",
        AccountCustomer::new("CONDOVIVE_1234", "waldix86@gmail.com").phone("+51 987 654 321"),
    );
    match c.accounts().create(&peru).await {
        Err(pagos_core::Error::Validation(v)) => {
            assert_eq!(v.field(), "customer.phone");
            assert!(v.message().contains("+52"), "{v}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(script.calls(), 0);
}

#[tokio::test]
async fn create_account_sends_the_customer_id_when_set() {
    let request = CreateAccount::new(
        "Condominio Polanco",
        "001",
        AccountCustomer::new("Departamento_101", "email@gmail.com").id("101"),
    );
    let described = client().executor().authorized(&request).await.unwrap();
    assert_eq!(described.url().path(), "/compropago/v2/createAccount");
    assert_eq!(
        body_text(&described),
        r#"{"name":"Condominio Polanco","reference":"001","customer":{"id":"101","name":"Departamento_101","email":"email@gmail.com"}}"#
    );
    parse(&request, CREATE_ACCOUNT).unwrap();
}

#[tokio::test]
async fn list_accounts_decodes_the_documented_example() {
    let described = client()
        .executor()
        .authorized(&ListAccounts::new())
        .await
        .unwrap();
    assert_eq!(described.method(), Method::GET);
    assert_eq!(described.url().path(), "/compropago/v2/accounts");
    assert_eq!(described.query_str(), None);
    assert_eq!(described.header_str("authorization"), Some(BASIC));
    assert_eq!(described.idempotency(), Idempotency::Read);

    let page = parse(&ListAccounts::new(), LIST_ACCOUNTS).unwrap();
    let accounts = &page.items;
    assert_eq!(accounts.len(), 3);
    assert_eq!(accounts[0].id.as_deref(), Some("169"));
    assert_eq!(accounts[0].key(), Some("169"));
    assert_eq!(accounts[0].reference.as_deref(), Some("1-005"));
    assert_eq!(accounts[0].name.as_deref(), Some("Condominio Candelaria"));
    assert_eq!(accounts[0].balance, Some(Decimal::ZERO));
    assert_eq!(accounts[2].raw.to_value().unwrap()["id"], 170);
    // One page: ComproPago's listings are not paged.
    assert!(!page.has_more);
    assert!(ListAccounts::new().next_page(&page).is_none());
    assert_eq!(page.raw.get(), LIST_ACCOUNTS.trim_end());
}

#[test]
fn list_accounts_accepts_the_later_account_id_shape() {
    let page = parse(
        &ListAccounts::new(),
        wrapped(
            "orders.get_accounts",
            r#"[{"accountId":"ae3d2531-ac31-406b-86dc-fjzwe8212h","name":"Condominio Zacatepec","balance":"1520.50"}]"#,
        ),
    )
    .unwrap();
    let accounts = page.items;
    assert_eq!(accounts[0].id, None);
    assert_eq!(
        accounts[0].key(),
        Some("ae3d2531-ac31-406b-86dc-fjzwe8212h")
    );
    assert_eq!(accounts[0].balance.unwrap().to_string(), "1520.50");
}

#[tokio::test]
async fn list_subaccounts_decodes_the_documented_example() {
    let list = ListSubaccounts::new("170");
    let described = client().executor().authorized(&list).await.unwrap();
    assert_eq!(described.method(), Method::GET);
    assert_eq!(described.url().path(), "/compropago/v2/accounts/170");
    assert_eq!(described.header_str("authorization"), Some(BASIC));
    assert_eq!(described.idempotency(), Idempotency::Read);

    let subs = parse(&list, LIST_SUBACCOUNTS).unwrap().items;
    assert_eq!(subs.len(), 2);
    assert_eq!(subs[0].id.as_deref(), Some("170"));
    assert_eq!(subs[1].name.as_deref(), Some("Departamento_102"));
    assert_eq!(subs[1].clabe.as_deref(), Some("646180146400237145"));
}

#[tokio::test]
async fn account_transactions_filters_by_clabe_and_keeps_raw() {
    let list = ListAccountTransactions::new("186").clabe("646180146400237132");
    let described = client().executor().authorized(&list).await.unwrap();
    assert_eq!(described.method(), Method::GET);
    assert_eq!(
        described.url().path(),
        "/compropago/v2/accounts/186/transactions"
    );
    assert_eq!(described.query_str(), Some("clabe=646180146400237132"));
    assert_eq!(described.header_str("authorization"), Some(BASIC));
    assert_eq!(described.idempotency(), Idempotency::Read);

    let txs = parse(&list, ACCOUNT_TRANSACTIONS).unwrap().items;
    assert_eq!(txs.len(), 4);
    let amounts: Vec<String> = txs.iter().map(|t| t.amount.unwrap().to_string()).collect();
    assert_eq!(amounts, ["10", "-0.1", "-8", "-0.15"]);
    assert_eq!(
        txs[0].id.as_deref(),
        Some("b079d0fe-7719-4ffd-a899-46044410d940")
    );
    assert_eq!(txs[0].date, Some(at(1_564_003_560)));
    assert_eq!(txs[0].status.as_deref(), Some("paid"));
    assert_eq!(txs[0].description.as_deref(), Some("Abono"));
    assert_eq!(txs[0].reference.as_deref(), Some("085903161360320595"));
    assert_eq!(
        txs[2].raw.to_value().unwrap()["description"],
        "Comisión fija por operación"
    );
    // Each item keeps its own text, byte for byte.
    assert!(ACCOUNT_TRANSACTIONS.contains(txs[1].raw.get()));
    assert!(txs[1].raw.get().contains(r#""amount": -0.1,"#));
}

#[tokio::test]
async fn account_transactions_without_clabe_sends_no_query() {
    let list = ListAccountTransactions::new("186");
    let described = client().executor().authorized(&list).await.unwrap();
    assert_eq!(
        described.url().path(),
        "/compropago/v2/accounts/186/transactions"
    );
    assert_eq!(described.query_str(), None);
    assert_eq!(parse(&list, ACCOUNT_TRANSACTIONS).unwrap().items.len(), 4);
}

#[tokio::test]
async fn the_handles_and_the_executor_stream_run_the_same_endpoints() {
    let script = Recorder::in_turn(&[
        (200, LIST_ACCOUNTS),
        (200, LIST_SUBACCOUNTS),
        (200, ACCOUNT_TRANSACTIONS),
        (200, LIST_ACCOUNTS),
    ]);
    let c = scripted(&script);
    assert_eq!(c.accounts().list().await.unwrap().items.len(), 3);
    assert_eq!(
        c.accounts().subaccounts("170").await.unwrap().items.len(),
        2
    );
    let txs = c
        .accounts()
        .transactions("186", Some("646180146400237132"))
        .await
        .unwrap();
    assert_eq!(txs.items.len(), 4);
    // A stream over a listing is its one page.
    let all: Vec<_> = c.executor().stream(ListAccounts::new()).collect().await;
    assert_eq!(all.len(), 3);
    let urls: Vec<String> = script
        .requests()
        .iter()
        .map(|r| r.url().to_string())
        .collect();
    assert_eq!(
        urls,
        [
            format!("{BASE}/v2/accounts"),
            format!("{BASE}/v2/accounts/170"),
            format!("{BASE}/v2/accounts/186/transactions?clabe=646180146400237132"),
            format!("{BASE}/v2/accounts"),
        ]
    );
}
