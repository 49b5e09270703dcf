//! Background loops that died and were started again, kept in `meta` so the
//! tools that run in other processes (`motcua sync-status`, `motcua
//! doctor`) can show them.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, StoreError};

/// Where a loop's deaths are kept: a `meta` row keyed by this prefix and
/// the loop's name.
const LOOP_KEY: &str = "loop:";

/// A background loop that died at least once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LoopFailure {
    #[serde(skip)]
    pub name: String,
    /// How many times it died and was started again.
    pub restarts: u32,
    /// Why it last died.
    pub last_error: String,
    /// When it last died (RFC 3339).
    pub at: String,
}

impl Store {
    /// Keeps that loop `name` died for `error` and is started again.
    pub fn note_loop_failure(&mut self, name: &str, error: &str, at: Timestamp) -> Result<(), StoreError> {
        let key = format!("{LOOP_KEY}{name}");
        self.write(|tx| {
            let old: Option<String> = tx
                .query_row("SELECT value FROM meta WHERE key = ?1", [&key], |r| r.get(0))
                .optional()?;
            let restarts = old
                .and_then(|v| serde_json::from_str::<LoopFailure>(&v).ok())
                .map_or(0, |f| f.restarts);
            let value = LoopFailure {
                name: String::new(),
                restarts: restarts + 1,
                last_error: error.chars().take(500).collect(),
                at: at.to_string(),
            };
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, serde_json::to_string(&value).expect("serializes")],
            )
            .map(|_| ())
        })
    }

    /// The loops that died since this data directory was created.
    pub fn loop_failures(&self) -> Result<Vec<LoopFailure>, StoreError> {
        loop_failures(&self.conn).map_err(self.err())
    }
}

/// The loops that died, read from a database connection (read-only is
/// enough: the doctor opens it so).
pub fn loop_failures(conn: &Connection) -> rusqlite::Result<Vec<LoopFailure>> {
    let mut q = conn.prepare("SELECT key, value FROM meta WHERE key LIKE 'loop:%' ORDER BY key")?;
    let rows = q.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (key, value) = row?;
        if let Ok(mut f) = serde_json::from_str::<LoopFailure>(&value) {
            f.name = key.trim_start_matches(LOOP_KEY).to_string();
            out.push(f);
        }
    }
    Ok(out)
}
