//! Helpers shared by the fuzz targets in `fuzz_targets/`.
//!
//! Every target feeds the fuzzer's bytes to decoders that must never panic: an error is
//! a fine answer to garbage, a panic is a bug. Run them with `cargo xtask fuzz [TARGET]`
//! (nightly and cargo-fuzz needed); the CI counterpart is the property test
//! `tests/tests/e2e/decoders.rs`.

use std::fmt::Debug;

use pagos_core::Response;
use serde::de::DeserializeOwned;

/// Decodes `body` as `T` with `serde_json::from_slice` and with
/// `pagos_core::Response::json` (what the provider crates use), which must agree.
/// Formats whatever comes out (the value or both errors) and returns the value.
///
/// # Panics
/// When the two ways disagree; a decoder that panics panics through it.
pub fn decode<T: DeserializeOwned + Debug>(provider: &'static str, body: &[u8]) -> Option<T> {
    let direct = serde_json::from_slice::<T>(body);
    let via_response = Response::new(provider, "fuzz", 200, body.to_vec()).json::<T>();
    assert_eq!(
        direct.is_ok(),
        via_response.is_ok(),
        "from_slice and Response::json disagree on {}",
        std::any::type_name::<T>()
    );
    match (direct, via_response) {
        (Ok(value), _) => {
            let _ = format!("{value:?}");
            Some(value)
        }
        (Err(e), Err(via)) => {
            let _ = (e.to_string(), via.to_string(), format!("{via:?}"));
            None
        }
        (Err(_), Ok(_)) => None,
    }
}

/// The error-side helpers of a response holding `body`, at a few statuses.
pub fn response_helpers(provider: &'static str, body: &[u8]) {
    for status in [200, 400, 503] {
        let response = Response::new(provider, "fuzz", status, body.to_vec());
        let _ = (response.is_success(), response.text());
        let _ = response.provider_error().to_string();
        let _ = response.undecodable("fuzz").to_string();
    }
}

/// `(negative, significant digits, power of ten of the last digit)` of decimal text,
/// so that `1.50`, `15e-1` and `0.0015e3` compare equal; zero is `(false, "", 0)`.
/// `None` for text that is not a decimal number.
pub fn canonical(text: &str) -> Option<(bool, String, i64)> {
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
    let trimmed = all.trim_end_matches('0');
    let frac_len = i64::try_from(frac.len()).ok()?;
    let trailing = i64::try_from(all.len() - trimmed.len()).ok()?;
    let digits = trimmed.trim_start_matches('0').to_string();
    if digits.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((
        negative,
        digits,
        exp.checked_sub(frac_len)?.checked_add(trailing)?,
    ))
}
