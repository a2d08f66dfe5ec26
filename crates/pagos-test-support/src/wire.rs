//! Helpers for wire tests: describe a request, compare it with the provider's
//! documentation, decode a documented answer, and run a client through an in-memory
//! sender that records every attempt — no socket.
//!
//! The sender is a [`Recorder`]: an [`HttpSend`] that keeps every [`Request`] it is
//! handed in a [`Log`] and answers from routes (method and path, answers in turn) or
//! from a closure that may answer, fail like a network ([`SendError`]) or never
//! answer ([`Step::Hang`]). Hand it to a client with [`transport_with`]:
//!
//! ```
//! use pagos_core::transport::{Method, Request};
//! use pagos_test_support::wire::{Recorder, transport_with};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let sender = Recorder::new();
//! sender.route("GET", "/v1/things/t_1", 200, r#"{"id":"t_1"}"#);
//! let transport = transport_with(sender.clone());
//! let url = "https://api.example/v1/things/t_1".parse().unwrap();
//! let response = transport
//!     .send("example", Request::new(Method::GET, url, "get_thing"))
//!     .await
//!     .unwrap();
//! assert_eq!(response.text(), r#"{"id":"t_1"}"#);
//! assert_eq!(sender.calls(), 1);
//! assert_eq!(sender.last().url().path(), "/v1/things/t_1");
//! # });
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use pagos_core::transport::{HttpAnswer, HttpSend, Request, SendError};
use pagos_core::{Currency, Decimal, Money, Response, RetryPolicy, Transport, TransportBuilder};

// ---------------------------------------------------------------------------------
// Transports.

/// The retry policy of test transports: three attempts, 1 to 5 ms apart, so that
/// retries happen and no test waits on them.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy::attempts(3).with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// A transport builder with [`retry_policy`] and a five-second timeout, for a test
/// that sets more (a sender, a size limit) before building.
pub fn transport_builder() -> TransportBuilder {
    Transport::builder()
        .retry(retry_policy())
        .timeout(Duration::from_secs(5))
}

/// A transport for tests that send through a real socket: [`transport_builder`],
/// built.
///
/// # Panics
/// If the transport cannot be built (never with these settings).
pub fn transport() -> Transport {
    transport_builder().build().expect("a test transport")
}

/// A transport whose every attempt goes to `sender` (a [`Recorder`], usually), with
/// [`retry_policy`]'s millisecond backoff.
///
/// # Panics
/// If the transport cannot be built (never with these settings).
pub fn transport_with(sender: impl HttpSend + 'static) -> Transport {
    transport_builder()
        .sender(sender)
        .build()
        .expect("a test transport")
}

// ---------------------------------------------------------------------------------
// The log and the recording sender.

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A failed assertion in one test must not hide the log from the next one.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Every request a [`Recorder`] was handed, in order. Clones share the log.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<Request>>>);

impl Log {
    /// Adds `request` to the log.
    pub fn record(&self, request: &Request) {
        lock(&self.0).push(request.clone());
    }

    /// The requests, in the order they were sent.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.0).clone()
    }

    /// How many requests were sent (every attempt counts).
    pub fn count(&self) -> usize {
        lock(&self.0).len()
    }

    /// The requests sent to `method path` (`path` without the query; any query).
    pub fn sent_to(&self, method: &str, path: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.method().as_str() == method && r.url().path() == path)
            .collect()
    }

    /// How many requests were sent to `method path` (any query).
    pub fn count_of(&self, method: &str, path: &str) -> usize {
        self.sent_to(method, path).len()
    }

    /// The last request sent.
    ///
    /// # Panics
    /// If none was.
    pub fn last(&self) -> Request {
        lock(&self.0).last().cloned().expect("a request was sent")
    }
}

impl fmt::Debug for Log {
    /// The requests' own `Debug`: method, URL, header names, body length — never a
    /// header's value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(lock(&self.0).iter()).finish()
    }
}

