//! A token bucket per network address, for what comes before a device is
//! known: enrollment and the OpenAPI document take a token per request,
//! and a request turned away for its credential (401) costs one after the
//! fact, so one host cannot try tokens or credentials at speed. An address
//! with no token left is told to wait (429 with Retry-After).
//!
//! Liveness and version probes are never limited, nor is loopback (the
//! in-process central and IT staff on the machine itself). The address
//! comes from the connection (`ConnectInfo`); a request without one (the
//! router driven in process) is not limited. Time is central's clock.
//!
//! Memory is bounded: at most [`MAX_PEERS`] buckets; a full bucket is the
//! same as none and is dropped first, then the least recently seen half.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

use crate::App;
use crate::error::ApiError;

/// Requests an address may send at once before it must wait.
pub const BURST: f64 = 20.0;
/// Requests per second an address gets back, sustained (one every 2 s).
pub const PER_SECOND: f64 = 0.5;
/// Addresses remembered at most.
pub const MAX_PEERS: usize = 4096;

/// Paths anyone may ask for without a credential, a token each.
const OPEN: &[&str] = &["/v1/enroll", "/v1/openapi.json"];
/// Probes never limited: a monitor polling them must not be turned away.
const PROBES: &[&str] = &["/healthz", "/readyz", "/v1/version", "/metrics"];

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    /// Milliseconds since the epoch, on central's clock.
    last: i64,
}

