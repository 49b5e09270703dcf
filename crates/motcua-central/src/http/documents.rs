//! A dossier's scanned documents: announced, sent in chunks that resume,
//! listed and served to the counters of the dossier's office (the rules
//! are [`crate::documents`]'). No `Idempotency-Key` is needed: announcing
//! again answers the same, and a chunk is placed by its offset.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use super::extract::JsonIn;
use crate::App;
use crate::auth::Authed;
use crate::documents::{self, Chunk, Progress};
use crate::error::ApiError;
use crate::repo;
use motcua_api::documents::{CHUNK_MAX, DocumentIn, DocumentList, Upload, is_sha256};
use motcua_api::error::ErrorBody;

/// Where a chunk goes in the file.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ChunkQuery {
    /// The byte of the file the chunk starts at.
    pub offset: u64,
}

/// Runs blocking file work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| ApiError::internal("a document's file work met an unexpected error"))?
        .map_err(documents::io_error)
}

/// Announces a scanned document of the dossier: how far its upload has
/// come (0 the first time; all of it once complete). Announcing again
/// answers the same.
#[utoipa::path(post, path = "/v1/dossiers/{code}/documents", request_body = DocumentIn,
    params(("code" = String, Path)),
    responses((status = CREATED, body = Upload), (status = OK, body = Upload),
        (status = FORBIDDEN, body = ErrorBody), (status = NOT_FOUND, body = ErrorBody),
        (status = PAYLOAD_TOO_LARGE, body = ErrorBody), (status = UNPROCESSABLE_ENTITY, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn announce(
    State(app): State<App>,
    Authed(device): Authed,
    Path(code): Path<String>,
    body: JsonIn<serde_json::Value>,
) -> Result<Response, ApiError> {
    let store = app.documents.clone();
    let d: DocumentIn = serde_path_to_error::deserialize(body.value).map_err(|e| {
        let path = e.path().to_string();
        ApiError::unprocessable(format!("{path}: {}", e.into_inner()))
    })?;
    documents::check(&d, store.caps)?;
    let _held = store.lock(&d.sha256).await;
    let now = {
        let (store, sha, size) = (store.clone(), d.sha256.clone(), d.size);
        blocking(move || store.progress(&sha, size)).await?
    };
    let (office, caps, at) = (device.office, store.caps, app.now().to_string());
    let (upload, new) = app
        .db
        .write(move |c| documents::announce(c, &office, &code, &d, now, caps, &at))
        .await?;
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, axum::Json(upload)).into_response())
}

/// Sends the bytes of an announced document from `offset`, at most
/// 1 MiB: appended when `offset` is what central has; a chunk it has
/// already is answered as is; one past it is 409 with the [`Upload`] to
/// resume from. The last byte makes central check the file's SHA-256:
/// not the one announced, 422 and the upload starts again from 0.
#[utoipa::path(put, path = "/v1/dossiers/{code}/documents/{sha256}",
    params(("code" = String, Path), ("sha256" = String, Path), ChunkQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = OK, body = Upload), (status = CONFLICT, body = Upload),
        (status = FORBIDDEN, body = ErrorBody), (status = NOT_FOUND, body = ErrorBody),
        (status = PAYLOAD_TOO_LARGE, body = ErrorBody), (status = UNPROCESSABLE_ENTITY, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put_chunk(
    State(app): State<App>,
    Authed(device): Authed,
    Path((code, sha256)): Path<(String, String)>,
    query: Result<Query<ChunkQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(ChunkQuery { offset }) =
        query.map_err(|e| ApiError::bad_request(format!("the query is not offset=N (bytes): {e}")))?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > CHUNK_MAX as u64) {
        return Err(documents::chunk_too_large());
    }
    let found = stored(&app, device.office, code.clone(), sha256.clone()).await?;
    let bytes = read_chunk(body).await?;
    documents::check_chunk(offset, bytes.len(), found.size)?;
    let store = app.documents.clone();
    let _held = store.lock(&sha256).await;
    let chunk = {
        let (store, sha, size) = (store.clone(), sha256.clone(), found.size);
        blocking(move || store.append(&sha, size, offset, &bytes)).await?
    };
    let progress = match chunk {
        Chunk::Took(p) | Chunk::Gap(p) => p,
        Chunk::Mismatch => Progress {
            received: 0,
            complete: false,
        },
    };
    if (progress.received, progress.complete) != (found.received, found.complete) {
        let sha = sha256.clone();
        app.db
            .write(move |c| repo::documents::set_progress(c, &sha, progress.received, progress.complete))
            .await?;
    }
    let upload = progress.upload(&sha256, found.size);
    match chunk {
        Chunk::Took(_) => Ok((StatusCode::OK, axum::Json(upload)).into_response()),
        Chunk::Gap(_) => Ok((StatusCode::CONFLICT, axum::Json(upload)).into_response()),
        Chunk::Mismatch => Err(documents::mismatch(&sha256)),
    }
}

