//! Test-only crate. The tests live in `tests/e2e`, `tests/secrets` and `tests/limits`;
//! the library holds what other crates' tests share: [`hostile`], a scripted HTTP/1.1
//! server that behaves like a hostile provider (the CLI's tests use it too).

pub mod hostile;
