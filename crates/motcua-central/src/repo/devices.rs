//! Devices, enrollment tokens and credentials in central's database: a
//! token is exchanged once for a device and its bearer credential, both
//! stored only as hashes; devices are revoked and replaced here.

use crate::sql::{Conn, OptionalExtension, params};

use crate::auth::{hash, random_secret};
use crate::error::ApiError;
use motcua_api::model::{Device, Role};

/// How long an enrollment token stays valid.
const TOKEN_DAYS: i64 = 7;

/// Creates an office if needed and a one-time enrollment token for a
/// device of it. Returns the token (shown once).
pub fn create_enrollment(conn: &Conn, office: &str, role: Role, name: &str) -> Result<String, ApiError> {
    create_enrollment_replacing(conn, office, role, name, None)
}

/// A one-time enrollment token for a device that, with `replaces`, takes
/// the place of a broken one of the same office and role: it will send
/// what the old one left unsent, and the old one is revoked when it enrolls.
pub fn create_enrollment_replacing(
    conn: &Conn,
    office: &str,
    role: Role,
    name: &str,
    replaces: Option<i64>,
) -> Result<String, ApiError> {
    if let Some(old) = replaces {
        check_replaceable(conn, old, office, role)?;
    }
    let token = random_secret();
    let now = jiff::Timestamp::now();
    let expires = now + jiff::SignedDuration::from_hours(24 * TOKEN_DAYS);
    conn.execute(
        "INSERT INTO offices (code, name) VALUES (?1, ?1) ON CONFLICT DO NOTHING",
        params![office],
    )?;
    conn.execute(
        "INSERT INTO enrollments (token_hash, office, role, name, created_at, expires_at, replaces) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![hash(&token), office, role.as_str(), name, now.to_string(), expires.to_string(), replaces],
    )?;
    Ok(token)
}

/// Exchanges a one-time token for a device and its credential.
pub fn enroll(conn: &Conn, token: &str) -> Result<(Device, String), ApiError> {
    enroll_at(conn, token, jiff::Timestamp::now())
}

