//! Sale points (puntos de venta) and their static QR codes:
//! `GET`/`POST`/`DELETE v2/payment/cashin/qr/sale-point`,
//! `GET v2/payment/cashin/qr/sale-point/static` and
//! `POST v2/payment/cashin/qr/static/order`.
//!
//! | endpoint | call | handle method |
//! |---|---|---|
//! | [`ListSalePoints`] | `GET v2/payment/cashin/qr/sale-point` | [`SalePointsHandle::list`] |
//! | [`CreateSalePoint`] | `POST v2/payment/cashin/qr/sale-point` | [`SalePointsHandle::create`] |
//! | [`DeleteSalePoint`] | `DELETE v2/payment/cashin/qr/sale-point` | [`SalePointsHandle::delete`] |
//! | [`GetStaticQr`] | `GET v2/payment/cashin/qr/sale-point/static` | [`SalePointsHandle::static_qr`] |
//! | [`CreateStaticQrOrder`] | `POST v2/payment/cashin/qr/static/order` | [`SalePointsHandle::static_qr_order`] |
//!
//! The `POST`s and the `DELETE` carry no idempotency reference and are sent once.

use std::fmt;

use pagos_core::endpoint::{Endpoint, Page};
use pagos_core::transport::{Idempotency, Method, Request};
use pagos_core::{BaseUrl, Money, Raw, Response, Result, ValidationError, validate};
use serde::{Deserialize, Serialize};

use crate::cashin::description_or;
use crate::client::TelepagosClient;
use crate::wire::{WireAmount, lenient_id, sale_point_id};
use crate::{GetParams, GetParamsPolicy};

/// A sale point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// [`SalePointsHandle::static_qr_order`].
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

/// The path of the sale points (`GET` lists, `POST` creates, `DELETE` deletes).
const SALE_POINT_PATH: [&str; 5] = ["v2", "payment", "cashin", "qr", "sale-point"];

/// A sale point name: not blank. The TelePagos API documents only `"name": string`, so
/// no length limit is imposed: a name TelePagos finds too long is its refusal to make.
fn check_sale_point_name(name: &str) -> std::result::Result<(), ValidationError> {
    validate::non_empty("name", name)
}

#[derive(Serialize)]
struct NameWire<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct IdWire {
    sale_point_id: u64,
}

/// `GET v2/payment/cashin/qr/sale-point`: the sale points, as one page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListSalePoints;

impl ListSalePoints {
    /// The sale points request.
    pub fn new() -> Self {
        ListSalePoints
    }
}

impl Endpoint for ListSalePoints {
    type Output = Page<SalePoint>;
    const OPERATION: &'static str = "sale_points";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        Ok(Request::new(
            Method::GET,
            base.join(&SALE_POINT_PATH)?,
            Self::OPERATION,
        ))
    }

    fn parse(&self, response: &Response) -> Result<Page<SalePoint>> {
        let (points, raw): (SalePointsWire, Raw) = crate::wire::answer(response)?;
        Ok(Page::new(points.sale_points, false, raw))
    }
}

/// A sale point's static QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StaticQr {
    /// The answer's `status`.
    #[serde(default)]
    pub status: Option<String>,
    /// The text to encode in the QR image.
    pub qr_code: String,
    /// The answer as TelePagos sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// `GET v2/payment/cashin/qr/sale-point/static`: a sale point's static QR text.
///
/// The TelePagos API lists `type_amount` and `sale_point_id` as a JSON body of this
/// `GET`, and that is what is sent by default: `{"type_amount":"closed","sale_point_id":7}`.
/// [`params`](Self::params) (from the client, [`GetParamsPolicy`])
/// sends them as query parameters instead: `?type_amount=closed&sale_point_id=7`.
///
/// ```
/// use pagos_telepagos::{GetParams, QrAmountType};
/// use pagos_telepagos::sale_points::GetStaticQr;
///
/// let base = pagos_core::BaseUrl::parse("https://api.telepagos.com.ar")?;
/// let documented = GetStaticQr::new(7, QrAmountType::Closed);
/// let request = pagos_core::endpoint::describe(&documented, &base)?;
/// assert_eq!(request.body_bytes(), br#"{"type_amount":"closed","sale_point_id":7}"#);
/// assert_eq!(request.query_str(), None);
/// let query = documented.params(GetParams::Query);
/// let request = pagos_core::endpoint::describe(&query, &base)?;
/// assert_eq!(request.query_str(), Some("type_amount=closed&sale_point_id=7"));
/// assert!(request.body_bytes().is_empty());
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetStaticQr {
    sale_point_id: u64,
    type_amount: QrAmountType,
    params: GetParams,
}

