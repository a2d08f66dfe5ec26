//! The account: balance (`GET v2/account/balance`), transactions
//! (`GET v2/account/transactions`) and the operations they can be filtered by
//! (`GET v2/account/transactions_filters`).
//!
//! | endpoint | call | handle method |
//! |---|---|---|
//! | [`GetBalance`] | `GET v2/account/balance` | [`AccountHandle::balance`] |
//! | [`ListTransactions`] | `GET v2/account/transactions` | [`TransactionsHandle::list`], [`TransactionsHandle::stream`] |
//! | [`ListTransactionFilters`] | `GET v2/account/transactions_filters` | [`TransactionsHandle::filters`] |

use futures_util::stream::BoxStream;
use pagos_core::endpoint::{Endpoint, Page, PageRequest};
use pagos_core::transport::{Idempotency, Method, Request};
use pagos_core::{
    BaseUrl, Decimal, PaymentStatus, PayoutStatus, Raw, Response, Result, ValidationError,
};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::client::TelepagosClient;
use crate::status;
use crate::wire::{lenient_id, lenient_int};
use crate::{GetParams, GetParamsPolicy};

/// The account balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountBalance {
    /// The answer's `status`.
    #[serde(default)]
    pub status: Option<String>,
    /// The available amount in ARS. The TelePagos API types it `integer`; it is read
    /// leniently
    /// (number with or without decimals, or numeric string).
    #[serde(with = "pagos_core::wire::lenient_decimal")]
    pub amount: Decimal,
    /// The answer as TelePagos sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// `GET v2/account/balance`: the account balance.
///
/// ```
/// use pagos_core::{Endpoint, Response};
/// use pagos_telepagos::account::GetBalance;
///
/// let answer = Response::new("telepagos", GetBalance::OPERATION, 200, r#"{"status":"ok","amount":150000}"#);
/// let balance = GetBalance::new().parse(&answer)?;
/// assert_eq!(balance.amount.to_string(), "150000");
/// assert_eq!(balance.raw.get(), r#"{"status":"ok","amount":150000}"#);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GetBalance;

impl GetBalance {
    /// The balance request.
    pub fn new() -> Self {
        GetBalance
    }
}

impl Endpoint for GetBalance {
    type Output = AccountBalance;
    const OPERATION: &'static str = "account_balance";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        Ok(Request::new(
            Method::GET,
            base.join(&["v2", "account", "balance"])?,
            Self::OPERATION,
        ))
    }

    fn parse(&self, response: &Response) -> Result<AccountBalance> {
        let (mut balance, raw): (AccountBalance, Raw) = crate::wire::answer(response)?;
        balance.raw = raw;
        Ok(balance)
    }
}

/// Which transactions to list.
///
/// The query string is built exactly as the TelePagos API lists the parameters of
/// `GET v2/account/transactions`: `date_from`, `date_to` (`Y-m-d`), `operation`,
/// `paginate` (`0`/`1`) and `page`.
///
/// ```
/// use pagos_telepagos::TransactionsQuery;
/// use time::macros::date;
///
/// let q = TransactionsQuery::new(date!(2024-03-01), date!(2024-03-31))
///     .operation("cashin")
///     .page(2);
/// assert_eq!(q.page, Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransactionsQuery {
    /// First day (`date_from`, `Y-m-d`).
    pub date_from: Date,
    /// Last day (`date_to`, `Y-m-d`).
    pub date_to: Date,
    /// An operation id from [`TransactionsHandle::filters`].
    pub operation: Option<String>,
    /// `paginate`: `Some(true)` sends `1`, `Some(false)` sends `0`, `None` nothing.
    pub paginate: Option<bool>,
    /// `page` (from 1), only with `paginate`.
    pub page: Option<u32>,
}

impl TransactionsQuery {
    /// Transactions from `date_from` to `date_to`, both included.
    pub fn new(date_from: Date, date_to: Date) -> Self {
        TransactionsQuery {
            date_from,
            date_to,
            operation: None,
            paginate: None,
            page: None,
        }
    }

    /// Only this operation type.
    #[must_use]
    pub fn operation(mut self, operation: impl Into<String>) -> Self {
        self.operation = Some(operation.into());
        self
    }

