//! The device's enrollment with central, kept in `DATA_DIR/device.json`
//! with permissions 0600: the credential is a secret.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::secret_file::SecretFileError;
use motcua_api::model::{Enrolled, Role};

pub const FILE: &str = "device.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceFile {
    /// Central's base URL; none for the in-process central.
    pub central_url: Option<String>,
    /// Every address of central when it was enrolled with several
    /// (`central_url` is the one that answered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub central_urls: Vec<String>,
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
            central_urls: Vec::new(),
            device_id: e.device.device_id,
            office: e.device.office,
            role: e.device.role,
            slot: e.device.slot,
            credential: e.credential,
        }
    }

    /// Every address of central it was enrolled with.
    pub fn addresses(&self) -> Vec<String> {
        if self.central_urls.is_empty() {
            self.central_url.iter().cloned().collect()
        } else {
            self.central_urls.clone()
        }
    }

    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE)
    }

    pub fn load(data_dir: &Path) -> Result<Option<Self>, SecretFileError> {
        crate::secret_file::load(&Self::path(data_dir))
    }

    /// Writes the file readable by its owner only, replacing it atomically.
    pub fn save(&self, data_dir: &Path) -> Result<(), SecretFileError> {
        crate::secret_file::save(&Self::path(data_dir), self)
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
            central_url: Some("https://10.0.0.5:8686".into()),
            central_urls: vec!["https://10.0.0.4:8686".into(), "https://10.0.0.5:8686".into()],
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
