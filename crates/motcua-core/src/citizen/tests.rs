use super::cccd::PROVINCES;
use super::*;
use crate::i18n::Lang;
use jiff::civil::{Date, date};
use unicode_normalization::{UnicodeNormalization, is_nfc};

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
        E::QrNothingRecognised { fields: 2 },
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
