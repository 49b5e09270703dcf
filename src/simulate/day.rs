//! A simulated working day (and a closed one): citizens take tickets at
//! the kiosks, the counters call, serve, take dossiers in and hand results
//! back, the citizens rate; the day's faults fall at seeded moments.

use std::path::Path;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

use crate::counter::Intake;
use crate::store::{Rating, RatingEntry, TicketRequest};
use motcua_api::model::{Applicant, DossierDocument};
use motcua_core::catalog::Procedure;
use motcua_core::queue::Lane;

use super::{Day, Res, Sim, SimError, at};

/// A loopback address where nothing listens: a cable pulled.
const DEAD: &str = "http://127.0.0.1:9";

impl Sim {
    pub(super) fn closed_day(&mut self, date: Date) -> Res<Day> {
        self.clock.set(at(date, 12, 0)?);
        Ok(Day {
            date,
            open: false,
            ..empty_day(date)
        })
    }

    fn fault_today(&self, kind: usize, worked: u32) -> bool {
        self.options.faults && worked % 7 == self.fault_days[kind]
    }

    pub(super) fn work_day(&mut self, date: Date, worked: u32) -> Res<Day> {
        let mut day = Day {
            open: true,
            ..empty_day(date)
        };
        let open = at(date, 7, 30)?;
        let close = at(date, 17, 0)?;
        let n = self.options.tickets_per_day + self.rng.u32(0..=self.options.tickets_per_day / 10);
        let step = SignedDuration::from_nanos((close.duration_since(open).as_nanos() / i128::from(n)) as i64);
        // Each fault at a seeded moment of its day.
        let moment = |rng: &mut fastrand::Rng| rng.u32(n / 10..n * 9 / 10);
        let restart_at = self.fault_today(0, worked).then(|| moment(&mut self.rng));
        let cut_at = self.fault_today(1, worked).then(|| moment(&mut self.rng));
        let kill_kiosk_at = (self.fault_today(2, worked) && self.options.exe.is_some()).then(|| moment(&mut self.rng));
        // Half-way between two deliveries: the display beside the counter
        // has ratings waiting when the machine goes off the network.
        let cut_counter_at =
            (self.fault_today(3, worked) && self.options.exe.is_some()).then(|| moment(&mut self.rng) / 25 * 25 + 12);
        let portal_faults = self.fault_today(4, worked);
        let groups: Vec<String> = self.catalog.groups.iter().map(|g| g.letter.clone()).collect();

        for i in 0..n {
            let t = open + step * (i as i32);
            self.clock.set(t);
            if restart_at == Some(i) {
                self.restart_central(&mut day)?;
            }
            if cut_at == Some(i) {
                let k = self.rng.usize(..self.kiosks.len());
                self.kiosks[k].device.link.client().rebase(DEAD);
                self.kiosks[k].cut_until = Some(t + SignedDuration::from_hours(1));
                day.faults.push(format!("kiosk {} cut off for an hour", k + 1));
            }
            if kill_kiosk_at == Some(i) {
                self.kill_kiosk(&mut day)?;
            }
            if cut_counter_at == Some(i) {
                let c = self.rng.usize(..self.counters.len());
                // The machine is cut off: the counter and its display.
                self.counters[c].device.link.client().rebase(DEAD);
                self.counters[c].display.link.client().rebase(DEAD);
                self.counters[c].cut_until = Some(t + SignedDuration::from_hours(1));
                let beside = {
                    let store = crate::counter::lock(&self.counters[c].display.store);
                    store.outbox_counts()?.pending
                };
                day.faults.push(format!(
                    "counter {} cut off for an hour ({beside} ratings waiting beside it)",
                    c + 1
                ));
            }
            if portal_faults && i % (n / 8).max(1) == 0 {
                self.portal_fault(&mut day);
            }
            self.reconnect(t, &mut day)?;

            // A citizen takes a ticket.
            let k = self.rng.usize(..self.kiosks.len());
            let group = groups[self.rng.usize(..groups.len())].clone();
            let procedures: Vec<&Procedure> = self.catalog.procedures.iter().filter(|p| p.group == group).collect();
            let procedure =
                (!procedures.is_empty()).then(|| procedures[self.rng.usize(..procedures.len())].code.clone());
            let lane = if self.rng.f64() < 0.15 {
                Lane::Priority
            } else {
                Lane::Normal
            };
            let request = TicketRequest { group, lane, procedure };
            let link = self.kiosks[k].device.link.clone();
            let ticket = link
                .block_on(link.clone().issue(request, t))
                .map_err(|source| SimError::Issue {
                    kiosk: k + 1,
                    what: "a ticket",
                    source,
                })?;
            day.tickets += 1;
            if ticket.number.slot > 0 {
                day.offline_tickets += 1;
            }
            if lane == Lane::Priority {
                day.priority += 1;
            }

            // Each counter does one thing, a few seconds apart.
            let beat = step / (2 * (self.counters.len() as i32 + 1));
            for c in 0..self.counters.len() {
                self.clock.advance(beat);
                self.counter_step(c, &groups, &mut day)?;
            }
            if i % 25 == 24 {
                self.drain_all()?;
            }
        }
        // Whoever was cut off is back by closing time.
        self.reconnect(close + SignedDuration::from_hours(2), &mut day)?;
        // Closing time: what is at a counter is finished, and the last
        // citizens are served for a while.
        self.clock.set(close);
        for _ in 0..30 {
            for c in 0..self.counters.len() {
                self.clock.advance(SignedDuration::from_secs(10));
                self.counter_step(c, &groups, &mut day)?;
            }
        }
        for c in 0..self.counters.len() {
            if self.counters[c].serving.is_some() {
                self.counter_step_finish(c, &mut day)?;
            }
        }
        Ok(day)
    }

