//! `motcua central`: the reference central processing system. Kiosks and
//! counters of an office talk to it over a JSON API under `/v1`; it keeps
//! the office-wide queue, the dossiers and the ratings in its own SQLite
//! store.

pub mod api;
pub mod auth;
pub mod db;
pub mod dossier;
pub mod error;
pub mod portal;
pub mod queue;
pub mod report;
pub mod retention;
pub mod streams;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use db::Db;
use error::ApiError;
use motcua_api::model::QueueEvent;
use motcua_core::catalog::Catalog;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 256 * 1024;

pub fn now_rfc3339() -> String {
    jiff::Timestamp::now().to_string()
}

/// A counter for /metrics.
#[derive(Default)]
pub struct Counter(AtomicU64);

impl Counter {
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Default)]
pub struct Metrics {
    pub requests: Mutex<HashMap<u16, u64>>,
    pub tickets: Counter,
    pub dossiers: Counter,
    pub panics: Counter,
}

impl Metrics {
    /// The metrics as Prometheus text; `db_panics` are the database jobs
    /// that panicked (caught by the database's threads, not by the router).
    fn render(&self, subscribers: usize, db_panics: u64) -> String {
        let mut out = String::new();
        out.push_str("# HELP motcua_http_responses_total HTTP responses by status.\n# TYPE motcua_http_responses_total counter\n");
        let requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let mut statuses: Vec<_> = requests.iter().collect();
        statuses.sort();
        for (status, n) in statuses {
            out.push_str(&format!("motcua_http_responses_total{{status=\"{status}\"}} {n}\n"));
        }
        for (name, help, value) in [
            (
                "motcua_ticket_requests_total",
                "Ticket issue requests answered.",
                self.tickets.get(),
            ),
            (
                "motcua_dossier_writes_total",
                "Dossier writes answered.",
                self.dossiers.get(),
            ),
            (
                "motcua_handler_panics_total",
                "Handlers that panicked.",
                self.panics.get() + db_panics,
            ),
        ] {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
            ));
        }
        out.push_str(&format!(
            "# HELP motcua_event_subscribers Open event streams.\n# TYPE motcua_event_subscribers gauge\nmotcua_event_subscribers {subscribers}\n"
        ));
        out
    }
}

/// A token bucket per device.
pub struct Limiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl Limiter {
    pub fn new(per_second: f64, burst: f64) -> Self {
        Self {
            per_second,
            burst,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, device: i64) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, last) = buckets.entry(device).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.per_second).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - *tokens) / self.per_second).ceil().max(1.0) as u64;
            Err(ApiError::rate_limited(wait))
        }
    }
}

/// Runs an administrative change on central's database directly (the
/// server may be running: SQLite serialises the writers).
pub fn admin<T>(
    dir: &std::path::Path,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T, ApiError>,
) -> Result<T, String> {
    let db = Db::open(dir, 1024)?;
    let conn = rusqlite::Connection::open(db.path()).map_err(|e| e.to_string())?;
    conn.execute_batch("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;")
        .map_err(|e| e.to_string())?;
    let tx = conn.unchecked_transaction().map_err(|e| e.to_string())?;
    let value = f(&tx).map_err(|e| e.message)?;
    tx.commit().map_err(|e| e.to_string())?;
    Ok(value)
}

/// Options of a central server.
#[derive(Debug, Clone)]
pub struct Options {
    /// Requests per second per device, sustained.
    pub rate_per_second: f64,
    /// Requests a device may send at once.
    pub rate_burst: f64,
    /// Async worker threads of an in-process server ([`Running`]).
    pub worker_threads: usize,
    /// SQLite page cache per connection, in KiB.
    pub cache_kib: u32,
    /// Send dossiers on to the offices' portals in the background.
    pub portal_worker: bool,
    /// How often an event stream gets a keep-alive comment: a client gone
    /// without a word is noticed, and its stream freed, by the first one
    /// that cannot be written.
    pub event_keep_alive: std::time::Duration,
    /// Event streams one device may hold open; a new one cuts the oldest.
    pub streams_per_device: usize,
    /// How often central looks for revoked devices whose streams are open.
    pub revocation_check: std::time::Duration,
    /// Queue events held for a slow stream before it is told `lagged`.
    pub event_buffer: usize,
    /// Days the answers stored for idempotent writes are kept (they hold
    /// personal data); purged every hour.
    pub answers_days: u32,
    /// Where central reads the time: the system clock, or a manual one
    /// that tests and simulations move forward.
    pub clock: motcua_core::clock::Clock,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            rate_per_second: 2000.0,
            rate_burst: 4000.0,
            // In a kiosk the heavy lifting is the writer thread's, and
            // memory is short.
            worker_threads: 1,
            cache_kib: 1024,
            portal_worker: true,
            event_keep_alive: std::time::Duration::from_secs(15),
            // A board and a counter's citizen display may share a device;
            // a reconnect may overlap its dead predecessor.
            streams_per_device: 4,
            revocation_check: std::time::Duration::from_secs(1),
            event_buffer: 1024,
            answers_days: retention::DEFAULT_DAYS,
            clock: motcua_core::clock::Clock::system(),
        }
    }
}

