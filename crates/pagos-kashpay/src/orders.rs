//! `POST {orders_base}/OKPay/createOrder`: SPEI transfers, cash in/out and the other
//! Onsigna operations, chosen by [`TransactionType`].
//!
//! Wire names keep Kashpay's typos (`beneficiaryAcount`, `beneficiaryTypeAcount`, and
//! `uptadedAt` in the answer); the Rust names are spelled correctly.

use std::fmt;

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method, Request, Response};
use pagos_core::{BaseUrl, Decimal, Money, Raw, Result, ValidationError, validate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, OffsetDateTime};

use crate::KashpayClient;
use crate::assumptions::{AccountTypeCodes, WireAssumptions};
use crate::wire;

/// The `typeTransaction` catalogue (Kashpay's public documentation; the catalogue is
/// partial, so any other code is kept in [`TransactionType::Other`]).
///
/// ```
/// use pagos_kashpay::TransactionType;
/// assert_eq!(TransactionType::SpeiOut.code(), 1);
/// assert_eq!(TransactionType::from_code(27), TransactionType::MastercardSale);
/// assert_eq!(TransactionType::from_code(99), TransactionType::Other(99));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransactionType {
    /// 1 — outgoing interbank SPEI transfer ("Transferencia Interbancaria SPEI").
    SpeiOut,
    /// 2 — SPEI return.
    SpeiReturn,
    /// 3 — incoming SPEI transfer.
    SpeiIn,
    /// 4 — transfer between accounts.
    TransferBetweenAccounts,
    /// 10 — top-ups.
    TopUp,
    /// 11 — bill payment.
    BillPayment,
    /// 19 — payment order (a reference for a withdrawal at a branch).
    PaymentOrder,
    /// 20 — withdrawal with reference.
    WithdrawalWithReference,
    /// 21 — withdrawal with reference (the catalogue lists 20 and 21 with the same
    /// description and does not say how they differ).
    WithdrawalWithReference21,
    /// 22 — Visa sale.
    VisaSale,
    /// 23 — American Express sale.
    AmexSale,
    /// 24 — referenced SPEI sale.
    ReferencedSpeiSale,
    /// 25 — acquiring refund.
    AcquiringRefund,
    /// 26 — acquiring cancellation.
    AcquiringCancellation,
    /// 27 — Mastercard sale.
    MastercardSale,
    /// A code outside the known catalogue.
    Other(u32),
}

impl TransactionType {
    /// The numeric code sent as `typeTransaction`.
    pub const fn code(self) -> u32 {
        match self {
            TransactionType::SpeiOut => 1,
            TransactionType::SpeiReturn => 2,
            TransactionType::SpeiIn => 3,
            TransactionType::TransferBetweenAccounts => 4,
            TransactionType::TopUp => 10,
            TransactionType::BillPayment => 11,
            TransactionType::PaymentOrder => 19,
            TransactionType::WithdrawalWithReference => 20,
            TransactionType::WithdrawalWithReference21 => 21,
            TransactionType::VisaSale => 22,
            TransactionType::AmexSale => 23,
            TransactionType::ReferencedSpeiSale => 24,
            TransactionType::AcquiringRefund => 25,
            TransactionType::AcquiringCancellation => 26,
            TransactionType::MastercardSale => 27,
            TransactionType::Other(code) => code,
        }
    }

    /// The type for a numeric code; unknown codes become [`TransactionType::Other`].
    pub const fn from_code(code: u32) -> TransactionType {
        match code {
            1 => TransactionType::SpeiOut,
            2 => TransactionType::SpeiReturn,
            3 => TransactionType::SpeiIn,
            4 => TransactionType::TransferBetweenAccounts,
            10 => TransactionType::TopUp,
            11 => TransactionType::BillPayment,
            19 => TransactionType::PaymentOrder,
            20 => TransactionType::WithdrawalWithReference,
            21 => TransactionType::WithdrawalWithReference21,
            22 => TransactionType::VisaSale,
            23 => TransactionType::AmexSale,
            24 => TransactionType::ReferencedSpeiSale,
            25 => TransactionType::AcquiringRefund,
            26 => TransactionType::AcquiringCancellation,
            27 => TransactionType::MastercardSale,
            other => TransactionType::Other(other),
        }
    }
}

impl From<u32> for TransactionType {
    fn from(code: u32) -> Self {
        TransactionType::from_code(code)
    }
}

impl Serialize for TransactionType {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_u32(self.code())
    }
}

/// `beneficiaryTypeAcount`: the kind of account credited.
///
/// Neither the Kashpay API nor Kashpay's public documentation lists the values; the field
/// is a string in Kashpay's published request example. The codes sent are an assumption,
/// [`WireAssumptions::account_type_codes`]: by default the SPEI account-type catalogue
/// that Mexican SPEI participants share (`40` CLABE, `3` debit card, `10` mobile phone);
/// [`AccountType::Other`] sends any other code unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AccountType {
    /// `40` — an 18-digit CLABE (checked with its check digit before sending).
    Clabe,
    /// `3` — a 16-digit debit card number.
    DebitCard,
    /// `10` — a 10-digit mobile phone number.
    MobilePhone,
    /// Any other code, sent as is.
    Other(String),
}

