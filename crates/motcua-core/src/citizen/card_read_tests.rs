//! The tolerant reader of both card generations' QR.

use super::*;
use crate::i18n::Lang;
use jiff::civil::{Date, date};
use unicode_normalization::UnicodeNormalization;

/// The chip CCCD's front QR, in the known order.
const CHIP: &str =
    "001099012345|013456789|Nguyễn Văn An|15031999|Nam|Số 12 Hàng Bạc, Phường Hoàn Kiếm, Hà Nội|20042021";

/// A made-up căn cước QR: fields in another order, `;` between them, no
/// old ID, "Nu" without diacritics, an expiry date and a field nobody
/// knows, spaces and the scanner's CR/LF at the end.
const NEW_CARD: &str =
    "Trần Thị Bình;001301012345 ;Nu;01022001;Số 7 ngõ 15, Phường Ba Đình, Hà Nội;15082024;01022041;QX7 \r\n";

fn today() -> Date {
    date(2026, 1, 15)
}

fn read(s: &str) -> Result<CardRead, CitizenError> {
    read_card_qr(s.as_bytes(), today())
}

fn value<T: Clone>(f: &Option<Found<T>>) -> Option<(T, Sureness, usize)> {
    f.as_ref().map(|f| (f.value.clone(), f.sure, f.position))
}

use Sureness::{Certain, Guessed};

#[test]
fn the_chip_cccd_layout_is_certain_throughout() {
    let r = read(CHIP).unwrap();
    assert_eq!(r.card, CardKind::ChipCccd);
    assert_eq!(value(&r.id), Some(("001099012345".into(), Certain, 1)));
    assert_eq!(value(&r.old_id), Some(("013456789".into(), Certain, 2)));
    assert_eq!(value(&r.name), Some(("Nguyễn Văn An".into(), Certain, 3)));
    assert_eq!(value(&r.birth), Some((date(1999, 3, 15), Certain, 4)));
    assert_eq!(value(&r.gender), Some((Gender::Male, Certain, 5)));
    assert_eq!(
        value(&r.address),
        Some(("Số 12 Hàng Bạc, Phường Hoàn Kiếm, Hà Nội".into(), Certain, 6))
    );
    assert_eq!(value(&r.issued), Some((date(2021, 4, 20), Certain, 7)));
    assert!(r.unrecognised.is_empty());
    assert!(r.guessed().is_empty());
    assert!(r.missing().is_empty());
}

#[test]
fn the_strict_parser_and_the_reader_agree_on_the_known_layouts() {
    for line in [
        CHIP,
        "001099012345||Nguyễn Văn An|15031999|Nam|Hà Nội|20042021",
        // The two 6-field layouts.
        "001099012345|013456789|Nguyễn Văn An|15031999|Nam|Hà Nội",
        "001099012345|Nguyễn Văn An|15031999|Nam|Hà Nội|20042021",
    ] {
        let strict = parse_cccd_qr(line.as_bytes(), today()).unwrap();
        let r = read(line).unwrap();
        assert_eq!(r.id.unwrap().value, strict.id);
        assert_eq!(r.old_id.map(|f| f.value), strict.old_id);
        assert_eq!(r.name.unwrap().value, strict.name);
        assert_eq!(r.birth.unwrap().value, strict.birth);
        assert_eq!(r.gender.unwrap().value.vi(), strict.gender);
        assert_eq!(r.address.unwrap().value, strict.address);
        assert_eq!(r.issued.map(|f| f.value), strict.issued);
        assert_eq!(r.card, CardKind::ChipCccd, "{line}");
    }
    // Without an old ID the name is the second field.
    let r = read("001099012345|Nguyễn Văn An|15031999|Nam|Hà Nội|20042021").unwrap();
    assert_eq!((r.name.unwrap().position, r.issued.unwrap().position), (2, 6));
}

#[test]
fn the_known_layout_with_other_separators_is_still_certain() {
    let chip = read(CHIP).unwrap();
    assert_eq!(read(&CHIP.replace('|', ";")), Ok(chip.clone()));
    assert_eq!(read(&CHIP.replace('|', "\r\n")), Ok(chip.clone()));
    // A `|` present: `;` is part of a field, not a separator.
    assert_eq!(
        read(&CHIP.replace("Hàng Bạc, Phường", "Hàng Bạc; Phường"))
            .unwrap()
            .guessed(),
        vec![]
    );
}