pub struct Inner {
    pub db: Db,
    pub events: broadcast::Sender<QueueEvent>,
    pub limiter: Limiter,
    pub metrics: Metrics,
    /// The built-in demo catalog as JSON, with its ETag, for offices
    /// without their own.
    pub default_catalog: Arc<(String, String)>,
    /// Connections to the offices' portals.
    pub portal: portal::Clients,
    portal_worker: bool,
    /// The open event streams.
    pub streams: streams::Streams,
    pub event_keep_alive: std::time::Duration,
    revocation_check: std::time::Duration,
    /// How long stored idempotent answers are kept.
    pub keep_answers: jiff::SignedDuration,
    /// Report slots: at most [`report::MAX_CONCURRENT`] reports at once.
    pub reports: Arc<tokio::sync::Semaphore>,
    /// Central's clock: every day, time and expiry it decides is read here.
    pub clock: motcua_core::clock::Clock,
}

/// The shared state of the server.
#[derive(Clone)]
pub struct App(Arc<Inner>);

impl std::ops::Deref for App {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// Makes `catalog` the office's catalog (the office is created if new),
/// once [`Catalog::validate`] finds nothing wrong; otherwise the office
/// keeps the catalog it had and the error lists every problem.
pub fn set_catalog(conn: &rusqlite::Connection, office: &str, catalog: &Catalog) -> Result<(), ApiError> {
    catalog.validate().map_err(|p| {
        let all: Vec<String> = p.0.iter().map(ToString::to_string).collect();
        ApiError::unprocessable(format!(
            "the catalog has {} problem(s) and was not stored: {}",
            all.len(),
            all.join("; ")
        ))
    })?;
    let (body, etag) = catalog_json(catalog);
    conn.execute("INSERT OR IGNORE INTO offices (code, name) VALUES (?1, ?1)", [office])?;
    conn.execute(
        "INSERT INTO catalogs (office, body, etag) VALUES (?1, ?2, ?3)
         ON CONFLICT (office) DO UPDATE SET body = excluded.body, etag = excluded.etag",
        [office, &body, &etag],
    )?;
    Ok(())
}

/// The office's catalog: its own, or the built-in demo one.
pub fn office_catalog(conn: &rusqlite::Connection, office: &str) -> Result<Catalog, ApiError> {
    use rusqlite::OptionalExtension;
    let body: Option<String> = conn
        .query_row("SELECT body FROM catalogs WHERE office = ?1", [office], |r| r.get(0))
        .optional()?;
    match body {
        Some(b) => serde_json::from_str(&b).map_err(|e| ApiError::internal(format!("the stored catalog: {e}"))),
        None => Ok(Catalog::demo()),
    }
}

/// A catalog as served: its JSON and a strong ETag.
pub fn catalog_json(catalog: &Catalog) -> (String, String) {
    let body = serde_json::to_string(catalog).expect("a catalog serializes");
    let etag = format!("\"{}\"", &auth::hash(&body)[..32]);
    (body, etag)
}

impl App {
    pub fn open(dir: &std::path::Path, options: &Options) -> Result<Self, String> {
        let db = Db::open(dir, options.cache_kib)?;
        let (events, _) = broadcast::channel(options.event_buffer.max(1));
        Ok(App(Arc::new(Inner {
            db,
            events,
            limiter: Limiter::new(options.rate_per_second, options.rate_burst),
            metrics: Metrics::default(),
            default_catalog: Arc::new(catalog_json(&Catalog::demo())),
            portal: portal::Clients::default(),
            portal_worker: options.portal_worker,
            streams: streams::Streams::new(options.streams_per_device),
            event_keep_alive: options.event_keep_alive,
            revocation_check: options.revocation_check,
            keep_answers: retention::window(options.answers_days.max(1)),
            reports: Arc::new(tokio::sync::Semaphore::new(report::MAX_CONCURRENT)),
            clock: options.clock.clone(),
        })))
    }