/// What a [`Recorder`] does with one attempt.
#[derive(Debug, Clone)]
pub enum Step {
    /// Answers (any status).
    Answer(HttpAnswer),
    /// Fails as a network would: [`SendError::not_sent`],
    /// [`SendError::connection_lost`], [`SendError::timeout`]…
    Fail(SendError),
    /// Never answers: only the transport's timeout ends the attempt.
    Hang,
}

impl From<HttpAnswer> for Step {
    fn from(answer: HttpAnswer) -> Self {
        Step::Answer(answer)
    }
}

impl From<SendError> for Step {
    fn from(error: SendError) -> Self {
        Step::Fail(error)
    }
}

impl From<Result<HttpAnswer, SendError>> for Step {
    fn from(result: Result<HttpAnswer, SendError>) -> Self {
        match result {
            Ok(answer) => Step::Answer(answer),
            Err(error) => Step::Fail(error),
        }
    }
}

impl From<Option<Result<HttpAnswer, SendError>>> for Step {
    /// `None` hangs.
    fn from(step: Option<Result<HttpAnswer, SendError>>) -> Self {
        step.map_or(Step::Hang, Step::from)
    }
}

impl From<(u16, String)> for Step {
    fn from((status, body): (u16, String)) -> Self {
        Step::Answer(HttpAnswer::new(status, body))
    }
}

impl From<(u16, &str)> for Step {
    fn from((status, body): (u16, &str)) -> Self {
        Step::Answer(HttpAnswer::new(status, body.to_owned()))
    }
}

/// What a [`Recorder`] does with a request no route matches: the request and the
/// attempt's number (1 for the first request the recorder was handed).
type Script = dyn Fn(&Request, u32) -> Step + Send + Sync;

/// One route: method (or `*`), target (`*`, a path, or a path and `?query`) and its
/// answers in turn, the last one repeated.
#[derive(Debug)]
struct Route {
    method: String,
    target: String,
    answers: VecDeque<(u16, Vec<u8>)>,
}

impl Route {
    /// How well the route matches `method` at `path` with `query`: `None` when it does
    /// not, otherwise higher for a more specific target.
    fn rank(&self, method: &str, path: &str, query: Option<&str>) -> Option<u8> {
        if self.method != "*" && self.method != method {
            return None;
        }
        if self.target == "*" {
            return Some(0);
        }
        if self.target == path {
            return Some(1);
        }
        let (target_path, target_query) = self.target.split_once('?')?;
        (target_path == path && Some(target_query) == query).then_some(2)
    }

    fn next(&mut self) -> (u16, Vec<u8>) {
        if self.answers.len() > 1 {
            self.answers.pop_front().expect("more than one answer")
        } else {
            self.answers
                .front()
                .cloned()
                .expect("a route has an answer")
        }
    }
}

#[derive(Default)]
struct State {
    prefix: String,
    routes: Vec<Route>,
    attempts: u32,
}

/// An in-memory [`HttpSend`] that records every request in a [`Log`] and answers by
/// route, else from its script. Clones share the routes and the log, so a test keeps
/// one clone and hands another to the transport ([`transport_with`]); routes can be
/// added after the client is built.
///
/// - [`Recorder::route`]: `method target` answers `status` and `body`; a second route
///   for the same method and target answers the next request, and the last answer
///   repeats. Targets are paths (with `?query` to match only that query) under the
///   recorder's [`prefix`](Recorder::under); `*` matches any method or target. The
///   most specific route wins: path and query, then path, then `*`; then the first
///   added.
/// - [`Recorder::always`]: any request answers `status` and `body`.
/// - [`Recorder::in_turn`]: any request answers the next of these, the last repeated.
/// - [`scripted`]: a closure answers whatever no route does, from the request and the
///   attempt's number, and may fail or hang ([`Step`]).
/// - Otherwise: 404 with a JSON body naming the request.
///
/// Its `Debug` shows the log, not the answers (a scripted answer may hold a token a
/// test checks never leaks).
#[derive(Clone)]
pub struct Recorder {
    log: Log,
    state: Arc<Mutex<State>>,
    script: Arc<Script>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder")
            .field("log", &self.log)
            .finish_non_exhaustive()
    }
}

