//! Injected faults through the facade: what is retried (idempotent calls only), what is
//! reported as the provider's refusal, and what is reported as an unknown outcome.

use pagos::{
    BankAccount, CreatePayment, Currency, Error, PaymentStatus, PayoutRequest, UnknownCause,
};
use pagos_sandbox::{Fault, FaultKind, Provider, SandboxHandle};

use crate::support::{
    self, CLABE, CUIT, CVU, decimal, money, provider_error, requests, statuses, within,
};

/// The faults still armed: every test uses up what it injects.
fn assert_no_fault_left(sandbox: &SandboxHandle) {
    assert!(sandbox.faults().is_empty(), "{:?}", sandbox.faults());
}

#[tokio::test]
async fn khipu_get_is_retried_after_a_503() {
    let sandbox = support::start_sandbox().await;
    let khipu = support::provider(&sandbox, "khipu");
    let request = CreatePayment::builder(money("1000", Currency::Clp), "Pedido 7")
        .merchant_reference("order-7")
        .build()
        .unwrap();
    let created = within("create", khipu.create_payment(&request))
        .await
        .unwrap();

    let route = format!("/payments/{}", created.id);
    sandbox.inject_fault(
        Fault::new(FaultKind::Status { status: 503 })
            .provider(Provider::Khipu)
            .route(route.clone())
            .method("GET")
            .times(1),
    );
    let payment = within("get", khipu.get_payment(&created.id)).await.unwrap();
    assert_eq!(payment.status, PaymentStatus::Pending);

    let log = requests(&sandbox, Provider::Khipu, "GET", &route);
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0].status, Some(503));
    assert_eq!(log[0].fault.as_deref(), Some("status"));
    assert_eq!(log[1].status, Some(200));
    assert_eq!(log[1].fault, None);
    assert_no_fault_left(&sandbox);
}

#[tokio::test]
async fn khipu_get_gives_up_after_the_retry_budget() {
    let sandbox = support::start_sandbox().await;
    let khipu = support::provider(&sandbox, "khipu");
    sandbox.inject_fault(
        Fault::new(FaultKind::Status { status: 503 })
            .provider(Provider::Khipu)
            .route("/payments/")
            .times(5),
    );
    let err = within("get", khipu.get_payment("abc123xyz"))
        .await
        .unwrap_err();
    let refused = provider_error(&err);
    assert_eq!(refused.http_status, 503);
    assert_eq!(refused.attempts, 3, "the transport's three attempts");
    assert_eq!(
        err.resend(),
        pagos::Resend::Safe,
        "a read may be asked again"
    );
    assert_eq!(
        statuses(&sandbox, Provider::Khipu, "GET", "/payments/abc123xyz"),
        [Some(503), Some(503), Some(503)]
    );
    sandbox.clear_faults();
}

#[tokio::test]
async fn kashio_create_is_not_retried_after_a_503_and_its_outcome_is_unknown() {
    let sandbox = support::start_sandbox().await;
    let kashio = support::provider(&sandbox, "kashio");
    let client = support::kashio(&sandbox);
    sandbox.inject_fault(
        Fault::new(FaultKind::Status { status: 503 })
            .provider(Provider::Kashio)
            .route("/invoices")
            .method("POST"),
    );
    let request = CreatePayment::builder(money("20.00", Currency::Pen), "Orden")
        .merchant_reference("INV-9001")
        .payer_email("juan@example.pe")
        .build()
        .unwrap();
    let err = within("create", kashio.create_payment(&request))
        .await
        .unwrap_err();
    // KashIO may have created the invoice before failing: never a refusal.
    assert_eq!(err.resend(), pagos::Resend::AfterLookup);
    let Error::OutcomeUnknown(unknown) = &err else {
        panic!("a 5xx to a create is an unknown outcome: {err:?}")
    };
    assert_eq!(unknown.provider, "kashio");
    assert_eq!(unknown.cause, pagos::UnknownCause::ServerError);
    assert_eq!(unknown.http_status, Some(503));
    assert_eq!(unknown.attempts, 1);
    assert!(unknown.raw_body.as_deref().is_some_and(|b| !b.is_empty()));
    assert!(
        unknown
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("INV-9001")),
        "{unknown:?}"
    );
    assert_eq!(
        statuses(&sandbox, Provider::Kashio, "POST", "/invoices"),
        [Some(503)],
        "a POST without an idempotency reference is sent exactly once"
    );
    // The fault answered before the sandbox processed anything.
    let page = within(
        "list",
        client.invoices().list(pagos::kashio::ListParams::new()),
    )
    .await
    .unwrap();
    assert!(page.items.is_empty(), "{:?}", page.items);
    assert_no_fault_left(&sandbox);
}

