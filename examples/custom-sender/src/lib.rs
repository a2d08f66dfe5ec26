//! A second, minimal [`HttpSend`]: HTTP/1.1 over a plain `tokio` TCP stream, one
//! connection per request, `http://` only. It exists to show that the SDK's endpoints
//! do not depend on reqwest: the [`Transport`] wraps any sender with the same timeout,
//! retry rule, size limit and tracing, and every endpoint of every provider runs over
//! it unchanged.
//!
//! `cargo run -p pagos-example-custom-sender` runs [`demo`] against the in-process
//! sandbox; `tests/demo.rs` runs the same in CI.

use std::fmt::Write as _;

use bytes::Bytes;
use pagos::async_trait;
use pagos::transport::{HttpAnswer, HttpSend, Request, SendError, SendErrorKind};
use pagos::{Currency, Money, PaymentProvider, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// HTTP/1.1 over TCP, `Connection: close`, no TLS: enough for a loopback sandbox.
#[derive(Debug, Default, Clone, Copy)]
pub struct TcpSender;

#[async_trait]
impl HttpSend for TcpSender {
    async fn send(&self, request: &Request, limit: usize) -> Result<HttpAnswer, SendError> {
        let url = request.url();
        if url.scheme() != "http" {
            return Err(SendError::new(
                SendErrorKind::Unsendable,
                "this example sender speaks plain http only",
            ));
        }
        let host = url.host_str().unwrap_or("127.0.0.1");
        let port = url.port_or_known_default().unwrap_or(80);
        // Nothing has left until the connection exists: a refusal here is "not sent".
        let mut stream = TcpStream::connect((host, port))
            .await
            .map_err(|e| SendError::not_sent(format!("connect: {e}")))?;

        let mut head = String::new();
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let _ = write!(
            head,
            "{} {target} HTTP/1.1\r\nhost: {host}:{port}\r\n",
            request.method()
        );
        for (name, value) in request.headers() {
            let _ = write!(head, "{name}: {}\r\n", value.to_str().unwrap_or_default());
        }
        let body = request.body_bytes();
        let _ = write!(
            head,
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        // From the first byte written on, the provider may act: failures are "lost".
        let lost = |e: std::io::Error| SendError::connection_lost(e.to_string());
        stream.write_all(head.as_bytes()).await.map_err(lost)?;
        stream.write_all(body).await.map_err(lost)?;

        // Read the whole answer (the server closes the connection), never past the limit
        // plus room for the head.
        let mut received = Vec::new();
        let cap = limit.saturating_add(64 * 1024);
        let mut chunk = [0u8; 8192];
        loop {
            let n = stream.read(&mut chunk).await.map_err(lost)?;
            if n == 0 {
                break;
            }
            received.extend_from_slice(chunk.get(..n).unwrap_or_default());
            if received.len() > cap {
                return Err(SendError::too_large(0, limit));
            }
        }
        parse_answer(&received, limit)
    }
}

/// Splits a complete HTTP/1.1 answer (no chunked encoding: the sandbox sends lengths)
/// into status, headers and body.
fn parse_answer(received: &[u8], limit: usize) -> Result<HttpAnswer, SendError> {
    let broken = |what: &str| SendError::connection_lost(format!("malformed answer: {what}"));
    let end = received
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| broken("no end of headers"))?;
    let head = std::str::from_utf8(received.get(..end).unwrap_or_default())
        .map_err(|_| broken("headers are not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| broken("no status line"))?;
    let mut headers = pagos::transport::HeaderMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':')
            && let (Ok(name), Ok(value)) = (
                pagos::transport::HeaderName::from_bytes(name.trim().as_bytes()),
                pagos::transport::HeaderValue::from_str(value.trim()),
            )
        {
            headers.append(name, value);
        }
    }
    let body = received.get(end + 4..).unwrap_or_default();
    if body.len() > limit {
        return Err(SendError::too_large(status, limit));
    }
    Ok(HttpAnswer::new(status, Bytes::copy_from_slice(body)).with_headers(headers))
}

/// Starts the sandbox, builds a KashIO client whose transport sends through
/// [`TcpSender`], creates a payment through the unified trait and reads the invoice
/// back by running the `GetInvoice` endpoint value. Returns the lines it printed.
///
/// # Errors
/// Any error of the sandbox or the SDK, as text.
pub async fn demo() -> Result<Vec<String>, String> {
    let sandbox = pagos_sandbox::start(pagos_sandbox::SandboxConfig::default())
        .await
        .map_err(|e| e.to_string())?;
    let transport = Transport::builder()
        .sender(TcpSender)
        .build()
        .map_err(|e| e.to_string())?;
    let client = pagos::kashio::KashioClient::builder()
        .secret_key(sandbox.credentials().kashio_secret_key.clone())
        .base_url(sandbox.kashio_base_url())
        .map_err(|e| e.to_string())?
        .transport(transport)
        .build()
        .map_err(|e| e.to_string())?;

    let amount = Money::parse("1500.50", Currency::Pen).map_err(|e| e.to_string())?;
    let request = pagos::CreatePayment::builder(amount, "Zapatillas")
        .merchant_reference("order-1001")
        .payer_name("Ana Pérez")
        .payer_email("ana@example.com")
        .build()
        .map_err(|e| e.to_string())?;
    let created = client
        .create_payment(&request)
        .await
        .map_err(|e| e.to_string())?;
    let found = client
        .get_payment(&created.id)
        .await
        .map_err(|e| e.to_string())?;
    Ok(vec![
        format!(
            "created {} ({:?}) over a plain TCP sender",
            created.id, created.status
        ),
        format!("read back {} ({:?})", found.id, found.status),
        format!(
            "raw answer kept exactly: {}",
            found.raw.get().contains("1500.50")
        ),
    ])
}
