//! The counter's officers: PINs (Argon2) and sign-in with lock-out.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

/// Failed PIN tries before an officer is locked out.
pub const MAX_PIN_FAILURES: u32 = 5;
/// How long a lock-out lasts.
pub const LOCKOUT: jiff::SignedDuration = jiff::SignedDuration::from_mins(5);

/// Where failed sign-ins of an ID are kept: a `meta` row keyed by this
/// prefix and the ID as typed, so IDs nobody has count too.
const SIGN_IN_KEY: &str = "sign-in:";
/// Seconds after which the failures of an ID not locked out are forgotten.
const FORGET_FAILURES_AFTER: i64 = 24 * 3600;

/// An Argon2id hash (this crate's default parameters) of no PIN anyone
/// holds: an unknown ID is checked against it, so it costs the same time
/// as a known one.
pub const DUMMY_PIN_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$qd2QsYd1fY7Pq8x5W8ERxJ0lQb8yv9DZ8mVgU0mR1pA";

/// The failed sign-ins of one ID.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Tries {
    failures: u32,
    /// Unix seconds of the last failure.
    last: i64,
    /// Unix seconds until which the ID is locked out.
    locked_until: Option<i64>,
}

/// An officer signed in at a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub id: String,
    pub name: String,
}

/// Why a sign-in was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    #[error("unknown officer or wrong PIN")]
    Refused { tries_left: u32 },
    #[error("locked after too many wrong PINs, until {until}")]
    Locked { until: Timestamp },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why an officer cannot be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfficerError {
    #[error("the PIN must be 4 to 12 digits")]
    BadPin,
    #[error("the officer needs an id and a name")]
    Unnamed,
    /// Central refuses this id on every call (422 `invalid_officer`).
    #[error(
        "the officer id must be 1 to 32 letters, digits, spaces or - . _ @, beginning and ending with a letter or digit / mã cán bộ gồm 1–32 chữ, số, dấu cách hoặc - . _ @"
    )]
    BadId,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An Argon2 hash of a PIN, with a fresh salt.
pub fn hash_pin(pin: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("random bytes");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a salt");
    argon2::Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .expect("argon2 hashes a PIN")
        .to_string()
}

/// Whether `pin` is the one `stored` hashes.
pub fn pin_matches(pin: &str, stored: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(stored)
        .map(|h| argon2::Argon2::default().verify_password(pin.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

impl Store {
    /// Adds (or replaces) an officer with a PIN of 4 to 12 digits.
    pub fn set_officer(&mut self, id: &str, name: &str, pin: &str) -> Result<(), OfficerError> {
        if pin.len() < 4 || pin.len() > 12 || !pin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(OfficerError::BadPin);
        }
        if id.trim().is_empty() || name.trim().is_empty() {
            return Err(OfficerError::Unnamed);
        }
        if !motcua_core::queue::officer_id_ok(id.trim()) {
            return Err(OfficerError::BadId);
        }
        let hash = hash_pin(pin);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO officers (id, name, pin_hash) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash, failures = 0, locked_until = NULL",
                params![id.trim(), name.trim(), hash],
            )?;
            // A new PIN starts with a clean slate.
            tx.execute(
                "DELETE FROM meta WHERE key = ?1",
                [format!("{SIGN_IN_KEY}{}", id.trim())],
            )?;
            Ok(())
        })?;
        Ok(())
    }

    /// Removes officer `id` if `pin` is its PIN (a well-known PIN, such
    /// as the demo officer's); says whether it did.
    pub fn remove_officer_with_pin(&mut self, id: &str, pin: &str) -> Result<bool, StoreError> {
        let hash: Option<String> = self
            .conn
            .query_row("SELECT pin_hash FROM officers WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        if !hash.is_some_and(|h| pin_matches(pin, &h)) {
            return Ok(false);
        }
        self.write(|tx| {
            tx.execute("DELETE FROM officers WHERE id = ?1", [id])?;
            tx.execute("DELETE FROM meta WHERE key = ?1", [format!("{SIGN_IN_KEY}{id}")])
        })?;
        Ok(true)
    }

    /// How many officers may sign in here.
    pub fn officer_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM officers", [], |r| r.get(0))
            .map_err(self.err())
    }

    /// Checks an officer's PIN; locks the ID out for a while after
    /// repeated failures.
    ///
    /// An unknown ID and a known ID with a wrong PIN answer alike, so the
    /// screen cannot be used to find which IDs exist: failures are counted
    /// per ID as typed, whether an officer has it or not, and an unknown ID
    /// costs the same Argon2 work, checked against [`DUMMY_PIN_HASH`].
    pub fn sign_in(&mut self, id: &str, pin: &str, now: Timestamp) -> Result<Officer, SignInError> {
        let id = id.trim();
        let key = format!("{SIGN_IN_KEY}{id}");
        let stored: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [&key], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        let mut tries: Tries = stored.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default();
        if let Some(until) = tries.locked_until.and_then(|s| Timestamp::from_second(s).ok()) {
            if until > now {
                return Err(SignInError::Locked { until });
            }
            // The lock-out is over: a fresh start.
            tries = Tries::default();
        }
        let officer: Option<(String, String)> = self
            .conn
            .query_row("SELECT name, pin_hash FROM officers WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(self.err())?;
        // The same work whether the ID exists or not.
        let hash = officer.as_ref().map_or(DUMMY_PIN_HASH, |(_, h)| h.as_str());
        let matches = pin_matches(pin, hash);
        if let Some((name, _)) = officer
            && matches
        {
            self.write(|tx| tx.execute("DELETE FROM meta WHERE key = ?1", [&key]))?;
            return Ok(Officer {
                id: id.to_string(),
                name,
            });
        }
        tries.failures += 1;
        tries.last = now.as_second();
        let answer = if tries.failures >= MAX_PIN_FAILURES {
            let until = Timestamp::from_second(now.as_second() + LOCKOUT.as_secs()).unwrap_or(now + LOCKOUT);
            tries.failures = 0;
            tries.locked_until = Some(until.as_second());
            SignInError::Locked { until }
        } else {
            SignInError::Refused {
                tries_left: MAX_PIN_FAILURES - tries.failures,
            }
        };
        let value = serde_json::to_string(&tries).unwrap_or_default();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            // IDs typed once and never again are forgotten after a day, so
            // the table stays small whatever is typed.
            tx.execute(
                "DELETE FROM meta WHERE key LIKE 'sign-in:%'
                 AND coalesce(json_extract(value, '$.last'), 0) < ?1
                 AND coalesce(json_extract(value, '$.locked_until'), 0) < ?2",
                params![now.as_second() - FORGET_FAILURES_AFTER, now.as_second()],
            )
        })?;
        Err(answer)
    }
}
