//! The device's enrollment with central, kept in `DATA_DIR/device.json`
//! with permissions 0600: the credential is a secret.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::central::model::{Enrolled, Role};

pub const FILE: &str = "device.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceFile {
    /// Central's base URL; none for the in-process central.
    pub central_url: Option<String>,
    pub device_id: i64,
    pub office: String,
    pub role: Role,
    pub slot: u32,
    pub credential: String,
}

impl DeviceFile {
    pub fn from_enrolled(central_url: Option<String>, e: Enrolled) -> Self {
        Self {
            central_url,
            device_id: e.device.device_id,
            office: e.device.office,
            role: e.device.role,
            slot: e.device.slot,
            credential: e.credential,
        }
    }

    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE)
    }

    pub fn load(data_dir: &Path) -> Result<Option<Self>, String> {
        let path = Self::path(data_dir);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Writes the file readable by its owner only, replacing it atomically.
    pub fn save(&self, data_dir: &Path) -> Result<(), String> {
        use std::os::unix::fs::OpenOptionsExt;
        let path = Self::path(data_dir);
        let tmp = path.with_extension("json.part");
        let fail = |e: std::io::Error| format!("{}: {e}", path.display());
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(fail)?;
        f.write_all(serde_json::to_string_pretty(self).expect("serializes").as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(fail)?;
        std::fs::rename(&tmp, &path).map_err(fail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn saved_owner_only_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let d = DeviceFile {
            central_url: Some("http://10.0.0.5:8686".into()),
            device_id: 3,
            office: "000.00.01.H26".into(),
            role: Role::Kiosk,
            slot: 2,
            credential: "secret".into(),
        };
        d.save(dir.path()).unwrap();
        let mode = std::fs::metadata(DeviceFile::path(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(DeviceFile::load(dir.path()).unwrap(), Some(d));
        assert_eq!(DeviceFile::load(&dir.path().join("none")).unwrap(), None);
    }
}