    /// Puts back the devices whose hour cut off is over.
    fn reconnect(&mut self, now: Timestamp, day: &mut Day) -> Res<()> {
        let url = self.url();
        for k in 0..self.kiosks.len() {
            if self.kiosks[k].cut_until.is_some_and(|u| u <= now) {
                self.kiosks[k].cut_until = None;
                let link = self.kiosks[k].device.link.clone();
                link.client().rebase(&url);
                link.block_on(link.probe());
            }
        }
        for c in 0..self.counters.len() {
            if self.counters[c].cut_until.is_some_and(|u| u <= now) {
                self.counters[c].cut_until = None;
                self.counters[c].device.link.client().rebase(&url);
                let display = self.counters[c].display.link.clone();
                display.client().rebase(&url);
                display.block_on(display.probe());
                self.kill_counter_sender(c, day)?;
            }
        }
        Ok(())
    }

    fn counter_step(&mut self, c: usize, groups: &[String], day: &mut Day) -> Res<()> {
        if self.counters[c].cut_until.is_some() {
            // Cut off from central: no calls, but the citizen at the
            // counter may still hand a dossier in, numbered from the
            // counter's own block and queued.
            if self.rng.f64() < 0.3 {
                let procedure = self.catalog.procedures[self.rng.usize(..self.catalog.procedures.len())].clone();
                self.take_in(c, procedure, day)?;
            }
            return Ok(());
        }
        let link = self.counters[c].device.link.clone();
        let label = self.counters[c].label.clone();
        match self.counters[c].serving.clone() {
            None => {
                let officer = self.counters[c].officer.id.clone();
                let key = self.key();
                let called = link.block_on(link.client().call_next(&label, groups, Some(&officer), &key));
                if let Ok(Some(ticket)) = called {
                    day.calls += 1;
                    let id = ticket.id;
                    self.counters[c].serving = Some((ticket, 1));
                    self.board_expect(id, 1)?;
                }
            }
            Some((ticket, calls)) => {
                let r = self.rng.f64();
                if r < 0.04 && calls < 3 {
                    let key = self.key();
                    if link
                        .block_on(link.client().ticket_action(ticket.id, "recall", &label, &key))
                        .is_ok()
                    {
                        day.recalls += 1;
                        self.counters[c].serving = Some((ticket.clone(), calls + 1));
                        self.board_expect(ticket.id, calls + 1)?;
                    }
                } else if r < 0.07 {
                    let key = self.key();
                    if link
                        .block_on(link.client().ticket_action(ticket.id, "skip", &label, &key))
                        .is_ok()
                    {
                        day.skipped += 1;
                        self.counters[c].serving = None;
                    }
                } else {
                    self.counter_step_finish(c, day)?;
                }
            }
        }
        Ok(())
    }

