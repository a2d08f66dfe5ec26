//! The ONE mapping from TelePagos states to [`PaymentStatus`] and [`PayoutStatus`].
//!
//! # What the API says about state
//! The seed documents no status values. The state of an operation follows from which
//! answer exists:
//!
//! | TelePagos fact | unified status | why |
//! |---|---|---|
//! | a payment link or QR was just generated | [`PaymentStatus::Pending`] | nobody has paid yet |
//! | `GET v2/payment/cashin/{id}` returns a record | [`PaymentStatus::Succeeded`] | a cash-in is an *acreditación*: money already credited |
//! | `POST v2/payment/cashout` returned an `id` | [`PayoutStatus::Processing`] | accepted; the voucher confirms it |
//! | `GET v2/payment/cashout/{id}` returns a voucher | [`PayoutStatus::Succeeded`] | a comprobante is issued for a completed transfer |
//! | the same, without a voucher | [`PayoutStatus::Processing`] | no proof yet |
//!
//! # Transaction `status` strings
//! `GET v2/account/transactions` returns a free-text `status` per movement whose values
//! the seed does not list. [`payment_status`] and [`payout_status`] map only words whose
//! meaning is unambiguous in Spanish or English (compared ignoring case, surrounding
//! space, and `_`/`-`/space differences); anything else is `Unknown` with the text
//! as received, never a guess.
//!
//! | status text | payment | payout |
//! |---|---|---|
//! | `aprobada`/`aprobado`/`approved`, `acreditada`/`acreditado`/`credited`, `completada`/`completado`/`completed`, `exitosa`/`exitoso`/`successful`/`success` | Succeeded | Succeeded |
//! | `pendiente`/`pending` | Pending | Pending |
//! | `en proceso`/`procesando`/`processing`/`in progress` | Processing | Processing |
//! | `rechazada`/`rechazado`/`rejected`, `fallida`/`fallido`/`failed` | Failed | Failed |
//! | `cancelada`/`cancelado`/`canceled`/`cancelled`, `anulada`/`anulado`/`voided` | Canceled | Failed |
//! | `vencida`/`vencido`/`expirada`/`expirado`/`expired` | Expired | Failed |
//! | `devuelta`/`devuelto`/`reintegrada`/`reintegrado`/`refunded`/`returned` | Refunded | Failed |
//! | anything else | Unknown(text) | Unknown(text) |
//!
//! A payout that was canceled, expired or returned did not reach (or did not stay
//! with) the beneficiary, which [`PayoutStatus`] calls `Failed`.

use pagos_core::{PaymentStatus, PayoutStatus};

/// The states the transaction table knows, before projecting onto payments or payouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Succeeded,
    Pending,
    Processing,
    Failed,
    Canceled,
    Expired,
    Refunded,
}

/// The table of the [module docs](self), keyed by normalized text.
const TABLE: &[(&str, Known)] = &[
    ("aprobada", Known::Succeeded),
    ("aprobado", Known::Succeeded),
    ("approved", Known::Succeeded),
    ("acreditada", Known::Succeeded),
    ("acreditado", Known::Succeeded),
    ("credited", Known::Succeeded),
    ("completada", Known::Succeeded),
    ("completado", Known::Succeeded),
    ("completed", Known::Succeeded),
    ("exitosa", Known::Succeeded),
    ("exitoso", Known::Succeeded),
    ("successful", Known::Succeeded),
    ("success", Known::Succeeded),
    ("pendiente", Known::Pending),
    ("pending", Known::Pending),
    ("en_proceso", Known::Processing),
    ("procesando", Known::Processing),
    ("processing", Known::Processing),
    ("in_progress", Known::Processing),
    ("rechazada", Known::Failed),
    ("rechazado", Known::Failed),
    ("rejected", Known::Failed),
    ("fallida", Known::Failed),
    ("fallido", Known::Failed),
    ("failed", Known::Failed),
    ("cancelada", Known::Canceled),
    ("cancelado", Known::Canceled),
    ("canceled", Known::Canceled),
    ("cancelled", Known::Canceled),
    ("anulada", Known::Canceled),
    ("anulado", Known::Canceled),
    ("voided", Known::Canceled),
    ("vencida", Known::Expired),
    ("vencido", Known::Expired),
    ("expirada", Known::Expired),
    ("expirado", Known::Expired),
    ("expired", Known::Expired),
    ("devuelta", Known::Refunded),
    ("devuelto", Known::Refunded),
    ("reintegrada", Known::Refunded),
    ("reintegrado", Known::Refunded),
    ("refunded", Known::Refunded),
    ("returned", Known::Refunded),
];

fn normalize(text: &str) -> String {
    text.trim()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
        .to_lowercase()
}

fn known(text: &str) -> Option<Known> {
    let key = normalize(text);
    TABLE.iter().find(|(k, _)| *k == key).map(|(_, s)| *s)
}

