//! The TelePagos wire formats shared by every endpoint: amounts and identifiers.
//!
//! **Amounts** are written in ONE place, [`WireAmount`]: a JSON number with exactly two
//! decimals (`1500.00`, `10.50`), the API's `decimal`. They never pass through `f64`.
//! Amounts in answers are read leniently (number or numeric string) with
//! [`pagos_core::wire::lenient_decimal`]: the TelePagos API itself writes the transaction
//! `amount` as a string and the balance `amount` as an integer.
//!
//! **Identifiers** (`id`, `qr_order_id`, `link_id`, `transaction_id`...) are numbers in
//! the TelePagos API; they are read as text from a number or a string, so a provider that
//! switches to string ids (or to ids beyond 2⁵³) does not break decoding.
//!
//! **Answers** are read in ONE place, [`answer`]: the body kept as a [`Raw`] (its exact
//! text, checked once) and decoded once from that text into the typed answer.
//!
//! Every helper here reads the value's raw JSON text, so structs using them must be
//! decoded from the answer's text ([`answer`], `Raw::decode`), never from a parsed
//! `serde_json::Value`.

use pagos_core::transport::Request;
use pagos_core::{Currency, Decimal, Money, Raw, Response, ValidationError};
use serde::de::DeserializeOwned;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A successful answer as `T` and as its exact text.
///
/// # Errors
/// [`pagos_core::Error::OutcomeUnknown`] (the raw body kept) when the body is not JSON
/// or not a `T`: a success the SDK cannot read means it cannot tell what happened.
pub(crate) fn answer<T: DeserializeOwned>(response: &Response) -> pagos_core::Result<(T, Raw)> {
    let raw = response.raw()?;
    let typed = raw
        .decode()
        .map_err(|e| pagos_core::Error::from(response.undecodable(e.to_string())))?;
    Ok((typed, raw))
}

/// The decimals TelePagos amounts carry on the wire (ARS cents), as in `CURRENCIES`.
const WIRE_DECIMALS: u32 = 2;

/// An amount as TelePagos receives it: ARS, positive, a JSON number with two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WireAmount(Decimal);

impl WireAmount {
    /// Checks `money` (ARS, greater than zero, at most two decimals) and prepares it for
    /// the wire. Errors name `field`.
    pub(crate) fn new(field: &'static str, money: &Money) -> Result<WireAmount, ValidationError> {
        // The one currency table (`crate::CURRENCIES`): ARS, 2 decimals. Its errors are
        // named after the amount field, which carries the currency.
        crate::CURRENCIES
            .check(money)
            .map_err(|e| e.for_field(field))?;
        money.ensure_positive().map_err(|e| e.for_field(field))?;
        let decimals = crate::CURRENCIES
            .decimals(money.currency())
            .unwrap_or(WIRE_DECIMALS);
        // The table already refused more decimals than that; rescaling only pads.
        let mut amount = money.amount();
        amount.rescale(decimals);
        Ok(WireAmount(amount))
    }

    /// The amount.
    pub(crate) fn decimal(self) -> Decimal {
        self.0
    }
}

impl Serialize for WireAmount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        pagos_core::wire::json_number::serialize(&self.0, s)
    }
}

/// Places the parameters of a `GET` the TelePagos API documents with a JSON body, as
/// [`GetParams`](crate::GetParams) says: a JSON object in the documented order, or
/// query parameters (strings as they are, numbers as their digits).
///
/// # Errors
/// None in practice: keys and values are serialized by `serde_json`.
pub(crate) fn get_params(
    request: Request,
    how: crate::GetParams,
    params: &[(&'static str, serde_json::Value)],
) -> pagos_core::Result<Request> {
    match how {
        crate::GetParams::Query => {
            let pairs: Vec<(&str, String)> = params
                .iter()
                .map(|(k, v)| {
                    let text = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (*k, text)
                })
                .collect();
            Ok(request.query(&pairs))
        }
        crate::GetParams::Body => {
            // Written by hand to keep the documented order (a `serde_json::Map` sorts).
            let mut body = String::from("{");
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    body.push(',');
                }
                body.push_str(&serde_json::Value::from(*k).to_string());
                body.push(':');
                body.push_str(&v.to_string());
            }
            body.push('}');
            let raw = RawValue::from_string(body).map_err(|e| {
                pagos_core::ConfigError::new("body", format!("unwritable parameters: {e}"))
            })?;
            Ok(request.json(&raw)?)
        }
    }
}

/// An ARS amount read from an answer, as [`Money`] when it fits ARS precision.
pub(crate) fn ars(amount: Decimal) -> Option<Money> {
    Money::new(amount, Currency::Ars).ok()
}

