//! The ONE mapping from TelePagos states to [`PaymentStatus`] and [`PayoutStatus`].
//!
//! # What the API says about state
//! Every TelePagos answer carries a `status` string. TelePagos' API documentation
//! ("API Telepagos Empresas") lists only the envelope's values, `"ok"` and `"error"`
//! (an error answer never reaches this table:
//! it is an [`Error::Provider`](pagos_core::Error::Provider)), and no transfer or
//! credit states. So a status is always **read**: a state word decides alone, and
//! only the bare `"ok"` takes its meaning from what the endpoint documents it returns
//! (a record of a credit, a transfer's receipt):
//!
//! | TelePagos answer | unified status | why |
//! |---|---|---|
//! | a payment link or QR was just generated | [`PaymentStatus::Pending`] | nobody has paid yet |
//! | `GET v2/payment/cashin/{id}`: `"ok"` | [`PaymentStatus::Succeeded`] | the endpoint "devuelve información sobre {id} acreditación" (TelePagos API, cash-in lookup): the record is of a credit that happened, and `"ok"` says it was found |
//! | `GET v2/payment/cashin/{id}`: any other `status` | [`payment_status`] of it | the record's own word wins; unknown text is `Unknown` |
//! | `POST v2/payment/cashout`: `"ok"` (or no `status`) with an `id` | [`PayoutStatus::Processing`] | accepted, nothing more is known |
//! | `POST v2/payment/cashout`: any other `status` | [`payout_status`] of it | a state it names wins over "accepted" |
//! | `GET v2/payment/cashout/{id}`: `"ok"` with a voucher | [`PayoutStatus::Succeeded`] | the endpoint "devuelve un comprobante de {id} transferencia" (TelePagos API, cash-out lookup): a receipt of the transfer, and `"ok"` says it was issued |
//! | `GET v2/payment/cashout/{id}`: `"ok"` without a voucher | [`PayoutStatus::Processing`] | found, but no receipt yet |
//! | `GET v2/payment/cashout/{id}`: any other `status` | [`payout_status`] of it | the voucher plays no part: a refused transfer can have one too, so `"rechazada"` with a voucher is `Failed` |
//!
//! A missing `status` in a lookup is `Unknown("")`. A status the table below does not
//! list is `Unknown` with the text as received: never `Succeeded`.
//!
//! # Status strings
//! The values TelePagos may send are not listed anywhere (the transactions of
//! `GET v2/account/transactions` carry a free-text `status` too). [`payment_status`]
//! and [`payout_status`] map only words whose meaning is unambiguous in Spanish or
//! English (compared ignoring case, surrounding space, and `_`/`-`/space
//! differences); anything else is `Unknown` with the text as received, never a guess.
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

/// The envelope's success marker: it says the call worked, not what state the
/// operation is in.
fn is_envelope_ok(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case("ok")
}

/// The `status` of a cash-in lookup (`GET v2/payment/cashin/{id}`): `"ok"` is a
/// credit that happened (the record is an acreditación), anything else is read
/// through the table; a missing one is `Unknown("")`.
pub(crate) fn looked_up_payment(status: Option<&str>) -> PaymentStatus {
    match status {
        Some(text) if is_envelope_ok(text) => PaymentStatus::Succeeded,
        other => payment_status(other.unwrap_or_default()),
    }
}

/// The `status` of a cash-out lookup (`GET v2/payment/cashout/{id}`): `"ok"` with a
/// voucher (the transfer's receipt) is `Succeeded`, `"ok"` without one `Processing`;
/// anything else is read through the table whatever the voucher; a missing one is
/// `Unknown("")`.
pub(crate) fn looked_up_payout(status: Option<&str>, has_voucher: bool) -> PayoutStatus {
    match status {
        Some(text) if is_envelope_ok(text) && has_voucher => PayoutStatus::Succeeded,
        Some(text) if is_envelope_ok(text) => PayoutStatus::Processing,
        other => payout_status(other.unwrap_or_default()),
    }
}

/// The `status` of the answer to `POST v2/payment/cashout`: `"ok"` or none means
/// accepted (`Processing`); a state the table knows is that state; anything else is
/// `Unknown`.
pub(crate) fn cashout_accepted(status: Option<&str>) -> PayoutStatus {
    match status {
        None => PayoutStatus::Processing,
        Some(text) if is_envelope_ok(text) => PayoutStatus::Processing,
        Some(text) => payout_status(text),
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
        // "ok" and "error" are the only values TelePagos documents, and both are the
        // envelope's: neither is a state. The sandbox's sale points say "active".
        for text in [
            "ok",
            "OK",
            "error",
            "active",
            "",
            "parcial",
            "aprobada parcialmente",
            "en_revision",
            "no aprobada",
        ] {
            assert_eq!(
                payment_status(text),
                PaymentStatus::Unknown(text.to_string())
            );
            assert_eq!(payout_status(text), PayoutStatus::Unknown(text.to_string()));
        }
    }

    #[test]
    fn lookups_read_the_status() {
        use PaymentStatus as P;
        use PayoutStatus as O;
        // "ok" on a found credit record, and "ok" with a voucher, are what the lookups
        // document as done; "ok" without a voucher is a transfer still without receipt.
        assert_eq!(looked_up_payment(Some("ok")), P::Succeeded);
        assert_eq!(looked_up_payment(Some(" OK ")), P::Succeeded);
        assert_eq!(looked_up_payout(Some("ok"), true), O::Succeeded);
        assert_eq!(looked_up_payout(Some("ok"), false), O::Processing);
        assert_eq!(looked_up_payout(Some("rechazada"), true), O::Failed);
        assert_eq!(
            looked_up_payout(Some("en_revision"), true),
            O::Unknown("en_revision".into())
        );
        let rows: &[(Option<&str>, P, O)] = &[
            (None, P::Unknown(String::new()), O::Unknown(String::new())),
            (Some("rechazada"), P::Failed, O::Failed),
            (Some("acreditada"), P::Succeeded, O::Succeeded),
            (Some("completada"), P::Succeeded, O::Succeeded),
            (Some("pendiente"), P::Pending, O::Pending),
            (Some("devuelta"), P::Refunded, O::Failed),
            (
                Some("en_revision"),
                P::Unknown("en_revision".into()),
                O::Unknown("en_revision".into()),
            ),
        ];
        for (status, payment, payout) in rows {
            assert_eq!(&looked_up_payment(*status), payment, "{status:?}");
            for voucher in [false, true] {
                assert_eq!(&looked_up_payout(*status, voucher), payout, "{status:?}");
            }
        }
    }

    #[test]
    fn a_cashout_answer_is_accepted_unless_it_names_a_state() {
        assert_eq!(generated_payment(), PaymentStatus::Pending);
        assert_eq!(cashout_accepted(None), PayoutStatus::Processing);
        assert_eq!(cashout_accepted(Some("ok")), PayoutStatus::Processing);
        assert_eq!(cashout_accepted(Some(" OK ")), PayoutStatus::Processing);
        assert_eq!(cashout_accepted(Some("rechazada")), PayoutStatus::Failed);
        assert_eq!(cashout_accepted(Some("aprobada")), PayoutStatus::Succeeded);
        assert_eq!(
            cashout_accepted(Some("en_revision")),
            PayoutStatus::Unknown("en_revision".into())
        );
    }
}