/// A transaction `status` read as a payment (money in).
///
/// ```
/// use pagos_core::PaymentStatus;
/// use pagos_telepagos::status::payment_status;
/// assert_eq!(payment_status("Aprobada"), PaymentStatus::Succeeded);
/// assert_eq!(payment_status("misterio"), PaymentStatus::Unknown("misterio".into()));
/// ```
pub fn payment_status(text: &str) -> PaymentStatus {
    match known(text) {
        Some(Known::Succeeded) => PaymentStatus::Succeeded,
        Some(Known::Pending) => PaymentStatus::Pending,
        Some(Known::Processing) => PaymentStatus::Processing,
        Some(Known::Failed) => PaymentStatus::Failed,
        Some(Known::Canceled) => PaymentStatus::Canceled,
        Some(Known::Expired) => PaymentStatus::Expired,
        Some(Known::Refunded) => PaymentStatus::Refunded,
        None => PaymentStatus::Unknown(text.to_string()),
    }
}

/// A transaction `status` read as a payout (money out).
///
/// ```
/// use pagos_core::PayoutStatus;
/// use pagos_telepagos::status::payout_status;
/// assert_eq!(payout_status("rechazada"), PayoutStatus::Failed);
/// ```
pub fn payout_status(text: &str) -> PayoutStatus {
    match known(text) {
        Some(Known::Succeeded) => PayoutStatus::Succeeded,
        Some(Known::Pending) => PayoutStatus::Pending,
        Some(Known::Processing) => PayoutStatus::Processing,
        Some(Known::Failed | Known::Canceled | Known::Expired | Known::Refunded) => {
            PayoutStatus::Failed
        }
        None => PayoutStatus::Unknown(text.to_string()),
    }
}

/// A payment link or QR that was just generated: nobody has paid yet.
pub(crate) const fn generated_payment() -> PaymentStatus {
    PaymentStatus::Pending
}

/// A cash-in record exists: the money was credited.
pub(crate) const fn cash_in_found() -> PaymentStatus {
    PaymentStatus::Succeeded
}

/// A cash-out was accepted (`POST v2/payment/cashout` returned an id).
pub(crate) const fn cashout_accepted() -> PayoutStatus {
    PayoutStatus::Processing
}

/// A cash-out's voucher query: a voucher means the transfer was completed.
pub(crate) const fn cashout_with_voucher(has_voucher: bool) -> PayoutStatus {
    if has_voucher {
        PayoutStatus::Succeeded
    } else {
        PayoutStatus::Processing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_status_table() {
        use PaymentStatus as P;
        use PayoutStatus as O;
        let s = (P::Succeeded, O::Succeeded);
        let pending = (P::Pending, O::Pending);
        let processing = (P::Processing, O::Processing);
        let failed = (P::Failed, O::Failed);
        let canceled = (P::Canceled, O::Failed);
        let expired = (P::Expired, O::Failed);
        let refunded = (P::Refunded, O::Failed);
        let table: &[(&str, (P, O))] = &[
            ("aprobada", s.clone()),
            ("Aprobado", s.clone()),
            ("APPROVED", s.clone()),
            ("acreditada", s.clone()),
            ("acreditado", s.clone()),
            ("credited", s.clone()),
            ("completada", s.clone()),
            ("completado", s.clone()),
            ("completed", s.clone()),
            ("exitosa", s.clone()),
            ("exitoso", s.clone()),
            ("successful", s.clone()),
            ("success", s.clone()),
            (" pendiente ", pending.clone()),
            ("pending", pending),
            ("En proceso", processing.clone()),
            ("en_proceso", processing.clone()),
            ("procesando", processing.clone()),
            ("processing", processing.clone()),
            ("in-progress", processing.clone()),
            ("in progress", processing),
            ("rechazada", failed.clone()),
            ("rechazado", failed.clone()),
            ("rejected", failed.clone()),
            ("fallida", failed.clone()),
            ("fallido", failed.clone()),
            ("failed", failed),
            ("cancelada", canceled.clone()),
            ("cancelado", canceled.clone()),
            ("canceled", canceled.clone()),
            ("cancelled", canceled.clone()),
            ("anulada", canceled.clone()),
            ("anulado", canceled.clone()),
            ("voided", canceled),
            ("vencida", expired.clone()),
            ("vencido", expired.clone()),
            ("expirada", expired.clone()),
            ("expirado", expired.clone()),
            ("expired", expired),
            ("devuelta", refunded.clone()),
            ("devuelto", refunded.clone()),
            ("reintegrada", refunded.clone()),
            ("reintegrado", refunded.clone()),
            ("refunded", refunded.clone()),
            ("returned", refunded),
        ];
        for (text, (payment, payout)) in table {
            assert_eq!(&payment_status(text), payment, "{text}");
            assert_eq!(&payout_status(text), payout, "{text}");
        }
        // Every row of the table above is tested.
        for (key, _) in TABLE {
            assert!(
                table.iter().any(|(t, _)| normalize(t) == *key),
                "{key} has no test row"
            );
        }
    }

    #[test]
    fn unknown_keeps_the_text() {
        for text in ["ok", "", "parcial", "aprobada parcialmente"] {
            assert_eq!(
                payment_status(text),
                PaymentStatus::Unknown(text.to_string())
            );
            assert_eq!(payout_status(text), PayoutStatus::Unknown(text.to_string()));
        }
    }

    #[test]
    fn facts() {
        assert_eq!(generated_payment(), PaymentStatus::Pending);
        assert_eq!(cash_in_found(), PaymentStatus::Succeeded);
        assert_eq!(cashout_accepted(), PayoutStatus::Processing);
        assert_eq!(cashout_with_voucher(true), PayoutStatus::Succeeded);
        assert_eq!(cashout_with_voucher(false), PayoutStatus::Processing);
    }
}
