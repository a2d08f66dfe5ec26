//! `GET /v3/banks`: the banks usable to pay this collection account.

use std::fmt;

use pagos_core::endpoint::{Endpoint, Page};
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{BaseUrl, Raw, Request, Response, Result};

use super::{KhipuV3Client, bare_request, parse_json};
use crate::banks::{BankItem, BanksResponse};

/// `GET /v3/banks`, as one [`Page`] (the list is not paginated). The items are the
/// same [`BankItem`]s API 2.0 returns (`min_amount` exact).
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
        bare_request(Method::GET, base.join(&["v3", "banks"])?, Self::OPERATION)
    }

    fn parse(&self, response: &Response) -> Result<Page<BankItem>> {
        let (answer, raw): (BanksResponse, Raw) = parse_json(response)?;
        Ok(Page::new(answer.banks, false, raw))
    }
}

/// The banks resource. Get one with [`KhipuV3Client::banks`].
#[derive(Clone, Copy)]
pub struct Banks<'a> {
    client: &'a KhipuV3Client,
}

impl fmt::Debug for Banks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Banks")
    }
}

impl<'a> Banks<'a> {
    pub(crate) fn new(client: &'a KhipuV3Client) -> Self {
        Banks { client }
    }

    /// [`ListBanks`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn list(&self) -> Result<Page<BankItem>> {
        self.client.run(&ListBanks::new()).await
    }
}