#[test]
fn a_date_of_issue_since_july_2024_tells_the_new_card() {
    let r = read(&CHIP.replace("|20042021", "|01072024")).unwrap();
    assert_eq!(r.card, CardKind::CanCuoc);
    assert!(r.guessed().is_empty(), "the known layout stays certain");
    let r = read(&CHIP.replace("|20042021", "|30062024")).unwrap();
    assert_eq!(r.card, CardKind::ChipCccd);
}

#[test]
fn a_new_card_in_another_order_is_read_by_shape() {
    let r = read(NEW_CARD).unwrap();
    assert_eq!(r.card, CardKind::CanCuoc);
    // Vouched for by each other: the number, its birth year, its gender digit.
    assert_eq!(value(&r.id), Some(("001301012345".into(), Certain, 2)));
    assert_eq!(value(&r.birth), Some((date(2001, 2, 1), Certain, 4)));
    assert_eq!(value(&r.gender), Some((Gender::Female, Certain, 3)));
    assert_eq!(value(&r.issued), Some((date(2024, 8, 15), Certain, 6)));
    // By shape alone.
    assert_eq!(value(&r.name), Some(("Trần Thị Bình".into(), Guessed, 1)));
    assert_eq!(
        value(&r.address),
        Some(("Số 7 ngõ 15, Phường Ba Đình, Hà Nội".into(), Guessed, 5))
    );
    assert_eq!(r.old_id, None);
    assert_eq!(r.guessed(), vec![QrField::Name, QrField::Address]);
    assert!(r.missing().is_empty());
    // The expiry date and the unknown field are left to the officer.
    let left: Vec<(usize, Shape)> = r.unrecognised.iter().map(|u| (u.position, u.shape)).collect();
    assert_eq!(left, vec![(7, Shape::FutureDate), (8, Shape::Text)]);
}

#[test]
fn line_breaks_separate_fields_when_nothing_else_does() {
    let lines = NEW_CARD.trim().replace(';', "\n");
    let by_lines = read(&lines).unwrap();
    let by_semicolons = read(NEW_CARD).unwrap();
    assert_eq!(by_lines, by_semicolons);
    let crlf = NEW_CARD.trim().replace(';', "\r\n");
    assert_eq!(read(&crlf).unwrap(), by_semicolons);
}

#[test]
fn old_ids_of_nine_and_twelve_digits() {
    let nine = read("Trần Thị Bình|013456789|001301012345|Nu|01022001|Hà Nội, Việt Nam").unwrap();
    assert_eq!(value(&nine.old_id), Some(("013456789".into(), Guessed, 2)));
    assert_eq!(nine.id.unwrap().position, 3);
    // Two valid 12-digit numbers: the one whose birth year is on the card is
    // the ID number; neither is certain.
    let twelve = read("001101012399;001301012345;Trần Thị Bình;01022001;Nu;Hà Nội, Việt Nam").unwrap();
    assert_eq!(value(&twelve.id), Some(("001301012345".into(), Guessed, 2)));
    assert_eq!(value(&twelve.old_id), Some(("001101012399".into(), Guessed, 1)));
    // A 12-digit number check_cccd refuses is no ID number.
    let bad = read("099301012345;Trần Thị Bình;01022001;Nu").unwrap();
    assert_eq!(bad.id, None);
    assert_eq!(bad.unrecognised[0].shape, Shape::Digits(12));
    assert_eq!(bad.birth.unwrap().sure, Guessed);
}

#[test]
fn gender_in_any_case_with_or_without_diacritics() {
    for (word, gender) in [
        ("Nam", Gender::Male),
        ("NAM", Gender::Male),
        ("nam", Gender::Male),
        ("Nữ", Gender::Female),
        ("NỮ", Gender::Female),
        ("nữ", Gender::Female),
        ("Nu", Gender::Female),
        ("NU", Gender::Female),
    ] {
        for word in [word.to_string(), word.nfd().collect::<String>()] {
            let line = format!("Trần Thị Bình;{word};001301012345;01022001");
            let r = read(&line).unwrap();
            assert_eq!(r.gender.as_ref().map(|g| g.value), Some(gender), "{word}");
            // Certain only when the ID number's digit says the same.
            let agrees = gender == Gender::Female;
            assert_eq!(r.gender.unwrap().sure == Certain, agrees, "{word}");
        }
    }
    let r = read("Trần Thị Bình;Nữ giới;001301012345").unwrap();
    assert_eq!(r.gender, None, "two words are a name's shape, not a gender");
}

