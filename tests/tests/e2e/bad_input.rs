//! Bad input never leaves the process: a table of invalid inputs across the five
//! providers, each made through the facade (the unified `PaymentProvider` trait, or the
//! provider's own client for its specific endpoints), each refused with a validation
//! error naming the field, and afterwards nothing at all in the sandbox's request log,
//! not even an authentication request.
//!
//! Unified cases start from a valid request and then break one field: the unified
//! builders already validate, so changing the built request shows that each provider
//! checks again before sending. The CLI runs the same kind of table in
//! `crates/pagos-cli/tests/cli.rs`.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use pagos::compropago::{
    AccountCustomer, ClabeCustomer, CompropagoClient, CreateAccount, CreateClabe, Frequency,
    Product,
};
use pagos::kashio::{InvoiceUpdate, KashioClient, ListParams, NewInvoice, kashio_datetime};
use pagos::kashpay::{AccountType, KashpayClient, TransactionType};
use pagos::khipu::{CreatePaymentRequest, KhipuClient};
use pagos::telepagos::{
    CashoutRequest, PaymentLinkRequest, QrRequest, StaticQrOrderRequest, TelepagosClient,
    TransactionsQuery, TransferRequest,
};
use pagos::{
    BankAccount, CreatePayment, Currency, Error, ErrorKind, Money, PayerDocument, PaymentProvider,
    PayoutRequest, RefundRequest,
};
use pagos_sandbox::Provider;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

use crate::khipu_receiver::receiver;
use crate::support::{self, CLABE, CUIT, CVU, decimal, money};

/// Every client a case may call: the five providers behind the unified trait, and
/// their concrete clients.
struct Clients {
    khipu: Arc<dyn PaymentProvider>,
    kashio: Arc<dyn PaymentProvider>,
    compropago: Arc<dyn PaymentProvider>,
    kashpay: Arc<dyn PaymentProvider>,
    telepagos: Arc<dyn PaymentProvider>,
    khipu_api: KhipuClient,
    kashio_api: KashioClient,
    compropago_api: CompropagoClient,
    kashpay_api: KashpayClient,
    telepagos_api: TelepagosClient,
}

type Outcome<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;

/// One invalid input: which provider, the call that carries it, and the field the
/// validation error must name.
struct Case {
    name: &'static str,
    provider: Provider,
    field: &'static str,
    call: for<'a> fn(&'a Clients) -> Outcome<'a>,
}

/// Drops the success value and turns any error type the SDK returns into [`Error`].
fn settle<T, E: Into<Error>>(result: Result<T, E>) -> Result<(), Error> {
    result.map(drop).map_err(Into::into)
}

/// `case!(Provider, "name", "field", |c| expression using c, awaited inside)`.
macro_rules! case {
    ($provider:ident, $name:literal, $field:literal, |$c:ident| $body:expr) => {
        Case {
            name: $name,
            provider: Provider::$provider,
            field: $field,
            call: {
                fn call($c: &Clients) -> Outcome<'_> {
                    Box::pin(async move { settle($body) })
                }
                call
            },
        }
    };
}

fn clp(amount: &str) -> Money {
    money(amount, Currency::Clp)
}
fn pen(amount: &str) -> Money {
    money(amount, Currency::Pen)
}
fn mxn(amount: &str) -> Money {
    money(amount, Currency::Mxn)
}
fn ars(amount: &str) -> Money {
    money(amount, Currency::Ars)
}

/// A valid unified payment request of `amount`.
fn payment(amount: Money) -> CreatePayment {
    CreatePayment::builder(amount, "Cuota marzo")
        .merchant_reference("order-0001")
        .payer_name("Ana Pérez")
        .payer_email("ana@example.com")
        .build()
        .expect("a valid payment")
}

/// A valid SPEI payout for Kashpay.
fn spei_payout() -> PayoutRequest {
    PayoutRequest::builder(mxn("250.00"), BankAccount::Clabe(CLABE.into()), "43223123")
        .beneficiary_name("Florentino Eter")
        .build()
        .expect("a valid payout")
}

/// A valid CVU payout for TelePagos.
fn cvu_payout() -> PayoutRequest {
    PayoutRequest::builder(ars("10.50"), BankAccount::Cbu(CVU.into()), "payout-0001")
        .beneficiary_tax_id(CUIT)
        .concept("VAR")
        .build()
        .expect("a valid payout")
}

