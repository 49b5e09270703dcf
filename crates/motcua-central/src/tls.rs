//! Trust between central and its devices, on the office network.
//!
//! Central keeps a certificate authority of its own (made at first start,
//! or one the city gives it) in `DATA_DIR/tls/`. Its public key's SHA-256,
//! the **pin**, travels in every enrollment token, so a device trusts that
//! central and no other, whatever the network says (the anchor of `kubeadm
//! join`). Central serves HTTPS with a server certificate it issues itself;
//! each device makes a key of its own at enrollment, central certifies the
//! public half (the key never leaves the device), and from then on every
//! connection is mutual TLS. A revoked device's certificate is refused at
//! the handshake.
//!
//! Both ends live here: central's [`Authority`] and server configuration,
//! and what a device needs to trust central ([`PinnedVerifier`],
//! [`device_config`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, PublicKeyData, SanType, SubjectPublicKeyInfo,
};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName as TlsName, RootCertStore, SignatureScheme};
use sha2::{Digest, Sha256};

/// Where central keeps its authority, under its data directory.
pub const DIR: &str = "tls";
const CA_CERT: &str = "ca.pem";
const CA_KEY: &str = "ca.key";
/// The city's authority for its portal gateway, when it has one.
pub const PORTAL_CA: &str = "portal-ca.pem";

/// How long central's own authority lasts.
const CA_DAYS: i64 = 20 * 365;
/// How long a server certificate lasts; central makes a new one at every
/// start and when a third of this is left.
pub const SERVER_DAYS: i64 = 397;
/// How long a device certificate lasts; the device asks for a new one
/// when a third of this is left.
pub const DEVICE_DAYS: i64 = 90;

/// What went wrong with central's certificates or a device's trust.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Secret(#[from] crate::secrets::SecretFileError),
    #[error("{what}: {detail}")]
    Certificate { what: &'static str, detail: String },
    #[error(
        "central's certificate authority does not match the pin in the token (expected sha256:{expected}, central shows {found}); nothing was sent"
    )]
    PinMismatch { expected: String, found: String },
}

impl TlsError {
    fn cert(what: &'static str, detail: impl std::fmt::Display) -> Self {
        TlsError::Certificate {
            what,
            detail: detail.to_string(),
        }
    }
}

/// The crypto every TLS end here uses: rustls on ring.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Makes ring the process's TLS provider, for HTTP clients built without
/// a configuration of their own (the portal's). Call before building one;
/// calling again does nothing.
pub fn init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The pin of a certificate: the SHA-256 of its public key (the DER of its
/// SubjectPublicKeyInfo), as 64 hex digits.
pub fn pin_of(cert: &[u8]) -> Result<String, TlsError> {
    Ok(motcua_core::ids::hex(&Sha256::digest(public_key_of(cert)?)))
}

/// The fingerprint a certificate is known by: the SHA-256 of its DER.
pub fn fingerprint(cert: &[u8]) -> [u8; 32] {
    Sha256::digest(cert).into()
}

/// Hex of a fingerprint, as stored.
pub fn fingerprint_hex(cert: &[u8]) -> String {
    motcua_core::ids::hex(&fingerprint(cert))
}

/// Splits an enrollment token `SECRET:sha256:PIN` into the secret and the
/// pin; a token without a pin (the machine's own central, on loopback)
/// gives none.
pub fn split_token(token: &str) -> Result<(&str, Option<&str>), TlsError> {
    match token.trim().split_once(":sha256:") {
        None => Ok((token.trim(), None)),
        Some((secret, pin)) => {
            if pin.len() == 64 && pin.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok((secret, Some(pin)))
            } else {
                Err(TlsError::cert(
                    "the token's pin",
                    "it must be sha256: and 64 hex digits; copy the whole token from `motcua central enroll`",
                ))
            }
        }
    }
}

/// The token a device is given: the one-time secret and central's pin.
pub fn token_with_pin(secret: &str, pin: &str) -> String {
    format!("{secret}:sha256:{pin}")
}

