//! What IT staff do on a kiosk, through the real `motcua` binary: enroll
//! against a real central (credential and catalog pulled), `motcua doctor`
//! on a healthy and a broken machine, and central telling systemd it is
//! ready and stopping.

use motcua_testkit as kit;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use motcua_api::model::Role;

fn motcua(args: &[&str], dir: &Path, config: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args([
            "--config",
            config.to_str().unwrap(),
            "--data-dir",
            dir.to_str().unwrap(),
        ])
        .args(args)
        .env_remove("MOTCUA_CONFIG")
        .output()
        .expect("motcua runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The doctor's verdict on one check: Some(true) for PASS.
fn verdict(table: &str, name: &str) -> Option<bool> {
    table.lines().find_map(|l| {
        let (mark, rest) = l.split_once("  ")?;
        rest.trim_start().starts_with(name).then(|| mark == "PASS")
    })
}

#[test]
fn an_enrolled_kiosk_passes_the_doctor_and_a_broken_one_fails_it_by_name() {
    let central_dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(central_dir.path());
    let kiosk = tempfile::tempdir().unwrap();
    let data = kiosk.path().join("data");
    let config = kiosk.path().join("motcua.toml");
    std::fs::write(&config, "device_name = \"Kiosk sảnh 1\"\n").unwrap();

    let token = kit::token(central_dir.path(), kit::OFFICE, Role::Kiosk, "Kiosk sảnh 1");
    let out = motcua(&["enroll", &central.url(), &token], &data, &config);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("procedures"), "{}", text(&out));
    let mode = std::fs::metadata(data.join("device.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the credential is the owner's alone");
    assert!(
        data.join(motcua::sync::CATALOG_FILE).exists(),
        "the office's catalog came with it"
    );
    // The token was for one use.
    let again = motcua(
        &["enroll", &central.url(), &token],
        &kiosk.path().join("other"),
        &config,
    );
    assert!(!again.status.success());

    let out = motcua(&["doctor"], &data, &config);
    let table = text(&out);
    assert!(out.status.success(), "{table}");
    for name in [
        "config",
        "data dir",
        "free space",
        "database",
        "outbox",
        "enrollment",
        "central",
        "clock",
        "printer",
        "fonts",
    ] {
        assert_eq!(verdict(&table, name), Some(true), "{name}: {table}");
    }

    // Now break it: an unknown key and a bad value, a world-writable data
    // directory, a damaged database, a printer that is not there, central gone.
    std::fs::write(
        &config,
        "device_nam = \"x\"\n[kiosk]\nidle_timeout_secs = 5\n[printer]\nkind = \"network\"\naddress = \"127.0.0.1:9\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::write(
        data.join(motcua::store::DB_FILE),
        b"this is not a database, it is a shopping list",
    )
    .unwrap();
    central.stop();
    let out = motcua(&["doctor"], &data, &config);
    let table = text(&out);
    assert!(!out.status.success(), "{table}");
    for name in ["config", "data dir", "database", "central", "clock"] {
        assert_eq!(verdict(&table, name), Some(false), "{name}: {table}");
    }
    assert!(
        table.contains("kiosk.idle_timeout_secs") && table.contains("line 3"),
        "{table}"
    );
    assert!(table.contains("check(s) failed"), "{table}");
    assert_eq!(verdict(&table, "fonts"), Some(true), "{table}");

    // The printer, with a good configuration: nothing listens on port 9.
    std::fs::write(&config, "[printer]\nkind = \"network\"\naddress = \"127.0.0.1:9\"\n").unwrap();
    let table = text(&motcua(&["doctor"], &data, &config));
    assert_eq!(verdict(&table, "printer"), Some(false), "{table}");
    assert_eq!(verdict(&table, "config"), Some(true), "{table}");
}

/// A misspelt key leaves the machine on a default: doctor warns and names
/// the key meant, `--strict` fails on it; records central refused for good
/// fail the doctor and point to `motcua sync-status`.
#[test]
fn doctor_warns_of_a_misspelt_key_and_fails_on_refused_records() {
    let kiosk = tempfile::tempdir().unwrap();
    let data = kiosk.path().join("data");
    let spool = kiosk.path().join("spool");
    std::fs::create_dir_all(&spool).unwrap();
    let config = kiosk.path().join("motcua.toml");
    std::fs::write(
        &config,
        format!(
            "[kiosk]\nidle_timeout = 90\n[printer]\nkind = \"folder\"\npath = \"{}\"\n",
            spool.display()
        ),
    )
    .unwrap();
    let out = motcua(&["doctor"], &data, &config);
    let table = text(&out);
    assert!(out.status.success(), "a warning alone passes: {table}");
    let line = table.lines().find(|l| l.contains("config")).unwrap();
    assert!(line.starts_with("WARN"), "{table}");
    assert!(line.contains("did you mean `[kiosk] idle_timeout_secs`?"), "{table}");
    let out = motcua(&["doctor", "--strict"], &data, &config);
    assert!(!out.status.success(), "--strict fails on the warning: {}", text(&out));

    // Fixed, it passes even under --strict.
    std::fs::write(
        &config,
        format!(
            "[kiosk]\nidle_timeout_secs = 90\n[printer]\nkind = \"folder\"\npath = \"{}\"\n",
            spool.display()
        ),
    )
    .unwrap();
    let out = motcua(&["doctor", "--strict"], &data, &config);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(verdict(&text(&out), "outbox"), Some(true), "{}", text(&out));

    // A dossier central refused for good.
    {
        let mut store = motcua::store::Store::open(&data).unwrap();
        let id = store.enqueue("dossier", "k1", "{}").unwrap();
        store.mark_failed(id, "403: forbidden").unwrap();
    }
    let out = motcua(&["doctor"], &data, &config);
    let table = text(&out);
    assert!(!out.status.success(), "{table}");
    assert_eq!(verdict(&table, "outbox"), Some(false), "{table}");
    assert!(
        table.contains("1 record(s) refused by central") && table.contains("motcua sync-status"),
        "{table}"
    );
}

#[test]
fn central_tells_systemd_when_it_is_ready_and_when_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let socket_path = dir.path().join("notify");
    let socket = std::os::unix::net::UnixDatagram::bind(&socket_path).unwrap();
    // A bound on the wait, not a sleep: the test fails if nothing comes.
    socket.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["--data-dir", dir.path().join("central").to_str().unwrap()])
        .args(["central", "--listen", "127.0.0.1:0"])
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "30000000")
        .env_remove("MOTCUA_CONFIG")
        .spawn()
        .unwrap();
    let mut buf = [0u8; 512];
    let n = socket.recv(&mut buf).expect("central says it is ready");
    let first = String::from_utf8_lossy(&buf[..n]).to_string();
    assert!(first.contains("READY=1") && first.contains("WATCHDOG=1"), "{first}");
    // SAFETY: sending SIGTERM to our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let mut said = Vec::new();
    while let Ok(n) = socket.recv(&mut buf) {
        let m = String::from_utf8_lossy(&buf[..n]).to_string();
        let stopping = m.contains("STOPPING=1");
        said.push(m);
        if stopping {
            break;
        }
    }
    assert!(said.iter().any(|m| m.contains("STOPPING=1")), "{said:?}");
    assert!(child.wait().unwrap().success(), "central stops cleanly on SIGTERM");
}

