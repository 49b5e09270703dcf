//! Central's storage: one SQLite file (WAL, synchronous=FULL) behind this
//! module, so a PostgreSQL backend can take its place for a city that
//! outgrows one machine.
//!
//! Writes go to a single writer thread that commits in groups: it takes
//! every job waiting in its channel, runs each in its own savepoint, commits
//! once, and only then answers. Many clients share one fsync, and no
//! client hears "done" before its write is on disk. Reads use a small pool
//! of read connections on blocking threads.
//!
//! The schema is versioned: numbered migrations (`rusqlite_migration`,
//! counted in SQLite's `user_version`) bring an office's existing database
//! up to date when central starts, and a database from a newer motcua is
//! refused rather than misread.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};
use tokio::sync::oneshot;

use super::error::{ApiError, CentralError};
use crate::sql::Conn;

pub const DB_FILE: &str = "central.db";

/// The file in central's data directory naming its PostgreSQL database.
pub const URL_FILE: &str = "database.url";

/// Jobs committed together at most.
const MAX_BATCH: usize = 512;

/// The schema as it stood before versioned migrations: migration 1. Its
/// `IF NOT EXISTS` lets it run over a database made by that code, which
/// recorded `user_version = 1` whether or not the portal's tables (added
/// later, migration 2) were there yet.
const SCHEMA_V1: &str = "
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
CREATE TABLE IF NOT EXISTS idempotency (
    device_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (device_id, key)
) WITHOUT ROWID;
";

