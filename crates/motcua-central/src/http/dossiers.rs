//! Dossiers: created and updated by code, their status changes, the
//! office's next code, and a citizen's lookup by code and secret.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::extract::{IdemKey, JsonIn};
use super::write::idempotent;
use crate::App;
use crate::auth::Authed;
use crate::dossier;
use crate::error::ApiError;
use motcua_api::error::ErrorBody;
use motcua_api::model::{Dossier, DossierCode, DossierIn, LookupAnswer, LookupRequest, StatusUpdate};

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
    let (office, now) = (device.office, app.now());
    let found = app.db.read(move |c| dossier::get(c, &office, &code, now)).await?;
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

/// The office's next dossier code.
#[utoipa::path(post, path = "/v1/dossier-codes",
    params(("Idempotency-Key" = String, Header)),
    responses((status = CREATED, body = DossierCode)), security(("bearer" = [])))]
pub async fn dossier_code(State(app): State<App>, Authed(device): Authed, key: IdemKey) -> Result<Response, ApiError> {
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
