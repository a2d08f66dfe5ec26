//! Cash-out: transfers to a CVU/CBU or alias (`POST v2/payment/cashout`), their
//! vouchers (`GET v2/payment/cashout/{id}`) and the transfer concepts
//! (`GET v2/payment/concepts`).
//!
//! | endpoint | call | idempotency | handle method |
//! |---|---|---|---|
//! | [`CreateCashout`] | `POST v2/payment/cashout` | keyed (`reference_id`) | [`CashoutsHandle::create`] |
//! | [`GetCashoutVoucher`] | `GET v2/payment/cashout/{id}` | read | [`CashoutsHandle::voucher`] |
//! | [`ListConcepts`] | `GET v2/payment/concepts` | read | [`CashoutsHandle::concepts`] |
//!
//! # Safe retries
//! `reference_id` is unique per transfer, and TelePagos documents that repeating a
//! transfer with the same data and the same `reference_id` is how to retry it or learn
//! its result. A cash-out is therefore sent as an idempotent request: on a timeout, a
//! lost connection or a 408/429/5xx the transport sends it again, always with the
//! byte-identical body. Other `POST`s of this API carry no such reference and are sent
//! once.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use pagos_core::endpoint::{Endpoint, Page, unreadable};
use pagos_core::transport::{Idempotency, Method, Request};
use pagos_core::{
    BankAccount, BaseUrl, Money, PayoutStatus, Raw, Response, Result, ValidationError, validate,
};
use serde::{Deserialize, Serialize};

use crate::client::TelepagosClient;
use crate::wire::{WireAmount, lenient_id};

/// A transfer concept: the BCRA motive code of a transfer.
///
/// The authoritative list is `GET v2/payment/concepts`
/// ([`CashoutsHandle::concepts`]); the variants are the motives TelePagos's public
/// documentation lists,
/// and [`Concept::Other`] sends any other code as given.
///
/// ```
/// use pagos_telepagos::Concept;
/// assert_eq!(Concept::default(), Concept::Var);
/// assert_eq!("hon".parse::<Concept>().unwrap(), Concept::Hon);
/// assert_eq!(Concept::Other("XYZ".into()).code(), "XYZ");
/// assert!("rent".parse::<Concept>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Concept {
    /// `ALQ`: rent (alquiler).
    Alq,
    /// `CUO`: instalment (cuota).
    Cuo,
    /// `EXP`: building expenses (expensas).
    Exp,
    /// `FAC`: invoice (factura).
    Fac,
    /// `PRE`: loan (préstamo).
    Pre,
    /// `SEG`: insurance (seguro).
    Seg,
    /// `HON`: fees (honorarios).
    Hon,
    /// `HAB`: salaries (haberes).
    Hab,
    /// `VAR`: miscellaneous (varios), the default.
    #[default]
    Var,
    /// Any other code, sent as given (e.g. one `GET v2/payment/concepts` lists that
    /// this crate does not know).
    Other(String),
}

impl Concept {
    /// The motives TelePagos's public documentation lists, in its order.
    pub const KNOWN: [Concept; 9] = [
        Concept::Alq,
        Concept::Cuo,
        Concept::Exp,
        Concept::Fac,
        Concept::Pre,
        Concept::Seg,
        Concept::Hon,
        Concept::Hab,
        Concept::Var,
    ];

    /// The code sent as `concept`, e.g. `"VAR"`.
    pub fn code(&self) -> &str {
        match self {
            Concept::Alq => "ALQ",
            Concept::Cuo => "CUO",
            Concept::Exp => "EXP",
            Concept::Fac => "FAC",
            Concept::Pre => "PRE",
            Concept::Seg => "SEG",
            Concept::Hon => "HON",
            Concept::Hab => "HAB",
            Concept::Var => "VAR",
            Concept::Other(code) => code,
        }
    }

