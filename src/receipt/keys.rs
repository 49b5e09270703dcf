//! Receipt keys: the counter's signing key (a secret, kept 0600 in its
//! data directory) and the keyring of every office's public keys, so any
//! station verifies a receipt offline.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use jiff::Timestamp;
use motcua_api::model::PublicKey;
use serde::{Deserialize, Serialize};

use super::{KnownKey, ReceiptError, Verified};

pub const SIGNING_FILE: &str = "signing-key.json";
pub const KEYRING_FILE: &str = "keyring.json";

pub use motcua_core::receipt::SAMPLE_KEY_ID;

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

/// Public keys by office and key id, with when central retired them.
///
/// The first key a station learns under an (office, key id) stays: a later
/// download that names another key under that id is refused (counted in
/// `refused`, shown by `motcua doctor`), so a key planted on the way cannot
/// replace a real one. A retirement time may be added to a known key, never
/// moved later nor taken away.
///
/// The file stays readable by older versions: `retired` and `refused` are
/// fields they ignore, and a file without them reads as nothing retired.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    /// office → key id → public key (hex).
    pub offices: BTreeMap<String, BTreeMap<u16, String>>,
    /// office → key id → when the key was retired (RFC 3339).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub retired: BTreeMap<String, BTreeMap<u16, String>>,
    /// Downloaded keys refused because they named a known key id with
    /// another key.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refused: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// What [`Keyring::add`] did with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    New,
    /// The same key was already known under that id.
    Known,
    /// Another key is known under that id: the known one stays.
    Refused,
    /// The sample key id, never kept.
    Ignored,
}

/// What [`Keyring::merge`] did with a downloaded key list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    pub added: usize,
    pub refused: usize,
    /// Keys whose retirement this station learnt.
    pub retired: usize,
}

impl Keyring {
    /// Adds a public key, unless another is known under that id (then the
    /// known key stays, and the refusal is counted and logged); the sample
    /// key id is never kept.
    pub fn add(&mut self, office: &str, key_id: u16, public_hex: &str) -> Added {
        if key_id == SAMPLE_KEY_ID {
            return Added::Ignored;
        }
        let public = public_hex.to_ascii_lowercase();
        let keys = self.offices.entry(office.to_string()).or_default();
        match keys.get(&key_id) {
            None => {
                keys.insert(key_id, public);
                Added::New
            }
            Some(known) if known.eq_ignore_ascii_case(&public) => Added::Known,
            Some(_) => {
                self.refused += 1;
                // Office codes and key ids only: no personal data.
                tracing::warn!(
                    office,
                    key_id,
                    "a downloaded receipt key names a known key id with another key; the known key is kept"
                );
                Added::Refused
            }
        }
    }

    /// Records that `office`'s key `key_id` was retired at `at`: a known
    /// key only, and never later than a retirement already known. Answers
    /// whether anything changed.
    pub fn retire(&mut self, office: &str, key_id: u16, at: Timestamp) -> bool {
        if self.offices.get(office).and_then(|k| k.get(&key_id)).is_none() {
            return false;
        }
        let retired = self.retired.entry(office.to_string()).or_default();
        let known = retired.get(&key_id).and_then(|t| t.parse::<Timestamp>().ok());
        if known.is_some_and(|k| k <= at) {
            return false;
        }
        retired.insert(key_id, at.to_string());
        true
    }