#[test]
fn doctor_reads_the_offices_form_layouts_and_names_a_broken_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let spool = dir.path().join("spool");
    std::fs::create_dir_all(&spool).unwrap();
    let forms = dir.path().join("forms.toml");
    let config = dir.path().join("motcua.toml");
    std::fs::write(
        &config,
        format!(
            "[counter]\nforms = \"{}\"\n[printer]\nkind = \"folder\"\npath = \"{}\"\n",
            forms.display(),
            spool.display()
        ),
    )
    .unwrap();
    std::fs::write(&forms, motcua_core::forms::BUILTIN).unwrap();
    let table = text(&motcua(&["doctor"], &data, &config));
    assert_eq!(verdict(&table, "forms"), Some(true), "{table}");
    // A typo in a placeholder: named with its line, the machine fails.
    let typo = motcua_core::forms::BUILTIN.replacen("name = \"{applicant}\"", "name = \"{aplicant}\"", 1);
    assert_ne!(typo, motcua_core::forms::BUILTIN);
    std::fs::write(&forms, typo).unwrap();
    let out = motcua(&["doctor"], &data, &config);
    let table = text(&out);
    assert!(!out.status.success(), "{table}");
    assert_eq!(verdict(&table, "forms"), Some(false), "{table}");
    let line = table.lines().find(|l| l.contains("forms")).unwrap();
    assert!(line.contains("{aplicant}") && line.contains("line "), "{line}");
}
