//! Every provider's life cycle through the facade (`Arc<dyn PaymentProvider>` built by
//! `pagos::from_env_with`) against the sandbox, checking statuses at each step and the
//! sandbox's own state (notifications, balances, request log).

use std::time::Duration;

use pagos::compropago::OrderStatus;
use pagos::compropago::webhook::{Check as WebhookCheck, ExpectedOrder, WebhookEvent};
use pagos::kashio::{
    ConfirmCheck, EventStatus, EventType, ExpectedInvoice, InvoiceStatus, ListParams,
};
use pagos::kashpay::{
    AccountType, OrderRequest, OrderStatus as KashpayOrderStatus, TransactionType,
};
use pagos::khipu::{Check, ExpectedPayment};
use pagos::telepagos::TransactionsQuery;
use pagos::{
    BankAccount, CreatePayment, Currency, Error, Operation, Payment, PaymentInstructions,
    PaymentStatus, PayoutRequest, PayoutStatus, RefundRequest,
};
use pagos_sandbox::{DeliveryState, Provider};

use crate::support::{
    self, CLABE, CUIT, CVU, Receiver, decimal, money, provider_error, requests, statuses, within,
};

// ---------------------------------------------------------------------------------------
// Every provider of the registry

/// Every provider the registry and the sandbox share builds from the sandbox's
/// environment through `from_env_with`, is what its descriptor says, and refuses each
/// unified operation it lacks without sending anything.
#[tokio::test]
async fn every_simulated_provider_is_what_its_descriptor_says() {
    let sandbox = support::start_sandbox().await;
    let names: Vec<&str> = support::sandboxed().iter().map(|d| d.name).collect();
    // Khipu API 3.0 (`khipu_v3`) is the khipu provider's second API, not a registry entry.
    let simulated: Vec<&str> = Provider::ALL
        .iter()
        .filter(|p| **p != Provider::KhipuV3)
        .map(|p| p.as_str())
        .collect();
    assert_eq!(
        names, simulated,
        "the registry has every provider the sandbox simulates"
    );
    sandbox.clear_request_log();
    let payment = CreatePayment::builder(money("1000", Currency::Clp), "descriptor check")
        .merchant_reference("descriptor-check")
        .build()
        .unwrap();
    let payout = PayoutRequest::builder(
        money("10.00", Currency::Mxn),
        BankAccount::Clabe(CLABE.into()),
        "5000021",
    )
    .build()
    .unwrap();
    for descriptor in support::sandboxed() {
        let name = descriptor.name;
        let provider = support::provider(&sandbox, name);
        assert_eq!(provider.name(), name);
        assert_eq!(provider.capabilities(), descriptor.capabilities, "{name}");
        for op in Operation::ALL {
            if descriptor.capabilities.supports(op) {
                continue;
            }
            let outcome = match op {
                Operation::CreatePayment => provider.create_payment(&payment).await.map(drop),
                Operation::GetPayment => provider.get_payment("p_1").await.map(drop),
                Operation::CancelPayment => provider.cancel_payment("p_1").await,
                Operation::RefundPayment => provider
                    .refund_payment(&RefundRequest::full("p_1"))
                    .await
                    .map(drop),
                Operation::CreatePayout => provider.create_payout(&payout).await.map(drop),
                Operation::GetPayout => provider.get_payout("po_1").await.map(drop),
                Operation::GetBalance => provider.balance().await.map(drop),
                Operation::VerifyNotification => provider
                    .verify_notification(
                        &pagos::notification::Notification::new(b"{}"),
                        &pagos::notification::Expected::by_merchant_reference(
                            money("1000", Currency::Clp),
                            "descriptor-check",
                        ),
                    )
                    .await
                    .map(drop),
                other => panic!("no call for {other}"),
            };
            let err = outcome.expect_err(name);
            assert!(
                matches!(&err, Error::Unsupported { provider, operation } if *provider == name && *operation == op),
                "{name} {op}: {err:?}"
            );
        }
    }
    assert!(
        sandbox.request_log().is_empty(),
        "an unsupported operation sent {:?}",
        sandbox.request_log()
    );
}

// ---------------------------------------------------------------------------------------
// Khipu

