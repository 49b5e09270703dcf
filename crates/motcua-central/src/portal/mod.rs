//! Where accepted dossiers go next. Per office: nowhere (central is the
//! system of record), or a national-portal style system (the city's "Hệ
//! thống thông tin giải quyết TTHC", synced with the Cổng Dịch vụ công
//! quốc gia).
//!
//! Every status change of a dossier (its acceptance included) is written
//! to a durable outbox in the same commit as the change itself, and sent
//! once and in order: DongBoHoSoMC (create, or update when the portal
//! already has it), then CapNhatTienDoHoSoMC. The same retry, backoff and
//! failure rules as the kiosk's outbox apply: no answer → try again later
//! with capped, jittered backoff; a refusal → the record is failed with the
//! portal's reason, and later records of that dossier wait behind it.
//! Satisfaction goes as monthly totals per question (DongBoDanhGia).

pub mod catalog;
pub mod dvcqg;
pub mod emulator;
pub mod mapping;
pub mod outbox;
pub mod ratings;

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::Connection;

use super::App;
use super::error::ApiError;
pub use crate::repo::portal::{configure, enqueue, settings};
pub use catalog::{ImportError, Imported, import_catalog, procedure_from_portal};
pub use dvcqg::{Dvcqg, PortalError, Settings};
pub use mapping::Mapping;
pub use outbox::{Drained, drain, offices};
pub use ratings::{rating_totals, sync_ratings};

/// Tables of the adapter: migration 2 of central's schema
/// (`central::db`). It has shipped: change these tables with a new
/// migration there, never by editing this text.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS portal_settings (
    office TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    auth_path TEXT NOT NULL,
    integration_path TEXT NOT NULL,
    share_path TEXT NOT NULL,
    username TEXT NOT NULL,
    password TEXT NOT NULL,
    dstcode TEXT NOT NULL,
    madonvi TEXT NOT NULL,
    tendonvi TEXT NOT NULL,
    timeout_ms INTEGER NOT NULL,
    mapping TEXT NOT NULL
) WITHOUT ROWID;
-- One record per status change of a dossier, written with the change.
CREATE TABLE IF NOT EXISTS portal_outbox (
    id INTEGER PRIMARY KEY,
    office TEXT NOT NULL,
    code TEXT NOT NULL,
    status INTEGER NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    -- 1 once DongBoHoSoMC went through; CapNhatTienDoHoSoMC is next.
    step INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT
);
CREATE INDEX IF NOT EXISTS portal_outbox_next ON portal_outbox (office, state, id);
-- Dossiers the portal is known to have: later pushes are updates.
CREATE TABLE IF NOT EXISTS portal_dossiers (
    office TEXT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (office, code)
) WITHOUT ROWID;
-- The satisfaction totals last sent, per month.
CREATE TABLE IF NOT EXISTS portal_ratings_sent (
    office TEXT NOT NULL,
    month TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (office, month)
) WITHOUT ROWID;
";

/// Default paths of the three endpoints under the portal's URL.
pub const AUTH_PATH: &str = "/auth";
pub const INTEGRATION_PATH: &str = "/integration";
pub const SHARE_PATH: &str = "/share";

/// Why a drain or a totals push stopped: central's own database, or the
/// portal.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RunError {
    #[error("central's database: {}", .0.message)]
    Storage(#[from] ApiError),
    #[error("the portal: {0}")]
    Portal(#[from] dvcqg::PortalError),
}

/// The adapter's connections, one per office, kept between drains so the
/// session is reused. The lock also makes sure one drain runs at a time.
#[derive(Default)]
pub struct Clients(tokio::sync::Mutex<HashMap<String, Arc<Dvcqg>>>);

async fn read<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    app.db.read(f).await
}

async fn write<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    app.db.write(f).await
}

/// The office's connection, made anew when its settings changed.
fn client_for(cache: &mut HashMap<String, Arc<Dvcqg>>, office: &str, settings: Settings) -> Arc<Dvcqg> {
    match cache.get(office) {
        Some(c) if *c.settings() == settings => c.clone(),
        _ => {
            let c = Arc::new(Dvcqg::new(settings));
            cache.insert(office.to_string(), c.clone());
            c
        }
    }
}
