//! pagos-khipu (work in progress).
