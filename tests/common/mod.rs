//! Shared helpers of the integration tests: a real central on 127.0.0.1,
//! enrolled devices, kiosks linked to it, and a fault-injecting proxy.

#![allow(dead_code)]

pub mod dvcqg;
pub mod proxy;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use motcua::central::model::{Enrolled, Role};
use motcua::central::{self, Running};
use motcua::store::Store;
use motcua::sync::{Client, Link};

pub const OFFICE: &str = "000.00.01.H26";

pub fn start_central(dir: &Path) -> Running {
    start_central_at(dir, SocketAddr::from(([127, 0, 0, 1], 0)), &central::Options::default())
}

pub fn start_central_at(dir: &Path, addr: SocketAddr, options: &central::Options) -> Running {
    Running::start(addr, dir, options).expect("central starts")
}

/// Creates an enrollment token directly in central's database.
pub fn token(dir: &Path, office: &str, role: Role, name: &str) -> String {
    central::admin(dir, |c| central::auth::create_enrollment(c, office, role, name)).expect("a token")
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