/// Central's schema, one migration after another; the database's
/// `user_version` is the number of those applied. Append a new step for
/// every change and never edit one that has shipped: an office's server
/// has already run it, and would not run it again.
const MIGRATIONS: &[M<'static>] = &[
    M::up(SCHEMA_V1),
    M::up(super::portal::SCHEMA),
    // Reports read one office's ratings over a range of days.
    M::up("CREATE INDEX ratings_office_time ON ratings (office, rated_at);"),
    // How many times each ticket was called, recalls included: with the
    // ticket's id it names one call, so a board speaks each call once.
    M::up(
        "CREATE TABLE IF NOT EXISTS ticket_calls (
             ticket_id INTEGER PRIMARY KEY,
             calls INTEGER NOT NULL
         );",
    ),
    // Stored answers hold personal data: the hourly purge finds the old ones.
    M::up("CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency (created_at);"),
    // A device that replaces a broken one sends what the old one left
    // unsent (`motcua central replace`, or `enroll --replaces`).
    M::up(
        "ALTER TABLE devices ADD COLUMN predecessor INTEGER REFERENCES devices (id);
         CREATE UNIQUE INDEX devices_predecessor ON devices (predecessor);
         ALTER TABLE enrollments ADD COLUMN replaces INTEGER;",
    ),
    // Receipt keys end: a key is retired when its counter publishes the
    // next one or is revoked, and a receipt it signs after that is refused.
    // Keys from before this step are retired as the rules would have:
    // every key but a device's newest when the next was published, and
    // the keys of revoked devices when they were revoked. Then each
    // device has at most one key in use.
    M::up(
        "ALTER TABLE office_keys ADD COLUMN retired_at TEXT;
         UPDATE office_keys SET retired_at = (
             SELECT min(n.created_at) FROM office_keys n
             WHERE n.device_id = office_keys.device_id AND n.key_id > office_keys.key_id)
         WHERE EXISTS (
             SELECT 1 FROM office_keys n
             WHERE n.device_id = office_keys.device_id AND n.key_id > office_keys.key_id);
         UPDATE office_keys SET retired_at = (SELECT revoked_at FROM devices d WHERE d.id = office_keys.device_id)
         WHERE retired_at IS NULL
           AND device_id IN (SELECT id FROM devices WHERE revoked_at IS NOT NULL);
         CREATE UNIQUE INDEX office_keys_in_use ON office_keys (device_id) WHERE retired_at IS NULL;
         CREATE INDEX office_keys_device ON office_keys (device_id);",
    ),
    // The client certificates central issued to devices, by fingerprint:
    // a connection's certificate names its device, and a revoked
    // device's certificates are refused at the handshake.
    M::up(
        "CREATE TABLE IF NOT EXISTS device_certs (
             fingerprint TEXT PRIMARY KEY,
             device_id INTEGER NOT NULL REFERENCES devices (id),
             issued_at TEXT NOT NULL,
             not_after TEXT NOT NULL
         );
         CREATE INDEX IF NOT EXISTS device_certs_device ON device_certs (device_id);",
    ),
    // Fee payments kept with their dossier: asked for (status 6) or made.
    M::up(
        "CREATE TABLE IF NOT EXISTS dossier_payments (
             id INTEGER PRIMARY KEY,
             office TEXT NOT NULL,
             code TEXT NOT NULL,
             amount INTEGER NOT NULL CHECK (amount > 0),
             paid INTEGER NOT NULL CHECK (paid IN (0, 1)),
             method TEXT NOT NULL,
             reference TEXT,
             at TEXT NOT NULL,
             recorded_at TEXT NOT NULL
         );
         CREATE INDEX IF NOT EXISTS dossier_payments_code ON dossier_payments (office, code, id);",
    ),
    // Dossier evaluations (the national criteria, keyed by dossier code):
    // one per dossier and occasion; the portal's outbox carries them too,
    // a record naming its evaluation.
    M::up(
        "CREATE TABLE IF NOT EXISTS dossier_evaluations (
             id INTEGER PRIMARY KEY,
             office TEXT NOT NULL,
             code TEXT NOT NULL,
             occasion TEXT NOT NULL CHECK (occasion IN ('intake', 'return', 'kiosk')),
             device_id INTEGER NOT NULL,
             rated_at TEXT NOT NULL,
             answers TEXT NOT NULL,
             UNIQUE (office, code, occasion)
         );
         CREATE INDEX IF NOT EXISTS dossier_evaluations_time ON dossier_evaluations (office, rated_at);
         ALTER TABLE portal_outbox ADD COLUMN evaluation INTEGER;",
    ),
    // Scanned documents of dossiers (`crate::documents`): one row per
    // dossier and file, in the order announced; the bytes are on disk,
    // content-addressed, stored once however many dossiers name them.
    M::up(
        "CREATE TABLE IF NOT EXISTS dossier_documents (
             id INTEGER PRIMARY KEY,
             office TEXT NOT NULL,
             code TEXT NOT NULL,
             sha256 TEXT NOT NULL,
             size INTEGER NOT NULL CHECK (size > 0),
             pages INTEGER NOT NULL CHECK (pages > 0),
             item TEXT NOT NULL,
             kind TEXT NOT NULL CHECK (kind IN ('intake', 'result')),
             scanned_at TEXT NOT NULL,
             officer TEXT,
             received INTEGER NOT NULL DEFAULT 0,
             complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
             announced_at TEXT NOT NULL,
             UNIQUE (office, code, sha256)
         );
         CREATE INDEX IF NOT EXISTS dossier_documents_sha ON dossier_documents (sha256);",
    ),
];