impl GetStaticQr {
    /// The static QR of sale point `sale_point_id`, closed or open, its parameters in
    /// the documented JSON body.
    pub fn new(sale_point_id: u64, type_amount: QrAmountType) -> Self {
        GetStaticQr {
            sale_point_id,
            type_amount,
            params: GetParamsPolicy::DOCUMENTED.static_qr,
        }
    }

    /// Where the parameters go.
    #[must_use]
    pub fn params(mut self, how: GetParams) -> Self {
        self.params = how;
        self
    }
}

impl Endpoint for GetStaticQr {
    type Output = StaticQr;
    const OPERATION: &'static str = "static_qr";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let request = Request::new(
            Method::GET,
            base.join(&["v2", "payment", "cashin", "qr", "sale-point", "static"])?,
            Self::OPERATION,
        );
        crate::wire::get_params(
            request,
            self.params,
            &[
                ("type_amount", self.type_amount.as_str().into()),
                ("sale_point_id", self.sale_point_id.into()),
            ],
        )
    }

    fn parse(&self, response: &Response) -> Result<StaticQr> {
        let (mut qr, raw): (StaticQr, Raw) = crate::wire::answer(response)?;
        qr.raw = raw;
        Ok(qr)
    }
}

/// The answer to the creation of a sale point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedSalePoint {
    /// The answer's `status`.
    #[serde(default)]
    pub status: Option<String>,
    /// The new sale point's id.
    #[serde(deserialize_with = "sale_point_id::deserialize")]
    pub sale_point_id: u64,
    /// The answer as TelePagos sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// `POST v2/payment/cashin/qr/sale-point` with `{"name": …}`: creates a sale point.
/// Sent once (no idempotency reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateSalePoint {
    name: String,
}

impl CreateSalePoint {
    /// A sale point named `name` (not blank).
    pub fn new(name: impl Into<String>) -> Self {
        CreateSalePoint { name: name.into() }
    }

    /// The name, as given.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Endpoint for CreateSalePoint {
    type Output = CreatedSalePoint;
    const OPERATION: &'static str = "create_sale_point";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// # Errors
    /// [`pagos_core::Error::Validation`] on `name` when blank.
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        check_sale_point_name(&self.name)?;
        Ok(
            Request::new(Method::POST, base.join(&SALE_POINT_PATH)?, Self::OPERATION)
                .json(&NameWire { name: &self.name })?,
        )
    }

    fn parse(&self, response: &Response) -> Result<CreatedSalePoint> {
        let (mut created, raw): (CreatedSalePoint, Raw) = crate::wire::answer(response)?;
        created.raw = raw;
        Ok(created)
    }
}

/// The answer to the deletion of a sale point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletedSalePoint {
    /// The answer's `status`.
    #[serde(default)]
    pub status: Option<String>,
    /// The answer as TelePagos sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// `DELETE v2/payment/cashin/qr/sale-point` with the JSON body
/// `{"sale_point_id": …}`, as the TelePagos API documents it: deletes a sale point.
/// Sent once.
///
/// ```
/// use pagos_telepagos::sale_points::DeleteSalePoint;
///
/// let base = pagos_core::BaseUrl::parse("https://api.telepagos.com.ar")?;
/// let request = pagos_core::endpoint::describe(&DeleteSalePoint::new(14), &base)?;
/// assert_eq!(request.method().as_str(), "DELETE");
/// assert_eq!(request.body_bytes(), br#"{"sale_point_id":14}"#);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeleteSalePoint {
    sale_point_id: u64,
}

impl DeleteSalePoint {
    /// Deletes sale point `sale_point_id`.
    pub fn new(sale_point_id: u64) -> Self {
        DeleteSalePoint { sale_point_id }
    }
}

impl Endpoint for DeleteSalePoint {
    type Output = DeletedSalePoint;
    const OPERATION: &'static str = "delete_sale_point";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        Ok(Request::new(
            Method::DELETE,
            base.join(&SALE_POINT_PATH)?,
            Self::OPERATION,
        )
        .json(&IdWire {
            sale_point_id: self.sale_point_id,
        })?)
    }

    fn parse(&self, response: &Response) -> Result<DeletedSalePoint> {
        let (mut deleted, raw): (DeletedSalePoint, Raw) = crate::wire::answer(response)?;
        deleted.raw = raw;
        Ok(deleted)
    }
}

