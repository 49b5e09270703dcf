//! Tickets: numbered here from the kiosk's slot (with their outbox record
//! in the same commit) or kept as central numbered them; waiting counts.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, params};

use super::{Payload, Store, StoreError};
use motcua_api::model::{OfflineTicket, VoidTicket};
use motcua_core::queue::{Lane, TicketNumber};
use motcua_core::time::local_day;

/// A ticket request from the kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRequest {
    pub group: String,
    pub lane: Lane,
    pub procedure: Option<String>,
}

/// A committed ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: i64,
    pub day: Date,
    pub number: TicketNumber,
    pub lane: Lane,
    pub procedure: Option<String>,
    pub issued_at: Timestamp,
    /// Tickets of the same group and lane waiting ahead of this one.
    pub same_lane_ahead: u32,
    /// Tickets of the same group waiting in the other lane.
    pub other_lane_waiting: u32,
}

/// Waiting tickets of one group today.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Waiting {
    pub normal: u32,
    pub priority: u32,
}

impl Store {
    /// Issues a ticket numbered here: takes the group's next number in
    /// `slot` for the office-local day of `at`, stores the ticket (and, for
    /// an offline ticket, its outbox record) and commits.
    ///
    /// `void_key` is the Idempotency-Key of a request to central whose
    /// answer never came: central is told to void it, in the same commit.
    pub fn issue(
        &mut self,
        request: &TicketRequest,
        slot: u32,
        at: Timestamp,
        void_key: Option<&str>,
    ) -> Result<Ticket, StoreError> {
        let day = local_day(at);
        let day_s = day.to_string();
        let at_s = at.to_string();
        let (id, number, same_lane_ahead, other_lane_waiting) = self.write(|tx| {
            let number: u32 = tx
                .prepare_cached(
                    "INSERT INTO sequences (day, grp, slot, last) VALUES (?1, ?2, ?3, 1)
                     ON CONFLICT (day, grp, slot) DO UPDATE SET last = last + 1
                     RETURNING last",
                )?
                .query_row(params![day_s, request.group, slot], |r| r.get(0))?;
            let number = TicketNumber {
                group: request.group.clone(),
                slot,
                number,
            };
            let (id, same, other) = insert_ticket(tx, "local", &day_s, &number, request, &at_s)?;
            if slot > 0 {
                let ticket = Payload::Ticket(OfflineTicket {
                    group: request.group.clone(),
                    lane: request.lane,
                    procedure: request.procedure.clone(),
                    day: day_s.clone(),
                    slot,
                    number: number.number,
                    issued_at: at_s.clone(),
                });
                tx.enqueue_payload(&format!("ticket-{}-{id}", tx.instance), &ticket, &at_s)?;
            }
            if let Some(key) = void_key {
                let void = Payload::Void(VoidTicket { key: key.to_string() });
                tx.enqueue_payload(&format!("void-{key}"), &void, &at_s)?;
            }
            Ok((id, number, same, other))
        })?;

        Ok(Ticket {
            id,
            day,
            number,
            lane: request.lane,
            procedure: request.procedure.clone(),
            issued_at: at,
            same_lane_ahead,
            other_lane_waiting,
        })
    }

    /// Keeps a ticket central numbered, as the record of what this kiosk
    /// gave out. Central already has it: nothing goes to the outbox.
    pub fn record_central(
        &mut self,
        request: &TicketRequest,
        number: TicketNumber,
        day: Date,
        at: Timestamp,
        ahead: (u32, u32),
    ) -> Result<Ticket, StoreError> {
        let (id, _, _) =
            self.write(|tx| insert_ticket(tx, "central", &day.to_string(), &number, request, &at.to_string()))?;
        Ok(Ticket {
            id,
            day,
            number,
            lane: request.lane,
            procedure: request.procedure.clone(),
            issued_at: at,
            same_lane_ahead: ahead.0,
            other_lane_waiting: ahead.1,
        })
    }

    /// Waiting tickets per group on the office-local day of `at`.
    pub fn waiting(&self, at: Timestamp) -> Result<Vec<(String, Waiting)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT grp,
                        count(*) FILTER (WHERE lane = 'normal'),
                        count(*) FILTER (WHERE lane = 'priority')
                 FROM tickets WHERE day = ?1 AND status = 'waiting' GROUP BY grp ORDER BY grp",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([local_day(at).to_string()], |r| {
                Ok((
                    r.get(0)?,
                    Waiting {
                        normal: r.get(1)?,
                        priority: r.get(2)?,
                    },
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(self.err())?;
        Ok(rows)
    }

    /// The numbers this kiosk gave out on a day, in order: for checks and reports.
    pub fn numbers_of_day(&self, day: Date) -> Result<Vec<TicketNumber>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT grp, slot, number FROM tickets WHERE day = ?1 ORDER BY grp, slot, number")
            .map_err(self.err())?;
        stmt.query_map([day.to_string()], |r| {
            Ok(TicketNumber {
                group: r.get(0)?,
                slot: r.get(1)?,
                number: r.get(2)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(self.err())
    }
}

/// Inserts a ticket row; returns its id and the tickets waiting ahead of it
/// (same lane) and beside it (other lane) among this kiosk's.
fn insert_ticket(
    conn: &Connection,
    origin: &str,
    day: &str,
    number: &TicketNumber,
    request: &TicketRequest,
    at: &str,
) -> rusqlite::Result<(i64, u32, u32)> {
    let lane = request.lane.as_str();
    conn.prepare_cached(
        "INSERT INTO tickets (origin, day, grp, slot, number, lane, procedure_code, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        origin,
        day,
        number.group,
        number.slot,
        number.number,
        lane,
        request.procedure,
        at
    ])?;
    let id = conn.last_insert_rowid();
    let (same, other) = conn
        .prepare_cached(
            "SELECT count(*) FILTER (WHERE lane = ?3 AND id < ?4), count(*) FILTER (WHERE lane <> ?3)
             FROM tickets WHERE day = ?1 AND grp = ?2 AND status = 'waiting'",
        )?
        .query_row(params![day, number.group, lane, id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((id, same, other))
}
