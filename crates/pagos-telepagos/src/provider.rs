//! [`PaymentProvider`] for [`TelepagosClient`].
//!
//! | unified operation | TelePagos call | notes |
//! |---|---|---|
//! | `create_payment` | `POST v2/payment/cashin/link/generate` | a single-use payment link; [`Payment::id`] is the `link_id`, the instructions a `Redirect` to the link. For a QR instead, call [`CashinsHandle::qr_payment`](crate::cashin::CashinsHandle::qr_payment) |
//! | `get_payment` | `GET v2/payment/cashin/{id}` | `id` is a cash-in (acreditación) id; the status is the record's `status` read through [`crate::status`] (`"ok"` on this record of a credit is `Succeeded`) |
//! | `create_payout` | `POST v2/payment/cashout` | sent idempotently thanks to `reference_id`; `Processing` unless the answer's `status` names a state |
//! | `get_payout` | `GET v2/payment/cashout/{id}` | the answer's `status` read through [`crate::status`], whether or not there is a voucher; the PDF voucher, when there is one, is the receipt |
//! | `balance` | `GET v2/account/balance` | ARS |
//!
//! `create_payment` and `get_payment` do not share an id: TelePagos has no "payment
//! link by id" query. The cash-in record of a paid link carries its `link_id` (and a QR
//! payment its `qr_order_id`); find the cash-in ids in
//! [`TransactionsHandle::list`](crate::account::TransactionsHandle::list) or in
//! TelePagos' notifications.
//!
//! Every unified value keeps the TelePagos answer it was read from, byte for byte, in
//! its `raw`.

use pagos_core::{
    BankAccount, Capabilities, CreatePayment, Currency, Error, Money, Operation, Payment,
    PaymentInstructions, PaymentProvider, Payout, PayoutRequest, Result, ValidationError,
    async_trait, validate,
};
use time::OffsetDateTime;

use crate::PROVIDER;
use crate::account::GetBalance;
use crate::cashin::{GeneratePaymentLink, GenerateQr, GetCashIn, PaymentLinkRequest, QrRequest};
use crate::cashout::{CashoutRequest, Concept, CreateCashout, GetCashoutVoucher};
use crate::client::TelepagosClient;
use crate::status;
use crate::wire::ars;

/// What [`TelepagosClient`] supports through [`PaymentProvider`].
pub const CAPABILITIES: Capabilities = Capabilities::of(&[
    Operation::CreatePayment,
    Operation::GetPayment,
    Operation::CreatePayout,
    Operation::GetPayout,
    Operation::GetBalance,
]);

/// How long a payment link created by `create_payment` lives when the request has no
/// `expires_at`: 24 hours.
pub const DEFAULT_LINK_LIFETIME: time::Duration = time::Duration::hours(24);

fn ars_only(request: &CreatePayment) -> std::result::Result<(), ValidationError> {
    if request.amount.currency() == Currency::Ars {
        Ok(())
    } else {
        Err(ValidationError::new(
            "amount",
            format!(
                "TelePagos works in ARS only, got {}",
                request.amount.currency().code()
            ),
        ))
    }
}

/// The payment link `create_payment` sends: the subject is the link's `concept` (the
/// only text a link carries); `description` has no place in it.
fn link_request(request: &CreatePayment) -> Result<PaymentLinkRequest> {
    request.validate()?;
    ars_only(request)?;
    let now = OffsetDateTime::now_utc();
    // `checked_add`: `+` panics past `time`'s last representable instant. Only a clock
    // near the year 9999 gets there, and then there is no expiry to send.
    let expires_at = match request.expires_at {
        Some(at) => at,
        None => now.checked_add(DEFAULT_LINK_LIFETIME).ok_or_else(|| {
            ValidationError::new("expires_at", "the default expiry is out of range")
        })?,
    };
    if expires_at <= now {
        return Err(ValidationError::new("expires_at", "must be in the future").into());
    }
    Ok(PaymentLinkRequest::new(
        request.amount,
        request.subject.clone(),
        expires_at,
    ))
}

