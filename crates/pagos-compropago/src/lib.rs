//! pagos-compropago (work in progress).
