//! What central keeps, and for how long. The answers it stores to replay
//! idempotent writes hold what the writes returned — a dossier's applicant
//! with name, ID number, phone and address — so they go once no device
//! could still be retrying the request they answer.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::App;
use super::error::ApiError;
use crate::repo;

/// How long stored answers are kept by default: as long as devices keep
/// their own personal data (`[retention] days`), far longer than any
/// outbox retries a request.
pub const DEFAULT_DAYS: u32 = 7;

/// How often central looks for answers past their time.
pub const EVERY: Duration = Duration::from_secs(3600);

/// The window of `days` days.
pub fn window(days: u32) -> SignedDuration {
    SignedDuration::from_hours(24 * i64::from(days))
}

/// Deletes every stored answer older than central's window, as of `now`.
/// Returns how many went.
pub async fn purge(app: &App, now: Timestamp) -> Result<usize, ApiError> {
    let keep = app.keep_answers;
    let mut total = 0;
    loop {
        let n = app
            .db
            .write(move |c| repo::retention::purge_answers(c, now, keep))
            .await?;
        total += n;
        if n < repo::retention::BATCH as usize {
            return Ok(total);
        }
    }
}

/// Purges on central's clock now and every [`EVERY`] after, until
/// stopped; a supervisor ([`crate::supervise`]) starts it again should it
/// end.
pub async fn run(app: App) -> Result<(), ApiError> {
    let mut every = tokio::time::interval(EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match purge(&app, app.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(answers = n, "stored answers past their time deleted"),
            Err(e) => tracing::warn!(error = %e.message, "stored answers not purged; will retry"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::retention::BATCH;
    use crate::sql::{Conn, params};

    #[test]
    fn stored_answers_older_than_the_window_go_and_fresh_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let options = super::super::Options {
            answers_days: 7,
            ..Default::default()
        };
        let app = App::open(dir.path(), &options).unwrap();
        let c = Conn::open_sqlite(dir.path().join(super::super::db::DB_FILE)).unwrap();
        let now: Timestamp = "2026-11-28T03:00:00Z".parse().unwrap();
        let rows = [
            ("old", "2026-11-01T03:00:00Z"),
            ("eight-days", "2026-11-20T02:59:59.5Z"),
            ("just-past", "2026-11-21T02:59:59Z"),
            ("just-inside", "2026-11-21T03:00:01.25Z"),
            ("fresh", "2026-11-28T02:00:00Z"),
        ];
        for (key, at) in rows {
            c.execute(
                "INSERT INTO idempotency (device_id, key, request_hash, status, body, created_at)
                 VALUES (1, ?1, 'v2:x', 201, '{\"applicant\":{\"name\":\"Lê Thị Thử\"}}', ?2)",
                params![key, at],
            )
            .unwrap();
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        assert_eq!(rt.block_on(purge(&app, now)).unwrap(), 3);
        let left: Vec<String> = c
            .prepare("SELECT key FROM idempotency ORDER BY created_at")
            .unwrap()
            .query_map((), |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(left, ["just-inside", "fresh"]);
        // A minute later the next one's time has come; the fresh one stays.
        let later = now + SignedDuration::from_mins(1);
        assert_eq!(rt.block_on(purge(&app, later)).unwrap(), 1);
        let left: i64 = c
            .query_row("SELECT count(*) FROM idempotency WHERE key = 'fresh'", (), |r| r.get(0))
            .unwrap();
        assert_eq!(left, 1);
    }

    #[test]
    fn a_backlog_goes_in_batches_all_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::open(dir.path(), &Default::default()).unwrap();
        let c = Conn::open_sqlite(dir.path().join(super::super::db::DB_FILE)).unwrap();
        let n = BATCH as usize * 2 + 7;
        c.execute("BEGIN", ()).unwrap();
        for i in 0..n {
            c.execute(
                "INSERT INTO idempotency (device_id, key, request_hash, status, body, created_at)
                 VALUES (1, ?1, 'v2:x', 200, '{}', '2026-01-01T00:00:00Z')",
                [format!("k{i}")],
            )
            .unwrap();
        }
        c.execute("COMMIT", ()).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let now: Timestamp = "2026-11-28T03:00:00Z".parse().unwrap();
        assert_eq!(rt.block_on(purge(&app, now)).unwrap(), n);
        let left: i64 = c
            .query_row("SELECT count(*) FROM idempotency", (), |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }
}
