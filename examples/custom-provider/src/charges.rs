//! The charges resource: wire structs, request description and response parsing.

use pagos_core::transport::Method;
use pagos_core::wire::lenient_decimal;
use pagos_core::{
    CreatePayment, Currency, Decimal, Money, Payment, PaymentInstructions, Response, Result,
    validate,
};
use serde::{Deserialize, Serialize};

use crate::PROVIDER;
use crate::client::AcmepayClient;
use crate::error::check;
use crate::status::ChargeStatus;

/// The body of `POST /v1/charges`. Amounts go on the wire as strings with exactly the
/// currency's decimals: this is the one place that decides it.
#[derive(Debug, Serialize)]
struct CreateChargeBody<'a> {
    amount: String,
    currency: &'a str,
    description: &'a str,
    reference: &'a str,
}

/// A charge as Acmepay returns it.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Charge {
    /// Acmepay's id.
    pub id: String,
    /// The charge's status.
    pub status: ChargeStatus,
    /// The amount, as a number or a numeric string.
    #[serde(with = "lenient_decimal")]
    pub amount: Decimal,
    /// The currency code.
    pub currency: String,
    /// The merchant's reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// Where to send the payer.
    #[serde(default)]
    pub checkout_url: Option<String>,
}

impl Charge {
    fn into_payment(self, raw: pagos_core::Raw) -> Payment {
        let mut payment = Payment::new(PROVIDER, self.id, self.status.to_payment_status());
        payment.amount = self
            .currency
            .parse::<Currency>()
            .ok()
            .and_then(|c| Money::new(self.amount, c).ok());
        payment.merchant_reference = self.reference;
        if let Some(url) = self.checkout_url {
            payment
                .instructions
                .push(PaymentInstructions::Redirect { url, app_url: None });
        }
        payment.raw = raw;
        payment
    }
}

fn decode(response: &Response) -> Result<Payment> {
    let (charge, raw): (Charge, _) = response.json_with_raw()?;
    Ok(charge.into_payment(raw))
}

impl AcmepayClient {
    /// Creates a charge.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] before sending when the request lacks a
    /// merchant reference or the currency is not MXN; otherwise the transport's and
    /// the provider's errors.
    pub async fn create_charge(&self, request: &CreatePayment) -> Result<Payment> {
        request.validate()?;
        let reference = request
            .merchant_reference
            .as_deref()
            .ok_or_else(|| pagos_core::ValidationError::new("merchant_reference", "is required"))?;
        validate::max_chars("subject", &request.subject, 120)?;
        if request.amount.currency() != Currency::Mxn {
            return Err(
                pagos_core::ValidationError::new("currency", "Acmepay accepts MXN only").into(),
            );
        }
        let body = CreateChargeBody {
            amount: request.amount.to_plain_string(),
            currency: request.amount.currency().code(),
            description: &request.subject,
            reference,
        };
        let req = self
            .request(Method::POST, &["v1", "charges"], "create_payment")?
            .json(&body)?;
        let response = check(self.send(req).await?)?;
        decode(&response).map_err(|e| match e {
            pagos_core::Error::OutcomeUnknown(mut u) => {
                u.hint = Some(format!(
                    "look the charge up by reference {reference:?} before retrying"
                ));
                pagos_core::Error::OutcomeUnknown(u)
            }
            other => other,
        })
    }

    /// Fetches a charge.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] for an id that is empty or would change the
    /// path (`..`, control characters); otherwise the transport's and the provider's
    /// errors.
    pub async fn get_charge(&self, id: &str) -> Result<Payment> {
        validate::path_id("charge_id", id)?;
        let req = self.request(Method::GET, &["v1", "charges", id], "get_payment")?;
        decode(&check(self.send(req).await?)?)
    }
}
