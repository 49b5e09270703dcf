//! Whether central is alive, ready and well: `/healthz`, `/readyz`,
//! `/metrics` and `/v1/version`.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::App;
use crate::error::ApiError;
use crate::repo;
use motcua_api::error::ErrorBody;

/// Health: the process answers.
#[utoipa::path(get, path = "/healthz", responses((status = OK, description = "alive")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database reads and the writer commits.
#[utoipa::path(get, path = "/readyz", responses((status = OK, description = "ready"), (status = SERVICE_UNAVAILABLE, body = ErrorBody)))]
pub async fn readyz(State(app): State<App>) -> Result<&'static str, ApiError> {
    app.db.read(repo::ping).await?;
    app.db.write(|_| Ok(())).await?;
    Ok("ready")
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", responses((status = OK, description = "Prometheus text format")))]
pub async fn metrics(State(app): State<App>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics
            .render(app.streams.open_count(), app.db.panics(), &app.loops.status()),
    )
}

/// The contract's version, for a client to check what it talks to.
#[utoipa::path(get, path = "/v1/version", responses((status = OK, body = motcua_api::model::ApiVersion)))]
pub async fn version() -> axum::Json<motcua_api::model::ApiVersion> {
    axum::Json(motcua_api::model::ApiVersion::default())
}
