//! One way to speak SQL to either of central's databases: an office's
//! SQLite file or a city's PostgreSQL.
//!
//! The repository ([`crate::repo`]) is written once against [`Conn`],
//! which looks like rusqlite's connection (`execute`, `query_row`,
//! `prepare_cached` … `query_map`, [`params!`], [`OptionalExtension`]) and
//! runs each statement on whichever backend the server was started with.
//! Statements are written in the SQL both understand (`?1` parameters are
//! rewritten to `$1` for PostgreSQL, `RETURNING`, `ON CONFLICT`,
//! `FILTER`); SQLite's JSON functions central uses are defined in
//! PostgreSQL's schema (`pg/0001-schema.sql`), so no statement is written
//! twice.
//!
//! Values cross as [`Value`]s, converted to the type the server asks for
//! (PostgreSQL is strict: a `BIGINT` column wants an `int8`), and rows come
//! back as owned [`Row`]s, so a statement's answer is read the same way
//! from both.
//!
//! On PostgreSQL a statement is sent by the async client
//! (`tokio-postgres`) and waited for on the calling thread, which is one
//! of the blocking threads the database layer ([`crate::db`]) runs the
//! repository on: the repository stays plain functions, and the async
//! threads never wait on the database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use postgres_types::{IsNull, Kind, Type};

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// Why a statement failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// `query_row` found no row.
    #[error("the query returned no rows")]
    NoRows,
    /// A unique, primary key, check or foreign key constraint refused
    /// the write.
    #[error("constraint: {0}")]
    Constraint(String),
    /// The database is busy (SQLite's lock) or the transaction lost a
    /// race it may retry (PostgreSQL's deadlock or serialization failure).
    #[error("busy: {0}")]
    Busy(String),
    /// The database cannot be reached (PostgreSQL's connection or pool).
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// A column's value is not of the type asked for.
    #[error("column {index}: {message}")]
    Conversion { index: usize, message: String },
    #[error("{0}")]
    Other(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `query_row(…).optional()`: no row is `None`, as with rusqlite.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match &e {
            rusqlite::Error::QueryReturnedNoRows => Error::NoRows,
            _ => match e.sqlite_error_code() {
                Some(C::ConstraintViolation) => Error::Constraint(e.to_string()),
                Some(C::DatabaseBusy | C::DatabaseLocked) => Error::Busy(e.to_string()),
                _ => Error::Other(e.to_string()),
            },
        }
    }
}

impl From<tokio_postgres::Error> for Error {
    fn from(e: tokio_postgres::Error) -> Self {
        use tokio_postgres::error::SqlState;
        let text = match e.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => e.to_string(),
        };
        match e.code() {
            Some(c) if c.code().starts_with("23") => Error::Constraint(text),
            Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE => {
                Error::Busy(text)
            }
            Some(c) if c.code().starts_with("08") || c.code().starts_with("57P") => Error::Unreachable(text),
            Some(_) => Error::Other(text),
            None if e.is_closed() || e.as_db_error().is_none() => Error::Unreachable(text),
            None => Error::Other(text),
        }
    }
}

/// A value a statement is given.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_to_value!(i64, i32, i16, i8, u32, u16, u8, usize, u64);

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}
impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

/// A statement's parameters: `[a, b]`, `params![a, b, c]` or `()`.
pub trait Params {
    fn values(self) -> Vec<Value>;
}

impl<T: ToValue, const N: usize> Params for [T; N] {
    fn values(self) -> Vec<Value> {
        self.iter().map(ToValue::to_value).collect()
    }
}
impl Params for &[&dyn ToValue] {
    fn values(self) -> Vec<Value> {
        self.iter().map(|v| v.to_value()).collect()
    }
}
impl Params for () {
    fn values(self) -> Vec<Value> {
        Vec::new()
    }
}
impl Params for Vec<Value> {
    fn values(self) -> Vec<Value> {
        self
    }
}

/// Parameters of different types: `params![office, id, at.to_string()]`.
#[macro_export]
macro_rules! params {
    () => { () };
    ($($x:expr),+ $(,)?) => {
        &[$(&$x as &dyn $crate::sql::ToValue),+] as &[&dyn $crate::sql::ToValue]
    };
}
pub use crate::params;

/// A value read from a column.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> std::result::Result<Self, String>;
}

