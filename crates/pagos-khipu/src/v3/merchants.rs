//! `GET /v3/merchants/{id}/paymentMethods`: the payment methods of a collection
//! account (`{"paymentMethods":[{"id":"SIMPLIFIED_TRANSFER",…}]}`).

use std::fmt;

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{BaseUrl, Raw, Request, Response, Result, ValidationError, validate};

use super::{KhipuV3Client, bare_request, parse_json};
use crate::merchants::PaymentMethodsResponse;

/// `GET /v3/merchants/{merchant_id}/paymentMethods`; the id is the receiver id, a
/// number.
#[derive(Debug, Clone, Copy)]
pub struct ListPaymentMethods<'a> {
    merchant_id: &'a str,
}

impl<'a> ListPaymentMethods<'a> {
    /// The payment methods of `merchant_id`.
    pub fn new(merchant_id: &'a str) -> Self {
        ListPaymentMethods { merchant_id }
    }
}

impl Endpoint for ListPaymentMethods<'_> {
    type Output = PaymentMethodsResponse;
    const OPERATION: &'static str = "list_payment_methods";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        validate::path_id("merchant_id", self.merchant_id)?;
        if !self.merchant_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(
                ValidationError::new("merchant_id", "a Khipu merchant id is a number").into(),
            );
        }
        let url = base.join(&["v3", "merchants", self.merchant_id, "paymentMethods"])?;
        bare_request(Method::GET, url, Self::OPERATION)
    }

    fn parse(&self, response: &Response) -> Result<PaymentMethodsResponse> {
        let (mut m, raw): (PaymentMethodsResponse, Raw) = parse_json(response)?;
        m.raw = raw;
        Ok(m)
    }
}

/// The merchants resource. Get one with [`KhipuV3Client::merchants`].
#[derive(Clone, Copy)]
pub struct Merchants<'a> {
    client: &'a KhipuV3Client,
}

impl fmt::Debug for Merchants<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Merchants")
    }
}

impl<'a> Merchants<'a> {
    pub(crate) fn new(client: &'a KhipuV3Client) -> Self {
        Merchants { client }
    }

    /// [`ListPaymentMethods`] of `merchant_id`.
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn payment_methods(&self, merchant_id: &str) -> Result<PaymentMethodsResponse> {
        self.client.run(&ListPaymentMethods::new(merchant_id)).await
    }

    /// [`ListPaymentMethods`] of the client's own receiver id.
    ///
    /// # Errors
    /// [`pagos_core::Error::Config`] when the client has no receiver id; else as
    /// [`KhipuV3Client::run`].
    pub async fn own_payment_methods(&self) -> Result<PaymentMethodsResponse> {
        let id = self.client.receiver_id().ok_or_else(|| {
            pagos_core::ConfigError::new(
                "receiver_id",
                "not set: needed for the merchant's own payment methods",
            )
        })?;
        self.client.run(&ListPaymentMethods::new(id)).await
    }
}
