//! End to end through a real socket: authenticate once, send a cash-out, fetch its
//! voucher, read it as a unified payout.

use httpmock::prelude::*;
use pagos_core::{PaymentProvider, PayoutStatus};

use crate::cashouts::{CASHOUT_BODY, cashout_request};
use crate::mock::{auth, client, get, with_body};
use crate::{CASHOUT, CASHOUT_VOUCHER};

#[tokio::test]
async fn cashout_then_voucher() {
    let server = MockServer::start_async().await;
    let auth = auth(&server).await;
    let create = with_body(&server, POST, "payment/cashout", CASHOUT_BODY, 200, CASHOUT).await;
    let voucher = get(&server, "payment/cashout/98765", 200, CASHOUT_VOUCHER).await;
    let c = client(&server);

    let receipt = c.cashouts().create(&cashout_request()).await.unwrap();
    assert_eq!(receipt.id, "98765");
    assert_eq!(receipt.payout_status(), PayoutStatus::Processing);
    assert_eq!(receipt.raw.get(), CASHOUT.trim());
    let document = c.cashouts().voucher(&receipt.id).await.unwrap();
    assert!(document.pdf.starts_with(b"%PDF-1.4"));

    auth.assert_async().await;
    create.assert_async().await;
    voucher.assert_async().await;

    // The same voucher through the unified trait, with the same token.
    let payout = c.get_payout(&receipt.id).await.unwrap();
    assert_eq!(payout.status, PayoutStatus::Succeeded);
    assert_eq!(payout.raw.get(), CASHOUT_VOUCHER.trim());
    auth.assert_calls_async(1).await;
    voucher.assert_calls_async(2).await;
}
