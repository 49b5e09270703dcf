//! Moving an office's central onto a city's PostgreSQL, and backups: a
//! week of an office's work made through central's API on its SQLite
//! file, copied with `transfer::migrate`, checked, and served on from
//! PostgreSQL; backups taken while central writes, and restored.
//!
//! Needs a PostgreSQL: run with `scripts/test`, or
//! `scripts/with-postgres cargo test -p motcua-central --test move_office`.

mod common;

use axum::http::Method;
use common::Central;
use motcua_api::model::Role;
use motcua_central::backup;
use motcua_central::db::Location;
use motcua_central::health::{self, Replication};
use motcua_central::transfer::{self, TransferError};
use serde_json::{Value, json};

const OFFICE: &str = "000.00.01.H26";

/// The PostgreSQL server the tests make their databases on.
fn server() -> String {
    std::env::var("MOTCUA_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "MOTCUA_TEST_POSTGRES is unset: these tests need a PostgreSQL; run them with scripts/test, \
                 or scripts/with-postgres cargo test -p motcua-central --test move_office"
            )
        })
}

fn fresh() -> String {
    motcua_central::pg::fresh_database(&server()).unwrap()
}

/// A central on its SQLite file whatever backend the suite runs on.
fn office_on_sqlite(at: &str) -> Central {
    Central::open_on(at, Some("sqlite:{dir}/central.db".into()))
}

struct Devices {
    kiosk: String,
    counter: String,
    display: String,
}

fn devices(c: &Central) -> Devices {
    Devices {
        kiosk: c.enroll(OFFICE, Role::Kiosk),
        counter: c.enroll(OFFICE, Role::Counter),
        display: c.enroll(OFFICE, Role::Kiosk),
    }
}

fn ok(c: &mut Central, who: &str, method: Method, path: &str, body: Option<Value>) -> Value {
    let (s, v) = c.send(who, method, path, None, body);
    assert!(s.is_success(), "{path}: {s} {v}");
    v
}

fn issue(c: &mut Central, kiosk: &str, group: &str, lane: &str) -> Value {
    ok(
        c,
        kiosk,
        Method::POST,
        "/v1/tickets",
        Some(json!({"group": group, "lane": lane})),
    )
}

/// One working day at the office: tickets in two groups and both lanes,
/// most called, served and rated, a few dossiers taken in.
fn day(c: &mut Central, d: &Devices, date: &str) {
    c.set(&format!("{date}T01:00:00Z"));
    for i in 0..24 {
        let group = if i % 3 == 0 { "B" } else { "A" };
        let lane = if i % 5 == 0 { "priority" } else { "normal" };
        issue(c, &d.kiosk, group, lane);
    }
    c.set(&format!("{date}T02:00:00Z"));
    for i in 0..16 {
        let called = ok(
            c,
            &d.counter,
            Method::POST,
            "/v1/queue/call",
            Some(json!({"counter": "3", "groups": ["A", "B"], "officer": "CB01"})),
        );
        let id = called["id"].as_i64().expect("a ticket called");
        ok(
            c,
            &d.counter,
            Method::POST,
            &format!("/v1/tickets/{id}/complete"),
            Some(json!({"counter": "3"})),
        );
        if i % 2 == 0 {
            ok(
                c,
                &d.display,
                Method::POST,
                "/v1/ratings",
                Some(json!({"answer": "satisfied", "rated_at": format!("{date}T02:30:00Z"), "ticket_id": id})),
            );
        }
    }
    for _ in 0..3 {
        let code = ok(c, &d.counter, Method::POST, "/v1/dossier-codes", None)["code"]
            .as_str()
            .unwrap()
            .to_string();
        ok(
            c,
            &d.counter,
            Method::PUT,
            &format!("/v1/dossiers/{code}"),
            Some(json!({
                "procedure_code": "1.001193",
                "procedure_name": "Thủ tục đăng ký khai sinh",
                "applicant": {"name": "Lê Thị Thử", "id_number": "001190000001", "kind": 1,
                              "phone": "0900000000", "address": "Hà Nội"},
                "received_at": format!("{date}T03:00:00Z"),
                "due_at": format!("{date}T09:00:00Z"),
                "status": 2,
                "channel": 1,
                "lookup_secret": "s3cret"
            })),
        );
    }
}

