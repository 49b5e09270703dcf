//! The HTTP handlers of `/v1`, each described for the OpenAPI document by
//! the same code that routes it.

use std::convert::Infallible;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::auth::{self, Authed};
use super::error::ApiError;
use super::{App, dossier, queue};
use motcua_api::error::ErrorBody;
use motcua_api::model::*;
use motcua_core::time::local_day;

/// The `Idempotency-Key` header every write carries, with the method and
/// path it came with: a key names one request, not just one body.
pub struct IdemKey {
    pub key: String,
    pub method: axum::http::Method,
    pub path: String,
}

impl IdemKey {
    /// What a stored answer is for: the method, the path and the body's
    /// hash, hashed together. `v2:` tells it from the rows written when
    /// only the body's hash was kept.
    fn fingerprint(&self, body_hash: &str) -> String {
        format!(
            "{FINGERPRINT_V2}{}",
            auth::hash(&format!("{} {}\n{body_hash}", self.method, self.path))
        )
    }
}

const FINGERPRINT_V2: &str = "v2:";

impl FromRequestParts<App> for IdemKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &App) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get("idempotency-key")
            .ok_or_else(|| ApiError::bad_request("every write needs an Idempotency-Key header"))?
            .to_str()
            .map_err(|_| ApiError::bad_request("the Idempotency-Key is not text"))?;
        if key.is_empty() || key.len() > 128 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ApiError::bad_request(
                "the Idempotency-Key must be 1–128 visible ASCII characters",
            ));
        }
        Ok(IdemKey {
            key: key.to_string(),
            method: parts.method.clone(),
            path: parts.uri.path().to_string(),
        })
    }
}

/// A JSON body, with the hash of its bytes for idempotency checks.
pub struct JsonIn<T> {
    pub value: T,
    pub hash: String,
}

impl<T: DeserializeOwned> FromRequest<App> for JsonIn<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, app: &App) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the body must be JSON with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, app).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the body is larger than allowed",
                )
            } else {
                ApiError::bad_request(format!("the body could not be read: {e}"))
            }
        })?;
        let value = serde_json::from_slice(&bytes).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => ApiError::unprocessable(format!("the JSON does not fit: {e}")),
            _ => ApiError::bad_request(format!("the body is not valid JSON: {e}")),
        })?;
        Ok(JsonIn {
            value,
            hash: auth::hash(&String::from_utf8_lossy(&bytes)),
        })
    }
}

/// The outcome of an idempotent write.
struct Written<T, X = ()> {
    status: StatusCode,
    body: String,
    /// The value and what came with it, when this call did the write (not
    /// a replay).
    fresh: Option<(T, X)>,
}

impl<T, X> IntoResponse for Written<T, X> {
    fn into_response(self) -> Response {
        (self.status, [(header::CONTENT_TYPE, "application/json")], self.body).into_response()
    }
}

/// Runs a write once per (device, key): the same key, method, path and
/// body replay the first answer; the same key on any other request is
/// refused, never answered with another request's answer.
async fn idempotent<T, F>(
    app: &App,
    device_id: i64,
    key: IdemKey,
    hash: String,
    work: F,
) -> Result<Written<T>, ApiError>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&Connection) -> Result<(StatusCode, T), ApiError> + Send + 'static,
{
    idempotent_with(app, device_id, key, hash, move |c| work(c).map(|(s, t)| (s, t, ()))).await
}

/// What the event stream sends with a queue change, read in the write's
/// own transaction.
struct EventExtra {
    waiting: Vec<GroupWaiting>,
    /// The ticket's call count (see [`QueueEvent::call`]).
    call: u32,
}

