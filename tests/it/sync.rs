//! Kiosks and a real central on 127.0.0.1: unique numbers across kiosks,
//! central going away and coming back, faults on the wire, and a kiosk
//! killed in the middle of a sync. Nothing lost, nothing doubled.

use motcua_testkit as kit;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};

use std::process::{Command, Stdio};
use std::time::Duration;

use jiff::Timestamp;
use kit::proxy::{Fault, Proxy};
use kit::*;
use motcua::store::{Rating, RatingEntry, TicketRequest};
use motcua::sync::Step;
use motcua_api::model::Role;
use motcua_core::queue::Lane;

fn request(group: &str) -> TicketRequest {
    TicketRequest {
        group: group.into(),
        lane: Lane::Normal,
        procedure: None,
    }
}

/// The test's own clock ([`kit::test_instant`]).
fn clock() -> Timestamp {
    kit::test_instant()
}

fn issue(k: &Kiosk, group: &str) -> motcua::store::Ticket {
    k.link
        .block_on(k.link.clone().issue(request(group), clock()))
        .expect("a ticket")
}

#[test]
fn three_kiosks_in_a_burst_never_share_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let kiosks: Vec<Kiosk> = (0..3)
        .map(|_| {
            kiosk(
                &central.url(),
                enroll(&central, dir.path(), OFFICE, Role::Kiosk),
                Duration::from_secs(5),
            )
        })
        .collect();
    let numbers: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = kiosks
            .iter()
            .map(|k| {
                s.spawn(move || {
                    // A number is one office-day's: the day is part of it.
                    (0..60)
                        .map(|_| {
                            let t = issue(k, "A");
                            format!("{} {}", t.day, t.number)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let all: Vec<&String> = numbers.iter().flatten().collect();
    let unique: HashSet<&String> = all.iter().copied().collect();
    assert_eq!(all.len(), 180);
    assert_eq!(unique.len(), 180, "a number was given twice");
    // All came from the office's numbering, 1 to 180 (1 to n on each day
    // when central's midnight falls in the middle).
    let db = central_db(dir.path());
    assert_eq!(
        count(
            &db,
            "SELECT count(DISTINCT day || ' ' || number) FROM tickets WHERE slot = 0 AND grp = 'A'"
        ),
        180
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM (SELECT day FROM tickets GROUP BY day HAVING max(number) <> count(*)) AS gaps"
        ),
        0
    );
    for k in &kiosks {
        assert_eq!(
            k.store.lock().unwrap().outbox_counts().unwrap().pending,
            0,
            "online tickets queue nothing"
        );
    }
}

#[test]
fn central_stopped_then_restarted_gets_every_record_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let addr = central.addr;
    let kiosks: Vec<Kiosk> = (0..3)
        .map(|_| {
            kiosk(
                &central.url(),
                enroll(&central, dir.path(), OFFICE, Role::Kiosk),
                Duration::from_secs(2),
            )
        })
        .collect();
    for k in &kiosks {
        for _ in 0..5 {
            assert_eq!(issue(k, "A").number.slot, 0, "online: central numbers");
        }
    }
    central.stop();

    // Central is gone: the kiosks keep serving from their own slots.
    for k in &kiosks {
        for i in 0..20 {
            let t = issue(k, "B");
            assert_eq!(t.number.slot, k.enrolled.device.slot);
            assert_eq!(t.number.number, i + 1);
        }
        k.store
            .lock()
            .unwrap()
            .rate(&RatingEntry::new(Rating::Satisfied), clock())
            .unwrap();
        assert!(!k.link.status().online);
        assert!(
            matches!(k.link.block_on(k.link.drain()), Step::Retry(_)),
            "nothing can be sent yet"
        );
    }
    let displayed: HashSet<String> = kiosks
        .iter()
        .flat_map(|k| {
            k.store
                .lock()
                .unwrap()
                .numbers_of_day(motcua_core::time::local_day(clock()))
                .unwrap()
        })
        // Central's numbers are of central's day; the kiosks' own are of
        // the test's.
        .filter(|n| n.slot != 0)
        .map(|n| n.to_string())
        .collect();
    assert_eq!(displayed.len(), 60, "offline numbers never collide across kiosks");

    let central = start_central_at(dir.path(), addr, &Default::default());
    for k in &kiosks {
        assert_eq!(k.link.block_on(k.link.drain()), Step::Empty);
        assert_eq!(k.store.lock().unwrap().outbox_counts().unwrap().pending, 0);
        assert!(k.link.status().online);
        // Draining again sends nothing more.
        assert_eq!(k.link.block_on(k.link.drain()), Step::Empty);
    }
    let db = central_db(dir.path());
    assert_eq!(
        count(&db, "SELECT count(*) FROM tickets WHERE grp = 'B' AND slot > 0"),
        60
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM (SELECT DISTINCT slot, number FROM tickets WHERE grp = 'B') AS numbers"
        ),
        60
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM tickets WHERE grp = 'A' AND status = 'waiting'"
        ),
        15
    );
    assert_eq!(count(&db, "SELECT count(*) FROM ratings"), 3);
    drop(central);
}

/// A kiosk whose every request goes through a misbehaving proxy.
fn faulty(timeout: Duration) -> (tempfile::TempDir, motcua_central::Running, Proxy, Kiosk) {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let proxy = Proxy::start(central.addr);
    let k = kiosk(&proxy.url(), enroll(&central, dir.path(), OFFICE, Role::Kiosk), timeout);
    (dir, central, proxy, k)
}

/// Queues `n` offline tickets in the kiosk's outbox.
fn queue_offline(k: &Kiosk, n: usize) {
    let slot = k.enrolled.device.slot;
    let mut s = k.store.lock().unwrap();
    for _ in 0..n {
        s.issue(&request("C"), slot, clock(), None).unwrap();
    }
}

#[test]
fn server_errors_and_throttling_are_retried_honouring_retry_after() {
    let (dir, _central, proxy, k) = faulty(Duration::from_secs(3));
    queue_offline(&k, 3);
    proxy.inject([
        Fault::Status(500, None),
        Fault::Status(503, Some(7)),
        Fault::Status(429, Some(3)),
    ]);
    let step = k.link.block_on(k.link.step());
    assert!(matches!(step, Step::Retry(_)), "500: {step:?}");
    assert!(!k.link.status().online, "a 500 counts as central being down");
    assert_eq!(
        k.link.block_on(k.link.step()),
        Step::Retry(Duration::from_secs(7)),
        "503 with Retry-After"
    );
    assert_eq!(
        k.link.block_on(k.link.step()),
        Step::Retry(Duration::from_secs(3)),
        "429 with Retry-After"
    );
    assert_eq!(k.link.block_on(k.link.drain()), Step::Empty);
    let db = central_db(dir.path());
    assert_eq!(count(&db, "SELECT count(*) FROM tickets"), 3);
    let attempts: i64 = {
        let s = k.store.lock().unwrap();
        drop(s);
        rusqlite::Connection::open(k.dir.path().join("motcua.db"))
            .unwrap()
            .query_row("SELECT attempts FROM outbox ORDER BY id LIMIT 1", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(attempts, 4, "three failed tries and the one that went through");
}

#[test]
fn slow_answers_and_reset_connections_deliver_exactly_once() {
    let (dir, _central, proxy, k) = faulty(Duration::from_millis(400));
    queue_offline(&k, 4);
    proxy.inject([
        // Central gets it, but the answer comes after the kiosk gave up.
        Fault::Delay(Duration::from_millis(1500)),
        // Central gets it, but the connection breaks before the answer.
        Fault::ResetAfter,
        // The connection breaks before central sees anything.
        Fault::ResetBefore,
    ]);
    for _ in 0..3 {
        assert!(matches!(k.link.block_on(k.link.step()), Step::Retry(_)));
    }
    assert_eq!(k.link.block_on(k.link.drain()), Step::Empty);
    // The slow request reaches central too; it must change nothing.
    // Forwarded: delayed + reset-after + the 4 deliveries that went through.
    proxy.wait_forwarded(6);
    let db = central_db(dir.path());
    assert_eq!(count(&db, "SELECT count(*) FROM tickets"), 4, "nothing doubled");
    assert_eq!(count(&db, "SELECT count(*) FROM idempotency"), 4);
}

#[test]
fn a_refused_record_is_kept_with_its_reason_and_the_rest_go_on() {
    let (dir, _central, _proxy, k) = faulty(Duration::from_secs(3));
    {
        let mut s = k.store.lock().unwrap();
        s.issue(&request("C"), k.enrolled.device.slot, clock(), None).unwrap();
        // A record central will never accept.
        s.enqueue(
            "rating",
            "bad-rating",
            r#"{"answer":"amazing","rated_at":"2026-11-28T02:00:00Z"}"#,
        )
        .unwrap();
        s.issue(&request("C"), k.enrolled.device.slot, clock(), None).unwrap();
    }
    let steps: Vec<Step> = (0..4).map(|_| k.link.block_on(k.link.step())).collect();
    assert!(matches!(steps[0], Step::Sent(_)));
    assert!(
        matches!(&steps[1], Step::Failed(_, reason) if reason.contains("422") && reason.contains("amazing")),
        "{steps:?}"
    );
    assert!(matches!(steps[2], Step::Sent(_)));
    assert_eq!(steps[3], Step::Empty);
    let s = k.store.lock().unwrap();
    assert_eq!(s.outbox_counts().unwrap().failed, 1);
    assert_eq!(k.link.status().failed, 1);
    assert_eq!(count(&central_db(dir.path()), "SELECT count(*) FROM tickets"), 2);
}

#[test]
fn a_lost_ticket_answer_is_voided_so_no_ghost_waits() {
    let (dir, _central, proxy, k) = faulty(Duration::from_millis(400));
    // Central takes the request, the answer never comes back.
    proxy.inject([Fault::ResetAfter]);
    let t = issue(&k, "D");
    assert_eq!(
        t.number.slot, k.enrolled.device.slot,
        "the citizen gets an offline number at once"
    );
    assert_eq!(k.link.block_on(k.link.drain()), Step::Empty);
    let db = central_db(dir.path());
    assert_eq!(
        count(&db, "SELECT count(*) FROM tickets WHERE slot = 0 AND status = 'void'"),
        1
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM tickets WHERE status = 'waiting'"),
        1,
        "only the citizen's ticket waits"
    );
}

/// `motcua dev sync` on a device's data directory, in a process of its
/// own: it sends what waits, printing a line for each record, and ends.
pub(crate) fn dev_sync(data: &std::path::Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["dev", "sync", "--data-dir"])
        .arg(data)
        .env("MOTCUA_LOG", "error")
        .env("MOTCUA_CONFIG", "/dev/null")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_kiosk_killed_mid_sync_resumes_without_doubling() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let k = kiosk(
        &central.url(),
        enroll(&central, dir.path(), OFFICE, Role::Kiosk),
        Duration::from_secs(3),
    );
    queue_offline(&k, 300);
    let device = motcua::sync::device::DeviceFile::from_enrolled(Some(central.url()), k.enrolled.clone());
    device.save(k.dir.path()).unwrap();
    // The test's own store stays open, as a second process would have it.
    let data = k.dir.path().to_path_buf();

    let run = || dev_sync(&data);
    let mut sent = 0;
    for round in 0..3 {
        let mut child = run();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        for _ in 0..(20 + round * 30) {
            if lines.next().is_some() {
                sent += 1;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
    }
    assert!(sent >= 60, "the child was sending when it was killed");
    let status = run().wait_with_output().unwrap();
    assert!(status.status.success());
    let db = central_db(dir.path());
    assert_eq!(
        count(&db, "SELECT count(*) FROM tickets"),
        300,
        "every record arrived exactly once"
    );
    let store = motcua::store::Store::open(&data).unwrap();
    assert_eq!(store.outbox_counts().unwrap().pending, 0);
}

#[test]
fn queued_dossiers_reach_central() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let k = kiosk(
        &central.url(),
        enroll(&central, dir.path(), OFFICE, Role::Counter),
        Duration::from_secs(3),
    );
    {
        let mut s = k.store.lock().unwrap();
        for i in 0..20 {
            let body = serde_json::json!({"code": format!("000.00.01.H26-261128-{i:04}"), "dossier": dossier_json()});
            s.enqueue("dossier", &format!("dossier-{i}"), &body.to_string())
                .unwrap();
        }
    }
    assert_eq!(k.link.block_on(k.link.drain()), Step::Empty);
    let db = central_db(dir.path());
    assert_eq!(count(&db, "SELECT count(*) FROM dossiers"), 20);
    assert_eq!(count(&db, "SELECT count(*) FROM dossier_history"), 20);
}

#[test]
fn an_unenrolled_kiosk_is_told_so() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let mut enrolled = enroll(&central, dir.path(), OFFICE, Role::Kiosk);
    enrolled.credential = "forged".into();
    let k = kiosk(&central.url(), enrolled, Duration::from_secs(3));
    queue_offline(&k, 1);
    let step = k.link.block_on(k.link.step());
    assert!(
        matches!(&step, Step::Failed(_, reason) if reason.contains("401")),
        "{step:?}"
    );
}

#[test]
fn the_kiosk_keeps_the_last_good_catalog_and_follows_changes() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let e = enroll(&central, dir.path(), OFFICE, Role::Kiosk);
    let k = kiosk(&central.url(), e.clone(), Duration::from_secs(3));
    let cache = tempfile::tempdir().unwrap();
    let link = motcua::sync::Link::with_options(
        motcua::sync::Client::new(&central.url(), &e.credential, Duration::from_secs(3)),
        k.store.clone(),
        (&e.device).into(),
        false,
        Some(cache.path().to_path_buf()),
        None,
    );
    assert!(link.block_on(link.refresh_catalog()).unwrap(), "a first copy arrives");
    assert!(link.take_catalog().is_some());
    assert!(
        !link.block_on(link.refresh_catalog()).unwrap(),
        "unchanged: nothing new"
    );
    let demo = motcua::sync::cached_catalog(cache.path()).expect("kept on disk");
    assert_eq!(
        demo.procedures.len(),
        motcua_core::catalog::Catalog::demo().procedures.len()
    );

    // IT staff load the office's own catalog into central.
    let mut smaller = motcua_core::catalog::Catalog::demo();
    smaller.procedures.truncate(5);
    let (body, etag) = motcua_central::catalog_json(&smaller);
    motcua_central::admin(dir.path(), |c| {
        c.execute(
            "INSERT INTO catalogs (office, body, etag) VALUES (?1, ?2, ?3)",
            [OFFICE, &body, &etag],
        )?;
        Ok(())
    })
    .unwrap();
    assert!(link.block_on(link.refresh_catalog()).unwrap());
    assert_eq!(link.take_catalog().unwrap().procedures.len(), 5);
    assert_eq!(motcua::sync::cached_catalog(cache.path()).unwrap().procedures.len(), 5);

    // Central gone: the last good copy stays.
    central.stop();
    assert!(link.block_on(link.refresh_catalog()).is_err());
    assert_eq!(motcua::sync::cached_catalog(cache.path()).unwrap().procedures.len(), 5);
}

#[test]
fn the_event_stream_follows_the_queue_and_reconnects() {
    use futures::StreamExt;
    use motcua::sync::events::{Event, follow};
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let addr = central.addr;
    let board = enroll(&central, dir.path(), OFFICE, Role::Board);
    let k = kiosk(
        &central.url(),
        enroll(&central, dir.path(), OFFICE, Role::Kiosk),
        Duration::from_secs(3),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let client = motcua::sync::Client::new(&central.url(), &board.credential, Duration::from_secs(3));
    let mut events: std::pin::Pin<Box<dyn futures::Stream<Item = Event> + Send>> = Box::pin(follow(client));
    let next = |events: &mut std::pin::Pin<Box<dyn futures::Stream<Item = Event> + Send>>| {
        rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(20), events.next())
                .await
                .expect("an event comes")
        })
        .unwrap()
    };
    assert_eq!(next(&mut events), Event::Connected);
    issue(&k, "A");
    match next(&mut events) {
        Event::Queue(e) => {
            assert_eq!(e.kind, motcua_api::model::EventKind::Issued);
            assert_eq!(e.ticket.display, "A-001");
            assert_eq!(e.waiting[0].normal, 1);
        }
        other => panic!("{other:?}"),
    }
    central.stop();
    assert!(matches!(next(&mut events), Event::Disconnected { .. }));
    let _central = start_central_at(dir.path(), addr, &Default::default());
    // It keeps trying until central answers again.
    loop {
        match next(&mut events) {
            Event::Connected => break,
            Event::Disconnected { .. } => continue,
            other => panic!("{other:?}"),
        }
    }
}

