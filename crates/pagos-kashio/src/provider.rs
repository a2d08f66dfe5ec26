//! [`PaymentProvider`] for [`KashioClient`]: invoices behind the unified API.

use pagos_core::{
    Capabilities, CreatePayment, Error, Operation, Payment, PaymentInstructions, PaymentProvider,
    ProviderError, ValidationError, async_trait, validate,
};
use serde_json::Value;

use crate::PROVIDER;
use crate::client::KashioClient;
use crate::invoices::{Customer, Invoice, NewInvoice, VoidInvoice, kashio_datetime, phone_e164};
use crate::status::InvoiceStatus;
use crate::wire::datetime;
use pagos_core::Endpoint as _;

/// Metadata key KashIO's API document example uses for the order's name; receives
/// [`CreatePayment::subject`] unless the caller's metadata already has it.
const SUBJECT_KEY: &str = "order_name";
/// Metadata key the API document's example uses for the order's description; receives
/// [`CreatePayment::description`] unless the caller's metadata already has it.
const DESCRIPTION_KEY: &str = "order_description";

impl TryFrom<&CreatePayment> for NewInvoice {
    type Error = Error;

    /// Maps a unified request to a KashIO invoice:
    ///
    /// | [`CreatePayment`] | KashIO |
    /// |---|---|
    /// | `amount` | `amount` + `currency` |
    /// | `merchant_reference` (required) | `invoice_id` |
    /// | `payer.name/email` | `customer.name/email` |
    /// | `payer.phone` (any common form) | `customer.phone` in E.164; a national number is read as Peruvian ([`crate::DEFAULT_COUNTRY_CODE`]) |
    /// | `payer.id` | `customer.external_id` |
    /// | `payer.document` | `customer.document_type` + `customer.document_id` |
    /// | `return_url` | `url_success` |
    /// | `cancel_url` | `url_error` |
    /// | `expires_at` | `expiration_datetime` (UTC, no zone) |
    /// | `metadata` | `metadata` |
    /// | `subject`, `description` | `metadata.order_name`, `metadata.order_description` (the API document example's keys), unless already in `metadata` |
    /// | `notify_url` | refused: [`Error::Validation`] on `notify_url`, nothing sent |
    /// | — | `request_datetime` = now (UTC, no zone) |
    ///
    /// The rule, as for every provider: what KashIO can carry is sent; what it cannot
    /// is refused with the field named, and nothing is sent. KashIO's invoice has no
    /// notification URL (its API document has none in the create parameters or the
    /// invoice object; notifications are configured in KCMS), so a `notify_url` is
    /// refused instead of silently dropped. A phone that cannot be normalized to E.164
    /// is refused on `payer.phone`.
    fn try_from(request: &CreatePayment) -> Result<Self, Error> {
        request.validate()?;
        let invoice_id = request.merchant_reference.clone().ok_or_else(|| {
            ValidationError::new(
                "merchant_reference",
                "KashIO requires an invoice_id: set merchant_reference",
            )
        })?;
        if request.notify_url.is_some() {
            return Err(ValidationError::new(
                "notify_url",
                "KashIO takes no notification URL per invoice; configure notifications in KCMS",
            )
            .into());
        }
        let payer = &request.payer;
        let mut customer = Customer::new();
        customer.name = payer.name.clone();
        customer.email = payer.email.clone();
        customer.phone = payer
            .phone
            .as_deref()
            .map(|phone| phone_e164("payer.phone", phone))
            .transpose()?;
        customer.external_id = payer.id.clone();
        if let Some(doc) = &payer.document {
            customer = customer.document(doc.kind.clone(), doc.number.clone());
        }
        let mut builder = NewInvoice::builder(invoice_id, request.amount, customer)
            .request_datetime(datetime::now());
        if let Some(url) = &request.return_url {
            builder = builder.url_success(url.clone());
        }
        if let Some(url) = &request.cancel_url {
            builder = builder.url_error(url.clone());
        }
        if let Some(at) = request.expires_at {
            builder = builder.expiration_datetime(kashio_datetime(at));
        }
        let mut metadata: serde_json::Map<String, Value> = request
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        metadata
            .entry(SUBJECT_KEY)
            .or_insert_with(|| Value::String(request.subject.clone()));
        if let Some(description) = &request.description {
            metadata
                .entry(DESCRIPTION_KEY)
                .or_insert_with(|| Value::String(description.clone()));
        }
        builder.metadata_map(metadata).build().map_err(|e| match e {
            // The unified names: `payer.phone`, not `customer.phone`.
            Error::Validation(v) if v.field().starts_with("customer.") => {
                let field = match v.field() {
                    "customer.external_id" => "payer.id".to_string(),
                    "customer.document_id" | "customer.document_type" => {
                        "payer.document".to_string()
                    }
                    other => other.replacen("customer.", "payer.", 1),
                };
                Error::Validation(v.for_field(field))
            }
            Error::Validation(v) if v.field() == "customer" => {
                Error::Validation(v.for_field("payer"))
            }
            Error::Validation(v) if v.field() == "url_success" => {
                Error::Validation(v.for_field("return_url"))
            }
            Error::Validation(v) if v.field() == "url_error" => {
                Error::Validation(v.for_field("cancel_url"))
            }
            Error::Validation(v) if v.field() == "expiration_datetime" => {
                Error::Validation(v.for_field("expires_at"))
            }
            other => other,
        })
    }
}

