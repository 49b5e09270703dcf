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

/// A request a load loop sends: the HTTP client, central's URL, the
/// device's credential and a number unique to this request.
pub type Request = fn(&reqwest::Client, &str, &str, usize) -> reqwest::RequestBuilder;

/// Runs one loop of `request` per client for `seconds`, client `c` on
/// `urls[c % urls.len()]` (central processes sharing one database);
/// returns answers per second. Every request must succeed.
pub fn load(urls: &[String], clients: Vec<(String, reqwest::Client)>, seconds: u64, request: Request) -> f64 {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Instant;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for (c, (credential, http)) in clients.into_iter().enumerate() {
            let (url, done, failed) = (urls[c % urls.len()].clone(), done.clone(), failed.clone());
            tasks.push(tokio::spawn(async move {
                let mut i = 0;
                while Instant::now() < deadline {
                    let r = request(&http, &url, &credential, c * 10_000_000 + i).send().await;
                    match r {
                        Ok(r) if r.status().is_success() => done.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                    i += 1;
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
    let elapsed = start.elapsed().as_secs_f64();
    assert_eq!(failed.load(Ordering::Relaxed), 0, "requests failed under load");
    done.load(Ordering::Relaxed) as f64 / elapsed
}

/// A ticket of group A..D, by `i`.
pub fn ticket_request(http: &reqwest::Client, url: &str, credential: &str, i: usize) -> reqwest::RequestBuilder {
    http.post(format!("{url}/v1/tickets"))
        .bearer_auth(credential)
        .header("idempotency-key", format!("t-{i}"))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"group":"{}","lane":"normal"}}"#,
            ["A", "B", "C", "D"][i % 4]
        ))
}

/// A dossier upsert: 5,000 codes per client, each written again and again.
pub fn dossier_request(http: &reqwest::Client, url: &str, credential: &str, i: usize) -> reqwest::RequestBuilder {
    http.put(format!(
        "{url}/v1/dossiers/000.00.01.H26-261128-{:07}",
        i % 5000 + (i / 10_000_000) * 5000
    ))
    .bearer_auth(credential)
    .header("idempotency-key", format!("d-{i}"))
    .header("content-type", "application/json")
    .body(dossier_body(i))
}

/// A dossier as a counter sends it (personal data made up).
pub fn dossier_body(i: usize) -> String {
    serde_json::json!({
        "procedure_code": "1.001193",
        "procedure_name": "Thủ tục đăng ký khai sinh",
        "applicant": {"name": "Người Thử", "id_number": "001099012345", "kind": 1, "phone": "0987654321", "address": "Hà Nội"},
        "received_at": "2026-11-28T02:41:00Z",
        "due_at": "2026-11-28T10:00:00Z",
        "status": 2 + (i % 2) as u8,
        "channel": 1,
    })
    .to_string()
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
