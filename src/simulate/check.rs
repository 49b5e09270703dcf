//! The evening: every outbox drained to central and the portal, retention
//! run everywhere, and the office checked (numbers, calls, ratings,
//! dossiers, retention); a failed check says what was wrong.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use rusqlite::OptionalExtension;

use crate::store::Store;
use crate::sync::Step;
use motcua_core::queue::TicketNumber;
use motcua_core::time::local_day;

use super::{Day, Device, OFFICE, Res, Sim, SimError, at};

impl Sim {
    fn devices(&self) -> Vec<(String, &Device)> {
        let mut all: Vec<(String, &Device)> = Vec::new();
        for (i, k) in self.kiosks.iter().enumerate() {
            all.push((format!("kiosk {}", i + 1), &k.device));
        }
        for (i, c) in self.counters.iter().enumerate() {
            all.push((format!("counter {}", i + 1), &c.device));
            all.push((format!("display {}", i + 1), &c.display));
        }
        all
    }

    /// Every device sends what it can; the portal gets what central has.
    pub(super) fn drain_all(&mut self) -> Res<()> {
        for (_, d) in self.devices() {
            d.link.block_on(d.link.drain());
        }
        let app = self.app()?;
        self.rt.block_on(motcua_central::portal::drain(&app, OFFICE))?;
        Ok(())
    }

    pub(super) fn numbers(&self, store: &Arc<Mutex<Store>>, now: Timestamp) -> Res<Vec<TicketNumber>> {
        crate::counter::lock(store)
            .numbers_of_day(local_day(now))
            .map_err(SimError::from)
    }

    fn central_db(&self) -> Res<rusqlite::Connection> {
        let c = rusqlite::Connection::open(self.central_dir.join(motcua_central::db::DB_FILE))?;
        c.execute_batch("PRAGMA busy_timeout = 10000")?;
        Ok(c)
    }

    /// The day's end: every outbox drained, retention run on every
    /// database and folder, and the office checked.
    pub(super) fn end_of_day(&mut self, date: Date, day: &mut Day) -> Res<()> {
        let evening = at(date, 21, 0)?;
        self.clock.set(evening);
        // Everything reaches central, and the portal, whatever faults
        // are left.
        for _ in 0..3 {
            for (_, d) in self.devices() {
                if let Step::Retry(_) = d.link.block_on(d.link.drain()) {
                    d.link.block_on(d.link.probe());
                    d.link.block_on(d.link.drain());
                }
            }
        }
        let app = self.app()?;
        for _ in 0..20 {
            let d = self.rt.block_on(motcua_central::portal::drain(&app, OFFICE))?;
            if !d.waiting {
                break;
            }
        }
        // A fault no request met did not happen: it is not counted as one.
        if self.portal.clear_faults() > 0 {
            day.faults.retain(|f| !f.starts_with("portal"));
        }
        self.rt.block_on(motcua_central::portal::drain(&app, OFFICE))?;
        // Retention, as each device's hourly task and central's do it.
        let days = self.options.retention_days;
        for (name, d) in self.devices() {
            let mut store = crate::counter::lock(&d.store);
            store
                .purge_personal(evening, days)
                .map_err(|source| SimError::Retention {
                    device: name.clone(),
                    what: "retention",
                    source,
                })?;
            crate::retention::purge_files(&store, &d.dir, evening, days).map_err(|source| SimError::Retention {
                device: name.clone(),
                what: "retention of files",
                source,
            })?;
        }
        self.rt.block_on(motcua_central::retention::purge(&app, evening))?;
        // The board takes what is still on its way.
        while let Ok(e) = self.board.events.try_recv() {
            self.board_take(e);
        }
        // What the board said since the last evening (cleared each evening).
        day.spoken = self.board.spoken.values().map(|v| v.len() as u32).sum();
        self.check(date, day)
    }

