//! The forms of the set besides the receipt (Circular 03/2025, Annex I),
//! filled from a dossier: 02 request to supplement, 03 refusal, 04 apology
//! with a new appointment, 05 notice of stopping at the citizen's request,
//! 06 process-control slip. Their wording comes from the office's layouts
//! ([`motcua_core::forms`]); their layout is [`super::form`]'s.

use jiff::Timestamp;

use super::form::{Letter, Own, Part, compose};
use motcua_api::model::StatusChange;
use motcua_core::dossier::{Status, Timeliness};
use motcua_core::forms::{FormKind, Layouts, fill};
use motcua_core::time::local;

/// What every form says of its dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub agency: String,
    pub unit: String,
    pub place: String,
    /// Empty for a refusal before any code was given.
    pub code: String,
    /// The dossier's signed receipt text for the QR, if any.
    pub qr_text: Option<String>,
    pub applicant: String,
    /// Personal ID number or organisation code.
    pub id_number: String,
    pub procedure: String,
    pub received: Timestamp,
    /// The appointment to return the result.
    pub due: Timestamp,
    pub officer: String,
    /// When the form is made: its date line.
    pub at: Timestamp,
    pub sample: bool,
}

/// "09 giờ 41 phút, ngày 28/11/2026", as the forms write a time.
pub fn when(at: Timestamp) -> String {
    local(at).strftime("%H giờ %M phút, ngày %d/%m/%Y").to_string()
}

