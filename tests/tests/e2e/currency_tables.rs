//! Every provider's currency table: the SDK's (`pagos_<provider>::CURRENCIES`, a
//! `CurrencyTable`) and the sandbox's own copy (`pagos_sandbox::<provider>::CURRENCIES`;
//! the sandbox depends on no SDK crate) say the same, in both directions: the same
//! currencies, with the same decimals. Each side validates with its own table (tested
//! in its crate), so agreement here means the SDK never sends what the sandbox would
//! refuse and never refuses what it would take.

fn sdk(table: pagos::CurrencyTable) -> Vec<(String, u32)> {
    let mut entries: Vec<(String, u32)> = table
        .entries()
        .iter()
        .map(|(c, d)| (c.code().to_string(), *d))
        .collect();
    entries.sort();
    entries
}

fn sandbox(table: &[(&str, u32)]) -> Vec<(String, u32)> {
    let mut entries: Vec<(String, u32)> = table.iter().map(|(c, d)| (c.to_string(), *d)).collect();
    entries.sort();
    entries
}

#[test]
fn khipu_kashio_and_telepagos_tables_agree_with_the_sandbox() {
    // One table for Khipu's two APIs (2.0 and 3.0 take the same currencies).
    assert_eq!(
        sdk(pagos::khipu::CURRENCIES),
        sandbox(pagos_sandbox::khipu::CURRENCIES)
    );
    assert_eq!(
        sdk(pagos::kashio::CURRENCIES),
        sandbox(pagos_sandbox::kashio::CURRENCIES)
    );
    assert_eq!(
        sdk(pagos::telepagos::CURRENCIES),
        sandbox(pagos_sandbox::telepagos::CURRENCIES)
    );
}

#[test]
fn every_known_currency_is_judged_the_same_by_sdk_and_sandbox() {
    // The other direction, by currency rather than by table: for every code pagos
    // knows, "accepted, with d decimals" or "refused" is the same answer on both sides.
    let tables: [(pagos::CurrencyTable, &[(&str, u32)]); 5] = [
        (pagos::khipu::CURRENCIES, pagos_sandbox::khipu::CURRENCIES),
        (pagos::kashio::CURRENCIES, pagos_sandbox::kashio::CURRENCIES),
        (
            pagos::compropago::CURRENCIES,
            pagos_sandbox::compropago::CURRENCIES,
        ),
        (
            pagos::kashpay::CURRENCIES,
            pagos_sandbox::kashpay::CURRENCIES,
        ),
        (
            pagos::telepagos::CURRENCIES,
            pagos_sandbox::telepagos::CURRENCIES,
        ),
    ];
    for (sdk_table, sandbox_table) in tables {
        for currency in pagos::Currency::ALL {
            let in_sandbox = sandbox_table
                .iter()
                .find(|(code, _)| *code == currency.code())
                .map(|(_, d)| *d);
            assert_eq!(sdk_table.decimals(currency), in_sandbox, "{currency}");
        }
        // And nothing in the sandbox's table is a code the SDK cannot even name.
        for (code, _) in sandbox_table {
            assert!(code.parse::<pagos::Currency>().is_ok(), "{code}");
        }
    }
}

#[test]
fn compropago_and_kashpay_tables_agree_with_the_sandbox() {
    assert_eq!(
        sdk(pagos::compropago::CURRENCIES),
        sandbox(pagos_sandbox::compropago::CURRENCIES)
    );
    assert_eq!(
        sdk(pagos::kashpay::CURRENCIES),
        sandbox(pagos_sandbox::kashpay::CURRENCIES)
    );
}
