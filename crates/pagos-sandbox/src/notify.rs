//! Outgoing notifications: Khipu's `notify_url` POSTs (1.3 form, signed 3.0 JSON, PAC
//! callbacks), ComproPago and KashIO webhooks.
//!
//! Each one is delivered by a background task, retried with a doubling backoff up to
//! [`DeliveryPolicy::max_attempts`], and every attempt is recorded so tests and the control
//! API can see what was sent and what the receiver answered.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;
use url::Url;

use crate::config::{DeliveryPolicy, Provider};
use crate::faults::FaultKind;
use crate::simulated::simulator;
use crate::state::{Sandbox, lock};
use crate::wire::rfc3339;

/// A notification waiting to be sent.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub(crate) provider: Provider,
    pub(crate) url: Url,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
    /// A record of the provider's to update once delivery ends (a KashIO event, whose
    /// `status` becomes `notified` or `failed`), passed to its
    /// [`SimulatedProvider::delivery_ended`](crate::simulated::SimulatedProvider::delivery_ended).
    pub(crate) receipt: Option<String>,
    /// Signs the notification when it is dispatched (Khipu 3.0's `x-khipu-signature`).
    pub(crate) signer: Option<Signer>,
    /// Only an HTTP 200 counts as delivered (Khipu 3.0 "waits for a code 200"); otherwise
    /// any 2xx does.
    pub(crate) exact_200: bool,
}

/// How a signed notification's signature header is computed when it is dispatched.
#[derive(Clone)]
pub(crate) struct Signer {
    /// The header's name (`x-khipu-signature`).
    pub(crate) header: &'static str,
    /// The signing key.
    pub(crate) secret: String,
    /// The header value from the key, the dispatch time (Unix milliseconds) and the body.
    pub(crate) sign: fn(&str, i64, &[u8]) -> String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("header", &self.header)
            .field("secret", &"[REDACTED]")
            .finish()
    }
}

/// Where a notification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeliveryState {
    /// Not delivered yet; attempts remain.
    Pending,
    /// A 2xx answer was received.
    Delivered,
    /// Every attempt failed.
    Failed,
}

/// One try at delivering a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeliveryAttempt {
    /// 1 for the first attempt.
    pub number: u32,
    /// Sandbox time of the attempt (RFC 3339).
    pub at: String,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    /// Why the attempt failed without an answer (connection refused, timeout).
    pub error: Option<String>,
}

/// A notification the sandbox sent (or is sending), with its attempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NotificationRecord {
    /// Sequence number, unique for the sandbox's lifetime.
    pub id: u64,
    /// The provider that sent it.
    pub provider: Provider,
    /// Where it was POSTed.
    pub url: String,
    /// `application/x-www-form-urlencoded` (Khipu) or `application/json` (webhooks).
    pub content_type: String,
    /// The body as sent.
    pub body: String,
    /// Extra headers sent with it (Khipu 3.0: `x-khipu-signature`), by name.
    pub headers: std::collections::BTreeMap<String, String>,
    /// The notification fault applied to it, by [`FaultKind::name`](crate::FaultKind::name).
    pub fault: Option<String>,
    /// Where delivery stands.
    pub state: DeliveryState,
    /// Every attempt so far.
    pub attempts: Vec<DeliveryAttempt>,
}

/// The delivery log and the HTTP client that delivers.
#[derive(Debug)]
pub(crate) struct Deliveries {
    records: Mutex<Vec<NotificationRecord>>,
    next_id: AtomicU64,
    in_flight: watch::Sender<usize>,
    shutdown: watch::Sender<bool>,
    client: reqwest::Client,
    policy: DeliveryPolicy,
}

/// Decrements the in-flight count however a delivery task ends (even if aborted).
struct InFlight(watch::Sender<usize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n = n.saturating_sub(1));
    }
}

impl Deliveries {
    pub(crate) fn new(policy: DeliveryPolicy) -> Self {
        let client = reqwest::Client::builder()
            .timeout(policy.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Deliveries {
            records: Mutex::new(Vec::new()),
            next_id: AtomicU64::new(1),
            in_flight: watch::Sender::new(0),
            shutdown: watch::Sender::new(false),
            client,
            policy,
        }
    }

    /// A snapshot of every notification.
    pub(crate) fn records(&self) -> Vec<NotificationRecord> {
        lock(&self.records).clone()
    }

    /// Forgets the log (deliveries still running keep going but are no longer recorded).
    pub(crate) fn clear(&self) {
        lock(&self.records).clear();
    }

    /// Tells running deliveries to stop at their next wait.
    pub(crate) fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }

    /// Waits until no delivery is in progress.
    pub(crate) async fn settled(&self) {
        let mut rx = self.in_flight.subscribe();
        // The sender lives as long as `self`, so this cannot fail while we borrow it.
        let _ = rx.wait_for(|n| *n == 0).await;
    }

