//! The text validators of `pagos_core::validate`: `email`, `http_url`, `phone_e164`,
//! `non_empty` and `max_chars`, on the fuzzer's bytes as text (the first byte, when
//! there is one, is also the limit for `max_chars`).
//!
//! `phone_e164`, `non_empty` and `max_chars` are compared with their one-line
//! definitions; `email` and `http_url` with the shape their documentation promises of
//! what they accept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_core::validate;

fuzz_target!(|body: &[u8]| {
    let (max, rest) = match body.split_first() {
        Some((&max, rest)) => (usize::from(max), rest),
        None => (0, body),
    };
    let lossy = String::from_utf8_lossy(body);
    check(&lossy, max);
    check(&String::from_utf8_lossy(rest), max);
});

fn check(value: &str, max: usize) {
    let accepted = |r: Result<(), pagos_core::ValidationError>| match r {
        Ok(()) => true,
        Err(e) => {
            assert_eq!(e.field(), "f", "{value:?}: {e}");
            let _ = e.to_string();
            false
        }
    };

    if accepted(validate::email("f", value)) {
        assert!(value.len() <= 254, "{value:?}");
        assert!(!value.chars().any(|c| c.is_whitespace() || c.is_control()));
        assert_eq!(value.matches('@').count(), 1, "{value:?}");
        let (local, domain) = value.split_once('@').expect("one @");
        assert!(!local.is_empty() && local.len() <= 64, "{value:?}");
        assert!(domain.contains('.'), "{value:?}");
        assert!(domain.split('.').all(|l| !l.is_empty()), "{value:?}");
    }

    if accepted(validate::http_url("f", value)) {
        // The URL standard drops tabs and newlines anywhere and trims C0 controls and
        // spaces; what is left must start with an http(s) scheme.
        let cleaned: String = value
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        let cleaned = cleaned
            .trim_matches(|c: char| c <= ' ')
            .to_ascii_lowercase();
        assert!(
            cleaned.starts_with("http:") || cleaned.starts_with("https:"),
            "{value:?} accepted as an http(s) URL"
        );
    }

    let e164 = value.strip_prefix('+').is_some_and(|d| {
        (8..=15).contains(&d.chars().count())
            && d.chars().all(|c| c.is_ascii_digit())
            && !d.starts_with('0')
    });
    assert_eq!(
        accepted(validate::phone_e164("f", value)),
        e164,
        "phone_e164({value:?})"
    );

    assert_eq!(
        accepted(validate::non_empty("f", value)),
        value.chars().any(|c| !c.is_whitespace()),
        "non_empty({value:?})"
    );

    let chars = value.chars().count();
    assert_eq!(accepted(validate::max_chars("f", value, max)), chars <= max);
    assert!(accepted(validate::max_chars("f", value, chars)));
    if chars > 0 {
        assert!(!accepted(validate::max_chars("f", value, chars - 1)));
    }
}