/// The cash-out a [`PayoutRequest`] becomes, with validation errors named after the
/// unified request's fields.
fn cashout_request(request: &PayoutRequest) -> Result<CashoutRequest> {
    request.validate()?;
    let tax_id = request.beneficiary.tax_id.as_deref().ok_or_else(|| {
        ValidationError::new(
            "beneficiary.tax_id",
            "TelePagos needs the beneficiary's CUIT/CUIL",
        )
    })?;
    let concept = match request.concept.as_deref() {
        Some(code) => code.parse::<Concept>()?,
        None => Concept::default(),
    };
    let builder =
        CashoutRequest::builder(request.amount, tax_id, request.reference.clone()).concept(concept);
    let builder = match &request.beneficiary.account {
        BankAccount::Cbu(cvu) => builder.cvu(cvu.clone()),
        BankAccount::Alias(alias) => builder.alias(alias.clone()),
        _ => {
            return Err(ValidationError::new(
                "beneficiary.account",
                "TelePagos sends to a CBU/CVU or an alias",
            )
            .into());
        }
    };
    let builder = match &request.description {
        Some(d) => builder.description(d.clone()),
        None => builder,
    };
    builder.build().map_err(|e| match e {
        Error::Validation(v) => {
            let field = match v.field() {
                "cvu" | "alias" => "beneficiary.account",
                "cuit" => "beneficiary.tax_id",
                "reference_id" => "reference",
                _ => return Error::Validation(v),
            };
            Error::Validation(v.for_field(field))
        }
        other => other,
    })
}

/// [`CashinsHandle::qr_payment`](crate::cashin::CashinsHandle::qr_payment): a QR
/// code as a unified [`Payment`].
pub(crate) async fn create_qr_payment(
    client: &TelepagosClient,
    request: &CreatePayment,
) -> Result<Payment> {
    request.validate()?;
    ars_only(request)?;
    let mut qr = QrRequest::new(request.amount, request.subject.clone());
    if let Some(d) = &request.description {
        qr = qr.description(d.clone());
    }
    let (code, resp) = client.run_with_response(&GenerateQr::new(qr)).await?;
    let id = code
        .qr_order_id
        .ok_or_else(|| Error::from(resp.undecodable("the answer has no qr_order_id")))?;
    let mut payment = Payment::new(PROVIDER, id, status::generated_payment());
    payment.amount = Some(request.amount);
    payment.instructions = vec![PaymentInstructions::Qr {
        payload: code.qr_code,
    }];
    payment.raw = code.raw;
    Ok(payment)
}

