//! Central on a city's PostgreSQL: a pool of connections (deadpool over
//! tokio-postgres) that several central processes share a database
//! through.
//!
//! - Each write is one transaction on a pooled connection. Writes that
//!   read and then write an office's queue take the office's advisory
//!   lock first ([`crate::sql::Conn::lock`]), so two processes serve one
//!   office as SQLite's single writer does; numbering is an atomic upsert
//!   and every number is unique in the schema.
//! - The schema is versioned in `motcua_schema`; the migrations run in
//!   one transaction under an advisory lock, so processes starting at
//!   once do not race.
//! - The connections' I/O runs on a small runtime of the pool's own, so a
//!   database can be opened from start-up code or from a command.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use crate::error::{ApiError, CentralError};
use crate::sql::{Conn, PgSession};

/// Connections per central process, unless told otherwise.
pub const POOL_SIZE: usize = 16;

/// PostgreSQL's migrations: the schema as it stands at SQLite's twelfth
/// step, then one step per change, on both backends at once. Append;
/// never edit one that has shipped.
const MIGRATIONS: &[&str] = &[include_str!("pg/0001-schema.sql")];

/// The schema version this build writes on PostgreSQL.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Advisory lock keys of central's (first half of the two-key form).
pub(crate) const LOCK_MIGRATE: i64 = 0x6d6f_7463_7561_0001;

/// A URL as it may be logged: its password left out.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let tail = tail
        .split('&')
        .map(|p| {
            if p.contains("password=") {
                p.split('=').next().unwrap_or("").to_string() + "=…"
            } else {
                p.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("&");
    match authority.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{host}{tail}")
        }
        None => format!("{scheme}://{authority}{tail}"),
    }
}

/// The runtime the pool's connections live on; shut down in the
/// background when the last handle goes (a runtime may not be dropped
/// where async code runs).
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// Central's PostgreSQL.
#[derive(Clone)]
pub struct PgDb {
    pool: Pool,
    rt: tokio::runtime::Handle,
    _runtime: Arc<Runtime>,
    url: Arc<str>,
    /// The URL as given, password included: for the connections made
    /// outside the pool (the event listener).
    dsn: Arc<str>,
}

