//! Refunds from the refund wallet: `POST /v3/refunds` (full or partial) and
//! `GET /v3/refund-wallet/balance`. Both need the wallet enabled by Khipu support;
//! a wallet not enabled is a 400 whose field error is on `receiver_id`.

use std::fmt;

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{BaseUrl, Decimal, Money, Raw, Request, Response, Result, validate};
use serde::{Deserialize, Serialize};

use super::{KhipuV3Client, bare_request, json_request, parse_json};
use crate::de;

/// The answer to `POST /v3/refunds`. Amounts are exact (Khipu writes them as strings
/// with 4 decimals).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct RefundResult {
    /// The refund's id.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub id: Option<String>,
    /// The payment refunded.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub payment_id: Option<String>,
    /// This refund's amount.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub refunded_amount: Option<Decimal>,
    /// The payment's total refunded so far.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub total_refunded: Option<Decimal>,
    /// What remains refundable.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub remaining: Option<Decimal>,
    /// The currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// A wallet warning (e.g. insufficient balance for today's refunds).
    #[serde(default)]
    pub message: Option<String>,
    /// Khipu's answer exactly as received.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// The refund wallet's balance.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct WalletBalance {
    /// The balance, exact.
    #[serde(default, with = "pagos_core::wire::lenient_decimal::option")]
    pub balance: Option<Decimal>,
    /// The currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Where to add funds.
    #[serde(default)]
    pub add_funds_url: Option<String>,
    /// Khipu's answer exactly as received.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

#[derive(Serialize)]
struct RefundBody<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    payment_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<String>,
}

/// `POST /v3/refunds`: refunds a reconciled payment (≤ 180 days after
/// reconciliation) in full (`{"type":"full","payment_id":…}`) or in part
/// (`{"type":"partial","payment_id":…,"amount":"5000"}`, the amount a **string**).
///
/// Sent once: Khipu does not deduplicate refunds and has answered 500 after
/// processing one, so a 5xx, timeout or unreadable answer is an unknown outcome whose
/// hint names the payment to check.
///
/// ```
/// use pagos_core::{Currency, Money};
/// use pagos_khipu::v3::refunds::CreateRefund;
/// let amount = Money::parse("5000", Currency::Clp)?;
/// let partial = CreateRefund::partial("zfxnocsow6mz", &amount);
/// # let _ = (partial, CreateRefund::full("zfxnocsow6mz"));
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CreateRefund<'a> {
    payment_id: &'a str,
    amount: Option<&'a Money>,
}

impl<'a> CreateRefund<'a> {
    /// Refunds the whole of `payment_id`.
    pub fn full(payment_id: &'a str) -> Self {
        CreateRefund {
            payment_id,
            amount: None,
        }
    }

    /// Refunds `amount` of `payment_id`.
    pub fn partial(payment_id: &'a str, amount: &'a Money) -> Self {
        CreateRefund {
            payment_id,
            amount: Some(amount),
        }
    }
}

impl Endpoint for CreateRefund<'_> {
    type Output = RefundResult;
    const OPERATION: &'static str = "create_refund";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        validate::non_empty("payment_id", self.payment_id)?;
        validate::max_chars("payment_id", self.payment_id, 255)?;
        let body = RefundBody {
            kind: if self.amount.is_some() {
                "partial"
            } else {
                "full"
            },
            payment_id: self.payment_id,
            amount: self
                .amount
                .map(|m| crate::amount::checked_text("amount", m))
                .transpose()?,
        };
        json_request(
            Method::POST,
            base.join(&["v3", "refunds"])?,
            Self::OPERATION,
            Some(&body),
        )
    }

    fn parse(&self, response: &Response) -> Result<RefundResult> {
        let (mut r, raw): (RefundResult, Raw) = parse_json(response)?;
        r.raw = raw;
        Ok(r)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some(format!(
            "Khipu does not deduplicate refunds and has answered 5xx after processing one: check refunds[] of GET /v3/payments/{} before refunding again",
            self.payment_id
        ))
    }
}

/// `GET /v3/refund-wallet/balance`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GetRefundWalletBalance {
    _private: (),
}

impl GetRefundWalletBalance {
    /// Reads the balance.
    pub fn new() -> Self {
        GetRefundWalletBalance::default()
    }
}

impl Endpoint for GetRefundWalletBalance {
    type Output = WalletBalance;
    const OPERATION: &'static str = "get_refund_wallet_balance";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        bare_request(
            Method::GET,
            base.join(&["v3", "refund-wallet", "balance"])?,
            Self::OPERATION,
        )
    }

    fn parse(&self, response: &Response) -> Result<WalletBalance> {
        let (mut b, raw): (WalletBalance, Raw) = parse_json(response)?;
        b.raw = raw;
        Ok(b)
    }
}

/// The refunds resource. Get one with [`KhipuV3Client::refunds`].
#[derive(Clone, Copy)]
pub struct Refunds<'a> {
    client: &'a KhipuV3Client,
}

impl fmt::Debug for Refunds<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Refunds")
    }
}

impl<'a> Refunds<'a> {
    pub(crate) fn new(client: &'a KhipuV3Client) -> Self {
        Refunds { client }
    }

    /// Refunds all of a payment ([`CreateRefund::full`]).
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn full(&self, payment_id: &str) -> Result<RefundResult> {
        self.client.run(&CreateRefund::full(payment_id)).await
    }

    /// Refunds part of a payment ([`CreateRefund::partial`]).
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn partial(&self, payment_id: &str, amount: &Money) -> Result<RefundResult> {
        self.client
            .run(&CreateRefund::partial(payment_id, amount))
            .await
    }

    /// The refund wallet's balance ([`GetRefundWalletBalance`]).
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn wallet_balance(&self) -> Result<WalletBalance> {
        self.client.run(&GetRefundWalletBalance::new()).await
    }
}
