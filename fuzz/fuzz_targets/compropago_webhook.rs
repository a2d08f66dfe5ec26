//! ComproPago's webhook parser: the (unsigned) order or charge JSON POSTed to the
//! merchant, bare or wrapped in `data`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_compropago::webhook::{self, Notification, TEST_PING_SHORT_ID};

fuzz_target!(|body: &[u8]| {
    let parsed = webhook::parse(body);
    match &parsed {
        Ok(Notification::Order { id, short_id }) => {
            // The id is what `confirm_webhook` fetches: never blank, never padded.
            assert!(!id.is_empty());
            assert_eq!(id.trim(), id);
            // A ping is never mistaken for an order.
            assert_ne!(short_id.as_deref(), Some(TEST_PING_SHORT_ID));
        }
        Ok(_) => {}
        Err(e) => {
            assert!(matches!(e.field(), "webhook.body" | "webhook.id"), "{e}");
            let _ = e.to_string();
        }
    }
    // Only JSON is ever accepted.
    if parsed.is_ok() {
        assert!(serde_json::from_slice::<serde_json::Value>(body).is_ok());
    }
});