/// [`enroll`] at `now` on central's clock: it decides whether the token
/// has expired and is kept as the device's enrollment time.
pub fn enroll_at(conn: &Conn, token: &str, now: jiff::Timestamp) -> Result<(Device, String), ApiError> {
    type Row = (String, String, String, String, Option<String>, Option<i64>);
    let row: Option<Row> = conn
        .query_row(
            "SELECT office, role, name, expires_at, used_at, replaces FROM enrollments WHERE token_hash = ?1",
            [hash(token)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let Some((office, role, name, expires_at, used_at, replaces)) = row else {
        return Err(ApiError::unauthorized("unknown enrollment token"));
    };
    if used_at.is_some() {
        return Err(ApiError::unauthorized("this enrollment token was already used"));
    }
    if expires_at.parse::<jiff::Timestamp>().map(|e| e < now).unwrap_or(true) {
        return Err(ApiError::unauthorized("this enrollment token has expired"));
    }
    let role = Role::parse(&role).ok_or_else(|| ApiError::internal("stored role is invalid"))?;
    // Another central process may be enrolling in this office too.
    conn.lock(&office)?;
    let slot: u32 = conn.query_row(
        "SELECT coalesce(max(slot), 0) + 1 FROM devices WHERE office = ?1",
        [&office],
        |r| r.get(0),
    )?;
    let credential = random_secret();
    let device_id: i64 = conn.query_row(
        "INSERT INTO devices (office, role, name, slot, credential_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![office, role.as_str(), name, slot, hash(&credential), now.to_string()],
        |r| r.get(0),
    )?;
    conn.execute(
        "UPDATE enrollments SET used_at = ?1 WHERE token_hash = ?2",
        params![now.to_string(), hash(token)],
    )?;
    if let Some(old) = replaces {
        replace(conn, old, device_id)?;
    }
    Ok((
        Device {
            device_id,
            office,
            role,
            name,
            slot,
        },
        credential,
    ))
}

/// Revokes a device: its credential stops working at once, and its
/// receipt key (a counter's) is retired, so a receipt signed after now is
/// refused everywhere the key list reaches.
pub fn revoke(conn: &Conn, device_id: i64) -> Result<bool, ApiError> {
    revoke_at(conn, device_id, jiff::Timestamp::now())
}

/// [`revoke`] at `at` on central's clock. A device already revoked keeps
/// its first revocation time, and so does its key.
pub fn revoke_at(conn: &Conn, device_id: i64, at: jiff::Timestamp) -> Result<bool, ApiError> {
    let n = conn.execute(
        "UPDATE devices SET revoked_at = ?1, credential_hash = NULL WHERE id = ?2 AND revoked_at IS NULL",
        params![at.to_string(), device_id],
    )?;
    if n == 1 {
        super::keys::retire_device(conn, device_id, at)?;
    }
    Ok(n == 1)
}

/// Refuses to replace a device that is not of `office` and `role`, or that
/// another device already replaced.
fn check_replaceable(conn: &Conn, old: i64, office: &str, role: Role) -> Result<(), ApiError> {
    let found: Option<(String, String, bool)> = conn
        .query_row(
            "SELECT office, role, EXISTS (SELECT 1 FROM devices s WHERE s.predecessor = d.id)
             FROM devices d WHERE id = ?1",
            [old],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match found {
        None => Err(ApiError::not_found(format!("no device {old}"))),
        Some((o, r, _)) if o != office || r != role.as_str() => Err(ApiError::unprocessable(format!(
            "device {old} is a {r} of office {o}: a replacement must be a {} of office {office}",
            role.as_str()
        ))),
        Some((_, _, true)) => Err(ApiError::conflict(format!("device {old} was already replaced"))),
        Some(_) => Ok(()),
    }
}

/// Makes device `new` the successor of device `old` (same office, same
/// role): central accepts from `new`, once, what `old` wrote and never sent
/// (offline tickets of its slot up to the day of the replacement, voids of
/// its requests), and `old` is revoked if it was not already.
pub fn replace(conn: &Conn, old: i64, new: i64) -> Result<(), ApiError> {
    if old == new {
        return Err(ApiError::unprocessable("a device cannot replace itself"));
    }
    let successor: Option<(String, String, Option<i64>)> = conn
        .query_row(
            "SELECT office, role, predecessor FROM devices WHERE id = ?1 AND revoked_at IS NULL",
            [new],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((office, role, predecessor)) = successor else {
        return Err(ApiError::not_found(format!("no active device {new}")));
    };
    if let Some(p) = predecessor {
        return Err(ApiError::conflict(format!("device {new} already replaces device {p}")));
    }
    let role = Role::parse(&role).ok_or_else(|| ApiError::internal("stored role is invalid"))?;
    check_replaceable(conn, old, &office, role)?;
    conn.execute("UPDATE devices SET predecessor = ?1 WHERE id = ?2", params![old, new])?;
    revoke(conn, old)?;
    Ok(())
}

/// A device and the devices it replaced, newest first: whose records it
/// may send. Each is `(id, slot, enrolled at)`.
pub fn lineage(conn: &Conn, device_id: i64) -> Result<Vec<(i64, u32, String)>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE line (id, depth) AS (
             SELECT CAST(?1 AS BIGINT), 0
             UNION ALL
             SELECT d.predecessor, line.depth + 1 FROM devices d JOIN line ON d.id = line.id
             WHERE d.predecessor IS NOT NULL AND line.depth < 64)
         SELECT d.id, d.slot, d.created_at FROM line JOIN devices d ON d.id = line.id ORDER BY line.depth",
    )?;
    let rows = stmt.query_map([device_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The device a credential belongs to, if it is valid.
pub fn device_of(conn: &Conn, credential: &str) -> Result<Option<Device>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, office, role, name, slot FROM devices WHERE credential_hash = ?1 AND revoked_at IS NULL",
    )?;
    let device = stmt
        .query_row([hash(credential)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })
        .optional()?;
    Ok(device.and_then(|(device_id, office, role, name, slot)| {
        Some(Device {
            device_id,
            office,
            role: Role::parse(&role)?,
            name,
            slot,
        })
    }))
}

/// Enrolls a device of this machine on the machine's own central in one
/// step: a token made and exchanged at once. Answers the device and its
/// credential.
pub fn enroll_local(conn: &Conn, office: &str, role: Role) -> Result<(Device, String), ApiError> {
    let token = create_enrollment(conn, office, role, &format!("{} (this machine)", role.as_str()))?;
    enroll(conn, &token)
}

/// Of `devices`, those that are not revoked.
pub fn active_among(conn: &Conn, devices: &[i64]) -> Result<Vec<i64>, ApiError> {
    let ids = serde_json::to_string(devices).expect("ids serialize");
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM devices WHERE revoked_at IS NULL AND id IN (SELECT CAST(value AS BIGINT) FROM json_each(?1))",
    )?;
    let rows = stmt.query_map(params![ids], |r| r.get::<_, i64>(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Records a client certificate central issued to `device_id`.
pub fn add_cert(
    conn: &Conn,
    device_id: i64,
    fingerprint: &str,
    not_after: jiff::Timestamp,
    now: jiff::Timestamp,
) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO device_certs (fingerprint, device_id, issued_at, not_after) VALUES (?1, ?2, ?3, ?4)",
        params![fingerprint, device_id, now.to_string(), not_after.to_string()],
    )?;
    Ok(())
}

/// The device a client certificate (by fingerprint) was issued to, if it
/// was issued to `device_id` and the device is not revoked.
pub fn cert_is_of(conn: &Conn, fingerprint: &str, device_id: i64) -> Result<bool, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM device_certs c JOIN devices d ON d.id = c.device_id
                         WHERE c.fingerprint = ?1 AND c.device_id = ?2 AND d.revoked_at IS NULL)",
    )?;
    Ok(stmt.query_row(params![fingerprint, device_id], |r| r.get(0))?)
}

/// Fingerprints of the certificates of revoked devices that have not yet
/// expired: refused at the handshake.
pub fn revoked_certs(conn: &Conn, now: jiff::Timestamp) -> Result<Vec<String>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.fingerprint FROM device_certs c JOIN devices d ON d.id = c.device_id
          WHERE d.revoked_at IS NOT NULL AND c.not_after > ?1",
    )?;
    let rows = stmt.query_map([now.to_string()], |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
