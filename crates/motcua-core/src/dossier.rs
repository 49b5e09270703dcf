//! Dossier codes and statuses: the code an office gives a dossier (office,
//! `yymmdd`, a daily sequence), the sequences a counter gives while central
//! is out of reach, and the ten national status codes.

use jiff::civil::Date;

/// National dossier statuses, as the portal counts them.
pub const STATUSES: [(u8, &str, &str); 10] = [
    (1, "Mới đăng ký", "newly registered"),
    (2, "Đã tiếp nhận", "accepted"),
    (3, "Không được tiếp nhận", "not accepted"),
    (4, "Đang xử lý", "processing"),
    (5, "Yêu cầu bổ sung", "supplement requested"),
    (6, "Yêu cầu thực hiện nghĩa vụ tài chính", "payment requested"),
    (7, "Công dân yêu cầu rút hồ sơ", "withdrawn by citizen"),
    (8, "Dừng xử lý", "processing stopped"),
    (9, "Đã xử lý xong", "processed"),
    (10, "Đã trả kết quả", "result returned"),
];

/// The sequence a counter in `slot` gives its `n`th dossier of a day while
/// central is out of reach: `9`, the count of the slot's digits less one,
/// the slot, and `n` in at least three digits (slot 3's 7th is `903007`,
/// slot 150's 1,500th is `921501500`).
///
/// Every offline sequence starts with `9` and no central one does, so the
/// two never meet. The digit count makes the slot self-delimiting, so two
/// slots never meet either, however many dossiers each takes in; and at
/// six digits or more they stay clear of the 4–5 digit `slot·1000 + n`
/// numbers counters gave before this layout.
pub fn offline_number(slot: u32, n: u32) -> String {
    let slot = slot.to_string();
    format!("9{}{slot}{n:03}", slot.len() - 1)
}

/// Central's `n`th sequence of a day: the number itself in at least four
/// digits (`0001`, …, `9999`, `10000`, …, growing instead of wrapping, as
/// Circular 04/2025 asks: "at least 4 characters"), except that from six
/// digits on it passes over the numbers led by `9`, which belong to the
/// counters' offline blocks ([`offline_number`]): 899999 is followed by
/// 1000000. A day of 12,000 dossiers ends at `12000`.
pub fn central_number(n: u32) -> String {
    if n < 900_000 {
        return format!("{n:04}");
    }
    // Within each length from seven digits on, the 8·10^(len-1) numbers
    // led by 1–8.
    let mut rest = u64::from(n) - 900_000;
    let mut first = 1_000_000u64;
    loop {
        let block = first * 8;
        if rest < block {
            return (first + rest).to_string();
        }
        rest -= block;
        first *= 10;
    }
}

/// A dossier code: the office's agency code, `-YYMMDD-`, and a sequence of
/// at least 4 digits ([`offline_number`] or [`central_number`]).
pub fn format_code(office: &str, day: Date, sequence: impl AsRef<str>) -> String {
    format!(
        "{office}-{:02}{:02}{:02}-{}",
        day.year() % 100,
        day.month(),
        day.day(),
        sequence.as_ref()
    )
}

/// The longest agency code QĐ 20/2020/QĐ-TTg allows.
pub const AGENCY_CODE_MAX: usize = 35;

/// Which way an agency's electronic ID code is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencyOrder {
    /// From the top level down, as QĐ 20/2020 writes it and the 2025 codes
    /// use it: `H26.22.15`.
    TopDown,
    /// Lowest level first, as the 2018 dossier codes wrote it (Circular
    /// 01/2018): `000.00.01.H26`.
    LowestFirst,
}

/// Why a text is not an agency's electronic ID code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgencyCodeError {
    #[error("is empty")]
    Empty,
    #[error("is {0} characters long; an agency code has at most 35")]
    TooLong(usize),
    #[error("has level `{0}`: each level between dots is 2–3 digits, or the first level's letter A–Y and 2 digits")]
    Level(String),
    #[error("has no level of a letter A–Y and 2 digits (like H26) at either end")]
    NoTopLevel,
}

