//! Cursor pagination shared by `GET /invoices` and `GET /events`.

use std::future::Future;

use futures_core::stream::BoxStream;
use pagos_core::transport::{Request, Response};
use pagos_core::{Error, ValidationError, validate};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

/// Lists answer with at most this many items per page.
///
/// The API document gives `limit` ("Limite de registros por petición") without a range.
/// KashIO's list envelope (`object: "list"`, `has_more`, `data`, cursors by object id)
/// follows Stripe's design, whose `limit` is 1 to 100; the same range is enforced here
/// so an out-of-range value is caught before sending.
pub const MAX_LIMIT: u32 = 100;

/// One page of a list: `{"object":"list","has_more":bool,"data":[…]}`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page, in KashIO's order.
    pub data: Vec<T>,
    /// Whether more items follow the last one.
    pub has_more: bool,
    /// Always `"list"`.
    #[serde(default)]
    pub object: Option<String>,
}

impl<T: HasId> Page<T> {
    /// The id of the last item: the `starting_after` cursor of the next page.
    pub fn last_id(&self) -> Option<&str> {
        self.data.last().map(HasId::id)
    }

    /// The id of the first item: the `ending_before` cursor of the previous page.
    pub fn first_id(&self) -> Option<&str> {
        self.data.first().map(HasId::id)
    }
}

/// An object with a KashIO id, usable as a pagination cursor.
pub trait HasId {
    /// The KashIO id (`inv_…`, `eve_…`).
    fn id(&self) -> &str;
}

/// Filters and cursors of `GET /invoices` and `GET /events`.
///
/// ```
/// use pagos_kashio::ListParams;
/// use time::macros::date;
///
/// let params = ListParams::new()
///     .date(date!(2017 - 05 - 30))
///     .status("paid")
///     .limit(50)
///     .starting_after("inv_live_oFPMsJmgmxBhPiWAoWFZ3n");
/// assert_eq!(params.get_limit(), Some(50));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ListParams {
    date: Option<Date>,
    status: Option<String>,
    limit: Option<u32>,
    starting_after: Option<String>,
    ending_before: Option<String>,
}

impl ListParams {
    /// No filters: KashIO's default page.
    pub fn new() -> Self {
        ListParams::default()
    }

    /// Only objects of this day (`date=yyyy-MM-dd`).
    pub fn date(mut self, date: Date) -> Self {
        self.date = Some(date);
        self
    }

    /// Only objects with this status: for invoices `pending`, `paid`, `expired`,
    /// `voided` (see [`crate::InvoiceStatus::as_str`]); for events `new`, `failed`,
    /// `notified`. Sent as given.
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }

    /// Items per page, 1 to [`MAX_LIMIT`].
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The page after the object with this id.
    pub fn starting_after(mut self, id: impl Into<String>) -> Self {
        self.starting_after = Some(id.into());
        self
    }

    /// The page before the object with this id.
    pub fn ending_before(mut self, id: impl Into<String>) -> Self {
        self.ending_before = Some(id.into());
        self
    }

    /// The day filter.
    pub fn get_date(&self) -> Option<Date> {
        self.date
    }
    /// The status filter.
    pub fn get_status(&self) -> Option<&str> {
        self.status.as_deref()
    }
    /// The page size.
    pub fn get_limit(&self) -> Option<u32> {
        self.limit
    }
    /// The forward cursor.
    pub fn get_starting_after(&self) -> Option<&str> {
        self.starting_after.as_deref()
    }
    /// The backward cursor.
    pub fn get_ending_before(&self) -> Option<&str> {
        self.ending_before.as_deref()
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        if let Some(limit) = self.limit
            && !(1..=MAX_LIMIT).contains(&limit)
        {
            return Err(ValidationError::new(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}, got {limit}"),
            ));
        }
        if let Some(status) = &self.status {
            validate::non_empty("status", status)?;
        }
        if let Some(id) = &self.starting_after {
            validate::non_empty("starting_after", id)?;
        }
        if let Some(id) = &self.ending_before {
            validate::non_empty("ending_before", id)?;
        }
        if self.starting_after.is_some() && self.ending_before.is_some() {
            return Err(ValidationError::new(
                "ending_before",
                "use either starting_after or ending_before, not both",
            ));
        }
        Ok(())
    }

    /// The query string.
    ///
    /// Cursor names: the endpoint tables of KashIO's API document (1.0.1.a) name them
    /// `start` and `end`, while its pagination prose names them `starting_after` and
    /// `ending_before` (KashIO's public documentation does not resolve the
    /// inconsistency). Each cursor is sent under BOTH names, with the same value: the
    /// two spellings mean the same thing, so whichever one the server reads, it reads
    /// the right cursor, and servers ignore query parameters they do not know (the API
    /// document shows no rejection of unknown parameters). Sending only one would
    /// silently return the first page again whenever it is the wrong one;
    /// [`check_cursor`] additionally turns that case into an error instead of an
    /// endless walk.
    pub(crate) fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(date) = self.date {
            let text = date
                .format(format_description!("[year]-[month]-[day]"))
                .unwrap_or_else(|_| date.to_string());
            query.push(("date", text));
        }
        if let Some(status) = &self.status {
            query.push(("status", status.trim().to_string()));
        }
        if let Some(limit) = self.limit {
            query.push(("limit", limit.to_string()));
        }
        if let Some(id) = &self.starting_after {
            query.push(("start", id.clone()));
            query.push(("starting_after", id.clone()));
        }
        if let Some(id) = &self.ending_before {
            query.push(("end", id.clone()));
            query.push(("ending_before", id.clone()));
        }
        query
    }
}

