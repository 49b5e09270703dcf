//! Working days: weekends, Vietnam's official days off and swapped working
//! Saturdays (from `assets/calendar/holidays-vn.toml`), and the appointment
//! date of a dossier received at a given moment.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, DateTime, Time, Weekday};
use toml::Spanned;

use crate::tomlcheck::{Checker, Entry, Problems, Table};

/// The calendar built into the binary.
pub const BUILTIN_TOML: &str = include_str!("../../assets/calendar/holidays-vn.toml");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    first_year: i16,
    last_year: i16,
    /// Days off that fall on weekdays, with their names.
    days_off: BTreeMap<Date, String>,
    /// Weekend days made working days by a swap.
    working: BTreeSet<Date>,
    /// Entries not yet announced officially.
    provisional: BTreeSet<Date>,
}

fn weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

impl Calendar {
    /// Loads a calendar file, reporting every problem with its line and key.
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
        let (mut first_year, mut last_year) = (0i16, -1i16);
        match &doc.calendar {
            Some(t) => {
                let line = Some(check.line_of(t.span().start));
                let mut e = Entry::new(&mut check, t.get_ref(), "calendar", line);
                first_year = e.required::<i16>("first_year").unwrap_or(0);
                last_year = e.required::<i16>("last_year").unwrap_or(-1);
                if first_year > last_year {
                    e.problem("last_year", "must not be before first_year");
                }
                e.finish();
            }
            None => check.problem(None, "calendar", "missing [calendar] with first_year and last_year"),
        }
        let mut cal = Calendar {
            first_year,
            last_year,
            days_off: BTreeMap::new(),
            working: BTreeSet::new(),
            provisional: BTreeSet::new(),
        };
        for (kind, list) in [("day_off", &doc.day_off), ("working_day", &doc.working_day)] {
            for (i, t) in list.iter().enumerate() {
                let line = Some(check.line_of(t.span().start));
                let mut e = Entry::new(&mut check, t.get_ref(), format!("{kind}[{i}]"), line);
                // Read as it stands in the table: a round trip through serde
                // would turn a TOML date into a string.
                let date = t.get_ref().get("date").cloned();
                let _ = e.required::<toml::Value>("date");
                let name = e.required::<String>("name").unwrap_or_default();
                let _source = e.required::<String>("source");
                let provisional = e.optional::<bool>("provisional").unwrap_or(false);
                // A TOML local date (unquoted), nothing else.
                let date = match date {
                    Some(toml::Value::Datetime(d)) if d.date.is_some() && d.time.is_none() => {
                        d.to_string().parse::<Date>().ok()
                    }
                    _ => None,
                };
                let Some(date) = date else {
                    e.problem("date", "must be a date like 2026-04-30");
                    e.finish();
                    continue;
                };
                if date.year() < first_year || date.year() > last_year {
                    e.problem("date", format!("{date} is outside {first_year}–{last_year}"));
                } else if cal.days_off.contains_key(&date) || cal.working.contains(&date) {
                    e.problem("date", format!("{date} is listed twice"));
                } else if kind == "day_off" && weekend(date) {
                    e.problem(
                        "date",
                        format!("{date} is a weekend day already: list the weekday it is given back on"),
                    );
                } else if kind == "working_day" && !weekend(date) {
                    e.problem(
                        "date",
                        format!("{date} is a weekday: a swapped working day is a Saturday or Sunday"),
                    );
                } else {
                    if kind == "day_off" {
                        cal.days_off.insert(date, name);
                    } else {
                        cal.working.insert(date);
                    }
                    if provisional {
                        cal.provisional.insert(date);
                    }
                }
                e.finish();
            }
        }
        check.finish(|| cal)
    }

    /// The calendar built into the binary.
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN_TOML).expect("the built-in calendar is checked by tests")
    }

    /// Whether the calendar knows the days off of this day's year.
    pub fn covers(&self, d: Date) -> bool {
        (self.first_year..=self.last_year).contains(&d.year())
    }

    /// Whether a day's days off are only expected, not announced yet.
    pub fn provisional(&self, d: Date) -> bool {
        self.provisional.contains(&d)
    }

    pub fn day_off_name(&self, d: Date) -> Option<&str> {
        self.days_off.get(&d).map(String::as_str)
    }

    /// Monday to Friday unless a day off; a weekend day only when swapped.
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
            d = d.tomorrow().expect("dates before 9999");
        }
        d
    }

    /// The `n`-th working day strictly after `start` (`n = 0`: the next
    /// working day from `start` itself).
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        if n == 0 {
            return self.next_working_day(start);
        }
        let (mut d, mut left) = (start, n);
        while left > 0 {
            d = d.tomorrow().expect("dates before 9999");
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// The day to return the result of a dossier received at `received`
    /// with a legal processing time of `working_days`.
    ///
    /// Counting starts on the receiving day if it is a working day and the
    /// dossier came before `cutoff`; otherwise on the next working day.
    /// With 0 days ("trong ngày") the result is that start day; with n the
    /// n-th working day after it (the start day itself is not counted), so
    /// a dossier received Monday 09:00 with 3 days is due Thursday. Only
    /// working days count, so a deadline never falls on a day off (Bộ luật
    /// Dân sự 2015, Điều 148 khoản 5).
    pub fn appointment(&self, received: DateTime, working_days: u32, cutoff: Time) -> Date {
        let day = received.date();
        let start = if self.is_working_day(day) && received.time() < cutoff {
            day
        } else {
            self.next_working_day(day.tomorrow().expect("dates before 9999"))
        };
        self.add_working_days(start, working_days)
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
        let c = cal();
        assert!(c.covers(date(2026, 1, 1)) && c.covers(date(2027, 12, 31)));
        assert!(!c.covers(date(2028, 1, 1)));
        assert!(c.provisional(date(2027, 2, 8)));
        assert!(!c.provisional(date(2026, 2, 17)));
    }

    #[test]
    fn new_year_2026_and_its_working_saturday() {
        let c = cal();
        assert!(!c.is_working_day(date(2026, 1, 1)));
        assert!(!c.is_working_day(date(2026, 1, 2)), "swapped day off");
        assert!(c.is_working_day(date(2026, 1, 10)), "Saturday made up for 2/1");
        assert!(!c.is_working_day(date(2026, 1, 11)), "a plain Sunday");
        // Received Wed 31/12/2025 10:00 with 2 days: Thu 1 and Fri 2 are off,
        // Mon 5 is day 1, Tue 6 day 2.
        assert_eq!(
            c.appointment(at(date(2025, 12, 31), 10, 0), 2, CUTOFF),
            date(2026, 1, 6)
        );
        // Received Fri 9/1/2026 with 1 day: Sat 10 is a working day.
        assert_eq!(c.appointment(at(date(2026, 1, 9), 9, 0), 1, CUTOFF), date(2026, 1, 10));
    }

    #[test]
    fn tet_2026_is_skipped() {
        let c = cal();
        // Received Fri 13/2 09:00 with 5 days: 16–20/2 are Tết, so the days
        // are Mon 23, Tue 24, Wed 25, Thu 26, Fri 27.
        assert_eq!(c.appointment(at(date(2026, 2, 13), 9, 0), 5, CUTOFF), date(2026, 2, 27));
        assert_eq!(c.day_off_name(date(2026, 2, 17)), Some("Tết Nguyên đán (mùng 1)"));
    }

    #[test]
    fn hung_kings_and_reunification_2026() {
        let c = cal();
        // Received Fri 24/4 09:00 with 3 days: Mon 27 (Giỗ Tổ given back) off,
        // Tue 28, Wed 29, then Thu 30/4 and Fri 1/5 off, Mon 4/5.
        assert_eq!(c.appointment(at(date(2026, 4, 24), 9, 0), 3, CUTOFF), date(2026, 5, 4));
    }

    #[test]
    fn national_day_2026_with_its_working_saturday() {
        let c = cal();
        // Received Fri 21/8 09:00 with 2 days: Sat 22 works (make-up), Mon 24.
        assert_eq!(c.appointment(at(date(2026, 8, 21), 9, 0), 2, CUTOFF), date(2026, 8, 24));
        // Received Fri 28/8 09:00 with 1 day: 31/8, 1/9, 2/9 are off, Thu 3/9.
        assert_eq!(c.appointment(at(date(2026, 8, 28), 9, 0), 1, CUTOFF), date(2026, 9, 3));
    }

    #[test]
    fn the_afternoon_cutoff_and_days_off_move_the_start() {
        let c = cal();
        let monday = date(2026, 11, 23);
        // Mon 09:00 with 3 days → Thu; after the cut-off → Fri.
        assert_eq!(c.appointment(at(monday, 9, 0), 3, CUTOFF), date(2026, 11, 26));
        assert_eq!(c.appointment(at(monday, 16, 30), 3, CUTOFF), date(2026, 11, 27));
        // "Trong ngày": the same day before the cut-off, the next after it.
        assert_eq!(c.appointment(at(monday, 9, 0), 0, CUTOFF), monday);
        assert_eq!(c.appointment(at(monday, 16, 0), 0, CUTOFF), date(2026, 11, 24));
        // Received on Sunday 29/11: counting starts Monday 30/11.
        assert_eq!(
            c.appointment(at(date(2026, 11, 29), 10, 0), 0, CUTOFF),
            date(2026, 11, 30)
        );
        assert_eq!(
            c.appointment(at(date(2026, 11, 29), 10, 0), 2, CUTOFF),
            date(2026, 12, 2)
        );
    }

    #[test]
    fn spring_2027() {
        let c = cal();
        // Received Thu 29/4/2027 09:00 with 2 days: Fri 30/4 off, Sat 1/5 and
        // Sun 2/5 weekend, Mon 3/5 given back for 1/5: Tue 4, Wed 5.
        assert_eq!(c.appointment(at(date(2027, 4, 29), 9, 0), 2, CUTOFF), date(2027, 5, 5));
        // Tết 2027 (expected): received Thu 4/2 09:00 with 1 day → Fri 12/2.
        assert_eq!(c.appointment(at(date(2027, 2, 4), 9, 0), 1, CUTOFF), date(2027, 2, 12));
    }

    #[test]
    fn a_broken_file_reports_every_problem_with_its_line() {
        let text = "[calendar]\nfirst_year = 2026\nlast_year = 2026\n\n[[day_off]]\ndate = 2026-02-14\nname = \"x\"\nsource = \"y\"\n\n[[day_off]]\ndate = \"soon\"\nname = \"x\"\nsource = \"y\"\n\n[[working_day]]\ndate = 2026-03-04\nname = \"x\"\nsource = \"y\"\ncolour = 1\n\n[[day_off]]\ndate = 2030-01-01\nname = \"x\"\nsource = \"y\"\n";
        let problems = Calendar::from_toml(text).unwrap_err().0;
        let all: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let has = |s: &str| all.iter().any(|p| p.contains(s));
        assert!(has("line 5: day_off[0].date: 2026-02-14 is a weekend day"), "{all:#?}");
        assert!(has("line 10: day_off[1].date: must be a date"), "{all:#?}");
        assert!(has("working_day[0].date: 2026-03-04 is a weekday"), "{all:#?}");
        assert!(has("working_day[0].colour: unknown key"), "{all:#?}");
        assert!(has("2030-01-01 is outside 2026–2026"), "{all:#?}");
    }
}
