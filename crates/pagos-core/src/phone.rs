//! [`Phone`]: a phone number as people write it, normalized per provider.
//!
//! The unified request takes a phone in any common form (`+52 55 1234 5678`,
//! `(55) 1234-5678`, `5512345678`, `+51 987 654 321`, `0052 55…`). Providers want
//! different wire forms: KashIO an E.164 number, ComproPago ten national digits. A
//! [`Phone`] keeps only what the number says (its digits, and whether it was written
//! with a country code); each provider turns it into its form with
//! [`Phone::e164`] or [`Phone::national`], and refuses what it cannot carry.

use std::fmt;

use crate::error::ValidationError;

/// The most digits a phone number has (E.164).
const MAX_DIGITS: usize = 15;

/// A phone number: its digits, and whether they start with a country calling code.
///
/// ```
/// use pagos_core::Phone;
/// let mx = Phone::parse("phone", "+52 55 1234 5678")?;
/// assert_eq!(mx.national("phone", "52", 10)?, "5512345678");
/// assert_eq!(mx.e164("phone", "52")?, "+525512345678");
/// let local = Phone::parse("phone", "(55) 1234-5678")?;
/// assert_eq!(local.national("phone", "52", 10)?, "5512345678");
/// let pe = Phone::parse("phone", "987 654 321")?;
/// assert_eq!(pe.e164("phone", "51")?, "+51987654321");
/// assert!(Phone::parse("phone", "55-CALL-NOW").is_err());
/// # Ok::<(), pagos_core::ValidationError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone {
    digits: String,
    international: bool,
}

impl Phone {
    /// Reads a phone number. Spaces, dots, hyphens, slashes and parentheses are
    /// separators; a leading `+` or `00` says a country code follows. Nothing else is
    /// accepted, so a typo is refused rather than guessed around.
    ///
    /// # Errors
    /// A [`ValidationError`] on `field` when the text has another character, no digit,
    /// more than 15 digits, or a `+` anywhere but at the start.
    pub fn parse(field: &'static str, value: &str) -> Result<Phone, ValidationError> {
        let text = value.trim();
        let (international, rest) = match text.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut digits = String::new();
        for c in rest.chars() {
            match c {
                '0'..='9' => {
                    if digits.len() == MAX_DIGITS {
                        return Err(ValidationError::new(
                            field,
                            format!("{} has more than {MAX_DIGITS} digits", shown(value)),
                        ));
                    }
                    digits.push(c);
                }
                ' ' | '.' | '-' | '/' | '(' | ')' => {}
                _ => {
                    return Err(ValidationError::new(
                        field,
                        format!(
                            "{} is not a phone number (digits, spaces, dots, hyphens and \
                             parentheses, with an optional leading +)",
                            shown(value)
                        ),
                    ));
                }
            }
        }
        // "00" is the international call prefix written without a plus.
        let (international, digits) = match digits.strip_prefix("00") {
            Some(rest) if !international && !rest.is_empty() => (true, rest.to_string()),
            _ => (international, digits),
        };
        if digits.is_empty() {
            return Err(ValidationError::new(
                field,
                format!("{} has no digits", shown(value)),
            ));
        }
        Ok(Phone {
            digits,
            international,
        })
    }

    /// The digits as written, without separators or the `+`.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// Whether the number was written with a country calling code (`+` or `00`).
    pub fn is_international(&self) -> bool {
        self.international
    }

