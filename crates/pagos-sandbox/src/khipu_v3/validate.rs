//! Field rules shared by the 3.0 and PAC handlers: amounts (a JSON number, or a string
//! where the spec says so; never via `f64`), currencies and their decimals, text lengths.

use rust_decimal::Decimal;

use super::render::currency_decimals;
use crate::wire::{FieldError, JsonObject, is_http_url, parse_plain_decimal};

/// Whether Khipu takes `currency` (the table is shared with API 2.0).
pub(super) fn known_currency(currency: &str) -> bool {
    crate::khipu::currency_decimals(currency).is_some()
}

/// Checks an amount's sign and decimals (at most 4, and at most the currency's).
pub(super) fn check_amount(
    field: &str,
    amount: Decimal,
    currency: Option<&str>,
) -> Result<Decimal, FieldError> {
    if amount <= Decimal::ZERO {
        return Err(FieldError::new(field, "El monto debe ser mayor que cero"));
    }
    let scale = amount.normalize().scale();
    if scale > 4 {
        return Err(FieldError::new(field, "El monto tiene más de 4 decimales"));
    }
    if let Some(currency) = currency.filter(|c| known_currency(c)) {
        let max = currency_decimals(currency);
        if scale > max {
            return Err(FieldError::new(
                field,
                format!("Monto inválido: {currency} admite {max} decimales"),
            ));
        }
    }
    Ok(amount)
}

/// A JSON-number amount (`15000`, `10.5`): no string, no exponent, no separators.
pub(super) fn number_amount(
    object: &JsonObject,
    field: &str,
    currency: Option<&str>,
) -> Result<Option<Decimal>, FieldError> {
    let Some(raw) = object.raw(field) else {
        return Ok(None);
    };
    let text = raw.get().trim();
    let amount = parse_plain_decimal(text).ok_or_else(|| {
        FieldError::new(
            field,
            "Monto inválido: debe ser un número sin separador de miles y con '.' como separador decimal",
        )
    })?;
    check_amount(field, amount, currency).map(Some)
}

/// A string amount (`"5000"`), as `/v3/refunds` and `/v3/predict` take it.
pub(super) fn string_amount(
    field: &str,
    text: &str,
    currency: Option<&str>,
) -> Result<Decimal, FieldError> {
    let amount = parse_plain_decimal(text.trim()).ok_or_else(|| {
        FieldError::new(
            field,
            "Monto inválido: debe ser un texto con un número, '.' como separador decimal",
        )
    })?;
    check_amount(field, amount, currency)
}

/// An optional text field of at most `max` characters.
pub(super) fn text(
    object: &JsonObject,
    field: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match object.string(field) {
        Ok(Some(s)) if s.chars().count() > max => {
            errors.push(FieldError::new(
                field,
                format!("Debe tener a lo más {max} caracteres"),
            ));
            None
        }
        Ok(value) => value,
        Err(_) => {
            errors.push(FieldError::new(field, "Debe ser un texto"));
            None
        }
    }
}

/// A required text field of at most `max` characters, not blank.
pub(super) fn required_text(
    object: &JsonObject,
    field: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = text(object, field, max, errors);
    if value.as_deref().is_none_or(|s| s.trim().is_empty())
        && !errors.iter().any(|e| e.field == field)
    {
        errors.push(FieldError::new(field, "Es obligatorio"));
        return None;
    }
    value
}

/// An optional `http`/`https` URL of at most 1024 characters.
pub(super) fn url(
    object: &JsonObject,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = text(object, field, 1024, errors)?;
    if !is_http_url(&value) {
        errors.push(FieldError::new(field, "Debe ser una URL http o https"));
        return None;
    }
    Some(value)
}

/// A required currency Khipu takes ([`known_currency`]).
pub(super) fn currency(object: &JsonObject, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = required_text(object, "currency", 255, errors)?;
    if !known_currency(&value) {
        errors.push(FieldError::new(
            "currency",
            format!("Moneda no soportada: {value}"),
        ));
        return None;
    }
    Some(value)
}