#[tokio::test]
async fn khipu_payment_is_notified_verified_and_refunded() {
    let sandbox = support::start_sandbox().await;
    let mut receiver = Receiver::start().await;
    let khipu = support::provider(&sandbox, "khipu");
    let client = support::khipu(&sandbox);
    assert_eq!(khipu.name(), "khipu");

    let amount = money("15000", Currency::Clp);
    let request = CreatePayment::builder(amount, "Pedido 1001")
        .merchant_reference("order-1001")
        .payer_email("ana@example.cl")
        .notify_url(receiver.url("/khipu/notify"))
        .build()
        .unwrap();
    let created = within("create", khipu.create_payment(&request))
        .await
        .unwrap();
    assert_eq!(created.provider, "khipu");
    assert_eq!(created.status, PaymentStatus::Pending);
    assert_eq!(created.amount, Some(amount));
    match created.instructions.as_slice() {
        [PaymentInstructions::Redirect { url, .. }] => {
            assert!(url.starts_with(sandbox.url()), "{url}");
            assert!(url.ends_with(&created.id), "{url}");
        }
        other => panic!("expected one redirect, got {other:?}"),
    }

    let pending = within("get", khipu.get_payment(&created.id)).await.unwrap();
    assert_eq!(pending.status, PaymentStatus::Pending);
    assert_eq!(pending.merchant_reference.as_deref(), Some("order-1001"));
    assert_eq!(pending.amount, Some(amount));
    assert!(
        receiver.try_next().is_none(),
        "nothing is notified before paying"
    );

    let outcome = sandbox.pay(Provider::Khipu, &created.id).unwrap();
    assert_eq!(outcome.status, "done/normal");

    // The notification reaches our receiver: unsigned form fields, confirmed by a
    // signed fetch by token with pagos-khipu's helper.
    let notification = receiver.next().await;
    assert_eq!(notification.path, "/khipu/notify");
    assert_eq!(
        notification.content_type,
        "application/x-www-form-urlencoded"
    );
    let body = String::from_utf8(notification.body.clone()).unwrap();
    assert!(body.contains("api_version=1.3"), "{body}");
    assert!(body.contains("notification_token="), "{body}");

    let expected = ExpectedPayment::by_transaction_id(amount, "order-1001");
    let verified = within(
        "verify",
        client.verify_notification(&notification.body, &expected),
    )
    .await
    .unwrap();
    assert_eq!(verified.payment_id, created.id);
    assert_eq!(verified.unified_status(), PaymentStatus::Succeeded);
    // A notification for another amount than the order's is not accepted.
    let wrong = ExpectedPayment::by_transaction_id(money("14999", Currency::Clp), "order-1001");
    let mismatch = within(
        "verify",
        client.verify_notification(&notification.body, &wrong),
    )
    .await
    .unwrap_err();
    assert_eq!(mismatch.check(), Some(Check::Amount));
    assert!(!mismatch.should_retry());
    // Nor does this paid notification confirm another order of the same amount.
    let other_order = ExpectedPayment::by_transaction_id(amount, "order-1002");
    let mismatch = within(
        "verify",
        client.verify_notification(&notification.body, &other_order),
    )
    .await
    .unwrap_err();
    assert_eq!(mismatch.check(), Some(Check::TransactionId));
    assert!(!mismatch.should_retry());

    let succeeded = within("get", khipu.get_payment(&created.id)).await.unwrap();
    assert_eq!(succeeded.status, PaymentStatus::Succeeded);

    let refund = within(
        "refund",
        khipu.refund_payment(&RefundRequest::full(&created.id)),
    )
    .await
    .unwrap();
    assert_eq!(refund.payment_id, created.id);
    let refunded = within("get", khipu.get_payment(&created.id)).await.unwrap();
    assert_eq!(refunded.status, PaymentStatus::Refunded);
    // A refunded payment no longer passes verification.
    let err = within(
        "verify",
        client.verify_notification(&notification.body, &expected),
    )
    .await
    .unwrap_err();
    assert_eq!(err.check(), Some(Check::Status));

    within("deliveries", sandbox.notifications_settled()).await;
    let sent = sandbox.notifications();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].provider, Provider::Khipu);
    assert_eq!(sent[0].url, receiver.url("/khipu/notify"));
    assert_eq!(sent[0].state, DeliveryState::Delivered);
    assert_eq!(sent[0].attempts.len(), 1);
    assert_eq!(sent[0].attempts[0].status, Some(200));
    // Every verification fetched the payment by token with a signed request (the sandbox
    // checks the signature); the mismatches were found locally.
    assert_eq!(
        statuses(&sandbox, Provider::Khipu, "GET", "/payments"),
        [Some(200), Some(200), Some(200), Some(200)]
    );
}

