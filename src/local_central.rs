//! The machine's own central, for a machine that runs the whole office
//! (no central configured): kiosk, counter and board on one data directory
//! share one central, run by whichever of them holds the lock file.
//!
//! The process that takes `central/central.lock` serves central on the port
//! written in `central/central.port` (the same port every time, so the other
//! roles keep their address); when it stops, its lock is released by the
//! kernel and the next role that finds central silent takes it over. Start-up
//! owns this, not the sync link: a link only asks it to take over.

use std::fs::{File, OpenOptions, TryLockError};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why the machine's central cannot be served or found.
#[derive(Debug, thiserror::Error)]
pub enum LocalCentralError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("no central port in {}", path.display())]
    NoPort { path: PathBuf },
    /// The server did not start.
    #[error(transparent)]
    Start(#[from] motcua_central::CentralError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LocalCentralError + '_ {
    move |source| LocalCentralError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Held by the process that serves the machine's central.
pub const LOCK_FILE: &str = "central.lock";
/// Where the machine's central listens.
pub const PORT_FILE: &str = "central.port";

/// The machine's central: served here, or by another process of the machine.
pub struct LocalCentral {
    dir: PathBuf,
    hosted: Mutex<Option<Hosted>>,
}

/// Central served by this process. The server stops before the lock is let
/// go (fields drop in order), so no two processes ever serve one database.
struct Hosted {
    running: motcua_central::Running,
    _lock: File,
}

impl std::fmt::Debug for LocalCentral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalCentral")
            .field("dir", &self.dir)
            .field("hosting", &self.hosting())
            .finish()
    }
}

impl LocalCentral {
    /// Serves central from `dir` unless another process of the machine
    /// does already.
    pub fn open(dir: &Path) -> Result<Self, LocalCentralError> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let local = Self {
            dir: dir.to_path_buf(),
            hosted: Mutex::new(None),
        };
        local.take_over()?;
        Ok(local)
    }

    /// Whether this process serves the machine's central.
    pub fn hosting(&self) -> bool {
        self.hosted.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }

    /// The central's address: this process's, else the one the serving
    /// process wrote.
    pub fn url(&self) -> Result<String, LocalCentralError> {
        if let Some(h) = self.hosted.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            return Ok(h.running.url());
        }
        let port = self.recorded_port().ok_or_else(|| LocalCentralError::NoPort {
            path: self.dir.join(PORT_FILE),
        })?;
        Ok(format!("http://127.0.0.1:{port}"))
    }

    fn recorded_port(&self) -> Option<u16> {
        std::fs::read_to_string(self.dir.join(PORT_FILE))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// Serves central here if no other process of the machine does (its
    /// lock is free). Returns whether this process serves it now.
    pub fn take_over(&self) -> Result<bool, LocalCentralError> {
        let mut hosted = self.hosted.lock().unwrap_or_else(|p| p.into_inner());
        if hosted.is_some() {
            return Ok(true);
        }
        let lock_path = self.dir.join(LOCK_FILE);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(false),
            Err(TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
        }
        let options = motcua_central::Options::default();
        // On the process's one runtime (see `crate::runtime`).
        let runtime = crate::runtime::handle();
        let at = |port: u16| SocketAddr::from(([127, 0, 0, 1], port));
        // The port the other roles know, if it can be had again.
        let running = match self.recorded_port() {
            Some(port) => match motcua_central::Running::start_on(&runtime, at(port), &self.dir, &options) {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(port, error = %e, "the machine's central port is taken; another port is used");
                    motcua_central::Running::start_on(&runtime, at(0), &self.dir, &options)
                        .map_err(LocalCentralError::Start)?
                }
            },
            None => motcua_central::Running::start_on(&runtime, at(0), &self.dir, &options)
                .map_err(LocalCentralError::Start)?,
        };
        let port = running.addr.port().to_string();
        crate::atomic_file::write(&self.dir.join(PORT_FILE), port.as_bytes(), crate::atomic_file::SHARED)
            .map_err(io(&self.dir.join(PORT_FILE)))?;
        tracing::info!(central = %running.url(), "this process serves the machine's central");
        *hosted = Some(Hosted { running, _lock: lock });
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_process_serves_and_another_takes_over_on_the_same_port() {
        let dir = tempfile::tempdir().unwrap();
        let first = LocalCentral::open(dir.path()).unwrap();
        assert!(first.hosting());
        let url = first.url().unwrap();
        // A second role of the machine finds it served (the lock is per
        // open file, so this holds within one process as across two).
        let second = LocalCentral::open(dir.path()).unwrap();
        assert!(!second.hosting());
        assert_eq!(second.url().unwrap(), url);
        assert!(!second.take_over().unwrap());
        drop(first);
        assert!(second.take_over().unwrap(), "the lock was let go with the first");
        assert_eq!(second.url().unwrap(), url, "same port: the others keep their address");
    }
}
