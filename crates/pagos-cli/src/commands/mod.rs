//! One module per top-level command.

pub mod compropago;
pub mod demo;
pub mod kashio;
pub mod kashpay;
pub mod khipu;
pub mod providers;
pub mod sandbox;
pub mod telepagos;
