//! Where central and the devices read the time: the system clock in
//! service, a manual clock in tests and simulations, moved forward by hand
//! so a whole office can be run through days in minutes and no test
//! depends on the hour it runs at.

use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

/// A clock: the system's, or a manual one shared by every clone.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<Mutex<Timestamp>>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock standing at `at` until it is moved.
    pub fn manual(at: Timestamp) -> Self {
        Self(Some(Arc::new(Mutex::new(at))))
    }

    /// The time now.
    pub fn now(&self) -> Timestamp {
        match &self.0 {
            None => Timestamp::now(),
            Some(t) => *t.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }

    /// Sets a manual clock to `at`; the system clock cannot be set and
    /// this returns false.
    pub fn set(&self, at: Timestamp) -> bool {
        match &self.0 {
            None => false,
            Some(t) => {
                *t.lock().unwrap_or_else(|p| p.into_inner()) = at;
                true
            }
        }
    }

    /// Moves a manual clock forward (or back) by `by`.
    pub fn advance(&self, by: SignedDuration) -> bool {
        let at = self.now().checked_add(by).unwrap_or(Timestamp::MAX);
        self.set(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_clones_share_it() {
        let start: Timestamp = "2026-04-20T00:30:00Z".parse().unwrap();
        let c = Clock::manual(start);
        let other = c.clone();
        assert_eq!(c.now(), start);
        assert!(other.advance(SignedDuration::from_mins(90)));
        assert_eq!(c.now(), "2026-04-20T02:00:00Z".parse().unwrap());
        assert!(!Clock::system().set(start));
    }
}
