//! Reusable CLABE accounts: [`CreateClabe`] (`POST /v2/createClabe`), run through
//! [`Clabes`] (`client.clabes()`).

use std::fmt;

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{
    BaseUrl, Decimal, Money, PaymentInstructions, Raw, Request, Response, Result, ValidationError,
    validate,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

use crate::client::CompropagoClient;
use crate::envelope::{self, Shape, WithRaw};
use crate::instructions::{self, Instruction};
use crate::orders::CustomerInfo;
use crate::status::AccountStatus;
use crate::{checks, wire};

/// Which payments a CLABE accepts.
///
/// On the wire this is the field **`frecuency`** — ComproPago's own misspelling of
/// "frequency". The request must use that spelling, so the SDK keeps it on the wire
/// and spells the Rust name correctly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Frequency {
    /// `unlimited`: every transfer to the CLABE is accepted (the only documented value).
    Unlimited,
    /// Another value, sent as given (escape hatch for values the API reference does not
    /// list).
    Other(String),
}

impl Frequency {
    /// The wire text.
    pub fn as_str(&self) -> &str {
        match self {
            Frequency::Unlimited => "unlimited",
            Frequency::Other(s) => s,
        }
    }

    /// Reads the wire text (ASCII case ignored).
    pub fn from_wire(s: &str) -> Frequency {
        if s.trim().eq_ignore_ascii_case("unlimited") {
            Frequency::Unlimited
        } else {
            Frequency::Other(s.to_string())
        }
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Frequency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Frequency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Frequency::from_wire(&s))
    }
}

/// The customer a CLABE belongs to (`customer`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClabeCustomer {
    /// The merchant's id for the customer (`customer.id`).
    pub id: String,
    /// E-mail, where ComproPago sends the new CLABE (`customer.email`).
    pub email: String,
    /// Phone for the SMS instructions (`customer.phone`): 10 digits in any common form,
    /// sent as the 10-digit national number, or plain digits sent as written (see
    /// the `phone` field of [`Customer`](crate::Customer)).
    pub phone: Option<String>,
}

impl ClabeCustomer {
    /// A customer with the required fields.
    pub fn new(id: impl Into<String>, email: impl Into<String>) -> Self {
        ClabeCustomer {
            id: id.into(),
            email: email.into(),
            phone: None,
        }
    }

    /// Sets the phone number (`5512345678`, `+52 55 1234 5678`, `"6666"`...); see the
    /// `phone` field for what is sent and what is refused.
    #[must_use]
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }
}

/// `POST /v2/createClabe`: creates a CLABE tied to a customer id (ComproPago API v2
/// reference, "createClabe"). The endpoint value is the request; run it with
/// [`Clabes::create`]. Sent once ([`Idempotency::NonIdempotent`]).
///
/// ```
/// use pagos_compropago::{ClabeCustomer, CreateClabe, Frequency};
///
/// let req = CreateClabe::new(ClabeCustomer::new("1", "customer@email.com"), Frequency::Unlimited);
/// assert!(req.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateClabe {
    /// The account holder.
    pub customer: ClabeCustomer,
    /// Which payments are accepted (`payment.frecuency`).
    pub frequency: Frequency,
    /// When the CLABE stops accepting payments (`payment.exp_date`, epoch seconds).
    /// Whether it is in the future is the caller's business.
    pub expires_at: Option<OffsetDateTime>,
    /// Accept only payments of this amount (`payment.amount`); MXN.
    pub amount: Option<Money>,
}

impl CreateClabe {
    /// A CLABE request for `customer`.
    pub fn new(customer: ClabeCustomer, frequency: Frequency) -> Self {
        CreateClabe {
            customer,
            frequency,
            expires_at: None,
            amount: None,
        }
    }

