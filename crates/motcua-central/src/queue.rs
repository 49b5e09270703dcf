//! The office queue's rules: office-wide numbering per group per local
//! day, offline tickets' times bounded by what central can vouch for, and
//! the counter's calls with the priority interleave. The rows are
//! [`crate::repo::tickets`]'s.

use crate::sql::Conn;
use jiff::Timestamp;

use super::error::ApiError;
use crate::repo::{self, tickets::NewRow};
use motcua_api::model::{NewTicket, OfflineTicket, Ticket, TicketAction, TicketStatus};
use motcua_core::queue::{Interleave, Lane, PriorityPolicy, TicketNumber};
use motcua_core::time::local_day;

/// How a ticket is shown and called: `A-023`, or `A3-007` for slot 3.
pub fn display(group: &str, slot: u32, number: u32) -> String {
    TicketNumber {
        group: group.to_string(),
        slot,
        number,
    }
    .to_string()
}

pub fn check_group(group: &str) -> Result<(), ApiError> {
    if group.len() == 1 && group.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ApiError::unprocessable(format!(
            "group `{group}` is not one capital letter A–Z"
        )))
    }
}

pub fn check_procedure(code: &Option<String>) -> Result<(), ApiError> {
    match code {
        Some(c) if c.len() > 16 || !c.bytes().all(|b| b.is_ascii_digit() || b == b'.') => Err(ApiError::unprocessable(
            format!("procedure `{c}` is not a procedure code like 1.001193"),
        )),
        _ => Ok(()),
    }
}

/// Refuses an officer id that could not be kept with calls and ratings.
pub fn check_officer(officer: Option<&str>) -> Result<(), ApiError> {
    match officer {
        Some(id) if !motcua_core::queue::officer_id_ok(id) => Err(ApiError::invalid_officer()),
        _ => Ok(()),
    }
}

/// Refuses a counter label the hall board could not show or speak.
pub fn check_counter(counter: &str) -> Result<(), ApiError> {
    if motcua_core::queue::counter_label_ok(counter) {
        Ok(())
    } else {
        Err(ApiError::invalid_counter())
    }
}

/// Issues a ticket with the office's next number for its group today.
pub fn issue(conn: &Conn, office: &str, device_id: i64, new: &NewTicket, at: Timestamp) -> Result<Ticket, ApiError> {
    check_group(&new.group)?;
    check_procedure(&new.procedure)?;
    let day = local_day(at).to_string();
    let number = repo::tickets::next_number(conn, office, &day, &new.group)?;
    let row = NewRow {
        group: &new.group,
        slot: 0,
        number,
        lane: new.lane,
        procedure: &new.procedure,
        day: &day,
        at,
    };
    repo::tickets::insert(conn, office, device_id, row)
}

/// When an offline ticket takes its place in the queue, and on which day.
///
/// A kiosk's clock is not central's: a ticket is trusted with the time it
/// claims only inside what central can vouch for — after the device was
/// enrolled, not after central's own `now`, and on the day it claims. The
/// day is trusted between the enrollment's day and today.
///
/// A time outside those bounds is not clamped to the nearer bound but to
/// the latest one ("it reached central now"): clamped to the enrollment, a
/// kiosk enrolled last month whose clock fell back to 1971 would still put
/// its citizen ahead of everyone who came today. Nor is the ticket
/// refused: the citizen holds its number, and a refused record would take
/// it out of every queue. A day outside its bounds becomes today, so the
/// ticket waits where a counter will call it.
pub fn bound_offline_time(
    day: jiff::civil::Date,
    at: Timestamp,
    enrolled: Timestamp,
    now: Timestamp,
) -> (jiff::civil::Date, Timestamp) {
    let today = local_day(now);
    let day = if day < local_day(enrolled) || day > today {
        today
    } else {
        day
    };
    // The last instant of the day, or now if the day is today.
    let end_of_day = day
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(motcua_core::time::vietnam()).ok())
        .map(|z| z.timestamp() - jiff::SignedDuration::from_millis(1))
        .unwrap_or(now);
    let latest = now.min(end_of_day);
    let trusted = at >= enrolled && at <= latest && local_day(at) == day;
    (day, if trusted { at } else { latest })
}

