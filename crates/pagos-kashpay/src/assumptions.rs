//! [`WireAssumptions`]: every rule of `createOrder` that the Kashpay API does not
//! document and the SDK has to assume, in one place, each overridable.
//!
//! The Kashpay API's `createOrder` table names its fields but leaves several undefined:
//! `alphanumericReference` is described as "nd", `dateTransaction` only by the example
//! `030421`, `beneficiaryTypeAcount` as "Tipo de la cuenta beneficiaria" with no codes,
//! `concept` and `numericReference` with no length. The SDK's choices are the
//! [`Default`] of this value; a client built with
//! [`KashpayClientBuilder::wire_assumptions`](crate::KashpayClientBuilder::wire_assumptions)
//! uses other ones, and `pagos kashpay orders create --help` lists them with their
//! flags.
//!
//! ```
//! use pagos_kashpay::{DateFormat, ReferenceChars, WireAssumptions};
//!
//! let defaults = WireAssumptions::default();
//! assert_eq!(defaults.concept_max_chars, 40);
//! assert_eq!(defaults.date_transaction, DateFormat::DayMonthYear);
//! assert_eq!(defaults.account_type_codes.clabe, "40");
//! assert_eq!(defaults.numeric_reference_max_digits, 10);
//!
//! let told_by_kashpay = WireAssumptions::default()
//!     .concept_max_chars(60)
//!     .date_transaction(DateFormat::YearMonthDay)
//!     .alphanumeric_reference(ReferenceChars::Printable);
//! assert_eq!(told_by_kashpay.concept_max_chars, 60);
//! ```

use std::borrow::Cow;

use pagos_core::ValidationError;
use time::Date;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

/// Which characters `alphanumericReference` may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReferenceChars {
    /// ASCII letters and digits only (the default: the field's name says
    /// "alphanumeric", and the Kashpay API's example is `PROVV0011712091`).
    LettersAndDigits,
    /// Any printable ASCII character, space included (`PROV-001/A`).
    Printable,
}

impl ReferenceChars {
    /// Whether `reference` holds only these characters.
    pub fn allows(self, reference: &str) -> bool {
        match self {
            ReferenceChars::LettersAndDigits => {
                reference.bytes().all(|b| b.is_ascii_alphanumeric())
            }
            ReferenceChars::Printable => reference.bytes().all(|b| (0x20..0x7f).contains(&b)),
        }
    }

    /// What the error message says is allowed.
    fn describe(self) -> &'static str {
        match self {
            ReferenceChars::LettersAndDigits => "ASCII letters and digits only",
            ReferenceChars::Printable => "printable ASCII characters only",
        }
    }
}

/// The order of day, month and year in `dateTransaction` (always two digits each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DateFormat {
    /// `ddMMyy` (the default): the Kashpay API's example `030421` read as 3 April 2021,
    /// the usual Mexican order.
    DayMonthYear,
    /// `MMddyy`: the same example read as 4 March 2021.
    MonthDayYear,
    /// `yyMMdd`: the same example read as 21 April 2003.
    YearMonthDay,
}

