//! The portal emulator now lives in the library (`motcua dev simulate`
//! runs it too); the tests reach it by its old path.

#[allow(unused_imports)]
pub use motcua_central::portal::emulator::*;
