//! The satisfaction evaluation of one dossier, as the national evaluation
//! system counts it (beside the faces per ticket, [`crate::model::RatingIn`]):
//! keyed by dossier code, the overall answer plus the national criteria,
//! asked at the counter's citizen display when the dossier is taken in or
//! its result returned, and at a kiosk by scanning the receipt.
//!
//! The criteria are those of a live provincial portal's form (twelve, the
//! first the overall answer). Their answers are encoded thus:
//! - most take one of four levels, as the national forms word them:
//!   "Rất hài lòng / Hài lòng / Bình thường / Không hài lòng", sent as
//!   `very_satisfied`, `satisfied`, `neutral`, `unsatisfied`;
//! - 7 (contacts needed to complete the dossier) and 8 (agencies
//!   contacted) are counts, sent as 1, 2, 3 or 4, where 4 means "four or
//!   more" ([`COUNT_OR_MORE`]): a citizen is asked to pick, not to type.
//!
//! The overall answer is required; a criterion not asked is left out. There
//! is no free text: nothing personal travels with an evaluation.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A counter asks its citizen display to put the national questions to
/// the citizen of a dossier it just took in or returned. Central passes it
/// on its event stream (`event: evaluate`) to the office's devices; the
/// display of `counter` acts on it. No personal data: a code, a counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EvaluationAsk {
    #[serde(default)]
    pub office: String,
    /// The counter's number, as its display knows it.
    pub counter: String,
    #[serde(default)]
    pub code: String,
    pub occasion: Occasion,
}

/// Where the citizen answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Occasion {
    /// At the counter's citizen display, just after the dossier was taken in.
    Intake,
    /// At the counter's citizen display, when the result was returned.
    Return,
    /// At a kiosk, by scanning the receipt.
    Kiosk,
}

impl Occasion {
    pub const ALL: [Occasion; 3] = [Self::Intake, Self::Return, Self::Kiosk];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intake => "intake",
            Self::Return => "return",
            Self::Kiosk => "kiosk",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// The criteria a citizen is asked on this occasion. At intake the
    /// dossier is not handled yet: only what the citizen has seen so far.
    pub fn asked(self) -> &'static [Criterion] {
        use Criterion::*;
        match self {
            Self::Intake => &[Overall, Convenience, Staff, OneStop, Publicity],
            Self::Return | Self::Kiosk => &Criterion::ALL,
        }
    }
}

/// An answer on the four-level scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Rất hài lòng.
    VerySatisfied,
    /// Hài lòng.
    Satisfied,
    /// Bình thường.
    Neutral,
    /// Không hài lòng.
    Unsatisfied,
}

impl Level {
    pub const ALL: [Level; 4] = [Self::VerySatisfied, Self::Satisfied, Self::Neutral, Self::Unsatisfied];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerySatisfied => "very_satisfied",
            Self::Satisfied => "satisfied",
            Self::Neutral => "neutral",
            Self::Unsatisfied => "unsatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// As the national forms word it.
    pub fn vi(self) -> &'static str {
        match self {
            Self::VerySatisfied => "Rất hài lòng",
            Self::Satisfied => "Hài lòng",
            Self::Neutral => "Bình thường",
            Self::Unsatisfied => "Không hài lòng",
        }
    }

    /// Counted as satisfied (the national share adds the first two).
    pub fn satisfied(self) -> bool {
        matches!(self, Self::VerySatisfied | Self::Satisfied)
    }
}

/// The count that stands for "four or more" (criteria 7 and 8).
pub const COUNT_OR_MORE: u8 = 4;

/// One of the national criteria, in the form's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Criterion {
    Overall,
    Convenience,
    OnTime,
    Staff,
    LegalTime,
    ActualTime,
    Contacts,
    Agencies,
    OneStop,
    Publicity,
    Feedback,
    Online,
}

impl Criterion {
    pub const ALL: [Criterion; 12] = [
        Self::Overall,
        Self::Convenience,
        Self::OnTime,
        Self::Staff,
        Self::LegalTime,
        Self::ActualTime,
        Self::Contacts,
        Self::Agencies,
        Self::OneStop,
        Self::Publicity,
        Self::Feedback,
        Self::Online,
    ];

