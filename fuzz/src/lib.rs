//! Helpers shared by the fuzz targets in `fuzz_targets/`.
//!
//! Every target feeds the fuzzer's bytes to decoders, parsers and validators that must
//! never panic (an error is a fine answer to garbage, a panic is a bug) and checks what
//! they return where that is cheap. Run them with `cargo xtask fuzz [TARGET]` (the stable
//! toolchain and cargo-fuzz; see FUZZING.md); `cargo xtask ci` runs each for 20 s.

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

/// Percent-decodes a URL path segment; `None` when the bytes are not UTF-8.
pub fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The check-digit algorithms (CLABE: Banxico's weights 3-7-1; CBU/CVU: BCRA's two
/// blocks; CUIT: AFIP's mod 11; RUT: Chile's mod 11), written again from the published
/// descriptions so that a target can compare `pagos_core::validate` with
/// an implementation that shares none of its code (and none of its byte indexing).
pub mod oracle {
    /// The decimal digits of `text` when it is exactly `len` ASCII digits.
    fn digits(text: &str, len: usize) -> Option<Vec<u32>> {
        let digits: Vec<u32> = text.chars().map_while(|c| c.to_digit(10)).collect();
        (digits.len() == len && text.chars().count() == len).then_some(digits)
    }

    fn weighted_sum(digits: &[u32], weights: &[u32]) -> u32 {
        digits
            .iter()
            .zip(weights.iter().cycle())
            .map(|(d, w)| d * w)
            .sum()
    }

    /// CLABE: 18 digits; the last is `(10 - Σ (dᵢ·wᵢ mod 10)) mod 10` with weights
    /// 3, 7, 1 repeating over the first 17.
    pub fn clabe(text: &str) -> bool {
        let Some(d) = digits(text, 18) else {
            return false;
        };
        let sum: u32 = d[..17]
            .iter()
            .zip([3, 7, 1].iter().cycle())
            .map(|(d, w)| d * w % 10)
            .sum();
        (10 - sum % 10) % 10 == d[17]
    }

    /// CBU/CVU: 22 digits; digit 8 checks the first 7 (weights 7,1,3,9), digit 22
    /// checks digits 9 to 21 (weights 3,9,7,1), each `(10 - Σ mod 10) mod 10`.
    pub fn cbu(text: &str) -> bool {
        let Some(d) = digits(text, 22) else {
            return false;
        };
        let check = |block: &[u32], weights: &[u32]| (10 - weighted_sum(block, weights) % 10) % 10;
        check(&d[..7], &[7, 1, 3, 9]) == d[7] && check(&d[8..21], &[3, 9, 7, 1]) == d[21]
    }

    /// CUIT/CUIL without hyphens: 11 digits, weights 5,4,3,2,7,6,5,4,3,2 over the first
    /// ten; `11 - Σ mod 11`, where 11 is 0 and 10 is 9.
    pub fn cuit(normalized: &str) -> bool {
        let Some(d) = digits(normalized, 11) else {
            return false;
        };
        let check = match 11 - weighted_sum(&d[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11 {
            11 => 0,
            10 => 9,
            r => r,
        };
        check == d[10]
    }

    /// RUT: without `.` and `-`, 1 to 8 digits then the check digit: weights 2..7
    /// repeating from the right, `11 - Σ mod 11`, where 11 is `0` and 10 is `K` (either
    /// case).
    pub fn rut(text: &str) -> bool {
        let cleaned: Vec<char> = text.chars().filter(|c| !matches!(c, '.' | '-')).collect();
        let Some((&dv, body)) = cleaned.split_last() else {
            return false;
        };
        if body.is_empty() || body.len() > 8 || !body.iter().all(char::is_ascii_digit) {
            return false;
        }
        let body: Vec<u32> = body.iter().rev().filter_map(|c| c.to_digit(10)).collect();
        let expected = match 11 - weighted_sum(&body, &[2, 3, 4, 5, 6, 7]) % 11 {
            11 => '0',
            10 => 'K',
            r => char::from_digit(r, 10).expect("r is 1 to 9"),
        };
        dv.to_ascii_uppercase() == expected
    }
}
