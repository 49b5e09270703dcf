//! Dossiers' scanned documents in central's database: one row per dossier
//! and file, in the order they were announced. The files themselves are
//! [`crate::documents`]'; what a row says of an upload's progress follows
//! the file on disk.

use crate::sql::{Conn, OptionalExtension, Row, params};

use crate::error::ApiError;
use motcua_api::documents::{DocumentIn, DocumentKind, DocumentOut};

/// A document of a dossier, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub size: u64,
    pub received: u64,
    pub complete: bool,
}

/// The offices holding a dossier `code` (one, unless two offices once
/// stored the same code).
pub fn offices_of(conn: &Conn, code: &str) -> Result<Vec<String>, ApiError> {
    let mut stmt = conn.prepare_cached("SELECT office FROM dossiers WHERE code = ?1 ORDER BY office")?;
    let rows = stmt.query_map([code], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The document `sha256` of the dossier, if it was announced.
pub fn find(conn: &Conn, office: &str, code: &str, sha256: &str) -> Result<Option<Stored>, ApiError> {
    Ok(conn
        .prepare_cached(
            "SELECT size, received, complete FROM dossier_documents WHERE office = ?1 AND code = ?2 AND sha256 = ?3",
        )?
        .query_row(params![office, code, sha256], |r| {
            Ok(Stored {
                size: r.get(0)?,
                received: r.get(1)?,
                complete: r.get(2)?,
            })
        })
        .optional()?)
}

/// The size some dossier announced `sha256` with, other than `size`.
pub fn other_size(conn: &Conn, sha256: &str, size: u64) -> Result<Option<u64>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT size FROM dossier_documents WHERE sha256 = ?1 AND size != ?2 LIMIT 1")?
        .query_row(params![sha256, size], |r| r.get(0))
        .optional()?)
}

/// What a dossier's announced documents weigh together, complete or not.
pub fn total(conn: &Conn, office: &str, code: &str) -> Result<u64, ApiError> {
    Ok(conn
        .prepare_cached("SELECT coalesce(sum(size), 0) FROM dossier_documents WHERE office = ?1 AND code = ?2")?
        .query_row(params![office, code], |r| r.get(0))?)
}

/// Keeps an announced document with its dossier.
pub fn insert(
    conn: &Conn,
    office: &str,
    code: &str,
    d: &DocumentIn,
    received: u64,
    complete: bool,
    at: &str,
) -> Result<(), ApiError> {
    conn.prepare_cached(
        "INSERT INTO dossier_documents
             (office, code, sha256, size, pages, item, kind, scanned_at, officer, received, complete, announced_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        office,
        code,
        d.sha256,
        d.size,
        d.pages,
        d.item.trim(),
        d.kind.as_str(),
        d.scanned_at,
        d.officer,
        received,
        complete,
        at
    ])?;
    Ok(())
}

/// Records how far the file `sha256` has come, for every dossier naming it.
pub fn set_progress(conn: &Conn, sha256: &str, received: u64, complete: bool) -> Result<(), ApiError> {
    conn.prepare_cached("UPDATE dossier_documents SET received = ?2, complete = ?3 WHERE sha256 = ?1")?
        .execute(params![sha256, received, complete])?;
    Ok(())
}

fn document(r: &Row) -> crate::sql::Result<DocumentOut> {
    let kind: String = r.get(4)?;
    Ok(DocumentOut {
        sha256: r.get(0)?,
        size: r.get(1)?,
        pages: r.get(2)?,
        item: r.get(3)?,
        kind: DocumentKind::parse(&kind).unwrap_or(DocumentKind::Intake),
        scanned_at: r.get(5)?,
        received: r.get(6)?,
        complete: r.get(7)?,
    })
}

/// A dossier's documents in the order they were announced.
pub fn list(conn: &Conn, office: &str, code: &str) -> Result<Vec<DocumentOut>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT sha256, size, pages, item, kind, scanned_at, received, complete FROM dossier_documents
         WHERE office = ?1 AND code = ?2 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![office, code], document)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A dossier as the digitising figures see it: no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeRow {
    pub procedure_code: String,
    pub received_at: String,
    pub officer: Option<String>,
    /// The checklist items handed in (`documents[].name`).
    pub items: Vec<String>,
    /// The items an intake document was announced for.
    pub scanned: Vec<String>,
}

/// Each dossier of `office` received from `from` to before `to` (RFC 3339
/// in UTC; a wide window, the caller checks the local day), with its
/// checklist items and the items scanned at intake.
pub fn for_each_received(
    conn: &Conn,
    office: &str,
    from: &str,
    to: &str,
    mut each: impl FnMut(IntakeRow),
) -> Result<(), ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.procedure_code, json_extract(d.body, '$.received_at'), json_extract(d.body, '$.officer'),
                (SELECT json_group_array(json_extract(value, '$.name')) FROM json_each(d.body, '$.documents')),
                (SELECT json_group_array(x.item) FROM dossier_documents x
                 WHERE x.office = d.office AND x.code = d.code AND x.kind = 'intake')
         FROM dossiers d
         WHERE d.office = ?1 AND json_extract(d.body, '$.received_at') >= ?2
           AND json_extract(d.body, '$.received_at') < ?3",
    )?;
    let mut rows = stmt.query(params![office, from, to])?;
    let names = |json: String| serde_json::from_str::<Vec<Option<String>>>(&json).unwrap_or_default();
    while let Some(r) = rows.next()? {
        let Some(received_at) = r.get::<_, Option<String>>(1)? else {
            continue;
        };
        each(IntakeRow {
            procedure_code: r.get(0)?,
            received_at,
            officer: r.get(2)?,
            items: names(r.get(3)?).into_iter().flatten().collect(),
            scanned: names(r.get(4)?).into_iter().flatten().collect(),
        });
    }
    Ok(())
}
