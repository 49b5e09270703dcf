//! Central's HTTP API: the handlers by resource, and the router that
//! assembles them with the OpenAPI document, the fallbacks and the layers
//! that keep bad input from becoming a 5xx. Every answer carries the
//! contract's version (`Motcua-Api-Version`).

pub mod board;
pub mod catalog;
pub mod devices;
pub mod documents;
pub mod dossiers;
pub mod due;
pub mod evaluations;
pub mod extract;
pub mod health;
pub mod keys;
pub mod ratings;
pub mod reports;
pub mod roles;
pub mod tickets;
pub mod write;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::{App, BODY_LIMIT};

#[derive(OpenApi)]
#[openapi(
    info(title = "motcua central", description = "The central processing system of motcua one-stop-shops."),
    components(schemas(motcua_api::error::ErrorBody)),
    modifiers(&Security)
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes and their OpenAPI document, from the same declarations.
pub fn routes() -> (Router<App>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(health::metrics))
        .routes(routes!(devices::enroll))
        .routes(routes!(devices::me))
        .routes(routes!(devices::renew_certificate))
        .routes(routes!(catalog::catalog))
        .routes(routes!(tickets::issue_ticket))
        .routes(routes!(tickets::import_ticket))
        .routes(routes!(tickets::void_ticket))
        .routes(routes!(tickets::queue_waiting))
        .routes(routes!(tickets::call_next))
        .routes(routes!(tickets::call_number))
        .routes(routes!(tickets::recall))
        .routes(routes!(tickets::skip))
        .routes(routes!(tickets::complete))
        .routes(routes!(tickets::transfer))
        .routes(routes!(board::events))
        .routes(routes!(dossiers::put_dossier, dossiers::get_dossier))
        .routes(routes!(dossiers::dossier_status))
        .routes(routes!(documents::announce, documents::list))
        .routes(routes!(documents::put_chunk, documents::file))
        .routes(routes!(due::due_soon))
        .routes(routes!(due::payment))
        .routes(routes!(evaluations::evaluate))
        .routes(routes!(evaluations::ask))
        .routes(routes!(dossiers::lookup))
        .routes(routes!(ratings::rate))
        .routes(routes!(board::board))
        .routes(routes!(reports::reports))
        .routes(routes!(keys::add_key, keys::keys))
        .routes(routes!(dossiers::dossier_code))
        .routes(routes!(health::version))
        .split_for_parts()
}

/// The whole service: routes, the OpenAPI document, and the layers that
/// keep bad input from becoming a 5xx.
pub fn router(app: App) -> Router {
    let (routes, doc) = routes();
    finish(routes, doc, app)
}

/// Adds the document, fallbacks and protective layers to `routes`.
pub fn finish(routes: Router<App>, doc: utoipa::openapi::OpenApi, app: App) -> Router {
    let doc = Arc::new(doc.to_json().expect("the OpenAPI document serializes"));
    routes
        .route(
            "/v1/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        doc.as_ref().clone(),
                    )
                }
            }),
        )
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this endpoint does not take that method",
            )
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // Panics are counted where they are caught, not guessed from a
        // 500: a handler may answer 500 without panicking. The response
        // counter sits outside, so the 500 a panic turns into is counted
        // with the others.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom({
            let app = app.clone();
            move |_: Box<dyn std::any::Any + Send + 'static>| on_panic(&app)
        }))
        // One address may not try enrollment tokens or credentials at
        // speed (see `peers`); its 429s are counted like any answer.
        .layer(middleware::from_fn_with_state(app.clone(), crate::peers::limit))
        .layer(middleware::from_fn_with_state(app.clone(), count_responses))
        .with_state(app)
}

fn on_panic(app: &App) -> Response {
    app.metrics.panics.inc();
    tracing::error!("a request handler panicked; the server goes on");
    ApiError::internal("the server met an unexpected error").into_response()
}

async fn count_responses(State(app): State<App>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        motcua_api::VERSION_HEADER,
        axum::http::HeaderValue::from(motcua_api::VERSION),
    );
    let status = response.status().as_u16();
    *app.metrics
        .requests
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(status)
        .or_default() += 1;
    response
}
