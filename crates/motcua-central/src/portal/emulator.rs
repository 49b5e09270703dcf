//! An emulator of a national-portal style sync endpoint (as described in
//! the project's notes on the DVCQG protocol), on 127.0.0.1: login with a
//! session that expires, envelopes `{session, madonvi, service, …}` with a
//! `dstcode` header, error codes given as 0, "0" or "00", "already exists"
//! answers, and faults a test queues (HTTP errors, slow or lost answers).
//! The integration tests and `motcua dev simulate` run central against it.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// The portal's account and codes.
#[derive(Debug, Clone)]
pub struct PortalConfig {
    pub username: String,
    pub password: String,
    pub dstcode: String,
    pub madonvi: String,
    pub session_ttl: Duration,
}

impl Default for PortalConfig {
    fn default() -> Self {
        Self {
            username: "motcua".into(),
            password: "bí-mật-123".into(),
            dstcode: "000.00.00.G22".into(),
            madonvi: "000.00.01.H26".into(),
            session_ttl: Duration::from_secs(600),
        }
    }
}

/// What the next matching request meets.
#[derive(Debug, Clone)]
pub enum Fault {
    /// This HTTP status with an empty body; the request is not applied.
    Http(u16),
    /// The request is applied, the answer comes after this long.
    Slow(Duration),
    /// The request is applied, the answer is lost (502, no body).
    LoseReply,
    /// This error_code and message; the request is not applied.
    Error(Value, String),
}

/// One request as the portal saw it.
#[derive(Debug, Clone)]
pub struct Call {
    /// The service, or "login".
    pub service: String,
    /// The dossier codes it carried.
    pub codes: Vec<String>,
    pub updating: Option<bool>,
    pub ok: bool,
}

struct PortalState {
    config: PortalConfig,
    sessions: HashMap<String, Instant>,
    procedures: Vec<Value>,
    dossiers: BTreeMap<String, Value>,
    writes: HashMap<String, (u32, u32)>,
    progress: Vec<Value>,
    ratings: Vec<Value>,
    evaluations: Vec<Value>,
    calls: Vec<Call>,
    logins: u32,
    faults: VecDeque<(Option<String>, Fault)>,
    answered: u64,
}

/// A running emulator; dropping it stops it.
pub struct Portal {
    addr: SocketAddr,
    state: Arc<Mutex<PortalState>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Three real procedures, as LayThuTuc gives them.
pub fn seed_procedures() -> Vec<Value> {
    let one = |code: &str, name: &str, field: (&str, &str), days: u32, fee: u32, papers: &[(&str, u32, u32)]| {
        json!({
            "ID": code, "MATTHC": code, "TENTTHC": name, "LOAITTHC": 1, "TRANGTHAI": 1,
            "LINHVUCTHUCHIEN": [{"MALINHVUC": field.0, "TENLINHVUC": field.1}],
            "CACHTHUCTHUCHIEN": [{"KENH": 1, "THOIGIAN": [{"THOIGIANGIAIQUYET": days, "DONVITINH": "Ngày làm việc", "MOTA": "",
                "PHILEPHI": if fee > 0 { json!([{"MAPHILEPHI": "LP", "SOTIEN": fee, "DONVI": "Đồng", "MOTA": "Lệ phí"}]) } else { json!([]) }}]}],
            "THANHPHANHOSO": [{"TRUONGHOP": "", "GIAYTO": papers.iter().enumerate().map(|(i, (n, o, c))| json!({"MAGIAYTO": i.to_string(), "TENGIAYTO": n, "SOBANCHINH": o, "SOBANSAO": c})).collect::<Vec<_>>()}],
            "YEUCAU": "Không",
            "CAPTHUCHIEN": [{"CAPTHUCHIEN": 3, "DIACHITIEPNHAN": "Bộ phận Một cửa UBND cấp xã"}],
            "COQUANTHUCHIEN": [{"MADONVI": "000.00.01.H26", "TENDONVI": "Ủy ban nhân dân cấp xã"}],
            "KETQUATHUCHIEN": [{"MAKETQUA": "KQ", "TENKETQUA": "Kết quả"}],
        })
    };
    vec![
        one(
            "1.001193",
            "Thủ tục đăng ký khai sinh",
            ("HT", "Hộ tịch"),
            1,
            0,
            &[("Tờ khai đăng ký khai sinh", 1, 0), ("Giấy chứng sinh", 1, 0)],
        ),
        one(
            "1.000656",
            "Thủ tục đăng ký kết hôn",
            ("HT", "Hộ tịch"),
            1,
            0,
            &[("Tờ khai đăng ký kết hôn", 1, 0)],
        ),
        one(
            "9.999001",
            "Thủ tục thử nghiệm chỉ có trên cổng",
            ("TN", "Thử nghiệm"),
            5,
            50_000,
            &[("Đơn đề nghị", 1, 1)],
        ),
    ]
}

fn code_of(st: &mut PortalState) -> Value {
    st.answered += 1;
    match st.answered % 3 {
        1 => json!(0),
        2 => json!("0"),
        _ => json!("00"),
    }
}

fn ok(st: &mut PortalState, mut extra: serde_json::Map<String, Value>) -> Value {
    extra.insert("error_code".into(), code_of(st));
    extra.insert("message".into(), "Thành công".into());
    Value::Object(extra)
}

fn error(code: Value, message: &str) -> Value {
    json!({"error_code": code, "message": message})
}

fn with_result(st: &mut PortalState, result: Vec<Value>) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("result".into(), Value::Array(result));
    ok(st, m)
}

