//! Pure validators for the identifiers and fields the providers take.
//!
//! Every provider runs these before any I/O, so bad input gets a clear
//! [`ValidationError`] naming the field and nothing is sent. Each function takes the
//! field name to report, because the same check serves different fields (a CLABE
//! may be a beneficiary account or a customer account).
//!
//! The check-digit algorithms are their owners': CLABE, Banxico's check digit (weights
//! 3-7-1); CBU/CVU, the BCRA's two-block check digits; CUIT/CUIL, AFIP's mod 11; RUT,
//! Chile's mod 11 ("módulo 11").

use crate::error::ValidationError;

type Result = std::result::Result<(), ValidationError>;

/// How much of a refused value an error quotes: enough to recognise it, never a
/// megabyte of input (errors end up in logs).
const SHOWN_CHARS: usize = 40;

/// The value quoted for an error message, cut to [`SHOWN_CHARS`] characters.
fn shown(value: &str) -> String {
    let mut chars = value.chars();
    let head: String = chars.by_ref().take(SHOWN_CHARS).collect();
    if chars.next().is_some() {
        format!("{head:?}… ({} characters)", value.chars().count())
    } else {
        format!("{head:?}")
    }
}

/// Reads exactly `N` ASCII digits from `chars`, or `None` when a character is not a
/// digit or the text ends first.
///
/// Works on `char`s, not bytes, so a multibyte character is simply "not a digit" and
/// nothing ever indexes inside it. The array length is what the check-digit code
/// destructures, so its positions are fixed at compile time rather than indexed.
fn take_digits<const N: usize>(chars: &mut std::str::Chars<'_>) -> Option<[u32; N]> {
    let mut out = [0u32; N];
    for slot in &mut out {
        *slot = chars.next()?.to_digit(10)?;
    }
    Some(out)
}

/// Exactly `N` ASCII digits and nothing else.
fn digits_only<const N: usize>(
    field: &'static str,
    value: &str,
    what: &str,
) -> std::result::Result<[u32; N], ValidationError> {
    let mut chars = value.chars();
    match (take_digits::<N>(&mut chars), chars.next()) {
        (Some(digits), None) => Ok(digits),
        _ => Err(wrong_digits(field, value, N, what)),
    }
}

fn wrong_digits(field: &'static str, value: &str, len: usize, what: &str) -> ValidationError {
    ValidationError::new(
        field,
        format!("a {what} has exactly {len} digits, got {}", shown(value)),
    )
}

/// The mod-10 check digit of `digits` under `weights` (CLABE and both CBU blocks).
/// Reducing each product mod 10 first does not change the sum mod 10.
fn mod10_check(digits: &[u32], weights: impl IntoIterator<Item = u32>) -> u32 {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| (d * w) % 10).sum();
    (10 - sum % 10) % 10
}

/// Checks a Mexican CLABE: 18 digits, weights 3,7,1 over the first 17, check digit last.
///
/// ```
/// use pagos_core::validate;
/// assert!(validate::clabe("clabe", "032180000118359719").is_ok());
/// assert!(validate::clabe("clabe", "646180585000000001").is_err()); // wrong check digit
/// ```
///
/// # Errors
/// A [`ValidationError`] on `field` for a wrong length, a non-digit or a wrong check digit.
pub fn clabe(field: &'static str, value: &str) -> Result {
    let [body @ .., given] = digits_only::<18>(field, value, "CLABE")?;
    let check = mod10_check(&body, [3u32, 7, 1].into_iter().cycle());
    if check != given {
        return Err(ValidationError::new(
            field,
            format!("CLABE check digit should be {check}"),
        ));
    }
    Ok(())
}