macro_rules! int_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: &Value) -> std::result::Result<Self, String> {
                match v {
                    Value::Int(i) => <$t>::try_from(*i).map_err(|_| format!("{i} is out of range")),
                    Value::Real(f) if f.fract() == 0.0 => <$t>::try_from(*f as i64).map_err(|_| format!("{f} is out of range")),
                    other => Err(format!("{other:?} is not an integer")),
                }
            }
        }
    )*};
}
int_from_value!(i64, i32, i16, u32, u16, u8, usize, u64);

impl FromValue for bool {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        i64::from_value(v).map(|i| i != 0)
    }
}
impl FromValue for f64 {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(*i as f64),
            Value::Real(f) => Ok(*f),
            other => Err(format!("{other:?} is not a number")),
        }
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            other => Err(format!("{other:?} is not text")),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b.clone()),
            Value::Text(s) => Ok(s.as_bytes().to_vec()),
            other => Err(format!("{other:?} is not bytes")),
        }
    }
}
impl FromValue for Value {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        Ok(v.clone())
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// A column's place in a row.
pub trait RowIndex {
    fn index(self) -> usize;
}

impl RowIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// One row of an answer.
#[derive(Debug, Clone, Default)]
pub struct Row {
    values: Vec<Value>,
}

impl Row {
    /// The column at `index`, as `T`. (The first type parameter is there
    /// so code written as `get::<_, T>(i)` reads as it did with rusqlite.)
    pub fn get<I: RowIndex, T: FromValue>(&self, index: I) -> Result<T> {
        let index = index.index();
        let v = self.values.get(index).ok_or_else(|| Error::Conversion {
            index,
            message: "no such column".into(),
        })?;
        T::from_value(v).map_err(|message| Error::Conversion { index, message })
    }

    /// The text at `index`, when it is text.
    pub fn text(&self, index: usize) -> Option<&str> {
        match self.values.get(index) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }
}

/// A PostgreSQL connection taken from the pool, and the runtime its I/O
/// runs on.
pub struct PgSession {
    pub(crate) client: deadpool_postgres::Object,
    pub(crate) rt: tokio::runtime::Handle,
}

impl PgSession {
    pub(crate) fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    fn statement(&self, sql: &str) -> Result<tokio_postgres::Statement> {
        let translated = translate(sql);
        Ok(self.block_on(self.client.prepare_cached(&translated))?)
    }

    fn rows(&self, sql: &str, params: Vec<Value>) -> Result<Vec<Row>> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn postgres_types::ToSql + Sync)> = params
            .iter()
            .map(|v| v as &(dyn postgres_types::ToSql + Sync))
            .collect();
        let rows = self.block_on(self.client.query(&stmt, &refs))?;
        rows.iter().map(pg_row).collect()
    }

    fn execute(&self, sql: &str, params: Vec<Value>) -> Result<usize> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn postgres_types::ToSql + Sync)> = params
            .iter()
            .map(|v| v as &(dyn postgres_types::ToSql + Sync))
            .collect();
        Ok(self.block_on(self.client.execute(&stmt, &refs))? as usize)
    }

    /// Runs statements with no parameters and no answer (migrations,
    /// transaction control).
    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.block_on(self.client.batch_execute(sql))?)
    }
}

/// A connection to central's database, SQLite or PostgreSQL, inside the
/// transaction (or read) the database layer opened.
pub struct Conn<'a> {
    inner: Inner<'a>,
}

