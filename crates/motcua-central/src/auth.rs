//! Devices' secrets and the bearer check: one-time enrollment tokens and
//! credentials are random, stored only as SHA-256 hashes. The rows
//! themselves (enrollment, revocation, replacement) live in
//! [`crate::repo::devices`], re-exported here for the command line.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use super::App;
use super::error::ApiError;
use motcua_api::model::Device;

pub use crate::repo::devices::{
    create_enrollment, create_enrollment_replacing, device_of, enroll, enroll_at, enroll_local, lineage, replace,
    revoke, revoke_at,
};

use motcua_core::ids::{hex, random_hex};

/// A random secret, 32 bytes as hex.
pub fn random_secret() -> String {
    random_hex(32)
}

/// The stored form of a token or credential.
pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// An authenticated device, from `Authorization: Bearer <credential>`,
/// allowed on the route it asked for by [`crate::http::roles::ROUTE_ROLES`]:
/// an unknown credential is 401, a role the route is not for is 403.
pub struct Authed(pub Device);

impl FromRequestParts<App> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("missing Authorization: Bearer <credential>"))?;
        let credential = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .ok_or_else(|| ApiError::unauthorized("the Authorization header is not `Bearer <credential>`"))?
            .to_string();
        // Over TLS the device's certificate must be its own: a credential
        // read off a disk or a log is no use without the device's key.
        let cert = match crate::http::devices::peer_cert(parts) {
            None => None,
            Some(None) => {
                return Err(ApiError::unauthorized(
                    "this central needs the device's certificate: enroll the device again with `motcua enroll`",
                ));
            }
            Some(Some(fp)) => Some(hex(&fp)),
        };
        let device = app
            .db
            .read(move |conn| {
                let Some(device) = device_of(conn, &credential)? else {
                    return Ok(None);
                };
                match cert {
                    Some(fp) if !crate::repo::devices::cert_is_of(conn, &fp, device.device_id)? => Err(
                        ApiError::unauthorized("the connection's certificate is not this device's"),
                    ),
                    _ => Ok(Some(device)),
                }
            })
            .await?
            .ok_or_else(|| ApiError::unauthorized("unknown or revoked credential"))?;
        app.limiter.check(device.device_id)?;
        crate::http::roles::check(parts, &device)?;
        Ok(Authed(device))
    }
}
