//! Unified payment types: what to collect ([`CreatePayment`]) and what came of it ([`Payment`]).

use std::collections::BTreeMap;
use std::fmt;

use time::OffsetDateTime;

use crate::error::{Result, ValidationError};
use crate::money::Money;
use crate::validate;

/// A payer's identity document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PayerDocument {
    /// The document type as the provider names it: `"DNI"`, `"RUT"`, `"CUIT"`, `"RFC"`...
    pub kind: String,
    /// The document number.
    pub number: String,
}

impl PayerDocument {
    /// Creates a document.
    pub fn new(kind: impl Into<String>, number: impl Into<String>) -> Self {
        PayerDocument {
            kind: kind.into(),
            number: number.into(),
        }
    }
}

/// Who pays. Every field is optional; providers require different subsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Payer {
    /// The payer's merchant-side id (ComproPago `customer.id`, KashIO `external_id`).
    pub id: Option<String>,
    /// Full name.
    pub name: Option<String>,
    /// E-mail address (checked on build).
    pub email: Option<String>,
    /// Phone number; E.164 is checked by providers that require it.
    pub phone: Option<String>,
    /// Identity document.
    pub document: Option<PayerDocument>,
}

/// A request to collect money, independent of the provider.
///
/// Built with [`CreatePayment::builder`], which checks the amount, the subject, the
/// URLs and the e-mail before anything is sent.
///
/// ```
/// use pagos_core::{CreatePayment, Currency, Money};
///
/// let req = CreatePayment::builder(Money::parse("1000", Currency::Clp)?, "Order 42")
///     .merchant_reference("order-42")
///     .payer_email("ana@example.cl")
///     .return_url("https://shop.example/ok")
///     .build()?;
/// assert_eq!(req.merchant_reference.as_deref(), Some("order-42"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreatePayment {
    /// How much, in which currency.
    pub amount: Money,
    /// A short subject shown to the payer.
    pub subject: String,
    /// A longer description.
    pub description: Option<String>,
    /// The merchant's own reference (order or invoice number); used to look a payment
    /// up when the outcome of a create is unknown.
    pub merchant_reference: Option<String>,
    /// Who pays.
    pub payer: Payer,
    /// Where to send the payer after paying.
    pub return_url: Option<String>,
    /// Where to send the payer if they give up.
    pub cancel_url: Option<String>,
    /// Where the provider notifies the merchant.
    pub notify_url: Option<String>,
    /// When the payment stops being payable.
    pub expires_at: Option<OffsetDateTime>,
    /// Free-form key/value data, sent where the provider supports it.
    pub metadata: BTreeMap<String, String>,
}

impl CreatePayment {
    /// Starts a builder with the two required fields.
    pub fn builder(amount: Money, subject: impl Into<String>) -> CreatePaymentBuilder {
        CreatePaymentBuilder {
            inner: CreatePayment {
                amount,
                subject: subject.into(),
                description: None,
                merchant_reference: None,
                payer: Payer::default(),
                return_url: None,
                cancel_url: None,
                notify_url: None,
                expires_at: None,
                metadata: BTreeMap::new(),
            },
        }
    }

    /// Runs the provider-independent checks; providers call it before sending.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.amount.ensure_positive()?;
        validate::non_empty("subject", &self.subject)?;
        if let Some(reference) = &self.merchant_reference {
            validate::non_empty("merchant_reference", reference)?;
        }
        if let Some(email) = &self.payer.email {
            validate::email("payer.email", email)?;
        }
        for (field, url) in [
            ("return_url", &self.return_url),
            ("cancel_url", &self.cancel_url),
            ("notify_url", &self.notify_url),
        ] {
            if let Some(url) = url {
                validate::http_url(field, url)?;
            }
        }
        Ok(())
    }
}

/// Builder for [`CreatePayment`].
#[derive(Debug, Clone)]
#[must_use]
pub struct CreatePaymentBuilder {
    inner: CreatePayment,
}

