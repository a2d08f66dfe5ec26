//! Events: the described requests, the API document's examples decoded, the stream,
//! and the confirmation of a notified event (two fetches, no socket).

use futures_util::{StreamExt, TryStreamExt};
use pagos_core::endpoint::Endpoint;
use pagos_core::{Request, UnknownCause};
use pagos_kashio::{
    ConfirmCheck, ConfirmError, Event, EventStatus, EventType, ExpectedInvoice, GetEvent,
    InvoiceStatus, ListEvents, ListParams,
};
use pagos_test_support::wire::query_values;
use serde_json::{Value, json};
use time::macros::{date, datetime};

use crate::support::*;

#[tokio::test]
async fn get_event_uses_the_events_path() {
    let endpoint = GetEvent::new("eve_6hxCf5yj6jAHep3");
    let req = client().executor().authorized(&endpoint).await.unwrap();
    assert_eq!(req.method().as_str(), "GET");
    assert_eq!(req.url().path(), path("/events/eve_6hxCf5yj6jAHep3"));
    assert_eq!(req.header_str("authorization"), Some(AUTH));
    assert_eq!(req.header_str("accept"), Some("application/json"));
    assert_eq!(req.header_str("content-type"), None);
    assert_eq!(req.query_str(), None);

    let event = endpoint.parse(&ok::<GetEvent>(EVENT_RESPONSE)).unwrap();
    assert_eq!(event.id, "eve_6hxCf5yj6jAHep3JUJZrmm");
    assert_eq!(event.object.as_deref(), Some("event"));
    assert_eq!(event.livemode, Some(false));
    assert_eq!(event.created, datetime!(2017-01-31 14:24:59));
    assert_eq!(event.event_type, EventType::InvoicePaid);
    assert_eq!(event.status, Some(EventStatus::New));
    assert_eq!(
        event.invoice_id().as_deref(),
        Some("inv_QokikJOvBiI2HlWgH4olfQ2")
    );
    let data: Value = serde_json::from_str(event.data.as_ref().unwrap().get()).unwrap();
    assert_eq!(data["url"], "//invoices/inv_QokikJOvBiI2HlWgH4olfQ2");
    assert_eq!(event.raw.get(), EVENT_RESPONSE.trim());
}

#[tokio::test]
async fn the_seed_event_example_verbatim_is_not_json() {
    // The API document elides members with "…": a body like that is undecodable, and the
    // raw text is kept.
    let err = unknown_err(
        GetEvent::new("eve_1")
            .parse(&ok::<GetEvent>(EVENT_RESPONSE_SEED))
            .unwrap_err(),
    );
    assert_eq!(err.cause, UnknownCause::UndecodableResponse);
    assert_eq!(err.raw_body.as_deref(), Some(EVENT_RESPONSE_SEED));
    let err = unknown_err(
        ListEvents::new(ListParams::new())
            .parse(&ok::<ListEvents>(EVENT_LIST_RESPONSE_SEED))
            .unwrap_err(),
    );
    assert_eq!(err.raw_body.as_deref(), Some(EVENT_LIST_RESPONSE_SEED));
}

#[tokio::test]
async fn list_events() {
    let endpoint = ListEvents::new(
        ListParams::new()
            .date(date!(2017 - 05 - 30))
            .status("notified")
            .limit(10),
    );
    let req = client().executor().authorized(&endpoint).await.unwrap();
    assert_eq!(req.method().as_str(), "GET");
    assert_eq!(req.url().path(), path("/events"));
    assert_eq!(req.header_str("authorization"), Some(AUTH));
    assert_eq!(req.header_str("accept"), Some("application/json"));
    assert_eq!(
        req.query_str(),
        Some("date=2017-05-30&status=notified&limit=10")
    );

    let page = endpoint
        .parse(&ok::<ListEvents>(EVENT_LIST_RESPONSE))
        .unwrap();
    assert!(!page.has_more);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].event_type, EventType::InvoicePaid);
    assert_eq!(
        page.items[0].invoice_id().as_deref(),
        Some("inv_QokikJOvBiI2HlWgH4olfQ2")
    );
    assert!(page.raw.get().contains(page.items[0].raw.get()));
}

