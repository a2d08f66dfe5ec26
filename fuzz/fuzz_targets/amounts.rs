//! Amounts: the fuzzer's bytes as an amount's JSON text (a number, or inside a string)
//! in every provider's lenient decimal fields. Whatever decodes must be exactly the
//! value the text says: text a `Decimal` cannot hold is refused, never rounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagos_core::Decimal;
use pagos_fuzz::canonical;

fn check(text: &str, decoded: Option<Decimal>) {
    let (Some(decoded), Some(expected)) = (decoded, canonical(text)) else {
        return;
    };
    // `pagos_core::wire::parse_decimal` refuses text a `Decimal` cannot hold, so
    // whatever decodes must be exactly the value written.
    assert_eq!(
        canonical(&decoded.to_string()),
        Some(expected),
        "{text:?} decoded as {decoded}"
    );
}

fuzz_target!(|body: &[u8]| {
    let _ = std::str::from_utf8(body).map(pagos_core::wire::parse_decimal);
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    if text.len() > 128 {
        return;
    }
    let quoted = serde_json::to_string(text).unwrap_or_default();
    for json in [text, quoted.as_str()] {
        let doc =
            format!(r#"{{"payment_id":"p","status":"ok","amount":{json},"discount":{json}}}"#);
        if let Ok(p) = serde_json::from_str::<pagos_khipu::PaymentsResponse>(&doc) {
            check(text, p.amount);
            check(text, p.discount);
        }
        if let Ok(b) = serde_json::from_str::<pagos_telepagos::AccountBalance>(&doc) {
            check(text, Some(b.amount));
        }
        if let Ok(t) = serde_json::from_str::<pagos_compropago::AccountTransaction>(&doc) {
            check(text, t.amount);
        }
        let invoice = format!(
            r#"{{"id":"i","created":"2020-06-07T23:46:11","currency":"PEN","status":"paid","amount":{json}}}"#
        );
        if let Ok(i) = serde_json::from_str::<pagos_kashio::Invoice>(&invoice) {
            check(text, Some(i.amount));
        }
    }
});
