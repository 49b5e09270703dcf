//! The local durable store of a kiosk or counter: tickets, ratings and the
//! outbox of changes still to send to central (SQLite, WAL,
//! synchronous=FULL).
//!
//! A ticket exists only once its transaction has committed; the screen and
//! the printer see it only after that. Numbers come from a per-day,
//! per-group sequence row updated in the same transaction, and the database
//! itself refuses a repeated number (`UNIQUE (day, grp, number)`), so a crash
//! or a restart can neither reuse nor lose a number.
//!
//! Every write goes through one helper, [`Store::write`]: one IMMEDIATE
//! transaction, committed when the write succeeds and rolled back when it
//! fails, with what the write needs to queue its record for central.
//!
//! Split by concern: `schema` (version 1 and the migrations), `tickets`,
//! `outbox` (with `payload`, its records typed), `ratings`, `officers`, `admin` (the kiosk's exit PIN), `dossiers`, `retention`, `health` (the
//! background loops that died).

mod admin;
mod documents;
mod dossiers;
mod evaluations;
mod health;
mod officers;
mod outbox;
mod payload;
mod ratings;
mod retention;
mod schema;
mod tickets;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

pub use admin::{ADMIN_LOCKOUTS, ADMIN_MAX_FAILURES, AdminPinError};
pub use documents::{NewDocument, StoredDocument};
pub use health::{LoopFailure, loop_failures};
pub use officers::{
    DUMMY_PIN_HASH, LOCKOUT, MAX_PIN_FAILURES, Officer, OfficerError, SignInError, hash_pin, pin_matches,
};
pub use outbox::{OutboxCounts, OutboxRecord};
pub use payload::{Payload, PayloadError};
pub use ratings::{Criterion, MAX_COMMENT, Rating, RatingEntry};
pub use retention::Purged;
use schema::{MIGRATIONS, SCHEMA_VERSION};
pub use tickets::{Ticket, TicketRequest, Waiting};

/// The database file inside the data directory.
pub const DB_FILE: &str = "motcua.db";

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
    /// The disk (or the database's size limit) is full: nothing of the
    /// write was kept.
    #[error("the disk holding {path} is full")]
    Full { path: PathBuf },
}

impl StoreError {
    /// The path the error is about, for the log and the fault screen.
    pub fn path(&self) -> &Path {
        match self {
            Self::DataDir { path, .. }
            | Self::ReadOnly { path }
            | Self::Corrupt { path, .. }
            | Self::TooNew { path, .. }
            | Self::Sqlite { path, .. }
            | Self::Full { path } => path,
        }
    }
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

    /// Caps the database near its present size plus `bytes` (SQLite's
    /// `max_page_count`): a write that would pass it fails as
    /// [`StoreError::Full`], as it does on a full disk. Tests of a full
    /// disk use it instead of filling one.
    #[doc(hidden)]
    pub fn limit_growth(&self, bytes: u64) -> Result<(), StoreError> {
        let (pages, size): (u64, u64) = self
            .conn
            .query_row(
                "SELECT page_count, page_size FROM pragma_page_count, pragma_page_size",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.err())?;
        let limit = pages + bytes.div_ceil(size.max(1));
        self.conn
            .query_row(&format!("PRAGMA max_page_count = {limit}"), [], |_| Ok(()))
            .map_err(self.err())
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |e| sqlite_error(&self.path, e)
    }

    /// Runs one write: every change the store makes goes through here, in
    /// one IMMEDIATE transaction committed when `f` succeeds (rolled back
    /// when it fails), so a write and its outbox record land together or
    /// not at all.
    fn write<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        let Self {
            conn,
            path,
            instance,
            device,
            ..
        } = self;
        let err = |e| sqlite_error(path, e);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let out = f(&Tx {
            tx: &tx,
            device: *device,
            instance,
        })
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(out)
    }
}

/// A write under way (see [`Store::write`]): the transaction, and who the
/// records it queues for central are from.
struct Tx<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    /// The device the records go out as.
    device: Option<i64>,
    /// This database's id, part of every idempotency key it writes.
    instance: &'a str,
}

impl std::ops::Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.tx
    }
}

#[cfg(test)]
impl Store {
    /// Central acknowledged everything at `at`.
    pub(crate) fn mark_all_sent_for_test(&mut self, at: jiff::Timestamp) {
        self.write(|tx| tx.execute("UPDATE outbox SET state = 'sent', sent_at = ?1", [at.to_string()]))
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
        Some(ErrorCode::DiskFull) => StoreError::Full {
            path: path.to_path_buf(),
        },
        _ => StoreError::Sqlite {
            path: path.to_path_buf(),
            reason,
        },
    }
}

#[cfg(test)]
mod tests;
