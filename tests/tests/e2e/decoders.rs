//! Decoder robustness (the hardening issue): every provider's public response types and
//! the webhook/notification parsers take arbitrary bytes without panicking, and an
//! amount that decodes keeps every digit it was written with.
//!
//! Each target gets three kinds of input: random bytes; "JSON-ish" objects with the
//! type's real field names and right- or wrong-typed values (huge numbers, `1e400`,
//! numeric strings, out-of-range timestamps, nested nulls, deep nesting, duplicate and
//! unknown keys); and those objects with a few bytes changed or cut off. Every input
//! goes through `serde_json::from_slice::<T>()` and `pagos::Response::json::<T>()`, which
//! must agree; whatever decodes also goes through the type's accessors and its
//! conversion into the unified types. Errors are fine; a panic fails the test.
//!
//! Every endpoint's own reading of an answer (ComproPago's and Kashpay's envelopes,
//! every error body, the token answers, TelePagos' list wrappers) gets a generated status
//! and body directly, no socket: the provider's refusal hook first, as the executor
//! applies it, then the endpoint's `parse`. Besides not panicking, every non-2xx must be
//! a refusal (no error status reads as a success), an accepted answer that cannot be
//! read must be an unknown outcome, and a body that is not JSON never reads as a success.
//!
//! Amounts: text with up to 28 significant digits (and 28 decimals) decodes to the same
//! text, as a JSON number or string; scientific notation a `Decimal` holds decodes to
//! exactly that value. Longer text, plain or scientific, is refused, never rounded
//! (`amounts_beyond_28_digits_fail_rather_than_round` and its scientific twin).
//!
//! 256 cases per target, 128 for the endpoint ones (`PROPTEST_CASES` overrides). The same
//! decoders are fuzzed by `cargo xtask fuzz` (`fuzz/`, FUZZING.md), 20 s each in CI.

use std::str::FromStr;

use pagos::endpoint::{Refusal, with_outcome_hint};
use pagos::{Decimal, Endpoint, Error, Payment, PaymentStatus, Response};
use pagos::{compropago, kashio, kashpay, khipu, telepagos};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde::de::IgnoredAny;

fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 256;
    }
    config
}

// ---------------------------------------------------------------------------------------
// Decoding both ways.
// ---------------------------------------------------------------------------------------

/// Decodes `$body` as `$ty` with `serde_json::from_slice` and with `Response::json`
/// (which must agree), then hands a decoded value to `$then`. Returns the value.
macro_rules! decode {
    ($provider:expr, $body:expr, $ty:ty) => {
        decode!($provider, $body, $ty, |_: &$ty| ())
    };
    ($provider:expr, $body:expr, $ty:ty, $then:expr) => {{
        let body: &[u8] = $body;
        let direct = serde_json::from_slice::<$ty>(body);
        let response = Response::new($provider, "decode", 200, body.to_vec());
        let via_response = response.json::<$ty>();
        assert_eq!(
            direct.is_ok(),
            via_response.is_ok(),
            "from_slice and Response::json disagree on {} for {:?}",
            stringify!($ty),
            String::from_utf8_lossy(body)
        );
        match (direct, via_response) {
            (Ok(value), _) => {
                let _ = format!("{value:?}");
                let then: &dyn Fn(&$ty) = &$then;
                then(&value);
                Some(value)
            }
            (Err(e), Err(via)) => {
                let _ = (e.to_string(), via.to_string(), format!("{via:?}"));
                None
            }
            (Err(_), Ok(_)) => None,
        }
    }};
}

/// The error-side helpers of a response built from arbitrary bytes, at any status.
fn response_helpers(provider: &'static str, body: &[u8], status: u16) {
    let response = Response::new(provider, "decode", status, body.to_vec());
    let _ = (response.is_success(), response.text());
    let _ = response.provider_error().to_string();
    let _ = response.undecodable("fuzz").to_string();
}

// ---------------------------------------------------------------------------------------
// JSON-ish inputs: the field names a type reads, with right- and wrong-typed values.
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Kind {
    /// Free text.
    Text,
    /// An identifier: number or string.
    Id,
    /// A decimal amount: number or numeric string.
    Amount,
    Bool,
    /// A whole number, sometimes written oddly.
    Int,
    /// An ISO-8601 timestamp, with or without zone.
    Time,
    /// Epoch seconds or milliseconds (number or string), or RFC 3339 text.
    Epoch,
    /// A status or enum word.
    Word,
    /// An HTTP-like status code in a body (`"code": 200`).
    Code,
    /// An ISO currency code.
    Currency,
    /// Anything at all.
    Any,
    /// A nested object (sometimes an array of them).
    Obj(Fields),
    /// An array (sometimes a bare element).
    List(&'static Kind),
}

type Fields = &'static [(&'static str, Kind)];

use Kind::{Amount, Any, Bool, Code, Currency, Epoch, Id, Int, List, Obj, Text, Time, Word};

const WORDS: &[&str] = &[
    "pending",
    "verifying",
    "done",
    "normal",
    "marked-paid-by-receiver",
    "rejected-by-payer",
    "marked-as-abuse",
    "reversed",
    "regular_transfer",
    "simplified_transfer",
    "not_available",
    "new",
    "NEW",
    "paid",
    "expired",
    "voided",
    "invoice.paid",
    "INVOICE.EXPIRED",
    "failed",
    "notified",
    "PENDING",
    "ACCEPTED",
    "EXPIRED",
    "ACTIVE",
    "unlimited",
    "Aprobada",
    "rechazada",
    "en proceso",
    "devuelto",
    "  Pending  ",
    "",
    "13",
    "14",
    "25",
];

const CURRENCIES: &[&str] = &[
    "CLP", "CLF", "USD", "PEN", "MXN", "ARS", "clp", "XXX", "", " USD ", "ÇLP",
];

/// JSON texts no decoder should choke on.
const NASTY: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-0",
    "-0.0",
    "1e400",
    "-1e400",
    "1e-400",
    "1E+2147483648",
    "0e999999999999999999",
    "18446744073709551616",
    "-9223372036854775809",
    "79228162514264337593543950336",
    "123456789012345678901234567890.123456789012345678901234567890",
    "0.00000000000000000000000000000000001",
    "\"\"",
    "\" \"",
    "\"NaN\"",
    "\"Infinity\"",
    "\"-\"",
    "\"1e400\"",
    "\"1,5\"",
    "\"0x10\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\udc00\\ud800\"",
    "\"null\"",
    "[]",
    "{}",
    "[null]",
    "[[null],{}]",
    "{\"\":null}",
    "{\"id\":null,\"amount\":null}",
];

fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

fn array(items: Vec<String>) -> String {
    format!("[{}]", items.join(","))
}

/// JSON number texts a `Decimal` holds: plain, up to 28 digits, or scientific with a
/// small exponent.
fn plain_number() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "-?(0|[1-9][0-9]{0,13})(\\.[0-9]{1,12})?",
        1 => "[1-9][0-9]{0,27}",
        1 => "0\\.[0-9]{1,28}",
        1 => "-?[1-9](\\.[0-9]{1,10})?[eE][+-]?[0-9]",
    ]
    .boxed()
}

/// JSON number texts no `Decimal` (or `i64`, or `f64`) holds: too many digits, huge or
/// tiny exponents.
fn extreme_number() -> BoxedStrategy<String> {
    prop_oneof![
        2 => "-?[1-9][0-9]{28,45}(\\.[0-9]{0,20})?",
        1 => "-?0\\.[0-9]{29,45}",
        2 => "-?[1-9](\\.[0-9]{1,30})?[eE][+-]?[0-9]{2,5}",
        1 => "-?[0-9]\\.[0-9]{1,10}[eE]-?(29|30|400|2147483648|4294967296|18446744073709551616)",
        1 => select(NASTY)
            .prop_filter("numbers", |t| t.starts_with(['-', '0', '1', '7']))
            .prop_map(str::to_string),
    ]
    .boxed()
}

fn number_text() -> BoxedStrategy<String> {
    prop_oneof![3 => plain_number(), 2 => extreme_number()].boxed()
}

/// Strings that look a little like amounts.
fn amount_string() -> BoxedStrategy<String> {
    prop_oneof![
        2 => number_text().prop_map(|t| quote(&format!(" {t}\t"))),
        2 => "[-+ .,eE0-9]{0,12}".prop_map(|t| quote(&t)),
        1 => select(&[
            "\"1.2.3\"", "\"+1\"", "\".5\"", "\"5.\"", "\"1e\"", "\"--1\"", "\"١٢٣\"", "\"1_000\"",
            "\"NaN\"",
        ][..])
        .prop_map(str::to_string),
    ]
    .boxed()
}

fn offset() -> BoxedStrategy<String> {
    prop_oneof![
        1 => Just("Z".to_string()),
        3 => ("[+-]", 0u32..24, 0u32..60).prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
    ]
    .boxed()
}

