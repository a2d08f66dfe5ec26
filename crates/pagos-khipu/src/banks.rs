//! Banks: `GET /banks`.

use pagos_core::transport::Method;
use pagos_core::{Decimal, Error, Request};
use serde::Deserialize;

use crate::client::KhipuClient;
use crate::de;

/// The banks that can pay this receiver (`BanksResponse` in Khipu's REST API 2.0
/// reference).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BanksResponse {
    /// The banks.
    #[serde(default, deserialize_with = "de::null_as_default")]
    pub banks: Vec<BankItem>,
}

/// One bank (`BankItem` in the API reference).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BankItem {
    /// The bank's id (use it as `bank_id` when creating a payment).
    pub bank_id: String,
    /// The bank's name.
    #[serde(default)]
    pub name: Option<String>,
    /// Particularities of the bank (fees, limits).
    #[serde(default)]
    pub message: Option<String>,
    /// The smallest amount the bank accepts in a payment.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub min_amount: Option<Decimal>,
    /// The kind of bank (`Persona`, `Empresa`).
    #[serde(default, rename = "type")]
    pub bank_type: Option<String>,
    /// The parent bank's id (a business bank's personal-banking parent), often empty.
    #[serde(default)]
    pub parent: Option<String>,
    /// The bank's logo (not in the API reference; Khipu sends it).
    #[serde(default)]
    pub logo_url: Option<String>,
}

/// The banks endpoint. Get one with [`KhipuClient::banks`].
#[derive(Debug, Clone, Copy)]
pub struct Banks<'a> {
    client: &'a KhipuClient,
}

impl<'a> Banks<'a> {
    pub(crate) fn new(client: &'a KhipuClient) -> Self {
        Banks { client }
    }

    /// Describes `GET /banks`.
    ///
    /// # Errors
    /// Never in practice (the request is built from checked settings).
    pub fn prepare_list(&self) -> Result<Request, Error> {
        self.client
            .signed_request(Method::GET, &["banks"], "list_banks", &[], &[])
    }

    /// Lists the banks that can pay this receiver (`GET /banks`).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list(&self) -> Result<BanksResponse, Error> {
        let (banks, _) = self.client.execute_json(self.prepare_list()?).await?;
        Ok(banks)
    }
}
