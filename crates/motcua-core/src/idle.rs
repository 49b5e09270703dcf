//! When to warn an idle citizen and when to reset the kiosk.
//!
//! After `timeout` without a touch the kiosk asks "are you still there?"
//! with a visible countdown of `warning`; when that runs out, everything the
//! citizen touched is cleared and the welcome screen returns.

use std::time::{Duration, Instant};

/// Where an idle kiosk stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Active,
    /// The countdown is showing, with whole seconds left (rounded up).
    Warning {
        seconds_left: u64,
    },
    /// Time is up: reset.
    Expired,
}

#[derive(Debug, Clone, Copy)]
pub struct IdleTimer {
    timeout: Duration,
    warning: Duration,
    last_activity: Instant,
}

impl IdleTimer {
    pub fn new(timeout: Duration, warning: Duration, now: Instant) -> Self {
        Self {
            timeout,
            warning,
            last_activity: now,
        }
    }

    /// A citizen who needs more time gets it: the count so far stands.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// A touch, a key or a scan: the citizen is still there.
    pub fn touch(&mut self, now: Instant) {
        self.last_activity = now;
    }

    pub fn phase(&self, now: Instant) -> Phase {
        let idle = now.saturating_duration_since(self.last_activity);
        if idle < self.timeout {
            Phase::Active
        } else if idle < self.timeout + self.warning {
            let left = self.timeout + self.warning - idle;
            Phase::Warning {
                seconds_left: left.as_millis().div_ceil(1000) as u64,
            }
        } else {
            Phase::Expired
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn active_then_warning_then_expired() {
        let t0 = Instant::now();
        let timer = IdleTimer::new(S(60), S(20), t0);
        assert_eq!(timer.phase(t0), Phase::Active);
        assert_eq!(timer.phase(t0 + S(59)), Phase::Active);
        assert_eq!(timer.phase(t0 + S(60)), Phase::Warning { seconds_left: 20 });
        assert_eq!(
            timer.phase(t0 + S(60) + Duration::from_millis(500)),
            Phase::Warning { seconds_left: 20 }
        );
        assert_eq!(timer.phase(t0 + S(79)), Phase::Warning { seconds_left: 1 });
        assert_eq!(timer.phase(t0 + S(80)), Phase::Expired);
    }

    #[test]
    fn a_touch_restarts_the_count() {
        let t0 = Instant::now();
        let mut timer = IdleTimer::new(S(60), S(20), t0);
        timer.touch(t0 + S(70));
        assert_eq!(timer.phase(t0 + S(80)), Phase::Active);
        assert_eq!(timer.phase(t0 + S(130)), Phase::Warning { seconds_left: 20 });
    }

    #[test]
    fn a_clock_going_backwards_keeps_it_active() {
        let t0 = Instant::now() + S(100);
        let timer = IdleTimer::new(S(60), S(20), t0);
        assert_eq!(timer.phase(t0 - S(50)), Phase::Active);
    }
}
