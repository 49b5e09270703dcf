//! Due dates: how each dossier kept to its appointment, the open ones due
//! by the end of the next working day with a new appointment proposed for
//! the apology form ("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), and the
//! on-time share per procedure, field and officer that the national index
//! of service quality weighs.
//!
//! A dossier counts when it first reaches its result (status 9 processed
//! or 10 returned): [`motcua_core::dossier::Timeliness::of`] that moment
//! against its appointment, by Việt Nam's days. One that ends without a
//! result (3 not accepted, 7 withdrawn, 8 stopped) is not counted either
//! way; an open one past its appointment is late already.
//!
//! Working days are the built-in calendar's (weekends, official days off,
//! swapped Saturdays): central keeps no calendar per office. The office's
//! day ends at the counter's cut-off, 16:00 by default: a new appointment
//! counted from a moment after it starts on the next working day, as a
//! receipt's does.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::LazyLock;

use crate::sql::Conn;
use jiff::Timestamp;
use jiff::civil::{Date, Time};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::repo::due::{self, DueRow};
use motcua_api::model::{DueSoon, DueSoonList, StatusChange, Timeliness};
use motcua_core::calendar::Calendar;
use motcua_core::catalog::Catalog;
use motcua_core::dossier::Timeliness as Kept;
use motcua_core::time::{local, local_day, vietnam};

/// The working days central counts with.
pub static CALENDAR: LazyLock<Calendar> = LazyLock::new(Calendar::builtin);

/// The end of the office's working day: the counter's default cut-off.
pub const END_OF_DAY: Time = Time::constant(16, 0, 0, 0);

/// Statuses that end a dossier without a result.
const ENDED: [u8; 3] = [3, 7, 8];

fn wire(k: Kept) -> Timeliness {
    match k {
        Kept::Early => Timeliness::Early,
        Kept::OnTime => Timeliness::OnTime,
        Kept::Late => Timeliness::Late,
    }
}

/// How a dossier in `status` with `history` kept to its appointment
/// `due_at`, at `now`: see the module's rules. None while it is open and
/// not yet due, when it ended without a result, or when a time does not
/// read.
pub fn timeliness(status: u8, history: &[StatusChange], due_at: &str, now: Timestamp) -> Option<Timeliness> {
    let due = due_at.parse::<Timestamp>().ok()?;
    if let Some(result) = history.iter().find(|h| matches!(h.status, 9 | 10)) {
        return result.at.parse().ok().map(|done| wire(Kept::of(done, due)));
    }
    if ENDED.contains(&status) {
        return None;
    }
    (now > due).then_some(Timeliness::Late)
}

/// Working days from the day of `from` to the day of `to`, the first
/// not counted (the span an appointment was given).
fn working_days_between(cal: &Calendar, from: Date, to: Date) -> u32 {
    let mut n = 0;
    let mut d = from;
    while d < to {
        d = d.tomorrow().unwrap_or(to);
        if cal.is_working_day(d) {
            n += 1;
        }
    }
    n
}

/// The new appointment proposed for a dossier due at `due`, at `now`:
/// `days` working days more (at least one), at the appointment's hour.
/// Counted from the appointment's day while it is still ahead; from now
/// once it has passed, by the rule of a new receipt (after the office's
/// end of day, counting starts on the next working day).
pub fn proposal(cal: &Calendar, due: Timestamp, now: Timestamp, days: u32) -> Timestamp {
    let days = days.max(1);
    let due_local = local(due);
    let day = if due > now {
        cal.add_working_days(due_local.date(), days)
    } else {
        cal.appointment(local(now).datetime(), days, END_OF_DAY)
    };
    day.to_datetime(due_local.time())
        .to_zoned(vietnam())
        .map(|z| z.timestamp())
        .unwrap_or(due)
}

/// The working days a dossier of `row` gets again in a proposal: its
/// procedure's legal time from the office's catalog; for a procedure the
/// catalog no longer has, the span its own appointment was given.
fn extension_days(cal: &Calendar, catalog: &Catalog, row: &DueRow, due: Timestamp) -> u32 {
    if let Some(p) = catalog.procedure(&row.procedure_code) {
        return u32::from(p.processing_days);
    }
    row.received_at
        .parse::<Timestamp>()
        .map(|r| working_days_between(cal, local_day(r), local_day(due)))
        .unwrap_or(1)
}

