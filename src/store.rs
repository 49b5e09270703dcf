//! The local durable store of a kiosk or counter: tickets, ratings and the
//! outbox of changes still to send to central (SQLite, WAL,
//! synchronous=FULL).
//!
//! A ticket exists only once its transaction has committed; the screen and
//! the printer see it only after that. Numbers come from a per-day,
//! per-group sequence row updated in the same transaction, and the database
//! itself refuses a repeated number (`UNIQUE (day, grp, number)`), so a crash
//! or a restart can neither reuse nor lose a number.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

use motcua_core::queue::{Lane, TicketNumber};
use motcua_core::time::local_day;

/// The database file inside the data directory.
pub const DB_FILE: &str = "motcua.db";

const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Schema 1, as it was; later versions are the migrations below.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sequences (
    day TEXT NOT NULL,
    grp TEXT NOT NULL,
    slot INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (day, grp, slot)
) WITHOUT ROWID;

-- Tickets this kiosk gave out: numbered here (origin 'local': slot 0 when
-- no central is used, the kiosk's slot while central is out of reach), or
-- numbered by central and kept here for the record (origin 'central').
CREATE TABLE IF NOT EXISTS tickets (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'central')),
    day TEXT NOT NULL,
    grp TEXT NOT NULL,
    slot INTEGER NOT NULL DEFAULT 0,
    number INTEGER NOT NULL CHECK (number > 0),
    lane TEXT NOT NULL CHECK (lane IN ('normal', 'priority')),
    procedure_code TEXT,
    issued_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'waiting',
    UNIQUE (origin, day, grp, slot, number)
);
CREATE INDEX IF NOT EXISTS tickets_waiting ON tickets (day, grp, status, lane, number);

-- Satisfaction answers; `central_ticket` is the served ticket (central's
-- id) when the answer was given at a counter: one answer per ticket.
CREATE TABLE IF NOT EXISTS ratings (
    id INTEGER PRIMARY KEY,
    rated_at TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('satisfied', 'neutral', 'unsatisfied')),
    ticket_id INTEGER REFERENCES tickets (id)
);

-- Dossiers a counter took in (personal data: kept until central has them
-- and the retention period has passed).
CREATE TABLE IF NOT EXISTS dossiers (
    code TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    status INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Officers who may sign in at this counter; PINs as Argon2 hashes.
-- `failures` and `locked_until` are no longer used: failed sign-ins are
-- counted per ID as typed, in `meta`, so unknown IDs count alike.
CREATE TABLE IF NOT EXISTS officers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
) WITHOUT ROWID;

-- Writes still to send to central, in order. A record is never deleted
-- unsent: it is 'sent', or 'failed' with the reason central gave.
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('ticket', 'void', 'rating', 'dossier', 'status')),
    idempotency_key TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (state, id);
";

/// Schema 2: ratings carry the served ticket, the criteria and a comment.
const MIGRATE_1_TO_2: &str = "
ALTER TABLE ratings ADD COLUMN central_ticket INTEGER;
ALTER TABLE ratings ADD COLUMN criteria TEXT NOT NULL DEFAULT '[]';
ALTER TABLE ratings ADD COLUMN comment TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX IF NOT EXISTS ratings_central_ticket ON ratings (central_ticket);
";

/// Schema 3: each record carries the device that wrote it (central's device
/// id), and goes out under that device's credential alone: the kiosk, the
/// counter and the board of one machine share one database, not one outbox.
const MIGRATE_2_TO_3: &str = "
ALTER TABLE outbox ADD COLUMN device INTEGER;
CREATE INDEX IF NOT EXISTS outbox_device ON outbox (device, state, id);
";

/// Schema 4: records are found by the dossier they are about. Retention
/// asks, for each dossier still holding personal data, about its records;
/// without this index each question read the whole outbox, which is never
/// emptied, so the hourly purge grew with every record ever written (a
/// month of office time: seconds per purge, holding the writer).
const MIGRATE_3_TO_4: &str = "
CREATE INDEX IF NOT EXISTS outbox_code ON outbox (json_extract(body, '$.code'));
";

/// The store's schema, one migration after another; the database's
/// `user_version` is the number applied (`rusqlite_migration`, as central's).
/// Append a step for every change; never edit one that has shipped.
const MIGRATIONS: &[rusqlite_migration::M<'static>] = &[
    rusqlite_migration::M::up(SCHEMA),
    rusqlite_migration::M::up(MIGRATE_1_TO_2),
    rusqlite_migration::M::up(MIGRATE_2_TO_3),
    rusqlite_migration::M::up(MIGRATE_3_TO_4),
];

/// Why the store cannot be used. Cloneable so it can travel in UI messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("cannot use the data directory {path}: {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error("the data directory {path} is read-only")]
    ReadOnly { path: PathBuf },
    #[error("the database {path} is damaged or is not a motcua database: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("the database {path} is from a newer motcua (schema {found}, this one knows {known})")]
    TooNew { path: PathBuf, found: i32, known: i32 },
    #[error("database error in {path}: {reason}")]
    Sqlite { path: PathBuf, reason: String },
}

impl StoreError {
    /// The path the error is about, for the log and the fault screen.
    pub fn path(&self) -> &Path {
        match self {
            Self::DataDir { path, .. }
            | Self::ReadOnly { path }
            | Self::Corrupt { path, .. }
            | Self::TooNew { path, .. }
            | Self::Sqlite { path, .. } => path,
        }
    }
}

/// A ticket request from the kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRequest {
    pub group: String,
    pub lane: Lane,
    pub procedure: Option<String>,
}

/// A committed ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: i64,
    pub day: Date,
    pub number: TicketNumber,
    pub lane: Lane,
    pub procedure: Option<String>,
    pub issued_at: Timestamp,
    /// Tickets of the same group and lane waiting ahead of this one.
    pub same_lane_ahead: u32,
    /// Tickets of the same group waiting in the other lane.
    pub other_lane_waiting: u32,
}

/// A satisfaction answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    Satisfied,
    Neutral,
    Unsatisfied,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Satisfied => "satisfied",
            Self::Neutral => "neutral",
            Self::Unsatisfied => "unsatisfied",
        }
    }
}

/// What a citizen may single out when rating (SIPAS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Criterion {
    /// Thái độ cán bộ.
    Staff,
    /// Thời gian giải quyết.
    Time,
    /// Công khai, minh bạch.
    Transparency,
    /// Cơ sở vật chất.
    Facilities,
}

impl Criterion {
    pub const ALL: [Criterion; 4] = [Self::Staff, Self::Time, Self::Transparency, Self::Facilities];

    /// The name central knows it by.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Time => "time",
            Self::Transparency => "transparency",
            Self::Facilities => "facilities",
        }
    }
}

/// Longest comment a citizen may leave with a rating.
pub const MAX_COMMENT: usize = 200;

