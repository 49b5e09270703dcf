//! One central for a city: several central processes on one PostgreSQL
//! (started by `scripts/with-postgres`), any of them answering any device.
//! Kiosks spread over two processes issue in bursts and never share a
//! number; a call made on one process reaches the boards of both; each
//! office's portal outbox is drained by one process at a time.

use motcua_testkit as kit;

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use futures::StreamExt;
use kit::*;
use motcua::sync::client::Client;
use motcua_api::model::{EventKind, NewTicket, QueueEvent, Role};
use motcua_central::Running;
use motcua_core::queue::Lane;
use sse_stream::SseByteStream;

/// Long enough for anything on loopback; a hang fails instead of waiting for ever.
const PATIENCE: Duration = Duration::from_secs(30);

/// The PostgreSQL server `scripts/with-postgres` started.
pub fn server() -> String {
    std::env::var("MOTCUA_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!("these tests need PostgreSQL: run them with scripts/test (or scripts/with-postgres cargo test …)")
    })
}

/// A new database on the test server, for one city.
pub fn city_database() -> String {
    motcua_central::pg::fresh_database(&server()).expect("a database for the test")
}

/// A central process of the city: its own data directory (certificates,
/// documents), the city's database.
pub fn process(dir: &Path, database: &str) -> Running {
    start_central_at(
        dir,
        SocketAddr::from(([127, 0, 0, 1], 0)),
        &motcua_central::Options {
            database: Some(database.to_string()),
            pool_size: 8,
            ..motcua_central::Options::default()
        },
    )
}

/// A device of `role` enrolled through `central`, as a sync client of it.
fn device(central: &Running, dir: &Path, role: Role) -> Client {
    let enrolled = enroll(central, dir, OFFICE, role);
    Client::new(&central.url(), &enrolled.credential, Duration::from_secs(10))
}

/// The calls a board hears on its event stream, until `n` have come.
async fn hear_calls(
    central: String,
    credential: String,
    n: usize,
    ready: tokio::sync::oneshot::Sender<()>,
) -> Vec<i64> {
    let response = reqwest::Client::new()
        .get(format!("{central}/v1/events"))
        .bearer_auth(&credential)
        .send()
        .await
        .expect("central answers");
    assert!(response.status().is_success(), "{}", response.status());
    let _ = ready.send(());
    let bytes = futures::stream::unfold(response, |mut r| async move {
        match r.chunk().await {
            Ok(Some(b)) => Some((Ok::<_, std::io::Error>(b), r)),
            _ => None,
        }
    });
    let mut events = Box::pin(SseByteStream::new(bytes));
    let mut calls = Vec::new();
    while calls.len() < n {
        let Some(Ok(block)) = events.next().await else {
            panic!("the stream ended after {} calls", calls.len());
        };
        if let Some(data) = block.data
            && let Ok(e) = serde_json::from_str::<QueueEvent>(&data)
            && e.kind == EventKind::Called
        {
            calls.push(e.ticket.id);
        }
    }
    calls
}

#[test]
fn two_processes_three_kiosks_in_bursts_no_duplicate_and_every_call_on_every_board() {
    let database = city_database();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = process(dir_a.path(), &database);
    let b = process(dir_b.path(), &database);
    // Kiosks 1 and 3 on process A, kiosk 2 on B; a counter on each; a
    // board on each.
    let kiosks = [
        device(&a, dir_a.path(), Role::Kiosk),
        device(&b, dir_b.path(), Role::Kiosk),
        device(&a, dir_a.path(), Role::Kiosk),
    ];
    let counters = [
        device(&a, dir_a.path(), Role::Counter),
        device(&b, dir_b.path(), Role::Counter),
    ];
    let boards = [
        (a.url(), enroll(&a, dir_a.path(), OFFICE, Role::Board).credential),
        (b.url(), enroll(&b, dir_b.path(), OFFICE, Role::Board).credential),
    ];
    const BURSTS: usize = 4;
    const PER_BURST: usize = 15;
    let total = kiosks.len() * BURSTS * PER_BURST;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    let heard = rt.block_on(async {
        let mut listening = Vec::new();
        let mut ready = Vec::new();
        for (url, credential) in boards.clone() {
            let (tx, rx) = tokio::sync::oneshot::channel();
            listening.push(tokio::spawn(hear_calls(url, credential, total, tx)));
            ready.push(rx);
        }
        for r in ready {
            r.await.unwrap();
        }
        // Bursts: every kiosk sends PER_BURST tickets at once, together.
        for burst in 0..BURSTS {
            let mut sent = Vec::new();
            for (k, kiosk) in kiosks.iter().enumerate() {
                for i in 0..PER_BURST {
                    let kiosk = kiosk.clone();
                    sent.push(tokio::spawn(async move {
                        let t = NewTicket {
                            group: "A".into(),
                            lane: Lane::Normal,
                            procedure: None,
                        };
                        kiosk
                            .issue_ticket(&t, &format!("k{k}-b{burst}-t{i}"))
                            .await
                            .expect("issued")
                    }));
                }
            }
            for s in sent {
                s.await.unwrap();
            }
        }
        // The two counters call everything, at once, each on its process.
        let mut calling = Vec::new();
        for (n, counter) in counters.iter().enumerate() {
            let counter = counter.clone();
            calling.push(tokio::spawn(async move {
                let mut called = Vec::new();
                for i in 0.. {
                    match counter
                        .call_next(&format!("{}", n + 1), &["A".to_string()], None, &format!("c{n}-{i}"))
                        .await
                        .expect("a call")
                    {
                        Some(t) => called.push(t.id),
                        None => break,
                    }
                }
                called
            }));
        }
        let mut called = Vec::new();
        for c in calling {
            called.extend(c.await.unwrap());
        }
        assert_eq!(called.len(), total, "every ticket called once");
        let mut heard = Vec::new();
        for l in listening {
            heard.push(
                tokio::time::timeout(PATIENCE, l)
                    .await
                    .expect("every call reaches the board")
                    .unwrap(),
            );
        }
        called.sort_unstable();
        for h in &mut heard {
            h.sort_unstable();
            assert_eq!(*h, called, "this board heard every call, from both processes");
        }
        heard
    });
    assert_eq!(heard.len(), 2);
    let db = central_db(dir_a.path());
    assert_eq!(count(&db, "SELECT count(*) FROM tickets"), total as i64);
    assert_eq!(
        count(&db, "SELECT count(DISTINCT number) FROM tickets"),
        total as i64,
        "no number given twice"
    );
    assert_eq!(count(&db, "SELECT max(number) FROM tickets"), total as i64, "no gap");
    assert_eq!(
        count(&db, "SELECT count(*) FROM idempotency"),
        (total + total + 2) as i64,
        "each ticket and each call answered once (two calls found the queue empty)"
    );
}
