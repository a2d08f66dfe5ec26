//! The one loopback test server: a small scripted HTTP/1.1 server on 127.0.0.1 that
//! can behave like a hostile provider.
//!
//! Each route (method and path) gets a script of [`Reply`]s, served in order; the last
//! one repeats. Every request is recorded (method, target, headers, body) *before* it
//! is answered, so a test can assert exactly how many requests arrived, even when the
//! answer was a dropped connection or never came. Unscripted requests are recorded
//! too and answered 404.
//!
//! The replies are what real gateways and providers do to clients: answer after
//! processing with a 5xx, drop the connection, never answer, announce or stream more
//! than any client should read, ask for a `Retry-After` wait. A [`Gate`] holds an
//! answer until the test releases it, so a test can make many callers wait on one
//! request deterministically.
//!
//! ```no_run
//! # async fn run() {
//! use pagos_test_support::server::{HostileServer, Reply};
//! let server = HostileServer::start().await;
//! server.route("POST", "/khipu/payments", [Reply::html(504, "<html>Gateway Timeout</html>")]);
//! // ... point PAGOS_KHIPU_BASE_URL at server.url("/khipu") and create a payment ...
//! assert_eq!(server.count("POST", "/khipu/payments"), 1);
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// The `Content-Length` [`Reply::HugeDeclared`] announces: 1 GiB.
pub const ONE_GIB: u64 = 1 << 30;

/// How much a streaming reply writes at a time.
const STREAM_CHUNK: usize = 64 * 1024;

/// The longest request head the server reads; a longer one ends the connection.
const MAX_HEAD: usize = 64 * 1024;

/// What the server does with one request, after recording it.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Answer with this status, these headers and this body (`Content-Length` added).
    Answer {
        /// The HTTP status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Close the connection without answering: the request arrived, the answer is lost.
    Drop,
    /// Never answer; the connection stays open until the client gives up.
    Hang,
    /// Answer 200 announcing `Content-Length: declared`, then stream bytes until the
    /// client hangs up (or `declared` bytes were written).
    HugeDeclared {
        /// The announced length.
        declared: u64,
    },
    /// Answer 200 with a chunked body that never ends.
    EndlessChunked,
    /// Answer 200 announcing `Content-Length: declared`, write `body` (shorter), then
    /// close: the answer broke off midway.
    Truncated {
        /// The announced length.
        declared: usize,
        /// What is written before the connection closes.
        body: Vec<u8>,
    },
    /// Wait until the gate opens, then do the inner reply.
    Held(Gate, Box<Reply>),
    /// Stop listening (every later connection is refused), then do the inner reply:
    /// the provider went away after this answer.
    Last(Box<Reply>),
}

impl Reply {
    /// An answer with no extra headers.
    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Answer {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A JSON answer.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::status(status, body).header("content-type", "application/json")
    }

    /// An HTML answer, as gateways and proxies send.
    pub fn html(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::status(status, body).header("content-type", "text/html")
    }

    /// The same reply with one more header (only for [`Reply::Answer`]; other replies
    /// are returned unchanged).
    #[must_use]
    pub fn header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Answer {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.to_string(), value.to_string()));
                Reply::Answer {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }

    /// The same reply, after which the server refuses every new connection.
    #[must_use]
    pub fn then_stop_listening(self) -> Reply {
        Reply::Last(Box::new(self))
    }

    /// The same reply, held until `gate` opens.
    #[must_use]
    pub fn held(self, gate: &Gate) -> Reply {
        Reply::Held(gate.clone(), Box::new(self))
    }
}

/// Holds the replies it is attached to until [`Gate::open`].
#[derive(Clone)]
pub struct Gate(Arc<watch::Sender<bool>>);

impl Gate {
    /// A closed gate.
    pub fn new() -> Gate {
        Gate(Arc::new(watch::channel(false).0))
    }

    /// Opens it: every held reply goes out, and later ones are not held.
    pub fn open(&self) {
        self.0.send_replace(true);
    }

    async fn passed(&self) {
        let mut open = self.0.subscribe();
        // The sender lives in `self`, so the channel cannot close while we wait.
        let _ = open.wait_for(|open| *open).await;
    }
}

impl Default for Gate {
    fn default() -> Self {
        Gate::new()
    }
}

impl fmt::Debug for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Gate").field(&*self.0.borrow()).finish()
    }
}

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The request target as sent: a path, or an absolute URL when sent to a proxy.
    pub target: String,
    /// The path, without the query string (and without scheme and host for an
    /// absolute target).
    pub path: String,
    /// The headers, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Route {
    replies: Vec<Reply>,
    served: usize,
}

#[derive(Default)]
struct State {
    routes: HashMap<(String, String), Route>,
    fallback: Option<Route>,
    log: Vec<Recorded>,
    stop_listening: Arc<tokio::sync::Notify>,
}