/// A valid Khipu payment request.
fn khipu_payment() -> CreatePaymentRequest {
    CreatePaymentRequest::builder("Orden 42", clp("1000"))
        .transaction_id("orden-42")
        .build()
        .expect("a valid Khipu payment")
}

/// A valid KashIO invoice.
fn invoice() -> NewInvoice {
    NewInvoice::builder(
        "INV-000001-001",
        pen("15.00"),
        pagos::kashio::Customer::new().name("JUAN PEREZ"),
    )
    .build()
    .expect("a valid invoice")
}

/// A valid ComproPago SPEI order.
fn spei_order() -> pagos::compropago::CreateOrder {
    pagos::compropago::CreateOrder::new(
        Product::new("SMGCURL1", "SAMSUNG GOLD CURL", mxn("150.00")),
        pagos::compropago::Customer::new("cust-1", "Waldix", "waldix@compropago.com"),
    )
}

/// A valid ComproPago CLABE request.
fn clabe_request() -> CreateClabe {
    CreateClabe::new(
        ClabeCustomer::new("cust-1", "customer@email.com"),
        Frequency::Unlimited,
    )
}

/// A valid Kashpay SPEI order.
fn kashpay_order() -> pagos::kashpay::OrderRequest {
    pagos::kashpay::OrderRequest::builder(TransactionType::SpeiOut, mxn("250.00"))
        .beneficiary(AccountType::Clabe, CLABE, "Florentino Eter")
        .concept("Pago de factura")
        .numeric_reference(1_234_567)
        .alphanumeric_reference("PAY0001")
        .build()
        .expect("a valid Kashpay order")
}

/// A valid TelePagos cash-out to a CVU.
fn cashout() -> CashoutRequest {
    CashoutRequest::builder(ars("10.50"), CUIT, "ref-0001")
        .cvu(CVU)
        .build()
        .expect("a valid cash-out")
}

/// An instant an hour ago.
fn an_hour_ago() -> OffsetDateTime {
    OffsetDateTime::now_utc() - Duration::hours(1)
}

/// An e-mail address whose local part has 65 characters, one more than allowed.
fn long_email() -> String {
    format!("{}@example.com", "a".repeat(65))
}

