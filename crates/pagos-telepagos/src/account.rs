//! The account: balance (`GET v2/account/balance`), transactions
//! (`GET v2/account/transactions`) and the operations they can be filtered by
//! (`GET v2/account/transactions_filters`).

use futures_core::Stream;
use futures_util::{StreamExt as _, TryStreamExt as _, stream};
use pagos_core::transport::{Method, Request};
use pagos_core::{Decimal, PaymentStatus, PayoutStatus, Response, Result, ValidationError};
use serde::Deserialize;
use time::Date;

use crate::client::TelepagosClient;
use crate::status;
use crate::wire::{lenient_id, lenient_int};

/// The account balance.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
}

/// Which transactions to list.
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
    /// An operation id from [`TelepagosClient::transaction_filters`].
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

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("date_from", format_date(self.date_from)),
            ("date_to", format_date(self.date_to)),
        ];
        if let Some(operation) = &self.operation {
            params.push(("operation", operation.clone()));
        }
        if let Some(paginate) = self.paginate {
            params.push(("paginate", if paginate { "1" } else { "0" }.to_string()));
        }
        if let Some(page) = self.page {
            params.push(("page", page.to_string()));
        }
        params
    }
}

fn format_date(d: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    d.format(format).unwrap_or_default()
}

/// One account movement.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Transaction {
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

/// One page of transactions.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
}

/// An operation type transactions can be filtered by.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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

impl TelepagosClient {
    /// The account balance: `GET v2/account/balance`.
    ///
    /// # Errors
    /// [`pagos_core::Error::Provider`] when TelePagos refuses;
    /// [`pagos_core::Error::OutcomeUnknown`] for an unreadable answer.
    pub async fn account_balance(&self) -> Result<AccountBalance> {
        Ok(self.account_balance_raw().await?.0)
    }

    pub(crate) async fn account_balance_raw(&self) -> Result<(AccountBalance, Response)> {
        let http = Request::new(
            Method::GET,
            self.url(&["v2", "account", "balance"])?,
            "account_balance",
        );
        self.send(http).await
    }

    /// One page (or, without pagination, all) of the transactions of a date range:
    /// `GET v2/account/transactions?date_from=…&date_to=…[&operation=…][&paginate=1&page=n]`.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `date_from` (after `date_to`), `operation`
    /// (blank) or `page` (0, or without pagination) before sending; otherwise as
    /// [`account_balance`](Self::account_balance).
    pub async fn transactions(&self, query: &TransactionsQuery) -> Result<TransactionsPage> {
        query.validate()?;
        let http = Request::new(
            Method::GET,
            self.url(&["v2", "account", "transactions"])?,
            "transactions",
        )
        .query(&query.params());
        Ok(self.send(http).await?.0)
    }

    /// Every transaction of the query's range, walking the pages one at a time: a
    /// page is requested only when the previous one has been consumed. Starts at the
    /// query's `page` (default 1) with `paginate=1` and stops after the last page the
    /// provider reports (`pages`), or at an empty page, or after the first page when
    /// the answer is not paginated. The first error ends the stream.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use pagos_telepagos::{Client, TransactionsQuery};
    /// use time::macros::date;
    ///
    /// # async fn run(client: Client) -> pagos_core::Result<()> {
    /// let query = TransactionsQuery::new(date!(2024-03-01), date!(2024-03-31));
    /// let mut all = client.transactions_stream(query)?;
    /// while let Some(tx) = all.try_next().await? {
    ///     println!("{:?} {:?}", tx.date, tx.amount);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// The validation errors of [`transactions`](Self::transactions), before any
    /// request; later errors come as stream items.
    pub fn transactions_stream(
        &self,
        query: TransactionsQuery,
    ) -> Result<impl Stream<Item = Result<Transaction>> + Send + Unpin + 'static> {
        let first = query.page.unwrap_or(1);
        let query = query.page(first);
        query.validate()?;
        let client = self.clone();
        let pages = stream::try_unfold(Some(query), move |next| {
            let client = client.clone();
            async move {
                let Some(query) = next else {
                    return Ok::<_, pagos_core::Error>(None);
                };
                let current = query.page.unwrap_or(1);
                let page = client.transactions(&query).await?;
                let more = !page.transactions.is_empty()
                    && page.pages.is_some_and(|pages| i64::from(current) < pages)
                    && current < u32::MAX;
                let next = more.then(|| query.page(current + 1));
                Ok(Some((page.transactions, next)))
            }
        });
        Ok(pages
            .map_ok(|transactions| stream::iter(transactions.into_iter().map(Ok)))
            .try_flatten()
            .boxed())
    }

    /// The operation types transactions can be filtered by:
    /// `GET v2/account/transactions_filters`.
    ///
    /// # Errors
    /// As [`account_balance`](Self::account_balance).
    pub async fn transaction_filters(&self) -> Result<Vec<OperationFilter>> {
        let http = Request::new(
            Method::GET,
            self.url(&["v2", "account", "transactions_filters"])?,
            "transaction_filters",
        );
        Ok(self.send::<FiltersWire>(http).await?.0.operations)
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
                ("date_from", "2024-03-01".to_string()),
                ("date_to", "2024-03-31".to_string())
            ]
        );
        let q = q.operation("7").page(3);
        assert_eq!(
            q.params()[2..],
            [
                ("operation", "7".to_string()),
                ("paginate", "1".to_string()),
                ("page", "3".to_string())
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
}