/// Records a ticket a kiosk issued offline from its own numbering space,
/// its time bounded by [`bound_offline_time`] with central's `now`.
pub fn import(
    conn: &Conn,
    office: &str,
    device_id: i64,
    slot: u32,
    t: &OfflineTicket,
    now: Timestamp,
) -> Result<Ticket, ApiError> {
    check_group(&t.group)?;
    check_procedure(&t.procedure)?;
    // The device's own slot, or that of a device it replaced: what the old
    // machine left unsent, up to the day its successor was enrolled.
    let lineage = repo::devices::lineage(conn, device_id)?;
    let writer = lineage.iter().position(|(_, s, _)| *s == t.slot && t.slot != 0);
    let (writer, writer_enrolled, successor_enrolled) = match writer {
        Some(0) => (device_id, &lineage[0].2, None),
        Some(i) => (lineage[i].0, &lineage[i].2, lineage[i - 1].2.parse::<Timestamp>().ok()),
        _ => {
            return Err(ApiError::forbidden(format!(
                "this device numbers offline tickets in slot {slot}, not {}",
                t.slot
            )));
        }
    };
    let day: jiff::civil::Date = t
        .day
        .parse()
        .map_err(|_| ApiError::unprocessable(format!("day `{}` is not a date like 2026-11-28", t.day)))?;
    let at: Timestamp = t
        .issued_at
        .parse()
        .map_err(|_| ApiError::unprocessable(format!("issued_at `{}` is not an RFC 3339 time", t.issued_at)))?;
    if t.number == 0 {
        return Err(ApiError::unprocessable("number must be 1 or more"));
    }
    if let Some(replaced) = successor_enrolled
        && day > local_day(replaced)
    {
        return Err(ApiError::forbidden(format!(
            "slot {} belongs to a device this one replaced; its tickets after {} are not accepted",
            t.slot,
            local_day(replaced)
        )));
    }
    // A device central has no readable enrollment time for vouches for
    // nothing earlier than now.
    let enrolled = writer_enrolled.parse().unwrap_or(now);
    let (bounded_day, bounded_at) = bound_offline_time(day, at, enrolled, now);
    if (bounded_day, bounded_at) != (day, at) {
        // Device, slot and number only: no personal data in a ticket.
        tracing::warn!(
            device = device_id,
            slot,
            number = t.number,
            claimed_day = %day,
            claimed_at = %at,
            day = %bounded_day,
            at = %bounded_at,
            "an offline ticket's time is outside what central can vouch for; it takes its place as of now"
        );
    }
    let (day, at) = (bounded_day.to_string(), bounded_at);
    let row = NewRow {
        group: &t.group,
        slot: t.slot,
        number: t.number,
        lane: t.lane,
        procedure: &t.procedure,
        day: &day,
        at,
    };
    repo::tickets::insert(conn, office, writer, row)
}