impl PgDb {
    /// Connects to `url` with a pool of `size` connections and brings the
    /// schema up to date.
    pub fn open(url: &str, size: usize) -> Result<Self, CentralError> {
        let shown = redact(url);
        let fail = |message: String| CentralError::Postgres {
            url: shown.clone(),
            message,
        };
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| fail(format!("not a PostgreSQL address: {e}")))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("central-pg")
            .enable_all()
            .build()
            .map_err(CentralError::Thread)?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(size.max(1))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(10)))
            .create_timeout(Some(Duration::from_secs(5)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(|e| fail(e.to_string()))?;
        let db = Self {
            pool,
            rt: runtime.handle().clone(),
            _runtime: Arc::new(Runtime(Some(runtime))),
            url: shown.clone().into(),
            dsn: url.into(),
        };
        db.migrate().map_err(|e| match e {
            e @ CentralError::NewerPostgres { .. } => e,
            CentralError::Refused(a) => fail(a.message),
            e => e,
        })?;
        Ok(db)
    }

    /// The database's address, without its password.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn dsn(&self) -> &str {
        &self.dsn
    }

    /// A pooled connection, on this (blocking) thread.
    pub(crate) fn session(&self) -> Result<PgSession, ApiError> {
        let client = self.rt.block_on(self.pool.get()).map_err(|e| {
            tracing::error!(error = %e, "PostgreSQL cannot be reached");
            ApiError::unavailable(format!("the database cannot be reached: {e}"))
        })?;
        Ok(PgSession {
            client,
            rt: self.rt.clone(),
        })
    }

    fn migrate(&self) -> Result<(), CentralError> {
        let url = self.url.to_string();
        on_thread(|| {
            let s = self.session()?;
            s.batch("BEGIN")?;
            let result = (|| -> Result<Result<(), CentralError>, ApiError> {
                let c = Conn::pg(&s);
                c.execute("SELECT pg_advisory_xact_lock(?1)", [LOCK_MIGRATE])?;
                s.batch("CREATE TABLE IF NOT EXISTS motcua_schema (version BIGINT NOT NULL)")?;
                let found: Option<i64> = crate::sql::OptionalExtension::optional(c.query_row(
                    "SELECT version FROM motcua_schema",
                    (),
                    |r| r.get(0),
                ))?;
                let found = found.unwrap_or(0);
                if found > SCHEMA_VERSION as i64 {
                    return Ok(Err(CentralError::NewerPostgres {
                        url: url.clone(),
                        found,
                        known: SCHEMA_VERSION,
                    }));
                }
                for step in &MIGRATIONS[found as usize..] {
                    s.batch(step)?;
                }
                if found == 0 {
                    c.execute(
                        "INSERT INTO motcua_schema (version) VALUES (?1)",
                        [SCHEMA_VERSION as i64],
                    )?;
                } else {
                    c.execute("UPDATE motcua_schema SET version = ?1", [SCHEMA_VERSION as i64])?;
                }
                if found < SCHEMA_VERSION as i64 {
                    tracing::info!(
                        from = found,
                        to = SCHEMA_VERSION,
                        "central's PostgreSQL schema upgraded"
                    );
                }
                Ok(Ok(()))
            })();
            match result {
                Ok(Ok(())) => {
                    s.batch("COMMIT")?;
                    Ok(Ok(()))
                }
                other => {
                    let _ = s.batch("ROLLBACK");
                    other
                }
            }
        })
        .map_err(CentralError::Refused)?
    }

    /// The schema version the database is at, and whether it answers.
    pub fn schema_version(&self) -> Result<i64, ApiError> {
        self.read_blocking(|c| Ok(c.query_row("SELECT version FROM motcua_schema", (), |r| r.get(0))?))
    }

    /// Runs `work` in a transaction of its own and answers after the
    /// commit.
    pub(crate) async fn write<T, F>(&self, work: F, panics: Arc<AtomicU64>) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Conn) -> Result<T, ApiError> + Send + 'static,
    {
        let db = self.clone();
        blocking(panics, "write", move || in_transaction(&db.session()?, work)).await
    }

    /// Runs `work` on a pooled connection, off the async threads.
    pub(crate) async fn read<T, F>(&self, work: F, panics: Arc<AtomicU64>) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Conn) -> Result<T, ApiError> + Send + 'static,
    {
        let db = self.clone();
        blocking(panics, "read", move || {
            let s = db.session()?;
            work(&Conn::pg(&s))
        })
        .await
    }

    /// Runs `work` on a pooled connection from any thread (start-up,
    /// commands): on a thread of its own, which may wait.
    pub(crate) fn read_blocking<T: Send>(
        &self,
        work: impl FnOnce(&Conn) -> Result<T, ApiError> + Send,
    ) -> Result<T, ApiError> {
        on_thread(|| {
            let s = self.session()?;
            work(&Conn::pg(&s))
        })
    }

    /// Runs `work` in one transaction from any thread: for commands.
    pub fn transaction_blocking<T: Send>(
        &self,
        work: impl FnOnce(&Conn) -> Result<T, ApiError> + Send,
    ) -> Result<T, ApiError> {
        on_thread(|| in_transaction(&self.session()?, work))
    }

    /// The pool and the runtime its connections use, for the event
    /// listener and the portal's lock, which hold a connection of their own.
    pub(crate) fn handle(&self) -> &tokio::runtime::Handle {
        &self.rt
    }

    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }
}

/// A lock one central process holds for as long as its connection lives
/// (PostgreSQL's session advisory lock): released when dropped, and by the
/// server when the process dies, so another process takes the work over.
pub struct SessionLock {
    client: Option<deadpool_postgres::Object>,
    key: String,
    rt: tokio::runtime::Handle,
}

impl SessionLock {
    /// Whether the lock is still this process's: its connection answers.
    pub async fn held(&mut self) -> bool {
        let Some(client) = self.client.take() else {
            return false;
        };
        let (client, ok) = self
            .rt
            .spawn(async move {
                let ok = client.simple_query("SELECT 1").await.is_ok();
                (client, ok)
            })
            .await
            .unwrap_or_else(|_| unreachable!("the check does not panic"));
        if ok {
            self.client = Some(client);
        }
        ok
    }
}

impl SessionLock {
    /// Lets the lock go now, for the next taker (dropping it lets it go a
    /// moment later).
    pub async fn release(mut self) {
        if let Some(client) = self.client.take() {
            let key = std::mem::take(&mut self.key);
            let _ = self
                .rt
                .spawn(async move {
                    let _ = client
                        .execute("SELECT pg_advisory_unlock(hashtextextended($1, 17))", &[&key])
                        .await;
                })
                .await;
        }
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let key = std::mem::take(&mut self.key);
            self.rt.spawn(async move {
                let _ = client
                    .execute("SELECT pg_advisory_unlock(hashtextextended($1, 17))", &[&key])
                    .await;
            });
        }
    }
}

