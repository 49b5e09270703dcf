//! A seeded simulation of one office, after FoundationDB's and
//! TigerBeetle's simulation testing: central, kiosks, counters with their
//! citizen displays, the hall board with a recording speaker and the
//! portal emulator run on loopback for days of office time (each counter's
//! display a second role on the counter's machine), on a manual
//! clock that crosses midnights, weekends and public holidays. One seeded
//! generator drives every choice in a fixed order, so a seed names a run;
//! faults come from the seed too (central restarted, a kiosk cut off for
//! an hour, a kiosk and a counter killed mid-write, portal errors and lost
//! answers). At each day's end the office is checked; a failure names the
//! seed and the day, and the same seed runs the same day again.
//!
//! `motcua dev simulate --days N --seed S` runs it; `tests/it/simulate.rs`
//! runs a week in CI.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};
use rusqlite::OptionalExtension;

use crate::counter::{Desk, Intake, Letterhead};
use crate::store::{Officer, Rating, RatingEntry, Store, TicketRequest};
use crate::sync::events::Event;
use crate::sync::{Client, Link, Step};
use crate::voice::{CallQueue, phrase_vi};
use motcua_api::model::{Applicant, DossierDocument, Enrolled, Role, Ticket};
use motcua_central::Running;
use motcua_central::portal::emulator::{Fault, Portal, PortalConfig};
use motcua_core::calendar::Calendar;
use motcua_core::catalog::{Catalog, Procedure};
use motcua_core::clock::Clock;
use motcua_core::queue::{Lane, TicketNumber};
use motcua_core::time::{local_day, vietnam};

/// The office the simulation runs (the portal emulator's unit code).
pub const OFFICE: &str = "000.00.01.H26";

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Working days to run; closed days in between are run too.
    pub days: u32,
    /// Drives every choice and fault: the same seed, the same run.
    pub seed: u64,
    /// Where the office's data goes (kept); a temporary directory if none.
    pub dir: Option<PathBuf>,
    /// The motcua binary, for the devices killed mid-write; without it
    /// that fault is left out.
    pub exe: Option<PathBuf>,
    /// The first day: a Monday.
    pub start: Date,
    /// Tickets issued each working day, at least.
    pub tickets_per_day: u32,
    /// Dossiers taken in each working day, at least.
    pub dossiers_per_day: u32,
    /// Kiosks in the hall.
    pub kiosks: usize,
    /// Counters, each with its citizen display.
    pub counters: usize,
    /// Days personal data is kept after central has it.
    pub retention_days: u32,
    /// Inject faults from the seed.
    pub faults: bool,
    /// Print each day's summary as it ends.
    pub print: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            days: 7,
            seed: 1,
            dir: None,
            exe: None,
            // A Monday; the week crosses Saturday 25 April and the day
            // given back for Giỗ Tổ, Monday 27 April.
            start: jiff::civil::date(2026, 4, 20),
            tickets_per_day: 1500,
            dossiers_per_day: 300,
            kiosks: 3,
            counters: 3,
            retention_days: 7,
            faults: true,
            print: false,
        }
    }
}

