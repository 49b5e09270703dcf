//! The device's side of trust with central, kept in `DATA_DIR/tls/`:
//! central's certificate authority (checked against the pin in the
//! enrollment token), the device's own key (made here, never sent) and
//! the certificate central issued for it. Files are the owner's only.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use motcua_api::model::DeviceCertificate;
use motcua_central::tls::{DeviceIdentity, PinnedVerifier, TlsError, pin_of, read_private, write_private};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

pub use motcua_core::net::is_loopback_http;

pub const DIR: &str = "tls";
const CA: &str = "ca.pem";
const KEY: &str = "device.key";
const CERT: &str = "device.pem";

/// What a device trusts and is known by.
#[derive(Debug, Clone)]
pub struct Trust {
    dir: PathBuf,
    verifier: Arc<PinnedVerifier>,
    identity: Arc<DeviceIdentity>,
    not_after: Arc<std::sync::RwLock<Option<jiff::Timestamp>>>,
}

impl Trust {
    /// The trust kept in `data_dir`, if the device enrolled over HTTPS.
    pub fn load(data_dir: &Path) -> Result<Option<Self>, TlsError> {
        let dir = data_dir.join(DIR);
        if !dir.join(CA).exists() {
            return Ok(None);
        }
        let ca_pem = read_private(&dir.join(CA))?;
        let key = read_private(&dir.join(KEY))?;
        let cert = read_private(&dir.join(CERT))?;
        let ca = CertificateDer::from_pem_slice(ca_pem.as_bytes()).map_err(|e| TlsError::Certificate {
            what: "central's authority",
            detail: e.to_string(),
        })?;
        Ok(Some(Self {
            verifier: Arc::new(PinnedVerifier::ca(ca)?),
            identity: Arc::new(DeviceIdentity::new(&key, &cert)?),
            not_after: Arc::new(std::sync::RwLock::new(expiry(&cert))),
            dir,
        }))
    }

    /// Keeps what enrollment brought, after checking central's authority
    /// against the `pin` the token carried.
    pub fn save(data_dir: &Path, pin: &str, key_pem: &str, cert: &DeviceCertificate) -> Result<Self, TlsError> {
        let ca = CertificateDer::from_pem_slice(cert.ca.as_bytes()).map_err(|e| TlsError::Certificate {
            what: "central's authority",
            detail: e.to_string(),
        })?;
        let found = pin_of(&ca)?;
        if !found.eq_ignore_ascii_case(pin) {
            return Err(TlsError::PinMismatch {
                expected: pin.to_string(),
                found: format!("sha256:{found}"),
            });
        }
        let dir = data_dir.join(DIR);
        write_private(&dir.join(CA), &cert.ca)?;
        write_private(&dir.join(KEY), key_pem)?;
        write_private(&dir.join(CERT), &cert.certificate)?;
        Self::load(data_dir)?.ok_or_else(|| TlsError::Certificate {
            what: "the device's trust",
            detail: "was not kept".into(),
        })
    }

    /// A renewed certificate for a new key: kept, and used from the next
    /// connection on.
    pub fn renewed(&self, key_pem: &str, cert: &DeviceCertificate) -> Result<(), TlsError> {
        self.identity.replace(key_pem, &cert.certificate)?;
        write_private(&self.dir.join(KEY), key_pem)?;
        write_private(&self.dir.join(CERT), &cert.certificate)?;
        *self.not_after.write().unwrap_or_else(|p| p.into_inner()) = expiry(&cert.certificate);
        Ok(())
    }

    /// When the device's certificate expires.
    pub fn not_after(&self) -> Option<jiff::Timestamp> {
        *self.not_after.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the certificate should be renewed at `now`: a third of its
    /// life or less is left.
    pub fn renewal_due(&self, now: jiff::Timestamp) -> bool {
        let left = jiff::SignedDuration::from_hours(24 * motcua_central::tls::DEVICE_DAYS / 3);
        self.not_after().is_none_or(|end| end.duration_since(now) < left)
    }

    /// The TLS configuration of a connection to central.
    pub fn config(&self) -> rustls::ClientConfig {
        motcua_central::tls::device_config(self.verifier.clone(), self.identity.clone())
    }
}

fn expiry(cert_pem: &str) -> Option<jiff::Timestamp> {
    let der = CertificateDer::from_pem_slice(cert_pem.as_bytes()).ok()?;
    motcua_central::tls::not_after(&der).ok()
}
