//! The kiosk's link to central: tickets from central's office-wide
//! numbering while it answers, the kiosk's own numbering space while it
//! does not, and an outbox worker that delivers every local write exactly
//! once, in order, whatever the network does.

pub mod catalog;
pub mod client;
pub mod device;
pub mod events;
pub mod tls;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::{Notify, watch};

use crate::setup::SharedStore;
use crate::store::{OutboxRecord, Payload, StoreError, Ticket, TicketRequest, Waiting};
pub use catalog::{CATALOG_EVERY, CATALOG_FILE, cached_catalog, pull_catalog};
pub use client::{Client, Failure, SyncError};
use motcua_api::model::{NewTicket, Role};
pub use motcua_central::supervise::{LoopState, LoopStatus, Loops};
use motcua_core::backoff::{Backoff, unit};
use motcua_core::catalog::Catalog;
use motcua_core::queue::TicketNumber;

/// What the kiosk shows of its connection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    pub online: bool,
    /// When central stopped answering.
    pub offline_since: Option<Timestamp>,
    /// Records waiting to be sent.
    pub pending: u64,
    /// Records central refused for good (IT staff: `motcua sync status`).
    pub failed: u64,
}

/// What one delivery attempt did.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Nothing to send.
    Empty,
    /// A record reached central (or was already there).
    Sent(i64),
    /// Central refused a record for good; it is marked failed with the reason.
    Failed(i64, String),
    /// Central could not take it now: try again after the wait.
    Retry(Duration),
}

/// Who a link speaks for: one enrolled device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    /// Central's id of the device; its records go out under its credential
    /// and no other.
    pub device: i64,
    /// The device's numbering space for offline tickets and dossiers.
    pub slot: u32,
    pub role: Role,
}

impl From<&motcua_api::model::Device> for Identity {
    fn from(d: &motcua_api::model::Device) -> Self {
        Self {
            device: d.device_id,
            slot: d.slot,
            role: d.role,
        }
    }
}

impl Identity {
    /// The outbox records a device of `role` writes.
    pub fn kinds(role: Role) -> &'static [&'static str] {
        match role {
            Role::Kiosk => &["ticket", "void", "rating", "evaluation"],
            Role::Counter => &["dossier", "status", "payment", "document"],
            Role::Board => &[],
        }
    }
}

/// The kiosk's connection to central, on the process's runtime (see
/// [`crate::runtime`]).
///
/// Its background loops hold it weakly and are supervised (see
/// [`motcua_central::supervise`]): when the device lets go of its link every loop stops
/// with it.
pub struct Link {
    /// The process's runtime, where the link's work runs.
    runtime: tokio::runtime::Handle,
    /// The supervisors of the link's loops, stopped when the link drops.
    tasks: Mutex<Vec<tokio::task::AbortHandle>>,
    /// What became of the link's loops.
    loops: Loops,
    client: Client,
    store: SharedStore,
    identity: Identity,
    online: AtomicBool,
    status: watch::Sender<Status>,
    wake: Arc<Notify>,
    backoff: Mutex<Backoff>,
    /// Where the last good copy of central's catalog is kept, if anywhere.
    catalog_dir: Option<PathBuf>,
    /// A newer catalog from central, for the kiosk to take when idle.
    catalog: watch::Sender<Option<Arc<Catalog>>>,
}

impl Drop for Link {
    fn drop(&mut self) {
        // The runtime is the process's: only this link's loops stop.
        for task in self.tasks.get_mut().unwrap_or_else(|p| p.into_inner()).drain(..) {
            task.abort();
        }
    }
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link")
            .field("client", &self.client)
            .field("identity", &self.identity)
            .finish()
    }
}

async fn blocking<T: Send + 'static>(
    store: &SharedStore,
    f: impl FnOnce(&mut crate::store::Store) -> T + Send + 'static,
) -> T {
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    })
    .await
    .expect("a store task does not panic")
}

impl Link {
    /// A link for `identity`: the store writes its records as that device
    /// and the link sends only those. `adopt_others`: this data directory
    /// belongs to one device, which sends what an earlier device (a
    /// replaced machine) left unsent.
    pub fn new(client: Client, store: SharedStore, identity: Identity) -> Arc<Self> {
        Self::with_options(client, store, identity, false, None, None)
    }