    fn check(&mut self, date: Date, day: &mut Day) -> Res<()> {
        let db = self.central_db()?;
        let d = date.to_string();
        let q = |sql: &str| -> Res<i64> { db.query_row(sql, [&d], |r| r.get(0)).map_err(SimError::from) };

        // Nothing left behind in any outbox, nothing refused.
        for (name, dev) in self.devices() {
            let counts = crate::counter::lock(&dev.store).outbox_counts()?;
            let all = crate::counter::lock(&dev.store).failed_records()?;
            if counts.failed > 0 || !all.is_empty() {
                return Err(SimError::Check(format!("{name}: records refused by central: {all:?}")));
            }
            if counts.pending > 0 {
                return Err(SimError::Check(format!(
                    "{name}: {} records still pending after the evening's drain",
                    counts.pending
                )));
            }
        }
        // No number given twice in the office-day, at central or by the kiosks.
        let twice = q("SELECT count(*) FROM (SELECT 1 FROM tickets WHERE day = ?1
                        GROUP BY grp, slot, number HAVING count(*) > 1)")?;
        if twice > 0 {
            return Err(SimError::Check(format!(
                "{twice} ticket numbers given twice at central"
            )));
        }
        let mut given: HashSet<TicketNumber> = HashSet::new();
        let mut issued = 0usize;
        for (name, k) in self.kiosks.iter().enumerate() {
            let numbers = crate::counter::lock(&k.device.store).numbers_of_day(date)?;
            for n in numbers {
                issued += 1;
                if !given.insert(n.clone()) {
                    return Err(SimError::Check(format!("ticket {n} given twice (kiosk {})", name + 1)));
                }
            }
        }
        // Every ticket issued is at central, called or still waiting.
        let at_central = q("SELECT count(*) FROM tickets WHERE day = ?1 AND status <> 'void'")? as usize;
        if at_central != issued {
            return Err(SimError::Check(format!(
                "the kiosks issued {issued} tickets, central holds {at_central}"
            )));
        }
        {
            let mut stmt =
                db.prepare("SELECT grp, slot, number, status FROM tickets WHERE day = ?1 AND status <> 'void'")?;
            let rows = stmt.query_map([&d], |r| {
                Ok((
                    TicketNumber {
                        group: r.get(0)?,
                        slot: r.get(1)?,
                        number: r.get(2)?,
                    },
                    r.get::<_, String>(3)?,
                ))
            })?;
            for row in rows {
                let (n, status) = row?;
                if !given.contains(&n) {
                    return Err(SimError::Check(format!(
                        "central holds ticket {n} ({status}) no kiosk issued"
                    )));
                }
                if status == "called" {
                    return Err(SimError::Check(format!(
                        "ticket {n} was left at a counter after closing"
                    )));
                }
            }
        }
        day.waiting = q("SELECT count(*) FROM tickets WHERE day = ?1 AND status = 'waiting'")? as u32;
        let calls: i64 = q("SELECT count(*) FROM tickets WHERE day = ?1 AND status IN ('done', 'no_show')")?;
        if calls as u32 != day.served + day.skipped {
            return Err(SimError::Check(format!(
                "central counts {calls} tickets served or not shown, the counters {}",
                day.served + day.skipped
            )));
        }
        // Every call shown on the board and spoken once; recalls again.
        let shown: HashSet<(i64, u32)> = self.board.shown.iter().copied().collect();
        for call in &self.expect.calls {
            if !shown.contains(call) {
                return Err(SimError::Check(format!(
                    "call {} of ticket {} never shown on the board",
                    call.1, call.0
                )));
            }
            match self.board.spoken.get(call).map(Vec::len) {
                Some(1) => {}
                Some(n) => {
                    return Err(SimError::Check(format!(
                        "call {} of ticket {} spoken {n} times",
                        call.1, call.0
                    )));
                }
                None => {
                    return Err(SimError::Check(format!(
                        "call {} of ticket {} never spoken",
                        call.1, call.0
                    )));
                }
            }
        }
        let expected: HashSet<(i64, u32)> = self.expect.calls.iter().copied().collect();
        if let Some(extra) = self.board.spoken.keys().find(|k| !expected.contains(k)) {
            return Err(SimError::Check(format!(
                "the board spoke call {} of ticket {} no counter made",
                extra.1, extra.0
            )));
        }
        // Numbers restart with the day, and the board says them again:
        // each group's first ticket called today was spoken.
        let firsts: Vec<String> = {
            let mut stmt = db.prepare(
                "SELECT grp FROM tickets WHERE day = ?1 AND slot = 0 AND number = 1 AND status <> 'waiting'",
            )?;
            stmt.query_map([&d], |r| r.get(0))
                .and_then(|rows| rows.collect::<Result<_, _>>())?
        };
        for group in firsts {
            let shown = format!("{group}-001");
            if !self.board.first_calls.contains(&shown) {
                return Err(SimError::Check(format!(
                    "today's {shown} was called but the board did not say it"
                )));
            }
        }
        if day.open && self.expect.calls.is_empty() {
            return Err(SimError::Check("no call today".into()));
        }
        self.board.first_calls.clear();
        self.expect.calls.clear();
        self.board.shown.clear();
        self.board.spoken.clear();
        // One rating per served ticket, sent by the display that took it.
        for (id, display) in self.expect.served.drain(..) {
            let by: Vec<i64> = {
                let mut stmt = db.prepare_cached("SELECT device_id FROM ratings WHERE ticket_id = ?1")?;
                stmt.query_map([id], |r| r.get(0))
                    .and_then(|rows| rows.collect::<Result<_, _>>())?
            };
            if by != [display] {
                return Err(SimError::Check(format!(
                    "ticket {id} served: ratings at central from devices {by:?}, expected one from device {display}"
                )));
            }
        }
        // Every dossier at central once, with its statuses in order, and
        // at the portal once.
        let left: i64 = db.query_row(
            "SELECT count(*) FROM portal_outbox WHERE office = ?1 AND state <> 'sent'",
            [OFFICE],
            |r| r.get(0),
        )?;
        if left > 0 {
            return Err(SimError::Check(format!("{left} portal records not delivered")));
        }
        let touched: Vec<String> = self.expect.touched.drain().collect();
        for code in &touched {
            let statuses = &self.expect.dossiers[code];
            let history: Vec<u8> = {
                let mut stmt = db
                    .prepare_cached("SELECT status FROM dossier_history WHERE office = ?1 AND code = ?2 ORDER BY id")?;
                stmt.query_map([OFFICE, code.as_str()], |r| r.get(0))
                    .and_then(|rows| rows.collect::<Result<_, _>>())?
            };
            if &history != statuses {
                return Err(SimError::Check(format!(
                    "dossier {code}: central's history {history:?}, the counter set {statuses:?}"
                )));
            }
            let (created, _) = self.portal.dossier_writes(code);
            if created != 1 {
                return Err(SimError::Check(format!(
                    "dossier {code} created {created} times at the portal"
                )));
            }
            let mut progress: Vec<u8> = self
                .portal
                .progress(code)
                .iter()
                .filter_map(|p| {
                    let t = &p["TrangThai"];
                    t.as_str()
                        .and_then(|t| t.parse().ok())
                        .or_else(|| t.as_u64().map(|n| n as u8))
                })
                .collect();
            progress.dedup();
            if !progress.is_sorted() {
                return Err(SimError::Check(format!(
                    "dossier {code}: progress at the portal out of order: {progress:?}"
                )));
            }
        }
        let dossiers: i64 = db.query_row("SELECT count(*) FROM dossiers WHERE office = ?1", [OFFICE], |r| {
            r.get(0)
        })?;
        if dossiers as usize != self.expect.dossiers.len() {
            return Err(SimError::Check(format!(
                "central holds {dossiers} dossiers, the counters took in {}",
                self.expect.dossiers.len()
            )));
        }
        if day.open && (day.tickets < self.options.tickets_per_day || day.dossiers_in < self.options.dossiers_per_day) {
            return Err(SimError::Check(format!(
                "a thin day: {} tickets and {} dossiers",
                day.tickets, day.dossiers_in
            )));
        }
        self.check_retention(date)
    }

