//! [`PaymentProvider`] for [`CompropagoClient`]: SPEI orders behind the unified API.
//!
//! `create_payment` creates a SPEI order from a [`CreatePayment`]. Every field of the
//! unified request either reaches the wire or is refused before anything is sent, with a
//! [`ValidationError`] naming it (nothing is dropped in silence):
//!
//! | unified | ComproPago | rule |
//! |---|---|---|
//! | `merchant_reference` | `product.id` | required |
//! | `subject` | `product.name` | |
//! | `amount` | `product.price`, `product.currency` | [`CURRENCIES`](crate::CURRENCIES): MXN, 2 decimals |
//! | `payer.id`, else `payer.email` | `customer.id` | ComproPago returns the same CLABE for the same `customer.id`, so the e-mail, stable per payer, is a sound fallback |
//! | `payer.name` | `customer.name` | required |
//! | `payer.email` | `customer.email` | required |
//! | `payer.phone` | `customer.phone` | optional; any common form, sent as 10 national digits (see [`Customer`]) |
//! | `expires_at` | `expiresAt` | epoch seconds |
//! | `description` | — | **refused**: a v2 order has no description (put it in `subject`) |
//! | `return_url`, `cancel_url` | — | **refused**: a SPEI order has no payment page to return from |
//! | `notify_url` | — | **refused**: ComproPago's webhook is set in its panel, not per order |
//! | `metadata` | — | **refused**: the v2 order request documents no free-form field |
//! | `payer.document` | — | **refused**: the v2 `customer` has no document field |
//!
//! The resulting [`Payment`] carries the order id, `product.id` as the
//! merchant reference, the price, the status mapped by [`crate::status`], and the
//! CLABE as [`PaymentInstructions::BankTransfer`](pagos_core::PaymentInstructions);
//! its `raw` is the order's JSON exactly as received.

use pagos_core::{
    Capabilities, CreatePayment, Operation, Payment, PaymentProvider, PaymentStatus, Result,
    ValidationError, async_trait, validate,
};

use crate::client::{CompropagoClient, PROVIDER};
use crate::orders::{CreateOrder, Customer, Order, Product};

/// Refuses the unified fields a v2 order cannot carry (see the [module docs](self)).
fn refuse_unsupported(req: &CreatePayment) -> Result<(), ValidationError> {
    let refuse = |field: &'static str, why: &str| {
        Err(ValidationError::new(
            field,
            format!("ComproPago cannot carry it: {why}; nothing was sent"),
        ))
    };
    if req.description.is_some() {
        return refuse(
            "description",
            "a v2 order has no description field (the subject is sent as product.name)",
        );
    }
    if req.return_url.is_some() {
        return refuse(
            "return_url",
            "a SPEI order has no payment page to return from",
        );
    }
    if req.cancel_url.is_some() {
        return refuse("cancel_url", "a SPEI order has no payment page to leave");
    }
    if req.notify_url.is_some() {
        return refuse(
            "notify_url",
            "the webhook URL is set in the ComproPago panel, not per order",
        );
    }
    if !req.metadata.is_empty() {
        return refuse(
            "metadata",
            "the v2 order request documents no free-form field",
        );
    }
    if req.payer.document.is_some() {
        return refuse("payer.document", "the v2 customer has no document field");
    }
    Ok(())
}

impl TryFrom<&CreatePayment> for CreateOrder {
    type Error = ValidationError;

    /// Maps a unified request to an order; see the [module docs](self).
    fn try_from(req: &CreatePayment) -> Result<CreateOrder, ValidationError> {
        req.validate()?;
        refuse_unsupported(req)?;
        let reference = req.merchant_reference.clone().ok_or_else(|| {
            ValidationError::new(
                "merchant_reference",
                "required by ComproPago (sent as product.id)",
            )
        })?;
        let required = |field: &'static str, v: &Option<String>| {
            v.clone()
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| ValidationError::new(field, "required by ComproPago"))
        };
        let name = required("payer.name", &req.payer.name)?;
        let email = required("payer.email", &req.payer.email)?;
        let id = req
            .payer
            .id
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| email.clone());
        let mut customer = Customer::new(id, name, email);
        customer.phone = req.payer.phone.clone();
        let mut order = CreateOrder::new(
            Product::new(reference, req.subject.clone(), req.amount),
            customer,
        );
        order.expires_at = req.expires_at;
        // Report the unified field names, not the order's.
        order.validate().map_err(|e| {
            let field = match e.field() {
                "product.id" => "merchant_reference",
                "product.name" => "subject",
                "product.price" => "amount",
                "customer.id" => "payer.id",
                "customer.name" => "payer.name",
                "customer.email" => "payer.email",
                "customer.phone" => "payer.phone",
                _ => return e,
            };
            e.for_field(field)
        })?;
        Ok(order)
    }
}

impl From<&Order> for Payment {
    fn from(order: &Order) -> Self {
        let mut payment = Payment::new(
            PROVIDER,
            order.id.clone(),
            PaymentStatus::from(&order.status),
        );
        payment.merchant_reference = order.product.id.clone();
        payment.amount = order.price();
        payment.instructions = order.payment_instructions().into_iter().collect();
        payment.raw = order.raw.clone();
        payment
    }
}

impl From<Order> for Payment {
    fn from(order: Order) -> Self {
        let mut payment = Payment::from(&order);
        payment.raw = order.raw;
        payment
    }
}

