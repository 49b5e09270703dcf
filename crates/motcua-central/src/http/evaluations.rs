//! Dossier evaluations (the national criteria, keyed by dossier code)
//! from the kiosks and the counters' citizen displays.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::extract::{IdemKey, JsonIn};
use super::write::idempotent;
use crate::App;
use crate::auth::Authed;
use crate::dossier;
use crate::error::ApiError;
use crate::repo;
use motcua_api::error::ErrorBody;
use motcua_api::evaluation::{DossierRatingIn, EvaluationAsk};
use motcua_api::model::Created;

/// A dossier's evaluation, once per dossier and occasion (intake, return,
/// kiosk). The dossier is the office's: one central has, or one whose
/// code the office numbers and whose intake has not reached central yet
/// (a counter that was offline). Another office's dossier is refused as
/// missing.
#[utoipa::path(post, path = "/v1/dossiers/{code}/evaluation", request_body = DossierRatingIn,
    params(("code" = String, Path), ("Idempotency-Key" = String, Header)),
    responses((status = CREATED, body = Created), (status = NOT_FOUND, body = ErrorBody),
        (status = CONFLICT, body = ErrorBody), (status = UNPROCESSABLE_ENTITY, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn evaluate(
    State(app): State<App>,
    Authed(device): Authed,
    Path(code): Path<String>,
    key: IdemKey,
    body: JsonIn<serde_json::Value>,
) -> Result<Response, ApiError> {
    let (office, id) = (device.office.clone(), device.device_id);
    let e = parse(body.value, &code)?;
    let written = idempotent(&app, id, key, body.hash, move |c| {
        let known = repo::dossiers::status_of(c, &office, &e.code)?.is_some();
        if !known && !dossier::numbered_by(&office, &e.code) {
            return Err(ApiError::not_found(format!("no dossier {} in this office", e.code)));
        }
        let id = repo::evaluations::insert(c, &office, id, &e)?;
        Ok((StatusCode::CREATED, Created { id }))
    })
    .await?;
    Ok(written.into_response())
}

/// The body as an evaluation of the dossier `code`, or why not, naming
/// the field.
fn parse(body: serde_json::Value, code: &str) -> Result<DossierRatingIn, ApiError> {
    let e: DossierRatingIn = serde_path_to_error::deserialize(body).map_err(|err| {
        let path = err.path().to_string();
        ApiError::unprocessable(format!("{path}: {}", err.into_inner()))
    })?;
    dossier::check_code(code)?;
    if e.code != code {
        return Err(ApiError::unprocessable(format!(
            "code: `{}` is not the dossier of the path, `{code}`",
            e.code
        )));
    }
    if e.rated_at.parse::<jiff::Timestamp>().is_err() {
        return Err(ApiError::unprocessable("rated_at: is not an RFC 3339 time"));
    }
    if let Some((field, why)) = e.problem() {
        return Err(ApiError::unprocessable(format!("{field}: {why}")));
    }
    Ok(e)
}

/// A counter asks its citizen display to put the national questions for
/// the dossier `code` (just taken in, or its result returned). Passed on
/// the office's event stream, kept nowhere: a display that is not
/// listening simply does not ask. The dossier is the office's, as for an
/// evaluation.
#[utoipa::path(post, path = "/v1/dossiers/{code}/ask-evaluation", request_body = EvaluationAsk,
    params(("code" = String, Path)),
    responses((status = ACCEPTED), (status = NOT_FOUND, body = ErrorBody), (status = UNPROCESSABLE_ENTITY, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn ask(
    State(app): State<App>,
    Authed(device): Authed,
    Path(code): Path<String>,
    body: JsonIn<serde_json::Value>,
) -> Result<StatusCode, ApiError> {
    let mut ask: EvaluationAsk = serde_path_to_error::deserialize(body.value).map_err(|err| {
        let path = err.path().to_string();
        ApiError::unprocessable(format!("{path}: {}", err.into_inner()))
    })?;
    dossier::check_code(&code)?;
    if !motcua_core::queue::counter_label_ok(&ask.counter) {
        return Err(ApiError::unprocessable("counter: is not a counter's number"));
    }
    if ask.occasion == motcua_api::evaluation::Occasion::Kiosk {
        return Err(ApiError::unprocessable("occasion: a counter asks at intake or return"));
    }
    let office = device.office.clone();
    let c = code.clone();
    let known = app
        .db
        .read(move |conn| Ok(repo::dossiers::status_of(conn, &office, &c)?.is_some()))
        .await?;
    if !known && !dossier::numbered_by(&device.office, &code) {
        return Err(ApiError::not_found(format!("no dossier {code} in this office")));
    }
    ask.office = device.office;
    ask.code = code;
    // No display listening is no error.
    app.publish_ask(ask);
    Ok(StatusCode::ACCEPTED)
}
