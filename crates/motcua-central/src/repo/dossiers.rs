//! Dossiers and their status history in central's database. What a
//! dossier must be, and how its code is numbered, is [`crate::dossier`]'s.

use crate::sql::{Conn, OptionalExtension, params};

use crate::error::ApiError;
use motcua_api::model::StatusChange;

/// The office's next dossier sequence of `day` (1, 2, …).
pub fn next_sequence(conn: &Conn, office: &str, day: &str) -> Result<u32, ApiError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO sequences (office, day, grp, last) VALUES (?1, ?2, '#dossier', 1)
             ON CONFLICT (office, day, grp) DO UPDATE SET last = sequences.last + 1 RETURNING last",
        )?
        .query_row(params![office, day], |r| r.get(0))?)
}

/// A dossier's status, if the office has it.
pub fn status_of(conn: &Conn, office: &str, code: &str) -> Result<Option<u8>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT status FROM dossiers WHERE office = ?1 AND code = ?2")?
        .query_row(params![office, code], |r| r.get(0))
        .optional()?)
}

/// Creates or replaces a dossier's row; a lookup hash once set is kept
/// when an update brings none.
#[allow(clippy::too_many_arguments)]
pub fn save(
    conn: &Conn,
    office: &str,
    code: &str,
    procedure_code: &str,
    status: u8,
    body: &str,
    lookup_hash: Option<&str>,
    at: &str,
) -> Result<(), ApiError> {
    conn.prepare_cached(
        "INSERT INTO dossiers (office, code, procedure_code, status, body, lookup_hash, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
         ON CONFLICT (office, code) DO UPDATE SET
            procedure_code = excluded.procedure_code, status = excluded.status, body = excluded.body,
            lookup_hash = coalesce(excluded.lookup_hash, dossiers.lookup_hash), updated_at = excluded.updated_at",
    )?
    .execute(params![office, code, procedure_code, status, body, lookup_hash, at])?;
    Ok(())
}

/// Sets a dossier's status and its stored body.
pub fn update_status(conn: &Conn, office: &str, code: &str, status: u8, body: &str, at: &str) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE dossiers SET status = ?1, body = ?2, updated_at = ?3 WHERE office = ?4 AND code = ?5",
        params![status, body, at, office, code],
    )?;
    Ok(())
}

pub fn add_history(conn: &Conn, office: &str, code: &str, status: u8, at: &str, note: &str) -> Result<(), ApiError> {
    conn.prepare_cached("INSERT INTO dossier_history (office, code, status, at, note) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![office, code, status, at, note])?;
    Ok(())
}

pub fn history(conn: &Conn, office: &str, code: &str) -> Result<Vec<StatusChange>, ApiError> {
    let mut stmt = conn
        .prepare_cached("SELECT status, at, note FROM dossier_history WHERE office = ?1 AND code = ?2 ORDER BY id")?;
    let rows = stmt.query_map(params![office, code], |r| {
        Ok(StatusChange {
            status: r.get(0)?,
            at: r.get(1)?,
            note: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A dossier's stored body (its JSON), if the office has it.
pub fn body(conn: &Conn, office: &str, code: &str) -> Result<Option<String>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT body FROM dossiers WHERE office = ?1 AND code = ?2")?
        .query_row(params![office, code], |r| r.get(0))
        .optional()?)
}

/// The office and body of the dossier `code` whose lookup secret hashes
/// to `lookup_hash`, in any office.
pub fn by_lookup(conn: &Conn, code: &str, lookup_hash: &str) -> Result<Option<(String, String)>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT office, body FROM dossiers WHERE code = ?1 AND lookup_hash = ?2",
            params![code, lookup_hash],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
