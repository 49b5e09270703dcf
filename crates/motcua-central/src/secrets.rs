//! Secrets at rest: central's files readable by its own user only, secret
//! values that never print, and systemd credentials.
//!
//! - [`Secret`] holds a password or a key: its `Debug` and `Display` print
//!   `***`, so a secret that reaches a log line or an error says nothing.
//! - [`check_private`] refuses a secret file that others may read (as ssh
//!   does with a private key); [`write_private`] writes one as 0600;
//!   [`tighten`] takes group and other access away from a file central
//!   owns (its database) and says so loudly.
//! - [`credential`] reads `$CREDENTIALS_DIRECTORY/<name>`, where systemd
//!   puts what `LoadCredential=` or `LoadCredentialEncrypted=` gives the
//!   service (decrypted, readable by the service only).

use std::path::{Path, PathBuf};

/// A secret value: shown as `***` whatever prints it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Why a secret file is not used.
#[derive(Debug, thiserror::Error)]
pub enum SecretFileError {
    #[error(
        "{path} may be read by other users (mode {mode:04o}): a secret must be readable by its owner only; run `chmod 600 {path}`"
    )]
    Exposed { path: PathBuf, mode: u32 },
    #[error("{path}: {reason}")]
    Io { path: PathBuf, reason: String },
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> SecretFileError + '_ {
    move |e| SecretFileError::Io {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// The permission bits of `path` that let others than its owner in.
#[cfg(unix)]
fn open_to_others(path: &Path) -> Result<u32, SecretFileError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).map_err(io_error(path))?.permissions().mode();
    Ok(mode & 0o7777)
}

#[cfg(not(unix))]
fn open_to_others(path: &Path) -> Result<u32, SecretFileError> {
    std::fs::metadata(path).map_err(io_error(path))?;
    Ok(0o600)
}

/// Refuses a secret file (a key, a password) that group or others may
/// read or write.
pub fn check_private(path: &Path) -> Result<(), SecretFileError> {
    let mode = open_to_others(path)?;
    if mode & 0o077 != 0 {
        return Err(SecretFileError::Exposed {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

/// Reads a secret file, refusing it if others may read it.
pub fn read_private(path: &Path) -> Result<Secret, SecretFileError> {
    check_private(path)?;
    let text = std::fs::read_to_string(path).map_err(io_error(path))?;
    Ok(Secret(text.trim_end_matches(['\r', '\n']).to_string()))
}

/// Writes a secret file readable and writable by its owner only (0600),
/// whole or not at all: a fresh file beside it, synced, then renamed.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SecretFileError> {
    use std::io::Write;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.new"));
    let _ = std::fs::remove_file(&temp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temp).map_err(io_error(&temp))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io_error(&temp))?;
    std::fs::rename(&temp, path).map_err(io_error(path))?;
    Ok(())
}

/// Takes group and other access away from a file central owns and holds
/// secrets in (its database), warning loudly when it had to. Answers
/// whether it changed anything; a missing file is left alone.
pub fn tighten(path: &Path) -> Result<bool, SecretFileError> {
    // A file gone between a look and the next (SQLite removes its -shm
    // when another process's last connection closes) has nothing to hide.
    let mode = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        _ => match open_to_others(path) {
            // Gone between the two looks (SQLite's -wal, when another
            // process's last connection checkpoints and closes).
            Err(_) if !path.exists() => return Ok(false),
            other => other?,
        },
    };
    if mode & 0o077 == 0 {
        return Ok(false);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let private = std::fs::Permissions::from_mode(mode & 0o700);
        match std::fs::set_permissions(path, private) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            other => other.map_err(io_error(path))?,
        }
    }
    tracing::warn!(
        path = %path.display(),
        mode = format!("{mode:04o}"),
        "other users could read this file, which holds secrets and personal data: it is now readable by central's user only"
    );
    Ok(true)
}

/// The systemd credential `name` of this service, if it was given one.
pub fn credential(name: &str) -> Result<Option<Secret>, SecretFileError> {
    match std::env::var_os("CREDENTIALS_DIRECTORY") {
        Some(dir) => credential_in(Path::new(&dir), name),
        None => Ok(None),
    }
}

/// The credential `name` in the credentials directory `dir`, if there is
/// one (a name that is not a plain file name is never looked up).
pub fn credential_in(dir: &Path, name: &str) -> Result<Option<Secret>, SecretFileError> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Ok(None);
    }
    let path = dir.join(name);
    if !path.is_file() {
        return Ok(None);
    }
    read_private(&path).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints() {
        let s = Secret::new("bí-mật-123");
        assert_eq!(format!("{s:?} {s} {:?}", Some(&s)), "*** *** Some(***)");
        assert_eq!(s.expose(), "bí-mật-123");
    }

    #[cfg(unix)]
    #[test]
    fn a_secret_file_others_may_read_is_refused_and_one_written_here_is_not() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("ca.key");
        write_private(&key, b"the key\n").unwrap();
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(read_private(&key).unwrap().expose(), "the key");
        for mode in [0o644, 0o640, 0o604, 0o620] {
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(mode)).unwrap();
            let refused = read_private(&key).unwrap_err();
            assert!(matches!(refused, SecretFileError::Exposed { .. }), "{mode:o}");
            assert!(refused.to_string().contains("chmod 600"), "{refused}");
        }
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert!(read_private(&key).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_database_others_may_read_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("central.db");
        std::fs::write(&db, b"").unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(tighten(&db).unwrap());
        assert_eq!(std::fs::metadata(&db).unwrap().permissions().mode() & 0o777, 0o600);
        assert!(!tighten(&db).unwrap(), "already private");
        assert!(
            !tighten(&dir.path().join("central.db-wal")).unwrap(),
            "missing: left alone"
        );
    }

    #[cfg(unix)]
    #[test]
    fn central_makes_its_database_private_when_it_opens_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        drop(crate::db::Db::open(dir.path(), 1024).unwrap());
        let db = dir.path().join(crate::db::DB_FILE);
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        drop(crate::db::Db::open(dir.path(), 1024).unwrap());
        assert_eq!(std::fs::metadata(&db).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(
            std::fs::metadata(dir.path()).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }

    #[cfg(unix)]
    #[test]
    fn credentials_are_read_from_the_directory_systemd_gives() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(credential_in(dir.path(), "portal-password").unwrap(), None);
        let file = dir.path().join("portal-password");
        std::fs::write(&file, "bí-mật-123\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert_eq!(
            credential_in(dir.path(), "portal-password").unwrap(),
            Some(Secret::new("bí-mật-123"))
        );
        assert_eq!(credential_in(dir.path(), "../portal-password").unwrap(), None);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(credential_in(dir.path(), "portal-password").is_err());
    }
}
