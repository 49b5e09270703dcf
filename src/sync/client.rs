//! The kiosk's HTTP client for central: every write with its
//! Idempotency-Key, answers sorted into what to retry and what not.

use std::time::Duration;

use reqwest::{Method, StatusCode, header};
use serde::de::DeserializeOwned;

use crate::store::OutboxRecord;
use motcua_api::documents::{DocumentIn, DocumentList, Upload};
use motcua_api::error::ErrorBody;
use motcua_api::model::{
    Device, Dossier, DossierCode, DueSoonList, Enrolled, GroupWaiting, LookupAnswer, NewTicket, PaymentIn, PublicKey,
    Ticket,
};

/// Why a request to central did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// No connection could be made: the request certainly did not arrive.
    #[error("central refuses connections: {0}")]
    Refused(String),
    /// The connection broke: the request may or may not have arrived.
    #[error("central is unreachable: {0}")]
    Unreachable(String),
    /// No answer in time: the request may or may not have arrived.
    #[error("central did not answer in time")]
    Timeout,
    /// 5xx: try again later.
    #[error("central answered {status}: {message}")]
    Server {
        status: u16,
        message: String,
        retry_after: Option<Duration>,
    },
    /// 429: slow down.
    #[error("central asks to slow down")]
    Throttled { retry_after: Option<Duration> },
    /// Another 4xx: sending it again will not help.
    #[error("central refused it ({status}): {message}")]
    Rejected { status: u16, message: String },
    /// The TLS handshake failed: the server is not the central this device
    /// trusts, or central refused this device's certificate. Nothing was
    /// sent.
    #[error("{0}")]
    Untrusted(String),
}

/// What a failed request tells a screen: central could not be reached, or
/// it answered and refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No answer: no connection, a broken one, or no answer in time.
    Unreachable,
    /// Central answered with this HTTP error code.
    Refused { status: u16 },
    /// The answer came but could not be used (it does not parse, or the
    /// data it holds is not valid here).
    Invalid,
}

impl SyncError {
    /// Whether central was out of reach or answered with an error.
    pub fn failure(&self) -> Failure {
        match self {
            SyncError::Refused(_) | SyncError::Unreachable(_) | SyncError::Timeout | SyncError::Untrusted(_) => {
                Failure::Unreachable
            }
            SyncError::Throttled { .. } => Failure::Refused { status: 429 },
            // Status 0 and an answer of 200 that does not parse are found
            // here, not said by central.
            SyncError::Server { status: 200, .. } | SyncError::Rejected { status: 0, .. } => Failure::Invalid,
            SyncError::Server { status, .. } | SyncError::Rejected { status, .. } => {
                Failure::Refused { status: *status }
            }
        }
    }

    /// Central could not be reached (connection refused or broken, or no
    /// answer in time): the request may not have arrived.
    pub fn is_unreachable(&self) -> bool {
        self.failure() == Failure::Unreachable
    }

    /// The HTTP error code central answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self.failure() {
            Failure::Refused { status } => Some(status),
            _ => None,
        }
    }

    /// Worth sending again later.
    pub fn retryable(&self) -> bool {
        !matches!(self, SyncError::Rejected { .. })
    }

    /// This address of central is out of reach, and another address of
    /// the same central may answer: no connection, a broken one, no answer
    /// in time, or a load balancer saying the process behind it is gone
    /// (502, 503, 504). An answer (another 5xx, 429, a 4xx, a refused
    /// certificate) is central's, the same at every address.
    pub fn moves_on(&self) -> bool {
        matches!(
            self,
            SyncError::Refused(_)
                | SyncError::Unreachable(_)
                | SyncError::Timeout
                | SyncError::Server { status: 502..=504, .. }
        )
    }

    /// The wait central asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SyncError::Server { retry_after, .. } | SyncError::Throttled { retry_after } => *retry_after,
            _ => None,
        }
    }

    fn from_reqwest(e: reqwest::Error) -> Self {
        if let Some(tls) = tls_failure(&e) {
            return tls;
        }
        if e.is_timeout() {
            SyncError::Timeout
        } else if e.is_connect() {
            SyncError::Refused(e.without_url().to_string())
        } else {
            // Hide the URL's credentials if any ever were in it: only the
            // kind of failure is kept.
            SyncError::Unreachable(e.without_url().to_string())
        }
    }
}

/// A TLS failure somewhere in `e`'s causes, said plainly.
fn tls_failure(e: &(dyn std::error::Error + 'static)) -> Option<SyncError> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        // An I/O error wraps its cause out of sight of `source()`.
        let mut inner: &(dyn std::error::Error + 'static) = c;
        while let Some(wrapped) = inner.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            inner = wrapped;
        }
        let found = inner.downcast_ref::<rustls::Error>();
        if let Some(t) = found {
            return Some(SyncError::Untrusted(match t {
                rustls::Error::InvalidCertificate(why) => format!(
                    "the server is not the central this device trusts ({why:?}); nothing was sent / máy chủ không phải máy chủ trung tâm mà thiết bị này tin cậy; không gửi gì"
                ),
                rustls::Error::AlertReceived(alert) => format!(
                    "central refused this device's certificate ({alert:?}): the device may be revoked; enroll it again / máy chủ trung tâm từ chối chứng thư của thiết bị: thiết bị có thể đã bị thu hồi"
                ),
                other => format!("the secure connection to central failed: {other}"),
            }));
        }
        cause = c.source();
    }
    None
}