const WEEK: [&str; 5] = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"];

/// An office after a week of work, on SQLite, and its devices.
fn week_at_the_office() -> (Central, Devices) {
    let mut c = office_on_sqlite("2026-11-23T00:30:00Z");
    let d = devices(&c);
    for date in WEEK {
        day(&mut c, &d, date);
    }
    (c, d)
}

fn sqlite_file(c: &Central) -> std::path::PathBuf {
    c.dir.path().join(motcua_central::db::DB_FILE)
}

#[test]
fn an_office_with_a_week_of_data_moves_and_numbering_goes_on_after_its_last_ticket() {
    let (mut c, d) = week_at_the_office();
    let source = sqlite_file(&c);
    let target = fresh();
    let report = transfer::migrate(&source, &target).unwrap();
    println!("{}", report.to_text());
    assert!(report.ok() && report.committed, "{:?}", report.failures());
    let rows = |t: &str| {
        report
            .tables
            .iter()
            .find(|r| r.table == t)
            .map(|r| (r.source, r.target))
    };
    assert_eq!(rows("tickets"), Some((120, 120)));
    assert_eq!(rows("ratings"), Some((40, 40)));
    assert_eq!(rows("dossiers"), Some((15, 15)));
    assert!(rows("dossier_history").is_some_and(|(s, _)| s >= 15));
    assert!(rows("queue_counts").is_some_and(|(s, _)| s > 0));
    assert!(rows("idempotency").is_some_and(|(s, _)| s > 0));
    // Every table of the schema was copied.
    let (tables, _) = backup::counts(&source).unwrap();
    assert_eq!(report.tables.len(), tables.len());
    // Two groups and the dossiers' numbering, each day.
    assert_eq!(report.numbered_days, 10);
    let tickets_id = report.identities.iter().find(|i| i.table == "tickets").unwrap();
    assert_eq!(tickets_id.next, tickets_id.highest.unwrap() + 1);
    let text = report.to_text();
    assert!(text.contains("tickets") && !text.contains("MISMATCH"), "{text}");

    // Central on the migrated database, on Friday still: the next ticket
    // follows Friday's last, the next dossier code Friday's third.
    let last_a = c.count("SELECT count(*) FROM tickets WHERE day = '2026-11-27' AND grp = 'A'");
    let highest_id = c.count("SELECT max(id) FROM tickets");
    let waiting_a = c.count(
        "SELECT count(*) FROM tickets WHERE day = '2026-11-27' AND grp = 'A' AND lane = 'normal' AND status = 'waiting'",
    );
    assert!(waiting_a > 0);
    c.set("2026-11-27T08:00:00Z");
    c.reopen(motcua_central::Options {
        database: Some(target.clone()),
        ..Default::default()
    });
    assert!(c.app.db.postgres().is_some(), "central now runs on PostgreSQL");
    let t = issue(&mut c, &d.kiosk, "A", "normal");
    assert_eq!(t["number"].as_i64(), Some(last_a + 1), "{t}");
    assert!(t["id"].as_i64().unwrap() > highest_id, "{t}");
    // The queue's counts came over as they were: those waiting ahead.
    assert_eq!(t["same_lane_ahead"].as_i64(), Some(waiting_a), "{t}");
    let code = ok(&mut c, &d.counter, Method::POST, "/v1/dossier-codes", None)["code"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(code.ends_with("0004"), "{code}");
    // The copied queue serves on: tickets left waiting are called.
    let called = ok(
        &mut c,
        &d.counter,
        Method::POST,
        "/v1/queue/call",
        Some(json!({"counter": "3", "groups": ["A", "B"], "officer": "CB01"})),
    );
    assert!(called["id"].as_i64().unwrap() < t["id"].as_i64().unwrap(), "{called}");

    // The same move again: the target holds data now, and is left alone.
    let e = transfer::migrate(&source, &target).unwrap_err();
    assert!(matches!(e, TransferError::TargetNotEmpty { .. }), "{e}");
    assert!(e.to_string().contains("is not empty (table counter_state)"), "{e}");
    assert!(e.to_string().contains("không trống"), "{e}");
}

/// The checks name what does not match: a row gone, an identity behind
/// its ids, a day's numbering behind its tickets.
#[test]
fn a_copy_that_does_not_match_fails_naming_the_table() {
    let mut c = office_on_sqlite("2026-11-23T00:30:00Z");
    let d = devices(&c);
    day(&mut c, &d, "2026-11-23");
    let source = sqlite_file(&c);
    let target = fresh();
    assert!(transfer::migrate(&source, &target).unwrap().ok());
    assert!(transfer::verify(&source, &target).unwrap().ok());
    let pg = motcua_central::pg::PgDb::open(&target, 1).unwrap();
    let tamper = |sql: &'static str| {
        pg.transaction_blocking(|c| {
            c.execute_batch(sql)?;
            Ok(())
        })
        .unwrap();
    };
    tamper("DELETE FROM ratings WHERE id = (SELECT max(id) FROM ratings)");
    tamper("SELECT setval(pg_get_serial_sequence('tickets', 'id'), 3)");
    tamper("UPDATE sequences SET last = last - 1 WHERE grp = 'B'");
    let report = transfer::verify(&source, &target).unwrap();
    let failures = report.failures();
    assert!(!report.ok());
    assert!(
        failures
            .iter()
            .any(|f| f.starts_with("table ratings: 8 row(s) in SQLite, 7")),
        "{failures:?}"
    );
    assert!(
        failures
            .iter()
            .any(|f| f.starts_with("table tickets: the next id would be 4")),
        "{failures:?}"
    );
    assert!(
        failures
            .iter()
            .any(|f| f.starts_with("table sequences: 000.00.01.H26 2026-11-23 B: last 7, highest ticket 8")),
        "{failures:?}"
    );
    assert_eq!(failures.len(), 3, "{failures:?}");
    assert!(report.to_text().contains("MISMATCH"));
}

