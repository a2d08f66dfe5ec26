//! The account: `GET v2/account/balance`, `GET v2/account/transactions`,
//! `GET v2/account/transactions_filters`.

use futures_util::{StreamExt, TryStreamExt};
use pagos_core::endpoint::{Endpoint, PageRequest};
use pagos_core::transport::Idempotency;
use pagos_core::{Error, PaymentProvider, PaymentStatus, PayoutStatus};
use pagos_telepagos::TransactionsPage;
use pagos_telepagos::TransactionsQuery;
use pagos_telepagos::account::{GetBalance, ListTransactionFilters, ListTransactions};
use time::macros::date;

use crate::{
    BALANCE, CUIT, CVU, Script, TRANSACTIONS_FILTERS, TRANSACTIONS_PAGE1, TRANSACTIONS_PAGE2, ars,
    assert_get, assert_get_with_body, authorized, parse, provider_error, validation_field,
};
use pagos_telepagos::GetParams;

fn march() -> TransactionsQuery {
    TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 31))
}

// ---------------------------------------------------------------- balance

#[tokio::test]
async fn balance_is_read() {
    let request = authorized(&GetBalance::new()).await;
    assert_get(&request, "account/balance");
    assert_eq!(request.url().query(), None);
    assert_eq!(request.idempotency(), Idempotency::Read);

    let b = parse(&GetBalance::new(), BALANCE).unwrap();
    assert_eq!(b.status.as_deref(), Some("ok"));
    assert_eq!(b.amount.to_string(), "150000");
    assert_eq!(b.raw.get(), BALANCE.trim());

    // The handle and the unified balance read the same answer.
    let script = Script::new();
    script.answer("GET", "account/balance", 200, BALANCE);
    let c = &script.client;
    assert_eq!(c.account().balance().await.unwrap(), b);
    let unified = c.balance().await.unwrap();
    assert_eq!(unified.provider, "telepagos");
    assert_eq!(unified.available, ars("150000"));
    assert_eq!(unified.raw.get(), BALANCE.trim());
    assert_eq!(script.sent_to("GET", "account/balance").len(), 2);
}

