//! Wire helpers shared by the provider modules: exact amounts, JSON field access,
//! HTTP Basic credentials and the providers' date formats.
//!
//! Amounts never pass through `f64`: request bodies are read into
//! `BTreeMap<String, Box<RawValue>>` and amounts are parsed from the JSON text itself;
//! answers write them back as JSON numbers through [`JsonNumber`].

use std::collections::BTreeMap;
use std::str::FromStr;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use time::{
    OffsetDateTime, PrimitiveDateTime, format_description::BorrowedFormatItem,
    macros::format_description,
};

/// A decimal written as a bare JSON number (not a string), with exactly the given digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonNumber(String);

impl JsonNumber {
    /// The amount with exactly `decimals` digits after the point (`15.00`, `1000.0000`).
    pub(crate) fn fixed(amount: Decimal, decimals: u32) -> Self {
        JsonNumber(fixed(amount, decimals))
    }

    /// The amount in its shortest exact form (`10250`, `12.5`).
    pub(crate) fn plain(amount: Decimal) -> Self {
        JsonNumber(amount.normalize().to_string())
    }

    /// An integer.
    pub(crate) fn int(n: i64) -> Self {
        JsonNumber(n.to_string())
    }
}

impl Serialize for JsonNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // RawValue is serialized verbatim by serde_json: the number keeps its exact digits.
        let raw = RawValue::from_string(self.0.clone()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

/// The amount as text with exactly `decimals` digits after the point.
pub(crate) fn fixed(amount: Decimal, decimals: u32) -> String {
    let mut rounded = amount.round_dp(decimals);
    rounded.rescale(decimals);
    rounded.to_string()
}

/// Parses a plain decimal text (`1000`, `12.50`, `-3.1`), rejecting exponents, signs other
/// than a leading `-`, separators and blanks.
pub(crate) fn parse_plain_decimal(text: &str) -> Option<Decimal> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    Decimal::from_str(text).ok()
}

/// Parses a decimal from a JSON value's text: a number (`15.00`, `1e3`) or a numeric
/// string (`"25.00"`).
pub(crate) fn decimal_from_raw(raw: &RawValue) -> Option<Decimal> {
    let text = raw.get().trim();
    if text.starts_with('"') {
        let inner: String = serde_json::from_str(text).ok()?;
        return parse_plain_decimal(inner.trim());
    }
    parse_plain_decimal(text).or_else(|| {
        if text.contains(['e', 'E']) {
            Decimal::from_scientific(text).ok()
        } else {
            None
        }
    })
}

/// A field that failed validation: which one and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub(crate) field: String,
    pub(crate) message: String,
}

