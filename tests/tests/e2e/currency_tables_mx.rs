//! ComproPago's and Kashpay's currency tables: the SDK's (`pagos_compropago::CURRENCIES`,
//! `pagos_kashpay::CURRENCIES`) and the sandbox's own copies
//! (`pagos_sandbox::compropago::CURRENCIES`, `pagos_sandbox::kashpay::CURRENCIES`) say
//! the same, in both directions.

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
