//! The wire contract between devices and central: the JSON bodies of the
//! `/v1` API, its errors and its event stream's blocks, with their OpenAPI
//! schemas. Serde and utoipa only: no I/O, no server, no GUI. The device side and `motcua-central`
//! both depend on it, and on nothing of each other.

pub mod documents;
pub mod error;
pub mod evaluation;
pub mod events;
pub mod model;

/// The version of this contract. Central sends it with every answer (the
/// `Motcua-Api-Version` header) and in `/v1/version`. It changes only when
/// an old client could no longer talk to a new central: added fields and
/// added optional inputs keep it.
pub const VERSION: u32 = 1;

/// The answer header that carries [`VERSION`].
pub const VERSION_HEADER: &str = "motcua-api-version";
