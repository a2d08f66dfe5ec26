//! The shared store: every provider's records, the sandbox clock and the id generator,
//! behind one mutex (critical sections are short and never await).
//!
//! The store does not name the providers: each one's records are a [`Records`] value
//! built by its [`SimulatedProvider::records`](crate::simulated::SimulatedProvider::records),
//! and its own code finds them by type ([`AllRecords::get`]).

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use time::OffsetDateTime;
use url::Url;

use crate::config::{ClockStart, Provider, SandboxConfig};
use crate::faults::{FaultBook, InFlight, RequestLog};
use crate::notify::{Deliveries, Outgoing};
use crate::simulated::simulators;

/// The sandbox clock: a start (real time or a frozen instant) plus an offset that only
/// grows, so expiries and token lifetimes can be tested without waiting.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    start: ClockStart,
    offset: Duration,
}

impl Clock {
    pub(crate) fn new(start: ClockStart) -> Self {
        Clock {
            start,
            offset: Duration::ZERO,
        }
    }

    /// The current sandbox time in UTC, to the millisecond (the finest unit any provider
    /// shows).
    pub(crate) fn now(&self) -> OffsetDateTime {
        let base = match self.start {
            ClockStart::System => OffsetDateTime::now_utc(),
            ClockStart::Fixed(t) => t.to_offset(time::UtcOffset::UTC),
        };
        let t = base + self.offset;
        let millis = t.millisecond();
        t.replace_millisecond(millis).unwrap_or(t)
    }

    pub(crate) fn advance(&mut self, by: Duration) {
        self.offset += by;
    }

    pub(crate) fn offset(&self) -> Duration {
        self.offset
    }
}

/// Deterministic ids: one seeded generator, so the same seed and the same sequence of
/// requests give the same ids.
#[derive(Debug)]
pub(crate) struct Ids {
    rng: fastrand::Rng,
}

const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const HEX: &[u8] = b"0123456789abcdef";
const DIGITS: &[u8] = b"0123456789";

impl Ids {
    pub(crate) fn new(seed: u64) -> Self {
        Ids {
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    fn pick(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| char::from(alphabet[self.rng.usize(..alphabet.len())]))
            .collect()
    }

    /// Lowercase letters and digits (Khipu payment ids).
    pub(crate) fn lower_alnum(&mut self, len: usize) -> String {
        self.pick(LOWER_ALNUM, len)
    }

    /// Mixed-case letters and digits (tokens).
    pub(crate) fn alnum(&mut self, len: usize) -> String {
        self.pick(ALNUM, len)
    }

    /// Base58 (KashIO ids).
    pub(crate) fn base58(&mut self, len: usize) -> String {
        self.pick(BASE58, len)
    }

    /// Lowercase hex.
    pub(crate) fn hex(&mut self, len: usize) -> String {
        self.pick(HEX, len)
    }

    /// Decimal digits, as digit values 0..=9.
    pub(crate) fn digit_values(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.rng.u8(0..10)).collect()
    }

    /// Decimal digits as text.
    pub(crate) fn digits(&mut self, len: usize) -> String {
        self.pick(DIGITS, len)
    }

    /// A version-4-shaped UUID.
    pub(crate) fn uuid(&mut self) -> String {
        let variant = char::from(b"89ab"[self.rng.usize(..4)]);
        format!(
            "{}-{}-4{}-{}{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(3),
            variant,
            self.hex(3),
            self.hex(12)
        )
    }
}

/// One provider's records (its payments, invoices, orders, balance, tokens...).
pub(crate) trait Records: Any + Send + fmt::Debug {}

impl<T: Any + Send + fmt::Debug> Records for T {}

/// Every provider's records, each found by its type.
#[derive(Debug)]
pub(crate) struct AllRecords(Vec<Box<dyn Records>>);

impl AllRecords {
    /// The records of type `T`.
    ///
    /// # Panics
    /// When no provider keeps records of that type: [`Store::new`] builds every
    /// provider's records, so this is a bug in the sandbox.
    pub(crate) fn get<T: Records>(&self) -> &T {
        self.0
            .iter()
            .find_map(|records| (&**records as &dyn Any).downcast_ref::<T>())
            .expect("every simulated provider's records are in the store")
    }

    /// The records of type `T`, to change them.
    ///
    /// # Panics
    /// As [`AllRecords::get`].
    pub(crate) fn get_mut<T: Records>(&mut self) -> &mut T {
        self.0
            .iter_mut()
            .find_map(|records| (&mut **records as &mut dyn Any).downcast_mut::<T>())
            .expect("every simulated provider's records are in the store")
    }
}

