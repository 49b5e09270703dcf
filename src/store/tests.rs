//! The store's tests.

use jiff::Timestamp;
use rusqlite::Connection;

use super::retention::{HOLDS_PERSONAL_DATA, PURGE_DOSSIERS};
use super::schema::{MIGRATE_1_TO_2, SCHEMA, SCHEMA_VERSION};
use super::*;
use motcua_core::queue::Lane;
use motcua_core::time::local_day;

fn req(group: &str, lane: Lane) -> TicketRequest {
    TicketRequest {
        group: group.into(),
        lane,
        procedure: None,
    }
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn numbers_count_per_group_and_restart_at_local_midnight() {
    let mut s = Store::in_memory().unwrap();
    let t = |s: &mut Store, g, when| {
        s.issue(&req(g, Lane::Normal), 0, at(when), None)
            .unwrap()
            .number
            .to_string()
    };
    assert_eq!(t(&mut s, "A", "2026-11-28T02:00:00Z"), "A-001");
    assert_eq!(t(&mut s, "A", "2026-11-28T03:00:00Z"), "A-002");
    assert_eq!(t(&mut s, "B", "2026-11-28T03:00:00Z"), "B-001");
    // 23:59 in Hà Nội is still the same day …
    assert_eq!(t(&mut s, "A", "2026-11-28T16:59:00Z"), "A-003");
    // … and 00:00 is a new one.
    assert_eq!(t(&mut s, "A", "2026-11-28T17:00:00Z"), "A-001");
    // Standing alone, nothing is queued for central.
    assert_eq!(s.outbox_counts().unwrap().pending, 0);
}

#[test]
fn numbers_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let when = at("2026-11-28T02:00:00Z");
    {
        let mut s = Store::open(dir.path()).unwrap();
        s.issue(&req("A", Lane::Normal), 0, when, None).unwrap();
        s.issue(&req("A", Lane::Priority), 0, when, None).unwrap();
    }
    let mut s = Store::open(dir.path()).unwrap();
    let t = s.issue(&req("A", Lane::Normal), 0, when, None).unwrap();
    assert_eq!(t.number.number, 3);
    assert_eq!((t.same_lane_ahead, t.other_lane_waiting), (1, 1));
    let w = s.waiting(when).unwrap();
    assert_eq!(w, vec![("A".to_string(), Waiting { normal: 2, priority: 1 })]);
}

#[test]
fn the_database_refuses_a_repeated_number() {
    let mut s = Store::in_memory().unwrap();
    let when = at("2026-11-28T02:00:00Z");
    s.issue(&req("A", Lane::Normal), 0, when, None).unwrap();
    let dup = s.conn.execute(
        "INSERT INTO tickets (day, grp, number, lane, issued_at) VALUES ('2026-11-28', 'A', 1, 'normal', 'x')",
        [],
    );
    assert!(dup.is_err());
}

#[test]
fn offline_tickets_use_the_kiosk_slot_and_queue_their_record_in_the_same_commit() {
    let mut s = Store::in_memory().unwrap();
    let when = at("2026-11-28T02:00:00Z");
    let a = s.issue(&req("A", Lane::Normal), 3, when, Some("lost-key")).unwrap();
    let b = s.issue(&req("A", Lane::Normal), 3, when, None).unwrap();
    assert_eq!(
        (a.number.to_string(), b.number.to_string()),
        ("A3-001".into(), "A3-002".into())
    );
    // The central numbering space (slot 0) is untouched.
    assert_eq!(
        s.issue(&req("A", Lane::Normal), 0, when, None)
            .unwrap()
            .number
            .to_string(),
        "A-001"
    );
    let first = s.next_pending().unwrap().unwrap();
    assert_eq!(first.kind, "ticket");
    let body: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!((body["slot"].as_u64(), body["number"].as_u64()), (Some(3), Some(1)));
    assert_eq!(s.outbox_counts().unwrap().pending, 3, "two tickets and one void");
    s.mark_sent(first.id).unwrap();
    let void = s.next_pending().unwrap().unwrap();
    assert_eq!(void.kind, "void");
    assert!(void.body.contains("lost-key"));
    s.mark_failed(void.id, "422: no").unwrap();
    s.note_attempt(s.next_pending().unwrap().unwrap().id, "timeout")
        .unwrap();
    assert_eq!(s.next_pending().unwrap().unwrap().attempts, 1);
    assert_eq!(s.outbox_counts().unwrap(), OutboxCounts { pending: 1, failed: 1 });
    assert_eq!(s.failed_records().unwrap()[0].2, "422: no");
}

