//! Citizen identity inputs at the counter: the personal identification number
//! printed on a CCCD / căn cước card ("số định danh cá nhân"), a mobile phone
//! number, a tax code, and the QR printed on a CCCD card.
//!
//! Pure functions: no I/O, no clock (the caller passes `today`).
//!
//! Errors carry positions, counts, field names and what was expected, never
//! the citizen's data (no ID number, name, date or phone number in a
//! message): an error may end up in a log, and personal data must stay out of
//! logs (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15). The officer has the input
//! on screen anyway.

use std::fmt;

use jiff::civil::Date;
use unicode_normalization::UnicodeNormalization;

use crate::i18n::{Lang, say, strings};

/// The 63 province codes of Phụ lục 1 of Thông tư 07/2016/TT-BCA ("mã tỉnh,
/// thành phố trực thuộc trung ương nơi công dân đăng ký khai sinh"), in
/// order. They are the two-digit administrative codes of Quyết định
/// 124/2004/QĐ-TTg with a leading 0.
///
/// The code is where the *birth was registered*, not where the citizen lives
/// or comes from. The names are those of the 63 provinces before the 1 July
/// 2025 merger into 34: for a number already issued they name the province of
/// that time (015 is Yên Bái, now part of Lào Cai), so show them as
/// "registered in", never as the citizen's current province.
const PROVINCES: [(&str, &str); 63] = [
    ("001", "Hà Nội"),
    ("002", "Hà Giang"),
    ("004", "Cao Bằng"),
    ("006", "Bắc Kạn"),
    ("008", "Tuyên Quang"),
    ("010", "Lào Cai"),
    ("011", "Điện Biên"),
    ("012", "Lai Châu"),
    ("014", "Sơn La"),
    ("015", "Yên Bái"),
    ("017", "Hòa Bình"),
    ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"),
    ("022", "Quảng Ninh"),
    ("024", "Bắc Giang"),
    ("025", "Phú Thọ"),
    ("026", "Vĩnh Phúc"),
    ("027", "Bắc Ninh"),
    ("030", "Hải Dương"),
    ("031", "Hải Phòng"),
    ("033", "Hưng Yên"),
    ("034", "Thái Bình"),
    ("035", "Hà Nam"),
    ("036", "Nam Định"),
    ("037", "Ninh Bình"),
    ("038", "Thanh Hóa"),
    ("040", "Nghệ An"),
    ("042", "Hà Tĩnh"),
    ("044", "Quảng Bình"),
    ("045", "Quảng Trị"),
    ("046", "Thừa Thiên Huế"),
    ("048", "Đà Nẵng"),
    ("049", "Quảng Nam"),
    ("051", "Quảng Ngãi"),
    ("052", "Bình Định"),
    ("054", "Phú Yên"),
    ("056", "Khánh Hòa"),
    ("058", "Ninh Thuận"),
    ("060", "Bình Thuận"),
    ("062", "Kon Tum"),
    ("064", "Gia Lai"),
    ("066", "Đắk Lắk"),
    ("067", "Đắk Nông"),
    ("068", "Lâm Đồng"),
    ("070", "Bình Phước"),
    ("072", "Tây Ninh"),
    ("074", "Bình Dương"),
    ("075", "Đồng Nai"),
    ("077", "Bà Rịa - Vũng Tàu"),
    ("079", "Hồ Chí Minh"),
    ("080", "Long An"),
    ("082", "Tiền Giang"),
    ("083", "Bến Tre"),
    ("084", "Trà Vinh"),
    ("086", "Vĩnh Long"),
    ("087", "Đồng Tháp"),
    ("089", "An Giang"),
    ("091", "Kiên Giang"),
    ("092", "Cần Thơ"),
    ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"),
    ("095", "Bạc Liêu"),
    ("096", "Cà Mau"),
];

/// What [`CccdNumber::province`] holds when the birth was registered abroad.
pub const REGISTERED_ABROAD: &str = "Nước ngoài";

/// Vietnam's 63 province codes as they appear in CCCD numbers (001 Hà Nội …
/// 096 Cà Mau), with names: `"001"` → `Some("Hà Nội")`, `"079"` →
/// `Some("Hồ Chí Minh")`. Country codes (see [`is_country_code`]) give `None`.
pub fn province_of_cccd(code: &str) -> Option<&'static str> {
    PROVINCES.iter().find(|(c, _)| *c == code).map(|(_, name)| *name)
}

/// Every province code with its name, in the order of the circular.
pub fn provinces() -> impl Iterator<Item = (&'static str, &'static str)> {
    PROVINCES.iter().copied()
}

