//! Working days (a stand-in knowing weekends only, until the holiday
//! calendar lands).

use jiff::civil::{Date, DateTime, Time, Weekday};

#[derive(Debug, Clone, Default)]
pub struct Calendar;

impl Calendar {
    pub fn builtin() -> Self {
        Calendar
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    pub fn next_working_day(&self, mut d: Date) -> Date {
        while !self.is_working_day(d) {
            d = d.tomorrow().expect("a date");
        }
        d
    }

    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        if n == 0 {
            return self.next_working_day(start);
        }
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.tomorrow().expect("a date");
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    pub fn appointment(&self, received: DateTime, working_days: u32, cutoff: Time) -> Date {
        let day = received.date();
        let start = if self.is_working_day(day) && received.time() < cutoff {
            day
        } else {
            self.next_working_day(day.tomorrow().expect("a date"))
        };
        if working_days == 0 {
            start
        } else {
            self.add_working_days(start, working_days)
        }
    }
}
