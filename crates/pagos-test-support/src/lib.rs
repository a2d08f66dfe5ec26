//! What pagos' tests share, so no test file carries its own copy:
//!
//! - [`server`]: the one loopback HTTP/1.1 test server. It scripts answers per route,
//!   records every request before answering, and can behave like a hostile provider
//!   (drop the connection, hang, announce a gigabyte, stream forever, hold an answer
//!   behind a [`server::Gate`]).
//! - [`wire`]: helpers for socket-free wire tests of endpoint values: the one in-memory
//!   recording sender ([`wire::Recorder`], answering by route or from a closure that can
//!   also fail or hang) and [`wire::transport_with`] to hand it to a client, a quick
//!   transport, money and decimals from text, a `Response` from a fixture, a
//!   request's body as text, form pairs or JSON.
//!
//! - [`descriptor`]: the checks every provider's registry entry must pass.
//!
//! Test-only (`publish = false`); it depends on `pagos-core` and nothing else of pagos,
//! so every crate's tests can use it.

pub mod descriptor;
pub mod server;
pub mod wire;
