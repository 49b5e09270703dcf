//! Devices: enrollment with a one-time token, and who a credential is.

use axum::extract::State;
use axum::http::StatusCode;

use super::extract::JsonIn;
use crate::App;
use crate::auth::{self, Authed};
use crate::error::ApiError;
use crate::repo;
use crate::serve::Peer;
use crate::tls::CentralTls;
use motcua_api::error::ErrorBody;
use motcua_api::model::{CertificateRequest, Device, DeviceCertificate, EnrollRequest, Enrolled};

/// Certifies `public_key` for `device` and records the certificate, in
/// the caller's transaction.
fn certify(
    c: &crate::sql::Conn,
    tls: &CentralTls,
    public_key: &str,
    device: &Device,
    now: jiff::Timestamp,
) -> Result<DeviceCertificate, ApiError> {
    let issued = tls
        .authority
        .issue_device(public_key, device.device_id, &device.office, now)
        .map_err(|e| ApiError::unprocessable(format!("public_key: {e}")))?;
    repo::devices::add_cert(c, device.device_id, &issued.fingerprint, issued.not_after, now)?;
    Ok(DeviceCertificate {
        certificate: issued.pem,
        ca: tls.authority.ca_pem().to_string(),
        not_after: issued.not_after.to_string(),
    })
}

/// Exchanges a one-time enrollment token for a device credential and,
/// when central serves HTTPS, a client certificate for the device's key.
#[utoipa::path(post, path = "/v1/enroll", request_body = EnrollRequest,
    responses((status = CREATED, body = Enrolled), (status = UNAUTHORIZED, body = ErrorBody),
        (status = UNPROCESSABLE_ENTITY, body = ErrorBody)))]
pub async fn enroll(
    State(app): State<App>,
    body: JsonIn<EnrollRequest>,
) -> Result<(StatusCode, axum::Json<Enrolled>), ApiError> {
    let EnrollRequest { token, public_key } = body.value;
    let tls = app.tls.clone();
    let public_key = match (&tls, public_key) {
        (Some(_), None) => {
            return Err(ApiError::unprocessable(
                "this central serves HTTPS: enrollment needs the device's public_key; use `motcua enroll` of the same version",
            ));
        }
        (_, key) => key,
    };
    let now = app.now();
    let enrolled = app
        .db
        .write(move |c| {
            let (device, credential) = auth::enroll_at(c, &token, now)?;
            let tls = match (&tls, public_key) {
                (Some(tls), Some(key)) => Some(certify(c, tls, &key, &device, now)?),
                _ => None,
            };
            Ok(Enrolled {
                device,
                credential,
                tls,
            })
        })
        .await?;
    let device = &enrolled.device;
    tracing::info!(device = device.device_id, office = %device.office, role = device.role.as_str(), "device enrolled");
    Ok((StatusCode::CREATED, axum::Json(enrolled)))
}

/// A new client certificate for a new key of this device, before its
/// certificate expires; the old one stays valid until then.
#[utoipa::path(post, path = "/v1/certificate", request_body = CertificateRequest,
    responses((status = CREATED, body = DeviceCertificate), (status = UNAUTHORIZED, body = ErrorBody),
        (status = NOT_FOUND, body = ErrorBody)), security(("bearer" = [])))]
pub async fn renew_certificate(
    State(app): State<App>,
    Authed(device): Authed,
    body: JsonIn<CertificateRequest>,
) -> Result<(StatusCode, axum::Json<DeviceCertificate>), ApiError> {
    let Some(tls) = app.tls.clone() else {
        return Err(ApiError::not_found(
            "this central does not serve HTTPS: there is no certificate to renew",
        ));
    };
    let now = app.now();
    let key = body.value.public_key;
    let cert = app.db.write(move |c| certify(c, &tls, &key, &device, now)).await?;
    Ok((StatusCode::CREATED, axum::Json(cert)))
}

/// Whether a request came over TLS with a certificate: for the bearer
/// check ([`crate::auth::Authed`]).
pub fn peer_cert(parts: &axum::http::request::Parts) -> Option<Option<[u8; 32]>> {
    parts.extensions.get::<Peer>().filter(|p| p.tls).map(|p| p.cert)
}

/// The device the credential belongs to.
#[utoipa::path(get, path = "/v1/me", responses((status = OK, body = Device), (status = UNAUTHORIZED, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn me(Authed(device): Authed) -> axum::Json<Device> {
    axum::Json(device)
}
