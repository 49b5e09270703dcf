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

/// Central's real router in process, on a clock that stands still.
struct Central {
    dir: tempfile::TempDir,
    router: axum::Router,
    rt: tokio::runtime::Runtime,
    keys: u32,
}

impl Central {
    /// A central and the paths of its OpenAPI document.
    fn new() -> (Self, Value) {
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
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        (
            Central {
                dir,
                router,
                rt,
                keys: 0,
            },
            paths,
        )
    }

    /// A one-time enrollment token for a device of `office` in `role`.
    fn token(&self, office: &str, role: Role) -> String {
        motcua_central::admin(self.dir.path(), |c| {
            motcua_central::auth::create_enrollment(c, office, role, role.as_str())
        })
        .unwrap()
    }

    /// A device of `office` in `role`, enrolled in central's database.
    fn enroll(&self, office: &str, role: Role) -> (Device, String) {
        let token = self.token(office, role);
        motcua_central::admin(self.dir.path(), |c| motcua_central::auth::enroll_at(c, &token, now())).unwrap()
    }

    /// Sends a request, with a fresh Idempotency-Key unless `key` names
    /// one; answers the status and the JSON answer (Null for none).
    fn send(
        &mut self,
        method: &Method,
        path: &str,
        credential: Option<&str>,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.keys += 1;
        let key = key.map_or_else(|| format!("k{}", self.keys), str::to_string);
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("idempotency-key", key);
        if let Some(credential) = credential {
            request = request.header("authorization", format!("Bearer {credential}"));
        }
        let request = match body {
            Some(b) => request
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        let router = self.router.clone();
        self.rt.block_on(async {
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            // An event stream answers at once and never ends: only its head.
            if path == "/v1/events" {
                return (status, Value::Null);
            }
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
        })
    }
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
        ("POST", "/v1/dossiers/{code}/payment") => json!({
            "amount": 50000, "paid": true, "method": "cash", "at": now().to_string()
        }),
        ("POST", "/v1/lookup") => json!({"code": CODE, "secret": "not-it"}),
        ("POST", "/v1/ratings") => json!({"answer": "satisfied", "rated_at": now().to_string()}),
        ("POST", "/v1/dossiers/{code}/evaluation") => json!({
            "code": CODE, "occasion": "kiosk", "rated_at": now().to_string(), "answers": {"overall": "satisfied"}
        }),
        ("POST", "/v1/keys") => json!({"public_key": "ab".repeat(32)}),
        _ => json!({}),
    })
}

fn concrete(path: &str) -> String {
    let query = match path {
        "/v1/reports" => "?from=2026-11-01&to=2026-11-28",
        p if p.ends_with("/{sha256}") => "?offset=0",
        _ => "",
    };
    let sha = "ab".repeat(32);
    format!(
        "{}{query}",
        path.replace("{id}", "1")
            .replace("{code}", CODE)
            .replace("{sha256}", &sha)
    )
}