/// True for the codes 101–295: a Vietnamese citizen whose birth was
/// registered abroad carries the code of that country ("mã quốc gia nơi công
/// dân đăng ký khai sinh", Nghị định 137/2015/NĐ-CP Điều 13; the list of
/// country codes is a further appendix of Thông tư 07/2016/TT-BCA, 101
/// Afghanistan … 295 Zimbabwe). Such numbers are real and must not be refused
/// at the counter.
pub fn is_country_code(code: &str) -> bool {
    code.len() == 3
        && code.bytes().all(|b| b.is_ascii_digit())
        && code.parse::<u16>().is_ok_and(|n| (101..=295).contains(&n))
}

/// Gender as encoded in the CCCD number and printed in the card's QR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    /// The word on the card: "Nam" or "Nữ".
    pub fn vi(self) -> &'static str {
        match self {
            Gender::Male => "Nam",
            Gender::Female => "Nữ",
        }
    }

    /// Reads "Nam" / "Nữ" in any case (NFC input).
    pub fn from_vi(word: &str) -> Option<Gender> {
        match word.to_lowercase().as_str() {
            "nam" => Some(Gender::Male),
            "nữ" => Some(Gender::Female),
            _ => None,
        }
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Gender::Male => "male",
            Gender::Female => "female",
        })
    }
}

/// A checked CCCD number and what it encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CccdNumber {
    /// The 12 digits, without spaces.
    pub digits: String,
    /// Province where the birth was registered (see [`province_of_cccd`]), or
    /// [`REGISTERED_ABROAD`] for a country code.
    pub province: &'static str,
    pub gender: Gender,
    /// Digits 5–6: the last two digits of the year of birth.
    pub birth_year_suffix: u8,
    /// First year of the century of birth: 1900, 2000, 2100 …
    pub century_start: i16,
}

impl CccdNumber {
    /// The year of birth the number encodes.
    pub fn birth_year(&self) -> i16 {
        self.century_start + i16::from(self.birth_year_suffix)
    }

    /// The first three digits: province (or country) code.
    pub fn place_code(&self) -> &str {
        &self.digits[..3]
    }

    /// True when the first three digits are a country code, not a province.
    pub fn registered_abroad(&self) -> bool {
        is_country_code(self.place_code())
    }

    /// For a screen the public may see: the place code and the last three
    /// digits, the rest hidden ("001******345").
    pub fn masked(&self) -> String {
        format!("{}******{}", &self.digits[..3], &self.digits[9..])
    }
}

/// Decodes the gender/century digit (4th digit): even male, odd female;
/// 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s, 6/7 → 2200s, 8/9 → 2300s.
fn century_digit(digit: u8) -> (Gender, i16) {
    let gender = if digit & 1 == 1 { Gender::Female } else { Gender::Male };
    (gender, 1900 + i16::from(digit / 2) * 100)
}

/// Checks a 12-digit CCCD number: 3-digit province code (known), 1 digit
/// gender+century (0/1 male/female born 1900s, 2/3 2000s, 4/5 2100s, 6/7
/// 2200s, 8/9 2300s), 2 digits of birth year, 6 digits. There is no check
/// digit. With a date of birth, the century digit and year digits must agree
/// with it.
///
/// Surrounding whitespace and spaces between digit groups ("001 099 012345")
/// are accepted and removed. A country code (101–295, birth registered
/// abroad) is accepted too; see [`is_country_code`].
pub fn check_cccd(input: &str, birth: Option<Date>) -> Result<CccdNumber, CitizenError> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Err(CitizenError::CccdEmpty);
    }
    if let Some((i, c)) = digits.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(CitizenError::CccdNotDigit {
            position: i + 1,
            found: c,
        });
    }
    if digits.len() != 12 {
        return Err(CitizenError::CccdLength { found: digits.len() });
    }
    let code = &digits[..3];
    let province = match province_of_cccd(code) {
        Some(name) => name,
        None if is_country_code(code) => REGISTERED_ABROAD,
        None => return Err(CitizenError::CccdUnknownProvince { code: code.to_owned() }),
    };
    let bytes = digits.as_bytes();
    let digit = bytes[3] - b'0';
    let (gender, century_start) = century_digit(digit);
    let birth_year_suffix = (bytes[4] - b'0') * 10 + (bytes[5] - b'0');
    if let Some(birth) = birth {
        let year = birth.year();
        let birth_century_start = year.div_euclid(100) * 100;
        if birth_century_start != century_start {
            return Err(CitizenError::CccdCenturyMismatch {
                digit,
                century_start,
                birth_century_start,
            });
        }
        if i16::from(birth_year_suffix) != year - birth_century_start {
            return Err(CitizenError::CccdYearMismatch);
        }
    }
    Ok(CccdNumber {
        digits,
        province,
        gender,
        birth_year_suffix,
        century_start,
    })
}

