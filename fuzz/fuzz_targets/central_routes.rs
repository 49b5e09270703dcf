//! Central's router in process, as a device on the office network could
//! drive it: every write route of the OpenAPI document (so a route added
//! later is fuzzed too), with or without a credential of each role, with
//! any path parameter and any body. Central answers each with a status
//! below 500 (a panic in a handler is caught as a 500, and libFuzzer stops
//! at the panic itself).
//!
//! Input: `[route, who, flags, parameter length, parameter…, body…]`.
#![no_main]

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use libfuzzer_sys::fuzz_target;
use motcua_api::model::Role;
use motcua_central::{App, Options};
use tower::ServiceExt;

struct Central {
    runtime: tokio::runtime::Runtime,
    router: Router,
    routes: Vec<(Method, String)>,
    /// Credentials of a kiosk, a counter, a board and a counter of
    /// another office.
    credentials: Vec<String>,
    _dir: tempfile::TempDir,
}

const OFFICE: &str = "000.00.01.H26";

fn central() -> &'static Central {
    static CENTRAL: OnceLock<Central> = OnceLock::new();
    CENTRAL.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let credentials = [
            (OFFICE, Role::Kiosk),
            (OFFICE, Role::Counter),
            (OFFICE, Role::Board),
            ("000.00.02.H26", Role::Counter),
        ]
        .into_iter()
        .map(|(office, role)| {
            motcua_central::manage::enroll_local(dir.path(), office, role)
                .expect("a device enrolls")
                .credential
        })
        .collect();
        let options = Options {
            rate_per_second: 1e9,
            rate_burst: 1e9,
            portal_worker: false,
            clock: motcua_core::clock::Clock::manual("2026-11-28T02:00:00Z".parse().unwrap()),
            ..Options::default()
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let app = runtime
            .block_on(async { App::open(dir.path(), &options) })
            .expect("central opens");
        let (_, doc) = motcua_central::routes();
        let mut routes = Vec::new();
        for (path, item) in &doc.paths.paths {
            for (method, operation) in [
                (Method::POST, &item.post),
                (Method::PUT, &item.put),
                (Method::PATCH, &item.patch),
                (Method::DELETE, &item.delete),
            ] {
                if operation.is_some() {
                    routes.push((method, path.clone()));
                }
            }
        }
        assert!(routes.len() >= 10, "write routes: {routes:?}");
        let router = runtime.block_on(async { motcua_central::router(app) });
        Central {
            runtime,
            router,
            routes,
            credentials,
            _dir: dir,
        }
    })
}

/// `template` with each `{parameter}` replaced by `value`, percent-encoded.
fn fill(template: &str, value: &[u8]) -> String {
    let mut encoded = String::new();
    for &b in value {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        out.push_str(&rest[..open]);
        out.push_str(&encoded);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fuzz_target!(|data: &[u8]| {
    let [route, who, flags, length, rest @ ..] = data else {
        return;
    };
    let central = central();
    let (method, template) = &central.routes[usize::from(*route) % central.routes.len()];
    let length = usize::from(*length).min(rest.len());
    let (parameter, body) = rest.split_at(length);
    let uri = fill(template, parameter);

    let mut request = Request::builder().method(method.clone()).uri(&uri);
    // 0–3: a device of the list; anything else: no credential or a false one.
    match usize::from(*who) {
        i if i < central.credentials.len() => {
            request = request.header("authorization", format!("Bearer {}", central.credentials[i]));
        }
        4 => request = request.header("authorization", "Bearer not-a-credential"),
        _ => {}
    }
    if flags & 1 == 0 {
        request = request.header("content-type", "application/json");
    }
    if flags & 2 == 0 {
        // A fresh key, or (bit 2) one key again and again: the replay and
        // the conflict paths.
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let key = if flags & 4 == 0 {
            format!("fuzz-{}", NEXT.fetch_add(1, Ordering::Relaxed))
        } else {
            "fuzz-same".to_string()
        };
        request = request.header("idempotency-key", key);
    }
    let Ok(mut request) = request.body(Body::from(body.to_vec())) else {
        return;
    };
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let response = central
        .runtime
        .block_on(central.router.clone().oneshot(request))
        .expect("the router answers");
    let status = response.status();
    if status.is_server_error() {
        let text = central
            .runtime
            .block_on(axum::body::to_bytes(response.into_body(), 1 << 20))
            .unwrap_or_default();
        panic!("{method} {uri} answered {status}: {}", String::from_utf8_lossy(&text));
    }
});