#[tokio::test]
async fn khipu_paid_payment_refunds_and_pending_payment_cancels() {
    let sandbox = support::start_sandbox().await;
    let khipu = support::provider(&sandbox, "khipu");

    let amount = money("5000", Currency::Clp);
    let request = CreatePayment::builder(amount, "Pedido 1002")
        .merchant_reference("order-1002")
        .build()
        .unwrap();
    let paid = within("create", khipu.create_payment(&request))
        .await
        .unwrap();
    sandbox.pay(Provider::Khipu, &paid.id).unwrap();
    let succeeded = within("get", khipu.get_payment(&paid.id)).await.unwrap();
    assert_eq!(succeeded.status, PaymentStatus::Succeeded);
    assert!(
        succeeded.instructions.is_empty(),
        "a paid payment has nothing left to pay"
    );

    let refund = within(
        "refund",
        khipu.refund_payment(&RefundRequest::full(&paid.id)),
    )
    .await
    .unwrap();
    assert_eq!(refund.payment_id, paid.id);
    assert_eq!(refund.amount, None);
    assert!(refund.message.is_some(), "{refund:?}");
    let refunded = within("get", khipu.get_payment(&paid.id)).await.unwrap();
    assert_eq!(refunded.status, PaymentStatus::Refunded);
    // Nothing is left to refund.
    let again = within(
        "refund",
        khipu.refund_payment(&RefundRequest::full(&paid.id)),
    )
    .await
    .unwrap_err();
    assert_eq!(provider_error(&again).http_status, 400);

    // A second payment is canceled while pending; canceling it again is refused.
    let request = CreatePayment::builder(amount, "Pedido 1003")
        .merchant_reference("order-1003")
        .build()
        .unwrap();
    let pending = within("create", khipu.create_payment(&request))
        .await
        .unwrap();
    assert_eq!(pending.status, PaymentStatus::Pending);
    within("cancel", khipu.cancel_payment(&pending.id))
        .await
        .unwrap();
    let err = within("cancel", khipu.cancel_payment(&pending.id))
        .await
        .unwrap_err();
    let refused = provider_error(&err);
    assert_eq!(refused.provider, "khipu");
    assert!(matches!(refused.http_status, 400 | 404), "{refused:?}");
    // Khipu deletes a canceled payment: it is gone.
    let gone = within("get", khipu.get_payment(&pending.id))
        .await
        .unwrap_err();
    assert_eq!(provider_error(&gone).http_status, 404);

    // A paid payment cannot be canceled.
    let err = within("cancel", khipu.cancel_payment(&paid.id))
        .await
        .unwrap_err();
    assert_eq!(provider_error(&err).http_status, 400);

    let route = format!("/payments/{}", pending.id);
    assert_eq!(
        statuses(&sandbox, Provider::Khipu, "DELETE", &route),
        [Some(200), Some(404)]
    );
}

// ---------------------------------------------------------------------------------------
// KashIO

fn kashio_request(reference: &str) -> CreatePayment {
    CreatePayment::builder(money("150.00", Currency::Pen), "Orden de pago")
        .merchant_reference(reference)
        .payer_name("JUAN PEREZ")
        .payer_email("juan.perez@example.pe")
        .build()
        .unwrap()
}

#[tokio::test]
async fn kashio_invoice_is_paid_and_confirmed_from_its_event() {
    let sandbox = support::start_sandbox().await;
    let mut receiver = Receiver::start().await;
    sandbox.set_webhook(
        Provider::Kashio,
        receiver.url("/kashio/events").parse().unwrap(),
    );
    let kashio = support::provider(&sandbox, "kashio");
    let client = support::kashio(&sandbox);

    let created = within("create", kashio.create_payment(&kashio_request("INV-2001")))
        .await
        .unwrap();
    assert_eq!(created.provider, "kashio");
    assert_eq!(created.status, PaymentStatus::Pending);
    assert_eq!(created.merchant_reference.as_deref(), Some("INV-2001"));
    assert_eq!(created.amount, Some(money("150.00", Currency::Pen)));

    let pending = within("get", kashio.get_payment(&created.id))
        .await
        .unwrap();
    assert_eq!(pending.status, PaymentStatus::Pending);

    let outcome = sandbox.pay(Provider::Kashio, &created.id).unwrap();
    assert_eq!(outcome.status.to_ascii_lowercase(), "paid");

    // The payment is recorded as an event; the merchant confirms it by fetching the
    // event and the invoice it points to.
    let events = within("list events", client.events().list(ListParams::new()))
        .await
        .unwrap();
    let paid_event = events
        .items
        .iter()
        .find(|e| e.event_type == EventType::InvoicePaid)
        .unwrap_or_else(|| panic!("an invoice.paid event in {:?}", events.items));
    assert_eq!(
        paid_event.invoice_id().as_deref(),
        Some(created.id.as_str())
    );
    // Bound to the merchant's own order: its number and amount.
    let expected = ExpectedInvoice::by_invoice_id(money("150.00", Currency::Pen), "INV-2001");
    let confirmed = within(
        "confirm",
        client.events().confirm(&paid_event.id, &expected),
    )
    .await
    .unwrap();
    let invoice = confirmed.invoice;
    assert_eq!(invoice.id, created.id);
    assert_eq!(invoice.status, InvoiceStatus::Paid);
    // The same paid event does not confirm another order of the same amount.
    let other = ExpectedInvoice::by_invoice_id(money("150.00", Currency::Pen), "INV-2002");
    let refused = within("confirm", client.events().confirm(&paid_event.id, &other))
        .await
        .unwrap_err();
    assert_eq!(
        refused.check(),
        Some(ConfirmCheck::InvoiceId),
        "{refused:?}"
    );
    assert!(!refused.should_retry());

    let succeeded = within("get", kashio.get_payment(&created.id))
        .await
        .unwrap();
    assert_eq!(succeeded.status, PaymentStatus::Succeeded);

    // The same event was posted to the webhook; KashIO does not sign it, so only its id
    // is taken from the body and the event is confirmed by fetching it.
    let posted = receiver.next().await;
    assert_eq!(posted.path, "/kashio/events");
    let posted_id = posted.json()["id"].as_str().unwrap().to_string();
    assert_eq!(posted_id, paid_event.id);
    let by_id = ExpectedInvoice::by_id(money("150.00", Currency::Pen), created.id.clone());
    let confirmed = within("confirm", client.events().confirm(&posted_id, &by_id))
        .await
        .unwrap();
    assert_eq!(confirmed.invoice.status, InvoiceStatus::Paid);
    within("deliveries", sandbox.notifications_settled()).await;
    let event = within("get event", client.events().get(&posted_id))
        .await
        .unwrap();
    assert_eq!(event.status, Some(EventStatus::Notified));

    // A paid invoice cannot be voided.
    let err = within("cancel", kashio.cancel_payment(&created.id))
        .await
        .unwrap_err();
    assert_eq!(provider_error(&err).http_status, 400);
}