#[tokio::test]
async fn balance_with_decimals_or_as_string_is_read() {
    let script = Script::new();
    script.answer(
        "GET",
        "account/balance",
        200,
        r#"{"status":"ok","amount":"1234.5"}"#,
    );
    let b = script.client.balance().await.unwrap();
    assert_eq!(b.available.to_plain_string(), "1234.50");
    assert_eq!(b.raw.get(), r#"{"status":"ok","amount":"1234.5"}"#);
}

#[tokio::test]
async fn a_balance_beyond_ars_precision_is_an_unknown_outcome() {
    let script = Script::new();
    script.answer(
        "GET",
        "account/balance",
        200,
        r#"{"status":"ok","amount":0.001}"#,
    );
    match script.client.balance().await.unwrap_err() {
        Error::OutcomeUnknown(u) => {
            assert!(u.detail.contains("balance amount"), "{u:?}");
            assert_eq!(
                u.raw_body.as_deref(),
                Some(r#"{"status":"ok","amount":0.001}"#)
            );
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- transactions

#[tokio::test]
async fn transactions_page_is_read() {
    let list = ListTransactions::new(march().page(1));
    // The documented shape: a JSON body on the GET, `paginate` and `page` as numbers.
    let request = authorized(&list).await;
    assert_get_with_body(
        &request,
        "account/transactions",
        r#"{"date_from":"2024-03-01","date_to":"2024-03-31","paginate":1,"page":1}"#,
    );
    // Switched to a query: the same parameters, no body.
    let request = authorized(&list.clone().params(GetParams::Query)).await;
    assert_get(&request, "account/transactions");
    assert_eq!(
        request.url().query(),
        Some("date_from=2024-03-01&date_to=2024-03-31&paginate=1&page=1")
    );

    let page = parse(&list, TRANSACTIONS_PAGE1).unwrap();
    assert_eq!(page.items.len(), 2);
    assert!(page.has_more);
    assert_eq!(page.raw.get(), TRANSACTIONS_PAGE1.trim());
    let whole = TransactionsPage::from_page(&page).unwrap();
    assert_eq!(
        (
            whole.number_of_results,
            whole.page,
            whole.pages,
            whole.pagination
        ),
        (Some(3), Some(1), Some(2), Some(2))
    );
    assert_eq!(whole.transactions, page.items);
    assert_eq!(whole.raw, page.raw);
    let t = &page.items[0];
    assert_eq!(t.is_income(), Some(true));
    assert_eq!(t.date.as_deref(), Some("2024-03-01 10:15:00"));
    assert_eq!(t.amount.unwrap().to_string(), "1500.50");
    assert_eq!(t.operation.as_deref(), Some("Cobro QR"));
    assert_eq!(t.holder.as_deref(), Some("Ana Pérez"));
    assert_eq!(t.cuit.as_deref(), Some(CUIT));
    assert_eq!(t.cvu_cbu.as_deref(), Some(CVU));
    assert_eq!(t.status.as_deref(), Some("Aprobada"));
    assert_eq!(t.payment_status(), PaymentStatus::Succeeded);
    assert_eq!(t.sale_point_name.as_deref(), Some("Caja 1"));
    let t = &page.items[1];
    assert_eq!(t.is_income(), Some(false));
    assert_eq!(t.payout_status(), PayoutStatus::Pending);

    // The next page is the same query, one page on; the last page has none.
    let next = list.next_page(&page).unwrap();
    assert_eq!(next.query(), &march().page(2));
    let last = parse(&next, TRANSACTIONS_PAGE2).unwrap();
    assert!(!last.has_more);
    assert!(next.next_page(&last).is_none());
}

#[tokio::test]
async fn transactions_unpaginated_with_operation() {
    let list = ListTransactions::new(
        TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 02)).operation("2"),
    );
    let request = authorized(&list).await;
    assert_get_with_body(
        &request,
        "account/transactions",
        r#"{"date_from":"2024-03-01","date_to":"2024-03-02","operation":"2"}"#,
    );
    let request = authorized(&list.clone().params(GetParams::Query)).await;
    assert_get(&request, "account/transactions");
    assert_eq!(
        request.url().query(),
        Some("date_from=2024-03-01&date_to=2024-03-02&operation=2")
    );
    let page = parse(&list, r#"{"status":"ok","transactions":[]}"#).unwrap();
    assert!(page.items.is_empty());
    assert!(!page.has_more);
    assert_eq!(TransactionsPage::from_page(&page).unwrap().pages, None);
}

#[tokio::test]
async fn transactions_stream_walks_every_page_one_at_a_time() {
    let script = Script::query_params();
    let query = "date_from=2024-03-01&date_to=2024-03-31&paginate=1";
    script
        .answer(
            "GET",
            &format!("account/transactions?{query}&page=1"),
            200,
            TRANSACTIONS_PAGE1,
        )
        .answer(
            "GET",
            &format!("account/transactions?{query}&page=2"),
            200,
            TRANSACTIONS_PAGE2,
        );
    let pages = |page: &str| {
        script
            .sent_to("GET", "account/transactions")
            .iter()
            .filter(|r| r.url().query() == Some(&format!("{query}&page={page}")))
            .count()
    };
    let c = &script.client;

    // Lazily: the first two items need only the first page.
    let mut stream = c.transactions().stream(march());
    stream.next().await.unwrap().unwrap();
    stream.next().await.unwrap().unwrap();
    assert_eq!(pages("1"), 1);
    assert_eq!(pages("2"), 0);
    let third = stream.next().await.unwrap().unwrap();
    assert_eq!(third.amount.unwrap().to_string(), "99.99");
    assert_eq!(
        third.payment_status(),
        PaymentStatus::Unknown("en revisión".into())
    );
    assert!(stream.next().await.is_none());
    assert_eq!(pages("2"), 1);

    // All of it.
    let all: Vec<_> = c
        .transactions()
        .stream(march())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(pages("1"), 2);
    assert_eq!(pages("2"), 2);
    // Every request carried the token, and one authentication served them all.
    assert_eq!(script.sent_to("POST", "auth/token").len(), 1);
}

#[tokio::test]
async fn transactions_stream_ends_at_the_first_error() {
    let script = Script::query_params();
    let query = "date_from=2024-03-01&date_to=2024-03-31&paginate=1";
    script
        .answer(
            "GET",
            &format!("account/transactions?{query}&page=1"),
            200,
            TRANSACTIONS_PAGE1,
        )
        .answer(
            "GET",
            &format!("account/transactions?{query}&page=2"),
            200,
            r#"{"status":"error","message":"Demasiadas consultas"}"#,
        );
    let results: Vec<_> = script.client.transactions().stream(march()).collect().await;
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    let p = provider_error(results.into_iter().nth(2).unwrap().unwrap_err());
    assert_eq!(p.message, "Demasiadas consultas");
}

#[tokio::test]
async fn transactions_stream_with_the_documented_body() {
    // The client's default: each page's parameters in the body of its GET.
    let script = Script::new();
    script
        .answer("GET", "account/transactions", 200, TRANSACTIONS_PAGE1)
        .answer("GET", "account/transactions", 200, TRANSACTIONS_PAGE2);
    let all: Vec<_> = script
        .client
        .transactions()
        .stream(march())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let sent = script.sent_to("GET", "account/transactions");
    assert_eq!(sent.len(), 2);
    for (request, page) in sent.iter().zip(["1", "2"]) {
        assert_get_with_body(
            request,
            "account/transactions",
            &format!(
                r#"{{"date_from":"2024-03-01","date_to":"2024-03-31","paginate":1,"page":{page}}}"#
            ),
        );
    }
}

#[tokio::test]
async fn invalid_transaction_queries_send_nothing() {
    let script = Script::new();
    let c = &script.client;
    let backwards = TransactionsQuery::new(date!(2024 - 03 - 31), date!(2024 - 03 - 01));
    assert_eq!(
        validation_field(c.transactions().list(&backwards).await.unwrap_err()),
        "date_from"
    );
    // A stream of an invalid query yields the validation error, and nothing more.
    let streamed: Vec<_> = c.transactions().stream(backwards).collect().await;
    assert_eq!(streamed.len(), 1);
    assert!(matches!(
        streamed.into_iter().next().unwrap(),
        Err(Error::Validation(v)) if v.field() == "date_from"
    ));
    let page_zero = march().page(0);
    assert_eq!(
        validation_field(c.transactions().list(&page_zero).await.unwrap_err()),
        "page"
    );
    assert_eq!(
        validation_field(c.statistics().get("").await.unwrap_err()),
        "period"
    );
    // Not even the token was asked for.
    assert!(script.sent().is_empty(), "{:?}", script.sent());
}

// ---------------------------------------------------------------- transactions_filters

#[tokio::test]
async fn transaction_filters_are_listed() {
    let request = authorized(&ListTransactionFilters::new()).await;
    assert_get(&request, "account/transactions_filters");
    assert_eq!(ListTransactionFilters::IDEMPOTENCY, Idempotency::Read);

    let filters = parse(&ListTransactionFilters::new(), TRANSACTIONS_FILTERS).unwrap();
    assert_eq!(filters.items.len(), 2);
    assert!(!filters.has_more);
    assert_eq!(filters.items[0].id, "1");
    assert_eq!(
        filters.items[0].name.as_deref(),
        Some("Transferencia enviada")
    );
    assert_eq!(filters.items[0].kind.as_deref(), Some("cashout"));
    assert_eq!(filters.raw.get(), TRANSACTIONS_FILTERS.trim());

    let script = Script::new();
    script.answer(
        "GET",
        "account/transactions_filters",
        200,
        TRANSACTIONS_FILTERS,
    );
    assert_eq!(
        script.client.transactions().filters().await.unwrap(),
        filters
    );
}