/// A queue change, written once per key, with the office's waiting counts
/// and the ticket's call count read in the same transaction for the event
/// stream.
async fn queue_write<T, F>(
    app: &App,
    device: &Device,
    key: IdemKey,
    hash: String,
    work: F,
) -> Result<Written<T, EventExtra>, ApiError>
where
    T: Serialize + Clone + Into<Option<Ticket>> + Send + 'static,
    F: FnOnce(&Connection) -> Result<(StatusCode, T), ApiError> + Send + 'static,
{
    let office = device.office.clone();
    // Only a listener needs the counts.
    let listened = app.events.receiver_count() > 0;
    let today = local_day(app.now()).to_string();
    idempotent_with(app, device.device_id, key, hash, move |c| {
        let (status, value) = work(c)?;
        let waiting = if listened {
            queue::waiting(c, &office, &today)?
        } else {
            Vec::new()
        };
        let call = match value.clone().into() {
            Some(t) if listened => queue::calls(c, t.id)?,
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
    F: FnOnce(&Connection) -> Result<(StatusCode, T, X), ApiError> + Send + 'static,
{
    let fingerprint = key.fingerprint(&hash);
    let key = key.key;
    let now = app.now();
    app.db
        .write(move |conn| {
            let stored: Option<(String, u16, String)> = conn
                .prepare_cached("SELECT request_hash, status, body FROM idempotency WHERE device_id = ?1 AND key = ?2")?
                .query_row(params![device_id, key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            if let Some((stored, status, body)) = stored {
                // A row from before method and path were kept has only the
                // body's hash: a retry across the upgrade still replays.
                let same = if stored.starts_with(FINGERPRINT_V2) {
                    stored == fingerprint
                } else {
                    stored == hash
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
                    status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                    body,
                    fresh: None,
                });
            }
            let (status, value, extra) = work(conn)?;
            let body = serde_json::to_string(&value).expect("answers serialize");
            conn.prepare_cached(
                "INSERT INTO idempotency (device_id, key, request_hash, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![device_id, key, fingerprint, status.as_u16(), body, now.to_string()])?;
            Ok(Written {
                status,
                body,
                fresh: Some((value, extra)),
            })
        })
        .await
}

async fn waiting_now(app: &App, office: String) -> Vec<GroupWaiting> {
    let day = local_day(app.now()).to_string();
    app.db
        .read(move |c| queue::waiting(c, &office, &day))
        .await
        .unwrap_or_default()
}

/// Tells the event stream about a queue change this call made.
fn announce<T: Clone + Into<Option<Ticket>>>(app: &App, kind: &str, written: &Written<T, EventExtra>) {
    if let Some((value, extra)) = &written.fresh
        && let Some(ticket) = value.clone().into()
    {
        // Nobody listening is fine.
        let _ = app.events.send(QueueEvent {
            kind: kind.to_string(),
            office: ticket.office.clone(),
            ticket,
            waiting: extra.waiting.clone(),
            call: extra.call,
        });
    }
}

fn need_role(device: &Device, roles: &[Role]) -> Result<(), ApiError> {
    if roles.contains(&device.role) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "a {} may not do this",
            device.role.as_str()
        )))
    }
}

/// Health: the process answers.
#[utoipa::path(get, path = "/healthz", responses((status = OK, description = "alive")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database reads and the writer commits.
#[utoipa::path(get, path = "/readyz", responses((status = OK, description = "ready"), (status = SERVICE_UNAVAILABLE, body = ErrorBody)))]
pub async fn readyz(State(app): State<App>) -> Result<&'static str, ApiError> {
    app.db
        .read(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))
        .await?;
    app.db.write(|_| Ok(())).await?;
    Ok("ready")
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", responses((status = OK, description = "Prometheus text format")))]
pub async fn metrics(State(app): State<App>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(app.streams.open_count(), app.db.panics()),
    )
}

/// Exchanges a one-time enrollment token for a device credential.
#[utoipa::path(post, path = "/v1/enroll", request_body = EnrollRequest,
    responses((status = CREATED, body = Enrolled), (status = UNAUTHORIZED, body = ErrorBody)))]
pub async fn enroll(
    State(app): State<App>,
    body: JsonIn<EnrollRequest>,
) -> Result<(StatusCode, axum::Json<Enrolled>), ApiError> {
    let token = body.value.token;
    let now = app.now();
    let (device, credential) = app.db.write(move |c| auth::enroll_at(c, &token, now)).await?;
    tracing::info!(device = device.device_id, office = %device.office, role = device.role.as_str(), "device enrolled");
    Ok((StatusCode::CREATED, axum::Json(Enrolled { device, credential })))
}

/// The device the credential belongs to.
#[utoipa::path(get, path = "/v1/me", responses((status = OK, body = Device), (status = UNAUTHORIZED, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn me(Authed(device): Authed) -> axum::Json<Device> {
    axum::Json(device)
}

/// The office's procedure catalog, with an ETag.
#[utoipa::path(get, path = "/v1/catalog", responses((status = OK, description = "the catalog as JSON"), (status = NOT_MODIFIED)),
    security(("bearer" = [])))]
