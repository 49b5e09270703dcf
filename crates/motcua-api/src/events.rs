//! The blocks of central's event stream (`/v1/events`, server-sent
//! events) as a device reads them: a queue event, `lagged` (events were
//! dropped for a slow follower), `closed` (central ended the stream), or
//! nothing the device acts on (a keep-alive, an event it does not know).

use crate::evaluation::EvaluationAsk;
use crate::model::QueueEvent;

/// What one block of the stream says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Queue(Box<QueueEvent>),
    /// A counter asks its citizen display to put the national questions.
    Evaluate(EvaluationAsk),
    /// Central dropped events this follower was too slow for.
    Lagged,
    /// Central ended the stream.
    Closed,
    /// Nothing for the follower.
    Nothing,
}

/// Reads a block from its `event:` name and its `data:` text.
pub fn read(event: Option<&str>, data: Option<&str>) -> Block {
    match event {
        Some("lagged") => Block::Lagged,
        Some("closed") => Block::Closed,
        Some("evaluate") => match data.map(serde_json::from_str::<EvaluationAsk>) {
            Some(Ok(ask)) => Block::Evaluate(ask),
            _ => Block::Nothing,
        },
        _ => match data.map(serde_json::from_str::<QueueEvent>) {
            Some(Ok(e)) => Block::Queue(Box::new(e)),
            _ => Block::Nothing,
        },
    }
}