#[test]
fn bad_sources_and_targets_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let target = fresh();
    let missing = transfer::migrate(&dir.path().join("none.db"), &target).unwrap_err();
    assert!(matches!(missing, TransferError::Missing(_)), "{missing}");
    assert!(missing.to_string().contains("none.db: no such file"), "{missing}");
    let list = dir.path().join("list.db");
    std::fs::write(&list, "a shopping list, not a database").unwrap();
    let e = transfer::migrate(&list, &target).unwrap_err();
    assert!(e.to_string().contains("list.db: not a SQLite database"), "{e}");

    // Nothing listens on port 9 of loopback; the password is never shown.
    let c = office_on_sqlite("2026-11-23T00:30:00Z");
    let e = transfer::migrate(&sqlite_file(&c), "postgres://motcua:s3cret@127.0.0.1:9/central").unwrap_err();
    assert!(matches!(e, TransferError::Postgres { .. }), "{e}");
    let text = e.to_string();
    println!("{text}");
    assert!(text.contains("postgres://motcua@127.0.0.1:9/central"), "{text}");
    assert!(!text.contains("s3cret"), "{text}");
    // Nothing was made in the empty target by the refusals.
    let h = health::health(&Location::Postgres(target));
    assert_eq!(h.schema, None, "{h:?}");
}