/// Writes a secret file readable by its owner only, making its directory
/// (owner only) first.
pub fn write_private(path: &Path, text: &str) -> Result<(), TlsError> {
    if let Some(dir) = path.parent() {
        std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700)
            .create(dir)
            .map_err(|source| TlsError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
    }
    Ok(crate::secrets::write_private(path, text.as_bytes())?)
}

/// Reads a secret file, refusing one that others may read (as ssh does).
pub fn read_private(path: &Path) -> Result<String, TlsError> {
    Ok(crate::secrets::read_private(path)?.expose().to_string())
}

fn read_public(path: &Path) -> Result<String, TlsError> {
    std::fs::read_to_string(path).map_err(|source| TlsError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The city's authority for its portal gateway, if central has one:
/// `DATA_DIR/tls/portal-ca.pem` (one or more certificates, PEM). The
/// portal client trusts it besides the system's roots.
pub fn portal_roots(dir: &Path) -> Result<Vec<reqwest::Certificate>, TlsError> {
    let path = dir.join(DIR).join(PORTAL_CA);
    match std::fs::read(&path) {
        Ok(pem) => reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| TlsError::cert("tls/portal-ca.pem", e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(TlsError::Io { path, source }),
    }
}

/// A certificate's validity, in rcgen's terms, from `now` for `days`
/// (starting a day early, for clocks a little behind).
fn validity(params: &mut CertificateParams, now: jiff::Timestamp, days: i64) {
    let ymd = |t: jiff::Timestamp| {
        let d = t.to_zoned(jiff::tz::TimeZone::UTC).date();
        rcgen::date_time_ymd(d.year() as i32, d.month() as u8, d.day() as u8)
    };
    params.not_before = ymd(now - jiff::SignedDuration::from_hours(24));
    params.not_after = ymd(now + jiff::SignedDuration::from_hours(24 * days));
}

/// The expiry `not_after` of a certificate, as a timestamp.
pub fn not_after(cert: &[u8]) -> Result<jiff::Timestamp, TlsError> {
    let (_, parsed) =
        x509_parser::parse_x509_certificate(cert).map_err(|e| TlsError::cert("a certificate does not parse", e))?;
    jiff::Timestamp::from_second(parsed.validity().not_after.timestamp())
        .map_err(|e| TlsError::cert("a certificate's expiry", e))
}

fn random_serial() -> rcgen::SerialNumber {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source");
    // Positive, as X.509 asks.
    bytes[0] &= 0x7f;
    rcgen::SerialNumber::from_slice(&bytes)
}

/// A certificate central issued to a device.
#[derive(Debug, Clone)]
pub struct Issued {
    pub pem: String,
    /// SHA-256 of the certificate's DER, hex.
    pub fingerprint: String,
    pub not_after: jiff::Timestamp,
}

/// Central's certificate authority: it issues central's server
/// certificate and the devices' client certificates.
pub struct Authority {
    issuer: Issuer<'static, KeyPair>,
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    pin: String,
}

impl std::fmt::Debug for Authority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authority")
            .field("pin", &self.pin)
            .finish_non_exhaustive()
    }
}

/// A certificate authority the city gives central instead of its own:
/// central issues its server's and its devices' certificates with it, so
/// it should be one for central alone (an intermediate of the city's).
#[derive(Debug, Clone)]
pub struct GivenCa {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Authority {
    /// Central's authority in `dir/tls/`: the one the city gave, the one
    /// made earlier, or a new one made now.
    pub fn open(dir: &Path, given: Option<&GivenCa>, now: jiff::Timestamp) -> Result<Self, TlsError> {
        let (cert_path, key_path) = match given {
            Some(g) => (g.cert.clone(), g.key.clone()),
            None => (dir.join(DIR).join(CA_CERT), dir.join(DIR).join(CA_KEY)),
        };
        if given.is_none() && !cert_path.exists() {
            let key = KeyPair::generate().map_err(|e| TlsError::cert("a key for central's authority", e))?;
            let mut params = CertificateParams::default();
            let mut name = DistinguishedName::new();
            name.push(DnType::OrganizationName, "motcua");
            name.push(DnType::CommonName, "motcua central authority");
            params.distinguished_name = name;
            params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            params.key_usages = vec![
                KeyUsagePurpose::KeyCertSign,
                KeyUsagePurpose::CrlSign,
                KeyUsagePurpose::DigitalSignature,
            ];
            params.serial_number = Some(random_serial());
            validity(&mut params, now, CA_DAYS);
            let cert = params
                .self_signed(&key)
                .map_err(|e| TlsError::cert("central's authority", e))?;
            write_private(&key_path, &key.serialize_pem())?;
            write_private(&cert_path, &cert.pem())?;
            tracing::info!(path = %cert_path.display(), "central made its certificate authority");
        }
        let key_pem = read_private(&key_path)?;
        let ca_pem = read_public(&cert_path)?;
        let key = KeyPair::from_pem(&key_pem).map_err(|e| TlsError::cert("the authority's key", e))?;
        let ca_der = CertificateDer::from_pem_slice(ca_pem.as_bytes())
            .map_err(|e| TlsError::cert("the authority's certificate", e))?;
        let issuer = Issuer::from_ca_cert_der(&ca_der, key).map_err(|e| TlsError::cert("the authority", e))?;
        let pin = pin_of(&ca_der)?;
        if issuer.key().subject_public_key_info() != public_key_of(&ca_der)? {
            return Err(TlsError::cert(
                "the authority",
                "its key does not belong to its certificate",
            ));
        }
        Ok(Self {
            issuer,
            ca_pem,
            ca_der,
            pin,
        })
    }

    /// The SHA-256 of the authority's public key, hex: what tokens carry.
    pub fn pin(&self) -> &str {
        &self.pin
    }

    /// The authority's certificate, PEM: what devices keep.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    pub fn ca_der(&self) -> &CertificateDer<'static> {
        &self.ca_der
    }

    /// A fresh key and server certificate for `names` (host names and
    /// addresses), valid for [`SERVER_DAYS`].
    pub fn server_key(&self, names: &[String], now: jiff::Timestamp) -> Result<rustls::sign::CertifiedKey, TlsError> {
        let key = KeyPair::generate().map_err(|e| TlsError::cert("a server key", e))?;
        let mut params = CertificateParams::default();
        let mut name = DistinguishedName::new();
        name.push(DnType::OrganizationName, "motcua");
        name.push(DnType::CommonName, "motcua central");
        params.distinguished_name = name;
        params.subject_alt_names = names
            .iter()
            .filter_map(|n| match n.parse::<std::net::IpAddr>() {
                Ok(ip) => Some(SanType::IpAddress(ip)),
                Err(_) => n.clone().try_into().ok().map(SanType::DnsName),
            })
            .collect();
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        params.serial_number = Some(random_serial());
        validity(&mut params, now, SERVER_DAYS);
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(|e| TlsError::cert("the server certificate", e))?;
        let der = PrivateKeyDer::try_from(key.serialize_der()).map_err(|e| TlsError::cert("the server key", e))?;
        let signing = provider()
            .key_provider
            .load_private_key(der)
            .map_err(|e| TlsError::cert("the server key", e))?;
        Ok(rustls::sign::CertifiedKey::new(
            vec![cert.der().clone(), self.ca_der.clone()],
            signing,
        ))
    }

    /// Certifies a device's public key (PEM of its SubjectPublicKeyInfo)
    /// for client authentication, valid for [`DEVICE_DAYS`].
    pub fn issue_device(
        &self,
        public_key_pem: &str,
        device_id: i64,
        office: &str,
        now: jiff::Timestamp,
    ) -> Result<Issued, TlsError> {
        let public =
            SubjectPublicKeyInfo::from_pem(public_key_pem).map_err(|e| TlsError::cert("the device's public key", e))?;
        let mut params = CertificateParams::default();
        let mut name = DistinguishedName::new();
        name.push(DnType::OrganizationName, "motcua");
        name.push(DnType::OrganizationalUnitName, office);
        name.push(DnType::CommonName, format!("device {device_id}"));
        params.distinguished_name = name;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        params.use_authority_key_identifier_extension = true;
        params.serial_number = Some(random_serial());
        validity(&mut params, now, DEVICE_DAYS);
        let cert = params
            .signed_by(&public, &self.issuer)
            .map_err(|e| TlsError::cert("the device certificate", e))?;
        Ok(Issued {
            pem: cert.pem(),
            fingerprint: fingerprint_hex(cert.der()),
            not_after: not_after(cert.der())?,
        })
    }
}

fn public_key_of(cert: &[u8]) -> Result<Vec<u8>, TlsError> {
    let (_, parsed) =
        x509_parser::parse_x509_certificate(cert).map_err(|e| TlsError::cert("a certificate does not parse", e))?;
    Ok(parsed.public_key().raw.to_vec())
}

/// Fingerprints of the certificates of revoked devices: refused at the
/// handshake. Filled from central's database at start and kept current by
/// the revocation watch.
#[derive(Debug, Default)]
pub struct Revoked(RwLock<HashSet<[u8; 32]>>);

impl Revoked {
    pub fn contains(&self, fingerprint: &[u8; 32]) -> bool {
        self.0.read().unwrap_or_else(|p| p.into_inner()).contains(fingerprint)
    }

    /// Replaces the whole set (hex fingerprints; others are skipped);
    /// answers whether it changed.
    pub fn set(&self, fingerprints: impl IntoIterator<Item = String>) -> bool {
        let set: HashSet<[u8; 32]> = fingerprints
            .into_iter()
            .filter_map(|h| {
                let bytes = motcua_core::ids::unhex(&h)?;
                <[u8; 32]>::try_from(bytes.as_slice()).ok()
            })
            .collect();
        let mut current = self.0.write().unwrap_or_else(|p| p.into_inner());
        let changed = *current != set;
        *current = set;
        changed
    }

    pub fn len(&self) -> usize {
        self.0.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Checks devices' certificates: issued by central's authority, and not
/// a revoked device's. A connection without one is let through to the
/// routes that need none (enrollment, health); the others ask for it.
#[derive(Debug)]
struct DeviceVerifier {
    inner: Arc<dyn ClientCertVerifier>,
    revoked: Arc<Revoked>,
}

impl ClientCertVerifier for DeviceVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[TlsName] {
        self.inner.root_hint_subjects()
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        self.inner.verify_client_cert(end_entity, intermediates, now)?;
        if self.revoked.contains(&fingerprint(end_entity)) {
            return Err(rustls::Error::InvalidCertificate(rustls::CertificateError::Revoked));
        }
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Sessions a device may resume without showing its certificate again:
/// forgotten whenever a device is revoked, so a revoked device's next
/// connection is a full handshake, and refused.
#[derive(Debug)]
pub struct Sessions(RwLock<Arc<rustls::server::ServerSessionMemoryCache>>);

impl Sessions {
    const SIZE: usize = 4096;

    fn new() -> Self {
        Self(RwLock::new(rustls::server::ServerSessionMemoryCache::new(Self::SIZE)))
    }

    fn current(&self) -> Arc<rustls::server::ServerSessionMemoryCache> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn clear(&self) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = rustls::server::ServerSessionMemoryCache::new(Self::SIZE);
    }
}

impl rustls::server::StoresServerSessions for Sessions {
    fn put(&self, key: Vec<u8>, value: Vec<u8>) -> bool {
        self.current().put(key, value)
    }

    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.current().get(key)
    }

    fn take(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.current().take(key)
    }

    fn can_cache(&self) -> bool {
        true
    }
}

/// Central's server certificate, replaceable while serving (renewal).
#[derive(Debug)]
pub struct ServerCert(RwLock<Arc<rustls::sign::CertifiedKey>>);

impl ServerCert {
    pub fn new(key: rustls::sign::CertifiedKey) -> Self {
        Self(RwLock::new(Arc::new(key)))
    }

    pub fn replace(&self, key: rustls::sign::CertifiedKey) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(key);
    }

    /// When the certificate served now expires.
    pub fn not_after(&self) -> Option<jiff::Timestamp> {
        let key = self.0.read().unwrap_or_else(|p| p.into_inner()).clone();
        key.end_entity_cert().ok().and_then(|c| not_after(c).ok())
    }
}

impl rustls::server::ResolvesServerCert for ServerCert {
    fn resolve(&self, _: rustls::server::ClientHello<'_>) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(self.0.read().unwrap_or_else(|p| p.into_inner()).clone())
    }
}

/// Central's TLS configuration: its server certificate, devices'
/// certificates checked against its authority and the revoked set.
pub fn server_config(
    authority: &Authority,
    cert: Arc<ServerCert>,
    revoked: Arc<Revoked>,
    sessions: Arc<Sessions>,
) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let mut roots = RootCertStore::empty();
    roots
        .add(authority.ca_der.clone())
        .map_err(|e| TlsError::cert("the authority", e))?;
    let inner = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
        .allow_unauthenticated()
        .build()
        .map_err(|e| TlsError::cert("the device verifier", e))?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::cert("the TLS versions", e))?
        .with_client_cert_verifier(Arc::new(DeviceVerifier { inner, revoked }))
        .with_cert_resolver(cert);
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config.session_storage = sessions;
    Ok(Arc::new(config))
}

