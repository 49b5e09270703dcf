//! What hall boards and citizen displays follow: the board's state, and
//! the server-sent event stream of the office's queue changes.

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;

use crate::App;
use crate::auth::Authed;
use crate::error::ApiError;
use crate::repo;
use motcua_api::model::{BoardState, QueueEvent};
use motcua_core::time::local_day;

/// What a hall board shows: the latest calls, the waiting counts, the notice.
#[utoipa::path(get, path = "/v1/board", responses((status = OK, body = BoardState)), security(("bearer" = [])))]
pub async fn board(State(app): State<App>, Authed(device): Authed) -> Result<axum::Json<BoardState>, ApiError> {
    let office = device.office;
    let day = local_day(app.now()).to_string();
    let state = app
        .db
        .read(move |c| {
            let notice = repo::offices::notice(c, &office)?;
            Ok(BoardState {
                called: repo::tickets::latest_called(c, &office, &day, 12)?,
                waiting: repo::tickets::waiting(c, &office, &day)?,
                notice,
                office,
            })
        })
        .await?;
    Ok(axum::Json(state))
}

/// Server-sent events of the office's queue changes. Events are not
/// replayed (no `id:`): a client refetches what it shows when it
/// (re)connects, and when a `lagged` event says it missed some. A stream
/// central ends (the device revoked, or replaced by its newer streams) gets
/// a last `closed` event with the reason and a `retry:` delay.
#[utoipa::path(get, path = "/v1/events", responses((status = OK, description = "text/event-stream of QueueEvent")), security(("bearer" = [])))]
pub async fn events(
    State(app): State<App>,
    Authed(device): Authed,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // The stream owns its registration and its receiver: when the client
    // is gone and the body is dropped, both go at once.
    let (registration, cut) = app.streams.open(device.device_id);
    let stream = EventStream {
        rx: app.events.subscribe(),
        asks: app.asks.subscribe(),
        cut: Some(cut),
        office: device.office,
        _registration: registration,
    };
    let keep_alive = app.event_keep_alive;
    Sse::new(futures::stream::unfold(stream, |mut s| async move {
        s.next().await.map(|event| (Ok(event), s))
    }))
    .keep_alive(KeepAlive::new().interval(keep_alive))
}

/// One client's event stream.
struct EventStream {
    rx: tokio::sync::broadcast::Receiver<QueueEvent>,
    asks: tokio::sync::broadcast::Receiver<motcua_api::evaluation::EvaluationAsk>,
    /// Resolves when central cuts the stream; None once it has.
    cut: Option<tokio::sync::oneshot::Receiver<crate::streams::Cut>>,
    office: String,
    _registration: crate::streams::Registration,
}

impl EventStream {
    /// The next event for this client; None ends the stream.
    async fn next(&mut self) -> Option<Event> {
        use tokio::sync::broadcast::error::RecvError;
        let cut = self.cut.as_mut()?;
        loop {
            tokio::select! {
                why = &mut *cut => {
                    self.cut = None;
                    // The registry went away too: the server is stopping.
                    let why = why.ok()?;
                    return Some(Event::default().event("closed").data(why.as_str()).retry(why.retry()));
                }
                received = self.rx.recv() => match received {
                    Ok(ev) if ev.office == self.office => {
                        return Some(
                            Event::default()
                                .event(ev.kind.as_str())
                                .json_data(&ev)
                                .unwrap_or_default(),
                        );
                    }
                    Ok(_) => {}
                    // Missed some: the client should refetch the queue.
                    Err(RecvError::Lagged(n)) => return Some(Event::default().event("lagged").data(n.to_string())),
                    Err(RecvError::Closed) => return None,
                },
                // An ask missed is an evaluation not offered: nothing to refetch.
                asked = self.asks.recv() => match asked {
                    Ok(ask) if ask.office == self.office => {
                        return Some(Event::default().event("evaluate").json_data(&ask).unwrap_or_default());
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                },
            }
        }
    }
}