pub async fn catalog(State(app): State<App>, Authed(device): Authed, headers: HeaderMap) -> Result<Response, ApiError> {
    let office = device.office.clone();
    let stored: Option<(String, String)> = app
        .db
        .read(move |c| {
            Ok(
                c.query_row("SELECT body, etag FROM catalogs WHERE office = ?1", [office], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?,
            )
        })
        .await?;
    let (body, etag) = stored.unwrap_or_else(|| app.default_catalog.as_ref().clone());
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    Ok((
        StatusCode::OK,
        [
            (header::ETAG, etag),
            (header::CONTENT_TYPE, "application/json".to_string()),
        ],
        body,
    )
        .into_response())
}

/// Issues a ticket with the office's next number.
#[utoipa::path(post, path = "/v1/tickets", request_body = NewTicket,
    params(("Idempotency-Key" = String, Header)),
    responses((status = CREATED, body = Ticket), (status = UNPROCESSABLE_ENTITY, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn issue_ticket(
    State(app): State<App>,
    Authed(device): Authed,
    key: IdemKey,
    body: JsonIn<NewTicket>,
) -> Result<Response, ApiError> {
    need_role(&device, &[Role::Kiosk, Role::Counter])?;
    let (office, id, new) = (device.office.clone(), device.device_id, body.value);
    let now = app.now();
    let written = queue_write(&app, &device, key, body.hash, move |c| {
        Ok((StatusCode::CREATED, queue::issue(c, &office, id, &new, now)?))
    })
    .await?;
    app.metrics.tickets.inc();
    announce(&app, "issued", &written);
    Ok(written.into_response())
}

/// Records a ticket a kiosk issued from its own numbering while offline.
#[utoipa::path(post, path = "/v1/tickets/offline", request_body = OfflineTicket,
    params(("Idempotency-Key" = String, Header)),
    responses((status = CREATED, body = Ticket), (status = CONFLICT, body = ErrorBody), (status = FORBIDDEN, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn import_ticket(
    State(app): State<App>,
    Authed(device): Authed,
    key: IdemKey,
    body: JsonIn<OfflineTicket>,
) -> Result<Response, ApiError> {
    need_role(&device, &[Role::Kiosk])?;
    let (office, id, slot, t) = (device.office.clone(), device.device_id, device.slot, body.value);
    let now = app.now();
    let written = queue_write(&app, &device, key, body.hash, move |c| {
        Ok((StatusCode::CREATED, queue::import(c, &office, id, slot, &t, now)?))
    })
    .await?;
    announce(&app, "issued", &written);
    Ok(written.into_response())
}

/// Voids a ticket whose answer never reached the kiosk that asked for it.
#[utoipa::path(post, path = "/v1/tickets/void", request_body = VoidTicket,
    params(("Idempotency-Key" = String, Header)),
    responses((status = OK, body = Option<Ticket>)),
    security(("bearer" = [])))]
pub async fn void_ticket(
    State(app): State<App>,
    Authed(device): Authed,
    key: IdemKey,
    body: JsonIn<VoidTicket>,
) -> Result<Response, ApiError> {
    let (office, id, v) = (device.office.clone(), device.device_id, body.value);
    let written = queue_write(&app, &device, key, body.hash, move |c| {
        Ok((StatusCode::OK, queue::void_by_key(c, &office, id, &v.key)?))
    })
    .await?;
    announce(&app, "voided", &written);
    Ok(written.into_response())
}

/// Waiting tickets per group today.
#[utoipa::path(get, path = "/v1/queue", responses((status = OK, body = Vec<GroupWaiting>)), security(("bearer" = [])))]
pub async fn queue_waiting(State(app): State<App>, Authed(device): Authed) -> axum::Json<Vec<GroupWaiting>> {
    axum::Json(waiting_now(&app, device.office).await)
}

/// Calls the next ticket for a counter (priority interleave).
#[utoipa::path(post, path = "/v1/queue/call", request_body = CallRequest,
    params(("Idempotency-Key" = String, Header)),
    responses((status = OK, body = Option<Ticket>, description = "the ticket called, or null when nobody waits")),
    security(("bearer" = [])))]
pub async fn call_next(
    State(app): State<App>,
    Authed(device): Authed,
    key: IdemKey,
    body: JsonIn<CallRequest>,
) -> Result<Response, ApiError> {
    need_role(&device, &[Role::Counter])?;
    let (office, req) = (device.office.clone(), body.value);
    let now = app.now();
    let written = queue_write(&app, &device, key, body.hash, move |c| {
        Ok((
            StatusCode::OK,
            queue::call_next(c, &office, &req.counter, &req.groups, req.officer.as_deref(), now)?,
        ))
    })
    .await?;
    announce(&app, "called", &written);
    Ok(written.into_response())
}

async fn act(
    app: App,
    device: Device,
    key: IdemKey,
    hash: String,
    ticket: i64,
    counter: String,
    action: queue::Action,
) -> Result<Response, ApiError> {
    need_role(&device, &[Role::Counter])?;
    let office = device.office.clone();
    let now = app.now();
    let written = queue_write(&app, &device, key, hash, move |c| {
        Ok((StatusCode::OK, queue::act(c, &office, ticket, &counter, action, now)?))
    })
    .await?;
    announce(&app, action.event(), &written);
    Ok(written.into_response())
}

/// Calls a called ticket again.
#[utoipa::path(post, path = "/v1/tickets/{id}/recall", request_body = CounterRequest,
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header)),
    responses((status = OK, body = Ticket), (status = CONFLICT, body = ErrorBody)), security(("bearer" = [])))]
