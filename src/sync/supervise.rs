//! Supervised background loops. A loop that dies (a panic, or an error it
//! returns) is logged, kept in the device's health (in memory, and in the
//! store for `motcua sync-status` and `motcua doctor`), and started again
//! after a capped backoff: no loop dies silently. A loop that ends with
//! `Ok(())` is done (its owner is gone) and is not restarted.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::runtime::Handle;
use tokio::task::JoinHandle;

use motcua_core::backoff::{Backoff, unit};

/// One loop's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopHealth {
    pub name: &'static str,
    /// Whether it runs now (false between a death and its restart, and
    /// once it ended).
    pub running: bool,
    /// How many times it died and was started again.
    pub restarts: u32,
    /// Why it last died.
    pub last_failure: Option<String>,
}

/// The loops of one owner (a sync link), shared with their supervisors.
#[derive(Debug, Clone, Default)]
pub struct Health(Arc<Mutex<Vec<LoopHealth>>>);

impl Health {
    /// Every loop's record, in the order they were started.
    pub fn loops(&self) -> Vec<LoopHealth> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn update(&self, name: &'static str, f: impl FnOnce(&mut LoopHealth)) {
        let mut loops = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let i = match loops.iter().position(|l| l.name == name) {
            Some(i) => i,
            None => {
                loops.push(LoopHealth {
                    name,
                    running: false,
                    restarts: 0,
                    last_failure: None,
                });
                loops.len() - 1
            }
        };
        f(&mut loops[i]);
    }
}

/// Where a death is reported besides the log and [`Health`]: the store,
/// for the tools that run in other processes. Called on a blocking thread.
pub type Report = Arc<dyn Fn(&'static str, &str) + Send + Sync>;

/// The first restart waits this long; each further one longer, up to
/// [`MAX_WAIT`].
const FIRST_WAIT: Duration = Duration::from_millis(500);
const MAX_WAIT: Duration = Duration::from_secs(60);

/// Aborts the task it holds when dropped: a supervisor that is aborted
/// takes its loop with it.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs the loop `make` builds on `handle`, and builds and runs it again
/// whenever it dies. Aborting the returned task stops the loop.
pub fn supervise<F, Fut>(
    handle: &Handle,
    name: &'static str,
    health: Health,
    report: Option<Report>,
    make: F,
) -> JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let runtime = handle.clone();
    handle.spawn(async move {
        let mut backoff = Backoff::new(FIRST_WAIT, MAX_WAIT);
        loop {
            health.update(name, |l| l.running = true);
            let started = Instant::now();
            let mut task = AbortOnDrop(runtime.spawn(make()));
            let failure = match (&mut task.0).await {
                Ok(Ok(())) => {
                    health.update(name, |l| l.running = false);
                    return;
                }
                Ok(Err(e)) => e,
                Err(e) if e.is_panic() => format!("panicked: {}", panic_text(e.into_panic())),
                // Aborted from outside: stopped, not dead.
                Err(_) => return,
            };
            health.update(name, |l| {
                l.running = false;
                l.restarts += 1;
                l.last_failure = Some(failure.clone());
            });
            if started.elapsed() > MAX_WAIT {
                // It ran well for a while: a fresh death starts the waits over.
                backoff.reset();
            }
            let wait = backoff.next(unit());
            tracing::error!(task = name, error = %failure, retry_in = ?wait, "a background loop died; it is started again");
            if let Some(report) = report.clone() {
                let reason = failure.clone();
                let _ = tokio::task::spawn_blocking(move || report(name, &reason)).await;
            }
            tokio::time::sleep(wait).await;
        }
    })
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

    #[test]
    fn a_loop_that_panics_is_restarted_and_reported() {
        let handle = crate::runtime::handle();
        let health = Health::default();
        let runs = Arc::new(AtomicU32::new(0));
        let reported = Arc::new(Mutex::new(Vec::new()));
        let report: Report = {
            let reported = reported.clone();
            Arc::new(move |name, reason: &str| reported.lock().unwrap().push((name, reason.to_string())))
        };
        let r = runs.clone();
        let task = supervise(&handle, "test-loop", health.clone(), Some(report), move || {
            let r = r.clone();
            async move {
                match r.fetch_add(1, Ordering::SeqCst) {
                    0 => panic!("the first run breaks"),
                    1 => Err("the second run fails".to_string()),
                    // The third runs until it is stopped.
                    _ => std::future::pending().await,
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        while runs.load(Ordering::SeqCst) < 3 {
            assert!(Instant::now() < deadline, "the loop was not started again");
            std::thread::sleep(Duration::from_millis(20));
        }
        let loops = health.loops();
        assert_eq!(loops.len(), 1);
        assert_eq!(loops[0].name, "test-loop");
        assert_eq!(loops[0].restarts, 2);
        assert_eq!(loops[0].last_failure.as_deref(), Some("the second run fails"));
        let reported = reported.lock().unwrap().clone();
        assert_eq!(
            reported,
            vec![
                ("test-loop", "panicked: the first run breaks".to_string()),
                ("test-loop", "the second run fails".to_string()),
            ]
        );
        // Stopping the supervisor stops the loop; a loop ending with Ok is
        // not restarted.
        task.abort();
        let done = supervise(&handle, "done", health.clone(), None, || async { Ok(()) });
        handle.block_on(done).unwrap();
        let done = health.loops().into_iter().find(|l| l.name == "done").unwrap();
        assert_eq!((done.running, done.restarts), (false, 0));
    }
}
