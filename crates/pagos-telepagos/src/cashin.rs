//! Cash-in: collecting money by QR (`POST v2/payment/cashin/qr/generate`), by transfer
//! (`POST v2/payment/cashin/transfer/generate`), by payment link
//! (`POST v2/payment/cashin/link/generate`), and reading a credited payment
//! (`GET v2/payment/cashin/{id}`).
//!
//! | endpoint | call | handle method |
//! |---|---|---|
//! | [`GenerateQr`] | `POST v2/payment/cashin/qr/generate` | [`CashinsHandle::qr`] (and [`CashinsHandle::qr_payment`]) |
//! | [`GenerateTransferLink`] | `POST v2/payment/cashin/transfer/generate` | [`CashinsHandle::transfer_link`] |
//! | [`GeneratePaymentLink`] | `POST v2/payment/cashin/link/generate` | [`CashinsHandle::payment_link`] |
//! | [`GetCashIn`] | `GET v2/payment/cashin/{id}` | [`CashinsHandle::get`] |
//!
//! None of these `POST`s carries an idempotency reference, so each is sent exactly once:
//! after an unknown outcome, look the operation up (e.g. in
//! [`TransactionsHandle::list`](crate::account::TransactionsHandle::list)) before
//! creating another.
//!
//! The cash-in `concept` is free text (the TelePagos API types it `string` and the link
//! generator has no other text field), unlike the cash-out's BCRA motive code.

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method, Request};
use pagos_core::{
    BaseUrl, CreatePayment, Decimal, Money, Payment, PaymentStatus, Raw, Response, Result,
    ValidationError, validate,
};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use time::OffsetDateTime;

use crate::client::TelepagosClient;
use crate::wire::{WireAmount, lenient_id};

/// A one-off QR code for an amount.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_telepagos::QrRequest;
/// let req = QrRequest::new(Money::parse("250", Currency::Ars)?, "Pedido 42").description("2 cafés");
/// assert_eq!(req.description.as_deref(), Some("2 cafés"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct QrRequest {
    /// How much, in ARS.
    pub amount: Money,
    /// The concept shown to the payer.
    pub concept: String,
    /// A description; the concept is sent when absent (the TelePagos
    /// API lists `description` among the fields).
    pub description: Option<String>,
}

impl QrRequest {
    /// A QR request for `amount` with `concept`.
    pub fn new(amount: Money, concept: impl Into<String>) -> Self {
        QrRequest {
            amount,
            concept: concept.into(),
            description: None,
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    fn wire(&self) -> std::result::Result<AmountConceptWire<'_>, ValidationError> {
        let amount = WireAmount::new("amount", &self.amount)?;
        validate::non_empty("concept", &self.concept)?;
        Ok(AmountConceptWire {
            amount,
            concept: &self.concept,
            description: description_or(self.description.as_deref(), &self.concept),
        })
    }
}

pub(crate) fn description_or<'a>(description: Option<&'a str>, fallback: &'a str) -> &'a str {
    description
        .filter(|d| !d.trim().is_empty())
        .unwrap_or(fallback)
}

#[derive(Debug, Serialize)]
struct AmountConceptWire<'a> {
    amount: WireAmount,
    concept: &'a str,
    description: &'a str,
}

/// A generated QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QrCode {
    /// The answer's `status`.
    #[serde(default)]
    pub status: Option<String>,
    /// The text to encode in the QR image.
    pub qr_code: String,
    /// TelePagos' id of the QR order.
    #[serde(default, deserialize_with = "lenient_id::option::deserialize")]
    pub qr_order_id: Option<String>,
    /// The answer as TelePagos sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// A transfer request: TelePagos generates a link the payer completes by transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransferRequest {
    /// The `cvu` field: a CVU or CBU (22 digits, check digits verified).
    pub cvu: String,
    /// The `cuit` field (hyphens accepted, sent as 11 digits).
    pub cuit: String,
    /// How much, in ARS.
    pub amount: Money,
    /// The concept.
    pub concept: String,
    /// A description; the concept is sent when absent.
    pub description: Option<String>,
}