/// A backup of a SQLite central taken while tickets are issued is a
/// consistent state of it; taken when they stop, restored, it has every
/// row.
#[test]
fn a_sqlite_backup_taken_while_central_writes_restores_whole() {
    let mut c = office_on_sqlite("2026-11-23T01:00:00Z");
    let d = devices(&c);
    for _ in 0..50 {
        issue(&mut c, &d.kiosk, "A", "normal");
    }
    let dir = tempfile::tempdir().unwrap();
    let during = dir.path().join("during.db");
    let location = Location::Sqlite(sqlite_file(&c));
    // A second writer issues tickets through the same database layer
    // while the backup is taken.
    let app = c.app.clone();
    let (started, writing) = std::sync::mpsc::channel();
    let writer = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let at = "2026-11-23T01:00:00Z".parse().unwrap();
        for i in 0..200 {
            if i == 20 {
                started.send(()).unwrap();
            }
            rt.block_on(app.db.write(move |conn| {
                motcua_central::queue::issue(
                    conn,
                    OFFICE,
                    1,
                    &motcua_api::model::NewTicket {
                        group: "A".into(),
                        lane: motcua_core::queue::Lane::Normal,
                        procedure: None,
                    },
                    at,
                )
            }))
            .unwrap();
        }
    });
    writing.recv().unwrap();
    let taken = backup::backup(&location, &during, None).unwrap();
    writer.join().unwrap();
    let tickets = |tables: &[(String, i64)]| tables.iter().find(|(t, _)| t == "tickets").unwrap().1;
    let seen = tickets(&taken.tables);
    assert!((70..=250).contains(&seen), "{seen}");
    // Consistent: the numbering is exactly the tickets in the copy.
    let copy = rusqlite::Connection::open(&during).unwrap();
    let (last, highest, mode): (i64, i64, String) = copy
        .query_row(
            "SELECT (SELECT last FROM sequences WHERE grp = 'A'), (SELECT max(number) FROM tickets),
                    (SELECT journal_mode FROM pragma_journal_mode)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((last, highest), (seen, seen));
    assert_eq!(mode, "delete", "the backup stands alone, without a WAL");
    drop(copy);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&during).unwrap().permissions().mode() & 0o777, 0o600);
    // A backup never overwrites a file.
    let e = backup::backup(&location, &during, None).unwrap_err();
    assert!(matches!(e, TransferError::Exists(_)), "{e}");

    // Taken again once the writes stop, restored into a new data
    // directory: every table has the rows central has.
    let after = dir.path().join("after.db");
    backup::backup(&location, &after, None).unwrap();
    let restored_dir = tempfile::tempdir().unwrap();
    let restored = Location::Sqlite(restored_dir.path().join(motcua_central::db::DB_FILE));
    let outcome = backup::restore(&restored, &after, false, None).unwrap();
    let (live, _) = backup::counts(&sqlite_file(&c)).unwrap();
    assert_eq!(outcome.tables, live);
    assert_eq!(tickets(&outcome.tables), 250);
    // Restoring over it again needs --force.
    let e = backup::restore(&restored, &during, false, None).unwrap_err();
    assert!(e.to_string().contains("--force"), "{e}");
    let forced = backup::restore(&restored, &during, true, None).unwrap();
    assert_eq!(tickets(&forced.tables), seen);
    // And central starts on the restored database and numbers on.
    let mut back = Central::open_on(
        "2026-11-23T01:30:00Z",
        Some(format!("sqlite:{}", restored_dir.path().join("central.db").display())),
    );
    let (_, t) = back.send(
        &d.kiosk,
        Method::POST,
        "/v1/tickets",
        Some("after-restore"),
        Some(json!({"group": "A", "lane": "normal"})),
    );
    assert_eq!(t["number"].as_i64(), Some(seen + 1), "{t}");
}

#[test]
fn a_restore_refuses_what_is_not_a_backup_of_this_motcua() {
    let dir = tempfile::tempdir().unwrap();
    let target = Location::Sqlite(dir.path().join("data").join("central.db"));
    let e = backup::restore(&target, &dir.path().join("none.db"), false, None).unwrap_err();
    assert!(e.to_string().contains("no such file"), "{e}");
    let list = dir.path().join("list.db");
    std::fs::write(&list, "a shopping list, not a database").unwrap();
    let e = backup::restore(&target, &list, false, None).unwrap_err();
    assert!(e.to_string().contains("not a SQLite database"), "{e}");
    let newer = dir.path().join("newer.db");
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999")
        .unwrap();
    let e = backup::restore(&target, &newer, false, None).unwrap_err();
    assert!(e.to_string().contains("newer than this motcua knows"), "{e}");
    assert!(!dir.path().join("data").join("central.db").exists());
}

fn pg_program(name: &str) -> std::path::PathBuf {
    let bin = std::env::var("MOTCUA_TEST_PG_BIN").unwrap_or_else(|_| {
        panic!("MOTCUA_TEST_PG_BIN is unset: run with scripts/test or scripts/with-postgres, which set it")
    });
    std::path::Path::new(&bin).join(name)
}