const DD_MM_YY: &[BorrowedFormatItem<'static>] =
    format_description!("[day][month][year repr:last_two]");
const MM_DD_YY: &[BorrowedFormatItem<'static>] =
    format_description!("[month][day][year repr:last_two]");
const YY_MM_DD: &[BorrowedFormatItem<'static>] =
    format_description!("[year repr:last_two][month][day]");

impl DateFormat {
    /// `date` in this format.
    ///
    /// ```
    /// use pagos_kashpay::DateFormat;
    /// let date = time::macros::date!(2021 - 04 - 03);
    /// assert_eq!(DateFormat::DayMonthYear.format(date), "030421");
    /// assert_eq!(DateFormat::MonthDayYear.format(date), "040321");
    /// assert_eq!(DateFormat::YearMonthDay.format(date), "210403");
    /// ```
    pub fn format(self, date: Date) -> String {
        let items = match self {
            DateFormat::DayMonthYear => DD_MM_YY,
            DateFormat::MonthDayYear => MM_DD_YY,
            DateFormat::YearMonthDay => YY_MM_DD,
        };
        // Formatting a Date with day/month/year components cannot fail.
        date.format(items).unwrap_or_default()
    }

    /// The pattern's name: `ddMMyy`, `MMddyy` or `yyMMdd`.
    pub fn pattern(self) -> &'static str {
        match self {
            DateFormat::DayMonthYear => "ddMMyy",
            DateFormat::MonthDayYear => "MMddyy",
            DateFormat::YearMonthDay => "yyMMdd",
        }
    }
}

/// The `beneficiaryTypeAcount` code sent for each [`AccountType`](crate::AccountType).
///
/// The defaults are the account-type catalogue Mexican SPEI participants share (`40`
/// CLABE, `3` debit card, `10` mobile phone); the Kashpay API lists none.
/// [`AccountType::Other`](crate::AccountType::Other) always sends its own code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct AccountTypeCodes {
    /// For [`AccountType::Clabe`](crate::AccountType::Clabe); default `40`.
    pub clabe: Cow<'static, str>,
    /// For [`AccountType::DebitCard`](crate::AccountType::DebitCard); default `3`.
    pub debit_card: Cow<'static, str>,
    /// For [`AccountType::MobilePhone`](crate::AccountType::MobilePhone); default `10`.
    pub mobile_phone: Cow<'static, str>,
}

impl AccountTypeCodes {
    /// The SPEI catalogue: `40`, `3`, `10`.
    pub const DEFAULT: AccountTypeCodes = AccountTypeCodes {
        clabe: Cow::Borrowed("40"),
        debit_card: Cow::Borrowed("3"),
        mobile_phone: Cow::Borrowed("10"),
    };

    /// The same codes with this one for a CLABE.
    #[must_use]
    pub fn clabe(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.clabe = code.into();
        self
    }

    /// The same codes with this one for a debit card.
    #[must_use]
    pub fn debit_card(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.debit_card = code.into();
        self
    }

    /// The same codes with this one for a mobile phone.
    #[must_use]
    pub fn mobile_phone(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.mobile_phone = code.into();
        self
    }
}

impl Default for AccountTypeCodes {
    fn default() -> Self {
        AccountTypeCodes::DEFAULT
    }
}

/// The assumed rules of `createOrder` (see the [module docs](self)). Every field is an
/// assumption: the Kashpay API does not document it, and the SDK's [`Default`] is its
/// best reading. Override a field when Kashpay tells you otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct WireAssumptions {
    /// **Assumption**: which characters `alphanumericReference` may hold. The Kashpay
    /// API describes the field as "nd"; its name and its example (`PROVV0011712091`)
    /// suggest [`ReferenceChars::LettersAndDigits`], the default.
    pub alphanumeric_reference: ReferenceChars,
    /// **Assumption**: the most characters `concept` may have. The Kashpay API gives no
    /// limit; SPEI's payment concept ("concepto de pago") holds 40, the default.
    pub concept_max_chars: usize,
    /// **Assumption**: the order of `dateTransaction`. The Kashpay API shows only
    /// `030421`; [`DateFormat::DayMonthYear`] (3 April 2021) is the default.
    pub date_transaction: DateFormat,
    /// **Assumption**: the `beneficiaryTypeAcount` codes. The Kashpay API lists none;
    /// the defaults are SPEI's shared catalogue (`40`, `3`, `10`).
    pub account_type_codes: AccountTypeCodes,
    /// **Assumption**: the most digits `numericReference` may have. The Kashpay API
    /// gives no limit and its own example has 8 (`43223123`), more than SPEI's 7-digit
    /// numeric reference, so SPEI's 7 cannot be Kashpay's limit. The default, 10, leaves
    /// room beyond the example and stays far within the integers a JSON number carries
    /// exactly (the field is sent as a number).
    pub numeric_reference_max_digits: u32,
}

impl WireAssumptions {
    /// The SDK's assumptions (see each field).
    pub const DEFAULT: WireAssumptions = WireAssumptions {
        alphanumeric_reference: ReferenceChars::LettersAndDigits,
        concept_max_chars: 40,
        date_transaction: DateFormat::DayMonthYear,
        account_type_codes: AccountTypeCodes::DEFAULT,
        numeric_reference_max_digits: 10,
    };

    /// The same assumptions with these `alphanumericReference` characters.
    #[must_use]
    pub fn alphanumeric_reference(mut self, chars: ReferenceChars) -> Self {
        self.alphanumeric_reference = chars;
        self
    }

    /// The same assumptions with this `concept` limit.
    #[must_use]
    pub fn concept_max_chars(mut self, max: usize) -> Self {
        self.concept_max_chars = max;
        self
    }

    /// The same assumptions with this `dateTransaction` format.
    #[must_use]
    pub fn date_transaction(mut self, format: DateFormat) -> Self {
        self.date_transaction = format;
        self
    }

    /// The same assumptions with these `beneficiaryTypeAcount` codes.
    #[must_use]
    pub fn account_type_codes(mut self, codes: AccountTypeCodes) -> Self {
        self.account_type_codes = codes;
        self
    }

    /// The same assumptions with this `numericReference` limit.
    #[must_use]
    pub fn numeric_reference_max_digits(mut self, max: u32) -> Self {
        self.numeric_reference_max_digits = max;
        self
    }

    /// What a `numericReference` may be, for error messages.
    pub(crate) fn numeric_reference_rule(&self) -> String {
        format!(
            "a number of 1 to {} digits without a leading zero, sent as a JSON number (the \
             Kashpay API's example is 43223123; the digit limit is an assumption, \
             WireAssumptions::numeric_reference_max_digits)",
            self.numeric_reference_max_digits
        )
    }

    /// Checks a `numericReference`.
    pub(crate) fn check_numeric_reference(
        &self,
        field: &'static str,
        value: u64,
    ) -> Result<(), ValidationError> {
        let digits = value.checked_ilog10().map_or(1, |d| d + 1);
        if value == 0 || digits > self.numeric_reference_max_digits {
            return Err(ValidationError::new(
                field,
                format!(
                    "{value} is not a Kashpay numericReference: {}",
                    self.numeric_reference_rule()
                ),
            ));
        }
        Ok(())
    }

