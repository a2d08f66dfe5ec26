//! [`PaymentProvider`] for [`TelepagosClient`].
//!
//! | unified operation | TelePagos call | notes |
//! |---|---|---|
//! | `create_payment` | `POST v2/payment/cashin/link/generate` | a single-use payment link; [`Payment::id`] is a [link payment id](#payment-ids) `link:<link_id>:<amount>:<Y-m-d>`, the instructions a `Redirect` to the link. For a QR instead, call [`CashinsHandle::qr_payment`](crate::cashin::CashinsHandle::qr_payment) |
//! | `get_payment` | a link payment id: `GET v2/account/transactions` from the link's day, then `GET v2/payment/cashin/{id}` of the credits of that amount; any other id: `GET v2/payment/cashin/{id}` | see [payment ids](#payment-ids) |
//! | `create_payout` | `POST v2/payment/cashout` | sent idempotently thanks to `reference_id`; `Processing` unless the answer's `status` names a state |
//! | `get_payout` | `GET v2/payment/cashout/{id}` | the answer's `status` read through [`crate::status`], whether or not there is a voucher; the PDF voucher, when there is one, is the receipt |
//! | `balance` | `GET v2/account/balance` | ARS |
//!
//! # Payment ids
//!
//! TelePagos has no "payment link by id" query: `GET v2/payment/cashin/{id}` reads a
//! cash-in (acreditación), whose record names the `link_id` it paid. So the id
//! `create_payment` returns says which kind of record it is:
//!
//! - `link:<link_id>:<amount>:<Y-m-d>` — a payment link, with the amount it asks for
//!   and the day it was created (in the client's
//!   [time zone](crate::TelepagosClientBuilder::time_zone)). `get_payment` lists the
//!   transactions from that day to today, and reads the cash-in record of every credit
//!   (`income` not `0`) of that amount; the link is **Succeeded** when a cash-in names
//!   that `link_id` with that amount and its own status says so, and **Pending** while
//!   no cash-in credits it (an expired unpaid link also stays Pending: TelePagos has no
//!   query that says so). A cash-in that names the link with another amount is
//!   `Unknown`, never a success. The transactions' `id` is not in the TelePagos API's
//!   list of fields; the SDK takes it, when sent, for the cash-in id. When credits of
//!   the amount arrive without an `id` and none matched, the status is
//!   `Unknown("unmatched")`: the SDK cannot tell.
//! - anything else — a cash-in id, read with `GET v2/payment/cashin/{id}`.
//!
//! # Fields that cannot be carried
//!
//! A payment link carries an amount, a concept (the `subject`), an expiry and whether it
//! can be paid more than once. `description`, `merchant_reference`, `notify_url`,
//! `return_url`, `cancel_url`, the payer's details and `metadata` have no place in it
//! and are refused with a validation error naming the field, nothing sent: a caller who
//! set one meant something by it, and dropping it in silence would hide that it did not
//! happen.
//!
//! Every unified value keeps the TelePagos answer it was read from, byte for byte, in
//! its `raw`.

use futures_util::StreamExt;
use pagos_core::{
    BankAccount, Capabilities, CreatePayment, Currency, Decimal, Error, Money, Operation, Payment,
    PaymentInstructions, PaymentProvider, PaymentStatus, Payout, PayoutRequest, Result,
    ValidationError, async_trait, validate,
};
use time::{Date, OffsetDateTime, UtcOffset};

use crate::PROVIDER;
use crate::account::{GetBalance, TransactionsQuery};
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
    crate::CURRENCIES
        .check(&request.amount)
        .map_err(|e| e.for_field("amount"))
}

/// Refuses the unified fields a payment link cannot carry (see the
/// [module docs](self#fields-that-cannot-be-carried)).
fn refuse_uncarried(request: &CreatePayment) -> std::result::Result<(), ValidationError> {
    let payer = &request.payer;
    let uncarried = [
        ("description", request.description.is_some()),
        ("merchant_reference", request.merchant_reference.is_some()),
        ("notify_url", request.notify_url.is_some()),
        ("return_url", request.return_url.is_some()),
        ("cancel_url", request.cancel_url.is_some()),
        ("payer.id", payer.id.is_some()),
        ("payer.name", payer.name.is_some()),
        ("payer.email", payer.email.is_some()),
        ("payer.phone", payer.phone.is_some()),
        ("payer.document", payer.document.is_some()),
        ("metadata", !request.metadata.is_empty()),
    ];
    match uncarried.iter().find(|(_, set)| *set) {
        Some((field, _)) => Err(ValidationError::new(
            *field,
            "a TelePagos payment link has no such field; leave it unset",
        )),
        None => Ok(()),
    }
}

/// The payment link `create_payment` sends: the subject is the link's `concept` (the
/// only text a link carries).
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
    refuse_uncarried(request)?;
    Ok(PaymentLinkRequest::new(
        request.amount,
        request.subject.clone(),
        expires_at,
    ))
}

