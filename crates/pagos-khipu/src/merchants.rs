//! Merchants: `GET /merchants/{id}/paymentMethods` (not in Khipu's REST
//! API 2.0 reference; from Khipu's public documentation and official client libraries).

use pagos_core::transport::Method;
use pagos_core::{Error, Request, validate};
use serde::Deserialize;

use crate::client::KhipuClient;
use crate::de;

/// A merchant's payment methods.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PaymentMethodsResponse {
    /// The methods (`paymentMethods` on the wire).
    #[serde(
        default,
        rename = "paymentMethods",
        deserialize_with = "de::null_as_default"
    )]
    pub payment_methods: Vec<MerchantPaymentMethod>,
}

/// One payment method a merchant offers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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

/// The merchants endpoint. Get one with [`KhipuClient::merchants`].
#[derive(Debug, Clone, Copy)]
pub struct Merchants<'a> {
    client: &'a KhipuClient,
}

impl<'a> Merchants<'a> {
    pub(crate) fn new(client: &'a KhipuClient) -> Self {
        Merchants { client }
    }

    /// Describes `GET /merchants/{merchant_id}/paymentMethods`.
    ///
    /// # Errors
    /// [`Error::Validation`] on `merchant_id` for a blank id, a dot segment or a control
    /// character.
    pub fn prepare_payment_methods(&self, merchant_id: &str) -> Result<Request, Error> {
        // The id becomes a path segment: `..` would sign and send another resource.
        validate::path_id("merchant_id", merchant_id)?;
        self.client.signed_request(
            Method::GET,
            &["merchants", merchant_id, "paymentMethods"],
            "list_payment_methods",
            &[],
            &[],
        )
    }

    /// Lists a merchant's payment methods (`GET /merchants/{merchant_id}/paymentMethods`).
    /// For the client's own account pass [`KhipuClient::receiver_id`].
    ///
    /// # Errors
    /// [`Error::Validation`] on `merchant_id` (see [`pagos_core::validate::path_id`]);
    /// otherwise see [`Error`].
    pub async fn payment_methods(
        &self,
        merchant_id: &str,
    ) -> Result<PaymentMethodsResponse, Error> {
        let (methods, _) = self
            .client
            .execute_json(self.prepare_payment_methods(merchant_id)?)
            .await?;
        Ok(methods)
    }
}
