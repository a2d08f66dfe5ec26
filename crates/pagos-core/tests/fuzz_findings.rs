//! Regression tests for what the fuzz targets in `fuzz/` found (FUZZING.md lists them):
//! each input is the minimized crash, kept here so that the bug stays fixed in CI
//! whether or not the fuzzers run.

use pagos_core::{Currency, Decimal, Money, validate};

/// `validate::rut` split the cleaned text one byte before its end, which panicked when
/// the check digit was a multibyte character (`validators_ids`: `"\u{fffd}"`, the
/// lossy decoding of the byte `0xea`; the same as the known `"7608642-é"`).
#[test]
fn rut_with_a_multibyte_check_digit_is_refused_not_a_panic() {
    for value in [
        "\u{fffd}",
        "7608642-é",
        "1\u{fffd}",
        "7608642-€",
        "1-\u{10348}",
        "ñ1",
    ] {
        let err = validate::rut("rut", value).expect_err(value);
        assert_eq!(err.field(), "rut", "{value:?}");
    }
    // ASCII RUTs are read as before.
    assert!(validate::rut("rut", "76.086.428-5").is_ok());
    assert!(validate::rut("rut", "10000013-k").is_ok());
}

/// Deserializing a `Money` skipped `Money::new`'s precision check, so `2.2` CLP was
/// kept as it was and then printed as `2` by `to_plain_string` (`money`: the amount
/// `2.2 ` with CLP).
#[test]
fn deserialized_money_is_checked_like_constructed_money() {
    for json in [
        r#"{"amount":"2.2","currency":"CLP"}"#,
        r#"{"amount":"10.555","currency":"MXN"}"#,
        r#"{"amount":"1.23456","currency":"CLF"}"#,
    ] {
        let err = serde_json::from_str::<Money>(json).expect_err(json);
        assert!(err.to_string().contains("decimal place"), "{json}: {err}");
    }
    let m: Money = serde_json::from_str(r#"{"amount":"10.50","currency":"MXN"}"#).unwrap();
    assert_eq!(m, Money::parse("10.5", Currency::Mxn).unwrap());
    assert_eq!(m.to_plain_string(), "10.50");
    // What Money serializes, it deserializes back.
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
}

/// Deserializing a `Money` read the amount with rust_decimal's own deserializer, which
/// takes a JSON number through `f64` and rounds long strings, so `-1e-400` ARS became
/// `0.00` ARS (`money`: `{"amount":-1e-400,"currency":"ARS"}`). The amount is now read
/// from its exact text; a JSON fraction, already an `f64`, is refused.
#[test]
fn deserialized_money_keeps_every_digit_or_is_refused() {
    for json in [
        r#"{"amount":-1e-400,"currency":"ARS"}"#,
        r#"{"amount":2.5,"currency":"USD"}"#,
        r#"{"amount":"0.00000000000000000000000000001","currency":"USD"}"#,
        r#"{"amount":"99999999999999999999999999999.9","currency":"USD"}"#,
        r#"{"amount":"1e-400","currency":"USD"}"#,
        r#"{"amount":"ten","currency":"USD"}"#,
        // The text is read like `Money::parse` reads it: a plain decimal, no exponent.
        r#"{"amount":"1.5e2","currency":"CLP"}"#,
        r#"{"amount":true,"currency":"USD"}"#,
    ] {
        assert!(serde_json::from_str::<Money>(json).is_err(), "{json}");
    }
    for (json, plain) in [
        (r#"{"amount":"2.50","currency":"USD"}"#, "2.50"),
        (r#"{"amount":1000,"currency":"CLP"}"#, "1000"),
        (r#"{"amount":-7,"currency":"MXN"}"#, "-7.00"),
        (
            r#"{"amount":"7922816251426433759354395033","currency":"CLP"}"#,
            "7922816251426433759354395033",
        ),
        (
            r#"{"amount":18446744073709551615,"currency":"CLP"}"#,
            "18446744073709551615",
        ),
    ] {
        let m: Money = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(m.to_plain_string(), plain, "{json}");
    }
}

/// `Money::parse` accepted amounts too large to be written with the currency's
/// decimals, and `to_plain_string` then silently wrote fewer (`money`:
/// `"00079228162514264337593543950335"` ARS, `Decimal::MAX`, came out without its
/// `.00`).
#[test]
fn money_too_large_for_its_decimals_is_refused() {
    let max = "79228162514264337593543950335";
    for currency in Currency::ALL {
        let result = Money::parse(max, currency);
        if currency.minor_units() == 0 {
            assert_eq!(result.unwrap().to_plain_string(), max);
        } else {
            let err = result.expect_err(currency.code());
            assert_eq!(err.field(), "amount");
            assert!(err.to_string().contains("too large"), "{err}");
        }
    }
    // The largest amounts that fit (the 96-bit mantissa with every decimal) are
    // accepted and written with every decimal; one unit of the last decimal more is not.
    let m = Money::parse("792281625142643375935439503.35", Currency::Usd).unwrap();
    assert_eq!(m.to_plain_string(), "792281625142643375935439503.35");
    assert!(Money::parse("792281625142643375935439503.36", Currency::Usd).is_err());
    let m = Money::parse("-7922816251426433759354395.0335", Currency::Clf).unwrap();
    assert_eq!(m.to_plain_string(), "-7922816251426433759354395.0335");
    assert!(Money::parse("7922816251426433759354395.0336", Currency::Clf).is_err());
    assert!(Money::parse("7922816251426433759354395033", Currency::Mxn).is_err());
    assert!(Money::new(Decimal::MAX, Currency::Pen).is_err());
}

/// `wire::parse_decimal` took `abs()` of the exponent, which overflows for
/// `i64::MIN`: a panic with overflow checks, and without them a negative "absolute
/// value" that passed the range check and then asked for 9.2·10¹⁸ zeros, an abort
/// (`money`: the amount `"d1e-000000009223372036854775808"`). Every provider's lenient
/// amounts go through it.
#[test]
fn decimal_with_the_most_negative_exponent_is_refused() {
    use pagos_core::wire::parse_decimal;
    for text in [
        "1e-9223372036854775808",
        "d1e-000000009223372036854775808",
        "-1.5E-9223372036854775808",
        "1e9223372036854775807",
        "1e-9223372036854775809",
    ] {
        assert_eq!(parse_decimal(text), None, "{text}");
    }
    let json = r#"{"amount":"1e-9223372036854775808","currency":"USD"}"#;
    assert!(serde_json::from_str::<Money>(json).is_err());
    // Exponents in range still work, exactly or not at all.
    assert_eq!(parse_decimal("15e-1").unwrap().to_string(), "1.5");
    assert_eq!(
        parse_decimal("1e-28").unwrap().to_string(),
        "0.0000000000000000000000000001"
    );
    assert_eq!(parse_decimal("1.5e-64"), None);
}
