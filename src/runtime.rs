//! The process's one tokio runtime: start-up builds it (the first call to
//! [`handle`]) and hands its [`Handle`] to whatever runs in the background:
//! the sync link's loops, the event stream, the tools' requests.
//!
//! It lives as long as the process (a static is never dropped, so no task
//! can end up dropping the runtime it runs on); what a device starts on it
//! is stopped by its owner (a [`crate::sync::Link`] aborts its loops when
//! it is let go).

use std::sync::OnceLock;

use tokio::runtime::{Handle, Runtime};

/// Async worker threads: the network is the only async work on a device.
const WORKERS: usize = 2;

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

/// The process's runtime, built on first use.
pub fn handle() -> Handle {
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(WORKERS)
                .thread_name("motcua-rt")
                .enable_all()
                .build()
                .expect("a tokio runtime")
        })
        .handle()
        .clone()
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_runtime_for_the_process() {
        let a = super::handle();
        let b = super::handle();
        assert_eq!(a.id(), b.id());
        assert_eq!(a.block_on(async { 1 + 1 }), 2);
    }
}
