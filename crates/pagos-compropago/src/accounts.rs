//! Accounts with CLABE sub-accounts: `POST /v2/createAccount`, `GET /v2/accounts`,
//! `GET /v2/accounts/{id}` and `GET /v2/accounts/{id}/transactions`.
//!
//! Only `createAccount` is in the ComproPago API v2 reference. The three `GET` endpoints
//! come from ComproPago's public documentation and official SDKs; their answers are
//! modelled on the examples in ComproPago's own published API reference (the
//! `compropago/slate` documentation repository, sections "Listar cuentas", "Listar
//! subcuentas" and "Listar transacciones recibidas en la subcuenta"). Only the fields
//! shown there are typed, every one optional; each item keeps its JSON in `raw` for
//! anything else.

use pagos_core::transport::Method;
use pagos_core::{Decimal, PaymentInstructions, Result, ValidationError, validate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use crate::clabe::ClabeDetails;
use crate::client::{CompropagoClient, with_hint};
use crate::envelope::{self, Shape, WithRaw};
use crate::orders::CustomerInfo;
use crate::status::AccountStatus;
use crate::{checks, wire};

/// The holder of a new account's CLABE (`customer`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccountCustomer {
    /// The merchant's id for the sub-account (`customer.id`). Not in the API v2
    /// reference's example; ComproPago's later reference lists it as required and unique
    /// per sub-account. Sent only when set.
    pub id: Option<String>,
    /// Name (`customer.name`).
    pub name: String,
    /// E-mail, where ComproPago sends the CLABE (`customer.email`).
    pub email: String,
    /// 10-digit Mexican phone number for SMS instructions (`customer.phone`).
    pub phone: Option<String>,
}

impl AccountCustomer {
    /// A holder with the required fields.
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Self {
        AccountCustomer {
            id: None,
            name: name.into(),
            email: email.into(),
            phone: None,
        }
    }

    /// Sets the merchant's sub-account id.
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the phone number (10 digits, no `+52`).
    #[must_use]
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }
}

/// A request for an account with a CLABE (`POST /v2/createAccount`).
///
/// ```
/// use pagos_compropago::{AccountCustomer, CreateAccount};
///
/// let req = CreateAccount::new(
///     "Alamedas de Espana",
///     "153",
///     AccountCustomer::new("CONDOVIVE_1234", "waldix86@gmail.com"),
/// );
/// assert!(req.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateAccount {
    /// The account's name (`name`).
    pub name: String,
    /// The merchant's identifier for the account (`reference`).
    pub reference: String,
    /// The CLABE holder.
    pub customer: AccountCustomer,
}

impl CreateAccount {
    /// An account request.
    pub fn new(
        name: impl Into<String>,
        reference: impl Into<String>,
        customer: AccountCustomer,
    ) -> Self {
        CreateAccount {
            name: name.into(),
            reference: reference.into(),
            customer,
        }
    }

    /// Checks the request; the client calls it before sending.
    ///
    /// # Errors
    /// A [`ValidationError`] naming `name`, `reference`, `customer.id` (blank when
    /// set), `customer.name`, `customer.email` or `customer.phone` (10 digits).
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::non_empty("name", &self.name)?;
        validate::non_empty("reference", &self.reference)?;
        if let Some(id) = &self.customer.id {
            validate::non_empty("customer.id", id)?;
        }
        validate::non_empty("customer.name", &self.customer.name)?;
        validate::email("customer.email", &self.customer.email)?;
        if let Some(phone) = &self.customer.phone {
            checks::phone_mx("customer.phone", phone)?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct AccountBody<'a> {
    name: &'a str,
    reference: &'a str,
    customer: AccountCustomerBody<'a>,
}

#[derive(Serialize)]
struct AccountCustomerBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    name: &'a str,
    email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<&'a str>,
}

impl<'a> From<&'a CreateAccount> for AccountBody<'a> {
    fn from(r: &'a CreateAccount) -> Self {
        AccountBody {
            name: &r.name,
            reference: &r.reference,
            customer: AccountCustomerBody {
                id: r.customer.id.as_deref(),
                name: &r.customer.name,
                email: &r.customer.email,
                phone: r.customer.phone.as_deref(),
            },
        }
    }
}

