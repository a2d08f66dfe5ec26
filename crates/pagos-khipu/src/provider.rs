//! The unified API: `impl PaymentProvider for KhipuClient`, and the explicit
//! conversions between the unified types and Khipu's wire types.

use pagos_core::{
    Capabilities, CreatePayment, Error, Payment, PaymentInstructions, PaymentProvider,
    PaymentStatus, Refund, RefundRequest, Result, ValidationError, async_trait,
};

use crate::PROVIDER;
use crate::client::KhipuClient;
use crate::payments::{CreatePaymentRequest, PaymentsCreateResponse, PaymentsResponse};

/// Maps the unified request to Khipu's form:
///
/// | [`CreatePayment`] | Khipu |
/// |---|---|
/// | `subject`, `amount` | `subject`, `amount` + `currency` |
/// | `merchant_reference` | `transaction_id` |
/// | `description` | `body` |
/// | `return_url`, `cancel_url` | same |
/// | `notify_url` | `notify_url` + `notify_api_version` `1.3` |
/// | `expires_at` | `expires_date` (ISO-8601 UTC) |
/// | `payer.name`, `payer.email` | `payer_name`, `payer_email` |
/// | `payer.document` | `fixed_payer_personal_identifier`: a valid RUT for CLP/CLF payments, any non-blank document elsewhere |
/// | `metadata` (when not empty) | `custom`, as compact JSON with sorted keys |
///
/// `payer.id` and `payer.phone` have no Khipu field: they are refused by name (see
/// `refuse_uncarried`), never dropped in silence.
impl TryFrom<&CreatePayment> for CreatePaymentRequest {
    type Error = Error;

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
            b = b
                .notify_url(v.clone())
                .notify_api_version(crate::payments::NOTIFY_API_VERSION);
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

/// Refuses the unified fields neither Khipu API has a place for: a caller who set them
/// meant something by them, and dropping them silently would hide that it did not
/// happen.
///
/// # Errors
/// A [`ValidationError`] naming the first such field that is set.
pub(crate) fn refuse_uncarried(p: &CreatePayment) -> std::result::Result<(), ValidationError> {
    let uncarried = [
        ("payer.id", p.payer.id.is_some()),
        ("payer.phone", p.payer.phone.is_some()),
    ];
    match uncarried.iter().find(|(_, set)| *set) {
        Some((field, _)) => Err(ValidationError::new(
            *field,
            "a Khipu payment has no such field; leave it unset",
        )),
        None => Ok(()),
    }
}

/// The unified payer document as Khipu's `fixed_payer_personal_identifier`, checked
/// where Khipu's documents say what it is.
///
/// Khipu's API documents call the field only "Identificador personal" ("only this
/// identifier may pay"); the one format they give is the Chilean RUT
/// (`11.000.111-9`). A payment in CLP or CLF is paid from a Chilean bank account, whose
/// owner Khipu identifies by RUT, so there the document must be of kind `RUT` and a
/// valid RUT. In other currencies Khipu documents no format, so any kind is sent as
/// its number, checked only for not being blank (nothing is silently dropped).
///
/// # Errors
/// A [`ValidationError`] on `payer.document`.
pub(crate) fn payer_identifier(p: &CreatePayment) -> Result<Option<String>> {
    let Some(doc) = &p.payer.document else {
        return Ok(None);
    };
    if matches!(
        p.amount.currency(),
        pagos_core::Currency::Clp | pagos_core::Currency::Clf
    ) {
        if !doc.kind.trim().eq_ignore_ascii_case("RUT") {
            return Err(ValidationError::new(
                "payer.document",
                format!(
                    "a {} payment is paid from a Chilean bank account, whose owner Khipu identifies by RUT, not by {:?}",
                    p.amount.currency(),
                    doc.kind
                ),
            )
            .into());
        }
        pagos_core::validate::rut("payer.document", &doc.number)?;
    } else {
        pagos_core::validate::non_empty("payer.document", &doc.number)?;
    }
    Ok(Some(doc.number.clone()))
}

/// The redirect instructions of a created payment: `payment_url` (or, lacking it,
/// `simplified_transfer_url` / `transfer_url`) with `app_url`.
pub(crate) fn instructions(
    payment_url: Option<&String>,
    simplified: Option<&String>,
    transfer: Option<&String>,
    app_url: Option<&String>,
) -> Vec<PaymentInstructions> {
    payment_url
        .or(simplified)
        .or(transfer)
        .filter(|u| !u.is_empty())
        .map(|url| PaymentInstructions::Redirect {
            url: url.clone(),
            app_url: app_url.filter(|u| !u.is_empty()).cloned(),
        })
        .into_iter()
        .collect()
}

impl From<&PaymentsCreateResponse> for Payment {
    /// A just-created payment: `Pending`, with redirect instructions and Khipu's answer
    /// as its `raw`.
    fn from(r: &PaymentsCreateResponse) -> Self {
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

impl From<&PaymentsResponse> for Payment {
    /// A payment as Khipu reports it; the status follows [`crate::status`], `raw` is
    /// Khipu's answer. Redirect instructions are kept only while the payer can still
    /// pay (`Pending`).
    fn from(r: &PaymentsResponse) -> Self {
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
impl PaymentProvider for KhipuClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::of(crate::v3::provider::CAPABILITIES)
    }

    /// `POST /payments`, mapped as on [`CreatePaymentRequest`]'s `TryFrom`. Sent once; an
    /// unknown outcome carries a hint to look the payment up by `transaction_id`.
    async fn create_payment(&self, request: &CreatePayment) -> Result<Payment> {
        let khipu = CreatePaymentRequest::try_from(request)?;
        let created = self.payments().create(&khipu).await?;
        let mut payment = Payment::from(&created);
        payment.merchant_reference = request.merchant_reference.clone();
        payment.amount = Some(request.amount);
        Ok(payment)
    }

    /// `GET /payments/{id}`.
    async fn get_payment(&self, id: &str) -> Result<Payment> {
        let found = self.payments().get(id).await?;
        Ok(Payment::from(&found))
    }

    /// `DELETE /payments/{id}`: Khipu deletes only payments still pending and refuses
    /// (HTTP 400) any other; the SDK does not check the status first, which would race.
    async fn cancel_payment(&self, id: &str) -> Result<()> {
        self.payments().delete(id).await.map(|_| ())
    }

    /// `POST /payments/{id}/refunds`, in full (no amount) or in part. The refund's `raw`
    /// is Khipu's answer (`null` when the body was empty).
    async fn refund_payment(&self, request: &RefundRequest) -> Result<Refund> {
        let answer = self
            .payments()
            .refund(&request.payment_id, request.amount.as_ref())
            .await?;
        let mut refund = Refund::new(PROVIDER, request.payment_id.clone());
        refund.amount = request.amount;
        refund.message = answer.message;
        refund.raw = answer.raw;
        Ok(refund)
    }

    /// Notification API 1.3: see [`crate::notification::verified_event`].
    async fn verify_notification(
        &self,
        notification: &pagos_core::notification::Notification<'_>,
        expected: &pagos_core::notification::Expected,
    ) -> Result<pagos_core::notification::VerifiedEvent> {
        crate::notification::verify(self, notification, expected).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::{Currency, Money};
    use time::macros::datetime;

    #[test]
    fn fields_khipu_cannot_carry_are_refused_by_name() {
        let amount = Money::parse("1000", Currency::Clp).unwrap();
        let phone = CreatePayment::builder(amount, "x")
            .payer_phone("+56912345678")
            .build()
            .unwrap();
        let e = CreatePaymentRequest::try_from(&phone).unwrap_err();
        assert_eq!(e.validation_field(), Some("payer.phone"));
        let id = CreatePayment::builder(amount, "x")
            .payer_id("cliente-9")
            .build()
            .unwrap();
        let e = crate::v3::payments::CreatePaymentRequest::try_from(&id).unwrap_err();
        assert_eq!(e.validation_field(), Some("payer.id"));
    }

    #[test]
    fn unified_request_maps_to_khipu_form() {
        let p = CreatePayment::builder(Money::parse("1000", Currency::Clp).unwrap(), "Orden 7")
            .merchant_reference("ord-7")
            .description("Dos cafés")
            .payer_name("Ana")
            .payer_email("ana@x.cl")
            .payer_document("rut", "76.086.428-5")
            .return_url("https://x.cl/ok")
            .cancel_url("https://x.cl/no")
            .notify_url("https://x.cl/notify")
            .expires_at(datetime!(2030-01-02 03:04:05 -3))
            .metadata("z", "1")
            .metadata("a", "ñ")
            .build()
            .unwrap();
        let form = CreatePaymentRequest::try_from(&p)
            .unwrap()
            .to_form()
            .unwrap();
        let get = |k: &str| {
            form.iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("transaction_id"), Some("ord-7"));
        assert_eq!(get("body"), Some("Dos cafés"));
        assert_eq!(get("notify_api_version"), Some("1.3"));
        assert_eq!(get("expires_date"), Some("2030-01-02T06:04:05Z"));
        assert_eq!(get("custom"), Some(r#"{"a":"ñ","z":"1"}"#));
        assert_eq!(get("fixed_payer_personal_identifier"), Some("76.086.428-5"));
        assert_eq!(get("payer_name"), Some("Ana"));
        assert_eq!(get("send_email"), None);
    }

    #[test]
    fn documents_are_ruts_only_for_chilean_money() {
        let p = CreatePayment::builder(Money::parse("1000", Currency::Clp).unwrap(), "x")
            .payer_document("DNI", "12345678")
            .build()
            .unwrap();
        let e = CreatePaymentRequest::try_from(&p).unwrap_err();
        assert_eq!(e.validation_field(), Some("payer.document"));
        let p = CreatePayment::builder(Money::parse("1000", Currency::Clp).unwrap(), "x")
            .payer_document("RUT", "76.086.428-4")
            .build()
            .unwrap();
        assert!(
            CreatePaymentRequest::try_from(&p).is_err(),
            "bad check digit"
        );
        // A PEN payment: Khipu documents no format, the DNI is sent as given.
        let p = CreatePayment::builder(Money::parse("10.50", Currency::Pen).unwrap(), "x")
            .payer_document("DNI", "12345678")
            .build()
            .unwrap();
        let form = CreatePaymentRequest::try_from(&p)
            .unwrap()
            .to_form()
            .unwrap();
        assert!(form.contains(&("fixed_payer_personal_identifier", "12345678".to_string())));
    }

    #[test]
    fn no_metadata_no_custom() {
        let p = CreatePayment::builder(Money::parse("1000", Currency::Clp).unwrap(), "x")
            .build()
            .unwrap();
        let form = CreatePaymentRequest::try_from(&p)
            .unwrap()
            .to_form()
            .unwrap();
        assert_eq!(form.len(), 3);
    }
}