#[tokio::test]
async fn compropago_non_json_answer_is_an_unknown_outcome_with_the_body() {
    let sandbox = support::start_sandbox().await;
    let compropago = support::provider(&sandbox, "compropago");
    let request = CreatePayment::builder(money("99.90", Currency::Mxn), "Taza")
        .merchant_reference("ORD-9002")
        .payer_name("Ana Lopez")
        .payer_email("ana@example.mx")
        .build()
        .unwrap();
    let created = within("create", compropago.create_payment(&request))
        .await
        .unwrap();

    let route = format!("/v2/orders/{}", created.id);
    sandbox.inject_fault(
        Fault::new(FaultKind::NonJson)
            .provider(Provider::ComproPago)
            .route(route.clone())
            .method("GET"),
    );
    let err = within("get", compropago.get_payment(&created.id))
        .await
        .unwrap_err();
    let Error::OutcomeUnknown(unknown) = &err else {
        panic!("expected an unknown outcome, got {err:?}");
    };
    assert_eq!(unknown.provider, "compropago");
    assert_eq!(unknown.cause, UnknownCause::UndecodableResponse);
    assert_eq!(unknown.http_status, Some(200));
    let body = unknown.raw_body.as_deref().unwrap_or_default();
    assert!(body.contains("Sitio en mantenimiento"), "{body}");
    // A 200 is an answer, even an unreadable one: not retried.
    assert_eq!(
        statuses(&sandbox, Provider::ComproPago, "GET", &route),
        [Some(200)]
    );
    // Once the fault is gone the order reads normally.
    let payment = within("get", compropago.get_payment(&created.id))
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Pending);
}

#[tokio::test]
async fn compropago_error_envelope_under_a_503_is_an_unknown_outcome() {
    let sandbox = support::start_sandbox().await;
    let compropago = support::provider(&sandbox, "compropago");
    sandbox.inject_fault(
        Fault::new(FaultKind::Status { status: 503 })
            .provider(Provider::ComproPago)
            .route("/v2/orders")
            .method("POST"),
    );
    let request = CreatePayment::builder(money("10.00", Currency::Mxn), "Taza")
        .merchant_reference("ORD-9003")
        .payer_name("Ana Lopez")
        .payer_email("ana@example.mx")
        .build()
        .unwrap();
    let err = within("create", compropago.create_payment(&request))
        .await
        .unwrap_err();
    let Error::OutcomeUnknown(unknown) = &err else {
        panic!("a 5xx to a create is an unknown outcome: {err:?}")
    };
    assert_eq!(unknown.http_status, Some(503));
    assert!(
        unknown.code.is_some() || unknown.message.is_some(),
        "{unknown:?}"
    );
    assert_eq!(err.resend(), pagos::Resend::AfterLookup);
    assert_eq!(
        statuses(&sandbox, Provider::ComproPago, "POST", "/v2/orders"),
        [Some(503)]
    );
}

