//! pagos-sandbox (work in progress).
