//! Writes as devices make them: once per `Idempotency-Key` (a retry
//! replays the first answer), and a queue change told on the event stream
//! with the counts read in its own transaction.

use crate::sql::Conn;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::extract::{FINGERPRINT_V2, IdemKey};
use crate::App;
use crate::error::ApiError;
use crate::repo;
use motcua_api::model::{Device, EventKind, GroupWaiting, QueueEvent, Ticket};
use motcua_core::time::local_day;

/// The outcome of an idempotent write.
pub struct Written<T, X = ()> {
    pub status: StatusCode,
    pub body: String,
    /// The value and what came with it, when this call did the write (not
    /// a replay).
    pub fresh: Option<(T, X)>,
}

impl<T, X> IntoResponse for Written<T, X> {
    fn into_response(self) -> Response {
        (self.status, [(header::CONTENT_TYPE, "application/json")], self.body).into_response()
    }
}

/// Runs a write once per (device, key): the same key, method, path and
/// body replay the first answer; the same key on any other request is
/// refused, never answered with another request's answer.
pub async fn idempotent<T, F>(
    app: &App,
    device_id: i64,
    key: IdemKey,
    hash: String,
    work: F,
) -> Result<Written<T>, ApiError>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&Conn) -> Result<(StatusCode, T), ApiError> + Send + 'static,
{
    idempotent_with(app, device_id, key, hash, move |c| work(c).map(|(s, t)| (s, t, ()))).await
}

/// What the event stream sends with a queue change, read in the write's
/// own transaction.
pub struct EventExtra {
    pub waiting: Vec<GroupWaiting>,
    /// The ticket's call count (see [`QueueEvent::call`]).
    pub call: u32,
}

/// A queue change, written once per key, with the office's waiting counts
/// and the ticket's call count read in the same transaction for the event
/// stream.
pub async fn queue_write<T, F>(
    app: &App,
    device: &Device,
    key: IdemKey,
    hash: String,
    work: F,
) -> Result<Written<T, EventExtra>, ApiError>
where
    T: Serialize + Clone + Into<Option<Ticket>> + Send + 'static,
    F: FnOnce(&Conn) -> Result<(StatusCode, T), ApiError> + Send + 'static,
{
    let office = device.office.clone();
    // Only a listener needs the counts (one of another central process,
    // perhaps).
    let listened = app.events.receiver_count() > 0 || app.fanout.is_some();
    let today = local_day(app.now()).to_string();
    idempotent_with(app, device.device_id, key, hash, move |c| {
        let (status, value) = work(c)?;
        let waiting = if listened {
            repo::tickets::waiting(c, &office, &today)?
        } else {
            Vec::new()
        };
        let call = match value.clone().into() {
            Some(t) if listened => repo::tickets::calls(c, t.id)?,
            _ => 0,
        };
        Ok((status, value, EventExtra { waiting, call }))
    })
    .await
}

async fn idempotent_with<T, X, F>(
    app: &App,
    device_id: i64,
    key: IdemKey,
    hash: String,
    work: F,
) -> Result<Written<T, X>, ApiError>
where
    T: Serialize + Send + 'static,
    X: Send + 'static,
    F: FnOnce(&Conn) -> Result<(StatusCode, T, X), ApiError> + Send + 'static,
{
    let fingerprint = key.fingerprint(&hash);
    let key = key.key;
    let now = app.now();
    app.db
        .write(move |conn| {
            // A retry of this request on another central process waits
            // for this one, then replays its answer.
            conn.lock(&format!("device:{device_id}"))?;
            if let Some(stored) = repo::idempotency::find(conn, device_id, &key)? {
                // A row from before method and path were kept has only the
                // body's hash: a retry across the upgrade still replays.
                let same = if stored.fingerprint.starts_with(FINGERPRINT_V2) {
                    stored.fingerprint == fingerprint
                } else {
                    stored.fingerprint == hash
                };
                if !same {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "idempotency_key_reused",
                        "this Idempotency-Key was used before for another request (another method, path or body); \
                         each request needs its own key",
                    ));
                }
                return Ok(Written {
                    status: StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK),
                    body: stored.body,
                    fresh: None,
                });
            }
            let (status, value, extra) = work(conn)?;
            let body = serde_json::to_string(&value).expect("answers serialize");
            repo::idempotency::store(conn, device_id, &key, &fingerprint, status.as_u16(), &body, now)?;
            Ok(Written {
                status,
                body,
                fresh: Some((value, extra)),
            })
        })
        .await
}

pub async fn waiting_now(app: &App, office: String) -> Vec<GroupWaiting> {
    let day = local_day(app.now()).to_string();
    app.db
        .read(move |c| repo::tickets::waiting(c, &office, &day))
        .await
        .unwrap_or_default()
}

/// Tells the event stream about a queue change this call made.
pub fn announce<T: Clone + Into<Option<Ticket>>>(app: &App, kind: EventKind, written: &Written<T, EventExtra>) {
    if let Some((value, extra)) = &written.fresh
        && let Some(ticket) = value.clone().into()
    {
        app.publish(QueueEvent {
            kind,
            office: ticket.office.clone(),
            ticket,
            waiting: extra.waiting.clone(),
            call: extra.call,
        });
    }
}