impl CreatePaymentBuilder {
    /// Sets the description.
    pub fn description(mut self, v: impl Into<String>) -> Self {
        self.inner.description = Some(v.into());
        self
    }
    /// Sets the merchant reference.
    pub fn merchant_reference(mut self, v: impl Into<String>) -> Self {
        self.inner.merchant_reference = Some(v.into());
        self
    }
    /// Sets the merchant-side payer id.
    pub fn payer_id(mut self, v: impl Into<String>) -> Self {
        self.inner.payer.id = Some(v.into());
        self
    }
    /// Sets the payer's name.
    pub fn payer_name(mut self, v: impl Into<String>) -> Self {
        self.inner.payer.name = Some(v.into());
        self
    }
    /// Sets the payer's e-mail.
    pub fn payer_email(mut self, v: impl Into<String>) -> Self {
        self.inner.payer.email = Some(v.into());
        self
    }
    /// Sets the payer's phone.
    pub fn payer_phone(mut self, v: impl Into<String>) -> Self {
        self.inner.payer.phone = Some(v.into());
        self
    }
    /// Sets the payer's identity document.
    pub fn payer_document(mut self, kind: impl Into<String>, number: impl Into<String>) -> Self {
        self.inner.payer.document = Some(PayerDocument::new(kind, number));
        self
    }
    /// Sets the return URL.
    pub fn return_url(mut self, v: impl Into<String>) -> Self {
        self.inner.return_url = Some(v.into());
        self
    }
    /// Sets the cancel URL.
    pub fn cancel_url(mut self, v: impl Into<String>) -> Self {
        self.inner.cancel_url = Some(v.into());
        self
    }
    /// Sets the notification URL.
    pub fn notify_url(mut self, v: impl Into<String>) -> Self {
        self.inner.notify_url = Some(v.into());
        self
    }
    /// Sets the expiry.
    pub fn expires_at(mut self, v: OffsetDateTime) -> Self {
        self.inner.expires_at = Some(v);
        self
    }
    /// Adds a metadata entry.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.inner.metadata.insert(key.into(), value.into());
        self
    }

    /// Checks the request and returns it.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] naming the first bad field.
    pub fn build(self) -> Result<CreatePayment> {
        self.inner.validate()?;
        Ok(self.inner)
    }
}

/// The normalized state of a payment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentStatus {
    /// Created; the payer has not paid.
    Pending,
    /// The payer paid and the provider is verifying (Khipu `verifying`).
    Processing,
    /// Paid and confirmed.
    Succeeded,
    /// Canceled or voided before payment.
    Canceled,
    /// Expired unpaid.
    Expired,
    /// Paid, then refunded in full.
    Refunded,
    /// Paid, then refunded in part.
    PartiallyRefunded,
    /// Rejected or failed.
    Failed,
    /// A status the SDK does not know, as the provider sent it.
    Unknown(String),
}

impl PaymentStatus {
    /// Whether the status can no longer change to paid.
    pub fn is_final(&self) -> bool {
        !matches!(
            self,
            PaymentStatus::Pending | PaymentStatus::Processing | PaymentStatus::Unknown(_)
        )
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaymentStatus::Pending => f.write_str("pending"),
            PaymentStatus::Processing => f.write_str("processing"),
            PaymentStatus::Succeeded => f.write_str("succeeded"),
            PaymentStatus::Canceled => f.write_str("canceled"),
            PaymentStatus::Expired => f.write_str("expired"),
            PaymentStatus::Refunded => f.write_str("refunded"),
            PaymentStatus::PartiallyRefunded => f.write_str("partially_refunded"),
            PaymentStatus::Failed => f.write_str("failed"),
            PaymentStatus::Unknown(s) => write!(f, "unknown({s})"),
        }
    }
}

