//! Local time of the office. Vietnam keeps UTC+7 all year (no daylight
//! saving since 1975), so a fixed offset is exact and needs no tz database
//! on the kiosk.

use jiff::tz::{self, TimeZone};
use jiff::{Timestamp, Zoned, civil::Date};

/// Asia/Ho_Chi_Minh.
pub fn vietnam() -> TimeZone {
    TimeZone::fixed(tz::offset(7))
}

/// The office-local date and time of an instant.
pub fn local(at: Timestamp) -> Zoned {
    at.to_zoned(vietnam())
}

/// The office-local day an instant falls on; ticket numbers restart with it.
pub fn local_day(at: Timestamp) -> Date {
    local(at).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_turns_at_local_midnight() {
        // 16:59:59 UTC is 23:59:59 in Hà Nội; one second later is the next day.
        let before: Timestamp = "2026-11-28T16:59:59Z".parse().unwrap();
        let after: Timestamp = "2026-11-28T17:00:00Z".parse().unwrap();
        assert_eq!(local_day(before).to_string(), "2026-11-28");
        assert_eq!(local_day(after).to_string(), "2026-11-29");
    }
}
