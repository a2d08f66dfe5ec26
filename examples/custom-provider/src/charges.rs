//! The charges resource: its endpoints as values ([`CreateCharge`], [`GetCharge`]),
//! the answer ([`Charge`]) and the handle that runs them ([`Charges`]).

use pagos_core::transport::{Idempotency, Method, Request};
use pagos_core::wire::lenient_decimal;
use pagos_core::{
    BaseUrl, CreatePayment, Currency, Decimal, Endpoint, Money, Payment, PaymentInstructions, Raw,
    Response, Result, ValidationError, validate,
};
use serde::{Deserialize, Serialize};

use crate::PROVIDER;
use crate::client::AcmepayClient;
use crate::status::ChargeStatus;

/// The longest description Acmepay accepts, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 120;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// The answer exactly as Acmepay sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl Charge {
    /// The charge as a unified [`Payment`], with the same raw answer.
    pub fn to_payment(&self) -> Payment {
        let mut payment = Payment::new(PROVIDER, self.id.clone(), self.status.to_payment_status());
        payment.amount = self
            .currency
            .parse::<Currency>()
            .ok()
            .and_then(|c| Money::new(self.amount, c).ok());
        payment.merchant_reference = self.reference.clone();
        if let Some(url) = &self.checkout_url {
            payment.instructions.push(PaymentInstructions::Redirect {
                url: url.clone(),
                app_url: None,
            });
        }
        payment.raw = self.raw.clone();
        payment
    }
}

/// A 2xx answer holding one charge, decoded once and kept as received.
fn charge(response: &Response) -> Result<Charge> {
    let (mut charge, raw): (Charge, Raw) = response.json_with_raw()?;
    charge.raw = raw;
    Ok(charge)
}

/// A request to `segments` under `base` that asks for JSON; the executor adds the API
/// key.
fn json_request(
    method: Method,
    base: &BaseUrl,
    segments: &[&str],
    operation: &'static str,
) -> Result<Request> {
    let url = base.join(segments)?;
    Ok(Request::new(method, url, operation).header("accept", "application/json")?)
}

/// `POST /v1/charges`: a charge for a unified payment request. Acmepay has no
/// idempotency key, so it is sent once whatever comes back; an unknown outcome says
/// how to look the charge up.
///
/// The request must have a merchant reference, a subject of at most
/// [`MAX_DESCRIPTION_CHARS`] characters and an amount in MXN; otherwise
/// [`Endpoint::request`] refuses it and nothing is sent.
#[derive(Debug, Clone, Copy)]
pub struct CreateCharge<'a> {
    request: &'a CreatePayment,
}

impl<'a> CreateCharge<'a> {
    /// The endpoint for `request`.
    pub fn new(request: &'a CreatePayment) -> Self {
        CreateCharge { request }
    }
}

impl Endpoint for CreateCharge<'_> {
    type Output = Charge;
    const OPERATION: &'static str = "create_charge";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let request = self.request;
        request.validate()?;
        let reference = request
            .merchant_reference
            .as_deref()
            .ok_or_else(|| ValidationError::new("merchant_reference", "is required"))?;
        validate::max_chars("subject", &request.subject, MAX_DESCRIPTION_CHARS)?;
        if request.amount.currency() != Currency::Mxn {
            return Err(ValidationError::new("currency", "Acmepay accepts MXN only").into());
        }
        let body = CreateChargeBody {
            amount: request.amount.to_plain_string(),
            currency: request.amount.currency().code(),
            description: &request.subject,
            reference,
        };
        let request = json_request(Method::POST, base, &["v1", "charges"], Self::OPERATION)?;
        Ok(request.json(&body)?)
    }

    fn parse(&self, response: &Response) -> Result<Charge> {
        charge(response)
    }

    fn outcome_hint(&self) -> Option<String> {
        let reference = self.request.merchant_reference.as_deref()?;
        Some(format!(
            "look the charge up by reference {reference:?} before retrying"
        ))
    }
}

/// `GET /v1/charges/{id}`: one charge. A read, retried like one.
#[derive(Debug, Clone, Copy)]
pub struct GetCharge<'a> {
    id: &'a str,
}

impl<'a> GetCharge<'a> {
    /// The endpoint for the charge `id`; an id that is empty or would change the path
    /// (`..`, control characters) is refused as `charge_id` before sending.
    pub fn new(id: &'a str) -> Self {
        GetCharge { id }
    }
}

impl Endpoint for GetCharge<'_> {
    type Output = Charge;
    const OPERATION: &'static str = "get_charge";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        validate::path_id("charge_id", self.id)?;
        json_request(
            Method::GET,
            base,
            &["v1", "charges", self.id],
            Self::OPERATION,
        )
    }

    fn parse(&self, response: &Response) -> Result<Charge> {
        charge(response)
    }
}

/// The charges of a [`AcmepayClient`]: `client.charges()`.
#[derive(Debug, Clone, Copy)]
pub struct Charges<'a> {
    client: &'a AcmepayClient,
}

impl<'a> Charges<'a> {
    pub(crate) fn new(client: &'a AcmepayClient) -> Self {
        Charges { client }
    }

    /// Creates a charge ([`CreateCharge`]).
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] before sending (see [`CreateCharge`]);
    /// otherwise the transport's and Acmepay's errors.
    pub async fn create(&self, request: &CreatePayment) -> Result<Charge> {
        self.client.run(&CreateCharge::new(request)).await
    }

    /// Fetches a charge ([`GetCharge`]).
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `charge_id` before sending; otherwise the
    /// transport's and Acmepay's errors.
    pub async fn get(&self, id: &str) -> Result<Charge> {
        self.client.run(&GetCharge::new(id)).await
    }
}