impl TransferRequest {
    /// A transfer request with every required field.
    pub fn new(
        cvu: impl Into<String>,
        cuit: impl Into<String>,
        amount: Money,
        concept: impl Into<String>,
    ) -> Self {
        TransferRequest {
            cvu: cvu.into(),
            cuit: cuit.into(),
            amount,
            concept: concept.into(),
            description: None,
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    fn wire(&self) -> std::result::Result<TransferWire<'_>, ValidationError> {
        validate::cbu("cvu", &self.cvu)?;
        validate::cuit("cuit", &self.cuit)?;
        let amount = WireAmount::new("amount", &self.amount)?;
        validate::non_empty("concept", &self.concept)?;
        Ok(TransferWire {
            cvu: &self.cvu,
            cuit: validate::normalize_cuit(self.cuit.trim()),
            amount,
            concept: &self.concept,
            description: description_or(self.description.as_deref(), &self.concept),
        })
    }
}

#[derive(Debug, Serialize)]
struct TransferWire<'a> {
    cvu: &'a str,
    cuit: String,
    amount: WireAmount,
    concept: &'a str,
    description: &'a str,
}

/// A generated transfer link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TransferLink {
    /// The answer's `status`.
    #[serde(default)]
    pub status: Option<String>,
    /// The link.
    pub payment_link: String,
    /// The answer as TelePagos sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// One share of a payment link's amount credited to another CVU.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Distribution {
    /// The CVU or CBU credited.
    pub cvu: String,
    /// Its share, in ARS.
    pub amount: Money,
}

impl Distribution {
    /// A share of `amount` for `cvu`.
    pub fn new(cvu: impl Into<String>, amount: Money) -> Self {
        Distribution {
            cvu: cvu.into(),
            amount,
        }
    }
}

/// A payment link (link de cobro).
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_telepagos::PaymentLinkRequest;
/// use time::{Duration, OffsetDateTime};
///
/// let req = PaymentLinkRequest::new(
///     Money::parse("1000", Currency::Ars)?,
///     "Cuota marzo",
///     OffsetDateTime::now_utc() + Duration::days(3),
/// )
/// .multiple_use(true)
/// .distribute("2850590940090418135201", Money::parse("100", Currency::Ars)?);
/// assert_eq!(req.distribution.len(), 1);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaymentLinkRequest {
    /// When the link stops being payable; sent as `Y-m-d H:i:s` in the endpoint's
    /// zone ([`GeneratePaymentLink::time_zone`], the client's
    /// [time zone](crate::TelepagosClientBuilder::time_zone): Argentina time by
    /// default). TelePagos does not document the zone of `expiration_date`.
    pub expiration_date: OffsetDateTime,
    /// How much, in ARS.
    pub amount: Money,
    /// Whether the link can be paid more than once (default `false`).
    pub multiple_use: bool,
    /// The concept shown to the payer.
    pub concept: String,
    /// Optional shares credited to other CVUs.
    pub distribution: Vec<Distribution>,
}

impl PaymentLinkRequest {
    /// A single-use link for `amount` that expires at `expiration_date`.
    pub fn new(amount: Money, concept: impl Into<String>, expiration_date: OffsetDateTime) -> Self {
        PaymentLinkRequest {
            expiration_date,
            amount,
            multiple_use: false,
            concept: concept.into(),
            distribution: Vec::new(),
        }
    }

    /// Sets whether the link can be paid more than once.
    #[must_use]
    pub fn multiple_use(mut self, multiple_use: bool) -> Self {
        self.multiple_use = multiple_use;
        self
    }

    /// Adds a share for another CVU.
    #[must_use]
    pub fn distribute(mut self, cvu: impl Into<String>, amount: Money) -> Self {
        self.distribution.push(Distribution::new(cvu, amount));
        self
    }

