//! The open event streams (`/v1/events`): each one registered while it
//! lives and unregistered the moment its body is dropped (the client went
//! away and a keep-alive could not be written), at most a few per device,
//! and cut at once when their device is revoked.
//!
//! A device that opens one stream too many has its *oldest* cut, not the
//! new one refused: a board whose network blinked reconnects before
//! central can tell its old connection is dead, and it is the new
//! connection that works.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{oneshot, watch};

use super::App;

/// Why central ended a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// The device opened more streams than allowed; this was its oldest.
    Replaced,
    /// The device was revoked.
    Revoked,
}

impl Cut {
    /// As sent in the stream's last event, `event: closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cut::Replaced => "replaced",
            Cut::Revoked => "revoked",
        }
    }

    /// How long the client should wait before reconnecting (`retry:`): a
    /// replaced stream's client is most likely gone; a revoked device will
    /// be refused.
    pub fn retry(self) -> Duration {
        match self {
            Cut::Replaced => Duration::from_secs(30),
            Cut::Revoked => Duration::from_secs(300),
        }
    }
}

#[derive(Default)]
struct State {
    next: u64,
    /// Per device, its open streams, oldest first, each with the way to
    /// cut it.
    by_device: HashMap<i64, VecDeque<(u64, oneshot::Sender<Cut>)>>,
    open: usize,
}

/// The registry of open streams.
#[derive(Clone)]
pub struct Streams {
    state: Arc<Mutex<State>>,
    /// Open streams, for `/metrics` and for whoever waits for a change.
    count: Arc<watch::Sender<usize>>,
    per_device: usize,
}

/// A stream's registration: dropping it (the stream ended, for whatever
/// reason) unregisters it.
pub struct Registration {
    streams: Streams,
    device: i64,
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut state = self.streams.lock();
        let mut removed = false;
        if let Some(list) = state.by_device.get_mut(&self.device) {
            let before = list.len();
            list.retain(|(id, _)| *id != self.id);
            removed = list.len() < before;
            if list.is_empty() {
                state.by_device.remove(&self.device);
            }
        }
        if removed {
            state.open -= 1;
            self.streams.count.send_replace(state.open);
        }
    }
}

impl Streams {
    /// A registry allowing `per_device` streams per device (at least one).
    pub fn new(per_device: usize) -> Self {
        Self {
            state: Arc::default(),
            count: Arc::new(watch::channel(0).0),
            per_device: per_device.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a new stream of `device`; cuts the device's oldest when it
    /// has too many. The receiver resolves when central cuts this stream.
    pub fn open(&self, device: i64) -> (Registration, oneshot::Receiver<Cut>) {
        let (cut, cut_rx) = oneshot::channel();
        let mut state = self.lock();
        state.next += 1;
        let id = state.next;
        let list = state.by_device.entry(device).or_default();
        list.push_back((id, cut));
        let mut replaced = 0;
        while list.len() > self.per_device {
            if let Some((_, oldest)) = list.pop_front() {
                let _ = oldest.send(Cut::Replaced);
                replaced += 1;
            }
        }
        state.open = state.open + 1 - replaced;
        self.count.send_replace(state.open);
        drop(state);
        if replaced > 0 {
            tracing::info!(device, "a device opened too many event streams; its oldest was cut");
        }
        (
            Registration {
                streams: self.clone(),
                device,
                id,
            },
            cut_rx,
        )
    }

    /// Cuts every stream of `device`; answers how many.
    pub fn cut(&self, device: i64, why: Cut) -> usize {
        let mut state = self.lock();
        let list = state.by_device.remove(&device).unwrap_or_default();
        state.open -= list.len();
        self.count.send_replace(state.open);
        let n = list.len();
        for (_, cut) in list {
            let _ = cut.send(why);
        }
        n
    }

    /// Open streams now.
    pub fn open_count(&self) -> usize {
        *self.count.borrow()
    }

    /// Follows the number of open streams.
    pub fn watch(&self) -> watch::Receiver<usize> {
        self.count.subscribe()
    }

    /// Devices with a stream open.
    pub fn devices(&self) -> Vec<i64> {
        self.lock().by_device.keys().copied().collect()
    }
}

/// Cuts the streams of revoked devices, checking every `every`. A device is
/// revoked from the command line, in another process, so central learns of
/// it from its database, not from a call. Runs until stopped, under
/// [`crate::supervise`].
pub async fn watch_revocations(app: App, every: Duration) -> Result<(), crate::error::ApiError> {
    {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            // A database that cannot be read now is checked again next time.
            let _ = app.refresh_revocations().await;
            let open = app.streams.devices();
            if open.is_empty() {
                continue;
            }
            let asked = open.clone();
            let valid = app
                .db
                .read(move |c| crate::repo::devices::active_among(c, &asked))
                .await;
            // A database that cannot be read now is checked again next time.
            let Ok(valid) = valid else { continue };
            for device in open.into_iter().filter(|d| !valid.contains(d)) {
                let n = app.streams.cut(device, Cut::Revoked);
                if n > 0 {
                    tracing::info!(device, streams = n, "device revoked: its event streams were cut");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_counted_capped_per_device_and_cut() {
        let s = Streams::new(2);
        let (a, mut a_cut) = s.open(1);
        let (b, _b_cut) = s.open(1);
        let (_c, _) = s.open(2);
        assert_eq!(s.open_count(), 3);
        // A third stream of device 1: its oldest is cut.
        let (d, _d_cut) = s.open(1);
        assert_eq!(a_cut.try_recv(), Ok(Cut::Replaced));
        assert_eq!(s.open_count(), 3);
        // The cut stream ends later: counted once.
        drop(a);
        assert_eq!(s.open_count(), 3);
        drop(b);
        assert_eq!(s.open_count(), 2);
        assert_eq!(s.cut(1, Cut::Revoked), 1);
        assert_eq!(s.open_count(), 1);
        drop(d);
        assert_eq!(s.open_count(), 1);
        assert_eq!(s.devices(), vec![2]);
    }
}
