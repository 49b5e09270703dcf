//! Working days ("ngày làm việc"): weekends, Vietnam's official days off and
//! swapped working Saturdays (from `assets/calendar/holidays-vn.toml`), and
//! the appointment date ("ngày hẹn trả kết quả") of a dossier received at a
//! given moment.
//!
//! The calendar knows the days off of `first_year..=last_year` only; beyond
//! them it knows weekends alone. [`Calendar::covers`] tells the caller when
//! to warn that a date may move.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, DateTime, Time, Weekday};
use toml::Spanned;

use crate::tomlcheck::{Checker, Entry, Problems, Table};

/// The calendar built into the binary.
pub const BUILTIN_TOML: &str = include_str!("../../../assets/calendar/holidays-vn.toml");

/// A checked working-day calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    first_year: i16,
    last_year: i16,
    /// Days off that fall on weekdays, with their names.
    days_off: BTreeMap<Date, String>,
    /// Weekend days made working days by a swap.
    working: BTreeSet<Date>,
    /// Entries not announced officially yet (the most likely days).
    provisional: BTreeSet<Date>,
}

fn weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn next_day(d: Date) -> Date {
    d.tomorrow().expect("dates before year 9999")
}

/// The two kinds of entries in a calendar file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    DayOff,
    WorkingDay,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::DayOff => "day_off",
            Kind::WorkingDay => "working_day",
        }
    }
}

impl Calendar {
    /// Loads a calendar file; on failure returns every problem found, each
    /// with the line of its entry and its key: a missing or mistyped key, an
    /// unknown key or section, a date that is not a TOML date, a date
    /// outside `first_year..=last_year`, a date listed twice, a day off on a
    /// weekend (already off) and a working day on a weekday (already working).
    ///
    /// An impossible date such as `2026-02-30` is a TOML syntax error: the
    /// parser stops there and that one problem is reported with its line.
    pub fn from_toml(text: &str) -> Result<Self, Problems> {
        #[derive(serde::Deserialize)]
        struct Doc {
            calendar: Option<Spanned<Table>>,
            #[serde(default)]
            day_off: Vec<Spanned<Table>>,
            #[serde(default)]
            working_day: Vec<Spanned<Table>>,
            #[serde(flatten)]
            other: BTreeMap<String, toml::Value>,
        }

        let mut check = Checker::new(text);
        let Some(doc) = check.parse::<Doc>("calendar") else {
            return Err(Problems(check.problems));
        };
        for key in doc.other.keys() {
            check.problem(
                None,
                key.clone(),
                "unknown section (expected calendar, day_off, working_day)",
            );
        }

        // The years, when both are known and in order; without them dates
        // are checked for everything but their year.
        let mut years: Option<(i16, i16)> = None;
        match &doc.calendar {
            Some(t) => {
                let line = Some(check.line_of(t.span().start));
                let mut e = Entry::new(&mut check, t.get_ref(), "calendar", line);
                let first = e.required::<i16>("first_year");
                let last = e.required::<i16>("last_year");
                match (first, last) {
                    (Some(first), Some(last)) if first > last => {
                        e.problem("last_year", format!("{last} is before first_year {first}"));
                    }
                    (Some(first), Some(last)) => years = Some((first, last)),
                    _ => {}
                }
                e.finish();
            }
            None => check.problem(None, "calendar", "missing [calendar] with first_year and last_year"),
        }

        let (first_year, last_year) = years.unwrap_or((0, -1));
        let mut cal = Calendar {
            first_year,
            last_year,
            days_off: BTreeMap::new(),
            working: BTreeSet::new(),
            provisional: BTreeSet::new(),
        };
        // Every date read so far, with the line of its entry.
        let mut seen: BTreeMap<Date, Option<usize>> = BTreeMap::new();
        for (kind, list) in [(Kind::DayOff, &doc.day_off), (Kind::WorkingDay, &doc.working_day)] {
            for (i, t) in list.iter().enumerate() {
                let line = Some(check.line_of(t.span().start));
                let mut e = Entry::new(&mut check, t.get_ref(), format!("{}[{i}]", kind.key()), line);
                let date = e.required::<toml::Value>("date").and(t.get_ref().get("date"));
                let name = e.required::<String>("name");
                let _source = e.required::<String>("source");
                let provisional = e.optional::<bool>("provisional").unwrap_or(false);
                let date = date.and_then(|v| match read_date(v) {
                    Ok(d) => Some(d),
                    Err(problem) => {
                        e.problem("date", problem.to_string());
                        None
                    }
                });
                let ok = match date {
                    None => false,
                    Some(d) if years.is_some() && !(first_year..=last_year).contains(&d.year()) => {
                        e.problem(
                            "date",
                            format!("{d} is outside {first_year}–{last_year} ([calendar] years)"),
                        );
                        false
                    }
                    Some(d) if seen.contains_key(&d) => {
                        let at = seen[&d].map(|l| format!(" (first at line {l})")).unwrap_or_default();
                        e.problem("date", format!("{d} is listed twice{at}"));
                        false
                    }
                    Some(d) if kind == Kind::DayOff && weekend(d) => {
                        e.problem(
                            "date",
                            format!(
                                "{d} is a {:?}, off anyway: list the weekday it is given back on instead",
                                d.weekday()
                            ),
                        );
                        false
                    }
                    Some(d) if kind == Kind::WorkingDay && !weekend(d) => {
                        e.problem(
                            "date",
                            format!(
                                "{d} is a {:?}, a working day anyway: a swapped working day is a Saturday or Sunday",
                                d.weekday()
                            ),
                        );
                        false
                    }
                    Some(_) => true,
                };
                if let Some(d) = date {
                    seen.entry(d).or_insert(line);
                }
                e.finish();
                if let (true, Some(d), Some(name)) = (ok, date, name) {
                    match kind {
                        Kind::DayOff => {
                            cal.days_off.insert(d, name);
                        }
                        Kind::WorkingDay => {
                            cal.working.insert(d);
                        }
                    }
                    if provisional {
                        cal.provisional.insert(d);
                    }
                }
            }
        }
        check.finish(|| cal)
    }