enum Inner<'a> {
    Lite(&'a rusqlite::Connection),
    Owned(rusqlite::Connection),
    Pg(&'a PgSession),
}

impl<'a> Conn<'a> {
    pub fn lite(conn: &'a rusqlite::Connection) -> Self {
        Self {
            inner: Inner::Lite(conn),
        }
    }

    /// A SQLite file opened on its own, outside the database layer (tests,
    /// tools).
    pub fn open_sqlite(path: impl AsRef<std::path::Path>) -> Result<Conn<'static>> {
        Ok(Conn {
            inner: Inner::Owned(rusqlite::Connection::open(path)?),
        })
    }

    /// A SQLite database in memory (tests).
    pub fn open_in_memory() -> Result<Conn<'static>> {
        Ok(Conn {
            inner: Inner::Owned(rusqlite::Connection::open_in_memory()?),
        })
    }

    pub(crate) fn pg(session: &'a PgSession) -> Self {
        Self {
            inner: Inner::Pg(session),
        }
    }

    /// The rusqlite connection, for SQLite-only work (migrations, backup).
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.inner {
            Inner::Lite(c) => Some(c),
            Inner::Owned(c) => Some(c),
            Inner::Pg(_) => None,
        }
    }

    /// Makes every other writer of `scope` (an office) wait until this
    /// transaction ends, across central processes: the queue's rules read
    /// and then write, as SQLite's single writer lets them. Nothing to do
    /// on SQLite, where there is one writer.
    pub fn lock(&self, scope: &str) -> Result<()> {
        match &self.inner {
            Inner::Lite(_) | Inner::Owned(_) => Ok(()),
            Inner::Pg(s) => {
                s.rows(
                    "SELECT pg_advisory_xact_lock(hashtextextended(?1, 17))",
                    vec![Value::Text(scope.to_string())],
                )?;
                Ok(())
            }
        }
    }

    /// Runs statements with no parameters and no answer.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.inner {
            Inner::Pg(s) => s.batch(sql),
            _ => Ok(self.as_sqlite().expect("a SQLite connection").execute_batch(sql)?),
        }
    }

    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        match &self.inner {
            Inner::Pg(s) => s.execute(sql, params.values()),
            _ => {
                let c = self.as_sqlite().expect("a SQLite connection");
                let mut stmt = c.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(lite_params(params.values())))?)
            }
        }
    }

    /// The rows of a statement, all read.
    pub fn rows<P: Params>(&self, sql: &str, params: P) -> Result<Vec<Row>> {
        match &self.inner {
            Inner::Pg(s) => s.rows(sql, params.values()),
            _ => {
                let c = self.as_sqlite().expect("a SQLite connection");
                let mut stmt = c.prepare_cached(sql)?;
                let columns = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(lite_params(params.values())))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(lite_row(r, columns)?);
                }
                Ok(out)
            }
        }
    }

    pub fn query_row<T, P: Params, F: FnOnce(&Row) -> Result<T>>(&self, sql: &str, params: P, f: F) -> Result<T> {
        let rows = self.rows(sql, params)?;
        f(rows.first().ok_or(Error::NoRows)?)
    }

    /// A statement to run once or more (its plan is cached on both
    /// backends).
    pub fn prepare_cached<'c>(&'c self, sql: &str) -> Result<Statement<'c, 'a>> {
        Ok(Statement {
            conn: self,
            sql: sql.to_string(),
        })
    }

    pub fn prepare<'c>(&'c self, sql: &str) -> Result<Statement<'c, 'a>> {
        self.prepare_cached(sql)
    }
}

/// A statement of a [`Conn`].
pub struct Statement<'c, 'a> {
    conn: &'c Conn<'a>,
    sql: String,
}

impl Statement<'_, '_> {
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        self.conn.execute(&self.sql, params)
    }

    pub fn query_row<T, P: Params, F: FnOnce(&Row) -> Result<T>>(&mut self, params: P, f: F) -> Result<T> {
        self.conn.query_row(&self.sql, params, f)
    }

    pub fn query_map<T, P: Params, F: FnMut(&Row) -> Result<T>>(
        &mut self,
        params: P,
        mut f: F,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let rows = self.conn.rows(&self.sql, params)?;
        Ok(rows.iter().map(&mut f).collect::<Vec<_>>().into_iter())
    }

    /// Every row, to walk with `next()`.
    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows> {
        Ok(Rows {
            rows: self.conn.rows(&self.sql, params)?.into_iter(),
            current: None,
        })
    }
}

/// The rows of [`Statement::query`], read one by one as with rusqlite.
pub struct Rows {
    rows: std::vec::IntoIter<Row>,
    current: Option<Row>,
}

impl Rows {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<&Row>> {
        self.current = self.rows.next();
        Ok(self.current.as_ref())
    }
}

fn lite_params(values: Vec<Value>) -> impl Iterator<Item = rusqlite::types::Value> {
    values.into_iter().map(|v| match v {
        Value::Null => rusqlite::types::Value::Null,
        Value::Int(i) => rusqlite::types::Value::Integer(i),
        Value::Real(f) => rusqlite::types::Value::Real(f),
        Value::Text(s) => rusqlite::types::Value::Text(s),
        Value::Blob(b) => rusqlite::types::Value::Blob(b),
    })
}

