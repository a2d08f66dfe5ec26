//! Accounts with CLABE sub-accounts: [`CreateAccount`] (`POST /v2/createAccount`),
//! [`ListAccounts`] (`GET /v2/accounts`), [`ListSubaccounts`]
//! (`GET /v2/accounts/{id}`) and [`ListAccountTransactions`]
//! (`GET /v2/accounts/{id}/transactions`), run through [`Accounts`]
//! (`client.accounts()`).
//!
//! Only `createAccount` is in the ComproPago API v2 reference. The three `GET` endpoints
//! come from ComproPago's public documentation and official SDKs; their answers are
//! modelled on the examples in ComproPago's own published API reference (the
//! `compropago/slate` documentation repository, sections "Listar cuentas", "Listar
//! subcuentas" and "Listar transacciones recibidas en la subcuenta"). Only the fields
//! shown there are typed, every one optional; each item keeps its JSON in `raw` for
//! anything else. None of the listings is paged: each returns one [`Page`] with
//! `has_more == false`.

use pagos_core::endpoint::{Endpoint, PageRequest};
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{
    BaseUrl, Decimal, Page, PaymentInstructions, Raw, Request, Response, Result, ValidationError,
    validate,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::clabe::ClabeDetails;
use crate::client::CompropagoClient;
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
    /// Phone for SMS instructions (`customer.phone`): 10 digits in any common form, sent
    /// as the 10-digit national number, or plain digits sent as written (see
    /// the `phone` field of [`Customer`](crate::Customer)).
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

    /// Sets the phone number (`5512345678`, `+52 55 1234 5678`, `"6666"`...); see the
    /// `phone` field for what is sent and what is refused.
    #[must_use]
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }
}

/// `POST /v2/createAccount`: creates an account with a CLABE (ComproPago API v2
/// reference, "createAccount"). The endpoint value is the request; run it with
/// [`Accounts::create`]. Sent once ([`Idempotency::NonIdempotent`]).
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

    /// Checks the request; the endpoint's `request` calls it, so nothing invalid is sent.
    ///
    /// # Errors
    /// A [`ValidationError`] naming `name`, `reference`, `customer.id` (blank when
    /// set), `customer.name`, `customer.email` or `customer.phone` (not a Mexican number).
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
    phone: Option<std::borrow::Cow<'a, str>>,
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
                phone: r.customer.phone.as_deref().map(checks::phone_wire),
            },
        }
    }
}

/// An account created by [`CreateAccount`].
///
/// The API v2 reference's example carries no CLABE in `payment`; ComproPago's later
/// reference does (`payment.clabe`), so it is optional. Decode from bytes or text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// The account's JSON exactly as received: the envelope's `data`, byte for byte.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl WithRaw for Account {
    fn set_raw(&mut self, raw: Raw) {
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AccountSummary {
    /// ComproPago's account id (a number, sent as text here), for
    /// [`Accounts::subaccounts`].
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
    /// The item's JSON exactly as received, byte for byte.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl AccountSummary {
    /// The id to pass to [`Accounts::subaccounts`]: `id`, else `accountId`.
    pub fn key(&self) -> Option<&str> {
        self.id.as_deref().or(self.account_id.as_deref())
    }
}

/// One sub-account of `GET /v2/accounts/{id}`: a name and its CLABE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The item's JSON exactly as received, byte for byte.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// One movement of `GET /v2/accounts/{id}/transactions`.
///
/// The reference's example lists deposits (`"amount": 10, "description": "Abono"`)
/// and fees as negative amounts (`-0.1`, `"Comisión fija por operación"`), all with
/// `"status": "paid"` and `date` as a string of epoch seconds. Those six fields are
/// typed (all optional); the status is kept as text because no list of values is
/// documented. Everything else is in [`AccountTransaction::raw`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountTransaction {
    /// The movement's id.
    #[serde(default, deserialize_with = "wire::lenient_string::deserialize_option")]
    pub id: Option<String>,
    /// When it happened.
    #[serde(
        default,
        deserialize_with = "wire::epoch::deserialize_option",
        serialize_with = "wire::epoch::serialize_option_rfc3339"
    )]
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
    /// The item's JSON exactly as received, byte for byte.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

macro_rules! with_raw {
    ($($ty:ty),*) => {$(
        impl WithRaw for $ty {
            fn set_raw(&mut self, raw: Raw) {
                self.raw = raw;
            }
        }
    )*};
}

with_raw!(AccountSummary, SubAccount, AccountTransaction);