    /// Reads a `numericReference` from text exactly as given: digits only, no leading
    /// zero (a JSON number would drop it), within the digit limit. Nothing is ever
    /// derived or hashed: what cannot be sent as given is refused.
    ///
    /// ```
    /// use pagos_kashpay::WireAssumptions;
    /// let rules = WireAssumptions::default();
    /// assert_eq!(rules.parse_numeric_reference("reference", "43223123")?, 43223123);
    /// assert!(rules.parse_numeric_reference("reference", "PAYOUT0001").is_err());
    /// assert!(rules.parse_numeric_reference("reference", "0042").is_err());
    /// assert!(rules.parse_numeric_reference("reference", "12345678901").is_err());
    /// # Ok::<(), pagos_core::ValidationError>(())
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`] on `field` saying what a `numericReference` may be.
    pub fn parse_numeric_reference(
        &self,
        field: &'static str,
        text: &str,
    ) -> Result<u64, ValidationError> {
        let refuse = || {
            let shown: String = text.chars().take(40).collect();
            ValidationError::new(
                field,
                format!(
                    "{shown:?} cannot be sent as Kashpay's numericReference: it must be {}",
                    self.numeric_reference_rule()
                ),
            )
        };
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.starts_with('0') {
            return Err(refuse());
        }
        let value: u64 = text.parse().map_err(|_| refuse())?;
        self.check_numeric_reference(field, value)
            .map_err(|_| refuse())?;
        Ok(value)
    }

    /// Checks an `alphanumericReference` against [`Self::alphanumeric_reference`].
    pub(crate) fn check_alphanumeric_reference(
        &self,
        field: &'static str,
        value: &str,
    ) -> Result<(), ValidationError> {
        if self.alphanumeric_reference.allows(value) {
            Ok(())
        } else {
            Err(ValidationError::new(
                field,
                format!(
                    "Kashpay's alphanumericReference takes {} (an assumption: \
                     WireAssumptions::alphanumeric_reference)",
                    self.alphanumeric_reference.describe()
                ),
            ))
        }
    }

    /// Checks a `concept` against [`Self::concept_max_chars`].
    pub(crate) fn check_concept(
        &self,
        field: &'static str,
        value: &str,
    ) -> Result<(), ValidationError> {
        let chars = value.chars().count();
        if chars > self.concept_max_chars {
            return Err(ValidationError::new(
                field,
                format!(
                    "a concept has at most {} characters, got {chars} (SPEI's limit, an \
                     assumption: WireAssumptions::concept_max_chars)",
                    self.concept_max_chars
                ),
            ));
        }
        Ok(())
    }
}

impl Default for WireAssumptions {
    fn default() -> Self {
        WireAssumptions::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_references_are_sent_as_given_or_refused() {
        let rules = WireAssumptions::default();
        assert_eq!(
            rules.parse_numeric_reference("r", "43223123").unwrap(),
            43_223_123
        );
        assert_eq!(rules.parse_numeric_reference("r", "1").unwrap(), 1);
        assert_eq!(
            rules.parse_numeric_reference("r", "9999999999").unwrap(),
            9_999_999_999
        );
        for bad in [
            "",
            "0",
            "007",
            "12345678901",
            "PAYOUT0001",
            "4322-3123",
            "٤٣",
            &"9".repeat(500),
        ] {
            let e = rules.parse_numeric_reference("reference", bad).unwrap_err();
            assert_eq!(e.field(), "reference");
            assert!(e.message().contains("1 to 10 digits"), "{e}");
        }
        let wider = rules.clone().numeric_reference_max_digits(12);
        assert_eq!(
            wider.parse_numeric_reference("r", "123456789012").unwrap(),
            123_456_789_012
        );
        assert!(rules.check_numeric_reference("r", 0).is_err());
        assert!(rules.check_numeric_reference("r", 10_000_000_000).is_err());
        assert!(rules.check_numeric_reference("r", 9_999_999_999).is_ok());
    }

    #[test]
    fn reference_chars_and_concepts() {
        let rules = WireAssumptions::default();
        assert!(
            rules
                .check_alphanumeric_reference("a", "PROVV0011712091")
                .is_ok()
        );
        assert!(rules.check_alphanumeric_reference("a", "PROV-001").is_err());
        let printable = rules
            .clone()
            .alphanumeric_reference(ReferenceChars::Printable);
        assert!(
            printable
                .check_alphanumeric_reference("a", "PROV-001/A b")
                .is_ok()
        );
        assert!(
            printable
                .check_alphanumeric_reference("a", "PROV\n1")
                .is_err()
        );
        assert!(
            printable
                .check_alphanumeric_reference("a", "PROVñ")
                .is_err()
        );
        assert!(rules.check_concept("c", &"ñ".repeat(40)).is_ok());
        assert!(rules.check_concept("c", &"x".repeat(41)).is_err());
        assert!(
            rules
                .clone()
                .concept_max_chars(41)
                .check_concept("c", &"x".repeat(41))
                .is_ok()
        );
    }
}
