//! TelePagos: balance, transactions (one, a page), operation filters, QR codes, links,
//! cash-ins, cash-out receipts, sale points, and the status tables.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_fuzz::{decode, response_helpers};
use pagos_telepagos as telepagos;

fuzz_target!(|body: &[u8]| {
    const P: &str = telepagos::PROVIDER;
    if let Some(page) = decode::<telepagos::TransactionsPage>(P, body) {
        for t in &page.transactions {
            let _ = (t.is_income(), t.payment_status(), t.payout_status());
        }
    }
    if let Some(t) = decode::<telepagos::Transaction>(P, body) {
        let _ = (t.is_income(), t.payment_status(), t.payout_status());
    }
    decode::<telepagos::AccountBalance>(P, body);
    decode::<telepagos::OperationFilter>(P, body);
    decode::<telepagos::QrCode>(P, body);
    decode::<telepagos::TransferLink>(P, body);
    decode::<telepagos::PaymentLink>(P, body);
    decode::<telepagos::Buyer>(P, body);
    decode::<telepagos::CashIn>(P, body);
    decode::<telepagos::CashoutReceipt>(P, body);
    decode::<telepagos::SalePoint>(P, body);
    let text = String::from_utf8_lossy(body);
    let _ = (
        telepagos::status::payment_status(&text),
        telepagos::status::payout_status(&text),
    );
    response_helpers(P, body);
});