#[test]
fn every_route_allows_the_roles_of_the_table_and_refuses_the_others() {
    let (mut central, paths) = Central::new();
    let devices: Vec<(Device, String)> = [Role::Kiosk, Role::Counter, Role::Board]
        .into_iter()
        .map(|r| central.enroll(OFFICE, r))
        .collect();
    let mut send = |method: &Method, path: &str, who: Option<&(Device, String)>| -> (StatusCode, Value) {
        let body = if path == "/v1/enroll" {
            // A fresh token each time: the token is the enrollment's credential.
            Some(json!({ "token": central.token(OFFICE, Role::Kiosk) }))
        } else {
            body(method, path, who.map(|(d, _)| d))
        };
        central.send(method, &concrete(path), who.map(|(_, c)| c.as_str()), None, body)
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
    let counter = devices.iter().find(|d| d.0.role == Role::Counter);
    for (method, path, _) in ROUTE_ROLES {
        let (s, v) = send(method, path, counter);
        assert!(
            s != StatusCode::METHOD_NOT_ALLOWED && v["message"] != "no such endpoint",
            "{method} {path} is in ROUTE_ROLES but not routed: {s} {v}"
        );
    }
}

fn dossier(status: u8, applicant: &str, secret: &str) -> Value {
    json!({
        "procedure_code": "1.001193",
        "procedure_name": "Thủ tục đăng ký khai sinh",
        "applicant": {"name": applicant, "id_number": "001190000001", "kind": 1,
                      "phone": "0900000000", "address": "Hà Nội"},
        "received_at": "2026-11-28T02:41:00Z",
        "due_at": "2026-12-01T02:41:00Z",
        "status": status,
        "channel": 1,
        "lookup_secret": secret
    })
}

#[test]
fn only_the_offices_counters_write_its_dossiers() {
    let (mut c, _) = Central::new();
    let (_, counter) = c.enroll(OFFICE, Role::Counter);
    let (_, another_counter) = c.enroll(OFFICE, Role::Counter);
    let (_, kiosk) = c.enroll(OFFICE, Role::Kiosk);
    let (_, board) = c.enroll(OFFICE, Role::Board);
    let (_, elsewhere) = c.enroll("000.00.02.H26", Role::Counter);
    let path = format!("/v1/dossiers/{CODE}");
    let status_path = format!("{path}/status");
    let (s, v) = c.send(
        &Method::PUT,
        &path,
        Some(&counter),
        None,
        Some(dossier(2, "Lê Thị Thử", "s3cret")),
    );
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // What a kiosk did: the applicant replaced, status 10, a new secret.
    for other in [&kiosk, &board] {
        let (s, v) = c.send(
            &Method::PUT,
            &path,
            Some(other),
            None,
            Some(dossier(10, "Kẻ Mạo Danh", "stolen")),
        );
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert!(v["message"].as_str().unwrap().contains("counter"), "{v}");
        let (s, _) = c.send(
            &Method::POST,
            &status_path,
            Some(other),
            None,
            Some(json!({"status": 10})),
        );
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = c.send(&Method::POST, "/v1/dossier-codes", Some(other), None, None);
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    let (_, d) = c.send(&Method::GET, &path, Some(&counter), None, None);
    assert_eq!(
        (&d["applicant"]["name"], &d["status"]),
        (&json!("Lê Thị Thử"), &json!(2)),
        "{d}"
    );
    let lookup = |secret: &str| json!({"code": CODE, "secret": secret});
    let (s, _) = c.send(&Method::POST, "/v1/lookup", Some(&kiosk), None, Some(lookup("stolen")));
    assert_eq!(s, StatusCode::NOT_FOUND, "the secret was not replaced");

    // Any counter of the office moves it on: the citizen came back to
    // another counter.
    let (s, v) = c.send(
        &Method::POST,
        &status_path,
        Some(&another_counter),
        None,
        Some(json!({"status": 4})),
    );
    assert_eq!((s, &v["status"]), (StatusCode::OK, &json!(4)), "{v}");
    let (s, v) = c.send(
        &Method::PUT,
        &path,
        Some(&another_counter),
        None,
        Some(dossier(4, "Lê Thị Thử", "s3cret")),
    );
    assert_eq!(s, StatusCode::OK, "{v}");

    // Another office's counter: it cannot see the dossier, move it on, or
    // take in one of its own under this office's code.
    let (s, _) = c.send(&Method::GET, &path, Some(&elsewhere), None, None);
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = c.send(
        &Method::POST,
        &status_path,
        Some(&elsewhere),
        None,
        Some(json!({"status": 10})),
    );
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = c.send(
        &Method::PUT,
        &path,
        Some(&elsewhere),
        None,
        Some(dossier(10, "Kẻ Mạo Danh", "stolen")),
    );
    assert_eq!((s, &v["code"]), (StatusCode::FORBIDDEN, &json!("forbidden")), "{v}");
    assert!(!v["message_vi"].as_str().unwrap().is_empty(), "{v}");
    let (s, _) = c.send(&Method::POST, "/v1/lookup", Some(&kiosk), None, Some(lookup("stolen")));
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "no copy under this office's code answers another secret"
    );
    // Its own office's codes it takes in as before.
    let (s, v) = c.send(
        &Method::PUT,
        "/v1/dossiers/000.00.02.H26-261128-0001",
        Some(&elsewhere),
        None,
        Some(dossier(1, "Trần Văn Khác", "other")),
    );
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // The office's dossier is as its counters left it.
    let (s, v) = c.send(&Method::POST, "/v1/lookup", Some(&kiosk), None, Some(lookup("s3cret")));
    assert_eq!((s, &v["status"]), (StatusCode::OK, &json!(4)), "{v}");
    let history: Vec<u64> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_u64().unwrap())
        .collect();
    assert_eq!(history, [2, 4]);
}

/// A ticket issued at a kiosk, called by `counter` for `officer` and
/// served: its id.
fn served(c: &mut Central, kiosk: &str, counter: &str, officer: &str) -> i64 {
    let (s, t) = c.send(
        &Method::POST,
        "/v1/tickets",
        Some(kiosk),
        None,
        Some(json!({"group": "A", "lane": "normal"})),
    );
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let (s, called) = c.send(
        &Method::POST,
        "/v1/queue/call",
        Some(counter),
        None,
        Some(json!({"counter": "3", "groups": ["A"], "officer": officer})),
    );
    assert_eq!((s, &called["id"]), (StatusCode::OK, &t["id"]), "{called}");
    let id = t["id"].as_i64().unwrap();
    let (s, v) = c.send(
        &Method::POST,
        &format!("/v1/tickets/{id}/complete"),
        Some(counter),
        None,
        Some(json!({"counter": "3"})),
    );
    assert_eq!(s, StatusCode::OK, "{v}");
    id
}

