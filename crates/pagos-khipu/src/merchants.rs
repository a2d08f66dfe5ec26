//! Merchants: `GET /merchants/{id}/paymentMethods` (not in Khipu's REST API 2.0
//! reference; from Khipu's public documentation and official client libraries).

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{BaseUrl, Raw, Request, Response, Result, validate};
use serde::{Deserialize, Serialize};

use crate::client::KhipuClient;
use crate::de;
use crate::request::form_request;

/// A merchant's payment methods.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentMethodsResponse {
    /// The methods (`paymentMethods` on the wire).
    #[serde(
        default,
        rename = "paymentMethods",
        deserialize_with = "de::null_as_default"
    )]
    pub payment_methods: Vec<MerchantPaymentMethod>,
    /// Khipu's answer exactly as received (`null` for a value decoded by hand).
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// One payment method a merchant offers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MerchantPaymentMethod {
    /// The method's id, as text (it may arrive as a number).
    #[serde(deserialize_with = "de::text")]
    pub id: String,
    /// The method's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The method's logo.
    #[serde(default)]
    pub logo_url: Option<String>,
}

/// `GET /merchants/{merchant_id}/paymentMethods`: the payment methods a merchant
/// offers. For the client's own account pass [`KhipuClient::receiver_id`].
#[derive(Debug, Clone, Copy)]
pub struct ListPaymentMethods<'a> {
    merchant_id: &'a str,
}

impl<'a> ListPaymentMethods<'a> {
    /// Lists the payment methods of `merchant_id`.
    pub fn new(merchant_id: &'a str) -> Self {
        ListPaymentMethods { merchant_id }
    }
}

impl Endpoint for ListPaymentMethods<'_> {
    type Output = PaymentMethodsResponse;
    const OPERATION: &'static str = "list_payment_methods";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    /// # Errors
    /// [`pagos_core::Error::Validation`] on `merchant_id` for a blank id, a dot segment
    /// or a control character.
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        // The id becomes a path segment: `..` would sign and send another resource.
        validate::path_id("merchant_id", self.merchant_id)?;
        let none: &[(&str, &str)] = &[];
        let url = base.join(&["merchants", self.merchant_id, "paymentMethods"])?;
        Ok(form_request(Method::GET, url, Self::OPERATION, none, none)?)
    }

    fn parse(&self, response: &Response) -> Result<PaymentMethodsResponse> {
        let (mut methods, raw): (PaymentMethodsResponse, Raw) = response.json_with_raw()?;
        methods.raw = raw;
        Ok(methods)
    }
}

/// The merchants resource. Get one with [`KhipuClient::merchants`].
#[derive(Debug, Clone, Copy)]
pub struct Merchants<'a> {
    client: &'a KhipuClient,
}

impl<'a> Merchants<'a> {
    pub(crate) fn new(client: &'a KhipuClient) -> Self {
        Merchants { client }
    }

    /// Lists a merchant's payment methods ([`ListPaymentMethods`]).
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `merchant_id` (see
    /// [`pagos_core::validate::path_id`]); otherwise see [`pagos_core::Error`].
    pub async fn payment_methods(&self, merchant_id: &str) -> Result<PaymentMethodsResponse> {
        self.client.run(&ListPaymentMethods::new(merchant_id)).await
    }
}
