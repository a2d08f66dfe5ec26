//! Unified payout types: sending money out, and reading the balance.

use std::fmt;

use crate::error::{Result, ValidationError};
use crate::money::Money;
use crate::validate;

/// Where a payout goes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BankAccount {
    /// A Mexican CLABE (18 digits).
    Clabe(String),
    /// An Argentine CBU or CVU (22 digits).
    Cbu(String),
    /// An Argentine alias (6 to 20 letters, digits, `.` or `-`).
    Alias(String),
}

impl BankAccount {
    /// Checks the account's format and check digits.
    ///
    /// # Errors
    /// A [`ValidationError`] on `beneficiary.account`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        const FIELD: &str = "beneficiary.account";
        match self {
            BankAccount::Clabe(v) => validate::clabe(FIELD, v),
            BankAccount::Cbu(v) => validate::cbu(FIELD, v),
            BankAccount::Alias(v) => {
                let ok = (6..=20).contains(&v.len())
                    && v.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
                if ok {
                    Ok(())
                } else {
                    Err(ValidationError::new(
                        FIELD,
                        "an alias has 6 to 20 letters, digits, '.' or '-'",
                    ))
                }
            }
        }
    }
}

/// Who receives a payout.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Beneficiary {
    /// The account to credit.
    pub account: BankAccount,
    /// Full name (required by SPEI).
    pub name: Option<String>,
    /// Tax id: CUIT in Argentina, RFC in Mexico.
    pub tax_id: Option<String>,
    /// E-mail for the receipt.
    pub email: Option<String>,
    /// Bank code, where the provider needs one (Mexican institution code).
    pub bank_code: Option<String>,
}

impl Beneficiary {
    /// A beneficiary with only an account.
    pub fn new(account: BankAccount) -> Self {
        Beneficiary {
            account,
            name: None,
            tax_id: None,
            email: None,
            bank_code: None,
        }
    }
}

/// A request to send money.
///
/// `reference` is the merchant's unique id for this transfer. Providers that support
/// it (TelePagos `reference_id`) use it as an idempotency key, which is what makes a
/// retried payout safe.
///
/// ```
/// use pagos_core::{BankAccount, Currency, Money, PayoutRequest};
///
/// let req = PayoutRequest::builder(
///     Money::parse("10.50", Currency::Ars)?,
///     BankAccount::Cbu("2850590940090418135201".into()),
///     "payout-0001",
/// )
/// .beneficiary_tax_id("20-26756539-3")
/// .concept("VAR")
/// .build()?;
/// assert_eq!(req.reference, "payout-0001");
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// How much.
    pub amount: Money,
    /// Who receives it.
    pub beneficiary: Beneficiary,
    /// The merchant's unique reference for this transfer.
    pub reference: String,
    /// A short concept code or text (TelePagos concept, SPEI concept).
    pub concept: Option<String>,
    /// A longer description.
    pub description: Option<String>,
}

impl PayoutRequest {
    /// Starts a builder with the required fields.
    pub fn builder(
        amount: Money,
        account: BankAccount,
        reference: impl Into<String>,
    ) -> PayoutRequestBuilder {
        PayoutRequestBuilder {
            inner: PayoutRequest {
                amount,
                beneficiary: Beneficiary::new(account),
                reference: reference.into(),
                concept: None,
                description: None,
            },
        }
    }

    /// Runs the provider-independent checks; providers call it before sending.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.amount.ensure_positive()?;
        validate::non_empty("reference", &self.reference)?;
        self.beneficiary.account.validate()?;
        if let Some(email) = &self.beneficiary.email {
            validate::email("beneficiary.email", email)?;
        }
        Ok(())
    }
}

/// Builder for [`PayoutRequest`].
#[derive(Debug, Clone)]
#[must_use]
pub struct PayoutRequestBuilder {
    inner: PayoutRequest,
}