    /// The calendar built into the binary.
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN_TOML).expect("the built-in calendar is checked by tests")
    }

    /// Whether the calendar knows the days off of this day's year
    /// (`first_year..=last_year`). Outside it only weekends are known.
    pub fn covers(&self, d: Date) -> bool {
        (self.first_year..=self.last_year).contains(&d.year())
    }

    /// Whether this listed day off or working day is only expected, not
    /// announced yet.
    pub fn provisional(&self, d: Date) -> bool {
        self.provisional.contains(&d)
    }

    /// The name of a listed day off (weekdays only; a plain weekend has none).
    pub fn day_off_name(&self, d: Date) -> Option<&str> {
        self.days_off.get(&d).map(String::as_str)
    }

    /// Monday to Friday unless a listed day off; Saturday and Sunday only
    /// when listed as a swapped working day.
    pub fn is_working_day(&self, d: Date) -> bool {
        if weekend(d) {
            self.working.contains(&d)
        } else {
            !self.days_off.contains_key(&d)
        }
    }

    /// `d` itself if it is a working day, else the next one.
    pub fn next_working_day(&self, mut d: Date) -> Date {
        while !self.is_working_day(d) {
            d = next_day(d);
        }
        d
    }

    /// The `n`-th working day strictly after `start`; with `n = 0`,
    /// [`next_working_day`](Self::next_working_day)`(start)`. When `start`
    /// is not a working day, `n = 0` and `n = 1` give the same day.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        if n == 0 {
            return self.next_working_day(start);
        }
        let (mut d, mut left) = (start, n);
        while left > 0 {
            d = next_day(d);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// The day the result of a dossier is due, for a dossier received at
    /// `received` with a legal processing time of `working_days`.
    ///
    /// Rules:
    /// - The start day is the receiving day if it is a working day and the
    ///   dossier came strictly before `cutoff`. Received at or after the
    ///   cut-off, or on a non-working day (weekend, day off), counting starts
    ///   on the next working day.
    /// - With 0 working days ("giải quyết trong ngày") the result is the
    ///   start day.
    /// - With `n ≥ 1` the result is the `n`-th working day after the start
    ///   day; the start day itself is not counted. Received Monday 09:00 with
    ///   3 days: Thursday; Monday 16:30 with a 16:00 cut-off: Friday.
    /// - Only working days are counted, so the result is never a weekend or
    ///   a day off: a time limit cannot end on one (Bộ luật Dân sự 2015,
    ///   Điều 148 khoản 5). A swapped working Saturday counts like any
    ///   working day.
    /// - Beyond `last_year` only weekends are known; check [`covers`](Self::covers)
    ///   on the result to warn that the date may move.
    pub fn appointment(&self, received: DateTime, working_days: u32, cutoff: Time) -> Date {
        let day = received.date();
        let start = if self.is_working_day(day) && received.time() < cutoff {
            day
        } else {
            self.next_working_day(next_day(day))
        };
        self.add_working_days(start, working_days)
    }
}

