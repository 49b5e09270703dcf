//! Deleting what central no longer keeps: the stored answers of
//! idempotent writes past their time, a batch at a time.

use crate::sql::{Conn, params};
use jiff::{SignedDuration, Timestamp};

use crate::error::ApiError;

/// Rows deleted per statement, so a backlog never holds the writer long.
pub const BATCH: u32 = 5000;

/// Deletes up to one batch of stored answers written before `now − keep`.
/// Returns how many went.
pub fn purge_answers(conn: &Conn, now: Timestamp, keep: SignedDuration) -> Result<usize, ApiError> {
    // Rows hold `Timestamp`'s RFC 3339 text, which sorts as time does (to
    // within the second the cutoff falls in: whole seconds print without
    // a fraction).
    let cutoff = now.checked_sub(keep).unwrap_or(Timestamp::MIN).to_string();
    Ok(conn
        .prepare_cached(
            "DELETE FROM idempotency WHERE (device_id, key) IN
                (SELECT device_id, key FROM idempotency WHERE created_at < ?1 LIMIT ?2)",
        )?
        .execute(params![cutoff, BATCH])?)
}