    /// Takes in a key list from central: new keys are added, known ones
    /// keep their key, and retirement times are recorded for the keys this
    /// station keeps.
    pub fn merge(&mut self, keys: &[PublicKey]) -> Merged {
        let mut merged = Merged::default();
        for k in keys {
            match self.add(&k.office, k.key_id, &k.public_key) {
                Added::New => merged.added += 1,
                Added::Refused => {
                    merged.refused += 1;
                    continue;
                }
                Added::Known | Added::Ignored => {}
            }
            let Some(at) = &k.retired_at else { continue };
            match at.parse::<Timestamp>() {
                Ok(at) => {
                    if self.retire(&k.office, k.key_id, at) {
                        merged.retired += 1;
                    }
                }
                Err(_) => {
                    tracing::warn!(office = %k.office, key_id = k.key_id, "a receipt key's retirement time is not a time; ignored")
                }
            }
        }
        merged
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

    /// [`Keyring::find`] with when the key was retired. A retirement time
    /// the file holds but that does not read as a time counts as retired
    /// at the start of time: every receipt of that key is refused rather
    /// than one trusted that should not be.
    pub fn lookup(&self, office: &str, key_id: u16) -> Option<KnownKey> {
        let key = self.find(office, key_id)?;
        let retired = self
            .retired
            .get(office)
            .and_then(|r| r.get(&key_id))
            .map(|t| t.parse::<Timestamp>().unwrap_or(Timestamp::UNIX_EPOCH));
        Some(KnownKey { key, retired })
    }

    /// Checks a receipt text against this keyring, retirements included.
    pub fn verify(&self, text: &str) -> Result<Verified, ReceiptError> {
        super::verify_known(text, |office, key_id| self.lookup(office, key_id))
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

    fn listed(office: &str, key_id: u16, public: &str, retired_at: Option<&str>) -> PublicKey {
        PublicKey {
            office: office.into(),
            key_id,
            public_key: public.into(),
            retired_at: retired_at.map(Into::into),
            device_id: Some(1),
        }
    }

    #[test]
    fn a_download_never_replaces_a_known_key_but_may_retire_it() {
        let office = "000.00.01.H26";
        let real = Signer::generate(office, 4).public_hex().unwrap();
        let planted = Signer::generate(office, 4).public_hex().unwrap();
        let mut ring = Keyring::default();
        assert_eq!(ring.add(office, 4, &real), Added::New);
        // Another key under the known id, in any case of hex: refused, counted.
        let m = ring.merge(&[
            listed(office, 4, &planted, None),
            listed(office, 4, &planted.to_uppercase(), Some("2026-11-28T00:00:00Z")),
        ]);
        assert_eq!(
            m,
            Merged {
                added: 0,
                refused: 2,
                retired: 0
            }
        );
        assert_eq!(ring.refused, 2);
        assert_eq!(ring.offices[office][&4], real);
        assert_eq!(
            ring.lookup(office, 4).unwrap().retired,
            None,
            "a refused entry retires nothing"
        );
        // The same key again, now with a retirement time: kept, retired.
        let m = ring.merge(&[listed(office, 4, &real.to_uppercase(), Some("2026-11-29T08:00:00Z"))]);
        assert_eq!(
            m,
            Merged {
                added: 0,
                refused: 0,
                retired: 1
            }
        );
        let at: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
        assert_eq!(ring.lookup(office, 4).unwrap().retired, Some(at));
        // A later download cannot move the retirement later nor take it away.
        ring.merge(&[listed(office, 4, &real, Some("2027-01-01T00:00:00Z"))]);
        ring.merge(&[listed(office, 4, &real, None)]);
        assert_eq!(ring.lookup(office, 4).unwrap().retired, Some(at));
        // An earlier one stands.
        ring.merge(&[listed(office, 4, &real, Some("2026-11-29T07:00:00Z"))]);
        assert_eq!(
            ring.lookup(office, 4).unwrap().retired,
            Some("2026-11-29T07:00:00Z".parse().unwrap())
        );
        // New keys come in with their retirement; unknown ids are not retired.
        let m = ring.merge(&[listed(office, 5, &planted, Some("2026-11-30T00:00:00Z"))]);
        assert_eq!(
            m,
            Merged {
                added: 1,
                refused: 0,
                retired: 1
            }
        );
        assert!(!ring.retire(office, 9, at));
        // All of it survives the file.
        let dir = tempfile::tempdir().unwrap();
        ring.save(dir.path()).unwrap();
        assert_eq!(Keyring::load(dir.path()), ring);
    }

    #[test]
    fn a_keyring_file_from_before_retirement_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let office = "000.00.01.H26";
        let signer = Signer::generate(office, 2);
        let old = format!(
            r#"{{"offices": {{"{office}": {{"2": "{}"}}}}}}"#,
            signer.public_hex().unwrap()
        );
        std::fs::write(dir.path().join(KEYRING_FILE), old).unwrap();
        let ring = Keyring::load(dir.path());
        let known = ring.lookup(office, 2).unwrap();
        assert_eq!(known.key, signer.key().unwrap().verifying_key());
        assert_eq!((known.retired, ring.refused), (None, 0));
        // And what this version writes, an older one reads: the old fields are there.
        let text = serde_json::to_string(&ring).unwrap();
        assert!(!text.contains("retired") && !text.contains("refused"), "{text}");
    }

    #[test]
    fn the_keyring_refuses_what_a_retired_key_signed_after_its_retirement() {
        let office = "000.00.01.H26";
        let signer = Signer::generate(office, 2);
        let mut ring = Keyring::default();
        ring.add(office, 2, &signer.public_hex().unwrap());
        let sign = |at: &str| {
            crate::receipt::Payload {
                key_id: 2,
                office: office.into(),
                dossier_code: format!("{office}-261128-0001"),
                procedure: "1.001193".into(),
                received: at.parse().unwrap(),
                appointment: jiff::civil::date(2026, 12, 4),
                secret: [7; 8],
            }
            .sign(&signer.key().unwrap())
            .unwrap()
        };
        let before = sign("2026-11-29T07:59:59Z");
        let after = sign("2026-11-29T08:00:01Z");
        assert_eq!(ring.verify(&after).unwrap().retired, None, "in use: valid");
        ring.retire(office, 2, "2026-11-29T08:00:00Z".parse().unwrap());
        let v = ring.verify(&before).unwrap();
        assert_eq!(v.retired, Some("2026-11-29T08:00:00Z".parse().unwrap()));
        assert!(matches!(
            ring.verify(&after),
            Err(ReceiptError::SignedAfterRetirement { key_id: 2, .. })
        ));
        // A retirement time damaged in the file refuses rather than trusts.
        ring.retired.get_mut(office).unwrap().insert(2, "soon".into());
        assert!(ring.verify(&before).is_err());
    }
}
