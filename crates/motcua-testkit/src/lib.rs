//! What the integration tests (`tests/it`) and the benches (`benches/`)
//! share: a real central on 127.0.0.1, devices enrolled with it, kiosks
//! linked to it, a fault-injecting proxy, the portal emulator, the
//! screens' snapshots, SANE's virtual scanner and the benches' percentiles.
//!
//! A dev-only crate (never published) so that the one test binary and
//! every bench build these helpers once and name them the same way.

pub mod bench;
pub mod dvcqg;
pub mod proxy;
pub mod sane;
pub mod tunnel;
pub mod ui;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use motcua::store::Store;
use motcua::sync::{Client, Link};
use motcua_api::model::{Device, Enrolled, Role};
use motcua_central::Running;

pub const OFFICE: &str = "000.00.01.H26";

/// The workspace's root directory, where `tests/` and `assets/` are.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the testkit lives in crates/ of the workspace")
        .to_path_buf()
}

/// Central on an unused port of 127.0.0.1, with its default options.
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

/// Enrolls a device of `OFFICE` named `name` directly in central's
/// database (no HTTP): its device record and credential.
pub fn enroll_direct(dir: &Path, role: Role, name: &str) -> (Device, String) {
    motcua_central::admin(dir, |c| {
        let token = motcua_central::auth::create_enrollment(c, OFFICE, role, name)?;
        motcua_central::auth::enroll(c, &token)
    })
    .unwrap()
}

/// A test's own clock: one instant per test (libtest runs each test on its
/// own thread), taken at its first record, after its devices enrolled, so
/// central (on the system clock) takes its offline records as recent;
/// every record of the test is stamped with it, so the test never sees two
/// office days of its own making. Central stamps with its own clock; its
/// day is read from its answers.
pub fn test_instant() -> jiff::Timestamp {
    thread_local!(static AT: jiff::Timestamp = jiff::Timestamp::now());
    AT.with(|at| *at)
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
    kiosk_at(&[url.to_string()], enrolled, timeout)
}

/// A kiosk whose client knows central at each of `urls` (several central
/// processes), starting at the first.
pub fn kiosk_at(urls: &[String], enrolled: Enrolled, timeout: Duration) -> Kiosk {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Mutex::new(Store::open(dir.path()).unwrap()));
    let client = Client::new(&urls[0], &enrolled.credential, timeout).with_addresses(urls);
    let link = Link::new(client, store.clone(), (&enrolled.device).into());
    Kiosk {
        dir,
        link,
        store,
        enrolled,
    }
}

/// Central's database, read directly to check what arrived: the SQLite
/// file of the data directory, or the PostgreSQL database it names.
pub struct CentralDb {
    dir: std::path::PathBuf,
}

/// Reads central's database directly, to check what arrived.
pub fn central_db(dir: &Path) -> CentralDb {
    CentralDb { dir: dir.to_path_buf() }
}

impl CentralDb {
    fn with<T: Send>(
        &self,
        f: impl FnOnce(&motcua_central::sql::Conn) -> motcua_central::sql::Result<T> + Send,
    ) -> motcua_central::sql::Result<T> {
        let mut failed = None;
        let answer = motcua_central::admin(&self.dir, |c| match f(c) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                failed = Some(e);
                Ok(None)
            }
        })
        .map_err(|e| motcua_central::sql::Error::Other(e.to_string()))?;
        match (answer, failed) {
            (Some(v), _) => Ok(v),
            (None, Some(e)) => Err(e),
            (None, None) => Err(motcua_central::sql::Error::NoRows),
        }
    }

    /// Changes rows directly (a test setting the scene).
    pub fn execute<P: motcua_central::sql::Params>(&self, sql: &str, params: P) -> motcua_central::sql::Result<usize> {
        let values = params.values();
        self.with(|c| c.execute(sql, values))
    }

    /// The first row of `sql`, read by `f`.
    pub fn query_row<T: Send, P: motcua_central::sql::Params>(
        &self,
        sql: &str,
        params: P,
        f: impl FnOnce(&motcua_central::sql::Row) -> motcua_central::sql::Result<T> + Send,
    ) -> motcua_central::sql::Result<T> {
        let values = params.values();
        self.with(|c| c.query_row(sql, values, f))
    }

    pub fn prepare(&self, sql: &str) -> motcua_central::sql::Result<Prepared<'_>> {
        Ok(Prepared {
            db: self,
            sql: sql.to_string(),
        })
    }
}

