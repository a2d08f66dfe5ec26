//! Classes 7 and 8, input that must never leave the process: ids that are dot
//! segments or carry control characters (a `DELETE payments/..` would address another
//! resource), and identifiers and amounts written with non-ASCII characters
//! (multibyte check digits, full-width or Arabic-Indic digits), which a validator
//! reading bytes could count wrongly or cut inside a character. Each is refused with a
//! validation error, never a panic, and the hostile server (which would answer
//! anything) records no request at all, not even an authentication.

use std::sync::Arc;

use pagos::{
    BankAccount, CreatePayment, Currency, Error, Money, Operation, PayerDocument, PaymentProvider,
    PayoutRequest, RefundRequest,
};
use pagos_tests::hostile::HostileServer;

use super::{Create, kashpay_payout, provider, telepagos_payout, transport};

/// Ids that must not become a path segment.
const DOT_AND_CONTROL_IDS: [&str; 11] = [
    "..", ".", ".\n.", "%2e%2E", ".%2e", "", " ", " .. ", "a\u{0}b", "x\ry", "..\t",
];

/// Every id-taking call of the unified trait.
#[derive(Clone, Copy, Debug)]
enum IdCall {
    GetPayment,
    CancelPayment,
    RefundPayment,
    GetPayout,
}

impl IdCall {
    const ALL: [IdCall; 4] = [
        IdCall::GetPayment,
        IdCall::CancelPayment,
        IdCall::RefundPayment,
        IdCall::GetPayout,
    ];

    fn operation(self) -> Operation {
        match self {
            IdCall::GetPayment => Operation::GetPayment,
            IdCall::CancelPayment => Operation::CancelPayment,
            IdCall::RefundPayment => Operation::RefundPayment,
            IdCall::GetPayout => Operation::GetPayout,
        }
    }
}

async fn by_id(provider: &dyn PaymentProvider, call: IdCall, id: &str) -> Result<(), Error> {
    match call {
        IdCall::GetPayment => provider.get_payment(id).await.map(drop),
        IdCall::CancelPayment => provider.cancel_payment(id).await,
        IdCall::RefundPayment => provider
            .refund_payment(&RefundRequest::full(id))
            .await
            .map(drop),
        IdCall::GetPayout => provider.get_payout(id).await.map(drop),
    }
}

/// Every id-taking call on every provider: refused as invalid where the provider
/// supports the call (its descriptor's capabilities), as unsupported elsewhere (Kashpay
/// has no call that takes an id), and in both cases nothing is sent, no authentication
/// either.
#[tokio::test]
async fn dot_segment_and_control_character_ids_are_refused_before_sending() {
    let mut validated = 0;
    for kind in super::providers() {
        let capabilities = pagos::descriptor(kind).unwrap().capabilities;
        // The server records every request, on a scripted route or not.
        let server = HostileServer::start().await;
        let client = provider(&server, kind, transport(3));
        assert_eq!(client.capabilities(), capabilities, "{kind}");
        for call in IdCall::ALL {
            let supported = capabilities.supports(call.operation());
            for id in DOT_AND_CONTROL_IDS {
                let case = format!("{kind} {call:?}({id:?})");
                let err = by_id(&*client, call, id).await.expect_err(&case);
                if supported {
                    assert!(matches!(err, Error::Validation(_)), "{case}: {err:?}");
                    validated += 1;
                } else {
                    assert!(matches!(err, Error::Unsupported { .. }), "{case}: {err:?}");
                }
                assert_eq!(server.total(), 0, "{case}: {:?}", server.log());
            }
        }
    }
    // Khipu 3, KashIO 2, ComproPago 1, TelePagos 2 supported id calls, 11 ids each.
    assert!(validated >= 8 * DOT_AND_CONTROL_IDS.len(), "{validated}");
}

/// One multibyte input: the call it is made through and the field the error names.
struct Multibyte {
    name: &'static str,
    kind: &'static str,
    field: &'static str,
    create: Create,
}

fn payment(kind: &'static str, change: impl FnOnce(&mut CreatePayment)) -> Create {
    let (Create::Payment(mut request), _) = Create::for_provider(kind) else {
        panic!("{kind} creates payments");
    };
    change(&mut request);
    Create::Payment(request)
}

fn payout(request: PayoutRequest, change: impl FnOnce(&mut PayoutRequest)) -> Create {
    let mut request = request;
    change(&mut request);
    Create::Payout(request)
}

fn rut(number: &str) -> impl FnOnce(&mut CreatePayment) {
    let number = number.to_string();
    move |r| r.payer.document = Some(PayerDocument::new("RUT", number))
}