    fn validate(&self) -> std::result::Result<(), ValidationError> {
        match self {
            Concept::Other(code) => validate::non_empty("concept", code),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Concept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Concept {
    type Err = ValidationError;

    /// Parses one of the known codes, ignoring case and surrounding white space. Any
    /// other code is refused: use [`Concept::Other`] to send it anyway.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let code = s.trim();
        Concept::KNOWN
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
            .ok_or_else(|| {
                ValidationError::new(
                    "concept",
                    format!(
                        "{code:?} is not a BCRA transfer motive (ALQ, CUO, EXP, FAC, PRE, SEG, HON, HAB, VAR); \
                         use Concept::Other for a code listed by GET v2/payment/concepts"
                    ),
                )
            })
    }
}

/// A transfer to a CVU/CBU or an alias.
///
/// Built with [`CashoutRequest::builder`]; [`CreateCashout`] checks it again before
/// sending.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_telepagos::{CashoutRequest, Concept};
///
/// let req = CashoutRequest::builder(Money::parse("1500.5", Currency::Ars)?, "20-26756539-3", "payout-0001")
///     .cvu("2850590940090418135201")
///     .concept(Concept::Hon)
///     .description("Honorarios marzo")
///     .build()?;
/// assert_eq!(req.reference_id, "payout-0001");
///
/// // Exactly one of cvu or alias.
/// let both = CashoutRequest::builder(Money::parse("1", Currency::Ars)?, "20267565393", "r")
///     .cvu("2850590940090418135201")
///     .alias("mi.alias.mp")
///     .build();
/// assert_eq!(both.unwrap_err().validation_field(), Some("alias"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CashoutRequest {
    /// The destination CVU or CBU (22 digits, check digits verified).
    pub cvu: Option<String>,
    /// The destination alias (6 to 20 letters, digits, `.` or `-`).
    pub alias: Option<String>,
    /// The beneficiary's CUIT/CUIL; hyphens are accepted and removed before sending.
    pub cuit: String,
    /// How much, in ARS.
    pub amount: Money,
    /// Your unique id for this transfer; repeat it (with the same data) to retry.
    pub reference_id: String,
    /// The BCRA motive (default `VAR`).
    pub concept: Concept,
    /// A description the beneficiary sees; not sent when absent or blank. The TelePagos
    /// API lists `description` among the cash-out's fields without marking any of them
    /// required, and the same list holds `cvu` and `alias`, of which only one may be
    /// sent: a listed field may be absent.
    pub description: Option<String>,
}

impl CashoutRequest {
    /// Starts a builder with the required fields; then set [`cvu`](CashoutRequestBuilder::cvu)
    /// or [`alias`](CashoutRequestBuilder::alias).
    pub fn builder(
        amount: Money,
        cuit: impl Into<String>,
        reference_id: impl Into<String>,
    ) -> CashoutRequestBuilder {
        CashoutRequestBuilder {
            inner: CashoutRequest {
                cvu: None,
                alias: None,
                cuit: cuit.into(),
                amount,
                reference_id: reference_id.into(),
                concept: Concept::default(),
                description: None,
            },
        }
    }

    /// Checks the request as TelePagos needs it.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field: `cvu` when neither `cvu` nor
    /// `alias` is set, `alias` when both are, then `cvu`/`alias` format, `cuit`,
    /// `amount` (ARS, positive, at most two decimals), `reference_id` (not blank),
    /// `concept`.
    pub fn validate(&self) -> std::result::Result<(), ValidationError> {
        self.wire().map(|_| ())
    }

    /// The body exactly as sent. Building it is the validation, so the two never differ.
    fn wire(&self) -> std::result::Result<CashoutWire<'_>, ValidationError> {
        match (&self.cvu, &self.alias) {
            (None, None) => {
                return Err(ValidationError::new(
                    "cvu",
                    "a cash-out needs a destination: set cvu or alias",
                ));
            }
            (Some(_), Some(_)) => {
                return Err(ValidationError::new(
                    "alias",
                    "set cvu or alias, not both (TelePagos takes exactly one)",
                ));
            }
            (Some(cvu), None) => validate::cbu("cvu", cvu)?,
            (None, Some(alias)) => BankAccount::Alias(alias.clone())
                .validate()
                .map_err(|e| e.for_field("alias"))?,
        }
        validate::cuit("cuit", &self.cuit)?;
        let amount = WireAmount::new("amount", &self.amount)?;
        validate::non_empty("reference_id", &self.reference_id)?;
        self.concept.validate()?;
        Ok(CashoutWire {
            cvu: self.cvu.as_deref(),
            alias: self.alias.as_deref(),
            // The TelePagos API only says `"cuit": string`. It is sent normalized, as its
            // 11 digits without hyphens: the form the check digit is defined on, whereas
            // `20-26756539-3` is only a display convention.
            cuit: validate::normalize_cuit(self.cuit.trim()),
            amount,
            reference_id: &self.reference_id,
            concept: self.concept.code(),
            // Omitted when absent or blank: the beneficiary sees the description, and
            // an internal id is no description.
            description: self.description.as_deref().filter(|d| !d.trim().is_empty()),
        })
    }
}

