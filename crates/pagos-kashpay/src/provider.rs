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
//! | `reference` (digits only, see below) | `numericReference` **and** `alphanumericReference` |
//! | `concept`, else `description`, else `reference` (at most 40 characters by default) | `concept` |
//! | `description` | `description` |
//! | the client's `entity_id` / `bank_id` | `idEntity` / `idBank` |
//! | today in Mexico City | `dateTransaction` |
//!
//! **The reference.** `createOrder` takes two references, `numericReference` (a
//! number) and `alphanumericReference`; a [`PayoutRequest`] has one, `reference`. It is
//! sent **as given** in both: so it must be a number Kashpay's `numericReference` can
//! take, 1 to 10 digits without a leading zero
//! ([`WireAssumptions::numeric_reference_max_digits`](crate::WireAssumptions)), such as
//! the Kashpay API's own example `43223123`. Any other reference (`PAYOUT0001`) is
//! refused on `reference`, with what is allowed, before anything is sent: the SDK never
//! derives or hashes a number from it, because two payouts could then share one. To
//! send a letters-and-digits `alphanumericReference` with a separate
//! `numericReference`, build a [`crate::OrderRequest`] and use
//! [`Orders::create`](crate::orders::Orders::create).

use pagos_core::{
    BankAccount, Capabilities, Error, Operation, PaymentProvider, Payout, PayoutRequest, Result,
    ValidationError, async_trait,
};

use crate::PROVIDER;
use crate::assumptions::WireAssumptions;
use crate::client::KashpayClient;
use crate::orders::{AccountType, OrderRequest, TransactionType};

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
///     "43223123",
/// )
/// .beneficiary_name("Florentino Eter")
/// .build()?;
/// let order = OrderRequest::try_from(&payout)?;
/// assert_eq!(order.type_transaction, TransactionType::SpeiOut);
/// assert_eq!(order.numeric_reference, 43223123);
/// assert_eq!(order.alphanumeric_reference, "43223123");
/// assert_eq!(order.concept, "43223123");
/// # Ok::<(), pagos_core::Error>(())
/// ```
impl TryFrom<&PayoutRequest> for OrderRequest {
    type Error = Error;

    /// # Errors
    /// [`Error::Validation`] naming the [`PayoutRequest`] field: not a CLABE, not MXN,
    /// no beneficiary name, a reference that is not a `numericReference` (1 to 10
    /// digits), a concept longer than SPEI's 40 characters... (with the default
    /// [`WireAssumptions`]).
    fn try_from(request: &PayoutRequest) -> Result<OrderRequest> {
        order_for_payout(request, &WireAssumptions::DEFAULT)
    }
}

