//! Regression tests for what the fuzz targets in `fuzz/` found (FUZZING.md lists them):
//! each input is the minimized crash, kept here so that the bug stays fixed in CI
//! whether or not the fuzzers run.

use pagos_core::validate;

/// `validate::rut` split the cleaned text one byte before its end, which panicked when
/// the check digit was a multibyte character (`validators_ids`: `"\u{fffd}"` after one
/// digit; the same as the known `"7608642-é"`).
#[test]
fn rut_with_a_multibyte_check_digit_is_refused_not_a_panic() {
    for value in ["7608642-é", "1\u{fffd}", "7608642-€", "1-\u{10348}", "ñ1"] {
        let err = validate::rut("rut", value).expect_err(value);
        assert_eq!(err.field(), "rut", "{value:?}");
    }
    // ASCII RUTs are read as before.
    assert!(validate::rut("rut", "76.086.428-5").is_ok());
    assert!(validate::rut("rut", "10000013-k").is_ok());
}
