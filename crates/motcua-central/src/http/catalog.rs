//! The office's procedure catalog as devices fetch it, with an ETag.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::App;
use crate::auth::Authed;
use crate::error::ApiError;
use crate::repo;

/// The office's procedure catalog, with an ETag.
#[utoipa::path(get, path = "/v1/catalog", responses((status = OK, description = "the catalog as JSON"), (status = NOT_MODIFIED)),
    security(("bearer" = [])))]
pub async fn catalog(State(app): State<App>, Authed(device): Authed, headers: HeaderMap) -> Result<Response, ApiError> {
    let office = device.office.clone();
    let stored = app.db.read(move |c| repo::offices::catalog(c, &office)).await?;
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
