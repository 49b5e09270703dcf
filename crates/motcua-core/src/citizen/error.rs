//! Every way a citizen input can be wrong, and its words in both
//! languages from the Fluent resources.

use crate::i18n::{Lang, say};

use super::{Gender, QrField};

/// Every way the inputs can be wrong. The English text ([`fmt::Display`])
/// is for logs and developers, [`CitizenError::vi`] for the officer's screen.
/// Neither carries the citizen's data (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CitizenError {
    #[error("CCCD number is empty")]
    CccdEmpty,
    /// `position` counts from 1, spaces not counted.
    #[error("CCCD number must contain only digits: character {position} is {found:?}")]
    CccdNotDigit { position: usize, found: char },
    #[error("CCCD number must have 12 digits, found {found}")]
    CccdLength { found: usize },
    #[error("CCCD number starts with {code}, which is neither a province code (001–096) nor a country code (101–295)")]
    CccdUnknownProvince { code: String },
    #[error(
        "CCCD number's 4th digit is {digit}, meaning born {century_start}–{}, but the date of birth is in {birth_century_start}–{}",
        .century_start + 99,
        .birth_century_start + 99
    )]
    CccdCenturyMismatch {
        digit: u8,
        century_start: i16,
        birth_century_start: i16,
    },
    #[error("CCCD number's 5th and 6th digits must be the last two digits of the year of birth")]
    CccdYearMismatch,

    #[error("phone number is empty")]
    PhoneEmpty,
    #[error("phone number may contain only digits, spaces, dots and dashes (and a leading +): found {found:?}")]
    PhoneInvalidChar { found: char },
    #[error("only Vietnamese phone numbers (+84) are accepted")]
    PhoneCountryCode,
    #[error(
        "phone number must have {expected} digits{}, found {found}",
        if *.international { " after +84" } else { " starting with 0" }
    )]
    PhoneLength {
        expected: usize,
        found: usize,
        international: bool,
    },
    #[error("a 10-digit phone number must start with 0")]
    PhoneLeadingZero,
    #[error("phone number must not start with 00 (international prefix): write +84 or 0 followed by the number")]
    PhoneInternationalPrefix,

    #[error("tax code is empty")]
    TaxCodeEmpty,
    #[error("tax code must be digits with one dash after the 10th: character {position} is {found:?}")]
    TaxCodeInvalidChar { position: usize, found: char },
    #[error("tax code must have 10 digits (or 10 digits, '-', 3 digits), found {found}")]
    TaxCodeLength { found: usize },
    #[error("tax code branch part (after '-') must have 3 digits, found {found}")]
    TaxCodeBranchLength { found: usize },
    #[error("tax code branch part must be 001–999, not 000")]
    TaxCodeBranchZero,

    #[error(
        "card QR is not valid UTF-8 (bad byte at offset {valid_up_to}); check the scanner's keyboard/encoding setting"
    )]
    QrNotUtf8 { valid_up_to: usize },
    #[error("card QR is empty")]
    QrEmpty,
    #[error("card QR must have 7 fields separated by '|' (or 6 on older cards), found {found}")]
    QrFieldCount { found: usize },
    #[error("card QR: the {field} field is empty")]
    QrEmptyField { field: QrField },
    #[error("card QR: the {field} field contains a control character")]
    QrControlChar { field: QrField },
    #[error("card QR: ID number field: {0}")]
    QrId(Box<CitizenError>),
    #[error("card QR: the old ID number field must be empty or 9 or 12 digits")]
    QrOldId,
    #[error("card QR: the name field contains a digit (fields out of place?)")]
    QrNameDigit,
    #[error("card QR: the {field} field must be a date written ddmmyyyy (8 digits)")]
    QrDateFormat { field: QrField },
    #[error("card QR: the {field} field is not a real date (day or month out of range)")]
    QrDateInvalid { field: QrField },
    #[error("card QR: the gender field must be \"Nam\" or \"Nữ\"")]
    QrGender,
    #[error("card QR: gender field says {qr} but the ID number encodes {id}")]
    QrGenderMismatch { qr: Gender, id: Gender },
    #[error("card QR: the date of birth is after today")]
    QrBirthInFuture,
    #[error("card QR: the date of issue is before the date of birth")]
    QrIssuedBeforeBirth,
    #[error("card QR: the date of issue is after today")]
    QrIssuedInFuture,
    #[error("card QR: none of its {fields} fields reads as an ID number, a date, a gender, a name or an address")]
    QrNothingRecognised { fields: usize },
}

impl CitizenError {
    /// A short message in Vietnamese for the officer's screen, e.g. "Số CCCD
    /// phải có 12 chữ số".
    pub fn vi(&self) -> String {
        self.text(Lang::Vi)
    }