/// A satisfaction answer with what came with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingEntry {
    pub answer: Rating,
    /// Central's id of the served ticket, when rated at a counter.
    pub ticket: Option<i64>,
    pub criteria: Vec<Criterion>,
    pub comment: String,
}

impl RatingEntry {
    pub fn new(answer: Rating) -> Self {
        Self {
            answer,
            ticket: None,
            criteria: Vec::new(),
            comment: String::new(),
        }
    }
}

/// A write waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub id: i64,
    /// ticket, void, rating or dossier.
    pub kind: String,
    /// The Idempotency-Key it is sent with, every time.
    pub key: String,
    pub body: String,
    pub attempts: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxCounts {
    pub pending: u64,
    pub failed: u64,
}

/// Waiting tickets of one group today.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Waiting {
    pub normal: u32,
    pub priority: u32,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Random id of this database, part of every idempotency key it writes.
    instance: String,
    /// Central's id of the device this process writes records as; none for
    /// a store used on its own (tests, tools).
    device: Option<i64>,
    /// The lock that makes this process the one sender of its device's
    /// records, once taken.
    sending: Option<std::fs::File>,
    /// Where the store reads the time it stamps records with when the
    /// caller gives none (queued, acknowledged): retention counts from it.
    clock: motcua_core::clock::Clock,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn io_error(path: &Path, e: &io::Error) -> StoreError {
    match e.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => StoreError::ReadOnly {
            path: path.to_path_buf(),
        },
        _ => StoreError::DataDir {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    }
}

impl Store {
    /// Opens (creating if needed) the store in a data directory.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        // Find out now, not at the first ticket, that the directory is not
        // writable: the kiosk shows a clear fault instead of failing later.
        let probe = dir.join(".motcua-write-test");
        fs::write(&probe, b"ok").map_err(|e| io_error(dir, &e))?;
        let _ = fs::remove_file(&probe);

