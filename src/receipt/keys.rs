//! Receipt keys: the counter's signing key (a secret, kept 0600 in its
//! data directory) and the keyring of every office's public keys, so any
//! station verifies a receipt offline.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

pub const SIGNING_FILE: &str = "signing-key.json";
pub const KEYRING_FILE: &str = "keyring.json";

/// The key id of sample receipts (`motcua receipt sample`), signed with a
/// throwaway key that lives in memory only. Real keys are numbered from 1
/// (central hands out `max + 1`; a counter standing alone uses 1), so no
/// real receipt carries it, no keyring holds it and no station ever
/// calls a sample genuine.
pub const SAMPLE_KEY_ID: u16 = 0;

/// Why a signing key or the keyring could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the signing key file is damaged")]
    Damaged,
    #[error("a sample's throwaway key is never saved as the signing key")]
    SampleNotSaved,
    #[error(transparent)]
    File(#[from] crate::secret_file::SecretFileError),
    #[error("{}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
}

/// The counter's own key.
#[derive(Clone, Serialize, Deserialize)]
pub struct Signer {
    pub office: String,
    pub key_id: u16,
    /// 32 bytes, hex.
    secret: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("Signer")
            .field("office", &self.office)
            .field("key_id", &self.key_id)
            .finish()
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

impl Signer {
    /// A new random key for `office`.
    pub fn generate(office: &str, key_id: u16) -> Self {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).expect("random bytes");
        Self {
            office: office.to_string(),
            key_id,
            secret: motcua_core::ids::hex(&secret),
        }
    }

    /// A throwaway key for sample receipts: random, under
    /// [`SAMPLE_KEY_ID`], and refused by [`Signer::save`], so a sample can
    /// never become the key a counter signs real receipts with.
    pub fn sample(office: &str) -> Self {
        Self::generate(office, SAMPLE_KEY_ID)
    }

    /// Whether this is a sample's throwaway key.
    pub fn is_sample(&self) -> bool {
        self.key_id == SAMPLE_KEY_ID
    }

    /// The same key under the id central gave it.
    pub fn with_key_id(mut self, key_id: u16) -> Self {
        self.key_id = key_id;
        self
    }

    pub fn key(&self) -> Result<SigningKey, KeyError> {
        let bytes: [u8; 32] = unhex(&self.secret)
            .and_then(|b| b.try_into().ok())
            .ok_or(KeyError::Damaged)?;
        Ok(SigningKey::from_bytes(&bytes))
    }

    pub fn public_hex(&self) -> Result<String, KeyError> {
        Ok(motcua_core::ids::hex(self.key()?.verifying_key().as_bytes()))
    }

    pub fn path(dir: &Path) -> PathBuf {
        dir.join(SIGNING_FILE)
    }

    pub fn load(dir: &Path) -> Result<Option<Self>, KeyError> {
        Ok(crate::secret_file::load(&Self::path(dir))?)
    }

    /// Writes the file readable by its owner only, replacing it atomically.
    /// A key under the sample id is never written: the counter would sign
    /// real receipts with a key no other station knows.
    pub fn save(&self, dir: &Path) -> Result<(), KeyError> {
        if self.is_sample() {
            return Err(KeyError::SampleNotSaved);
        }
        Ok(crate::secret_file::save(&Self::path(dir), self)?)
    }
}

/// Public keys by office and key id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    /// office → key id → public key (hex).
    pub offices: BTreeMap<String, BTreeMap<u16, String>>,
}

impl Keyring {
    /// Adds a public key; the sample key id is never kept.
    pub fn add(&mut self, office: &str, key_id: u16, public_hex: &str) {
        if key_id == SAMPLE_KEY_ID {
            return;
        }
        self.offices
            .entry(office.to_string())
            .or_default()
            .insert(key_id, public_hex.to_string());
    }

    /// The public key of `office` under `key_id`; never one for the
    /// sample key id, whatever a keyring file says.
    pub fn find(&self, office: &str, key_id: u16) -> Option<VerifyingKey> {
        if key_id == SAMPLE_KEY_ID {
            return None;
        }
        let hex = self.offices.get(office)?.get(&key_id)?;
        let bytes: [u8; 32] = unhex(hex)?.try_into().ok()?;
        VerifyingKey::from_bytes(&bytes).ok()
    }

    pub fn load(dir: &Path) -> Self {
        std::fs::read_to_string(dir.join(KEYRING_FILE))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, dir: &Path) -> Result<(), KeyError> {
        let path = dir.join(KEYRING_FILE);
        let text = serde_json::to_string_pretty(self).expect("serializes");
        // Public keys only: readable by every role of the machine.
        crate::atomic_file::write(&path, text.as_bytes(), crate::atomic_file::SHARED)
            .map_err(|source| KeyError::Write { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_signing_key_is_kept_owner_only_and_the_keyring_finds_it() {
        let dir = tempfile::tempdir().unwrap();
        let signer = Signer::generate("000.00.01.H26", 2);
        signer.save(dir.path()).unwrap();
        let mode = std::fs::metadata(Signer::path(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let back = Signer::load(dir.path()).unwrap().unwrap();
        assert_eq!(back.key().unwrap().to_bytes(), signer.key().unwrap().to_bytes());
        assert!(!format!("{back:?}").contains(&signer.secret));

        let mut ring = Keyring::default();
        ring.add("000.00.01.H26", 2, &signer.public_hex().unwrap());
        ring.save(dir.path()).unwrap();
        let ring = Keyring::load(dir.path());
        assert_eq!(
            ring.find("000.00.01.H26", 2),
            Some(signer.key().unwrap().verifying_key())
        );
        assert_eq!(ring.find("000.00.01.H26", 3), None);
        assert_eq!(ring.find("000.00.02.H26", 2), None);
    }

    #[test]
    fn a_sample_key_is_never_saved_nor_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let sample = Signer::sample("000.00.01.H26");
        assert!(sample.is_sample());
        assert!(sample.save(dir.path()).is_err());
        assert!(!Signer::path(dir.path()).exists());
        let mut ring = Keyring::default();
        ring.add("000.00.01.H26", SAMPLE_KEY_ID, &sample.public_hex().unwrap());
        assert_eq!(ring, Keyring::default());
        // Even a keyring file edited by hand does not make a sample genuine.
        ring.offices
            .entry("000.00.01.H26".into())
            .or_default()
            .insert(SAMPLE_KEY_ID, sample.public_hex().unwrap());
        assert_eq!(ring.find("000.00.01.H26", SAMPLE_KEY_ID), None);
    }
}
