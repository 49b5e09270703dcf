//! The rows the on-time figures and the due-soon list read: a dossier's
//! appointment, who took it in and when it first reached a result (status
//! 9 or 10); and the fee payments kept with dossiers.

use crate::sql::{Conn, Row, params};

use crate::error::ApiError;
use motcua_api::model::{Payment, PaymentIn};

/// A dossier as the on-time figures see it: no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRow {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub status: u8,
    pub received_at: String,
    pub due_at: String,
    pub officer: Option<String>,
    /// When it first reached status 9 or 10.
    pub done_at: Option<String>,
}

const COLUMNS: &str = "d.code, d.procedure_code, coalesce(json_extract(d.body, '$.procedure_name'), ''), d.status,
     coalesce(json_extract(d.body, '$.received_at'), ''), coalesce(json_extract(d.body, '$.due_at'), ''),
     json_extract(d.body, '$.officer')";

fn due_row(r: &Row, done_at: Option<String>) -> crate::sql::Result<DueRow> {
    Ok(DueRow {
        code: r.get(0)?,
        procedure_code: r.get(1)?,
        procedure_name: r.get(2)?,
        status: r.get(3)?,
        received_at: r.get(4)?,
        due_at: r.get(5)?,
        officer: r.get(6)?,
        done_at,
    })
}

/// Each dossier of `office` that first reached its result (status 9 or
/// 10) at a time in `from..to` (RFC 3339 in UTC, as central writes them).
pub fn for_each_finished(
    conn: &Conn,
    office: &str,
    from: &str,
    to: &str,
    mut each: impl FnMut(DueRow),
) -> Result<(), ApiError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS}, h.at FROM dossier_history h
         JOIN dossiers d ON d.office = h.office AND d.code = h.code
         WHERE h.office = ?1 AND h.at >= ?2 AND h.at < ?3
           AND h.id IN (SELECT min(id) FROM dossier_history WHERE office = ?1 AND status IN (9, 10) GROUP BY code)"
    ))?;
    let mut rows = stmt.query(params![office, from, to])?;
    while let Some(r) = rows.next()? {
        let done = r.get(7)?;
        each(due_row(r, Some(done))?);
    }
    Ok(())
}

/// Each open dossier of `office`: not ended (3, 7, 8) and no result yet
/// (never 9 or 10).
pub fn for_each_open(conn: &Conn, office: &str, mut each: impl FnMut(DueRow)) -> Result<(), ApiError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM dossiers d
         WHERE d.office = ?1 AND d.status NOT IN (3, 7, 8, 9, 10)
           AND NOT EXISTS (SELECT 1 FROM dossier_history h
                           WHERE h.office = d.office AND h.code = d.code AND h.status IN (9, 10))
         ORDER BY d.code"
    ))?;
    let mut rows = stmt.query(params![office])?;
    while let Some(r) = rows.next()? {
        each(due_row(r, None)?);
    }
    Ok(())
}

/// Keeps a payment with the dossier `code` of `office`.
pub fn add_payment(conn: &Conn, office: &str, code: &str, p: &PaymentIn, recorded_at: &str) -> Result<(), ApiError> {
    conn.prepare_cached(
        "INSERT INTO dossier_payments (office, code, amount, paid, method, reference, at, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        office,
        code,
        p.amount,
        p.paid,
        p.method,
        p.reference,
        p.at,
        recorded_at
    ])?;
    Ok(())
}

/// The payments kept with a dossier, oldest first.
pub fn payments(conn: &Conn, office: &str, code: &str) -> Result<Vec<Payment>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT amount, paid, method, reference, at, recorded_at FROM dossier_payments
         WHERE office = ?1 AND code = ?2 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![office, code], |r| {
        Ok(Payment {
            amount: r.get(0)?,
            paid: r.get(1)?,
            method: r.get(2)?,
            reference: r.get(3)?,
            at: r.get(4)?,
            recorded_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