/// Sends a list request and decodes the page.
pub(crate) async fn fetch_page<T>(
    client: &crate::KashioClient,
    request: Request,
    params: &ListParams,
) -> Result<Page<T>, Error>
where
    T: HasId + for<'de> Deserialize<'de>,
{
    let response = client.send(request.query(&params.to_query())).await?;
    let page: Page<T> = response.json()?;
    check_cursor(&page, params, &response)?;
    Ok(page)
}

/// A page asked for after (or before) object X can never contain X; when it does,
/// the server ignored the cursor, and walking on would loop over the same page.
fn check_cursor<T: HasId>(
    page: &Page<T>,
    params: &ListParams,
    response: &Response,
) -> Result<(), Error> {
    let cursor = params
        .starting_after
        .as_deref()
        .or(params.ending_before.as_deref());
    if let Some(cursor) = cursor
        && page.data.iter().any(|item| item.id() == cursor)
    {
        return Err(response
            .undecodable(format!(
                "the page contains the cursor object {cursor:?}: the server ignored the cursor"
            ))
            .into());
    }
    Ok(())
}

/// Walks every page forward from `params`, one page in memory at a time: each page
/// is fetched only when the previous one has been consumed, with
/// `starting_after = last id of the previous page`.
pub(crate) fn walk<T, F, Fut>(params: ListParams, fetch: F) -> BoxStream<'static, Result<T, Error>>
where
    T: HasId + Send + 'static,
    F: FnMut(ListParams) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    struct State<T, F> {
        fetch: F,
        params: ListParams,
        buffer: std::vec::IntoIter<T>,
        more: bool,
    }
    let state = State {
        fetch,
        params,
        buffer: Vec::new().into_iter(),
        more: true,
    };
    Box::pin(futures_util::stream::try_unfold(
        state,
        |mut st: State<T, F>| async move {
            loop {
                if let Some(item) = st.buffer.next() {
                    return Ok(Some((item, st)));
                }
                if !st.more {
                    return Ok(None);
                }
                if st.params.ending_before.is_some() {
                    return Err(ValidationError::new(
                        "ending_before",
                        "the stream walks forward with starting_after; \
                         use list_* with ending_before to page backwards",
                    )
                    .into());
                }
                let page = (st.fetch)(st.params.clone()).await?;
                // An empty page cannot advance the cursor, whatever has_more says.
                st.more = page.has_more && !page.data.is_empty();
                if let Some(last) = page.last_id() {
                    st.params.starting_after = Some(last.to_string());
                }
                st.buffer = page.data.into_iter();
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn query_sends_both_cursor_spellings() {
        let q = ListParams::new()
            .date(date!(2017 - 05 - 30))
            .status(" paid ")
            .limit(2)
            .starting_after("inv_1")
            .to_query();
        let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            q,
            vec![
                ("date", "2017-05-30"),
                ("status", "paid"),
                ("limit", "2"),
                ("start", "inv_1"),
                ("starting_after", "inv_1"),
            ]
        );
        let q = ListParams::new().ending_before("inv_9").to_query();
        assert_eq!(q[0], ("end", "inv_9".to_string()));
        assert_eq!(q[1], ("ending_before", "inv_9".to_string()));
    }

    #[test]
    fn validation() {
        assert!(ListParams::new().validate().is_ok());
        assert_eq!(
            ListParams::new().limit(0).validate().unwrap_err().field(),
            "limit"
        );
        assert_eq!(
            ListParams::new().limit(101).validate().unwrap_err().field(),
            "limit"
        );
        assert!(ListParams::new().limit(100).validate().is_ok());
        assert_eq!(
            ListParams::new()
                .starting_after("a")
                .ending_before("b")
                .validate()
                .unwrap_err()
                .field(),
            "ending_before"
        );
        assert_eq!(
            ListParams::new()
                .starting_after(" ")
                .validate()
                .unwrap_err()
                .field(),
            "starting_after"
        );
        assert_eq!(
            ListParams::new().status("").validate().unwrap_err().field(),
            "status"
        );
    }
}