#[test]
fn a_corrupt_file_is_reported_as_such() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(DB_FILE), vec![0x42u8; 8192]).unwrap();
    let e = Store::open(dir.path()).unwrap_err();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e:?}");
    assert_eq!(e.path(), dir.path().join(DB_FILE));
}

#[test]
fn a_data_dir_that_cannot_be_created_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    fs::write(&file, b"x").unwrap();
    let e = Store::open(&file.join("data")).unwrap_err();
    assert!(matches!(e, StoreError::DataDir { .. }), "{e:?}");
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
    c.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(c);
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::TooNew { found: 99, .. })
    ));
}

#[test]
fn officers_sign_in_with_a_pin_and_are_locked_after_five_failures() {
    let mut s = Store::in_memory().unwrap();
    s.set_officer("CB01", "Trần Thị Cán Bộ", "246810").unwrap();
    assert!(s.set_officer("CB02", "X", "12ab").is_err());
    // An id central would refuse on every call is refused here first.
    for bad in ["C".repeat(33), "-CB03".into(), "CB  04".into(), "CB/05".into()] {
        assert!(
            matches!(s.set_officer(&bad, "X", "246810"), Err(OfficerError::BadId)),
            "{bad}"
        );
    }
    let t0: Timestamp = "2026-11-28T02:00:00Z".parse().unwrap();
    assert_eq!(s.sign_in("CB01", "246810", t0).unwrap().name, "Trần Thị Cán Bộ");
    assert_eq!(
        s.sign_in("nobody", "246810", t0),
        Err(SignInError::Refused { tries_left: 4 })
    );
    for left in (1..5).rev() {
        assert_eq!(
            s.sign_in("CB01", "000000", t0),
            Err(SignInError::Refused { tries_left: left })
        );
    }
    assert!(matches!(
        s.sign_in("CB01", "000000", t0),
        Err(SignInError::Locked { .. })
    ));
    // Even the right PIN waits out the lock …
    assert!(matches!(
        s.sign_in("CB01", "246810", t0 + jiff::SignedDuration::from_mins(1)),
        Err(SignInError::Locked { .. })
    ));
    // … and works after it.
    assert!(
        s.sign_in("CB01", "246810", t0 + jiff::SignedDuration::from_mins(6))
            .is_ok()
    );
    let hash: String = s
        .conn
        .query_row("SELECT pin_hash FROM officers", [], |r| r.get(0))
        .unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains("246810"));
}

#[test]
fn an_unknown_id_and_a_wrong_pin_answer_alike() {
    let mut s = Store::in_memory().unwrap();
    s.set_officer("CB01", "Trần Thị Cán Bộ", "246810").unwrap();
    let t0: Timestamp = "2026-11-28T02:00:00Z".parse().unwrap();
    for i in 0..6 {
        let at = t0 + jiff::SignedDuration::from_secs(i);
        let known = s.sign_in("CB01", "000000", at);
        let unknown = s.sign_in("CB99", "000000", at);
        assert_eq!(known, unknown, "attempt {}", i + 1);
        assert!(known.is_err());
    }
    // Both locked out alike, and both free again after the lock-out.
    let later = t0 + LOCKOUT + jiff::SignedDuration::from_mins(1);
    assert_eq!(s.sign_in("CB01", "000000", later), s.sign_in("CB99", "000000", later));
    assert!(s.sign_in("CB01", "246810", later).is_ok());
}