impl AccountType {
    /// The code sent as `beneficiaryTypeAcount` with the default
    /// [`AccountTypeCodes`] (`40`, `3`, `10`).
    pub fn code(&self) -> &str {
        self.code_with(&AccountTypeCodes::DEFAULT)
    }

    /// The code sent as `beneficiaryTypeAcount` with these codes.
    ///
    /// ```
    /// use pagos_kashpay::{AccountType, AccountTypeCodes};
    /// let codes = AccountTypeCodes::default().clabe("CLABE");
    /// assert_eq!(AccountType::Clabe.code_with(&codes), "CLABE");
    /// assert_eq!(AccountType::Clabe.code(), "40");
    /// ```
    pub fn code_with<'a>(&'a self, codes: &'a AccountTypeCodes) -> &'a str {
        match self {
            AccountType::Clabe => &codes.clabe,
            AccountType::DebitCard => &codes.debit_card,
            AccountType::MobilePhone => &codes.mobile_phone,
            AccountType::Other(code) => code,
        }
    }

    /// Checks an account number against this type.
    fn validate_account(&self, field: &'static str, account: &str) -> Result<(), ValidationError> {
        let digits = |len: usize, what: &str| {
            if account.len() == len && account.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err(ValidationError::new(
                    field,
                    format!("a {what} has exactly {len} digits"),
                ))
            }
        };
        match self {
            AccountType::Clabe => validate::clabe(field, account),
            AccountType::DebitCard => digits(16, "debit card number"),
            AccountType::MobilePhone => digits(10, "mobile phone number"),
            AccountType::Other(code) => {
                validate::non_empty("beneficiary_account_type", code)?;
                validate::non_empty(field, account)
            }
        }
    }
}

/// An order's `status` code.
///
/// `25` is the applied/successful state (Kashpay's public documentation); `13`, `14`
/// and `16` have been seen too. Any other code is kept in [`OrderStatus::Other`]. How
/// each maps to a [`pagos_core::PayoutStatus`] is decided in one table,
/// [`OrderStatus::payout_status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderStatus {
    /// 25 — applied: the operation was carried out.
    Applied,
    /// 13 — pending.
    Pending,
    /// 14 — paid.
    Paid,
    /// 16 — reference issued (waiting for the payer to use it).
    ReferenceIssued,
    /// A code outside the known ones.
    Other(i64),
}

impl OrderStatus {
    /// The numeric code.
    pub const fn code(self) -> i64 {
        match self {
            OrderStatus::Applied => 25,
            OrderStatus::Pending => 13,
            OrderStatus::Paid => 14,
            OrderStatus::ReferenceIssued => 16,
            OrderStatus::Other(code) => code,
        }
    }

    /// The status for a code; unknown codes become [`OrderStatus::Other`].
    pub const fn from_code(code: i64) -> OrderStatus {
        match code {
            25 => OrderStatus::Applied,
            13 => OrderStatus::Pending,
            14 => OrderStatus::Paid,
            16 => OrderStatus::ReferenceIssued,
            other => OrderStatus::Other(other),
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

impl Serialize for OrderStatus {
    /// The numeric code.
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_i64(self.code())
    }
}

impl<'de> Deserialize<'de> for OrderStatus {
    /// A number (`25`) or a numeric string (`"25"`).
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n
                .as_i64()
                .map(OrderStatus::from_code)
                .ok_or_else(|| D::Error::custom(format!("status {n} is not an integer"))),
            serde_json::Value::String(s) => s
                .trim()
                .parse::<i64>()
                .map(OrderStatus::from_code)
                .map_err(|_| D::Error::custom(format!("status {s:?} is not numeric"))),
            other => Err(D::Error::custom(format!("unexpected status {other}"))),
        }
    }
}

