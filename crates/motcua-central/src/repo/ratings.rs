//! Satisfaction answers (SIPAS) in central's database: at most one per
//! served ticket, with the counter and officer who served it.

use crate::sql::{Conn, params};

use crate::error::ApiError;

/// A rating to store.
pub struct NewRating<'a> {
    pub office: &'a str,
    pub device_id: i64,
    pub answer: &'a str,
    pub rated_at: &'a str,
    pub ticket_id: Option<i64>,
    pub counter: Option<&'a str>,
    pub officer: Option<&'a str>,
    pub criteria: &'a [String],
    pub comment: &'a str,
}

/// Stores a rating; answers its id. A ticket rated before is a conflict.
pub fn insert(conn: &Conn, r: &NewRating) -> Result<i64, ApiError> {
    let criteria = serde_json::to_string(r.criteria).expect("strings serialize");
    let inserted = conn.query_row(
        "INSERT INTO ratings (office, device_id, answer, rated_at, ticket_id, counter, officer, criteria, comment)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        params![
            r.office,
            r.device_id,
            r.answer,
            r.rated_at,
            r.ticket_id,
            r.counter,
            r.officer,
            criteria,
            r.comment
        ],
        |row| row.get::<_, i64>(0),
    );
    match inserted {
        Ok(id) => Ok(id),
        Err(crate::sql::Error::Constraint(_)) => Err(r.ticket_id.map_or_else(
            || ApiError::conflict("the rating conflicts with one stored"),
            ApiError::already_rated,
        )),
        Err(e) => Err(e.into()),
    }
}

/// Each rating of `office` stored from `from` to before `to` (RFC 3339
/// text), as `(answer, rated_at, counter, officer)`, read one at a time.
pub fn for_each_between(
    conn: &Conn,
    office: &str,
    from: &str,
    to: &str,
    mut each: impl FnMut(&str, &str, Option<&str>, Option<&str>),
) -> Result<(), ApiError> {
    let mut stmt = conn.prepare(
        "SELECT answer, rated_at, counter, officer FROM ratings
         WHERE office = ?1 AND rated_at >= ?2 AND rated_at < ?3",
    )?;
    let mut rows = stmt.query(params![office, from, to])?;
    while let Some(r) = rows.next()? {
        let text = |i: usize| r.text(i);
        let (Some(answer), Some(at)) = (text(0), text(1)) else {
            continue;
        };
        each(answer, at, text(2), text(3));
    }
    Ok(())
}
