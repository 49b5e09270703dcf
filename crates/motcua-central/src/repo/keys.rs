//! Receipt signing keys: each counter makes its own and publishes the
//! public half, numbered per office, so every station can verify any
//! office's receipts offline.

use rusqlite::{Connection, params};

use crate::error::ApiError;
use motcua_api::model::PublicKey;

/// Publishes `public_key` (hex, lower case) for `office` under the next
/// key id; answers the key as stored.
pub fn add(
    conn: &Connection,
    office: &str,
    device_id: i64,
    public_key: &str,
    at: jiff::Timestamp,
) -> Result<PublicKey, ApiError> {
    let key_id: u16 = conn.query_row(
        "SELECT coalesce(max(key_id), 0) + 1 FROM office_keys WHERE office = ?1",
        [office],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO office_keys (office, key_id, device_id, public_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![office, key_id, device_id, public_key, at.to_string()],
    )?;
    Ok(PublicKey {
        office: office.to_string(),
        key_id,
        public_key: public_key.to_string(),
    })
}

/// Every office's public keys.
pub fn all(conn: &Connection) -> Result<Vec<PublicKey>, ApiError> {
    let mut stmt = conn.prepare_cached("SELECT office, key_id, public_key FROM office_keys ORDER BY office, key_id")?;
    let rows = stmt.query_map([], |r| {
        Ok(PublicKey {
            office: r.get(0)?,
            key_id: r.get(1)?,
            public_key: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