    fn wire(&self, zone: time::UtcOffset) -> std::result::Result<LinkWire<'_>, ValidationError> {
        if self.expiration_date <= OffsetDateTime::now_utc() {
            return Err(ValidationError::new(
                "expiration_date",
                "must be in the future",
            ));
        }
        let amount = WireAmount::new("amount", &self.amount)?;
        validate::non_empty("concept", &self.concept)?;
        let mut distribution = Vec::with_capacity(self.distribution.len());
        let mut shared = Decimal::ZERO;
        for share in &self.distribution {
            validate::cbu("distribution.cvu", &share.cvu)?;
            let share_amount = WireAmount::new("distribution.amount", &share.amount)?;
            // Checked: `Decimal` addition panics on overflow, and a few shares near
            // `Decimal::MAX` are enough to reach it. A sum that large is more than any
            // amount, which is the error below.
            shared = shared.checked_add(share_amount.decimal()).ok_or_else(|| {
                ValidationError::new(
                    "distribution.amount",
                    format!(
                        "the shares add up to more than the amount {}",
                        amount.decimal()
                    ),
                )
            })?;
            distribution.push(DistributionWire {
                cvu: &share.cvu,
                amount: share_amount,
            });
        }
        if shared > amount.decimal() {
            return Err(ValidationError::new(
                "distribution.amount",
                format!(
                    "the shares add up to {shared}, more than the amount {}",
                    amount.decimal()
                ),
            ));
        }
        Ok(LinkWire {
            expiration_date: format_expiration(self.expiration_date, zone)
                .ok_or_else(|| ValidationError::new("expiration_date", "is past the year 9999"))?,
            amount,
            multiple_use: self.multiple_use,
            concept: &self.concept,
            distribution,
        })
    }
}

/// `Y-m-d H:i:s` in `zone`. (The TelePagos API writes `"Y-m-d H:m:s"`; `m` for minutes
/// there is read as PHP's `i`, since `m` is already the month.)
/// `None` when the date in `zone` is past year 9999 (where `to_offset` would panic).
pub(crate) fn format_expiration(t: OffsetDateTime, zone: time::UtcOffset) -> Option<String> {
    let t = t.checked_to_offset(zone)?;
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    t.format(format).ok()
}

#[derive(Debug, Serialize)]
struct LinkWire<'a> {
    expiration_date: String,
    amount: WireAmount,
    multiple_use: bool,
    concept: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    distribution: Vec<DistributionWire<'a>>,
}

#[derive(Debug, Serialize)]
struct DistributionWire<'a> {
    cvu: &'a str,
    amount: WireAmount,
}

/// A generated payment link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentLink {
    /// The answer's `status`.
    #[serde(default)]
    pub status: Option<String>,
    /// The link to send the payer to.
    pub link: String,
    /// TelePagos' id of the link.
    #[serde(default, deserialize_with = "lenient_id::option::deserialize")]
    pub link_id: Option<String>,
    /// The answer as TelePagos sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// Who paid a cash-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Buyer {
    /// The payer's CUIT.
    #[serde(default, deserialize_with = "lenient_id::option::deserialize")]
    pub cuit: Option<String>,
    /// The payer's CVU/CBU.
    #[serde(default, deserialize_with = "lenient_id::option::deserialize")]
    pub cvu: Option<String>,
}

/// A credited payment (acreditación).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CashIn {
    /// The answer's `status`.
    #[serde(default)]
    pub status: Option<String>,
    /// Who paid.
    #[serde(default, deserialize_with = "buyer")]
    pub buyer: Option<Buyer>,
    /// How much was credited, in ARS.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub amount: Option<Decimal>,
    /// The concept.
    #[serde(default)]
    pub concept: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// TelePagos' transaction id.
    #[serde(default, deserialize_with = "lenient_id::option::deserialize")]
    pub transaction_id: Option<String>,
    /// The QR order paid, when paid by QR.
    #[serde(default, deserialize_with = "lenient_id::option::deserialize")]
    pub qr_order_id: Option<String>,
    /// The payment link paid, when paid by link.
    #[serde(default, deserialize_with = "lenient_id::option::deserialize")]
    pub link_id: Option<String>,
    /// The answer as TelePagos sent it.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl CashIn {
    /// The credit's state, read from the answer's `status` through the
    /// [table](crate::status): `"ok"` on this record of a credit (an acreditación) is
    /// [`PaymentStatus::Succeeded`]; any other status decides alone, unknown text is
    /// `Unknown`.
    ///
    /// ```
    /// use pagos_core::PaymentStatus;
    /// let credited: pagos_telepagos::CashIn =
    ///     serde_json::from_str(r#"{"status":"acreditada","amount":1500.50}"#).unwrap();
    /// assert_eq!(credited.payment_status(), PaymentStatus::Succeeded);
    /// let found: pagos_telepagos::CashIn = serde_json::from_str(r#"{"status":"ok"}"#).unwrap();
    /// assert_eq!(found.payment_status(), PaymentStatus::Succeeded);
    /// let odd: pagos_telepagos::CashIn = serde_json::from_str(r#"{"status":"en_revision"}"#).unwrap();
    /// assert_eq!(odd.payment_status(), PaymentStatus::Unknown("en_revision".into()));
    /// ```
    pub fn payment_status(&self) -> PaymentStatus {
        crate::status::looked_up_payment(self.status.as_deref())
    }
}

