//! Where accepted dossiers go next. Per office: nowhere (central is the
//! system of record), or a national-portal style system (the city's "Hệ
//! thống thông tin giải quyết TTHC", synced with the Cổng Dịch vụ công
//! quốc gia).
//!
//! Every status change of a dossier (its acceptance included) is written
//! to a durable outbox in the same commit as the change itself, and sent
//! once and in order: DongBoHoSoMC (create, or update when the portal
//! already has it), then CapNhatTienDoHoSoMC. The same retry, backoff and
//! failure rules as the kiosk's outbox apply: no answer → try again later
//! with capped, jittered backoff; a refusal → the record is failed with the
//! portal's reason, and later records of that dossier wait behind it.
//! Satisfaction goes as monthly totals per question (DongBoDanhGia).

pub mod dvcqg;
pub mod emulator;
pub mod mapping;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use super::App;
use super::error::ApiError;
pub use dvcqg::{Dvcqg, PortalError, Settings};
pub use mapping::Mapping;
use motcua_core::catalog::{Catalog, Document, Fee, Field, Level, Procedure};

/// Tables of the adapter: migration 2 of central's schema
/// (`central::db`). It has shipped: change these tables with a new
/// migration there, never by editing this text.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS portal_settings (
    office TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    auth_path TEXT NOT NULL,
    integration_path TEXT NOT NULL,
    share_path TEXT NOT NULL,
    username TEXT NOT NULL,
    password TEXT NOT NULL,
    dstcode TEXT NOT NULL,
    madonvi TEXT NOT NULL,
    tendonvi TEXT NOT NULL,
    timeout_ms INTEGER NOT NULL,
    mapping TEXT NOT NULL
) WITHOUT ROWID;
-- One record per status change of a dossier, written with the change.
CREATE TABLE IF NOT EXISTS portal_outbox (
    id INTEGER PRIMARY KEY,
    office TEXT NOT NULL,
    code TEXT NOT NULL,
    status INTEGER NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    -- 1 once DongBoHoSoMC went through; CapNhatTienDoHoSoMC is next.
    step INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT
);
CREATE INDEX IF NOT EXISTS portal_outbox_next ON portal_outbox (office, state, id);
-- Dossiers the portal is known to have: later pushes are updates.
CREATE TABLE IF NOT EXISTS portal_dossiers (
    office TEXT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (office, code)
) WITHOUT ROWID;
-- The satisfaction totals last sent, per month.
CREATE TABLE IF NOT EXISTS portal_ratings_sent (
    office TEXT NOT NULL,
    month TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (office, month)
) WITHOUT ROWID;
";

/// Default paths of the three endpoints under the portal's URL.
pub const AUTH_PATH: &str = "/auth";
pub const INTEGRATION_PATH: &str = "/integration";
pub const SHARE_PATH: &str = "/share";

/// Writes the record of a status change, when the office sends dossiers on.
pub fn enqueue(conn: &Connection, office: &str, code: &str, status: u8, at: &str, note: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO portal_outbox (office, code, status, at, note)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM portal_settings WHERE office = ?1)",
    )?
    .execute(params![office, code, status, at, note])?;
    Ok(())
}

/// An office's portal and mapping; `None` when it sends nothing on.
pub fn settings(conn: &Connection, office: &str) -> Result<Option<(Settings, Mapping)>, ApiError> {
    let row = conn
        .query_row(
            "SELECT url, auth_path, integration_path, share_path, username, password, dstcode, madonvi, tendonvi,
                    timeout_ms, mapping
             FROM portal_settings WHERE office = ?1",
            [office],
            |r| {
                Ok((
                    Settings {
                        url: r.get(0)?,
                        auth_path: r.get(1)?,
                        integration_path: r.get(2)?,
                        share_path: r.get(3)?,
                        username: r.get(4)?,
                        password: r.get(5)?,
                        dstcode: r.get(6)?,
                        madonvi: r.get(7)?,
                        tendonvi: r.get(8)?,
                        timeout: Duration::from_millis(r.get(9)?),
                    },
                    r.get::<_, String>(10)?,
                ))
            },
        )
        .optional()?;
    row.map(|(s, mapping)| Ok((s, Mapping::parse(&mapping).map_err(ApiError::internal)?)))
        .transpose()
}

