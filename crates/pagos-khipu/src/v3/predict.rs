//! `GET /v3/predict` and `GET /v3/predict/all`: whether a payment from a payer's bank
//! is likely to work, and the limits that apply.

use std::fmt;

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{BaseUrl, Decimal, Money, Raw, Request, Response, Result, validate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{KhipuV3Client, bare_request, parse_json};
use crate::de;

/// A prediction's `result`. Khipu changed its case between specification revisions
/// (`ok` / `OK`), so it is read case-insensitively; unknown values are kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PredictResult {
    /// `OK`: the payment should work.
    Ok,
    /// `NEW_DESTINATARY_AMOUNT_EXCEEDED`.
    NewDestinataryAmountExceeded,
    /// `MAX_AMOUNT_EXCEEDED`.
    MaxAmountExceeded,
    /// `NEW_DESTINATARY_COOL_DOWN`.
    NewDestinataryCoolDown,
    /// `NOT_AVAILABLE_ACCOUNT`.
    NotAvailableAccount,
    /// A value this SDK does not know, as sent.
    Unknown(String),
}

impl PredictResult {
    /// The upper-case name.
    pub fn as_str(&self) -> &str {
        match self {
            PredictResult::Ok => "OK",
            PredictResult::NewDestinataryAmountExceeded => "NEW_DESTINATARY_AMOUNT_EXCEEDED",
            PredictResult::MaxAmountExceeded => "MAX_AMOUNT_EXCEEDED",
            PredictResult::NewDestinataryCoolDown => "NEW_DESTINATARY_COOL_DOWN",
            PredictResult::NotAvailableAccount => "NOT_AVAILABLE_ACCOUNT",
            PredictResult::Unknown(s) => s,
        }
    }
}

impl From<&str> for PredictResult {
    fn from(s: &str) -> Self {
        match s.trim().to_ascii_uppercase().as_str() {
            "OK" => PredictResult::Ok,
            "NEW_DESTINATARY_AMOUNT_EXCEEDED" => PredictResult::NewDestinataryAmountExceeded,
            "MAX_AMOUNT_EXCEEDED" => PredictResult::MaxAmountExceeded,
            "NEW_DESTINATARY_COOL_DOWN" => PredictResult::NewDestinataryCoolDown,
            "NOT_AVAILABLE_ACCOUNT" => PredictResult::NotAvailableAccount,
            _ => PredictResult::Unknown(s.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for PredictResult {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(|s| PredictResult::from(s.as_str()))
    }
}

impl Serialize for PredictResult {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A prediction for one bank.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Prediction {
    /// The bank (in `/predict/all` only).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub bank_id: Option<String>,
    /// The bank's name (in `/predict/all` only).
    #[serde(default)]
    pub name: Option<String>,
    /// The prediction.
    #[serde(default)]
    pub result: Option<PredictResult>,
    /// The most this payer can pay, exact.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub max_amount: Option<Decimal>,
    /// Until when a new destinatary is cooling down.
    #[serde(default)]
    pub cool_down_date: Option<String>,
    /// The most for a new destinatary, exact.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub new_destinatary_max_amount: Option<Decimal>,
    /// Khipu's answer (for `/predict`; `null` inside `/predict/all`).
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// The answer to `/predict/all`: every bank of `/v3/banks`, in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AllPredictions {
    /// One prediction per bank.
    #[serde(default, deserialize_with = "de::null_as_default")]
    pub banks: Vec<Prediction>,
    /// Khipu's answer exactly as received.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

fn query(
    payer_email: &str,
    bank_id: Option<&str>,
    amount: &Money,
) -> Result<Vec<(&'static str, String)>> {
    validate::email("payer_email", payer_email)?;
    let mut q = vec![("payer_email", payer_email.to_string())];
    if let Some(b) = bank_id {
        validate::non_empty("bank_id", b)?;
        q.push(("bank_id", b.to_string()));
    }
    q.push(("amount", crate::amount::checked_text("amount", amount)?));
    q.push(("currency", amount.currency().code().to_string()));
    Ok(q)
}

/// `GET /v3/predict?payer_email=…&bank_id=…&amount=…&currency=…`.
#[derive(Debug, Clone, Copy)]
pub struct Predict<'a> {
    payer_email: &'a str,
    bank_id: &'a str,
    amount: &'a Money,
}

impl<'a> Predict<'a> {
    /// Predicts a payment of `amount` by `payer_email` from `bank_id`.
    pub fn new(payer_email: &'a str, bank_id: &'a str, amount: &'a Money) -> Self {
        Predict {
            payer_email,
            bank_id,
            amount,
        }
    }
}

impl Endpoint for Predict<'_> {
    type Output = Prediction;
    const OPERATION: &'static str = "predict";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let q = query(self.payer_email, Some(self.bank_id), self.amount)?;
        Ok(bare_request(Method::GET, base.join(&["v3", "predict"])?, Self::OPERATION)?.query(&q))
    }

    fn parse(&self, response: &Response) -> Result<Prediction> {
        let (mut p, raw): (Prediction, Raw) = parse_json(response)?;
        p.raw = raw;
        Ok(p)
    }
}

/// `GET /v3/predict/all?payer_email=…&amount=…&currency=…`.
#[derive(Debug, Clone, Copy)]
pub struct PredictAll<'a> {
    payer_email: &'a str,
    amount: &'a Money,
}

impl<'a> PredictAll<'a> {
    /// Predicts a payment of `amount` by `payer_email` from every bank.
    pub fn new(payer_email: &'a str, amount: &'a Money) -> Self {
        PredictAll {
            payer_email,
            amount,
        }
    }
}

impl Endpoint for PredictAll<'_> {
    type Output = AllPredictions;
    const OPERATION: &'static str = "predict_all";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let q = query(self.payer_email, None, self.amount)?;
        Ok(bare_request(
            Method::GET,
            base.join(&["v3", "predict", "all"])?,
            Self::OPERATION,
        )?
        .query(&q))
    }

    fn parse(&self, response: &Response) -> Result<AllPredictions> {
        let (mut p, raw): (AllPredictions, Raw) = parse_json(response)?;
        p.raw = raw;
        Ok(p)
    }
}

/// The predictions resource. Get one with [`KhipuV3Client::predict`].
#[derive(Clone, Copy)]
pub struct Predictions<'a> {
    client: &'a KhipuV3Client,
}

impl fmt::Debug for Predictions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Predictions")
    }
}

impl<'a> Predictions<'a> {
    pub(crate) fn new(client: &'a KhipuV3Client) -> Self {
        Predictions { client }
    }

    /// [`Predict`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn one(
        &self,
        payer_email: &str,
        bank_id: &str,
        amount: &Money,
    ) -> Result<Prediction> {
        self.client
            .run(&Predict::new(payer_email, bank_id, amount))
            .await
    }

    /// [`PredictAll`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn all(&self, payer_email: &str, amount: &Money) -> Result<AllPredictions> {
        self.client.run(&PredictAll::new(payer_email, amount)).await
    }
}
