//! The figures `/metrics` serves, in Prometheus' text format: responses
//! by status, tickets and dossiers written, panics caught, open event
//! streams, and the background loops' health.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::supervise::{LoopState, LoopStatus};

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
    /// Connections closed at once: over the cap, overall or per address.
    pub connections_refused: Counter,
}

impl Metrics {
    /// The metrics as Prometheus text; `db_panics` are the database jobs
    /// that panicked (caught by the database's threads, not by the router).
    pub fn render(&self, subscribers: usize, db_panics: u64, loops: &[LoopStatus]) -> String {
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
            (
                "motcua_connections_refused_total",
                "Connections closed at once for being over the cap, overall or per address.",
                self.connections_refused.get(),
            ),
        ] {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
            ));
        }
        out.push_str(&format!(
            "# HELP motcua_event_subscribers Open event streams.\n# TYPE motcua_event_subscribers gauge\nmotcua_event_subscribers {subscribers}\n"
        ));
        out.push_str("# HELP motcua_background_running Background loops running (1) or waiting to restart (0).\n# TYPE motcua_background_running gauge\n");
        for l in loops {
            let up = u8::from(l.state == LoopState::Running);
            out.push_str(&format!("motcua_background_running{{loop=\"{}\"}} {up}\n", l.name));
        }
        out.push_str("# HELP motcua_background_restarts_total Background loops started again after they stopped.\n# TYPE motcua_background_restarts_total counter\n");
        for l in loops {
            out.push_str(&format!(
                "motcua_background_restarts_total{{loop=\"{}\"}} {}\n",
                l.name, l.restarts
            ));
        }
        out
    }
}
