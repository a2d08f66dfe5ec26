//! Money: `Money::parse` of the fuzzer's text in every `Currency`, `Currency`'s own
//! parsing, and `Money` deserialized from JSON (the bytes as they come, and the text as
//! the amount of every currency, quoted and bare).
//!
//! A `Money` is checked on construction (no more decimals than its currency has), so
//! every `Money` that comes out of any of these, parsed or deserialized, must pass
//! `Money::new` unchanged, hold exactly the value its text says (never rounded), and
//! round-trip through `to_plain_string`, `to_compact_string` and JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_core::{Currency, Money};
use pagos_fuzz::canonical;

fuzz_target!(|body: &[u8]| {
    if let Ok(m) = serde_json::from_slice::<Money>(body) {
        check_invariants(&m, "JSON input");
    }
    if let Ok(c) = serde_json::from_slice::<Currency>(body) {
        assert_eq!(serde_json::to_string(&c).ok(), Some(format!("\"{c}\"")));
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    if text.len() > 256 {
        return;
    }
    if let Ok(c) = text.parse::<Currency>() {
        assert!(
            c.code().eq_ignore_ascii_case(text.trim()),
            "{text:?} parsed as {c}"
        );
    }
    let quoted = serde_json::to_string(text).expect("a string serializes");
    for currency in Currency::ALL {
        let parsed = Money::parse(text, currency);
        match &parsed {
            Ok(m) => {
                assert_eq!(m.currency(), currency);
                check_invariants(m, text);
                // The value is the text's, to the last digit.
                assert!(
                    canonical(text).is_some(),
                    "{text:?} is not decimal text but parsed as {m}"
                );
                assert_eq!(
                    canonical(&m.to_plain_string()),
                    canonical(text),
                    "{text:?} parsed as {m}"
                );
            }
            Err(e) => assert_eq!(e.field(), "amount"),
        }
        for amount in [quoted.as_str(), text] {
            let json = format!(r#"{{"amount":{amount},"currency":"{currency}"}}"#);
            let Ok(m) = serde_json::from_str::<Money>(&json) else {
                continue;
            };
            assert_eq!(m.currency(), currency);
            check_invariants(&m, &json);
            if let Some(expected) = canonical(text) {
                assert_eq!(
                    canonical(&m.amount().to_string()),
                    Some(expected),
                    "{json} decoded as {m}"
                );
            }
        }
        // What `Money::parse` accepts, the JSON form of the same text means the same
        // (`parse` trims the text; JSON amounts have no white space to trim).
        if let Ok(m) = parsed {
            let trimmed = serde_json::to_string(text.trim()).expect("a string serializes");
            let json = format!(r#"{{"amount":{trimmed},"currency":"{currency}"}}"#);
            assert_eq!(serde_json::from_str::<Money>(&json).ok(), Some(m), "{json}");
        }
    }
});

/// What holds for every `Money`, however it was made.
fn check_invariants(m: &Money, from: &str) {
    let currency = m.currency();
    assert_eq!(
        Money::new(m.amount(), currency).as_ref(),
        Ok(m),
        "{from:?} gave {m:?}"
    );
    let plain = m.to_plain_string();
    let decimals = plain
        .split_once('.')
        .map_or(0, |(_, fraction)| fraction.len());
    assert_eq!(
        decimals,
        currency.minor_units() as usize,
        "{m:?} as {plain:?}"
    );
    assert_eq!(Money::parse(&plain, currency).as_ref(), Ok(m), "{plain:?}");
    assert_eq!(
        Money::parse(&m.to_compact_string(), currency).as_ref(),
        Ok(m)
    );
    assert_eq!(m.to_string(), format!("{plain} {currency}"));
    let json = serde_json::to_string(m).expect("Money serializes");
    assert_eq!(
        serde_json::from_str::<Money>(&json).ok().as_ref(),
        Some(m),
        "{json}"
    );
    let _ = m.ensure_positive();
}