fn lite_row(r: &rusqlite::Row, columns: usize) -> Result<Row> {
    use rusqlite::types::ValueRef;
    let mut values = Vec::with_capacity(columns);
    for i in 0..columns {
        values.push(match r.get_ref(i)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(n) => Value::Int(n),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        });
    }
    Ok(Row { values })
}

/// `?1` to `$1`, outside quotes; remembered per statement text.
pub fn translate(sql: &str) -> Arc<str> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<str>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(t) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(sql) {
        return t.clone();
    }
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted && chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            _ => out.push(c),
        }
    }
    let t: Arc<str> = out.into();
    cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(sql.to_string(), t.clone());
    t
}

/// A value given to PostgreSQL as the type the server expects for that
/// parameter.
impl postgres_types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres_types::private::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let wrong =
            || -> Box<dyn std::error::Error + Sync + Send> { format!("{self:?} cannot be sent as {ty}").into() };
        let int = || -> std::result::Result<i64, Box<dyn std::error::Error + Sync + Send>> {
            match self {
                Value::Int(i) => Ok(*i),
                Value::Real(f) => Ok(*f as i64),
                Value::Text(s) => s.trim().parse().map_err(|_| wrong()),
                _ => Err(wrong()),
            }
        };
        if *self == Value::Null {
            return Ok(IsNull::Yes);
        }
        match *ty {
            Type::INT8 => int()?.to_sql(ty, out),
            Type::INT4 => i32::try_from(int()?).map_err(|_| wrong())?.to_sql(ty, out),
            Type::INT2 => i16::try_from(int()?).map_err(|_| wrong())?.to_sql(ty, out),
            Type::BOOL => (int()? != 0).to_sql(ty, out),
            Type::FLOAT8 | Type::FLOAT4 => {
                let f = match self {
                    Value::Int(i) => *i as f64,
                    Value::Real(f) => *f,
                    Value::Text(s) => s.trim().parse().map_err(|_| wrong())?,
                    _ => return Err(wrong()),
                };
                if *ty == Type::FLOAT4 {
                    (f as f32).to_sql(ty, out)
                } else {
                    f.to_sql(ty, out)
                }
            }
            Type::BYTEA => match self {
                Value::Blob(b) => b.to_sql(ty, out),
                Value::Text(s) => s.as_bytes().to_sql(ty, out),
                _ => Err(wrong()),
            },
            Type::JSONB => {
                out.extend_from_slice(&[1]);
                out.extend_from_slice(self.as_text().as_bytes());
                Ok(IsNull::No)
            }
            _ => {
                out.extend_from_slice(self.as_text().as_bytes());
                Ok(IsNull::No)
            }
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres_types::to_sql_checked!();
}

impl Value {
    fn as_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Int(i) => i.to_string(),
            Value::Real(f) => f.to_string(),
            Value::Text(s) => s.clone(),
            Value::Blob(b) => String::from_utf8_lossy(b).into_owned(),
        }
    }
}

/// One column of a PostgreSQL row, read as a [`Value`] whatever its type.
struct Cell(Value);