    /// Asks for page `page` (from 1); turns pagination on.
    #[must_use]
    pub fn page(mut self, page: u32) -> Self {
        self.paginate = Some(true);
        self.page = Some(page);
        self
    }

    /// Turns pagination on or off.
    #[must_use]
    pub fn paginate(mut self, paginate: bool) -> Self {
        self.paginate = Some(paginate);
        self
    }

    fn validate(&self) -> std::result::Result<(), ValidationError> {
        if self.date_from > self.date_to {
            return Err(ValidationError::new(
                "date_from",
                format!(
                    "{} is after date_to {}",
                    format_date(self.date_from),
                    format_date(self.date_to)
                ),
            ));
        }
        if let Some(operation) = &self.operation {
            pagos_core::validate::non_empty("operation", operation)?;
        }
        match (self.page, self.paginate) {
            (Some(0), _) => Err(ValidationError::new("page", "pages are numbered from 1")),
            (Some(_), Some(false) | None) => Err(ValidationError::new(
                "page",
                "a page needs paginate turned on",
            )),
            _ => Ok(()),
        }
    }

    /// The parameters in the documented order; `paginate` and `page` are numbers
    /// (`paginate: 0-1`, `page: 1`), the rest strings.
    fn params(&self) -> Vec<(&'static str, serde_json::Value)> {
        let mut params = vec![
            ("date_from", format_date(self.date_from).into()),
            ("date_to", format_date(self.date_to).into()),
        ];
        if let Some(operation) = &self.operation {
            params.push(("operation", operation.clone().into()));
        }
        if let Some(paginate) = self.paginate {
            params.push(("paginate", u8::from(paginate).into()));
        }
        if let Some(page) = self.page {
            params.push(("page", page.into()));
        }
        params
    }
}

fn format_date(d: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    d.format(format).unwrap_or_default()
}

/// One account movement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Transaction {
    /// The transaction's `id`. Not in the TelePagos API's list of fields; when TelePagos
    /// sends one, the SDK takes it for the id of the cash-in record
    /// (`GET v2/payment/cashin/{id}`) of a credit, which is how
    /// [`get_payment`](pagos_core::PaymentProvider::get_payment) finds the cash-in that
    /// paid a link.
    #[serde(default, deserialize_with = "lenient_id::option::deserialize")]
    pub id: Option<String>,
    /// `income` as sent (the TelePagos API types it `int`): `1` for money in, `0` for
    /// money out (booleans are read as 1/0). See [`Transaction::is_income`].
    #[serde(default, deserialize_with = "lenient_int::deserialize")]
    pub income: Option<i64>,
    /// When, as TelePagos formats it.
    #[serde(default)]
    pub date: Option<String>,
    /// How much, in ARS (a string in the TelePagos API; read leniently).
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub amount: Option<Decimal>,
    /// The operation type.
    #[serde(default)]
    pub operation: Option<String>,
    /// The counterpart's name.
    #[serde(default)]
    pub holder: Option<String>,
    /// The counterpart's CUIT.
    #[serde(default, deserialize_with = "lenient_id::option::deserialize")]
    pub cuit: Option<String>,
    /// The counterpart's CVU/CBU.
    #[serde(default, deserialize_with = "lenient_id::option::deserialize")]
    pub cvu_cbu: Option<String>,
    /// The status, as TelePagos reports it; see [`Transaction::payment_status`].
    #[serde(default)]
    pub status: Option<String>,
    /// The sale point, for QR payments.
    #[serde(default)]
    pub sale_point_name: Option<String>,
}

impl Transaction {
    /// `Some(true)` for money in, `Some(false)` for money out, `None` when unknown.
    pub fn is_income(&self) -> Option<bool> {
        match self.income {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        }
    }

    /// The status as a payment (money in), through [`crate::status`].
    pub fn payment_status(&self) -> PaymentStatus {
        status::payment_status(self.status.as_deref().unwrap_or_default())
    }

    /// The status as a payout (money out), through [`crate::status`].
    pub fn payout_status(&self) -> PayoutStatus {
        status::payout_status(self.status.as_deref().unwrap_or_default())
    }
}

