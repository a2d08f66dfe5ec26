//! Sale points (puntos de venta) and their static QR codes:
//! `GET`/`POST`/`DELETE v2/payment/cashin/qr/sale-point`,
//! `GET v2/payment/cashin/qr/sale-point/static` and
//! `POST v2/payment/cashin/qr/static/order`.

use std::fmt;

use pagos_core::transport::{Method, Request};
use pagos_core::{Money, Result, ValidationError, validate};
use serde::{Deserialize, Serialize};

use crate::cashin::description_or;
use crate::client::TelepagosClient;
use crate::wire::{WireAmount, lenient_id, sale_point_id};

/// A sale point.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SalePoint {
    /// Its id.
    #[serde(deserialize_with = "sale_point_id::deserialize")]
    pub id: u64,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its status, as TelePagos reports it.
    #[serde(default)]
    pub status: Option<String>,
}

/// Whether a static QR carries its amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QrAmountType {
    /// `closed`: the QR pays the order created with
    /// [`TelepagosClient::create_static_qr_order`].
    Closed,
    /// `open`: the payer types the amount.
    Open,
}

impl QrAmountType {
    /// The wire value.
    pub const fn as_str(self) -> &'static str {
        match self {
            QrAmountType::Closed => "closed",
            QrAmountType::Open => "open",
        }
    }
}

impl fmt::Display for QrAmountType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An order for a sale point's closed static QR.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StaticQrOrderRequest {
    /// How much, in ARS.
    pub amount: Money,
    /// The concept.
    pub concept: String,
    /// A description; the concept is sent when absent.
    pub description: Option<String>,
    /// The sale point whose closed QR will pay it.
    pub sale_point_id: u64,
}

impl StaticQrOrderRequest {
    /// An order of `amount` for sale point `sale_point_id`.
    pub fn new(amount: Money, concept: impl Into<String>, sale_point_id: u64) -> Self {
        StaticQrOrderRequest {
            amount,
            concept: concept.into(),
            description: None,
            sale_point_id,
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    fn wire(&self) -> std::result::Result<StaticOrderWire<'_>, ValidationError> {
        let amount = WireAmount::new("amount", &self.amount)?;
        validate::non_empty("concept", &self.concept)?;
        Ok(StaticOrderWire {
            amount,
            concept: &self.concept,
            description: description_or(self.description.as_deref(), &self.concept),
            sale_point_id: self.sale_point_id,
        })
    }
}

#[derive(Debug, Serialize)]
struct StaticOrderWire<'a> {
    amount: WireAmount,
    concept: &'a str,
    description: &'a str,
    sale_point_id: u64,
}

#[derive(Deserialize)]
struct SalePointsWire {
    #[serde(default)]
    sale_points: Vec<SalePoint>,
}

#[derive(Deserialize)]
struct StaticQrWire {
    qr_code: String,
}

/// The longest sale point name sent. The TelePagos API documents only `"name":
/// string`; the pagos sandbox, the project's second reading of the TelePagos documents,
/// refuses names over 50 characters with a 400, so such a name is refused before sending.
pub const MAX_SALE_POINT_NAME_CHARS: usize = 50;

/// A sale point name: not blank, at most [`MAX_SALE_POINT_NAME_CHARS`] characters.
fn check_sale_point_name(name: &str) -> std::result::Result<(), ValidationError> {
    validate::non_empty("name", name)?;
    validate::max_chars("name", name, MAX_SALE_POINT_NAME_CHARS)
}

#[derive(Serialize)]
struct NameWire<'a> {
    name: &'a str,
}

#[derive(Deserialize)]
struct CreatedWire {
    #[serde(deserialize_with = "sale_point_id::deserialize")]
    sale_point_id: u64,
}

#[derive(Serialize)]
struct IdWire {
    sale_point_id: u64,
}

#[derive(Deserialize)]
struct StatusWire {}

#[derive(Deserialize)]
struct OrderWire {
    #[serde(deserialize_with = "lenient_id::deserialize")]
    qr_order_id: String,
}