#[tokio::test]
async fn kashio_invoices_are_canceled_and_expired() {
    let sandbox = support::start_sandbox().await;
    let kashio = support::provider(&sandbox, "kashio");
    let client = support::kashio(&sandbox);

    let voided = within("create", kashio.create_payment(&kashio_request("INV-2002")))
        .await
        .unwrap();
    within("cancel", kashio.cancel_payment(&voided.id))
        .await
        .unwrap();
    let canceled = within("get", kashio.get_payment(&voided.id)).await.unwrap();
    assert_eq!(canceled.status, PaymentStatus::Canceled);
    // Canceling again is refused: the invoice is no longer payable.
    let err = within("cancel", kashio.cancel_payment(&voided.id))
        .await
        .unwrap_err();
    assert_eq!(provider_error(&err).http_status, 400);
    // Nor can the payer pay it any more.
    assert!(sandbox.pay(Provider::Kashio, &voided.id).is_err());

    let expiring = within("create", kashio.create_payment(&kashio_request("INV-2003")))
        .await
        .unwrap();
    sandbox.expire(Provider::Kashio, &expiring.id).unwrap();
    let expired = within("get", kashio.get_payment(&expiring.id))
        .await
        .unwrap();
    assert_eq!(expired.status, PaymentStatus::Expired);

    let events = within("list events", client.events().list(ListParams::new()))
        .await
        .unwrap();
    let kinds: Vec<(EventType, Option<String>)> = events
        .items
        .iter()
        .map(|e| (e.event_type.clone(), e.invoice_id()))
        .collect();
    assert_eq!(
        kinds,
        [(EventType::InvoiceExpired, Some(expiring.id.clone()))],
        "voiding records no event; expiring records invoice.expired"
    );
}

// ---------------------------------------------------------------------------------------
// ComproPago

fn compropago_request(reference: &str, payer_id: &str) -> CreatePayment {
    CreatePayment::builder(money("250.00", Currency::Mxn), "Camisa")
        .merchant_reference(reference)
        .payer_id(payer_id)
        .payer_name("Ana Lopez")
        .payer_email("ana@example.mx")
        .build()
        .unwrap()
}

fn clabe_of(payment: &Payment) -> String {
    match payment.instructions.as_slice() {
        [PaymentInstructions::BankTransfer { account, .. }] => account.clone(),
        other => panic!("expected bank-transfer instructions, got {other:?}"),
    }
}

