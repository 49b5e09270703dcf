//! Reports for an office over a range of days: tickets per group, waiting
//! and service times (median and p90), no-shows, the share of each
//! satisfaction answer per counter, per officer and per day, and waiting
//! time by hour of day, as text, JSON, CSV and an SVG chart.
//!
//! Medians of an even count are the mean of the two middle values; the
//! 90th percentile is the nearest rank (the value at ⌈0.9·n⌉ of the sorted
//! list). Times are in minutes, rounded to a tenth.
//!
//! A report covers at most a year and reads its rows one at a time,
//! keeping only the figures; central computes a few at once and tells the
//! others to come back later, so reports cannot starve the office's queue
//! of memory or threads.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::sql::Conn;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::ApiError;
use crate::repo;
use motcua_api::model::TicketStatus;
use motcua_core::time::local;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Report {
    pub office: String,
    pub from: String,
    pub to: String,
    pub groups: Vec<GroupReport>,
    pub satisfaction_by_counter: Vec<Share>,
    pub satisfaction_by_officer: Vec<Share>,
    pub satisfaction_by_day: Vec<Share>,
    /// Median wait of the tickets issued in each hour of the day.
    pub wait_by_hour: Vec<HourWait>,
    /// Dossiers kept to their appointments (see [`crate::ontime`]).
    pub on_time: crate::ontime::OnTime,
    /// The dossier evaluations (national criteria).
    pub dossier_evaluation: crate::evaluation_report::EvaluationReport,
    /// Dossiers digitised at intake (see [`crate::digitised`]).
    pub digitised: crate::digitised::Digitised,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GroupReport {
    pub group: String,
    pub tickets: u32,
    pub served: u32,
    pub no_shows: u32,
    pub wait_median_min: Option<f64>,
    pub wait_p90_min: Option<f64>,
    pub service_median_min: Option<f64>,
    pub service_p90_min: Option<f64>,
}

/// The share of each answer among `total` ratings.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Share {
    pub key: String,
    pub total: u32,
    pub satisfied: f64,
    pub neutral: f64,
    pub unsatisfied: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HourWait {
    pub hour: u8,
    pub tickets: u32,
    pub median_min: Option<f64>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The median: the middle value, or the mean of the two middle values.
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(round1(sorted[n / 2])),
        _ => Some(round1((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0)),
    }
}

/// The nearest-rank percentile `p` (0 < p ≤ 1).
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(round1(sorted[rank.min(sorted.len()) - 1]))
}

fn minutes(from: &str, to: &str) -> Option<f64> {
    let (a, b) = (from.parse::<Timestamp>().ok()?, to.parse::<Timestamp>().ok()?);
    Some((b.as_millisecond() - a.as_millisecond()) as f64 / 60_000.0)
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn shares(counts: BTreeMap<String, [u32; 3]>) -> Vec<Share> {
    counts
        .into_iter()
        .map(|(key, [s, n, u])| {
            let total = s + n + u;
            let part = |x: u32| {
                if total == 0 {
                    0.0
                } else {
                    (f64::from(x) / f64::from(total) * 1000.0).round() / 1000.0
                }
            };
            Share {
                key,
                total,
                satisfied: part(s),
                neutral: part(n),
                unsatisfied: part(u),
            }
        })
        .collect()
}

/// The longest range a report covers, in days: a year, leap day included.
pub const MAX_DAYS: i64 = 366;

/// Reports computed at once; a request beyond this is answered 429.
/// Each one reads a range of the database on a blocking thread.
pub const MAX_CONCURRENT: usize = 2;

/// Seconds a client is told to wait when every report slot is taken.
pub const BUSY_RETRY_AFTER: u64 = 10;

/// Refuses a range that is backwards or longer than [`MAX_DAYS`], with
/// the reason in English and Vietnamese.
pub fn check_range(from: Date, to: Date) -> Result<(), ApiError> {
    if from > to {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "report_range",
            format!("`from` {from} is after `to` {to} / ngày bắt đầu {from} sau ngày kết thúc {to}"),
        ));
    }
    let days = (to - from).get_days() as i64 + 1;
    if days > MAX_DAYS {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "report_range",
            format!(
                "{from} – {to} is {days} days; a report covers at most {MAX_DAYS}: ask for one year at a time \
                 / khoảng {from} – {to} dài {days} ngày; mỗi báo cáo tối đa {MAX_DAYS} ngày: xin lập từng năm một"
            ),
        ));
    }
    Ok(())
}

