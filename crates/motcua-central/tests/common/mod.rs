//! A central on the real router in process, on a clock set by hand, for
//! the suites that talk to it as devices do: enroll, send a request with
//! its idempotency key, read a figure from its database.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use motcua_api::model::Role;
use motcua_core::clock::Clock;
use serde_json::Value;
use tower::ServiceExt;

pub fn t(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

pub struct Central {
    pub dir: tempfile::TempDir,
    pub app: motcua_central::App,
    pub router: axum::Router,
    pub rt: tokio::runtime::Runtime,
    pub clock: Clock,
    keys: u32,
}

impl Central {
    /// A new central whose clock reads `at`, with no portal worker.
    pub fn open(at: &str) -> Self {
        Self::open_on(at, None)
    }

    /// A new central on `database` (`sqlite:PATH`, `postgres://…`; none:
    /// the suite's backend).
    pub fn open_on(at: &str, database: Option<String>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = Clock::manual(t(at));
        let options = motcua_central::Options {
            portal_worker: false,
            clock: clock.clone(),
            database: database.map(|d| d.replace("{dir}", &dir.path().display().to_string())),
            ..Default::default()
        };
        let app = motcua_central::App::open(dir.path(), &options).unwrap();
        let router = motcua_central::router(app.clone());
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        Central {
            dir,
            app,
            router,
            rt,
            clock,
            keys: 0,
        }
    }

    /// Central stopped and started again on the same data directory with
    /// `options` (on this clock, with no portal worker), as after a crash
    /// or an upgrade: what it keeps is what it had on disk.
    pub fn reopen(&mut self, options: motcua_central::Options) {
        let options = motcua_central::Options {
            portal_worker: false,
            clock: self.clock.clone(),
            ..options
        };
        self.app = motcua_central::App::open(self.dir.path(), &options).unwrap();
        self.router = motcua_central::router(self.app.clone());
    }

    pub fn set(&self, at: &str) {
        self.clock.set(t(at));
    }

    /// A credential of a device of `office` in `role`.
    pub fn enroll(&self, office: &str, role: Role) -> String {
        motcua_central::admin(self.dir.path(), |c| {
            let token = motcua_central::auth::create_enrollment(c, office, role, role.as_str())?;
            motcua_central::auth::enroll_at(c, &token, self.clock.now())
        })
        .unwrap()
        .1
    }

    /// Sends a request as `who` with `key` (a fresh one when None).
    pub fn send(
        &mut self,
        who: &str,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.keys += 1;
        let key = key.map_or_else(|| format!("k{}", self.keys), str::to_string);
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("idempotency-key", key)
            .header("authorization", format!("Bearer {who}"));
        let request = match body {
            Some(b) => request
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        let router = self.router.clone();
        self.rt.block_on(async {
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
        })
    }

    /// One number from central's database.
    pub fn count(&self, sql: &str) -> i64 {
        motcua_central::admin(self.dir.path(), |c| Ok(c.query_row(sql, (), |r| r.get::<_, i64>(0))?)).unwrap()
    }
}
