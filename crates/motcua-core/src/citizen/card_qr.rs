//! The QR printed on a CCCD card, as a USB scanner types it.

use std::fmt;

use jiff::civil::Date;
use unicode_normalization::UnicodeNormalization;

use super::{CitizenError, Gender, check_cccd};
use crate::i18n::{Lang, strings};

/// What the QR printed on a CCCD card says: plain text
/// `ID|old ID|name|ddmmyyyy|gender|address|issue ddmmyyyy` (old ID may be
/// empty).
///
/// The QR is not signed: anyone can print one. Good for prefilling a form,
/// never proof of identity; the officer still looks at the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CccdQr {
    /// The 12-digit number, checked with [`check_cccd`] against `birth`.
    pub id: String,
    /// The former 9- or 12-digit ID (CMND), when the card carries one.
    pub old_id: Option<String>,
    /// As printed (upper or mixed case), trimmed, NFC.
    pub name: String,
    pub birth: Date,
    /// "Nam" or "Nữ" (canonical spelling, whatever the case in the QR).
    pub gender: String,
    /// Place of permanent residence as printed, trimmed, NFC.
    pub address: String,
    /// Date of issue; `None` for the 6-field QRs that carry none.
    pub issued: Option<Date>,
}

/// The fields of a CCCD QR, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrField {
    Id,
    OldId,
    Name,
    Birth,
    Gender,
    Address,
    Issued,
}

impl QrField {
    /// The field's name in `lang`, to put in a message.
    pub fn text(self, lang: Lang) -> String {
        let id = match self {
            QrField::Id => "qr-field-id",
            QrField::OldId => "qr-field-old-id",
            QrField::Name => "qr-field-name",
            QrField::Birth => "qr-field-birth",
            QrField::Gender => "qr-field-gender",
            QrField::Address => "qr-field-address",
            QrField::Issued => "qr-field-issued",
        };
        strings().t(lang, id)
    }
}

impl fmt::Display for QrField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// What a scanner typed, as text: UTF-8, without a byte-order mark, in
/// NFC (some readers send NFD); an empty scan is refused.
pub(super) fn scanned_text(bytes: &[u8]) -> Result<String, CitizenError> {
    let text = std::str::from_utf8(bytes).map_err(|e| CitizenError::QrNotUtf8 {
        valid_up_to: e.valid_up_to(),
    })?;
    let text: String = text.trim_start_matches('\u{feff}').nfc().collect();
    if text.trim().is_empty() {
        return Err(CitizenError::QrEmpty);
    }
    Ok(text)
}

/// Parses what a USB scanner typed (bytes, since a scanner can send
/// anything) from the QR of a CCCD card, checking it against `today`.
///
/// Accepted:
/// - 7 fields `ID|old ID|name|ddmmyyyy|gender|address|issue ddmmyyyy`, the
///   common form (old ID empty when the citizen had none);
/// - 6 fields, found on some older cards and readers. Two layouts are in
///   circulation and told apart by the third field, which is a date (8
///   digits) only when the old ID is missing:
///   `ID|old ID|name|ddmmyyyy|gender|address` (no date of issue) and
///   `ID|name|ddmmyyyy|gender|address|issue ddmmyyyy` (no old ID).
///
/// Anything else is refused with the count found. The input may start with a
/// byte-order mark and end with the scanner's CR/LF; each field is trimmed
/// and the text is normalized to NFC (some readers send NFD).
pub fn parse_cccd_qr(bytes: &[u8], today: Date) -> Result<CccdQr, CitizenError> {
    let text = scanned_text(bytes)?;
    let fields: Vec<&str> = text.split('|').map(str::trim).collect();

    let (id, old_id, name, birth, gender, address, issued) = match fields[..] {
        [id, old, name, birth, gender, address, issued] => (id, Some(old), name, birth, gender, address, Some(issued)),
        // 6 fields, the third a date: the old ID is missing.
        [id, name, birth, gender, address, issued] if is_eight_digits(birth) => {
            (id, None, name, birth, gender, address, Some(issued))
        }
        // 6 fields otherwise: the date of issue is missing.
        [id, old, name, birth, gender, address] => (id, Some(old), name, birth, gender, address, None),
        _ => return Err(CitizenError::QrFieldCount { found: fields.len() }),
    };

    let named = [
        (QrField::Id, Some(id)),
        (QrField::OldId, old_id),
        (QrField::Name, Some(name)),
        (QrField::Birth, Some(birth)),
        (QrField::Gender, Some(gender)),
        (QrField::Address, Some(address)),
        (QrField::Issued, issued),
    ];
    for (field, value) in named {
        let Some(value) = value else { continue };
        if value.is_empty() && field != QrField::OldId {
            return Err(CitizenError::QrEmptyField { field });
        }
        if value.chars().any(char::is_control) {
            return Err(CitizenError::QrControlChar { field });
        }
    }

    let number = check_cccd(id, None).map_err(|e| CitizenError::QrId(Box::new(e)))?;
    let old_id = match old_id {
        None | Some("") => None,
        Some(old) if old.bytes().all(|b| b.is_ascii_digit()) && (old.len() == 9 || old.len() == 12) => {
            Some(old.to_owned())
        }
        Some(_) => return Err(CitizenError::QrOldId),
    };
    if name.chars().any(|c| c.is_ascii_digit()) {
        return Err(CitizenError::QrNameDigit);
    }
    let birth = parse_ddmmyyyy(birth, QrField::Birth)?;
    let Some(qr_gender) = Gender::from_vi(gender) else {
        return Err(CitizenError::QrGender);
    };
    let issued = issued.map(|s| parse_ddmmyyyy(s, QrField::Issued)).transpose()?;

    if birth > today {
        return Err(CitizenError::QrBirthInFuture);
    }
    check_cccd(&number.digits, Some(birth)).map_err(|e| CitizenError::QrId(Box::new(e)))?;
    if qr_gender != number.gender {
        return Err(CitizenError::QrGenderMismatch {
            qr: qr_gender,
            id: number.gender,
        });
    }
    if let Some(issued) = issued {
        if issued < birth {
            return Err(CitizenError::QrIssuedBeforeBirth);
        }
        if issued > today {
            return Err(CitizenError::QrIssuedInFuture);
        }
    }

    Ok(CccdQr {
        id: number.digits,
        old_id,
        name: name.to_owned(),
        birth,
        gender: qr_gender.vi().to_owned(),
        address: address.to_owned(),
        issued,
    })
}

pub(super) fn is_eight_digits(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `ddmmyyyy` → date.
pub(super) fn parse_ddmmyyyy(s: &str, field: QrField) -> Result<Date, CitizenError> {
    if !is_eight_digits(s) {
        return Err(CitizenError::QrDateFormat { field });
    }
    let b = s.as_bytes();
    // Two ASCII digits make at most 99, which fits in i8.
    let two = |i: usize| ((b[i] - b'0') * 10 + (b[i + 1] - b'0')) as i8;
    let year = i16::from(two(4)) * 100 + i16::from(two(6));
    Date::new(year, two(2), two(0)).map_err(|_| CitizenError::QrDateInvalid { field })
}