/// An account created by [`CompropagoClient::create_account`].
///
/// The API v2 reference's example carries no CLABE in `payment`; ComproPago's later
/// reference does (`payment.clabe`), so it is optional. Decode from bytes or text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Account {
    /// The account's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The merchant's identifier.
    #[serde(default, deserialize_with = "wire::lenient_string::deserialize_option")]
    pub reference: Option<String>,
    /// The CLABE holder.
    #[serde(default)]
    pub customer: CustomerInfo,
    /// The CLABE (when sent) and the instructions.
    #[serde(default)]
    pub payment: ClabeDetails,
    /// The account's status.
    #[serde(default)]
    pub status: Option<AccountStatus>,
    /// Whether it was created with test keys.
    #[serde(default)]
    pub test_mode: Option<bool>,
    /// Creation time.
    #[serde(default, deserialize_with = "wire::epoch::deserialize_option")]
    pub created_at: Option<OffsetDateTime>,
    /// Last update.
    #[serde(default, deserialize_with = "wire::epoch::deserialize_option")]
    pub updated_at: Option<OffsetDateTime>,
    /// The JSON as received (without the envelope).
    #[serde(skip)]
    pub raw: Value,
}

impl WithRaw for Account {
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

impl Account {
    /// The unified bank-transfer instructions; `None` when no CLABE was returned.
    pub fn payment_instructions(&self) -> Option<PaymentInstructions> {
        self.payment.payment_instructions()
    }
}

/// One account of `GET /v2/accounts`.
///
/// The reference shows two shapes: `{"id": 169, "reference": "1-005", "name": …,
/// "balance": 0}` and, in a later revision, `{"accountId": "ae3d…", "name": …,
/// "balance": 0}`. Both decode; `id` is text either way.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AccountSummary {
    /// ComproPago's account id (a number, sent as text here), for
    /// [`CompropagoClient::list_subaccounts`].
    #[serde(default, deserialize_with = "wire::lenient_string::deserialize_option")]
    pub id: Option<String>,
    /// The account id of the later revision (`accountId`).
    #[serde(default, deserialize_with = "wire::lenient_string::deserialize_option")]
    pub account_id: Option<String>,
    /// The merchant's identifier.
    #[serde(default, deserialize_with = "wire::lenient_string::deserialize_option")]
    pub reference: Option<String>,
    /// The account's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The balance (MXN), exact.
    #[serde(default, deserialize_with = "wire::amount::deserialize_option")]
    pub balance: Option<Decimal>,
    /// The item's JSON as received.
    #[serde(skip)]
    pub raw: Value,
}

impl AccountSummary {
    /// The id to pass to [`CompropagoClient::list_subaccounts`]: `id`, else `accountId`.
    pub fn key(&self) -> Option<&str> {
        self.id.as_deref().or(self.account_id.as_deref())
    }
}

/// One sub-account of `GET /v2/accounts/{id}`: a name and its CLABE.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SubAccount {
    /// The sub-account's id (number or text in the reference; text here).
    #[serde(default, deserialize_with = "wire::lenient_string::deserialize_option")]
    pub id: Option<String>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its CLABE, as sent (not validated).
    #[serde(default)]
    pub clabe: Option<String>,
    /// The item's JSON as received.
    #[serde(skip)]
    pub raw: Value,
}

/// One movement of `GET /v2/accounts/{id}/transactions`.
///
/// The reference's example lists deposits (`"amount": 10, "description": "Abono"`)
/// and fees as negative amounts (`-0.1`, `"Comisión fija por operación"`), all with
/// `"status": "paid"` and `date` as a string of epoch seconds. Those six fields are
/// typed (all optional); the status is kept as text because no list of values is
/// documented. Everything else is in [`AccountTransaction::raw`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AccountTransaction {
    /// The movement's id.
    #[serde(default, deserialize_with = "wire::lenient_string::deserialize_option")]
    pub id: Option<String>,
    /// When it happened.
    #[serde(default, deserialize_with = "wire::epoch::deserialize_option")]
    pub date: Option<OffsetDateTime>,
    /// The amount (MXN), exact; negative for fees and withdrawals.
    #[serde(default, deserialize_with = "wire::amount::deserialize_option")]
    pub amount: Option<Decimal>,
    /// The status as sent (`paid`).
    #[serde(default)]
    pub status: Option<String>,
    /// What it is (`Abono`, `Comisión fija por operación`).
    #[serde(default)]
    pub description: Option<String>,
    /// The transfer's tracking reference.
    #[serde(default, deserialize_with = "wire::lenient_string::deserialize_option")]
    pub reference: Option<String>,
    /// The item's JSON as received.
    #[serde(skip)]
    pub raw: Value,
}