/// Checks `code` as an agency's electronic ID code (QĐ 20/2020/QĐ-TTg):
/// levels separated by dots, the first level a letter A–Y and two digits,
/// the others 2–3 digits, at most 35 characters; written from the top
/// level down (`H26.22.15`) or, as the 2018 dossier codes did, lowest
/// level first (`000.00.01.H26`). Hà Nội re-issued its agencies' codes in
/// August 2025, so the code itself comes from configuration.
pub fn check_agency_code(code: &str) -> Result<AgencyOrder, AgencyCodeError> {
    if code.is_empty() {
        return Err(AgencyCodeError::Empty);
    }
    let chars = code.chars().count();
    if chars > AGENCY_CODE_MAX {
        return Err(AgencyCodeError::TooLong(chars));
    }
    let top = |l: &str| {
        let b = l.as_bytes();
        b.len() == 3 && (b'A'..=b'Y').contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit)
    };
    let lower = |l: &str| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_digit());
    let levels: Vec<&str> = code.split('.').collect();
    for l in &levels {
        if !top(l) && !lower(l) {
            return Err(AgencyCodeError::Level((*l).to_string()));
        }
    }
    let tops: Vec<usize> = (0..levels.len()).filter(|&i| top(levels[i])).collect();
    match tops.as_slice() {
        [0] => Ok(AgencyOrder::TopDown),
        [i] if *i == levels.len() - 1 => Ok(AgencyOrder::LowestFirst),
        [] => Err(AgencyCodeError::NoTopLevel),
        // A letter level in the middle, or more than one: name the last.
        _ => Err(AgencyCodeError::Level(
            tops.last().map(|&i| levels[i]).unwrap_or_default().to_string(),
        )),
    }
}

/// A dossier code read back into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCode {
    /// The agency code, as written in the code.
    pub agency: String,
    /// How the agency code is written: lowest level first in the 2018
    /// layout, top-down in the 2025 ones.
    pub order: AgencyOrder,
    /// The day the dossier was received.
    pub day: Date,
    /// The daily sequence as written: at least 4 digits.
    pub sequence: String,
}

impl ParsedCode {
    /// The code's sequence read in the form Circular 04/2025 (Art. 23.2)
    /// gives procedures served by a nationally centralised system,
    /// `…-YYMMDD-AAXXXX`: the two digits of the system owner's code and
    /// the sequence after them. Only a 2025 code with at least six digits
    /// can be of that form; whether it is depends on the system that
    /// numbered it, which the code does not say.
    pub fn centralised(&self) -> Option<(&str, &str)> {
        (self.order == AgencyOrder::TopDown && self.sequence.len() >= 6).then(|| self.sequence.split_at(2))
    }
}

/// Why a text is not a dossier code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("has not the shape agency code-YYMMDD-sequence")]
    Shape,
    #[error("agency code `{agency}` {error}")]
    Agency { agency: String, error: AgencyCodeError },
    #[error("date `{0}` is not a day written YYMMDD")]
    Day(String),
    #[error("sequence `{0}` is not 4 or more digits")]
    Sequence(String),
}

/// Reads a dossier code of the 2018 layout (`000.00.01.H26-261128-0001`),
/// the 2025 layout (`H26.22.15-261128-0001`, sequence growing past 9999)
/// or the centralised-system form (`H26.22.15-261128-010001`), for lookup
/// and verification. Spaces around it are not part of it.
pub fn parse_code(code: &str) -> Result<ParsedCode, CodeError> {
    let code = code.trim();
    let mut parts = code.rsplitn(3, '-');
    let (Some(sequence), Some(yymmdd), Some(agency)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(CodeError::Shape);
    };
    let order = check_agency_code(agency).map_err(|error| CodeError::Agency {
        agency: agency.to_string(),
        error,
    })?;
    let day = parse_day(yymmdd).ok_or_else(|| CodeError::Day(yymmdd.to_string()))?;
    if sequence.len() < 4 || !sequence.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodeError::Sequence(sequence.to_string()));
    }
    Ok(ParsedCode {
        agency: agency.to_string(),
        order,
        day,
        sequence: sequence.to_string(),
    })
}