/// Central's 5xx answer `text`, said as an error.
fn server_error(status: u16, text: &str, retry_after: Option<Duration>) -> SyncError {
    let message = serde_json::from_str::<ErrorBody>(text)
        .map(|e| e.message)
        .unwrap_or_else(|_| text.chars().take(200).collect());
    SyncError::Server {
        status,
        message,
        retry_after,
    }
}

/// Where a ticket is transferred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transfer {
    Group(String),
    Counter(String),
}

/// A connection to one central server, as one enrolled device.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    /// Shared by every clone: when the machine's own central moves to
    /// another port, or one address of central stops answering, every
    /// part of the device follows it.
    base: std::sync::Arc<std::sync::RwLock<String>>,
    /// Every address of the same central, in order (see
    /// [`Client::with_addresses`]); one for most devices.
    addresses: std::sync::Arc<[String]>,
    credential: String,
    /// Central's pinned authority and this device's certificate, over
    /// HTTPS.
    trust: Option<super::tls::Trust>,
    /// The machine's own central, when this client reaches it: owned by
    /// start-up; the client only asks it to take over when it falls silent.
    local: Option<std::sync::Weak<crate::local_central::LocalCentral>>,
}

/// Two clients are the same subscription when they reach the same central
/// as the same device. A central of several addresses is the same whichever
/// one the client is at (its event stream moves by itself).
impl std::hash::Hash for Client {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        if self.addresses.len() > 1 {
            self.addresses.hash(state);
        } else {
            self.base().hash(state);
        }
        self.credential.hash(state);
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the credential.
        f.debug_struct("Client").field("base", &self.base()).finish()
    }
}

/// The bytes of a document sent in one request: under central's cap
/// ([`motcua_api::documents::CHUNK_MAX`]), small enough to cross a slow
/// office network well within [`DEFAULT_TIMEOUT`].
pub const UPLOAD_CHUNK: usize = 256 * 1024;

/// How long a request may take before the kiosk stops waiting.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

fn http(timeout: Duration, tls: Option<rustls::ClientConfig>) -> reqwest::Client {
    motcua_central::tls::init();
    let builder = reqwest::Client::builder()
        .connect_timeout(timeout.min(Duration::from_secs(2)))
        .timeout(timeout)
        // Central closes a connection idle for 10 s: the client lets it go
        // first rather than send on one being closed.
        .pool_idle_timeout(Duration::from_secs(5));
    match tls {
        Some(config) => builder.tls_backend_preconfigured(config),
        None => builder,
    }
    .build()
    .expect("an HTTP client builds")
}

impl Client {
    /// A client of central over plain HTTP: the machine's own central, on
    /// loopback.
    pub fn new(base: &str, credential: &str, timeout: Duration) -> Self {
        Self {
            http: http(timeout, None),
            base: std::sync::Arc::new(std::sync::RwLock::new(base.trim_end_matches('/').to_string())),
            addresses: std::sync::Arc::new([base.trim_end_matches('/').to_string()]),
            credential: credential.to_string(),
            trust: None,
            local: None,
        }
    }

    /// A client of central over HTTPS, trusting central's pinned authority
    /// and known by this device's certificate.
    pub fn with_trust(base: &str, credential: &str, timeout: Duration, trust: super::tls::Trust) -> Self {
        Self {
            http: http(timeout, Some(trust.config())),
            base: std::sync::Arc::new(std::sync::RwLock::new(base.trim_end_matches('/').to_string())),
            addresses: std::sync::Arc::new([base.trim_end_matches('/').to_string()]),
            credential: credential.to_string(),
            trust: Some(trust),
            local: None,
        }
    }

    /// The client an enrolled device uses for `url`: HTTPS with the trust
    /// kept in `data_dir`, or plain HTTP to this machine.
    pub fn for_device(
        url: &str,
        credential: &str,
        timeout: Duration,
        data_dir: &std::path::Path,
    ) -> Result<Self, SyncError> {
        Self::for_device_at(&[url.to_string()], credential, timeout, data_dir)
    }

    /// The client an enrolled device uses for central at `urls` (several
    /// addresses of one central: see [`Client::with_addresses`]): HTTPS
    /// with the trust kept in `data_dir`, or plain HTTP when every address
    /// is on this machine.
    pub fn for_device_at(
        urls: &[String],
        credential: &str,
        timeout: Duration,
        data_dir: &std::path::Path,
    ) -> Result<Self, SyncError> {
        let Some(first) = urls.first() else {
            return Err(SyncError::Untrusted(
                "no address of central is configured / chưa có địa chỉ máy chủ trung tâm".into(),
            ));
        };
        if urls.iter().all(|u| super::tls::is_loopback_http(u)) {
            return Ok(Self::new(first, credential, timeout).with_addresses(urls));
        }
        if let Some(url) = urls
            .iter()
            .find(|u| !u.starts_with("https://") && !super::tls::is_loopback_http(u))
        {
            return Err(SyncError::Untrusted(format!(
                "{url}: central is reached over https:// (plain http:// only on this machine) / máy chủ trung tâm phải dùng https://"
            )));
        }
        match super::tls::Trust::load(data_dir) {
            Ok(Some(trust)) => Ok(Self::with_trust(first, credential, timeout, trust).with_addresses(urls)),
            Ok(None) => Err(SyncError::Untrusted(format!(
                "{first}: this device has no certificate for central; enroll it again with `motcua enroll` / thiết bị chưa có chứng thư: hãy đăng ký lại"
            ))),
            Err(e) => Err(SyncError::Untrusted(e.to_string())),
        }
    }