#[async_trait]
impl PaymentProvider for TelepagosClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    /// A single-use payment link (see the [module docs](crate::provider)); the link
    /// expires at `expires_at`, or after [`DEFAULT_LINK_LIFETIME`].
    async fn create_payment(&self, request: &CreatePayment) -> Result<Payment> {
        let link = link_request(request)?;
        let (answer, resp) = self
            .run_with_response(&GeneratePaymentLink::new(link))
            .await?;
        let id = answer.link_id.ok_or_else(|| {
            Error::from(
                resp.undecodable("the answer has no link_id")
                    .with_hint(format!("the link was created: {}", answer.link)),
            )
        })?;
        let mut payment = Payment::new(PROVIDER, id, status::generated_payment());
        payment.amount = Some(request.amount);
        payment.instructions = vec![PaymentInstructions::Redirect {
            url: answer.link,
            app_url: None,
        }];
        payment.raw = answer.raw;
        Ok(payment)
    }

    /// A cash-in (acreditación) by id, its status read from the answer
    /// ([`CashIn::payment_status`](crate::CashIn::payment_status)).
    async fn get_payment(&self, id: &str) -> Result<Payment> {
        // Under the unified name: the caller of the trait passed a payment id.
        validate::path_id("payment_id", id)?;
        let cash_in = self.run(&GetCashIn::new(id)).await?;
        let mut payment = Payment::new(PROVIDER, id.trim(), cash_in.payment_status());
        payment.amount = cash_in.amount.and_then(ars);
        payment.raw = cash_in.raw;
        Ok(payment)
    }

    /// A cash-out: `beneficiary.account` a CBU/CVU (`cvu`) or alias (`alias`),
    /// `beneficiary.tax_id` the CUIT (required), `reference` the `reference_id`,
    /// `concept` a BCRA motive code (default `VAR`).
    async fn create_payout(&self, request: &PayoutRequest) -> Result<Payout> {
        let cashout = cashout_request(request)?;
        let receipt = self.run(&CreateCashout::new(cashout)).await?;
        let status = receipt.payout_status();
        let mut payout = Payout::new(PROVIDER, receipt.id, status);
        payout.reference = Some(request.reference.clone());
        payout.amount = Some(request.amount);
        payout.raw = receipt.raw;
        Ok(payout)
    }

    /// A cash-out, its status read from the answer
    /// ([`Voucher::payout_status`](crate::Voucher::payout_status)); the PDF voucher,
    /// when there is one, is the receipt (it proves nothing about the state).
    async fn get_payout(&self, id: &str) -> Result<Payout> {
        validate::path_id("payout_id", id)?;
        let voucher = self.run(&GetCashoutVoucher::new(id)).await?;
        let mut payout = Payout::new(PROVIDER, id.trim(), voucher.payout_status());
        payout.receipt = (!voucher.pdf.is_empty()).then_some(voucher.pdf);
        payout.raw = voucher.raw;
        Ok(payout)
    }

    async fn balance(&self) -> Result<pagos_core::Balance> {
        let (balance, resp) = self.run_with_response(&GetBalance::new()).await?;
        let available = Money::new(balance.amount, Currency::Ars).map_err(|e| {
            Error::from(resp.undecodable(format!("balance amount: {}", e.message())))
        })?;
        Ok(pagos_core::Balance::new(PROVIDER, available, balance.raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ars(s: &str) -> Money {
        Money::parse(s, Currency::Ars).unwrap()
    }

    #[test]
    fn payout_fields_are_named_after_the_unified_request() {
        let field = |r: PayoutRequest| {
            cashout_request(&r)
                .unwrap_err()
                .validation_field()
                .map(str::to_string)
        };
        let cbu = BankAccount::Cbu("2850590940090418135201".into());
        let no_tax = PayoutRequest::builder(ars("1"), cbu.clone(), "r")
            .build()
            .unwrap();
        assert_eq!(field(no_tax).as_deref(), Some("beneficiary.tax_id"));
        let bad_tax = PayoutRequest::builder(ars("1"), cbu.clone(), "r")
            .beneficiary_tax_id("20267565394")
            .build()
            .unwrap();
        assert_eq!(field(bad_tax).as_deref(), Some("beneficiary.tax_id"));
        let clabe = PayoutRequest::builder(
            ars("1"),
            BankAccount::Clabe("032180000118359719".into()),
            "r",
        )
        .beneficiary_tax_id("20267565393")
        .build()
        .unwrap();
        assert_eq!(field(clabe).as_deref(), Some("beneficiary.account"));
        let concept = PayoutRequest::builder(ars("1"), cbu.clone(), "r")
            .beneficiary_tax_id("20267565393")
            .concept("rent")
            .build()
            .unwrap();
        assert_eq!(field(concept).as_deref(), Some("concept"));
        let usd = PayoutRequest::builder(Money::parse("1", Currency::Usd).unwrap(), cbu, "r")
            .beneficiary_tax_id("20267565393")
            .build()
            .unwrap();
        assert_eq!(field(usd).as_deref(), Some("amount"));
    }

    #[test]
    fn payout_maps_to_cashout() {
        let r =
            PayoutRequest::builder(ars("10.5"), BankAccount::Alias("mi.alias.mp".into()), "r-1")
                .beneficiary_tax_id("20-26756539-3")
                .concept("hon")
                .description("Honorarios")
                .build()
                .unwrap();
        let c = cashout_request(&r).unwrap();
        assert_eq!(c.alias.as_deref(), Some("mi.alias.mp"));
        assert_eq!(c.cvu, None);
        assert_eq!(c.concept, Concept::Hon);
        assert_eq!(c.reference_id, "r-1");
        assert_eq!(c.description.as_deref(), Some("Honorarios"));
    }

    #[test]
    fn payment_link_defaults() {
        let req = CreatePayment::builder(ars("100"), "Pedido 7")
            .build()
            .unwrap();
        let link = link_request(&req).unwrap();
        assert!(!link.multiple_use);
        assert_eq!(link.concept, "Pedido 7");
        let lifetime = link.expiration_date - OffsetDateTime::now_utc();
        assert!(lifetime > time::Duration::hours(23) && lifetime <= DEFAULT_LINK_LIFETIME);
        let past = CreatePayment::builder(ars("100"), "x")
            .expires_at(OffsetDateTime::now_utc() - time::Duration::minutes(1))
            .build()
            .unwrap();
        assert_eq!(
            link_request(&past).unwrap_err().validation_field(),
            Some("expires_at")
        );
        let mxn = CreatePayment::builder(Money::parse("1", Currency::Mxn).unwrap(), "x")
            .build()
            .unwrap();
        assert_eq!(
            link_request(&mxn).unwrap_err().validation_field(),
            Some("amount")
        );
    }
}