    /// Its field in [`DossierAnswers`].
    pub fn key(self) -> &'static str {
        match self {
            Self::Overall => "overall",
            Self::Convenience => "convenience",
            Self::OnTime => "on_time",
            Self::Staff => "staff",
            Self::LegalTime => "legal_time",
            Self::ActualTime => "actual_time",
            Self::Contacts => "contacts",
            Self::Agencies => "agencies",
            Self::OneStop => "one_stop",
            Self::Publicity => "publicity",
            Self::Feedback => "feedback",
            Self::Online => "online",
        }
    }

    /// Its number on the national form, 1–12.
    pub fn number(self) -> u8 {
        Self::ALL.iter().position(|c| *c == self).map_or(0, |i| i as u8 + 1)
    }

    /// Answered with a count (1–4, 4 = four or more), not a level.
    pub fn counted(self) -> bool {
        matches!(self, Self::Contacts | Self::Agencies)
    }

    /// The question as the national form puts it.
    pub fn vi(self) -> &'static str {
        match self {
            Self::Overall => "Mức độ hài lòng chung đối với việc giải quyết hồ sơ",
            Self::Convenience => "Sự thuận tiện khi thực hiện thủ tục hành chính",
            Self::OnTime => "Việc tiếp nhận, giải quyết và trả kết quả đúng hẹn",
            Self::Staff => "Thái độ, tác phong của cán bộ, công chức",
            Self::LegalTime => "Thời gian giải quyết so với thời hạn theo quy định",
            Self::ActualTime => "Thời gian giải quyết thực tế so với thời gian quy định",
            Self::Contacts => "Số lần phải liên hệ để hoàn thiện hồ sơ",
            Self::Agencies => "Số cơ quan, đơn vị phải liên hệ",
            Self::OneStop => "Việc tiếp nhận và trả kết quả tại Bộ phận Một cửa",
            Self::Publicity => "Việc công khai thủ tục hành chính",
            Self::Feedback => "Việc tiếp nhận, xử lý phản ánh, kiến nghị",
            Self::Online => "Tiến độ, chất lượng cung cấp dịch vụ công trực tuyến",
        }
    }
}

/// One criterion's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    Level(Level),
    Count(u8),
}

/// The answers of one evaluation: the overall answer, and each criterion
/// asked (a criterion not asked is absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierAnswers {
    /// 1: overall.
    pub overall: Level,
    /// 2: convenience of the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convenience: Option<Level>,
    /// 3: handled and returned on time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time: Option<Level>,
    /// 4: staff attitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<Level>,
    /// 5: processing time against the legal limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_time: Option<Level>,
    /// 6: actual against regulated time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_time: Option<Level>,
    /// 7: contacts needed to complete the dossier, 1–4 (4 = four or more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<u8>,
    /// 8: agencies contacted, 1–4 (4 = four or more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agencies: Option<u8>,
    /// 9: reception and return at the one-stop unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_stop: Option<Level>,
    /// 10: publicity of procedures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publicity: Option<Level>,
    /// 11: handling of feedback and complaints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Level>,
    /// 12: progress and quality of the online service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online: Option<Level>,
}

impl DossierAnswers {
    /// Only the overall answer.
    pub fn new(overall: Level) -> Self {
        Self {
            overall,
            convenience: None,
            on_time: None,
            staff: None,
            legal_time: None,
            actual_time: None,
            contacts: None,
            agencies: None,
            one_stop: None,
            publicity: None,
            feedback: None,
            online: None,
        }
    }

    fn level(&self, c: Criterion) -> Option<Level> {
        match c {
            Criterion::Overall => Some(self.overall),
            Criterion::Convenience => self.convenience,
            Criterion::OnTime => self.on_time,
            Criterion::Staff => self.staff,
            Criterion::LegalTime => self.legal_time,
            Criterion::ActualTime => self.actual_time,
            Criterion::OneStop => self.one_stop,
            Criterion::Publicity => self.publicity,
            Criterion::Feedback => self.feedback,
            Criterion::Online => self.online,
            Criterion::Contacts | Criterion::Agencies => None,
        }
    }

    /// The answer to `c`, if given.
    pub fn get(&self, c: Criterion) -> Option<Answer> {
        match c {
            Criterion::Contacts => self.contacts.map(Answer::Count),
            Criterion::Agencies => self.agencies.map(Answer::Count),
            _ => self.level(c).map(Answer::Level),
        }
    }

