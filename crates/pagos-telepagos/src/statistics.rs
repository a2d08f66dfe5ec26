//! Collecting-account statistics: `GET v2/whitelabel/statics/{period}` (the path says
//! `statics`). Only users related to the collecting account (cuenta recaudadora) may
//! call it.
//!
//! The TelePagos API ("API Telepagos Empresas") shows `data` as an array of one-element
//! arrays of objects:
//!
//! ```json
//! {"status":"ok","data":[[{"count_open_cvu":0}],[{"total_cashout":null,"total_cashin":null}],
//!  [{"count_payments_services":0}],[{"count_sent_sms":0}]]}
//! ```
//!
//! [`Statistics`] models exactly the figures shown there, found wherever they appear
//! in `data` (groups may also be bare objects), and keeps the whole answer in
//! [`Statistics::raw`] for anything else. The API does not say what `period`
//! looks like, so it is passed through as given (percent-encoded as one path segment).
//!
//! | endpoint | call | handle method |
//! |---|---|---|
//! | [`GetStatistics`] | `GET v2/whitelabel/statics/{period}` | [`StatisticsHandle::get`] |

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method, Request};
use pagos_core::{BaseUrl, Decimal, Raw, Response, Result, validate};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use crate::client::TelepagosClient;
use crate::wire::lenient_int;

/// Statistics for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Statistics {
    /// The answer's `status`.
    pub status: Option<String>,
    /// `count_open_cvu`: CVUs opened.
    pub count_open_cvu: Option<i64>,
    /// `total_cashout`: ARS sent out (`null` when there was none).
    #[serde(serialize_with = "pagos_core::wire::lenient_decimal::option::serialize")]
    pub total_cashout: Option<Decimal>,
    /// `total_cashin`: ARS received (`null` when there was none).
    #[serde(serialize_with = "pagos_core::wire::lenient_decimal::option::serialize")]
    pub total_cashin: Option<Decimal>,
    /// `count_payments_services`: service payments.
    pub count_payments_services: Option<i64>,
    /// `count_sent_sms`: text messages sent.
    pub count_sent_sms: Option<i64>,
    /// The whole answer, as TelePagos sent it.
    pub raw: Raw,
}

/// One object of `data`; every figure optional.
#[derive(Debug, Default, Deserialize)]
struct Figures {
    #[serde(default, deserialize_with = "lenient_int::deserialize")]
    count_open_cvu: Option<i64>,
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    total_cashout: Option<Decimal>,
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    total_cashin: Option<Decimal>,
    #[serde(default, deserialize_with = "lenient_int::deserialize")]
    count_payments_services: Option<i64>,
    #[serde(default, deserialize_with = "lenient_int::deserialize")]
    count_sent_sms: Option<i64>,
}

impl Figures {
    fn merge(&mut self, other: Figures) {
        self.count_open_cvu = self.count_open_cvu.or(other.count_open_cvu);
        self.total_cashout = self.total_cashout.or(other.total_cashout);
        self.total_cashin = self.total_cashin.or(other.total_cashin);
        self.count_payments_services = self
            .count_payments_services
            .or(other.count_payments_services);
        self.count_sent_sms = self.count_sent_sms.or(other.count_sent_sms);
    }
}

#[derive(Deserialize)]
struct StatisticsWire {
    #[serde(default)]
    status: Option<String>,
    #[serde(default, deserialize_with = "figures")]
    data: Figures,
}

/// Reads `data`: an array whose items are objects or arrays of objects.
fn figures<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Figures, D::Error> {
    use serde::de::Error as _;
    let groups = <Option<Vec<&RawValue>>>::deserialize(d)?.unwrap_or_default();
    let mut all = Figures::default();
    for group in groups {
        let text = group.get().trim_start();
        if text.starts_with('[') {
            let items: Vec<Figures> =
                serde_json::from_str(group.get()).map_err(D::Error::custom)?;
            items.into_iter().for_each(|f| all.merge(f));
        } else if text.starts_with('{') {
            all.merge(serde_json::from_str(group.get()).map_err(D::Error::custom)?);
        }
    }
    Ok(all)
}