/// `YYYY-MM-DDTHH:MM:SS` with valid fields, years 0000 to 9999.
fn good_time_parts() -> BoxedStrategy<String> {
    let year = prop_oneof![
        "[0-9]{4}",
        select(&["0000", "0001", "1970", "2024", "9998", "9999"][..]).prop_map(str::to_string),
    ];
    (year, 1u32..=12, 1u32..=28, 0u32..24, 0u32..60, 0u32..60)
        .prop_map(|(y, mo, d, h, mi, s)| format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}"))
        .boxed()
}

/// Well-formed ISO-8601 timestamps, edge dates included: RFC 3339 and zone-less.
fn good_time() -> BoxedStrategy<String> {
    let date_time = good_time_parts();
    prop_oneof![
        3 => (date_time.clone(), prop_oneof![Just(String::new()), "\\.[0-9]{1,9}"], offset())
            .prop_map(|(dt, frac, off)| quote(&format!("{dt}{frac}{off}"))),
        2 => date_time.clone().prop_map(|dt| quote(&dt)),
        1 => date_time.prop_map(|dt| quote(&dt.replace('T', " "))),
        1 => select(&[
            "\"9999-12-31T23:59:59-01:00\"",
            "\"9999-12-31T23:59:59.999999999-23:59\"",
            "\"9999-12-31T12:00:00-12:00\"",
            "\"0000-01-01T00:00:00+23:59\"",
            "\"0000-01-01T00:00:00+00:01\"",
            "\"9999-12-31 23:59:59\"",
            "\"2020-06-07 23:46:11\"",
        ][..]).prop_map(str::to_string),
    ]
    .boxed()
}

/// Epoch seconds or milliseconds, as numbers or strings, and RFC 3339 text.
fn good_epoch() -> BoxedStrategy<String> {
    prop_oneof![
        3 => (0i64..4_102_444_800).prop_map(|n| n.to_string()),
        2 => (0i64..4_102_444_800_000).prop_map(|n| n.to_string()),
        1 => (0i64..4_102_444_800).prop_map(|n| quote(&n.to_string())),
        1 => "[0-9]{10}\\.[0-9]{1,6}",
        1 => (good_time_parts(), offset()).prop_map(|(dt, off)| quote(&format!("{dt}{off}"))),
    ]
    .boxed()
}

/// Timestamps that are not: impossible dates, odd separators, epochs out of range.
fn odd_time() -> BoxedStrategy<String> {
    prop_oneof![
        2 => (
            "[0-9]{4}",
            0u32..14,
            0u32..33,
            "[T t]",
            0u32..25,
            0u32..61,
            0u32..61,
            "(\\.[0-9]{0,12})?",
            "(Z|[+-][0-9]{2}:?[0-9]{2})?",
        )
            .prop_map(|(y, mo, d, sep, h, mi, s, frac, off)| {
                quote(&format!("{y}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{frac}{off}"))
            }),
        1 => select(&[
            "\"2020-02-30T00:00:00\"",
            "\"2024-01-01T00:00:60Z\"",
            "\"2024-01-01\"",
            "\"          \"",
            "\"2024-01-01T00:00:00é\"",
            "\"2024-01-01é00:00:00\"",
            "\"ééééééééééé\"",
            "\"+10000-01-01T00:00:00Z\"",
            "\"2022-12-20T17:11:46.794+0000\"",
        ][..]).prop_map(str::to_string),
        2 => any::<i64>().prop_map(|n| n.to_string()),
        1 => extreme_number(),
        1 => any::<i64>().prop_map(|n| quote(&n.to_string())),
    ]
    .boxed()
}

fn odd_int() -> BoxedStrategy<String> {
    prop_oneof![
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => extreme_number(),
        1 => select(&[
            "9223372036854775808", "-9223372036854775809", "3.0", "2.5", "1e3", "-1",
            "\"3.0\"", "\" 7 \"", "\"\"", "true", "false", "\"x\"", "\"-0\"",
        ][..]).prop_map(str::to_string),
    ]
    .boxed()
}

/// Any JSON value, mostly odd ones; sometimes nested beyond serde_json's depth limit.
fn any_value() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        4 => select(NASTY).prop_map(str::to_string),
        1 => any::<String>().prop_map(|s| quote(&s)),
        1 => number_text(),
    ];
    prop_oneof![
        20 => leaf.prop_recursive(3, 12, 4, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..4).prop_map(array),
                vec(("[a-z_]{0,8}", inner), 0..4).prop_map(|pairs| {
                    let body: Vec<String> =
                        pairs.into_iter().map(|(k, v)| format!("{}:{v}", quote(&k))).collect();
                    format!("{{{}}}", body.join(","))
                }),
            ]
        }),
        1 => (100usize..300).prop_map(|n| format!("{}{}", "[".repeat(n), "]".repeat(n))),
        1 => (100usize..300).prop_map(|n| format!("{}null{}", "{\"a\":".repeat(n), "}".repeat(n))),
    ]
    .boxed()
}

/// Ordinary JSON: short strings, small numbers, nested a little.
fn simple_value() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        select(&["null", "true", "false", "0", "1.5", "\"\"", "\"x\""][..])
            .prop_map(str::to_string),
        "[a-z0-9 ]{0,8}".prop_map(|s| quote(&s)),
        any::<i32>().prop_map(|n| n.to_string()),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(array),
            vec(("[a-z_]{1,8}", inner), 0..3).prop_map(|pairs| {
                let body: Vec<String> = pairs
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", quote(&k)))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
    .boxed()
}

/// A plausible value of `kind`: the right JSON type, edge values included.
fn good(kind: Kind) -> BoxedStrategy<String> {
    match kind {
        Text => prop_oneof![
            3 => "[a-zA-Z0-9 /:._@-]{0,16}".prop_map(|s| quote(&s)),
            1 => any::<String>().prop_map(|s| quote(&s)),
            1 => Just("\"//invoices/inv_1\"".to_string()),
        ]
        .boxed(),
        Id => prop_oneof![
            1 => "[A-Za-z0-9_-]{1,12}".prop_map(|s| quote(&s)),
            1 => any::<u32>().prop_map(|n| n.to_string()),
        ]
        .boxed(),
        Amount => prop_oneof![
            3 => plain_number(),
            2 => plain_number().prop_map(|t| quote(&t)),
        ]
        .boxed(),
        Bool => select(&["true", "false"][..])
            .prop_map(str::to_string)
            .boxed(),
        Int => prop_oneof![
            3 => (0i64..100).prop_map(|n| n.to_string()),
            1 => any::<i64>().prop_map(|n| n.to_string()),
        ]
        .boxed(),
        Time => good_time(),
        Epoch => good_epoch(),
        Word => prop_oneof![
            4 => select(WORDS).prop_map(quote),
            1 => any::<String>().prop_map(|s| quote(&s)),
        ]
        .boxed(),
        Currency => select(CURRENCIES).prop_map(quote).boxed(),
        Code => prop_oneof![
            4 => Just("200".to_string()),
            1 => select(&["201", "\"200\"", " 200", "400", "404", "500"][..])
                .prop_map(str::to_string),
        ]
        .boxed(),
        Any => simple_value(),
        Obj(fields) => object(fields),
        List(item) => vec(good(*item), 0..4).prop_map(array).boxed(),
    }
}

/// A wrong or borderline value for `kind`: another JSON type, out of range, malformed.
fn odd(kind: Kind) -> BoxedStrategy<String> {
    let specific = match kind {
        Text | Word | Currency => prop_oneof![
            number_text(),
            select(&["true", "[\"a\"]", "{\"a\":1}", "\"\\ud800\"", "\"\\u0000\""][..])
                .prop_map(str::to_string),
        ]
        .boxed(),
        Id => prop_oneof![
            odd_int(),
            select(&["\"\"", "\"  \"", "1.5", "true", "[1]"][..]).prop_map(str::to_string),
        ]
        .boxed(),
        Amount => prop_oneof![extreme_number(), amount_string()].boxed(),
        Bool => select(&["\"true\"", "1", "0", "\"\""][..])
            .prop_map(str::to_string)
            .boxed(),
        Int | Code => odd_int(),
        Time | Epoch => odd_time(),
        Any => any_value(),
        Obj(fields) => vec(object(fields), 0..3).prop_map(array).boxed(),
        List(item) => good(*item),
    };
    prop_oneof![3 => specific, 1 => any_value()].boxed()
}

/// An object with most of `fields`, plausible values and now and then a wrong one,
/// plus sometimes an unknown key or a repeated one.
fn object(fields: Fields) -> BoxedStrategy<String> {
    // About 0.4 wrong values per object, so that most documents decode, or fail on
    // exactly one value.
    let weight = 10 * u32::try_from(fields.len().max(2)).unwrap_or(u32::MAX / 20);
    let entries: Vec<BoxedStrategy<Option<String>>> = fields
        .iter()
        .map(|&(name, kind)| {
            let value = prop_oneof![
                weight - 4 => good(kind),
                4 => odd(kind),
            ];
            proptest::option::weighted(0.92, value)
                .prop_map(move |v| v.map(|v| format!("{}:{v}", quote(name))))
                .boxed()
        })
        .collect();
    let extra = prop_oneof![
        8 => Just(None),
        1 => ("[a-z_]{1,10}", any_value()).prop_map(|(k, v)| Some(format!("{}:{v}", quote(&k)))),
        1 => (select(fields), any_value())
            .prop_map(|((k, _), v)| Some(format!("{}:{v}", quote(k)))),
    ];
    (entries, extra)
        .prop_map(|(entries, extra)| {
            let body: Vec<String> = entries.into_iter().flatten().chain(extra).collect();
            format!("{{{}}}", body.join(","))
        })
        .boxed()
}

/// Changes a few bytes of a document and maybe cuts it short.
fn mutate(doc: String, edits: Vec<(Index, u8)>, cut: Option<Index>) -> Vec<u8> {
    let mut bytes = doc.into_bytes();
    if bytes.is_empty() {
        return bytes;
    }
    for (at, byte) in edits {
        let i = at.index(bytes.len());
        bytes[i] = byte;
    }
    if let Some(cut) = cut {
        bytes.truncate(cut.index(bytes.len()));
    }
    bytes
}

/// Random bytes, JSON-ish documents of `doc`, and damaged JSON-ish documents.
fn inputs(doc: BoxedStrategy<String>) -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        1 => vec(any::<u8>(), 0..256),
        5 => doc.clone().prop_map(String::into_bytes),
        2 => (doc, vec((any::<Index>(), any::<u8>()), 0..4), proptest::option::of(any::<Index>()))
            .prop_map(|(doc, edits, cut)| mutate(doc, edits, cut)),
    ]
    .boxed()
}