    /// No personal data past the retention window anywhere: device
    /// databases, receipt files, central's stored answers.
    fn check_retention(&self, date: Date) -> Res<()> {
        let now = self.now();
        let cutoff = now - SignedDuration::from_hours(24 * i64::from(self.options.retention_days));
        let cut = cutoff.to_string();
        for (name, d) in self.devices() {
            let db = rusqlite::Connection::open(d.dir.join(crate::store::DB_FILE))?;
            db.execute_batch("PRAGMA busy_timeout = 10000")?;
            let stale: i64 = db.query_row(
                "SELECT count(*) FROM outbox WHERE state = 'sent' AND sent_at < ?1
                       AND (json_type(body, '$.dossier.applicant') IS NOT NULL
                            OR coalesce(json_extract(body, '$.comment'), '') <> '')",
                [&cut],
                |r| r.get(0),
            )?;
            if stale > 0 {
                return Err(SimError::Check(format!(
                    "{name}: {stale} sent records still hold personal data past retention"
                )));
            }
            let kept: Option<String> = db
                .query_row(
                    "SELECT code FROM dossiers WHERE json_type(body, '$.applicant') IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind IN ('dossier', 'status')
                            AND json_extract(o.body, '$.code') = +dossiers.code
                            AND (o.state <> 'sent' OR o.sent_at >= ?1))
                     LIMIT 1",
                    [&cut],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(code) = kept {
                return Err(SimError::Check(format!(
                    "{name}: dossier {code} keeps its applicant past retention"
                )));
            }
            let comments: i64 = db.query_row(
                "SELECT count(*) FROM ratings WHERE comment <> '' AND rated_at < ?1",
                [&cut],
                |r| r.get(0),
            )?;
            if comments > 0 {
                return Err(SimError::Check(format!(
                    "{name}: {comments} rating comments past retention"
                )));
            }
            let store = crate::counter::lock(&d.store);
            let overdue = crate::retention::overdue_files(&store, &d.dir, now, self.options.retention_days)?;
            if let Some(file) = overdue.first() {
                return Err(SimError::Check(format!(
                    "{name}: {} kept past retention",
                    file.display()
                )));
            }
        }
        let db = self.central_db()?;
        let answers: i64 = db.query_row("SELECT count(*) FROM idempotency WHERE created_at < ?1", [&cut], |r| {
            r.get(0)
        })?;
        if answers > 0 {
            return Err(SimError::Check(format!(
                "central keeps {answers} stored answers past retention ({date})"
            )));
        }
        Ok(())
    }
}