#[test]
fn a_postgres_backup_restores_into_an_empty_database_whole() {
    let mut c = office_on_sqlite("2026-11-23T00:30:00Z");
    let d = devices(&c);
    day(&mut c, &d, "2026-11-23");
    let source = sqlite_file(&c);
    let live = fresh();
    assert!(transfer::migrate(&source, &live).unwrap().ok());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("city.dump");
    let taken = backup::backup(&Location::Postgres(live.clone()), &file, Some(&pg_program("pg_dump"))).unwrap();
    assert!(taken.bytes > 0);
    let copy = fresh();
    let restored = backup::restore(
        &Location::Postgres(copy.clone()),
        &file,
        false,
        Some(&pg_program("pg_restore")),
    )
    .unwrap();
    assert_eq!(restored.schema, Some(motcua_central::pg::SCHEMA_VERSION as i64));
    // The restored database holds what the office's file holds, and its
    // identities and numbering are past every row.
    let report = transfer::verify(&source, &copy).unwrap();
    assert!(report.ok(), "{:?}", report.failures());
    assert!(report.tables.iter().any(|t| t.table == "tickets" && t.target == 24));
    // Restored again into it: refused, it is not empty.
    let e = backup::restore(&Location::Postgres(copy), &file, false, Some(&pg_program("pg_restore"))).unwrap_err();
    assert!(matches!(e, TransferError::TargetNotEmpty { .. }), "{e}");
    // A program that is not there says so.
    let e = backup::backup(
        &Location::Postgres(live),
        &dir.path().join("again.dump"),
        Some(std::path::Path::new("/nonexistent/pg_dump")),
    )
    .unwrap_err();
    assert!(e.to_string().contains("not found"), "{e}");
}

#[test]
fn health_says_whether_the_database_answers_and_its_schema_is_this_builds() {
    // SQLite: not there yet, this build's, newer.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("central.db");
    let h = health::health(&Location::Sqlite(file.clone()));
    assert_eq!((h.reachable.clone(), h.schema), (Ok(()), None));
    let c = office_on_sqlite("2026-11-23T00:30:00Z");
    let h = health::health(&Location::Sqlite(sqlite_file(&c)));
    assert_eq!(h.reachable, Ok(()));
    assert_eq!(h.schema, Some(motcua_central::db::SCHEMA_VERSION as i64));
    let newer = dir.path().join("newer.db");
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999")
        .unwrap();
    let h = health::health(&Location::Sqlite(newer));
    assert_eq!((h.reachable.clone(), h.schema), (Ok(()), Some(999)), "{h:?}");
    std::fs::write(&file, "a shopping list").unwrap();
    let h = health::health(&Location::Sqlite(file.clone()));
    assert!(
        h.reachable.as_ref().unwrap_err().contains("not a SQLite database"),
        "{h:?}"
    );

    // PostgreSQL: this build's schema, newer, unreachable.
    let url = fresh();
    motcua_central::pg::PgDb::open(&url, 1).unwrap();
    let h = health::health(&Location::Postgres(url.clone()));
    assert_eq!(h.reachable, Ok(()));
    assert_eq!(h.schema, Some(motcua_central::pg::SCHEMA_VERSION as i64));
    // No replica on the test server: nothing to report.
    assert_eq!(h.replication, Replication::None);
    motcua_central::pg::PgDb::open(&url, 1)
        .unwrap()
        .transaction_blocking(|c| {
            c.execute_batch("UPDATE motcua_schema SET version = 99")?;
            Ok(())
        })
        .unwrap();
    let h = health::health(&Location::Postgres(url));
    assert_eq!(h.schema, Some(99));
    let h = health::health(&Location::Postgres("postgres://motcua:s3cret@127.0.0.1:9/x".into()));
    assert!(
        h.reachable.as_ref().unwrap_err().contains("Connection refused"),
        "{h:?}"
    );
    assert_eq!(h.shown, "postgres://motcua@127.0.0.1:9/x");
    assert!(!format!("{h:?}").contains("s3cret"));
}