    /// A link that may also adopt an earlier device's records and keep
    /// central's catalog fresh in `catalog_dir`, running on `runtime` (the
    /// process's runtime when none is given). A client made for the
    /// machine's own central takes it over when it falls silent (see
    /// [`Client::with_local`]); start-up owns that central, not the link.
    pub fn with_options(
        client: Client,
        store: SharedStore,
        identity: Identity,
        adopt_others: bool,
        catalog_dir: Option<PathBuf>,
        runtime: Option<tokio::runtime::Handle>,
    ) -> Arc<Self> {
        let runtime = runtime.unwrap_or_else(crate::runtime::handle);
        let counts = {
            let mut s = store.lock().unwrap_or_else(|p| p.into_inner());
            if let Err(e) = s.set_device(identity.device, Identity::kinds(identity.role), adopt_others) {
                tracing::error!(error = %e, "outbox records not assigned to this device");
            }
            s.outbox_counts().unwrap_or_default()
        };
        let (status, _) = watch::channel(Status {
            online: true,
            offline_since: None,
            pending: counts.pending,
            failed: counts.failed,
        });
        Arc::new(Self {
            runtime,
            tasks: Mutex::new(Vec::new()),
            loops: Loops::with_backoff(Duration::from_millis(500), Duration::from_secs(60)),
            client,
            store,
            identity,
            online: AtomicBool::new(true),
            status,
            wake: Arc::new(Notify::new()),
            backoff: Mutex::new(Backoff::new(Duration::from_millis(500), Duration::from_secs(60))),
            catalog_dir,
            catalog: watch::channel(None).0,
        })
    }

    /// A catalog newer than the one the kiosk shows, taken once.
    pub fn take_catalog(&self) -> Option<Arc<Catalog>> {
        self.catalog.send_replace(None)
    }

    /// Asks central for its catalog if it changed; a valid new one is kept
    /// on disk and offered to the kiosk. Returns whether one arrived.
    pub async fn refresh_catalog(&self) -> Result<bool, SyncError> {
        let Some(dir) = self.catalog_dir.clone() else {
            return Ok(false);
        };
        let Some(catalog) = pull_catalog(&self.client, &dir).await? else {
            return Ok(false);
        };
        self.catalog.send_replace(Some(Arc::new(catalog)));
        Ok(true)
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn slot(&self) -> u32 {
        self.identity.slot
    }

    /// Follows the link's status; ends when the link is gone.
    pub fn watch_status(&self) -> watch::Receiver<Status> {
        self.status.subscribe()
    }

    /// What became of the link's background loops (restarts, last failure).
    pub fn loops(&self) -> Vec<LoopStatus> {
        self.loops.status()
    }

    pub fn status(&self) -> Status {
        self.status.borrow().clone()
    }

    pub fn online(&self) -> bool {
        self.online.load(Ordering::Relaxed)
    }

    /// Runs a future on the link's runtime and waits for it (tests, tools).
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    /// Runs a future on the link's runtime.
    pub fn spawn<F>(&self, f: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.runtime.spawn(f)
    }

    fn set_online(&self, online: bool) {
        let was = self.online.swap(online, Ordering::Relaxed);
        if was != online {
            let central = self.client.base();
            if online {
                tracing::info!(central, "central answers again");
            } else {
                // Each role says what it does while central is away.
                let doing = match self.identity.role {
                    Role::Kiosk => "issuing tickets from this kiosk's own numbers; they wait in its outbox",
                    Role::Counter => {
                        "dossier codes from this counter's own block; dossiers wait in its outbox; calling waits for central"
                    }
                    Role::Board => "showing the last calls; reconnecting",
                };
                tracing::warn!(central, "central does not answer; {doing}");
            }
            self.status.send_modify(|s| {
                s.online = online;
                s.offline_since = if online { None } else { Some(Timestamp::now()) };
            });
        }
    }

    async fn refresh_counts(&self) {
        if let Ok(counts) = blocking(&self.store, |s| s.outbox_counts()).await {
            self.status.send_modify(|s| {
                s.pending = counts.pending;
                s.failed = counts.failed;
            });
        }
    }

    /// Issues a ticket: from central while it answers, else from this
    /// kiosk's slot with the write queued for central. Either way the
    /// ticket is durable before it is returned.
    pub async fn issue(self: Arc<Self>, request: TicketRequest, at: Timestamp) -> Result<Ticket, StoreError> {
        let mut void_key = None;
        if self.online() {
            let key = motcua_core::ids::random_hex(16);
            let new = NewTicket {
                group: request.group.clone(),
                lane: request.lane,
                procedure: request.procedure.clone(),
            };
            match self.client.issue_ticket(&new, &key).await {
                Ok(t) => {
                    let number = TicketNumber {
                        group: t.group.clone(),
                        slot: t.slot,
                        number: t.number,
                    };
                    let day = t.day.parse().unwrap_or_else(|_| motcua_core::time::local_day(at));
                    let issued = t.issued_at.parse().unwrap_or(at);
                    let ahead = (t.same_lane_ahead, t.other_lane_waiting);
                    return blocking(&self.store, move |s| {
                        s.record_central(&request, number, day, issued, ahead)
                    })
                    .await;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "ticket request to central failed");
                    self.set_online(false);
                    // Unless the connection was refused, central may have
                    // taken the request before the line broke: it is told
                    // to void it, so no ghost waits in the queue.
                    if !matches!(e, SyncError::Refused(_)) {
                        void_key = Some(key);
                    }
                }
            }
        }
        let slot = self.identity.slot;
        let ticket = blocking(&self.store, move |s| s.issue(&request, slot, at, void_key.as_deref())).await?;
        self.refresh_counts().await;
        self.wake.notify_one();
        Ok(ticket)
    }