fn json_inputs(fields: Fields) -> BoxedStrategy<Vec<u8>> {
    inputs(object(fields))
}

// ---------------------------------------------------------------------------------------
// The field names each provider's public response types read.
// ---------------------------------------------------------------------------------------

const KHIPU_PAYMENT: Fields = &[
    ("payment_id", Text),
    ("payment_url", Text),
    ("simplified_transfer_url", Text),
    ("transfer_url", Text),
    ("app_url", Text),
    ("ready_for_terminal", Bool),
    ("notification_token", Text),
    ("receiver_id", Id),
    ("conciliation_date", Time),
    ("subject", Text),
    ("amount", Amount),
    ("currency", Currency),
    ("status", Word),
    ("status_detail", Word),
    ("body", Text),
    ("return_url", Text),
    ("notify_api_version", Text),
    ("expires_date", Time),
    ("attachment_urls", List(&Text)),
    ("bank_id", Text),
    ("out_of_date_conciliation", Bool),
    ("transaction_id", Text),
    ("send_reminders", Bool),
    ("payment_method", Word),
    ("funds_source", Text),
    ("discount", Amount),
    // PaymentsCreateResponse's own.
    ("webpay_url", Text),
    ("hites_url", Text),
    ("payme_url", Text),
    // SuccessResponse.
    ("message", Text),
];
const KHIPU_BANK: Fields = &[
    ("bank_id", Text),
    ("name", Text),
    ("message", Text),
    ("min_amount", Amount),
    ("type", Word),
    ("parent", Text),
    ("logo_url", Text),
];
const KHIPU_BANKS: Fields = &[("banks", List(&Obj(KHIPU_BANK)))];
const KHIPU_METHOD: Fields = &[("id", Id), ("name", Text), ("logo_url", Text)];
const KHIPU_METHODS: Fields = &[("paymentMethods", List(&Obj(KHIPU_METHOD)))];
const KHIPU_RECEIVER: Fields = &[("receiver_id", Id), ("secret", Text)];
const KHIPU_ERROR: Fields = &[
    ("status", Id),
    ("message", Text),
    ("errors", List(&Obj(&[("field", Text), ("message", Text)]))),
];

const KASHIO_CUSTOMER: Fields = &[
    ("name", Text),
    ("email", Text),
    ("phone", Text),
    ("document_id", Text),
    ("document_type", Word),
    ("external_id", Text),
];
const KASHIO_INVOICE: Fields = &[
    ("id", Text),
    ("object", Word),
    ("livemode", Bool),
    ("customer", Obj(KASHIO_CUSTOMER)),
    ("created", Time),
    ("request_datetime", Time),
    ("due_datetime", Time),
    ("expiration_datetime", Time),
    ("currency", Currency),
    ("amount", Amount),
    ("fees", Amount),
    ("late_fee", Amount),
    ("sub_total", Amount),
    ("invoice_id", Text),
    ("sub_merchant", Any),
    ("url_success", Text),
    ("token", Text),
    ("qr_code", Text),
    ("metadata", Obj(&[("order", Text), ("n", Any)])),
    ("status", Word),
];
const KASHIO_EVENT_DATA: Fields = &[("url", Text), ("invoice", Obj(&[("id", Text)]))];
const KASHIO_EVENT: Fields = &[
    ("id", Text),
    ("object", Word),
    ("livemode", Bool),
    ("created", Time),
    ("type", Word),
    ("status", Word),
    ("data", Obj(KASHIO_EVENT_DATA)),
];
const KASHIO_INVOICE_PAGE: Fields = &[
    ("data", List(&Obj(KASHIO_INVOICE))),
    ("has_more", Bool),
    ("object", Word),
];
const KASHIO_EVENT_PAGE: Fields = &[
    ("data", List(&Obj(KASHIO_EVENT))),
    ("has_more", Bool),
    ("object", Word),
];

const CP_INSTRUCTION: Fields = &[("step", Int), ("description", Text)];
const CP_PRODUCT: Fields = &[
    ("id", Id),
    ("price", Amount),
    ("name", Text),
    ("currency", Currency),
    ("url", Text),
];
const CP_CUSTOMER: Fields = &[("id", Id), ("name", Text), ("email", Text), ("phone", Id)];
const CP_ORDER_PAYMENT: Fields = &[
    ("type", Word),
    ("fee", Amount),
    ("iva", Amount),
    ("clabe", Text),
    ("instructions", List(&Obj(CP_INSTRUCTION))),
];
const CP_EXCHANGE: Fields = &[
    ("rate", Amount),
    ("finalAmount", Amount),
    ("originAmount", Amount),
    ("finalCurrency", Currency),
    ("originCurrency", Currency),
];
const CP_ORDER: Fields = &[
    ("id", Text),
    ("shortId", Text),
    ("short_id", Id),
    ("product", Obj(CP_PRODUCT)),
    ("customer", Obj(CP_CUSTOMER)),
    ("payment", Obj(CP_ORDER_PAYMENT)),
    ("status", Word),
    ("testMode", Bool),
    ("exchange", Obj(CP_EXCHANGE)),
    ("createdAt", Epoch),
    ("updatedAt", Epoch),
    ("expiresAt", Epoch),
];
const CP_CLABE_DETAILS: Fields = &[
    ("clabe", Text),
    ("frecuency", Word),
    ("amount", Amount),
    ("instructions", List(&Obj(CP_INSTRUCTION))),
];
const CP_ACCOUNT: Fields = &[
    ("name", Text),
    ("reference", Id),
    ("customer", Obj(CP_CUSTOMER)),
    ("payment", Obj(CP_CLABE_DETAILS)),
    ("status", Word),
    ("testMode", Bool),
    ("createdAt", Epoch),
    ("updatedAt", Epoch),
    ("expiresAt", Epoch),
];
const CP_ACCOUNT_SUMMARY: Fields = &[
    ("id", Id),
    ("accountId", Id),
    ("reference", Id),
    ("name", Text),
    ("balance", Amount),
    ("clabe", Text),
];
const CP_TRANSACTION: Fields = &[
    ("id", Id),
    ("date", Epoch),
    ("amount", Amount),
    ("status", Word),
    ("description", Text),
    ("reference", Id),
];
/// What ComproPago POSTs: the order (or charge) itself, or wrapped in `data`.
const CP_WEBHOOK: Fields = &[
    ("id", Id),
    ("short_id", Id),
    ("shortId", Id),
    ("status", Word),
    ("data", Obj(CP_ORDER)),
    ("type", Word),
];

const TP_TRANSACTION: Fields = &[
    ("income", Int),
    ("date", Time),
    ("amount", Amount),
    ("operation", Word),
    ("holder", Text),
    ("cuit", Id),
    ("cvu_cbu", Id),
    ("status", Word),
    ("sale_point_name", Text),
];
const TP_PAGE: Fields = &[
    ("status", Word),
    ("transactions", List(&Obj(TP_TRANSACTION))),
    ("number_of_results", Int),
    ("page", Int),
    ("pages", Int),
    ("pagination", Int),
];
const TP_BUYER: Fields = &[("cuit", Id), ("cvu", Id)];
/// Every field of the small TelePagos answers (balance, QR, links, cash-in, receipt,
/// operation filter, sale point): each type reads the ones it knows.
const TP_SMALL: Fields = &[
    ("status", Word),
    ("amount", Amount),
    ("id", Int),
    ("name", Text),
    ("type", Word),
    ("qr_code", Text),
    ("qr_order_id", Id),
    ("payment_link", Text),
    ("link", Text),
    ("link_id", Id),
    ("buyer", Obj(TP_BUYER)),
    ("concept", Word),
    ("description", Text),
    ("transaction_id", Id),
];