impl FieldError {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A JSON object read field by field, each value kept as its raw JSON text.
#[derive(Debug, Default)]
pub(crate) struct JsonObject {
    fields: BTreeMap<String, Box<RawValue>>,
    /// The dotted prefix of nested objects, so errors name `customer.email`.
    path: String,
}

impl JsonObject {
    /// Parses a request body that must be a JSON object.
    pub(crate) fn parse(body: &[u8]) -> Result<JsonObject, String> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err("el cuerpo de la petición está vacío; se esperaba un objeto JSON".into());
        }
        serde_json::from_slice::<BTreeMap<String, Box<RawValue>>>(body)
            .map(|fields| JsonObject {
                fields,
                path: String::new(),
            })
            .map_err(|e| format!("JSON inválido: {e}"))
    }

    fn name(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The keys present (including those whose value is `null`).
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.keys().map(String::as_str)
    }

    /// The raw value, `None` when absent or `null`.
    pub(crate) fn raw(&self, key: &str) -> Option<&RawValue> {
        self.fields
            .get(key)
            .map(Box::as_ref)
            .filter(|raw| raw.get().trim() != "null")
    }

    /// A copy of the raw value, `None` when absent or `null`.
    pub(crate) fn raw_owned(&self, key: &str) -> Option<Box<RawValue>> {
        self.raw(key).map(|r| r.to_owned())
    }

    /// A string field (absent or `null` gives `None`; another JSON type is an error).
    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(raw) => serde_json::from_str::<String>(raw.get())
                .map(Some)
                .map_err(|_| FieldError::new(self.name(key), "debe ser un texto")),
        }
    }

    /// A required, non-blank string field.
    pub(crate) fn required_string(&self, key: &str) -> Result<String, FieldError> {
        match self.string(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(FieldError::new(self.name(key), "es obligatorio")),
        }
    }

    /// A decimal field, from a JSON number or a numeric string.
    pub(crate) fn decimal(&self, key: &str) -> Result<Option<Decimal>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(raw) => decimal_from_raw(raw)
                .map(Some)
                .ok_or_else(|| FieldError::new(self.name(key), "debe ser un número decimal")),
        }
    }

    /// An integer field, from a JSON number or a numeric string.
    pub(crate) fn integer(&self, key: &str) -> Result<Option<i64>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(raw) => {
                let text = raw.get().trim();
                let text =
                    serde_json::from_str::<String>(text).unwrap_or_else(|_| text.to_string());
                text.trim()
                    .parse::<i64>()
                    .map(Some)
                    .map_err(|_| FieldError::new(self.name(key), "debe ser un número entero"))
            }
        }
    }

    /// A boolean field (`true`/`false`, also as strings).
    pub(crate) fn boolean(&self, key: &str) -> Result<Option<bool>, FieldError> {
        match self.raw(key).map(|r| r.get().trim()) {
            None => Ok(None),
            Some("true" | "\"true\"") => Ok(Some(true)),
            Some("false" | "\"false\"") => Ok(Some(false)),
            Some(_) => Err(FieldError::new(self.name(key), "debe ser true o false")),
        }
    }

    /// A nested object field.
    pub(crate) fn object(&self, key: &str) -> Result<Option<JsonObject>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(raw) => serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(raw.get())
                .map(|fields| {
                    Some(JsonObject {
                        fields,
                        path: self.name(key),
                    })
                })
                .map_err(|_| FieldError::new(self.name(key), "debe ser un objeto")),
        }
    }

    /// An array of objects.
    pub(crate) fn objects(&self, key: &str) -> Result<Option<Vec<JsonObject>>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(raw) => {
                let items = serde_json::from_str::<Vec<BTreeMap<String, Box<RawValue>>>>(raw.get())
                    .map_err(|_| {
                        FieldError::new(self.name(key), "debe ser una lista de objetos")
                    })?;
                Ok(Some(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, fields)| JsonObject {
                            fields,
                            path: format!("{}[{i}]", self.name(key)),
                        })
                        .collect(),
                ))
            }
        }
    }

    /// The field's full name for error messages.
    pub(crate) fn field_name(&self, key: &str) -> String {
        self.name(key)
    }
}

/// The user name and password of an `Authorization: Basic` header.
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':').unwrap_or((text.as_str(), ""));
    Some((user.to_string(), password.to_string()))
}

/// The token of an `Authorization: Bearer` header.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// Compares two secrets without an early exit on the first differing byte.
pub(crate) fn secrets_match(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    let mut diff = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        diff |= usize::from(x ^ b.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

/// A JSON answer with the given status.
pub(crate) fn json_response<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("sandbox serialization error: {e}"),
        )
            .into_response(),
    }
}

/// `yyyy-MM-ddThh:mm:ss` (KashIO).
pub(crate) const LOCAL_T: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
/// `yyyy-MM-dd hh:mm:ss` (KashIO lists, TelePagos).
pub(crate) const LOCAL_SPACE: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
/// `yyyy-MM-dd`.
pub(crate) const DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");
/// `2022-12-20T17:11:46.794+0000` (Kashpay).
pub(crate) const KASHPAY_TIME: &[BorrowedFormatItem<'static>] = format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3][offset_hour sign:mandatory][offset_minute]"
);

