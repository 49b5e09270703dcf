//! Every SQL statement of central, by concern: the handlers and services
//! call these functions with a connection the database layer
//! ([`crate::db`]) hands them, inside its transactions. Nothing outside
//! this module (and the schema's migrations) speaks SQL.

pub mod devices;
pub mod documents;
pub mod dossiers;
pub mod due;
pub mod evaluations;
pub mod idempotency;
pub mod keys;
pub mod offices;
pub mod portal;
pub mod ratings;
pub mod retention;
pub mod tickets;

use crate::sql::Conn;

use crate::error::ApiError;

/// A read that touches the database: it answers, or says why not.
pub fn ping(conn: &Conn) -> Result<(), ApiError> {
    Ok(conn.query_row("SELECT 1", (), |_| Ok(()))?)
}
