//! Totality ("no panic on any input"): every public validator in `pagos_core::validate`,
//! and the text parsers next to them (`Money::parse`, `Currency::from_str`,
//! `wire::parse_decimal`), return on any text, Ok or Err, and never panic. An Err names
//! the field it was asked to report.
//!
//! Inputs: arbitrary Unicode (`any::<String>()` and `\PC*`), and "near misses" glued from
//! fragments a check-digit validator has to get past: ASCII digits and separators next to
//! multibyte letters (`7608642-é`, `12.345.678-ñ`), emoji, combining marks, NUL, bidi
//! controls, non-ASCII digits. Each function also gets one 1 MB string, in a plain test
//! to keep the run fast. 256 cases per property (`PROPTEST_CASES` overrides).
//!
//! The builders that carry these fields are covered through the facade in the e2e
//! binary (`tests/tests/e2e/totality.rs`).

use std::str::FromStr;

use pagos_core::{Currency, Money, ValidationError, validate, wire};
use proptest::prelude::*;

/// The field name every validator is asked to report.
const FIELD: &str = "the.field";

fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 256;
    }
    config
}

/// A validator as the table below calls it.
type Check = fn(&'static str, &str) -> Result<(), ValidationError>;

/// Every public validator of `pagos_core::validate` that takes a field, by name.
/// `normalize_cuit` takes none and is checked on its own.
const VALIDATORS: &[(&str, Check)] = &[
    ("clabe", validate::clabe),
    ("cbu", validate::cbu),
    ("cuit", validate::cuit),
    ("rut", validate::rut),
    ("email", validate::email),
    ("http_url", validate::http_url),
    ("phone_e164", validate::phone_e164),
    ("non_empty", validate::non_empty),
    ("path_id", validate::path_id),
    ("max_chars(0)", |f, v| validate::max_chars(f, v, 0)),
    ("max_chars(40)", |f, v| validate::max_chars(f, v, 40)),
    ("max_chars(usize::MAX)", |f, v| {
        validate::max_chars(f, v, usize::MAX)
    }),
];

/// Fragments that sit where a check digit, a separator or a length boundary is
/// expected: the multibyte ones are what byte-index slicing trips on.
const FRAGMENTS: &[&str] = &[
    "0",
    "1",
    "5",
    "7",
    "9",
    "7608642",
    "76086428",
    "12.345.678",
    "20-26756539-3",
    "032180000118359719",
    "2850590940090418135201",
    "+56912345678",
    "-",
    ".",
    "K",
    "k",
    "+",
    "@",
    "a@b.cl",
    "https://",
    "http://[::1]",
    "%2e",
    "..",
    " ",
    "é",
    "ñ",
    "Ñ",
    "😀",
    "👍🏽",
    "\u{301}",  // combining acute accent
    "e\u{301}", // é, decomposed
    "\u{20E3}", // combining enclosing keycap: 1⃣
    "\0",       // NUL
    "\u{202E}", // right-to-left override
    "\u{200F}", // right-to-left mark
    "\u{FEFF}", // byte order mark
    "\u{200B}", // zero-width space
    "٣",        // Arabic-Indic digit three
    "１",       // fullwidth digit one
    "\u{10FFFF}",
    "\r\n",
];

/// Arbitrary text, and text glued from [`FRAGMENTS`].
fn text() -> BoxedStrategy<String> {
    let glued = prop::collection::vec(prop::sample::select(FRAGMENTS), 0..8)
        .prop_map(|parts| parts.concat());
    prop_oneof![
        2 => any::<String>(),
        2 => "\\PC*",
        3 => glued,
        // Digits, then one character that is not an ASCII digit: the check digit
        // position of every identifier.
        3 => ("[0-9]{1,22}", prop::sample::select(&["-", ".", ""][..]), any::<char>())
            .prop_map(|(digits, sep, c)| format!("{digits}{sep}{c}")),
    ]
    .boxed()
}

/// Runs every validator on `value`: each must return, and an Err must name [`FIELD`].
fn check_all(value: &str) -> Result<(), TestCaseError> {
    for (name, check) in VALIDATORS {
        if let Err(e) = check(FIELD, value) {
            prop_assert_eq!(e.field(), FIELD, "{} on {:?}: {}", name, value, e);
            prop_assert!(
                !e.message().is_empty(),
                "{} on {:?}: no message",
                name,
                value
            );
        }
    }
    // The identifiers are ASCII digits (plus `K` for a RUT): whatever the validator
    // accepts must be made of those and the separators it allows, nothing multibyte.
    let ascii_only = |allowed: &str| {
        value
            .chars()
            .all(|c| c.is_ascii_digit() || allowed.contains(c))
    };
    if validate::clabe(FIELD, value).is_ok() || validate::cbu(FIELD, value).is_ok() {
        prop_assert!(ascii_only(""), "accepted {:?}", value);
    }
    if validate::cuit(FIELD, value).is_ok() {
        prop_assert!(ascii_only("-"), "accepted {:?}", value);
    }
    if validate::rut(FIELD, value).is_ok() {
        prop_assert!(ascii_only(".-kK"), "accepted {:?}", value);
    }
    // `normalize_cuit` only drops hyphens.
    let normalized = validate::normalize_cuit(value);
    prop_assert_eq!(normalized, value.replace('-', ""));
    Ok(())
}

/// The parsers beside the validators: each returns, and an Err names its field.
fn parse_all(value: &str) -> Result<(), TestCaseError> {
    for currency in Currency::ALL {
        match Money::parse(value, currency) {
            Ok(money) => prop_assert_eq!(money.currency(), currency),
            Err(e) => prop_assert_eq!(e.field(), "amount", "Money::parse({:?}): {}", value, e),
        }
    }
    if let Err(e) = Currency::from_str(value) {
        prop_assert_eq!(e.field(), "currency");
    }
    // `None` is the refusal here; what parses must be a number written in the text.
    if let Some(d) = wire::parse_decimal(value) {
        prop_assert!(
            value.chars().any(|c| c.is_ascii_digit()),
            "{:?} parsed as {}",
            value,
            d
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn validators_return_on_any_text(value in text()) {
        check_all(&value)?;
    }

    #[test]
    fn parsers_return_on_any_text(value in text()) {
        parse_all(&value)?;
    }

    #[test]
    fn scientific_text_with_any_exponent_returns(
        mantissa in "[-+]?[0-9]{0,30}(\\.[0-9]{0,30})?",
        exponent in any::<i64>(),
        marker in prop::sample::select(&["e", "E", "e+", "e-"][..]),
    ) {
        // Exponents far outside what a Decimal can use, down to i64::MIN, are refused.
        let text = format!("{mantissa}{marker}{exponent}");
        let parsed = wire::parse_decimal(&text);
        if exponent.unsigned_abs() > 64 {
            prop_assert!(parsed.is_none(), "{:?} parsed as {:?}", text, parsed);
        }
    }
}

/// The inputs of the bug report and their relatives, each by name.
#[test]
fn multibyte_check_digits_are_refused_not_panicked_on() {
    let inputs = [
        // What proptest shrank the RUT panic to: one two-byte character.
        "®",
        "7608642-é",
        "7608642é",
        "1234567-ñ",
        "12.345.678-ñ",
        "7608642-😀",
        "1-😀",
        "😀",
        "7608642-5\u{301}",
        "7608642-\u{202E}5",
        "7608642-\0",
        "76086428-٣",
        "76086428-１",
        "03218000011835971é",
        "285059094009041813520ñ",
        "2026756539😀",
        "20-26756539-\u{301}",
    ];
    for value in inputs {
        check_all(value).unwrap_or_else(|e| panic!("{value:?}: {e}"));
        parse_all(value).unwrap_or_else(|e| panic!("{value:?}: {e}"));
        assert!(
            validate::rut(FIELD, value).is_err(),
            "rut accepted {value:?}"
        );
    }
    // The decimal exponent that overflowed `i64::abs`.
    assert_eq!(wire::parse_decimal("1e-9223372036854775808"), None);
    assert_eq!(wire::parse_decimal("1E9223372036854775807"), None);
}

/// About 1 MiB of `unit` repeated.
fn megabyte(unit: &str) -> String {
    unit.repeat((1 << 20) / unit.len().max(1) + 1)
}

/// A 1 MiB string of digits, separators and multibyte characters.
fn big() -> String {
    megabyte("7608642-é\u{301}\u{202E}\0😀٣.5K")
}

/// One 1 MB string for `name`: the validator returns an error naming the field.
fn one_megabyte(name: &str) {
    let value = big();
    let (_, check) = VALIDATORS
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no validator {name}"));
    if let Err(e) = check(FIELD, &value) {
        assert_eq!(e.field(), FIELD, "{name}");
    }
}

#[test]
fn clabe_one_megabyte() {
    one_megabyte("clabe");
    // Digits only, far too long.
    assert!(validate::clabe(FIELD, &megabyte("0")).is_err());
}

#[test]
fn cbu_one_megabyte() {
    one_megabyte("cbu");
    assert!(validate::cbu(FIELD, &megabyte("0")).is_err());
}

#[test]
fn cuit_one_megabyte() {
    one_megabyte("cuit");
    assert!(validate::cuit(FIELD, &megabyte("0-")).is_err());
}

#[test]
fn normalize_cuit_one_megabyte() {
    let value = big();
    assert_eq!(validate::normalize_cuit(&value), value.replace('-', ""));
}

#[test]
fn rut_one_megabyte() {
    one_megabyte("rut");
    assert!(validate::rut(FIELD, &megabyte("1.")).is_err());
}

#[test]
fn email_one_megabyte() {
    one_megabyte("email");
    let long = format!("{}@example.cl", megabyte("a"));
    assert!(validate::email(FIELD, &long).is_err());
}

#[test]
fn http_url_one_megabyte() {
    one_megabyte("http_url");
    // A long path is still a URL.
    let long = format!("https://example.cl/{}", megabyte("a"));
    assert!(validate::http_url(FIELD, &long).is_ok());
}

#[test]
fn phone_e164_one_megabyte() {
    one_megabyte("phone_e164");
    assert!(validate::phone_e164(FIELD, &format!("+{}", megabyte("5"))).is_err());
}

#[test]
fn non_empty_one_megabyte() {
    one_megabyte("non_empty");
    assert!(validate::non_empty(FIELD, &megabyte(" ")).is_err());
}

#[test]
fn max_chars_one_megabyte() {
    one_megabyte("max_chars(40)");
    let value = big();
    let chars = value.chars().count();
    assert!(validate::max_chars(FIELD, &value, chars).is_ok());
    assert!(validate::max_chars(FIELD, &value, chars - 1).is_err());
}

#[test]
fn path_id_one_megabyte() {
    one_megabyte("path_id");
    assert!(validate::path_id(FIELD, &megabyte(".")).is_err());
    assert!(validate::path_id(FIELD, &megabyte("%2E")).is_err());
}

#[test]
fn parsers_one_megabyte() {
    let value = big();
    parse_all(&value).unwrap_or_else(|e| panic!("{e}"));
    // More digits than a Decimal holds: refused, not rounded and not a panic.
    assert!(Money::parse(&megabyte("9"), Currency::Usd).is_err());
    assert_eq!(wire::parse_decimal(&megabyte("9")), None);
    assert_eq!(wire::parse_decimal(&format!("{}e-64", megabyte("9"))), None);
}
