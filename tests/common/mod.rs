//! Shared helpers of the integration tests: a real central on 127.0.0.1,
//! enrolled devices, kiosks linked to it, and a fault-injecting proxy.

#![allow(dead_code)]

pub mod dvcqg;
pub mod proxy;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use motcua::store::Store;
use motcua::sync::{Client, Link};
use motcua_api::model::{Enrolled, Role};
use motcua_central::Running;

pub const OFFICE: &str = "000.00.01.H26";

pub fn start_central(dir: &Path) -> Running {
    start_central_at(
        dir,
        SocketAddr::from(([127, 0, 0, 1], 0)),
        &motcua_central::Options::default(),
    )
}

pub fn start_central_at(dir: &Path, addr: SocketAddr, options: &motcua_central::Options) -> Running {
    Running::start(addr, dir, options).expect("central starts")
}

/// Creates an enrollment token directly in central's database.
pub fn token(dir: &Path, office: &str, role: Role, name: &str) -> String {
    motcua_central::admin(dir, |c| motcua_central::auth::create_enrollment(c, office, role, name)).expect("a token")
}

/// Enrolls a device over HTTP, as `motcua enroll` does.
pub fn enroll(central: &Running, dir: &Path, office: &str, role: Role) -> Enrolled {
    let token = token(dir, office, role, "test device");
    runtime()
        .block_on(Client::enroll(&central.url(), &token))
        .expect("enrollment works")
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A kiosk's store and link, enrolled with central at `url`.
pub struct Kiosk {
    pub dir: tempfile::TempDir,
    pub link: Arc<Link>,
    pub store: Arc<Mutex<Store>>,
    pub enrolled: Enrolled,
}

pub fn kiosk(url: &str, enrolled: Enrolled, timeout: Duration) -> Kiosk {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Mutex::new(Store::open(dir.path()).unwrap()));
    let client = Client::new(url, &enrolled.credential, timeout);
    let link = Link::new(client, store.clone(), (&enrolled.device).into());
    Kiosk {
        dir,
        link,
        store,
        enrolled,
    }
}

/// Reads central's database directly, to check what arrived.
pub fn central_db(dir: &Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(dir.join("central.db")).unwrap();
    c.execute_batch("PRAGMA busy_timeout = 5000").unwrap();
    c
}

pub fn count(c: &rusqlite::Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Set to `1` to write (or rewrite) the snapshots a test renders.
pub const UPDATE_SNAPSHOTS: &str = "MOTCUA_UPDATE_SNAPSHOTS";

/// Checks a rendered screen against `tests/snapshots/<name>-<renderer>.png`.
///
/// iced_test writes a missing file and passes; here a missing snapshot
/// fails unless `MOTCUA_UPDATE_SNAPSHOTS=1` asks for it to be written, so
/// a screen nobody looked at cannot slip in. A screen that differs leaves
/// what it rendered beside the snapshot as `<name>-<renderer>-actual.png`
/// (ignored by git) to compare by eye.
pub fn assert_snapshot(shot: &iced_test::simulator::Snapshot, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    // Render into a scratch directory first: iced_test names the file
    // after its renderer, and that name is the one to look for.
    let scratch = tempfile::tempdir().expect("a scratch directory");
    shot.matches_image(scratch.path().join(name))
        .expect("the snapshot can be written");
    let rendered = std::fs::read_dir(scratch.path())
        .expect("the scratch directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("iced_test wrote the rendering");
    let file_name = rendered.file_name().expect("a file name").to_owned();
    let expected = dir.join(&file_name);
    let actual = dir.join(format!(
        "{}-actual.png",
        Path::new(&file_name).file_stem().expect("a stem").to_string_lossy()
    ));
    let _ = std::fs::remove_file(&actual);
    let update = std::env::var(UPDATE_SNAPSHOTS).is_ok_and(|v| !v.is_empty() && v != "0");
    if update {
        std::fs::create_dir_all(&dir).expect("the snapshot directory");
        std::fs::copy(&rendered, &expected).expect("the snapshot is written");
        return;
    }
    assert!(
        expected.exists(),
        "no snapshot {} for screen `{name}`: run with {UPDATE_SNAPSHOTS}=1, look at the new PNG and commit it",
        expected.display()
    );
    if !shot.matches_image(dir.join(name)).expect("the snapshot can be read") {
        let _ = std::fs::copy(&rendered, &actual);
        panic!(
            "screen `{name}` differs from {}; what it renders now is in {}",
            expected.display(),
            actual.display()
        );
    }
}

/// A dossier as a counter sends it (personal data made up).
pub fn dossier_json() -> serde_json::Value {
    serde_json::json!({
        "procedure_code": "1.001193",
        "procedure_name": "Thủ tục đăng ký khai sinh",
        "applicant": {"name": "Trần Văn Bình", "id_number": "001099012345", "kind": 1, "phone": "0987654321", "address": "5 Lý Thái Tổ"},
        "received_at": "2026-11-28T02:41:00Z",
        "due_at": "2026-11-28T10:00:00Z",
        "status": 2,
        "channel": 1,
    })
}
