//! Acmepay behind the unified [`PaymentProvider`] trait.

use pagos_core::{
    Capabilities, CreatePayment, Operation, Payment, PaymentProvider, Result, async_trait,
};

use crate::PROVIDER;
use crate::client::AcmepayClient;

#[async_trait]
impl PaymentProvider for AcmepayClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::of(&[Operation::CreatePayment, Operation::GetPayment])
    }

    async fn create_payment(&self, request: &CreatePayment) -> Result<Payment> {
        self.create_charge(request).await
    }

    async fn get_payment(&self, id: &str) -> Result<Payment> {
        self.get_charge(id).await
    }
}