/// Sets an office's portal (with its mapping table text), or none.
pub fn configure(conn: &Connection, office: &str, portal: Option<(&Settings, &str)>) -> Result<(), ApiError> {
    let Some((s, mapping)) = portal else {
        conn.execute("DELETE FROM portal_settings WHERE office = ?1", [office])?;
        return Ok(());
    };
    Mapping::parse(mapping).map_err(|e| ApiError::unprocessable(format!("mapping: {e}")))?;
    if !s.url.starts_with("http://") {
        return Err(ApiError::unprocessable(format!(
            "`{}`: accepts an http:// URL (TLS is not built in yet: reach the portal through the city's gateway or a VPN)",
            s.url
        )));
    }
    conn.execute("INSERT OR IGNORE INTO offices (code, name) VALUES (?1, ?1)", [office])?;
    conn.execute(
        "INSERT INTO portal_settings (office, url, auth_path, integration_path, share_path, username, password,
                                      dstcode, madonvi, tendonvi, timeout_ms, mapping)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (office) DO UPDATE SET url = excluded.url, auth_path = excluded.auth_path,
            integration_path = excluded.integration_path, share_path = excluded.share_path,
            username = excluded.username, password = excluded.password, dstcode = excluded.dstcode,
            madonvi = excluded.madonvi, tendonvi = excluded.tendonvi, timeout_ms = excluded.timeout_ms,
            mapping = excluded.mapping",
        params![
            office,
            s.url,
            s.auth_path,
            s.integration_path,
            s.share_path,
            s.username,
            s.password,
            s.dstcode,
            s.madonvi,
            s.tendonvi,
            s.timeout.as_millis() as i64,
            mapping
        ],
    )?;
    Ok(())
}

/// The adapter's connections, one per office, kept between drains so the
/// session is reused. The lock also makes sure one drain runs at a time.
#[derive(Default)]
pub struct Clients(tokio::sync::Mutex<HashMap<String, Arc<Dvcqg>>>);

/// What a drain did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drained {
    pub sent: usize,
    pub failed: usize,
    /// Records wait because the portal did not answer: try again later.
    pub waiting: bool,
}

#[derive(Debug, Clone)]
struct Record {
    id: i64,
    code: String,
    status: u8,
    at: String,
    note: String,
    step: i64,
}

async fn read<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, String> {
    app.db.read(f).await.map_err(|e| e.message)
}

async fn write<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, String> {
    app.db.write(f).await.map_err(|e| e.message)
}

/// The office's connection, made anew when its settings changed.
fn client_for(cache: &mut HashMap<String, Arc<Dvcqg>>, office: &str, settings: Settings) -> Arc<Dvcqg> {
    match cache.get(office) {
        Some(c) if *c.settings() == settings => c.clone(),
        _ => {
            let c = Arc::new(Dvcqg::new(settings));
            cache.insert(office.to_string(), c.clone());
            c
        }
    }
}

