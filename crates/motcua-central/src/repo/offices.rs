//! Offices in central's database: each created on first use, with its
//! procedure catalog (and the catalog's ETag) and the notice its hall
//! boards show.

use crate::sql::{Conn, OptionalExtension, params};

use crate::error::ApiError;

/// Creates the office if it is new (named by its code until renamed).
pub fn ensure(conn: &Conn, office: &str) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO offices (code, name) VALUES (?1, ?1) ON CONFLICT DO NOTHING",
        [office],
    )?;
    Ok(())
}

/// Sets the notice the office's boards show (the office is created if new).
pub fn set_notice(conn: &Conn, office: &str, text: &str) -> Result<(), ApiError> {
    ensure(conn, office)?;
    conn.execute("UPDATE offices SET notice = ?2 WHERE code = ?1", [office, text])?;
    Ok(())
}

/// The notice of the office's boards; empty for an unknown office.
pub fn notice(conn: &Conn, office: &str) -> Result<String, ApiError> {
    Ok(conn
        .query_row("SELECT notice FROM offices WHERE code = ?1", [office], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// Stores the office's catalog as served: its JSON and its ETag.
pub fn store_catalog(conn: &Conn, office: &str, body: &str, etag: &str) -> Result<(), ApiError> {
    ensure(conn, office)?;
    conn.execute(
        "INSERT INTO catalogs (office, body, etag) VALUES (?1, ?2, ?3)
         ON CONFLICT (office) DO UPDATE SET body = excluded.body, etag = excluded.etag",
        params![office, body, etag],
    )?;
    Ok(())
}

/// The office's own catalog, JSON and ETag; `None` when it has none.
pub fn catalog(conn: &Conn, office: &str) -> Result<Option<(String, String)>, ApiError> {
    Ok(conn
        .query_row("SELECT body, etag FROM catalogs WHERE office = ?1", [office], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}
