//! The portal adapter's tables in central's database: each office's
//! portal settings, the outbox of dossier status changes (written in the
//! same commit as the change), the dossiers the portal is known to have,
//! and the satisfaction totals last sent.

use std::time::Duration;

use crate::sql::{Conn, OptionalExtension, params};

use crate::error::ApiError;
use crate::portal::{Mapping, Settings};

/// Writes the record of a status change, when the office sends dossiers on.
pub fn enqueue(conn: &Conn, office: &str, code: &str, status: u8, at: &str, note: &str) -> Result<(), ApiError> {
    conn.prepare_cached(
        "INSERT INTO portal_outbox (office, code, status, at, note)
         SELECT ?1, ?2, CAST(?3 AS BIGINT), ?4, ?5 WHERE EXISTS (SELECT 1 FROM portal_settings WHERE office = ?1)",
    )?
    .execute(params![office, code, status, at, note])?;
    Ok(())
}

/// An office's portal and mapping; `None` when it sends nothing on.
pub fn settings(conn: &Conn, office: &str) -> Result<Option<(Settings, Mapping)>, ApiError> {
    let row = conn
        .query_row(
            "SELECT url, auth_path, integration_path, share_path, username, password, dstcode, madonvi, tendonvi,
                    timeout_ms, mapping
             FROM portal_settings WHERE office = ?1",
            [office],
            |r| {
                Ok((
                    Settings {
                        url: r.get(0)?,
                        auth_path: r.get(1)?,
                        integration_path: r.get(2)?,
                        share_path: r.get(3)?,
                        username: r.get(4)?,
                        password: r.get::<_, String>(5)?.into(),
                        dstcode: r.get(6)?,
                        madonvi: r.get(7)?,
                        tendonvi: r.get(8)?,
                        timeout: Duration::from_millis(r.get(9)?),
                    },
                    r.get::<_, String>(10)?,
                ))
            },
        )
        .optional()?;
    row.map(|(s, mapping)| {
        Ok((
            s,
            Mapping::parse(&mapping).map_err(|e| ApiError::internal(e.to_string()))?,
        ))
    })
    .transpose()
}

/// Sets an office's portal (with its mapping table text), or none.
pub fn configure(conn: &Conn, office: &str, portal: Option<(&Settings, &str)>) -> Result<(), ApiError> {
    let Some((s, mapping)) = portal else {
        conn.execute("DELETE FROM portal_settings WHERE office = ?1", [office])?;
        return Ok(());
    };
    Mapping::parse(mapping).map_err(|e| ApiError::unprocessable(format!("mapping: {e}")))?;
    if !(s.url.starts_with("https://") || motcua_core::net::is_loopback_http(&s.url)) {
        return Err(ApiError::unprocessable(format!(
            "`{}`: accepts an https:// URL (plain http:// only to this machine, e.g. a local gateway): the password and the dossiers must not cross the network readable",
            s.url
        )));
    }
    conn.execute(
        "INSERT INTO offices (code, name) VALUES (?1, ?1) ON CONFLICT DO NOTHING",
        [office],
    )?;
    conn.execute(
        "INSERT INTO portal_settings (office, url, auth_path, integration_path, share_path, username, password,
                                      dstcode, madonvi, tendonvi, timeout_ms, mapping)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (office) DO UPDATE SET url = excluded.url, auth_path = excluded.auth_path,
            integration_path = excluded.integration_path, share_path = excluded.share_path,
            username = excluded.username, password = excluded.password, dstcode = excluded.dstcode,
            madonvi = excluded.madonvi, tendonvi = excluded.tendonvi, timeout_ms = excluded.timeout_ms,
            mapping = excluded.mapping",
        params![
            office,
            s.url,
            s.auth_path,
            s.integration_path,
            s.share_path,
            s.username,
            s.password.expose(),
            s.dstcode,
            s.madonvi,
            s.tendonvi,
            s.timeout.as_millis() as i64,
            mapping
        ],
    )?;
    Ok(())
}

/// A waiting record of the outbox.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: i64,
    pub code: String,
    pub status: u8,
    pub at: String,
    pub note: String,
    /// 1 once DongBoHoSoMC went through; CapNhatTienDoHoSoMC is next.
    pub step: i64,
    /// The dossier evaluation this record sends, instead of a status change.
    pub evaluation: Option<i64>,
}

