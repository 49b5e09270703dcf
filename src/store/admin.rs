//! The kiosk's admin exit PIN: wrong tries are counted in `meta`, so a
//! restart does not forget them, and after [`ADMIN_MAX_FAILURES`] in a row
//! the pad is locked, each lock-out longer than the last
//! ([`ADMIN_LOCKOUTS`]). Time is the caller's (the kiosk's clock).

use jiff::{SignedDuration, Timestamp};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

/// Wrong PINs in a row before the pad locks.
pub const ADMIN_MAX_FAILURES: u32 = 5;
/// How long the pad stays locked: the first lock-out, the second, … and
/// the last for every one after.
pub const ADMIN_LOCKOUTS: [SignedDuration; 4] = [
    SignedDuration::from_mins(1),
    SignedDuration::from_mins(5),
    SignedDuration::from_mins(15),
    SignedDuration::from_mins(60),
];
/// The `meta` row that holds the tries.
const KEY: &str = "admin-exit";
/// Seconds without a wrong PIN after which the lock-outs so far are
/// forgotten (a kiosk tried at once a year ago starts again at one minute).
const FORGET_AFTER: i64 = 24 * 3600;

/// The wrong tries of the admin PIN.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Tries {
    /// Wrong PINs since the last lock-out (or the last right one).
    failures: u32,
    /// Lock-outs since the last right PIN.
    lockouts: u32,
    /// Unix seconds of the last wrong PIN.
    last: i64,
    /// Unix seconds until which the pad is locked.
    locked_until: Option<i64>,
}

/// Why the admin PIN did not open the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminPinError {
    #[error("wrong admin PIN ({tries_left} tries before the pad locks)")]
    Refused { tries_left: u32 },
    #[error("too many wrong admin PINs: locked until {until}")]
    Locked { until: Timestamp },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The lock-out that follows `lockouts` earlier ones.
fn lockout(lockouts: u32) -> SignedDuration {
    ADMIN_LOCKOUTS[(lockouts as usize).min(ADMIN_LOCKOUTS.len() - 1)]
}

impl Store {
    fn admin_tries(&self) -> Result<Tries, StoreError> {
        let stored: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [KEY], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        // A row that does not read (damaged, written by hand) counts as
        // no tries: the PIN is still Argon2-checked, five at a time.
        Ok(stored.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default())
    }