/// Builder for [`CashoutRequest`].
#[derive(Debug, Clone)]
#[must_use]
pub struct CashoutRequestBuilder {
    inner: CashoutRequest,
}

impl CashoutRequestBuilder {
    /// Sends to this CVU or CBU.
    pub fn cvu(mut self, cvu: impl Into<String>) -> Self {
        self.inner.cvu = Some(cvu.into());
        self
    }
    /// Sends to this alias.
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.inner.alias = Some(alias.into());
        self
    }
    /// Sets the concept (default [`Concept::Var`]).
    pub fn concept(mut self, concept: Concept) -> Self {
        self.inner.concept = concept;
        self
    }
    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.inner.description = Some(description.into());
        self
    }

    /// Checks the request and returns it.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] as [`CashoutRequest::validate`] describes.
    pub fn build(self) -> Result<CashoutRequest> {
        self.inner.validate()?;
        Ok(self.inner)
    }
}

#[derive(Debug, Serialize)]
struct CashoutWire<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    cvu: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<&'a str>,
    cuit: String,
    amount: WireAmount,
    reference_id: &'a str,
    concept: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

/// TelePagos' answer to a cash-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CashoutReceipt {
    /// The answer's `status` (`"ok"` on success).
    #[serde(default)]
    pub status: Option<String>,
    /// TelePagos' id of the transfer, for [`CashoutsHandle::voucher`].
    #[serde(deserialize_with = "lenient_id::deserialize")]
    pub id: String,
    /// The answer as TelePagos sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl CashoutReceipt {
    /// The transfer's state as this answer states it: `"ok"` (or no `status`) means
    /// accepted, [`PayoutStatus::Processing`]; a state the
    /// [table](crate::status) knows is that state; any other text is
    /// [`PayoutStatus::Unknown`].
    ///
    /// ```
    /// use pagos_core::PayoutStatus;
    /// let receipt: pagos_telepagos::CashoutReceipt =
    ///     serde_json::from_str(r#"{"status":"ok","id":98765}"#).unwrap();
    /// assert_eq!(receipt.payout_status(), PayoutStatus::Processing);
    /// ```
    pub fn payout_status(&self) -> PayoutStatus {
        crate::status::cashout_accepted(self.status.as_deref())
    }
}

/// A cash-out's voucher (comprobante).
///
/// Serialized without `pdf`: its `raw` holds the document as TelePagos sent it
/// (base64 in `voucher`).
#[derive(Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Voucher {
    /// The answer's `status`.
    pub status: Option<String>,
    /// The voucher document (a PDF), decoded from base64; empty when the answer
    /// carried none.
    #[serde(skip)]
    pub pdf: Vec<u8>,
    /// The answer as TelePagos sent it.
    pub raw: Raw,
}

impl Voucher {
    /// The transfer's state, read from the answer's `status` through the
    /// [table](crate::status): `"ok"` with the receipt is [`PayoutStatus::Succeeded`],
    /// `"ok"` without one [`PayoutStatus::Processing`]; any other status decides
    /// alone, because a refused transfer can have a voucher too (`"rechazada"` is
    /// [`PayoutStatus::Failed`] with or without it) and unknown text is `Unknown`.
    ///
    /// ```
    /// use pagos_core::PayoutStatus;
    /// use pagos_telepagos::Voucher;
    /// let refused = Voucher::new(Some("rechazada".into()), b"%PDF-1.4".to_vec());
    /// assert_eq!(refused.payout_status(), PayoutStatus::Failed);
    /// let served = Voucher::new(Some("ok".into()), b"%PDF-1.4".to_vec());
    /// assert_eq!(served.payout_status(), PayoutStatus::Succeeded);
    /// let odd = Voucher::new(Some("en_revision".into()), b"%PDF-1.4".to_vec());
    /// assert_eq!(odd.payout_status(), PayoutStatus::Unknown("en_revision".into()));
    /// ```
    pub fn payout_status(&self) -> PayoutStatus {
        crate::status::looked_up_payout(self.status.as_deref(), !self.pdf.is_empty())
    }

