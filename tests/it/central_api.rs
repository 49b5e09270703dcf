//! The central API over real HTTP on 127.0.0.1: enrollment, office
//! isolation, idempotency, bad input, the queue, events, dossiers.

use motcua_testkit as kit;

use std::time::Duration;

use kit::*;
use motcua_api::model::{Role, Ticket};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Api {
    http: reqwest::Client,
    base: String,
    credential: String,
    rt: tokio::runtime::Runtime,
}

impl Api {
    fn new(base: &str, credential: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: base.to_string(),
            credential: credential.to_string(),
            rt: runtime(),
        }
    }

    /// A device of `OFFICE` in `role`, enrolled over HTTP.
    fn enrolled(central: &motcua_central::Running, dir: &std::path::Path, role: Role) -> Self {
        Self::new(&central.url(), &enroll(central, dir, OFFICE, role).credential)
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<&str>,
    ) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {}", self.credential));
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b.to_string());
        }
        self.rt.block_on(async {
            let r = req.send().await.expect("central answers");
            let status = r.status();
            let headers = r.headers().clone();
            let text = r.text().await.unwrap();
            (
                status,
                serde_json::from_str(&text).unwrap_or(Value::String(text)),
                headers,
            )
        })
    }

    fn post(&self, path: &str, key: &str, body: Value) -> (StatusCode, Value) {
        let (s, v, _) = self.send("POST", path, Some(key), Some(&body.to_string()));
        (s, v)
    }
}

fn ticket(api: &Api, key: &str, group: &str, lane: &str) -> Ticket {
    let (s, v) = api.post("/v1/tickets", key, json!({"group": group, "lane": lane}));
    assert_eq!(s, StatusCode::CREATED, "{v}");
    serde_json::from_value(v).unwrap()
}

#[test]
fn enrollment_tokens_are_one_time_and_revocation_works() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let t = token(dir.path(), OFFICE, Role::Kiosk, "Kiosk 1");
    let anon = Api::new(&central.url(), "");
    let (s, v, _) = anon.send("POST", "/v1/enroll", None, Some(&json!({"token": t}).to_string()));
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let credential = v["credential"].as_str().unwrap().to_string();
    // The token is spent.
    let (s, _, _) = anon.send("POST", "/v1/enroll", None, Some(&json!({"token": t}).to_string()));
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Tokens and credentials are stored hashed only.
    let db = central_db(dir.path());
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM enrollments WHERE token_hash = '{t}'")
        ),
        0
    );
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM devices WHERE credential_hash = '{credential}'")
        ),
        0
    );

    let api = Api::new(&central.url(), &credential);
    assert_eq!(api.send("GET", "/v1/me", None, None).0, StatusCode::OK);
    // Unenrolled, malformed and missing credentials: 401 with a clear message.
    for bad in ["nonsense", ""] {
        let (s, v, _) = Api::new(&central.url(), bad).send("GET", "/v1/me", None, None);
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert!(
            v["message"].as_str().unwrap().contains("credential") || v["message"].as_str().unwrap().contains("Bearer"),
            "{v}"
        );
        assert!(!v["message_vi"].as_str().unwrap().is_empty());
    }
    let id = v["device_id"].as_i64().unwrap();
    assert!(motcua_central::admin(dir.path(), |c| motcua_central::auth::revoke(c, id)).unwrap());
    assert_eq!(api.send("GET", "/v1/me", None, None).0, StatusCode::UNAUTHORIZED);
}