/// A central (or something posing as one) that serves a catalog with a
/// procedure no catalog file could hold: the kiosk refuses it and keeps its
/// last good copy, with the same rules as a file on disk.
#[test]
fn a_catalog_from_central_that_breaks_the_file_rules_is_refused_and_the_last_good_one_stays() {
    let mut bad = motcua_core::catalog::Catalog::demo();
    bad.procedures[0].name.clear();
    bad.procedures[1].code = bad.procedures[2].code.clone();
    let body = serde_json::to_string(&bad).unwrap();
    let rt = runtime();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route(
        "/v1/catalog",
        axum::routing::get(move || {
            let body = body.clone();
            async move { ([("etag", "\"bad\""), ("content-type", "application/json")], body) }
        }),
    );
    rt.spawn(async move { axum::serve(listener, app).await });

    let cache = tempfile::tempdir().unwrap();
    let good = serde_json::to_string(&motcua_core::catalog::Catalog::demo()).unwrap();
    std::fs::write(cache.path().join(motcua::sync::CATALOG_FILE), &good).unwrap();
    let client = motcua::sync::Client::new(&format!("http://{addr}"), "credential", Duration::from_secs(3));
    let pulled = rt.block_on(motcua::sync::pull_catalog(&client, cache.path()));
    let Err(motcua::sync::SyncError::Rejected { message, .. }) = pulled else {
        panic!("an invalid catalog was taken: {pulled:?}")
    };
    assert!(message.contains("name") && message.contains("empty"), "{message}");
    assert_eq!(
        std::fs::read_to_string(cache.path().join(motcua::sync::CATALOG_FILE)).unwrap(),
        good,
        "the last good copy stays"
    );
    assert!(motcua::sync::cached_catalog(cache.path()).is_some());
}

