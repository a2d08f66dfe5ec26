//! Khipu 3.0's records: receivers (API key → receiver id and merchant secret), payments
//! with their refunds, the refund wallet, and PAC subscriptions.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use time::OffsetDateTime;

use crate::config::Credentials;

/// The banks `GET /v3/banks` lists: `(bank_id, name, message, min_amount, type, parent)`.
/// DemoBank's id `Bawdf` is the one of Khipu's docs.
pub(super) const BANKS: [(&str, &str, &str, i64, &str, &str); 3] = [
    (
        "Bawdf",
        "DemoBank",
        "Banco de pruebas del sandbox",
        200,
        "Persona",
        "",
    ),
    (
        "Bawdg",
        "DemoBank Empresas",
        "Requiere clave de empresa",
        1000,
        "Empresa",
        "Bawdf",
    ),
    ("Bawdh", "Banco Sandbox", "", 1, "Persona", ""),
];

/// The refund wallet's opening balance (CLP), at start and after every reset.
pub(super) const WALLET_OPENING_CLP: i64 = 1_000_000;

/// A collection account: its merchant secret (webhook key) and, for children created
/// with `POST /v3/receivers`, its parent and business name.
#[derive(Debug, Clone)]
pub(super) struct Receiver {
    pub(super) id: String,
    pub(super) secret: String,
    pub(super) parent: Option<String>,
    pub(super) name: String,
    pub(super) created: OffsetDateTime,
}

/// Khipu 3.0's records.
#[derive(Debug)]
pub(crate) struct KhipuV3State {
    /// API key → receiver id.
    pub(super) keys: BTreeMap<String, String>,
    /// Receiver id → receiver.
    pub(super) receivers: BTreeMap<String, Receiver>,
    pub(super) payments: BTreeMap<String, Payment>,
    /// Refund wallet balance per currency.
    pub(super) wallet: BTreeMap<String, Decimal>,
    pub(super) subscriptions: BTreeMap<String, Subscription>,
    pub(super) next_receiver: u64,
}

impl KhipuV3State {
    /// The configured receiver (its API key and merchant secret), no payment.
    pub(super) fn new(credentials: &Credentials, now: OffsetDateTime) -> Self {
        let mut keys = BTreeMap::new();
        keys.insert(
            credentials.khipu_api_key.clone(),
            credentials.khipu_receiver_id.clone(),
        );
        let mut receivers = BTreeMap::new();
        receivers.insert(
            credentials.khipu_receiver_id.clone(),
            Receiver {
                id: credentials.khipu_receiver_id.clone(),
                secret: credentials.khipu_secret.clone(),
                parent: None,
                name: "Cobrador Sandbox".into(),
                created: now,
            },
        );
        let mut wallet = BTreeMap::new();
        wallet.insert("CLP".to_string(), Decimal::from(WALLET_OPENING_CLP));
        KhipuV3State {
            keys,
            receivers,
            payments: BTreeMap::new(),
            wallet,
            subscriptions: BTreeMap::new(),
            next_receiver: 60_001,
        }
    }

    /// A payment of this receiver.
    pub(super) fn payment_mut(&mut self, receiver_id: &str, id: &str) -> Option<&mut Payment> {
        self.payments
            .get_mut(id)
            .filter(|p| p.receiver_id == receiver_id)
    }

    /// The number of refunds of every payment.
    pub(super) fn refund_count(&self) -> usize {
        self.payments.values().map(|p| p.refunds.len()).sum()
    }
}

/// A payment's `status` (`deleted` once deleted: it stays queryable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Pending,
    Verifying,
    Done,
    Deleted,
}

impl Status {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Verifying => "verifying",
            Status::Done => "done",
            Status::Deleted => "deleted",
        }
    }
}

/// One refund of a payment (`refunds[]` of `GET /v3/payments/{id}`).
#[derive(Debug, Clone)]
pub(super) struct Refund {
    pub(super) id: String,
    /// `pending` (the wallet could not cover it) or `authorized`.
    pub(super) status: &'static str,
    pub(super) amount: Decimal,
    pub(super) request_date: OffsetDateTime,
    pub(super) authorization_date: Option<OffsetDateTime>,
}

/// The PAC subscription a charge's payment belongs to.
#[derive(Debug, Clone)]
pub(super) struct Charge {
    pub(super) subscription_id: String,
    pub(super) error_response_url: String,
}

/// A payment, with the fields of Khipu's `payment-get-payment` the sandbox keeps.
#[derive(Debug, Clone)]
pub(super) struct Payment {
    pub(super) id: String,
    pub(super) receiver_id: String,
    pub(super) notification_token: String,
    pub(super) subject: String,
    pub(super) amount: Decimal,
    pub(super) currency: String,
    pub(super) status: Status,
    pub(super) status_detail: &'static str,
    pub(super) body: Option<String>,
    pub(super) picture_url: Option<String>,
    pub(super) return_url: Option<String>,
    pub(super) cancel_url: Option<String>,
    pub(super) notify_url: Option<String>,
    pub(super) notify_api_version: Option<String>,
    pub(super) expires_date: OffsetDateTime,
    pub(super) transaction_id: Option<String>,
    pub(super) custom: Option<String>,
    pub(super) bank_id: Option<String>,
    pub(super) payer_name: Option<String>,
    pub(super) payer_email: Option<String>,
    pub(super) send_email: bool,
    pub(super) send_reminders: bool,
    pub(super) responsible_user_email: Option<String>,
    pub(super) fixed_payer_personal_identifier: Option<String>,
    pub(super) confirm_timeout_date: Option<OffsetDateTime>,
    pub(super) conciliation_date: Option<OffsetDateTime>,
    pub(super) payment_method: &'static str,
    pub(super) personal_identifier: Option<String>,
    pub(super) bank_account_number: Option<String>,
    pub(super) confirmed: bool,
    pub(super) refunds: Vec<Refund>,
    pub(super) charge: Option<Charge>,
    /// When it was created (PAC's monthly limit counts charges by month).
    pub(super) created: OffsetDateTime,
    /// The sandbox's `http://127.0.0.1:PORT`, for the payer links in webhooks.
    pub(super) origin: String,
}

impl Payment {
    /// What has been refunded (every refund counts: none expires in the sandbox).
    pub(super) fn total_refunded(&self) -> Decimal {
        self.refunds.iter().map(|r| r.amount).sum()
    }

    /// What can still be refunded.
    pub(super) fn refundable(&self) -> Decimal {
        if self.status_detail == "reversed" {
            Decimal::ZERO
        } else {
            self.amount - self.total_refunded()
        }
    }
}

/// A PAC subscription's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SubscriptionStatus {
    Pending,
    Enabled,
    Discarded,
}

impl SubscriptionStatus {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "PENDING",
            SubscriptionStatus::Enabled => "ENABLED",
            SubscriptionStatus::Discarded => "DISCARDED",
        }
    }
}

/// A PAC subscription (a bank mandate).
#[derive(Debug, Clone)]
pub(super) struct Subscription {
    pub(super) id: String,
    pub(super) receiver_id: String,
    pub(super) name: String,
    pub(super) email: String,
    pub(super) max_amount: Decimal,
    pub(super) max_amount_per_charge: Decimal,
    pub(super) currency: String,
    pub(super) notify_url: String,
    pub(super) service_reference: Option<String>,
    pub(super) status: SubscriptionStatus,
}