pub async fn recall(
    State(app): State<App>,
    Authed(d): Authed,
    Path(ticket): Path<i64>,
    key: IdemKey,
    body: JsonIn<CounterRequest>,
) -> Result<Response, ApiError> {
    act(
        app,
        d,
        key,
        body.hash,
        ticket,
        body.value.counter,
        queue::Action::Recall,
    )
    .await
}

/// Marks a called ticket as a no-show.
#[utoipa::path(post, path = "/v1/tickets/{id}/skip", request_body = CounterRequest,
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header)),
    responses((status = OK, body = Ticket), (status = CONFLICT, body = ErrorBody)), security(("bearer" = [])))]
pub async fn skip(
    State(app): State<App>,
    Authed(d): Authed,
    Path(ticket): Path<i64>,
    key: IdemKey,
    body: JsonIn<CounterRequest>,
) -> Result<Response, ApiError> {
    act(app, d, key, body.hash, ticket, body.value.counter, queue::Action::Skip).await
}

/// Completes a called ticket.
#[utoipa::path(post, path = "/v1/tickets/{id}/complete", request_body = CounterRequest,
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header)),
    responses((status = OK, body = Ticket), (status = CONFLICT, body = ErrorBody)), security(("bearer" = [])))]
pub async fn complete(
    State(app): State<App>,
    Authed(d): Authed,
    Path(ticket): Path<i64>,
    key: IdemKey,
    body: JsonIn<CounterRequest>,
) -> Result<Response, ApiError> {
    act(
        app,
        d,
        key,
        body.hash,
        ticket,
        body.value.counter,
        queue::Action::Complete,
    )
    .await
}

/// Moves a ticket to another group's queue or to one counter.
#[utoipa::path(post, path = "/v1/tickets/{id}/transfer", request_body = TransferRequest,
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header)),
    responses((status = OK, body = Ticket), (status = UNPROCESSABLE_ENTITY, body = ErrorBody)), security(("bearer" = [])))]
pub async fn transfer(
    State(app): State<App>,
    Authed(device): Authed,
    Path(ticket): Path<i64>,
    key: IdemKey,
    body: JsonIn<TransferRequest>,
) -> Result<Response, ApiError> {
    need_role(&device, &[Role::Counter])?;
    let (office, t) = (device.office.clone(), body.value);
    let written = queue_write(&app, &device, key, body.hash, move |c| {
        Ok((
            StatusCode::OK,
            queue::transfer(c, &office, ticket, t.group.as_deref(), t.counter.as_deref())?,
        ))
    })
    .await?;
    announce(&app, "transferred", &written);
    Ok(written.into_response())
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
    /// Resolves when central cuts the stream; None once it has.
    cut: Option<tokio::sync::oneshot::Receiver<super::streams::Cut>>,
    office: String,
    _registration: super::streams::Registration,
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
                                .event(ev.kind.clone())
                                .json_data(&ev)
                                .unwrap_or_default(),
                        );
                    }
                    Ok(_) => {}
                    // Missed some: the client should refetch the queue.
                    Err(RecvError::Lagged(n)) => return Some(Event::default().event("lagged").data(n.to_string())),
                    Err(RecvError::Closed) => return None,
                },
            }
        }
    }
}