impl Endpoint for CreateAccount {
    type Output = Account;
    const OPERATION: &'static str = "create_account";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// `POST {base}/v2/createAccount` with the JSON body of the API v2 reference.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] (see [`CreateAccount::validate`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        self.validate()?;
        Ok(Request::new(
            Method::POST,
            base.join(&["v2", "createAccount"])?,
            Self::OPERATION,
        )
        .header("accept", "application/json")?
        .json(&AccountBody::from(self))?)
    }

    /// The account in the envelope's `data`.
    ///
    /// # Errors
    /// [`pagos_core::Error::OutcomeUnknown`] when the answer cannot be read.
    fn parse(&self, response: &Response) -> Result<Account> {
        envelope::one(response, Shape::Wrapped)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(format!(
            "look for reference {:?} with accounts().list() before creating the account again",
            self.reference
        ))
    }
}

/// `GET /v2/accounts`: the merchant's accounts (ComproPago's published API
/// reference, "Listar cuentas"). Run it with [`Accounts::list`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListAccounts {}

impl ListAccounts {
    /// Every account of the merchant.
    pub fn new() -> Self {
        ListAccounts {}
    }
}

impl Endpoint for ListAccounts {
    type Output = Page<AccountSummary>;
    const OPERATION: &'static str = "list_accounts";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    /// `GET {base}/v2/accounts`.
    ///
    /// # Errors
    /// None in practice (the path is fixed).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        Ok(Request::new(
            Method::GET,
            base.join(&["v2", "accounts"])?,
            Self::OPERATION,
        )
        .header("accept", "application/json")?)
    }

    /// The accounts in the envelope's `data`, one page.
    ///
    /// # Errors
    /// [`pagos_core::Error::OutcomeUnknown`] when the answer cannot be read.
    fn parse(&self, response: &Response) -> Result<Page<AccountSummary>> {
        envelope::list(response)
    }
}

impl PageRequest for ListAccounts {
    type Item = AccountSummary;

    /// `None`: ComproPago returns every account at once.
    fn next_page(&self, _page: &Page<AccountSummary>) -> Option<Self> {
        None
    }
}

/// `GET /v2/accounts/{id}`: an account's sub-accounts and their CLABEs (ComproPago's
/// published API reference, "Listar subcuentas"). Run it with
/// [`Accounts::subaccounts`].
///
/// ```
/// use pagos_compropago::ListSubaccounts;
/// use pagos_core::BaseUrl;
///
/// let base = BaseUrl::parse("https://api.compropago.com")?;
/// let request = pagos_core::endpoint::describe(&ListSubaccounts::new("170"), &base)?;
/// assert_eq!(request.url().path(), "/v2/accounts/170");
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListSubaccounts {
    /// The account id ([`AccountSummary::key`]).
    pub account_id: String,
}

impl ListSubaccounts {
    /// The sub-accounts of `account_id`.
    pub fn new(account_id: impl Into<String>) -> Self {
        ListSubaccounts {
            account_id: account_id.into(),
        }
    }
}

impl Endpoint for ListSubaccounts {
    type Output = Page<SubAccount>;
    const OPERATION: &'static str = "list_subaccounts";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    /// `GET {base}/v2/accounts/{id}`.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `account_id` when it is blank or would
    /// change the path (see [`validate::path_id`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        validate::path_id("account_id", &self.account_id)?;
        Ok(Request::new(
            Method::GET,
            base.join(&["v2", "accounts", &self.account_id])?,
            Self::OPERATION,
        )
        .header("accept", "application/json")?)
    }

    /// The sub-accounts in the envelope's `data`, one page.
    ///
    /// # Errors
    /// [`pagos_core::Error::OutcomeUnknown`] when the answer cannot be read.
    fn parse(&self, response: &Response) -> Result<Page<SubAccount>> {
        envelope::list(response)
    }
}

impl PageRequest for ListSubaccounts {
    type Item = SubAccount;

    /// `None`: ComproPago returns every sub-account at once.
    fn next_page(&self, _page: &Page<SubAccount>) -> Option<Self> {
        None
    }
}

/// `GET /v2/accounts/{id}/transactions`: an account's movements, optionally only those
/// of one CLABE (`?clabe=`; ComproPago's published API reference, "Listar
/// transacciones recibidas en la subcuenta"). Run it with [`Accounts::transactions`].
///
/// ```
/// use pagos_compropago::ListAccountTransactions;
/// use pagos_core::BaseUrl;
///
/// let base = BaseUrl::parse("https://api.compropago.com")?;
/// let all = ListAccountTransactions::new("186");
/// let one_clabe = all.clone().clabe("646180146400237132");
/// let request = pagos_core::endpoint::describe(&one_clabe, &base)?;
/// assert_eq!(request.url().path(), "/v2/accounts/186/transactions");
/// assert_eq!(request.query_str(), Some("clabe=646180146400237132"));
/// assert_eq!(pagos_core::endpoint::describe(&all, &base)?.query_str(), None);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListAccountTransactions {
    /// The account id.
    pub account_id: String,
    /// Only the movements of this CLABE (`?clabe=`).
    pub clabe: Option<String>,
}