/// A `YYMMDD` day of this century.
pub fn parse_day(yymmdd: &str) -> Option<Date> {
    if yymmdd.len() != 6 || !yymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| yymmdd[r].parse::<i8>().ok();
    Date::new(2000 + i16::from(n(0..2)?), n(2..4)?, n(4..6)?).ok()
}

/// How a step of a dossier, or the dossier, kept to its appointment, as
/// the process-control slip and the national index count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timeliness {
    /// Done on a day before the appointment's ("trước hạn").
    Early,
    /// Done on the appointment's day, by its time ("đúng hạn").
    OnTime,
    /// Done after the appointment ("quá hạn").
    Late,
}

impl Timeliness {
    /// Whether `done` kept to the appointment `due`, by days in Việt Nam.
    pub fn of(done: jiff::Timestamp, due: jiff::Timestamp) -> Timeliness {
        if done > due {
            Timeliness::Late
        } else if crate::time::local_day(done) < crate::time::local_day(due) {
            Timeliness::Early
        } else {
            Timeliness::OnTime
        }
    }

    /// As the forms print it.
    pub fn vi(self) -> &'static str {
        match self {
            Timeliness::Early => "Trước hạn",
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::Late => "Quá hạn",
        }
    }
}

/// A national dossier status (codes 1–10 as the portal counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Registered = 1,
    Accepted = 2,
    NotAccepted = 3,
    Processing = 4,
    SupplementRequested = 5,
    PaymentRequested = 6,
    Withdrawn = 7,
    Stopped = 8,
    Processed = 9,
    Returned = 10,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Registered,
        Status::Accepted,
        Status::NotAccepted,
        Status::Processing,
        Status::SupplementRequested,
        Status::PaymentRequested,
        Status::Withdrawn,
        Status::Stopped,
        Status::Processed,
        Status::Returned,
    ];

    /// The national code, 1–10.
    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<Status> {
        Status::ALL.get(usize::from(code).checked_sub(1)?).copied()
    }

    /// The status's name in the national list, in Vietnamese.
    pub fn name_vi(self) -> &'static str {
        STATUSES[usize::from(self.code()) - 1].1
    }
}

