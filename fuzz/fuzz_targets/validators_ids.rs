//! The identifier validators of `pagos_core::validate`: `clabe`, `cbu`,
//! `normalize_cuit`, `cuit`, `rut` and `path_id`, on the fuzzer's bytes as text.
//!
//! Each check-digit validator is compared with the published algorithm written again
//! in `pagos_fuzz::oracle` (not shared with the library), in both directions: what the
//! validator accepts has the right shape and check digit, and what has them is
//! accepted. `path_id` is checked against what it protects: an accepted id, joined to
//! a base URL, adds exactly one path segment.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_core::{BaseUrl, validate};
use pagos_fuzz::{oracle, percent_decode};

fuzz_target!(|body: &[u8]| {
    let lossy = String::from_utf8_lossy(body);
    check(&lossy);
    // Also the first line alone, so that one input exercises a short id and a long one.
    if let Some(line) = lossy.lines().next() {
        check(line);
    }
});

fn check(value: &str) {
    // Every error names the field it was given: a provider reports it to the caller.
    let expect_field = |r: Result<(), pagos_core::ValidationError>| -> bool {
        match r {
            Ok(()) => true,
            Err(e) => {
                assert_eq!(e.field(), "f", "{value:?}: {e}");
                let _ = e.to_string();
                false
            }
        }
    };

    let clabe = expect_field(validate::clabe("f", value));
    assert_eq!(clabe, oracle::clabe(value), "clabe({value:?})");
    if clabe {
        assert!(value.len() == 18 && value.bytes().all(|b| b.is_ascii_digit()));
    }

    let cbu = expect_field(validate::cbu("f", value));
    assert_eq!(cbu, oracle::cbu(value), "cbu({value:?})");
    if cbu {
        assert!(value.len() == 22 && value.bytes().all(|b| b.is_ascii_digit()));
    }

    let normalized = validate::normalize_cuit(value);
    assert!(!normalized.contains('-'), "normalize_cuit({value:?})");
    assert_eq!(
        normalized.chars().count() + value.matches('-').count(),
        value.chars().count(),
        "normalize_cuit({value:?}) removed more than hyphens"
    );
    assert_eq!(validate::normalize_cuit(&normalized), normalized);

    let cuit = expect_field(validate::cuit("f", value));
    assert_eq!(cuit, oracle::cuit(&normalized), "cuit({value:?})");
    // Hyphens never matter: the normalized form gets the same answer.
    assert_eq!(cuit, validate::cuit("f", &normalized).is_ok());

    let rut = expect_field(validate::rut("f", value));
    assert_eq!(rut, oracle::rut(value), "rut({value:?})");

    let path_id = expect_field(validate::path_id("f", value));
    if path_id {
        assert!(!value.trim().is_empty() && !value.chars().any(char::is_control));
        check_joined(value);
    }
}

/// An accepted id is one more segment under the base path, never `.`/`..` resolved
/// against it (nor dropped, as `url` drops a bare `.` segment), and that segment decodes
/// back to the id: everything that could change the path, `%` included, is encoded.
fn check_joined(id: &str) {
    let base = BaseUrl::parse("https://api.example.cl/v1/payments").expect("a valid base");
    // join applies the same check as a last guard: an accepted id always joins.
    let url = base.join(&[id]).expect("an id path_id accepts joins");
    let segments: Vec<&str> = url
        .path_segments()
        .expect("an https URL has a path")
        .collect();
    assert_eq!(segments.len(), 3, "{id:?} joined as {url}");
    assert_eq!(&segments[..2], ["v1", "payments"], "{id:?} joined as {url}");
    assert_eq!(url.host_str(), Some("api.example.cl"));
    assert!(url.query().is_none() && url.fragment().is_none(), "{url}");
    assert_eq!(percent_decode(segments[2]).as_deref(), Some(id), "{url}");
}