// ---------------------------------------------------------------------------------------
// Decoding every public response type.
// ---------------------------------------------------------------------------------------

fn khipu_payment(body: &[u8]) {
    let expected = khipu::notification::ExpectedPayment::by_transaction_id(
        pagos::Money::parse("1000", pagos::Currency::Clp).unwrap(),
        "T-1",
    );
    decode!(
        khipu::PROVIDER,
        body,
        khipu::PaymentsResponse,
        |p: &khipu::PaymentsResponse| {
            let _ = (
                p.money(),
                p.unified_status(),
                p.conciliation_time(),
                p.expires_time(),
            );
            let _ = expected.check("985101", p).map_err(|e| e.to_string());
            let _ = Payment::from(p);
        }
    );
    decode!(
        khipu::PROVIDER,
        body,
        khipu::PaymentsCreateResponse,
        |p: &khipu::PaymentsCreateResponse| {
            let _ = Payment::from(p);
        }
    );
    decode!(khipu::PROVIDER, body, khipu::SuccessResponse);
    decode!(
        khipu::PROVIDER,
        body,
        khipu::KhipuStatus,
        |s: &khipu::KhipuStatus| {
            let _ = s.to_string();
        }
    );
    decode!(khipu::PROVIDER, body, khipu::StatusDetail);
    decode!(khipu::PROVIDER, body, khipu::PaymentMethod);
}

fn khipu_lists(body: &[u8]) {
    decode!(khipu::PROVIDER, body, khipu::BanksResponse);
    decode!(khipu::PROVIDER, body, khipu::BankItem);
    decode!(khipu::PROVIDER, body, khipu::PaymentMethodsResponse);
    decode!(khipu::PROVIDER, body, khipu::MerchantPaymentMethod);
    decode!(khipu::PROVIDER, body, khipu::ReceiversCreateResponse);
    decode!(khipu::PROVIDER, body, khipu::error::ErrorBody);
    decode!(khipu::PROVIDER, body, khipu::error::ErrorItem);
    response_helpers(khipu::PROVIDER, body, 400);
}

fn kashio_invoice(body: &[u8]) {
    decode!(
        kashio::PROVIDER,
        body,
        kashio::Invoice,
        |i: &kashio::Invoice| {
            let _ = (i.money(), i.raw.get().len(), i.status.payment_status());
            let _ = Payment::from(i);
        }
    );
    decode!(kashio::PROVIDER, body, kashio::Customer);
    decode!(
        kashio::PROVIDER,
        body,
        kashio::InvoiceStatus,
        |s: &kashio::InvoiceStatus| {
            let _ = PaymentStatus::from(s);
        }
    );
    // Whole answers (an invoice with its raw, a page whose items keep theirs) are read by
    // the endpoints.
    kashio_parse(&kashio::GetInvoice::new("inv_1"), body, |i| {
        // The raw answer is the body's text, not a rebuilt copy.
        assert!(String::from_utf8_lossy(body).contains(i.raw.get()));
        let _ = Payment::from(i);
    });
    kashio_parse(
        &kashio::ListInvoices::new(kashio::ListParams::new()),
        body,
        |p| {
            for i in &p.items {
                assert!(p.raw.get().contains(i.raw.get()));
            }
            let _ = (
                p.items.first().map(|i| &i.id),
                p.items.last().map(|i| &i.id),
            );
        },
    );
}

/// Reads `body` as a 200 answer to `endpoint`; an error is fine, a panic is not.
fn kashio_parse<E: pagos::Endpoint>(endpoint: &E, body: &[u8], then: impl Fn(&E::Output)) {
    let response = Response::new(kashio::PROVIDER, E::OPERATION, 200, body.to_vec());
    match endpoint.parse(&response) {
        Ok(output) => then(&output),
        Err(e) => {
            let _ = (e.to_string(), format!("{e:?}"));
        }
    }
}

fn kashio_event(body: &[u8]) {
    decode!(
        kashio::PROVIDER,
        body,
        kashio::Event,
        |e: &kashio::Event| {
            let _ = (e.invoice_id(), e.event_type.to_string());
        }
    );
    decode!(kashio::PROVIDER, body, kashio::EventType);
    decode!(kashio::PROVIDER, body, kashio::EventStatus);
    kashio_parse(&kashio::GetEvent::new("eve_1"), body, |e| {
        let _ = (e.invoice_id(), e.raw.get().len());
    });
    kashio_parse(
        &kashio::ListEvents::new(kashio::ListParams::new()),
        body,
        |p| {
            let _ = (
                p.items.first().map(|e| &e.id),
                p.items.last().map(|e| &e.id),
            );
            for e in &p.items {
                let _ = e.invoice_id();
            }
        },
    );
}

fn compropago_order(body: &[u8]) {
    decode!(
        compropago::PROVIDER,
        body,
        compropago::Order,
        |o: &compropago::Order| {
            let _ = (o.price(), o.payment_instructions(), o.status.to_string());
            let _ = Payment::from(o);
            let _ = PaymentStatus::from(&o.status);
        }
    );
    decode!(compropago::PROVIDER, body, compropago::ProductInfo);
    decode!(compropago::PROVIDER, body, compropago::CustomerInfo);
    decode!(compropago::PROVIDER, body, compropago::OrderPayment);
    decode!(compropago::PROVIDER, body, compropago::Exchange);
    decode!(compropago::PROVIDER, body, compropago::Instruction);
    decode!(compropago::PROVIDER, body, compropago::OrderStatus);
}

fn compropago_accounts(body: &[u8]) {
    decode!(
        compropago::PROVIDER,
        body,
        compropago::Account,
        |a: &compropago::Account| {
            let _ = a.payment_instructions();
        }
    );
    decode!(
        compropago::PROVIDER,
        body,
        compropago::ClabeAccount,
        |a: &compropago::ClabeAccount| {
            let _ = a.payment_instructions();
        }
    );
    decode!(
        compropago::PROVIDER,
        body,
        compropago::ClabeDetails,
        |d: &compropago::ClabeDetails| {
            let _ = d.payment_instructions();
        }
    );
    decode!(
        compropago::PROVIDER,
        body,
        compropago::AccountSummary,
        |s: &compropago::AccountSummary| {
            let _ = s.key();
        }
    );
    decode!(compropago::PROVIDER, body, compropago::SubAccount);
    decode!(compropago::PROVIDER, body, compropago::AccountTransaction);
    decode!(compropago::PROVIDER, body, compropago::AccountStatus);
    decode!(compropago::PROVIDER, body, compropago::Frequency);
    decode!(compropago::PROVIDER, body, Vec<compropago::AccountSummary>);
    decode!(
        compropago::PROVIDER,
        body,
        Vec<compropago::AccountTransaction>
    );
}

fn kashpay_status(body: &[u8]) {
    decode!(
        kashpay::PROVIDER,
        body,
        kashpay::OrderStatus,
        |s: &kashpay::OrderStatus| {
            let _ = (s.payout_status(), s.to_string(), s.code());
        }
    );
    response_helpers(kashpay::PROVIDER, body, 200);
}

fn telepagos_transactions(body: &[u8]) {
    decode!(
        telepagos::PROVIDER,
        body,
        telepagos::TransactionsPage,
        |p: &telepagos::TransactionsPage| {
            for t in &p.transactions {
                let _ = (t.is_income(), t.payment_status(), t.payout_status());
            }
        }
    );
    decode!(
        telepagos::PROVIDER,
        body,
        telepagos::Transaction,
        |t: &telepagos::Transaction| {
            let _ = (t.is_income(), t.payment_status(), t.payout_status());
        }
    );
}

fn telepagos_small(body: &[u8]) {
    decode!(telepagos::PROVIDER, body, telepagos::AccountBalance);
    decode!(telepagos::PROVIDER, body, telepagos::OperationFilter);
    decode!(telepagos::PROVIDER, body, telepagos::QrCode);
    decode!(telepagos::PROVIDER, body, telepagos::TransferLink);
    decode!(telepagos::PROVIDER, body, telepagos::PaymentLink);
    decode!(telepagos::PROVIDER, body, telepagos::Buyer);
    decode!(telepagos::PROVIDER, body, telepagos::CashIn);
    decode!(telepagos::PROVIDER, body, telepagos::CashoutReceipt);
    decode!(telepagos::PROVIDER, body, telepagos::SalePoint);
}

