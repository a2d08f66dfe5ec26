//! A webhook endpoint on actix-web 4 that turns a provider's notification into a
//! fulfilled order, once, with [`PaymentProvider::verify_notification`].
//!
//! `POST /notify/{provider}?order=REF` is the `notify_url` the shop gives the provider
//! when it creates the payment for its order `REF`. The handler:
//!
//! 1. reads the raw body bytes ([`web::Bytes`]) and the headers into a [`Notification`]
//!    (nothing is parsed or re-serialized before the SDK sees it);
//! 2. looks up what the shop expects for `REF` in its own store ([`Shop`]): the amount
//!    and the reference, never anything from the body;
//! 3. calls `verify_notification` on the provider (a `Arc<dyn PaymentProvider>` from the
//!    registry, configured from the environment like the CLI);
//! 4. records the event's [`VerifiedEvent::event_key`]: a redelivery of an event already
//!    handled is answered 200 and fulfils nothing;
//! 5. fulfils the order when the event says it is paid.
//!
//! Answers: 200 when the event is handled (or was already), 400 when the notification is
//! refused (forged, another order, malformed: it will be refused again), 503 when the
//! provider could not be asked (`Resend::Safe`: the provider delivers again later). The
//! error type implements [`ResponseError`], so the handler uses `?`.
//!
//! `cargo run -p pagos-example-receiver-actix` runs [`demo`] against the in-process
//! sandbox; `tests/end_to_end.rs` runs the same and the hostile cases in CI.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use actix_web::http::StatusCode;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, ResponseError, web};
use pagos::notification::{Expected, Notification, VerifiedEvent};
use pagos::{Money, PaymentProvider, Resend};
use tokio::sync::mpsc;

/// What happened to one notification the endpoint accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Handled {
    /// The order was paid and is now fulfilled (this happens once per order).
    Fulfilled {
        /// The shop's order reference.
        order: String,
        /// The event that fulfilled it.
        event_key: String,
    },
    /// An event already handled came again: nothing was done.
    Duplicate {
        /// The shop's order reference.
        order: String,
        /// The event's key.
        event_key: String,
    },
    /// A verified event that is not a payment (still pending, expired...): recorded.
    Noted {
        /// The shop's order reference.
        order: String,
        /// The event's key.
        event_key: String,
    },
}

#[derive(Debug)]
struct Order {
    amount: Money,
    fulfilled: u32,
}

#[derive(Debug, Default)]
struct Books {
    orders: HashMap<String, Order>,
    seen: HashSet<String>,
}

/// The shop's in-memory store: its orders (what each notification must match), the
/// event keys already handled, and a channel that reports every handled notification
/// (so a test awaits it instead of sleeping).
#[derive(Debug, Clone)]
pub struct Shop {
    books: Arc<Mutex<Books>>,
    handled: mpsc::UnboundedSender<Handled>,
}

impl Shop {
    /// An empty shop, and the receiving end of its [`Handled`] reports.
    pub fn new() -> (Shop, mpsc::UnboundedReceiver<Handled>) {
        let (handled, rx) = mpsc::unbounded_channel();
        let shop = Shop {
            books: Arc::default(),
            handled,
        };
        (shop, rx)
    }

    fn books(&self) -> std::sync::MutexGuard<'_, Books> {
        self.books.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records the order `reference` for `amount`, before its payment is created.
    pub fn add_order(&self, reference: impl Into<String>, amount: Money) {
        self.books().orders.insert(
            reference.into(),
            Order {
                amount,
                fulfilled: 0,
            },
        );
    }

    /// How many times order `reference` was fulfilled (0 or 1, if all is well).
    pub fn fulfilled(&self, reference: &str) -> u32 {
        self.books()
            .orders
            .get(reference)
            .map_or(0, |o| o.fulfilled)
    }

    fn expected(&self, reference: &str) -> Option<Expected> {
        let books = self.books();
        let order = books.orders.get(reference)?;
        Some(Expected::by_merchant_reference(order.amount, reference))
    }

    /// Stores the event's key and fulfils the order if the event is new and paid, all
    /// under one lock: two concurrent deliveries of one event fulfil once.
    fn handle(&self, reference: &str, event: &VerifiedEvent) -> Handled {
        let order = reference.to_string();
        let event_key = event.event_key.clone();
        let handled = {
            let mut books = self.books();
            if !books.seen.insert(event_key.clone()) {
                Handled::Duplicate { order, event_key }
            } else if event.is_paid() {
                if let Some(o) = books.orders.get_mut(reference) {
                    o.fulfilled += 1;
                }
                Handled::Fulfilled { order, event_key }
            } else {
                Handled::Noted { order, event_key }
            }
        };
        // The receiver may be gone (a server without a watcher): nothing to report to.
        let _ = self.handled.send(handled.clone());
        handled
    }
}

/// The state every request shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The provider that verifies (`Arc<dyn PaymentProvider>`, from the registry).
    pub provider: Arc<dyn PaymentProvider>,
    /// The shop's orders and handled events.
    pub shop: Shop,
}

/// The notify URL's query: which of the shop's orders the notification is about.
#[derive(Debug, serde::Deserialize)]
pub struct OrderQuery {
    /// The shop's order reference.
    pub order: String,
}

/// Why the endpoint did not take a notification, as the answer the provider gets.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReceiverError {
    /// Not to be believed, or about no order of the shop: 400, it will not change.
    Refused(String),
    /// The provider could not be asked now: 503, the provider delivers again later.
    TryAgain(String),
}