        let path = dir.join(DB_FILE);
        let conn = Connection::open(&path).map_err(|e| sqlite_error(&path, e))?;
        Self::init(conn, path)
    }

    /// An in-memory store, for tests and benchmarks of the logic around it.
    pub fn in_memory() -> Result<Self, StoreError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| sqlite_error(&path, e))?;
        Self::init(conn, path)
    }

    /// Reads the time from `clock` from now on (a simulation's manual
    /// clock); the system clock otherwise.
    pub fn set_clock(&mut self, clock: motcua_core::clock::Clock) {
        self.clock = clock;
    }

    fn init(mut conn: Connection, path: PathBuf) -> Result<Self, StoreError> {
        let err = |e| sqlite_error(&path, e);
        // journal_mode is the first statement that reads the file: a file
        // that is not a database fails here.
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(err)?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
            .map_err(err)?;
        let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(err)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        rusqlite_migration::Migrations::from_slice(MIGRATIONS)
            .to_latest(&mut conn)
            .map_err(|e| StoreError::Sqlite {
                path: path.clone(),
                reason: format!("upgrading the schema from version {version}: {e}"),
            })?;
        conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('instance', lower(hex(randomblob(8))))",
            [],
        )
        .map_err(err)?;
        let instance: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'instance'", [], |r| r.get(0))
            .map_err(err)?;
        Ok(Self {
            conn,
            path,
            instance,
            device: None,
            sending: None,
            clock: motcua_core::clock::Clock::system(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |e| sqlite_error(&self.path, e)
    }

    /// Issues a ticket numbered here: takes the group's next number in
    /// `slot` for the office-local day of `at`, stores the ticket (and, for
    /// an offline ticket, its outbox record) and commits.
    ///
    /// `void_key` is the Idempotency-Key of a request to central whose
    /// answer never came: central is told to void it, in the same commit.
    pub fn issue(
        &mut self,
        request: &TicketRequest,
        slot: u32,
        at: Timestamp,
        void_key: Option<&str>,
    ) -> Result<Ticket, StoreError> {
        let day = local_day(at);
        let day_s = day.to_string();
        let at_s = at.to_string();
        let lane = request.lane.as_str();
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);

        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let number: u32 = tx
            .prepare_cached(
                "INSERT INTO sequences (day, grp, slot, last) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT (day, grp, slot) DO UPDATE SET last = last + 1
                 RETURNING last",
            )
            .and_then(|mut s| s.query_row(params![day_s, request.group, slot], |r| r.get(0)))
            .map_err(err)?;
        let number = TicketNumber {
            group: request.group.clone(),
            slot,
            number,
        };
        let (id, same_lane_ahead, other_lane_waiting) =
            insert_ticket(&tx, "local", &day_s, &number, request, &at_s).map_err(err)?;
        if slot > 0 {
            let body = serde_json::json!({
                "group": request.group,
                "lane": lane,
                "procedure": request.procedure,
                "day": day_s,
                "slot": slot,
                "number": number.number,
                "issued_at": at_s,
            });
            enqueue(
                &tx,
                self.device,
                "ticket",
                &format!("ticket-{}-{id}", self.instance),
                &body.to_string(),
                &at_s,
            )
            .map_err(err)?;
        }
        if let Some(key) = void_key {
            let body = serde_json::json!({ "key": key });
            enqueue(
                &tx,
                self.device,
                "void",
                &format!("void-{key}"),
                &body.to_string(),
                &at_s,
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)?;

        Ok(Ticket {
            id,
            day,
            number,
            lane: request.lane,
            procedure: request.procedure.clone(),
            issued_at: at,
            same_lane_ahead,
            other_lane_waiting,
        })
    }

    /// Keeps a ticket central numbered, as the record of what this kiosk
    /// gave out. Central already has it: nothing goes to the outbox.
    pub fn record_central(
        &mut self,
        request: &TicketRequest,
        number: TicketNumber,
        day: Date,
        at: Timestamp,
        ahead: (u32, u32),
    ) -> Result<Ticket, StoreError> {
        let path = self.path.clone();
        let (id, _, _) = insert_ticket(
            &self.conn,
            "central",
            &day.to_string(),
            &number,
            request,
            &at.to_string(),
        )
        .map_err(|e| sqlite_error(&path, e))?;
        Ok(Ticket {
            id,
            day,
            number,
            lane: request.lane,
            procedure: request.procedure.clone(),
            issued_at: at,
            same_lane_ahead: ahead.0,
            other_lane_waiting: ahead.1,
        })
    }

    /// Puts a write for central in the outbox (dossiers, and anything else
    /// not tied to a ticket or rating).
    pub fn enqueue(&mut self, kind: &str, key: &str, body: &str) -> Result<i64, StoreError> {
        let path = self.path.clone();
        enqueue(&self.conn, self.device, kind, key, body, &self.clock.now().to_string())
            .map_err(|e| sqlite_error(&path, e))
    }

    /// Makes this store write its records as `device` (central's id of the
    /// device this process is), and takes the records of `kinds` that an
    /// older motcua wrote without a device. With `adopt_others` (a machine
    /// enrolled as one device) it also takes records another device wrote
    /// on this data directory: a replaced machine's, copied over, which
    /// central accepts from its successor. Returns how many it took.
    pub fn set_device(&mut self, device: i64, kinds: &[&str], adopt_others: bool) -> Result<usize, StoreError> {
        self.device = Some(device);
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let kinds = serde_json::to_string(kinds).expect("strings serialize");
        let mut taken = self
            .conn
            .execute(
                "UPDATE outbox SET device = ?1 WHERE device IS NULL AND state = 'pending'
                   AND kind IN (SELECT value FROM json_each(?2))",
                params![device, kinds],
            )
            .map_err(err)?;
        if adopt_others {
            let others = self
                .conn
                .execute(
                    "UPDATE outbox SET device = ?1 WHERE device IS NOT ?1 AND state = 'pending'",
                    params![device],
                )
                .map_err(err)?;
            if others > 0 {
                tracing::warn!(
                    records = others,
                    device,
                    "records another device wrote on this data directory will be sent by this one; \
                     central accepts them if this device was enrolled as its successor"
                );
            }
            taken += others;
        }
        Ok(taken)
    }

    /// Makes this process the one that sends its device's records from this
    /// data directory (a lock file per device, let go when the process
    /// ends). False while another process holds it.
    pub fn claim_sending(&mut self) -> Result<bool, StoreError> {
        if self.sending.is_some() {
            return Ok(true);
        }
        let (Some(device), Some(dir)) = (self.device, self.path.parent()) else {
            // A store on its own (tests, tools) or in memory: no one else.
            return Ok(true);
        };
        if self.path == Path::new(":memory:") {
            return Ok(true);
        }
        let path = dir.join(format!("outbox-{device}.lock"));
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_error(&path, &e))?;
        match file.try_lock() {
            Ok(()) => {
                self.sending = Some(file);
                Ok(true)
            }
            Err(fs::TryLockError::WouldBlock) => Ok(false),
            Err(fs::TryLockError::Error(e)) => Err(io_error(&path, &e)),
        }
    }

    /// The oldest record of this store's device still to send.
    pub fn next_pending(&self) -> Result<Option<OutboxRecord>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT id, kind, idempotency_key, body, attempts FROM outbox
                 WHERE state = 'pending' AND device IS ?1 ORDER BY id LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row([self.device], |r| {
                    Ok(OutboxRecord {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        key: r.get(2)?,
                        body: r.get(3)?,
                        attempts: r.get(4)?,
                    })
                })
                .optional()
            })
            .map_err(self.err())
    }

    /// Central has the record.
    pub fn mark_sent(&mut self, id: i64) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE outbox SET state = 'sent', sent_at = ?2, attempts = attempts + 1 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![id, self.clock.now().to_string()]))
            .map(|_| ())
            .map_err(self.err())
    }

    /// Central refused the record for good: kept, with the reason, for IT staff.
    pub fn mark_failed(&mut self, id: i64, reason: &str) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE outbox SET state = 'failed', last_error = ?2, attempts = attempts + 1 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(params![id, reason]))
            .map(|_| ())
            .map_err(self.err())
    }

    /// A try that will be repeated.
    pub fn note_attempt(&mut self, id: i64, error: &str) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![id, error]))
            .map(|_| ())
            .map_err(self.err())
    }

    /// What waits and what central refused: this store's device's records,
    /// or every device's when the store writes as none (tools, doctor).
    pub fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'failed')
                 FROM outbox WHERE ?1 IS NULL OR device IS ?1",
                [self.device],
                |r| {
                    Ok(OutboxCounts {
                        pending: r.get(0)?,
                        failed: r.get(1)?,
                    })
                },
            )
            .map_err(self.err())
    }

    /// Puts the records central refused back in line (after IT staff fixed
    /// the cause, such as naming this device a broken one's successor).
    /// Returns how many.
    pub fn retry_failed(&mut self) -> Result<usize, StoreError> {
        self.conn
            .execute(
                "UPDATE outbox SET state = 'pending', last_error = NULL WHERE state = 'failed'",
                [],
            )
            .map_err(self.err())
    }

    /// Records central refused, with their reasons.
    pub fn failed_records(&self) -> Result<Vec<(i64, String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, kind, coalesce(last_error, '') FROM outbox WHERE state = 'failed' ORDER BY id")
            .map_err(self.err())?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect())
            .map_err(self.err())
    }

    /// Waiting tickets per group on the office-local day of `at`.
    pub fn waiting(&self, at: Timestamp) -> Result<Vec<(String, Waiting)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT grp,
                        count(*) FILTER (WHERE lane = 'normal'),
                        count(*) FILTER (WHERE lane = 'priority')
                 FROM tickets WHERE day = ?1 AND status = 'waiting' GROUP BY grp ORDER BY grp",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([local_day(at).to_string()], |r| {
                Ok((
                    r.get(0)?,
                    Waiting {
                        normal: r.get(1)?,
                        priority: r.get(2)?,
                    },
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(self.err())?;
        Ok(rows)
    }

    /// The numbers this kiosk gave out on a day, in order: for checks and reports.
    pub fn numbers_of_day(&self, day: Date) -> Result<Vec<TicketNumber>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT grp, slot, number FROM tickets WHERE day = ?1 ORDER BY grp, slot, number")
            .map_err(self.err())?;
        stmt.query_map([day.to_string()], |r| {
            Ok(TicketNumber {
                group: r.get(0)?,
                slot: r.get(1)?,
                number: r.get(2)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(self.err())
    }

    /// Stores a satisfaction answer and its outbox record.
    /// Stores a rating and queues it for central. False when this ticket
    /// was rated already: the first answer stands and nothing is written.
    pub fn rate(&mut self, entry: &RatingEntry, at: Timestamp) -> Result<bool, StoreError> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let at_s = at.to_string();
        let criteria: Vec<&str> = entry.criteria.iter().map(|c| c.as_str()).collect();
        let criteria = serde_json::to_string(&criteria).expect("strings serialize");
        let comment: String = entry.comment.trim().chars().take(MAX_COMMENT).collect();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let inserted = tx
            .execute(
                "INSERT INTO ratings (rated_at, answer, central_ticket, criteria, comment)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (central_ticket) DO NOTHING",
                params![at_s, entry.answer.as_str(), entry.ticket, criteria, comment],
            )
            .map_err(err)?;
        if inserted == 0 {
            return Ok(false);
        }
        let id = tx.last_insert_rowid();
        let mut body = serde_json::json!({ "answer": entry.answer.as_str(), "rated_at": at_s });
        if let Some(t) = entry.ticket {
            body["ticket_id"] = t.into();
        }
        if !entry.criteria.is_empty() {
            body["criteria"] = entry.criteria.iter().map(|c| c.as_str()).collect::<Vec<_>>().into();
        }
        if !comment.is_empty() {
            body["comment"] = comment.into();
        }
        let key = match entry.ticket {
            Some(t) => format!("rating-ticket-{t}"),
            None => format!("rating-{}-{id}", self.instance),
        };
        enqueue(&tx, self.device, "rating", &key, &body.to_string(), &at_s).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(true)
    }
}

/// Failed PIN tries before an officer is locked out.
pub const MAX_PIN_FAILURES: u32 = 5;
/// How long a lock-out lasts.
pub const LOCKOUT: jiff::SignedDuration = jiff::SignedDuration::from_mins(5);

/// Where failed sign-ins of an ID are kept: a `meta` row keyed by this
/// prefix and the ID as typed, so IDs nobody has count too.
const SIGN_IN_KEY: &str = "sign-in:";
/// Seconds after which the failures of an ID not locked out are forgotten.
const FORGET_FAILURES_AFTER: i64 = 24 * 3600;

/// An Argon2id hash (this crate's default parameters) of no PIN anyone
/// holds: an unknown ID is checked against it, so it costs the same time
/// as a known one.
pub const DUMMY_PIN_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$qd2QsYd1fY7Pq8x5W8ERxJ0lQb8yv9DZ8mVgU0mR1pA";

/// The failed sign-ins of one ID.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Tries {
    failures: u32,
    /// Unix seconds of the last failure.
    last: i64,
    /// Unix seconds until which the ID is locked out.
    locked_until: Option<i64>,
}

/// An officer signed in at a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub id: String,
    pub name: String,
}

