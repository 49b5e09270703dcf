//! Receipt signing keys: each counter makes its own and publishes the
//! public half, numbered per office, so every station can verify any
//! office's receipts offline.
//!
//! A key has an owner and an end. A counter signs with one key at a time:
//! publishing a new one retires its previous key at that instant, and
//! revoking (or replacing) the counter retires its key too. Stations learn
//! the retirement times with the key list and refuse a receipt a key
//! signed after its retirement.
//!
//! Key ids are never reused: stations keep the first key they saw under an
//! (office, key id) and refuse a later, different one (a planted key must
//! not replace a real one), and citizens keep receipts for years, so an id
//! given twice would stop one key's receipts verifying somewhere. The ids
//! are bounded instead by a cap per counter, [`MAX_KEYS_PER_DEVICE`] over
//! its whole life: one counter cannot spend the office's 65,535 ids, and
//! running out would take thousands of counters, which only IT staff enroll.
//! A counter that reaches the cap is replaced (`motcua central replace`),
//! and its successor starts with a fresh allowance.

use crate::sql::{Conn, OptionalExtension, params};

use crate::error::ApiError;
use motcua_api::model::PublicKey;

/// The keys one counter may publish over its life. A counter makes a key
/// once, and again only when its key file is lost: sixteen is plenty for an
/// honest one and bounds a dishonest one to 16 of the office's 65,535 ids.
pub const MAX_KEYS_PER_DEVICE: i64 = 16;

/// The highest key id (ids are u16 in the receipt; 0 is the sample key's).
const MAX_KEY_ID: i64 = u16::MAX as i64;