/// A `createOrder` request. Build it with [`OrderRequest::builder`].
///
/// Every field of the table under `createOrder` in the Kashpay API is here. Required: the
/// transaction type, amount, beneficiary account and name, concept and both references.
/// Optional fields that are not set are left out of the JSON body.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_kashpay::{AccountType, OrderRequest, TransactionType};
///
/// let order = OrderRequest::builder(TransactionType::SpeiOut, Money::parse("250", Currency::Mxn)?)
///     .beneficiary(AccountType::Clabe, "032180000118359719", "Florentino Eter")
///     .concept("Deposito Maria")
///     .numeric_reference(43223123)
///     .alphanumeric_reference("PROVV0011712091")
///     .build()?;
/// assert_eq!(order.code_institute_bank(), Some("032")); // from the CLABE
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OrderRequest {
    /// `typeTransaction`.
    pub type_transaction: TransactionType,
    /// `amount` (pesos) and `currency` (its ISO numeric code; MXN = 484).
    pub amount: Money,
    /// `beneficiaryAcount`: the account credited.
    pub beneficiary_account: String,
    /// `beneficiaryTypeAcount`.
    pub beneficiary_account_type: AccountType,
    /// `beneficiaryName`.
    pub beneficiary_name: String,
    /// `beneficiaryAddress1`.
    pub beneficiary_address1: Option<String>,
    /// `beneficiaryCity`.
    pub beneficiary_city: Option<String>,
    /// `postalCode` (5 digits).
    pub postal_code: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// `codeInstituteBank`: the beneficiary's institution (e.g. `"002"`). When unset and
    /// the account is a CLABE, its first three digits (the bank code) are sent.
    pub code_institute_bank: Option<String>,
    /// `idBank`: Kashpay's id of the bank institution. Unset: the client's
    /// [`bank_id`](crate::KashpayClientBuilder::bank_id), or left out.
    pub id_bank: Option<u64>,
    /// `idEntity`: Kashpay's numeric id of your entity. Unset: the client's
    /// [`entity_id`](crate::KashpayClientBuilder::entity_id), or left out.
    pub id_entity: Option<u64>,
    /// `concept`: at most [`WireAssumptions::concept_max_chars`] characters (40 by
    /// default).
    pub concept: String,
    /// `description`.
    pub description: Option<String>,
    /// `numericReference`, sent as given (a JSON number): 1 to
    /// [`WireAssumptions::numeric_reference_max_digits`] digits (10 by default; the
    /// Kashpay API's example is `43223123`). Never derived or hashed.
    pub numeric_reference: u64,
    /// `alphanumericReference`: the characters of
    /// [`WireAssumptions::alphanumeric_reference`] (letters and digits by default).
    pub alphanumeric_reference: String,
    /// `referenceCreatedPayment`.
    pub reference_created_payment: Option<String>,
    /// `dateTransaction`, sent in the [`WireAssumptions::date_transaction`] format
    /// (`ddMMyy` by default); unset: today in Mexico City.
    pub date_transaction: Option<Date>,
    /// `dataAccreditationBeneficiary` (the Kashpay API documents only the value `99`, the
    /// default).
    pub data_accreditation_beneficiary: u32,
}

/// The default longest `concept` ([`WireAssumptions::concept_max_chars`]): SPEI's
/// payment concept ("concepto de pago") holds 40 characters (the Kashpay API gives no
/// limit, so this is an assumption; the pagos sandbox enforces the same 40).
pub const MAX_CONCEPT_CHARS: usize = WireAssumptions::DEFAULT.concept_max_chars;

impl OrderRequest {
    /// Starts a builder with the transaction type and amount.
    pub fn builder(type_transaction: TransactionType, amount: Money) -> OrderRequestBuilder {
        OrderRequestBuilder {
            inner: OrderRequest {
                type_transaction,
                amount,
                beneficiary_account: String::new(),
                beneficiary_account_type: AccountType::Clabe,
                beneficiary_name: String::new(),
                beneficiary_address1: None,
                beneficiary_city: None,
                postal_code: None,
                email: None,
                code_institute_bank: None,
                id_bank: None,
                id_entity: None,
                concept: String::new(),
                description: None,
                numeric_reference: 0,
                alphanumeric_reference: String::new(),
                reference_created_payment: None,
                date_transaction: None,
                data_accreditation_beneficiary: 99,
            },
            numeric_reference_set: false,
        }
    }

    /// The `codeInstituteBank` that will be sent: the one set, or a CLABE's bank code.
    pub fn code_institute_bank(&self) -> Option<&str> {
        match (&self.code_institute_bank, &self.beneficiary_account_type) {
            (Some(code), _) => Some(code),
            (None, AccountType::Clabe) => self.beneficiary_account.get(..3),
            (None, _) => None,
        }
    }

