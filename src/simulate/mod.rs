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
//!
//! Here: the options, the report, [`run`] and the simulated office's parts;
//! `setup` builds the office, `day` runs a day, `faults` injects the
//! faults, `check` delivers and checks each evening.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Instant;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::counter::{CounterError, Desk};
use crate::secret_file::SecretFileError;
use crate::store::{Officer, Store, StoreError};
use crate::sync::events::Event;
use crate::sync::{Link, SyncError};
use crate::voice::CallQueue;
use motcua_api::model::{Enrolled, Ticket};
use motcua_central::error::ApiError;
use motcua_central::portal::RunError;
use motcua_central::portal::emulator::Portal;
use motcua_central::{CentralError, Running};
use motcua_core::calendar::Calendar;
use motcua_core::catalog::Catalog;
use motcua_core::clock::Clock;
use motcua_core::time::vietnam;

mod check;
mod day;
mod faults;
mod setup;

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

/// Why a step of the simulation failed: a part of the office refused, or
/// an evening's check found the office not as it must be. Its text becomes
/// the [`Failure`]'s message.
#[derive(Debug, thiserror::Error)]
enum SimError {
    /// A device's local store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A kiosk's ticket, while central was up or down.
    #[error("kiosk {kiosk} could not issue {what}: {source}")]
    Issue {
        kiosk: usize,
        /// "a ticket", or "while central was down".
        what: &'static str,
        source: StoreError,
    },
    /// Retention on a device's database or folder.
    #[error("{device}: {what}: {source}")]
    Retention {
        device: String,
        /// "retention", or "retention of files".
        what: &'static str,
        source: StoreError,
    },
    /// A counter's desk: intake, results, receipt keys.
    #[error(transparent)]
    Counter(#[from] CounterError),
    /// A device file written at enrolment.
    #[error(transparent)]
    DeviceFile(#[from] SecretFileError),
    /// A device's enrolment with central.
    #[error("{name} not enrolled: {source}")]
    Enroll { name: String, source: SyncError },
    /// Central's API, run in-process (enrolment tokens, configuration,
    /// retention).
    #[error("{}", .0.message)]
    Api(#[from] ApiError),
    /// Central could not start or be administered.
    #[error(transparent)]
    Central(#[from] CentralError),
    /// Central's drain to the portal.
    #[error(transparent)]
    Portal(#[from] RunError),
    /// Central is stopped (between a restart's stop and start).
    #[error("central is not running")]
    CentralDown,
    /// The databases, as the checks read them.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// Files and the child processes' output.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A child process (`motcua dev ...`) could not be started.
    #[error("{}: {source}", exe.display())]
    Spawn { exe: PathBuf, source: std::io::Error },
    /// An office-local time that does not exist.
    #[error(transparent)]
    Time(#[from] jiff::Error),
    /// A check failed; the text says what was wrong.
    #[error("{0}")]
    Check(String),
}

type Res<T> = Result<T, SimError>;

/// Runs the office for `options.days` working days.
pub fn run(options: Options) -> Result<Report, Failure> {
    let seed = options.seed;
    let mut sim = Sim::new(options).map_err(|e| Failure {
        seed,
        day: None,
        message: e.to_string(),
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
            .map_err(|e| Failure {
                seed,
                day: Some(date),
                message: e.to_string(),
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

/// The instant of a local time on a day.
fn at(date: Date, hour: i8, minute: i8) -> Res<Timestamp> {
    Ok(date.at(hour, minute, 0, 0).to_zoned(vietnam())?.timestamp())
}
