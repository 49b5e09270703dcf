//! Central's catalog on the device: the last good copy kept on disk, and
//! the pull that replaces it when central has a newer valid one.

use std::path::Path;
use std::time::Duration;

use super::{Client, SyncError};
use motcua_core::catalog::Catalog;

/// The last good catalog from central, kept on disk.
pub const CATALOG_FILE: &str = "catalog.json";
const CATALOG_ETAG_FILE: &str = "catalog.etag";

/// How often the kiosk asks central for a newer catalog.
pub const CATALOG_EVERY: Duration = Duration::from_secs(300);

/// Loads the last good copy of central's catalog, if there is one.
pub fn cached_catalog(dir: &Path) -> Option<Catalog> {
    let text = std::fs::read_to_string(dir.join(CATALOG_FILE)).ok()?;
    match serde_json::from_str(&text) {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::warn!(file = %dir.join(CATALOG_FILE).display(), error = %e, "cached catalog unreadable; ignored");
            None
        }
    }
}

/// Asks central for its catalog unless the copy in `dir` is current; a
/// valid new one is kept there (the last good copy) and returned.
pub async fn pull_catalog(client: &Client, dir: &Path) -> Result<Option<Catalog>, SyncError> {
    let etag = std::fs::read_to_string(dir.join(CATALOG_ETAG_FILE)).ok();
    let Some((body, etag)) = client.catalog(etag.as_deref()).await? else {
        return Ok(None);
    };
    let catalog: Catalog = serde_json::from_str(&body).map_err(|e| SyncError::Rejected {
        status: 0,
        message: format!("central's catalog does not parse: {e}"),
    })?;
    if catalog.procedures.is_empty() {
        return Err(SyncError::Rejected {
            status: 0,
            message: "central's catalog has no procedures".into(),
        });
    }
    // The same rules as a catalog file: a catalog that would not load from
    // disk is not shown to citizens either; the last good copy stays.
    if let Err(problems) = catalog.validate() {
        for p in &problems.0 {
            tracing::warn!(problem = %p, "central's catalog is invalid");
        }
        return Err(SyncError::Rejected {
            status: 0,
            message: format!("central's catalog is invalid: {problems}"),
        });
    }
    use crate::atomic_file::{SHARED, write};
    let saved = write(&dir.join(CATALOG_FILE), body.as_bytes(), SHARED)
        .and_then(|_| write(&dir.join(CATALOG_ETAG_FILE), etag.as_bytes(), SHARED));
    if let Err(e) = saved {
        tracing::warn!(error = %e, "the new catalog could not be kept on disk");
    }
    tracing::info!(procedures = catalog.procedures.len(), "new catalog from central");
    Ok(Some(catalog))
}
