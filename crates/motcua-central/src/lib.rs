//! `motcua central`: the reference central processing system. Kiosks and
//! counters of an office talk to it over a JSON API under `/v1`; it keeps
//! the office-wide queue, the dossiers and the ratings in its own SQLite
//! store.
//!
//! The layers: [`http`] takes requests and answers them; [`queue`],
//! [`dossier`], [`catalog`], [`report`] and [`portal`] hold the rules;
//! [`repo`] holds every SQL statement; [`db`] runs them on the writer
//! thread and the read pool. [`manage`] is the command line's way in.

pub mod app;
pub mod auth;
pub mod backup;
pub mod catalog;
pub mod db;
pub mod digitised;
pub mod documents;
pub mod dossier;
pub mod error;
pub mod evaluation_report;
pub mod fanout;
pub mod health;
pub mod http;
pub mod limiter;
pub mod manage;
pub mod metrics;
pub mod ontime;
pub mod payment;
pub mod peers;
pub mod pg;
pub mod portal;
pub mod queue;
pub mod repo;
pub mod report;
pub mod retention;
pub mod secrets;
pub mod serve;
pub mod sql;
pub mod streams;
pub mod supervise;
pub mod tls;
pub mod transfer;

use std::net::SocketAddr;

use tokio::net::TcpListener;

pub use app::{App, Inner};
pub use catalog::{catalog_json, office_catalog, set_catalog};
pub use error::CentralError;
pub use http::{finish, router, routes};
pub use manage::admin;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 256 * 1024;

pub fn now_rfc3339() -> String {
    jiff::Timestamp::now().to_string()
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
    /// HTTPS with devices' certificates (none: plain HTTP, for loopback).
    pub tls: Option<tls::TlsSetup>,
    /// What each connection is given before it is cut.
    pub limits: serve::Limits,
    /// The most a scanned document, and a dossier's documents together,
    /// may weigh.
    pub documents: documents::Caps,
    /// Where the data is: `postgres://…` for a city's PostgreSQL (shared
    /// by several central processes); none for the SQLite file in the
    /// data directory, or the database the directory names (see
    /// [`db::Location::for_dir`]).
    pub database: Option<String>,
    /// PostgreSQL connections this process keeps.
    pub pool_size: usize,
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
            tls: None,
            limits: serve::Limits::default(),
            documents: documents::Caps::default(),
            database: None,
            pool_size: pg::POOL_SIZE,
        }
    }
}

/// Serves on `listener` until `shutdown` completes, with the background
/// loops running alongside.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let background = app.spawn_background(&tokio::runtime::Handle::current());
    let served = serve::accept(listener, app, shutdown, std::time::Duration::from_secs(5)).await;
    for task in background {
        task.abort();
    }
    served
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

/// How a [`Running`] central runs: on threads of its own, or as tasks of
/// a runtime it was given.
enum Host {
    Thread(std::thread::JoinHandle<()>),
    Tasks {
        done: std::sync::mpsc::Receiver<()>,
        background: Vec<tokio::task::JoinHandle<()>>,
    },
}

/// A central server running in this process, for one-machine set-ups and
/// tests. Dropping it stops the server.
pub struct Running {
    pub addr: SocketAddr,
    pub app: App,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    host: Option<Host>,
}

/// Binds `addr` and opens central's state in `dir`.
fn prepare(
    addr: SocketAddr,
    dir: &std::path::Path,
    options: &Options,
) -> Result<(App, std::net::TcpListener, SocketAddr), CentralError> {
    let app = App::open(dir, options)?;
    let listener = listen(addr).map_err(|source| CentralError::Listen { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| CentralError::Listen { addr, source })?;
    Ok((app, listener, addr))
}

/// Serves until `stopped` resolves. Stopping is abrupt, like a crash or
/// a pulled cable: open connections and event streams are cut.
async fn serve_until(app: App, listener: std::net::TcpListener, stopped: tokio::sync::oneshot::Receiver<()>) {
    let listener = TcpListener::from_std(listener).expect("a tokio listener");
    tokio::select! {
        _ = serve::accept(listener, app, std::future::pending(), std::time::Duration::ZERO) => {}
        _ = stopped => {}
    }
}

impl Running {
    /// Starts central on `addr` (port 0 picks one) with data in `dir`, on
    /// a runtime and threads of its own.
    pub fn start(addr: SocketAddr, dir: &std::path::Path, options: &Options) -> Result<Self, CentralError> {
        let (app, std_listener, addr) = prepare(addr, dir, options)?;
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
                    served.spawn_background(&tokio::runtime::Handle::current());
                    serve_until(served, std_listener, stopped).await;
                });
                runtime.shutdown_timeout(std::time::Duration::from_millis(200));
            })
            .map_err(CentralError::Thread)?;
        Ok(Self {
            addr,
            app,
            stop: Some(stop),
            host: Some(Host::Thread(thread)),
        })
    }

    /// Starts central on `addr` with data in `dir`, as tasks of the
    /// runtime `handle` belongs to (the device process's own). Stopping it
    /// ends those tasks, background loops included; the runtime goes on.
    pub fn start_on(
        handle: &tokio::runtime::Handle,
        addr: SocketAddr,
        dir: &std::path::Path,
        options: &Options,
    ) -> Result<Self, CentralError> {
        let (app, std_listener, addr) = prepare(addr, dir, options)?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (finished, done) = std::sync::mpsc::channel();
        let background = app.spawn_background(handle);
        let served = app.clone();
        handle.spawn(async move {
            serve_until(served, std_listener, stopped).await;
            let _ = finished.send(());
        });
        Ok(Self {
            addr,
            app,
            stop: Some(stop),
            host: Some(Host::Tasks { done, background }),
        })
    }

    /// Central's base URL: `https://` when it serves TLS.
    pub fn url(&self) -> String {
        let scheme = if self.app.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// How central's background loops fare: for `motcua doctor`.
    pub fn background(&self) -> Vec<supervise::LoopStatus> {
        self.app.background()
    }

    /// Stops the server and waits for it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.host.take() {
            Some(Host::Thread(t)) => {
                let _ = t.join();
            }
            Some(Host::Tasks { done, background }) => {
                for task in background {
                    task.abort();
                }
                // Waiting on a thread of the runtime itself could wait for
                // ever: the server task needs that thread to end.
                if tokio::runtime::Handle::try_current().is_err() {
                    let _ = done.recv_timeout(std::time::Duration::from_secs(2));
                }
            }
            None => {}
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}
