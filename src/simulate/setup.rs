//! Setting the simulated office up: central with the portal configured,
//! the kiosks, the counters with their citizen displays and their desks,
//! and the hall board following central's events with a recording speaker.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::Time;

use crate::counter::{Desk, Letterhead};
use crate::store::{Officer, Store};
use crate::sync::events::Event;
use crate::sync::{Client, Link};
use crate::voice::{CallQueue, phrase_vi};
use motcua_api::model::{Enrolled, Role};
use motcua_central::Running;
use motcua_central::portal::emulator::{Portal, PortalConfig};
use motcua_core::calendar::Calendar;
use motcua_core::catalog::Catalog;
use motcua_core::clock::Clock;

use super::{Board, Counter, Device, Expect, Kiosk, OFFICE, Options, Res, Sim, SimError, at};

/// How long a device waits for central in the simulation.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Longest real time the board may take to show a call.
const BOARD_WAIT: Duration = Duration::from_secs(30);

impl Sim {
    pub(super) fn new(options: Options) -> Res<Self> {
        let (temp, root) = match &options.dir {
            Some(d) => {
                std::fs::create_dir_all(d)?;
                (None, d.clone())
            }
            None => {
                // Memory-backed where there is one: the run is about what
                // the office does, not about the disk's flushes.
                let shm = Path::new("/dev/shm");
                let builder = tempfile::Builder::new().prefix("motcua-simulate-").to_owned();
                let t = if shm.is_dir() {
                    builder.tempdir_in(shm).or_else(|_| builder.tempdir())
                } else {
                    builder.tempdir()
                }?;
                let p = t.path().to_path_buf();
                (Some(t), p)
            }
        };
        let mut rng = fastrand::Rng::with_seed(options.seed);
        let clock = Clock::manual(at(options.start, 7, 0)?);
        let central_dir = root.join("central");
        let central_options = motcua_central::Options {
            portal_worker: false,
            answers_days: options.retention_days,
            clock: clock.clone(),
            ..motcua_central::Options::default()
        };
        let central = Running::start(SocketAddr::from(([127, 0, 0, 1], 0)), &central_dir, &central_options)?;
        let addr = central.addr;
        let portal = Portal::start(PortalConfig::default());
        let c = PortalConfig::default();
        let settings = motcua_central::portal::Settings {
            url: portal.url(),
            auth_path: motcua_central::portal::AUTH_PATH.into(),
            integration_path: motcua_central::portal::INTEGRATION_PATH.into(),
            share_path: motcua_central::portal::SHARE_PATH.into(),
            username: c.username,
            password: c.password.into(),
            dstcode: c.dstcode,
            madonvi: c.madonvi,
            tendonvi: "UBND phường mô phỏng".into(),
            timeout: Duration::from_secs(2),
        };
        motcua_central::admin(&central_dir, |c| {
            motcua_central::portal::configure(
                c,
                OFFICE,
                Some((&settings, motcua_central::portal::mapping::DEFAULT_TEXT)),
            )
        })?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("motcua-simulate")
            .enable_all()
            .build()?;

        let fault_days = [0; 5].map(|_| rng.u32(0..7));
        let mut sim = Self {
            options,
            rng,
            clock,
            calendar: Calendar::builtin(),
            catalog: Catalog::demo(),
            _temp: temp,
            root,
            central_dir,
            central_options,
            addr,
            central: Some(central),
            portal,
            rt,
            kiosks: Vec::new(),
            counters: Vec::new(),
            board: Board {
                events: mpsc::channel().1,
                queue: CallQueue::default(),
                shown: Vec::new(),
                spoken: HashMap::new(),
                first_calls: HashSet::new(),
            },
            expect: Expect::default(),
            fault_days,
        };
        for i in 0..sim.options.kiosks {
            let device = sim.enroll(Role::Kiosk, &format!("kiosk-{}", i + 1))?;
            sim.kiosks.push(Kiosk {
                device,
                cut_until: None,
            });
        }
        for i in 0..sim.options.counters {
            let name = format!("counter-{}", i + 1);
            let device = sim.enroll(Role::Counter, &name)?;
            // The citizen display is another role of the counter's machine:
            // its own device, on the counter's data directory and database.
            let enrolled = sim.enroll_raw(Role::Kiosk, &format!("display-{}", i + 1))?;
            let display = sim.open_device(device.dir.clone(), enrolled)?;
            let desk = sim.desk(&device)?;
            sim.counters.push(Counter {
                device,
                desk,
                label: (i + 1).to_string(),
                officer: Officer {
                    id: format!("CB{:02}", i + 1),
                    name: format!("Cán bộ {}", i + 1),
                },
                display,
                serving: None,
                pending: Vec::new(),
                cut_until: None,
            });
        }
        let board = sim.enroll_client(Role::Board, "board")?;
        let (tx, rx) = mpsc::channel();
        sim.rt.spawn(async move {
            use futures::StreamExt;
            let mut events = std::pin::pin!(crate::sync::events::follow(board));
            while let Some(e) = events.next().await {
                if tx.send(e).is_err() {
                    return;
                }
            }
        });
        sim.board.events = rx;
        sim.board_connected()?;
        Ok(sim)
    }