#[test]
fn the_dummy_pin_hash_costs_a_real_check() {
    use argon2::password_hash::PasswordHash;
    let dummy = PasswordHash::new(DUMMY_PIN_HASH).expect("a PHC string");
    let real_hash = hash_pin("246810");
    let real = PasswordHash::new(&real_hash).unwrap();
    assert_eq!(dummy.algorithm, real.algorithm);
    assert_eq!(dummy.version, real.version);
    assert_eq!(dummy.params, real.params);
    assert_eq!(dummy.hash.map(|h| h.len()), real.hash.map(|h| h.len()));
    // Argon2 refuses nothing about it before doing the work.
    let argon = argon2::Argon2::default();
    use argon2::password_hash::PasswordVerifier;
    assert!(matches!(
        argon.verify_password(b"000000", &dummy),
        Err(argon2::password_hash::Error::Password)
    ));
}

#[test]
fn failures_of_ids_typed_long_ago_are_forgotten() {
    let mut s = Store::in_memory().unwrap();
    let t0: Timestamp = "2026-11-28T02:00:00Z".parse().unwrap();
    for i in 0..50 {
        let _ = s.sign_in(&format!("X{i}"), "0000", t0);
    }
    let next_day = t0 + jiff::SignedDuration::from_hours(25);
    let _ = s.sign_in("Y", "0000", next_day);
    let left: i64 = s
        .conn
        .query_row("SELECT count(*) FROM meta WHERE key LIKE 'sign-in:%'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 1);
}

#[test]
fn a_well_known_pin_removes_its_officer() {
    let mut s = Store::in_memory().unwrap();
    s.set_officer("CB01", "Cán bộ minh họa", "123456").unwrap();
    s.set_officer("CB02", "Trần Thị Cán Bộ", "246810").unwrap();
    assert!(!s.remove_officer_with_pin("CB02", "123456").unwrap());
    assert!(!s.remove_officer_with_pin("CB03", "123456").unwrap());
    assert!(s.remove_officer_with_pin("CB01", "123456").unwrap());
    assert_eq!(s.officer_count().unwrap(), 1);
}

/// Cleared records still say which dossier they were about.
fn everything_has_codes(s: &Store) -> bool {
    let dump = s.dump_for_test();
    dump.matches("\"code\":\"X-").count() >= 2
}

#[test]
fn personal_data_leaves_once_central_has_had_it_for_the_retention_period() {
    let mut s = Store::in_memory().unwrap();
    let at = Timestamp::now();
    let dossier = |name: &str| {
        serde_json::json!({"status": 2, "applicant": {"name": name, "id_number": "001099012345", "phone": "0912345678"},
            "notes": "gọi cho chị Lan", "lookup_secret": "AB12CD34", "procedure_code": "1.001193",
            "principal": {"name": format!("{name} (ủy quyền)"), "id_number": "001199000001", "address": "Số 9 Hàng Bạc",
                "phone": "0911111111", "authorisation": "Giấy ủy quyền số 7"},
            "delivery": {"way": "post", "address": format!("Số 8 phố Bưu Điện, nhà {name}")}})
    };
    s.take_in("X-1", &dossier("Nguyễn Văn An"), 2, at).unwrap();
    s.take_in("X-2", &dossier("Trần Thị Bình"), 2, at).unwrap();
    let mut entry = RatingEntry::new(Rating::Satisfied);
    entry.comment = "Chị Lan ở quầy 3 rất nhiệt tình".into();
    s.rate(&entry, at).unwrap();
    // Central acknowledges all three; then X-2 moves on and that
    // status update still waits.
    for _ in 0..3 {
        let r = s.next_pending().unwrap().unwrap();
        s.mark_sent(r.id).unwrap();
    }
    s.set_dossier_status("X-2", 4, "", at).unwrap();

    let week = jiff::SignedDuration::from_hours(24 * 7);
    let soon = at.checked_add(week - jiff::SignedDuration::from_hours(1)).unwrap();
    assert_eq!(
        s.purge_personal(soon, 7).unwrap(),
        Purged::default(),
        "not before the period"
    );
    let later = at.checked_add(week + jiff::SignedDuration::from_hours(1)).unwrap();
    let purged = s.purge_personal(later, 7).unwrap();
    assert_eq!(
        purged,
        Purged {
            dossiers: 1,
            records: 3,
            comments: 1,
            documents: 0,
        }
    );
    assert!(everything_has_codes(&s));
    let everything = s.dump_for_test();
    // The applicant's name is in the principal's and in the postal address.
    for gone in ["Nguyễn Văn An", "nhiệt tình"] {
        assert!(!everything.contains(gone), "{gone} left in {everything}");
    }
    let (kept, status) = s.dossier("X-1").unwrap().unwrap();
    assert_eq!((kept["procedure_code"].as_str(), status), (Some("1.001193"), 2));
    assert!(kept.get("applicant").is_none() && kept.get("notes").is_none());
    // X-2 has a record central has not acknowledged: it keeps everything.
    assert!(everything.contains("Trần Thị Bình"), "{everything}");
    let r = s.next_pending().unwrap().unwrap();
    s.mark_sent(r.id).unwrap();
    let much_later = later.checked_add(week).unwrap();
    s.purge_personal(much_later, 7).unwrap();
    let everything = s.dump_for_test();
    for gone in ["Trần Thị Bình", "001099012345", "0912345678", "chị Lan", "Chị Lan"] {
        assert!(!everything.contains(gone), "{gone} left in {everything}");
    }
}

#[test]
fn a_dossier_taken_in_is_queued_for_central_in_the_same_commit() {
    let mut s = Store::in_memory().unwrap();
    let at: Timestamp = "2026-11-28T02:00:00Z".parse().unwrap();
    let day = local_day(at);
    assert_eq!(s.next_offline_dossier_number(day, 3).unwrap(), 1);
    assert_eq!(s.next_offline_dossier_number(day, 3).unwrap(), 2);
    s.take_in("X-261128-0001", &serde_json::json!({"status": 2}), 2, at)
        .unwrap();
    s.set_dossier_status("X-261128-0001", 10, "", at).unwrap();
    assert_eq!(s.dossier("X-261128-0001").unwrap().unwrap().1, 10);
    let kinds: Vec<String> = std::iter::from_fn(|| {
        let r = s.next_pending().unwrap()?;
        s.mark_sent(r.id).unwrap();
        Some(r.kind)
    })
    .collect();
    assert_eq!(kinds, vec!["dossier", "status"]);
}

#[test]
fn ratings_are_stored_with_an_outbox_record() {
    let mut s = Store::in_memory().unwrap();
    assert!(
        s.rate(&RatingEntry::new(Rating::Satisfied), at("2026-11-28T02:00:00Z"))
            .unwrap()
    );
    assert_eq!(s.outbox_counts().unwrap().pending, 1);
    let body: serde_json::Value = serde_json::from_str(&s.next_pending().unwrap().unwrap().body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"answer": "satisfied", "rated_at": "2026-11-28T02:00:00Z"})
    );
}