/// A [`Recorder`] that answers every request with `script(request, attempt)`
/// (`attempt` counts from 1 over every request the recorder was handed), unless a
/// route added later matches. The closure may return a [`Step`], an [`HttpAnswer`],
/// a `Result<HttpAnswer, SendError>`, an `Option` of one (`None` hangs), or
/// `(status, body)`.
///
/// ```
/// use pagos_core::transport::{HttpAnswer, SendError};
/// use pagos_test_support::wire::{Step, scripted};
///
/// // Lost once, then a hang, then an answer.
/// let sender = scripted(|_request, attempt| match attempt {
///     1 => Step::Fail(SendError::connection_lost("reset by peer")),
///     2 => Step::Hang,
///     _ => Step::Answer(HttpAnswer::new(200, "{}")),
/// });
/// assert_eq!(sender.calls(), 0);
/// ```
pub fn scripted<S: Into<Step>>(
    script: impl Fn(&Request, u32) -> S + Send + Sync + 'static,
) -> Recorder {
    Recorder {
        log: Log::default(),
        state: Arc::default(),
        script: Arc::new(move |request, attempt| script(request, attempt).into()),
    }
}

impl Recorder {
    /// A recorder without routes: every request gets a 404 until routes are added.
    pub fn new() -> Recorder {
        scripted(|request, _| {
            let with_query = match request.query_str() {
                Some(query) => format!("{}?{query}", request.url().path()),
                None => request.url().path().to_owned(),
            };
            (
                404,
                format!(
                    r#"{{"status":404,"message":"no route for {} {with_query}"}}"#,
                    request.method()
                ),
            )
        })
    }

    /// A recorder whose route targets are under `prefix` (`route("GET", "/banks", ..)`
    /// on `Recorder::new().under("/api/2.0")` answers `GET /api/2.0/banks`). Applies to
    /// [`Recorder::sent_to`] too.
    #[must_use]
    pub fn under(self, prefix: &str) -> Recorder {
        lock(&self.state).prefix = prefix.to_owned();
        self
    }

    /// A recorder answering every request with `status` and `body`.
    pub fn answering(status: u16, body: impl AsRef<[u8]>) -> Recorder {
        let recorder = Recorder::new();
        recorder.always(status, body);
        recorder
    }

    /// A recorder answering the requests with these answers in turn, the last one
    /// repeated.
    pub fn in_turn(answers: &[(u16, &str)]) -> Recorder {
        let recorder = Recorder::new();
        for (status, body) in answers {
            recorder.route("*", "*", *status, body);
        }
        recorder
    }

    /// `method target` (`*` for any) answers `status` and `body`, after the answers
    /// added before for the same method and target. `target` is a path under the
    /// recorder's prefix, may end with `?query` to match only that query, or is `*`.
    pub fn route(&self, method: &str, target: &str, status: u16, body: impl AsRef<[u8]>) -> &Self {
        let mut state = lock(&self.state);
        let target = if target == "*" {
            target.to_owned()
        } else {
            format!("{}{target}", state.prefix)
        };
        let answer = (status, body.as_ref().to_vec());
        match state
            .routes
            .iter_mut()
            .find(|r| r.method == method && r.target == target)
        {
            Some(route) => route.answers.push_back(answer),
            None => state.routes.push(Route {
                method: method.to_owned(),
                target,
                answers: VecDeque::from([answer]),
            }),
        }
        self
    }

    /// Any request answers `status` and `body` (a `*` route: a more specific route
    /// still wins).
    pub fn always(&self, status: u16, body: impl AsRef<[u8]>) -> &Self {
        self.route("*", "*", status, body)
    }

    /// The log of every request (shared with the recorder).
    pub fn log(&self) -> &Log {
        &self.log
    }

