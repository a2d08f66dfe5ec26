//! Exact raw answers: `1500.50`, `0.10` and a 30-digit number survive byte for byte in
//! the answer's `raw`, in the answer serialized with serde, and in the unified
//! `Payment` the `PaymentProvider` trait returns.

use pagos_core::PaymentProvider;
use pagos_core::endpoint::Endpoint;
use pagos_kashio::{GetEvent, GetInvoice, ListInvoices, ListParams};

use crate::support::*;

const EXACT: [&str; 3] = ["1500.50", "0.10", "123456789012345678901234567890"];

/// An invoice whose amount is 1500.50, whose fees are 0.10, and whose extra member holds
/// a number no `Decimal` (nor `f64`) can hold exactly.
const INVOICE: &str = r#"{"id":"inv_raw_1","object":"invoice","created":"2020-06-07T23:46:11","currency":"PEN","amount":1500.50,"fees":0.10,"sub_total":1500.50,"status":"paid","extra":{"big":123456789012345678901234567890}}"#;

fn assert_exact(text: &str) {
    for exact in EXACT {
        assert!(text.contains(exact), "{exact} lost in {text}");
    }
}

#[tokio::test]
async fn an_invoice_keeps_its_numbers_exactly() {
    let invoice = GetInvoice::new("inv_raw_1")
        .parse(&ok::<GetInvoice>(INVOICE))
        .unwrap();
    assert_eq!(invoice.raw.get(), INVOICE);
    assert_exact(invoice.raw.get());
    let printed = serde_json::to_string(&invoice).unwrap();
    assert_exact(&printed);
    // The typed fields keep the digits they were read with.
    assert!(printed.contains(r#""amount":1500.50"#), "{printed}");
    assert!(printed.contains(r#""fees":0.10"#), "{printed}");

    // The unified payment, through the trait (one call, no socket).
    let (c, log) = fake_client(|_| (200, INVOICE.to_string()));
    let payment = c.get_payment("inv_raw_1").await.unwrap();
    assert_eq!(payment.raw.get(), INVOICE);
    assert_exact(&serde_json::to_string(&payment).unwrap());
    assert_eq!(payment.amount.unwrap().to_plain_string(), "1500.50");
    assert_eq!(log.count(), 1);
}

#[test]
fn a_page_and_its_items_keep_their_numbers_exactly() {
    let page_text = format!(r#"{{"object":"list","has_more":false,"data":[{INVOICE}]}}"#);
    let page = ListInvoices::new(ListParams::new())
        .parse(&ok::<ListInvoices>(&page_text))
        .unwrap();
    assert_eq!(page.raw.get(), page_text);
    assert_eq!(page.items[0].raw.get(), INVOICE);
    assert_exact(&serde_json::to_string(&page).unwrap());
    assert_exact(&serde_json::to_string(&page.items[0]).unwrap());
}

#[test]
fn an_event_keeps_its_numbers_exactly() {
    let text = r#"{"id":"eve_1","created":"2017-01-31T14:24:59","type":"invoice.paid","data":{"invoice":{"id":"inv_1","amount":1500.50,"fees":0.10,"big":123456789012345678901234567890}}}"#;
    let event = GetEvent::new("eve_1").parse(&ok::<GetEvent>(text)).unwrap();
    assert_eq!(event.raw.get(), text);
    assert_exact(event.data.as_ref().unwrap().get());
    assert_exact(&serde_json::to_string(&event).unwrap());
}