/// One way the payer can complete a payment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentInstructions {
    /// Send the payer to a web page (and optionally a mobile app).
    Redirect {
        /// The page.
        url: String,
        /// A deep link into the provider's app, when there is one.
        app_url: Option<String>,
    },
    /// The payer makes a bank transfer.
    BankTransfer {
        /// CLABE (Mexico) or CBU/CVU (Argentina) to transfer to.
        account: String,
        /// The receiving bank's name, when known.
        bank: Option<String>,
        /// The reference the payer must quote, when there is one.
        reference: Option<String>,
        /// Step-by-step instructions from the provider.
        steps: Vec<String>,
    },
    /// The payer scans a QR code.
    Qr {
        /// The text encoded in the QR code.
        payload: String,
    },
    /// The payer quotes a code at a bank, agent or app.
    PaymentCode {
        /// The code.
        code: String,
    },
}

/// A payment as the provider last reported it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Payment {
    /// The provider's name.
    pub provider: &'static str,
    /// The provider's id for the payment.
    pub id: String,
    /// The merchant's reference, when the provider echoes it.
    pub merchant_reference: Option<String>,
    /// The amount, when the provider reports it.
    pub amount: Option<Money>,
    /// The normalized status.
    pub status: PaymentStatus,
    /// How the payer can pay.
    pub instructions: Vec<PaymentInstructions>,
    /// The provider's response, as received.
    pub raw: crate::Raw,
}

impl Payment {
    /// A payment with the required fields; the rest start empty.
    pub fn new(provider: &'static str, id: impl Into<String>, status: PaymentStatus) -> Self {
        Payment {
            provider,
            id: id.into(),
            merchant_reference: None,
            amount: None,
            status,
            instructions: Vec::new(),
            raw: crate::Raw::null(),
        }
    }
}

/// A request to refund a payment.
///
/// ```
/// use pagos_core::{Currency, Money, RefundRequest};
/// let full = RefundRequest::full("pay_123");
/// let partial = RefundRequest::partial("pay_123", Money::parse("500", Currency::Clp)?);
/// assert!(full.amount.is_none() && partial.amount.is_some());
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefundRequest {
    /// The provider's payment id.
    pub payment_id: String,
    /// How much to refund; `None` refunds everything.
    pub amount: Option<Money>,
}

impl RefundRequest {
    /// Refunds the whole payment.
    pub fn full(payment_id: impl Into<String>) -> Self {
        RefundRequest {
            payment_id: payment_id.into(),
            amount: None,
        }
    }

    /// Refunds part of the payment.
    pub fn partial(payment_id: impl Into<String>, amount: Money) -> Self {
        RefundRequest {
            payment_id: payment_id.into(),
            amount: Some(amount),
        }
    }
}

/// The provider's answer to a refund.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Refund {
    /// The provider's name.
    pub provider: &'static str,
    /// The refunded payment.
    pub payment_id: String,
    /// The amount refunded, when known (`None` with a full refund request).
    pub amount: Option<Money>,
    /// The provider's message.
    pub message: Option<String>,
    /// The provider's response, as received.
    pub raw: crate::Raw,
}

impl Refund {
    /// A refund with the required fields.
    pub fn new(provider: &'static str, payment_id: impl Into<String>) -> Self {
        Refund {
            provider,
            payment_id: payment_id.into(),
            amount: None,
            message: None,
            raw: crate::Raw::null(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Currency, Error};

    fn clp(s: &str) -> Money {
        Money::parse(s, Currency::Clp).unwrap()
    }

    #[test]
    fn builder_validates_fields() {
        let field = |r: Result<CreatePayment>| match r {
            Err(Error::Validation(v)) => v.field().to_string(),
            other => panic!("expected validation error, got {other:?}"),
        };
        assert_eq!(
            field(CreatePayment::builder(clp("0"), "x").build()),
            "amount"
        );
        assert_eq!(
            field(CreatePayment::builder(clp("10"), " ").build()),
            "subject"
        );
        assert_eq!(
            field(
                CreatePayment::builder(clp("10"), "x")
                    .payer_email("nope")
                    .build()
            ),
            "payer.email"
        );
        assert_eq!(
            field(
                CreatePayment::builder(clp("10"), "x")
                    .notify_url("ftp://x")
                    .build()
            ),
            "notify_url"
        );
        assert!(CreatePayment::builder(clp("10"), "x").build().is_ok());
    }
}