    /// Sets the expiry.
    #[must_use]
    pub fn expires_at(mut self, at: OffsetDateTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// Restricts the CLABE to payments of one amount.
    #[must_use]
    pub fn amount(mut self, amount: Money) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Checks the request; the endpoint's `request` calls it, so nothing invalid is sent.
    ///
    /// # Errors
    /// A [`ValidationError`] naming `customer.id`, `customer.email`, `customer.phone`,
    /// `frequency` (blank [`Frequency::Other`]) or `amount` (MXN, positive, at most 2
    /// decimals).
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::non_empty("customer.id", &self.customer.id)?;
        validate::email("customer.email", &self.customer.email)?;
        if let Some(phone) = &self.customer.phone {
            checks::phone_mx("customer.phone", phone)?;
        }
        validate::non_empty("frequency", self.frequency.as_str())?;
        if let Some(amount) = &self.amount {
            checks::mxn_amount("amount", amount)?;
        }
        Ok(())
    }
}

/// The wire body, shaped like the `createClabe` example of the ComproPago API v2
/// reference (`exp_date` and `amount` are sent as `null` when not set, as there).
#[derive(Serialize)]
struct ClabeBody<'a> {
    customer: ClabeCustomerBody<'a>,
    payment: ClabePaymentBody<'a>,
}

#[derive(Serialize)]
struct ClabeCustomerBody<'a> {
    id: &'a str,
    email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<std::borrow::Cow<'a, str>>,
}

#[derive(Serialize)]
struct ClabePaymentBody<'a> {
    /// Misspelled on purpose: ComproPago's field is `frecuency`.
    frecuency: &'a Frequency,
    #[serde(serialize_with = "wire::epoch::serialize_option_seconds")]
    exp_date: Option<OffsetDateTime>,
    #[serde(serialize_with = "wire::amount::serialize_option")]
    amount: Option<Money>,
}

impl<'a> From<&'a CreateClabe> for ClabeBody<'a> {
    fn from(r: &'a CreateClabe) -> Self {
        ClabeBody {
            customer: ClabeCustomerBody {
                id: &r.customer.id,
                email: &r.customer.email,
                phone: r.customer.phone.as_deref().map(checks::phone_wire),
            },
            payment: ClabePaymentBody {
                frecuency: &r.frequency,
                exp_date: r.expires_at,
                amount: r.amount,
            },
        }
    }
}

/// A CLABE created by [`CreateClabe`].
///
/// Decode it from bytes or text, not from a `serde_json::Value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ClabeAccount {
    /// The account holder.
    #[serde(default)]
    pub customer: CustomerInfo,
    /// The CLABE and its settings.
    #[serde(default)]
    pub payment: ClabeDetails,
    /// The account's status.
    #[serde(default)]
    pub status: Option<AccountStatus>,
    /// Whether it was created with test keys.
    #[serde(default)]
    pub test_mode: Option<bool>,
    /// Creation time.
    #[serde(
        default,
        deserialize_with = "wire::epoch::deserialize_option",
        serialize_with = "wire::epoch::serialize_option_rfc3339"
    )]
    pub created_at: Option<OffsetDateTime>,
    /// Last update.
    #[serde(
        default,
        deserialize_with = "wire::epoch::deserialize_option",
        serialize_with = "wire::epoch::serialize_option_rfc3339"
    )]
    pub updated_at: Option<OffsetDateTime>,
    /// Expiry; `None` when it does not expire (`expiresAt: null`).
    #[serde(
        default,
        deserialize_with = "wire::epoch::deserialize_option",
        serialize_with = "wire::epoch::serialize_option_rfc3339"
    )]
    pub expires_at: Option<OffsetDateTime>,
    /// The CLABE account's JSON exactly as received: the envelope's `data`, byte for
    /// byte.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl WithRaw for ClabeAccount {
    fn set_raw(&mut self, raw: Raw) {
        self.raw = raw;
    }
}

impl ClabeAccount {
    /// The unified bank-transfer instructions; `None` without a CLABE.
    pub fn payment_instructions(&self) -> Option<PaymentInstructions> {
        self.payment.payment_instructions()
    }
}

/// The `payment` object of a CLABE account (`createClabe`, `createAccount`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClabeDetails {
    /// The CLABE, as sent (not validated).
    #[serde(default)]
    pub clabe: Option<String>,
    /// Which payments are accepted (wire `frecuency`).
    #[serde(default, rename = "frecuency")]
    pub frequency: Option<Frequency>,
    /// The one amount accepted, when restricted.
    #[serde(default, deserialize_with = "wire::amount::deserialize_option")]
    pub amount: Option<Decimal>,
    /// The steps the payer follows.
    #[serde(default)]
    pub instructions: Vec<Instruction>,
}

