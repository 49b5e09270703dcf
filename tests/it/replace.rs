//! Replacing a broken kiosk as the README says: revoke the old device,
//! enroll the new one as its successor, copy the old data directory over;
//! what the old machine left unsent goes out from the new one, once.
//! Every step is the real command line against a real central.

use motcua_testkit as kit;

use std::path::Path;
use std::process::{Command, Output};

use jiff::Timestamp;
use kit::*;

const ISSUED: Timestamp = Timestamp::constant(1_795_831_200, 0); // 2026-11-28 09:00 in Hà Nội
use motcua::store::{Store, TicketRequest};
use motcua::sync::device::DeviceFile;
use motcua_core::queue::Lane;

fn motcua(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["--config", "/dev/null", "--data-dir", data.to_str().unwrap()])
        .args(args)
        .env_remove("MOTCUA_CONFIG")
        .env("MOTCUA_LOG", "warn")
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn token(central: &Path, name: &str, replaces: Option<i64>) -> String {
    let mut args = vec![
        "central", "enroll", "--office", OFFICE, "--role", "kiosk", "--name", name,
    ];
    let old = replaces.map(|r| r.to_string());
    if let Some(r) = &old {
        args.extend(["--replaces", r]);
    }
    ok(motcua(central, &args)).trim().to_string()
}

fn enroll(data: &Path, url: &str, token: &str) -> DeviceFile {
    ok(motcua(data, &["enroll", url, token]));
    DeviceFile::load(data).unwrap().unwrap()
}

/// Tickets issued while central was out of reach, in the device's slot.
fn offline_tickets(data: &Path, device: &DeviceFile, n: usize) {
    let mut store = Store::open(data).unwrap();
    store
        .set_device(device.device_id, &["ticket", "void", "rating"], true)
        .unwrap();
    let request = TicketRequest {
        group: "A".into(),
        lane: Lane::Normal,
        procedure: None,
    };
    for _ in 0..n {
        // The kiosk's own clock, whatever it said: central places offline
        // tickets on its own clock between the device's enrollment and now.
        store.issue(&request, device.slot, ISSUED, None).unwrap();
    }
}

/// Central on loopback and a kiosk enrolled with it, the one to replace.
struct Office {
    dir: tempfile::TempDir,
    central: std::path::PathBuf,
    _running: motcua_central::Running,
    url: String,
    old_dir: std::path::PathBuf,
    old: DeviceFile,
}

impl Office {
    fn start(kiosk: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let central = dir.path().join("central");
        let running = start_central(&central);
        let url = running.url();
        let old_dir = dir.path().join("old");
        let old = enroll(&old_dir, &url, &token(&central, kiosk, None));
        Self {
            dir,
            central,
            _running: running,
            url,
            old_dir,
            old,
        }
    }
}

/// A copy of the old machine's data directory, all but its credential.
fn copy_data(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "device.json" && entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn a_replaced_kiosk_sends_what_the_old_one_left_once() {
    let Office {
        dir,
        central: c,
        url,
        old_dir,
        old,
        _running,
    } = Office::start("Kiosk sảnh 1");
    // The old kiosk delivered three tickets, then was cut off, issued four
    // more, and broke.
    offline_tickets(&old_dir, &old, 3);
    ok(motcua(&old_dir, &["dev", "sync"]));
    offline_tickets(&old_dir, &old, 4);

    // The README: revoke the old device, a token naming what it replaces,
    // the old data directory copied over, enroll, start.
    ok(motcua(
        &c,
        &["central", "revoke", "--device", &old.device_id.to_string()],
    ));
    let new_dir = dir.path().join("new");
    copy_data(&old_dir, &new_dir);
    let new = enroll(&new_dir, &url, &token(&c, "Kiosk sảnh 1 (thay)", Some(old.device_id)));
    assert_ne!(new.slot, old.slot, "the new machine numbers in its own slot");
    let sent = ok(motcua(&new_dir, &["dev", "sync"]));
    assert_eq!(sent.lines().filter(|l| l.starts_with("sent")).count(), 4, "{sent}");
    let status = ok(motcua(&new_dir, &["sync-status"]));
    assert!(
        status.contains("waiting to send: 0") && status.contains("refused by central: 0"),
        "{status}"
    );

    let db = central_db(&c);
    assert_eq!(count(&db, "SELECT count(*) FROM tickets"), 7, "each ticket once");
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) FROM tickets WHERE slot = {} AND device_id = {}",
                old.slot, old.device_id
            )
        ),
        7,
        "kept as the old device's, in its slot"
    );
    // Its own new tickets go out under its own slot as ever; the old slot
    // is not its to go on issuing in.
    offline_tickets(&new_dir, &new, 1);
    ok(motcua(&new_dir, &["dev", "sync"]));
    assert_eq!(
        count(&db, &format!("SELECT count(*) FROM tickets WHERE slot = {}", new.slot)),
        1
    );
}