    /// This client's central answers at each of `urls` (processes on one
    /// database, or load balancers in front of them: the same authority,
    /// the same device certificate, the same data). It starts at the first;
    /// a request that finds its address out of reach
    /// ([`SyncError::moves_on`]) moves every clone to the next and, when
    /// sending it again cannot do it twice, sends it there. No address:
    /// nothing changes.
    pub fn with_addresses(mut self, urls: &[String]) -> Self {
        let urls: Vec<String> = urls.iter().map(|u| u.trim_end_matches('/').to_string()).collect();
        if let Some(first) = urls.first() {
            self.rebase(first);
            self.addresses = urls.into();
        }
        self
    }

    /// Every address of this client's central, in order.
    pub fn addresses(&self) -> &[String] {
        &self.addresses
    }

    /// The address `from` did not answer (`why`): moves this client, and
    /// every clone, to the next address of central, unless another clone
    /// moved it already. False when there is no other address.
    pub fn move_on(&self, from: &str, why: &dyn std::fmt::Display) -> bool {
        let n = self.addresses.len();
        if n < 2 {
            return false;
        }
        let next = match self.addresses.iter().position(|a| a == from) {
            Some(i) => &self.addresses[(i + 1) % n],
            None => &self.addresses[0],
        };
        let mut base = self.base.write().unwrap_or_else(|p| p.into_inner());
        if *base == from {
            // Addresses only: no credential, no personal data.
            tracing::warn!(from, to = %next, error = %why, "central does not answer at this address; moving to the next");
            *base = next.clone();
        }
        true
    }

    /// Runs `attempt` at the current address; when it finds that address
    /// out of reach, moves to the next and, if the request may be sent
    /// again (`repeatable`: it has an Idempotency-Key or is a read) or
    /// certainly never arrived, tries there: each address once at most.
    /// The error after the last try says "may have arrived" if any try
    /// may have arrived, so a caller that cleans up after a lost request
    /// (a ticket's void) still does.
    async fn at_any<T, F, Fut>(&self, repeatable: bool, attempt: F) -> Result<T, SyncError>
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = Result<T, SyncError>>,
    {
        let mut may_have_arrived = false;
        let mut tries = 0;
        loop {
            let base = self.base();
            let e = match attempt(base.clone()).await {
                Err(e) if e.moves_on() => e,
                other => return other,
            };
            tries += 1;
            let never_arrived = matches!(e, SyncError::Refused(_));
            may_have_arrived |= !never_arrived;
            let moved = self.move_on(&base, &e);
            if !moved || tries >= self.addresses.len() || !(repeatable || never_arrived) {
                return Err(match e {
                    SyncError::Refused(why) if may_have_arrived => {
                        SyncError::Unreachable(format!("{why}; an address tried before may have taken the request"))
                    }
                    e => e,
                });
            }
        }
    }

    /// The device's certificate and central's authority, over HTTPS.
    pub fn trust(&self) -> Option<&super::tls::Trust> {
        self.trust.as_ref()
    }

    /// This client reaches the machine's own central, `local` (which
    /// start-up owns): when it falls silent, [`Client::take_over_local`]
    /// serves it from this process.
    pub fn with_local(mut self, local: &std::sync::Arc<crate::local_central::LocalCentral>) -> Self {
        self.local = Some(std::sync::Arc::downgrade(local));
        self
    }

    /// The machine's own central fell silent: serve it from here if no
    /// other role of the machine does, and follow it if it moved. False
    /// when this client does not reach the machine's own central (or its
    /// owner let it go).
    pub async fn take_over_local(&self) -> bool {
        let Some(local) = self.local.as_ref().and_then(std::sync::Weak::upgrade) else {
            return false;
        };
        let found = tokio::task::spawn_blocking(move || local.take_over().and_then(|_| local.url())).await;
        match found {
            Ok(Ok(url)) if url != self.base() => {
                tracing::info!(central = %url, "the machine's central moved; following it");
                self.rebase(&url);
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "the machine's central cannot be started here"),
            Err(e) => tracing::error!(error = %e, "taking over the machine's central failed"),
        }
        true
    }

