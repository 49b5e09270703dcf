//! Latency percentiles, computed one way for every bench.

use std::time::Duration;

/// Measured durations, sorted once; percentiles by nearest rank.
pub struct Percentiles {
    sorted: Vec<Duration>,
}

impl Percentiles {
    pub fn new(mut samples: Vec<Duration>) -> Self {
        assert!(!samples.is_empty(), "no samples to take percentiles of");
        samples.sort();
        Self { sorted: samples }
    }

    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The `p`-th quantile (0 < p ≤ 1) by nearest rank: the smallest sample
    /// at or above `p` of them all; `at(1.0)` is the slowest.
    pub fn at(&self, p: f64) -> Duration {
        let n = self.sorted.len();
        let rank = ((n as f64 * p).ceil() as usize).clamp(1, n);
        self.sorted[rank - 1]
    }

    /// [`Percentiles::at`] in milliseconds, as the benches print it.
    pub fn ms(&self, p: f64) -> f64 {
        self.at(p).as_secs_f64() * 1e3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let p = Percentiles::new((1..=100).rev().map(Duration::from_millis).collect());
        assert_eq!(p.at(0.5), Duration::from_millis(50));
        assert_eq!(p.at(0.99), Duration::from_millis(99));
        assert_eq!(p.at(1.0), Duration::from_millis(100));
        assert_eq!(p.at(0.0), Duration::from_millis(1));
        assert_eq!(
            Percentiles::new(vec![Duration::from_millis(7)]).at(0.99),
            Duration::from_millis(7)
        );
    }
}