#[test]
fn idempotency_keys_replay_refuse_and_are_required() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let e = enroll(&central, dir.path(), OFFICE, Role::Kiosk);
    let api = Api::new(&central.url(), &e.credential);
    let first = ticket(&api, "k-1", "A", "normal");
    let again = ticket(&api, "k-1", "A", "normal");
    assert_eq!(first, again, "the same key and body replay the first answer");
    let (s, v) = api.post("/v1/tickets", "k-1", json!({"group": "B", "lane": "normal"}));
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v, _) = api.send("POST", "/v1/tickets", None, Some(r#"{"group":"A","lane":"normal"}"#));
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["message"].as_str().unwrap().contains("Idempotency-Key"));
    assert_eq!(count(&central_db(dir.path()), "SELECT count(*) FROM tickets"), 1);

    // A row stored before method and path were kept (the body's hash only):
    // a retry across the upgrade still replays.
    let body = json!({"group": "C", "lane": "normal"});
    let before = ticket(&api, "k-old", "C", "normal");
    central_db(dir.path())
        .execute(
            "UPDATE idempotency SET request_hash = ?1 WHERE key = 'k-old'",
            [motcua_central::auth::hash(&body.to_string())],
        )
        .unwrap();
    let (s, v) = api.post("/v1/tickets", "k-old", body);
    assert_eq!((s, v["id"].as_i64()), (StatusCode::CREATED, Some(before.id)));
    let (s, _) = api.post("/v1/tickets", "k-old", json!({"group": "D", "lane": "normal"}));
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

#[test]
fn a_key_used_for_one_ticket_never_answers_for_another() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let kiosk = Api::enrolled(&central, dir.path(), Role::Kiosk);
    let counter = Api::enrolled(&central, dir.path(), Role::Counter);
    let tickets: Vec<Ticket> = (1..=10)
        .map(|i| ticket(&kiosk, &format!("t{i}"), "A", "normal"))
        .collect();
    let (nine, ten) = (tickets[8].id, tickets[9].id);
    assert_eq!((nine, ten), (9, 10));
    for number in ["A-009", "A-010"] {
        let (s, v) = counter.post(
            "/v1/queue/call-number",
            &format!("call-{number}"),
            json!({"counter": "1", "number": number}),
        );
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, v) = counter.post(&format!("/v1/tickets/{nine}/complete"), "done", json!({"counter": "1"}));
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["id"], nine);
    // The same key and body on ticket 10's path: refused, not ticket 9's answer.
    let (s, v) = counter.post(&format!("/v1/tickets/{ten}/complete"), "done", json!({"counter": "1"}));
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["code"], "idempotency_key_reused", "{v}");
    assert!(v["message"].as_str().unwrap().contains("Idempotency-Key"), "{v}");
    assert!(!v["message_vi"].as_str().unwrap().is_empty(), "{v}");
    let db = central_db(dir.path());
    let status = |id: i64| -> String {
        db.query_row("SELECT status FROM tickets WHERE id = ?1", [id], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(status(ten), "called", "ticket 10 was left as it was");
    assert_eq!(status(nine), "done");
    // The same key on another action: refused too.
    let (s, v) = counter.post(&format!("/v1/tickets/{ten}/skip"), "done", json!({"counter": "1"}));
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(status(ten), "called");
    // The very same request again replays its answer; ticket 10 takes its own key.
    let (s, v) = counter.post(&format!("/v1/tickets/{nine}/complete"), "done", json!({"counter": "1"}));
    assert_eq!((s, v["id"].as_i64()), (StatusCode::OK, Some(nine)));
    let (s, v) = counter.post(
        &format!("/v1/tickets/{ten}/complete"),
        "done-10",
        json!({"counter": "1"}),
    );
    assert_eq!((s, v["id"].as_i64()), (StatusCode::OK, Some(ten)));
    assert_eq!(status(ten), "done");
}

#[test]
fn bad_input_gets_a_clear_4xx_never_a_5xx() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let e = enroll(&central, dir.path(), OFFICE, Role::Kiosk);
    let api = Api::new(&central.url(), &e.credential);
    let cases: Vec<(&str, &str, Option<String>, StatusCode)> = vec![
        ("POST", "/v1/tickets", Some("{\"group\": \"A\", ".into()), StatusCode::BAD_REQUEST),
        ("POST", "/v1/tickets", Some("[1, 2]".into()), StatusCode::UNPROCESSABLE_ENTITY),
        ("POST", "/v1/tickets", Some(r#"{"group": 5, "lane": "normal"}"#.into()), StatusCode::UNPROCESSABLE_ENTITY),
        ("POST", "/v1/tickets", Some(r#"{"group": "A", "lane": "vip"}"#.into()), StatusCode::UNPROCESSABLE_ENTITY),
        ("POST", "/v1/tickets", Some(r#"{"group": "A", "lane": "normal", "name": "Nguyễn Văn A"}"#.into()), StatusCode::UNPROCESSABLE_ENTITY),
        ("POST", "/v1/tickets", Some(r#"{"group": "AB", "lane": "normal"}"#.into()), StatusCode::UNPROCESSABLE_ENTITY),
        ("POST", "/v1/tickets", Some("\u{0}\u{1}".into()), StatusCode::BAD_REQUEST),
        ("POST", "/v1/tickets", Some(format!(r#"{{"group": "A", "lane": "normal", "procedure": "{}"}}"#, "x".repeat(300_000))), StatusCode::PAYLOAD_TOO_LARGE),
        ("POST", "/v1/ratings", Some(r#"{"answer": "great", "rated_at": "2026-11-28T02:00:00Z"}"#.into()), StatusCode::UNPROCESSABLE_ENTITY),
        ("POST", "/v1/ratings", Some(r#"{"answer": "satisfied", "rated_at": "yesterday"}"#.into()), StatusCode::UNPROCESSABLE_ENTITY),
        ("GET", "/v1/nowhere", None, StatusCode::NOT_FOUND),
        ("DELETE", "/v1/tickets", None, StatusCode::METHOD_NOT_ALLOWED),
        ("POST", "/v1/tickets/offline", Some(r#"{"group":"A","lane":"normal","day":"2026-11-28","slot":99,"number":1,"issued_at":"2026-11-28T02:00:00Z"}"#.into()), StatusCode::FORBIDDEN),
        ("POST", "/v1/tickets/offline", Some(format!(r#"{{"group":"A","lane":"normal","day":"28/11","slot":{},"number":1,"issued_at":"2026-11-28T02:00:00Z"}}"#, e.device.slot)), StatusCode::UNPROCESSABLE_ENTITY),
        ("POST", "/v1/queue/call", Some(r#"{"counter":"1","groups":["A"]}"#.into()), StatusCode::FORBIDDEN),
    ];
    for (i, (method, path, body, want)) in cases.into_iter().enumerate() {
        let (s, v, _) = api.send(method, path, Some(&format!("bad-{i}")), body.as_deref());
        assert_eq!(s, want, "case {i} {method} {path}: {v}");
        assert!(
            v["code"].is_string() && v["message"].is_string() && v["message_vi"].is_string(),
            "case {i}: {v}"
        );
    }
    // Not JSON at all.
    let rt = runtime();
    let s = rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{}/v1/tickets", central.url()))
            .header("authorization", format!("Bearer {}", e.credential))
            .header("idempotency-key", "text")
            .header("content-type", "text/plain")
            .body("group=A")
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Still alive, and no 5xx was counted.
    let (_, metrics, _) = api.send("GET", "/metrics", None, None);
    let metrics = metrics.as_str().unwrap().to_string();
    assert!(!metrics.contains("status=\"500\""), "{metrics}");
    assert!(metrics.contains("status=\"422\""), "{metrics}");
}

#[test]
fn another_office_sees_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let a = Api::enrolled(&central, dir.path(), Role::Counter);
    let b = Api::new(
        &central.url(),
        &enroll(&central, dir.path(), "000.00.02.H26", Role::Counter).credential,
    );
    let (s, v, _) = a.send(
        "PUT",
        "/v1/dossiers/000.00.01.H26-261128-0001",
        Some("d1"),
        Some(&dossier(2, "s3cret").to_string()),
    );
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, _, _) = b.send("GET", "/v1/dossiers/000.00.01.H26-261128-0001", None, None);
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = b.send(
        "POST",
        "/v1/dossiers/000.00.01.H26-261128-0001/status",
        Some("x"),
        Some(r#"{"status": 4}"#),
    );
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Office B's queue does not show office A's tickets.
    let ka = Api::enrolled(&central, dir.path(), Role::Kiosk);
    ticket(&ka, "t", "A", "normal");
    let (_, waiting, _) = b.send("GET", "/v1/queue", None, None);
    assert_eq!(waiting, json!([]));
}

fn dossier(status: u8, secret: &str) -> Value {
    json!({
        "procedure_code": "1.001193",
        "procedure_name": "Thủ tục đăng ký khai sinh",
        "applicant": {"name": "Nguyễn Thị Ánh", "id_number": "001305012345", "kind": 1, "phone": "0912345678", "address": "12 Hàng Bạc, Hoàn Kiếm"},
        "received_at": "2026-11-28T02:41:00Z",
        "due_at": "2026-11-28T10:00:00Z",
        "status": status,
        "channel": 1,
        "documents": [{"name": "Tờ khai", "originals": 1, "copies": 0}],
        "lookup_secret": secret,
    })
}

#[test]
fn dossiers_keep_their_status_history_and_citizens_look_them_up() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let api = Api::enrolled(&central, dir.path(), Role::Counter);
    let code = "000.00.01.H26-261128-0007";
    let path = format!("/v1/dossiers/{code}");
    let (s, v, _) = api.send("PUT", &path, Some("put-1"), Some(&dossier(1, "abc123").to_string()));
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // The same write again: replayed, not a second history entry.
    let (s, _, _) = api.send("PUT", &path, Some("put-1"), Some(&dossier(1, "abc123").to_string()));
    assert_eq!(s, StatusCode::CREATED);
    let (s, v, _) = api.send("PUT", &path, Some("put-2"), Some(&dossier(2, "abc123").to_string()));
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = api.post(
        &format!("{path}/status"),
        "st-4",
        json!({"status": 4, "note": "chuyển phòng chuyên môn"}),
    );
    assert_eq!(s, StatusCode::OK, "{v}");
    let statuses: Vec<u64> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, vec![1, 2, 4]);
    let (s, _) = api.post(&format!("{path}/status"), "st-11", json!({"status": 11}));
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    let kiosk = Api::enrolled(&central, dir.path(), Role::Kiosk);
    let (s, v, _) = kiosk.send(
        "POST",
        "/v1/lookup",
        None,
        Some(&json!({"code": code, "secret": "abc123"}).to_string()),
    );
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], 4);
    let text = v.to_string();
    for personal in ["Nguyễn Thị Ánh", "001305012345", "0912345678", "Hàng Bạc"] {
        assert!(!text.contains(personal), "a lookup answer carries {personal}");
    }
    let (s, _, _) = kiosk.send(
        "POST",
        "/v1/lookup",
        None,
        Some(&json!({"code": code, "secret": "wrong"}).to_string()),
    );
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[test]
fn the_counter_calls_with_the_priority_interleave_and_the_board_hears_it() {
    let dir = tempfile::tempdir().unwrap();
    // Central's own clock, fixed: the queue is "today's" whatever the hour.
    let central = start_central_at_time(dir.path(), at("2026-11-28T02:00:00Z"));
    let kiosk = Api::enrolled(&central, dir.path(), Role::Kiosk);
    let counter = Api::enrolled(&central, dir.path(), Role::Counter);
    let board = enroll(&central, dir.path(), OFFICE, Role::Board);

    // The board listens before anything happens.
    let rt = runtime();
    let mut events = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{}/v1/events", central.url()))
            .header("authorization", format!("Bearer {}", board.credential))
            .send()
            .await
            .unwrap()
    });
    assert_eq!(events.status(), StatusCode::OK);

    for i in 0..7 {
        ticket(&kiosk, &format!("n{i}"), "A", "normal");
    }
    for i in 0..3 {
        ticket(&kiosk, &format!("p{i}"), "A", "priority");
    }
    let (_, waiting, _) = kiosk.send("GET", "/v1/queue", None, None);
    assert_eq!(waiting, json!([{"group": "A", "normal": 7, "priority": 3}]));

    let mut order = String::new();
    let mut called = Vec::new();
    for i in 0..11 {
        let (s, v) = counter.post(
            "/v1/queue/call",
            &format!("call-{i}"),
            json!({"counter": "3", "groups": ["A"]}),
        );
        assert_eq!(s, StatusCode::OK, "{v}");
        if v.is_null() {
            break;
        }
        let t: Ticket = serde_json::from_value(v).unwrap();
        order.push(if t.lane == motcua_core::queue::Lane::Priority {
            'P'
        } else {
            'N'
        });
        let id = t.id;
        called.push(t);
        let (s, _) = counter.post(
            &format!("/v1/tickets/{id}/complete"),
            &format!("done-{i}"),
            json!({"counter": "3"}),
        );
        assert_eq!(s, StatusCode::OK);
    }
    assert_eq!(order, "PNNNPNNNPN");
    assert_eq!(called[0].display, "A-008", "the first priority ticket, issued eighth");

    // Recall, no-show and transfer.
    let t1 = ticket(&kiosk, "r1", "A", "normal");
    let (_, v) = counter.post("/v1/queue/call", "c-r1", json!({"counter": "3", "groups": ["A"]}));
    assert_eq!(v["id"], t1.id);
    assert_eq!(
        counter
            .post(&format!("/v1/tickets/{}/recall", t1.id), "rc", json!({"counter": "3"}))
            .0,
        StatusCode::OK
    );
    assert_eq!(
        counter
            .post(&format!("/v1/tickets/{}/skip", t1.id), "sk", json!({"counter": "3"}))
            .0,
        StatusCode::OK
    );
    // A no-show cannot be completed.
    assert_eq!(
        counter
            .post(
                &format!("/v1/tickets/{}/complete", t1.id),
                "cp",
                json!({"counter": "3"})
            )
            .0,
        StatusCode::CONFLICT
    );
    let t2 = ticket(&kiosk, "r2", "A", "normal");
    counter.post("/v1/queue/call", "c-r2", json!({"counter": "3", "groups": ["A"]}));
    assert_eq!(
        counter
            .post(&format!("/v1/tickets/{}/transfer", t2.id), "tr", json!({"group": "B"}))
            .0,
        StatusCode::OK
    );
    let (_, none) = counter.post("/v1/queue/call", "c-a", json!({"counter": "3", "groups": ["A"]}));
    assert!(none.is_null(), "the transferred ticket left group A: {none}");
    let (_, v) = counter.post("/v1/queue/call", "c-b", json!({"counter": "4", "groups": ["B"]}));
    assert_eq!(v["id"], t2.id);
    assert_eq!(
        counter
            .post(
                &format!("/v1/tickets/{}/transfer", t2.id),
                "tr5",
                json!({"counter": "5"})
            )
            .0,
        StatusCode::OK
    );
    let (_, none) = counter.post("/v1/queue/call", "c-b2", json!({"counter": "4", "groups": ["B"]}));
    assert!(none.is_null(), "a ticket sent to counter 5 is not counter 4's");
    let (_, v) = counter.post("/v1/queue/call", "c-5", json!({"counter": "5", "groups": ["C"]}));
    assert_eq!(v["id"], t2.id);

    // The counts kept by triggers agree with the tickets themselves.
    let db = central_db(dir.path());
    assert_eq!(
        count(&db, "SELECT count(*) FROM tickets WHERE status = 'waiting'"),
        count(&db, "SELECT coalesce(sum(waiting), 0) FROM queue_counts")
    );

    // The board heard the first ticket issued, then the calls.
    let text = rt.block_on(async {
        let mut text = String::new();
        while !text.contains("event: called") {
            let chunk = tokio::time::timeout(Duration::from_secs(10), events.chunk())
                .await
                .expect("events arrive")
                .unwrap()
                .expect("the stream stays open");
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
        text
    });
    assert!(text.contains("event: issued"), "{text}");
    assert!(text.contains("\"display\":\"A-001\""), "{text}");
}

#[test]
fn the_openapi_document_matches_the_routes() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let api = Api::new(&central.url(), "not-a-credential");
    let (s, doc, _) = api.send("GET", "/v1/openapi.json", None, None);
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 18, "{} paths", paths.len());
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let concrete = path.replace("{id}", "1").replace("{code}", "X-1");
            let (s, v, _) = api.send(&method.to_uppercase(), &concrete, Some("k"), Some("{}"));
            assert!(
                s != StatusCode::NOT_FOUND || v["message"] != "no such endpoint",
                "{method} {path} is documented but not routed"
            );
            assert_ne!(
                s,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not routed"
            );
        }
    }
    // And the routes the kiosk uses are all documented.
    for p in [
        "/v1/tickets",
        "/v1/tickets/offline",
        "/v1/tickets/void",
        "/v1/ratings",
        "/v1/dossiers/{code}",
        "/v1/catalog",
        "/v1/events",
    ] {
        assert!(paths.contains_key(p), "{p} is not documented");
    }
}

#[test]
fn the_catalog_is_served_with_an_etag() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let e = enroll(&central, dir.path(), OFFICE, Role::Kiosk);
    let client = motcua::sync::Client::new(&central.url(), &e.credential, Duration::from_secs(3));
    let rt = runtime();
    let (body, etag) = rt.block_on(client.catalog(None)).unwrap().expect("a first copy");
    let catalog: motcua_core::catalog::Catalog = serde_json::from_str(&body).unwrap();
    assert!(catalog.procedures.len() >= 40);
    assert_eq!(
        rt.block_on(client.catalog(Some(&etag))).unwrap(),
        None,
        "unchanged: 304"
    );
}

#[test]
fn health_readiness_and_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let api = Api::new(&central.url(), "");
    assert_eq!(api.send("GET", "/healthz", None, None).0, StatusCode::OK);
    assert_eq!(api.send("GET", "/readyz", None, None).0, StatusCode::OK);
    let (s, m, _) = api.send("GET", "/metrics", None, None);
    assert_eq!(s, StatusCode::OK);
    assert!(
        m.as_str()
            .unwrap()
            .contains("# TYPE motcua_http_responses_total counter")
    );
}

#[test]
fn a_device_that_floods_is_told_to_wait() {
    let dir = tempfile::tempdir().unwrap();
    let options = motcua_central::Options {
        rate_per_second: 1.0,
        rate_burst: 5.0,
        ..Default::default()
    };
    let central = start_central_at(dir.path(), std::net::SocketAddr::from(([127, 0, 0, 1], 0)), &options);
    let api = Api::enrolled(&central, dir.path(), Role::Kiosk);
    let statuses: Vec<(StatusCode, Option<String>)> = (0..8)
        .map(|_| {
            let (s, _, h) = api.send("GET", "/v1/me", None, None);
            (s, h.get("retry-after").map(|v| v.to_str().unwrap().to_string()))
        })
        .collect();
    assert!(statuses[..5].iter().all(|(s, _)| *s == StatusCode::OK), "{statuses:?}");
    let (s, retry) = &statuses[7];
    assert_eq!(*s, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry.as_deref().unwrap().parse::<u64>().unwrap() >= 1);
}

/// The value of a counter in central's /metrics text.
fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

#[test]
fn a_panicking_handler_answers_500_is_counted_and_the_server_goes_on() {
    use axum::extract::State;
    use axum::routing::get;
    use motcua_central::App;
    use motcua_central::error::ApiError;
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path(), &Default::default()).unwrap();
    let (routes, doc) = motcua_central::routes();
    // Test-only routes: a handler that panics, a database write that
    // panics, and a plain 500 that is no panic at all.
    async fn boom() -> &'static str {
        panic!("a bug in a handler")
    }
    async fn boom_in_write(State(app): State<App>) -> Result<&'static str, ApiError> {
        app.db
            .write(|_| -> Result<(), ApiError> { panic!("a bug in a write") })
            .await?;
        Ok("written")
    }
    async fn fail() -> ApiError {
        ApiError::internal("a plain error, no panic")
    }
    let routes = routes
        .route("/boom", get(boom))
        .route("/boom-in-write", get(boom_in_write))
        .route("/fail", get(fail));
    let router = motcua_central::finish(routes, doc, app);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (url, _server) = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        (url, tokio::spawn(async move { axum::serve(listener, router).await }))
    });
    let c = reqwest::Client::new();
    let get = |path: &str| {
        rt.block_on(async {
            let r = c.get(format!("{url}{path}")).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        })
    };
    let panics = |get: &dyn Fn(&str) -> (StatusCode, String)| metric(&get("/metrics").1, "motcua_handler_panics_total");
    assert_eq!(panics(&get), 0);

    // A plain 500 is not a panic.
    let (status, _) = get("/fail");
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(panics(&get), 0, "a 500 without a panic was counted as one");

    let (status, body) = get("/boom");
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["code"], "internal");
    assert_eq!(get("/healthz").0, StatusCode::OK);
    assert_eq!(panics(&get), 1, "the handler's panic was not counted");

    let (status, _) = get("/boom-in-write");
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(get("/readyz").0, StatusCode::OK, "the writer goes on");
    assert_eq!(panics(&get), 2, "the write's panic was not counted");

    // Every answer is counted by status, the panics' 500s among them.
    let text = get("/metrics").1;
    assert_eq!(
        metric(&text, "motcua_http_responses_total{status=\"500\"}"),
        3,
        "{text}"
    );
}

#[test]
fn an_offline_ticket_takes_its_place_by_when_it_was_issued() {
    let dir = tempfile::tempdir().unwrap();
    let now = at("2026-11-28T02:00:00Z");
    let central = start_central_at_time(dir.path(), now);
    let k = enroll(&central, dir.path(), OFFICE, Role::Kiosk);
    let kiosk = Api::new(&central.url(), &k.credential);
    let counter = Api::enrolled(&central, dir.path(), Role::Counter);
    // The kiosk was enrolled an hour ago: central trusts offline times
    // from then on.
    let enrolled = (now - jiff::SignedDuration::from_hours(1)).to_string();
    motcua_central::admin(dir.path(), |c| {
        c.execute(
            "UPDATE devices SET created_at = ?1 WHERE id = ?2",
            motcua_central::params![enrolled, k.device.device_id],
        )?;
        Ok(())
    })
    .unwrap();
    let online = ticket(&kiosk, "on", "A", "normal");
    // Issued earlier, while central was out of reach; arrives now.
    let earlier = (now - jiff::SignedDuration::from_mins(2)).to_string();
    let day = motcua_core::time::local_day(now).to_string();
    let (s, v) = kiosk.post(
        "/v1/tickets/offline",
        "off",
        json!({"group": "A", "lane": "normal", "day": day, "slot": k.device.slot, "number": 1, "issued_at": earlier}),
    );
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["display"], format!("A{}-001", k.device.slot));
    let (_, first) = counter.post("/v1/queue/call", "c1", json!({"counter": "1", "groups": ["A"]}));
    assert_eq!(first["display"], v["display"], "the earlier ticket is called first");
    let (_, second) = counter.post("/v1/queue/call", "c2", json!({"counter": "1", "groups": ["A"]}));
    assert_eq!(second["id"], online.id);
    // The same offline ticket sent again under another key is a conflict, not a second ticket.
    let (s, _) = kiosk.post(
        "/v1/tickets/offline",
        "off-again",
        json!({"group": "A", "lane": "normal", "day": day, "slot": k.device.slot, "number": 1, "issued_at": earlier}),
    );
    assert_eq!(s, StatusCode::CONFLICT);
}

#[test]
fn a_counter_calls_a_given_number_out_of_turn() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let kiosk = Api::enrolled(&central, dir.path(), Role::Kiosk);
    let counter = Api::enrolled(&central, dir.path(), Role::Counter);
    for i in 0..3 {
        ticket(&kiosk, &format!("t{i}"), "A", "normal");
    }
    let (s, v) = counter.post(
        "/v1/queue/call-number",
        "n3",
        json!({"counter": "2", "number": "A-003"}),
    );
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["display"], "A-003");
    // Already called: not waiting any more.
    let (s, _) = counter.post(
        "/v1/queue/call-number",
        "n3b",
        json!({"counter": "2", "number": "A-003"}),
    );
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = counter.post(
        "/v1/queue/call-number",
        "bad",
        json!({"counter": "2", "number": "three"}),
    );
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // The interleave goes on from the oldest.
    let (_, next) = counter.post("/v1/queue/call", "c", json!({"counter": "2", "groups": ["A"]}));
    assert_eq!(next["display"], "A-001");
}

fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

/// A central whose clock stands at `now`: nothing depends on the hour the
/// test runs at (Vietnam's midnight is 17:00 UTC).
fn start_central_at_time(dir: &std::path::Path, now: jiff::Timestamp) -> motcua_central::Running {
    let options = motcua_central::Options {
        clock: motcua_core::clock::Clock::manual(now),
        ..Default::default()
    };
    start_central_at(dir, std::net::SocketAddr::from(([127, 0, 0, 1], 0)), &options)
}
