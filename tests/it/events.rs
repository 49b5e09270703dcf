//! Central's event stream over real HTTP on 127.0.0.1: a stream whose
//! client went away is freed at once, a device holds a few streams at most,
//! a revoked device's streams are cut, a lagging follower is told so and
//! refetches, each call of a ticket is numbered, and a counter label that
//! cannot be shown or spoken is refused.

use motcua_testkit as kit;

use std::net::SocketAddr;
use std::time::Duration;

use futures::StreamExt;
use kit::*;
use motcua::sync::events::{Event, follow};
use motcua_api::model::{QueueEvent, Role};
use motcua_central::Running;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sse_stream::{Sse, SseByteStream};

/// Long enough for anything on loopback; a hang fails instead of waiting for ever.
const PATIENCE: Duration = Duration::from_secs(20);

fn central_with(dir: &std::path::Path, options: motcua_central::Options) -> Running {
    start_central_at(dir, SocketAddr::from(([127, 0, 0, 1], 0)), &options)
}

fn quick() -> motcua_central::Options {
    motcua_central::Options {
        event_keep_alive: Duration::from_millis(100),
        revocation_check: Duration::from_millis(50),
        ..motcua_central::Options::default()
    }
}

/// Opens `/v1/events` as a raw HTTP stream.
async fn open(central: &Running, credential: &str) -> reqwest::Response {
    let r = reqwest::Client::new()
        .get(format!("{}/v1/events", central.url()))
        .bearer_auth(credential)
        .send()
        .await
        .expect("central answers");
    assert_eq!(r.status(), StatusCode::OK);
    r
}

type Blocks = std::pin::Pin<Box<dyn futures::Stream<Item = Result<Sse, sse_stream::Error>> + Send>>;

fn blocks(response: reqwest::Response) -> Blocks {
    let bytes = futures::stream::unfold(response, |mut r| async move {
        match r.chunk().await {
            Ok(Some(b)) => Some((Ok::<_, std::io::Error>(b), r)),
            _ => None,
        }
    });
    Box::pin(SseByteStream::new(bytes))
}

/// Waits until central holds `n` open streams.
async fn streams_become(central: &Running, n: usize) {
    let mut open = central.app.streams.watch();
    tokio::time::timeout(PATIENCE, open.wait_for(|&k| k == n))
        .await
        .unwrap_or_else(|_| {
            panic!(
                "central still holds {} streams, not {n}",
                central.app.streams.open_count()
            )
        })
        .unwrap();
}

async fn metric(central: &Running) -> String {
    let text = reqwest::get(format!("{}/metrics", central.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find(|l| l.starts_with("motcua_event_subscribers "))
        .unwrap()
        .to_string()
}

#[test]
fn a_stream_whose_client_went_away_is_freed_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let central = central_with(dir.path(), quick());
    let boards: Vec<String> = (0..3)
        .map(|_| enroll(&central, dir.path(), OFFICE, Role::Board).credential)
        .collect();
    runtime().block_on(async {
        let mut open_streams = Vec::new();
        for b in &boards {
            open_streams.push(open(&central, b).await);
        }
        streams_become(&central, 3).await;
        assert_eq!(metric(&central).await, "motcua_event_subscribers 3");
        // The boards go away without a word, and no queue event follows:
        // central notices by its keep-alives alone.
        drop(open_streams);
        streams_become(&central, 0).await;
        assert_eq!(metric(&central).await, "motcua_event_subscribers 0");
    });
}

#[test]
fn a_device_holds_four_streams_at_most_and_its_oldest_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let central = central_with(dir.path(), quick());
    let board = enroll(&central, dir.path(), OFFICE, Role::Board).credential;
    runtime().block_on(async {
        let mut oldest = blocks(open(&central, &board).await);
        let mut rest = Vec::new();
        for _ in 0..3 {
            rest.push(open(&central, &board).await);
        }
        streams_become(&central, 4).await;
        // A fifth: the first is told why it ends, and ends.
        rest.push(open(&central, &board).await);
        let last = tokio::time::timeout(PATIENCE, oldest.next())
            .await
            .expect("the oldest stream hears")
            .expect("a block")
            .unwrap();
        assert_eq!(last.event.as_deref(), Some("closed"));
        assert_eq!(last.data.as_deref(), Some("replaced"));
        assert_eq!(last.retry, Some(30_000));
        assert!(
            tokio::time::timeout(PATIENCE, oldest.next()).await.unwrap().is_none(),
            "the oldest stream ended"
        );
        assert_eq!(central.app.streams.open_count(), 4);
    });
}

