//! Following central's event stream (`/v1/events`, server-sent events):
//! queue changes as they happen, for counters and boards. When the stream
//! drops it says so and reconnects with capped backoff and jitter.

use std::time::Duration;

use futures::Stream;

use super::{Backoff, Client, unit};
use crate::central::model::QueueEvent;

/// What the stream tells its follower.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Connected (again): counts may have changed meanwhile.
    Connected,
    Queue(Box<QueueEvent>),
    /// The stream dropped; a reconnect follows after `retry_in`.
    Disconnected {
        retry_in: Duration,
    },
}

/// Parses server-sent event text into `(event, data)` pairs, keeping an
/// unfinished message in `buf`.
pub fn parse(buf: &mut String, chunk: &str) -> Vec<(String, String)> {
    buf.push_str(&chunk.replace("\r\n", "\n"));
    let mut out = Vec::new();
    while let Some(end) = buf.find("\n\n") {
        let message: String = buf.drain(..end + 2).collect();
        let (mut event, mut data) = (String::from("message"), String::new());
        for line in message.lines() {
            if let Some(v) = line.strip_prefix("event:") {
                event = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                if !data.is_empty() {
                    data.push('\n');
                }
                data.push_str(v.strip_prefix(' ').unwrap_or(v));
            }
        }
        if !data.is_empty() {
            out.push((event, data));
        }
    }
    out
}

/// Longest silence before the stream counts as dropped.
const SILENCE: Duration = Duration::from_secs(45);

enum State {
    Connecting,
    Open(reqwest::Response, String),
    Waiting(Duration),
}

/// Follows central's events for ever.
pub fn follow(client: Client) -> impl Stream<Item = Event> + Send + 'static {
    let backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(30));
    futures::stream::unfold(
        (client, State::Connecting, backoff, Vec::<Event>::new()),
        |(client, mut state, mut backoff, mut pending)| async move {
            loop {
                if let Some(event) = pending.pop() {
                    return Some((event, (client, state, backoff, pending)));
                }
                state = match state {
                    State::Waiting(d) => {
                        tokio::time::sleep(d).await;
                        State::Connecting
                    }
                    State::Connecting => match client.events().await {
                        Ok(response) => {
                            backoff.reset();
                            pending.push(Event::Connected);
                            State::Open(response, String::new())
                        }
                        Err(_) => {
                            let retry_in = backoff.next(unit()).max(Duration::from_millis(200));
                            pending.push(Event::Disconnected { retry_in });
                            State::Waiting(retry_in)
                        }
                    },
                    // Central's keep-alive comes every 15 s: longer silence
                    // means the line is dead.
                    State::Open(mut response, mut buf) => match tokio::time::timeout(SILENCE, response.chunk()).await {
                        Ok(Ok(Some(bytes))) => {
                            let mut events: Vec<Event> = parse(&mut buf, &String::from_utf8_lossy(&bytes))
                                .into_iter()
                                .filter_map(|(_, data)| serde_json::from_str::<QueueEvent>(&data).ok())
                                .map(|e| Event::Queue(Box::new(e)))
                                .collect();
                            // `pending` is a stack: keep the stream's order.
                            events.reverse();
                            pending.extend(events);
                            State::Open(response, buf)
                        }
                        _ => {
                            let retry_in = backoff.next(unit()).max(Duration::from_millis(200));
                            pending.push(Event::Disconnected { retry_in });
                            State::Waiting(retry_in)
                        }
                    },
                };
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_whole_messages_across_chunks() {
        let mut buf = String::new();
        assert!(parse(&mut buf, "event: issued\ndata: {\"a\"").is_empty());
        let got = parse(
            &mut buf,
            ":1}\n\n: keep-alive\n\nevent: called\r\ndata: x\r\n\r\ndata: y",
        );
        assert_eq!(
            got,
            vec![
                ("issued".to_string(), "{\"a\":1}".to_string()),
                ("called".to_string(), "x".to_string())
            ]
        );
        assert_eq!(buf, "data: y");
    }
}