/// Everything a reset puts back to its initial value.
#[derive(Debug)]
pub(crate) struct Store {
    pub(crate) clock: Clock,
    pub(crate) ids: Ids,
    pub(crate) webhooks: BTreeMap<Provider, Url>,
    /// Every provider's records.
    pub(crate) records: AllRecords,
}

impl Store {
    pub(crate) fn new(config: &SandboxConfig) -> Self {
        Store {
            clock: Clock::new(config.clock),
            ids: Ids::new(config.seed),
            webhooks: config.webhooks.clone(),
            records: AllRecords(simulators().map(|p| p.records(config)).collect()),
        }
    }

    pub(crate) fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Applies every time-based transition that is due (invoice and order expiries),
    /// returning the notifications they cause, provider by provider.
    pub(crate) fn sweep(&mut self) -> Vec<Outgoing> {
        simulators().flat_map(|p| p.sweep(self)).collect()
    }
}

/// The running sandbox, shared by the server, its background tasks and the handle.
#[derive(Debug)]
pub(crate) struct Sandbox {
    pub(crate) config: SandboxConfig,
    /// `http://127.0.0.1:PORT`, for links in answers.
    pub(crate) origin: String,
    store: Mutex<Store>,
    pub(crate) faults: Mutex<FaultBook>,
    pub(crate) log: Mutex<RequestLog>,
    /// Provider requests being handled, not logged yet.
    pub(crate) in_flight: InFlight,
    pub(crate) deliveries: Deliveries,
    pub(crate) runtime: tokio::runtime::Handle,
    /// Bumped by every reset (under the store lock), so a delivery that started before a
    /// reset cannot update a record that merely has the same (seeded) id afterwards.
    pub(crate) generation: AtomicU64,
}

/// Locks a mutex, ignoring poisoning: a panic in one request must not wedge the sandbox.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Sandbox {
    pub(crate) fn new(
        config: SandboxConfig,
        origin: String,
        runtime: tokio::runtime::Handle,
    ) -> Arc<Self> {
        Arc::new(Sandbox {
            store: Mutex::new(Store::new(&config)),
            faults: Mutex::new(FaultBook::default()),
            log: Mutex::new(RequestLog::default()),
            in_flight: InFlight::default(),
            deliveries: Deliveries::new(config.delivery),
            config,
            origin,
            runtime,
            generation: AtomicU64::new(0),
        })
    }

    /// The store, locked. Keep the guard short-lived and never hold it across `.await`.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// Runs `f` on the store after applying due expiries, then sends the notifications
    /// the expiries caused (outside the lock): [`Sandbox::update`] for a change that
    /// causes no notification of its own.
    pub(crate) fn with_store<R>(self: &Arc<Self>, f: impl FnOnce(&mut Store) -> R) -> R {
        self.update(|store| (f(store), Vec::new()))
    }

    /// Runs `f` on the store after applying due expiries, then sends the notifications
    /// that both caused (outside the lock).
    pub(crate) fn update<R>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Store) -> (R, Vec<Outgoing>),
    ) -> R {
        let (result, outgoing) = {
            let mut store = self.store();
            let mut outgoing = store.sweep();
            let (result, more) = f(&mut store);
            outgoing.extend(more);
            (result, outgoing)
        };
        for out in outgoing {
            self.dispatch(out);
        }
        result
    }

    /// Puts every record, the clock, the ids, faults, the request log and the notification
    /// log back to their initial state.
    pub(crate) fn reset(&self) {
        {
            let mut store = self.store();
            *store = Store::new(&self.config);
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        *lock(&self.faults) = FaultBook::default();
        *lock(&self.log) = RequestLog::default();
        self.deliveries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_per_seed() {
        let (mut a, mut b, mut c) = (Ids::new(7), Ids::new(7), Ids::new(8));
        assert_eq!(a.lower_alnum(12), b.lower_alnum(12));
        assert_eq!(a.uuid(), b.uuid());
        assert_ne!(Ids::new(7).lower_alnum(12), c.lower_alnum(12));
        let uuid = Ids::new(1).uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
    }

    #[test]
    fn fixed_clock_moves_only_when_advanced() {
        let start = time::macros::datetime!(2024-05-01 12:00:00 UTC);
        let mut clock = Clock::new(ClockStart::Fixed(start));
        assert_eq!(clock.now(), start);
        clock.advance(Duration::from_secs(90));
        assert_eq!(clock.now(), start + Duration::from_secs(90));
    }
}
