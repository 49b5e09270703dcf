//! Life under systemd: "ready" once the first screen is up, and the
//! watchdog fed from the UI's own loop, so a frozen screen is restarted.
//!
//! The GUI roles run as children of the cage compositor: systemd's
//! `WATCHDOG_PID` names cage, not us, so the units say `NotifyAccess=all`
//! and this module only asks whether a watchdog is configured at all.
//! Outside systemd (no `NOTIFY_SOCKET`) every call here does nothing.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use sd_notify::NotifyState;

/// How often the UI says it is alive: well inside any sensible `WatchdogSec`.
pub const PING_EVERY: Duration = Duration::from_secs(5);

static LAST: Mutex<Option<Instant>> = Mutex::new(None);

/// The watchdog period systemd asked for, if any.
pub fn watchdog() -> Option<Duration> {
    std::env::var("WATCHDOG_USEC")
        .ok()?
        .parse::<u64>()
        .ok()
        .filter(|&us| us > 0)
        .map(Duration::from_micros)
}

/// Called from the UI loop (or the server's): the first call tells systemd
/// the service is ready, every call feeds the watchdog.
pub fn alive() {
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    let first = last.is_none();
    *last = Some(Instant::now());
    let states: &[NotifyState] = if first {
        &[NotifyState::Ready, NotifyState::Watchdog]
    } else {
        &[NotifyState::Watchdog]
    };
    if let Err(e) = sd_notify::notify(false, states) {
        if first {
            tracing::warn!(error = %e, "systemd notification failed");
        }
    } else if first && std::env::var_os("NOTIFY_SOCKET").is_some() {
        tracing::info!(watchdog = ?watchdog(), "told systemd the service is ready");
    }
}

/// Tells systemd the service is stopping on purpose.
pub fn stopping() {
    let _ = sd_notify::notify(false, &[NotifyState::Stopping]);
}