    /// The citizen at counter `c` is served: maybe a dossier taken in, a
    /// result handed back, the ticket completed and rated.
    fn counter_step_finish(&mut self, c: usize, day: &mut Day) -> Res<()> {
        let Some((ticket, _)) = self.counters[c].serving.clone() else {
            return Ok(());
        };
        let now = self.now();
        let link = self.counters[c].device.link.clone();
        let label = self.counters[c].label.clone();
        // A dossier is taken in for about three citizens in ten.
        if self.rng.f64() < 0.3 {
            let procedure = ticket
                .procedure
                .as_deref()
                .and_then(|p| self.catalog.procedure(p))
                .or_else(|| self.catalog.procedures.first())
                .cloned()
                .ok_or_else(|| SimError::Check("the catalog has no procedures".into()))?;
            self.take_in(c, procedure, day)?;
        }
        // A citizen back for a result that is ready.
        if let Some(i) = self.counters[c].pending.iter().position(|(_, ready)| *ready <= now) {
            let (code, _) = self.counters[c].pending.remove(i);
            {
                let mut store = crate::counter::lock(&self.counters[c].device.store);
                store.set_dossier_status(&code, 9, "", now)?;
            }
            let later = now + SignedDuration::from_secs(1);
            link.block_on(self.counters[c].desk.return_result(&code, later))?;
            if let Some(statuses) = self.expect.dossiers.get_mut(&code) {
                statuses.extend([9, 10]);
            }
            self.expect.touched.insert(code);
            day.dossiers_returned += 1;
        }
        let key = self.key();
        if link
            .block_on(link.client().ticket_action(ticket.id, "complete", &label, &key))
            .is_ok()
        {
            day.served += 1;
            self.counters[c].serving = None;
            let display = self.counters[c].display.enrolled.device.device_id;
            self.expect.served.push((ticket.id, display));
            // The citizen rates on the display beside the counter.
            let answer = match self.rng.u32(0..10) {
                0 => Rating::Unsatisfied,
                1 | 2 => Rating::Neutral,
                _ => Rating::Satisfied,
            };
            let mut entry = RatingEntry::new(answer);
            entry.ticket = Some(ticket.id);
            if self.rng.u32(0..5) == 0 {
                entry.comment = "Cán bộ nhiệt tình, chị Lan hướng dẫn kỹ".into();
            }
            let rated = crate::counter::lock(&self.counters[c].display.store).rate(&entry, now)?;
            if !rated {
                return Err(SimError::Check(format!(
                    "ticket {} was rated twice at its display",
                    ticket.id
                )));
            }
            day.ratings += 1;
        }
        Ok(())
    }

    /// Counter `c` takes a dossier in and prints its receipt.
    fn take_in(&mut self, c: usize, procedure: Procedure, day: &mut Day) -> Res<()> {
        let now = self.now();
        let intake = self.intake(procedure);
        let counter = &self.counters[c];
        let link = counter.device.link.clone();
        let taken = link.block_on(counter.desk.take_in(intake.clone(), &counter.officer, now))?;
        // Most results are ready the same day; one in five the next.
        let minutes = if self.rng.u32(0..5) == 0 {
            self.rng.u32(1200..1800)
        } else {
            self.rng.u32(20..300)
        };
        let ready = now + SignedDuration::from_mins(i64::from(minutes));
        self.counters[c].pending.push((taken.code.clone(), ready));
        if self.expect.dossiers.insert(taken.code.clone(), vec![2]).is_some() {
            return Err(SimError::Check(format!("dossier code {} given twice", taken.code)));
        }
        self.expect.touched.insert(taken.code.clone());
        // The receipt as printed, beside the database.
        let file = self.counters[c]
            .device
            .dir
            .join(crate::retention::RECEIPTS_DIR)
            .join(format!("{}.pdf", taken.code));
        write_dated(&file, intake.applicant.name.as_bytes(), now)?;
        day.dossiers_in += 1;
        Ok(())
    }

    /// A citizen's form, made up from the seed.
    fn intake(&mut self, procedure: Procedure) -> Intake {
        const FAMILY: [&str; 6] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"];
        const MIDDLE: [&str; 4] = ["Văn", "Thị", "Minh", "Đức"];
        const GIVEN: [&str; 6] = ["An", "Bình", "Chi", "Dũng", "Hà", "Lan"];
        let name = format!(
            "{} {} {}",
            FAMILY[self.rng.usize(..FAMILY.len())],
            MIDDLE[self.rng.usize(..MIDDLE.len())],
            GIVEN[self.rng.usize(..GIVEN.len())]
        );
        let id_number = format!(
            "001{}{:02}{:06}",
            self.rng.u32(0..4),
            self.rng.u32(0..100),
            self.rng.u32(0..1_000_000)
        );
        let phone = format!("09{:08}", self.rng.u32(0..100_000_000));
        let documents = procedure
            .documents
            .iter()
            .map(|d| DossierDocument {
                name: d.name.clone(),
                originals: d.originals,
                copies: d.copies,
            })
            .collect();
        Intake {
            procedure,
            applicant: Applicant {
                name,
                id_number,
                kind: 1,
                phone,
                email: None,
                address: format!("Số {} phố Hàng Bạc, Hoàn Kiếm, Hà Nội", self.rng.u32(1..200)),
            },
            documents,
            sets: 1,
            notes: None,
            principal: None,
            delivery: Default::default(),
            scans: Vec::new(),
        }
    }
}

fn empty_day(date: Date) -> Day {
    Day {
        date,
        open: false,
        tickets: 0,
        offline_tickets: 0,
        priority: 0,
        calls: 0,
        recalls: 0,
        skipped: 0,
        served: 0,
        waiting: 0,
        dossiers_in: 0,
        dossiers_returned: 0,
        ratings: 0,
        spoken: 0,
        faults: Vec::new(),
        wall_ms: 0,
        evening_ms: 0,
    }
}

/// Writes a file dated `at` (its modification time), as if written then.
fn write_dated(path: &Path, bytes: &[u8], at: Timestamp) -> Res<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)?;
    let f = std::fs::File::options().write(true).open(path)?;
    f.set_modified(std::time::SystemTime::from(at)).map_err(SimError::from)
}