/// A whole answer of `GET v2/account/transactions`, with the pagination figures the
/// TelePagos API sends "only if paginated".
///
/// [`ListTransactions`] returns a [`Page`] of the transactions; read the figures
/// from the same page with [`TransactionsPage::from_page`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TransactionsPage {
    /// The answer's `status`.
    #[serde(default)]
    pub status: Option<String>,
    /// The transactions.
    #[serde(default)]
    pub transactions: Vec<Transaction>,
    /// How many transactions match (paginated answers only).
    #[serde(default, deserialize_with = "lenient_int::deserialize")]
    pub number_of_results: Option<i64>,
    /// This page's number (paginated answers only).
    #[serde(default, deserialize_with = "lenient_int::deserialize")]
    pub page: Option<i64>,
    /// How many pages there are (paginated answers only).
    #[serde(default, deserialize_with = "lenient_int::deserialize")]
    pub pages: Option<i64>,
    /// `pagination` as sent (paginated answers only; the TelePagos API says no more).
    #[serde(default, deserialize_with = "lenient_int::deserialize")]
    pub pagination: Option<i64>,
    /// The answer as TelePagos sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl TransactionsPage {
    /// The whole answer behind a page [`ListTransactions`] returned: the same
    /// transactions, and the pagination figures.
    ///
    /// # Errors
    /// The JSON decoder's error when `page.raw` is not a transactions answer (never
    /// for a page this crate returned: it was decoded the same way).
    pub fn from_page(page: &Page<Transaction>) -> std::result::Result<Self, serde_json::Error> {
        let mut whole: TransactionsPage = page.raw.decode()?;
        whole.raw = page.raw.clone();
        Ok(whole)
    }
}

/// `GET v2/account/transactions`: one page (or, without pagination, all) of the
/// transactions of a date range: `date_from`, `date_to`, `operation`, `paginate`,
/// `page`.
///
/// The TelePagos API lists those parameters as a JSON body of this `GET`, and that is
/// what is sent by default (`{"date_from":"2024-03-01","date_to":"2024-03-31","paginate":1,"page":1}`);
/// [`params`](Self::params) (from the client, [`GetParamsPolicy`])
/// sends them as query parameters instead.
///
/// [`Page::has_more`] is `true` when the page holds transactions and TelePagos reports
/// more `pages` than the one asked for (the query's `page`, 1 when absent); the next
/// page is the same query with `page + 1`, so [`Executor::stream`](pagos_core::Executor::stream)
/// walks every page.
///
/// ```
/// use pagos_core::{Endpoint, Response};
/// use pagos_telepagos::{GetParams, TransactionsQuery};
/// use pagos_telepagos::account::ListTransactions;
/// use time::macros::date;
///
/// let list = ListTransactions::new(TransactionsQuery::new(date!(2024-03-01), date!(2024-03-31)).page(1));
/// let base = pagos_core::BaseUrl::parse("https://api.telepagos.com.ar")?;
/// let request = pagos_core::endpoint::describe(&list, &base)?;
/// assert_eq!(request.body_bytes(), br#"{"date_from":"2024-03-01","date_to":"2024-03-31","paginate":1,"page":1}"#);
/// let query = pagos_core::endpoint::describe(&list.clone().params(GetParams::Query), &base)?;
/// assert_eq!(query.query_str(), Some("date_from=2024-03-01&date_to=2024-03-31&paginate=1&page=1"));
///
/// let answer = r#"{"status":"ok","transactions":[{"amount":"1500.50"}],"page":1,"pages":2}"#;
/// let page = list.parse(&Response::new("telepagos", ListTransactions::OPERATION, 200, answer))?;
/// assert_eq!(page.items[0].amount.unwrap().to_string(), "1500.50");
/// assert!(page.has_more);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTransactions {
    query: TransactionsQuery,
    params: GetParams,
}

impl ListTransactions {
    /// The listing of `query`, its parameters in the documented JSON body.
    pub fn new(query: TransactionsQuery) -> Self {
        ListTransactions {
            query,
            params: GetParamsPolicy::DOCUMENTED.transactions,
        }
    }

    /// Where the parameters go.
    #[must_use]
    pub fn params(mut self, how: GetParams) -> Self {
        self.params = how;
        self
    }

    /// The query.
    pub fn query(&self) -> &TransactionsQuery {
        &self.query
    }