impl fmt::Display for ReceiverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiverError::Refused(why) | ReceiverError::TryAgain(why) => f.write_str(why),
        }
    }
}

impl From<pagos::Error> for ReceiverError {
    fn from(e: pagos::Error) -> Self {
        if e.resend() == Resend::Safe {
            ReceiverError::TryAgain(e.to_string())
        } else {
            ReceiverError::Refused(e.to_string())
        }
    }
}

impl ResponseError for ReceiverError {
    fn status_code(&self) -> StatusCode {
        match self {
            ReceiverError::Refused(_) => StatusCode::BAD_REQUEST,
            ReceiverError::TryAgain(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code()).body(self.to_string())
    }
}

/// `POST /notify/{provider}?order=REF`.
///
/// # Errors
/// [`ReceiverError::Refused`] (400) for a notification about an order the shop does not
/// have, for another provider than the configured one, or one `verify_notification`
/// refused; [`ReceiverError::TryAgain`] (503) when verifying could not reach the
/// provider.
pub async fn notify(
    app: web::Data<AppState>,
    provider: web::Path<String>,
    query: web::Query<OrderQuery>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ReceiverError> {
    if provider.as_str() != app.provider.name() {
        return Err(ReceiverError::Refused(format!(
            "this endpoint verifies {} notifications, not {provider}",
            app.provider.name()
        )));
    }
    let expected = app
        .shop
        .expected(&query.order)
        .ok_or_else(|| ReceiverError::Refused(format!("no order {:?}", query.order)))?;
    let notification = request
        .headers()
        .iter()
        .fold(Notification::new(&body), |n, (name, value)| {
            n.with_header(name.as_str(), value.as_bytes())
        });
    let event = app
        .provider
        .verify_notification(&notification, &expected)
        .await?;
    let answer = match app.shop.handle(&query.order, &event) {
        Handled::Fulfilled { event_key, .. } => format!("fulfilled ({event_key})"),
        Handled::Duplicate { event_key, .. } => format!("already handled ({event_key})"),
        Handled::Noted { event_key, .. } => format!("noted ({event_key})"),
    };
    Ok(HttpResponse::Ok().body(answer))
}

/// Binds the endpoint on `127.0.0.1:port` (0 for any free port), one worker; the
/// returned server runs when awaited or spawned (`actix_web::rt::spawn`).
///
/// # Errors
/// When the port cannot be bound.
pub fn serve(
    state: AppState,
    port: u16,
) -> std::io::Result<(std::net::SocketAddr, actix_web::dev::Server)> {
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/notify/{provider}", web::post().to(notify))
    })
    .workers(1)
    .bind(("127.0.0.1", port))?;
    let addr = server
        .addrs()
        .first()
        .copied()
        .ok_or_else(|| std::io::Error::other("bound to no address"))?;
    Ok((addr, server.run()))
}

/// The Khipu client of the facade's registry, configured from `vars` (the
/// `PAGOS_KHIPU_*` variables) as `pagos::from_env("khipu")` would from the process
/// environment.
///
/// # Errors
/// A [`pagos::Error::Config`] naming a missing or malformed variable.
pub fn khipu_from(vars: Vec<(String, String)>) -> pagos::Result<Arc<dyn PaymentProvider>> {
    pagos::from_env_with("khipu", &pagos::ProviderConfig::from_pairs(vars))
}

/// Any error of the demo, as text.
pub type DemoError = Box<dyn std::error::Error + Send + Sync>;

/// Starts the sandbox and the receiver, creates a Khipu payment for order `demo-1`
/// whose `notify_url` is the receiver, pays it in the sandbox, and waits for the
/// receiver to fulfil the order. Returns what happened, one line per step. Runs in an
/// actix system (`#[actix_web::main]`, `#[actix_web::test]`).
///
/// # Errors
/// Any error of the sandbox, the SDK or the receiver, or an outcome other than the one
/// expected.
pub async fn demo() -> Result<Vec<String>, DemoError> {
    let sandbox = pagos_sandbox::start(pagos_sandbox::SandboxConfig::default()).await?;
    let provider = khipu_from(sandbox.env_vars())?;
    let (shop, mut handled) = Shop::new();
    let (addr, server) = serve(
        AppState {
            provider: Arc::clone(&provider),
            shop: shop.clone(),
        },
        0,
    )?;
    let server_handle = server.handle();
    actix_web::rt::spawn(server);
    let amount = Money::parse("15000", pagos::Currency::Clp)?;
    shop.add_order("demo-1", amount);
    let request = pagos::CreatePayment::builder(amount, "Receiver demo")
        .merchant_reference("demo-1")
        .notify_url(format!("http://{addr}/notify/khipu?order=demo-1"))
        .build()?;
    let payment = provider.create_payment(&request).await?;
    let mut lines = vec![format!("created {} for order demo-1", payment.id)];
    sandbox.pay(pagos_sandbox::Provider::Khipu, &payment.id)?;
    lines.push("paid in the sandbox".to_string());
    let outcome = handled.recv().await;
    server_handle.stop(true).await;
    sandbox.shutdown().await;
    match outcome {
        Some(Handled::Fulfilled { order, event_key }) => {
            lines.push(format!("order {order} fulfilled by {event_key}"));
        }
        other => return Err(format!("expected a fulfilment, got {other:?}").into()),
    }
    Ok(lines)
}
