//! Cursor pagination shared by `GET /invoices` and `GET /events`: the filters and
//! cursors ([`ListParams`]), the page envelope read into a [`pagos_core::Page`], and the
//! request for the next page.

use futures_util::stream::{self, BoxStream, StreamExt};
use pagos_core::endpoint::{Executor, PageRequest, SecretHeader, unreadable};
use pagos_core::transport::Response;
use pagos_core::{Error, Page, Raw, ValidationError, validate};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use time::Date;
use time::macros::format_description;

/// Filters and cursors of `GET /invoices` and `GET /events`.
///
/// **Page size.** KashIO's API document gives `limit` ("Limite de registros por
/// petición") without a range, so any positive `limit` is sent as given and KashIO
/// decides (a limit it refuses comes back as [`pagos_core::Error::Provider`]). Only `0`
/// is refused before sending: a page of no items cannot be asked for.
///
/// **Cursor names.** The endpoint tables of KashIO's API document (1.0.1.a) name the
/// cursors `start` and `end`, while its pagination section names them `starting_after`
/// and `ending_before`, and nothing in KashIO's public documentation says which one the
/// server reads. Each cursor is therefore sent under BOTH names with the same value
/// (`start=X&starting_after=X`, `end=Y&ending_before=Y`): the two spellings mean the
/// same thing, so whichever one the server reads, it reads the right cursor, and an
/// HTTP API ignores query parameters it does not know (the document shows no
/// rejection of unknown parameters). Sending only one name would silently return the
/// first page again whenever it is the wrong one; a page that contains its own cursor
/// object is additionally reported as an error instead of being walked forever.
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

    /// Items per page: any positive number, sent as given (see the page size above).
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
        if self.limit == Some(0) {
            return Err(ValidationError::new(
                "limit",
                "must be at least 1: a page of no items cannot be asked for",
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

    /// The query string; each cursor under both of its names (see [`ListParams`]).
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

/// An item of a KashIO list: an object with a KashIO id (the cursor of the next page)
/// and a raw answer of its own.
pub(crate) trait Listed: DeserializeOwned {
    /// The KashIO id (`inv_…`, `eve_…`).
    fn id(&self) -> &str;
    /// Keeps the item's own JSON, exactly as it stands in the page.
    fn set_raw(&mut self, raw: Raw);
}

/// `{"object":"list","has_more":bool,"data":[…]}`, each item kept as its text.
#[derive(Deserialize)]
struct PageWire {
    has_more: bool,
    data: Vec<Raw>,
}

/// Reads a page: the envelope once, then every item from its own text (so each item's
/// `raw` is exactly its part of the page), then the cursor check.
///
/// # Errors
/// [`Error::OutcomeUnknown`] when the page or an item cannot be read, or when the page
/// contains the cursor object (the server ignored the cursor).
pub(crate) fn parse_page<T: Listed>(
    response: &Response,
    params: &ListParams,
) -> Result<Page<T>, Error> {
    let (wire, raw): (PageWire, Raw) = response.json_with_raw()?;
    let mut items = Vec::with_capacity(wire.data.len());
    for (i, item_raw) in wire.data.into_iter().enumerate() {
        let mut item: T = item_raw
            .decode()
            .map_err(|e| unreadable(response, format!("data[{i}]: {e}")))?;
        item.set_raw(item_raw);
        items.push(item);
    }
    check_cursor(&items, params, response)?;
    Ok(Page::new(items, wire.has_more, raw))
}

/// A page asked for after (or before) object X can never contain X; when it does,
/// the server ignored the cursor, and walking on would loop over the same page.
fn check_cursor<T: Listed>(
    items: &[T],
    params: &ListParams,
    response: &Response,
) -> Result<(), Error> {
    let cursor = params
        .starting_after
        .as_deref()
        .or(params.ending_before.as_deref());
    if let Some(cursor) = cursor
        && items.iter().any(|item| item.id() == cursor)
    {
        return Err(unreadable(
            response,
            format!(
                "the page contains the cursor object {cursor:?}: the server ignored the cursor"
            ),
        ));
    }
    Ok(())
}

/// The parameters of the page after `page`, walking forward: the same filters with
/// `starting_after` = the id of its last item. `None` after the last page, after an
/// empty page (it cannot advance the cursor, whatever `has_more` says), and for a page
/// asked for with `ending_before` (that walks backwards; streams refuse it).
pub(crate) fn next_params<T: Listed>(params: &ListParams, page: &Page<T>) -> Option<ListParams> {
    if !page.has_more || params.ending_before.is_some() {
        return None;
    }
    let last = page.items.last()?;
    Some(params.clone().starting_after(last.id()))
}

/// Every item from `first` on, through [`Executor::stream`]; a stream whose params
/// (`params_of(&first)`) have `ending_before` is refused (one error, nothing sent):
/// streams walk forward.
pub(crate) fn stream<E>(
    executor: &Executor<SecretHeader>,
    first: E,
    params_of: fn(&E) -> &ListParams,
) -> BoxStream<'static, Result<E::Item, Error>>
where
    E: PageRequest + 'static,
{
    if params_of(&first).ending_before.is_some() {
        let refused: Error = ValidationError::new(
            "ending_before",
            "the stream walks forward with starting_after; \
             use list with ending_before to page backwards",
        )
        .into();
        return stream::once(async move { Err(refused) }).boxed();
    }
    executor.stream(first)
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
        // No upper bound of its own: KashIO documents none, so KashIO decides.
        assert!(ListParams::new().limit(101).validate().is_ok());
        assert!(ListParams::new().limit(u32::MAX).validate().is_ok());
        assert!(ListParams::new().limit(1).validate().is_ok());
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
