//! The office's reports over a range of days, as JSON or CSV, a few at
//! a time.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::App;
use crate::auth::Authed;
use crate::error::ApiError;
use motcua_api::error::ErrorBody;

/// Which report, for `/v1/reports`.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: Option<String>,
}

/// The office's report over a range of days (at most a year), as JSON or
/// CSV. A few are computed at once; beyond that the answer is 429 with
/// Retry-After.
#[utoipa::path(get, path = "/v1/reports", params(ReportQuery),
    responses((status = OK, body = crate::report::Report), (status = BAD_REQUEST, body = ErrorBody),
        (status = TOO_MANY_REQUESTS, body = ErrorBody)), security(("bearer" = [])))]
pub async fn reports(
    State(app): State<App>,
    Authed(device): Authed,
    query: Result<axum::extract::Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let axum::extract::Query(q) =
        query.map_err(|e| ApiError::bad_request(format!("the query is not from=…&to=…[&format=json|csv]: {e}")))?;
    let day = |s: &str, name: &str| {
        s.parse::<jiff::civil::Date>()
            .map_err(|_| ApiError::bad_request(format!("{name} `{s}` is not a date like 2026-11-28")))
    };
    let (from, to) = (day(&q.from, "from")?, day(&q.to, "to")?);
    let format = q.format.unwrap_or_else(|| "json".into());
    if !["json", "csv"].contains(&format.as_str()) {
        return Err(ApiError::bad_request(format!("format `{format}` is not json or csv")));
    }
    crate::report::check_range(from, to)?;
    // The slot goes into the blocking read, so a client that hangs up
    // does not free it while its report is still being computed.
    let slot = app
        .reports
        .clone()
        .try_acquire_owned()
        .map_err(|_| crate::report::busy())?;
    let (office, now) = (device.office, app.now());
    let report = app
        .db
        .read(move |c| {
            let _slot = slot;
            crate::report::compute(c, &office, from, to, now)
        })
        .await?;
    Ok(if format == "csv" {
        ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], report.to_csv()).into_response()
    } else {
        axum::Json(report).into_response()
    })
}