    fn put_admin_tries(&mut self, tries: &Tries) -> Result<(), StoreError> {
        let value = serde_json::to_string(tries).unwrap_or_default();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![KEY, value],
            )
        })?;
        Ok(())
    }

    /// Until when the admin PIN pad is locked, if it is at `now`.
    ///
    /// A lock-out that ends further away than its own length means the
    /// clock was set back: it is shortened to its length from `now`, so a
    /// wrong date cannot lock the pad for years.
    pub fn admin_locked_until(&mut self, now: Timestamp) -> Result<Option<Timestamp>, StoreError> {
        let mut tries = self.admin_tries()?;
        let Some(until) = tries.locked_until.and_then(|s| Timestamp::from_second(s).ok()) else {
            return Ok(None);
        };
        if until <= now {
            return Ok(None);
        }
        let length = lockout(tries.lockouts.saturating_sub(1));
        if until.duration_since(now) > length {
            let until = now.checked_add(length).unwrap_or(until);
            tries.locked_until = Some(until.as_second());
            self.put_admin_tries(&tries)?;
            return Ok(Some(until));
        }
        Ok(Some(until))
    }

    /// Checks the admin exit PIN against `hash` (Argon2): `Ok` opens the
    /// kiosk and forgets the wrong tries. While the pad is locked the PIN
    /// is not checked at all, right or wrong.
    ///
    /// The PIN itself is never stored or logged; every wrong try and
    /// every lock-out is logged (a `warn` on `motcua::audit`).
    pub fn check_admin_pin(&mut self, pin: &str, hash: &str, now: Timestamp) -> Result<(), AdminPinError> {
        if let Some(until) = self.admin_locked_until(now)? {
            tracing::warn!(target: "motcua::audit", %until, "admin PIN tried while the pad is locked");
            return Err(AdminPinError::Locked { until });
        }
        let mut tries = self.admin_tries()?;
        if tries.locked_until.is_some() {
            // The lock-out is over: five more tries.
            tries.failures = 0;
            tries.locked_until = None;
        }
        if now.as_second() - tries.last > FORGET_AFTER {
            tries = Tries::default();
        }
        if super::pin_matches(pin, hash) {
            self.write(|tx| tx.execute("DELETE FROM meta WHERE key = ?1", [KEY]))?;
            tracing::warn!(target: "motcua::audit", "admin PIN accepted on the kiosk screen");
            return Ok(());
        }
        tries.failures += 1;
        tries.last = now.as_second();
        let answer = if tries.failures >= ADMIN_MAX_FAILURES {
            let length = lockout(tries.lockouts);
            let until = now.checked_add(length).unwrap_or(now);
            tries.failures = 0;
            tries.lockouts += 1;
            tries.locked_until = Some(until.as_second());
            tracing::warn!(
                target: "motcua::audit",
                lockout = tries.lockouts,
                minutes = length.as_mins(),
                %until,
                "wrong admin PIN: the pad is locked"
            );
            AdminPinError::Locked { until }
        } else {
            let tries_left = ADMIN_MAX_FAILURES - tries.failures;
            tracing::warn!(target: "motcua::audit", tries_left, "wrong admin PIN on the kiosk screen");
            AdminPinError::Refused { tries_left }
        };
        self.put_admin_tries(&tries)?;
        Err(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn wrong_five(store: &mut Store, hash: &str, now: Timestamp) -> AdminPinError {
        for left in (1..ADMIN_MAX_FAILURES).rev() {
            assert_eq!(
                store.check_admin_pin("0000", hash, now),
                Err(AdminPinError::Refused { tries_left: left })
            );
        }
        store.check_admin_pin("0000", hash, now).unwrap_err()
    }

    #[test]
    fn five_wrong_pins_lock_the_pad_longer_each_time_and_a_right_one_forgives() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let hash = super::super::hash_pin("2468");
        let t0 = at("2026-11-28T02:41:00Z");

        // 1 minute, then 5, 15, 60 and 60 again.
        let mut now = t0;
        for minutes in [1, 5, 15, 60, 60] {
            let until = now + SignedDuration::from_mins(minutes);
            assert_eq!(wrong_five(&mut store, &hash, now), AdminPinError::Locked { until });
            // Locked: even the right PIN is not taken, and the lock does not grow.
            let later = now + SignedDuration::from_secs(59);
            assert_eq!(
                store.check_admin_pin("2468", &hash, later),
                Err(AdminPinError::Locked { until })
            );
            assert_eq!(store.admin_locked_until(later).unwrap(), Some(until));
            now = until;
            assert_eq!(store.admin_locked_until(now).unwrap(), None);
        }

        // A restart keeps the count: the sixth lock-out is still an hour.
        drop(store);
        let mut store = Store::open(dir.path()).unwrap();
        assert_eq!(
            wrong_five(&mut store, &hash, now),
            AdminPinError::Locked {
                until: now + SignedDuration::from_mins(60)
            }
        );
        drop(store);
        let mut store = Store::open(dir.path()).unwrap();
        assert!(
            store.admin_locked_until(now).unwrap().is_some(),
            "a restart does not unlock"
        );

        // The right PIN after the lock-out opens and starts over at one minute.
        now += SignedDuration::from_mins(60);
        assert_eq!(store.check_admin_pin("2468", &hash, now), Ok(()));
        assert_eq!(
            wrong_five(&mut store, &hash, now),
            AdminPinError::Locked {
                until: now + SignedDuration::from_mins(1)
            }
        );
    }

    #[test]
    fn a_right_pin_resets_the_wrong_tries_and_the_pin_is_never_stored() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let hash = super::super::hash_pin("2468");
        let now = at("2026-11-28T02:41:00Z");
        for _ in 0..ADMIN_MAX_FAILURES - 1 {
            assert!(matches!(
                store.check_admin_pin("13579", &hash, now),
                Err(AdminPinError::Refused { .. })
            ));
        }
        let kept: String = store
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [KEY], |r| r.get(0))
            .unwrap();
        assert!(!kept.contains("13579"), "{kept}");
        assert_eq!(store.check_admin_pin("2468", &hash, now), Ok(()));
        assert_eq!(
            store.check_admin_pin("0000", &hash, now),
            Err(AdminPinError::Refused {
                tries_left: ADMIN_MAX_FAILURES - 1
            })
        );
    }

    #[test]
    fn a_clock_set_back_cannot_lock_the_pad_for_longer_than_its_lockout() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let hash = super::super::hash_pin("2468");
        let now = at("2027-11-28T02:41:00Z");
        assert!(matches!(
            wrong_five(&mut store, &hash, now),
            AdminPinError::Locked { .. }
        ));
        // The clock goes back a year: one minute from then, not a year.
        let back = at("2026-11-28T02:41:00Z");
        assert_eq!(
            store.admin_locked_until(back).unwrap(),
            Some(back + SignedDuration::from_mins(1))
        );
        assert_eq!(
            store.check_admin_pin("2468", &hash, back + SignedDuration::from_mins(1)),
            Ok(())
        );
    }
}