impl<'a> postgres_types::FromSql<'a> for Cell {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let text = |b: &[u8]| -> std::result::Result<Value, Box<dyn std::error::Error + Sync + Send>> {
            Ok(Value::Text(std::str::from_utf8(b)?.to_string()))
        };
        let v = match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::OID => Value::Int(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::NUMERIC => numeric(raw)?,
            Type::BYTEA => Value::Blob(raw.to_vec()),
            Type::JSONB => text(raw.get(1..).unwrap_or_default())?,
            // `void` (what a function called for its effect answers).
            _ if matches!(ty.kind(), Kind::Pseudo) => Value::Null,
            _ if matches!(ty.kind(), Kind::Simple | Kind::Enum(_) | Kind::Domain(_)) => text(raw)?,
            _ => return Err(format!("cannot read a column of type {ty}").into()),
        };
        Ok(Cell(v))
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Cell(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// PostgreSQL's binary `numeric` (what `sum` and `avg` of integers
/// answer): a whole number as [`Value::Int`], any other as
/// [`Value::Real`].
fn numeric(raw: &[u8]) -> std::result::Result<Value, Box<dyn std::error::Error + Sync + Send>> {
    let word = |i: usize| -> std::result::Result<i16, Box<dyn std::error::Error + Sync + Send>> {
        let b = raw.get(i * 2..i * 2 + 2).ok_or("a short numeric")?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    };
    let digits = word(0)? as u16 as usize;
    let weight = i32::from(word(1)?);
    let sign = word(2)? as u16;
    let scale = word(3)? as u16;
    if sign == 0xC000 {
        return Ok(Value::Real(f64::NAN));
    }
    let mut whole: i128 = 0;
    let mut value = 0f64;
    let mut exact = true;
    for i in 0..digits {
        let d = i32::from(word(4 + i)?);
        let power = weight - i as i32;
        value += f64::from(d) * 10_000f64.powi(power);
        if power >= 0 {
            whole = whole
                .checked_mul(10_000)
                .and_then(|w| w.checked_add(d.into()))
                .unwrap_or_else(|| {
                    exact = false;
                    0
                });
        } else if d != 0 {
            exact = false;
        }
    }
    // Trailing zero groups are left out of the digits.
    let last_power = weight - digits as i32 + 1;
    if exact && last_power > 0 {
        for _ in 0..last_power {
            whole = whole.checked_mul(10_000).unwrap_or_else(|| {
                exact = false;
                0
            });
        }
    }
    let negative = sign == 0x4000;
    if exact
        && scale == 0
        && let Ok(i) = i64::try_from(whole)
    {
        return Ok(Value::Int(if negative { -i } else { i }));
    }
    Ok(Value::Real(if negative { -value } else { value }))
}

fn pg_row(r: &tokio_postgres::Row) -> Result<Row> {
    let mut values = Vec::with_capacity(r.len());
    for i in 0..r.len() {
        let cell: Cell = r.try_get(i).map_err(|e| Error::Conversion {
            index: i,
            message: e.to_string(),
        })?;
        values.push(cell.0);
    }
    Ok(Row { values })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_become_dollars_outside_quotes() {
        assert_eq!(
            &*translate("SELECT '?1', x FROM t WHERE a = ?1 AND b = ?12 AND c = '?'"),
            "SELECT '?1', x FROM t WHERE a = $1 AND b = $12 AND c = '?'"
        );
    }

    #[test]
    fn numerics_read_as_whole_numbers_or_reals() {
        let enc = |words: &[i16]| words.iter().flat_map(|w| w.to_be_bytes()).collect::<Vec<u8>>();
        // 0
        assert_eq!(numeric(&enc(&[0, 0, 0, 0])).unwrap(), Value::Int(0));
        // 12345 = 1|2345, weight 1
        assert_eq!(numeric(&enc(&[2, 1, 0, 0, 1, 2345])).unwrap(), Value::Int(12345));
        // 20000 = 2 with weight 1 (the trailing zero group left out)
        assert_eq!(numeric(&enc(&[1, 1, 0, 0, 2])).unwrap(), Value::Int(20000));
        // -7
        assert_eq!(numeric(&enc(&[1, 0, 0x4000, 0, 7])).unwrap(), Value::Int(-7));
        // 2.5 = 2 . 5000, scale 1
        assert_eq!(numeric(&enc(&[2, 0, 0, 1, 2, 5000])).unwrap(), Value::Real(2.5));
    }

    #[test]
    fn sqlite_rows_read_as_values() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let conn = Conn::lite(&c);
        conn.execute("CREATE TABLE t (a INTEGER, b TEXT, c REAL)", ()).unwrap();
        conn.execute("INSERT INTO t VALUES (?1, ?2, ?3)", params![7u32, "x", 1.5])
            .unwrap();
        let (a, b, c): (u32, String, f64) = conn
            .query_row("SELECT a, b, c FROM t", (), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap();
        assert_eq!((a, b.as_str(), c), (7, "x", 1.5));
        let none = conn.query_row("SELECT a FROM t WHERE a = 8", (), |r| r.get::<_, i64>(0));
        assert!(matches!(none.optional(), Ok(None)));
        let wrong = conn.query_row("SELECT b FROM t", (), |r| r.get::<_, i64>(0));
        assert!(matches!(wrong, Err(Error::Conversion { index: 0, .. })), "{wrong:?}");
        let dup = conn
            .execute("CREATE UNIQUE INDEX u ON t (a)", ())
            .and_then(|_| conn.execute("INSERT INTO t (a) VALUES (7)", ()));
        assert!(matches!(dup, Err(Error::Constraint(_))), "{dup:?}");
    }
}
