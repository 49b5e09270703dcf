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

/// Central's `n`th sequence of a day: 1–999 as `0001`–`0999`, then the
/// numbers from 100000 up that do not start with `9` (that digit belongs
/// to the counters' offline numbers): 100000–899999, 1000000–8999999, …
/// The first thousand and the jump to 100000 are the numbering central
/// has always given, so codes given before this layout stay unique.
pub fn central_number(n: u32) -> String {
    if n < 1000 {
        return format!("{n:04}");
    }
    // Within each length from six digits on, the 8·10^(len-1) numbers led
    // by 1–8.
    let mut rest = u64::from(n) - 1000;
    let mut first = 100_000u64;
    loop {
        let block = first * 8;
        if rest < block {
            return (first + rest).to_string();
        }
        rest -= block;
        first *= 10;
    }
}

/// A dossier code: office, yymmdd, and a sequence of at least 4 digits
/// ([`offline_number`] or central's own).
pub fn format_code(office: &str, day: Date, sequence: impl AsRef<str>) -> String {
    format!(
        "{office}-{:02}{:02}{:02}-{}",
        day.year() % 100,
        day.month(),
        day.day(),
        sequence.as_ref()
    )
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
        assert_eq!(central_number(1000), "100000");
        assert_eq!(central_number(1000 + 799_999), "899999");
        assert_eq!(central_number(1000 + 800_000), "1000000");
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
}
