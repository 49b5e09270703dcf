//! The doctor's tests.

use std::os::unix::fs::PermissionsExt;

use super::*;
use crate::config::Config;

fn loaded(text: &str) -> Result<Loaded, ConfigError> {
    Config::parse(text)
        .map(|(config, unknown_keys)| Loaded {
            config,
            path: Some("/etc/motcua/motcua.toml".into()),
            unknown_keys,
        })
        .map_err(|message| ConfigError {
            path: "/etc/motcua/motcua.toml".into(),
            message,
        })
}

fn assert_check(c: &Check, name: &str, status: Status, reason: &str) {
    assert_eq!((c.name, c.status), (name, status), "{c:?}");
    assert!(c.detail.contains(reason), "{name}: `{reason}` not in {:?}", c.detail);
}

/// The defect of the issue: a misspelt key left the kiosk on its
/// default and doctor said PASS.
#[test]
fn a_misspelt_key_warns_with_the_nearest_key_and_fails_under_strict() {
    let c = config_check(&loaded("[kiosk]\nidle_timeout = 90\n"));
    assert_check(&c, "config", Status::Warn, "did you mean `[kiosk] idle_timeout_secs`?");
    assert!(c.detail.contains("line 2"), "{}", c.detail);
    let checks = [Check::pass("data dir", "ok"), c];
    let (text, ok) = table(&checks, false);
    assert!(ok, "a warning alone passes: {text}");
    assert!(text.starts_with("PASS") && text.contains("\nWARN  config"), "{text}");
    assert!(text.contains("1 warning(s)"), "{text}");
    let (text, ok) = table(&checks, true);
    assert!(!ok, "--strict fails on a warning: {text}");
    assert!(text.contains("--strict"), "{text}");
    // A clean configuration passes either way.
    let clean = [config_check(&loaded("[kiosk]\nidle_timeout_secs = 90\n"))];
    assert_eq!(clean[0].status, Status::Pass);
    assert!(table(&clean, true).1);
}