    /// Sets the answer to `c`; an answer of the wrong kind for `c` (a
    /// count for a level, or the reverse) is ignored.
    pub fn set(&mut self, c: Criterion, answer: Answer) {
        let slot = match (c, answer) {
            (Criterion::Contacts, Answer::Count(n)) => return self.contacts = Some(n),
            (Criterion::Agencies, Answer::Count(n)) => return self.agencies = Some(n),
            (_, Answer::Count(_)) | (Criterion::Contacts | Criterion::Agencies, _) => return,
            (Criterion::Overall, Answer::Level(l)) => return self.overall = l,
            (Criterion::Convenience, _) => &mut self.convenience,
            (Criterion::OnTime, _) => &mut self.on_time,
            (Criterion::Staff, _) => &mut self.staff,
            (Criterion::LegalTime, _) => &mut self.legal_time,
            (Criterion::ActualTime, _) => &mut self.actual_time,
            (Criterion::OneStop, _) => &mut self.one_stop,
            (Criterion::Publicity, _) => &mut self.publicity,
            (Criterion::Feedback, _) => &mut self.feedback,
            (Criterion::Online, _) => &mut self.online,
        };
        if let Answer::Level(l) = answer {
            *slot = Some(l);
        }
    }
}

/// One dossier's evaluation, as a kiosk or a citizen display sends it
/// (`POST /v1/dossiers/{code}/evaluation`). One per dossier and occasion:
/// an evaluation at the return does not replace the one at intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierRatingIn {
    /// The dossier code; the same as the path's.
    pub code: String,
    pub occasion: Occasion,
    /// RFC 3339.
    pub rated_at: String,
    pub answers: DossierAnswers,
}

impl DossierRatingIn {
    /// What the types cannot say: the field at fault and why (a count out
    /// of range), or None. Central also parses `rated_at`.
    pub fn problem(&self) -> Option<(String, String)> {
        for c in [Criterion::Contacts, Criterion::Agencies] {
            if let Some(Answer::Count(n)) = self.answers.get(c)
                && !(1..=COUNT_OR_MORE).contains(&n)
            {
                return Some((
                    format!("answers.{}", c.key()),
                    format!("{n} is not 1 to {COUNT_OR_MORE} ({COUNT_OR_MORE} meaning four or more)"),
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_are_numbered_as_the_national_form_and_keyed_by_field() {
        assert_eq!(
            Criterion::ALL.map(Criterion::number),
            std::array::from_fn(|i| i as u8 + 1)
        );
        let mut a = DossierAnswers::new(Level::Neutral);
        a.set(Criterion::Staff, Answer::Level(Level::VerySatisfied));
        a.set(Criterion::Contacts, Answer::Count(2));
        a.set(Criterion::Agencies, Answer::Level(Level::Satisfied));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"overall": "neutral", "staff": "very_satisfied", "contacts": 2})
        );
        for c in Criterion::ALL {
            let mut b = DossierAnswers::new(Level::Neutral);
            let answer = if c.counted() {
                Answer::Count(3)
            } else {
                Answer::Level(Level::Unsatisfied)
            };
            b.set(c, answer);
            assert_eq!(b.get(c), Some(answer), "{c:?}");
            let v = serde_json::to_value(&b).unwrap();
            assert!(v.get(c.key()).is_some(), "{c:?} is the field {}", c.key());
        }
    }

    #[test]
    fn a_count_out_of_range_is_named() {
        let mut e = DossierRatingIn {
            code: "X-261128-0001".into(),
            occasion: Occasion::Kiosk,
            rated_at: "2026-11-28T02:00:00Z".into(),
            answers: DossierAnswers::new(Level::Satisfied),
        };
        assert_eq!(e.problem(), None);
        e.answers.agencies = Some(0);
        assert_eq!(e.problem().unwrap().0, "answers.agencies");
        e.answers.agencies = Some(COUNT_OR_MORE);
        assert_eq!(e.problem(), None);
        e.answers.contacts = Some(COUNT_OR_MORE + 1);
        assert_eq!(e.problem().unwrap().0, "answers.contacts");
    }
}