/// The server. Dropping it stops it and closes every connection.
pub struct HostileServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    accept: JoinHandle<()>,
}

impl fmt::Debug for HostileServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostileServer")
            .field("addr", &self.addr)
            .field("requests", &self.total())
            .finish()
    }
}

impl HostileServer {
    /// Starts on a free port of 127.0.0.1, with no routes.
    ///
    /// # Panics
    /// When no loopback port can be bound.
    pub async fn start() -> HostileServer {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("the listener's address");
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::clone(&lock(&state).stop_listening);
        let shared = Arc::clone(&state);
        let accept = tokio::spawn(async move {
            // Owned by this task: aborting it (on drop) aborts every connection.
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { return };
                        connections.spawn(serve(stream, Arc::clone(&shared)));
                    }
                    // Reap finished connections so the set does not grow without bound.
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                    () = stop.notified() => break,
                }
            }
            // Listening stopped: new connections are refused, open ones finish.
            drop(listener);
            while connections.join_next().await.is_some() {}
        });
        HostileServer {
            addr,
            state,
            accept,
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Scripts `method path`: the replies are served in order and the last repeats.
    /// Replaces an earlier script of the same route (and restarts it).
    ///
    /// # Panics
    /// When `replies` is empty.
    pub fn route(&self, method: &str, path: &str, replies: impl IntoIterator<Item = Reply>) {
        let replies: Vec<Reply> = replies.into_iter().collect();
        assert!(!replies.is_empty(), "a route needs at least one reply");
        self.lock().routes.insert(
            (method.to_ascii_uppercase(), path.to_string()),
            Route { replies, served: 0 },
        );
    }

    /// Scripts every request that matches no route (instead of a 404), whatever its
    /// method and path: the replies are served in order and the last repeats.
    ///
    /// # Panics
    /// When `replies` is empty.
    pub fn fallback(&self, replies: impl IntoIterator<Item = Reply>) {
        let replies: Vec<Reply> = replies.into_iter().collect();
        assert!(!replies.is_empty(), "a script needs at least one reply");
        self.lock().fallback = Some(Route { replies, served: 0 });
    }

    /// How many requests arrived for `method path`.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.requests(method, path).len()
    }

    /// The requests that arrived for `method path`, oldest first.
    pub fn requests(&self, method: &str, path: &str) -> Vec<Recorded> {
        self.lock()
            .log
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
            .cloned()
            .collect()
    }

    /// Every request that arrived, on any route or none, oldest first.
    pub fn log(&self) -> Vec<Recorded> {
        self.lock().log.clone()
    }

    /// How many requests arrived in all.
    pub fn total(&self) -> usize {
        self.lock().log.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A test that panicked while holding the lock left whole values behind.
    state.lock().unwrap_or_else(|p| p.into_inner())
}

/// Serves one connection: requests in sequence (keep-alive) until a reply ends it.
async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await {
        let reply = {
            let mut state = lock(&state);
            let key = (request.method.to_ascii_uppercase(), request.path.clone());
            let State {
                routes, fallback, ..
            } = &mut *state;
            let reply = routes.get_mut(&key).or(fallback.as_mut()).map(|route| {
                let reply = route.replies[route.served.min(route.replies.len() - 1)].clone();
                route.served += 1;
                reply
            });
            state.log.push(request);
            reply.unwrap_or_else(|| Reply::json(404, r#"{"error":"no such route"}"#))
        };
        let stop = Arc::clone(&lock(&state).stop_listening);
        if !respond(&mut stream, reply, &stop).await {
            return;
        }
    }
}

/// Writes `reply`; `true` when the connection may carry another request.
async fn respond(
    stream: &mut TcpStream,
    mut reply: Reply,
    stop_listening: &tokio::sync::Notify,
) -> bool {
    let mut last = false;
    loop {
        match reply {
            Reply::Held(gate, inner) => {
                gate.passed().await;
                reply = *inner;
            }
            Reply::Last(inner) => {
                stop_listening.notify_one();
                last = true;
                reply = *inner;
            }
            other => {
                reply = other;
                break;
            }
        }
    }
    match reply {
        Reply::Answer {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\n",
                reason(status),
                body.len()
            );
            for (name, value) in &headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            if last {
                // The provider goes away: this connection closes after the answer too.
                head.push_str("connection: close\r\n");
            }
            head.push_str("\r\n");
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(&body);
            stream.write_all(&bytes).await.is_ok() && !last
        }
        Reply::Drop => false,
        Reply::Hang => {
            // Read (and discard) until the client hangs up, so the task ends with it.
            let mut sink = [0u8; 1024];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
            false
        }
        Reply::HugeDeclared { declared } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            let chunk = vec![b' '; STREAM_CHUNK];
            let mut left = declared;
            while left > 0 {
                let n = usize::try_from(left).map_or(STREAM_CHUNK, |l| l.min(STREAM_CHUNK));
                if stream.write_all(&chunk[..n]).await.is_err() {
                    break;
                }
                left -= n as u64;
            }
            false
        }
        Reply::EndlessChunked => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            let mut chunk = format!("{STREAM_CHUNK:x}\r\n").into_bytes();
            chunk.extend(std::iter::repeat_n(b' ', STREAM_CHUNK));
            chunk.extend_from_slice(b"\r\n");
            // Ends only when the client hangs up.
            while stream.write_all(&chunk).await.is_ok() {}
            false
        }
        Reply::Truncated { declared, body } => {
            let mut bytes = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
            )
            .into_bytes();
            bytes.extend_from_slice(&body);
            let _ = stream.write_all(&bytes).await;
            false
        }
        Reply::Held(..) | Reply::Last(..) => unreachable!("unwrapped above"),
    }
}

