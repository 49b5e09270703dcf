//! Start-up with bad input: never a panic, always a fault that names the
//! path, and the command-line tools for IT staff.

use std::path::Path;
use std::process::Command;

use motcua::setup::{Fault, Options, prepare};
use motcua::store::StoreError;
use motcua_testkit as kit;

fn options(dir: &Path) -> Options {
    // An explicit (empty) configuration, so the machine's own is not read.
    let config = dir.join("motcua.toml");
    if !config.exists() {
        std::fs::write(&config, "").unwrap();
    }
    Options {
        config: Some(config),
        data_dir: Some(dir.join("data")),
        ..Options::default()
    }
}

#[test]
fn defaults_start_a_serving_kiosk() {
    let dir = tempfile::tempdir().unwrap();
    let setup = prepare(&options(dir.path()));
    let ready = setup.ready.expect("serving");
    assert!(ready.catalog.demo);
    assert!(dir.path().join("data/motcua.db").exists());
    assert!(setup.brand_error.is_none());
}

#[test]
fn a_corrupt_database_is_a_fault_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/motcua.db"), [0xFFu8; 4096]).unwrap();
    let setup = prepare(&options(dir.path()));
    match setup.ready {
        Err(Fault::Store(StoreError::Corrupt { path, .. })) => assert_eq!(path, dir.path().join("data/motcua.db")),
        other => panic!("expected a corrupt-database fault, got {other:?}"),
    }
    // The damaged file is left as it was for IT staff to look at.
    assert_eq!(
        std::fs::read(dir.path().join("data/motcua.db")).unwrap(),
        vec![0xFFu8; 4096]
    );
}

#[test]
fn a_data_dir_that_is_a_file_is_a_fault() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data"), "not a directory").unwrap();
    let setup = prepare(&options(dir.path()));
    assert!(
        matches!(setup.ready, Err(Fault::Store(StoreError::DataDir { .. }))),
        "{:?}",
        setup.ready.err()
    );
}

/// Set in the copy of this test that runs without root's privileges: the
/// directory prepared by the parent.
const READ_ONLY_CHILD: &str = "MOTCUA_TEST_READ_ONLY_DIR";
/// The unprivileged user the read-only check runs as when the tests run as
/// root (as in CI): `nobody`.
const NOBODY: u32 = 65534;

/// A data directory the kiosk cannot write to is a fault naming it.
///
/// Root writes through a mode of 0555, so run as root this test runs
/// itself again as `nobody` (the read-only directory still belongs to
/// root): the real read-only path is taken either way, never skipped.
#[test]
fn a_read_only_data_dir_is_a_fault() {
    if let Ok(dir) = std::env::var(READ_ONLY_CHILD) {
        return read_only_data_dir_is_a_fault(Path::new(&dir));
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // Others may enter the test's directory and read its configuration;
    // only the data directory is read-only.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let _ = options(dir.path());
    std::fs::set_permissions(dir.path().join("motcua.toml"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    let privileged = std::fs::write(data.join("probe"), b"x").is_ok();
    if !privileged {
        read_only_data_dir_is_a_fault(dir.path());
    } else {
        use std::os::unix::process::CommandExt;
        let _ = std::fs::remove_file(data.join("probe"));
        // A copy of this test binary that `nobody` can run wherever the
        // checkout lives (a clone under a private home would not do).
        let exe = dir.path().join("startup-as-nobody");
        std::fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        kit::run_alone(&exe, "startup::a_read_only_data_dir_is_a_fault", |child| {
            child
                .env(READ_ONLY_CHILD, dir.path())
                .env("HOME", dir.path())
                .uid(NOBODY)
                .gid(NOBODY);
        });
    }
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn read_only_data_dir_is_a_fault(dir: &Path) {
    let data = dir.join("data");
    assert!(
        std::fs::write(data.join("probe"), b"x").is_err(),
        "{} is writable: the test would prove nothing",
        data.display()
    );
    let setup = prepare(&options(dir));
    match setup.ready {
        Err(Fault::Store(StoreError::ReadOnly { path })) => assert_eq!(path, data),
        other => panic!("expected a read-only fault, got {:?}", other.err()),
    }
}

#[test]
fn a_missing_or_invalid_catalog_is_a_fault() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(dir.path());
    opts.catalog = Some(dir.path().join("nowhere.toml"));
    assert!(matches!(prepare(&opts).ready, Err(Fault::CatalogUnreadable { .. })));

    std::fs::write(
        dir.path().join("bad.toml"),
        "[catalog]\nname = \"x\"\n[[procedures]]\ncode = 5\n",
    )
    .unwrap();
    opts.catalog = Some(dir.path().join("bad.toml"));
    match prepare(&opts).ready {
        Err(Fault::CatalogInvalid { path, problems }) => {
            assert_eq!(path, dir.path().join("bad.toml"));
            assert!(problems.0.len() >= 3, "{problems}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_invalid_config_is_a_fault_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("motcua.toml"), "[queue]\npriority_every = 99\n").unwrap();
    match prepare(&options(dir.path())).ready {
        Err(Fault::Config(e)) => assert!(e.message.contains("queue.priority_every"), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_broken_theme_falls_back_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(dir.path());
    opts.branding = Some("no-such-city".into());
    let setup = prepare(&opts);
    assert!(setup.ready.is_ok(), "the kiosk still serves");
    assert_eq!(setup.brand.name, "hanoi");
    assert!(setup.brand_error.unwrap().to_string().contains("no-such-city"));
}

fn motcua(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(args)
        .env("MOTCUA_LOG", "error")
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn catalog_check_exits_0_on_the_demo_and_1_on_a_bad_file() {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/catalog/demo-hanoi.toml");
    let (ok, out) = motcua(&["catalog", "check", demo]);
    assert!(ok, "{out}");
    assert!(out.contains("OK"), "{out}");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[catalog]\nname = \"x\"\n[[groups]]\nletter = \"A\"\nname = \"A\"\n[[fields]]\nid = \"f\"\nname = \"F\"\n\
         [[procedures]]\ncode = \"1.000001\"\nname = \"Một\"\nfield = \"g\"\nlevel = \"xa\"\nprocessing_days = 1\ngroup = \"B\"\n\
         agency = \"x\"\nresult = \"y\"\n[[procedures.documents]]\nname = \"d\"\noriginals = 1\ncopies = 0\n",
    )
    .unwrap();
    let (ok, out) = motcua(&["catalog", "check", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        out.contains("unknown field `g`") && out.contains("unknown group `B`"),
        "{out}"
    );
    assert!(out.contains("line 9:"), "problems name the line of their entry: {out}");

    let (ok, _) = motcua(&["catalog", "check", "/nonexistent.toml"]);
    assert!(!ok);
}

#[test]
fn catalog_search_prints_what_the_kiosk_finds() {
    let (ok, out) = motcua(&["catalog", "search", "dang", "ky", "khai", "sinh"]);
    assert!(ok);
    let first = out.lines().next().unwrap();
    assert!(first.contains("khai sinh"), "{out}");
    let (ok, out) = motcua(&["catalog", "search", "zzzzqqq"]);
    assert!(ok);
    assert_eq!(out.trim(), "(no results)");
}