    /// Checks every field with the default [`WireAssumptions`]; see
    /// [`OrderRequest::validate_with`].
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field (the Rust field name).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.validate_with(&WireAssumptions::DEFAULT)
    }

    /// Checks every field; [`CreateOrder`] calls it with the client's assumptions
    /// before sending.
    ///
    /// Among others: the amount positive in MXN, the account valid for its type (a
    /// CLABE's check digit), `beneficiary_name` and `concept` not blank, and the
    /// assumed rules of `assumptions`: `concept` length, `alphanumeric_reference`
    /// characters, `numeric_reference` digits; `email`, `code_institute_bank` and
    /// `postal_code` well formed.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field (the Rust field name).
    pub fn validate_with(&self, assumptions: &WireAssumptions) -> Result<(), ValidationError> {
        self.amount.ensure_positive()?;
        // The currency (sent as its ISO numeric code, 484 for MXN) and its decimals.
        crate::CURRENCIES.check(&self.amount)?;
        self.beneficiary_account_type
            .validate_account("beneficiary_account", &self.beneficiary_account)?;
        validate::non_empty("beneficiary_name", &self.beneficiary_name)?;
        validate::non_empty("concept", &self.concept)?;
        assumptions.check_concept("concept", &self.concept)?;
        assumptions.check_numeric_reference("numeric_reference", self.numeric_reference)?;
        validate::non_empty("alphanumeric_reference", &self.alphanumeric_reference)?;
        assumptions
            .check_alphanumeric_reference("alphanumeric_reference", &self.alphanumeric_reference)?;
        for (field, value) in [
            ("beneficiary_address1", &self.beneficiary_address1),
            ("beneficiary_city", &self.beneficiary_city),
            ("description", &self.description),
            ("reference_created_payment", &self.reference_created_payment),
        ] {
            if let Some(v) = value {
                validate::non_empty(field, v)?;
            }
        }
        if let Some(email) = &self.email {
            validate::email("email", email)?;
        }
        if let Some(code) = &self.code_institute_bank
            && (code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(ValidationError::new(
                "code_institute_bank",
                "an institution code is digits only, e.g. \"002\"",
            ));
        }
        if let Some(cp) = &self.postal_code
            && (cp.len() != 5 || !cp.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(ValidationError::new(
                "postal_code",
                "a Mexican postal code has exactly 5 digits",
            ));
        }
        Ok(())
    }

    /// The hint attached to an outcome-unknown `createOrder`.
    fn lookup_hint(&self) -> String {
        format!(
            "the order may have been created: check it with Kashpay by numericReference {} / \
             alphanumericReference {} before sending it again",
            self.numeric_reference, self.alphanumeric_reference
        )
    }

    /// The wire body, with the client's defaults for `idEntity`/`idBank` and its
    /// assumed formats.
    fn to_wire<'a>(
        &'a self,
        defaults: &OrderDefaults,
        assumptions: &'a WireAssumptions,
    ) -> CreateOrderWire<'a> {
        CreateOrderWire {
            alphanumeric_reference: &self.alphanumeric_reference,
            amount: self.amount,
            beneficiary_acount: &self.beneficiary_account,
            beneficiary_address1: self.beneficiary_address1.as_deref(),
            beneficiary_city: self.beneficiary_city.as_deref(),
            beneficiary_name: &self.beneficiary_name,
            beneficiary_type_acount: self
                .beneficiary_account_type
                .code_with(&assumptions.account_type_codes),
            code_institute_bank: self.code_institute_bank(),
            concept: &self.concept,
            currency: self.amount.currency().numeric_code(),
            data_accreditation_beneficiary: self.data_accreditation_beneficiary,
            date_transaction: assumptions.date_transaction.format(
                self.date_transaction
                    .unwrap_or_else(wire::today_in_mexico_city),
            ),
            description: self.description.as_deref(),
            email: self.email.as_deref(),
            id_bank: self.id_bank.or(defaults.id_bank),
            id_entity: self.id_entity.or(defaults.id_entity),
            numeric_reference: self.numeric_reference,
            postal_code: self.postal_code.as_deref(),
            reference_created_payment: self.reference_created_payment.as_deref(),
            type_transaction: self.type_transaction,
        }
    }
}

/// Builder for [`OrderRequest`].
#[derive(Debug, Clone)]
#[must_use]
pub struct OrderRequestBuilder {
    inner: OrderRequest,
    numeric_reference_set: bool,
}

impl OrderRequestBuilder {
    /// Sets `beneficiaryTypeAcount`, `beneficiaryAcount` and `beneficiaryName`.
    pub fn beneficiary(
        mut self,
        account_type: AccountType,
        account: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        self.inner.beneficiary_account_type = account_type;
        self.inner.beneficiary_account = account.into();
        self.inner.beneficiary_name = name.into();
        self
    }
    /// Sets `beneficiaryAddress1`.
    pub fn beneficiary_address1(mut self, v: impl Into<String>) -> Self {
        self.inner.beneficiary_address1 = Some(v.into());
        self
    }
    /// Sets `beneficiaryCity`.
    pub fn beneficiary_city(mut self, v: impl Into<String>) -> Self {
        self.inner.beneficiary_city = Some(v.into());
        self
    }
    /// Sets `postalCode`.
    pub fn postal_code(mut self, v: impl Into<String>) -> Self {
        self.inner.postal_code = Some(v.into());
        self
    }
    /// Sets `email`.
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.inner.email = Some(v.into());
        self
    }
    /// Sets `codeInstituteBank`.
    pub fn code_institute_bank(mut self, v: impl Into<String>) -> Self {
        self.inner.code_institute_bank = Some(v.into());
        self
    }
    /// Sets `idBank`.
    pub fn id_bank(mut self, v: u64) -> Self {
        self.inner.id_bank = Some(v);
        self
    }
    /// Sets `idEntity`.
    pub fn id_entity(mut self, v: u64) -> Self {
        self.inner.id_entity = Some(v);
        self
    }
    /// Sets `concept`.
    pub fn concept(mut self, v: impl Into<String>) -> Self {
        self.inner.concept = v.into();
        self
    }
    /// Sets `description`.
    pub fn description(mut self, v: impl Into<String>) -> Self {
        self.inner.description = Some(v.into());
        self
    }
    /// Sets `numericReference` (required), sent as given: 1 to 10 digits by default
    /// ([`WireAssumptions::numeric_reference_max_digits`]). For text, see
    /// [`WireAssumptions::parse_numeric_reference`].
    pub fn numeric_reference(mut self, v: u64) -> Self {
        self.inner.numeric_reference = v;
        self.numeric_reference_set = true;
        self
    }
    /// Sets `alphanumericReference` (required).
    pub fn alphanumeric_reference(mut self, v: impl Into<String>) -> Self {
        self.inner.alphanumeric_reference = v.into();
        self
    }
    /// Sets `referenceCreatedPayment`.
    pub fn reference_created_payment(mut self, v: impl Into<String>) -> Self {
        self.inner.reference_created_payment = Some(v.into());
        self
    }
    /// Sets `dateTransaction` (default: today in Mexico City).
    pub fn date_transaction(mut self, v: Date) -> Self {
        self.inner.date_transaction = Some(v);
        self
    }
    /// Sets `dataAccreditationBeneficiary` (default `99`).
    pub fn data_accreditation_beneficiary(mut self, v: u32) -> Self {
        self.inner.data_accreditation_beneficiary = v;
        self
    }

    /// Checks the order with the default [`WireAssumptions`] and returns it.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] naming the first missing or bad field.
    pub fn build(self) -> Result<OrderRequest> {
        self.build_with(&WireAssumptions::DEFAULT)
    }

    /// Checks the order with `assumptions` (the client's, when it overrides them:
    /// [`KashpayClient::wire_assumptions`]) and returns it.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] naming the first missing or bad field.
    pub fn build_with(self, assumptions: &WireAssumptions) -> Result<OrderRequest> {
        if !self.numeric_reference_set {
            return Err(ValidationError::new("numeric_reference", "is required").into());
        }
        self.inner.validate_with(assumptions)?;
        Ok(self.inner)
    }
}