/// Builds the `createOrder` for a payout with `assumptions`. Field names in errors are
/// the [`PayoutRequest`]'s.
fn order_for_payout(
    request: &PayoutRequest,
    assumptions: &WireAssumptions,
) -> Result<OrderRequest> {
    request.validate()?;
    let BankAccount::Clabe(clabe) = &request.beneficiary.account else {
        return Err(ValidationError::new(
            "beneficiary.account",
            "Kashpay SPEI transfers go to a CLABE",
        )
        .into());
    };
    crate::CURRENCIES
        .check(&request.amount)
        .map_err(|e| e.for_field("amount"))?;
    let numeric_reference = assumptions
        .parse_numeric_reference("reference", &request.reference)
        .map_err(|e| {
            ValidationError::new(
                "reference",
                format!(
                    "{}; a payout's reference is sent as both numericReference and \
                     alphanumericReference, never hashed (build a pagos_kashpay::OrderRequest \
                     to send two different references)",
                    e.message()
                ),
            )
        })?;
    let name = request.beneficiary.name.as_deref().unwrap_or_default();
    let concept = request
        .concept
        .as_deref()
        .or(request.description.as_deref())
        .unwrap_or(&request.reference);
    let mut builder = OrderRequest::builder(TransactionType::SpeiOut, request.amount)
        .beneficiary(AccountType::Clabe, clabe.clone(), name)
        .concept(concept)
        .numeric_reference(numeric_reference)
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
    builder.build_with(assumptions).map_err(|e| match e {
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
        let order = order_for_payout(request, self.wire_assumptions())?;
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
    use pagos_core::{Currency, Money};

    fn request() -> pagos_core::PayoutRequestBuilder {
        PayoutRequest::builder(
            Money::parse("250", Currency::Mxn).unwrap(),
            BankAccount::Clabe("032180000118359719".into()),
            "43223123",
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
        let order = order_for_payout(&req, &WireAssumptions::DEFAULT).unwrap();
        assert_eq!(order.type_transaction, TransactionType::SpeiOut);
        assert_eq!(order.alphanumeric_reference, "43223123");
        assert_eq!(order.numeric_reference, 43_223_123);
        assert_eq!(order.concept, "Pago de factura 12");
        assert_eq!(order.code_institute_bank(), Some("032"));
        assert_eq!(order.email.as_deref(), Some("ana@example.mx"));
    }

    #[test]
    fn the_reference_is_sent_as_given_or_refused_never_hashed() {
        let reference = |r: &str| {
            let req = PayoutRequest::builder(
                Money::parse("1", Currency::Mxn).unwrap(),
                BankAccount::Clabe("032180000118359719".into()),
                r,
            )
            .beneficiary_name("X")
            .build()
            .unwrap();
            order_for_payout(&req, &WireAssumptions::DEFAULT)
        };
        let order = reference("12345678").unwrap();
        assert_eq!(order.numeric_reference, 12_345_678);
        assert_eq!(reference("7").unwrap().numeric_reference, 7);
        for bad in ["PAYOUT0001", "0042", "12345678901", "4322 3123"] {
            match reference(bad) {
                Err(Error::Validation(v)) => {
                    assert_eq!(v.field(), "reference", "{bad}");
                    assert!(v.message().contains("1 to 10 digits"), "{bad}: {v}");
                    assert!(v.message().contains("never hashed"), "{bad}: {v}");
                }
                other => panic!("{bad}: expected a validation error, got {other:?}"),
            }
        }
        // A client told otherwise takes longer numbers.
        let wide = WireAssumptions::default().numeric_reference_max_digits(11);
        let req = PayoutRequest::builder(
            Money::parse("1", Currency::Mxn).unwrap(),
            BankAccount::Clabe("032180000118359719".into()),
            "12345678901",
        )
        .beneficiary_name("X")
        .build()
        .unwrap();
        assert_eq!(
            order_for_payout(&req, &wide).unwrap().numeric_reference,
            12_345_678_901
        );
    }

    #[test]
    fn payout_validation_uses_payout_field_names() {
        let field = |r: PayoutRequest| match order_for_payout(&r, &WireAssumptions::DEFAULT) {
            Err(Error::Validation(v)) => v.field().to_string(),
            other => panic!("expected a validation error, got {other:?}"),
        };
        let no_name = PayoutRequest::builder(
            Money::parse("1", Currency::Mxn).unwrap(),
            BankAccount::Clabe("032180000118359719".into()),
            "1",
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
            "1",
        )
        .beneficiary_name("X")
        .build()
        .unwrap();
        assert_eq!(field(cbu), "beneficiary.account");
        let ars = PayoutRequest::builder(
            Money::parse("1", Currency::Ars).unwrap(),
            BankAccount::Clabe("032180000118359719".into()),
            "1",
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
        let wide = WireAssumptions::default().numeric_reference_max_digits(45);
        let reference = PayoutRequest::builder(
            Money::parse("1", Currency::Mxn).unwrap(),
            BankAccount::Clabe("032180000118359719".into()),
            "1".repeat(crate::MAX_CONCEPT_CHARS + 1),
        )
        .beneficiary_name("X")
        .build()
        .unwrap();
        match order_for_payout(&reference, &wide) {
            Err(Error::Validation(v)) => assert_eq!(v.field(), "reference"),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
}
