//! A hostile provider for the end-to-end and CLI tests: the shared loopback server
//! ([`pagos_test_support::server`], re-exported here) with each provider's routes,
//! credentials and documented success answers.

pub use pagos_test_support::server::*;

/// Credentials the [`provider_env`] variables carry. The server checks
/// none of them: a hostile provider does not care who you are.
pub mod credentials {
    /// `PAGOS_KHIPU_RECEIVER_ID`.
    pub const KHIPU_RECEIVER_ID: &str = "985101";
    /// `PAGOS_KHIPU_SECRET`.
    pub const KHIPU_SECRET: &str = "hostile-khipu-secret";
    /// `PAGOS_KASHIO_SECRET_KEY`.
    pub const KASHIO_SECRET_KEY: &str = "sk_test_hostile";
    /// `PAGOS_COMPROPAGO_PRIVATE_KEY`.
    pub const COMPROPAGO_PRIVATE_KEY: &str = "sk_test_hostile";
    /// `PAGOS_COMPROPAGO_PUBLIC_KEY`.
    pub const COMPROPAGO_PUBLIC_KEY: &str = "pk_test_hostile";
    /// `PAGOS_KASHPAY_ENTITY`.
    pub const KASHPAY_ENTITY: &str = "com.hostile";
    /// `PAGOS_KASHPAY_USER`.
    pub const KASHPAY_USER: &str = "ops@hostile.example";
    /// `PAGOS_KASHPAY_PASSWORD`.
    pub const KASHPAY_PASSWORD: &str = "hostile-kashpay-password";
    /// `PAGOS_TELEPAGOS_USERNAME`.
    pub const TELEPAGOS_USERNAME: &str = "hostile-user";
    /// `PAGOS_TELEPAGOS_PASSWORD`.
    pub const TELEPAGOS_PASSWORD: &str = "hostile-telepagos-password";
}

/// The path prefix each provider's base URL has on the server: a provider's routes are
/// scripted as `format!("{}/payments", paths::KHIPU)`.
pub mod paths {
    /// Khipu's base path.
    pub const KHIPU: &str = "/khipu";
    /// KashIO's base path.
    pub const KASHIO: &str = "/kashio";
    /// ComproPago's base path (the SDK adds `/v2`).
    pub const COMPROPAGO: &str = "/compropago";
    /// Kashpay's base path, for both the authentication and the orders hosts.
    pub const KASHPAY: &str = "/kashpay";
    /// TelePagos' base path (the SDK adds `/v2/...`).
    pub const TELEPAGOS: &str = "/telepagos";
}

/// Every `PAGOS_*` variable of the five providers, pointing at `server` under
/// [`paths`], with [`credentials`].
pub fn provider_env(server: &HostileServer) -> Vec<(&'static str, String)> {
    {
        use credentials as c;
        let s = |v: &str| v.to_string();
        vec![
            ("PAGOS_KHIPU_RECEIVER_ID", s(c::KHIPU_RECEIVER_ID)),
            ("PAGOS_KHIPU_SECRET", s(c::KHIPU_SECRET)),
            ("PAGOS_KHIPU_BASE_URL", server.url(paths::KHIPU)),
            ("PAGOS_KASHIO_SECRET_KEY", s(c::KASHIO_SECRET_KEY)),
            ("PAGOS_KASHIO_BASE_URL", server.url(paths::KASHIO)),
            ("PAGOS_COMPROPAGO_PRIVATE_KEY", s(c::COMPROPAGO_PRIVATE_KEY)),
            ("PAGOS_COMPROPAGO_PUBLIC_KEY", s(c::COMPROPAGO_PUBLIC_KEY)),
            ("PAGOS_COMPROPAGO_BASE_URL", server.url(paths::COMPROPAGO)),
            ("PAGOS_KASHPAY_ENTITY", s(c::KASHPAY_ENTITY)),
            ("PAGOS_KASHPAY_USER", s(c::KASHPAY_USER)),
            ("PAGOS_KASHPAY_PASSWORD", s(c::KASHPAY_PASSWORD)),
            ("PAGOS_KASHPAY_AUTH_URL", server.url(paths::KASHPAY)),
            ("PAGOS_KASHPAY_ORDERS_URL", server.url(paths::KASHPAY)),
            ("PAGOS_TELEPAGOS_USERNAME", s(c::TELEPAGOS_USERNAME)),
            ("PAGOS_TELEPAGOS_PASSWORD", s(c::TELEPAGOS_PASSWORD)),
            ("PAGOS_TELEPAGOS_BASE_URL", server.url(paths::TELEPAGOS)),
        ]
    }
}

