//! The personal identification number on a CCCD / căn cước card: the
//! province or country of birth registration, gender and century, year of
//! birth.

use std::fmt;

use jiff::civil::Date;

use super::CitizenError;

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
pub(super) const PROVINCES: [(&str, &str); 63] = [
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