/// The office's open dossiers whose appointment falls on the next working
/// day after `now`'s or before (overdue ones included: they need their
/// apology too), soonest first, each with a proposed new appointment.
pub fn due_soon(conn: &Conn, office: &str, catalog: &Catalog, now: Timestamp) -> Result<DueSoonList, ApiError> {
    let cal = &*CALENDAR;
    let until = cal.add_working_days(local_day(now), 1);
    let mut dossiers = Vec::new();
    due::for_each_open(conn, office, |row| {
        let Ok(due) = row.due_at.parse::<Timestamp>() else {
            return;
        };
        if local_day(due) > until {
            return;
        }
        let days = extension_days(cal, catalog, &row, due);
        dossiers.push((
            due,
            DueSoon {
                proposed_due_at: proposal(cal, due, now, days).to_string(),
                overdue: due < now,
                code: row.code,
                procedure_code: row.procedure_code,
                procedure_name: row.procedure_name,
                status: row.status,
                due_at: row.due_at,
                officer: row.officer,
            },
        ));
    })?;
    dossiers.sort_by(|a, b| (a.0, &a.1.code).cmp(&(b.0, &b.1.code)));
    Ok(DueSoonList {
        office: office.to_string(),
        until: until.to_string(),
        dossiers: dossiers.into_iter().map(|(_, d)| d).collect(),
    })
}

/// The due-soon list as text, for IT staff and heads of office.
pub fn due_soon_text(list: &DueSoonList) -> String {
    let mut out = format!("Hồ sơ đến hạn đến hết ngày làm việc {} · {}\n", list.until, list.office);
    if list.dossiers.is_empty() {
        out.push_str("  (không có)\n");
    }
    for d in &list.dossiers {
        let at = |s: &str| {
            s.parse::<Timestamp>()
                .map(|t| local(t).strftime("%H:%M %d/%m/%Y").to_string())
                .unwrap_or_else(|_| s.to_string())
        };
        let _ = writeln!(
            out,
            "  {:<28} {:<10} hẹn {}{} · đề nghị hẹn lại {} · {}",
            d.code,
            d.procedure_code,
            at(&d.due_at),
            if d.overdue { " (đã quá hạn)" } else { "" },
            at(&d.proposed_due_at),
            d.officer.as_deref().unwrap_or("—")
        );
    }
    out
}

/// How the dossiers of one procedure, field or officer kept to their
/// appointments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct OnTimeShare {
    pub key: String,
    /// Reached their result within the range.
    pub finished: u32,
    pub early: u32,
    pub on_time: u32,
    pub late: u32,
    /// (early + on time) / finished, to a thousandth; none without any.
    pub share: Option<f64>,
    /// Open now and past their appointment, whenever received.
    pub overdue_open: u32,
}

/// The on-time figures of an office's report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct OnTime {
    /// Every dossier of the office (key `*`).
    pub all: OnTimeShare,
    pub by_procedure: Vec<OnTimeShare>,
    /// By the catalog's field of the procedure (`—` when the catalog no
    /// longer has it).
    pub by_field: Vec<OnTimeShare>,
    /// By the officer who took the dossier in (`—` when not recorded).
    pub by_officer: Vec<OnTimeShare>,
}

#[derive(Default)]
struct Tally {
    by_procedure: BTreeMap<String, OnTimeShare>,
    by_field: BTreeMap<String, OnTimeShare>,
    by_officer: BTreeMap<String, OnTimeShare>,
    all: OnTimeShare,
}

impl Tally {
    fn add(&mut self, catalog: &Catalog, row: &DueRow, count: impl Fn(&mut OnTimeShare)) {
        let field = catalog.procedure(&row.procedure_code).map_or("—", |p| p.field.as_str());
        let officer = row.officer.as_deref().unwrap_or("—");
        for (map, key) in [
            (&mut self.by_procedure, row.procedure_code.as_str()),
            (&mut self.by_field, field),
            (&mut self.by_officer, officer),
        ] {
            let share = match map.get_mut(key) {
                Some(s) => s,
                None => map.entry(key.to_string()).or_insert_with(|| OnTimeShare {
                    key: key.to_string(),
                    ..Default::default()
                }),
            };
            count(share);
        }
        count(&mut self.all);
    }
}

fn finish(mut s: OnTimeShare) -> OnTimeShare {
    s.share =
        (s.finished > 0).then(|| (f64::from(s.early + s.on_time) / f64::from(s.finished) * 1000.0).round() / 1000.0);
    s
}