/// Checks an Argentine CBU or CVU: 22 digits in two blocks, each with its check digit.
///
/// ```
/// use pagos_core::validate;
/// assert!(validate::cbu("cvu", "2850590940090418135201").is_ok());
/// assert!(validate::cbu("cvu", "2850590940090418135202").is_err());
/// ```
///
/// # Errors
/// A [`ValidationError`] on `field` for a wrong length, a non-digit or a wrong check digit.
pub fn cbu(field: &'static str, value: &str) -> Result {
    // Two blocks read one after the other: 8 digits (bank, branch, check), then 14
    // (account, check), then the text must end.
    let mut chars = value.chars();
    let first = take_digits::<8>(&mut chars);
    let second = take_digits::<14>(&mut chars);
    let (Some([bank @ .., bank_check]), Some([account @ .., account_check]), None) =
        (first, second, chars.next())
    else {
        return Err(wrong_digits(field, value, 22, "CBU/CVU"));
    };
    if mod10_check(&bank, [7, 1, 3, 9, 7, 1, 3]) != bank_check {
        return Err(ValidationError::new(
            field,
            "CBU/CVU first block (bank and branch) has a wrong check digit",
        ));
    }
    if mod10_check(&account, [3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3]) != account_check {
        return Err(ValidationError::new(
            field,
            "CBU/CVU second block (account) has a wrong check digit",
        ));
    }
    Ok(())
}

/// Normalises a CUIT/CUIL by removing hyphens; does not validate it.
pub fn normalize_cuit(value: &str) -> String {
    value.chars().filter(|c| *c != '-').collect()
}

/// Checks an Argentine CUIT/CUIL: 11 digits (hyphens allowed) with a mod-11 check digit.
///
/// ```
/// use pagos_core::validate;
/// assert!(validate::cuit("cuit", "20-26756539-3").is_ok());
/// assert!(validate::cuit("cuit", "20267565394").is_err());
/// ```
///
/// # Errors
/// A [`ValidationError`] on `field` for a wrong length, a non-digit or a wrong check digit.
pub fn cuit(field: &'static str, value: &str) -> Result {
    let normalized = normalize_cuit(value);
    let [body @ .., given] = digits_only::<11>(field, &normalized, "CUIT/CUIL")?;
    let sum: u32 = body
        .iter()
        .zip([5u32, 4, 3, 2, 7, 6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => 9,
        r => r,
    };
    if check != given {
        return Err(ValidationError::new(
            field,
            format!("CUIT/CUIL check digit should be {check}"),
        ));
    }
    Ok(())
}

/// Checks a Chilean RUT such as `76086428-5` or `76.086.428-5` (any case of `K`).
///
/// ```
/// use pagos_core::validate;
/// assert!(validate::rut("rut", "76.086.428-5").is_ok());
/// assert!(validate::rut("rut", "76086428-4").is_err());
/// ```
///
/// # Errors
/// A [`ValidationError`] on `field` for a malformed RUT or a wrong check digit.
pub fn rut(field: &'static str, value: &str) -> Result {
    let malformed = || ValidationError::new(field, format!("{} is not a RUT", shown(value)));
    // Characters, not bytes: the check digit may be anything a web form accepts
    // (`7608642-é`), and splitting the text by byte length would cut inside it.
    let mut cleaned = value
        .chars()
        .filter(|c| *c != '.' && *c != '-')
        .map(|c| c.to_ascii_uppercase());
    let dv = cleaned.next_back().ok_or_else(malformed)?;
    // A body of 1 to 8 digits; `take(9)` stops reading a huge input early, the ninth
    // digit only being there to notice a body that is too long.
    let body: Vec<u32> = cleaned
        .take(9)
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()
        .ok_or_else(malformed)?;
    if body.is_empty() || body.len() > 8 {
        return Err(malformed());
    }
    let sum: u32 = body
        .iter()
        .rev()
        .zip([2u32, 3, 4, 5, 6, 7].into_iter().cycle())
        .map(|(d, w)| d * w)
        .sum();
    let expected = match 11 - sum % 11 {
        11 => '0',
        10 => 'K',
        // 11 - (sum % 11) is 1..=11, so the remaining values are single digits.
        r => char::from_digit(r, 10).ok_or_else(malformed)?,
    };
    if dv != expected {
        return Err(ValidationError::new(
            field,
            format!("RUT check digit should be {expected}"),
        ));
    }
    Ok(())
}

/// Checks the shape of an e-mail address: one `@`, a non-empty local part, a dotted
/// domain, no white space, at most 254 characters.
///
/// ```
/// use pagos_core::validate;
/// assert!(validate::email("payer.email", "ana@example.cl").is_ok());
/// assert!(validate::email("payer.email", "ana@example").is_err());
/// ```
///
/// # Errors
/// A [`ValidationError`] on `field` for a malformed address.
pub fn email(field: &'static str, value: &str) -> Result {
    let bad = || ValidationError::new(field, format!("{} is not an e-mail address", shown(value)));
    if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = value.split_once('@').ok_or_else(bad)?;
    if local.is_empty() || local.len() > 64 || domain.contains('@') {
        return Err(bad());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(bad());
    }
    Ok(())
}

/// Checks an absolute `http` or `https` URL with a host.
///
/// ```
/// use pagos_core::validate;
/// assert!(validate::http_url("return_url", "https://shop.cl/ok?order=1").is_ok());
/// assert!(validate::http_url("return_url", "ftp://shop.cl").is_err());
/// assert!(validate::http_url("return_url", "/relative").is_err());
/// ```
///
/// # Errors
/// A [`ValidationError`] on `field` for anything else.
pub fn http_url(field: &'static str, value: &str) -> Result {
    match url::Url::parse(value) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| !h.is_empty()) =>
        {
            Ok(())
        }
        Ok(_) => Err(ValidationError::new(
            field,
            format!("{} is not an http(s) URL", shown(value)),
        )),
        Err(e) => Err(ValidationError::new(
            field,
            format!("{} is not a URL: {e}", shown(value)),
        )),
    }
}

