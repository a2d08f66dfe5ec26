//! pagos-kashio (work in progress).