/// Publishes `public_key` (hex, lower case) as the signing key of counter
/// `device_id` of `office`, under the office's next key id, and retires the
/// counter's previous key at `at`. Publishing the key already in use again
/// changes nothing and answers it. Refused (409) once the counter has
/// published [`MAX_KEYS_PER_DEVICE`] keys, or the office has no id left.
pub fn add(
    conn: &Conn,
    office: &str,
    device_id: i64,
    public_key: &str,
    at: jiff::Timestamp,
) -> Result<PublicKey, ApiError> {
    let in_use: Option<(u16, String)> = conn
        .query_row(
            "SELECT key_id, public_key FROM office_keys WHERE device_id = ?1 AND retired_at IS NULL",
            [device_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((key_id, known)) = &in_use
        && known == public_key
    {
        return Ok(PublicKey {
            office: office.to_string(),
            key_id: *key_id,
            public_key: known.clone(),
            retired_at: None,
            device_id: Some(device_id),
        });
    }
    let published: i64 = conn.query_row(
        "SELECT count(*) FROM office_keys WHERE device_id = ?1",
        [device_id],
        |r| r.get(0),
    )?;
    if published >= MAX_KEYS_PER_DEVICE {
        return Err(ApiError::conflict(format!(
            "this counter has published {published} receipt keys, the most one counter may; replace it (motcua central replace) to give its successor a new key"
        )));
    }
    // Another central process may be adding a key for this office too.
    conn.lock(office)?;
    let next: i64 = conn.query_row(
        "SELECT coalesce(max(key_id), 0) + 1 FROM office_keys WHERE office = ?1",
        [office],
        |r| r.get(0),
    )?;
    if next > MAX_KEY_ID {
        return Err(ApiError::conflict(format!(
            "office {office} has no receipt key id left"
        )));
    }
    let key_id = u16::try_from(next).map_err(|_| ApiError::internal("key id out of range"))?;
    retire_device(conn, device_id, at)?;
    conn.execute(
        "INSERT INTO office_keys (office, key_id, device_id, public_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![office, key_id, device_id, public_key, at.to_string()],
    )?;
    Ok(PublicKey {
        office: office.to_string(),
        key_id,
        public_key: public_key.to_string(),
        retired_at: None,
        device_id: Some(device_id),
    })
}

/// Retires the key counter `device_id` signs with, if any, at `at`: a
/// receipt it signs after that is refused. Answers how many keys it retired.
pub fn retire_device(conn: &Conn, device_id: i64, at: jiff::Timestamp) -> Result<usize, ApiError> {
    Ok(conn.execute(
        "UPDATE office_keys SET retired_at = ?2 WHERE device_id = ?1 AND retired_at IS NULL",
        params![device_id, at.to_string()],
    )?)
}

/// Every office's public keys, with when each was retired and by whom it
/// is owned.
pub fn all(conn: &Conn) -> Result<Vec<PublicKey>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT office, key_id, public_key, retired_at, device_id FROM office_keys ORDER BY office, key_id",
    )?;
    let rows = stmt.query_map((), |r| {
        Ok(PublicKey {
            office: r.get(0)?,
            key_id: r.get(1)?,
            public_key: r.get(2)?,
            retired_at: r.get(3)?,
            device_id: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFICE: &str = "000.00.01.H26";

    fn office() -> (tempfile::TempDir, Conn<'static>) {
        let dir = tempfile::tempdir().unwrap();
        let _db = crate::db::Db::open(dir.path(), 1024).unwrap();
        let c = Conn::open_sqlite(dir.path().join(crate::db::DB_FILE)).unwrap();
        c.execute("INSERT INTO offices (code, name) VALUES (?1, ?1)", [OFFICE])
            .unwrap();
        for id in 1..=3 {
            c.execute(
                "INSERT INTO devices (id, office, role, name, slot, created_at) VALUES (?1, ?2, 'counter', 'Quầy', ?1, '2026-11-01T00:00:00Z')",
                params![id, OFFICE],
            )
            .unwrap();
        }
        (dir, c)
    }

    fn at(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    fn hex(n: u32) -> String {
        format!("{n:064x}")
    }

    fn retired(c: &Conn<'static>, key_id: u16) -> Option<String> {
        all(c)
            .unwrap()
            .into_iter()
            .find(|k| k.key_id == key_id)
            .unwrap()
            .retired_at
    }

    #[test]
    fn a_new_key_retires_the_counters_previous_one_and_no_other() {
        let (_dir, c) = office();
        let a1 = add(&c, OFFICE, 1, &hex(1), at("2026-11-28T01:00:00Z")).unwrap();
        let b1 = add(&c, OFFICE, 2, &hex(2), at("2026-11-28T01:05:00Z")).unwrap();
        assert_eq!((a1.key_id, b1.key_id), (1, 2));
        assert_eq!(a1.device_id, Some(1));
        let a2 = add(&c, OFFICE, 1, &hex(3), at("2026-11-28T02:00:00Z")).unwrap();
        assert_eq!(a2.key_id, 3);
        assert_eq!(retired(&c, 1).as_deref(), Some("2026-11-28T02:00:00Z"));
        assert_eq!(retired(&c, 2), None, "another counter's key stays in use");
        assert_eq!(retired(&c, 3), None);
        // One key in use per counter.
        let in_use: i64 = c
            .query_row(
                "SELECT count(*) FROM office_keys WHERE device_id = 1 AND retired_at IS NULL",
                (),
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(in_use, 1);
        // The key in use, published again, is the same key under the same id.
        let again = add(&c, OFFICE, 1, &hex(3), at("2026-11-28T03:00:00Z")).unwrap();
        assert_eq!(again.key_id, 3);
        assert_eq!(retired(&c, 3), None);
        assert_eq!(all(&c).unwrap().len(), 3);
    }

    #[test]
    fn revoking_a_counter_retires_its_key() {
        let (_dir, c) = office();
        add(&c, OFFICE, 1, &hex(1), at("2026-11-28T01:00:00Z")).unwrap();
        add(&c, OFFICE, 2, &hex(2), at("2026-11-28T01:00:00Z")).unwrap();
        assert!(crate::repo::devices::revoke_at(&c, 1, at("2026-11-29T08:00:00Z")).unwrap());
        assert_eq!(retired(&c, 1).as_deref(), Some("2026-11-29T08:00:00Z"));
        assert_eq!(retired(&c, 2), None);
        // Revoked again: nothing changes, the first time stands.
        assert!(!crate::repo::devices::revoke_at(&c, 1, at("2026-11-30T08:00:00Z")).unwrap());
        assert_eq!(retired(&c, 1).as_deref(), Some("2026-11-29T08:00:00Z"));
    }

    #[test]
    fn a_replaced_counter_s_key_is_retired() {
        let (_dir, c) = office();
        add(&c, OFFICE, 1, &hex(1), at("2026-11-28T01:00:00Z")).unwrap();
        crate::repo::devices::replace(&c, 1, 2).unwrap();
        assert!(retired(&c, 1).is_some());
    }

    #[test]
    fn one_counter_cannot_spend_the_office_s_key_ids() {
        let (_dir, c) = office();
        let t = at("2026-11-28T01:00:00Z");
        for n in 0..MAX_KEYS_PER_DEVICE as u32 {
            add(&c, OFFICE, 1, &hex(100 + n), t).unwrap();
        }
        for n in 0..50 {
            let e = add(&c, OFFICE, 1, &hex(1000 + n), t).unwrap_err();
            assert_eq!(e.status, axum::http::StatusCode::CONFLICT);
            assert!(e.message.contains("motcua central replace"), "{}", e.message);
        }
        // The counter still signs with its last key, and the next counter
        // of the office gets the next id.
        assert_eq!(all(&c).unwrap().iter().filter(|k| k.retired_at.is_none()).count(), 1);
        let other = add(&c, OFFICE, 2, &hex(7), t).unwrap();
        assert_eq!(i64::from(other.key_id), MAX_KEYS_PER_DEVICE + 1);
    }

    #[test]
    fn an_office_out_of_ids_is_told_so_without_overflowing() {
        let (_dir, c) = office();
        c.execute(
            "INSERT INTO office_keys (office, key_id, device_id, public_key, created_at) VALUES (?1, 65535, 3, ?2, '2026-11-01T00:00:00Z')",
            params![OFFICE, hex(9)],
        )
        .unwrap();
        let e = add(&c, OFFICE, 1, &hex(1), at("2026-11-28T01:00:00Z")).unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::CONFLICT);
        assert!(e.message.contains("no receipt key id left"), "{}", e.message);
        // Nothing of the counter's changed.
        assert_eq!(all(&c).unwrap().len(), 1);
    }
}