/// Sends an office's waiting records, in order, until none is left or the
/// portal stops answering.
pub async fn drain(app: &App, office: &str) -> Result<Drained, String> {
    let mut cache = app.portal.0.lock().await;
    let o = office.to_string();
    let Some((settings, mapping)) = read(app, move |c| settings(c, &o)).await? else {
        return Ok(Drained::default());
    };
    let agency = settings.tendonvi.clone();
    let client = client_for(&mut cache, office, settings);
    let mut done = Drained::default();
    loop {
        let o = office.to_string();
        let next = read(app, move |c| {
            Ok(c.query_row(
                "SELECT id, code, status, at, note, step FROM portal_outbox
                 WHERE office = ?1 AND state = 'pending' ORDER BY id LIMIT 1",
                [&o],
                |r| {
                    Ok(Record {
                        id: r.get(0)?,
                        code: r.get(1)?,
                        status: r.get(2)?,
                        at: r.get(3)?,
                        note: r.get(4)?,
                        step: r.get(5)?,
                    })
                },
            )
            .optional()?)
        })
        .await?;
        let Some(record) = next else {
            return Ok(done);
        };
        let id = record.id;
        match deliver(app, office, &client, &mapping, &agency, &record).await {
            Ok(()) => {
                let sent_at = app.now();
                write(app, move |c| {
                    c.execute(
                        "UPDATE portal_outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?2 WHERE id = ?1",
                        params![id, sent_at.to_string()],
                    )?;
                    Ok(())
                })
                .await?;
                done.sent += 1;
            }
            Err(e) if e.transient() => {
                let reason = e.to_string();
                tracing::warn!(office, record = id, error = %reason, "the portal did not take a dossier record; will retry");
                write(app, move |c| {
                    c.execute(
                        "UPDATE portal_outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                        params![id, reason],
                    )?;
                    Ok(())
                })
                .await?;
                done.waiting = true;
                return Ok(done);
            }
            Err(e) => {
                let reason = e.to_string();
                tracing::error!(office, record = id, error = %reason, "the portal refused a dossier record; kept as failed");
                let (o, code) = (office.to_string(), record.code.clone());
                write(app, move |c| {
                    c.execute(
                        "UPDATE portal_outbox SET state = 'failed', attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                        params![id, reason],
                    )?;
                    // Later changes of that dossier would arrive out of order.
                    c.execute(
                        "UPDATE portal_outbox SET state = 'failed', last_error = ?3
                         WHERE office = ?1 AND code = ?2 AND state = 'pending'",
                        params![o, code, format!("held: record {id} of this dossier was refused")],
                    )?;
                    Ok(())
                })
                .await?;
                done.failed += 1;
            }
        }
    }
}

async fn deliver(
    app: &App,
    office: &str,
    client: &Dvcqg,
    mapping: &Mapping,
    agency: &str,
    r: &Record,
) -> Result<(), PortalError> {
    let Some((national, action)) = mapping.status(r.status) else {
        // This status is not told to the portal.
        return Ok(());
    };
    let storage = |e: String| PortalError::Unreachable(format!("central's database: {e}"));
    if r.step == 0 {
        let (o, code) = (office.to_string(), r.code.clone());
        let (dossier, known) = read(app, move |c| {
            let d = super::dossier::get(c, &o, &code)?;
            let known = c
                .query_row(
                    "SELECT 1 FROM portal_dossiers WHERE office = ?1 AND code = ?2",
                    [&o, &code],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            Ok((d, known))
        })
        .await
        .map_err(storage)?;
        let Some(dossier) = dossier else {
            return Err(PortalError::Refused {
                code: "-".into(),
                message: format!("dossier {} is not in central", r.code),
            });
        };
        let object = dvcqg::dossier_object(&r.code, &dossier.data, national, agency, &r.at);
        match client.push_dossier(&object, known).await {
            Ok(()) => {}
            // The portal has it (an earlier answer was lost): an update.
            Err(PortalError::Exists) => client.push_dossier(&object, true).await?,
            Err(PortalError::Missing) if known => client.push_dossier(&object, false).await?,
            Err(e) => return Err(e),
        }
        let (o, code, id) = (office.to_string(), r.code.clone(), r.id);
        write(app, move |c| {
            c.execute(
                "INSERT OR IGNORE INTO portal_dossiers (office, code) VALUES (?1, ?2)",
                [&o, &code],
            )?;
            c.execute("UPDATE portal_outbox SET step = 1 WHERE id = ?1", [id])?;
            Ok(())
        })
        .await
        .map_err(storage)?;
    }
    let item = dvcqg::progress_item(&r.code, national, action, "", &r.at, &r.note);
    client.push_progress(&[item]).await
}

/// Offices that send dossiers on.
pub async fn offices(app: &App) -> Result<Vec<String>, String> {
    read(app, |c| {
        let mut q = c.prepare("SELECT office FROM portal_settings ORDER BY office")?;
        let rows = q.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<Vec<String>, _>>()?)
    })
    .await
}