/// `buyer` as an object, or as an array of objects whose members are merged: the
/// TelePagos API writes `"buyer": [ "cuit": string, "cvu": string ]`, brackets around
/// object members, which is not JSON. Its literal readings are all accepted: an object
/// `{"cuit":…,"cvu":…}`, a one-element array `[{"cuit":…,"cvu":…}]`, and one element
/// per member `[{"cuit":…},{"cvu":…}]`. When two elements give the same member, the
/// first non-empty value is kept. An empty array or `null` is no buyer.
fn buyer<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Buyer>, D::Error> {
    use serde::de::Error as _;
    let raw = <&RawValue>::deserialize(d)?;
    let text = raw.get().trim_start();
    if text.starts_with('[') {
        let parts: Vec<Option<Buyer>> =
            serde_json::from_str(raw.get()).map_err(D::Error::custom)?;
        let merged = parts
            .into_iter()
            .flatten()
            .fold(None, |acc: Option<Buyer>, part| {
                Some(match acc {
                    None => part,
                    Some(b) => Buyer {
                        cuit: b.cuit.or(part.cuit),
                        cvu: b.cvu.or(part.cvu),
                    },
                })
            });
        Ok(merged)
    } else {
        serde_json::from_str::<Option<Buyer>>(raw.get()).map_err(D::Error::custom)
    }
}

/// The hint on an unknown outcome of a `generate` call: the call carries no
/// idempotency reference and TelePagos has no query for an unpaid QR code or link, so
/// the caller must neither assume it failed nor simply repeat it.
fn generate_hint(what: &str, concept: &str) -> String {
    format!(
        "the {what} with concept {concept:?} may have been generated: TelePagos cannot \
         look up an unpaid one, but a payment through it is credited as a cash-in with \
         that concept (see transactions); generate another only if two payable \
         {what}s are acceptable"
    )
}

/// `POST v2/payment/cashin/qr/generate`: a QR code for an amount. Sent once (no
/// idempotency reference); an unknown outcome carries a hint naming the concept.
///
/// ```
/// use pagos_core::{Currency, Endpoint, Money};
/// use pagos_telepagos::QrRequest;
/// use pagos_telepagos::cashin::GenerateQr;
///
/// let qr = GenerateQr::new(QrRequest::new(Money::parse("250", Currency::Ars)?, "Pedido 42"));
/// let base = pagos_core::BaseUrl::parse("https://api.telepagos.com.ar")?;
/// let request = pagos_core::endpoint::describe(&qr, &base)?;
/// assert_eq!(request.body_bytes(), br#"{"amount":250.00,"concept":"Pedido 42","description":"Pedido 42"}"#);
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateQr {
    qr: QrRequest,
}

impl GenerateQr {
    /// Generates the QR code `qr` describes.
    pub fn new(qr: QrRequest) -> Self {
        GenerateQr { qr }
    }

    /// What it asks for.
    pub fn qr(&self) -> &QrRequest {
        &self.qr
    }
}

