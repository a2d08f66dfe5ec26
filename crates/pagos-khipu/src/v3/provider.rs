//! The unified API on API 3.0: `impl PaymentProvider for KhipuV3Client`.
//!
//! | unified | API 3.0 |
//! |---|---|
//! | `create_payment` | `POST /v3/payments` (mapped like API 2.0's, `notify_api_version` `3.0`) |
//! | `get_payment` | `GET /v3/payments/{id}` |
//! | `cancel_payment` | `DELETE /v3/payments/{id}` (pending payments only) |
//! | `refund_payment` | `POST /v3/refunds`, `full` without an amount, `partial` with one |

use pagos_core::{
    Capabilities, CreatePayment, Error, Operation, Payment, PaymentProvider, PaymentStatus, Refund,
    RefundRequest, Result, ValidationError, async_trait,
};

use super::KhipuV3Client;
use super::payments::{CreatePaymentRequest, CreatedPayment, PaymentInfo};
use crate::PROVIDER;
use crate::provider::{instructions, payer_identifier, refuse_uncarried};

/// The unified operations of both Khipu clients.
pub(crate) const CAPABILITIES: &[Operation] = &[
    Operation::CreatePayment,
    Operation::GetPayment,
    Operation::CancelPayment,
    Operation::RefundPayment,
    Operation::VerifyNotification,
];

impl TryFrom<&CreatePayment> for CreatePaymentRequest {
    type Error = Error;

    /// As API 2.0's mapping (see [`crate::CreatePaymentRequest`]'s `TryFrom`), with
    /// `notify_api_version` `3.0` (the signed webhook) when `notify_url` is set.
    fn try_from(p: &CreatePayment) -> Result<Self> {
        p.validate()?;
        refuse_uncarried(p)?;
        let mut b = CreatePaymentRequest::builder(p.subject.clone(), p.amount);
        if let Some(v) = &p.merchant_reference {
            b = b.transaction_id(v.clone());
        }
        if let Some(v) = &p.description {
            b = b.body(v.clone());
        }
        if let Some(v) = &p.return_url {
            b = b.return_url(v.clone());
        }
        if let Some(v) = &p.cancel_url {
            b = b.cancel_url(v.clone());
        }
        if let Some(v) = &p.notify_url {
            b = b.notify_url(v.clone());
        }
        if let Some(v) = p.expires_at {
            b = b.expires_date(v);
        }
        if let Some(v) = &p.payer.name {
            b = b.payer_name(v.clone());
        }
        if let Some(v) = &p.payer.email {
            b = b.payer_email(v.clone());
        }
        if let Some(id) = payer_identifier(p)? {
            b = b.fixed_payer_personal_identifier(id);
        }
        if !p.metadata.is_empty() {
            let custom = serde_json::to_string(&p.metadata).map_err(|e| {
                ValidationError::new("metadata", format!("cannot be written as JSON: {e}"))
            })?;
            b = b.custom(custom);
        }
        b.build()
    }
}

impl From<&CreatedPayment> for Payment {
    fn from(r: &CreatedPayment) -> Self {
        let mut payment = Payment::new(PROVIDER, r.payment_id.clone(), PaymentStatus::Pending);
        payment.instructions = instructions(
            r.payment_url.as_ref(),
            r.simplified_transfer_url.as_ref(),
            r.transfer_url.as_ref(),
            r.app_url.as_ref(),
        );
        payment.raw = r.raw.clone();
        payment
    }
}

impl From<&PaymentInfo> for Payment {
    fn from(r: &PaymentInfo) -> Self {
        let status = r.unified_status();
        let mut payment = Payment::new(PROVIDER, r.payment_id.clone(), status.clone());
        payment.merchant_reference = r.transaction_id.clone().filter(|t| !t.is_empty());
        payment.amount = r.money();
        payment.raw = r.raw.clone();
        if status == PaymentStatus::Pending {
            payment.instructions = instructions(
                r.payment_url.as_ref(),
                r.simplified_transfer_url.as_ref(),
                r.transfer_url.as_ref(),
                r.app_url.as_ref(),
            );
        }
        payment
    }
}

#[async_trait]
impl PaymentProvider for KhipuV3Client {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::of(CAPABILITIES)
    }

    async fn create_payment(&self, request: &CreatePayment) -> Result<Payment> {
        let khipu = CreatePaymentRequest::try_from(request)?;
        let created = self.payments().create(&khipu).await?;
        let mut payment = Payment::from(&created);
        payment.merchant_reference = request.merchant_reference.clone();
        payment.amount = Some(request.amount);
        Ok(payment)
    }

    async fn get_payment(&self, id: &str) -> Result<Payment> {
        let found = self.payments().get(id).await?;
        Ok(Payment::from(&found))
    }

    async fn cancel_payment(&self, id: &str) -> Result<()> {
        self.payments().delete(id).await.map(|_| ())
    }

    async fn refund_payment(&self, request: &RefundRequest) -> Result<Refund> {
        let answer = match &request.amount {
            Some(m) => self.refunds().partial(&request.payment_id, m).await?,
            None => self.refunds().full(&request.payment_id).await?,
        };
        let mut refund = Refund::new(PROVIDER, request.payment_id.clone());
        refund.amount = match (
            &request.amount,
            answer.refunded_amount,
            answer.currency.as_deref(),
        ) {
            (Some(m), _, _) => Some(*m),
            (None, Some(v), Some(c)) => c
                .parse()
                .ok()
                .and_then(|c| pagos_core::Money::new(v.normalize(), c).ok()),
            _ => None,
        };
        refund.message = answer.message.clone();
        refund.raw = answer.raw;
        Ok(refund)
    }

    /// Notification API 3.0 by signature (see [`crate::notification::signed_event`]);
    /// an unsigned PAC charge `error_response_url` callback by fetching the payment it
    /// names (see [`crate::notification::fetched_event`]); anything else unsigned is
    /// refused.
    async fn verify_notification(
        &self,
        notification: &pagos_core::notification::Notification<'_>,
        expected: &pagos_core::notification::Expected,
    ) -> Result<pagos_core::notification::VerifiedEvent> {
        crate::notification::verify_v3(
            self,
            notification,
            expected,
            time::OffsetDateTime::now_utc(),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::{Currency, Money};

    #[test]
    fn unified_request_maps_to_json() {
        let p = CreatePayment::builder(Money::parse("1000", Currency::Clp).unwrap(), "Orden 7")
            .merchant_reference("ord-7")
            .notify_url("https://x.cl/notify")
            .payer_document("rut", "76.086.428-5")
            .metadata("a", "1")
            .build()
            .unwrap();
        let json = CreatePaymentRequest::try_from(&p)
            .unwrap()
            .to_json()
            .unwrap();
        assert_eq!(
            json,
            r#"{"amount":1000,"currency":"CLP","subject":"Orden 7","transaction_id":"ord-7","custom":"{\"a\":\"1\"}","notify_url":"https://x.cl/notify","notify_api_version":"3.0","fixed_payer_personal_identifier":"76.086.428-5"}"#
        );
    }
}