/// Each provider's routes on the server, as the SDK calls them under [`paths`].
pub mod routes {
    /// Khipu `POST /payments`.
    pub const KHIPU_PAYMENTS: &str = "/khipu/payments";
    /// KashIO `POST /invoices`.
    pub const KASHIO_INVOICES: &str = "/kashio/invoices";
    /// ComproPago `POST /v2/orders`.
    pub const COMPROPAGO_ORDERS: &str = "/compropago/v2/orders";
    /// Kashpay `POST /AuthenticationService/authenticate`.
    pub const KASHPAY_AUTH: &str = "/kashpay/AuthenticationService/authenticate";
    /// Kashpay `POST /OKPay/createOrder`.
    pub const KASHPAY_ORDERS: &str = "/kashpay/OKPay/createOrder";
    /// TelePagos `POST v2/auth/token`.
    pub const TELEPAGOS_TOKEN: &str = "/telepagos/v2/auth/token";
    /// TelePagos `POST v2/payment/cashin/link/generate`.
    pub const TELEPAGOS_LINK: &str = "/telepagos/v2/payment/cashin/link/generate";
    /// TelePagos `POST v2/payment/cashout`.
    pub const TELEPAGOS_CASHOUT: &str = "/telepagos/v2/payment/cashout";
    /// TelePagos `GET v2/account/balance`.
    pub const TELEPAGOS_BALANCE: &str = "/telepagos/v2/account/balance";

    /// Khipu `GET|DELETE /payments/{id}`.
    pub fn khipu_payment(id: &str) -> String {
        format!("{KHIPU_PAYMENTS}/{id}")
    }
    /// KashIO `GET|DELETE /invoices/{id}`.
    pub fn kashio_invoice(id: &str) -> String {
        format!("{KASHIO_INVOICES}/{id}")
    }
    /// ComproPago `GET /v2/orders/{id}`.
    pub fn compropago_order(id: &str) -> String {
        format!("{COMPROPAGO_ORDERS}/{id}")
    }
    /// TelePagos `GET v2/payment/cashin/{id}`.
    pub fn telepagos_cashin(id: &str) -> String {
        format!("/telepagos/v2/payment/cashin/{id}")
    }
}

/// Success answers, from the provider crates' wire-test fixtures (the providers'
/// documented examples), for the routes a test needs to succeed.
pub mod fixtures {
    /// Khipu `GET /payments/{id}` (a pending payment).
    pub const KHIPU_PAYMENT: &str =
        include_str!("../../crates/pagos-khipu/tests/fixtures/payment_pending.json");
    /// Khipu `POST /payments`.
    pub const KHIPU_CREATED: &str =
        include_str!("../../crates/pagos-khipu/tests/fixtures/payment_create.json");
    /// Khipu's 400 validation error.
    pub const KHIPU_ERROR_400: &str =
        include_str!("../../crates/pagos-khipu/tests/fixtures/error_400.json");
    /// KashIO `GET /invoices/{id}`.
    pub const KASHIO_INVOICE: &str =
        include_str!("../../crates/pagos-kashio/tests/fixtures/invoice_get_response.json");
    /// ComproPago `GET /v2/orders/{id}` (a bare order).
    pub const COMPROPAGO_ORDER: &str =
        include_str!("../../crates/pagos-compropago/tests/fixtures/get_order.json");
    /// Kashpay `authenticate` (a token for about 99 minutes).
    pub const KASHPAY_AUTH: &str =
        include_str!("../../crates/pagos-kashpay/tests/fixtures/authenticate.json");
    /// Kashpay `createOrder`.
    pub const KASHPAY_ORDER: &str =
        include_str!("../../crates/pagos-kashpay/tests/fixtures/create_order_success.json");
    /// TelePagos `auth/token` (a token until 2100).
    pub const TELEPAGOS_TOKEN: &str =
        include_str!("../../crates/pagos-telepagos/tests/fixtures/auth_token.json");
    /// TelePagos `GET v2/payment/cashin/{id}`.
    pub const TELEPAGOS_CASHIN: &str =
        include_str!("../../crates/pagos-telepagos/tests/fixtures/cashin.json");
    /// TelePagos `GET v2/account/balance`.
    pub const TELEPAGOS_BALANCE: &str =
        include_str!("../../crates/pagos-telepagos/tests/fixtures/balance.json");
}
