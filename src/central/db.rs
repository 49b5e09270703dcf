//! Central's storage: one SQLite file (WAL, synchronous=FULL) behind this
//! module, so a PostgreSQL backend can take its place for a city that
//! outgrows one machine.
//!
//! Writes go to a single writer thread that commits in groups: it takes
//! every job waiting in its channel, runs each in its own savepoint, commits
//! once, and only then answers. Many clients share one fsync, and no
//! client hears "done" before its write is on disk. Reads use a small pool
//! of read connections on blocking threads.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::error::ApiError;

pub const DB_FILE: &str = "central.db";

/// Jobs committed together at most.
const MAX_BATCH: usize = 512;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS offices (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    notice TEXT NOT NULL DEFAULT '',
    priority_every INTEGER NOT NULL DEFAULT 3
);
CREATE TABLE IF NOT EXISTS devices (
    id INTEGER PRIMARY KEY,
    office TEXT NOT NULL REFERENCES offices (code),
    role TEXT NOT NULL CHECK (role IN ('kiosk', 'counter', 'board')),
    name TEXT NOT NULL,
    slot INTEGER NOT NULL,
    credential_hash TEXT UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    UNIQUE (office, slot)
);
CREATE TABLE IF NOT EXISTS enrollments (
    token_hash TEXT PRIMARY KEY,
    office TEXT NOT NULL REFERENCES offices (code),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS catalogs (
    office TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    etag TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sequences (
    office TEXT NOT NULL,
    day TEXT NOT NULL,
    grp TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (office, day, grp)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counter_state (
    office TEXT NOT NULL,
    day TEXT NOT NULL,
    counter TEXT NOT NULL,
    normals_since_priority INTEGER NOT NULL,
    PRIMARY KEY (office, day, counter)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tickets (
    id INTEGER PRIMARY KEY,
    office TEXT NOT NULL,
    day TEXT NOT NULL,
    grp TEXT NOT NULL,
    -- The queue it waits in: its own group, unless transferred.
    queue_grp TEXT NOT NULL,
    slot INTEGER NOT NULL DEFAULT 0,
    number INTEGER NOT NULL CHECK (number > 0),
    lane TEXT NOT NULL CHECK (lane IN ('normal', 'priority')),
    procedure_code TEXT,
    issued_at TEXT NOT NULL,
    -- The same instant in milliseconds: the queue's order, so a ticket
    -- issued offline takes its place by when it was issued, not by when
    -- it arrived.
    issued_ms INTEGER NOT NULL,
    device_id INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'called', 'done', 'no_show', 'void')),
    counter TEXT,
    -- The officer who called it (an id, not a name).
    officer TEXT,
    assigned_counter TEXT,
    called_at TEXT,
    finished_at TEXT,
    UNIQUE (office, day, grp, slot, number)
);
CREATE INDEX IF NOT EXISTS tickets_queue ON tickets (office, day, queue_grp, status, lane, id);
-- Waiting tickets per queue and lane, kept by triggers so that counting
-- the queue costs the same with ten or ten thousand tickets.
CREATE TABLE IF NOT EXISTS queue_counts (
    office TEXT NOT NULL,
    day TEXT NOT NULL,
    grp TEXT NOT NULL,
    lane TEXT NOT NULL,
    waiting INTEGER NOT NULL,
    PRIMARY KEY (office, day, grp, lane)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS tickets_wait_insert AFTER INSERT ON tickets WHEN NEW.status = 'waiting' BEGIN
    INSERT INTO queue_counts (office, day, grp, lane, waiting) VALUES (NEW.office, NEW.day, NEW.queue_grp, NEW.lane, 1)
    ON CONFLICT (office, day, grp, lane) DO UPDATE SET waiting = waiting + 1;
END;
CREATE TRIGGER IF NOT EXISTS tickets_wait_leave AFTER UPDATE OF status, queue_grp ON tickets WHEN OLD.status = 'waiting' BEGIN
    UPDATE queue_counts SET waiting = waiting - 1
    WHERE office = OLD.office AND day = OLD.day AND grp = OLD.queue_grp AND lane = OLD.lane;
END;
CREATE TRIGGER IF NOT EXISTS tickets_wait_enter AFTER UPDATE OF status, queue_grp ON tickets WHEN NEW.status = 'waiting' BEGIN
    INSERT INTO queue_counts (office, day, grp, lane, waiting) VALUES (NEW.office, NEW.day, NEW.queue_grp, NEW.lane, 1)
    ON CONFLICT (office, day, grp, lane) DO UPDATE SET waiting = waiting + 1;
END;
CREATE TABLE IF NOT EXISTS dossiers (
    office TEXT NOT NULL,
    code TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    status INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
    body TEXT NOT NULL,
    lookup_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (office, code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dossier_history (
    id INTEGER PRIMARY KEY,
    office TEXT NOT NULL,
    code TEXT NOT NULL,
    status INTEGER NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS dossier_history_code ON dossier_history (office, code, id);
-- Receipt signing keys: each counter makes its own and publishes the
-- public half here, so every station can verify any office's receipts.
CREATE TABLE IF NOT EXISTS office_keys (
    office TEXT NOT NULL,
    key_id INTEGER NOT NULL,
    device_id INTEGER NOT NULL,
    public_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (office, key_id)
) WITHOUT ROWID;
-- Satisfaction answers (SIPAS): at most one per served ticket.
CREATE TABLE IF NOT EXISTS ratings (
    id INTEGER PRIMARY KEY,
    office TEXT NOT NULL,
    device_id INTEGER NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('satisfied', 'neutral', 'unsatisfied')),
    rated_at TEXT NOT NULL,
    ticket_id INTEGER UNIQUE,
    counter TEXT,
    officer TEXT,
    criteria TEXT NOT NULL DEFAULT '[]',
    comment TEXT NOT NULL DEFAULT ''
);
-- How many times each ticket was called, recalls included: with the
-- ticket's id it names one call, so a board speaks each call once. A table
-- of its own, so databases made before it gain it on their next start.
CREATE TABLE IF NOT EXISTS ticket_calls (
    ticket_id INTEGER PRIMARY KEY,
    calls INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    device_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (device_id, key)
) WITHOUT ROWID;
-- Stored answers hold personal data: the hourly purge finds the old ones here.
CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency (created_at);
PRAGMA user_version = 1;
";

/// A unit of work for the writer thread.
trait Job: Send {
    /// Runs the work inside its savepoint; false rolls the savepoint back.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answers once the batch is committed (or not).
    fn finish(self: Box<Self>, committed: Result<(), ApiError>);
}

struct Typed<T, F> {
    work: Option<F>,
    result: Option<Result<T, ApiError>>,
    reply: oneshot::Sender<Result<T, ApiError>>,
}

impl<T, F> Job for Typed<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T, ApiError> + Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let work = self.work.take().expect("a job runs once");
        let result = work(conn);
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn finish(self: Box<Self>, committed: Result<(), ApiError>) {
        let result = match (self.result, committed) {
            (Some(Ok(value)), Ok(())) => Ok(value),
            (Some(Ok(_)), Err(e)) => Err(e),
            (Some(Err(e)), _) => Err(e),
            (None, Err(e)) => Err(e),
            (None, Ok(())) => Err(ApiError::internal("the write met an unexpected error")),
        };
        // The client may have gone away; the write stands either way.
        let _ = self.reply.send(result);
    }
}

/// The storage of one central server.
#[derive(Clone)]
pub struct Db {
    jobs: mpsc::Sender<Box<dyn Job>>,
    readers: Arc<Mutex<Vec<Connection>>>,
    path: PathBuf,
    cache_kib: u32,
    /// Jobs, written or read, that panicked.
    panics: Arc<AtomicU64>,
}

fn open_connection(path: &Path, cache_kib: u32) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open(path)?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    conn.execute_batch(&format!(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -{cache_kib};"
    ))?;
    Ok(conn)
}

impl Db {
    /// Opens (creating) `dir/central.db` and starts the writer thread.
    /// Each connection keeps up to `cache_kib` KiB of pages in memory.
    pub fn open(dir: &Path, cache_kib: u32) -> Result<Self, String> {
        // Owner only: the database holds credential hashes and the
        // offices' portal passwords.
        std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700)
            .create(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(DB_FILE);
        let fail = |e: rusqlite::Error| format!("{}: {e}", path.display());
        let writer = open_connection(&path, cache_kib).map_err(fail)?;
        writer.execute_batch(SCHEMA).map_err(fail)?;
        writer.execute_batch(super::portal::SCHEMA).map_err(fail)?;
        let (jobs, rx) = mpsc::channel::<Box<dyn Job>>();
        let panics = Arc::new(AtomicU64::new(0));
        let counted = panics.clone();
        std::thread::Builder::new()
            .name("central-writer".into())
            .spawn(move || writer_loop(writer, rx, &counted))
            .map_err(|e| e.to_string())?;
        Ok(Self {
            jobs,
            readers: Arc::new(Mutex::new(Vec::new())),
            path,
            cache_kib,
            panics,
        })
    }

    /// How many jobs panicked since the database was opened.
    pub fn panics(&self) -> u64 {
        self.panics.load(Ordering::Relaxed)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` in the next committed batch and answers after the commit.
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Typed {
            work: Some(work),
            result: None,
            reply,
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::unavailable("the database writer has stopped"))?;
        answer
            .await
            .map_err(|_| ApiError::unavailable("the database writer has stopped"))?
    }

    /// Runs `work` on a read connection, off the async threads.
    pub async fn read<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
    {
        let readers = self.readers.clone();
        let path = self.path.clone();
        let cache_kib = self.cache_kib;
        let panics = self.panics.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let conn = match pooled {
                Some(c) => c,
                None => open_connection(&path, cache_kib).map_err(ApiError::from)?,
            };
            let result = work(&conn);
            readers.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
            result
        })
        .await
        .map_err(|e| {
            if e.is_panic() {
                panics.fetch_add(1, Ordering::Relaxed);
                tracing::error!("a database read panicked; the server goes on");
            }
            ApiError::internal("a database read met an unexpected error")
        })?
    }
}

fn writer_loop(conn: Connection, rx: mpsc::Receiver<Box<dyn Job>>, panics: &AtomicU64) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            let err = ApiError::from(e);
            for job in batch {
                job.finish(Err(err.clone()));
            }
            continue;
        }
        for job in batch.iter_mut() {
            let _ = conn.execute_batch("SAVEPOINT job");
            // A panic in one job must not take the others, or the writer, down.
            let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.run(&conn))).unwrap_or_else(|_| {
                panics.fetch_add(1, Ordering::Relaxed);
                tracing::error!("a database write panicked; the server goes on");
                false
            });
            if !ok {
                let _ = conn.execute_batch("ROLLBACK TO job");
            }
            let _ = conn.execute_batch("RELEASE job");
        }
        let committed = conn.execute_batch("COMMIT").map_err(ApiError::from);
        if committed.is_err() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        for job in batch {
            job.finish(committed.clone());
        }
    }
}