#[test]
fn a_payment_recorded_offline_reaches_central_once_and_moves_the_status() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let proxy = Proxy::start(central.addr);
    let k = kiosk(
        &proxy.url(),
        enroll(&central, dir.path(), OFFICE, Role::Counter),
        Duration::from_secs(3),
    );
    let code = format!("{OFFICE}-261128-0001");
    let payment = |paid: bool| motcua_api::model::PaymentIn {
        amount: 50_000,
        paid,
        method: "vietqr".into(),
        reference: Some("FT26332000111".into()),
        at: "2026-11-28T09:45:00+07:00".into(),
    };
    {
        let mut s = k.store.lock().unwrap();
        s.take_in(&code, &dossier_json(), 2, clock()).unwrap();
        s.record_payment(&code, &payment(false), clock()).unwrap();
        s.record_payment(&code, &payment(true), clock() + jiff::SignedDuration::from_millis(1))
            .unwrap();
    }
    // The dossier goes through; the request for payment reaches central
    // but its answer is lost, so the counter sends it again.
    assert!(matches!(k.link.block_on(k.link.step()), Step::Sent(_)));
    proxy.inject([Fault::ResetAfter]);
    assert!(matches!(k.link.block_on(k.link.step()), Step::Retry(_)));
    assert_eq!(k.link.block_on(k.link.drain()), Step::Empty);
    let db = central_db(dir.path());
    assert_eq!(
        count(&db, "SELECT count(*) FROM dossier_payments"),
        2,
        "nothing doubled"
    );
    let statuses: Vec<u8> = db
        .prepare("SELECT status FROM dossier_history ORDER BY id")
        .unwrap()
        .query_map((), |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(statuses, [2, 6, 2], "asked for: 6; paid: back to 2");
    // The counter reads it back with its payments.
    let d = k.link.block_on(k.link.client().dossier(&code)).unwrap();
    assert_eq!(d.payments.len(), 2);
    assert!(d.payments[1].paid);
}
