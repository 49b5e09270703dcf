//! What handlers take from a request: the `Idempotency-Key` of a write,
//! and a JSON body with its hash. The device and its role are
//! [`crate::auth::Authed`]'s, by [`super::roles::ROUTE_ROLES`].

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::App;
use crate::auth;
use crate::error::ApiError;

/// The `Idempotency-Key` header every write carries, with the method and
/// path it came with: a key names one request, not just one body.
pub struct IdemKey {
    pub key: String,
    pub method: axum::http::Method,
    pub path: String,
}

impl IdemKey {
    /// What a stored answer is for: the method, the path and the body's
    /// hash, hashed together. `v2:` tells it from the rows written when
    /// only the body's hash was kept.
    pub fn fingerprint(&self, body_hash: &str) -> String {
        format!(
            "{FINGERPRINT_V2}{}",
            auth::hash(&format!("{} {}\n{body_hash}", self.method, self.path))
        )
    }
}

pub const FINGERPRINT_V2: &str = "v2:";

impl FromRequestParts<App> for IdemKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &App) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get("idempotency-key")
            .ok_or_else(|| ApiError::bad_request("every write needs an Idempotency-Key header"))?
            .to_str()
            .map_err(|_| ApiError::bad_request("the Idempotency-Key is not text"))?;
        if key.is_empty() || key.len() > 128 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ApiError::bad_request(
                "the Idempotency-Key must be 1–128 visible ASCII characters",
            ));
        }
        Ok(IdemKey {
            key: key.to_string(),
            method: parts.method.clone(),
            path: parts.uri.path().to_string(),
        })
    }
}

/// A JSON body, with the hash of its bytes for idempotency checks.
pub struct JsonIn<T> {
    pub value: T,
    pub hash: String,
}

impl<T: DeserializeOwned> FromRequest<App> for JsonIn<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, app: &App) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the body must be JSON with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, app).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the body is larger than allowed",
                )
            } else {
                ApiError::bad_request(format!("the body could not be read: {e}"))
            }
        })?;
        let value = serde_json::from_slice(&bytes).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => ApiError::unprocessable(format!("the JSON does not fit: {e}")),
            _ => ApiError::bad_request(format!("the body is not valid JSON: {e}")),
        })?;
        Ok(JsonIn {
            value,
            hash: auth::hash(&String::from_utf8_lossy(&bytes)),
        })
    }
}
