//! Backups of central's database and their restore (`motcua central
//! backup --to FILE`, `motcua central restore --from FILE`).
//!
//! - SQLite: SQLite's online backup from the live database, taken in one
//!   step inside one read transaction (WAL lets central write meanwhile),
//!   into a new file of the owner's only, which stands alone (no WAL).
//!   Restore checks the file is a SQLite database of a schema this motcua
//!   knows and sound, refuses while a process has the target open, and
//!   replaces an existing database only when told to.
//! - PostgreSQL: `pg_dump --format=custom` and `pg_restore` into an empty
//!   database. The password never goes on their command line (where
//!   other users could read it): they get it in `PGPASSWORD`.
//!
//! The backup is written beside its final name and renamed into place
//! when complete, so a backup file is never half written.

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::Connection;

use crate::db::Location;
use crate::transfer::{TransferError, open_sqlite_read_only};

/// What a backup or restore wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The backup file, or the database restored, as it may be shown.
    pub written: String,
    /// Its size in bytes (of the backup file).
    pub bytes: u64,
    /// The schema version, where read.
    pub schema: Option<i64>,
    /// Rows per table (SQLite).
    pub tables: Vec<(String, i64)>,
}

/// Backs up the database at `location` into the new file `to`.
/// `pg_dump` is the program to use for PostgreSQL (else the one on PATH).
pub fn backup(location: &Location, to: &Path, pg_dump: Option<&Path>) -> Result<Outcome, TransferError> {
    if to.exists() {
        return Err(TransferError::Exists(to.into()));
    }
    let temp = temp_beside(to)?;
    match location {
        Location::Sqlite(path) => {
            let (source, version) = open_sqlite_read_only(path)?;
            let fail = |source| TransferError::Sqlite {
                path: to.into(),
                source,
            };
            {
                let mut copy = Connection::open(temp.path()).map_err(fail)?;
                copy_all(&source, &mut copy).map_err(|e| TransferError::Sqlite {
                    path: path.clone(),
                    source: e,
                })?;
                copy.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
                    .map_err(fail)?;
            }
            place(temp, to)?;
            let (tables, _) = counts(to)?;
            Ok(Outcome {
                written: to.display().to_string(),
                bytes: size(to)?,
                schema: Some(version),
                tables,
            })
        }
        Location::Postgres(url) => {
            let program = pg_dump.unwrap_or(Path::new("pg_dump"));
            let (dsn, password) = without_password(url)?;
            run(
                program,
                &[
                    "--format=custom".into(),
                    format!("--file={}", temp.path().display()),
                    format!("--dbname={dsn}"),
                ],
                password.as_deref(),
            )?;
            place(temp, to)?;
            Ok(Outcome {
                written: to.display().to_string(),
                bytes: size(to)?,
                schema: None,
                tables: Vec::new(),
            })
        }
    }
}

/// Restores the backup `from` as the database at `location`: a SQLite
/// backup over the data directory's file (an existing one only if
/// `force`), or a pg_dump archive into an empty PostgreSQL database.
pub fn restore(
    location: &Location,
    from: &Path,
    force: bool,
    pg_restore: Option<&Path>,
) -> Result<Outcome, TransferError> {
    match location {
        Location::Sqlite(path) => restore_sqlite(path, from, force),
        Location::Postgres(url) => {
            if !from.exists() {
                return Err(TransferError::Missing(from.into()));
            }
            let shown = crate::pg::redact(url);
            let config: tokio_postgres::Config =
                url.parse()
                    .map_err(|e: tokio_postgres::Error| TransferError::Postgres {
                        url: shown.clone(),
                        message: format!("not a PostgreSQL address: {e}"),
                    })?;
            let table = crate::health::on_client(&config, |client| async move {
                Ok(client
                    .query_opt(
                        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1 LIMIT 1",
                        &[],
                    )
                    .await?
                    .map(|r| r.get::<_, String>(0)))
            })
            .map_err(|message| TransferError::Postgres {
                url: shown.clone(),
                message,
            })?;
            if let Some(table) = table {
                return Err(TransferError::TargetNotEmpty { url: shown, table });
            }
            let program = pg_restore.unwrap_or(Path::new("pg_restore"));
            let (dsn, password) = without_password(url)?;
            run(
                program,
                &[
                    "--no-owner".into(),
                    "--no-privileges".into(),
                    "--exit-on-error".into(),
                    "--single-transaction".into(),
                    format!("--dbname={dsn}"),
                    from.display().to_string(),
                ],
                password.as_deref(),
            )?;
            // What central will find: the schema, brought up to date if
            // the backup is older, refused if newer.
            let pg = crate::pg::PgDb::open(url, 1).map_err(|e| TransferError::Postgres {
                url: shown.clone(),
                message: e.to_string(),
            })?;
            let schema = pg.schema_version().ok();
            Ok(Outcome {
                written: shown,
                bytes: size(from)?,
                schema,
                tables: Vec::new(),
            })
        }
    }
}

