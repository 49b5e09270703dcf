//! A client for the national-portal style sync services the Vietnamese
//! one-stop platforms share: log in for a session, then POST envelopes
//! `{session, madonvi, service, …}` with a `dstcode` routing header; the
//! answer's `error_code` is 0, "0" or "00" on success.
//!
//! The password and the session never reach a log line or an error text.

use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use motcua_api::model::DossierOut;

/// How long a session is used before logging in again (as the platforms
/// that talk to the portal do); an answer saying the session is gone
/// also leads to a new login.
pub const SESSION_FOR: Duration = Duration::from_secs(600);
/// Progress items per CapNhatTienDoHoSoMC call.
pub const PROGRESS_BATCH: usize = 10;

/// Where and as whom to connect. Stored per office in central.
#[derive(Clone, PartialEq, Eq)]
pub struct Settings {
    pub url: String,
    pub auth_path: String,
    pub integration_path: String,
    pub share_path: String,
    pub username: String,
    pub password: crate::secrets::Secret,
    /// The routing header sent with every call.
    pub dstcode: String,
    /// The agency code (`madonvi`) sent in every envelope.
    pub madonvi: String,
    /// The agency's name, for the satisfaction totals.
    pub tendonvi: String,
    pub timeout: Duration,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("url", &self.url)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("dstcode", &self.dstcode)
            .field("madonvi", &self.madonvi)
            .finish_non_exhaustive()
    }
}

/// Why a call did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortalError {
    /// No answer, a timeout, an HTTP error or a garbled answer: try again later.
    #[error("the portal did not answer: {0}")]
    Unreachable(String),
    /// The login was refused.
    #[error("the portal refused the login: {0}")]
    Login(String),
    /// The session expired or is unknown.
    #[error("the portal's session expired")]
    Session,
    /// The dossier is already on the portal.
    #[error("the dossier already exists on the portal")]
    Exists,
    /// The dossier is not on the portal.
    #[error("the dossier does not exist on the portal")]
    Missing,
    /// Any other refusal, with the portal's own words.
    #[error("the portal refused ({code}): {message}")]
    Refused { code: String, message: String },
}

impl PortalError {
    /// Whether trying the same call later may succeed.
    pub fn transient(&self) -> bool {
        matches!(self, Self::Unreachable(_) | Self::Session)
    }
}

#[derive(Debug, Clone, Copy)]
enum Endpoint {
    Integration,
    Share,
}