#[tokio::test]
async fn compropago_spei_order_is_paid_and_confirmed_from_its_webhook() {
    let sandbox = support::start_sandbox().await;
    let mut receiver = Receiver::start().await;
    sandbox.set_webhook(
        Provider::ComproPago,
        receiver.url("/compropago/webhook").parse().unwrap(),
    );
    let compropago = support::provider(&sandbox, "compropago");
    let client = support::compropago(&sandbox);

    let created = within(
        "create",
        compropago.create_payment(&compropago_request("ORD-3001", "cust-42")),
    )
    .await
    .unwrap();
    assert_eq!(created.provider, "compropago");
    assert_eq!(created.status, PaymentStatus::Pending);
    assert_eq!(created.merchant_reference.as_deref(), Some("ORD-3001"));
    assert_eq!(created.amount, Some(money("250.00", Currency::Mxn)));
    let clabe = clabe_of(&created);
    pagos::validate::clabe("clabe", &clabe).unwrap_or_else(|e| panic!("{clabe}: {e}"));

    let pending = within("get", compropago.get_payment(&created.id))
        .await
        .unwrap();
    assert_eq!(pending.status, PaymentStatus::Pending);
    assert_eq!(clabe_of(&pending), clabe);

    sandbox.pay(Provider::ComproPago, &created.id).unwrap();
    let webhook = receiver.next().await;
    assert_eq!(webhook.path, "/compropago/webhook");
    assert!(
        webhook.content_type.starts_with("application/json"),
        "{}",
        webhook.content_type
    );
    assert_eq!(webhook.json()["id"], created.id.as_str());

    // The webhook is unsigned: the helper refetches the order with our keys.
    let gets_before = requests(
        &sandbox,
        Provider::ComproPago,
        "GET",
        &format!("/v2/orders/{}", created.id),
    )
    .len();
    // Bound to the merchant's own order: its reference and price.
    let expected = ExpectedOrder::by_product_id(money("250.00", Currency::Mxn), "ORD-3001");
    let event = within("confirm", client.confirm_webhook(&webhook.body, &expected))
        .await
        .unwrap();
    let WebhookEvent::Order(order) = event else {
        panic!("expected an order, got {event:?}");
    };
    assert_eq!(order.id, created.id);
    assert_eq!(order.status, OrderStatus::Accepted);
    assert_eq!(Payment::from(&*order).status, PaymentStatus::Succeeded);
    let gets_after = requests(
        &sandbox,
        Provider::ComproPago,
        "GET",
        &format!("/v2/orders/{}", created.id),
    )
    .len();
    assert_eq!(
        gets_after,
        gets_before + 1,
        "confirming refetches the order"
    );
    // The same paid webhook does not confirm another order of the same price.
    let other = ExpectedOrder::by_product_id(money("250.00", Currency::Mxn), "ORD-3002");
    let refused = within("confirm", client.confirm_webhook(&webhook.body, &other))
        .await
        .unwrap_err();
    assert_eq!(
        refused.check(),
        Some(WebhookCheck::ProductId),
        "{refused:?}"
    );
    assert!(!refused.should_retry());

    let succeeded = within("get", compropago.get_payment(&created.id))
        .await
        .unwrap();
    assert_eq!(succeeded.status, PaymentStatus::Succeeded);

    within("deliveries", sandbox.notifications_settled()).await;
    let sent = sandbox.notifications();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].state, DeliveryState::Delivered);
}

#[tokio::test]
async fn compropago_same_payer_gets_the_same_clabe() {
    let sandbox = support::start_sandbox().await;
    let compropago = support::provider(&sandbox, "compropago");

    let first = within(
        "create",
        compropago.create_payment(&compropago_request("ORD-3002", "cust-7")),
    )
    .await
    .unwrap();
    let second = within(
        "create",
        compropago.create_payment(&compropago_request("ORD-3003", "cust-7")),
    )
    .await
    .unwrap();
    let other = within(
        "create",
        compropago.create_payment(&compropago_request("ORD-3004", "cust-8")),
    )
    .await
    .unwrap();
    assert_ne!(first.id, second.id, "two orders");
    assert_eq!(
        clabe_of(&first),
        clabe_of(&second),
        "same payer, same CLABE"
    );
    assert_ne!(
        clabe_of(&first),
        clabe_of(&other),
        "another payer, another CLABE"
    );
    for payment in [&first, &second, &other] {
        pagos::validate::clabe("clabe", &clabe_of(payment)).unwrap();
    }
}

// ---------------------------------------------------------------------------------------
// Kashpay

fn kashpay_payout(amount: &str, reference: &str) -> PayoutRequest {
    PayoutRequest::builder(
        money(amount, Currency::Mxn),
        BankAccount::Clabe(CLABE.into()),
        reference,
    )
    .beneficiary_name("Florentino Eter")
    .concept("Pago proveedor")
    .build()
    .unwrap()
}