/// Creates or updates a dossier by its code.
#[utoipa::path(put, path = "/v1/dossiers/{code}", request_body = DossierIn,
    params(("code" = String, Path), ("Idempotency-Key" = String, Header)),
    responses((status = CREATED, body = Dossier), (status = OK, body = Dossier), (status = UNPROCESSABLE_ENTITY, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put_dossier(
    State(app): State<App>,
    Authed(device): Authed,
    Path(code): Path<String>,
    key: IdemKey,
    body: JsonIn<DossierIn>,
) -> Result<Response, ApiError> {
    need_role(&device, &[Role::Counter, Role::Kiosk])?;
    let (office, id, d) = (device.office.clone(), device.device_id, body.value);
    let now = app.now();
    let written = idempotent(&app, id, key, body.hash, move |c| {
        let (dossier, created) = dossier::upsert(c, &office, &code, &d, &now.to_string())?;
        Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, dossier))
    })
    .await?;
    app.metrics.dossiers.inc();
    Ok(written.into_response())
}

/// A dossier of the device's office.
#[utoipa::path(get, path = "/v1/dossiers/{code}", params(("code" = String, Path)),
    responses((status = OK, body = Dossier), (status = NOT_FOUND, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_dossier(
    State(app): State<App>,
    Authed(device): Authed,
    Path(code): Path<String>,
) -> Result<axum::Json<Dossier>, ApiError> {
    need_role(&device, &[Role::Counter])?;
    let office = device.office;
    let found = app.db.read(move |c| dossier::get(c, &office, &code)).await?;
    // Another office's dossier is as invisible as a missing one.
    found
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("no such dossier in this office"))
}

/// Changes a dossier's status (national codes 1–10).
#[utoipa::path(post, path = "/v1/dossiers/{code}/status", request_body = StatusUpdate,
    params(("code" = String, Path), ("Idempotency-Key" = String, Header)),
    responses((status = OK, body = Dossier), (status = NOT_FOUND, body = ErrorBody)), security(("bearer" = [])))]
pub async fn dossier_status(
    State(app): State<App>,
    Authed(device): Authed,
    Path(code): Path<String>,
    key: IdemKey,
    body: JsonIn<StatusUpdate>,
) -> Result<Response, ApiError> {
    need_role(&device, &[Role::Counter])?;
    let (office, id, u) = (device.office.clone(), device.device_id, body.value);
    let now = app.now();
    let written = idempotent(&app, id, key, body.hash, move |c| {
        Ok((
            StatusCode::OK,
            dossier::set_status(
                c,
                &office,
                &code,
                u.status,
                u.note.as_deref().unwrap_or(""),
                &now.to_string(),
            )?,
        ))
    })
    .await?;
    Ok(written.into_response())
}

/// A citizen's lookup by dossier code and receipt secret: no personal data.
#[utoipa::path(post, path = "/v1/lookup", request_body = LookupRequest,
    responses((status = OK, body = LookupAnswer), (status = NOT_FOUND, body = ErrorBody)), security(("bearer" = [])))]
pub async fn lookup(
    State(app): State<App>,
    Authed(_): Authed,
    body: JsonIn<LookupRequest>,
) -> Result<axum::Json<LookupAnswer>, ApiError> {
    let q = body.value;
    Ok(axum::Json(
        app.db.read(move |c| dossier::lookup(c, &q.code, &q.secret)).await?,
    ))
}