/// One simulated day, as figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// The office-local day.
    pub date: Date,
    /// The office was open.
    pub open: bool,
    /// Tickets issued.
    pub tickets: u32,
    /// Of which numbered by a kiosk on its own (central out of reach).
    pub offline_tickets: u32,
    /// Of which in the priority lane.
    pub priority: u32,
    /// First calls at counters.
    pub calls: u32,
    pub recalls: u32,
    /// Called and not shown up.
    pub skipped: u32,
    /// Served and completed.
    pub served: u32,
    /// Left waiting at closing time.
    pub waiting: u32,
    /// Dossiers taken in.
    pub dossiers_in: u32,
    /// Results handed back (status 10), of this day's dossiers or earlier ones.
    pub dossiers_returned: u32,
    /// Ratings given at the counters' displays.
    pub ratings: u32,
    /// Calls the board's speaker said.
    pub spoken: u32,
    /// The faults injected, as said.
    pub faults: Vec<String>,
    /// Wall time the day took to simulate, in milliseconds …
    pub wall_ms: u64,
    /// … of which the evening: delivery, retention and checks.
    pub evening_ms: u64,
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.open {
            return write!(
                f,
                "{} {}  closed  ({} ms, evening {} ms)",
                self.date,
                self.date.strftime("%a"),
                self.wall_ms,
                self.evening_ms
            );
        }
        write!(
            f,
            "{} {}  tickets {} (offline {}, priority {})  calls {} (recalls {}, no-shows {})  served {}  waiting {}  \
             dossiers in {} returned {}  ratings {}  spoken {}  faults [{}]  ({} ms, evening {} ms)",
            self.date,
            self.date.strftime("%a"),
            self.tickets,
            self.offline_tickets,
            self.priority,
            self.calls,
            self.recalls,
            self.skipped,
            self.served,
            self.waiting,
            self.dossiers_in,
            self.dossiers_returned,
            self.ratings,
            self.spoken,
            self.faults.join(", "),
            self.wall_ms,
            self.evening_ms
        )
    }
}

/// What a run did, day by day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub seed: u64,
    /// Every day run, closed ones too, in order.
    pub days: Vec<Day>,
}

impl Report {
    /// The whole run in one line.
    pub fn totals(&self) -> String {
        let open: Vec<&Day> = self.days.iter().filter(|d| d.open).collect();
        let sum = |f: fn(&Day) -> u32| open.iter().map(|d| u64::from(f(d))).sum::<u64>();
        let faults: usize = open.iter().map(|d| d.faults.len()).sum();
        let wall: u64 = self.days.iter().map(|d| d.wall_ms).sum();
        format!(
            "seed {}: {} working days ({} days in all), tickets {}, calls {}, served {}, dossiers in {} returned {}, \
             ratings {}, spoken {}, faults {}, wall time {:.1} s",
            self.seed,
            open.len(),
            self.days.len(),
            sum(|d| d.tickets),
            sum(|d| d.calls),
            sum(|d| d.served),
            sum(|d| d.dossiers_in),
            sum(|d| d.dossiers_returned),
            sum(|d| d.ratings),
            sum(|d| d.spoken),
            faults,
            wall as f64 / 1000.0
        )
    }
}

/// A run that went wrong: the seed and the day say how to see it again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("simulation seed {seed}, day {}: {message}", day.map_or("(setting up)".to_string(), |d| d.to_string()))]
pub struct Failure {
    pub seed: u64,
    /// The day whose check failed; none while setting the office up.
    pub day: Option<Date>,
    /// What was wrong.
    pub message: String,
}

type Res<T> = Result<T, String>;

/// Runs the office for `options.days` working days.
pub fn run(options: Options) -> Result<Report, Failure> {
    let seed = options.seed;
    let mut sim = Sim::new(options).map_err(|message| Failure {
        seed,
        day: None,
        message,
    })?;
    let mut report = Report { seed, days: Vec::new() };
    let mut date = sim.options.start;
    let mut worked = 0;
    while worked < sim.options.days {
        let started = Instant::now();
        let open = sim.calendar.is_working_day(date);
        let result = if open {
            sim.work_day(date, worked)
        } else {
            sim.closed_day(date)
        };
        let evening = Instant::now();
        let mut day = result
            .and_then(|mut day| {
                sim.end_of_day(date, &mut day)?;
                Ok(day)
            })
            .map_err(|message| Failure {
                seed,
                day: Some(date),
                message,
            })?;
        day.wall_ms = started.elapsed().as_millis() as u64;
        day.evening_ms = evening.elapsed().as_millis() as u64;
        if sim.options.print {
            println!("{day}");
        }
        report.days.push(day);
        if open {
            worked += 1;
        }
        date = date.tomorrow().map_err(|e| Failure {
            seed,
            day: Some(date),
            message: e.to_string(),
        })?;
    }
    Ok(report)
}