    pub fn base(&self) -> String {
        self.base.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Points this client, and every clone of it, at another address of
    /// the same central.
    pub fn rebase(&self, base: &str) {
        *self.base.write().unwrap_or_else(|p| p.into_inner()) = base.trim_end_matches('/').to_string();
    }

    /// Exchanges a one-time token for a credential, on this machine's own
    /// central (plain HTTP on loopback). [`Client::enroll_into`] enrolls
    /// with a central across the network.
    pub async fn enroll(base: &str, token: &str) -> Result<Enrolled, SyncError> {
        if !super::tls::is_loopback_http(base) {
            return Err(SyncError::Untrusted(format!(
                "{base}: enrolling with a central across the network goes over https:// with the token's pin"
            )));
        }
        let (secret, _) = motcua_central::tls::split_token(token).map_err(|e| SyncError::Untrusted(e.to_string()))?;
        let client = Client::new(base, "", DEFAULT_TIMEOUT);
        let body = serde_json::json!({ "token": secret }).to_string();
        client.call(Method::POST, "/v1/enroll", None, Some(body)).await
    }

    /// Enrolls this device with the central at `base` and keeps its trust
    /// in `data_dir`: over HTTPS the token must carry central's pin; the
    /// device makes its key here, central certifies it, and a central
    /// whose authority does not match the pin is refused before anything
    /// is sent. Plain HTTP is for this machine's own central only.
    pub async fn enroll_into(base: &str, token: &str, data_dir: &std::path::Path) -> Result<Enrolled, SyncError> {
        if super::tls::is_loopback_http(base) {
            return Self::enroll(base, token).await;
        }
        if !base.starts_with("https://") {
            return Err(SyncError::Untrusted(format!(
                "{base}: central is reached over https:// (plain http:// only on this machine) / máy chủ trung tâm phải dùng https://"
            )));
        }
        let (secret, pin) = motcua_central::tls::split_token(token).map_err(|e| SyncError::Untrusted(e.to_string()))?;
        let Some(pin) = pin else {
            return Err(SyncError::Untrusted(
                "the token has no pin (…:sha256:…): copy the whole token `motcua central enroll` printed / mã thiếu phần sha256".into(),
            ));
        };
        let (key_pem, public_pem) =
            motcua_central::tls::device_key().map_err(|e| SyncError::Untrusted(e.to_string()))?;
        let verifier = std::sync::Arc::new(motcua_central::tls::PinnedVerifier::pin(pin));
        let config = motcua_central::tls::device_config(
            verifier.clone(),
            std::sync::Arc::new(motcua_central::tls::DeviceIdentity::none()),
        );
        let client = Self {
            http: http(DEFAULT_TIMEOUT, Some(config)),
            base: std::sync::Arc::new(std::sync::RwLock::new(base.trim_end_matches('/').to_string())),
            addresses: std::sync::Arc::new([base.trim_end_matches('/').to_string()]),
            credential: String::new(),
            trust: None,
            local: None,
        };
        let body = serde_json::json!({ "token": secret, "public_key": public_pem }).to_string();
        let answer: Result<Enrolled, SyncError> = client.call(Method::POST, "/v1/enroll", None, Some(body)).await;
        let enrolled = match answer {
            Err(_) if verifier.refusal().is_some() => {
                return Err(SyncError::Untrusted(verifier.refusal().unwrap_or_default()));
            }
            other => other?,
        };
        let Some(cert) = &enrolled.tls else {
            return Err(SyncError::Untrusted(
                "central enrolled the device without a certificate: it is too old for HTTPS enrollment".into(),
            ));
        };
        super::tls::Trust::save(data_dir, pin, &key_pem, cert).map_err(|e| SyncError::Untrusted(e.to_string()))?;
        Ok(enrolled)
    }

    /// Enrolls with central at the first of `urls` (addresses of one
    /// central) that answers, as [`Client::enroll_into`] does; answers the
    /// address that did. An answer, even a refusal, ends the search: every
    /// address would give the same.
    pub async fn enroll_into_any(
        urls: &[String],
        token: &str,
        data_dir: &std::path::Path,
    ) -> Result<(String, Enrolled), SyncError> {
        let mut unanswered = None;
        for url in urls {
            match Self::enroll_into(url, token, data_dir).await {
                Ok(enrolled) => return Ok((url.trim_end_matches('/').to_string(), enrolled)),
                Err(e) if e.moves_on() => {
                    tracing::warn!(central = %url, error = %e, "central does not answer at this address; trying the next");
                    unanswered = Some(e);
                }
                Err(e) => return Err(e),
            }
        }
        Err(unanswered.unwrap_or_else(|| {
            SyncError::Untrusted("no address of central given / chưa có địa chỉ máy chủ trung tâm".into())
        }))
    }

    /// Renews this device's certificate when a third of its life or less
    /// is left at `now`: a new key made here, certified by central, kept.
    /// Answers whether it renewed.
    pub async fn renew_certificate_if_due(&self, now: jiff::Timestamp) -> Result<bool, SyncError> {
        let Some(trust) = &self.trust else {
            return Ok(false);
        };
        if !trust.renewal_due(now) {
            return Ok(false);
        }
        let (key_pem, public_pem) =
            motcua_central::tls::device_key().map_err(|e| SyncError::Untrusted(e.to_string()))?;
        let body = serde_json::json!({ "public_key": public_pem }).to_string();
        let cert: motcua_api::model::DeviceCertificate =
            self.call(Method::POST, "/v1/certificate", None, Some(body)).await?;
        trust
            .renewed(&key_pem, &cert)
            .map_err(|e| SyncError::Untrusted(e.to_string()))?;
        tracing::info!(until = %cert.not_after, "the device's certificate was renewed");
        Ok(true)
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<String>,
    ) -> Result<(StatusCode, String), SyncError> {
        let body = body.map(|b| ("application/json", b.into_bytes()));
        let (status, text, retry_after) = self.exchange(method, path, key, body).await?;
        if status.is_success() || status == StatusCode::NOT_MODIFIED {
            return Ok((status, text));
        }
        let message = serde_json::from_str::<ErrorBody>(&text)
            .map(|e| e.message)
            .unwrap_or_else(|_| text.chars().take(200).collect());
        Err(match status.as_u16() {
            429 => SyncError::Throttled { retry_after },
            s if s >= 500 => SyncError::Server {
                status: s,
                message,
                retry_after,
            },
            s => SyncError::Rejected { status: s, message },
        })
    }

    /// One request and its answer, whatever its status, from any address
    /// of central that answers (a 502, 503 or 504 is an address out of
    /// reach, see [`SyncError::moves_on`]).
    async fn exchange(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<(&'static str, Vec<u8>)>,
    ) -> Result<(StatusCode, String, Option<Duration>), SyncError> {
        // The same request, the same key, at whichever address.
        let repeatable = key.is_some() || method.is_idempotent();
        self.at_any(repeatable, |base| {
            let (method, body) = (method.clone(), body.clone());
            async move {
                let (status, text, retry_after) = self.exchange_at(&base, method, path, key, body).await?;
                match status.as_u16() {
                    s @ 502..=504 => Err(server_error(s, &text, retry_after)),
                    _ => Ok((status, text, retry_after)),
                }
            }
        })
        .await
    }

    /// One request to the address `base` and its answer.
    async fn exchange_at(
        &self,
        base: &str,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<(&'static str, Vec<u8>)>,
    ) -> Result<(StatusCode, String, Option<Duration>), SyncError> {
        let mut request = self
            .http
            .request(method, format!("{base}{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.credential));
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some((kind, body)) = body {
            request = request.header(header::CONTENT_TYPE, kind).body(body);
        }
        let response = request.send().await.map_err(SyncError::from_reqwest)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = response.text().await.map_err(SyncError::from_reqwest)?;
        Ok((status, text, retry_after))
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<String>,
    ) -> Result<T, SyncError> {
        let (_, text) = self.send(method, path, key, body).await?;
        serde_json::from_str(&text).map_err(|e| SyncError::Server {
            status: 200,
            message: format!("an answer that does not parse: {e}"),
            retry_after: None,
        })
    }

    /// Who this device is, to central. Also a cheap check that central answers.
    pub async fn me(&self) -> Result<Device, SyncError> {
        self.call(Method::GET, "/v1/me", None, None).await
    }

    pub async fn issue_ticket(&self, ticket: &NewTicket, key: &str) -> Result<Ticket, SyncError> {
        let body = serde_json::to_string(ticket).expect("a ticket request serializes");
        self.call(Method::POST, "/v1/tickets", Some(key), Some(body)).await
    }

    pub async fn waiting(&self) -> Result<Vec<GroupWaiting>, SyncError> {
        self.call(Method::GET, "/v1/queue", None, None).await
    }

    /// The office catalog if it changed since `etag`: (JSON, new ETag).
    pub async fn catalog(&self, etag: Option<&str>) -> Result<Option<(String, String)>, SyncError> {
        self.at_any(true, |base| self.catalog_at(base, etag)).await
    }

    async fn catalog_at(&self, base: String, etag: Option<&str>) -> Result<Option<(String, String)>, SyncError> {
        let mut request = self
            .http
            .get(format!("{base}/v1/catalog"))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.credential));
        if let Some(etag) = etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        let response = request.send().await.map_err(SyncError::from_reqwest)?;
        match response.status() {
            StatusCode::NOT_MODIFIED => Ok(None),
            s if s.is_success() => {
                let etag = response
                    .headers()
                    .get(header::ETAG)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let body = response.text().await.map_err(SyncError::from_reqwest)?;
                Ok(Some((body, etag)))
            }
            s if (502..=504).contains(&s.as_u16()) => Err(server_error(s.as_u16(), "", None)),
            s => Err(SyncError::Rejected {
                status: s.as_u16(),
                message: "the catalog could not be fetched".into(),
            }),
        }
    }

    /// Publishes this counter's receipt public key; answers its key id.
    pub async fn add_key(&self, public_hex: &str, key: &str) -> Result<PublicKey, SyncError> {
        let body = serde_json::json!({ "public_key": public_hex }).to_string();
        self.call(Method::POST, "/v1/keys", Some(key), Some(body)).await
    }

    /// Every office's receipt public keys.
    pub async fn keys(&self) -> Result<Vec<PublicKey>, SyncError> {
        self.call(Method::GET, "/v1/keys", None, None).await
    }

    /// The office's next dossier code.
    pub async fn dossier_code(&self, key: &str) -> Result<String, SyncError> {
        self.call::<DossierCode>(Method::POST, "/v1/dossier-codes", Some(key), None)
            .await
            .map(|c| c.code)
    }

    /// A dossier of this office, with its status history.
    pub async fn dossier(&self, code: &str) -> Result<Dossier, SyncError> {
        self.call(Method::GET, &format!("/v1/dossiers/{code}"), None, None)
            .await
    }

    /// Records a fee payment with a dossier (asked for: status 6; paid:
    /// back where it was); answers the dossier with its payments.
    pub async fn record_payment(&self, code: &str, payment: &PaymentIn, key: &str) -> Result<Dossier, SyncError> {
        let body = serde_json::to_string(payment).expect("a payment serializes");
        self.call(
            Method::POST,
            &format!("/v1/dossiers/{code}/payment"),
            Some(key),
            Some(body),
        )
        .await
    }

    /// The office's open dossiers due by the end of the next working day,
    /// each with the new appointment central proposes.
    pub async fn due_soon(&self) -> Result<DueSoonList, SyncError> {
        self.call(Method::GET, "/v1/dossiers/due-soon", None, None).await
    }

    /// Asks the citizen display of counter `counter` to put the national
    /// questions for the dossier `code` (`occasion`: intake or return).
    pub async fn ask_evaluation(
        &self,
        code: &str,
        counter: &str,
        occasion: motcua_api::evaluation::Occasion,
    ) -> Result<(), SyncError> {
        let body = serde_json::json!({ "counter": counter, "occasion": occasion }).to_string();
        self.send(
            Method::POST,
            &format!("/v1/dossiers/{code}/ask-evaluation"),
            None,
            Some(body),
        )
        .await
        .map(|_| ())
    }

    /// A citizen's lookup by dossier code and secret.
    pub async fn lookup(&self, code: &str, secret: &str) -> Result<LookupAnswer, SyncError> {
        let body = serde_json::json!({ "code": code, "secret": secret }).to_string();
        self.call(Method::POST, "/v1/lookup", None, Some(body)).await
    }

    /// Calls the next ticket for a counter.
    pub async fn call_next(
        &self,
        counter: &str,
        groups: &[String],
        officer: Option<&str>,
        key: &str,
    ) -> Result<Option<Ticket>, SyncError> {
        let body = serde_json::json!({ "counter": counter, "groups": groups, "officer": officer }).to_string();
        self.call(Method::POST, "/v1/queue/call", Some(key), Some(body)).await
    }

    /// Recall, skip (no-show) or complete a called ticket.
    pub async fn ticket_action(&self, id: i64, action: &str, counter: &str, key: &str) -> Result<Ticket, SyncError> {
        let body = serde_json::json!({ "counter": counter }).to_string();
        self.call(
            Method::POST,
            &format!("/v1/tickets/{id}/{action}"),
            Some(key),
            Some(body),
        )
        .await
    }

    /// Calls one waiting ticket out of turn.
    pub async fn call_number(&self, counter: &str, number: &str, key: &str) -> Result<Ticket, SyncError> {
        let body = serde_json::json!({ "counter": counter, "number": number }).to_string();
        self.call(Method::POST, "/v1/queue/call-number", Some(key), Some(body))
            .await
    }

    /// Moves a ticket to another group's queue (`to` a letter) or to
    /// another counter.
    pub async fn transfer(&self, id: i64, to: &Transfer, key: &str) -> Result<Ticket, SyncError> {
        let body = match to {
            Transfer::Group(g) => serde_json::json!({ "group": g }),
            Transfer::Counter(c) => serde_json::json!({ "counter": c }),
        }
        .to_string();
        self.call(
            Method::POST,
            &format!("/v1/tickets/{id}/transfer"),
            Some(key),
            Some(body),
        )
        .await
    }

    /// What a hall board shows: latest calls, waiting counts, notice.
    pub async fn board(&self) -> Result<motcua_api::model::BoardState, SyncError> {
        self.call(Method::GET, "/v1/board", None, None).await
    }

    /// Opens central's event stream. The stream has no overall deadline;
    /// its follower watches for silence instead (central sends a keep-alive
    /// every 15 s).
    pub async fn events(&self) -> Result<reqwest::Response, SyncError> {
        self.at_any(true, |base| self.events_at(base)).await
    }

    async fn events_at(&self, base: String) -> Result<reqwest::Response, SyncError> {
        let response = self
            .http
            .get(format!("{base}/v1/events"))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.credential))
            .timeout(Duration::from_secs(365 * 24 * 3600))
            .send()
            .await
            .map_err(SyncError::from_reqwest)?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            Ok(response)
        } else if (502..=504).contains(&status) {
            Err(server_error(status, "", None))
        } else {
            Err(SyncError::Rejected {
                status: response.status().as_u16(),
                message: "the event stream was refused".into(),
            })
        }
    }