/// A mobile number: 10 digits starting with 0, or +84 followed by 9 digits
/// (spaces, dots, dashes allowed and removed). Returns the normalized
/// national form "0xxxxxxxxx".
///
/// Decisions:
/// - "84" followed by 9 digits, without the "+" (11 digits, as copied from
///   some contact lists), is read as +84: no national number has 11 digits
///   starting with 84, so this is not ambiguous.
/// - "+84 0912…" (the trunk 0 kept after the country code) is refused: after
///   +84 come exactly 9 digits.
/// - A number starting with "00" is refused (that is the international
///   prefix, not a subscriber number). The network prefix is otherwise not
///   checked, so a newly assigned range keeps working.
/// - Only Vietnamese numbers: another country code is refused.
pub fn check_phone(input: &str) -> Result<String, CitizenError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(CitizenError::PhoneEmpty);
    }
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let mut digits = String::with_capacity(12);
    for c in rest.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !(c.is_whitespace() || c == '.' || c == '-') {
            return Err(CitizenError::PhoneInvalidChar { found: c });
        }
    }
    let national = if plus || (digits.len() == 11 && digits.starts_with("84")) {
        let Some(subscriber) = digits.strip_prefix("84") else {
            return Err(CitizenError::PhoneCountryCode);
        };
        if subscriber.len() != 9 {
            return Err(CitizenError::PhoneLength {
                expected: 9,
                found: subscriber.len(),
                international: true,
            });
        }
        format!("0{subscriber}")
    } else {
        if digits.len() != 10 {
            return Err(CitizenError::PhoneLength {
                expected: 10,
                found: digits.len(),
                international: false,
            });
        }
        if !digits.starts_with('0') {
            return Err(CitizenError::PhoneLeadingZero);
        }
        digits
    };
    if national.as_bytes()[1] == b'0' {
        return Err(CitizenError::PhoneInternationalPrefix);
    }
    Ok(national)
}

/// A tax code ("mã số thuế"): 10 digits, or 10 digits + "-" + 3 digits (a
/// dependent unit / branch). Surrounding whitespace is removed; 13 digits
/// without the dash are accepted and returned with it ("0101234567-001").
/// The branch part is 001–999. The check digit (10th) is not verified.
///
/// Since 1 July 2025 an individual's tax code is their 12-digit personal ID
/// number (Thông tư 86/2024/TT-BTC): check that one with [`check_cccd`]; a
/// 12-digit input here is refused with its length.
pub fn check_tax_code(input: &str) -> Result<String, CitizenError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(CitizenError::TaxCodeEmpty);
    }
    let first_dash = s.find('-');
    for (n, (at, c)) in s.char_indices().enumerate() {
        if !(c.is_ascii_digit() || (c == '-' && first_dash == Some(at))) {
            return Err(CitizenError::TaxCodeInvalidChar {
                position: n + 1,
                found: c,
            });
        }
    }
    // Only ASCII digits and one dash from here on.
    let (main, branch) = match s.split_once('-') {
        Some((main, branch)) => (main, Some(branch)),
        None if s.len() == 13 => (&s[..10], Some(&s[10..])),
        None => (s, None),
    };
    if main.len() != 10 {
        return Err(CitizenError::TaxCodeLength { found: main.len() });
    }
    match branch {
        None => Ok(main.to_owned()),
        Some(branch) if branch.len() != 3 => Err(CitizenError::TaxCodeBranchLength { found: branch.len() }),
        Some("000") => Err(CitizenError::TaxCodeBranchZero),
        Some(branch) => Ok(format!("{main}-{branch}")),
    }
}

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
    let text = std::str::from_utf8(bytes).map_err(|e| CitizenError::QrNotUtf8 {
        valid_up_to: e.valid_up_to(),
    })?;
    let text: String = text.trim_start_matches('\u{feff}').nfc().collect();
    if text.trim().is_empty() {
        return Err(CitizenError::QrEmpty);
    }
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

