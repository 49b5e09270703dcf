//! The configuration file: parsing, defaults, unknown keys and the
//! messages that name a bad key and its line.

use super::*;

#[test]
fn empty_means_defaults() {
    let (c, unknown) = Config::parse("").unwrap();
    assert_eq!(c, Config::default());
    assert!(unknown.is_empty());
}

#[test]
fn values_are_read_and_unknown_keys_listed() {
    let (c, unknown) = Config::parse(
        "language = \"en\"\nbrandin = \"x\"\n[kiosk]\nidle_timeout_secs = 90\ncolour = 1\n[queue]\npriority_every = 2\n",
    )
    .unwrap();
    assert_eq!(c.language, Lang::En);
    assert_eq!(c.kiosk.idle_timeout_secs, 90);
    assert_eq!(c.priority_policy().every, 2);
    let found: Vec<String> = unknown.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "line 2: `brandin` (did you mean `branding`? / có phải là `branding`?)",
            "line 5: `kiosk.colour`"
        ]
    );
}

#[test]
fn deployment_keys_are_read() {
    let text = "role = \"board\"\ndevice_name = \"Màn hình sảnh\"\norientation = \"landscape\"\n\
                [retention]\ndays = 30\n[admin]\nexit_pin_hash = \"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo\"\n";
    let (c, unknown) = Config::parse(text).unwrap();
    assert!(unknown.is_empty(), "{unknown:?}");
    assert_eq!((c.role, c.orientation), (Role::Board, Orientation::Landscape));
    assert_eq!(c.device_name, "Màn hình sảnh");
    assert_eq!(c.retention.days, 30);
    assert!(c.admin.exit_pin_hash.is_some());
    assert_eq!(Config::default().retention.days, 7);
}

#[test]
fn every_broken_value_names_its_key_and_line() {
    for (text, key, line) in [
        ("role = \"printer\"\n", "role", 1),
        ("\norientation = \"sideways\"\n", "orientation", 2),
        ("[retention]\ndays = 0\n", "retention.days", 2),
        ("[retention]\ndays = \"a week\"\n", "days", 2),
        ("[admin]\nexit_pin_hash = \"1234\"\n", "admin.exit_pin_hash", 2),
        ("device_name = \"", "device_name", 1),
        ("[kiosk]\n\nidle_timeout_secs = 1\n", "kiosk.idle_timeout_secs", 3),
        ("[counter]\ncutoff = \"late\"\n", "counter.cutoff", 2),
        ("[central]\nurl = \"http://10.0.0.5:8686\"\n", "central.url", 2),
        ("[queue]\npriority_every = -1\n", "priority_every", 2),
    ] {
        let e = Config::parse(text).unwrap_err();
        assert!(e.contains(key), "{text:?}: {e}");
        assert!(e.contains(&format!("line {line}")), "{text:?}: {e}");
    }
}

#[test]
fn invalid_values_name_the_key() {
    let e = Config::parse("[kiosk]\nidle_timeout_secs = 2\n").unwrap_err();
    assert!(e.contains("kiosk.idle_timeout_secs") && e.contains("15 to 3600"), "{e}");
    let e = Config::parse("language = \"fr\"\n").unwrap_err();
    assert!(e.contains("language") || e.contains("fr"), "{e}");
    let e = Config::parse("[kiosk]\nidle_timeout_secs = \"soon\"\n").unwrap_err();
    assert!(e.contains("idle_timeout_secs"), "{e}");
    let e = Config::parse("office_code = \"văn phòng\"\n").unwrap_err();
    assert!(e.contains("office_code"), "{e}");
    // The agency code's format (QĐ 20/2020), in either order, and what is
    // wrong with it named.
    for good in ["H26.22.15", "000.00.01.H26", "H26.123.45"] {
        let (c, _) = Config::parse(&format!("office_code = \"{good}\"\n")).unwrap();
        assert_eq!(c.office_code, good);
    }
    let e = Config::parse("office_code = \"H26.2.15\"\n").unwrap_err();
    assert!(
        e.contains("office_code") && e.contains("level `2`") && e.contains("line 1"),
        "{e}"
    );
    let e = Config::parse("office_code = \"00.01.02\"\n").unwrap_err();
    assert!(e.contains("office_code") && e.contains("A–Y"), "{e}");
    let e = Config::parse(&format!("office_code = \"H26{}\"\n", ".001".repeat(9))).unwrap_err();
    assert!(e.contains("office_code") && e.contains("at most 35"), "{e}");
    let e = Config::parse("[central]\nurl = \"ftp://x\"\n").unwrap_err();
    assert!(e.contains("central.url"), "{e}");
    let (c, _) = Config::parse("[central]\nurl = \"https://10.0.0.5:8686\"\n").unwrap();
    assert_eq!(c.central.url.as_deref(), Some("https://10.0.0.5:8686"));
    let (c, _) = Config::parse("[central]\nurl = \"http://127.0.0.1:8686\"\n").unwrap();
    assert_eq!(c.central.url.as_deref(), Some("http://127.0.0.1:8686"));
    let e = Config::parse("[central]\nurl = \"http://10.0.0.5:8686\"\n").unwrap_err();
    assert!(e.contains("https://"), "{e}");
}

