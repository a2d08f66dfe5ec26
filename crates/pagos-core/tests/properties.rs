//! Property tests of the check-digit validators and money formatting.
//!
//! The generators build valid identifiers with straightforward implementations of the
//! published algorithms (written again here, not shared with the library), then check
//! that every single-digit change is caught.

use pagos_core::{Currency, Decimal, Money, validate};
use proptest::prelude::*;

fn digits_to_string(d: &[u32]) -> String {
    d.iter()
        .map(|d| char::from_digit(*d, 10).unwrap())
        .collect()
}

fn mod10_check(digits: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    (10 - sum % 10) % 10
}

fn valid_cbu(block1: &[u32], block2: &[u32]) -> String {
    let mut d = block1.to_vec();
    d.push(mod10_check(block1, &[7, 1, 3, 9, 7, 1, 3]));
    d.extend_from_slice(block2);
    d.push(mod10_check(
        block2,
        &[3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3],
    ));
    digits_to_string(&d)
}

fn cuit_check(body: &[u32]) -> u32 {
    let sum: u32 = body
        .iter()
        .zip([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    match 11 - sum % 11 {
        11 => 0,
        10 => 9,
        r => r,
    }
}

fn rut_dv(body: &[u32]) -> char {
    let sum: u32 = body
        .iter()
        .rev()
        .zip([2, 3, 4, 5, 6, 7].iter().cycle())
        .map(|(d, w)| d * w)
        .sum();
    match 11 - sum % 11 {
        11 => '0',
        10 => 'K',
        r => char::from_digit(r, 10).unwrap(),
    }
}

fn change_digit(s: &str, pos: usize, delta: u32) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if i == pos {
                char::from_digit((c.to_digit(10).unwrap() + delta) % 10, 10).unwrap()
            } else {
                c
            }
        })
        .collect()
}

proptest! {
    #[test]
    fn cbu_any_single_digit_change_fails(
        b1 in proptest::collection::vec(0u32..10, 7),
        b2 in proptest::collection::vec(0u32..10, 13),
        pos in 0usize..22,
        delta in 1u32..10,
    ) {
        let valid = valid_cbu(&b1, &b2);
        prop_assert!(validate::cbu("cbu", &valid).is_ok());
        // Every weight is coprime to 10, so any change moves its block's check digit.
        prop_assert!(validate::cbu("cbu", &change_digit(&valid, pos, delta)).is_err());
    }

    #[test]
    fn cuit_valid_passes_and_changes_are_caught_as_the_algorithm_says(
        body in proptest::collection::vec(0u32..10, 10),
        pos in 0usize..11,
        delta in 1u32..10,
    ) {
        let mut d = body.clone();
        d.push(cuit_check(&body));
        let valid = digits_to_string(&d);
        prop_assert!(validate::cuit("cuit", &valid).is_ok());
        let hyphenated = format!("{}-{}-{}", &valid[..2], &valid[2..10], &valid[10..]);
        prop_assert!(validate::cuit("cuit", &hyphenated).is_ok());
        let changed = change_digit(&valid, pos, delta);
        let changed_digits: Vec<u32> = changed.chars().map(|c| c.to_digit(10).unwrap()).collect();
        // The convention maps remainders 10 and 9 both to 9, so a changed body digit can
        // land on another valid number; the check digit itself can never be changed.
        let expected_valid = pos < 10 && cuit_check(&changed_digits[..10]) == changed_digits[10];
        prop_assert_eq!(validate::cuit("cuit", &changed).is_ok(), expected_valid);
    }

    #[test]
    fn rut_any_single_digit_change_fails(
        body in proptest::collection::vec(0u32..10, 7..=8),
        pos_seed in 0usize..8,
        delta in 1u32..10,
    ) {
        let body_text = digits_to_string(&body);
        let valid = format!("{body_text}-{}", rut_dv(&body));
        prop_assert!(validate::rut("rut", &valid).is_ok());
        prop_assert!(validate::rut("rut", &valid.to_lowercase()).is_ok());
        // Weights 2..7 are coprime to 11: a changed body digit always moves the DV.
        let pos = pos_seed % body.len();
        let changed = format!("{}-{}", change_digit(&body_text, pos, delta), rut_dv(&body));
        prop_assert!(validate::rut("rut", &changed).is_err());
    }

    #[test]
    fn money_formatting_round_trips(minor in 0i64..10_000_000_000, currency_index in 0usize..6) {
        let currency = Currency::ALL[currency_index];
        let money = Money::new(Decimal::new(minor, currency.minor_units()), currency).unwrap();
        let text = money.to_plain_string();
        let decimals = text.split('.').nth(1).map_or(0, str::len);
        prop_assert_eq!(decimals as u32, currency.minor_units());
        prop_assert_eq!(Money::parse(&text, currency).unwrap(), money);
        prop_assert_eq!(Money::parse(&money.to_compact_string(), currency).unwrap(), money);
    }
}