impl Endpoint for GenerateQr {
    type Output = QrCode;
    const OPERATION: &'static str = "generate_qr";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// # Errors
    /// [`pagos_core::Error::Validation`] on `amount` or `concept`.
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let wire = self.qr.wire()?;
        Ok(Request::new(
            Method::POST,
            base.join(&["v2", "payment", "cashin", "qr", "generate"])?,
            Self::OPERATION,
        )
        .json(&wire)?)
    }

    fn parse(&self, response: &Response) -> Result<QrCode> {
        let (mut code, raw): (QrCode, Raw) = crate::wire::answer(response)?;
        code.raw = raw;
        Ok(code)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(generate_hint("QR code", &self.qr.concept))
    }
}

/// `POST v2/payment/cashin/transfer/generate`: a link the payer completes by transfer.
/// Sent once (no idempotency reference); an unknown outcome carries a hint naming the
/// concept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateTransferLink {
    transfer: TransferRequest,
}

impl GenerateTransferLink {
    /// Generates the link `transfer` describes.
    pub fn new(transfer: TransferRequest) -> Self {
        GenerateTransferLink { transfer }
    }

    /// What it asks for.
    pub fn transfer(&self) -> &TransferRequest {
        &self.transfer
    }
}

impl Endpoint for GenerateTransferLink {
    type Output = TransferLink;
    const OPERATION: &'static str = "generate_transfer_link";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// # Errors
    /// [`pagos_core::Error::Validation`] on `cvu`, `cuit`, `amount` or `concept`.
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let wire = self.transfer.wire()?;
        Ok(Request::new(
            Method::POST,
            base.join(&["v2", "payment", "cashin", "transfer", "generate"])?,
            Self::OPERATION,
        )
        .json(&wire)?)
    }

    fn parse(&self, response: &Response) -> Result<TransferLink> {
        let (mut link, raw): (TransferLink, Raw) = crate::wire::answer(response)?;
        link.raw = raw;
        Ok(link)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(generate_hint("transfer link", &self.transfer.concept))
    }
}

/// `POST v2/payment/cashin/link/generate`: a payment link (link de cobro). Sent once
/// (no idempotency reference); an unknown outcome carries a hint naming the concept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratePaymentLink {
    link: PaymentLinkRequest,
    time_zone: time::UtcOffset,
}

impl GeneratePaymentLink {
    /// Generates the link `link` describes, its `expiration_date` written in
    /// Argentina time ([`ARGENTINA`](crate::ARGENTINA)).
    pub fn new(link: PaymentLinkRequest) -> Self {
        GeneratePaymentLink {
            link,
            time_zone: crate::ARGENTINA,
        }
    }

    /// Writes `expiration_date` in `zone` instead (the client's handles pass the
    /// client's [time zone](crate::TelepagosClientBuilder::time_zone)).
    ///
    /// ```
    /// use pagos_core::{Currency, Money};
    /// use pagos_telepagos::PaymentLinkRequest;
    /// use pagos_telepagos::cashin::GeneratePaymentLink;
    /// use time::macros::datetime;
    ///
    /// let at = datetime!(2030-01-02 12:00:00 UTC);
    /// let link = PaymentLinkRequest::new(Money::parse("10", Currency::Ars)?, "Cuota", at);
    /// let base = pagos_core::BaseUrl::parse("https://api.telepagos.com.ar")?;
    /// let ar = pagos_core::endpoint::describe(&GeneratePaymentLink::new(link.clone()), &base)?;
    /// assert!(String::from_utf8_lossy(ar.body_bytes()).contains(r#""expiration_date":"2030-01-02 09:00:00""#));
    /// let utc = GeneratePaymentLink::new(link).time_zone(time::UtcOffset::UTC);
    /// let utc = pagos_core::endpoint::describe(&utc, &base)?;
    /// assert!(String::from_utf8_lossy(utc.body_bytes()).contains(r#""expiration_date":"2030-01-02 12:00:00""#));
    /// # Ok::<(), pagos_core::Error>(())
    /// ```
    #[must_use]
    pub fn time_zone(mut self, zone: time::UtcOffset) -> Self {
        self.time_zone = zone;
        self
    }

    /// What it asks for.
    pub fn link(&self) -> &PaymentLinkRequest {
        &self.link
    }
}

