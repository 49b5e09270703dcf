//! Importing an office's catalog from its portal (LayDanhSachTTHC and
//! LayThuTuc): the portal's details win, the local fields stay.

use serde_json::Value;

use super::dvcqg::{Dvcqg, PortalError};
use motcua_core::catalog::{Catalog, Document, Fee, Field, Level, Procedure};

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
                    online: None,
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
    use serde_json::json;

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