/// Why a sign-in was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    #[error("unknown officer or wrong PIN")]
    Refused { tries_left: u32 },
    #[error("locked after too many wrong PINs, until {until}")]
    Locked { until: Timestamp },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An Argon2 hash of a PIN, with a fresh salt.
pub fn hash_pin(pin: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("random bytes");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a salt");
    argon2::Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .expect("argon2 hashes a PIN")
        .to_string()
}

/// Whether `pin` is the one `stored` hashes.
pub fn pin_matches(pin: &str, stored: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(stored)
        .map(|h| argon2::Argon2::default().verify_password(pin.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

impl Store {
    /// Adds (or replaces) an officer with a PIN of 4 to 12 digits.
    pub fn set_officer(&mut self, id: &str, name: &str, pin: &str) -> Result<(), String> {
        if pin.len() < 4 || pin.len() > 12 || !pin.bytes().all(|b| b.is_ascii_digit()) {
            return Err("the PIN must be 4 to 12 digits".into());
        }
        if id.trim().is_empty() || name.trim().is_empty() {
            return Err("the officer needs an id and a name".into());
        }
        self.conn
            .execute(
                "INSERT INTO officers (id, name, pin_hash) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash, failures = 0, locked_until = NULL",
                params![id.trim(), name.trim(), hash_pin(pin)],
            )
            .map_err(|e| e.to_string())?;
        // A new PIN starts with a clean slate.
        self.conn
            .execute(
                "DELETE FROM meta WHERE key = ?1",
                [format!("{SIGN_IN_KEY}{}", id.trim())],
            )
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Removes officer `id` if `pin` is its PIN (a well-known PIN, such
    /// as the demo officer's); says whether it did.
    pub fn remove_officer_with_pin(&mut self, id: &str, pin: &str) -> Result<bool, StoreError> {
        let hash: Option<String> = self
            .conn
            .query_row("SELECT pin_hash FROM officers WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        if !hash.is_some_and(|h| pin_matches(pin, &h)) {
            return Ok(false);
        }
        self.conn
            .execute("DELETE FROM officers WHERE id = ?1", [id])
            .map_err(self.err())?;
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [format!("{SIGN_IN_KEY}{id}")])
            .map_err(self.err())?;
        Ok(true)
    }

    /// How many officers may sign in here.
    pub fn officer_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM officers", [], |r| r.get(0))
            .map_err(self.err())
    }

    /// Checks an officer's PIN; locks the ID out for a while after
    /// repeated failures.
    ///
    /// An unknown ID and a known ID with a wrong PIN answer alike, so the
    /// screen cannot be used to find which IDs exist: failures are counted
    /// per ID as typed, whether an officer has it or not, and an unknown ID
    /// costs the same Argon2 work, checked against [`DUMMY_PIN_HASH`].
    pub fn sign_in(&mut self, id: &str, pin: &str, now: Timestamp) -> Result<Officer, SignInError> {
        let id = id.trim();
        let key = format!("{SIGN_IN_KEY}{id}");
        let stored: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [&key], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        let mut tries: Tries = stored.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default();
        if let Some(until) = tries.locked_until.and_then(|s| Timestamp::from_second(s).ok()) {
            if until > now {
                return Err(SignInError::Locked { until });
            }
            // The lock-out is over: a fresh start.
            tries = Tries::default();
        }
        let officer: Option<(String, String)> = self
            .conn
            .query_row("SELECT name, pin_hash FROM officers WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(self.err())?;
        // The same work whether the ID exists or not.
        let hash = officer.as_ref().map_or(DUMMY_PIN_HASH, |(_, h)| h.as_str());
        let matches = pin_matches(pin, hash);
        if let Some((name, _)) = officer
            && matches
        {
            self.conn
                .execute("DELETE FROM meta WHERE key = ?1", [&key])
                .map_err(self.err())?;
            return Ok(Officer {
                id: id.to_string(),
                name,
            });
        }
        tries.failures += 1;
        tries.last = now.as_second();
        let answer = if tries.failures >= MAX_PIN_FAILURES {
            let until = Timestamp::from_second(now.as_second() + LOCKOUT.as_secs()).unwrap_or(now + LOCKOUT);
            tries.failures = 0;
            tries.locked_until = Some(until.as_second());
            SignInError::Locked { until }
        } else {
            SignInError::Refused {
                tries_left: MAX_PIN_FAILURES - tries.failures,
            }
        };
        let value = serde_json::to_string(&tries).unwrap_or_default();
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map_err(self.err())?;
        // IDs typed once and never again are forgotten after a day, so
        // the table stays small whatever is typed.
        self.conn
            .execute(
                "DELETE FROM meta WHERE key LIKE 'sign-in:%'
                 AND coalesce(json_extract(value, '$.last'), 0) < ?1
                 AND coalesce(json_extract(value, '$.locked_until'), 0) < ?2",
                params![now.as_second() - FORGET_FAILURES_AFTER, now.as_second()],
            )
            .map_err(self.err())?;
        Err(answer)
    }

    /// The next dossier number from this counter's own block, for codes
    /// made while central is out of reach.
    pub fn next_offline_dossier_number(&mut self, day: Date, slot: u32) -> Result<u32, StoreError> {
        let path = self.path.clone();
        self.conn
            .query_row(
                "INSERT INTO sequences (day, grp, slot, last) VALUES (?1, '#dossier', ?2, 1)
                 ON CONFLICT (day, grp, slot) DO UPDATE SET last = last + 1 RETURNING last",
                params![day.to_string(), slot],
                |r| r.get(0),
            )
            .map_err(|e| sqlite_error(&path, e))
    }

    /// Keeps a dossier taken in and queues it for central, in one commit.
    pub fn take_in(
        &mut self,
        code: &str,
        dossier: &serde_json::Value,
        status: u8,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let at_s = at.to_string();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        tx.execute(
            "INSERT INTO dossiers (code, body, status, received_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![code, dossier.to_string(), status, at_s],
        )
        .map_err(err)?;
        let body = serde_json::json!({ "code": code, "dossier": dossier });
        enqueue(
            &tx,
            self.device,
            "dossier",
            &format!("dossier-{}-{code}", self.instance),
            &body.to_string(),
            &at_s,
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    /// Records a status change of a dossier and queues it for central.
    pub fn set_dossier_status(&mut self, code: &str, status: u8, note: &str, at: Timestamp) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let at_s = at.to_string();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        tx.execute(
            "UPDATE dossiers SET status = ?2, updated_at = ?3 WHERE code = ?1",
            params![code, status, at_s],
        )
        .map_err(err)?;
        let body = serde_json::json!({ "code": code, "update": { "status": status, "note": note } });
        let key = format!("status-{}-{code}-{status}-{}", self.instance, at.as_millisecond());
        enqueue(&tx, self.device, "status", &key, &body.to_string(), &at_s).map_err(err)?;
        tx.commit().map_err(err)
    }

    /// Deletes personal data that central has had for at least `days`:
    /// the applicant, notes and lookup secret of dossiers whose every
    /// record central acknowledged before the cut-off, the bodies of such
    /// acknowledged records, and rating comments. Records central has not
    /// acknowledged (pending or failed) keep everything.
    pub fn purge_personal(&mut self, now: Timestamp, days: u32) -> Result<Purged, StoreError> {
        let cutoff = now
            .checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
            .unwrap_or(now)
            .to_string();
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        // A dossier is done with when nothing about it waits or failed,
        // and its last record reached central before the cut-off.
        let dossiers = tx.execute(PURGE_DOSSIERS, [&cutoff]).map_err(err)?;
        let records = tx
            .execute(
                "WITH cleared (id, body) AS (
                     SELECT id, CASE kind
                         WHEN 'dossier' THEN json_remove(body, '$.dossier.applicant', '$.dossier.notes', '$.dossier.lookup_secret')
                         WHEN 'status' THEN json_remove(body, '$.update.note')
                         ELSE json_remove(body, '$.comment') END
                     FROM outbox WHERE state = 'sent' AND sent_at < ?1 AND kind IN ('dossier', 'status', 'rating'))
                 UPDATE outbox SET body = cleared.body FROM cleared
                 WHERE outbox.id = cleared.id AND outbox.body <> cleared.body",
                [&cutoff],
            )
            .map_err(err)?;
        let comments = tx
            .execute(
                "UPDATE ratings SET comment = '' WHERE comment <> '' AND rated_at < ?1
                   AND NOT EXISTS (SELECT 1 FROM outbox WHERE kind = 'rating' AND state <> 'sent')",
                [&cutoff],
            )
            .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(Purged {
            dossiers,
            records,
            comments,
        })
    }

    /// Whether this store still holds the personal data of dossier `code`
    /// (not yet past retention, or not yet acknowledged by central).
    pub fn holds_personal_data(&self, code: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row(HOLDS_PERSONAL_DATA, [code], |r| r.get(0))
            .map_err(self.err())
    }

    /// A dossier kept here, as taken in (JSON) with its status.
    pub fn dossier(&self, code: &str) -> Result<Option<(serde_json::Value, u8)>, StoreError> {
        self.conn
            .query_row("SELECT body, status FROM dossiers WHERE code = ?1", [code], |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?))
            })
            .optional()
            .map_err(self.err())
            .map(|row| row.map(|(body, status)| (serde_json::from_str(&body).unwrap_or_default(), status)))
    }
}

#[cfg(test)]
impl Store {
    /// Central acknowledged everything at `at`.
    pub(crate) fn mark_all_sent_for_test(&mut self, at: Timestamp) {
        self.conn
            .execute("UPDATE outbox SET state = 'sent', sent_at = ?1", [at.to_string()])
            .unwrap();
    }

    /// Every text the store holds, for tests that look for what must be gone.
    fn dump_for_test(&self) -> String {
        let mut out = String::new();
        for (table, cols) in [("dossiers", "code || body"), ("outbox", "body"), ("ratings", "comment")] {
            let mut q = self.conn.prepare(&format!("SELECT {cols} FROM {table}")).unwrap();
            for row in q.query_map([], |r| r.get::<_, String>(0)).unwrap() {
                out.push_str(&row.unwrap());
                out.push('\n');
            }
        }
        out
    }
}

/// Clears the personal data of dossiers done with (see
/// [`Store::purge_personal`]). Their records are looked up through the
/// `outbox_code` index: `+dossiers.code` drops the column's text affinity,
/// which would otherwise keep SQLite from comparing through the index and
/// have it read the whole outbox once per dossier.
const PURGE_DOSSIERS: &str = "UPDATE dossiers SET body = json_remove(body, '$.applicant', '$.notes', '$.lookup_secret')
     WHERE json_type(body, '$.applicant') IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind IN ('dossier', 'status')
            AND json_extract(o.body, '$.code') = +dossiers.code
            AND (o.state <> 'sent' OR o.sent_at >= ?1))
       AND EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'dossier'
            AND json_extract(o.body, '$.code') = +dossiers.code)";

