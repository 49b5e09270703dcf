//! The national-portal (DVCQG) emulator lives in central's library
//! (`motcua dev simulate` runs it too); the tests and benches reach it
//! here, with the adapter settings that point central at it.

use std::time::Duration;

pub use motcua_central::portal::emulator::*;
use motcua_central::portal::{self, Settings};

/// Central's portal settings for an emulator at `url` with its default
/// account; `tendonvi` is the office's name as the portal shows it.
pub fn settings(url: String, tendonvi: &str, timeout: Duration) -> Settings {
    let c = PortalConfig::default();
    Settings {
        url,
        auth_path: portal::AUTH_PATH.into(),
        integration_path: portal::INTEGRATION_PATH.into(),
        share_path: portal::SHARE_PATH.into(),
        username: c.username,
        password: c.password.into(),
        dstcode: c.dstcode,
        madonvi: c.madonvi,
        tendonvi: tendonvi.into(),
        timeout,
    }
}
