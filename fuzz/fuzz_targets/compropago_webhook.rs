//! ComproPago's webhook parser: the (unsigned) order or charge JSON POSTed to the
//! merchant, bare or wrapped in `data`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_compropago::webhook::{self, Notification};

fuzz_target!(|body: &[u8]| {
    match webhook::parse(body) {
        Ok(Notification::Order { id, .. }) => assert!(!id.is_empty()),
        Ok(_) => {}
        Err(e) => {
            let _ = (e.to_string(), e.field());
        }
    }
});