impl PgDb {
    /// Takes the lock named `key` if no central process holds it.
    pub async fn try_lock(&self, key: &str) -> Result<Option<SessionLock>, ApiError> {
        let (pool, owned) = (self.pool.clone(), key.to_string());
        let taken = self
            .rt
            .spawn(async move {
                let client = pool.get().await.map_err(|e| e.to_string())?;
                let row = client
                    .query_one("SELECT pg_try_advisory_lock(hashtextextended($1, 17))", &[&owned])
                    .await
                    .map_err(|e| e.to_string())?;
                Ok::<_, String>(row.get::<_, bool>(0).then_some(client))
            })
            .await
            .map_err(|e| ApiError::internal(e.to_string()))?
            .map_err(|e| ApiError::unavailable(format!("the database cannot be reached: {e}")))?;
        Ok(taken.map(|client| SessionLock {
            client: Some(client),
            key: key.to_string(),
            rt: self.rt.clone(),
        }))
    }
}

/// The PostgreSQL server the test suites run central on, when they are
/// run on PostgreSQL (`MOTCUA_TEST_BACKEND=postgres`, with the server in
/// `MOTCUA_TEST_POSTGRES`, as `scripts/with-postgres` starts it). Never
/// set on a real machine: central's database is `[central] database`.
pub fn test_server() -> Option<String> {
    if std::env::var("MOTCUA_TEST_BACKEND").ok()? != "postgres" {
        return None;
    }
    std::env::var("MOTCUA_TEST_POSTGRES").ok().filter(|s| !s.is_empty())
}

/// A new, empty database on the server `server` reaches (as a user who
/// may create databases): its URL. For tests and benches.
pub fn fresh_database(server: &str) -> Result<String, String> {
    use std::sync::atomic::AtomicUsize;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "motcua_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    on_thread(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        rt.block_on(async {
            let (client, connection) = tokio_postgres::connect(server, NoTls)
                .await
                .map_err(|e| format!("{}: {e}", redact(server)))?;
            tokio::spawn(connection);
            client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await
                .map_err(|e| format!("{}: {e}", redact(server)))
        })
    })?;
    Ok(with_database(server, &name))
}

/// `url` naming the database `name` instead of its own.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    format!("{}/{name}{query}", &base[..host_end])
}

/// Runs `work` in one transaction on `s`: committed if it answers, rolled
/// back if it fails or panics (the connection goes back to the pool clean).
fn in_transaction<T>(s: &PgSession, work: impl FnOnce(&Conn) -> Result<T, ApiError>) -> Result<T, ApiError> {
    s.batch("BEGIN")?;
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&Conn::pg(s)))) {
        Ok(Ok(value)) => {
            s.batch("COMMIT")?;
            Ok(value)
        }
        Ok(Err(e)) => {
            let _ = s.batch("ROLLBACK");
            Err(e)
        }
        Err(panic) => {
            let _ = s.batch("ROLLBACK");
            std::panic::resume_unwind(panic)
        }
    }
}

/// Runs `f` on a scoped thread of its own: waiting on the pool's runtime
/// is allowed there whatever the caller's thread is.
fn on_thread<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| scope.spawn(f).join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
}

async fn blocking<T: Send + 'static>(
    panics: Arc<AtomicU64>,
    what: &'static str,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        if e.is_panic() {
            panics.fetch_add(1, Ordering::Relaxed);
            tracing::error!(what, "a database job panicked; the server goes on");
        }
        ApiError::internal(format!("a database {what} met an unexpected error"))
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_left_out_of_the_address_shown() {
        assert_eq!(
            redact("postgres://motcua:s3cret@db.hanoi:5432/central"),
            "postgres://motcua@db.hanoi:5432/central"
        );
        assert_eq!(
            redact("postgres://db:5432/central?user=m&password=s3cret&sslmode=require"),
            "postgres://db:5432/central?user=m&password=…&sslmode=require"
        );
        assert_eq!(redact("postgresql://h/c"), "postgresql://h/c");
        assert_eq!(with_database("postgres://u@h:5/postgres", "x"), "postgres://u@h:5/x");
        assert_eq!(
            with_database("postgres://u@h:5?sslmode=disable", "x"),
            "postgres://u@h:5/x?sslmode=disable"
        );
    }
}
