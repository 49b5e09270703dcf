//! Tickets and their calls in central's database: the office-wide
//! numbering, the waiting counts kept by triggers, the counters' interleave
//! state and each ticket's call count. The queue's rules are
//! [`crate::queue`]'s; this file only reads and writes rows.

use crate::sql::{Conn, OptionalExtension, Row, params};
use jiff::Timestamp;

use crate::error::ApiError;
use crate::queue::display;
use motcua_api::model::{GroupWaiting, Ticket, TicketStatus};
use motcua_core::queue::Lane;

const TICKET_COLUMNS: &str = "id, office, day, grp, slot, number, lane, procedure_code, issued_at, status, counter";

fn ticket_of(r: &Row) -> crate::sql::Result<Ticket> {
    let grp: String = r.get(3)?;
    let slot: u32 = r.get(4)?;
    let number: u32 = r.get(5)?;
    let lane: String = r.get(6)?;
    let status: String = r.get(9)?;
    Ok(Ticket {
        id: r.get(0)?,
        office: r.get(1)?,
        day: r.get(2)?,
        display: display(&grp, slot, number),
        group: grp,
        slot,
        number,
        lane: Lane::parse(&lane).unwrap_or(Lane::Normal),
        procedure: r.get(7)?,
        issued_at: r.get(8)?,
        status: TicketStatus::parse(&status),
        counter: r.get(10)?,
        same_lane_ahead: 0,
        other_lane_waiting: 0,
    })
}

/// Counts one more call of a ticket (a call or a recall); answers the
/// count, which names this call on the event stream.
pub fn count_call(conn: &Conn, id: i64) -> Result<u32, ApiError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO ticket_calls (ticket_id, calls) VALUES (?1, 1)
             ON CONFLICT (ticket_id) DO UPDATE SET calls = ticket_calls.calls + 1 RETURNING calls",
        )?
        .query_row([id], |r| r.get(0))?)
}

/// How many times a ticket has been called so far, recalls included.
pub fn calls(conn: &Conn, id: i64) -> Result<u32, ApiError> {
    Ok(conn
        .prepare_cached("SELECT calls FROM ticket_calls WHERE ticket_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Fills in who waits ahead of a ticket just added: everyone waiting in
/// its lane before it (the counts kept by triggers), and everyone in the
/// other lane.
pub fn fill_ahead(conn: &Conn, mut t: Ticket) -> Result<Ticket, ApiError> {
    let (same, other): (u32, u32) = conn
        .prepare_cached(
            "SELECT coalesce(sum(waiting) FILTER (WHERE lane = ?4), 0), coalesce(sum(waiting) FILTER (WHERE lane <> ?4), 0)
             FROM queue_counts WHERE office = ?1 AND day = ?2 AND grp = ?3",
        )?
        .query_row(params![t.office, t.day, t.group, t.lane.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    t.same_lane_ahead = same.saturating_sub(1);
    t.other_lane_waiting = other;
    Ok(t)
}

/// The office's next number of `group` on `day` (the sequence is shared
/// with the dossier codes' under their own key).
pub fn next_number(conn: &Conn, office: &str, day: &str, group: &str) -> Result<u32, ApiError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO sequences (office, day, grp, last) VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (office, day, grp) DO UPDATE SET last = sequences.last + 1 RETURNING last",
        )?
        .query_row(params![office, day, group], |r| r.get(0))?)
}

/// A ticket row to insert.
pub struct NewRow<'a> {
    pub group: &'a str,
    pub slot: u32,
    pub number: u32,
    pub lane: Lane,
    pub procedure: &'a Option<String>,
    pub day: &'a str,
    pub at: Timestamp,
}

/// Inserts a waiting ticket; a number already taken is a conflict.
pub fn insert(conn: &Conn, office: &str, device_id: i64, r: NewRow) -> Result<Ticket, ApiError> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO tickets (office, day, grp, queue_grp, slot, number, lane, procedure_code, issued_at, issued_ms, device_id)
             VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
        )?
        .query_row(params![
            office,
            r.day,
            r.group,
            r.slot,
            r.number,
            r.lane.as_str(),
            r.procedure,
            r.at.to_string(),
            r.at.as_millisecond(),
            device_id
        ], |row| row.get::<_, i64>(0));
    let id = match inserted {
        Ok(id) => id,
        Err(crate::sql::Error::Constraint(_)) => {
            return Err(ApiError::conflict(format!(
                "ticket {} of {} already exists",
                display(r.group, r.slot, r.number),
                r.day
            )));
        }
        Err(e) => return Err(e.into()),
    };
    let t = get(conn, office, id)?.ok_or_else(|| ApiError::internal("the new ticket vanished"))?;
    fill_ahead(conn, t)
}