impl Endpoint for GeneratePaymentLink {
    type Output = PaymentLink;
    const OPERATION: &'static str = "generate_payment_link";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// # Errors
    /// [`pagos_core::Error::Validation`] on `expiration_date` (not in the future),
    /// `amount`, `concept`, `distribution.cvu` or `distribution.amount` (shares above
    /// the amount).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let wire = self.link.wire(self.time_zone)?;
        Ok(Request::new(
            Method::POST,
            base.join(&["v2", "payment", "cashin", "link", "generate"])?,
            Self::OPERATION,
        )
        .json(&wire)?)
    }

    fn parse(&self, response: &Response) -> Result<PaymentLink> {
        let (mut link, raw): (PaymentLink, Raw) = crate::wire::answer(response)?;
        link.raw = raw;
        Ok(link)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(generate_hint("payment link", &self.link.concept))
    }
}

/// `GET v2/payment/cashin/{id}`: a credited payment (acreditación).
///
/// ```
/// use pagos_core::{Endpoint, Response};
/// use pagos_telepagos::cashin::GetCashIn;
///
/// let base = pagos_core::BaseUrl::parse("https://api.telepagos.com.ar")?;
/// let request = pagos_core::endpoint::describe(&GetCashIn::new("555001"), &base)?;
/// assert_eq!(request.url().path(), "/v2/payment/cashin/555001");
/// let err = pagos_core::endpoint::describe(&GetCashIn::new(".."), &base).unwrap_err();
/// assert_eq!(err.validation_field(), Some("cashin_id"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCashIn {
    id: String,
}

impl GetCashIn {
    /// The cash-in `id`.
    pub fn new(id: impl Into<String>) -> Self {
        GetCashIn { id: id.into() }
    }

    /// The id, as given.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Endpoint for GetCashIn {
    type Output = CashIn;
    const OPERATION: &'static str = "cashin";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    /// # Errors
    /// [`pagos_core::Error::Validation`] on `cashin_id` when the id is blank or would
    /// change the path (see [`validate::path_id`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        validate::path_id("cashin_id", &self.id)?;
        Ok(Request::new(
            Method::GET,
            base.join(&["v2", "payment", "cashin", self.id.trim()])?,
            Self::OPERATION,
        ))
    }

    fn parse(&self, response: &Response) -> Result<CashIn> {
        let (mut cash_in, raw): (CashIn, Raw) = crate::wire::answer(response)?;
        cash_in.raw = raw;
        Ok(cash_in)
    }
}

/// Cash-in, from [`TelepagosClient::cashins`].
#[derive(Debug, Clone, Copy)]
pub struct CashinsHandle<'a> {
    client: &'a TelepagosClient,
}

impl<'a> CashinsHandle<'a> {
    pub(crate) fn new(client: &'a TelepagosClient) -> Self {
        CashinsHandle { client }
    }

    /// Generates a QR code for an amount: [`GenerateQr`]. Sent once.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `amount` or `concept` before sending;
    /// [`pagos_core::Error::Provider`] when TelePagos refuses;
    /// [`pagos_core::Error::OutcomeUnknown`] for a lost or unreadable answer, with a hint
    /// (naming the concept) on how to find out whether the code was generated.
    pub async fn qr(&self, qr: &QrRequest) -> Result<QrCode> {
        self.client.run(&GenerateQr::new(qr.clone())).await
    }

    /// Like [`create_payment`](pagos_core::PaymentProvider::create_payment), but with a
    /// QR code instead of a link: [`GenerateQr`]. The [`Payment::id`] is the
    /// `qr_order_id`, the instructions a
    /// [`PaymentInstructions::Qr`](pagos_core::PaymentInstructions::Qr) with the text to
    /// encode, the raw the answer as received; the subject is the `concept` and the
    /// description (or the subject) the `description`. `expires_at` is not supported by
    /// this call and is ignored.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] before sending (the request's checks, ARS
    /// only); otherwise as [`qr`](Self::qr), and
    /// [`pagos_core::Error::OutcomeUnknown`] when the answer has no `qr_order_id`.
    pub async fn qr_payment(&self, request: &CreatePayment) -> Result<Payment> {
        crate::provider::create_qr_payment(self.client, request).await
    }