#[test]
fn a_served_ticket_is_rated_once_with_its_criteria_and_comment() {
    let mut s = Store::in_memory().unwrap();
    let entry = RatingEntry {
        answer: Rating::Unsatisfied,
        ticket: Some(41),
        criteria: vec![Criterion::Time, Criterion::Facilities],
        comment: format!("  Phải chờ lâu, ghế ít. {}", "x".repeat(300)),
    };
    assert!(s.rate(&entry, at("2026-11-28T02:00:00Z")).unwrap());
    let again = RatingEntry::new(Rating::Satisfied);
    assert!(
        !s.rate(
            &RatingEntry {
                ticket: Some(41),
                ..again
            },
            at("2026-11-28T02:01:00Z")
        )
        .unwrap(),
        "a second answer for the same ticket is not taken"
    );
    assert_eq!(s.outbox_counts().unwrap().pending, 1);
    let record = s.next_pending().unwrap().unwrap();
    assert_eq!(record.key, "rating-ticket-41");
    let body: serde_json::Value = serde_json::from_str(&record.body).unwrap();
    assert_eq!(body["ticket_id"], 41);
    assert_eq!(body["answer"], "unsatisfied");
    assert_eq!(body["criteria"], serde_json::json!(["time", "facilities"]));
    let comment = body["comment"].as_str().unwrap();
    assert!(comment.starts_with("Phải chờ lâu, ghế ít."));
    assert_eq!(comment.chars().count(), MAX_COMMENT);
    // Ratings without a ticket are never refused as repeats.
    assert!(
        s.rate(&RatingEntry::new(Rating::Neutral), at("2026-11-28T02:02:00Z"))
            .unwrap()
    );
    assert!(
        s.rate(&RatingEntry::new(Rating::Neutral), at("2026-11-28T02:03:00Z"))
            .unwrap()
    );
}

