//! Dossiers in central: created and updated by code, with the national
//! status history (codes 1–10) and the citizen's lookup by code and secret.

use rusqlite::{Connection, OptionalExtension, params};

use super::auth::hash;
use super::error::ApiError;
use motcua_api::model::{Dossier, DossierIn, DossierOut, LookupAnswer, StatusChange};

/// National dossier statuses, as the portal counts them.
pub const STATUSES: [(u8, &str, &str); 10] = [
    (1, "Mới đăng ký", "newly registered"),
    (2, "Đã tiếp nhận", "accepted"),
    (3, "Không được tiếp nhận", "not accepted"),
    (4, "Đang xử lý", "processing"),
    (5, "Yêu cầu bổ sung", "supplement requested"),
    (6, "Yêu cầu thực hiện nghĩa vụ tài chính", "payment requested"),
    (7, "Công dân yêu cầu rút hồ sơ", "withdrawn by citizen"),
    (8, "Dừng xử lý", "processing stopped"),
    (9, "Đã xử lý xong", "processed"),
    (10, "Đã trả kết quả", "result returned"),
];

/// The sequence a counter in `slot` gives its `n`th dossier of a day while
/// central is out of reach: `9`, the count of the slot's digits less one,
/// the slot, and `n` in at least three digits (slot 3's 7th is `903007`,
/// slot 150's 1,500th is `921501500`).
///
/// Every offline sequence starts with `9` and no central one does, so the
/// two never meet. The digit count makes the slot self-delimiting, so two
/// slots never meet either, however many dossiers each takes in; and at
/// six digits or more they stay clear of the 4–5 digit `slot·1000 + n`
/// numbers counters gave before this layout.
pub fn offline_number(slot: u32, n: u32) -> String {
    let slot = slot.to_string();
    format!("9{}{slot}{n:03}", slot.len() - 1)
}

/// Central's `n`th sequence of a day: 1–999 as `0001`–`0999`, then the
/// numbers from 100000 up that do not start with `9` (that digit belongs
/// to the counters' offline numbers): 100000–899999, 1000000–8999999, …
/// The first thousand and the jump to 100000 are the numbering central
/// has always given, so codes given before this layout stay unique.
fn central_number(n: u32) -> String {
    if n < 1000 {
        return format!("{n:04}");
    }
    // Within each length from six digits on, the 8·10^(len-1) numbers led
    // by 1–8.
    let mut rest = u64::from(n) - 1000;
    let mut first = 100_000u64;
    loop {
        let block = first * 8;
        if rest < block {
            return (first + rest).to_string();
        }
        rest -= block;
        first *= 10;
    }
}

/// A dossier code: office, yymmdd, and a sequence of at least 4 digits
/// ([`offline_number`] or central's own).
pub fn format_code(office: &str, day: jiff::civil::Date, sequence: impl AsRef<str>) -> String {
    format!(
        "{office}-{:02}{:02}{:02}-{}",
        day.year() % 100,
        day.month(),
        day.day(),
        sequence.as_ref()
    )
}

/// Allocates the office's next dossier code for the local day of `at`.
pub fn next_code(conn: &Connection, office: &str, at: jiff::Timestamp) -> Result<String, ApiError> {
    let day = motcua_core::time::local_day(at);
    let n: u32 = conn
        .prepare_cached(
            "INSERT INTO sequences (office, day, grp, last) VALUES (?1, ?2, '#dossier', 1)
             ON CONFLICT (office, day, grp) DO UPDATE SET last = last + 1 RETURNING last",
        )?
        .query_row(params![office, day.to_string()], |r| r.get(0))?;
    Ok(format_code(office, day, central_number(n)))
}

pub fn check_code(code: &str) -> Result<(), ApiError> {
    if code.is_empty()
        || code.len() > 64
        || !code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return Err(ApiError::unprocessable(format!(
            "dossier code `{code}` must be 1–64 letters, digits, dots and dashes"
        )));
    }
    Ok(())
}

pub fn check_status(status: u8) -> Result<(), ApiError> {
    if (1..=10).contains(&status) {
        Ok(())
    } else {
        Err(ApiError::unprocessable(format!(
            "status {status} is not a national status code 1–10"
        )))
    }
}