macro_rules! with_raw {
    ($($ty:ty),*) => {$(
        impl WithRaw for $ty {
            fn set_raw(&mut self, raw: Value) {
                self.raw = raw;
            }
        }
    )*};
}

with_raw!(AccountSummary, SubAccount, AccountTransaction);

impl CompropagoClient {
    /// Creates an account with a CLABE (`POST /v2/createAccount`).
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] before sending (see [`CreateAccount::validate`]);
    /// otherwise see [`pagos_core::Error`].
    pub async fn create_account(&self, request: &CreateAccount) -> Result<Account> {
        request.validate()?;
        let http = self
            .request(Method::POST, &["createAccount"], "create_account")?
            .json(&AccountBody::from(request))?;
        let reference = &request.reference;
        let hint = || {
            format!(
                "look for reference {reference:?} with list_accounts before creating the account again"
            )
        };
        let response = self.send(http).await.map_err(|e| with_hint(e, hint))?;
        envelope::one(&response, Shape::Wrapped).map_err(|e| with_hint(e, hint))
    }

    /// Lists the merchant's accounts (`GET /v2/accounts`).
    ///
    /// # Errors
    /// See [`pagos_core::Error`].
    pub async fn list_accounts(&self) -> Result<Vec<AccountSummary>> {
        let request = self.request(Method::GET, &["accounts"], "list_accounts")?;
        let response = self.send(request).await?;
        envelope::list(&response)
    }

    /// Lists an account's sub-accounts and their CLABEs (`GET /v2/accounts/{id}`).
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `account_id` when it is blank or would
    /// change the path (see [`validate::path_id`]); otherwise see
    /// [`pagos_core::Error`].
    pub async fn list_subaccounts(&self, account_id: &str) -> Result<Vec<SubAccount>> {
        validate::path_id("account_id", account_id)?;
        let request = self.request(Method::GET, &["accounts", account_id], "list_subaccounts")?;
        let response = self.send(request).await?;
        envelope::list(&response)
    }

    /// Lists the movements of an account (`GET /v2/accounts/{id}/transactions`),
    /// optionally only those of one CLABE (`?clabe=`).
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `account_id` when it is blank or would
    /// change the path (see [`validate::path_id`]), or on `clabe` when it is not a
    /// valid CLABE (18 digits, check digit); otherwise see [`pagos_core::Error`].
    pub async fn account_transactions(
        &self,
        account_id: &str,
        clabe: Option<&str>,
    ) -> Result<Vec<AccountTransaction>> {
        validate::path_id("account_id", account_id)?;
        let mut request = self.request(
            Method::GET,
            &["accounts", account_id, "transactions"],
            "account_transactions",
        )?;
        if let Some(clabe) = clabe {
            validate::clabe("clabe", clabe)?;
            request = request.query(&[("clabe", clabe)]);
        }
        let response = self.send(request).await?;
        envelope::list(&response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_shape() {
        let r = CreateAccount::new(
            "Alamedas de Espana",
            "153",
            AccountCustomer::new("CONDOVIVE_1234", "waldix86@gmail.com").phone("5555555555"),
        );
        assert_eq!(
            serde_json::to_string(&AccountBody::from(&r)).unwrap(),
            r#"{"name":"Alamedas de Espana","reference":"153","customer":{"name":"CONDOVIVE_1234","email":"waldix86@gmail.com","phone":"5555555555"}}"#
        );
    }

    #[test]
    fn validation() {
        let ok = CreateAccount::new("A", "1", AccountCustomer::new("B", "b@c.mx"));
        assert!(ok.validate().is_ok());
        let field = |r: CreateAccount| r.validate().unwrap_err().field().to_string();
        let mut r = ok.clone();
        r.name = " ".into();
        assert_eq!(field(r), "name");
        let mut r = ok.clone();
        r.reference = String::new();
        assert_eq!(field(r), "reference");
        let mut r = ok.clone();
        r.customer.id = Some(String::new());
        assert_eq!(field(r), "customer.id");
        let mut r = ok.clone();
        r.customer.name = String::new();
        assert_eq!(field(r), "customer.name");
        // The API v2 reference's placeholder phone "6666" is not a Mexican number.
        let mut r = ok;
        r.customer.phone = Some("6666".into());
        assert_eq!(field(r), "customer.phone");
    }
}