/// The answer when every report slot is taken: 429 with Retry-After.
pub fn busy() -> ApiError {
    ApiError {
        retry_after: Some(BUSY_RETRY_AFTER),
        ..ApiError::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "reports_busy",
            format!("{MAX_CONCURRENT} reports are being computed; try again in {BUSY_RETRY_AFTER} s"),
        )
    }
}

#[derive(Default)]
struct Acc {
    tickets: u32,
    served: u32,
    no_shows: u32,
    waits: Vec<f64>,
    services: Vec<f64>,
}

/// Computes the report of `office` for the local days `from`–`to` inclusive
/// (at most [`MAX_DAYS`]); dossiers overdue are counted at `now`.
///
/// Rows are read one at a time and only the figures are kept (a wait and
/// a service time per ticket, a count per rating), never the rows
/// themselves: a year of a busy office stays a few megabytes.
pub fn compute(conn: &Conn, office: &str, from: Date, to: Date, now: Timestamp) -> Result<Report, ApiError> {
    check_range(from, to)?;
    let (f, t) = (from.to_string(), to.to_string());

    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    let mut by_hour: BTreeMap<u8, Vec<f64>> = BTreeMap::new();
    repo::tickets::for_each_in_days(conn, office, &f, &t, |group, status, issued, called, finished| {
        let acc = match groups.get_mut(group) {
            Some(a) => a,
            None => groups.entry(group.to_string()).or_default(),
        };
        acc.tickets += 1;
        match status {
            TicketStatus::Done => acc.served += 1,
            TicketStatus::NoShow => acc.no_shows += 1,
            _ => {}
        }
        if let Some(called) = called
            && let Some(w) = minutes(issued, called)
        {
            acc.waits.push(w);
            if let Ok(issued) = issued.parse::<Timestamp>() {
                by_hour.entry(local(issued).hour() as u8).or_default().push(w);
            }
        }
        if status == TicketStatus::Done
            && let (Some(called), Some(finished)) = (called, finished)
            && let Some(s) = minutes(called, finished)
        {
            acc.services.push(s);
        }
    })?;
    let groups = groups
        .into_iter()
        .map(|(group, a)| {
            let (waits, services) = (sorted(a.waits), sorted(a.services));
            GroupReport {
                group,
                tickets: a.tickets,
                served: a.served,
                no_shows: a.no_shows,
                wait_median_min: median(&waits),
                wait_p90_min: percentile(&waits, 0.9),
                service_median_min: median(&services),
                service_p90_min: percentile(&services, 0.9),
            }
        })
        .collect();
    let wait_by_hour = by_hour
        .into_iter()
        .map(|(hour, w)| HourWait {
            hour,
            tickets: w.len() as u32,
            median_min: median(&sorted(w)),
        })
        .collect();

    // Ratings are stored in UTC; the local days lie within a day either
    // side of the same dates in UTC, so the index narrows the read and
    // the exact local day is checked below.
    let wide = |d: Date, days: i64| d.checked_add(jiff::Span::new().days(days)).unwrap_or(d).to_string();
    let (mut by_counter, mut by_officer, mut by_day) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    repo::ratings::for_each_between(
        conn,
        office,
        &wide(from, -1),
        &wide(to, 2),
        |answer, at, counter, officer| {
            let Ok(at) = at.parse::<Timestamp>() else { return };
            let day = local(at).date();
            if day < from || day > to {
                return;
            }
            let slot = match answer {
                "satisfied" => 0,
                "neutral" => 1,
                _ => 2,
            };
            let key = |v: Option<&str>| v.unwrap_or("—").to_string();
            by_counter.entry(key(counter)).or_insert([0u32; 3])[slot] += 1;
            by_officer.entry(key(officer)).or_insert([0u32; 3])[slot] += 1;
            by_day.entry(day.to_string()).or_insert([0u32; 3])[slot] += 1;
        },
    )?;
    let catalog = crate::office_catalog(conn, office)?;
    Ok(Report {
        office: office.to_string(),
        from: f,
        to: t,
        groups,
        satisfaction_by_counter: shares(by_counter),
        satisfaction_by_officer: shares(by_officer),
        satisfaction_by_day: shares(by_day),
        wait_by_hour,
        on_time: crate::ontime::compute(conn, office, &catalog, from, to, now)?,
        dossier_evaluation: crate::evaluation_report::compute(conn, office, from, to, &wide(from, -1), &wide(to, 2))?,
        digitised: crate::digitised::compute(conn, office, &catalog, (from, to), &wide(from, -1), &wide(to, 2))?,
    })
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into())
}