pub fn get(conn: &Conn, office: &str, id: i64) -> Result<Option<Ticket>, ApiError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE office = ?1 AND id = ?2"
        ))?
        .query_row(params![office, id], ticket_of)
        .optional()?)
}

/// A ticket of `office` that must exist (it was just written).
pub fn existing(conn: &Conn, office: &str, id: i64) -> Result<Ticket, ApiError> {
    get(conn, office, id)?.ok_or_else(|| ApiError::internal("the ticket vanished"))
}

/// Waiting tickets per group today.
pub fn waiting(conn: &Conn, office: &str, day: &str) -> Result<Vec<GroupWaiting>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT grp, coalesce(sum(waiting) FILTER (WHERE lane = 'normal'), 0), coalesce(sum(waiting) FILTER (WHERE lane = 'priority'), 0)
         FROM queue_counts WHERE office = ?1 AND day = ?2 GROUP BY grp HAVING sum(waiting) > 0 ORDER BY grp",
    )?;
    let rows = stmt.query_map(params![office, day], |r| {
        Ok(GroupWaiting {
            group: r.get(0)?,
            normal: r.get(1)?,
            priority: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The office's priority interleave: one priority ticket every so many
/// normal ones; `None` for an office without its own.
pub fn priority_every(conn: &Conn, office: &str) -> Result<Option<u32>, ApiError> {
    Ok(conn
        .query_row("SELECT priority_every FROM offices WHERE code = ?1", [office], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The oldest ticket waiting in `lane` for `counter`: those transferred to
/// it first, then those of the `groups` it serves, by when they were issued.
pub fn oldest_waiting(
    conn: &Conn,
    office: &str,
    day: &str,
    lane: Lane,
    counter: &str,
    groups: &[String],
) -> Result<Option<i64>, ApiError> {
    let groups_json = serde_json::to_string(groups).expect("strings serialize");
    Ok(conn
        .prepare_cached(
            "SELECT id FROM tickets
             WHERE office = ?1 AND day = ?2 AND status = 'waiting' AND lane = ?3
               AND (assigned_counter = ?4
                    OR (assigned_counter IS NULL AND queue_grp IN (SELECT value FROM json_each(?5))))
             ORDER BY assigned_counter IS NULL, issued_ms, id LIMIT 1",
        )?
        .query_row(params![office, day, lane.as_str(), counter, groups_json], |r| r.get(0))
        .optional()?)
}

/// Normal tickets a counter called since its last priority one today;
/// `None` before its first call of the day.
pub fn normals_since_priority(conn: &Conn, office: &str, day: &str, counter: &str) -> Result<Option<u32>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT normals_since_priority FROM counter_state WHERE office = ?1 AND day = ?2 AND counter = ?3",
            params![office, day, counter],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn set_normals_since_priority(
    conn: &Conn,
    office: &str,
    day: &str,
    counter: &str,
    normals: u32,
) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO counter_state (office, day, counter, normals_since_priority) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (office, day, counter) DO UPDATE SET normals_since_priority = excluded.normals_since_priority",
        params![office, day, counter, normals],
    )?;
    Ok(())
}

/// Marks a ticket called at `counter`; with `officer`, records who called.
pub fn mark_called(
    conn: &Conn,
    id: i64,
    counter: &str,
    at: Timestamp,
    officer: Option<Option<&str>>,
) -> Result<(), ApiError> {
    match officer {
        Some(officer) => conn.execute(
            "UPDATE tickets SET status = 'called', counter = ?1, called_at = ?2, officer = ?4 WHERE id = ?3",
            params![counter, at.to_string(), id, officer],
        )?,
        None => conn.execute(
            "UPDATE tickets SET status = 'called', counter = ?1, called_at = ?2 WHERE id = ?3",
            params![counter, at.to_string(), id],
        )?,
    };
    Ok(())
}

/// The waiting ticket of `day` numbered `group`, `slot`, `number`.
pub fn waiting_by_number(
    conn: &Conn,
    office: &str,
    day: &str,
    group: &str,
    slot: u32,
    number: u32,
) -> Result<Option<i64>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT id FROM tickets WHERE office = ?1 AND day = ?2 AND grp = ?3 AND slot = ?4 AND number = ?5 AND status = 'waiting'",
            params![office, day, group, slot, number],
            |r| r.get(0),
        )
        .optional()?)
}

/// Sets a called ticket's status at `counter`, and when it finished.
pub fn set_status(
    conn: &Conn,
    id: i64,
    status: TicketStatus,
    counter: &str,
    finished: Option<Timestamp>,
) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE tickets SET status = ?1, counter = ?2, finished_at = ?3 WHERE id = ?4",
        params![status.as_str(), counter, finished.map(|t| t.to_string()), id],
    )?;
    Ok(())
}