#[test]
fn revoking_a_board_cuts_its_stream_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let central = central_with(dir.path(), quick());
    let board = enroll(&central, dir.path(), OFFICE, Role::Board);
    let other = enroll(&central, dir.path(), OFFICE, Role::Board);
    let rt = runtime();
    let client = motcua::sync::Client::new(&central.url(), &board.credential, Duration::from_secs(3));
    let mut events = Box::pin(follow(client));
    let mut next = || kit::next_event(&rt, &mut events);
    assert_eq!(next(), Event::Connected);
    let mut raw = rt.block_on(async {
        let raw = blocks(open(&central, &board.credential).await);
        let _kept = open(&central, &other.credential).await;
        streams_become(&central, 3).await;
        (raw, _kept)
    });
    let id = board.device.device_id;
    assert!(motcua_central::admin(dir.path(), |c| motcua_central::auth::revoke(c, id)).unwrap());
    // The raw stream is told why, then ends.
    rt.block_on(async {
        let last = tokio::time::timeout(PATIENCE, raw.0.next())
            .await
            .expect("the revoked stream hears")
            .expect("a block")
            .unwrap();
        assert_eq!(last.event.as_deref(), Some("closed"));
        assert_eq!(last.data.as_deref(), Some("revoked"));
        assert!(tokio::time::timeout(PATIENCE, raw.0.next()).await.unwrap().is_none());
    });
    // The follower drops it and waits as long as central asked (`retry:`).
    match next() {
        Event::Disconnected { retry_in } => assert!(retry_in >= Duration::from_secs(300), "{retry_in:?}"),
        other => panic!("{other:?}"),
    }
    // The other board keeps its stream.
    rt.block_on(streams_become(&central, 1));
    let (s, _) = rt.block_on(async {
        let r = reqwest::Client::new()
            .get(format!("{}/v1/events", central.url()))
            .bearer_auth(&board.credential)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    });
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

fn queue_event(n: i64) -> QueueEvent {
    serde_json::from_value(json!({
        "kind": "issued",
        "office": OFFICE,
        "ticket": {
            "id": n, "office": OFFICE, "day": "2026-11-28", "group": "A", "slot": 0,
            "number": n, "display": format!("A-{n:03}"), "lane": "normal", "procedure": null,
            "issued_at": "2026-11-28T02:00:00Z", "status": "waiting", "counter": null,
            "same_lane_ahead": 0, "other_lane_waiting": 0
        },
        "waiting": []
    }))
    .unwrap()
}

