//! The [`PaymentProvider`] trait every integration implements.

use std::fmt;

use async_trait::async_trait;

use crate::error::{Error, Result};
use crate::notification::{Expected, Notification, VerifiedEvent};
use crate::payment::{CreatePayment, Payment, Refund, RefundRequest};
use crate::payout::{Balance, Payout, PayoutRequest};

/// One operation of the unified API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// [`PaymentProvider::create_payment`].
    CreatePayment,
    /// [`PaymentProvider::get_payment`].
    GetPayment,
    /// [`PaymentProvider::cancel_payment`].
    CancelPayment,
    /// [`PaymentProvider::refund_payment`].
    RefundPayment,
    /// [`PaymentProvider::create_payout`].
    CreatePayout,
    /// [`PaymentProvider::get_payout`].
    GetPayout,
    /// [`PaymentProvider::balance`].
    GetBalance,
    /// [`PaymentProvider::verify_notification`].
    VerifyNotification,
}

impl Operation {
    /// Every operation, in the order of the trait.
    pub const ALL: [Operation; 8] = [
        Operation::CreatePayment,
        Operation::GetPayment,
        Operation::CancelPayment,
        Operation::RefundPayment,
        Operation::CreatePayout,
        Operation::GetPayout,
        Operation::GetBalance,
        Operation::VerifyNotification,
    ];

    /// The snake_case name, e.g. `"create_payment"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::CreatePayment => "create_payment",
            Operation::GetPayment => "get_payment",
            Operation::CancelPayment => "cancel_payment",
            Operation::RefundPayment => "refund_payment",
            Operation::CreatePayout => "create_payout",
            Operation::GetPayout => "get_payout",
            Operation::GetBalance => "get_balance",
            Operation::VerifyNotification => "verify_notification",
        }
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The set of operations a provider supports.
///
/// ```
/// use pagos_core::{Capabilities, Operation};
/// let caps = Capabilities::of(&[Operation::CreatePayment, Operation::GetPayment]);
/// assert!(caps.supports(Operation::GetPayment));
/// assert!(!caps.supports(Operation::CreatePayout));
/// assert_eq!(caps.iter().count(), 2);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Capabilities(u8);

impl Capabilities {
    /// The set of the given operations.
    pub const fn of(ops: &[Operation]) -> Capabilities {
        // `for` is not allowed in a `const fn`; peeling the slice keeps it index-free.
        let mut bits = 0;
        let mut rest = ops;
        while let [op, tail @ ..] = rest {
            bits |= op.bit();
            rest = tail;
        }
        Capabilities(bits)
    }

    /// Whether `op` is in the set.
    pub const fn supports(self, op: Operation) -> bool {
        self.0 & op.bit() != 0
    }

    /// The operations in the set, in the order of [`Operation::ALL`].
    pub fn iter(self) -> impl Iterator<Item = Operation> {
        Operation::ALL
            .into_iter()
            .filter(move |op| self.supports(*op))
    }
}

impl fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// A payment provider behind the unified API.
///
/// Every method has a default that returns [`Error::Unsupported`], so a provider
/// implements only what it offers and lists it in [`capabilities`](Self::capabilities).
/// The trait is object safe: `Arc<dyn PaymentProvider>` lets an application pick the
/// provider at run time.
///
/// ```
/// use std::sync::Arc;
/// use pagos_core::{async_trait, Capabilities, PaymentProvider, Operation, Error};
///
/// #[derive(Debug)]
/// struct Nothing;
///
/// #[async_trait]
/// impl PaymentProvider for Nothing {
///     fn name(&self) -> &'static str { "nothing" }
///     fn capabilities(&self) -> Capabilities { Capabilities::default() }
/// }
///
/// # tokio_test();
/// # fn tokio_test() {
/// let p: Arc<dyn PaymentProvider> = Arc::new(Nothing);
/// let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// let err = rt.block_on(p.get_payment("x")).unwrap_err();
/// assert!(matches!(err, Error::Unsupported { operation: Operation::GetPayment, .. }));
/// # }
/// ```
#[async_trait]
pub trait PaymentProvider: Send + Sync + fmt::Debug {
    /// The provider's short name, e.g. `"khipu"`.
    fn name(&self) -> &'static str;

    /// The operations this provider supports.
    fn capabilities(&self) -> Capabilities;

    /// Creates a payment the payer completes outside this process.
    ///
    /// # Errors
    /// Validation errors before sending; otherwise see [`Error`].
    async fn create_payment(&self, request: &CreatePayment) -> Result<Payment> {
        let _ = request;
        Err(Error::unsupported(self.name(), Operation::CreatePayment))
    }

    /// Fetches a payment by the provider's id.
    ///
    /// # Errors
    /// See [`Error`].
    async fn get_payment(&self, id: &str) -> Result<Payment> {
        let _ = id;
        Err(Error::unsupported(self.name(), Operation::GetPayment))
    }

    /// Cancels a payment that has not been paid yet.
    ///
    /// # Errors
    /// See [`Error`].
    async fn cancel_payment(&self, id: &str) -> Result<()> {
        let _ = id;
        Err(Error::unsupported(self.name(), Operation::CancelPayment))
    }

    /// Refunds a paid payment, in full or in part.
    ///
    /// # Errors
    /// See [`Error`].
    async fn refund_payment(&self, request: &RefundRequest) -> Result<Refund> {
        let _ = request;
        Err(Error::unsupported(self.name(), Operation::RefundPayment))
    }

    /// Sends money to a beneficiary.
    ///
    /// # Errors
    /// Validation errors before sending; otherwise see [`Error`].
    async fn create_payout(&self, request: &PayoutRequest) -> Result<Payout> {
        let _ = request;
        Err(Error::unsupported(self.name(), Operation::CreatePayout))
    }

    /// Fetches a payout by the provider's id.
    ///
    /// # Errors
    /// See [`Error`].
    async fn get_payout(&self, id: &str) -> Result<Payout> {
        let _ = id;
        Err(Error::unsupported(self.name(), Operation::GetPayout))
    }

    /// Reads the account balance.
    ///
    /// # Errors
    /// See [`Error`].
    async fn balance(&self) -> Result<Balance> {
        Err(Error::unsupported(self.name(), Operation::GetBalance))
    }

    /// Verifies an incoming notification (webhook) against the order the merchant
    /// expects it to be about, by the provider's signature or by fetching the record
    /// it names. See [`crate::notification`].
    ///
    /// Answer the provider with a 2xx only after this returned `Ok` and the event was
    /// stored; a redelivery returns the same [`VerifiedEvent::event_key`].
    ///
    /// # Errors
    /// [`Error::Notification`] when the notification is forged, replayed, malformed or
    /// about another order (it will be refused again); [`Error::Validation`] for a
    /// blank expectation; and, when verifying meant fetching, that read's errors (a
    /// [`Resend::Safe`](crate::Resend::Safe) one means: answer the provider with a
    /// 5xx so it delivers again).
    async fn verify_notification(
        &self,
        notification: &Notification<'_>,
        expected: &Expected,
    ) -> Result<VerifiedEvent> {
        let _ = (notification, expected);
        Err(Error::unsupported(
            self.name(),
            Operation::VerifyNotification,
        ))
    }
}
