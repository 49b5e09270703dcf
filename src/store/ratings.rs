//! Satisfaction ratings and their outbox records.

use jiff::Timestamp;
use rusqlite::params;

use super::{Payload, Store, StoreError};
use motcua_api::model::RatingIn;

/// A satisfaction answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    Satisfied,
    Neutral,
    Unsatisfied,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Satisfied => "satisfied",
            Self::Neutral => "neutral",
            Self::Unsatisfied => "unsatisfied",
        }
    }
}

/// What a citizen may single out when rating (SIPAS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Criterion {
    /// Thái độ cán bộ.
    Staff,
    /// Thời gian giải quyết.
    Time,
    /// Công khai, minh bạch.
    Transparency,
    /// Cơ sở vật chất.
    Facilities,
}

impl Criterion {
    pub const ALL: [Criterion; 4] = [Self::Staff, Self::Time, Self::Transparency, Self::Facilities];

    /// The name central knows it by.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Time => "time",
            Self::Transparency => "transparency",
            Self::Facilities => "facilities",
        }
    }
}

/// Longest comment a citizen may leave with a rating.
pub const MAX_COMMENT: usize = 200;

/// A satisfaction answer with what came with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingEntry {
    pub answer: Rating,
    /// Central's id of the served ticket, when rated at a counter.
    pub ticket: Option<i64>,
    pub criteria: Vec<Criterion>,
    pub comment: String,
}

impl RatingEntry {
    pub fn new(answer: Rating) -> Self {
        Self {
            answer,
            ticket: None,
            criteria: Vec::new(),
            comment: String::new(),
        }
    }
}

impl Store {
    /// Stores a satisfaction answer and its outbox record.
    /// Stores a rating and queues it for central. False when this ticket
    /// was rated already: the first answer stands and nothing is written.
    pub fn rate(&mut self, entry: &RatingEntry, at: Timestamp) -> Result<bool, StoreError> {
        let at_s = at.to_string();
        let criteria: Vec<&str> = entry.criteria.iter().map(|c| c.as_str()).collect();
        let criteria = serde_json::to_string(&criteria).expect("strings serialize");
        let comment: String = entry.comment.trim().chars().take(MAX_COMMENT).collect();
        self.write(|tx| {
            let inserted = tx.execute(
                "INSERT INTO ratings (rated_at, answer, central_ticket, criteria, comment)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (central_ticket) DO NOTHING",
                params![at_s, entry.answer.as_str(), entry.ticket, criteria, comment],
            )?;
            if inserted == 0 {
                return Ok(false);
            }
            let id = tx.last_insert_rowid();
            let rating = Payload::Rating(RatingIn {
                answer: entry.answer.as_str().to_string(),
                rated_at: at_s.clone(),
                ticket_id: entry.ticket,
                criteria: entry.criteria.iter().map(|c| c.as_str().to_string()).collect(),
                comment: (!comment.is_empty()).then(|| comment.clone()),
            });
            let key = match entry.ticket {
                Some(t) => format!("rating-ticket-{t}"),
                None => format!("rating-{}-{id}", tx.instance),
            };
            tx.enqueue_payload(&key, &rating, &at_s)?;
            Ok(true)
        })
    }
}