/// How central serves TLS: where its authority comes from and the names
/// its server certificate carries.
#[derive(Debug, Clone, Default)]
pub struct TlsSetup {
    /// The city's authority, instead of central's own.
    pub given: Option<GivenCa>,
    /// Host names and addresses devices reach central by (for tools that
    /// check names; devices check the chain to the pinned authority).
    pub names: Vec<String>,
}

/// Central's TLS while it serves: the authority, the server certificate,
/// the revoked devices' certificates and the configuration built on them.
pub struct CentralTls {
    pub authority: Authority,
    pub cert: Arc<ServerCert>,
    pub revoked: Arc<Revoked>,
    pub config: Arc<rustls::ServerConfig>,
    sessions: Arc<Sessions>,
    names: Vec<String>,
    /// Moves on whenever the revoked set changes: open connections of a
    /// newly revoked device are then cut.
    pub generation: tokio::sync::watch::Sender<u64>,
}

impl std::fmt::Debug for CentralTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CentralTls")
            .field("authority", &self.authority)
            .finish_non_exhaustive()
    }
}

impl CentralTls {
    pub fn open(dir: &Path, setup: &TlsSetup, now: jiff::Timestamp) -> Result<Self, TlsError> {
        let authority = Authority::open(dir, setup.given.as_ref(), now)?;
        let mut names = setup.names.clone();
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        for n in [host.trim(), "localhost", "127.0.0.1", "::1"] {
            if !n.is_empty() && !names.iter().any(|m| m == n) {
                names.push(n.to_string());
            }
        }
        let cert = Arc::new(ServerCert::new(authority.server_key(&names, now)?));
        let revoked = Arc::new(Revoked::default());
        let sessions = Arc::new(Sessions::new());
        let config = server_config(&authority, cert.clone(), revoked.clone(), sessions.clone())?;
        Ok(Self {
            authority,
            cert,
            revoked,
            config,
            sessions,
            names,
            generation: tokio::sync::watch::Sender::new(0),
        })
    }

