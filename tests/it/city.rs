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
    process_with(dir, database, motcua_central::Options::default())
}

/// [`process`] with `options` otherwise.
fn process_with(dir: &Path, database: &str, options: motcua_central::Options) -> Running {
    start_central_at(
        dir,
        SocketAddr::from(([127, 0, 0, 1], 0)),
        &motcua_central::Options {
            database: Some(database.to_string()),
            pool_size: 8,
            ..options
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
    bursts_on_two_processes(&city_database());
}

/// Two central processes on `database`: three kiosks spread over them
/// issue in bursts, two counters (one on each) call everything, and a
/// board on each process hears every call. No number twice, no gap, each
/// ticket and each call kept once.
fn bursts_on_two_processes(database: &str) {
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = process(dir_a.path(), database);
    let b = process(dir_b.path(), database);
    let db = central_db(dir_a.path());
    // This run's devices come after those already there (a migrated
    // office's, whose old answers the retention purge may be removing).
    let devices_before = count(&db, "SELECT coalesce(max(id), 0) FROM devices");
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
    // The day the processes number in: the one their tickets carry.
    let mut days = std::collections::BTreeSet::new();
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
                days.insert(s.await.unwrap().day);
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
    assert_eq!(days.len(), 1, "one day's numbering: {days:?}");
    let day = days.first().unwrap();
    let tickets_today = |what: &str| count(&db, &format!("SELECT {what} FROM tickets WHERE day = '{day}'"));
    assert_eq!(tickets_today("count(*)"), total as i64);
    assert_eq!(
        tickets_today("count(DISTINCT number)"),
        total as i64,
        "no number given twice"
    );
    assert_eq!(tickets_today("max(number)"), total as i64, "no gap");
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM idempotency WHERE device_id > {devices_before}")
        ),
        (total + total + 2) as i64,
        "each ticket and each call answered once (two calls found the queue empty)"
    );
}

/// A central process of its own (the `motcua` binary), on `port`, serving
/// the city's database; answers once it listens.
fn spawn_process(dir: &Path, port: u16, database: &str) -> std::process::Child {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(dir)
        .args([
            "central",
            "--tls",
            "off",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database",
            database,
        ])
        .env("MOTCUA_LOG", "info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the motcua binary starts");
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.contains("central serving") {
            break;
        }
    }
    // Keep reading what it says, so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    child
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_process_killed_mid_burst_its_devices_move_to_the_other_and_every_acknowledged_ticket_is_there_once() {
    let database = city_database();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (port_a, port_b) = (free_port(), free_port());
    let mut a = spawn_process(dir_a.path(), port_a, &database);
    let mut b = spawn_process(dir_b.path(), port_b, &database);
    let (url_a, url_b) = (
        format!("http://127.0.0.1:{port_a}"),
        format!("http://127.0.0.1:{port_b}"),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    // Three kiosks enrolled through A; two try A first, one B first.
    let kiosks: Vec<Client> = (0..3)
        .map(|k| {
            let token = token(dir_a.path(), OFFICE, Role::Kiosk, "kiosk");
            let enrolled = rt.block_on(Client::enroll(&url_a, &token)).expect("enrolled");
            let order = if k == 2 {
                [url_b.clone(), url_a.clone()]
            } else {
                [url_a.clone(), url_b.clone()]
            };
            Client::new(&order[0], &enrolled.credential, Duration::from_secs(5)).with_addresses(&order)
        })
        .collect();
    const EACH: usize = 40;
    let acknowledged = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let third = std::sync::Arc::new(tokio::sync::Notify::new());
    let answers = rt.block_on(async {
        // Mid-burst: once a third has been answered, A dies at once.
        let killer = {
            let third = third.clone();
            tokio::spawn(async move {
                third.notified().await;
                a.kill().expect("SIGKILL");
                a.wait().unwrap();
            })
        };
        let mut tasks = Vec::new();
        for (k, kiosk) in kiosks.iter().enumerate() {
            let (kiosk, acknowledged, third) = (kiosk.clone(), acknowledged.clone(), third.clone());
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                for i in 0..EACH {
                    let t = NewTicket {
                        group: "A".into(),
                        lane: Lane::Normal,
                        procedure: None,
                    };
                    let key = format!("kill-k{k}-t{i}");
                    // The outbox's way: the same key until an answer.
                    let mut tries = 0;
                    let ticket = loop {
                        match kiosk.issue_ticket(&t, &key).await {
                            Ok(t) => break t,
                            Err(e) => {
                                tries += 1;
                                assert!(tries < 50, "ticket {key} never answered: {e}");
                            }
                        }
                    };
                    if acknowledged.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == EACH {
                        third.notify_one();
                    }
                    got.push((key, ticket.id, ticket.number));
                }
                got
            }));
        }
        let mut answers = Vec::new();
        for t in tasks {
            answers.extend(t.await.unwrap());
        }
        killer.await.unwrap();
        answers
    });
    let total = 3 * EACH;
    assert_eq!(answers.len(), total);
    let db = central_db(dir_b.path());
    assert_eq!(
        count(&db, "SELECT count(*) FROM tickets"),
        total as i64,
        "each acknowledged ticket once"
    );
    assert_eq!(count(&db, "SELECT count(DISTINCT number) FROM tickets"), total as i64);
    let mut numbers: Vec<u32> = answers.iter().map(|a| a.2).collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), total, "no number answered twice");
    for (key, id, _) in &answers {
        let stored: i64 = db
            .query_row("SELECT count(*) FROM tickets WHERE id = ?1", [*id], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, 1, "{key}: the ticket answered is the one kept");
    }
    b.kill().unwrap();
    b.wait().unwrap();
}