/// The table.
fn cases() -> Vec<Case> {
    vec![
        // ---------------------------------------------------------------- Khipu
        case!(Khipu, "khipu: amount zero", "amount", |c| {
            let mut p = payment(clp("1000"));
            p.amount = clp("0");
            c.khipu.create_payment(&p).await
        }),
        case!(Khipu, "khipu: negative amount", "amount", |c| {
            let mut p = payment(clp("1000"));
            p.amount = clp("-1000");
            c.khipu.create_payment(&p).await
        }),
        case!(Khipu, "khipu: CLP amount with decimals", "amount", |c| {
            let amount = Money::parse("1000.5", Currency::Clp)?;
            c.khipu.create_payment(&payment(amount)).await
        }),
        // No "unknown currency" case for Khipu: its table (`pagos_khipu::CURRENCIES`,
        // the nine currencies of Khipu's API 3.0 reference) holds every currency
        // pagos knows, which the crate's own tests check.
        case!(Khipu, "khipu: amount over 16 characters", "amount", |c| {
            let mut r = khipu_payment();
            r.amount = clp("12345678901234567");
            c.khipu_api.payments().create(&r).await
        }),
        case!(Khipu, "khipu: blank subject", "subject", |c| {
            let mut p = payment(clp("1000"));
            p.subject = "   ".into();
            c.khipu.create_payment(&p).await
        }),
        case!(
            Khipu,
            "khipu: payer e-mail without a dotted domain",
            "payer.email",
            |c| {
                let mut p = payment(clp("1000"));
                p.payer.email = Some("ana@example".into());
                c.khipu.create_payment(&p).await
            }
        ),
        case!(Khipu, "khipu: relative return URL", "return_url", |c| {
            let mut p = payment(clp("1000"));
            p.return_url = Some("/gracias".into());
            c.khipu.create_payment(&p).await
        }),
        case!(
            Khipu,
            "khipu: payer RUT with a wrong check digit",
            "payer.document",
            |c| {
                let mut p = payment(clp("1000"));
                p.payer.document = Some(PayerDocument::new("RUT", "76086428-4"));
                c.khipu.create_payment(&p).await
            }
        ),
        case!(
            Khipu,
            "khipu: fixed payer RUT too short",
            "fixed_payer_personal_identifier",
            |c| {
                let mut r = khipu_payment();
                r.fixed_payer_personal_identifier = Some("5".into());
                c.khipu_api.payments().create(&r).await
            }
        ),
        case!(
            Khipu,
            "khipu: picture URL not http(s)",
            "picture_url",
            |c| {
                let mut r = khipu_payment();
                r.picture_url = Some("ftp://tienda.cl/foto.png".into());
                c.khipu_api.payments().create(&r).await
            }
        ),
        case!(
            Khipu,
            "khipu: integrator fee with decimals in CLP",
            "integrator_fee",
            |c| {
                let mut r = khipu_payment();
                r.integrator_fee = Some(decimal("1.5"));
                c.khipu_api.payments().create(&r).await
            }
        ),
        case!(
            Khipu,
            "khipu: expiry past year 9999 in UTC",
            "expires_date",
            |c| {
                let mut r = khipu_payment();
                r.expires_date = Some(datetime!(9999-12-31 23:00:00 -5));
                c.khipu_api.payments().create(&r).await
            }
        ),
        case!(Khipu, "khipu: partial refund of zero", "amount", |c| {
            c.khipu
                .refund_payment(&RefundRequest::partial("abc123xyz789", clp("0")))
                .await
        }),
        case!(
            Khipu,
            "khipu: receiver RUT with a wrong check digit",
            "business_identifier",
            |c| {
                let mut r = receiver();
                r.business_identifier = "76086428-6".into();
                c.khipu_api.receivers().create(&r).await
            }
        ),
        case!(
            Khipu,
            "khipu: receiver country code of 3 letters",
            "country_code",
            |c| {
                let mut r = receiver();
                r.country_code = "CHL".into();
                c.khipu_api.receivers().create(&r).await
            }
        ),
        case!(
            Khipu,
            "khipu: receiver admin e-mail without @",
            "admin_email",
            |c| {
                let mut r = receiver();
                r.admin_email = "ana.example.cl".into();
                c.khipu_api.receivers().create(&r).await
            }
        ),
        case!(
            Khipu,
            "khipu: receiver notify URL not http(s)",
            "notify_url",
            |c| {
                let mut r = receiver();
                r.notify_url = Some("mailto:ana@example.cl".into());
                c.khipu_api.receivers().create(&r).await
            }
        ),
        // --------------------------------------------------------------- KashIO
        case!(
            Kashio,
            "kashio: currency it does not take (MXN)",
            "currency",
            |c| c.kashio.create_payment(&payment(mxn("15.00"))).await
        ),
        case!(Kashio, "kashio: amount zero", "amount", |c| {
            let mut p = payment(pen("15.00"));
            p.amount = pen("0.00");
            c.kashio.create_payment(&p).await
        }),
        case!(
            Kashio,
            "kashio: PEN amount with 3 decimals",
            "amount",
            |c| {
                let amount = Money::parse("15.001", Currency::Pen)?;
                c.kashio.create_payment(&payment(amount)).await
            }
        ),
        case!(
            Kashio,
            "kashio: no merchant reference",
            "merchant_reference",
            |c| {
                let mut p = payment(pen("15.00"));
                p.merchant_reference = None;
                c.kashio.create_payment(&p).await
            }
        ),
        case!(Kashio, "kashio: phone with letters", "payer.phone", |c| {
            let mut p = payment(pen("15.00"));
            p.payer.phone = Some("+51 987 CALL NOW".into());
            c.kashio.create_payment(&p).await
        }),
        case!(Kashio, "kashio: phone of 16 digits", "payer.phone", |c| {
            let mut p = payment(pen("15.00"));
            p.payer.phone = Some("+5198765432101234".into());
            c.kashio.create_payment(&p).await
        }),
        case!(Kashio, "kashio: expiry in the past", "expires_at", |c| {
            let mut p = payment(pen("15.00"));
            p.expires_at = Some(an_hour_ago());
            c.kashio.create_payment(&p).await
        }),
        case!(
            Kashio,
            "kashio: e-mail local part of 65 characters",
            "customer.email",
            |c| {
                let mut i = invoice();
                i.customer.email = Some(long_email());
                c.kashio_api.invoices().create(i).await
            }
        ),
        case!(
            Kashio,
            "kashio: customer with no field set",
            "customer",
            |c| {
                let mut i = invoice();
                i.customer = pagos::kashio::Customer::new();
                c.kashio_api.invoices().create(i).await
            }
        ),
        case!(Kashio, "kashio: blank invoice id", "invoice_id", |c| {
            let mut i = invoice();
            i.invoice_id = " ".into();
            c.kashio_api.invoices().create(i).await
        }),
        case!(
            Kashio,
            "kashio: due date before the request",
            "due_datetime",
            |c| {
                let mut i = invoice();
                i.due_datetime = Some(kashio_datetime(an_hour_ago()));
                c.kashio_api.invoices().create(i).await
            }
        ),
        case!(
            Kashio,
            "kashio: success URL not http(s)",
            "url_success",
            |c| {
                let mut i = invoice();
                i.url_success = Some("javascript:alert(1)".into());
                c.kashio_api.invoices().create(i).await
            }
        ),
        case!(Kashio, "kashio: invoice list limit 0", "limit", |c| {
            c.kashio_api
                .invoices()
                .list(ListParams::new().limit(0))
                .await
        }),
        case!(Kashio, "kashio: event list limit 0", "limit", |c| {
            c.kashio_api.events().list(ListParams::new().limit(0)).await
        }),
        case!(Kashio, "kashio: both list cursors", "ending_before", |c| {
            let params = ListParams::new()
                .starting_after("inv_1")
                .ending_before("inv_9");
            c.kashio_api.invoices().list(params).await
        }),
        case!(
            Kashio,
            "kashio: update to a negative amount",
            "amount",
            |c| {
                let update = InvoiceUpdate::new().amount(pen("-5.00"));
                c.kashio_api.invoices().update("inv_1", update).await
            }
        ),
        case!(
            Kashio,
            "kashio: update with nothing to change",
            "update",
            |c| {
                c.kashio_api
                    .invoices()
                    .update("inv_1", InvoiceUpdate::new())
                    .await
            }
        ),
        // ----------------------------------------------------------- ComproPago
        case!(
            ComproPago,
            "compropago: currency it does not take (USD)",
            "amount",
            |c| {
                c.compropago
                    .create_payment(&payment(money("150.00", Currency::Usd)))
                    .await
            }
        ),
        case!(ComproPago, "compropago: negative amount", "amount", |c| {
            let mut p = payment(mxn("150.00"));
            p.amount = mxn("-150.00");
            c.compropago.create_payment(&p).await
        }),
        case!(
            ComproPago,
            "compropago: MXN amount with 3 decimals",
            "amount",
            |c| {
                let amount = Money::new(decimal("150.555"), Currency::Mxn)?;
                c.compropago.create_payment(&payment(amount)).await
            }
        ),
        case!(
            ComproPago,
            "compropago: phone of another country",
            "payer.phone",
            |c| {
                let mut p = payment(mxn("150.00"));
                p.payer.phone = Some("+51 987 654 321".into());
                c.compropago.create_payment(&p).await
            }
        ),
        case!(
            ComproPago,
            "compropago: no payer e-mail",
            "payer.email",
            |c| {
                let mut p = payment(mxn("150.00"));
                p.payer.email = None;
                c.compropago.create_payment(&p).await
            }
        ),
        case!(
            ComproPago,
            "compropago: blank product name",
            "product.name",
            |c| {
                let mut o = spei_order();
                o.product.name = String::new();
                c.compropago_api.orders().create(&o).await
            }
        ),
        case!(
            ComproPago,
            "compropago: product URL not a URL",
            "product.url",
            |c| {
                let mut o = spei_order();
                o.product.url = Some("not a url".into());
                c.compropago_api.orders().create(&o).await
            }
        ),
        case!(
            ComproPago,
            "compropago: customer e-mail with two @",
            "customer.email",
            |c| {
                let mut o = spei_order();
                o.customer.email = "waldix@@compropago.com".into();
                c.compropago_api.orders().create(&o).await
            }
        ),
        case!(
            ComproPago,
            "compropago: CLABE e-mail without domain",
            "customer.email",
            |c| {
                let mut r = clabe_request();
                r.customer.email = "customer@".into();
                c.compropago_api.clabes().create(&r).await
            }
        ),
        case!(
            ComproPago,
            "compropago: CLABE phone of 11 digits",
            "customer.phone",
            |c| {
                let mut r = clabe_request();
                r.customer.phone = Some("55138998321".into());
                c.compropago_api.clabes().create(&r).await
            }
        ),
        case!(
            ComproPago,
            "compropago: CLABE fixed amount zero",
            "amount",
            |c| {
                let r = clabe_request().amount(mxn("0"));
                c.compropago_api.clabes().create(&r).await
            }
        ),
        case!(
            ComproPago,
            "compropago: account with a blank name",
            "name",
            |c| {
                let r = CreateAccount::new(
                    " ",
                    "153",
                    AccountCustomer::new("CONDOVIVE_1234", "waldix86@gmail.com"),
                );
                c.compropago_api.accounts().create(&r).await
            }
        ),
        case!(
            ComproPago,
            "compropago: transactions of a CLABE with a wrong check digit",
            "clabe",
            |c| {
                c.compropago_api
                    .accounts()
                    .transactions("acc_1", Some("032180000118359718"))
                    .await
            }
        ),
        case!(
            ComproPago,
            "compropago: transactions of a CLABE of 17 digits",
            "clabe",
            |c| {
                c.compropago_api
                    .accounts()
                    .transactions("acc_1", Some("03218000011835971"))
                    .await
            }
        ),
        // -------------------------------------------------------------- Kashpay
        case!(Kashpay, "kashpay: payout in ARS", "amount", |c| {
            let mut r = spei_payout();
            r.amount = ars("250.00");
            c.kashpay.create_payout(&r).await
        }),
        case!(Kashpay, "kashpay: payout of zero", "amount", |c| {
            let mut r = spei_payout();
            r.amount = mxn("0");
            c.kashpay.create_payout(&r).await
        }),
        case!(
            Kashpay,
            "kashpay: CLABE with a wrong check digit",
            "beneficiary.account",
            |c| {
                let mut r = spei_payout();
                // The Kashpay API's own example CLABE (Banxico's check digit: not valid).
                r.beneficiary.account = BankAccount::Clabe("646180585000000001".into());
                c.kashpay.create_payout(&r).await
            }
        ),
        case!(
            Kashpay,
            "kashpay: CLABE of 17 digits",
            "beneficiary.account",
            |c| {
                let mut r = spei_payout();
                r.beneficiary.account = BankAccount::Clabe("03218000011835971".into());
                c.kashpay.create_payout(&r).await
            }
        ),
        case!(
            Kashpay,
            "kashpay: payout to a CBU",
            "beneficiary.account",
            |c| {
                let mut r = spei_payout();
                r.beneficiary.account = BankAccount::Cbu(CVU.into());
                c.kashpay.create_payout(&r).await
            }
        ),
        case!(
            Kashpay,
            "kashpay: beneficiary e-mail with a space",
            "beneficiary.email",
            |c| {
                let mut r = spei_payout();
                r.beneficiary.email = Some("florentino eter@example.mx".into());
                c.kashpay.create_payout(&r).await
            }
        ),
        case!(
            Kashpay,
            "kashpay: reference with a hyphen",
            "reference",
            |c| {
                let mut r = spei_payout();
                r.reference = "PAYOUT-0001".into();
                c.kashpay.create_payout(&r).await
            }
        ),
        case!(
            Kashpay,
            "kashpay: payout concept of 41 characters",
            "concept",
            |c| {
                let mut r = spei_payout();
                r.concept = Some("x".repeat(41));
                c.kashpay.create_payout(&r).await
            }
        ),
        case!(
            Kashpay,
            "kashpay: order concept of 41 characters",
            "concept",
            |c| {
                let mut o = kashpay_order();
                o.concept = "Pago de la factura 2024-000123 de marzo!!".into();
                c.kashpay_api.orders().create(&o).await
            }
        ),
        case!(
            Kashpay,
            "kashpay: mobile phone account of 9 digits",
            "beneficiary_account",
            |c| {
                let mut o = kashpay_order();
                o.beneficiary_account_type = AccountType::MobilePhone;
                o.beneficiary_account = "551234567".into();
                c.kashpay_api.orders().create(&o).await
            }
        ),
        case!(
            Kashpay,
            "kashpay: postal code of 4 digits",
            "postal_code",
            |c| {
                let mut o = kashpay_order();
                o.postal_code = Some("1234".into());
                c.kashpay_api.orders().create(&o).await
            }
        ),
        case!(
            Kashpay,
            "kashpay: bank code with letters",
            "code_institute_bank",
            |c| {
                let mut o = kashpay_order();
                o.code_institute_bank = Some("BBVA".into());
                c.kashpay_api.orders().create(&o).await
            }
        ),
        // ------------------------------------------------------------ TelePagos
        case!(
            TelePagos,
            "telepagos: CVU with a wrong check digit",
            "beneficiary.account",
            |c| {
                let mut r = cvu_payout();
                r.beneficiary.account = BankAccount::Cbu("2850590940090418135202".into());
                c.telepagos.create_payout(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: CVU of 23 digits",
            "beneficiary.account",
            |c| {
                let mut r = cvu_payout();
                r.beneficiary.account = BankAccount::Cbu("28505909400904181352010".into());
                c.telepagos.create_payout(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: alias of 3 characters",
            "beneficiary.account",
            |c| {
                let mut r = cvu_payout();
                r.beneficiary.account = BankAccount::Alias("ana".into());
                c.telepagos.create_payout(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: CUIT with a wrong check digit",
            "beneficiary.tax_id",
            |c| {
                let mut r = cvu_payout();
                r.beneficiary.tax_id = Some("20267565394".into());
                c.telepagos.create_payout(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: CUIT of 10 digits",
            "beneficiary.tax_id",
            |c| {
                let mut r = cvu_payout();
                r.beneficiary.tax_id = Some("20-2675653-9".into());
                c.telepagos.create_payout(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: payout without a CUIT",
            "beneficiary.tax_id",
            |c| {
                let mut r = cvu_payout();
                r.beneficiary.tax_id = None;
                c.telepagos.create_payout(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: unknown transfer motive",
            "concept",
            |c| {
                let mut r = cvu_payout();
                r.concept = Some("XYZ".into());
                c.telepagos.create_payout(&r).await
            }
        ),
        case!(TelePagos, "telepagos: payment in USD", "amount", |c| {
            c.telepagos
                .create_payment(&payment(money("1500.00", Currency::Usd)))
                .await
        }),
        case!(
            TelePagos,
            "telepagos: payment link expired already",
            "expires_at",
            |c| {
                let mut p = payment(ars("1500.00"));
                p.expires_at = Some(an_hour_ago());
                c.telepagos.create_payment(&p).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: cash-out to a CVU and an alias",
            "alias",
            |c| {
                let mut r = cashout();
                r.alias = Some("mi.alias.mp".into());
                c.telepagos_api.cashouts().create(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: cash-out with neither CVU nor alias",
            "cvu",
            |c| {
                let mut r = cashout();
                r.cvu = None;
                c.telepagos_api.cashouts().create(&r).await
            }
        ),
        case!(TelePagos, "telepagos: cash-out of zero", "amount", |c| {
            let mut r = cashout();
            r.amount = ars("0");
            c.telepagos_api.cashouts().create(&r).await
        }),
        case!(
            TelePagos,
            "telepagos: cash-out with a blank reference",
            "reference_id",
            |c| {
                let mut r = cashout();
                r.reference_id = "  ".into();
                c.telepagos_api.cashouts().create(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: transfer link CUIT of 12 digits",
            "cuit",
            |c| {
                let r = TransferRequest::new(CVU, "202675653931", ars("100.00"), "Cuota marzo");
                c.telepagos_api.cashins().transfer_link(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: QR with a blank concept",
            "concept",
            |c| {
                let r = QrRequest::new(ars("100.00"), " ");
                c.telepagos_api.cashins().qr(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: payment link expiring in the past",
            "expiration_date",
            |c| {
                let r = PaymentLinkRequest::new(ars("100.00"), "Cuota marzo", an_hour_ago());
                c.telepagos_api.cashins().payment_link(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: payment link share to a bad CVU",
            "distribution.cvu",
            |c| {
                let r = PaymentLinkRequest::new(
                    ars("100.00"),
                    "Cuota marzo",
                    OffsetDateTime::now_utc() + Duration::days(1),
                )
                .distribute("2850590940090418135202", ars("10.00"));
                c.telepagos_api.cashins().payment_link(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: payment link shares above the amount",
            "distribution.amount",
            |c| {
                let r = PaymentLinkRequest::new(
                    ars("100.00"),
                    "Cuota marzo",
                    OffsetDateTime::now_utc() + Duration::days(1),
                )
                .distribute(CVU, ars("100.01"));
                c.telepagos_api.cashins().payment_link(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: static QR order of zero",
            "amount",
            |c| {
                let r = StaticQrOrderRequest::new(ars("0"), "Cuota marzo", 1);
                c.telepagos_api.sale_points().static_qr_order(&r).await
            }
        ),
        case!(
            TelePagos,
            "telepagos: transactions from after to",
            "date_from",
            |c| {
                let q = TransactionsQuery::new(date!(2024 - 03 - 31), date!(2024 - 03 - 01));
                c.telepagos_api.transactions().list(&q).await
            }
        ),
        case!(TelePagos, "telepagos: transactions page 0", "page", |c| {
            let q = TransactionsQuery::new(date!(2024 - 03 - 01), date!(2024 - 03 - 31)).page(0);
            c.telepagos_api.transactions().list(&q).await
        }),
        case!(TelePagos, "telepagos: blank sale point name", "name", |c| {
            c.telepagos_api.sale_points().create("").await
        }),
    ]
}

/// What went wrong with one case, if anything.
fn check(case: &Case, outcome: Result<(), Error>) -> Option<String> {
    let problem = match outcome {
        Err(Error::Validation(v)) if v.field() == case.field => return None,
        Err(Error::Validation(v)) => format!(
            "names field {:?}, expected {:?} ({})",
            v.field(),
            case.field,
            v.message()
        ),
        Err(e) if e.kind() == ErrorKind::Rejected => {
            format!("rejected without naming {:?}: {e}", case.field)
        }
        Err(e) => format!("not rejected before sending: {e}"),
        Ok(()) => "accepted".to_string(),
    };
    Some(format!("{}: {problem}", case.name))
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_inputs_are_refused_naming_the_field_and_nothing_is_sent() {
    let sandbox = support::start_sandbox().await;
    let clients = Clients {
        khipu: support::provider(&sandbox, "khipu"),
        kashio: support::provider(&sandbox, "kashio"),
        compropago: support::provider(&sandbox, "compropago"),
        kashpay: support::provider(&sandbox, "kashpay"),
        telepagos: support::provider(&sandbox, "telepagos"),
        khipu_api: support::khipu(&sandbox),
        kashio_api: support::kashio(&sandbox),
        compropago_api: support::compropago(&sandbox),
        kashpay_api: support::kashpay(&sandbox),
        telepagos_api: support::telepagos(&sandbox),
    };
    sandbox.clear_request_log();

    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut per_provider: BTreeMap<&str, usize> = BTreeMap::new();
    for case in &cases {
        *per_provider.entry(case.provider.as_str()).or_default() += 1;
    }
    let covered: Vec<&str> = per_provider.keys().copied().collect();
    support::assert_covers("the bad-input table", &covered);
    assert!(
        per_provider.values().all(|n| *n >= 5),
        "at least 5 cases per provider: {per_provider:?}"
    );
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names are unique");

    let mut problems = Vec::new();
    for case in &cases {
        let outcome = support::within(case.name, (case.call)(&clients)).await;
        problems.extend(check(case, outcome));
        // Per case, so a leak names its case; the whole log is checked again below.
        let sent = sandbox.request_log();
        if !sent.is_empty() {
            let requests: Vec<String> = sent
                .iter()
                .map(|e| format!("{} {}", e.method, e.path))
                .collect();
            problems.push(format!("{}: sent {requests:?}", case.name));
            sandbox.clear_request_log();
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} cases failed:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
    assert!(
        sandbox.request_log().is_empty(),
        "nothing may reach the sandbox, not even authentication: {:?}",
        sandbox.request_log()
    );
}