/// Client-level values sent when an order does not set them: the builder's
/// [`entity_id`](crate::KashpayClientBuilder::entity_id) and
/// [`bank_id`](crate::KashpayClientBuilder::bank_id) (see
/// [`KashpayClient::order_defaults`](crate::KashpayClient::order_defaults)).
///
/// ```
/// use pagos_kashpay::OrderDefaults;
/// let defaults = OrderDefaults::default().entity_id(4177).bank_id(12);
/// assert_eq!((defaults.id_entity, defaults.id_bank), (Some(4177), Some(12)));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OrderDefaults {
    /// `idEntity` for orders without one.
    pub id_entity: Option<u64>,
    /// `idBank` for orders without one.
    pub id_bank: Option<u64>,
}

impl OrderDefaults {
    /// The same defaults with this `idEntity`.
    #[must_use]
    pub fn entity_id(mut self, id: u64) -> Self {
        self.id_entity = Some(id);
        self
    }

    /// The same defaults with this `idBank`.
    #[must_use]
    pub fn bank_id(mut self, id: u64) -> Self {
        self.id_bank = Some(id);
        self
    }
}

/// The JSON body of `createOrder`, in the Kashpay API's (alphabetical) order.
///
/// Types follow Kashpay's published request example (`amount`, `currency`,
/// `dataAccreditationBeneficiary`, `idBank`, `idEntity`, `numericReference` and
/// `typeTransaction` are numbers), with three deliberate deviations, all to strings:
/// `beneficiaryAcount` (a CLABE may start with `0`, which a number would drop),
/// `postalCode` (`01000` is a Mexico City postal code) and `referenceCreatedPayment`
/// (Kashpay answers it as text, `"on000000011598"`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateOrderWire<'a> {
    alphanumeric_reference: &'a str,
    #[serde(serialize_with = "wire::serialize_amount")]
    amount: Money,
    // Kashpay's spelling.
    #[serde(rename = "beneficiaryAcount")]
    beneficiary_acount: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    beneficiary_address1: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    beneficiary_city: Option<&'a str>,
    beneficiary_name: &'a str,
    // Kashpay's spelling.
    #[serde(rename = "beneficiaryTypeAcount")]
    beneficiary_type_acount: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_institute_bank: Option<&'a str>,
    concept: &'a str,
    currency: u16,
    data_accreditation_beneficiary: u32,
    date_transaction: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_bank: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_entity: Option<u64>,
    numeric_reference: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    postal_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference_created_payment: Option<&'a str>,
    type_transaction: TransactionType,
}