/// Formats a UTC instant with one of the formats above.
pub(crate) fn format_time(t: OffsetDateTime, format: &[BorrowedFormatItem<'static>]) -> String {
    t.format(format).unwrap_or_default()
}

/// ISO-8601 / RFC 3339 in UTC with whole seconds (`2017-03-01T13:00:00Z`).
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Parses `yyyy-MM-ddThh:mm:ss` or `yyyy-MM-dd hh:mm:ss` as UTC.
pub(crate) fn parse_local(text: &str) -> Option<OffsetDateTime> {
    PrimitiveDateTime::parse(text.trim(), LOCAL_T)
        .or_else(|_| PrimitiveDateTime::parse(text.trim(), LOCAL_SPACE))
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// Parses `yyyy-MM-dd`.
pub(crate) fn parse_date(text: &str) -> Option<time::Date> {
    time::Date::parse(text.trim(), DATE).ok()
}

/// Parses an ISO-8601 instant (`2017-03-01T13:00:00Z`, offsets accepted).
pub(crate) fn parse_rfc3339(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339).ok()
}

/// A plausible e-mail address: one `@`, something on each side, a dot in the domain.
pub(crate) fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// An absolute `http`/`https` URL.
pub(crate) fn is_http_url(s: &str) -> bool {
    url::Url::parse(s)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// An E.164 phone number: `+` then 8 to 15 digits.
pub(crate) fn is_e164(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|d| {
        (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
    })
}

/// Whether a decimal has at most `max` digits after the point (trailing zeros ignored).
pub(crate) fn has_at_most_decimals(amount: Decimal, max: u32) -> bool {
    amount.normalize().scale() <= max
}

/// Registers a route both as written and with a trailing slash, since clients differ on
/// whether they append one.
pub(crate) fn route<S: Clone + Send + Sync + 'static>(
    router: axum::Router<S>,
    path: &str,
    handler: axum::routing::MethodRouter<S>,
) -> axum::Router<S> {
    router
        .route(path, handler.clone())
        .route(&format!("{path}/"), handler)
}

/// Mexican CLABE check digit over the first 17 digits (weights 3, 7, 1).
pub(crate) fn clabe_check_digit(first17: &[u8]) -> u8 {
    const WEIGHTS: [u32; 3] = [3, 7, 1];
    let sum: u32 = first17
        .iter()
        .enumerate()
        .map(|(i, d)| (u32::from(*d) * WEIGHTS[i % 3]) % 10)
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// Whether the text is an 18-digit CLABE with a correct check digit.
pub(crate) fn is_valid_clabe(s: &str) -> bool {
    let digits: Vec<u8> = s.bytes().map(|b| b.wrapping_sub(b'0')).collect();
    s.len() == 18
        && digits.iter().all(|d| *d < 10)
        && clabe_check_digit(&digits[..17]) == digits[17]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn decimals_parse_exactly_from_numbers_and_strings() {
        let raw = |s: &str| RawValue::from_string(s.to_string()).unwrap();
        assert_eq!(decimal_from_raw(&raw("15.00")), Some(dec("15.00")));
        assert_eq!(decimal_from_raw(&raw("\"25.10\"")), Some(dec("25.10")));
        assert_eq!(decimal_from_raw(&raw("0.1")), Some(dec("0.1")));
        assert_eq!(decimal_from_raw(&raw("1e3")), Some(dec("1000")));
        assert_eq!(decimal_from_raw(&raw("\"1,000\"")), None);
        assert_eq!(decimal_from_raw(&raw("true")), None);
    }

    #[test]
    fn numbers_are_written_with_their_digits() {
        let s = serde_json::to_string(&JsonNumber::fixed(dec("15"), 2)).unwrap();
        assert_eq!(s, "15.00");
        let s = serde_json::to_string(&JsonNumber::plain(dec("10250.00"))).unwrap();
        assert_eq!(s, "10250");
    }

    #[test]
    fn clabe_check_digits() {
        assert!(is_valid_clabe("032180000118359719"));
        assert!(is_valid_clabe("646180146400219781"));
        assert!(!is_valid_clabe("646180585000000001"));
    }
}