    /// Every request sent, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.log.requests()
    }

    /// How many attempts reached the recorder.
    pub fn calls(&self) -> usize {
        self.log.count()
    }

    /// The requests sent to `method path`, `path` under the recorder's prefix (any
    /// query).
    pub fn sent_to(&self, method: &str, path: &str) -> Vec<Request> {
        let path = format!("{}{path}", lock(&self.state).prefix);
        self.log.sent_to(method, &path)
    }

    /// The last request sent.
    ///
    /// # Panics
    /// If none was.
    pub fn last(&self) -> Request {
        self.log.last()
    }

    /// What this attempt gets: a matching route's next answer, else the script's.
    fn step(&self, request: &Request) -> Step {
        let (answer, attempt) = {
            let mut state = lock(&self.state);
            state.attempts += 1;
            let method = request.method().as_str();
            let path = request.url().path();
            let query = request.query_str();
            // The most specific match; among equals, the first added.
            let best = state
                .routes
                .iter()
                .enumerate()
                .filter_map(|(i, route)| Some((route.rank(method, path, query)?, i)))
                .min_by_key(|&(rank, i)| (std::cmp::Reverse(rank), i));
            let answer = best.map(|(_, i)| state.routes[i].next());
            (answer, state.attempts)
        };
        match answer {
            Some((status, body)) => Step::Answer(HttpAnswer::new(status, body)),
            None => (self.script)(request, attempt),
        }
    }
}

#[pagos_core::async_trait]
impl HttpSend for Recorder {
    async fn send(&self, request: &Request, _limit: usize) -> Result<HttpAnswer, SendError> {
        self.log.record(request);
        match self.step(request) {
            Step::Answer(answer) => Ok(answer),
            Step::Fail(error) => Err(error),
            Step::Hang => std::future::pending().await,
        }
    }
}

// ---------------------------------------------------------------------------------
// Values and answers.

/// `Money` from its text, e.g. `money("10.50", Currency::Mxn)`.
///
/// # Panics
/// If the text is not an amount the currency can hold.
pub fn money(amount: &str, currency: Currency) -> Money {
    Money::parse(amount, currency).expect("a valid amount")
}