/// The schema version this build writes: the number of migrations.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Brings `conn` to [`SCHEMA_VERSION`] in one transaction, or refuses a
/// database written by a newer motcua (which this one would misread).
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), CentralError> {
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|source| CentralError::Database {
            path: path.to_path_buf(),
            source,
        })?;
    if found > SCHEMA_VERSION as i64 {
        return Err(CentralError::NewerSchema {
            path: path.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    Migrations::from_slice(MIGRATIONS)
        .to_latest(conn)
        .map_err(|source| CentralError::Migration {
            path: path.to_path_buf(),
            found,
            source,
        })?;
    if found < SCHEMA_VERSION as i64 {
        tracing::info!(from = found, to = SCHEMA_VERSION, "central's database schema upgraded");
    }
    Ok(())
}

/// A unit of work for the writer thread.
trait Job: Send {
    /// Runs the work inside its savepoint; false rolls the savepoint back.
    fn run(&mut self, conn: &Conn) -> bool;
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
    F: FnOnce(&Conn) -> Result<T, ApiError> + Send,
{
    fn run(&mut self, conn: &Conn) -> bool {
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

/// Where central keeps its data: an office's SQLite file in its data
/// directory, or a city's PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    /// `postgres://…` (or `postgresql://…`) is PostgreSQL; anything else,
    /// or nothing, is the SQLite file in `dir`.
    pub fn of(dir: &Path, database: Option<&str>) -> Result<Self, CentralError> {
        match database.map(str::trim).filter(|d| !d.is_empty()) {
            None => Ok(Location::Sqlite(dir.join(DB_FILE))),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Location::Postgres(url.to_string()))
            }
            Some(path) if path.starts_with("sqlite:") => Ok(Location::Sqlite(PathBuf::from(&path["sqlite:".len()..]))),
            Some(other) => Err(CentralError::BadDatabase(format!(
                "`{}`: central's database is `postgres://user@host:port/name` or `sqlite:PATH` / \
                 cơ sở dữ liệu phải là `postgres://…` hoặc `sqlite:ĐƯỜNG_DẪN`",
                crate::pg::redact(other)
            ))),
        }
    }

    /// The database of the data directory `dir`: `database` when given,
    /// else the one the directory names in [`URL_FILE`] (central was
    /// started on PostgreSQL; a command run on the same directory finds
    /// it), else the SQLite file in it.
    pub fn for_dir(dir: &Path, database: Option<&str>) -> Result<Self, CentralError> {
        if database.is_some_and(|d| !d.trim().is_empty()) {
            return Self::of(dir, database);
        }
        let named = dir.join(URL_FILE);
        match std::fs::read_to_string(&named) {
            Ok(url) => Self::of(dir, Some(url.trim())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match crate::pg::test_server() {
                // The test suites' run on PostgreSQL: every new data
                // directory gets a database of its own.
                Some(server) if !dir.join(DB_FILE).exists() => {
                    let url = crate::pg::fresh_database(&server).map_err(CentralError::BadDatabase)?;
                    let location = Location::Postgres(url);
                    location.remember(dir)?;
                    Ok(location)
                }
                _ => Self::of(dir, None),
            },
            Err(source) => Err(CentralError::Io { path: named, source }),
        }
    }

    /// Names this database in the data directory `dir` for the commands
    /// run on it (owner only: the URL may hold a password); SQLite in the
    /// directory itself needs no name, and a stale one is removed.
    pub fn remember(&self, dir: &Path) -> Result<(), CentralError> {
        let named = dir.join(URL_FILE);
        let io = |source| CentralError::Io {
            path: named.clone(),
            source,
        };
        match self {
            Location::Postgres(url) => {
                std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700)
                    .create(dir)
                    .map_err(io)?;
                let mut f = std::os::unix::fs::OpenOptionsExt::mode(
                    std::fs::OpenOptions::new().write(true).create(true).truncate(true),
                    0o600,
                )
                .open(&named)
                .map_err(io)?;
                std::io::Write::write_all(&mut f, format!("{url}\n").as_bytes()).map_err(io)
            }
            Location::Sqlite(path) if *path == dir.join(DB_FILE) => match std::fs::remove_file(&named) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
                _ => Ok(()),
            },
            Location::Sqlite(_) => Ok(()),
        }
    }

    /// As it may be shown and logged: a PostgreSQL password left out.
    pub fn shown(&self) -> String {
        match self {
            Location::Sqlite(p) => p.display().to_string(),
            Location::Postgres(url) => crate::pg::redact(url),
        }
    }
}

/// The storage of one central server.
#[derive(Clone)]
pub struct Db {
    backend: Backend,
    /// Jobs, written or read, that panicked.
    panics: Arc<AtomicU64>,
}

#[derive(Clone)]
enum Backend {
    Lite(Lite),
    Pg(crate::pg::PgDb),
}

#[derive(Clone)]
struct Lite {
    jobs: mpsc::Sender<Box<dyn Job>>,
    readers: Arc<Mutex<Vec<Connection>>>,
    path: PathBuf,
    cache_kib: u32,
}

fn open_connection(path: &Path, cache_kib: u32) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open(path)?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    conn.execute_batch(&format!(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -{cache_kib};"
    ))?;
    Ok(conn)
}

