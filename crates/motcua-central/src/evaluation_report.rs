//! The dossier evaluations' section of a report: per national criterion,
//! how many answered each choice and the share satisfied; how many were
//! given on each occasion; and how many of the dossiers received in the
//! range were evaluated at all (the national index counts it).
//!
//! "Satisfied" is "Rất hài lòng" plus "Hài lòng" among those who answered
//! the criterion. For the two counts (contacts needed, agencies
//! contacted) the share given is of those who needed one only: the
//! one-stop promise.

use std::collections::BTreeMap;

use crate::sql::Conn;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::repo;
use motcua_api::evaluation::{Answer, COUNT_OR_MORE, Criterion, DossierAnswers, Level, Occasion};
use motcua_core::time::local;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EvaluationReport {
    /// Evaluations rated in the range.
    pub evaluations: u32,
    /// Evaluations per occasion (intake, return, kiosk).
    pub by_occasion: BTreeMap<String, u32>,
    /// Dossiers received in the range.
    pub dossiers_received: u32,
    /// Of those, the ones evaluated at least once (at any time).
    pub dossiers_evaluated: u32,
    /// Per criterion, in the national form's order; only those answered.
    pub criteria: Vec<CriterionReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CriterionReport {
    /// 1–12 on the national form.
    pub number: u8,
    pub key: String,
    pub question: String,
    pub answered: u32,
    /// Per choice, in the form's order: the four levels
    /// (`very_satisfied`…`unsatisfied`), or the counts `1`…`4+`.
    pub choices: Vec<(String, u32)>,
    /// Satisfied (or, for a count, needing one only) among those who
    /// answered, to three places.
    pub satisfied_share: f64,
}

/// The section for `office` over the local days `from`–`to`, reading
/// rows from `wide_from` to before `wide_to` (UTC, a day either side).
pub fn compute(
    conn: &Conn,
    office: &str,
    from: Date,
    to: Date,
    wide_from: &str,
    wide_to: &str,
) -> Result<EvaluationReport, ApiError> {
    let in_range = |at: &str| {
        at.parse::<Timestamp>()
            .ok()
            .map(|t| local(t).date())
            .is_some_and(|d| d >= from && d <= to)
    };
    let mut counts: BTreeMap<Criterion, [u32; 4]> = BTreeMap::new();
    let mut by_occasion: BTreeMap<String, u32> = Occasion::ALL.iter().map(|o| (o.as_str().to_string(), 0)).collect();
    let mut evaluations = 0;
    repo::evaluations::for_each_between(conn, office, wide_from, wide_to, |occasion, at, answers| {
        let Ok(answers) = serde_json::from_str::<DossierAnswers>(answers) else {
            return;
        };
        if !in_range(at) {
            return;
        }
        evaluations += 1;
        *by_occasion.entry(occasion.to_string()).or_default() += 1;
        for c in Criterion::ALL {
            let slot = match answers.get(c) {
                Some(Answer::Level(l)) => Level::ALL.iter().position(|x| *x == l).unwrap_or(3),
                Some(Answer::Count(n)) => usize::from(n.clamp(1, COUNT_OR_MORE) - 1),
                None => continue,
            };
            counts.entry(c).or_default()[slot] += 1;
        }
    })?;
    let (mut received, mut evaluated) = (0, 0);
    repo::evaluations::for_each_dossier_received(conn, office, wide_from, wide_to, |at, any| {
        if in_range(at) {
            received += 1;
            evaluated += u32::from(any);
        }
    })?;
    Ok(EvaluationReport {
        evaluations,
        by_occasion,
        dossiers_received: received,
        dossiers_evaluated: evaluated,
        criteria: counts.into_iter().map(|(c, n)| criterion(c, n)).collect(),
    })
}

fn criterion(c: Criterion, n: [u32; 4]) -> CriterionReport {
    let answered: u32 = n.iter().sum();
    let names: Vec<String> = if c.counted() {
        (1..=COUNT_OR_MORE)
            .map(|k| {
                if k == COUNT_OR_MORE {
                    format!("{k}+")
                } else {
                    k.to_string()
                }
            })
            .collect()
    } else {
        Level::ALL.iter().map(|l| l.as_str().to_string()).collect()
    };
    let good = if c.counted() { n[0] } else { n[0] + n[1] };
    CriterionReport {
        number: c.number(),
        key: c.key().to_string(),
        question: c.vi().to_string(),
        answered,
        choices: names.into_iter().zip(n).collect(),
        satisfied_share: if answered == 0 {
            0.0
        } else {
            (f64::from(good) / f64::from(answered) * 1000.0).round() / 1000.0
        },
    }
}

impl EvaluationReport {
    /// CSV rows `section,key,metric,value` through `row`.
    pub fn csv_rows(&self, mut row: impl FnMut(&str, &str, &str, String)) {
        row("evaluation", "all", "evaluations", self.evaluations.to_string());
        row(
            "evaluation",
            "all",
            "dossiers_received",
            self.dossiers_received.to_string(),
        );
        row(
            "evaluation",
            "all",
            "dossiers_evaluated",
            self.dossiers_evaluated.to_string(),
        );
        for (o, n) in &self.by_occasion {
            row("evaluation", o, "evaluations", n.to_string());
        }
        for c in &self.criteria {
            let key = format!("{:02}-{}", c.number, c.key);
            row("criterion", &key, "answered", c.answered.to_string());
            for (choice, n) in &c.choices {
                row("criterion", &key, choice, n.to_string());
            }
            row(
                "criterion",
                &key,
                "satisfied_share",
                format!("{:.3}", c.satisfied_share),
            );
        }
    }

    /// The section of the text report.
    pub fn text(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = writeln!(
            out,
            "\nĐánh giá hồ sơ: {} lượt · {}/{} hồ sơ tiếp nhận được đánh giá",
            self.evaluations, self.dossiers_evaluated, self.dossiers_received
        );
        for c in &self.criteria {
            let choices: Vec<String> = c.choices.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let _ = writeln!(
                out,
                "  {:>2}. {} — {} lượt, {:.1}% {} ({})",
                c.number,
                c.question,
                c.answered,
                c.satisfied_share * 100.0,
                if c.number == 7 || c.number == 8 {
                    "một lần"
                } else {
                    "hài lòng"
                },
                choices.join(", ")
            );
        }
    }
}