/// A `Decimal` from its text.
///
/// # Panics
/// If the text is not a decimal.
pub fn dec(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

/// A 200 answer of `provider` to `operation` with `body` (a fixture).
pub fn ok(provider: &'static str, operation: &'static str, body: &str) -> Response {
    Response::new(provider, operation, 200, body.as_bytes().to_vec())
}

/// An answer with any status.
pub fn answer(
    provider: &'static str,
    operation: &'static str,
    status: u16,
    body: &str,
) -> Response {
    Response::new(provider, operation, status, body.as_bytes().to_vec())
}

// ---------------------------------------------------------------------------------
// Reading requests.

/// The request's body as text.
///
/// # Panics
/// If the body is not UTF-8.
pub fn body_text(request: &Request) -> &str {
    std::str::from_utf8(request.body_bytes()).expect("a UTF-8 body")
}

/// The request's JSON body.
///
/// # Panics
/// If the body is not JSON.
pub fn json_body(request: &Request) -> serde_json::Value {
    serde_json::from_slice(request.body_bytes()).expect("a JSON body")
}

/// The request's query pairs, decoded, in order.
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request
        .url()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The decoded values of the query parameter `name`, in order.
pub fn query_values(request: &Request, name: &str) -> Vec<String> {
    request
        .url()
        .query_pairs()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// The request's form body pairs, decoded, in order.
pub fn form_pairs(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(request.body_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagos_core::transport::{Method, SendErrorKind};
    use pagos_core::{Error, UnknownCause};

    fn get(target: &str) -> Request {
        let url = format!("https://api.example{target}").parse().unwrap();
        Request::new(Method::GET, url, "get_thing")
    }

    fn post(target: &str) -> Request {
        let url = format!("https://api.example{target}").parse().unwrap();
        Request::new(Method::POST, url, "create_thing")
    }

    /// One attempt of `request` straight through the sender, no transport.
    async fn send(sender: &Recorder, request: &Request) -> Result<HttpAnswer, SendError> {
        sender.send(request, usize::MAX).await
    }

    async fn status_and_body(sender: &Recorder, request: &Request) -> (u16, String) {
        let answer = send(sender, request).await.expect("an answer");
        (
            answer.status,
            String::from_utf8(answer.body.to_vec()).unwrap(),
        )
    }

    #[tokio::test]
    async fn routes_answer_by_method_and_path_and_everything_is_logged() {
        let sender = Recorder::new();
        sender.route("GET", "/things/1", 200, "one");
        sender.route("POST", "/things", 201, "created");
        assert_eq!(
            status_and_body(&sender, &get("/things/1")).await,
            (200, "one".into())
        );
        assert_eq!(
            status_and_body(&sender, &post("/things")).await,
            (201, "created".into())
        );
        // Another method at a routed path is not routed.
        let (status, body) = status_and_body(&sender, &get("/things")).await;
        assert_eq!(status, 404);
        assert!(body.contains("no route for GET /things"), "{body}");
        assert_eq!(sender.calls(), 3);
        assert_eq!(sender.log().count_of("GET", "/things/1"), 1);
        assert_eq!(sender.sent_to("POST", "/things").len(), 1);
        assert_eq!(sender.last().url().path(), "/things");
        let paths: Vec<String> = sender
            .requests()
            .iter()
            .map(|r| r.url().path().to_owned())
            .collect();
        assert_eq!(paths, ["/things/1", "/things", "/things"]);
    }

    #[tokio::test]
    async fn answers_for_one_route_come_in_turn_and_the_last_repeats() {
        let sender = Recorder::new();
        sender
            .route("GET", "/x", 503, "busy")
            .route("GET", "/x", 200, "done");
        for expected in [(503, "busy"), (200, "done"), (200, "done")] {
            let (status, body) = status_and_body(&sender, &get("/x")).await;
            assert_eq!((status, body.as_str()), expected);
        }
        let turns = Recorder::in_turn(&[(500, "a"), (201, "b")]);
        assert_eq!(status_and_body(&turns, &get("/any")).await.0, 500);
        assert_eq!(status_and_body(&turns, &post("/other")).await.0, 201);
        assert_eq!(status_and_body(&turns, &get("/any")).await.0, 201);
    }

    #[tokio::test]
    async fn the_most_specific_route_wins() {
        let sender = Recorder::new();
        sender.always(500, "any");
        sender.route("GET", "/list", 200, "path");
        sender.route("GET", "/list?page=2", 200, "query");
        sender.route("*", "/other", 202, "any method");
        assert_eq!(status_and_body(&sender, &get("/list")).await.1, "path");
        assert_eq!(
            status_and_body(&sender, &get("/list?page=1")).await.1,
            "path"
        );
        assert_eq!(
            status_and_body(&sender, &get("/list?page=2")).await.1,
            "query"
        );
        assert_eq!(status_and_body(&sender, &post("/other")).await.0, 202);
        assert_eq!(status_and_body(&sender, &post("/else")).await.1, "any");
        assert_eq!(
            Recorder::answering(418, "teapot")
                .send(&get("/"), 0)
                .await
                .unwrap()
                .status,
            418
        );
    }

    #[tokio::test]
    async fn a_prefix_applies_to_routes_and_to_sent_to() {
        let sender = Recorder::new().under("/api/2.0");
        sender.route("GET", "/banks", 200, "banks");
        assert_eq!(
            status_and_body(&sender, &get("/api/2.0/banks")).await.0,
            200
        );
        assert_eq!(status_and_body(&sender, &get("/banks")).await.0, 404);
        assert_eq!(sender.sent_to("GET", "/banks").len(), 1);
    }

    #[tokio::test]
    async fn a_script_answers_what_no_route_does_and_counts_attempts() {
        let sender =
            scripted(|request, attempt| (200, format!("{attempt} {}", request.url().path())));
        sender.route("GET", "/routed", 201, "routed");
        assert_eq!(status_and_body(&sender, &get("/a")).await.1, "1 /a");
        assert_eq!(status_and_body(&sender, &get("/routed")).await.0, 201);
        assert_eq!(status_and_body(&sender, &get("/b")).await.1, "3 /b");
    }

    #[tokio::test]
    async fn a_script_can_fail_like_a_network() {
        let sender = scripted(|_, attempt| match attempt {
            1 => Err(SendError::not_sent("refused")),
            2 => Err(SendError::connection_lost("reset")),
            _ => Err(SendError::timeout("slow")),
        });
        let kinds = [
            SendErrorKind::NotSent,
            SendErrorKind::ConnectionLost,
            SendErrorKind::Timeout,
        ];
        for kind in kinds {
            assert_eq!(send(&sender, &get("/")).await.unwrap_err().kind(), kind);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_hanging_attempt_is_ended_by_the_transport_timeout_and_a_read_retried() {
        let sender = scripted(|_, attempt| (attempt > 1).then(|| Ok(HttpAnswer::new(200, "{}"))));
        let transport = transport_with(sender.clone());
        let response = transport.send("example", get("/read")).await.unwrap();
        assert_eq!(response.attempts, 2);
        assert_eq!(sender.calls(), 2);

        let hangs = scripted(|_, _| Step::Hang);
        let err = transport_with(hangs.clone())
            .send("example", post("/create"))
            .await
            .unwrap_err();
        let Error::OutcomeUnknown(unknown) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(unknown.cause, UnknownCause::Timeout);
        assert_eq!(
            hangs.calls(),
            1,
            "a create that may have arrived is sent once"
        );
    }

    #[tokio::test]
    async fn the_test_transport_retries_three_times_without_waiting() {
        let sender = Recorder::answering(503, "busy");
        let started = std::time::Instant::now();
        // The transport hands back the last answer; refusing it is the executor's part.
        let response = transport_with(sender.clone())
            .send("example", get("/read"))
            .await
            .unwrap();
        assert_eq!((response.status, response.attempts), (503, 3));
        assert_eq!(sender.calls(), 3);
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(transport().retry_policy().max_attempts, 3);
        assert_eq!(transport().timeout(), Duration::from_secs(5));
    }

    #[tokio::test]
    async fn debug_shows_the_requests_not_the_answers() {
        let sender = Recorder::answering(200, "tok-s3cr3t");
        send(&sender, &get("/token")).await.unwrap();
        let debug = format!("{sender:?}");
        assert!(debug.contains("/token"), "{debug}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
    }

    #[test]
    fn steps_from_what_a_script_returns() {
        assert!(matches!(Step::from((200, "x")), Step::Answer(a) if a.status == 200));
        assert!(matches!(Step::from((201, "x".to_owned())), Step::Answer(a) if a.status == 201));
        assert!(matches!(Step::from(None), Step::Hang));
        assert!(matches!(
            Step::from(Err::<HttpAnswer, _>(SendError::timeout("t"))),
            Step::Fail(e) if e.kind() == SendErrorKind::Timeout
        ));
        assert!(matches!(
            Step::from(HttpAnswer::new(204, "")),
            Step::Answer(_)
        ));
        assert!(matches!(
            Step::from(SendError::not_sent("n")),
            Step::Fail(_)
        ));
    }

    #[test]
    fn values_and_answers() {
        assert_eq!(
            money("10.50", Currency::Mxn),
            Money::parse("10.50", Currency::Mxn).unwrap()
        );
        assert_eq!(dec("1.50").to_string(), "1.50");
        let r = ok("p", "op", "{}");
        assert_eq!((r.status, r.text().as_str()), (200, "{}"));
        let r = answer("p", "op", 404, "no");
        assert_eq!((r.provider, r.operation, r.status), ("p", "op", 404));
    }

    #[test]
    fn reading_requests() {
        let request = post("/x?a=1&b=two%20words").form(&[("k", "v w"), ("n", "1")]);
        assert_eq!(body_text(&request), "k=v+w&n=1");
        assert_eq!(
            query_pairs(&request),
            [("a".into(), "1".into()), ("b".into(), "two words".into())]
        );
        assert_eq!(query_values(&request, "b"), ["two words"]);
        assert!(query_values(&request, "c").is_empty());
        assert_eq!(
            form_pairs(&request),
            [("k".into(), "v w".into()), ("n".into(), "1".into())]
        );
        let json = post("/j").json(&serde_json::json!({"a": 1})).unwrap();
        assert_eq!(json_body(&json), serde_json::json!({"a": 1}));
    }
}
