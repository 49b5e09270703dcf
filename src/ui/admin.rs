//! IT staff's way out of a locked-down kiosk: five quick taps on the
//! office mark, then the admin PIN. The kiosk then exits with
//! [`EXIT_CODE`], which the systemd unit does not restart.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The exit status of an admin exit (`RestartPreventExitStatus=` in the units).
pub const EXIT_CODE: u8 = 10;
/// Taps on the mark that open the PIN pad, and the time they must fall in.
pub const TAPS: usize = 5;
pub const TAPS_WITHIN: Duration = Duration::from_secs(4);
/// Digits of the admin PIN.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=12;

static EXIT_REQUESTED: AtomicBool = AtomicBool::new(false);

/// Whether the kiosk closed because an admin asked it to.
pub fn exit_requested() -> bool {
    EXIT_REQUESTED.load(Ordering::SeqCst)
}

pub(crate) fn request_exit() {
    EXIT_REQUESTED.store(true, Ordering::SeqCst);
}

/// A PIN that is not 4 to 8 digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the PIN must be {} to {} digits", PIN_DIGITS.start(), PIN_DIGITS.end())]
pub struct BadPin;

/// The Argon2 hash of an admin PIN, for `[admin] exit_pin_hash`.
pub fn hash_pin(pin: &str) -> Result<String, BadPin> {
    if !PIN_DIGITS.contains(&pin.len()) || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(BadPin);
    }
    Ok(crate::store::hash_pin(pin))
}

/// Counts taps on the mark; true when the last [`TAPS`] fell within
/// [`TAPS_WITHIN`].
#[derive(Debug, Default)]
pub struct Taps(Vec<Instant>);

impl Taps {
    pub fn tap(&mut self, at: Instant) -> bool {
        self.0.retain(|t| at.saturating_duration_since(*t) <= TAPS_WITHIN);
        self.0.push(at);
        if self.0.len() >= TAPS {
            self.0.clear();
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_quick_taps_open_and_slow_ones_do_not() {
        let t0 = Instant::now();
        let mut taps = Taps::default();
        let at = |ms| t0 + Duration::from_millis(ms);
        assert!(![0, 300, 600, 900].into_iter().any(|ms| taps.tap(at(ms))));
        assert!(taps.tap(at(1200)));
        let mut slow = Taps::default();
        assert!(
            ![0, 2000, 4000, 6000, 8000, 10000]
                .into_iter()
                .any(|ms| slow.tap(at(ms)))
        );
    }

    #[test]
    fn pins_are_digits_and_hashed() {
        assert!(hash_pin("12a4").is_err() && hash_pin("123").is_err());
        let h = hash_pin("2468").unwrap();
        assert!(h.starts_with("$argon2id$") && !h.contains("2468"));
        assert!(crate::store::pin_matches("2468", &h) && !crate::store::pin_matches("2469", &h));
    }
}