    /// Makes a new server certificate when a third of its life is left.
    pub fn renew_if_due(&self, now: jiff::Timestamp) -> Result<bool, TlsError> {
        let due = self
            .cert
            .not_after()
            .is_none_or(|end| end.duration_since(now) < jiff::SignedDuration::from_hours(24 * SERVER_DAYS / 3));
        if due {
            self.cert.replace(self.authority.server_key(&self.names, now)?);
            tracing::info!("central renewed its server certificate");
        }
        Ok(due)
    }

    /// Sets the revoked devices' certificates; open connections of any
    /// newly revoked one are cut.
    pub fn set_revoked(&self, fingerprints: Vec<String>) {
        if self.revoked.set(fingerprints) {
            self.sessions.clear();
            self.generation.send_modify(|g| *g += 1);
            tracing::info!(revoked = self.revoked.len(), "revoked device certificates updated");
        }
    }
}

/// What a device trusts: central's authority, once enrollment checked it
/// against the pin. Chains are checked up to it; names are not, since the
/// authority is central's alone and only central's server certificate
/// carries the server-authentication purpose (a device's certificate
/// cannot pose as central), and the office's addresses change.
#[derive(Debug)]
pub struct PinnedVerifier {
    /// The pin to find in the chain (enrollment), or the authority kept
    /// since.
    anchor: Anchor,
    provider: Arc<CryptoProvider>,
    /// What the last refused chain showed: said to the person enrolling.
    seen: std::sync::Mutex<Option<String>>,
}

