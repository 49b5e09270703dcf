//! Small JSON files that hold secrets (a device's credential, a counter's
//! signing key): written readable by their owner only (0600), through a
//! temporary file and a rename, and synced, so a crash leaves the old file
//! or the new one, never half of one.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a secret file could not be read or written; each names its file.
#[derive(Debug, thiserror::Error)]
pub enum SecretFileError {
    #[error("{}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Damaged { path: PathBuf, source: serde_json::Error },
    #[error("{}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
}

/// For callers that still report errors as text.
impl From<SecretFileError> for String {
    fn from(e: SecretFileError) -> Self {
        e.to_string()
    }
}

/// Reads `path`; a missing file is `None`, a damaged one an error naming it.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, SecretFileError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|source| SecretFileError::Damaged {
                path: path.to_path_buf(),
                source,
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SecretFileError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Writes `value` to `path`, readable by its owner only.
pub fn save<T: Serialize>(path: &Path, value: &T) -> Result<(), SecretFileError> {
    let text = serde_json::to_string_pretty(value).expect("serializes");
    crate::atomic_file::write(path, text.as_bytes(), crate::atomic_file::OWNER_ONLY).map_err(|source| {
        SecretFileError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}