fn restore_sqlite(path: &Path, from: &Path, force: bool) -> Result<Outcome, TransferError> {
    let (source, version) = open_sqlite_read_only(from)?;
    let check: String =
        source
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| TransferError::Sqlite {
                path: from.into(),
                source: e,
            })?;
    if check != "ok" {
        return Err(TransferError::Sqlite {
            path: from.into(),
            source: rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                Some(check),
            ),
        });
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700)
        .create(dir)
        .map_err(|source| TransferError::Io {
            path: dir.into(),
            source,
        })?;
    if in_use(path) {
        return Err(TransferError::InUse(path.into()));
    }
    let wal = sidecar(path, "-wal");
    if (path.exists() || wal.exists()) && !force {
        return Err(TransferError::Exists(path.into()));
    }
    let temp = temp_beside(path)?;
    {
        let mut copy = Connection::open(temp.path()).map_err(|e| TransferError::Sqlite {
            path: path.into(),
            source: e,
        })?;
        copy_all(&source, &mut copy).map_err(|e| TransferError::Sqlite {
            path: from.into(),
            source: e,
        })?;
    }
    // The replaced database's journal would be read into the restored
    // one: it goes first.
    for suffix in ["-wal", "-shm", "-journal"] {
        let p = sidecar(path, suffix);
        match std::fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(TransferError::Io { path: p, source: e }),
            _ => {}
        }
    }
    temp.persist(path).map_err(|e| TransferError::Io {
        path: path.into(),
        source: e.error,
    })?;
    let (tables, _) = counts(path)?;
    Ok(Outcome {
        written: path.display().to_string(),
        bytes: size(path)?,
        schema: Some(version),
        tables,
    })
}

/// SQLite's online backup of `from` into `to`, every page in one step:
/// one read transaction, so one consistent state of a database others
/// go on writing (WAL lets them). A step that finds the database locked
/// is tried again.
fn copy_all(from: &Connection, to: &mut Connection) -> Result<(), rusqlite::Error> {
    use rusqlite::backup::{Backup, StepResult};
    let backup = Backup::new(from, to)?;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            _ => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

/// Rows per table of a SQLite database, and its schema version.
pub fn counts(path: &Path) -> Result<(Vec<(String, i64)>, i64), TransferError> {
    let (c, version) = open_sqlite_read_only(path)?;
    let fail = |source| TransferError::Sqlite {
        path: path.into(),
        source,
    };
    let names: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(fail)?;
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        let rows: i64 = c
            .query_row(&format!("SELECT count(*) FROM \"{n}\""), [], |r| r.get(0))
            .map_err(fail)?;
        out.push((n, rows));
    }
    Ok((out, version))
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether another process has the SQLite database at `path` open: in WAL
/// mode every connection holds a shared lock on the dead-man byte of the
/// `-shm` file (byte 128, after SQLite's eight lock bytes from 120) for
/// as long as it is open. Asked with F_GETLK, which takes no lock.
fn in_use(path: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let Ok(shm) = std::fs::File::open(sidecar(path, "-shm")) else {
        return false;
    };
    // SAFETY: a zeroed flock is a valid value of the C struct.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as _;
    lock.l_whence = libc::SEEK_SET as _;
    lock.l_start = 128;
    lock.l_len = 1;
    // SAFETY: the descriptor is open for the call, `lock` is a valid flock.
    let rc = unsafe { libc::fcntl(shm.as_raw_fd(), libc::F_GETLK, &mut lock) };
    rc == 0 && i32::from(lock.l_type) != libc::F_UNLCK
}

/// A new file beside `path` (owner only), to be renamed to it.
fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile, TransferError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    tempfile::Builder::new()
        .prefix(".motcua-backup-")
        .tempfile_in(dir)
        .map_err(|source| TransferError::Io {
            path: path.into(),
            source,
        })
}