/// The office's oldest waiting record.
pub fn next_pending(conn: &Conn, office: &str) -> Result<Option<Record>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT id, code, status, at, note, step, evaluation FROM portal_outbox
             WHERE office = ?1 AND state = 'pending' ORDER BY id LIMIT 1",
            [office],
            |r| {
                Ok(Record {
                    id: r.get(0)?,
                    code: r.get(1)?,
                    status: r.get(2)?,
                    at: r.get(3)?,
                    note: r.get(4)?,
                    step: r.get(5)?,
                    evaluation: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// A record the portal took.
pub fn mark_sent(conn: &Conn, id: i64, at: jiff::Timestamp) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE portal_outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?2 WHERE id = ?1",
        params![id, at.to_string()],
    )?;
    Ok(())
}

/// A record the portal did not answer for: it waits, with the reason.
pub fn mark_retry(conn: &Conn, id: i64, reason: &str) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE portal_outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
        params![id, reason],
    )?;
    Ok(())
}

/// A record the portal refused: failed with the reason, and the later
/// records of its dossier held behind it (they would arrive out of order).
pub fn mark_failed(conn: &Conn, office: &str, code: &str, id: i64, reason: &str) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE portal_outbox SET state = 'failed', attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
        params![id, reason],
    )?;
    conn.execute(
        "UPDATE portal_outbox SET state = 'failed', last_error = ?3
         WHERE office = ?1 AND code = ?2 AND state = 'pending'",
        params![office, code, format!("held: record {id} of this dossier was refused")],
    )?;
    Ok(())
}

/// A record the portal cannot take on its own (an evaluation of a dossier
/// it does not have): failed with the reason, holding nothing behind it.
pub fn mark_failed_alone(conn: &Conn, id: i64, reason: &str) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE portal_outbox SET state = 'failed', attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
        params![id, reason],
    )?;
    Ok(())
}

/// Whether the portal is known to have the dossier.
pub fn portal_has(conn: &Conn, office: &str, code: &str) -> Result<bool, ApiError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM portal_dossiers WHERE office = ?1 AND code = ?2",
            [office, code],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The portal has the dossier of record `id` now: its progress is next.
pub fn dossier_pushed(conn: &Conn, office: &str, code: &str, id: i64) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO portal_dossiers (office, code) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        [office, code],
    )?;
    conn.execute("UPDATE portal_outbox SET step = 1 WHERE id = ?1", [id])?;
    Ok(())
}

/// Offices that send dossiers on.
pub fn offices(conn: &Conn) -> Result<Vec<String>, ApiError> {
    let mut q = conn.prepare("SELECT office FROM portal_settings ORDER BY office")?;
    let rows = q.query_map((), |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<String>, _>>()?)
}

/// The office's ratings from `from` to before `to` (RFC 3339), as
/// `(answer, criteria JSON)`.
pub fn ratings_between(conn: &Conn, office: &str, from: &str, to: &str) -> Result<Vec<(String, String)>, ApiError> {
    let mut q = conn.prepare_cached(
        "SELECT answer, criteria FROM ratings WHERE office = ?1 AND rated_at >= ?2 AND rated_at < ?3",
    )?;
    Ok(q.query_map(params![office, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?)
}

/// The satisfaction totals last sent for `month` (`YYYY-MM`).
pub fn ratings_sent(conn: &Conn, office: &str, month: &str) -> Result<Option<String>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT body FROM portal_ratings_sent WHERE office = ?1 AND month = ?2",
            [office, month],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn set_ratings_sent(conn: &Conn, office: &str, month: &str, body: &str) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO portal_ratings_sent (office, month, body) VALUES (?1, ?2, ?3)
         ON CONFLICT (office, month) DO UPDATE SET body = excluded.body",
        params![office, month, body],
    )?;
    Ok(())
}

/// An outbox record that did not go through: `(id, dossier code, status,
/// the portal's reason)`.
pub type Problem = (i64, String, u8, String);

/// An office's outbox: `(state, records)` per state, and its problems.
pub type OutboxStatus = (Vec<(String, i64)>, Vec<Problem>);

/// The office's outbox: records per state, and those failed or waiting
/// on an error.
pub fn status(conn: &Conn, office: &str) -> Result<OutboxStatus, ApiError> {
    let mut q =
        conn.prepare("SELECT state, count(*) FROM portal_outbox WHERE office = ?1 GROUP BY state ORDER BY state")?;
    let counts = q
        .query_map([office], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut q = conn.prepare(
        "SELECT id, code, status, coalesce(last_error, '') FROM portal_outbox
         WHERE office = ?1 AND (state = 'failed' OR (state = 'pending' AND last_error IS NOT NULL)) ORDER BY id",
    )?;
    let problems = q
        .query_map([office], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((counts, problems))
}