/// An enrolled device: its data directory, store and link.
struct Device {
    dir: PathBuf,
    store: Arc<Mutex<Store>>,
    link: Arc<Link>,
    enrolled: Enrolled,
}

struct Counter {
    device: Device,
    desk: Desk,
    /// The counter's label, as called in the hall.
    label: String,
    officer: Officer,
    /// The citizen display beside it: a kiosk-role device that rates,
    /// on the same machine and data directory.
    display: Device,
    /// The ticket at the counter and how often it has been called.
    serving: Option<(Ticket, u32)>,
    /// Dossiers taken in here, with when their result is ready.
    pending: Vec<(String, Timestamp)>,
    /// Cut off from central until then.
    cut_until: Option<Timestamp>,
}

struct Kiosk {
    device: Device,
    cut_until: Option<Timestamp>,
}

/// The hall board: follows central's events, shows the latest calls and
/// says each call once through a recording speaker.
struct Board {
    events: mpsc::Receiver<Event>,
    queue: CallQueue,
    /// Every call the board showed, `(ticket id, call number)`.
    shown: Vec<(i64, u32)>,
    /// What the speaker said, per call.
    spoken: HashMap<(i64, u32), Vec<String>>,
    /// Tickets whose first call the speaker said today, by number shown.
    first_calls: HashSet<String>,
}

/// What the simulation knows must be true.
#[derive(Default)]
struct Expect {
    /// Calls counters made: `(ticket id, call number)`.
    calls: Vec<(i64, u32)>,
    /// Tickets served today, by central id, with the device that rates them.
    served: Vec<(i64, i64)>,
    /// Dossiers with the statuses set, in order.
    dossiers: BTreeMap<String, Vec<u8>>,
    /// Dossiers changed today.
    touched: HashSet<String>,
}

struct Sim {
    options: Options,
    rng: fastrand::Rng,
    clock: Clock,
    calendar: Calendar,
    catalog: Catalog,
    _temp: Option<tempfile::TempDir>,
    root: PathBuf,
    central_dir: PathBuf,
    central_options: motcua_central::Options,
    addr: SocketAddr,
    central: Option<Running>,
    portal: Portal,
    rt: tokio::runtime::Runtime,
    kiosks: Vec<Kiosk>,
    counters: Vec<Counter>,
    board: Board,
    expect: Expect,
    /// The faults planned, by kind: the working days (mod 7) they fall on.
    fault_days: [u32; 5],
}

/// A loopback address where nothing listens: a cable pulled.
const DEAD: &str = "http://127.0.0.1:9";

/// How long a device waits for central in the simulation.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Longest real time the board may take to show a call.
const BOARD_WAIT: Duration = Duration::from_secs(30);

fn s<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// The instant of a local time on a day.
fn at(date: Date, hour: i8, minute: i8) -> Res<Timestamp> {
    Ok(date.at(hour, minute, 0, 0).to_zoned(vietnam()).map_err(s)?.timestamp())
}

impl Sim {
    fn new(options: Options) -> Res<Self> {
        let (temp, root) = match &options.dir {
            Some(d) => {
                std::fs::create_dir_all(d).map_err(s)?;
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
                }
                .map_err(s)?;
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
            password: c.password,
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
            .build()
            .map_err(s)?;

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

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn app(&self) -> Res<motcua_central::App> {
        self.central
            .as_ref()
            .map(|c| c.app.clone())
            .ok_or_else(|| "central is not running".to_string())
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
            .map_err(|e| format!("{name} not enrolled: {e}"))
    }

    fn enroll(&mut self, role: Role, name: &str) -> Res<Device> {
        let enrolled = self.enroll_raw(role, name)?;
        let dir = self.root.join(name);
        std::fs::create_dir_all(&dir).map_err(s)?;
        crate::sync::device::DeviceFile::from_enrolled(Some(self.url()), enrolled.clone()).save(&dir)?;
        self.open_device(dir, enrolled)
    }

    fn open_device(&self, dir: PathBuf, enrolled: Enrolled) -> Res<Device> {
        let mut store = Store::open(&dir).map_err(s)?;
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

    fn desk(&self, device: &Device) -> Res<Desk> {
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
            },
            data_dir: device.dir.clone(),
        })
    }

