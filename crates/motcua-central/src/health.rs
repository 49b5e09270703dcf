//! How central's database is, for `motcua doctor` on a central machine:
//! whether it answers, whether its schema is this build's, and on
//! PostgreSQL how far replication lags where the server says. Read only:
//! nothing here creates, migrates or writes a database.

use std::path::Path;
use std::time::Duration;

use crate::db::Location;

/// Replication lag above this is a warning: a standby that far behind
/// loses that much of the office's work if it takes over.
pub const MAX_LAG: Duration = Duration::from_secs(30);

/// How long the doctor waits for PostgreSQL.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What the doctor learns of central's database.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseHealth {
    /// The database, as it may be shown (no password).
    pub shown: String,
    /// It answered; or why not.
    pub reachable: Result<(), String>,
    /// The schema version found (none: not created yet), and this build's.
    pub schema: Option<i64>,
    pub known: usize,
    /// Replication as the server reports it.
    pub replication: Replication,
}

/// Replication, where PostgreSQL reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum Replication {
    /// SQLite, or a PostgreSQL with no replica.
    None,
    /// A primary: each replica's name and its replay lag (none while the
    /// server has not measured it).
    Primary(Vec<(String, Option<Duration>)>),
    /// A standby: how long ago the last transaction it replayed was
    /// committed on the primary (none before it replayed any).
    Standby(Option<Duration>),
}

impl DatabaseHealth {
    /// The largest lag reported.
    pub fn lag(&self) -> Option<Duration> {
        match &self.replication {
            Replication::None => None,
            Replication::Primary(replicas) => replicas.iter().filter_map(|(_, l)| *l).max(),
            Replication::Standby(lag) => *lag,
        }
    }
}

/// Looks at the database at `location` without changing it.
pub fn health(location: &Location) -> DatabaseHealth {
    let known = match location {
        Location::Sqlite(_) => crate::db::SCHEMA_VERSION,
        Location::Postgres(_) => crate::pg::SCHEMA_VERSION,
    };
    let mut h = DatabaseHealth {
        shown: location.shown(),
        reachable: Ok(()),
        schema: None,
        known,
        replication: Replication::None,
    };
    match location {
        Location::Sqlite(path) => match sqlite_version(path) {
            Ok(v) => h.schema = v,
            Err(e) => h.reachable = Err(e),
        },
        Location::Postgres(url) => match postgres(url) {
            Ok((schema, replication)) => {
                h.schema = schema;
                h.replication = replication;
            }
            Err(e) => h.reachable = Err(e),
        },
    }
    h
}

/// The SQLite file's schema version; none if it is not there yet.
fn sqlite_version(path: &Path) -> Result<Option<i64>, String> {
    if !path.exists() {
        return Ok(None);
    }
    use crate::transfer::{TransferError, open_sqlite_read_only};
    match open_sqlite_read_only(path) {
        Ok((conn, version)) => {
            let check: String = conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            if check != "ok" {
                return Err(format!("{}: {check}", path.display()));
            }
            Ok(Some(version))
        }
        // Newer than this build: a database that answers, whose version
        // the doctor judges.
        Err(TransferError::NewerSchema { found, .. }) => Ok(Some(found)),
        Err(e) => Err(e.to_string()),
    }
}

/// PostgreSQL's schema version and replication, on a connection of its
/// own (the pool would migrate the schema).
fn postgres(url: &str) -> Result<(Option<i64>, Replication), String> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e: tokio_postgres::Error| format!("not a PostgreSQL address: {e}"))?;
    config.connect_timeout(CONNECT_TIMEOUT);
    let seconds = |v: Option<f64>| v.map(|s| Duration::from_secs_f64(s.max(0.0)));
    on_client(&config, |client| async move {
        let table: Option<String> = client
            .query_one("SELECT CAST(to_regclass('motcua_schema') AS TEXT)", &[])
            .await?
            .get(0);
        let schema = match table {
            Some(_) => client
                .query_opt("SELECT version FROM motcua_schema", &[])
                .await?
                .map(|r| r.get::<_, i64>(0)),
            None => None,
        };
        let standby: bool = client.query_one("SELECT pg_is_in_recovery()", &[]).await?.get(0);
        let replication = if standby {
            let lag: Option<f64> = client
                .query_one(
                    "SELECT CAST(extract(epoch FROM now() - pg_last_xact_replay_timestamp()) AS float8)",
                    &[],
                )
                .await?
                .get(0);
            Replication::Standby(seconds(lag))
        } else {
            let rows = client
                .query(
                    "SELECT coalesce(application_name, ''), CAST(extract(epoch FROM replay_lag) AS float8)
                     FROM pg_stat_replication ORDER BY 1",
                    &[],
                )
                .await?;
            if rows.is_empty() {
                Replication::None
            } else {
                Replication::Primary(rows.iter().map(|r| (r.get(0), seconds(r.get(1)))).collect())
            }
        };
        Ok((schema, replication))
    })
}

/// Whether PostgreSQL at `url` answers: why not, said plainly (the
/// pool's own error leaves the reason out).
pub(crate) fn reach(url: &str) -> Result<(), String> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e: tokio_postgres::Error| format!("not a PostgreSQL address: {e}"))?;
    config.connect_timeout(CONNECT_TIMEOUT);
    on_client(&config, |client| async move { client.batch_execute("SELECT 1").await })
}

/// Runs `f` with a client connected by `config`, on a runtime of its own
/// on a thread of its own (the caller may be on an async thread or not).
pub(crate) fn on_client<T, F, Fut>(config: &tokio_postgres::Config, f: F) -> Result<T, String>
where
    T: Send,
    F: FnOnce(tokio_postgres::Client) -> Fut + Send,
    Fut: std::future::Future<Output = Result<T, tokio_postgres::Error>>,
{
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| e.to_string())?;
                rt.block_on(async {
                    let (client, connection) = config.connect(tokio_postgres::NoTls).await.map_err(describe)?;
                    let driver = tokio::spawn(connection);
                    let answer = f(client).await.map_err(describe);
                    driver.abort();
                    answer
                })
            })
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

/// A PostgreSQL error as said to the operator: the server's message, or
/// the connection's.
fn describe(e: tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => {
            // "error connecting to server", and why (refused, timed out…).
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text.push_str(&format!(": {s}"));
                source = s.source();
            }
            text
        }
    }
}