/// `GET v2/whitelabel/statics/{period}`: statistics for `period`. Only users related
/// to the collecting account may call it.
///
/// ```
/// use pagos_core::{Endpoint, Response};
/// use pagos_telepagos::statistics::GetStatistics;
///
/// let stats = GetStatistics::new("2024-03");
/// let base = pagos_core::BaseUrl::parse("https://api.telepagos.com.ar")?;
/// let request = pagos_core::endpoint::describe(&stats, &base)?;
/// assert_eq!(request.url().path(), "/v2/whitelabel/statics/2024-03");
/// let body = r#"{"status":"ok","data":[[{"count_open_cvu":2}],[{"total_cashin":0.10}]]}"#;
/// let read = stats.parse(&Response::new("telepagos", GetStatistics::OPERATION, 200, body))?;
/// assert_eq!(read.count_open_cvu, Some(2));
/// assert_eq!(read.total_cashin.unwrap().to_string(), "0.10");
/// assert_eq!(read.raw.get(), body);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetStatistics {
    period: String,
}

impl GetStatistics {
    /// The statistics of `period`, as TelePagos names it (e.g. a month, `2024-03`).
    pub fn new(period: impl Into<String>) -> Self {
        GetStatistics {
            period: period.into(),
        }
    }

    /// The period, as given.
    pub fn period(&self) -> &str {
        &self.period
    }
}

impl Endpoint for GetStatistics {
    type Output = Statistics;
    const OPERATION: &'static str = "statistics";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    /// # Errors
    /// [`pagos_core::Error::Validation`] on `period` when it is blank or would change
    /// the path (see [`validate::path_id`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        // The period is a path segment: `..` would ask for another resource.
        validate::path_id("period", &self.period)?;
        Ok(Request::new(
            Method::GET,
            base.join(&["v2", "whitelabel", "statics", self.period.trim()])?,
            Self::OPERATION,
        ))
    }

    fn parse(&self, response: &Response) -> Result<Statistics> {
        let (wire, raw): (StatisticsWire, Raw) = crate::wire::answer(response)?;
        Ok(Statistics {
            status: wire.status,
            count_open_cvu: wire.data.count_open_cvu,
            total_cashout: wire.data.total_cashout,
            total_cashin: wire.data.total_cashin,
            count_payments_services: wire.data.count_payments_services,
            count_sent_sms: wire.data.count_sent_sms,
            raw,
        })
    }
}

/// Statistics, from [`TelepagosClient::statistics`].
#[derive(Debug, Clone, Copy)]
pub struct StatisticsHandle<'a> {
    client: &'a TelepagosClient,
}

impl<'a> StatisticsHandle<'a> {
    pub(crate) fn new(client: &'a TelepagosClient) -> Self {
        StatisticsHandle { client }
    }

    /// Statistics for `period`: [`GetStatistics`].
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `period` when it is blank or would change
    /// the path (see [`validate::path_id`]);
    /// [`pagos_core::Error::Provider`] when TelePagos refuses (e.g. a user not related to
    /// the collecting account); [`pagos_core::Error::OutcomeUnknown`] for an unreadable
    /// answer.
    pub async fn get(&self, period: &str) -> Result<Statistics> {
        self.client.run(&GetStatistics::new(period)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_shape_and_bare_objects() {
        let w: StatisticsWire = serde_json::from_str(
            r#"{"status":"ok","data":[[{"count_open_cvu":3}],[{"total_cashout":"10.50","total_cashin":2000.00}],{"count_sent_sms":4}]}"#,
        )
        .unwrap();
        assert_eq!(w.data.count_open_cvu, Some(3));
        assert_eq!(w.data.total_cashout.unwrap().to_string(), "10.50");
        assert_eq!(w.data.total_cashin.unwrap().to_string(), "2000.00");
        assert_eq!(w.data.count_payments_services, None);
        assert_eq!(w.data.count_sent_sms, Some(4));
        let w: StatisticsWire = serde_json::from_str(r#"{"status":"ok"}"#).unwrap();
        assert_eq!(w.data.count_open_cvu, None);
    }
}
