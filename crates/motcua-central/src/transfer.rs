//! Moving an office's central from its SQLite file to a city's PostgreSQL
//! (`motcua central migrate --from sqlite:PATH --to postgres://…`).
//!
//! The office may go on working while it is copied: the SQLite file is
//! opened read-only and read inside one read transaction, which WAL keeps
//! a consistent snapshot of however central writes meanwhile. What the
//! office writes after that snapshot stays in the SQLite file: the move
//! is done with central stopped, or the copy is taken again then.
//!
//! The target is an empty database the operator created; its schema is
//! made by PostgreSQL's migrations ([`PgDb::open`]). Every table is copied
//! in foreign-key order, ids kept, in batches inside one transaction, with
//! the tables' own triggers off (the copied `queue_counts` is what they
//! would have kept). Each identity column's sequence is then moved past
//! the highest id, so new rows do not collide with copied ones, and the
//! office numbering (`sequences`) is copied as is.
//!
//! Before the transaction commits the copy is checked: the row counts of
//! both sides, each identity's next value above its highest id, and each
//! day's `sequences.last` equal to the highest number central gave a
//! ticket of that (office, day, group). A mismatch rolls everything back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::error::ApiError;
use crate::pg::PgDb;
use crate::sql::{Conn, Value};

/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Rows in one INSERT at most; fewer when a table has many columns
/// (PostgreSQL takes at most 65535 parameters in a statement).
const BATCH_ROWS: usize = 500;

/// Why an office could not be moved, backed up or restored.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("{}: no such file / không có tệp này", .0.display())]
    Missing(PathBuf),
    #[error("{}: not a SQLite database / không phải cơ sở dữ liệu SQLite", .0.display())]
    NotSqlite(PathBuf),
    #[error(
        "{}: schema version {found}, older than this motcua's ({known}): start this motcua's central on it once \
         (it upgrades the schema), then try again / cơ sở dữ liệu ở phiên bản {found}, cũ hơn bản motcua này \
         ({known}): hãy chạy central của bản này trên nó một lần rồi thử lại",
        path.display()
    )]
    OlderSchema { path: PathBuf, found: i64, known: usize },
    #[error(
        "{}: schema version {found}, newer than this motcua knows ({known}): use the newer motcua / \
         cơ sở dữ liệu ở phiên bản {found}, mới hơn bản motcua này ({known}): hãy dùng bản motcua mới hơn",
        path.display()
    )]
    NewerSchema { path: PathBuf, found: i64, known: usize },
    #[error("{}: {source}", path.display())]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// PostgreSQL could not be reached or refused a statement (the URL
    /// without its password).
    #[error("{url}: {message} / không làm được trên PostgreSQL")]
    Postgres { url: String, message: String },
    #[error(
        "{url}: the target database is not empty (table {table}); use a new, empty database / cơ sở dữ liệu \
         đích không trống (bảng {table}): hãy dùng một cơ sở dữ liệu mới, trống"
    )]
    TargetNotEmpty { url: String, table: String },
    #[error(
        "{url}: table {table} has no column {column} there: is it this motcua's schema? / bảng {table} \
         không có cột {column} ở đích"
    )]
    Schema { url: String, table: String, column: String },
    #[error(
        "{}: already exists; pass --force to replace it / đã có tệp này: thêm --force để thay thế",
        .0.display()
    )]
    Exists(PathBuf),
    #[error(
        "{}: central has this database open; stop it first / central đang mở cơ sở dữ liệu này: hãy dừng central trước",
        .0.display()
    )]
    InUse(PathBuf),
    /// pg_dump or pg_restore failed, or was not found.
    #[error("{program}: {message} / {program} không chạy được")]
    Tool { program: String, message: String },
}

impl From<TransferError> for String {
    fn from(e: TransferError) -> String {
        e.to_string()
    }
}

/// One table's rows on each side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: String,
    pub source: i64,
    pub target: i64,
}

/// An identity column's highest id and the value its sequence gives next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub table: String,
    pub column: String,
    pub highest: Option<i64>,
    pub next: i64,
}

impl Identity {
    pub fn ok(&self) -> bool {
        self.next > self.highest.unwrap_or(0)
    }
}