#[derive(Debug)]
enum Anchor {
    Pin(String),
    Ca(RootCertStore),
}

impl PinnedVerifier {
    /// Trusts the chain whose authority's public key has this pin.
    pub fn pin(pin: &str) -> Self {
        Self {
            anchor: Anchor::Pin(pin.to_ascii_lowercase()),
            provider: provider(),
            seen: std::sync::Mutex::new(None),
        }
    }

    /// Trusts chains up to this authority.
    pub fn ca(ca: CertificateDer<'static>) -> Result<Self, TlsError> {
        let mut roots = RootCertStore::empty();
        roots.add(ca).map_err(|e| TlsError::cert("central's authority", e))?;
        Ok(Self {
            anchor: Anchor::Ca(roots),
            provider: provider(),
            seen: std::sync::Mutex::new(None),
        })
    }

    /// The refusal to tell, if the last handshake was refused for the pin.
    pub fn refusal(&self) -> Option<String> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let pinned;
        let roots = match &self.anchor {
            Anchor::Ca(roots) => roots,
            Anchor::Pin(pin) => {
                let found = intermediates
                    .iter()
                    .find(|c| pin_of(c).is_ok_and(|p| p == *pin))
                    .cloned();
                let Some(ca) = found else {
                    let shown: Vec<String> = intermediates
                        .iter()
                        .chain(std::iter::once(end_entity))
                        .filter_map(|c| pin_of(c).ok())
                        .map(|p| format!("sha256:{p}"))
                        .collect();
                    *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(
                        TlsError::PinMismatch {
                            expected: pin.clone(),
                            found: if shown.is_empty() {
                                "no certificate".into()
                            } else {
                                shown.join(", ")
                            },
                        }
                        .to_string(),
                    );
                    return Err(rustls::Error::InvalidCertificate(
                        rustls::CertificateError::UnknownIssuer,
                    ));
                };
                let mut roots = RootCertStore::empty();
                roots.add(ca.into_owned())?;
                pinned = roots;
                &pinned
            }
        };
        let cert = rustls::server::ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_cert_signed_by_trust_anchor(
            &cert,
            roots,
            intermediates,
            now,
            self.provider.signature_verification_algorithms.all,
        )?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// A device's own key and certificate, replaceable when it renews.
#[derive(Debug)]
pub struct DeviceIdentity(RwLock<Option<Arc<rustls::sign::CertifiedKey>>>);

impl DeviceIdentity {
    /// A device's identity from its key and certificate (PEM).
    pub fn new(key_pem: &str, cert_pem: &str) -> Result<Self, TlsError> {
        let identity = Self(RwLock::new(None));
        identity.replace(key_pem, cert_pem)?;
        Ok(identity)
    }

