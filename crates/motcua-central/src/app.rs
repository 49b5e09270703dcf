//! The shared state of a central server: its database, event channel,
//! limits, metrics, portal connections, open streams, clock and
//! background loops.

use std::sync::Arc;

use tokio::sync::broadcast;

use crate::catalog::catalog_json;
use crate::db::Db;
use crate::error::{ApiError, CentralError};
use crate::limiter::Limiter;
use crate::metrics::Metrics;
use crate::peers::PeerLimiter;
use crate::supervise::{LoopStatus, Loops};
use crate::{Options, portal, repo, report, retention, streams};
use motcua_api::model::QueueEvent;
use motcua_core::catalog::Catalog;

pub struct Inner {
    pub db: Db,
    pub events: broadcast::Sender<QueueEvent>,
    /// Counters asking their citizen displays for a dossier's evaluation.
    pub asks: broadcast::Sender<motcua_api::evaluation::EvaluationAsk>,
    pub limiter: Limiter,
    /// Token buckets per network address, for requests before a device
    /// is known.
    pub peers: PeerLimiter,
    pub metrics: Metrics,
    /// The built-in demo catalog as JSON, with its ETag, for offices
    /// without their own.
    pub default_catalog: Arc<(String, String)>,
    /// Connections to the offices' portals.
    pub portal: portal::Clients,
    pub(crate) portal_worker: bool,
    /// The open event streams.
    pub streams: streams::Streams,
    pub event_keep_alive: std::time::Duration,
    pub(crate) revocation_check: std::time::Duration,
    /// How long stored idempotent answers are kept.
    pub keep_answers: jiff::SignedDuration,
    /// Report slots: at most [`report::MAX_CONCURRENT`] reports at once.
    pub reports: Arc<tokio::sync::Semaphore>,
    /// Central's clock: every day, time and expiry it decides is read here.
    pub clock: motcua_core::clock::Clock,
    /// The background loops and how they fare.
    pub loops: Loops,
    /// HTTPS with devices' certificates; none for the machine's own
    /// central on loopback.
    pub tls: Option<Arc<crate::tls::CentralTls>>,
    /// What each connection is given before it is cut.
    pub limits: crate::serve::Limits,
    /// The files of dossiers' scanned documents.
    pub documents: Arc<crate::documents::Store>,
    /// The other central processes on the same PostgreSQL, told of this
    /// one's queue events and asks.
    pub fanout: Option<crate::fanout::Fanout>,
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

impl App {
    pub fn open(dir: &std::path::Path, options: &Options) -> Result<Self, CentralError> {
        // The portal's HTTPS client and every other in this process use ring.
        crate::tls::init();
        let location = crate::db::Location::for_dir(dir, options.database.as_deref())?;
        let db = Db::open_at(&location, options.cache_kib, options.pool_size)?;
        location.remember(dir)?;
        let (events, _) = broadcast::channel(options.event_buffer.max(1));
        let (asks, _) = broadcast::channel(64);
        let tls = match &options.tls {
            Some(setup) => {
                let tls = crate::tls::CentralTls::open(dir, setup, options.clock.now())?;
                let now = options.clock.now();
                let revoked = db.read_blocking(move |c| repo::devices::revoked_certs(c, now))?;
                tls.set_revoked(revoked);
                Some(Arc::new(tls))
            }
            None => None,
        };
        let fanout = db
            .postgres()
            .map(|pg| crate::fanout::Fanout::start(pg, pg.dsn(), events.clone(), asks.clone()));
        Ok(App(Arc::new(Inner {
            fanout,
            db,
            events,
            asks,
            limiter: Limiter::new(options.rate_per_second, options.rate_burst),
            peers: PeerLimiter::default(),
            metrics: Metrics::default(),
            default_catalog: Arc::new(catalog_json(&Catalog::demo())),
            portal: portal::Clients::new(crate::tls::portal_roots(dir)?),
            portal_worker: options.portal_worker,
            streams: streams::Streams::new(options.streams_per_device),
            event_keep_alive: options.event_keep_alive,
            revocation_check: options.revocation_check,
            keep_answers: retention::window(options.answers_days.max(1)),
            reports: Arc::new(tokio::sync::Semaphore::new(report::MAX_CONCURRENT)),
            clock: options.clock.clone(),
            loops: Loops::default(),
            tls,
            limits: options.limits.clone(),
            documents: Arc::new(crate::documents::Store::open(dir, options.documents)?),
        })))
    }

    /// How central's background loops fare: for `motcua doctor`.
    pub fn background(&self) -> Vec<LoopStatus> {
        self.loops.status()
    }

    /// Whether the database answers a read.
    pub async fn ping(&self) -> Result<(), ApiError> {
        self.db.read(repo::ping).await
    }

    /// Starts the background loops on `handle`, each supervised: the
    /// portal drain (if the options ask for it), the revocation watch and
    /// the retention purge. Aborting the tasks stops them.
    pub fn spawn_background(&self, handle: &tokio::runtime::Handle) -> Vec<tokio::task::JoinHandle<()>> {
        let mut tasks = Vec::new();
        if self.portal_worker {
            let app = self.clone();
            tasks.push(
                self.loops
                    .spawn(handle, "portal", move || portal::outbox::run(app.clone())),
            );
        }
        let app = self.clone();
        tasks.push(self.loops.spawn(handle, "revocation", move || {
            streams::watch_revocations(app.clone(), app.revocation_check)
        }));
        let app = self.clone();
        tasks.push(
            self.loops
                .spawn(handle, "retention", move || retention::run(app.clone())),
        );
        tasks
    }

    /// Reads the revoked devices' certificates from the database (a device
    /// is revoked from the command line, in another process): they are
    /// refused at the handshake from now on, and their open connections
    /// cut. Also renews central's server certificate when it is due.
    pub async fn refresh_revocations(&self) -> Result<(), ApiError> {
        let Some(tls) = self.tls.clone() else {
            return Ok(());
        };
        let now = self.now();
        let revoked = self.db.read(move |c| repo::devices::revoked_certs(c, now)).await?;
        tls.set_revoked(revoked);
        if let Err(e) = tls.renew_if_due(now) {
            tracing::error!(error = %e, "central could not renew its server certificate");
        }
        Ok(())
    }

    /// Tells this process's event streams, and every other central
    /// process's, of a queue change.
    pub fn publish(&self, event: QueueEvent) {
        if let Some(f) = &self.fanout {
            f.event(&event);
        }
        // Nobody listening is fine.
        let _ = self.events.send(event);
    }

    /// Asks the office's citizen displays, on every central process, for
    /// an evaluation.
    pub fn publish_ask(&self, ask: motcua_api::evaluation::EvaluationAsk) {
        if let Some(f) = &self.fanout {
            f.ask(&ask);
        }
        let _ = self.asks.send(ask);
    }

    /// The time now, on central's clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }
}