/// A statement on [`CentralDb`].
pub struct Prepared<'a> {
    db: &'a CentralDb,
    sql: String,
}

impl Prepared<'_> {
    pub fn query_map<T: Send, P: motcua_central::sql::Params>(
        &mut self,
        params: P,
        f: impl FnMut(&motcua_central::sql::Row) -> motcua_central::sql::Result<T> + Send,
    ) -> motcua_central::sql::Result<std::vec::IntoIter<motcua_central::sql::Result<T>>> {
        let values = params.values();
        let sql = self.sql.clone();
        let rows = self.db.with(move |c| c.rows(&sql, values))?;
        let mut f = f;
        Ok(rows.iter().map(&mut f).collect::<Vec<_>>().into_iter())
    }
}

pub fn count(c: &CentralDb, sql: &str) -> i64 {
    c.query_row(sql, (), |r| r.get(0)).unwrap()
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

/// What an ordinary QR reader (`zbarimg`, from Debian's zbar-tools) reads
/// in the image `png`.
pub fn zbarimg(png: &Path) -> String {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(png)
        .output()
        .expect("zbarimg is installed (scripts/test installs zbar-tools)");
    assert!(out.status.success(), "zbarimg found no code in {}", png.display());
    String::from_utf8(out.stdout).unwrap().trim_end().to_string()
}

/// Every code zbarimg reads in an image, one text each (a page may carry
/// several, such as a receipt's and its fee's).
pub fn zbarimg_all(png: &Path) -> Vec<String> {
    zbarimg(png).lines().map(str::to_string).collect()
}

/// Runs the one test `name` (its full path in the test binary, such as
/// `counter_ui::a_test`) again in a process of its own, from `exe` (the
/// test binary or a copy of it), with `configure` adding what the child
/// needs (an environment variable telling it that it is the child, a
/// user); asserts that it ran and passed.
///
/// For what must own its process: a global logger, or another user's
/// privileges. The tests of the one binary otherwise share a process.
pub fn run_alone(exe: &Path, name: &str, configure: impl FnOnce(&mut Command)) {
    let mut command = Command::new(exe);
    command.args(["--exact", name, "--test-threads=1"]);
    configure(&mut command);
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("the test {name} runs again from {}: {e}", exe.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name} on its own: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// How long a test waits for the next event of a stream.
pub const EVENT_PATIENCE: Duration = Duration::from_secs(20);

/// The next item of `events` (central's event stream as a device follows
/// it), waited for on `rt` for [`EVENT_PATIENCE`] at most.
pub fn next_event<S: futures::Stream + Unpin>(rt: &tokio::runtime::Runtime, events: &mut S) -> S::Item {
    use futures::StreamExt;
    rt.block_on(async {
        tokio::time::timeout(EVENT_PATIENCE, events.next())
            .await
            .expect("an event comes")
            .expect("the stream goes on")
    })
}

/// A scanned document of `size` bytes that no two seeds share, as the
/// counter keeps it (its bytes stand for the PDF; the transport does not
/// read them).
pub fn scanned_document(item: &str, size: usize, seed: u64, at: jiff::Timestamp) -> motcua::store::NewDocument {
    use sha2::Digest;
    let mut rng = fastrand::Rng::with_seed(seed);
    let bytes: Vec<u8> = (0..size).map(|_| rng.u8(..)).collect();
    let sha256 = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    motcua::store::NewDocument {
        item: item.into(),
        kind: motcua_api::documents::DocumentKind::Intake,
        pdf: std::sync::Arc::new(motcua::scan::Pdf {
            bytes,
            sha256,
            pages: 3,
        }),
        scanned_at: at,
    }
}
