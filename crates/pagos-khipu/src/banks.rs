//! Banks: `GET /banks` ("Obtener listado de bancos", `banksGet` in Khipu's REST API
//! 2.0 reference).

use futures_util::stream::BoxStream;
use pagos_core::endpoint::{Endpoint, Page, PageRequest};
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{BaseUrl, Decimal, Raw, Request, Response, Result};
use serde::{Deserialize, Serialize};

use crate::client::KhipuClient;
use crate::de;
use crate::request::form_request;

/// The banks that can pay this receiver (`BanksResponse` in Khipu's REST API 2.0
/// reference). [`ListBanks`] returns its banks as a [`Page`]; this type decodes the
/// answer on its own (e.g. a recorded one).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BanksResponse {
    /// The banks.
    #[serde(default, deserialize_with = "de::null_as_default")]
    pub banks: Vec<BankItem>,
    /// Khipu's answer exactly as received (`null` for a value decoded by hand).
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// One bank (`BankItem` in the API reference).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
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

/// `GET /banks`: the banks that can pay this receiver, as one [`Page`] (Khipu does not
/// paginate the list: `has_more` is always `false`, and the page's `raw` is the whole
/// answer).
///
/// ```
/// use pagos_core::{Endpoint, Response};
/// use pagos_khipu::banks::ListBanks;
///
/// let body = r#"{"banks":[{"bank_id":"SDdGj","name":"Banco Estado","min_amount":1000.00}]}"#;
/// let page = ListBanks::new().parse(&Response::new("khipu", ListBanks::OPERATION, 200, body))?;
/// assert_eq!(page.items[0].bank_id, "SDdGj");
/// assert!(!page.has_more);
/// assert_eq!(page.raw.get(), body);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct ListBanks {
    _private: (),
}

impl ListBanks {
    /// Lists the banks.
    pub fn new() -> Self {
        ListBanks::default()
    }
}

impl Endpoint for ListBanks {
    type Output = Page<BankItem>;
    const OPERATION: &'static str = "list_banks";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let none: &[(&str, &str)] = &[];
        let url = base.join(&["banks"])?;
        Ok(form_request(Method::GET, url, Self::OPERATION, none, none)?)
    }

    fn parse(&self, response: &Response) -> Result<Page<BankItem>> {
        let (answer, raw): (BanksResponse, Raw) = response.json_with_raw()?;
        Ok(Page::new(answer.banks, false, raw))
    }
}

impl PageRequest for ListBanks {
    type Item = BankItem;

    /// Never a next page: the list comes whole.
    fn next_page(&self, _page: &Page<BankItem>) -> Option<Self> {
        None
    }
}

/// The banks resource. Get one with [`KhipuClient::banks`].
#[derive(Debug, Clone, Copy)]
pub struct Banks<'a> {
    client: &'a KhipuClient,
}

impl<'a> Banks<'a> {
    pub(crate) fn new(client: &'a KhipuClient) -> Self {
        Banks { client }
    }

    /// Lists the banks that can pay this receiver ([`ListBanks`]).
    ///
    /// # Errors
    /// See [`pagos_core::Error`].
    pub async fn list(&self) -> Result<Page<BankItem>> {
        self.client.run(&ListBanks::new()).await
    }

    /// The banks one at a time ([`ListBanks`] through
    /// [`Executor::stream`](pagos_core::Executor::stream)): one request, since Khipu
    /// sends the list whole. The stream ends after the last bank or the first error.
    pub fn stream(&self) -> BoxStream<'static, Result<BankItem>> {
        self.client.executor().stream(ListBanks::new())
    }
}