impl ListAccountTransactions {
    /// Every movement of `account_id`.
    pub fn new(account_id: impl Into<String>) -> Self {
        ListAccountTransactions {
            account_id: account_id.into(),
            clabe: None,
        }
    }

    /// Only the movements of `clabe` (18 digits, checked before sending).
    #[must_use]
    pub fn clabe(mut self, clabe: impl Into<String>) -> Self {
        self.clabe = Some(clabe.into());
        self
    }
}

impl Endpoint for ListAccountTransactions {
    type Output = Page<AccountTransaction>;
    const OPERATION: &'static str = "account_transactions";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    /// `GET {base}/v2/accounts/{id}/transactions[?clabe=…]`.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `account_id` when it is blank or would
    /// change the path (see [`validate::path_id`]), or on `clabe` when it is not a
    /// valid CLABE (18 digits, check digit).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        validate::path_id("account_id", &self.account_id)?;
        let mut request = Request::new(
            Method::GET,
            base.join(&["v2", "accounts", &self.account_id, "transactions"])?,
            Self::OPERATION,
        )
        .header("accept", "application/json")?;
        if let Some(clabe) = &self.clabe {
            validate::clabe("clabe", clabe)?;
            request = request.query(&[("clabe", clabe)]);
        }
        Ok(request)
    }

    /// The movements in the envelope's `data`, one page.
    ///
    /// # Errors
    /// [`pagos_core::Error::OutcomeUnknown`] when the answer cannot be read.
    fn parse(&self, response: &Response) -> Result<Page<AccountTransaction>> {
        envelope::list(response)
    }
}

impl PageRequest for ListAccountTransactions {
    type Item = AccountTransaction;

    /// `None`: ComproPago returns every movement at once.
    fn next_page(&self, _page: &Page<AccountTransaction>) -> Option<Self> {
        None
    }
}

/// ComproPago's accounts: `client.accounts()`.
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    client: &'a CompropagoClient,
}

impl<'a> Accounts<'a> {
    pub(crate) fn new(client: &'a CompropagoClient) -> Self {
        Accounts { client }
    }

    /// Creates an account with a CLABE ([`CreateAccount`], `POST /v2/createAccount`).
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] before sending (see [`CreateAccount::validate`]);
    /// otherwise see [`CompropagoClient::run`].
    pub async fn create(&self, request: &CreateAccount) -> Result<Account> {
        self.client.run(request).await
    }

    /// Lists the merchant's accounts ([`ListAccounts`], `GET /v2/accounts`).
    ///
    /// # Errors
    /// See [`CompropagoClient::run`].
    pub async fn list(&self) -> Result<Page<AccountSummary>> {
        self.client.run(&ListAccounts::new()).await
    }

    /// Lists an account's sub-accounts and their CLABEs ([`ListSubaccounts`],
    /// `GET /v2/accounts/{id}`).
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `account_id` when it is blank or would
    /// change the path (see [`validate::path_id`]); otherwise see
    /// [`CompropagoClient::run`].
    pub async fn subaccounts(&self, account_id: &str) -> Result<Page<SubAccount>> {
        self.client.run(&ListSubaccounts::new(account_id)).await
    }

    /// Lists the movements of an account ([`ListAccountTransactions`],
    /// `GET /v2/accounts/{id}/transactions`), optionally only those of one CLABE.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `account_id` when it is blank or would
    /// change the path (see [`validate::path_id`]), or on `clabe` when it is not a
    /// valid CLABE (18 digits, check digit); otherwise see [`CompropagoClient::run`].
    pub async fn transactions(
        &self,
        account_id: &str,
        clabe: Option<&str>,
    ) -> Result<Page<AccountTransaction>> {
        self.client
            .run(&ListAccountTransactions {
                account_id: account_id.to_string(),
                clabe: clabe.map(str::to_string),
            })
            .await
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
        // The API v2 reference's own example phone "6666" is accepted as is...
        let mut r = ok.clone();
        r.customer.phone = Some("6666".into());
        assert!(r.validate().is_ok());
        // ...another country's number is not.
        let mut r = ok;
        r.customer.phone = Some("+51 987 654 321".into());
        assert_eq!(field(r), "customer.phone");
    }
}
