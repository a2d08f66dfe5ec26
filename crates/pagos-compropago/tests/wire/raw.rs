//! Exact raw answers: amounts and long numbers keep their text in every answer's
//! `raw`, in the serialized answer and in the unified `Payment`.

use pagos_compropago::{
    ClabeCustomer, CreateClabe, Frequency, GetOrder, ListAccountTransactions, PROVIDER,
};
use pagos_core::{Payment, PaymentProvider};

use crate::*;

const EXACT: [&str; 3] = ["1500.50", "0.10", "123456789012345678901234567890"];

/// An order of 1500.50 MXN with a fee of 0.10 and a 30-digit number in a field the SDK
/// does not model.
const ORDER: &str = r#"{"id":"ch_exact","shortId":"EXACT1","status":"PENDING",
  "product":{"id":"P-1","price":1500.50,"name":"Exacto","currency":"MXN"},
  "payment":{"type":"SPEI","fee":0.10,"iva":0.02,"clabe":"646180146400219781"},
  "extras":{"folio":123456789012345678901234567890}}"#;

fn assert_exact(text: &str) {
    for exact in EXACT {
        assert!(text.contains(exact), "{exact} not kept in {text}");
    }
}

#[tokio::test]
async fn an_order_keeps_every_digit_in_raw_in_serde_and_in_the_unified_payment() {
    for body in [ORDER.to_string(), wrapped("orders.get", ORDER)] {
        let order = parse(&GetOrder::new("ch_exact"), body.clone()).unwrap();
        assert_eq!(order.raw.get(), ORDER);
        assert_exact(order.raw.get());
        assert_eq!(order.product.price, Some(dec("1500.50")));
        assert_eq!(order.payment.fee.unwrap().to_string(), "0.10");
        assert_exact(&serde_json::to_string(&order).unwrap());

        let payment = Payment::from(&order);
        assert_eq!(payment.provider, PROVIDER);
        assert_exact(payment.raw.get());
        assert_exact(&serde_json::to_string(&payment).unwrap());
        assert_eq!(Payment::from(order).raw.get(), ORDER);

        // The trait's path: one call through the scripted sender.
        let script = Recorder::answering(200, body);
        let payment = scripted(&script).get_payment("ch_exact").await.unwrap();
        assert_eq!(script.calls(), 1);
        assert_eq!(payment.raw.get(), ORDER);
        assert_exact(&serde_json::to_string(&payment).unwrap());
    }
}

#[test]
fn listings_and_clabes_keep_every_digit() {
    let items = r#"[{"id":"t1","date":"1564003560","amount":1500.50,"status":"paid"},
      {"id":"t2","date":"1564003560","amount":-0.10,"reference":123456789012345678901234567890}]"#;
    let page = parse(
        &ListAccountTransactions::new("186"),
        wrapped("orders.get_transactions", items),
    )
    .unwrap();
    assert_exact(page.raw.get());
    assert_exact(&serde_json::to_string(&page).unwrap());
    assert!(page.items[0].raw.get().contains("1500.50"));
    assert!(page.items[1].raw.get().contains("-0.10"));
    assert!(
        page.items[1]
            .raw
            .get()
            .contains("123456789012345678901234567890")
    );
    assert_eq!(
        page.items[1].reference.as_deref(),
        Some("123456789012345678901234567890")
    );

    let clabe = parse(
        &CreateClabe::new(ClabeCustomer::new("1", "a@b.mx"), Frequency::Unlimited),
        wrapped(
            "orders.createClabe",
            r#"{"customer":{"id":"1"},"payment":{"clabe":"646180146400219781","amount":1500.50},"fee":0.10,"folio":123456789012345678901234567890}"#,
        ),
    )
    .unwrap();
    assert_eq!(clabe.payment.amount, Some(dec("1500.50")));
    assert_exact(clabe.raw.get());
    assert_exact(&serde_json::to_string(&clabe).unwrap());
}