impl From<&Invoice> for Payment {
    /// Instructions: the `ktin`, when present, as a [`PaymentInstructions::PaymentCode`]
    /// (the number a payer quotes at a bank, agent or app). The gateway `token` and the
    /// `qr_code` are not turned into instructions: KashIO's API document gives
    /// neither a checkout URL built from the token nor what the QR value encodes, so they
    /// are left in [`Payment::raw`] (and [`Invoice::token`], [`Invoice::qr_code`]).
    /// [`Payment::raw`] is the invoice's [`Invoice::raw`]: KashIO's answer as received.
    fn from(invoice: &Invoice) -> Self {
        let mut payment = Payment::new(
            PROVIDER,
            invoice.id.clone(),
            invoice.status.payment_status(),
        );
        payment.merchant_reference = invoice.invoice_id.clone();
        payment.amount = invoice.money();
        if let Some(ktin) = invoice
            .ktin
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            payment.instructions.push(PaymentInstructions::PaymentCode {
                code: ktin.to_string(),
            });
        }
        // The invoice's answer, byte for byte.
        payment.raw = invoice.raw.clone();
        payment
    }
}

#[async_trait]
impl PaymentProvider for KashioClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::of(&[
            Operation::CreatePayment,
            Operation::GetPayment,
            Operation::CancelPayment,
            Operation::VerifyNotification,
        ])
    }

    /// Creates an invoice; see the mapping on
    /// [`NewInvoice`'s `TryFrom<&CreatePayment>`](NewInvoice#impl-TryFrom%3C%26CreatePayment%3E-for-NewInvoice).
    async fn create_payment(&self, request: &CreatePayment) -> Result<Payment, Error> {
        let invoice = NewInvoice::try_from(request)?;
        Ok(Payment::from(&self.invoices().create(invoice).await?))
    }

    /// Fetches the invoice; the id is KashIO's (`inv_…`), reported as `payment_id` when
    /// it is blank or would change the path.
    async fn get_payment(&self, id: &str) -> Result<Payment, Error> {
        validate::path_id("payment_id", id)?;
        Ok(Payment::from(&self.invoices().get(id).await?))
    }

    /// Voids the invoice. Succeeds only when KashIO answers with a `voided` invoice;
    /// any other known status is reported as a [`ProviderError`], an unknown one as
    /// an outcome-unknown error.
    async fn cancel_payment(&self, id: &str) -> Result<(), Error> {
        // Under the unified name: the caller of the trait passed a payment id.
        validate::path_id("payment_id", id)?;
        let invoice = self.invoices().void(id).await?;
        match &invoice.status {
            InvoiceStatus::Voided => Ok(()),
            InvoiceStatus::Unknown(raw) => Err(pagos_core::OutcomeUnknown::undecodable(
                PROVIDER,
                VoidInvoice::OPERATION,
                200,
                invoice.raw.get(),
                format!("the voided invoice has the unknown status {raw:?}"),
            )
            .with_hint("fetch the invoice with get_payment to see its status")
            .into()),
            other => {
                Err(
                    ProviderError::new(PROVIDER, VoidInvoice::OPERATION, 200, invoice.raw.get())
                        .with_message(format!("invoice {} is {other}, not voided", invoice.id))
                        .into(),
                )
            }
        }
    }

    /// A posted event: see [`crate::events::verified_event`].
    async fn verify_notification(
        &self,
        notification: &pagos_core::notification::Notification<'_>,
        expected: &pagos_core::notification::Expected,
    ) -> Result<pagos_core::notification::VerifiedEvent, Error> {
        crate::events::verify(self, notification, expected).await
    }
}