/// `POST /OKPay/createOrder` (the Kashpay API, "createOrder"): creates an order (a
/// SPEI transfer, a cash-in reference...).
///
/// [`Endpoint::request`] validates the order ([`OrderRequest::validate`]) and writes
/// its body once, `dateTransaction` included (today in Mexico City when unset), so a
/// second attempt after Kashpay refused the token sends the same bytes. The session
/// headers (`Authorization: Bearer …`, `Entity-i`) are the client's [`KashpayAuth`]
/// strategy's.
///
/// `createOrder` carries no idempotency reference Kashpay promises to honour, so it is
/// [`Idempotency::NonIdempotent`]: once it may have reached Kashpay it is sent exactly
/// once, and a lost or unreadable answer is an unknown outcome whose hint names the
/// references to look the order up by. The only second attempt is the executor's one
/// re-authentication after a 401/403: a refused token means Kashpay did not process
/// the order.
///
/// [`KashpayAuth`]: crate::auth::KashpayAuth
///
/// ```
/// use pagos_core::{BaseUrl, Currency, Endpoint, Money, Response};
/// use pagos_kashpay::{AccountType, CreateOrder, OrderRequest, OrderStatus, TransactionType};
///
/// let order = OrderRequest::builder(TransactionType::SpeiOut, Money::parse("250", Currency::Mxn)?)
///     .beneficiary(AccountType::Clabe, "032180000118359719", "Florentino Eter")
///     .concept("Deposito Maria")
///     .numeric_reference(43223123)
///     .alphanumeric_reference("PROVV0011712091")
///     .build()?;
/// let endpoint = CreateOrder::new(&order);
/// let base = BaseUrl::parse("https://orders.example.mx")?;
/// let request = pagos_core::endpoint::describe(&endpoint, &base)?;
/// assert_eq!(request.url().path(), "/OKPay/createOrder");
///
/// let answer = r#"{"success":true,"orderEntityResponse":{"id":"13699","status":25}}"#;
/// let created = endpoint.parse(&Response::new(pagos_kashpay::PROVIDER, CreateOrder::OPERATION, 200, answer))?;
/// assert_eq!(created.status, OrderStatus::Applied);
/// assert_eq!(created.raw.get(), answer);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CreateOrder<'a> {
    order: &'a OrderRequest,
    defaults: OrderDefaults,
    assumptions: &'a WireAssumptions,
}

impl<'a> CreateOrder<'a> {
    /// Creates `order`, without client defaults for `idEntity`/`idBank`, with the
    /// default [`WireAssumptions`].
    pub fn new(order: &'a OrderRequest) -> Self {
        CreateOrder {
            order,
            defaults: OrderDefaults::default(),
            assumptions: &WireAssumptions::DEFAULT,
        }
    }

    /// The same endpoint checking and writing the order with `assumptions` (the
    /// client's handle passes its own).
    #[must_use]
    pub fn with_assumptions(mut self, assumptions: &'a WireAssumptions) -> Self {
        self.assumptions = assumptions;
        self
    }

    /// The same endpoint sending `defaults` where the order sets no `idEntity` /
    /// `idBank` (the client's handle passes its own).
    #[must_use]
    pub fn with_defaults(mut self, defaults: OrderDefaults) -> Self {
        self.defaults = defaults;
        self
    }

    /// The order.
    pub fn order(&self) -> &OrderRequest {
        self.order
    }
}

impl Endpoint for CreateOrder<'_> {
    type Output = Order;
    const OPERATION: &'static str = "create_order";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        self.order.validate_with(self.assumptions)?;
        let body = self.order.to_wire(&self.defaults, self.assumptions);
        Ok(Request::new(
            Method::POST,
            base.join(&["OKPay", "createOrder"])?,
            Self::OPERATION,
        )
        .json(&body)?)
    }

    fn parse(&self, response: &Response) -> Result<Order> {
        let (mut order, raw): (Order, Raw) = crate::error::decode(response)?;
        order.raw = raw;
        Ok(order)
    }

    /// The order may have been created: look it up by its references before sending
    /// it again.
    fn outcome_hint(&self) -> Option<String> {
        Some(self.order.lookup_hint())
    }
}

/// The answer to `createOrder`: the envelope's `orderEntityResponse` and its counters.
///
/// Decoded (`Deserialize`) from Kashpay's whole answer; serialized (`Serialize`) flat,
/// with Rust names, balances as exact JSON numbers, timestamps in RFC 3339 and `raw`
/// as Kashpay's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "CreateOrderEnvelope")]
#[non_exhaustive]
pub struct Order {
    /// `id`: Kashpay's id of the order (`"13699"`).
    pub id: String,
    /// `numericReference`, as echoed.
    pub numeric_reference: Option<String>,
    /// `alphanumericReference`, as echoed.
    pub alphanumeric_reference: Option<String>,
    /// `referenceCreatedPayment`: Kashpay's payment reference (`"on000000011598"`).
    pub reference_created_payment: Option<String>,
    /// `status`.
    pub status: OrderStatus,
    /// `initialBalance`: the account balance before the order.
    #[serde(serialize_with = "pagos_core::wire::lenient_decimal::option::serialize")]
    pub initial_balance: Option<Decimal>,
    /// `finalBalance`: the account balance after the order.
    #[serde(serialize_with = "pagos_core::wire::lenient_decimal::option::serialize")]
    pub final_balance: Option<Decimal>,
    /// `createdAt`, when it has a known timestamp shape.
    #[serde(serialize_with = "time::serde::rfc3339::option::serialize")]
    pub created_at: Option<OffsetDateTime>,
    /// `uptadedAt` (sic), when it has a known timestamp shape.
    #[serde(serialize_with = "time::serde::rfc3339::option::serialize")]
    pub updated_at: Option<OffsetDateTime>,
    /// The envelope's `totalItems`.
    pub total_items: Option<u64>,
    /// The envelope's `totalPages`.
    pub total_pages: Option<u64>,
    /// The envelope's `currentPage`.
    pub current_page: Option<u64>,
    /// The whole answer, byte for byte.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateOrderEnvelope {
    order_entity_response: OrderWire,
    #[serde(default, deserialize_with = "wire::opt_u64::deserialize")]
    total_items: Option<u64>,
    #[serde(default, deserialize_with = "wire::opt_u64::deserialize")]
    total_pages: Option<u64>,
    #[serde(default, deserialize_with = "wire::opt_u64::deserialize")]
    current_page: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderWire {
    #[serde(deserialize_with = "wire::text::deserialize")]
    id: String,
    #[serde(default, deserialize_with = "wire::opt_text::deserialize")]
    numeric_reference: Option<String>,
    #[serde(default, deserialize_with = "wire::opt_text::deserialize")]
    alphanumeric_reference: Option<String>,
    #[serde(default, deserialize_with = "wire::opt_text::deserialize")]
    reference_created_payment: Option<String>,
    status: OrderStatus,
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    initial_balance: Option<Decimal>,
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    final_balance: Option<Decimal>,
    #[serde(default, deserialize_with = "wire::opt_text::deserialize")]
    created_at: Option<String>,
    // Kashpay's spelling.
    #[serde(
        default,
        rename = "uptadedAt",
        deserialize_with = "wire::opt_text::deserialize"
    )]
    uptaded_at: Option<String>,
}

