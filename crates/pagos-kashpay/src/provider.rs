//! [`PaymentProvider`] for [`KashpayClient`]: payouts as SPEI transfers.
//!
//! Only [`create_payout`](PaymentProvider::create_payout) is offered: `createOrder` with
//! `typeTransaction` 1 (SPEI out). Kashpay has no documented endpoint to read an order
//! back, so `get_payout` keeps the trait's `Unsupported` answer.
//!
//! How a [`PayoutRequest`] becomes an order:
//!
//! | PayoutRequest | createOrder |
//! |---|---|
//! | `amount` (MXN only) | `amount`, `currency` 484 |
//! | `beneficiary.account` (a CLABE only) | `beneficiaryAcount`, `beneficiaryTypeAcount` `40` |
//! | `beneficiary.name` (required) | `beneficiaryName` |
//! | `beneficiary.email` | `email` |
//! | `beneficiary.bank_code`, else the CLABE's first 3 digits | `codeInstituteBank` |
//! | `reference` (letters and digits only) | `alphanumericReference` |
//! | `reference` → [`numeric_reference_for`] | `numericReference` |
//! | `concept`, else `description`, else `reference` (at most 40 characters) | `concept` |
//! | `description` | `description` |
//! | the client's `entity_id` / `bank_id` | `idEntity` / `idBank` |
//! | today in Mexico City | `dateTransaction` |

use pagos_core::{
    BankAccount, Capabilities, Currency, Error, Operation, PaymentProvider, Payout, PayoutRequest,
    Result, ValidationError, async_trait,
};

use crate::PROVIDER;
use crate::client::KashpayClient;
use crate::orders::{AccountType, OrderRequest, TransactionType};

