//! Receipt public keys: each counter publishes its own (one in use at a
//! time); every device fetches them all, with when each was retired, to
//! verify receipts offline.

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
use motcua_api::model::{NewKey, PublicKey};

/// Publishes this counter's receipt public key, retiring the key it signed
/// with until now; answers the new key's id. 409 once the counter has
/// published as many keys as one counter may (see `repo::keys`).
#[utoipa::path(post, path = "/v1/keys", request_body = NewKey,
    params(("Idempotency-Key" = String, Header)),
    responses((status = CREATED, body = PublicKey), (status = CONFLICT, body = ErrorBody), (status = UNPROCESSABLE_ENTITY, body = ErrorBody)), security(("bearer" = [])))]
pub async fn add_key(
    State(app): State<App>,
    Authed(device): Authed,
    key: IdemKey,
    body: JsonIn<NewKey>,
) -> Result<Response, ApiError> {
    let (office, id, k) = (device.office.clone(), device.device_id, body.value);
    let valid = k.public_key.len() == 64 && k.public_key.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return Err(ApiError::unprocessable("public_key must be 32 bytes as 64 hex digits"));
    }
    let now = app.now();
    let written = idempotent(&app, id, key, body.hash, move |c| {
        let key = repo::keys::add(c, &office, id, &k.public_key.to_ascii_lowercase(), now)?;
        Ok((StatusCode::CREATED, key))
    })
    .await?;
    Ok(written.into_response())
}

/// Every office's receipt public keys, for verifying offline: with each,
/// its owner and, once retired, when.
#[utoipa::path(get, path = "/v1/keys", responses((status = OK, body = Vec<PublicKey>)), security(("bearer" = [])))]
pub async fn keys(State(app): State<App>, Authed(_): Authed) -> Result<axum::Json<Vec<PublicKey>>, ApiError> {
    let keys = app.db.read(repo::keys::all).await?;
    Ok(axum::Json(keys))
}