/// The announced document `sha256` of the dossier, once the device's
/// office may see it.
async fn stored(app: &App, office: String, code: String, sha256: String) -> Result<repo::documents::Stored, ApiError> {
    app.db
        .read(move |c| {
            documents::access(c, &office, &code)?;
            if !is_sha256(&sha256) {
                return Err(documents::not_announced(&code, &sha256));
            }
            repo::documents::find(c, &office, &code, &sha256)?.ok_or_else(|| documents::not_announced(&code, &sha256))
        })
        .await
}

/// A chunk's bytes, refused past [`CHUNK_MAX`] without reading further.
async fn read_chunk(body: Body) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    let mut stream = body.into_data_stream();
    while let Some(part) = stream.next().await {
        let part = part.map_err(|e| ApiError::bad_request(format!("the body could not be read: {e}")))?;
        if bytes.len() + part.len() > CHUNK_MAX {
            return Err(documents::chunk_too_large());
        }
        bytes.extend_from_slice(&part);
    }
    Ok(bytes)
}

/// The dossier's documents, in the order they were announced.
#[utoipa::path(get, path = "/v1/dossiers/{code}/documents", params(("code" = String, Path)),
    responses((status = OK, body = DocumentList), (status = FORBIDDEN, body = ErrorBody),
        (status = NOT_FOUND, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    Authed(device): Authed,
    Path(code): Path<String>,
) -> Result<axum::Json<DocumentList>, ApiError> {
    let (office, store) = (device.office, app.documents.clone());
    let list = app
        .db
        .read(move |c| {
            documents::access(c, &office, &code)?;
            let mut documents = repo::documents::list(c, &office, &code)?;
            // A row may lag its file after a crash: the file says.
            for d in documents.iter_mut().filter(|d| !d.complete) {
                let p = store.progress(&d.sha256, d.size).map_err(documents::io_error)?;
                (d.received, d.complete) = (p.received, p.complete);
            }
            Ok(DocumentList { code, documents })
        })
        .await?;
    Ok(axum::Json(list))
}

/// A complete document of the dossier, as the PDF it is; 409 while its
/// upload is not complete.
#[utoipa::path(get, path = "/v1/dossiers/{code}/documents/{sha256}",
    params(("code" = String, Path), ("sha256" = String, Path)),
    responses((status = OK, content_type = "application/pdf", body = Vec<u8>),
        (status = CONFLICT, body = ErrorBody), (status = FORBIDDEN, body = ErrorBody),
        (status = NOT_FOUND, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn file(
    State(app): State<App>,
    Authed(device): Authed,
    Path((code, sha256)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let found = stored(&app, device.office, code.clone(), sha256.clone()).await?;
    let path = app.documents.path(&sha256);
    let opened = blocking(move || match std::fs::File::open(path) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    })
    .await?;
    let file = match opened {
        Some(f) => f,
        None => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "document_incomplete",
                format!(
                    "document {sha256} of dossier {code} is not complete yet: {} of {} bytes received \
                     / tài liệu chưa được gửi đủ: đã nhận {} trên {} byte",
                    found.received, found.size, found.received, found.size
                ),
            ));
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_LENGTH, found.size.to_string()),
            (header::ETAG, format!("\"{sha256}\"")),
            (
                header::CACHE_CONTROL,
                "private, max-age=31536000, immutable".to_string(),
            ),
        ],
        Body::from_stream(read_file(file)),
    )
        .into_response())
}

/// A file's bytes as a body, read a block at a time off the async threads.
fn read_file(file: std::fs::File) -> impl futures::Stream<Item = std::io::Result<Vec<u8>>> {
    futures::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let read = tokio::task::spawn_blocking(move || {
            use std::io::Read;
            let mut buf = vec![0; 256 * 1024];
            let n = file.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((buf, file))
        })
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        match read {
            Ok((buf, _)) if buf.is_empty() => None,
            Ok((buf, file)) => Some((Ok(buf), Some(file))),
            Err(e) => Some((Err(e), None)),
        }
    })
}