    fn update(&self, id: u64, f: impl FnOnce(&mut NotificationRecord)) {
        if let Some(record) = lock(&self.records).iter_mut().find(|r| r.id == id) {
            f(record);
        }
    }
}

impl Sandbox {
    /// Records the notification and delivers it in the background, applying the first
    /// armed notification fault that matches it (bad signature, duplicate, delay).
    pub(crate) fn dispatch(self: &Arc<Self>, out: Outgoing) {
        let fault = lock(&self.faults).take_notification(
            out.provider,
            out.url.path(),
            out.signer.is_some(),
        );
        let mut headers = std::collections::BTreeMap::new();
        if let Some(signer) = &out.signer {
            let millis = self.store().now().unix_timestamp_nanos() / 1_000_000;
            let millis = i64::try_from(millis).unwrap_or_default();
            let secret = if matches!(fault, Some(FaultKind::NotifyBadSignature)) {
                // Signed with another key: well-formed, but it does not verify.
                format!("{}-not-the-merchant-secret", signer.secret)
            } else {
                signer.secret.clone()
            };
            headers.insert(
                signer.header.to_string(),
                (signer.sign)(&secret, millis, &out.body),
            );
        }
        let delay = match &fault {
            Some(FaultKind::NotifyDelay { millis }) => Some(Duration::from_millis(*millis)),
            _ => None,
        };
        let copies = if matches!(fault, Some(FaultKind::NotifyDuplicate)) {
            2
        } else {
            1
        };
        let name = fault.as_ref().map(|k| k.name().to_string());
        for _ in 0..copies {
            self.dispatch_one(out.clone(), headers.clone(), name.clone(), delay);
        }
    }

    fn dispatch_one(
        self: &Arc<Self>,
        out: Outgoing,
        headers: std::collections::BTreeMap<String, String>,
        fault: Option<String>,
        delay: Option<Duration>,
    ) {
        let deliveries = &self.deliveries;
        let id = deliveries.next_id.fetch_add(1, Ordering::Relaxed);
        lock(&deliveries.records).push(NotificationRecord {
            id,
            provider: out.provider,
            url: out.url.to_string(),
            content_type: out.content_type.to_string(),
            body: String::from_utf8_lossy(&out.body).into_owned(),
            headers: headers.clone(),
            fault,
            state: DeliveryState::Pending,
            attempts: Vec::new(),
        });
        deliveries.in_flight.send_modify(|n| *n += 1);
        let guard = InFlight(deliveries.in_flight.clone());
        let sandbox = Arc::clone(self);
        let generation = self.generation.load(Ordering::SeqCst);
        self.runtime.spawn(async move {
            let _guard = guard;
            if let Some(delay) = delay {
                let mut shutdown = sandbox.deliveries.shutdown.subscribe();
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = shutdown.wait_for(|stop| *stop) => {}
                }
            }
            let delivered = sandbox.deliver(id, &out, &headers).await;
            if let Some(receipt) = &out.receipt {
                let mut store = sandbox.store();
                if sandbox.generation.load(Ordering::SeqCst) == generation {
                    simulator(out.provider).delivery_ended(&mut store, receipt, delivered);
                }
            }
        });
    }

    async fn deliver(
        &self,
        id: u64,
        out: &Outgoing,
        headers: &std::collections::BTreeMap<String, String>,
    ) -> bool {
        let policy = self.deliveries.policy;
        let mut shutdown = self.deliveries.shutdown.subscribe();
        let mut backoff = policy.initial_backoff;
        for number in 1..=policy.max_attempts.max(1) {
            let mut request = self
                .deliveries
                .client
                .post(out.url.clone())
                .header(reqwest::header::CONTENT_TYPE, out.content_type);
            for (name, value) in headers {
                request = request.header(name.as_str(), value.as_str());
            }
            let result = request.body(out.body.clone()).send().await;
            let (status, error) = match result {
                Ok(resp) => (Some(resp.status().as_u16()), None),
                Err(e) => (None, Some(describe(&e))),
            };
            let ok = status.is_some_and(|s| {
                if out.exact_200 {
                    s == 200
                } else {
                    (200..300).contains(&s)
                }
            });
            let at = rfc3339(self.store().now());
            self.deliveries.update(id, |record| {
                record.attempts.push(DeliveryAttempt {
                    number,
                    at,
                    status,
                    error,
                });
                if ok {
                    record.state = DeliveryState::Delivered;
                }
            });
            if ok {
                return true;
            }
            if number < policy.max_attempts {
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = shutdown.wait_for(|stop| *stop) => break,
                }
                backoff = (backoff * 2).min(policy.max_backoff.max(policy.initial_backoff));
            }
        }
        self.deliveries
            .update(id, |record| record.state = DeliveryState::Failed);
        false
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connection failed".into()
    } else {
        // The URL is the merchant's own, no credentials in it: safe to show.
        let mut text = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        text
    }
}