impl Facts {
    /// The values of the placeholders every form fills, and `more`.
    fn values<'a>(&'a self, more: &[(&'a str, String)]) -> Vec<(&'a str, String)> {
        let z = local(self.at);
        let mut v = vec![
            ("agency", self.agency.clone()),
            ("unit", self.unit.clone()),
            ("place", self.place.clone()),
            ("code", self.code.clone()),
            ("applicant", self.applicant.clone()),
            ("id_number", self.id_number.clone()),
            ("procedure", self.procedure.clone()),
            ("received", when(self.received)),
            ("due", when(self.due)),
            ("officer", self.officer.clone()),
            ("day", z.strftime("%d").to_string()),
            ("month", z.strftime("%m").to_string()),
            ("year", z.strftime("%Y").to_string()),
            ("sequence", sequence_of(&self.code)),
        ];
        v.extend(more.iter().cloned());
        v
    }

    /// The letter of form `kind` with `content` between its intro and its
    /// closing.
    pub fn letter(&self, layouts: &Layouts, kind: FormKind, more: &[(&str, String)], content: Vec<Part>) -> Letter {
        let values = self.values(more);
        let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let f = |t: &str| fill(t, &pairs);
        let l = layouts.get(kind);
        let mut parts: Vec<Part> = l.intro.iter().skip(1).map(|p| Part::Text(f(p))).collect();
        parts.extend(content);
        // The first paragraph goes beside the QR, with the dossier's code
        // unless the form's own wording names it.
        let mut beside_qr: Vec<String> = l.intro.first().map(|p| f(p)).into_iter().collect();
        if !self.code.is_empty() && !l.intro.iter().any(|p| p.contains("{code}")) {
            beside_qr.push(format!("Mã hồ sơ: {}", self.code));
        }
        let own = Own {
            code: self.code.clone(),
            qr_text: self.qr_text.clone(),
            beside_qr,
            parts,
            sample: self.sample,
        };
        compose(layouts, kind, &pairs, own)
    }
}

/// The daily sequence of a dossier code (what follows its last dash), or
/// "…" where there is none.
fn sequence_of(code: &str) -> String {
    match code.rsplit_once('-') {
        Some((_, s)) if !s.is_empty() => s.to_string(),
        _ => "…".to_string(),
    }
}

/// 02: what the dossier lacks, one numbered line each, and why.
pub fn supplement(facts: &Facts, layouts: &Layouts, missing: &[String], reason: &str) -> Letter {
    let items = missing
        .iter()
        .enumerate()
        .map(|(i, m)| (format!("{}. {m}", i + 1), String::new()))
        .collect();
    facts.letter(
        layouts,
        FormKind::Supplement,
        &[("reason", reason.to_string())],
        vec![Part::Items(items)],
    )
}

/// 03: the refusal, with its reason set in bold after the intro.
pub fn refusal(facts: &Facts, layouts: &Layouts, reason: &str) -> Letter {
    facts.letter(
        layouts,
        FormKind::Refusal,
        &[("reason", reason.to_string())],
        vec![Part::Bold(reason.to_string())],
    )
}

/// 04: the apology, with the appointment missed and the new one.
pub fn apology(facts: &Facts, layouts: &Layouts, reason: &str, new_due: Timestamp) -> Letter {
    facts.letter(
        layouts,
        FormKind::Apology,
        &[("reason", reason.to_string()), ("new_due", when(new_due))],
        Vec::new(),
    )
}

/// 05: the notice of stopping at the citizen's request.
pub fn stop(facts: &Facts, layouts: &Layouts, reason: &str) -> Letter {
    facts.letter(layouts, FormKind::Stop, &[("reason", reason.to_string())], Vec::new())
}

/// Who holds a dossier once it reaches `status`, and from whom it came:
/// the "Giao / Nhận" of a handover on the process-control slip.
fn handover(status: u8, unit: &str, agency: &str) -> (String, String) {
    let citizen = "Người nộp hồ sơ".to_string();
    match Status::from_code(status) {
        Some(Status::Registered | Status::Accepted) => (citizen, unit.to_string()),
        Some(Status::Processing) => (unit.to_string(), agency.to_string()),
        Some(Status::Processed) => (agency.to_string(), unit.to_string()),
        Some(
            Status::Returned
            | Status::NotAccepted
            | Status::SupplementRequested
            | Status::PaymentRequested
            | Status::Withdrawn
            | Status::Stopped,
        ) => (unit.to_string(), citizen),
        None => (unit.to_string(), unit.to_string()),
    }
}

/// 06: the process-control slip, one row per handover from the dossier's
/// history, each with its time and whether it kept to the appointment. A
/// history entry whose time does not read is listed with no time rather
/// than dropped.
pub fn control(facts: &Facts, layouts: &Layouts, history: &[StatusChange]) -> Letter {
    let columns = vec![
        ("TÊN CƠ QUAN".to_string(), 3.0),
        ("THỜI GIAN GIAO, NHẬN HỒ SƠ".to_string(), 2.2),
        (
            "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ đúng hạn/ quá hạn)".to_string(),
            2.0,
        ),
        ("GHI CHÚ".to_string(), 1.6),
    ];
    let rows = history
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let (from, to) = handover(h.status, &facts.unit, &facts.agency);
            let status = Status::from_code(h.status).map(Status::name_vi).unwrap_or("");
            let at = h.at.parse::<Timestamp>().ok();
            vec![
                format!("{}. Giao: {from}\nNhận: {to}", i + 1),
                at.map(when).unwrap_or_default(),
                at.map(|a| Timeliness::of(a, facts.due).vi().to_string())
                    .unwrap_or_default(),
                [status, h.note.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(": "),
            ]
        })
        .collect();
    facts.letter(layouts, FormKind::Control, &[], vec![Part::Table { columns, rows }])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        let at: Timestamp = "2026-11-28T02:41:00Z".parse().unwrap();
        Facts {
            agency: "Ủy ban nhân dân phường Hoàn Kiếm".into(),
            unit: "Trung tâm Phục vụ hành chính công".into(),
            place: "Hà Nội".into(),
            code: "H26.22.15-261128-0001".into(),
            qr_text: None,
            applicant: "Nguyễn Văn A".into(),
            id_number: "001099000000".into(),
            procedure: "Đăng ký khai sinh".into(),
            received: at,
            due: "2026-12-04T09:00:00Z".parse().unwrap(),
            officer: "Trần Thị B".into(),
            at,
            sample: false,
        }
    }

    #[test]
    fn every_placeholder_is_filled_from_the_dossier() {
        let l = Layouts::builtin();
        let letter = apology(&facts(), &l, "Chờ xác minh", "2026-12-09T09:00:00Z".parse().unwrap());
        let mut texts = [letter.left.clone(), letter.right.clone(), letter.beside_qr.clone()].concat();
        texts.extend([
            letter.number.clone(),
            letter.date.clone(),
            letter.form.clone(),
            letter.title.clone(),
        ]);
        for p in &letter.parts {
            if let Part::Text(t) | Part::Bold(t) = p {
                texts.push(t.clone());
            }
        }
        let all = texts.join("\n");
        assert!(!all.contains('{') && !all.contains('}'), "{all}");
        assert!(all.contains("Vào 09 giờ 41 phút, ngày 28/11/2026, Trung tâm"), "{all}");
        assert!(all.contains("16 giờ 00 phút, ngày 09/12/2026"), "{all}");
        assert!(all.contains("16 giờ 00 phút, ngày 04/12/2026"), "{all}");
        assert_eq!(letter.number, "Số: 0001/TTPVHCC");
        assert_eq!(letter.date, "Hà Nội, ngày 28 tháng 11 năm 2026");
    }

    #[test]
    fn the_control_slip_has_a_row_per_handover_marked_against_the_appointment() {
        let h = |status, at: &str| StatusChange {
            status,
            at: at.into(),
            note: String::new(),
        };
        let history = vec![
            h(2, "2026-11-28T02:41:00Z"),
            h(4, "2026-11-28T08:00:00Z"),
            h(9, "2026-12-04T03:00:00Z"),
            h(10, "2026-12-05T02:00:00Z"),
            h(4, "not a time"),
        ];
        let letter = control(&facts(), &Layouts::builtin(), &history);
        let Some(Part::Table { rows, .. }) = letter.parts.iter().find(|p| matches!(p, Part::Table { .. })) else {
            panic!("no table")
        };
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0][2], "Trước hạn");
        assert!(rows[0][0].contains("Giao: Người nộp hồ sơ") && rows[0][0].contains("Nhận: Trung tâm"));
        assert_eq!(rows[2][2], "Đúng hạn");
        assert_eq!(rows[3][2], "Quá hạn");
        assert!(rows[3][0].contains("Nhận: Người nộp hồ sơ"));
        assert_eq!((rows[4][1].as_str(), rows[4][2].as_str()), ("", ""));
    }
}