/// The `numericReference` sent for a payout `reference`.
///
/// SPEI's numeric reference has at most 7 digits. A reference of 1 to 7 digits is used
/// as is; any other reference is mapped to a stable number from 1 to 9 999 999 (64-bit
/// FNV-1a of its bytes), so retrying the same payout always sends the same number.
///
/// ```
/// use pagos_kashpay::numeric_reference_for;
/// assert_eq!(numeric_reference_for("4322312"), 4322312);
/// assert_eq!(numeric_reference_for("PAYOUT0001"), numeric_reference_for("PAYOUT0001"));
/// assert!((1..=9_999_999).contains(&numeric_reference_for("PAYOUT0001")));
/// ```
pub fn numeric_reference_for(reference: &str) -> u64 {
    if (1..=7).contains(&reference.len()) && reference.bytes().all(|b| b.is_ascii_digit()) {
        // 1 to 7 digits always parse.
        return reference.parse().unwrap_or(0);
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in reference.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash % 9_999_999 + 1
}

/// The order [`PaymentProvider::create_payout`] sends for a payout (see the
/// [module table](crate::provider)): a SPEI transfer (`typeTransaction` 1) to the
/// CLABE, dated today in Mexico City.
///
/// ```
/// use pagos_core::{BankAccount, Currency, Money, PayoutRequest};
/// use pagos_kashpay::{OrderRequest, TransactionType};
///
/// let payout = PayoutRequest::builder(
///     Money::parse("250.00", Currency::Mxn)?,
///     BankAccount::Clabe("032180000118359719".into()),
///     "PAYOUT0001",
/// )
/// .beneficiary_name("Florentino Eter")
/// .build()?;
/// let order = OrderRequest::try_from(&payout)?;
/// assert_eq!(order.type_transaction, TransactionType::SpeiOut);
/// assert_eq!(order.concept, "PAYOUT0001");
/// # Ok::<(), pagos_core::Error>(())
/// ```
impl TryFrom<&PayoutRequest> for OrderRequest {
    type Error = Error;

    /// # Errors
    /// [`Error::Validation`] naming the [`PayoutRequest`] field: not a CLABE, not MXN,
    /// no beneficiary name, a reference with other than letters and digits, a concept
    /// longer than SPEI's 40 characters...
    fn try_from(request: &PayoutRequest) -> Result<OrderRequest> {
        order_for_payout(request)
    }
}

/// Builds the `createOrder` for a payout. Field names in errors are the
/// [`PayoutRequest`]'s.
fn order_for_payout(request: &PayoutRequest) -> Result<OrderRequest> {
    request.validate()?;
    let BankAccount::Clabe(clabe) = &request.beneficiary.account else {
        return Err(ValidationError::new(
            "beneficiary.account",
            "Kashpay SPEI transfers go to a CLABE",
        )
        .into());
    };
    if request.amount.currency() != Currency::Mxn {
        return Err(ValidationError::new(
            "amount",
            format!(
                "Kashpay transfers are in MXN, got {}",
                request.amount.currency()
            ),
        )
        .into());
    }
    let name = request.beneficiary.name.as_deref().unwrap_or_default();
    let concept = request
        .concept
        .as_deref()
        .or(request.description.as_deref())
        .unwrap_or(&request.reference);
    let mut builder = OrderRequest::builder(TransactionType::SpeiOut, request.amount)
        .beneficiary(AccountType::Clabe, clabe.clone(), name)
        .concept(concept)
        .numeric_reference(numeric_reference_for(&request.reference))
        .alphanumeric_reference(request.reference.clone());
    if let Some(email) = &request.beneficiary.email {
        builder = builder.email(email.clone());
    }
    if let Some(code) = &request.beneficiary.bank_code {
        builder = builder.code_institute_bank(code.clone());
    }
    if let Some(description) = &request.description {
        builder = builder.description(description.clone());
    }
    builder.build().map_err(|e| match e {
        Error::Validation(v) => {
            let field = match v.field() {
                "beneficiary_account" => "beneficiary.account",
                "beneficiary_name" => "beneficiary.name",
                "email" => "beneficiary.email",
                "code_institute_bank" => "beneficiary.bank_code",
                "alphanumeric_reference" => "reference",
                "concept" if request.concept.is_some() => "concept",
                // Without a concept, the description (else the reference) is sent as
                // the concept: name the field the caller set.
                "concept" if request.description.is_some() => "description",
                "concept" => "reference",
                "description" => "description",
                _ => return Error::Validation(v),
            };
            Error::Validation(v.for_field(field))
        }
        other => other,
    })
}

#[async_trait]
impl PaymentProvider for KashpayClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::of(&[Operation::CreatePayout])
    }

    /// Sends a SPEI transfer (`createOrder`, `typeTransaction` 1); see the
    /// [module docs](crate::provider) for the field mapping.
    ///
    /// # Errors
    /// As [`Orders::create`](crate::orders::Orders::create); validation errors name the
    /// [`PayoutRequest`] field.
    async fn create_payout(&self, request: &PayoutRequest) -> Result<Payout> {
        let order = OrderRequest::try_from(request)?;
        let created = self.orders().create(&order).await?;
        let mut payout = Payout::new(PROVIDER, created.id, created.status.payout_status());
        payout.reference = Some(request.reference.clone());
        payout.amount = Some(request.amount);
        payout.raw = created.raw;
        Ok(payout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::Money;

    fn request() -> pagos_core::PayoutRequestBuilder {
        PayoutRequest::builder(
            Money::parse("250", Currency::Mxn).unwrap(),
            BankAccount::Clabe("032180000118359719".into()),
            "PAYOUT0001",
        )
        .beneficiary_name("Florentino Eter")
    }

    #[test]
    fn maps_a_payout() {
        let req = request()
            .beneficiary_email("ana@example.mx")
            .description("Pago de factura 12")
            .build()
            .unwrap();
        let order = order_for_payout(&req).unwrap();
        assert_eq!(order.type_transaction, TransactionType::SpeiOut);
        assert_eq!(order.alphanumeric_reference, "PAYOUT0001");
        assert_eq!(order.numeric_reference, numeric_reference_for("PAYOUT0001"));
        assert_eq!(order.concept, "Pago de factura 12");
        assert_eq!(order.code_institute_bank(), Some("032"));
        assert_eq!(order.email.as_deref(), Some("ana@example.mx"));
    }

    #[test]
    fn numeric_reference_is_stable() {
        // Pinned: changing the derivation would change what retries send.
        assert_eq!(numeric_reference_for("PAYOUT0001"), 5_260_208);
        assert_eq!(numeric_reference_for("12"), 12);
        assert_ne!(numeric_reference_for("12345678"), 12_345_678);
    }

    #[test]
    fn payout_validation_uses_payout_field_names() {
        let field = |r: PayoutRequest| match order_for_payout(&r) {
            Err(Error::Validation(v)) => v.field().to_string(),
            other => panic!("expected a validation error, got {other:?}"),
        };
        let no_name = PayoutRequest::builder(
            Money::parse("1", Currency::Mxn).unwrap(),
            BankAccount::Clabe("032180000118359719".into()),
            "R1",
        )
        .build()
        .unwrap();
        assert_eq!(field(no_name), "beneficiary.name");
        let hyphen = PayoutRequest::builder(
            Money::parse("1", Currency::Mxn).unwrap(),
            BankAccount::Clabe("032180000118359719".into()),
            "payout-0001",
        )
        .beneficiary_name("X")
        .build()
        .unwrap();
        assert_eq!(field(hyphen), "reference");
        let cbu = PayoutRequest::builder(
            Money::parse("1", Currency::Mxn).unwrap(),
            BankAccount::Cbu("2850590940090418135201".into()),
            "R1",
        )
        .beneficiary_name("X")
        .build()
        .unwrap();
        assert_eq!(field(cbu), "beneficiary.account");
        let ars = PayoutRequest::builder(
            Money::parse("1", Currency::Ars).unwrap(),
            BankAccount::Clabe("032180000118359719".into()),
            "R1",
        )
        .beneficiary_name("X")
        .build()
        .unwrap();
        assert_eq!(field(ars), "amount");
        let bank = request().beneficiary_bank_code("BBVA").build().unwrap();
        assert_eq!(field(bank), "beneficiary.bank_code");
        // SPEI's concept holds 40 characters; a longer one is refused before sending,
        // under the name of the field it came from.
        let long = "x".repeat(crate::MAX_CONCEPT_CHARS + 1);
        let concept = request().concept(long.as_str()).build().unwrap();
        assert_eq!(field(concept), "concept");
        let description = request().description(long.as_str()).build().unwrap();
        assert_eq!(field(description), "description");
        let reference = PayoutRequest::builder(
            Money::parse("1", Currency::Mxn).unwrap(),
            BankAccount::Clabe("032180000118359719".into()),
            "R".repeat(crate::MAX_CONCEPT_CHARS + 1),
        )
        .beneficiary_name("X")
        .build()
        .unwrap();
        assert_eq!(field(reference), "reference");
    }
}