impl TelepagosClient {
    /// Lists the sale points: `GET v2/payment/cashin/qr/sale-point`.
    ///
    /// # Errors
    /// [`pagos_core::Error::Provider`] when TelePagos refuses;
    /// [`pagos_core::Error::OutcomeUnknown`] for an unreadable answer.
    pub async fn sale_points(&self) -> Result<Vec<SalePoint>> {
        let http = Request::new(
            Method::GET,
            self.url(&["v2", "payment", "cashin", "qr", "sale-point"])?,
            "sale_points",
        );
        Ok(self.send::<SalePointsWire>(http).await?.0.sale_points)
    }

    /// A sale point's static QR text: `GET v2/payment/cashin/qr/sale-point/static`.
    ///
    /// The TelePagos API lists `type_amount` and `sale_point_id` as a JSON body of this
    /// `GET`.
    /// A body on a `GET` has no defined meaning in HTTP (RFC 9110 §9.3.1) and is
    /// dropped by some servers, proxies and HTTP clients, so the two values are sent as
    /// query parameters: `?type_amount=closed&sale_point_id=7`.
    ///
    /// # Errors
    /// [`pagos_core::Error::Provider`] when TelePagos refuses;
    /// [`pagos_core::Error::OutcomeUnknown`] for an unreadable answer.
    pub async fn static_qr(&self, sale_point_id: u64, type_amount: QrAmountType) -> Result<String> {
        let http = Request::new(
            Method::GET,
            self.url(&["v2", "payment", "cashin", "qr", "sale-point", "static"])?,
            "static_qr",
        )
        .query(&[
            ("type_amount", type_amount.as_str().to_string()),
            ("sale_point_id", sale_point_id.to_string()),
        ]);
        Ok(self.send::<StaticQrWire>(http).await?.0.qr_code)
    }

    /// Creates a sale point and returns its id: `POST v2/payment/cashin/qr/sale-point`.
    /// Sent once (no idempotency reference).
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `name` when blank or longer than
    /// [`MAX_SALE_POINT_NAME_CHARS`]; otherwise as [`sale_points`](Self::sale_points).
    pub async fn create_sale_point(&self, name: &str) -> Result<u64> {
        check_sale_point_name(name)?;
        let http = Request::new(
            Method::POST,
            self.url(&["v2", "payment", "cashin", "qr", "sale-point"])?,
            "create_sale_point",
        )
        .json(&NameWire { name })?;
        Ok(self.send::<CreatedWire>(http).await?.0.sale_point_id)
    }

    /// Deletes a sale point: `DELETE v2/payment/cashin/qr/sale-point` with the JSON
    /// body `{"sale_point_id": …}`, as the TelePagos API documents it.
    ///
    /// # Errors
    /// As [`sale_points`](Self::sale_points).
    pub async fn delete_sale_point(&self, sale_point_id: u64) -> Result<()> {
        let http = Request::new(
            Method::DELETE,
            self.url(&["v2", "payment", "cashin", "qr", "sale-point"])?,
            "delete_sale_point",
        )
        .json(&IdWire { sale_point_id })?;
        self.send::<StatusWire>(http).await?;
        Ok(())
    }

    /// Creates an order for a sale point's closed static QR and returns the
    /// `qr_order_id`: `POST v2/payment/cashin/qr/static/order`. Sent once.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `amount` or `concept` before sending;
    /// otherwise as [`sale_points`](Self::sale_points).
    pub async fn create_static_qr_order(&self, request: &StaticQrOrderRequest) -> Result<String> {
        let wire = request.wire()?;
        let http = Request::new(
            Method::POST,
            self.url(&["v2", "payment", "cashin", "qr", "static", "order"])?,
            "create_static_qr_order",
        )
        .json(&wire)?;
        Ok(self.send::<OrderWire>(http).await?.0.qr_order_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sale_point_names_are_checked() {
        assert!(check_sale_point_name("Caja 3").is_ok());
        // Characters, not bytes.
        assert!(check_sale_point_name(&"ñ".repeat(MAX_SALE_POINT_NAME_CHARS)).is_ok());
        for bad in [
            String::new(),
            "  ".into(),
            "x".repeat(MAX_SALE_POINT_NAME_CHARS + 1),
        ] {
            assert_eq!(
                check_sale_point_name(&bad).unwrap_err().field(),
                "name",
                "{bad:?}"
            );
        }
    }
}
