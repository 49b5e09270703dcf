//! Queue events and evaluation asks reach the event streams of every
//! central process sharing one PostgreSQL: each process sends what its
//! own writes announce with `NOTIFY`, in order, on one connection, and
//! `LISTEN`s on another for what the others announce, which it hands to
//! its own streams as if it had made them. A board connected to process A
//! sees a call a counter made on process B.
//!
//! A process skips its own notifications (its streams had them at once).
//! The listener reconnects when its connection drops; a board that missed
//! events meanwhile catches up as it does after any gap, from
//! `/v1/board`.

use std::time::Duration;

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};
use tokio_postgres::{AsyncMessage, NoTls};

use motcua_api::evaluation::EvaluationAsk;
use motcua_api::model::QueueEvent;

/// The channel central's processes speak on.
pub const CHANNEL: &str = "motcua_events";

#[derive(Serialize, Deserialize)]
struct Note {
    /// The process that made it.
    from: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event: Option<QueueEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ask: Option<EvaluationAsk>,
}

/// This process's side of the fan-out.
#[derive(Clone)]
pub struct Fanout {
    me: u64,
    out: mpsc::UnboundedSender<String>,
}

impl Fanout {
    /// Starts the sender and the listener on the pool's runtime, handing
    /// what other processes announce to `events` and `asks`.
    pub fn start(
        pg: &crate::pg::PgDb,
        url: &str,
        events: broadcast::Sender<QueueEvent>,
        asks: broadcast::Sender<EvaluationAsk>,
    ) -> Self {
        let mut seed = [0u8; 8];
        let _ = getrandom::fill(&mut seed);
        let me = u64::from_le_bytes(seed);
        let (out, rx) = mpsc::unbounded_channel();
        pg.handle().spawn(send(pg.clone(), rx));
        pg.handle().spawn(listen(url.to_string(), me, events, asks));
        Self { me, out }
    }

    pub fn event(&self, event: &QueueEvent) {
        self.queue(Note {
            from: self.me,
            event: Some(event.clone()),
            ask: None,
        });
    }

    pub fn ask(&self, ask: &EvaluationAsk) {
        self.queue(Note {
            from: self.me,
            event: None,
            ask: Some(ask.clone()),
        });
    }

    fn queue(&self, note: Note) {
        let body = serde_json::to_string(&note).expect("events serialize");
        // NOTIFY carries under 8,000 bytes; an event is a few hundred.
        let _ = self.out.send(body);
    }
}

/// Sends the notes in the order they were made, on one pooled connection.
async fn send(pg: crate::pg::PgDb, mut rx: mpsc::UnboundedReceiver<String>) {
    while let Some(body) = rx.recv().await {
        loop {
            let sent = async {
                let client = pg.pool().get().await.map_err(|e| e.to_string())?;
                client
                    .execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &body])
                    .await
                    .map_err(|e| e.to_string())
            }
            .await;
            match sent {
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "a queue event could not be told to the other central processes; trying again");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
    }
}

/// Listens for the other processes' notes, reconnecting when the
/// connection drops.
async fn listen(url: String, me: u64, events: broadcast::Sender<QueueEvent>, asks: broadcast::Sender<EvaluationAsk>) {
    loop {
        match tokio_postgres::connect(&url, NoTls).await {
            Ok((client, mut connection)) => {
                let (tx, mut notes) = mpsc::unbounded_channel();
                let pump = tokio::spawn(async move {
                    let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(Ok(message)) = messages.next().await {
                        if let AsyncMessage::Notification(n) = message {
                            let _ = tx.send(n.payload().to_string());
                        }
                    }
                });
                if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}")).await {
                    tracing::warn!(error = %e, "central cannot listen for the other processes' events");
                } else {
                    while let Some(body) = notes.recv().await {
                        match serde_json::from_str::<Note>(&body) {
                            Ok(note) if note.from == me => {}
                            Ok(note) => {
                                if let Some(event) = note.event {
                                    let _ = events.send(event);
                                }
                                if let Some(ask) = note.ask {
                                    let _ = asks.send(ask);
                                }
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "an event from another central process was not understood")
                            }
                        }
                    }
                }
                pump.abort();
                tracing::warn!("the connection for the other central processes' events dropped; reconnecting");
            }
            Err(e) => tracing::warn!(error = %e, "central cannot reach PostgreSQL for the other processes' events"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
