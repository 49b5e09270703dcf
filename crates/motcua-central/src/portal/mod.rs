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
pub mod evaluations;
pub mod mapping;
pub mod outbox;
pub mod ratings;

use std::collections::HashMap;
use std::sync::Arc;

use crate::sql::Conn;

use super::App;
use super::error::ApiError;
pub use crate::repo::portal::{configure, enqueue};
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

/// An office's portal and mapping (`None` when it sends nothing on), with
/// the password of the service's systemd credential when it was given one
/// (see [`with_credential`]).
pub fn settings(conn: &Conn, office: &str) -> Result<Option<(Settings, Mapping)>, ApiError> {
    let dir = std::env::var_os("CREDENTIALS_DIRECTORY").map(std::path::PathBuf::from);
    crate::repo::portal::settings(conn, office)?
        .map(|(s, m)| Ok((with_credential(s, office, dir.as_deref())?, m)))
        .transpose()
}

/// `settings` with the password of the credential `portal-password-<office>`,
/// or else `portal-password`, in the credentials directory `dir` (where
/// systemd puts what `LoadCredentialEncrypted=` decrypts), in place of the
/// one in the database. A credential others may read is refused.
pub fn with_credential(
    mut settings: Settings,
    office: &str,
    dir: Option<&std::path::Path>,
) -> Result<Settings, ApiError> {
    let Some(dir) = dir else {
        return Ok(settings);
    };
    for name in [format!("portal-password-{office}"), "portal-password".to_string()] {
        match crate::secrets::credential_in(dir, &name) {
            Ok(Some(password)) => {
                settings.password = password;
                break;
            }
            Ok(None) => {}
            Err(e) => return Err(ApiError::internal(format!("the portal password credential: {e}"))),
        }
    }
    Ok(settings)
}

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
pub struct Clients(
    tokio::sync::Mutex<HashMap<String, Arc<Dvcqg>>>,
    Vec<reqwest::Certificate>,
);

impl Clients {
    /// Connections that trust the system's roots plus `city` (the city's
    /// own authority, when its gateway's certificate is issued by one).
    pub fn new(city: Vec<reqwest::Certificate>) -> Self {
        Self(tokio::sync::Mutex::default(), city)
    }
}

async fn read<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(&Conn) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    app.db.read(f).await
}

async fn write<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(&Conn) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    app.db.write(f).await
}

/// The office's connection, made anew when its settings changed.
fn client_for(
    cache: &mut HashMap<String, Arc<Dvcqg>>,
    city: &[reqwest::Certificate],
    office: &str,
    settings: Settings,
) -> Arc<Dvcqg> {
    match cache.get(office) {
        Some(c) if *c.settings() == settings => c.clone(),
        _ => {
            let c = Arc::new(Dvcqg::with_roots(settings, city.to_vec()));
            cache.insert(office.to_string(), c.clone());
            c
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_systemd_credential_replaces_the_stored_password() {
        use std::os::unix::fs::PermissionsExt;
        let stored = Settings {
            url: "http://portal".into(),
            auth_path: AUTH_PATH.into(),
            integration_path: INTEGRATION_PATH.into(),
            share_path: SHARE_PATH.into(),
            username: "motcua".into(),
            password: "in-the-database".into(),
            dstcode: "G22".into(),
            madonvi: "000.00.01.H26".into(),
            tendonvi: "UBND phường".into(),
            timeout: std::time::Duration::from_secs(6),
        };
        let office = "000.00.01.H26";
        let dir = tempfile::tempdir().unwrap();
        let put = |name: &str, value: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, value).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        };
        let password = |dir| with_credential(stored.clone(), office, dir).map(|s| s.password.expose().to_string());
        assert_eq!(password(None).unwrap(), "in-the-database");
        assert_eq!(password(Some(dir.path())).unwrap(), "in-the-database");
        put("portal-password", "every-office\n");
        assert_eq!(password(Some(dir.path())).unwrap(), "every-office");
        put(&format!("portal-password-{office}"), "this-office");
        assert_eq!(password(Some(dir.path())).unwrap(), "this-office");
        let path = dir.path().join(format!("portal-password-{office}"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = password(Some(dir.path())).unwrap_err();
        assert!(refused.message.contains("chmod 600"), "{refused}");
        assert!(!refused.message.contains("this-office"), "{refused}");
    }
}
