//! Following central's event stream (`/v1/events`, server-sent events):
//! queue changes as they happen, for counters and boards. When the stream
//! drops it says so and reconnects with capped backoff and jitter, or after
//! the delay central asked for (`retry:`). The stream is parsed by
//! `sse-stream` from bytes, so a letter split between two network reads
//! stays whole. Central does not replay events: a follower refetches what
//! it shows on [`Event::Connected`] and on [`Event::Lagged`].
//!
//! A central of several addresses (see [`Client::with_addresses`]): a
//! stream that breaks moves the client to the next address, and one that
//! cannot be opened tries each in turn, so the reconnect goes where central
//! still answers.

use std::pin::Pin;
use std::time::Duration;

use futures::{Stream, StreamExt};
use sse_stream::{Sse, SseByteStream};

use motcua_core::backoff::{Backoff, unit};

use super::Client;
use motcua_api::events::Block;
use motcua_api::model::QueueEvent;

/// What the stream tells its follower.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Connected (again): counts may have changed meanwhile.
    Connected,
    Queue(Box<QueueEvent>),
    /// A counter asks its citizen display for a dossier's evaluation.
    Evaluate(motcua_api::evaluation::EvaluationAsk),
    /// Central dropped events this follower was too slow for: what it
    /// shows must be fetched again.
    Lagged,
    /// The stream dropped; a reconnect follows after `retry_in`.
    Disconnected {
        retry_in: Duration,
    },
}

/// Longest silence before the stream counts as dropped.
const SILENCE: Duration = Duration::from_secs(45);

/// Longest reconnection delay central may ask for.
const MAX_RETRY: Duration = Duration::from_secs(600);

/// What one block of the stream says ([`motcua_api::events::read`]).
fn said(sse: &Sse) -> Block {
    motcua_api::events::read(sse.event.as_deref(), sse.data.as_deref())
}

type Blocks = Pin<Box<dyn Stream<Item = Result<Sse, sse_stream::Error>> + Send>>;

/// The blocks of one connection's stream. Silence longer than [`SILENCE`]
/// (central's keep-alive comes every 15 s) ends it as an error: the line
/// is dead.
fn blocks(response: reqwest::Response) -> Blocks {
    let bytes = futures::stream::unfold(Some(response), |response| async move {
        let mut response = response?;
        match tokio::time::timeout(SILENCE, response.chunk()).await {
            Ok(Ok(Some(bytes))) => Some((Ok(bytes), Some(response))),
            Ok(Ok(None)) => None,
            Ok(Err(e)) => Some((Err(std::io::Error::other(e)), None)),
            Err(_) => Some((
                Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "central went silent")),
                None,
            )),
        }
    });
    Box::pin(SseByteStream::new(bytes))
}

enum State {
    Connecting,
    /// A stream, and the address of central it comes from.
    Open(Blocks, String),
    Waiting(Duration),
}

/// Follows central's events for ever.
pub fn follow(client: Client) -> impl Stream<Item = Event> + Send + 'static {
    struct Follower {
        client: Client,
        state: State,
        backoff: Backoff,
        /// The reconnection delay central asked for, if it did.
        retry: Option<Duration>,
        pending: Vec<Event>,
    }
    impl Follower {
        /// The stream from `at` broke: the next connection goes to the
        /// next address of central, if it has another.
        fn broken(&mut self, at: &str) -> State {
            self.client.move_on(at, &"the event stream broke");
            self.disconnect()
        }

        /// Drops the connection: says so, and waits before the next.
        fn disconnect(&mut self) -> State {
            let backoff = self.backoff.next(unit()).max(Duration::from_millis(200));
            let retry_in = self.retry.map_or(backoff, |r| r.max(backoff));
            self.pending.push(Event::Disconnected { retry_in });
            State::Waiting(retry_in)
        }
    }
    let follower = Follower {
        client,
        state: State::Connecting,
        backoff: Backoff::new(Duration::from_millis(500), Duration::from_secs(30)),
        retry: None,
        pending: Vec::new(),
    };
    futures::stream::unfold(follower, |mut f| async move {
        loop {
            if let Some(event) = f.pending.pop() {
                return Some((event, f));
            }
            let state = std::mem::replace(&mut f.state, State::Connecting);
            f.state = match state {
                State::Waiting(d) => {
                    tokio::time::sleep(d).await;
                    State::Connecting
                }
                State::Connecting => match f.client.events().await {
                    Ok(response) => {
                        f.backoff.reset();
                        f.pending.push(Event::Connected);
                        State::Open(blocks(response), f.client.base())
                    }
                    Err(_) => f.disconnect(),
                },
                State::Open(mut blocks, at) => match blocks.next().await {
                    Some(Ok(sse)) => {
                        if let Some(ms) = sse.retry {
                            f.retry = Some(Duration::from_millis(ms).min(MAX_RETRY));
                        }
                        match said(&sse) {
                            Block::Queue(e) => {
                                f.pending.push(Event::Queue(e));
                                State::Open(blocks, at)
                            }
                            Block::Lagged => {
                                f.pending.push(Event::Lagged);
                                State::Open(blocks, at)
                            }
                            Block::Evaluate(ask) => {
                                f.pending.push(Event::Evaluate(ask));
                                State::Open(blocks, at)
                            }
                            Block::Nothing => State::Open(blocks, at),
                            Block::Closed => f.broken(&at),
                        }
                    }
                    _ => f.broken(&at),
                },
            };
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a stream made of `chunks` says, block by block.
    fn read(chunks: Vec<&'static [u8]>) -> Vec<Result<Block, String>> {
        let bytes = futures::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>));
        futures::executor::block_on(
            SseByteStream::new(bytes)
                .map(|b| b.map(|sse| said(&sse)).map_err(|e| e.to_string()))
                .collect(),
        )
    }

    fn queue_event(counter: &str) -> QueueEvent {
        serde_json::from_value(serde_json::json!({
            "kind": "called",
            "office": "000.00.01.H26",
            "ticket": {
                "id": 7, "office": "000.00.01.H26", "day": "2026-11-28", "group": "B", "slot": 0,
                "number": 23, "display": "B-023", "lane": "normal", "procedure": null,
                "issued_at": "2026-11-28T02:00:00Z", "status": "called", "counter": counter,
                "same_lane_ahead": 0, "other_lane_waiting": 0
            },
            "waiting": [],
            "call": 1
        }))
        .unwrap()
    }

    #[test]
    fn a_letter_split_between_two_reads_stays_whole() {
        let event = queue_event("Quầy 3");
        let text = format!("event: called\ndata: {}\n\n", serde_json::to_string(&event).unwrap());
        let bytes: &'static [u8] = Box::leak(text.into_bytes().into_boxed_slice());
        // Cut inside "ầ" (three bytes in UTF-8).
        let at = bytes.windows(3).position(|w| w == "ầ".as_bytes()).unwrap() + 1;
        let got = read(vec![&bytes[..at], &bytes[at..]]);
        assert_eq!(got, vec![Ok(Block::Queue(Box::new(event)))]);
    }

    #[test]
    fn keep_alives_lagged_closed_and_retry_are_understood() {
        let got = read(vec![
            b": keep-alive\n\nevent: lagged\r\ndata: 12\r\n\r\n",
            b"event: closed\ndata: revoked\nretry: 300000\n\n",
            b"event: called\ndata: not json\n\n",
        ]);
        assert_eq!(got, vec![Ok(Block::Lagged), Ok(Block::Closed), Ok(Block::Nothing)]);
    }
}