    /// A voucher as TelePagos answers it: the `status` text and the decoded document
    /// (its `raw` is `null`: it was built by hand).
    ///
    /// ```
    /// let v = pagos_telepagos::Voucher::new(Some("ok".into()), Vec::new());
    /// assert!(v.pdf.is_empty());
    /// assert!(v.raw.is_null());
    /// ```
    pub fn new(status: Option<String>, pdf: Vec<u8>) -> Self {
        Voucher {
            status,
            pdf,
            raw: Raw::null(),
        }
    }
}

impl fmt::Debug for Voucher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The document (and its base64 in the raw answer) would flood any log.
        f.debug_struct("Voucher")
            .field("status", &self.status)
            .field("pdf_len", &self.pdf.len())
            .field("raw_len", &self.raw.get().len())
            .finish()
    }
}

#[derive(Deserialize)]
struct VoucherWire {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    voucher: Option<String>,
}

/// Decodes the `voucher` text: standard base64, padding optional, line breaks and a
/// `data:application/pdf;base64,` prefix tolerated.
pub(crate) fn decode_voucher(text: &str) -> std::result::Result<Vec<u8>, base64::DecodeError> {
    let text = text.trim();
    let text = match text.split_once(";base64,") {
        Some((prefix, rest)) if prefix.starts_with("data:") => rest,
        _ => text,
    };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    const ENGINE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    ENGINE.decode(compact)
}

/// `POST v2/payment/cashout`: sends money to a CVU/CBU or alias.
///
/// [`Idempotency::Keyed`]: the request carries `reference_id`, so the transport may
/// repeat it with the byte-identical body after a transient failure (see the
/// [module docs](crate::cashout)); an unknown outcome's hint says to send the same
/// cash-out again.
///
/// ```
/// use pagos_core::{Currency, Endpoint, Money};
/// use pagos_core::transport::Idempotency;
/// use pagos_telepagos::CashoutRequest;
/// use pagos_telepagos::cashout::CreateCashout;
///
/// let transfer = CashoutRequest::builder(Money::parse("10", Currency::Ars)?, "20267565393", "payout-1")
///     .alias("mi.alias.mp")
///     .build()?;
/// let base = pagos_core::BaseUrl::parse("https://api.telepagos.com.ar")?;
/// let request = pagos_core::endpoint::describe(&CreateCashout::new(transfer), &base)?;
/// assert_eq!(request.idempotency(), Idempotency::Keyed);
/// assert_eq!(
///     request.body_bytes(),
///     br#"{"alias":"mi.alias.mp","cuit":"20267565393","amount":10.00,"reference_id":"payout-1","concept":"VAR"}"#
/// );
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateCashout {
    cashout: CashoutRequest,
}

impl CreateCashout {
    /// Sends the transfer `cashout` describes.
    pub fn new(cashout: CashoutRequest) -> Self {
        CreateCashout { cashout }
    }

    /// What it sends.
    pub fn cashout(&self) -> &CashoutRequest {
        &self.cashout
    }
}

impl Endpoint for CreateCashout {
    type Output = CashoutReceipt;
    const OPERATION: &'static str = "cashout";
    const IDEMPOTENCY: Idempotency = Idempotency::Keyed;

    /// # Errors
    /// [`pagos_core::Error::Validation`] as [`CashoutRequest::validate`] describes.
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let wire = self.cashout.wire()?;
        Ok(Request::new(
            Method::POST,
            base.join(&["v2", "payment", "cashout"])?,
            Self::OPERATION,
        )
        .json(&wire)?)
    }

    fn parse(&self, response: &Response) -> Result<CashoutReceipt> {
        let (mut receipt, raw): (CashoutReceipt, Raw) = crate::wire::answer(response)?;
        receipt.raw = raw;
        Ok(receipt)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(format!(
            "send the same cash-out again with reference_id {:?} and the same data: \
             TelePagos treats it as the same transfer",
            self.cashout.reference_id
        ))
    }
}

/// `GET v2/payment/cashout/{id}`: a cash-out's voucher (comprobante), its `voucher`
/// decoded from base64.
///
/// ```
/// use pagos_core::{Endpoint, Response};
/// use pagos_telepagos::cashout::GetCashoutVoucher;
///
/// let voucher = GetCashoutVoucher::new("98765");
/// let answer = Response::new("telepagos", GetCashoutVoucher::OPERATION, 200, r#"{"status":"ok","voucher":"JVBERi0xLjQK"}"#);
/// assert_eq!(voucher.parse(&answer)?.pdf, b"%PDF-1.4\n");
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCashoutVoucher {
    id: String,
}