/// What a move copied and what the checks found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The SQLite file.
    pub source: PathBuf,
    /// The PostgreSQL database, without its password.
    pub target: String,
    pub tables: Vec<TableCount>,
    pub identities: Vec<Identity>,
    /// (office, day, group)s with tickets central numbered.
    pub numbered_days: usize,
    /// Those whose `sequences.last` is not the highest ticket number, as
    /// "office day group: last L, highest ticket N".
    pub numbering: Vec<String>,
    /// The copy was committed (every check passed).
    pub committed: bool,
}

impl Report {
    /// Every check passed.
    pub fn ok(&self) -> bool {
        self.failures().is_empty()
    }

    /// What did not match, each naming its table.
    pub fn failures(&self) -> Vec<String> {
        let mut out = Vec::new();
        for t in self.tables.iter().filter(|t| t.source != t.target) {
            out.push(format!(
                "table {}: {} row(s) in SQLite, {} in PostgreSQL",
                t.table, t.source, t.target
            ));
        }
        for i in self.identities.iter().filter(|i| !i.ok()) {
            out.push(format!(
                "table {}: the next {} would be {}, not above the highest, {}",
                i.table,
                i.column,
                i.next,
                i.highest.unwrap_or(0)
            ));
        }
        for n in &self.numbering {
            out.push(format!("table sequences: {n}"));
        }
        out
    }

    /// The table of counts and checks, as printed.
    pub fn to_text(&self) -> String {
        let mark = |ok: bool| if ok { "ok" } else { "MISMATCH" };
        let width = self.tables.iter().map(|t| t.table.len()).max().unwrap_or(5).max(5);
        let mut out = format!("{} -> {}\n", self.source.display(), self.target);
        out.push_str(&format!("{:width$}  {:>10}  {:>10}\n", "table", "sqlite", "postgres"));
        for t in &self.tables {
            out.push_str(&format!(
                "{:width$}  {:>10}  {:>10}  {}\n",
                t.table,
                t.source,
                t.target,
                mark(t.source == t.target)
            ));
        }
        for i in &self.identities {
            out.push_str(&format!(
                "identity {}.{}: highest {}, next {}  {}\n",
                i.table,
                i.column,
                i.highest.map_or("none".to_string(), |h| h.to_string()),
                i.next,
                mark(i.ok())
            ));
        }
        out.push_str(&format!(
            "numbering: {} (office, day, group) with tickets, sequences.last = highest ticket  {}\n",
            self.numbered_days,
            mark(self.numbering.is_empty())
        ));
        for f in &self.numbering {
            out.push_str(&format!("  {f}\n"));
        }
        out
    }
}

/// Opens an office's SQLite database read-only, after checking it is one:
/// the file is there, starts as SQLite's files do, and its schema version
/// is one this motcua knows. Answers the connection and the version.
pub fn open_sqlite_read_only(path: &Path) -> Result<(Connection, i64), TransferError> {
    let mut header = [0u8; 16];
    match std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(TransferError::Missing(path.into())),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Err(TransferError::NotSqlite(path.into())),
        Err(source) => {
            return Err(TransferError::Io {
                path: path.into(),
                source,
            });
        }
        Ok(()) if &header != SQLITE_HEADER => return Err(TransferError::NotSqlite(path.into())),
        Ok(()) => {}
    }
    let fail = |source| TransferError::Sqlite {
        path: path.into(),
        source,
    };
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(fail)?;
    conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(fail)?;
    let version: i64 =
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => TransferError::NotSqlite(path.into()),
                _ => fail(e),
            })?;
    if version > crate::db::SCHEMA_VERSION as i64 {
        return Err(TransferError::NewerSchema {
            path: path.into(),
            found: version,
            known: crate::db::SCHEMA_VERSION,
        });
    }
    Ok((conn, version))
}