    pub(super) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(super) fn app(&self) -> Res<motcua_central::App> {
        self.central
            .as_ref()
            .map(|c| c.app.clone())
            .ok_or(SimError::CentralDown)
    }

    fn enroll_client(&mut self, role: Role, name: &str) -> Res<Client> {
        let enrolled = self.enroll_raw(role, name)?;
        Ok(Client::new(&self.url(), &enrolled.credential, TIMEOUT))
    }

    fn enroll_raw(&mut self, role: Role, name: &str) -> Res<Enrolled> {
        let token = motcua_central::admin(&self.central_dir, |c| {
            motcua_central::auth::create_enrollment(c, OFFICE, role, name)
        })?;
        self.rt
            .block_on(Client::enroll(&self.url(), &token))
            .map_err(|source| SimError::Enroll {
                name: name.to_string(),
                source,
            })
    }

    fn enroll(&mut self, role: Role, name: &str) -> Res<Device> {
        let enrolled = self.enroll_raw(role, name)?;
        let dir = self.root.join(name);
        std::fs::create_dir_all(&dir)?;
        crate::sync::device::DeviceFile::from_enrolled(Some(self.url()), enrolled.clone()).save(&dir)?;
        self.open_device(dir, enrolled)
    }

    pub(super) fn open_device(&self, dir: PathBuf, enrolled: Enrolled) -> Res<Device> {
        let mut store = Store::open(&dir)?;
        store.set_clock(self.clock.clone());
        let store = Arc::new(Mutex::new(store));
        let client = Client::new(&self.url(), &enrolled.credential, TIMEOUT);
        let link = Link::new(client, store.clone(), (&enrolled.device).into());
        Ok(Device {
            dir,
            store,
            link,
            enrolled,
        })
    }

    pub(super) fn desk(&self, device: &Device) -> Res<Desk> {
        let (signer, keyring) =
            device
                .link
                .block_on(crate::counter::prepare_keys(Some(&device.link), &device.dir, OFFICE))?;
        Ok(Desk {
            store: device.store.clone(),
            link: Some(device.link.clone()),
            office: OFFICE.into(),
            slot: device.link.slot(),
            signer,
            keyring: std::sync::RwLock::new(keyring),
            calendar: self.calendar.clone(),
            cutoff: Time::constant(16, 30, 0, 0),
            letterhead: Letterhead {
                agency: "UBND phường mô phỏng".into(),
                unit: "Bộ phận Một cửa".into(),
                place: "Hà Nội".into(),
                collect_at: "Tại quầy".into(),
                register_book: Some("01/2026".into()),
                layouts: std::sync::Arc::new(motcua_core::forms::Layouts::builtin()),
                payment: None,
            },
            data_dir: device.dir.clone(),
            scanner: Default::default(),
            scan_defaults: Default::default(),
        })
    }

    pub(super) fn key(&mut self) -> String {
        format!("sim-{:016x}{:016x}", self.rng.u64(..), self.rng.u64(..))
    }

    pub(super) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    // --- the board -------------------------------------------------------

    /// Takes one event into the board, as `ui::board` does.
    pub(super) fn board_take(&mut self, event: Event) -> Option<Event> {
        if let Event::Queue(e) = &event
            && let Some(call) = crate::voice::call_of(e)
        {
            let key = (call.ticket_id, call.seq);
            self.board.shown.push(key);
            if self.board.queue.push(call) {
                // The recording speaker says at once what waits.
                while let Some(c) = self.board.queue.pop() {
                    if c.seq == 1 {
                        self.board.first_calls.insert(c.ticket.clone());
                    }
                    self.board
                        .spoken
                        .entry((c.ticket_id, c.seq))
                        .or_default()
                        .push(phrase_vi(&c));
                }
            }
        }
        Some(event)
    }

    /// Waits until the board has seen call `seq` of ticket `id`.
    pub(super) fn board_expect(&mut self, id: i64, seq: u32) -> Res<()> {
        self.expect.calls.push((id, seq));
        loop {
            let event = self
                .board
                .events
                .recv_timeout(BOARD_WAIT)
                .map_err(|_| SimError::Check(format!("the board never showed call {seq} of ticket {id}")))?;
            let seen = matches!(&event, Event::Queue(e) if e.ticket.id == id && e.call == seq
                && e.kind.is_call());
            self.board_take(event);
            if seen {
                return Ok(());
            }
        }
    }

    /// Waits until the board's stream is connected (again).
    pub(super) fn board_connected(&mut self) -> Res<()> {
        loop {
            let event = self
                .board
                .events
                .recv_timeout(BOARD_WAIT)
                .map_err(|_| SimError::Check("the board did not connect to central".into()))?;
            if event == Event::Connected {
                return Ok(());
            }
            self.board_take(event);
        }
    }
}