impl GetCashoutVoucher {
    /// The voucher of cash-out `id` (the `id` of its [`CashoutReceipt`]).
    pub fn new(id: impl Into<String>) -> Self {
        GetCashoutVoucher { id: id.into() }
    }

    /// The id, as given.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Endpoint for GetCashoutVoucher {
    type Output = Voucher;
    const OPERATION: &'static str = "cashout_voucher";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    /// # Errors
    /// [`pagos_core::Error::Validation`] on `cashout_id` when the id is blank or would
    /// change the path (see [`validate::path_id`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        validate::path_id("cashout_id", &self.id)?;
        Ok(Request::new(
            Method::GET,
            base.join(&["v2", "payment", "cashout", self.id.trim()])?,
            Self::OPERATION,
        ))
    }

    /// # Errors
    /// [`pagos_core::Error::OutcomeUnknown`] when the answer does not decode or `voucher`
    /// is not base64.
    fn parse(&self, response: &Response) -> Result<Voucher> {
        let (wire, raw): (VoucherWire, Raw) = crate::wire::answer(response)?;
        let pdf = match wire.voucher.as_deref() {
            Some(text) if !text.trim().is_empty() => decode_voucher(text)
                .map_err(|e| unreadable(response, format!("voucher is not base64: {e}")))?,
            _ => Vec::new(),
        };
        Ok(Voucher {
            status: wire.status,
            pdf,
            raw,
        })
    }
}

#[derive(Deserialize)]
struct ConceptsWire {
    #[serde(default)]
    concepts: Vec<Raw>,
}

/// `GET v2/payment/concepts`: the transfer concepts TelePagos accepts, as one page.
///
/// The TelePagos API documents `concepts` only as an array, so each entry is kept as
/// TelePagos sent it (a [`Raw`]: `"VAR"`, or an object), unchanged.
///
/// ```
/// use pagos_core::{Endpoint, Response};
/// use pagos_telepagos::cashout::ListConcepts;
///
/// let answer = Response::new("telepagos", ListConcepts::OPERATION, 200, r#"{"status":"ok","concepts":["ALQ","VAR"]}"#);
/// let concepts = ListConcepts::new().parse(&answer)?;
/// assert_eq!(concepts.items[1].get(), r#""VAR""#);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListConcepts;

impl ListConcepts {
    /// The concepts request.
    pub fn new() -> Self {
        ListConcepts
    }
}

impl Endpoint for ListConcepts {
    type Output = Page<Raw>;
    const OPERATION: &'static str = "concepts";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        Ok(Request::new(
            Method::GET,
            base.join(&["v2", "payment", "concepts"])?,
            Self::OPERATION,
        ))
    }

    fn parse(&self, response: &Response) -> Result<Page<Raw>> {
        let (concepts, raw): (ConceptsWire, Raw) = crate::wire::answer(response)?;
        Ok(Page::new(concepts.concepts, false, raw))
    }
}

/// Cash-out, from [`TelepagosClient::cashouts`].
#[derive(Debug, Clone, Copy)]
pub struct CashoutsHandle<'a> {
    client: &'a TelepagosClient,
}

impl<'a> CashoutsHandle<'a> {
    pub(crate) fn new(client: &'a TelepagosClient) -> Self {
        CashoutsHandle { client }
    }

    /// Sends money to a CVU/CBU or alias: [`CreateCashout`]. The transport may repeat
    /// it with the identical body after a transient failure.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] before sending (see
    /// [`CashoutRequest::validate`]); [`pagos_core::Error::Provider`] when TelePagos
    /// refuses it; [`pagos_core::Error::OutcomeUnknown`] when the answer was lost, whose
    /// hint says to repeat the same request.
    pub async fn create(&self, cashout: &CashoutRequest) -> Result<CashoutReceipt> {
        self.client.run(&CreateCashout::new(cashout.clone())).await
    }

    /// Fetches a cash-out's voucher: [`GetCashoutVoucher`].
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `cashout_id` when the id is blank or would
    /// change the path (see [`validate::path_id`]); [`pagos_core::Error::Provider`] when
    /// TelePagos refuses; [`pagos_core::Error::OutcomeUnknown`] when `voucher` is not
    /// base64.
    pub async fn voucher(&self, id: &str) -> Result<Voucher> {
        self.client.run(&GetCashoutVoucher::new(id)).await
    }