fn check(d: &DossierIn) -> Result<(), ApiError> {
    check_status(d.status)?;
    if !(1..=3).contains(&d.channel) {
        return Err(ApiError::unprocessable(format!(
            "channel {} is not 1, 2 or 3",
            d.channel
        )));
    }
    if !(1..=2).contains(&d.applicant.kind) {
        return Err(ApiError::unprocessable(format!(
            "applicant.kind {} is not 1 or 2",
            d.applicant.kind
        )));
    }
    for (name, value) in [("received_at", &d.received_at), ("due_at", &d.due_at)] {
        if value.parse::<jiff::Timestamp>().is_err() {
            return Err(ApiError::unprocessable(format!("{name} is not an RFC 3339 time")));
        }
    }
    if d.procedure_code.trim().is_empty() || d.applicant.name.trim().is_empty() {
        return Err(ApiError::unprocessable(
            "procedure_code and applicant.name are required",
        ));
    }
    Ok(())
}

/// Creates or updates a dossier; a change of status goes into its history.
/// Returns the dossier and whether it was created.
pub fn upsert(
    conn: &Connection,
    office: &str,
    code: &str,
    d: &DossierIn,
    at: &str,
) -> Result<(Dossier, bool), ApiError> {
    check_code(code)?;
    check(d)?;
    let out = DossierOut {
        procedure_code: d.procedure_code.clone(),
        procedure_name: d.procedure_name.clone(),
        applicant: d.applicant.clone(),
        received_at: d.received_at.clone(),
        due_at: d.due_at.clone(),
        status: d.status,
        channel: d.channel,
        documents: d.documents.clone(),
        sets: d.sets,
        fees: d.fees,
        notes: d.notes.clone(),
    };
    let body = serde_json::to_string(&out).expect("a dossier serializes");
    let lookup = d.lookup_secret.as_deref().map(hash);
    let previous: Option<u8> = conn
        .prepare_cached("SELECT status FROM dossiers WHERE office = ?1 AND code = ?2")?
        .query_row(params![office, code], |r| r.get(0))
        .optional()?;
    conn.prepare_cached(
        "INSERT INTO dossiers (office, code, procedure_code, status, body, lookup_hash, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
         ON CONFLICT (office, code) DO UPDATE SET
            procedure_code = excluded.procedure_code, status = excluded.status, body = excluded.body,
            lookup_hash = coalesce(excluded.lookup_hash, dossiers.lookup_hash), updated_at = excluded.updated_at",
    )?
    .execute(params![office, code, d.procedure_code, d.status, body, lookup, at])?;
    if previous != Some(d.status) {
        add_history(conn, office, code, d.status, at, "")?;
    }
    let dossier = get(conn, office, code)?.ok_or_else(|| ApiError::internal("the dossier vanished"))?;
    Ok((dossier, previous.is_none()))
}