/// A bare JSON value, as the status enums read it.
fn bare_value() -> BoxedStrategy<String> {
    prop_oneof![good(Int), odd(Int), good(Word), odd(Word), any_value()].boxed()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn khipu_payment_responses(body in json_inputs(KHIPU_PAYMENT)) {
        khipu_payment(&body);
    }

    #[test]
    fn khipu_other_responses(body in prop_oneof![
        json_inputs(KHIPU_BANKS), json_inputs(KHIPU_BANK), json_inputs(KHIPU_METHODS),
        json_inputs(KHIPU_METHOD), json_inputs(KHIPU_RECEIVER), json_inputs(KHIPU_ERROR),
    ]) {
        khipu_lists(&body);
    }

    #[test]
    fn kashio_invoices(body in prop_oneof![
        3 => json_inputs(KASHIO_INVOICE),
        1 => json_inputs(KASHIO_INVOICE_PAGE),
        1 => json_inputs(KASHIO_CUSTOMER),
        1 => inputs(bare_value()),
    ]) {
        kashio_invoice(&body);
    }

    /// KashIO's notifications are events: decoding one is its webhook parser.
    #[test]
    fn kashio_events(body in prop_oneof![
        3 => json_inputs(KASHIO_EVENT),
        1 => json_inputs(KASHIO_EVENT_PAGE),
        1 => inputs(bare_value()),
    ]) {
        kashio_event(&body);
    }

    #[test]
    fn compropago_orders(body in prop_oneof![
        4 => json_inputs(CP_ORDER),
        1 => json_inputs(CP_PRODUCT),
        1 => json_inputs(CP_ORDER_PAYMENT),
        1 => json_inputs(CP_EXCHANGE),
        1 => inputs(bare_value()),
    ]) {
        compropago_order(&body);
    }

    #[test]
    fn compropago_account_responses(body in prop_oneof![
        3 => json_inputs(CP_ACCOUNT),
        1 => json_inputs(CP_CLABE_DETAILS),
        1 => json_inputs(CP_ACCOUNT_SUMMARY),
        1 => json_inputs(CP_TRANSACTION),
        1 => inputs(vec(object(CP_TRANSACTION), 0..3).prop_map(array).boxed()),
        1 => inputs(bare_value()),
    ]) {
        compropago_accounts(&body);
    }

    #[test]
    fn kashpay_order_status(body in inputs(bare_value())) {
        kashpay_status(&body);
    }

    #[test]
    fn kashpay_numeric_reference(reference in prop_oneof![any::<String>(), "[0-9]{0,12}"]) {
        // Read as given or refused, never derived: what is read is the text itself,
        // within the default 10 digits.
        if let Ok(n) = kashpay::WireAssumptions::default().parse_numeric_reference("r", &reference) {
            prop_assert_eq!(n.to_string(), reference.clone());
            prop_assert!(n <= 9_999_999_999, "{reference:?} -> {n}");
        }
    }

    #[test]
    fn telepagos_transaction_pages(body in prop_oneof![
        3 => json_inputs(TP_PAGE),
        1 => json_inputs(TP_TRANSACTION),
    ]) {
        telepagos_transactions(&body);
    }

    #[test]
    fn telepagos_other_responses(body in json_inputs(TP_SMALL)) {
        telepagos_small(&body);
    }

    /// The status parsers the decoders use take any text, and keep unknown text as is.
    #[test]
    fn status_words_take_any_text(
        text in prop_oneof![any::<String>(), select(WORDS).prop_map(str::to_string)],
    ) {
        let _ = khipu::KhipuStatus::from(text.as_str()).to_string();
        let _ = khipu::StatusDetail::from(text.clone()).to_string();
        let _ = khipu::PaymentMethod::from(text.as_str()).to_string();
        let _ = kashio::EventType::parse(&text).to_string();
        let _ = kashio::EventStatus::parse(&text).to_string();
        if let kashio::InvoiceStatus::Unknown(raw) = kashio::InvoiceStatus::parse(&text) {
            prop_assert_eq!(&raw, &text);
        }
        let _ = compropago::OrderStatus::from_wire(&text).to_string();
        let _ = compropago::AccountStatus::from_wire(&text).to_string();
        let _ = compropago::Frequency::from_wire(&text).to_string();
        if let PaymentStatus::Unknown(raw) = telepagos::status::payment_status(&text) {
            prop_assert_eq!(&raw, &text);
        }
        let _ = telepagos::status::payout_status(&text);
    }
}

// ---------------------------------------------------------------------------------------
// Webhook and notification parsers.
// ---------------------------------------------------------------------------------------

/// Form bodies with Khipu's notification keys, odd values and broken percent-escapes.
fn khipu_form() -> BoxedStrategy<String> {
    let key = prop_oneof![
        select(
            &[
                "api_version",
                "notification_token",
                "api%5Fversion",
                "notification_token ",
                ""
            ][..]
        )
        .prop_map(str::to_string),
        "[a-z_%+]{0,12}",
    ];
    let value = prop_oneof![
        select(
            &[
                "1.3",
                " 1.3 ",
                "1.2",
                "",
                "+",
                "%",
                "%f",
                "%ff%fe",
                "%C3%A9",
                "%00",
                "abc%2B1+2"
            ][..]
        )
        .prop_map(str::to_string),
        "[A-Za-z0-9%+=&._-]{0,24}",
        any::<String>(),
    ];
    vec((key, value, any::<bool>()), 0..5)
        .prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(k, v, eq)| if eq { format!("{k}={v}") } else { k })
                .collect::<Vec<_>>()
                .join("&")
        })
        .boxed()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn khipu_notification_parser(body in inputs(khipu_form())) {
        match khipu::Notification::parse(&body) {
            Ok(n) => {
                prop_assert_eq!(n.api_version.as_str(), "1.3");
                prop_assert!(!n.notification_token.is_empty());
                prop_assert_eq!(n.notification_token.trim(), n.notification_token.as_str());
            }
            Err(e) => {
                let _ = (e.to_string(), e.should_retry(), e.check());
            }
        }
    }

    #[test]
    fn compropago_webhook_parser(body in prop_oneof![
        3 => json_inputs(CP_WEBHOOK),
        1 => json_inputs(CP_ORDER),
        1 => inputs(bare_value()),
    ]) {
        match compropago::webhook::parse(&body) {
            Ok(compropago::webhook::Notification::Order { id, .. }) => prop_assert!(!id.is_empty()),
            Ok(_) => {}
            Err(e) => {
                let _ = (e.to_string(), e.field());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Amounts keep their digits.
// ---------------------------------------------------------------------------------------

/// A JSON document with the amount at every `@`, and the decimals read back: once
/// through `serde_json::from_slice`, once through `Response::json`.
type AmountTarget = (
    &'static str,
    &'static str,
    fn(&[u8]) -> Result<[Vec<Option<Decimal>>; 2], String>,
);

/// Decodes `$body` as `$ty` both ways and reads `$fields` from each result.
macro_rules! amounts {
    ($body:expr, $ty:ty, |$v:ident| $fields:expr) => {{
        let body: &[u8] = $body;
        let read = |$v: $ty| -> Vec<Option<Decimal>> { $fields };
        let direct = serde_json::from_slice::<$ty>(body).map_err(|e| e.to_string());
        let via = Response::new("amounts", "decode", 200, body.to_vec())
            .json::<$ty>()
            .map_err(|e| e.to_string());
        match (direct, via) {
            (Ok(a), Ok(b)) => Ok([read(a), read(b)]),
            (Err(a), Err(_)) => Err(a),
            (a, b) => panic!(
                "from_slice and Response::json disagree on {} for {:?}: {a:?} / {b:?}",
                stringify!($ty),
                String::from_utf8_lossy(body),
            ),
        }
    }};
}

const AMOUNT_TARGETS: &[AmountTarget] = &[
    (
        "khipu payment",
        r#"{"payment_id":"p","amount":@,"discount":@}"#,
        |b| amounts!(b, khipu::PaymentsResponse, |p| vec![p.amount, p.discount]),
    ),
    (
        "khipu bank",
        r#"{"banks":[{"bank_id":"b","min_amount":@}]}"#,
        |b| amounts!(b, khipu::BanksResponse, |r| vec![r.banks[0].min_amount]),
    ),
    (
        "kashio invoice",
        r#"{"id":"inv","created":"2020-06-07T23:46:11","currency":"PEN","amount":@,"fees":@,"late_fee":@,"sub_total":@,"status":"paid"}"#,
        |b| {
            amounts!(b, kashio::Invoice, |i| vec![
                Some(i.amount),
                i.fees,
                i.late_fee,
                i.sub_total
            ])
        },
    ),
    (
        "compropago order",
        r#"{"id":"ch","status":"PENDING","product":{"price":@},"payment":{"fee":@,"iva":@},"exchange":{"rate":@,"finalAmount":@,"originAmount":@}}"#,
        |b| {
            amounts!(b, compropago::Order, |o| {
                let x = o.exchange.expect("the template has an exchange");
                vec![
                    o.product.price,
                    o.payment.fee,
                    o.payment.iva,
                    x.rate,
                    x.final_amount,
                    x.origin_amount,
                ]
            })
        },
    ),
    ("compropago account", r#"{"payment":{"amount":@}}"#, |b| {
        amounts!(b, compropago::Account, |a| vec![a.payment.amount])
    }),
    ("compropago summary", r#"{"balance":@}"#, |b| {
        amounts!(b, compropago::AccountSummary, |s| vec![s.balance])
    }),
    ("compropago transaction", r#"{"amount":@}"#, |b| {
        amounts!(b, compropago::AccountTransaction, |t| vec![t.amount])
    }),
    ("telepagos balance", r#"{"status":"ok","amount":@}"#, |b| {
        amounts!(b, telepagos::AccountBalance, |a| vec![Some(a.amount)])
    }),
    (
        "telepagos transactions",
        r#"{"transactions":[{"amount":@}]}"#,
        |b| {
            amounts!(b, telepagos::TransactionsPage, |p| vec![
                p.transactions[0].amount
            ])
        },
    ),
    ("telepagos cash-in", r#"{"amount":@}"#, |b| {
        amounts!(b, telepagos::CashIn, |c| vec![c.amount])
    }),
];