    /// The message in `lang`, from the Fluent resources (`messages.ftl`).
    pub fn text(&self, lang: Lang) -> String {
        use CitizenError as E;
        let field = |f: &QrField| ("field", f.text(lang));
        let quoted = |c: &char| ("found_quoted", format!("{c:?}"));
        match self {
            E::CccdEmpty => say(lang, "citizen-cccd-empty", &[]),
            E::CccdNotDigit { position, found } => say(
                lang,
                "citizen-cccd-not-digit",
                &[
                    ("position", position.to_string()),
                    ("found", found.to_string()),
                    quoted(found),
                ],
            ),
            E::CccdLength { found } => say(lang, "citizen-cccd-length", &[("found", found.to_string())]),
            E::CccdUnknownProvince { code } => say(lang, "citizen-cccd-unknown-province", &[("code", code.clone())]),
            E::CccdCenturyMismatch {
                digit,
                century_start,
                birth_century_start,
            } => say(
                lang,
                "citizen-cccd-century-mismatch",
                &[
                    ("digit", digit.to_string()),
                    ("from", century_start.to_string()),
                    ("to", (century_start + 99).to_string()),
                    ("birth_from", birth_century_start.to_string()),
                    ("birth_to", (birth_century_start + 99).to_string()),
                ],
            ),
            E::CccdYearMismatch => say(lang, "citizen-cccd-year-mismatch", &[]),

            E::PhoneEmpty => say(lang, "citizen-phone-empty", &[]),
            E::PhoneInvalidChar { found } => say(
                lang,
                "citizen-phone-invalid-char",
                &[("found", found.to_string()), quoted(found)],
            ),
            E::PhoneCountryCode => say(lang, "citizen-phone-country-code", &[]),
            E::PhoneLength {
                expected,
                found,
                international,
            } => say(
                lang,
                if *international {
                    "citizen-phone-length-international"
                } else {
                    "citizen-phone-length"
                },
                &[("expected", expected.to_string()), ("found", found.to_string())],
            ),
            E::PhoneLeadingZero => say(lang, "citizen-phone-leading-zero", &[]),
            E::PhoneInternationalPrefix => say(lang, "citizen-phone-international-prefix", &[]),

            E::TaxCodeEmpty => say(lang, "citizen-tax-code-empty", &[]),
            E::TaxCodeInvalidChar { position, found } => say(
                lang,
                "citizen-tax-code-invalid-char",
                &[
                    ("position", position.to_string()),
                    ("found", found.to_string()),
                    quoted(found),
                ],
            ),
            E::TaxCodeLength { found } => say(lang, "citizen-tax-code-length", &[("found", found.to_string())]),
            E::TaxCodeBranchLength { found } => {
                say(lang, "citizen-tax-code-branch-length", &[("found", found.to_string())])
            }
            E::TaxCodeBranchZero => say(lang, "citizen-tax-code-branch-zero", &[]),

            E::QrNotUtf8 { valid_up_to } => say(lang, "citizen-qr-not-utf8", &[("offset", valid_up_to.to_string())]),
            E::QrEmpty => say(lang, "citizen-qr-empty", &[]),
            E::QrFieldCount { found } => say(lang, "citizen-qr-field-count", &[("found", found.to_string())]),
            E::QrEmptyField { field: f } => say(lang, "citizen-qr-empty-field", &[field(f)]),
            E::QrControlChar { field: f } => say(lang, "citizen-qr-control-char", &[field(f)]),
            E::QrId(inner) => {
                // After a colon: Vietnamese lowers the inner message's first letter.
                let reason = match lang {
                    Lang::Vi => lowercase_first(&inner.text(lang)),
                    Lang::En => inner.text(lang),
                };
                say(lang, "citizen-qr-id", &[("reason", reason)])
            }
            E::QrOldId => say(lang, "citizen-qr-old-id", &[]),
            E::QrNameDigit => say(lang, "citizen-qr-name-digit", &[]),
            E::QrDateFormat { field: f } => say(lang, "citizen-qr-date-format", &[field(f)]),
            E::QrDateInvalid { field: f } => say(lang, "citizen-qr-date-invalid", &[field(f)]),
            E::QrGender => say(lang, "citizen-qr-gender", &[]),
            E::QrGenderMismatch { qr, id } => {
                let word = |g: &Gender| match lang {
                    Lang::Vi => g.vi().to_string(),
                    Lang::En => g.to_string(),
                };
                say(
                    lang,
                    "citizen-qr-gender-mismatch",
                    &[("qr", word(qr)), ("id", word(id))],
                )
            }
            E::QrBirthInFuture => say(lang, "citizen-qr-birth-in-future", &[]),
            E::QrIssuedBeforeBirth => say(lang, "citizen-qr-issued-before-birth", &[]),
            E::QrIssuedInFuture => say(lang, "citizen-qr-issued-in-future", &[]),
            E::QrNothingRecognised { fields } => {
                say(lang, "citizen-qr-nothing-recognised", &[("fields", fields.to_string())])
            }
        }
    }
}

/// "Số CCCD …" → "số CCCD …", to follow a colon.
fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
