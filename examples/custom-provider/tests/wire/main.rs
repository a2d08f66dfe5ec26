//! Wire tests, one file per resource: what each endpoint describes (no socket: the
//! request exactly as the executor would send it, credentials included) and how each
//! answer is read; the error envelope; the client; and one smoke test end to end
//! through a real socket.

mod charges;
mod client;
mod errors;
mod smoke;

use pagos_acmepay::AcmepayClient;
use pagos_core::{CreatePayment, Currency, Money};

/// The API key every test client holds.
pub const KEY: &str = "sk_test_acmepay_secret";

/// A charge as the API document shows it.
pub const CHARGE: &str = r#"{"id":"ch_1","status":"pending","amount":"10.50","currency":"MXN","reference":"order-42","checkout_url":"https://pay.example/ch_1"}"#;

/// A client for the production base URL: describing a request sends nothing.
pub fn client() -> AcmepayClient {
    AcmepayClient::builder().api_key(KEY).build().unwrap()
}

/// A valid order.
pub fn order() -> CreatePayment {
    CreatePayment::builder(Money::parse("10.5", Currency::Mxn).unwrap(), "Order 42")
        .merchant_reference("order-42")
        .build()
        .unwrap()
}