/// The decimals read back from one document (both ways), or why it did not decode.
type Decoded = Result<Vec<Option<Decimal>>, String>;

/// Decodes `amount_json` (a JSON number or string) in every amount field of every
/// provider type: per target, the decimals read back or the decoding error.
fn decode_amounts(amount_json: &str) -> Vec<(&'static str, Decoded)> {
    AMOUNT_TARGETS
        .iter()
        .map(|(name, template, read)| {
            let doc = template.replace('@', amount_json);
            (
                *name,
                read(doc.as_bytes()).map(|[a, b]| a.into_iter().chain(b).collect()),
            )
        })
        .collect()
}

/// Plain decimal text a `Decimal` holds exactly: at most 28 digits, at most 28 of them
/// after the point (`15.00`, `-0.000123`, `7922816251426433759354395033`).
fn exact_plain_amount() -> BoxedStrategy<String> {
    ("0|[1-9][0-9]{0,27}", 0usize..=28, any::<bool>())
        .prop_map(|(digits, scale, negative)| {
            let digits = if digits.len() <= scale {
                format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
            } else {
                digits
            };
            let (int, frac) = digits.split_at(digits.len() - scale);
            let sign = if negative && digits.bytes().any(|b| b != b'0') {
                "-"
            } else {
                ""
            };
            if frac.is_empty() {
                format!("{sign}{int}")
            } else {
                format!("{sign}{int}.{frac}")
            }
        })
        .boxed()
}

/// `(sign, significant digits, power of ten of the last digit)` of decimal text, so that
/// `1.50`, `15e-1` and `0.0015e3` compare equal. `None` for text that is not a number.
fn canonical(text: &str) -> Option<(bool, String, i64)> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let all = format!("{int}{frac}");
    let trimmed_end = all.trim_end_matches('0');
    let frac_len = i64::try_from(frac.len()).ok()?;
    let trailing_zeros = i64::try_from(all.len() - trimmed_end.len()).ok()?;
    let digits = trimmed_end.trim_start_matches('0').to_string();
    if digits.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((
        negative,
        digits,
        exp.checked_sub(frac_len)?.checked_add(trailing_zeros)?,
    ))
}

proptest! {
    #![proptest_config(config())]

    /// The requirement: amounts written with up to 28 significant digits decode to the
    /// same text, as a JSON number and as a JSON string.
    #[test]
    fn amounts_keep_every_digit(text in exact_plain_amount()) {
        for json in [text.clone(), quote(&text)] {
            for (target, fields) in decode_amounts(&json) {
                let fields =
                    fields.unwrap_or_else(|e| panic!("{target}: {json} did not decode: {e}"));
                for field in fields {
                    let decoded =
                        field.unwrap_or_else(|| panic!("{target}: {json} decoded as None"));
                    prop_assert_eq!(decoded.to_string(), text.clone(), "{} via {}", target, json);
                }
            }
        }
    }

    /// Scientific notation that a `Decimal` can hold decodes to exactly that value.
    #[test]
    fn scientific_amounts_are_exact(
        digits in "[1-9][0-9]{0,13}",
        point in any::<Index>(),
        exp in -30i64..=30,
        upper in any::<bool>(),
    ) {
        let frac_len = point.index(digits.len());
        let (int, frac) = digits.split_at(digits.len() - frac_len);
        let mantissa = if frac.is_empty() { int.to_string() } else { format!("{int}.{frac}") };
        let text = format!("{mantissa}{}{exp}", if upper { 'E' } else { 'e' });
        // The value is `digits` × 10^-scale: a Decimal holds it when the scale is 0 to 28,
        // or, for a negative scale, when the integer has at most 28 digits.
        let digit_count = i64::try_from(digits.len()).unwrap_or(i64::MAX);
        let scale = i64::try_from(frac_len).unwrap_or(i64::MAX) - exp;
        let representable = (0..=28).contains(&scale) || (scale < 0 && digit_count - scale <= 28);
        for json in [text.clone(), quote(&text)] {
            for (target, fields) in decode_amounts(&json) {
                match fields {
                    Ok(fields) => {
                        for decoded in fields.into_iter().flatten() {
                            prop_assert_eq!(
                                canonical(&decoded.to_string()),
                                canonical(&text),
                                "{} via {}",
                                target,
                                json
                            );
                        }
                    }
                    Err(e) => prop_assert!(
                        !representable,
                        "{target}: {json} is representable but failed: {e}"
                    ),
                }
            }
        }
    }

    /// Amounts beyond what a `Decimal` holds (huge exponents, 29+ digits) fail or decode
    /// exactly; they never panic.
    #[test]
    fn out_of_range_amounts_never_panic(json in prop_oneof![number_text(), amount_string()]) {
        for (_, fields) in decode_amounts(&json) {
            let _ = fields;
        }
    }
}

/// Text with more digits than a `Decimal` holds (more than 28 after the point, or too
/// many overall) is refused rather than rounded: `1.00000000000000000000000000001` must
/// never decode as `1.0000000000000000000000000000`.
#[test]
fn amounts_beyond_28_digits_fail_rather_than_round() {
    assert_never_rounded("[1-9][0-9]{0,5}\\.[0-9]{23,40}");
}

/// The same in scientific notation: `1.00000000000000000000000000001e0` must never decode
/// as `1.0000000000000000000000000000` (found by the `amounts` fuzz target).
#[test]
fn scientific_amounts_beyond_28_digits_fail_rather_than_round() {
    assert_never_rounded("[1-9]\\.[0-9]{28,40}[eE]-?[0-9]{1,2}");
}