impl ClabeDetails {
    /// The unified bank-transfer instructions; `None` without a CLABE.
    pub fn payment_instructions(&self) -> Option<PaymentInstructions> {
        instructions::bank_transfer(self.clabe.as_deref(), &self.instructions)
    }
}

impl Endpoint for CreateClabe {
    type Output = ClabeAccount;
    const OPERATION: &'static str = "create_clabe";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// `POST {base}/v2/createClabe` with the JSON body of the API v2 reference.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] (see [`CreateClabe::validate`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        self.validate()?;
        Ok(Request::new(
            Method::POST,
            base.join(&["v2", "createClabe"])?,
            Self::OPERATION,
        )
        .header("accept", "application/json")?
        .json(&ClabeBody::from(self))?)
    }

    /// The CLABE account in the envelope's `data`.
    ///
    /// # Errors
    /// [`pagos_core::Error::OutcomeUnknown`] when the answer cannot be read.
    fn parse(&self, response: &Response) -> Result<ClabeAccount> {
        envelope::one(response, Shape::Wrapped)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(
            "check the ComproPago panel for a CLABE of this customer.id before creating it again"
                .to_string(),
        )
    }
}

/// ComproPago's reusable CLABEs: `client.clabes()`.
#[derive(Debug, Clone, Copy)]
pub struct Clabes<'a> {
    client: &'a CompropagoClient,
}

impl<'a> Clabes<'a> {
    pub(crate) fn new(client: &'a CompropagoClient) -> Self {
        Clabes { client }
    }

    /// Creates a CLABE tied to a customer id ([`CreateClabe`], `POST /v2/createClabe`).
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] before sending (see [`CreateClabe::validate`]);
    /// otherwise see [`CompropagoClient::run`].
    pub async fn create(&self, request: &CreateClabe) -> Result<ClabeAccount> {
        self.client.run(request).await
    }
}

#[cfg(test)]
mod tests {
    use pagos_core::Currency;

    use super::*;

    #[test]
    fn body_keeps_the_misspelled_field_and_nulls() {
        let r = CreateClabe::new(
            ClabeCustomer::new("1", "customer@email.com").phone("5555555555"),
            Frequency::Unlimited,
        );
        assert_eq!(
            serde_json::to_string(&ClabeBody::from(&r)).unwrap(),
            r#"{"customer":{"id":"1","email":"customer@email.com","phone":"5555555555"},"payment":{"frecuency":"unlimited","exp_date":null,"amount":null}}"#
        );
        let r = r
            .amount(Money::parse("99.5", Currency::Mxn).unwrap())
            .expires_at(OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap());
        assert!(
            serde_json::to_string(&ClabeBody::from(&r))
                .unwrap()
                .ends_with(
                    r#""payment":{"frecuency":"unlimited","exp_date":1700000000,"amount":99.50}}"#
                )
        );
    }

    #[test]
    fn validation() {
        let ok = CreateClabe::new(ClabeCustomer::new("1", "a@b.mx"), Frequency::Unlimited);
        assert!(ok.validate().is_ok());
        let field = |r: CreateClabe| r.validate().unwrap_err().field().to_string();
        assert_eq!(
            field(CreateClabe::new(
                ClabeCustomer::new("1", "a@b.mx"),
                Frequency::Other(" ".into())
            )),
            "frequency"
        );
        assert_eq!(
            field(ok.clone().amount(Money::parse("0", Currency::Mxn).unwrap())),
            "amount"
        );
        assert_eq!(
            field(ok.clone().amount(Money::parse("5", Currency::Pen).unwrap())),
            "amount"
        );
        let mut r = ok.clone();
        r.customer.phone = Some("+52 555".into());
        assert_eq!(field(r), "customer.phone");
        let mut r = ok;
        r.customer.email = "x".into();
        assert_eq!(field(r), "customer.email");
        assert_eq!(Frequency::from_wire("UNLIMITED"), Frequency::Unlimited);
        assert_eq!(
            Frequency::from_wire("weekly"),
            Frequency::Other("weekly".into())
        );
    }
}
