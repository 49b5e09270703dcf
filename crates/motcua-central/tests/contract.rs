//! An older client against today's central: the requests a v1 client sends
//! (`tests/fixtures/v1`, without the optional fields added since) are
//! accepted by the real router, and every answer names the contract's
//! version. The server runs in-process, as tasks of the test's runtime.

use std::net::SocketAddr;

use motcua_api::model::Role;
use motcua_central::{Options, Running};
use serde_json::Value;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/v1/{name}.json", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

struct Client {
    http: reqwest::Client,
    url: String,
    credential: Option<String>,
    keys: u32,
}

impl Client {
    /// Sends `body` (JSON text) and answers the status, the version
    /// header and the JSON answer.
    async fn send(&mut self, method: reqwest::Method, path: &str, body: Option<String>) -> (u16, String, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if let Some(c) = &self.credential {
            request = request.bearer_auth(c);
        }
        if let Some(body) = body {
            self.keys += 1;
            request = request
                .header("content-type", "application/json")
                .header("idempotency-key", format!("k{}", self.keys))
                .body(body);
        }
        let answer = request.send().await.unwrap();
        let status = answer.status().as_u16();
        let version = answer
            .headers()
            .get(motcua_api::VERSION_HEADER)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let text = answer.text().await.unwrap();
        (
            status,
            version,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn enroll(url: &str, dir: &std::path::Path, role: Role) -> Self {
        let token = motcua_central::admin(dir, |c| {
            motcua_central::auth::create_enrollment(c, "000.00.01.H26", role, "v1 client")
        })
        .unwrap();
        let mut client = Client {
            http: {
                motcua_central::tls::init();
                reqwest::Client::new()
            },
            url: url.to_string(),
            credential: None,
            keys: 0,
        };
        let (status, version, enrolled) = client
            .send(
                reqwest::Method::POST,
                "/v1/enroll",
                Some(fixture("enroll").replace("TOKEN", &token)),
            )
            .await;
        assert_eq!((status, version.as_str()), (201, "1"), "{enrolled}");
        client.credential = Some(enrolled["credential"].as_str().unwrap().to_string());
        client
    }
}

#[test]
fn an_older_clients_requests_are_accepted_by_todays_central() {
    use reqwest::Method;
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let central = Running::start_on(
        rt.handle(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
        dir.path(),
        &Options {
            portal_worker: false,
            ..Options::default()
        },
    )
    .unwrap();
    let url = central.url();
    rt.block_on(async {
        let mut kiosk = Client::enroll(&url, dir.path(), Role::Kiosk).await;
        let mut counter = Client::enroll(&url, dir.path(), Role::Counter).await;

        let (s, v, ticket) = kiosk.send(Method::POST, "/v1/tickets", Some(fixture("ticket"))).await;
        assert_eq!((s, v.as_str()), (201, "1"), "{ticket}");
        assert_eq!(ticket["status"], "waiting");
        let (s, _, called) = counter
            .send(Method::POST, "/v1/queue/call", Some(fixture("call")))
            .await;
        assert_eq!(
            (s, &called["id"], &called["status"]),
            (200, &ticket["id"], &Value::from("called"))
        );
        let id = called["id"].as_i64().unwrap();
        let (s, _, done) = counter
            .send(
                Method::POST,
                &format!("/v1/tickets/{id}/complete"),
                Some(fixture("complete")),
            )
            .await;
        assert_eq!((s, &done["status"]), (200, &Value::from("done")), "{done}");
        let (s, _, rated) = kiosk.send(Method::POST, "/v1/ratings", Some(fixture("rating"))).await;
        assert_eq!(s, 201, "{rated}");

        let code = "000.00.01.H26-261128-0001";
        let (s, _, dossier) = counter
            .send(Method::PUT, &format!("/v1/dossiers/{code}"), Some(fixture("dossier")))
            .await;
        assert_eq!((s, &dossier["sets"]), (201, &Value::from(1)), "{dossier}");
        let (s, _, dossier) = counter
            .send(
                Method::POST,
                &format!("/v1/dossiers/{code}/status"),
                Some(fixture("status")),
            )
            .await;
        assert_eq!((s, &dossier["status"]), (200, &Value::from(4)), "{dossier}");

        kiosk.send(Method::POST, "/v1/tickets", Some(fixture("ticket"))).await;
        let (_, _, called) = counter
            .send(Method::POST, "/v1/queue/call", Some(fixture("call")))
            .await;
        let id = called["id"].as_i64().unwrap();
        let (s, _, moved) = counter
            .send(
                Method::POST,
                &format!("/v1/tickets/{id}/transfer"),
                Some(fixture("transfer")),
            )
            .await;
        assert_eq!((s, &moved["status"]), (200, &Value::from("waiting")), "{moved}");

        // The version, in its own endpoint and on every answer, errors too.
        let (s, v, version) = kiosk.send(Method::GET, "/v1/version", None).await;
        assert_eq!((s, v.as_str(), version), (200, "1", serde_json::json!({"api": 1})));
        let (s, v, _) = kiosk.send(Method::GET, "/v1/no-such-thing", None).await;
        assert_eq!((s, v.as_str()), (404, "1"));
        let (s, v, _) = kiosk.send(Method::GET, "/healthz", None).await;
        assert_eq!((s, v.as_str()), (200, "1"));
        // The background loops are running, and say so.
        let (_, _, metrics) = kiosk.send(Method::GET, "/metrics", None).await;
        let metrics = metrics.as_str().unwrap().to_string();
        for name in ["revocation", "retention"] {
            assert!(
                metrics.contains(&format!("motcua_background_running{{loop=\"{name}\"}} 1")),
                "{metrics}"
            );
        }
    });
    let loops = central.background();
    assert_eq!(loops.len(), 2, "{loops:?}");
    assert!(loops.iter().all(|l| l.restarts == 0));
    central.stop();
    drop(rt);
}