    /// Sends a scanned document's file: announces it, then sends what
    /// central does not have yet in chunks of [`UPLOAD_CHUNK`] bytes. A
    /// drop leaves central with what it acknowledged; the next try asks
    /// again and goes on from there, so nothing is sent twice to be kept
    /// twice. Ends when central has checked the whole file's hash.
    pub async fn upload_document(
        &self,
        code: &str,
        document: &DocumentIn,
        file: &[u8],
        key: &str,
    ) -> Result<Upload, SyncError> {
        let base = format!("/v1/dossiers/{code}/documents");
        let body = serde_json::to_string(document).expect("a model serializes");
        let mut upload: Upload = self.call(Method::POST, &base, Some(key), Some(body)).await?;
        let mut sent_again = 0;
        while !upload.complete {
            let from = usize::try_from(upload.received).unwrap_or(usize::MAX).min(file.len());
            let to = (from + UPLOAD_CHUNK).min(file.len());
            let path = format!("{base}/{}?offset={from}", document.sha256);
            let chunk = Some(("application/octet-stream", file[from..to].to_vec()));
            let (status, text, retry_after) = self.exchange(Method::PUT, &path, None, chunk).await?;
            let answer = serde_json::from_str::<Upload>(&text);
            match (status.as_u16(), answer) {
                // A chunk taken moves central on; one that does not would
                // be sent for ever.
                (200..=299, Ok(next)) if next.complete || next.received > upload.received => upload = next,
                (200..=299, Ok(_)) => {
                    return Err(SyncError::Server {
                        status: status.as_u16(),
                        message: format!("central took no byte of a chunk at {from}"),
                        retry_after: None,
                    });
                }
                // Central has less (or more) than this device thought: go
                // on from what it has, a few times at most.
                (409, Ok(next)) if sent_again < 3 => {
                    sent_again += 1;
                    upload = next;
                }
                (s, _) => {
                    let error = serde_json::from_str::<ErrorBody>(&text).ok();
                    let mismatch = error.as_ref().is_some_and(|e| e.code == "document_hash_mismatch");
                    let message = error
                        .map(|e| e.message)
                        .unwrap_or_else(|| text.chars().take(200).collect());
                    return Err(match s {
                        429 => SyncError::Throttled { retry_after },
                        s if s >= 500 || (200..300).contains(&s) => SyncError::Server {
                            status: s,
                            message,
                            retry_after,
                        },
                        // Central dropped a file whose hash did not match
                        // what was announced (a chunk went wrong on the
                        // way): the next try starts again from 0.
                        422 if mismatch => SyncError::Server {
                            status: s,
                            message,
                            retry_after: None,
                        },
                        s => SyncError::Rejected { status: s, message },
                    });
                }
            }
        }
        Ok(upload)
    }