/// Whether `code` has the shape of a dossier code: 1–64 letters, digits,
/// dots and dashes.
pub fn code_ok(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_by_code() {
        for (i, s) in Status::ALL.iter().enumerate() {
            assert_eq!(usize::from(s.code()), i + 1);
            assert_eq!(Status::from_code(s.code()), Some(*s));
            assert_eq!(s.name_vi(), STATUSES[i].1);
        }
        assert_eq!(Status::from_code(0), None);
        assert_eq!(Status::from_code(11), None);
        assert_eq!(Status::Returned.name_vi(), "Đã trả kết quả");
    }

    #[test]
    fn central_and_offline_numbers_never_meet() {
        let offline: std::collections::HashSet<String> = (1..=99)
            .flat_map(|slot| (1..=999).map(move |n| offline_number(slot, n)))
            .collect();
        for n in 1..=200_000 {
            assert!(!offline.contains(&central_number(n)), "{n}");
        }
        assert_eq!(central_number(1), "0001");
        assert_eq!(central_number(999), "0999");
        assert_eq!(central_number(9999), "9999");
        assert_eq!(central_number(10_000), "10000");
        assert_eq!(central_number(12_000), "12000");
        assert_eq!(central_number(899_999), "899999");
        assert_eq!(central_number(900_000), "1000000");
        assert_eq!(central_number(900_000 + 7_999_999), "8999999");
        assert_eq!(central_number(900_000 + 8_000_000), "10000000");
        let day = jiff::civil::date(2026, 11, 28);
        assert_eq!(
            format_code("000.00.01.H26", day, central_number(1)),
            "000.00.01.H26-261128-0001"
        );
        assert_eq!(
            format_code("000.00.01.H26", day, offline_number(3, 7)),
            "000.00.01.H26-261128-903007"
        );
    }

    /// The sequence part of a code: at least four digits.
    fn sequence_of(code: &str) -> &str {
        let (_, sequence) = code.rsplit_once('-').unwrap();
        assert!(
            sequence.len() >= 4 && sequence.bytes().all(|b| b.is_ascii_digit()),
            "{code}"
        );
        sequence
    }

    #[test]
    fn a_busy_counter_in_a_high_slot_never_repeats_a_code() {
        use std::collections::HashSet;
        let office = "000.00.01.H26";
        let day = jiff::civil::date(2026, 11, 28);
        let code = |sequence: String| format_code(office, day, sequence);
        // Slot 150 takes in 1,500 dossiers while central is out of reach.
        let slot150: Vec<String> = (1..=1500).map(|n| code(offline_number(150, n))).collect();
        let distinct: HashSet<&String> = slot150.iter().collect();
        assert_eq!(distinct.len(), 1500, "slot 150 repeated a code");
        for c in &slot150 {
            assert!(c.starts_with("000.00.01.H26-261128-"), "{c}");
            assert!(code_ok(c), "{c}");
            sequence_of(c);
        }
        // None is a code central gives: the first 1,000,000 of the day.
        let mut online = HashSet::new();
        for n in 1..=1_000_000 {
            let c = code(central_number(n));
            sequence_of(&c);
            assert!(
                !distinct.contains(&c),
                "central's {n}th is {c}, taken offline by slot 150"
            );
            online.insert(c);
        }
        assert_eq!(online.len(), 1_000_000, "central repeated a code");
        // Nor does any other slot give one of them, nor any two slots the
        // same: slots 1–200, their first 1,500 each and a sample beyond.
        let mut seen: HashSet<String> = HashSet::new();
        for slot in 1..=200u32 {
            for n in (1..=1500).chain([9_999, 10_000, 123_456, u32::MAX]) {
                let c = code(offline_number(slot, n));
                assert!(!online.contains(&c), "slot {slot}'s {n}th {c} is central's");
                assert!(seen.insert(c.clone()), "slot {slot}'s {n}th {c} is taken twice");
            }
        }
    }

    #[test]
    fn agency_codes_of_both_orders_and_what_is_wrong_with_others() {
        assert_eq!(check_agency_code("000.00.01.H26"), Ok(AgencyOrder::LowestFirst));
        assert_eq!(check_agency_code("H26.22.15"), Ok(AgencyOrder::TopDown));
        assert_eq!(check_agency_code("H26.123.45"), Ok(AgencyOrder::TopDown));
        assert_eq!(check_agency_code("G01"), Ok(AgencyOrder::TopDown));
        assert_eq!(check_agency_code(""), Err(AgencyCodeError::Empty));
        let long = format!("H26{}", ".001".repeat(9));
        assert_eq!(check_agency_code(&long), Err(AgencyCodeError::TooLong(39)));
        // Z is not a first-level letter; lower case is not either.
        assert_eq!(check_agency_code("Z26.01"), Err(AgencyCodeError::Level("Z26".into())));
        assert_eq!(check_agency_code("h26.01"), Err(AgencyCodeError::Level("h26".into())));
        assert_eq!(check_agency_code("H26..01"), Err(AgencyCodeError::Level("".into())));
        assert_eq!(check_agency_code("H26.1"), Err(AgencyCodeError::Level("1".into())));
        assert_eq!(
            check_agency_code("H26.0001"),
            Err(AgencyCodeError::Level("0001".into()))
        );
        assert_eq!(check_agency_code("000.00.01"), Err(AgencyCodeError::NoTopLevel));
        assert_eq!(
            check_agency_code("01.H26.00"),
            Err(AgencyCodeError::Level("H26".into()))
        );
        assert_eq!(
            check_agency_code("H26.01.G01"),
            Err(AgencyCodeError::Level("G01".into()))
        );
        assert_eq!(
            check_agency_code("000.00.01.H26-1"),
            Err(AgencyCodeError::Level("H26-1".into()))
        );
    }

    #[test]
    fn codes_of_2018_and_2025_read_back() {
        let day = jiff::civil::date(2026, 11, 28);
        let old = parse_code("000.00.01.H26-261128-0001").unwrap();
        assert_eq!(
            old,
            ParsedCode {
                agency: "000.00.01.H26".into(),
                order: AgencyOrder::LowestFirst,
                day,
                sequence: "0001".into(),
            }
        );
        assert_eq!(old.centralised(), None);
        let new = parse_code(" H26.22.15-261128-12000 ").unwrap();
        assert_eq!(
            (new.agency.as_str(), new.order, new.day),
            ("H26.22.15", AgencyOrder::TopDown, day)
        );
        assert_eq!(new.sequence, "12000");
        assert_eq!(new.centralised(), None);
        let national = parse_code("H26.22.15-261128-010042").unwrap();
        assert_eq!(national.centralised(), Some(("01", "0042")));
        // Every code this crate makes reads back to what made it.
        for sequence in [central_number(1), central_number(123_456), offline_number(150, 1500)] {
            let code = format_code("H26.22.15", day, &sequence);
            let p = parse_code(&code).unwrap();
            assert_eq!((p.day, p.sequence), (day, sequence));
        }
        // What is wrong is named.
        assert_eq!(parse_code("H26.22.15"), Err(CodeError::Shape));
        assert_eq!(parse_code("H26.22.15-261128"), Err(CodeError::Shape));
        assert_eq!(
            parse_code("H26.22.15-261332-0001"),
            Err(CodeError::Day("261332".into()))
        );
        assert_eq!(parse_code("H26.22.15-2611-0001"), Err(CodeError::Day("2611".into())));
        assert_eq!(
            parse_code("H26.22.15-261128-001"),
            Err(CodeError::Sequence("001".into()))
        );
        assert_eq!(
            parse_code("H26.22.15-261128-00A1"),
            Err(CodeError::Sequence("00A1".into()))
        );
        assert!(matches!(
            parse_code("X-261128-0001"),
            Err(CodeError::Agency {
                error: AgencyCodeError::Level(_),
                ..
            })
        ));
        // Anything at all, however odd, is an answer, never a panic.
        for odd in [
            "",
            "-",
            "--",
            "---",
            "ế-ế-ế",
            "H26-\u{0}-\u{0}",
            "H26.22.15-99999999999-1",
        ] {
            assert!(parse_code(odd).is_err(), "{odd}");
        }
    }

    #[test]
    fn twelve_thousand_dossiers_on_day_one_number_on_in_five_digits() {
        let day = jiff::civil::date(2026, 1, 1);
        let codes: Vec<String> = (1..=12_000)
            .map(|n| format_code("H26.22.15", day, central_number(n)))
            .collect();
        assert_eq!(codes[0], "H26.22.15-260101-0001");
        assert_eq!(codes[9_998], "H26.22.15-260101-9999");
        assert_eq!(codes[9_999], "H26.22.15-260101-10000");
        assert_eq!(codes[11_999], "H26.22.15-260101-12000");
        let distinct: std::collections::HashSet<&String> = codes.iter().collect();
        assert_eq!(distinct.len(), 12_000);
        // In order, as the register book lists them.
        let sequences: Vec<u64> = codes
            .iter()
            .map(|c| parse_code(c).unwrap().sequence.parse().unwrap())
            .collect();
        assert!(sequences.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn early_on_time_and_late_by_the_appointments_day() {
        // Appointment 2026-12-04 16:00 in Hà Nội (09:00 UTC).
        let due: jiff::Timestamp = "2026-12-04T09:00:00Z".parse().unwrap();
        let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        assert_eq!(Timeliness::of(at("2026-12-03T09:00:00Z"), due), Timeliness::Early);
        // 23:30 on the 3rd in Hà Nội is still the day before.
        assert_eq!(Timeliness::of(at("2026-12-03T16:30:00Z"), due), Timeliness::Early);
        // 00:30 on the 4th in Hà Nội is the day itself.
        assert_eq!(Timeliness::of(at("2026-12-03T17:30:00Z"), due), Timeliness::OnTime);
        assert_eq!(Timeliness::of(due, due), Timeliness::OnTime);
        assert_eq!(Timeliness::of(at("2026-12-04T09:00:01Z"), due), Timeliness::Late);
        assert_eq!(Timeliness::Late.vi(), "Quá hạn");
    }
}
