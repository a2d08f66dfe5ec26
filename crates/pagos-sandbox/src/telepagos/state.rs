//! TelePagos' catalogues and records: the balance, tokens, cash-outs (with their
//! `reference_id`s), payables (QR orders and links), cash-ins, sale points and the
//! transactions table.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use time::OffsetDateTime;

/// Transfer concepts (BCRA motives), `VAR` being the default.
pub(super) const CONCEPTS: [(&str, &str); 9] = [
    ("ALQ", "Alquiler"),
    ("CUO", "Cuota"),
    ("EXP", "Expensas"),
    ("FAC", "Factura"),
    ("PRE", "Préstamo"),
    ("SEG", "Seguro"),
    ("HON", "Honorarios"),
    ("HAB", "Haberes"),
    ("VAR", "Varios"),
];

/// Transaction operations: `(id, name, type)`.
pub(super) const OPERATIONS: [(&str, &str, &str); 4] = [
    ("cashout", "Transferencia enviada", "egress"),
    ("cashin_qr", "Cobro con QR", "income"),
    ("cashin_link", "Cobro con link de pago", "income"),
    ("cashin_transfer", "Transferencia recibida", "income"),
];

/// The payer every simulated cash-in comes from.
pub(super) const PAYER_CUIT: &str = "20267565393";
pub(super) const PAYER_CVU: &str = "2850590940090418135201";
pub(super) const PAYER_NAME: &str = "Pagador Sandbox";

/// TelePagos' records.
#[derive(Debug)]
pub(crate) struct TelePagosState {
    pub(super) balance: Decimal,
    /// Token → expiry.
    pub(super) tokens: BTreeMap<String, OffsetDateTime>,
    pub(super) cashouts: Vec<Cashout>,
    /// `reference_id` → (fingerprint of the request, cash-out id).
    pub(super) references: BTreeMap<String, (String, u64)>,
    pub(super) payables: Vec<Payable>,
    pub(super) cashins: Vec<Cashin>,
    pub(super) sale_points: Vec<SalePoint>,
    pub(super) transactions: Vec<Transaction>,
    pub(super) next_payable: u64,
    pub(super) next_cashout: u64,
    pub(super) next_sale_point: u64,
    pub(super) next_transaction: u64,
}

impl TelePagosState {
    pub(super) fn new(balance: Decimal) -> Self {
        TelePagosState {
            balance,
            tokens: BTreeMap::new(),
            cashouts: Vec::new(),
            references: BTreeMap::new(),
            payables: Vec::new(),
            cashins: Vec::new(),
            sale_points: Vec::new(),
            transactions: Vec::new(),
            next_payable: 5_001,
            next_cashout: 90_001,
            next_sale_point: 1,
            next_transaction: 1,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Cashout {
    pub(super) id: u64,
    pub(super) cvu: String,
    pub(super) cuit: String,
    pub(super) amount: Decimal,
    pub(super) concept: String,
    pub(super) description: Option<String>,
    pub(super) created: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum PayableKind {
    Qr,
    StaticQr {
        sale_point_id: u64,
    },
    Link {
        multiple_use: bool,
        distributed: Decimal,
    },
    Transfer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PayableStatus {
    Open,
    Paid,
    Expired,
}

#[derive(Debug, Clone)]
pub(super) struct Payable {
    pub(super) id: u64,
    pub(super) kind: PayableKind,
    pub(super) amount: Decimal,
    pub(super) concept: String,
    pub(super) description: Option<String>,
    pub(super) expires: Option<OffsetDateTime>,
    pub(super) status: PayableStatus,
}

#[derive(Debug, Clone)]
pub(super) struct Cashin {
    pub(super) id: u64,
    pub(super) payable_id: u64,
    pub(super) kind: PayableKind,
    pub(super) amount: Decimal,
    pub(super) concept: String,
    pub(super) description: Option<String>,
    pub(super) transaction_id: u64,
}

#[derive(Debug, Clone)]
pub(super) struct SalePoint {
    pub(super) id: u64,
    pub(super) name: String,
    pub(super) active: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Transaction {
    pub(super) id: u64,
    pub(super) income: bool,
    pub(super) date: OffsetDateTime,
    pub(super) amount: Decimal,
    pub(super) operation: &'static str,
    pub(super) holder: String,
    pub(super) cuit: String,
    pub(super) cvu_cbu: String,
    pub(super) sale_point_name: Option<String>,
}

impl TelePagosState {
    /// Adds a row to the transactions table and returns its id.
    #[allow(clippy::too_many_arguments)] // one row of the transactions table, field by field
    pub(super) fn push_transaction(
        &mut self,
        income: bool,
        date: OffsetDateTime,
        amount: Decimal,
        operation: &'static str,
        holder: String,
        cuit: String,
        cvu_cbu: String,
        sale_point_name: Option<String>,
    ) -> u64 {
        let id = self.next_transaction;
        self.next_transaction += 1;
        self.transactions.push(Transaction {
            id,
            income,
            date,
            amount,
            operation,
            holder,
            cuit,
            cvu_cbu,
            sale_point_name,
        });
        id
    }

    /// Registers a payable (QR order or link) and returns its id.
    pub(super) fn new_payable(
        &mut self,
        kind: PayableKind,
        amount: Decimal,
        concept: String,
        description: Option<String>,
        expires: Option<OffsetDateTime>,
    ) -> u64 {
        let id = self.next_payable;
        self.next_payable += 1;
        self.payables.push(Payable {
            id,
            kind,
            amount,
            concept,
            description,
            expires,
            status: PayableStatus::Open,
        });
        id
    }

    /// An active sale point.
    pub(super) fn active_sale_point(&self, id: u64) -> Option<&SalePoint> {
        self.sale_points.iter().find(|s| s.id == id && s.active)
    }
}

/// The zone of TelePagos' zoneless `Y-m-d H:i:s` timestamps and `Y-m-d` dates, as this
/// sandbox reads and writes them: Argentina time, UTC−3 (no daylight saving time). The
/// TelePagos API does not say; a local PHP-style format suggests local time.
pub(super) const ZONE: time::UtcOffset = time::macros::offset!(-3);

/// An instant as TelePagos shows it: in [`ZONE`].
pub(super) fn local(t: OffsetDateTime) -> OffsetDateTime {
    t.checked_to_offset(ZONE).unwrap_or(t)
}

/// A zoneless timestamp (parsed as if UTC) read in [`ZONE`] instead.
pub(super) fn from_local(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_offset(ZONE)
}

/// A numeric TelePagos id from a path segment.
pub(super) fn parse_id(id: &str) -> Option<u64> {
    id.parse().ok()
}