fn is_time(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.len() == 14 && s.chars().all(|c| c.is_ascii_digit()))
}

fn is_status(v: &Value) -> bool {
    v.as_str()
        .and_then(|s| s.parse::<u8>().ok())
        .is_some_and(|n| (1..=10).contains(&n))
}

/// The answer to a request, and whether it changed anything.
fn answer(st: &mut PortalState, endpoint: &str, dstcode: Option<&str>, body: &Value) -> Value {
    if endpoint == "auth" {
        let good = body["username"] == st.config.username.as_str() && body["password"] == st.config.password.as_str();
        if !good {
            return error(json!(-1), "Sai tên đăng nhập hoặc mật khẩu");
        }
        st.logins += 1;
        let session = format!("phien-{}-{}", st.logins, st.answered);
        st.sessions.insert(session.clone(), Instant::now());
        let mut m = serde_json::Map::new();
        m.insert("session".into(), session.into());
        return ok(st, m);
    }
    if dstcode != Some(st.config.dstcode.as_str()) {
        return error(json!(-1), "Thiếu hoặc sai dstcode");
    }
    let live = body["session"]
        .as_str()
        .and_then(|s| st.sessions.get(s))
        .is_some_and(|at| at.elapsed() < st.config.session_ttl);
    if !live {
        return error(
            json!(-1),
            "Phiên làm việc không hợp lệ hoặc đã hết hạn (session expired)",
        );
    }
    if body["madonvi"] != st.config.madonvi.as_str() {
        return error(json!(-1), "Sai mã đơn vị");
    }
    let service = body["service"].as_str().unwrap_or_default().to_string();
    let data = body["data"].as_array().cloned().unwrap_or_default();
    match (endpoint, service.as_str()) {
        ("share", "LayDanhSachTTHC") => {
            let list = st
                .procedures
                .iter()
                .map(|p| json!({"MATTHC": p["MATTHC"], "TENTTHC": p["TENTTHC"]}))
                .collect();
            with_result(st, list)
        }
        ("integration", "LayThuTuc") => {
            let found: Vec<Value> = st
                .procedures
                .iter()
                .filter(|p| p["MATTHC"] == body["maTTHC"])
                .cloned()
                .collect();
            with_result(st, found)
        }
        ("integration", "TraCuuHoSo") => {
            let found: Vec<Value> = body["mahoso"]
                .as_str()
                .and_then(|c| st.dossiers.get(c))
                .map(|d| json!({"MaHoSo": d["MaHoSo"], "TrangThaiHoSo": d["TrangThaiHoSo"]}))
                .into_iter()
                .collect();
            with_result(st, found)
        }
        ("integration", "DongBoHoSoMC") => {
            let updating = match body["isUpdating"].as_str() {
                Some("True") => true,
                Some("False") => false,
                _ => return error(json!(-1), "isUpdating phải là \"True\" hoặc \"False\""),
            };
            for d in &data {
                for key in ["MaHoSo", "MaTTHC", "TenTTHC"] {
                    if d[key].as_str().is_none_or(str::is_empty) {
                        return error(json!(-1), &format!("Thiếu trường {key}"));
                    }
                }
                for key in ["NgayTiepNhan", "NgayHenTra"] {
                    if !is_time(&d[key]) {
                        return error(json!(-1), &format!("Trường {key} không đúng định dạng yyyyMMddHHmmss"));
                    }
                }
                if !is_status(&d["TrangThaiHoSo"]) {
                    return error(json!(-1), "Trường TrangThaiHoSo không hợp lệ");
                }
                let code = d["MaHoSo"].as_str().unwrap_or_default();
                match (updating, st.dossiers.contains_key(code)) {
                    (false, true) => return error(json!("3"), "Hồ sơ đã tồn tại"),
                    (true, false) => return error(json!("-2"), "Hồ sơ không tồn tại"),
                    _ => {}
                }
            }
            for d in data {
                let code = d["MaHoSo"].as_str().unwrap_or_default().to_string();
                let w = st.writes.entry(code.clone()).or_default();
                if updating {
                    w.1 += 1
                } else {
                    w.0 += 1
                }
                st.dossiers.insert(code, d);
            }
            ok(st, serde_json::Map::new())
        }
        ("integration", "CapNhatTienDoHoSoMC") => {
            if data.len() > 10 {
                return error(json!(-1), "Tối đa 10 mục mỗi lần");
            }
            for p in &data {
                if !p["MaHoSo"].as_str().is_some_and(|c| st.dossiers.contains_key(c)) {
                    return error(json!("-2"), "Hồ sơ không tồn tại");
                }
                if !is_time(&p["ThoiDiemXuLy"]) || !is_status(&p["TrangThai"]) {
                    return error(json!(-1), "Mục tiến độ không hợp lệ");
                }
            }
            st.progress.extend(data);
            ok(st, serde_json::Map::new())
        }
        ("integration", "DongBoDanhGia") => {
            for item in data {
                st.ratings
                    .retain(|r| !(r["NgayTongHop"] == item["NgayTongHop"] && r["NoiDung"] == item["NoiDung"]));
                st.ratings.push(item);
            }
            ok(st, serde_json::Map::new())
        }
        ("integration", super::evaluations::SERVICE) => {
            for e in &data {
                if !e["MaHoSo"].as_str().is_some_and(|c| st.dossiers.contains_key(c)) {
                    return error(json!("-2"), "Hồ sơ không tồn tại");
                }
                if !is_time(&e["ThoiDiemDanhGia"]) || e["DanhSachTieuChi"].as_array().is_none_or(|c| c.is_empty()) {
                    return error(json!(-1), "Mục đánh giá không hợp lệ");
                }
            }
            st.evaluations.extend(data);
            ok(st, serde_json::Map::new())
        }
        _ => error(json!(-1), "Dịch vụ không tồn tại"),
    }
}

