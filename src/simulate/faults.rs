//! The faults injected from the seed: central restarted, a kiosk killed
//! mid-write, a counter's sender killed mid-delivery, portal errors and
//! lost answers.

use std::io::BufRead;

use crate::store::TicketRequest;
use motcua_central::Running;
use motcua_central::portal::emulator::Fault;
use motcua_core::queue::{Lane, TicketNumber};

use super::{Day, Res, Sim, SimError};

impl Sim {
    /// Stops central and starts it again on the same port and data: the
    /// devices and the board find it again.
    pub(super) fn restart_central(&mut self, day: &mut Day) -> Res<()> {
        if let Some(c) = self.central.take() {
            c.stop();
        }
        // While it is down a kiosk issues from its own numbers.
        let k = self.rng.usize(..self.kiosks.len());
        let link = self.kiosks[k].device.link.clone();
        let request = TicketRequest {
            group: "A".into(),
            lane: Lane::Normal,
            procedure: None,
        };
        let t = self.now();
        link.block_on(link.clone().issue(request, t))
            .map_err(|source| SimError::Issue {
                kiosk: k + 1,
                what: "while central was down",
                source,
            })?;
        day.tickets += 1;
        day.offline_tickets += 1;
        self.central = Some(Running::start(self.addr, &self.central_dir, &self.central_options)?);
        self.board_connected()?;
        day.faults.push("central restarted".into());
        Ok(())
    }

    /// Kills a kiosk with SIGKILL while it writes tickets: the kiosk is
    /// closed, `motcua dev issue-burst` writes into its data directory and
    /// is killed after a seeded number of tickets; reopened, the kiosk
    /// must hold every ticket the burst reported and send each once.
    pub(super) fn kill_kiosk(&mut self, day: &mut Day) -> Res<()> {
        let Some(exe) = self.options.exe.clone() else {
            return Ok(());
        };
        let k = self.rng.usize(..self.kiosks.len());
        let wanted = self.rng.usize(5..60);
        let now = self.now();
        let (dir, enrolled) = {
            let d = &self.kiosks[k].device;
            (d.dir.clone(), d.enrolled.clone())
        };
        let slot = enrolled.device.slot;
        let before = self.numbers(&self.kiosks[k].device.store, now)?;
        // Closed: the link and the store go.
        let placeholder = self.open_device(self.root.join("placeholder"), enrolled.clone())?;
        drop(std::mem::replace(&mut self.kiosks[k].device, placeholder));
        let mut child = spawn_dev(
            &exe,
            std::process::Command::new(&exe)
                .args(["dev", "issue-burst", "--group", "A", "--count", "100000", "--slot"])
                .arg(slot.to_string())
                .arg("--at")
                .arg(now.to_string())
                .arg("--data-dir")
                .arg(&dir),
        )?;
        let mut acknowledged = Vec::new();
        if let Some(out) = child.stdout.take() {
            for line in std::io::BufReader::new(out).lines().take(wanted) {
                let line = line?;
                // "<day> A3-007": the number after the dash.
                let n: u32 = line
                    .rsplit('-')
                    .next()
                    .and_then(|n| n.trim().parse().ok())
                    .ok_or_else(|| SimError::Check(format!("issue-burst said `{line}`")))?;
                acknowledged.push(n);
            }
        }
        child.kill()?;
        let _ = child.wait();
        let device = self.open_device(dir, enrolled)?;
        self.kiosks[k].device = device;
        let after = self.numbers(&self.kiosks[k].device.store, now)?;
        for n in &acknowledged {
            let number = TicketNumber {
                group: "A".into(),
                slot,
                number: *n,
            };
            if !after.contains(&number) {
                return Err(SimError::Check(format!(
                    "kiosk {} lost ticket {number} it had reported before it was killed",
                    k + 1
                )));
            }
        }
        let new = after.len().saturating_sub(before.len()) as u32;
        day.tickets += new;
        day.offline_tickets += new;
        day.faults.push(format!(
            "kiosk {} killed after {} of its tickets ({} committed)",
            k + 1,
            acknowledged.len(),
            new
        ));
        Ok(())
    }

    /// Kills a counter's sender with SIGKILL mid-delivery: the counter is
    /// closed, `motcua dev sync` sends its waiting dossiers and is killed
    /// after a seeded number; the counter reopens and sends the rest.
    pub(super) fn kill_counter_sender(&mut self, c: usize, day: &mut Day) -> Res<()> {
        let Some(exe) = self.options.exe.clone() else {
            return Ok(());
        };
        let pending = {
            let store = crate::counter::lock(&self.counters[c].device.store);
            store.outbox_counts()?.pending
        };
        let beside = {
            let store = crate::counter::lock(&self.counters[c].display.store);
            store.outbox_counts()?.pending
        };
        let wanted = self.rng.usize(1..(pending as usize).max(2));
        let (dir, enrolled) = {
            let d = &self.counters[c].device;
            (d.dir.clone(), d.enrolled.clone())
        };
        let placeholder = self.open_device(self.root.join("placeholder-counter"), enrolled.clone())?;
        // The desk lets go of the store and link too: the process is gone.
        self.counters[c].desk.store = placeholder.store.clone();
        self.counters[c].desk.link = None;
        drop(std::mem::replace(&mut self.counters[c].device, placeholder));
        let mut child = spawn_dev(
            &exe,
            // Its display shares the machine: only the counter's records.
            std::process::Command::new(&exe)
                .args(["dev", "sync", "--only-mine", "--data-dir"])
                .arg(&dir),
        )?;
        let mut sent = 0;
        if let Some(out) = child.stdout.take() {
            for line in std::io::BufReader::new(out).lines().take(wanted) {
                if line?.starts_with("sent ") {
                    sent += 1;
                }
            }
        }
        child.kill()?;
        let _ = child.wait();
        let device = self.open_device(dir, enrolled)?;
        let desk = self.desk(&device)?;
        self.counters[c].device = device;
        self.counters[c].desk = desk;
        day.faults.push(format!(
            "counter {} sender killed after {sent} of {pending} records ({beside} of its display waiting)",
            c + 1
        ));
        Ok(())
    }

    /// The portal fails the next request or loses its answer.
    pub(super) fn portal_fault(&mut self, day: &mut Day) {
        let service = ["DongBoHoSoMC", "CapNhatTienDoHoSoMC", "login"][self.rng.usize(..3)];
        let fault = match self.rng.u32(0..3) {
            0 => Fault::Http(503),
            1 => Fault::Http(500),
            _ => Fault::LoseReply,
        };
        day.faults.push(format!("portal {service} {fault:?}"));
        self.portal.push_fault(Some(service), fault);
        if service == "login" {
            // The emulator's sessions live on the real clock, which hardly
            // moves in a simulated day: end them, so the next push logs in
            // again and meets the fault.
            self.portal.expire_sessions();
        }
    }
}

/// Starts a `motcua dev …` child that the simulation kills mid-write: quiet,
/// on no configuration, its answers read line by line from its stdout.
fn spawn_dev(exe: &std::path::Path, command: &mut std::process::Command) -> Res<std::process::Child> {
    command
        .env("MOTCUA_LOG", "error")
        .env("MOTCUA_CONFIG", "/dev/null")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|source| SimError::Spawn {
            exe: exe.to_path_buf(),
            source,
        })
}
