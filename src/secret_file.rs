//! Small JSON files that hold secrets (a device's credential, a counter's
//! signing key): written readable by their owner only (0600), through a
//! temporary file and a rename, and synced, so a crash leaves the old file
//! or the new one, never half of one.

use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Reads `path`; a missing file is `None`, a damaged one an error naming it.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Writes `value` to `path`, readable by its owner only.
pub fn save<T: Serialize>(path: &Path, value: &T) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).expect("serializes");
    crate::atomic_file::write(path, text.as_bytes(), crate::atomic_file::OWNER_ONLY)
        .map_err(|e| format!("{}: {e}", path.display()))
}