#[tokio::test]
async fn events_stream_walks_pages() {
    let event = |id: &str| {
        json!({"id": id, "object": "event", "created": "2017-01-31T14:24:59",
               "type": "invoice.expired", "status": "FAILED",
               "data": {"url": "//invoices/inv_x"}})
    };
    let (c, log) = fake_client(move |r| {
        assert_eq!(r.url().path(), path("/events"));
        let body = match query_values(r, "starting_after")
            .first()
            .map(String::as_str)
        {
            None => {
                json!({"object": "list", "has_more": true, "data": [event("eve_1"), event("eve_2")]})
            }
            Some("eve_2") => {
                assert_eq!(query_values(r, "start"), ["eve_2"]);
                json!({"object": "list", "has_more": false, "data": [event("eve_3")]})
            }
            Some(other) => panic!("unexpected cursor {other}"),
        };
        (200, body.to_string())
    });
    let events: Vec<Event> = c
        .events()
        .stream(ListParams::new())
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["eve_1", "eve_2", "eve_3"]);
    assert_eq!(events[0].event_type, EventType::InvoiceExpired);
    assert_eq!(events[0].status, Some(EventStatus::Failed));
    assert_eq!(log.count(), 2);
}

/// The invoice KashIO's documented event example points to, as a paid 15.00 PEN
/// invoice numbered `invoice_id`; and the event itself.
fn seed_event_and_paid_invoice(invoice_id: &'static str) -> impl Fn(&Request) -> (u16, String) {
    move |r| {
        assert_eq!(r.header_str("authorization"), Some(AUTH));
        assert_eq!(r.method().as_str(), "GET");
        match r.url().path() {
            p if p == path("/events/eve_6hxCf5yj6jAHep3JUJZrmm") => {
                (200, EVENT_RESPONSE.to_string())
            }
            p if p == path("/invoices/inv_QokikJOvBiI2HlWgH4olfQ2") => (
                200,
                json!({
                    "id": "inv_QokikJOvBiI2HlWgH4olfQ2", "object": "invoice",
                    "created": "2017-01-31T14:20:00", "currency": "PEN", "amount": 15.0,
                    "invoice_id": invoice_id, "status": "PAID"
                })
                .to_string(),
            ),
            other => (404, format!(r#"{{"message":"no route {other}"}}"#)),
        }
    }
}

const EVENT_PATH: &str = "/events/eve_6hxCf5yj6jAHep3JUJZrmm";
const INVOICE_PATH: &str = "/invoices/inv_QokikJOvBiI2HlWgH4olfQ2";

#[tokio::test]
async fn confirm_event_fetches_the_event_then_its_invoice() {
    let (c, log) = fake_client(seed_event_and_paid_invoice("INV-9"));
    for expected in [
        ExpectedInvoice::by_invoice_id(pen("15"), "INV-9"),
        ExpectedInvoice::by_id(pen("15.00"), "inv_QokikJOvBiI2HlWgH4olfQ2"),
    ] {
        let confirmed = c
            .events()
            .confirm("eve_6hxCf5yj6jAHep3JUJZrmm", &expected)
            .await
            .unwrap();
        assert_eq!(confirmed.event.event_type, EventType::InvoicePaid);
        assert_eq!(confirmed.invoice.id, "inv_QokikJOvBiI2HlWgH4olfQ2");
        assert_eq!(confirmed.invoice.status, InvoiceStatus::Paid);
        // Both parts keep their answers.
        assert_eq!(confirmed.event.raw.get(), EVENT_RESPONSE.trim());
        assert!(confirmed.invoice.raw.get().contains(r#""status":"PAID""#));
    }
    assert_eq!(log.count_of("GET", &path(EVENT_PATH)), 2);
    assert_eq!(log.count_of("GET", &path(INVOICE_PATH)), 2);
    assert_eq!(log.count(), 4);
}

#[tokio::test]
async fn a_paid_event_for_another_invoice_of_the_same_amount_is_refused() {
    // A real, paid 15.00 PEN invoice: but the merchant's INV-9, not INV-1.
    let (c, log) = fake_client(seed_event_and_paid_invoice("INV-9"));
    let events = c.events();
    let e = events
        .confirm(
            "eve_6hxCf5yj6jAHep3JUJZrmm",
            &ExpectedInvoice::by_invoice_id(pen("15"), "INV-1"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(ConfirmCheck::InvoiceId), "{e:?}");
    assert_eq!(
        e.to_string(),
        "KashIO event: invoice_id check failed: expected INV-1, got INV-9"
    );
    assert!(!e.should_retry());
    // Expecting KashIO's id, the event itself names another invoice: not even fetched.
    let e = events
        .confirm(
            "eve_6hxCf5yj6jAHep3JUJZrmm",
            &ExpectedInvoice::by_id(pen("15"), "inv_another"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(ConfirmCheck::Id), "{e:?}");
    // The right invoice for another amount is refused too.
    let e = events
        .confirm(
            "eve_6hxCf5yj6jAHep3JUJZrmm",
            &ExpectedInvoice::by_invoice_id(pen("150"), "INV-9"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(ConfirmCheck::Amount), "{e:?}");
    assert_eq!(log.count_of("GET", &path(EVENT_PATH)), 3);
    assert_eq!(log.count_of("GET", &path(INVOICE_PATH)), 2);
}

#[tokio::test]
async fn confirm_event_without_an_invoice_fetches_nothing_else() {
    let (c, log) = fake_client(|r| {
        assert_eq!(r.url().path(), path("/events/eve_2"));
        (
            200,
            json!({
                "id": "eve_2", "created": "2017-01-31T14:24:59",
                "type": "transfer.sent", "data": {"url": "//transfers/tr_1"}
            })
            .to_string(),
        )
    });
    let e = c
        .events()
        .confirm("eve_2", &ExpectedInvoice::by_invoice_id(pen("15"), "INV-9"))
        .await
        .unwrap_err();
    assert_eq!(e.check(), Some(ConfirmCheck::Invoice), "{e:?}");
    assert_eq!(log.count(), 1);
}

#[tokio::test]
async fn invalid_lists_and_event_ids_are_not_sent() {
    let (c, log) = catch_all();
    for (params, field) in [
        (ListParams::new().limit(0), "limit"),
        (
            ListParams::new().starting_after("a").ending_before("b"),
            "ending_before",
        ),
        (ListParams::new().starting_after(""), "starting_after"),
        (ListParams::new().status(" "), "status"),
    ] {
        let err = c.invoices().list(params.clone()).await.unwrap_err();
        assert_eq!(err.validation_field(), Some(field));
        let err = c.events().list(params).await.unwrap_err();
        assert_eq!(err.validation_field(), Some(field));
    }
    let err = c.events().get("").await.unwrap_err();
    assert_eq!(err.validation_field(), Some("event_id"));
    let expected = ExpectedInvoice::by_invoice_id(pen("15"), "INV-9");
    match c.events().confirm("  ", &expected).await {
        Err(ConfirmError::Invalid(v)) => assert_eq!(v.field(), "event_id"),
        other => panic!("expected the event id to be refused, got {other:?}"),
    }
    let blank = ExpectedInvoice::by_id(pen("15"), "");
    match c.events().confirm("eve_1", &blank).await {
        Err(ConfirmError::Invalid(v)) => assert_eq!(v.field(), "expected.id"),
        other => panic!("expected the expectation to be refused, got {other:?}"),
    }
    // The stream walks forward only.
    let items: Vec<_> = c
        .invoices()
        .stream(ListParams::new().ending_before("inv_9"))
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().validation_field(),
        Some("ending_before")
    );
    let items: Vec<_> = c
        .events()
        .stream(ListParams::new().limit(0))
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().validation_field(),
        Some("limit")
    );
    assert_eq!(log.count(), 0);
}