/// Reads one request (head and `Content-Length` body) from `stream`, keeping any bytes
/// of the next one in `buffer`. `None` when the client closed or sent garbage.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buffer.len() > MAX_HEAD || !fill(stream, buffer).await {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        if !fill(stream, buffer).await {
            return None;
        }
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some(Recorded {
        method,
        path: path_of(&target),
        target,
        headers,
        body,
    })
}

/// Reads more bytes into `buffer`; `false` at the end of the stream or on an error.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// The path of a request target: origin form (`/a?b`) or, as sent to a proxy,
/// absolute form (`http://host:port/a?b`).
fn path_of(target: &str) -> String {
    let without_authority = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    without_authority
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Whatever",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `requests` on one connection, ends the sending side, and reads until the
    /// server closes it.
    async fn exchange(server: &HostileServer, requests: &str) -> String {
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        stream.write_all(requests.as_bytes()).await.unwrap();
        stream.shutdown().await.unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        String::from_utf8_lossy(&answer).into_owned()
    }

    #[tokio::test]
    async fn scripts_run_in_order_the_last_repeats_and_everything_is_counted() {
        let server = HostileServer::start().await;
        server.route(
            "POST",
            "/x",
            [Reply::status(503, "first"), Reply::json(200, "{}")],
        );
        // Three requests on one keep-alive connection, then one to no route.
        let post = "POST /x?q=1 HTTP/1.1\r\ncontent-length: 2\r\n\r\nab";
        let answer = exchange(
            &server,
            &format!("{post}{post}{post}GET /none HTTP/1.1\r\n\r\n"),
        )
        .await;
        assert_eq!(answer.matches("HTTP/1.1 503").count(), 1, "{answer}");
        assert_eq!(answer.matches("HTTP/1.1 200").count(), 2, "{answer}");
        assert_eq!(answer.matches("HTTP/1.1 404").count(), 1, "{answer}");
        assert_eq!(server.count("POST", "/x"), 3);
        assert_eq!(server.requests("POST", "/x")[2].body, b"ab");
        assert_eq!(server.count("GET", "/none"), 1);
        assert_eq!(server.total(), 4);
    }

    #[tokio::test]
    async fn a_dropped_request_is_recorded_and_a_held_one_waits_for_its_gate() {
        let server = HostileServer::start().await;
        server.route("DELETE", "/d", [Reply::Drop]);
        assert_eq!(exchange(&server, "DELETE /d HTTP/1.1\r\n\r\n").await, "");
        assert_eq!(server.count("DELETE", "/d"), 1);

        let gate = Gate::new();
        server.route("GET", "/h", [Reply::status(200, "late").held(&gate)]);
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        stream.write_all(b"GET /h HTTP/1.1\r\n\r\n").await.unwrap();
        let mut first = [0u8; 1];
        // Nothing can be read while the gate is closed; the request is already counted.
        tokio::select! {
            biased;
            _ = stream.read(&mut first) => panic!("answered before the gate opened"),
            () = async {
                while server.count("GET", "/h") == 0 {
                    tokio::task::yield_now().await;
                }
            } => {}
        }
        gate.open();
        let mut answer = Vec::new();
        while !answer.ends_with(b"late") {
            let mut chunk = [0u8; 256];
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "closed before the held answer: {answer:?}");
            answer.extend_from_slice(&chunk[..n]);
        }
        assert!(answer.starts_with(b"HTTP/1.1 200"));
    }

    #[test]
    fn paths_of_origin_and_absolute_targets() {
        assert_eq!(path_of("/khipu/payments?x=1"), "/khipu/payments");
        assert_eq!(
            path_of("http://127.0.0.1:9/kashio/invoices/i"),
            "/kashio/invoices/i"
        );
        assert_eq!(path_of("http://127.0.0.1:9"), "/");
    }
}
