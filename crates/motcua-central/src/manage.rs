//! Administration on central's database from the command line, with the
//! server running or not (SQLite serialises the writers): each change in
//! one transaction, through the same repository functions the server uses.

use std::path::Path;

use motcua_api::model::{Enrolled, Role};

use crate::db::Db;
use crate::error::{ApiError, CentralError};
use crate::repo;

/// Runs an administrative change on central's database directly.
pub fn admin<T: Send>(
    dir: &Path,
    f: impl FnOnce(&crate::sql::Conn) -> Result<T, ApiError> + Send,
) -> Result<T, CentralError> {
    let location = crate::db::Location::for_dir(dir, None)?;
    let db = Db::open_at(&location, 1024, 2)?;
    if let Some(pg) = db.postgres() {
        return Ok(pg.transaction_blocking(f)?);
    }
    let path = db.path().to_path_buf();
    let fail = |source| CentralError::Database {
        path: path.clone(),
        source,
    };
    let conn = rusqlite::Connection::open(&path).map_err(fail)?;
    conn.execute_batch("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;")
        .map_err(fail)?;
    let tx = conn.unchecked_transaction().map_err(fail)?;
    let value = f(&crate::sql::Conn::lite(&tx))?;
    tx.commit().map_err(fail)?;
    Ok(value)
}

/// Sets the notice the office's hall boards show (the office is created
/// if new).
pub fn set_notice(dir: &Path, office: &str, text: &str) -> Result<(), CentralError> {
    admin(dir, |c| repo::offices::set_notice(c, office, text))
}

/// The office's portal outbox: records per state, and those failed or
/// waiting on an error.
pub fn portal_status(dir: &Path, office: &str) -> Result<repo::portal::OutboxStatus, CentralError> {
    admin(dir, |c| repo::portal::status(c, office))
}

/// Enrolls a device of this machine in `role` on the machine's own
/// central (in `dir`): the device and its credential, at once.
pub fn enroll_local(dir: &Path, office: &str, role: Role) -> Result<Enrolled, CentralError> {
    let (device, credential) = admin(dir, |c| repo::devices::enroll_local(c, office, role))?;
    Ok(Enrolled {
        device,
        credential,
        tls: None,
    })
}