/// Reads an `error_code` that may be a number or a string ("0", "00").
fn code_of(answer: &Value) -> Option<(i64, String)> {
    let raw = answer.get("error_code")?;
    let text = match raw {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    text.parse::<i64>().ok().map(|n| (n, text))
}

/// Sorts an answer into success (`Ok`) or the kind of failure.
pub fn judge(answer: &Value) -> Result<(), PortalError> {
    let message = answer.get("message").and_then(Value::as_str).unwrap_or("").to_string();
    let Some((code, text)) = code_of(answer) else {
        return Err(PortalError::Unreachable("the answer has no error_code".into()));
    };
    if code == 0 {
        return Ok(());
    }
    // Before the "does not exist" check: "phiên làm việc không tồn tại" is
    // a lost session, not a missing dossier.
    if session_expired(&message) {
        return Err(PortalError::Session);
    }
    let lower = message.to_lowercase();
    if lower.contains("đã tồn tại") || lower.contains("already exist") || code == 3 || code == -3 {
        return Err(PortalError::Exists);
    }
    if lower.contains("không tồn tại") || lower.contains("does not exist") {
        return Err(PortalError::Missing);
    }
    Err(PortalError::Refused { code: text, message })
}

/// The answers, word for word (diacritics folded), by which a portal says
/// its session is gone. The portals answer a lost session with the same
/// `error_code` as any refusal (-1), so only the words tell. A loose match
/// would be worse than none: "phiên bản" (version) or "session" in some
/// other sentence would turn a permanent refusal into a login and a retry
/// for ever.
const SESSION_GONE: &[&str] = &[
    "phien lam viec khong hop le",
    "phien lam viec da het han",
    "phien lam viec het han",
    "phien lam viec khong ton tai",
    "het phien lam viec",
    "phien dang nhap khong hop le",
    "phien dang nhap da het han",
    "phien dang nhap het han",
    "session khong hop le",
    "session da het han",
    "session het han",
    "session expired",
    "session has expired",
    "session is expired",
    "session is invalid",
    "session is not valid",
    "invalid session",
    "session not found",
    "session timeout",
    "session timed out",
];

/// Whether `message` says the session expired: one of [`SESSION_GONE`] as
/// whole words, with or without diacritics, in any case.
pub fn session_expired(message: &str) -> bool {
    let words: Vec<String> = motcua_core::search::fold(message)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    SESSION_GONE.iter().any(|phrase| {
        let phrase: Vec<&str> = phrase.split(' ').collect();
        words
            .windows(phrase.len())
            .any(|w| w.iter().zip(&phrase).all(|(a, b)| a == b))
    })
}

/// A connection to one office's portal.
pub struct Dvcqg {
    settings: Settings,
    http: reqwest::Client,
    session: tokio::sync::Mutex<Option<(String, Instant)>>,
}

impl Dvcqg {
    pub fn new(settings: Settings) -> Self {
        Self::with_roots(settings, Vec::new())
    }

    /// A connection trusting the system's roots plus `city`.
    pub fn with_roots(settings: Settings, city: Vec<reqwest::Certificate>) -> Self {
        crate::tls::init();
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .tls_certs_merge(city)
            .build()
            .expect("an HTTP client");
        Self {
            settings,
            http,
            session: tokio::sync::Mutex::new(None),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.settings.url.trim_end_matches('/'), path)
    }

    async fn post(&self, url: &str, body: &Value) -> Result<Value, PortalError> {
        let mut request = self
            .http
            .post(url)
            .header("Accept", "application/json")
            .header("Charset", "utf-8")
            .json(body);
        if !self.settings.dstcode.is_empty() {
            request = request.header("dstcode", &self.settings.dstcode);
        }
        // reqwest's error text names the URL only, never the body.
        let answer = request
            .send()
            .await
            .map_err(|e| PortalError::Unreachable(e.without_url().to_string()))?;
        let status = answer.status();
        if !status.is_success() {
            return Err(PortalError::Unreachable(format!("HTTP {status}")));
        }
        answer
            .json::<Value>()
            .await
            .map_err(|e| PortalError::Unreachable(format!("the answer is not JSON: {}", e.without_url())))
    }

    /// Logs in and keeps the session.
    pub async fn login(&self) -> Result<String, PortalError> {
        let body = json!({"username": self.settings.username, "password": self.settings.password.expose()});
        let answer = self.post(&self.url(&self.settings.auth_path), &body).await?;
        let session = answer.get("session").and_then(Value::as_str).map(str::to_string);
        match (judge(&answer), session) {
            (Ok(()), Some(s)) if !s.is_empty() => {
                *self.session.lock().await = Some((s.clone(), Instant::now()));
                tracing::info!(portal = %self.settings.url, agency = %self.settings.madonvi, "logged in to the portal");
                Ok(s)
            }
            (Ok(()), _) => Err(PortalError::Login("no session in the answer".into())),
            (Err(PortalError::Unreachable(e)), _) => Err(PortalError::Unreachable(e)),
            (Err(_), _) => Err(PortalError::Login(
                answer
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("refused")
                    .to_string(),
            )),
        }
    }

    async fn session(&self) -> Result<String, PortalError> {
        let current = self.session.lock().await.clone();
        match current {
            Some((s, at)) if at.elapsed() < SESSION_FOR => Ok(s),
            _ => self.login().await,
        }
    }

    /// Calls a service; a lost session is renewed once.
    async fn call(&self, endpoint: Endpoint, service: &str, keys: Map<String, Value>) -> Result<Value, PortalError> {
        let path = match endpoint {
            Endpoint::Integration => &self.settings.integration_path,
            Endpoint::Share => &self.settings.share_path,
        };
        let url = self.url(path);
        for attempt in 0..2 {
            let session = self.session().await?;
            let mut body = keys.clone();
            body.insert("session".into(), session.into());
            body.insert("madonvi".into(), self.settings.madonvi.clone().into());
            body.insert("service".into(), service.into());
            let answer = self.post(&url, &Value::Object(body)).await?;
            match judge(&answer) {
                Ok(()) => return Ok(answer),
                Err(PortalError::Session) if attempt == 0 => {
                    tracing::info!(service, "the portal's session expired; logging in again");
                    *self.session.lock().await = None;
                }
                Err(e) => return Err(e),
            }
        }
        Err(PortalError::Session)
    }

    /// LayDanhSachTTHC: the procedures' codes and names.
    pub async fn procedures(&self) -> Result<Vec<(String, String)>, PortalError> {
        let answer = self.call(Endpoint::Share, "LayDanhSachTTHC", Map::new()).await?;
        Ok(result(&answer)
            .iter()
            .filter_map(|p| Some((text(p, "MATTHC")?, text(p, "TENTTHC").unwrap_or_default())))
            .collect())
    }

    /// LayThuTuc: one procedure's details, if the portal knows it.
    pub async fn procedure(&self, code: &str) -> Result<Option<Value>, PortalError> {
        let mut keys = Map::new();
        keys.insert("maTTHC".into(), code.into());
        let answer = self.call(Endpoint::Integration, "LayThuTuc", keys).await?;
        Ok(result(&answer).first().cloned())
    }

    /// TraCuuHoSo: whether the portal has this dossier.
    pub async fn exists(&self, code: &str) -> Result<bool, PortalError> {
        let mut keys = Map::new();
        keys.insert("mahoso".into(), code.into());
        let answer = self.call(Endpoint::Integration, "TraCuuHoSo", keys).await?;
        Ok(!result(&answer).is_empty())
    }

    /// DongBoHoSoMC for one dossier, as a new one or an update.
    pub async fn push_dossier(&self, dossier: &Value, updating: bool) -> Result<(), PortalError> {
        let mut keys = Map::new();
        keys.insert("isUpdating".into(), if updating { "True" } else { "False" }.into());
        keys.insert("data".into(), json!([dossier]));
        self.call(Endpoint::Integration, "DongBoHoSoMC", keys).await.map(|_| ())
    }

    /// CapNhatTienDoHoSoMC, in batches the portal accepts.
    pub async fn push_progress(&self, items: &[Value]) -> Result<(), PortalError> {
        for batch in items.chunks(PROGRESS_BATCH) {
            let mut keys = Map::new();
            keys.insert("data".into(), Value::Array(batch.to_vec()));
            self.call(Endpoint::Integration, "CapNhatTienDoHoSoMC", keys).await?;
        }
        Ok(())
    }

    /// One dossier's evaluation ([`super::evaluations::SERVICE`]).
    pub async fn push_evaluation(&self, item: &Value) -> Result<(), PortalError> {
        let mut keys = Map::new();
        keys.insert("data".into(), json!([item]));
        self.call(Endpoint::Integration, super::evaluations::SERVICE, keys)
            .await
            .map(|_| ())
    }

    /// DongBoDanhGia: the month's satisfaction totals, one item a question.
    pub async fn push_ratings(&self, items: &[Value]) -> Result<(), PortalError> {
        let mut keys = Map::new();
        keys.insert("data".into(), Value::Array(items.to_vec()));
        self.call(Endpoint::Integration, "DongBoDanhGia", keys)
            .await
            .map(|_| ())
    }
}

fn result(answer: &Value) -> Vec<Value> {
    answer
        .get("result")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A time as the portal writes it: `yyyyMMddHHmmss` in Vietnam time; an
/// unreadable or missing time is the empty string.
pub fn portal_time(rfc3339: &str) -> String {
    rfc3339
        .parse::<jiff::Timestamp>()
        .map(|t| motcua_core::time::local(t).strftime("%Y%m%d%H%M%S").to_string())
        .unwrap_or_default()
}

/// The DongBoHoSoMC object of a dossier, reported with `national` status.
pub fn dossier_object(code: &str, d: &DossierOut, national: u8, agency_name: &str, at: &str) -> Value {
    let received = portal_time(&d.received_at);
    let id = d.applicant.id_number.trim();
    let fees: Vec<Value> = if d.fees > 0 {
        vec![
            json!({"TenPhiLePhi": "Phí, lệ phí", "MaPhiLePhi": "1", "HinhThucThu": "1", "Gia": d.fees.to_string(), "LoaiPhiLePhi": "1"}),
        ]
    } else {
        Vec::new()
    };
    let papers: Vec<Value> = d
        .documents
        .iter()
        .map(|doc| json!({"TenGiayTo": doc.name, "SoLuong": u32::from(doc.originals) + u32::from(doc.copies), "LoaiGiayTo": if doc.originals > 0 { 1 } else { 2 }}))
        .collect();
    json!({
        "MaHoSo": code,
        "MaTTHC": d.procedure_code,
        "TenTTHC": d.procedure_name,
        "MaLinhVuc": "",
        "TenLinhVuc": "",
        "SoBienNhan": "",
        "ChuHoSo": d.applicant.name,
        "LoaiDoiTuong": if d.applicant.kind == 2 { "2" } else { "1" },
        "MaDoiTuong": "",
        "ThongTinKhac": "",
        "Email": d.applicant.email.clone().unwrap_or_default(),
        "Fax": "",
        "SoDienThoai": d.applicant.phone,
        "TrichYeuHoSo": d.procedure_name,
        "NgayTiepNhan": received,
        "NgayHenTra": portal_time(&d.due_at),
        "TrangThaiHoSo": national.to_string(),
        "NgayTra": if national == 10 { portal_time(at) } else { String::new() },
        "ThongTinTra": "",
        "HinhThuc": "0",
        "NgayKetThucXuLy": if national >= 9 { portal_time(at) } else { String::new() },
        "DonViXuLy": agency_name,
        "GhiChu": "",
        "TaiLieuNop": [],
        "DanhSachLePhi": fees,
        "DanhSachTepDinhKemKhac": papers,
        "DanhSachHoSoBoSung": [],
        "DanhSachGiayToKetQua": [],
        "KenhThucHien": d.channel.to_string(),
        "SoGiayToChuHoSo": id,
        "NgayNopHoSo": received,
        "DinhDanhCHS": [{"LoaiDinhDanh": if id.len() == 12 { "1" } else { "2" }, "SoDinhDanh": id}],
    })
}

/// The CapNhatTienDoHoSoMC item of one status change.
pub fn progress_item(code: &str, national: u8, action: &str, officer: &str, at: &str, note: &str) -> Value {
    let what = if note.trim().is_empty() {
        action.to_string()
    } else {
        format!("{action} - {}", note.trim())
    };
    json!({
        "MaHoSo": code,
        "NguoiXuLy": if officer.trim().is_empty() { "Cán bộ một cửa" } else { officer },
        "ChucDanh": "",
        "ThoiDiemXuLy": portal_time(at),
        "PhongBanXuLy": "Bộ phận Một cửa",
        "NoiDungXuLy": what,
        "TrangThai": national.to_string(),
        "NgayBatDau": "",
        "NgayKetThucTheoQuyDinh": "",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_is_0_or_the_strings_0_and_00() {
        for ok in [
            json!({"error_code": 0}),
            json!({"error_code": "0"}),
            json!({"error_code": "00"}),
        ] {
            assert_eq!(judge(&ok), Ok(()), "{ok}");
        }
        assert_eq!(
            judge(&json!({"error_code": "3", "message": "Hồ sơ đã tồn tại"})),
            Err(PortalError::Exists)
        );
        assert_eq!(
            judge(&json!({"error_code": -2, "message": "Hồ sơ không tồn tại"})),
            Err(PortalError::Missing)
        );
        assert_eq!(
            judge(&json!({"error_code": -1, "message": "Phiên làm việc không hợp lệ hoặc đã hết hạn"})),
            Err(PortalError::Session)
        );
        assert!(matches!(
            judge(&json!({"error_code": "-1", "message": "Thiếu trường NgayTiepNhan"})),
            Err(PortalError::Refused { .. })
        ));
        assert_eq!(
            judge(&json!({"error_code": -1, "message": "Phiên làm việc không tồn tại"})),
            Err(PortalError::Session)
        );
        assert!(matches!(
            judge(&json!({"message": "x"})),
            Err(PortalError::Unreachable(_))
        ));
    }

    #[test]
    fn only_a_lost_session_is_taken_for_one() {
        // Permanent refusals that merely contain "phiên" or "session".
        for refusal in [
            "Phiên bản dữ liệu không được hỗ trợ",
            "Phiên bản API không hợp lệ",
            "PHIÊN BẢN CŨ",
            "Thiếu trường SessionId trong dữ liệu",
            "Sessions are limited to 5 per agency",
        ] {
            let answer = json!({"error_code": -1, "message": refusal});
            assert!(
                matches!(judge(&answer), Err(PortalError::Refused { .. })),
                "{refusal}: {:?}",
                judge(&answer)
            );
            assert!(!judge(&answer).unwrap_err().transient(), "{refusal}");
        }
        // The ways a portal says the session is gone, however written.
        for expired in [
            "Phiên làm việc không hợp lệ hoặc đã hết hạn (session expired)",
            "Phien lam viec da het han",
            "PHIÊN ĐĂNG NHẬP ĐÃ HẾT HẠN.",
            "Invalid session",
            "Your session has expired, please log in",
            // Decomposed (NFD) Vietnamese, as some systems send it.
            "Phie\u{302}n la\u{300}m vie\u{323}\u{302}c he\u{302}\u{301}t ha\u{323}n",
        ] {
            let answer = json!({"error_code": "-1", "message": expired});
            assert_eq!(judge(&answer), Err(PortalError::Session), "{expired}");
        }
    }

    #[test]
    fn times_are_14_digits_in_vietnam_time() {
        assert_eq!(portal_time("2026-11-28T02:41:05Z"), "20261128094105");
        assert_eq!(portal_time("2026-11-28T20:00:00Z"), "20261129030000");
        assert_eq!(portal_time("yesterday"), "");
    }

    #[test]
    fn the_settings_never_print_the_password() {
        let s = Settings {
            url: "http://portal".into(),
            auth_path: "/auth".into(),
            integration_path: "/integration".into(),
            share_path: "/share".into(),
            username: "motcua".into(),
            password: "bí-mật-123".into(),
            dstcode: "G22".into(),
            madonvi: "000.00.01.H26".into(),
            tendonvi: "UBND phường".into(),
            timeout: Duration::from_secs(6),
        };
        assert!(!format!("{s:?}").contains("bí-mật"));
    }
}