    /// A document's file, as central keeps it (checked against its name:
    /// the SHA-256 of what arrived must be `sha256`).
    pub async fn document_file(&self, code: &str, sha256: &str) -> Result<Vec<u8>, SyncError> {
        self.at_any(true, |base| self.document_file_at(base, code, sha256))
            .await
    }

    async fn document_file_at(&self, base: String, code: &str, sha256: &str) -> Result<Vec<u8>, SyncError> {
        let path = format!("/v1/dossiers/{code}/documents/{sha256}");
        let response = self
            .http
            .get(format!("{base}{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.credential))
            .send()
            .await
            .map_err(SyncError::from_reqwest)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(SyncError::from_reqwest)?;
        if (502..=504).contains(&status.as_u16()) {
            return Err(server_error(status.as_u16(), &String::from_utf8_lossy(&bytes), None));
        }
        if !status.is_success() {
            let message = serde_json::from_slice::<ErrorBody>(&bytes)
                .map(|e| e.message)
                .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).chars().take(200).collect());
            return Err(SyncError::Rejected {
                status: status.as_u16(),
                message,
            });
        }
        use sha2::Digest;
        let got: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if got != sha256 {
            return Err(SyncError::Server {
                status: status.as_u16(),
                message: "the file central served is not the one asked for".into(),
                retry_after: None,
            });
        }
        Ok(bytes.to_vec())
    }