/// Every check run() makes has a case here where it does not pass,
/// and says why; a check added later without one fails this test.
#[test]
fn every_check_fails_for_its_own_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"not a folder").unwrap();
    let mut cases: Vec<(Check, Status, &str)> = Vec::new();

    cases.push((
        config_check(&loaded("[kiosk]\nidle_timeout_secs = 2\n")),
        Status::Fail,
        "15 to 3600",
    ));
    cases.push((
        config_check(&loaded("brandin = \"hanoi\"\n")),
        Status::Warn,
        "`branding`",
    ));

    // Form layouts that use a name no form fills.
    let forms = dir.path().join("forms.toml");
    std::fs::write(
        &forms,
        motcua_core::forms::BUILTIN.replace("name = \"{officer}\"", "name = \"{cán bộ}\""),
    )
    .unwrap();
    let mut broken = Config::default();
    broken.counter.forms = Some(forms.display().to_string());
    cases.push((
        forms_check(&broken),
        Status::Fail,
        "`{cán bộ}` is not a name this form fills",
    ));

    let open = dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    cases.push((data_dir_check(&open), Status::Fail, "writable by everyone"));
    cases.push((data_dir_check(&file.join("data")), Status::Fail, "cannot create"));

    cases.push((free_space_check(dir.path(), u64::MAX), Status::Fail, "MiB needed"));
    cases.push((free_space_check(&file.join("none"), 1), Status::Fail, "none"));

    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(broken.join(crate::store::DB_FILE), b"a shopping list, not a database").unwrap();
    cases.push((database_check(&broken), Status::Fail, "restore it or move it aside"));

    // Central's database: written by a newer motcua, or out of reach.
    let newer = dir.path().join("newer-central");
    std::fs::create_dir(&newer).unwrap();
    rusqlite::Connection::open(newer.join(motcua_central::db::DB_FILE))
        .unwrap()
        .execute_batch("PRAGMA user_version = 999")
        .unwrap();
    let mut central = Config {
        role: crate::config::Role::Central,
        ..Config::default()
    };
    cases.push((
        central_database_check(central_location(&newer, &central)),
        Status::Fail,
        "schema version 999, newer than this motcua knows",
    ));
    central.central.database = Some("postgres://motcua:s3cret@127.0.0.1:9/central".into());
    let unreachable = central_database_check(central_location(&newer, &central));
    assert!(!unreachable.detail.contains("s3cret"), "{unreachable:?}");
    cases.push((unreachable, Status::Fail, "postgres://motcua@127.0.0.1:9/central: "));
    central.central.database = Some("mysql://db/central".into());
    cases.push((
        central_database_check(central_location(&newer, &central)),
        Status::Fail,
        "`mysql://db/central`",
    ));

    let refused = dir.path().join("refused");
    {
        let mut store = crate::store::Store::open(&refused).unwrap();
        store.enqueue("dossier", "k1", "{}").unwrap();
        let id = store.enqueue("dossier", "k2", "{}").unwrap();
        store.mark_failed(id, "403 forbidden").unwrap();
    }
    cases.push((outbox_check(&refused), Status::Fail, "1 record(s) refused by central"));
    cases.push((outbox_check(&refused), Status::Fail, "motcua sync-status"));
    assert_eq!(loops_check(&refused).status, Status::Pass);
    crate::store::Store::open(&refused)
        .unwrap()
        .note_loop_failure("outbox sender", "panicked: boom", jiff::Timestamp::UNIX_EPOCH)
        .unwrap();
    cases.push((loops_check(&refused), Status::Warn, "outbox sender died 1 time(s)"));

    let planted = dir.path().join("planted");
    std::fs::create_dir(&planted).unwrap();
    let mut ring = crate::receipt::keys::Keyring::default();
    ring.add("000.00.01.H26", 1, &"ab".repeat(32));
    ring.add("000.00.01.H26", 1, &"cd".repeat(32));
    ring.save(&planted).unwrap();
    cases.push((keyring_check(&planted).unwrap(), Status::Warn, "1 downloaded key(s)"));

    // Nothing listens on port 9 of loopback: refused at once.
    let mut cfg = Config::default();
    cfg.central.url = Some("http://127.0.0.1:9".into());
    cfg.central.timeout_ms = 2000;
    let central = central_checks(&cfg, &dir.path().join("never-enrolled"));
    cases.push((central[0].clone(), Status::Fail, "not enrolled: run motcua enroll"));
    cases.push((central[2].clone(), Status::Fail, "http://127.0.0.1:9"));
    cases.push((central[3].clone(), Status::Fail, "central did not answer"));
    // Across the network: HTTPS, and this machine has no certificate.
    cfg.central.url = Some("https://127.0.0.1:9".into());
    let central = central_checks(&cfg, &dir.path().join("never-enrolled"));
    cases.push((
        central[1].clone(),
        Status::Fail,
        "none: run motcua enroll https://127.0.0.1:9",
    ));
    // Several addresses, one answering: a warning naming the other.
    let at = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    let answers = [("https://a:8686", Ok(at)), ("https://b:8686", Err(TimeError::NoDate))];
    cases.push((
        reach_check(&answers),
        Status::Warn,
        "not answering, devices move past it: https://b:8686",
    ));
    let later = at.checked_add(jiff::SignedDuration::from_secs(125)).unwrap();
    cases.push((clock_check(later, at), Status::Fail, "125 s from central's clock"));
    cases.push((clock_check(at, later), Status::Fail, "check NTP"));

    cases.push((
        printer_check(&Printer::Folder {
            path: file.join("spool"),
        }),
        Status::Fail,
        "a-file/spool",
    ));
    // A counter whose scanner program is not installed.
    let scanner = crate::scan::Scanner {
        program: "/nonexistent/scanimage".into(),
        device: Some("airscan:e0:Canon MF260".into()),
        env: Vec::new(),
    };
    cases.push((
        scanner_check(&scanner),
        Status::Fail,
        "airscan:e0:Canon MF260: not found",
    ));
    cases.push((
        fonts_check(&[("Broken Sans", b"not a font")]),
        Status::Fail,
        "Broken Sans cannot be read",
    ));

    for (check, status, reason) in &cases {
        assert_check(check, check.name, *status, reason);
    }
    // Every check of a full run is among them, a central's too.
    let mut all = run(&loaded(""), &cfg, dir.path());
    cfg.role = crate::config::Role::Central;
    all.extend(run(&loaded(""), &cfg, dir.path()));
    for c in &all {
        assert!(
            cases.iter().any(|(k, _, _)| k.name == c.name),
            "no failing case for `{}`",
            c.name
        );
    }
}

