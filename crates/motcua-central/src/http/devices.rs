//! Devices: enrollment with a one-time token, and who a credential is.

use axum::extract::State;
use axum::http::StatusCode;

use super::extract::JsonIn;
use crate::App;
use crate::auth::{self, Authed};
use crate::error::ApiError;
use motcua_api::error::ErrorBody;
use motcua_api::model::{Device, EnrollRequest, Enrolled};

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