    /// A dossier's documents, as central has them.
    pub async fn documents(&self, code: &str) -> Result<DocumentList, SyncError> {
        self.call(Method::GET, &format!("/v1/dossiers/{code}/documents"), None, None)
            .await
    }

    /// Sends one outbox record with its own Idempotency-Key.
    pub async fn deliver(&self, record: &OutboxRecord) -> Result<(), SyncError> {
        // Read back typed; what is sent is the typed payload's JSON, the
        // same bytes every time (central's idempotency check compares them).
        let payload = record.payload().map_err(|e| SyncError::Rejected {
            status: 0,
            message: e.to_string(),
        })?;
        if let crate::store::Payload::Document { .. } = payload {
            // Uploaded in chunks by the link, which has the file.
            return Err(SyncError::Rejected {
                status: 0,
                message: "a document is sent with its file".into(),
            });
        }
        let (method, path, body) = payload.request();
        let method = if method == "PUT" { Method::PUT } else { Method::POST };
        self.send(method, &path, Some(&record.key), Some(body))
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_and_refused_are_told_apart() {
        for e in [
            SyncError::Refused("connection refused".into()),
            SyncError::Unreachable("reset".into()),
            SyncError::Timeout,
        ] {
            assert!(e.is_unreachable(), "{e}");
            assert_eq!(e.status(), None);
        }
        let refused = SyncError::Rejected {
            status: 403,
            message: "revoked".into(),
        };
        assert_eq!(refused.failure(), Failure::Refused { status: 403 });
        assert_eq!(refused.status(), Some(403));
        let busy = SyncError::Server {
            status: 503,
            message: "busy".into(),
            retry_after: None,
        };
        assert_eq!((busy.is_unreachable(), busy.status()), (false, Some(503)));
        assert_eq!(SyncError::Throttled { retry_after: None }.status(), Some(429));
        let garbled = SyncError::Rejected {
            status: 0,
            message: "does not parse".into(),
        };
        assert_eq!(garbled.failure(), Failure::Invalid);
    }

    fn server(status: u16) -> SyncError {
        SyncError::Server {
            status,
            message: "x".into(),
            retry_after: None,
        }
    }

    /// An address out of reach moves on; an answer, which every address
    /// of the same central would give alike, does not.
    #[test]
    fn only_an_address_out_of_reach_moves_on() {
        for e in [
            SyncError::Refused("connection refused".into()),
            SyncError::Unreachable("connection reset".into()),
            SyncError::Timeout,
            server(502),
            server(503),
            server(504),
        ] {
            assert!(e.moves_on(), "{e}");
        }
        for e in [
            server(500),
            server(501),
            server(200),
            SyncError::Throttled { retry_after: None },
            SyncError::Rejected {
                status: 409,
                message: "x".into(),
            },
            SyncError::Rejected {
                status: 401,
                message: "x".into(),
            },
            SyncError::Untrusted("not our central".into()),
        ] {
            assert!(!e.moves_on(), "{e}");
        }
    }

    fn three() -> Client {
        let urls = ["http://127.0.0.1:1", "http://127.0.0.1:2/", "http://127.0.0.1:3"].map(String::from);
        Client::new("http://127.0.0.1:9", "", DEFAULT_TIMEOUT).with_addresses(&urls)
    }

    /// Runs `at_any` with each address answering as `answer` says; the
    /// addresses tried, in order, and the outcome.
    fn tried(
        client: &Client,
        repeatable: bool,
        answer: impl Fn(&str) -> Result<(), SyncError>,
    ) -> (Vec<String>, Result<(), SyncError>) {
        let seen = std::sync::Mutex::new(Vec::new());
        let outcome = futures::executor::block_on(client.at_any(repeatable, |base| {
            seen.lock().unwrap().push(base.clone());
            let a = answer(&base);
            async move { a }
        }));
        (seen.into_inner().unwrap(), outcome)
    }

    #[test]
    fn a_request_moves_every_clone_to_the_next_address_and_is_sent_there() {
        let client = three();
        assert_eq!(client.base(), "http://127.0.0.1:1");
        assert_eq!(client.addresses()[1], "http://127.0.0.1:2", "kept without the slash");
        let clone = client.clone();
        let (seen, outcome) = tried(&client, true, |base| match base {
            "http://127.0.0.1:1" => Err(SyncError::Unreachable("reset".into())),
            "http://127.0.0.1:2" => Err(server(502)),
            _ => Ok(()),
        });
        assert_eq!(outcome, Ok(()));
        assert_eq!(seen, ["http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3"]);
        assert_eq!(clone.base(), "http://127.0.0.1:3", "every clone moved");
        // The next request starts where the last one ended; past the last
        // address comes the first.
        let (seen, _) = tried(&clone, true, |base| match base {
            "http://127.0.0.1:3" => Err(SyncError::Timeout),
            _ => Ok(()),
        });
        assert_eq!(seen, ["http://127.0.0.1:3", "http://127.0.0.1:1"]);
    }

    /// Two requests that failed at the same address at once move the
    /// client one address on, not two: the second finds it moved.
    #[test]
    fn a_failure_at_an_address_already_left_moves_nothing() {
        let client = three();
        let why = SyncError::Timeout;
        assert!(client.move_on("http://127.0.0.1:1", &why));
        assert!(client.move_on("http://127.0.0.1:2", &why));
        assert!(
            client.clone().move_on("http://127.0.0.1:1", &why),
            "late news of the first"
        );
        assert_eq!(client.base(), "http://127.0.0.1:3");
        let one = Client::new("http://127.0.0.1:1", "", DEFAULT_TIMEOUT);
        assert!(!one.move_on("http://127.0.0.1:1", &why), "nowhere to go");
    }

    #[test]
    fn an_answer_stays_and_every_address_is_tried_once_at_most() {
        let client = three();
        let refused = SyncError::Rejected {
            status: 422,
            message: "bad".into(),
        };
        let (seen, outcome) = tried(&client, true, |_| Err(refused.clone()));
        assert_eq!((seen.len(), outcome), (1, Err(refused)), "a 4xx is an answer");
        assert_eq!(client.base(), "http://127.0.0.1:1");
        let (seen, outcome) = tried(&client, true, |_| Err(server(500)));
        assert_eq!((seen.len(), outcome), (1, Err(server(500))), "central's own 500");
        let (seen, outcome) = tried(&client, true, |_| Err(SyncError::Refused("refused".into())));
        assert_eq!(seen.len(), 3, "each address once: {seen:?}");
        assert_eq!(outcome, Err(SyncError::Refused("refused".into())));
        // One address: nowhere to move, and sent once.
        let one = Client::new("http://127.0.0.1:1", "", DEFAULT_TIMEOUT);
        let (seen, outcome) = tried(&one, true, |_| Err(SyncError::Timeout));
        assert_eq!((seen.len(), outcome), (1, Err(SyncError::Timeout)));
    }

    #[test]
    fn a_request_that_may_have_arrived_is_sent_again_only_if_that_does_no_harm() {
        // No key and not a read: moved on, not sent again.
        let client = three();
        let (seen, outcome) = tried(&client, false, |_| Err(SyncError::Unreachable("reset".into())));
        assert_eq!(seen.len(), 1);
        assert!(matches!(outcome, Err(SyncError::Unreachable(_))));
        assert_eq!(client.base(), "http://127.0.0.1:2", "the next request goes elsewhere");
        // A refused connection never arrived: safe to send anywhere.
        let (seen, outcome) = tried(&client, false, |base| match base {
            "http://127.0.0.1:2" => Err(SyncError::Refused("refused".into())),
            _ => Ok(()),
        });
        assert_eq!((seen.len(), outcome), (2, Ok(())));
        // Taken at the first, maybe, and refused at the others: the error
        // still says it may have arrived (a ticket's void follows it).
        let client = three();
        let (_, outcome) = tried(&client, true, |base| match base {
            "http://127.0.0.1:1" => Err(SyncError::Unreachable("reset".into())),
            _ => Err(SyncError::Refused("refused".into())),
        });
        assert!(
            matches!(&outcome, Err(SyncError::Unreachable(why)) if why.contains("may have taken")),
            "{outcome:?}"
        );
    }
}