/// The questions of the satisfaction totals: the overall answer, then
/// each criterion among those who chose it.
const QUESTIONS: [(&str, &str); 5] = [
    ("", "Mức độ hài lòng chung về việc giải quyết thủ tục hành chính"),
    ("staff", "Thái độ, tác phong của cán bộ, công chức"),
    ("time", "Thời gian giải quyết thủ tục hành chính"),
    ("transparency", "Công khai, minh bạch thông tin"),
    ("facilities", "Cơ sở vật chất, trang thiết bị"),
];

/// One month's totals per question, as DongBoDanhGia items.
pub fn rating_totals(
    conn: &Connection,
    office: &str,
    month: jiff::civil::Date,
    mapping: &Mapping,
    madonvi: &str,
    tendonvi: &str,
) -> Result<Vec<Value>, ApiError> {
    let tz = motcua_core::time::vietnam();
    let start = month.first_of_month();
    let bound = |d: jiff::civil::Date| {
        d.to_zoned(tz.clone())
            .map(|z| z.timestamp().to_string())
            .map_err(|e| ApiError::internal(e.to_string()))
    };
    let (from, to) = (
        bound(start)?,
        bound(
            start
                .checked_add(jiff::Span::new().months(1))
                .map_err(|e| ApiError::internal(e.to_string()))?,
        )?,
    );
    let mut q = conn.prepare_cached(
        "SELECT answer, criteria FROM ratings WHERE office = ?1 AND rated_at >= ?2 AND rated_at < ?3",
    )?;
    let rows: Vec<(String, String)> = q
        .query_map(params![office, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut items = Vec::new();
    for (criterion, question) in QUESTIONS {
        let mut counts = [0u64; 3];
        for (answer, criteria) in &rows {
            let chosen: Vec<String> = serde_json::from_str(criteria).unwrap_or_default();
            if !criterion.is_empty() && !chosen.iter().any(|c| c == criterion) {
                continue;
            }
            match mapping.level(answer) {
                Some(mapping::Level::RatHaiLong) => counts[0] += 1,
                Some(mapping::Level::HaiLong) => counts[1] += 1,
                Some(mapping::Level::ChuaHaiLong) => counts[2] += 1,
                None => {}
            }
        }
        let total: u64 = counts.iter().sum();
        if total == 0 {
            continue;
        }
        // Whole percentages; the last takes what rounding left.
        let (very, good) = (counts[0] * 100 / total, counts[1] * 100 / total);
        let not = 100 - very - good;
        let pct = |n: u64| format!("{n}%");
        items.push(json!({
            "NgayTongHop": format!("{}-{}", month.month(), month.year()),
            "TongSoNguoiDanhGia": total,
            "PhanTramDanhGiaRatHaiLong": pct(very),
            "PhanTramDanhGiaHaiLong": pct(good),
            "PhanTramDanhGiaChuaHaiLong": pct(not),
            "PhanTramDanhGiaDichVuRatHaiLong": pct(very),
            "PhanTramDanhGiaDichVuHaiLong": pct(good),
            "PhanTramDanhGiaDichVuChuaHaiLong": pct(not),
            "DanhSachNoiDungYKien": "",
            "MaThuTuc": "",
            "NoiDung": question,
            "Madonvi": madonvi,
            "TenDonVi": tendonvi,
        }));
    }
    Ok(items)
}

/// Sends the month's satisfaction totals if they changed since last sent.
/// Returns whether something was sent.
pub async fn sync_ratings(app: &App, office: &str, month: jiff::civil::Date) -> Result<bool, String> {
    let mut cache = app.portal.0.lock().await;
    let o = office.to_string();
    let Some((settings, mapping)) = read(app, move |c| settings(c, &o)).await? else {
        return Ok(false);
    };
    let (o, madonvi, tendonvi) = (office.to_string(), settings.madonvi.clone(), settings.tendonvi.clone());
    let key = month.strftime("%Y-%m").to_string();
    let k = key.clone();
    let (items, last) = read(app, move |c| {
        let items = rating_totals(c, &o, month, &mapping, &madonvi, &tendonvi)?;
        let last: Option<String> = c
            .query_row(
                "SELECT body FROM portal_ratings_sent WHERE office = ?1 AND month = ?2",
                [&o, &k],
                |r| r.get(0),
            )
            .optional()?;
        Ok((items, last))
    })
    .await?;
    let body = Value::Array(items.clone()).to_string();
    if items.is_empty() || last.as_deref() == Some(body.as_str()) {
        return Ok(false);
    }
    let client = client_for(&mut cache, office, settings);
    client.push_ratings(&items).await.map_err(|e| e.to_string())?;
    let o = office.to_string();
    write(app, move |c| {
        c.execute(
            "INSERT INTO portal_ratings_sent (office, month, body) VALUES (?1, ?2, ?3)
             ON CONFLICT (office, month) DO UPDATE SET body = excluded.body",
            params![o, key, body],
        )?;
        Ok(())
    })
    .await?;
    Ok(true)
}

/// The background worker: every office's outbox, and the month's
/// satisfaction totals every hour.
pub fn spawn(app: App) {
    tokio::spawn(async move {
        let mut backoff = motcua_core::backoff::Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
        let mut ratings_due = tokio::time::Instant::now();
        loop {
            let mut waiting = false;
            for office in offices(&app).await.unwrap_or_default() {
                match drain(&app, &office).await {
                    Ok(d) => waiting |= d.waiting,
                    Err(e) => {
                        tracing::error!(office, error = %e, "portal outbox not read");
                        waiting = true;
                    }
                }
                if tokio::time::Instant::now() >= ratings_due {
                    let month = motcua_core::time::local_day(app.now());
                    if let Err(e) = sync_ratings(&app, &office, month).await {
                        tracing::warn!(office, error = %e, "satisfaction totals not sent; will retry");
                    }
                }
            }
            if tokio::time::Instant::now() >= ratings_due {
                ratings_due = tokio::time::Instant::now() + Duration::from_secs(3600);
            }
            let wait = if waiting {
                backoff.next(motcua_core::backoff::unit())
            } else {
                backoff.reset();
                Duration::from_secs(2)
            };
            tokio::time::sleep(wait).await;
        }
    });
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub updated: usize,
    pub added: usize,
    /// Local procedures the portal does not list; kept.
    pub local_only: usize,
    /// Listed procedures whose details did not come.
    pub skipped: Vec<String>,
}

fn s(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn n(v: &Value, key: &str) -> f64 {
    match v.get(key) {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => s.trim().replace(['.', ','], "").parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn first<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key)?.as_array()?.first()
}

/// A procedure from the portal's LayThuTuc details, with the local fields
/// (queue group, English name, keywords) of `local` where there is one.
pub fn procedure_from_portal(detail: &Value, local: Option<&Procedure>, group: &str) -> Procedure {
    let field = first(detail, "LINHVUCTHUCHIEN")
        .map(|f| s(f, "MALINHVUC"))
        .unwrap_or_default();
    let level = match first(detail, "CAPTHUCHIEN").map(|c| n(c, "CAPTHUCHIEN") as i64) {
        Some(3) => Level::Commune,
        Some(2) => Level::District,
        Some(_) => Level::Province,
        None => local.map_or(Level::Commune, |p| p.level),
    };
    // The in-person way of doing it, else the first one listed.
    let ways = detail
        .get("CACHTHUCTHUCHIEN")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let way = ways
        .iter()
        .find(|w| n(w, "KENH") as i64 == 1)
        .or(ways.first())
        .and_then(|w| first(w, "THOIGIAN"))
        .cloned()
        .unwrap_or(Value::Null);
    let fees = way
        .get("PHILEPHI")
        .and_then(Value::as_array)
        .map(|fees| {
            fees.iter()
                .map(|f| Fee {
                    name: Some(s(f, "MOTA"))
                        .filter(|m| !m.is_empty())
                        .unwrap_or_else(|| "Lệ phí".into()),
                    amount: n(f, "SOTIEN").max(0.0) as u64,
                    note: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let documents = first(detail, "THANHPHANHOSO")
        .and_then(|c| c.get("GIAYTO"))
        .and_then(Value::as_array)
        .map(|docs| {
            docs.iter()
                .map(|d| Document {
                    name: s(d, "TENGIAYTO"),
                    originals: n(d, "SOBANCHINH").clamp(0.0, 255.0) as u8,
                    copies: n(d, "SOBANSAO").clamp(0.0, 255.0) as u8,
                })
                .filter(|d| !d.name.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let unit = s(&way, "DONVITINH");
    let name = s(detail, "TENTTHC");
    Procedure {
        code: s(detail, "MATTHC"),
        name_en: local.map_or_else(|| name.clone(), |p| p.name_en.clone()),
        name,
        field: if field.is_empty() {
            local.map(|p| p.field.clone()).unwrap_or_default()
        } else {
            field
        },
        level,
        processing_days: n(&way, "THOIGIANGIAIQUYET").clamp(0.0, 3650.0).round() as u16,
        processing_note: Some(unit).filter(|u| !u.is_empty() && u != "Ngày làm việc"),
        group: local.map_or_else(|| group.to_string(), |p| p.group.clone()),
        agency: first(detail, "COQUANTHUCHIEN")
            .map(|a| s(a, "TENDONVI"))
            .filter(|a| !a.is_empty())
            .or_else(|| local.map(|p| p.agency.clone()))
            .unwrap_or_default(),
        result: first(detail, "KETQUATHUCHIEN")
            .map(|r| s(r, "TENKETQUA"))
            .filter(|r| !r.is_empty())
            .or_else(|| local.map(|p| p.result.clone()))
            .unwrap_or_default(),
        interlinked: local.is_some_and(|p| p.interlinked),
        keywords: local.map(|p| p.keywords.clone()).unwrap_or_default(),
        fees,
        documents,
    }
}

/// Why a catalog import came to nothing; the office keeps its catalog.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ImportError {
    /// The portal did not answer, or refused.
    #[error(transparent)]
    Portal(#[from] PortalError),
    /// What the portal gave does not make a valid catalog: every problem,
    /// by [`Catalog::validate`].
    #[error(
        "the portal's procedures do not make a valid catalog ({} problem(s)); the office keeps its catalog / danh mục từ cổng không hợp lệ, giữ danh mục cũ: {}",
        .0.0.len(),
        .0.0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    )]
    Invalid(motcua_core::tomlcheck::Problems),
}

/// Pulls the portal's procedures into `current` (the office's catalog):
/// the portal's details win, the local fields stay, local-only procedures
/// are kept. A new procedure queues in the group of its field's other
/// procedures, else in the catalog's first group. The result is checked
/// by [`Catalog::validate`] like any other catalog; one that fails is
/// returned as [`ImportError::Invalid`], never half-taken.
pub async fn import_catalog(client: &Dvcqg, current: &Catalog) -> Result<(Catalog, Imported), ImportError> {
    let mut catalog = current.clone();
    let mut report = Imported::default();
    let listed = client.procedures().await?;
    let default_group = catalog
        .groups
        .first()
        .map(|g| g.letter.clone())
        .unwrap_or_else(|| "A".into());
    for (code, name) in &listed {
        let Some(detail) = client.procedure(code).await? else {
            report.skipped.push(code.clone());
            continue;
        };
        let at = catalog.procedures.iter().position(|p| &p.code == code);
        let field_id = first(&detail, "LINHVUCTHUCHIEN")
            .map(|f| s(f, "MALINHVUC"))
            .unwrap_or_default();
        let group = catalog
            .procedures
            .iter()
            .find(|p| p.field == field_id)
            .map_or(default_group.clone(), |p| p.group.clone());
        let mut p = procedure_from_portal(&detail, at.map(|i| &catalog.procedures[i]), &group);
        if p.name.is_empty() {
            p.name = name.clone();
        }
        if !p.field.is_empty() && !catalog.fields.iter().any(|f| f.id == p.field) {
            let field_name = first(&detail, "LINHVUCTHUCHIEN")
                .map(|f| s(f, "TENLINHVUC"))
                .unwrap_or_default();
            catalog.fields.push(Field {
                id: p.field.clone(),
                name: field_name.clone(),
                name_en: field_name,
            });
        }
        match at {
            Some(i) => {
                catalog.procedures[i] = p;
                report.updated += 1;
            }
            None => {
                catalog.procedures.push(p);
                report.added += 1;
            }
        }
    }
    report.local_only = catalog
        .procedures
        .iter()
        .filter(|p| !listed.iter().any(|(c, _)| c == &p.code))
        .count();
    catalog.demo = false;
    catalog.version = format!("portal {}", motcua_core::time::local_day(jiff::Timestamp::now()));
    catalog.source = client.settings().url.clone();
    if let Err(problems) = catalog.validate() {
        // Catalogs hold no personal data: the problems go to the log whole.
        for p in &problems.0 {
            tracing::warn!(problem = %p, "a procedure from the portal is not valid");
        }
        return Err(ImportError::Invalid(problems));
    }
    Ok((catalog, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail() -> Value {
        json!({
            "MATTHC": "1.001193", "TENTTHC": "Thủ tục đăng ký khai sinh", "TRANGTHAI": 1,
            "LINHVUCTHUCHIEN": [{"MALINHVUC": "HT", "TENLINHVUC": "Hộ tịch"}],
            "CACHTHUCTHUCHIEN": [
                {"KENH": 2, "THOIGIAN": [{"THOIGIANGIAIQUYET": 1, "DONVITINH": "Ngày làm việc", "PHILEPHI": []}]},
                {"KENH": 1, "THOIGIAN": [{"THOIGIANGIAIQUYET": 3, "DONVITINH": "Ngày làm việc",
                    "PHILEPHI": [{"MAPHILEPHI": "LP1", "SOTIEN": "8.000", "DONVI": "Đồng", "MOTA": "Lệ phí đăng ký khai sinh"}]}]}
            ],
            "THANHPHANHOSO": [{"TRUONGHOP": "", "GIAYTO": [
                {"MAGIAYTO": "1", "TENGIAYTO": "Tờ khai đăng ký khai sinh", "SOBANCHINH": 1, "SOBANSAO": 0},
                {"MAGIAYTO": "2", "TENGIAYTO": "Giấy chứng sinh", "SOBANCHINH": "1", "SOBANSAO": "0"}]}],
            "CAPTHUCHIEN": [{"CAPTHUCHIEN": 3, "DIACHITIEPNHAN": "UBND phường"}],
            "COQUANTHUCHIEN": [{"MADONVI": "x", "TENDONVI": "Ủy ban nhân dân cấp xã"}],
            "KETQUATHUCHIEN": [{"MAKETQUA": "KQ1", "TENKETQUA": "Giấy khai sinh"}],
        })
    }

    #[test]
    fn a_portal_procedure_keeps_the_local_queue_group_and_words() {
        let demo = Catalog::demo();
        let local = demo.procedures.iter().find(|p| p.code == "1.001193").unwrap();
        let p = procedure_from_portal(&detail(), Some(local), "Z");
        assert_eq!(p.group, local.group, "the queue group is local");
        assert_eq!(p.keywords, local.keywords);
        assert_eq!(p.name_en, local.name_en);
        assert_eq!(
            (p.processing_days, p.level),
            (3, Level::Commune),
            "in person, at the commune"
        );
        assert_eq!(p.fees[0].amount, 8000);
        assert_eq!(p.fees[0].name, "Lệ phí đăng ký khai sinh");
        assert_eq!(p.documents.len(), 2);
        assert_eq!((p.documents[1].originals, p.documents[1].copies), (1, 0));
        assert_eq!(p.result, "Giấy khai sinh");
        let new = procedure_from_portal(&detail(), None, "Z");
        assert_eq!((new.group.as_str(), new.field.as_str()), ("Z", "HT"));
    }
}