#[tokio::test]
async fn kashpay_payout_debits_the_balance() {
    let sandbox = support::start_sandbox().await;
    let kashpay = support::provider(&sandbox, "kashpay");
    assert!(kashpay.capabilities().supports(Operation::CreatePayout));
    assert!(!kashpay.capabilities().supports(Operation::GetPayout));
    let before = sandbox.kashpay_balance();

    let payout = within(
        "payout",
        kashpay.create_payout(&kashpay_payout("1250.50", "43223123")),
    )
    .await
    .unwrap();
    assert_eq!(payout.provider, "kashpay");
    assert_eq!(payout.status, PayoutStatus::Succeeded);
    assert_eq!(payout.reference.as_deref(), Some("43223123"));
    assert!(!payout.id.is_empty());
    assert_eq!(sandbox.kashpay_balance(), before - decimal("1250.50"));

    // Kashpay has no endpoint to read an order back.
    let err = within("get payout", kashpay.get_payout(&payout.id))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Unsupported {
                provider: "kashpay",
                operation: Operation::GetPayout
            }
        ),
        "{err:?}"
    );

    // More than the balance: refused in the body (success:false) under HTTP 200.
    let err = within(
        "payout",
        kashpay.create_payout(&kashpay_payout("99999.00", "43223124")),
    )
    .await
    .unwrap_err();
    let refused = provider_error(&err);
    assert_eq!(refused.http_status, 200);
    assert_eq!(refused.code.as_deref(), Some("1022"), "{refused:?}");
    assert!(
        refused.raw_body.contains("\"success\":false"),
        "{refused:?}"
    );
    assert_eq!(sandbox.kashpay_balance(), before - decimal("1250.50"));

    // One authentication served both orders; each order was sent once.
    assert_eq!(
        statuses(
            &sandbox,
            Provider::Kashpay,
            "POST",
            "/AuthenticationService/authenticate"
        ),
        [Some(200)]
    );
    assert_eq!(
        statuses(&sandbox, Provider::Kashpay, "POST", "/OKPay/createOrder"),
        [Some(200), Some(200)]
    );
}

#[tokio::test]
async fn kashpay_provider_api_reports_the_balances() {
    let sandbox = support::start_sandbox().await;
    let client = support::kashpay(&sandbox);
    let before = sandbox.kashpay_balance();
    let order = OrderRequest::builder(TransactionType::SpeiOut, money("250.00", Currency::Mxn))
        .beneficiary(AccountType::Clabe, CLABE, "Florentino Eter")
        .concept("Deposito Maria")
        .numeric_reference(4_322_312)
        .alphanumeric_reference("PROVV0011712091")
        .build()
        .unwrap();
    let created = within("create order", client.orders().create(&order))
        .await
        .unwrap();
    assert_eq!(created.status, KashpayOrderStatus::Applied);
    assert_eq!(created.initial_balance, Some(before));
    assert_eq!(created.final_balance, Some(before - decimal("250.00")));
    assert_eq!(created.final_balance, Some(sandbox.kashpay_balance()));
    assert_eq!(created.numeric_reference.as_deref(), Some("4322312"));
    assert_eq!(
        created.alphanumeric_reference.as_deref(),
        Some("PROVV0011712091")
    );
}

// ---------------------------------------------------------------------------------------
// TelePagos

fn telepagos_payout(amount: &str, reference: &str) -> PayoutRequest {
    PayoutRequest::builder(
        money(amount, Currency::Ars),
        BankAccount::Cbu(CVU.into()),
        reference,
    )
    .beneficiary_tax_id(CUIT)
    .concept("VAR")
    .build()
    .unwrap()
}