#[test]
fn a_successor_named_after_the_fact_sends_what_was_refused_once_told_to_retry() {
    let Office {
        dir,
        central: c,
        url,
        old_dir,
        old,
        _running,
    } = Office::start("Kiosk sảnh 2");
    offline_tickets(&old_dir, &old, 2);
    let new_dir = dir.path().join("new");
    copy_data(&old_dir, &new_dir);
    // Enrolled without naming what it replaces: central refuses the old
    // slot's tickets, and says so.
    let new = enroll(&new_dir, &url, &token(&c, "Kiosk sảnh 2 (thay)", None));
    let out = ok(motcua(&new_dir, &["dev", "sync"]));
    assert_eq!(out.lines().filter(|l| l.starts_with("failed")).count(), 2, "{out}");
    let status = motcua(&new_dir, &["sync-status"]);
    assert!(!status.status.success(), "refused records make sync-status fail");
    let doctor = motcua(&new_dir, &["doctor"]);
    let table = String::from_utf8_lossy(&doctor.stdout);
    assert!(
        !doctor.status.success() && table.contains("2 record(s) refused by central"),
        "and the doctor: {table}"
    );

    // IT staff name the successor, then put the refused records back.
    let replaced = ok(motcua(
        &c,
        &[
            "central",
            "replace",
            "--device",
            &old.device_id.to_string(),
            "--with",
            &new.device_id.to_string(),
        ],
    ));
    assert!(replaced.contains("replaces"), "{replaced}");
    ok(motcua(&new_dir, &["sync-status", "--retry"]));
    let out = ok(motcua(&new_dir, &["dev", "sync"]));
    assert_eq!(out.lines().filter(|l| l.starts_with("sent")).count(), 2, "{out}");
    assert_eq!(count(&central_db(&c), "SELECT count(*) FROM tickets"), 2);
    // The old device was revoked by the replacement; a second replacement
    // of it is refused.
    let again = motcua(
        &c,
        &[
            "central",
            "replace",
            "--device",
            &old.device_id.to_string(),
            "--with",
            &new.device_id.to_string(),
        ],
    );
    assert!(!again.status.success());
}

#[test]
fn an_office_is_enrolled_under_an_agency_code_of_the_national_format_only() {
    let dir = tempfile::tempdir().unwrap();
    let central = dir.path().join("central");
    for bad in ["HK1", "H26.2.15", "000.00.01"] {
        let out = motcua(
            &central,
            &[
                "central", "enroll", "--office", bad, "--role", "kiosk", "--name", "Kiosk",
            ],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{bad} was taken");
        assert!(err.contains("--office") && err.contains("QĐ 20/2020"), "{err}");
        // Nothing was made for it: no token.
        assert!(out.stdout.is_empty(), "{bad}");
    }
    // Both orders of the format are taken.
    for good in ["H26.22.15", OFFICE] {
        ok(motcua(
            &central,
            &[
                "central", "enroll", "--office", good, "--role", "kiosk", "--name", "Kiosk",
            ],
        ));
    }
}