/// Puts a ticket back to wait in `group`'s queue.
pub fn requeue_in_group(conn: &Conn, id: i64, group: &str) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE tickets SET status = 'waiting', queue_grp = ?1, assigned_counter = NULL, counter = NULL WHERE id = ?2",
        params![group, id],
    )?;
    Ok(())
}

/// Puts a ticket back to wait for one `counter`.
pub fn requeue_for_counter(conn: &Conn, id: i64, counter: &str) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE tickets SET status = 'waiting', assigned_counter = ?1, counter = NULL WHERE id = ?2",
        params![counter, id],
    )?;
    Ok(())
}

/// Voids a ticket that still waits; one called or served stays as it is.
pub fn void_waiting(conn: &Conn, office: &str, id: i64) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE tickets SET status = 'void' WHERE office = ?1 AND id = ?2 AND status = 'waiting'",
        params![office, id],
    )?;
    Ok(())
}

/// The latest tickets called today, newest first, for a board.
pub fn latest_called(conn: &Conn, office: &str, day: &str, limit: u32) -> Result<Vec<Ticket>, ApiError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets
         WHERE office = ?1 AND day = ?2 AND called_at IS NOT NULL AND status IN ('called', 'done')
         ORDER BY called_at DESC, id DESC LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![office, day, limit], ticket_of)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A ticket's status, and the counter and officer who had it.
pub type ServedBy = (TicketStatus, Option<String>, Option<String>);

/// A served ticket's counter and officer, for its rating: `None` when the
/// office has no such ticket, the status otherwise.
pub fn served_by(conn: &Conn, office: &str, id: i64) -> Result<Option<ServedBy>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT status, counter, officer FROM tickets WHERE office = ?1 AND id = ?2",
            params![office, id],
            |row| Ok((TicketStatus::parse(&row.get::<_, String>(0)?), row.get(1)?, row.get(2)?)),
        )
        .optional()?)
}

/// Each ticket of `office` on the days `from`–`to` that was not voided, as
/// `(group, status, issued_at, called_at, finished_at)`, read one at a time.
pub fn for_each_in_days(
    conn: &Conn,
    office: &str,
    from: &str,
    to: &str,
    mut each: impl FnMut(&str, TicketStatus, &str, Option<&str>, Option<&str>),
) -> Result<(), ApiError> {
    let mut stmt = conn.prepare(
        "SELECT grp, status, issued_at, called_at, finished_at FROM tickets
         WHERE office = ?1 AND day BETWEEN ?2 AND ?3 AND status <> 'void'",
    )?;
    let mut rows = stmt.query(params![office, from, to])?;
    while let Some(r) = rows.next()? {
        let text = |i: usize| r.text(i);
        let (Some(group), Some(status), Some(issued)) = (text(0), text(1), text(2)) else {
            continue;
        };
        each(group, TicketStatus::parse(status), issued, text(3), text(4));
    }
    Ok(())
}