/// Checks an E.164 phone number: `+`, then 8 to 15 digits, the first not zero.
///
/// ```
/// use pagos_core::validate;
/// assert!(validate::phone_e164("payer.phone", "+13055606666").is_ok());
/// assert!(validate::phone_e164("payer.phone", "5513899832").is_err());
/// ```
///
/// # Errors
/// A [`ValidationError`] on `field` for anything else.
pub fn phone_e164(field: &'static str, value: &str) -> Result {
    let ok = value.strip_prefix('+').is_some_and(|d| {
        (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
    });
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!(
                "{} is not an E.164 phone number (+ and 8 to 15 digits)",
                shown(value)
            ),
        ))
    }
}

/// Checks that a text field is not blank.
///
/// # Errors
/// A [`ValidationError`] on `field` when `value` is empty or only white space.
pub fn non_empty(field: &'static str, value: &str) -> Result {
    if value.trim().is_empty() {
        Err(ValidationError::new(field, "must not be empty"))
    } else {
        Ok(())
    }
}

/// Checks an id or other value that becomes one segment of a request path.
///
/// A path segment is percent-encoded when it is joined to a base URL, but the URL
/// standard still resolves the segments `.` and `..` (and their encoded forms), so
/// such an id would address another resource: `DELETE payments/..` is
/// `DELETE /`. Blank ids, the dot segments (`.`, `..`, `%2e%2E`, and any run of dots,
/// also with white space around it), and ids with control characters are refused;
/// anything else (any Unicode, `. .` included) is accepted and travels percent-encoded.
///
/// ```
/// use pagos_core::validate;
/// assert!(validate::path_id("payment_id", "gqzdy6chjne9").is_ok());
/// assert!(validate::path_id("payment_id", "..").is_err());
/// assert!(validate::path_id("payment_id", ".\n.").is_err());
/// assert_eq!(validate::path_id("payment_id", "").unwrap_err().field(), "payment_id");
/// ```
///
/// # Errors
/// A [`ValidationError`] on `field` for an empty value, a dot segment or a control
/// character.
pub fn path_id(field: &'static str, value: &str) -> Result {
    if value.trim().is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if value.chars().any(char::is_control) {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    let lowered = value.to_ascii_lowercase();
    let undotted = lowered.replace("%2e", ".");
    if undotted.trim().chars().all(|c| c == '.') {
        return Err(ValidationError::new(
            field,
            "must not be \".\" or \"..\": a dot segment would change the request path",
        ));
    }
    Ok(())
}

/// Checks that a text field has at most `max` characters.
///
/// # Errors
/// A [`ValidationError`] on `field` when it is longer.
pub fn max_chars(field: &'static str, value: &str, max: usize) -> Result {
    let n = value.chars().count();
    if n > max {
        Err(ValidationError::new(
            field,
            format!("must have at most {max} characters, has {n}"),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_quote_a_bounded_prefix_of_the_value() {
        let huge = "x".repeat(1_000_000);
        for e in [
            email("email", &huge).unwrap_err(),
            rut("rut", &huge).unwrap_err(),
            http_url("url", &huge).unwrap_err(),
            phone_e164("phone", &huge).unwrap_err(),
            clabe("clabe", &huge).unwrap_err(),
        ] {
            assert!(e.message().len() < 200, "{}", e.message().len());
            assert!(
                e.message().contains("1000000 characters"),
                "{}",
                e.message()
            );
        }
        assert_eq!(
            email("email", "nope").unwrap_err().message(),
            "\"nope\" is not an e-mail address"
        );
    }

    #[test]
    fn clabe_reference_values() {
        assert!(clabe("c", "032180000118359719").is_ok());
        assert!(clabe("c", "646180146400219781").is_ok());
        assert!(clabe("c", "646180585000000001").is_err());
        assert!(clabe("c", "03218000011835971").is_err());
        assert!(clabe("c", "03218000011835971a").is_err());
    }

    #[test]
    fn cbu_reference_values() {
        assert!(cbu("c", "2850590940090418135201").is_ok());
        assert!(cbu("c", "2850590940090418135200").is_err());
        assert!(cbu("c", "3850590940090418135201").is_err());
        assert!(cbu("c", "285059094009041813520").is_err());
    }

    #[test]
    fn cuit_reference_values() {
        assert!(cuit("c", "20267565393").is_ok());
        assert!(cuit("c", "20-26756539-3").is_ok());
        assert!(cuit("c", "20267565390").is_err());
        assert!(cuit("c", "2026756539").is_err());
    }

    #[test]
    fn rut_reference_values() {
        assert!(rut("r", "76086428-5").is_ok());
        assert!(rut("r", "76.086.428-5").is_ok());
        assert!(rut("r", "760864285").is_ok());
        assert!(rut("r", "76086428-6").is_err());
        // 11.111.111-1 and a K check digit: 10.000.013-K
        assert!(rut("r", "11.111.111-1").is_ok());
        assert!(rut("r", "10000013-k").is_ok());
        assert!(rut("r", "10000013-K").is_ok());
        assert!(rut("r", "abc").is_err());
        // A multibyte check digit is a malformed RUT; it used to panic on a byte split
        // inside the character.
        assert!(rut("r", "7608642-é").is_err());
        assert!(rut("r", "1234567-ñ").is_err());
        assert!(rut("r", "1-😀").is_err());
    }

    #[test]
    fn email_url_phone() {
        assert!(email("e", "juan.perez.xxx@gmail.com").is_ok());
        for bad in [
            "", "a", "a@", "@b.cl", "a b@c.cl", "a@b", "a@@b.cl", "a@-b.cl",
        ] {
            assert!(email("e", bad).is_err(), "{bad}");
        }
        assert!(http_url("u", "http://127.0.0.1:8080/notify").is_ok());
        assert!(http_url("u", "mailto:a@b.cl").is_err());
        assert!(phone_e164("p", "+56912345678").is_ok());
        assert!(phone_e164("p", "+0123456789").is_err());
        assert!(phone_e164("p", "+12").is_err());
    }

    #[test]
    fn text_fields() {
        assert!(non_empty("s", "  ").is_err());
        assert!(non_empty("s", "x").is_ok());
        assert!(max_chars("s", "ñññ", 3).is_ok());
        assert!(max_chars("s", "ññññ", 3).is_err());
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn clabe_with_check(body: &[u8]) -> String {
            let sum: u32 = body
                .iter()
                .zip([3u32, 7, 1].iter().cycle())
                .map(|(d, w)| (u32::from(*d) * w) % 10)
                .sum();
            let mut s: String = body.iter().map(|d| char::from(b'0' + d)).collect();
            s.push(char::from_digit((10 - sum % 10) % 10, 10).unwrap());
            s
        }

        proptest! {
            #[test]
            fn generated_clabe_passes_and_any_changed_digit_fails(
                body in proptest::collection::vec(0u8..10, 17),
                pos in 0usize..18,
                delta in 1u8..10,
            ) {
                let valid = clabe_with_check(&body);
                prop_assert!(clabe("c", &valid).is_ok());
                let mut bytes = valid.into_bytes();
                bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
                let changed = String::from_utf8(bytes).unwrap();
                // Weight 1 positions change the sum by delta; 3 and 7 are coprime to 10:
                // every single-digit change moves the check, so it must fail.
                prop_assert!(clabe("c", &changed).is_err());
            }
        }
    }
}