/// Renames the complete backup into place; a file that appeared there
/// meanwhile is kept.
fn place(temp: tempfile::NamedTempFile, to: &Path) -> Result<(), TransferError> {
    temp.as_file().sync_all().map_err(|source| TransferError::Io {
        path: to.into(),
        source,
    })?;
    temp.persist_noclobber(to).map_err(|e| TransferError::Io {
        path: to.into(),
        source: e.error,
    })?;
    Ok(())
}

fn size(path: &Path) -> Result<u64, TransferError> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|source| TransferError::Io {
            path: path.into(),
            source,
        })
}

/// `url` without its password, and the password: the password goes to
/// pg_dump and pg_restore in their environment, not on the command line.
pub fn without_password(url: &str) -> Result<(String, Option<String>), TransferError> {
    let config: tokio_postgres::Config = url
        .parse()
        .map_err(|e: tokio_postgres::Error| TransferError::Postgres {
            url: crate::pg::redact(url),
            message: format!("not a PostgreSQL address: {e}"),
        })?;
    let password = config.get_password().map(|p| String::from_utf8_lossy(p).into_owned());
    let Some((scheme, rest)) = url.split_once("://") else {
        return Ok((url.to_string(), password));
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split(':').next().unwrap_or("")),
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query.split('&').filter(|p| !p.starts_with("password=")).collect();
            if kept.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
        None => tail.to_string(),
    };
    Ok((format!("{scheme}://{authority}{tail}"), password))
}

/// Runs pg_dump or pg_restore; its error output is the message when it
/// fails.
fn run(program: &Path, args: &[String], password: Option<&str>) -> Result<(), TransferError> {
    let name = program.display().to_string();
    let mut command = Command::new(program);
    command.args(args).env_remove("PGPASSWORD");
    if let Some(p) = password {
        command.env("PGPASSWORD", p);
    }
    let out = command.output().map_err(|e| TransferError::Tool {
        program: name.clone(),
        message: if e.kind() == std::io::ErrorKind::NotFound {
            "not found: install PostgreSQL's client programs (postgresql-client), of the server's version, \
             or name one with --pg-dump / --pg-restore"
                .to_string()
        } else {
            e.to_string()
        },
    })?;
    if out.status.success() {
        return Ok(());
    }
    Err(TransferError::Tool {
        program: name,
        message: format!("{}: {}", out.status, String::from_utf8_lossy(&out.stderr).trim()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_address_for_the_environment() {
        let (dsn, password) = without_password("postgres://motcua:s%40cret@db.hanoi:5432/central").unwrap();
        assert_eq!(dsn, "postgres://motcua@db.hanoi:5432/central");
        assert_eq!(password.as_deref(), Some("s@cret"));
        let (dsn, password) =
            without_password("postgres://db:5432/central?user=m&password=s3cret&sslmode=disable").unwrap();
        assert_eq!(dsn, "postgres://db:5432/central?user=m&sslmode=disable");
        assert_eq!(password.as_deref(), Some("s3cret"));
        let (dsn, password) = without_password("postgres://m@db/central").unwrap();
        assert_eq!((dsn.as_str(), password), ("postgres://m@db/central", None));
    }
}