#[async_trait]
impl PaymentProvider for CompropagoClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::of(&[
            Operation::CreatePayment,
            Operation::GetPayment,
            Operation::VerifyNotification,
        ])
    }

    async fn create_payment(&self, request: &CreatePayment) -> Result<Payment> {
        let order = CreateOrder::try_from(request)?;
        Ok(self.orders().create(&order).await?.into())
    }

    /// Fetches the order; the id is ComproPago's (`ch_…`), reported as `payment_id`
    /// when it is blank or would change the path.
    async fn get_payment(&self, id: &str) -> Result<Payment> {
        validate::path_id("payment_id", id)?;
        Ok(self.orders().get(id).await?.into())
    }

    /// A posted webhook: see [`crate::webhook::verified_event`].
    async fn verify_notification(
        &self,
        notification: &pagos_core::notification::Notification<'_>,
        expected: &pagos_core::notification::Expected,
    ) -> Result<pagos_core::notification::VerifiedEvent> {
        crate::webhook::verify(self, notification, expected).await
    }
}

#[cfg(test)]
mod tests {
    use pagos_core::{Currency, Money};

    use super::*;

    fn base() -> pagos_core::CreatePaymentBuilder {
        CreatePayment::builder(Money::parse("150", Currency::Mxn).unwrap(), "Camisa")
            .merchant_reference("INV-1")
            .payer_name("Ana")
            .payer_email("ana@example.mx")
    }

    #[test]
    fn maps_fields_and_falls_back_to_the_email_as_customer_id() {
        let order = CreateOrder::try_from(&base().build().unwrap()).unwrap();
        assert_eq!(order.product.id, "INV-1");
        assert_eq!(order.product.name, "Camisa");
        assert_eq!(order.customer.id, "ana@example.mx");
        let order = CreateOrder::try_from(&base().payer_id("u-7").build().unwrap()).unwrap();
        assert_eq!(order.customer.id, "u-7");
    }

    #[test]
    fn unified_field_names_in_errors() {
        let field = |r: CreatePayment| CreateOrder::try_from(&r).unwrap_err().field().to_string();
        let no_ref = CreatePayment::builder(Money::parse("1", Currency::Mxn).unwrap(), "x")
            .payer_name("Ana")
            .payer_email("ana@example.mx")
            .build()
            .unwrap();
        assert_eq!(field(no_ref), "merchant_reference");
        let usd = CreatePayment::builder(Money::parse("1", Currency::Usd).unwrap(), "x")
            .merchant_reference("r")
            .payer_name("Ana")
            .payer_email("ana@example.mx")
            .build()
            .unwrap();
        assert_eq!(field(usd), "amount");
        assert_eq!(
            field(
                CreatePayment::builder(Money::parse("1", Currency::Mxn).unwrap(), "x")
                    .merchant_reference("r")
                    .payer_email("ana@example.mx")
                    .build()
                    .unwrap()
            ),
            "payer.name"
        );
        assert_eq!(
            field(base().payer_phone("+51 987 654 321").build().unwrap()),
            "payer.phone"
        );
    }

    #[test]
    fn phones_are_normalized_or_refused() {
        let phone = |p: &str| {
            let order = CreateOrder::try_from(&base().payer_phone(p).build().unwrap()).unwrap();
            let body = serde_json::to_string(&crate::orders::OrderBody::from(&order)).unwrap();
            let at = body.find(r#""phone":""#).unwrap() + 9;
            body[at..at + body[at..].find('"').unwrap()].to_string()
        };
        assert_eq!(phone("+52 55 1234 5678"), "5512345678");
        assert_eq!(phone("5512345678"), "5512345678");
        assert_eq!(phone("+52 1 55 1234 5678"), "5512345678");
        assert_eq!(phone("6666"), "6666");
        let e = CreateOrder::try_from(&base().payer_phone("+51 987 654 321").build().unwrap())
            .unwrap_err();
        assert_eq!(e.field(), "payer.phone");
        assert!(e.message().contains("+52"), "{e}");
    }

    #[test]
    fn fields_a_v2_order_cannot_carry_are_refused_by_name() {
        let field = |r: CreatePayment| CreateOrder::try_from(&r).unwrap_err().field().to_string();
        assert_eq!(
            field(base().description("d").build().unwrap()),
            "description"
        );
        assert_eq!(
            field(base().return_url("https://shop.mx/ok").build().unwrap()),
            "return_url"
        );
        assert_eq!(
            field(base().cancel_url("https://shop.mx/no").build().unwrap()),
            "cancel_url"
        );
        assert_eq!(
            field(base().notify_url("https://shop.mx/hook").build().unwrap()),
            "notify_url"
        );
        assert_eq!(
            field(base().metadata("k", "v").build().unwrap()),
            "metadata"
        );
        assert_eq!(
            field(
                base()
                    .payer_document("RFC", "XAXX010101000")
                    .build()
                    .unwrap()
            ),
            "payer.document"
        );
        // What a v2 order carries goes on the wire.
        let at = time::OffsetDateTime::from_unix_timestamp(1_900_000_000).unwrap();
        let order = CreateOrder::try_from(
            &base()
                .payer_id("u-1")
                .payer_phone("5512345678")
                .expires_at(at)
                .build()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(order.expires_at, Some(at));
        assert_eq!(order.customer.id, "u-1");
        assert_eq!(order.customer.phone.as_deref(), Some("5512345678"));
    }
}