/// Copies the office database at `source` (SQLite) into the empty
/// PostgreSQL database at `target`, then checks the copy; the report says
/// what was copied and whether it matched (a mismatch is rolled back).
pub fn migrate(source: &Path, target: &str) -> Result<Report, TransferError> {
    let (lite, version) = open_sqlite_read_only(source)?;
    if version < crate::db::SCHEMA_VERSION as i64 {
        return Err(TransferError::OlderSchema {
            path: source.into(),
            found: version,
            known: crate::db::SCHEMA_VERSION,
        });
    }
    let (pg, url) = open_target(target)?;
    let mut failure = None;
    let mut report = Report {
        source: source.into(),
        target: url.clone(),
        ..Report::default()
    };
    // A connection is not shared between threads, but may move to one.
    let slot = &mut Some(lite);
    let copied = pg.transaction_blocking(|c| {
        let lite = slot.take().expect("run once");
        let copy = || -> Result<Report, TransferError> {
            // The snapshot: every read below sees the file as it was at
            // the first one.
            lite.execute_batch("BEGIN").map_err(|e| sqlite(source, e))?;
            let tables = tables_in_order(&lite).map_err(|e| sqlite(source, e))?;
            let pg_fail = |e: crate::sql::Error| TransferError::Postgres {
                url: url.clone(),
                message: e.to_string(),
            };
            for table in &tables {
                let there: bool = c
                    .query_row(&format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"), (), |r| r.get(0))
                    .map_err(pg_fail)?;
                if there {
                    return Err(TransferError::TargetNotEmpty {
                        url: url.clone(),
                        table: table.clone(),
                    });
                }
            }
            for table in &tables {
                c.execute_batch(&format!("ALTER TABLE \"{table}\" DISABLE TRIGGER USER"))
                    .map_err(pg_fail)?;
                copy_table(&lite, c, table).map_err(|e| e.named(source, &url, table))?;
                c.execute_batch(&format!("ALTER TABLE \"{table}\" ENABLE TRIGGER USER"))
                    .map_err(pg_fail)?;
            }
            for (table, column) in identities(c).map_err(pg_fail)? {
                c.rows(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence(?1, ?2), coalesce(max(\"{column}\"), 0) + 1, false) FROM \"{table}\""
                    ),
                    [table.as_str(), column.as_str()],
                )
                .map_err(pg_fail)?;
            }
            let checked = compare(&lite, c, &tables).map_err(|e| e.named(source, &url, ""))?;
            let _ = lite.execute_batch("COMMIT");
            Ok(checked)
        };
        match copy() {
            Ok(checked) => {
                let matches = checked.ok();
                report.tables = checked.tables;
                report.identities = checked.identities;
                report.numbered_days = checked.numbered_days;
                report.numbering = checked.numbering;
                if matches {
                    Ok(())
                } else {
                    Err(ApiError::conflict("the copy does not match; rolled back"))
                }
            }
            Err(e) => {
                failure = Some(e);
                Err(ApiError::internal("the copy failed; rolled back"))
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    match copied {
        Ok(()) => report.committed = true,
        Err(_) if !report.tables.is_empty() => report.committed = false,
        Err(e) => {
            return Err(TransferError::Postgres {
                url,
                message: e.message,
            });
        }
    }
    Ok(report)
}

/// The PostgreSQL database at `target`, reached and brought to this
/// build's schema, with its address as it may be shown.
fn open_target(target: &str) -> Result<(PgDb, String), TransferError> {
    let url = crate::pg::redact(target);
    crate::health::reach(target).map_err(|message| TransferError::Postgres {
        url: url.clone(),
        message,
    })?;
    let pg = PgDb::open(target, 2).map_err(|e| TransferError::Postgres {
        url: url.clone(),
        message: strip_url(&e.to_string(), &url),
    })?;
    Ok((pg, url))
}

/// Compares an office's SQLite file with the PostgreSQL database it was
/// moved to, without changing either: the checks `migrate` makes.
pub fn verify(source: &Path, target: &str) -> Result<Report, TransferError> {
    let (lite, _) = open_sqlite_read_only(source)?;
    let (pg, url) = open_target(target)?;
    let mut failure = None;
    let slot = &mut Some(lite);
    let checked = pg.transaction_blocking(|c| {
        let lite = slot.take().expect("run once");
        let run = || -> Result<Report, TransferError> {
            lite.execute_batch("BEGIN").map_err(|e| sqlite(source, e))?;
            let tables = tables_in_order(&lite).map_err(|e| sqlite(source, e))?;
            let report = compare(&lite, c, &tables).map_err(|e| e.named(source, &url, ""))?;
            let _ = lite.execute_batch("COMMIT");
            Ok(report)
        };
        run().map_err(|e| {
            failure = Some(e);
            ApiError::internal("the check failed")
        })
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let mut report = checked.map_err(|e| TransferError::Postgres {
        url: url.clone(),
        message: e.message,
    })?;
    report.source = source.into();
    report.target = url;
    report.committed = true;
    Ok(report)
}

fn sqlite(path: &Path, source: rusqlite::Error) -> TransferError {
    TransferError::Sqlite {
        path: path.into(),
        source,
    }
}

/// An error's text without the URL `PgDb::open` puts before it (the
/// caller names the database itself).
fn strip_url(message: &str, url: &str) -> String {
    message
        .strip_prefix(url)
        .map(|m| m.trim_start_matches(": ").to_string())
        .unwrap_or_else(|| message.to_string())
}

/// Why one table's copy or check failed.
enum Copy {
    Lite(rusqlite::Error),
    Pg(crate::sql::Error),
    /// A column the target's table lacks.
    Schema(String),
}

impl Copy {
    /// As the command tells it: which file or database, and which table.
    fn named(self, source: &Path, url: &str, table: &str) -> TransferError {
        match self {
            Copy::Lite(e) => sqlite(source, e),
            Copy::Pg(e) => TransferError::Postgres {
                url: url.to_string(),
                message: e.to_string(),
            },
            Copy::Schema(column) => TransferError::Schema {
                url: url.to_string(),
                table: table.to_string(),
                column,
            },
        }
    }
}

impl From<rusqlite::Error> for Copy {
    fn from(e: rusqlite::Error) -> Self {
        Copy::Lite(e)
    }
}

impl From<crate::sql::Error> for Copy {
    fn from(e: crate::sql::Error) -> Self {
        Copy::Pg(e)
    }
}

/// The office database's tables, each after the tables its foreign keys
/// name (then by name).
fn tables_in_order(lite: &Connection) -> Result<Vec<String>, rusqlite::Error> {
    let names: Vec<String> = lite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut needs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in &names {
        let parents: BTreeSet<String> = lite
            .prepare("SELECT \"table\" FROM pragma_foreign_key_list(?1)")?
            .query_map([name], |r| r.get::<_, String>(0))?
            .collect::<Result<BTreeSet<_>, _>>()?
            .into_iter()
            .filter(|p| p != name && names.contains(p))
            .collect();
        needs.insert(name.clone(), parents);
    }
    let mut order = Vec::with_capacity(names.len());
    while !needs.is_empty() {
        let ready: Vec<String> = needs
            .iter()
            .filter(|(_, parents)| parents.iter().all(|p| order.contains(p)))
            .map(|(n, _)| n.clone())
            .collect();
        // A cycle of foreign keys (none in central's schema): the rest in
        // name order, for the database to judge.
        let ready = if ready.is_empty() {
            needs.keys().cloned().collect()
        } else {
            ready
        };
        for n in ready {
            needs.remove(&n);
            order.push(n);
        }
    }
    Ok(order)
}

/// A table's columns in SQLite, in order, and its primary key's.
fn columns(lite: &Connection, table: &str) -> Result<(Vec<String>, Vec<String>), rusqlite::Error> {
    let rows: Vec<(String, i64)> = lite
        .prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut key: Vec<(i64, String)> = rows
        .iter()
        .filter(|(_, pk)| *pk > 0)
        .map(|(n, pk)| (*pk, n.clone()))
        .collect();
    key.sort();
    Ok((
        rows.into_iter().map(|(n, _)| n).collect(),
        key.into_iter().map(|(_, n)| n).collect(),
    ))
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

/// Copies one table, in batches, in primary key order (a device names
/// the one it replaces, which came before it).
fn copy_table(lite: &Connection, c: &Conn, table: &str) -> Result<(), Copy> {
    let (cols, key) = columns(lite, table)?;
    let there: BTreeSet<String> = c
        .rows(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?1",
            [table],
        )?
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect::<Result<_, _>>()?;
    if let Some(missing) = cols.iter().find(|c| !there.contains(*c)) {
        return Err(Copy::Schema(missing.clone()));
    }
    let order = if key.is_empty() {
        String::new()
    } else {
        format!(" ORDER BY {}", quoted(&key))
    };
    let mut read = lite.prepare(&format!("SELECT {} FROM \"{table}\"{order}", quoted(&cols)))?;
    let mut rows = read.query([])?;
    let per_batch = BATCH_ROWS.min(60_000 / cols.len().max(1)).max(1);
    let mut batch: Vec<Value> = Vec::with_capacity(per_batch * cols.len());
    let mut in_batch = 0;
    while let Some(r) = rows.next()? {
        for i in 0..cols.len() {
            batch.push(lite_value(r.get_ref(i)?));
        }
        in_batch += 1;
        if in_batch == per_batch {
            insert(c, table, &cols, in_batch, std::mem::take(&mut batch))?;
            in_batch = 0;
        }
    }
    if in_batch > 0 {
        insert(c, table, &cols, in_batch, batch)?;
    }
    Ok(())
}

fn lite_value(v: rusqlite::types::ValueRef) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::Int(n),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// One multi-row INSERT of `rows` rows.
fn insert(c: &Conn, table: &str, cols: &[String], rows: usize, values: Vec<Value>) -> Result<(), Copy> {
    let mut sql = format!("INSERT INTO \"{table}\" ({}) VALUES ", quoted(cols));
    let mut n = 0;
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for col in 0..cols.len() {
            if col > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push_str(&format!("${n}"));
        }
        sql.push(')');
    }
    c.execute(&sql, values)?;
    Ok(())
}

/// The target's identity columns, as (table, column).
fn identities(c: &Conn) -> Result<Vec<(String, String)>, crate::sql::Error> {
    c.rows(
        "SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name, column_name",
        (),
    )?
    .iter()
    .map(|r| Ok((r.get(0)?, r.get(1)?)))
    .collect()
}

/// The checks: counts of every table on both sides, identities past
/// their highest id, and the office numbering past every ticket.
fn compare(lite: &Connection, c: &Conn, tables: &[String]) -> Result<Report, Copy> {
    let mut report = Report::default();
    for table in tables {
        let source: i64 = lite.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| r.get(0))?;
        let target: i64 = c.query_row(&format!("SELECT count(*) FROM \"{table}\""), (), |r| r.get(0))?;
        report.tables.push(TableCount {
            table: table.clone(),
            source,
            target,
        });
    }
    for (table, column) in identities(c)? {
        let highest: Option<i64> =
            c.query_row(&format!("SELECT max(\"{column}\") FROM \"{table}\""), (), |r| r.get(0))?;
        let sequence: String = c.query_row("SELECT pg_get_serial_sequence(?1, ?2)", [&table, &column], |r| r.get(0))?;
        let (last, called): (i64, bool) =
            c.query_row(&format!("SELECT last_value, is_called FROM {sequence}"), (), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        report.identities.push(Identity {
            table,
            column,
            highest,
            next: if called { last + 1 } else { last },
        });
    }
    let days = c.rows(
        "SELECT t.office, t.day, t.grp, max(t.number), max(s.last)
         FROM tickets t LEFT JOIN sequences s ON s.office = t.office AND s.day = t.day AND s.grp = t.grp
         WHERE t.slot = 0 GROUP BY t.office, t.day, t.grp ORDER BY t.office, t.day, t.grp",
        (),
    )?;
    report.numbered_days = days.len();
    for d in &days {
        let (office, day, group): (String, String, String) = (d.get(0)?, d.get(1)?, d.get(2)?);
        let (highest, last): (i64, Option<i64>) = (d.get(3)?, d.get(4)?);
        if last != Some(highest) {
            report.numbering.push(format!(
                "{office} {day} {group}: last {}, highest ticket {highest}",
                last.map_or("none".to_string(), |l| l.to_string())
            ));
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_come_after_the_tables_they_name() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(dir.path(), 1024).unwrap();
        let c = Connection::open(db.path()).unwrap();
        let order = tables_in_order(&c).unwrap();
        let at = |t: &str| {
            order
                .iter()
                .position(|n| n == t)
                .unwrap_or_else(|| panic!("{t}: {order:?}"))
        };
        assert!(at("offices") < at("devices"));
        assert!(at("offices") < at("enrollments"));
        assert!(at("devices") < at("device_certs"));
        assert_eq!(order.len(), order.iter().collect::<BTreeSet<_>>().len());
    }

    #[test]
    fn a_file_that_is_not_sqlite_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.db");
        let e = open_sqlite_read_only(&missing).err().unwrap();
        assert!(matches!(e, TransferError::Missing(_)), "{e}");
        assert!(e.to_string().contains("no such file") && e.to_string().contains("không có tệp"));
        for bytes in [&b"a shopping list, not a database"[..], b"", b"SQLite"] {
            let list = dir.path().join("list.db");
            std::fs::write(&list, bytes).unwrap();
            let e = open_sqlite_read_only(&list).err().unwrap();
            assert!(matches!(e, TransferError::NotSqlite(_)), "{bytes:?}: {e}");
        }
        let newer = dir.path().join("newer.db");
        Connection::open(&newer)
            .unwrap()
            .execute_batch("PRAGMA user_version = 999")
            .unwrap();
        let e = open_sqlite_read_only(&newer).err().unwrap();
        assert!(matches!(e, TransferError::NewerSchema { found: 999, .. }), "{e}");
    }
}