fn add_history(conn: &Connection, office: &str, code: &str, status: u8, at: &str, note: &str) -> Result<(), ApiError> {
    conn.prepare_cached("INSERT INTO dossier_history (office, code, status, at, note) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![office, code, status, at, note])?;
    // In the same commit: the record that tells the city's system, if any.
    super::portal::enqueue(conn, office, code, status, at, note)?;
    Ok(())
}

pub fn set_status(
    conn: &Connection,
    office: &str,
    code: &str,
    status: u8,
    note: &str,
    at: &str,
) -> Result<Dossier, ApiError> {
    check_status(status)?;
    let mut d = get(conn, office, code)?.ok_or_else(|| ApiError::not_found(format!("no dossier {code}")))?;
    d.data.status = status;
    let body = serde_json::to_string(&d.data).expect("a dossier serializes");
    conn.execute(
        "UPDATE dossiers SET status = ?1, body = ?2, updated_at = ?3 WHERE office = ?4 AND code = ?5",
        params![status, body, at, office, code],
    )?;
    add_history(conn, office, code, status, at, note)?;
    get(conn, office, code)?.ok_or_else(|| ApiError::internal("the dossier vanished"))
}

fn history(conn: &Connection, office: &str, code: &str) -> Result<Vec<StatusChange>, ApiError> {
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

pub fn get(conn: &Connection, office: &str, code: &str) -> Result<Option<Dossier>, ApiError> {
    let body: Option<String> = conn
        .prepare_cached("SELECT body FROM dossiers WHERE office = ?1 AND code = ?2")?
        .query_row(params![office, code], |r| r.get(0))
        .optional()?;
    let Some(body) = body else {
        return Ok(None);
    };
    let data: DossierOut =
        serde_json::from_str(&body).map_err(|e| ApiError::internal(format!("stored dossier {code}: {e}")))?;
    Ok(Some(Dossier {
        code: code.to_string(),
        office: office.to_string(),
        data,
        history: history(conn, office, code)?,
    }))
}

/// A citizen's lookup: the dossier code and its receipt's secret, in any
/// office. Wrong secret and unknown code answer the same, so codes cannot
/// be probed.
pub fn lookup(conn: &Connection, code: &str, secret: &str) -> Result<LookupAnswer, ApiError> {
    let not_found = || ApiError::not_found("no dossier with this code and secret");
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT office, body FROM dossiers WHERE code = ?1 AND lookup_hash = ?2",
            params![code, hash(secret)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (office, body) = row.ok_or_else(not_found)?;
    let d: DossierOut = serde_json::from_str(&body).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(LookupAnswer {
        code: code.to_string(),
        procedure_code: d.procedure_code,
        procedure_name: d.procedure_name,
        received_at: d.received_at,
        due_at: d.due_at,
        status: d.status,
        history: history(conn, &office, code)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn central_and_offline_numbers_never_meet() {
        let offline: std::collections::HashSet<String> = (1..=99)
            .flat_map(|slot| (1..=999).map(move |n| offline_number(slot, n)))
            .collect();
        for n in 1..=200_000 {
            assert!(!offline.contains(&central_number(n)), "{n}");
        }
        assert_eq!(central_number(1), "0001");
        assert_eq!(central_number(999), "0999");
        assert_eq!(central_number(1000), "100000");
        assert_eq!(central_number(1000 + 799_999), "899999");
        assert_eq!(central_number(1000 + 800_000), "1000000");
        let day = jiff::civil::date(2026, 11, 28);
        assert_eq!(
            format_code("000.00.01.H26", day, central_number(1)),
            "000.00.01.H26-261128-0001"
        );
        assert_eq!(
            format_code("000.00.01.H26", day, offline_number(3, 7)),
            "000.00.01.H26-261128-903007"
        );
    }

    /// The sequence part of a code: at least four digits.
    fn sequence_of(code: &str) -> &str {
        let (_, sequence) = code.rsplit_once('-').unwrap();
        assert!(
            sequence.len() >= 4 && sequence.bytes().all(|b| b.is_ascii_digit()),
            "{code}"
        );
        sequence
    }

    #[test]
    fn a_busy_counter_in_a_high_slot_never_repeats_a_code() {
        use std::collections::HashSet;
        let office = "000.00.01.H26";
        let day = jiff::civil::date(2026, 11, 28);
        let code = |sequence: String| format_code(office, day, sequence);
        // Slot 150 takes in 1,500 dossiers while central is out of reach.
        let slot150: Vec<String> = (1..=1500).map(|n| code(offline_number(150, n))).collect();
        let distinct: HashSet<&String> = slot150.iter().collect();
        assert_eq!(distinct.len(), 1500, "slot 150 repeated a code");
        for c in &slot150 {
            assert!(c.starts_with("000.00.01.H26-261128-"), "{c}");
            check_code(c).unwrap();
            sequence_of(c);
        }
        // None is a code central gives: the first 1,000,000 of the day.
        let mut online = HashSet::new();
        for n in 1..=1_000_000 {
            let c = code(central_number(n));
            sequence_of(&c);
            assert!(
                !distinct.contains(&c),
                "central's {n}th is {c}, taken offline by slot 150"
            );
            online.insert(c);
        }
        assert_eq!(online.len(), 1_000_000, "central repeated a code");
        // Nor does any other slot give one of them, nor any two slots the
        // same: slots 1–200, their first 1,500 each and a sample beyond.
        let mut seen: HashSet<String> = HashSet::new();
        for slot in 1..=200u32 {
            for n in (1..=1500).chain([9_999, 10_000, 123_456, u32::MAX]) {
                let c = code(offline_number(slot, n));
                assert!(!online.contains(&c), "slot {slot}'s {n}th {c} is central's");
                assert!(seen.insert(c.clone()), "slot {slot}'s {n}th {c} is taken twice");
            }
        }
    }
}
