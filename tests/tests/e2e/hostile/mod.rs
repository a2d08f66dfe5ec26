//! The hostile-provider suite: every provider, through the facade
//! (`pagos::from_env_with` with `PAGOS_<PROVIDER>_BASE_URL` pointing at
//! [`HostileServer`]), against answers real gateways and providers give: a 5xx after
//! the provider acted, a dropped connection, an authentication that fails or never
//! answers, `Retry-After` in every form, and ids or input that must never leave.
//!
//! Every "sent once" or "nothing was sent" assertion reads the server's request count.
//! Oversized answers are in their own binary (`tests/limits`, which measures memory);
//! the CLI's exit codes and the proxy variables in `crates/pagos-cli/tests/hostile.rs`.

mod cancels;
mod creates;
mod input;
mod retry_after;
mod tokens;

use std::sync::Arc;
use std::time::Duration;

use pagos::{
    BankAccount, CreatePayment, Currency, Error, OutcomeUnknown, Payment, PaymentProvider, Payout,
    PayoutRequest, ProviderConfig, RetryPolicy, Transport,
};
use pagos_tests::hostile::{HostileServer, Reply, fixtures, routes};

use crate::support::{CLABE, CUIT, CVU, money};

/// The providers the suite runs "every provider" over: the registry's that the sandbox
/// simulates, for which `pagos_tests::hostile` has routes and fixtures. A provider
/// added to both without a script here fails the suite (`for_provider` and friends
/// panic on a name they do not know) rather than going untested.
fn providers() -> Vec<&'static str> {
    crate::support::sandboxed().iter().map(|d| d.name).collect()
}

/// A transport that retries what it may (up to `attempts`) without making tests wait:
/// 1–5 ms between attempts, a 10 s bound per attempt that no passing test reaches.
fn transport(attempts: u32) -> Transport {
    transport_with(
        RetryPolicy::attempts(attempts)
            .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        Duration::from_secs(10),
    )
}

fn transport_with(retry: RetryPolicy, timeout: Duration) -> Transport {
    Transport::builder()
        .timeout(timeout)
        .retry(retry)
        .build()
        .expect("the transport builds")
}

/// `kind` as an application builds it: `from_env_with` over the server's variables.
fn provider(
    server: &HostileServer,
    kind: &'static str,
    transport: Transport,
) -> Arc<dyn PaymentProvider> {
    let config = ProviderConfig::from_pairs(pagos_tests::hostile::provider_env(server))
        .with_transport(transport);
    pagos::from_env_with(kind, &config)
        .unwrap_or_else(|e| panic!("{kind} builds from the hostile server's variables: {e}"))
}

/// Scripts the token routes to succeed, for the providers that have one.
fn authenticates(server: &HostileServer, kind: &'static str) {
    match kind {
        "kashpay" => server.route(
            "POST",
            routes::KASHPAY_AUTH,
            [Reply::json(200, fixtures::KASHPAY_AUTH)],
        ),
        "telepagos" => server.route(
            "POST",
            routes::TELEPAGOS_TOKEN,
            [Reply::json(200, fixtures::TELEPAGOS_TOKEN)],
        ),
        _ => {}
    }
}

/// The token route of `kind`, when it has one.
fn token_route(kind: &'static str) -> Option<&'static str> {
    match kind {
        "kashpay" => Some(routes::KASHPAY_AUTH),
        "telepagos" => Some(routes::TELEPAGOS_TOKEN),
        _ => None,
    }
}

/// The call that moves money for each provider, through the unified trait: a payment
/// (Khipu, KashIO, ComproPago, a TelePagos payment link) or a payout (Kashpay, whose
/// only call it is).
enum Create {
    Payment(CreatePayment),
    Payout(PayoutRequest),
}

impl Create {
    /// A valid request for `kind` and the route it is sent to.
    fn for_provider(kind: &'static str) -> (Create, &'static str) {
        match kind {
            "khipu" => (
                Create::Payment(
                    CreatePayment::builder(money("1000", Currency::Clp), "Pedido 42")
                        .merchant_reference("hostile-42")
                        .build()
                        .expect("a valid Khipu payment"),
                ),
                routes::KHIPU_PAYMENTS,
            ),
            "kashio" => (
                Create::Payment(
                    CreatePayment::builder(money("20.00", Currency::Pen), "Orden")
                        .merchant_reference("INV-HOSTILE-1")
                        .payer_email("juan@example.pe")
                        .build()
                        .expect("a valid KashIO payment"),
                ),
                routes::KASHIO_INVOICES,
            ),
            "compropago" => (
                Create::Payment(
                    CreatePayment::builder(money("99.90", Currency::Mxn), "Taza")
                        .merchant_reference("hostile-order-1")
                        .payer_name("Ana Lopez")
                        .payer_email("ana@example.mx")
                        .build()
                        .expect("a valid ComproPago payment"),
                ),
                routes::COMPROPAGO_ORDERS,
            ),
            "kashpay" => (
                Create::Payout(kashpay_payout("5000071")),
                routes::KASHPAY_ORDERS,
            ),
            "telepagos" => (
                Create::Payment(
                    CreatePayment::builder(money("1500.00", Currency::Ars), "Cuota")
                        .build()
                        .expect("a valid TelePagos payment link"),
                ),
                routes::TELEPAGOS_LINK,
            ),
            other => panic!("no create call for {other}"),
        }
    }

    async fn send(&self, provider: &dyn PaymentProvider) -> Result<Created, Error> {
        match self {
            Create::Payment(r) => provider.create_payment(r).await.map(Created::Payment),
            Create::Payout(r) => provider.create_payout(r).await.map(Created::Payout),
        }
    }
}

/// What a [`Create`] returned.
#[derive(Debug)]
#[allow(dead_code)] // read only through Debug, in failure messages
enum Created {
    Payment(Payment),
    Payout(Payout),
}

/// A valid Kashpay payout to the reference CLABE.
fn kashpay_payout(reference: &str) -> PayoutRequest {
    PayoutRequest::builder(
        money("250.00", Currency::Mxn),
        BankAccount::Clabe(CLABE.into()),
        reference,
    )
    .beneficiary_name("Florentino Eter")
    .build()
    .expect("a valid Kashpay payout")
}

/// A valid TelePagos cash-out to the reference CVU.
fn telepagos_payout(reference: &str) -> PayoutRequest {
    PayoutRequest::builder(
        money("10.50", Currency::Ars),
        BankAccount::Cbu(CVU.into()),
        reference,
    )
    .beneficiary_tax_id(CUIT)
    .build()
    .expect("a valid TelePagos payout")
}

/// The outcome-unknown error inside `result`, or a panic naming what came instead.
#[track_caller]
fn unknown<T: std::fmt::Debug>(what: &str, result: Result<T, Error>) -> Box<OutcomeUnknown> {
    match result {
        Err(Error::OutcomeUnknown(u)) => u,
        other => panic!("{what}: expected OutcomeUnknown, got {other:?}"),
    }
}