/// Every amount generated from `pattern` either fails to decode or decodes to exactly
/// the value written: never a rounded one.
fn assert_never_rounded(pattern: &'static str) {
    let mut runner = proptest::test_runner::TestRunner::new(config());
    runner
        .run(&pattern, |text| {
            for (target, fields) in decode_amounts(&text) {
                if let Ok(fields) = fields {
                    for decoded in fields.into_iter().flatten() {
                        prop_assert_eq!(
                            canonical(&decoded.to_string()),
                            canonical(&text),
                            "{}: {} decoded as {}",
                            target,
                            text,
                            decoded
                        );
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn canonical_forms() {
    assert_eq!(canonical("1.50"), canonical("15e-1"));
    assert_eq!(canonical("0.0015e3"), canonical("1.5"));
    assert_eq!(canonical("-0.00"), canonical("0"));
    assert_eq!(canonical("1200"), Some((false, "12".to_string(), 2)));
    assert_ne!(
        canonical("1.0000000000000000000000000000"),
        canonical("1.00000000000000000000000000001")
    );
    assert_eq!(canonical("abc"), None);
    assert_eq!(Decimal::from_str("15.00").unwrap().to_string(), "15.00");
}

/// Regression: a KashIO timestamp whose UTC wall clock is past year 9999 panicked
/// (`time`'s `to_offset`) instead of failing to decode.
#[test]
fn kashio_timestamp_beyond_year_9999_is_an_error() {
    let body = br#"{"id":"x","created":"9999-12-31T23:59:59-01:00","currency":"PEN","amount":1,"status":"new"}"#;
    assert!(serde_json::from_slice::<kashio::Invoice>(body).is_err());
    let body = br#"{"id":"e","created":"9999-12-31T23:30:00-00:31","type":"invoice.paid"}"#;
    assert!(serde_json::from_slice::<kashio::Event>(body).is_err());
}

// ---------------------------------------------------------------------------------------
// Every endpoint's reading of an answer: the generated status and bytes go straight to
// the provider's refusal hook (`error::refusal`, what the executor applies first) and,
// for an answer the hook accepts, to the endpoint's `parse` — the decoders the clients
// run, envelopes, error bodies, token answers and list wrappers included. No socket:
// with endpoints as values, every decoder is public.
// ---------------------------------------------------------------------------------------

/// One generated answer: an HTTP status and the bytes of the body.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    body: Vec<u8>,
}

/// Whether an endpoint reads a blank 2xx body as a success (Khipu's
/// `SuccessResponse`: "an empty (or blank) body is a success without a message").
#[derive(Clone, Copy, PartialEq, Eq)]
enum Blank {
    IsSuccess,
    IsUnreadable,
}

impl Answer {
    /// Reads this answer to `endpoint` as the executor does, and checks what it
    /// becomes:
    ///
    /// - nothing panics, and whatever comes out formats (`Debug`, `Display`);
    /// - a non-2xx is a refusal (the provider's hook says so), which becomes a provider
    ///   error or, for a 5xx to a call that may have acted, an unknown outcome: no error
    ///   status ever reads as a success;
    /// - an accepted answer that `parse` cannot read is an unknown outcome, never
    ///   another kind of error;
    /// - a body that is not JSON never reads as a success (a blank one only for the
    ///   endpoints that say so, [`Blank::IsSuccess`]).
    ///
    /// Returns what an answer read as a success became.
    fn read<E>(&self, refusal: Refusal, endpoint: &E, blank: Blank) -> Option<E::Output>
    where
        E: Endpoint,
        E::Output: std::fmt::Debug,
    {
        let Answer { status, body } = self;
        let call = E::OPERATION;
        // The provider's name is the refusal's business; any name reads the same.
        let response =
            Response::new("decode", call, *status, body.clone()).with_idempotency(E::IDEMPOTENCY);
        if let Some(refused) = refusal(&response) {
            let e = with_outcome_hint(response.refusal(refused), endpoint);
            let _ = (e.to_string(), format!("{e:?}"));
            assert!(
                matches!(e, Error::Provider(_) | Error::OutcomeUnknown(_)),
                "{call}: HTTP {status} refused as {e:?}"
            );
            return None;
        }
        assert!(
            response.is_success(),
            "{call}: HTTP {status} was not read as a refusal"
        );
        match endpoint.parse(&response) {
            Ok(output) => {
                let text = format!("{output:?}");
                // JSON as serde_json reads a value it ignores: a number no `f64` holds
                // (`1e400`) or a lone surrogate (`"\ud800"`) is still JSON.
                let json = serde_json::from_slice::<IgnoredAny>(body).is_ok();
                let blank_body = body.iter().all(u8::is_ascii_whitespace);
                assert!(
                    json || (blank_body && blank == Blank::IsSuccess),
                    "{call}: an unreadable HTTP {status} answer {:?} read as a success: {text}",
                    String::from_utf8_lossy(body)
                );
                Some(output)
            }
            Err(e) => {
                let e = with_outcome_hint(e, endpoint);
                let _ = (e.to_string(), format!("{e:?}"));
                assert!(
                    matches!(e, Error::OutcomeUnknown(_)),
                    "{call}: an accepted HTTP {status} answer it cannot read is {e:?}, \
                     not an unknown outcome"
                );
                None
            }
        }
    }

    /// [`Answer::read`] for the endpoints that read a blank body as unreadable.
    fn parse<E>(&self, refusal: Refusal, endpoint: &E) -> Option<E::Output>
    where
        E: Endpoint,
        E::Output: std::fmt::Debug,
    {
        self.read(refusal, endpoint, Blank::IsUnreadable)
    }
}

/// The error bodies the providers read, all keys at once.
const ERROR_BODY: Fields = &[
    ("success", Bool),
    ("status", Id),
    ("code", Id),
    ("message", Text),
    (
        "error",
        Obj(&[
            ("name", Text),
            ("message", Text),
            ("description", Text),
            ("code", Id),
            ("field", Text),
            ("param", Text),
        ]),
    ),
    (
        "errors",
        List(&Obj(&[("field", Text), ("message", Text), ("param", Text)])),
    ),
    ("detail", Text),
    ("error_description", Text),
    ("description", Text),
];

/// ComproPago's v2 envelope around an order, a list of accounts or of transactions.
const CP_ENVELOPE: Fields = &[
    ("object", Word),
    ("code", Code),
    ("status", Word),
    ("message", Text),
    ("request", Int),
    ("url", Text),
    ("data", Obj(CP_ORDER)),
];
const CP_LIST_ENVELOPE: Fields = &[
    ("code", Code),
    ("status", Word),
    ("message", Text),
    ("data", List(&Obj(CP_ACCOUNT_SUMMARY))),
];
const CP_TRANSACTIONS_ENVELOPE: Fields = &[
    ("code", Code),
    ("status", Word),
    ("data", List(&Obj(CP_TRANSACTION))),
];

const KASHPAY_ORDER: Fields = &[
    ("id", Id),
    ("numericReference", Id),
    ("alphanumericReference", Id),
    ("referenceCreatedPayment", Id),
    ("status", Int),
    ("initialBalance", Amount),
    ("finalBalance", Amount),
    ("createdAt", Time),
    ("uptadedAt", Time),
];
const KASHPAY_ENVELOPE: Fields = &[
    ("success", Bool),
    ("orderEntityResponse", Obj(KASHPAY_ORDER)),
    ("totalItems", Int),
    ("totalPages", Int),
    ("currentPage", Int),
    (
        "error",
        Obj(&[("name", Text), ("message", Text), ("code", Int)]),
    ),
];
const KASHPAY_AUTH: Fields = &[
    ("success", Bool),
    (
        "authenticationResponse",
        Obj(&[("token", Text), ("expires", Int)]),
    ),
];

/// TelePagos' list and value wrappers, its statistics and its token answer.
const TP_WRAPPERS: Fields = &[
    ("status", Word),
    ("message", Text),
    (
        "operations",
        List(&Obj(&[("id", Id), ("name", Text), ("type", Word)])),
    ),
    ("voucher", Text),
    ("concepts", List(&Any)),
    (
        "sale_points",
        List(&Obj(&[("id", Int), ("name", Text), ("status", Word)])),
    ),
    ("qr_code", Text),
    ("sale_point_id", Int),
    ("qr_order_id", Id),
    ("amount", Amount),
    (
        "data",
        Obj(&[
            ("count_open_cvu", Int),
            ("total_cashout", Amount),
            ("total_cashin", Amount),
            ("count_payments_services", Int),
            ("count_sent_sms", Int),
        ]),
    ),
    ("token", Text),
    ("expires_at", Epoch),
];

fn http_status() -> BoxedStrategy<u16> {
    prop_oneof![
        7 => Just(200u16),
        1 => Just(201),
        3 => select(&[400u16, 401, 403, 404, 409, 422, 429, 500, 502, 503][..]),
    ]
    .boxed()
}

/// Random bytes and JSON-ish documents of `shapes`, the weight of each first.
fn bodies(shapes: &[(u32, Fields)]) -> BoxedStrategy<Vec<u8>> {
    let union = proptest::strategy::Union::new_weighted(
        shapes
            .iter()
            .map(|&(weight, fields)| (weight, object(fields)))
            .collect(),
    );
    inputs(union.boxed())
}

/// Runs `check` on generated answers; 128 cases unless `PROPTEST_CASES` says otherwise.
fn answers(shapes: &[(u32, Fields)], check: impl Fn(&Answer)) {
    let mut config = config();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 128;
    }
    let strategy = (http_status(), bodies(shapes));
    proptest::test_runner::TestRunner::new(config)
        .run(&strategy, |(status, body)| {
            check(&Answer { status, body });
            Ok(())
        })
        .unwrap();
}

/// The formatted result of a check a client runs on what it read (a notification's, a
/// webhook's, an event's confirmation): it must not panic.
fn checked<E: std::fmt::Display>(result: Result<(), E>) {
    if let Err(e) = result {
        let _ = e.to_string();
    }
}

#[test]
fn khipu_endpoint_decoders() {
    use khipu::payments::{
        ConfirmPayment, CreatePayment, DeletePayment, GetPayment, GetPaymentByNotificationToken,
        RefundPayment,
    };
    let refusal: Refusal = khipu::error::refusal;
    let unified = pagos::CreatePayment::builder(
        pagos::Money::parse("1000", pagos::Currency::Clp).unwrap(),
        "Order 7",
    )
    .build()
    .unwrap();
    let create = khipu::CreatePaymentRequest::try_from(&unified).unwrap();
    let receiver = khipu::CreateReceiverRequest::builder()
        .admin_first_name("Ana")
        .admin_last_name("Pérez")
        .admin_email("ana@comercio.cl")
        .country_code("CL")
        .business_identifier("76.086.428-5")
        .business_category("Comercio al por menor")
        .business_name("Comercio SpA")
        .business_phone("+56 2 2345 6789")
        .business_address_line_1("Av. Siempre Viva 742")
        .business_address_line_2("Oficina 1")
        .business_address_line_3("Santiago")
        .contact_full_name("Juan Soto")
        .contact_job_title("Gerente")
        .contact_email("juan@comercio.cl")
        .contact_phone("+56 9 8765 4321")
        .build()
        .unwrap();
    // What `verify_notification` checks the fetched payment against.
    let expected = khipu::ExpectedPayment::by_transaction_id(
        pagos::Money::parse("1000", pagos::Currency::Clp).unwrap(),
        "T-1",
    );
    let shapes = [
        (4, KHIPU_PAYMENT),
        (1, KHIPU_BANKS),
        (1, KHIPU_METHODS),
        (1, KHIPU_RECEIVER),
        (2, ERROR_BODY),
    ];
    answers(&shapes, |answer| {
        if let Some(p) = answer.parse(refusal, &GetPayment::new("p1")) {
            let _ = Payment::from(&p);
        }
        if let Some(p) = answer.parse(refusal, &GetPaymentByNotificationToken::new("t")) {
            checked(expected.check("985101", &p));
        }
        if let Some(created) = answer.parse(refusal, &CreatePayment::new(&create)) {
            let _ = Payment::from(&created);
        }
        answer.read(refusal, &DeletePayment::new("p1"), Blank::IsSuccess);
        answer.read(refusal, &ConfirmPayment::new("p1"), Blank::IsSuccess);
        answer.read(refusal, &RefundPayment::new("p1", None), Blank::IsSuccess);
        answer.parse(refusal, &khipu::ListBanks::new());
        answer.parse(refusal, &khipu::ListPaymentMethods::new("m1"));
        answer.parse(refusal, &khipu::CreateReceiver::new(&receiver));
    });
}

#[test]
fn kashio_endpoint_decoders() {
    use kashio::{
        CreateInvoice, GetEvent, GetInvoice, InvoiceUpdate, ListEvents, ListInvoices, ListParams,
        UpdateInvoice, VoidInvoice,
    };
    let refusal: Refusal = kashio::error::refusal;
    let pen = |amount| pagos::Money::parse(amount, pagos::Currency::Pen).unwrap();
    let create = CreateInvoice::new(
        kashio::NewInvoice::builder(
            "INV-1",
            pen("15.00"),
            kashio::Customer::new()
                .name("JUAN PEREZ")
                .email("juan.perez@example.com"),
        )
        .build()
        .unwrap(),
    );
    let update = UpdateInvoice::new("inv_1", InvoiceUpdate::new().amount(pen("9.90")));
    // What `events().confirm` checks the fetched invoice against.
    let expected = kashio::ExpectedInvoice::by_invoice_id(pen("15.00"), "INV-1");
    let shapes = [
        (3, KASHIO_INVOICE),
        (2, KASHIO_EVENT),
        (1, KASHIO_INVOICE_PAGE),
        (1, KASHIO_EVENT_PAGE),
        (2, ERROR_BODY),
    ];
    answers(&shapes, |answer| {
        if let Some(invoice) = answer.parse(refusal, &GetInvoice::new("inv_1")) {
            let _ = Payment::from(&invoice);
            checked(expected.check(&invoice));
        }
        for invoice in [
            answer.parse(refusal, &create),
            answer.parse(refusal, &update),
            answer.parse(refusal, &VoidInvoice::new("inv_1")),
        ]
        .into_iter()
        .flatten()
        {
            let _ = Payment::from(&invoice);
        }
        answer.parse(refusal, &ListInvoices::new(ListParams::new()));
        if let Some(event) = answer.parse(refusal, &GetEvent::new("eve_1")) {
            let _ = event.invoice_id();
        }
        if let Some(page) = answer.parse(refusal, &ListEvents::new(ListParams::new())) {
            for event in &page.items {
                let _ = event.invoice_id();
            }
        }
    });
}

#[test]
fn compropago_endpoint_decoders() {
    use compropago::{
        AccountCustomer, ClabeCustomer, CreateAccount, CreateClabe, CreateOrder, Frequency,
        GetOrder, ListAccountTransactions, ListAccounts, ListSubaccounts,
    };
    let refusal: Refusal = compropago::error::refusal;
    let mxn = pagos::Money::parse("150.00", pagos::Currency::Mxn).unwrap();
    let create = CreateOrder::new(
        compropago::Product::new("SKU-1", "Producto", mxn),
        compropago::Customer::new("cust-1", "Waldix", "waldix@example.com"),
    );
    let clabe = CreateClabe::new(
        ClabeCustomer::new("1", "customer@example.com"),
        Frequency::Unlimited,
    );
    let account = CreateAccount::new(
        "Alamedas",
        "153",
        AccountCustomer::new("CONDO_1", "condo@example.com"),
    );
    // What `confirm_webhook` checks the fetched order against.
    let expected = compropago::ExpectedOrder::by_order_id(mxn, "ch_1");
    let shapes = [
        (3, CP_ENVELOPE),
        (1, CP_LIST_ENVELOPE),
        (1, CP_TRANSACTIONS_ENVELOPE),
        (1, CP_ORDER),
        (2, ERROR_BODY),
    ];
    answers(&shapes, |answer| {
        if let Some(order) = answer.parse(refusal, &GetOrder::new("ch_1")) {
            let _ = Payment::from(&order);
            checked(expected.check(&order));
        }
        if let Some(order) = answer.parse(refusal, &create) {
            let _ = Payment::from(order);
        }
        answer.parse(refusal, &clabe);
        answer.parse(refusal, &account);
        answer.parse(refusal, &ListAccounts::new());
        answer.parse(refusal, &ListSubaccounts::new("acc_1"));
        answer.parse(refusal, &ListAccountTransactions::new("acc_1"));
    });
}

#[test]
fn kashpay_endpoint_decoders() {
    let refusal: Refusal = kashpay::error::refusal;
    let order = kashpay::OrderRequest::builder(
        kashpay::TransactionType::SpeiOut,
        pagos::Money::parse("250", pagos::Currency::Mxn).unwrap(),
    )
    .beneficiary(
        kashpay::AccountType::Clabe,
        "032180000118359719",
        "Florentino Eter",
    )
    .concept("Deposito Maria")
    .numeric_reference(43_223_123)
    .alphanumeric_reference("PROVV0011712091")
    .build()
    .unwrap();
    let credentials = kashpay::auth::Credentials::new("e", "u", "p");
    answers(
        &[(4, KASHPAY_ENVELOPE), (1, KASHPAY_AUTH), (1, ERROR_BODY)],
        |answer| {
            if let Some(created) = answer.parse(refusal, &kashpay::CreateOrder::new(&order)) {
                // What `create_payout` makes of it.
                let _ = (created.status.payout_status(), created.raw.get().len());
            }
            answer.parse(refusal, &kashpay::auth::Authenticate::new(&credentials));
        },
    );
}

#[test]
fn telepagos_endpoint_decoders() {
    use telepagos::account::{GetBalance, ListTransactionFilters, ListTransactions};
    use telepagos::auth::Authenticate;
    use telepagos::cashin::{GeneratePaymentLink, GenerateQr, GenerateTransferLink, GetCashIn};
    use telepagos::cashout::{CreateCashout, GetCashoutVoucher, ListConcepts};
    use telepagos::sale_points::{
        CreateSalePoint, CreateStaticQrOrder, DeleteSalePoint, GetStaticQr, ListSalePoints,
    };
    use telepagos::statistics::GetStatistics;
    let refusal: Refusal = telepagos::error::refusal;
    let ars = |amount| pagos::Money::parse(amount, pagos::Currency::Ars).unwrap();
    let day = |d| time::Date::from_calendar_date(2024, time::Month::March, d).unwrap();
    let qr = GenerateQr::new(telepagos::QrRequest::new(ars("100"), "Venta"));
    let transfer = GenerateTransferLink::new(telepagos::TransferRequest::new(
        "2850590940090418135201",
        "20267565393",
        ars("100"),
        "Venta",
    ));
    let link = GeneratePaymentLink::new(telepagos::PaymentLinkRequest::new(
        ars("100"),
        "Venta",
        time::macros::datetime!(2030-01-01 00:00 UTC),
    ));
    let cashout = CreateCashout::new(
        telepagos::CashoutRequest::builder(ars("1500.5"), "20-26756539-3", "payout-0001")
            .cvu("2850590940090418135201")
            .build()
            .unwrap(),
    );
    let static_order =
        CreateStaticQrOrder::new(telepagos::StaticQrOrderRequest::new(ars("100"), "Venta", 1));
    let transactions = ListTransactions::new(telepagos::TransactionsQuery::new(day(1), day(31)));
    answers(
        &[
            (3, TP_SMALL),
            (3, TP_WRAPPERS),
            (1, TP_PAGE),
            (1, ERROR_BODY),
        ],
        |answer| {
            // What the unified `balance`, `get_payment` and `get_payout` make of them.
            if let Some(balance) = answer.parse(refusal, &GetBalance::new()) {
                let _ = pagos::Money::new(balance.amount, pagos::Currency::Ars);
            }
            if let Some(cash_in) = answer.parse(refusal, &GetCashIn::new("1")) {
                let _ = (cash_in.payment_status(), cash_in.amount);
            }
            if let Some(voucher) = answer.parse(refusal, &GetCashoutVoucher::new("1")) {
                let _ = (voucher.payout_status(), voucher.pdf.len());
            }
            if let Some(receipt) = answer.parse(refusal, &cashout) {
                let _ = receipt.payout_status();
            }
            if let Some(page) = answer.parse(refusal, &transactions) {
                for t in &page.items {
                    let _ = (t.is_income(), t.payment_status(), t.payout_status());
                }
            }
            answer.parse(refusal, &ListTransactionFilters::new());
            answer.parse(refusal, &ListConcepts::new());
            answer.parse(refusal, &qr);
            answer.parse(refusal, &transfer);
            answer.parse(refusal, &link);
            answer.parse(refusal, &ListSalePoints::new());
            let open = telepagos::QrAmountType::Open;
            answer.parse(refusal, &GetStaticQr::new(1, open));
            answer.parse(refusal, &CreateSalePoint::new("Caja 1"));
            answer.parse(refusal, &DeleteSalePoint::new(1));
            answer.parse(refusal, &static_order);
            answer.parse(refusal, &GetStatistics::new("month"));
            answer.parse(refusal, &Authenticate::new("u", "p"));
        },
    );
}
