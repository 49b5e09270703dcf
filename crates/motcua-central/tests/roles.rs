//! The table of roles, route by route: every route of the OpenAPI
//! document is tried without a credential and as each role, against the
//! real router in process. Where `ROUTE_ROLES` forbids, the answer is 401
//! (no credential) or 403 (another role); where it allows, it is neither,
//! with a request the handler would accept. A documented route missing
//! from the table, or a handler refusing a role the table allows, fails.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use motcua_api::model::{Device, Role};
use motcua_central::http::roles::{Access, ROUTE_ROLES, access};
use serde_json::{Value, json};
use tower::ServiceExt;

const OFFICE: &str = "000.00.01.H26";
const CODE: &str = "000.00.01.H26-261128-0001";

fn now() -> jiff::Timestamp {
    "2026-11-28T03:00:00Z".parse().unwrap()
}

/// A device of `OFFICE` in `role`, enrolled in central's database.
fn enroll(dir: &std::path::Path, role: Role) -> (Device, String) {
    motcua_central::admin(dir, |c| {
        let token = motcua_central::auth::create_enrollment(c, OFFICE, role, role.as_str())?;
        motcua_central::auth::enroll_at(c, &token, now())
    })
    .unwrap()
}

/// A body the route's handler takes from `device` (its own slot, its own
/// office's dossier), so that only a role can stand in the way.
fn body(method: &Method, path: &str, device: Option<&Device>) -> Option<Value> {
    let slot = device.map_or(1, |d| d.slot);
    let day = motcua_core::time::local_day(now()).to_string();
    Some(match (method.as_str(), path) {
        ("GET", _) => return None,
        ("POST", "/v1/dossier-codes") => return None,
        ("POST", "/v1/tickets") => json!({"group": "A", "lane": "normal"}),
        ("POST", "/v1/tickets/offline") => json!({
            "group": "A", "lane": "normal", "day": day, "slot": slot, "number": 1,
            "issued_at": now().to_string()
        }),
        ("POST", "/v1/tickets/void") => json!({"key": "never-issued"}),
        ("POST", "/v1/queue/call") => json!({"counter": "1", "groups": ["A"], "officer": "CB01"}),
        ("POST", "/v1/queue/call-number") => json!({"counter": "1", "number": "A-001"}),
        ("POST", "/v1/tickets/{id}/transfer") => json!({"group": "B"}),
        ("POST", p) if p.starts_with("/v1/tickets/{id}/") => json!({"counter": "1"}),
        ("PUT", "/v1/dossiers/{code}") => json!({
            "procedure_code": "1.001193",
            "procedure_name": "Thủ tục đăng ký khai sinh",
            "applicant": {"name": "Lê Thị Thử", "id_number": "001190000001", "kind": 1,
                          "phone": "0900000000", "address": "Hà Nội"},
            "received_at": "2026-11-28T02:41:00Z",
            "due_at": "2026-12-01T02:41:00Z",
            "status": 2,
            "channel": 1
        }),
        ("POST", "/v1/dossiers/{code}/status") => json!({"status": 4}),
        ("POST", "/v1/lookup") => json!({"code": CODE, "secret": "not-it"}),
        ("POST", "/v1/ratings") => json!({"answer": "satisfied", "rated_at": now().to_string()}),
        ("POST", "/v1/keys") => json!({"public_key": "ab".repeat(32)}),
        _ => json!({}),
    })
}

fn concrete(path: &str) -> String {
    let query = if path == "/v1/reports" {
        "?from=2026-11-01&to=2026-11-28"
    } else {
        ""
    };
    format!("{}{query}", path.replace("{id}", "1").replace("{code}", CODE))
}

#[test]
fn every_route_allows_the_roles_of_the_table_and_refuses_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let options = motcua_central::Options {
        portal_worker: false,
        clock: motcua_core::clock::Clock::manual(now()),
        ..Default::default()
    };
    let app = motcua_central::App::open(dir.path(), &options).unwrap();
    let (routes, doc) = motcua_central::routes();
    let paths = serde_json::to_value(&doc).unwrap()["paths"].clone();
    let router = motcua_central::finish(routes, doc, app);
    let devices: Vec<(Device, String)> = [Role::Kiosk, Role::Counter, Role::Board]
        .into_iter()
        .map(|r| enroll(dir.path(), r))
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut n = 0;
    let mut send = |method: &Method, path: &str, who: Option<&(Device, String)>| -> (StatusCode, Value) {
        n += 1;
        let mut request = Request::builder()
            .method(method)
            .uri(concrete(path))
            .header("idempotency-key", format!("k{n}"));
        if let Some((_, credential)) = who {
            request = request.header("authorization", format!("Bearer {credential}"));
        }
        let body = if path == "/v1/enroll" {
            // A fresh token each time: the token is the enrollment's credential.
            let token = motcua_central::admin(dir.path(), |c| {
                motcua_central::auth::create_enrollment(c, OFFICE, Role::Kiosk, "another")
            })
            .unwrap();
            Some(json!({ "token": token }))
        } else {
            body(method, path, who.map(|(d, _)| d))
        };
        let request = match body {
            Some(b) => request
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        rt.block_on(async {
            let response = router.clone().oneshot(request).await.unwrap();
            let status = response.status();
            // An event stream answers at once and never ends: only its head.
            if path == "/v1/events" {
                return (status, Value::Null);
            }
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
        })
    };

    let mut tried = 0;
    for (path, item) in paths.as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let allowed = access(&method, path)
                .unwrap_or_else(|| panic!("{method} {path} is in the OpenAPI document but not in ROUTE_ROLES"));
            let (s, v) = send(&method, path, None);
            match allowed {
                Access::Public => assert!(
                    s != StatusCode::UNAUTHORIZED && s != StatusCode::FORBIDDEN,
                    "{method} {path} is public in the table, yet refused without a credential: {s} {v}"
                ),
                Access::Roles(_) => assert_eq!(
                    s,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} needs a device, yet answered {s} without one: {v}"
                ),
            }
            for device in &devices {
                let role = device.0.role;
                let may = match allowed {
                    Access::Public => true,
                    Access::Roles(roles) => roles.contains(&role),
                };
                let (s, v) = send(&method, path, Some(device));
                if may {
                    assert!(
                        s != StatusCode::UNAUTHORIZED && s != StatusCode::FORBIDDEN,
                        "the table lets a {} use {method} {path}, yet it answered {s}: {v}",
                        role.as_str()
                    );
                } else {
                    assert_eq!(
                        s,
                        StatusCode::FORBIDDEN,
                        "the table keeps a {} from {method} {path}, yet it answered {s}: {v}",
                        role.as_str()
                    );
                    assert_eq!(v["code"], "forbidden", "{v}");
                    assert!(!v["message_vi"].as_str().unwrap().is_empty(), "{v}");
                }
            }
            tried += 1;
        }
    }
    assert!(tried >= 28, "only {tried} routes in the document");
    // Every route of the table is served: none is listed for nothing.
    for (method, path, _) in ROUTE_ROLES {
        let (s, v) = send(method, path, devices.iter().find(|d| d.0.role == Role::Counter));
        assert!(
            s != StatusCode::METHOD_NOT_ALLOWED && v["message"] != "no such endpoint",
            "{method} {path} is in ROUTE_ROLES but not routed: {s} {v}"
        );
    }
}