/// The on-time figures of `office` for dossiers that reached their result
/// on the local days `from`–`to`, and the open ones overdue at `now`.
pub fn compute(
    conn: &Conn,
    office: &str,
    catalog: &Catalog,
    from: Date,
    to: Date,
    now: Timestamp,
) -> Result<OnTime, ApiError> {
    let mut tally = Tally {
        all: OnTimeShare {
            key: "*".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    // History is stored in UTC; the local days lie within a day either
    // side, and the exact local day is checked here.
    let wide = |d: Date, days: i64| d.checked_add(jiff::Span::new().days(days)).unwrap_or(d).to_string();
    due::for_each_finished(conn, office, &wide(from, -1), &wide(to, 2), |row| {
        let (Some(Ok(done)), Ok(due)) = (
            row.done_at.as_deref().map(str::parse::<Timestamp>),
            row.due_at.parse::<Timestamp>(),
        ) else {
            return;
        };
        if !(from..=to).contains(&local_day(done)) {
            return;
        }
        let kept = Kept::of(done, due);
        tally.add(catalog, &row, |s| {
            s.finished += 1;
            match kept {
                Kept::Early => s.early += 1,
                Kept::OnTime => s.on_time += 1,
                Kept::Late => s.late += 1,
            }
        });
    })?;
    due::for_each_open(conn, office, |row| {
        if row.due_at.parse::<Timestamp>().is_ok_and(|due| due < now) {
            tally.add(catalog, &row, |s| s.overdue_open += 1);
        }
    })?;
    let list = |m: BTreeMap<String, OnTimeShare>| m.into_values().map(finish).collect();
    Ok(OnTime {
        all: finish(tally.all),
        by_procedure: list(tally.by_procedure),
        by_field: list(tally.by_field),
        by_officer: list(tally.by_officer),
    })
}

impl OnTime {
    fn sections(&self) -> [(&'static str, &'static str, Vec<&OnTimeShare>); 4] {
        [
            ("ontime", "Cả đơn vị", vec![&self.all]),
            ("ontime_procedure", "Theo thủ tục", self.by_procedure.iter().collect()),
            ("ontime_field", "Theo lĩnh vực", self.by_field.iter().collect()),
            (
                "ontime_officer",
                "Theo cán bộ tiếp nhận",
                self.by_officer.iter().collect(),
            ),
        ]
    }

    /// CSV rows `section,key,metric,value` for the report's CSV.
    pub fn csv_rows(&self, row: &mut dyn FnMut(&str, &str, &str, String)) {
        for (section, _, list) in self.sections() {
            for s in list {
                row(section, &s.key, "finished", s.finished.to_string());
                row(section, &s.key, "early", s.early.to_string());
                row(section, &s.key, "on_time", s.on_time.to_string());
                row(section, &s.key, "late", s.late.to_string());
                row(
                    section,
                    &s.key,
                    "share",
                    s.share.map_or_else(|| "-".into(), |x| format!("{x:.3}")),
                );
                row(section, &s.key, "overdue_open", s.overdue_open.to_string());
            }
        }
    }

    /// The report's text section.
    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "\nGiải quyết hồ sơ đúng hạn: (đã giải quyết · trước hạn / đúng hạn / quá hạn · tỉ lệ đúng hạn · đang quá hạn)\n",
        );
        for (_, title, list) in self.sections() {
            let _ = writeln!(out, "{title}:");
            for s in list {
                let share = s.share.map_or_else(|| "-".into(), |x| format!("{:.1}%", x * 100.0));
                let _ = writeln!(
                    out,
                    "  {:<14} {:>4} · {} / {} / {} · {:>6} · {}",
                    s.key, s.finished, s.early, s.on_time, s.late, share, s.overdue_open
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn step(status: u8, at: &str) -> StatusChange {
        StatusChange {
            status,
            at: at.into(),
            note: String::new(),
        }
    }

    /// Received Friday 28/08/2026 10:00 in Hà Nội with 3 working days: the
    /// weekend and the National Day break (Mon 31/08 – Wed 02/09) are not
    /// counted, so the appointment is Monday 07/09, 10:00.
    fn due() -> Timestamp {
        let received = local(t("2026-08-28T03:00:00Z")).datetime();
        let day = CALENDAR.appointment(received, 3, END_OF_DAY);
        assert_eq!(day, jiff::civil::date(2026, 9, 7));
        day.to_datetime(Time::constant(10, 0, 0, 0))
            .to_zoned(vietnam())
            .unwrap()
            .timestamp()
    }

    #[test]
    fn a_result_before_on_or_after_its_day_across_a_weekend_and_a_holiday() {
        let due = due();
        assert_eq!(due, t("2026-09-07T03:00:00Z"));
        let kept = |at: &str| {
            let history = [
                step(2, "2026-08-28T03:00:00Z"),
                step(4, "2026-08-28T04:00:00Z"),
                step(9, at),
            ];
            timeliness(9, &history, "2026-09-07T03:00:00Z", t("2026-12-01T00:00:00Z"))
        };
        // Thursday 03/09, the first working day after the break: early.
        assert_eq!(kept("2026-09-03T08:00:00Z"), Some(Timeliness::Early));
        // Sunday 06/09 late at night (23:59 local) is still the day before.
        assert_eq!(kept("2026-09-06T16:59:00Z"), Some(Timeliness::Early));
        // The day itself, by the appointment's time: on time.
        assert_eq!(kept("2026-09-07T01:00:00Z"), Some(Timeliness::OnTime));
        assert_eq!(kept("2026-09-07T03:00:00Z"), Some(Timeliness::OnTime));
        // A minute after it: late.
        assert_eq!(kept("2026-09-07T03:01:00Z"), Some(Timeliness::Late));
    }

    #[test]
    fn the_first_result_counts_an_open_one_is_late_once_due_and_an_ended_one_not_at_all() {
        let due = "2026-09-07T03:00:00Z";
        let (before, after) = (t("2026-09-07T02:59:59Z"), t("2026-09-07T03:00:01Z"));
        let open = [step(2, "2026-08-28T03:00:00Z"), step(4, "2026-08-29T03:00:00Z")];
        assert_eq!(timeliness(4, &open, due, before), None);
        assert_eq!(timeliness(4, &open, due, after), Some(Timeliness::Late));
        // Processed on time, returned late: the result was reached on time.
        let done = [
            step(2, "2026-08-28T03:00:00Z"),
            step(9, "2026-09-04T03:00:00Z"),
            step(10, "2026-09-10T03:00:00Z"),
        ];
        assert_eq!(timeliness(10, &done, due, after), Some(Timeliness::Early));
        for ended in [3, 7, 8] {
            let history = [step(2, "2026-08-28T03:00:00Z"), step(ended, "2026-09-09T03:00:00Z")];
            assert_eq!(timeliness(ended, &history, due, after), None, "status {ended}");
        }
        assert_eq!(timeliness(4, &open, "not a time", after), None);
    }

    #[test]
    fn a_new_appointment_is_the_legal_time_again_counted_in_working_days() {
        let due = due();
        // Still ahead on Friday 28/08: 3 working days after Monday 07/09,
        // at the same hour.
        let friday = t("2026-08-28T03:00:00Z");
        assert_eq!(proposal(&CALENDAR, due, friday, 3), t("2026-09-10T03:00:00Z"));
        // A same-day procedure gets one more working day, not none.
        assert_eq!(proposal(&CALENDAR, due, friday, 0), t("2026-09-08T03:00:00Z"));
        // Passed already: counted from now, after the end of the day from
        // the next working day. Tuesday 08/09 15:00 local: Wed, Thu, Fri →
        // Friday 11/09; at 16:30 local: Mon 14/09.
        assert_eq!(
            proposal(&CALENDAR, due, t("2026-09-08T08:00:00Z"), 3),
            t("2026-09-11T03:00:00Z")
        );
        assert_eq!(
            proposal(&CALENDAR, due, t("2026-09-08T09:30:00Z"), 3),
            t("2026-09-14T03:00:00Z")
        );
        // From Friday 28/08 10:00 local, overdue, 1 day: the next working
        // day is Thursday 03/09 (weekend and the break skipped).
        let overdue = t("2026-08-27T08:00:00Z");
        assert_eq!(proposal(&CALENDAR, overdue, friday, 1), t("2026-09-03T08:00:00Z"));
        assert_eq!(
            working_days_between(&CALENDAR, jiff::civil::date(2026, 8, 28), jiff::civil::date(2026, 9, 7)),
            3
        );
    }
}
