//! Central's background loops (the portal drain, the retention purge, the
//! revocation watch) under supervision: a loop that panics or returns is
//! logged and started again after a backoff, and how each one fares is
//! kept for `/metrics` and for `motcua doctor`.

use std::collections::BTreeMap;
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
    /// It stopped and waits out its backoff before it starts again.
    Restarting,
}

impl LoopState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Restarting => "restarting",
        }
    }
}

/// How one loop fares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopStatus {
    pub name: &'static str,
    pub state: LoopState,
    /// Times it was started again after stopping.
    pub restarts: u64,
    /// Why it last stopped.
    pub last_error: Option<String>,
}

/// The supervised loops of one server.
#[derive(Clone)]
pub struct Loops {
    status: Arc<Mutex<BTreeMap<&'static str, LoopStatus>>>,
    base: Duration,
    cap: Duration,
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

/// A loop that ran this long before stopping starts again without waiting
/// out the backoff of earlier failures.
const STEADY: Duration = Duration::from_secs(60);

impl Loops {
    /// Loops restarted after `base`, doubling (with jitter) up to `cap`.
    pub fn with_backoff(base: Duration, cap: Duration) -> Self {
        Self {
            status: Arc::default(),
            base,
            cap,
        }
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

    /// Runs `body()` on `handle` for as long as the returned task lives,
    /// starting it again whenever it panics or returns. Aborting the task
    /// stops the loop.
    pub fn spawn<F, Fut, E>(&self, handle: &Handle, name: &'static str, mut body: F) -> JoinHandle<()>
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: std::fmt::Display + Send + 'static,
    {
        let loops = self.clone();
        self.update(name, |s| s.state = LoopState::Running);
        handle.spawn(async move {
            let mut backoff = Backoff::new(loops.base, loops.cap);
            loop {
                loops.update(name, |s| s.state = LoopState::Running);
                let started = tokio::time::Instant::now();
                let run = tokio::spawn(body());
                let _abort = AbortOnDrop(run.abort_handle());
                let why = match run.await {
                    Ok(Ok(())) => "it returned".to_string(),
                    Ok(Err(e)) => e.to_string(),
                    Err(e) if e.is_panic() => {
                        let payload = e.into_panic();
                        let text = payload
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| payload.downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "no message".into());
                        format!("it panicked: {text}")
                    }
                    Err(_) => return,
                };
                if started.elapsed() >= STEADY {
                    backoff.reset();
                }
                let wait = backoff.next(unit());
                tracing::error!(task = name, error = %why, retry_in = ?wait, "a background loop of central stopped; starting it again");
                loops.update(name, |s| {
                    s.state = LoopState::Restarting;
                    s.restarts += 1;
                    s.last_error = Some(why);
                });
                tokio::time::sleep(wait).await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn a_loop_that_panics_or_fails_is_started_again_and_its_story_kept() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let loops = Loops::with_backoff(Duration::from_millis(5), Duration::from_millis(20));
        let runs = Arc::new(AtomicU32::new(0));
        let counted = runs.clone();
        let task = loops.spawn(rt.handle(), "flaky", move || {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                match n {
                    0 => panic!("the first run breaks"),
                    1 => Err("the second run fails".to_string()),
                    _ => std::future::pending().await,
                }
            }
        });
        rt.block_on(async {
            while runs.load(Ordering::SeqCst) < 3 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        });
        let status = loops.status();
        assert_eq!(status.len(), 1);
        assert_eq!(status[0].name, "flaky");
        assert_eq!(status[0].state, LoopState::Running);
        assert_eq!(status[0].restarts, 2);
        assert_eq!(status[0].last_error.as_deref(), Some("the second run fails"));
        task.abort();
    }
}
