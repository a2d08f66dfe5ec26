//! Khipu's notification parser: the unsigned form body POSTed to `notify_url`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_khipu::Notification;

fuzz_target!(|body: &[u8]| {
    match Notification::parse(body) {
        Ok(n) => {
            assert_eq!(n.api_version, "1.3");
            assert!(!n.notification_token.is_empty());
            assert_eq!(n.notification_token.trim(), n.notification_token);
        }
        Err(e) => {
            let _ = (e.to_string(), e.should_retry(), e.check());
        }
    }
});