#[test]
fn a_counter_number_is_what_the_hall_can_show_and_speak() {
    for ok in ["3", "12A", "Quầy 3", "Quầy 12", "B-2"] {
        let (c, _) = Config::parse(&format!("[counter]\nnumber = \"{ok}\"\n")).unwrap();
        assert_eq!(c.counter.number, ok);
    }
    for bad in ["", " 3", "3/A", "3; xin mời", "123456789", "3\\n"] {
        let e = Config::parse(&format!("[counter]\nnumber = \"{bad}\"\n")).unwrap_err();
        assert!(
            e.contains("counter.number") && e.contains("letters, digits"),
            "{bad:?}: {e}"
        );
        let e = Config::parse(&format!("[kiosk]\ncounter_display = \"{bad}\"\n")).unwrap_err();
        assert!(e.contains("kiosk.counter_display"), "{bad:?}: {e}");
    }
}

#[test]
fn a_misspelt_key_gets_the_nearest_known_one() {
    let suggestion = |text: &str| {
        let (_, unknown) = Config::parse(text).unwrap();
        assert_eq!(unknown.len(), 1, "{text}: {unknown:?}");
        unknown[0].suggestion.clone()
    };
    // The key of the issue: a kiosk left on the default 60 s.
    let (c, unknown) = Config::parse("[kiosk]\nidle_timeout = 90\n").unwrap();
    assert_eq!(c.kiosk.idle_timeout_secs, 60, "the misspelt key did nothing");
    assert_eq!(
        unknown[0].to_string(),
        "line 2: `kiosk.idle_timeout` (did you mean `[kiosk] idle_timeout_secs`? / có phải là `[kiosk] idle_timeout_secs`?)"
    );
    // In the wrong table, a letter short, a table misspelt.
    assert_eq!(
        suggestion("idle_timeout_secs = 90\n").as_deref(),
        Some("[kiosk] idle_timeout_secs")
    );
    assert_eq!(suggestion("brandin = \"hanoi\"\n").as_deref(), Some("branding"));
    assert_eq!(
        suggestion("[central]\ntimeout = 500\n").as_deref(),
        Some("[central] timeout_ms")
    );
    assert_eq!(suggestion("[kiosks]\nfullscreen = true\n").as_deref(), Some("[kiosk]"));
    assert_eq!(
        suggestion("[retention]\nday = 30\n").as_deref(),
        Some("[retention] days")
    );
    // Nothing near: no guess.
    assert_eq!(suggestion("[kiosk]\ncolour = \"red\"\n"), None);
}

#[test]
fn every_known_key_is_read_and_none_is_missing() {
    let known = known_keys();
    for key in [
        "office_code",
        "catalog",
        "data_dir",
        "printer",
        "kiosk.idle_timeout_secs",
        "kiosk.counter_display",
        "central.url",
        "central.timeout_ms",
        "counter.collect_at",
        "retention.days",
        "admin.exit_pin_hash",
        "queue.priority_every",
    ] {
        assert!(known.iter().any(|k| k == key), "{key} in {known:?}");
    }
    // Written out whole, every key is read back and none is unknown.
    let text = toml::to_string(&every_key_set()).unwrap();
    let (read, unknown) = Config::parse(&text).unwrap();
    assert!(unknown.is_empty(), "{unknown:?}");
    assert_eq!(read, every_key_set());
}

#[test]
fn centrals_database_is_postgres_or_sqlite_and_never_echoed() {
    let (c, _) = Config::parse("[central]\ndatabase = \"postgres://motcua@db:5432/central\"\n").unwrap();
    assert_eq!(c.central.database.as_deref(), Some("postgres://motcua@db:5432/central"));
    let e = Config::parse("[central]\ndatabase = \"mysql://u:s3cret@db/central\"\n").unwrap_err();
    assert!(e.contains("central.database") && e.contains("line 2"), "{e}");
    assert!(!e.contains("s3cret"), "the password is not repeated: {e}");
}