    /// Lists the transfer concepts TelePagos accepts: [`ListConcepts`].
    ///
    /// # Errors
    /// [`pagos_core::Error::Provider`] when TelePagos refuses;
    /// [`pagos_core::Error::OutcomeUnknown`] for an unreadable answer.
    pub async fn concepts(&self) -> Result<Page<Raw>> {
        self.client.run(&ListConcepts::new()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::Currency;

    fn ars(s: &str) -> Money {
        Money::parse(s, Currency::Ars).unwrap()
    }

    #[test]
    fn wire_body_is_exact() {
        let req = CashoutRequest::builder(ars("1500.5"), "20-26756539-3", "ref-1")
            .cvu("2850590940090418135201")
            .build()
            .unwrap();
        assert_eq!(
            serde_json::to_string(&req.wire().unwrap()).unwrap(),
            r#"{"cvu":"2850590940090418135201","cuit":"20267565393","amount":1500.50,"reference_id":"ref-1","concept":"VAR"}"#
        );
        let req = CashoutRequest::builder(ars("3"), "20267565393", "ref-2")
            .alias("mi.alias.mp")
            .concept(Concept::Other("XYZ".into()))
            .description("Pago")
            .build()
            .unwrap();
        assert_eq!(
            serde_json::to_string(&req.wire().unwrap()).unwrap(),
            r#"{"alias":"mi.alias.mp","cuit":"20267565393","amount":3.00,"reference_id":"ref-2","concept":"XYZ","description":"Pago"}"#
        );
    }

    #[test]
    fn validation_names_the_field() {
        let field = |b: CashoutRequestBuilder| {
            b.build()
                .unwrap_err()
                .validation_field()
                .map(str::to_string)
        };
        let base = || CashoutRequest::builder(ars("10"), "20267565393", "ref");
        assert_eq!(field(base()).as_deref(), Some("cvu"));
        assert_eq!(
            field(base().cvu("2850590940090418135201").alias("mi.alias.mp")).as_deref(),
            Some("alias")
        );
        assert_eq!(
            field(base().cvu("2850590940090418135202")).as_deref(),
            Some("cvu")
        );
        assert_eq!(field(base().alias("a b")).as_deref(), Some("alias"));
        let good = "2850590940090418135201";
        assert_eq!(
            field(CashoutRequest::builder(ars("10"), "20267565394", "ref").cvu(good)).as_deref(),
            Some("cuit")
        );
        assert_eq!(
            field(CashoutRequest::builder(ars("0"), "20267565393", "ref").cvu(good)).as_deref(),
            Some("amount")
        );
        let usd = Money::parse("10", Currency::Usd).unwrap();
        assert_eq!(
            field(CashoutRequest::builder(usd, "20267565393", "ref").cvu(good)).as_deref(),
            Some("amount")
        );
        assert_eq!(
            field(CashoutRequest::builder(ars("10"), "20267565393", " ").cvu(good)).as_deref(),
            Some("reference_id")
        );
        assert_eq!(
            field(base().cvu(good).concept(Concept::Other(String::new()))).as_deref(),
            Some("concept")
        );
    }

    #[test]
    fn concepts_parse() {
        for c in Concept::KNOWN {
            assert_eq!(c.code().parse::<Concept>().unwrap(), c);
            assert_eq!(c.code().to_lowercase().parse::<Concept>().unwrap(), c);
        }
        assert_eq!("nope".parse::<Concept>().unwrap_err().field(), "concept");
    }

    #[test]
    fn vouchers_decode() {
        assert_eq!(decode_voucher("JVBERi0xLjQK").unwrap(), b"%PDF-1.4\n");
        assert_eq!(decode_voucher("JVBERi0x\nLjQK").unwrap(), b"%PDF-1.4\n");
        assert_eq!(
            decode_voucher("data:application/pdf;base64,JVBERi0xLjQK").unwrap(),
            b"%PDF-1.4\n"
        );
        assert_eq!(decode_voucher("JVBERg").unwrap(), b"%PDF");
        assert!(decode_voucher("not base64!").is_err());
    }

    #[test]
    fn voucher_debug_hides_the_document() {
        let v = Voucher::new(Some("ok".into()), b"%PDF-1.4".to_vec());
        assert_eq!(
            format!("{v:?}"),
            r#"Voucher { status: Some("ok"), pdf_len: 8, raw_len: 4 }"#
        );
    }
}
