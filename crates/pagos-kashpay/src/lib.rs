//! pagos-kashpay (work in progress).