    /// The time now, on central's clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "motcua central", description = "The central processing system of motcua one-stop-shops."),
    components(schemas(motcua_api::error::ErrorBody)),
    modifiers(&Security)
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes and their OpenAPI document, from the same declarations.
pub fn routes() -> (Router<App>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(api::healthz))
        .routes(routes!(api::readyz))
        .routes(routes!(api::metrics))
        .routes(routes!(api::enroll))
        .routes(routes!(api::me))
        .routes(routes!(api::catalog))
        .routes(routes!(api::issue_ticket))
        .routes(routes!(api::import_ticket))
        .routes(routes!(api::void_ticket))
        .routes(routes!(api::queue_waiting))
        .routes(routes!(api::call_next))
        .routes(routes!(api::call_number))
        .routes(routes!(api::recall))
        .routes(routes!(api::skip))
        .routes(routes!(api::complete))
        .routes(routes!(api::transfer))
        .routes(routes!(api::events))
        .routes(routes!(api::put_dossier, api::get_dossier))
        .routes(routes!(api::dossier_status))
        .routes(routes!(api::lookup))
        .routes(routes!(api::rate))
        .routes(routes!(api::board))
        .routes(routes!(api::reports))
        .routes(routes!(api::add_key, api::keys))
        .routes(routes!(api::dossier_code))
        .split_for_parts()
}

/// The whole service: routes, the OpenAPI document, and the layers that
/// keep bad input from becoming a 5xx.
pub fn router(app: App) -> Router {
    let (routes, doc) = routes();
    finish(routes, doc, app)
}

/// Adds the document, fallbacks and protective layers to `routes`.
pub fn finish(routes: Router<App>, doc: utoipa::openapi::OpenApi, app: App) -> Router {
    let doc = Arc::new(doc.to_json().expect("the OpenAPI document serializes"));
    routes
        .route(
            "/v1/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        doc.as_ref().clone(),
                    )
                }
            }),
        )
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this endpoint does not take that method",
            )
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // Panics are counted where they are caught, not guessed from a
        // 500: a handler may answer 500 without panicking. The response
        // counter sits outside, so the 500 a panic turns into is counted
        // with the others.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom({
            let app = app.clone();
            move |_: Box<dyn std::any::Any + Send + 'static>| on_panic(&app)
        }))
        .layer(middleware::from_fn_with_state(app.clone(), count_responses))
        .with_state(app)
}

fn on_panic(app: &App) -> Response {
    app.metrics.panics.inc();
    tracing::error!("a request handler panicked; the server goes on");
    ApiError::internal("the server met an unexpected error").into_response()
}

async fn count_responses(State(app): State<App>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status().as_u16();
    *app.metrics
        .requests
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(status)
        .or_default() += 1;
    response
}

/// Serves on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if app.portal_worker {
        portal::spawn(app.clone());
    }
    streams::spawn_revocation_watch(app.clone(), app.revocation_check);
    retention::spawn(app.clone());
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A listening socket on `addr`, non-blocking for tokio. The address may be
/// taken again at once after a central on it stopped (SO_REUSEADDR): the
/// other roles of a machine keep the port they know when one of them takes
/// over the machine's central.
fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let socket = socket2::Socket::new(socket2::Domain::for_address(addr), socket2::Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

/// A central server running on its own threads, for one-machine set-ups
/// and tests. Dropping it stops the server.
pub struct Running {
    pub addr: SocketAddr,
    pub app: App,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Starts central on `addr` (port 0 picks one) with data in `dir`.
    pub fn start(addr: SocketAddr, dir: &std::path::Path, options: &Options) -> Result<Self, String> {
        let app = App::open(dir, options)?;
        let std_listener = listen(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let addr = std_listener.local_addr().map_err(|e| e.to_string())?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = app.clone();
        let workers = options.worker_threads.max(1);
        let thread = std::thread::Builder::new()
            .name("central".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(workers)
                    .enable_all()
                    .build()
                    .expect("a tokio runtime");
                runtime.block_on(async move {
                    if served.portal_worker {
                        portal::spawn(served.clone());
                    }
                    streams::spawn_revocation_watch(served.clone(), served.revocation_check);
                    retention::spawn(served.clone());
                    let listener = TcpListener::from_std(std_listener).expect("a tokio listener");
                    // Stopping is abrupt, like a crash or a pulled cable:
                    // open connections and event streams are cut.
                    tokio::select! {
                        _ = axum::serve(listener, router(served)) => {}
                        _ = stopped => {}
                    }
                });
                runtime.shutdown_timeout(std::time::Duration::from_millis(200));
            })
            .map_err(|e| e.to_string())?;
        Ok(Self {
            addr,
            app,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server and waits for it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}