#[test]
fn the_criteria_are_the_ones_central_knows() {
    let ours: Vec<&str> = Criterion::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(ours, motcua_api::model::CRITERIA);
}

#[test]
fn a_schema_1_database_is_migrated_and_keeps_its_ratings() {
    let dir = tempfile::tempdir().unwrap();
    let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
    c.execute_batch(
        "CREATE TABLE ratings (id INTEGER PRIMARY KEY, rated_at TEXT NOT NULL,
             answer TEXT NOT NULL CHECK (answer IN ('satisfied', 'neutral', 'unsatisfied')), ticket_id INTEGER);
         INSERT INTO ratings (rated_at, answer) VALUES ('2026-11-27T02:00:00Z', 'neutral');",
    )
    .unwrap();
    c.execute_batch(&format!("{SCHEMA} PRAGMA user_version = 1;")).unwrap();
    drop(c);
    let mut s = Store::open(dir.path()).unwrap();
    let entry = RatingEntry {
        ticket: Some(7),
        ..RatingEntry::new(Rating::Satisfied)
    };
    assert!(s.rate(&entry, at("2026-11-28T02:00:00Z")).unwrap());
    assert!(!s.rate(&entry, at("2026-11-28T02:00:00Z")).unwrap());
    let (n, version): (i64, i32) = s
        .conn
        .query_row(
            "SELECT count(*), (SELECT user_version FROM pragma_user_version) FROM ratings",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((n, version), (2, SCHEMA_VERSION));
}

