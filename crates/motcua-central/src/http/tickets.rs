//! Tickets and the queue: issuing (online and offline), voiding, the
//! waiting counts, and a counter's calls, recalls, skips, completions and
//! transfers. Each change is told on the event stream.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::extract::{IdemKey, JsonIn};
use super::write::{announce, queue_write, waiting_now};
use crate::App;
use crate::auth::Authed;
use crate::error::ApiError;
use crate::queue;
use motcua_api::error::ErrorBody;
use motcua_api::model::{
    CallNumber, CallRequest, CounterRequest, Device, GroupWaiting, NewTicket, OfflineTicket, Ticket, TicketAction,
    TransferRequest, VoidTicket,
};

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
    let (office, id, new) = (device.office.clone(), device.device_id, body.value);
    let now = app.now();
    let written = queue_write(&app, &device, key, body.hash, move |c| {
        Ok((StatusCode::CREATED, queue::issue(c, &office, id, &new, now)?))
    })
    .await?;
    app.metrics.tickets.inc();
    announce(&app, TicketAction::Issue.event(), &written);
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
    let (office, id, slot, t) = (device.office.clone(), device.device_id, device.slot, body.value);
    let now = app.now();
    let written = queue_write(&app, &device, key, body.hash, move |c| {
        Ok((StatusCode::CREATED, queue::import(c, &office, id, slot, &t, now)?))
    })
    .await?;
    announce(&app, TicketAction::Issue.event(), &written);
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
    announce(&app, TicketAction::Void.event(), &written);
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
    let (office, req) = (device.office.clone(), body.value);
    let now = app.now();
    let written = queue_write(&app, &device, key, body.hash, move |c| {
        Ok((
            StatusCode::OK,
            queue::call_next(c, &office, &req.counter, &req.groups, req.officer.as_deref(), now)?,
        ))
    })
    .await?;
    announce(&app, TicketAction::Call.event(), &written);
    Ok(written.into_response())
}

async fn act(
    app: App,
    device: Device,
    key: IdemKey,
    hash: String,
    ticket: i64,
    counter: String,
    action: TicketAction,
) -> Result<Response, ApiError> {
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
    act(app, d, key, body.hash, ticket, body.value.counter, TicketAction::Recall).await
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
    act(app, d, key, body.hash, ticket, body.value.counter, TicketAction::Skip).await
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
        TicketAction::Complete,
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
    let (office, t) = (device.office.clone(), body.value);
    let written = queue_write(&app, &device, key, body.hash, move |c| {
        Ok((
            StatusCode::OK,
            queue::transfer(c, &office, ticket, t.group.as_deref(), t.counter.as_deref())?,
        ))
    })
    .await?;
    announce(&app, TicketAction::Transfer.event(), &written);
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
    let (office, req) = (device.office.clone(), body.value);
    let now = app.now();
    let written = queue_write(&app, &device, key, body.hash, move |c| {
        Ok((
            StatusCode::OK,
            queue::call_number(c, &office, &req.counter, &req.number, now)?,
        ))
    })
    .await?;
    announce(&app, TicketAction::Call.event(), &written);
    Ok(written.into_response())
}