/// ComproPago's error envelope under HTTP 200 (the sandbox's `error_under_200` fault):
/// a 5xx `code` inside it on a create is an unknown outcome, resent only after a lookup;
/// a 4xx `code` is ComproPago's refusal. Neither is sent twice.
#[tokio::test]
async fn compropago_error_envelope_under_http_200_is_mapped_by_its_code() {
    let sandbox = support::start_sandbox().await;
    let compropago = support::provider(&sandbox, "compropago");
    let request = |reference: &str| {
        CreatePayment::builder(money("10.00", Currency::Mxn), "Taza")
            .merchant_reference(reference)
            .payer_name("Ana Lopez")
            .payer_email("ana@example.mx")
            .build()
            .unwrap()
    };
    let fault = |code: u16| {
        Fault::new(FaultKind::ErrorUnder200 { status: code })
            .provider(Provider::ComproPago)
            .route("/v2/orders")
            .method("POST")
    };
    sandbox.inject_fault(fault(500));
    let err = within("create", compropago.create_payment(&request("ORD-9004")))
        .await
        .unwrap_err();
    let Error::OutcomeUnknown(unknown) = &err else {
        panic!("a 5xx code under HTTP 200 on a create is an unknown outcome: {err:?}")
    };
    assert_eq!(unknown.cause, UnknownCause::ServerError);
    assert_eq!(unknown.http_status, Some(200));
    assert_eq!(unknown.code.as_deref(), Some("500"));
    assert_eq!(err.resend(), pagos::Resend::AfterLookup);

    sandbox.inject_fault(fault(400));
    let err = within("create", compropago.create_payment(&request("ORD-9005")))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Provider(_)),
        "a 4xx code is a refusal: {err:?}"
    );
    let refusal = provider_error(&err);
    assert_eq!(refusal.http_status, 200);
    assert_eq!(refusal.code.as_deref(), Some("400"));
    assert_eq!(
        statuses(&sandbox, Provider::ComproPago, "POST", "/v2/orders"),
        [Some(200), Some(200)]
    );
    assert_eq!(sandbox.record_counts().compropago_orders, 0);
    assert_no_fault_left(&sandbox);
}

fn kashpay_payout(reference: &str) -> PayoutRequest {
    PayoutRequest::builder(
        money("300.00", Currency::Mxn),
        BankAccount::Clabe(CLABE.into()),
        reference,
    )
    .beneficiary_name("Florentino Eter")
    .build()
    .unwrap()
}

#[tokio::test]
async fn kashpay_dropped_connection_on_create_order_is_an_unknown_outcome() {
    let sandbox = support::start_sandbox().await;
    let kashpay = support::provider(&sandbox, "kashpay");
    let before = sandbox.kashpay_balance();
    sandbox.inject_fault(
        Fault::new(FaultKind::DropConnection)
            .provider(Provider::Kashpay)
            .route("/OKPay/createOrder"),
    );
    let err = within("payout", kashpay.create_payout(&kashpay_payout("5000051")))
        .await
        .unwrap_err();
    let Error::OutcomeUnknown(unknown) = &err else {
        panic!("expected an unknown outcome, got {err:?}");
    };
    assert_eq!(unknown.provider, "kashpay");
    assert_eq!(unknown.cause, UnknownCause::ConnectionLost);
    let hint = unknown.hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("5000051"),
        "the hint names the reference: {hint}"
    );

    let log = requests(&sandbox, Provider::Kashpay, "POST", "/OKPay/createOrder");
    assert_eq!(log.len(), 1, "createOrder is sent once: {log:?}");
    assert_eq!(log[0].status, None);
    assert_eq!(log[0].fault.as_deref(), Some("drop_connection"));
    // This fault drops the request before processing it.
    assert_eq!(sandbox.kashpay_balance(), before);
    assert_no_fault_left(&sandbox);
}