#[test]
fn retention_finds_a_dossiers_records_through_the_index_not_by_reading_the_outbox() {
    // A month at a counter leaves thousands of records; the purge asks
    // about each dossier still holding personal data. Found by the
    // office simulation: read in full each time, the hourly purge took
    // seconds and grew every day.
    let s = Store::in_memory().unwrap();
    let plan = |sql: &str| -> String {
        let mut q = s.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let params: Vec<&dyn rusqlite::ToSql> =
            (0..q.parameter_count()).map(|_| &"x" as &dyn rusqlite::ToSql).collect();
        q.query_map(params.as_slice(), |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let purge = plan(PURGE_DOSSIERS);
    assert!(!purge.contains("SCAN o"), "{purge}");
    assert_eq!(purge.matches("USING INDEX outbox_code").count(), 2, "{purge}");
    let holds = plan(HOLDS_PERSONAL_DATA);
    assert!(!holds.contains("SCAN outbox"), "{holds}");
    assert!(holds.contains("USING INDEX outbox_code"), "{holds}");
}

#[test]
fn a_schema_2_database_keeps_its_unsent_records_for_the_device_that_wrote_them() {
    let dir = tempfile::tempdir().unwrap();
    let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
    c.execute_batch(&format!(
        "{SCHEMA} {MIGRATE_1_TO_2} PRAGMA user_version = 2;
         INSERT INTO outbox (kind, idempotency_key, body, created_at) VALUES
             ('ticket', 't-1', '{{}}', '2026-11-27T02:00:00Z'),
             ('dossier', 'd-1', '{{\"code\": \"X-1\"}}', '2026-11-27T02:00:00Z');"
    ))
    .unwrap();
    drop(c);
    let mut s = Store::open(dir.path()).unwrap();
    assert_eq!(s.outbox_counts().unwrap().pending, 2, "written by no device yet");
    // The counter takes the dossier, not the ticket.
    assert_eq!(s.set_device(9, &["dossier", "status"], false).unwrap(), 1);
    assert_eq!(s.next_pending().unwrap().unwrap().key, "d-1");
    assert_eq!(s.outbox_counts().unwrap().pending, 1);
}

#[test]
fn a_loop_that_died_is_kept_with_its_restarts_and_last_reason() {
    let mut s = Store::in_memory().unwrap();
    assert!(s.loop_failures().unwrap().is_empty());
    let at: Timestamp = "2026-11-28T02:00:00Z".parse().unwrap();
    s.note_loop_failure("outbox sender", "panicked: first", at).unwrap();
    s.note_loop_failure("outbox sender", "panicked: second", at).unwrap();
    s.note_loop_failure("retention", "disk full", at).unwrap();
    let f = s.loop_failures().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(
        (f[0].name.as_str(), f[0].restarts, f[0].last_error.as_str()),
        ("outbox sender", 2, "panicked: second")
    );
    assert_eq!((f[1].name.as_str(), f[1].restarts), ("retention", 1));
}

#[test]
fn outbox_records_read_back_typed_and_keep_their_stored_json() {
    let mut s = Store::in_memory().unwrap();
    let at: Timestamp = "2026-11-28T02:00:00Z".parse().unwrap();
    s.issue(&req("A", Lane::Priority), 2, at, Some("k-1")).unwrap();
    let mut entry = RatingEntry::new(Rating::Satisfied);
    entry.ticket = Some(7);
    s.rate(&entry, at).unwrap();
    s.rate(&RatingEntry::new(Rating::Neutral), at).unwrap();
    // As older versions wrote them, byte for byte.
    let stored = [
        (
            "ticket",
            r#"{"day":"2026-11-28","group":"A","issued_at":"2026-11-28T02:00:00Z","lane":"priority","number":1,"procedure":null,"slot":2}"#,
        ),
        ("void", r#"{"key":"k-1"}"#),
        (
            "rating",
            r#"{"answer":"satisfied","rated_at":"2026-11-28T02:00:00Z","ticket_id":7}"#,
        ),
        ("rating", r#"{"answer":"neutral","rated_at":"2026-11-28T02:00:00Z"}"#),
    ];
    for (kind, body) in stored {
        let r = s.next_pending().unwrap().unwrap();
        assert_eq!((r.kind.as_str(), r.body.as_str()), (kind, body));
        let payload = r.payload().unwrap();
        assert_eq!(payload.kind(), kind);
        assert_eq!(payload.body(), body, "the typed payload writes the stored JSON back");
        s.mark_sent(r.id).unwrap();
    }
    let status = Payload::parse("status", r#"{"code":"X-1","update":{"note":"ok","status":5}}"#).unwrap();
    assert_eq!(
        status.request(),
        (
            "POST",
            "/v1/dossiers/X-1/status".to_string(),
            r#"{"note":"ok","status":5}"#.to_string()
        )
    );
    assert!(matches!(
        Payload::parse("parcel", "{}"),
        Err(PayloadError::UnknownKind(_))
    ));
    assert!(matches!(Payload::parse("ticket", "{}"), Err(PayloadError::Parse(_))));
}

#[test]
fn a_payment_is_queued_for_central_and_read_back_as_sent() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let at: jiff::Timestamp = "2026-11-28T02:45:00Z".parse().unwrap();
    let payment = motcua_api::model::PaymentIn {
        amount: 50_000,
        paid: false,
        method: "vietqr".into(),
        reference: None,
        at: at.to_string(),
    };
    s.record_payment("X-261128-0001", &payment, at).unwrap();
    // A counter takes its payments: they go out under its credential.
    assert_eq!(
        s.set_device(9, crate::sync::Identity::kinds(motcua_api::model::Role::Counter), false)
            .unwrap(),
        1
    );
    let r = s.next_pending().unwrap().unwrap();
    assert_eq!(r.kind, "payment");
    assert_eq!(
        r.payload().unwrap().request(),
        (
            "POST",
            "/v1/dossiers/X-261128-0001/payment".to_string(),
            r#"{"amount":50000,"at":"2026-11-28T02:45:00Z","method":"vietqr","paid":false}"#.to_string()
        )
    );
}

#[test]
fn a_schema_4_outbox_is_rebuilt_for_payments_and_evaluations_with_every_record_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Connection::open(dir.path().join(DB_FILE)).unwrap();
    rusqlite_migration::Migrations::from_slice(&super::schema::MIGRATIONS[..4])
        .to_latest(&mut c)
        .unwrap();
    c.execute_batch(
        "INSERT INTO outbox (id, kind, idempotency_key, body, created_at, state, attempts, last_error, device)
         VALUES (7, 'dossier', 'd-1', '{\"code\": \"X-1\"}', '2026-11-27T02:00:00Z', 'failed', 3, 'refused', 9),
                (8, 'rating', 'r-1', '{}', '2026-11-27T02:00:00Z', 'pending', 0, NULL, 4);",
    )
    .unwrap();
    drop(c);
    let mut s = Store::open(dir.path()).unwrap();
    assert_eq!(
        s.failed_records().unwrap(),
        vec![(7, "dossier".into(), "refused".into())]
    );
    s.set_device(4, &[], false).unwrap();
    assert_eq!(
        s.next_pending().unwrap().map(|r| (r.id, r.key)),
        Some((8, "r-1".into()))
    );
    let e = motcua_api::evaluation::DossierRatingIn {
        code: "X-261128-0001".into(),
        occasion: motcua_api::evaluation::Occasion::Kiosk,
        rated_at: "2026-11-28T02:00:00Z".into(),
        answers: motcua_api::evaluation::DossierAnswers::new(motcua_api::evaluation::Level::Neutral),
    };
    assert!(s.evaluate_dossier(&e).unwrap(), "the new kind is taken");
    assert!(!s.evaluate_dossier(&e).unwrap(), "once per dossier and occasion");
    let payment = motcua_api::model::PaymentIn {
        amount: 10_000,
        paid: true,
        method: "cash".into(),
        reference: None,
        at: "2026-11-28T02:00:00Z".into(),
    };
    s.record_payment("X-261128-0001", &payment, jiff::Timestamp::UNIX_EPOCH)
        .expect("the other new kind is taken too");
}

/// A document of `size` bytes, as the scanner's encoder would give it.
fn scanned(item: &str, size: usize, seed: u8) -> NewDocument {
    use sha2::Digest;
    let bytes: Vec<u8> = (0..size)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect();
    let sha256 = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    NewDocument {
        item: item.into(),
        kind: motcua_api::documents::DocumentKind::Intake,
        pdf: std::sync::Arc::new(crate::scan::Pdf {
            bytes,
            sha256,
            pages: 2,
        }),
        scanned_at: at("2026-12-01T02:00:00Z"),
    }
}

#[test]
fn documents_are_kept_with_their_dossier_and_queued_after_it_in_one_commit() {
    let mut s = Store::in_memory().unwrap();
    let when = at("2026-12-01T02:05:00Z");
    let docs = [scanned("Tờ khai", 3000, 1), scanned("Giấy chứng sinh", 5000, 2)];
    let dossier = serde_json::json!({ "procedure_code": "1.001193" });
    s.take_in_with("X-1", &dossier, 3, when, &docs, Some("CB01")).unwrap();

    let kinds: Vec<String> = std::iter::from_fn(|| {
        let r = s.next_pending().unwrap()?;
        s.mark_sent(r.id).unwrap();
        Some(r)
    })
    .map(|r| {
        if let Ok(Payload::Document { code, document }) = r.payload() {
            assert_eq!((code.as_str(), document.officer.as_deref()), ("X-1", Some("CB01")));
            assert_eq!(document.pages, 2);
            format!("document {} {}", document.item, document.size)
        } else {
            r.kind
        }
    })
    .collect();
    assert_eq!(
        kinds,
        ["dossier", "document Tờ khai 3000", "document Giấy chứng sinh 5000"],
        "the dossier first, then its documents in the order scanned"
    );
    let listed = s.documents("X-1").unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|d| d.kept && d.uploaded));
    assert_eq!(
        s.document_pdf("X-1", &docs[1].pdf.sha256).unwrap().as_deref(),
        Some(&docs[1].pdf.bytes[..])
    );
    assert_eq!(s.document_pdf("X-2", &docs[1].pdf.sha256).unwrap(), None);
}

#[test]
fn a_full_disk_keeps_neither_the_dossier_nor_its_documents_and_the_dossier_goes_in_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let when = at("2026-12-01T02:05:00Z");
    let dossier = serde_json::json!({ "procedure_code": "1.001193" });
    // Room for a dossier, not for 400 kB of scans.
    s.limit_growth(64 * 1024).unwrap();
    let docs = [scanned("Tờ khai", 400_000, 1)];
    let e = s.take_in_with("X-1", &dossier, 3, when, &docs, None).unwrap_err();
    assert!(matches!(e, StoreError::Full { .. }), "{e:?}");
    assert_eq!(s.dossier("X-1").unwrap(), None, "nothing half kept");
    assert!(s.documents("X-1").unwrap().is_empty());
    assert_eq!(s.next_pending().unwrap(), None);
    // The same dossier without its scans fits.
    s.take_in_with("X-1", &dossier, 3, when, &[], None).unwrap();
    assert!(s.dossier("X-1").unwrap().is_some());
}