    /// Generates a transfer link: [`GenerateTransferLink`]. Sent once.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `cvu`, `cuit`, `amount` or `concept`
    /// before sending; otherwise as [`qr`](Self::qr).
    pub async fn transfer_link(&self, transfer: &TransferRequest) -> Result<TransferLink> {
        self.client
            .run(&GenerateTransferLink::new(transfer.clone()))
            .await
    }

    /// Generates a payment link: [`GeneratePaymentLink`]. Sent once.
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `expiration_date` (not in the future),
    /// `amount`, `concept`, `distribution.cvu` or `distribution.amount` (shares above
    /// the amount) before sending; otherwise as [`qr`](Self::qr).
    pub async fn payment_link(&self, link: &PaymentLinkRequest) -> Result<PaymentLink> {
        self.client
            .run(&GeneratePaymentLink::new(link.clone()).time_zone(self.client.time_zone()))
            .await
    }

    /// Reads a credited payment: [`GetCashIn`].
    ///
    /// # Errors
    /// [`pagos_core::Error::Validation`] on `cashin_id` when the id is blank or would
    /// change the path (see [`validate::path_id`]); otherwise as [`qr`](Self::qr).
    pub async fn get(&self, id: &str) -> Result<CashIn> {
        self.client.run(&GetCashIn::new(id)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_outcome_of_a_generate_call_says_how_to_find_out() {
        let at = OffsetDateTime::now_utc() + time::Duration::hours(1);
        let link = GeneratePaymentLink::new(PaymentLinkRequest::new(ars("1"), "Cuota 3", at));
        let hint = link.outcome_hint().unwrap_or_default();
        assert!(hint.contains("payment link"), "{hint}");
        assert!(hint.contains(r#""Cuota 3""#), "{hint}");
        assert!(hint.contains("transactions"), "{hint}");
        let qr = GenerateQr::new(QrRequest::new(ars("1"), "x"));
        assert!(qr.outcome_hint().unwrap_or_default().contains("QR code"));
        let transfer = GenerateTransferLink::new(TransferRequest::new(
            "2850590940090418135201",
            "20267565393",
            ars("1"),
            "y",
        ));
        assert!(
            transfer
                .outcome_hint()
                .unwrap_or_default()
                .contains(r#"transfer link with concept "y""#)
        );
        // How the hint is applied: to an unknown outcome without one, keeping its raw
        // body; a refusal is no unknown outcome; an existing hint is kept.
        let resp = Response::new("telepagos", "generate_payment_link", 200, "<html>");
        let err = pagos_core::endpoint::with_outcome_hint(
            resp.undecodable("expected value").into(),
            &link,
        );
        let pagos_core::Error::OutcomeUnknown(unknown) = err else {
            panic!("expected an unknown outcome, got {err:?}");
        };
        assert_eq!(unknown.hint, Some(hint));
        assert_eq!(unknown.raw_body.as_deref(), Some("<html>"));
        let refused = pagos_core::endpoint::with_outcome_hint(resp.provider_error().into(), &qr);
        assert!(
            matches!(refused, pagos_core::Error::Provider(_)),
            "{refused:?}"
        );
        let hinted = pagos_core::endpoint::with_outcome_hint(
            resp.undecodable("x").with_hint("already said").into(),
            &qr,
        );
        assert!(
            matches!(&hinted, pagos_core::Error::OutcomeUnknown(u) if u.hint.as_deref() == Some("already said")),
            "{hinted:?}"
        );
    }
    use pagos_core::Currency;

    fn ars(s: &str) -> Money {
        Money::parse(s, Currency::Ars).unwrap()
    }

    #[test]
    fn link_wire() {
        let at = time::macros::datetime!(2030-01-02 03:04:05 -3);
        let req = PaymentLinkRequest::new(ars("1000"), "Cuota", at)
            .distribute("2850590940090418135201", ars("250.5"));
        assert_eq!(
            serde_json::to_string(&req.wire(crate::ARGENTINA).unwrap()).unwrap(),
            r#"{"expiration_date":"2030-01-02 03:04:05","amount":1000.00,"multiple_use":false,"concept":"Cuota","distribution":[{"cvu":"2850590940090418135201","amount":250.50}]}"#
        );
        let plain = PaymentLinkRequest::new(ars("1"), "x", at).multiple_use(true);
        assert_eq!(
            serde_json::to_string(&plain.wire(time::UtcOffset::UTC).unwrap()).unwrap(),
            r#"{"expiration_date":"2030-01-02 06:04:05","amount":1.00,"multiple_use":true,"concept":"x"}"#
        );
    }

    #[test]
    fn link_validation() {
        let future = OffsetDateTime::now_utc() + time::Duration::hours(1);
        let past = OffsetDateTime::now_utc() - time::Duration::hours(1);
        let field =
            |r: PaymentLinkRequest| r.wire(crate::ARGENTINA).unwrap_err().field().to_string();
        assert_eq!(
            field(PaymentLinkRequest::new(ars("1"), "x", past)),
            "expiration_date"
        );
        // Past year 9999 in UTC: a validation error, not a panic.
        let beyond = time::macros::datetime!(9999-12-31 23:00:00 -5);
        assert_eq!(
            field(PaymentLinkRequest::new(ars("1"), "x", beyond)),
            "expiration_date"
        );
        assert_eq!(
            field(PaymentLinkRequest::new(ars("0"), "x", future)),
            "amount"
        );
        assert_eq!(
            field(PaymentLinkRequest::new(ars("1"), " ", future)),
            "concept"
        );
        assert_eq!(
            field(PaymentLinkRequest::new(ars("1"), "x", future).distribute("123", ars("1"))),
            "distribution.cvu"
        );
        assert_eq!(
            field(
                PaymentLinkRequest::new(ars("1"), "x", future)
                    .distribute("2850590940090418135201", ars("2"))
            ),
            "distribution.amount"
        );
        // Shares whose sum overflows a Decimal: an error on the shares, not the
        // "Addition overflowed" panic of `+=`. The largest ARS amount Money accepts
        // (every digit of a Decimal, two of them decimals) 101 times is past the limit.
        let big = Money::parse("792281625142643375935439503.35", Currency::Ars).unwrap();
        let mut request = PaymentLinkRequest::new(big, "x", future);
        for _ in 0..101 {
            request = request.distribute("2850590940090418135201", big);
        }
        assert_eq!(field(request), "distribution.amount");
    }

    #[test]
    fn buyer_as_object_array_or_nothing() {
        let c: CashIn = serde_json::from_str(
            r#"{"buyer":{"cuit":"20267565393","cvu":"2850590940090418135201"}}"#,
        )
        .unwrap();
        assert_eq!(c.buyer.unwrap().cuit.as_deref(), Some("20267565393"));
        let c: CashIn = serde_json::from_str(
            r#"{"buyer":[{"cuit":20267565393,"cvu":"2850590940090418135201"}]}"#,
        )
        .unwrap();
        assert_eq!(c.buyer.unwrap().cuit.as_deref(), Some("20267565393"));
        let c: CashIn = serde_json::from_str(r#"{"buyer":[]}"#).unwrap();
        assert_eq!(c.buyer, None);
        let c: CashIn = serde_json::from_str(r#"{"buyer":null}"#).unwrap();
        assert_eq!(c.buyer, None);
        // One element per member: merged.
        let c: CashIn = serde_json::from_str(
            r#"{"buyer":[{"cuit":"20267565393"},{"cvu":"2850590940090418135201"}]}"#,
        )
        .unwrap();
        let b = c.buyer.unwrap();
        assert_eq!(b.cuit.as_deref(), Some("20267565393"));
        assert_eq!(b.cvu.as_deref(), Some("2850590940090418135201"));
        let c: CashIn = serde_json::from_str(r#"{"buyer":[{},{}]}"#).unwrap();
        assert_eq!(c.buyer.unwrap().cuit, None);
        // Not a buyer at all: still an error, not a guess.
        assert!(serde_json::from_str::<CashIn>(r#"{"buyer":[1,2]}"#).is_err());
    }
}