/// Makes `dir` (owner only) and a private `path` in it, the database
/// holding credential hashes and the offices' portal passwords.
fn private_file(dir: &Path, path: &Path) -> Result<(), CentralError> {
    std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700)
        .create(dir)
        .map_err(|source| CentralError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    // A database (or data directory) left readable by others, by an
    // older version or a copy made by hand, is made private first.
    let private = |p: &Path| {
        crate::secrets::tighten(p).map_err(|e| CentralError::Io {
            path: p.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })
    };
    private(dir)?;
    // A new database is created private (SQLite gives its -wal and
    // -shm files the database file's permissions).
    if !path.exists() {
        std::os::unix::fs::OpenOptionsExt::mode(std::fs::OpenOptions::new().write(true), 0o600)
            .create_new(true)
            .open(path)
            .map_err(|source| CentralError::Io {
                path: path.to_path_buf(),
                source,
            })?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for suffix in ["", "-wal", "-shm"] {
        private(&path.with_file_name(format!("{name}{suffix}")))?;
    }
    Ok(())
}

impl Db {
    /// Opens (creating) `dir/central.db` and starts the writer thread.
    /// Each connection keeps up to `cache_kib` KiB of pages in memory.
    pub fn open(dir: &Path, cache_kib: u32) -> Result<Self, CentralError> {
        Self::open_at(&Location::Sqlite(dir.join(DB_FILE)), cache_kib, crate::pg::POOL_SIZE)
    }

    /// Opens the database at `location`, bringing its schema up to date:
    /// SQLite with its writer thread, or PostgreSQL with a pool of
    /// `pool` connections.
    pub fn open_at(location: &Location, cache_kib: u32, pool: usize) -> Result<Self, CentralError> {
        let panics = Arc::new(AtomicU64::new(0));
        let backend = match location {
            Location::Postgres(url) => Backend::Pg(crate::pg::PgDb::open(url, pool)?),
            Location::Sqlite(path) => {
                let dir = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                private_file(dir, path)?;
                let mut writer = open_connection(path, cache_kib).map_err(|source| CentralError::Database {
                    path: path.clone(),
                    source,
                })?;
                migrate(&mut writer, path)?;
                let (jobs, rx) = mpsc::channel::<Box<dyn Job>>();
                let counted = panics.clone();
                std::thread::Builder::new()
                    .name("central-writer".into())
                    .spawn(move || writer_loop(writer, rx, &counted))
                    .map_err(CentralError::Thread)?;
                Backend::Lite(Lite {
                    jobs,
                    readers: Arc::new(Mutex::new(Vec::new())),
                    path: path.clone(),
                    cache_kib,
                })
            }
        };
        Ok(Self { backend, panics })
    }

    /// How many jobs panicked since the database was opened.
    pub fn panics(&self) -> u64 {
        self.panics.load(Ordering::Relaxed)
    }

    /// The SQLite file; a PostgreSQL database has none.
    pub fn path(&self) -> &Path {
        match &self.backend {
            Backend::Lite(l) => &l.path,
            Backend::Pg(_) => Path::new(""),
        }
    }

    /// The PostgreSQL database, when central uses one.
    pub fn postgres(&self) -> Option<&crate::pg::PgDb> {
        match &self.backend {
            Backend::Pg(pg) => Some(pg),
            Backend::Lite(_) => None,
        }
    }

    /// Runs `work` in the next committed batch and answers after the commit.
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Conn) -> Result<T, ApiError> + Send + 'static,
    {
        let lite = match &self.backend {
            Backend::Lite(l) => l,
            Backend::Pg(pg) => return pg.write(work, self.panics.clone()).await,
        };
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Typed {
            work: Some(work),
            result: None,
            reply,
        });
        lite.jobs
            .send(job)
            .map_err(|_| ApiError::unavailable("the database writer has stopped"))?;
        answer
            .await
            .map_err(|_| ApiError::unavailable("the database writer has stopped"))?
    }

    /// Runs `work` on a read connection on this thread: for start-up,
    /// before any request is served (never from an async task).
    pub fn read_blocking<T: Send>(
        &self,
        work: impl FnOnce(&Conn) -> Result<T, ApiError> + Send,
    ) -> Result<T, ApiError> {
        let lite = match &self.backend {
            Backend::Lite(l) => l,
            Backend::Pg(pg) => return pg.read_blocking(work),
        };
        let pooled = lite.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match pooled {
            Some(c) => c,
            None => open_connection(&lite.path, lite.cache_kib).map_err(ApiError::from)?,
        };
        let result = work(&Conn::lite(&conn));
        lite.readers.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
        result
    }

    /// Runs `work` on a read connection, off the async threads.
    pub async fn read<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Conn) -> Result<T, ApiError> + Send + 'static,
    {
        let lite = match &self.backend {
            Backend::Lite(l) => l.clone(),
            Backend::Pg(pg) => return pg.read(work, self.panics.clone()).await,
        };
        let panics = self.panics.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = lite.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let conn = match pooled {
                Some(c) => c,
                None => open_connection(&lite.path, lite.cache_kib).map_err(ApiError::from)?,
            };
            let result = work(&Conn::lite(&conn));
            lite.readers.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
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
    let shared = Conn::lite(&conn);
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
            let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.run(&shared))).unwrap_or_else(|_| {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Central's schema exactly as the code before migrations wrote it.
    const UNVERSIONED: &str = include_str!("../../../tests/fixtures/central-schema-unversioned.sql");

    fn version(c: &Connection) -> i64 {
        c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
    }

    fn has_index(c: &Connection, name: &str) -> bool {
        c.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    }

    /// A database written by the code before migrations, with rows in it.
    fn old_database(dir: &Path, schema: &str) {
        let c = Connection::open(dir.join(DB_FILE)).unwrap();
        c.execute_batch(schema).unwrap();
        c.execute_batch(
            "INSERT INTO offices (code, name) VALUES ('X', 'Phường X');
             INSERT INTO devices (office, role, name, slot, credential_hash, created_at)
                 VALUES ('X', 'kiosk', 'Kiosk 1', 1, 'h', '2026-11-27T01:00:00Z');
             INSERT INTO tickets (office, day, grp, queue_grp, number, lane, issued_at, issued_ms, device_id)
                 VALUES ('X', '2026-11-27', 'A', 'A', 1, 'normal', '2026-11-27T01:00:00Z', 0, 1);
             INSERT INTO ratings (office, device_id, answer, rated_at)
                 VALUES ('X', 1, 'satisfied', '2026-11-27T02:00:00Z');",
        )
        .unwrap();
    }

    #[test]
    fn a_database_made_before_migrations_is_upgraded_in_place_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        old_database(dir.path(), UNVERSIONED);
        {
            let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
            assert_eq!(version(&c), 1, "the old code recorded version 1");
            assert!(!has_index(&c, "ratings_office_time"));
        }
        let db = Db::open(dir.path(), 1024).unwrap();
        let c = Connection::open(db.path()).unwrap();
        assert_eq!(version(&c), SCHEMA_VERSION as i64);
        const { assert!(SCHEMA_VERSION >= 3) };
        assert!(has_index(&c, "ratings_office_time"), "the later migrations ran");
        let count = |table: &str| -> i64 {
            c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(
            (count("offices"), count("devices"), count("tickets"), count("ratings")),
            (1, 1, 1, 1)
        );
        // The triggers of the old schema still keep the queue counts.
        let waiting: i64 = c
            .query_row("SELECT waiting FROM queue_counts WHERE office = 'X'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(waiting, 1);
        drop((c, db));
        // Opening again changes nothing.
        let db = Db::open(dir.path(), 1024).unwrap();
        let c = Connection::open(db.path()).unwrap();
        assert_eq!(version(&c), SCHEMA_VERSION as i64);
    }

    #[test]
    fn keys_from_before_retirement_are_retired_as_the_rules_would_have() {
        let dir = tempfile::tempdir().unwrap();
        old_database(dir.path(), UNVERSIONED);
        Connection::open(dir.path().join(DB_FILE))
            .unwrap()
            .execute_batch(
                "INSERT INTO devices (id, office, role, name, slot, credential_hash, created_at)
                     VALUES (2, 'X', 'counter', 'Quầy 1', 2, 'h2', '2026-11-27T01:00:00Z'),
                            (3, 'X', 'counter', 'Quầy 2', 3, NULL, '2026-11-27T01:00:00Z');
                 UPDATE devices SET revoked_at = '2026-11-29T00:00:00Z' WHERE id = 3;
                 INSERT INTO office_keys (office, key_id, device_id, public_key, created_at) VALUES
                     ('X', 1, 2, 'a', '2026-11-27T01:00:00Z'),
                     ('X', 2, 3, 'b', '2026-11-27T02:00:00Z'),
                     ('X', 3, 2, 'c', '2026-11-28T01:00:00Z'),
                     ('X', 4, 2, 'd', '2026-11-28T05:00:00Z');",
            )
            .unwrap();
        let db = Db::open(dir.path(), 1024).unwrap();
        let c = Connection::open(db.path()).unwrap();
        let retired: Vec<(i64, Option<String>)> = c
            .prepare("SELECT key_id, retired_at FROM office_keys ORDER BY key_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let at = |s: &str| Some(s.to_string());
        assert_eq!(
            retired,
            vec![
                (1, at("2026-11-28T01:00:00Z")),
                (2, at("2026-11-29T00:00:00Z")),
                (3, at("2026-11-28T05:00:00Z")),
                (4, None),
            ]
        );
        // From now on a counter has one key in use at most.
        let second = c.execute(
            "INSERT INTO office_keys (office, key_id, device_id, public_key, created_at) VALUES ('X', 5, 2, 'e', 'now')",
            [],
        );
        assert!(second.is_err());
    }

    #[test]
    fn a_database_from_before_the_portal_gets_the_portal_tables() {
        let dir = tempfile::tempdir().unwrap();
        let before_portal = UNVERSIONED
            .split("CREATE TABLE IF NOT EXISTS portal_settings")
            .next()
            .unwrap();
        old_database(dir.path(), before_portal);
        let db = Db::open(dir.path(), 1024).unwrap();
        let c = Connection::open(db.path()).unwrap();
        let outbox: i64 = c
            .query_row("SELECT count(*) FROM portal_outbox", [], |r| r.get(0))
            .unwrap();
        assert_eq!(outbox, 0);
        assert_eq!(version(&c), SCHEMA_VERSION as i64);
    }

    #[test]
    fn a_database_from_before_dossier_evaluations_keeps_its_portal_records() {
        let dir = tempfile::tempdir().unwrap();
        old_database(dir.path(), UNVERSIONED);
        Connection::open(dir.path().join(DB_FILE))
            .unwrap()
            .execute_batch(
                "INSERT INTO portal_outbox (office, code, status, at) VALUES ('X', 'X-261127-0001', 2, 'now');",
            )
            .unwrap();
        let db = Db::open(dir.path(), 1024).unwrap();
        let c = Connection::open(db.path()).unwrap();
        let (records, evaluations): (i64, i64) = c
            .query_row(
                "SELECT (SELECT count(*) FROM portal_outbox WHERE evaluation IS NULL),
                        (SELECT count(*) FROM dossier_evaluations)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((records, evaluations), (1, 0));
    }

    #[test]
    fn a_new_database_gets_every_migration() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path(), 1024).unwrap();
        let c = Connection::open(db.path()).unwrap();
        assert_eq!(version(&c), SCHEMA_VERSION as i64);
        assert!(has_index(&c, "ratings_office_time"));
        Migrations::from_slice(MIGRATIONS).validate().unwrap();
    }

    #[test]
    fn a_database_from_a_newer_motcua_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        old_database(dir.path(), UNVERSIONED);
        let newer = SCHEMA_VERSION as i64 + 5;
        Connection::open(dir.path().join(DB_FILE))
            .unwrap()
            .execute_batch(&format!("PRAGMA user_version = {newer}"))
            .unwrap();
        let e = Db::open(dir.path(), 1024).err().expect("refused").to_string();
        assert!(e.contains(&format!("schema version {newer}")), "{e}");
        assert!(e.contains("newer motcua") && e.contains("mới hơn"), "{e}");
        let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
        assert_eq!(version(&c), newer, "not touched");
        assert!(!has_index(&c, "ratings_office_time"));
    }
}