/// A satisfaction answer (SIPAS), optionally for one served ticket with
/// criteria and a comment. A ticket is rated once.
#[utoipa::path(post, path = "/v1/ratings", request_body = RatingIn,
    params(("Idempotency-Key" = String, Header)),
    responses((status = CREATED, body = Created), (status = CONFLICT, body = ErrorBody), (status = UNPROCESSABLE_ENTITY, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn rate(
    State(app): State<App>,
    Authed(device): Authed,
    key: IdemKey,
    body: JsonIn<RatingIn>,
) -> Result<Response, ApiError> {
    let (office, id, r) = (device.office.clone(), device.device_id, body.value);
    if !["satisfied", "neutral", "unsatisfied"].contains(&r.answer.as_str()) {
        return Err(ApiError::unprocessable(format!(
            "answer `{}` is not satisfied, neutral or unsatisfied",
            r.answer
        )));
    }
    if r.rated_at.parse::<jiff::Timestamp>().is_err() {
        return Err(ApiError::unprocessable("rated_at is not an RFC 3339 time"));
    }
    if let Some(bad) = r.criteria.iter().find(|c| !CRITERIA.contains(&c.as_str())) {
        return Err(ApiError::unprocessable(format!(
            "criterion `{bad}` is not one of {}",
            CRITERIA.join(", ")
        )));
    }
    let comment = r.comment.clone().unwrap_or_default();
    if comment.chars().count() > 500 {
        return Err(ApiError::unprocessable("the comment is longer than 500 characters"));
    }
    let written =
        idempotent(&app, id, key, body.hash, move |c| {
            let (counter, officer) = match r.ticket_id {
                Some(t) => {
                    let served: Option<(String, Option<String>, Option<String>)> = c
                        .query_row(
                            "SELECT status, counter, officer FROM tickets WHERE office = ?1 AND id = ?2",
                            params![office, t],
                            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                        )
                        .optional()?;
                    match served {
                        Some((status, counter, officer)) if status == "done" => (counter, officer),
                        Some(_) => return Err(ApiError::unprocessable(format!("ticket {t} has not been served"))),
                        None => return Err(ApiError::not_found(format!("no ticket {t} in this office"))),
                    }
                }
                None => (None, None),
            };
            let criteria = serde_json::to_string(&r.criteria).expect("strings serialize");
            let inserted = c.execute(
            "INSERT INTO ratings (office, device_id, answer, rated_at, ticket_id, counter, officer, criteria, comment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![office, id, r.answer, r.rated_at, r.ticket_id, counter, officer, criteria, comment],
        );
            match inserted {
                Ok(_) => Ok((
                    StatusCode::CREATED,
                    Created {
                        id: c.last_insert_rowid(),
                    },
                )),
                Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
                    Err(ApiError::conflict("this ticket was already rated"))
                }
                Err(e) => Err(e.into()),
            }
        })
        .await?;
    Ok(written.into_response())
}

/// What a hall board shows: the latest calls, the waiting counts, the notice.
#[utoipa::path(get, path = "/v1/board", responses((status = OK, body = BoardState)), security(("bearer" = [])))]
pub async fn board(State(app): State<App>, Authed(device): Authed) -> Result<axum::Json<BoardState>, ApiError> {
    let office = device.office;
    let day = local_day(app.now()).to_string();
    let state = app
        .db
        .read(move |c| {
            let notice: String = c
                .query_row("SELECT notice FROM offices WHERE code = ?1", [&office], |r| r.get(0))
                .optional()?
                .unwrap_or_default();
            Ok(BoardState {
                called: queue::latest_called(c, &office, &day, 12)?,
                waiting: queue::waiting(c, &office, &day)?,
                notice,
                office,
            })
        })
        .await?;
    Ok(axum::Json(state))
}

/// Publishes this counter's receipt public key; answers its key id.
#[utoipa::path(post, path = "/v1/keys", request_body = NewKey,
    params(("Idempotency-Key" = String, Header)),
    responses((status = CREATED, body = PublicKey), (status = UNPROCESSABLE_ENTITY, body = ErrorBody)), security(("bearer" = [])))]
pub async fn add_key(
    State(app): State<App>,
    Authed(device): Authed,
    key: IdemKey,
    body: JsonIn<NewKey>,
) -> Result<Response, ApiError> {
    need_role(&device, &[Role::Counter])?;
    let (office, id, k) = (device.office.clone(), device.device_id, body.value);
    let valid = k.public_key.len() == 64 && k.public_key.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return Err(ApiError::unprocessable("public_key must be 32 bytes as 64 hex digits"));
    }
    let now = app.now();
    let written = idempotent(&app, id, key, body.hash, move |c| {
        let key_id: u16 = c.query_row(
            "SELECT coalesce(max(key_id), 0) + 1 FROM office_keys WHERE office = ?1",
            [&office],
            |r| r.get(0),
        )?;
        c.execute(
            "INSERT INTO office_keys (office, key_id, device_id, public_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![office, key_id, id, k.public_key.to_ascii_lowercase(), now.to_string()],
        )?;
        Ok((
            StatusCode::CREATED,
            PublicKey {
                office,
                key_id,
                public_key: k.public_key.to_ascii_lowercase(),
            },
        ))
    })
    .await?;
    Ok(written.into_response())
}