/// The answer to the creation of a static QR order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StaticQrOrder {
    /// The answer's `status`.
    #[serde(default)]
    pub status: Option<String>,
    /// TelePagos' id of the QR order.
    #[serde(deserialize_with = "lenient_id::deserialize")]
    pub qr_order_id: String,
    /// The answer as TelePagos sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// `POST v2/payment/cashin/qr/static/order`: an order for a sale point's closed static
/// QR. Sent once (no idempotency reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateStaticQrOrder {
    order: StaticQrOrderRequest,
}

impl CreateStaticQrOrder {
    /// Creates the order `order` describes.
    pub fn new(order: StaticQrOrderRequest) -> Self {
        CreateStaticQrOrder { order }
    }

    /// What it asks for.
    pub fn order(&self) -> &StaticQrOrderRequest {
        &self.order
    }
}

impl Endpoint for CreateStaticQrOrder {
    type Output = StaticQrOrder;
    const OPERATION: &'static str = "create_static_qr_order";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// # Errors
    /// [`pagos_core::Error::Validation`] on `amount` or `concept`.
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let wire = self.order.wire()?;
        Ok(Request::new(
            Method::POST,
            base.join(&["v2", "payment", "cashin", "qr", "static", "order"])?,
            Self::OPERATION,
        )
        .json(&wire)?)
    }

    fn parse(&self, response: &Response) -> Result<StaticQrOrder> {
        let (mut order, raw): (StaticQrOrder, Raw) = crate::wire::answer(response)?;
        order.raw = raw;
        Ok(order)
    }
}

/// Sale points, from [`TelepagosClient::sale_points`].
#[derive(Debug, Clone, Copy)]
pub struct SalePointsHandle<'a> {
    client: &'a TelepagosClient,
}

impl<'a> SalePointsHandle<'a> {
    pub(crate) fn new(client: &'a TelepagosClient) -> Self {
        SalePointsHandle { client }
    }

    /// Lists the sale points: [`ListSalePoints`].
    ///
    /// # Errors
    /// [`pagos_core::Error::Provider`] when TelePagos refuses;
    /// [`pagos_core::Error::OutcomeUnknown`] for an unreadable answer.
    pub async fn list(&self) -> Result<Page<SalePoint>> {
        self.client.run(&ListSalePoints::new()).await
    }

    /// Creates a sale point: [`CreateSalePoint`]. Sent once.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `name` when blank; otherwise as
    /// [`list`](Self::list).
    pub async fn create(&self, name: &str) -> Result<CreatedSalePoint> {
        self.client.run(&CreateSalePoint::new(name)).await
    }

    /// Deletes a sale point: [`DeleteSalePoint`]. Sent once.
    ///
    /// # Errors
    /// As [`list`](Self::list).
    pub async fn delete(&self, sale_point_id: u64) -> Result<DeletedSalePoint> {
        self.client.run(&DeleteSalePoint::new(sale_point_id)).await
    }

    /// A sale point's static QR text: [`GetStaticQr`].
    ///
    /// # Errors
    /// As [`list`](Self::list).
    pub async fn static_qr(
        &self,
        sale_point_id: u64,
        type_amount: QrAmountType,
    ) -> Result<StaticQr> {
        self.client
            .run(
                &GetStaticQr::new(sale_point_id, type_amount)
                    .params(self.client.get_params().static_qr),
            )
            .await
    }

    /// Creates an order for a sale point's closed static QR: [`CreateStaticQrOrder`].
    /// Sent once.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `amount` or `concept` before sending;
    /// otherwise as [`list`](Self::list).
    pub async fn static_qr_order(&self, order: &StaticQrOrderRequest) -> Result<StaticQrOrder> {
        self.client
            .run(&CreateStaticQrOrder::new(order.clone()))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sale_point_names_are_checked() {
        assert!(check_sale_point_name("Caja 3").is_ok());
        // No length limit: the TelePagos API documents none.
        assert!(check_sale_point_name(&"ñ".repeat(500)).is_ok());
        for bad in [String::new(), "  ".into()] {
            assert_eq!(
                check_sale_point_name(&bad).unwrap_err().field(),
                "name",
                "{bad:?}"
            );
        }
    }
}