async fn handle(state: Arc<Mutex<PortalState>>, endpoint: &'static str, headers: HeaderMap, body: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "not JSON").into_response();
    };
    let service = if endpoint == "auth" {
        "login".to_string()
    } else {
        body["service"].as_str().unwrap_or_default().to_string()
    };
    let (reply, fault) = {
        let mut st = state.lock().unwrap();
        let at = st
            .faults
            .iter()
            .position(|(target, _)| target.as_deref().is_none_or(|t| t == service));
        let fault = at.and_then(|i| st.faults.remove(i)).map(|(_, f)| f);
        let reply = match &fault {
            Some(Fault::Http(_)) => Value::Null,
            Some(Fault::Error(code, message)) => error(code.clone(), message),
            _ => answer(
                &mut st,
                endpoint,
                headers.get("dstcode").and_then(|v| v.to_str().ok()),
                &body,
            ),
        };
        let codes = body["data"]
            .as_array()
            .map(|d| {
                d.iter()
                    .filter_map(|x| x["MaHoSo"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let okay = reply["error_code"]
            .as_str()
            .map_or(reply["error_code"] == 0, |c| c == "0" || c == "00");
        st.calls.push(Call {
            service,
            codes,
            updating: body["isUpdating"].as_str().map(|u| u == "True"),
            ok: okay && !matches!(fault, Some(Fault::Http(_)) | Some(Fault::LoseReply)),
        });
        (reply, fault)
    };
    match fault {
        Some(Fault::Http(code)) => StatusCode::from_u16(code)
            .unwrap_or(StatusCode::BAD_GATEWAY)
            .into_response(),
        Some(Fault::LoseReply) => StatusCode::BAD_GATEWAY.into_response(),
        Some(Fault::Slow(d)) => {
            tokio::time::sleep(d).await;
            axum::Json(reply).into_response()
        }
        _ => axum::Json(reply).into_response(),
    }
}

impl Portal {
    /// Starts the emulator on a free loopback port, on its own thread.
    pub fn start(config: PortalConfig) -> Self {
        let state = Arc::new(Mutex::new(PortalState {
            config,
            sessions: HashMap::new(),
            procedures: seed_procedures(),
            dossiers: BTreeMap::new(),
            writes: HashMap::new(),
            progress: Vec::new(),
            ratings: Vec::new(),
            evaluations: Vec::new(),
            calls: Vec::new(),
            logins: 0,
            faults: VecDeque::new(),
            answered: 0,
        }));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let route = |endpoint: &'static str| {
                    post(
                        move |State(s): State<Arc<Mutex<PortalState>>>, h: HeaderMap, b: Bytes| {
                            handle(s, endpoint, h, b)
                        },
                    )
                };
                let app = Router::new()
                    .route("/auth", route("auth"))
                    .route("/integration", route("integration"))
                    .route("/share", route("share"))
                    .with_state(shared);
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                tokio::select! {
                    _ = axum::serve(listener, app) => {}
                    _ = stopped => {}
                }
            });
        });
        Self {
            addr,
            state,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Where the emulator listens.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn st(&self) -> MutexGuard<'_, PortalState> {
        self.state.lock().unwrap()
    }

    /// Queues a fault for the next request to `service` (any, if `None`;
    /// "login" for the login).
    pub fn push_fault(&self, service: Option<&str>, fault: Fault) {
        self.st().faults.push_back((service.map(str::to_string), fault));
    }

    /// Forgets the faults no request has met yet.
    /// Drops the faults no request met yet; returns how many there were.
    pub fn clear_faults(&self) -> usize {
        let mut st = self.st();
        let unmet = st.faults.len();
        st.faults.clear();
        unmet
    }

    /// Ends every session: the next request must log in again.
    pub fn expire_sessions(&self) {
        self.st().sessions.clear();
    }

    /// The procedures the portal lists from now on.
    pub fn set_procedures(&self, procedures: Vec<Value>) {
        self.st().procedures = procedures;
    }

    /// Every request so far, in arrival order.
    pub fn calls(&self) -> Vec<Call> {
        self.st().calls.clone()
    }

    /// Successful logins so far.
    pub fn logins(&self) -> u32 {
        self.st().logins
    }

    /// The dossier as the portal keeps it.
    pub fn dossier(&self, code: &str) -> Option<Value> {
        self.st().dossiers.get(code).cloned()
    }

    /// How often a dossier was created and updated.
    pub fn dossier_writes(&self, code: &str) -> (u32, u32) {
        self.st().writes.get(code).copied().unwrap_or_default()
    }

    /// The progress items of a dossier, in arrival order.
    pub fn progress(&self, code: &str) -> Vec<Value> {
        self.st()
            .progress
            .iter()
            .filter(|p| p["MaHoSo"] == code)
            .cloned()
            .collect()
    }

    /// The satisfaction totals the portal keeps.
    /// The dossier evaluations taken, in the order they came.
    pub fn evaluations(&self) -> Vec<Value> {
        self.st().evaluations.clone()
    }

    pub fn ratings(&self) -> Vec<Value> {
        self.st().ratings.clone()
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
