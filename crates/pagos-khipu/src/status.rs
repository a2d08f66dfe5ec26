//! The one table from Khipu's `status` × `status_detail` to [`PaymentStatus`].
//!
//! | `status` | `status_detail` | [`PaymentStatus`] |
//! |---|---|---|
//! | `pending` | `rejected-by-payer`, `marked-as-abuse` | `Failed` |
//! | `pending` | `pending`, absent, anything else | `Pending` |
//! | `verifying` | any | `Processing` |
//! | `done` | `normal`, `marked-paid-by-receiver`, absent | `Succeeded` |
//! | `done` | `reversed`, `fully-refunded` | `Refunded` |
//! | `done` | `partially-refunded` | `PartiallyRefunded` |
//! | `done` | `rejected-by-payer`, `marked-as-abuse` | `Failed` |
//! | `done` | `pending` or an unknown detail | `Unknown("done/<detail>")` |
//! | unknown | any | `Unknown(<status>)` |
//! | absent | any | `Unknown("")` |
//!
//! A `done` payment with a detail this SDK does not know is *not* reported as
//! succeeded: a new detail could as well mean a reversal, and "paid" must be certain.

use pagos_core::PaymentStatus;

use crate::payments::{KhipuStatus, StatusDetail};

/// Maps Khipu's status and status detail to the unified [`PaymentStatus`].
///
/// ```
/// use pagos_core::PaymentStatus;
/// use pagos_khipu::status::payment_status;
/// use pagos_khipu::{KhipuStatus, StatusDetail};
///
/// assert_eq!(
///     payment_status(Some(&KhipuStatus::Done), Some(&StatusDetail::Normal)),
///     PaymentStatus::Succeeded
/// );
/// ```
pub fn payment_status(
    status: Option<&KhipuStatus>,
    detail: Option<&StatusDetail>,
) -> PaymentStatus {
    use StatusDetail as D;
    match (status, detail) {
        (None, _) => PaymentStatus::Unknown(String::new()),
        (Some(KhipuStatus::Pending), Some(D::RejectedByPayer | D::MarkedAsAbuse)) => {
            PaymentStatus::Failed
        }
        (Some(KhipuStatus::Pending), _) => PaymentStatus::Pending,
        (Some(KhipuStatus::Verifying), _) => PaymentStatus::Processing,
        (Some(KhipuStatus::Done), None | Some(D::Normal | D::MarkedPaidByReceiver)) => {
            PaymentStatus::Succeeded
        }
        (Some(KhipuStatus::Done), Some(D::Reversed | D::FullyRefunded)) => PaymentStatus::Refunded,
        (Some(KhipuStatus::Done), Some(D::PartiallyRefunded)) => PaymentStatus::PartiallyRefunded,
        (Some(KhipuStatus::Done), Some(D::RejectedByPayer | D::MarkedAsAbuse)) => {
            PaymentStatus::Failed
        }
        (Some(KhipuStatus::Done), Some(other)) => {
            PaymentStatus::Unknown(format!("done/{}", other.as_str()))
        }
        (Some(KhipuStatus::Unknown(raw)), _) => PaymentStatus::Unknown(raw.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(status: Option<&str>, detail: Option<&str>) -> PaymentStatus {
        let s = status.map(KhipuStatus::from);
        let d = detail.map(StatusDetail::from);
        payment_status(s.as_ref(), d.as_ref())
    }

    #[test]
    fn status_mapping_table() {
        use PaymentStatus::*;
        let unknown = |s: &str| Unknown(s.to_string());
        let table: &[(Option<&str>, Option<&str>, PaymentStatus)] = &[
            // pending × every detail
            (Some("pending"), Some("pending"), Pending),
            (Some("pending"), None, Pending),
            (Some("pending"), Some("normal"), Pending),
            (Some("pending"), Some("marked-paid-by-receiver"), Pending),
            (Some("pending"), Some("rejected-by-payer"), Failed),
            (Some("pending"), Some("marked-as-abuse"), Failed),
            (Some("pending"), Some("reversed"), Pending),
            (Some("pending"), Some("something-new"), Pending),
            // verifying × every detail
            (Some("verifying"), Some("pending"), Processing),
            (Some("verifying"), Some("normal"), Processing),
            (
                Some("verifying"),
                Some("marked-paid-by-receiver"),
                Processing,
            ),
            (Some("verifying"), Some("rejected-by-payer"), Processing),
            (Some("verifying"), Some("marked-as-abuse"), Processing),
            (Some("verifying"), Some("reversed"), Processing),
            (Some("verifying"), None, Processing),
            (Some("verifying"), Some("something-new"), Processing),
            // done × every detail
            (Some("done"), Some("normal"), Succeeded),
            (Some("done"), Some("marked-paid-by-receiver"), Succeeded),
            (Some("done"), None, Succeeded),
            (Some("done"), Some("reversed"), Refunded),
            (Some("done"), Some("fully-refunded"), Refunded),
            (Some("done"), Some("partially-refunded"), PartiallyRefunded),
            (Some("pending"), Some("fully-refunded"), Pending),
            (Some("verifying"), Some("partially-refunded"), Processing),
            (Some("done"), Some("rejected-by-payer"), Failed),
            (Some("done"), Some("marked-as-abuse"), Failed),
            (Some("done"), Some("pending"), unknown("done/pending")),
            (
                Some("done"),
                Some("something-new"),
                unknown("done/something-new"),
            ),
            // unknown or absent status
            (Some("archived"), Some("normal"), unknown("archived")),
            (Some("archived"), None, unknown("archived")),
            (Some(""), None, unknown("")),
            (None, Some("normal"), unknown("")),
        ];
        for (status, detail, expected) in table {
            assert_eq!(
                &map(*status, *detail),
                expected,
                "status {status:?} detail {detail:?}"
            );
        }
    }
}
