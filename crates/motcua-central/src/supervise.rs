//! The one supervisor of background loops, for central (the portal drain,
//! the retention purge, the revocation watch) and for a device's sync link
//! (the outbox sender, the catalog pull, retention): a loop that panics or
//! returns an error is logged, counted, reported where its owner asks (the
//! device keeps it in its store for `motcua sync-status` and `motcua
//! doctor`), and started again after a capped backoff. No loop dies
//! silently. A loop that ends with `Ok(())` is done (its owner is gone) and
//! is not started again. How each loop fares is kept for `/metrics`,
//! `doctor` and the sync status.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use motcua_core::backoff::{Backoff, unit};
use tokio::runtime::Handle;
use tokio::task::JoinHandle;

/// What a supervised loop is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopState {
    Running,
    /// It died and waits out its backoff before it starts again.
    Restarting,
    /// It ended by itself: its owner is gone.
    Finished,
}

impl LoopState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Restarting => "restarting",
            Self::Finished => "finished",
        }
    }
}

/// How one loop fares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopStatus {
    pub name: &'static str,
    pub state: LoopState,
    /// Times it died and was started again.
    pub restarts: u64,
    /// Why it last died.
    pub last_error: Option<String>,
}

/// Where a death is reported besides the log and [`Loops::status`] (a
/// device's store, for the tools that run in other processes). Called on a
/// blocking thread before the loop starts again.
pub type Report = Arc<dyn Fn(&'static str, &str) + Send + Sync>;

/// The supervised loops of one owner (a server, a sync link).
#[derive(Clone)]
pub struct Loops {
    status: Arc<Mutex<BTreeMap<&'static str, LoopStatus>>>,
    base: Duration,
    cap: Duration,
    report: Option<Report>,
}

impl std::fmt::Debug for Loops {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loops").field("status", &self.status()).finish()
    }
}

impl Default for Loops {
    fn default() -> Self {
        Self::with_backoff(Duration::from_secs(1), Duration::from_secs(60))
    }
}

/// Aborts a task when dropped: a supervisor stopped takes its loop along.
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A loop that ran this long before dying starts again without waiting out
/// the backoff of earlier deaths.
const STEADY: Duration = Duration::from_secs(60);

impl Loops {
    /// Loops started again after `base`, doubling (with jitter) up to `cap`.
    pub fn with_backoff(base: Duration, cap: Duration) -> Self {
        Self {
            status: Arc::default(),
            base,
            cap,
            report: None,
        }
    }

    /// Also tells `report` of every death.
    pub fn with_report(mut self, report: Report) -> Self {
        self.report = Some(report);
        self
    }

    fn update(&self, name: &'static str, f: impl FnOnce(&mut LoopStatus)) {
        let mut all = self.status.lock().unwrap_or_else(|p| p.into_inner());
        let s = all.entry(name).or_insert(LoopStatus {
            name,
            state: LoopState::Running,
            restarts: 0,
            last_error: None,
        });
        f(s);
    }

    /// Every loop's status, by name.
    pub fn status(&self) -> Vec<LoopStatus> {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect()
    }

    /// Runs the loop `make` builds on `handle`, and builds and runs it
    /// again whenever it dies. Aborting the returned task stops the loop.
    pub fn spawn<F, Fut, E>(&self, handle: &Handle, name: &'static str, make: F) -> JoinHandle<()>
    where
        F: Fn() -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Display + Send + 'static,
    {
        let loops = self.clone();
        let runtime = handle.clone();
        self.update(name, |s| s.state = LoopState::Running);
        handle.spawn(async move {
            let mut backoff = Backoff::new(loops.base, loops.cap);
            loop {
                loops.update(name, |s| s.state = LoopState::Running);
                let started = tokio::time::Instant::now();
                let run = runtime.spawn(make());
                let _abort = AbortOnDrop(run.abort_handle());
                let why = match run.await {
                    Ok(Ok(())) => {
                        loops.update(name, |s| s.state = LoopState::Finished);
                        return;
                    }
                    Ok(Err(e)) => e.to_string(),
                    Err(e) if e.is_panic() => format!("panicked: {}", panic_text(e.into_panic())),
                    // Aborted from outside: stopped, not dead.
                    Err(_) => return,
                };
                if started.elapsed() >= STEADY {
                    backoff.reset();
                }
                let wait = backoff.next(unit());
                tracing::error!(task = name, error = %why, retry_in = ?wait, "a background loop died; it is started again");
                loops.update(name, |s| {
                    s.state = LoopState::Restarting;
                    s.restarts += 1;
                    s.last_error = Some(why.clone());
                });
                if let Some(report) = loops.report.clone() {
                    let _ = tokio::task::spawn_blocking(move || report(name, &why)).await;
                }
                tokio::time::sleep(wait).await;
            }
        })
    }
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(s) => (*s).to_string(),
            Err(_) => "a panic without a message".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use tokio::sync::mpsc;

    #[test]
    fn a_loop_that_panics_or_fails_is_started_again_reported_and_its_story_kept() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let reported = Arc::new(Mutex::new(Vec::new()));
        let report: Report = {
            let reported = reported.clone();
            Arc::new(move |name, reason: &str| reported.lock().unwrap().push((name, reason.to_string())))
        };
        let loops = Loops::with_backoff(Duration::from_millis(1), Duration::from_millis(2)).with_report(report);
        let runs = Arc::new(AtomicU32::new(0));
        // Each run says it started; the test waits for the third, no sleep.
        let (started, mut starts) = mpsc::unbounded_channel();
        let task = loops.spawn(rt.handle(), "flaky", move || {
            let n = runs.fetch_add(1, Ordering::SeqCst);
            let started = started.clone();
            async move {
                let _ = started.send(n);
                match n {
                    0 => panic!("the first run breaks"),
                    1 => Err("the second run fails"),
                    _ => std::future::pending().await,
                }
            }
        });
        let seen: Vec<u32> = rt.block_on(async {
            let mut seen = Vec::new();
            while seen.len() < 3 {
                seen.push(starts.recv().await.unwrap());
            }
            seen
        });
        assert_eq!(seen, vec![0, 1, 2]);
        let status = loops.status();
        assert_eq!(status.len(), 1);
        assert_eq!(status[0].name, "flaky");
        assert_eq!(status[0].state, LoopState::Running);
        assert_eq!(status[0].restarts, 2);
        assert_eq!(status[0].last_error.as_deref(), Some("the second run fails"));
        assert_eq!(
            reported.lock().unwrap().clone(),
            vec![
                ("flaky", "panicked: the first run breaks".to_string()),
                ("flaky", "the second run fails".to_string()),
            ]
        );
        // Stopping the supervisor stops the loop; a loop that ends with Ok
        // is done, not started again.
        task.abort();
        let done = loops.spawn(rt.handle(), "done", || async { Ok::<(), String>(()) });
        rt.block_on(done).unwrap();
        let done = loops.status().into_iter().find(|l| l.name == "done").unwrap();
        assert_eq!((done.state, done.restarts), (LoopState::Finished, 0));
    }
}