#[test]
fn a_document_file_leaves_once_central_has_had_it_for_the_period() {
    let mut s = Store::in_memory().unwrap();
    let when = at("2026-12-01T02:05:00Z");
    s.set_clock(motcua_core::clock::Clock::manual(when));
    let dossier = serde_json::json!({ "procedure_code": "1.001193", "applicant": { "name": "Nguyễn Văn An" } });
    let docs = [scanned("Tờ khai", 3000, 1), scanned("Giấy chứng sinh", 3000, 2)];
    s.take_in_with("X-1", &dossier, 3, when, &docs, None).unwrap();
    // The dossier and the first document reach central; the second not.
    for _ in 0..2 {
        let r = s.next_pending().unwrap().unwrap();
        s.mark_sent(r.id).unwrap();
    }
    let sooner = when.checked_add(jiff::SignedDuration::from_hours(24 * 6)).unwrap();
    assert_eq!(
        s.purge_personal(sooner, 7).unwrap().documents,
        0,
        "not before the period"
    );
    let later = when.checked_add(jiff::SignedDuration::from_hours(24 * 8)).unwrap();
    let purged = s.purge_personal(later, 7).unwrap();
    assert_eq!(purged.documents, 1);
    let listed = s.documents("X-1").unwrap();
    assert_eq!(
        listed.iter().map(|d| (d.kept, d.uploaded)).collect::<Vec<_>>(),
        [(false, true), (true, false)],
        "the file central has goes; the one it has not stays"
    );
    assert_eq!(s.document_pdf("X-1", &docs[0].pdf.sha256).unwrap(), None);
    assert!(
        s.holds_personal_data("X-1").unwrap(),
        "a file still here is personal data"
    );
}