    /// Waiting counts: the office's from central, else this kiosk's own.
    pub async fn waiting(self: Arc<Self>, at: Timestamp) -> Result<Vec<(String, Waiting)>, StoreError> {
        if self.online()
            && let Ok(groups) = self.client.waiting().await
        {
            return Ok(groups
                .into_iter()
                .map(|g| {
                    (
                        g.group,
                        Waiting {
                            normal: g.normal,
                            priority: g.priority,
                        },
                    )
                })
                .collect());
        }
        blocking(&self.store, move |s| s.waiting(at)).await
    }

    /// A new record is in the outbox: send it soon.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Tries to deliver this device's oldest pending record.
    pub async fn step(&self) -> Step {
        let next = blocking(&self.store, |s| {
            // One sender per device: a second process of the same device
            // on this data directory leaves the records to the first.
            if !s.claim_sending()? {
                return Err(None);
            }
            s.next_pending().map_err(Some)
        })
        .await;
        let record: OutboxRecord = match next {
            Ok(Some(r)) => r,
            Ok(None) => return Step::Empty,
            Err(None) => {
                tracing::warn!(
                    device = self.identity.device,
                    "another process sends this device's records; this one leaves them"
                );
                return Step::Retry(Duration::from_secs(60));
            }
            Err(Some(e)) => {
                tracing::error!(error = %e, "outbox unreadable");
                return Step::Retry(Duration::from_secs(5));
            }
        };
        let id = record.id;
        let outcome = match self.deliver(&record).await {
            Ok(()) => Ok(()),
            // An offline ticket central already has: delivered before.
            Err(SyncError::Rejected { status: 409, .. }) if record.kind == "ticket" => Ok(()),
            // A dossier central has an evaluation of on this occasion: the
            // first stands, and this one is done.
            Err(SyncError::Rejected { status: 409, .. }) if record.kind == "evaluation" => Ok(()),
            Err(e) => Err(e),
        };
        let step = match outcome {
            Ok(()) => {
                if let Err(e) = blocking(&self.store, move |s| s.mark_sent(id)).await {
                    tracing::error!(error = %e, "outbox record sent but not marked; it will be sent again and replayed");
                }
                self.backoff.lock().unwrap_or_else(|p| p.into_inner()).reset();
                self.set_online(true);
                Step::Sent(id)
            }
            Err(e) if !e.retryable() => {
                let reason = e.to_string();
                tracing::error!(record = id, kind = %record.kind, reason, "central refused an outbox record; kept as failed");
                let r = reason.clone();
                let _ = blocking(&self.store, move |s| s.mark_failed(id, &r)).await;
                Step::Failed(id, reason)
            }
            Err(e) => {
                let text = e.to_string();
                let _ = blocking(&self.store, move |s| s.note_attempt(id, &text)).await;
                if matches!(e, SyncError::Refused(_)) {
                    self.client.take_over_local().await;
                }
                if !matches!(e, SyncError::Throttled { .. }) {
                    self.set_online(false);
                }
                let wait = e
                    .retry_after()
                    .unwrap_or_else(|| self.backoff.lock().unwrap_or_else(|p| p.into_inner()).next(unit()));
                Step::Retry(wait)
            }
        };
        self.refresh_counts().await;
        step
    }

    /// Sends one record; a document goes with its file, read from the
    /// store (gone: refused, as nothing can be sent).
    async fn deliver(&self, record: &OutboxRecord) -> Result<(), SyncError> {
        let Ok(Payload::Document { code, document }) = record.payload() else {
            return self.client.deliver(record).await;
        };
        let (c, sha) = (code.clone(), document.sha256.clone());
        let file = blocking(&self.store, move |s| s.document_pdf(&c, &sha))
            .await
            .map_err(|e| SyncError::Server {
                status: 0,
                message: format!("the document could not be read from the store: {e}"),
                retry_after: None,
            })?;
        let Some(file) = file else {
            return Err(SyncError::Rejected {
                status: 0,
                message: "the document's file is no longer kept on this device".into(),
            });
        };
        self.client
            .upload_document(&code, &document, &file, &record.key)
            .await
            .map(|_| ())
    }