#[test]
fn the_good_cases_pass() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o750)).unwrap();
    assert_eq!(data_dir_check(dir.path()).status, Status::Pass);
    assert_eq!(free_space_check(dir.path(), 0).status, Status::Pass);
    assert_eq!(database_check(dir.path()).status, Status::Pass, "not created yet");
    assert_eq!(outbox_check(dir.path()).status, Status::Pass, "nothing recorded yet");
    assert!(
        !dir.path().join(crate::store::DB_FILE).exists(),
        "doctor does not create it"
    );
    crate::store::Store::open(dir.path())
        .unwrap()
        .enqueue("ticket", "k", "{}")
        .unwrap();
    assert_eq!(database_check(dir.path()).status, Status::Pass);
    assert_eq!(outbox_check(dir.path()).status, Status::Pass, "waiting is not refused");
    assert_eq!(keyring_check(dir.path()), None, "no keyring, no line");
    let mut ring = crate::receipt::keys::Keyring::default();
    ring.add("000.00.01.H26", 1, &"ab".repeat(32));
    ring.add("000.00.01.H26", 1, &"ab".repeat(32));
    ring.save(dir.path()).unwrap();
    let check = keyring_check(dir.path()).unwrap();
    assert_eq!(
        (check.status, check.detail.as_str()),
        (Status::Pass, "1 receipt key(s), 0 retired")
    );
    let at = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    assert_eq!(clock_check(at, at).status, Status::Pass);
    let check = reach_check(&[("https://a:8686", Ok(at)), ("https://b:8686", Ok(at))]);
    assert_eq!(
        (check.status, check.detail.as_str()),
        (Status::Pass, "https://a:8686, https://b:8686 answers")
    );
    assert_eq!(
        fonts_check(&[("Noto Sans", crate::fonts::FONT_REGULAR_BYTES)]).status,
        Status::Pass
    );
    // SANE's virtual scanner (sane-utils, which scripts/test installs).
    let sane = tempfile::tempdir().unwrap();
    std::fs::write(sane.path().join("dll.conf"), "test\n").unwrap();
    let mut scanner = crate::scan::Scanner {
        program: "scanimage".into(),
        device: Some("test:0".into()),
        env: vec![("SANE_CONFIG_DIR".into(), sane.path().display().to_string())],
    };
    let check = scanner_check(&scanner);
    assert_eq!(check.status, Status::Pass, "{check:?}");
    assert!(check.detail.contains("Flatbed, Feeder"), "{check:?}");
    scanner.device = None;
    let check = scanner_check(&scanner);
    assert_eq!(check.status, Status::Pass, "{check:?}");
    assert!(check.detail.contains("test:0"), "{check:?}");
    // Central's database: not there yet, this build's, an older one.
    let central = tempfile::tempdir().unwrap();
    let cfg = Config::default();
    let check = central_database_check(central_location(central.path(), &cfg));
    assert_eq!(check.status, Status::Pass, "{check:?}");
    assert!(check.detail.contains("not created yet"), "{check:?}");
    drop(motcua_central::db::Db::open(central.path(), 1024).unwrap());
    let check = central_database_check(central_location(central.path(), &cfg));
    assert_eq!(check.status, Status::Pass, "{check:?}");
    assert!(
        check
            .detail
            .ends_with(&format!("schema version {}", motcua_central::db::SCHEMA_VERSION)),
        "{check:?}"
    );
    rusqlite::Connection::open(central.path().join(motcua_central::db::DB_FILE))
        .unwrap()
        .execute_batch("PRAGMA user_version = 2")
        .unwrap();
    let check = central_database_check(central_location(central.path(), &cfg));
    assert_eq!(check.status, Status::Warn, "{check:?}");
    assert!(check.detail.contains("central upgrades it when it starts"), "{check:?}");
    let (text, ok) = table(&[Check::pass("fonts", "ok")], true);
    assert!(ok && text.contains("all checks passed"), "{text}");
}

/// A central of several addresses: each one asked, the check failing only
/// when none answers, and naming every one that does not.
#[test]
fn every_address_of_central_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = Config::default();
    cfg.central.urls = Some(vec!["http://127.0.0.1:9".into(), "http://127.0.0.1:7".into()]);
    let central = central_checks(&cfg, dir.path());
    assert_check(&central[2], "central", Status::Fail, "http://127.0.0.1:9: ");
    assert_check(&central[2], "central", Status::Fail, "; http://127.0.0.1:7: ");
    let at = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    let check = reach_check(&[("https://a:8686", Err(TimeError::NoDate)), ("https://b:8686", Ok(at))]);
    assert_check(&check, "central", Status::Warn, "https://b:8686 answers");
    assert_check(&check, "central", Status::Warn, "https://a:8686: no Date header");
}