    fn current_page(&self) -> u32 {
        self.query.page.unwrap_or(1)
    }
}

impl Endpoint for ListTransactions {
    type Output = Page<Transaction>;
    const OPERATION: &'static str = "transactions";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    /// # Errors
    /// [`pagos_core::Error::Validation`] on `date_from` (after `date_to`), `operation`
    /// (blank) or `page` (0, or without pagination).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        self.query.validate()?;
        let request = Request::new(
            Method::GET,
            base.join(&["v2", "account", "transactions"])?,
            Self::OPERATION,
        );
        crate::wire::get_params(request, self.params, &self.query.params())
    }

    fn parse(&self, response: &Response) -> Result<Page<Transaction>> {
        let (page, raw): (TransactionsPage, Raw) = crate::wire::answer(response)?;
        let current = self.current_page();
        let has_more = !page.transactions.is_empty()
            && page.pages.is_some_and(|pages| i64::from(current) < pages)
            && current < u32::MAX;
        Ok(Page::new(page.transactions, has_more, raw))
    }
}

impl PageRequest for ListTransactions {
    type Item = Transaction;

    fn next_page(&self, page: &Page<Transaction>) -> Option<Self> {
        page.has_more.then(|| ListTransactions {
            query: self.query.clone().page(self.current_page() + 1),
            params: self.params,
        })
    }
}

/// An operation type transactions can be filtered by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OperationFilter {
    /// The id to pass as [`TransactionsQuery::operation`].
    #[serde(deserialize_with = "lenient_id::deserialize")]
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its type.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Deserialize)]
struct FiltersWire {
    #[serde(default)]
    operations: Vec<OperationFilter>,
}

/// `GET v2/account/transactions_filters`: the operation types transactions can be
/// filtered by (`operations`), as one page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListTransactionFilters;

impl ListTransactionFilters {
    /// The filters request.
    pub fn new() -> Self {
        ListTransactionFilters
    }
}

impl Endpoint for ListTransactionFilters {
    type Output = Page<OperationFilter>;
    const OPERATION: &'static str = "transaction_filters";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        Ok(Request::new(
            Method::GET,
            base.join(&["v2", "account", "transactions_filters"])?,
            Self::OPERATION,
        ))
    }

    fn parse(&self, response: &Response) -> Result<Page<OperationFilter>> {
        let (filters, raw): (FiltersWire, Raw) = crate::wire::answer(response)?;
        Ok(Page::new(filters.operations, false, raw))
    }
}

/// The account, from [`TelepagosClient::account`].
#[derive(Debug, Clone, Copy)]
pub struct AccountHandle<'a> {
    client: &'a TelepagosClient,
}

impl<'a> AccountHandle<'a> {
    pub(crate) fn new(client: &'a TelepagosClient) -> Self {
        AccountHandle { client }
    }

    /// The account balance: [`GetBalance`].
    ///
    /// # Errors
    /// [`pagos_core::Error::Provider`] when TelePagos refuses;
    /// [`pagos_core::Error::OutcomeUnknown`] for an unreadable answer.
    pub async fn balance(&self) -> Result<AccountBalance> {
        self.client.run(&GetBalance::new()).await
    }
}

/// The account's transactions, from [`TelepagosClient::transactions`].
#[derive(Debug, Clone, Copy)]
pub struct TransactionsHandle<'a> {
    client: &'a TelepagosClient,
}

impl<'a> TransactionsHandle<'a> {
    pub(crate) fn new(client: &'a TelepagosClient) -> Self {
        TransactionsHandle { client }
    }

    /// One page (or, without pagination, all) of the transactions of `query`:
    /// [`ListTransactions`].
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `date_from` (after `date_to`), `operation`
    /// (blank) or `page` (0, or without pagination) before sending; otherwise as
    /// [`AccountHandle::balance`].
    pub async fn list(&self, query: &TransactionsQuery) -> Result<Page<Transaction>> {
        self.client.run(&self.endpoint(query.clone())).await
    }

