//! Satisfaction answers (SIPAS) from the kiosks and citizen displays.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::extract::{IdemKey, JsonIn};
use super::write::idempotent;
use crate::App;
use crate::auth::Authed;
use crate::error::ApiError;
use crate::repo;
use motcua_api::error::ErrorBody;
use motcua_api::model::{CRITERIA, Created, RatingIn, TicketStatus};

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
    let written = idempotent(&app, id, key, body.hash, move |c| {
        let (counter, officer) = match r.ticket_id {
            Some(t) => match repo::tickets::served_by(c, &office, t)? {
                Some((TicketStatus::Done, counter, officer)) => (counter, officer),
                Some(_) => return Err(ApiError::unprocessable(format!("ticket {t} has not been served"))),
                None => return Err(ApiError::not_found(format!("no ticket {t} in this office"))),
            },
            None => (None, None),
        };
        let id = repo::ratings::insert(
            c,
            &repo::ratings::NewRating {
                office: &office,
                device_id: id,
                answer: &r.answer,
                rated_at: &r.rated_at,
                ticket_id: r.ticket_id,
                counter: counter.as_deref(),
                officer: officer.as_deref(),
                criteria: &r.criteria,
                comment: &comment,
            },
        )?;
        Ok((StatusCode::CREATED, Created { id }))
    })
    .await?;
    Ok(written.into_response())
}