/// Why a `date` value is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum DateProblem {
    #[error("`{0}` is not a date: {1}")]
    NotADate(String, String),
    #[error("`{0}` is not a date alone: {DATE_HINT}")]
    NotDateAlone(String),
    #[error("\"{0}\" is text: {DATE_HINT}")]
    Text(String),
    #[error("a {0} is not a date: {DATE_HINT}")]
    OtherType(&'static str),
}

const DATE_HINT: &str = "write a date like 2026-04-30, without quotes";

/// A `date` value: a TOML local date, nothing else.
fn read_date(v: &toml::Value) -> Result<Date, DateProblem> {
    match v {
        toml::Value::Datetime(d) => match (d.date, d.time) {
            (Some(date), None) => date
                .to_string()
                .parse::<Date>()
                .map_err(|e| DateProblem::NotADate(d.to_string(), e.to_string())),
            _ => Err(DateProblem::NotDateAlone(d.to_string())),
        },
        toml::Value::String(s) => Err(DateProblem::Text(s.clone())),
        other => Err(DateProblem::OtherType(other.type_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn cal() -> Calendar {
        Calendar::builtin()
    }

    fn at(d: Date, h: i8, m: i8) -> DateTime {
        d.to_datetime(time(h, m, 0, 0))
    }

    const CUTOFF: Time = time(16, 0, 0, 0);

    #[test]
    fn the_builtin_calendar_loads_and_covers_2026_and_2027() {
        let c = Calendar::from_toml(BUILTIN_TOML).unwrap_or_else(|e| panic!("{e}\n{:#?}", e.0));
        assert_eq!(c, cal());
        assert!(c.covers(date(2026, 1, 1)) && c.covers(date(2027, 12, 31)));
        assert!(!c.covers(date(2025, 12, 31)) && !c.covers(date(2028, 1, 1)));
        // 2027's Tết days are expected, not announced; 2026's are announced.
        assert!(c.provisional(date(2027, 2, 8)));
        assert!(c.provisional(date(2027, 9, 3)));
        assert!(!c.provisional(date(2026, 2, 17)));
        assert!(!c.provisional(date(2027, 4, 30)));
    }

    #[test]
    fn every_year_gives_the_eleven_days_of_the_labour_code() {
        // Điều 112: 1/1 (1) + Tết (5) + Giỗ Tổ (1) + 30/4 (1) + 1/5 (1) + 2/9
        // and a day next to it (2) = 11. Holidays on a weekend are given back
        // (Điều 111.3) and a swapped day off is made up on a Saturday, so
        // weekday days off minus working weekend days is 11 each year. This
        // catches a forgotten or extra entry when a year is added.
        let c = cal();
        for year in 2026..=2027 {
            let off = c.days_off.keys().filter(|d| d.year() == year).count();
            let made_up = c.working.iter().filter(|d| d.year() == year).count();
            assert_eq!(
                off - made_up,
                11,
                "{year}: {off} days off, {made_up} working weekend days"
            );
        }
    }

    #[test]
    fn new_year_2026_and_its_working_saturday() {
        let c = cal();
        assert!(!c.is_working_day(date(2026, 1, 1)), "Thu 1/1 New Year");
        assert!(!c.is_working_day(date(2026, 1, 2)), "Fri 2/1 swapped day off");
        assert!(c.is_working_day(date(2026, 1, 10)), "Sat 10/1 made up for 2/1");
        assert!(!c.is_working_day(date(2026, 1, 11)), "a plain Sunday");
        assert!(!c.is_working_day(date(2026, 1, 17)), "a plain Saturday");
        assert_eq!(c.day_off_name(date(2026, 1, 1)), Some("Tết Dương lịch"));
        assert_eq!(c.day_off_name(date(2026, 1, 10)), None);
        // Received Wed 31/12/2025 10:00 with 2 days: start Wed 31/12; Thu 1
        // and Fri 2 off, Sat 3 and Sun 4 weekend; Mon 5 is day 1, Tue 6 day 2.
        assert_eq!(
            c.appointment(at(date(2025, 12, 31), 10, 0), 2, CUTOFF),
            date(2026, 1, 6)
        );
        // Received Fri 9/1 09:00 with 1 day: Sat 10 is a working day, day 1.
        assert_eq!(c.appointment(at(date(2026, 1, 9), 9, 0), 1, CUTOFF), date(2026, 1, 10));
        // Received on the working Sat 10/1 09:00 "trong ngày": that Saturday.
        assert_eq!(c.appointment(at(date(2026, 1, 10), 9, 0), 0, CUTOFF), date(2026, 1, 10));
    }

    #[test]
    fn tet_2026_is_skipped() {
        let c = cal();
        // Received Fri 13/2 09:00 with 5 days: start Fri 13; Sat 14, Sun 15
        // weekend, Mon 16–Fri 20 Tết, Sat 21, Sun 22 weekend; then Mon 23 (1),
        // Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5).
        assert_eq!(c.appointment(at(date(2026, 2, 13), 9, 0), 5, CUTOFF), date(2026, 2, 27));
        // Same day after the cut-off, "trong ngày": the next working day is
        // Mon 23/2, after the whole break.
        assert_eq!(
            c.appointment(at(date(2026, 2, 13), 16, 30), 0, CUTOFF),
            date(2026, 2, 23)
        );
        for day in 16..=20 {
            assert!(!c.is_working_day(date(2026, 2, day)), "{day}/2/2026 is Tết");
        }
        assert_eq!(c.next_working_day(date(2026, 2, 16)), date(2026, 2, 23));
        assert_eq!(
            c.day_off_name(date(2026, 2, 17)),
            Some("Tết Nguyên đán (mùng 1 Tết Bính Ngọ)")
        );
    }

    #[test]
    fn hung_kings_and_reunification_2026() {
        let c = cal();
        // 10/3 lunar is Sun 26/4: off anyway, given back on Mon 27/4.
        assert!(!c.is_working_day(date(2026, 4, 26)));
        assert_eq!(c.day_off_name(date(2026, 4, 26)), None, "a weekend is not listed");
        assert!(c.day_off_name(date(2026, 4, 27)).is_some_and(|n| n.contains("Giỗ Tổ")));
        assert!(c.is_working_day(date(2026, 4, 28)) && c.is_working_day(date(2026, 4, 29)));
        // Received Fri 24/4 09:00 with 3 days: Sat 25, Sun 26 weekend, Mon 27
        // off, Tue 28 (1), Wed 29 (2), Thu 30/4 and Fri 1/5 off, Sat 2, Sun 3
        // weekend, Mon 4/5 (3).
        assert_eq!(c.appointment(at(date(2026, 4, 24), 9, 0), 3, CUTOFF), date(2026, 5, 4));
        // Received Wed 29/4 09:00 with 1 day: Thu 30, Fri 1 off, weekend, Mon 4/5.
        assert_eq!(c.appointment(at(date(2026, 4, 29), 9, 0), 1, CUTOFF), date(2026, 5, 4));
    }

    #[test]
    fn national_day_2026_with_its_working_saturday() {
        let c = cal();
        assert!(c.is_working_day(date(2026, 8, 22)), "Sat 22/8 made up for 31/8");
        // Received Fri 21/8 09:00 with 2 days: Sat 22 works (1), Sun 23 off,
        // Mon 24 (2).
        assert_eq!(c.appointment(at(date(2026, 8, 21), 9, 0), 2, CUTOFF), date(2026, 8, 24));
        // Received on Sat 22/8 at 09:00 with 1 day: start Sat 22, Mon 24 (1).
        assert_eq!(c.appointment(at(date(2026, 8, 22), 9, 0), 1, CUTOFF), date(2026, 8, 24));
        // Received Fri 28/8 09:00 with 1 day: Sat 29, Sun 30 weekend, Mon 31/8,
        // Tue 1/9, Wed 2/9 off, Thu 3/9 (1).
        assert_eq!(c.appointment(at(date(2026, 8, 28), 9, 0), 1, CUTOFF), date(2026, 9, 3));
        // Received Fri 28/8 09:00 with 3 days: Thu 3/9 (1), Fri 4/9 (2),
        // Mon 7/9 (3).
        assert_eq!(c.appointment(at(date(2026, 8, 28), 9, 0), 3, CUTOFF), date(2026, 9, 7));
    }

    #[test]
    fn the_afternoon_cutoff_moves_the_start() {
        let c = cal();
        // The week of Mon 9/3/2026 has no day off.
        let monday = date(2026, 3, 9);
        // Mon 09:00 with 3 days: start Mon, Tue 10 (1), Wed 11 (2), Thu 12 (3).
        assert_eq!(c.appointment(at(monday, 9, 0), 3, CUTOFF), date(2026, 3, 12));
        // Mon 16:30, after the cut-off: start Tue 10; Wed 11, Thu 12, Fri 13.
        assert_eq!(c.appointment(at(monday, 16, 30), 3, CUTOFF), date(2026, 3, 13));
        // Exactly at the cut-off counts as after it.
        assert_eq!(c.appointment(at(monday, 16, 0), 3, CUTOFF), date(2026, 3, 13));
        assert_eq!(c.appointment(at(monday, 15, 59), 3, CUTOFF), date(2026, 3, 12));
        // Fri 13/3 16:30 with 1 day: start Mon 16/3 (after the weekend), Tue 17.
        assert_eq!(
            c.appointment(at(date(2026, 3, 13), 16, 30), 1, CUTOFF),
            date(2026, 3, 17)
        );
        // After the cut-off on the eve of a holiday: Wed 29/4/2026 16:30,
        // "trong ngày": Thu 30/4 and Fri 1/5 off, weekend, Mon 4/5.
        assert_eq!(
            c.appointment(at(date(2026, 4, 29), 16, 30), 0, CUTOFF),
            date(2026, 5, 4)
        );
    }

    #[test]
    fn received_on_a_sunday() {
        let c = cal();
        let sunday = date(2026, 3, 15);
        // Counting starts Mon 16/3 whatever the hour: 0 days → Mon 16;
        // 2 days → Tue 17 (1), Wed 18 (2).
        assert_eq!(c.appointment(at(sunday, 8, 0), 0, CUTOFF), date(2026, 3, 16));
        assert_eq!(c.appointment(at(sunday, 10, 0), 2, CUTOFF), date(2026, 3, 18));
        assert_eq!(c.appointment(at(sunday, 17, 0), 2, CUTOFF), date(2026, 3, 18));
        // Sun 22/2/2026, the last day of the Tết break: start Mon 23/2.
        assert_eq!(
            c.appointment(at(date(2026, 2, 22), 10, 0), 1, CUTOFF),
            date(2026, 2, 24)
        );
    }

    #[test]
    fn same_day_processing() {
        let c = cal();
        // "Trong ngày": the receiving day before the cut-off, else the next
        // working day.
        assert_eq!(c.appointment(at(date(2026, 3, 10), 9, 0), 0, CUTOFF), date(2026, 3, 10));
        assert_eq!(
            c.appointment(at(date(2026, 3, 10), 16, 15), 0, CUTOFF),
            date(2026, 3, 11)
        );
        // Received on a day off (Thu 1/1/2026 at 09:00): Fri 2/1 is off too,
        // weekend, Mon 5/1.
        assert_eq!(c.appointment(at(date(2026, 1, 1), 9, 0), 0, CUTOFF), date(2026, 1, 5));
    }

    #[test]
    fn working_day_arithmetic() {
        let c = cal();
        let tue = date(2026, 3, 10);
        assert_eq!(c.next_working_day(tue), tue);
        assert_eq!(c.add_working_days(tue, 0), tue);
        assert_eq!(c.add_working_days(tue, 1), date(2026, 3, 11));
        // Tue 10/3 + 5: Wed 11, Thu 12, Fri 13, Mon 16, Tue 17.
        assert_eq!(c.add_working_days(tue, 5), date(2026, 3, 17));
        // From a Saturday, 0 and 1 both give Monday: Mon 16/3 is the next
        // working day and also the first one strictly after Sat 14/3; 2 gives
        // Tue 17/3. (`appointment` moves a non-working start day first.)
        assert_eq!(c.add_working_days(date(2026, 3, 14), 0), date(2026, 3, 16));
        assert_eq!(c.add_working_days(date(2026, 3, 14), 1), date(2026, 3, 16));
        assert_eq!(c.add_working_days(date(2026, 3, 14), 2), date(2026, 3, 17));
        // Fri 13/2/2026 + 1: Tết until Sun 22/2, Mon 23/2.
        assert_eq!(c.add_working_days(date(2026, 2, 13), 1), date(2026, 2, 23));
    }

    #[test]
    fn spring_2027() {
        let c = cal();
        // Giỗ Tổ 2027 is Fri 16/4 (10/3 lunar, no give-back needed).
        assert!(!c.is_working_day(date(2027, 4, 16)));
        // Received Thu 15/4/2027 09:00 with 1 day: Fri 16 off, weekend, Mon 19.
        assert_eq!(c.appointment(at(date(2027, 4, 15), 9, 0), 1, CUTOFF), date(2027, 4, 19));
        // 1/5/2027 is a Saturday, given back on Mon 3/5.
        assert!(!c.is_working_day(date(2027, 4, 30)) && !c.is_working_day(date(2027, 5, 3)));
        // Received Thu 29/4/2027 09:00 with 2 days: Fri 30/4 off, Sat 1/5 and
        // Sun 2/5 weekend, Mon 3/5 off; Tue 4 (1), Wed 5 (2).
        assert_eq!(c.appointment(at(date(2027, 4, 29), 9, 0), 2, CUTOFF), date(2027, 5, 5));
        // Received Fri 30/4/2027 (a day off) with 0 days: Tue 4/5.
        assert_eq!(c.appointment(at(date(2027, 4, 30), 9, 0), 0, CUTOFF), date(2027, 5, 4));
    }

    #[test]
    fn tet_and_national_day_2027_as_expected() {
        let c = cal();
        // Expected Tết days off: Fri 5/2 (29 tháng Chạp), Mon 8 to Thu 11/2.
        // Received Thu 4/2/2027 09:00 with 1 day: Fri 5 off, weekend, Mon 8 to
        // Thu 11 off, Fri 12/2 (1).
        assert_eq!(c.appointment(at(date(2027, 2, 4), 9, 0), 1, CUTOFF), date(2027, 2, 12));
        assert!(
            c.day_off_name(date(2027, 2, 5))
                .is_some_and(|n| n.contains("29 tháng Chạp"))
        );
        // Received Wed 1/9/2027 09:00 with 1 day: Thu 2/9 off, Fri 3/9 off
        // (expected), weekend, Mon 6/9 (1).
        assert_eq!(c.appointment(at(date(2027, 9, 1), 9, 0), 1, CUTOFF), date(2027, 9, 6));
    }

    #[test]
    fn beyond_the_last_year_only_weekends_are_known() {
        let c = cal();
        // Fri 31/12/2027 09:00 with 1 day: Sat 1/1/2028 is a weekend, Mon 3/1
        // (New Year 2028 falls on Saturday and its give-back is not known).
        let due = c.appointment(at(date(2027, 12, 31), 9, 0), 1, CUTOFF);
        assert_eq!(due, date(2028, 1, 3));
        assert!(!c.covers(due), "the caller can warn");
    }

    #[test]
    fn a_small_file_with_a_working_sunday() {
        let text = "[calendar]\nfirst_year = 2030\nlast_year = 2030\n\n\
                    [[day_off]]\ndate = 2030-01-01\nname = \"Tết Dương lịch\"\nsource = \"x\"\n\n\
                    [[working_day]]\ndate = 2030-01-06\nname = \"Làm bù\"\nsource = \"y\"\nprovisional = true\n";
        let c = Calendar::from_toml(text).unwrap_or_else(|e| panic!("{e}"));
        assert!(!c.is_working_day(date(2030, 1, 1)));
        assert!(c.is_working_day(date(2030, 1, 6)) && c.provisional(date(2030, 1, 6)));
        // Sat 5/1/2030 09:00 with 0 days: the next working day is Sun 6/1.
        assert_eq!(c.appointment(at(date(2030, 1, 5), 9, 0), 0, CUTOFF), date(2030, 1, 6));
    }

    #[test]
    fn a_broken_file_reports_every_problem_with_its_line() {
        let lines = [
            "[calendar]",                 // 1
            "first_year = 2026",          // 2
            "last_year = 2026",           // 3
            "",                           // 4
            "[[day_off]]",                // 5: Sat 14/2/2026 is off anyway
            "date = 2026-02-14",          // 6
            "name = \"x\"",               // 7
            "source = \"y\"",             // 8
            "[[day_off]]",                // 9: quoted date
            "date = \"2026-04-30\"",      // 10
            "name = \"x\"",               // 11
            "source = \"y\"",             // 12
            "[[day_off]]",                // 13: date and time; no source
            "date = 2026-05-01T08:00:00", // 14
            "name = \"x\"",               // 15
            "[[day_off]]",                // 16: another year
            "date = 2030-01-01",          // 17
            "name = \"x\"",               // 18
            "source = \"y\"",             // 19
            "[[day_off]]",                // 20: Mon 5/1/2026, fine
            "date = 2026-01-05",          // 21
            "name = \"x\"",               // 22
            "source = \"y\"",             // 23
            "[[day_off]]",                // 24: 5/1 again
            "date = 2026-01-05",          // 25
            "name = \"x\"",               // 26
            "source = \"y\"",             // 27
            "[[working_day]]",            // 28: Wed 4/3/2026 works anyway
            "date = 2026-03-04",          // 29
            "name = \"x\"",               // 30
            "source = \"y\"",             // 31
            "colour = 1",                 // 32
            "[[holiday]]",                // 33: unknown section
            "date = 2026-03-05",          // 34
        ];
        let text = lines.join("\n");
        let problems = Calendar::from_toml(&text).unwrap_err().0;
        let all: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let expect = [
            "line 5: day_off[0].date: 2026-02-14 is a Saturday, off anyway",
            "line 9: day_off[1].date: \"2026-04-30\" is text",
            "line 13: day_off[2].source: missing",
            "line 13: day_off[2].date: `2026-05-01T08:00:00` is not a date alone",
            "line 16: day_off[3].date: 2030-01-01 is outside 2026–2026",
            "line 24: day_off[5].date: 2026-01-05 is listed twice (first at line 20)",
            "line 28: working_day[0].date: 2026-03-04 is a Wednesday, a working day anyway",
            "line 28: working_day[0].colour: unknown key",
            "holiday: unknown section",
        ];
        for e in expect {
            assert!(all.iter().any(|p| p.contains(e)), "missing {e:?} in {all:#?}");
        }
        assert_eq!(all.len(), expect.len(), "{all:#?}");
    }

    #[test]
    fn broken_headers_and_syntax_are_reported() {
        // An impossible date is a TOML syntax error, with its line.
        let bad =
            Calendar::from_toml("[calendar]\nfirst_year = 2026\nlast_year = 2026\n[[day_off]]\ndate = 2026-02-30\n")
                .unwrap_err();
        assert_eq!(bad.0.len(), 1);
        assert_eq!(bad.0[0].line, Some(5), "{bad}");

        // No [calendar]: said once, and dates are not all called out of range.
        let text = "[[day_off]]\ndate = 2026-01-01\nname = \"x\"\nsource = \"y\"\n";
        let all = Calendar::from_toml(text).unwrap_err().0;
        assert_eq!(all.len(), 1, "{all:#?}");
        assert!(all[0].message.contains("missing [calendar]"), "{all:#?}");

        // Years the wrong way round, a mistyped year.
        let text = "[calendar]\nfirst_year = 2027\nlast_year = 2026\n";
        let e = Calendar::from_toml(text).unwrap_err().to_string();
        assert!(
            e.contains("line 1: calendar.last_year: 2026 is before first_year 2027"),
            "{e}"
        );
        let text = "[calendar]\nfirst_year = \"2026\"\nlast_year = 2027\nend = 1\n";
        let e = Calendar::from_toml(text).unwrap_err().to_string();
        assert!(e.contains("calendar.first_year: wrong type"), "{e}");
        assert!(e.contains("calendar.end: unknown key"), "{e}");
    }
}
