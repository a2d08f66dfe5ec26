//! Bad input never leaves the process: each endpoint refuses to describe it, and the
//! client sends nothing.

use pagos_compropago::webhook::{ExpectedOrder, WebhookError, WebhookEvent};
use pagos_compropago::{
    AccountCustomer, ClabeCustomer, Client, CreateAccount, CreateClabe, CreateOrder, Customer,
    Frequency, ListAccountTransactions, Product,
};
use pagos_core::{CreatePayment, Currency, Error, Money, PaymentProvider};

use crate::*;

fn field<T>(r: pagos_core::Result<T>) -> String {
    match r {
        Err(Error::Validation(v)) => v.field().to_string(),
        Err(other) => panic!("expected a validation error, got {other:?}"),
        Ok(_) => panic!("expected a validation error, got success"),
    }
}

#[tokio::test]
async fn invalid_inputs_are_rejected_before_sending() {
    let script = Recorder::answering(500, "should not be called");
    let c = scripted(&script);

    let mut o = seed_order();
    o.product.price = mxn("0");
    assert_eq!(field(c.executor().describe(&o)), "product.price");
    assert_eq!(field(c.orders().create(&o).await), "product.price");
    let mut o = seed_order();
    o.product.price = Money::parse("150", Currency::Usd).unwrap();
    assert_eq!(field(c.orders().create(&o).await), "product.price");
    let mut o = seed_order();
    o.product.name = "  ".into();
    assert_eq!(field(c.orders().create(&o).await), "product.name");
    let mut o = seed_order();
    o.product.url = Some("ftp://dummyurl.com/x.jpg".into());
    assert_eq!(field(c.orders().create(&o).await), "product.url");
    let mut o = seed_order();
    o.customer.name = String::new();
    assert_eq!(field(c.orders().create(&o).await), "customer.name");
    let mut o = seed_order();
    o.customer.email = "waldix.compropago.com".into();
    assert_eq!(field(c.orders().create(&o).await), "customer.email");
    let mut o = seed_order();
    o.customer.phone = Some("55222999888".into());
    assert_eq!(field(c.orders().create(&o).await), "customer.phone");

    let clabe = CreateClabe::new(
        ClabeCustomer::new("1", "customer@email.com"),
        Frequency::Other(String::new()),
    );
    assert_eq!(field(c.clabes().create(&clabe).await), "frequency");
    let clabe = CreateClabe::new(
        ClabeCustomer::new("1", "customer@email.com"),
        Frequency::Unlimited,
    )
    .amount(mxn("-5"));
    assert_eq!(field(c.clabes().create(&clabe).await), "amount");
    assert_eq!(field(c.executor().describe(&clabe)), "amount");

    // Another country's number cannot be a ComproPago phone.
    let account = CreateAccount::new(
        "Alamedas de Espana",
        "153",
        AccountCustomer::new("CONDOVIVE_1234", "waldix86@gmail.com").phone("+51 987 654 321"),
    );
    assert_eq!(field(c.accounts().create(&account).await), "customer.phone");

    assert_eq!(field(c.orders().get(" ").await), "order_id");
    assert_eq!(field(c.accounts().subaccounts("").await), "account_id");
    assert_eq!(
        field(
            c.accounts()
                .transactions("186", Some("002180123123123123"))
                .await
        ),
        "clabe"
    );
    assert_eq!(
        field(
            c.executor()
                .describe(&ListAccountTransactions::new("186").clabe("002180123123123123"))
        ),
        "clabe"
    );

    let payment = |b: pagos_core::CreatePaymentBuilder| b.build().unwrap();
    let base = || {
        CreatePayment::builder(mxn("150"), "SAMSUNG GOLD CURL")
            .merchant_reference("SMGCURL1")
            .payer_name("Waldix")
            .payer_email("waldix@compropago.com")
    };
    let no_reference = payment(
        CreatePayment::builder(mxn("150"), "x")
            .payer_name("Waldix")
            .payer_email("waldix@compropago.com"),
    );
    assert_eq!(
        field(c.create_payment(&no_reference).await),
        "merchant_reference"
    );
    let usd = payment(
        CreatePayment::builder(Money::parse("150", Currency::Usd).unwrap(), "x")
            .merchant_reference("r")
            .payer_name("Waldix")
            .payer_email("waldix@compropago.com"),
    );
    assert_eq!(field(c.create_payment(&usd).await), "amount");
    let no_email = payment(
        CreatePayment::builder(mxn("150"), "x")
            .merchant_reference("r")
            .payer_name("Waldix"),
    );
    assert_eq!(field(c.create_payment(&no_email).await), "payer.email");
    let bad_phone = payment(base().payer_phone("+51 987 654 321"));
    assert_eq!(field(c.create_payment(&bad_phone).await), "payer.phone");
    // Every unified field a v2 order cannot carry is refused by name.
    for (request, name) in [
        (payment(base().description("d")), "description"),
        (
            payment(base().return_url("https://shop.example/ok")),
            "return_url",
        ),
        (
            payment(base().cancel_url("https://shop.example/no")),
            "cancel_url",
        ),
        (
            payment(base().notify_url("https://shop.example/hook")),
            "notify_url",
        ),
        (payment(base().metadata("order", "42")), "metadata"),
        (
            payment(base().payer_document("RFC", "XAXX010101000")),
            "payer.document",
        ),
    ] {
        assert_eq!(field(c.create_payment(&request).await), name);
    }

    let expected = ExpectedOrder::by_product_id(mxn("12.56"), "SMGCURL1");
    let webhook_field = |r: Result<WebhookEvent, WebhookError>| match r {
        Err(WebhookError::Invalid(v)) => v.field().to_string(),
        other => panic!("expected an unusable body, got {other:?}"),
    };
    assert_eq!(
        webhook_field(c.confirm_webhook(b"not json", &expected).await),
        "webhook.body"
    );
    assert_eq!(
        webhook_field(
            c.confirm_webhook(br#"{"status":"ACCEPTED"}"#, &expected)
                .await
        ),
        "webhook.id"
    );
    assert_eq!(
        webhook_field(
            c.confirm_webhook(
                br#"{"id":"ch_1"}"#,
                &ExpectedOrder::by_product_id(mxn("12.56"), " ")
            )
            .await
        ),
        "expected.product_id"
    );

    assert_eq!(script.calls(), 0);
}

/// An amount read from JSON goes through `Money`'s precision check: an over-precise
/// price never reaches an order, so nothing can round it.
#[tokio::test]
async fn over_precise_amounts_are_refused_never_rounded() {
    let script = Recorder::answering(500, "should not be called");
    let c = scripted(&script);
    // What an application does with an order it received as JSON.
    async fn order_from_json(c: &Client, order: &str) -> Result<(), String> {
        let price: Money = serde_json::from_str(order).map_err(|e| e.to_string())?;
        let order = CreateOrder::new(
            Product::new("SMGCURL1", "SAMSUNG GOLD CURL", price),
            Customer::new("cust-1", "Waldix", "waldix@compropago.com"),
        );
        c.orders()
            .create(&order)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
    for (order, message) in [
        (
            r#"{"amount":"150.005","currency":"MXN"}"#,
            "invalid amount: 150.005 has more than 2 decimal place(s), the most MXN allows",
        ),
        (
            r#"{"amount":150.5,"currency":"MXN"}"#,
            "an amount with a fraction must be a string",
        ),
    ] {
        let e = order_from_json(&c, order).await.unwrap_err();
        assert!(e.contains(message), "{order}: {e}");
    }
    assert_eq!(script.calls(), 0);
}