impl From<CreateOrderEnvelope> for Order {
    fn from(envelope: CreateOrderEnvelope) -> Self {
        let o = envelope.order_entity_response;
        Order {
            id: o.id,
            numeric_reference: o.numeric_reference,
            alphanumeric_reference: o.alphanumeric_reference,
            reference_created_payment: o.reference_created_payment,
            status: o.status,
            initial_balance: o.initial_balance,
            final_balance: o.final_balance,
            created_at: o.created_at.as_deref().and_then(wire::parse_timestamp),
            updated_at: o.uptaded_at.as_deref().and_then(wire::parse_timestamp),
            total_items: envelope.total_items,
            total_pages: envelope.total_pages,
            current_page: envelope.current_page,
            raw: Raw::null(),
        }
    }
}

/// The orders resource: `client.orders()`.
///
/// ```no_run
/// # async fn run(client: pagos_kashpay::KashpayClient, order: pagos_kashpay::OrderRequest) -> pagos_core::Result<()> {
/// let created = client.orders().create(&order).await?;
/// println!("order {} is {}", created.id, created.status);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Orders<'a> {
    client: &'a KashpayClient,
}

impl<'a> Orders<'a> {
    pub(crate) fn new(client: &'a KashpayClient) -> Self {
        Orders { client }
    }