#[tokio::test]
async fn telepagos_link_is_paid_and_read_as_a_cash_in() {
    let sandbox = support::start_sandbox().await;
    let telepagos = support::provider(&sandbox, "telepagos");
    let before = sandbox.telepagos_balance();

    let amount = money("1500.00", Currency::Ars);
    // No merchant_reference: a TelePagos payment link cannot carry one (refused below).
    let request = CreatePayment::builder(amount, "Pedido 5001")
        .build()
        .unwrap();
    let link = within("create", telepagos.create_payment(&request))
        .await
        .unwrap();
    assert_eq!(link.provider, "telepagos");
    assert_eq!(link.status, PaymentStatus::Pending);
    assert!(link.id.starts_with("link:"), "{}", link.id);
    match link.instructions.as_slice() {
        [PaymentInstructions::Redirect { url, .. }] => {
            assert!(url.starts_with(sandbox.url()), "{url}");
        }
        other => panic!("expected a redirect to the link, got {other:?}"),
    }

    // Before anyone pays, the trait reads it back as pending.
    let unpaid = within("get unpaid", telepagos.get_payment(&link.id))
        .await
        .unwrap();
    assert_eq!(unpaid.status, PaymentStatus::Pending);

    // The payer pays the link (the control API takes TelePagos' own link_id).
    let raw: serde_json::Value = serde_json::from_str(link.raw.get()).unwrap();
    let link_id = raw["link_id"].to_string();
    sandbox.pay(Provider::TelePagos, &link_id).unwrap();
    assert_eq!(sandbox.telepagos_balance(), before + decimal("1500.00"));

    // Through the trait, with the id create_payment returned and nothing else.
    let paid = within("get", telepagos.get_payment(&link.id))
        .await
        .unwrap();
    assert_eq!(paid.id, link.id);
    // The record of a credit ("acreditación") says "ok", like TelePagos' documented
    // example, and names this link with this amount: credited.
    assert_eq!(paid.status, PaymentStatus::Succeeded);
    assert_eq!(paid.amount, Some(amount));
    let cash_in: serde_json::Value = serde_json::from_str(paid.raw.get()).unwrap();
    assert_eq!(cash_in["link_id"].to_string(), link_id);

    // What a link cannot carry is refused by name, nothing sent.
    let refused = CreatePayment::builder(amount, "Pedido 5002")
        .merchant_reference("order-5002")
        .build()
        .unwrap();
    let err = telepagos.create_payment(&refused).await.unwrap_err();
    assert_eq!(err.validation_field(), Some("merchant_reference"));

    let balance = within("balance", telepagos.balance()).await.unwrap();
    assert_eq!(balance.available.amount(), sandbox.telepagos_balance());
    assert_eq!(balance.available.currency(), Currency::Ars);
}

#[tokio::test]
async fn telepagos_cash_out_has_a_voucher_and_is_idempotent_by_reference() {
    let sandbox = support::start_sandbox().await;
    let telepagos = support::provider(&sandbox, "telepagos");
    let before = sandbox.telepagos_balance();

    let request = telepagos_payout("2000.00", "tp-payout-0001");
    let payout = within("payout", telepagos.create_payout(&request))
        .await
        .unwrap();
    assert_eq!(payout.provider, "telepagos");
    assert_eq!(payout.reference.as_deref(), Some("tp-payout-0001"));
    // Accepted ("ok" with an id): in process, not yet a success.
    assert_eq!(payout.status, PayoutStatus::Processing, "{payout:?}");
    assert_eq!(sandbox.telepagos_balance(), before - decimal("2000.00"));

    let fetched = within("get payout", telepagos.get_payout(&payout.id))
        .await
        .unwrap();
    assert_eq!(fetched.id, payout.id);
    // "ok" with the transfer's receipt (voucher): done.
    assert_eq!(fetched.status, PayoutStatus::Succeeded);
    let receipt = fetched.receipt.expect("a voucher");
    assert!(
        receipt.starts_with(b"%PDF"),
        "{:?}",
        &receipt[..8.min(receipt.len())]
    );

    let balance = within("balance", telepagos.balance()).await.unwrap();
    assert_eq!(balance.available.amount(), before - decimal("2000.00"));

    // The account's movements show the transfer out, to the CVU and CUIT sent.
    // A day either side of the sandbox's date, so that midnight cannot fall in between.
    let today = sandbox.now().date();
    let query = TransactionsQuery::new(
        today.previous_day().unwrap_or(today),
        today.next_day().unwrap_or(today),
    );
    let page = within(
        "transactions",
        support::telepagos(&sandbox).transactions().list(&query),
    )
    .await
    .unwrap();
    match page.items.as_slice() {
        [sent] => {
            assert_eq!(sent.is_income(), Some(false), "{sent:?}");
            assert_eq!(sent.amount, Some(decimal("2000.00")));
            assert_eq!(sent.cvu_cbu.as_deref(), Some(CVU));
            assert_eq!(sent.cuit.as_deref(), Some(CUIT));
        }
        other => panic!("expected one transaction, got {other:?}"),
    }

    // The same reference with the same data is the same transfer: same id, no new debit.
    let again = within("payout", telepagos.create_payout(&request))
        .await
        .unwrap();
    assert_eq!(again.id, payout.id);
    assert_eq!(sandbox.telepagos_balance(), before - decimal("2000.00"));

    // The same reference with other data is refused.
    let err = within(
        "payout",
        telepagos.create_payout(&telepagos_payout("2500.00", "tp-payout-0001")),
    )
    .await
    .unwrap_err();
    let refused = provider_error(&err);
    assert_eq!(refused.provider, "telepagos");
    assert_eq!(refused.http_status, 409, "{refused:?}");
    assert_eq!(sandbox.telepagos_balance(), before - decimal("2000.00"));
}

// ---------------------------------------------------------------------------------------
// Token expiry