    /// No identity: only routes that need none (enrollment).
    pub fn none() -> Self {
        Self(RwLock::new(None))
    }

    pub fn replace(&self, key_pem: &str, cert_pem: &str) -> Result<(), TlsError> {
        let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).map_err(|e| TlsError::cert("the device key", e))?;
        let cert = CertificateDer::from_pem_slice(cert_pem.as_bytes())
            .map_err(|e| TlsError::cert("the device certificate", e))?;
        let signing = provider()
            .key_provider
            .load_private_key(key)
            .map_err(|e| TlsError::cert("the device key", e))?;
        *self.0.write().unwrap_or_else(|p| p.into_inner()) =
            Some(Arc::new(rustls::sign::CertifiedKey::new(vec![cert], signing)));
        Ok(())
    }
}

impl rustls::client::ResolvesClientCert for DeviceIdentity {
    fn resolve(&self, _: &[&[u8]], _: &[SignatureScheme]) -> Option<Arc<rustls::sign::CertifiedKey>> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// A device's TLS configuration: central trusted through `verifier`, the
/// device known by `identity`.
pub fn device_config(verifier: Arc<PinnedVerifier>, identity: Arc<DeviceIdentity>) -> rustls::ClientConfig {
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_cert_resolver(identity);
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config
}

/// A new key for a device: the private key (PEM, kept on the device) and
/// the public key (PEM, sent to central).
pub fn device_key() -> Result<(String, String), TlsError> {
    let key = KeyPair::generate().map_err(|e| TlsError::cert("a device key", e))?;
    Ok((key.serialize_pem(), key.public_key_pem()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> jiff::Timestamp {
        "2026-12-01T08:00:00Z".parse().unwrap()
    }

    #[test]
    fn authority_is_made_once_kept_private_and_pinned() {
        let dir = tempfile::tempdir().unwrap();
        let a = Authority::open(dir.path(), None, now()).unwrap();
        let b = Authority::open(dir.path(), None, now()).unwrap();
        assert_eq!(a.pin(), b.pin(), "the second start reuses the authority");
        assert_eq!(a.pin().len(), 64);
        assert_eq!(pin_of(a.ca_der()).unwrap(), a.pin());
        use std::os::unix::fs::PermissionsExt;
        let key = dir.path().join(DIR).join(CA_KEY);
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
        // A key others can read is refused.
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = Authority::open(dir.path(), None, now()).unwrap_err();
        assert!(matches!(e, TlsError::Secret(_)), "{e}");
        assert!(e.to_string().contains("chmod 600"), "{e}");
    }

    #[test]
    fn a_given_authority_is_used_and_a_mismatched_key_refused() {
        let dir = tempfile::tempdir().unwrap();
        let own = Authority::open(dir.path(), None, now()).unwrap();
        let other = tempfile::tempdir().unwrap();
        let _ = Authority::open(other.path(), None, now()).unwrap();
        let given = GivenCa {
            cert: dir.path().join(DIR).join(CA_CERT),
            key: dir.path().join(DIR).join(CA_KEY),
        };
        let city = Authority::open(other.path(), Some(&given), now()).unwrap();
        assert_eq!(city.pin(), own.pin());
        let wrong = GivenCa {
            cert: dir.path().join(DIR).join(CA_CERT),
            key: other.path().join(DIR).join(CA_KEY),
        };
        assert!(Authority::open(other.path(), Some(&wrong), now()).is_err());
    }

    #[test]
    fn device_certificates_carry_the_device_and_expire() {
        let dir = tempfile::tempdir().unwrap();
        let a = Authority::open(dir.path(), None, now()).unwrap();
        let (_, public) = device_key().unwrap();
        let issued = a.issue_device(&public, 7, "000.00.01.H26", now()).unwrap();
        assert!(issued.pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert_eq!(issued.fingerprint.len(), 64);
        let days = issued.not_after.duration_since(now()).as_secs() / 86_400;
        assert!((DEVICE_DAYS - 1..=DEVICE_DAYS + 1).contains(&days), "{days}");
        assert!(a.issue_device("not a key", 7, "o", now()).is_err());
    }

    #[test]
    fn tokens_carry_the_pin() {
        let pin = "ab".repeat(32);
        let t = token_with_pin("s3cret", &pin);
        assert_eq!(split_token(&t).unwrap(), ("s3cret", Some(pin.as_str())));
        assert_eq!(split_token("s3cret").unwrap(), ("s3cret", None));
        assert!(split_token("s3cret:sha256:abc").is_err());
        assert!(split_token(&format!("s:sha256:{}", "zz".repeat(32))).is_err());
    }
}
