//! Checks of TelePagos input: CVU/CBU and CUIT/CUIL check digits, aliases, and the field
//! helpers the handlers validate bodies with.

use std::collections::BTreeMap;

use axum::http::Uri;
use rust_decimal::Decimal;

use super::CURRENCIES;
use super::error::Rejection;
use super::state::CONCEPTS;

/// The decimals an amount may carry: TelePagos amounts are ARS ([`CURRENCIES`]).
fn ars_decimals() -> u32 {
    CURRENCIES
        .iter()
        .find(|(code, _)| *code == "ARS")
        .map_or(2, |(_, d)| *d)
}
use crate::wire::{FieldError, JsonObject, has_at_most_decimals};

/// CBU/CVU: 22 digits, two blocks each with its check digit.
pub(super) fn is_valid_cvu(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if s.len() != 22 || digits.len() != 22 {
        return false;
    }
    let check = |block: &[u32], weights: &[u32]| {
        let sum: u32 = block.iter().zip(weights).map(|(d, w)| d * w).sum();
        (10 - sum % 10) % 10
    };
    check(&digits[..7], &[7, 1, 3, 9, 7, 1, 3]) == digits[7]
        && check(&digits[8..21], &[3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3]) == digits[21]
}

/// CUIT/CUIL: 11 digits (hyphens accepted); returns the digits when the check digit holds.
pub(super) fn valid_cuit(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if values.len() != 11 || digits.len() != 11 {
        return None;
    }
    let sum: u32 = values
        .iter()
        .zip([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => 9,
        r => r,
    };
    (check == values[10]).then_some(digits)
}

/// An alias: 6 to 20 letters, digits, dots or hyphens.
pub(super) fn is_valid_alias(s: &str) -> bool {
    (6..=20).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// The CVU an alias resolves to: deterministic, with correct check digits.
pub(super) fn cvu_for_alias(alias: &str) -> String {
    // FNV-1a: a stable hash so the same alias always resolves to the same account.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in alias.to_ascii_lowercase().bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut digits = vec![0, 0, 0, 0, 0, 0, 7];
    let check = |block: &[u32], weights: &[u32]| {
        let sum: u32 = block.iter().zip(weights).map(|(d, w)| d * w).sum();
        (10 - sum % 10) % 10
    };
    digits.push(check(&digits, &[7, 1, 3, 9, 7, 1, 3]));
    let mut rest: Vec<u32> = format!("{:013}", hash % 10_000_000_000_000)
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    rest.push(check(&rest, &[3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3]));
    digits.extend(rest);
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect()
}

/// The value of a field read with `JsonObject`, recording its error.
pub(super) fn take<T>(
    errors: &mut Vec<FieldError>,
    result: Result<Option<T>, FieldError>,
) -> Option<T> {
    result.unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

/// A required amount: positive, at most 2 decimals.
pub(super) fn amount(
    errors: &mut Vec<FieldError>,
    object: &JsonObject,
    key: &str,
) -> Option<Decimal> {
    match object.decimal(key) {
        Ok(Some(a)) if a > Decimal::ZERO && has_at_most_decimals(a, ars_decimals()) => Some(a),
        Ok(Some(_)) => {
            errors.push(FieldError::new(
                object.field_name(key),
                format!(
                    "debe ser mayor que cero, con {} decimales como máximo",
                    ars_decimals()
                ),
            ));
            None
        }
        Ok(None) => {
            errors.push(FieldError::new(object.field_name(key), "es obligatorio"));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// A cash-out `concept`: one of [`CONCEPTS`], `VAR` when absent.
pub(super) fn concept(errors: &mut Vec<FieldError>, object: &JsonObject) -> String {
    match take(errors, object.string("concept")) {
        None => "VAR".into(),
        Some(c) if CONCEPTS.iter().any(|(code, _)| *code == c) => c,
        Some(c) => {
            errors.push(FieldError::new(
                "concept",
                format!("concepto desconocido: {c} (ver v2/payment/concepts)"),
            ));
            "VAR".into()
        }
    }
}

/// The `concept` of a cash-in (QR, transfer link, payment link, static QR order): free
/// text. The TelePagos API ("API Telepagos Empresas") types it `string`, and the BCRA
/// motive codes TelePagos's public documentation lists are only for
/// transfers sent (cash-out); the payment link has no other text field for what is being
/// paid. Absent, it is `VAR`, as before; blank, it is refused.
pub(super) fn cashin_concept(errors: &mut Vec<FieldError>, object: &JsonObject) -> String {
    match take(errors, object.string("concept")) {
        None => "VAR".into(),
        Some(c) if c.trim().is_empty() => {
            errors.push(FieldError::new("concept", "no puede estar vacío"));
            "VAR".into()
        }
        Some(c) => c,
    }
}

/// A required CUIT/CUIL with a correct check digit, as its 11 digits.
pub(super) fn cuit(errors: &mut Vec<FieldError>, object: &JsonObject) -> Option<String> {
    match take(errors, object.string("cuit")) {
        None => {
            errors.push(FieldError::new("cuit", "es obligatorio"));
            None
        }
        Some(c) => valid_cuit(&c).or_else(|| {
            errors.push(FieldError::new(
                "cuit",
                "CUIT inválido (dígito verificador)",
            ));
            None
        }),
    }
}

/// An optional CVU/CBU with correct check digits.
pub(super) fn cvu(errors: &mut Vec<FieldError>, object: &JsonObject, key: &str) -> Option<String> {
    match take(errors, object.string(key)) {
        Some(c) if is_valid_cvu(&c) => Some(c),
        Some(_) => {
            errors.push(FieldError::new(
                object.field_name(key),
                "CVU/CBU inválido (dígito verificador)",
            ));
            None
        }
        None => None,
    }
}

/// The request body as a JSON object.
pub(super) fn parse_body(body: &[u8]) -> Result<JsonObject, Rejection> {
    JsonObject::parse(body).map_err(Rejection::bad_request)
}

/// The query parameters (the last of a repeated one wins).
pub(super) fn query_pairs(uri: &Uri) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// The parameters of a `GET` the TelePagos API documents with a JSON body
/// (`sale-point/static`, `account/transactions`): the JSON object of the body, as the
/// document shows, and the query parameters for anything the body does not give (so
/// clients that send a query are served too). Numbers count as their digits, booleans
/// as `1`/`0`, `null` as absent.
pub(super) fn get_params(body: &[u8], uri: &Uri) -> Result<BTreeMap<String, String>, Rejection> {
    let mut params = query_pairs(uri);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(params);
    }
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body)
        .map_err(|e| Rejection::bad_request(format!("cuerpo JSON inválido: {e}")))?;
    for (key, value) in object {
        let text = match value {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => s,
            serde_json::Value::Bool(b) => u8::from(b).to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            other => {
                return Err(Rejection::bad_request(format!(
                    "{key}: se esperaba un texto o un número, no {other}"
                )));
            }
        };
        params.insert(key, text);
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_check_digits() {
        assert!(is_valid_cvu("2850590940090418135201"));
        assert!(!is_valid_cvu("2850590940090418135202"));
        assert!(!is_valid_cvu("285059094009041813520"));
        assert_eq!(valid_cuit("20-26756539-3").as_deref(), Some("20267565393"));
        assert_eq!(valid_cuit("20267565394"), None);
        assert!(is_valid_cvu(&cvu_for_alias("mi.alias.sandbox")));
        assert_eq!(cvu_for_alias("Mi.Alias"), cvu_for_alias("mi.alias"));
    }
}
