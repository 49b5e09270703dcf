//! Offices' procedure catalogs: checked before they are stored, served
//! as JSON with a strong ETag, the built-in demo one for an office without
//! its own.

use motcua_core::catalog::Catalog;

use crate::auth;
use crate::error::ApiError;
use crate::repo;

/// Makes `catalog` the office's catalog (the office is created if new),
/// once [`Catalog::validate`] finds nothing wrong; otherwise the office
/// keeps the catalog it had and the error lists every problem.
pub fn set_catalog(conn: &crate::sql::Conn, office: &str, catalog: &Catalog) -> Result<(), ApiError> {
    catalog.validate().map_err(|p| {
        let all: Vec<String> = p.0.iter().map(ToString::to_string).collect();
        ApiError::unprocessable(format!(
            "the catalog has {} problem(s) and was not stored: {}",
            all.len(),
            all.join("; ")
        ))
    })?;
    let (body, etag) = catalog_json(catalog);
    repo::offices::store_catalog(conn, office, &body, &etag)
}

/// The office's catalog: its own, or the built-in demo one.
pub fn office_catalog(conn: &crate::sql::Conn, office: &str) -> Result<Catalog, ApiError> {
    match repo::offices::catalog(conn, office)? {
        Some((b, _)) => serde_json::from_str(&b).map_err(|e| ApiError::internal(format!("the stored catalog: {e}"))),
        None => Ok(Catalog::demo()),
    }
}

/// A catalog as served: its JSON and a strong ETag.
pub fn catalog_json(catalog: &Catalog) -> (String, String) {
    let body = serde_json::to_string(catalog).expect("a catalog serializes");
    let etag = format!("\"{}\"", &auth::hash(&body)[..32]);
    (body, etag)
}