    /// Sends until the outbox is empty or central cannot take more now.
    pub async fn drain(&self) -> Step {
        loop {
            match self.step().await {
                Step::Sent(_) | Step::Failed(..) => continue,
                other => return other,
            }
        }
    }

    /// Checks whether central answers, and says so.
    pub async fn probe(&self) -> bool {
        let mut answer = self.client.me().await;
        if matches!(answer, Err(SyncError::Refused(_))) && self.client.take_over_local().await {
            answer = self.client.me().await;
        }
        let ok = answer.is_ok();
        self.set_online(ok);
        ok
    }

    /// Runs a loop of this link on its runtime, supervised: a death is
    /// logged, kept in [`Link::loops`] and in the store (for `motcua
    /// sync-status` and `motcua doctor`), and the loop is started again. It
    /// stops when the link drops.
    fn supervised<F, Fut>(self: &Arc<Self>, name: &'static str, make: F)
    where
        F: Fn(Weak<Self>) -> Fut + Send + 'static,
        // The link's loops handle their own errors and only end when the
        // link is gone; they die only by a panic.
        Fut: std::future::Future<Output = Result<(), std::convert::Infallible>> + Send + 'static,
    {
        let link = Arc::downgrade(self);
        let store = self.store.clone();
        let report: motcua_central::supervise::Report = Arc::new(move |name, reason| {
            let mut s = store.lock().unwrap_or_else(|p| p.into_inner());
            if let Err(e) = s.note_loop_failure(name, reason, Timestamp::now()) {
                tracing::warn!(task = name, error = %e, "the loop's death could not be kept in the store");
            }
        });
        let loops = self.loops.clone().with_report(report);
        let task = loops.spawn(&self.runtime, name, move || make(link.clone()));
        self.tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(task.abort_handle());
    }

    /// Deletes personal data central has had for `days`, now and every
    /// hour for as long as the device runs.
    pub fn start_retention(self: &Arc<Self>, days: u32) {
        self.supervised("retention", move |link| async move {
            loop {
                let Some(store) = link.upgrade().map(|l| l.store.clone()) else {
                    return Ok(());
                };
                let purged = blocking(&store, move |s| {
                    let now = jiff::Timestamp::now();
                    let p = s.purge_personal(now, days)?;
                    let files = match s.path().parent() {
                        Some(dir) if s.path() != Path::new(":memory:") => {
                            crate::retention::purge_files(s, dir, now, days)?
                        }
                        _ => 0,
                    };
                    Ok::<_, StoreError>((p, files))
                })
                .await;
                match purged {
                    Ok((p, files)) if p != crate::store::Purged::default() || files > 0 => tracing::info!(
                        dossiers = p.dossiers,
                        records = p.records,
                        comments = p.comments,
                        files,
                        days,
                        "personal data past its retention period deleted"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "retention purge failed; will try again in an hour"),
                }
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
        });
    }

    /// The worker: delivers the outbox, and pulls central's catalog, for
    /// as long as the link lives.
    pub fn start_worker(self: &Arc<Self>) {
        if self.client.trust().is_some() {
            // The device's certificate, renewed when a third of its life is
            // left; looked at every six hours, and retried in an hour when
            // central could not be reached.
            self.supervised("certificate renewal", |link| async move {
                loop {
                    let Some(l) = link.upgrade() else {
                        return Ok(());
                    };
                    let wait = match l.client.renew_certificate_if_due(Timestamp::now()).await {
                        Ok(_) => Duration::from_secs(6 * 3600),
                        Err(e) => {
                            tracing::warn!(error = %e, "the device's certificate was not renewed; trying again in an hour");
                            Duration::from_secs(3600)
                        }
                    };
                    drop(l);
                    tokio::time::sleep(wait).await;
                }
            });
        }
        self.supervised("catalog pull", |link| async move {
            loop {
                let Some(l) = link.upgrade() else {
                    return Ok(());
                };
                if let Err(e) = l.refresh_catalog().await {
                    tracing::warn!(error = %e, "catalog not refreshed; the last good copy stays");
                }
                drop(l);
                tokio::time::sleep(CATALOG_EVERY).await;
            }
        });
        let wake = self.wake.clone();
        self.supervised("outbox sender", move |link| {
            let wake = wake.clone();
            async move {
                loop {
                    // Held for one round only: the link may go between rounds.
                    let Some(l) = link.upgrade() else {
                        return Ok(());
                    };
                    let wait = match l.drain().await {
                        Step::Retry(wait) => wait,
                        _ => {
                            if !l.online() {
                                l.probe().await;
                            }
                            // Nothing to send: wait for a new record, and look
                            // at central now and then.
                            Duration::from_secs(10)
                        }
                    };
                    drop(l);
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = wake.notified() => {}
                    }
                }
            }
        });
    }
}