impl PayoutRequestBuilder {
    /// Sets the beneficiary's name.
    pub fn beneficiary_name(mut self, v: impl Into<String>) -> Self {
        self.inner.beneficiary.name = Some(v.into());
        self
    }
    /// Sets the beneficiary's tax id (CUIT, RFC).
    pub fn beneficiary_tax_id(mut self, v: impl Into<String>) -> Self {
        self.inner.beneficiary.tax_id = Some(v.into());
        self
    }
    /// Sets the beneficiary's e-mail.
    pub fn beneficiary_email(mut self, v: impl Into<String>) -> Self {
        self.inner.beneficiary.email = Some(v.into());
        self
    }
    /// Sets the beneficiary's bank code.
    pub fn beneficiary_bank_code(mut self, v: impl Into<String>) -> Self {
        self.inner.beneficiary.bank_code = Some(v.into());
        self
    }
    /// Sets the concept.
    pub fn concept(mut self, v: impl Into<String>) -> Self {
        self.inner.concept = Some(v.into());
        self
    }
    /// Sets the description.
    pub fn description(mut self, v: impl Into<String>) -> Self {
        self.inner.description = Some(v.into());
        self
    }

    /// Checks the request and returns it.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] naming the first bad field.
    pub fn build(self) -> Result<PayoutRequest> {
        self.inner.validate()?;
        Ok(self.inner)
    }
}

/// The normalized state of a payout.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PayoutStatus {
    /// Accepted, not yet sent.
    Pending,
    /// Being sent.
    Processing,
    /// Applied: the beneficiary was credited.
    Succeeded,
    /// Rejected or returned.
    Failed,
    /// A status the SDK does not know, as the provider sent it.
    Unknown(String),
}

impl fmt::Display for PayoutStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayoutStatus::Pending => f.write_str("pending"),
            PayoutStatus::Processing => f.write_str("processing"),
            PayoutStatus::Succeeded => f.write_str("succeeded"),
            PayoutStatus::Failed => f.write_str("failed"),
            PayoutStatus::Unknown(s) => write!(f, "unknown({s})"),
        }
    }
}

/// A payout as the provider reported it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Payout {
    /// The provider's name.
    pub provider: &'static str,
    /// The provider's id for the payout.
    pub id: String,
    /// The merchant's reference, when known.
    pub reference: Option<String>,
    /// The amount, when the provider reports it.
    pub amount: Option<Money>,
    /// The normalized status.
    pub status: PayoutStatus,
    /// A receipt document (e.g. a PDF voucher), when the provider returns one.
    pub receipt: Option<Vec<u8>>,
    /// The provider's response, as received.
    pub raw: crate::Raw,
}

impl Payout {
    /// A payout with the required fields; the rest start empty.
    pub fn new(provider: &'static str, id: impl Into<String>, status: PayoutStatus) -> Self {
        Payout {
            provider,
            id: id.into(),
            reference: None,
            amount: None,
            status,
            receipt: None,
            raw: crate::Raw::null(),
        }
    }
}

/// An account balance.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Balance {
    /// The provider's name.
    pub provider: &'static str,
    /// The available amount.
    pub available: Money,
    /// The provider's response, as received.
    pub raw: crate::Raw,
}

impl Balance {
    /// Creates a balance.
    pub fn new(provider: &'static str, available: Money, raw: crate::Raw) -> Self {
        Balance {
            provider,
            available,
            raw,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Currency, Error};

    #[test]
    fn payout_validation() {
        let ars = |s| Money::parse(s, Currency::Ars).unwrap();
        let good = BankAccount::Cbu("2850590940090418135201".into());
        assert!(
            PayoutRequest::builder(ars("1"), good.clone(), "r")
                .build()
                .is_ok()
        );
        let bad = PayoutRequest::builder(
            ars("1"),
            BankAccount::Cbu("2850590940090418135202".into()),
            "r",
        )
        .build();
        assert!(matches!(bad, Err(Error::Validation(v)) if v.field() == "beneficiary.account"));
        let bad = PayoutRequest::builder(ars("0"), good.clone(), "r").build();
        assert!(matches!(bad, Err(Error::Validation(v)) if v.field() == "amount"));
        let bad = PayoutRequest::builder(ars("1"), good, "").build();
        assert!(matches!(bad, Err(Error::Validation(v)) if v.field() == "reference"));
        assert!(BankAccount::Alias("mi.alias.mp".into()).validate().is_ok());
        assert!(BankAccount::Alias("a b".into()).validate().is_err());
    }
}