/// Whether a dossier's personal data is still here (one question per
/// receipt file at each purge; answered through `outbox_code`).
const HOLDS_PERSONAL_DATA: &str =
    "SELECT EXISTS (SELECT 1 FROM dossiers WHERE code = ?1 AND json_type(body, '$.applicant') IS NOT NULL)
     OR EXISTS (SELECT 1 FROM outbox WHERE kind IN ('dossier', 'status') AND state <> 'sent'
                AND json_extract(body, '$.code') = ?1)";

/// What a retention purge cleared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub dossiers: usize,
    pub records: usize,
    pub comments: usize,
}

fn enqueue(
    conn: &Connection,
    device: Option<i64>,
    kind: &str,
    key: &str,
    body: &str,
    at: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO outbox (kind, idempotency_key, body, created_at, device) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![kind, key, body, at, device])?;
    Ok(conn.last_insert_rowid())
}

/// Inserts a ticket row; returns its id and the tickets waiting ahead of it
/// (same lane) and beside it (other lane) among this kiosk's.
fn insert_ticket(
    conn: &Connection,
    origin: &str,
    day: &str,
    number: &TicketNumber,
    request: &TicketRequest,
    at: &str,
) -> rusqlite::Result<(i64, u32, u32)> {
    let lane = request.lane.as_str();
    conn.prepare_cached(
        "INSERT INTO tickets (origin, day, grp, slot, number, lane, procedure_code, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        origin,
        day,
        number.group,
        number.slot,
        number.number,
        lane,
        request.procedure,
        at
    ])?;
    let id = conn.last_insert_rowid();
    let (same, other) = conn
        .prepare_cached(
            "SELECT count(*) FILTER (WHERE lane = ?3 AND id < ?4), count(*) FILTER (WHERE lane <> ?3)
             FROM tickets WHERE day = ?1 AND grp = ?2 AND status = 'waiting'",
        )?
        .query_row(params![day, number.group, lane, id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((id, same, other))
}

fn sqlite_error(path: &Path, e: rusqlite::Error) -> StoreError {
    let reason = e.to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            reason,
        },
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => StoreError::ReadOnly {
            path: path.to_path_buf(),
        },
        _ => StoreError::Sqlite {
            path: path.to_path_buf(),
            reason,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(group: &str, lane: Lane) -> TicketRequest {
        TicketRequest {
            group: group.into(),
            lane,
            procedure: None,
        }
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn numbers_count_per_group_and_restart_at_local_midnight() {
        let mut s = Store::in_memory().unwrap();
        let t = |s: &mut Store, g, when| {
            s.issue(&req(g, Lane::Normal), 0, at(when), None)
                .unwrap()
                .number
                .to_string()
        };
        assert_eq!(t(&mut s, "A", "2026-11-28T02:00:00Z"), "A-001");
        assert_eq!(t(&mut s, "A", "2026-11-28T03:00:00Z"), "A-002");
        assert_eq!(t(&mut s, "B", "2026-11-28T03:00:00Z"), "B-001");
        // 23:59 in Hà Nội is still the same day …
        assert_eq!(t(&mut s, "A", "2026-11-28T16:59:00Z"), "A-003");
        // … and 00:00 is a new one.
        assert_eq!(t(&mut s, "A", "2026-11-28T17:00:00Z"), "A-001");
        // Standing alone, nothing is queued for central.
        assert_eq!(s.outbox_counts().unwrap().pending, 0);
    }

    #[test]
    fn numbers_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let when = at("2026-11-28T02:00:00Z");
        {
            let mut s = Store::open(dir.path()).unwrap();
            s.issue(&req("A", Lane::Normal), 0, when, None).unwrap();
            s.issue(&req("A", Lane::Priority), 0, when, None).unwrap();
        }
        let mut s = Store::open(dir.path()).unwrap();
        let t = s.issue(&req("A", Lane::Normal), 0, when, None).unwrap();
        assert_eq!(t.number.number, 3);
        assert_eq!((t.same_lane_ahead, t.other_lane_waiting), (1, 1));
        let w = s.waiting(when).unwrap();
        assert_eq!(w, vec![("A".to_string(), Waiting { normal: 2, priority: 1 })]);
    }

    #[test]
    fn the_database_refuses_a_repeated_number() {
        let mut s = Store::in_memory().unwrap();
        let when = at("2026-11-28T02:00:00Z");
        s.issue(&req("A", Lane::Normal), 0, when, None).unwrap();
        let dup = s.conn.execute(
            "INSERT INTO tickets (day, grp, number, lane, issued_at) VALUES ('2026-11-28', 'A', 1, 'normal', 'x')",
            [],
        );
        assert!(dup.is_err());
    }

    #[test]
    fn offline_tickets_use_the_kiosk_slot_and_queue_their_record_in_the_same_commit() {
        let mut s = Store::in_memory().unwrap();
        let when = at("2026-11-28T02:00:00Z");
        let a = s.issue(&req("A", Lane::Normal), 3, when, Some("lost-key")).unwrap();
        let b = s.issue(&req("A", Lane::Normal), 3, when, None).unwrap();
        assert_eq!(
            (a.number.to_string(), b.number.to_string()),
            ("A3-001".into(), "A3-002".into())
        );
        // The central numbering space (slot 0) is untouched.
        assert_eq!(
            s.issue(&req("A", Lane::Normal), 0, when, None)
                .unwrap()
                .number
                .to_string(),
            "A-001"
        );
        let first = s.next_pending().unwrap().unwrap();
        assert_eq!(first.kind, "ticket");
        let body: serde_json::Value = serde_json::from_str(&first.body).unwrap();
        assert_eq!((body["slot"].as_u64(), body["number"].as_u64()), (Some(3), Some(1)));
        assert_eq!(s.outbox_counts().unwrap().pending, 3, "two tickets and one void");
        s.mark_sent(first.id).unwrap();
        let void = s.next_pending().unwrap().unwrap();
        assert_eq!(void.kind, "void");
        assert!(void.body.contains("lost-key"));
        s.mark_failed(void.id, "422: no").unwrap();
        s.note_attempt(s.next_pending().unwrap().unwrap().id, "timeout")
            .unwrap();
        assert_eq!(s.next_pending().unwrap().unwrap().attempts, 1);
        assert_eq!(s.outbox_counts().unwrap(), OutboxCounts { pending: 1, failed: 1 });
        assert_eq!(s.failed_records().unwrap()[0].2, "422: no");
    }

    #[test]
    fn a_corrupt_file_is_reported_as_such() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(DB_FILE), vec![0x42u8; 8192]).unwrap();
        let e = Store::open(dir.path()).unwrap_err();
        assert!(matches!(e, StoreError::Corrupt { .. }), "{e:?}");
        assert_eq!(e.path(), dir.path().join(DB_FILE));
    }

    #[test]
    fn a_data_dir_that_cannot_be_created_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-dir");
        fs::write(&file, b"x").unwrap();
        let e = Store::open(&file.join("data")).unwrap_err();
        assert!(matches!(e, StoreError::DataDir { .. }), "{e:?}");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
        c.execute_batch("PRAGMA user_version = 99").unwrap();
        drop(c);
        assert!(matches!(
            Store::open(dir.path()),
            Err(StoreError::TooNew { found: 99, .. })
        ));
    }

    #[test]
    fn officers_sign_in_with_a_pin_and_are_locked_after_five_failures() {
        let mut s = Store::in_memory().unwrap();
        s.set_officer("CB01", "Trần Thị Cán Bộ", "246810").unwrap();
        assert!(s.set_officer("CB02", "X", "12ab").is_err());
        let t0: Timestamp = "2026-11-28T02:00:00Z".parse().unwrap();
        assert_eq!(s.sign_in("CB01", "246810", t0).unwrap().name, "Trần Thị Cán Bộ");
        assert_eq!(
            s.sign_in("nobody", "246810", t0),
            Err(SignInError::Refused { tries_left: 4 })
        );
        for left in (1..5).rev() {
            assert_eq!(
                s.sign_in("CB01", "000000", t0),
                Err(SignInError::Refused { tries_left: left })
            );
        }
        assert!(matches!(
            s.sign_in("CB01", "000000", t0),
            Err(SignInError::Locked { .. })
        ));
        // Even the right PIN waits out the lock …
        assert!(matches!(
            s.sign_in("CB01", "246810", t0 + jiff::SignedDuration::from_mins(1)),
            Err(SignInError::Locked { .. })
        ));
        // … and works after it.
        assert!(
            s.sign_in("CB01", "246810", t0 + jiff::SignedDuration::from_mins(6))
                .is_ok()
        );
        let hash: String = s
            .conn
            .query_row("SELECT pin_hash FROM officers", [], |r| r.get(0))
            .unwrap();
        assert!(hash.starts_with("$argon2id$") && !hash.contains("246810"));
    }

    #[test]
    fn an_unknown_id_and_a_wrong_pin_answer_alike() {
        let mut s = Store::in_memory().unwrap();
        s.set_officer("CB01", "Trần Thị Cán Bộ", "246810").unwrap();
        let t0: Timestamp = "2026-11-28T02:00:00Z".parse().unwrap();
        for i in 0..6 {
            let at = t0 + jiff::SignedDuration::from_secs(i);
            let known = s.sign_in("CB01", "000000", at);
            let unknown = s.sign_in("CB99", "000000", at);
            assert_eq!(known, unknown, "attempt {}", i + 1);
            assert!(known.is_err());
        }
        // Both locked out alike, and both free again after the lock-out.
        let later = t0 + LOCKOUT + jiff::SignedDuration::from_mins(1);
        assert_eq!(s.sign_in("CB01", "000000", later), s.sign_in("CB99", "000000", later));
        assert!(s.sign_in("CB01", "246810", later).is_ok());
    }

    #[test]
    fn the_dummy_pin_hash_costs_a_real_check() {
        use argon2::password_hash::PasswordHash;
        let dummy = PasswordHash::new(DUMMY_PIN_HASH).expect("a PHC string");
        let real_hash = hash_pin("246810");
        let real = PasswordHash::new(&real_hash).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        assert_eq!(dummy.hash.map(|h| h.len()), real.hash.map(|h| h.len()));
        // Argon2 refuses nothing about it before doing the work.
        let argon = argon2::Argon2::default();
        use argon2::password_hash::PasswordVerifier;
        assert!(matches!(
            argon.verify_password(b"000000", &dummy),
            Err(argon2::password_hash::Error::Password)
        ));
    }

    #[test]
    fn failures_of_ids_typed_long_ago_are_forgotten() {
        let mut s = Store::in_memory().unwrap();
        let t0: Timestamp = "2026-11-28T02:00:00Z".parse().unwrap();
        for i in 0..50 {
            let _ = s.sign_in(&format!("X{i}"), "0000", t0);
        }
        let next_day = t0 + jiff::SignedDuration::from_hours(25);
        let _ = s.sign_in("Y", "0000", next_day);
        let left: i64 = s
            .conn
            .query_row("SELECT count(*) FROM meta WHERE key LIKE 'sign-in:%'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 1);
    }

    #[test]
    fn a_well_known_pin_removes_its_officer() {
        let mut s = Store::in_memory().unwrap();
        s.set_officer("CB01", "Cán bộ minh họa", "123456").unwrap();
        s.set_officer("CB02", "Trần Thị Cán Bộ", "246810").unwrap();
        assert!(!s.remove_officer_with_pin("CB02", "123456").unwrap());
        assert!(!s.remove_officer_with_pin("CB03", "123456").unwrap());
        assert!(s.remove_officer_with_pin("CB01", "123456").unwrap());
        assert_eq!(s.officer_count().unwrap(), 1);
    }

    /// Cleared records still say which dossier they were about.
    fn everything_has_codes(s: &Store) -> bool {
        let dump = s.dump_for_test();
        dump.matches("\"code\":\"X-").count() >= 2
    }

    #[test]
    fn personal_data_leaves_once_central_has_had_it_for_the_retention_period() {
        let mut s = Store::in_memory().unwrap();
        let at = Timestamp::now();
        let dossier = |name: &str| {
            serde_json::json!({"status": 2, "applicant": {"name": name, "id_number": "001099012345", "phone": "0912345678"},
                "notes": "gọi cho chị Lan", "lookup_secret": "AB12CD34", "procedure_code": "1.001193"})
        };
        s.take_in("X-1", &dossier("Nguyễn Văn An"), 2, at).unwrap();
        s.take_in("X-2", &dossier("Trần Thị Bình"), 2, at).unwrap();
        let mut entry = RatingEntry::new(Rating::Satisfied);
        entry.comment = "Chị Lan ở quầy 3 rất nhiệt tình".into();
        s.rate(&entry, at).unwrap();
        // Central acknowledges all three; then X-2 moves on and that
        // status update still waits.
        for _ in 0..3 {
            let r = s.next_pending().unwrap().unwrap();
            s.mark_sent(r.id).unwrap();
        }
        s.set_dossier_status("X-2", 4, "", at).unwrap();

        let week = jiff::SignedDuration::from_hours(24 * 7);
        let soon = at.checked_add(week - jiff::SignedDuration::from_hours(1)).unwrap();
        assert_eq!(
            s.purge_personal(soon, 7).unwrap(),
            Purged::default(),
            "not before the period"
        );
        let later = at.checked_add(week + jiff::SignedDuration::from_hours(1)).unwrap();
        let purged = s.purge_personal(later, 7).unwrap();
        assert_eq!(
            purged,
            Purged {
                dossiers: 1,
                records: 3,
                comments: 1
            }
        );
        assert!(everything_has_codes(&s));
        let everything = s.dump_for_test();
        for gone in ["Nguyễn Văn An", "nhiệt tình"] {
            assert!(!everything.contains(gone), "{gone} left in {everything}");
        }
        let (kept, status) = s.dossier("X-1").unwrap().unwrap();
        assert_eq!((kept["procedure_code"].as_str(), status), (Some("1.001193"), 2));
        assert!(kept.get("applicant").is_none() && kept.get("notes").is_none());
        // X-2 has a record central has not acknowledged: it keeps everything.
        assert!(everything.contains("Trần Thị Bình"), "{everything}");
        let r = s.next_pending().unwrap().unwrap();
        s.mark_sent(r.id).unwrap();
        let much_later = later.checked_add(week).unwrap();
        s.purge_personal(much_later, 7).unwrap();
        let everything = s.dump_for_test();
        for gone in ["Trần Thị Bình", "001099012345", "0912345678", "chị Lan", "Chị Lan"] {
            assert!(!everything.contains(gone), "{gone} left in {everything}");
        }
    }

    #[test]
    fn a_dossier_taken_in_is_queued_for_central_in_the_same_commit() {
        let mut s = Store::in_memory().unwrap();
        let at: Timestamp = "2026-11-28T02:00:00Z".parse().unwrap();
        let day = local_day(at);
        assert_eq!(s.next_offline_dossier_number(day, 3).unwrap(), 1);
        assert_eq!(s.next_offline_dossier_number(day, 3).unwrap(), 2);
        s.take_in("X-261128-0001", &serde_json::json!({"status": 2}), 2, at)
            .unwrap();
        s.set_dossier_status("X-261128-0001", 10, "", at).unwrap();
        assert_eq!(s.dossier("X-261128-0001").unwrap().unwrap().1, 10);
        let kinds: Vec<String> = std::iter::from_fn(|| {
            let r = s.next_pending().unwrap()?;
            s.mark_sent(r.id).unwrap();
            Some(r.kind)
        })
        .collect();
        assert_eq!(kinds, vec!["dossier", "status"]);
    }

    #[test]
    fn ratings_are_stored_with_an_outbox_record() {
        let mut s = Store::in_memory().unwrap();
        assert!(
            s.rate(&RatingEntry::new(Rating::Satisfied), at("2026-11-28T02:00:00Z"))
                .unwrap()
        );
        assert_eq!(s.outbox_counts().unwrap().pending, 1);
        let body: serde_json::Value = serde_json::from_str(&s.next_pending().unwrap().unwrap().body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"answer": "satisfied", "rated_at": "2026-11-28T02:00:00Z"})
        );
    }

    #[test]
    fn a_served_ticket_is_rated_once_with_its_criteria_and_comment() {
        let mut s = Store::in_memory().unwrap();
        let entry = RatingEntry {
            answer: Rating::Unsatisfied,
            ticket: Some(41),
            criteria: vec![Criterion::Time, Criterion::Facilities],
            comment: format!("  Phải chờ lâu, ghế ít. {}", "x".repeat(300)),
        };
        assert!(s.rate(&entry, at("2026-11-28T02:00:00Z")).unwrap());
        let again = RatingEntry::new(Rating::Satisfied);
        assert!(
            !s.rate(
                &RatingEntry {
                    ticket: Some(41),
                    ..again
                },
                at("2026-11-28T02:01:00Z")
            )
            .unwrap(),
            "a second answer for the same ticket is not taken"
        );
        assert_eq!(s.outbox_counts().unwrap().pending, 1);
        let record = s.next_pending().unwrap().unwrap();
        assert_eq!(record.key, "rating-ticket-41");
        let body: serde_json::Value = serde_json::from_str(&record.body).unwrap();
        assert_eq!(body["ticket_id"], 41);
        assert_eq!(body["answer"], "unsatisfied");
        assert_eq!(body["criteria"], serde_json::json!(["time", "facilities"]));
        let comment = body["comment"].as_str().unwrap();
        assert!(comment.starts_with("Phải chờ lâu, ghế ít."));
        assert_eq!(comment.chars().count(), MAX_COMMENT);
        // Ratings without a ticket are never refused as repeats.
        assert!(
            s.rate(&RatingEntry::new(Rating::Neutral), at("2026-11-28T02:02:00Z"))
                .unwrap()
        );
        assert!(
            s.rate(&RatingEntry::new(Rating::Neutral), at("2026-11-28T02:03:00Z"))
                .unwrap()
        );
    }

    #[test]
    fn the_criteria_are_the_ones_central_knows() {
        let ours: Vec<&str> = Criterion::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(ours, motcua_api::model::CRITERIA);
    }

    #[test]
    fn a_schema_1_database_is_migrated_and_keeps_its_ratings() {
        let dir = tempfile::tempdir().unwrap();
        let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
        c.execute_batch(
            "CREATE TABLE ratings (id INTEGER PRIMARY KEY, rated_at TEXT NOT NULL,
                 answer TEXT NOT NULL CHECK (answer IN ('satisfied', 'neutral', 'unsatisfied')), ticket_id INTEGER);
             INSERT INTO ratings (rated_at, answer) VALUES ('2026-11-27T02:00:00Z', 'neutral');",
        )
        .unwrap();
        c.execute_batch(&format!("{SCHEMA} PRAGMA user_version = 1;")).unwrap();
        drop(c);
        let mut s = Store::open(dir.path()).unwrap();
        let entry = RatingEntry {
            ticket: Some(7),
            ..RatingEntry::new(Rating::Satisfied)
        };
        assert!(s.rate(&entry, at("2026-11-28T02:00:00Z")).unwrap());
        assert!(!s.rate(&entry, at("2026-11-28T02:00:00Z")).unwrap());
        let (n, version): (i64, i32) = s
            .conn
            .query_row(
                "SELECT count(*), (SELECT user_version FROM pragma_user_version) FROM ratings",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((n, version), (2, SCHEMA_VERSION));
    }

    #[test]
    fn retention_finds_a_dossiers_records_through_the_index_not_by_reading_the_outbox() {
        // A month at a counter leaves thousands of records; the purge asks
        // about each dossier still holding personal data. Found by the
        // office simulation: read in full each time, the hourly purge took
        // seconds and grew every day.
        let s = Store::in_memory().unwrap();
        let plan = |sql: &str| -> String {
            let mut q = s.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let params: Vec<&dyn rusqlite::ToSql> =
                (0..q.parameter_count()).map(|_| &"x" as &dyn rusqlite::ToSql).collect();
            q.query_map(params.as_slice(), |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
                .join("\n")
        };
        let purge = plan(PURGE_DOSSIERS);
        assert!(!purge.contains("SCAN o"), "{purge}");
        assert_eq!(purge.matches("USING INDEX outbox_code").count(), 2, "{purge}");
        let holds = plan(HOLDS_PERSONAL_DATA);
        assert!(!holds.contains("SCAN outbox"), "{holds}");
        assert!(holds.contains("USING INDEX outbox_code"), "{holds}");
    }

    #[test]
    fn a_schema_2_database_keeps_its_unsent_records_for_the_device_that_wrote_them() {
        let dir = tempfile::tempdir().unwrap();
        let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
        c.execute_batch(&format!(
            "{SCHEMA} {MIGRATE_1_TO_2} PRAGMA user_version = 2;
             INSERT INTO outbox (kind, idempotency_key, body, created_at) VALUES
                 ('ticket', 't-1', '{{}}', '2026-11-27T02:00:00Z'),
                 ('dossier', 'd-1', '{{\"code\": \"X-1\"}}', '2026-11-27T02:00:00Z');"
        ))
        .unwrap();
        drop(c);
        let mut s = Store::open(dir.path()).unwrap();
        assert_eq!(s.outbox_counts().unwrap().pending, 2, "written by no device yet");
        // The counter takes the dossier, not the ticket.
        assert_eq!(s.set_device(9, &["dossier", "status"], false).unwrap(), 1);
        assert_eq!(s.next_pending().unwrap().unwrap().key, "d-1");
        assert_eq!(s.outbox_counts().unwrap().pending, 1);
    }
}
