//! Acmepay behind the unified [`PaymentProvider`] trait.

use pagos_core::{
    Capabilities, CreatePayment, Operation, Payment, PaymentProvider, Result, async_trait, validate,
};

use crate::PROVIDER;
use crate::client::AcmepayClient;

/// What [`AcmepayClient`] offers through the unified API (also its
/// [`DESCRIPTOR`](crate::DESCRIPTOR)'s).
pub(crate) const CAPABILITIES: Capabilities =
    Capabilities::of(&[Operation::CreatePayment, Operation::GetPayment]);

#[async_trait]
impl PaymentProvider for AcmepayClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    /// A charge ([`CreateCharge`](crate::CreateCharge)).
    async fn create_payment(&self, request: &CreatePayment) -> Result<Payment> {
        Ok(self.charges().create(request).await?.to_payment())
    }

    /// The charge; the id is Acmepay's, reported as `payment_id` when it is blank or
    /// would change the path.
    async fn get_payment(&self, id: &str) -> Result<Payment> {
        validate::path_id("payment_id", id)?;
        Ok(self.charges().get(id).await?.to_payment())
    }
}
