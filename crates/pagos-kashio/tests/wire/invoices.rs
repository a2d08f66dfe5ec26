//! Invoices: every endpoint's described request against KashIO's API document, its
//! examples decoded, and the stream walked without a socket.

use futures_util::{StreamExt, TryStreamExt};
use pagos_core::endpoint::Endpoint;
use pagos_core::{Currency, Error, Money, UnknownCause};
use pagos_kashio::{
    CreateInvoice, Customer, GetInvoice, Invoice, InvoiceStatus, InvoiceUpdate, KashioClient,
    ListInvoices, ListParams, NewInvoice, SubMerchant, UpdateInvoice, VoidInvoice, kashio_datetime,
};
use pagos_test_support::wire::{body_text, dec, json_body, query_pairs, query_values};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use time::macros::{date, datetime};

use crate::support::*;

#[tokio::test]
async fn create_invoice_sends_the_seed_body_and_decodes_the_seed_answer() {
    let endpoint = CreateInvoice::new(seed_invoice());
    let req = client().executor().authorized(&endpoint).await.unwrap();
    assert_eq!(req.method().as_str(), "POST");
    assert_eq!(req.url().path(), path("/invoices"));
    assert_eq!(req.query_str(), None);
    assert_eq!(req.header_str("authorization"), Some(AUTH));
    assert_eq!(req.header_str("content-type"), Some("application/json"));
    assert_eq!(req.header_str("accept"), Some("application/json"));
    let expected_body: Value = serde_json::from_str(CREATE_REQUEST).unwrap();
    assert_eq!(json_body(&req), expected_body);
    // Exactly two decimals, as a JSON number.
    assert!(body_text(&req).contains(r#""amount":15.00,"#));
    assert!(body_text(&req).contains(r#""request_datetime":"2020-01-01T05:00:00""#));

    let invoice = endpoint
        .parse(&ok::<CreateInvoice>(CREATE_RESPONSE))
        .unwrap();
    assert_eq!(invoice.id, "inv_live_oFPMsJmgmxBhPiWAoWFZ3n");
    assert_eq!(invoice.object.as_deref(), Some("invoice"));
    assert_eq!(invoice.livemode, Some(false));
    assert_eq!(invoice.amount, dec("15.0"));
    assert_eq!(invoice.money(), Some(pen("15.00")));
    assert_eq!(invoice.currency, "PEN");
    assert_eq!(invoice.created, datetime!(2020-01-01 23:33:36));
    assert_eq!(invoice.due_datetime, Some(datetime!(2020-01-02 04:59:59)));
    assert_eq!(
        invoice.expiration_datetime,
        Some(datetime!(2020-02-01 05:00:00))
    );
    assert_eq!(invoice.request_datetime, None);
    assert_eq!(invoice.fees, Some(dec("0.0")));
    assert_eq!(invoice.late_fee, Some(Decimal::ZERO));
    assert_eq!(invoice.sub_total, Some(dec("15.0")));
    assert_eq!(invoice.invoice_id.as_deref(), Some("INV-000001-001"));
    assert_eq!(invoice.ktin.as_deref(), Some("201590965569"));
    assert_eq!(invoice.token.as_deref(), Some("E9e866w3BZRpmMEu5bgLCi"));
    assert_eq!(invoice.status, InvoiceStatus::Pending); // "NEW"
    let customer = invoice.customer.as_ref().unwrap();
    assert_eq!(customer.name.as_deref(), Some("JUAN PEREZ"));
    assert_eq!(customer.email.as_deref(), Some("juan.perez.xxx@gmail.com"));
    assert_eq!(customer.phone.as_deref(), Some("+13055606666"));
    assert_eq!(customer.document_id.as_deref(), Some("10203040"));
    assert_eq!(customer.document_type.as_deref(), Some("DNI"));
    assert_eq!(customer.external_id.as_deref(), Some("CUS-10203040-001"));
    let metadata = invoice.metadata.as_ref().unwrap();
    assert_eq!(metadata["order_id"], "000001-001");
    assert_eq!(metadata["order_name"], "Deuda Enero 2019");
    // The exact JSON is kept.
    assert_eq!(invoice.raw.get(), CREATE_RESPONSE.trim());
}

#[tokio::test]
async fn create_invoice_minimal_body_omits_optional_members() {
    let invoice = NewInvoice::builder(
        "INV-2",
        Money::parse("7.5", Currency::Usd).unwrap(),
        Customer::new().email("ana@example.pe"),
    )
    .request_datetime(datetime!(2024-05-01 12:00:00))
    .build()
    .unwrap();
    let req = client()
        .executor()
        .authorized(&CreateInvoice::new(invoice))
        .await
        .unwrap();
    assert_eq!(req.method().as_str(), "POST");
    assert_eq!(req.url().path(), path("/invoices"));
    assert_eq!(
        json_body(&req),
        json!({
            "customer": {"email": "ana@example.pe"},
            "invoice_id": "INV-2",
            "request_datetime": "2024-05-01T12:00:00",
            "amount": 7.50,
            "currency": "USD"
        })
    );
    assert!(body_text(&req).contains(r#""amount":7.50"#));
}

#[tokio::test]
async fn get_invoice() {
    let endpoint = GetInvoice::new("inv_live_ngMCEhfsgVUUsePqZXpcpB");
    let req = client().executor().authorized(&endpoint).await.unwrap();
    assert_eq!(req.method().as_str(), "GET");
    assert_eq!(
        req.url().path(),
        path("/invoices/inv_live_ngMCEhfsgVUUsePqZXpcpB")
    );
    assert_eq!(req.header_str("authorization"), Some(AUTH));
    assert_eq!(req.header_str("accept"), Some("application/json"));
    assert_eq!(req.header_str("content-type"), None);
    assert_eq!(req.query_str(), None);
    assert!(req.body_bytes().is_empty());
    assert!(!req.idempotency().changes_state());

    let invoice = endpoint.parse(&ok::<GetInvoice>(GET_RESPONSE)).unwrap();
    assert_eq!(invoice.id, "inv_live_oFPMsJmgmxBhPiWAoWFZ3n");
    assert_eq!(invoice.status, InvoiceStatus::Pending);
    assert_eq!(invoice.amount, dec("15.0"));
    assert_eq!(invoice.raw.get(), GET_RESPONSE.trim());
}

#[tokio::test]
async fn get_invoice_percent_encodes_the_id() {
    let req = client()
        .executor()
        .authorized(&GetInvoice::new("a/../b?c"))
        .await
        .unwrap();
    assert_eq!(req.url().path(), path("/invoices/a%2F..%2Fb%3Fc"));
    assert_eq!(req.query_str(), None);
}

#[tokio::test]
async fn void_invoice() {
    let endpoint = VoidInvoice::new("inv_6hxCf5yj6jAHep3JUJZrmm");
    let req = client().executor().authorized(&endpoint).await.unwrap();
    assert_eq!(req.method().as_str(), "DELETE");
    assert_eq!(
        req.url().path(),
        path("/invoices/inv_6hxCf5yj6jAHep3JUJZrmm")
    );
    assert_eq!(req.header_str("authorization"), Some(AUTH));
    assert_eq!(req.header_str("accept"), Some("application/json"));
    assert_eq!(req.header_str("content-type"), None);
    assert_eq!(req.query_str(), None);
    assert_eq!(req.body_bytes(), b"");
    // A void resent after a lost answer is refused although it worked: sent once.
    assert!(!req.idempotency().is_safe_to_repeat());

    let invoice = endpoint.parse(&ok::<VoidInvoice>(VOID_RESPONSE)).unwrap();
    assert_eq!(invoice.status, InvoiceStatus::Voided); // "VOIDED"
    assert_eq!(invoice.amount, dec("25.00")); // sent as a string
    assert_eq!(invoice.money(), Some(pen("25")));
    assert_eq!(invoice.created, datetime!(2017-01-31 14:24:59));
    assert_eq!(
        invoice.request_datetime,
        Some(datetime!(2017-01-31 14:24:59))
    );
    assert_eq!(
        invoice.expiration_datetime,
        Some(datetime!(2017-02-01 14:24:59))
    );
    assert_eq!(invoice.qr_code.as_deref(), Some("6hxCf5yj6jAHep3JUJZrmm"));
    assert_eq!(invoice.ktin.as_deref(), Some("1234567890"));
    assert_eq!(invoice.invoice_id.as_deref(), Some("ABCD1234567890"));
    assert_eq!(invoice.fees, None);
    let customer = invoice.customer.unwrap();
    assert_eq!(customer.phone.as_deref(), Some("+519996666"));
    assert_eq!(customer.email.as_deref(), Some("maria.viera22@gmail.com"));
    assert_eq!(customer.name, None);
}

#[tokio::test]
async fn update_invoice_amount_sends_only_updatable_fields() {
    let endpoint = UpdateInvoice::new(
        "inv_6hxCf5yj6jAHep3",
        InvoiceUpdate::new().amount(pen("25")),
    );
    let req = client().executor().authorized(&endpoint).await.unwrap();
    assert_eq!(req.method().as_str(), "PATCH");
    assert_eq!(req.url().path(), path("/invoices/inv_6hxCf5yj6jAHep3"));
    assert_eq!(req.header_str("authorization"), Some(AUTH));
    assert_eq!(req.header_str("content-type"), Some("application/json"));
    assert_eq!(req.header_str("accept"), Some("application/json"));
    assert_eq!(req.query_str(), None);
    assert_eq!(body_text(&req), r#"{"amount":25.00,"currency":"PEN"}"#);

    let invoice = endpoint
        .parse(&ok::<UpdateInvoice>(UPDATE_RESPONSE))
        .unwrap();
    assert_eq!(invoice.id, "inv_cert_5TUVNBFGQHtQrPvXvZPaA9");
    assert_eq!(invoice.amount, dec("23.32"));
    assert_eq!(invoice.sub_total, Some(dec("23.32")));
    assert_eq!(invoice.ktin.as_deref(), Some("201590965587"));
    assert_eq!(invoice.created, datetime!(2020-06-07 23:46:11));
    assert_eq!(invoice.status, InvoiceStatus::Pending);
    assert_eq!(invoice.customer.unwrap().external_id, None);
    // Tabs included: the document's text as it is.
    assert_eq!(invoice.raw.get(), UPDATE_RESPONSE.trim());
}

#[tokio::test]
async fn update_invoice_expiration_and_amount() {
    let c = client();
    let req = c
        .executor()
        .authorized(&UpdateInvoice::new(
            "inv_1",
            InvoiceUpdate::new()
                .amount(Money::parse("9.9", Currency::Usd).unwrap())
                .expiration_datetime(datetime!(2020-03-01 05:00:00)),
        ))
        .await
        .unwrap();
    assert_eq!(req.method().as_str(), "PATCH");
    assert_eq!(req.url().path(), path("/invoices/inv_1"));
    assert_eq!(req.header_str("content-type"), Some("application/json"));
    assert_eq!(
        json_body(&req),
        json!({
            "amount": 9.90,
            "currency": "USD",
            "expiration_datetime": "2020-03-01T05:00:00"
        })
    );
    assert!(body_text(&req).contains(r#""amount":9.90"#));
    let only_expiration = c
        .executor()
        .authorized(&UpdateInvoice::new(
            "inv_2",
            InvoiceUpdate::new().expiration_datetime(datetime!(2020-03-01 05:00:00)),
        ))
        .await
        .unwrap();
    assert_eq!(only_expiration.url().path(), path("/invoices/inv_2"));
    assert_eq!(
        body_text(&only_expiration),
        r#"{"expiration_datetime":"2020-03-01T05:00:00"}"#
    );
}

#[tokio::test]
async fn list_invoices_with_the_seed_query() {
    let endpoint = ListInvoices::new(ListParams::new().date(date!(2017 - 05 - 30)));
    let req = client().executor().authorized(&endpoint).await.unwrap();
    assert_eq!(req.method().as_str(), "GET");
    assert_eq!(req.url().path(), path("/invoices"));
    assert_eq!(req.header_str("authorization"), Some(AUTH));
    assert_eq!(req.header_str("accept"), Some("application/json"));
    assert_eq!(req.header_str("content-type"), None);
    assert_eq!(req.query_str(), Some("date=2017-05-30"));

    let page = endpoint.parse(&ok::<ListInvoices>(LIST_RESPONSE)).unwrap();
    assert!(!page.has_more);
    assert_eq!(page.raw.to_value().unwrap()["object"], "list");
    assert_eq!(page.raw.get(), LIST_RESPONSE.trim());
    assert_eq!(page.items.len(), 1);
    let invoice = &page.items[0];
    assert_eq!(invoice.id, "inv_cert_5TUVNBFGQHtQrPvXvZPaA9");
    // A space instead of the T.
    assert_eq!(invoice.created, datetime!(2020-06-07 23:46:11));
    assert_eq!(
        invoice.request_datetime,
        Some(datetime!(2020-06-07 23:46:11))
    );
    assert_eq!(invoice.status, InvoiceStatus::Pending); // "new"
    assert_eq!(invoice.customer, Some(Customer::default())); // {}
    assert_eq!(invoice.fees, None);
    assert_eq!(invoice.late_fee, Some(Decimal::ZERO));
    assert_eq!(invoice.ktin.as_deref(), Some("59965587"));
    // Each item keeps its own part of the page.
    assert!(invoice.raw.get().starts_with('{'));
    assert!(page.raw.get().contains(invoice.raw.get()));
    assert_eq!(
        page.items.last().map(|i| i.id.as_str()),
        Some("inv_cert_5TUVNBFGQHtQrPvXvZPaA9")
    );
}

#[tokio::test]
async fn list_invoices_with_every_filter_and_a_forward_cursor() {
    let req = client()
        .executor()
        .authorized(&ListInvoices::new(
            ListParams::new()
                .date(date!(2020 - 06 - 07))
                .status(InvoiceStatus::Paid.as_str())
                .limit(100)
                .starting_after("inv_a"),
        ))
        .await
        .unwrap();
    assert_eq!(req.method().as_str(), "GET");
    assert_eq!(req.url().path(), path("/invoices"));
    // Each cursor under both documented names (see `ListParams`), nothing else.
    assert_eq!(
        query_pairs(&req),
        [
            ("date", "2020-06-07"),
            ("status", "paid"),
            ("limit", "100"),
            ("start", "inv_a"),
            ("starting_after", "inv_a"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    );
    assert!(query_values(&req, "end").is_empty());
    assert!(query_values(&req, "ending_before").is_empty());
}

#[tokio::test]
async fn list_invoices_with_a_backward_cursor() {
    let endpoint = ListInvoices::new(ListParams::new().ending_before("inv_z"));
    let req = client().executor().authorized(&endpoint).await.unwrap();
    assert_eq!(req.url().path(), path("/invoices"));
    assert_eq!(req.query_str(), Some("end=inv_z&ending_before=inv_z"));
    assert!(query_values(&req, "start").is_empty());
    assert!(query_values(&req, "starting_after").is_empty());
    let page = endpoint.parse(&ok::<ListInvoices>(LIST_RESPONSE)).unwrap();
    assert_eq!(
        page.items.first().map(|i| i.id.as_str()),
        Some("inv_cert_5TUVNBFGQHtQrPvXvZPaA9")
    );
}

/// Three pages of two, two and one paid invoices, by `starting_after`.
fn three_pages(r: &pagos_core::Request) -> (u16, String) {
    assert_eq!(r.header_str("authorization"), Some(AUTH));
    assert_eq!(r.url().path(), path("/invoices"));
    let cursor = query_values(r, "starting_after");
    // Both names, the same value.
    assert_eq!(cursor, query_values(r, "start"), "{:?}", r.query_str());
    let body = match cursor.first().map(String::as_str) {
        None => page_json(&["inv_1", "inv_2"], true),
        Some("inv_2") => page_json(&["inv_3", "inv_4"], true),
        Some("inv_4") => page_json(&["inv_5"], false),
        Some(other) => panic!("unexpected cursor {other}"),
    };
    (200, body)
}

#[tokio::test]
async fn invoices_stream_walks_three_pages_one_at_a_time() {
    let (c, log) = fake_client(|r| {
        assert_eq!(query_values(r, "status"), ["paid"]);
        assert_eq!(query_values(r, "limit"), ["2"]);
        three_pages(r)
    });
    let mut stream = c
        .invoices()
        .stream(ListParams::new().status("paid").limit(2));
    // Pages are fetched lazily, one at a time.
    assert_eq!(log.count(), 0);
    assert_eq!(stream.next().await.unwrap().unwrap().id, "inv_1");
    assert_eq!(log.count(), 1);
    assert!(query_values(&log.last(), "starting_after").is_empty());
    assert_eq!(stream.next().await.unwrap().unwrap().id, "inv_2");
    assert_eq!(log.count(), 1);
    assert_eq!(stream.next().await.unwrap().unwrap().id, "inv_3");
    assert_eq!(log.count(), 2);
    assert_eq!(query_values(&log.last(), "starting_after"), ["inv_2"]);
    let rest: Vec<String> = stream.map_ok(|i| i.id).try_collect().await.unwrap();
    assert_eq!(rest, ["inv_4", "inv_5"]);
    assert_eq!(log.count(), 3);
    assert_eq!(query_values(&log.last(), "starting_after"), ["inv_4"]);

    // And collected in one go: every item, in order, each with its own raw.
    let (c, log) = fake_client(three_pages);
    let all: Vec<Invoice> = c
        .invoices()
        .stream(ListParams::new())
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["inv_1", "inv_2", "inv_3", "inv_4", "inv_5"]);
    assert!(all[4].raw.get().contains(r#""id":"inv_5""#));
    assert_eq!(log.count(), 3);
}

#[tokio::test]
async fn stream_stops_when_the_server_ignores_the_cursor() {
    let (c, log) = fake_client(|_| (200, page_json(&["inv_1", "inv_2"], true)));
    let items: Vec<Result<String, Error>> = c
        .invoices()
        .stream(ListParams::new())
        .map_ok(|i| i.id)
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap(), "inv_1");
    assert_eq!(items[1].as_ref().unwrap(), "inv_2");
    let err = unknown_err(items.into_iter().nth(2).unwrap().unwrap_err());
    assert_eq!(err.cause, UnknownCause::UndecodableResponse);
    assert!(err.detail.contains("ignored the cursor"), "{}", err.detail);
    assert_eq!(log.count(), 2);
}

#[tokio::test]
async fn stream_ends_on_an_empty_page_even_with_has_more() {
    let (c, log) = fake_client(|_| (200, page_json(&[], true)));
    let all: Vec<_> = c
        .invoices()
        .stream(ListParams::new())
        .try_collect()
        .await
        .unwrap();
    assert!(all.is_empty());
    assert_eq!(log.count(), 1);
}

/// An amount read from JSON goes through `Money`'s precision check: an over-precise
/// amount never reaches an invoice, so nothing can round it.
#[tokio::test]
async fn over_precise_amounts_are_refused_never_rounded() {
    let (c, log) = catch_all();
    // What an application does with an order it received as JSON.
    async fn invoice_from_json(c: &KashioClient, order: &str) -> Result<(), String> {
        let amount: Money = serde_json::from_str(order).map_err(|e| e.to_string())?;
        let invoice = NewInvoice::builder("INV-1", amount, Customer::new().name("ANA"))
            .build()
            .map_err(|e| e.to_string())?;
        c.invoices()
            .create(invoice)
            .await
            .map(drop)
            .map_err(|e| e.to_string())?;
        c.invoices()
            .update("inv_1", InvoiceUpdate::new().amount(amount))
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
    for (order, message) in [
        (
            r#"{"amount":"15.005","currency":"PEN"}"#,
            "invalid amount: 15.005 has more than 2 decimal place(s), the most PEN allows",
        ),
        (
            r#"{"amount":"0.001","currency":"USD"}"#,
            "invalid amount: 0.001 has more than 2 decimal place(s), the most USD allows",
        ),
        (
            r#"{"amount":15.5,"currency":"PEN"}"#,
            "an amount with a fraction must be a string",
        ),
    ] {
        let e = invoice_from_json(&c, order).await.unwrap_err();
        assert!(e.contains(message), "{order}: {e}");
    }
    assert_eq!(log.count(), 0);
}

#[tokio::test]
async fn invalid_invoices_are_not_sent() {
    let (c, log) = catch_all();
    let field = |r: Result<Invoice, Error>| match r {
        Err(Error::Validation(v)) => v.field().to_string(),
        other => panic!("expected a validation error, got {other:?}"),
    };
    let create = |bad: NewInvoice| {
        let c = c.clone();
        async move { c.invoices().create(bad).await }
    };

    let mut bad = seed_invoice();
    bad.customer.phone = Some("+1 305 CALL NOW".into());
    assert_eq!(field(create(bad).await), "customer.phone");

    let mut bad = seed_invoice();
    bad.customer.email = Some("juan.perez@".into());
    assert_eq!(field(create(bad).await), "customer.email");

    let mut bad = seed_invoice();
    bad.customer = Customer::new();
    assert_eq!(field(create(bad).await), "customer");

    let mut bad = seed_invoice();
    bad.customer.document_id = None;
    assert_eq!(field(create(bad).await), "customer.document_id");

    let mut bad = seed_invoice();
    bad.customer.name = Some("  ".into());
    assert_eq!(field(create(bad).await), "customer.name");

    let mut bad = seed_invoice();
    bad.invoice_id = " ".into();
    assert_eq!(field(create(bad).await), "invoice_id");

    let mut bad = seed_invoice();
    bad.amount = pen("0");
    assert_eq!(field(create(bad).await), "amount");

    let mut bad = seed_invoice();
    bad.amount = pen("-5");
    assert_eq!(field(create(bad).await), "amount");

    let mut bad = seed_invoice();
    bad.amount = Money::parse("100", Currency::Mxn).unwrap();
    assert_eq!(field(create(bad).await), "currency");

    let mut bad = seed_invoice();
    bad.url_success = Some("javascript:alert(1)".into());
    assert_eq!(field(create(bad).await), "url_success");

    let mut bad = seed_invoice();
    bad.url_error = Some("/relative".into());
    assert_eq!(field(create(bad).await), "url_error");

    let mut bad = seed_invoice();
    bad.expiration_datetime = Some(datetime!(2019-12-31 00:00:00));
    assert_eq!(field(create(bad).await), "expiration_datetime");

    let mut bad = seed_invoice();
    bad.due_datetime = Some(bad.request_datetime);
    assert_eq!(field(create(bad).await), "due_datetime");

    // The builder checks too.
    let err = NewInvoice::builder("INV-1", pen("1"), Customer::new().phone("+1"))
        .build()
        .unwrap_err();
    assert_eq!(err.validation_field(), Some("customer.phone"));

    // Updates and ids.
    let invoices = c.invoices();
    assert_eq!(
        field(invoices.update("inv_1", InvoiceUpdate::new()).await),
        "update"
    );
    assert_eq!(
        field(
            invoices
                .update(
                    "inv_1",
                    InvoiceUpdate::new().amount(Money::parse("1", Currency::Clp).unwrap())
                )
                .await
        ),
        "currency"
    );
    assert_eq!(
        field(
            invoices
                .update("inv_1", InvoiceUpdate::new().amount(pen("0")))
                .await
        ),
        "amount"
    );
    assert_eq!(
        field(
            invoices
                .update("", InvoiceUpdate::new().amount(pen("1")))
                .await
        ),
        "invoice_id"
    );
    assert_eq!(field(invoices.get("").await), "invoice_id");
    assert_eq!(field(invoices.void(" ").await), "invoice_id");

    assert_eq!(log.count(), 0);
}

/// The seed invoice with `phone` as the customer's phone.
fn with_phone(phone: &str) -> NewInvoice {
    let mut invoice = seed_invoice();
    invoice.customer.phone = Some(phone.into());
    invoice
}

#[tokio::test]
async fn create_invoice_normalizes_the_phone_to_e164() {
    for (given, sent) in [
        // The API document's example, already E.164.
        ("+13055606666", "+13055606666"),
        ("+51 987 654 321", "+51987654321"),
        // A national number is read as Peruvian.
        ("987654321", "+51987654321"),
        ("987-654-321", "+51987654321"),
        ("0051 987 654 321", "+51987654321"),
        ("+52 55 1234 5678", "+525512345678"),
    ] {
        let req = client()
            .executor()
            .authorized(&CreateInvoice::new(with_phone(given)))
            .await
            .unwrap();
        let body = json_body(&req);
        assert_eq!(body["customer"]["phone"], sent, "{given}");
        // Everything else is the API document's example.
        let mut expected: Value = serde_json::from_str(CREATE_REQUEST).unwrap();
        expected["customer"]["phone"] = json!(sent);
        assert_eq!(body, expected, "{given}");
    }
}

#[tokio::test]
async fn create_invoice_refuses_a_phone_it_cannot_normalize() {
    let (c, log) = catch_all();
    for garbage in [
        "",
        "   ",
        "call me",
        "+51 987 654 321 ext. 2",
        "98765432a",
        "+",
        "12",
        "+1234",
        "51+987654321",
        "+5198765432101234",
        "९८७६५४३२१",
    ] {
        let err = c.invoices().create(with_phone(garbage)).await.unwrap_err();
        assert_eq!(
            err.validation_field(),
            Some("customer.phone"),
            "{garbage:?}"
        );
    }
    assert_eq!(log.count(), 0);
}

#[tokio::test]
async fn create_invoice_sends_sub_merchant_and_size_qr() {
    let invoice = NewInvoice::builder(
        "INV-000001-001",
        pen("15.00"),
        Customer::new().email("juan.perez.xxx@gmail.com"),
    )
    .request_datetime(datetime!(2020-01-01 05:00:00))
    .sub_merchant(
        SubMerchant::new()
            .name("Cafetería Lima")
            .email("pagos@cafeteria.pe")
            .logo("https://cafeteria.pe/logo.png"),
    )
    .size_qr("300")
    .build()
    .unwrap();
    let req = client()
        .executor()
        .authorized(&CreateInvoice::new(invoice))
        .await
        .unwrap();
    assert_eq!(req.method().as_str(), "POST");
    assert_eq!(req.url().path(), path("/invoices"));
    assert_eq!(
        json_body(&req),
        json!({
            "customer": {"email": "juan.perez.xxx@gmail.com"},
            "invoice_id": "INV-000001-001",
            "request_datetime": "2020-01-01T05:00:00",
            "sub_merchant": {
                "name": "Cafetería Lima",
                "email": "pagos@cafeteria.pe",
                "logo": "https://cafeteria.pe/logo.png"
            },
            "size_qr": "300",
            "amount": 15.00,
            "currency": "PEN"
        })
    );
    // Only what is set: a sub-merchant with a name only.
    let invoice = NewInvoice::builder("INV-2", pen("1"), Customer::new().name("ANA"))
        .sub_merchant(SubMerchant::new().name("Tienda"))
        .build()
        .unwrap();
    let req = client()
        .executor()
        .authorized(&CreateInvoice::new(invoice))
        .await
        .unwrap();
    let body = json_body(&req);
    assert_eq!(body["sub_merchant"], json!({"name": "Tienda"}));
    assert!(body.get("size_qr").is_none(), "{body}");

    // An answer's sub_merchant is kept exactly as KashIO sent it.
    let answer = CREATE_RESPONSE.trim().replacen(
        '{',
        r#"{"sub_merchant": {"name": "Tienda", "logo": "https://t.pe/l.png", "extra": 1},"#,
        1,
    );
    let invoice = CreateInvoice::new(seed_invoice())
        .parse(&ok::<CreateInvoice>(&answer))
        .unwrap();
    assert_eq!(
        invoice.sub_merchant.unwrap().get(),
        r#"{"name": "Tienda", "logo": "https://t.pe/l.png", "extra": 1}"#
    );
}

#[tokio::test]
async fn invalid_sub_merchant_and_size_qr_are_not_sent() {
    let (c, log) = catch_all();
    let with = |sub: Option<SubMerchant>, size: Option<&str>| {
        let mut invoice = seed_invoice();
        invoice.sub_merchant = sub;
        invoice.size_qr = size.map(str::to_string);
        invoice
    };
    for (invoice, field) in [
        (with(Some(SubMerchant::new()), None), "sub_merchant"),
        (
            with(Some(SubMerchant::new().name(" ")), None),
            "sub_merchant.name",
        ),
        (
            with(Some(SubMerchant::new().email("pagos@")), None),
            "sub_merchant.email",
        ),
        (
            with(Some(SubMerchant::new().logo("ftp://t.pe/logo.png")), None),
            "sub_merchant.logo",
        ),
        (with(None, Some("")), "size_qr"),
        (with(None, Some("3\n00")), "size_qr"),
    ] {
        let err = c.invoices().create(invoice.clone()).await.unwrap_err();
        assert_eq!(err.validation_field(), Some(field), "{invoice:?}");
        // The builder refuses it too.
        assert!(NewInvoice::validate(&invoice).is_err());
    }
    assert_eq!(log.count(), 0);
}

#[tokio::test]
async fn update_invoice_currency_alone() {
    let endpoint = UpdateInvoice::new(
        "inv_6hxCf5yj6jAHep3",
        InvoiceUpdate::new().currency(Currency::Usd),
    );
    let req = client().executor().authorized(&endpoint).await.unwrap();
    assert_eq!(req.method().as_str(), "PATCH");
    assert_eq!(req.url().path(), path("/invoices/inv_6hxCf5yj6jAHep3"));
    assert_eq!(req.header_str("authorization"), Some(AUTH));
    assert_eq!(body_text(&req), r#"{"currency":"USD"}"#);
    assert!(req.idempotency().changes_state());
    let invoice = endpoint
        .parse(&ok::<UpdateInvoice>(UPDATE_RESPONSE))
        .unwrap();
    assert_eq!(invoice.id, "inv_cert_5TUVNBFGQHtQrPvXvZPaA9");

    // The same currency as the amount's is the amount's update.
    let req = client()
        .executor()
        .authorized(&UpdateInvoice::new(
            "inv_1",
            InvoiceUpdate::new()
                .amount(Money::parse("25.00", Currency::Usd).unwrap())
                .currency(Currency::Usd),
        ))
        .await
        .unwrap();
    assert_eq!(body_text(&req), r#"{"amount":25.00,"currency":"USD"}"#);
}

#[tokio::test]
async fn update_invoice_refuses_a_currency_kashio_cannot_take() {
    let (c, log) = catch_all();
    for (update, field) in [
        (InvoiceUpdate::new().currency(Currency::Mxn), "currency"),
        (
            InvoiceUpdate::new()
                .amount(pen("25"))
                .currency(Currency::Usd),
            "currency",
        ),
    ] {
        let err = c.invoices().update("inv_1", update).await.unwrap_err();
        assert_eq!(err.validation_field(), Some(field));
    }
    assert_eq!(log.count(), 0);
}

#[tokio::test]
async fn the_seed_timestamps_are_lima_days_as_utc() {
    use time::macros::datetime as at;
    // The create example of KashIO's API document: the 1st of January 2020 in Lima
    // (UTC-5), due at its last second, expiring a month later at Lima midnight.
    let invoice = NewInvoice::builder(
        "INV-000001-001",
        pen("15.00"),
        Customer::new()
            .name("JUAN PEREZ")
            .email("juan.perez.xxx@gmail.com")
            .phone("+13055606666")
            .document("DNI", "10203040")
            .external_id("CUS-10203040-001"),
    )
    .metadata("order_id", "000001-001")
    .metadata("order_name", "Deuda Enero 2019")
    .metadata("order_description", "Deuda Enero 2019")
    .request_datetime(kashio_datetime(at!(2020-01-01 00:00:00 -5)))
    .due_datetime(kashio_datetime(at!(2020-01-01 23:59:59 -5)))
    .expiration_datetime(kashio_datetime(at!(2020-02-01 00:00:00 -5)))
    .build()
    .unwrap();
    let req = client()
        .executor()
        .authorized(&CreateInvoice::new(invoice))
        .await
        .unwrap();
    let expected: Value = serde_json::from_str(CREATE_REQUEST).unwrap();
    assert_eq!(json_body(&req), expected);
    assert_eq!(expected["request_datetime"], "2020-01-01T05:00:00");
    assert_eq!(expected["due_datetime"], "2020-01-02T04:59:59");

    // Read back: the answer's zone-less due date is that UTC instant, the last second
    // of the 1st of January in Lima.
    let answer = CreateInvoice::new(seed_invoice())
        .parse(&ok::<CreateInvoice>(CREATE_RESPONSE))
        .unwrap();
    let due = answer.due_datetime.unwrap().assume_utc();
    assert_eq!(
        due.to_offset(time::macros::offset!(-5)),
        at!(2020-01-01 23:59:59 -5)
    );
}

#[tokio::test]
async fn list_limit_is_sent_as_given_and_kashio_decides() {
    for limit in [1, 100, 101, 500, u32::MAX] {
        let req = client()
            .executor()
            .authorized(&ListInvoices::new(ListParams::new().limit(limit)))
            .await
            .unwrap();
        assert_eq!(req.query_str(), Some(format!("limit={limit}").as_str()));
    }
    // A refusal by KashIO is the provider's answer, not a guess of pagos.
    let (c, log) = fake_client(|_| {
        (
            400,
            r#"{"error":{"code":"invalid_parameter","param":"limit"}}"#.into(),
        )
    });
    let err = c
        .invoices()
        .list(ListParams::new().limit(500))
        .await
        .unwrap_err();
    assert_eq!(provider_err(err).http_status, 400);
    assert_eq!(log.count(), 1);
}