/// Every office's receipt public keys, for verifying offline.
#[utoipa::path(get, path = "/v1/keys", responses((status = OK, body = Vec<PublicKey>)), security(("bearer" = [])))]
pub async fn keys(State(app): State<App>, Authed(_): Authed) -> Result<axum::Json<Vec<PublicKey>>, ApiError> {
    let keys = app
        .db
        .read(|c| {
            let mut stmt =
                c.prepare_cached("SELECT office, key_id, public_key FROM office_keys ORDER BY office, key_id")?;
            let rows = stmt.query_map([], |r| {
                Ok(PublicKey {
                    office: r.get(0)?,
                    key_id: r.get(1)?,
                    public_key: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await?;
    Ok(axum::Json(keys))
}

/// The office's next dossier code.
#[utoipa::path(post, path = "/v1/dossier-codes",
    params(("Idempotency-Key" = String, Header)),
    responses((status = CREATED, body = DossierCode)), security(("bearer" = [])))]
pub async fn dossier_code(State(app): State<App>, Authed(device): Authed, key: IdemKey) -> Result<Response, ApiError> {
    need_role(&device, &[Role::Counter])?;
    let (office, id) = (device.office.clone(), device.device_id);
    let now = app.now();
    let written = idempotent(&app, id, key, String::new(), move |c| {
        Ok((
            StatusCode::CREATED,
            DossierCode {
                code: dossier::next_code(c, &office, now)?,
            },
        ))
    })
    .await?;
    Ok(written.into_response())
}

/// Calls one waiting ticket out of turn.
#[utoipa::path(post, path = "/v1/queue/call-number", request_body = CallNumber,
    params(("Idempotency-Key" = String, Header)),
    responses((status = OK, body = Ticket), (status = NOT_FOUND, body = ErrorBody)), security(("bearer" = [])))]
pub async fn call_number(
    State(app): State<App>,
    Authed(device): Authed,
    key: IdemKey,
    body: JsonIn<CallNumber>,
) -> Result<Response, ApiError> {
    need_role(&device, &[Role::Counter])?;
    let (office, req) = (device.office.clone(), body.value);
    let now = app.now();
    let written = queue_write(&app, &device, key, body.hash, move |c| {
        Ok((
            StatusCode::OK,
            queue::call_number(c, &office, &req.counter, &req.number, now)?,
        ))
    })
    .await?;
    announce(&app, "called", &written);
    Ok(written.into_response())
}

/// Which report, for `/v1/reports`.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: Option<String>,
}

/// The office's report over a range of days (at most a year), as JSON or
/// CSV. A few are computed at once; beyond that the answer is 429 with
/// Retry-After.
#[utoipa::path(get, path = "/v1/reports", params(ReportQuery),
    responses((status = OK, body = super::report::Report), (status = BAD_REQUEST, body = ErrorBody),
        (status = TOO_MANY_REQUESTS, body = ErrorBody)), security(("bearer" = [])))]
pub async fn reports(
    State(app): State<App>,
    Authed(device): Authed,
    query: Result<axum::extract::Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let axum::extract::Query(q) =
        query.map_err(|e| ApiError::bad_request(format!("the query is not from=…&to=…[&format=json|csv]: {e}")))?;
    let day = |s: &str, name: &str| {
        s.parse::<jiff::civil::Date>()
            .map_err(|_| ApiError::bad_request(format!("{name} `{s}` is not a date like 2026-11-28")))
    };
    let (from, to) = (day(&q.from, "from")?, day(&q.to, "to")?);
    let format = q.format.unwrap_or_else(|| "json".into());
    if !["json", "csv"].contains(&format.as_str()) {
        return Err(ApiError::bad_request(format!("format `{format}` is not json or csv")));
    }
    super::report::check_range(from, to)?;
    // The slot goes into the blocking read, so a client that hangs up
    // does not free it while its report is still being computed.
    let slot = app
        .reports
        .clone()
        .try_acquire_owned()
        .map_err(|_| super::report::busy())?;
    let office = device.office;
    let report = app
        .db
        .read(move |c| {
            let _slot = slot;
            super::report::compute(c, &office, from, to)
        })
        .await?;
    Ok(if format == "csv" {
        ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], report.to_csv()).into_response()
    } else {
        axum::Json(report).into_response()
    })
}
