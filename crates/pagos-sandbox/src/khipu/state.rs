//! Khipu's records: receivers (id → secret) and payments.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use time::OffsetDateTime;

use crate::config::Credentials;

/// The banks `GET /banks` lists: `(bank_id, name, message, min_amount, type, parent)`.
pub(super) const BANKS: [(&str, &str, &str, &str, &str, &str); 3] = [
    (
        "Bawdf",
        "DemoBank",
        "Banco de pruebas del sandbox",
        "200.0000",
        "Persona",
        "",
    ),
    (
        "Bawdg",
        "DemoBank Empresas",
        "Requiere clave de empresa",
        "1000.0000",
        "Empresa",
        "Bawdf",
    ),
    ("Bawdh", "Banco Sandbox", "", "1.0000", "Persona", ""),
];

/// Khipu's records: receivers (id → secret) and payments.
#[derive(Debug)]
pub(crate) struct KhipuState {
    pub(super) receivers: BTreeMap<String, String>,
    pub(super) payments: BTreeMap<String, Payment>,
    pub(super) next_receiver: u64,
}

impl KhipuState {
    /// The configured receiver and no payment.
    pub(super) fn new(credentials: &Credentials) -> Self {
        let mut receivers = BTreeMap::new();
        receivers.insert(
            credentials.khipu_receiver_id.clone(),
            credentials.khipu_secret.clone(),
        );
        KhipuState {
            receivers,
            payments: BTreeMap::new(),
            next_receiver: 50_001,
        }
    }

    /// A payment of the receiver that signed the request.
    pub(super) fn find_mut(&mut self, receiver_id: &str, id: &str) -> Option<&mut Payment> {
        self.payments
            .get_mut(id)
            .filter(|p| p.receiver_id == receiver_id)
    }
}

/// A payment's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Pending,
    Verifying,
    Done,
}

impl Status {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Verifying => "verifying",
            Status::Done => "done",
        }
    }
}

/// A payment, with the fields of Khipu's `PaymentsResponse` that the sandbox keeps.
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
    pub(super) payment_method: Option<&'static str>,
    pub(super) personal_identifier: Option<String>,
    pub(super) bank_account_number: Option<String>,
    pub(super) refunded: Decimal,
    pub(super) confirmed: bool,
}
