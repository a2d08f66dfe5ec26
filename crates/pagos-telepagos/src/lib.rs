//! pagos-telepagos (work in progress).