#[test]
fn one_process_drains_an_offices_portal_outbox_and_another_takes_over_when_it_dies() {
    use kit::dvcqg::{Portal, PortalConfig};
    use motcua_central::portal::{self, Drained};
    let database = city_database();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // The test drains by hand, one process at a time.
    let quiet = |dir: &Path| {
        let options = motcua_central::Options {
            portal_worker: false,
            ..motcua_central::Options::default()
        };
        process_with(dir, &database, options)
    };
    let (a, b) = (quiet(dir_a.path()), quiet(dir_b.path()));
    let emulator = Portal::start(PortalConfig::default());
    let settings = kit::dvcqg::settings(emulator.url(), "UBND phường Hoàn Kiếm", Duration::from_secs(2));
    motcua_central::admin(dir_a.path(), |c| {
        portal::configure(c, OFFICE, Some((&settings, portal::mapping::DEFAULT_TEXT)))
    })
    .unwrap();
    let rt = runtime();
    let counter = device(&b, dir_b.path(), Role::Counter);
    let code = format!("{OFFICE}-261128-0001");
    let mut dossier = dossier_json();
    dossier["status"] = 2.into();
    let record = |id: i64, kind: &str, body: serde_json::Value| motcua::store::OutboxRecord {
        id,
        kind: kind.into(),
        key: format!("{kind}-{id}"),
        body: body.to_string(),
        attempts: 0,
    };
    rt.block_on(counter.deliver(&record(
        1,
        "dossier",
        serde_json::json!({"code": code, "dossier": dossier}),
    )))
    .unwrap();
    for (i, status) in [4, 9, 10].into_iter().enumerate() {
        let update = serde_json::json!({"code": code, "update": {"status": status, "note": ""}});
        rt.block_on(counter.deliver(&record(2 + i as i64, "status", update)))
            .unwrap();
    }
    // Process A holds the office's drain (as when it is mid-drain): B
    // leaves the records to it and sends nothing.
    let held = rt
        .block_on(a.app.db.postgres().unwrap().try_lock(&format!("portal:{OFFICE}")))
        .unwrap()
        .expect("A takes the office's drain");
    let while_held = rt.block_on(portal::drain(&b.app, OFFICE)).unwrap();
    assert_eq!((while_held.sent, while_held.waiting), (0, true), "B waits for A");
    assert!(emulator.progress(&code).is_empty(), "nothing sent twice over");
    // A's connection dies with it (its backend ended from outside, as the
    // server does when a process vanishes): B takes the drain over.
    let db = central_db(dir_a.path());
    let ended = db
        .query_row(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            (),
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    assert_eq!(ended, 1, "one process held one drain");
    drop(held);
    let taken = rt.block_on(portal::drain(&b.app, OFFICE)).unwrap();
    assert_eq!(
        taken,
        Drained {
            sent: 4,
            failed: 0,
            waiting: false
        }
    );
    let statuses: Vec<String> = emulator
        .progress(&code)
        .iter()
        .map(|p| p["TrangThai"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses.len(), 4, "each change once, in order: {statuses:?}");
    // And A, should it come back, finds nothing left to send.
    let after = rt.block_on(portal::drain(&a.app, OFFICE)).unwrap();
    assert_eq!(after, Drained::default());
    assert_eq!(emulator.progress(&code).len(), 4);
}

#[test]
fn an_office_week_on_sqlite_moves_to_postgresql_and_two_processes_serve_it_on() {
    // A week at an office on SQLite, simulated (smaller days than the
    // simulation's own test).
    let office = tempfile::tempdir().unwrap();
    let report = motcua::simulate::run(motcua::simulate::Options {
        days: 5,
        seed: 3,
        dir: Some(office.path().to_path_buf()),
        tickets_per_day: 150,
        dossiers_per_day: 30,
        ..motcua::simulate::Options::default()
    })
    .unwrap_or_else(|failure| panic!("{failure}"));
    assert!(report.days.iter().filter(|d| d.open).count() == 5);
    let source = office.path().join("central").join(motcua_central::db::DB_FILE);
    let database = city_database();
    let moved = motcua_central::transfer::migrate(&source, &database).expect("the office moves");
    assert!(moved.ok(), "{}", moved.to_text());
    // Every row came, table by table.
    let sqlite = motcua_central::sql::Conn::open_sqlite(&source).unwrap();
    let target = tempfile::tempdir().unwrap();
    motcua_central::db::Location::Postgres(database.clone())
        .remember(target.path())
        .unwrap();
    let pg = central_db(target.path());
    for table in [
        "tickets",
        "dossiers",
        "dossier_history",
        "ratings",
        "devices",
        "portal_outbox",
        "idempotency",
    ] {
        let sql = format!("SELECT count(*) FROM {table}");
        let there: i64 = sqlite.query_row(&sql, (), |r| r.get(0)).unwrap();
        assert!(there > 0 || table == "portal_outbox", "{table}: the week wrote some");
        assert_eq!(count(&pg, &sql), there, "{table}");
    }
    // Then the same as any city: two processes, bursts, every call heard.
    bursts_on_two_processes(&database);
}