#[test]
fn the_citizen_rates_a_served_ticket_once_and_the_counter_not_at_all() {
    let (mut c, _) = Central::new();
    let (_, kiosk) = c.enroll(OFFICE, Role::Kiosk);
    let (_, counter) = c.enroll(OFFICE, Role::Counter);
    let (_, board) = c.enroll(OFFICE, Role::Board);
    // The counter's citizen display is a kiosk device of its own.
    let (display_device, display) = c.enroll(OFFICE, Role::Kiosk);
    let id = served(&mut c, &kiosk, &counter, "CB01");
    let rating =
        |answer: &str| json!({"answer": answer, "rated_at": now().to_string(), "ticket_id": id, "criteria": ["staff"]});

    // The counter rating its own service, and the board: refused.
    for other in [&counter, &board] {
        let (s, v) = c.send(
            &Method::POST,
            "/v1/ratings",
            Some(other),
            None,
            Some(rating("satisfied")),
        );
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    }
    // The citizen's own rating, at the display: taken.
    let (s, first) = c.send(
        &Method::POST,
        "/v1/ratings",
        Some(&display),
        Some("rate-1"),
        Some(rating("unsatisfied")),
    );
    assert_eq!(s, StatusCode::CREATED, "{first}");
    // Its retry replays the answer.
    let (s, again) = c.send(
        &Method::POST,
        "/v1/ratings",
        Some(&display),
        Some("rate-1"),
        Some(rating("unsatisfied")),
    );
    assert_eq!((s, &again), (StatusCode::CREATED, &first));
    // A second rating of the same ticket, from anywhere: 409, the first stands.
    for other in [&display, &kiosk] {
        let (s, v) = c.send(
            &Method::POST,
            "/v1/ratings",
            Some(other),
            None,
            Some(rating("satisfied")),
        );
        assert_eq!((s, &v["code"]), (StatusCode::CONFLICT, &json!("already_rated")), "{v}");
        assert!(v["message"].as_str().unwrap().contains("rated once"), "{v}");
        assert!(!v["message_vi"].as_str().unwrap().is_empty(), "{v}");
    }
    let stored = motcua_central::admin(c.dir.path(), |conn| {
        Ok(conn.query_row(
            "SELECT count(*), max(answer), max(device_id), max(officer) FROM ratings WHERE ticket_id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )?)
    })
    .unwrap();
    assert_eq!(
        stored,
        (1, "unsatisfied".into(), display_device.device_id, "CB01".into())
    );
}

#[test]
fn officer_ids_and_counter_labels_are_checked_where_a_counter_sends_them() {
    let (mut c, _) = Central::new();
    let (_, kiosk) = c.enroll(OFFICE, Role::Kiosk);
    let (_, counter) = c.enroll(OFFICE, Role::Counter);
    let (s, t) = c.send(
        &Method::POST,
        "/v1/tickets",
        Some(&kiosk),
        None,
        Some(json!({"group": "A", "lane": "normal"})),
    );
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let long = "A".repeat(motcua_core::queue::OFFICER_ID_MAX + 1);
    for bad in [
        "",
        " CB01",
        "<img src=x>",
        "CB01\u{7}",
        "CB01\nCB02",
        "https://x.y/",
        &long,
    ] {
        let (s, v) = c.send(
            &Method::POST,
            "/v1/queue/call",
            Some(&counter),
            None,
            Some(json!({"counter": "3", "groups": ["A"], "officer": bad})),
        );
        assert_eq!(
            (s, &v["code"]),
            (StatusCode::UNPROCESSABLE_ENTITY, &json!("invalid_officer")),
            "{bad:?}: {v}"
        );
        assert!(!v["message_vi"].as_str().unwrap().is_empty(), "{v}");
        if !bad.is_empty() {
            assert!(
                !v["message"].as_str().unwrap().contains(bad),
                "the id is not echoed: {v}"
            );
        }
    }
    for bad in ["", "Quầy 3 ở tầng hai", "3\u{7}", "<b>3</b>"] {
        let (s, v) = c.send(
            &Method::POST,
            "/v1/queue/call",
            Some(&counter),
            None,
            Some(json!({"counter": bad, "groups": ["A"], "officer": "CB01"})),
        );
        assert_eq!(
            (s, &v["code"]),
            (StatusCode::UNPROCESSABLE_ENTITY, &json!("invalid_counter")),
            "{bad:?}: {v}"
        );
    }
    // Nothing was called on the way: the ticket waits for a good call, and
    // the officer is kept with it.
    for officer in [json!("Nguyễn Văn A"), json!(null)] {
        let (s, v) = c.send(
            &Method::POST,
            "/v1/queue/call",
            Some(&counter),
            None,
            Some(json!({"counter": "Quầy 3", "groups": ["A"], "officer": officer})),
        );
        assert_eq!(s, StatusCode::OK, "{v}");
        if officer.is_null() {
            assert!(v.is_null(), "nobody waits any more: {v}");
        } else {
            assert_eq!(v["id"], t["id"], "{v}");
        }
    }
    let id = t["id"].as_i64().unwrap();
    let (s, v) = c.send(
        &Method::POST,
        &format!("/v1/tickets/{id}/transfer"),
        Some(&counter),
        None,
        Some(json!({"counter": "3; rm"})),
    );
    assert_eq!(
        (s, &v["code"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("invalid_counter")),
        "{v}"
    );
}