/// Past the sandbox's token lifetime the SDK's cached token is refused (401): the client
/// authenticates again once and repeats the call, transparently.
#[tokio::test]
async fn kashpay_reauthenticates_after_the_token_expires() {
    let lifetime = Duration::from_secs(600);
    let sandbox =
        support::start_sandbox_with(support::sandbox_config().kashpay_token_lifetime(lifetime))
            .await;
    let kashpay = support::provider(&sandbox, "kashpay");
    let before = sandbox.kashpay_balance();

    within(
        "payout",
        kashpay.create_payout(&kashpay_payout("100.00", "5000031")),
    )
    .await
    .unwrap();
    sandbox.advance_clock(lifetime + Duration::from_secs(60));
    let second = within(
        "payout",
        kashpay.create_payout(&kashpay_payout("200.00", "5000032")),
    )
    .await
    .unwrap();
    assert_eq!(second.status, PayoutStatus::Succeeded);

    assert_eq!(
        statuses(
            &sandbox,
            Provider::Kashpay,
            "POST",
            "/AuthenticationService/authenticate"
        ),
        [Some(200), Some(200)],
        "a second authentication after expiry"
    );
    assert_eq!(
        statuses(&sandbox, Provider::Kashpay, "POST", "/OKPay/createOrder"),
        [Some(200), Some(401), Some(200)],
        "the refused order is sent again with the new token"
    );
    // Each order was applied exactly once.
    assert_eq!(sandbox.kashpay_balance(), before - decimal("300.00"));
}

/// A token whose lifetime is shorter than the client's refresh margin is renewed before
/// each call, so no call is ever refused.
#[tokio::test]
async fn kashpay_reuses_a_short_lived_token_instead_of_renewing_per_call() {
    // A 5 s token is shorter than the 60 s refresh margin: it is used for half its
    // lifetime rather than renewed before every call (which would double the calls).
    let sandbox = support::start_sandbox_with(
        support::sandbox_config().kashpay_token_lifetime(Duration::from_secs(5)),
    )
    .await;
    let kashpay = support::provider(&sandbox, "kashpay");
    for reference in ["5000041", "5000042"] {
        within(
            "payout",
            kashpay.create_payout(&kashpay_payout("10.00", reference)),
        )
        .await
        .unwrap();
    }
    assert_eq!(
        statuses(
            &sandbox,
            Provider::Kashpay,
            "POST",
            "/AuthenticationService/authenticate"
        ),
        [Some(200)]
    );
    assert_eq!(
        statuses(&sandbox, Provider::Kashpay, "POST", "/OKPay/createOrder"),
        [Some(200), Some(200)]
    );
}

#[tokio::test]
async fn telepagos_reauthenticates_after_the_token_expires() {
    let lifetime = Duration::from_secs(600);
    let sandbox =
        support::start_sandbox_with(support::sandbox_config().telepagos_token_lifetime(lifetime))
            .await;
    let telepagos = support::provider(&sandbox, "telepagos");

    let first = within("balance", telepagos.balance()).await.unwrap();
    sandbox.advance_clock(lifetime + Duration::from_secs(60));
    let second = within("balance", telepagos.balance()).await.unwrap();
    assert_eq!(first.available, second.available);

    assert_eq!(
        statuses(&sandbox, Provider::TelePagos, "POST", "/v2/auth/token"),
        [Some(200), Some(200)],
        "a second authentication after expiry"
    );
    assert_eq!(
        statuses(&sandbox, Provider::TelePagos, "GET", "/v2/account/balance"),
        [Some(200), Some(401), Some(200)]
    );
}

/// TelePagos treats an `expires_at` already within its refresh margin as "valid until
/// refused": the token is reused, and renewed once the sandbox refuses it.
#[tokio::test]
async fn telepagos_uses_a_short_lived_token_until_it_is_refused() {
    let lifetime = Duration::from_secs(30);
    let sandbox =
        support::start_sandbox_with(support::sandbox_config().telepagos_token_lifetime(lifetime))
            .await;
    let telepagos = support::provider(&sandbox, "telepagos");
    within("balance", telepagos.balance()).await.unwrap();
    within("balance", telepagos.balance()).await.unwrap();
    assert_eq!(
        statuses(&sandbox, Provider::TelePagos, "POST", "/v2/auth/token"),
        [Some(200)]
    );
    sandbox.advance_clock(lifetime + Duration::from_secs(1));
    within("balance", telepagos.balance()).await.unwrap();
    assert_eq!(
        statuses(&sandbox, Provider::TelePagos, "POST", "/v2/auth/token"),
        [Some(200), Some(200)]
    );
    assert_eq!(
        statuses(&sandbox, Provider::TelePagos, "GET", "/v2/account/balance"),
        [Some(200), Some(200), Some(401), Some(200)]
    );
}
