//! The wire contract between devices and central: the JSON bodies of the
//! `/v1` API and its errors, with their OpenAPI schemas. Serde and utoipa
//! only: no I/O, no server, no GUI. The device side and `motcua-central`
//! both depend on it, and on nothing of each other.

pub mod error;
pub mod model;
