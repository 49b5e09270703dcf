//! The answers central keeps to replay idempotent writes: one per device
//! and `Idempotency-Key`, with the fingerprint of the request it answered.

use crate::sql::{Conn, OptionalExtension, params};

use crate::error::ApiError;

/// A stored answer: the request's fingerprint, the status and the body.
pub struct Stored {
    pub fingerprint: String,
    pub status: u16,
    pub body: String,
}

/// The answer stored for `device_id`'s `key`, if any.
pub fn find(conn: &Conn, device_id: i64, key: &str) -> Result<Option<Stored>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT request_hash, status, body FROM idempotency WHERE device_id = ?1 AND key = ?2")?
        .query_row(params![device_id, key], |r| {
            Ok(Stored {
                fingerprint: r.get(0)?,
                status: r.get(1)?,
                body: r.get(2)?,
            })
        })
        .optional()?)
}

/// Keeps the answer to `device_id`'s request `key`, written at `at`.
pub fn store(
    conn: &Conn,
    device_id: i64,
    key: &str,
    fingerprint: &str,
    status: u16,
    body: &str,
    at: jiff::Timestamp,
) -> Result<(), ApiError> {
    conn.prepare_cached(
        "INSERT INTO idempotency (device_id, key, request_hash, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![device_id, key, fingerprint, status, body, at.to_string()])?;
    Ok(())
}

/// The body of the `201 Created` answer `device_id` got for `key`: what a
/// void names.
pub fn created_answer(conn: &Conn, device_id: i64, key: &str) -> Result<Option<String>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT body FROM idempotency WHERE device_id = ?1 AND key = ?2 AND status = 201",
            params![device_id, key],
            |r| r.get(0),
        )
        .optional()?)
}
