//! Khipu: every public response type, the error body, and what is derived from a
//! decoded payment (money, status, times, the notification checks, the unified type).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_core::{Currency, Money, Payment};
use pagos_fuzz::{decode, response_helpers};
use pagos_khipu as khipu;

fuzz_target!(|body: &[u8]| {
    const P: &str = khipu::PROVIDER;
    if let Some(p) = decode::<khipu::PaymentsResponse>(P, body) {
        let _ = (
            p.money(),
            p.unified_status(),
            p.conciliation_time(),
            p.expires_time(),
        );
        if let Ok(amount) = Money::parse("1000", Currency::Clp) {
            let expected = khipu::ExpectedPayment::by_transaction_id(amount, "T-1");
            let _ = expected.check("985101", &p).map_err(|e| e.to_string());
        }
        let _ = Payment::from(&p);
    }
    if let Some(p) = decode::<khipu::PaymentsCreateResponse>(P, body) {
        let _ = Payment::from(&p);
    }
    decode::<khipu::SuccessResponse>(P, body);
    decode::<khipu::KhipuStatus>(P, body).map(|s| s.to_string());
    decode::<khipu::StatusDetail>(P, body).map(|s| s.to_string());
    decode::<khipu::PaymentMethod>(P, body).map(|s| s.to_string());
    decode::<khipu::BanksResponse>(P, body);
    decode::<khipu::BankItem>(P, body);
    decode::<khipu::PaymentMethodsResponse>(P, body);
    decode::<khipu::MerchantPaymentMethod>(P, body);
    decode::<khipu::ReceiversCreateResponse>(P, body);
    decode::<khipu::error::ErrorBody>(P, body);
    decode::<khipu::error::ErrorItem>(P, body);
    response_helpers(P, body);
});