#[test]
fn an_id_number_and_dates_that_disagree_are_both_guessed() {
    // Born 2001 by the number, 1999 by the only date.
    let r = read("001301012345;Trần Thị Bình;01021999;Nu").unwrap();
    assert_eq!(r.id.as_ref().map(|f| f.sure), Some(Guessed));
    assert_eq!(value(&r.birth), Some((date(1999, 2, 1), Guessed, 3)));
}

#[test]
fn without_an_id_number_the_earliest_date_is_the_birth() {
    let r = read("Trần Thị Bình;15082024;01022001;Nu;Thôn Đông").unwrap();
    assert_eq!(r.id, None);
    assert_eq!(value(&r.birth), Some((date(2001, 2, 1), Guessed, 3)));
    assert_eq!(value(&r.issued), Some((date(2024, 8, 15), Guessed, 2)));
    // Two words after the gender: the address, though it has no digit.
    assert_eq!(value(&r.address), Some(("Thôn Đông".into(), Guessed, 5)));
    assert_eq!(r.missing(), vec![QrField::Id]);
    assert_eq!(r.card, CardKind::CanCuoc);
}

#[test]
fn dates_that_cannot_be_a_birth_or_an_issue() {
    // 31 February, a date in 1850, a date after today.
    let r = read("001301012345;31022001;01011850;01022001;16012026").unwrap();
    assert_eq!(r.birth.unwrap().value, date(2001, 2, 1));
    assert_eq!(r.issued, None);
    let left: Vec<Shape> = r.unrecognised.iter().map(|u| u.shape).collect();
    assert_eq!(left, vec![Shape::Digits(8), Shape::Date, Shape::FutureDate]);
    // Several later dates: the latest is the issue, a guess.
    let r = read("001301012345;01022001;15082024;03032020").unwrap();
    assert_eq!(value(&r.issued), Some((date(2024, 8, 15), Guessed, 3)));
    assert_eq!(r.unrecognised[0].shape, Shape::Date);
    // Issue on today's date is fine; tomorrow is not an issue date.
    let r = read("001301012345;01022001;15012026").unwrap();
    assert_eq!(r.issued.unwrap().value, today());
}

#[test]
fn an_unrecognised_field_is_shown_in_part_and_never_in_debug() {
    let secret = "Quê quán: xã Đông Hội, huyện Đông Anh";
    let r = read(&format!("{NEW_CARD};{secret}").replace("\r\n", "")).unwrap();
    let u = r.unrecognised.last().unwrap();
    assert_eq!(u.position, 9);
    assert_eq!(u.preview(), "Quê quán: xã Đôn…");
    assert_eq!(u.text(Lang::Vi), "trường 9 (chữ): «Quê quán: xã Đôn…»");
    assert_eq!(u.text(Lang::En), "field 9 (text): «Quê quán: xã Đôn…»");
    let short = read("001301012345;01022001;ABC").unwrap();
    assert_eq!(short.unrecognised[0].text(Lang::Vi), "trường 3 (chữ): «ABC»");
    let digits = read("001301012345;01022001;12345").unwrap();
    assert_eq!(digits.unrecognised[0].text(Lang::En), "field 3 (5 digits): «12345»");

    let debug = format!("{r:?}");
    for personal in [
        "Trần",
        "001301012345",
        "2001",
        "Ba Đình",
        "Quê",
        "Đông",
        "QX7",
        "Female",
    ] {
        assert!(!debug.contains(personal), "{personal} in {debug}");
    }
    assert!(debug.contains("position: 9"), "{debug}");
}