/// Calls the next ticket for a counter serving `groups`, following the
/// office's priority interleave. Tickets transferred to this counter come
/// first.
pub fn call_next(
    conn: &Conn,
    office: &str,
    counter: &str,
    groups: &[String],
    officer: Option<&str>,
    at: Timestamp,
) -> Result<Option<Ticket>, ApiError> {
    // The queue read, then written: one change of the office at a time,
    // whichever central process makes it.
    conn.lock(office)?;
    check_counter(counter)?;
    check_officer(officer)?;
    for g in groups {
        check_group(g)?;
    }
    if groups.is_empty() {
        return Err(ApiError::unprocessable("a counter serves at least one group"));
    }
    let day = local_day(at).to_string();
    let normal = repo::tickets::oldest_waiting(conn, office, &day, Lane::Normal, counter, groups)?;
    let priority = repo::tickets::oldest_waiting(conn, office, &day, Lane::Priority, counter, groups)?;
    let since = repo::tickets::normals_since_priority(conn, office, &day, counter)?.unwrap_or(u32::MAX);
    let policy = PriorityPolicy {
        every: repo::tickets::priority_every(conn, office)?.unwrap_or(PriorityPolicy::default().every),
    };
    let mut state = Interleave::resume(policy, since);
    let Some(lane) = state.next(normal.is_some(), priority.is_some()) else {
        return Ok(None);
    };
    let id = match lane {
        Lane::Normal => normal,
        Lane::Priority => priority,
    }
    .expect("the chosen lane has a ticket");
    state.record(lane);
    repo::tickets::set_normals_since_priority(conn, office, &day, counter, state.normals_since_priority())?;
    repo::tickets::mark_called(conn, id, counter, at, Some(officer))?;
    repo::tickets::count_call(conn, id)?;
    repo::tickets::get(conn, office, id)
}

/// Reads a ticket number as shown: `A-023`, or `A3-007` from kiosk 3's
/// offline numbers.
pub fn parse_display(display: &str) -> Option<(String, u32, u32)> {
    let (head, number) = display.trim().split_once('-')?;
    let mut chars = head.chars();
    let group = chars.next().filter(char::is_ascii_uppercase)?.to_string();
    let rest: String = chars.collect();
    let slot = if rest.is_empty() { 0 } else { rest.parse().ok()? };
    Some((group, slot, number.parse().ok()?))
}

/// Calls one waiting ticket out of turn (a citizen who came back, an
/// appointment): the interleave is not advanced.
pub fn call_number(conn: &Conn, office: &str, counter: &str, display: &str, at: Timestamp) -> Result<Ticket, ApiError> {
    // The queue read, then written: one change of the office at a time,
    // whichever central process makes it.
    conn.lock(office)?;
    check_counter(counter)?;
    let (group, slot, number) = parse_display(display)
        .ok_or_else(|| ApiError::unprocessable(format!("`{display}` is not a ticket number like A-023")))?;
    let day = local_day(at).to_string();
    let id = repo::tickets::waiting_by_number(conn, office, &day, &group, slot, number)?
        .ok_or_else(|| ApiError::not_found(format!("no ticket {display} is waiting today")))?;
    repo::tickets::mark_called(conn, id, counter, at, None)?;
    repo::tickets::count_call(conn, id)?;
    repo::tickets::existing(conn, office, id)
}

/// Recalls, skips or completes a called ticket at `counter`; any other
/// action is not one a counter does to a called ticket.
pub fn act(
    conn: &Conn,
    office: &str,
    id: i64,
    counter: &str,
    action: TicketAction,
    at: Timestamp,
) -> Result<Ticket, ApiError> {
    // The queue read, then written: one change of the office at a time,
    // whichever central process makes it.
    conn.lock(office)?;
    check_counter(counter)?;
    let (status, finished) = match action {
        TicketAction::Recall => (TicketStatus::Called, None),
        TicketAction::Skip => (TicketStatus::NoShow, Some(at)),
        TicketAction::Complete => (TicketStatus::Done, Some(at)),
        other => {
            return Err(ApiError::internal(format!("{other:?} is not done to a called ticket")));
        }
    };
    let t = repo::tickets::get(conn, office, id)?
        .ok_or_else(|| ApiError::not_found(format!("no ticket {id} in this office")))?;
    if t.status != TicketStatus::Called {
        return Err(ApiError::conflict(format!(
            "ticket {} is {}, not called",
            t.display, t.status
        )));
    }
    repo::tickets::set_status(conn, id, status, counter, finished)?;
    if action == TicketAction::Recall {
        repo::tickets::count_call(conn, id)?;
    }
    repo::tickets::existing(conn, office, id)
}