fn is_eight_digits(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `ddmmyyyy` → date.
fn parse_ddmmyyyy(s: &str, field: QrField) -> Result<Date, CitizenError> {
    if !is_eight_digits(s) {
        return Err(CitizenError::QrDateFormat { field });
    }
    let b = s.as_bytes();
    // Two ASCII digits make at most 99, which fits in i8.
    let two = |i: usize| ((b[i] - b'0') * 10 + (b[i + 1] - b'0')) as i8;
    let year = i16::from(two(4)) * 100 + i16::from(two(6));
    Date::new(year, two(2), two(0)).map_err(|_| CitizenError::QrDateInvalid { field })
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use unicode_normalization::is_nfc;

    const SAMPLE: &str =
        "001099012345|013456789|Nguyễn Văn An|15031999|Nam|Số 12 Hàng Bạc, Phường Hoàn Kiếm, Hà Nội|20042021";

    fn today() -> Date {
        date(2026, 1, 15)
    }

    fn qr(s: &str) -> Result<CccdQr, CitizenError> {
        parse_cccd_qr(s.as_bytes(), today())
    }

    // --- provinces ---

    #[test]
    fn province_table_has_63_distinct_sorted_nfc_codes() {
        assert_eq!(PROVINCES.len(), 63);
        for pair in PROVINCES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (code, name) in provinces() {
            assert!(code.len() == 3 && code.starts_with('0'), "{code}");
            assert!(is_nfc(name), "{name} is not NFC");
            assert!(!is_country_code(code));
        }
    }

    #[test]
    fn province_codes_spot_checks() {
        assert_eq!(province_of_cccd("001"), Some("Hà Nội"));
        assert_eq!(province_of_cccd("079"), Some("Hồ Chí Minh"));
        assert_eq!(province_of_cccd("096"), Some("Cà Mau"));
        assert_eq!(province_of_cccd("015"), Some("Yên Bái"));
        assert_eq!(province_of_cccd("046"), Some("Thừa Thiên Huế"));
        assert_eq!(province_of_cccd("048"), Some("Đà Nẵng"));
        assert_eq!(province_of_cccd("031"), Some("Hải Phòng"));
        assert_eq!(province_of_cccd("092"), Some("Cần Thơ"));
        for code in ["000", "003", "005", "099", "097", "1", "01", "0001", "abc", ""] {
            assert_eq!(province_of_cccd(code), None, "{code}");
        }
    }

    // --- CCCD numbers ---

    #[test]
    fn valid_ha_noi_male_1900s() {
        let n = check_cccd("001099012345", Some(date(1999, 3, 15))).unwrap();
        assert_eq!(n.digits, "001099012345");
        assert_eq!(n.province, "Hà Nội");
        assert_eq!(n.gender, Gender::Male);
        assert_eq!(n.birth_year_suffix, 99);
        assert_eq!(n.century_start, 1900);
        assert_eq!(n.birth_year(), 1999);
        assert!(!n.registered_abroad());
        assert_eq!(n.masked(), "001******345");
    }

    #[test]
    fn valid_hcm_female_2000s() {
        let n = check_cccd("079303012345", Some(date(2003, 5, 10))).unwrap();
        assert_eq!(n.province, "Hồ Chí Minh");
        assert_eq!(n.gender, Gender::Female);
        assert_eq!(n.century_start, 2000);
        assert_eq!(n.birth_year(), 2003);
    }

    #[test]
    fn valid_without_birth_date_and_every_century_digit() {
        let expected = [
            (Gender::Male, 1900),
            (Gender::Female, 1900),
            (Gender::Male, 2000),
            (Gender::Female, 2000),
            (Gender::Male, 2100),
            (Gender::Female, 2100),
            (Gender::Male, 2200),
            (Gender::Female, 2200),
            (Gender::Male, 2300),
            (Gender::Female, 2300),
        ];
        for (d, (gender, century)) in expected.into_iter().enumerate() {
            let n = check_cccd(&format!("001{d}85012345"), None).unwrap();
            assert_eq!((n.gender, n.century_start), (gender, century), "digit {d}");
        }
    }

    #[test]
    fn spaces_are_removed() {
        let n = check_cccd(" 001 099 012345\r\n", None).unwrap();
        assert_eq!(n.digits, "001099012345");
    }

    #[test]
    fn country_code_means_registered_abroad() {
        let n = check_cccd("175201012345", Some(date(2001, 7, 4))).unwrap();
        assert_eq!(n.province, REGISTERED_ABROAD);
        assert!(n.registered_abroad());
        assert_eq!(province_of_cccd("175"), None);
        assert!(is_country_code("101") && is_country_code("295"));
        assert!(!is_country_code("100") && !is_country_code("296") && !is_country_code("+99"));
    }

    #[test]
    fn unknown_province() {
        for code in ["003", "000", "099", "100", "296", "999"] {
            assert_eq!(
                check_cccd(&format!("{code}099012345"), None),
                Err(CitizenError::CccdUnknownProvince { code: code.into() })
            );
        }
    }

    #[test]
    fn wrong_length() {
        assert_eq!(
            check_cccd("00109901234", None),
            Err(CitizenError::CccdLength { found: 11 })
        );
        assert_eq!(
            check_cccd("0010990123456", None),
            Err(CitizenError::CccdLength { found: 13 })
        );
        assert_eq!(
            check_cccd("013456789", None),
            Err(CitizenError::CccdLength { found: 9 })
        );
        assert_eq!(check_cccd("", None), Err(CitizenError::CccdEmpty));
        assert_eq!(check_cccd("   ", None), Err(CitizenError::CccdEmpty));
    }

    #[test]
    fn letters() {
        assert_eq!(
            check_cccd("00109901234A", None),
            Err(CitizenError::CccdNotDigit {
                position: 12,
                found: 'A'
            })
        );
        assert_eq!(
            check_cccd("O01099012345", None),
            Err(CitizenError::CccdNotDigit {
                position: 1,
                found: 'O'
            })
        );
        assert_eq!(
            check_cccd("001-099-012345", None),
            Err(CitizenError::CccdNotDigit {
                position: 4,
                found: '-'
            })
        );
        // Full-width digits are not ASCII digits.
        assert!(matches!(
            check_cccd("００1099012345", None),
            Err(CitizenError::CccdNotDigit { position: 1, .. })
        ));
    }

    #[test]
    fn century_digit_must_agree_with_birth_date() {
        // Digit 0 = male born 1900s, but born 2001.
        assert_eq!(
            check_cccd("001001012345", Some(date(2001, 1, 1))),
            Err(CitizenError::CccdCenturyMismatch {
                digit: 0,
                century_start: 1900,
                birth_century_start: 2000
            })
        );
        // Digit 3 = female born 2000s, but born 1903.
        assert_eq!(
            check_cccd("079303012345", Some(date(1903, 5, 10))),
            Err(CitizenError::CccdCenturyMismatch {
                digit: 3,
                century_start: 2000,
                birth_century_start: 1900
            })
        );
        // Born before 1900: no digit encodes it.
        assert_eq!(
            check_cccd("001099012345", Some(date(1899, 12, 31))),
            Err(CitizenError::CccdCenturyMismatch {
                digit: 0,
                century_start: 1900,
                birth_century_start: 1800
            })
        );
    }

    #[test]
    fn year_digits_must_agree_with_birth_date() {
        assert_eq!(
            check_cccd("001099012345", Some(date(1998, 3, 15))),
            Err(CitizenError::CccdYearMismatch)
        );
        assert_eq!(
            check_cccd("001200012345", Some(date(2000, 1, 1))).unwrap().birth_year(),
            2000
        );
    }

    // --- phone numbers ---

    #[test]
    fn phone_forms() {
        for input in [
            "0912345678",
            "091 234 5678",
            "0912.345.678",
            "091-234-5678",
            " 0912345678\n",
            "+84912345678",
            "+84 91 234 5678",
            "+84-912-345-678",
            // Decision: 84 + 9 digits without the plus is read as +84.
            "84912345678",
        ] {
            assert_eq!(check_phone(input).as_deref(), Ok("0912345678"), "{input:?}");
        }
    }

    #[test]
    fn phone_errors() {
        use CitizenError as E;
        assert_eq!(check_phone(""), Err(E::PhoneEmpty));
        assert_eq!(
            check_phone("091234567"),
            Err(E::PhoneLength {
                expected: 10,
                found: 9,
                international: false
            })
        );
        assert_eq!(
            check_phone("09123456789"),
            Err(E::PhoneLength {
                expected: 10,
                found: 11,
                international: false
            })
        );
        assert_eq!(check_phone("1912345678"), Err(E::PhoneLeadingZero));
        assert_eq!(
            check_phone("912345678"),
            Err(E::PhoneLength {
                expected: 10,
                found: 9,
                international: false
            })
        );
        assert_eq!(
            check_phone("+8491234567"),
            Err(E::PhoneLength {
                expected: 9,
                found: 8,
                international: true
            })
        );
        // The trunk 0 kept after +84.
        assert_eq!(
            check_phone("+84 0912345678"),
            Err(E::PhoneLength {
                expected: 9,
                found: 10,
                international: true
            })
        );
        assert_eq!(check_phone("+1 202 555 0100"), Err(E::PhoneCountryCode));
        assert_eq!(check_phone("+84012345678"), Err(E::PhoneInternationalPrefix));
        assert_eq!(check_phone("0012345678"), Err(E::PhoneInternationalPrefix));
        assert_eq!(check_phone("09123a5678"), Err(E::PhoneInvalidChar { found: 'a' }));
        assert_eq!(check_phone("(091) 2345678"), Err(E::PhoneInvalidChar { found: '(' }));
        assert_eq!(check_phone("0912+345678"), Err(E::PhoneInvalidChar { found: '+' }));
    }

    // --- tax codes ---

    #[test]
    fn tax_codes() {
        use CitizenError as E;
        assert_eq!(check_tax_code("0101234567").as_deref(), Ok("0101234567"));
        assert_eq!(check_tax_code(" 0101234567-001 ").as_deref(), Ok("0101234567-001"));
        assert_eq!(check_tax_code("0101234567001").as_deref(), Ok("0101234567-001"));
        assert_eq!(check_tax_code(""), Err(E::TaxCodeEmpty));
        assert_eq!(check_tax_code("010123456"), Err(E::TaxCodeLength { found: 9 }));
        assert_eq!(check_tax_code("001099012345"), Err(E::TaxCodeLength { found: 12 }));
        assert_eq!(check_tax_code("010123456-001"), Err(E::TaxCodeLength { found: 9 }));
        assert_eq!(
            check_tax_code("0101234567-01"),
            Err(E::TaxCodeBranchLength { found: 2 })
        );
        assert_eq!(check_tax_code("0101234567-"), Err(E::TaxCodeBranchLength { found: 0 }));
        assert_eq!(check_tax_code("0101234567-000"), Err(E::TaxCodeBranchZero));
        assert_eq!(
            check_tax_code("01012345a7"),
            Err(E::TaxCodeInvalidChar {
                position: 9,
                found: 'a'
            })
        );
        assert_eq!(
            check_tax_code("0101234567-001-1"),
            Err(E::TaxCodeInvalidChar {
                position: 15,
                found: '-'
            })
        );
        assert_eq!(
            check_tax_code("0101 234 567"),
            Err(E::TaxCodeInvalidChar {
                position: 5,
                found: ' '
            })
        );
    }

    // --- the card's QR ---

    #[test]
    fn qr_real_looking_line() {
        let q = qr(SAMPLE).unwrap();
        assert_eq!(
            q,
            CccdQr {
                id: "001099012345".into(),
                old_id: Some("013456789".into()),
                name: "Nguyễn Văn An".into(),
                birth: date(1999, 3, 15),
                gender: "Nam".into(),
                address: "Số 12 Hàng Bạc, Phường Hoàn Kiếm, Hà Nội".into(),
                issued: Some(date(2021, 4, 20)),
            }
        );
    }

    #[test]
    fn qr_with_crlf_and_bom() {
        assert_eq!(qr(&format!("{SAMPLE}\r\n")), qr(SAMPLE));
        assert_eq!(qr(&format!("{SAMPLE}\n")), qr(SAMPLE));
        assert_eq!(qr(&format!("\u{feff}{SAMPLE}\r")), qr(SAMPLE));
    }

    #[test]
    fn qr_with_spaces_around_fields() {
        let spaced = " 001099012345 | 013456789 |  Nguyễn Văn An\t| 15031999 | Nam | Số 12 Hàng Bạc, Phường Hoàn Kiếm, Hà Nội | 20042021 \r\n";
        assert_eq!(qr(spaced), qr(SAMPLE));
    }

    #[test]
    fn qr_nfd_is_normalized_to_nfc() {
        let nfd: String = SAMPLE.nfd().collect();
        assert_ne!(nfd, SAMPLE);
        let q = qr(&nfd).unwrap();
        assert_eq!(q.name, "Nguyễn Văn An");
        assert!(is_nfc(&q.name) && is_nfc(&q.address));
        assert_eq!(Ok(q), qr(SAMPLE));
    }

    #[test]
    fn qr_name_case_is_kept() {
        let upper = SAMPLE.replace("Nguyễn Văn An", "NGUYỄN VĂN AN");
        assert_eq!(qr(&upper).unwrap().name, "NGUYỄN VĂN AN");
    }

    #[test]
    fn qr_empty_old_id() {
        let line = SAMPLE.replace("|013456789|", "||");
        assert_eq!(qr(&line).unwrap().old_id, None);
        let twelve = SAMPLE.replace("|013456789|", "|001099000111|");
        assert_eq!(qr(&twelve).unwrap().old_id.as_deref(), Some("001099000111"));
        let bad = SAMPLE.replace("|013456789|", "|01345678|");
        assert_eq!(qr(&bad), Err(CitizenError::QrOldId));
    }

    #[test]
    fn qr_six_fields_without_issue_date() {
        let line = "001099012345|013456789|Nguyễn Văn An|15031999|Nam|Số 12 Hàng Bạc, Phường Hoàn Kiếm, Hà Nội";
        let q = qr(line).unwrap();
        assert_eq!(q.old_id.as_deref(), Some("013456789"));
        assert_eq!(q.birth, date(1999, 3, 15));
        assert_eq!(q.issued, None);
        let no_old = "001099012345||Nguyễn Văn An|15031999|Nam|Hà Nội";
        assert_eq!(qr(no_old).unwrap().old_id, None);
    }

    #[test]
    fn qr_six_fields_without_old_id() {
        let line = "001099012345|Nguyễn Văn An|15031999|Nam|Số 12 Hàng Bạc, Phường Hoàn Kiếm, Hà Nội|20042021";
        let q = qr(line).unwrap();
        assert_eq!(q.old_id, None);
        assert_eq!(q.name, "Nguyễn Văn An");
        assert_eq!(q.issued, Some(date(2021, 4, 20)));
    }

    #[test]
    fn qr_field_count() {
        assert_eq!(
            qr("001099012345|013456789|Nguyễn Văn An|15031999|Nam"),
            Err(CitizenError::QrFieldCount { found: 5 })
        );
        assert_eq!(qr(&format!("{SAMPLE}|")), Err(CitizenError::QrFieldCount { found: 8 }));
        let doubled = SAMPLE.replace("|Nam|", "||Nam|");
        assert_eq!(qr(&doubled), Err(CitizenError::QrFieldCount { found: 8 }));
        // Two scans run together.
        assert_eq!(
            qr(&format!("{SAMPLE}\r\n{SAMPLE}")),
            Err(CitizenError::QrFieldCount { found: 13 })
        );
        assert_eq!(qr("001099012345"), Err(CitizenError::QrFieldCount { found: 1 }));
        assert_eq!(qr(""), Err(CitizenError::QrEmpty));
        assert_eq!(qr("\r\n"), Err(CitizenError::QrEmpty));
    }

    #[test]
    fn qr_bad_dates() {
        let feb31 = SAMPLE.replace("|15031999|", "|31022000|");
        assert_eq!(qr(&feb31), Err(CitizenError::QrDateInvalid { field: QrField::Birth }));
        let slashes = SAMPLE.replace("|15031999|", "|15/03/1999|");
        assert_eq!(qr(&slashes), Err(CitizenError::QrDateFormat { field: QrField::Birth }));
        let month13 = SAMPLE.replace("|20042021", "|20132021");
        assert_eq!(
            qr(&month13),
            Err(CitizenError::QrDateInvalid { field: QrField::Issued })
        );
        let short = SAMPLE.replace("|20042021", "|2042021");
        assert_eq!(qr(&short), Err(CitizenError::QrDateFormat { field: QrField::Issued }));
    }

    #[test]
    fn qr_invalid_utf8() {
        let mut bytes = b"001099012345|013456789|Nguy".to_vec();
        bytes.extend_from_slice(&[0xC3, 0x28]); // a broken two-byte sequence
        bytes.extend_from_slice(b"n V\xE1n An|15031999|Nam|H\xE0 N\xF4i|20042021");
        assert_eq!(
            parse_cccd_qr(&bytes, today()),
            Err(CitizenError::QrNotUtf8 { valid_up_to: 27 })
        );
    }

    #[test]
    fn qr_empty_fields() {
        let no_name = SAMPLE.replace("|Nguyễn Văn An|", "|  |");
        assert_eq!(qr(&no_name), Err(CitizenError::QrEmptyField { field: QrField::Name }));
        let no_address = SAMPLE.replace("|Số 12 Hàng Bạc, Phường Hoàn Kiếm, Hà Nội|", "||");
        assert_eq!(
            qr(&no_address),
            Err(CitizenError::QrEmptyField {
                field: QrField::Address
            })
        );
        let no_id = SAMPLE.replace("001099012345|", "|");
        assert_eq!(qr(&no_id), Err(CitizenError::QrEmptyField { field: QrField::Id }));
        let no_issue = SAMPLE.replace("|20042021", "|");
        assert_eq!(
            qr(&no_issue),
            Err(CitizenError::QrEmptyField { field: QrField::Issued })
        );
    }

    #[test]
    fn qr_control_characters_and_digits_in_name() {
        let tab = SAMPLE.replace("Văn An", "Văn\tAn");
        assert_eq!(qr(&tab), Err(CitizenError::QrControlChar { field: QrField::Name }));
        let digit = SAMPLE.replace("Văn An", "Văn 4n");
        assert_eq!(qr(&digit), Err(CitizenError::QrNameDigit));
    }

    #[test]
    fn qr_id_is_checked_against_the_birth_date() {
        let wrong_year = SAMPLE.replace("|15031999|", "|15031998|");
        assert_eq!(
            qr(&wrong_year),
            Err(CitizenError::QrId(Box::new(CitizenError::CccdYearMismatch)))
        );
        let wrong_province = SAMPLE.replace("001099012345", "003099012345");
        assert_eq!(
            qr(&wrong_province),
            Err(CitizenError::QrId(Box::new(CitizenError::CccdUnknownProvince {
                code: "003".into()
            })))
        );
        let short = SAMPLE.replace("001099012345", "00109901234");
        assert_eq!(
            qr(&short),
            Err(CitizenError::QrId(Box::new(CitizenError::CccdLength { found: 11 })))
        );
    }

    #[test]
    fn qr_gender() {
        let female = SAMPLE.replace("|Nam|", "|Nữ|");
        assert_eq!(
            qr(&female),
            Err(CitizenError::QrGenderMismatch {
                qr: Gender::Female,
                id: Gender::Male
            })
        );
        let upper = SAMPLE.replace("|Nam|", "|NAM|");
        assert_eq!(qr(&upper).unwrap().gender, "Nam");
        let woman = "079303012345||TRẦN THỊ BÌNH|10052003|NỮ|Phường Bến Thành, TP. Hồ Chí Minh|01082021";
        let q = qr(woman).unwrap();
        assert_eq!(q.gender, "Nữ");
        let woman_nfd: String = woman.nfd().collect();
        assert_eq!(qr(&woman_nfd), Ok(q));
        let english = SAMPLE.replace("|Nam|", "|Male|");
        assert_eq!(qr(&english), Err(CitizenError::QrGender));
    }

    #[test]
    fn qr_dates_against_each_other_and_today() {
        let before_birth = SAMPLE.replace("|20042021", "|14031999");
        assert_eq!(qr(&before_birth), Err(CitizenError::QrIssuedBeforeBirth));
        let future = SAMPLE.replace("|20042021", "|16012026");
        assert_eq!(qr(&future), Err(CitizenError::QrIssuedInFuture));
        let on_today = SAMPLE.replace("|20042021", "|15012026");
        assert_eq!(qr(&on_today).unwrap().issued, Some(today()));
        let unborn = "001299012345||Nguyễn Văn An|15032099|Nam|Hà Nội";
        assert_eq!(qr(unborn), Err(CitizenError::QrBirthInFuture));
    }

    // --- messages ---

    #[test]
    fn messages_carry_no_personal_data() {
        let errors = [
            qr(&SAMPLE.replace("|15031999|", "|15031998|")),
            qr(&SAMPLE.replace("|Nam|", "|Nữ|")),
            qr(&SAMPLE.replace("|20042021", "|14031999")),
            qr(&SAMPLE.replace("|013456789|", "|0134567|")),
            qr(&SAMPLE.replace("|15031999|", "|31021999|")),
        ];
        for e in errors {
            let e = e.unwrap_err();
            for text in [e.to_string(), e.vi()] {
                for secret in [
                    "001099012345",
                    "013456789",
                    "Nguyễn",
                    "1503",
                    "1999",
                    "2004",
                    "Hàng Bạc",
                ] {
                    assert!(!text.contains(secret), "{text:?} contains {secret:?}");
                }
            }
        }
    }

    /// Every error's English text from the Fluent resources says what its
    /// log line says, and its Vietnamese text is there (no bare key).
    #[test]
    fn every_error_has_both_texts() {
        use CitizenError as E;
        let all = [
            E::CccdEmpty,
            E::CccdNotDigit {
                position: 3,
                found: '\u{7}',
            },
            E::CccdLength { found: 11 },
            E::CccdUnknownProvince { code: "099".into() },
            E::CccdCenturyMismatch {
                digit: 0,
                century_start: 1900,
                birth_century_start: 2000,
            },
            E::CccdYearMismatch,
            E::PhoneEmpty,
            E::PhoneInvalidChar { found: 'x' },
            E::PhoneCountryCode,
            E::PhoneLength {
                expected: 10,
                found: 9,
                international: false,
            },
            E::PhoneLength {
                expected: 9,
                found: 10,
                international: true,
            },
            E::PhoneLeadingZero,
            E::PhoneInternationalPrefix,
            E::TaxCodeEmpty,
            E::TaxCodeInvalidChar {
                position: 2,
                found: 'a',
            },
            E::TaxCodeLength { found: 7 },
            E::TaxCodeBranchLength { found: 2 },
            E::TaxCodeBranchZero,
            E::QrNotUtf8 { valid_up_to: 4 },
            E::QrEmpty,
            E::QrFieldCount { found: 3 },
            E::QrEmptyField { field: QrField::Name },
            E::QrControlChar {
                field: QrField::Address,
            },
            E::QrId(Box::new(E::CccdLength { found: 11 })),
            E::QrOldId,
            E::QrNameDigit,
            E::QrDateFormat { field: QrField::Issued },
            E::QrDateInvalid { field: QrField::Birth },
            E::QrGender,
            E::QrGenderMismatch {
                qr: Gender::Female,
                id: Gender::Male,
            },
            E::QrBirthInFuture,
            E::QrIssuedBeforeBirth,
            E::QrIssuedInFuture,
        ];
        for e in all {
            assert_eq!(e.text(Lang::En), e.to_string());
            let vi = e.vi();
            assert!(!vi.contains("citizen-") && !vi.contains('$') && !vi.is_empty(), "{vi}");
        }
    }

    #[test]
    fn messages_read_well() {
        assert_eq!(
            CitizenError::CccdLength { found: 11 }.vi(),
            "Số CCCD phải có 12 chữ số (đang có 11)"
        );
        assert_eq!(
            CitizenError::CccdLength { found: 11 }.to_string(),
            "CCCD number must have 12 digits, found 11"
        );
        assert_eq!(
            CitizenError::CccdCenturyMismatch {
                digit: 0,
                century_start: 1900,
                birth_century_start: 2000
            }
            .to_string(),
            "CCCD number's 4th digit is 0, meaning born 1900–1999, but the date of birth is in 2000–2099"
        );
        assert_eq!(
            CitizenError::PhoneLength {
                expected: 9,
                found: 10,
                international: true
            }
            .to_string(),
            "phone number must have 9 digits after +84, found 10"
        );
        assert_eq!(
            CitizenError::QrDateInvalid { field: QrField::Birth }.vi(),
            "Mã QR: ngày sinh không phải ngày có thật"
        );
        assert_eq!(
            CitizenError::QrId(Box::new(CitizenError::CccdYearMismatch)).vi(),
            "Mã QR: chữ số thứ 5 và 6 của số CCCD phải là hai số cuối của năm sinh"
        );
        assert_eq!(
            CitizenError::QrGenderMismatch {
                qr: Gender::Female,
                id: Gender::Male
            }
            .to_string(),
            "card QR: gender field says female but the ID number encodes male"
        );
    }
}
