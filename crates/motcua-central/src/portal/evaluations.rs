//! Dossier evaluations as the portal takes them: one item per evaluation
//! (DongBoDanhGiaHoSo), sent through the outbox in order with the
//! dossier's status changes, after the dossier itself.
//!
//! The service name and the item's keys follow the envelope and naming of
//! the other sync services; the national evaluation system's exact item
//! was not available (see the facts file), so they are kept here, in one
//! place, to adjust. Each criterion goes with its number and question on
//! the national form and the answer as the form words it.

use serde_json::{Value, json};

use super::dvcqg::portal_time;
use motcua_api::evaluation::{Answer, COUNT_OR_MORE, Criterion, DossierAnswers, Occasion};

/// The sync service that takes them.
pub const SERVICE: &str = "DongBoDanhGiaHoSo";

/// The item of one evaluation; None when its stored answers do not read.
pub fn item(code: &str, occasion: &str, rated_at: &str, answers: &str) -> Option<Value> {
    let answers: DossierAnswers = serde_json::from_str(answers).ok()?;
    let occasion = Occasion::parse(occasion)?;
    let criteria: Vec<Value> = Criterion::ALL
        .into_iter()
        .filter_map(|c| {
            let (text, number) = match answers.get(c)? {
                Answer::Level(l) => (l.vi().to_string(), Value::Null),
                Answer::Count(n) if n >= COUNT_OR_MORE => (format!("Từ {n} trở lên"), json!(n)),
                Answer::Count(n) => (n.to_string(), json!(n)),
            };
            Some(json!({"STT": c.number(), "NoiDung": c.vi(), "KetQua": text, "SoLuong": number}))
        })
        .collect();
    Some(json!({
        "MaHoSo": code,
        "ThoiDiemDanhGia": portal_time(rated_at),
        // Where it was asked: 1 at intake, 2 at the return (the counter's
        // citizen display), 3 at a kiosk.
        "NoiDanhGia": match occasion {
            Occasion::Intake => "1",
            Occasion::Return => "2",
            Occasion::Kiosk => "3",
        },
        "DanhSachTieuChi": criteria,
    }))
}
