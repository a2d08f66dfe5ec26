//! Cash-out: transfers to a CVU/CBU or alias (`POST v2/payment/cashout`), their
//! vouchers (`GET v2/payment/cashout/{id}`) and the transfer concepts
//! (`GET v2/payment/concepts`).
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
use pagos_core::transport::{Method, Request};
use pagos_core::{BankAccount, Error, Money, PayoutStatus, Result, ValidationError, validate};
use serde::{Deserialize, Serialize};

use crate::client::TelepagosClient;
use crate::wire::{WireAmount, lenient_id};

/// A transfer concept: the BCRA motive code of a transfer.
///
/// The authoritative list is `GET v2/payment/concepts`
/// ([`TelepagosClient::concepts`]); the variants are the motives TelePagos's public
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
/// Built with [`CashoutRequest::builder`]; [`TelepagosClient::cashout`] checks it again
/// before sending.
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
    /// A description; when absent the `reference_id` is sent, because the TelePagos
    /// API lists `description` among the fields of every cash-out.
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
            description: self
                .description
                .as_deref()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or(&self.reference_id),
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
    /// [`Error::Validation`] as [`CashoutRequest::validate`] describes.
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
    description: &'a str,
}

/// TelePagos' answer to a cash-out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CashoutReceipt {
    /// The answer's `status` (`"ok"` on success).
    #[serde(default)]
    pub status: Option<String>,
    /// TelePagos' id of the transfer, for [`TelepagosClient::cashout_voucher`].
    #[serde(deserialize_with = "lenient_id::deserialize")]
    pub id: String,
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
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Voucher {
    /// The answer's `status`.
    pub status: Option<String>,
    /// The voucher document (a PDF), decoded from base64; empty when the answer
    /// carried none.
    pub pdf: Vec<u8>,
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

    /// A voucher as TelePagos answers it: the `status` text and the decoded document.
    ///
    /// ```
    /// let v = pagos_telepagos::Voucher::new(Some("ok".into()), Vec::new());
    /// assert!(v.pdf.is_empty());
    /// ```
    pub fn new(status: Option<String>, pdf: Vec<u8>) -> Self {
        Voucher { status, pdf }
    }
}

impl fmt::Debug for Voucher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Voucher")
            .field("status", &self.status)
            .field("pdf_len", &self.pdf.len())
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

#[derive(Deserialize)]
struct ConceptsWire {
    #[serde(default)]
    concepts: Vec<serde_json::Value>,
}

impl TelepagosClient {
    /// Sends money to a CVU/CBU or alias: `POST v2/payment/cashout`.
    ///
    /// Sent as an idempotent request (see the [module docs](crate::cashout)): the
    /// transport may repeat it with the identical body after a transient failure.
    ///
    /// # Errors
    /// [`Error::Validation`] before sending (see [`CashoutRequest::validate`]);
    /// [`Error::Provider`] when TelePagos refuses it; [`Error::OutcomeUnknown`] when
    /// the answer was lost, whose hint says to repeat the same request.
    pub async fn cashout(&self, request: &CashoutRequest) -> Result<CashoutReceipt> {
        Ok(self.cashout_raw(request).await?.0)
    }

    pub(crate) async fn cashout_raw(
        &self,
        request: &CashoutRequest,
    ) -> Result<(CashoutReceipt, pagos_core::Response)> {
        let wire = request.wire()?;
        let http = Request::new(
            Method::POST,
            self.url(&["v2", "payment", "cashout"])?,
            "cashout",
        )
        .json(&wire)?
        .idempotent();
        match self.send::<CashoutReceipt>(http).await {
            Ok(answer) => Ok(answer),
            Err(Error::OutcomeUnknown(u)) => {
                Err(Error::OutcomeUnknown(Box::new(u.with_hint(format!(
                    "send the same cash-out again with reference_id {:?} and the same data: \
                     TelePagos treats it as the same transfer",
                    request.reference_id
                )))))
            }
            Err(e) => Err(e),
        }
    }

    /// Fetches a cash-out's voucher: `GET v2/payment/cashout/{id}`.
    ///
    /// # Errors
    /// [`Error::Validation`] on `cashout_id` when the id is blank or would change the
    /// path (see [`validate::path_id`]); [`Error::Provider`] when TelePagos refuses;
    /// [`Error::OutcomeUnknown`] when `voucher` is not base64.
    pub async fn cashout_voucher(&self, id: &str) -> Result<Voucher> {
        Ok(self.cashout_voucher_raw(id).await?.0)
    }

    pub(crate) async fn cashout_voucher_raw(
        &self,
        id: &str,
    ) -> Result<(Voucher, pagos_core::Response)> {
        // Before the session is asked for a token: a bad id sends nothing at all.
        validate::path_id("cashout_id", id)?;
        let http = Request::new(
            Method::GET,
            self.url(&["v2", "payment", "cashout", id.trim()])?,
            "cashout_voucher",
        );
        let (wire, resp) = self.send::<VoucherWire>(http).await?;
        let pdf = match wire.voucher.as_deref() {
            Some(text) if !text.trim().is_empty() => decode_voucher(text).map_err(|e| {
                Error::from(resp.undecodable(format!("voucher is not base64: {e}")))
            })?,
            _ => Vec::new(),
        };
        Ok((
            Voucher {
                status: wire.status,
                pdf,
            },
            resp,
        ))
    }

    /// Lists the transfer concepts TelePagos accepts: `GET v2/payment/concepts`.
    ///
    /// The TelePagos API documents `concepts` only as an array, so the entries are
    /// returned as JSON, unchanged.
    ///
    /// # Errors
    /// [`Error::Provider`] when TelePagos refuses; [`Error::OutcomeUnknown`] for an
    /// unreadable answer.
    pub async fn concepts(&self) -> Result<Vec<serde_json::Value>> {
        let http = Request::new(
            Method::GET,
            self.url(&["v2", "payment", "concepts"])?,
            "concepts",
        );
        Ok(self.send::<ConceptsWire>(http).await?.0.concepts)
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
            r#"{"cvu":"2850590940090418135201","cuit":"20267565393","amount":1500.50,"reference_id":"ref-1","concept":"VAR","description":"ref-1"}"#
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
        let v = Voucher {
            status: Some("ok".into()),
            pdf: b"%PDF-1.4".to_vec(),
        };
        assert_eq!(
            format!("{v:?}"),
            r#"Voucher { status: Some("ok"), pdf_len: 8 }"#
        );
    }
}