/// The id `create_payment` gives a payment link: `link:<link_id>:<amount>:<Y-m-d>`
/// (see the [module docs](self#payment-ids)).
#[derive(Debug, Clone, PartialEq, Eq)]
struct LinkPaymentId {
    link_id: String,
    amount: Decimal,
    created: Date,
}

const LINK_PREFIX: &str = "link:";

impl LinkPaymentId {
    fn format(&self) -> String {
        // The amount with the currency's decimals (ARS: `1500.50`).
        let mut amount = self.amount;
        amount.rescale(crate::CURRENCIES.decimals(Currency::Ars).unwrap_or(2));
        format!(
            "{LINK_PREFIX}{}:{amount}:{}",
            self.link_id,
            format_day(self.created)
        )
    }

    /// `None` when `id` is not a link payment id; a validation error on `payment_id`
    /// when it starts like one but is malformed.
    fn parse(id: &str) -> std::result::Result<Option<LinkPaymentId>, ValidationError> {
        let Some(rest) = id.trim().strip_prefix(LINK_PREFIX) else {
            return Ok(None);
        };
        let bad = || {
            ValidationError::new(
                "payment_id",
                "a payment link id is link:<link_id>:<amount>:<Y-m-d>, as create_payment returns it",
            )
        };
        let mut parts = rest.split(':');
        let (Some(link_id), Some(amount), Some(day), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        validate::path_id("payment_id", link_id)?;
        let amount = pagos_core::wire::parse_decimal(amount).ok_or_else(bad)?;
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let created = Date::parse(day, format).map_err(|_| bad())?;
        Ok(Some(LinkPaymentId {
            link_id: link_id.to_string(),
            amount,
            created,
        }))
    }
}

fn format_day(d: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    d.format(format).unwrap_or_default()
}

/// Today in `zone`.
fn today(zone: UtcOffset) -> Date {
    let now = OffsetDateTime::now_utc();
    now.checked_to_offset(zone).unwrap_or(now).date()
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
        let created = today(self.time_zone());
        let (answer, resp) = self
            .run_with_response(&GeneratePaymentLink::new(link).time_zone(self.time_zone()))
            .await?;
        let link_id = answer.link_id.ok_or_else(|| {
            Error::from(
                resp.undecodable("the answer has no link_id")
                    .with_hint(format!("the link was created: {}", answer.link)),
            )
        })?;
        let id = LinkPaymentId {
            link_id,
            amount: request.amount.amount(),
            created,
        };
        let mut payment = Payment::new(PROVIDER, id.format(), status::generated_payment());
        payment.amount = Some(request.amount);
        payment.instructions = vec![PaymentInstructions::Redirect {
            url: answer.link,
            app_url: None,
        }];
        payment.raw = answer.raw;
        Ok(payment)
    }

    /// A payment link created by `create_payment`, through the cash-in that paid it,
    /// or a cash-in (acreditación) by id, its status read from the answer
    /// ([`CashIn::payment_status`](crate::CashIn::payment_status)); see
    /// [payment ids](self#payment-ids).
    async fn get_payment(&self, id: &str) -> Result<Payment> {
        if let Some(link) = LinkPaymentId::parse(id)? {
            return self.link_payment(id.trim(), &link).await;
        }
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

impl TelepagosClient {
    /// The payment link `link` as a unified payment: the cash-in that credits it, if
    /// any (see [payment ids](self#payment-ids)).
    async fn link_payment(&self, id: &str, link: &LinkPaymentId) -> Result<Payment> {
        let to = today(self.time_zone());
        let from = link.created.min(to);
        let mut transactions = self
            .transactions()
            .stream(TransactionsQuery::new(from, to).page(1));
        let mut unmatched = false;
        while let Some(transaction) = transactions.next().await {
            let transaction = transaction?;
            if transaction.is_income() == Some(false) || transaction.amount != Some(link.amount) {
                continue;
            }
            let Some(cash_in_id) = transaction.id.as_deref() else {
                unmatched = true;
                continue;
            };
            let cash_in = match self.run(&GetCashIn::new(cash_in_id)).await {
                Ok(c) => c,
                // A transaction that is no cash-in (the id is not one): not this link.
                Err(Error::Provider(p)) if p.http_status == 404 => continue,
                Err(e) => return Err(e),
            };
            if cash_in.link_id.as_deref() != Some(link.link_id.as_str()) {
                continue;
            }
            let status = match cash_in.amount {
                Some(amount) if amount == link.amount => cash_in.payment_status(),
                other => PaymentStatus::Unknown(format!(
                    "cash-in {cash_in_id} credits link {} with {}, the link asks {}",
                    link.link_id,
                    other.map_or_else(|| "no amount".to_string(), |a| a.to_string()),
                    link.amount
                )),
            };
            let mut payment = Payment::new(PROVIDER, id, status);
            payment.amount = cash_in.amount.and_then(ars);
            payment.raw = cash_in.raw;
            return Ok(payment);
        }
        let status = if unmatched {
            PaymentStatus::Unknown("unmatched".into())
        } else {
            status::generated_payment()
        };
        let mut payment = Payment::new(PROVIDER, id, status);
        payment.amount = ars(link.amount);
        Ok(payment)
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