#[test]
fn card_kinds_and_messages_in_both_languages() {
    assert_eq!(CardKind::ChipCccd.text(Lang::Vi), "thẻ CCCD gắn chip");
    assert_eq!(CardKind::CanCuoc.text(Lang::En), "căn cước card");
    assert_eq!(CardKind::Unknown.text(Lang::Vi), "thẻ chưa rõ loại");
    let e = read("garbage|x").unwrap_err();
    assert_eq!(e, CitizenError::QrNothingRecognised { fields: 2 });
    assert_eq!(
        e.vi(),
        "Mã QR: không trường nào (trong 2 trường) đọc được thành số định danh, ngày, giới tính, họ tên hay địa chỉ"
    );
    assert_eq!(e.text(Lang::En), e.to_string());
}

#[test]
fn empty_and_unreadable_scans_are_refused() {
    assert_eq!(read(""), Err(CitizenError::QrEmpty));
    assert_eq!(read(" \r\n"), Err(CitizenError::QrEmpty));
    assert_eq!(read("\u{feff}"), Err(CitizenError::QrEmpty));
    assert_eq!(read("|||;;"), Err(CitizenError::QrNothingRecognised { fields: 4 }));
    let mut bytes = b"001301012345;Tr".to_vec();
    bytes.push(0xff);
    assert_eq!(
        read_card_qr(&bytes, today()),
        Err(CitizenError::QrNotUtf8 { valid_up_to: 15 })
    );
    // An unknown layout with the new card's ID number alone.
    let r = read("001301012345").unwrap();
    assert_eq!(r.id.unwrap().sure, Certain);
    assert_eq!(r.card, CardKind::Unknown);
}

/// A small deterministic generator, so the garbage is the same at every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn garbage_never_panics_and_every_field_is_placed_once() {
    let pieces = [
        "|",
        ";",
        "\r\n",
        "\n",
        " ",
        "001301012345",
        "001099012345",
        "013456789",
        "01022001",
        "15082024",
        "31022001",
        "99999999",
        "Nu",
        "NỮ",
        "Nam",
        "Trần Thị Bình",
        "Số 7, Hà Nội",
        "\u{0}",
        "\u{feff}",
        "é",
        "\u{301}",
        "🙂",
        "0",
        "x",
    ];
    let mut rng = Lcg(14);
    for round in 0..4000 {
        let bytes: Vec<u8> = if round % 4 == 0 {
            // Raw bytes, mostly not UTF-8.
            (0..rng.next() % 80).map(|_| rng.next() as u8).collect()
        } else {
            let n = rng.next() % 14;
            (0..n)
                .map(|_| pieces[(rng.next() as usize) % pieces.len()])
                .collect::<String>()
                .into_bytes()
        };
        let Ok(r) = read_card_qr(&bytes, today()) else { continue };
        let mut seen: Vec<usize> = r.unrecognised.iter().map(|u| u.position).collect();
        seen.extend(r.id.iter().map(|f| f.position));
        seen.extend(r.old_id.iter().map(|f| f.position));
        seen.extend(r.name.iter().map(|f| f.position));
        seen.extend(r.birth.iter().map(|f| f.position));
        seen.extend(r.gender.iter().map(|f| f.position));
        seen.extend(r.address.iter().map(|f| f.position));
        seen.extend(r.issued.iter().map(|f| f.position));
        let count = seen.len();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), count, "a field placed twice in {bytes:?}");
        assert!(seen.iter().all(|&p| p >= 1), "{bytes:?}");
        for u in &r.unrecognised {
            let _ = (u.text(Lang::Vi), u.preview());
        }
    }
}

#[test]
fn the_address_is_long_and_never_the_name_again() {
    // A short code with a digit is no address; the longer field with commas is.
    let r = read("Trần Thị Bình;001301012345;Nu;01022001;QX7;Thôn Đông, Hà Nội").unwrap();
    assert_eq!(value(&r.address), Some(("Thôn Đông, Hà Nội".into(), Guessed, 6)));
    assert_eq!(r.unrecognised[0].position, 5);
    // The name after the gender stays the name, and no address is made of it.
    let r = read("001301012345;Nu;Trần Thị Bình;01022001").unwrap();
    assert_eq!(r.name.as_ref().map(|f| f.position), Some(3));
    assert_eq!(r.address, None);
    assert_eq!(r.missing(), vec![QrField::Address, QrField::Issued]);
}
