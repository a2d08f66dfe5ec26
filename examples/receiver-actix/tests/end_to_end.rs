//! The actix-web receiver end to end against the in-process sandbox: Khipu's sandbox POSTs the
//! notification of a paid payment to the receiver, which verifies it with
//! `verify_notification` (fetching the payment by its token) and fulfils the order
//! once; forged and replayed POSTs are refused or recognised. Nothing sleeps: the test
//! awaits the shop's reports and the sandbox's delivery log.

use std::sync::Arc;

use pagos::{CreatePayment, Currency, Money, PaymentProvider};
use pagos_example_receiver_actix::{AppState, Handled, Shop, khipu_from, serve};
use pagos_sandbox::{DeliveryState, Fault, FaultKind, Provider, SandboxHandle};
use tokio::sync::mpsc::UnboundedReceiver;

const FORM: &str = "application/x-www-form-urlencoded";

struct World {
    sandbox: SandboxHandle,
    provider: Arc<dyn PaymentProvider>,
    shop: Shop,
    handled: UnboundedReceiver<Handled>,
    base: String,
}

async fn world() -> World {
    let sandbox = pagos_sandbox::start(pagos_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let provider = khipu_from(sandbox.env_vars()).unwrap();
    let (shop, handled) = Shop::new();
    let (addr, server) = serve(
        AppState {
            provider: Arc::clone(&provider),
            shop: shop.clone(),
        },
        0,
    )
    .unwrap();
    // Runs until the test's actix system ends.
    actix_web::rt::spawn(server);
    World {
        sandbox,
        provider,
        shop,
        handled,
        base: format!("http://{addr}"),
    }
}

fn clp(s: &str) -> Money {
    Money::parse(s, Currency::Clp).unwrap()
}

impl World {
    fn notify_url(&self, order: &str) -> String {
        format!("{}/notify/khipu?order={order}", self.base)
    }

    /// Records order `reference` in the shop and creates its Khipu payment, notified to
    /// the receiver.
    async fn order(&self, reference: &str, amount: &str) -> String {
        self.shop.add_order(reference, clp(amount));
        let request = CreatePayment::builder(clp(amount), format!("Order {reference}"))
            .merchant_reference(reference)
            .notify_url(self.notify_url(reference))
            .build()
            .unwrap();
        self.provider.create_payment(&request).await.unwrap().id
    }

    /// The body the sandbox POSTed to order `reference`'s notify URL.
    async fn delivered_body(&self, reference: &str) -> String {
        self.sandbox.notifications_settled().await;
        let records = self.sandbox.notifications();
        let record = records
            .iter()
            .find(|r| r.url == self.notify_url(reference))
            .unwrap_or_else(|| panic!("no notification for {reference}: {records:?}"));
        assert_eq!(record.state, DeliveryState::Delivered, "{record:?}");
        record.body.clone()
    }

    async fn post(&self, order: &str, body: &str) -> (u16, String) {
        let answer = reqwest::Client::new()
            .post(self.notify_url(order))
            .header("content-type", FORM)
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    }
}

#[actix_web::test]
async fn a_paid_order_is_fulfilled_once_and_forgeries_are_refused() {
    let mut w = world().await;
    let payment_a = w.order("order-a", "15000").await;
    let payment_b = w.order("order-b", "15000").await;

    // The payer pays A: the sandbox POSTs to A's notify URL, the receiver fulfils A.
    w.sandbox.pay(Provider::Khipu, &payment_a).unwrap();
    let key_a = match w.handled.recv().await.unwrap() {
        Handled::Fulfilled { order, event_key } => {
            assert_eq!(order, "order-a");
            event_key
        }
        other => panic!("expected order-a fulfilled, got {other:?}"),
    };
    assert_eq!(key_a, format!("khipu:{payment_a}:succeeded"));
    let genuine_a = w.delivered_body("order-a").await;
    assert!(genuine_a.starts_with("api_version=1.3&notification_token="));

    // B, another order of the same amount, is paid too.
    w.sandbox.pay(Provider::Khipu, &payment_b).unwrap();
    assert!(matches!(
        w.handled.recv().await.unwrap(),
        Handled::Fulfilled { order, .. } if order == "order-b"
    ));
    let genuine_b = w.delivered_body("order-b").await;

    // A replay of A's genuine notification: answered 200, recognised, not fulfilled again.
    let (status, text) = w.post("order-a", &genuine_a).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.starts_with("already handled"), "{text}");
    assert_eq!(
        w.handled.recv().await.unwrap(),
        Handled::Duplicate {
            order: "order-a".into(),
            event_key: key_a.clone()
        }
    );

    // B's genuine, paid notification POSTed to A's URL: a real payment, the same
    // amount, but another order. Refused.
    let (status, text) = w.post("order-a", &genuine_b).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("merchant_reference"), "{text}");

    // A token Khipu never issued: the fetch finds nothing, refused.
    let (status, text) = w
        .post("order-a", "api_version=1.3&notification_token=forged0000")
        .await;
    assert_eq!(status, 400, "{text}");

    // Malformed, and about no order of the shop: refused.
    assert_eq!(w.post("order-a", "hello").await.0, 400);
    assert_eq!(w.post("order-z", &genuine_a).await.0, 400);

    // Nothing but the duplicate was reported after the two fulfilments, and each order
    // was fulfilled exactly once.
    assert!(w.handled.try_recv().is_err());
    assert_eq!(w.shop.fulfilled("order-a"), 1);
    assert_eq!(w.shop.fulfilled("order-b"), 1);
    w.sandbox.shutdown().await;
}

#[actix_web::test]
async fn khipu_unavailable_is_answered_503_and_the_redelivery_fulfils() {
    let mut w = world().await;
    let payment = w.order("order-c", "990").await;
    // Khipu fails every attempt of the first verification's fetch (the transport tries
    // a read three times): the receiver answers 503, and the sandbox delivers again.
    w.sandbox.inject_fault(
        Fault::new(FaultKind::Status { status: 503 })
            .provider(Provider::Khipu)
            .method("GET")
            .route("/payments")
            .times(3),
    );
    w.sandbox.pay(Provider::Khipu, &payment).unwrap();
    assert!(matches!(
        w.handled.recv().await.unwrap(),
        Handled::Fulfilled { order, .. } if order == "order-c"
    ));
    w.sandbox.notifications_settled().await;
    let record = w
        .sandbox
        .notifications()
        .into_iter()
        .find(|r| r.url == w.notify_url("order-c"))
        .unwrap();
    let statuses: Vec<Option<u16>> = record.attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(503), Some(200)], "{record:?}");
    assert_eq!(w.shop.fulfilled("order-c"), 1);
    w.sandbox.shutdown().await;
}

#[actix_web::test]
async fn the_demo_runs() {
    let lines = pagos_example_receiver_actix::demo().await.unwrap();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[2].starts_with("order demo-1 fulfilled by khipu:"),
        "{lines:?}"
    );
}
