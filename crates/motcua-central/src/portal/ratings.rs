//! Satisfaction as the portal takes it: one month's totals per question
//! (DongBoDanhGia), sent when they changed since last sent.

use crate::sql::Conn;
use serde_json::{Value, json};

use super::mapping::{self, Mapping};
use super::{client_for, read, write};
use crate::App;
use crate::error::ApiError;
use crate::repo;

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
    conn: &Conn,
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
    let rows = repo::portal::ratings_between(conn, office, &from, &to)?;
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
pub async fn sync_ratings(app: &App, office: &str, month: jiff::civil::Date) -> Result<bool, super::RunError> {
    let mut cache = app.portal.0.lock().await;
    let o = office.to_string();
    let Some((settings, mapping)) = read(app, move |c| super::settings(c, &o)).await? else {
        return Ok(false);
    };
    let (o, madonvi, tendonvi) = (office.to_string(), settings.madonvi.clone(), settings.tendonvi.clone());
    let key = month.strftime("%Y-%m").to_string();
    let k = key.clone();
    let (items, last) = read(app, move |c| {
        let items = rating_totals(c, &o, month, &mapping, &madonvi, &tendonvi)?;
        let last = repo::portal::ratings_sent(c, &o, &k)?;
        Ok((items, last))
    })
    .await?;
    let body = Value::Array(items.clone()).to_string();
    if items.is_empty() || last.as_deref() == Some(body.as_str()) {
        return Ok(false);
    }
    let client = client_for(&mut cache, &app.portal.1, office, settings);
    client.push_ratings(&items).await?;
    let o = office.to_string();
    write(app, move |c| repo::portal::set_ratings_sent(c, &o, &key, &body)).await?;
    Ok(true)
}
