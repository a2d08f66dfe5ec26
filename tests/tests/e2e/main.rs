//! End-to-end tests: every provider through the `pagos` facade against the sandbox,
//! injected faults, and a custom provider next to the built-in ones.

mod bad_input;
mod currency_tables;
mod custom_provider;
mod decoders;
mod fault_matrix;
mod faults;
mod hostile;
#[path = "../shared/khipu_receiver.rs"]
mod khipu_receiver;
mod lifecycle;
mod support;
mod totality;