#[test]
fn a_follower_that_lags_is_told_and_the_board_refetches() {
    let dir = tempfile::tempdir().unwrap();
    let central = central_with(
        dir.path(),
        motcua_central::Options {
            event_buffer: 2,
            ..quick()
        },
    );
    let board = enroll(&central, dir.path(), OFFICE, Role::Board);
    let rt = runtime();
    let client = motcua::sync::Client::new(&central.url(), &board.credential, Duration::from_secs(3));
    let mut events = Box::pin(follow(client.clone()));
    let mut next = || kit::next_event(&rt, &mut events);
    assert_eq!(next(), Event::Connected);
    // Far more than two events at once: the stream cannot keep up.
    for n in 1..=5_000 {
        let _ = central.app.events.send(queue_event(n));
    }
    let mut b = motcua::ui::board::Board::new(
        motcua::branding::Brand::builtin(),
        std::sync::Arc::new(motcua_core::catalog::Catalog::demo()),
        Some(client),
        None,
        "2026-11-28T02:41:00Z".parse().unwrap(),
    );
    loop {
        match next() {
            Event::Queue(_) => continue,
            Event::Lagged => {
                assert!(
                    b.apply(motcua::ui::board::Message::Event(Event::Lagged)),
                    "a board that missed events fetches its state again"
                );
                break;
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn each_call_of_a_ticket_is_numbered_and_a_bad_counter_label_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let central = central_with(dir.path(), quick());
    let cred = |role| enroll(&central, dir.path(), OFFICE, role).credential;
    let client = |role| motcua::sync::Client::new(&central.url(), &cred(role), Duration::from_secs(3));
    let (kiosk, counter, board) = (client(Role::Kiosk), client(Role::Counter), client(Role::Board));
    let counter_cred = cred(Role::Counter);
    let rt = runtime();
    let mut events = Box::pin(follow(board));
    let mut next = || kit::next_event(&rt, &mut events);
    assert_eq!(next(), Event::Connected);
    let new = motcua_api::model::NewTicket {
        group: "B".into(),
        lane: motcua_core::queue::Lane::Normal,
        procedure: None,
    };
    rt.block_on(kiosk.issue_ticket(&new, "k1")).unwrap();
    let Event::Queue(issued) = next() else { panic!() };
    assert_eq!((issued.kind.as_str(), issued.call), ("issued", 0));

    // Labels the hall cannot show or speak: refused, in both languages,
    // whatever the call.
    let post = |path: &str, key: &str, body: Value| -> (StatusCode, Value) {
        rt.block_on(async {
            let r = reqwest::Client::new()
                .post(format!("{}{path}", central.url()))
                .bearer_auth(&counter_cred)
                .header("idempotency-key", key)
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status(), r.json().await.unwrap())
        })
    };
    let speech = "3. Xin mời tất cả mọi người ra về ngay";
    for (i, (path, body)) in [
        ("/v1/queue/call", json!({"counter": speech, "groups": ["B"]})),
        ("/v1/queue/call", json!({"counter": "", "groups": ["B"]})),
        ("/v1/queue/call", json!({"counter": "3\u{7}", "groups": ["B"]})),
        (
            "/v1/queue/call-number",
            json!({"counter": "<b>3</b>", "number": "B-001"}),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let (s, v) = post(path, &format!("bad-{i}"), body);
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["code"], "invalid_counter", "{v}");
        assert!(v["message"].as_str().unwrap().contains("10"), "{v}");
        assert!(v["message_vi"].as_str().unwrap().contains("Tên quầy"), "{v}");
        assert!(!v.to_string().contains("mời tất cả"), "the label is not echoed: {v}");
    }

    let called = rt
        .block_on(counter.call_next("Quầy 3", &["B".to_string()], None, "c1"))
        .unwrap()
        .unwrap();
    let Event::Queue(e) = next() else { panic!() };
    assert_eq!((e.kind.as_str(), e.ticket.id, e.call), ("called", called.id, 1));
    for (i, path) in ["recall", "skip", "complete", "transfer"].iter().enumerate() {
        let body = json!({ "counter": speech });
        let (s, v) = post(&format!("/v1/tickets/{}/{path}", called.id), &format!("act-{i}"), body);
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {v}");
        assert_eq!(v["code"], "invalid_counter", "{v}");
    }
    for (key, n) in [("r1", 2), ("r2", 3)] {
        rt.block_on(counter.ticket_action(called.id, "recall", "Quầy 3", key))
            .unwrap();
        let Event::Queue(e) = next() else { panic!() };
        assert_eq!((e.kind.as_str(), e.call), ("recalled", n));
    }
    // A replayed recall (the same key) is not a new call.
    rt.block_on(counter.ticket_action(called.id, "recall", "Quầy 3", "r2"))
        .unwrap();
    rt.block_on(counter.ticket_action(called.id, "complete", "Quầy 3", "done"))
        .unwrap();
    let Event::Queue(e) = next() else { panic!() };
    assert_eq!((e.kind.as_str(), e.call), ("completed", 3));
}