    /// Every transaction of the query's range, walking the pages one at a time: a
    /// page is requested only when the previous one has been consumed. Starts at the
    /// query's `page` (default 1) with `paginate=1` and stops after the last page the
    /// provider reports (`pages`), or at an empty page, or after the first page when
    /// the answer is not paginated. The first error (an invalid query included) is
    /// the stream's last item.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use pagos_telepagos::{Client, TransactionsQuery};
    /// use time::macros::date;
    ///
    /// # async fn run(client: Client) -> pagos_core::Result<()> {
    /// let query = TransactionsQuery::new(date!(2024-03-01), date!(2024-03-31));
    /// let mut all = client.transactions().stream(query);
    /// while let Some(tx) = all.try_next().await? {
    ///     println!("{:?} {:?}", tx.date, tx.amount);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, query: TransactionsQuery) -> BoxStream<'static, Result<Transaction>> {
        let first = query.page.unwrap_or(1);
        self.client
            .executor()
            .stream(self.endpoint(query.page(first)))
    }

    /// The listing of `query` with the client's [`GetParams`] for it.
    fn endpoint(&self, query: TransactionsQuery) -> ListTransactions {
        ListTransactions::new(query).params(self.client.get_params().transactions)
    }

    /// The operation types transactions can be filtered by: [`ListTransactionFilters`].
    ///
    /// # Errors
    /// As [`AccountHandle::balance`].
    pub async fn filters(&self) -> Result<Page<OperationFilter>> {
        self.client.run(&ListTransactionFilters::new()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn query_params() {
        let q = TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 31));
        assert_eq!(
            q.params(),
            vec![
                ("date_from", serde_json::json!("2024-03-01")),
                ("date_to", serde_json::json!("2024-03-31"))
            ]
        );
        let q = q.operation("7").page(3);
        assert_eq!(
            q.params()[2..],
            [
                ("operation", serde_json::json!("7")),
                ("paginate", serde_json::json!(1)),
                ("page", serde_json::json!(3))
            ]
        );
    }

    #[test]
    fn query_validation() {
        let field = |q: TransactionsQuery| q.validate().unwrap_err().field().to_string();
        assert_eq!(
            field(TransactionsQuery::new(
                date!(2024 - 03 - 02),
                date!(2024 - 03 - 01)
            )),
            "date_from"
        );
        assert_eq!(
            field(TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 01)).page(0)),
            "page"
        );
        assert_eq!(
            field(
                TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 01))
                    .page(2)
                    .paginate(false)
            ),
            "page"
        );
        assert!(
            TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 01))
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn next_pages_follow_the_reported_pages() {
        let query = TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 31));
        let list = ListTransactions::new(query.clone().page(1));
        let answer = |body: &'static str| {
            list.parse(&Response::new("telepagos", "transactions", 200, body))
                .unwrap()
        };
        let more = answer(r#"{"transactions":[{}],"page":1,"pages":2}"#);
        let next = list.next_page(&more).unwrap();
        assert_eq!(next.query().page, Some(2));
        assert!(next.next_page(&more).is_some());
        let last = ListTransactions::new(query.clone().page(2))
            .parse(&Response::new(
                "telepagos",
                "transactions",
                200,
                r#"{"transactions":[{}],"page":2,"pages":2}"#,
            ))
            .unwrap();
        assert!(!last.has_more);
        // An empty page, or an answer without pagination, ends the walk.
        assert!(!answer(r#"{"transactions":[],"pages":5}"#).has_more);
        assert!(!answer(r#"{"transactions":[{}]}"#).has_more);
    }

    #[test]
    fn undecodable_success_is_outcome_unknown() {
        let resp = Response::new("telepagos", "account_balance", 200, "<html>ok</html>");
        match GetBalance::new().parse(&resp) {
            Err(pagos_core::Error::OutcomeUnknown(u)) => {
                assert_eq!(u.raw_body.as_deref(), Some("<html>ok</html>"));
                assert_eq!(u.http_status, Some(200));
            }
            other => panic!("{other:?}"),
        }
        // A status the envelope check let through is no obstacle to reading.
        let ok = |body: &'static str| {
            GetBalance::new()
                .parse(&Response::new("telepagos", "account_balance", 200, body))
                .is_ok()
        };
        assert!(ok(r#"{"status":"ok","amount":1}"#));
        assert!(ok(r#"{"status":"OK ","amount":1,"x":1}"#));
    }
}
