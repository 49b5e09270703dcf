//! Due dates and fees of dossiers: the office's dossiers due by the end of
//! the next working day, and a fee payment recorded with a dossier.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::extract::{IdemKey, JsonIn};
use super::write::idempotent;
use crate::App;
use crate::auth::Authed;
use crate::error::ApiError;
use motcua_api::error::ErrorBody;
use motcua_api::model::{Dossier, DueSoonList, PaymentIn};

/// The office's open dossiers whose appointment falls by the end of the
/// next working day (overdue ones too), each with a proposed new
/// appointment for the apology form. No personal data.
#[utoipa::path(get, path = "/v1/dossiers/due-soon",
    responses((status = OK, body = DueSoonList)), security(("bearer" = [])))]
pub async fn due_soon(State(app): State<App>, Authed(device): Authed) -> Result<axum::Json<DueSoonList>, ApiError> {
    let (office, now) = (device.office, app.now());
    let list = app
        .db
        .read(move |c| {
            let catalog = crate::catalog::office_catalog(c, &office)?;
            crate::ontime::due_soon(c, &office, &catalog, now)
        })
        .await?;
    Ok(axum::Json(list))
}

/// Records a fee payment with a dossier of the office: asked for and not
/// paid puts it in status 6; paid moves it back to where it was.
#[utoipa::path(post, path = "/v1/dossiers/{code}/payment", request_body = PaymentIn,
    params(("code" = String, Path), ("Idempotency-Key" = String, Header)),
    responses((status = OK, body = Dossier), (status = NOT_FOUND, body = ErrorBody),
        (status = CONFLICT, body = ErrorBody), (status = UNPROCESSABLE_ENTITY, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn payment(
    State(app): State<App>,
    Authed(device): Authed,
    Path(code): Path<String>,
    key: IdemKey,
    body: JsonIn<PaymentIn>,
) -> Result<Response, ApiError> {
    let (office, id, p) = (device.office.clone(), device.device_id, body.value);
    let now = app.now();
    let written = idempotent(&app, id, key, body.hash, move |c| {
        Ok((StatusCode::OK, crate::payment::record(c, &office, &code, &p, now)?))
    })
    .await?;
    Ok(written.into_response())
}