#[tokio::test]
async fn kashpay_connection_dropped_after_processing_is_still_sent_once() {
    let sandbox = support::start_sandbox().await;
    let kashpay = support::provider(&sandbox, "kashpay");
    let before = sandbox.kashpay_balance();
    sandbox.inject_fault(
        Fault::new(FaultKind::DropAfterProcessing)
            .provider(Provider::Kashpay)
            .route("/OKPay/createOrder"),
    );
    let err = within("payout", kashpay.create_payout(&kashpay_payout("5000052")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown(_)), "{err:?}");
    assert_eq!(
        statuses(&sandbox, Provider::Kashpay, "POST", "/OKPay/createOrder"),
        [None]
    );
    // The order did take effect: exactly why the outcome is reported as unknown and
    // the SDK does not send it again.
    assert_eq!(sandbox.kashpay_balance(), before - decimal("300.00"));
}

fn telepagos_payout(reference: &str) -> PayoutRequest {
    PayoutRequest::builder(
        money("750.25", Currency::Ars),
        BankAccount::Cbu(CVU.into()),
        reference,
    )
    .beneficiary_tax_id(CUIT)
    .build()
    .unwrap()
}

#[tokio::test]
async fn telepagos_cash_out_is_retried_after_a_503_and_debited_once() {
    let sandbox = support::start_sandbox().await;
    let telepagos = support::provider(&sandbox, "telepagos");
    let before = sandbox.telepagos_balance();
    sandbox.inject_fault(
        Fault::new(FaultKind::Status { status: 503 })
            .provider(Provider::TelePagos)
            .route("/v2/payment/cashout")
            .method("POST")
            .times(1),
    );
    let payout = within(
        "payout",
        telepagos.create_payout(&telepagos_payout("tp-retry-0001")),
    )
    .await
    .unwrap();
    assert_eq!(payout.reference.as_deref(), Some("tp-retry-0001"));
    assert_eq!(
        statuses(&sandbox, Provider::TelePagos, "POST", "/v2/payment/cashout"),
        [Some(503), Some(200)],
        "retried: the reference_id makes the cash-out idempotent"
    );
    assert_eq!(sandbox.telepagos_balance(), before - decimal("750.25"));
    assert_no_fault_left(&sandbox);
}

#[tokio::test]
async fn telepagos_cash_out_lost_after_processing_is_retried_without_a_second_debit() {
    let sandbox = support::start_sandbox().await;
    let telepagos = support::provider(&sandbox, "telepagos");
    let before = sandbox.telepagos_balance();
    sandbox.inject_fault(
        Fault::new(FaultKind::DropAfterProcessing)
            .provider(Provider::TelePagos)
            .route("/v2/payment/cashout")
            .method("POST"),
    );
    let payout = within(
        "payout",
        telepagos.create_payout(&telepagos_payout("tp-retry-0002")),
    )
    .await
    .unwrap();
    assert_eq!(
        statuses(&sandbox, Provider::TelePagos, "POST", "/v2/payment/cashout"),
        [None, Some(200)]
    );
    // The first attempt took effect; the retry found it by its reference_id.
    assert_eq!(sandbox.telepagos_balance(), before - decimal("750.25"));
    let fetched = within("get payout", telepagos.get_payout(&payout.id))
        .await
        .unwrap();
    assert!(fetched.receipt.is_some_and(|pdf| pdf.starts_with(b"%PDF")));
}

#[tokio::test]
async fn telepagos_balance_is_retried_after_a_proxy_error_page() {
    let sandbox = support::start_sandbox().await;
    let telepagos = support::provider(&sandbox, "telepagos");
    // Authenticate first so the fault hits the balance call.
    within("balance", telepagos.balance()).await.unwrap();
    sandbox.inject_fault(
        Fault::new(FaultKind::Html { status: 502 })
            .provider(Provider::TelePagos)
            .route("/v2/account/balance"),
    );
    let balance = within("balance", telepagos.balance()).await.unwrap();
    assert_eq!(balance.available.amount(), sandbox.telepagos_balance());
    assert_eq!(
        statuses(&sandbox, Provider::TelePagos, "GET", "/v2/account/balance"),
        [Some(200), Some(502), Some(200)]
    );
}