    fn key(&mut self) -> String {
        format!("sim-{:016x}{:016x}", self.rng.u64(..), self.rng.u64(..))
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    // --- the board -------------------------------------------------------

    /// Takes one event into the board, as `ui::board` does.
    fn board_take(&mut self, event: Event) -> Option<Event> {
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
    fn board_expect(&mut self, id: i64, seq: u32) -> Res<()> {
        self.expect.calls.push((id, seq));
        loop {
            let event = self
                .board
                .events
                .recv_timeout(BOARD_WAIT)
                .map_err(|_| format!("the board never showed call {seq} of ticket {id}"))?;
            let seen = matches!(&event, Event::Queue(e) if e.ticket.id == id && e.call == seq
                && e.kind.is_call());
            self.board_take(event);
            if seen {
                return Ok(());
            }
        }
    }

    /// Waits until the board's stream is connected (again).
    fn board_connected(&mut self) -> Res<()> {
        loop {
            let event = self
                .board
                .events
                .recv_timeout(BOARD_WAIT)
                .map_err(|_| "the board did not connect to central".to_string())?;
            if event == Event::Connected {
                return Ok(());
            }
            self.board_take(event);
        }
    }

    // --- a working day ---------------------------------------------------

    fn closed_day(&mut self, date: Date) -> Res<Day> {
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

    fn work_day(&mut self, date: Date, worked: u32) -> Res<Day> {
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
                    store.outbox_counts().map_err(s)?.pending
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
                .map_err(|e| format!("kiosk {} could not issue a ticket: {e}", k + 1))?;
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
                .ok_or("the catalog has no procedures")?;
            self.take_in(c, procedure, day)?;
        }
        // A citizen back for a result that is ready.
        if let Some(i) = self.counters[c].pending.iter().position(|(_, ready)| *ready <= now) {
            let (code, _) = self.counters[c].pending.remove(i);
            {
                let mut store = crate::counter::lock(&self.counters[c].device.store);
                store.set_dossier_status(&code, 9, "", now).map_err(s)?;
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
            let rated = crate::counter::lock(&self.counters[c].display.store)
                .rate(&entry, now)
                .map_err(s)?;
            if !rated {
                return Err(format!("ticket {} was rated twice at its display", ticket.id));
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
            return Err(format!("dossier code {} given twice", taken.code));
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
        }
    }

    // --- faults ----------------------------------------------------------

    /// Stops central and starts it again on the same port and data: the
    /// devices and the board find it again.
    fn restart_central(&mut self, day: &mut Day) -> Res<()> {
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
            .map_err(|e| format!("kiosk {} could not issue while central was down: {e}", k + 1))?;
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
    fn kill_kiosk(&mut self, day: &mut Day) -> Res<()> {
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
        let mut child = std::process::Command::new(&exe)
            .args(["dev", "issue-burst", "--group", "A", "--count", "100000", "--slot"])
            .arg(slot.to_string())
            .arg("--at")
            .arg(now.to_string())
            .arg("--data-dir")
            .arg(&dir)
            .env("MOTCUA_LOG", "error")
            .env("MOTCUA_CONFIG", "/dev/null")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", exe.display()))?;
        let mut acknowledged = Vec::new();
        if let Some(out) = child.stdout.take() {
            for line in std::io::BufReader::new(out).lines().take(wanted) {
                let line = line.map_err(s)?;
                // "<day> A3-007": the number after the dash.
                let n: u32 = line
                    .rsplit('-')
                    .next()
                    .and_then(|n| n.trim().parse().ok())
                    .ok_or_else(|| format!("issue-burst said `{line}`"))?;
                acknowledged.push(n);
            }
        }
        child.kill().map_err(s)?;
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
                return Err(format!(
                    "kiosk {} lost ticket {number} it had reported before it was killed",
                    k + 1
                ));
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
    fn kill_counter_sender(&mut self, c: usize, day: &mut Day) -> Res<()> {
        let Some(exe) = self.options.exe.clone() else {
            return Ok(());
        };
        let pending = {
            let store = crate::counter::lock(&self.counters[c].device.store);
            store.outbox_counts().map_err(s)?.pending
        };
        let beside = {
            let store = crate::counter::lock(&self.counters[c].display.store);
            store.outbox_counts().map_err(s)?.pending
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
        let mut child = std::process::Command::new(&exe)
            // Its display shares the machine: only the counter's records.
            .args(["dev", "sync", "--only-mine", "--data-dir"])
            .arg(&dir)
            .env("MOTCUA_LOG", "error")
            .env("MOTCUA_CONFIG", "/dev/null")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", exe.display()))?;
        let mut sent = 0;
        if let Some(out) = child.stdout.take() {
            for line in std::io::BufReader::new(out).lines().take(wanted) {
                if line.map_err(s)?.starts_with("sent ") {
                    sent += 1;
                }
            }
        }
        child.kill().map_err(s)?;
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
    fn portal_fault(&mut self, day: &mut Day) {
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

    // --- delivery and checks ----------------------------------------------

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
    fn drain_all(&mut self) -> Res<()> {
        for (_, d) in self.devices() {
            d.link.block_on(d.link.drain());
        }
        let app = self.app()?;
        self.rt.block_on(motcua_central::portal::drain(&app, OFFICE))?;
        Ok(())
    }

    fn numbers(&self, store: &Arc<Mutex<Store>>, now: Timestamp) -> Res<Vec<TicketNumber>> {
        crate::counter::lock(store).numbers_of_day(local_day(now)).map_err(s)
    }

    fn central_db(&self) -> Res<rusqlite::Connection> {
        let c = rusqlite::Connection::open(self.central_dir.join(motcua_central::db::DB_FILE)).map_err(s)?;
        c.execute_batch("PRAGMA busy_timeout = 10000").map_err(s)?;
        Ok(c)
    }

    /// The day's end: every outbox drained, retention run on every
    /// database and folder, and the office checked.
    fn end_of_day(&mut self, date: Date, day: &mut Day) -> Res<()> {
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
                .map_err(|e| format!("{name}: retention: {e}"))?;
            crate::retention::purge_files(&store, &d.dir, evening, days)
                .map_err(|e| format!("{name}: retention of files: {e}"))?;
        }
        self.rt
            .block_on(motcua_central::retention::purge(&app, evening))
            .map_err(|e| e.message)?;
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
        let q = |sql: &str| -> Res<i64> { db.query_row(sql, [&d], |r| r.get(0)).map_err(s) };

        // Nothing left behind in any outbox, nothing refused.
        for (name, dev) in self.devices() {
            let counts = crate::counter::lock(&dev.store).outbox_counts().map_err(s)?;
            let all = crate::counter::lock(&dev.store).failed_records().map_err(s)?;
            if counts.failed > 0 || !all.is_empty() {
                return Err(format!("{name}: records refused by central: {all:?}"));
            }
            if counts.pending > 0 {
                return Err(format!(
                    "{name}: {} records still pending after the evening's drain",
                    counts.pending
                ));
            }
        }
        // No number given twice in the office-day, at central or by the kiosks.
        let twice = q("SELECT count(*) FROM (SELECT 1 FROM tickets WHERE day = ?1
                        GROUP BY grp, slot, number HAVING count(*) > 1)")?;
        if twice > 0 {
            return Err(format!("{twice} ticket numbers given twice at central"));
        }
        let mut given: HashSet<TicketNumber> = HashSet::new();
        let mut issued = 0usize;
        for (name, k) in self.kiosks.iter().enumerate() {
            let numbers = crate::counter::lock(&k.device.store).numbers_of_day(date).map_err(s)?;
            for n in numbers {
                issued += 1;
                if !given.insert(n.clone()) {
                    return Err(format!("ticket {n} given twice (kiosk {})", name + 1));
                }
            }
        }
        // Every ticket issued is at central, called or still waiting.
        let at_central = q("SELECT count(*) FROM tickets WHERE day = ?1 AND status <> 'void'")? as usize;
        if at_central != issued {
            return Err(format!(
                "the kiosks issued {issued} tickets, central holds {at_central}"
            ));
        }
        {
            let mut stmt = db
                .prepare("SELECT grp, slot, number, status FROM tickets WHERE day = ?1 AND status <> 'void'")
                .map_err(s)?;
            let rows = stmt
                .query_map([&d], |r| {
                    Ok((
                        TicketNumber {
                            group: r.get(0)?,
                            slot: r.get(1)?,
                            number: r.get(2)?,
                        },
                        r.get::<_, String>(3)?,
                    ))
                })
                .map_err(s)?;
            for row in rows {
                let (n, status) = row.map_err(s)?;
                if !given.contains(&n) {
                    return Err(format!("central holds ticket {n} ({status}) no kiosk issued"));
                }
                if status == "called" {
                    return Err(format!("ticket {n} was left at a counter after closing"));
                }
            }
        }
        day.waiting = q("SELECT count(*) FROM tickets WHERE day = ?1 AND status = 'waiting'")? as u32;
        let calls: i64 = q("SELECT count(*) FROM tickets WHERE day = ?1 AND status IN ('done', 'no_show')")?;
        if calls as u32 != day.served + day.skipped {
            return Err(format!(
                "central counts {calls} tickets served or not shown, the counters {}",
                day.served + day.skipped
            ));
        }
        // Every call shown on the board and spoken once; recalls again.
        let shown: HashSet<(i64, u32)> = self.board.shown.iter().copied().collect();
        for call in &self.expect.calls {
            if !shown.contains(call) {
                return Err(format!("call {} of ticket {} never shown on the board", call.1, call.0));
            }
            match self.board.spoken.get(call).map(Vec::len) {
                Some(1) => {}
                Some(n) => return Err(format!("call {} of ticket {} spoken {n} times", call.1, call.0)),
                None => return Err(format!("call {} of ticket {} never spoken", call.1, call.0)),
            }
        }
        let expected: HashSet<(i64, u32)> = self.expect.calls.iter().copied().collect();
        if let Some(extra) = self.board.spoken.keys().find(|k| !expected.contains(k)) {
            return Err(format!(
                "the board spoke call {} of ticket {} no counter made",
                extra.1, extra.0
            ));
        }
        // Numbers restart with the day, and the board says them again:
        // each group's first ticket called today was spoken.
        let firsts: Vec<String> = {
            let mut stmt = db
                .prepare("SELECT grp FROM tickets WHERE day = ?1 AND slot = 0 AND number = 1 AND status <> 'waiting'")
                .map_err(s)?;
            stmt.query_map([&d], |r| r.get(0))
                .and_then(|rows| rows.collect::<Result<_, _>>())
                .map_err(s)?
        };
        for group in firsts {
            let shown = format!("{group}-001");
            if !self.board.first_calls.contains(&shown) {
                return Err(format!("today's {shown} was called but the board did not say it"));
            }
        }
        if day.open && self.expect.calls.is_empty() {
            return Err("no call today".into());
        }
        self.board.first_calls.clear();
        self.expect.calls.clear();
        self.board.shown.clear();
        self.board.spoken.clear();
        // One rating per served ticket, sent by the display that took it.
        for (id, display) in self.expect.served.drain(..) {
            let by: Vec<i64> = {
                let mut stmt = db
                    .prepare_cached("SELECT device_id FROM ratings WHERE ticket_id = ?1")
                    .map_err(s)?;
                stmt.query_map([id], |r| r.get(0))
                    .and_then(|rows| rows.collect::<Result<_, _>>())
                    .map_err(s)?
            };
            if by != [display] {
                return Err(format!(
                    "ticket {id} served: ratings at central from devices {by:?}, expected one from device {display}"
                ));
            }
        }
        // Every dossier at central once, with its statuses in order, and
        // at the portal once.
        let left: i64 = db
            .query_row(
                "SELECT count(*) FROM portal_outbox WHERE office = ?1 AND state <> 'sent'",
                [OFFICE],
                |r| r.get(0),
            )
            .map_err(s)?;
        if left > 0 {
            return Err(format!("{left} portal records not delivered"));
        }
        let touched: Vec<String> = self.expect.touched.drain().collect();
        for code in &touched {
            let statuses = &self.expect.dossiers[code];
            let history: Vec<u8> = {
                let mut stmt = db
                    .prepare_cached("SELECT status FROM dossier_history WHERE office = ?1 AND code = ?2 ORDER BY id")
                    .map_err(s)?;
                stmt.query_map([OFFICE, code.as_str()], |r| r.get(0))
                    .and_then(|rows| rows.collect::<Result<_, _>>())
                    .map_err(s)?
            };
            if &history != statuses {
                return Err(format!(
                    "dossier {code}: central's history {history:?}, the counter set {statuses:?}"
                ));
            }
            let (created, _) = self.portal.dossier_writes(code);
            if created != 1 {
                return Err(format!("dossier {code} created {created} times at the portal"));
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
                return Err(format!(
                    "dossier {code}: progress at the portal out of order: {progress:?}"
                ));
            }
        }
        let dossiers: i64 = db
            .query_row("SELECT count(*) FROM dossiers WHERE office = ?1", [OFFICE], |r| {
                r.get(0)
            })
            .map_err(s)?;
        if dossiers as usize != self.expect.dossiers.len() {
            return Err(format!(
                "central holds {dossiers} dossiers, the counters took in {}",
                self.expect.dossiers.len()
            ));
        }
        if day.open && (day.tickets < self.options.tickets_per_day || day.dossiers_in < self.options.dossiers_per_day) {
            return Err(format!(
                "a thin day: {} tickets and {} dossiers",
                day.tickets, day.dossiers_in
            ));
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
            let db = rusqlite::Connection::open(d.dir.join(crate::store::DB_FILE)).map_err(s)?;
            db.execute_batch("PRAGMA busy_timeout = 10000").map_err(s)?;
            let stale: i64 = db
                .query_row(
                    "SELECT count(*) FROM outbox WHERE state = 'sent' AND sent_at < ?1
                       AND (json_type(body, '$.dossier.applicant') IS NOT NULL
                            OR coalesce(json_extract(body, '$.comment'), '') <> '')",
                    [&cut],
                    |r| r.get(0),
                )
                .map_err(s)?;
            if stale > 0 {
                return Err(format!(
                    "{name}: {stale} sent records still hold personal data past retention"
                ));
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
                .optional()
                .map_err(s)?;
            if let Some(code) = kept {
                return Err(format!("{name}: dossier {code} keeps its applicant past retention"));
            }
            let comments: i64 = db
                .query_row(
                    "SELECT count(*) FROM ratings WHERE comment <> '' AND rated_at < ?1",
                    [&cut],
                    |r| r.get(0),
                )
                .map_err(s)?;
            if comments > 0 {
                return Err(format!("{name}: {comments} rating comments past retention"));
            }
            let store = crate::counter::lock(&d.store);
            let overdue =
                crate::retention::overdue_files(&store, &d.dir, now, self.options.retention_days).map_err(s)?;
            if let Some(file) = overdue.first() {
                return Err(format!("{name}: {} kept past retention", file.display()));
            }
        }
        let db = self.central_db()?;
        let answers: i64 = db
            .query_row("SELECT count(*) FROM idempotency WHERE created_at < ?1", [&cut], |r| {
                r.get(0)
            })
            .map_err(s)?;
        if answers > 0 {
            return Err(format!(
                "central keeps {answers} stored answers past retention ({date})"
            ));
        }
        Ok(())
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
        std::fs::create_dir_all(dir).map_err(s)?;
    }
    std::fs::write(path, bytes).map_err(s)?;
    let f = std::fs::File::options().write(true).open(path).map_err(s)?;
    f.set_modified(std::time::SystemTime::from(at)).map_err(s)
}