impl Report {
    /// One row per figure: `section,key,metric,value`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("section,key,metric,value\n");
        let mut row = |section: &str, key: &str, metric: &str, value: String| {
            let _ = writeln!(out, "{section},{},{metric},{value}", key.replace(',', " "));
        };
        for g in &self.groups {
            row("group", &g.group, "tickets", g.tickets.to_string());
            row("group", &g.group, "served", g.served.to_string());
            row("group", &g.group, "no_shows", g.no_shows.to_string());
            row("group", &g.group, "wait_median_min", opt(g.wait_median_min));
            row("group", &g.group, "wait_p90_min", opt(g.wait_p90_min));
            row("group", &g.group, "service_median_min", opt(g.service_median_min));
            row("group", &g.group, "service_p90_min", opt(g.service_p90_min));
        }
        for (section, list) in [
            ("counter", &self.satisfaction_by_counter),
            ("officer", &self.satisfaction_by_officer),
            ("day", &self.satisfaction_by_day),
        ] {
            for s in list {
                row(section, &s.key, "ratings", s.total.to_string());
                row(section, &s.key, "satisfied", format!("{:.3}", s.satisfied));
                row(section, &s.key, "neutral", format!("{:.3}", s.neutral));
                row(section, &s.key, "unsatisfied", format!("{:.3}", s.unsatisfied));
            }
        }
        for h in &self.wait_by_hour {
            row("hour", &format!("{:02}", h.hour), "tickets", h.tickets.to_string());
            row("hour", &format!("{:02}", h.hour), "wait_median_min", opt(h.median_min));
        }
        self.on_time.csv_rows(&mut row);
        self.dossier_evaluation.csv_rows(&mut row);
        self.digitised.csv_rows(&mut row);
        out
    }

    /// A plain-text report for IT staff and office heads.
    pub fn to_text(&self) -> String {
        let mut out = format!("Báo cáo {} · {} – {}\n\n", self.office, self.from, self.to);
        out.push_str("Nhóm  Số phiếu  Đã phục vụ  Vắng  Chờ TV  Chờ p90  Phục vụ TV  Phục vụ p90 (phút)\n");
        for g in &self.groups {
            let _ = writeln!(
                out,
                "{:<5} {:>8} {:>11} {:>5} {:>7} {:>8} {:>11} {:>12}",
                g.group,
                g.tickets,
                g.served,
                g.no_shows,
                opt(g.wait_median_min),
                opt(g.wait_p90_min),
                opt(g.service_median_min),
                opt(g.service_p90_min)
            );
        }
        for (title, list) in [
            ("Hài lòng theo quầy", &self.satisfaction_by_counter),
            ("Hài lòng theo cán bộ", &self.satisfaction_by_officer),
            ("Hài lòng theo ngày", &self.satisfaction_by_day),
        ] {
            let _ = writeln!(out, "\n{title}: (lượt · hài lòng / bình thường / không hài lòng)");
            for s in list {
                let _ = writeln!(
                    out,
                    "  {:<12} {:>4} · {:>5.1}% / {:>5.1}% / {:>5.1}%",
                    s.key,
                    s.total,
                    s.satisfied * 100.0,
                    s.neutral * 100.0,
                    s.unsatisfied * 100.0
                );
            }
        }
        out.push_str("\nThời gian chờ theo giờ lấy số (trung vị, phút):\n");
        for h in &self.wait_by_hour {
            let _ = writeln!(out, "  {:02}h  {:>4} phiếu  {}", h.hour, h.tickets, opt(h.median_min));
        }
        out.push_str(&self.on_time.to_text());
        self.dossier_evaluation.text(&mut out);
        self.digitised.text(&mut out);
        out
    }

    /// A bar chart of the median wait by hour of day.
    pub fn wait_chart_svg(&self) -> String {
        let (w, h, left, bottom, top) = (720.0f64, 360.0f64, 56.0f64, 40.0f64, 40.0f64);
        let max = self
            .wait_by_hour
            .iter()
            .filter_map(|x| x.median_min)
            .fold(1.0f64, f64::max)
            .ceil();
        let plot_h = h - bottom - top;
        let hours: Vec<u8> = (6..=19).collect();
        let bar_w = (w - left - 16.0) / hours.len() as f64;
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"Noto Sans, sans-serif\" font-size=\"12\">\n\
             <rect width=\"{w}\" height=\"{h}\" fill=\"#FFFFFF\"/>\n\
             <text x=\"{left}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Thời gian chờ trung vị theo giờ lấy số (phút) · {} · {} – {}</text>\n",
            self.office, self.from, self.to
        );
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#44403C\"/>",
            h - bottom,
            w - 8.0,
            h - bottom
        );
        for tick in 0..=4 {
            let v = max * f64::from(tick) / 4.0;
            let y = h - bottom - plot_h * f64::from(tick) / 4.0;
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{v:.0}</text>",
                left - 6.0,
                y + 4.0
            );
            let _ = writeln!(
                svg,
                "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#E7E5E4\"/>",
                w - 8.0
            );
        }
        for (i, hour) in hours.iter().enumerate() {
            let x = left + 4.0 + i as f64 * bar_w;
            if let Some(m) = self
                .wait_by_hour
                .iter()
                .find(|x| x.hour == *hour)
                .and_then(|x| x.median_min)
            {
                let bh = plot_h * m / max;
                let _ = writeln!(
                    svg,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#8E1B1F\"><title>{hour:02}h: {m:.1} phút</title></rect>",
                    h - bottom - bh,
                    bar_w - 6.0
                );
            }
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{hour}h</text>",
                x + (bar_w - 6.0) / 2.0,
                h - bottom + 16.0
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::params;

    fn now() -> Timestamp {
        "2026-11-28T03:00:00Z".parse().unwrap()
    }

    /// A day worked by hand (times in UTC; Hà Nội is +7).
    ///
    /// Group A, issued/called/finished:
    ///   A1 08:00 → 08:10 → 08:20 done   wait 10, service 10
    ///   A2 08:05 → 08:25 → 08:40 done   wait 20, service 15
    ///   A3 08:30 → 08:40 no-show        wait 10
    ///   A4 09:10 → 09:50 → 10:20 done   wait 40, service 30
    ///   A5 09:20 (still waiting)
    /// Waits 10, 10, 20, 40: median (10+20)/2 = 15, p90 rank ⌈3.6⌉ = 4 → 40.
    /// Services 10, 15, 30: median 15, p90 rank ⌈2.7⌉ = 3 → 30.
    /// By hour (local): 15h → A1, A2, A3 waits 10, 20, 10: median 10;
    /// 16h → A4: 40.
    /// Group B: B1 08:00 → 08:06 → 08:10 done: wait 6, service 4.
    /// Ratings: counter 1 (officer CB01) satisfied, satisfied, neutral;
    /// counter 2 (CB02) unsatisfied → counter 1: 2/3, 1/3, 0; counter 2: 0, 0, 1.
    #[test]
    fn figures_match_a_day_worked_by_hand() {
        let dir = tempfile::tempdir().unwrap();
        let _db = super::super::db::Db::open(dir.path(), 1024).unwrap();
        let c = Conn::open_sqlite(dir.path().join("central.db")).unwrap();
        let t = |h: u32, m: u32| format!("2026-11-27T{h:02}:{m:02}:00Z");
        type Row<'a> = (&'a str, u32, &'a str, String, Option<String>, Option<String>);
        let tickets: [Row; 6] = [
            ("A", 1, "done", t(8, 0), Some(t(8, 10)), Some(t(8, 20))),
            ("A", 2, "done", t(8, 5), Some(t(8, 25)), Some(t(8, 40))),
            ("A", 3, "no_show", t(8, 30), Some(t(8, 40)), Some(t(8, 40))),
            ("A", 4, "done", t(9, 10), Some(t(9, 50)), Some(t(10, 20))),
            ("A", 5, "waiting", t(9, 20), None, None),
            ("B", 1, "done", t(8, 0), Some(t(8, 6)), Some(t(8, 10))),
        ];
        for (g, n, status, issued, called, finished) in &tickets {
            c.execute(
                "INSERT INTO tickets (office, day, grp, queue_grp, number, lane, issued_at, issued_ms, device_id, status, called_at, finished_at)
                 VALUES ('X', '2026-11-27', ?1, ?1, ?2, 'normal', ?3, 0, 1, ?4, ?5, ?6)",
                params![g, n, issued, status, called, finished],
            )
            .unwrap();
        }
        for (answer, counter, officer) in [
            ("satisfied", "1", "CB01"),
            ("satisfied", "1", "CB01"),
            ("neutral", "1", "CB01"),
            ("unsatisfied", "2", "CB02"),
        ] {
            c.execute(
                "INSERT INTO ratings (office, device_id, answer, rated_at, counter, officer) VALUES ('X', 1, ?1, '2026-11-27T09:00:00Z', ?2, ?3)",
                params![answer, counter, officer],
            )
            .unwrap();
        }
        let day = jiff::civil::date(2026, 11, 27);
        let r = compute(&c, "X", day, day, now()).unwrap();
        let a = &r.groups[0];
        assert_eq!((a.tickets, a.served, a.no_shows), (5, 3, 1));
        assert_eq!((a.wait_median_min, a.wait_p90_min), (Some(15.0), Some(40.0)));
        assert_eq!((a.service_median_min, a.service_p90_min), (Some(15.0), Some(30.0)));
        let b = &r.groups[1];
        assert_eq!((b.wait_median_min, b.service_median_min), (Some(6.0), Some(4.0)));
        // Hour 15 local also holds B1 (wait 6): waits 6, 10, 10, 20 → median 10.
        assert_eq!(
            r.wait_by_hour,
            vec![
                HourWait {
                    hour: 15,
                    tickets: 4,
                    median_min: Some(10.0)
                },
                HourWait {
                    hour: 16,
                    tickets: 1,
                    median_min: Some(40.0)
                },
            ]
        );
        assert_eq!(r.satisfaction_by_counter[0].satisfied, 0.667);
        assert_eq!(r.satisfaction_by_counter[0].neutral, 0.333);
        assert_eq!(r.satisfaction_by_counter[1].unsatisfied, 1.0);
        assert_eq!(r.satisfaction_by_officer[1].key, "CB02");
        assert_eq!(r.satisfaction_by_day[0].total, 4);
        // Another day has nothing.
        let other = jiff::civil::date(2026, 11, 26);
        assert!(compute(&c, "X", other, other, now()).unwrap().groups.is_empty());
        assert!(compute(&c, "X", day, other, now()).is_err());
        let csv = r.to_csv();
        assert!(csv.contains("group,A,wait_p90_min,40.0\n"), "{csv}");
        assert!(r.to_text().contains("Hài lòng theo quầy"));
        let svg = r.wait_chart_svg();
        assert!(svg.starts_with("<svg") && svg.contains("15h: 10.0 phút"));
    }

    /// Ratings are read through a window on their UTC time; the local day
    /// still decides, to the fraction of a second around Hà Nội's midnight.
    #[test]
    fn ratings_count_on_their_local_day() {
        let dir = tempfile::tempdir().unwrap();
        let _db = super::super::db::Db::open(dir.path(), 1024).unwrap();
        let c = Conn::open_sqlite(dir.path().join("central.db")).unwrap();
        for (answer, at) in [
            ("unsatisfied", "2026-11-26T16:59:59.900Z"),
            ("satisfied", "2026-11-26T17:00:00.500Z"),
            ("neutral", "2026-11-27T16:59:59Z"),
            ("unsatisfied", "2026-11-27T17:00:00Z"),
        ] {
            c.execute(
                "INSERT INTO ratings (office, device_id, answer, rated_at) VALUES ('X', 1, ?1, ?2)",
                params![answer, at],
            )
            .unwrap();
        }
        let day = jiff::civil::date(2026, 11, 27);
        let r = compute(&c, "X", day, day, now()).unwrap();
        assert_eq!(r.satisfaction_by_day.len(), 1);
        let s = &r.satisfaction_by_day[0];
        assert_eq!((s.key.as_str(), s.total), ("2026-11-27", 2));
        assert_eq!((s.satisfied, s.neutral, s.unsatisfied), (0.5, 0.5, 0.0));
    }

    #[test]
    fn ranges_are_bounded_to_a_year() {
        let d = jiff::civil::date;
        assert!(check_range(d(2026, 1, 1), d(2026, 12, 31)).is_ok());
        assert!(check_range(d(2024, 1, 1), d(2024, 12, 31)).is_ok(), "a leap year");
        let e = check_range(d(2024, 1, 1), d(2025, 1, 1)).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code), (400, "report_range"));
        assert!(e.message.contains("367 days"), "{}", e.message);
        assert!(check_range(d(2026, 1, 2), d(2026, 1, 1)).is_err());
        let c = Conn::open_in_memory().unwrap();
        assert_eq!(
            compute(&c, "X", d(2000, 1, 1), d(2026, 1, 1), now()).unwrap_err().code,
            "report_range",
            "refused before any row is read"
        );
    }

    #[test]
    fn medians_and_percentiles() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[1.0, 2.0, 3.0, 10.0]), Some(2.5));
        assert_eq!(
            percentile(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9),
            Some(9.0)
        );
        assert_eq!(percentile(&[5.0], 0.9), Some(5.0));
    }
}
