//! The digitising section of a report (Decree 118/2025 makes digitising
//! part of receiving; the national index weighs it): of the dossiers
//! received in the range, the share digitised at intake, for the office,
//! per field and per officer who took them in.
//!
//! A dossier is digitised at intake when every checklist item handed in
//! (`documents[].name`) has a document of kind `intake` announced for it
//! (its `item` the same words); one that lists no documents counts when it
//! has any intake document. Announced is enough: the upload follows
//! through the counter's outbox.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::sql::Conn;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::repo;
use crate::repo::documents::IntakeRow;
use motcua_core::catalog::Catalog;
use motcua_core::time::local_day;

/// How many dossiers of one office, field or officer were digitised at
/// intake.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct DigitisedShare {
    pub key: String,
    /// Received in the range.
    pub received: u32,
    /// Of those, digitised at intake.
    pub digitised: u32,
    /// digitised / received, to a thousandth; none without any received.
    pub share: Option<f64>,
}

/// The digitising figures of an office's report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Digitised {
    /// Every dossier of the office (key `*`).
    pub all: DigitisedShare,
    /// By the catalog's field of the procedure (`—` when the catalog no
    /// longer has it).
    pub by_field: Vec<DigitisedShare>,
    /// By the officer who took the dossier in (`—` when not recorded).
    pub by_officer: Vec<DigitisedShare>,
}

/// Whether the dossier of `row` was digitised at intake (see the module).
pub fn digitised(row: &IntakeRow) -> bool {
    let scanned: BTreeSet<&str> = row.scanned.iter().map(|s| s.trim()).collect();
    if row.items.is_empty() {
        return !scanned.is_empty();
    }
    row.items.iter().all(|item| scanned.contains(item.trim()))
}

fn count(map: &mut BTreeMap<String, DigitisedShare>, key: &str, done: bool) {
    let share = map.entry(key.to_string()).or_insert_with(|| DigitisedShare {
        key: key.to_string(),
        ..Default::default()
    });
    share.received += 1;
    share.digitised += u32::from(done);
}

fn finish(mut s: DigitisedShare) -> DigitisedShare {
    s.share = (s.received > 0).then(|| (f64::from(s.digitised) / f64::from(s.received) * 1000.0).round() / 1000.0);
    s
}

/// The section for `office` over the local days `from`–`to`, reading
/// dossiers received from `wide_from` to before `wide_to` (UTC, a day
/// either side).
pub fn compute(
    conn: &Conn,
    office: &str,
    catalog: &Catalog,
    (from, to): (Date, Date),
    wide_from: &str,
    wide_to: &str,
) -> Result<Digitised, ApiError> {
    let (mut by_field, mut by_officer, mut all) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    repo::documents::for_each_received(conn, office, wide_from, wide_to, |row| {
        let Ok(at) = row.received_at.parse::<Timestamp>() else {
            return;
        };
        if !(from..=to).contains(&local_day(at)) {
            return;
        }
        let done = digitised(&row);
        let field = catalog.procedure(&row.procedure_code).map_or("—", |p| p.field.as_str());
        count(&mut all, "*", done);
        count(&mut by_field, field, done);
        count(&mut by_officer, row.officer.as_deref().unwrap_or("—"), done);
    })?;
    let list = |m: BTreeMap<String, DigitisedShare>| m.into_values().map(finish).collect();
    Ok(Digitised {
        all: finish(all.remove("*").unwrap_or_else(|| DigitisedShare {
            key: "*".into(),
            ..Default::default()
        })),
        by_field: list(by_field),
        by_officer: list(by_officer),
    })
}

impl Digitised {
    fn sections(&self) -> [(&'static str, &'static str, Vec<&DigitisedShare>); 3] {
        [
            ("digitised", "Cả đơn vị", vec![&self.all]),
            ("digitised_field", "Theo lĩnh vực", self.by_field.iter().collect()),
            (
                "digitised_officer",
                "Theo cán bộ tiếp nhận",
                self.by_officer.iter().collect(),
            ),
        ]
    }

    /// CSV rows `section,key,metric,value` for the report's CSV.
    pub fn csv_rows(&self, row: &mut dyn FnMut(&str, &str, &str, String)) {
        for (section, _, list) in self.sections() {
            for s in list {
                row(section, &s.key, "received", s.received.to_string());
                row(section, &s.key, "digitised", s.digitised.to_string());
                row(
                    section,
                    &s.key,
                    "share",
                    s.share.map_or_else(|| "-".into(), |x| format!("{x:.3}")),
                );
            }
        }
    }

    /// The report's text section.
    pub fn text(&self, out: &mut String) {
        out.push_str("\nSố hoá hồ sơ khi tiếp nhận: (tiếp nhận · số hoá · tỉ lệ)\n");
        for (_, title, list) in self.sections() {
            let _ = writeln!(out, "{title}:");
            for s in list {
                let share = s.share.map_or_else(|| "-".into(), |x| format!("{:.1}%", x * 100.0));
                let _ = writeln!(
                    out,
                    "  {:<14} {:>4} · {:>4} · {:>6}",
                    s.key, s.received, s.digitised, share
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(items: &[&str], scanned: &[&str]) -> IntakeRow {
        IntakeRow {
            procedure_code: "1.001022".into(),
            received_at: "2026-11-28T02:00:00Z".into(),
            officer: None,
            items: items.iter().map(|s| s.to_string()).collect(),
            scanned: scanned.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn every_item_handed_in_needs_its_intake_scan() {
        let (form, id) = ("Tờ khai", "Giấy chứng sinh");
        assert!(digitised(&row(&[form, id], &[id, form])));
        assert!(digitised(&row(&[form], &[form, "Bản sao thêm"])));
        assert!(digitised(&row(&[form], &[" Tờ khai "])), "the same words, spaces aside");
        assert!(!digitised(&row(&[form, id], &[form])));
        assert!(!digitised(&row(&[form], &[])));
        assert!(!digitised(&row(&[form], &["Tờ khai khác"])));
        // No checklist: any intake scan will do.
        assert!(digitised(&row(&[], &[form])));
        assert!(!digitised(&row(&[], &[])));
    }
}