    /// [`CreateOrder`] with the client's [`OrderDefaults`].
    ///
    /// # Errors
    /// - [`pagos_core::Error::Validation`] before anything is sent (nothing goes out,
    ///   not even the authentication);
    /// - [`pagos_core::Error::Provider`] when Kashpay answers `success:false` (even with
    ///   HTTP 200) or an HTTP error; a token refused twice comes back as a 401/403
    ///   provider error;
    /// - [`pagos_core::Error::OutcomeUnknown`] when the order may have been created but
    ///   the answer was lost or unreadable: its `hint` names the `numericReference` and
    ///   `alphanumericReference` to check before sending the order again.
    pub async fn create(&self, order: &OrderRequest) -> Result<Order> {
        self.client
            .run(
                &CreateOrder::new(order)
                    .with_defaults(self.client.order_defaults())
                    .with_assumptions(self.client.wire_assumptions()),
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::{Currency, Error};
    use time::Month;

    fn mxn(s: &str) -> Money {
        Money::parse(s, Currency::Mxn).unwrap()
    }

    fn order() -> OrderRequestBuilder {
        OrderRequest::builder(TransactionType::SpeiOut, mxn("250"))
            .beneficiary(AccountType::Clabe, "032180000118359719", "Florentino Eter")
            .concept("Deposito Maria")
            .numeric_reference(43223123)
            .alphanumeric_reference("PROVV0011712091")
            .date_transaction(Date::from_calendar_date(2021, Month::April, 3).unwrap())
    }

    #[test]
    fn transaction_codes_round_trip() {
        for code in [1, 2, 3, 4, 10, 11, 19, 20, 21, 22, 23, 24, 25, 26, 27] {
            let t = TransactionType::from_code(code);
            assert!(!matches!(t, TransactionType::Other(_)), "{code}");
            assert_eq!(t.code(), code);
        }
        assert_eq!(TransactionType::from(5), TransactionType::Other(5));
        assert_eq!(TransactionType::Other(5).code(), 5);
    }

    #[test]
    fn minimal_body_leaves_optional_fields_out() {
        let o = order().build().unwrap();
        let body =
            serde_json::to_string(&o.to_wire(&OrderDefaults::default(), &WireAssumptions::DEFAULT))
                .unwrap();
        assert_eq!(
            body,
            r#"{"alphanumericReference":"PROVV0011712091","amount":250.00,"beneficiaryAcount":"032180000118359719","beneficiaryName":"Florentino Eter","beneficiaryTypeAcount":"40","codeInstituteBank":"032","concept":"Deposito Maria","currency":484,"dataAccreditationBeneficiary":99,"dateTransaction":"030421","numericReference":43223123,"typeTransaction":1}"#
        );
        let defaults = OrderDefaults {
            id_entity: Some(7),
            id_bank: Some(8),
        };
        let body = serde_json::to_string(&o.to_wire(&defaults, &WireAssumptions::DEFAULT)).unwrap();
        assert!(body.contains(r#""idBank":8,"idEntity":7"#), "{body}");
        // Overridden assumptions change what is written.
        let codes = AccountTypeCodes::default().clabe("001");
        let assumed = WireAssumptions::default()
            .date_transaction(crate::DateFormat::YearMonthDay)
            .account_type_codes(codes);
        let body = serde_json::to_string(&o.to_wire(&defaults, &assumed)).unwrap();
        assert!(
            body.contains(r#""beneficiaryTypeAcount":"001""#)
                && body.contains(r#""dateTransaction":"210403""#),
            "{body}"
        );
    }

    #[test]
    fn validation_names_the_field() {
        let field = |b: OrderRequestBuilder| match b.build() {
            Err(Error::Validation(v)) => v.field().to_string(),
            other => panic!("expected a validation error, got {other:?}"),
        };
        // The Kashpay API's example CLABE has a wrong check digit (Banxico's 3-7-1).
        assert_eq!(
            field(order().beneficiary(AccountType::Clabe, "646180585000000001", "X")),
            "beneficiary_account"
        );
        assert_eq!(
            field(order().beneficiary(AccountType::Clabe, "032180000118359719", " ")),
            "beneficiary_name"
        );
        assert_eq!(
            field(order().beneficiary(AccountType::MobilePhone, "55123", "X")),
            "beneficiary_account"
        );
        assert_eq!(field(order().concept("")), "concept");
        // SPEI's concept holds 40 characters (counted as characters, not bytes).
        assert!(
            order()
                .concept("ñ".repeat(MAX_CONCEPT_CHARS))
                .build()
                .is_ok()
        );
        assert_eq!(
            field(order().concept("x".repeat(MAX_CONCEPT_CHARS + 1))),
            "concept"
        );
        assert_eq!(
            field(order().alphanumeric_reference("")),
            "alphanumeric_reference"
        );
        assert_eq!(
            field(order().alphanumeric_reference("PROV-001")),
            "alphanumeric_reference"
        );
        assert_eq!(field(order().email("no-at-sign")), "email");
        assert_eq!(field(order().postal_code("1000")), "postal_code");
        assert_eq!(
            field(order().code_institute_bank("BBVA")),
            "code_institute_bank"
        );
        assert_eq!(field(order().description("  ")), "description");
        let mut b = OrderRequest::builder(TransactionType::SpeiOut, mxn("0"));
        b = b
            .beneficiary(AccountType::Clabe, "032180000118359719", "X")
            .concept("c")
            .numeric_reference(1)
            .alphanumeric_reference("A1");
        assert_eq!(field(b), "amount");
        let usd = Money::parse("1", Currency::Usd).unwrap();
        let b = OrderRequest::builder(TransactionType::SpeiOut, usd)
            .beneficiary(AccountType::Clabe, "032180000118359719", "X")
            .concept("c")
            .numeric_reference(1)
            .alphanumeric_reference("A1");
        assert_eq!(field(b), "currency");
        let b = OrderRequest::builder(TransactionType::SpeiOut, mxn("1"))
            .beneficiary(AccountType::Clabe, "032180000118359719", "X")
            .concept("c")
            .alphanumeric_reference("A1");
        assert_eq!(field(b), "numeric_reference");
        // The Kashpay API's 8-digit example is sent as is; 11 digits are refused.
        assert!(order().numeric_reference(43_223_123).build().is_ok());
        assert_eq!(
            field(order().numeric_reference(12_345_678_901)),
            "numeric_reference"
        );
        assert_eq!(field(order().numeric_reference(0)), "numeric_reference");
        // Overridden assumptions are applied by build_with.
        let wide = WireAssumptions::default()
            .numeric_reference_max_digits(11)
            .concept_max_chars(50)
            .alphanumeric_reference(crate::ReferenceChars::Printable);
        assert!(
            order()
                .numeric_reference(12_345_678_901)
                .concept("x".repeat(50))
                .alphanumeric_reference("PROV-001")
                .build_with(&wide)
                .is_ok()
        );
    }

    #[test]
    fn order_status_decodes_numbers_and_strings() {
        let s: OrderStatus = serde_json::from_str("25").unwrap();
        assert_eq!(s, OrderStatus::Applied);
        let s: OrderStatus = serde_json::from_str("\"13\"").unwrap();
        assert_eq!(s, OrderStatus::Pending);
        let s: OrderStatus = serde_json::from_str("7").unwrap();
        assert_eq!(s, OrderStatus::Other(7));
        assert!(serde_json::from_str::<OrderStatus>("\"done\"").is_err());
    }
}