/// Valid requests (built by the validating builders) with one field changed
/// afterwards, so each provider's own check before sending is what refuses it.
fn multibyte_inputs() -> Vec<Multibyte> {
    let khipu = "khipu";
    let clabe = |account: &str| {
        let account = BankAccount::Clabe(account.to_string());
        move |r: &mut PayoutRequest| r.beneficiary.account = account
    };
    let cvu = |account: &str| {
        let account = BankAccount::Cbu(account.to_string());
        move |r: &mut PayoutRequest| r.beneficiary.account = account
    };
    let tax_id = |id: &str| {
        let id = id.to_string();
        move |r: &mut PayoutRequest| r.beneficiary.tax_id = Some(id)
    };
    vec![
        Multibyte {
            name: "RUT with a two-byte check digit",
            kind: khipu,
            field: "payer.document",
            create: payment(khipu, rut("7608642-é")),
        },
        Multibyte {
            name: "RUT of one digit and a two-byte check digit",
            kind: khipu,
            field: "payer.document",
            create: payment(khipu, rut("1-ñ")),
        },
        Multibyte {
            name: "RUT with a full-width check digit",
            kind: khipu,
            field: "payer.document",
            create: payment(khipu, rut("76086428-５")),
        },
        Multibyte {
            name: "RUT with full-width body digits",
            kind: khipu,
            field: "payer.document",
            create: payment(khipu, rut("７６０８６４２８-5")),
        },
        Multibyte {
            name: "CLABE in full-width digits",
            kind: "kashpay",
            field: "beneficiary.account",
            create: payout(
                kashpay_payout("5000061"),
                clabe("０３２１８００００１１８３５９７１９"),
            ),
        },
        Multibyte {
            name: "CLABE in Arabic-Indic digits",
            kind: "kashpay",
            field: "beneficiary.account",
            create: payout(kashpay_payout("5000062"), clabe("٠٣٢١٨٠٠٠٠١١٨٣٥٩٧١٩")),
        },
        Multibyte {
            // 18 bytes, as many as a CLABE has digits: a byte-length check passes it.
            name: "CLABE of 18 bytes ending in a two-byte letter",
            kind: "kashpay",
            field: "beneficiary.account",
            create: payout(kashpay_payout("5000063"), clabe("0321800001183597é")),
        },
        Multibyte {
            name: "CVU of 22 bytes ending in a two-byte letter",
            kind: "telepagos",
            field: "beneficiary.account",
            create: payout(telepagos_payout("mb-4"), cvu("28505909400904181352é")),
        },
        Multibyte {
            name: "CVU in full-width digits",
            kind: "telepagos",
            field: "beneficiary.account",
            create: payout(
                telepagos_payout("mb-5"),
                cvu("２８５０５９０９４００９０４１８１３５２０１"),
            ),
        },
        Multibyte {
            name: "CUIT of 11 bytes ending in a two-byte letter",
            kind: "telepagos",
            field: "beneficiary.tax_id",
            create: payout(telepagos_payout("mb-6"), tax_id("202675653é")),
        },
        Multibyte {
            name: "CUIT with a full-width check digit",
            kind: "telepagos",
            field: "beneficiary.tax_id",
            create: payout(telepagos_payout("mb-7"), tax_id("2026756539３")),
        },
        Multibyte {
            name: "Mexican phone with a full-width digit",
            kind: "compropago",
            field: "payer.phone",
            create: payment("compropago", |r| {
                r.payer.phone = Some("551389983２".to_string());
            }),
        },
        Multibyte {
            name: "E.164 phone with Arabic-Indic digits",
            kind: "kashio",
            field: "payer.phone",
            create: payment("kashio", |r| {
                r.payer.phone = Some("+٥١٩٨٧٦٥٤٣٢١".to_string());
            }),
        },
    ]
}

#[tokio::test]
async fn multibyte_identifiers_are_refused_without_panic_or_sending() {
    for case in multibyte_inputs() {
        let server = HostileServer::start().await;
        let client: Arc<dyn PaymentProvider> = provider(&server, case.kind, transport(3));
        // In a task of its own so that a panic is reported as this case's failure.
        let create = case.create;
        let outcome = tokio::spawn(async move { create.send(&*client).await.map(drop) }).await;
        let result = match outcome {
            Ok(result) => result,
            Err(e) if e.is_panic() => panic!("{} ({}): the SDK panicked", case.name, case.kind),
            Err(e) => panic!("{}: {e}", case.name),
        };
        let err = result.expect_err(case.name);
        assert_eq!(
            err.validation_field(),
            Some(case.field),
            "{} ({}): {err:?}",
            case.name,
            case.kind
        );
        assert_eq!(server.total(), 0, "{}: {:?}", case.name, server.log());
    }
}

/// Amounts enter the SDK only through `Money`, which parses ASCII decimal text.
#[test]
fn amounts_in_other_digits_are_refused_without_panic() {
    for (text, currency) in [
        ("１０００", Currency::Clp),
        ("١٠٠٠", Currency::Clp),
        ("1٫50", Currency::Pen),
        ("10.5０", Currency::Ars),
        ("१००", Currency::Mxn),
        ("1\u{0}0", Currency::Mxn),
        ("€10", Currency::Pen),
    ] {
        let outcome = std::panic::catch_unwind(|| Money::parse(text, currency));
        let parsed = outcome.unwrap_or_else(|_| panic!("Money::parse({text:?}) panicked"));
        let err = parsed.expect_err(text);
        assert_eq!(err.field(), "amount", "{text:?}: {err}");
    }
}
