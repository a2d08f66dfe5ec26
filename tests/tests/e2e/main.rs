//! End-to-end tests: every provider through the `pagos` facade against the sandbox,
//! injected faults, and a custom provider next to the built-in ones.

mod custom_provider;
mod faults;
mod lifecycle;
mod secrets;
mod support;