/// The text of a JSON scalar: a string's content or a number's digits; `None` for
/// `null` and `""`.
fn scalar_text(raw: &RawValue) -> Result<Option<String>, String> {
    let text = raw.get().trim();
    if text == "null" {
        return Ok(None);
    }
    let value = if text.starts_with('"') {
        serde_json::from_str::<String>(text).map_err(|e| e.to_string())?
    } else if text.starts_with(['{', '[']) || text == "true" || text == "false" {
        return Err(format!("expected a number or a string, got {text}"));
    } else {
        text.to_string()
    };
    let value = value.trim().to_string();
    Ok((!value.is_empty()).then_some(value))
}

/// An identifier sent as a JSON number or string, kept as text.
pub(crate) mod lenient_id {
    use super::*;

    /// Reads a required identifier.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let raw = <&RawValue>::deserialize(d)?;
        scalar_text(raw)
            .map_err(D::Error::custom)?
            .ok_or_else(|| D::Error::custom("the identifier is missing"))
    }

    /// The same for optional identifiers: `null`, `""` or a missing field is `None`.
    /// Use with `#[serde(default, deserialize_with = "...::option::deserialize")]`.
    pub(crate) mod option {
        use super::*;

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<String>, D::Error> {
            let raw = <&RawValue>::deserialize(d)?;
            scalar_text(raw).map_err(D::Error::custom)
        }
    }
}

/// A whole number sent as a JSON number, a numeric string or a boolean (`true` = 1).
/// `null`, `""` or a missing field is `None`.
pub(crate) mod lenient_int {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        let raw = <&RawValue>::deserialize(d)?;
        match raw.get().trim() {
            "true" => return Ok(Some(1)),
            "false" => return Ok(Some(0)),
            _ => {}
        }
        let Some(text) = scalar_text(raw).map_err(D::Error::custom)? else {
            return Ok(None);
        };
        if let Ok(n) = text.parse::<i64>() {
            return Ok(Some(n));
        }
        // `3.0` is still a whole number; `3.5` is not.
        pagos_core::wire::parse_decimal(&text)
            .filter(|d| d.fract().is_zero())
            .and_then(|d| i64::try_from(d).ok())
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("{text:?} is not a whole number")))
    }
}

/// A sale point id: a whole, non-negative number (sent back to TelePagos as a JSON
/// number, as the API's `"sale_point_id": int`).
pub(crate) mod sale_point_id {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let n = super::lenient_int::deserialize(d)?
            .ok_or_else(|| D::Error::custom("the sale point id is missing"))?;
        u64::try_from(n).map_err(|_| D::Error::custom(format!("{n} is not a sale point id")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_have_exactly_two_decimals() {
        let json = |s: &str| {
            let m = Money::parse(s, Currency::Ars).unwrap();
            serde_json::to_string(&WireAmount::new("amount", &m).unwrap()).unwrap()
        };
        assert_eq!(json("10"), "10.00");
        assert_eq!(json("10.5"), "10.50");
        assert_eq!(json("0.01"), "0.01");
        assert_eq!(json("1234567.89"), "1234567.89");
    }

    #[test]
    fn amounts_must_be_positive_ars() {
        let zero = Money::parse("0", Currency::Ars).unwrap();
        assert_eq!(
            WireAmount::new("amount", &zero).unwrap_err().field(),
            "amount"
        );
        let usd = Money::parse("1", Currency::Usd).unwrap();
        assert_eq!(
            WireAmount::new("distribution.amount", &usd)
                .unwrap_err()
                .field(),
            "distribution.amount"
        );
    }

    #[derive(Deserialize)]
    struct Ids {
        #[serde(deserialize_with = "lenient_id::deserialize")]
        id: String,
        #[serde(default, deserialize_with = "lenient_id::option::deserialize")]
        other: Option<String>,
        #[serde(default, deserialize_with = "lenient_int::deserialize")]
        n: Option<i64>,
    }

    #[test]
    fn ids_and_ints_are_lenient() {
        let v: Ids =
            serde_json::from_str(r#"{"id": 12345678901234567890, "other": "7", "n": "3"}"#)
                .unwrap();
        assert_eq!(v.id, "12345678901234567890");
        assert_eq!(v.other.as_deref(), Some("7"));
        assert_eq!(v.n, Some(3));
        let v: Ids = serde_json::from_str(r#"{"id": "abc", "other": null, "n": true}"#).unwrap();
        assert_eq!(v.other, None);
        assert_eq!(v.n, Some(1));
        let v: Ids = serde_json::from_str(r#"{"id": 1, "n": 2.0}"#).unwrap();
        assert_eq!(v.n, Some(2));
        assert!(serde_json::from_str::<Ids>(r#"{"id": 1, "n": 2.5}"#).is_err());
        assert!(serde_json::from_str::<Ids>(r#"{"id": null}"#).is_err());
        assert!(serde_json::from_str::<Ids>(r#"{"id": {}}"#).is_err());
    }
}
