//! pagos facade (work in progress).
pub use pagos_core::*;