    /// The E.164 form (`+` and 8 to 15 digits). A number written without a country
    /// code is read as national to `country_code` (e.g. `"51"` for Peru); one leading
    /// trunk `0` is dropped first.
    ///
    /// ```
    /// use pagos_core::Phone;
    /// assert_eq!(Phone::parse("p", "+51 987 654 321")?.e164("p", "51")?, "+51987654321");
    /// assert_eq!(Phone::parse("p", "+52 55 1234 5678")?.e164("p", "51")?, "+525512345678");
    /// assert!(Phone::parse("p", "+1234")?.e164("p", "51").is_err());
    /// # Ok::<(), pagos_core::ValidationError>(())
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`] on `field` when the result would not be 8 to 15 digits or
    /// would start with `0`.
    pub fn e164(&self, field: &'static str, country_code: &str) -> Result<String, ValidationError> {
        let full = if self.international {
            self.digits.clone()
        } else {
            let national = self.digits.strip_prefix('0').unwrap_or(&self.digits);
            format!("{country_code}{national}")
        };
        if (8..=MAX_DIGITS).contains(&full.len()) && !full.starts_with('0') {
            Ok(format!("+{full}"))
        } else {
            Err(ValidationError::new(
                field,
                format!(
                    "{} is not a phone number in E.164 form (+ and 8 to 15 digits, the \
                     country code first)",
                    self
                ),
            ))
        }
    }

    /// The national number of `len` digits for the country `country_code`: the digits
    /// themselves when written without a country code, or what follows the country
    /// code when written with it.
    ///
    /// ```
    /// use pagos_core::Phone;
    /// assert_eq!(Phone::parse("p", "+52 55 1234 5678")?.national("p", "52", 10)?, "5512345678");
    /// assert!(Phone::parse("p", "+51 987 654 321")?.national("p", "52", 10).is_err());
    /// assert!(Phone::parse("p", "55 1234 567")?.national("p", "52", 10).is_err());
    /// # Ok::<(), pagos_core::ValidationError>(())
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`] on `field` when the number belongs to another country or
    /// its national part is not `len` digits long.
    pub fn national(
        &self,
        field: &'static str,
        country_code: &str,
        len: usize,
    ) -> Result<&str, ValidationError> {
        let national = if self.international {
            self.digits.strip_prefix(country_code).ok_or_else(|| {
                ValidationError::new(
                    field,
                    format!("{self} is not a number of country code +{country_code}"),
                )
            })?
        } else {
            &self.digits
        };
        if national.len() == len {
            Ok(national)
        } else {
            Err(ValidationError::new(
                field,
                format!(
                    "{self} does not have the {len} national digits a +{country_code} \
                     number has"
                ),
            ))
        }
    }
}

/// The value quoted in an error: at most 40 characters of what was given.
fn shown(value: &str) -> String {
    let head: String = value.chars().take(40).collect();
    if head.len() < value.len() {
        format!("{head:?}…")
    } else {
        format!("{head:?}")
    }
}

impl fmt::Display for Phone {
    /// `+` and the digits for an international number, the digits otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.international {
            f.write_str("+")?;
        }
        f.write_str(&self.digits)
    }
}

impl fmt::Debug for Phone {
    /// A phone number is personal data: only its length and form are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Phone")
            .field("digits", &self.digits.len())
            .field("international", &self.international)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_examples() {
        let mx = Phone::parse("phone", "+52 55 1234 5678").unwrap();
        assert_eq!(mx.national("phone", "52", 10).unwrap(), "5512345678");
        let mx_local = Phone::parse("phone", "5512345678").unwrap();
        assert_eq!(mx_local.national("phone", "52", 10).unwrap(), "5512345678");
        assert_eq!(mx_local.e164("phone", "52").unwrap(), "+525512345678");
        let pe = Phone::parse("phone", "+51 987 654 321").unwrap();
        assert_eq!(pe.e164("phone", "51").unwrap(), "+51987654321");
        assert!(pe.national("phone", "52", 10).is_err());
    }

    #[test]
    fn forms() {
        for (text, digits, intl) in [
            ("0052 55 1234 5678", "525512345678", true),
            ("(55) 1234-5678", "5512345678", false),
            ("55.1234.5678", "5512345678", false),
            ("  +51-987-654-321 ", "51987654321", true),
            ("6666", "6666", false),
        ] {
            let p = Phone::parse("phone", text).unwrap();
            assert_eq!((p.digits(), p.is_international()), (digits, intl), "{text}");
        }
        for bad in [
            "",
            "+",
            "++52",
            "52+1",
            "55 CALL",
            "١٢٣٤",
            "+5255123456781234",
            "—",
        ] {
            assert!(Phone::parse("phone", bad).is_err(), "{bad:?}");
        }
        let long = "9".repeat(10_000);
        let e = Phone::parse("phone", &long).unwrap_err();
        assert!(e.to_string().len() < 200);
    }

    #[test]
    fn debug_hides_the_number() {
        let p = Phone::parse("phone", "+52 55 1234 5678").unwrap();
        assert!(!format!("{p:?}").contains("1234"));
    }
}
