//! Who may use each route: the one table central checks on every
//! authenticated request. A handler does not check roles itself: taking
//! [`crate::auth::Authed`] authenticates the device and then looks the
//! request's route up here, so this table is the rule, not a copy of it.
//! A route that takes a device and is missing here refuses everyone.
//!
//! What the roles do at an office:
//! - a **kiosk** issues tickets (online and from its own numbers offline),
//!   voids the ones whose answer it never got, shows the queue, lets a
//!   citizen look a dossier up and rate; a counter's citizen display is
//!   a kiosk too (`counter_display`), and it is where a citizen rates the
//!   ticket just served;
//! - a **counter** calls and serves tickets, takes dossiers in and moves
//!   them on (their statuses and codes), sends and reads their scanned
//!   documents, publishes its receipt key and reads the office's reports. Any counter of the office may update a
//!   dossier the office took in: a citizen may come back to another
//!   counter. No device writes another office's dossier;
//! - a **board** shows the calls and the waiting counts.
//!
//! A counter does not rate: a rating is the citizen's, at a kiosk or at the
//! counter's citizen display, once per ticket; so is a dossier's
//! evaluation, once per dossier and occasion.

use axum::extract::MatchedPath;
use axum::http::Method;
use axum::http::request::Parts;

use crate::error::ApiError;
use motcua_api::model::{Device, Role};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a credential.
    Public,
    /// An enrolled device in one of these roles.
    Roles(&'static [Role]),
}

use Access::{Public, Roles};

const ALL: &[Role] = &[Role::Kiosk, Role::Counter, Role::Board];
const KIOSK: &[Role] = &[Role::Kiosk];
const COUNTER: &[Role] = &[Role::Counter];
const KIOSK_COUNTER: &[Role] = &[Role::Kiosk, Role::Counter];

/// Every route central serves, by method and path as the router and the
/// OpenAPI document name it, with who may use it.
pub const ROUTE_ROLES: &[(Method, &str, Access)] = &[
    // Health and the contract: for probes and any client.
    (Method::GET, "/healthz", Public),
    (Method::GET, "/readyz", Public),
    (Method::GET, "/metrics", Public),
    (Method::GET, "/v1/version", Public),
    (Method::GET, "/v1/openapi.json", Public),
    // The one-time token is the credential of an enrollment.
    (Method::POST, "/v1/enroll", Public),
    (Method::GET, "/v1/me", Roles(ALL)),
    (Method::POST, "/v1/certificate", Roles(ALL)),
    (Method::GET, "/v1/catalog", Roles(ALL)),
    // Tickets: kiosks issue them; a counter may issue one for a citizen
    // at its desk, and void the one whose answer it did not get.
    (Method::POST, "/v1/tickets", Roles(KIOSK_COUNTER)),
    (Method::POST, "/v1/tickets/offline", Roles(KIOSK)),
    (Method::POST, "/v1/tickets/void", Roles(KIOSK_COUNTER)),
    (Method::GET, "/v1/queue", Roles(ALL)),
    (Method::POST, "/v1/queue/call", Roles(COUNTER)),
    (Method::POST, "/v1/queue/call-number", Roles(COUNTER)),
    (Method::POST, "/v1/tickets/{id}/recall", Roles(COUNTER)),
    (Method::POST, "/v1/tickets/{id}/skip", Roles(COUNTER)),
    (Method::POST, "/v1/tickets/{id}/complete", Roles(COUNTER)),
    (Method::POST, "/v1/tickets/{id}/transfer", Roles(COUNTER)),
    (Method::GET, "/v1/events", Roles(ALL)),
    (Method::GET, "/v1/board", Roles(ALL)),
    // Dossiers: the counters' work.
    (Method::PUT, "/v1/dossiers/{code}", Roles(COUNTER)),
    (Method::GET, "/v1/dossiers/{code}", Roles(COUNTER)),
    (Method::POST, "/v1/dossiers/{code}/status", Roles(COUNTER)),
    (Method::POST, "/v1/dossiers/{code}/payment", Roles(COUNTER)),
    (Method::GET, "/v1/dossiers/due-soon", Roles(COUNTER)),
    // Scanned documents: sent and read by the office's counters only.
    (Method::POST, "/v1/dossiers/{code}/documents", Roles(COUNTER)),
    (Method::GET, "/v1/dossiers/{code}/documents", Roles(COUNTER)),
    (Method::PUT, "/v1/dossiers/{code}/documents/{sha256}", Roles(COUNTER)),
    (Method::GET, "/v1/dossiers/{code}/documents/{sha256}", Roles(COUNTER)),
    (Method::POST, "/v1/dossier-codes", Roles(COUNTER)),
    // A citizen's lookup, at a kiosk or a counter: no personal data.
    (Method::POST, "/v1/lookup", Roles(KIOSK_COUNTER)),
    // The citizen's rating, at a kiosk or a counter's citizen display.
    (Method::POST, "/v1/ratings", Roles(KIOSK)),
    // A dossier's evaluation (the national criteria), at a kiosk by its
    // receipt or at a counter's citizen display.
    (Method::POST, "/v1/dossiers/{code}/evaluation", Roles(KIOSK)),
    // A counter asks its citizen display for that evaluation.
    (Method::POST, "/v1/dossiers/{code}/ask-evaluation", Roles(COUNTER)),
    (Method::GET, "/v1/reports", Roles(COUNTER)),
    // Receipt keys: each counter publishes its own; every device verifies.
    (Method::POST, "/v1/keys", Roles(COUNTER)),
    (Method::GET, "/v1/keys", Roles(ALL)),
];

/// Who may use `path` (as routed, e.g. `/v1/dossiers/{code}`) with
/// `method`; None for a route not in the table. A HEAD is a GET's.
pub fn access(method: &Method, path: &str) -> Option<Access> {
    let method = if method == Method::HEAD { &Method::GET } else { method };
    ROUTE_ROLES
        .iter()
        .find(|(m, p, _)| m == method && *p == path)
        .map(|(_, _, a)| *a)
}

/// Whether `device` may make the request of `parts`, by the table.
pub fn check(parts: &Parts, device: &Device) -> Result<(), ApiError> {
    let Some(path) = parts.extensions.get::<MatchedPath>() else {
        return Err(ApiError::internal("the request reached a handler without a route"));
    };
    match access(&parts.method, path.as_str()) {
        Some(Public) => Ok(()),
        Some(Roles(roles)) if roles.contains(&device.role) => Ok(()),
        Some(Roles(roles)) => Err(ApiError::forbidden(format!(
            "a {} may not use {} {}; it is for: {}",
            device.role.as_str(),
            parts.method,
            path.as_str(),
            roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
        ))),
        None => Err(ApiError::internal(format!(
            "{} {} has no entry in the table of roles; nobody may use it",
            parts.method,
            path.as_str()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_is_listed_once() {
        for (i, (m, p, _)) in ROUTE_ROLES.iter().enumerate() {
            assert!(
                !ROUTE_ROLES[..i].iter().any(|(m2, p2, _)| m2 == m && p2 == p),
                "{m} {p} is listed twice"
            );
        }
    }

    #[test]
    fn a_head_is_a_get_and_an_unknown_route_has_no_access() {
        assert_eq!(access(&Method::HEAD, "/v1/board"), Some(Roles(ALL)));
        assert_eq!(access(&Method::DELETE, "/v1/board"), None);
        assert_eq!(access(&Method::GET, "/v1/nowhere"), None);
    }
}