/// Token buckets keyed by address.
pub struct PeerLimiter {
    per_second: f64,
    burst: f64,
    max_peers: usize,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl Default for PeerLimiter {
    fn default() -> Self {
        Self::new(PER_SECOND, BURST, MAX_PEERS)
    }
}

/// The key of an address: IPv4 as it is (an IPv4-mapped IPv6 address is
/// its IPv4 one), IPv6 by its /64, which one host may fill at will.
fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

impl PeerLimiter {
    pub fn new(per_second: f64, burst: f64, max_peers: usize) -> Self {
        Self {
            per_second,
            burst,
            max_peers: max_peers.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// How many addresses are remembered.
    pub fn len(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn refill(&self, bucket: &mut Bucket, now: i64) {
        // A clock set back gives nothing and takes nothing.
        let elapsed = (now - bucket.last).max(0) as f64 / 1000.0;
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.last = bucket.last.max(now);
    }

    fn wait(&self, tokens: f64) -> u64 {
        ((1.0 - tokens) / self.per_second).ceil().max(1.0) as u64
    }

    /// Runs `f` on the (refilled) bucket of `ip`, making room for it first.
    fn with<T>(&self, ip: IpAddr, now: Timestamp, f: impl FnOnce(&mut Bucket) -> T) -> T {
        let now = now.as_millisecond();
        let ip = key(ip);
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if !buckets.contains_key(&ip) && buckets.len() >= self.max_peers {
            // A full bucket is the same as none.
            buckets.retain(|_, b| {
                let mut b = *b;
                self.refill(&mut b, now);
                b.tokens < self.burst
            });
            if buckets.len() >= self.max_peers {
                // Still full: forget the least recently seen half.
                let mut seen: Vec<i64> = buckets.values().map(|b| b.last).collect();
                let middle = seen.len() / 2;
                let (_, median, _) = seen.select_nth_unstable(middle);
                let median = *median;
                buckets.retain(|_, b| b.last > median);
            }
        }
        let bucket = buckets.entry(ip).or_insert(Bucket {
            tokens: self.burst,
            last: now,
        });
        self.refill(bucket, now);
        f(bucket)
    }

    /// Takes a token for `ip`, or says how many seconds to wait.
    pub fn take(&self, ip: IpAddr, now: Timestamp) -> Result<(), u64> {
        self.with(ip, now, |b| {
            if b.tokens >= 1.0 {
                b.tokens -= 1.0;
                Ok(())
            } else {
                Err(self.wait(b.tokens))
            }
        })
    }

    /// Seconds `ip` must wait before it is heard again, if it must.
    pub fn blocked(&self, ip: IpAddr, now: Timestamp) -> Option<u64> {
        let key = key(ip);
        let known = self
            .buckets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(&key);
        if !known {
            return None;
        }
        self.with(ip, now, |b| (b.tokens < 1.0).then(|| self.wait(b.tokens)))
    }

    /// Takes a token for `ip` after the fact (a request it should not
    /// have sent), down to none.
    pub fn charge(&self, ip: IpAddr, now: Timestamp) {
        self.with(ip, now, |b| b.tokens = (b.tokens - 1.0).max(0.0));
    }
}

fn too_many(wait: u64) -> Response {
    ApiError {
        retry_after: Some(wait),
        ..ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests from this address",
        )
    }
    .into_response()
}

/// The layer: limits the requests of one address as the module says.
pub async fn limit(State(app): State<App>, request: Request, next: Next) -> Response {
    let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() else {
        return next.run(request).await;
    };
    let ip = peer.ip();
    let path = request.uri().path();
    if ip.is_loopback() || PROBES.contains(&path) {
        return next.run(request).await;
    }
    if OPEN.contains(&path) {
        if let Err(wait) = app.peers.take(ip, app.now()) {
            tracing::warn!(peer = %ip, "rate-limited: too many unauthenticated requests");
            return too_many(wait);
        }
        return next.run(request).await;
    }
    if let Some(wait) = app.peers.blocked(ip, app.now()) {
        return too_many(wait);
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        app.peers.charge(ip, app.now());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_address_gets_its_burst_then_waits_and_is_refilled_on_the_clock() {
        let l = PeerLimiter::new(0.5, 3.0, 16);
        let a = ip("192.168.1.20");
        for _ in 0..3 {
            assert_eq!(l.take(a, t(0)), Ok(()));
        }
        assert_eq!(l.take(a, t(0)), Err(2));
        // Another address is not held up.
        assert_eq!(l.take(ip("192.168.1.21"), t(0)), Ok(()));
        assert_eq!(l.blocked(a, t(1)), Some(1));
        assert_eq!(l.take(a, t(2)), Ok(()));
        assert_eq!(l.take(a, t(2)), Err(2));
    }

    #[test]
    fn failures_charged_after_the_fact_block_the_address() {
        let l = PeerLimiter::new(0.5, 2.0, 16);
        let a = ip("10.0.0.7");
        assert_eq!(l.blocked(a, t(0)), None);
        assert!(l.is_empty(), "an address is remembered only once it costs");
        l.charge(a, t(0));
        assert_eq!(l.blocked(a, t(0)), None);
        l.charge(a, t(0));
        l.charge(a, t(0));
        assert_eq!(l.blocked(a, t(0)), Some(2));
        assert_eq!(l.blocked(a, t(2)), None);
    }

    #[test]
    fn memory_stays_bounded_whatever_the_addresses() {
        let l = PeerLimiter::new(0.5, 2.0, 64);
        for i in 0..10_000u32 {
            let a = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            let _ = l.take(a, t(i64::from(i / 100)));
            assert!(l.len() <= 64, "{} buckets", l.len());
        }
        // The most recent addresses are still held to their bucket.
        let last = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + 9_999));
        assert_eq!(l.take(last, t(99)), Ok(()));
        assert!(l.take(last, t(99)).is_err());
    }

    #[test]
    fn an_ipv6_host_cannot_hop_addresses_within_its_64() {
        let l = PeerLimiter::new(0.5, 2.0, 16);
        assert_eq!(l.take(ip("2001:db8:1:2::1"), t(0)), Ok(()));
        assert_eq!(l.take(ip("2001:db8:1:2::ffff"), t(0)), Ok(()));
        assert!(l.take(ip("2001:db8:1:2:abcd::9"), t(0)).is_err());
        assert_eq!(l.take(ip("2001:db8:1:3::1"), t(0)), Ok(()));
        // An IPv4-mapped address is its IPv4 one.
        assert_eq!(l.take(ip("::ffff:10.0.0.9"), t(0)), Ok(()));
        assert_eq!(l.take(ip("10.0.0.9"), t(0)), Ok(()));
        assert!(l.take(ip("10.0.0.9"), t(0)).is_err());
    }

    mod routed {
        use axum::body::Body;
        use axum::http::Request;
        use motcua_api::model::Role;
        use tower::ServiceExt;

        use super::*;
        use crate::{Options, manage, router};

        const OFFICE: &str = "000.00.01.H26";

        struct Central {
            app: App,
            _dir: tempfile::TempDir,
            rt: tokio::runtime::Runtime,
        }

        impl Central {
            fn new() -> Self {
                let dir = tempfile::tempdir().unwrap();
                let options = Options {
                    clock: motcua_core::clock::Clock::manual(t(0)),
                    portal_worker: false,
                    ..Options::default()
                };
                let app = App::open(dir.path(), &options).unwrap();
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                Self { app, _dir: dir, rt }
            }

            /// Sends a request from `peer` (none: as a test driving the
            /// router would) and answers the status, Retry-After and body.
            fn send(
                &self,
                peer: Option<&str>,
                method: &str,
                path: &str,
                bearer: Option<&str>,
            ) -> (u16, Option<String>, String) {
                let mut request = Request::builder().method(method).uri(path);
                if let Some(b) = bearer {
                    request = request.header("authorization", format!("Bearer {b}"));
                }
                let body = if method == "POST" {
                    request = request.header("content-type", "application/json");
                    Body::from(r#"{"token":"not-a-token","name":"tablet"}"#)
                } else {
                    Body::empty()
                };
                let mut request = request.body(body).unwrap();
                if let Some(peer) = peer {
                    let addr: SocketAddr = format!("{peer}:50000").parse().unwrap();
                    request.extensions_mut().insert(ConnectInfo(addr));
                }
                self.rt.block_on(async {
                    let response = router(self.app.clone()).oneshot(request).await.unwrap();
                    let status = response.status().as_u16();
                    let retry = response
                        .headers()
                        .get("retry-after")
                        .map(|v| v.to_str().unwrap().to_string());
                    let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
                    (status, retry, String::from_utf8_lossy(&body).into_owned())
                })
            }
        }

        #[test]
        fn one_address_trying_enrollment_tokens_is_told_to_wait_and_others_are_not() {
            let c = Central::new();
            let attacker = Some("192.168.1.66");
            for _ in 0..BURST as usize {
                let (status, _, _) = c.send(attacker, "POST", "/v1/enroll", None);
                assert_ne!(status, 429);
            }
            let (status, retry, body) = c.send(attacker, "POST", "/v1/enroll", None);
            assert_eq!((status, retry.as_deref()), (429, Some("2")), "{body}");
            let body: motcua_api::error::ErrorBody = serde_json::from_str(&body).unwrap();
            assert_eq!(body.code, "rate_limited");
            // The probes answer the same address; other addresses, loopback
            // and requests with no address at all are not held up.
            assert_eq!(c.send(attacker, "GET", "/healthz", None).0, 200);
            assert_eq!(c.send(attacker, "GET", "/readyz", None).0, 200);
            assert_ne!(c.send(Some("192.168.1.67"), "POST", "/v1/enroll", None).0, 429);
            for _ in 0..BURST as usize + 5 {
                assert_ne!(c.send(Some("127.0.0.1"), "POST", "/v1/enroll", None).0, 429);
                assert_ne!(c.send(None, "POST", "/v1/enroll", None).0, 429);
            }
            // Two seconds later on central's clock, one more try.
            c.app.clock.advance(jiff::SignedDuration::from_secs(2));
            assert_ne!(c.send(attacker, "POST", "/v1/enroll", None).0, 429);
            assert_eq!(c.send(attacker, "POST", "/v1/enroll", None).0, 429);
        }

        #[test]
        fn wrong_credentials_from_one_address_slow_that_address_only() {
            let c = Central::new();
            let device = manage::enroll_local(c._dir.path(), OFFICE, Role::Kiosk).unwrap();
            let good = Some(device.credential.as_str());
            let (prober, kiosk) = (Some("10.0.0.66"), Some("10.0.0.20"));
            for _ in 0..BURST as usize {
                assert_eq!(c.send(prober, "GET", "/v1/me", Some("guessed")).0, 401);
            }
            let (status, retry, _) = c.send(prober, "GET", "/v1/me", Some("guessed"));
            assert_eq!((status, retry.as_deref()), (429, Some("2")));
            // Requests with a good credential do not cost: the kiosk goes on.
            for _ in 0..BURST as usize * 2 {
                assert_eq!(c.send(kiosk, "GET", "/v1/me", good).0, 200);
            }
            c.app.clock.advance(jiff::SignedDuration::from_secs(2));
            assert_eq!(c.send(prober, "GET", "/v1/me", Some("guessed")).0, 401);
            assert_eq!(c.send(prober, "GET", "/v1/me", Some("guessed")).0, 429);
        }
    }
}