/// Puts a called ticket back in a queue: another group's, or one counter's.
pub fn transfer(
    conn: &Conn,
    office: &str,
    id: i64,
    group: Option<&str>,
    counter: Option<&str>,
) -> Result<Ticket, ApiError> {
    // The queue read, then written: one change of the office at a time,
    // whichever central process makes it.
    conn.lock(office)?;
    let t = repo::tickets::get(conn, office, id)?
        .ok_or_else(|| ApiError::not_found(format!("no ticket {id} in this office")))?;
    if !matches!(t.status, TicketStatus::Called | TicketStatus::Waiting) {
        return Err(ApiError::conflict(format!("ticket {} is {}", t.display, t.status)));
    }
    match (group, counter) {
        (Some(g), None) => {
            check_group(g)?;
            repo::tickets::requeue_in_group(conn, id, g)?;
        }
        (None, Some(c)) if !c.trim().is_empty() => {
            check_counter(c)?;
            repo::tickets::requeue_for_counter(conn, id, c)?;
        }
        _ => {
            return Err(ApiError::unprocessable(
                "give either a group or a counter to transfer to",
            ));
        }
    }
    repo::tickets::existing(conn, office, id)
}

/// Voids the ticket a device asked for with `key`, if it was created.
pub fn void_by_key(conn: &Conn, office: &str, device_id: i64, key: &str) -> Result<Option<Ticket>, ApiError> {
    // The queue read, then written: one change of the office at a time,
    // whichever central process makes it.
    conn.lock(office)?;
    // The request may be one a replaced device made before it broke.
    let mut body: Option<String> = None;
    for (id, _, _) in repo::devices::lineage(conn, device_id)? {
        body = repo::idempotency::created_answer(conn, id, key)?;
        if body.is_some() {
            break;
        }
    }
    let Some(body) = body else {
        return Ok(None);
    };
    let Ok(ticket) = serde_json::from_str::<Ticket>(&body) else {
        return Ok(None);
    };
    repo::tickets::void_waiting(conn, office, ticket.id)?;
    repo::tickets::get(conn, office, ticket.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::params;
    use motcua_api::model::NewTicket;

    const OFFICE: &str = "000.00.01.H26";

    /// Central's database with one kiosk (slot 1) enrolled at `enrolled`.
    fn office(enrolled: &str) -> (tempfile::TempDir, Conn<'static>) {
        let dir = tempfile::tempdir().unwrap();
        let _db = super::super::db::Db::open(dir.path(), 1024).unwrap();
        let c = Conn::open_sqlite(dir.path().join("central.db")).unwrap();
        c.execute("INSERT INTO offices (code, name) VALUES (?1, ?1)", [OFFICE])
            .unwrap();
        c.execute(
            "INSERT INTO devices (id, office, role, name, slot, created_at) VALUES (1, ?1, 'kiosk', 'Kiosk 1', 1, ?2)",
            params![OFFICE, enrolled],
        )
        .unwrap();
        (dir, c)
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn offline(number: u32, day: &str, issued_at: &str) -> OfflineTicket {
        OfflineTicket {
            group: "A".into(),
            lane: Lane::Normal,
            procedure: None,
            day: day.into(),
            slot: 1,
            number,
            issued_at: issued_at.into(),
        }
    }

    fn call(c: &Conn<'static>, now: &str) -> String {
        call_next(c, OFFICE, "1", &["A".to_string()], None, at(now))
            .unwrap()
            .expect("a ticket waits")
            .display
    }

    #[test]
    fn a_back_dated_or_future_offline_ticket_does_not_jump_the_queue() {
        // Enrolled a month ago; the office day is 2026-11-28 (08:00 in Hà Nội is 01:00 UTC).
        let (_dir, c) = office("2026-10-28T02:00:00Z");
        let new = NewTicket {
            group: "A".into(),
            lane: Lane::Normal,
            procedure: None,
        };
        let a1 = issue(&c, OFFICE, 1, &new, at("2026-11-28T01:00:00Z")).unwrap();
        assert_eq!(a1.display, "A-001");
        // The kiosk's clock fell back to 1971 while it was offline: its
        // ticket reaches central five minutes after A-001.
        let old = import(
            &c,
            OFFICE,
            1,
            1,
            &offline(1, "2026-11-28", "1971-01-01T00:00:00Z"),
            at("2026-11-28T01:05:00Z"),
        )
        .unwrap();
        assert_eq!(
            old.issued_at, "2026-11-28T01:05:00Z",
            "it takes its place as of its arrival"
        );
        // Another kiosk clock ran a year ahead; it arrives a minute later.
        let future = import(
            &c,
            OFFICE,
            1,
            1,
            &offline(2, "2026-11-28", "2027-11-28T00:30:00Z"),
            at("2026-11-28T01:06:00Z"),
        )
        .unwrap();
        assert_eq!(future.issued_at, "2026-11-28T01:06:00Z", "the future is clamped to now");
        // A genuine offline ticket, issued before A-001 and after the enrollment, keeps its time.
        let genuine = import(
            &c,
            OFFICE,
            1,
            1,
            &offline(3, "2026-11-28", "2026-11-28T00:55:00Z"),
            at("2026-11-28T01:07:00Z"),
        )
        .unwrap();
        assert_eq!(genuine.issued_at, "2026-11-28T00:55:00Z");

        let order: Vec<String> = ["01:10", "01:11", "01:12", "01:13"]
            .iter()
            .map(|t| call(&c, &format!("2026-11-28T{t}:00Z")))
            .collect();
        assert_eq!(order, ["A1-003", "A-001", "A1-001", "A1-002"]);
    }

    #[test]
    fn an_offline_ticket_on_a_day_out_of_bounds_waits_today() {
        let (_dir, c) = office("2026-10-28T02:00:00Z");
        let now = at("2026-11-28T01:05:00Z");
        // Its whole clock was in 1971: the day too. It is not lost in a
        // queue nobody calls.
        let t = import(&c, OFFICE, 1, 1, &offline(1, "1971-01-01", "1971-01-01T02:00:00Z"), now).unwrap();
        assert_eq!(
            (t.day.as_str(), t.issued_at.as_str()),
            ("2026-11-28", "2026-11-28T01:05:00Z")
        );
        let t = import(&c, OFFICE, 1, 1, &offline(2, "2026-11-30", "2026-11-30T02:00:00Z"), now).unwrap();
        assert_eq!(
            (t.day.as_str(), t.issued_at.as_str()),
            ("2026-11-28", "2026-11-28T01:05:00Z")
        );
        assert_eq!(call(&c, "2026-11-28T01:10:00Z"), "A1-001");
        assert_eq!(call(&c, "2026-11-28T01:11:00Z"), "A1-002");
    }

    #[test]
    fn offline_times_are_trusted_inside_their_bounds_only() {
        let day = jiff::civil::date(2026, 11, 27);
        let enrolled = at("2026-10-28T02:00:00Z");
        let now = at("2026-11-28T01:05:00Z");
        // Yesterday, in the afternoon: kept.
        let kept = at("2026-11-27T08:00:00Z");
        assert_eq!(bound_offline_time(day, kept, enrolled, now), (day, kept));
        // Yesterday's ticket claiming a time of today: the end of its day
        // (23:59:59.999 in Hà Nội).
        assert_eq!(
            bound_offline_time(day, at("2026-11-28T00:30:00Z"), enrolled, now),
            (day, at("2026-11-27T16:59:59.999Z"))
        );
        // Before the enrollment: not trusted.
        assert_eq!(
            bound_offline_time(
                jiff::civil::date(2026, 10, 28),
                at("2026-10-28T01:00:00Z"),
                enrolled,
                now
            ),
            (jiff::civil::date(2026, 10, 28), at("2026-10-28T16:59:59.999Z"))
        );
    }
}
