//! Capped exponential backoff with full jitter, for every loop that retries
//! a peer (the outbox, event streams, the portal).

use std::time::Duration;

/// Capped exponential backoff with full jitter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    attempt: u32,
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration) -> Self {
        Self { base, cap, attempt: 0 }
    }

    /// The next wait: uniform in [0, min(cap, base·2^attempt)], `unit` being
    /// a random number in [0, 1).
    pub fn next(&mut self, unit: f64) -> Duration {
        let ceiling = self.base.saturating_mul(1u32 << self.attempt.min(20)).min(self.cap);
        self.attempt = self.attempt.saturating_add(1);
        ceiling.mul_f64(unit.clamp(0.0, 1.0))
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

/// A random number in [0, 1).
pub fn unit() -> f64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("random bytes");
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_its_cap_with_full_jitter() {
        let mut b = Backoff::new(Duration::from_millis(500), Duration::from_secs(8));
        // With the top of the jitter range the ceiling shows: 0.5, 1, 2, 4, 8, 8 s.
        let top = 0.999_999;
        let waits: Vec<u64> = (0..6).map(|_| b.next(top).as_millis() as u64).collect();
        assert_eq!(waits, vec![499, 999, 1999, 3999, 7999, 7999]);
        // The bottom of the range is no wait at all: that is full jitter.
        assert_eq!(b.next(0.0), Duration::ZERO);
        b.reset();
        assert_eq!(b.next(0.5), Duration::from_millis(250));
    }

    #[test]
    fn random_units_are_in_range() {
        for _ in 0..1000 {
            let u = unit();
            assert!((0.0..1.0).contains(&u));
        }
    }
}
