//! Dossier evaluations in central's database: at most one per dossier and
//! occasion (intake, return, kiosk), queued for the portal in the same
//! commit when the office sends dossiers on.

use crate::sql::{Conn, OptionalExtension, params};

use crate::error::ApiError;
use motcua_api::evaluation::DossierRatingIn;

/// Stores an evaluation and, when the office has a portal, its outbox
/// record; answers its id. A dossier evaluated before on the same
/// occasion is a conflict: the first evaluation stands.
pub fn insert(conn: &Conn, office: &str, device_id: i64, e: &DossierRatingIn) -> Result<i64, ApiError> {
    let answers = serde_json::to_string(&e.answers).expect("answers serialize");
    let inserted = conn.query_row(
        "INSERT INTO dossier_evaluations (office, code, occasion, device_id, rated_at, answers)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![office, e.code, e.occasion.as_str(), device_id, e.rated_at, answers],
        |r| r.get::<_, i64>(0),
    );
    let id = match inserted {
        Ok(id) => id,
        Err(crate::sql::Error::Constraint(_)) => {
            return Err(ApiError::new(
                axum::http::StatusCode::CONFLICT,
                "already_evaluated",
                format!(
                    "dossier {} was already evaluated on this occasion ({}); the first evaluation stands",
                    e.code,
                    e.occasion.as_str()
                ),
            ));
        }
        Err(err) => return Err(err.into()),
    };
    conn.prepare_cached(
        "INSERT INTO portal_outbox (office, code, status, at, evaluation)
         SELECT ?1, ?2, 0, ?3, CAST(?4 AS BIGINT) WHERE EXISTS (SELECT 1 FROM portal_settings WHERE office = ?1)",
    )?
    .execute(params![office, e.code, e.rated_at, id])?;
    Ok(id)
}

/// An evaluation by id: `(occasion, rated_at, answers JSON)`.
pub fn get(conn: &Conn, id: i64) -> Result<Option<(String, String, String)>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT occasion, rated_at, answers FROM dossier_evaluations WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// Each evaluation of `office` rated from `from` to before `to` (RFC 3339
/// text), as `(occasion, rated_at, answers JSON)`, read one at a time.
pub fn for_each_between(
    conn: &Conn,
    office: &str,
    from: &str,
    to: &str,
    mut each: impl FnMut(&str, &str, &str),
) -> Result<(), ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT occasion, rated_at, answers FROM dossier_evaluations
         WHERE office = ?1 AND rated_at >= ?2 AND rated_at < ?3",
    )?;
    let mut rows = stmt.query(params![office, from, to])?;
    while let Some(r) = rows.next()? {
        let (occasion, at, answers): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        each(&occasion, &at, &answers);
    }
    Ok(())
}

/// Each dossier of `office` first stored from `from` to before `to` (a
/// wide window: the caller checks the local day of receipt), as
/// `(received_at, evaluated at least once)`.
pub fn for_each_dossier_received(
    conn: &Conn,
    office: &str,
    from: &str,
    to: &str,
    mut each: impl FnMut(&str, bool),
) -> Result<(), ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT json_extract(d.body, '$.received_at'),
                EXISTS (SELECT 1 FROM dossier_evaluations e WHERE e.office = d.office AND e.code = d.code)
         FROM dossiers d
         WHERE d.office = ?1 AND json_extract(d.body, '$.received_at') >= ?2
           AND json_extract(d.body, '$.received_at') < ?3",
    )?;
    let mut rows = stmt.query(params![office, from, to])?;
    while let Some(r) = rows.next()? {
        let received: Option<String> = r.get(0)?;
        if let Some(received) = received {
            each(&received, r.get(1)?);
        }
    }
    Ok(())
}
